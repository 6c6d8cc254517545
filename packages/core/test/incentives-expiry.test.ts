import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck as fc, Layer, Option, TestClock } from "effect"
import {
  AccountId,
  type Actor,
  Gongzhi,
  Incentives,
  LedgerStore,
  readJournal,
  ResidentActor,
  ResidentId,
  type Role,
  Roles,
  StaffActor,
  StaffId,
  SystemActor,
  verifyJournal
} from "../src/index.js"
import { snapshot } from "./support.js"

const { compareLots, consumeLots, expireLots, isLotExpired, lotExpiresAt, restoreLots, spendableIn } = Incentives
type Lot = Incentives.Lot

const DAY = 86_400_000
const lot = (id: string, awardedAt: number, amount: number, remaining = amount, expiresAt = awardedAt + 30 * DAY): Lot =>
  ({ id, awardedAt, expiresAt, amount, remaining })

// ------------------------------------------------------------ pure rules

describe("incentives expiry rules: lots", () => {
  it("a lot expires afterDays whole days after its award, at that instant", () => {
    expect(lotExpiresAt(1_000, 30)).toBe(1_000 + 30 * DAY)
    const l = lot("a", 0, 5)
    expect(isLotExpired(l, 30 * DAY - 1)).toBe(false)
    expect(isLotExpired(l, 30 * DAY)).toBe(true)
  })

  it("spending order: older first, then by id; spendable counts unexpired lots only", () => {
    const lots = [lot("b", 10, 1), lot("a", 10, 1), lot("c", 5, 1), lot("z", 1, 4, 4, 20)]
    expect([...lots].sort(compareLots).map((l) => l.id)).toEqual(["z", "c", "a", "b"])
    expect(spendableIn(lots, 19)).toBe(7)
    expect(spendableIn(lots, 20)).toBe(3)
  })

  it("consumeLots takes from the oldest unexpired lots first and reports the shortfall", () => {
    const lots = [lot("new", 300, 10), lot("old", 100, 4), lot("mid", 200, 6, 2), lot("gone", 50, 9, 9, 150)]
    const r = consumeLots(lots, 5, 160)
    expect(r.draws).toEqual([{ lotId: "old", points: 4 }, { lotId: "mid", points: 1 }])
    expect(r.shortfall).toBe(0)
    // input order kept, the expired lot untouched, inputs not mutated
    expect(r.lots.map((l) => [l.id, l.remaining])).toEqual([["new", 10], ["old", 0], ["mid", 1], ["gone", 9]])
    expect(lots[1]!.remaining).toBe(4)
    const short = consumeLots(lots, 20, 160)
    expect(short.draws).toEqual([{ lotId: "old", points: 4 }, { lotId: "mid", points: 2 }, { lotId: "new", points: 10 }])
    expect(short.shortfall).toBe(4)
    expect(consumeLots(lots, 0, 160)).toEqual({ draws: [], lots, shortfall: 0 })
    expect(consumeLots([], 3, 0).shortfall).toBe(3)
  })

  it("restoreLots gives points back to unexpired lots and expires what belongs to expired ones", () => {
    const lots = [lot("a", 0, 10, 0, 100), lot("b", 10, 10, 5, 200)]
    const r = restoreLots(lots, [{ lotId: "a", points: 10 }, { lotId: "b", points: 5 }, { lotId: "x", points: 2 }], 150)
    expect(r.restored).toEqual([{ lotId: "b", points: 5 }])
    expect(r.expired).toEqual([{ lotId: "a", points: 10 }])
    expect(r.unknown).toEqual([{ lotId: "x", points: 2 }])
    expect(r.lots.map((l) => l.remaining)).toEqual([0, 10])
    // never past the amount: an impossible excess expires
    const over = restoreLots([lot("c", 0, 4, 3)], [{ lotId: "c", points: 3 }], 1)
    expect(over.lots[0]!.remaining).toBe(4)
    expect(over.restored).toEqual([{ lotId: "c", points: 1 }])
    expect(over.expired).toEqual([{ lotId: "c", points: 2 }])
  })

  it("expireLots empties due lots in expiry order, once", () => {
    const lots = [lot("b", 0, 5, 5, 100), lot("a", 0, 3, 3, 100), lot("c", 0, 2, 2, 50), lot("d", 0, 7, 7, 300), lot("e", 0, 1, 0, 10)]
    const r = expireLots(lots, 100)
    expect(r.expired).toEqual([{ lotId: "c", points: 2 }, { lotId: "a", points: 3 }, { lotId: "b", points: 5 }])
    expect(r.points).toBe(10)
    expect(r.lots.map((l) => l.remaining)).toEqual([0, 0, 0, 7, 0])
    const again = expireLots(r.lots, 100)
    expect(again.expired).toEqual([])
    expect(again.lots).toEqual(r.lots)
  })

  type Op =
    | { readonly kind: "award"; readonly amount: number; readonly days: number }
    | { readonly kind: "spend"; readonly amount: number }
    | { readonly kind: "refund"; readonly which: number }
    | { readonly kind: "advance"; readonly days: number }
    | { readonly kind: "expire" }
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("award" as const), amount: fc.integer({ min: 1, max: 50 }), days: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant("spend" as const), amount: fc.integer({ min: 1, max: 80 }) }),
    fc.record({ kind: fc.constant("refund" as const), which: fc.nat(20) }),
    fc.record({ kind: fc.constant("advance" as const), days: fc.integer({ min: 0, max: 20 }) }),
    fc.constant({ kind: "expire" as const })
  )

  it("after any sequence: balance = Σ remaining; after expiry only unexpired lots hold points; spending is FIFO (property)", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        let now = 0
        let lots: ReadonlyArray<Lot> = []
        let balance = 0
        let expiredTotal = 0
        let n = 0
        const spends: Array<ReadonlyArray<Incentives.LotDraw> | undefined> = []
        for (const op of ops) {
          switch (op.kind) {
            case "award":
              lots = [...lots, lot(`l${String(n++).padStart(3, "0")}`, now, op.amount, op.amount, lotExpiresAt(now, op.days))]
              balance += op.amount
              break
            case "advance":
              now += op.days * DAY
              break
            case "spend": {
              const r = consumeLots(lots, op.amount, now)
              if (r.shortfall > 0) {
                // refused: the caller changes nothing
                expect(spendableIn(lots, now)).toBeLessThan(op.amount)
                break
              }
              expect(r.draws.reduce((s, d) => s + d.points, 0)).toBe(op.amount)
              // FIFO: draws in spending order, and every unexpired lot older than the last one drawn is now empty
              const drawn = r.draws.map((d) => lots.find((l) => l.id === d.lotId)!)
              for (let i = 1; i < drawn.length; i++) expect(compareLots(drawn[i - 1]!, drawn[i]!)).toBeLessThan(0)
              const last = drawn[drawn.length - 1]!
              for (const l of r.lots) {
                if (!isLotExpired(l, now) && compareLots(l, last) < 0) expect(l.remaining).toBe(0)
                if (isLotExpired(l, now)) expect(l.remaining).toBe(lots.find((x) => x.id === l.id)!.remaining)
              }
              lots = r.lots
              balance -= op.amount
              spends.push(r.draws)
              break
            }
            case "refund": {
              const draws = spends[op.which]
              if (draws === undefined) break
              spends[op.which] = undefined
              const r = restoreLots(lots, draws, now)
              expect(r.unknown).toEqual([])
              const restored = r.restored.reduce((s, d) => s + d.points, 0)
              const expired = r.expired.reduce((s, d) => s + d.points, 0)
              expect(restored + expired).toBe(draws.reduce((s, d) => s + d.points, 0))
              lots = r.lots
              balance += restored
              expiredTotal += expired
              break
            }
            case "expire": {
              const r = expireLots(lots, now)
              lots = r.lots
              balance -= r.points
              expiredTotal += r.points
              // after a sweep the balance is exactly the unexpired lots' points
              expect(balance).toBe(spendableIn(lots, now))
              expect(expireLots(lots, now).points).toBe(0)
              break
            }
          }
          for (const l of lots) expect(l.remaining >= 0 && l.remaining <= l.amount).toBe(true)
          expect(balance).toBe(lots.reduce((s, l) => s + l.remaining, 0))
          expect(balance).toBeGreaterThanOrEqual(0)
        }
        const awarded = lots.reduce((s, l) => s + l.amount, 0)
        const spent = spends.reduce((s, d) => s + (d?.reduce((x, y) => x + y.points, 0) ?? 0), 0)
        expect(balance).toBe(awarded - spent - expiredTotal)
      }),
      { numRuns: 500 }
    )
  })
})

// ------------------------------------------------------------ service with expiry on

const community = generateCommunity({ seed: 31, communityId: "inc-exp-1", buildings: 1, floors: 2 })
const C = community.community.id
const R = community.residents.map((r) => r.id)
const r0 = R[0]!
const r1 = R[1]!

const withExpiry: Incentives.IncentiveConfigShape = { ...Incentives.defaultIncentiveConfig, expiry: { afterDays: 30 } }

const makeLayer = (config: Incentives.IncentiveConfigShape) =>
  Layer.mergeAll(
    Gongzhi.layer({ templates: Incentives.incentiveTemplates }),
    MemoryStore.layer({ directory: [community] }),
    Layer.succeed(Incentives.IncentiveConfig, config)
  )

const staff = (roles: ReadonlyArray<Role>) => new StaffActor({ communityId: C, staffId: StaffId.make("s-x"), roles: [...roles], departments: [] })
const admin = staff([Roles.admin])
const resident = (id: string) => new ResidentActor({ communityId: C, residentId: ResidentId.make(id) })
const scheduler = new SystemActor({ communityId: C, process: "scheduler" })

/** 2026-11-30 09:00 in Shanghai. */
const T0 = Date.UTC(2026, 10, 30, 1)

const run = <A, E>(effect: Effect.Effect<A, E, any>, config = withExpiry) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(T0)
    return yield* effect
  }).pipe(Effect.provide(makeLayer(config))) as Effect.Effect<A, E>

const balanceOf = (id: string) =>
  Effect.flatMap(LedgerStore, (s) => s.getAccount(C, AccountId.make(id))).pipe(
    Effect.map((a) => Option.match(a, { onNone: () => 0, onSome: (x) => x.balance }))
  )
const pointsOf = (residentId: string) => balanceOf(`inc:r:${residentId}`)
const lotsOf = (residentId: string) =>
  Effect.flatMap(Incentives.IncentiveStore, (s) => s.listLots(C, ResidentId.make(residentId)))
const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))
const eventsOf = (type: string) => Effect.map(readJournal(C), (es) => es.filter((e) => e.type === type))
const give = (residentId: string, points: number) =>
  Incentives.award(admin, { communityId: C, residentId, points, reason: "expiry test" })
const setItem = Incentives.addItem(admin, { communityId: C, itemId: "soap", kind: "goods", name: "洗衣液", cost: 5 })
const redeem = (residentId: string, quantity: number) =>
  Incentives.redeem(resident(residentId), { communityId: C, residentId, itemId: "soap", quantity })

describe("incentives with expiry on (service)", () => {
  it.effect("every award creates a lot; redemptions spend the oldest points first", () =>
    run(Effect.gen(function* () {
      yield* setItem
      const a = yield* give(r0, 10)
      yield* TestClock.adjust(DAY)
      const b = yield* give(r0, 20)
      const red = yield* redeem(r0, 3) // 15 points: 10 from a, 5 from b
      expect(red.draws).toEqual([{ lotId: `${a.id}:award`, points: 10 }, { lotId: `${b.id}:award`, points: 5 }])
      expect(yield* pointsOf(r0)).toBe(15)
      const lots = yield* lotsOf(r0)
      expect(lots.map((l) => [l.id, l.remaining, l.expiresAt])).toEqual([[`${b.id}:award`, 15, T0 + DAY + 30 * DAY]])
    })))

  it.effect("a threshold bonus is a lot of its own, after its award's lot", () =>
    run(Effect.gen(function* () {
      const a = yield* give(r0, 100)
      expect(a.bonus).toBe(10)
      expect((yield* lotsOf(r0)).map((l) => [l.id, l.kind, l.amount])).toEqual([[`${a.id}:award`, "award", 100], [`${a.id}:bonus`, "bonus", 10]])
    })))

  it.effect("expireDue moves expired points to inc:expired, keeps lifetime and level, and changes nothing when re-run", () =>
    run(Effect.gen(function* () {
      yield* setItem
      const a = yield* give(r0, 60) // level 积极分子 (50)
      yield* TestClock.adjust(DAY)
      yield* give(r0, 20)
      yield* redeem(r0, 1) // 5 from a
      const levelBefore = (yield* Incentives.standing(admin, C, r0)).level
      expect(levelBefore.id).toBe("activist")
      // not due yet: nothing
      yield* TestClock.setTime(T0 + 30 * DAY - 1)
      expect(yield* Incentives.expireDue(scheduler, { communityId: C })).toEqual({ lots: 0, points: 0, residents: 0, more: false })
      // a's 55 left points are due
      yield* TestClock.setTime(T0 + 30 * DAY)
      const first = yield* Incentives.expireDue(scheduler, { communityId: C })
      expect(first).toEqual({ lots: 1, points: 55, residents: 1, more: false })
      expect(yield* pointsOf(r0)).toBe(20)
      expect(yield* balanceOf("inc:expired")).toBe(55)
      const st = yield* Incentives.standing(admin, C, r0)
      expect([st.lifetime, st.level.id, st.balance]).toEqual([80, "activist", 20])
      const expired = yield* eventsOf("IncentivePointsExpired")
      expect(expired.map((e) => e.payload)).toEqual([
        expect.objectContaining({ residentId: r0, lotId: `${a.id}:award`, awardId: a.id, points: 55, reason: "due", expiresAt: T0 + 30 * DAY })
      ])
      expect((yield* eventsOf("IncentiveLevelChanged")).length).toBe(1) // the level up only
      // re-running changes nothing
      const before = yield* state
      expect(yield* Incentives.expireDue(scheduler, { communityId: C })).toEqual({ lots: 0, points: 0, residents: 0, more: false })
      expect(yield* state).toStrictEqual(before)
      // the balance is the unexpired lots' points
      expect((yield* lotsOf(r0)).reduce((s, l) => s + l.remaining, 0)).toBe(yield* pointsOf(r0))
      expect((yield* verifyJournal(C)).ok).toBe(true)
    })))

  it.effect("expired points cannot be spent even before expireDue has run", () =>
    run(Effect.gen(function* () {
      yield* setItem
      yield* give(r0, 10)
      yield* TestClock.adjust(DAY)
      yield* give(r0, 5)
      yield* TestClock.setTime(T0 + 30 * DAY)
      expect(yield* pointsOf(r0)).toBe(15) // not swept yet
      const before = yield* state
      const refused = yield* Effect.flip(redeem(r0, 2))
      expect(refused).toMatchObject({ _tag: "InsufficientBalance", balance: 5, amount: -10 })
      expect(yield* state).toStrictEqual(before)
      expect((yield* redeem(r0, 1)).points).toBe(5)
    })))

  it.effect("cancelling a redemption restores the same lots; a part whose lot expired meanwhile expires at once", () =>
    run(Effect.gen(function* () {
      yield* setItem
      const a = yield* give(r0, 10)
      yield* TestClock.adjust(DAY)
      const b = yield* give(r0, 20)
      const early = yield* redeem(r0, 1)
      yield* Incentives.cancelRedemption(resident(r0), { communityId: C, redemptionId: early.id, reason: "不需要了" })
      expect((yield* lotsOf(r0)).map((l) => l.remaining)).toEqual([10, 20])
      expect(yield* pointsOf(r0)).toBe(30)

      const red = yield* redeem(r0, 3) // 10 from a, 5 from b
      yield* TestClock.setTime(T0 + 30 * DAY) // a expired, b not
      yield* Incentives.cancelRedemption(admin, { communityId: C, redemptionId: red.id, reason: "缺货" })
      expect(yield* pointsOf(r0)).toBe(20)
      expect(yield* balanceOf("inc:expired")).toBe(10)
      expect(yield* balanceOf("inc:sink")).toBe(0)
      expect((yield* lotsOf(r0)).map((l) => [l.id, l.remaining])).toEqual([[`${b.id}:award`, 20]])
      const expired = yield* eventsOf("IncentivePointsExpired")
      expect(expired.map((e) => e.payload)).toEqual([expect.objectContaining({ lotId: `${a.id}:award`, points: 10, reason: "refund" })])
      // nothing left to expire for a
      expect((yield* Incentives.expireDue(admin, { communityId: C })).points).toBe(0)
    })))

  it.effect("revoking: a whole award's lot is emptied; a partly spent award cannot be revoked and nothing changes", () =>
    run(Effect.gen(function* () {
      yield* setItem
      const a = yield* give(r0, 10)
      const b = yield* give(r0, 10)
      yield* Incentives.revokeAward(admin, { communityId: C, awardId: b.id, reason: "mistake" })
      expect(yield* pointsOf(r0)).toBe(10)
      expect((yield* lotsOf(r0)).map((l) => l.id)).toEqual([`${a.id}:award`])
      yield* redeem(r0, 1)
      const before = yield* state
      const refused = yield* Effect.flip(Incentives.revokeAward(admin, { communityId: C, awardId: a.id, reason: "mistake" }))
      expect(refused).toMatchObject({ _tag: "InsufficientBalance", balance: 5, amount: -10 })
      expect(yield* state).toStrictEqual(before)
    })))

  it.effect("expireDue works in batches of `limit`, oldest expiry first, across residents", () =>
    run(Effect.gen(function* () {
      yield* give(r0, 1)
      yield* TestClock.adjust(1000)
      yield* give(r1, 2)
      yield* TestClock.adjust(1000)
      yield* give(r0, 3)
      yield* TestClock.setTime(T0 + 40 * DAY)
      expect(yield* Incentives.expireDue(scheduler, { communityId: C, limit: 2 })).toEqual({ lots: 2, points: 3, residents: 2, more: true })
      expect([yield* pointsOf(r0), yield* pointsOf(r1)]).toEqual([3, 0])
      expect(yield* Incentives.expireDue(scheduler, { communityId: C, limit: 2 })).toEqual({ lots: 1, points: 3, residents: 1, more: false })
      expect(yield* balanceOf("inc:expired")).toBe(6)
    })))

  it.effect("with expiry off (the default) no lots are kept and expireDue does nothing", () =>
    run(Effect.gen(function* () {
      yield* give(r0, 10)
      yield* TestClock.setTime(T0 + 400 * DAY)
      expect(yield* lotsOf(r0)).toEqual([])
      expect(yield* Incentives.expireDue(scheduler, { communityId: C })).toEqual({ lots: 0, points: 0, residents: 0, more: false })
      expect(yield* pointsOf(r0)).toBe(10)
    }), Incentives.defaultIncentiveConfig))

  it.effect("expireDue: admin and the system only", () =>
    run(Effect.gen(function* () {
      const actors: Record<string, Actor> = {
        self: resident(r0),
        admin,
        treasurer: staff([Roles.treasurer]),
        clerk: staff([Roles.clerk]),
        system: scheduler
      }
      for (const [who, actor] of Object.entries(actors)) {
        const exit = yield* Effect.exit(Incentives.expireDue(actor, { communityId: C }))
        const forbidden = Exit.isFailure(exit) && exit.cause._tag === "Fail" && (exit.cause.error as { _tag: string })._tag === "Forbidden"
        expect({ who, forbidden }).toEqual({ who, forbidden: !["admin", "system"].includes(who) })
      }
    })))
})
