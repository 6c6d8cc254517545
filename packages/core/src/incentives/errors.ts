/**
 * The incentive module's typed errors. Each leaves every balance, stock and
 * record unchanged.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError, registerEntityTitles } from "../kernel/errors.js"

// Names of this module's records in NotFound / AlreadyExists / Conflict messages.
registerEntityTitles({
  Award: { "zh-CN": "积分奖励", en: "Award" },
  CatalogueItem: { "zh-CN": "兑换商品", en: "CatalogueItem" },
  IncentiveProfile: { "zh-CN": "积分档案", en: "IncentiveProfile" },
  PointsLot: { "zh-CN": "积分批次", en: "PointsLot" },
  Redemption: { "zh-CN": "兑换", en: "Redemption" }
})

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
export class CapReached extends GongzhiTaggedError<CapReached>()("CapReached", {
  residentId: Schema.String,
  action: Schema.String,
  scope: Schema.Literal("action", "resident", "pair"),
  period: Schema.Literal("day", "week", "month"),
  limit: Schema.Int,
  used: Schema.Int,
  requested: Schema.Int
}, {
  code: "INCENTIVES_CAP_REACHED",
  kind: "precondition-failed",
  text: (e) => {
    const s = scopeText[e.scope]
    const p = periodText[e.period]
    return {
      "zh-CN": `积分已达上限：${s["zh-CN"]}${p["zh-CN"]}上限 ${e.limit} 分，已得 ${e.used} 分，本次 ${e.requested} 分未发放`,
      en: `Points cap reached: ${p.en} cap of ${e.limit} for ${s.en}, ${e.used} already used; ${e.requested} not awarded`
    }
  }
}) {}

/**
 * Not enough of a catalogue item is left.
 *
 * @since 0.1.0
 * @category errors
 */
export class OutOfStock extends GongzhiTaggedError<OutOfStock>()("OutOfStock", {
  itemId: Schema.String,
  stock: Schema.Int,
  requested: Schema.Int
}, {
  code: "INCENTIVES_OUT_OF_STOCK",
  kind: "conflict",
  text: (e) => {
    return {
      "zh-CN": `兑换品 ${e.itemId} 库存不足：剩余 ${e.stock}，需要 ${e.requested}`,
      en: `Item ${e.itemId} is out of stock: ${e.stock} left, ${e.requested} asked for`
    }
  }
}) {}

/**
 * The resident has reached the item's per-resident limit for the period.
 *
 * @since 0.1.0
 * @category errors
 */
export class RedemptionLimit extends GongzhiTaggedError<RedemptionLimit>()("RedemptionLimit", {
  itemId: Schema.String,
  residentId: Schema.String,
  limit: Schema.Int,
  period: Schema.Literal("month", "year", "ever"),
  used: Schema.Int
}, {
  code: "INCENTIVES_REDEMPTION_LIMIT",
  kind: "precondition-failed",
  text: (e) => {
    const p = { month: ["每月", "a month"], year: ["每年", "a year"], ever: ["累计", "in total"] }[e.period]
    return {
      "zh-CN": `兑换品 ${e.itemId} ${p[0]}每人限兑 ${e.limit} 件，已兑 ${e.used} 件`,
      en: `Item ${e.itemId} is limited to ${e.limit} per resident ${p[1]}; ${e.used} already redeemed`
    }
  }
}) {}

/**
 * The catalogue item is withdrawn (inactive).
 *
 * @since 0.1.0
 * @category errors
 */
export class ItemUnavailable extends GongzhiTaggedError<ItemUnavailable>()("ItemUnavailable", {
  itemId: Schema.String
}, {
  code: "INCENTIVES_ITEM_UNAVAILABLE",
  kind: "precondition-failed",
  text: (e) => {
    return { "zh-CN": `兑换品 ${e.itemId} 已下架`, en: `Item ${e.itemId} is no longer offered` }
  }
}) {}

/**
 * A redemption or award is not in a state that allows the command
 * (cancelling a fulfilled redemption, revoking a capped award, ...).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidState extends GongzhiTaggedError<InvalidState>()("InvalidState", {
  entity: Schema.Literal("Award", "Redemption"),
  id: Schema.String,
  status: Schema.String,
  command: Schema.String
}, {
  code: "INCENTIVES_INVALID_STATE",
  kind: "precondition-failed",
  text: (e) => {
    const name = e.entity === "Award" ? "积分记录" : "兑换记录"
    return {
      "zh-CN": `${name} ${e.id} 当前状态为 ${e.status}，不能执行 ${e.command}`,
      en: `${e.entity} ${e.id} is ${e.status}; ${e.command} is not possible`
    }
  }
}) {}
