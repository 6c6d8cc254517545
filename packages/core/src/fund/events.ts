/**
 * The fund's journal events: the public integration contract. Donor names,
 * objection texts and appeal reasons stay in the store, never in events.
 * Money movements are also in the ledger's own `LedgerTransactionPosted`
 * events, which the statement's hash covers.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { HouseholdId, LedgerTxId } from "../kernel/ids.js"
import { ApprovalLevel, FundId, FundKind, FundRecordId, IncomeSource, Period, ServiceFigures, ServiceMetric } from "./model.js"

/**
 * The fund's events.
 *
 * @since 0.2.0
 * @category events
 */
export const FundEvent = Schema.Union(
  Schema.TaggedStruct("FundCreated", { fundId: FundId, kind: FundKind, public: Schema.Boolean, by: Schema.String }),
  Schema.TaggedStruct("FundBudgetSet", { fundId: FundId, year: Schema.Int, plannedFen: Schema.Int, lines: Schema.Int, by: Schema.String }),
  Schema.TaggedStruct("FundExpenseRequested", {
    fundId: FundId,
    expenseId: FundRecordId,
    amountFen: Schema.Int,
    level: ApprovalLevel,
    budgetLine: Schema.String,
    proposalId: Schema.optional(Schema.String),
    by: Schema.String
  }),
  Schema.TaggedStruct("FundExpenseApproved", {
    fundId: FundId,
    expenseId: FundRecordId,
    approvals: Schema.Int,
    complete: Schema.Boolean,
    by: Schema.String
  }),
  Schema.TaggedStruct("FundExpenseRejected", { fundId: FundId, expenseId: FundRecordId, by: Schema.String }),
  Schema.TaggedStruct("FundExpensePaid", { fundId: FundId, expenseId: FundRecordId, amountFen: Schema.Int, txId: LedgerTxId, by: Schema.String }),
  Schema.TaggedStruct("FundExpenseRefunded", {
    fundId: FundId,
    expenseId: FundRecordId,
    amountFen: Schema.Int,
    kind: Schema.Literal("refund", "correction"),
    txId: LedgerTxId,
    by: Schema.String
  }),
  Schema.TaggedStruct("FundBillsIssued", { fundId: FundId, period: Period, bills: Schema.Int, totalFen: Schema.Int, by: Schema.String }),
  Schema.TaggedStruct("FundBillIssued", {
    fundId: FundId,
    billId: FundRecordId,
    householdId: HouseholdId,
    amountFen: Schema.Int,
    dueDate: Schema.String
  }),
  Schema.TaggedStruct("FundPaymentReceived", {
    fundId: FundId,
    paymentId: FundRecordId,
    householdId: HouseholdId,
    amountFen: Schema.Int,
    advanceFen: Schema.Int,
    txId: LedgerTxId
  }),
  Schema.TaggedStruct("FundIncomeReceived", { fundId: FundId, incomeId: FundRecordId, source: IncomeSource, amountFen: Schema.Int, txId: LedgerTxId }),
  Schema.TaggedStruct("FundPartnerShareReported", { fundId: FundId, shareId: FundRecordId, period: Period, shareFen: Schema.Int }),
  Schema.TaggedStruct("FundCostShareCreated", {
    fundId: FundId,
    proposalId: Schema.String,
    totalFen: Schema.Int,
    households: Schema.Int,
    instalments: Schema.Int
  }),
  Schema.TaggedStruct("FundStatementPublished", { fundId: FundId, period: Period, headSeq: Schema.Int, headHash: Schema.String }),
  Schema.TaggedStruct("FundObjectionRaised", { fundId: FundId, objectionId: FundRecordId, txId: LedgerTxId, answerDue: Schema.String }),
  Schema.TaggedStruct("FundObjectionAnswered", { fundId: FundId, objectionId: FundRecordId, raisedBy: Schema.String, by: Schema.String }),
  Schema.TaggedStruct("FundTrusteeContractSet", { fundId: FundId, by: Schema.String }),
  Schema.TaggedStruct("FundTrusteeSettled", {
    fundId: FundId,
    period: Period,
    feeFen: Schema.Int,
    deductionFen: Schema.Int,
    netFen: Schema.Int,
    figures: ServiceFigures,
    deductions: Schema.Array(Schema.Struct({ metric: ServiceMetric, figure: Schema.Int, amountFen: Schema.Int })),
    txId: Schema.optional(LedgerTxId)
  }),
  Schema.TaggedStruct("FundArrearsNoticed", { fundId: FundId, noticeId: FundRecordId, householdId: HouseholdId, monthsInArrears: Schema.Int, arrearsFen: Schema.Int }),
  Schema.TaggedStruct("FundArrearsAppealed", { fundId: FundId, noticeId: FundRecordId, householdId: HouseholdId }),
  Schema.TaggedStruct("FundArrearsAppealDecided", { fundId: FundId, noticeId: FundRecordId, householdId: HouseholdId, upheld: Schema.Boolean })
)
/**
 * @since 0.2.0
 * @category events
 */
export type FundEvent = typeof FundEvent.Type
