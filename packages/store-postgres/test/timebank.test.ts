/**
 * What only a database can prove for the time bank's store: its invariants
 * hold as constraints (a raw statement that breaks one is refused), yearly
 * totals add up exactly under concurrency, and concurrent confirmations of
 * one service credit it once.
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
  TimeBank,
  Transaction
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Option, Schedule } from "effect"
import { inject } from "vitest"
import { findPgError } from "../src/pg-errors.js"
import { migratedTestDatabase } from "./support/db.js"
import { buffersOf, explain } from "./support/plans.js"

/** A fresh, migrated database; the ports and a raw client on one pool. */
const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_timebank", maxConnections: 20 })

let counter = 0
const freshCommunity = (label: string) => `tb-${label}-${Date.now().toString(36)}-${counter++}` as CommunityId
const R = (id: string) => ResidentId.make(id)

/** The SQLSTATE (and constraint) a statement is refused with. */
const refused = <A, E, R>(statement: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(statement), (e) => {
    const pg = findPgError(e)
    return { code: pg?.code, constraint: pg?.constraint }
  })

/** Opens every pooled connection first, so that parallel work really overlaps. */
const warmPool = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.all(Array.from({ length: 20 }, () => sql`SELECT pg_sleep(0.05)`), { concurrency: "unbounded", discard: true })
)

const failureTag = (e: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(e) && e.cause._tag === "Fail" ? (e.cause.error as { _tag: string })._tag : Exit.isFailure(e) ? `cause:${e.cause._tag}` : undefined

/** A complete service row as the store writes it (pending, version 1). */
const serviceRow = (c: string, id: string, extra: Record<string, unknown> = {}) => ({
  community_id: c,
  service_id: id,
  provider_id: "r-1",
  recipient_id: "r-2",
  service_type: "elderly-care",
  multiplier_permille: 1500,
  minutes: 120,
  started_at: null,
  ended_at: null,
  performed_at: 1_700_000_000_000,
  year: 2023,
  centi_hours: 300,
  note: "",
  status: "pending",
  recorded_at: 1_700_007_300_000,
  recorded_by: "resident:r-1",
  idempotency_key: null,
  fingerprint: "f".repeat(64),
  confirmed_at: null,
  confirmed_by: null,
  credit_tx_id: null,
  dispute_reason: null,
  dispute_raised_by: null,
  dispute_raised_at: null,
  resolution_outcome: null,
  resolution_minutes: null,
  resolution_note: null,
  resolved_by: null,
  resolved_at: null,
  reversed_at: null,
  reversed_by: null,
  reversal_tx_id: null,
  reversal_reason: null,
  version: 1,
  ...extra
})
const confirmed = (tx: string) => ({ status: "credited", confirmed_at: 5, confirmed_by: "resident:r-2", credit_tx_id: tx })
const disputed = { status: "disputed", dispute_reason: "too long", dispute_raised_by: "resident:r-2", dispute_raised_at: 4 }
const resolution = (outcome: "credit" | "reject") => ({
  resolution_outcome: outcome, resolution_note: "", resolved_by: "staff:s-1", resolved_at: 6
})
const reversal = (tx: string) => ({ status: "reversed", reversed_at: 7, reversed_by: "staff:s-1", reversal_tx_id: tx, reversal_reason: "did not happen" })

const recordOf = (c: CommunityId, id: string, version = 1) =>
  new TimeBank.ServiceRecord({
    communityId: c,
    id: TimeBank.ServiceId.make(id),
    providerId: R("r-1"),
    recipientId: R("r-2"),
    serviceType: "elderly-care",
    multiplierPermille: 1500,
    minutes: 120,
    performedAt: 1_700_000_000_000,
    year: 2023,
    centiHours: 300,
    note: "",
    status: "pending",
    recordedAt: 1_700_007_300_000,
    recordedBy: "resident:r-1",
    fingerprint: "f".repeat(64),
    version
  })

const zero: TimeBank.TotalsDelta = { givenMinutes: 0, givenCentiHours: 0, servicesGiven: 0, receivedMinutes: 0, servicesReceived: 0 }

describe("timebank on a real PostgreSQL server", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("services: ids and idempotency keys are unique per community; amounts, statuses and spans are checked", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("unique")
        const d = freshCommunity("unique-other")
        const insert = (row: Record<string, unknown>) => sql`INSERT INTO gz_timebank_services ${sql.insert(row)}`
        yield* insert(serviceRow(c, "svc-1", { idempotency_key: "k" }))
        expect(yield* refused(insert(serviceRow(c, "svc-1")))).toEqual({ code: "23505", constraint: "gz_timebank_services_pkey" })
        expect(yield* refused(insert(serviceRow(c, "svc-2", { idempotency_key: "k" })))).toEqual({
          code: "23505", constraint: "gz_timebank_services_idempotency_key"
        })
        // another community has its own ids and keys; services without a key do not collide
        yield* insert(serviceRow(d, "svc-1", { idempotency_key: "k" }))
        yield* insert(serviceRow(c, "svc-3"))
        yield* insert(serviceRow(c, "svc-4"))

        const check = (extra: Record<string, unknown>) => Effect.map(refused(insert(serviceRow(c, "svc-x", extra))), (r) => r.code)
        for (const extra of [
          { minutes: 0 },
          { minutes: -30 },
          { centi_hours: 0 },
          { centi_hours: -300 },
          { multiplier_permille: 0 },
          { multiplier_permille: 100_001 },
          { status: "approved" },
          { status: "PENDING" },
          { version: 0 },
          { performed_at: -1 },
          { service_id: "bad id" },
          { service_type: "Elderly Care" }
        ]) {
          expect(yield* check(extra), JSON.stringify(extra)).toBe("23514")
        }
        expect((yield* refused(insert(serviceRow(c, "svc-x", { recipient_id: "r-1" })))).constraint).toBe("gz_timebank_services_not_self")
        expect((yield* refused(insert(serviceRow(c, "svc-x", { started_at: 1 })))).constraint).toBe("gz_timebank_services_span")
        expect((yield* refused(insert(serviceRow(c, "svc-x", { started_at: 10, ended_at: 10 })))).constraint).toBe("gz_timebank_services_span")
        yield* insert(serviceRow(c, "svc-span", { started_at: 1_700_000_000_000, ended_at: 1_700_007_200_000 }))
      }))

    it.effect("services: the confirmation, dispute and reversal sub-records fit the status; a deposit credits one service", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("state")
        const insert = (id: string, extra: Record<string, unknown>) =>
          sql`INSERT INTO gz_timebank_services ${sql.insert(serviceRow(c, id, extra))}`
        const constraintOf = (extra: Record<string, unknown>) =>
          Effect.map(refused(insert("svc-x", extra)), (r) => r.constraint)

        // all or nothing
        expect(yield* constraintOf({ status: "credited", credit_tx_id: "tx-1" })).toBe("gz_timebank_services_confirmation")
        expect(yield* constraintOf({ ...disputed, dispute_raised_at: null })).toBe("gz_timebank_services_dispute")
        expect(yield* constraintOf({ ...disputed, status: "rejected", resolution_outcome: "reject" })).toBe("gz_timebank_services_resolution")
        expect(yield* constraintOf({ ...confirmed("tx-1"), ...resolution("credit") })).toBe("gz_timebank_services_resolution")
        expect(yield* constraintOf({ ...confirmed("tx-1"), ...reversal("tx-2"), reversal_reason: null })).toBe("gz_timebank_services_reversal")
        expect(yield* constraintOf({ ...confirmed("tx-1"), ...reversal("tx-1") })).toBe("gz_timebank_services_reversal")
        // what each status allows
        expect(yield* constraintOf({ ...confirmed("tx-1"), status: "pending" })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...disputed, status: "pending" })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...disputed, ...resolution("credit") })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...disputed, ...confirmed("tx-1"), status: "disputed" })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...disputed, status: "rejected" })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...disputed, ...resolution("credit"), status: "rejected" })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...disputed, ...resolution("reject"), ...confirmed("tx-1") })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...confirmed("tx-1"), status: "reversed" })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ ...confirmed("tx-1"), ...reversal("tx-2"), status: "credited" })).toBe("gz_timebank_services_state")
        expect(yield* constraintOf({ status: "rejected" })).toBe("gz_timebank_services_state")

        // the shapes the core writes are accepted
        yield* insert("svc-credited", confirmed("tx-1"))
        yield* insert("svc-disputed", disputed)
        yield* insert("svc-rejected", { ...disputed, ...resolution("reject"), status: "rejected" })
        yield* insert("svc-resolved", { ...disputed, ...resolution("credit"), resolution_minutes: 60, ...confirmed("tx-3") })
        yield* insert("svc-reversed", { ...confirmed("tx-4"), ...reversal("tx-5") })
        // one deposit, one service; one reversal, one service
        expect(yield* refused(insert("svc-twice", confirmed("tx-1")))).toEqual({ code: "23505", constraint: "gz_timebank_services_credit_tx" })
        expect(yield* refused(insert("svc-twice", { ...confirmed("tx-6"), ...reversal("tx-5") }))).toEqual({
          code: "23505", constraint: "gz_timebank_services_reversal_tx"
        })
      }))

    it.effect("services: an update is the next version along the life cycle, and a credited service stays credited once", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("guard")
        yield* sql`INSERT INTO gz_timebank_services ${sql.insert(serviceRow(c, "svc-1"))}`
        const where = sql`community_id = ${c} AND service_id = 'svc-1'`
        const code = (statement: Effect.Effect<unknown, unknown>) => Effect.map(refused(statement), (r) => r.code)

        expect(yield* code(sql`UPDATE gz_timebank_services SET note = 'x', version = version + 2 WHERE ${where}`)).toBe("23514")
        expect(yield* code(sql`UPDATE gz_timebank_services SET note = 'x' WHERE ${where}`)).toBe("23514")
        expect(yield* code(sql`UPDATE gz_timebank_services SET provider_id = 'r-3', version = 2 WHERE ${where}`)).toBe("23514")
        expect(yield* code(sql`UPDATE gz_timebank_services SET recorded_at = 1, version = 2 WHERE ${where}`)).toBe("23514")
        expect(yield* code(sql`UPDATE gz_timebank_services SET status = 'rejected', ${sql.update(resolution("reject"))},
          ${sql.update({ dispute_reason: "r", dispute_raised_by: "resident:r-2", dispute_raised_at: 1 })}, version = 2 WHERE ${where}`)).toBe("23514")
        // pending -> credited
        yield* sql`UPDATE gz_timebank_services SET ${sql.update(confirmed("tx-1"))}, version = 2 WHERE ${where}`
        // credited is not undone, not credited again, and its amounts stay
        expect(yield* code(sql`UPDATE gz_timebank_services SET status = 'pending', confirmed_at = NULL, confirmed_by = NULL,
          credit_tx_id = NULL, version = 3 WHERE ${where}`)).toBe("23514")
        expect(yield* code(sql`UPDATE gz_timebank_services SET credit_tx_id = 'tx-2', version = 3 WHERE ${where}`)).toBe("23514")
        expect(yield* code(sql`UPDATE gz_timebank_services SET centi_hours = 600, minutes = 240, version = 3 WHERE ${where}`)).toBe("23514")
        // credited -> reversed, which is final
        yield* sql`UPDATE gz_timebank_services SET ${sql.update(reversal("tx-9"))}, version = 3 WHERE ${where}`
        expect(yield* code(sql`UPDATE gz_timebank_services SET note = 'x', version = 4 WHERE ${where}`)).toBe("23514")
        expect(yield* code(sql`UPDATE gz_timebank_services SET status = 'credited', reversed_at = NULL, reversed_by = NULL,
          reversal_tx_id = NULL, reversal_reason = NULL, version = 4 WHERE ${where}`)).toBe("23514")
        const [row] = yield* sql`SELECT status, version, credit_tx_id FROM gz_timebank_services WHERE ${where}`
        expect(row).toEqual({ status: "reversed", version: 3, credit_tx_id: "tx-1" })
      }))

    it.effect("service types: codes and multipliers are checked; one type per code and community", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("types")
        const type = (extra: Record<string, unknown> = {}) => ({
          community_id: c, code: "tutoring", name_zh_cn: "辅导", name_en: "Tutoring", multiplier_permille: 1200, active: true, updated_at: 1, ...extra
        })
        const insert = (row: Record<string, unknown>) => sql`INSERT INTO gz_timebank_service_types ${sql.insert(row)}`
        yield* insert(type())
        expect(yield* refused(insert(type()))).toEqual({ code: "23505", constraint: "gz_timebank_service_types_pkey" })
        for (const extra of [{ multiplier_permille: 0 }, { multiplier_permille: 100_001 }, { code: "Tutoring" }, { name_en: "" }]) {
          expect((yield* refused(insert(type({ ...extra, code: (extra as { code?: string }).code ?? "other" })))).code).toBe("23514")
        }
      }))

    it.effect("totals are never below zero: the database refuses it, and addTotals taking away too much fails as a typed Conflict", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* TimeBank.TimeBankStore
        const c = freshCommunity("totals")
        const row = (extra: Record<string, unknown>) => ({
          community_id: c, year: 2026, resident_id: "r-1", given_minutes: 0, given_centi_hours: 0, services_given: 0,
          received_minutes: 0, services_received: 0, ...extra
        })
        for (const column of ["given_minutes", "given_centi_hours", "services_given", "received_minutes", "services_received"]) {
          expect((yield* refused(sql`INSERT INTO gz_timebank_totals ${sql.insert(row({ [column]: -1 }))}`)).code).toBe("23514")
        }
        yield* sql`INSERT INTO gz_timebank_totals ${sql.insert(row({ given_minutes: 10, services_given: 1 }))}`
        expect((yield* refused(sql`UPDATE gz_timebank_totals SET services_given = services_given - 2 WHERE community_id = ${c}`)).code).toBe("23514")
        // PostgreSQL checks the proposed row of INSERT ... ON CONFLICT before the conflict: a negative
        // delta cannot go through the upsert, which is why addTotals subtracts with an UPDATE.
        expect((yield* refused(sql`
          INSERT INTO gz_timebank_totals AS t ${sql.insert(row({ given_minutes: -5 }))}
          ON CONFLICT (community_id, year, resident_id) DO UPDATE SET given_minutes = t.given_minutes + excluded.given_minutes`)).code).toBe("23514")

        // through the store: taking away works down to zero, and not below
        yield* store.addTotals(c, R("r-1"), 2026, { ...zero, givenMinutes: -10, servicesGiven: -1 })
        expect(Option.getOrThrow(yield* store.getTotals(c, R("r-1"), 2026))).toMatchObject({ givenMinutes: 0, servicesGiven: 0 })
        const below = yield* Effect.exit(store.addTotals(c, R("r-1"), 2026, { ...zero, givenMinutes: -1 }))
        // A violated constraint is a typed Conflict naming it (issue 20), never a defect.
        expect(Exit.isFailure(below) && Exit.causeOption(below).pipe(Option.map((x) => x._tag), Option.getOrNull)).toBe("Fail")
        expect(Exit.isFailure(below) && Option.getOrNull(Cause.failureOption(below.cause))).toMatchObject({ _tag: "Conflict", entity: "gz_timebank_totals" })
        const missing = yield* Effect.exit(store.addTotals(c, R("r-9"), 2026, { ...zero, receivedMinutes: -1, servicesReceived: -1 }))
        expect(Exit.isFailure(missing) && Option.getOrNull(Cause.failureOption(missing.cause))).toMatchObject({ _tag: "Conflict" })
        expect(yield* store.getTotals(c, R("r-9"), 2026)).toStrictEqual(Option.none())
        expect(Option.getOrThrow(yield* store.getTotals(c, R("r-1"), 2026))).toMatchObject({ givenMinutes: 0, servicesGiven: 0 })
      }))

    it.effect("100 parallel addTotals for one resident and year add up exactly (and 50 parallel subtractions too)", () =>
      Effect.gen(function* () {
        const store = yield* TimeBank.TimeBankStore
        const tx = yield* Transaction
        const c = freshCommunity("parallel")
        yield* warmPool
        // each in its own transaction, as the commands do; the row does not exist before
        yield* Effect.all(
          Array.from({ length: 100 }, (_, i) =>
            tx.run(store.addTotals(c, R("r-1"), 2026, { ...zero, givenMinutes: i + 1, givenCentiHours: 2 * (i + 1), servicesGiven: 1 }))
          ),
          { concurrency: "unbounded", discard: true }
        )
        expect({ ...Option.getOrThrow(yield* store.getTotals(c, R("r-1"), 2026)) }).toStrictEqual({
          communityId: c,
          residentId: "r-1",
          year: 2026,
          givenMinutes: 5050,
          givenCentiHours: 10100,
          servicesGiven: 100,
          receivedMinutes: 0,
          servicesReceived: 0
        })
        // parallel additions and subtractions mixed
        yield* Effect.all(
          Array.from({ length: 100 }, (_, i) =>
            i % 2 === 0
              ? tx.run(store.addTotals(c, R("r-1"), 2026, { ...zero, givenMinutes: -(i + 1), givenCentiHours: -2 * (i + 1), servicesGiven: -1 }))
              : tx.run(store.addTotals(c, R("r-1"), 2026, { ...zero, receivedMinutes: 3, servicesReceived: 1 }))
          ),
          { concurrency: "unbounded", discard: true }
        )
        // removed: 1 + 3 + ... + 99 = 2500
        expect(Option.getOrThrow(yield* store.getTotals(c, R("r-1"), 2026))).toMatchObject({
          givenMinutes: 2550,
          givenCentiHours: 5100,
          servicesGiven: 50,
          receivedMinutes: 150,
          servicesReceived: 50
        })
        expect((yield* store.listTotals(c, 2026)).length).toBe(1)
      }))

    it.effect("a service is read and updated by its id, and listed in order, in a few buffers among 20,000 services the statistics do not know", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* TimeBank.TimeBankStore
        const services = (c: CommunityId, n: number) => sql`
          INSERT INTO gz_timebank_services (community_id, service_id, provider_id, recipient_id, service_type, multiplier_permille,
            minutes, performed_at, year, centi_hours, note, status, recorded_at, recorded_by, fingerprint, version)
          SELECT ${c}, 'svc-' || i, 'r-' || (i % 400), 'r-' || (400 + i % 400), 'elderly-care', 1500,
            60, 1700000000000 + i, 2023, 150, '', 'pending', 1700000000000 + i * 1000, 'resident:r-1', repeat('f', 64), 1
          FROM generate_series(1, ${n}) i`
        // Statistics that know another community only: a new community is estimated at one row.
        yield* services(freshCommunity("plans-known"), 2000)
        yield* sql`ANALYZE gz_timebank_services`
        const c = freshCommunity("plans")
        yield* services(c, 20_000)

        const get = yield* explain(store.getService(c, TimeBank.ServiceId.make("svc-2500")))
        const found = Option.getOrThrow(get.result)
        const update = yield* explain(store.updateService(new TimeBank.ServiceRecord({ ...found, note: "checked", version: found.version + 1 })))
        const list = yield* explain(store.listServices(c, { limit: 20 }))
        expect(list.result.map((x) => x.id)).toEqual(Array.from({ length: 20 }, (_, i) => `svc-${i + 1}`))
        // Before migration 0009 the planner read these through another index that starts with
        // community_id (the deposit, reversal or recording-time index): every service of the community.
        expect(buffersOf(get.explained, "service_id")).toBeLessThan(20)
        expect(buffersOf(update.explained, "UPDATE gz_timebank_services")).toBeLessThan(50)
        expect(buffersOf(list.explained, "ORDER BY recorded_at")).toBeLessThan(30)
      }))

    it.effect("updateService: a concurrent writer of the same version waits for the row and then gets Conflict", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* TimeBank.TimeBankStore
        const tx = yield* Transaction
        const c = freshCommunity("optimistic")
        const v1 = recordOf(c, "svc-1")
        yield* store.insertService(v1)
        const first = new TimeBank.ServiceRecord({ ...v1, status: "disputed", dispute: { reason: "a", raisedBy: "resident:r-2", raisedAt: 1 }, version: 2 })
        const second = new TimeBank.ServiceRecord({ ...v1, note: "b", version: 2 })
        const updated = yield* Deferred.make<void>()
        // A updates, then keeps its transaction open until B is seen waiting for A's row lock.
        const a = tx.run(
          Effect.gen(function* () {
            yield* store.updateService(first)
            yield* Deferred.succeed(updated, undefined)
            // (pg_stat_activity is a snapshot per transaction: clear it before each look)
            yield* Effect.zipRight(sql`SELECT pg_stat_clear_snapshot()`, sql`
              SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND wait_event_type = 'Lock' AND query LIKE '%UPDATE gz_timebank_services%'`).pipe(
              Effect.flatMap(([r]) => (Number(r?.n) >= 1 ? Effect.void : Effect.fail("not yet" as const))),
              Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.compose(Schedule.recurs(250))))
            )
          })
        )
        const b = Effect.zipRight(Deferred.await(updated), tx.run(store.updateService(second)))
        const [ea, eb] = yield* Effect.all([Effect.exit(a), Effect.exit(b)], { concurrency: "unbounded" })
        expect(Exit.isSuccess(ea)).toBe(true)
        expect(failureTag(eb)).toBe("Conflict")
        expect(Option.getOrThrow(yield* store.getService(c, v1.id))).toStrictEqual(first)
      }))

    it.effect("two concurrent confirmations of one service through the commands credit it once", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("confirm")
        const snapshot = generateCommunity({ seed: 23, communityId: c, buildings: 1, floors: 4 })
        yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
        const [provider, ...others] = snapshot.residents
        const recipients = others.slice(0, 11)
        expect(recipients).toHaveLength(11)
        const actor = (id: ResidentId) => new ResidentActor({ communityId: c, residentId: id })
        const record = (recipient: ResidentId, minutes: number) =>
          Effect.map(
            TimeBank.recordService(actor(provider!.id), { communityId: c, providerId: provider!.id, recipientId: recipient, serviceType: "elderly-care", minutes }),
            (r) => r.service
          )
        // A first service opens the issuance and provider accounts.
        const warm = yield* record(recipients[0]!.id, 60)
        yield* TimeBank.confirmService(actor(recipients[0]!.id), { communityId: c, serviceId: warm.id })

        const services = yield* Effect.forEach(recipients.slice(1), (r, i) => record(r.id, 30 + 10 * i))
        yield* warmPool
        // Every service confirmed twice at the same time by its recipient: 20 confirmations at once.
        const results = yield* Effect.all(
          services.flatMap((s) =>
            [0, 1].map(() => Effect.exit(TimeBank.confirmService(actor(s.recipientId), { communityId: c, serviceId: s.id })))
          ),
          { concurrency: "unbounded" }
        )
        const tags: Record<string, number> = {}
        const entities: Record<string, number> = {}
        services.forEach((s, i) => {
          const pair = results.slice(2 * i, 2 * i + 2)
          expect(pair.filter(Exit.isSuccess), s.id).toHaveLength(1)
          const loser = pair.find(Exit.isFailure)!
          const tag = failureTag(loser)!
          tags[tag] = (tags[tag] ?? 0) + 1
          const entity = Exit.isFailure(loser) && loser.cause._tag === "Fail" ? (loser.cause.error as { entity?: string }).entity : undefined
          if (entity !== undefined) entities[entity] = (entities[entity] ?? 0) + 1
        })
        // The loser fails with a typed error: the deposit's idempotency key or the service's
        // version was taken (Conflict), or it read the service after the winner committed.
        for (const tag of Object.keys(tags)) expect(["Conflict", "AlreadyConfirmed"]).toContain(tag)

        const store = yield* TimeBank.TimeBankStore
        for (const s of services) {
          const stored = Option.getOrThrow(yield* store.getService(c, s.id))
          expect(stored).toMatchObject({ status: "credited", version: 2 })
          // each recipient received one service
          expect(Option.getOrThrow(yield* store.getTotals(c, s.recipientId, s.year))).toMatchObject({
            receivedMinutes: s.minutes, servicesReceived: 1
          })
        }
        // one deposit per service, and the provider's balance holds exactly those deposits
        const deposits = yield* sql`
          SELECT memo, count(*)::int AS n, sum(p.amount)::bigint AS credited
          FROM gz_ledger_transactions t
          JOIN gz_ledger_postings p ON p.community_id = t.community_id AND p.tx_id = t.tx_id AND p.amount > 0
          WHERE t.community_id = ${c} AND t.kind = 'timebank-deposit'
          GROUP BY memo`
        expect(deposits).toHaveLength(services.length + 1)
        for (const d of deposits) expect(d.n).toBe(1)
        const expected = [warm, ...services].reduce((sum, s) => sum + s.centiHours, 0)
        const treasurer = new StaffActor({ communityId: c, staffId: StaffId.make("s-treasurer"), roles: [Role.make("treasurer")], departments: [] })
        expect((yield* TimeBank.balance(treasurer, c, { _tag: "Resident", residentId: provider!.id })).balance).toBe(expected)
        const totals = Option.getOrThrow(yield* store.getTotals(c, provider!.id, warm.year))
        expect(totals).toMatchObject({
          servicesGiven: services.length + 1,
          givenMinutes: [warm, ...services].reduce((sum, s) => sum + s.minutes, 0),
          givenCentiHours: expected
        })
        // and one confirmation event per service in the journal
        const events = (yield* readJournal(c)).flatMap((e) => Option.toArray(decodeEntry(TimeBank.TimeBankEvent)(e)))
        expect(events.filter((e) => e._tag === "TimebankServiceConfirmed")).toHaveLength(services.length + 1)
        yield* Effect.log(`timebank: losers of the concurrent confirmations failed with ${JSON.stringify(tags)} ${JSON.stringify(entities)}`)
      }))
  })
})
