import { describe, expect, it } from "@effect/vitest"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Either, Layer } from "effect"
import {
  Calendar,
  CalendarOutOfRange,
  CalendarStore,
  CommunityId,
  ensureCalendarSynced,
  Gongzhi,
  ResidentActor,
  ResidentId,
  Roles,
  StaffActor,
  StaffId,
  SystemActor,
  ChinaCalendar,
  chinaCalendarData,
  InvalidCalendarFile,
  isWorkdayIn,
  LocalDate,
  lunarFestivals,
  parseOfficialYear,
  provisionalYear,
  statutoryOccasions,
  WorkdayCalendar
} from "../src/index.js"
import { handWritten2027Schedule as official2027 } from "@gongzhi/testkit"

const D = (s: string): LocalDate => LocalDate.make(s)
const dayMs = 86_400_000
const dayOf = (s: string): number => Date.parse(`${s}T00:00:00Z`) / dayMs
const iso = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10)
const range = (from: string, to: string): Array<string> => {
  const out: Array<string> = []
  for (let d = dayOf(from); d <= dayOf(to); d++) out.push(iso(d))
  return out
}

describe("lunar festival table (generated from tyme4ts)", () => {
  it("gives the 2027 dates of the holiday law's lunar festivals", () => {
    expect(lunarFestivals(2027)).toStrictEqual({
      springFestival: "2027-02-06",
      qingming: "2027-04-05",
      dragonBoat: "2027-06-09",
      midAutumn: "2027-09-15"
    })
    expect(lunarFestivals(1899)).toBeUndefined()
    expect(lunarFestivals(2200)).toBeUndefined()
  })
})

describe("provisional years", () => {
  it("2027: the statutory days of the 2024 revision, no make-up workdays", () => {
    const y = provisionalYear(2027)
    expect(y.workdays).toStrictEqual([])
    expect(y.holidays.map((d) => d.date)).toStrictEqual([
      "2027-01-01",
      "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",
      "2027-04-05",
      "2027-05-01", "2027-05-02",
      "2027-06-09",
      "2027-09-15",
      "2027-10-01", "2027-10-02", "2027-10-03"
    ])
    expect(y.holidays.find((d) => d.date === "2027-02-05")?.name).toStrictEqual(statutoryOccasions.springFestival)
  })

  // Cross-check of the lunar library against the official data: every
  // statutory day the rules compute for 2025 and 2026 is a day off in the
  // State Council's schedule, under the same occasion when the data names it,
  // and every occasion the schedule names has its statutory days nearby.
  for (const year of [2025, 2026]) {
    it(`reproduces the statutory days of ${year} from the official data`, () => {
      const computed = provisionalYear(year).holidays
      expect(computed.length).toBe(13)
      for (const d of computed) {
        expect(isWorkdayIn(chinaCalendarData, d.date), d.date).toBe(false)
        const named = chinaCalendarData.names?.[d.date]
        if (named !== undefined) expect(named["zh-CN"], d.date).toBe(d.name["zh-CN"])
      }
      const officialNamed = Object.entries(chinaCalendarData.names ?? {})
        .filter(([date]) => date.startsWith(`${year}-`) && chinaCalendarData.holidays.includes(date))
      for (const [date, name] of officialNamed) {
        const near = computed.filter((d) => d.name["zh-CN"] === name["zh-CN"] && Math.abs(dayOf(d.date) - dayOf(date)) <= 8)
        expect(near.length, `${date} ${name["zh-CN"]}`).toBeGreaterThan(0)
      }
    })
  }
})

describe("WorkdayCalendar: sources", () => {
  it.effect("the default layer answers 2027 provisionally (statutory days off) and says so", () =>
    Effect.gen(function* () {
      const calendar = yield* WorkdayCalendar
      expect(calendar.beyondData).toBe("provisional")
      expect(calendar.sourceOf(2026)).toBe("bundled")
      expect(calendar.sourceOf(2027)).toBe("provisional")
      const off = [
        ...range("2027-02-05", "2027-02-08"),
        "2027-04-05",
        "2027-05-01",
        "2027-05-02",
        "2027-06-09",
        "2027-09-15",
        ...range("2027-10-01", "2027-10-03")
      ]
      for (const d of off) {
        const r = yield* calendar.isWorkdaySourced("sq-1", D(d))
        expect(r, d).toStrictEqual({ value: false, basis: "provisional", provisionalYears: [2027] })
      }
      // Around them: ordinary weekdays work, and no make-up Saturday exists.
      for (const d of ["2027-02-04", "2027-02-09", "2027-04-06", "2027-05-03", "2027-06-08", "2027-09-16", "2027-10-04"]) {
        expect(yield* calendar.isWorkday("sq-1", D(d)), d).toBe(true)
      }
      expect(yield* calendar.isWorkday("sq-1", D("2027-02-20"))).toBe(false)
      expect(yield* calendar.isWorkdaySourced("sq-1", D("2026-10-08"))).toStrictEqual({ value: true, basis: "official", provisionalYears: [] })
    }).pipe(Effect.provide(ChinaCalendar.layerDefault)))

  it.effect("7 working days from 2026-12-28 cross into 2027 and are flagged provisional", () =>
    Effect.gen(function* () {
      const calendar = yield* WorkdayCalendar
      // 12-29, 12-30, 12-31, (01-01 New Year's Day off, weekend), 01-04 .. 01-07
      const r = yield* calendar.addWorkdaysSourced("sq-1", D("2026-12-28"), 7)
      expect(r).toStrictEqual({ value: "2027-01-07", basis: "provisional", provisionalYears: [2027] })
      expect(yield* calendar.addWorkdays("sq-1", D("2026-12-28"), 7)).toBe("2027-01-07")
      expect(yield* calendar.addWorkdaysSourced("sq-1", D("2026-12-21"), 3)).toStrictEqual({ value: "2026-12-24", basis: "official", provisionalYears: [] })
      expect(yield* calendar.workdaysBetweenSourced("sq-1", D("2026-12-28"), D("2027-01-07"))).toStrictEqual({ value: 7, basis: "provisional", provisionalYears: [2027] })
      expect(yield* calendar.workdaysBetweenSourced("sq-1", D("2027-01-07"), D("2026-12-28"))).toStrictEqual({ value: -7, basis: "provisional", provisionalYears: [2027] })
      expect(yield* calendar.addWorkdays("sq-1", D("2027-01-07"), -7)).toBe("2026-12-28")
    }).pipe(Effect.provide(ChinaCalendar.layerDefault)))

  it.effect("\"fail\" stays available: CalendarOutOfRange only there", () =>
    Effect.gen(function* () {
      const calendar = yield* WorkdayCalendar
      const e = yield* Effect.flip(calendar.addWorkdays("sq-1", D("2026-12-28"), 7))
      expect(e).toBeInstanceOf(CalendarOutOfRange)
      expect(e).toMatchObject({ date: "2027-01-01", firstYear: 2004, lastYear: 2026 })
    }).pipe(Effect.provide(ChinaCalendar.layer({ beyondData: "fail" }))))

  it.effect("loading an official year replaces the provisional one, make-up workdays included; overrides stay on top", () =>
    Effect.gen(function* () {
      const calendar = yield* WorkdayCalendar
      expect(yield* calendar.addWorkdays("sq-1", D("2026-12-30"), 7)).toBe("2027-01-11")
      const loaded = yield* calendar.loadOfficialYear(official2027, 42)
      expect(loaded.year).toBe(2027)
      expect(calendar.sourceOf(2027)).toBe("loaded")
      expect(calendar.loadedYears()).toStrictEqual([{ year: 2027, source: official2027.source, stamp: 42 }])
      // The make-up Saturday 2027-01-09 now counts; bridge days are off.
      expect(yield* calendar.addWorkdaysSourced("sq-1", D("2026-12-30"), 7)).toStrictEqual({ value: "2027-01-09", basis: "official", provisionalYears: [] })
      expect(yield* calendar.isWorkday("sq-1", D("2027-02-10"))).toBe(false)
      expect(yield* calendar.isWorkday("sq-1", D("2027-02-20"))).toBe(true)
      // A community's own day off applies on top of the loaded year.
      expect(yield* calendar.isWorkday("sq-local", D("2027-01-09"))).toBe(false)
      expect(yield* calendar.addWorkdays("sq-local", D("2026-12-30"), 7)).toBe("2027-01-11")
      // Also in "fail" mode a loaded year is official.
    }).pipe(Effect.provide(ChinaCalendar.layer({ overrides: { "sq-local": { holidays: ["2027-01-09"] } } }))))

  it.effect("\"fail\" mode answers a loaded year", () =>
    Effect.gen(function* () {
      const calendar = yield* WorkdayCalendar
      expect(yield* calendar.addWorkdays("sq-1", D("2026-12-30"), 7)).toBe("2027-01-09")
      const e = yield* Effect.flip(calendar.isWorkday("sq-1", D("2028-01-03")))
      expect(e).toMatchObject({ _tag: "CalendarOutOfRange", lastYear: 2027 })
    }).pipe(Effect.provide(ChinaCalendar.layer({ beyondData: "fail", years: [official2027] }))))
})

describe("official schedule files", () => {
  const withDays = (holidays: ReadonlyArray<string>, workdays: ReadonlyArray<string>) => ({
    ...official2027,
    holidays: holidays.map((date) => ({ date, name: { "zh-CN": "春节" } })),
    workdays: workdays.map((date) => ({ date, name: { "zh-CN": "春节" } }))
  })
  const refusal = (input: unknown) => {
    const r = parseOfficialYear(input)
    if (Either.isRight(r)) throw new Error("expected a refusal")
    return r.left
  }

  it("accepts the documented format and names default their English to the Chinese", () => {
    const ok = parseOfficialYear(withDays(["2027-02-05"], ["2027-02-20"]))
    expect(Either.isRight(ok)).toBe(true)
    if (Either.isRight(ok)) expect(ok.right.holidays[0]!.name).toStrictEqual({ "zh-CN": "春节", en: "春节" })
  })

  it("refuses a date both off and on, a date outside the year, a weekday make-up day, a duplicate, a bad date, a bad shape", () => {
    const both = refusal(withDays(["2027-02-05", "2027-02-20"], ["2027-02-20"]))
    expect(both).toBeInstanceOf(InvalidCalendarFile)
    expect(both).toMatchObject({ field: "workdays.0.date", date: "2027-02-20", reason: "both-off-and-on", code: "CALENDAR_INVALID_FILE" })
    expect(both.text["zh-CN"]).toContain("2027-02-20")
    expect(refusal(withDays(["2027-02-05", "2028-01-01"], []))).toMatchObject({ field: "holidays.1.date", date: "2028-01-01", reason: "outside-year" })
    expect(refusal(withDays(["2027-02-05"], ["2027-02-22"]))).toMatchObject({ field: "workdays.0.date", reason: "workday-not-weekend" })
    expect(refusal(withDays(["2027-02-05", "2027-02-05"], []))).toMatchObject({ field: "holidays.1.date", reason: "duplicate" })
    expect(refusal(withDays(["2027-02-30"], []))).toMatchObject({ field: "holidays.0.date", reason: "not-a-date" })
    expect(refusal({ ...official2027, year: "2027" })).toMatchObject({ field: "year", reason: "format" })
    expect(refusal({ ...official2027, holidays: [] })).toMatchObject({ field: "holidays", reason: "format" })
    expect(refusal(null)).toMatchObject({ reason: "format" })
  })

  it.effect("a refused file changes nothing in the running calendar", () =>
    Effect.gen(function* () {
      const calendar = yield* WorkdayCalendar
      const e = yield* Effect.flip(calendar.loadOfficialYear(withDays(["2027-02-05", "2027-01-09"], ["2027-01-09"])))
      expect(e).toMatchObject({ _tag: "InvalidCalendarFile", reason: "both-off-and-on", date: "2027-01-09" })
      expect(calendar.sourceOf(2027)).toBe("provisional")
      expect(calendar.loadedYears()).toStrictEqual([])
      expect(yield* calendar.addWorkdays("sq-1", D("2026-12-30"), 7)).toBe("2027-01-11")
    }).pipe(Effect.provide(ChinaCalendar.layerDefault)))
})

describe("Calendar.importYear and the memory store's option", () => {
  const community = generateCommunity({ seed: 7, communityId: "c-cal", buildings: 1, floors: 2 })
  const C = CommunityId.make("c-cal")
  const operator = new StaffActor({ communityId: C, staffId: StaffId.make("s-op"), roles: [Roles.operator], departments: [] })
  const admin = new StaffActor({ communityId: C, staffId: StaffId.make("s-ad"), roles: [Roles.admin], departments: [] })
  const resident = new ResidentActor({ communityId: C, residentId: ResidentId.make(community.residents[0]!.id) })

  it.effect("only an operator or the system loads a year; the result says what it replaced", () =>
    Effect.gen(function* () {
      for (const actor of [admin, resident]) {
        const e = yield* Effect.flip(Calendar.importYear(actor, official2027))
        expect(e).toMatchObject({ _tag: "Forbidden", command: "calendar.importYear" })
      }
      const calendar = yield* WorkdayCalendar
      expect(calendar.sourceOf(2027)).toBe("provisional")
      const r = yield* Calendar.importYear(operator, official2027)
      expect(r).toMatchObject({ year: 2027, before: "provisional", holidays: 26, workdays: 4, rederived: { year: 2027, checked: 0, changed: 0, unclaimed: 0 } })
      expect(calendar.sourceOf(2027)).toBe("loaded")
      const again = yield* Calendar.importYear(new SystemActor({ communityId: C, process: "ops" }), official2027)
      expect(again.before).toBe("loaded")
      const stored = yield* Effect.flatMap(CalendarStore, (s) => s.listYears())
      expect(stored.map((y) => [y.year, y.loadedBy])).toStrictEqual([[2027, "system:ops"]])
    }).pipe(Effect.provide(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] })))))

  it.effect("MemoryStore.layer({ calendarYears }) is read by the running calendar on first use", () =>
    Effect.gen(function* () {
      const calendar = yield* WorkdayCalendar
      expect(calendar.sourceOf(2027)).toBe("provisional")
      yield* ensureCalendarSynced
      expect(calendar.sourceOf(2027)).toBe("loaded")
      expect(yield* calendar.addWorkdays("c-cal", D("2026-12-30"), 7)).toBe("2027-01-09")
    }).pipe(Effect.provide(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community], calendarYears: [official2027] })))))

  it.effect("Calendar.refresh loads a year another process imported, once", () =>
    Effect.gen(function* () {
      const system = new SystemActor({ communityId: C, process: "ops" })
      const mine = yield* WorkdayCalendar
      yield* ensureCalendarSynced
      expect(mine.sourceOf(2027)).toBe("provisional")
      // Another process, with its own calendar, imports 2027 into the shared store.
      yield* Calendar.importYear(system, official2027).pipe(Effect.provide(ChinaCalendar.layerDefault))
      expect(mine.sourceOf(2027)).toBe("provisional")
      const reports = yield* Calendar.refresh(system)
      expect(reports.map((r) => r.year)).toStrictEqual([2027])
      expect(mine.sourceOf(2027)).toBe("loaded")
      expect(yield* Calendar.refresh(system)).toStrictEqual([])
      expect(yield* Effect.flip(Calendar.refresh(resident))).toMatchObject({ _tag: "Forbidden" })
    }).pipe(Effect.provide(Layer.merge(ChinaCalendar.layerDefault, MemoryStore.layer({ directory: [community] })))))
})
