/**
 * The time bank's typed failures. Each has a stable `code` and a text in
 * zh-CN and en; each leaves every balance and record unchanged. The kernel's
 * `InsufficientBalance`, `IdempotencyKeyReused`, `Forbidden`, `InvalidInput`
 * and `NotFound` are used as they are.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError, registerEntityTitles } from "../kernel/errors.js"

// Names of this module's records in NotFound / AlreadyExists / Conflict messages.
registerEntityTitles({
  TimeBankService: { "zh-CN": "时间银行服务记录", en: "TimeBankService" }
})

/**
 * Someone other than the person served (or staff for them) tried to confirm
 * or dispute a service.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotServiceRecipient extends GongzhiTaggedError<NotServiceRecipient>()("NotServiceRecipient", {
  serviceId: Schema.String,
  residentId: Schema.String
}, {
  code: "TIMEBANK_NOT_SERVICE_RECIPIENT",
  kind: "forbidden",
  text: (e) => {
    return {
      "zh-CN": `只有接受服务的居民（或代其操作的工作人员）可以确认服务 ${e.serviceId}`,
      en: `Only the person served (or staff for them) may confirm service ${e.serviceId}`
    }
  }
}) {}

/**
 * The service was confirmed (credited) already; a second confirmation, a
 * dispute or a resolution after it is refused.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyConfirmed extends GongzhiTaggedError<AlreadyConfirmed>()("AlreadyConfirmed", {
  serviceId: Schema.String,
  status: Schema.String
}, {
  code: "TIMEBANK_ALREADY_CONFIRMED",
  kind: "conflict",
  text: (e) => {
    return {
      "zh-CN": `服务 ${e.serviceId} 已确认，不能重复确认`,
      en: `Service ${e.serviceId} was already confirmed`
    }
  }
}) {}

/**
 * The action does not apply to the service in its current status (e.g.
 * confirming a disputed service, resolving one that is not disputed).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceWrongState extends GongzhiTaggedError<ServiceWrongState>()("ServiceWrongState", {
  serviceId: Schema.String,
  status: Schema.String,
  action: Schema.String
}, {
  code: "TIMEBANK_SERVICE_WRONG_STATE",
  kind: "precondition-failed",
  text: (e) => {
    const status = {
      pending: "待确认",
      disputed: "有异议",
      credited: "已入账",
      rejected: "已驳回",
      reversed: "已冲正"
    }[e.status] ?? e.status
    return {
      "zh-CN": `服务 ${e.serviceId} 当前状态为「${status}」，不能执行 ${e.action}`,
      en: `Service ${e.serviceId} is ${e.status}; ${e.action} does not apply`
    }
  }
}) {}

/**
 * A transfer between residents whom the directory does not link as family
 * (`relation: "family"`), or a gift to someone who is not the giver's parent
 * (`relation: "parent"`).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFamilyMember extends GongzhiTaggedError<NotFamilyMember>()("NotFamilyMember", {
  fromResidentId: Schema.String,
  toResidentId: Schema.String,
  relation: Schema.Literal("family", "parent")
}, {
  code: "TIMEBANK_NOT_FAMILY_MEMBER",
  kind: "forbidden",
  text: (e) => {
    return e.relation === "parent"
      ? {
        "zh-CN": `${e.toResidentId} 不是 ${e.fromResidentId} 的父母，不能转赠`,
        en: `${e.toResidentId} is not a parent of ${e.fromResidentId}; the gift is refused`
      }
      : {
        "zh-CN": `${e.toResidentId} 不是 ${e.fromResidentId} 的家庭成员，时间只能转给家人`,
        en: `${e.toResidentId} is not a family member of ${e.fromResidentId}; hours go to family only`
      }
  }
}) {}

/**
 * The service type does not exist in this community or is inactive.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownServiceType extends GongzhiTaggedError<UnknownServiceType>()("UnknownServiceType", {
  serviceType: Schema.String
}, {
  code: "TIMEBANK_UNKNOWN_SERVICE_TYPE",
  kind: "invalid-input",
  text: (e) => {
    return {
      "zh-CN": `服务类型 ${e.serviceType} 不存在或已停用`,
      en: `Service type ${e.serviceType} does not exist or is inactive`
    }
  }
}) {}

/**
 * The ledger transaction is not a time-bank movement that can be reversed
 * here (a deposit is reversed with `reverseService`; a reversal cannot be reversed).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotReversible extends GongzhiTaggedError<NotReversible>()("NotReversible", {
  txId: Schema.String,
  reason: Schema.Literal("not-a-movement", "already-reversed")
}, {
  code: "TIMEBANK_NOT_REVERSIBLE",
  kind: "precondition-failed",
  text: (e) => {
    return e.reason === "already-reversed"
      ? { "zh-CN": `交易 ${e.txId} 已冲正`, en: `Transaction ${e.txId} was already reversed` }
      : {
        "zh-CN": `交易 ${e.txId} 不是可冲正的时间银行转账`,
        en: `Transaction ${e.txId} is not a time-bank movement that can be reversed`
      }
  }
}) {}
