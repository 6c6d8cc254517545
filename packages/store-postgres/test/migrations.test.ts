import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { inject } from "vitest"
import { migrate, migrations } from "../src/index.js"
import { freshDatabaseLayer } from "./support/db.js"

const tables = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`.pipe(
    Effect.map((rows) => rows.map((r) => r.table_name as string))
  )
)

describe("migrations", () => {
  layer(freshDatabaseLayer(inject("databaseUrl")), { excludeTestServices: true })((it) => {
    it.effect("apply one on top of the other from an empty database, record versions, and re-run as a no-op", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        expect(yield* tables).toEqual([])
        // Each migration applies on top of the previous one.
        for (const m of migrations) {
          const report = yield* migrate({ upTo: m.version })
          expect(report.applied).toEqual([{ version: m.version, name: m.name }])
          expect(report.current).toBe(m.version)
        }
        const latest = migrations[migrations.length - 1]!.version
        const again = yield* migrate()
        expect(again).toEqual({ applied: [], current: latest })
        const recorded = yield* sql`SELECT version FROM gz_schema_migrations ORDER BY version`
        expect(recorded.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version))
        expect(yield* tables).toEqual(expect.arrayContaining(["gz_journal", "gz_journal_heads", "gz_ledger_accounts", "gz_ledger_postings", "gz_households"]))
      }))

    it.effect("every primary key and index starts with community_id (but the national calendar's years)", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* migrate()
        const rows = yield* sql`
          SELECT i.relname AS index_name, t.relname AS table_name, a.attname AS first_column
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
          WHERE n.nspname = 'public' AND t.relname LIKE 'gz\\_%' AND t.relname <> 'gz_schema_migrations'`
        expect(rows.length).toBeGreaterThan(10)
        const offenders = rows
          .filter((r) => r.first_column !== "community_id" && r.table_name !== "gz_calendar_years")
          .map((r) => r.index_name)
        expect(offenders).toEqual([])
      }))

    it.effect("concurrent migrators apply each migration once", () =>
      Effect.gen(function* () {
        const results = yield* Effect.all([migrate(), migrate(), migrate()], { concurrency: "unbounded" })
        const applied = results.flatMap((r) => r.applied)
        // Earlier cases already migrated this database: nothing is applied twice.
        expect(applied.length).toBeLessThanOrEqual(migrations.length)
        expect(new Set(applied.map((a) => a.version)).size).toBe(applied.length)
      }))
  })
})
