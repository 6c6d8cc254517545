/**
 * Conformance cases of the voting store port: through the voting commands and
 * directly against the port.
 *
 * @since 0.1.0
 */
import {
  type CommunityId,
  HouseholdId,
  readJournal,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  Voting
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const committee = (c: CommunityId) =>
  new StaffActor({ communityId: c, staffId: StaffId.make("s-committee-1"), roles: [Role.make("committee")], departments: [] })

const proposal = (c: CommunityId, id: string, createdAt: number, status: Voting.ProposalStatus = "draft") =>
  new Voting.Proposal({
    communityId: c,
    id: Voting.ProposalId.make(id),
    title: `提案 ${id}`,
    body: "",
    createdBy: "staff:s-committee-1",
    status,
    ballot: { type: "yes-no" },
    rule: Voting.civilCode278.special,
    tallyMeasure: "headcount",
    scope: { type: "community" },
    ownerPolicy: "per-part",
    affectedHouseholdIds: [],
    secret: false,
    voteChange: "last-counts",
    periodMs: 1000,
    extensions: [],
    createdAt,
    version: 1
  })

const unit = (c: CommunityId, p: string, id: string, owners: ReadonlyArray<string>) =>
  new Voting.VotingUnit({
    communityId: c,
    proposalId: Voting.ProposalId.make(p),
    id,
    householdIds: [HouseholdId.make(id)],
    ownerIds: owners.map((o) => ResidentId.make(o)),
    heads: 1,
    areaDm2: 8000,
    weight: 1,
    affected: false,
    floor: 1,
    voted: false,
    byProxy: false
  })

const secret = (c: CommunityId, p: string, hash: string) =>
  new Voting.SecretBallot({
    communityId: c,
    proposalId: Voting.ProposalId.make(p),
    receiptHash: hash,
    choice: { type: "yes-no", value: "yes" },
    heads: 1,
    areaDm2: 8000,
    weight: 1,
    affected: false
  })

/**
 * The voting store's cases.
 *
 * @since 0.1.0
 * @category conformance
 */
export const votingSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
  describe("voting store", () => {
    it.effect("proposals: round trip, optimistic versions, status listing in creation order, tenant isolation", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const other = freshCommunityId()
        const store = yield* Voting.VotingStore
        const a = proposal(c, "p-b", 2000)
        const b = proposal(c, "p-a", 1000, "open")
        const d = proposal(c, "p-c", 2000, "open")
        yield* store.insertProposal(a)
        yield* store.insertProposal(b)
        yield* store.insertProposal(d)
        yield* store.insertProposal(proposal(other, "p-b", 1))
        expect(Option.getOrThrow(yield* store.getProposal(c, a.id))).toEqual(a)
        const dup = yield* Effect.exit(store.insertProposal(a))
        expect(Exit.isFailure(dup) && dup.cause._tag === "Fail" && dup.cause.error._tag).toBe("AlreadyExists")
        expect((yield* store.listProposals(c)).map((p) => p.id)).toEqual(["p-a", "p-b", "p-c"])
        expect((yield* store.listProposals(c, "open")).map((p) => p.id)).toEqual(["p-a", "p-c"])
        const next = new Voting.Proposal({ ...a, title: "changed", version: 2 })
        yield* store.updateProposal(next, 1)
        const stale = yield* Effect.exit(store.updateProposal(new Voting.Proposal({ ...a, title: "stale", version: 2 }), 1))
        expect(Exit.isFailure(stale) && stale.cause._tag === "Fail" && stale.cause.error._tag).toBe("Conflict")
        const missing = yield* Effect.exit(store.updateProposal(proposal(c, "p-none", 0), 0))
        expect(Exit.isFailure(missing) && missing.cause._tag === "Fail" && missing.cause.error._tag).toBe("Conflict")
        expect(Option.getOrThrow(yield* store.getProposal(c, a.id)).title).toBe("changed")
        expect(Option.getOrThrow(yield* store.getProposal(other, a.id)).title).toBe("提案 p-b")
        expect(Option.isNone(yield* store.getProposal(freshCommunityId(), a.id))).toBe(true)
      }), timeout)

    it.effect("voting units: frozen once, found by owner, updated in place, listed by id", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Voting.VotingStore
        const p = Voting.ProposalId.make("p-1")
        yield* store.insertVotingUnits(c, p, [unit(c, "p-1", "h-2", ["r-1"]), unit(c, "p-1", "h-1", ["r-1", "r-2"]), unit(c, "p-1", "h-3", ["r-3"])])
        const again = yield* Effect.exit(store.insertVotingUnits(c, p, [unit(c, "p-1", "h-9", ["r-9"])]))
        expect(Exit.isFailure(again) && again.cause._tag === "Fail" && again.cause.error._tag).toBe("AlreadyExists")
        expect(Option.isNone(yield* store.getVotingUnit(c, p, "h-9"))).toBe(true)
        expect((yield* store.listVotingUnits(c, p)).map((u) => u.id)).toEqual(["h-1", "h-2", "h-3"])
        expect((yield* store.findVotingUnitsByOwner(c, p, ResidentId.make("r-1"))).map((u) => u.id)).toEqual(["h-1", "h-2"])
        expect(yield* store.findVotingUnitsByOwner(c, p, ResidentId.make("r-7"))).toEqual([])
        const voted = new Voting.VotingUnit({ ...unit(c, "p-1", "h-2", ["r-1"]), voted: true, channel: "paper", participantId: ResidentId.make("r-1") })
        yield* store.updateVotingUnit(voted)
        expect(Option.getOrThrow(yield* store.getVotingUnit(c, p, "h-2"))).toEqual(voted)
        const none = yield* Effect.exit(store.updateVotingUnit(unit(c, "p-1", "h-8", ["r-8"])))
        expect(Exit.isFailure(none) && none.cause._tag === "Fail" && none.cause.error._tag).toBe("NotFound")
        expect(yield* store.listVotingUnits(freshCommunityId(), p)).toEqual([])
      }), timeout)

    it.effect("ballots: one open ballot per unit (replaced), the secret bag by receipt hash, paper and proxies", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Voting.VotingStore
        const p = Voting.ProposalId.make("p-1")
        const ob = (u: string, value: "yes" | "no") =>
          new Voting.OpenBallot({ communityId: c, proposalId: p, votingUnitId: u, choice: { type: "yes-no", value }, channel: "online", castBy: "resident:r-1", castAt: 5 })
        yield* store.putOpenBallot(ob("h-2", "yes"))
        yield* store.putOpenBallot(ob("h-1", "yes"))
        yield* store.putOpenBallot(ob("h-2", "no"))
        expect((yield* store.listOpenBallots(c, p)).map((b) => [b.votingUnitId, b.choice])).toEqual([
          ["h-1", { type: "yes-no", value: "yes" }],
          ["h-2", { type: "yes-no", value: "no" }]
        ])
        expect(Option.getOrThrow(yield* store.getOpenBallot(c, p, "h-1"))).toEqual(ob("h-1", "yes"))

        for (const h of ["c".repeat(64), "a".repeat(64), "b".repeat(64)]) yield* store.insertSecretBallot(secret(c, "p-1", h))
        const dup = yield* Effect.exit(store.insertSecretBallot(secret(c, "p-1", "a".repeat(64))))
        expect(Exit.isFailure(dup) && dup.cause._tag === "Fail" && dup.cause.error._tag).toBe("AlreadyExists")
        expect((yield* store.listSecretBallots(c, p)).map((b) => b.receiptHash[0])).toEqual(["a", "b", "c"])
        yield* store.deleteSecretBallot(c, p, "b".repeat(64))
        yield* store.deleteSecretBallot(c, p, "d".repeat(64))
        expect((yield* store.listSecretBallots(c, p)).map((b) => b.receiptHash[0])).toEqual(["a", "c"])
        expect(Option.isSome(yield* store.getSecretBallot(c, p, "a".repeat(64)))).toBe(true)
        expect(yield* store.listSecretBallots(freshCommunityId(), p)).toEqual([])

        const paper = (id: string) =>
          new Voting.PaperBallot({
            communityId: c, proposalId: p, id: Voting.PaperBallotId.make(id), status: "pending", scanRef: `scan-${id}`,
            choice: { type: "yes-no", value: "no" }, enteredBy: "staff:s-clerk", heads: 1, areaDm2: 1, weight: 1, affected: false
          })
        yield* store.insertPaperBallot(paper("pb-2"))
        yield* store.insertPaperBallot(paper("pb-1"))
        const pdup = yield* Effect.exit(store.insertPaperBallot(paper("pb-1")))
        expect(Exit.isFailure(pdup) && pdup.cause._tag === "Fail" && pdup.cause.error._tag).toBe("AlreadyExists")
        yield* store.updatePaperBallot(new Voting.PaperBallot({ ...paper("pb-2"), status: "confirmed", decidedBy: "staff:s-committee-1" }))
        expect((yield* store.listPaperBallots(c, p)).map((b) => b.id)).toEqual(["pb-1", "pb-2"])
        expect((yield* store.listPaperBallots(c, p, "pending")).map((b) => b.id)).toEqual(["pb-1"])
        const pmissing = yield* Effect.exit(store.updatePaperBallot(paper("pb-9")))
        expect(Exit.isFailure(pmissing) && pmissing.cause._tag === "Fail" && pmissing.cause.error._tag).toBe("NotFound")

        const proxy = (principal: string, holder: string, revoked = false) =>
          new Voting.ProxyGrant({ communityId: c, proposalId: p, principalId: ResidentId.make(principal), holderId: ResidentId.make(holder), documentRef: "WT-1", registeredBy: "staff:s-clerk", revoked })
        yield* store.putProxy(proxy("r-2", "r-9"))
        yield* store.putProxy(proxy("r-1", "r-9"))
        yield* store.putProxy(proxy("r-3", "r-8"))
        yield* store.putProxy(proxy("r-2", "r-9", true))
        expect((yield* store.listProxiesByHolder(c, p, ResidentId.make("r-9"))).map((x) => [x.principalId, x.revoked])).toEqual([["r-1", false], ["r-2", true]])
        expect((yield* store.listProxies(c, p)).map((x) => x.principalId)).toEqual(["r-1", "r-2", "r-3"])
        expect(Option.getOrThrow(yield* store.getProxy(c, p, ResidentId.make("r-3")))).toEqual(proxy("r-3", "r-8"))
      }), timeout)

    it.effect("commands: a vote from opening to decision, and a failed ballot changes nothing", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 11, communityId: c, buildings: 1, floors: 3, unitsPerBuilding: 1 })
        yield* options.loadDirectory(snapshot)
        const staff = committee(c)
        const p = yield* Voting.createProposal(staff, { communityId: c, title: "Repaint the stairwell", body: "", rule: "civil-code-278-ordinary" })
        yield* Voting.scheduleProposal(staff, { communityId: c, proposalId: p.id })
        yield* Voting.openProposal(staff, { communityId: c, proposalId: p.id })
        const store = yield* Voting.VotingStore
        const units = yield* store.listVotingUnits(c, p.id)
        expect(units.length).toBe(snapshot.households.length)
        const owners = snapshot.households.map((h) => h.ownerIds[0]!)
        for (const o of owners.slice(0, 5)) {
          yield* Voting.castBallot(new ResidentActor({ communityId: c, residentId: o }), {
            communityId: c, proposalId: p.id, residentId: o, channel: "online", choice: { type: "yes-no", value: "yes" }
          })
        }
        const before = yield* readJournal(c)
        const ballotsBefore = yield* store.listOpenBallots(c, p.id)
        const bad = yield* Effect.exit(Voting.castBallot(new ResidentActor({ communityId: c, residentId: owners[0]! }), {
          communityId: c, proposalId: p.id, residentId: owners[0]!, channel: "online", choice: { type: "single", option: "x" }
        }))
        expect(Exit.isFailure(bad)).toBe(true)
        expect((yield* readJournal(c)).length).toBe(before.length)
        expect(yield* store.listOpenBallots(c, p.id)).toEqual(ballotsBefore)
        const closed = yield* Voting.closeProposal(staff, { communityId: c, proposalId: p.id })
        const expected = Voting.decide(Voting.civilCode278.ordinary, Voting.tallyUnits(snapshot.households.map((h, i) => ({
          heads: 1, areaDm2: h.exclusiveAreaDm2, weight: 1, choice: i < 5 ? "yes" as const : undefined
        }))))
        expect(closed.result.outcome).toBe(expected.outcome)
        expect(Option.getOrThrow(yield* store.getProposal(c, p.id)).status).toBe("decided")
        const v = yield* Voting.verifyTally(staff, c, p.id)
        expect(v.ok).toBe(true)
      }), timeout)

    it.effect("deliberation records: posts (never deleted, hidden in place), amendments, rounds (unique number), objections", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Voting.VotingStore
        const p = Voting.ProposalId.make("p-1")
        const post = (id: string, at: number, replyTo?: string) =>
          new Voting.Post({
            communityId: c, proposalId: p, id: Voting.PostId.make(id), author: "resident:r-1", body: `正文 ${id}`, postedAt: at, hidden: false,
            ...(replyTo === undefined ? {} : { replyTo: Voting.PostId.make(replyTo) })
          })
        yield* store.insertPost(post("post-b", 20))
        yield* store.insertPost(post("post-a", 20, "post-b"))
        yield* store.insertPost(post("post-c", 10))
        const dup = yield* Effect.exit(store.insertPost(post("post-b", 99)))
        expect(Exit.isFailure(dup) && dup.cause._tag === "Fail" && dup.cause.error._tag).toBe("AlreadyExists")
        expect((yield* store.listPosts(c, p)).map((x) => x.id)).toEqual(["post-c", "post-a", "post-b"])
        const hidden = new Voting.Post({ ...post("post-b", 20), hidden: true, hiddenReason: "人身攻击", hiddenBy: "staff:s-committee-1", hiddenAt: 30 })
        yield* store.updatePost(hidden)
        expect(Option.getOrThrow(yield* store.getPost(c, p, Voting.PostId.make("post-b")))).toEqual(hidden)
        expect(Option.getOrThrow(yield* store.getPost(c, p, Voting.PostId.make("post-a")))).toEqual(post("post-a", 20, "post-b"))
        expect((yield* store.listPosts(c, p)).length).toBe(3)
        const nopost = yield* Effect.exit(store.updatePost(post("post-z", 1)))
        expect(Exit.isFailure(nopost) && nopost.cause._tag === "Fail" && nopost.cause.error._tag).toBe("NotFound")
        expect(yield* store.listPosts(freshCommunityId(), p)).toEqual([])

        const amendment = (id: string, at: number) =>
          new Voting.Amendment({
            communityId: c, proposalId: p, id: Voting.AmendmentId.make(id), body: `new text ${id}`, rationale: "clearer",
            proposedBy: "resident:r-2", proposedAt: at, status: "pending"
          })
        yield* store.insertAmendment(amendment("am-2", 5))
        yield* store.insertAmendment(new Voting.Amendment({ ...amendment("am-1", 5), title: "新标题" }))
        const adup = yield* Effect.exit(store.insertAmendment(amendment("am-2", 6)))
        expect(Exit.isFailure(adup) && adup.cause._tag === "Fail" && adup.cause.error._tag).toBe("AlreadyExists")
        const accepted = new Voting.Amendment({ ...amendment("am-2", 5), status: "accepted", decidedBy: "staff:s-committee-1", decidedAt: 7, reason: "ok" })
        yield* store.updateAmendment(accepted)
        expect(Option.getOrThrow(yield* store.getAmendment(c, p, Voting.AmendmentId.make("am-2")))).toEqual(accepted)
        expect(Option.getOrThrow(yield* store.getAmendment(c, p, Voting.AmendmentId.make("am-1"))).title).toBe("新标题")
        expect((yield* store.listAmendments(c, p)).map((x) => x.id)).toEqual(["am-1", "am-2"])
        expect((yield* store.listAmendments(c, p, "pending")).map((x) => x.id)).toEqual(["am-1"])
        const noam = yield* Effect.exit(store.updateAmendment(amendment("am-9", 1)))
        expect(Exit.isFailure(noam) && noam.cause._tag === "Fail" && noam.cause.error._tag).toBe("NotFound")

        const round = (id: string, n: number) =>
          new Voting.NegotiationRound({
            communityId: c, proposalId: p, id: Voting.RoundId.make(id), number: n, heldAt: 100 * n,
            participants: ["居委会", "业主代表"], summary: `第${n}次`, recordedBy: "staff:s-committee-1", recordedAt: 1000
          })
        yield* store.insertRound(round("round-z", 2))
        yield* store.insertRound(round("round-y", 1))
        const sameNumber = yield* Effect.exit(store.insertRound(round("round-x", 2)))
        expect(Exit.isFailure(sameNumber) && sameNumber.cause._tag === "Fail" && sameNumber.cause.error._tag).toBe("AlreadyExists")
        const sameId = yield* Effect.exit(store.insertRound(round("round-y", 3)))
        expect(Exit.isFailure(sameId) && sameId.cause._tag === "Fail" && sameId.cause.error._tag).toBe("AlreadyExists")
        expect(yield* store.listRounds(c, p)).toEqual([round("round-y", 1), round("round-z", 2)])
        expect(yield* store.listRounds(freshCommunityId(), p)).toEqual([])

        const objection = (id: string, at: number) =>
          new Voting.Objection({ communityId: c, proposalId: p, id: Voting.ObjectionId.make(id), residentId: ResidentId.make("r-3"), reason: "计票有误", filedAt: at, status: "pending" })
        yield* store.insertObjection(objection("obj-b", 1))
        yield* store.insertObjection(objection("obj-a", 2))
        const odup = yield* Effect.exit(store.insertObjection(objection("obj-a", 3)))
        expect(Exit.isFailure(odup) && odup.cause._tag === "Fail" && odup.cause.error._tag).toBe("AlreadyExists")
        const dismissed = new Voting.Objection({ ...objection("obj-b", 1), status: "dismissed", resolvedBy: "staff:s-committee-1", resolvedAt: 4, resolution: "无依据" })
        yield* store.updateObjection(dismissed)
        expect(Option.getOrThrow(yield* store.getObjection(c, p, Voting.ObjectionId.make("obj-b")))).toEqual(dismissed)
        expect((yield* store.listObjections(c, p)).map((x) => x.id)).toEqual(["obj-b", "obj-a"])
        expect((yield* store.listObjections(c, p, "pending")).map((x) => x.id)).toEqual(["obj-a"])
        const noobj = yield* Effect.exit(store.updateObjection(objection("obj-z", 1)))
        expect(Exit.isFailure(noobj) && noobj.cause._tag === "Fail" && noobj.cause.error._tag).toBe("NotFound")
        expect(Option.isNone(yield* store.getObjection(freshCommunityId(), p, Voting.ObjectionId.make("obj-a")))).toBe(true)
      }), timeout)

    it.effect("commands: rounds before opening, a cost plan, a preliminary result, an objection and the final result", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 12, communityId: c, buildings: 1, floors: 6, unitsPerBuilding: 1 })
        yield* options.loadDirectory(snapshot)
        const staff = committee(c)
        const store = yield* Voting.VotingStore
        const p = yield* Voting.createProposal(staff, {
          communityId: c, title: "加装电梯", body: "v1", rule: "civil-code-278-ordinary", requiredRounds: 2, objectionPeriodMs: 50
        })
        const owner = snapshot.households[0]!.ownerIds[0]!
        const asOwner = new ResidentActor({ communityId: c, residentId: owner })
        const post = yield* Voting.postToThread(asOwner, { communityId: c, proposalId: p.id, authorId: owner, body: "同意，但要补偿低层" })
        yield* Voting.hidePost(staff, { communityId: c, proposalId: p.id, postId: post.id, reason: "含个人信息" })
        expect(Option.getOrThrow(yield* store.getPost(c, p.id, post.id))).toMatchObject({ hidden: true, body: "同意，但要补偿低层", hiddenReason: "含个人信息" })
        const am = yield* Voting.proposeAmendment(asOwner, { communityId: c, proposalId: p.id, residentId: owner, body: "v2", rationale: "补偿条款" })
        yield* Voting.decideAmendment(staff, { communityId: c, proposalId: p.id, amendmentId: am.id, accept: true })
        yield* Voting.attachCostPlan(staff, { communityId: c, proposalId: p.id, totalCostFen: 60_000_000 })
        yield* Voting.recordNegotiationRound(staff, { communityId: c, proposalId: p.id, heldAt: 0, participants: ["居委会"], summary: "第一次" })
        yield* Voting.scheduleProposal(staff, { communityId: c, proposalId: p.id })
        const journalBefore = (yield* readJournal(c)).length
        const early = yield* Effect.exit(Voting.openProposal(staff, { communityId: c, proposalId: p.id }))
        expect(Exit.isFailure(early) && early.cause._tag === "Fail" && early.cause.error).toMatchObject({ _tag: "VotingNegotiationRoundsMissing", missing: 1 })
        expect((yield* readJournal(c)).length).toBe(journalBefore)
        expect(yield* store.listVotingUnits(c, p.id)).toEqual([])
        yield* Voting.recordNegotiationRound(staff, { communityId: c, proposalId: p.id, heldAt: 0, participants: ["居委会"], summary: "第二次" })
        const opened = yield* Voting.openDue(staff, c)
        expect(opened.opened).toEqual([p.id])
        const stored = Option.getOrThrow(yield* store.getProposal(c, p.id))
        expect(stored.body).toBe("v2")
        expect(stored.costPlan?.lines.length).toBe(snapshot.households.length)
        expect((yield* store.listRounds(c, p.id)).map((r) => r.number)).toEqual([1, 2])
        for (const h of snapshot.households) {
          const o = h.ownerIds[0]!
          yield* Voting.castBallot(new ResidentActor({ communityId: c, residentId: o }), {
            communityId: c, proposalId: p.id, residentId: o, channel: "online", choice: { type: "yes-no", value: "yes" }
          })
        }
        const closed = yield* Voting.closeProposal(staff, { communityId: c, proposalId: p.id })
        expect(closed.proposal.status).toBe("closed")
        const obj = yield* Voting.fileObjection(asOwner, { communityId: c, proposalId: p.id, residentId: owner, reason: "请复核" })
        yield* Effect.sleep("80 millis")
        const blocked = yield* Effect.exit(Voting.finalizeProposal(staff, { communityId: c, proposalId: p.id }))
        expect(Exit.isFailure(blocked) && blocked.cause._tag === "Fail" && blocked.cause.error).toMatchObject({ reason: "objections-pending" })
        yield* Voting.resolveObjection(staff, { communityId: c, proposalId: p.id, objectionId: obj.id, decision: "dismissed", reason: "无依据" })
        const done = yield* Voting.finalizeDue(staff, c)
        expect(done.finalized).toEqual([p.id])
        expect(Option.getOrThrow(yield* store.getProposal(c, p.id))).toMatchObject({ status: "decided", outcome: "passed" })
        expect((yield* Voting.verifyTally(staff, c, p.id)).ok).toBe(true)
      }), timeout)
  })
}
