/**
 * The in-memory database behind every port: tables of keyed records, an undo
 * log for rollback, and one lock that serialises transactions.
 *
 * @since 0.1.0
 */
import { Effect, Exit, FiberRef } from "effect"

/**
 * Tables of records with an undo log. Writes inside a transaction record how
 * to undo them; a failed transaction (or savepoint) replays the log backwards,
 * so state is exactly as before.
 *
 * @since 0.1.0
 * @category internals
 */
export class MemoryDatabase {
  private readonly tables = new Map<string, Map<string, unknown>>()
  private undoLog: Array<() => void> = []

  private table(name: string): Map<string, unknown> {
    let t = this.tables.get(name)
    if (t === undefined) {
      t = new Map()
      this.tables.set(name, t)
    }
    return t
  }

  /** @since 0.1.0 */
  get<A>(table: string, key: string): A | undefined {
    return this.tables.get(table)?.get(key) as A | undefined
  }

  /** @since 0.1.0 */
  has(table: string, key: string): boolean {
    return this.tables.get(table)?.has(key) ?? false
  }

  /** @since 0.1.0 */
  set<A>(table: string, key: string, value: A): void {
    const t = this.table(table)
    const had = t.has(key)
    const prev = t.get(key)
    t.set(key, value)
    this.undoLog.push(() => {
      if (had) t.set(key, prev)
      else t.delete(key)
    })
  }

  /** @since 0.1.0 */
  delete(table: string, key: string): void {
    const t = this.table(table)
    if (!t.has(key)) return
    const prev = t.get(key)
    t.delete(key)
    this.undoLog.push(() => t.set(key, prev))
  }

  /** Records of a table in insertion order, optionally only keys with a prefix. @since 0.1.0 */
  values<A>(table: string, prefix?: string): Array<A> {
    const t = this.tables.get(table)
    if (t === undefined) return []
    const out: Array<A> = []
    for (const [k, v] of t) if (prefix === undefined || k.startsWith(prefix)) out.push(v as A)
    return out
  }

  /** Names of keys of a table. @since 0.1.0 */
  keys(table: string): Array<string> {
    return [...(this.tables.get(table)?.keys() ?? [])]
  }

  /** @since 0.1.0 */
  mark(): number {
    return this.undoLog.length
  }

  /** @since 0.1.0 */
  rollbackTo(mark: number): void {
    while (this.undoLog.length > mark) this.undoLog.pop()!()
  }

  /** Forget the undo log once the outermost transaction committed. @since 0.1.0 */
  release(mark: number): void {
    if (mark === 0) this.undoLog = []
  }
}

/**
 * Builds the transaction runner for a database: one lock (transactions are
 * serialised), nested calls are savepoints.
 *
 * @since 0.1.0
 * @category internals
 */
export const makeTransactor = Effect.gen(function* () {
  const lock = yield* Effect.makeSemaphore(1)
  const inside = yield* FiberRef.make(false)
  return (db: MemoryDatabase) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.flatMap(FiberRef.get(inside), (nested) => {
        const guarded = Effect.suspend(() => {
          const mark = db.mark()
          return effect.pipe(
            Effect.onExit((exit) =>
              Effect.sync(() => {
                if (Exit.isSuccess(exit)) {
                  if (!nested) db.release(mark)
                } else db.rollbackTo(mark)
              })
            )
          )
        })
        return nested ? guarded : lock.withPermits(1)(Effect.locally(guarded, inside, true))
      })
})
