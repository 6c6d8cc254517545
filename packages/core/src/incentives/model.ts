/**
 * The incentive module's records, command inputs, views and configuration.
 *
 * Points (积分) live on the kernel ledger in the unit `points`: an award is a
 * ledger transaction from the community's issuance account to the resident's
 * account, a redemption moves points to the sink account. This module keeps
 * what the ledger does not: award records (capped ones included), cap
 * counters, lifetime points and levels, the redemption catalogue and stock,
 * redemptions, and leaderboard totals and opt-outs.
 *
 * @since 0.1.0
 */
import { Context, Schema } from "effect"
import type { LocalizedText } from "../kernel/errors.js"
import { AccountId, CommunityId, EventId, LedgerTxId, ResidentId } from "../kernel/ids.js"
import type { CapLimits, ThresholdReward } from "./rules.js"

const NonNegInt = Schema.Int.pipe(Schema.between(0, Number.MAX_SAFE_INTEGER))
const PosInt = Schema.Int.pipe(Schema.between(1, Number.MAX_SAFE_INTEGER))
const Key = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(120))
const Slug = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/))

/**
 * An action that earns points, e.g. `vote`, `issue-report`,
 * `volunteer-service`, `adopted-proposal`, `neighbour-help`, `manual`.
 *
 * @since 0.1.0
 * @category model
 */
export const Action = Slug
/**
 * @since 0.1.0
 * @category model
 */
export type Action = typeof Action.Type

/**
 * A cap period.
 *
 * @since 0.1.0
 * @category model
 */
export const CapPeriodSchema = Schema.Literal("day", "week", "month")

/**
 * Which cap stopped an award (see `rules.ts`).
 *
 * @since 0.1.0
 * @category model
 */
export const CapHitSchema = Schema.Struct({
  scope: Schema.Literal("action", "resident", "pair"),
  period: CapPeriodSchema,
  limit: NonNegInt,
  used: NonNegInt
})

/**
 * A resident's incentive profile: their points account, lifetime points
 * (everything ever awarded, minus revoked awards; never lowered by spending),
 * their level and whether they opted out of public leaderboards.
 *
 * @since 0.1.0
 * @category model
 */
export const IncentiveProfile = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  accountId: AccountId,
  lifetime: NonNegInt,
  /** Index into the configured levels (0: 居民). */
  level: NonNegInt,
  optedOut: Schema.Boolean,
  createdAt: Schema.Int,
  updatedAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category model
 */
export type IncentiveProfile = typeof IncentiveProfile.Type

/**
 * A tumbling-window cap counter: points used by one resident in one scope
 * (`action:vote`, `resident`, `pair:<giverId>`) in window `window` of
 * `period`. One record per (community, resident, scopeKey, period),
 * overwritten when a new window starts.
 *
 * @since 0.1.0
 * @category model
 */
export const CapCounter = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  scopeKey: Schema.String,
  period: CapPeriodSchema,
  window: Schema.Int,
  used: NonNegInt
})
/**
 * @since 0.1.0
 * @category model
 */
export type CapCounter = typeof CapCounter.Type

/**
 * Where an award came from.
 *
 * @since 0.1.0
 * @category model
 */
export const AwardSource = Schema.Literal("event", "manual", "peer")

/**
 * An award: granted (`awarded`), stopped by a cap (`capped`, with the cap;
 * no points moved), or granted and later revoked by staff (`revoked`).
 *
 * @since 0.1.0
 * @category model
 */
export const Award = Schema.Struct({
  communityId: CommunityId,
  id: Schema.String,
  residentId: ResidentId,
  action: Action,
  source: AwardSource,
  status: Schema.Literal("awarded", "capped", "revoked"),
  /** Points asked for. */
  requested: PosInt,
  /** Points granted (0 when capped). */
  points: NonNegInt,
  /** Extra points from threshold rewards this award crossed. */
  bonus: NonNegInt,
  cap: Schema.optional(CapHitSchema),
  /** Who gave it: `resident:<id>` (peer), `staff:<id>` (manual), `system:<process>` (events). */
  grantedBy: Schema.String,
  giverId: Schema.optional(ResidentId),
  reason: Schema.optional(Schema.String),
  sourceEventId: Schema.optional(EventId),
  txId: Schema.optional(LedgerTxId),
  bonusTxId: Schema.optional(LedgerTxId),
  revocationTxId: Schema.optional(LedgerTxId),
  revocationKey: Schema.optional(Schema.String),
  idempotencyKey: Schema.optional(Schema.String),
  /** SHA-256 of the canonical request, to tell a replay from a reused key. */
  fingerprint: Schema.String,
  awardedAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category model
 */
export type Award = typeof Award.Type

/**
 * Points a resident earned in one leaderboard period (`month:2026-11`,
 * `year:2026`), and when their last counted award in it was made.
 *
 * @since 0.1.0
 * @category model
 */
export const PeriodTotal = Schema.Struct({
  communityId: CommunityId,
  period: Schema.String,
  residentId: ResidentId,
  points: Schema.Int,
  reachedAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category model
 */
export type PeriodTotal = typeof PeriodTotal.Type

/**
 * What a catalogue item is.
 *
 * @since 0.1.0
 * @category model
 */
export const ItemKind = Schema.Literal("property-fee-discount", "parking-hours", "activity-room-priority", "goods")
/**
 * @since 0.1.0
 * @category model
 */
export type ItemKind = typeof ItemKind.Type

/**
 * A per-resident redemption limit: at most `count` units per `period`.
 *
 * @since 0.1.0
 * @category model
 */
export const RedemptionLimitRule = Schema.Struct({
  count: PosInt,
  period: Schema.Literal("month", "year", "ever")
})

/**
 * An item of the redemption catalogue (积分兑换).
 *
 * @since 0.1.0
 * @category model
 */
export const CatalogueItem = Schema.Struct({
  communityId: CommunityId,
  id: Slug,
  kind: ItemKind,
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  /** Points per unit. */
  cost: PosInt,
  /** Units left; absent: unlimited. */
  stock: Schema.optional(NonNegInt),
  limit: Schema.optional(RedemptionLimitRule),
  /** What one unit is worth: fen of discount, parking minutes, hours of priority booking; informational. */
  value: Schema.optional(NonNegInt),
  active: Schema.Boolean,
  createdAt: Schema.Int,
  updatedAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category model
 */
export type CatalogueItem = typeof CatalogueItem.Type

/**
 * Points taken from one lot (see {@link PointsLot}).
 *
 * @since 0.1.0
 * @category model
 */
export const LotDrawSchema = Schema.Struct({
  lotId: Schema.String,
  points: PosInt
})

/**
 * A lot of points for expiry (积分批次), kept only while expiry is on: what
 * one award (`kind: "award"`) or its threshold bonus (`kind: "bonus"`) added
 * to the resident's balance, when it expires and how much of it is left.
 * Redemptions take from the oldest unexpired lots first; `expireDue` moves
 * what is left of expired lots out of the resident's account. Id:
 * `<awardId>:award` or `<awardId>:bonus`. Only `remaining` ever changes,
 * always within `0..amount`.
 *
 * @since 0.1.0
 * @category model
 */
export const PointsLot = Schema.Struct({
  communityId: CommunityId,
  id: Schema.String,
  residentId: ResidentId,
  awardId: Schema.String,
  kind: Schema.Literal("award", "bonus"),
  amount: PosInt,
  remaining: NonNegInt,
  awardedAt: Schema.Int,
  expiresAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category model
 */
export type PointsLot = typeof PointsLot.Type

/**
 * A redemption: `pending` until staff hand it over (`fulfilled`), or
 * `cancelled` (points refunded, stock restored).
 *
 * @since 0.1.0
 * @category model
 */
export const Redemption = Schema.Struct({
  communityId: CommunityId,
  id: Schema.String,
  residentId: ResidentId,
  itemId: Slug,
  quantity: PosInt,
  points: PosInt,
  status: Schema.Literal("pending", "fulfilled", "cancelled"),
  /** The limit window it counts in (month or year number; 0 for `ever`). */
  limitWindow: Schema.Int,
  txId: LedgerTxId,
  refundTxId: Schema.optional(LedgerTxId),
  reason: Schema.optional(Schema.String),
  idempotencyKey: Schema.optional(Schema.String),
  fingerprint: Schema.String,
  /**
   * With expiry on: the points taken from each lot, in spending order (a
   * refund gives them back to the same lots). Absent when expiry was off or
   * no lot was drawn from.
   */
  draws: Schema.optional(Schema.Array(LotDrawSchema)),
  redeemedAt: Schema.Int,
  closedAt: Schema.optional(Schema.Int)
})
/**
 * @since 0.1.0
 * @category model
 */
export type Redemption = typeof Redemption.Type

// ---------------------------------------------------------------- inputs

const IfCapped = Schema.Literal("record", "fail")

/**
 * Input of `award` (a manual award by staff, with a reason). `action`
 * defaults to `manual`; `points` defaults to the rule table's points for the
 * action and is required for actions without a rule. `ifCapped`: `record`
 * (default) records a capped award and returns it; `fail` fails with
 * `CapReached` and changes nothing.
 *
 * @since 0.1.0
 * @category inputs
 */
export const AwardInput = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  action: Schema.optional(Action),
  points: Schema.optional(PosInt.pipe(Schema.lessThanOrEqualTo(1_000_000))),
  reason: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)),
  idempotencyKey: Schema.optional(Key),
  ifCapped: Schema.optional(IfCapped)
})

/**
 * Input of `awardPeer`: a resident thanks a neighbour for help (邻里互助);
 * the neighbour gets the peer action's points from the community, not from
 * the giver.
 *
 * @since 0.1.0
 * @category inputs
 */
export const PeerAwardInput = Schema.Struct({
  communityId: CommunityId,
  giverId: ResidentId,
  receiverId: ResidentId,
  note: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  idempotencyKey: Schema.optional(Key),
  ifCapped: Schema.optional(IfCapped)
}).pipe(
  Schema.filter((i) => i.giverId !== i.receiverId || { path: ["receiverId"], message: "a resident cannot thank themselves" })
)

/**
 * Input of `revokeAward`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RevokeAwardInput = Schema.Struct({
  communityId: CommunityId,
  awardId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  reason: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)),
  idempotencyKey: Schema.optional(Key)
})

/**
 * Input of `addItem`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const AddItemInput = Schema.Struct({
  communityId: CommunityId,
  itemId: Slug,
  kind: ItemKind,
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  cost: PosInt.pipe(Schema.lessThanOrEqualTo(10_000_000)),
  stock: Schema.optional(NonNegInt),
  limit: Schema.optional(RedemptionLimitRule),
  value: Schema.optional(NonNegInt)
})

/**
 * Input of `updateItem`: a new cost, stock added (restock), activation.
 *
 * @since 0.1.0
 * @category inputs
 */
export const UpdateItemInput = Schema.Struct({
  communityId: CommunityId,
  itemId: Slug,
  cost: Schema.optional(PosInt.pipe(Schema.lessThanOrEqualTo(10_000_000))),
  addStock: Schema.optional(PosInt),
  active: Schema.optional(Schema.Boolean)
})

/**
 * Input of `redeem`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RedeemInput = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  itemId: Slug,
  quantity: Schema.optionalWith(PosInt.pipe(Schema.lessThanOrEqualTo(1000)), { default: () => 1 }),
  idempotencyKey: Schema.optional(Key)
})

/**
 * Input of `cancelRedemption`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const CancelRedemptionInput = Schema.Struct({
  communityId: CommunityId,
  redemptionId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  reason: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500))
})

/**
 * Input of `fulfilRedemption`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const FulfilRedemptionInput = Schema.Struct({
  communityId: CommunityId,
  redemptionId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))
})

/**
 * Input of `setLeaderboardOptOut`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const OptOutInput = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  optedOut: Schema.Boolean
})

/**
 * Input of `expireDue`: expires the lots due now, at most `limit` of them
 * (default 1000; `more` in the result says whether to call again).
 *
 * @since 0.1.0
 * @category inputs
 */
export const ExpireDueInput = Schema.Struct({
  communityId: CommunityId,
  limit: Schema.optionalWith(PosInt.pipe(Schema.lessThanOrEqualTo(10_000)), { default: () => 1000 })
})

/**
 * What one `expireDue` run did: lots expired, points moved, and whether
 * more lots are due (the limit was reached).
 *
 * @since 0.1.0
 * @category views
 */
export interface ExpiryRun {
  readonly lots: number
  readonly points: number
  readonly residents: number
  readonly more: boolean
}

// ---------------------------------------------------------------- views

/**
 * A perk a level unlocks (权益).
 *
 * @since 0.1.0
 * @category config
 */
export interface Perk {
  readonly id: string
  readonly text: LocalizedText
  /** How much, where it applies: free parking minutes a month, bookings ahead, ... */
  readonly quantity?: number
}

/**
 * A level (等级) with its lifetime-points threshold and the perks it unlocks
 * (on top of the perks of the levels below).
 *
 * @since 0.1.0
 * @category config
 */
export interface LevelDefinition {
  readonly id: string
  readonly name: LocalizedText
  readonly threshold: number
  readonly perks: ReadonlyArray<Perk>
}

/**
 * A resident's standing: balance, lifetime points, level, the next level and
 * the perks unlocked.
 *
 * @since 0.1.0
 * @category views
 */
export interface Standing {
  readonly residentId: ResidentId
  readonly balance: number
  readonly lifetime: number
  readonly level: { readonly index: number; readonly id: string; readonly name: LocalizedText }
  readonly next?: { readonly id: string; readonly name: LocalizedText; readonly threshold: number; readonly missing: number }
  readonly perks: ReadonlyArray<Perk>
  readonly optedOut: boolean
}

/**
 * Input of `standings`: up to 1,000 residents of one community.
 *
 * @since 0.2.0
 * @category inputs
 */
export const StandingsInput = Schema.Struct({
  communityId: CommunityId,
  residentIds: Schema.Array(ResidentId).pipe(Schema.maxItems(1000))
})

/**
 * A leaderboard row as shown publicly: opted-out residents' names are
 * masked (`王**`) or replaced (`匿名居民`) and their ids left out.
 *
 * @since 0.1.0
 * @category views
 */
export interface LeaderboardRow {
  readonly rank: number
  readonly points: number
  readonly name: string
  readonly residentId?: ResidentId
}

/**
 * A leaderboard.
 *
 * @since 0.1.0
 * @category views
 */
export interface Leaderboard {
  readonly period: string
  readonly start: number
  readonly end: number
  readonly rows: ReadonlyArray<LeaderboardRow>
}

// ---------------------------------------------------------------- config

/**
 * How a journal event from another module turns into an award: the action,
 * the payload field that names the resident (a missing field means no
 * award), and optionally a field that must equal a value.
 *
 * @since 0.1.0
 * @category config
 */
export interface EventRule {
  readonly action: string
  readonly recipientField: string
  readonly when?: { readonly field: string; readonly equals: string }
}

/**
 * Everything configurable in the incentive module. Every number here is a
 * default from the seed or a choice of ours, and can be replaced with
 * `Layer.succeed(IncentiveConfig, {...})`.
 *
 * @since 0.1.0
 * @category config
 */
export interface IncentiveConfigShape {
  /** The rule table: points per action. */
  readonly points: { readonly [action: string]: number }
  /** Journal event type -> award rule; remove a type to stop awarding for it. */
  readonly events: { readonly [eventType: string]: EventRule }
  /** The action of peer awards (`awardPeer`). */
  readonly peerAction: string
  /** The action of staff's manual awards when none is given. */
  readonly manualAction: string
  /** Caps per action, in points per period. */
  readonly perAction: { readonly [action: string]: CapLimits }
  /** Caps on all of a resident's points per period. */
  readonly perResident: CapLimits
  /** Actions the per-resident cap neither counts nor limits. */
  readonly residentCapExempt: ReadonlyArray<string>
  /** Caps on peer awards per giver-receiver pair, in points per period. */
  readonly perPair: CapLimits
  /** Levels, lowest first; the first threshold must be 0 and thresholds strictly ascend. */
  readonly levels: ReadonlyArray<LevelDefinition>
  /** Rewards when lifetime points reach a threshold. */
  readonly thresholdRewards: ReadonlyArray<ThresholdReward>
  /** Local time's offset from UTC in minutes (periods, leaderboards); Asia/Shanghai is 480 (no DST). */
  readonly utcOffsetMinutes: number
  /** How opted-out residents appear on leaderboards. */
  readonly optedOutDisplay: "mask" | "anonymous"
  /**
   * Point expiry: points expire `afterDays` days (of 24 hours) after their
   * award, and redemptions spend the oldest unexpired points first.
   * `undefined` (the default): points never expire and no lots are kept.
   */
  readonly expiry?: ExpiryConfig | undefined
}

/**
 * The expiry setting: a positive whole number of days.
 *
 * @since 0.1.0
 * @category config
 */
export interface ExpiryConfig {
  readonly afterDays: number
}

const text = (zh: string, en: string): LocalizedText => ({ "zh-CN": zh, en })

/**
 * The defaults. Points from the seed (vote 5, issue report 3, volunteer
 * service 10, adopted proposal 20, neighbour help 2; reward at 100); the
 * level names from the seed; thresholds, caps and perks are our defaults.
 *
 * @since 0.1.0
 * @category config
 */
export const defaultIncentiveConfig: IncentiveConfigShape = {
  points: {
    vote: 5,
    "issue-report": 3,
    "volunteer-service": 10,
    "adopted-proposal": 20,
    "neighbour-help": 2
  },
  events: {
    VotingParticipationRecorded: { action: "vote", recipientField: "residentId" },
    IssueReportSubmitted: { action: "issue-report", recipientField: "reporterId" },
    TimebankServiceConfirmed: { action: "volunteer-service", recipientField: "providerId" },
    VotingProposalDecided: { action: "adopted-proposal", recipientField: "proposerId", when: { field: "outcome", equals: "passed" } }
  },
  peerAction: "neighbour-help",
  manualAction: "manual",
  perAction: {
    vote: { day: 25 },
    "issue-report": { day: 9, week: 30 },
    "volunteer-service": { day: 30, month: 300 },
    "adopted-proposal": { month: 100 },
    "neighbour-help": { day: 10, week: 40 }
  },
  perResident: { day: 60 },
  residentCapExempt: ["manual"],
  perPair: { week: 6 },
  levels: [
    { id: "resident", name: text("居民", "Resident"), threshold: 0, perks: [] },
    {
      id: "activist",
      name: text("积极分子", "Activist"),
      threshold: 50,
      perks: [{ id: "free-parking", text: text("每月免费停车60分钟", "60 free parking minutes a month"), quantity: 60 }]
    },
    {
      id: "backbone",
      name: text("骨干", "Mainstay"),
      threshold: 200,
      perks: [{ id: "activity-room-priority", text: text("优先预约社区活动室", "Priority booking of the activity room") }]
    },
    {
      id: "star",
      name: text("明星居民", "Star resident"),
      threshold: 500,
      perks: [{ id: "free-parking", text: text("每月免费停车180分钟", "180 free parking minutes a month"), quantity: 180 }]
    },
    {
      id: "hero",
      name: text("社区英雄", "Community hero"),
      threshold: 1000,
      perks: [{ id: "annual-ceremony", text: text("受邀参加年度社区英雄颁奖典礼", "Invitation to the annual community hero ceremony") }]
    }
  ],
  thresholdRewards: [{ at: 100, bonus: 10 }],
  utcOffsetMinutes: 480,
  optedOutDisplay: "mask",
  expiry: undefined
}

/**
 * The incentive module's configuration; defaults to
 * {@link defaultIncentiveConfig}, so nothing needs providing. Override with
 * `Layer.succeed(IncentiveConfig, { ...defaultIncentiveConfig, ... })`.
 *
 * @since 0.1.0
 * @category config
 */
export class IncentiveConfig extends Context.Reference<IncentiveConfig>()("@gongzhi/core/IncentiveConfig", {
  defaultValue: (): IncentiveConfigShape => defaultIncentiveConfig
}) {}
