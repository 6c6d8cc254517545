/**
 * Notification delivery end to end, on any storage adapter: the outbox under
 * faults, preferences, quiet hours, the call list, receipts and replies by
 * SMS, against the fake provider. Run on memory and on PostgreSQL.
 */
import {
  type CommunityId,
  CommunityId as CommunityIdSchema,
  decodeEntry,
  DirectoryWriter,
  drain,
  Gongzhi,
  type LocalizedText,
  Notifications,
  readJournal,
  type Resident,
  ResidentActor,
  Role,
  StaffActor,
  StaffId,
  type StoragePorts,
  SystemActor,
  TimeBank,
  Transaction,
  Voting
} from "@gongzhi/core"
import { describe, expect, layer } from "@effect/vitest"
import { generateCommunity } from "@gongzhi/testkit"
import { Clock, Context, Duration, Effect, Exit, Layer, Logger, LogLevel, Option } from "effect"
import {
  aliyunReceiptBody,
  aliyunSms,
  type FakeSmsServer,
  handleAliyunReceipts,
  handleInbound,
  handleTwilioInbound,
  handleTwilioStatus,
  signedTwilioCallback,
  SmsChannelLive,
  startFakeSmsServer,
  type TemplateMapping
} from "../src/index.js"

export const creds = { accessKeyId: "LTAI-suite", accessKeySecret: "suite-secret" }
const TWILIO_TOKEN = "twilio-suite-token"

/** The fake provider as a service of the test layer. */
export class Fake extends Context.Tag("test/Fake")<Fake, FakeSmsServer>() {}

const testTemplates: Record<string, LocalizedText> = {
  "test.notice": { "zh-CN": "通知 {n}：{what}", en: "Notice {n}: {what}" }
}
const mapping: Record<string, TemplateMapping> = {
  "test.notice": { templateCode: "SMS_900000001", params: ["n", "what"] },
  "notify.smsVoteOpened": { templateCode: "SMS_900000002", params: ["title", "closes", "options_zh"] },
  "notify.replyAccepted": { templateCode: "SMS_900000003", params: ["label_zh"] },
  "notify.replyRejected": { templateCode: "SMS_900000004", params: ["reason_zh"] },
  "notify.stopConfirmed": { templateCode: "SMS_900000005", params: [] },
  "notify.serviceConfirm": { templateCode: "SMS_900000006", params: ["serviceType", "code"] }
}

const fakeLayer = Layer.scoped(Fake, Effect.acquireRelease(Effect.promise(() => startFakeSmsServer({ aliyun: creds })), (s) => Effect.promise(() => s.close())))

/** Core services + the store + the fake provider + the SMS channel (Aliyun driver) over it. */
export const suiteLayer = <E>(store: Layer.Layer<StoragePorts | DirectoryWriter, E>) => {
  const base = Layer.mergeAll(Gongzhi.layer({ templates: testTemplates }), store, fakeLayer)
  const sms = Layer.unwrapEffect(Effect.map(Fake, (fake) =>
    SmsChannelLive({ provider: aliyunSms({ ...creds, signName: "共治社区", endpoint: fake.url }), templates: mapping })
  ))
  return Layer.provideMerge(sms, base)
}

/** A clock the test moves by hand (the stores use real connections, so no TestClock). */
const manualClock = (start: number) => {
  let now = start
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (d) => Effect.sleep(d)
  }
  return { clock, set: (t: number) => void (now = t), advance: (ms: number) => void (now += ms), get: () => now }
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** 2026-12-01 10:00 in Beijing (02:00 UTC). */
const T0 = Date.UTC(2026, 11, 1, 2, 0, 0)

let counter = 0
const freshCommunity = (seed: number, buildings = 1) => {
  const id = `notify-${Date.now().toString(36)}-${(++counter).toString(36)}`
  return { id: CommunityIdSchema.make(id), snapshot: generateCommunity({ seed, communityId: id, buildings, floors: 3 }) }
}

const committee = (c: CommunityId) => new StaffActor({ communityId: c, staffId: StaffId.make("s-committee"), roles: [Role.make("committee")], departments: [] })
const committee2 = (c: CommunityId) => new StaffActor({ communityId: c, staffId: StaffId.make("s-committee-2"), roles: [Role.make("committee")], departments: [] })
const clerk = (c: CommunityId) => new StaffActor({ communityId: c, staffId: StaffId.make("s-clerk"), roles: [Role.make("clerk")], departments: [] })
const system = (c: CommunityId) => new SystemActor({ communityId: c, process: "test" })

const notice = (c: CommunityId, r: Resident, n: number, o: { urgent?: boolean; category?: string } = {}) =>
  Notifications.enqueue(system(c), {
    communityId: c,
    recipient: { _tag: "Resident", residentId: r.id },
    category: o.category ?? "general",
    urgent: o.urgent ?? false,
    templateId: "test.notice",
    params: { n, what: "停水" },
    idempotencyKey: `notice-${r.id}-${n}`
  })

const config = (o: Partial<Notifications.NotificationConfigShape> = {}): Notifications.NotificationConfigShape => ({
  ...Notifications.defaultNotificationConfig,
  backoffBaseMs: 1000,
  backoffMaxMs: HOUR,
  ...o
})

const entries = (c: CommunityId, status?: Notifications.OutboxStatus) =>
  Effect.flatMap(Notifications.NotificationStore, (s) => s.listEntries(c, status === undefined ? {} : { status }))

/** Delivery passes, moving the clock `step` after each, until nothing is pending or `rounds` ran out. */
const deliverUntilDone = (c: CommunityId, clock: ReturnType<typeof manualClock>, step: number, rounds = 200) =>
  Effect.gen(function* () {
    for (let i = 0; i < rounds; i++) {
      yield* Notifications.deliverAll({ communityId: c })
      if ((yield* entries(c, "pending")).length === 0) return i
      clock.advance(step)
    }
    return rounds
  })

const withPhones = (snapshot: { readonly residents: ReadonlyArray<Resident> }) => snapshot.residents.filter((r) => r.phone !== undefined)

/**
 * Registers the delivery suite on a storage layer.
 */
export const deliverySuite = <E>(name: string, store: Layer.Layer<StoragePorts | DirectoryWriter, E>, options: { readonly bulk: number }) =>
  describe(`notification delivery: ${name}`, () => {
    layer(suiteLayer(store), { excludeTestServices: true, timeout: 300_000 })((it) => {
      const setup = (seed: number, buildings = 1) =>
        Effect.gen(function* () {
          const fake = yield* Fake
          fake.reset()
          const community = freshCommunity(seed, buildings)
          yield* Effect.flatMap(DirectoryWriter, (w) => w.load(community.snapshot))
          return { c: community.id, snapshot: community.snapshot, fake, residents: withPhones(community.snapshot) }
        })

      const run = <A, Err, R>(clock: ReturnType<typeof manualClock>, cfg: Notifications.NotificationConfigShape, effect: Effect.Effect<A, Err, R>) =>
        effect.pipe(Effect.withClock(clock.clock), Effect.provideService(Notifications.NotificationConfig, cfg))

      it.effect("an enqueue joins its transaction, and a subscriber turns each event into messages exactly once", () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(11)
          const clock = manualClock(T0)
          const r = residents[0]!
          const tx = yield* Transaction
          const failed = yield* Effect.exit(tx.run(Effect.zipRight(notice(c, r, 1), Effect.fail("boom" as const))))
          expect(Exit.isFailure(failed)).toBe(true)
          expect(yield* entries(c)).toHaveLength(0)
          // a preferences change (a journal event) becomes a notice through the outbox subscriber
          const subscriber = Notifications.outboxSubscriber("notify-test", (entry) =>
            Effect.succeed(entry.type === "NotificationPreferencesChanged"
              ? [{ communityId: c, recipient: { _tag: "Resident" as const, residentId: r.id }, category: "account", templateId: "test.notice", params: { n: 0, what: "偏好已更新" } }]
              : []))
          yield* run(clock, config(), Notifications.updatePreferences(new ResidentActor({ communityId: c, residentId: r.id }), { communityId: c, residentId: r.id, locale: "zh-CN" }))
          yield* run(clock, config(), drain(subscriber, c))
          yield* run(clock, config(), drain(subscriber, c))
          const queued = yield* entries(c)
          expect(queued).toHaveLength(1)
          expect(queued[0]!.sourceEventId).toBeDefined()
          yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
          expect(fake.sent.map((s) => s.params)).toStrictEqual([{ n: "0", what: "偏好已更新" }])
          expect(fake.sent[0]!.reference).toBe(queued[0]!.idempotencyKey)
        }))

      it.effect("a worker killed between send and record loses nothing: the entries are sent again after the lease", () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(12)
          const clock = manualClock(T0)
          const cfg = config({ leaseMs: 60_000 })
          for (const [i, r] of residents.slice(0, 6).entries()) yield* run(clock, config(), notice(c, r, i))
          const real = yield* Notifications.SmsChannel
          let sends = 0
          // the process dies right after the provider accepted the third message
          const dying = Notifications.SmsChannel.of({
            ...real,
            send: (d) => Effect.flatMap(real.send(d), (a) => (++sends === 3 ? Effect.interrupt : Effect.succeed(a)))
          })
          const killed = yield* Effect.exit(run(clock, cfg, Notifications.deliverOnce({ communityId: c }).pipe(
            Effect.provideService(Notifications.SmsChannel, dying),
            Effect.withConcurrency(1)
          )))
          expect(Exit.isInterrupted(killed)).toBe(true)
          const accepted = fake.sent.length
          expect(accepted).toBeGreaterThanOrEqual(3)
          // within the lease nobody takes the claimed entries
          clock.advance(30_000)
          const early = yield* run(clock, cfg, Notifications.deliverAll({ communityId: c }))
          expect(early.claimed).toBe(0)
          clock.advance(31_000)
          yield* run(clock, cfg, Notifications.deliverAll({ communityId: c }))
          const all = yield* entries(c)
          expect(all.map((e) => e.status)).toStrictEqual(Array(6).fill("sent"))
          // at least once: every reference reached the provider, the one in flight twice; none was recorded twice
          const byRef = new Map<string, number>()
          for (const s of fake.sent) byRef.set(s.reference!, (byRef.get(s.reference!) ?? 0) + 1)
          expect([...byRef.keys()].sort()).toStrictEqual(all.map((e) => e.idempotencyKey).sort())
          expect([...byRef.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(1)
          expect(all.every((e) => e.attempts === 1 && e.providerMessageId !== undefined)).toBe(true)
        }))

      it.effect("the provider down for a while, then back: everything is delivered, in order per recipient", () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(13)
          const clock = manualClock(T0)
          const cfg = config({ maxAttempts: 30 })
          const people = residents.slice(0, 5)
          for (let n = 0; n < 4; n++) for (const r of people) yield* run(clock, config(), notice(c, r, n))
          fake.down = true
          for (let i = 0; i < 4; i++) {
            yield* run(clock, cfg, Notifications.deliverAll({ communityId: c }))
            clock.advance(10 * 60_000)
          }
          expect(fake.sent).toHaveLength(0)
          const waiting = yield* entries(c, "pending")
          expect(waiting).toHaveLength(20)
          // only the first message of each recipient was tried (the others wait behind it)
          expect(waiting.filter((e) => e.attempts > 0).length).toBe(5)
          fake.down = false
          yield* run(clock, cfg, deliverUntilDone(c, clock, HOUR))
          const all = yield* entries(c)
          expect(all.every((e) => e.status === "sent")).toBe(true)
          for (const r of people) {
            const expected = all.filter((e) => e.recipientKey === `resident:${r.id}`).map((e) => e.idempotencyKey)
            const got = fake.sent.filter((s) => expected.includes(s.reference!)).map((s) => s.reference)
            expect(got).toStrictEqual(expected)
          }
        }))

      it.effect(`${options.bulk} messages with random transient failures: none lost, none sent or recorded twice`, () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(14, 4)
          const clock = manualClock(T0)
          const cfg = config({ maxAttempts: 1000, dailyLimitPerRecipient: 1_000_000, batchSize: 500, concurrency: 16, backoffMaxMs: 60_000 })
          const store = yield* Notifications.NotificationStore
          const tx = yield* Transaction
          yield* run(clock, cfg, tx.run(Effect.forEach(Array.from({ length: options.bulk }, (_, i) => i), (i) =>
            Effect.flatMap(Clock.currentTimeMillis, (now) => store.enqueue(new Notifications.OutboxEntry({
              communityId: c, id: `bulk-${i}`, seq: 0,
              recipient: { _tag: "Resident", residentId: residents[i % residents.length]!.id },
              recipientKey: `resident:${residents[i % residents.length]!.id}`,
              category: "general", urgent: false, templateId: "test.notice", params: { n: i, what: "x" },
              idempotencyKey: `bulk-${i}`, status: "pending", attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now
            }))), { discard: true })))
          fake.transientFailureRate = 0.25
          yield* run(clock, cfg, deliverUntilDone(c, clock, 60_000, 10_000))
          const all = yield* entries(c)
          expect(all).toHaveLength(options.bulk)
          expect(all.filter((e) => e.status !== "sent")).toStrictEqual([])
          expect(fake.sent).toHaveLength(options.bulk)
          expect(new Set(fake.sent.map((s) => s.reference)).size).toBe(options.bulk)
          expect(new Set(all.map((e) => e.providerMessageId)).size).toBe(options.bulk)
          expect(fake.log.filter((l) => l.outcome !== "ok").length).toBeGreaterThan(options.bulk / 10)
        }), 600_000)

      it.effect("a permanent refusal is dead-lettered with the provider's code and can be requeued; retries end in a dead letter", () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(15)
          const clock = manualClock(T0)
          const cfg = config({ maxAttempts: 3 })
          yield* run(clock, config(), notice(c, residents[0]!, 1))
          fake.script("template")
          yield* run(clock, cfg, Notifications.deliverOnce({ communityId: c }))
          const dead = (yield* entries(c, "dead"))[0]!
          yield* run(clock, config(), notice(c, residents[1]!, 1))
          expect([dead.providerCode, dead.reason?.startsWith("ProviderRejected")]).toStrictEqual(["isv.SMS_TEMPLATE_ILLEGAL", true])
          // the second one fails transiently until the limit
          fake.down = true
          yield* run(clock, cfg, deliverUntilDone(c, clock, HOUR, 10))
          const both = yield* entries(c, "dead")
          expect(both).toHaveLength(2)
          expect(both.find((e) => e.id !== dead.id)!.reason).toMatch(/after 3 attempts/)
          fake.down = false
          for (const e of both) yield* run(clock, cfg, Notifications.requeue(system(c), c, e.id))
          yield* run(clock, cfg, Notifications.deliverAll({ communityId: c }))
          expect((yield* entries(c)).map((e) => e.status)).toStrictEqual(["sent", "sent"])
        }))

      it.effect("quiet hours defer non-urgent messages until 08:00 local; urgent ones go at once", () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(16)
          const clock = manualClock(Date.UTC(2026, 11, 1, 14, 30)) // 22:30 in Beijing
          const r = residents[0]!
          yield* run(clock, config(), notice(c, r, 1))
          yield* run(clock, config(), notice(c, r, 2, { urgent: true, category: "emergency" }))
          yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
          expect(fake.sent.map((s) => s.params)).toStrictEqual([{ n: "2", what: "停水" }])
          const [deferred] = yield* entries(c, "pending")
          expect([deferred!.reason, deferred!.nextAttemptAt, deferred!.attempts]).toStrictEqual(["QuietHours", Date.UTC(2026, 11, 2, 0, 0), 0])
          clock.set(Date.UTC(2026, 11, 1, 23, 59)) // 07:59
          yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
          expect(fake.sent).toHaveLength(1)
          clock.set(Date.UTC(2026, 11, 2, 0, 0)) // 08:00
          yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
          expect(fake.sent.map((s) => s.params)).toStrictEqual([{ n: "2", what: "停水" }, { n: "1", what: "停水" }])
          // a resident who set no quiet hours gets messages at night
          const night = residents[1]!
          yield* run(clock, config(), Notifications.updatePreferences(new ResidentActor({ communityId: c, residentId: night.id }), { communityId: c, residentId: night.id, quietHours: null }))
          clock.set(Date.UTC(2026, 11, 2, 15, 0)) // 23:00
          yield* run(clock, config(), notice(c, night, 3))
          yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
          expect(fake.sent).toHaveLength(3)
        }))

      it.effect("opt-outs and STOP skip non-urgent messages; urgent ones still arrive; a daily limit defers to tomorrow", () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(17)
          const clock = manualClock(T0)
          const [a, b, d] = residents as [Resident, Resident, Resident]
          yield* run(clock, config(), Notifications.updatePreferences(new ResidentActor({ communityId: c, residentId: a.id }), { communityId: c, residentId: a.id, optedOut: ["billing"] }))
          yield* run(clock, config(), notice(c, a, 1, { category: "billing" }))
          yield* run(clock, config(), notice(c, a, 2, { category: "voting" }))
          // b texts 退订
          const stop = yield* run(clock, config(), handleInbound(c, { provider: "aliyun", from: b.phone!, text: " 退订 " }))
          expect(stop._tag).toBe("opted-out")
          yield* run(clock, config(), notice(c, b, 3, { category: "voting" }))
          yield* run(clock, config(), notice(c, b, 4, { category: "emergency", urgent: true }))
          // d: limit of 2 a day
          for (let n = 10; n < 14; n++) yield* run(clock, config(), notice(c, d, n))
          yield* run(clock, config({ dailyLimitPerRecipient: 2 }), Notifications.deliverAll({ communityId: c }))
          const status = new Map((yield* entries(c)).map((e) => [e.idempotencyKey, [e.status, e.reason]]))
          expect(status.get(`notice-${a.id}-1`)).toStrictEqual(["skipped", "OptedOut"])
          expect(status.get(`notice-${a.id}-2`)![0]).toBe("sent")
          expect(status.get(`notice-${b.id}-3`)).toStrictEqual(["skipped", "OptedOut"])
          expect(status.get(`notice-${b.id}-4`)![0]).toBe("sent")
          expect([10, 11, 12, 13].map((n) => status.get(`notice-${d.id}-${n}`)![0])).toStrictEqual(["sent", "sent", "pending", "pending"])
          expect(status.get(`notice-${d.id}-12`)![1]).toBe("RateLimited")
          clock.set(Date.UTC(2026, 11, 2, 0, 0)) // next local day, 08:00
          yield* run(clock, config({ dailyLimitPerRecipient: 2 }), Notifications.deliverAll({ communityId: c }))
          expect((yield* entries(c, "pending"))).toHaveLength(0)
          // the STOP confirmation went out as an urgent reply
          expect(fake.sent.some((s) => s.templateCode === "SMS_900000005")).toBe(true)
        }))

      it.effect("residents without a phone, with every channel off or with a bad number are on the call list", () =>
        Effect.gen(function* () {
          const { c, snapshot, residents } = yield* setup(18)
          const clock = manualClock(T0)
          const [off, bad] = residents as [Resident, Resident]
          const noPhone = snapshot.residents.filter((r) => r.phone === undefined)
          yield* run(clock, config(), Notifications.updatePreferences(new ResidentActor({ communityId: c, residentId: off.id }), { communityId: c, residentId: off.id, channels: [] }))
          yield* Effect.flatMap(DirectoryWriter, (w) => w.load({ ...snapshot, residents: snapshot.residents.map((r) => (r.id === bad.id ? { ...r, phone: "010-6234 5678" } : r)) as never }))
          yield* run(clock, config(), notice(c, off, 1))
          yield* run(clock, config(), notice(c, bad, 2))
          if (noPhone[0] !== undefined) yield* run(clock, config(), notice(c, noPhone[0], 3))
          yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
          expect((yield* entries(c)).map((e) => e.status)).toStrictEqual(Array(noPhone[0] === undefined ? 2 : 3).fill("call-list"))
          const list = yield* Notifications.callList(committee(c), c)
          const reasons = new Map(list.map((l) => [l.residentId as string, [l.reason, l.pendingMessages]]))
          expect(reasons.get(off.id)).toStrictEqual(["no-channel", 1])
          expect(reasons.get(bad.id)).toStrictEqual(["undeliverable", 1])
          for (const r of noPhone) expect(reasons.get(r.id)![0]).toBe("no-phone")
          expect(list.length).toBe(2 + noPhone.length)
          // the list is for staff only
          expect(Exit.isFailure(yield* Effect.exit(Notifications.callList(new ResidentActor({ communityId: c, residentId: off.id }), c)))).toBe(true)
        }))

      it.effect("delivery receipts: recorded with the provider's code; a forged Twilio callback changes nothing", () =>
        Effect.gen(function* () {
          const { c, residents, fake } = yield* setup(19)
          const clock = manualClock(T0)
          yield* run(clock, config(), notice(c, residents[0]!, 1))
          yield* run(clock, config(), notice(c, residents[1]!, 2))
          yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
          const [first, second] = fake.sent
          const cb = (body: string, token: string) => ({ url: `https://gongzhi.example/sms/aliyun/receipt?token=${token}`, headers: {}, body })
          // a callback without the configured token is refused
          expect(Exit.isFailure(yield* Effect.exit(handleAliyunReceipts(c, cb(aliyunReceiptBody(first!, true), "guess"), "s3cret")))).toBe(true)
          expect((yield* entries(c, "delivered"))).toHaveLength(0)
          yield* handleAliyunReceipts(c, cb(aliyunReceiptBody(first!, true), "s3cret"), "s3cret")
          yield* handleAliyunReceipts(c, cb(aliyunReceiptBody(second!, false), "s3cret"), "s3cret")
          const byRef = new Map((yield* entries(c)).map((e) => [e.idempotencyKey, e]))
          expect([byRef.get(first!.reference!)!.status, byRef.get(first!.reference!)!.providerCode]).toStrictEqual(["delivered", "DELIVERED"])
          expect([byRef.get(second!.reference!)!.status, byRef.get(second!.reference!)!.providerCode]).toStrictEqual(["failed", "MK:0001"])
          // Twilio signs its callbacks: a wrong signature is refused before anything is read
          const url = "https://gongzhi.example/sms/twilio/status"
          const forged = signedTwilioCallback("not-the-token", url, { MessageSid: "SM1", MessageStatus: "delivered" })
          const refused = yield* Effect.exit(handleTwilioStatus(TWILIO_TOKEN, c, forged))
          expect(Exit.isFailure(refused) && refused.cause._tag === "Fail" ? refused.cause.error._tag : undefined).toBe("WebhookSignatureInvalid")
          const genuine = signedTwilioCallback(TWILIO_TOKEN, url, { MessageSid: "SM-unknown", MessageStatus: "delivered" })
          expect(yield* handleTwilioStatus(TWILIO_TOKEN, c, genuine)).toStrictEqual({ recorded: 0, unknown: 1 })
        }))

      it.effect("an SMS vote: codes per household, the reply counted once, a paper ballot still takes precedence", () =>
        Effect.gen(function* () {
          const { c, snapshot, fake } = yield* setup(20)
          const clock = manualClock(T0)
          const cfg = config()
          const p = yield* run(clock, cfg, Effect.gen(function* () {
            const created = yield* Voting.createProposal(committee(c), {
              communityId: c, title: "更换单元门禁", body: "Replace the door locks of every unit.", rule: "civil-code-278-ordinary", voteChange: "paper-overrides"
            })
            yield* Voting.scheduleProposal(committee(c), { communityId: c, proposalId: created.id })
            return yield* Voting.openProposal(committee(c), { communityId: c, proposalId: created.id })
          }))
          const opened = yield* run(clock, cfg, Notifications.openSmsVote(committee(c), { communityId: c, proposalId: p.id }))
          expect(opened.groups).toBeGreaterThan(2)
          // running it again issues nothing new
          expect(yield* run(clock, cfg, Notifications.openSmsVote(committee(c), { communityId: c, proposalId: p.id }))).toStrictEqual({ groups: 0, messages: 0 })
          yield* run(clock, cfg, Notifications.deliverAll({ communityId: c }))
          const owners = snapshot.residents.filter((r) => r.kind === "owner" && r.phone !== undefined && r.householdId !== undefined)
          const codesFor = (r: Resident) => {
            const msg = fake.sent.find((s) => s.templateCode === "SMS_900000002" && s.to.endsWith(r.phone!.slice(-8)))!
            const text = (msg.params as Record<string, string>).options_zh!
            return Object.fromEntries([...text.matchAll(/([0-9]{6}) (同意|反对|弃权)/g)].map((m) => [m[2]!, m[1]!]))
          }
          const [voter, paperVoter, other] = owners as [Resident, Resident, Resident]
          const voterCodes = codesFor(voter)
          expect(Object.keys(voterCodes).sort()).toStrictEqual(["反对", "同意", "弃权"].sort())
          // a reply from the registered number, through a signed Twilio inbound webhook
          const inbound = (from: string, body: string, sid: string) =>
            handleTwilioInbound(TWILIO_TOKEN, c, signedTwilioCallback(TWILIO_TOKEN, "https://gongzhi.example/sms/twilio/inbound", { From: from, Body: body, MessageSid: sid }))
          const voted = yield* run(clock, cfg, inbound(voter.phone!, `回复 ${voterCodes["同意"]}`, "SMin1"))
          expect(voted).toStrictEqual({ _tag: "voted", proposalId: p.id, replaced: false })
          // the same reply again (redelivered), and the other option's code: refused, nothing counted twice
          const again = yield* run(clock, cfg, Effect.flip(inbound(voter.phone!, voterCodes["同意"]!, "SMin2")))
          expect([again._tag, (again as { reason?: string }).reason]).toStrictEqual(["ReplyCodeInvalid", "used"])
          const change = yield* run(clock, cfg, Effect.flip(inbound(voter.phone!, voterCodes["反对"]!, "SMin3")))
          expect(change._tag).toBe("ReplyCodeInvalid")
          // someone else's code from another number
          const stolen = yield* run(clock, cfg, Effect.flip(inbound(other.phone!, codesFor(paperVoter)["反对"]!, "SMin4")))
          expect([stolen._tag, (stolen as { reason?: string }).reason]).toStrictEqual(["ReplyCodeInvalid", "not-yours"])
          const ballots = Effect.flatMap(Voting.VotingStore, (s) => s.listOpenBallots(c, p.id))
          const voterUnit = (yield* ballots).filter((l) => l.channel === "sms")
          expect(voterUnit).toHaveLength(1)
          expect(voterUnit[0]!.choice).toStrictEqual({ type: "yes-no", value: "yes" })
          // paper-overrides: the voter's confirmed paper ballot replaces the SMS one
          const paper = yield* run(clock, cfg, Voting.enterPaperBallot(clerk(c), { communityId: c, proposalId: p.id, residentId: voter.id, scanRef: "scan-17", choice: { type: "yes-no", value: "no" } }))
          yield* run(clock, cfg, Voting.confirmPaperBallot(committee2(c), { communityId: c, proposalId: p.id, paperBallotId: paper.id, accept: true }))
          // and an SMS reply after a paper ballot does not replace it
          const paper2 = yield* run(clock, cfg, Voting.enterPaperBallot(clerk(c), { communityId: c, proposalId: p.id, residentId: paperVoter.id, scanRef: "scan-18", choice: { type: "yes-no", value: "yes" } }))
          yield* run(clock, cfg, Voting.confirmPaperBallot(committee2(c), { communityId: c, proposalId: p.id, paperBallotId: paper2.id, accept: true }))
          const late = yield* run(clock, cfg, Effect.flip(inbound(paperVoter.phone!, codesFor(paperVoter)["反对"]!, "SMin5")))
          expect(late._tag).toBe("VotingAlreadyVoted")
          const lines = (yield* ballots).map((l) => [l.channel, l.choice])
          expect(lines.filter(([ch]) => ch === "sms")).toHaveLength(0)
          expect(lines.filter(([ch]) => ch === "paper")).toHaveLength(2)
          // the refused SMS left its code unused, but the vote closes and the code expires with it
          clock.set(p.closesAt! + 1)
          const expired = yield* run(clock, cfg, Effect.flip(inbound(paperVoter.phone!, codesFor(paperVoter)["同意"]!, "SMin6")))
          expect(expired._tag).toBe("ReplyCodeExpired")
          // every reply got an answer: one confirmation, the rest refusals
          yield* run(clock, cfg, Notifications.deliverAll({ communityId: c }))
          expect(fake.sent.filter((s) => s.templateCode === "SMS_900000003")).toHaveLength(1)
          expect(fake.sent.filter((s) => s.templateCode === "SMS_900000004").length).toBeGreaterThanOrEqual(4)
        }))

      it.effect("a time-bank service is confirmed by replying with its code", () =>
        Effect.gen(function* () {
          const { c, snapshot } = yield* setup(21)
          const clock = manualClock(T0)
          const cfg = config()
          const [provider, recipient] = snapshot.residents.filter((r) => r.phone !== undefined && r.kind === "owner") as [Resident, Resident]
          const { service } = yield* run(clock, cfg, TimeBank.recordService(new ResidentActor({ communityId: c, residentId: provider.id }), {
            communityId: c, providerId: provider.id, recipientId: recipient.id, serviceType: "elderly-care", minutes: 90
          }))
          const { code } = yield* run(clock, cfg, Notifications.requestServiceConfirmation(committee(c), { communityId: c, serviceId: service.id, residentId: recipient.id }))
          // the provider cannot confirm their own service with the recipient's code
          const wrong = yield* run(clock, cfg, Effect.flip(handleInbound(c, { provider: "aliyun", from: provider.phone!, text: code! })))
          expect(wrong._tag).toBe("ReplyCodeInvalid")
          const ok = yield* run(clock, cfg, handleInbound(c, { provider: "aliyun", from: recipient.phone!, text: `确认 ${code}` }))
          expect(ok).toStrictEqual({ _tag: "service-confirmed", serviceId: service.id })
          const stored = yield* TimeBank.getService(committee(c), c, service.id)
          expect(stored.status).toBe("credited")
        }))

      it.effect("phone numbers never appear in journal payloads or in logs", () =>
        Effect.gen(function* () {
          const { c, snapshot, residents } = yield* setup(22)
          const clock = manualClock(T0)
          const logs: Array<string> = []
          const capture = Logger.replace(Logger.defaultLogger, Logger.make(({ message, annotations }) => void logs.push(JSON.stringify([message, [...annotations]]))))
          yield* Effect.gen(function* () {
            for (const [i, r] of residents.slice(0, 4).entries()) yield* run(clock, config(), notice(c, r, i))
            yield* run(clock, config(), Notifications.deliverAll({ communityId: c }))
            yield* run(clock, config(), handleInbound(c, { provider: "aliyun", from: residents[0]!.phone!, text: "STOP" }))
            yield* Effect.either(run(clock, config(), handleInbound(c, { provider: "aliyun", from: residents[1]!.phone!, text: "123456" })))
            yield* run(clock, config(), Notifications.updatePreferences(committee(c), { communityId: c, residentId: residents[2]!.id, channels: ["sms"] }))
          }).pipe(Effect.provide(capture), Logger.withMinimumLogLevel(LogLevel.All))
          expect(logs.some((l) => l.includes("****"))).toBe(true)
          const journal = JSON.stringify((yield* readJournal(c)).map((e) => e.payload))
          expect((yield* readJournal(c)).some((e) => Option.isSome(decodeEntry(Notifications.NotificationEvent)(e)))).toBe(true)
          for (const r of snapshot.residents) {
            if (r.phone === undefined) continue
            const digits = r.phone.replace(/\D/g, "")
            expect(journal.includes(digits)).toBe(false)
            expect(logs.some((l) => l.includes(digits) || l.includes(digits.slice(3)))).toBe(false)
          }
        }))
    })
  })

export { DAY }
