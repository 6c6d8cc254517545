/**
 * The voting module's failures. Each has a stable `code` and a text in zh-CN
 * and en; each leaves every store unchanged. `Forbidden`, `InvalidInput`,
 * `NotFound` and `Conflict` come from the kernel.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { LocalizedText } from "../kernel/errors.js"

/**
 * The resident holds no voting unit in the proposal's frozen electorate.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotEligible extends Schema.TaggedError<NotEligible>()("VotingNotEligible", {
  proposalId: Schema.String,
  residentId: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_NOT_ELIGIBLE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `居民 ${this.residentId} 不在提案 ${this.proposalId} 的表决名册中`,
      en: `Resident ${this.residentId} is not in the electorate of proposal ${this.proposalId}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The voting unit has voted and may not change its ballot (policy, a proxy
 * after the owner, or a secret vote without the earlier receipt).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyVoted extends Schema.TaggedError<AlreadyVoted>()("VotingAlreadyVoted", {
  proposalId: Schema.String,
  reason: Schema.Literal("no-change", "owner-voted", "receipt-required")
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_ALREADY_VOTED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const why = {
      "no-change": { "zh-CN": "本次表决不允许改票", en: "this vote does not allow changes" },
      "owner-voted": { "zh-CN": "业主本人已投票，代理人不能改票", en: "the owner voted in person; a proxy cannot change it" },
      "receipt-required": { "zh-CN": "不记名表决改票须出示原回执码", en: "changing a secret ballot needs the earlier receipt code" }
    }[this.reason]
    return { "zh-CN": `该户已投票：${why["zh-CN"]}`, en: `Already voted: ${why.en}` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The proposal is not in the state the command needs.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProposalNotOpen extends Schema.TaggedError<ProposalNotOpen>()("VotingProposalNotOpen", {
  proposalId: Schema.String,
  status: Schema.String,
  expected: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_PROPOSAL_NOT_OPEN"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `提案 ${this.proposalId} 当前状态为「${this.status}」，此操作需要「${this.expected}」`,
      en: `Proposal ${this.proposalId} is ${this.status}; this needs ${this.expected}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The voting deadline has passed (even if no sweep has closed the proposal yet).
 *
 * @since 0.1.0
 * @category errors
 */
export class DeadlinePassed extends Schema.TaggedError<DeadlinePassed>()("VotingDeadlinePassed", {
  proposalId: Schema.String,
  closesAt: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_DEADLINE_PASSED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const at = new Date(this.closesAt).toISOString()
    return { "zh-CN": `提案 ${this.proposalId} 的表决已于 ${at} 截止`, en: `Voting on proposal ${this.proposalId} closed at ${at}` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The choice breaks a rule of the ballot (`rule` says which).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidChoice extends Schema.TaggedError<InvalidChoice>()("VotingInvalidChoice", {
  proposalId: Schema.String,
  rule: Schema.String,
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_INVALID_CHOICE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return { "zh-CN": `选票无效（${this.rule}）：${this.detail}`, en: `Invalid choice (${this.rule}): ${this.detail}` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The proxy holder already holds the maximum number of principals.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProxyLimitExceeded extends Schema.TaggedError<ProxyLimitExceeded>()("VotingProxyLimitExceeded", {
  holderId: Schema.String,
  limit: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_PROXY_LIMIT_EXCEEDED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `受托人 ${this.holderId} 最多只能接受 ${this.limit} 位业主的委托`,
      en: `Proxy holder ${this.holderId} may hold at most ${this.limit} principals`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * No active proxy lets this resident vote for that principal.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProxyNotAuthorised extends Schema.TaggedError<ProxyNotAuthorised>()("VotingProxyNotAuthorised", {
  holderId: Schema.String,
  principalId: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_PROXY_NOT_AUTHORISED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `${this.holderId} 未获 ${this.principalId} 的有效委托`,
      en: `${this.holderId} holds no valid proxy from ${this.principalId}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * Paper ballots still await a second confirmation (or a correction), or the
 * same staff member tried to confirm their own entry.
 *
 * @since 0.1.0
 * @category errors
 */
export class PendingConfirmation extends Schema.TaggedError<PendingConfirmation>()("VotingPendingConfirmation", {
  proposalId: Schema.String,
  reason: Schema.Literal("paper-ballots-pending", "same-staff", "not-pending"),
  count: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_PENDING_CONFIRMATION"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const why = {
      "paper-ballots-pending": {
        "zh-CN": `尚有 ${this.count} 张纸质选票待复核或更正`,
        en: `${this.count} paper ballots still await confirmation or correction`
      },
      "same-staff": { "zh-CN": "录入人不能复核自己录入的纸质选票", en: "a paper ballot must be confirmed by another staff member" },
      "not-pending": { "zh-CN": "该纸质选票不在待复核状态", en: "this paper ballot is not awaiting review" }
    }[this.reason]
    return { "zh-CN": `提案 ${this.proposalId}：${why["zh-CN"]}`, en: `Proposal ${this.proposalId}: ${why.en}` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The proposal's rule or dates are not acceptable (a malformed threshold, a
 * deadline in the past, an empty electorate).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidProposal extends Schema.TaggedError<InvalidProposal>()("VotingInvalidProposal", {
  proposalId: Schema.String,
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_INVALID_PROPOSAL"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return { "zh-CN": `提案 ${this.proposalId} 无效：${this.detail}`, en: `Proposal ${this.proposalId} is invalid: ${this.detail}` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * Voting cannot open yet: the proposal requires more negotiation rounds
 * (协商会) than have been recorded. `missing` says how many are still needed.
 *
 * @since 0.1.0
 * @category errors
 */
export class NegotiationRoundsMissing extends Schema.TaggedError<NegotiationRoundsMissing>()("VotingNegotiationRoundsMissing", {
  proposalId: Schema.String,
  required: Schema.Int,
  held: Schema.Int,
  missing: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_NEGOTIATION_ROUNDS_MISSING"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `提案 ${this.proposalId} 须先召开 ${this.required} 次协商会，已召开 ${this.held} 次，还差 ${this.missing} 次`,
      en: `Proposal ${this.proposalId} needs ${this.required} negotiation rounds before voting; ${this.held} held, ${this.missing} missing`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The objection period (异议期) does not allow this: it is `over` (no more
 * objections), still `running` (the result cannot be final yet), or
 * `objections-pending` (`count` objections await the committee).
 *
 * @since 0.1.0
 * @category errors
 */
export class ObjectionPeriod extends Schema.TaggedError<ObjectionPeriod>()("VotingObjectionPeriod", {
  proposalId: Schema.String,
  reason: Schema.Literal("over", "running", "objections-pending", "not-pending"),
  endsAt: Schema.Int,
  count: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "VOTING_OBJECTION_PERIOD"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const at = new Date(this.endsAt).toISOString()
    const why = {
      over: { "zh-CN": `异议期已于 ${at} 结束`, en: `the objection period ended at ${at}` },
      running: { "zh-CN": `异议期至 ${at} 才结束，结果尚不能确定`, en: `the objection period runs until ${at}; the result cannot be final yet` },
      "objections-pending": { "zh-CN": `尚有 ${this.count} 项异议待处理`, en: `${this.count} objections await a decision` },
      "not-pending": { "zh-CN": "该异议已处理", en: "this objection was already resolved" }
    }[this.reason]
    return { "zh-CN": `提案 ${this.proposalId}：${why["zh-CN"]}`, en: `Proposal ${this.proposalId}: ${why.en}` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}
