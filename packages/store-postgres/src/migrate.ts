/**
 * Runs the schema's migrations.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { type StoreUnavailable } from "@gongzhi/core"
import { Effect } from "effect"
import { type Migration, migrations as all } from "./migrations/index.js"
import { mapSqlError } from "./sql.js"

/**
 * What {@link migrate} did.
 *
 * @since 0.1.0
 * @category migrations
 */
export interface MigrateReport {
  readonly applied: ReadonlyArray<{ readonly version: number; readonly name: string }>
  readonly current: number
}

/**
 * Applies every pending migration, each in its own transaction, under a
 * session advisory lock so concurrent migrators (several app instances
 * starting at once) wait for each other. Re-running is a no-op.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate = (
  options: { readonly upTo?: number; readonly migrations?: ReadonlyArray<Migration> } = {}
): Effect.Effect<MigrateReport, StoreUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const list = (options.migrations ?? all).filter((m) => options.upTo === undefined || m.version <= options.upTo)
    // Every step takes the same transaction-scoped advisory lock, so concurrent
    // migrators (several app instances starting at once) apply each migration once.
    const lock = sql`SELECT pg_advisory_xact_lock(hashtextextended('gz_schema_migrations', 0))`
    return yield* Effect.gen(function* () {
      yield* sql.withTransaction(
        Effect.zipRight(
          lock,
          sql`
            CREATE TABLE IF NOT EXISTS gz_schema_migrations (
              version    integer PRIMARY KEY,
              name       text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now()
            )`
        )
      )
      const applied: Array<{ version: number; name: string }> = []
      for (const m of list) {
        // Each migration in its own transaction, recorded with its version.
        const ran = yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* lock
            const [done] = yield* sql`SELECT 1 AS done FROM gz_schema_migrations WHERE version = ${m.version}`
            if (done !== undefined) return false
            yield* sql.unsafe(m.up)
            yield* sql`INSERT INTO gz_schema_migrations (version, name) VALUES (${m.version}, ${m.name})`
            return true
          })
        )
        if (ran) applied.push({ version: m.version, name: m.name })
      }
      // Tables added by any migration get their TRUNCATE guard (migration 0011's function).
      const [guards] = yield* sql`SELECT to_regprocedure('gz_install_truncate_guards()') IS NOT NULL AS present`
      if (guards?.present === true) yield* sql`SELECT gz_install_truncate_guards()`
      const [row] = yield* sql`SELECT coalesce(max(version), 0) AS v FROM gz_schema_migrations`
      return { applied, current: Number(row?.v ?? 0) }
    }).pipe(mapSqlError("migrate"))
  })
