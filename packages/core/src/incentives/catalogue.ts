/**
 * The incentive module's entries in the command catalogue, and the schemas
 * of the results that had none.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { catalogueBuilder, catalogueEntries } from "../kernel/catalogue.js"
import { AlreadyExists, Conflict, Forbidden, IdempotencyKeyReused, InsufficientBalance, InvalidInput, NotFound, StoreUnavailable } from "../kernel/errors.js"
import { CommunityId, ResidentId } from "../kernel/ids.js"
import { CapReached, InvalidState, ItemUnavailable, OutOfStock, RedemptionLimit } from "./errors.js"
import { IncentiveEvent } from "./events.js"
import {
  AddItemInput,
  Award,
  AwardInput,
  CancelRedemptionInput,
  CatalogueItem,
  ExpireDueInput,
  FulfilRedemptionInput,
  IncentiveProfile,
  OptOutInput,
  PeerAwardInput,
  RedeemInput,
  Redemption,
  RevokeAwardInput,
  StandingsInput,
  UpdateItemInput
} from "./model.js"
import {
  addItem,
  award,
  awardPeer,
  cancelRedemption,
  catalogue,
  expireDue,
  fulfilRedemption,
  incentivePermissions,
  leaderboard,
  listAwards,
  listRedemptions,
  redeem,
  revokeAward,
  setLeaderboardOptOut,
  standing,
  standings,
  updateItem
} from "./service.js"

const entry = catalogueBuilder("incentives", incentivePermissions, IncentiveEvent, {
  action: { title: { "zh-CN": "行为", en: "Action" }, description: { "zh-CN": "配置的积分行为，如 vote、issue-report、volunteer。", en: "A configured action, e.g. vote, issue-report, volunteer." } },
  lifetime: { title: { "zh-CN": "累计积分", en: "Lifetime points" }, description: { "zh-CN": "历年获得的积分总和，决定等级；兑换不减少。", en: "All points ever earned; decides the level and never drops on redemption." } },
  level: { title: { "zh-CN": "等级", en: "Level" } },
  itemId: { title: { "zh-CN": "兑换项目", en: "Item" } },
  cost: { title: { "zh-CN": "所需积分", en: "Cost" } },
  stock: { title: { "zh-CN": "库存", en: "Stock" }, description: { "zh-CN": "缺省表示不限。", en: "Unlimited when absent." } },
  quantity: { title: { "zh-CN": "数量", en: "Quantity" } },
  optedOut: { title: { "zh-CN": "排行榜匿名", en: "Opted out" }, description: { "zh-CN": "为真时排行榜上隐藏姓名。", en: "When true, the leaderboard hides the name." } }
})

const Localized = Schema.Struct({ "zh-CN": Schema.String, en: Schema.String })

/**
 * A resident's standing (`Standing`): balance, lifetime points, level, the
 * next level and the perks unlocked.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const StandingSchema = Schema.Struct({
  residentId: ResidentId,
  balance: Schema.Int,
  lifetime: Schema.Int,
  level: Schema.Struct({ index: Schema.Int, id: Schema.String, name: Localized }),
  next: Schema.optional(Schema.Struct({ id: Schema.String, name: Localized, threshold: Schema.Int, missing: Schema.Int })),
  perks: Schema.Array(Schema.Struct({ id: Schema.String, text: Localized, quantity: Schema.optional(Schema.Int) })),
  optedOut: Schema.Boolean
})

/**
 * Result of `incentives.expireDue`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const ExpiryRunSchema = Schema.Struct({ lots: Schema.Int, points: Schema.Int, residents: Schema.Int, more: Schema.Boolean })

/**
 * Result of `incentives.leaderboard`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const LeaderboardSchema = Schema.Struct({
  period: Schema.String,
  start: Schema.Int,
  end: Schema.Int,
  rows: Schema.Array(Schema.Struct({ rank: Schema.Int, points: Schema.Int, name: Schema.String, residentId: Schema.optional(ResidentId) }))
})

const ResidentOf = Schema.Struct({ communityId: CommunityId, residentId: ResidentId })

/**
 * The incentive module's commands and queries.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const incentiveCommands = catalogueEntries(
  entry.command({
    name: "incentives.award",
    permission: "incentives.award",
    title: { "zh-CN": "发放积分", en: "Award points" },
    description: { "zh-CN": "按配置的行为（投票、反映问题、志愿服务等）给居民发放积分；受上限约束，带幂等键。", en: "Awards a resident points for a configured action (voting, reporting, volunteering, ...), within the caps, with an idempotency key." },
    input: AwardInput,
    result: Award,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, IdempotencyKeyReused, CapReached, InsufficientBalance, StoreUnavailable],
    events: ["IncentiveAwarded", "IncentiveCapReached", "IncentiveLevelChanged", "IncentiveThresholdReached"],
    command: award
  }),
  entry.command({
    name: "incentives.awardPeer",
    permission: "incentives.awardPeer",
    title: { "zh-CN": "邻里互助积分", en: "Award a neighbour" },
    description: { "zh-CN": "居民为帮助过自己的邻居发放互助积分。", en: "A resident awards neighbour-help points to someone who helped them." },
    input: PeerAwardInput,
    result: Award,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, IdempotencyKeyReused, CapReached, InsufficientBalance, StoreUnavailable],
    events: ["IncentiveAwarded", "IncentiveCapReached", "IncentiveLevelChanged", "IncentiveThresholdReached"],
    command: awardPeer
  }),
  entry.command({
    name: "incentives.revokeAward",
    permission: "incentives.revokeAward",
    title: { "zh-CN": "撤销积分", en: "Revoke an award" },
    description: { "zh-CN": "撤销一笔积分发放（冲正），等级随之调整。", en: "Revokes an award (a reversing posting); the level follows." },
    input: RevokeAwardInput,
    result: Award,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, InvalidState, InsufficientBalance, StoreUnavailable],
    events: ["IncentiveAwardRevoked", "IncentiveLevelChanged"],
    command: revokeAward
  }),
  entry.command({
    name: "incentives.addItem",
    permission: "incentives.addItem",
    title: { "zh-CN": "新增兑换项目", en: "Add a reward item" },
    description: { "zh-CN": "在积分兑换目录中新增项目（物业费折扣、停车时长、活动室优先、实物）。", en: "Adds an item to the rewards catalogue (property-fee discount, parking hours, activity-room priority, goods)." },
    input: AddItemInput,
    result: CatalogueItem,
    errors: [InvalidInput, Forbidden, AlreadyExists, Conflict, StoreUnavailable],
    events: ["IncentiveItemAdded"],
    command: addItem
  }),
  entry.command({
    name: "incentives.updateItem",
    permission: "incentives.updateItem",
    title: { "zh-CN": "修改兑换项目", en: "Update a reward item" },
    description: { "zh-CN": "修改兑换项目的积分、库存、限额或上下架。", en: "Changes an item's cost, stock, limit or availability." },
    input: UpdateItemInput,
    result: CatalogueItem,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, StoreUnavailable],
    events: ["IncentiveItemUpdated"],
    command: updateItem
  }),
  entry.command({
    name: "incentives.redeem",
    permission: "incentives.redeem",
    title: { "zh-CN": "兑换", en: "Redeem points" },
    description: { "zh-CN": "用积分兑换目录中的项目；检查库存与限额。", en: "Redeems points for a catalogue item, within its stock and limit." },
    input: RedeemInput,
    result: Redemption,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, IdempotencyKeyReused, ItemUnavailable, OutOfStock, RedemptionLimit, InsufficientBalance, StoreUnavailable],
    events: ["IncentiveItemUpdated", "IncentiveRedeemed"],
    command: redeem
  }),
  entry.command({
    name: "incentives.cancelRedemption",
    permission: "incentives.cancelRedemption",
    title: { "zh-CN": "取消兑换", en: "Cancel a redemption" },
    description: { "zh-CN": "取消待处理的兑换并退回积分与库存。", en: "Cancels a pending redemption; points and stock come back." },
    input: CancelRedemptionInput,
    result: Redemption,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, InvalidState, InsufficientBalance, StoreUnavailable],
    events: ["IncentiveItemUpdated", "IncentivePointsExpired", "IncentiveRedemptionCancelled"],
    command: cancelRedemption
  }),
  entry.command({
    name: "incentives.fulfilRedemption",
    permission: "incentives.fulfilRedemption",
    title: { "zh-CN": "完成兑换", en: "Fulfil a redemption" },
    description: { "zh-CN": "工作人员确认已交付兑换项目。", en: "Staff confirm that a redemption was handed over." },
    input: FulfilRedemptionInput,
    result: Redemption,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidState, StoreUnavailable],
    events: ["IncentiveRedemptionFulfilled"],
    command: fulfilRedemption
  }),
  entry.command({
    name: "incentives.expireDue",
    permission: "incentives.expireDue",
    title: { "zh-CN": "积分到期处理", en: "Expire due points" },
    description: { "zh-CN": "供定时任务调用：使到期的积分失效（开启积分有效期时）。", en: "For a scheduler: expires points whose lots are due (when expiry is configured)." },
    input: ExpireDueInput,
    result: ExpiryRunSchema,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, InsufficientBalance, StoreUnavailable],
    events: ["IncentivePointsExpired"],
    command: expireDue
  }),
  entry.command({
    name: "incentives.setLeaderboardOptOut",
    permission: "incentives.setLeaderboardOptOut",
    title: { "zh-CN": "排行榜隐私设置", en: "Leaderboard opt-out" },
    description: { "zh-CN": "居民选择在排行榜上隐藏姓名。", en: "A resident chooses to hide their name on the leaderboard." },
    input: OptOutInput,
    result: IncentiveProfile,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, StoreUnavailable],
    events: ["IncentiveLeaderboardOptOutChanged"],
    command: setLeaderboardOptOut
  }),
  entry.command({
    name: "incentives.standings",
    permission: "incentives.read",
    title: { "zh-CN": "批量查询积分状况", en: "Standings of many residents" },
    description: { "zh-CN": "一次读取多达 1000 名居民的积分、等级和权益，顺序同请求；供看板和模拟使用。", en: "The standings of up to 1,000 residents in one call, in the order asked; for dashboards and simulations." },
    input: StandingsInput,
    result: Schema.Array(StandingSchema),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: [],
    command: standings
  }),
  entry.query(ResidentOf, (actor, i) => standing(actor, i.communityId, i.residentId))({
    name: "incentives.standing",
    permission: "incentives.read",
    title: { "zh-CN": "积分状况", en: "Standing" },
    description: { "zh-CN": "居民的积分余额、累计积分、等级、下一等级和权益；居民只能看本人的。", en: "A resident's balance, lifetime points, level, next level and perks; residents see their own." },
    result: StandingSchema,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(
    Schema.Struct({ communityId: CommunityId, residentId: ResidentId, limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))) }),
    (actor, i) => listAwards(actor, i.communityId, i.residentId, i.limit ?? 1000)
  )({
    name: "incentives.listAwards",
    permission: "incentives.read",
    title: { "zh-CN": "积分记录", en: "Awards" },
    description: { "zh-CN": "居民的积分发放记录（含封顶和撤销的），从早到晚。", en: "A resident's awards, capped and revoked ones included, oldest first." },
    result: Schema.Array(Award),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(ResidentOf, (actor, i) => listRedemptions(actor, i.communityId, i.residentId))({
    name: "incentives.listRedemptions",
    permission: "incentives.read",
    title: { "zh-CN": "兑换记录", en: "Redemptions" },
    description: { "zh-CN": "居民的兑换记录。", en: "A resident's redemptions." },
    result: Schema.Array(Redemption),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(Schema.Struct({ communityId: CommunityId }), (actor, i) => catalogue(actor, i.communityId))({
    name: "incentives.catalogue",
    permission: "incentives.catalogue",
    title: { "zh-CN": "兑换目录", en: "Rewards catalogue" },
    description: { "zh-CN": "可兑换的项目；居民只看到上架的。", en: "The reward items; residents see the active ones only." },
    result: Schema.Array(CatalogueItem),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(
    Schema.Struct({
      communityId: CommunityId,
      period: Schema.Literal("month", "year"),
      at: Schema.optional(Schema.Int),
      limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
      locale: Schema.optional(Schema.Literal("zh-CN", "en"))
    }),
    (actor, i) =>
      leaderboard(actor, i.communityId, i.period, {
        ...(i.at === undefined ? {} : { at: i.at }),
        ...(i.limit === undefined ? {} : { limit: i.limit }),
        ...(i.locale === undefined ? {} : { locale: i.locale })
      })
  )({
    name: "incentives.leaderboard",
    permission: "incentives.leaderboard",
    title: { "zh-CN": "积分排行榜", en: "Leaderboard" },
    description: { "zh-CN": "本月或本年的积分排行；选择匿名的居民姓名被遮盖。", en: "The month's or year's ranking; opted-out residents' names are masked." },
    result: LeaderboardSchema,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  })
)
