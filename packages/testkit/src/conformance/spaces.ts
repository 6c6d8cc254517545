/**
 * Conformance cases of the spaces store port (`SpacesStore`): the derived
 * cases of every entity, and what no entity table gives: two bookings of a
 * space that hold their slot never overlap, sequentially (against a
 * brute-force model) and under concurrency (100 parallel requests for one
 * slot give exactly one booking), end to end through the `book` command.
 *
 * @since 0.2.0
 */
import {
  type CommunityId,
  HouseholdId,
  ResidentActor,
  ResidentId,
  Role,
  Spaces,
  StaffActor,
  StaffId,
  Transaction
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { generateCommunity } from "../fixtures.js"
import { entityCases } from "./entity.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const T = 1_800_000_000_000 // a fixed instant, a multiple of 30 minutes
const H = 3_600_000
const S = (id: string) => Spaces.SpaceId.make(id)

const booking = (
  c: CommunityId,
  spaceId: string,
  id: string,
  startsAt: number,
  endsAt: number,
  o: Partial<{ status: Spaces.BookingStatus; householdId: string; idempotencyKey: string; version: number }> = {}
) =>
  new Spaces.Booking({
    communityId: c,
    spaceId: S(spaceId),
    id: Spaces.BookingId.make(id),
    spaceKind: "parking",
    householdId: HouseholdId.make(o.householdId ?? "h-1"),
    residentId: ResidentId.make("r-1"),
    startsAt,
    endsAt,
    status: o.status ?? "confirmed",
    priceFen: 500,
    freeMinutes: 0,
    attendees: 1,
    purpose: "停车 parking",
    weekKey: "2027-01-11",
    monthKey: "2027-01",
    createdAt: T - H,
    createdBy: "resident:r-1",
    ...(o.idempotencyKey === undefined ? {} : { idempotencyKey: o.idempotencyKey }),
    fingerprint: "f".repeat(64),
    version: o.version ?? 1
  })

const rules: Spaces.SpaceRules = { ...Spaces.seedParkingRules }

const samples = {
  space: (c: CommunityId, i: number) =>
    new Spaces.Space({
      communityId: c,
      id: S(`bay-${String(i).padStart(2, "0")}`),
      kind: i % 2 === 0 ? "parking" : "room",
      label: `车位 ${i}`,
      location: i % 3 === 0 ? "" : "东门",
      capacity: 1 + i,
      areaDm2: 1250 * i,
      ...(i % 2 === 0 ? { openingHours: [{ fromMinute: 0, toMinute: 420 }, { weekdays: [6, 7], fromMinute: 1140, toMinute: 1440 }] } : {}),
      rules,
      active: i % 3 !== 1,
      createdAt: T + ((i * 7) % 5) * 1000,
      version: 1
    }),
  closure: (c: CommunityId, i: number) =>
    new Spaces.Closure({
      communityId: c,
      spaceId: S(`bay-${i % 2}`),
      id: Spaces.ClosureId.make(`cls-${i}`),
      startsAt: T + ((i * 3) % 5) * H,
      endsAt: T + ((i * 3) % 5) * H + H,
      reason: "维修 repairs",
      createdBy: "staff:s-1",
      createdAt: T
    }),
  booking: (c: CommunityId, i: number) =>
    booking(c, `bay-${i % 3}`, `bkg-${i}`, T + ((i * 5) % 7) * H, T + ((i * 5) % 7) * H + H / 2, {
      householdId: `h-${i % 2}`,
      ...(i % 2 === 0 ? { idempotencyKey: `key-${i}` } : {}),
      status: i % 4 === 3 ? "cancelled" : "confirmed"
    }),
  round: (c: CommunityId, i: number) =>
    new Spaces.Round({
      communityId: c,
      id: Spaces.RoundId.make(`rnd-${i}`),
      label: `2027 认养 ${i}`,
      spaceIds: [S("plot-1"), S("plot-2")],
      termStartsAt: T,
      termEndsAt: T + 365 * 24 * H,
      opensAt: T - (1 + ((i * 3) % 4)) * H,
      closesAt: T,
      feeFen: 5000,
      priorityGroups: i % 2 === 0 ? ["elderly"] : [],
      replyDays: 7,
      status: i % 2 === 0 ? "open" : "drawn",
      ...(i % 2 === 0
        ? {}
        : {
          seed: "a-seed-of-sixteen-chars",
          seedHash: "0".repeat(64),
          seedCommittedAt: T - 10 * H,
          applicantsHash: "1".repeat(64),
          result: { winners: [{ householdId: HouseholdId.make("h-1"), spaceId: S("plot-1") }], waitlist: [HouseholdId.make("h-2")] },
          drawnAt: T + H
        }),
      waitlistOffered: 0,
      createdAt: T - 20 * H,
      version: 1
    }),
  application: (c: CommunityId, i: number) =>
    new Spaces.Application({
      communityId: c,
      roundId: Spaces.RoundId.make(`rnd-${i % 2}`),
      householdId: HouseholdId.make(`h-${i}`),
      residentId: ResidentId.make(`r-${i}`),
      group: i % 3 === 0 ? "elderly" : "general",
      appliedAt: T + ((i * 7) % 5) * 1000
    }),
  adoption: (c: CommunityId, i: number) =>
    new Spaces.Adoption({
      communityId: c,
      id: Spaces.AdoptionId.make(`adp-${i}`),
      spaceId: S(`plot-${i}`),
      ...(i % 3 === 2 ? {} : { heldSpaceId: S(`plot-${i}`) }),
      householdId: HouseholdId.make(`h-${i % 2}`),
      ...(i % 2 === 0 ? { roundId: Spaces.RoundId.make("rnd-1") } : {}),
      status: i % 3 === 2 ? "released" : i % 3 === 1 ? "active" : "offered",
      termStartsAt: T,
      termEndsAt: T + 365 * 24 * H,
      feeFen: 5000,
      offeredAt: T + ((i * 7) % 5) * 1000,
      replyBy: T + 7 * 24 * H,
      failedInspections: 0,
      version: 1
    }),
  occupation: (c: CommunityId, i: number) =>
    new Spaces.OccupationCase({
      communityId: c,
      id: Spaces.OccupationId.make(`occ-${i}`),
      ...(i % 2 === 0 ? { spaceId: S("green-1") } : {}),
      place: "3号楼北侧绿地",
      kind: i % 2 === 0 ? "planting" : "shed",
      areaDm2: 100 * i,
      photos: i % 2 === 0 ? ["photo/1.jpg"] : [],
      ...(i % 2 === 1 ? { householdId: HouseholdId.make("h-1") } : {}),
      stage: "notice",
      dueDate: "2027-02-01" as never,
      consented: false,
      repeats: i,
      history: [{ stage: "notice", at: T, by: "staff:s-1", reason: "opened" }],
      ...(i % 3 === 0 ? { storageAdoptionId: Spaces.AdoptionId.make(`adp-s-${i}`) } : {}),
      openedAt: T + ((i * 7) % 5) * 1000,
      version: 1
    })
}

const failureTag = <A, E>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : undefined

/** A small deterministic generator (tests must reproduce). */
const lcg = (seed: number) => {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % n
  }
}

/**
 * The spaces cases.
 *
 * @since 0.2.0
 * @category conformance
 */
export const spacesSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 60_000
  const store = Spaces.SpacesStore
  // SpacesStore is one of StoragePorts, which `it` provides.
  const eit = it as unknown as SuiteIt<E | Spaces.SpacesStore>
  describe("spaces store", () => {
    describe("Space", () => entityCases(eit, { table: Effect.map(store, (s) => s.spaces), sample: samples.space, change: (r) => new Spaces.Space({ ...r, label: `${r.label}（改）`, active: !r.active, version: r.version + 1 }) }))
    describe("Closure", () => entityCases(eit, { table: Effect.map(store, (s) => s.closures), sample: samples.closure, change: (r) => new Spaces.Closure({ ...r, reason: "changed" }) }))
    describe("Booking", () => entityCases(eit, { table: Effect.map(store, (s) => s.bookings), sample: samples.booking, change: (r) => new Spaces.Booking({ ...r, status: "cancelled", refundFen: 500, closedAt: T, closedBy: "staff:s-1", version: r.version + 1 }) }))
    describe("Round", () => entityCases(eit, { table: Effect.map(store, (s) => s.rounds), sample: samples.round, change: (r) => new Spaces.Round({ ...r, waitlistOffered: r.waitlistOffered + 1, version: r.version + 1 }) }))
    describe("Application", () => entityCases(eit, { table: Effect.map(store, (s) => s.applications), sample: samples.application, change: (r) => new Spaces.Application({ ...r, group: "never-allocated" }) }))
    describe("Adoption", () => entityCases(eit, { table: Effect.map(store, (s) => s.adoptions), sample: samples.adoption, change: (r) => new Spaces.Adoption({ ...r, failedInspections: r.failedInspections + 1, version: r.version + 1 }) }))
    describe("OccupationCase", () => entityCases(eit, { table: Effect.map(store, (s) => s.occupations), sample: samples.occupation, change: (r) => new Spaces.OccupationCase({ ...r, stage: "assisted", consented: true, version: r.version + 1 }) }))

    it.effect("reserve refuses an overlapping booking of the same space, allows touching ones, other spaces and freed slots", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        yield* s.reserve(booking(c, "bay-1", "b1", T, T + 2 * H))
        expect(failureTag(yield* Effect.exit(s.reserve(booking(c, "bay-1", "b2", T + H, T + 3 * H))))).toBe("SlotTaken")
        expect(failureTag(yield* Effect.exit(s.reserve(booking(c, "bay-1", "b3", T - H, T + 1))))).toBe("SlotTaken")
        // [T+2h, T+3h) touches [T, T+2h): no overlap.
        yield* s.reserve(booking(c, "bay-1", "b4", T + 2 * H, T + 3 * H))
        yield* s.reserve(booking(c, "bay-2", "b5", T, T + 2 * H))
        // A cancelled booking holds nothing; cancelling frees the slot.
        yield* s.reserve(booking(c, "bay-3", "b6", T, T + H, { status: "cancelled" }))
        yield* s.reserve(booking(c, "bay-3", "b7", T, T + H))
        const b1 = Option.getOrThrow(yield* s.bookings.get({ communityId: c, spaceId: S("bay-1"), id: Spaces.BookingId.make("b1") }))
        yield* s.bookings.update(new Spaces.Booking({ ...b1, status: "cancelled", version: 2 }))
        yield* s.reserve(booking(c, "bay-1", "b8", T + H, T + 2 * H))
        const held = yield* s.overlapping(c, S("bay-1"), T - 10 * H, T + 10 * H)
        expect(held.map((b) => b.id)).toEqual(["b8", "b4"])
        // Another community's bookings never clash.
        yield* s.reserve(booking(freshCommunityId(), "bay-1", "b1", T, T + 2 * H))
        // A failed transaction leaves nothing.
        const tx = yield* Transaction
        yield* Effect.exit(tx.run(Effect.zipRight(s.reserve(booking(c, "bay-9", "b9", T, T + H)), Effect.fail("boom"))))
        expect(yield* s.overlapping(c, S("bay-9"), 0, T * 2)).toEqual([])
      }), timeout)

    it.effect("100 parallel reservations of one slot give exactly one booking", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const tx = yield* Transaction
        const exits = yield* Effect.forEach(
          Array.from({ length: 100 }, (_, i) => i),
          (i) => Effect.exit(tx.run(s.reserve(booking(c, "bay-1", `p${i}`, T + (i % 3) * 60_000 * 30, T + 2 * H, { householdId: `h-${i}` })))),
          { concurrency: 100 }
        )
        expect(exits.filter(Exit.isSuccess).length).toBe(1)
        expect(new Set(exits.filter(Exit.isFailure).map(failureTag))).toEqual(new Set(["SlotTaken"]))
        expect((yield* s.overlapping(c, S("bay-1"), 0, T * 2)).length).toBe(1)
      }), timeout)

    it.effect("random overlapping intervals: accepted exactly as a brute-force model accepts them, and in parallel never overlapping", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const rnd = lcg(20270111)
        const slot = 30 * 60_000
        const requests = Array.from({ length: 150 }, (_, i) => {
          const start = T + rnd(40) * slot
          const status: Spaces.BookingStatus = rnd(5) === 0 ? "cancelled" : rnd(5) === 0 ? "pending" : "confirmed"
          return booking(c, `bay-${rnd(3)}`, `r${i}`, start, start + (1 + rnd(6)) * slot, { status })
        })
        const accepted: Array<Spaces.Booking> = []
        for (const b of requests) {
          const holds = b.status !== "cancelled"
          const expectOk = !holds || !accepted.some((a) => a.spaceId === b.spaceId && a.status !== "cancelled" && a.startsAt < b.endsAt && b.startsAt < a.endsAt)
          const exit = yield* Effect.exit(s.reserve(b))
          expect(Exit.isSuccess(exit)).toBe(expectOk)
          if (expectOk) accepted.push(b)
        }
        // Parallel: no two held bookings overlap, and every refusal overlaps a held one.
        const c2 = freshCommunityId()
        const tx = yield* Transaction
        const parallel = requests.map((b) => new Spaces.Booking({ ...b, communityId: c2 }))
        const exits = yield* Effect.forEach(parallel, (b) => Effect.exit(tx.run(s.reserve(b))), { concurrency: 20 })
        const held = (yield* s.bookings.list({ communityId: c2 })).filter((b) => Spaces.holdingStatuses.includes(b.status))
        for (const a of held) {
          for (const b of held) {
            if (a !== b && a.spaceId === b.spaceId) expect(a.startsAt < b.endsAt && b.startsAt < a.endsAt).toBe(false)
          }
        }
        parallel.forEach((b, i) => {
          if (Exit.isFailure(exits[i]!)) {
            expect(failureTag(exits[i]!)).toBe("SlotTaken")
            expect(held.some((a) => a.spaceId === b.spaceId && a.startsAt < b.endsAt && b.startsAt < a.endsAt)).toBe(true)
          }
        })
      }), timeout)

    it.effect("householdBookings lists one household's bookings from a start time, any status, by start", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        yield* s.reserve(booking(c, "bay-2", "x1", T + 2 * H, T + 3 * H, { householdId: "h-a" }))
        yield* s.reserve(booking(c, "bay-1", "x2", T, T + H, { householdId: "h-a", status: "cancelled" }))
        yield* s.reserve(booking(c, "bay-1", "x3", T + H, T + 2 * H, { householdId: "h-b" }))
        yield* s.reserve(booking(c, "bay-3", "x4", T - H, T, { householdId: "h-a" }))
        yield* s.reserve(booking(freshCommunityId(), "bay-1", "x5", T, T + H, { householdId: "h-a" }))
        expect((yield* s.householdBookings(c, "h-a", T)).map((b) => b.id)).toEqual(["x2", "x1"])
        expect((yield* s.householdBookings(c, "h-a", 0)).map((b) => b.id)).toEqual(["x4", "x2", "x1"])
        expect((yield* s.householdBookings(c, "h-c", 0))).toEqual([])
      }), timeout)

    it.effect("one holder per adopted space", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const a = samples.adoption(c, 0)
        yield* s.adoptions.insert(a)
        const b = new Spaces.Adoption({ ...samples.adoption(c, 3), spaceId: a.spaceId, heldSpaceId: a.spaceId })
        expect(failureTag(yield* Effect.exit(s.adoptions.insert(b)))).toBe("AlreadyExists")
      }), timeout)

    it.effect("a lottery end to end: commitment, applications, draw, verification and offers round-trip through the store", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 15, communityId: c, buildings: 1, floors: 3 })
        yield* options.loadDirectory(snapshot)
        const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })
        for (const id of ["plot-1", "plot-2"]) {
          yield* Spaces.defineSpace(admin, { communityId: c, id, kind: "plot", label: id, areaDm2: 2000, rules: Spaces.seedPlotRules })
        }
        const seed = "conformance-lottery-seed-0001"
        const now = Date.now()
        const round = yield* Spaces.openRound(admin, {
          communityId: c, label: "认养", spaceIds: ["plot-1", "plot-2"], termStartsAt: now + 30 * 24 * H, termEndsAt: now + 395 * 24 * H,
          opensAt: now - H, closesAt: now + 1500, priorityGroups: ["elderly"], seedHash: Spaces.seedCommitment(seed)
        })
        const heads = [...new Map(snapshot.residents.filter((r) => r.householdId !== undefined).map((r) => [r.householdId!, r])).values()].slice(0, 5)
        for (const r of heads) {
          yield* Spaces.apply(new ResidentActor({ communityId: c, residentId: r.id }), { communityId: c, roundId: round.id, residentId: r.id })
        }
        yield* Effect.sleep("1600 millis")
        const { offers, round: drawn } = yield* Spaces.draw(admin, { communityId: c, roundId: round.id, seed })
        const applicants = (yield* (yield* store).applications.list({ communityId: c, roundId: round.id })).map((a) => ({ householdId: a.householdId, group: a.group }))
        expect(drawn.result).toEqual(Spaces.drawLottery({ seed, applicants, spaceIds: ["plot-1", "plot-2"], priorityGroups: ["elderly"] }))
        expect(offers.map((o) => [o.householdId, o.spaceId, o.status])).toEqual(drawn.result!.winners.map((w) => [w.householdId, w.spaceId, "offered"]))
        const stored = Option.getOrThrow(yield* (yield* store).rounds.get({ communityId: c, id: round.id }))
        expect(stored).toEqual(drawn)
        yield* Spaces.verifyRound(admin, c, round.id)
        expect(failureTag(yield* Effect.exit(Spaces.draw(admin, { communityId: c, roundId: round.id, seed })))).toBe("LotteryAlreadyDrawn")
      }), timeout)

    it.effect("100 parallel book commands for one slot by 100 households: exactly one booking, nothing else changed", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 14, communityId: c, buildings: 5, floors: 6 })
        yield* options.loadDirectory(snapshot)
        const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })
        yield* Spaces.defineSpace(admin, { communityId: c, id: "bay-1", kind: "parking", label: "共享车位 1", rules: { ...Spaces.seedParkingRules, advanceDays: [30] } })
        const byHousehold = new Map<string, string>()
        for (const r of snapshot.residents) if (r.householdId !== undefined && !byHousehold.has(r.householdId)) byHousehold.set(r.householdId, r.id)
        const residents = [...byHousehold.values()].slice(0, 100)
        expect(residents.length).toBe(100)
        // Tomorrow night, 20:00 to 22:00 Shanghai (free band).
        const now = Date.now()
        const day = Math.floor((now + 8 * H) / (24 * H)) + 1
        const start = day * 24 * H + 12 * H
        const exits = yield* Effect.forEach(
          residents,
          (r) => Effect.exit(Spaces.book(new ResidentActor({ communityId: c, residentId: ResidentId.make(r) }), {
            communityId: c, spaceId: "bay-1", residentId: r, startsAt: start, endsAt: start + 2 * H
          })),
          { concurrency: 100 }
        )
        expect(exits.filter(Exit.isSuccess).length).toBe(1)
        expect(new Set(exits.filter(Exit.isFailure).map(failureTag))).toEqual(new Set(["SlotTaken"]))
        const s = yield* store
        expect((yield* s.bookings.list({ communityId: c })).length).toBe(1)
      }), timeout)
  })
}
