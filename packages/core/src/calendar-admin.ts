/**
 * Loading official calendar schedules into a running deployment: validate
 * the file, persist it in the `CalendarStore`, load it into the running
 * `WorkdayCalendar`, and re-derive every stored date that was computed on
 * the provisional year. Lives outside the kernel because it composes the
 * modules' re-derivers (`moduleRederivers`). See docs/calendar.md.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Either } from "effect"
import { type Actor, actorRef, authorize, type PermissionTable, Roles } from "./kernel/actor.js"
import { WorkdayCalendar } from "./kernel/calendar.js"
import { ensureCalendarSynced, installStoredYears, type RederiveReport, rederiveYear } from "./kernel/calendar-sync.js"
import { CalendarStore, officialYearToFile, parseOfficialYear } from "./kernel/calendar-years.js"
import { transactionally } from "./kernel/transaction.js"
import { moduleRederivers } from "./modules.js"

/**
 * Who may load official schedules: staff with the `operator` role and the
 * system actor (e.g. `gongzhi-pg calendar import`). A schedule is national:
 * it changes every community's calendar.
 *
 * @since 0.2.0
 * @category permissions
 */
export const calendarPermissions: PermissionTable<"calendar.importYear" | "calendar.refresh"> = {
  "calendar.importYear": { roles: [Roles.operator], system: true },
  "calendar.refresh": { roles: [Roles.operator, Roles.admin], system: true }
}

/**
 * What `Calendar.importYear` did.
 *
 * @since 0.2.0
 * @category calendar
 */
export interface ImportYearResult {
  readonly year: number
  readonly source: string
  /** The year's source before: bundled, loaded (replaced) or provisional. */
  readonly before: "bundled" | "loaded" | "provisional"
  readonly holidays: number
  readonly workdays: number
  readonly rederived: RederiveReport
}

const importYear = Effect.fn("calendar.importYear")(function* (actor: Actor, file: unknown) {
  yield* authorize(calendarPermissions, "calendar.importYear", actor, actor.communityId)
  const parsed = parseOfficialYear(file)
  if (Either.isLeft(parsed)) return yield* Effect.fail(parsed.left)
  const year = parsed.right
  const calendar = yield* WorkdayCalendar
  const store = yield* CalendarStore
  yield* ensureCalendarSynced
  const before = calendar.sourceOf(year.year)
  const now = yield* Clock.currentTimeMillis
  const stored = officialYearToFile(year)
  yield* transactionally(store.putYear({ year: year.year, file: stored, loadedAt: now, loadedBy: actorRef(actor) }))
  // Valid by construction: parsed above.
  yield* Effect.orDie(calendar.loadOfficialYear(stored, now))
  const rederived = yield* rederiveYear(year.year, moduleRederivers)
  const result: ImportYearResult = {
    year: year.year,
    source: year.source,
    before,
    holidays: year.holidays.length,
    workdays: year.workdays.length,
    rederived
  }
  return result
})

/**
 * The failures of `Calendar.importYear`: `InvalidCalendarFile`, `Forbidden`,
 * `StoreUnavailable`, and what a module's re-derivation may fail with.
 *
 * @since 0.2.0
 * @category calendar
 */
export type ImportYearError = Effect.Effect.Error<ReturnType<typeof importYear>>

/**
 * What `Calendar.importYear` needs: the storage ports, the calendar and
 * what the modules' re-derivations read.
 *
 * @since 0.2.0
 * @category calendar
 */
export type ImportYearRequirements = Effect.Effect.Context<ReturnType<typeof importYear>>

const refresh = Effect.fn("calendar.refresh")(function* (actor: Actor) {
  yield* authorize(calendarPermissions, "calendar.refresh", actor, actor.communityId)
  const store = yield* CalendarStore
  const calendar = yield* WorkdayCalendar
  const installed = yield* installStoredYears(yield* store.listYears())
  calendar.markStoreSynced()
  const reports: Array<RederiveReport> = []
  for (const year of installed) reports.push(yield* rederiveYear(year, moduleRederivers))
  return reports as ReadonlyArray<RederiveReport>
})

/**
 * Official calendar schedules at run time.
 *
 * @example
 * ```ts
 * import { Calendar, StaffActor } from "@gongzhi/core"
 * const file = JSON.parse(await readFile("calendar-2027.json", "utf8"))
 * const result = yield* Calendar.importYear(operator, file)
 * // { year: 2027, before: "provisional", rederived: { checked: 12, changed: 3, ... } }
 * ```
 *
 * @since 0.2.0
 * @category calendar
 */
export const Calendar = {
  /**
   * Validates one year's schedule file (`OfficialYearFile`), stores it
   * (replacing an earlier load of that year), loads it into the running
   * calendar and re-derives, in every community, the stored dates computed on
   * that year while it was provisional. Fails with `InvalidCalendarFile`
   * (nothing changed) or `Forbidden` (not an operator or the system).
   */
  importYear,
  /**
   * Loads into the running calendar the stored years it lacks or has in an
   * older version (another process imported them) and re-derives the dates
   * marked on those years. Run it periodically, or when notified, in
   * deployments with several processes; a single process needs nothing.
   */
  refresh,
  /** Re-derives the dates marked on `year` again (e.g. after an interrupted import). */
  rederive: (year: number) => rederiveYear(year, moduleRederivers)
} as const
