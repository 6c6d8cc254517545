/**
 * The fund's store in memory: every table derived from the module's entity
 * declarations.
 *
 * @since 0.2.0
 */
import { Fund } from "@gongzhi/core"
import { Context } from "effect"
import { memoryEntityTable } from "./entity.js"
import type { ModuleStoreFactory } from "./modules.js"

/**
 * The memory adapter's `FundStore`.
 *
 * @since 0.2.0
 * @category stores
 */
export const makeFundStore: ModuleStoreFactory<Fund.FundStore> = (db, run) => {
  const e = Fund.fundEntities
  return Context.make(
    Fund.FundStore,
    Fund.FundStore.of({
      funds: memoryEntityTable(db, run, e.funds),
      budgets: memoryEntityTable(db, run, e.budgets),
      expenses: memoryEntityTable(db, run, e.expenses),
      bills: memoryEntityTable(db, run, e.bills),
      payments: memoryEntityTable(db, run, e.payments),
      income: memoryEntityTable(db, run, e.income),
      partnerShares: memoryEntityTable(db, run, e.partnerShares),
      costShares: memoryEntityTable(db, run, e.costShares),
      postings: memoryEntityTable(db, run, e.postings),
      statements: memoryEntityTable(db, run, e.statements),
      objections: memoryEntityTable(db, run, e.objections),
      contracts: memoryEntityTable(db, run, e.contracts),
      settlements: memoryEntityTable(db, run, e.settlements),
      notices: memoryEntityTable(db, run, e.notices)
    })
  )
}
