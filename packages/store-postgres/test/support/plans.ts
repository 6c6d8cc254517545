/**
 * How many buffers a store method's statements touch, for tests that keep
 * plans bounded. Buffers, unlike time, do not depend on the machine.
 */
import { SqlClient, Statement } from "@effect/sql"
import { Effect, Exit } from "effect"

/** One statement a method sent: its text and the shared buffers (hit + read) its plan touched. */
export interface Explained {
  readonly sql: string
  readonly buffers: number
  readonly plan: unknown
}

class Undo {
  readonly _tag = "Undo"
}

/** Runs `effect` in a (sub)transaction that is always rolled back. */
const undone = <A, E, R>(sql: SqlClient.SqlClient, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    let result: Exit.Exit<A, E> | undefined
    const exit = yield* Effect.exit(sql.withTransaction(Effect.flatMap(Effect.exit(effect), (e) => {
      result = e
      return Effect.fail(new Undo())
    })))
    if (result === undefined) return yield* Effect.die(Exit.isFailure(exit) ? exit.cause : "no result")
    return yield* result
  })

/**
 * Runs a store method, sending each of its statements first as
 * `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` in a savepoint that is rolled back,
 * then for real; the whole call is rolled back too. A first run of the method
 * on the same connection, also rolled back, warms its caches (functions and
 * triggers compiled), so only the plans count. Returns the method's result and
 * its statements' plans. BEFORE ROW triggers count in their statement's plan;
 * AFTER triggers and foreign-key checks do not.
 */
export const explain = <A, E, R>(method: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const explained: Array<Explained> = []
    const transformer: Statement.Statement.Transformer = (self) =>
      Effect.gen(function* () {
        const [text, params] = self.compile()
        const [row] = yield* undone(sql, sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, params)).pipe(
          Statement.withTransformerDisabled,
          Effect.orDie
        )
        const plan = (row as Record<string, unknown>)["QUERY PLAN"] as ReadonlyArray<{ Plan: Record<string, number> }>
        const top = plan[0]!.Plan
        explained.push({ sql: text, buffers: (top["Shared Hit Blocks"] ?? 0) + (top["Shared Read Blocks"] ?? 0), plan })
        return self
      })
    const result = yield* undone(sql, Effect.zipRight(Effect.exit(undone(sql, method)), Statement.withTransformer(method, transformer)))
    return { result, explained }
  })

/** The buffers of the one statement whose text contains `fragment` (identifiers compared without their quotes). */
export const buffersOf = (explained: ReadonlyArray<Explained>, fragment: string): number => {
  const found = explained.filter((x) => x.sql.replaceAll('"', "").includes(fragment))
  if (found.length !== 1) {
    throw new Error(`expected one statement with ${JSON.stringify(fragment)}, got: ${explained.map((x) => x.sql.slice(0, 80)).join(" | ")}`)
  }
  return found[0]!.buffers
}
