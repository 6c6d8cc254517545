/**
 * Conformance cases of the incentive module's store port
 * (`Incentives.IncentiveStore`): round-trips, uniqueness and conflict rules,
 * ordering, tenant isolation, rollback, and the commands on top of it.
 *
 * @since 0.1.0
 */
import {
  AccountId,
  type CommunityId,
  EventId,
  Incentives,
  LedgerStore,
  LedgerTxId,
  openAccount,
  postTransaction,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  SystemActor,
  Transaction
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const rid = (id: string) => ResidentId.make(id)
const admin = (c: CommunityId) =>
  new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })

const profile = (c: CommunityId, r: string, lifetime = 0): Incentives.IncentiveProfile => ({
  communityId: c,
  residentId: rid(r),
  accountId: AccountId.make(`inc:r:${r}`),
  lifetime,
  level: 0,
  optedOut: false,
  createdAt: 1_000,
  updatedAt: 1_000
})

const award = (c: CommunityId, id: string, r: string, awardedAt: number, key?: string): Incentives.Award => ({
  communityId: c,
  id,
  residentId: rid(r),
  action: "vote",
  source: "event",
  status: "awarded",
  requested: 5,
  points: 5,
  bonus: 0,
  grantedBy: "system:conformance",
  sourceEventId: EventId.make(`ev_${id}`),
  txId: LedgerTxId.make(`tx_${id}`),
  ...(key === undefined ? {} : { idempotencyKey: key }),
  fingerprint: "f".repeat(64),
  awardedAt
})

const item = (c: CommunityId, id: string, stock?: number): Incentives.CatalogueItem => ({
  communityId: c,
  id,
  kind: "goods",
  name: `物品 ${id}`,
  cost: 10,
  ...(stock === undefined ? {} : { stock }),
  limit: { count: 2, period: "month" },
  value: 500,
  active: true,
  createdAt: 1_000,
  updatedAt: 1_000
})

const redemption = (c: CommunityId, id: string, r: string, redeemedAt: number, key?: string): Incentives.Redemption => ({
  communityId: c,
  id,
  residentId: rid(r),
  itemId: "soap",
  quantity: 1,
  points: 10,
  status: "pending",
  limitWindow: 24_322,
  txId: LedgerTxId.make(`tx_${id}`),
  ...(key === undefined ? {} : { idempotencyKey: key }),
  fingerprint: "e".repeat(64),
  redeemedAt
})

const lot = (
  c: CommunityId,
  id: string,
  r: string,
  awardedAt: number,
  expiresAt: number,
  amount = 10,
  remaining = amount
): Incentives.PointsLot => ({
  communityId: c,
  id,
  residentId: rid(r),
  awardId: id.split(":")[0]!,
  kind: id.endsWith(":bonus") ? "bonus" : "award",
  amount,
  remaining,
  awardedAt,
  expiresAt
})

const failTag = (exit: Exit.Exit<unknown, unknown>): string | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : undefined

/**
 * The incentive store's cases.
 *
 * @since 0.1.0
 * @category conformance
 */
export const incentivesSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
  describe("incentives store", () => {
    it.effect("profiles: upsert, read back exactly, list by resident id, kept per community", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const c2 = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        expect(yield* store.getProfile(c, rid("r-2"))).toEqual(Option.none())
        yield* tx.run(store.putProfile(profile(c, "r-2", 5)))
        yield* tx.run(store.putProfile(profile(c, "r-1")))
        yield* tx.run(store.putProfile({ ...profile(c, "r-2", 40), level: 1, optedOut: true, updatedAt: 2_000 }))
        yield* tx.run(store.putProfile(profile(c2, "r-1", 99)))
        expect(yield* store.getProfile(c, rid("r-2"))).toEqual(Option.some({ ...profile(c, "r-2", 40), level: 1, optedOut: true, updatedAt: 2_000 }))
        expect((yield* store.listProfiles(c)).map((p) => [p.residentId, p.lifetime])).toEqual([["r-1", 0], ["r-2", 40]])
        expect((yield* store.listProfiles(c2)).map((p) => p.lifetime)).toEqual([99])
      }), timeout)

    it.effect("profiles of many residents in one read; standings in one call equal the single standings", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        yield* tx.run(store.putProfile(profile(c, "r-2", 40)))
        yield* tx.run(store.putProfile(profile(c, "r-1", 120)))
        yield* tx.run(store.putProfile(profile(freshCommunityId(), "r-3", 7)))
        expect((yield* store.getProfiles(c, [rid("r-2"), rid("r-3"), rid("r-1"), rid("r-2")])).map((p) => [p.residentId, p.lifetime]))
          .toEqual([["r-1", 120], ["r-2", 40]])
        expect(yield* store.getProfiles(c, [])).toEqual([])
        const system = new SystemActor({ communityId: c, process: "conformance" })
        yield* openAccount(system, { communityId: c, accountId: "issuance", unit: "points", kind: "issuance" })
        yield* openAccount(system, { communityId: c, accountId: "inc:r:r-2", unit: "points", kind: "resident-points", owner: "r-2", floor: 0 })
        yield* postTransaction(system, {
          communityId: c,
          unit: "points",
          kind: "award",
          memo: "conformance",
          postings: [{ accountId: "issuance", amount: -35 }, { accountId: "inc:r:r-2", amount: 35 }]
        })
        const ids = [rid("r-2"), rid("r-9"), rid("r-1")]
        const many = yield* Incentives.standings(admin(c), { communityId: c, residentIds: ids })
        const single: Array<Incentives.Standing> = []
        for (const r of ids) single.push(yield* Incentives.standing(admin(c), c, r))
        expect(many).toStrictEqual(single)
        expect(many.map((s) => [s.residentId, s.balance, s.lifetime])).toStrictEqual([["r-2", 35, 40], ["r-9", 0, 0], ["r-1", 0, 120]])
        const resident = new ResidentActor({ communityId: c, residentId: rid("r-1") })
        expect(failTag(yield* Effect.exit(Incentives.standings(resident, { communityId: c, residentIds: ids })))).toBe("Forbidden")
      }), timeout)

    it.effect("counters: upsert by (resident, scope key, period), read only the asked scope keys, ordered", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        const counter = (scopeKey: string, period: "day" | "week" | "month", window: number, used: number, r = "r-1"): Incentives.CapCounter =>
          ({ communityId: c, residentId: rid(r), scopeKey, period, window, used })
        yield* tx.run(Effect.all([
          store.putCounter(counter("resident", "day", 100, 5)),
          store.putCounter(counter("action:vote", "month", 7, 10)),
          store.putCounter(counter("action:vote", "day", 100, 10)),
          store.putCounter(counter("pair:r-9", "week", 14, 2)),
          store.putCounter(counter("action:vote", "day", 100, 99, "r-2"))
        ]))
        yield* tx.run(store.putCounter(counter("action:vote", "day", 101, 5)))
        const got = yield* store.getCounters(c, rid("r-1"), ["resident", "action:vote"])
        expect(got.map((x) => [x.scopeKey, x.period, x.window, x.used])).toEqual([
          ["action:vote", "day", 101, 5],
          ["action:vote", "month", 7, 10],
          ["resident", "day", 100, 5]
        ])
        expect(yield* store.getCounters(c, rid("r-1"), [])).toEqual([])
        expect(yield* store.getCounters(freshCommunityId(), rid("r-1"), ["resident"])).toEqual([])
      }), timeout)

    it.effect("awards: unique id and idempotency key, update keeps the key, listed oldest first with a limit", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        yield* tx.run(store.insertAward(award(c, "a2", "r-1", 2_000, "k-2")))
        yield* tx.run(store.insertAward(award(c, "a1", "r-1", 1_000)))
        yield* tx.run(store.insertAward(award(c, "a3", "r-1", 2_000)))
        yield* tx.run(store.insertAward(award(c, "b1", "r-2", 500, "k-b")))
        expect(failTag(yield* Effect.exit(tx.run(store.insertAward(award(c, "a1", "r-1", 3_000)))))).toBe("AlreadyExists")
        expect(failTag(yield* Effect.exit(tx.run(store.insertAward(award(c, "a9", "r-1", 3_000, "k-2")))))).toBe("AlreadyExists")
        expect(Option.isNone(yield* store.getAward(c, "a9"))).toBe(true)
        expect(yield* store.getAward(c, "a2")).toEqual(Option.some(award(c, "a2", "r-1", 2_000, "k-2")))
        expect(Option.map(yield* store.findAwardByKey(c, "k-2"), (a) => a.id)).toEqual(Option.some("a2"))
        expect(yield* store.findAwardByKey(c, "k-none")).toEqual(Option.none())
        expect((yield* store.listAwards(c, rid("r-1"), 100)).map((a) => a.id)).toEqual(["a1", "a2", "a3"])
        expect((yield* store.listAwards(c, rid("r-1"), 2)).map((a) => a.id)).toEqual(["a1", "a2"])
        const revoked: Incentives.Award = { ...award(c, "a2", "r-1", 2_000, "k-2"), status: "revoked", revocationTxId: LedgerTxId.make("tx_rev") }
        yield* tx.run(store.updateAward(revoked))
        expect(yield* store.getAward(c, "a2")).toEqual(Option.some(revoked))
        expect(Option.map(yield* store.findAwardByKey(c, "k-2"), (a) => a.status)).toEqual(Option.some("revoked"))
        expect(failTag(yield* Effect.exit(tx.run(store.updateAward(award(c, "nope", "r-1", 1)))))).toBe("NotFound")
        // another community may use the same ids and keys
        const c2 = freshCommunityId()
        yield* tx.run(store.insertAward(award(c2, "a2", "r-1", 9, "k-2")))
        expect(Option.map(yield* store.getAward(c2, "a2"), (a) => a.awardedAt)).toEqual(Option.some(9))
        expect(Option.map(yield* store.getAward(c, "a2"), (a) => a.awardedAt)).toEqual(Option.some(2_000))
      }), timeout)

    it.effect("period totals: upsert by (period, resident), list one period by resident id", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        const total = (period: string, r: string, points: number, reachedAt: number): Incentives.PeriodTotal =>
          ({ communityId: c, period, residentId: rid(r), points, reachedAt })
        yield* tx.run(Effect.all([
          store.putPeriodTotal(total("month:2026-11", "r-2", 10, 5)),
          store.putPeriodTotal(total("month:2026-11", "r-1", 3, 7)),
          store.putPeriodTotal(total("month:2026-12", "r-1", 8, 9)),
          store.putPeriodTotal(total("year:2026", "r-1", 11, 9))
        ]))
        yield* tx.run(store.putPeriodTotal(total("month:2026-11", "r-1", 13, 8)))
        expect((yield* store.listPeriodTotals(c, "month:2026-11")).map((t) => [t.residentId, t.points, t.reachedAt])).toEqual([["r-1", 13, 8], ["r-2", 10, 5]])
        expect(yield* store.getPeriodTotal(c, "year:2026", rid("r-1"))).toEqual(Option.some(total("year:2026", "r-1", 11, 9)))
        expect(yield* store.listPeriodTotals(c, "month:2027-01")).toEqual([])
        expect(yield* store.listPeriodTotals(freshCommunityId(), "month:2026-11")).toEqual([])
      }), timeout)

    it.effect("catalogue items and redemptions: unique ids and keys, updates, ordering, filters", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        yield* tx.run(store.insertItem(item(c, "soap", 3)))
        yield* tx.run(store.insertItem(item(c, "fee")))
        expect(failTag(yield* Effect.exit(tx.run(store.insertItem(item(c, "soap")))))).toBe("AlreadyExists")
        expect(yield* store.getItem(c, "fee")).toEqual(Option.some(item(c, "fee")))
        yield* tx.run(store.updateItem({ ...item(c, "soap", 2), active: false, updatedAt: 5 }))
        expect((yield* store.listItems(c)).map((i) => [i.id, i.stock, i.active])).toEqual([["fee", undefined, true], ["soap", 2, false]])
        expect(failTag(yield* Effect.exit(tx.run(store.updateItem(item(c, "ghost")))))).toBe("NotFound")

        yield* tx.run(store.insertRedemption(redemption(c, "d2", "r-1", 20, "rk-1")))
        yield* tx.run(store.insertRedemption(redemption(c, "d1", "r-1", 10)))
        yield* tx.run(store.insertRedemption({ ...redemption(c, "d3", "r-1", 30), itemId: "fee" }))
        yield* tx.run(store.insertRedemption(redemption(c, "e1", "r-2", 5)))
        expect(failTag(yield* Effect.exit(tx.run(store.insertRedemption(redemption(c, "d1", "r-1", 1)))))).toBe("AlreadyExists")
        expect(failTag(yield* Effect.exit(tx.run(store.insertRedemption(redemption(c, "d9", "r-1", 1, "rk-1")))))).toBe("AlreadyExists")
        expect((yield* store.listRedemptions(c, rid("r-1"))).map((r) => r.id)).toEqual(["d1", "d2", "d3"])
        expect((yield* store.listRedemptions(c, rid("r-1"), "soap")).map((r) => r.id)).toEqual(["d1", "d2"])
        const cancelled: Incentives.Redemption = { ...redemption(c, "d2", "r-1", 20, "rk-1"), status: "cancelled", refundTxId: LedgerTxId.make("tx_ref"), reason: "x", closedAt: 40 }
        yield* tx.run(store.updateRedemption(cancelled))
        expect(yield* store.getRedemption(c, "d2")).toEqual(Option.some(cancelled))
        expect(Option.map(yield* store.findRedemptionByKey(c, "rk-1"), (r) => r.status)).toEqual(Option.some("cancelled"))
        expect(failTag(yield* Effect.exit(tx.run(store.updateRedemption(redemption(c, "zz", "r-1", 1)))))).toBe("NotFound")
        expect(yield* store.listRedemptions(freshCommunityId(), rid("r-1"))).toEqual([])
      }), timeout)

    it.effect("writes inside a failed transaction are rolled back", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        yield* tx.run(store.insertItem(item(c, "soap", 3)))
        const exit = yield* Effect.exit(tx.run(Effect.gen(function* () {
          yield* store.putProfile(profile(c, "r-1", 50))
          yield* store.insertAward(award(c, "a1", "r-1", 1, "k"))
          yield* store.updateItem(item(c, "soap", 0))
          yield* store.insertRedemption(redemption(c, "d1", "r-1", 1, "rk"))
          yield* store.putPeriodTotal({ communityId: c, period: "year:2026", residentId: rid("r-1"), points: 5, reachedAt: 1 })
          return yield* Effect.fail("boom" as const)
        })))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* store.getProfile(c, rid("r-1"))).toEqual(Option.none())
        expect(yield* store.getAward(c, "a1")).toEqual(Option.none())
        expect(yield* store.findAwardByKey(c, "k")).toEqual(Option.none())
        expect(Option.map(yield* store.getItem(c, "soap"), (i) => i.stock)).toEqual(Option.some(3))
        expect(yield* store.findRedemptionByKey(c, "rk")).toEqual(Option.none())
        expect(yield* store.listPeriodTotals(c, "year:2026")).toEqual([])
      }), timeout)

    it.effect("lots: unique id, read back exactly, update, listed in spending order with points left", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        yield* tx.run(store.insertLot(lot(c, "b2:award", "r-1", 200, 1_200)))
        yield* tx.run(store.insertLot(lot(c, "a1:award", "r-1", 100, 1_100)))
        yield* tx.run(store.insertLot(lot(c, "a1:bonus", "r-1", 100, 1_100, 5)))
        yield* tx.run(store.insertLot(lot(c, "a0:award", "r-1", 200, 900, 4, 0)))
        yield* tx.run(store.insertLot(lot(c, "z9:award", "r-1", 50, 1_000, 7)))
        yield* tx.run(store.insertLot(lot(c, "x1:award", "r-2", 10, 500)))
        expect(failTag(yield* Effect.exit(tx.run(store.insertLot(lot(c, "a1:award", "r-9", 1, 2)))))).toBe("AlreadyExists")
        expect(yield* store.getLot(c, "a1:bonus")).toEqual(Option.some(lot(c, "a1:bonus", "r-1", 100, 1_100, 5)))
        expect(yield* store.getLot(c, "nope")).toEqual(Option.none())
        // awardedAt, then id; lots with nothing left are not listed
        expect((yield* store.listLots(c, rid("r-1"))).map((l) => l.id)).toEqual(["z9:award", "a1:award", "a1:bonus", "b2:award"])
        // only the lots not expired at 1_100 (expiresAt > 1_100)
        expect((yield* store.listLots(c, rid("r-1"), 1_100)).map((l) => l.id)).toEqual(["b2:award"])
        expect((yield* store.listLots(c, rid("r-1"), 999)).map((l) => l.id)).toEqual(["z9:award", "a1:award", "a1:bonus", "b2:award"])
        yield* tx.run(store.updateLot(lot(c, "a1:award", "r-1", 100, 1_100, 10, 3)))
        yield* tx.run(store.updateLot(lot(c, "z9:award", "r-1", 50, 1_000, 7, 0)))
        expect((yield* store.listLots(c, rid("r-1"))).map((l) => [l.id, l.remaining])).toEqual([["a1:award", 3], ["a1:bonus", 5], ["b2:award", 10]])
        expect(Option.map(yield* store.getLot(c, "z9:award"), (l) => l.remaining)).toEqual(Option.some(0))
        expect(failTag(yield* Effect.exit(tx.run(store.updateLot(lot(c, "ghost:award", "r-1", 1, 2)))))).toBe("NotFound")
        // another community: its own ids, nothing shared
        const c2 = freshCommunityId()
        yield* tx.run(store.insertLot(lot(c2, "a1:award", "r-1", 7, 8, 1)))
        expect((yield* store.listLots(c2, rid("r-1"))).map((l) => [l.id, l.amount])).toEqual([["a1:award", 1]])
        expect(yield* store.listLots(c2, rid("r-2"))).toEqual([])
      }), timeout)

    it.effect("lots: due lots by expiresAt then id, every resident's, with points left, at most limit", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        yield* tx.run(Effect.all([
          store.insertLot(lot(c, "c:award", "r-1", 10, 300)),
          store.insertLot(lot(c, "b:award", "r-2", 10, 200)),
          store.insertLot(lot(c, "a:award", "r-1", 20, 300)),
          store.insertLot(lot(c, "d:award", "r-3", 10, 200, 5, 0)),
          store.insertLot(lot(c, "e:award", "r-3", 10, 301))
        ]))
        yield* tx.run(store.insertLot(lot(freshCommunityId(), "f:award", "r-1", 1, 2)))
        expect((yield* store.listDueLots(c, 300, 10)).map((l) => l.id)).toEqual(["b:award", "a:award", "c:award"])
        expect((yield* store.listDueLots(c, 300, 2)).map((l) => l.id)).toEqual(["b:award", "a:award"])
        expect((yield* store.listDueLots(c, 299, 10)).map((l) => l.id)).toEqual(["b:award"])
        expect(yield* store.listDueLots(c, 199, 10)).toEqual([])
        expect(yield* store.listDueLots(c, 300, 0)).toEqual([])
      }), timeout)

    it.effect("lots and a redemption's draws: read back exactly; rolled back with a failed transaction", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Incentives.IncentiveStore
        const tx = yield* Transaction
        yield* tx.run(store.insertItem(item(c, "soap")))
        const drawn: Incentives.Redemption = {
          ...redemption(c, "d1", "r-1", 10),
          draws: [{ lotId: "a1:award", points: 7 }, { lotId: "b2:award", points: 3 }]
        }
        yield* tx.run(store.insertRedemption(drawn))
        expect(yield* store.getRedemption(c, "d1")).toEqual(Option.some(drawn))
        expect((yield* store.listRedemptions(c, rid("r-1"))).map((r) => r.draws)).toEqual([drawn.draws])
        const closed: Incentives.Redemption = { ...drawn, status: "cancelled", refundTxId: LedgerTxId.make("tx_ref"), reason: "x", closedAt: 40 }
        yield* tx.run(store.updateRedemption(closed))
        expect(yield* store.getRedemption(c, "d1")).toEqual(Option.some(closed))
        yield* tx.run(store.insertLot(lot(c, "a1:award", "r-1", 1, 100)))
        const exit = yield* Effect.exit(tx.run(Effect.gen(function* () {
          yield* store.insertLot(lot(c, "b2:award", "r-1", 2, 100))
          yield* store.updateLot(lot(c, "a1:award", "r-1", 1, 100, 10, 2))
          return yield* Effect.fail("boom" as const)
        })))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* store.getLot(c, "b2:award")).toEqual(Option.none())
        expect(Option.map(yield* store.getLot(c, "a1:award"), (l) => l.remaining)).toEqual(Option.some(10))
      }), timeout)

    it.effect("through the commands with expiry on: FIFO spending, refund to the same lots, expireDue once", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 7, communityId: c, buildings: 1, floors: 2 })
        yield* options.loadDirectory(snapshot)
        const r = snapshot.residents[0]!.id
        const me = new ResidentActor({ communityId: c, residentId: r })
        const expiring = { ...Incentives.defaultIncentiveConfig, expiry: { afterDays: 30 } }
        const on = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, Incentives.IncentiveConfig, expiring)
        const store = yield* Incentives.IncentiveStore
        const ledger = yield* LedgerStore
        const balance = (id: string) => Effect.map(ledger.getAccount(c, AccountId.make(id)), Option.match({ onNone: () => 0, onSome: (a) => a.balance }))

        // points from before expiry was on have no lot and never expire
        const legacy = yield* Incentives.award(admin(c), { communityId: c, residentId: r, points: 30, reason: "conformance" })
        const first = yield* on(Incentives.award(admin(c), { communityId: c, residentId: r, points: 10, reason: "conformance" }))
        const second = yield* on(Incentives.award(admin(c), { communityId: c, residentId: r, points: 20, reason: "conformance" }))
        expect((yield* store.listLots(c, r)).map((l) => l.awardId).sort()).toEqual([first.id, second.id].sort())
        yield* Incentives.addItem(admin(c), { communityId: c, itemId: "soap", kind: "goods", name: "洗衣液", cost: 15 })
        const red = yield* on(Incentives.redeem(me, { communityId: c, residentId: r, itemId: "soap" }))
        expect(red.draws?.reduce((s, d) => s + d.points, 0)).toBe(15)
        const drawnFirst = red.draws?.[0]
        expect(drawnFirst?.points).toBeGreaterThan(0)
        expect(yield* balance(`inc:r:${r}`)).toBe(45)
        yield* on(Incentives.cancelRedemption(me, { communityId: c, redemptionId: red.id, reason: "conformance" }))
        expect((yield* store.listLots(c, r)).map((l) => l.remaining).sort((a, b) => a - b)).toEqual([10, 20])
        expect(yield* balance(`inc:r:${r}`)).toBe(60)

        // a lot already due for the legacy points: expireDue moves them once
        const now = Date.now()
        yield* (yield* Transaction).run(store.insertLot({ ...lot(c, `${legacy.id}:award`, r, now - 2 * 86_400_000, now - 86_400_000, 30) }))
        const run1 = yield* on(Incentives.expireDue(admin(c), { communityId: c }))
        expect(run1).toEqual({ lots: 1, points: 30, residents: 1, more: false })
        expect(yield* balance(`inc:r:${r}`)).toBe(30)
        expect(yield* balance("inc:expired")).toBe(30)
        expect(Option.map(yield* store.getLot(c, `${legacy.id}:award`), (l) => l.remaining)).toEqual(Option.some(0))
        expect((yield* on(Incentives.expireDue(admin(c), { communityId: c }))).lots).toBe(0)
        expect(yield* balance(`inc:r:${r}`)).toBe(30)
        expect(Option.map(yield* store.getProfile(c, r), (p) => p.lifetime)).toEqual(Option.some(60))
      }), timeout)

    it.effect("through the commands: award, redeem, refund; a refused redemption changes nothing", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 5, communityId: c, buildings: 1, floors: 2 })
        yield* options.loadDirectory(snapshot)
        const r = snapshot.residents[0]!.id
        const me = new ResidentActor({ communityId: c, residentId: r })
        yield* Incentives.award(admin(c), { communityId: c, residentId: r, points: 30, reason: "conformance", idempotencyKey: "once" })
        yield* Incentives.award(admin(c), { communityId: c, residentId: r, points: 30, reason: "conformance", idempotencyKey: "once" })
        yield* Incentives.addItem(admin(c), { communityId: c, itemId: "soap", kind: "goods", name: "洗衣液", cost: 20, stock: 1 })
        const red = yield* Incentives.redeem(me, { communityId: c, residentId: r, itemId: "soap" })
        const store = yield* Incentives.IncentiveStore
        const ledger = yield* LedgerStore
        const balance = Effect.map(ledger.getAccount(c, AccountId.make(`inc:r:${r}`)), (a) => Option.getOrThrow(a).balance)
        expect(yield* balance).toBe(10)
        const profileBefore = yield* store.getProfile(c, r)
        const refused = yield* Effect.exit(Incentives.redeem(me, { communityId: c, residentId: r, itemId: "soap" }))
        expect(failTag(refused)).toBe("OutOfStock")
        expect(yield* balance).toBe(10)
        expect(yield* store.getProfile(c, r)).toEqual(profileBefore)
        expect((yield* store.listRedemptions(c, r)).length).toBe(1)
        yield* Incentives.cancelRedemption(me, { communityId: c, redemptionId: red.id, reason: "conformance" })
        expect(yield* balance).toBe(30)
        expect(Option.map(yield* store.getItem(c, "soap"), (i) => i.stock)).toEqual(Option.some(1))
        expect(Option.map(yield* store.getProfile(c, r), (p) => p.lifetime)).toEqual(Option.some(30))
        const awards = yield* store.listAwards(c, r, 10)
        expect(awards.map((a) => [a.points, a.idempotencyKey])).toEqual([[30, "once"]])
        const board = yield* Incentives.leaderboard(admin(c), c, "year")
        expect(board.rows.map((row) => [row.rank, row.points, row.residentId])).toEqual([[1, 30, r]])
      }), timeout)
  })
}
