/**
 * The voting module's failures. Each has a stable `code` and a text in zh-CN
 * and en; each leaves every store unchanged. `Forbidden`, `InvalidInput`,
 * `NotFound` and `Conflict` come from the kernel.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError, registerEntityTitles } from "../kernel/errors.js"

// Names of this module's records in NotFound / AlreadyExists / Conflict messages.
registerEntityTitles({
  Proposal: { "zh-CN": "提案", en: "Proposal" },
  Amendment: { "zh-CN": "修正案", en: "Amendment" },
  Electorate: { "zh-CN": "表决名册", en: "Electorate" },
  NegotiationRound: { "zh-CN": "协商会记录", en: "NegotiationRound" },
  Objection: { "zh-CN": "异议", en: "Objection" },
  PaperBallot: { "zh-CN": "纸质选票", en: "PaperBallot" },
  Post: { "zh-CN": "议事发言", en: "Post" },
  Proxy: { "zh-CN": "投票委托", en: "Proxy" },
  SecretBallot: { "zh-CN": "不记名选票", en: "SecretBallot" },
  VotingUnit: { "zh-CN": "表决单位", en: "VotingUnit" }
})

/**
 * The resident holds no voting unit in the proposal's frozen electorate.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotEligible extends GongzhiTaggedError<NotEligible>()("VotingNotEligible", {
  proposalId: Schema.String,
  residentId: Schema.String
}, {
  code: "VOTING_NOT_ELIGIBLE",
  kind: "forbidden",
  text: (e) => {
    return {
      "zh-CN": `居民 ${e.residentId} 不在提案 ${e.proposalId} 的表决名册中`,
      en: `Resident ${e.residentId} is not in the electorate of proposal ${e.proposalId}`
    }
  }
}) {}

/**
 * The voting unit has voted and may not change its ballot (policy, a proxy
 * after the owner, or a secret vote without the earlier receipt).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyVoted extends GongzhiTaggedError<AlreadyVoted>()("VotingAlreadyVoted", {
  proposalId: Schema.String,
  reason: Schema.Literal("no-change", "owner-voted", "receipt-required")
}, {
  code: "VOTING_ALREADY_VOTED",
  kind: "conflict",
  text: (e) => {
    const why = {
      "no-change": { "zh-CN": "本次表决不允许改票", en: "this vote does not allow changes" },
      "owner-voted": { "zh-CN": "业主本人已投票，代理人不能改票", en: "the owner voted in person; a proxy cannot change it" },
      "receipt-required": { "zh-CN": "不记名表决改票须出示原回执码", en: "changing a secret ballot needs the earlier receipt code" }
    }[e.reason]
    return { "zh-CN": `该户已投票：${why["zh-CN"]}`, en: `Already voted: ${why.en}` }
  }
}) {}

const proposalStatusZh: Readonly<Record<string, string>> = {
  review: "待审核",
  draft: "草稿",
  scheduled: "已排期",
  open: "表决中",
  closed: "已截止",
  decided: "已决定",
  withdrawn: "已撤回",
  "scheduled (not yet due)": "已排期（未到开始时间）",
  "scheduled and due": "已排期且已到开始时间"
}
/** `open|closed` -> `表决中或已截止`; an unknown word is kept as it is. */
const statusZh = (s: string) => s.split("|").map((w) => proposalStatusZh[w] ?? w).join("或")

/**
 * The proposal is not in the state the command needs.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProposalNotOpen extends GongzhiTaggedError<ProposalNotOpen>()("VotingProposalNotOpen", {
  proposalId: Schema.String,
  status: Schema.String,
  expected: Schema.String
}, {
  code: "VOTING_PROPOSAL_NOT_OPEN",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `提案 ${e.proposalId} 当前状态为「${statusZh(e.status)}」，此操作需要「${statusZh(e.expected)}」`,
      en: `Proposal ${e.proposalId} is ${e.status}; this needs ${e.expected}`
    }
  }
}) {}

/**
 * The voting deadline has passed (even if no sweep has closed the proposal yet).
 *
 * @since 0.1.0
 * @category errors
 */
export class DeadlinePassed extends GongzhiTaggedError<DeadlinePassed>()("VotingDeadlinePassed", {
  proposalId: Schema.String,
  closesAt: Schema.Int
}, {
  code: "VOTING_DEADLINE_PASSED",
  kind: "precondition-failed",
  text: (e) => {
    const at = new Date(e.closesAt).toISOString()
    return { "zh-CN": `提案 ${e.proposalId} 的表决已于 ${at} 截止`, en: `Voting on proposal ${e.proposalId} closed at ${at}` }
  }
}) {}

/**
 * The choice breaks a rule of the ballot (`rule` says which).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidChoice extends GongzhiTaggedError<InvalidChoice>()("VotingInvalidChoice", {
  proposalId: Schema.String,
  rule: Schema.String,
  detail: Schema.String
}, {
  code: "VOTING_INVALID_CHOICE",
  kind: "invalid-input",
  text: (e) => {
    return { "zh-CN": `选票无效（${e.rule}）：${e.detail}`, en: `Invalid choice (${e.rule}): ${e.detail}` }
  }
}) {}

/**
 * The proxy holder already holds the maximum number of principals.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProxyLimitExceeded extends GongzhiTaggedError<ProxyLimitExceeded>()("VotingProxyLimitExceeded", {
  holderId: Schema.String,
  limit: Schema.Int
}, {
  code: "VOTING_PROXY_LIMIT_EXCEEDED",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `受托人 ${e.holderId} 最多只能接受 ${e.limit} 位业主的委托`,
      en: `Proxy holder ${e.holderId} may hold at most ${e.limit} principals`
    }
  }
}) {}

/**
 * No active proxy lets this resident vote for that principal.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProxyNotAuthorised extends GongzhiTaggedError<ProxyNotAuthorised>()("VotingProxyNotAuthorised", {
  holderId: Schema.String,
  principalId: Schema.String
}, {
  code: "VOTING_PROXY_NOT_AUTHORISED",
  kind: "forbidden",
  text: (e) => {
    return {
      "zh-CN": `${e.holderId} 未获 ${e.principalId} 的有效委托`,
      en: `${e.holderId} holds no valid proxy from ${e.principalId}`
    }
  }
}) {}

/**
 * Paper ballots still await a second confirmation (or a correction), or the
 * same staff member tried to confirm their own entry.
 *
 * @since 0.1.0
 * @category errors
 */
export class PendingConfirmation extends GongzhiTaggedError<PendingConfirmation>()("VotingPendingConfirmation", {
  proposalId: Schema.String,
  reason: Schema.Literal("paper-ballots-pending", "same-staff", "not-pending"),
  count: Schema.Int
}, {
  code: "VOTING_PENDING_CONFIRMATION",
  kind: "precondition-failed",
  text: (e) => {
    const why = {
      "paper-ballots-pending": {
        "zh-CN": `尚有 ${e.count} 张纸质选票待复核或更正`,
        en: `${e.count} paper ballots still await confirmation or correction`
      },
      "same-staff": { "zh-CN": "录入人不能复核自己录入的纸质选票", en: "a paper ballot must be confirmed by another staff member" },
      "not-pending": { "zh-CN": "该纸质选票不在待复核状态", en: "this paper ballot is not awaiting review" }
    }[e.reason]
    return { "zh-CN": `提案 ${e.proposalId}：${why["zh-CN"]}`, en: `Proposal ${e.proposalId}: ${why.en}` }
  }
}) {}

/**
 * The proposal's rule or dates are not acceptable (a malformed threshold, a
 * deadline in the past, an empty electorate).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidProposal extends GongzhiTaggedError<InvalidProposal>()("VotingInvalidProposal", {
  proposalId: Schema.String,
  detail: Schema.String
}, {
  code: "VOTING_INVALID_PROPOSAL",
  kind: "invalid-input",
  text: (e) => {
    return { "zh-CN": `提案 ${e.proposalId} 无效：${e.detail}`, en: `Proposal ${e.proposalId} is invalid: ${e.detail}` }
  }
}) {}

/**
 * Voting cannot open yet: the proposal requires more negotiation rounds
 * (协商会) than have been recorded. `missing` says how many are still needed.
 *
 * @since 0.1.0
 * @category errors
 */
export class NegotiationRoundsMissing extends GongzhiTaggedError<NegotiationRoundsMissing>()("VotingNegotiationRoundsMissing", {
  proposalId: Schema.String,
  required: Schema.Int,
  held: Schema.Int,
  missing: Schema.Int
}, {
  code: "VOTING_NEGOTIATION_ROUNDS_MISSING",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `提案 ${e.proposalId} 须先召开 ${e.required} 次协商会，已召开 ${e.held} 次，还差 ${e.missing} 次`,
      en: `Proposal ${e.proposalId} needs ${e.required} negotiation rounds before voting; ${e.held} held, ${e.missing} missing`
    }
  }
}) {}

/**
 * The objection period (异议期) does not allow this: it is `over` (no more
 * objections), still `running` (the result cannot be final yet), or
 * `objections-pending` (`count` objections await the committee).
 *
 * @since 0.1.0
 * @category errors
 */
export class ObjectionPeriod extends GongzhiTaggedError<ObjectionPeriod>()("VotingObjectionPeriod", {
  proposalId: Schema.String,
  reason: Schema.Literal("over", "running", "objections-pending", "not-pending"),
  endsAt: Schema.Int,
  count: Schema.Int
}, {
  code: "VOTING_OBJECTION_PERIOD",
  kind: "precondition-failed",
  text: (e) => {
    const at = new Date(e.endsAt).toISOString()
    const why = {
      over: { "zh-CN": `异议期已于 ${at} 结束`, en: `the objection period ended at ${at}` },
      running: { "zh-CN": `异议期至 ${at} 才结束，结果尚不能确定`, en: `the objection period runs until ${at}; the result cannot be final yet` },
      "objections-pending": { "zh-CN": `尚有 ${e.count} 项异议待处理`, en: `${e.count} objections await a decision` },
      "not-pending": { "zh-CN": "该异议已处理", en: "this objection was already resolved" }
    }[e.reason]
    return { "zh-CN": `提案 ${e.proposalId}：${why["zh-CN"]}`, en: `Proposal ${e.proposalId}: ${why.en}` }
  }
}) {}
