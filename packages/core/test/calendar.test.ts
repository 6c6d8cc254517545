import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Schema, TestClock } from "effect"
import {
  addWorkdaysIn,
  type CalendarData,
  type CalendarOverrides,
  ChinaCalendar,
  chinaCalendarData,
  isWorkdayIn,
  LocalDate,
  startOfLocalDay,
  toLocalDate,
  WorkdayCalendar,
  workdaysBetween
} from "../src/kernel/calendar.js"
import { CalendarOutOfRange } from "../src/kernel/errors.js"

const data = chinaCalendarData
const D = (s: string): LocalDate => LocalDate.make(s)
const dayMs = 86_400_000
const iso = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10)
const dayOf = (s: string): number => Date.parse(`${s}T00:00:00Z`) / dayMs
const range = (from: string, to: string): Array<string> => {
  const out: Array<string> = []
  for (let d = dayOf(from); d <= dayOf(to); d++) out.push(iso(d))
  return out
}
const weekendDay = (s: string): boolean => [0, 6].includes(new Date(`${s}T00:00:00Z`).getUTCDay())

/** Any date fully inside the data's coverage. */
const coveredDay = fc.integer({
  min: dayOf(`${data.firstYear}-01-01`),
  max: dayOf(`${data.lastYear}-12-31`)
})

describe("LocalDate", () => {
  it("accepts real calendar dates", () => {
    for (const s of ["2026-02-28", "2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01"]) {
      expect(Schema.decodeUnknownEither(LocalDate)(s)).toStrictEqual(Either.right(s))
    }
  })

  it("rejects impossible or malformed dates", () => {
    for (const s of ["2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
      "2026-1-05", "20260105", "2026/01/05", " 2026-01-05", "2026-01-05T00:00", "２０２６-01-05", ""]) {
      expect(Either.isLeft(Schema.decodeUnknownEither(LocalDate)(s)), s).toBe(true)
    }
    expect(Either.isLeft(Schema.decodeUnknownEither(LocalDate)(20260105))).toBe(true)
    expect(() => LocalDate.make("2026-02-30")).toThrow()
  })
})

describe("generated China data", () => {
  it("covers at least 2024-2026, sorted, holidays on weekdays, make-up days on weekends", () => {
    expect(data.firstYear).toBeLessThanOrEqual(2024)
    expect(data.lastYear).toBeGreaterThanOrEqual(2026)
    expect(data.source).toMatch(/^chinese-days@\d+\.\d+\.\d+$/)
    expect([...data.holidays].sort()).toStrictEqual(data.holidays)
    expect([...data.workdays].sort()).toStrictEqual(data.workdays)
    expect(data.holidays.filter(weekendDay)).toStrictEqual([])
    expect(data.workdays.filter((d) => !weekendDay(d))).toStrictEqual([])
    expect(data.names?.["2026-02-16"]).toStrictEqual({ "zh-CN": "春节", en: "Spring Festival" })
    expect(data.names?.["2026-09-20"]?.en).toBe("National Day")
  })

  it("has 251, 248 and 248 working days in 2024, 2025 and 2026", () => {
    expect(workdaysBetween(data, "2023-12-31", "2024-12-31")).toBe(251)
    expect(workdaysBetween(data, "2024-12-31", "2025-12-31")).toBe(248)
    expect(workdaysBetween(data, "2025-12-31", "2026-12-31")).toBe(248)
  })
})

describe("isWorkdayIn", () => {
  it("2026: make-up weekends are working days, Golden Week is not", () => {
    for (const d of ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]) {
      expect(isWorkdayIn(data, d), d).toBe(true)
    }
    for (const d of range("2026-10-01", "2026-10-07")) expect(isWorkdayIn(data, d), d).toBe(false)
    for (const d of range("2026-02-15", "2026-02-23")) expect(isWorkdayIn(data, d), d).toBe(false)
    expect(isWorkdayIn(data, "2026-10-08")).toBe(true)
  })

  it("2025: make-up weekends are working days, 1-8 October is not", () => {
    for (const d of ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]) {
      expect(isWorkdayIn(data, d), d).toBe(true)
    }
    for (const d of range("2025-10-01", "2025-10-08")) expect(isWorkdayIn(data, d), d).toBe(false)
    for (const d of range("2025-01-28", "2025-02-04")) expect(isWorkdayIn(data, d), d).toBe(false)
    expect(isWorkdayIn(data, "2025-10-09")).toBe(true)
  })

  it("plain weekends are off, plain weekdays are on", () => {
    expect(range("2026-03-07", "2026-03-15").map((d) => isWorkdayIn(data, d))).toStrictEqual([
      false, false, true, true, true, true, true, false, false
    ])
  })

  it("is undefined outside the data and for invalid dates", () => {
    expect(isWorkdayIn(data, `${data.lastYear + 1}-01-04`)).toBeUndefined()
    expect(isWorkdayIn(data, `${data.firstYear - 1}-12-31`)).toBeUndefined()
    expect(isWorkdayIn(data, "2026-02-30")).toBeUndefined()
    expect(isWorkdayIn(data, "not a date")).toBeUndefined()
  })

  it("agrees with the data's definition on every covered day", () => {
    const holidays = new Set(data.holidays)
    const workdays = new Set(data.workdays)
    fc.assert(
      fc.property(coveredDay, (day) => {
        const d = iso(day)
        expect(isWorkdayIn(data, d)).toBe(workdays.has(d) || (!weekendDay(d) && !holidays.has(d)))
      })
    )
  })
})

describe("addWorkdaysIn", () => {
  it("crosses Golden Week", () => {
    expect(addWorkdaysIn(data, "2026-09-30", 1)).toBe("2026-10-08")
    expect(addWorkdaysIn(data, "2026-09-28", 7)).toBe("2026-10-13") // incl. make-up Saturday 10-10
    expect(addWorkdaysIn(data, "2025-09-30", 1)).toBe("2025-10-09")
    expect(addWorkdaysIn(data, "2026-10-08", -1)).toBe("2026-09-30")
  })

  it("crosses the Spring Festival", () => {
    expect(addWorkdaysIn(data, "2026-02-13", 1)).toBe("2026-02-14") // make-up Saturday
    expect(addWorkdaysIn(data, "2026-02-14", 1)).toBe("2026-02-24")
    expect(addWorkdaysIn(data, "2025-01-24", 1)).toBe("2025-01-26") // make-up Sunday
    expect(addWorkdaysIn(data, "2025-01-27", 1)).toBe("2025-02-05")
    expect(addWorkdaysIn(data, "2026-02-24", -2)).toBe("2026-02-13")
  })

  it("n = 0 is the date itself on a working day, else the next working day", () => {
    expect(addWorkdaysIn(data, "2026-09-30", 0)).toBe("2026-09-30")
    expect(addWorkdaysIn(data, "2026-10-01", 0)).toBe("2026-10-08")
    expect(addWorkdaysIn(data, "2026-03-07", 0)).toBe("2026-03-09")
  })

  it("n > 0 from a day off counts from the next working day", () => {
    expect(addWorkdaysIn(data, "2026-10-03", 1)).toBe("2026-10-08")
    expect(addWorkdaysIn(data, "2026-03-07", 1)).toBe("2026-03-09")
  })

  it("is undefined when leaving the data, for invalid dates and non-integer n", () => {
    expect(addWorkdaysIn(data, `${data.lastYear}-12-30`, 5)).toBeUndefined()
    expect(addWorkdaysIn(data, `${data.firstYear}-01-05`, -10)).toBeUndefined()
    expect(addWorkdaysIn(data, `${data.lastYear + 1}-01-04`, 0)).toBeUndefined()
    expect(addWorkdaysIn(data, "2026-02-30", 1)).toBeUndefined()
    expect(addWorkdaysIn(data, "2026-03-09", 1.5)).toBeUndefined()
  })

  it("property: workdaysBetween(d, addWorkdays(d, n)) === n from a working day", () => {
    fc.assert(
      fc.property(coveredDay, fc.integer({ min: -400, max: 400 }), (day, n) => {
        const d = iso(day)
        fc.pre(isWorkdayIn(data, d) === true)
        const result = addWorkdaysIn(data, d, n)
        fc.pre(result !== undefined)
        expect(isWorkdayIn(data, result)).toBe(true)
        expect(workdaysBetween(data, d, result)).toBe(n)
        expect(Math.sign(dayOf(result) - day)).toBe(Math.sign(n))
      }),
      { numRuns: 500 }
    )
  })

  it("property: from any day, the result is the n-th working day after it", () => {
    fc.assert(
      fc.property(coveredDay, fc.integer({ min: 1, max: 60 }), (day, n) => {
        const result = addWorkdaysIn(data, iso(day), n)
        fc.pre(result !== undefined)
        const passed = range(iso(day + 1), result).filter((d) => isWorkdayIn(data, d))
        expect(passed.length).toBe(n)
        expect(passed[passed.length - 1]).toBe(result)
      })
    )
  })
})

describe("workdaysBetween", () => {
  it("counts (from, to], negative when reversed", () => {
    expect(workdaysBetween(data, "2026-09-30", "2026-10-08")).toBe(1)
    expect(workdaysBetween(data, "2026-10-08", "2026-09-30")).toBe(-1)
    expect(workdaysBetween(data, "2026-10-01", "2026-10-07")).toBe(0)
    expect(workdaysBetween(data, "2026-03-09", "2026-03-09")).toBe(0)
    expect(workdaysBetween(data, "2026-03-06", "2026-03-13")).toBe(5)
    expect(workdaysBetween(data, "2026-03-06", `${data.lastYear + 1}-01-01`)).toBeUndefined()
  })

  it("property: equals a day-by-day count", () => {
    fc.assert(
      fc.property(coveredDay, fc.integer({ min: -90, max: 90 }), (day, span) => {
        const other = day + span
        fc.pre(isWorkdayIn(data, iso(other)) !== undefined)
        const [lo, hi] = span >= 0 ? [day, other] : [other, day]
        const count = range(iso(lo + 1), iso(hi)).filter((d) => isWorkdayIn(data, d)).length
        expect(workdaysBetween(data, iso(day), iso(other))).toBe(span >= 0 ? count : -count)
      })
    )
  })
})

describe("overrides", () => {
  const regional: CalendarOverrides = { holidays: ["2026-03-05"], workdays: ["2026-03-07"] }

  it("pure functions apply extra holidays and workdays", () => {
    expect(isWorkdayIn(data, "2026-03-05")).toBe(true)
    expect(isWorkdayIn(data, "2026-03-05", regional)).toBe(false)
    expect(isWorkdayIn(data, "2026-03-07", regional)).toBe(true)
    expect(addWorkdaysIn(data, "2026-03-04", 1, regional)).toBe("2026-03-06")
    expect(workdaysBetween(data, "2026-03-01", "2026-03-08", regional)).toBe(5)
  })

  it("a custom data set replaces the national one", () => {
    const tiny: CalendarData = { firstYear: 2030, lastYear: 2030, holidays: ["2030-01-01"], workdays: [] }
    expect(isWorkdayIn(tiny, "2030-01-01")).toBe(false)
    expect(isWorkdayIn(tiny, "2030-01-02")).toBe(true)
    expect(isWorkdayIn(tiny, "2026-03-09")).toBeUndefined()
  })

  it.effect("an extra regional holiday applies to that community only", () =>
    Effect.gen(function*() {
      const calendar = yield* WorkdayCalendar
      expect(yield* calendar.isWorkday("sq-a", D("2026-03-05"))).toBe(false)
      expect(yield* calendar.isWorkday("sq-b", D("2026-03-05"))).toBe(true)
      expect(yield* calendar.isWorkday("sq-a", D("2026-03-07"))).toBe(true)
      expect(yield* calendar.addWorkdays("sq-a", D("2026-03-04"), 1)).toBe("2026-03-06")
      expect(yield* calendar.addWorkdays("sq-b", D("2026-03-04"), 1)).toBe("2026-03-05")
      expect(yield* calendar.workdaysBetween("sq-a", D("2026-03-01"), D("2026-03-08"))).toBe(5)
      expect(yield* calendar.workdaysBetween("sq-b", D("2026-03-01"), D("2026-03-08"))).toBe(5)
    }).pipe(Effect.provide(ChinaCalendar.layer({ overrides: { "sq-a": regional } }))))
})

describe("WorkdayCalendar (ChinaCalendar.layerDefault)", () => {
  it.effect("answers inside the data", () =>
    Effect.gen(function*() {
      const calendar = yield* WorkdayCalendar
      expect(calendar.timeZone).toBe("Asia/Shanghai")
      expect(calendar.coverage).toStrictEqual({ firstYear: data.firstYear, lastYear: data.lastYear })
      expect(yield* calendar.isWorkday("sq-1", D("2026-09-20"))).toBe(true)
      expect(yield* calendar.isWorkday("sq-1", D("2026-10-01"))).toBe(false)
      expect(yield* calendar.addWorkdays("sq-1", D("2026-09-30"), 1)).toBe("2026-10-08")
      expect(yield* calendar.workdaysBetween("sq-1", D("2026-09-30"), D("2026-10-08"))).toBe(1)
    }).pipe(Effect.provide(ChinaCalendar.layerDefault)))

  it.effect("fails loudly with CalendarOutOfRange past the data in the \"fail\" mode", () =>
    Effect.gen(function*() {
      const calendar = yield* WorkdayCalendar
      const next = data.lastYear + 1
      const e1 = yield* Effect.flip(calendar.isWorkday("sq-1", D(`${next}-10-01`)))
      expect(e1).toBeInstanceOf(CalendarOutOfRange)
      expect(e1).toMatchObject({ date: `${next}-10-01`, firstYear: data.firstYear, lastYear: data.lastYear })
      expect(e1.code).toBe("CALENDAR_OUT_OF_RANGE")
      const e2 = yield* Effect.flip(calendar.addWorkdays("sq-1", D(`${data.lastYear}-12-30`), 5))
      expect(e2.date).toBe(`${next}-01-01`)
      const e3 = yield* Effect.flip(calendar.workdaysBetween("sq-1", D("2026-03-09"), D(`${next}-01-04`)))
      expect(e3.date).toBe(`${next}-01-04`)
      const e4 = yield* Effect.flip(calendar.isWorkday("sq-1", D(`${data.firstYear - 1}-12-31`)))
      expect(e4.date).toBe(`${data.firstYear - 1}-12-31`)
      const e5 = yield* Effect.flip(calendar.addWorkdays("sq-1", D(`${data.firstYear}-01-05`), -10))
      expect(e5.date).toBe(`${data.firstYear - 1}-12-31`)
    }).pipe(Effect.provide(ChinaCalendar.layer({ beyondData: "fail" }))))

  // Pinned to end in 2026, so the test keeps its meaning after 2027 is published.
  const upTo2026: CalendarData = { ...data, lastYear: 2026 }

  it.effect("'weekends-only' is an explicit, provisional opt-in beyond the data", () =>
    Effect.gen(function*() {
      const calendar = yield* WorkdayCalendar
      expect(calendar.coverage.lastYear).toBe(2026)
      const next = 2027
      // Find a Monday and the following Saturday in the first uncovered year.
      const monday = range(`${next}-03-01`, `${next}-03-07`).find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1)!
      const saturday = iso(dayOf(monday) + 5)
      expect(yield* calendar.isWorkday("sq-1", D(monday))).toBe(true)
      expect(yield* calendar.isWorkday("sq-1", D(saturday))).toBe(false)
      expect(yield* calendar.isWorkday("sq-1", D(`${data.firstYear - 1}-12-31`))).toBe(
        !weekendDay(`${data.firstYear - 1}-12-31`)
      )
      // The covered part still uses the data: 2026-12-30 (Wed) + 5 crosses New Year.
      expect(yield* calendar.addWorkdays("sq-1", D("2026-12-30"), 5)).toBe("2027-01-06")
      expect(yield* calendar.workdaysBetween("sq-1", D("2026-12-30"), D("2027-01-06"))).toBe(5)
      expect(yield* calendar.workdaysBetween("sq-1", D("2027-01-06"), D("2026-12-30"))).toBe(-5)
      expect(yield* calendar.addWorkdays("sq-1", D("2027-01-06"), -5)).toBe("2026-12-30")
      // Community overrides apply there too.
      expect(yield* calendar.addWorkdays("sq-x", D("2026-12-30"), 5)).toBe("2027-01-07")
      expect(yield* calendar.isWorkday("sq-x", D("2027-01-01"))).toBe(false)
    }).pipe(
      Effect.provide(
        ChinaCalendar.layer({
          data: upTo2026,
          beyondData: "weekends-only",
          overrides: { "sq-x": { holidays: ["2027-01-01"] } }
        })
      )
    ))
})

describe("time zones", () => {
  it("toLocalDate at the Shanghai midnight boundary", () => {
    expect(toLocalDate(Date.parse("2026-09-30T16:00:00Z"))).toBe("2026-10-01")
    expect(toLocalDate(Date.parse("2026-09-30T15:59:59.999Z"))).toBe("2026-09-30")
    expect(toLocalDate(Date.parse("2026-09-30T16:00:00Z"), "Asia/Shanghai")).toBe("2026-10-01")
    expect(toLocalDate(Date.parse("2026-09-30T16:00:00Z"), "UTC")).toBe("2026-09-30")
    expect(toLocalDate(Date.parse("2026-10-01T03:00:00Z"), "America/New_York")).toBe("2026-09-30")
  })

  it("startOfLocalDay is local midnight, also across DST", () => {
    expect(startOfLocalDay(D("2026-10-01"), "Asia/Shanghai")).toBe(Date.parse("2026-09-30T16:00:00Z"))
    expect(startOfLocalDay(D("2026-10-01"))).toBe(Date.parse("2026-09-30T16:00:00Z"))
    expect(startOfLocalDay(D("2026-03-08"), "America/New_York")).toBe(Date.parse("2026-03-08T05:00:00Z"))
    expect(startOfLocalDay(D("2026-03-09"), "America/New_York")).toBe(Date.parse("2026-03-09T04:00:00Z"))
    // Brazil 2018: clocks jumped from 00:00 to 01:00, so the day began at 01:00 (-02).
    expect(startOfLocalDay(D("2018-11-04"), "America/Sao_Paulo")).toBe(Date.parse("2018-11-04T03:00:00Z"))
  })

  it("property: an instant lies between the start of its local day and the next", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("1980-01-01T00:00:00Z"), max: Date.parse("2040-01-01T00:00:00Z") }),
        fc.constantFrom("Asia/Shanghai", "UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"),
        (t, zone) => {
          const date = toLocalDate(t, zone)
          const start = startOfLocalDay(date, zone)
          expect(start).toBeLessThanOrEqual(t)
          expect(toLocalDate(start, zone)).toBe(date)
          expect(t).toBeLessThan(startOfLocalDay(D(iso(dayOf(date) + 1)), zone))
        }
      )
    )
  })

  it.effect("today() comes from the Clock, in the calendar's time zone", () =>
    Effect.gen(function*() {
      const calendar = yield* WorkdayCalendar
      yield* TestClock.setTime(Date.parse("2026-09-30T15:59:59.999Z"))
      expect(yield* calendar.today()).toBe("2026-09-30")
      yield* TestClock.adjust("1 millis")
      expect(yield* calendar.today()).toBe("2026-10-01")
    }).pipe(Effect.provide(ChinaCalendar.layerDefault)))

  it.effect("today() honours a configured time zone", () =>
    Effect.gen(function*() {
      const calendar = yield* WorkdayCalendar
      yield* TestClock.setTime(Date.parse("2026-09-30T16:00:00Z"))
      expect(calendar.timeZone).toBe("UTC")
      expect(yield* calendar.today()).toBe("2026-09-30")
    }).pipe(Effect.provide(ChinaCalendar.layer({ timeZone: "UTC" }))))
})
