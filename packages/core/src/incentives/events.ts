/**
 * The incentive module's journal events: the public integration contract.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { EventId, LedgerTxId, ResidentId } from "../kernel/ids.js"
import { CapHitSchema, ItemKind } from "./model.js"

/**
 * Points were awarded (the ledger transaction is `txId`).
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveAwarded = Schema.TaggedStruct("IncentiveAwarded", {
  awardId: Schema.String,
  residentId: ResidentId,
  action: Schema.String,
  source: Schema.Literal("event", "manual", "peer"),
  points: Schema.Int,
  grantedBy: Schema.String,
  giverId: Schema.optional(ResidentId),
  reason: Schema.optional(Schema.String),
  sourceEventId: Schema.optional(EventId),
  txId: LedgerTxId,
  lifetime: Schema.Int
})

/**
 * An award was stopped by a cap and recorded as capped: no points moved.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveCapReached = Schema.TaggedStruct("IncentiveCapReached", {
  awardId: Schema.String,
  residentId: ResidentId,
  action: Schema.String,
  source: Schema.Literal("event", "manual", "peer"),
  requested: Schema.Int,
  cap: CapHitSchema,
  giverId: Schema.optional(ResidentId),
  sourceEventId: Schema.optional(EventId)
})

/**
 * Lifetime points reached a threshold reward; `bonus` points were added
 * (ledger transaction `txId` when the bonus is positive).
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveThresholdReached = Schema.TaggedStruct("IncentiveThresholdReached", {
  residentId: ResidentId,
  threshold: Schema.Int,
  bonus: Schema.Int,
  txId: Schema.optional(LedgerTxId),
  lifetime: Schema.Int
})

/**
 * A resident's level changed (up with awards; down only when staff revoke an
 * award).
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveLevelChanged = Schema.TaggedStruct("IncentiveLevelChanged", {
  residentId: ResidentId,
  from: Schema.String,
  to: Schema.String,
  lifetime: Schema.Int
})

/**
 * Staff revoked an award; the points went back to issuance (`reversalTxId`).
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveAwardRevoked = Schema.TaggedStruct("IncentiveAwardRevoked", {
  awardId: Schema.String,
  residentId: ResidentId,
  points: Schema.Int,
  reversalTxId: LedgerTxId,
  reason: Schema.String,
  lifetime: Schema.Int
})

/**
 * A catalogue item was added.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveItemAdded = Schema.TaggedStruct("IncentiveItemAdded", {
  itemId: Schema.String,
  kind: ItemKind,
  name: Schema.String,
  cost: Schema.Int,
  stock: Schema.optional(Schema.Int)
})

/**
 * A catalogue item's cost, stock or activation changed.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveItemUpdated = Schema.TaggedStruct("IncentiveItemUpdated", {
  itemId: Schema.String,
  cost: Schema.Int,
  stock: Schema.optional(Schema.Int),
  active: Schema.Boolean
})

/**
 * Points were redeemed for an item.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveRedeemed = Schema.TaggedStruct("IncentiveRedeemed", {
  redemptionId: Schema.String,
  residentId: ResidentId,
  itemId: Schema.String,
  quantity: Schema.Int,
  points: Schema.Int,
  txId: LedgerTxId
})

/**
 * A redemption was cancelled: points refunded, stock restored.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveRedemptionCancelled = Schema.TaggedStruct("IncentiveRedemptionCancelled", {
  redemptionId: Schema.String,
  residentId: ResidentId,
  itemId: Schema.String,
  points: Schema.Int,
  refundTxId: LedgerTxId,
  reason: Schema.String
})

/**
 * A redemption was handed over.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveRedemptionFulfilled = Schema.TaggedStruct("IncentiveRedemptionFulfilled", {
  redemptionId: Schema.String,
  residentId: ResidentId,
  itemId: Schema.String
})

/**
 * A resident opted out of (or back into) public leaderboards.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveLeaderboardOptOutChanged = Schema.TaggedStruct("IncentiveLeaderboardOptOutChanged", {
  residentId: ResidentId,
  optedOut: Schema.Boolean
})

/**
 * Points of a lot expired (expiry on): `points` moved from the resident's
 * account to `inc:expired` in ledger transaction `txId`. `reason`: `due`
 * (`expireDue` found the lot expired) or `refund` (a cancelled redemption
 * gave points back to a lot that had expired meanwhile). Lifetime points and
 * levels are not affected.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentivePointsExpired = Schema.TaggedStruct("IncentivePointsExpired", {
  residentId: ResidentId,
  lotId: Schema.String,
  awardId: Schema.String,
  points: Schema.Int,
  expiresAt: Schema.Int,
  reason: Schema.Literal("due", "refund"),
  txId: LedgerTxId
})

/**
 * Every incentive event.
 *
 * @since 0.1.0
 * @category events
 */
export const IncentiveEvent = Schema.Union(
  IncentiveAwarded,
  IncentiveCapReached,
  IncentiveThresholdReached,
  IncentiveLevelChanged,
  IncentiveAwardRevoked,
  IncentiveItemAdded,
  IncentiveItemUpdated,
  IncentiveRedeemed,
  IncentiveRedemptionCancelled,
  IncentiveRedemptionFulfilled,
  IncentiveLeaderboardOptOutChanged,
  IncentivePointsExpired
)
/**
 * @since 0.1.0
 * @category events
 */
export type IncentiveEvent = typeof IncentiveEvent.Type
