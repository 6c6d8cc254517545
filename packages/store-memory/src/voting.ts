/**
 * The voting store in memory.
 *
 * @since 0.1.0
 */
import {
  AlreadyExists,
  Conflict,
  NotFound,
  type CommunityId
} from "@gongzhi/core"
import { Voting } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { ModuleStoreFactory } from "./modules.js"

type Proposal = Voting.Proposal
type VotingUnit = Voting.VotingUnit
type OpenBallot = Voting.OpenBallot
type SecretBallot = Voting.SecretBallot
type MixedBallot = Voting.MixedBallot
type SecretTotal = Voting.SecretTotal
type PaperBallot = Voting.PaperBallot
type ProxyGrant = Voting.ProxyGrant
type Post = Voting.Post
type Amendment = Voting.Amendment
type NegotiationRound = Voting.NegotiationRound
type Objection = Voting.Objection

const k = (...parts: ReadonlyArray<string>) => parts.join("\u0000")
const byTimeThenId = <A extends { readonly id: string }>(time: (a: A) => number) => (a: A, b: A) =>
  time(a) !== time(b) ? time(a) - time(b) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

const byKey = <A>(key: (a: A) => string) => (a: A, b: A) => {
  const x = key(a)
  const y = key(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * The voting store over the memory database. Voting units are written once at
 * opening and updated in place, so the table's order never reveals when a
 * unit voted; the secret bag is listed by receipt hash.
 *
 * @since 0.1.0
 * @category stores
 */
export const makeVotingStore: ModuleStoreFactory<Voting.VotingStore> = (db, run) => {
  const read = <A>(f: () => A) => run(Effect.sync(f))
  const scope = (c: CommunityId, p: string) => k(c, p, "")
  const insert = (table: string, entity: string, key: string, value: { readonly id: string }) =>
    run(Effect.suspend(() => {
      if (db.has(table, key)) return Effect.fail(new AlreadyExists({ entity, id: value.id }))
      db.set(table, key, value)
      return Effect.void
    }))
  const update = (table: string, entity: string, key: string, value: { readonly id: string }) =>
    run(Effect.suspend(() => {
      if (!db.has(table, key)) return Effect.fail(new NotFound({ entity, id: value.id }))
      db.set(table, key, value)
      return Effect.void
    }))
  return Context.make(Voting.VotingStore, Voting.VotingStore.of({
    insertProposal: (p) =>
      run(Effect.suspend(() => {
        if (db.has("voting_proposals", k(p.communityId, p.id))) return Effect.fail(new AlreadyExists({ entity: "Proposal", id: p.id }))
        db.set("voting_proposals", k(p.communityId, p.id), p)
        return Effect.void
      })),
    getProposal: (c, id) => read(() => Option.fromNullable(db.get<Proposal>("voting_proposals", k(c, id)))),
    updateProposal: (p, expected) =>
      run(Effect.suspend(() => {
        const cur = db.get<Proposal>("voting_proposals", k(p.communityId, p.id))
        if (cur === undefined || cur.version !== expected) {
          return Effect.fail(new Conflict({ entity: "Proposal", id: p.id, detail: `expected version ${expected}, found ${cur?.version ?? "none"}` }))
        }
        db.set("voting_proposals", k(p.communityId, p.id), p)
        return Effect.void
      })),
    listProposals: (c, status) =>
      read(() =>
        db.values<Proposal>("voting_proposals", k(c, ""))
          .filter((p) => status === undefined || p.status === status)
          .sort((a, b) => (a.createdAt !== b.createdAt ? a.createdAt - b.createdAt : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      ),
    insertVotingUnits: (c, p, units) =>
      run(Effect.suspend(() => {
        if (db.values("voting_units", scope(c, p)).length > 0) return Effect.fail(new AlreadyExists({ entity: "Electorate", id: p }))
        for (const u of [...units].sort(byKey((x) => x.id))) {
          db.set("voting_units", k(c, p, u.id), u)
          for (const o of u.ownerIds) db.set("voting_unit_owners", k(c, p, o, u.id), u.id)
        }
        return Effect.void
      })),
    getVotingUnit: (c, p, id) => read(() => Option.fromNullable(db.get<VotingUnit>("voting_units", k(c, p, id)))),
    findVotingUnitsByOwner: (c, p, owner) =>
      read(() =>
        db.values<string>("voting_unit_owners", k(c, p, owner, ""))
          .map((id) => db.get<VotingUnit>("voting_units", k(c, p, id))!)
          .sort(byKey((u) => u.id))
      ),
    listVotingUnits: (c, p) => read(() => db.values<VotingUnit>("voting_units", scope(c, p)).sort(byKey((u) => u.id))),
    updateVotingUnit: (u) =>
      run(Effect.suspend(() => {
        const key = k(u.communityId, u.proposalId, u.id)
        if (!db.has("voting_units", key)) return Effect.fail(new NotFound({ entity: "VotingUnit", id: u.id }))
        db.set("voting_units", key, u) // Map.set on an existing key keeps its position
        return Effect.void
      })),
    putOpenBallot: (b) => run(Effect.sync(() => db.set("voting_open_ballots", k(b.communityId, b.proposalId, b.votingUnitId), b))),
    getOpenBallot: (c, p, u) => read(() => Option.fromNullable(db.get<OpenBallot>("voting_open_ballots", k(c, p, u)))),
    listOpenBallots: (c, p) =>
      read(() => db.values<OpenBallot>("voting_open_ballots", scope(c, p)).sort(byKey((b) => b.votingUnitId))),
    insertSecretBallot: (b) =>
      run(Effect.suspend(() => {
        const key = k(b.communityId, b.proposalId, b.receiptHash)
        if (db.has("voting_secret_ballots", key)) return Effect.fail(new AlreadyExists({ entity: "SecretBallot", id: b.receiptHash }))
        db.set("voting_secret_ballots", key, b)
        return Effect.void
      })),
    getSecretBallot: (c, p, h) => read(() => Option.fromNullable(db.get<SecretBallot>("voting_secret_ballots", k(c, p, h)))),
    deleteSecretBallot: (c, p, h) => run(Effect.sync(() => db.delete("voting_secret_ballots", k(c, p, h)))),
    listSecretBallots: (c, p) =>
      read(() => db.values<SecretBallot>("voting_secret_ballots", scope(c, p)).sort(byKey((b) => b.receiptHash))),
    getMixedBallot: (c, p, h) => read(() => Option.fromNullable(db.get<MixedBallot>("voting_secret_mixed", k(c, p, h)))),
    listMixedBallots: (c, p) =>
      read(() => db.values<MixedBallot>("voting_secret_mixed", scope(c, p)).sort(byKey((b) => b.receiptHash))),
    listSecretTotals: (c, p) =>
      read(() => db.values<SecretTotal>("voting_secret_totals", scope(c, p)).sort(byKey((t) => `${t.choiceKey}\u0000${t.affected ? 1 : 0}`))),
    applySecretMix: (c, p, mix) =>
      run(Effect.sync(() => {
        for (const h of mix.pending) db.delete("voting_secret_ballots", k(c, p, h))
        for (const h of mix.retracted) db.delete("voting_secret_mixed", k(c, p, h))
        // In the order given (a random one): the table's order follows the mix, not the casting.
        for (const b of mix.mixed) db.set("voting_secret_mixed", k(c, p, b.receiptHash), b)
        for (const t of db.values<SecretTotal>("voting_secret_totals", scope(c, p))) {
          db.delete("voting_secret_totals", k(c, p, `${t.affected ? 1 : 0}${t.choiceKey}`))
        }
        for (const t of mix.totals) db.set("voting_secret_totals", k(c, p, `${t.affected ? 1 : 0}${t.choiceKey}`), t)
      })),
    insertPaperBallot: (b) =>
      run(Effect.suspend(() => {
        const key = k(b.communityId, b.proposalId, b.id)
        if (db.has("voting_paper_ballots", key)) return Effect.fail(new AlreadyExists({ entity: "PaperBallot", id: b.id }))
        db.set("voting_paper_ballots", key, b)
        return Effect.void
      })),
    getPaperBallot: (c, p, id) => read(() => Option.fromNullable(db.get<PaperBallot>("voting_paper_ballots", k(c, p, id)))),
    updatePaperBallot: (b) =>
      run(Effect.suspend(() => {
        const key = k(b.communityId, b.proposalId, b.id)
        if (!db.has("voting_paper_ballots", key)) return Effect.fail(new NotFound({ entity: "PaperBallot", id: b.id }))
        db.set("voting_paper_ballots", key, b)
        return Effect.void
      })),
    listPaperBallots: (c, p, status) =>
      read(() =>
        db.values<PaperBallot>("voting_paper_ballots", scope(c, p))
          .filter((b) => status === undefined || b.status === status)
          .sort(byKey((b) => b.id))
      ),
    putProxy: (x) => run(Effect.sync(() => db.set("voting_proxies", k(x.communityId, x.proposalId, x.principalId), x))),
    getProxy: (c, p, principal) => read(() => Option.fromNullable(db.get<ProxyGrant>("voting_proxies", k(c, p, principal)))),
    listProxiesByHolder: (c, p, holder) =>
      read(() => db.values<ProxyGrant>("voting_proxies", scope(c, p)).filter((x) => x.holderId === holder).sort(byKey((x) => x.principalId))),
    listProxies: (c, p) => read(() => db.values<ProxyGrant>("voting_proxies", scope(c, p)).sort(byKey((x) => x.principalId))),
    insertPost: (x) => insert("voting_posts", "Post", k(x.communityId, x.proposalId, x.id), x),
    getPost: (c, p, id) => read(() => Option.fromNullable(db.get<Post>("voting_posts", k(c, p, id)))),
    updatePost: (x) => update("voting_posts", "Post", k(x.communityId, x.proposalId, x.id), x),
    listPosts: (c, p) => read(() => db.values<Post>("voting_posts", scope(c, p)).sort(byTimeThenId((x) => x.postedAt))),
    insertAmendment: (x) => insert("voting_amendments", "Amendment", k(x.communityId, x.proposalId, x.id), x),
    getAmendment: (c, p, id) => read(() => Option.fromNullable(db.get<Amendment>("voting_amendments", k(c, p, id)))),
    updateAmendment: (x) => update("voting_amendments", "Amendment", k(x.communityId, x.proposalId, x.id), x),
    listAmendments: (c, p, status) =>
      read(() =>
        db.values<Amendment>("voting_amendments", scope(c, p))
          .filter((x) => status === undefined || x.status === status)
          .sort(byTimeThenId((x) => x.proposedAt))
      ),
    insertRound: (x) =>
      run(Effect.suspend(() => {
        const taken = db.has("voting_rounds", k(x.communityId, x.proposalId, x.id)) ||
          db.has("voting_round_numbers", k(x.communityId, x.proposalId, String(x.number)))
        if (taken) return Effect.fail(new AlreadyExists({ entity: "NegotiationRound", id: `${x.id} (#${x.number})` }))
        db.set("voting_rounds", k(x.communityId, x.proposalId, x.id), x)
        db.set("voting_round_numbers", k(x.communityId, x.proposalId, String(x.number)), x.id)
        return Effect.void
      })),
    listRounds: (c, p) => read(() => db.values<NegotiationRound>("voting_rounds", scope(c, p)).sort((a, b) => a.number - b.number)),
    insertObjection: (x) => insert("voting_objections", "Objection", k(x.communityId, x.proposalId, x.id), x),
    getObjection: (c, p, id) => read(() => Option.fromNullable(db.get<Objection>("voting_objections", k(c, p, id)))),
    updateObjection: (x) => update("voting_objections", "Objection", k(x.communityId, x.proposalId, x.id), x),
    listObjections: (c, p, status) =>
      read(() =>
        db.values<Objection>("voting_objections", scope(c, p))
          .filter((x) => status === undefined || x.status === status)
          .sort(byTimeThenId((x) => x.filedAt))
      )
  }))
}
