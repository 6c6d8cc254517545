/**
 * The module stores of the memory adapter. Each module (voting, issues,
 * incentives, ...) has its store in its own file here, built on the shared
 * {@link MemoryDatabase} and transaction runner, and is registered below.
 *
 * @since 0.1.0
 */
import type { Context, Effect } from "effect"
import type { MemoryDatabase } from "./database.js"
import { makeIncentiveStore } from "./incentives.js"
import { makeIssueStore } from "./issues.js"
import { makeNotificationStore } from "./notifications.js"
import { makeTimeBankStore } from "./timebank.js"
import { makeVotingStore } from "./voting.js"

/**
 * Runs an effect inside the memory database's transaction (joining the
 * caller's if there is one).
 *
 * @since 0.1.0
 * @category internals
 */
export type MemoryRunner = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/**
 * Builds one module's store over the shared database.
 *
 * @since 0.1.0
 * @category internals
 */
export type ModuleStoreFactory<S> = (db: MemoryDatabase, run: MemoryRunner) => Context.Context<S>

/**
 * Every module store the memory adapter provides.
 *
 * @since 0.1.0
 * @category layers
 */
export type ModuleStores =
  | never
  | import("@gongzhi/core").TimeBank.TimeBankStore
  | import("@gongzhi/core").Incentives.IncentiveStore
  | import("@gongzhi/core").Voting.VotingStore
  | import("@gongzhi/core").Issues.IssueStore
  | import("@gongzhi/core").Notifications.NotificationStore

/**
 * The module store factories, one per module.
 *
 * @since 0.1.0
 * @category internals
 */
// Each factory provides one member of `ModuleStores`; together they provide all
// of it (a `Context` is contravariant in its services, hence the widening casts).
export const moduleStores: ReadonlyArray<ModuleStoreFactory<ModuleStores>> = [
  makeTimeBankStore as ModuleStoreFactory<ModuleStores>,
  makeIncentiveStore as ModuleStoreFactory<ModuleStores>,
  makeVotingStore as ModuleStoreFactory<ModuleStores>,
  makeIssueStore as ModuleStoreFactory<ModuleStores>,
  makeNotificationStore as ModuleStoreFactory<ModuleStores>
]
