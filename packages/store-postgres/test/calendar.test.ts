import { execFile } from "node:child_process"
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, layer } from "@effect/vitest"
import { CalendarStore, ensureCalendarSynced, Gongzhi, LocalDate, WorkdayCalendar } from "@gongzhi/core"
import { handWritten2027Schedule } from "@gongzhi/testkit"
import { Effect, Layer } from "effect"
import { inject } from "vitest"
import { importCalendarFile } from "../src/index.js"
import { freshDatabase } from "./support/db.js"
import { migrate, PgStore } from "../src/index.js"

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL("..", import.meta.url))

/** A migrated fresh database, its URL, and the PG ports + core services on it. */
const setup = Effect.gen(function* () {
  const db = yield* Effect.acquireRelease(
    Effect.promise(() => freshDatabase(inject("databaseUrl"), { prefix: "gz_calendar" })),
    (d) => Effect.promise(() => d.drop())
  )
  yield* Effect.scoped(Effect.provide(migrate(), PgStore.clientLayer({ url: db.url })))
  return db
})

const writeJson = (value: unknown) =>
  Effect.promise(async () => {
    const dir = await mkdtemp(join(tmpdir(), "gz-calendar-"))
    const file = join(dir, "schedule.json")
    await writeFile(file, typeof value === "string" ? value : JSON.stringify(value, null, 2))
    return file
  })

describe("gongzhi-pg calendar import", () => {
  layer(Layer.empty, { excludeTestServices: true, timeout: "180 seconds" })((it) => {
    it.scoped("refuses a bad file with nothing stored; the CLI loads a good one; a restarted calendar reads it", () =>
      Effect.gen(function* () {
        const db = yield* setup
        const client = PgStore.clientLayer({ url: db.url, maxConnections: 2 })
        const onDb = <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.provide(e, client)
        const ports = Layer.merge(Gongzhi.layer(), PgStore.layerFromClient()).pipe(Layer.provide(client))
        const storedYears = Effect.provide(Effect.flatMap(CalendarStore, (s) => s.listYears()), ports)

        const both = yield* writeJson({
          ...handWritten2027Schedule,
          workdays: [...handWritten2027Schedule.workdays, { date: "2027-02-05", name: { "zh-CN": "春节" } }]
        })
        const e1 = yield* Effect.flip(onDb(importCalendarFile(both)))
        expect(e1).toMatchObject({ _tag: "InvalidCalendarFile", reason: "both-off-and-on", date: "2027-02-05", field: "workdays.4.date" })
        const outside = yield* writeJson({
          ...handWritten2027Schedule,
          holidays: [...handWritten2027Schedule.holidays, { date: "2028-01-01", name: { "zh-CN": "元旦" } }]
        })
        expect(yield* Effect.flip(onDb(importCalendarFile(outside)))).toMatchObject({ reason: "outside-year", date: "2028-01-01" })
        const notJson = yield* writeJson("{ year: 2027")
        expect(yield* Effect.flip(onDb(importCalendarFile(notJson)))).toMatchObject({ field: "(file)", reason: "format" })
        expect(yield* storedYears).toStrictEqual([])

        // The real command, as an operator runs it.
        const good = yield* writeJson(handWritten2027Schedule)
        const out = yield* Effect.promise(() =>
          run(process.execPath, ["--conditions=@gongzhi/source", "--import", "tsx", "src/cli.ts", "calendar", "import", good], {
            cwd: packageDir,
            env: { ...process.env, DATABASE_URL: db.url }
          })
        )
        expect(out.stdout).toContain("loaded 2027 (26 days off, 4 make-up workdays; was provisional)")
        const years = yield* storedYears
        expect(years.map((y) => [y.year, y.loadedBy])).toStrictEqual([[2027, "system:gongzhi-pg"]])

        // A process started afterwards (a new calendar) reads the year from the store.
        const answer = yield* Effect.provide(
          Effect.gen(function* () {
            yield* ensureCalendarSynced
            const calendar = yield* WorkdayCalendar
            return {
              source: calendar.sourceOf(2027),
              due: yield* calendar.addWorkdaysSourced("sq-1", LocalDate.make("2026-12-30"), 7)
            }
          }),
          ports
        )
        expect(answer).toStrictEqual({ source: "loaded", due: { value: "2027-01-09", basis: "official", provisionalYears: [] } })
      }))
  })
})
