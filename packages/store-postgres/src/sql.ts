/**
 * How the adapter talks to PostgreSQL: error mapping and the transaction
 * runner.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { Conflict, NotFound, StoreUnavailable } from "@gongzhi/core"
import { Duration, Effect, FiberRef, Option, Schedule } from "effect"
import { commitDefectsAsFailures, findPgError, isRetryableTransactionError, isSqlError, SqlState } from "./pg-errors.js"

/**
 * Whether a PostgreSQL failure means "the store cannot serve now" (connection
 * lost, server shutting down, timeout, too many connections, serialization
 * failure) rather than a bug in a statement.
 *
 * @since 0.1.0
 * @category errors
 */
export const isUnavailable = (error: unknown): boolean => {
  const pg = findPgError(error)
  if (pg === undefined) return true // no server error: connection refused, reset, pool timeout
  const cls = pg.code.slice(0, 2)
  return (
    cls === "08" || // connection exception
    cls === "53" || // insufficient resources
    cls === "57" || // operator intervention: query_canceled (statement timeout), admin shutdown
    pg.code === SqlState.serializationFailure ||
    pg.code === SqlState.deadlockDetected ||
    pg.code === SqlState.lockNotAvailable
  )
}

/**
 * The typed error a violated database constraint becomes, or `undefined` when
 * the failure is not a constraint violation. Every integrity violation
 * (SQLSTATE class 23: unique, foreign key, not null, check, exclusion, and
 * the invariant triggers, which raise 23514) and the append-only guards
 * (42501 raised by `gz_forbid_change`) are covered: a foreign key names a
 * record that is not there (`NotFound`), anything else lost a race or
 * contradicts a stored record (`Conflict`). The constraint's name is the id;
 * no value from the row is echoed (it may be a phone number).
 *
 * The core checks each of these before it writes, with a more precise typed
 * error; this mapping is the net under it, so no constraint is ever a defect.
 *
 * @since 0.2.0
 * @category errors
 */
export const constraintError = (error: unknown): Conflict | NotFound | undefined => {
  const pg = findPgError(error)
  if (pg === undefined) return undefined
  const entity = pg.table ?? "record"
  const id = pg.constraint ?? pg.table ?? "constraint"
  if (pg.code === SqlState.foreignKeyViolation) return new NotFound({ entity: `${entity} reference`, id })
  if (pg.code.startsWith("23")) {
    const what = {
      [SqlState.uniqueViolation]: "duplicate",
      [SqlState.notNullViolation]: "a required value is missing",
      [SqlState.checkViolation]: "an invariant would be broken",
      [SqlState.exclusionViolation]: "overlaps a stored record"
    }[pg.code] ?? "an integrity rule would be broken"
    return new Conflict({ entity, id, detail: `${what} (${id})` })
  }
  if (pg.code === "42501" && /is append-only$/.test(pg.message)) {
    return new Conflict({ entity, id: entity, detail: "history is append-only" })
  }
  return undefined
}

/**
 * Maps a failed statement: unavailability becomes `StoreUnavailable` (with
 * the cause), a violated constraint its typed error ({@link constraintError}),
 * anything else is a defect (a statement bug).
 *
 * @since 0.1.0
 * @category errors
 */
export const mapSqlError =
  (operation: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, { readonly _tag: "SqlError" }> | StoreUnavailable, R> =>
    Effect.catchIf(
      effect,
      (e): e is Extract<E, { readonly _tag: "SqlError" }> => isSqlError(e),
      (e) => {
        if (isUnavailable(e)) return Effect.fail(new StoreUnavailable({ operation, cause: e }))
        // Typed, though a port's signature may not list it: writes that can meet a
        // constraint declare Conflict; reads never violate one.
        const violated = constraintError(e)
        return violated === undefined ? Effect.die(e) : (Effect.fail(violated) as never)
      }
    ) as never

/**
 * Maps a unique violation of one of `constraints` to `onDuplicate`, other
 * failures as {@link mapSqlError}.
 *
 * @since 0.1.0
 * @category errors
 */
export const onUniqueViolation =
  <D>(operation: string, onDuplicate: (constraint: string | undefined) => D) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.catchIf(
      effect,
      (e) => isSqlError(e) && findPgError(e)?.code === SqlState.uniqueViolation,
      (e) => Effect.fail(onDuplicate(findPgError(e)?.constraint))
    ).pipe(mapSqlError(operation))

/**
 * Maps a unique violation of one of the named constraints to its typed
 * error; any other failure (other constraints included) as {@link mapSqlError}.
 *
 * @since 0.1.0
 * @category errors
 */
export const onUniqueViolationOf =
  <D>(operation: string, byConstraint: Readonly<Record<string, () => D>>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.catchIf(
      effect,
      (e) => {
        if (!isSqlError(e)) return false
        const pg = findPgError(e)
        return pg?.code === SqlState.uniqueViolation && pg.constraint !== undefined && Object.hasOwn(byConstraint, pg.constraint)
      },
      (e) => Effect.fail(byConstraint[findPgError(e)!.constraint!]!())
    ).pipe(mapSqlError(operation))

/**
 * `UPDATE table SET <the other columns> WHERE <the key columns>` for one row
 * given as columns; fails with `onMissing()` when no row has that key.
 *
 * @since 0.1.0
 * @category statements
 */
export const updateRow = <M>(
  sql: SqlClient.SqlClient,
  operation: string,
  table: string,
  keys: ReadonlyArray<string>,
  row: Readonly<Record<string, unknown>>,
  onMissing: () => M
): Effect.Effect<void, M | StoreUnavailable> => {
  const set = Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)))
  const where = keys.map((k) => sql`${sql(k)} = ${row[k] as string}`)
  return sql`UPDATE ${sql(table)} SET ${sql.update(set)} WHERE ${sql.and(where)} RETURNING 1 AS updated`.pipe(
    mapSqlError(operation),
    Effect.flatMap((rows) => (rows.length === 0 ? Effect.fail(onMissing()) : Effect.void))
  )
}

/**
 * Options of the transaction runner.
 *
 * @since 0.1.0
 * @category transactions
 */
export interface TransactionOptions {
  /** Attempts for a transaction that hits a serialization failure or deadlock (default 8). */
  readonly attempts?: number
}

/**
 * Builds `Transaction.run` on an SqlClient: the outermost call is a real
 * transaction, retried as a whole (bounded, with jittered backoff) on
 * serialization failures and deadlocks, including ones raised by COMMIT
 * (which @effect/sql 0.52 reports as a defect); nested calls are savepoints.
 *
 * @since 0.1.0
 * @category transactions
 */
export const makeTransactionRunner = (sql: SqlClient.SqlClient, options: TransactionOptions = {}) => {
  const inside = FiberRef.unsafeMake(false)
  const attempts = Math.max(1, options.attempts ?? 8)
  const retry = Schedule.exponential(Duration.millis(2)).pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(attempts - 1))
  )
  return <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreUnavailable, R> =>
    Effect.flatMap(FiberRef.get(inside), (nested) => {
      if (nested) return sql.withTransaction(effect).pipe(mapSqlError("savepoint")) as Effect.Effect<A, E | StoreUnavailable, R>
      const once = sql.withTransaction(Effect.locally(effect, inside, true)).pipe(
        // A failed COMMIT (or ROLLBACK) surfaces as a defect: make it a failure again.
        commitDefectsAsFailures,
        mapSqlError("transaction")
      )
      return Effect.retry(once, {
        schedule: retry,
        while: (e) => (e as { _tag?: unknown })?._tag === "StoreUnavailable" && isRetryableTransactionError((e as StoreUnavailable).cause)
      }) as Effect.Effect<A, E | StoreUnavailable, R>
    })
}

/**
 * A conflict reported by the database as a unique violation.
 *
 * @since 0.1.0
 * @category errors
 */
export const duplicateConflict = (entity: string, id: string) => (constraint: string | undefined) =>
  new Conflict({ entity, id, detail: `duplicate (${constraint ?? "unique constraint"})` })

/**
 * Whether the current fiber runs inside a transaction: store methods lock the
 * rows they read (`FOR UPDATE`) only then, so plain queries (reports, read
 * replicas) never take locks.
 *
 * @since 0.1.0
 * @category transactions
 */
export const inTransaction: Effect.Effect<boolean> = Effect.map(
  Effect.serviceOption(SqlClient.TransactionConnection),
  Option.isSome
)
