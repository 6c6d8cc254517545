/**
 * The calendar store in memory: loaded official years and the marks of
 * records whose deadlines rest on provisional years.
 *
 * @since 0.2.0
 */
import { CalendarStore, type ProvisionalMark, type StoredCalendarYear } from "@gongzhi/core"
import { Context, Effect } from "effect"
import type { MemoryDatabase } from "./database.js"
import type { MemoryRunner } from "./modules.js"

const k = (...parts: ReadonlyArray<string | number>) => parts.join("\u0000")
const yearKey = (y: number) => String(y).padStart(4, "0")

/**
 * Builds the memory `CalendarStore` over the adapter's database.
 *
 * @since 0.2.0
 * @category internals
 */
export const makeCalendarStore = (db: MemoryDatabase, run: MemoryRunner): Context.Context<CalendarStore> => {
  const read = <A>(f: () => A) => run(Effect.sync(f))
  return Context.make(
    CalendarStore,
    CalendarStore.of({
      putYear: (record) => run(Effect.sync(() => db.set("calendar_years", yearKey(record.year), record))),
      listYears: () =>
        read(() => db.values<StoredCalendarYear>("calendar_years").sort((a, b) => a.year - b.year)),
      markProvisional: (mark) =>
        run(
          Effect.sync(() => {
            const key = k(mark.communityId, mark.owner, mark.key)
            const before = db.get<ProvisionalMark>("calendar_marks", key)
            for (const y of before?.years ?? []) db.delete("calendar_marks_by_year", k(yearKey(y), key))
            if (mark.years.length === 0) {
              db.delete("calendar_marks", key)
              return
            }
            const years = [...new Set(mark.years)].sort((a, b) => a - b)
            const stored: ProvisionalMark = { communityId: mark.communityId, owner: mark.owner, key: mark.key, years }
            db.set("calendar_marks", key, stored)
            for (const y of years) db.set("calendar_marks_by_year", k(yearKey(y), key), key)
          })
        ),
      listProvisional: (year) =>
        read(() =>
          db
            .values<string>("calendar_marks_by_year", k(yearKey(year), ""))
            .map((key) => db.get<ProvisionalMark>("calendar_marks", key)!)
            .sort((a, b) => {
              const x = k(a.communityId, a.owner, a.key)
              const y = k(b.communityId, b.owner, b.key)
              return x < y ? -1 : x > y ? 1 : 0
            })
        )
    })
  )
}
