/**
 * A fake SMS provider on 127.0.0.1 that speaks Aliyun's, Tencent Cloud's and
 * Twilio's send APIs, verifies their signatures and records what was sent.
 * Faults can be scripted (throttling, 5xx, permanent errors, an outage, or a
 * random share of transient failures) for tests, benchmarks and the demo. It
 * also builds the providers' callback payloads (receipts and replies),
 * signed where the provider signs.
 *
 * @since 0.2.0
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { acs3Sign, safeEqual, tc3Sign, twilioSignature } from "./signing.js"

/**
 * A message the fake provider accepted.
 *
 * @since 0.2.0
 * @category fake provider
 */
export interface FakeSent {
  readonly provider: "aliyun" | "tencent" | "twilio"
  readonly messageId: string
  /** E.164 (Aliyun's mainland numbers are stored with +86). */
  readonly to: string
  readonly templateCode?: string
  readonly params?: Readonly<Record<string, string>> | ReadonlyArray<string>
  readonly text?: string
  readonly signName?: string
  /** `OutId`, `SessionContext` or the `ref` of Twilio's status callback. */
  readonly reference?: string
  readonly at: number
}

/**
 * A scripted answer: a fault or a normal acceptance.
 *
 * @since 0.2.0
 * @category fake provider
 */
export type FakeFault = "ok" | "throttle" | "server-error" | "invalid-number" | "template" | "drop"

/**
 * Credentials the fake checks signatures with.
 *
 * @since 0.2.0
 * @category fake provider
 */
export interface FakeCredentials {
  readonly aliyun?: { readonly accessKeyId: string; readonly accessKeySecret: string }
  readonly tencent?: { readonly secretId: string; readonly secretKey: string; readonly sdkAppId?: string }
  readonly twilio?: { readonly accountSid: string; readonly authToken: string }
}

/**
 * The running fake provider.
 *
 * @since 0.2.0
 * @category fake provider
 */
export interface FakeSmsServer {
  /** `http://127.0.0.1:PORT`: the endpoint for every driver. */
  readonly url: string
  /** Accepted messages, in arrival order (a retried message appears again). */
  readonly sent: Array<FakeSent>
  /** Every request, with the answer given. */
  readonly log: Array<{ readonly provider: string; readonly outcome: FakeFault | "bad-signature" | "down" }>
  /** Answers to give next, one per request, before normal behaviour. */
  readonly script: (...faults: ReadonlyArray<FakeFault>) => void
  /** Forgets what was sent and logged, the script, the outage and the failure rate. */
  readonly reset: () => void
  /** While down, every request gets HTTP 503. */
  down: boolean
  /** Share of requests (0-1) that fail transiently (throttling or 5xx at random). */
  transientFailureRate: number
  readonly close: () => Promise<void>
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" })
  res.end(JSON.stringify(body))
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

/** A small seeded PRNG (mulberry32), so fault runs are reproducible. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/**
 * Starts the fake provider on an ephemeral port of 127.0.0.1.
 *
 * @since 0.2.0
 * @category fake provider
 */
export const startFakeSmsServer = async (credentials: FakeCredentials = {}, options: { readonly seed?: number } = {}): Promise<FakeSmsServer> => {
  const queue: Array<FakeFault> = []
  const random = prng(options.seed ?? 42)
  let counter = 0
  const state: FakeSmsServer = {
    url: "",
    sent: [],
    log: [],
    script: (...faults) => void queue.push(...faults),
    reset: () => {
      queue.length = 0
      state.sent.length = 0
      state.log.length = 0
      state.down = false
      state.transientFailureRate = 0
    },
    down: false,
    transientFailureRate: 0,
    close: async () => {}
  }

  const nextFault = (): FakeFault => {
    const scripted = queue.shift()
    if (scripted !== undefined) return scripted
    if (state.transientFailureRate > 0 && random() < state.transientFailureRate) return random() < 0.5 ? "throttle" : "server-error"
    return "ok"
  }

  const aliyun = (req: IncomingMessage, res: ServerResponse, url: URL, body: string, fault: FakeFault) => {
    const auth = req.headers.authorization ?? ""
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(auth)
    const creds = credentials.aliyun
    const query = Object.fromEntries(url.searchParams)
    if (creds !== undefined) {
      const headers = Object.fromEntries((m?.[2] ?? "").split(";").map((h) => [h, String(req.headers[h] ?? "")]))
      const expected = acs3Sign({ method: req.method ?? "POST", query, headers, body, accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret })
      if (m === null || m[1] !== creds.accessKeyId || !safeEqual(expected.signature, m[3]!)) {
        state.log.push({ provider: "aliyun", outcome: "bad-signature" })
        return json(res, 400, { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation." })
      }
    }
    state.log.push({ provider: "aliyun", outcome: fault })
    switch (fault) {
      case "throttle":
        return json(res, 200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发号码天级流控Permits:10" })
      case "server-error":
        return json(res, 503, { Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server." })
      case "invalid-number":
        return json(res, 200, { Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: "非法手机号" })
      case "template":
        return json(res, 200, { Code: "isv.SMS_TEMPLATE_ILLEGAL", Message: "该账号下找不到对应模板" })
      default: {
        const messageId = `${900000 + ++counter}^0`
        const national = query.PhoneNumbers ?? ""
        state.sent.push({
          provider: "aliyun",
          messageId,
          to: national.length === 11 ? `+86${national}` : `+${national}`,
          templateCode: query.TemplateCode ?? "",
          params: JSON.parse(query.TemplateParam ?? "{}") as Record<string, string>,
          signName: query.SignName ?? "",
          ...(query.OutId === undefined ? {} : { reference: query.OutId }),
          at: Date.now()
        })
        if (fault === "drop") return req.socket.destroy()
        return json(res, 200, { Code: "OK", Message: "OK", BizId: messageId, RequestId: `req-${counter}` })
      }
    }
  }

  const tencent = (req: IncomingMessage, res: ServerResponse, body: string, fault: FakeFault) => {
    const creds = credentials.tencent
    const ok = (response: unknown) => json(res, 200, { Response: { ...(response as object), RequestId: `req-${++counter}` } })
    if (creds !== undefined) {
      const auth = req.headers.authorization ?? ""
      const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/([0-9-]+)\/([a-z]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(auth)
      const timestamp = Number(req.headers["x-tc-timestamp"])
      const expected = tc3Sign({
        secretId: creds.secretId,
        secretKey: creds.secretKey,
        service: m?.[3] ?? "sms",
        host: String(req.headers.host ?? ""),
        timestamp,
        payload: body,
        contentType: String(req.headers["content-type"] ?? ""),
        ...(m?.[4]?.includes("x-tc-action") ? { action: String(req.headers["x-tc-action"] ?? "") } : {})
      })
      if (m === null || m[1] !== creds.secretId || !safeEqual(expected.signature, m[5]!)) {
        state.log.push({ provider: "tencent", outcome: "bad-signature" })
        return ok({ Error: { Code: "AuthFailure.SignatureFailure", Message: "The provided credentials could not be validated." } })
      }
    }
    state.log.push({ provider: "tencent", outcome: fault })
    const req0 = JSON.parse(body) as { PhoneNumberSet: Array<string>; TemplateId: string; TemplateParamSet: Array<string>; SignName: string; SessionContext?: string; SmsSdkAppId: string }
    const status = (code: string, message: string, serial = "") =>
      ok({ SendStatusSet: [{ SerialNo: serial, PhoneNumber: req0.PhoneNumberSet[0], Fee: code === "Ok" ? 1 : 0, SessionContext: req0.SessionContext ?? "", Code: code, Message: message, IsoCode: "CN" }] })
    switch (fault) {
      case "throttle":
        return ok({ Error: { Code: "RequestLimitExceeded", Message: "请求的次数超过了频率限制。" } })
      case "server-error":
        return json(res, 502, { message: "bad gateway" })
      case "invalid-number":
        return status("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误")
      case "template":
        return status("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配")
      default: {
        const messageId = `2433:${300000000 + ++counter}`
        state.sent.push({
          provider: "tencent",
          messageId,
          to: req0.PhoneNumberSet[0] ?? "",
          templateCode: req0.TemplateId,
          params: req0.TemplateParamSet,
          signName: req0.SignName,
          ...(req0.SessionContext === undefined ? {} : { reference: req0.SessionContext }),
          at: Date.now()
        })
        if (fault === "drop") return req.socket.destroy()
        return status("Ok", "send success", messageId)
      }
    }
  }

  const twilio = (req: IncomingMessage, res: ServerResponse, sid: string, body: string, fault: FakeFault) => {
    const creds = credentials.twilio
    if (creds !== undefined) {
      const expected = `Basic ${Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString("base64")}`
      if (sid !== creds.accountSid || !safeEqual(String(req.headers.authorization ?? ""), expected)) {
        state.log.push({ provider: "twilio", outcome: "bad-signature" })
        return json(res, 401, { code: 20003, message: "Authenticate", status: 401 })
      }
    }
    state.log.push({ provider: "twilio", outcome: fault })
    const form = Object.fromEntries(new URLSearchParams(body))
    switch (fault) {
      case "throttle":
        return json(res, 429, { code: 20429, message: "Too Many Requests", status: 429 })
      case "server-error":
        return json(res, 503, { code: 20503, message: "Service unavailable", status: 503 })
      case "invalid-number":
        return json(res, 400, { code: 21211, message: `The 'To' number is not a valid phone number.`, status: 400 })
      case "template":
        return json(res, 400, { code: 21602, message: "Message body is required.", status: 400 })
      default: {
        const messageId = `SM${(++counter).toString(16).padStart(32, "0")}`
        const ref = form.StatusCallback === undefined ? undefined : new URL(form.StatusCallback).searchParams.get("ref") ?? undefined
        state.sent.push({
          provider: "twilio",
          messageId,
          to: form.To ?? "",
          text: form.Body ?? "",
          ...(ref === undefined ? {} : { reference: ref }),
          at: Date.now()
        })
        if (fault === "drop") return req.socket.destroy()
        return json(res, 201, { sid: messageId, status: "queued", to: form.To, body: form.Body })
      }
    }
  }

  const server: Server = createServer((req, res) => {
    readBody(req).then((body) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const twilioPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname)
      const provider = req.headers["x-acs-action"] !== undefined ? "aliyun" : req.headers["x-tc-action"] !== undefined ? "tencent" : twilioPath !== null ? "twilio" : undefined
      if (provider === undefined) return json(res, 404, { message: "unknown API" })
      if (state.down) {
        state.log.push({ provider, outcome: "down" })
        return json(res, 503, { message: "down" })
      }
      const fault = nextFault()
      if (provider === "aliyun") return aliyun(req, res, url, body, fault)
      if (provider === "tencent") return tencent(req, res, body, fault)
      return twilio(req, res, twilioPath![1]!, body, fault)
    }).catch(() => json(res, 400, { message: "bad request" }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  })
}

/**
 * The body of an Aliyun receipt push for an accepted message.
 *
 * @since 0.2.0
 * @category fake provider
 */
export const aliyunReceiptBody = (sent: FakeSent, success: boolean): string =>
  JSON.stringify([{
    phone_number: sent.to.replace(/^\+86/, ""),
    send_time: "2026-12-02 10:00:00",
    report_time: "2026-12-02 10:00:05",
    success,
    err_code: success ? "DELIVERED" : "MK:0001",
    err_msg: success ? "用户接收成功" : "用户关机",
    sms_size: "1",
    biz_id: sent.messageId,
    out_id: sent.reference ?? ""
  }])

/**
 * The body of a Tencent receipt push for an accepted message.
 *
 * @since 0.2.0
 * @category fake provider
 */
export const tencentReceiptBody = (sent: FakeSent, success: boolean): string =>
  JSON.stringify([{
    user_receive_time: "2026-12-02 10:00:05",
    nationcode: "86",
    mobile: sent.to.replace(/^\+86/, ""),
    report_status: success ? "SUCCESS" : "FAIL",
    errmsg: success ? "DELIVRD" : "MK:0001",
    description: success ? "用户短信送达成功" : "用户关机",
    sid: sent.messageId
  }])

/**
 * A Twilio callback (status or inbound message) to `url`, signed with the auth token.
 *
 * @since 0.2.0
 * @category fake provider
 */
export const signedTwilioCallback = (authToken: string, url: string, params: Readonly<Record<string, string>>) => ({
  url,
  headers: { "x-twilio-signature": twilioSignature(authToken, url, params), "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(params).toString()
})
