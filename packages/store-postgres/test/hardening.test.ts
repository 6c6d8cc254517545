/**
 * Issue 20 on PostgreSQL: append-only tables survive TRUNCATE, a
 * least-privilege application role can run the library and nothing more,
 * `checkDatabase` reports what is missing, and every constraint violation is
 * a typed error.
 */
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import {
  Account,
  AccountId,
  CheckpointPublisher,
  checkpointJournal,
  ed25519Signer,
  generateCheckpointKey,
  verifyJournalWithCheckpoints,
  CommunityId,
  DirectoryWriter,
  isGongzhiError,
  LedgerStore,
  openAccount,
  postTransaction,
  SystemActor,
  verifyJournal
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer } from "effect"
import pg from "pg"
import { randomBytes } from "node:crypto"
import { inject } from "vitest"
import { checkDatabase, grantAppRole, historyTables, migrate, PgStore } from "../src/index.js"
import { mapSqlError } from "../src/sql.js"
import { freshDatabase } from "./support/db.js"

const mapSqlErrorForTest = (error: SqlError) => Effect.fail(error).pipe(mapSqlError("test"))

class AppUrl extends Context.Tag("test/AppUrl")<AppUrl, { readonly url: string; readonly role: string }>() {}

/** A fresh database migrated by its owner, and a new LOGIN role granted the application privileges. */
const TestDatabase = Layer.unwrapScoped(
  Effect.gen(function* () {
    const base = inject("databaseUrl")
    const db = yield* Effect.acquireRelease(
      Effect.promise(() => freshDatabase(base, { prefix: "gz_harden" })),
      (db) => Effect.promise(() => db.drop())
    )
    yield* Effect.scoped(Effect.provide(migrate(), PgStore.clientLayer({ url: db.url })))
    const role = `gz_app_${randomBytes(4).toString("hex")}`
    const password = randomBytes(12).toString("hex")
    yield* Effect.acquireRelease(
      Effect.promise(async () => {
        const c = new pg.Client({ connectionString: db.url })
        await c.connect()
        await c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`)
        await c.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`)
        await c.end()
      }),
      () =>
        Effect.promise(async () => {
          await db.drop()
          const c = new pg.Client({ connectionString: base })
          await c.connect()
          await c.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined)
          await c.end()
        })
    )
    yield* Effect.scoped(Effect.provide(grantAppRole(role), PgStore.clientLayer({ url: db.url })))
    const u = new URL(db.url)
    u.username = role
    u.password = password
    return Layer.merge(
      Layer.provideMerge(PgStore.layerFromClient(), PgStore.clientLayer({ url: db.url, maxConnections: 4 })),
      Layer.succeed(AppUrl, { url: u.toString(), role })
    )
  })
)

/** Runs `effect` with the ports and a client connected as the application role. */
const asApp = <A, E>(effect: Effect.Effect<A, E, any>) =>
  Effect.flatMap(AppUrl, ({ url }) =>
    Effect.scoped(
      Effect.provide(effect, Layer.provideMerge(PgStore.layerFromClient(), PgStore.clientLayer({ url, maxConnections: 2 })))
    )
  ) as Effect.Effect<A, E | unknown, AppUrl>

const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return { outcome: "success" as const }
    const failure = Cause.failureOption(exit.cause)
    if (failure._tag === "Some") return { outcome: "failure" as const, error: failure.value }
    return { outcome: "defect" as const, cause: Cause.pretty(exit.cause) }
  })

describe("hardening on PostgreSQL (issue 20)", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("every gz_ table refuses TRUNCATE, also as the owner; the journal and the ledger keep their entries", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = CommunityId.make("hd-truncate")
        const sys = new SystemActor({ communityId: c, process: "test" })
        yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "fen", kind: "issuance" })
        yield* openAccount(sys, { communityId: c, accountId: "a", unit: "fen", kind: "wallet", floor: 0 })
        yield* postTransaction(sys, { communityId: c, unit: "fen", kind: "seed", memo: "", postings: [{ accountId: "mint", amount: -5 }, { accountId: "a", amount: 5 }] })
        const tables = (yield* sql`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname LIKE 'gz\\_%'`).map((r) => r.relname as string)
        expect(tables.length).toBeGreaterThan(30)
        // CASCADE reaches every referencing table, so each one's guard is what refuses.
        for (const t of [...tables.map((t) => `${t} CASCADE`), "gz_journal, gz_journal_heads, gz_dead_letters CASCADE", "gz_ledger_postings, gz_ledger_transactions CASCADE"]) {
          const refused = yield* sql.unsafe(`TRUNCATE ${t}`).pipe(Effect.flip, Effect.map((e) => (e.cause as { code?: string }).code))
          expect({ t, refused }).toEqual({ t, refused: "42501" })
        }
        const verified = yield* verifyJournal(c)
        expect(verified).toMatchObject({ ok: true, entries: 3 })
        const [n] = yield* sql`SELECT count(*)::int AS n FROM gz_ledger_postings WHERE community_id = ${c}`
        expect(n!.n).toBe(2)
      }))

    it.effect("the application role runs commands, and may not TRUNCATE, UPDATE or DELETE history nor disable guards", () =>
      Effect.gen(function* () {
        const { role } = yield* AppUrl
        const c = CommunityId.make("hd-role")
        const sys = new SystemActor({ communityId: c, process: "test" })
        const outcome = yield* asApp(
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const [me] = yield* sql`SELECT current_user AS u`
            yield* Effect.flatMap(DirectoryWriter, (w) => w.load(generateCommunity({ communityId: c, seed: 3, buildings: 1 })))
            yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "points", kind: "issuance" })
            yield* openAccount(sys, { communityId: c, accountId: "b", unit: "points", kind: "wallet", floor: 0 })
            yield* postTransaction(sys, { communityId: c, unit: "points", kind: "seed", memo: "", idempotencyKey: "k1", postings: [{ accountId: "mint", amount: -7 }, { accountId: "b", amount: 7 }] })
            const code = (s: string) => sql.unsafe(s).pipe(Effect.flip, Effect.map((e) => (e.cause as { code?: string }).code))
            return {
              user: me!.u as string,
              verified: yield* verifyJournal(c),
              truncate: yield* code("TRUNCATE gz_journal CASCADE"),
              update: yield* code(`UPDATE gz_journal SET type = 'x' WHERE community_id = '${c}'`),
              delete: yield* code(`DELETE FROM gz_ledger_postings WHERE community_id = '${c}'`),
              disable: yield* code("ALTER TABLE gz_journal DISABLE TRIGGER USER"),
              report: yield* checkDatabase()
            }
          })
        )
        expect(outcome.user).toBe(role)
        expect(outcome.verified).toMatchObject({ ok: true, entries: 3 })
        // 42501: insufficient privilege; ALTER TABLE needs ownership.
        expect([outcome.truncate, outcome.update, outcome.delete, outcome.disable]).toEqual(["42501", "42501", "42501", "42501"])
        expect(outcome.report).toMatchObject({ ok: true, role, problems: [] })
      }))

    it.effect("checkDatabase reports an owner or superuser role, a missing TRUNCATE guard and a disabled trigger", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const asOwner = yield* checkDatabase()
        expect(asOwner.ok).toBe(false)
        expect(asOwner.problems.some((p) => p.includes("superuser"))).toBe(true)
        expect(asOwner.problems.some((p) => p.startsWith("gz_journal: role") && p.includes("TRUNCATE"))).toBe(true)
        const { role } = yield* AppUrl
        expect((yield* checkDatabase({ role })).problems).toEqual([])
        yield* sql`DROP TRIGGER gz_ledger_postings_no_truncate ON gz_ledger_postings`
        yield* sql`ALTER TABLE gz_journal DISABLE TRIGGER gz_journal_append_only`
        yield* sql.unsafe(`GRANT UPDATE ON gz_journal TO ${role}`)
        const broken = yield* checkDatabase({ role })
        expect(broken.problems).toEqual(expect.arrayContaining([
          "gz_ledger_postings: no BEFORE TRUNCATE guard",
          "gz_journal: history without UPDATE/DELETE guards",
          "gz_journal: disabled triggers gz_journal_append_only",
          `gz_journal: role ${role} may UPDATE history`
        ]))
        yield* sql`ALTER TABLE gz_journal ENABLE TRIGGER gz_journal_append_only`
        yield* sql`CREATE TRIGGER gz_ledger_postings_no_truncate BEFORE TRUNCATE ON gz_ledger_postings FOR EACH STATEMENT EXECUTE FUNCTION gz_forbid_change()`
        yield* grantAppRole(role)
        expect((yield* checkDatabase({ role })).problems).toEqual([])
        expect(historyTables).toContain("gz_journal")
      }))

    it.effect("signed checkpoints catch what the chain alone accepts: the newest entries deleted by a superuser and the head moved back", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = CommunityId.make("hd-checkpoint")
        const sys = new SystemActor({ communityId: c, process: "test" })
        const pair = yield* generateCheckpointKey
        const key = { keyId: "k-1", publicKey: pair.publicKey }
        const published = yield* Effect.gen(function* () {
          yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "fen", kind: "issuance" })
          yield* openAccount(sys, { communityId: c, accountId: "a", unit: "fen", kind: "wallet", floor: 0 })
          for (let i = 0; i < 6; i++) {
            yield* postTransaction(sys, { communityId: c, unit: "fen", kind: "seed", memo: "", postings: [{ accountId: "mint", amount: -1 }, { accountId: "a", amount: 1 }] })
            yield* checkpointJournal(c, { everyEntries: 3, everyMillis: 60_000 })
          }
          return yield* Effect.flatMap(CheckpointPublisher, (p) => p.list(c))
        }).pipe(Effect.provide(Layer.merge(CheckpointPublisher.memory, ed25519Signer("k-1", pair.privateKey))))
        expect(published.map((p) => p.seq)).toEqual([3, 6])
        expect(yield* verifyJournalWithCheckpoints(c, published, [key])).toMatchObject({ ok: true, entries: 8 })
        // What an owner or superuser can do despite the guards: disable them, cut the newest entries, move the head.
        yield* sql.withTransaction(Effect.gen(function* () {
          yield* sql`ALTER TABLE gz_journal DISABLE TRIGGER USER`
          yield* sql`UPDATE gz_journal_heads SET seq = 5, hash = (SELECT hash FROM gz_journal WHERE community_id = ${c} AND seq = 5) WHERE community_id = ${c}`
          yield* sql`DELETE FROM gz_journal WHERE community_id = ${c} AND seq > 5`
          yield* sql`ALTER TABLE gz_journal ENABLE TRIGGER USER`
        }))
        expect(yield* verifyJournal(c)).toMatchObject({ ok: true, entries: 5 })
        expect(yield* verifyJournalWithCheckpoints(c, published, [key])).toMatchObject({ ok: false, reason: "checkpoint", checkpoint: { seq: 6 } })
      }))

    it.effect("every constraint in pg_constraint and every unique index maps to a typed error, never a defect", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const constraints = yield* sql`
          SELECT con.conname AS name, con.contype AS type, rel.relname AS table_name
          FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
          WHERE rel.relnamespace = 'public'::regnamespace AND rel.relname LIKE 'gz\\_%'
          UNION ALL
          SELECT i.relname, 'u', t.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
          WHERE x.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            AND t.relnamespace = 'public'::regnamespace AND t.relname LIKE 'gz\\_%'`
        const codes: Record<string, string> = { c: "23514", f: "23503", p: "23505", u: "23505", x: "23P01", n: "23502" }
        expect(constraints.length).toBeGreaterThan(100)
        const unmapped: Array<string> = []
        for (const k of constraints) {
          const code = codes[k.type as string]
          if (code === undefined) {
            unmapped.push(`${k.name as string} (type ${k.type as string})`)
            continue
          }
          const error = Object.assign(new Error("violation"), { code, severity: "ERROR", constraint: k.name, table: k.table_name })
          const result = yield* failureOf(mapSqlErrorForTest(new SqlError({ cause: error, message: "Failed to execute statement" })))
          if (result.outcome !== "failure" || !isGongzhiError(result.error)) unmapped.push(k.name as string)
          else expect((result.error as { code: string }).code).toMatch(/^(CONFLICT|NOT_FOUND)$/)
        }
        expect(unmapped).toEqual([])
        // NOT NULL columns are constraints too (not rows of pg_constraint before PostgreSQL 18).
        const notNull = new Error("null") as Error & Record<string, unknown>
        Object.assign(notNull, { code: "23502", severity: "ERROR", table: "gz_journal", column: "payload" })
        expect((yield* failureOf(mapSqlErrorForTest(new SqlError({ cause: notNull, message: "x" })))).outcome).toBe("failure")
      }))

    it.effect("a real violation through a store (a positive floor written past the core) is a typed Conflict, not a defect", () =>
      Effect.gen(function* () {
        const store = yield* LedgerStore
        const c = CommunityId.make("hd-floor")
        const account = new Account({ communityId: c, id: AccountId.make("positive"), unit: "fen", kind: "wallet", floor: 500, balance: 0, createdAt: 0 })
        const result = yield* failureOf(store.insertAccount(account))
        expect(result).toMatchObject({ outcome: "failure", error: { _tag: "Conflict", id: "gz_ledger_accounts_floor" } })
        const sys = new SystemActor({ communityId: c, process: "test" })
        const viaCore = yield* failureOf(openAccount(sys, { communityId: c, accountId: "positive", unit: "fen", kind: "wallet", floor: 500 }))
        expect(viaCore).toMatchObject({ outcome: "failure", error: { _tag: "InvalidInput" } })
      }))
  })
})
