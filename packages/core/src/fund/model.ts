/**
 * The community fund's records, commands and views: funds (each a set of
 * ledger accounts with purposes), yearly budgets with lines, expenses with
 * their approval trail, bills (invoices) and payments, other income,
 * cost-sharing plans turned into receivables, public postings, monthly
 * statements, objections, the trustee's contract and its monthly settlements.
 * Money is integer fen everywhere.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { CommunityId, HouseholdId, LedgerTxId } from "../kernel/ids.js"
import { JournalHead } from "../kernel/journal.js"

const SafeNonNeg = Schema.Int.pipe(Schema.between(0, Number.MAX_SAFE_INTEGER))
const SafePos = Schema.Int.pipe(Schema.between(1, Number.MAX_SAFE_INTEGER))
const Text = (max: number) => Schema.String.pipe(Schema.minLength(1), Schema.maxLength(max))
const Key = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))

/**
 * A fund's identifier within a community (also part of its ledger account ids).
 *
 * @since 0.2.0
 * @category ids
 */
export const FundId = Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]{0,23}$/), Schema.brand("FundId"))
/**
 * @since 0.2.0
 * @category ids
 */
export type FundId = typeof FundId.Type

/**
 * Any other fund record's identifier (expense, bill, payment, objection ...).
 *
 * @since 0.2.0
 * @category ids
 */
export const FundRecordId = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/), Schema.brand("FundRecordId"))
/**
 * @since 0.2.0
 * @category ids
 */
export type FundRecordId = typeof FundRecordId.Type

/**
 * A calendar month, `YYYY-MM`.
 *
 * @since 0.2.0
 * @category models
 */
export const Period = Schema.String.pipe(Schema.pattern(/^\d{4}-(0[1-9]|1[0-2])$/, { message: () => "a period is YYYY-MM" }))

/**
 * What a fund is for: the property-fee trust (信托制物业), the community fund
 * (社区基金) or a project fund.
 *
 * @since 0.2.0
 * @category models
 */
export const FundKind = Schema.Literal("property-fee", "community", "project")

/**
 * Approval by amount: below `singleBelowFen` one approver; from there up to
 * and including `dualUpToFen` two different approvers; above, an owners' vote.
 *
 * @since 0.2.0
 * @category models
 */
export const ApprovalThresholds = Schema.Struct({
  singleBelowFen: SafePos,
  dualUpToFen: SafePos
})
/**
 * @since 0.2.0
 * @category models
 */
export type ApprovalThresholds = typeof ApprovalThresholds.Type

/**
 * The Civil Code rule a large expense is put to.
 *
 * @since 0.2.0
 * @category models
 */
export const VoteRuleId = Schema.Literal("civil-code-278-ordinary", "civil-code-278-special")

/**
 * Optional consequences of arrears (off unless a community switches them on):
 * after `noticeMonths` months in arrears a notice is due; consequences apply
 * only from `consequenceMonths`, after a notice was given at least
 * `noticePeriodDays` earlier, and never while an appeal is pending.
 *
 * @since 0.2.0
 * @category models
 */
export const ArrearsPolicy = Schema.Struct({
  enabled: Schema.Boolean,
  noticeMonths: Schema.Int.pipe(Schema.between(1, 120)),
  consequenceMonths: Schema.Int.pipe(Schema.between(1, 120)),
  noticePeriodDays: Schema.Int.pipe(Schema.between(0, 365)),
  /** What is withheld, e.g. `incentive-redemption`, `space-adoption`. */
  consequences: Schema.Array(Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/)))
})
/**
 * @since 0.2.0
 * @category models
 */
export type ArrearsPolicy = typeof ArrearsPolicy.Type

/**
 * A fund: a set of ledger accounts (cash, income by source, expenses by
 * category, one receivable per household) with its approval thresholds.
 * `floorFen` is the lowest cash balance allowed (a reserve).
 *
 * @since 0.2.0
 * @category models
 */
export class Fund extends Schema.Class<Fund>("Fund")({
  communityId: CommunityId,
  id: FundId,
  name: Schema.String,
  kind: FundKind,
  purpose: Schema.String,
  /** Whether every resident of the community may read every posting. */
  public: Schema.Boolean,
  floorFen: SafeNonNeg,
  thresholds: ApprovalThresholds,
  voteRuleId: VoteRuleId,
  /** Staff ids allowed to approve; empty: any staff member with the committee role. */
  approverIds: Schema.Array(Schema.String),
  arrearsPolicy: Schema.optional(ArrearsPolicy),
  createdAt: Schema.Int,
  createdBy: Schema.String,
  version: Schema.Int
}) {}

/**
 * One line of a yearly budget: planned amount, and the actual spending
 * (paid expenses net of refunds) kept up to date by payments.
 *
 * @since 0.2.0
 * @category models
 */
export const BudgetLine = Schema.Struct({
  code: Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]{0,39}$/)),
  name: Text(100),
  /** Expense category (ledger account `exp-<category>`). */
  category: Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,23}$/)),
  plannedFen: SafeNonNeg,
  /** Whether spending beyond the plan is refused (`BudgetExceeded`). */
  hardCap: Schema.Boolean,
  actualFen: Schema.Int
})
/**
 * @since 0.2.0
 * @category models
 */
export type BudgetLine = typeof BudgetLine.Type

/**
 * A fund's budget for one year.
 *
 * @since 0.2.0
 * @category models
 */
export class Budget extends Schema.Class<Budget>("Budget")({
  communityId: CommunityId,
  fundId: FundId,
  year: Schema.Int.pipe(Schema.between(2000, 2200)),
  lines: Schema.Array(BudgetLine),
  updatedAt: Schema.Int,
  version: Schema.Int
}) {}

/**
 * How many approvals an amount needs: one approver, two different
 * approvers, or a passed owners' vote.
 *
 * @since 0.2.0
 * @category models
 */
export const ApprovalLevel = Schema.Literal("single", "dual", "vote")
/**
 * @since 0.2.0
 * @category models
 */
export type ApprovalLevel = typeof ApprovalLevel.Type

/**
 * One approval of an expense.
 *
 * @since 0.2.0
 * @category models
 */
export const Approval = Schema.Struct({ by: Schema.String, at: Schema.Int })

/**
 * An expense's state: `requested` (collecting approvals or waiting for the
 * vote), `approved`, `paid`, `rejected`.
 *
 * @since 0.2.0
 * @category models
 */
export const ExpenseStatus = Schema.Literal("requested", "approved", "paid", "rejected")

/**
 * An expense request with its approval trail and payment.
 *
 * @since 0.2.0
 * @category models
 */
export class Expense extends Schema.Class<Expense>("Expense")({
  communityId: CommunityId,
  id: FundRecordId,
  fundId: FundId,
  payee: Schema.String,
  purpose: Schema.String,
  budgetYear: Schema.Int,
  budgetLine: Schema.String,
  category: Schema.String,
  amountFen: SafePos,
  /** References to invoices, quotes, photos (ids or URLs). */
  attachments: Schema.Array(Schema.String),
  requestedBy: Schema.String,
  requestedAt: Schema.Int,
  level: ApprovalLevel,
  approvals: Schema.Array(Approval),
  /** The owners' vote of a `vote`-level expense. */
  proposalId: Schema.optional(Schema.String),
  status: ExpenseStatus,
  paidTxId: Schema.optional(LedgerTxId),
  paidAt: Schema.optional(Schema.Int),
  paidBy: Schema.optional(Schema.String),
  /** Refunded or corrected so far (compensating transactions). */
  refundedFen: SafeNonNeg,
  idempotencyKey: Schema.optional(Schema.String),
  version: Schema.Int
}) {}

/**
 * What a bill is for.
 *
 * @since 0.2.0
 * @category models
 */
export const BillKind = Schema.Literal("fee", "cost-share", "other")

/**
 * A bill (invoice) to a household. `ref` is unique per household and fund
 * (`fee:2026-06`, `cost:<proposalId>:<instalment>`), so billing twice bills once.
 *
 * @since 0.2.0
 * @category models
 */
export class Bill extends Schema.Class<Bill>("Bill")({
  communityId: CommunityId,
  id: FundRecordId,
  fundId: FundId,
  householdId: HouseholdId,
  ref: Schema.String,
  kind: BillKind,
  description: Schema.String,
  /** Billing month (for cost shares: the instalment's due month). */
  period: Period,
  amountFen: SafePos,
  paidFen: SafeNonNeg,
  dueDate: LocalDate,
  status: Schema.Literal("open", "paid"),
  issuedAt: Schema.Int,
  version: Schema.Int
}) {}

/**
 * A payment by a household: what it settled, bill by bill, and what was
 * left over as an advance.
 *
 * @since 0.2.0
 * @category models
 */
export class Payment extends Schema.Class<Payment>("Payment")({
  communityId: CommunityId,
  id: FundRecordId,
  fundId: FundId,
  householdId: HouseholdId,
  amountFen: SafePos,
  allocations: Schema.Array(Schema.Struct({ billId: FundRecordId, amountFen: SafePos })),
  advanceFen: SafeNonNeg,
  method: Schema.String,
  txId: LedgerTxId,
  paidAt: Schema.Int,
  recordedBy: Schema.String,
  idempotencyKey: Schema.optional(Schema.String)
}) {}

/**
 * Where income comes from (each source is a ledger account `inc-<source>`).
 *
 * @since 0.2.0
 * @category models
 */
export const IncomeSource = Schema.Literal("fees", "cost-share", "donation", "subsidy", "partner", "spaces", "other", "trustee-deduction")
/**
 * @since 0.2.0
 * @category models
 */
export type IncomeSource = typeof IncomeSource.Type

/**
 * A receipt other than a household payment: a donation (named or anonymous),
 * a government subsidy, fees from the spaces module, a collected partner share.
 *
 * @since 0.2.0
 * @category models
 */
export class Income extends Schema.Class<Income>("Income")({
  communityId: CommunityId,
  id: FundRecordId,
  fundId: FundId,
  source: IncomeSource,
  amountFen: SafePos,
  /** The donor or payer as they wish to be named; absent when anonymous. */
  donor: Schema.optional(Schema.String),
  anonymous: Schema.Boolean,
  memo: Schema.String,
  txId: LedgerTxId,
  receivedAt: Schema.Int,
  recordedBy: Schema.String,
  idempotencyKey: Schema.optional(Schema.String)
}) {}

/**
 * A commercial partner's profit share for a period: the agreed percentage of
 * the reported profit becomes a receivable of the fund until collected.
 *
 * @since 0.2.0
 * @category models
 */
export class PartnerShare extends Schema.Class<PartnerShare>("PartnerShare")({
  communityId: CommunityId,
  id: FundRecordId,
  fundId: FundId,
  partner: Schema.String,
  period: Period,
  profitFen: SafeNonNeg,
  /** Share in basis points (1500 = 15%). */
  shareBp: Schema.Int.pipe(Schema.between(0, 10_000)),
  shareFen: SafeNonNeg,
  collectedFen: SafeNonNeg,
  reportedAt: Schema.Int,
  version: Schema.Int
}) {}

/**
 * A passed proposal's cost plan turned into receivables: one bill per
 * household and instalment.
 *
 * @since 0.2.0
 * @category models
 */
export class CostShare extends Schema.Class<CostShare>("CostShare")({
  communityId: CommunityId,
  proposalId: Schema.String,
  fundId: FundId,
  /** Σ of the plan's `payFen`: what the households owe together. */
  totalFen: SafeNonNeg,
  households: SafeNonNeg,
  instalments: Schema.Int.pipe(Schema.between(1, 120)),
  createdAt: Schema.Int,
  createdBy: Schema.String
}) {}

/**
 * One posting of a fund as the public sees it: what moved, why, under whose
 * approval. Counterparties are masked as the privacy rules say (households
 * by building, anonymous donors as such).
 *
 * @since 0.2.0
 * @category models
 */
export class FundPosting extends Schema.Class<FundPosting>("FundPosting")({
  communityId: CommunityId,
  txId: LedgerTxId,
  fundId: FundId,
  /** `billing`, `payment`, `income`, `expense`, `refund`, `cost-share`, `partner-share`, `trustee-fee`, `correction`. */
  kind: Schema.String,
  /** Income source or expense category. */
  category: Schema.String,
  /** Signed effect on the fund: income and receivables positive, spending negative. */
  amountFen: Schema.Int,
  /** Effect on the fund's cash (0 for billing and receivables). */
  cashFen: Schema.Int,
  memo: Schema.String,
  /** The masked counterparty. */
  counterparty: Schema.String,
  /** The expense, bill, payment ... this posting belongs to. */
  ref: Schema.String,
  approvals: Schema.Array(Approval),
  proposalId: Schema.optional(Schema.String),
  period: Period,
  postedAt: Schema.Int
}) {}

/**
 * A published monthly statement: its figures and the journal head at its
 * close, against which any later state can be verified.
 *
 * @since 0.2.0
 * @category models
 */
export class Statement extends Schema.Class<Statement>("Statement")({
  communityId: CommunityId,
  fundId: FundId,
  period: Period,
  body: Schema.Unknown,
  journalHead: JournalHead,
  publishedAt: Schema.Int,
  publishedBy: Schema.String
}) {}

/**
 * A resident's question about a posting, with the date it must be answered by.
 *
 * @since 0.2.0
 * @category models
 */
export class Objection extends Schema.Class<Objection>("Objection")({
  communityId: CommunityId,
  id: FundRecordId,
  fundId: FundId,
  txId: LedgerTxId,
  raisedBy: Schema.String,
  question: Schema.String,
  raisedAt: Schema.Int,
  answerDue: LocalDate,
  status: Schema.Literal("open", "answered"),
  answer: Schema.optional(Schema.String),
  answeredBy: Schema.optional(Schema.String),
  answeredAt: Schema.optional(Schema.Int),
  version: Schema.Int
}) {}

/**
 * A service figure a trustee's deduction depends on.
 *
 * @since 0.2.0
 * @category trustee
 */
export const ServiceMetric = Schema.Literal("overdue-work-orders", "satisfaction-below", "verified-complaints")

/**
 * One row of the contract's rule table: for `overdue-work-orders` and
 * `verified-complaints`, `perUnitBp` of the fee for each unit above
 * `threshold`; for `satisfaction-below`, `perUnitBp` for each full
 * percentage point the satisfaction rate is below `threshold` (a percentage).
 *
 * @since 0.2.0
 * @category trustee
 */
export const DeductionRule = Schema.Struct({
  metric: ServiceMetric,
  threshold: Schema.Int.pipe(Schema.between(0, 1_000_000)),
  perUnitBp: Schema.Int.pipe(Schema.between(0, 10_000)),
  /** Most this rule may take, in basis points of the fee. */
  capBp: Schema.Int.pipe(Schema.between(0, 10_000))
})
/**
 * @since 0.2.0
 * @category trustee
 */
export type DeductionRule = typeof DeductionRule.Type

/**
 * The trustee's fee: a percentage of the period's fee income, or fixed.
 *
 * @since 0.2.0
 * @category trustee
 */
export const FeeBasis = Schema.Union(
  Schema.TaggedStruct("Percent", { bp: Schema.Int.pipe(Schema.between(0, 10_000)) }),
  Schema.TaggedStruct("Fixed", { fen: SafeNonNeg })
)
/**
 * @since 0.2.0
 * @category trustee
 */
export type FeeBasis = typeof FeeBasis.Type

/**
 * The trust contract (信托制物业服务合同) between the owners and the property
 * company: the fee, the deduction rule table and which case types count as
 * complaints.
 *
 * @since 0.2.0
 * @category trustee
 */
export class TrusteeContract extends Schema.Class<TrusteeContract>("TrusteeContract")({
  communityId: CommunityId,
  fundId: FundId,
  trustee: Schema.String,
  basis: FeeBasis,
  rules: Schema.Array(DeductionRule),
  /** Issue case types whose fixed cases count as verified complaints. */
  complaintTypeIds: Schema.Array(Schema.String),
  updatedAt: Schema.Int,
  version: Schema.Int
}) {}

/**
 * The service figures a settlement used.
 *
 * @since 0.2.0
 * @category trustee
 */
export const ServiceFigures = Schema.Struct({
  overdueWorkOrders: SafeNonNeg,
  /** Satisfaction in whole percent; absent when nobody was surveyed. */
  satisfactionPct: Schema.optional(Schema.Int.pipe(Schema.between(0, 100))),
  verifiedComplaints: SafeNonNeg
})
/**
 * @since 0.2.0
 * @category trustee
 */
export type ServiceFigures = typeof ServiceFigures.Type

/**
 * A month's settlement of the trustee's fee.
 *
 * @since 0.2.0
 * @category trustee
 */
export class Settlement extends Schema.Class<Settlement>("Settlement")({
  communityId: CommunityId,
  fundId: FundId,
  period: Period,
  incomeFen: SafeNonNeg,
  feeFen: SafeNonNeg,
  deductions: Schema.Array(Schema.Struct({ metric: ServiceMetric, figure: Schema.Int, amountFen: SafeNonNeg })),
  netFen: SafeNonNeg,
  figures: ServiceFigures,
  txId: Schema.optional(LedgerTxId),
  settledAt: Schema.Int,
  settledBy: Schema.String
}) {}

/**
 * A notice of arrears to a household, with its appeal.
 *
 * @since 0.2.0
 * @category models
 */
export class ArrearsNotice extends Schema.Class<ArrearsNotice>("ArrearsNotice")({
  communityId: CommunityId,
  id: FundRecordId,
  fundId: FundId,
  householdId: HouseholdId,
  monthsInArrears: Schema.Int,
  arrearsFen: SafeNonNeg,
  noticedAt: Schema.Int,
  appeal: Schema.optional(Schema.Struct({ reason: Schema.String, at: Schema.Int, by: Schema.String })),
  appealDecision: Schema.optional(Schema.Struct({ upheld: Schema.Boolean, note: Schema.String, at: Schema.Int, by: Schema.String })),
  status: Schema.Literal("noticed", "appealed", "upheld", "dismissed"),
  version: Schema.Int
}) {}

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

const Base = { communityId: CommunityId, fundId: FundId }

/**
 * Input of `createFund`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const CreateFundInput = Schema.Struct({
  ...Base,
  name: Text(100),
  kind: FundKind,
  purpose: Schema.String.pipe(Schema.maxLength(1000)),
  public: Schema.optional(Schema.Boolean),
  floorFen: Schema.optional(SafeNonNeg),
  thresholds: ApprovalThresholds,
  voteRuleId: Schema.optional(VoteRuleId),
  approverIds: Schema.optional(Schema.Array(Schema.String.pipe(Schema.maxLength(64))).pipe(Schema.maxItems(50))),
  arrearsPolicy: Schema.optional(ArrearsPolicy)
}).pipe(
  Schema.filter((i) => i.thresholds.singleBelowFen <= i.thresholds.dualUpToFen || {
    path: ["thresholds"],
    message: "singleBelowFen must not exceed dualUpToFen"
  })
)

/**
 * Input of `setBudget`: the year's lines (actuals are kept for lines that
 * stay; a line with spending cannot be removed).
 *
 * @since 0.2.0
 * @category inputs
 */
export const SetBudgetInput = Schema.Struct({
  ...Base,
  year: Schema.Int.pipe(Schema.between(2000, 2200)),
  lines: Schema.Array(BudgetLine.pipe(Schema.omit("actualFen"))).pipe(Schema.minItems(1), Schema.maxItems(200))
}).pipe(
  Schema.filter((i) => new Set(i.lines.map((l) => l.code)).size === i.lines.length || { path: ["lines"], message: "line codes must be unique" })
)

/**
 * Input of `requestExpense`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const RequestExpenseInput = Schema.Struct({
  ...Base,
  payee: Text(200),
  purpose: Text(1000),
  budgetYear: Schema.Int.pipe(Schema.between(2000, 2200)),
  budgetLine: Schema.String.pipe(Schema.maxLength(40)),
  amountFen: SafePos,
  attachments: Schema.optional(Schema.Array(Schema.String.pipe(Schema.maxLength(500))).pipe(Schema.maxItems(50))),
  idempotencyKey: Schema.optional(Key)
})

/**
 * Input of commands on one expense.
 *
 * @since 0.2.0
 * @category inputs
 */
export const ExpenseRef = Schema.Struct({ communityId: CommunityId, expenseId: FundRecordId })

/**
 * Input of `payExpense`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const PayExpenseInput = Schema.Struct({
  communityId: CommunityId,
  expenseId: FundRecordId,
  idempotencyKey: Schema.optional(Key)
})

/**
 * Input of `refundExpense`: money coming back from the payee (a refund) or a
 * correction of a wrong amount; posted as a compensating transaction.
 *
 * @since 0.2.0
 * @category inputs
 */
export const RefundExpenseInput = Schema.Struct({
  communityId: CommunityId,
  expenseId: FundRecordId,
  amountFen: SafePos,
  kind: Schema.Literal("refund", "correction"),
  reason: Text(500),
  idempotencyKey: Schema.optional(Key)
})

/**
 * How a month's property fee is priced: exclusive area x unit price (fen per
 * m² per month), or a fixed amount per household.
 *
 * @since 0.2.0
 * @category inputs
 */
export const FeePricing = Schema.Union(
  Schema.TaggedStruct("PerArea", { fenPerM2: SafePos }),
  Schema.TaggedStruct("Fixed", { fen: SafePos })
)
/**
 * @since 0.2.0
 * @category inputs
 */
export type FeePricing = typeof FeePricing.Type

/**
 * Input of `billFees`: bills every household (or the listed ones) for a month.
 *
 * @since 0.2.0
 * @category inputs
 */
export const BillFeesInput = Schema.Struct({
  ...Base,
  period: Period,
  pricing: FeePricing,
  dueDate: LocalDate,
  householdIds: Schema.optional(Schema.Array(HouseholdId).pipe(Schema.maxItems(100_000)))
})

/**
 * Input of `recordPayment`: full, partial, or more than owed (an advance).
 *
 * @since 0.2.0
 * @category inputs
 */
export const RecordPaymentInput = Schema.Struct({
  ...Base,
  householdId: HouseholdId,
  amountFen: SafePos,
  method: Schema.optional(Schema.String.pipe(Schema.maxLength(40))),
  idempotencyKey: Schema.optional(Key)
})

/**
 * Input of `receiveIncome`: donations, subsidies, fees from the spaces module, other.
 *
 * @since 0.2.0
 * @category inputs
 */
export const ReceiveIncomeInput = Schema.Struct({
  ...Base,
  source: Schema.Literal("donation", "subsidy", "spaces", "other"),
  amountFen: SafePos,
  donor: Schema.optional(Text(200)),
  anonymous: Schema.optional(Schema.Boolean),
  memo: Schema.String.pipe(Schema.maxLength(500)),
  idempotencyKey: Schema.optional(Key)
})

/**
 * Input of `reportPartnerProfit`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const ReportPartnerProfitInput = Schema.Struct({
  ...Base,
  partner: Text(200),
  period: Period,
  profitFen: SafeNonNeg,
  shareBp: Schema.Int.pipe(Schema.between(0, 10_000))
})

/**
 * Input of `collectPartnerShare`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const CollectPartnerShareInput = Schema.Struct({
  communityId: CommunityId,
  shareId: FundRecordId,
  amountFen: SafePos,
  idempotencyKey: Schema.optional(Key)
})

/**
 * Input of `createCostShareReceivables`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const CostShareInput = Schema.Struct({
  ...Base,
  proposalId: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/)),
  instalments: Schema.optional(Schema.Int.pipe(Schema.between(1, 120))),
  /** Due date of the first instalment; later ones fall on the same day of the following months. */
  firstDueDate: LocalDate
})

/**
 * Input of `publishStatement`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const PublishStatementInput = Schema.Struct({ ...Base, period: Period })

/**
 * Input of `raiseObjection`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const RaiseObjectionInput = Schema.Struct({
  ...Base,
  txId: LedgerTxId,
  question: Text(2000)
})

/**
 * Input of `answerObjection`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const AnswerObjectionInput = Schema.Struct({
  communityId: CommunityId,
  objectionId: FundRecordId,
  answer: Text(5000)
})

/**
 * Input of `setTrusteeContract`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const SetTrusteeContractInput = Schema.Struct({
  ...Base,
  trustee: Text(200),
  basis: FeeBasis,
  rules: Schema.Array(DeductionRule).pipe(Schema.maxItems(20)),
  complaintTypeIds: Schema.optional(Schema.Array(Schema.String.pipe(Schema.maxLength(64))).pipe(Schema.maxItems(50)))
})

/**
 * Input of `settleTrusteeFee`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const SettleInput = Schema.Struct({ ...Base, period: Period })

/**
 * Input of `giveArrearsNotice`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const ArrearsNoticeInput = Schema.Struct({ ...Base, householdId: HouseholdId })

/**
 * Input of `appealArrearsNotice`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const AppealInput = Schema.Struct({ communityId: CommunityId, noticeId: FundRecordId, reason: Text(2000) })

/**
 * Input of `decideAppeal`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const DecideAppealInput = Schema.Struct({
  communityId: CommunityId,
  noticeId: FundRecordId,
  upheld: Schema.Boolean,
  note: Text(2000)
})
