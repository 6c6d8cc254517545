/**
 * The spaces module's decisions as pure functions: local time slices, opening
 * hours, prices per time band, quotas, booking windows, refunds, free slots,
 * the verifiable lottery, pro-rata refunds and occupation stages. No Effect,
 * no I/O: simulations and verifiers call these directly.
 *
 * @since 0.2.0
 */
import { type LocalDate, startOfLocalDay, toLocalDate } from "../kernel/calendar.js"
import { canonicalJson, sha256HexSync } from "../kernel/journal.js"
import type {
  Applicant,
  ApplicantGroup,
  DaySpan,
  LotteryResult,
  OccupationStage,
  PriceBand,
  PriorityGroup,
  Quota,
  SpaceRules
} from "./model.js"

const MINUTE = 60_000
const DAY = 86_400_000

// ---------------------------------------------------------------------------
// Local time

const dayNumber = (date: string): number => {
  const [y, m, d] = date.split("-").map(Number)
  return Math.floor(Date.UTC(y!, m! - 1, d!) / DAY)
}
const formatDayNumber = (n: number): LocalDate => new Date(n * DAY).toISOString().slice(0, 10) as LocalDate

/**
 * The date `n` calendar days after `date`.
 *
 * @since 0.2.0
 * @category time
 */
export const addDays = (date: string, n: number): LocalDate => formatDayNumber(dayNumber(date) + n)

/**
 * The date `n` calendar months after `date`; the day is clamped to the
 * month's last (Jan 31 + 1 month = Feb 28 or 29).
 *
 * @since 0.2.0
 * @category time
 */
export const addMonths = (date: string, n: number): LocalDate => {
  const [y, m, d] = date.split("-").map(Number)
  const index = y! * 12 + (m! - 1) + n
  const year = Math.floor(index / 12)
  const month = index % 12
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return formatDayNumber(Math.floor(Date.UTC(year, month, Math.min(d!, last)) / DAY))
}

/**
 * The ISO weekday of a date: 1 Monday ... 7 Sunday.
 *
 * @since 0.2.0
 * @category time
 */
export const weekdayOf = (date: string): number => {
  const w = new Date(dayNumber(date) * DAY).getUTCDay()
  return w === 0 ? 7 : w
}

/**
 * A piece of a booking inside one local day: minutes after local midnight.
 *
 * @since 0.2.0
 * @category time
 */
export interface DaySegment {
  readonly date: LocalDate
  readonly weekday: number
  readonly fromMinute: number
  readonly toMinute: number
}

/**
 * Cuts `[startsAt, endsAt)` at local midnights of `timeZone`.
 *
 * @since 0.2.0
 * @category time
 */
export const daySegments = (startsAt: number, endsAt: number, timeZone: string): ReadonlyArray<DaySegment> => {
  const out: Array<DaySegment> = []
  let date = toLocalDate(startsAt, timeZone)
  let t = startsAt
  while (t < endsAt) {
    const dayStart = startOfLocalDay(date, timeZone)
    const next = addDays(date, 1)
    const nextStart = startOfLocalDay(next, timeZone)
    const end = Math.min(endsAt, nextStart)
    out.push({
      date,
      weekday: weekdayOf(date),
      fromMinute: Math.floor((t - dayStart) / MINUTE),
      toMinute: Math.ceil((end - dayStart) / MINUTE)
    })
    t = end
    date = next
  }
  return out
}

/**
 * The local Monday of the week and the month (`YYYY-MM`) of an instant: the
 * periods quotas count in.
 *
 * @since 0.2.0
 * @category time
 */
export const periodKeys = (at: number, timeZone: string): { readonly weekKey: string; readonly monthKey: string } => {
  const date = toLocalDate(at, timeZone)
  return { weekKey: addDays(date, 1 - weekdayOf(date)), monthKey: date.slice(0, 7) }
}

const appliesOn = (span: { readonly weekdays?: ReadonlyArray<number> | undefined }, weekday: number) =>
  span.weekdays === undefined || span.weekdays.includes(weekday)

/**
 * Whether a booking lies entirely within the opening hours (absent: always
 * open). Spans of one weekday may touch: 19:00-24:00 and 00:00-07:00 of the
 * next day make one night.
 *
 * @since 0.2.0
 * @category bookings
 */
export const withinOpeningHours = (
  openingHours: ReadonlyArray<DaySpan> | undefined,
  segments: ReadonlyArray<DaySegment>
): boolean => {
  if (openingHours === undefined) return true
  return segments.every((s) => {
    const spans = openingHours.filter((o) => appliesOn(o, s.weekday)).map((o) => [o.fromMinute, o.toMinute] as const)
    spans.sort((a, b) => a[0] - b[0])
    let covered = s.fromMinute
    for (const [from, to] of spans) {
      if (from > covered) break
      if (to > covered) covered = to
      if (covered >= s.toMinute) return true
    }
    return covered >= s.toMinute
  })
}

/**
 * The open intervals of a space on a local day (absent opening hours: the
 * whole day), as epoch millis.
 *
 * @since 0.2.0
 * @category bookings
 */
export const openIntervals = (
  openingHours: ReadonlyArray<DaySpan> | undefined,
  date: LocalDate,
  timeZone: string
): ReadonlyArray<readonly [number, number]> => {
  const dayStart = startOfLocalDay(date, timeZone)
  const dayEnd = startOfLocalDay(addDays(date, 1), timeZone)
  if (openingHours === undefined) return [[dayStart, dayEnd]]
  const weekday = weekdayOf(date)
  const spans = openingHours
    .filter((o) => appliesOn(o, weekday))
    .map((o) => [dayStart + o.fromMinute * MINUTE, Math.min(dayEnd, dayStart + o.toMinute * MINUTE)] as [number, number])
    .sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const s of spans) {
    const last = merged[merged.length - 1]
    if (last !== undefined && s[0] <= last[1]) last[1] = Math.max(last[1], s[1])
    else merged.push([...s])
  }
  return merged
}

/**
 * The free parts of `open` intervals once `busy` ones (bookings, closures)
 * are taken out, in order.
 *
 * @since 0.2.0
 * @category bookings
 */
export const subtractIntervals = (
  open: ReadonlyArray<readonly [number, number]>,
  busy: ReadonlyArray<readonly [number, number]>
): Array<{ startsAt: number; endsAt: number }> => {
  const sorted = [...busy].sort((a, b) => a[0] - b[0])
  const out: Array<{ startsAt: number; endsAt: number }> = []
  for (const [from, to] of open) {
    let cursor = from
    for (const [b0, b1] of sorted) {
      if (b1 <= cursor) continue
      if (b0 >= to) break
      if (b0 > cursor) out.push({ startsAt: cursor, endsAt: b0 })
      cursor = Math.max(cursor, b1)
      if (cursor >= to) break
    }
    if (cursor < to) out.push({ startsAt: cursor, endsAt: to })
  }
  return out
}

/**
 * Whether two half-open intervals overlap.
 *
 * @since 0.2.0
 * @category bookings
 */
export const overlaps = (a0: number, a1: number, b0: number, b1: number): boolean => a0 < b1 && b0 < a1

// ---------------------------------------------------------------------------
// Prices

/**
 * A booking's price: every minute costs its band's hourly price (the first
 * band that covers it; none: free). Free minutes (a level perk) cover
 * chargeable minutes in bands with `perkApplies`, in time order. The sum is
 * taken in sixtieths of a fen and rounded up once, so a booking over a band
 * change costs exactly the sum of its parts.
 *
 * @since 0.2.0
 * @category prices
 */
export const priceOf = (
  bands: ReadonlyArray<PriceBand>,
  segments: ReadonlyArray<DaySegment>,
  freeMinutesAvailable = 0
): { readonly priceFen: number; readonly freeMinutes: number; readonly chargeableMinutes: number } => {
  let numerator = 0
  let free = Math.max(0, freeMinutesAvailable)
  let used = 0
  let chargeable = 0
  for (const s of segments) {
    const cuts = new Set<number>([s.fromMinute, s.toMinute])
    for (const b of bands) {
      if (!appliesOn(b, s.weekday)) continue
      if (b.fromMinute > s.fromMinute && b.fromMinute < s.toMinute) cuts.add(b.fromMinute)
      if (b.toMinute > s.fromMinute && b.toMinute < s.toMinute) cuts.add(b.toMinute)
    }
    const points = [...cuts].sort((a, b) => a - b)
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i]!
      const to = points[i + 1]!
      const band = bands.find((b) => appliesOn(b, s.weekday) && b.fromMinute <= from && to <= b.toMinute)
      if (band === undefined || band.perHourFen === 0) continue
      let minutes = to - from
      chargeable += minutes
      if (band.perkApplies === true && free > 0) {
        const f = Math.min(free, minutes)
        free -= f
        used += f
        minutes -= f
      }
      numerator += minutes * band.perHourFen
    }
  }
  return { priceFen: Math.ceil(numerator / 60), freeMinutes: used, chargeableMinutes: chargeable }
}

// ---------------------------------------------------------------------------
// Quotas, windows, cancellations

/**
 * What a household already holds in the booking's week and month.
 *
 * @since 0.2.0
 * @category quotas
 */
export interface QuotaUse {
  readonly weekMinutes: number
  readonly weekBookings: number
  readonly monthMinutes: number
  readonly monthBookings: number
}

/**
 * The first quota a new booking of `minutes` would exceed, or `undefined`.
 * A quota is a maximum: reaching it exactly is allowed.
 *
 * @since 0.2.0
 * @category quotas
 */
export const exceededQuota = (
  quota: Quota | undefined,
  use: QuotaUse,
  minutes: number
):
  | { readonly quota: "weekMinutes" | "monthMinutes" | "weekBookings" | "monthBookings"; readonly limit: number; readonly used: number; readonly requested: number }
  | undefined => {
  if (quota === undefined) return undefined
  const checks = [
    ["weekMinutes", quota.weekMinutes, use.weekMinutes, minutes],
    ["monthMinutes", quota.monthMinutes, use.monthMinutes, minutes],
    ["weekBookings", quota.weekBookings, use.weekBookings, 1],
    ["monthBookings", quota.monthBookings, use.monthBookings, 1]
  ] as const
  for (const [name, limit, used, requested] of checks) {
    if (limit !== undefined && used + requested > limit) return { quota: name, limit, used, requested }
  }
  return undefined
}

/**
 * How many days ahead a resident of incentive level `level` may book.
 *
 * @since 0.2.0
 * @category windows
 */
export const advanceDaysFor = (rules: Pick<SpaceRules, "advanceDays">, level: number): number =>
  rules.advanceDays[Math.min(Math.max(0, level), rules.advanceDays.length - 1)]!

/**
 * Whether a booking starting at `startsAt` may be made at `now` with a
 * window of `days`: not in the past, and at most `days` × 24 hours ahead
 * (exactly `days` × 24 hours is allowed).
 *
 * @since 0.2.0
 * @category windows
 */
export const windowCheck = (now: number, startsAt: number, days: number): "ok" | "past" | "too-early" =>
  startsAt < now ? "past" : startsAt - now > days * DAY ? "too-early" : "ok"

/**
 * The first moment a booking starting at `startsAt` can be made with a
 * window of `days`.
 *
 * @since 0.2.0
 * @category windows
 */
export const windowOpensAt = (startsAt: number, days: number): number => startsAt - days * DAY

/**
 * Whether a cancellation at `now` is in time for a refund: at least
 * `cancelBeforeMinutes` before the start.
 *
 * @since 0.2.0
 * @category bookings
 */
export const cancelledInTime = (now: number, startsAt: number, cancelBeforeMinutes: number): boolean =>
  now <= startsAt - cancelBeforeMinutes * MINUTE

/**
 * Whether slot boundaries are respected: start and end on whole slots (of
 * epoch time, i.e. of local time in whole-hour zones) and the length within
 * the rules.
 *
 * @since 0.2.0
 * @category bookings
 */
export const lengthProblem = (
  rules: Pick<SpaceRules, "slotMinutes" | "minMinutes" | "maxMinutes">,
  startsAt: number,
  endsAt: number
): { readonly "zh-CN": string; readonly en: string } | undefined => {
  const slot = rules.slotMinutes * MINUTE
  if (startsAt % slot !== 0 || endsAt % slot !== 0) {
    return { "zh-CN": `预约须按 ${rules.slotMinutes} 分钟整段起止`, en: `bookings start and end on whole ${rules.slotMinutes}-minute slots` }
  }
  const minutes = (endsAt - startsAt) / MINUTE
  if (minutes < rules.minMinutes) return { "zh-CN": `每次预约至少 ${rules.minMinutes} 分钟`, en: `a booking lasts at least ${rules.minMinutes} minutes` }
  if (minutes > rules.maxMinutes) return { "zh-CN": `每次预约最多 ${rules.maxMinutes} 分钟`, en: `a booking lasts at most ${rules.maxMinutes} minutes` }
  return undefined
}

// ---------------------------------------------------------------------------
// Lottery

/**
 * An applicant's ticket in a draw: SHA-256 of the seed and the household id.
 * Independent of the list's order, so nobody can gain by position.
 *
 * @since 0.2.0
 * @category lottery
 */
export const lotteryTicket = (seed: string, householdId: string): string => sha256HexSync(`${seed}\n${householdId}`)

/**
 * The SHA-256 a round's seed is committed with.
 *
 * @since 0.2.0
 * @category lottery
 */
export const seedCommitment = (seed: string): string => sha256HexSync(seed)

/**
 * The digest of an applicant list (order-independent: sorted by household).
 *
 * @since 0.2.0
 * @category lottery
 */
export const applicantsDigest = (applicants: ReadonlyArray<Applicant>): string =>
  sha256HexSync(
    canonicalJson(
      [...applicants]
        .sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0))
        .map((a) => ({ householdId: a.householdId, group: a.group }))
    )
  )

/**
 * The draw, recomputable by anyone from the revealed seed and the published
 * applicant list: applicants are ordered by priority group (in the order of
 * `priorityGroups`, then everyone else), and inside a group by their
 * {@link lotteryTicket}; the first `spaceIds.length` win, each the space at
 * their position (spaces taken in the given order); the rest form the
 * waitlist in draw order.
 *
 * @example
 * const result = drawLottery({ seed, applicants, spaceIds: ["plot-1", "plot-2"], priorityGroups: ["elderly"] })
 *
 * @since 0.2.0
 * @category lottery
 */
export const drawLottery = (input: {
  readonly seed: string
  readonly applicants: ReadonlyArray<Applicant>
  readonly spaceIds: ReadonlyArray<string>
  readonly priorityGroups: ReadonlyArray<PriorityGroup>
}): LotteryResult => {
  const rank = (g: ApplicantGroup) => {
    const i = input.priorityGroups.indexOf(g as PriorityGroup)
    return i === -1 ? input.priorityGroups.length : i
  }
  const order = input.applicants
    .map((a) => ({ a, rank: rank(a.group), ticket: lotteryTicket(input.seed, a.householdId) }))
    .sort((x, y) =>
      x.rank !== y.rank
        ? x.rank - y.rank
        : x.ticket < y.ticket
        ? -1
        : x.ticket > y.ticket
        ? 1
        : x.a.householdId < y.a.householdId
        ? -1
        : 1
    )
  const n = Math.min(input.spaceIds.length, order.length)
  return {
    winners: order.slice(0, n).map((o, i) => ({ householdId: o.a.householdId, spaceId: input.spaceIds[i]! as never })),
    waitlist: order.slice(n).map((o) => o.a.householdId)
  }
}

/**
 * Checks a published draw: the seed against its commitment, the applicant
 * list against its digest, and the result against a recomputation.
 * Returns what does not match, or `undefined` when all does.
 *
 * @since 0.2.0
 * @category lottery
 */
export const verifyLottery = (input: {
  readonly seed: string
  readonly seedHash: string
  readonly applicants: ReadonlyArray<Applicant>
  readonly applicantsHash: string
  readonly spaceIds: ReadonlyArray<string>
  readonly priorityGroups: ReadonlyArray<PriorityGroup>
  readonly result: LotteryResult
}): "seed" | "applicants" | "result" | undefined => {
  if (seedCommitment(input.seed) !== input.seedHash) return "seed"
  if (applicantsDigest(input.applicants) !== input.applicantsHash) return "applicants"
  const again = drawLottery(input)
  return canonicalJson(again) === canonicalJson(input.result) ? undefined : "result"
}

/**
 * An applicant's group: the first of the round's priority groups they
 * belong to, else `general`.
 *
 * @since 0.2.0
 * @category lottery
 */
export const applicantGroup = (
  priorityGroups: ReadonlyArray<PriorityGroup>,
  facts: { readonly elderly: boolean; readonly neverAllocated: boolean }
): ApplicantGroup => {
  for (const g of priorityGroups) {
    if (g === "elderly" && facts.elderly) return g
    if (g === "never-allocated" && facts.neverAllocated) return g
  }
  return "general"
}

/**
 * The refund when an adoption ends early at `at`: the fee times the share of
 * the term left, rounded down to the fen.
 *
 * @since 0.2.0
 * @category adoption
 */
export const proRataRefund = (feeFen: number, termStartsAt: number, termEndsAt: number, at: number): number => {
  if (at <= termStartsAt) return feeFen
  if (at >= termEndsAt) return 0
  return Number((BigInt(feeFen) * BigInt(termEndsAt - at)) / BigInt(termEndsAt - termStartsAt))
}

// ---------------------------------------------------------------------------
// Occupation stages

/**
 * The stage after `stage` (`undefined` after `forced` and `cleared`).
 *
 * @since 0.2.0
 * @category occupation
 */
export const nextStage = (stage: OccupationStage): OccupationStage | undefined =>
  stage === "notice" ? "assisted" : stage === "assisted" ? "forced" : undefined

/**
 * Whether a case may move to its next stage on `today`: its deadline has
 * passed (today is after the due date) or the occupant consented.
 *
 * @since 0.2.0
 * @category occupation
 */
export const stageDue = (dueDate: string | undefined, today: string, consented: boolean): boolean =>
  consented || (dueDate !== undefined && today > dueDate)
