/**
 * `PgStore`: every storage port on PostgreSQL.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import {
  CalendarStore,
  Directory,
  DirectoryWriter,
  JournalSignal,
  JournalStore,
  LedgerStore,
  StoreUnavailable,
  SubscriptionStore,
  Transaction
} from "@gongzhi/core"
import { Config, Context, Deferred, Duration, Effect, Layer, Redacted, Ref, Schedule, Stream } from "effect"
import { makeCalendarStore } from "./calendar.js"
import { JOURNAL_CHANNEL, loadDirectory, makeKernelStores } from "./kernel.js"
import { migrate } from "./migrate.js"
import { type PgModuleStores, pgModuleStores } from "./modules.js"
import { makeTransactionRunner, mapSqlError } from "./sql.js"

/**
 * Connection and behaviour settings.
 *
 * @since 0.1.0
 * @category config
 */
export interface PgStoreConfig {
  /** `postgres://user:password@host:port/database`; or the discrete settings below. */
  readonly url?: string | Redacted.Redacted | undefined
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly database?: string | undefined
  readonly username?: string | undefined
  readonly password?: string | Redacted.Redacted | undefined
  readonly ssl?: boolean | undefined
  /** Pool size (default 10). */
  readonly maxConnections?: number | undefined
  /** Connecting and waiting for a pooled connection (default 10 s). */
  readonly connectTimeout?: Duration.DurationInput | undefined
  readonly applicationName?: string | undefined
  /** Apply pending migrations when the layer starts (default true). */
  readonly migrate?: boolean | undefined
  /** Attempts for a transaction that hits a serialization failure or deadlock (default 8). */
  readonly transactionAttempts?: number | undefined
}

/**
 * What the PostgreSQL adapter provides.
 *
 * @since 0.1.0
 * @category layers
 */
export type PgPorts =
  | Directory
  | DirectoryWriter
  | JournalStore
  | JournalSignal
  | SubscriptionStore
  | LedgerStore
  | CalendarStore
  | Transaction
  | PgModuleStores

const redact = (v: string | Redacted.Redacted | undefined) =>
  v === undefined ? undefined : typeof v === "string" ? Redacted.make(v) : v

/**
 * The ports over an existing `PgClient` (for applications that already have
 * one). Does not migrate.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromClient = (options: { readonly transactionAttempts?: number | undefined } = {}): Layer.Layer<PgPorts, never, PgClient.PgClient> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const sql = yield* PgClient.PgClient
      const kernel = yield* makeKernelStores
      const run = makeTransactionRunner(sql, { attempts: options.transactionAttempts ?? 8 })

      // Wake idle journal workers when an append commits (LISTEN/NOTIFY).
      const wake = yield* Ref.make(yield* Deferred.make<void>())
      yield* sql.listen(JOURNAL_CHANNEL).pipe(
        Stream.runForEach(() =>
          Effect.flatMap(Deferred.make<void>(), (next) =>
            Effect.flatMap(Ref.getAndSet(wake, next), (current) => Deferred.succeed(current, undefined))
          )
        ),
        Effect.retry(Schedule.spaced(Duration.seconds(1))),
        Effect.forkScoped
      )
      const signal = JournalSignal.of({
        await: (timeout) =>
          Effect.flatMap(Ref.get(wake), (d) => Effect.ignore(Effect.timeout(Deferred.await(d), timeout)))
      })

      const writer = DirectoryWriter.of({
        load: (snapshot) =>
          loadDirectory(snapshot).pipe(mapSqlError("directory.load"), Effect.provideService(PgClient.PgClient, sql))
      })

      let ctx = Context.empty().pipe(
        Context.add(Directory, kernel.directory),
        Context.add(DirectoryWriter, writer),
        Context.add(JournalStore, kernel.journal),
        Context.add(JournalSignal, signal),
        Context.add(SubscriptionStore, kernel.subscriptions),
        Context.add(LedgerStore, kernel.ledger),
        Context.add(Transaction, Transaction.of({ run })),
        Context.merge(yield* makeCalendarStore)
      ) as Context.Context<PgPorts>
      for (const make of pgModuleStores) ctx = Context.merge(ctx, yield* make)
      return ctx
    })
  )

/**
 * A `PgClient` from the settings, with connection failures as `StoreUnavailable`.
 *
 * @since 0.1.0
 * @category layers
 */
export const clientLayer = (config: PgStoreConfig): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, StoreUnavailable> =>
  PgClient.layer({
    url: redact(config.url),
    host: config.host,
    port: config.port,
    database: config.database,
    username: config.username,
    password: redact(config.password),
    ssl: config.ssl,
    maxConnections: config.maxConnections ?? 10,
    connectTimeout: config.connectTimeout ?? Duration.seconds(10),
    applicationName: config.applicationName ?? "gongzhi"
  }).pipe(
    Layer.mapError((cause) => new StoreUnavailable({ operation: "connect", cause }))
  )

/**
 * Every storage port on PostgreSQL, from settings. Runs pending migrations at
 * start unless `migrate: false`.
 *
 * @example
 * const Store = PgStore.layer({ url: process.env.DATABASE_URL })
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: PgStoreConfig): Layer.Layer<PgPorts, StoreUnavailable> => {
  const ports = layerFromClient({ transactionAttempts: config.transactionAttempts })
  const migrated = config.migrate === false
    ? ports
    : Layer.effectDiscard(migrate()).pipe(Layer.provideMerge(ports))
  return migrated.pipe(Layer.provide(clientLayer(config))) as Layer.Layer<PgPorts, StoreUnavailable>
}

/**
 * The settings from Effect `Config`: `DATABASE_URL`, or `PGHOST`, `PGPORT`,
 * `PGDATABASE`, `PGUSER`, `PGPASSWORD`; plus `GONGZHI_PG_MAX_CONNECTIONS` and
 * `GONGZHI_PG_MIGRATE`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<PgStoreConfig> = Config.all({
  url: Config.option(Config.redacted("DATABASE_URL")),
  host: Config.option(Config.string("PGHOST")),
  port: Config.option(Config.integer("PGPORT")),
  database: Config.option(Config.string("PGDATABASE")),
  username: Config.option(Config.string("PGUSER")),
  password: Config.option(Config.redacted("PGPASSWORD")),
  maxConnections: Config.option(Config.integer("GONGZHI_PG_MAX_CONNECTIONS")),
  migrate: Config.option(Config.boolean("GONGZHI_PG_MIGRATE"))
}).pipe(
  Config.map((c) => {
    const out: { -readonly [K in keyof PgStoreConfig]: PgStoreConfig[K] } = {}
    for (const [k, v] of Object.entries(c)) if (v._tag === "Some") (out as Record<string, unknown>)[k] = v.value
    return out as PgStoreConfig
  })
)

/**
 * Every storage port on PostgreSQL, configured from Effect `Config` (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  settings: Config.Config<PgStoreConfig> = config
): Layer.Layer<PgPorts, StoreUnavailable> =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.mapError(settings, (cause) => new StoreUnavailable({ operation: "config", cause })),
      layer
    )
  )
