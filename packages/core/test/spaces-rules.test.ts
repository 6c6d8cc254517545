import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { HouseholdId, Spaces } from "../src/index.js"

const R = Spaces
const tz = "Asia/Shanghai"
const H = 3_600_000
/** Local Shanghai time on 2027-03-01 (a Monday) plus `hours`. */
const at = (hours: number) => Date.UTC(2027, 2, 1, 0, 0, 0) - 8 * H + hours * H
const day: ReadonlyArray<Spaces.PriceBand> = Spaces.seedParkingRules.bands
const price = (from: number, to: number, free = 0, bands = day) => R.priceOf(bands, R.daySegments(from, to, tz), free)

describe("spaces rules: local time", () => {
  it("cuts a booking at local midnight and names weekdays", () => {
    expect(R.daySegments(at(22), at(30), tz)).toEqual([
      { date: "2027-03-01", weekday: 1, fromMinute: 1320, toMinute: 1440 },
      { date: "2027-03-02", weekday: 2, fromMinute: 0, toMinute: 360 }
    ])
  })
  it("weeks run Monday to Sunday and months by local date, exact at the edges", () => {
    expect(R.periodKeys(at(-0.5), tz)).toEqual({ weekKey: "2027-02-22", monthKey: "2027-02" }) // Sunday 23:30
    expect(R.periodKeys(at(0), tz)).toEqual({ weekKey: "2027-03-01", monthKey: "2027-03" }) // Monday 00:00
    expect(R.periodKeys(at(24 * 7 - 0.5), tz).weekKey).toBe("2027-03-01")
    expect(R.periodKeys(at(24 * 7), tz).weekKey).toBe("2027-03-08")
  })
  it("adds calendar months with the day clamped", () => {
    expect(R.addMonths("2027-01-31", 1)).toBe("2027-02-28")
    expect(R.addMonths("2028-01-31", 1)).toBe("2028-02-29")
    expect(R.addMonths("2027-11-15", 2)).toBe("2028-01-15")
  })
})

describe("spaces rules: opening hours", () => {
  const night: ReadonlyArray<Spaces.DaySpan> = [{ fromMinute: 1140, toMinute: 1440 }, { fromMinute: 0, toMinute: 420 }]
  const open = (a: number, b: number, hours: ReadonlyArray<Spaces.DaySpan> | undefined = night) =>
    R.withinOpeningHours(hours, R.daySegments(a, b, tz))
  it("a night across midnight is open; any minute of day is not", () => {
    expect(open(at(19), at(31))).toBe(true)
    expect(open(at(20), at(24 + 6))).toBe(true)
    expect(open(at(18.5), at(20))).toBe(false)
    expect(open(at(24 + 6), at(24 + 7.5))).toBe(false)
    expect(R.withinOpeningHours(undefined, R.daySegments(at(9), at(10), tz))).toBe(true)
  })
  it("weekday spans apply on their days only", () => {
    const weekend: ReadonlyArray<Spaces.DaySpan> = [{ weekdays: [6, 7], fromMinute: 480, toMinute: 1260 }]
    expect(open(at(24 * 5 + 9), at(24 * 5 + 11), weekend)).toBe(true) // Saturday
    expect(open(at(24 * 4 + 9), at(24 * 4 + 11), weekend)).toBe(false) // Friday
  })
  it("free slots are the open intervals less busy ones", () => {
    const free = R.subtractIntervals(R.openIntervals(night, "2027-03-01" as never, tz), [[at(1), at(2)], [at(20), at(21)]])
    expect(free).toEqual([
      { startsAt: at(0), endsAt: at(1) },
      { startsAt: at(2), endsAt: at(7) },
      { startsAt: at(19), endsAt: at(20) },
      { startsAt: at(21), endsAt: at(24) }
    ])
  })
})

describe("spaces rules: prices per band", () => {
  it("the seed's bays: free at night, 5 yuan an hour by day, summed across the band change", () => {
    expect(price(at(20), at(30)).priceFen).toBe(0)
    expect(price(at(9), at(11)).priceFen).toBe(1000)
    expect(price(at(18), at(20)).priceFen).toBe(500) // 1 h by day + 1 h at night
    expect(price(at(6.5), at(7.5)).priceFen).toBe(250)
    expect(price(at(18), at(24 + 8)).priceFen).toBe(1000) // 18-19 and 07-08 next day
  })
  it("rounds once, on the sum: 30 min at 3.33/h plus 30 min at 1.01/h is 2.17, not 1.67 + 0.51", () => {
    const bands: ReadonlyArray<Spaces.PriceBand> = [
      { fromMinute: 0, toMinute: 600, perHourFen: 333 },
      { fromMinute: 600, toMinute: 1440, perHourFen: 101 }
    ]
    expect(price(at(9.5), at(10.5), 0, bands).priceFen).toBe(217)
  })
  it("level perk free minutes cover chargeable minutes in time order", () => {
    expect(price(at(9), at(11), 60)).toEqual({ priceFen: 500, freeMinutes: 60, chargeableMinutes: 120 })
    expect(price(at(18), at(20), 180)).toEqual({ priceFen: 0, freeMinutes: 60, chargeableMinutes: 60 })
  })
  it("property: the price of slot-aligned bookings is additive at any cut", () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), (s, a, b) => {
        const t0 = at(0) + s * 30 * 60_000
        const t1 = t0 + a * 30 * 60_000
        const t2 = t1 + b * 30 * 60_000
        return price(t0, t2).priceFen === price(t0, t1).priceFen + price(t1, t2).priceFen
      })
    ))
})

describe("spaces rules: quotas, windows, cancellations", () => {
  const use = { weekMinutes: 1140, weekBookings: 3, monthMinutes: 3000, monthBookings: 3 }
  it("a quota is a maximum: reaching it is allowed, passing it is not", () => {
    expect(R.exceededQuota({ weekMinutes: 1200 }, use, 60)).toBeUndefined()
    expect(R.exceededQuota({ weekMinutes: 1200 }, use, 90)).toEqual({ quota: "weekMinutes", limit: 1200, used: 1140, requested: 90 })
    expect(R.exceededQuota({ monthBookings: 4 }, use, 30)).toBeUndefined()
    expect(R.exceededQuota({ monthBookings: 3 }, use, 30)?.quota).toBe("monthBookings")
    expect(R.exceededQuota(undefined, use, 1e6)).toBeUndefined()
  })
  it("booking windows open earlier for higher levels, exact to the millisecond", () => {
    const rules = Spaces.seedRoomRules
    expect([0, 1, 2, 3, 4].map((l) => R.advanceDaysFor(rules, l))).toEqual([7, 7, 14, 14, 14])
    const now = at(0)
    expect(R.windowCheck(now, now + 7 * 24 * H, 7)).toBe("ok")
    expect(R.windowCheck(now, now + 7 * 24 * H + 1, 7)).toBe("too-early")
    expect(R.windowCheck(now, now + 7 * 24 * H + 1, 14)).toBe("ok")
    expect(R.windowCheck(now, now - 1, 7)).toBe("past")
    expect(R.windowOpensAt(now + 10 * 24 * H, 7)).toBe(now + 3 * 24 * H)
  })
  it("cancellation deadline: exactly the deadline is in time, a millisecond later is late", () => {
    expect(R.cancelledInTime(at(8), at(10), 120)).toBe(true)
    expect(R.cancelledInTime(at(8) + 1, at(10), 120)).toBe(false)
  })
  it("whole slots and lengths", () => {
    expect(R.lengthProblem(Spaces.seedParkingRules, at(9), at(10))).toBeUndefined()
    expect(R.lengthProblem(Spaces.seedParkingRules, at(9) + 60_000, at(10))?.en).toMatch(/slots/)
    expect(R.lengthProblem(Spaces.seedParkingRules, at(0), at(15))?.en).toMatch(/at most/)
  })
})

const applicants = (n: number, group: (i: number) => Spaces.ApplicantGroup = () => "general"): Array<Spaces.Applicant> =>
  Array.from({ length: n }, (_, i) => ({ householdId: HouseholdId.make(`h-${String(i).padStart(3, "0")}`), group: group(i) }))
const plots = (n: number) => Array.from({ length: n }, (_, i) => `plot-${i + 1}`)

describe("spaces rules: the verifiable lottery", () => {
  const seed = "2027 spring plots: 7f3a9c0e51d24b88"
  it("the same seed and list reproduce the same result, whatever the list's order", () => {
    const list = applicants(30)
    const a = R.drawLottery({ seed, applicants: list, spaceIds: plots(10), priorityGroups: [] })
    const b = R.drawLottery({ seed, applicants: [...list].reverse(), spaceIds: plots(10), priorityGroups: [] })
    expect(b).toEqual(a)
    expect(a.winners.length).toBe(10)
    expect(a.waitlist.length).toBe(20)
    expect(new Set([...a.winners.map((w) => w.householdId), ...a.waitlist]).size).toBe(30)
    expect(a.winners.map((w) => w.spaceId)).toEqual(plots(10))
  })
  it("a changed seed or list gives another result; verification names what changed", () => {
    const list = applicants(30)
    const result = R.drawLottery({ seed, applicants: list, spaceIds: plots(10), priorityGroups: [] })
    const published = { seed, seedHash: R.seedCommitment(seed), applicants: list, applicantsHash: R.applicantsDigest(list), spaceIds: plots(10), priorityGroups: [] as const, result }
    expect(R.verifyLottery(published)).toBeUndefined()
    expect(R.verifyLottery({ ...published, seed: `${seed}!` })).toBe("seed")
    expect(R.verifyLottery({ ...published, applicants: list.slice(1) })).toBe("applicants")
    expect(R.verifyLottery({ ...published, applicants: [...list, { householdId: HouseholdId.make("h-late"), group: "general" }] })).toBe("applicants")
    const swapped = { ...result, waitlist: [result.winners[0]!.householdId, ...result.waitlist.slice(1)] }
    expect(R.verifyLottery({ ...published, result: swapped })).toBe("result")
    expect(R.drawLottery({ seed: `${seed}!`, applicants: list, spaceIds: plots(10), priorityGroups: [] })).not.toEqual(result)
  })
  it("priority groups draw first, in the given order; inside a group by ticket", () => {
    const list = applicants(20, (i) => (i < 3 ? "elderly" : i < 6 ? "never-allocated" : "general"))
    const r = R.drawLottery({ seed, applicants: list, spaceIds: plots(5), priorityGroups: ["elderly", "never-allocated"] })
    const groupOf = new Map(list.map((a) => [a.householdId, a.group]))
    const order = [...r.winners.map((w) => w.householdId), ...r.waitlist].map((h) => groupOf.get(h))
    expect(order.slice(0, 3)).toEqual(["elderly", "elderly", "elderly"])
    expect(order.slice(3, 6)).toEqual(["never-allocated", "never-allocated", "never-allocated"])
    expect(new Set(order.slice(6))).toEqual(new Set(["general"]))
  })
  it("over 10,000 seeded draws every applicant wins equally often, within 5 standard deviations", () => {
    const n = 20
    const k = 5
    const draws = 10_000
    const list = applicants(n)
    const wins = new Map<string, number>()
    const firsts = new Map<string, number>()
    for (let d = 0; d < draws; d++) {
      const r = R.drawLottery({ seed: `seed-${d}`, applicants: list, spaceIds: plots(k), priorityGroups: [] })
      for (const w of r.winners) wins.set(w.householdId, (wins.get(w.householdId) ?? 0) + 1)
      firsts.set(r.winners[0]!.householdId, (firsts.get(r.winners[0]!.householdId) ?? 0) + 1)
    }
    const p = k / n
    const mean = draws * p
    const sd = Math.sqrt(draws * p * (1 - p))
    for (const a of list) expect(Math.abs((wins.get(a.householdId) ?? 0) - mean)).toBeLessThan(5 * sd)
    // The first plot too (p = 1/20).
    const sd1 = Math.sqrt(draws * (1 / n) * (1 - 1 / n))
    for (const a of list) expect(Math.abs((firsts.get(a.householdId) ?? 0) - draws / n)).toBeLessThan(5 * sd1)
  }, 120_000)
  it("groups of applicants follow the round's priority order", () => {
    expect(R.applicantGroup(["elderly", "never-allocated"], { elderly: true, neverAllocated: true })).toBe("elderly")
    expect(R.applicantGroup(["never-allocated", "elderly"], { elderly: true, neverAllocated: true })).toBe("never-allocated")
    expect(R.applicantGroup([], { elderly: true, neverAllocated: true })).toBe("general")
  })
})

describe("spaces rules: refunds and stages", () => {
  it("pro-rata refunds: the share of the term left, rounded down; never more than the fee", () => {
    const y = 365 * 24 * H
    expect(R.proRataRefund(5000, 0, y, y / 2)).toBe(2500)
    expect(R.proRataRefund(5000, 0, y, 0)).toBe(5000)
    expect(R.proRataRefund(5000, 0, y, y)).toBe(0)
    expect(R.proRataRefund(5000, 0, 3, 1)).toBe(3333)
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1000 }), (fee, t) =>
      R.proRataRefund(fee, 0, 1000, t) <= fee && R.proRataRefund(fee, 0, 1000, t) >= 0))
  })
  it("stages: notice, assisted, forced; due after the deadline day or with consent", () => {
    expect(R.nextStage("notice")).toBe("assisted")
    expect(R.nextStage("assisted")).toBe("forced")
    expect(R.nextStage("forced")).toBeUndefined()
    expect(R.stageDue("2027-04-01", "2027-04-01", false)).toBe(false)
    expect(R.stageDue("2027-04-01", "2027-04-02", false)).toBe(true)
    expect(R.stageDue("2027-04-01", "2027-03-02", true)).toBe(true)
  })
})
