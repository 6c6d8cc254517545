/**
 * The module stores of the PostgreSQL adapter. Each module has its store in
 * its own file (and its tables in its own migration) and is registered here.
 *
 * @since 0.1.0
 */
import type { PgClient } from "@effect/sql-pg"
import type { Context, Effect } from "effect"
import { makeIncentiveStore } from "./incentives.js"
import { makeIssueStore } from "./issues.js"
import { makeNotificationStore } from "./notifications.js"
import { makeTimeBankStore } from "./timebank.js"
import { makeVotingStore } from "./voting.js"

/**
 * Builds one module's store over the adapter's `PgClient`. Store methods join
 * the caller's transaction automatically (the client tracks it per fiber).
 *
 * @since 0.1.0
 * @category internals
 */
export type PgModuleStoreFactory<S> = Effect.Effect<Context.Context<S>, never, PgClient.PgClient>

/**
 * Every module store the PostgreSQL adapter provides.
 *
 * @since 0.1.0
 * @category layers
 */
export type PgModuleStores =
  | never
  | import("@gongzhi/core").Voting.VotingStore
  | import("@gongzhi/core").Issues.IssueStore
  | import("@gongzhi/core").Incentives.IncentiveStore
  | import("@gongzhi/core").TimeBank.TimeBankStore
  | import("@gongzhi/core").Notifications.NotificationStore

/**
 * The module store factories, one per module.
 *
 * @since 0.1.0
 * @category internals
 */
// Each factory provides one member of `PgModuleStores`; together they provide all
// of it (a `Context` is contravariant in its services, hence the widening casts).
export const pgModuleStores: ReadonlyArray<PgModuleStoreFactory<PgModuleStores>> = [
  makeVotingStore as PgModuleStoreFactory<PgModuleStores>,
  makeIssueStore as PgModuleStoreFactory<PgModuleStores>,
  makeIncentiveStore as PgModuleStoreFactory<PgModuleStores>,
  makeTimeBankStore as PgModuleStoreFactory<PgModuleStores>,
  makeNotificationStore as PgModuleStoreFactory<PgModuleStores>,
]
