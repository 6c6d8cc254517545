/**
 * Twilio Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`
 * with HTTP basic auth, free text. The outbox reference travels in the
 * status callback URL (`?ref=`). Twilio's Messages API has no idempotency key.
 *
 * @since 0.2.0
 */
import { Notifications } from "@gongzhi/core"
import { Effect } from "effect"
import { httpPost, serverError, type SmsProvider } from "./provider.js"

/**
 * Options of {@link twilioSms}.
 *
 * @since 0.2.0
 * @category providers
 */
export interface TwilioSmsOptions {
  readonly accountSid: string
  readonly authToken: string
  /** A Twilio number (E.164) or alphanumeric sender; or use `messagingServiceSid`. */
  readonly from?: string
  readonly messagingServiceSid?: string
  /** Where Twilio posts delivery status (the outbox reference is appended as `ref`). */
  readonly statusCallback?: string
  /** Default `https://api.twilio.com`. */
  readonly endpoint?: string
  readonly timeoutMs?: number
}

const INVALID_NUMBER = new Set([21211, 21214, 21217, 21614, 21612])
const OPTED_OUT = new Set([21610])
const RETRYABLE = new Set([20429, 20500, 20503, 30001])

/**
 * Maps a Twilio error to the typed refusal.
 *
 * @since 0.2.0
 * @category providers
 */
export const twilioFailure = (status: number, code: number | undefined, message: string) =>
  code !== undefined && INVALID_NUMBER.has(code)
    ? new Notifications.InvalidPhoneNumber({ owner: "provider:twilio" })
    : code !== undefined && OPTED_OUT.has(code)
    ? new Notifications.OptedOut({ recipient: "provider:twilio", category: "all" })
    : new Notifications.ProviderRejected({
        provider: "twilio",
        providerCode: String(code ?? `HTTP_${status}`),
        retryable: status === 429 || status >= 500 || (code !== undefined && RETRYABLE.has(code)),
        detail: message
      })

/**
 * The Twilio driver.
 *
 * @since 0.2.0
 * @category providers
 */
export const twilioSms = (options: TwilioSmsOptions): SmsProvider => {
  const endpoint = (options.endpoint ?? "https://api.twilio.com").replace(/\/$/, "")
  const auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`
  return {
    name: "twilio",
    templated: false,
    send: (m) =>
      Effect.gen(function* () {
        const form = new URLSearchParams({ To: m.to, Body: m.text })
        if (options.messagingServiceSid !== undefined) form.set("MessagingServiceSid", options.messagingServiceSid)
        else if (options.from !== undefined) form.set("From", options.from)
        if (options.statusCallback !== undefined) {
          const cb = new URL(options.statusCallback)
          cb.searchParams.set("ref", m.reference)
          form.set("StatusCallback", cb.toString())
        }
        const answer = yield* httpPost("twilio", `${endpoint}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`, {
          headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
          body: form.toString(),
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs })
        })
        const json = answer.json as { sid?: string; code?: number; message?: string } | undefined
        if ((answer.status === 200 || answer.status === 201) && typeof json?.sid === "string") return { messageId: json.sid }
        if (answer.status >= 500 && json?.code === undefined) return yield* Effect.fail(serverError("twilio", answer.status))
        return yield* Effect.fail(twilioFailure(answer.status, json?.code, json?.message ?? answer.body.slice(0, 200)))
      })
  }
}
