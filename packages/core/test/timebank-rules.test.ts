import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { TimeBank } from "../src/index.js"

const {
  annualFigure,
  checkServiceTiming,
  creditFor,
  durationMinutes,
  formatCentiHours,
  isParentOf,
  linkedAsFamily,
  nextStatus,
  totalsDeltas
} = TimeBank

describe("timebank rules", () => {
  it("credit: the seed's multipliers", () => {
    expect(creditFor(120, 1500)).toBe(300) // elderly care 2 h -> 3.00 h
    expect(creditFor(60, 1000)).toBe(100) // environment 1 h -> 1.00 h
    expect(creditFor(60, 2000)).toBe(200) // mediation 1 h -> 2.00 h
    expect(creditFor(50, 1500)).toBe(125)
    expect(creditFor(7, 1000)).toBe(12) // 11.67 -> 12
    expect(creditFor(3, 1000)).toBe(5) // 5.0 exactly
    expect(creditFor(1, 1500)).toBe(3) // 2.5 -> 3 (half up)
    expect(creditFor(1, 900)).toBe(2) // 1.5 -> 2 (half up)
    expect(creditFor(1, 1)).toBe(0)
  })

  it("credit is round-half-up of minutes × permille / 600, exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1440 }), fc.integer({ min: 1, max: 100_000 }), (m, p) => {
        const c = creditFor(m, p)
        expect(Number.isInteger(c)).toBe(true)
        // c - 1/2 <= m*p/600 < c + 1/2, in integers: 600c - 300 <= m*p < 600c + 300
        expect(600 * c - 300 <= m * p && m * p < 600 * c + 300).toBe(true)
        // monotone in minutes and in the multiplier
        expect(creditFor(m + 1, p)).toBeGreaterThanOrEqual(c)
        expect(creditFor(m, p + 1)).toBeGreaterThanOrEqual(c)
      }),
      { numRuns: 2000 }
    )
  })

  it("durations are whole minutes rounded down; hours are shown with two decimals", () => {
    expect(durationMinutes(0, 59_999)).toBe(0)
    expect(durationMinutes(0, 60_000)).toBe(1)
    expect(durationMinutes(1_000, 7_201_000)).toBe(120)
    expect(formatCentiHours(300)).toBe("3.00")
    expect(formatCentiHours(5)).toBe("0.05")
    expect(formatCentiHours(-150)).toBe("-1.50")
    expect(formatCentiHours(0)).toBe("0.00")
  })

  it("the service life cycle, every status and action", () => {
    const statuses = ["pending", "disputed", "credited", "rejected", "reversed"] as const
    const actions = ["confirm", "dispute", "resolve-credit", "resolve-reject", "reverse"] as const
    const table: Record<(typeof statuses)[number], ReadonlyArray<string>> = {
      pending: ["credited*", "disputed", "wrong-state", "wrong-state", "wrong-state"],
      disputed: ["wrong-state", "wrong-state", "credited*", "rejected", "wrong-state"],
      credited: ["already-confirmed", "already-confirmed", "already-confirmed", "already-confirmed", "reversed"],
      rejected: ["wrong-state", "wrong-state", "wrong-state", "wrong-state", "wrong-state"],
      reversed: ["already-confirmed", "already-confirmed", "already-confirmed", "already-confirmed", "wrong-state"]
    }
    for (const s of statuses) {
      actions.forEach((a, i) => {
        const t = nextStatus(s, a)
        const got = t.ok ? `${t.status}${t.credits ? "*" : ""}` : t.reason
        expect([s, a, got]).toStrictEqual([s, a, table[s][i]])
      })
    }
  })

  it("family links count both ways; a parent is linked as parent or child", () => {
    const a = { id: "a", family: [{ relativeId: "p", relation: "parent" }] }
    const p = { id: "p", family: [] }
    const q = { id: "q", family: [{ relativeId: "a", relation: "child" }] }
    const s = { id: "s", family: [{ relativeId: "a", relation: "spouse" }] }
    const x = { id: "x", family: [] }
    expect([linkedAsFamily(a, p), linkedAsFamily(p, a), linkedAsFamily(a, s), linkedAsFamily(s, a), linkedAsFamily(a, x)]).toStrictEqual([
      true,
      true,
      true,
      true,
      false
    ])
    expect(isParentOf(p, a)).toBe(true) // a lists p as parent
    expect(isParentOf(q, a)).toBe(true) // q lists a as child
    expect(isParentOf(a, p)).toBe(false)
    expect(isParentOf(a, q)).toBe(false)
    expect(isParentOf(s, a)).toBe(false)
    expect(isParentOf(a, s)).toBe(false)
    expect(isParentOf(x, a)).toBe(false)
  })

  it("timing: maximum length, no future, recording window", () => {
    const limits = { maxServiceMinutes: 720, recordWindowDays: 30 }
    const now = 100 * 86_400_000
    expect(checkServiceTiming({ minutes: 60, performedAt: now }, now, limits)).toBeUndefined()
    expect(checkServiceTiming({ minutes: 720, performedAt: now - 30 * 86_400_000 }, now, limits)).toBeUndefined()
    expect(checkServiceTiming({ minutes: 721, performedAt: now }, now, limits)?.path).toBe("minutes")
    expect(checkServiceTiming({ minutes: 0, performedAt: now }, now, limits)?.path).toBe("minutes")
    expect(checkServiceTiming({ minutes: 60, performedAt: now + 1 }, now, limits)?.path).toBe("performedAt")
    expect(checkServiceTiming({ minutes: 60, performedAt: now - 3_600_000, endedAt: now + 1 }, now, limits)?.path).toBe("endedAt")
    expect(checkServiceTiming({ minutes: 60, performedAt: now - 30 * 86_400_000 - 1 }, now, limits)?.path).toBe("performedAt")
  })

  it("totals: a reversal undoes a credit exactly; given and received are apart", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 720 }), fc.integer({ min: 1, max: 10_000 }), (minutes, centiHours) => {
        const plus = totalsDeltas({ minutes, centiHours }, 1)
        const minus = totalsDeltas({ minutes, centiHours }, -1)
        expect(plus.provider).toStrictEqual({ givenMinutes: minutes, givenCentiHours: centiHours, servicesGiven: 1, receivedMinutes: 0, servicesReceived: 0 })
        expect(plus.recipient).toStrictEqual({ givenMinutes: 0, givenCentiHours: 0, servicesGiven: 0, receivedMinutes: minutes, servicesReceived: 1 })
        for (const side of ["provider", "recipient"] as const) {
          for (const k of Object.keys(plus[side]) as Array<keyof typeof plus.provider>) expect(plus[side][k] + minus[side][k]).toBe(0)
        }
      })
    )
  })

  it("annual figure: average rounded half up, target strictly exceeded", () => {
    expect(annualFigure([], 0, 600)).toStrictEqual({ volunteers: 0, totalMinutes: 0, perResidentCentiHours: 0, meetsTarget: false, residentsOverTarget: 0 })
    // 2 residents, 1200 minutes: exactly 10 h each on average, not "over"
    expect(annualFigure([1200, 0], 2, 600)).toStrictEqual({ volunteers: 1, totalMinutes: 1200, perResidentCentiHours: 1000, meetsTarget: false, residentsOverTarget: 1 })
    expect(annualFigure([601, 600], 2, 600)).toMatchObject({ perResidentCentiHours: 1001, meetsTarget: true, residentsOverTarget: 1 })
    // 1 minute over 3 residents: 0.5556 centi-hours -> 1
    expect(annualFigure([1], 3, 600).perResidentCentiHours).toBe(1)
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 50 }), fc.integer({ min: 1, max: 5000 }), (given, extra) => {
        const residents = given.length + extra
        const f = annualFigure(given, residents, 600)
        const exact = (f.totalMinutes * 100) / 60 / residents
        expect(Math.abs(f.perResidentCentiHours - exact)).toBeLessThanOrEqual(0.5)
        expect(f.meetsTarget).toBe(f.totalMinutes > 600 * residents)
        expect(f.volunteers).toBe(given.filter((m) => m > 0).length)
      })
    )
  })
})
