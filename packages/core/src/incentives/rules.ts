/**
 * The incentive rules as pure functions: scoring, caps, periods, levels,
 * threshold rewards, leaderboard ranking and redemption checks. No Effect, no
 * I/O, no clock: every function takes the time it needs as epoch
 * milliseconds, so a simulation can call them millions of times and a
 * reviewer can read the law here.
 *
 * @since 0.1.0
 */

/**
 * A period a cap or a leaderboard is counted in.
 *
 * @since 0.1.0
 * @category periods
 */
export type CapPeriod = "day" | "week" | "month"

/**
 * The windows an instant falls in, as integers: consecutive windows have
 * consecutive numbers, so "same window" is a number comparison.
 *
 * - `day`: days since 1970-01-01 in local time;
 * - `week`: weeks (Monday to Sunday) since the week of 1970-01-01;
 * - `month`: `year * 12 + month - 1`;
 * - `year`: the calendar year.
 *
 * @since 0.1.0
 * @category periods
 */
export interface PeriodWindows {
  readonly day: number
  readonly week: number
  readonly month: number
  readonly year: number
}

const DAY_MS = 86_400_000

/**
 * The civil date of a day number (days since 1970-01-01), by Howard
 * Hinnant's `civil_from_days`: exact for every safe day number.
 *
 * @since 0.1.0
 * @category periods
 */
export const civilFromDays = (days: number): { readonly year: number; readonly month: number; readonly day: number } => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/**
 * The day number (days since 1970-01-01) of a civil date: the inverse of
 * {@link civilFromDays}.
 *
 * @since 0.1.0
 * @category periods
 */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = month > 2 ? month - 3 : month + 9
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/**
 * The local day number of an instant at a fixed UTC offset (Asia/Shanghai:
 * +480 minutes, no daylight saving since 1991).
 *
 * @since 0.1.0
 * @category periods
 */
export const localDay = (at: number, utcOffsetMinutes: number): number =>
  Math.floor((at + utcOffsetMinutes * 60_000) / DAY_MS)

/**
 * The day, week (starting Monday), month and year windows of an instant, in
 * local time at a fixed UTC offset. Pure arithmetic on `at`.
 *
 * @since 0.1.0
 * @category periods
 */
export const periodWindows = (at: number, utcOffsetMinutes: number): PeriodWindows => {
  const day = localDay(at, utcOffsetMinutes)
  // simulations ask for the same day many times in a row: remember the last one
  if (day === lastDay && lastWindows !== undefined) return lastWindows
  // 1970-01-01 was a Thursday: day 4 is the first Monday of week 1.
  const week = Math.floor((day + 3) / 7)
  const c = civilFromDays(day)
  lastDay = day
  lastWindows = { day, week, month: c.year * 12 + c.month - 1, year: c.year }
  return lastWindows
}
let lastDay = Number.NaN
let lastWindows: PeriodWindows | undefined

/**
 * A period of a leaderboard.
 *
 * @since 0.1.0
 * @category periods
 */
export type LeaderboardPeriod = "month" | "year"

/**
 * The half-open range `[start, end)` in epoch milliseconds of the day, week,
 * month or year that contains `at`, and its key (`day:2026-11-30`,
 * `week:2026-11-30` (the Monday), `month:2026-11`, `year:2026`).
 *
 * @since 0.1.0
 * @category periods
 */
export const periodRange = (
  period: CapPeriod | LeaderboardPeriod,
  at: number,
  utcOffsetMinutes: number
): { readonly key: string; readonly start: number; readonly end: number } => {
  const offset = utcOffsetMinutes * 60_000
  const day = localDay(at, utcOffsetMinutes)
  const pad = (n: number) => String(n).padStart(2, "0")
  const dateKey = (d: number) => {
    const c = civilFromDays(d)
    return `${c.year}-${pad(c.month)}-${pad(c.day)}`
  }
  const span = (first: number, next: number) => ({ start: first * DAY_MS - offset, end: next * DAY_MS - offset })
  switch (period) {
    case "day":
      return { key: `day:${dateKey(day)}`, ...span(day, day + 1) }
    case "week": {
      const monday = Math.floor((day + 3) / 7) * 7 - 3
      return { key: `week:${dateKey(monday)}`, ...span(monday, monday + 7) }
    }
    case "month": {
      const c = civilFromDays(day)
      const first = daysFromCivil(c.year, c.month, 1)
      const next = c.month === 12 ? daysFromCivil(c.year + 1, 1, 1) : daysFromCivil(c.year, c.month + 1, 1)
      return { key: `month:${c.year}-${pad(c.month)}`, ...span(first, next) }
    }
    case "year": {
      const c = civilFromDays(day)
      return { key: `year:${c.year}`, ...span(daysFromCivil(c.year, 1, 1), daysFromCivil(c.year + 1, 1, 1)) }
    }
  }
}

/**
 * Limits in points per period; an absent period has no limit.
 *
 * @since 0.1.0
 * @category caps
 */
export interface CapLimits {
  readonly day?: number
  readonly week?: number
  readonly month?: number
}

/**
 * Which cap an award hit:
 *
 * - `action`: points of this action for this resident in the period;
 * - `resident`: all points for this resident in the period (actions listed in
 *   `residentCapExempt` neither count nor are limited);
 * - `pair`: points of peer awards from this giver to this receiver in the period.
 *
 * @since 0.1.0
 * @category caps
 */
export type CapScope = "action" | "resident" | "pair"

/**
 * A cap that stopped an award: the limit and what was already used in the
 * current window.
 *
 * @since 0.1.0
 * @category caps
 */
export interface CapHit {
  readonly scope: CapScope
  readonly period: CapPeriod
  readonly limit: number
  readonly used: number
}

/**
 * A tumbling-window counter: points used in window number `window`. A counter
 * from an older window counts as zero.
 *
 * @since 0.1.0
 * @category caps
 */
export interface WindowCounter {
  readonly window: number
  readonly used: number
}

/**
 * A resident's counters by {@link counterKey}. A `Map`, not an object: the
 * keys vary per resident (pair keys name givers), which would give every
 * resident's object its own hidden class and make simulations slow.
 *
 * @since 0.1.0
 * @category caps
 */
export type Counters = ReadonlyMap<string, WindowCounter>

/**
 * The key of the counter of one scope (`action:vote`, `resident`,
 * `pair:<giverId>`) and period.
 *
 * @since 0.1.0
 * @category caps
 */
export const counterKey = (scopeKey: string, period: CapPeriod): string => `${scopeKey}|${period}`

/**
 * The scope key of a cap: `action:<action>`, `resident`, or `pair:<giverId>`.
 *
 * @since 0.1.0
 * @category caps
 */
export const scopeKey = (scope: CapScope, subject: string): string =>
  scope === "resident" ? "resident" : `${scope}:${subject}`

/**
 * What the award rules need from the configuration.
 *
 * @since 0.1.0
 * @category rules
 */
export interface AwardRules {
  /** Points per action (the rule table). */
  readonly points: { readonly [action: string]: number }
  /** Caps per action. */
  readonly perAction: { readonly [action: string]: CapLimits }
  /** Caps on all of a resident's points. */
  readonly perResident: CapLimits
  /** Actions the per-resident cap neither counts nor limits (e.g. staff's manual awards). */
  readonly residentCapExempt: ReadonlyArray<string>
  /** Caps per giver-receiver pair of peer awards. */
  readonly perPair: CapLimits
  /** Local time's UTC offset in minutes (Asia/Shanghai: 480). */
  readonly utcOffsetMinutes: number
}

/**
 * A resident's state as far as awards go: lifetime points (never lowered by
 * spending) and cap counters.
 *
 * @since 0.1.0
 * @category rules
 */
export interface AwardState {
  readonly lifetime: number
  readonly counters: Counters
}

/**
 * A resident with no points and no counters.
 *
 * @since 0.1.0
 * @category rules
 */
export const emptyAwardState: AwardState = { lifetime: 0, counters: new Map() }

/**
 * What an award request carries besides the action.
 *
 * @since 0.1.0
 * @category rules
 */
export interface AwardRequest {
  /** Points for this award instead of the rule table's (manual awards). */
  readonly points?: number | undefined
  /** The giver of a peer award: the pair cap applies. */
  readonly giverId?: string | undefined
}

/**
 * The outcome of evaluating an award: the points granted (0 when capped),
 * the points asked for, and the first cap hit if any.
 *
 * @since 0.1.0
 * @category rules
 */
export interface AwardDecision {
  readonly action: string
  readonly requested: number
  readonly points: number
  readonly capped?: CapHit
  readonly windows: PeriodWindows
  readonly giverId?: string | undefined
}

const PERIODS: ReadonlyArray<CapPeriod> = ["day", "week", "month"]

/**
 * The points an action is worth by the rule table; 0 for an unknown action.
 *
 * @since 0.1.0
 * @category rules
 */
export const pointsFor = (action: string, rules: Pick<AwardRules, "points">): number => rules.points[action] ?? 0

/**
 * The caps that apply to an award, in the order they are checked: pair,
 * action, resident; within each day, week, month.
 *
 * @since 0.1.0
 * @category caps
 */
export const applicableCaps = (
  action: string,
  rules: AwardRules,
  giverId?: string
): ReadonlyArray<{ readonly scope: CapScope; readonly key: string; readonly limits: CapLimits }> =>
  capPlan(action, rules, giverId).map((e) => ({ scope: e.scope, key: e.key, limits: e.limits }))

interface PlannedCap {
  readonly scope: CapScope
  readonly key: string
  readonly limits: CapLimits
  /** The periods with a limit, each with its counter key. */
  readonly periods: ReadonlyArray<{ readonly period: CapPeriod; readonly limit: number; readonly counterKey: string }>
}

const planCap = (scope: CapScope, key: string, limits: CapLimits): PlannedCap => ({
  scope,
  key,
  limits,
  periods: PERIODS.flatMap((period) => {
    const limit = limits[period]
    return limit === undefined ? [] : [{ period, limit, counterKey: counterKey(key, period) }]
  })
})

// Plans per rules object and action (the pair cap is added per giver): no
// strings are built on the hot path but the pair keys.
const plans = new WeakMap<AwardRules, Map<string, ReadonlyArray<PlannedCap>>>()

const capPlan = (action: string, rules: AwardRules, giverId: string | undefined): ReadonlyArray<PlannedCap> => {
  let byAction = plans.get(rules)
  if (byAction === undefined) {
    byAction = new Map()
    plans.set(rules, byAction)
  }
  let plan = byAction.get(action)
  if (plan === undefined) {
    const out: Array<PlannedCap> = []
    const own = rules.perAction[action]
    if (own !== undefined) out.push(planCap("action", scopeKey("action", action), own))
    if (!rules.residentCapExempt.includes(action)) out.push(planCap("resident", "resident", rules.perResident))
    plan = out
    byAction.set(action, plan)
  }
  return giverId === undefined ? plan : [planCap("pair", scopeKey("pair", giverId), rules.perPair), ...plan]
}

/**
 * Points already used in the current window of a counter (0 if the counter
 * is from an older window or absent).
 *
 * @since 0.1.0
 * @category caps
 */
export const usedIn = (counter: WindowCounter | undefined, window: number): number =>
  counter !== undefined && counter.window === window ? counter.used : 0

/**
 * Evaluates an award against the rule table and every cap. An award is
 * granted whole or not at all: it is capped when it would take any counter
 * past its limit (`used + points > limit`); reaching the limit exactly is
 * allowed. Pure and allocation-light. `rules` is treated as immutable (plans
 * are cached per rules object): pass a new object to change the rules.
 *
 * @since 0.1.0
 * @category rules
 */
export const evaluateAward = (
  state: AwardState,
  action: string,
  at: number,
  rules: AwardRules,
  request: AwardRequest = {}
): AwardDecision => {
  const requested = request.points ?? pointsFor(action, rules)
  const windows = periodWindows(at, rules.utcOffsetMinutes)
  const plan = capPlan(action, rules, request.giverId)
  for (let i = 0; i < plan.length; i++) {
    const cap = plan[i]!
    for (let j = 0; j < cap.periods.length; j++) {
      const p = cap.periods[j]!
      const used = usedIn(state.counters.get(p.counterKey), windows[p.period])
      if (used + requested > p.limit) {
        return { action, requested, points: 0, capped: { scope: cap.scope, period: p.period, limit: p.limit, used }, windows, giverId: request.giverId }
      }
    }
  }
  return { action, requested, points: requested, windows, giverId: request.giverId }
}

/**
 * The counters an awarded decision changes, with their new values: every
 * counter of every applicable scope and period with a limit. A capped
 * decision changes none.
 *
 * @since 0.1.0
 * @category caps
 */
export const counterUpdates = (
  state: AwardState,
  decision: AwardDecision,
  rules: AwardRules
): ReadonlyArray<{ readonly key: string; readonly scopeKey: string; readonly period: CapPeriod; readonly counter: WindowCounter }> => {
  if (decision.capped !== undefined || decision.points === 0) return []
  const out: Array<{ key: string; scopeKey: string; period: CapPeriod; counter: WindowCounter }> = []
  for (const cap of capPlan(decision.action, rules, decision.giverId)) {
    for (const p of cap.periods) {
      const window = decision.windows[p.period]
      out.push({ key: p.counterKey, scopeKey: cap.key, period: p.period, counter: { window, used: usedIn(state.counters.get(p.counterKey), window) + decision.points } })
    }
  }
  return out
}

/**
 * The state after a decision: lifetime points and counters raised by the
 * points granted. A capped decision returns the state unchanged.
 *
 * @since 0.1.0
 * @category rules
 */
export const applyAward = (state: AwardState, decision: AwardDecision, rules: AwardRules): AwardState => {
  if (decision.capped !== undefined || decision.points === 0) return state
  const counters = new Map(state.counters)
  for (const cap of capPlan(decision.action, rules, decision.giverId)) {
    for (const p of cap.periods) {
      const window = decision.windows[p.period]
      counters.set(p.counterKey, { window, used: usedIn(state.counters.get(p.counterKey), window) + decision.points })
    }
  }
  return { lifetime: state.lifetime + decision.points, counters }
}

/**
 * The index of the level reached with `lifetime` points: the highest `i`
 * with `thresholds[i] <= lifetime` (thresholds ascending, the first one 0).
 * Lifetime points only grow by awards, so spending can never lower a level.
 *
 * @since 0.1.0
 * @category levels
 */
export const levelFor = (lifetime: number, thresholds: ReadonlyArray<number>): number => {
  let level = 0
  for (let i = 1; i < thresholds.length; i++) {
    if (lifetime >= thresholds[i]!) level = i
    else break
  }
  return level
}

/**
 * Whether level thresholds are usable: at least one, the first 0, strictly
 * ascending integers.
 *
 * @since 0.1.0
 * @category levels
 */
export const validThresholds = (thresholds: ReadonlyArray<number>): boolean =>
  thresholds.length > 0 && thresholds[0] === 0 &&
  thresholds.every((t, i) => Number.isSafeInteger(t) && (i === 0 || t > thresholds[i - 1]!))

/**
 * A threshold reward: when lifetime points reach `at`, the resident is
 * notified and gets `bonus` extra points.
 *
 * @since 0.1.0
 * @category rewards
 */
export interface ThresholdReward {
  readonly at: number
  readonly bonus: number
}

/**
 * The threshold rewards an award crosses: those with `before < at <= after`.
 * (The seed's sample checked one award's points against 100 instead of the
 * running total; here the lifetime total counts.)
 *
 * @since 0.1.0
 * @category rewards
 */
export const thresholdsCrossed = (
  before: number,
  after: number,
  rewards: ReadonlyArray<ThresholdReward>
): ReadonlyArray<ThresholdReward> => rewards.filter((r) => before < r.at && r.at <= after)

/**
 * One row of a leaderboard before ranking.
 *
 * @since 0.1.0
 * @category leaderboards
 */
export interface LeaderboardEntry {
  readonly residentId: string
  readonly points: number
  /** When the resident's last counted award in the period was made. */
  readonly reachedAt: number
}

/**
 * A ranked leaderboard row.
 *
 * @since 0.1.0
 * @category leaderboards
 */
export interface RankedEntry extends LeaderboardEntry {
  readonly rank: number
}

/**
 * Ranks a leaderboard. Order: more points first; equal points by who
 * reached their total earlier (`reachedAt` ascending), then by resident id.
 * Rank is standard competition ranking ("1-2-2-4"): equal points share a
 * rank, which is 1 + the number of residents with strictly more points.
 * Residents with no positive points are left out.
 *
 * @since 0.1.0
 * @category leaderboards
 */
export const rankLeaderboard = (entries: ReadonlyArray<LeaderboardEntry>): ReadonlyArray<RankedEntry> => {
  const sorted = entries
    .filter((e) => e.points > 0)
    .sort((a, b) =>
      a.points !== b.points
        ? b.points - a.points
        : a.reachedAt !== b.reachedAt
        ? a.reachedAt - b.reachedAt
        : a.residentId < b.residentId
        ? -1
        : a.residentId > b.residentId
        ? 1
        : 0
    )
  const out: Array<RankedEntry> = []
  let rank = 0
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!
    if (i === 0 || e.points !== sorted[i - 1]!.points) rank = i + 1
    out.push({ ...e, rank })
  }
  return out
}

/**
 * Masks a name for a public list: the first character kept, the rest as
 * `*` (`王建国` -> `王**`, `Li Lei` -> `L*****`); a one-character name becomes `*`.
 *
 * @since 0.1.0
 * @category leaderboards
 */
export const maskName = (name: string): string => {
  const chars = [...name.trim()]
  if (chars.length <= 1) return "*"
  return chars[0]! + "*".repeat(chars.length - 1)
}

/**
 * How often a per-resident redemption limit resets.
 *
 * @since 0.1.0
 * @category redemptions
 */
export type LimitPeriod = "month" | "year" | "ever"

/**
 * Why a redemption cannot go ahead.
 *
 * @since 0.1.0
 * @category redemptions
 */
export type RedemptionRefusal =
  | { readonly reason: "inactive" }
  | { readonly reason: "out-of-stock"; readonly stock: number }
  | { readonly reason: "limit"; readonly limit: number; readonly used: number }
  | { readonly reason: "insufficient-balance"; readonly balance: number; readonly cost: number }

/**
 * Checks a redemption: the item is active, enough is in stock (`stock`
 * undefined: unlimited), the resident stays within the item's limit
 * (`used` counts their active and fulfilled redemptions in the current limit
 * period), and the balance covers the cost. Returns the total cost, or the
 * first refusal in that order.
 *
 * @since 0.1.0
 * @category redemptions
 */
export const checkRedemption = (input: {
  readonly active: boolean
  readonly cost: number
  readonly stock: number | undefined
  readonly limit: number | undefined
  readonly used: number
  readonly quantity: number
  readonly balance: number
}): { readonly ok: true; readonly cost: number } | ({ readonly ok: false } & RedemptionRefusal) => {
  if (!input.active) return { ok: false, reason: "inactive" }
  if (input.stock !== undefined && input.stock < input.quantity) return { ok: false, reason: "out-of-stock", stock: input.stock }
  if (input.limit !== undefined && input.used + input.quantity > input.limit) {
    return { ok: false, reason: "limit", limit: input.limit, used: input.used }
  }
  const cost = input.cost * input.quantity
  if (input.balance < cost) return { ok: false, reason: "insufficient-balance", balance: input.balance, cost }
  return { ok: true, cost }
}

/**
 * The window a redemption limit counts in for an instant: month or year
 * window number, or 0 for `ever`.
 *
 * @since 0.1.0
 * @category redemptions
 */
export const limitWindow = (period: LimitPeriod, at: number, utcOffsetMinutes: number): number => {
  if (period === "ever") return 0
  const w = periodWindows(at, utcOffsetMinutes)
  return period === "month" ? w.month : w.year
}

// ---------------------------------------------------------------- expiry (lots)

/**
 * A lot of points (积分批次) for expiry: what one award (or one threshold
 * bonus) added to a resident's balance, when, when it expires, and how much
 * of it is left. Spending takes from the oldest unexpired lots first (FIFO).
 *
 * @since 0.1.0
 * @category expiry
 */
export interface Lot {
  readonly id: string
  readonly awardedAt: number
  /** The lot is expired from this instant on (`expiresAt <= at`). */
  readonly expiresAt: number
  readonly amount: number
  readonly remaining: number
}

/**
 * Points taken from (or given back to) one lot.
 *
 * @since 0.1.0
 * @category expiry
 */
export interface LotDraw {
  readonly lotId: string
  readonly points: number
}

/**
 * When a lot awarded at `awardedAt` expires: `afterDays` whole days (of
 * 24 hours) later.
 *
 * @since 0.1.0
 * @category expiry
 */
export const lotExpiresAt = (awardedAt: number, afterDays: number): number => awardedAt + afterDays * DAY_MS

/**
 * Whether a lot is expired at `at` (its expiry instant included).
 *
 * @since 0.1.0
 * @category expiry
 */
export const isLotExpired = (lot: Pick<Lot, "expiresAt">, at: number): boolean => lot.expiresAt <= at

/**
 * The spending order of lots: oldest first (`awardedAt` ascending), then by
 * id (code point order).
 *
 * @since 0.1.0
 * @category expiry
 */
export const compareLots = (a: Lot, b: Lot): number =>
  a.awardedAt !== b.awardedAt ? a.awardedAt - b.awardedAt : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * The points that can be spent at `at`: the remaining points of the
 * unexpired lots.
 *
 * @since 0.1.0
 * @category expiry
 */
export const spendableIn = <L extends Lot>(lots: ReadonlyArray<L>, at: number): number => {
  let sum = 0
  for (const lot of lots) if (!isLotExpired(lot, at)) sum += lot.remaining
  return sum
}

/**
 * Takes `amount` points from the unexpired lots, oldest first (FIFO by
 * {@link compareLots}); expired lots are never touched. Returns the draws in
 * spending order, every lot with its new `remaining` (input order kept), and
 * the `shortfall`: what the unexpired lots could not cover (0 when they
 * could). A caller that needs the whole amount checks `shortfall === 0`
 * first. Pure: the input lots are not changed.
 *
 * @since 0.1.0
 * @category expiry
 */
export const consumeLots = <L extends Lot>(
  lots: ReadonlyArray<L>,
  amount: number,
  at: number
): { readonly draws: ReadonlyArray<LotDraw>; readonly lots: ReadonlyArray<L>; readonly shortfall: number } => {
  const order = lots
    .map((lot, index) => ({ lot, index }))
    .filter((x) => x.lot.remaining > 0 && !isLotExpired(x.lot, at))
    .sort((a, b) => compareLots(a.lot, b.lot))
  const next = lots.slice()
  const draws: Array<LotDraw> = []
  let left = Math.max(0, amount)
  for (const { lot, index } of order) {
    if (left === 0) break
    const take = Math.min(left, lot.remaining)
    draws.push({ lotId: lot.id, points: take })
    next[index] = { ...lot, remaining: lot.remaining - take }
    left -= take
  }
  return { draws, lots: next, shortfall: left }
}

/**
 * Gives drawn points back to their lots (a cancelled redemption's refund).
 * A draw on a lot that is still unexpired at `at` raises its `remaining`
 * (never past its `amount`); a draw on an expired lot is not restored but
 * returned in `expired`: those points expire at once. Draws naming a lot not
 * in `lots` are returned in `unknown`. Pure.
 *
 * @since 0.1.0
 * @category expiry
 */
export const restoreLots = <L extends Lot>(
  lots: ReadonlyArray<L>,
  draws: ReadonlyArray<LotDraw>,
  at: number
): {
  readonly lots: ReadonlyArray<L>
  readonly restored: ReadonlyArray<LotDraw>
  readonly expired: ReadonlyArray<LotDraw>
  readonly unknown: ReadonlyArray<LotDraw>
} => {
  const next = lots.slice()
  const byId = new Map<string, number>()
  lots.forEach((lot, i) => byId.set(lot.id, i))
  const restored: Array<LotDraw> = []
  const expired: Array<LotDraw> = []
  const unknown: Array<LotDraw> = []
  for (const d of draws) {
    const i = byId.get(d.lotId)
    if (i === undefined) {
      unknown.push(d)
      continue
    }
    const lot = next[i]!
    if (isLotExpired(lot, at)) {
      expired.push(d)
      continue
    }
    const back = Math.min(d.points, lot.amount - lot.remaining)
    if (back > 0) {
      next[i] = { ...lot, remaining: lot.remaining + back }
      restored.push({ lotId: lot.id, points: back })
    }
    // a draw larger than what the lot is missing cannot come from valid history; the excess expires
    if (back < d.points) expired.push({ lotId: lot.id, points: d.points - back })
  }
  return { lots: next, restored, expired, unknown }
}

/**
 * Expires the lots due at `at`: every lot with `expiresAt <= at` and points
 * left drops to `remaining: 0`, and its points are returned in `expired`
 * (ordered by `expiresAt`, then id). Running it again at the same or an
 * earlier time expires nothing more. Pure.
 *
 * @since 0.1.0
 * @category expiry
 */
export const expireLots = <L extends Lot>(
  lots: ReadonlyArray<L>,
  at: number
): { readonly lots: ReadonlyArray<L>; readonly expired: ReadonlyArray<LotDraw>; readonly points: number } => {
  const next = lots.slice()
  const due: Array<{ lot: L; index: number }> = []
  lots.forEach((lot, index) => {
    if (lot.remaining > 0 && isLotExpired(lot, at)) due.push({ lot, index })
  })
  due.sort((a, b) =>
    a.lot.expiresAt !== b.lot.expiresAt ? a.lot.expiresAt - b.lot.expiresAt : a.lot.id < b.lot.id ? -1 : a.lot.id > b.lot.id ? 1 : 0
  )
  let points = 0
  const expired: Array<LotDraw> = []
  for (const { lot, index } of due) {
    expired.push({ lotId: lot.id, points: lot.remaining })
    points += lot.remaining
    next[index] = { ...lot, remaining: 0 }
  }
  return { lots: next, expired, points }
}
