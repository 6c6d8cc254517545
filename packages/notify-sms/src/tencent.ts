/**
 * Tencent Cloud SMS (腾讯云短信): `SendSms` (API version 2021-01-11) with
 * the TC3-HMAC-SHA256 signature. SdkAppId, template id, sign name and the
 * template's variables as an ordered list; the outbox reference travels as
 * `SessionContext` and comes back in delivery receipts. Tencent does not
 * deduplicate on it.
 *
 * @since 0.2.0
 */
import { Notifications } from "@gongzhi/core"
import { Effect } from "effect"
import { httpPost, serverError, type SmsProvider } from "./provider.js"
import { tc3Sign } from "./signing.js"

/**
 * Options of {@link tencentSms}.
 *
 * @since 0.2.0
 * @category providers
 */
export interface TencentSmsOptions {
  readonly secretId: string
  readonly secretKey: string
  readonly sdkAppId: string
  readonly signName: string
  /** Default `ap-guangzhou`. */
  readonly region?: string
  /** Default `https://sms.tencentcloudapi.com`. */
  readonly endpoint?: string
  readonly timeoutMs?: number
  /** For tests: the request time. */
  readonly now?: () => Date
}

const RETRYABLE = new Set([
  "RequestLimitExceeded",
  "InternalError",
  "InternalError.Timeout",
  "InternalError.RequestTimeException",
  "InternalError.SendAndRecvFail",
  "ResourceUnavailable",
  "LimitExceeded.PhoneNumberThirtySecondLimit",
  "LimitExceeded.PhoneNumberOneHourLimit",
  "LimitExceeded.DeliveryFrequencyLimit"
])
const INVALID_NUMBER = new Set(["InvalidParameterValue.IncorrectPhoneNumber", "UnsupportedOperation.UnsupportedRegion"])
const OPTED_OUT = new Set(["FailedOperation.PhoneNumberInBlacklist", "FailedOperation.PhoneNumberOnBlacklist"])

/**
 * Maps a Tencent error or send-status code to the typed refusal.
 *
 * @since 0.2.0
 * @category providers
 */
export const tencentFailure = (code: string, message: string) =>
  INVALID_NUMBER.has(code)
    ? new Notifications.InvalidPhoneNumber({ owner: "provider:tencent" })
    : OPTED_OUT.has(code)
    ? new Notifications.OptedOut({ recipient: "provider:tencent", category: "all" })
    : new Notifications.ProviderRejected({
        provider: "tencent",
        providerCode: code,
        retryable: RETRYABLE.has(code) || code.startsWith("InternalError"),
        detail: message
      })

/**
 * The Tencent Cloud SMS driver.
 *
 * @since 0.2.0
 * @category providers
 */
export const tencentSms = (options: TencentSmsOptions): SmsProvider => {
  const endpoint = (options.endpoint ?? "https://sms.tencentcloudapi.com").replace(/\/$/, "")
  const host = new URL(endpoint).host
  return {
    name: "tencent",
    templated: true,
    send: (m) =>
      Effect.gen(function* () {
        const payload = JSON.stringify({
          PhoneNumberSet: [m.to],
          SmsSdkAppId: options.sdkAppId,
          SignName: options.signName,
          TemplateId: m.templateCode,
          TemplateParamSet: m.params.map(([, v]) => v),
          SessionContext: m.reference
        })
        const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000)
        const signed = tc3Sign({ secretId: options.secretId, secretKey: options.secretKey, service: "sms", host, timestamp, payload, action: "SendSms" })
        const answer = yield* httpPost("tencent", `${endpoint}/`, {
          headers: {
            "content-type": "application/json; charset=utf-8",
            host,
            "x-tc-action": "SendSms",
            "x-tc-version": "2021-01-11",
            "x-tc-timestamp": String(timestamp),
            "x-tc-region": options.region ?? "ap-guangzhou",
            authorization: signed.authorization
          },
          body: payload,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs })
        })
        if (answer.status >= 500) return yield* Effect.fail(serverError("tencent", answer.status))
        const res = (answer.json as {
          Response?: {
            Error?: { Code: string; Message: string }
            SendStatusSet?: ReadonlyArray<{ SerialNo: string; Code: string; Message: string }>
          }
        } | undefined)?.Response
        if (res?.Error !== undefined) return yield* Effect.fail(tencentFailure(res.Error.Code, res.Error.Message))
        const status = res?.SendStatusSet?.[0]
        if (status === undefined) return yield* Effect.fail(tencentFailure(`HTTP_${answer.status}`, answer.body.slice(0, 200)))
        if (status.Code !== "Ok") return yield* Effect.fail(tencentFailure(status.Code, status.Message))
        return { messageId: status.SerialNo }
      })
  }
}
