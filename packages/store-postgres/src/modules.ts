/**
 * The module stores of the PostgreSQL adapter. Each module has its store in
 * its own file (and its tables in its own migration) and is registered here.
 *
 * @since 0.1.0
 */
import type { PgClient } from "@effect/sql-pg"
import type { Context, Effect } from "effect"
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

/**
 * The module store factories, one per module.
 *
 * @since 0.1.0
 * @category internals
 */
export const pgModuleStores: ReadonlyArray<PgModuleStoreFactory<PgModuleStores>> = [
  makeVotingStore
]
