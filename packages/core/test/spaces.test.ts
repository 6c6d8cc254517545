import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  AccountId,
  appendEvents,
  Issues,
  checkPermission,
  CommunityId,
  decodeEntry,
  drain,
  Gongzhi,
  Incentives,
  LedgerStore,
  openAccount,
  postTransaction,
  readJournal,
  renderMessage,
  type Resident,
  ResidentActor,
  Roles,
  type Role,
  Spaces,
  StaffActor,
  StaffId,
  SystemActor,
  verifyJournal
} from "../src/index.js"
import { snapshot } from "./support.js"

const C = CommunityId.make("sp-community")
const community = generateCommunity({ seed: 21, communityId: C, buildings: 2, floors: 4 })
const testLayer = Layer.mergeAll(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))

const H = 3_600_000
const DAY = 24 * H
/** Monday 2026-06-01 00:00 in Shanghai. */
const MON = Date.UTC(2026, 5, 1) - 8 * H
/** The test's "now": Monday 2026-06-01 10:00 in Shanghai. */
const T0 = MON + 10 * H
const at = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.zipRight(TestClock.setTime(T0), effect).pipe(Effect.provide(testLayer))

const staff = (...roles: ReadonlyArray<Role>) =>
  new StaffActor({ communityId: C, staffId: StaffId.make(`s-${roles.join("-") || "none"}`), roles: [...roles], departments: [] })
const admin = staff(Roles.admin)
const committee = staff(Spaces.SpaceRoles.spaceCommittee)
const clerk = staff(Roles.clerk)
const system = new SystemActor({ communityId: C, process: "test" })
const actor = (r: Resident) => new ResidentActor({ communityId: C, residentId: r.id })

/** One resident per household (owners first), households in directory order. */
const heads: Array<Resident> = []
for (const h of community.households) {
  const members = community.residents.filter((r) => r.householdId === h.id)
  const head = members.find((r) => r.kind === "owner") ?? members[0]
  if (head !== undefined) heads.push(head)
}
const [alice, bob, carol, dave, erin, frank] = heads as [Resident, Resident, Resident, Resident, Resident, Resident]

const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))
const failsUnchanged = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>, tag: string) =>
  Effect.gen(function* () {
    const before = yield* state
    const error = yield* Effect.flip(effect)
    expect(error._tag).toBe(tag)
    expect(yield* state).toStrictEqual(before)
    return error
  })

/** Puts `fen` into a household's fee account (as cash received at the desk). */
const topUp = (r: Resident, fen: number) =>
  Effect.gen(function* () {
    const ledger = yield* LedgerStore
    if (Option.isNone(yield* ledger.getAccount(C, AccountId.make("cash")))) {
      yield* openAccount(system, { communityId: C, accountId: "cash", unit: "fen", kind: "cash" })
    }
    const wallet = `wallet:${r.householdId}`
    if (Option.isNone(yield* ledger.getAccount(C, AccountId.make(wallet)))) {
      yield* openAccount(system, { communityId: C, accountId: wallet, unit: "fen", kind: "household-wallet", owner: r.householdId!, floor: 0 })
    }
    yield* postTransaction(system, { communityId: C, unit: "fen", kind: "top-up", memo: "", postings: [{ accountId: "cash", amount: -fen }, { accountId: wallet, amount: fen }] })
  })
const balanceOf = (id: string) =>
  Effect.map(Effect.flatMap(LedgerStore, (l) => l.getAccount(C, AccountId.make(id))), Option.match({ onNone: () => 0, onSome: (a) => a.balance }))
const fund = balanceOf("fund:community")
const wallet = (r: Resident) => balanceOf(`wallet:${r.householdId}`)

const bay = (rules: Partial<Spaces.SpaceRules> = {}) =>
  Spaces.defineSpace(committee, { communityId: C, id: "bay-1", kind: "parking", label: "共享车位 1", areaDm2: 1250, rules: { ...Spaces.seedParkingRules, advanceDays: [14], ...rules } })
const room = (rules: Partial<Spaces.SpaceRules> = {}) =>
  Spaces.defineSpace(committee, {
    communityId: C, id: "room-1", kind: "room", label: "活动室", capacity: 60, areaDm2: 8000,
    openingHours: [{ fromMinute: 480, toMinute: 1260 }],
    rules: { ...Spaces.seedRoomRules, ...rules }
  })
const book = (r: Resident, spaceId: string, startsAt: number, endsAt: number, extra: Record<string, unknown> = {}) =>
  Spaces.book(actor(r), { communityId: C, spaceId, residentId: r.id, startsAt, endsAt, ...extra })
const events = Effect.map(readJournal(C), (es) => es.flatMap((e) => Option.toArray(decodeEntry(Spaces.SpacesEvent)(e))))

describe("spaces: inventory", () => {
  it.effect("the committee defines spaces; a redefinition is the next version; residents may not; bad rules change nothing", () =>
    at(Effect.gen(function* () {
      const s = yield* bay()
      expect(s.version).toBe(1)
      expect((yield* bay({ quota: { weekMinutes: 600 } })).version).toBe(2)
      yield* failsUnchanged(Spaces.defineSpace(actor(alice), { communityId: C, id: "bay-2", kind: "parking", label: "x" }), "Forbidden")
      yield* failsUnchanged(bay({ minMinutes: 60, maxMinutes: 30 }), "InvalidInput")
      yield* failsUnchanged(Spaces.defineSpace(committee, { communityId: C, id: "bay 2", kind: "parking", label: "x" }), "InvalidInput")
      expect((yield* Spaces.listSpaces(actor(alice), C)).map((x) => x.id)).toEqual(["bay-1"])
    })))
})

describe("spaces: bookings", () => {
  it.effect("a bay at night is free; by day it is charged by the hour into the community fund", () =>
    at(Effect.gen(function* () {
      yield* bay()
      const night = yield* book(alice, "bay-1", MON + 19 * H, MON + 31 * H)
      expect(night.booking.priceFen).toBe(0)
      expect(night.booking.feeTxId).toBeUndefined()
      yield* topUp(bob, 2000)
      const day = yield* book(bob, "bay-1", MON + DAY + 17 * H, MON + DAY + 20 * H)
      expect(day.booking.priceFen).toBe(1000) // 17-19 by day, 19-20 at night
      expect(yield* fund).toBe(1000)
      expect(yield* wallet(bob)).toBe(1000)
      expect((yield* events).map((e) => e._tag)).toEqual(["SpacesSpaceDefined", "SpacesBookingMade", "SpacesBookingMade"])
      expect((yield* verifyJournal(C)).ok).toBe(true)
    })))

  it.effect("a household that cannot pay gets InsufficientBalance and nothing changes; the slot stays free", () =>
    at(Effect.gen(function* () {
      yield* bay()
      yield* topUp(carol, 499)
      yield* failsUnchanged(book(carol, "bay-1", MON + DAY + 9 * H, MON + DAY + 10 * H), "InsufficientBalance")
      yield* topUp(carol, 1)
      expect((yield* book(carol, "bay-1", MON + DAY + 9 * H, MON + DAY + 10 * H)).booking.priceFen).toBe(500)
    })))

  it.effect("no double booking: an overlapping request is SlotTaken, a touching one is fine", () =>
    at(Effect.gen(function* () {
      yield* bay()
      yield* book(alice, "bay-1", MON + 20 * H, MON + 22 * H)
      yield* failsUnchanged(book(bob, "bay-1", MON + 21 * H, MON + 23 * H), "SlotTaken")
      yield* book(bob, "bay-1", MON + 22 * H, MON + 23 * H)
      const free = yield* Spaces.freeSlots(actor(carol), C, Spaces.SpaceId.make("bay-1"), "2026-06-01")
      expect(free).toEqual([{ startsAt: MON, endsAt: MON + 20 * H }, { startsAt: MON + 23 * H, endsAt: MON + DAY }])
    })))

  it.effect("opening hours, whole slots and capacity are checked before anything is written", () =>
    at(Effect.gen(function* () {
      yield* room()
      yield* failsUnchanged(book(alice, "room-1", MON + DAY + 20 * H, MON + DAY + 22 * H), "OutsideOpeningHours")
      yield* failsUnchanged(book(alice, "room-1", MON + DAY + 9 * H + 60_000, MON + DAY + 10 * H), "InvalidInput")
      yield* failsUnchanged(book(alice, "room-1", MON + DAY + 9 * H, MON + DAY + 10 * H, { attendees: 61 }), "NotEligible")
      yield* failsUnchanged(book(alice, "room-1", MON + 8 * H, MON + 9 * H), "NotEligible") // in the past
      yield* failsUnchanged(book(alice, "room-1", MON + DAY + 9 * H, MON + DAY + 9 * H), "InvalidInput")
      yield* failsUnchanged(Spaces.book(actor(alice), { communityId: C, spaceId: "room-1", residentId: bob.id, startsAt: MON + DAY + 9 * H, endsAt: MON + DAY + 10 * H }), "Forbidden")
    })))

  it.effect("weekly quota per household is exact at its edges, and a new week starts on Monday 00:00", () =>
    at(Effect.gen(function* () {
      yield* bay() // 1200 minutes a week
      yield* book(alice, "bay-1", MON + 19 * H, MON + 29 * H) // Mon night, 600 min
      yield* book(alice, "bay-1", MON + 4 * DAY + 19 * H, MON + 5 * DAY + 5 * H) // Fri night, 600 min: exactly 1200
      const e = yield* failsUnchanged(book(alice, "bay-1", MON + 6 * DAY + 23.5 * H, MON + 7 * DAY), "QuotaExceeded") // Sunday 23:30
      expect(e).toMatchObject({ quota: "weekMinutes", limit: 1200, used: 1200, requested: 30 })
      // Another resident of the same household counts against the same quota.
      const housemate = community.residents.find((r) => r.householdId === alice.householdId && r.id !== alice.id)
      if (housemate !== undefined) yield* failsUnchanged(book(housemate, "bay-1", MON + 2 * DAY + 20 * H, MON + 2 * DAY + 21 * H), "QuotaExceeded")
      yield* book(alice, "bay-1", MON + 7 * DAY, MON + 7 * DAY + H) // next Monday 00:00
      // A cancelled booking gives its minutes back.
      const b = yield* book(bob, "bay-1", MON + 2 * DAY + 19 * H, MON + 3 * DAY + 5 * H)
      yield* book(bob, "bay-1", MON + 3 * DAY + 19 * H, MON + 4 * DAY + 5 * H)
      yield* failsUnchanged(book(bob, "bay-1", MON + 5 * DAY + 20 * H, MON + 5 * DAY + 21 * H), "QuotaExceeded")
      yield* Spaces.cancelBooking(actor(bob), { communityId: C, spaceId: "bay-1", bookingId: b.booking.id })
      yield* book(bob, "bay-1", MON + 5 * DAY + 20 * H, MON + 5 * DAY + 21 * H)
    })))

  it.effect("monthly booking quota of the room: the 4th is allowed, the 5th is not", () =>
    at(Effect.gen(function* () {
      yield* room()
      for (let d = 1; d <= 4; d++) yield* book(alice, "room-1", MON + d * DAY + 9 * H, MON + d * DAY + 10 * H)
      const e = yield* failsUnchanged(book(alice, "room-1", MON + 5 * DAY + 9 * H, MON + 5 * DAY + 10 * H), "QuotaExceeded")
      expect(e).toMatchObject({ quota: "monthBookings", limit: 4, used: 4 })
    })))

  it.effect("booking windows open earlier for higher incentive levels (read through the incentives module)", () =>
    at(Effect.gen(function* () {
      yield* room()
      const slot = (days: number) => [T0 + days * DAY, T0 + days * DAY + H] as const
      // 7 days ahead exactly: allowed for level 0; 30 minutes later: not yet.
      yield* book(alice, "room-1", ...slot(7))
      const e = yield* failsUnchanged(book(alice, "room-1", T0 + 7 * DAY + 0.5 * H, T0 + 7 * DAY + 1.5 * H), "NotEligible")
      expect(e).toMatchObject({ reason: "window-not-open", opensAt: T0 + 0.5 * H })
      yield* failsUnchanged(book(bob, "room-1", ...slot(14)), "NotEligible")
      // 200 lifetime points: level 骨干 (index 2), whose perk is priority booking: 14 days.
      yield* Incentives.award(admin, { communityId: C, residentId: bob.id, action: "manual", points: 200, reason: "community work" })
      expect((yield* Incentives.standing(admin, C, bob.id)).level.index).toBe(2)
      yield* book(bob, "room-1", ...slot(14))
      yield* failsUnchanged(book(bob, "room-1", T0 + 14 * DAY + 0.5 * H, T0 + 14 * DAY + 1.5 * H), "NotEligible")
    })))

  it.effect("free parking minutes of the level perk apply by day, once a month", () =>
    at(Effect.gen(function* () {
      yield* bay()
      yield* topUp(alice, 10_000)
      yield* Incentives.award(admin, { communityId: C, residentId: alice.id, action: "manual", points: 50, reason: "volunteer" })
      const first = yield* book(alice, "bay-1", MON + DAY + 9 * H, MON + DAY + 11 * H)
      expect(first.booking).toMatchObject({ priceFen: 500, freeMinutes: 60 })
      const second = yield* book(alice, "bay-1", MON + 2 * DAY + 9 * H, MON + 2 * DAY + 10 * H)
      expect(second.booking).toMatchObject({ priceFen: 500, freeMinutes: 0 })
      expect(yield* fund).toBe(1000)
    })))

  it.effect("cancelling before the deadline refunds in full; after it, the cancellation is late and nothing is refunded", () =>
    at(Effect.gen(function* () {
      yield* bay() // cancel 60 minutes before
      yield* topUp(alice, 5000)
      const a = yield* book(alice, "bay-1", T0 + 2 * H, T0 + 3 * H)
      const b = yield* book(alice, "bay-1", T0 + 4 * H, T0 + 5 * H)
      expect(yield* wallet(alice)).toBe(4000)
      yield* TestClock.setTime(T0 + H) // exactly 60 minutes before a
      const ca = yield* Spaces.cancelBooking(actor(alice), { communityId: C, spaceId: "bay-1", bookingId: a.booking.id })
      expect(ca).toMatchObject({ status: "cancelled", refundFen: 500 })
      yield* TestClock.setTime(T0 + 3 * H + 1) // 59:59.999 before b
      const cb = yield* Spaces.cancelBooking(actor(alice), { communityId: C, spaceId: "bay-1", bookingId: b.booking.id })
      expect(cb.late).toBe(true)
      expect(cb.refundFen).toBeUndefined()
      expect(yield* wallet(alice)).toBe(4500)
      expect(yield* fund).toBe(500)
      // Another household may not cancel it.
      const c = yield* book(alice, "bay-1", T0 + 20 * H, T0 + 21 * H)
      yield* failsUnchanged(Spaces.cancelBooking(actor(bob), { communityId: C, spaceId: "bay-1", bookingId: c.booking.id }), "NotEligible")
    })))

  it.effect("three no-shows in 30 days stop a household from booking", () =>
    at(Effect.gen(function* () {
      yield* bay()
      for (let d = 0; d < 3; d++) {
        const b = yield* book(alice, "bay-1", T0 + d * DAY + 10 * H, T0 + d * DAY + 11 * H)
        yield* TestClock.setTime(T0 + d * DAY + 10 * H)
        yield* failsUnchanged(Spaces.markNoShow(actor(alice), { communityId: C, spaceId: "bay-1", bookingId: b.booking.id }), "Forbidden")
        yield* Spaces.markNoShow(clerk, { communityId: C, spaceId: "bay-1", bookingId: b.booking.id })
      }
      const e = yield* failsUnchanged(book(alice, "bay-1", T0 + 3 * DAY + 10 * H, T0 + 3 * DAY + 11 * H), "NotEligible")
      expect(e).toMatchObject({ reason: "no-shows" })
      yield* book(bob, "bay-1", T0 + 3 * DAY + 10 * H, T0 + 3 * DAY + 11 * H)
    })))

  it.effect("a closure cancels and refunds the bookings in it; nobody books into it", () =>
    at(Effect.gen(function* () {
      yield* bay()
      yield* topUp(alice, 1000)
      const b = yield* book(alice, "bay-1", MON + DAY + 9 * H, MON + DAY + 10 * H)
      const { cancelled } = yield* Spaces.addClosure(clerk, { communityId: C, spaceId: "bay-1", startsAt: MON + DAY, endsAt: MON + 2 * DAY, reason: "路面维修" })
      expect(cancelled).toEqual([b.booking.id])
      expect(yield* wallet(alice)).toBe(1000)
      const e = yield* failsUnchanged(book(bob, "bay-1", MON + DAY + 20 * H, MON + DAY + 21 * H), "SlotTaken")
      expect(e).toMatchObject({ by: "closure" })
    })))

  it.effect("large events wait for approval and hold the slot; a rejection refunds", () =>
    at(Effect.gen(function* () {
      yield* room({ bands: [{ fromMinute: 0, toMinute: 1440, perHourFen: 1000 }] })
      yield* topUp(alice, 5000)
      const big = yield* book(alice, "room-1", MON + DAY + 14 * H, MON + DAY + 16 * H, { attendees: 40, purpose: "读书会" })
      expect(big.booking.status).toBe("pending")
      yield* failsUnchanged(book(bob, "room-1", MON + DAY + 15 * H, MON + DAY + 16 * H), "SlotTaken")
      yield* failsUnchanged(Spaces.decideBooking(clerk, { communityId: C, spaceId: "room-1", bookingId: big.booking.id }, true), "Forbidden")
      const rejected = yield* Spaces.decideBooking(committee, { communityId: C, spaceId: "room-1", bookingId: big.booking.id }, false)
      expect(rejected.status).toBe("rejected")
      expect(yield* wallet(alice)).toBe(5000)
      const small = yield* book(alice, "room-1", MON + DAY + 14 * H, MON + DAY + 16 * H, { attendees: 40 })
      expect((yield* Spaces.decideBooking(committee, { communityId: C, spaceId: "room-1", bookingId: small.booking.id }, true)).status).toBe("confirmed")
    })))

  it.effect("an idempotency key replays the first booking; a different request with it is refused", () =>
    at(Effect.gen(function* () {
      yield* bay()
      const a = yield* book(alice, "bay-1", MON + 20 * H, MON + 21 * H, { idempotencyKey: "k-1" })
      const again = yield* book(alice, "bay-1", MON + 20 * H, MON + 21 * H, { idempotencyKey: "k-1" })
      expect(again).toEqual({ booking: a.booking, replayed: true })
      yield* failsUnchanged(book(alice, "bay-1", MON + 21 * H, MON + 22 * H, { idempotencyKey: "k-1" }), "IdempotencyKeyReused")
    })))

  it.effect("a weekly series for a group is all or nothing and may reach beyond the booking window", () =>
    at(Effect.gen(function* () {
      yield* room({ quota: { monthBookings: 10 } })
      const series = (weeks: number) => Spaces.bookSeries(committee, { communityId: C, spaceId: "room-1", residentId: alice.id, startsAt: MON + 5 * DAY + 9 * H, endsAt: MON + 5 * DAY + 11 * H, weeks, purpose: "读书角" })
      yield* failsUnchanged(book(bob, "room-1", MON + 5 * DAY + 4 * 7 * DAY + 10 * H, MON + 5 * DAY + 4 * 7 * DAY + 11 * H), "NotEligible")
      yield* Spaces.bookSeries(committee, { communityId: C, spaceId: "room-1", residentId: bob.id, startsAt: MON + 5 * DAY + 4 * 7 * DAY + 10 * H, endsAt: MON + 5 * DAY + 4 * 7 * DAY + 11 * H, weeks: 1 })
      yield* failsUnchanged(series(6), "SlotTaken")
      const made = yield* series(4)
      expect(made.map((b) => b.startsAt)).toEqual([0, 1, 2, 3].map((i) => MON + 5 * DAY + 9 * H + i * 7 * DAY))
      yield* failsUnchanged(Spaces.bookSeries(actor(alice), { communityId: C, spaceId: "room-1", residentId: alice.id, startsAt: MON + 6 * DAY + 9 * H, endsAt: MON + 6 * DAY + 10 * H, weeks: 2 }), "Forbidden")
    })))

  it.effect("utilisation and fee income", () =>
    at(Effect.gen(function* () {
      yield* bay()
      yield* topUp(alice, 5000)
      yield* book(alice, "bay-1", MON + DAY + 9 * H, MON + DAY + 11 * H)
      yield* book(alice, "bay-1", MON + DAY + 19 * H, MON + 2 * DAY + 7 * H)
      const u = yield* Spaces.utilisation(committee, C, Spaces.SpaceId.make("bay-1"), "2026-06")
      expect(u).toMatchObject({ openMinutes: 30 * 24 * 60, bookedMinutes: 14 * 60, bookings: 2, feeFen: 1000 })
      expect(u.permille).toBe(Math.round((14 * 60 * 1000) / (30 * 24 * 60)))
      expect(yield* Spaces.feeIncome(committee, C, 0, T0 + DAY)).toEqual({ chargedFen: 1000, refundedFen: 0, netFen: 1000 })
    })))
})

const SEED = "spring-2026-plots:5b1e0c7d9a"
const plotRound = (plots: number, extra: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    for (let i = 1; i <= plots; i++) {
      yield* Spaces.defineSpace(committee, { communityId: C, id: `plot-${i}`, kind: "plot", label: `菜地 ${i}`, areaDm2: 2000, rules: Spaces.seedPlotRules })
    }
    return yield* Spaces.openRound(committee, {
      communityId: C,
      label: "2026 认养",
      spaceIds: Array.from({ length: plots }, (_, i) => `plot-${i + 1}`),
      termStartsAt: MON + 30 * DAY,
      termEndsAt: MON + 30 * DAY + 365 * DAY,
      opensAt: T0,
      closesAt: T0 + 7 * DAY,
      ...extra
    })
  })

describe("spaces: plot adoption and the lottery", () => {
  it.effect("seed committed before the window closes, revealed at the draw; anyone recomputes the result", () =>
    at(Effect.gen(function* () {
      const round = yield* plotRound(3)
      yield* failsUnchanged(Spaces.draw(committee, { communityId: C, roundId: round.id, seed: SEED }), "InvalidInput")
      yield* Spaces.commitSeed(committee, { communityId: C, roundId: round.id, seedHash: Spaces.seedCommitment(SEED) })
      yield* failsUnchanged(Spaces.commitSeed(committee, { communityId: C, roundId: round.id, seedHash: Spaces.seedCommitment("other-seed-xxxxxxxx") }), "AlreadyExists")
      for (const r of [alice, bob, carol, dave, erin, frank]) yield* Spaces.apply(actor(r), { communityId: C, roundId: round.id, residentId: r.id })
      yield* failsUnchanged(Spaces.apply(actor(alice), { communityId: C, roundId: round.id, residentId: alice.id }), "AlreadyAllocated")
      yield* TestClock.setTime(T0 + 7 * DAY)
      yield* failsUnchanged(Spaces.apply(actor(heads[6]!), { communityId: C, roundId: round.id, residentId: heads[6]!.id }), "ApplicationWindowClosed")
      yield* failsUnchanged(Spaces.commitSeed(committee, { communityId: C, roundId: round.id, seedHash: Spaces.seedCommitment(SEED) }), "ApplicationWindowClosed")
      const bad = yield* failsUnchanged(Spaces.draw(committee, { communityId: C, roundId: round.id, seed: `${SEED}x` }), "SeedMismatch")
      expect(bad).toMatchObject({ what: "seed" })
      const { offers } = yield* Spaces.draw(committee, { communityId: C, roundId: round.id, seed: SEED })
      expect(offers.length).toBe(3)
      yield* failsUnchanged(Spaces.draw(committee, { communityId: C, roundId: round.id, seed: SEED }), "LotteryAlreadyDrawn")
      // Recompute from the published event alone.
      const all = yield* events
      const drawn = all.find((e) => e._tag === "SpacesLotteryDrawn")!
      if (drawn._tag !== "SpacesLotteryDrawn") throw new Error("no draw")
      expect(all.findIndex((e) => e._tag === "SpacesSeedCommitted")).toBeLessThan(all.indexOf(drawn))
      expect(Spaces.drawLottery(drawn)).toEqual(drawn.result)
      expect(Spaces.verifyLottery(drawn)).toBeUndefined()
      expect(drawn.applicants.length).toBe(6)
      expect(offers.map((o) => o.householdId)).toEqual(drawn.result.winners.map((w) => w.householdId))
      yield* Spaces.verifyRound(actor(alice), C, round.id)
      // A changed stored list is detected.
      const store = yield* Spaces.SpacesStore
      yield* store.applications.insert(new Spaces.Application({ communityId: C, roundId: round.id, householdId: heads[7]!.householdId!, residentId: heads[7]!.id, group: "general", appliedAt: T0 }))
      expect(yield* Effect.flip(Spaces.verifyRound(actor(alice), C, round.id))).toMatchObject({ _tag: "SeedMismatch", what: "applicants" })
    })))

  it.effect("offers: accept pays 50 yuan into the fund; decline and lapse pass the plot down the waitlist in draw order; release and revoke too", () =>
    at(Effect.gen(function* () {
      const round = yield* plotRound(2, { seedHash: Spaces.seedCommitment(SEED), replyDays: 3 })
      const six = [alice, bob, carol, dave, erin, frank]
      for (const r of six) yield* Spaces.apply(actor(r), { communityId: C, roundId: round.id, residentId: r.id })
      yield* TestClock.setTime(T0 + 7 * DAY)
      const { offers, round: drawn } = yield* Spaces.draw(system, { communityId: C, roundId: round.id, seed: SEED })
      const byHousehold = new Map(six.map((r) => [r.householdId as string, r]))
      const waitlist = drawn.result!.waitlist.map((h) => byHousehold.get(h)!)
      const [w1, w2] = offers.map((o) => byHousehold.get(o.householdId)!) as [Resident, Resident]
      expect(yield* Spaces.waitlistPosition(actor(waitlist[1]!), C, round.id, waitlist[1]!.householdId!)).toBe(2)
      // The first winner cannot pay, then pays.
      yield* failsUnchanged(Spaces.acceptOffer(actor(w1), { communityId: C, adoptionId: offers[0]!.id, residentId: w1.id }), "InsufficientBalance")
      yield* failsUnchanged(Spaces.acceptOffer(actor(w2), { communityId: C, adoptionId: offers[0]!.id, residentId: w2.id }), "NotEligible")
      yield* topUp(w1, 5000)
      const active = yield* Spaces.acceptOffer(actor(w1), { communityId: C, adoptionId: offers[0]!.id, residentId: w1.id })
      expect(active.status).toBe("active")
      expect(yield* fund).toBe(5000)
      // The second declines: the first on the waitlist is offered plot 2.
      const declined = yield* Spaces.declineOffer(actor(w2), { communityId: C, adoptionId: offers[1]!.id, residentId: w2.id })
      expect(declined.passedTo).toMatchObject({ householdId: waitlist[0]!.householdId, spaceId: "plot-2", status: "offered" })
      expect(yield* Spaces.waitlistPosition(actor(waitlist[1]!), C, round.id, waitlist[1]!.householdId!)).toBe(1)
      // That offer lapses after 3 days: the next one gets it.
      yield* TestClock.setTime(T0 + 7 * DAY + 3 * DAY + 1)
      const lapsed = yield* Spaces.expireOffers(system, { communityId: C, roundId: round.id })
      expect(lapsed.map((l) => l.passedTo?.householdId)).toEqual([waitlist[1]!.householdId])
      // Mid-term release: the next one is offered the rest of the term at the pro-rata fee.
      yield* TestClock.setTime(MON + 30 * DAY + 146 * DAY)
      const released = yield* Spaces.releaseAdoption(actor(w1), { communityId: C, adoptionId: active.id, residentId: w1.id })
      expect(released.adoption.refundFen).toBeUndefined()
      expect(released.passedTo).toMatchObject({ householdId: waitlist[2]!.householdId, spaceId: "plot-1", feeFen: Spaces.proRataRefund(5000, MON + 30 * DAY, MON + 395 * DAY, MON + 176 * DAY) })
      expect(released.passedTo!.feeFen).toBe(3000)
      // The committee revokes with a pro-rata refund.
      const next = waitlist[2]!
      yield* topUp(next, 3000)
      const a2 = yield* Spaces.acceptOffer(actor(next), { communityId: C, adoptionId: released.passedTo!.id, residentId: next.id })
      yield* TestClock.setTime(MON + 30 * DAY + 219 * DAY) // 146 of 365 days left
      yield* failsUnchanged(Spaces.revokeAdoption(actor(next), { communityId: C, adoptionId: a2.id, reason: "x" }), "Forbidden")
      const revoked = yield* Spaces.revokeAdoption(committee, { communityId: C, adoptionId: a2.id, reason: "未按约定耕种" })
      expect(revoked.adoption.refundFen).toBe(Math.floor((3000 * 146) / 219))
      expect(yield* wallet(next)).toBe(revoked.adoption.refundFen)
    })))

  it.effect("priority groups, one adoption per household, and failed inspections end the term", () =>
    at(Effect.gen(function* () {
      const elderlyHouse = heads.find((h) => community.residents.some((r) => r.householdId === h.householdId && r.birthYear !== undefined && 2026 - r.birthYear >= 60))!
      const young = heads.filter((h) => !community.residents.some((r) => r.householdId === h.householdId && r.birthYear !== undefined && 2026 - r.birthYear >= 60)).slice(0, 4)
      const round = yield* plotRound(1, { seedHash: Spaces.seedCommitment(SEED), priorityGroups: ["elderly"] })
      for (const r of [...young, elderlyHouse]) yield* Spaces.apply(actor(r), { communityId: C, roundId: round.id, residentId: r.id })
      yield* TestClock.setTime(T0 + 7 * DAY)
      const { offers } = yield* Spaces.draw(committee, { communityId: C, roundId: round.id, seed: SEED })
      expect(offers.map((o) => o.householdId)).toEqual([elderlyHouse.householdId])
      yield* topUp(elderlyHouse, 5000)
      const a = yield* Spaces.acceptOffer(actor(elderlyHouse), { communityId: C, adoptionId: offers[0]!.id, residentId: elderlyHouse.id })
      const inspector = staff(Spaces.SpaceRoles.adoptionGroup)
      yield* Spaces.recordInspection(inspector, { communityId: C, adoptionId: a.id, passed: false, finding: "荒芜" })
      yield* Spaces.recordInspection(inspector, { communityId: C, adoptionId: a.id, passed: true, finding: "" })
      yield* Spaces.recordInspection(inspector, { communityId: C, adoptionId: a.id, passed: false, finding: "荒芜" })
      const ended = yield* Spaces.recordInspection(inspector, { communityId: C, adoptionId: a.id, passed: false, finding: "荒芜" })
      expect(ended.adoption).toMatchObject({ status: "ended", failedInspections: 3 })
      expect(ended.passedTo?.householdId).toBeDefined()
      // One adoption per household: the household now offered may not apply elsewhere.
      const round2 = yield* Spaces.openRound(committee, { communityId: C, label: "补充", spaceIds: ["plot-1"], termStartsAt: MON + 30 * DAY, termEndsAt: MON + 395 * DAY, opensAt: T0 + 7 * DAY, closesAt: T0 + 9 * DAY })
      const holder = heads.find((h) => h.householdId === ended.passedTo!.householdId)!
      yield* failsUnchanged(Spaces.apply(actor(holder), { communityId: C, roundId: round2.id, residentId: holder.id }), "AlreadyAllocated")
    })))
})

describe("spaces: occupation cases", () => {
  const household = () => alice.householdId!
  it.effect("three stages on working-day deadlines, none skipped; consent of the occupant only; reopening counts repeats", () =>
    at(Effect.gen(function* () {
      yield* Spaces.defineSpace(committee, { communityId: C, id: "green-1", kind: "other", label: "中心绿地", areaDm2: 20_000, rules: { ...Spaces.defaultSpacesConfig.defaultRules, mode: "none" } })
      const k = yield* Spaces.registerOccupation(actor(bob), { communityId: C, spaceId: "green-1", place: "3号楼北侧绿地", kind: "planting", areaDm2: 1000, householdId: household(), photos: ["p/1.jpg"] })
      expect(k).toMatchObject({ stage: "notice", dueDate: "2026-07-01" }) // one month, a working day
      yield* failsUnchanged(Spaces.advanceOccupation(committee, { communityId: C, caseId: k.id }), "StageNotDue")
      yield* failsUnchanged(Spaces.consentOccupation(actor(bob), { communityId: C, caseId: k.id }), "NotOccupant")
      yield* failsUnchanged(Spaces.advanceOccupation(actor(alice), { communityId: C, caseId: k.id }), "Forbidden")
      // The deadline day itself is still the occupant's.
      yield* TestClock.setTime(Date.UTC(2026, 6, 1, 2))
      yield* failsUnchanged(Spaces.advanceOccupation(committee, { communityId: C, caseId: k.id }), "StageNotDue")
      yield* TestClock.setTime(Date.UTC(2026, 6, 2, 2))
      yield* Spaces.defineSpace(committee, { communityId: C, id: "store-1", kind: "storage", label: "临时存放间", areaDm2: 600, rules: { ...Spaces.defaultSpacesConfig.defaultRules, mode: "adoption", adoptionFeeFen: 0 } })
      yield* failsUnchanged(Spaces.advanceOccupation(committee, { communityId: C, caseId: k.id, storageSpaceId: "green-1" }), "NotEligible")
      const assisted = yield* Spaces.advanceOccupation(committee, { communityId: C, caseId: k.id, storageSpaceId: "store-1" })
      const storage = yield* Spaces.acceptOffer(actor(alice), { communityId: C, adoptionId: assisted.storageAdoptionId!, residentId: alice.id })
      expect(storage).toMatchObject({ spaceId: "store-1", status: "active", feeFen: 0, termEndsAt: Date.UTC(2026, 6, 2, 2) + 30 * DAY })
      // 10 working days after Thursday 2026-07-02.
      expect(assisted).toMatchObject({ stage: "assisted", dueDate: "2026-07-16" })
      yield* failsUnchanged(Spaces.advanceOccupation(committee, { communityId: C, caseId: k.id }), "StageNotDue")
      // The occupant consents to forced clearing early.
      yield* Spaces.consentOccupation(actor(alice), { communityId: C, caseId: k.id })
      const forced = yield* Spaces.advanceOccupation(system, { communityId: C, caseId: k.id })
      expect(forced.stage).toBe("forced")
      expect(forced.history.map((h) => [h.stage, h.reason])).toEqual([["notice", "opened"], ["assisted", "deadline"], ["forced", "consent"]])
      yield* failsUnchanged(Spaces.advanceOccupation(committee, { communityId: C, caseId: k.id }), "StageNotDue")
      expect((yield* events).filter((e) => e._tag === "SpacesCreditRecordEntered")).toEqual([
        { _tag: "SpacesCreditRecordEntered", householdId: household(), caseId: k.id, kind: "forced-clearing" }
      ])
      expect(yield* Spaces.occupationFigure(committee, C)).toMatchObject({ commonAreaDm2: 20_600, occupiedAreaDm2: 1000, permille: Math.round(1000 * 1000 / 20_600), openCases: 1 })
      yield* Spaces.clearOccupation(clerk, { communityId: C, caseId: k.id })
      expect(yield* Spaces.occupationFigure(committee, C)).toMatchObject({ occupiedAreaDm2: 0, openCases: 0, repeatOccupations: 0 })
      const again = yield* Spaces.reopenOccupation(clerk, { communityId: C, caseId: k.id })
      expect(again).toMatchObject({ stage: "notice", repeats: 1 })
      yield* Spaces.clearOccupation(clerk, { communityId: C, caseId: k.id })
      expect((yield* Spaces.reopenOccupation(clerk, { communityId: C, caseId: k.id })).repeats).toBe(2)
      expect((yield* Spaces.occupationFigure(committee, C)).repeatOccupations).toBe(2)
    })))
})

describe("spaces: occupation cases from issue reports", () => {
  it.effect("a report of the type occupied-space opens a case once, however often it is delivered", () =>
    at(Effect.gen(function* () {
      const report = (caseId: string, typeId: string) =>
        appendEvents(C, Issues.IssueEvent, [
          { _tag: "IssueReportSubmitted", caseId: caseId as never, caseNumber: "2026-000042" as never, typeId: typeId as never }
        ])
      yield* report("case-1", "occupied-space")
      yield* report("case-2", "noise")
      yield* drain(Spaces.occupationsFromIssues, C)
      const cases = yield* Spaces.listOccupations(committee, C)
      expect(cases.map((k) => [k.place, k.stage])).toEqual([["issue 2026-000042", "notice"]])
      // Redelivery (a replayed cursor) opens nothing new.
      yield* Effect.flatMap(readJournal(C), (es) => Effect.forEach(es, (e) => Spaces.occupationsFromIssues.handle(e)))
      expect((yield* Spaces.listOccupations(committee, C)).length).toBe(1)
    })))
})

describe("spaces: notifications", () => {
  it.effect("a confirmed booking reaches the booker, rendered from the template in their language", () =>
    at(Effect.gen(function* () {
      yield* bay()
      yield* book(alice, "bay-1", MON + 20 * H, MON + 22 * H)
      yield* drain(Spaces.spacesNotifications, C)
      const outbox = (yield* MemoryInspector).outbox()
      expect(outbox.map((m) => m.templateId)).toEqual(["spaces.bookingConfirmed"])
      const text = Option.getOrThrow(yield* renderMessage(outbox[0]!))
      expect(text).toContain("共享车位 1")
      expect(text).toContain("2026-06-01 20:00")
    })))
})

describe("spaces: permission matrix", () => {
  const expected: Record<Spaces.SpacesCommand, ReadonlyArray<string>> = {
    "spaces.defineSpace": ["admin", "committee", "space-committee"],
    "spaces.addClosure": ["admin", "committee", "space-committee", "clerk"],
    "spaces.book": ["self", "admin", "clerk"],
    "spaces.bookSeries": ["admin", "committee", "space-committee"],
    "spaces.cancelBooking": ["resident", "admin", "clerk"],
    "spaces.decideBooking": ["admin", "committee", "space-committee"],
    "spaces.markNoShow": ["admin", "clerk", "system"],
    "spaces.openRound": ["admin", "committee", "space-committee"],
    "spaces.commitSeed": ["admin", "committee", "space-committee"],
    "spaces.apply": ["self", "admin", "clerk"],
    "spaces.draw": ["admin", "committee", "space-committee", "system"],
    "spaces.replyOffer": ["resident", "admin", "clerk"],
    "spaces.expireOffers": ["admin", "committee", "space-committee", "space-adoption", "system"],
    "spaces.releaseAdoption": ["resident", "admin", "clerk"],
    "spaces.revokeAdoption": ["admin", "committee", "space-committee"],
    "spaces.recordInspection": ["admin", "committee", "space-committee", "space-adoption"],
    "spaces.registerOccupation": ["resident", "admin", "committee", "space-committee", "clerk", "system"],
    "spaces.consentOccupation": ["resident", "clerk"],
    "spaces.advanceOccupation": ["admin", "committee", "space-committee", "system"],
    "spaces.clearOccupation": ["admin", "committee", "space-committee", "clerk"],
    "spaces.read": ["resident", "admin", "committee", "space-committee", "clerk", "treasurer", "auditor", "space-adoption", "space-fees", "system"],
    "spaces.report": ["resident", "admin", "committee", "space-committee", "treasurer", "auditor", "space-adoption", "space-fees", "system"]
  }
  const roles = ["admin", "committee", "clerk", "dispatcher", "handler", "mediator", "treasurer", "auditor", "space-committee", "space-adoption", "space-fees"]
  it("every command against every kind of actor", () => {
    for (const [command, allowed] of Object.entries(expected) as Array<[Spaces.SpacesCommand, ReadonlyArray<string>]>) {
      const rule = Spaces.spacesPermissions[command]
      const self = checkPermission(rule, actor(alice), C, alice.id) === undefined
      const other = checkPermission(rule, actor(alice), C, bob.id) === undefined
      expect([command, self && other ? "resident" : self ? "self" : "-"]).toEqual([command, allowed.includes("resident") ? "resident" : allowed.includes("self") ? "self" : "-"])
      for (const role of roles) expect([command, role, checkPermission(rule, staff(role as Role), C) === undefined]).toEqual([command, role, allowed.includes(role)])
      expect([command, "system", checkPermission(rule, system, C) === undefined]).toEqual([command, "system", allowed.includes("system")])
      expect(checkPermission(rule, staff(Roles.admin), CommunityId.make("elsewhere"))).toBe("tenant")
    }
  })
})
