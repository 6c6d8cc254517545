/**
 * Keeping the running calendar in step with the {@link CalendarStore}, and
 * the re-derivation of stored dates that rest on a provisional year once its
 * official schedule is loaded. Modules take part through a
 * {@link ProvisionalRederiver} registered under their owner name (the
 * composition of modules lives outside the kernel: `Calendar` in
 * `src/calendar-admin.ts`).
 *
 * @since 0.2.0
 */
import { Clock, Effect } from "effect"
import { WorkdayCalendar } from "./calendar.js"
import { CalendarStore, type ProvisionalMark, type StoredCalendarYear } from "./calendar-years.js"

/**
 * Installs into the running calendar every stored year it does not have in
 * that version (by `loadedAt`); returns the years installed. A stored file
 * that no longer validates is a defect (files are validated when imported).
 *
 * @since 0.2.0
 * @category calendar
 */
export const installStoredYears = (records: ReadonlyArray<StoredCalendarYear>) =>
  Effect.gen(function* () {
    const calendar = yield* WorkdayCalendar
    const have = new Map(calendar.loadedYears().map((y) => [y.year, y.stamp]))
    const installed: Array<number> = []
    for (const r of records) {
      if (have.get(r.year) === r.loadedAt) continue
      yield* Effect.orDie(calendar.loadOfficialYear(r.file, r.loadedAt))
      installed.push(r.year)
    }
    return installed as ReadonlyArray<number>
  })

/**
 * Reads the stored official years into the running calendar once per
 * calendar instance (the first command that counts working days after a
 * start or restart). Modules call it before computing dates.
 *
 * @since 0.2.0
 * @category calendar
 */
export const ensureCalendarSynced: Effect.Effect<void, import("./errors.js").StoreUnavailable, WorkdayCalendar | CalendarStore> =
  Effect.gen(function* () {
    const calendar = yield* WorkdayCalendar
    if (calendar.storeSynced()) return
    const store = yield* CalendarStore
    yield* installStoredYears(yield* store.listYears())
    calendar.markStoreSynced()
  })

/**
 * A module's re-derivation of one marked record after `year` was loaded:
 * recompute its provisional dates from their basis on the running calendar,
 * record what changed (events, timeline), update or clear its mark. Runs its
 * own transaction.
 *
 * @since 0.2.0
 * @category calendar
 */
export type ProvisionalRederiver<E, R> = (
  mark: ProvisionalMark,
  loaded: { readonly year: number; readonly now: number }
) => Effect.Effect<{ readonly changed: number }, E, R>

/**
 * What a re-derivation did: records checked, dates changed, marks whose
 * owner no registered module claims (left in place).
 *
 * @since 0.2.0
 * @category calendar
 */
export interface RederiveReport {
  readonly year: number
  readonly checked: number
  readonly changed: number
  readonly unclaimed: number
}

/**
 * Re-derives every record marked as resting on provisional `year`, in every
 * community, with the module re-derivers by owner name.
 *
 * @since 0.2.0
 * @category calendar
 */
export const rederiveYear = <E, R>(year: number, rederivers: Readonly<Record<string, ProvisionalRederiver<E, R>>>) =>
  Effect.gen(function* () {
    const store = yield* CalendarStore
    const now = yield* Clock.currentTimeMillis
    const marks = yield* store.listProvisional(year)
    let checked = 0
    let changed = 0
    let unclaimed = 0
    for (const mark of marks) {
      const rederive = rederivers[mark.owner]
      if (rederive === undefined) {
        unclaimed++
        continue
      }
      const r = yield* rederive(mark, { year, now })
      checked++
      changed += r.changed
    }
    const report: RederiveReport = { year, checked, changed, unclaimed }
    return report
  })
