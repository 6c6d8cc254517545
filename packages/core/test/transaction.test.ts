import { MemoryInspector, MemoryStore } from "../../store-memory/src/index.js"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, Option, Schema } from "effect"
import {
  appendEvents,
  DeadLetter,
  EventId,
  LedgerStore,
  openAccount,
  postTransaction,
  readJournal,
  SubscriptionStore,
  transactionally,
  verifyJournal
} from "../src/index.js"
import { A, C, snapshot, treasurer } from "./support.js"

const layer = MemoryStore.layer()

const Noted = Schema.TaggedStruct("Noted", { n: Schema.Int })
const note = (n: number) => appendEvents(C, Noted, [{ _tag: "Noted", n }])
const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))
const notes = Effect.map(readJournal(C), (es) => es.filter((e) => e.type === "Noted").map((e) => (e.payload as { n: number }).n))
const balance = (id: string) =>
  Effect.flatMap(LedgerStore, (s) => s.getAccount(C, A(id))).pipe(Effect.map(Option.map((a) => a.balance)))

const open = (id: string, floor?: number) =>
  openAccount(treasurer, { communityId: C, accountId: id, unit: "points", kind: "test", ...(floor === undefined ? {} : { floor }) })
const post = (from: string, to: string, amount: number) =>
  postTransaction(treasurer, {
    communityId: C,
    unit: "points",
    postings: [{ accountId: from, amount: -amount }, { accountId: to, amount }],
    kind: "transfer",
    memo: ""
  })

/** Some committed history: two accounts, a posting, a cursor, a dead letter. */
const history = Effect.gen(function* () {
  yield* open("issuance")
  yield* open("r1", 0)
  yield* post("issuance", "r1", 50)
  yield* transactionally(note(1))
  const subs = yield* SubscriptionStore
  yield* transactionally(subs.advance(C, "mailer", 2))
})

/** A command that touches every store: accounts, balances, journal, cursors, dead letters. */
const writeEverything = Effect.gen(function* () {
  yield* open("r2", 0)
  yield* post("issuance", "r2", 70)
  yield* post("r1", "r2", 20)
  yield* note(2)
  const subs = yield* SubscriptionStore
  yield* subs.claim(C, "awards")
  yield* subs.advance(C, "mailer", 4)
  yield* subs.addDeadLetter(
    new DeadLetter({ communityId: C, subscriber: "mailer", seq: 3, eventId: EventId.make("e3"), type: "Noted", reason: "x", attempts: 1, failedAt: 0 })
  )
  // the writes are visible inside the transaction
  expect(yield* balance("r2")).toStrictEqual(Option.some(90))
  expect(yield* subs.position(C, "mailer")).toBe(4)
})

class Boom extends Schema.TaggedError<Boom>()("Boom", {}) {}

describe("Transaction on MemoryStore", () => {
  it.effect("a command that fails half-way leaves every store as before", () =>
    Effect.gen(function* () {
      yield* history
      const before = yield* state
      const exit = yield* Effect.exit(transactionally(Effect.zipRight(writeEverything, Effect.fail(new Boom()))))
      expect(Exit.isFailure(exit) && Cause.failureOption(exit.cause)).toStrictEqual(Option.some(new Boom()))
      expect(yield* state).toStrictEqual(before)
      expect(yield* balance("r2")).toStrictEqual(Option.none())
      expect(yield* balance("r1")).toStrictEqual(Option.some(50))
      expect(yield* Effect.flatMap(SubscriptionStore, (s) => s.position(C, "mailer"))).toBe(2)
      expect(yield* Effect.flatMap(SubscriptionStore, (s) => s.deadLetters(C))).toStrictEqual([])
      expect((yield* verifyJournal(C)).ok).toBe(true)
    }).pipe(Effect.provide(layer)))

  it.effect("a defect rolls back too", () =>
    Effect.gen(function* () {
      yield* history
      const before = yield* state
      const exit = yield* Effect.exit(transactionally(Effect.zipRight(writeEverything, Effect.die(new Error("bug")))))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      expect(yield* state).toStrictEqual(before)
      // a throw inside a sync step is a defect as well
      const thrown = yield* Effect.exit(transactionally(Effect.zipRight(writeEverything, Effect.sync(() => { throw new Error("thrown") }))))
      expect(Exit.isFailure(thrown) && Cause.isDie(thrown.cause)).toBe(true)
      expect(yield* state).toStrictEqual(before)
    }).pipe(Effect.provide(layer)))

  it.effect("an interrupted transaction rolls back and releases the lock", () =>
    Effect.gen(function* () {
      yield* history
      const before = yield* state
      const written = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(transactionally(Effect.gen(function* () {
        yield* writeEverything
        yield* Deferred.succeed(written, undefined)
        return yield* Effect.never
      })))
      yield* Deferred.await(written)
      expect(yield* state).not.toStrictEqual(before)
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(yield* state).toStrictEqual(before)
      // the next transaction runs (the lock was released) and continues the journal from the old head
      yield* transactionally(note(3))
      expect(yield* notes).toStrictEqual([1, 3])
      expect((yield* verifyJournal(C)).ok).toBe(true)
    }).pipe(Effect.provide(layer)))

  it.effect("a successful transaction commits every write", () =>
    Effect.gen(function* () {
      yield* history
      yield* transactionally(writeEverything)
      expect(yield* balance("r2")).toStrictEqual(Option.some(90))
      expect(yield* balance("r1")).toStrictEqual(Option.some(30))
      expect(yield* notes).toStrictEqual([1, 2])
      expect(yield* Effect.flatMap(SubscriptionStore, (s) => s.position(C, "mailer"))).toBe(4)
      expect((yield* Effect.flatMap(SubscriptionStore, (s) => s.deadLetters(C))).map((l) => l.seq)).toStrictEqual([3])
      expect((yield* verifyJournal(C)).ok).toBe(true)
    }).pipe(Effect.provide(layer)))

  it.effect("a failed inner transaction is a savepoint: the outer keeps its own writes", () =>
    Effect.gen(function* () {
      yield* history
      const outcome = yield* transactionally(Effect.gen(function* () {
        yield* open("outer-1")
        yield* note(10)
        const inner = yield* Effect.either(transactionally(Effect.gen(function* () {
          yield* open("inner")
          yield* post("issuance", "r1", 1000)
          yield* note(11)
          return yield* new Boom()
        })))
        yield* note(12)
        yield* open("outer-2")
        return inner
      }))
      expect(outcome._tag === "Left" && outcome.left._tag).toBe("Boom")
      expect(yield* balance("outer-1")).toStrictEqual(Option.some(0))
      expect(yield* balance("outer-2")).toStrictEqual(Option.some(0))
      expect(yield* balance("inner")).toStrictEqual(Option.none())
      expect(yield* balance("r1")).toStrictEqual(Option.some(50))
      expect(yield* notes).toStrictEqual([1, 10, 12])
      // the journal has no gap where the inner events were dropped
      const entries = yield* readJournal(C)
      expect(entries.map((e) => e.seq)).toStrictEqual(entries.map((_, i) => i + 1))
      expect((yield* verifyJournal(C)).ok).toBe(true)
    }).pipe(Effect.provide(layer)))

  it.effect("a failed outer transaction drops the writes of inner transactions that succeeded", () =>
    Effect.gen(function* () {
      yield* history
      const before = yield* state
      const exit = yield* Effect.exit(transactionally(Effect.gen(function* () {
        yield* transactionally(writeEverything)
        // a ledger command joins the outer transaction too
        yield* post("issuance", "r1", 5)
        return yield* new Boom()
      })))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(yield* state).toStrictEqual(before)
    }).pipe(Effect.provide(layer)))

  it.effect("a failed ledger command inside a transaction that goes on leaves no trace", () =>
    Effect.gen(function* () {
      yield* history
      yield* transactionally(Effect.gen(function* () {
        const error = yield* Effect.flip(post("r1", "issuance", 51))
        expect(error._tag).toBe("InsufficientBalance")
        yield* post("r1", "issuance", 50)
      }))
      expect(yield* balance("r1")).toStrictEqual(Option.some(0))
      expect((yield* readJournal(C)).filter((e) => e.type === "LedgerTransactionPosted")).toHaveLength(2)
    }).pipe(Effect.provide(layer)))

  it.effect("concurrent commands are serialised: no lost update, no journal fork", () =>
    Effect.gen(function* () {
      yield* history
      yield* Effect.all(Array.from({ length: 25 }, (_, i) => (i % 5 === 4 ? Effect.either(post("r1", "issuance", 1_000)) : post("issuance", "r1", 2))), {
        concurrency: "unbounded"
      })
      expect(yield* balance("r1")).toStrictEqual(Option.some(50 + 20 * 2))
      const entries = yield* readJournal(C)
      expect(entries.map((e) => e.seq)).toStrictEqual(entries.map((_, i) => i + 1))
      expect(entries.filter((e) => e.type === "LedgerTransactionPosted")).toHaveLength(21)
      expect((yield* verifyJournal(C)).ok).toBe(true)
    }).pipe(Effect.provide(layer)))
})
