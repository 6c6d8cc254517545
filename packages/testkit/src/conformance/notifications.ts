/**
 * Conformance cases of the notification store (`NotificationStore`): the
 * outbox (idempotent enqueue, ordering, claims with leases, first in line per
 * recipient, token-guarded updates, concurrent claims), preferences, reply
 * codes used once, tenant isolation and rollback.
 *
 * @since 0.2.0
 */
import { type CommunityId, Notifications, ResidentId, Transaction } from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const failureTag = <A, E>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : undefined

const entry = (c: CommunityId, id: string, o: Partial<{ resident: string; urgent: boolean; key: string; at: number; next: number }> = {}) =>
  new Notifications.OutboxEntry({
    communityId: c,
    id,
    seq: 0,
    recipient: { _tag: "Resident", residentId: ResidentId.make(o.resident ?? "r-1") },
    recipientKey: `resident:${o.resident ?? "r-1"}`,
    category: "voting",
    urgent: o.urgent ?? false,
    templateId: "notify.smsVoteOpened",
    params: { title: "加装电梯", n: 3 },
    idempotencyKey: o.key ?? `key-${id}`,
    status: "pending",
    attempts: 0,
    nextAttemptAt: o.next ?? 1000,
    createdAt: o.at ?? 1000,
    updatedAt: o.at ?? 1000
  })

const code = (c: CommunityId, value: string, group: string) =>
  new Notifications.ReplyCode({
    communityId: c,
    code: value,
    purpose: "vote",
    subjectId: "p-1",
    groupId: group,
    householdId: "h-1" as never,
    residentIds: [ResidentId.make("r-1"), ResidentId.make("r-2")],
    choice: { type: "yes-no", value: "yes", votingUnitId: "h-1" },
    label: "同意|agree",
    issuedAt: 1,
    expiresAt: 10_000
  })

/**
 * The notification store's cases.
 *
 * @since 0.2.0
 * @category conformance
 */
export const notificationsSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
  describe("notification store", () => {
    it.effect("enqueue stores an entry once per idempotency key, with increasing seq, per community", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        const a = Option.getOrThrow(yield* store.enqueue(entry(c, "e-1")))
        const b = Option.getOrThrow(yield* store.enqueue(entry(c, "e-2")))
        expect(b.seq).toBeGreaterThan(a.seq)
        expect(a).toStrictEqual(new Notifications.OutboxEntry({ ...entry(c, "e-1"), seq: a.seq }))
        // the same key again: nothing stored
        expect(yield* store.enqueue(entry(c, "e-3", { key: "key-e-1" }))).toStrictEqual(Option.none())
        expect(yield* store.getEntry(c, "e-3")).toStrictEqual(Option.none())
        // another community may use the key
        expect(Option.isSome(yield* store.enqueue(entry(d, "e-1")))).toBe(true)
        expect((yield* store.listEntries(c)).map((e) => e.id)).toStrictEqual(["e-1", "e-2"])
        expect(Option.getOrThrow(yield* store.getEntry(c, "e-1"))).toStrictEqual(a)
      }), timeout)

    it.effect("claims due entries first in line per recipient; urgent ones pass non-urgent ones", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        yield* store.enqueue(entry(c, "a1", { resident: "a" }))
        yield* store.enqueue(entry(c, "a2", { resident: "a" }))
        yield* store.enqueue(entry(c, "a3", { resident: "a", urgent: true }))
        yield* store.enqueue(entry(c, "b1", { resident: "b", next: 5000 }))
        yield* store.enqueue(entry(c, "b2", { resident: "b" }))
        yield* store.enqueue(entry(c, "c1", { resident: "c" }))
        const claimed = yield* store.claim({ communityId: c, now: 2000, limit: 10, token: "t1", until: 62_000 })
        // a2 waits behind a1; b1 is not due and blocks b2; a3 is urgent
        expect(claimed.map((e) => e.id)).toStrictEqual(["a1", "a3", "c1"])
        expect(claimed.every((e) => e.claimToken === "t1" && e.claimedUntil === 62_000)).toBe(true)
        // held entries are not claimed again while the lease runs, and still block their followers
        expect(yield* store.claim({ communityId: c, now: 3000, limit: 10, token: "t2", until: 63_000 })).toStrictEqual([])
        // the limit applies
        expect((yield* store.claim({ communityId: c, now: 70_000, limit: 2, token: "t3", until: 130_000 })).map((e) => e.id))
          .toStrictEqual(["a1", "a3"])
      }), timeout)

    it.effect("updates only with the claim's token; an expired claim loses to the next worker", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        yield* store.enqueue(entry(c, "e-1"))
        const [first] = yield* store.claim({ communityId: c, now: 2000, limit: 1, token: "w1", until: 3000 })
        const [second] = yield* store.claim({ communityId: c, now: 4000, limit: 1, token: "w2", until: 9000 })
        expect(second!.id).toBe("e-1")
        const sent = (e: Notifications.OutboxEntry, by: string) =>
          new Notifications.OutboxEntry({ ...e, status: "sent", claimToken: undefined, claimedUntil: undefined, providerMessageId: `m-${by}`, provider: "fake", sentAt: 4500, attempts: 1 })
        expect(failureTag(yield* Effect.exit(store.update(sent(first!, "w1"), "w1")))).toBe("Conflict")
        yield* store.update(sent(second!, "w2"), "w2")
        const stored = Option.getOrThrow(yield* store.getEntry(c, "e-1"))
        expect([stored.status, stored.providerMessageId, stored.claimToken]).toStrictEqual(["sent", "m-w2", undefined])
        expect(Option.getOrThrow(yield* store.findByProviderMessageId(c, "fake", "m-w2")).id).toBe("e-1")
        expect(yield* store.findByProviderMessageId(c, "fake", "m-w1")).toStrictEqual(Option.none())
        // receipts are looked up within their community
        expect(yield* store.findByProviderMessageId(freshCommunityId(), "fake", "m-w2")).toStrictEqual(Option.none())
        // sent entries are no longer claimable
        expect(yield* store.claim({ communityId: c, now: 99_000, limit: 10, token: "w3", until: 100_000 })).toStrictEqual([])
        // an unclaimed entry is updated with no token
        yield* store.update(new Notifications.OutboxEntry({ ...stored, status: "delivered", deliveredAt: 5000 }), undefined)
        expect(Option.getOrThrow(yield* store.getEntry(c, "e-1")).status).toBe("delivered")
        expect((yield* store.listEntries(c, { status: "delivered" })).length).toBe(1)
        expect((yield* store.listEntries(c, { status: "pending" })).length).toBe(0)
      }), timeout)

    it.effect("counts non-urgent messages sent to a recipient since a time", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        for (const [id, urgent, sentAt] of [["x1", false, 100], ["x2", false, 200], ["x3", true, 300], ["x4", false, undefined]] as const) {
          const e = Option.getOrThrow(yield* store.enqueue(entry(c, id, { urgent })))
          if (sentAt !== undefined) yield* store.update(new Notifications.OutboxEntry({ ...e, status: "sent", sentAt }), undefined)
        }
        expect(yield* store.countSentSince(c, "resident:r-1", 0)).toBe(2)
        expect(yield* store.countSentSince(c, "resident:r-1", 150)).toBe(1)
        expect(yield* store.countSentSince(c, "resident:r-2", 0)).toBe(0)
      }), timeout)

    it.effect("concurrent claims never take the same entry", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        const tx = yield* Transaction
        for (let i = 0; i < 40; i++) yield* store.enqueue(entry(c, `e-${i}`, { resident: `r-${i}` }))
        const batches = yield* Effect.all(
          [1, 2, 3, 4].map((w) => tx.run(store.claim({ communityId: c, now: 2000, limit: 15, token: `w${w}`, until: 60_000 }))),
          { concurrency: "unbounded" }
        )
        const ids = batches.flatMap((b) => b.map((e) => e.id))
        expect(new Set(ids).size).toBe(ids.length)
        expect(ids.length).toBe(40)
      }), timeout)

    it.effect("a rolled-back enqueue leaves nothing", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        const tx = yield* Transaction
        const exit = yield* Effect.exit(tx.run(Effect.zipRight(store.enqueue(entry(c, "e-1")), Effect.fail("boom" as const))))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* store.listEntries(c)).toStrictEqual([])
        expect(Option.isSome(yield* store.enqueue(entry(c, "e-1")))).toBe(true)
      }), timeout)

    it.effect("preferences round-trip, with or without quiet hours", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        const p = new Notifications.Preferences({
          communityId: c, residentId: ResidentId.make("r-2"), channels: ["push", "sms"], locale: "en",
          quietHours: { start: 1320, end: 420 }, optedOut: ["billing"], stopped: false, updatedAt: 5
        })
        const q = new Notifications.Preferences({ ...p, residentId: ResidentId.make("r-1"), channels: [], quietHours: null, stopped: true })
        yield* store.putPreferences(p)
        yield* store.putPreferences(q)
        expect(Option.getOrThrow(yield* store.getPreferences(c, p.residentId))).toStrictEqual(p)
        expect(Option.getOrThrow(yield* store.getPreferences(c, q.residentId))).toStrictEqual(q)
        const p2 = new Notifications.Preferences({ ...p, optedOut: [], updatedAt: 6 })
        yield* store.putPreferences(p2)
        expect((yield* store.listPreferences(c))).toStrictEqual([q, p2])
        expect(yield* store.getPreferences(freshCommunityId(), p.residentId)).toStrictEqual(Option.none())
      }), timeout)

    it.effect("reply codes are unique per community and a group is used once", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const store = yield* Notifications.NotificationStore
        const tx = yield* Transaction
        yield* store.insertReplyCode(code(c, "123456", "g-1"))
        yield* store.insertReplyCode(code(c, "654321", "g-1"))
        yield* store.insertReplyCode(code(c, "111111", "g-2"))
        expect(failureTag(yield* Effect.exit(store.insertReplyCode(code(c, "123456", "g-3"))))).toBe("AlreadyExists")
        yield* store.insertReplyCode(code(d, "123456", "g-1"))
        expect(Option.getOrThrow(yield* store.getReplyCode(c, "123456"))).toStrictEqual(code(c, "123456", "g-1"))
        // two concurrent uses of one group: exactly one wins
        const wins = yield* Effect.all(
          [1, 2].map(() => tx.run(store.useReplyGroup(c, "g-1", 50, ResidentId.make("r-2")))),
          { concurrency: "unbounded" }
        )
        expect(wins.filter(Boolean).length).toBe(1)
        const used = Option.getOrThrow(yield* store.getReplyCode(c, "654321"))
        expect([used.usedAt, used.usedBy]).toStrictEqual([50, "r-2"])
        // other groups and communities are untouched
        expect(Option.getOrThrow(yield* store.getReplyCode(c, "111111")).usedAt).toBeUndefined()
        expect(Option.getOrThrow(yield* store.getReplyCode(d, "123456")).usedAt).toBeUndefined()
        expect(yield* store.getReplyCode(c, "999999")).toStrictEqual(Option.none())
      }), timeout)
  })
}
