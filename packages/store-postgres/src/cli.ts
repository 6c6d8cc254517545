#!/usr/bin/env node
/**
 * `gongzhi-pg`: the PostgreSQL adapter's command line.
 *
 *   gongzhi-pg migrate [--to VERSION]   apply pending migrations
 *   gongzhi-pg status                   show applied and pending migrations
 *   gongzhi-pg calendar import FILE     load one year's official holiday schedule
 *                                       (JSON, see docs/calendar.md) and re-derive
 *                                       the deadlines computed on it provisionally
 *
 * Connection settings come from `DATABASE_URL` (or `PGHOST`, `PGPORT`,
 * `PGDATABASE`, `PGUSER`, `PGPASSWORD`).
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { importCalendarFile } from "./calendar-import.js"
import { clientLayer, config } from "./layer.js"
import { migrate } from "./migrate.js"
import { migrations } from "./migrations/index.js"

const usage = "usage: gongzhi-pg migrate [--to VERSION] | gongzhi-pg status | gongzhi-pg calendar import FILE"

const main = (argv: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const [command, ...rest] = argv
    const settings = yield* config
    const provide = Effect.provide(clientLayer({ ...settings, migrate: false }))
    switch (command) {
      case "migrate": {
        const toIndex = rest.indexOf("--to")
        const upTo = toIndex >= 0 ? Number(rest[toIndex + 1]) : undefined
        if (upTo !== undefined && !Number.isInteger(upTo)) return yield* Effect.fail(usage)
        const report = yield* provide(migrate(upTo === undefined ? {} : { upTo }))
        for (const m of report.applied) console.log(`applied ${String(m.version).padStart(4, "0")} ${m.name}`)
        console.log(report.applied.length === 0 ? `up to date at version ${report.current}` : `now at version ${report.current}`)
        return
      }
      case "status": {
        const applied = yield* provide(
          Effect.flatMap(SqlClient.SqlClient, (sql) =>
            sql`SELECT version FROM gz_schema_migrations ORDER BY version`.pipe(
              Effect.map((rows) => new Set(rows.map((r) => Number(r.version)))),
              Effect.orElseSucceed(() => new Set<number>())
            )
          )
        )
        for (const m of migrations) console.log(`${applied.has(m.version) ? "applied" : "pending"} ${String(m.version).padStart(4, "0")} ${m.name}`)
        return
      }
      case "calendar": {
        const [sub, file] = rest
        if (sub !== "import" || file === undefined) return yield* Effect.fail(usage)
        const result = yield* provide(
          importCalendarFile(file).pipe(
            Effect.catchTag("InvalidCalendarFile", (e) => Effect.fail(`${e.text["zh-CN"]}\n${e.text.en}`))
          )
        )
        console.log(
          `loaded ${result.year} (${result.holidays} days off, ${result.workdays} make-up workdays; was ${result.before}) from "${result.source}"`
        )
        console.log(
          `re-derived: ${result.rederived.checked} records checked, ${result.rederived.changed} dates changed` +
            (result.rederived.unclaimed > 0 ? `, ${result.rederived.unclaimed} marks of unknown modules left` : "")
        )
        return
      }
      default:
        return yield* Effect.fail(usage)
    }
  })

Effect.runPromise(main(process.argv.slice(2))).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(String(error instanceof Error ? error.message : error))
    process.exit(1)
  }
)
