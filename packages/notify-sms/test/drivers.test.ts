import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit } from "effect"
import { afterAll, beforeAll } from "vitest"
import {
  aliyunSms,
  type FakeSmsServer,
  type SmsMessage,
  type SmsProvider,
  startFakeSmsServer,
  tencentSms,
  twilioSms,
  withRetry
} from "../src/index.js"

const creds = {
  aliyun: { accessKeyId: "LTAI-test", accessKeySecret: "aliyun-secret" },
  tencent: { secretId: "AKID-test", secretKey: "tencent-secret" },
  twilio: { accountSid: "AC0123456789abcdef0123456789abcdef", authToken: "twilio-token" }
}

let fake: FakeSmsServer
beforeAll(async () => {
  fake = await startFakeSmsServer(creds)
})
afterAll(() => fake.close())

const message: SmsMessage = {
  to: "+8613812345678",
  templateCode: "SMS_465000001",
  params: [["title", "加装电梯"], ["code", "482913"]],
  text: "【共治】加装电梯表决已开始，回复 482913 同意",
  reference: "ref-1"
}

const drivers: ReadonlyArray<readonly [string, (secret?: string) => SmsProvider]> = [
  ["aliyun", (s) => aliyunSms({ ...creds.aliyun, ...(s === undefined ? {} : { accessKeySecret: s }), signName: "共治社区", endpoint: fake.url })],
  ["tencent", (s) => tencentSms({ ...creds.tencent, ...(s === undefined ? {} : { secretKey: s }), sdkAppId: "1400000001", signName: "共治社区", endpoint: fake.url })],
  ["twilio", (s) => twilioSms({ ...creds.twilio, ...(s === undefined ? {} : { authToken: s }), from: "+14155550100", endpoint: fake.url, statusCallback: "https://gongzhi.example/sms/status" })]
]

const failure = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? (exit.cause.error as Record<string, unknown>) : undefined

describe.each(drivers)("%s driver against the fake provider", (name, make) => {
  const reset = () => fake.reset()

  it.live("sends a correctly shaped, correctly signed request", () =>
    Effect.gen(function* () {
      reset()
      const sent = yield* make().send(message)
      expect(fake.sent).toHaveLength(1)
      const got = fake.sent[0]!
      expect(got.messageId).toBe(sent.messageId)
      expect([got.provider, got.to, got.reference]).toStrictEqual([name, "+8613812345678", "ref-1"])
      if (name === "aliyun") expect([got.templateCode, got.params, got.signName]).toStrictEqual(["SMS_465000001", { title: "加装电梯", code: "482913" }, "共治社区"])
      if (name === "tencent") expect([got.templateCode, got.params, got.signName]).toStrictEqual(["SMS_465000001", ["加装电梯", "482913"], "共治社区"])
      if (name === "twilio") expect(got.text).toBe(message.text)
    }))

  it.live("a wrong secret is refused by the provider's signature check and not retried", () =>
    Effect.gen(function* () {
      reset()
      const exit = yield* Effect.exit(withRetry(make("wrong-secret"), { baseDelay: Duration.millis(1) }).send(message))
      const e = failure(exit)
      expect(e?._tag).toBe("ProviderRejected")
      expect(e?.retryable).toBe(false)
      expect(fake.log.map((l) => l.outcome)).toStrictEqual(["bad-signature"])
      expect(fake.sent).toHaveLength(0)
    }))

  it.live("maps errors: throttling and 5xx are retryable, a bad number is InvalidPhoneNumber, a bad template is permanent", () =>
    Effect.gen(function* () {
      reset()
      const p = make()
      fake.script("throttle", "server-error", "invalid-number", "template")
      const throttled = failure(yield* Effect.exit(p.send(message)))
      expect([throttled?._tag, throttled?.retryable]).toStrictEqual(["ProviderRejected", true])
      const server = failure(yield* Effect.exit(p.send(message)))
      expect([server?._tag, server?.retryable]).toStrictEqual(["ProviderRejected", true])
      expect(failure(yield* Effect.exit(p.send(message)))?._tag).toBe("InvalidPhoneNumber")
      const template = failure(yield* Effect.exit(p.send(message)))
      expect([template?._tag, template?.retryable]).toStrictEqual(["ProviderRejected", false])
      expect(typeof template?.providerCode).toBe("string")
      // a provider that is unreachable is a retryable NETWORK refusal
      fake.down = true
      const down = failure(yield* Effect.exit(p.send(message)))
      expect([down?._tag, down?.retryable]).toStrictEqual(["ProviderRejected", true])
      expect(fake.sent).toHaveLength(0)
    }))

  it.live("retries 5xx and throttling, then succeeds; never retries a permanent error", () =>
    Effect.gen(function* () {
      reset()
      const p = withRetry(make(), { attempts: 4, baseDelay: Duration.millis(2) })
      fake.script("server-error", "throttle", "ok")
      yield* p.send(message)
      expect(fake.log.map((l) => l.outcome)).toStrictEqual(["server-error", "throttle", "ok"])
      expect(fake.sent).toHaveLength(1)
      fake.log.length = 0
      fake.script("template")
      expect(failure(yield* Effect.exit(p.send(message)))?._tag).toBe("ProviderRejected")
      expect(fake.log.map((l) => l.outcome)).toStrictEqual(["template"])
      fake.log.length = 0
      // attempts are bounded: four transient refusals in a row reach the caller
      fake.script("throttle", "throttle", "throttle", "throttle", "ok")
      expect(failure(yield* Effect.exit(p.send(message)))?.retryable).toBe(true)
      expect(fake.log).toHaveLength(4)
      // the fifth answer, still queued, goes to the next request
      yield* p.send(message)
      expect(fake.log.map((l) => l.outcome).at(-1)).toBe("ok")
    }))
})
