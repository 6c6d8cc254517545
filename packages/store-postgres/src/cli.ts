#!/usr/bin/env node
/**
 * `gongzhi-pg`: the PostgreSQL adapter's command line.
 *
 *   gongzhi-pg migrate [--to VERSION]   apply pending migrations
 *   gongzhi-pg status                   show applied and pending migrations
 *   gongzhi-pg calendar import FILE     load one year's official holiday schedule
 *                                       (JSON, see docs/calendar.md) and re-derive
 *                                       the deadlines computed on it provisionally
 *   gongzhi-pg grant ROLE               (as the owner) grant ROLE the library's least privileges
 *   gongzhi-pg check [--role ROLE]      check guards and ROLE's privileges (default: the connected user);
 *                                       prints what is missing, exits 1 if anything is
 *
 * Connection settings come from `DATABASE_URL` (or `PGHOST`, `PGPORT`,
 * `PGDATABASE`, `PGUSER`, `PGPASSWORD`).
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { importCalendarFile } from "./calendar-import.js"
import { checkDatabase, grantAppRole } from "./check.js"
import { clientLayer, config } from "./layer.js"
import { migrate } from "./migrate.js"
import { migrations } from "./migrations/index.js"

const usage = "usage: gongzhi-pg migrate [--to VERSION] | status | calendar import FILE | grant ROLE | check [--role ROLE]"

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
      case "grant": {
        const role = rest[0]
        if (role === undefined || role.startsWith("-")) return yield* Effect.fail(usage)
        yield* provide(grantAppRole(role))
        console.log(`granted ${role} the application privileges`)
        return
      }
      case "check": {
        const roleIndex = rest.indexOf("--role")
        const role = roleIndex >= 0 ? rest[roleIndex + 1] : undefined
        if (roleIndex >= 0 && role === undefined) return yield* Effect.fail(usage)
        const report = yield* provide(checkDatabase(role === undefined ? {} : { role }))
        console.log(`schema version ${report.version.applied} (adapter ${report.version.expected}), role ${report.role}`)
        for (const p of report.problems) console.log(`MISSING ${p}`)
        if (!report.ok) return yield* Effect.fail(`${report.problems.length} problem(s) found`)
        console.log("ok: guards in place, least privileges")
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
