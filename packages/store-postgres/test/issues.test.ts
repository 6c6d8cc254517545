/**
 * What only a database can prove for the issues store: its invariants hold as
 * constraints (a raw statement that breaks one is refused: the timeline is
 * append-only and gap-free, case numbers are unique per community, every
 * update is a new version; a report key belongs to one existing case and is
 * never changed), concurrent reporters get gap-free numbers, concurrent
 * retries under one idempotency key file one case, and concurrent updates of
 * one case never lose a timeline step.
 */
import { SqlClient } from "@effect/sql"
import {
  ChinaCalendar,
  type CommunityId,
  DirectoryWriter,
  Issues,
  ResidentActor,
  StaffActor,
  Transaction
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Clock, Deferred, Effect, Exit, Fiber, Option } from "effect"
import { inject } from "vitest"
import { findPgError } from "../src/pg-errors.js"
import { migratedTestDatabase } from "./support/db.js"
import { buffersOf, explain } from "./support/plans.js"

/** A fresh, migrated database; the ports and a raw client on one pool. */
const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_issues", maxConnections: 24 })

let counter = 0
const freshCommunity = (label: string) => `is-${label}-${Date.now().toString(36)}-${counter++}` as CommunityId

const fixedClock = (millis: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  sleep: () => Effect.void
})

/**
 * Runs commands on Wednesday 30 Sep 2026, 10:00 in Shanghai (inside the
 * published holiday data; the default clock of a test would be in 1970).
 */
const SEP30 = Date.parse("2026-09-30T02:00:00Z")
const onSep30 = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.provide(ChinaCalendar.layerDefault), Effect.withClock(fixedClock(SEP30)))

/** Loads a small community; its resident and staff actors. */
const community = (label: string) =>
  Effect.gen(function* () {
    const c = freshCommunity(label)
    const snapshot = generateCommunity({ seed: 7, communityId: c, buildings: 1, floors: 2 })
    yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
    const staff = (id: string) => {
      const s = snapshot.staff.find((x) => x.id === id)!
      return new StaffActor({ communityId: c, staffId: s.id, roles: s.roles, departments: s.departments })
    }
    const residents = snapshot.residents.map((r) => new ResidentActor({ communityId: c, residentId: r.id }))
    return { c, staff, residents }
  })

const report = (c: CommunityId, i: number) => ({
  communityId: c,
  typeId: "street-light",
  location: { buildingId: "b-1" },
  description: `灯不亮 #${i}`,
  channel: "app" as const
})

/** Opens every pooled connection first, so that the commands really overlap. */
const warmPool = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.all(Array.from({ length: 24 }, () => sql`SELECT pg_sleep(0.05)`), { concurrency: "unbounded", discard: true })
)

/** The SQLSTATE (and constraint) a statement is refused with. */
const refused = <A, E, R>(statement: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(statement), (e) => {
    const pg = findPgError(e)
    return { code: pg?.code, constraint: pg?.constraint }
  })

const failureOf = (e: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(e) && e.cause._tag === "Fail" ? (e.cause.error as { _tag: string }) : undefined

const deadline = (dueAt: number): Issues.Deadline => ({ unit: "hours", amount: 1, dueAt, warnAt: dueAt, warned: false, breached: false })

/** A valid case record for direct store calls. */
const record = (c: CommunityId, id: string, number: string, o: Partial<Issues.IssueCase> = {}): Issues.IssueCase => ({
  communityId: c,
  id: Issues.CaseId.make(id),
  number,
  typeId: Issues.CaseTypeId.make("street-light"),
  priority: "normal",
  status: "submitted",
  channel: "app" as const,
  location: { buildingId: "b-1" as never },
  description: "路灯不亮",
  photos: [],
  attributes: {},
  anonymous: false,
  reporter: { residentId: "r-1" as never, phone: "13812345678" },
  followers: [],
  assisting: [],
  returns: 0,
  receivedAt: 1000,
  response: deadline(5000),
  resolution: deadline(9000),
  publicExpectedDate: "2026-10-15" as Issues.IssueCase["publicExpectedDate"],
  followUps: [],
  reopenCount: 0,
  mediation: [],
  timeline: [{ seq: 1, kind: "submitted", at: 1000, actor: "resident:r-1", actorKind: "reporter", visibility: "public" }],
  nextDueAt: 5000,
  createdAt: 1000,
  updatedAt: 1000,
  version: 1,
  ...o
})

const step = (seq: number, note: string): Issues.TimelineStep => ({
  seq,
  kind: "note",
  at: 1000 + seq,
  actor: "staff:s-1",
  actorKind: "staff",
  visibility: "internal",
  note
})

describe("issues on a real PostgreSQL server", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("a case is read and updated by its id in a few buffers among 10,000 cases the statistics do not know; lists still read in order", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* Issues.IssueStore
        /** `n` copies of one case, created one millisecond apart. */
        const cases = (c: CommunityId, n: number) =>
          Effect.zipRight(
            store.insertCase(record(c, "case-0", "2026-000000", { timeline: [] })),
            sql`
              INSERT INTO gz_issues_cases
              SELECT x.*
              FROM gz_issues_cases t, generate_series(1, ${n}) i,
                   jsonb_populate_record(t, jsonb_build_object(
                     'case_id', 'case-' || i, 'number', '2026-' || lpad(i::text, 6, '0'), 'created_at', t.created_at + i)) x
              WHERE t.community_id = ${c} AND t.case_id = 'case-0'`
          )
        // Statistics that know another community only: a new community is estimated at one row.
        yield* cases(freshCommunity("plans-known"), 2000)
        yield* sql`ANALYZE gz_issues_cases`
        const c = freshCommunity("plans")
        yield* cases(c, 10_000)

        const get = yield* explain(store.getCase(c, Issues.CaseId.make("case-5000")))
        const found = Option.getOrThrow(get.result)
        const update = yield* explain(store.updateCase({ ...found, timeline: [step(1, "checked")], version: found.version + 1 }, found.version))
        const list = yield* explain(store.listCases(c, { limit: 20 }))
        expect(list.result.map((x) => x.id)).toEqual(Array.from({ length: 20 }, (_, i) => `case-${i}`))
        // Before migration 0009 the planner found the case through the creation-time index (the
        // case id is its last column): every case of the community, for each command on a case.
        expect(buffersOf(get.explained, "FOR UPDATE")).toBeLessThan(10)
        expect(buffersOf(get.explained, "SELECT c.*")).toBeLessThan(20)
        expect(buffersOf(update.explained, "WITH cur AS")).toBeLessThan(60)
        expect(buffersOf(list.explained, "ORDER BY c.created_at")).toBeLessThan(100)
      }))

    it.effect("the timeline is append-only and gap-free: the database refuses UPDATE, DELETE, TRUNCATE and gaps", () =>
      Effect.gen(function* () {
        const c = freshCommunity("timeline")
        const store = yield* Issues.IssueStore
        const v1 = record(c, "case-1", "2026-000001")
        yield* store.insertCase(v1)
        yield* store.updateCase({ ...v1, timeline: [...v1.timeline, step(2, "first")], version: 2 }, 1)
        const sql = yield* SqlClient.SqlClient
        const where = sql`community_id = ${c} AND case_id = 'case-1'`

        expect(yield* refused(sql`UPDATE gz_issues_timeline SET note = 'rewritten' WHERE ${where} AND position = 1`)).toMatchObject({ code: "42501" })
        expect(yield* refused(sql`UPDATE gz_issues_timeline SET kind = 'rejected' WHERE ${where}`)).toMatchObject({ code: "42501" })
        expect(yield* refused(sql`DELETE FROM gz_issues_timeline WHERE ${where} AND position = 1`)).toMatchObject({ code: "42501" })
        expect(yield* refused(sql`TRUNCATE gz_issues_timeline`)).toMatchObject({ code: "42501" })
        // A step must go at the next position (no gap), with seq = position + 1.
        const insert = (position: number, seq: number) =>
          sql`INSERT INTO gz_issues_timeline (community_id, case_id, position, seq, kind, at, actor, actor_kind, visibility)
              VALUES (${c}, 'case-1', ${position}, ${seq}, 'note', 3000, 'staff:s-1', 'staff', 'internal')`
        expect(yield* refused(insert(3, 4))).toMatchObject({ code: "23514" })
        expect(yield* refused(insert(2, 7))).toMatchObject({ code: "23514", constraint: "gz_issues_timeline_seq" })
        expect(yield* refused(insert(1, 2))).toMatchObject({ code: "23505", constraint: "gz_issues_timeline_pkey" })
        // Steps belong to an existing case.
        expect(yield* refused(sql`
          INSERT INTO gz_issues_timeline (community_id, case_id, position, seq, kind, at, actor, actor_kind, visibility)
          VALUES (${c}, 'no-such-case', 0, 1, 'submitted', 3000, 'staff:s-1', 'staff', 'internal')`)).toMatchObject({ code: "23503" })

        const rows = yield* sql`SELECT position, seq, kind, note FROM gz_issues_timeline WHERE ${where} ORDER BY position`
        expect(rows).toEqual([
          { position: 0, seq: 1, kind: "submitted", note: null },
          { position: 1, seq: 2, kind: "note", note: "first" }
        ])
        // Through the store: a timeline that rewrites or drops a stored step is a Conflict and changes nothing.
        const v2 = Option.getOrThrow(yield* store.getCase(c, v1.id))
        expect(yield* Effect.flip(store.updateCase({ ...v2, timeline: [v2.timeline[0]!, step(2, "rewritten"), step(3, "x")].map((s, i) => i === 1 ? { ...s, kind: "accepted" as const } : s), version: 3 }, 2)))
          .toMatchObject({ _tag: "Conflict" })
        expect(yield* Effect.flip(store.updateCase({ ...v2, timeline: [v2.timeline[0]!], version: 3 }, 2))).toMatchObject({ _tag: "Conflict" })
        expect(Option.getOrThrow(yield* store.getCase(c, v1.id))).toStrictEqual(v2)
      }))

    it.effect("case numbers are unique per community; every update is a new version and keeps id and number", () =>
      Effect.gen(function* () {
        const c = freshCommunity("numbers")
        const d = freshCommunity("numbers")
        const store = yield* Issues.IssueStore
        yield* store.insertCase(record(c, "case-1", "2026-000001"))
        yield* store.insertCase(record(d, "case-1", "2026-000001"))
        const sql = yield* SqlClient.SqlClient
        // A raw copy of case-1 under another id, same number: refused by the unique key.
        const copy = (id: string, number: string) => sql`
          INSERT INTO gz_issues_cases
          SELECT (jsonb_populate_record(NULL::gz_issues_cases, to_jsonb(x) || jsonb_build_object('case_id', ${id}::text, 'number', ${number}::text))).*
          FROM gz_issues_cases x WHERE x.community_id = ${c} AND x.case_id = 'case-1'`
        expect(yield* refused(copy("case-2", "2026-000001"))).toEqual({ code: "23505", constraint: "gz_issues_cases_number" })
        expect(yield* refused(copy("case-1", "2026-000002"))).toEqual({ code: "23505", constraint: "gz_issues_cases_pkey" })
        expect(yield* refused(copy("case-3", "26-1"))).toMatchObject({ code: "23514" })
        yield* copy("case-2", "2026-000002")

        // The store reports a taken number as AlreadyExists, and the caller's transaction stays usable.
        const tx = yield* Transaction
        const outcome = yield* tx.run(
          Effect.gen(function* () {
            const dup = yield* Effect.flip(store.insertCase(record(c, "case-9", "2026-000001")))
            const taken = yield* Effect.flip(store.insertCase(record(c, "case-1", "2026-000009")))
            yield* store.insertCase(record(c, "case-3", "2026-000003"))
            return [dup, taken]
          })
        )
        expect(outcome).toMatchObject([{ _tag: "AlreadyExists", entity: "IssueCaseNumber" }, { _tag: "AlreadyExists", entity: "IssueCase" }])
        expect(Option.isSome(yield* store.getCase(c, Issues.CaseId.make("case-3")))).toBe(true)

        // Versions: +1 on every update; id and number never change; a case with steps is not deleted.
        const where = sql`community_id = ${c} AND case_id = 'case-1'`
        expect(yield* refused(sql`UPDATE gz_issues_cases SET description = 'x' WHERE ${where}`)).toMatchObject({ code: "23514" })
        expect(yield* refused(sql`UPDATE gz_issues_cases SET version = version + 2 WHERE ${where}`)).toMatchObject({ code: "23514" })
        expect(yield* refused(sql`UPDATE gz_issues_cases SET number = '2026-000042', version = version + 1 WHERE ${where}`)).toMatchObject({ code: "23514" })
        expect(yield* refused(sql`DELETE FROM gz_issues_cases WHERE ${where}`)).toMatchObject({ code: "23503" })
        // Other invariants as checks: a location, a whole pending extension, a closure only with its resolution.
        expect(yield* refused(sql`UPDATE gz_issues_cases SET building_id = NULL, version = version + 1 WHERE ${where}`)).toMatchObject({ code: "23514", constraint: "gz_issues_cases_location" })
        expect(yield* refused(sql`UPDATE gz_issues_cases SET extension_amount = 3, version = version + 1 WHERE ${where}`)).toMatchObject({ code: "23514", constraint: "gz_issues_cases_extension" })
        expect(yield* refused(sql`UPDATE gz_issues_cases SET duplicate_of = 'case-1', version = version + 1 WHERE ${where}`)).toMatchObject({ code: "23514" })
        expect(yield* refused(sql`UPDATE gz_issues_cases SET duplicate_of = 'nowhere', version = version + 1 WHERE ${where}`)).toMatchObject({ code: "23503" })
        expect(yield* refused(sql`UPDATE gz_issues_cases SET status = 'lost', version = version + 1 WHERE ${where}`)).toMatchObject({ code: "23514" })
        yield* sql`UPDATE gz_issues_cases SET description = 'fixed by hand', version = version + 1 WHERE ${where}`
        expect(Option.getOrThrow(yield* store.getCase(c, Issues.CaseId.make("case-1")))).toMatchObject({ description: "fixed by hand", version: 2 })
        // The reporter is kept in columns of its own.
        const [who] = yield* sql`SELECT reporter_resident_id, reporter_phone FROM gz_issues_cases WHERE ${where}`
        expect(who).toEqual({ reporter_resident_id: "r-1", reporter_phone: "13812345678" })
      }))

    it.effect("report keys: one per key and per case, of an existing case, never changed; 10 concurrent retries file one case", () =>
      Effect.gen(function* () {
        const c = freshCommunity("keys")
        const store = yield* Issues.IssueStore
        const sql = yield* SqlClient.SqlClient
        yield* store.insertCase(record(c, "case-1", "2026-000001"))
        yield* store.insertCase(record(c, "case-2", "2026-000002"))
        yield* store.insertReportKey({ communityId: c, key: "k-1", caseId: Issues.CaseId.make("case-1"), fingerprint: "f1", createdAt: 1 })
        const insert = (key: string, caseId: string) =>
          sql`INSERT INTO gz_issues_report_keys (community_id, idempotency_key, case_id, fingerprint, created_at)
              VALUES (${c}, ${key}, ${caseId}, 'f', 2)`
        expect(yield* refused(insert("k-1", "case-2"))).toEqual({ code: "23505", constraint: "gz_issues_report_keys_pkey" })
        expect(yield* refused(insert("k-2", "case-1"))).toEqual({ code: "23505", constraint: "gz_issues_report_keys_case" })
        expect(yield* refused(insert("k-3", "no-such-case"))).toMatchObject({ code: "23503" })
        expect(yield* refused(insert("", "case-2"))).toMatchObject({ code: "23514" })
        const where = sql`community_id = ${c} AND idempotency_key = 'k-1'`
        expect(yield* refused(sql`UPDATE gz_issues_report_keys SET fingerprint = 'other' WHERE ${where}`)).toMatchObject({ code: "42501" })
        expect(yield* refused(sql`DELETE FROM gz_issues_report_keys WHERE ${where}`)).toMatchObject({ code: "42501" })

        // Through the commands: a client retrying one report 10 times at once gets one case.
        const { c: d, residents } = yield* community("retries")
        yield* warmPool
        const results = yield* Effect.all(
          Array.from({ length: 10 }, () => onSep30(Issues.submitReport(residents[0]!, { ...report(d, 0), idempotencyKey: "retry-1" }))),
          { concurrency: "unbounded" }
        )
        expect(new Set(results.map((r) => r.caseId)).size).toBe(1)
        expect(results.map((r) => r.number)).toStrictEqual(Array.from({ length: 10 }, () => "2026-000001"))
        const [n] = yield* sql`SELECT count(*)::int AS n FROM gz_issues_cases WHERE community_id = ${d}`
        expect(n!.n).toBe(1)
        const journal = yield* sql`SELECT type FROM gz_journal WHERE community_id = ${d} AND type = 'IssueReportSubmitted'`
        expect(journal).toHaveLength(1)
        // The number the losers took was rolled back: the next report is 2.
        expect((yield* onSep30(Issues.submitReport(residents[0]!, report(d, 1)))).number).toBe("2026-000002")
      }))

    it.effect("20 concurrent reports in one community get case numbers 1..20, no gaps, no duplicates", () =>
      Effect.gen(function* () {
        const { c, residents } = yield* community("twenty")
        yield* warmPool
        const results = yield* Effect.all(
          Array.from({ length: 20 }, (_, i) => onSep30(Issues.submitReport(residents[i % residents.length]!, report(c, i)))),
          { concurrency: "unbounded" }
        )
        const numbers = results.map((r) => r.number).sort()
        expect(numbers).toStrictEqual(Array.from({ length: 20 }, (_, i) => `2026-${String(i + 1).padStart(6, "0")}`))
        expect(new Set(results.map((r) => r.caseId)).size).toBe(20)

        const sql = yield* SqlClient.SqlClient
        const [counter] = yield* sql`SELECT n FROM gz_issues_counters WHERE community_id = ${c} AND year = 2026`
        expect(Number(counter!.n)).toBe(20)
        const stored = yield* sql`SELECT number FROM gz_issues_cases WHERE community_id = ${c} ORDER BY number`
        expect(stored.map((r) => r.number)).toStrictEqual(numbers)
        // The next report continues the sequence.
        const next = yield* onSep30(Issues.submitReport(residents[0]!, report(c, 20)))
        expect(next.number).toBe("2026-000021")
      }))

    it.effect("two concurrent updates of one case through the commands both land, in turn, and never lose a timeline step", () =>
      Effect.gen(function* () {
        const { c, staff, residents } = yield* community("race")
        const r = yield* onSep30(Issues.submitReport(residents[0]!, report(c, 0)))
        const ref = { communityId: c, caseId: r.caseId }
        const clerk = staff("s-clerk")
        const dispatcher = staff("s-dispatcher")
        yield* warmPool
        const won: Array<string> = []
        let conflicts = 0
        for (let round = 0; round < 15; round++) {
          const notes = [`clerk ${round}`, `dispatcher ${round}`]
          const outcomes = yield* Effect.all(
            [
              Effect.exit(onSep30(Issues.addNote(clerk, { ...ref, note: notes[0] }))),
              Effect.exit(onSep30(Issues.addNote(dispatcher, { ...ref, note: notes[1] })))
            ],
            { concurrency: "unbounded" }
          )
          outcomes.forEach((o, i) => {
            if (Exit.isSuccess(o)) won.push(notes[i]!)
            else {
              // The only acceptable refusal is a lost race, reported as such.
              expect(failureOf(o)).toMatchObject({ _tag: "Conflict" })
              conflicts++
            }
          })
          expect(outcomes.some(Exit.isSuccess)).toBe(true)
        }
        const store = yield* Issues.IssueStore
        const final = Option.getOrThrow(yield* store.getCase(c, r.caseId))
        const noted = final.timeline.filter((s) => s.kind === "note").map((s) => s.note)
        // Every successful command's step is there, once, and nothing else.
        expect([...noted].sort()).toStrictEqual([...won].sort())
        expect(final.timeline.map((s) => s.seq)).toStrictEqual(Array.from({ length: 1 + won.length }, (_, i) => i + 1))
        expect(final.version).toBe(1 + won.length)
        expect(won.length + conflicts).toBe(30)
        // Commands on one case queue up behind the case's row lock, as in the memory store: none is refused.
        expect(conflicts).toBe(0)
        const sql = yield* SqlClient.SqlClient
        const [rows] = yield* sql`SELECT count(*)::int AS n, max(position) AS last FROM gz_issues_timeline WHERE community_id = ${c} AND case_id = ${r.caseId}`
        expect(rows).toEqual({ n: 1 + won.length, last: won.length })
      }))

    it.effect("an update that waits for a concurrent one finds the version moved on: Conflict, and the first step stays", () =>
      Effect.gen(function* () {
        const c = freshCommunity("wait")
        const store = yield* Issues.IssueStore
        const tx = yield* Transaction
        const v1 = record(c, "case-1", "2026-000001")
        yield* store.insertCase(v1)
        const updated = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        // The first transaction updates the case and holds its row lock until released.
        const first = yield* Effect.fork(tx.run(Effect.gen(function* () {
          const cur = Option.getOrThrow(yield* store.getCase(c, v1.id))
          yield* store.updateCase({ ...cur, timeline: [...cur.timeline, step(2, "first")], version: 2 }, 1)
          yield* Deferred.succeed(updated, undefined)
          yield* Deferred.await(release)
        })))
        yield* Deferred.await(updated)
        // The second read version 1 outside any transaction (no lock; the first has not committed),
        // and its update now waits for the first's row lock.
        const stale = Option.getOrThrow(yield* store.getCase(c, v1.id))
        expect(stale.version).toBe(1)
        const second = yield* Effect.fork(tx.run(
          store.updateCase({ ...stale, timeline: [...stale.timeline, step(2, "second")], version: 2 }, 1)
        ))
        yield* Effect.sleep("200 millis")
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(first)
        const lost = yield* Fiber.await(second)
        expect(failureOf(lost)).toMatchObject({ _tag: "Conflict" })
        const final = Option.getOrThrow(yield* store.getCase(c, v1.id))
        expect(final.version).toBe(2)
        expect(final.timeline.map((s) => s.note ?? s.kind)).toStrictEqual(["submitted", "first"])
      }))
  })
})
