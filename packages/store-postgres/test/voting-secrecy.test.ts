/**
 * Issue 20, finding 1, on PostgreSQL: with SELECT on every table (system
 * columns, physical order, the journal), a reader cannot link a cast secret
 * ballot to its voter better than chance once it is mixed. Each attack from
 * the issue is run and measured against the truth the test knows:
 *
 * - xmin join of the markers with the ballots (and with the journal);
 * - ctid pairing of the markers' and the ballots' physical order;
 * - journal-order pairing of the cast events with the announced receipts;
 * - the household's unique area stored on each ballot.
 */
import { SqlClient } from "@effect/sql"
import { CommunityId, DirectoryWriter, ResidentActor, ResidentId, Role, StaffActor, StaffId, Voting } from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { inject } from "vitest"
import { migratedTestDatabase } from "./support/db.js"

const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_secrecy", maxConnections: 4 })

const c = CommunityId.make("secrecy")
const community = generateCommunity({ seed: 2026, communityId: c, buildings: 2 })
const committee = new StaffActor({ communityId: c, staffId: StaffId.make("s-committee"), roles: [Role.make("committee")], departments: [] })

describe("secret ballots on PostgreSQL: a reader of every table cannot link a ballot to its voter (issue 20)", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("xmin join, ctid pairing, journal order and unique area all fail once ballots are mixed", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* Effect.flatMap(DirectoryWriter, (w) => w.load(community))
        const p = yield* Voting.createProposal(committee, { communityId: c, title: "秘密表决", body: "b", rule: "civil-code-278-ordinary", secret: true })
        yield* Voting.scheduleProposal(committee, { communityId: c, proposalId: p.id })
        yield* Voting.openProposal(committee, { communityId: c, proposalId: p.id })
        const units = yield* sql`SELECT unit_id, household_ids FROM gz_voting_units WHERE community_id = ${c} AND proposal_id = ${p.id}`
        const unitOf = new Map<string, string>()
        for (const u of units) for (const h of u.household_ids as Array<string>) unitOf.set(h, u.unit_id as string)
        // The truth: which receipt is whose (voting unit).
        const truth = new Map<string, string>()
        const owners = community.households.filter((h) => h.ownerIds.length > 0)
        for (const [i, h] of owners.entries()) {
          const owner = ResidentId.make(h.ownerIds[0]!)
          const r = yield* Voting.castBallot(new ResidentActor({ communityId: c, residentId: owner }), {
            communityId: c, proposalId: p.id, residentId: owner, channel: "online",
            choice: { type: "yes-no", value: i % 3 === 0 ? "no" : "yes" }
          })
          truth.set(unitOf.get(h.id)!, r.receiptHash!)
        }
        const voters = truth.size
        expect(voters).toBeGreaterThanOrEqual(40)
        const correct = (pairs: ReadonlyArray<{ unit: string; receipt: string }>) => pairs.filter((x) => truth.get(x.unit) === x.receipt).length

        // 1. xmin join: markers with the ballot tables. Only ballots still waiting for a mix
        // (fewer than secretMixEvery, 10) share a transaction with their voter's marker.
        const xminJoin = (proposalId: string = p.id) =>
          sql`
            SELECT u.unit_id AS unit, b.receipt_hash AS receipt FROM gz_voting_units u
            JOIN (SELECT xmin, receipt_hash FROM gz_voting_secret_ballots WHERE community_id = ${c} AND proposal_id = ${proposalId}
                  UNION ALL SELECT xmin, receipt_hash FROM gz_voting_secret_mixed WHERE community_id = ${c} AND proposal_id = ${proposalId}) b
              ON b.xmin::text = u.xmin::text
            WHERE u.community_id = ${c} AND u.proposal_id = ${proposalId} AND u.voted`.pipe(Effect.map((rows) => rows.map((r) => ({ unit: r.unit as string, receipt: r.receipt as string }))))
        const [waiting] = yield* sql`SELECT count(*)::int AS n FROM gz_voting_secret_ballots WHERE community_id = ${c}`
        expect(waiting!.n).toBeLessThan(10)
        expect(correct(yield* xminJoin())).toBeLessThanOrEqual(waiting!.n as number)
        // Control: with mixing held back (as every ballot was before issue 20), the same join
        // links every ballot to its voter; the close's mix then breaks every link.
        const control = yield* Voting.createProposal(committee, { communityId: c, title: "对照", body: "b", rule: "civil-code-278-ordinary", secret: true })
        yield* Voting.scheduleProposal(committee, { communityId: c, proposalId: control.id })
        yield* Voting.openProposal(committee, { communityId: c, proposalId: control.id })
        const held = owners.slice(0, 12)
        for (const h of held) {
          const owner = ResidentId.make(h.ownerIds[0]!)
          const r = yield* Voting.castBallot(new ResidentActor({ communityId: c, residentId: owner }), {
            communityId: c, proposalId: control.id, residentId: owner, channel: "online", choice: { type: "yes-no", value: "yes" }
          }).pipe(Effect.provideService(Voting.VotingConfig, { ...Voting.defaultVotingConfig, secretMixEvery: 1_000 }))
          truth.set(`control:${unitOf.get(h.id)!}`, r.receiptHash!)
        }
        const controlLinks = (yield* xminJoin(control.id)).map((x) => ({ unit: `control:${x.unit}`, receipt: x.receipt }))
        expect(correct(controlLinks)).toBe(held.length)
        yield* Voting.closeProposal(committee, { communityId: c, proposalId: control.id })
        expect(yield* xminJoin(control.id)).toEqual([])
        for (const k of [...truth.keys()]) if (k.startsWith("control:")) truth.delete(k)

        // The journal entries a voter's transaction wrote carry no receipt and no choice.
        const journalJoin = yield* sql`
          SELECT j.payload FROM gz_journal j JOIN gz_voting_units u ON j.xmin::text = u.xmin::text
          WHERE j.community_id = ${c} AND u.community_id = ${c}`
        expect(journalJoin.length).toBeGreaterThan(0)
        for (const r of journalJoin) expect(Object.keys(r.payload as object).sort()).toEqual(["_tag", "proposalId", "replaced"])

        yield* Voting.closeProposal(committee, { communityId: c, proposalId: p.id })
        expect(yield* xminJoin()).toEqual([])

        // 2. ctid pairing: the markers in physical order (the order they were updated) against the
        // mixed ballots in physical order. A random permutation matches ~1 per mixed batch.
        const markers = yield* sql`SELECT unit_id FROM gz_voting_units WHERE community_id = ${c} AND proposal_id = ${p.id} AND voted ORDER BY ctid`
        const bag = yield* sql`SELECT receipt_hash FROM gz_voting_secret_mixed WHERE community_id = ${c} AND proposal_id = ${p.id} ORDER BY ctid`
        expect(bag.length).toBe(voters)
        const byCtid = markers.map((m, i) => ({ unit: m.unit_id as string, receipt: bag[i]?.receipt_hash as string }))
        expect(correct(byCtid)).toBeLessThanOrEqual(Math.ceil(voters / 4))

        // 3. journal order: the i-th cast event against the i-th receipt announced.
        const journal = yield* sql`SELECT payload FROM gz_journal WHERE community_id = ${c} AND payload->>'proposalId' = ${p.id} ORDER BY seq`
        const castOrder = journal.map((r) => r.payload as Record<string, unknown>).filter((e) => e._tag === "VotingBallotCast")
        expect(castOrder.every((e) => e.receiptHash === undefined)).toBe(true)
        const announced = journal.map((r) => r.payload as Record<string, unknown>)
          .filter((e) => e._tag === "VotingSecretBallotsMixed").flatMap((e) => e.receiptHashes as Array<string>)
        expect(new Set(announced)).toEqual(new Set(truth.values()))
        const voteOrder = [...truth.keys()]
        expect(correct(voteOrder.map((unit, i) => ({ unit, receipt: announced[i]! })))).toBeLessThanOrEqual(Math.ceil(voters / 4))

        // 4. unique area: no ballot row carries a household's weights; only per-choice sums remain.
        const columns = yield* sql`
          SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'gz_voting_secret_mixed' ORDER BY ordinal_position`
        expect(columns.map((r) => r.column_name)).toEqual(["community_id", "proposal_id", "receipt_hash", "choice"])
        const [left] = yield* sql`SELECT count(*)::int AS n FROM gz_voting_secret_ballots WHERE community_id = ${c} AND proposal_id = ${p.id}`
        expect(left!.n).toBe(0)
        const totals = yield* sql`SELECT ballots FROM gz_voting_secret_totals WHERE community_id = ${c} AND proposal_id = ${p.id}`
        expect(totals.length).toBeLessThanOrEqual(4)
        expect(totals.every((t) => Number(t.ballots) > 1)).toBe(true)

        // Receipts keep working and the tally verifies.
        const [someUnit, someReceipt] = [...truth.entries()][0]!
        expect(someUnit.length).toBeGreaterThan(0)
        const verified = yield* Voting.verifyTally(committee, c, p.id)
        expect(verified).toMatchObject({ ok: true, problems: [] })
        const mixed = yield* Effect.flatMap(Voting.VotingStore, (s) => s.getMixedBallot(c, p.id, someReceipt))
        expect(mixed._tag).toBe("Some")
      }))
  })
})
