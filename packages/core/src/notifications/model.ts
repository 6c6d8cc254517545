/**
 * Notification delivery: outbox entries, residents' preferences and SMS
 * reply codes.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { Locale } from "../kernel/errors.js"
import { CommunityId, EventId, HouseholdId, ResidentId } from "../kernel/ids.js"
import { Recipient } from "../kernel/notifier.js"

/**
 * A delivery channel a resident can choose: SMS or the integrator's app push
 * (through the `PushChannel` port). An empty list of channels means "none":
 * the resident is on the staff call list.
 *
 * @since 0.2.0
 * @category preferences
 */
export const DeliveryChannel = Schema.Literal("sms", "push")
/**
 * @since 0.2.0
 * @category preferences
 */
export type DeliveryChannel = typeof DeliveryChannel.Type

/**
 * A local time window in minutes after midnight. `start > end` wraps
 * midnight (21:00-08:00 is `{ start: 1260, end: 480 }`); `start === end` is
 * no window.
 *
 * @since 0.2.0
 * @category preferences
 */
export const QuietWindow = Schema.Struct({
  start: Schema.Int.pipe(Schema.between(0, 1439)),
  end: Schema.Int.pipe(Schema.between(0, 1439))
})
/**
 * @since 0.2.0
 * @category preferences
 */
export type QuietWindow = typeof QuietWindow.Type

/**
 * The default quiet hours: 21:00 to 08:00 local time.
 *
 * @since 0.2.0
 * @category preferences
 */
export const defaultQuietHours: QuietWindow = { start: 21 * 60, end: 8 * 60 }

/**
 * A category name (`voting`, `billing`, `emergency`, ...).
 *
 * @since 0.2.0
 * @category outbox
 */
export const Category = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9_.-]{0,39}$/))

/**
 * A resident's notification preferences. Residents without a stored record
 * get {@link defaultPreferences}.
 *
 * @since 0.2.0
 * @category preferences
 */
export class Preferences extends Schema.Class<Preferences>("Preferences")({
  communityId: CommunityId,
  residentId: ResidentId,
  /** In order of preference; empty: no channel (staff call list). */
  channels: Schema.Array(DeliveryChannel).pipe(Schema.maxItems(2)),
  locale: Locale,
  /** `null`: no quiet hours. */
  quietHours: Schema.NullOr(QuietWindow),
  /** Categories the resident does not want (urgent messages still arrive). */
  optedOut: Schema.Array(Category).pipe(Schema.maxItems(100)),
  /** Replied STOP / TD / 退订: no non-urgent message at all. */
  stopped: Schema.Boolean,
  updatedAt: Schema.Int
}) {}

/**
 * The preferences of a resident who never set any: SMS, their directory
 * locale, quiet hours 21:00-08:00, no opt-out.
 *
 * @since 0.2.0
 * @category preferences
 */
export const defaultPreferences = (communityId: CommunityId, residentId: ResidentId, locale: Locale = "zh-CN"): Preferences =>
  new Preferences(
    { communityId, residentId, channels: ["sms"], locale, quietHours: defaultQuietHours, optedOut: [], stopped: false, updatedAt: 0 },
    { disableValidation: true }
  )

/**
 * Where an outbox entry is:
 * - `pending`: waiting for a worker (maybe deferred by quiet hours, a rate
 *   limit or a retry backoff until `nextAttemptAt`);
 * - `sent`: the provider accepted it; `delivered` / `failed`: the provider's
 *   receipt said so;
 * - `dead`: given up (retries exhausted or a permanent error), with the reason;
 * - `skipped`: the resident opted out; `call-list`: no reachable channel, a
 *   staff member must call.
 *
 * @since 0.2.0
 * @category outbox
 */
export const OutboxStatus = Schema.Literal("pending", "sent", "delivered", "failed", "dead", "skipped", "call-list")
/**
 * @since 0.2.0
 * @category outbox
 */
export type OutboxStatus = typeof OutboxStatus.Type

/**
 * Template parameters.
 *
 * @since 0.2.0
 * @category outbox
 */
export const Params = Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) })

/**
 * One durable notification. `seq` orders entries (per recipient delivery
 * follows it); the store assigns it on enqueue. `idempotencyKey` is unique
 * per community and is the reference sent to providers.
 *
 * @since 0.2.0
 * @category outbox
 */
export class OutboxEntry extends Schema.Class<OutboxEntry>("OutboxEntry")({
  communityId: CommunityId,
  id: Schema.String,
  seq: Schema.Int,
  recipient: Recipient,
  /** `resident:R1` / `staff:S1`: what ordering and rate limits group by. */
  recipientKey: Schema.String,
  category: Category,
  urgent: Schema.Boolean,
  templateId: Schema.String,
  params: Params,
  idempotencyKey: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  sourceEventId: Schema.optional(EventId),
  status: OutboxStatus,
  /** Send attempts that reached a channel. */
  attempts: Schema.Int,
  nextAttemptAt: Schema.Int,
  /** The worker that holds the entry, until `claimedUntil`. */
  claimToken: Schema.optional(Schema.String),
  claimedUntil: Schema.optional(Schema.Int),
  channel: Schema.optional(Schema.String),
  provider: Schema.optional(Schema.String),
  providerMessageId: Schema.optional(Schema.String),
  /** The provider's status or error code of the last outcome. */
  providerCode: Schema.optional(Schema.String),
  segments: Schema.optional(Schema.Int),
  /** Why the entry is deferred, dead, skipped or on the call list. */
  reason: Schema.optional(Schema.String),
  createdAt: Schema.Int,
  updatedAt: Schema.Int,
  sentAt: Schema.optional(Schema.Int),
  deliveredAt: Schema.optional(Schema.Int)
}) {}

/**
 * A notification to enqueue.
 *
 * @since 0.2.0
 * @category inputs
 */
export const NotificationRequest = Schema.Struct({
  communityId: CommunityId,
  recipient: Recipient,
  category: Category,
  /** Urgent messages ignore quiet hours, opt-outs and per-recipient rate limits. */
  urgent: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  templateId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  params: Schema.optionalWith(Params, { default: () => ({}) }),
  idempotencyKey: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  sourceEventId: Schema.optional(EventId)
})
/**
 * @since 0.2.0
 * @category inputs
 */
export type NotificationRequest = typeof NotificationRequest.Type

/**
 * What a reply code is for.
 *
 * @since 0.2.0
 * @category replies
 */
export const ReplyPurpose = Schema.Literal("vote", "service-confirmation")
/**
 * @since 0.2.0
 * @category replies
 */
export type ReplyPurpose = typeof ReplyPurpose.Type

/**
 * A one-time code a resident sends back by SMS. Codes of one `groupId` (one
 * household and proposal, or one service) are used up together: the first
 * valid reply wins, every later one is refused.
 *
 * @since 0.2.0
 * @category replies
 */
export class ReplyCode extends Schema.Class<ReplyCode>("ReplyCode")({
  communityId: CommunityId,
  code: Schema.String.pipe(Schema.pattern(/^[0-9]{6}$/)),
  purpose: ReplyPurpose,
  /** The proposal or time-bank service. */
  subjectId: Schema.String,
  groupId: Schema.String,
  householdId: Schema.optional(HouseholdId),
  /** Who may use the code (the household's owners, the person served). */
  residentIds: Schema.Array(ResidentId),
  /** For votes: the ballot choice the code stands for. */
  choice: Schema.optional(Schema.Unknown),
  label: Schema.String,
  issuedAt: Schema.Int,
  expiresAt: Schema.Int,
  usedAt: Schema.optional(Schema.Int),
  usedBy: Schema.optional(ResidentId)
}) {}

/**
 * Input of `updatePreferences`: any field left out keeps its value.
 *
 * @since 0.2.0
 * @category inputs
 */
export const UpdatePreferencesInput = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  channels: Schema.optional(Schema.Array(DeliveryChannel).pipe(Schema.maxItems(2))),
  locale: Schema.optional(Locale),
  quietHours: Schema.optional(Schema.NullOr(QuietWindow)),
  optedOut: Schema.optional(Schema.Array(Category).pipe(Schema.maxItems(100))),
  stopped: Schema.optional(Schema.Boolean)
})

/**
 * Input of `openSmsVote`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const OpenSmsVoteInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64))
})

/**
 * Input of `requestServiceConfirmation`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const RequestServiceConfirmationInput = Schema.Struct({
  communityId: CommunityId,
  serviceId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  /** The person served; they confirm by replying. */
  residentId: ResidentId,
  /** Validity in ms (default 7 days). */
  validForMs: Schema.optional(Schema.Int.pipe(Schema.positive()))
})

/**
 * An SMS that arrived from a resident's registered number (the adapter
 * resolved the number to `residentId`; the number itself never reaches the core).
 *
 * @since 0.2.0
 * @category inputs
 */
export const ReplyInput = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  text: Schema.String.pipe(Schema.maxLength(1000))
})

/**
 * Input of `recordReceipt`: a provider's delivery report.
 *
 * @since 0.2.0
 * @category inputs
 */
export const ReceiptInput = Schema.Struct({
  communityId: CommunityId,
  provider: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(40)),
  providerMessageId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  status: Schema.Literal("delivered", "failed"),
  code: Schema.optional(Schema.String.pipe(Schema.maxLength(100))),
  at: Schema.optional(Schema.Int)
})

/**
 * One line of the staff call list: a resident nobody can reach by a channel.
 *
 * @since 0.2.0
 * @category views
 */
export interface CallListLine {
  readonly residentId: ResidentId
  readonly name: string
  readonly householdId?: string
  readonly reason: "no-phone" | "no-channel" | "undeliverable"
  /** Messages waiting for a call (entries on the call list). */
  readonly pendingMessages: number
}

/**
 * What one delivery pass did.
 *
 * @since 0.2.0
 * @category outbox
 */
export interface DeliveryReport {
  readonly claimed: number
  readonly sent: number
  readonly deferred: number
  readonly retried: number
  readonly dead: number
  readonly skipped: number
  readonly callList: number
  /** Outcomes lost to another worker that reclaimed the entry (expired lease). */
  readonly lost: number
}
