/**
 * The decisions of notification delivery as pure functions: quiet hours,
 * retry backoff, per-recipient daily limits, who gets a message, and how an
 * SMS reply reads.
 *
 * @since 0.2.0
 */
import type { Preferences, QuietWindow } from "./model.js"

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/**
 * If `now` lies in the quiet window (local time at `utcOffsetMinutes`), the
 * instant it ends; otherwise `undefined`.
 *
 * @since 0.2.0
 * @category quiet hours
 */
export const quietUntil = (now: number, window: QuietWindow | null, utcOffsetMinutes: number): number | undefined => {
  if (window === null || window.start === window.end) return undefined
  const local = now + utcOffsetMinutes * MINUTE
  const dayStart = Math.floor(local / DAY) * DAY
  const minute = Math.floor((local - dayStart) / MINUTE)
  const wraps = window.start > window.end
  const inside = wraps ? minute >= window.start || minute < window.end : minute >= window.start && minute < window.end
  if (!inside) return undefined
  // the next local `end` strictly after now
  let release = dayStart + window.end * MINUTE
  if (release <= local) release += DAY
  return release - utcOffsetMinutes * MINUTE
}

/**
 * The start of the local day containing `now` (as a UTC instant).
 *
 * @since 0.2.0
 * @category rate limits
 */
export const localDayStart = (now: number, utcOffsetMinutes: number): number => {
  const local = now + utcOffsetMinutes * MINUTE
  return Math.floor(local / DAY) * DAY - utcOffsetMinutes * MINUTE
}

/**
 * Delay before retry number `attempt` (1 = first retry): exponential from
 * `baseMs`, capped at `maxMs`, with "equal jitter" from `jitter` in [0, 1):
 * half the delay fixed, half random, so retries of many messages spread out.
 *
 * @since 0.2.0
 * @category retries
 */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number, jitter: number): number => {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)))
  const half = Math.floor(exp / 2)
  return half + Math.floor(Math.min(0.999999, Math.max(0, jitter)) * (exp - half + 1))
}

/**
 * What to do with a message for a resident with these preferences, before
 * any channel is tried.
 *
 * @since 0.2.0
 * @category preferences
 */
export type Admission =
  | { readonly _tag: "send"; readonly channels: ReadonlyArray<"sms" | "push"> }
  | { readonly _tag: "opted-out" }
  | { readonly _tag: "call-list"; readonly reason: "no-phone" | "no-channel" }
  | { readonly _tag: "quiet"; readonly until: number }
  | { readonly _tag: "rate-limited"; readonly until: number }

/**
 * Decides a message's admission: opt-out and STOP, then channels (a resident
 * whose only channel is SMS but who has no phone goes to the call list), then
 * quiet hours, then the daily limit. Urgent messages skip opt-out, quiet
 * hours and the limit, never the channel check.
 *
 * @since 0.2.0
 * @category preferences
 */
export const admit = (input: {
  readonly prefs: Preferences
  readonly category: string
  readonly urgent: boolean
  readonly hasPhone: boolean
  readonly now: number
  readonly utcOffsetMinutes: number
  readonly sentToday: number
  readonly dailyLimit: number
}): Admission => {
  const { prefs, urgent } = input
  if (!urgent && (prefs.stopped || prefs.optedOut.includes(input.category))) return { _tag: "opted-out" }
  const channels = prefs.channels.filter((c) => c !== "sms" || input.hasPhone)
  if (channels.length === 0) {
    return { _tag: "call-list", reason: prefs.channels.length === 0 ? "no-channel" : "no-phone" }
  }
  if (!urgent) {
    const until = quietUntil(input.now, prefs.quietHours, input.utcOffsetMinutes)
    if (until !== undefined) return { _tag: "quiet", until }
    if (input.sentToday >= input.dailyLimit) {
      return { _tag: "rate-limited", until: localDayStart(input.now, input.utcOffsetMinutes) + DAY }
    }
  }
  return { _tag: "send", channels }
}

/**
 * How an inbound SMS reads: an opt-out keyword, a reply code, or neither.
 * Full-width digits and surrounding text are tolerated ("回复 482913").
 *
 * @since 0.2.0
 * @category replies
 */
export const parseReply = (text: string): { readonly _tag: "stop" } | { readonly _tag: "code"; readonly code: string } | { readonly _tag: "unreadable" } => {
  const normal = text.normalize("NFKC").trim()
  if (/^(td|t|stop|unsubscribe|退订|取消订阅)$/i.test(normal.replace(/[\s。.!！]/g, ""))) return { _tag: "stop" }
  const codes = normal.match(/(?<![0-9])[0-9]{6}(?![0-9])/g)
  if (codes !== null && codes.length === 1) return { _tag: "code", code: codes[0]! }
  return { _tag: "unreadable" }
}

/**
 * The key ordering and limits group a recipient by.
 *
 * @since 0.2.0
 * @category outbox
 */
export const recipientKey = (r: { readonly _tag: "Resident"; readonly residentId: string } | { readonly _tag: "Staff"; readonly staffId: string }): string =>
  r._tag === "Resident" ? `resident:${r.residentId}` : `staff:${r.staffId}`
