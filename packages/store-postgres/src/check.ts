/**
 * Checks a live database's guards and the application role's privileges
 * (what `gongzhi-pg check` prints), and grants an application role the
 * least privileges the library needs (`gongzhi-pg grant`).
 *
 * @since 0.2.0
 */
import { SqlClient } from "@effect/sql"
import { type StoreUnavailable } from "@gongzhi/core"
import { Effect } from "effect"
import { migrations } from "./migrations/index.js"
import { mapSqlError } from "./sql.js"

/**
 * What {@link checkDatabase} found: `ok` when `problems` is empty.
 *
 * @since 0.2.0
 * @category operations
 */
export interface CheckReport {
  readonly ok: boolean
  /** The role whose privileges were checked. */
  readonly role: string
  /** The schema version applied and the one this adapter knows. */
  readonly version: { readonly applied: number; readonly expected: number }
  /** One line for each thing missing or too permissive, in English (for an operator). */
  readonly problems: ReadonlyArray<string>
}

/**
 * Tables whose rows are history: no role may UPDATE, DELETE or TRUNCATE them.
 *
 * @since 0.2.0
 * @category operations
 */
export const historyTables: ReadonlyArray<string> = [
  "gz_journal",
  "gz_ledger_postings",
  "gz_ledger_transactions",
  "gz_voting_unit_owners",
  "gz_voting_rounds",
  "gz_issues_timeline",
  "gz_issues_report_keys"
]

/**
 * Checks the database the client is connected to: the schema is migrated to
 * the version this adapter knows; every `gz_` table refuses TRUNCATE; every
 * history table refuses UPDATE and DELETE; no guard trigger is disabled; and
 * the application role (`role`, default the connected user) is not a
 * superuser, does not own (or inherit the owner of) any table (an owner can
 * disable triggers), holds no TRUNCATE, no UPDATE or DELETE on history, no
 * DELETE where the library never deletes, no CREATE on the schema, and holds
 * SELECT and INSERT on every table.
 *
 * @since 0.2.0
 * @category operations
 */
export const checkDatabase = (
  options: { readonly role?: string } = {}
): Effect.Effect<CheckReport, StoreUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const problems: Array<string> = []
    const [who] = yield* sql`SELECT current_user AS u`
    const role = options.role ?? (who!.u as string)
    const expected = migrations[migrations.length - 1]!.version
    const [v] = yield* sql`
      SELECT CASE WHEN to_regclass('gz_schema_migrations') IS NULL THEN 0
        ELSE (SELECT coalesce(max(version), 0) FROM gz_schema_migrations) END AS v`
    const applied = Number(v?.v ?? 0)
    if (applied < expected) problems.push(`schema at version ${applied}, this adapter needs ${expected} (run gongzhi-pg migrate as the owner)`)

    const tables = yield* sql`
      SELECT c.oid::int8 AS oid, c.relname AS name, pg_get_userbyid(c.relowner) AS owner,
        EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal AND (g.tgtype & 32) <> 0 AND g.tgenabled <> 'D') AS no_truncate,
        EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal AND (g.tgtype & 1) = 1 AND (g.tgtype & 16) <> 0 AND g.tgenabled <> 'D') AS no_update,
        EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal AND (g.tgtype & 1) = 1 AND (g.tgtype & 8) <> 0 AND g.tgenabled <> 'D') AS no_delete,
        (SELECT string_agg(g.tgname, ', ' ORDER BY g.tgname) FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal AND g.tgenabled = 'D') AS disabled
      FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'gz\\_%'
      ORDER BY c.relname`
    if (tables.length === 0) problems.push("no gz_ tables in the current schema")
    const deletable = new Set(
      (yield* sql`SELECT t FROM gz_deletable_tables() t`.pipe(Effect.orElseSucceed(() => []))).map((r) => r.t as string)
    )
    for (const t of tables) {
      const name = t.name as string
      if (!t.no_truncate) problems.push(`${name}: no BEFORE TRUNCATE guard`)
      if (historyTables.includes(name) && !(t.no_update && t.no_delete)) problems.push(`${name}: history without UPDATE/DELETE guards`)
      if (t.disabled !== null) problems.push(`${name}: disabled triggers ${t.disabled as string}`)
    }

    const [r] = yield* sql`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ${role}`
    if (r === undefined) {
      problems.push(`role ${role} does not exist`)
    } else {
      if (r.rolsuper) problems.push(`role ${role} is a superuser (it bypasses every privilege and can disable triggers)`)
      const [s] = yield* sql`SELECT has_schema_privilege(${role}, current_schema(), 'CREATE') AS can_create`
      if (s?.can_create) problems.push(`role ${role} may CREATE in the schema (migrations belong to a separate owner role)`)
      const privileges = yield* sql`
        SELECT c.relname AS name,
          pg_has_role(${role}, c.relowner, 'USAGE') AS owns,
          has_table_privilege(${role}, c.oid, 'SELECT') AS sel,
          has_table_privilege(${role}, c.oid, 'INSERT') AS ins,
          has_table_privilege(${role}, c.oid, 'UPDATE') AS upd,
          has_table_privilege(${role}, c.oid, 'DELETE') AS del,
          has_table_privilege(${role}, c.oid, 'TRUNCATE') AS trunc
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'gz\\_%'
        ORDER BY c.relname`
      for (const p of privileges) {
        const name = p.name as string
        if (p.owns) problems.push(`${name}: role ${role} owns it (or is a member of its owner)`)
        if (p.trunc) problems.push(`${name}: role ${role} may TRUNCATE`)
        if (name === "gz_schema_migrations") {
          if (p.ins || p.upd || p.del) problems.push(`${name}: role ${role} may change the migration record`)
          continue
        }
        if (!p.sel || !p.ins) problems.push(`${name}: role ${role} lacks SELECT or INSERT (run gongzhi-pg grant ${role})`)
        if (historyTables.includes(name) && p.upd) problems.push(`${name}: role ${role} may UPDATE history`)
        if (p.del && !deletable.has(name)) problems.push(`${name}: role ${role} may DELETE (the library never deletes here)`)
      }
    }
    return { ok: problems.length === 0, role, version: { applied, expected }, problems }
  }).pipe(mapSqlError("check"))

/**
 * Grants `role` the least privileges the library needs on every `gz_` table
 * (see `gz_grant_app_role` in migration 0011). Run it as the owner role, after
 * every migration.
 *
 * @since 0.2.0
 * @category operations
 */
export const grantAppRole = (role: string): Effect.Effect<void, StoreUnavailable, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT gz_grant_app_role(${role})`).pipe(
    mapSqlError("grant"),
    Effect.asVoid
  )
