/**
 * Aliyun SMS (阿里云短信服务): `SendSms` (API version 2017-05-25) with the
 * V3 signature. Template code, sign name and the template's variables as a
 * JSON object; the outbox reference travels as `OutId` and comes back in
 * delivery receipts. Aliyun does not deduplicate on `OutId`.
 *
 * @since 0.2.0
 */
import { Notifications } from "@gongzhi/core"
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { splitE164 } from "./phone.js"
import { httpPost, serverError, type SmsProvider } from "./provider.js"
import { acs3Sign, canonicalQuery, sha256Hex } from "./signing.js"

/**
 * Options of {@link aliyunSms}.
 *
 * @since 0.2.0
 * @category providers
 */
export interface AliyunSmsOptions {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** The approved signature (签名), shown as 【...】. */
  readonly signName: string
  /** Default `https://dysmsapi.aliyuncs.com`. */
  readonly endpoint?: string
  readonly timeoutMs?: number
  /** For tests: the request time and nonce. */
  readonly now?: () => Date
  readonly nonce?: () => string
}

/** Codes after which sending again later may succeed. */
const RETRYABLE = new Set([
  "isp.SYSTEM_ERROR",
  "isp.RAM_PERMISSION_DENY_TEMPORARILY",
  "isv.BUSINESS_LIMIT_CONTROL",
  "Throttling",
  "Throttling.User",
  "Throttling.Api",
  "ServiceUnavailable",
  "InternalError"
])
const INVALID_NUMBER = new Set(["isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT"])
const OPTED_OUT = new Set(["isv.BLACK_KEY_CONTROL_LIMIT", "isv.DENY_IP_RANGE_UNSUBSCRIBED"])

/**
 * Maps an Aliyun answer code to the typed refusal.
 *
 * @since 0.2.0
 * @category providers
 */
export const aliyunFailure = (code: string, message: string) =>
  INVALID_NUMBER.has(code)
    ? new Notifications.InvalidPhoneNumber({ owner: "provider:aliyun" })
    : OPTED_OUT.has(code)
    ? new Notifications.OptedOut({ recipient: "provider:aliyun", category: "all" })
    : new Notifications.ProviderRejected({ provider: "aliyun", providerCode: code, retryable: RETRYABLE.has(code), detail: message })

/**
 * The number as Aliyun takes it: mainland numbers without `+86`, others with
 * their country code and no `+`.
 *
 * @since 0.2.0
 * @category providers
 */
export const aliyunNumber = (e164: string): string => {
  const { countryCode, national } = splitE164(e164)
  return countryCode === "86" ? national : `${countryCode}${national}`
}

/**
 * The Aliyun SMS driver.
 *
 * @since 0.2.0
 * @category providers
 */
export const aliyunSms = (options: AliyunSmsOptions): SmsProvider => {
  const endpoint = (options.endpoint ?? "https://dysmsapi.aliyuncs.com").replace(/\/$/, "")
  const host = new URL(endpoint).host
  return {
    name: "aliyun",
    templated: true,
    send: (m) =>
      Effect.gen(function* () {
        const query = {
          PhoneNumbers: aliyunNumber(m.to),
          SignName: options.signName,
          TemplateCode: m.templateCode,
          TemplateParam: JSON.stringify(Object.fromEntries(m.params)),
          OutId: m.reference
        }
        const body = ""
        const headers: Record<string, string> = {
          host,
          "x-acs-action": "SendSms",
          "x-acs-version": "2017-05-25",
          "x-acs-date": (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
          "x-acs-signature-nonce": options.nonce?.() ?? randomBytes(16).toString("hex"),
          "x-acs-content-sha256": sha256Hex(body)
        }
        const signed = acs3Sign({ method: "POST", query, headers, body, accessKeyId: options.accessKeyId, accessKeySecret: options.accessKeySecret })
        const answer = yield* httpPost("aliyun", `${endpoint}/?${canonicalQuery(query)}`, {
          headers: { ...headers, authorization: signed.authorization },
          body,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs })
        })
        if (answer.status >= 500) return yield* Effect.fail(serverError("aliyun", answer.status))
        const json = answer.json as { Code?: string; Message?: string; BizId?: string } | undefined
        if (answer.status === 200 && json?.Code === "OK" && typeof json.BizId === "string") return { messageId: json.BizId }
        return yield* Effect.fail(aliyunFailure(json?.Code ?? `HTTP_${answer.status}`, json?.Message ?? answer.body.slice(0, 200)))
      })
  }
}
