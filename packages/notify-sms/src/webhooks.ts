/**
 * Delivery receipts and inbound replies from the providers' callbacks.
 *
 * Twilio signs its callbacks (`X-Twilio-Signature`); the handlers verify it
 * and refuse anything else. Aliyun and Tencent Cloud do not sign receipt or
 * reply pushes: configure the callback URL with a secret `token` query
 * parameter and pass it as `callbackToken`, which the handlers compare in
 * constant time. Phone numbers are resolved to residents here and never
 * passed to the core.
 *
 * @since 0.2.0
 */
import { type CommunityId, Directory, GongzhiTaggedError, Notifications, type StoreUnavailable, SystemActor } from "@gongzhi/core"
import { Effect, type Either, Option, Schema } from "effect"
import { type CountryCode, normalizeMobile } from "./phone.js"
import { safeEqual, twilioSignature } from "./signing.js"

/**
 * A callback's signature (or token) did not verify; nothing was recorded.
 *
 * @since 0.2.0
 * @category errors
 */
export class WebhookSignatureInvalid extends GongzhiTaggedError<WebhookSignatureInvalid>()("WebhookSignatureInvalid", {
  provider: Schema.String
}, {
  code: "NOTIFY_WEBHOOK_SIGNATURE_INVALID",
  kind: "forbidden",
  text: (e) => ({ "zh-CN": `${e.provider} 回调签名校验失败，已拒绝`, en: `The ${e.provider} callback's signature did not verify; refused` })
}) {}

/**
 * A delivery report in the core's terms.
 *
 * @since 0.2.0
 * @category receipts
 */
export interface Receipt {
  readonly provider: string
  readonly providerMessageId: string
  readonly status: "delivered" | "failed"
  readonly code?: string
}

/**
 * An inbound SMS: who sent it (E.164 or national) and what.
 *
 * @since 0.2.0
 * @category replies
 */
export interface InboundSms {
  readonly provider: string
  readonly from: string
  readonly text: string
  /** The provider's id of the inbound message, if any (deduplicates redelivered callbacks). */
  readonly id?: string
}

/**
 * Parses a form-encoded body.
 *
 * @since 0.2.0
 * @category webhooks
 */
export const parseForm = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body))

/**
 * Verifies a Twilio callback: the `X-Twilio-Signature` of the full URL and
 * the POST parameters with the account's auth token.
 *
 * @since 0.2.0
 * @category webhooks
 */
export const verifyTwilio = (authToken: string, url: string, params: Readonly<Record<string, string>>, signature: string | undefined) =>
  signature !== undefined && safeEqual(twilioSignature(authToken, url, params), signature)
    ? Effect.void
    : Effect.fail(new WebhookSignatureInvalid({ provider: "twilio" }))

const verifyToken = (provider: string, expected: string | undefined, url: string) => {
  if (expected === undefined) return Effect.void
  const got = new URL(url, "http://callback.invalid").searchParams.get("token") ?? ""
  return safeEqual(got, expected) ? Effect.void : Effect.fail(new WebhookSignatureInvalid({ provider }))
}

/**
 * Twilio status callback -> receipt (`delivered`, or `failed` for
 * `failed`/`undelivered`; intermediate states yield none).
 *
 * @since 0.2.0
 * @category receipts
 */
export const twilioReceipt = (params: Readonly<Record<string, string>>): ReadonlyArray<Receipt> => {
  const status = params.MessageStatus ?? params.SmsStatus
  const sid = params.MessageSid ?? params.SmsSid
  if (sid === undefined || status === undefined) return []
  if (status === "delivered") return [{ provider: "twilio", providerMessageId: sid, status: "delivered" }]
  if (status === "failed" || status === "undelivered") {
    return [{ provider: "twilio", providerMessageId: sid, status: "failed", code: params.ErrorCode ?? status }]
  }
  return []
}

/**
 * Aliyun receipt push (a JSON array of `{ biz_id, success, err_code, ... }`) -> receipts.
 *
 * @since 0.2.0
 * @category receipts
 */
export const aliyunReceipts = (body: unknown): ReadonlyArray<Receipt> =>
  (Array.isArray(body) ? body : []).flatMap((r: { biz_id?: unknown; success?: unknown; err_code?: unknown }) =>
    typeof r.biz_id !== "string"
      ? []
      : [{
          provider: "aliyun",
          providerMessageId: r.biz_id,
          status: r.success === true || r.success === "true" ? "delivered" as const : "failed" as const,
          code: String(r.err_code ?? "")
        }]
  )

/**
 * Tencent receipt push (a JSON array of `{ sid, report_status, errmsg, ... }`) -> receipts.
 *
 * @since 0.2.0
 * @category receipts
 */
export const tencentReceipts = (body: unknown): ReadonlyArray<Receipt> =>
  (Array.isArray(body) ? body : []).flatMap((r: { sid?: unknown; report_status?: unknown; errmsg?: unknown }) =>
    typeof r.sid !== "string"
      ? []
      : [{
          provider: "tencent",
          providerMessageId: r.sid,
          status: r.report_status === "SUCCESS" ? "delivered" as const : "failed" as const,
          code: String(r.errmsg ?? r.report_status ?? "")
        }]
  )

/**
 * Records receipts on the outbox entries of a community they report on
 * (the callback URL names the community); receipts for unknown messages are
 * counted, not failed.
 *
 * @since 0.2.0
 * @category receipts
 */
export const recordReceipts = (communityId: CommunityId, receipts: ReadonlyArray<Receipt>) =>
  Effect.gen(function* () {
    const store = yield* Notifications.NotificationStore
    let recorded = 0
    let unknown = 0
    for (const r of receipts) {
      const entry = yield* store.findByProviderMessageId(communityId, r.provider, r.providerMessageId)
      if (Option.isNone(entry)) {
        unknown += 1
        continue
      }
      const actor = new SystemActor({ communityId, process: `sms-receipt:${r.provider}` })
      yield* Notifications.recordReceipt(actor, {
        communityId,
        provider: r.provider,
        providerMessageId: r.providerMessageId,
        status: r.status,
        ...(r.code === undefined || r.code === "" ? {} : { code: r.code.slice(0, 100) })
      })
      recorded += 1
    }
    return { recorded, unknown }
  })

/**
 * A raw HTTP callback as a web framework hands it over.
 *
 * @since 0.2.0
 * @category webhooks
 */
export interface Callback {
  /** The full URL the provider called (scheme, host, path and query), as configured at the provider. */
  readonly url: string
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/**
 * Handles a Twilio status callback: verifies the signature, records the receipt.
 *
 * @since 0.2.0
 * @category webhooks
 */
export const handleTwilioStatus = (authToken: string, communityId: CommunityId, cb: Callback) =>
  Effect.gen(function* () {
    const params = parseForm(cb.body)
    yield* verifyTwilio(authToken, cb.url, params, cb.headers["x-twilio-signature"])
    return yield* recordReceipts(communityId, twilioReceipt(params))
  })

/**
 * Handles an Aliyun receipt push (checked against `callbackToken` when given).
 *
 * @since 0.2.0
 * @category webhooks
 */
export const handleAliyunReceipts = (communityId: CommunityId, cb: Callback, callbackToken?: string) =>
  Effect.zipRight(verifyToken("aliyun", callbackToken, cb.url), recordReceipts(communityId, aliyunReceipts(safeJson(cb.body))))

/**
 * Handles a Tencent receipt push (checked against `callbackToken` when given).
 *
 * @since 0.2.0
 * @category webhooks
 */
export const handleTencentReceipts = (communityId: CommunityId, cb: Callback, callbackToken?: string) =>
  Effect.zipRight(verifyToken("tencent", callbackToken, cb.url), recordReceipts(communityId, tencentReceipts(safeJson(cb.body))))

/** What `Notifications.handleReply` returns. */
type ReplyEffect = ReturnType<typeof Notifications.handleReply>

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Finds the resident who sent an SMS: the one whose directory number
 * normalises to the same E.164 (an owner first, if a family shares a phone).
 *
 * @since 0.2.0
 * @category replies
 */
export const residentByPhone = (communityId: CommunityId, from: string, defaultCountry: CountryCode = "CN") =>
  Effect.gen(function* () {
    const e164 = normalizeMobile(from, defaultCountry)
    if (e164 === undefined) return Option.none()
    const residents = yield* Effect.flatMap(Directory, (d) => d.listResidents(communityId))
    const matches = residents.filter((r) => r.phone !== undefined && normalizeMobile(r.phone, defaultCountry) === e164)
    return Option.fromNullable(matches.find((r) => r.kind === "owner") ?? matches[0])
  })

/**
 * Handles an inbound SMS for a community: resolves the sender from the
 * directory and passes the text to the core (`Notifications.handleReply`):
 * a vote, a service confirmation or STOP / TD / 退订. A number that is no
 * resident's fails with `InvalidPhoneNumber` (owner `inbound`) and changes nothing.
 *
 * @since 0.2.0
 * @category replies
 */
export const handleInbound = (
  communityId: CommunityId,
  sms: InboundSms,
  defaultCountry: CountryCode = "CN"
): Effect.Effect<
  Effect.Effect.Success<ReplyEffect>,
  Effect.Effect.Error<ReplyEffect> | Notifications.InvalidPhoneNumber | StoreUnavailable,
  Effect.Effect.Context<ReplyEffect> | Directory
> =>
  Effect.gen(function* () {
    const resident = yield* residentByPhone(communityId, sms.from, defaultCountry)
    if (Option.isNone(resident)) return yield* Effect.fail(new Notifications.InvalidPhoneNumber({ owner: "inbound" }))
    const actor = new SystemActor({ communityId, process: `sms-inbound:${sms.provider}` })
    return yield* Notifications.handleReply(
      actor,
      { communityId, residentId: resident.value.id, text: sms.text },
      sms.id === undefined ? undefined : `${sms.provider}:${sms.id}`
    )
  })

/**
 * Handles a Twilio inbound-message webhook (signature verified).
 *
 * @since 0.2.0
 * @category webhooks
 */
export const handleTwilioInbound = (authToken: string, communityId: CommunityId, cb: Callback): Effect.Effect<
  Effect.Effect.Success<ReplyEffect>,
  Effect.Effect.Error<ReplyEffect> | Notifications.InvalidPhoneNumber | StoreUnavailable | WebhookSignatureInvalid,
  Effect.Effect.Context<ReplyEffect> | Directory
> =>
  Effect.gen(function* () {
    const params = parseForm(cb.body)
    yield* verifyTwilio(authToken, cb.url, params, cb.headers["x-twilio-signature"])
    return yield* handleInbound(communityId, {
      provider: "twilio",
      from: params.From ?? "",
      text: params.Body ?? "",
      ...(params.MessageSid === undefined ? {} : { id: params.MessageSid })
    })
  })

/**
 * Handles an Aliyun reply push (`[{ phone_number, content, sequence_id, ... }]`).
 *
 * @since 0.2.0
 * @category webhooks
 */
export const handleAliyunInbound = (communityId: CommunityId, cb: Callback, callbackToken?: string): Effect.Effect<
  ReadonlyArray<Either.Either<Effect.Effect.Success<ReplyEffect>, Effect.Effect.Error<ReplyEffect> | Notifications.InvalidPhoneNumber | StoreUnavailable>>,
  WebhookSignatureInvalid,
  Effect.Effect.Context<ReplyEffect> | Directory
> =>
  Effect.gen(function* () {
    yield* verifyToken("aliyun", callbackToken, cb.url)
    const body = safeJson(cb.body)
    const out: Array<Either.Either<Effect.Effect.Success<ReplyEffect>, Effect.Effect.Error<ReplyEffect> | Notifications.InvalidPhoneNumber | StoreUnavailable>> = []
    for (const m of Array.isArray(body) ? body : []) {
      const r = m as { phone_number?: unknown; content?: unknown; sequence_id?: unknown }
      if (typeof r.phone_number !== "string" || typeof r.content !== "string") continue
      out.push(yield* Effect.either(handleInbound(communityId, {
        provider: "aliyun",
        from: r.phone_number,
        text: r.content,
        ...(r.sequence_id === undefined ? {} : { id: String(r.sequence_id) })
      })))
    }
    return out
  })

/**
 * Handles a Tencent reply push (`{ mobile, nationcode, text, ... }`).
 *
 * @since 0.2.0
 * @category webhooks
 */
export const handleTencentInbound = (communityId: CommunityId, cb: Callback, callbackToken?: string): Effect.Effect<
  Effect.Effect.Success<ReplyEffect>,
  Effect.Effect.Error<ReplyEffect> | Notifications.InvalidPhoneNumber | Notifications.ReplyCodeInvalid | StoreUnavailable | WebhookSignatureInvalid,
  Effect.Effect.Context<ReplyEffect> | Directory
> =>
  Effect.gen(function* () {
    yield* verifyToken("tencent", callbackToken, cb.url)
    const r = safeJson(cb.body) as { mobile?: unknown; nationcode?: unknown; text?: unknown; time?: unknown } | undefined
    if (typeof r?.mobile !== "string" || typeof r.text !== "string") {
      return yield* Effect.fail(new Notifications.ReplyCodeInvalid({ reason: "unreadable" }))
    }
    return yield* handleInbound(communityId, {
      provider: "tencent",
      from: `+${String(r.nationcode ?? "86")}${r.mobile}`,
      text: r.text,
      ...(r.time === undefined ? {} : { id: `${r.mobile}:${String(r.time)}` })
    })
  })
