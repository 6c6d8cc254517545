/**
 * The `Transaction` port: runs an effect all-or-nothing across every store it
 * touches, journal included.
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import type { StoreUnavailable } from "./errors.js"

/**
 * Runs an effect all-or-nothing. If the effect fails, dies or is interrupted,
 * every write made through the adapter's stores inside it is undone. Nested
 * calls join the outer transaction (PostgreSQL: a savepoint).
 *
 * @since 0.1.0
 * @category ports
 */
export class Transaction extends Context.Tag("@gongzhi/core/Transaction")<
  Transaction,
  {
    readonly run: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreUnavailable, R>
  }
>() {}

/**
 * Runs `effect` inside the adapter's transaction.
 *
 * @since 0.1.0
 * @category transactions
 */
export const transactionally = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | StoreUnavailable, R | Transaction> => Effect.flatMap(Transaction, (tx) => tx.run(effect))

/**
 * The kernel's own storage ports. The ports of every module are composed
 * with them outside the kernel, in `StoragePorts` (`src/modules.ts`), so a new
 * module never edits the kernel.
 *
 * @since 0.2.0
 * @category ports
 */
export type KernelPorts =
  | import("./directory.js").Directory
  | import("./journal.js").JournalStore
  | import("./subscribers.js").SubscriptionStore
  | import("./ledger.js").LedgerStore
  | import("./calendar-years.js").CalendarStore
  | Transaction
