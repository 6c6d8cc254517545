/**
 * Journal subscribers: reactions (notifications, incentive awards, metrics,
 * an integrator's own sync) that run off the journal through durable cursors.
 *
 * Delivery is at least once. A batch of entries is handled and the cursor
 * advanced in one transaction, so writes a handler makes through Gongzhi's
 * stores happen exactly once; side effects outside the database (an SMS) may
 * repeat after a crash and must be idempotent by `entry.eventId`. A failing
 * entry is retried with exponential backoff and then moved to the dead-letter
 * list with the reason; nothing is dropped silently.
 *
 * @since 0.1.0
 */
import { Cause, Context, Duration, Effect, Option, Schedule, Schema } from "effect"
import type { StoreUnavailable } from "./errors.js"
import { CommunityId, EventId } from "./ids.js"
import { type JournalEntry, JournalStore } from "./journal.js"
import { Transaction } from "./transaction.js"

/**
 * An entry a subscriber gave up on, with the reason.
 *
 * @since 0.1.0
 * @category subscribers
 */
export class DeadLetter extends Schema.Class<DeadLetter>("DeadLetter")({
  communityId: CommunityId,
  subscriber: Schema.String,
  seq: Schema.Int,
  eventId: EventId,
  type: Schema.String,
  reason: Schema.String,
  attempts: Schema.Int,
  failedAt: Schema.Int
}) {}

/**
 * Storage of cursors and dead letters.
 *
 * `claim` is called inside a transaction: it locks the subscriber's cursor for
 * that community until the transaction ends (creating it at 0 if missing) and
 * returns the last processed `seq`, or `None` when another worker holds it
 * (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
 *
 * @since 0.1.0
 * @category ports
 */
export class SubscriptionStore extends Context.Tag("@gongzhi/core/SubscriptionStore")<
  SubscriptionStore,
  {
    readonly claim: (communityId: CommunityId, subscriber: string) => Effect.Effect<Option.Option<number>, StoreUnavailable>
    readonly advance: (communityId: CommunityId, subscriber: string, seq: number) => Effect.Effect<void, StoreUnavailable>
    readonly position: (communityId: CommunityId, subscriber: string) => Effect.Effect<number, StoreUnavailable>
    readonly addDeadLetter: (letter: DeadLetter) => Effect.Effect<void, StoreUnavailable>
    readonly deadLetters: (
      communityId: CommunityId,
      subscriber?: string
    ) => Effect.Effect<ReadonlyArray<DeadLetter>, StoreUnavailable>
    readonly removeDeadLetter: (
      communityId: CommunityId,
      subscriber: string,
      seq: number
    ) => Effect.Effect<void, StoreUnavailable>
  }
>() {}

/**
 * Wakes idle workers when entries are appended (PostgreSQL: `LISTEN`/`NOTIFY`).
 * Optional: without it, workers poll.
 *
 * @since 0.1.0
 * @category ports
 */
export class JournalSignal extends Context.Tag("@gongzhi/core/JournalSignal")<
  JournalSignal,
  {
    /** Completes when an append was committed, or after `timeout`. */
    readonly await: (timeout: Duration.Duration) => Effect.Effect<void>
  }
>() {}

/**
 * A reaction to journal entries.
 *
 * @since 0.1.0
 * @category subscribers
 */
export interface Subscriber<R = never> {
  /** Durable name of the cursor; changing it replays the whole journal. */
  readonly name: string
  /** Handles one entry. Must be idempotent by `entry.eventId` for effects outside the stores. */
  readonly handle: (entry: JournalEntry) => Effect.Effect<void, unknown, R>
  /** Attempts per entry before it is dead-lettered (default 5). */
  readonly attempts?: number
  /** First backoff delay; doubles each attempt (default 200 ms). */
  readonly backoff?: Duration.DurationInput
  /** Entries per transaction (default 100). */
  readonly batchSize?: number
}

/**
 * What one drain did.
 *
 * @since 0.1.0
 * @category subscribers
 */
export interface DrainReport {
  readonly processed: number
  readonly deadLettered: number
  /** Another worker held the cursor. */
  readonly skipped: boolean
}

type Deps = JournalStore | SubscriptionStore | Transaction

class HandlerFailed {
  readonly _tag = "HandlerFailed"
  constructor(readonly entry: JournalEntry, readonly cause: unknown) {}
}

const describe = (cause: unknown): string => {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`
  if (typeof cause === "object" && cause !== null && "_tag" in cause) {
    const msg = (cause as { message?: unknown }).message
    return typeof msg === "string" && msg !== "" ? `${String((cause as { _tag: unknown })._tag)}: ${msg}` : String((cause as { _tag: unknown })._tag)
  }
  return String(cause)
}

/**
 * Processes every entry the subscriber has not yet seen in one community,
 * then returns. Safe to run from several workers at once.
 *
 * @since 0.1.0
 * @category subscribers
 */
export const drain = <R>(
  subscriber: Subscriber<R>,
  communityId: CommunityId
): Effect.Effect<DrainReport, StoreUnavailable, R | Deps> =>
  Effect.gen(function* () {
    const journal = yield* JournalStore
    const subs = yield* SubscriptionStore
    const tx = yield* Transaction
    const batchSize = subscriber.batchSize ?? 100
    const attempts = Math.max(1, subscriber.attempts ?? 5)
    const backoff = Duration.decode(subscriber.backoff ?? Duration.millis(200))
    const schedule = Schedule.exponential(backoff).pipe(Schedule.intersect(Schedule.recurs(attempts - 1)))
    let processed = 0
    let deadLettered = 0

    // One transaction: claim, read up to `limit` entries, handle, advance.
    const step = (limit: number) =>
      tx.run(
        Effect.gen(function* () {
          const cursor = yield* subs.claim(communityId, subscriber.name)
          if (Option.isNone(cursor)) return "locked" as const
          const entries = yield* journal.read(communityId, cursor.value, limit)
          if (entries.length === 0) return 0
          for (const entry of entries) {
            yield* subscriber.handle(entry).pipe(
              Effect.sandbox,
              Effect.mapError((cause) => new HandlerFailed(entry, Cause.squash(cause)))
            )
          }
          yield* subs.advance(communityId, subscriber.name, entries[entries.length - 1]!.seq)
          return entries.length
        })
      )

    // After a batch fails, go one entry at a time up to the failing entry.
    let singleUntil = 0
    let batchFailure: HandlerFailed | undefined
    while (true) {
      const lastSeq: number = yield* subs.position(communityId, subscriber.name)
      if (lastSeq >= singleUntil) {
        const batch = yield* Effect.either(step(batchSize))
        if (batch._tag === "Right") {
          if (batch.right === "locked") return { processed, deadLettered, skipped: true }
          if (batch.right === 0) return { processed, deadLettered, skipped: false }
          processed += batch.right
          continue
        }
        if (batch.left._tag === "StoreUnavailable") return yield* Effect.fail(batch.left)
        singleUntil = batch.left.entry.seq
        batchFailure = batch.left
        continue
      }
      // The entry that failed the batch had its first attempt there: it gets
      // `attempts - 1` more, after the first backoff delay.
      const failedInBatch = batchFailure !== undefined && lastSeq + 1 === singleUntil ? batchFailure : undefined
      const single = yield* Effect.either(
        failedInBatch === undefined
          ? Effect.retry(step(1), schedule)
          : attempts === 1
          ? Effect.fail(failedInBatch)
          : Effect.zipRight(
            Effect.sleep(backoff),
            Effect.retry(
              step(1),
              Schedule.exponential(Duration.times(backoff, 2)).pipe(Schedule.intersect(Schedule.recurs(attempts - 2)))
            )
          )
      )
      if (single._tag === "Right") {
        if (single.right === "locked") return { processed, deadLettered, skipped: true }
        if (single.right === 0) return { processed, deadLettered, skipped: false }
        processed += single.right
        continue
      }
      if (single.left._tag === "StoreUnavailable") return yield* Effect.fail(single.left)
      const entry = single.left.entry
      const reason = describe(single.left.cause)
      const failedAt = yield* Effect.clockWith((c) => c.currentTimeMillis)
      const parked = yield* tx.run(
        Effect.gen(function* () {
          const cursor = yield* subs.claim(communityId, subscriber.name)
          if (Option.isNone(cursor) || cursor.value !== entry.seq - 1) return false
          yield* subs.addDeadLetter(
            new DeadLetter({
              communityId,
              subscriber: subscriber.name,
              seq: entry.seq,
              eventId: entry.eventId,
              type: entry.type,
              reason,
              attempts,
              failedAt
            })
          )
          yield* subs.advance(communityId, subscriber.name, entry.seq)
          return true
        })
      )
      if (parked) deadLettered += 1
    }
  })

/**
 * Drains the subscriber in every community that has a journal.
 *
 * @since 0.1.0
 * @category subscribers
 */
export const drainAll = <R>(subscriber: Subscriber<R>): Effect.Effect<DrainReport, StoreUnavailable, R | Deps> =>
  Effect.gen(function* () {
    const journal = yield* JournalStore
    const communities = yield* journal.communities()
    let processed = 0
    let deadLettered = 0
    let skipped = false
    for (const c of communities) {
      const r = yield* drain(subscriber, c)
      processed += r.processed
      deadLettered += r.deadLettered
      skipped = skipped || r.skipped
    }
    return { processed, deadLettered, skipped }
  })

/**
 * Runs a subscriber forever: drains every community, then waits for a
 * {@link JournalSignal} (if the adapter provides one) or `pollInterval`.
 * Fork it; interrupting it stops the worker between transactions.
 *
 * @since 0.1.0
 * @category subscribers
 */
export const runWorker = <R>(
  subscriber: Subscriber<R>,
  options: { readonly pollInterval?: Duration.DurationInput } = {}
): Effect.Effect<never, StoreUnavailable, R | Deps> =>
  Effect.gen(function* () {
    const signal = yield* Effect.serviceOption(JournalSignal)
    const interval = Duration.decode(options.pollInterval ?? Duration.seconds(1))
    const wait = Option.match(signal, {
      onNone: () => Effect.sleep(interval),
      onSome: (s) => s.await(interval)
    })
    return yield* Effect.forever(Effect.zipRight(drainAll(subscriber), wait))
  })

/**
 * Runs a dead-lettered entry through the subscriber again; on success it
 * leaves the dead-letter list.
 *
 * @since 0.1.0
 * @category subscribers
 */
export const replayDeadLetter = <R>(
  subscriber: Subscriber<R>,
  letter: DeadLetter
): Effect.Effect<void, unknown, R | Deps> =>
  Effect.gen(function* () {
    const journal = yield* JournalStore
    const subs = yield* SubscriptionStore
    const tx = yield* Transaction
    yield* tx.run(
      Effect.gen(function* () {
        const [entry] = yield* journal.read(letter.communityId, letter.seq - 1, 1)
        if (entry === undefined || entry.seq !== letter.seq) return
        yield* subscriber.handle(entry)
        yield* subs.removeDeadLetter(letter.communityId, letter.subscriber, letter.seq)
      })
    )
  })
