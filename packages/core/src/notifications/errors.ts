/**
 * Failures of notification delivery and SMS replies.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError } from "../kernel/errors.js"

/**
 * A phone number is missing or not a valid mobile number. The number itself
 * is never carried (only whose it is).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidPhoneNumber extends GongzhiTaggedError<InvalidPhoneNumber>()("InvalidPhoneNumber", {
  /** `resident:R1`, `staff:S1` or `inbound`. */
  owner: Schema.String
}, {
  code: "NOTIFY_INVALID_PHONE_NUMBER",
  kind: "invalid-input",
  text: (e) => ({ "zh-CN": `${e.owner} 的手机号码无效`, en: `The phone number of ${e.owner} is not valid` })
}) {}

/**
 * The recipient opted out of this category (or of every non-urgent message).
 *
 * @since 0.2.0
 * @category errors
 */
export class OptedOut extends GongzhiTaggedError<OptedOut>()("OptedOut", {
  recipient: Schema.String,
  category: Schema.String
}, {
  code: "NOTIFY_OPTED_OUT",
  kind: "precondition-failed",
  text: (e) => ({ "zh-CN": `${e.recipient} 已退订"${e.category}"类通知`, en: `${e.recipient} opted out of ${e.category} messages` })
}) {}

/**
 * The recipient is in quiet hours: the message is deferred until `until`, not failed.
 *
 * @since 0.2.0
 * @category errors
 */
export class QuietHours extends GongzhiTaggedError<QuietHours>()("QuietHours", {
  recipient: Schema.String,
  until: Schema.Int
}, {
  code: "NOTIFY_QUIET_HOURS",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `${e.recipient} 处于免打扰时段，消息推迟至 ${new Date(e.until).toISOString()} 发送`,
    en: `${e.recipient} is in quiet hours; the message waits until ${new Date(e.until).toISOString()}`
  })
}) {}

/**
 * A core template has no approved template id at the provider.
 *
 * @since 0.2.0
 * @category errors
 */
export class TemplateNotMapped extends GongzhiTaggedError<TemplateNotMapped>()("TemplateNotMapped", {
  provider: Schema.String,
  templateId: Schema.String
}, {
  code: "NOTIFY_TEMPLATE_NOT_MAPPED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `模板 ${e.templateId} 未在 ${e.provider} 配置审核通过的模板编号`,
    en: `Template ${e.templateId} has no approved template id at ${e.provider}`
  })
}) {}

/**
 * The provider refused the message, with its code; `retryable` says whether
 * sending again may succeed (throttling, 5xx) or not (invalid number, template).
 *
 * @since 0.2.0
 * @category errors
 */
export class ProviderRejected extends GongzhiTaggedError<ProviderRejected>()("ProviderRejected", {
  provider: Schema.String,
  providerCode: Schema.String,
  retryable: Schema.Boolean,
  detail: Schema.String
}, {
  code: "NOTIFY_PROVIDER_REJECTED",
  kind: "unavailable",
  text: (e) => ({
    "zh-CN": `短信服务商 ${e.provider} 拒绝发送（${e.providerCode}${e.retryable ? "，可重试" : ""}）：${e.detail}`,
    en: `SMS provider ${e.provider} refused the message (${e.providerCode}${e.retryable ? ", retryable" : ""}): ${e.detail}`
  })
}) {}

/**
 * A rate limit (per provider or per recipient) is reached; the message waits until `retryAt`.
 *
 * @since 0.2.0
 * @category errors
 */
export class RateLimited extends GongzhiTaggedError<RateLimited>()("RateLimited", {
  scope: Schema.Literal("provider", "recipient"),
  retryAt: Schema.Int
}, {
  code: "NOTIFY_RATE_LIMITED",
  kind: "unavailable",
  text: (e) => ({
    "zh-CN": e.scope === "provider" ? "短信发送速率已达服务商上限，稍后重试" : "今日发给该号码的短信已达上限，明日再发",
    en: e.scope === "provider" ? "The provider's sending rate is reached; retrying later" : "Today's message limit for this number is reached; sending tomorrow"
  })
}) {}

/**
 * A reply carried no code we issued, a code of someone else, or one already used.
 *
 * @since 0.2.0
 * @category errors
 */
export class ReplyCodeInvalid extends GongzhiTaggedError<ReplyCodeInvalid>()("ReplyCodeInvalid", {
  reason: Schema.Literal("unknown", "not-yours", "used", "unreadable")
}, {
  code: "NOTIFY_REPLY_CODE_INVALID",
  kind: "invalid-input",
  text: (e) => ({
    "zh-CN": { unknown: "回复码不存在", "not-yours": "该回复码不属于此号码", used: "该回复码已使用", unreadable: "无法识别回复内容" }[e.reason],
    en: { unknown: "No such reply code", "not-yours": "This reply code belongs to another number", used: "This reply code was already used", unreadable: "The reply could not be read" }[e.reason]
  })
}) {}

/**
 * The reply code's vote or confirmation window has ended.
 *
 * @since 0.2.0
 * @category errors
 */
export class ReplyCodeExpired extends GongzhiTaggedError<ReplyCodeExpired>()("ReplyCodeExpired", {
  expiredAt: Schema.Int
}, {
  code: "NOTIFY_REPLY_CODE_EXPIRED",
  kind: "precondition-failed",
  text: () => ({ "zh-CN": "回复码已过期（表决或确认已截止）", en: "The reply code has expired (the vote or confirmation window is over)" })
}) {}

/**
 * What a channel's `send` may fail with.
 *
 * @since 0.2.0
 * @category errors
 */
export type ChannelFailure = InvalidPhoneNumber | TemplateNotMapped | ProviderRejected | RateLimited | OptedOut

/**
 * A proposal cannot be voted on by SMS: it is not open, it is secret (a code
 * stands for a choice and its household is known), or its ballot type has no
 * one-code-per-option form.
 *
 * @since 0.2.0
 * @category errors
 */
export class SmsVoteUnavailable extends GongzhiTaggedError<SmsVoteUnavailable>()("SmsVoteUnavailable", {
  proposalId: Schema.String,
  reason: Schema.Literal("not-open", "secret", "ballot-type")
}, {
  code: "NOTIFY_SMS_VOTE_UNAVAILABLE",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `提案 ${e.proposalId} 不能短信表决（${{ "not-open": "未在表决中", secret: "秘密表决", "ballot-type": "选票类型不支持" }[e.reason]}）`,
    en: `Proposal ${e.proposalId} cannot be voted on by SMS (${{ "not-open": "not open", secret: "secret ballot", "ballot-type": "ballot type not supported" }[e.reason]})`
  })
}) {}
