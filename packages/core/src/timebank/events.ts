/**
 * The time bank's journal events: the public integration contract. Free
 * texts (notes, dispute reasons) stay in the store, never in events.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { LedgerTxId, ResidentId } from "../kernel/ids.js"
import { Party, ServiceId, ServiceTypeCode } from "./model.js"

/**
 * A community added a service type or changed one.
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankServiceTypeDefined = Schema.TaggedStruct("TimebankServiceTypeDefined", {
  code: ServiceTypeCode,
  multiplierPermille: Schema.Int,
  active: Schema.Boolean
})

/**
 * A provider recorded a service; it waits for the recipient's confirmation
 * (a confirmation request is sent to the recipient).
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankServiceRecorded = Schema.TaggedStruct("TimebankServiceRecorded", {
  serviceId: ServiceId,
  providerId: ResidentId,
  recipientId: ResidentId,
  serviceType: ServiceTypeCode,
  minutes: Schema.Int,
  /** The credit a confirmation will deposit. */
  centiHours: Schema.Int,
  recordedBy: Schema.String
})

/**
 * A service was confirmed (by the person served, by staff for them, or by
 * staff resolving a dispute) and its credit deposited to the provider.
 * Incentives award points from it.
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankServiceConfirmed = Schema.TaggedStruct("TimebankServiceConfirmed", {
  serviceId: ServiceId,
  providerId: ResidentId,
  recipientId: ResidentId,
  /** Credit deposited, after the multiplier. */
  centiHours: Schema.Int,
  /** Actual duration. */
  minutes: Schema.Int,
  serviceType: ServiceTypeCode,
  txId: LedgerTxId,
  confirmedBy: Schema.String
})

/**
 * The person served disputed a recorded service; staff decide.
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankServiceDisputed = Schema.TaggedStruct("TimebankServiceDisputed", {
  serviceId: ServiceId,
  providerId: ResidentId,
  recipientId: ResidentId,
  raisedBy: Schema.String
})

/**
 * Staff resolved a dispute (a `credit` outcome is followed by a
 * `TimebankServiceConfirmed`).
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankDisputeResolved = Schema.TaggedStruct("TimebankDisputeResolved", {
  serviceId: ServiceId,
  outcome: Schema.Literal("credit", "reject"),
  minutes: Schema.Int,
  resolvedBy: Schema.String
})

/**
 * Staff took back a credited service's deposit.
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankServiceReversed = Schema.TaggedStruct("TimebankServiceReversed", {
  serviceId: ServiceId,
  providerId: ResidentId,
  recipientId: ResidentId,
  centiHours: Schema.Int,
  minutes: Schema.Int,
  txId: LedgerTxId,
  reversedBy: Schema.String
})

/**
 * Credit moved between accounts: `transfer` (to family), `gift` (to a
 * parent), `redeem` (a resident pays for a service), `payout` (the community
 * account pays a resident).
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankCreditMoved = Schema.TaggedStruct("TimebankCreditMoved", {
  txId: LedgerTxId,
  movement: Schema.Literal("transfer", "gift", "redeem", "payout"),
  from: Party,
  to: Party,
  centiHours: Schema.Int,
  by: Schema.String
})

/**
 * A movement was undone by a compensating ledger transaction.
 *
 * @since 0.1.0
 * @category events
 */
export const TimebankMovementReversed = Schema.TaggedStruct("TimebankMovementReversed", {
  txId: LedgerTxId,
  reversalTxId: LedgerTxId,
  centiHours: Schema.Int,
  by: Schema.String
})

/**
 * Every time-bank event.
 *
 * @since 0.1.0
 * @category events
 */
export const TimeBankEvent = Schema.Union(
  TimebankServiceTypeDefined,
  TimebankServiceRecorded,
  TimebankServiceConfirmed,
  TimebankServiceDisputed,
  TimebankDisputeResolved,
  TimebankServiceReversed,
  TimebankCreditMoved,
  TimebankMovementReversed
)
/**
 * @since 0.1.0
 * @category events
 */
export type TimeBankEvent = typeof TimeBankEvent.Type
