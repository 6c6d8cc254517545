/**
 * The fund's store on PostgreSQL (tables in migration 0014): every table
 * derived from the module's entity declarations. Row locks (`get` with
 * `lock: "update"`) serialise concurrent approvals and payments of one
 * expense; versioned updates refuse a stale write.
 *
 * @since 0.2.0
 */
import { PgClient } from "@effect/sql-pg"
import { Fund } from "@gongzhi/core"
import { Context, Effect } from "effect"
import { pgEntityTable } from "./entity.js"
import type { PgModuleStoreFactory } from "./modules.js"

/**
 * The PostgreSQL adapter's `FundStore`.
 *
 * @since 0.2.0
 * @category stores
 */
export const makeFundStore: PgModuleStoreFactory<Fund.FundStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const e = Fund.fundEntities
  return Context.make(
    Fund.FundStore,
    Fund.FundStore.of({
      funds: pgEntityTable(sql, e.funds),
      budgets: pgEntityTable(sql, e.budgets),
      expenses: pgEntityTable(sql, e.expenses),
      bills: pgEntityTable(sql, e.bills),
      payments: pgEntityTable(sql, e.payments),
      income: pgEntityTable(sql, e.income),
      partnerShares: pgEntityTable(sql, e.partnerShares),
      costShares: pgEntityTable(sql, e.costShares),
      postings: pgEntityTable(sql, e.postings),
      statements: pgEntityTable(sql, e.statements),
      objections: pgEntityTable(sql, e.objections),
      contracts: pgEntityTable(sql, e.contracts),
      settlements: pgEntityTable(sql, e.settlements),
      notices: pgEntityTable(sql, e.notices)
    })
  )
})
