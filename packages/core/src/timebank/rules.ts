/**
 * The time bank's decisions as pure functions: credit for a service, the
 * service life cycle, who counts as family or as a parent, annual volunteer
 * figures. Plain TypeScript, no Effect, no I/O: simulations call them in loops.
 *
 * @since 0.1.0
 */

/**
 * The credit a service earns, in centi-hours:
 * `round-half-up(minutes × multiplierPermille / 600)`, computed exactly in
 * integers as `floor((minutes × multiplierPermille + 300) / 600)`.
 * (minutes / 60 hours × multiplierPermille / 1000 × 100 centi-hours.)
 *
 * @example
 * creditFor(120, 1500) // 300: elderly care 2 h -> 3.00 h
 * creditFor(50, 1500)  // 125
 * creditFor(7, 1000)   // 12 (11.67 rounded half up)
 *
 * @since 0.1.0
 * @category rules
 */
export const creditFor = (minutes: number, multiplierPermille: number): number =>
  Math.floor((minutes * multiplierPermille + 300) / 600)

/**
 * Whole minutes between two instants (epoch millis), rounded down.
 *
 * @since 0.1.0
 * @category rules
 */
export const durationMinutes = (startedAt: number, endedAt: number): number => Math.floor((endedAt - startedAt) / 60_000)

/**
 * Formats centi-hours as hours with two decimals: `formatCentiHours(150) === "1.50"`.
 *
 * @since 0.1.0
 * @category rules
 */
export const formatCentiHours = (centiHours: number): string => {
  const sign = centiHours < 0 ? "-" : ""
  const abs = Math.abs(centiHours)
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

/**
 * What can happen to a recorded service.
 *
 * @since 0.1.0
 * @category rules
 */
export type ServiceAction = "confirm" | "dispute" | "resolve-credit" | "resolve-reject" | "reverse"

/**
 * A service status (see `ServiceStatus` in the model).
 *
 * @since 0.1.0
 * @category rules
 */
export type Status = "pending" | "disputed" | "credited" | "rejected" | "reversed"

/**
 * The outcome of {@link nextStatus}: the new status, or why the action is
 * refused (`already-confirmed`: the service was credited already, possibly
 * reversed since; `wrong-state`: the action does not apply in this status).
 *
 * @since 0.1.0
 * @category rules
 */
export type Transition =
  | { readonly ok: true; readonly status: Status; readonly credits: boolean }
  | { readonly ok: false; readonly reason: "already-confirmed" | "wrong-state" }

/**
 * The service life cycle:
 *
 * | from \ action | confirm | dispute | resolve-credit | resolve-reject | reverse |
 * | --- | --- | --- | --- | --- | --- |
 * | pending | credited* | disputed | wrong-state | wrong-state | wrong-state |
 * | disputed | wrong-state | wrong-state | credited* | rejected | wrong-state |
 * | credited | already-confirmed | already-confirmed | already-confirmed | already-confirmed | reversed |
 * | rejected | wrong-state | wrong-state | wrong-state | wrong-state | wrong-state |
 * | reversed | already-confirmed | already-confirmed | already-confirmed | already-confirmed | wrong-state |
 *
 * (*: deposits the credit.)
 *
 * @since 0.1.0
 * @category rules
 */
export const nextStatus = (status: Status, action: ServiceAction): Transition => {
  const done = status === "credited" || status === "reversed"
  if (action === "reverse") {
    return status === "credited" ? { ok: true, status: "reversed", credits: false } : { ok: false, reason: "wrong-state" }
  }
  if (done) return { ok: false, reason: "already-confirmed" }
  switch (action) {
    case "confirm":
      return status === "pending" ? { ok: true, status: "credited", credits: true } : { ok: false, reason: "wrong-state" }
    case "dispute":
      return status === "pending" ? { ok: true, status: "disputed", credits: false } : { ok: false, reason: "wrong-state" }
    case "resolve-credit":
      return status === "disputed" ? { ok: true, status: "credited", credits: true } : { ok: false, reason: "wrong-state" }
    case "resolve-reject":
      return status === "disputed" ? { ok: true, status: "rejected", credits: false } : { ok: false, reason: "wrong-state" }
  }
}

/**
 * The family data the rules need from a directory resident.
 *
 * @since 0.1.0
 * @category rules
 */
export interface FamilyView {
  readonly id: string
  readonly family: ReadonlyArray<{ readonly relativeId: string; readonly relation: string }>
}

/**
 * Whether two residents are linked as family in either direction (the same
 * rule as the directory's `areFamily`).
 *
 * @since 0.1.0
 * @category rules
 */
export const linkedAsFamily = (a: FamilyView, b: FamilyView): boolean =>
  a.family.some((l) => l.relativeId === b.id) || b.family.some((l) => l.relativeId === a.id)

/**
 * Whether `parent` is `child`'s parent: `child` lists `parent` with relation
 * `parent`, or `parent` lists `child` with relation `child`.
 *
 * @since 0.1.0
 * @category rules
 */
export const isParentOf = (parent: FamilyView, child: FamilyView): boolean =>
  child.family.some((l) => l.relativeId === parent.id && l.relation === "parent") ||
  parent.family.some((l) => l.relativeId === child.id && l.relation === "child")

/**
 * Why a service cannot be recorded as stated, or `undefined` when it can.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkServiceTiming = (
  s: { readonly minutes: number; readonly performedAt: number; readonly endedAt?: number | undefined },
  now: number,
  limits: { readonly maxServiceMinutes: number; readonly recordWindowDays: number }
): { readonly path: string; readonly problem: "too-short" | "too-long" | "range"; readonly text: { readonly "zh-CN": string; readonly en: string } } | undefined => {
  if (s.minutes < 1) return { path: "minutes", problem: "too-short", text: { "zh-CN": "服务时长至少 1 分钟", en: "a service lasts at least one minute" } }
  if (s.minutes > limits.maxServiceMinutes) {
    return { path: "minutes", problem: "too-long", text: { "zh-CN": `单次服务最长 ${limits.maxServiceMinutes} 分钟`, en: `a service lasts at most ${limits.maxServiceMinutes} minutes` } }
  }
  const end = s.endedAt ?? s.performedAt
  if (end > now) return { path: s.endedAt === undefined ? "performedAt" : "endedAt", problem: "range", text: { "zh-CN": "服务结束时间不能晚于现在", en: "a service cannot end in the future" } }
  if (s.performedAt < now - limits.recordWindowDays * 86_400_000) {
    return { path: s.endedAt === undefined ? "performedAt" : "startedAt", problem: "range", text: { "zh-CN": `服务须在 ${limits.recordWindowDays} 天内登记`, en: `services are recorded within ${limits.recordWindowDays} days` } }
  }
  return undefined
}

/**
 * The change a credited service makes to its provider's and recipient's
 * year totals (`sign` -1 for a reversal).
 *
 * @since 0.1.0
 * @category rules
 */
export const totalsDeltas = (
  service: { readonly minutes: number; readonly centiHours: number },
  sign: 1 | -1
): {
  readonly provider: { givenMinutes: number; givenCentiHours: number; servicesGiven: number; receivedMinutes: number; servicesReceived: number }
  readonly recipient: { givenMinutes: number; givenCentiHours: number; servicesGiven: number; receivedMinutes: number; servicesReceived: number }
} => ({
  provider: { givenMinutes: sign * service.minutes, givenCentiHours: sign * service.centiHours, servicesGiven: sign, receivedMinutes: 0, servicesReceived: 0 },
  recipient: { givenMinutes: 0, givenCentiHours: 0, servicesGiven: 0, receivedMinutes: sign * service.minutes, servicesReceived: sign }
})

/**
 * A community's annual volunteer figure from its residents' given minutes.
 * The average is `round-half-up(totalMinutes × 100 / 60 / residents)`
 * centi-hours; the target counts as met when the total is strictly more than
 * `targetMinutes × residents`.
 *
 * @since 0.1.0
 * @category rules
 */
export const annualFigure = (
  givenMinutes: ReadonlyArray<number>,
  residents: number,
  targetMinutes: number
): {
  readonly volunteers: number
  readonly totalMinutes: number
  readonly perResidentCentiHours: number
  readonly meetsTarget: boolean
  readonly residentsOverTarget: number
} => {
  let total = 0
  let volunteers = 0
  let over = 0
  for (const m of givenMinutes) {
    total += m
    if (m > 0) volunteers++
    if (m > targetMinutes) over++
  }
  const perResidentCentiHours = residents <= 0 ? 0 : Math.floor((total * 200 + 60 * residents) / (120 * residents))
  return {
    volunteers,
    totalMinutes: total,
    perResidentCentiHours,
    meetsTarget: residents > 0 && total > targetMinutes * residents,
    residentsOverTarget: over
  }
}
