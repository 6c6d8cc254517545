/**
 * Journal events of notification delivery. They name residents by id only:
 * no phone number, no reply code, no message text.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { HouseholdId, ResidentId } from "../kernel/ids.js"
import { DeliveryChannel, ReplyPurpose } from "./model.js"

/**
 * A resident's preferences changed.
 *
 * @since 0.2.0
 * @category events
 */
export const NotificationPreferencesChanged = Schema.TaggedStruct("NotificationPreferencesChanged", {
  residentId: ResidentId,
  channels: Schema.Array(DeliveryChannel),
  optedOut: Schema.Array(Schema.String),
  stopped: Schema.Boolean,
  by: Schema.String
})

/**
 * A resident replied STOP / TD / 退订: no more non-urgent messages.
 *
 * @since 0.2.0
 * @category events
 */
export const NotificationOptedOutBySms = Schema.TaggedStruct("NotificationOptedOutBySms", {
  residentId: ResidentId
})

/**
 * Reply codes were issued (for a vote: one group per household).
 *
 * @since 0.2.0
 * @category events
 */
export const NotificationReplyCodesIssued = Schema.TaggedStruct("NotificationReplyCodesIssued", {
  purpose: ReplyPurpose,
  subjectId: Schema.String,
  groups: Schema.Int,
  expiresAt: Schema.Int,
  by: Schema.String
})

/**
 * A reply code was accepted (the ballot or confirmation itself is the voting
 * or time-bank module's own event).
 *
 * @since 0.2.0
 * @category events
 */
export const NotificationReplyAccepted = Schema.TaggedStruct("NotificationReplyAccepted", {
  purpose: ReplyPurpose,
  subjectId: Schema.String,
  residentId: ResidentId,
  householdId: Schema.optional(HouseholdId)
})

/**
 * Every notification event.
 *
 * @since 0.2.0
 * @category events
 */
export const NotificationEvent = Schema.Union(
  NotificationPreferencesChanged,
  NotificationOptedOutBySms,
  NotificationReplyCodesIssued,
  NotificationReplyAccepted
)
/**
 * @since 0.2.0
 * @category events
 */
export type NotificationEvent = typeof NotificationEvent.Type
