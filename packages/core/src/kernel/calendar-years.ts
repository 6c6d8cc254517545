/**
 * The year-level sources of the working-day calendar besides the bundled
 * data: official schedules loaded at run time (a documented JSON file per
 * year, validated here) and provisional years computed from the holiday law
 * for years no published data covers. Also the {@link CalendarStore} port that
 * persists loaded years and remembers which stored deadlines rest on
 * provisional years, so that they can be re-derived when the official
 * schedule arrives. See docs/calendar.md.
 *
 * @since 0.2.0
 */
import { Context, type Effect, Either, ParseResult, Schema } from "effect"
import { lunarFestivalTable, lunarTableFirstYear } from "./calendar-lunar.js"
import { GongzhiTaggedError, type LocalizedText, type StoreUnavailable } from "./errors.js"

// ---------------------------------------------------------------------------
// Dates (plain integer arithmetic; duplicated from calendar.ts on purpose so
// that this module does not import the port's module)
// ---------------------------------------------------------------------------

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const monthLengths = (y: number): ReadonlyArray<number> => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const iso = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
/** The date `n` days after `y-m-d` (n >= -31), as ISO. */
const shift = (y: number, m: number, d: number, n: number): string => {
  let day = d + n
  let month = m
  let year = y
  while (day < 1) {
    month--
    if (month < 1) {
      month = 12
      year--
    }
    day += monthLengths(year)[month - 1] ?? 31
  }
  while (day > (monthLengths(year)[month - 1] ?? 31)) {
    day -= monthLengths(year)[month - 1] ?? 31
    month++
    if (month > 12) {
      month = 1
      year++
    }
  }
  return iso(year, month, day)
}
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/
const validIso = (s: string): boolean => {
  const m = isoPattern.exec(s)
  if (m === null) return false
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  return mo >= 1 && mo <= 12 && d >= 1 && d <= (monthLengths(y)[mo - 1] ?? 0)
}
/** 0 = Sunday. */
const weekday = (s: string): number => new Date(`${s}T00:00:00Z`).getUTCDay()

// ---------------------------------------------------------------------------
// One year's schedule
// ---------------------------------------------------------------------------

/**
 * One day of a year's schedule: a date and the occasion it belongs to.
 *
 * @since 0.2.0
 * @category calendar
 */
export interface ScheduleDay {
  readonly date: string
  readonly name: LocalizedText
}

/**
 * One year's working-day schedule, whatever its source: the days off that
 * are not ordinary weekends (weekend days of a holiday period may be listed
 * too) and the weekend days that are working days (make-up workdays, 调休上班).
 *
 * @since 0.2.0
 * @category calendar
 */
export interface YearSchedule {
  readonly year: number
  readonly holidays: ReadonlyArray<ScheduleDay>
  readonly workdays: ReadonlyArray<ScheduleDay>
}

/**
 * The occasions of 《全国年节及纪念日放假办法》 (as revised in 2024, in force
 * from 2025), with their names.
 *
 * @since 0.2.0
 * @category calendar
 */
export const statutoryOccasions = {
  newYear: { "zh-CN": "元旦", en: "New Year's Day" },
  springFestival: { "zh-CN": "春节", en: "Spring Festival" },
  qingming: { "zh-CN": "清明", en: "Tomb-sweeping Day" },
  labourDay: { "zh-CN": "劳动节", en: "Labour Day" },
  dragonBoat: { "zh-CN": "端午", en: "Dragon Boat Festival" },
  midAutumn: { "zh-CN": "中秋", en: "Mid-autumn Festival" },
  nationalDay: { "zh-CN": "国庆节", en: "National Day" }
} as const satisfies Record<string, LocalizedText>

/**
 * The lunar festival dates of `year` from the generated table (tyme4ts):
 * 春节 (正月初一), 清明, 端午 (五月初五), 中秋 (八月十五), or `undefined` outside
 * the table's years (1900-2199).
 *
 * @example
 * ```ts
 * lunarFestivals(2027) // { springFestival: "2027-02-06", qingming: "2027-04-05", dragonBoat: "2027-06-09", midAutumn: "2027-09-15" }
 * ```
 *
 * @since 0.2.0
 * @category calendar
 */
export const lunarFestivals = (year: number): {
  readonly springFestival: string
  readonly qingming: string
  readonly dragonBoat: string
  readonly midAutumn: string
} | undefined => {
  const v = Number.isInteger(year) ? lunarFestivalTable[year - lunarTableFirstYear] : undefined
  if (v === undefined) return undefined
  return {
    springFestival: shift(year, 1, 20, v & 63),
    qingming: iso(year, 4, ((v >> 6) & 3) + 3),
    dragonBoat: shift(year, 5, 20, (v >> 8) & 63),
    midAutumn: shift(year, 9, 1, (v >> 14) & 63)
  }
}

/**
 * The provisional schedule of `year`: the statutory days off of
 * 《全国年节及纪念日放假办法》 (2024 revision) and nothing else. New Year's Day
 * (1 Jan), Spring Festival (除夕 and 正月初一 to 初三, 4 days), Qingming (the
 * 清明 solar term), Labour Day (1-2 May), Dragon Boat (五月初五), Mid-autumn
 * (八月十五), National Day (1-3 Oct). No make-up workdays: the State Council
 * decides those (and the bridge days they pay for) in its yearly notice, which
 * cannot be computed. Outside the lunar table's years (1900-2199) only the
 * solar-date holidays are known and the lunar ones are missing.
 *
 * @example
 * ```ts
 * provisionalYear(2027).holidays.map((d) => d.date)
 * // ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-04-05", "2027-05-01", ...]
 * ```
 *
 * @since 0.2.0
 * @category calendar
 */
export const provisionalYear = (year: number): YearSchedule => {
  const o = statutoryOccasions
  const days: Array<ScheduleDay> = [{ date: iso(year, 1, 1), name: o.newYear }]
  const lunar = lunarFestivals(year)
  if (lunar !== undefined) {
    const [y, m, d] = lunar.springFestival.split("-").map(Number) as [number, number, number]
    for (let k = -1; k <= 2; k++) days.push({ date: shift(y, m, d, k), name: o.springFestival })
    days.push({ date: lunar.qingming, name: o.qingming })
  }
  days.push({ date: iso(year, 5, 1), name: o.labourDay }, { date: iso(year, 5, 2), name: o.labourDay })
  if (lunar !== undefined) {
    days.push({ date: lunar.dragonBoat, name: o.dragonBoat }, { date: lunar.midAutumn, name: o.midAutumn })
  }
  for (let d = 1; d <= 3; d++) days.push({ date: iso(year, 10, d), name: o.nationalDay })
  // 中秋 may fall on 1-3 October: one day, first name kept.
  const seen = new Set<string>()
  const holidays = days
    .filter((d) => (seen.has(d.date) ? false : (seen.add(d.date), true)))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  return { year, holidays, workdays: [] }
}

// ---------------------------------------------------------------------------
// The official schedule file
// ---------------------------------------------------------------------------

const DayName = Schema.Struct({
  "zh-CN": Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  en: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)))
})

const FileDay = Schema.Struct({
  date: Schema.String,
  name: DayName
})

/**
 * The JSON format of one year's official schedule, as an operator loads it
 * when the State Council's notice (国务院办公厅关于部分节假日安排的通知) comes
 * out. `holidays`: every day off of the holiday periods (weekend days inside a
 * period may be listed or left out); `workdays`: the weekend days that are
 * working days (调休上班). Each with the occasion's name.
 *
 * @example
 * ```json
 * {
 *   "format": "gongzhi.calendar-year/1",
 *   "year": 2027,
 *   "source": "国务院办公厅关于2027年部分节假日安排的通知",
 *   "holidays": [{ "date": "2027-01-01", "name": { "zh-CN": "元旦", "en": "New Year's Day" } }],
 *   "workdays": [{ "date": "2027-02-20", "name": { "zh-CN": "春节", "en": "Spring Festival" } }]
 * }
 * ```
 *
 * @since 0.2.0
 * @category calendar
 */
export const OfficialYearFile = Schema.Struct({
  format: Schema.optional(Schema.Literal("gongzhi.calendar-year/1")),
  year: Schema.Int.pipe(Schema.between(1900, 9999)),
  /** The notice the schedule transcribes (title, number or address). */
  source: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)),
  holidays: Schema.Array(FileDay).pipe(Schema.minItems(1), Schema.maxItems(366)),
  workdays: Schema.Array(FileDay).pipe(Schema.maxItems(366))
})
/**
 * @since 0.2.0
 * @category calendar
 */
export type OfficialYearFile = typeof OfficialYearFile.Type

/**
 * A validated official schedule of one year (see {@link parseOfficialYear}).
 *
 * @since 0.2.0
 * @category calendar
 */
export interface OfficialYear extends YearSchedule {
  readonly source: string
}

/**
 * Why a schedule file was refused.
 *
 * @since 0.2.0
 * @category calendar
 */
export const InvalidCalendarFileReason = Schema.Literal(
  "format",
  "not-a-date",
  "outside-year",
  "duplicate",
  "both-off-and-on",
  "workday-not-weekend"
)

const reasonText: Record<typeof InvalidCalendarFileReason.Type, LocalizedText> = {
  format: { "zh-CN": "格式不符", en: "does not match the format" },
  "not-a-date": { "zh-CN": "不是有效日期（YYYY-MM-DD）", en: "is not a valid date (YYYY-MM-DD)" },
  "outside-year": { "zh-CN": "不在该年度内", en: "lies outside the file's year" },
  duplicate: { "zh-CN": "重复列出", en: "is listed twice" },
  "both-off-and-on": { "zh-CN": "同时被列为放假日和调休上班日", en: "is listed both as a day off and as a working day" },
  "workday-not-weekend": { "zh-CN": "调休上班日必须是周六或周日", en: "is a make-up workday but not a Saturday or Sunday" }
}

/**
 * A schedule file that cannot be loaded: which field, which date (when one is
 * at fault) and why. Nothing was changed.
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidCalendarFile extends GongzhiTaggedError<InvalidCalendarFile>()("InvalidCalendarFile", {
  field: Schema.String,
  date: Schema.optional(Schema.String),
  reason: InvalidCalendarFileReason,
  detail: Schema.optional(Schema.String)
}, {
  code: "CALENDAR_INVALID_FILE",
  kind: "invalid-input",
  text: (e) => ({
    "zh-CN": `节假日安排文件无效：${e.field}${e.date === undefined ? "" : `（${e.date}）`}${reasonText[e.reason]["zh-CN"]}${e.detail === undefined ? "" : `：${e.detail}`}`,
    en: `Invalid calendar file: ${e.field}${e.date === undefined ? "" : ` (${e.date})`} ${reasonText[e.reason].en}${e.detail === undefined ? "" : `: ${e.detail}`}`
  })
}) {}

/**
 * Validates one year's schedule file (already parsed from JSON): the shape
 * ({@link OfficialYearFile}), every date a real `YYYY-MM-DD` inside `year`,
 * no date listed twice, none both off and on, make-up workdays on weekends.
 *
 * @since 0.2.0
 * @category calendar
 */
export const parseOfficialYear = (input: unknown): Either.Either<OfficialYear, InvalidCalendarFile> => {
  const decoded = Schema.decodeUnknownEither(OfficialYearFile, { errors: "first" })(input)
  if (Either.isLeft(decoded)) {
    const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
    return Either.left(
      new InvalidCalendarFile({
        field: issue === undefined || issue.path.length === 0 ? "(root)" : issue.path.map(String).join("."),
        reason: "format",
        // Never echo the value itself.
        ...(issue === undefined ? {} : { detail: issue.message.replace(/, actual [\s\S]*$/, "").slice(0, 200) })
      })
    )
  }
  const file = decoded.right
  const seen = new Map<string, "holidays" | "workdays">()
  for (const list of ["holidays", "workdays"] as const) {
    for (let i = 0; i < file[list].length; i++) {
      const { date } = file[list][i]!
      const field = `${list}.${i}.date`
      if (!validIso(date)) return Either.left(new InvalidCalendarFile({ field, reason: "not-a-date" }))
      if (Number(date.slice(0, 4)) !== file.year) {
        return Either.left(new InvalidCalendarFile({ field, date, reason: "outside-year", detail: `year ${file.year}` }))
      }
      const before = seen.get(date)
      if (before !== undefined) {
        return Either.left(new InvalidCalendarFile({ field, date, reason: before === list ? "duplicate" : "both-off-and-on" }))
      }
      seen.set(date, list)
      if (list === "workdays" && weekday(date) !== 0 && weekday(date) !== 6) {
        return Either.left(new InvalidCalendarFile({ field, date, reason: "workday-not-weekend" }))
      }
    }
  }
  const day = (d: (typeof file.holidays)[number]): ScheduleDay => ({
    date: d.date,
    name: { "zh-CN": d.name["zh-CN"], en: d.name.en ?? d.name["zh-CN"] }
  })
  const byDate = (a: ScheduleDay, b: ScheduleDay) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)
  return Either.right({
    year: file.year,
    source: file.source,
    holidays: file.holidays.map(day).sort(byDate),
    workdays: file.workdays.map(day).sort(byDate)
  })
}

/**
 * The file form of a validated schedule (what {@link CalendarStore} keeps and
 * `gongzhi-pg calendar import` reads).
 *
 * @since 0.2.0
 * @category calendar
 */
export const officialYearToFile = (y: OfficialYear): OfficialYearFile => ({
  format: "gongzhi.calendar-year/1",
  year: y.year,
  source: y.source,
  holidays: y.holidays.map((d) => ({ date: d.date, name: d.name })),
  workdays: y.workdays.map((d) => ({ date: d.date, name: d.name }))
})

// ---------------------------------------------------------------------------
// Persistence port
// ---------------------------------------------------------------------------

/**
 * A loaded official year as stored: the file, when and by whom.
 *
 * @since 0.2.0
 * @category calendar
 */
export interface StoredCalendarYear {
  readonly year: number
  readonly file: OfficialYearFile
  readonly loadedAt: number
  readonly loadedBy: string
}

/**
 * A stored record (a module's deadline holder, e.g. an issue case) whose
 * dates rest on provisional years: re-derived when one of `years` is loaded.
 *
 * @since 0.2.0
 * @category calendar
 */
export interface ProvisionalMark {
  readonly communityId: string
  /** The module that owns the record, e.g. `"issues"`. */
  readonly owner: string
  /** The record's key within the owner and community, e.g. the case id. */
  readonly key: string
  /** The provisional years its dates rest on, ascending; empty removes the mark. */
  readonly years: ReadonlyArray<number>
}

/**
 * Where loaded official years and provisional marks persist.
 *
 * Contract (checked by the conformance suite):
 * - `putYear` inserts or replaces the year's record; `listYears` returns all,
 *   ordered by year. Both take part in the caller's transaction.
 * - `markProvisional(mark)` replaces the marks of `(communityId, owner, key)`
 *   with `mark.years` (none when empty); `listProvisional(year)` returns the
 *   marks naming `year`, each with all its years, ordered by
 *   `(communityId, owner, key)`, across communities: loading a national
 *   schedule concerns every community. Transactional.
 *
 * @since 0.2.0
 * @category ports
 */
export class CalendarStore extends Context.Tag("@gongzhi/core/CalendarStore")<
  CalendarStore,
  {
    readonly putYear: (record: StoredCalendarYear) => Effect.Effect<void, StoreUnavailable>
    readonly listYears: () => Effect.Effect<ReadonlyArray<StoredCalendarYear>, StoreUnavailable>
    readonly markProvisional: (mark: ProvisionalMark) => Effect.Effect<void, StoreUnavailable>
    readonly listProvisional: (year: number) => Effect.Effect<ReadonlyArray<ProvisionalMark>, StoreUnavailable>
  }
>() {}
