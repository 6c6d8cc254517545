/**
 * What only a database can prove for the voting store: its invariants hold as
 * constraints (a raw statement that breaks one is refused), the secret bag
 * has nothing that orders or times its rows, and parallel ballots of one
 * voting unit leave exactly one ballot.
 */
import { SqlClient } from "@effect/sql"
import {
  type CommunityId,
  decodeEntry,
  DirectoryWriter,
  readJournal,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  Transaction,
  Voting
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, Option } from "effect"
import { inject } from "vitest"
import { findPgError } from "../src/pg-errors.js"
import { migratedTestDatabase } from "./support/db.js"
import { buffersOf, explain } from "./support/plans.js"

/** A fresh, migrated database; the ports and a raw client on one pool. */
const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_voting", maxConnections: 20 })

let counter = 0
const freshCommunity = (label: string) => `vt-${label}-${Date.now().toString(36)}-${counter++}` as CommunityId

const committee = (c: CommunityId) =>
  new StaffActor({ communityId: c, staffId: StaffId.make("s-committee-1"), roles: [Role.make("committee")], departments: [] })

/** Loads a small community and opens a proposal on it through the voting commands. */
const openVote = (label: string, extra: Record<string, unknown>) =>
  Effect.gen(function* () {
    const c = freshCommunity(label)
    const snapshot = generateCommunity({ seed: 19, communityId: c, buildings: 1, floors: 3, unitsPerBuilding: 1 })
    yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
    const staff = committee(c)
    const p = yield* Voting.createProposal(staff, { communityId: c, title: "Repaint the stairwell", body: "", rule: "civil-code-278-ordinary", ...extra })
    yield* Voting.scheduleProposal(staff, { communityId: c, proposalId: p.id })
    const opened = yield* Voting.openProposal(staff, { communityId: c, proposalId: p.id })
    const household = snapshot.households.find((h) => h.ownerIds.length > 0)!
    return { c, p: opened, household, owner: household.ownerIds[0]! }
  })

/** Opens every pooled connection first, so that the 50 attempts really overlap. */
const warmPool = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.all(Array.from({ length: 20 }, () => sql`SELECT pg_sleep(0.05)`), { concurrency: "unbounded", discard: true })
)

/** 50 `castBallot` of one owner for one household, all at once. */
const fifty = (c: CommunityId, proposalId: Voting.ProposalId, owner: ResidentId, householdId: string) =>
  Effect.zipRight(warmPool, Effect.all(
    Array.from({ length: 50 }, (_, i) =>
      Effect.exit(
        Voting.castBallot(new ResidentActor({ communityId: c, residentId: owner }), {
          communityId: c,
          proposalId,
          residentId: owner,
          votingUnitId: householdId,
          channel: "online",
          choice: { type: "yes-no", value: i % 2 === 0 ? "yes" : "no" }
        })
      )
    ),
    { concurrency: "unbounded" }
  ))

const failureOf = (e: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(e) && e.cause._tag === "Fail" ? (e.cause.error as { _tag: string; reason?: string }) : undefined

const votingEvents = (c: CommunityId, proposalId: string) =>
  Effect.map(readJournal(c), (entries) =>
    entries.flatMap((e) => Option.toArray(decodeEntry(Voting.VotingEvent)(e))).filter((e) => "proposalId" in e && e.proposalId === proposalId)
  )

const count = (rows: ReadonlyArray<Record<string, unknown>>) => Number(rows[0]?.n)

/** The SQLSTATE (and constraint) a statement is refused with. */
const refused = <A, E, R>(statement: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(statement), (e) => {
    const pg = findPgError(e)
    return { code: pg?.code, constraint: pg?.constraint }
  })

describe("voting on a real PostgreSQL server", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("a ballot's voting-unit lookup by owner reads a few buffers in a 4,000-unit electorate, without statistics", () =>
      Effect.gen(function* () {
        const store = yield* Voting.VotingStore
        const c = freshCommunity("plans")
        const p = Voting.ProposalId.make("prop-plans")
        const id = (i: number) => `h-${String(i).padStart(5, "0")}`
        yield* store.insertVotingUnits(c, p, Array.from({ length: 4000 }, (_, i) =>
          new Voting.VotingUnit({
            communityId: c, proposalId: p, id: id(i), householdIds: [id(i) as never], ownerIds: [ResidentId.make(`r-${i}`)],
            heads: 1, areaDm2: 9000, weight: 9000, affected: false, floor: 1 + (i % 6), voted: false, byProxy: false
          })))
        const found = yield* explain(store.findVotingUnitsByOwner(c, p, ResidentId.make("r-2500")))
        expect(found.result.map((u) => u.id)).toEqual([id(2500)])
        // Before migration 0009 the owner's units were looked up through the (unit, position)
        // index, reading every owner of the electorate: about one buffer per 40 units.
        expect(buffersOf(found.explained, "gz_voting_unit_owners")).toBeLessThan(25)
      }))

    it.effect("50 parallel attempts by the same voting unit -> exactly one ballot (no-change: one succeeds, 49 AlreadyVoted)", () =>
      Effect.gen(function* () {
        const { c, p, household, owner } = yield* openVote("nochange", { voteChange: "no-change" })
        const results = yield* fifty(c, p.id, owner, household.id)
        expect(results.filter(Exit.isSuccess)).toHaveLength(1)
        const failures = results.filter(Exit.isFailure).map(failureOf)
        expect(failures).toHaveLength(49)
        for (const f of failures) expect(f).toMatchObject({ _tag: "VotingAlreadyVoted", reason: "no-change" })

        const sql = yield* SqlClient.SqlClient
        expect(count(yield* sql`
          SELECT count(*) AS n FROM gz_voting_open_ballots
          WHERE community_id = ${c} AND proposal_id = ${p.id} AND voting_unit_id = ${household.id}`)).toBe(1)
        expect(count(yield* sql`SELECT count(*) AS n FROM gz_voting_open_ballots WHERE community_id = ${c} AND proposal_id = ${p.id}`)).toBe(1)
        const [unit] = yield* sql`
          SELECT voted, channel, participant_id FROM gz_voting_units
          WHERE community_id = ${c} AND proposal_id = ${p.id} AND unit_id = ${household.id}`
        expect(unit).toEqual({ voted: true, channel: "online", participant_id: owner })
        const events = yield* votingEvents(c, p.id)
        expect(events.filter((e) => e._tag === "VotingBallotCast")).toHaveLength(1)
        expect(events.filter((e) => e._tag === "VotingParticipationRecorded")).toHaveLength(1)
      }))

    it.effect("50 parallel attempts by the same voting unit -> exactly one ballot (last-counts: each replaces the previous)", () =>
      Effect.gen(function* () {
        const { c, p, household, owner } = yield* openVote("lastcounts", {})
        expect(p.voteChange).toBe("last-counts")
        const results = yield* fifty(c, p.id, owner, household.id)
        // One after the other: every attempt is admitted, each replacing the one before.
        expect(results.filter(Exit.isFailure).map(failureOf)).toEqual([])

        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql`
          SELECT choice FROM gz_voting_open_ballots
          WHERE community_id = ${c} AND proposal_id = ${p.id} AND voting_unit_id = ${household.id}`
        expect(rows).toHaveLength(1)
        expect(count(yield* sql`SELECT count(*) AS n FROM gz_voting_open_ballots WHERE community_id = ${c} AND proposal_id = ${p.id}`)).toBe(1)
        const events = yield* votingEvents(c, p.id)
        const casts = events.filter((e) => e._tag === "VotingBallotCast")
        expect(casts).toHaveLength(50)
        // Serialized: the first is new, every later one saw it and replaced; one participation.
        expect(casts.filter((e) => !e.replaced)).toHaveLength(1)
        expect(events.filter((e) => e._tag === "VotingParticipationRecorded")).toHaveLength(1)
        // The ballot that counts is the last one in the journal.
        expect(rows[0]!.choice).toEqual(casts[casts.length - 1]!.choice)
      }))

    it.effect("a proposal read with the shared lock lets ballots through and holds off closing; the default lock holds off ballots", () =>
      Effect.gen(function* () {
        const c = freshCommunity("share-lock")
        const snapshot = generateCommunity({ seed: 23, communityId: c, buildings: 1, floors: 3, unitsPerBuilding: 1 })
        yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
        const staff = committee(c)
        const created = yield* Voting.createProposal(staff, { communityId: c, title: "Bike shed", body: "", rule: "civil-code-278-ordinary" })
        yield* Voting.scheduleProposal(staff, { communityId: c, proposalId: created.id })
        const p = yield* Voting.openProposal(staff, { communityId: c, proposalId: created.id })
        const owned = snapshot.households.filter((h) => h.ownerIds.length > 0)
        const cast = (k: number) =>
          Voting.castBallot(new ResidentActor({ communityId: c, residentId: owned[k]!.ownerIds[0]! }), {
            communityId: c, proposalId: p.id, residentId: owned[k]!.ownerIds[0]!, votingUnitId: owned[k]!.id, channel: "online", choice: { type: "yes-no", value: "yes" }
          })
        const tx = yield* Transaction
        const store = yield* Voting.VotingStore
        /** A transaction that reads the proposal with `lock` and stays open until `finish`. */
        const holding = (proposalId: Voting.ProposalId, lock: Voting.ProposalLock) =>
          Effect.gen(function* () {
            const locked = yield* Deferred.make<void>()
            const finish = yield* Deferred.make<void>()
            const fiber = yield* Effect.fork(tx.run(Effect.zipRight(
              store.getProposal(c, proposalId, lock),
              Effect.zipRight(Deferred.succeed(locked, undefined), Deferred.await(finish))
            )))
            yield* Deferred.await(locked)
            return Effect.zipRight(Deferred.succeed(finish, undefined), Fiber.join(fiber))
          })
        const stillWaiting = <A, E>(f: Fiber.RuntimeFiber<A, E>) =>
          Effect.zipRight(Effect.sleep(Duration.millis(500)), Effect.map(Fiber.poll(f), Option.isNone))

        // What a ballot in flight holds: other ballots go through, closing waits for it.
        const release = yield* holding(p.id, "share")
        yield* cast(0).pipe(Effect.timeoutFail({ duration: Duration.seconds(10), onTimeout: () => new Error("a ballot waited for a shared lock") }))
        const closing = yield* Effect.fork(Voting.closeProposal(staff, { communityId: c, proposalId: p.id }))
        expect(yield* stillWaiting(closing)).toBe(true)
        yield* release
        const closed = yield* Fiber.join(closing)
        expect((closed.result as unknown as { decision: { actual: { participating: { headcount: number } } } }).decision.actual.participating.headcount).toBe(1)

        // What closing or extending holds: a ballot waits for it, then finds the proposal closed.
        const p2 = yield* Voting.createProposal(staff, { communityId: c, title: "Second", body: "", rule: "civil-code-278-ordinary" })
        yield* Voting.scheduleProposal(staff, { communityId: c, proposalId: p2.id })
        yield* Voting.openProposal(staff, { communityId: c, proposalId: p2.id })
        const releaseUpdate = yield* holding(p2.id, "update")
        const blocked = yield* Effect.fork(Voting.castBallot(new ResidentActor({ communityId: c, residentId: owned[1]!.ownerIds[0]! }), {
          communityId: c, proposalId: p2.id, residentId: owned[1]!.ownerIds[0]!, votingUnitId: owned[1]!.id, channel: "online", choice: { type: "yes-no", value: "no" }
        }))
        expect(yield* stillWaiting(blocked)).toBe(true)
        yield* releaseUpdate
        yield* Fiber.join(blocked)
      }))

    it.effect("secret vote: 50 parallel attempts by the same voting unit -> exactly one anonymous ballot", () =>
      Effect.gen(function* () {
        for (const voteChange of ["no-change", "last-counts"] as const) {
          const { c, p, household, owner } = yield* openVote(`secret-${voteChange}`, { secret: true, voteChange })
          const results = yield* fifty(c, p.id, owner, household.id)
          expect(results.filter(Exit.isSuccess)).toHaveLength(1)
          const failures = results.filter(Exit.isFailure).map(failureOf)
          expect(failures).toHaveLength(49)
          const reason = voteChange === "no-change" ? "no-change" : "receipt-required"
          for (const f of failures) expect(f).toMatchObject({ _tag: "VotingAlreadyVoted", reason })
          const sql = yield* SqlClient.SqlClient
          expect(count(yield* sql`SELECT count(*) AS n FROM gz_voting_secret_ballots WHERE community_id = ${c} AND proposal_id = ${p.id}`)).toBe(1)
          expect(count(yield* sql`SELECT count(*) AS n FROM gz_voting_open_ballots WHERE community_id = ${c} AND proposal_id = ${p.id}`)).toBe(0)
          expect(count(yield* sql`
            SELECT count(*) AS n FROM gz_voting_units WHERE community_id = ${c} AND proposal_id = ${p.id} AND voted`)).toBe(1)
        }
      }))

    it.effect("the secret bag has no time, no serial, no identity and no default: nothing but the receipt hash orders it", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const columns = yield* sql`
          SELECT column_name, data_type, column_default, is_identity, is_generated
          FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'gz_voting_secret_ballots'
          ORDER BY ordinal_position`
        expect(columns.map((r) => r.column_name)).toEqual(["community_id", "proposal_id", "receipt_hash", "choice", "heads", "area_dm2", "weight", "affected", "retraction"])
        for (const col of columns) {
          expect(col.column_default).toBeNull()
          expect(col.is_identity).toBe("NO")
          expect(col.is_generated).toBe("NEVER")
          expect(String(col.data_type)).not.toMatch(/time|date|serial/)
        }
        const [pk] = yield* sql`
          SELECT array_agg(a.attname::text ORDER BY k.ord) AS cols
          FROM pg_constraint x
          CROSS JOIN LATERAL unnest(x.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = x.conrelid AND a.attnum = k.attnum
          WHERE x.conrelid = 'gz_voting_secret_ballots'::regclass AND x.contype = 'p'`
        expect(pk!.cols).toEqual(["community_id", "proposal_id", "receipt_hash"])
        // No sequence, trigger or other table points at the bag.
        const [refs] = yield* sql`
          SELECT (SELECT count(*) FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                  WHERE d.refobjid = 'gz_voting_secret_ballots'::regclass) AS sequences,
                 (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = 'gz_voting_secret_ballots'::regclass AND NOT t.tgisinternal AND (t.tgtype & 32) = 0) AS triggers,
                 (SELECT count(*) FROM pg_constraint f WHERE f.contype = 'f'
                    AND (f.confrelid = 'gz_voting_secret_ballots'::regclass OR f.conrelid = 'gz_voting_secret_ballots'::regclass)) AS foreign_keys`
        expect([Number(refs!.sequences), Number(refs!.triggers), Number(refs!.foreign_keys)]).toEqual([0, 0, 0])
        // The markers carry no time either.
        const unitTypes = yield* sql`
          SELECT data_type FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name IN ('gz_voting_units', 'gz_voting_unit_owners')`
        for (const t of unitTypes) expect(String(t.data_type)).not.toMatch(/time|date/)

        // Keyed by the receipt hash only: a taken hash and a malformed one are refused.
        const c = freshCommunity("bag")
        const ballot = (hash: string) => ({
          community_id: c, proposal_id: "p-1", receipt_hash: hash, choice: JSON.stringify({ type: "yes-no", value: "yes" }),
          heads: 1, area_dm2: 100, weight: 1, affected: false, retraction: false
        })
        yield* sql`INSERT INTO gz_voting_secret_ballots ${sql.insert(ballot("f".repeat(64)))}`
        expect(yield* refused(sql`INSERT INTO gz_voting_secret_ballots ${sql.insert(ballot("f".repeat(64)))}`)).toEqual({
          code: "23505", constraint: "gz_voting_secret_ballots_pkey"
        })
        expect((yield* refused(sql`INSERT INTO gz_voting_secret_ballots ${sql.insert(ballot("voter-r-1"))}`)).code).toBe("23514")
      }))

    it.effect("one open ballot per voting unit and proposal; a paper one needs a second staff member", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("open")
        const ballot = (extra: Record<string, unknown> = {}) => ({
          community_id: c, proposal_id: "p-1", voting_unit_id: "h-1", choice: JSON.stringify({ type: "yes-no", value: "no" }),
          channel: "online", cast_by: "resident:r-1", proxy_holder_id: null, scan_ref: null, confirmed_by: null, cast_at: 1, ...extra
        })
        yield* sql`INSERT INTO gz_voting_open_ballots ${sql.insert(ballot())}`
        expect(yield* refused(sql`INSERT INTO gz_voting_open_ballots ${sql.insert(ballot({ cast_by: "staff:s-clerk", channel: "on-site" }))}`)).toEqual({
          code: "23505", constraint: "gz_voting_open_ballots_pkey"
        })
        expect(yield* refused(sql`INSERT INTO gz_voting_open_ballots ${sql.insert(ballot({ voting_unit_id: "h-2", channel: "paper", scan_ref: "scan-1" }))}`)).toEqual({
          code: "23514", constraint: "gz_voting_open_ballots_paper"
        })
        expect(yield* refused(sql`INSERT INTO gz_voting_open_ballots ${sql.insert(ballot({
          voting_unit_id: "h-2", channel: "paper", scan_ref: "scan-1", cast_by: "staff:s-clerk", confirmed_by: "staff:s-clerk"
        }))}`)).toEqual({ code: "23514", constraint: "gz_voting_open_ballots_four_eyes" })
        expect((yield* refused(sql`INSERT INTO gz_voting_open_ballots ${sql.insert(ballot({ voting_unit_id: "h-3", choice: JSON.stringify({ value: "yes" }) }))}`)).code).toBe("23514")
      }))

    it.effect("paper ballots: kept apart with their confirmation state; the confirmer is not the clerk; decisions are final", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("paper")
        const paper = (id: string, extra: Record<string, unknown> = {}) => ({
          community_id: c, proposal_id: "p-1", paper_ballot_id: id, status: "pending", scan_ref: `scan-${id}`,
          choice: JSON.stringify({ type: "yes-no", value: "yes" }), entered_by: "staff:s-clerk", voting_unit_id: "h-1", voter_id: "r-1",
          on_behalf_of: null, heads: 1, area_dm2: 100, weight: 1, affected: false, correction_of: null, decided_by: null, reason: null, ...extra
        })
        expect(yield* refused(sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-0", { status: "confirmed", decided_by: "staff:s-clerk" }))}`)).toEqual({
          code: "23514", constraint: "gz_voting_paper_ballots_four_eyes"
        })
        expect((yield* refused(sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-0", { status: "confirmed" }))}`)).constraint).toBe("gz_voting_paper_ballots_decided")
        expect((yield* refused(sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-0", { decided_by: "staff:s-committee-1" }))}`)).constraint).toBe("gz_voting_paper_ballots_decided")
        expect((yield* refused(sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-0", { voter_id: null }))}`)).constraint).toBe("gz_voting_paper_ballots_named")

        yield* sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-1"))}`
        const where = (id: string) => sql`community_id = ${c} AND proposal_id = 'p-1' AND paper_ballot_id = ${id}`
        // The enterer cannot confirm their own ballot, even with a hand-written UPDATE.
        expect(yield* refused(sql`UPDATE gz_voting_paper_ballots SET status = 'confirmed', decided_by = 'staff:s-clerk' WHERE ${where("pb-1")}`)).toEqual({
          code: "23514", constraint: "gz_voting_paper_ballots_four_eyes"
        })
        // Only the decision changes, never the ballot itself.
        expect((yield* refused(sql`UPDATE gz_voting_paper_ballots SET choice = '{"type":"yes-no","value":"no"}' WHERE ${where("pb-1")}`)).code).toBe("23514")
        yield* sql`UPDATE gz_voting_paper_ballots SET status = 'confirmed', decided_by = 'staff:s-committee-1' WHERE ${where("pb-1")}`
        // Confirmed is final; a pending ballot cannot jump to corrected; nothing is deleted.
        expect((yield* refused(sql`UPDATE gz_voting_paper_ballots SET status = 'rejected' WHERE ${where("pb-1")}`)).code).toBe("23514")
        expect((yield* refused(sql`DELETE FROM gz_voting_paper_ballots WHERE ${where("pb-1")}`)).code).toBe("42501")
        yield* sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-2"))}`
        expect((yield* refused(sql`UPDATE gz_voting_paper_ballots SET status = 'corrected', decided_by = 'staff:s-committee-1' WHERE ${where("pb-2")}`)).code).toBe("23514")

        // A rejected ballot is corrected once.
        yield* sql`UPDATE gz_voting_paper_ballots SET status = 'rejected', decided_by = 'staff:s-committee-1', reason = 'illegible' WHERE ${where("pb-2")}`
        yield* sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-3", { correction_of: "pb-2" }))}`
        expect((yield* refused(sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-4", { correction_of: "pb-2" }))}`)).code).toBe("23505")
        expect((yield* refused(sql`INSERT INTO gz_voting_paper_ballots ${sql.insert(paper("pb-5", { correction_of: "pb-none" }))}`)).code).toBe("23503")
      }))

    it.effect("the electorate is frozen: inserted at once, only the marker changes, and a unit that voted stays voted", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* Voting.VotingStore
        const c = freshCommunity("units")
        const p = Voting.ProposalId.make("p-1")
        const unit = (id: string, owners: ReadonlyArray<string>) =>
          new Voting.VotingUnit({
            communityId: c, proposalId: p, id, householdIds: [id] as never, ownerIds: owners.map((o) => ResidentId.make(o)),
            heads: 1, areaDm2: 9000, weight: 1, affected: false, floor: 2, voted: false, byProxy: false
          })
        yield* store.insertVotingUnits(c, p, [unit("h-1", ["r-1", "r-2"]), unit("h-2", ["r-3"])])
        const where = sql`community_id = ${c} AND proposal_id = ${p} AND unit_id = 'h-1'`
        const row = {
          community_id: c, proposal_id: p, household_ids: ["h-9"], heads: 1, area_dm2: 1, weight: 1, affected: false, floor: 1
        }
        // A unit added later by hand, or owners added to a frozen unit, are refused.
        expect((yield* refused(sql`INSERT INTO gz_voting_units ${sql.insert({ ...row, unit_id: "h-9" })}`)).code).toBe("23514")
        expect((yield* refused(sql`INSERT INTO gz_voting_unit_owners ${sql.insert({ community_id: c, proposal_id: p, owner_id: "r-9", unit_id: "h-1", position: 2 })}`)).code).toBe("23514")
        // A unit is named after its first household.
        expect((yield* refused(sql`INSERT INTO gz_voting_units ${sql.insert({ ...row, proposal_id: "p-2", unit_id: "h-8" })}`)).constraint).toBe("gz_voting_units_named")
        // Weights and households do not change; owners and units are not deleted.
        expect((yield* refused(sql`UPDATE gz_voting_units SET area_dm2 = area_dm2 * 2 WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_voting_units SET household_ids = '{h-1,h-2}' WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`DELETE FROM gz_voting_units WHERE ${where}`)).code).toBe("42501")
        expect((yield* refused(sql`DELETE FROM gz_voting_unit_owners WHERE ${where}`)).code).toBe("42501")
        // The marker is all or nothing.
        expect((yield* refused(sql`UPDATE gz_voting_units SET voted = true WHERE ${where}`)).constraint).toBe("gz_voting_units_marker")
        expect((yield* refused(sql`UPDATE gz_voting_units SET by_proxy = true WHERE ${where}`)).constraint).toBe("gz_voting_units_marker")
        yield* store.updateVotingUnit(new Voting.VotingUnit({ ...unit("h-1", ["r-1", "r-2"]), voted: true, channel: "online", participantId: ResidentId.make("r-2") }))
        expect((yield* refused(sql`UPDATE gz_voting_units SET voted = false, channel = NULL, participant_id = NULL WHERE ${where}`)).code).toBe("23514")
        const units = yield* store.findVotingUnitsByOwner(c, p, ResidentId.make("r-2"))
        expect(units.map((u) => [u.id, u.ownerIds, u.voted, u.participantId])).toEqual([["h-1", ["r-1", "r-2"], true, "r-2"]])
      }))

    it.effect("proposals: versions go up by one, decided and withdrawn are final; proxies are not self-held", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const { c, p } = yield* openVote("final", {})
        const where = sql`community_id = ${c} AND proposal_id = ${p.id}`
        expect((yield* refused(sql`UPDATE gz_voting_proposals SET title = 'x', version = version + 2 WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_voting_proposals SET status = 'decided', version = version + 1 WHERE ${where}`)).constraint).toBe("gz_voting_proposals_decided")
        expect((yield* refused(sql`UPDATE gz_voting_proposals SET outcome = 'passed', version = version + 1 WHERE ${where}`)).constraint).toBe("gz_voting_proposals_decided")
        yield* Voting.closeProposal(committee(c), { communityId: c, proposalId: p.id })
        expect((yield* refused(sql`UPDATE gz_voting_proposals SET outcome = 'passed', version = version + 1 WHERE ${where}`)).code).toBe("23514")
        const stale = yield* Effect.flip(Voting.extendProposal(committee(c), { communityId: c, proposalId: p.id, closesAt: Date.now() + 1e9, reason: "late" }))
        expect(stale._tag).toBe("VotingProposalNotOpen")

        expect((yield* refused(sql`INSERT INTO gz_voting_proxies ${sql.insert({
          community_id: c, proposal_id: p.id, principal_id: "r-1", holder_id: "r-1", document_ref: "WT-1", registered_by: "staff:s-clerk", revoked: false
        })}`)).constraint).toBe("gz_voting_proxies_not_self")
      }))

    it.effect("deadline extensions round-trip in order", () =>
      Effect.gen(function* () {
        const { c, p } = yield* openVote("extend", {})
        const staff = committee(c)
        const first = p.closesAt! + 1000
        yield* Voting.extendProposal(staff, { communityId: c, proposalId: p.id, closesAt: first, reason: "holiday" })
        yield* Voting.extendProposal(staff, { communityId: c, proposalId: p.id, closesAt: first + 1000, reason: "quorum" })
        const stored = Option.getOrThrow(yield* (yield* Voting.VotingStore).getProposal(c, p.id))
        expect(stored.extensions.map((e) => [e.reason, e.to])).toEqual([["holiday", first], ["quorum", first + 1000]])
        expect(stored.version).toBe(p.version + 2)
      }))

    it.effect("deliberation (0006): posts are never deleted and stay hidden; rounds are numbered once and never change; objections resolve once", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("delib")
        const store = yield* Voting.VotingStore
        const p = Voting.ProposalId.make("p-1")
        const post = new Voting.Post({ communityId: c, proposalId: p, id: Voting.PostId.make("post-1"), author: "resident:r-1", body: "hello", postedAt: 1, hidden: false })
        yield* store.insertPost(post)
        const wherePost = sql`community_id = ${c} AND proposal_id = ${p} AND post_id = 'post-1'`
        expect((yield* refused(sql`DELETE FROM gz_voting_posts WHERE ${wherePost}`)).code).toBe("42501")
        expect((yield* refused(sql`UPDATE gz_voting_posts SET body = 'edited' WHERE ${wherePost}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_voting_posts SET hidden = true WHERE ${wherePost}`)).constraint).toBe("gz_voting_posts_hidden")
        expect((yield* refused(sql`INSERT INTO gz_voting_posts ${sql.insert({
          community_id: c, proposal_id: p, post_id: "post-2", reply_to: "post-none", author: "resident:r-1", body: "x", posted_at: 2, hidden: false
        })}`)).code).toBe("23503")
        yield* store.updatePost(new Voting.Post({ ...post, hidden: true, hiddenReason: "spam", hiddenBy: "staff:s-1", hiddenAt: 3 }))
        expect((yield* refused(sql`UPDATE gz_voting_posts SET hidden = false, hidden_reason = NULL, hidden_by = NULL, hidden_at = NULL WHERE ${wherePost}`)).code).toBe("23514")

        const round = (id: string, n: number) => ({
          community_id: c, proposal_id: p, round_id: id, number: n, held_at: 1, participants: ["居委会"], summary: "s", recorded_by: "staff:s-1", recorded_at: 2
        })
        yield* sql`INSERT INTO gz_voting_rounds ${sql.insert(round("round-1", 1))}`
        expect((yield* refused(sql`INSERT INTO gz_voting_rounds ${sql.insert(round("round-2", 1))}`)).constraint).toBe("gz_voting_rounds_number")
        expect((yield* refused(sql`INSERT INTO gz_voting_rounds ${sql.insert({ ...round("round-3", 3), participants: [] })}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_voting_rounds SET summary = 'rewritten' WHERE community_id = ${c}`)).code).toBe("42501")

        const objection = { community_id: c, proposal_id: p, objection_id: "obj-1", resident_id: "r-1", reason: "r", filed_at: 1, status: "pending" }
        yield* sql`INSERT INTO gz_voting_objections ${sql.insert(objection)}`
        const whereObj = sql`community_id = ${c} AND objection_id = 'obj-1'`
        expect((yield* refused(sql`UPDATE gz_voting_objections SET status = 'dismissed' WHERE ${whereObj}`)).constraint).toBe("gz_voting_objections_resolved")
        yield* sql`UPDATE gz_voting_objections SET status = 'dismissed', resolved_by = 'staff:s-1', resolved_at = 2, resolution = 'no' WHERE ${whereObj}`
        expect((yield* refused(sql`UPDATE gz_voting_objections SET status = 'upheld-void' WHERE ${whereObj}`)).code).toBe("23514")
        expect((yield* refused(sql`DELETE FROM gz_voting_objections WHERE ${whereObj}`)).code).toBe("42501")
      }))

    it.effect("objection period (0006): a closed proposal has its preliminary outcome and period end; 'void' only when decided", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const { c, p } = yield* openVote("objection", { objectionPeriodMs: 60_000 })
        const where = sql`community_id = ${c} AND proposal_id = ${p.id}`
        yield* Voting.closeProposal(committee(c), { communityId: c, proposalId: p.id })
        const [row] = yield* sql`SELECT status, outcome, objection_ends_at FROM gz_voting_proposals WHERE ${where}`
        expect(row).toMatchObject({ status: "closed" })
        expect(row!.outcome).not.toBeNull()
        expect((yield* refused(sql`UPDATE gz_voting_proposals SET objection_ends_at = NULL, version = version + 1 WHERE ${where}`)).constraint).toBe("gz_voting_proposals_objection")
        expect((yield* refused(sql`UPDATE gz_voting_proposals SET outcome = 'void', version = version + 1 WHERE ${where}`)).constraint).toBe("gz_voting_proposals_void")
        expect((yield* refused(sql`UPDATE gz_voting_proposals SET outcome = NULL, version = version + 1 WHERE ${where}`)).constraint).toBe("gz_voting_proposals_decided")
      }))
  })
})
