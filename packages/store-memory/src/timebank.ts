/**
 * The time bank's store in memory.
 *
 * @since 0.1.0
 */
import { AlreadyExists, Conflict, TimeBank } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { ModuleStoreFactory } from "./modules.js"

const k = (...parts: ReadonlyArray<string | number>) => parts.join("\u0000")
const yearKey = (year: number) => String(year).padStart(6, "0")

const SERVICES = "timebank_services"
const SERVICE_KEYS = "timebank_service_keys"
const TYPES = "timebank_service_types"
const TOTALS = "timebank_totals"

const byRecorded = (a: TimeBank.ServiceRecord, b: TimeBank.ServiceRecord) =>
  a.recordedAt !== b.recordedAt ? a.recordedAt - b.recordedAt : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * The memory adapter's `TimeBankStore`: records are stored as given (never
 * mutated in place, so a rollback restores them exactly).
 *
 * @since 0.1.0
 * @category stores
 */
export const makeTimeBankStore: ModuleStoreFactory<TimeBank.TimeBankStore> = (db, run) => {
  const read = <A>(f: () => A) => run(Effect.sync(f))
  return Context.make(
    TimeBank.TimeBankStore,
    TimeBank.TimeBankStore.of({
      getServiceType: (c, code) => read(() => Option.fromNullable(db.get<TimeBank.ServiceType>(TYPES, k(c, code)))),
      upsertServiceType: (t) => read(() => db.set(TYPES, k(t.communityId, t.code), t)),
      listServiceTypes: (c) =>
        read(() =>
          db.values<TimeBank.ServiceType>(TYPES, k(c, "")).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
        ),

      insertService: (s) =>
        run(
          Effect.suspend(() => {
            if (db.has(SERVICES, k(s.communityId, s.id))) {
              return Effect.fail(new AlreadyExists({ entity: "TimeBankService", id: s.id }))
            }
            if (s.idempotencyKey !== undefined && db.has(SERVICE_KEYS, k(s.communityId, s.idempotencyKey))) {
              return Effect.fail(new AlreadyExists({ entity: "TimeBankService idempotency key", id: s.idempotencyKey }))
            }
            db.set(SERVICES, k(s.communityId, s.id), s)
            if (s.idempotencyKey !== undefined) db.set(SERVICE_KEYS, k(s.communityId, s.idempotencyKey), s.id)
            return Effect.void
          })
        ),
      getService: (c, id) => read(() => Option.fromNullable(db.get<TimeBank.ServiceRecord>(SERVICES, k(c, id)))),
      findServiceByKey: (c, key) =>
        read(() => {
          const id = db.get<string>(SERVICE_KEYS, k(c, key))
          return Option.fromNullable(id === undefined ? undefined : db.get<TimeBank.ServiceRecord>(SERVICES, k(c, id)))
        }),
      updateService: (s) =>
        run(
          Effect.suspend(() => {
            const stored = db.get<TimeBank.ServiceRecord>(SERVICES, k(s.communityId, s.id))
            if (stored === undefined || stored.version !== s.version - 1) {
              return Effect.fail(
                new Conflict({
                  entity: "TimeBankService",
                  id: s.id,
                  detail: stored === undefined ? "no such service" : `stored version ${stored.version}, update expects ${s.version - 1}`
                })
              )
            }
            db.set(SERVICES, k(s.communityId, s.id), s)
            return Effect.void
          })
        ),
      listServices: (c, f) =>
        read(() =>
          db
            .values<TimeBank.ServiceRecord>(SERVICES, k(c, ""))
            .filter(
              (s) =>
                (f.providerId === undefined || s.providerId === f.providerId) &&
                (f.recipientId === undefined || s.recipientId === f.recipientId) &&
                (f.status === undefined || s.status === f.status)
            )
            .sort(byRecorded)
            .slice(0, Math.max(0, f.limit))
        ),

      addTotals: (c, residentId, year, d) =>
        read(() => {
          const key = k(c, yearKey(year), residentId)
          const t = db.get<TimeBank.ResidentYearTotals>(TOTALS, key)
          db.set(
            TOTALS,
            key,
            new TimeBank.ResidentYearTotals(
              {
                communityId: c,
                residentId,
                year,
                givenMinutes: (t?.givenMinutes ?? 0) + d.givenMinutes,
                givenCentiHours: (t?.givenCentiHours ?? 0) + d.givenCentiHours,
                servicesGiven: (t?.servicesGiven ?? 0) + d.servicesGiven,
                receivedMinutes: (t?.receivedMinutes ?? 0) + d.receivedMinutes,
                servicesReceived: (t?.servicesReceived ?? 0) + d.servicesReceived
              },
              { disableValidation: true }
            )
          )
        }),
      getTotals: (c, residentId, year) =>
        read(() => Option.fromNullable(db.get<TimeBank.ResidentYearTotals>(TOTALS, k(c, yearKey(year), residentId)))),
      getTotalsMany: (c, residentIds, year) =>
        read(() =>
          [...new Set(residentIds)].sort().flatMap((r) => {
            const t = db.get<TimeBank.ResidentYearTotals>(TOTALS, k(c, yearKey(year), r))
            return t === undefined ? [] : [t]
          })
        ),
      listTotals: (c, year) =>
        read(() =>
          db
            .values<TimeBank.ResidentYearTotals>(TOTALS, k(c, yearKey(year), ""))
            .sort((a, b) => (a.residentId < b.residentId ? -1 : a.residentId > b.residentId ? 1 : 0))
        )
    })
  )
}
