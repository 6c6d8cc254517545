/**
 * The fund's typed failures, each with a stable code, a kind and a text in
 * zh-CN and en. Each leaves every balance and record unchanged. The kernel's
 * `Forbidden`, `InvalidInput`, `NotFound` and `IdempotencyKeyReused` are used
 * as they are.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError } from "../kernel/errors.js"

const yuan = (fen: number) => `${fen < 0 ? "-" : ""}${Math.trunc(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, "0")}`

/**
 * The fund's cash would go below its floor (reserve).
 *
 * @since 0.2.0
 * @category errors
 */
export class InsufficientFunds extends GongzhiTaggedError<InsufficientFunds>()("InsufficientFunds", {
  fundId: Schema.String,
  balanceFen: Schema.Int,
  floorFen: Schema.Int,
  amountFen: Schema.Int
}, {
  code: "FUND_INSUFFICIENT_FUNDS",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `基金 ${e.fundId} 余额 ${yuan(e.balanceFen)} 元，支出 ${yuan(e.amountFen)} 元后将低于保留额 ${yuan(e.floorFen)} 元`,
    en: `Fund ${e.fundId} holds ${yuan(e.balanceFen)} yuan; paying ${yuan(e.amountFen)} would take it below its floor of ${yuan(e.floorFen)}`
  })
}) {}

/**
 * The expense lacks the approvals its amount needs.
 *
 * @since 0.2.0
 * @category errors
 */
export class ApprovalRequired extends GongzhiTaggedError<ApprovalRequired>()("ApprovalRequired", {
  expenseId: Schema.String,
  level: Schema.String,
  have: Schema.Int,
  need: Schema.Int
}, {
  code: "FUND_APPROVAL_REQUIRED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `支出 ${e.expenseId} 需要 ${e.need} 位审批人批准，目前 ${e.have} 位`,
    en: `Expense ${e.expenseId} needs ${e.need} approvals; it has ${e.have}`
  })
}) {}

/**
 * The requester tried to approve their own expense (four eyes).
 *
 * @since 0.2.0
 * @category errors
 */
export class SelfApproval extends GongzhiTaggedError<SelfApproval>()("SelfApproval", {
  expenseId: Schema.String
}, {
  code: "FUND_SELF_APPROVAL",
  kind: "forbidden",
  text: (e) => ({
    "zh-CN": `申请人不能批准自己的支出 ${e.expenseId}`,
    en: `The requester may not approve their own expense ${e.expenseId}`
  })
}) {}

/**
 * The actor is not one of the fund's approvers.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotApprover extends GongzhiTaggedError<NotApprover>()("NotApprover", {
  fundId: Schema.String,
  actor: Schema.String
}, {
  code: "FUND_NOT_APPROVER",
  kind: "forbidden",
  text: (e) => ({
    "zh-CN": `${e.actor} 不是基金 ${e.fundId} 的审批人`,
    en: `${e.actor} is not an approver of fund ${e.fundId}`
  })
}) {}

/**
 * The approver already approved this expense; a second approval by the same
 * person does not count as the second pair of eyes.
 *
 * @since 0.2.0
 * @category errors
 */
export class AlreadyApproved extends GongzhiTaggedError<AlreadyApproved>()("AlreadyApproved", {
  expenseId: Schema.String,
  actor: Schema.String
}, {
  code: "FUND_ALREADY_APPROVED",
  kind: "conflict",
  text: (e) => ({
    "zh-CN": `${e.actor} 已批准过支出 ${e.expenseId}，第二次批准须由另一人作出`,
    en: `${e.actor} already approved expense ${e.expenseId}; the second approval must come from someone else`
  })
}) {}

/**
 * A hard-capped budget line would be exceeded.
 *
 * @since 0.2.0
 * @category errors
 */
export class BudgetExceeded extends GongzhiTaggedError<BudgetExceeded>()("BudgetExceeded", {
  fundId: Schema.String,
  year: Schema.Int,
  line: Schema.String,
  plannedFen: Schema.Int,
  actualFen: Schema.Int,
  amountFen: Schema.Int
}, {
  code: "FUND_BUDGET_EXCEEDED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `预算项「${e.line}」（${e.year} 年）预算 ${yuan(e.plannedFen)} 元，已支出 ${yuan(e.actualFen)} 元，不能再支出 ${yuan(e.amountFen)} 元`,
    en: `Budget line ${e.line} (${e.year}) plans ${yuan(e.plannedFen)} yuan and has spent ${yuan(e.actualFen)}; ${yuan(e.amountFen)} more is refused`
  })
}) {}

/**
 * A budget line that does not exist in the fund's budget for that year.
 *
 * @since 0.2.0
 * @category errors
 */
export class UnknownBudgetLine extends GongzhiTaggedError<UnknownBudgetLine>()("UnknownBudgetLine", {
  fundId: Schema.String,
  year: Schema.Int,
  line: Schema.String
}, {
  code: "FUND_UNKNOWN_BUDGET_LINE",
  kind: "not-found",
  text: (e) => ({
    "zh-CN": `基金 ${e.fundId} 的 ${e.year} 年预算中没有「${e.line}」这一项`,
    en: `Fund ${e.fundId} has no budget line ${e.line} for ${e.year}`
  })
}) {}

/**
 * The owners' vote of a large expense has not passed (yet).
 *
 * @since 0.2.0
 * @category errors
 */
export class ProposalNotPassed extends GongzhiTaggedError<ProposalNotPassed>()("ProposalNotPassed", {
  expenseId: Schema.String,
  proposalId: Schema.String,
  status: Schema.String
}, {
  code: "FUND_PROPOSAL_NOT_PASSED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `支出 ${e.expenseId} 须经业主表决通过（提案 ${e.proposalId} 当前：${e.status}）`,
    en: `Expense ${e.expenseId} needs the owners' vote ${e.proposalId} to pass (now: ${e.status})`
  })
}) {}

/**
 * The expense was paid already.
 *
 * @since 0.2.0
 * @category errors
 */
export class AlreadyPaid extends GongzhiTaggedError<AlreadyPaid>()("AlreadyPaid", {
  expenseId: Schema.String
}, {
  code: "FUND_ALREADY_PAID",
  kind: "conflict",
  text: (e) => ({ "zh-CN": `支出 ${e.expenseId} 已支付`, en: `Expense ${e.expenseId} was paid already` })
}) {}

/**
 * The trustee's fee for the period was settled already.
 *
 * @since 0.2.0
 * @category errors
 */
export class AlreadySettled extends GongzhiTaggedError<AlreadySettled>()("AlreadySettled", {
  fundId: Schema.String,
  period: Schema.String
}, {
  code: "FUND_ALREADY_SETTLED",
  kind: "conflict",
  text: (e) => ({
    "zh-CN": `基金 ${e.fundId} ${e.period} 的物业服务费已结算`,
    en: `The trustee's fee of fund ${e.fundId} for ${e.period} was settled already`
  })
}) {}

/**
 * The statement for the period was published already (statements are never replaced).
 *
 * @since 0.2.0
 * @category errors
 */
export class AlreadyPublished extends GongzhiTaggedError<AlreadyPublished>()("AlreadyPublished", {
  fundId: Schema.String,
  period: Schema.String
}, {
  code: "FUND_ALREADY_PUBLISHED",
  kind: "conflict",
  text: (e) => ({
    "zh-CN": `基金 ${e.fundId} ${e.period} 的收支公示已发布，不能更改`,
    en: `The statement of fund ${e.fundId} for ${e.period} was published already and cannot change`
  })
}) {}

/**
 * The action does not apply to the record in its current state (approving a
 * paid or vote-level expense, refunding more than was paid, answering an
 * answered objection ...).
 *
 * @since 0.2.0
 * @category errors
 */
export class WrongState extends GongzhiTaggedError<WrongState>()("FundWrongState", {
  entity: Schema.String,
  id: Schema.String,
  status: Schema.String,
  action: Schema.String
}, {
  code: "FUND_WRONG_STATE",
  kind: "conflict",
  text: (e) => ({
    "zh-CN": `${e.entity} ${e.id} 当前状态为 ${e.status}，不能执行 ${e.action}`,
    en: `${e.entity} ${e.id} is ${e.status}; ${e.action} does not apply`
  })
}) {}

/**
 * Arrears consequences are not switched on for the fund, or the household's
 * arrears do not reach the notice threshold.
 *
 * @since 0.2.0
 * @category errors
 */
export class ArrearsPolicyNotMet extends GongzhiTaggedError<ArrearsPolicyNotMet>()("ArrearsPolicyNotMet", {
  fundId: Schema.String,
  householdId: Schema.String,
  detail: Schema.String
}, {
  code: "FUND_ARREARS_POLICY_NOT_MET",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `户 ${e.householdId} 不满足基金 ${e.fundId} 的欠费处理条件：${e.detail}`,
    en: `Household ${e.householdId} does not meet fund ${e.fundId}'s arrears policy: ${e.detail}`
  })
}) {}
