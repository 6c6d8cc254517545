/**
 * The core's `SmsChannel` over an {@link SmsProvider}: looks the recipient's
 * number up in the directory, validates and normalises it to E.164, maps the
 * core template to the provider's approved template, counts parts, applies
 * the provider's rate limit and sends. Numbers appear in logs only masked.
 *
 * @since 0.2.0
 */
import { type CommunityId, Directory, Notifications, type Recipient } from "@gongzhi/core"
import { Clock, Effect, Layer } from "effect"
import { type CountryCode, maskE164, normalizeMobile } from "./phone.js"
import type { SmsProvider } from "./provider.js"
import { countSegments } from "./segments.js"

/**
 * A core template's approved template at the provider, with the order of
 * its variables (Tencent takes them as a list).
 *
 * @since 0.2.0
 * @category configuration
 */
export interface TemplateMapping {
  readonly templateCode: string
  /** The core parameters the provider template uses, in its order. */
  readonly params: ReadonlyArray<string>
}

/**
 * Options of {@link SmsChannelLive}.
 *
 * @since 0.2.0
 * @category configuration
 */
export interface SmsChannelOptions {
  readonly provider: SmsProvider
  /** Core template id -> the provider's approved template (needed by template providers). */
  readonly templates?: Readonly<Record<string, TemplateMapping>>
  /** How national numbers in the directory are read (default `CN`). */
  readonly defaultCountry?: CountryCode
  /** At most this many sends per second to the provider (default: unlimited). */
  readonly maxPerSecond?: number
}

const owner = (r: Recipient) => (r._tag === "Resident" ? `resident:${r.residentId}` : `staff:${r.staffId}`)

/**
 * The SMS channel as a layer (needs the `Directory`).
 *
 * @since 0.2.0
 * @category layers
 */
export const SmsChannelLive = (options: SmsChannelOptions): Layer.Layer<Notifications.SmsChannel, never, Directory> =>
  Layer.effect(
    Notifications.SmsChannel,
    Effect.gen(function* () {
      const directory = yield* Directory
      const provider = options.provider
      let windowStart = 0
      let inWindow = 0

      const phoneOf = (c: CommunityId, r: Recipient) =>
        Effect.map(
          r._tag === "Resident"
            ? Effect.map(directory.getResident(c, r.residentId), (x) => x.phone)
            : Effect.map(directory.getStaff(c, r.staffId), (x) => x.phone),
          (raw) => (raw === undefined ? undefined : normalizeMobile(raw, options.defaultCountry ?? "CN"))
        ).pipe(Effect.catchTag("NotFound", () => Effect.succeed(undefined)))

      return Notifications.SmsChannel.of({
        reachable: (c, r) => Effect.map(phoneOf(c, r), (p) => p !== undefined),
        send: (d) =>
          Effect.gen(function* () {
            const to = yield* phoneOf(d.communityId, d.recipient)
            if (to === undefined) return yield* Effect.fail(new Notifications.InvalidPhoneNumber({ owner: owner(d.recipient) }))
            const mapping = options.templates?.[d.templateId]
            if (provider.templated && mapping === undefined) {
              return yield* Effect.fail(new Notifications.TemplateNotMapped({ provider: provider.name, templateId: d.templateId }))
            }
            if (options.maxPerSecond !== undefined) {
              const now = yield* Clock.currentTimeMillis
              if (now - windowStart >= 1000) {
                windowStart = now
                inWindow = 0
              }
              if (inWindow >= options.maxPerSecond) {
                return yield* Effect.fail(new Notifications.RateLimited({ scope: "provider", retryAt: windowStart + 1000 }))
              }
              inWindow += 1
            }
            const params = (mapping?.params ?? []).map((name) => [name, String(d.params[name] ?? "")] as const)
            const segments = countSegments(d.text).segments
            yield* Effect.logDebug("sms.send", { provider: provider.name, to: maskE164(to), template: d.templateId, segments })
            const sent = yield* provider.send({ to, templateCode: mapping?.templateCode ?? "", params, text: d.text, reference: d.reference }).pipe(
              Effect.mapError((e) =>
                e._tag === "InvalidPhoneNumber"
                  ? new Notifications.InvalidPhoneNumber({ owner: owner(d.recipient) })
                  : e._tag === "OptedOut"
                  ? new Notifications.OptedOut({ recipient: owner(d.recipient), category: d.category })
                  : e
              )
            )
            return { provider: provider.name, providerMessageId: sent.messageId, segments }
          })
      })
    })
  )
