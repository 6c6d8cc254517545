/**
 * The time bank's typed failures. Each has a stable `code` and a text in
 * zh-CN and en; each leaves every balance and record unchanged. The kernel's
 * `InsufficientBalance`, `IdempotencyKeyReused`, `Forbidden`, `InvalidInput`
 * and `NotFound` are used as they are.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { LocalizedText } from "../kernel/errors.js"

/**
 * Someone other than the person served (or staff for them) tried to confirm
 * or dispute a service.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotServiceRecipient extends Schema.TaggedError<NotServiceRecipient>()("NotServiceRecipient", {
  serviceId: Schema.String,
  residentId: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "TIMEBANK_NOT_SERVICE_RECIPIENT"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `只有接受服务的居民（或代其操作的工作人员）可以确认服务 ${this.serviceId}`,
      en: `Only the person served (or staff for them) may confirm service ${this.serviceId}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The service was confirmed (credited) already; a second confirmation, a
 * dispute or a resolution after it is refused.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyConfirmed extends Schema.TaggedError<AlreadyConfirmed>()("AlreadyConfirmed", {
  serviceId: Schema.String,
  status: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "TIMEBANK_ALREADY_CONFIRMED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `服务 ${this.serviceId} 已确认，不能重复确认`,
      en: `Service ${this.serviceId} was already confirmed`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The action does not apply to the service in its current status (e.g.
 * confirming a disputed service, resolving one that is not disputed).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceWrongState extends Schema.TaggedError<ServiceWrongState>()("ServiceWrongState", {
  serviceId: Schema.String,
  status: Schema.String,
  action: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "TIMEBANK_SERVICE_WRONG_STATE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const status = {
      pending: "待确认",
      disputed: "有异议",
      credited: "已入账",
      rejected: "已驳回",
      reversed: "已冲正"
    }[this.status] ?? this.status
    return {
      "zh-CN": `服务 ${this.serviceId} 当前状态为「${status}」，不能执行 ${this.action}`,
      en: `Service ${this.serviceId} is ${this.status}; ${this.action} does not apply`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A transfer between residents whom the directory does not link as family
 * (`relation: "family"`), or a gift to someone who is not the giver's parent
 * (`relation: "parent"`).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFamilyMember extends Schema.TaggedError<NotFamilyMember>()("NotFamilyMember", {
  fromResidentId: Schema.String,
  toResidentId: Schema.String,
  relation: Schema.Literal("family", "parent")
}) {
  /** @since 0.1.0 */
  readonly code = "TIMEBANK_NOT_FAMILY_MEMBER"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return this.relation === "parent"
      ? {
        "zh-CN": `${this.toResidentId} 不是 ${this.fromResidentId} 的父母，不能转赠`,
        en: `${this.toResidentId} is not a parent of ${this.fromResidentId}; the gift is refused`
      }
      : {
        "zh-CN": `${this.toResidentId} 不是 ${this.fromResidentId} 的家庭成员，时间只能转给家人`,
        en: `${this.toResidentId} is not a family member of ${this.fromResidentId}; hours go to family only`
      }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The service type does not exist in this community or is inactive.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownServiceType extends Schema.TaggedError<UnknownServiceType>()("UnknownServiceType", {
  serviceType: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "TIMEBANK_UNKNOWN_SERVICE_TYPE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `服务类型 ${this.serviceType} 不存在或已停用`,
      en: `Service type ${this.serviceType} does not exist or is inactive`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The ledger transaction is not a time-bank movement that can be reversed
 * here (a deposit is reversed with `reverseService`; a reversal cannot be reversed).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotReversible extends Schema.TaggedError<NotReversible>()("NotReversible", {
  txId: Schema.String,
  reason: Schema.Literal("not-a-movement", "already-reversed")
}) {
  /** @since 0.1.0 */
  readonly code = "TIMEBANK_NOT_REVERSIBLE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return this.reason === "already-reversed"
      ? { "zh-CN": `交易 ${this.txId} 已冲正`, en: `Transaction ${this.txId} was already reversed` }
      : {
        "zh-CN": `交易 ${this.txId} 不是可冲正的时间银行转账`,
        en: `Transaction ${this.txId} is not a time-bank movement that can be reversed`
      }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}
