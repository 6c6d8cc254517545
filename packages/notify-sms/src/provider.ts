/**
 * The `SmsProvider` interface every driver implements, and what drivers share:
 * an HTTP call that maps transport failures, and retries of retryable refusals.
 *
 * @since 0.2.0
 */
import { Notifications } from "@gongzhi/core"
import { Duration, Effect, Schedule } from "effect"

/**
 * One message as a driver sends it. Template providers (Aliyun, Tencent)
 * use `templateCode` and `params`; text providers (Twilio) use `text`.
 * `reference` is the outbox entry's idempotency key, the same on every retry.
 *
 * @since 0.2.0
 * @category providers
 */
export interface SmsMessage {
  /** E.164. */
  readonly to: string
  readonly templateCode: string
  /** Template variables in the template's order (Tencent sends them as a list). */
  readonly params: ReadonlyArray<readonly [name: string, value: string]>
  readonly text: string
  readonly reference: string
}

/**
 * What a driver may fail with.
 *
 * @since 0.2.0
 * @category providers
 */
export type SmsSendFailure = Notifications.ProviderRejected | Notifications.InvalidPhoneNumber | Notifications.OptedOut

/**
 * An SMS provider.
 *
 * @since 0.2.0
 * @category providers
 */
export interface SmsProvider {
  readonly name: string
  /** Whether the provider sends approved templates (`true`) or free text. */
  readonly templated: boolean
  readonly send: (message: SmsMessage) => Effect.Effect<{ readonly messageId: string }, SmsSendFailure>
}

/**
 * A provider's answer to an HTTP call.
 *
 * @since 0.2.0
 * @category providers
 */
export interface HttpAnswer {
  readonly status: number
  readonly body: string
  readonly json: unknown
}

/**
 * POSTs a request; a network failure or a timeout is a retryable `NETWORK`
 * refusal, so a message is never lost to a dropped connection.
 *
 * @since 0.2.0
 * @category providers
 */
export const httpPost = (
  provider: string,
  url: string,
  init: { readonly headers: Readonly<Record<string, string>>; readonly body: string; readonly timeoutMs?: number }
): Effect.Effect<HttpAnswer, Notifications.ProviderRejected> =>
  Effect.tryPromise({
    try: async (signal) => {
      const res = await fetch(url, {
        method: "POST",
        headers: init.headers,
        body: init.body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(init.timeoutMs ?? 10_000)])
      })
      const body = await res.text()
      let json: unknown = undefined
      try {
        json = JSON.parse(body)
      } catch {
        json = undefined
      }
      return { status: res.status, body, json }
    },
    catch: (e) =>
      new Notifications.ProviderRejected({
        provider,
        providerCode: "NETWORK",
        retryable: true,
        detail: e instanceof Error ? e.name : "request failed"
      })
  })

/**
 * A refusal for an HTTP 5xx answer (retryable).
 *
 * @since 0.2.0
 * @category providers
 */
export const serverError = (provider: string, status: number) =>
  new Notifications.ProviderRejected({ provider, providerCode: `HTTP_${status}`, retryable: true, detail: `HTTP ${status}` })

/**
 * Options of {@link withRetry}.
 *
 * @since 0.2.0
 * @category providers
 */
export interface RetryOptions {
  /** Attempts in all (default 3). */
  readonly attempts?: number
  /** First delay, doubled each time, with jitter (default 200 ms). */
  readonly baseDelay?: Duration.DurationInput
}

/**
 * Retries a provider's retryable refusals (5xx, throttling, network) a few
 * times with exponential backoff and jitter; permanent refusals fail at once.
 * What is still refused after the last attempt goes back to the outbox, which
 * retries later on its own schedule.
 *
 * @since 0.2.0
 * @category providers
 */
export const withRetry = (provider: SmsProvider, options: RetryOptions = {}): SmsProvider => {
  const attempts = Math.max(1, options.attempts ?? 3)
  const schedule = Schedule.exponential(options.baseDelay ?? Duration.millis(200)).pipe(Schedule.jittered)
  return {
    ...provider,
    send: (m) =>
      Effect.retry(provider.send(m), {
        schedule,
        times: attempts - 1,
        while: (e) => e._tag === "ProviderRejected" && e.retryable
      })
  }
}
