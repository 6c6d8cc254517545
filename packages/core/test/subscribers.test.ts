import { MemoryInspector, MemoryStore } from "../../store-memory/src/index.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Schedule, Schema, TestClock } from "effect"
import {
  appendEvents,
  type CommunityId,
  drain,
  drainAll,
  Gongzhi,
  type JournalEntry,
  notificationSubscriber,
  OutgoingMessage,
  readJournal,
  renderMessage,
  replayDeadLetter,
  ResidentId,
  runWorker,
  type Subscriber,
  SubscriptionStore,
  transactionally
} from "../src/index.js"
import { C, C2 } from "./support.js"

const layer = MemoryStore.layer()

const Task = Schema.TaggedStruct("Task", { n: Schema.Int })
const appendTasks = (count: number, communityId: CommunityId = C) =>
  transactionally(appendEvents(communityId, Task, Array.from({ length: count }, (_, i) => ({ _tag: "Task" as const, n: i + 1 }))))

class Boom extends Schema.TaggedError<Boom>()("Boom", { seq: Schema.Int }) {
  override get message() {
    return `entry ${this.seq} cannot be handled`
  }
}

/**
 * A subscriber that records every call (outside the stores) and, for each
 * entry it handles successfully, one write in the database (inside the
 * drain's transaction), so we can tell attempts from committed work.
 */
const counting = (
  name: string,
  options: {
    readonly failWhen?: (entry: JournalEntry, attempt: number) => boolean
    readonly attempts?: number
    readonly batchSize?: number
    readonly die?: boolean
  } = {}
) =>
  Effect.gen(function* () {
    const { database: db } = yield* MemoryInspector
    const calls: Array<number> = []
    const attemptsOf = (seq: number) => calls.filter((s) => s === seq).length
    const committed = (seq: number, communityId: CommunityId = C) => db.get<number>("test_handled", `${communityId}/${name}/${seq}`) ?? 0
    const subscriber: Subscriber = {
      name,
      backoff: "1 millis",
      ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      handle: (entry) =>
        Effect.gen(function* () {
          calls.push(entry.seq)
          // the write comes first, so a failure must roll it back
          yield* Effect.sync(() => db.set("test_handled", `${entry.communityId}/${name}/${entry.seq}`, committed(entry.seq, entry.communityId) + 1))
          if (options.failWhen?.(entry, attemptsOf(entry.seq)) === true) {
            if (options.die === true) return yield* Effect.die(new Error(`kaboom at ${entry.seq}`))
            return yield* new Boom({ seq: entry.seq })
          }
        })
    }
    return { subscriber, calls, attemptsOf, committed }
  })

const position = (name: string, communityId: CommunityId = C) => Effect.flatMap(SubscriptionStore, (s) => s.position(communityId, name))
const deadLetters = (name?: string) => Effect.flatMap(SubscriptionStore, (s) => s.deadLetters(C, name))
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe("drain", () => {
  it.live("processes every entry once, in order, and advances the cursor", () =>
    Effect.gen(function* () {
      yield* appendTasks(10)
      const { calls, committed, subscriber } = yield* counting("sync")
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 10, deadLettered: 0, skipped: false })
      expect(calls).toStrictEqual(range(1, 10))
      for (const seq of range(1, 10)) expect(committed(seq)).toBe(1)
      expect(yield* position("sync")).toBe(10)
      // nothing new: nothing processed
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 0, deadLettered: 0, skipped: false })
      expect(calls).toHaveLength(10)
      // only what was appended since
      yield* appendTasks(3)
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 3, deadLettered: 0, skipped: false })
      expect(calls).toStrictEqual(range(1, 13))
      expect(yield* position("sync")).toBe(13)
      // another subscriber has its own cursor
      const other = yield* counting("other")
      expect((yield* drain(other.subscriber, C)).processed).toBe(13)
      expect(yield* position("other")).toBe(13)
    }).pipe(Effect.provide(layer)))

  it.live("works through the journal in batches", () =>
    Effect.gen(function* () {
      yield* appendTasks(10)
      const { calls, subscriber } = yield* counting("batched", { batchSize: 3 })
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 10, deadLettered: 0, skipped: false })
      expect(calls).toStrictEqual(range(1, 10))
      expect(yield* position("batched")).toBe(10)
    }).pipe(Effect.provide(layer)))

  it.live("retries a failing entry, then dead-letters it with the reason and goes on", () =>
    Effect.gen(function* () {
      yield* appendTasks(8)
      const { attemptsOf, committed, subscriber } = yield* counting("mailer", { attempts: 3, failWhen: (e) => e.seq === 4 })
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 7, deadLettered: 1, skipped: false })
      // tried exactly `attempts` times, its writes rolled back every time
      expect(attemptsOf(4)).toBe(3)
      expect(committed(4)).toBe(0)
      // every other entry was handled (and committed) once; the later ones too
      for (const seq of [1, 2, 3, 5, 6, 7, 8]) expect(committed(seq), `entry ${seq}`).toBe(1)
      expect(yield* position("mailer")).toBe(8)
      const entry = (yield* readJournal(C))[3]!
      const letters = yield* deadLetters("mailer")
      expect(letters).toHaveLength(1)
      expect(letters[0]).toMatchObject({
        communityId: C,
        subscriber: "mailer",
        seq: 4,
        eventId: entry.eventId,
        type: "Task",
        reason: "Boom: entry 4 cannot be handled",
        attempts: 3
      })
      // a second drain does not try it again
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 0, deadLettered: 0, skipped: false })
      expect(attemptsOf(4)).toBe(3)
    }).pipe(Effect.provide(layer)))

  it.effect("backs off exponentially between attempts (TestClock)", () =>
    Effect.gen(function* () {
      yield* appendTasks(2)
      const { attemptsOf, subscriber } = yield* counting("slow", { attempts: 3, failWhen: (e) => e.seq === 1 })
      const fiber = yield* Effect.fork(drain({ ...subscriber, backoff: "1 second" }, C))
      const settle = Effect.repeatN(Effect.yieldNow(), 50)
      yield* settle
      expect(attemptsOf(1)).toBe(1)
      yield* TestClock.adjust("999 millis")
      yield* settle
      expect(attemptsOf(1)).toBe(1)
      yield* TestClock.adjust("1 millis")
      yield* settle
      expect(attemptsOf(1)).toBe(2)
      yield* TestClock.adjust("1999 millis")
      yield* settle
      expect(attemptsOf(1)).toBe(2)
      expect(yield* deadLetters("slow")).toStrictEqual([])
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toStrictEqual({ processed: 1, deadLettered: 1, skipped: false })
      expect(attemptsOf(1)).toBe(3)
      expect((yield* deadLetters("slow")).map((l) => [l.seq, l.attempts, l.failedAt])).toStrictEqual([[1, 3, 3000]])
    }).pipe(Effect.provide(layer)))

  it.live("with attempts: 1 a failing entry is tried once", () =>
    Effect.gen(function* () {
      yield* appendTasks(3)
      const { attemptsOf, committed, subscriber } = yield* counting("once", { attempts: 1, failWhen: (e) => e.seq === 2 })
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 2, deadLettered: 1, skipped: false })
      expect(attemptsOf(2)).toBe(1)
      expect([committed(1), committed(2), committed(3)]).toStrictEqual([1, 0, 1])
      expect((yield* deadLetters("once")).map((l) => [l.seq, l.attempts])).toStrictEqual([[2, 1]])
    }).pipe(Effect.provide(layer)))

  it.live("dead-letters the first entry of a batch and a defect with its message", () =>
    Effect.gen(function* () {
      yield* appendTasks(5)
      const { attemptsOf, committed, subscriber } = yield* counting("die", {
        attempts: 2,
        batchSize: 2,
        die: true,
        failWhen: (e) => e.seq === 1 || e.seq === 5
      })
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 3, deadLettered: 2, skipped: false })
      expect([attemptsOf(1), attemptsOf(5)]).toStrictEqual([2, 2])
      expect(range(1, 5).map((s) => committed(s))).toStrictEqual([0, 1, 1, 1, 0])
      expect((yield* deadLetters("die")).map((l) => [l.seq, l.reason])).toStrictEqual([
        [1, "Error: kaboom at 1"],
        [5, "Error: kaboom at 5"]
      ])
    }).pipe(Effect.provide(layer)))

  it.live("a transient failure is retried and not dead-lettered", () =>
    Effect.gen(function* () {
      yield* appendTasks(6)
      // entry 4 fails on its first two attempts only
      const { attemptsOf, committed, subscriber } = yield* counting("flaky", { attempts: 5, failWhen: (e, n) => e.seq === 4 && n <= 2 })
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 6, deadLettered: 0, skipped: false })
      expect(attemptsOf(4)).toBe(3)
      for (const seq of range(1, 6)) expect(committed(seq)).toBe(1)
      expect(yield* deadLetters()).toStrictEqual([])
    }).pipe(Effect.provide(layer)))

  it.live("replayDeadLetter runs the entry again and removes the letter on success only", () =>
    Effect.gen(function* () {
      yield* appendTasks(5)
      let broken = true
      const { committed, subscriber } = yield* counting("replay", { attempts: 2, failWhen: (e) => broken && e.seq === 2 })
      yield* drain(subscriber, C)
      const [letter] = yield* deadLetters("replay")
      expect(letter?.seq).toBe(2)
      // still broken: the replay fails, the letter stays, its writes are rolled back
      const error = yield* Effect.flip(replayDeadLetter(subscriber, letter!))
      expect(error).toMatchObject({ _tag: "Boom", seq: 2 })
      expect(yield* deadLetters("replay")).toHaveLength(1)
      expect(committed(2)).toBe(0)
      // fixed: the replay succeeds and the letter is gone
      broken = false
      yield* replayDeadLetter(subscriber, letter!)
      expect(yield* deadLetters("replay")).toStrictEqual([])
      expect(committed(2)).toBe(1)
      expect(yield* position("replay")).toBe(5)
      expect(range(1, 5).map((s) => committed(s))).toStrictEqual([1, 1, 1, 1, 1])
    }).pipe(Effect.provide(layer)))

  it.live("drainAll drains every community with a journal", () =>
    Effect.gen(function* () {
      yield* appendTasks(3, C)
      yield* appendTasks(2, C2)
      const { committed, subscriber } = yield* counting("all")
      expect(yield* drainAll(subscriber)).toStrictEqual({ processed: 5, deadLettered: 0, skipped: false })
      expect([(yield* position("all", C)), (yield* position("all", C2))]).toStrictEqual([3, 2])
      expect([committed(3, C), committed(2, C2), committed(3, C2)]).toStrictEqual([1, 1, 0])
    }).pipe(Effect.provide(layer)))

  it.live("runWorker keeps draining new entries until interrupted", () =>
    Effect.gen(function* () {
      const { calls, subscriber } = yield* counting("worker")
      const worker = yield* Effect.fork(runWorker(subscriber, { pollInterval: "5 millis" }))
      yield* appendTasks(2)
      yield* position("worker").pipe(Effect.repeat({ until: (p) => p === 2, schedule: Schedule.spaced("5 millis") }))
      yield* appendTasks(1, C2)
      yield* position("worker", C2).pipe(Effect.repeat({ until: (p) => p === 1, schedule: Schedule.spaced("5 millis") }))
      yield* Fiber.interrupt(worker)
      expect([...calls].sort()).toStrictEqual([1, 1, 2])
    }).pipe(Effect.timeout("5 seconds"), Effect.provide(layer)))
})

describe("notificationSubscriber", () => {
  const toMessages = (entry: JournalEntry) =>
    Effect.succeed(
      entry.type === "Task"
        ? [
          new OutgoingMessage({
            communityId: entry.communityId,
            recipient: { _tag: "Resident", residentId: ResidentId.make("r1") },
            templateId: "ledger.posted",
            params: { account: "r1", amount: (entry.payload as { n: number }).n, unit: "points", balance: 100 },
            locale: "en",
            idempotencyKey: `task:${entry.eventId}`
          })
        ]
        : []
    )

  it.live("sends through the Notifier, and a redelivered entry is not sent twice", () =>
    Effect.gen(function* () {
      yield* appendTasks(4)
      const inspector = yield* MemoryInspector
      const subscriber = notificationSubscriber("sms", toMessages, { backoff: "1 millis" })
      expect((yield* drain(subscriber, C)).processed).toBe(4)
      const entries = yield* readJournal(C)
      const sent = inspector.outbox()
      expect(sent.map((m) => m.idempotencyKey)).toStrictEqual(entries.map((e) => `task:${e.eventId}`))
      expect(Option.getOrThrow(yield* renderMessage(sent[1]!))).toBe("Your account r1 changed by 2 points; balance 100 points.")
      // redelivery (a crashed worker, a rewound cursor) sends nothing new
      yield* transactionally(Effect.flatMap(SubscriptionStore, (s) => s.advance(C, "sms", 0)))
      expect((yield* drain(subscriber, C)).processed).toBe(4)
      expect(inspector.outbox()).toStrictEqual(sent)
    }).pipe(Effect.provide(Layer.merge(layer, Gongzhi.layer()))))

  it.live("an entry retried after sending does not duplicate the message", () =>
    Effect.gen(function* () {
      yield* appendTasks(3)
      const inspector = yield* MemoryInspector
      const base = notificationSubscriber("sms", toMessages)
      const tries = new Map<number, number>()
      // fails after sending, on the first two attempts of entry 2
      const subscriber: Subscriber<typeof base extends Subscriber<infer R> ? R : never> = {
        ...base,
        backoff: "1 millis",
        handle: (entry) =>
          Effect.zipRight(
            base.handle(entry),
            Effect.suspend(() => {
              const n = (tries.get(entry.seq) ?? 0) + 1
              tries.set(entry.seq, n)
              return entry.seq === 2 && n <= 2 ? Effect.fail("provider timeout") : Effect.void
            })
          )
      }
      expect(yield* drain(subscriber, C)).toStrictEqual({ processed: 3, deadLettered: 0, skipped: false })
      expect(tries.get(2)).toBe(3)
      const keys = inspector.outbox().map((m) => m.idempotencyKey)
      expect(keys).toHaveLength(3)
      expect(new Set(keys).size).toBe(3)
    }).pipe(Effect.provide(layer)))
})
