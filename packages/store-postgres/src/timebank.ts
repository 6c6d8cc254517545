/**
 * The time bank's store on PostgreSQL (tables in migration 0005).
 *
 * Concurrency: `updateService` is one `UPDATE ... WHERE version = record.version - 1`.
 * Under READ COMMITTED a second writer of the same service waits for the
 * first one's row lock and then re-checks the condition against the committed
 * row: it updates nothing and fails with `Conflict`, so two concurrent
 * confirmations credit a service once. `addTotals` is one atomic statement
 * (`INSERT ... ON CONFLICT DO UPDATE SET x = t.x + excluded.x`, or an
 * `UPDATE ... SET x = x + delta` when the delta takes something away), so
 * parallel additions never lose one.
 *
 * @since 0.1.0
 */
import type { Statement } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { AlreadyExists, type CommunityId, Conflict, TimeBank } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { PgModuleStoreFactory } from "./modules.js"
import { inTransaction, mapSqlError, onUniqueViolationOf } from "./sql.js"

type Row = Record<string, unknown>

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v))

const toServiceType = (r: Row) =>
  new TimeBank.ServiceType(
    {
      communityId: r.community_id as never,
      code: r.code as string,
      name: { "zh-CN": r.name_zh_cn as string, en: r.name_en as string },
      multiplierPermille: num(r.multiplier_permille),
      active: r.active as boolean,
      updatedAt: num(r.updated_at)
    },
    { disableValidation: true }
  )

const toDispute = (r: Row): TimeBank.Dispute | undefined =>
  r.dispute_reason === null
    ? undefined
    : {
        reason: r.dispute_reason as string,
        raisedBy: r.dispute_raised_by as string,
        raisedAt: num(r.dispute_raised_at),
        ...(r.resolution_outcome === null
          ? {}
          : {
              resolution: {
                outcome: r.resolution_outcome as "credit" | "reject",
                ...(r.resolution_minutes === null ? {} : { minutes: num(r.resolution_minutes) }),
                note: r.resolution_note as string,
                resolvedBy: r.resolved_by as string,
                resolvedAt: num(r.resolved_at)
              }
            })
      }

const toService = (r: Row) => {
  const dispute = toDispute(r)
  return new TimeBank.ServiceRecord(
    {
      communityId: r.community_id as never,
      id: r.service_id as never,
      providerId: r.provider_id as never,
      recipientId: r.recipient_id as never,
      serviceType: r.service_type as string,
      multiplierPermille: num(r.multiplier_permille),
      minutes: num(r.minutes),
      ...(r.started_at === null ? {} : { startedAt: num(r.started_at) }),
      ...(r.ended_at === null ? {} : { endedAt: num(r.ended_at) }),
      performedAt: num(r.performed_at),
      year: num(r.year),
      centiHours: num(r.centi_hours),
      note: r.note as string,
      status: r.status as TimeBank.ServiceStatus,
      recordedAt: num(r.recorded_at),
      recordedBy: r.recorded_by as string,
      ...(r.idempotency_key === null ? {} : { idempotencyKey: r.idempotency_key as string }),
      fingerprint: r.fingerprint as string,
      ...(r.confirmed_at === null ? {} : { confirmedAt: num(r.confirmed_at) }),
      ...(r.confirmed_by === null ? {} : { confirmedBy: r.confirmed_by as string }),
      ...(r.credit_tx_id === null ? {} : { creditTxId: r.credit_tx_id as never }),
      ...(dispute === undefined ? {} : { dispute }),
      ...(r.reversed_at === null ? {} : { reversedAt: num(r.reversed_at) }),
      ...(r.reversed_by === null ? {} : { reversedBy: r.reversed_by as string }),
      ...(r.reversal_tx_id === null ? {} : { reversalTxId: r.reversal_tx_id as never }),
      ...(r.reversal_reason === null ? {} : { reversalReason: r.reversal_reason as string }),
      version: num(r.version)
    },
    { disableValidation: true }
  )
}

/** Every column of a service but its key. */
const serviceColumns = (s: TimeBank.ServiceRecord) => ({
  provider_id: s.providerId,
  recipient_id: s.recipientId,
  service_type: s.serviceType,
  multiplier_permille: s.multiplierPermille,
  minutes: s.minutes,
  started_at: s.startedAt ?? null,
  ended_at: s.endedAt ?? null,
  performed_at: s.performedAt,
  year: s.year,
  centi_hours: s.centiHours,
  note: s.note,
  status: s.status,
  recorded_at: s.recordedAt,
  recorded_by: s.recordedBy,
  idempotency_key: s.idempotencyKey ?? null,
  fingerprint: s.fingerprint,
  confirmed_at: s.confirmedAt ?? null,
  confirmed_by: s.confirmedBy ?? null,
  credit_tx_id: s.creditTxId ?? null,
  dispute_reason: s.dispute?.reason ?? null,
  dispute_raised_by: s.dispute?.raisedBy ?? null,
  dispute_raised_at: s.dispute?.raisedAt ?? null,
  resolution_outcome: s.dispute?.resolution?.outcome ?? null,
  resolution_minutes: s.dispute?.resolution?.minutes ?? null,
  resolution_note: s.dispute?.resolution?.note ?? null,
  resolved_by: s.dispute?.resolution?.resolvedBy ?? null,
  resolved_at: s.dispute?.resolution?.resolvedAt ?? null,
  reversed_at: s.reversedAt ?? null,
  reversed_by: s.reversedBy ?? null,
  reversal_tx_id: s.reversalTxId ?? null,
  reversal_reason: s.reversalReason ?? null,
  version: s.version
})

const toTotals = (r: Row) =>
  new TimeBank.ResidentYearTotals(
    {
      communityId: r.community_id as never,
      residentId: r.resident_id as never,
      year: num(r.year),
      givenMinutes: num(r.given_minutes),
      givenCentiHours: num(r.given_centi_hours),
      servicesGiven: num(r.services_given),
      receivedMinutes: num(r.received_minutes),
      servicesReceived: num(r.services_received)
    },
    { disableValidation: true }
  )

/**
 * The time bank's store on PostgreSQL.
 *
 * @since 0.1.0
 * @category stores
 */
export const makeTimeBankStore: PgModuleStoreFactory<TimeBank.TimeBankStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  // `recorded_at >= 0` (always true) names the column: by_recorded is partial on it (migration 0009).
  const selectServices = (c: CommunityId, where: Statement.Fragment, limit?: number) =>
    sql`
      SELECT * FROM gz_timebank_services
      WHERE community_id = ${c} AND recorded_at >= 0 AND ${where}
      ORDER BY recorded_at, service_id
      ${limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, limit)}`}`.pipe(Effect.map((rows) => rows.map(toService)))

  /** At most one service, by a unique key; unordered, so no ordered index looks better than the key's. */
  const selectService = (c: CommunityId, where: Statement.Fragment) =>
    sql`SELECT * FROM gz_timebank_services WHERE community_id = ${c} AND ${where}`.pipe(
      Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toService))
    )

  return Context.make(
    TimeBank.TimeBankStore,
    TimeBank.TimeBankStore.of({
      getServiceType: (c, code) =>
        sql`SELECT * FROM gz_timebank_service_types WHERE community_id = ${c} AND code = ${code}`.pipe(
          mapSqlError("timebank.getServiceType"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toServiceType))
        ),
      upsertServiceType: (t) =>
        sql`
          INSERT INTO gz_timebank_service_types ${sql.insert({
            community_id: t.communityId,
            code: t.code,
            name_zh_cn: t.name["zh-CN"],
            name_en: t.name.en,
            multiplier_permille: t.multiplierPermille,
            active: t.active,
            updated_at: t.updatedAt
          })}
          ON CONFLICT (community_id, code) DO UPDATE SET
            name_zh_cn = excluded.name_zh_cn, name_en = excluded.name_en, multiplier_permille = excluded.multiplier_permille,
            active = excluded.active, updated_at = excluded.updated_at`.pipe(mapSqlError("timebank.upsertServiceType"), Effect.asVoid),
      listServiceTypes: (c) =>
        sql`SELECT * FROM gz_timebank_service_types WHERE community_id = ${c} ORDER BY code`.pipe(
          mapSqlError("timebank.listServiceTypes"),
          Effect.map((rows) => rows.map(toServiceType))
        ),

      insertService: (s) =>
        sql`INSERT INTO gz_timebank_services ${sql.insert({ community_id: s.communityId, service_id: s.id, ...serviceColumns(s) })}`.pipe(
          onUniqueViolationOf("timebank.insertService", {
            gz_timebank_services_pkey: () => new AlreadyExists({ entity: "TimeBankService", id: s.id }),
            gz_timebank_services_idempotency_key: () =>
              new AlreadyExists({ entity: "TimeBankService idempotency key", id: s.idempotencyKey ?? "" })
          }),
          Effect.asVoid
        ),
      getService: (c, id) => selectService(c, sql`service_id = ${id}`).pipe(mapSqlError("timebank.getService")),
      findServiceByKey: (c, key) =>
        Effect.gen(function* () {
          // Inside a command, lock the key first: a request whose key another one is committing
          // waits for it, and the next statement (a new snapshot) reads its result.
          if (yield* inTransaction) {
            yield* sql`SELECT pg_advisory_xact_lock(hashtextextended(${"gz_timebank:service-key:" + c + "\u001f" + key}, 0))`
          }
          return yield* selectService(c, sql`idempotency_key = ${key}`)
        }).pipe(mapSqlError("timebank.findServiceByKey")),
      updateService: (s) =>
        Effect.gen(function* () {
          // One statement: replaces the row only if it is at the previous version. A concurrent
          // writer of the same row waits for this one and then finds the version moved on.
          const updated = yield* sql`
            UPDATE gz_timebank_services SET ${sql.update(serviceColumns(s))}
            WHERE community_id = ${s.communityId} AND service_id = ${s.id} AND version = ${s.version - 1}
            RETURNING version`
          if (updated.length === 1) return
          const [found] = yield* sql`SELECT version FROM gz_timebank_services WHERE community_id = ${s.communityId} AND service_id = ${s.id}`
          return yield* Effect.fail(
            new Conflict({
              entity: "TimeBankService",
              id: s.id,
              detail: found === undefined ? "no such service" : `stored version ${num(found.version)}, update expects ${s.version - 1}`
            })
          )
        }).pipe(
          onUniqueViolationOf("timebank.updateService", {
            gz_timebank_services_credit_tx: () =>
              new Conflict({ entity: "TimeBankService", id: s.id, detail: `deposit ${s.creditTxId ?? ""} credits another service` }),
            gz_timebank_services_reversal_tx: () =>
              new Conflict({ entity: "TimeBankService", id: s.id, detail: `reversal ${s.reversalTxId ?? ""} reverses another service` })
          })
        ),
      listServices: (c, f) =>
        selectServices(
          c,
          sql.and([
            sql`true`,
            ...(f.providerId === undefined ? [] : [sql`provider_id = ${f.providerId}`]),
            ...(f.recipientId === undefined ? [] : [sql`recipient_id = ${f.recipientId}`]),
            ...(f.status === undefined ? [] : [sql`status = ${f.status}`])
          ]),
          f.limit
        ).pipe(mapSqlError("timebank.listServices")),

      addTotals: (c, residentId, year, d) => {
        const delta = [d.givenMinutes, d.givenCentiHours, d.servicesGiven, d.receivedMinutes, d.servicesReceived]
        // PostgreSQL checks the CHECK constraints (totals >= 0) on the proposed row of an
        // INSERT ... ON CONFLICT before it looks for the conflict, so a delta that takes
        // something away (a reversal) is added by an UPDATE of the existing row. Both
        // statements are atomic: concurrent additions wait for each other's row lock
        // and add to the committed value. Taking away from totals that do not exist
        // leaves them below zero: the INSERT then fails the constraints (a defect).
        const upsert = sql`
          INSERT INTO gz_timebank_totals AS t ${sql.insert({
            community_id: c,
            year,
            resident_id: residentId,
            given_minutes: d.givenMinutes,
            given_centi_hours: d.givenCentiHours,
            services_given: d.servicesGiven,
            received_minutes: d.receivedMinutes,
            services_received: d.servicesReceived
          })}
          ON CONFLICT (community_id, year, resident_id) DO UPDATE SET
            given_minutes = t.given_minutes + excluded.given_minutes,
            given_centi_hours = t.given_centi_hours + excluded.given_centi_hours,
            services_given = t.services_given + excluded.services_given,
            received_minutes = t.received_minutes + excluded.received_minutes,
            services_received = t.services_received + excluded.services_received`
        const subtract = Effect.gen(function* () {
          const updated = yield* sql`
            UPDATE gz_timebank_totals SET
              given_minutes = given_minutes + ${d.givenMinutes},
              given_centi_hours = given_centi_hours + ${d.givenCentiHours},
              services_given = services_given + ${d.servicesGiven},
              received_minutes = received_minutes + ${d.receivedMinutes},
              services_received = services_received + ${d.servicesReceived}
            WHERE community_id = ${c} AND year = ${year} AND resident_id = ${residentId}
            RETURNING year`
          if (updated.length === 0) yield* upsert
        })
        return (delta.some((x) => x < 0) ? subtract : upsert).pipe(mapSqlError("timebank.addTotals"), Effect.asVoid)
      },
      getTotals: (c, residentId, year) =>
        sql`SELECT * FROM gz_timebank_totals WHERE community_id = ${c} AND year = ${year} AND resident_id = ${residentId}`.pipe(
          mapSqlError("timebank.getTotals"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toTotals))
        ),
      getTotalsMany: (c, residentIds, year) =>
        residentIds.length === 0
          ? Effect.succeed([])
          : sql`SELECT * FROM gz_timebank_totals WHERE community_id = ${c} AND year = ${year}
              AND resident_id = ANY(${[...new Set(residentIds)]}::text[]) ORDER BY resident_id COLLATE "C"`.pipe(
              mapSqlError("timebank.getTotalsMany"),
              Effect.map((rows) => rows.map(toTotals))
            ),
      listTotals: (c, year) =>
        sql`SELECT * FROM gz_timebank_totals WHERE community_id = ${c} AND year = ${year} ORDER BY resident_id`.pipe(
          mapSqlError("timebank.listTotals"),
          Effect.map((rows) => rows.map(toTotals))
        )
    })
  )
})
