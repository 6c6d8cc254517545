/**
 * The incentive module's typed errors. Each leaves every balance, stock and
 * record unchanged.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { LocalizedText } from "../kernel/errors.js"

const scopeText = {
  action: { "zh-CN": "该行为", en: "this action" },
  resident: { "zh-CN": "个人总计", en: "the resident's total" },
  pair: { "zh-CN": "同一赠与人与受赠人之间", en: "this giver and receiver" }
} as const
const periodText = {
  day: { "zh-CN": "每日", en: "daily" },
  week: { "zh-CN": "每周", en: "weekly" },
  month: { "zh-CN": "每月", en: "monthly" }
} as const

/**
 * An award would exceed a cap (asked for with `ifCapped: "fail"`; by
 * default a capped award is recorded as capped instead). Says which cap.
 *
 * @since 0.1.0
 * @category errors
 */
export class CapReached extends Schema.TaggedError<CapReached>()("CapReached", {
  residentId: Schema.String,
  action: Schema.String,
  scope: Schema.Literal("action", "resident", "pair"),
  period: Schema.Literal("day", "week", "month"),
  limit: Schema.Int,
  used: Schema.Int,
  requested: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "INCENTIVES_CAP_REACHED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const s = scopeText[this.scope]
    const p = periodText[this.period]
    return {
      "zh-CN": `积分已达上限：${s["zh-CN"]}${p["zh-CN"]}上限 ${this.limit} 分，已得 ${this.used} 分，本次 ${this.requested} 分未发放`,
      en: `Points cap reached: ${p.en} cap of ${this.limit} for ${s.en}, ${this.used} already used; ${this.requested} not awarded`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * Not enough of a catalogue item is left.
 *
 * @since 0.1.0
 * @category errors
 */
export class OutOfStock extends Schema.TaggedError<OutOfStock>()("OutOfStock", {
  itemId: Schema.String,
  stock: Schema.Int,
  requested: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "INCENTIVES_OUT_OF_STOCK"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `兑换品 ${this.itemId} 库存不足：剩余 ${this.stock}，需要 ${this.requested}`,
      en: `Item ${this.itemId} is out of stock: ${this.stock} left, ${this.requested} asked for`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The resident has reached the item's per-resident limit for the period.
 *
 * @since 0.1.0
 * @category errors
 */
export class RedemptionLimit extends Schema.TaggedError<RedemptionLimit>()("RedemptionLimit", {
  itemId: Schema.String,
  residentId: Schema.String,
  limit: Schema.Int,
  period: Schema.Literal("month", "year", "ever"),
  used: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "INCENTIVES_REDEMPTION_LIMIT"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const p = { month: ["每月", "a month"], year: ["每年", "a year"], ever: ["累计", "in total"] }[this.period]
    return {
      "zh-CN": `兑换品 ${this.itemId} ${p[0]}每人限兑 ${this.limit} 件，已兑 ${this.used} 件`,
      en: `Item ${this.itemId} is limited to ${this.limit} per resident ${p[1]}; ${this.used} already redeemed`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The catalogue item is withdrawn (inactive).
 *
 * @since 0.1.0
 * @category errors
 */
export class ItemUnavailable extends Schema.TaggedError<ItemUnavailable>()("ItemUnavailable", {
  itemId: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "INCENTIVES_ITEM_UNAVAILABLE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return { "zh-CN": `兑换品 ${this.itemId} 已下架`, en: `Item ${this.itemId} is no longer offered` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A redemption or award is not in a state that allows the command
 * (cancelling a fulfilled redemption, revoking a capped award, ...).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidState extends Schema.TaggedError<InvalidState>()("InvalidState", {
  entity: Schema.Literal("Award", "Redemption"),
  id: Schema.String,
  status: Schema.String,
  command: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "INCENTIVES_INVALID_STATE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const e = this.entity === "Award" ? "积分记录" : "兑换记录"
    return {
      "zh-CN": `${e} ${this.id} 当前状态为 ${this.status}，不能执行 ${this.command}`,
      en: `${this.entity} ${this.id} is ${this.status}; ${this.command} is not possible`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}
