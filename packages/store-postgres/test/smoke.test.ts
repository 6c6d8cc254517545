/**
 * Smoke tests that pin down how @effect/sql-pg 0.53 / @effect/sql 0.52 behave
 * against a real PostgreSQL (see test/support/global-setup.ts). They document
 * behaviour the store adapter relies on; if an upgrade changes any of it, a
 * test here should fail first.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { Cause, Chunk, Deferred, Duration, Effect, Exit, Fiber, Layer, Option, Redacted, Stream } from "effect"
import * as net from "node:net"
import { inject } from "vitest"
import { freshDatabase, freshDatabaseLayer } from "./support/db.js"
import {
  commitDefectsAsFailures,
  findPgError,
  isSqlError,
  pgErrorCode,
  retryOnSerializationFailure,
  SqlState
} from "../src/pg-errors.js"

const baseUrl = inject("databaseUrl")

/** Set SMOKE_VERBOSE=1 to print the observed shapes. */
const show = (label: string, value: unknown) => {
  if (process.env.SMOKE_VERBOSE) console.log(`[smoke] ${label}:`, value)
}

const SERIALIZABLE = "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"

layer(freshDatabaseLayer(baseUrl), { excludeTestServices: true, timeout: "60 seconds" })("@effect/sql-pg 0.53", (it) => {
  // -------------------------------------------------------------------------
  describe("1. queries and transactions", () => {
    it.effect("simple query", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ n: number; s: string }>`SELECT 1::int AS n, ${"x"}::text AS s`
        expect(rows).toEqual([{ n: 1, s: "x" }])
        // bigint / numeric come back as strings (pg default type parsers)
        const [big] = yield* sql<{ b: string; c: string }>`SELECT 9007199254740993::int8 AS b, count(*) AS c FROM pg_class WHERE false`
        expect(big).toEqual({ b: "9007199254740993", c: "0" })
      }))

    it.effect("withTransaction commits, and rolls back on failure and on defect", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE tx_basic (id int PRIMARY KEY, v text NOT NULL)`

        yield* sql.withTransaction(sql`INSERT INTO tx_basic ${sql.insert({ id: 1, v: "committed" })}`)

        const failed = yield* sql
          .withTransaction(
            Effect.zipRight(sql`INSERT INTO tx_basic ${sql.insert({ id: 2, v: "rolled back" })}`, Effect.fail("boom" as const))
          )
          .pipe(Effect.flip)
        expect(failed).toBe("boom")

        const died = yield* sql
          .withTransaction(Effect.zipRight(sql`INSERT INTO tx_basic VALUES (3, 'died')`, Effect.die("kaput")))
          .pipe(Effect.exit)
        expect(Exit.isFailure(died) && Cause.isDie(died.cause)).toBe(true)

        const rows = yield* sql<{ id: number }>`SELECT id FROM tx_basic ORDER BY id`
        expect(rows).toEqual([{ id: 1 }])
      }))

    it.effect("isolation level per transaction: SET TRANSACTION as the first statement", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [inside] = yield* sql.withTransaction(
          Effect.zipRight(sql.unsafe(SERIALIZABLE), sql<{ transaction_isolation: string }>`SHOW transaction_isolation`)
        )
        expect(inside?.transaction_isolation).toBe("serializable")
        // not sticky: the pooled connection is back to the default afterwards
        const [outside] = yield* sql<{ transaction_isolation: string }>`SHOW transaction_isolation`
        expect(outside?.transaction_isolation).toBe("read committed")

        // too late once the transaction has run a query -> SqlError 25001
        const late = yield* sql
          .withTransaction(Effect.zipRight(sql`SELECT 1`, sql.unsafe(SERIALIZABLE)))
          .pipe(Effect.flip)
        expect(pgErrorCode(late)).toBe("25001")
        // ... and inside a nested withTransaction (a SAVEPOINT) it is always too late
        const nested = yield* sql
          .withTransaction(sql.withTransaction(sql.unsafe(SERIALIZABLE)))
          .pipe(Effect.flip)
        expect(pgErrorCode(nested)).toBe("25001")
      }))
  })

  // -------------------------------------------------------------------------
  describe("2. nested withTransaction = SAVEPOINT", () => {
    it.effect("inner failure caught -> outer writes survive", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE tx_nested (id int PRIMARY KEY)`
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO tx_nested VALUES (1)`
            const inner = yield* sql
              .withTransaction(Effect.zipRight(sql`INSERT INTO tx_nested VALUES (2)`, Effect.fail("inner" as const)))
              .pipe(Effect.flip)
            expect(inner).toBe("inner")
            yield* sql`INSERT INTO tx_nested VALUES (3)`
          })
        )
        expect(yield* sql`SELECT id FROM tx_nested ORDER BY id`).toEqual([{ id: 1 }, { id: 3 }])
      }))

    it.effect("a failed statement poisons the transaction (25P02) unless it ran inside a nested withTransaction", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE tx_poison (id int PRIMARY KEY)`
        yield* sql`INSERT INTO tx_poison VALUES (1)`

        // catching the SqlError is not enough: postgres has aborted the transaction
        const poisoned = yield* sql
          .withTransaction(
            Effect.gen(function* () {
              yield* sql`INSERT INTO tx_poison VALUES (1)`.pipe(Effect.ignore)
              yield* sql`INSERT INTO tx_poison VALUES (2)`
            })
          )
          .pipe(Effect.flip)
        expect(pgErrorCode(poisoned)).toBe(SqlState.inFailedTransaction)

        // the savepoint makes the same thing work
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql.withTransaction(sql`INSERT INTO tx_poison VALUES (1)`).pipe(Effect.ignore)
            yield* sql`INSERT INTO tx_poison VALUES (2)`
          })
        )
        expect(yield* sql`SELECT id FROM tx_poison ORDER BY id`).toEqual([{ id: 1 }, { id: 2 }])
      }))
  })

  // -------------------------------------------------------------------------
  describe("3. unique violation (23505)", () => {
    it.effect("is a typed SqlError failure whose cause is pg's DatabaseError", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE uv (id int PRIMARY KEY, email text CONSTRAINT uv_email_key UNIQUE)`
        yield* sql`INSERT INTO uv VALUES (1, 'a@example.org')`

        const e = yield* sql`INSERT INTO uv VALUES (2, 'a@example.org')`.pipe(Effect.flip)
        show("23505 SqlError", e)
        expect(e).toBeInstanceOf(SqlError)
        expect(e._tag).toBe("SqlError")
        expect(e.message).toBe("Failed to execute statement")
        expect(e.cause).toBeInstanceOf(Error)
        expect(e.cause).toMatchObject({
          name: "error", // pg-protocol DatabaseError
          code: "23505",
          severity: "ERROR",
          constraint: "uv_email_key",
          table: "uv",
          schema: "public",
          detail: "Key (email)=(a@example.org) already exists."
        })
        expect((e.cause as Error).message).toBe('duplicate key value violates unique constraint "uv_email_key"')
        expect(pgErrorCode(e)).toBe("23505")
        expect(findPgError(e)?.constraint).toBe("uv_email_key")

        // idiomatic handling: catchTag + code check, rethrow everything else
        const handled = yield* sql`INSERT INTO uv VALUES (3, 'a@example.org')`.pipe(
          Effect.as("inserted" as const),
          Effect.catchTag("SqlError", (err) =>
            pgErrorCode(err) === SqlState.uniqueViolation ? Effect.succeed("duplicate" as const) : Effect.fail(err)
          )
        )
        expect(handled).toBe("duplicate")

        // inside withTransaction it is still a plain failure (statement error, not COMMIT)
        const exit = yield* sql.withTransaction(sql`INSERT INTO uv VALUES (4, 'a@example.org')`).pipe(Effect.exit)
        expect(Exit.isFailure(exit) && Option.isSome(Cause.failureOption(exit.cause))).toBe(true)
        expect(pgErrorCode(exit)).toBe("23505")
      }))
  })

  // -------------------------------------------------------------------------
  describe("4. failures at COMMIT are defects", () => {
    it.effect("deferred unique constraint: COMMIT fails -> Exit.Failure(Cause.Die(SqlError)), row absent", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE deferred_uq (id int PRIMARY KEY, k text, CONSTRAINT deferred_uq_k UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)`

        const tx = sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO deferred_uq VALUES (1, 'same')`
            yield* sql`INSERT INTO deferred_uq VALUES (2, 'same')` // fine until COMMIT
            return "body ran" as const
          })
        )
        const exit = yield* Effect.exit(tx)
        show("deferred-unique exit", exit)
        show("deferred-unique cause (pretty)", Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "")

        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isSuccess(exit)) return
        expect(exit.cause._tag).toBe("Die")
        expect(Cause.isDie(exit.cause)).toBe(true)
        expect(Option.isNone(Cause.failureOption(exit.cause))).toBe(true) // NOT in the E channel
        const defect = Option.getOrThrow(Cause.dieOption(exit.cause))
        expect(defect).toBeInstanceOf(SqlError)
        expect(isSqlError(defect)).toBe(true)
        expect((defect as SqlError).message).toBe("Failed to execute statement")
        expect(pgErrorCode(defect)).toBe("23505")
        expect(pgErrorCode(exit)).toBe("23505")

        // COMMIT failed => postgres rolled the transaction back
        expect(yield* sql`SELECT id FROM deferred_uq`).toEqual([])

        // catchAll / catchTag do NOT see it ...
        const viaCatchAll = yield* tx.pipe(
          Effect.catchAll(() => Effect.succeed("caught by catchAll" as const)),
          Effect.exit
        )
        expect(Exit.isFailure(viaCatchAll) && Cause.isDie(viaCatchAll.cause)).toBe(true)
        // ... catchAllDefect / sandbox do; commitDefectsAsFailures turns it back into E = SqlError
        const viaDefect = yield* tx.pipe(
          Effect.catchAllDefect((d) => Effect.succeed(isSqlError(d) ? pgErrorCode(d) : "other defect"))
        )
        expect(viaDefect).toBe("23505")
        const viaSandbox = yield* tx.pipe(
          Effect.sandbox,
          Effect.catchAll((cause) => Effect.succeed(pgErrorCode(cause)))
        )
        expect(viaSandbox).toBe("23505")
        const typed = yield* commitDefectsAsFailures(tx).pipe(Effect.flip)
        expect(typed).toBeInstanceOf(SqlError)
        expect(pgErrorCode(typed)).toBe("23505")
      }))

    it.effect("deferred FK: same Die shape with 23503; SET CONSTRAINTS ALL IMMEDIATE makes it a normal failure", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE d_parent (id int PRIMARY KEY)`
        yield* sql`CREATE TABLE d_child (id int PRIMARY KEY, parent int REFERENCES d_parent (id) DEFERRABLE INITIALLY DEFERRED)`

        const exit = yield* sql.withTransaction(sql`INSERT INTO d_child VALUES (1, 42)`).pipe(Effect.exit)
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
        expect(pgErrorCode(exit)).toBe(SqlState.foreignKeyViolation)

        // Workaround: check deferred constraints as the last statement of the body.
        // The violation then surfaces from a statement -> typed SqlError failure.
        const e = yield* sql
          .withTransaction(Effect.zipLeft(sql`INSERT INTO d_child VALUES (1, 42)`, sql`SET CONSTRAINTS ALL IMMEDIATE`))
          .pipe(Effect.flip)
        expect(e).toBeInstanceOf(SqlError)
        expect(pgErrorCode(e)).toBe(SqlState.foreignKeyViolation)
        expect(yield* sql`SELECT * FROM d_child`).toEqual([])
      }))

    it.effect("SERIALIZABLE write skew: 40001 at a statement is a failure, 40001 at COMMIT is a defect", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE oncall (doctor text PRIMARY KEY, on_duty boolean NOT NULL)`

        const reset = sql`DELETE FROM oncall`.pipe(
          Effect.zipRight(sql`INSERT INTO oncall VALUES ('alice', true), ('bob', true)`)
        )

        /**
         * Classic write skew: each transaction checks "someone else is on duty",
         * then takes itself off duty. `gates` let the test interleave the two transactions.
         */
        const goOffDuty = (
          doctor: string,
          gates: {
            readonly afterRead: Effect.Effect<void>
            readonly afterWrite: Effect.Effect<void>
          }
        ) =>
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql.unsafe(SERIALIZABLE)
              const [row] = yield* sql<{ n: string }>`SELECT count(*) AS n FROM oncall WHERE on_duty`
              yield* gates.afterRead
              if (Number(row?.n) >= 2) yield* sql`UPDATE oncall SET on_duty = false WHERE doctor = ${doctor}`
              yield* gates.afterWrite
            })
          )

        // --- Scenario A: T1 commits before T2 writes -> T2's UPDATE fails (typed failure)
        yield* reset
        {
          const t1Read = yield* Deferred.make<void>()
          const t2Read = yield* Deferred.make<void>()
          const t1Done = yield* Deferred.make<void>()
          const t1 = yield* goOffDuty("alice", { afterRead: Deferred.await(t2Read), afterWrite: Effect.void }).pipe(
            Effect.ensuring(Deferred.succeed(t1Done, undefined)),
            Effect.exit,
            Effect.fork
          )
          const t2 = yield* goOffDuty("bob", {
            afterRead: Effect.zipRight(Deferred.succeed(t2Read, undefined), Deferred.await(t1Done)),
            afterWrite: Effect.void
          }).pipe(Effect.exit, Effect.fork)
          yield* Deferred.succeed(t1Read, undefined)
          const e1 = yield* Fiber.join(t1)
          const e2 = yield* Fiber.join(t2)
          show("write skew A: t1", e1)
          show("write skew A: t2", e2)
          expect(Exit.isSuccess(e1)).toBe(true)
          expect(Exit.isFailure(e2)).toBe(true)
          if (Exit.isFailure(e2)) {
            expect(e2.cause._tag).toBe("Fail")
            const err = Option.getOrThrow(Cause.failureOption(e2.cause))
            expect(err).toBeInstanceOf(SqlError)
            expect(pgErrorCode(err)).toBe(SqlState.serializationFailure)
            expect(findPgError(err)?.message).toBe("could not serialize access due to read/write dependencies among transactions")
          }
        }

        // --- Scenario B: both write, then T1 commits, then T2 commits -> COMMIT of T2 fails (defect)
        yield* reset
        {
          const t1Read = yield* Deferred.make<void>()
          const t2Read = yield* Deferred.make<void>()
          const t2Wrote = yield* Deferred.make<void>()
          const t1Done = yield* Deferred.make<void>()
          const t1 = yield* goOffDuty("alice", {
            afterRead: Effect.zipRight(Deferred.succeed(t1Read, undefined), Deferred.await(t2Read)),
            afterWrite: Deferred.await(t2Wrote) // commit only once T2 has written too
          }).pipe(Effect.ensuring(Deferred.succeed(t1Done, undefined)), Effect.exit, Effect.fork)
          const t2 = yield* goOffDuty("bob", {
            afterRead: Effect.zipRight(Deferred.succeed(t2Read, undefined), Deferred.await(t1Read)),
            afterWrite: Effect.zipRight(Deferred.succeed(t2Wrote, undefined), Deferred.await(t1Done)) // commit after T1
          }).pipe(Effect.exit, Effect.fork)
          const e1 = yield* Fiber.join(t1)
          const e2 = yield* Fiber.join(t2)
          show("write skew B: t1", e1)
          show("write skew B: t2", e2)
          show("write skew B: t2 pretty", Exit.isFailure(e2) ? Cause.pretty(e2.cause) : "")
          expect(Exit.isSuccess(e1)).toBe(true)
          expect(Exit.isFailure(e2)).toBe(true)
          if (Exit.isFailure(e2)) {
            expect(e2.cause._tag).toBe("Die")
            const defect = Option.getOrThrow(Cause.dieOption(e2.cause))
            expect(defect).toBeInstanceOf(SqlError)
            expect(pgErrorCode(defect)).toBe(SqlState.serializationFailure)
            expect(findPgError(defect)?.detail).toContain("during commit attempt")
          }
        }
        expect(yield* sql`SELECT doctor FROM oncall WHERE on_duty`).toEqual([{ doctor: "bob" }])

        // --- retryOnSerializationFailure(withTransaction(...)) handles both kinds
        yield* reset
        {
          const t1Read = yield* Deferred.make<void>()
          const t2Read = yield* Deferred.make<void>()
          const t2Wrote = yield* Deferred.make<void>()
          const t1Done = yield* Deferred.make<void>()
          let attempts = 0
          const t1 = yield* goOffDuty("alice", {
            afterRead: Effect.zipRight(Deferred.succeed(t1Read, undefined), Deferred.await(t2Read)),
            afterWrite: Deferred.await(t2Wrote)
          }).pipe(Effect.ensuring(Deferred.succeed(t1Done, undefined)), Effect.fork)
          const t2 = yield* retryOnSerializationFailure(
            Effect.suspend(() => {
              attempts++
              return goOffDuty("bob", {
                // gates only matter for the first attempt
                afterRead: attempts === 1 ? Effect.zipRight(Deferred.succeed(t2Read, undefined), Deferred.await(t1Read)) : Effect.void,
                afterWrite: attempts === 1 ? Effect.zipRight(Deferred.succeed(t2Wrote, undefined), Deferred.await(t1Done)) : Effect.void
              })
            })
          ).pipe(Effect.fork)
          yield* Fiber.join(t1)
          yield* Fiber.join(t2)
          expect(attempts).toBe(2)
          // the retry re-read the count (1) and left bob on duty: invariant kept
          expect(yield* sql`SELECT doctor FROM oncall WHERE on_duty`).toEqual([{ doctor: "bob" }])
        }
      }))
  })

  // -------------------------------------------------------------------------
  describe("5. LISTEN / NOTIFY", () => {
    /** Working replacement for PgClient.notify (see the next test). Transactional inside withTransaction. */
    const notify = (channel: string, payload: string) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT pg_notify(${channel}, ${payload})`).pipe(Effect.asVoid)

    it.effect("PgClient.notify is broken in 0.53.0: `NOTIFY chan, $1` -> SqlError 'Failed to notify', 42601", () =>
      Effect.gen(function* () {
        const pg = yield* PgClient.PgClient
        const e = yield* pg.notify("gz_smoke", "hello").pipe(Effect.flip)
        expect(e).toBeInstanceOf(SqlError)
        expect(e.message).toBe("Failed to notify")
        expect(pgErrorCode(e)).toBe("42601") // syntax error at or near "$1"
        expect(findPgError(e)?.message).toBe('syntax error at or near "$1"')
      }))

    it.effect("PgClient.listen(channel) is a Stream<string>; SELECT pg_notify(...) sends", () =>
      Effect.gen(function* () {
        const pg = yield* PgClient.PgClient
        const received = yield* pg.listen("gz_smoke").pipe(Stream.take(1), Stream.runCollect, Effect.fork)
        // listen() gives no "LISTEN is active" signal (LISTEN runs asynchronously on a
        // dedicated connection): notify until the stream delivers.
        const notifyLoop = notify("gz_smoke", "hello").pipe(Effect.zipRight(Effect.sleep("50 millis")), Effect.forever)
        const got = yield* Effect.race(Fiber.join(received), notifyLoop).pipe(Effect.timeout("5 seconds"))
        expect(Chunk.toReadonlyArray(got)).toEqual(["hello"])
      }))

    it.effect("gotcha: when one listener of a channel ends, its UNLISTEN silences the other listeners of that channel", () =>
      Effect.gen(function* () {
        const pg = yield* PgClient.PgClient
        const seenA: Array<string> = []
        const seenB: Array<string> = []
        const a = yield* pg.listen("gz_shared").pipe(Stream.take(1), Stream.runForEach((m) => Effect.sync(() => seenA.push(m))), Effect.fork)
        const b = yield* pg.listen("gz_shared").pipe(Stream.runForEach((m) => Effect.sync(() => seenB.push(m))), Effect.fork)
        yield* Effect.sleep("300 millis")
        yield* notify("gz_shared", "one")
        yield* Fiber.join(a) // A got "one" and ended -> UNLISTEN gz_shared on the shared connection
        yield* Effect.sleep("200 millis")
        yield* notify("gz_shared", "two")
        yield* Effect.sleep("300 millis")
        yield* Fiber.interrupt(b)
        expect(seenA).toEqual(["one"])
        expect(seenB).toEqual(["one"]) // "two" is lost although B is still subscribed
      }))

    it.effect("channel names are quoted identifiers (case/space preserved); empty payloads are dropped by listen()", () =>
      Effect.gen(function* () {
        const pg = yield* PgClient.PgClient
        const fiber = yield* pg.listen("Mixed.Case channel").pipe(Stream.take(1), Stream.runCollect, Effect.fork)
        yield* Effect.sleep("300 millis")
        yield* notify("Mixed.Case channel", "") // delivered by postgres, but listen() filters falsy payloads
        yield* notify("mixed.case channel", "wrong case, other channel")
        yield* notify("Mixed.Case channel", "payload")
        const got = yield* Fiber.join(fiber).pipe(Effect.timeout("5 seconds"))
        expect(Chunk.toReadonlyArray(got)).toEqual(["payload"])
      }))

    it.effect("pg_notify inside withTransaction is delivered on COMMIT only, never on rollback", () =>
      Effect.gen(function* () {
        const pg = yield* PgClient.PgClient
        const sql = yield* SqlClient.SqlClient
        const seen: Array<string> = []
        const fiber = yield* pg.listen("gz_tx").pipe(
          Stream.runForEach((m) => Effect.sync(() => seen.push(m))),
          Effect.fork
        )
        yield* Effect.sleep("300 millis")
        yield* sql
          .withTransaction(
            Effect.gen(function* () {
              yield* notify("gz_tx", "rolled-back")
              yield* Effect.sleep("300 millis")
              return yield* Effect.fail("rollback" as const)
            })
          )
          .pipe(Effect.ignore)
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* notify("gz_tx", "committed")
            yield* Effect.sleep("300 millis")
            expect(seen).toEqual([]) // not yet: still inside the transaction
          })
        )
        yield* Effect.sleep("300 millis")
        yield* Fiber.interrupt(fiber)
        expect(seen).toEqual(["committed"])
      }))
  })
})

// ---------------------------------------------------------------------------
describe("6. connection failures (live clock)", () => {
  const connect = (config: PgClient.PgClientConfig) =>
    Effect.gen(function* () {
      const start = Date.now()
      const exit = yield* Effect.exit(Effect.scoped(Layer.build(PgClient.layer(config))))
      return { exit, ms: Date.now() - start }
    })

  const freePort = () =>
    Effect.async<number>((resume) => {
      const srv = net.createServer()
      srv.listen(0, "127.0.0.1", () => {
        const port = (srv.address() as net.AddressInfo).port
        srv.close(() => resume(Effect.succeed(port)))
      })
    })

  it.live("wrong port: layer construction fails fast with SqlError 'PgClient: Failed to connect' (ECONNREFUSED)", () =>
    Effect.gen(function* () {
      const port = yield* freePort()
      const { exit, ms } = yield* connect({ url: Redacted.make(`postgres://postgres:pw@127.0.0.1:${port}/postgres`) })
      show(`connection refused after ${ms}ms`, exit)
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isSuccess(exit)) return
      expect(exit.cause._tag).toBe("Fail")
      const e = Option.getOrThrow(Cause.failureOption(exit.cause))
      expect(e).toBeInstanceOf(SqlError)
      expect(e.message).toBe("PgClient: Failed to connect")
      expect(e.cause).toMatchObject({ code: "ECONNREFUSED", syscall: "connect", port })
      expect(pgErrorCode(e)).toBeUndefined() // not a server error
      expect(ms).toBeLessThan(1_000)
    }))

  it.live("'localhost' tries ::1 and 127.0.0.1: the cause may be an AggregateError", () =>
    Effect.gen(function* () {
      const port = yield* freePort()
      const { exit, ms } = yield* connect({ url: Redacted.make(`postgres://postgres:pw@localhost:${port}/postgres`) })
      show(`localhost refused after ${ms}ms`, exit)
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isSuccess(exit)) return
      const e = Option.getOrThrow(Cause.failureOption(exit.cause)) as SqlError
      const cause = e.cause as { code?: string; errors?: Array<{ code?: string }> }
      const codes = cause instanceof AggregateError ? cause.errors.map((x) => x.code) : [cause.code]
      expect(codes.every((c) => c === "ECONNREFUSED")).toBe(true)
    }))

  it.live("wrong password: SqlError 'PgClient: Failed to connect' with pg code 28P01", () =>
    Effect.gen(function* () {
      const u = new URL(baseUrl)
      u.password = "definitely-wrong"
      const { exit } = yield* connect({ url: Redacted.make(u.toString()) })
      expect(Exit.isFailure(exit)).toBe(true)
      expect(pgErrorCode(exit)).toBe("28P01")
    }))

  it.live("server that never answers: only an explicit connectTimeout bounds it; the default '5s' does not", () =>
    Effect.gen(function* () {
      const sockets = new Set<net.Socket>()
      const blackHole = net.createServer((s) => {
        sockets.add(s) // accept TCP, never answer the startup message (hung server / wrong proxy)
      })
      const port = yield* Effect.async<number>((resume) => {
        blackHole.listen(0, "127.0.0.1", () => resume(Effect.succeed((blackHole.address() as net.AddressInfo).port)))
      })
      const closeBlackHole = Effect.async<void>((resume) => {
        for (const s of sockets) s.destroy()
        blackHole.close(() => resume(Effect.void))
      })
      yield* Effect.addFinalizer(() => closeBlackHole)
      const url = Redacted.make(`postgres://postgres:pw@127.0.0.1:${port}/postgres`)

      // connectTimeout -> pg's connectionTimeoutMillis: fails after ~the timeout
      const short = yield* connect({ url, connectTimeout: Duration.millis(500) })
      show(`black hole, connectTimeout 500ms, after ${short.ms}ms`, short.exit)
      expect(Exit.isFailure(short.exit)).toBe(true)
      if (Exit.isFailure(short.exit)) {
        const e = Option.getOrThrow(Cause.failureOption(short.exit.cause))
        expect(e).toBeInstanceOf(SqlError)
        // pg's connectionTimeoutMillis and make()'s Effect.timeoutFail use the same duration: either wins
        expect([
          ["PgClient: Failed to connect", "Connection terminated due to connection timeout"],
          ["PgClient: Connection timed out", "Connection timed out"]
        ]).toContainEqual([e.message, (e.cause as Error).message])
      }
      expect(short.ms).toBeGreaterThanOrEqual(450)
      expect(short.ms).toBeLessThan(2_000)

      // Without connectTimeout: make() wraps an *uninterruptible* acquireRelease acquire in
      // Effect.timeoutFail(5s), which cannot interrupt it -> hangs until the socket dies.
      const background = yield* connect({ url }).pipe(Effect.fork)
      yield* Effect.sleep("6500 millis")
      expect(Option.isNone(yield* Fiber.poll(background))).toBe(true) // still hanging after 6.5s
      yield* closeBlackHole
      const late = yield* Fiber.join(background)
      show(`black hole, default timeout, finished after ${late.ms}ms (socket closed at ~6.7s)`, late.exit)
      // once the socket dies the overdue 5s timeout "wins" retroactively
      expect(Exit.isFailure(late.exit) && Option.getOrThrow(Cause.failureOption(late.exit.cause)).message).toBe(
        "PgClient: Connection timed out"
      )
      expect(late.ms).toBeGreaterThanOrEqual(6_500)
    }).pipe(Effect.scoped), 20_000)

  it.live("freshDatabase gives an isolated, droppable database", () =>
    Effect.gen(function* () {
      const a = yield* Effect.promise(() => freshDatabase(baseUrl, { prefix: "iso" }))
      const b = yield* Effect.promise(() => freshDatabase(baseUrl, { prefix: "iso" }))
      expect(a.url).not.toBe(b.url)
      const inA = Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE only_in_a (id int)`
        return yield* sql<{ db: string }>`SELECT current_database() AS db`
      }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(a.url) })))
      const inB = Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql<{ n: string }>`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'only_in_a'`
      }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(b.url) })))
      expect(yield* inA).toEqual([{ db: a.name }])
      expect(yield* inB).toEqual([{ n: "0" }])
      yield* Effect.promise(() => Promise.all([a.drop(), b.drop()]))
      yield* Effect.promise(() => a.drop()) // idempotent
      const gone = yield* connect({ url: Redacted.make(a.url) })
      expect(pgErrorCode(gone.exit)).toBe("3D000") // invalid_catalog_name
    }))
})
