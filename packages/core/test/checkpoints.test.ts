/**
 * Signed journal checkpoints (issue 20, finding 6): deleting the newest
 * entries (and moving the head back) or rewriting the chain with the
 * library's own hash passes `verifyJournal` alone, and is caught against the
 * published Ed25519-signed checkpoints. Forged checkpoints and keys used
 * outside their period are refused.
 */
import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  CheckpointPublisher,
  checkpointJournal,
  CommunityId,
  ed25519Signer,
  entryHash,
  generateCheckpointKey,
  JournalCheckpoint,
  JournalEntry,
  openAccount,
  postTransaction,
  SystemActor,
  verifyCheckpoint,
  verifyJournal,
  verifyJournalWithCheckpoints
} from "../src/index.js"

/** Twelve journal entries in `c`, checkpointed every 4 entries. */
const populate = (c: CommunityId) =>
  Effect.gen(function* () {
    const sys = new SystemActor({ communityId: c, process: "test" })
    yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "points", kind: "issuance" })
    yield* openAccount(sys, { communityId: c, accountId: "a", unit: "points", kind: "wallet", floor: 0 })
    const made: Array<JournalCheckpoint> = []
    for (let i = 0; i < 10; i++) {
      yield* postTransaction(sys, { communityId: c, unit: "points", kind: "award", memo: `${i}`, postings: [{ accountId: "mint", amount: -1 }, { accountId: "a", amount: 1 }] })
      const cp = yield* checkpointJournal(c, { everyEntries: 4, everyMillis: 60_000 })
      if (Option.isSome(cp)) made.push(cp.value)
    }
    return made
  })

describe("signed journal checkpoints", () => {
  it.effect("catch a truncation of the newest entries and a rewritten chain that verifyJournal alone accepts", () =>
    Effect.gen(function* () {
      const pair = yield* generateCheckpointKey
      const key = { keyId: "k-2026", publicKey: pair.publicKey }
      const run = <A, E, R>(e: Effect.Effect<A, E, R>) =>
        Effect.provide(e, Layer.mergeAll(MemoryStore.layer(), CheckpointPublisher.memory, ed25519Signer("k-2026", pair.privateKey)))
      yield* run(Effect.gen(function* () {
        const inspector = yield* MemoryInspector
        const publisher = yield* CheckpointPublisher

        // 1. Truncation: the three newest entries deleted and the head moved back.
        const c1 = CommunityId.make("cp-truncate")
        const made = yield* populate(c1)
        expect(made.map((m) => m.seq)).toEqual([3, 7, 11])
        const published = yield* publisher.list(c1)
        expect(published).toEqual(made)
        expect(yield* verifyJournalWithCheckpoints(c1, published, [key])).toMatchObject({ ok: true, entries: 12 })
        const entries = inspector.rawJournal(c1)
        for (const seq of [12, 11, 10]) inspector.tamperJournal(c1, seq, undefined)
        inspector.database.set("journal_heads", c1, { seq: 9, hash: entries[8]!.hash })
        inspector.database.release(0)
        expect(yield* verifyJournal(c1)).toMatchObject({ ok: true, entries: 9 })
        expect(yield* verifyJournalWithCheckpoints(c1, published, [key])).toMatchObject({ ok: false, reason: "checkpoint", checkpoint: { seq: 11 } })

        // 2. Rewritten chain: entry 2's payload changed and every later hash recomputed.
        const c2 = CommunityId.make("cp-rewrite")
        yield* populate(c2)
        const original = inspector.rawJournal(c2)
        let prev = original[0]!.hash
        for (const e of original.slice(1)) {
          const payload = e.seq === 2 ? { ...(e.payload as object), floor: -1_000_000 } : e.payload
          const fields = { communityId: e.communityId, seq: e.seq, eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, payload, prevHash: prev }
          const hash = yield* entryHash(fields as never)
          inspector.tamperJournal(c2, e.seq, new JournalEntry({ ...fields, hash } as never, { disableValidation: true }))
          prev = hash
        }
        inspector.database.set("journal_heads", c2, { seq: original.length, hash: prev })
        inspector.database.release(0)
        expect(yield* verifyJournal(c2)).toMatchObject({ ok: true, entries: 12 })
        expect(yield* verifyJournalWithCheckpoints(c2, yield* publisher.list(c2), [key])).toMatchObject({ ok: false, reason: "checkpoint", checkpoint: { seq: 3 } })

        // 3. A checkpoint the attacker signs (or edits) does not verify.
        const other = yield* generateCheckpointKey
        const forged = new JournalCheckpoint({ ...made[2]!, seq: 9, hash: entries[8]!.hash })
        expect(yield* verifyCheckpoint(forged, [key])).toBe(false)
        expect(yield* verifyJournalWithCheckpoints(c1, [forged], [key, { keyId: "k-other", publicKey: other.publicKey }])).toMatchObject({ ok: false, reason: "signature" })
      }))
    }))

  it.effect("key rotation: each key verifies only the checkpoints signed in its period", () =>
    Effect.gen(function* () {
      const a = yield* generateCheckpointKey
      const b = yield* generateCheckpointKey
      const c = CommunityId.make("cp-rotate")
      const signWith = (keyId: string, k: CryptoKeyPair) =>
        Effect.provide(checkpointJournal(c, { everyEntries: 1, everyMillis: 0 }), ed25519Signer(keyId, k.privateKey))
      yield* Effect.gen(function* () {
        const sys = new SystemActor({ communityId: c, process: "test" })
        yield* openAccount(sys, { communityId: c, accountId: "x", unit: "fen", kind: "issuance" })
        const first = Option.getOrThrow(yield* signWith("k-a", a))
        yield* TestClock.adjust("1 minute")
        yield* openAccount(sys, { communityId: c, accountId: "y", unit: "fen", kind: "issuance" })
        const second = Option.getOrThrow(yield* signWith("k-b", b))
        const rotatedAt = second.at
        const keys = [
          { keyId: "k-a", publicKey: a.publicKey, until: rotatedAt },
          { keyId: "k-b", publicKey: b.publicKey, from: rotatedAt }
        ]
        expect(yield* verifyJournalWithCheckpoints(c, [first, second], keys)).toMatchObject({ ok: true })
        // The retired key A, leaked, cannot sign a checkpoint dated after the rotation.
        yield* openAccount(sys, { communityId: c, accountId: "z", unit: "fen", kind: "issuance" })
        const late = Option.getOrThrow(yield* Effect.provide(
          Effect.flatMap(TestClock.adjust("1 minute"), () => checkpointJournal(c, { everyEntries: 1, everyMillis: 0 })),
          ed25519Signer("k-a", a.privateKey)
        ))
        expect(late.at).toBeGreaterThanOrEqual(rotatedAt)
        expect(yield* verifyCheckpoint(late, keys)).toBe(false)
      }).pipe(Effect.provide(Layer.merge(MemoryStore.layer(), CheckpointPublisher.memory)))
    }))
})
