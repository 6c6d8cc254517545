/**
 * Helpers for PostgreSQL errors as they surface through @effect/sql-pg 0.53.
 *
 * Shape (verified in test/smoke.test.ts):
 *   SqlError { _tag: "SqlError", message: "Failed to execute statement", cause: DatabaseError }
 *   DatabaseError (from pg-protocol) { code: "23505", severity, detail, constraint, table, schema, ... }
 *
 * A statement error is a typed failure (E = SqlError). A failing COMMIT inside
 * `sql.withTransaction` (deferred constraint, 40001 at commit) is a *defect*:
 * `Effect.orDie(commit)` in @effect/sql 0.52's makeWithTransaction.
 */
import { SqlError } from "@effect/sql/SqlError"
import { Cause, Effect, Exit, Option } from "effect"

/** SQLSTATE codes we care about. https://www.postgresql.org/docs/current/errcodes-appendix.html */
export const SqlState = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  notNullViolation: "23502",
  checkViolation: "23514",
  exclusionViolation: "23P01",
  serializationFailure: "40001",
  deadlockDetected: "40P01",
  inFailedTransaction: "25P02",
  lockNotAvailable: "55P03",
  queryCanceled: "57014",
  adminShutdown: "57P01",
  cannotConnectNow: "57P03"
} as const

/** The `pg` DatabaseError fields we use (pg-protocol's DatabaseError). */
export interface PgDatabaseError extends Error {
  readonly code: string
  readonly severity?: string | undefined
  readonly detail?: string | undefined
  readonly hint?: string | undefined
  readonly constraint?: string | undefined
  readonly table?: string | undefined
  readonly column?: string | undefined
  readonly schema?: string | undefined
}

const SQLSTATE = /^[0-9A-Z]{5}$/
const SqlErrorTypeId = Symbol.for("@effect/sql/SqlError")

/** True for any @effect/sql error (SqlError / ResultLengthMismatch), even across duplicated module copies. */
export const isSqlError = (u: unknown): u is SqlError =>
  u instanceof SqlError || (typeof u === "object" && u !== null && SqlErrorTypeId in u)

const isPgDatabaseError = (u: unknown): u is PgDatabaseError =>
  typeof u === "object" &&
  u !== null &&
  typeof (u as { code?: unknown }).code === "string" &&
  SQLSTATE.test((u as { code: string }).code) &&
  // pg's DatabaseError always carries severity; node errno codes (e.g. "EPIPE") do not
  "severity" in u

/**
 * Finds the server-side error anywhere in: a pg DatabaseError, a SqlError (`.cause`),
 * any `.cause` chain, an AggregateError, an Effect `Cause` or `Exit` (failures first,
 * then defects) or a FiberFailure thrown by `Effect.runPromise`.
 */
export function findPgError(e: unknown): PgDatabaseError | undefined {
  const seen = new Set<unknown>()
  const go = (u: unknown, depth: number): PgDatabaseError | undefined => {
    if (depth > 10 || typeof u !== "object" || u === null || seen.has(u)) return undefined
    seen.add(u)
    if (isPgDatabaseError(u)) return u
    if (Exit.isExit(u)) return Exit.isFailure(u) ? go(u.cause, depth + 1) : undefined
    if (Cause.isCause(u)) {
      for (const f of Cause.failures(u)) {
        const r = go(f, depth + 1)
        if (r) return r
      }
      for (const d of Cause.defects(u)) {
        const r = go(d, depth + 1)
        if (r) return r
      }
      return undefined
    }
    // FiberFailure (Effect.runPromise rejection) keeps the Cause under a symbol
    const fiberFailureCause = (u as Record<symbol, unknown>)[Symbol.for("effect/Runtime/FiberFailure/Cause")]
    if (fiberFailureCause !== undefined) {
      const r = go(fiberFailureCause, depth + 1)
      if (r) return r
    }
    if (u instanceof AggregateError) {
      for (const inner of u.errors) {
        const r = go(inner, depth + 1)
        if (r) return r
      }
    }
    return "cause" in u ? go((u as { cause: unknown }).cause, depth + 1) : undefined
  }
  return go(e, 0)
}

/** SQLSTATE of the PostgreSQL error inside `e` (SqlError, Cause, Exit, ...), if any. */
export function pgErrorCode(e: unknown): string | undefined {
  return findPgError(e)?.code
}

export const isUniqueViolation = (e: unknown): boolean => pgErrorCode(e) === SqlState.uniqueViolation

/** 40001 / 40P01: the whole transaction may be retried. */
export const isRetryableTransactionError = (e: unknown): boolean => {
  const code = pgErrorCode(e)
  return code === SqlState.serializationFailure || code === SqlState.deadlockDetected
}

/**
 * Turns a SqlError *defect* (what a failed COMMIT/ROLLBACK becomes inside
 * `sql.withTransaction` in @effect/sql 0.52) back into a typed failure, so that
 * `catchTag("SqlError")`, `Effect.retry` etc. see it. Wrap it around the
 * `withTransaction(...)` call. Other defects stay defects.
 */
export const commitDefectsAsFailures = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
  Effect.catchSomeDefect(self, (defect) => (isSqlError(defect) ? Option.some(Effect.fail(defect)) : Option.none()))

/**
 * Retries a whole transaction on serialization failure / deadlock, including
 * ones raised at COMMIT. `transaction` must be the complete
 * `sql.withTransaction(...)` effect so that every attempt starts a new transaction.
 */
export const retryOnSerializationFailure = <A, E, R>(
  transaction: Effect.Effect<A, E, R>,
  times = 5
): Effect.Effect<A, E | SqlError, R> =>
  commitDefectsAsFailures(transaction).pipe(Effect.retry({ times, while: isRetryableTransactionError }))
