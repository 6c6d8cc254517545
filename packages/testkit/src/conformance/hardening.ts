/**
 * Conformance cases from the hardening review (issue 20): positive floors are
 * refused alike, and concurrent requests with one idempotency key all get
 * the first result.
 *
 * @since 0.2.0
 */
import {
  CommunityId,
  LedgerStore,
  openAccount,
  postTransaction,
  ResidentActor,
  type ResidentId,
  readJournal,
  SystemActor,
  TimeBank
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const system = (c: CommunityId) => new SystemActor({ communityId: c, process: "conformance" })

/** The tags of the failures (or `defect`) among `exits`, deduplicated. */
const failureTags = (exits: ReadonlyArray<Exit.Exit<unknown, unknown>>) =>
  [...new Set(exits.filter(Exit.isFailure).map((e) => {
    const f = Cause.failureOption(e.cause)
    return Option.isSome(f) ? (f.value as { _tag: string })._tag : `defect: ${Cause.pretty(e.cause).slice(0, 200)}`
  }))]

/**
 * Registers the hardening cases.
 *
 * @since 0.2.0
 * @category conformance
 */
export const hardeningSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 60_000
  describe("hardening", () => {
    it.effect("a positive floor is refused as InvalidInput and opens nothing; 0 and negative floors open", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const exit = yield* Effect.exit(openAccount(system(c), { communityId: c, accountId: "pos", unit: "fen", kind: "wallet", floor: 500 }))
        expect(failureTags([exit])).toEqual(["InvalidInput"])
        expect(Option.isNone(yield* Effect.flatMap(LedgerStore, (s) => s.getAccount(c, "pos" as never)))).toBe(true)
        expect(yield* readJournal(c)).toEqual([])
        const zero = yield* openAccount(system(c), { communityId: c, accountId: "zero", unit: "fen", kind: "wallet", floor: 0 })
        const overdraft = yield* openAccount(system(c), { communityId: c, accountId: "od", unit: "fen", kind: "wallet", floor: -500 })
        expect([zero.floor, overdraft.floor]).toEqual([0, -500])
      }), timeout)

    it.effect("100 concurrent identical ledger posts with one idempotency key: one transaction, every caller gets it", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        yield* openAccount(system(c), { communityId: c, accountId: "mint", unit: "points", kind: "issuance" })
        yield* openAccount(system(c), { communityId: c, accountId: "alice", unit: "points", kind: "wallet", floor: 0 })
        const request = { communityId: c, unit: "points" as const, kind: "award", memo: "", idempotencyKey: "once", postings: [{ accountId: "mint", amount: -10 }, { accountId: "alice", amount: 10 }] }
        const exits = yield* Effect.all(Array.from({ length: 100 }, () => Effect.exit(postTransaction(system(c), request))), { concurrency: "unbounded" })
        expect(failureTags(exits)).toEqual([])
        const ids = new Set(exits.map((e) => (Exit.isSuccess(e) ? e.value.id : "")))
        expect(ids.size).toBe(1)
        const alice = yield* Effect.flatMap(LedgerStore, (s) => s.getAccount(c, "alice" as never))
        expect(Option.getOrThrow(alice).balance).toBe(10)
        // A different payload under the same key, concurrently with replays: reused, never Conflict.
        const mixed = yield* Effect.all(
          Array.from({ length: 20 }, (_, i) =>
            Effect.exit(postTransaction(system(c), i % 2 === 0 ? request : { ...request, memo: "other" }))),
          { concurrency: "unbounded" }
        )
        expect(failureTags(mixed)).toEqual(["IdempotencyKeyReused"])
        expect(mixed.filter(Exit.isSuccess).length).toBe(10)
      }), timeout)

    it.effect("100 concurrent identical time-bank records with one idempotency key: one service, the rest replays", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 20, communityId: c, buildings: 1, floors: 2 })
        yield* options.loadDirectory(snapshot)
        const [a, b] = snapshot.residents
        const actor = new ResidentActor({ communityId: c, residentId: a!.id as ResidentId })
        const request = { communityId: c, providerId: a!.id, recipientId: b!.id, serviceType: "elderly-care", minutes: 60, idempotencyKey: "visit" }
        const exits = yield* Effect.all(Array.from({ length: 100 }, () => Effect.exit(TimeBank.recordService(actor, request))), { concurrency: "unbounded" })
        expect(failureTags(exits)).toEqual([])
        const results = exits.flatMap((e) => (Exit.isSuccess(e) ? [e.value] : []))
        expect(new Set(results.map((r) => r.service.id)).size).toBe(1)
        expect(results.filter((r) => !r.replayed).length).toBe(1)
      }), timeout)
  })
}
