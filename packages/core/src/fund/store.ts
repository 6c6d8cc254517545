/**
 * The fund's repository port. Balances live in the kernel's ledger; this
 * store keeps the fund's records, each declared once with `defineEntity` so
 * that every adapter derives its table (memory and PostgreSQL, migration
 * 0014) and the conformance suite derives its cases.
 *
 * @since 0.2.0
 */
import { Context } from "effect"
import { defineEntity, type EntityTable } from "../kernel/entity.js"
import {
  ArrearsNotice,
  Bill,
  Budget,
  CostShare,
  Expense,
  Fund,
  FundPosting,
  Income,
  Objection,
  PartnerShare,
  Payment,
  Settlement,
  Statement,
  TrusteeContract
} from "./model.js"

/**
 * Funds.
 *
 * @since 0.2.0
 * @category entities
 */
export const FundEntity = defineEntity({
  name: "Fund",
  table: "gz_fund_funds",
  schema: Fund,
  key: ["communityId", "id"],
  version: "version"
})

/**
 * Yearly budgets.
 *
 * @since 0.2.0
 * @category entities
 */
export const BudgetEntity = defineEntity({
  name: "FundBudget",
  table: "gz_fund_budgets",
  schema: Budget,
  key: ["communityId", "fundId", "year"],
  version: "version"
})

/**
 * Expenses; an idempotency key is unique in the community.
 *
 * @since 0.2.0
 * @category entities
 */
export const ExpenseEntity = defineEntity({
  name: "FundExpense",
  table: "gz_fund_expenses",
  schema: Expense,
  key: ["communityId", "id"],
  unique: [{ name: "gz_fund_expenses_idempotency", fields: ["communityId", "idempotencyKey"] }],
  version: "version",
  order: ["requestedAt"]
})

/**
 * Bills; `ref` is unique per fund and household.
 *
 * @since 0.2.0
 * @category entities
 */
export const BillEntity = defineEntity({
  name: "FundBill",
  table: "gz_fund_bills",
  schema: Bill,
  key: ["communityId", "id"],
  unique: [{ name: "gz_fund_bills_ref", fields: ["communityId", "fundId", "householdId", "ref"] }],
  version: "version",
  order: ["dueDate"]
})

/**
 * Household payments.
 *
 * @since 0.2.0
 * @category entities
 */
export const PaymentEntity = defineEntity({
  name: "FundPayment",
  table: "gz_fund_payments",
  schema: Payment,
  key: ["communityId", "id"],
  unique: [{ name: "gz_fund_payments_idempotency", fields: ["communityId", "idempotencyKey"] }],
  order: ["paidAt"]
})

/**
 * Other income (donations, subsidies, ...).
 *
 * @since 0.2.0
 * @category entities
 */
export const IncomeEntity = defineEntity({
  name: "FundIncome",
  table: "gz_fund_income",
  schema: Income,
  key: ["communityId", "id"],
  unique: [{ name: "gz_fund_income_idempotency", fields: ["communityId", "idempotencyKey"] }],
  order: ["receivedAt"]
})

/**
 * Partner profit shares (receivables).
 *
 * @since 0.2.0
 * @category entities
 */
export const PartnerShareEntity = defineEntity({
  name: "FundPartnerShare",
  table: "gz_fund_partner_shares",
  schema: PartnerShare,
  key: ["communityId", "id"],
  unique: [{ name: "gz_fund_partner_shares_period", fields: ["communityId", "fundId", "partner", "period"] }],
  version: "version",
  order: ["reportedAt"]
})

/**
 * Cost-sharing plans turned into receivables, one per proposal.
 *
 * @since 0.2.0
 * @category entities
 */
export const CostShareEntity = defineEntity({
  name: "FundCostShare",
  table: "gz_fund_cost_shares",
  schema: CostShare,
  key: ["communityId", "proposalId"]
})

/**
 * Public postings, one per ledger transaction of a fund.
 *
 * @since 0.2.0
 * @category entities
 */
export const PostingEntity = defineEntity({
  name: "FundPosting",
  table: "gz_fund_postings",
  schema: FundPosting,
  key: ["communityId", "txId"],
  order: ["postedAt"]
})

/**
 * Published monthly statements.
 *
 * @since 0.2.0
 * @category entities
 */
export const StatementEntity = defineEntity({
  name: "FundStatement",
  table: "gz_fund_statements",
  schema: Statement,
  key: ["communityId", "fundId", "period"]
})

/**
 * Objections to postings.
 *
 * @since 0.2.0
 * @category entities
 */
export const ObjectionEntity = defineEntity({
  name: "FundObjection",
  table: "gz_fund_objections",
  schema: Objection,
  key: ["communityId", "id"],
  version: "version",
  order: ["raisedAt"]
})

/**
 * Trustee contracts, one per fund.
 *
 * @since 0.2.0
 * @category entities
 */
export const TrusteeContractEntity = defineEntity({
  name: "FundTrusteeContract",
  table: "gz_fund_trustee_contracts",
  schema: TrusteeContract,
  key: ["communityId", "fundId"],
  version: "version"
})

/**
 * Monthly trustee settlements, one per fund and period.
 *
 * @since 0.2.0
 * @category entities
 */
export const SettlementEntity = defineEntity({
  name: "FundSettlement",
  table: "gz_fund_settlements",
  schema: Settlement,
  key: ["communityId", "fundId", "period"]
})

/**
 * Arrears notices with their appeals.
 *
 * @since 0.2.0
 * @category entities
 */
export const ArrearsNoticeEntity = defineEntity({
  name: "FundArrearsNotice",
  table: "gz_fund_arrears_notices",
  schema: ArrearsNotice,
  key: ["communityId", "id"],
  version: "version",
  order: ["noticedAt"]
})

/**
 * Every entity of the fund, for adapters and the conformance suite.
 *
 * @since 0.2.0
 * @category entities
 */
export const fundEntities = {
  funds: FundEntity,
  budgets: BudgetEntity,
  expenses: ExpenseEntity,
  bills: BillEntity,
  payments: PaymentEntity,
  income: IncomeEntity,
  partnerShares: PartnerShareEntity,
  costShares: CostShareEntity,
  postings: PostingEntity,
  statements: StatementEntity,
  objections: ObjectionEntity,
  contracts: TrusteeContractEntity,
  settlements: SettlementEntity,
  notices: ArrearsNoticeEntity
} as const

/**
 * The fund's storage port: one derived table per entity. Every method joins
 * the caller's transaction.
 *
 * @since 0.2.0
 * @category ports
 */
export class FundStore extends Context.Tag("@gongzhi/core/FundStore")<
  FundStore,
  {
    readonly funds: EntityTable<Fund, "id">
    readonly budgets: EntityTable<Budget, "fundId" | "year">
    readonly expenses: EntityTable<Expense, "id">
    readonly bills: EntityTable<Bill, "id">
    readonly payments: EntityTable<Payment, "id">
    readonly income: EntityTable<Income, "id">
    readonly partnerShares: EntityTable<PartnerShare, "id">
    readonly costShares: EntityTable<CostShare, "proposalId">
    readonly postings: EntityTable<FundPosting, "txId">
    readonly statements: EntityTable<Statement, "fundId" | "period">
    readonly objections: EntityTable<Objection, "id">
    readonly contracts: EntityTable<TrusteeContract, "fundId">
    readonly settlements: EntityTable<Settlement, "fundId" | "period">
    readonly notices: EntityTable<ArrearsNotice, "id">
  }
>() {}
