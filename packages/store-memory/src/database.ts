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
  private readonly tables = new Map<string, Table>()
  private undoLog: Array<() => void> = []

  private table(name: string): Table {
    let t = this.tables.get(name)
    if (t === undefined) {
      t = { rows: new Map(), byPrefix: new Map() }
      this.tables.set(name, t)
    }
    return t
  }

  /** @since 0.1.0 */
  get<A>(table: string, key: string): A | undefined {
    return this.tables.get(table)?.rows.get(key) as A | undefined
  }

  /** @since 0.1.0 */
  has(table: string, key: string): boolean {
    return this.tables.get(table)?.rows.has(key) ?? false
  }

  /** @since 0.1.0 */
  set<A>(table: string, key: string, value: A): void {
    const t = this.table(table)
    const had = t.rows.has(key)
    const prev = t.rows.get(key)
    put(t, key, value)
    this.undoLog.push(() => {
      if (had) put(t, key, prev)
      else remove(t, key)
    })
  }

  /** @since 0.1.0 */
  delete(table: string, key: string): void {
    const t = this.table(table)
    if (!t.rows.has(key)) return
    const prev = t.rows.get(key)
    remove(t, key)
    this.undoLog.push(() => put(t, key, prev))
  }

  /**
   * Records of a table in insertion order, optionally only keys with a
   * prefix. A prefix that ends with a key separator (`"\u0000"`, as every
   * store's keys are built) is answered from an index in time proportional
   * to the records returned; any other prefix scans the table.
   *
   * @since 0.1.0
   */
  values<A>(table: string, prefix?: string): Array<A> {
    const t = this.tables.get(table)
    if (t === undefined) return []
    const out: Array<A> = []
    if (prefix === undefined) {
      for (const v of t.rows.values()) out.push(v as A)
    } else if (prefix.endsWith(SEPARATOR)) {
      const keys = t.byPrefix.get(prefix)
      if (keys !== undefined) for (const k of keys) out.push(t.rows.get(k) as A)
    } else {
      for (const [k, v] of t.rows) if (k.startsWith(prefix)) out.push(v as A)
    }
    return out
  }

  /** Names of the tables that were ever written. @since 0.1.0 */
  tableNames(): Array<string> {
    return [...this.tables.keys()]
  }

  /** Names of keys of a table. @since 0.1.0 */
  keys(table: string): Array<string> {
    return [...(this.tables.get(table)?.rows.keys() ?? [])]
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

/** What separates the parts of a composite key. */
const SEPARATOR = "\u0000"

/**
 * A table: its records by key, in insertion order, and for every prefix of a
 * key that ends with a separator, the keys under it (also in insertion
 * order: a `Set` and the `Map` gain and lose a key together).
 */
interface Table {
  readonly rows: Map<string, unknown>
  readonly byPrefix: Map<string, Set<string>>
}

const put = (t: Table, key: string, value: unknown): void => {
  if (!t.rows.has(key)) {
    for (let i = key.indexOf(SEPARATOR); i !== -1; i = key.indexOf(SEPARATOR, i + 1)) {
      const prefix = key.slice(0, i + 1)
      let keys = t.byPrefix.get(prefix)
      if (keys === undefined) {
        keys = new Set()
        t.byPrefix.set(prefix, keys)
      }
      keys.add(key)
    }
  }
  t.rows.set(key, value)
}

const remove = (t: Table, key: string): void => {
  if (!t.rows.delete(key)) return
  for (let i = key.indexOf(SEPARATOR); i !== -1; i = key.indexOf(SEPARATOR, i + 1)) {
    const prefix = key.slice(0, i + 1)
    const keys = t.byPrefix.get(prefix)
    if (keys === undefined) continue
    keys.delete(key)
    if (keys.size === 0) t.byPrefix.delete(prefix)
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
