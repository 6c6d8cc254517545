/**
 * The incentive module's store in memory.
 *
 * @since 0.1.0
 */
import { AlreadyExists, type CommunityId, Incentives, NotFound } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { ModuleStoreFactory } from "./modules.js"

type Award = Incentives.Award
type CapCounter = Incentives.CapCounter
type CatalogueItem = Incentives.CatalogueItem
type IncentiveProfile = Incentives.IncentiveProfile
type PeriodTotal = Incentives.PeriodTotal
type PointsLot = Incentives.PointsLot
type Redemption = Incentives.Redemption

const k = (...parts: ReadonlyArray<string | number>) => parts.join("\u0000")
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Builds the memory `IncentiveStore` over the shared database. Every method
 * joins the caller's transaction and rolls back with it.
 *
 * @since 0.1.0
 * @category stores
 */
export const makeIncentiveStore: ModuleStoreFactory<Incentives.IncentiveStore> = (db, run) => {
  const read = <A>(f: () => A) => run(Effect.sync(f))
  const write = <E>(f: () => E | undefined) =>
    run(Effect.suspend(() => {
      const error = f()
      return error === undefined ? Effect.void : Effect.fail(error)
    }))
  const appendIndex = (table: string, key: string, id: string) => {
    const ids = db.get<ReadonlyArray<string>>(table, key) ?? []
    db.set(table, key, [...ids, id])
  }
  const listIndex = <A>(index: string, table: string, c: CommunityId, owner: string): Array<A> =>
    (db.get<ReadonlyArray<string>>(index, k(c, owner)) ?? []).map((id) => db.get<A>(table, k(c, id))!)

  return Context.make(
    Incentives.IncentiveStore,
    Incentives.IncentiveStore.of({
      getProfile: (c, r) => read(() => Option.fromNullable(db.get<IncentiveProfile>("inc_profiles", k(c, r)))),
      putProfile: (p) => write(() => void db.set("inc_profiles", k(p.communityId, p.residentId), p)),
      getProfiles: (c, residentIds) =>
        read(() =>
          [...new Set(residentIds)].sort(byString).flatMap((r) => {
            const p = db.get<IncentiveProfile>("inc_profiles", k(c, r))
            return p === undefined ? [] : [p]
          })
        ),
      listProfiles: (c) =>
        read(() => db.values<IncentiveProfile>("inc_profiles", k(c, "")).sort((a, b) => byString(a.residentId, b.residentId))),

      getCounters: (c, r, scopeKeys) =>
        read(() => {
          const out: Array<CapCounter> = []
          for (const s of [...scopeKeys].sort(byString)) {
            for (const period of ["day", "week", "month"] as const) {
              const counter = db.get<CapCounter>("inc_counters", k(c, r, s, period))
              if (counter !== undefined) out.push(counter)
            }
          }
          return out
        }),
      putCounter: (x) => write(() => void db.set("inc_counters", k(x.communityId, x.residentId, x.scopeKey, x.period), x)),

      insertAward: (a) =>
        write(() => {
          if (db.has("inc_awards", k(a.communityId, a.id))) return new AlreadyExists({ entity: "Award", id: a.id })
          if (a.idempotencyKey !== undefined && db.has("inc_award_keys", k(a.communityId, a.idempotencyKey))) {
            return new AlreadyExists({ entity: "Award idempotency key", id: a.idempotencyKey })
          }
          db.set("inc_awards", k(a.communityId, a.id), a)
          if (a.idempotencyKey !== undefined) db.set("inc_award_keys", k(a.communityId, a.idempotencyKey), a.id)
          appendIndex("inc_resident_awards", k(a.communityId, a.residentId), a.id)
          return undefined
        }),
      updateAward: (a) =>
        write(() => {
          const prior = db.get<Award>("inc_awards", k(a.communityId, a.id))
          if (prior === undefined) return new NotFound({ entity: "Award", id: a.id })
          db.set("inc_awards", k(a.communityId, a.id), { ...a, ...(prior.idempotencyKey === undefined ? {} : { idempotencyKey: prior.idempotencyKey }) })
          return undefined
        }),
      getAward: (c, id) => read(() => Option.fromNullable(db.get<Award>("inc_awards", k(c, id)))),
      findAwardByKey: (c, key) =>
        read(() => {
          const id = db.get<string>("inc_award_keys", k(c, key))
          return Option.fromNullable(id === undefined ? undefined : db.get<Award>("inc_awards", k(c, id)))
        }),
      listAwards: (c, r, limit) =>
        read(() =>
          listIndex<Award>("inc_resident_awards", "inc_awards", c, r)
            .sort((a, b) => a.awardedAt - b.awardedAt) // stable: insertion order among equals
            .slice(0, Math.max(0, limit))
        ),

      getPeriodTotal: (c, period, r) => read(() => Option.fromNullable(db.get<PeriodTotal>("inc_totals", k(c, period, r)))),
      putPeriodTotal: (t) => write(() => void db.set("inc_totals", k(t.communityId, t.period, t.residentId), t)),
      listPeriodTotals: (c, period) =>
        read(() => db.values<PeriodTotal>("inc_totals", k(c, period, "")).sort((a, b) => byString(a.residentId, b.residentId))),

      insertItem: (item) =>
        write(() => {
          if (db.has("inc_items", k(item.communityId, item.id))) return new AlreadyExists({ entity: "CatalogueItem", id: item.id })
          db.set("inc_items", k(item.communityId, item.id), item)
          return undefined
        }),
      updateItem: (item) =>
        write(() => {
          if (!db.has("inc_items", k(item.communityId, item.id))) return new NotFound({ entity: "CatalogueItem", id: item.id })
          db.set("inc_items", k(item.communityId, item.id), item)
          return undefined
        }),
      getItem: (c, id) => read(() => Option.fromNullable(db.get<CatalogueItem>("inc_items", k(c, id)))),
      listItems: (c) => read(() => db.values<CatalogueItem>("inc_items", k(c, "")).sort((a, b) => byString(a.id, b.id))),

      insertRedemption: (r) =>
        write(() => {
          if (db.has("inc_redemptions", k(r.communityId, r.id))) return new AlreadyExists({ entity: "Redemption", id: r.id })
          if (r.idempotencyKey !== undefined && db.has("inc_redemption_keys", k(r.communityId, r.idempotencyKey))) {
            return new AlreadyExists({ entity: "Redemption idempotency key", id: r.idempotencyKey })
          }
          db.set("inc_redemptions", k(r.communityId, r.id), r)
          if (r.idempotencyKey !== undefined) db.set("inc_redemption_keys", k(r.communityId, r.idempotencyKey), r.id)
          appendIndex("inc_resident_redemptions", k(r.communityId, r.residentId), r.id)
          return undefined
        }),
      updateRedemption: (r) =>
        write(() => {
          const prior = db.get<Redemption>("inc_redemptions", k(r.communityId, r.id))
          if (prior === undefined) return new NotFound({ entity: "Redemption", id: r.id })
          db.set("inc_redemptions", k(r.communityId, r.id), { ...r, ...(prior.idempotencyKey === undefined ? {} : { idempotencyKey: prior.idempotencyKey }) })
          return undefined
        }),
      getRedemption: (c, id) => read(() => Option.fromNullable(db.get<Redemption>("inc_redemptions", k(c, id)))),
      findRedemptionByKey: (c, key) =>
        read(() => {
          const id = db.get<string>("inc_redemption_keys", k(c, key))
          return Option.fromNullable(id === undefined ? undefined : db.get<Redemption>("inc_redemptions", k(c, id)))
        }),
      listRedemptions: (c, r, itemId) =>
        read(() =>
          listIndex<Redemption>("inc_resident_redemptions", "inc_redemptions", c, r)
            .filter((x) => itemId === undefined || x.itemId === itemId)
            .sort((a, b) => a.redeemedAt - b.redeemedAt) // stable: insertion order among equals
        ),

      insertLot: (lot) =>
        write(() => {
          if (db.has("inc_lots", k(lot.communityId, lot.id))) return new AlreadyExists({ entity: "PointsLot", id: lot.id })
          db.set("inc_lots", k(lot.communityId, lot.id), lot)
          appendIndex("inc_resident_lots", k(lot.communityId, lot.residentId), lot.id)
          return undefined
        }),
      updateLot: (lot) =>
        write(() => {
          if (!db.has("inc_lots", k(lot.communityId, lot.id))) return new NotFound({ entity: "PointsLot", id: lot.id })
          db.set("inc_lots", k(lot.communityId, lot.id), lot)
          return undefined
        }),
      getLot: (c, id) => read(() => Option.fromNullable(db.get<PointsLot>("inc_lots", k(c, id)))),
      listLots: (c, r, unexpiredAt) =>
        read(() =>
          listIndex<PointsLot>("inc_resident_lots", "inc_lots", c, r)
            .filter((l) => l.remaining > 0 && (unexpiredAt === undefined || l.expiresAt > unexpiredAt))
            .sort((a, b) => a.awardedAt !== b.awardedAt ? a.awardedAt - b.awardedAt : byString(a.id, b.id))
        ),
      listDueLots: (c, at, limit) =>
        read(() =>
          db.values<PointsLot>("inc_lots", k(c, ""))
            .filter((l) => l.remaining > 0 && l.expiresAt <= at)
            .sort((a, b) => a.expiresAt !== b.expiresAt ? a.expiresAt - b.expiresAt : byString(a.id, b.id))
            .slice(0, Math.max(0, Math.floor(limit)))
        )
    })
  )
}
