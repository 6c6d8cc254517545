/**
 * Per-test-file database isolation on the server started by global-setup.ts.
 *
 * ```ts
 * const { url, drop } = await freshDatabase(inject("databaseUrl"))
 * // ... connect to `url` ...
 * await drop()
 * ```
 *
 * or, in Effect land, `freshDatabaseLayer(inject("databaseUrl"))` gives a
 * `PgClient`/`SqlClient` layer on a brand-new database that is dropped when the
 * layer is released.
 */
import { PgClient } from "@effect/sql-pg"
import { migrate, PgStore, type PgStoreConfig } from "../../src/index.js"
import { Effect, Layer, Redacted } from "effect"
import pg from "pg"
import { randomBytes } from "node:crypto"

export interface FreshDatabase {
  /** URL of the new database (same server, user and password as `baseUrl`). */
  readonly url: string
  readonly name: string
  /** Drops the database, terminating any connections still open on it. Idempotent. */
  readonly drop: () => Promise<void>
}

/**
 * Creates a uniquely named, empty database on the server behind `baseUrl`.
 * The connecting user needs CREATEDB (true for the embedded server's superuser).
 */
export async function freshDatabase(baseUrl: string, options: { readonly prefix?: string } = {}): Promise<FreshDatabase> {
  const prefix = (options.prefix ?? "gz_test").toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 30)
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`
  await withAdminClient(baseUrl, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`))

  const u = new URL(baseUrl)
  u.pathname = `/${encodeURIComponent(name)}`
  let dropped = false
  return {
    url: u.toString(),
    name,
    drop: async () => {
      if (dropped) return
      dropped = true
      await withAdminClient(baseUrl, async (c) => {
        const { rows } = await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")
        if (Number(rows[0]?.v ?? 0) >= 130000) {
          // FORCE terminates leftover sessions (pool not yet closed, LISTEN client, ...)
          await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
        } else {
          await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name])
          await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`)
        }
      })
    }
  }
}

/**
 * `PgClient` + `SqlClient` on a fresh database; the database is dropped after the
 * client's pool is closed when the layer is released.
 */
export const freshDatabaseLayer = (
  baseUrl: string,
  config: Omit<PgClient.PgClientConfig, "url"> = {}
): Layer.Layer<PgClient.PgClient | import("@effect/sql").SqlClient.SqlClient, import("@effect/sql").SqlError.SqlError> =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.promise(() => freshDatabase(baseUrl)),
        (db) => Effect.promise(() => db.drop())
      ),
      (db) => PgClient.layer({ ...config, url: Redacted.make(db.url) })
    )
  )

async function withAdminClient<A>(baseUrl: string, f: (c: pg.Client) => Promise<A>): Promise<A> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 10_000 })
  client.on("error", () => {})
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * `PgStore.layer` on a fresh database (migrated at start), dropped afterwards.
 */
export const freshStoreLayer = (baseUrl: string, config: Omit<PgStoreConfig, "url"> = {}) =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.promise(() => freshDatabase(baseUrl, { prefix: "gz_store" })),
        (db) => Effect.promise(() => db.drop())
      ),
      (db) => PgStore.layer({ ...config, url: db.url })
    )
  )

/**
 * A fresh database, migrated, with the ports and a raw client on one pool of
 * `maxConnections`: what a test file of the adapter runs on. Dropped when the
 * layer is released.
 */
export const migratedTestDatabase = (baseUrl: string, options: { readonly prefix: string; readonly maxConnections: number }) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const db = yield* Effect.acquireRelease(
        Effect.promise(() => freshDatabase(baseUrl, { prefix: options.prefix })),
        (db) => Effect.promise(() => db.drop())
      )
      yield* Effect.scoped(Effect.provide(migrate(), PgStore.clientLayer({ url: db.url })))
      return Layer.provideMerge(PgStore.layerFromClient(), PgStore.clientLayer({ url: db.url, maxConnections: options.maxConnections }))
    })
  )
