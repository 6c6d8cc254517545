/**
 * The notification module's ports: its store (outbox, preferences, reply
 * codes), the delivery channels adapters implement, and its configuration.
 *
 * @since 0.2.0
 */
import { Context, type Effect, type Option } from "effect"
import type { AlreadyExists, Conflict, Locale, StoreUnavailable } from "../kernel/errors.js"
import type { CommunityId, ResidentId } from "../kernel/ids.js"
import type { Recipient } from "../kernel/notifier.js"
import type { ChannelFailure } from "./errors.js"
import type { OutboxEntry, OutboxStatus, Preferences, ReplyCode } from "./model.js"

/**
 * Which outbox entries to list.
 *
 * @since 0.2.0
 * @category ports
 */
export interface OutboxFilter {
  readonly status?: OutboxStatus
  readonly recipientKey?: string
  readonly limit?: number
}

/**
 * The notification store.
 *
 * - `enqueue` assigns `seq` (increasing in commit order is not required,
 *   only per community uniqueness and increase in insertion order) and
 *   returns the stored entry, or `None` when the idempotency key exists
 *   (the entry was enqueued before).
 * - `claim` takes up to `limit` entries that are `pending`, due
 *   (`nextAttemptAt <= now`), not held by a live claim (`claimedUntil <= now`
 *   or none), and first in line for their recipient: no earlier pending entry
 *   of the same recipient blocks it, where every earlier pending entry blocks
 *   a non-urgent one and only earlier urgent entries block an urgent one. It
 *   stamps them with `token` until `until` and returns them in `seq` order.
 *   PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers never take
 *   the same entry.
 * - `update` writes an entry only while `claimToken` matches the stored one
 *   (`expectedToken`); otherwise `Conflict` (the claim expired and another
 *   worker took the entry).
 *
 * @since 0.2.0
 * @category ports
 */
export class NotificationStore extends Context.Tag("@gongzhi/core/NotificationStore")<
  NotificationStore,
  {
    readonly enqueue: (entry: OutboxEntry) => Effect.Effect<Option.Option<OutboxEntry>, StoreUnavailable>
    readonly claim: (options: {
      readonly now: number
      readonly limit: number
      readonly token: string
      readonly until: number
      readonly communityId?: CommunityId
    }) => Effect.Effect<ReadonlyArray<OutboxEntry>, StoreUnavailable>
    readonly update: (entry: OutboxEntry, expectedToken: string | undefined) => Effect.Effect<void, Conflict | StoreUnavailable>
    readonly getEntry: (communityId: CommunityId, id: string) => Effect.Effect<Option.Option<OutboxEntry>, StoreUnavailable>
    readonly findByProviderMessageId: (
      communityId: CommunityId,
      provider: string,
      providerMessageId: string
    ) => Effect.Effect<Option.Option<OutboxEntry>, StoreUnavailable>
    /** Entries in `seq` order. */
    readonly listEntries: (communityId: CommunityId, filter?: OutboxFilter) => Effect.Effect<ReadonlyArray<OutboxEntry>, StoreUnavailable>
    /** Non-urgent entries to a recipient handed to a channel at or after `since`. */
    readonly countSentSince: (communityId: CommunityId, recipientKey: string, since: number) => Effect.Effect<number, StoreUnavailable>

    readonly getPreferences: (communityId: CommunityId, residentId: ResidentId) => Effect.Effect<Option.Option<Preferences>, StoreUnavailable>
    readonly putPreferences: (prefs: Preferences) => Effect.Effect<void, StoreUnavailable>
    readonly listPreferences: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<Preferences>, StoreUnavailable>

    /** Fails with `AlreadyExists` when the community already has the code (used or not). */
    readonly insertReplyCode: (code: ReplyCode) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getReplyCode: (communityId: CommunityId, code: string) => Effect.Effect<Option.Option<ReplyCode>, StoreUnavailable>
    /**
     * Marks every unused code of the group used; returns whether any was
     * unused. Two concurrent calls: exactly one gets `true`.
     */
    readonly useReplyGroup: (
      communityId: CommunityId,
      groupId: string,
      usedAt: number,
      usedBy: ResidentId
    ) => Effect.Effect<boolean, StoreUnavailable>
  }
>() {}

/**
 * One message handed to a channel. `reference` is the outbox entry's
 * idempotency key: the same on every retry of the entry.
 *
 * @since 0.2.0
 * @category channels
 */
export interface Delivery {
  readonly communityId: CommunityId
  readonly entryId: string
  readonly reference: string
  readonly recipient: Recipient
  readonly category: string
  readonly urgent: boolean
  readonly templateId: string
  readonly params: Readonly<Record<string, string | number>>
  readonly locale: Locale
  /** The rendered text in `locale` (template channels send `templateId` and `params` instead). */
  readonly text: string
}

/**
 * What a channel reports for an accepted message.
 *
 * @since 0.2.0
 * @category channels
 */
export interface Accepted {
  readonly provider: string
  readonly providerMessageId: string
  readonly segments?: number
}

/**
 * The SMS channel (implemented by `@gongzhi/notify-sms`). It resolves the
 * recipient's number from the directory itself, so numbers never pass
 * through the core.
 *
 * @since 0.2.0
 * @category channels
 */
export class SmsChannel extends Context.Tag("@gongzhi/core/SmsChannel")<
  SmsChannel,
  {
    /** Whether the recipient has a number the channel can use. */
    readonly reachable: (communityId: CommunityId, recipient: Recipient) => Effect.Effect<boolean, StoreUnavailable>
    readonly send: (delivery: Delivery) => Effect.Effect<Accepted, ChannelFailure | StoreUnavailable>
  }
>() {}

/**
 * The app push channel: the integrator's mini-program or app.
 *
 * @since 0.2.0
 * @category channels
 */
export class PushChannel extends Context.Tag("@gongzhi/core/PushChannel")<
  PushChannel,
  {
    readonly send: (delivery: Delivery) => Effect.Effect<Accepted, ChannelFailure | StoreUnavailable>
  }
>() {}

/**
 * Delivery settings; every field has a default (see {@link defaultNotificationConfig}).
 *
 * @since 0.2.0
 * @category config
 */
export interface NotificationConfigShape {
  /** Attempts that reach a channel before an entry is dead-lettered. */
  readonly maxAttempts: number
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
  /** How long a claim holds an entry; a worker killed mid-batch releases its entries after it. */
  readonly leaseMs: number
  readonly batchSize: number
  /** Entries sent at once within a batch. */
  readonly concurrency: number
  /** Non-urgent messages per recipient per local day. */
  readonly dailyLimitPerRecipient: number
  /** Local time of the community (China: +480). */
  readonly utcOffsetMinutes: number
}

/**
 * The defaults: 8 attempts, backoff 1 s doubling up to 1 h, 60 s lease,
 * batches of 100 sent 8 at a time, 10 non-urgent messages a day per
 * recipient, UTC+8.
 *
 * @since 0.2.0
 * @category config
 */
export const defaultNotificationConfig: NotificationConfigShape = {
  maxAttempts: 8,
  backoffBaseMs: 1000,
  backoffMaxMs: 3_600_000,
  leaseMs: 60_000,
  batchSize: 100,
  concurrency: 8,
  dailyLimitPerRecipient: 10,
  utcOffsetMinutes: 480
}

/**
 * Optional configuration of delivery.
 *
 * @since 0.2.0
 * @category config
 */
export class NotificationConfig extends Context.Tag("@gongzhi/core/NotificationConfig")<NotificationConfig, NotificationConfigShape>() {}
