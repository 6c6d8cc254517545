import { CommunityId, DirectoryWriter, Gongzhi, Notifications, ResidentActor, SystemActor } from "@gongzhi/core"
import { describe, expect, layer } from "@effect/vitest"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Clock, Context, Effect, Exit, Layer } from "effect"
import {
  type FakeSmsServer,
  handleTencentInbound,
  handleTencentReceipts,
  handleTwilioStatus,
  signedTwilioCallback,
  SmsChannelLive,
  startFakeSmsServer,
  tencentReceiptBody,
  twilioSms
} from "../src/index.js"

const twilio = { accountSid: "AC0123456789abcdef0123456789abcdef", authToken: "tw-token" }
class Fake extends Context.Tag("test/ChannelFake")<Fake, FakeSmsServer>() {}
const fakeLayer = Layer.scoped(Fake, Effect.acquireRelease(Effect.promise(() => startFakeSmsServer({ twilio })), (s) => Effect.promise(() => s.close())))
const id = "channel-test"
const C = CommunityId.make(id)
const community = generateCommunity({ seed: 5, communityId: id, buildings: 1, floors: 3 })
const base = Layer.mergeAll(Gongzhi.layer({ templates: { "t.hello": { "zh-CN": "你好，{name}", en: "Hello, {name}" } } }), MemoryStore.layer({ directory: [community] }), fakeLayer)
const sms = Layer.unwrapEffect(Effect.map(Fake, (fake) =>
  SmsChannelLive({ provider: twilioSms({ ...twilio, from: "+14155550100", endpoint: fake.url, statusCallback: "https://gongzhi.example/sms/status" }), maxPerSecond: 2 })))
const residents = community.residents.filter((r) => r.phone !== undefined)
// 12:00 in Beijing: no quiet hours
const NOON = Date.UTC(2026, 11, 1, 4, 0)
const fixed = (t: number) => Effect.withClock({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => t,
  currentTimeMillis: Effect.succeed(t),
  unsafeCurrentTimeNanos: () => BigInt(t) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(t) * 1_000_000n),
  sleep: (d) => Effect.sleep(d)
} as Clock.Clock)
const hello = (i: number, o: { templateId?: string } = {}) =>
  Notifications.enqueue(new SystemActor({ communityId: C, process: "t" }), {
    communityId: C, recipient: { _tag: "Resident", residentId: residents[i]!.id }, category: "general",
    templateId: o.templateId ?? "t.hello", params: { name: residents[i]!.name }, idempotencyKey: `hello-${i}-${o.templateId ?? ""}`
  })

describe("the SMS channel with Twilio, a provider rate limit and Tencent callbacks", () => {
  layer(Layer.provideMerge(sms, base), { excludeTestServices: true })((it) => {
    it.effect("a text provider sends the rendered text in the resident's language; the provider limit defers the rest", () =>
      Effect.gen(function* () {
        const fake = yield* Fake
        yield* Notifications.updatePreferences(new ResidentActor({ communityId: C, residentId: residents[1]!.id }), { communityId: C, residentId: residents[1]!.id, locale: "en" })
        for (let i = 0; i < 4; i++) yield* hello(i)
        const first = yield* Notifications.deliverOnce({ communityId: C })
        expect([first.sent, first.deferred]).toStrictEqual([2, 2])
        expect(fake.sent.map((s) => s.text)).toStrictEqual([`你好，${residents[0]!.name}`, `Hello, ${residents[1]!.name}`])
        const waiting = yield* Effect.flatMap(Notifications.NotificationStore, (s) => s.listEntries(C, { status: "pending" }))
        expect(waiting.map((e) => [e.reason, e.attempts, e.nextAttemptAt])).toStrictEqual([["RateLimited", 0, NOON + 1000], ["RateLimited", 0, NOON + 1000]])
        yield* Notifications.deliverAll({ communityId: C }).pipe(fixed(NOON + 1000))
        expect(fake.sent).toHaveLength(4)
        // the reference comes back on Twilio's signed status callback
        const sent = (yield* Effect.flatMap(Notifications.NotificationStore, (s) => s.listEntries(C, { status: "sent" })))[0]!
        expect(fake.sent.find((s) => s.messageId === sent.providerMessageId)!.reference).toBe(sent.idempotencyKey)
        const url = `https://gongzhi.example/sms/status?ref=${sent.idempotencyKey}`
        yield* handleTwilioStatus(twilio.authToken, C, signedTwilioCallback(twilio.authToken, url, { MessageSid: sent.providerMessageId!, MessageStatus: "undelivered", ErrorCode: "30003" }))
        const after = yield* Effect.flatMap(Notifications.NotificationStore, (s) => s.getEntry(C, sent.id))
        expect(after._tag === "Some" ? [after.value.status, after.value.providerCode] : []).toStrictEqual(["failed", "30003"])
      }).pipe(fixed(NOON)))

    it.effect("a template the core does not know is dead with TemplateNotMapped, not lost", () =>
      Effect.gen(function* () {
        yield* hello(5, { templateId: "t.missing" })
        yield* Notifications.deliverAll({ communityId: C })
        const dead = yield* Effect.flatMap(Notifications.NotificationStore, (s) => s.listEntries(C, { status: "dead" }))
        expect(dead.map((e) => e.reason?.split(":")[0])).toStrictEqual(["TemplateNotMapped"])
      }).pipe(fixed(NOON + 10_000)))

    it.effect("Tencent receipts and replies (token-checked callbacks)", () =>
      Effect.gen(function* () {
        const fake = yield* Fake
        const store = yield* Notifications.NotificationStore
        // a sent entry as a Tencent send would leave it
        const e = (yield* store.listEntries(C, { status: "sent" }))[1]!
        yield* store.update(new Notifications.OutboxEntry({ ...e, provider: "tencent", providerMessageId: "2433:123" }), undefined)
        const cb = (body: string, token: string) => ({ url: `https://gongzhi.example/sms/tencent?token=${token}`, headers: {}, body })
        const body = tencentReceiptBody({ provider: "tencent", messageId: "2433:123", to: "+8613800000000", at: 0 }, true)
        expect(Exit.isFailure(yield* Effect.exit(handleTencentReceipts(C, cb(body, "nope"), "tok")))).toBe(true)
        expect(yield* handleTencentReceipts(C, cb(body, "tok"), "tok")).toStrictEqual({ recorded: 1, unknown: 0 })
        const got = yield* store.getEntry(C, e.id)
        expect(got._tag === "Some" ? [got.value.status, got.value.providerCode] : []).toStrictEqual(["delivered", "DELIVRD"])
        // a Tencent reply push: STOP from a resident's number
        const r = residents[2]!
        const national = r.phone!.replace(/\D/g, "").slice(-11)
        const out = yield* handleTencentInbound(C, cb(JSON.stringify({ mobile: national, nationcode: "86", text: "退订", sign: "共治", time: 1 }), "tok"), "tok")
        expect(out._tag).toBe("opted-out")
        const prefs = yield* Notifications.preferences(new ResidentActor({ communityId: C, residentId: r.id }), C, r.id)
        expect(prefs.stopped).toBe(true)
        // an unknown number changes nothing
        const unknown = yield* Effect.flip(handleTencentInbound(C, cb(JSON.stringify({ mobile: "13900000001", nationcode: "86", text: "退订" }), "tok"), "tok"))
        expect(unknown._tag).toBe("InvalidPhoneNumber")
        expect(fake.sent.length).toBeGreaterThan(0)
      }).pipe(fixed(NOON + 20_000)))
  })
})
