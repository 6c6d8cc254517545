import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Schema } from "effect"
import { PetCredit } from "../src/index.js"

const { seedScheme, jinan12 } = PetCredit
const DAY = 86_400_000

describe("petcredit rules: thresholds", () => {
  it("exactly at a threshold counts as above: 60 not suspended, 59 suspended; 40 not in training, 39 in training", () => {
    expect(PetCredit.consequencesAt(seedScheme, 60)).toStrictEqual([])
    expect(PetCredit.consequencesAt(seedScheme, 59)).toStrictEqual(["licence-suspended"])
    expect(PetCredit.consequencesAt(seedScheme, 40)).toStrictEqual(["licence-suspended"])
    expect(PetCredit.consequencesAt(seedScheme, 39)).toStrictEqual(["licence-suspended", "training-required"])
    expect(PetCredit.consequencesAt(jinan12, 1)).toStrictEqual([])
    expect(PetCredit.consequencesAt(jinan12, 0)).toStrictEqual(["licence-withheld"])
  })

  it("applyPoints clamps to floor and ceiling and applied is the actual change", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: -200, max: 200 }), (score, points) => {
        const r = PetCredit.applyPoints(seedScheme, score, points)
        expect(r.score).toBe(Math.min(120, Math.max(0, score + points)))
        expect(r.score - score).toBe(r.applied)
        expect(Math.abs(r.applied)).toBeLessThanOrEqual(Math.abs(points))
      })
    )
  })

  it("consequenceChanges lists what began and what was lifted", () => {
    expect(PetCredit.consequenceChanges(["licence-suspended"], ["licence-suspended", "training-required"])).toStrictEqual({
      began: ["training-required"],
      lifted: []
    })
    expect(PetCredit.consequenceChanges(["licence-suspended", "training-required"], [])).toStrictEqual({
      began: [],
      lifted: ["licence-suspended", "training-required"]
    })
  })
})

describe("petcredit rules: deductions", () => {
  const t = Date.UTC(2026, 5, 1)
  it("the seed's deductions are flat: off-leash 10, waste 5, noise 3; unknown kinds are undefined", () => {
    expect(PetCredit.deductionFor(seedScheme, "off-leash", t, [t - DAY, t - 2 * DAY])).toBe(10)
    expect(PetCredit.deductionFor(seedScheme, "waste", t, [])).toBe(5)
    expect(PetCredit.deductionFor(seedScheme, "noise", t, [])).toBe(3)
    expect(PetCredit.deductionFor(seedScheme, "disturbance", t, [])).toBeUndefined()
    expect(PetCredit.rewardFor(seedScheme, "good-behaviour")).toBe(2)
  })

  it("jinan12 escalates 3, 6, 12 for repeats within two years, and starts again outside", () => {
    expect(PetCredit.deductionFor(jinan12, "off-leash", t, [])).toBe(3)
    expect(PetCredit.deductionFor(jinan12, "off-leash", t, [t - 100 * DAY])).toBe(6)
    expect(PetCredit.deductionFor(jinan12, "off-leash", t, [t - 100 * DAY, t - 700 * DAY])).toBe(12)
    expect(PetCredit.deductionFor(jinan12, "off-leash", t, [t - 100 * DAY, t - 700 * DAY, t - DAY])).toBe(12)
    expect(PetCredit.deductionFor(jinan12, "off-leash", t, [t - 731 * DAY])).toBe(3)
    // later incidents are not priors
    expect(PetCredit.deductionFor(jinan12, "off-leash", t, [t + DAY])).toBe(3)
  })

  it("a simulated jinan12 dog: three off-leash, withheld at 0, the exam restores 12", () => {
    let dog = PetCredit.newSimulatedDog(jinan12)
    const scores: Array<number> = []
    for (let i = 0; i < 3; i++) {
      dog = PetCredit.stepDog(jinan12, dog, { _tag: "Violation", kind: "off-leash", at: i * DAY })
      scores.push(dog.score)
    }
    expect(scores).toStrictEqual([9, 3, 0])
    expect(PetCredit.flagsAt(jinan12, dog.score).licenceWithheld).toBe(true)
    dog = PetCredit.stepDog(jinan12, dog, { _tag: "Exam", at: 4 * DAY })
    expect(dog.score).toBe(12)
    expect(PetCredit.stepDog(jinan12, dog, { _tag: "Exam", at: 5 * DAY })).toBe(dog)
  })

  it("simulated dogs stay within the scheme's bounds whatever happens", () => {
    const event = fc.oneof(
      fc.record({ _tag: fc.constant("Violation" as const), kind: fc.constantFrom("off-leash", "waste", "noise", "disturbance"), at: fc.nat({ max: 1000 * DAY }) }),
      fc.record({ _tag: fc.constant("Reward" as const), kind: fc.constantFrom("good-behaviour", "patrol"), at: fc.nat({ max: 1000 * DAY }) }),
      fc.record({ _tag: fc.constantFrom("Training" as const, "Exam" as const), at: fc.nat({ max: 1000 * DAY }) })
    )
    fc.assert(
      fc.property(fc.constantFrom(seedScheme, jinan12), fc.array(event, { maxLength: 60 }), (scheme, events) => {
        let dog = PetCredit.newSimulatedDog(scheme)
        for (const e of [...events].sort((a, b) => a.at - b.at)) {
          dog = PetCredit.stepDog(scheme, dog, e)
          expect(dog.score).toBeGreaterThanOrEqual(scheme.floor)
          expect(dog.score).toBeLessThanOrEqual(scheme.ceiling)
        }
      })
    )
  })
})

describe("petcredit rules: dates, masking, figures", () => {
  it("addMonths keeps the day or takes the month's last; cleanRecordDue is exact", () => {
    expect(PetCredit.addMonths("2026-03-02", 3)).toBe("2026-06-02")
    expect(PetCredit.addMonths("2026-11-30", 3)).toBe("2027-02-28")
    expect(PetCredit.addMonths("2027-11-30", 3)).toBe("2028-02-29")
    expect(PetCredit.addMonths("2026-12-15", 1)).toBe("2027-01-15")
    expect(PetCredit.cleanRecordDue("2026-03-02", "2026-06-01", 3)).toBe(false)
    expect(PetCredit.cleanRecordDue("2026-03-02", "2026-06-02", 3)).toBe(true)
    expect(PetCredit.daysBetween("2026-06-01", "2026-07-01")).toBe(30)
    expect(PetCredit.daysBetween("2026-07-01", "2026-06-01")).toBe(-30)
  })

  it("masks licences, counts complaints by month and kind, and tells incidents apart", () => {
    expect(PetCredit.maskLicence("SD20260777")).toBe("SD****77")
    expect(PetCredit.maskLicence("AB1")).toBe("****")
    expect(PetCredit.countByMonthAndKind([
      { month: "2026-05", kind: "waste" },
      { month: "2026-04", kind: "noise" },
      { month: "2026-05", kind: "off-leash" },
      { month: "2026-05", kind: "waste" }
    ])).toStrictEqual([
      { month: "2026-04", kind: "noise", count: 1 },
      { month: "2026-05", kind: "off-leash", count: 1 },
      { month: "2026-05", kind: "waste", count: 2 }
    ])
    expect(PetCredit.sameIncident(0, 30 * 60_000, 30)).toBe(true)
    expect(PetCredit.sameIncident(0, 30 * 60_000 + 1, 30)).toBe(false)
  })

  it("schemes are data: both presets decode, and a scheme with base outside its bounds does not", () => {
    const decode = Schema.decodeUnknownEither(PetCredit.Scheme)
    expect(decode(seedScheme)._tag).toBe("Right")
    expect(decode(jinan12)._tag).toBe("Right")
    expect(decode({ ...seedScheme, base: 130 })._tag).toBe("Left")
    expect(decode({ ...seedScheme, violations: [...seedScheme.violations, seedScheme.violations[0]] })._tag).toBe("Left")
  })
})

describe("petcredit rules: complaint trend", () => {
  it("compares this year's complaints with last year's, per kind and in total, in thousandths", () => {
    const rows = [
      { month: "2025-03", kind: "off-leash", count: 40 },
      { month: "2025-11", kind: "off-leash", count: 20 },
      { month: "2025-06", kind: "waste", count: 40 },
      { month: "2026-02", kind: "off-leash", count: 78 },
      { month: "2026-05", kind: "waste", count: 52 },
      { month: "2026-05", kind: "noise", count: 3 },
      { month: "2024-05", kind: "noise", count: 99 }
    ]
    expect(PetCredit.trendOfComplaints(rows, 2026)).toStrictEqual({
      year: 2026,
      byKind: [
        { kind: "noise", previous: 0, current: 3 },
        { kind: "off-leash", previous: 60, current: 78, changePermille: 300 },
        { kind: "waste", previous: 40, current: 52, changePermille: 300 }
      ],
      total: { previous: 100, current: 133, changePermille: 330 }
    })
    expect(PetCredit.changePermille(3, 2)).toBe(-333)
    expect(PetCredit.changePermille(0, 5)).toBeUndefined()
  })
})
