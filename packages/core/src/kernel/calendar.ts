/**
 * Working days (工作日). China's calendar is not "Monday to Friday": each year
 * the State Council publishes which weekdays are statutory holidays and which
 * weekends are make-up workdays (调休上班). Deadlines such as "answer within 7
 * working days" are counted on that calendar.
 *
 * Two layers of API:
 * - pure functions (`isWorkdayIn`, `addWorkdaysIn`, `workdaysBetween`,
 *   `toLocalDate`, `startOfLocalDay`) over a {@link CalendarData}, fast enough
 *   for simulation loops (tables are precomputed once per data/overrides pair);
 * - the {@link WorkdayCalendar} port, provided by {@link ChinaCalendar}, which
 *   adds official years loaded at run time, provisional years computed from
 *   the holiday law beyond all official data (every answer says whether it
 *   rests on one), per-community overrides, a time zone and `today()` from
 *   Effect's `Clock`; {@link CalendarOutOfRange} only in the `"fail"` mode.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Either, Layer, Schema } from "effect"
import { chinaCalendarData } from "./calendar-data.js"
import { type InvalidCalendarFile, type OfficialYear, parseOfficialYear, provisionalYear, type YearSchedule } from "./calendar-years.js"
import type { LocalizedText } from "./errors.js"
import { CalendarOutOfRange } from "./errors.js"

/**
 * The key the calendar port uses for a community (tenant). A plain string for
 * now; it will become the branded `CommunityId`.
 *
 * @since 0.1.0
 * @category models
 */
export type CommunityKey = string

// ---------------------------------------------------------------------------
// Day numbers: days since 1970-01-01, proleptic Gregorian (H. Hinnant's
// algorithms). Integer arithmetic only, no Date allocation.
// ---------------------------------------------------------------------------

const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

const civilFromDays = (days: number): readonly [number, number, number] => {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d]
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48
  return c >= 0 && c <= 9 ? c : NaN
}

/** Day number of a valid "YYYY-MM-DD", or undefined. */
const parseDay = (s: string): number | undefined => {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3)
  const m = digit(s, 5) * 10 + digit(s, 6)
  const d = digit(s, 8) * 10 + digit(s, 9)
  // NaN fails every comparison below.
  if (!(y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return undefined
  return daysFromCivil(y, m, d)
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

const formatDay = (days: number): LocalDate => {
  const [y, m, d] = civilFromDays(days)
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` as LocalDate
}

/** Monday to Friday? Day 0 (1970-01-01) was a Thursday. */
const isMonToFri = (days: number): boolean => {
  const dow = (((days + 4) % 7) + 7) % 7 // 0 = Sunday
  return dow !== 0 && dow !== 6
}

const dayMillis = 86_400_000

/** The representable LocalDate range, 0000-01-01 .. 9999-12-31. */
const minDay = daysFromCivil(0, 1, 1)
const maxDay = daysFromCivil(9999, 12, 31)

// ---------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------

/**
 * A calendar date without time or zone, `"YYYY-MM-DD"` (proleptic Gregorian,
 * years 0000-9999). Rejects dates that do not exist, such as `2026-02-30`.
 *
 * @since 0.1.0
 * @category models
 */
export const LocalDate = Schema.String.pipe(
  Schema.filter((s) => parseDay(s) !== undefined || "expected a calendar date YYYY-MM-DD", {
    identifier: "LocalDate",
    description: "a calendar date YYYY-MM-DD",
    jsonSchema: { format: "date" }
  }),
  Schema.brand("LocalDate")
)
/**
 * @since 0.1.0
 * @category models
 */
export type LocalDate = typeof LocalDate.Type

/**
 * The published working-day calendar of a country or region for a run of whole
 * years. Dates are `"YYYY-MM-DD"`; entries outside `[firstYear, lastYear]` are
 * ignored. A malformed date (here or in {@link CalendarOverrides}) is a
 * programming error: the first function called with it throws a `RangeError`
 * (a defect when it happens inside a layer).
 *
 * @since 0.1.0
 * @category models
 */
export interface CalendarData {
  /** Where the data comes from, e.g. `"chinese-days@1.5.7"`. */
  readonly source?: string
  /** First year the data covers completely. */
  readonly firstYear: number
  /** Last year the data covers completely. */
  readonly lastYear: number
  /** Days off that fall on Monday-Friday (statutory holidays and their bridge days). */
  readonly holidays: ReadonlyArray<string>
  /** Saturdays and Sundays that are working days (make-up workdays, 调休上班). */
  readonly workdays: ReadonlyArray<string>
  /** Optional: the occasion each listed holiday or make-up workday belongs to. */
  readonly names?: { readonly [date: string]: LocalizedText }
}

/**
 * A community's (or region's) own changes to the national calendar, e.g. a
 * local festival off or a make-up Saturday. A date in `holidays` is a day off
 * even if the national calendar says workday; a date in `workdays` is a
 * working day even on a weekend or national holiday. A date in both is a day
 * off.
 *
 * @since 0.1.0
 * @category models
 */
export interface CalendarOverrides {
  /** Extra days off, `"YYYY-MM-DD"`. */
  readonly holidays?: ReadonlyArray<string>
  /** Extra working days, `"YYYY-MM-DD"`. */
  readonly workdays?: ReadonlyArray<string>
}

// ---------------------------------------------------------------------------
// Compiled tables
// ---------------------------------------------------------------------------

interface Table {
  readonly firstYear: number
  readonly lastYear: number
  /** Day numbers of firstYear-01-01 and lastYear-12-31 (inclusive). */
  readonly start: number
  readonly end: number
  /** `cum[i]` = workdays among the first `i` covered days; length = days + 1. */
  readonly cum: Int32Array
  /** Override days anywhere (used beyond the data in "weekends-only" mode). */
  readonly extraHolidays: ReadonlySet<number>
  readonly extraWorkdays: ReadonlySet<number>
}

const noOverrides: CalendarOverrides = {}
const tables = new WeakMap<CalendarData, WeakMap<CalendarOverrides, Table>>()

const toDays = (dates: ReadonlyArray<string> | undefined, what: string): Set<number> => {
  const out = new Set<number>()
  for (const s of dates ?? []) {
    const day = parseDay(s)
    // A malformed date here is a configuration bug: fail loudly (a defect)
    // rather than silently counting deadlines on a wrong calendar.
    if (day === undefined) throw new RangeError(`WorkdayCalendar: ${what} contains ${JSON.stringify(s)}, not a YYYY-MM-DD date`)
    out.add(day)
  }
  return out
}

const compile = (data: CalendarData, overrides: CalendarOverrides): Table => {
  const { firstYear, lastYear } = data
  if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || firstYear < 0 || lastYear > 9999 || firstYear > lastYear) {
    throw new RangeError(`WorkdayCalendar: invalid coverage ${firstYear}-${lastYear}`)
  }
  const start = daysFromCivil(firstYear, 1, 1)
  const end = daysFromCivil(lastYear, 12, 31)
  const holidays = toDays(data.holidays, "CalendarData.holidays")
  const workdays = toDays(data.workdays, "CalendarData.workdays")
  const extraHolidays = toDays(overrides.holidays, "CalendarOverrides.holidays")
  const extraWorkdays = toDays(overrides.workdays, "CalendarOverrides.workdays")
  const cum = new Int32Array(end - start + 2)
  for (let day = start; day <= end; day++) {
    const i = day - start
    const working = extraHolidays.has(day)
      ? false
      : extraWorkdays.has(day) || workdays.has(day) || (isMonToFri(day) && !holidays.has(day))
    cum[i + 1] = (cum[i] ?? 0) + (working ? 1 : 0)
  }
  return { firstYear, lastYear, start, end, cum, extraHolidays, extraWorkdays }
}

const tableFor = (data: CalendarData, overrides: CalendarOverrides = noOverrides): Table => {
  let byOverrides = tables.get(data)
  if (byOverrides === undefined) {
    byOverrides = new WeakMap()
    tables.set(data, byOverrides)
  }
  let table = byOverrides.get(overrides)
  if (table === undefined) {
    table = compile(data, overrides)
    byOverrides.set(overrides, table)
  }
  return table
}

/** cum[i], where 0 <= i <= covered days. */
const cumAt = (t: { readonly cum: Int32Array }, i: number): number => t.cum[i] ?? 0

const covers = (t: Table, day: number): boolean => day >= t.start && day <= t.end

const workingInTable = (t: Table, day: number): boolean => cumAt(t, day - t.start + 1) > cumAt(t, day - t.start)

/** The covered day that is the workday with 0-based ordinal `m`, or undefined. */
const workdayByOrdinal = (t: Table, m: number): number | undefined => {
  const total = cumAt(t, t.cum.length - 1)
  if (m < 0 || m >= total) return undefined
  // first index k with cum[k] >= m + 1; the workday is day k - 1
  let lo = 1
  let hi = t.cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cumAt(t, mid) >= m + 1) hi = mid
    else lo = mid + 1
  }
  return t.start + lo - 1
}

/** See `addWorkdaysIn`; day must be covered, n an integer. */
const addInTable = (t: Table, day: number, n: number): number | undefined => {
  const i = day - t.start
  if (n > 0) return workdayByOrdinal(t, cumAt(t, i + 1) + n - 1)
  return workdayByOrdinal(t, cumAt(t, i) + n)
}

/** Workdays in (a, b] for covered a <= b. */
const countInTable = (t: Table, a: number, b: number): number => cumAt(t, b - t.start + 1) - cumAt(t, a - t.start + 1)

// ---------------------------------------------------------------------------
// Pure rules
// ---------------------------------------------------------------------------

/**
 * Whether `date` is a working day under `data` (plus `overrides`).
 *
 * Returns `undefined` when the date lies outside `[data.firstYear,
 * data.lastYear]` (or is not a valid `YYYY-MM-DD` date): the answer is not
 * known, and guessing "Monday to Friday" would be wrong around holidays.
 *
 * Tables are precomputed once per `data` and `overrides` object (cached by
 * identity), so reuse the same `overrides` object across calls in a loop.
 *
 * @example
 * ```ts
 * isWorkdayIn(chinaCalendarData, "2026-10-01") // false (National Day)
 * isWorkdayIn(chinaCalendarData, "2026-09-20") // true (make-up Sunday)
 * isWorkdayIn(chinaCalendarData, "2099-01-05") // undefined (not published)
 * ```
 *
 * @since 0.1.0
 * @category rules
 */
export const isWorkdayIn = (data: CalendarData, date: string, overrides?: CalendarOverrides): boolean | undefined => {
  const day = parseDay(date)
  if (day === undefined) return undefined
  const t = tableFor(data, overrides)
  return covers(t, day) ? workingInTable(t, day) : undefined
}

/**
 * Moves `n` working days from `date`.
 *
 * - `n > 0`: the `n`-th working day strictly after `date` (so a deadline of
 *   "7 working days after receipt" is `addWorkdaysIn(data, received, 7)`,
 *   whether or not `received` was itself a working day);
 * - `n = 0`: `date` itself if it is a working day, else the next working day;
 * - `n < 0`: the `|n|`-th working day strictly before `date`.
 *
 * So for a working day `d`, `workdaysBetween(data, d, addWorkdaysIn(data, d, n)) === n`.
 *
 * Returns `undefined` when `date` or the result lies outside `[data.firstYear,
 * data.lastYear]`, when `date` is not a valid date, or when `n` is not an
 * integer.
 *
 * @since 0.1.0
 * @category rules
 */
export const addWorkdaysIn = (
  data: CalendarData,
  date: string,
  n: number,
  overrides?: CalendarOverrides
): LocalDate | undefined => {
  const day = parseDay(date)
  if (day === undefined || !Number.isSafeInteger(n)) return undefined
  const t = tableFor(data, overrides)
  if (!covers(t, day)) return undefined
  const result = addInTable(t, day, n)
  return result === undefined ? undefined : formatDay(result)
}

/**
 * The number of working days in `(from, to]`: after `from`, up to and
 * including `to`. Negative when `to` is before `from` (minus the working days
 * in `(to, from]`); zero when they are equal.
 *
 * Returns `undefined` when either date lies outside `[data.firstYear,
 * data.lastYear]` or is not a valid date.
 *
 * @since 0.1.0
 * @category rules
 */
export const workdaysBetween = (
  data: CalendarData,
  from: string,
  to: string,
  overrides?: CalendarOverrides
): number | undefined => {
  const a = parseDay(from)
  const b = parseDay(to)
  if (a === undefined || b === undefined) return undefined
  const t = tableFor(data, overrides)
  if (!covers(t, a) || !covers(t, b)) return undefined
  return a <= b ? countInTable(t, a, b) : -countInTable(t, b, a)
}

// ---------------------------------------------------------------------------
// Time zones (Intl only, so this runs in browsers too)
// ---------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US-u-ca-gregory-nu-latn", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric"
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall-clock time at `epochMillis` in `timeZone`, as if it were UTC millis (whole seconds). */
const wallClock = (epochMillis: number, timeZone: string): number => {
  let y = 0
  let mo = 1
  let d = 1
  let h = 0
  let mi = 0
  let s = 0
  for (const part of formatterFor(timeZone).formatToParts(epochMillis)) {
    switch (part.type) {
      case "year":
        y = Number(part.value)
        break
      case "month":
        mo = Number(part.value)
        break
      case "day":
        d = Number(part.value)
        break
      case "hour":
        h = Number(part.value)
        break
      case "minute":
        mi = Number(part.value)
        break
      case "second":
        s = Number(part.value)
        break
      default:
        break
    }
  }
  return daysFromCivil(y, mo, d) * dayMillis + h * 3_600_000 + mi * 60_000 + s * 1000
}

/** UTC offset of `timeZone` at `epochMillis`, in millis, straight from Intl (slow: ~10µs). */
const rawOffsetAt = (epochMillis: number, timeZone: string): number => {
  const whole = Math.floor(epochMillis / 1000) * 1000
  return wallClock(whole, timeZone) - whole
}

/**
 * Per zone and UTC day: the offset in force for the whole day, or NaN when it
 * changes during that day. Intl is slow, and callers convert many instants in
 * loops; offsets change a few times a year at most.
 */
const offsetCache = new Map<string, Map<number, number>>()

/** UTC offset of `timeZone` at `epochMillis`, in millis. */
const offsetAt = (epochMillis: number, timeZone: string): number => {
  const day = Math.floor(epochMillis / dayMillis)
  let byDay = offsetCache.get(timeZone)
  if (byDay === undefined) {
    byDay = new Map()
    offsetCache.set(timeZone, byDay)
  }
  let offset = byDay.get(day)
  if (offset === undefined) {
    const atStart = rawOffsetAt(day * dayMillis, timeZone)
    offset = atStart === rawOffsetAt((day + 1) * dayMillis, timeZone) ? atStart : NaN
    if (byDay.size >= 100_000) byDay.clear()
    byDay.set(day, offset)
  }
  return Number.isNaN(offset) ? rawOffsetAt(epochMillis, timeZone) : offset
}

/**
 * The calendar date at an instant in a time zone (an IANA name such as
 * `"Asia/Shanghai"`, the default). Uses `Intl.DateTimeFormat`, so it works in
 * browsers as well as Node.
 *
 * An unknown time zone name is a programming error: `Intl` throws a
 * `RangeError`.
 *
 * @example
 * ```ts
 * toLocalDate(Date.parse("2026-09-30T16:00:00Z")) // "2026-10-01"
 * ```
 *
 * @since 0.1.0
 * @category time
 */
export const toLocalDate = (epochMillis: number, timeZone: string = "Asia/Shanghai"): LocalDate =>
  formatDay(Math.floor((epochMillis + offsetAt(epochMillis, timeZone)) / dayMillis))

/**
 * The first instant (epoch millis) of `date` in `timeZone`: local midnight, or
 * the end of the gap when a daylight-saving jump skips midnight.
 *
 * @example
 * ```ts
 * startOfLocalDay(LocalDate.make("2026-10-01"), "Asia/Shanghai") // Date.parse("2026-09-30T16:00:00Z")
 * ```
 *
 * @since 0.1.0
 * @category time
 */
export const startOfLocalDay = (date: LocalDate, timeZone: string = "Asia/Shanghai"): number => {
  const target = (parseDay(date) ?? NaN) * dayMillis // local midnight, as if UTC
  // Candidate instants for every offset in force around that day; keep the
  // earliest whose wall clock is exactly midnight.
  const offsets = new Set([
    offsetAt(target - dayMillis, timeZone),
    offsetAt(target, timeZone),
    offsetAt(target + dayMillis, timeZone)
  ])
  let best: number | undefined
  for (const o of offsets) {
    const candidate = target - o
    if (candidate + offsetAt(candidate, timeZone) === target && (best === undefined || candidate < best)) best = candidate
  }
  if (best !== undefined) return best
  // Midnight was skipped: find the first instant whose wall clock is past it.
  let lo = target - Math.max(...offsets) // wall clock before midnight
  let hi = target - Math.min(...offsets) // wall clock after midnight
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (mid + offsetAt(mid, timeZone) >= target) hi = mid
    else lo = mid
  }
  return hi
}

// ---------------------------------------------------------------------------
// The port
// ---------------------------------------------------------------------------

/**
 * Where a year's working days come from: the data bundled with the library
 * (`"bundled"`, generated from the State Council's notices), an official
 * schedule loaded at run time (`"loaded"`), or the holiday law's statutory
 * days alone (`"provisional"`: no make-up workdays, may change when the
 * notice comes out). See docs/calendar.md.
 *
 * @since 0.2.0
 * @category models
 */
export type CalendarSource = "bundled" | "loaded" | "provisional"

/**
 * A calendar answer with where it came from: `"official"` when every day it
 * rests on lies in a bundled or loaded year, `"provisional"` when at least one
 * lies in a provisional year (listed in `provisionalYears`, ascending).
 *
 * @since 0.2.0
 * @category models
 */
export interface Sourced<A> {
  readonly value: A
  readonly basis: "official" | "provisional"
  readonly provisionalYears: ReadonlyArray<number>
}

/**
 * Working-day arithmetic for each community, in one time zone, on three
 * sources per year (see {@link CalendarSource}). In the `"fail"` mode, dates
 * in a provisional year fail with {@link CalendarOutOfRange}; otherwise they
 * are answered, and the `...Sourced` variants say that the answer is
 * provisional.
 *
 * Conventions are those of the pure functions: `addWorkdays(c, d, n)` as
 * {@link addWorkdaysIn}, `workdaysBetween(c, from, to)` counts `(from, to]`
 * as {@link workdaysBetween}.
 *
 * @since 0.1.0
 * @category services
 */
export class WorkdayCalendar extends Context.Tag("@gongzhi/core/WorkdayCalendar")<
  WorkdayCalendar,
  {
    /** IANA time zone in which `today()` is taken, e.g. `"Asia/Shanghai"`. */
    readonly timeZone: string
    /** The years the bundled holiday data covers. */
    readonly coverage: {
      /** First year with published holiday data. */
      readonly firstYear: number
      /** Last year with published holiday data. */
      readonly lastYear: number
    }
    /** What happens in years without official data (see {@link ChinaCalendarOptions.beyondData}). */
    readonly beyondData: BeyondData
    /** Whether `date` is a working day in the community. */
    isWorkday(communityId: CommunityKey, date: LocalDate): Effect.Effect<boolean, CalendarOutOfRange>
    /** The date `n` working days from `date` (see {@link addWorkdaysIn}); `n` must be an integer. */
    addWorkdays(communityId: CommunityKey, date: LocalDate, n: number): Effect.Effect<LocalDate, CalendarOutOfRange>
    /** Working days in `(from, to]`, negative when `to` is before `from`. */
    workdaysBetween(communityId: CommunityKey, from: LocalDate, to: LocalDate): Effect.Effect<number, CalendarOutOfRange>
    /** `isWorkday` with its source: provisional when `date` lies in a provisional year. */
    isWorkdaySourced(communityId: CommunityKey, date: LocalDate): Effect.Effect<Sourced<boolean>, CalendarOutOfRange>
    /** `addWorkdays` with its source: provisional when a day it counted or skipped lies in a provisional year. */
    addWorkdaysSourced(
      communityId: CommunityKey,
      date: LocalDate,
      n: number
    ): Effect.Effect<Sourced<LocalDate>, CalendarOutOfRange>
    /** `workdaysBetween` with its source: provisional when a day of `(from, to]` lies in a provisional year. */
    workdaysBetweenSourced(
      communityId: CommunityKey,
      from: LocalDate,
      to: LocalDate
    ): Effect.Effect<Sourced<number>, CalendarOutOfRange>
    /** The source of a year's national calendar now. */
    sourceOf(year: number): CalendarSource
    /** The official years loaded into this calendar at run time, ordered by year, with the stamp they were loaded with. */
    loadedYears(): ReadonlyArray<{ readonly year: number; readonly source: string; readonly stamp: number }>
    /**
     * Validates an official schedule file (see {@link OfficialYearFile}) and
     * loads it into this running calendar, replacing the year's bundled,
     * provisional or earlier loaded days; a refused file changes nothing.
     * This does not persist it nor re-derive stored deadlines: use
     * `Calendar.importYear` for that. `stamp` (e.g. the time it was stored)
     * lets `Calendar.refresh` tell a changed stored year from one it has.
     */
    loadOfficialYear(file: unknown, stamp?: number): Effect.Effect<OfficialYear, InvalidCalendarFile>
    /** Whether this calendar has read the years kept in the `CalendarStore` (see `Calendar.ensureSynced`). */
    storeSynced(): boolean
    /** Records that this calendar has read the stored years. */
    markStoreSynced(): void
    /** Today's date in `timeZone`, from Effect's `Clock`. */
    today(): Effect.Effect<LocalDate>
  }
>() {}

/**
 * What the calendar does in a year without official data (bundled or
 * loaded): `"provisional"` computes the statutory days off of the holiday law
 * ({@link provisionalYear}) and flags the answer; `"weekends-only"` counts
 * Monday-Friday (flagged too); `"fail"` fails with {@link CalendarOutOfRange}.
 *
 * @since 0.2.0
 * @category layers
 */
export type BeyondData = "provisional" | "weekends-only" | "fail"

/**
 * Options of {@link ChinaCalendar.layer}.
 *
 * @since 0.1.0
 * @category layers
 */
export interface ChinaCalendarOptions {
  /** Per-community changes to the national calendar, keyed by community id. They apply on top of every source. */
  readonly overrides?: Readonly<Record<CommunityKey, CalendarOverrides>>
  /** The national data; defaults to the generated {@link chinaCalendarData}. */
  readonly data?: CalendarData
  /**
   * Official schedule files (the JSON format of {@link OfficialYearFile})
   * loaded when the layer is built, in order; an invalid one is a defect.
   * The in-memory way to add a year; stores persist theirs (`Calendar.importYear`).
   */
  readonly years?: ReadonlyArray<unknown>
  /** IANA time zone for `today()`; defaults to `"Asia/Shanghai"`. */
  readonly timeZone?: string
  /**
   * Years without official data: `"provisional"` (default) counts the
   * statutory holidays of the holiday law and flags every answer resting on
   * them; `"weekends-only"` counts Monday-Friday there (flagged too);
   * `"fail"` fails with {@link CalendarOutOfRange}.
   */
  readonly beyondData?: BeyondData
}

interface YearTable {
  readonly year: number
  readonly source: CalendarSource
  /** Day number of January 1st. */
  readonly start: number
  /** Day number of December 31st. */
  readonly end: number
  /** `cum[i]` = workdays among the year's first `i` days. */
  readonly cum: Int32Array
}

interface DaySets {
  readonly holidays: ReadonlySet<number>
  readonly workdays: ReadonlySet<number>
}

const emptySets: DaySets = { holidays: new Set(), workdays: new Set() }

const scheduleSets = (s: YearSchedule): DaySets => ({
  holidays: toDays(s.holidays.map((d) => d.date), `schedule ${s.year} holidays`),
  workdays: toDays(s.workdays.map((d) => d.date), `schedule ${s.year} workdays`)
})

const yearOf = (day: number): number => civilFromDays(day)[0]

const sourced = <A>(value: A, years: ReadonlySet<number>): Sourced<A> =>
  years.size === 0
    ? { value, basis: "official", provisionalYears: [] }
    : { value, basis: "provisional", provisionalYears: [...years].sort((a, b) => a - b) }

const makeService = (options: ChinaCalendarOptions): Context.Tag.Service<WorkdayCalendar> => {
  const data = options.data ?? chinaCalendarData
  const timeZone = options.timeZone ?? "Asia/Shanghai"
  const mode: BeyondData = options.beyondData ?? "provisional"
  formatterFor(timeZone) // an unknown time zone fails here, when the layer is built
  tableFor(data) // validates the data's coverage and dates when the layer is built
  const bundled: DaySets = {
    holidays: toDays(data.holidays, "CalendarData.holidays"),
    workdays: toDays(data.workdays, "CalendarData.workdays")
  }
  const overrides = new Map<CommunityKey, DaySets>()
  for (const [communityId, o] of Object.entries(options.overrides ?? {})) {
    overrides.set(communityId, {
      holidays: toDays(o.holidays, "CalendarOverrides.holidays"),
      workdays: toDays(o.workdays, "CalendarOverrides.workdays")
    })
  }
  const loaded = new Map<number, { readonly year: OfficialYear; readonly sets: DaySets; readonly stamp: number }>()
  const provisionalSets = new Map<number, DaySets>()
  /** Year tables per community with overrides ("" = national); cleared when a year is loaded. */
  const tables = new Map<CommunityKey, Map<number, YearTable>>()
  let synced = false

  const sourceOf = (year: number): CalendarSource =>
    loaded.has(year) ? "loaded" : year >= data.firstYear && year <= data.lastYear ? "bundled" : "provisional"

  const nationalSets = (year: number): DaySets => {
    const l = loaded.get(year)
    if (l !== undefined) return l.sets
    if (year >= data.firstYear && year <= data.lastYear) return bundled
    if (mode === "weekends-only") return emptySets
    let p = provisionalSets.get(year)
    if (p === undefined) {
      p = scheduleSets(provisionalYear(year))
      provisionalSets.set(year, p)
    }
    return p
  }

  const buildYear = (key: CommunityKey, year: number): YearTable => {
    const start = daysFromCivil(year, 1, 1)
    const end = daysFromCivil(year, 12, 31)
    const base = nationalSets(year)
    const own = overrides.get(key) ?? emptySets
    const cum = new Int32Array(end - start + 2)
    for (let day = start; day <= end; day++) {
      const i = day - start
      const working = own.holidays.has(day)
        ? false
        : own.workdays.has(day) || base.workdays.has(day) || (isMonToFri(day) && !base.holidays.has(day))
      cum[i + 1] = (cum[i] ?? 0) + (working ? 1 : 0)
    }
    return { year, source: sourceOf(year), start, end, cum }
  }

  const tableAt = (communityId: CommunityKey, day: number): YearTable => {
    const key = overrides.has(communityId) ? communityId : ""
    let byYear = tables.get(key)
    if (byYear === undefined) {
      byYear = new Map()
      tables.set(key, byYear)
    }
    const year = yearOf(day)
    let t = byYear.get(year)
    if (t === undefined) {
      t = buildYear(key, year)
      byYear.set(year, t)
    }
    return t
  }

  /** Last year of the official run that starts at the bundled data. */
  const lastOfficial = (): number => {
    let y = data.lastYear
    while (loaded.has(y + 1)) y++
    return y
  }
  const outOfRangeAt = (day: number): CalendarOutOfRange =>
    new CalendarOutOfRange({
      date: day >= minDay && day <= maxDay ? formatDay(day) : String(day),
      firstYear: data.firstYear,
      lastYear: lastOfficial()
    })
  const refused = (t: YearTable): boolean => mode === "fail" && t.source === "provisional"
  const workingAt = (t: YearTable, day: number): boolean => cumAt(t, day - t.start + 1) > cumAt(t, day - t.start)

  const dayOf = (date: LocalDate): number => parseDay(date) ?? NaN

  const isWorkdaySourced = (communityId: CommunityKey, date: LocalDate) =>
    Effect.suspend((): Effect.Effect<Sourced<boolean>, CalendarOutOfRange> => {
      const day = dayOf(date)
      const t = tableAt(communityId, day)
      if (refused(t)) return Effect.fail(outOfRangeAt(day))
      return Effect.succeed(sourced(workingAt(t, day), t.source === "provisional" ? new Set([t.year]) : new Set()))
    })

  const addWorkdaysSourced = (communityId: CommunityKey, date: LocalDate, n: number) =>
    Effect.suspend((): Effect.Effect<Sourced<LocalDate>, CalendarOutOfRange> => {
      if (!Number.isSafeInteger(n)) {
        return Effect.die(new RangeError(`WorkdayCalendar.addWorkdays: n must be an integer, got ${n}`))
      }
      const years = new Set<number>()
      let d = dayOf(date)
      let t = tableAt(communityId, d)
      // Visits day d: undefined when refused, else whether it is a working day.
      const visit = (): boolean | undefined => {
        if (d < t.start || d > t.end) t = tableAt(communityId, d)
        if (refused(t)) return undefined
        if (t.source === "provisional") years.add(t.year)
        return workingAt(t, d)
      }
      let left = Math.abs(n)
      if (n === 0) {
        const first = visit()
        if (first === undefined) return Effect.fail(outOfRangeAt(d))
        left = first ? 0 : 1
      }
      const step = n < 0 ? -1 : 1
      while (left > 0) {
        d += step
        if (d < minDay || d > maxDay) return Effect.fail(outOfRangeAt(d))
        const w = visit()
        if (w === undefined) return Effect.fail(outOfRangeAt(d))
        if (w) left--
      }
      return Effect.succeed(sourced(formatDay(d), years))
    })

  /** Workdays in (a, b], a <= b, or the first refused day. */
  const count = (communityId: CommunityKey, a: number, b: number, years: Set<number>): number | { readonly refusedAt: number } => {
    let total = 0
    let lo = a + 1
    while (lo <= b) {
      const t = tableAt(communityId, lo)
      if (refused(t)) return { refusedAt: lo }
      const hi = Math.min(b, t.end)
      if (t.source === "provisional") years.add(t.year)
      total += cumAt(t, hi - t.start + 1) - cumAt(t, lo - t.start)
      lo = hi + 1
    }
    return total
  }

  const workdaysBetweenSourced = (communityId: CommunityKey, from: LocalDate, to: LocalDate) =>
    Effect.suspend((): Effect.Effect<Sourced<number>, CalendarOutOfRange> => {
      const a = dayOf(from)
      const b = dayOf(to)
      if (mode === "fail") {
        for (const day of [a, b]) if (refused(tableAt(communityId, day))) return Effect.fail(outOfRangeAt(day))
      }
      const years = new Set<number>()
      const result = a <= b ? count(communityId, a, b, years) : count(communityId, b, a, years)
      if (typeof result !== "number") return Effect.fail(outOfRangeAt(result.refusedAt))
      return Effect.succeed(sourced(a <= b ? result : -result, years))
    })

  const loadOfficialYear = (file: unknown, stamp = 0) =>
    Effect.suspend((): Effect.Effect<OfficialYear, InvalidCalendarFile> => {
      const parsed = parseOfficialYear(file)
      if (Either.isLeft(parsed)) return Effect.fail(parsed.left)
      const year = parsed.right
      loaded.set(year.year, { year, sets: scheduleSets(year), stamp })
      tables.clear()
      return Effect.succeed(year)
    })

  for (const file of options.years ?? []) {
    const parsed = parseOfficialYear(file)
    if (Either.isLeft(parsed)) throw new RangeError(`ChinaCalendar: ${parsed.left.message}`)
    loaded.set(parsed.right.year, { year: parsed.right, sets: scheduleSets(parsed.right), stamp: 0 })
  }

  return WorkdayCalendar.of({
    timeZone,
    coverage: { firstYear: data.firstYear, lastYear: data.lastYear },
    beyondData: mode,
    isWorkday: (c, date) => Effect.map(isWorkdaySourced(c, date), (r) => r.value),
    addWorkdays: (c, date, n) => Effect.map(addWorkdaysSourced(c, date, n), (r) => r.value),
    workdaysBetween: (c, from, to) => Effect.map(workdaysBetweenSourced(c, from, to), (r) => r.value),
    isWorkdaySourced,
    addWorkdaysSourced,
    workdaysBetweenSourced,
    sourceOf,
    loadedYears: () =>
      [...loaded.values()]
        .map((l) => ({ year: l.year.year, source: l.year.source, stamp: l.stamp }))
        .sort((x, y) => x.year - y.year),
    loadOfficialYear,
    storeSynced: () => synced,
    markStoreSynced: () => {
      synced = true
    },
    today: () => Effect.map(Clock.currentTimeMillis, (millis) => toLocalDate(millis, timeZone))
  })
}

/**
 * The {@link WorkdayCalendar} on China's national calendar: the bundled
 * {@link chinaCalendarData}, official years loaded at run time, provisional
 * years computed from the holiday law beyond them, with optional
 * per-community overrides on top.
 *
 * @example
 * ```ts
 * const CalendarLive = ChinaCalendar.layer({
 *   overrides: { "sq-001": { holidays: ["2026-03-05"] } }
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const ChinaCalendar: {
  /**
   * A layer with the given options. A malformed date in `overrides` or `data`,
   * an invalid file in `years` or an unknown time zone is a defect when the
   * layer is built.
   *
   * @since 0.1.0
   */
  readonly layer: (options?: ChinaCalendarOptions) => Layer.Layer<WorkdayCalendar>
  /**
   * `layer()`: bundled data, `Asia/Shanghai`, no overrides, provisional years
   * beyond the data.
   *
   * @since 0.1.0
   */
  readonly layerDefault: Layer.Layer<WorkdayCalendar>
} = {
  layer: (options = {}) => Layer.sync(WorkdayCalendar, () => makeService(options)),
  layerDefault: Layer.sync(WorkdayCalendar, () => makeService({}))
}

export { chinaCalendarData } from "./calendar-data.js"
