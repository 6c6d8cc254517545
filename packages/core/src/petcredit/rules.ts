/**
 * Pet credit's decisions as pure functions: clamping, consequences,
 * escalation, clean-record windows, duplicates, masking and the figures.
 * No Effect, no I/O: researchers call these in simulation loops.
 *
 * @since 0.2.0
 */
import type { Consequence, Scheme, ViolationRule } from "./model.js"

const dayMillis = 86_400_000

/**
 * The consequences that hold at `score` under `scheme`: a threshold's
 * consequence holds while the score is strictly below it (59 < 60: suspended;
 * 60: not).
 *
 * @since 0.2.0
 * @category rules
 */
export const consequencesAt = (scheme: Scheme, score: number): ReadonlyArray<Consequence> => {
  const out: Array<Consequence> = []
  for (const t of scheme.thresholds) if (score < t.below && !out.includes(t.consequence)) out.push(t.consequence)
  return out
}

/**
 * The flags a dog stores for its consequences.
 *
 * @since 0.2.0
 * @category rules
 */
export interface ConsequenceFlags {
  readonly licenceSuspended: boolean
  readonly trainingRequired: boolean
  readonly licenceWithheld: boolean
}

/**
 * {@link consequencesAt} as the dog's three flags.
 *
 * @since 0.2.0
 * @category rules
 */
export const flagsAt = (scheme: Scheme, score: number): ConsequenceFlags => {
  const c = consequencesAt(scheme, score)
  return {
    licenceSuspended: c.includes("licence-suspended"),
    trainingRequired: c.includes("training-required"),
    licenceWithheld: c.includes("licence-withheld")
  }
}

/**
 * The consequences a set of flags says hold.
 *
 * @since 0.2.0
 * @category rules
 */
export const consequencesOfFlags = (f: ConsequenceFlags): ReadonlyArray<Consequence> => [
  ...(f.licenceSuspended ? ["licence-suspended" as const] : []),
  ...(f.trainingRequired ? ["training-required" as const] : []),
  ...(f.licenceWithheld ? ["licence-withheld" as const] : [])
]

/**
 * Applies `points` to `score` within the scheme's floor and ceiling: the
 * points that actually apply and the new score. `score + applied` is
 * always the new score, so the score stays the base plus the sum of the
 * applied points of every entry.
 *
 * @since 0.2.0
 * @category rules
 */
export const applyPoints = (
  scheme: Pick<Scheme, "floor" | "ceiling">,
  score: number,
  points: number
): { readonly applied: number; readonly score: number } => {
  const next = Math.min(scheme.ceiling, Math.max(scheme.floor, score + points))
  return { applied: next - score, score: next }
}

/**
 * What changed between two consequence sets: the consequences that began
 * and the ones that were lifted.
 *
 * @since 0.2.0
 * @category rules
 */
export const consequenceChanges = (
  before: ReadonlyArray<Consequence>,
  after: ReadonlyArray<Consequence>
): { readonly began: ReadonlyArray<Consequence>; readonly lifted: ReadonlyArray<Consequence> } => ({
  began: after.filter((c) => !before.includes(c)),
  lifted: before.filter((c) => !after.includes(c))
})

/**
 * The scheme's rule for a violation kind.
 *
 * @since 0.2.0
 * @category rules
 */
export const violationRule = (scheme: Scheme, kind: string): ViolationRule | undefined =>
  scheme.violations.find((v) => v.kind === kind)

/**
 * The deduction (a positive number) for a violation of `kind` that
 * happened at `at`, given when the dog's earlier standing violations of the
 * same kind happened: the n-th within `repeatWindowDays` before `at` takes
 * the n-th step of the ladder (the last step repeats). `undefined` for a
 * kind the scheme does not know.
 *
 * @example
 * deductionFor(jinan12, "off-leash", t, [])          // 3
 * deductionFor(jinan12, "off-leash", t, [t1])        // 6
 * deductionFor(jinan12, "off-leash", t, [t1, t2])    // 12
 *
 * @since 0.2.0
 * @category rules
 */
export const deductionFor = (
  scheme: Scheme,
  kind: string,
  at: number,
  earlierSameKind: ReadonlyArray<number>
): number | undefined => {
  const rule = violationRule(scheme, kind)
  if (rule === undefined) return undefined
  const windowMs = scheme.repeatWindowDays * dayMillis
  const priors = scheme.repeatWindowDays === 0 ? 0 : earlierSameKind.filter((t) => t <= at && at - t <= windowMs).length
  return rule.points[Math.min(priors, rule.points.length - 1)]!
}

/**
 * The reward for a kind of good behaviour, `undefined` if the scheme has
 * none of that kind.
 *
 * @since 0.2.0
 * @category rules
 */
export const rewardFor = (scheme: Scheme, kind: string): number | undefined =>
  scheme.rewards.find((r) => r.kind === kind)?.points

const parse = (date: string): [number, number, number] => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number]
  return [y, m, d]
}
const fmt = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`

/**
 * The same day `months` later (the month's last day when it is shorter:
 * 2026-11-30 + 3 months = 2027-02-28).
 *
 * @since 0.2.0
 * @category rules
 */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = parse(date)
  const total = y * 12 + (m - 1) + months
  const ny = Math.floor(total / 12)
  const nm = (total % 12) + 1
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate()
  return fmt(ny, nm, Math.min(d, last))
}

/**
 * Days from `from` to `to` (negative when `to` is earlier).
 *
 * @since 0.2.0
 * @category rules
 */
export const daysBetween = (from: string, to: string): number => {
  const [a, b, c] = parse(from)
  const [x, y, z] = parse(to)
  return Math.round((Date.UTC(x, y - 1, z) - Date.UTC(a, b - 1, c)) / dayMillis)
}

/**
 * Whether a clean record that began on `windowStart` (a local date) earns
 * its reward on `today`: exactly `months` later or after.
 *
 * @since 0.2.0
 * @category rules
 */
export const cleanRecordDue = (windowStart: string, today: string, months: number): boolean =>
  addMonths(windowStart, months) <= today

/**
 * Whether two reports of the same dog and kind are one incident.
 *
 * @since 0.2.0
 * @category rules
 */
export const sameIncident = (a: number, b: number, windowMinutes: number): boolean =>
  Math.abs(a - b) <= windowMinutes * 60_000

/**
 * A dog's public tag: the licence number masked but for its first two and
 * last two characters (`SD****17`).
 *
 * @since 0.2.0
 * @category rules
 */
export const maskLicence = (licenceNo: string): string =>
  licenceNo.length <= 4 ? "****" : `${licenceNo.slice(0, 2)}****${licenceNo.slice(-2)}`

/**
 * Counts complaints by month and kind, in month then kind order.
 *
 * @since 0.2.0
 * @category rules
 */
export const countByMonthAndKind = (
  reports: ReadonlyArray<{ readonly month: string; readonly kind: string }>
): ReadonlyArray<{ readonly month: string; readonly kind: string; readonly count: number }> => {
  const counts = new Map<string, number>()
  for (const r of reports) {
    const k = `${r.month}\u0000${r.kind}`
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return [...counts.entries()]
    .map(([k, count]) => {
      const [month, kind] = k.split("\u0000") as [string, string]
      return { month, kind, count }
    })
    .sort((a, b) => (a.month !== b.month ? (a.month < b.month ? -1 : 1) : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
}

/**
 * The change from `previous` to `current` in thousandths (300 = a 30%
 * rise), rounded half away from zero; `undefined` when there was nothing
 * before to compare with.
 *
 * @since 0.2.0
 * @category rules
 */
export const changePermille = (previous: number, current: number): number | undefined => {
  if (previous === 0) return undefined
  const x = ((current - previous) * 1000) / previous
  return Math.sign(x) * Math.round(Math.abs(x))
}

/**
 * Year-over-year complaint figures from monthly counts: per kind and in
 * total, this year's and last year's counts and the change in thousandths.
 *
 * @since 0.2.0
 * @category rules
 */
export const trendOfComplaints = (
  rows: ReadonlyArray<{ readonly month: string; readonly kind: string; readonly count: number }>,
  year: number
): {
  readonly year: number
  readonly byKind: ReadonlyArray<{ readonly kind: string; readonly previous: number; readonly current: number; readonly changePermille?: number }>
  readonly total: { readonly previous: number; readonly current: number; readonly changePermille?: number }
} => {
  const now = String(year)
  const before = String(year - 1)
  const kinds = new Map<string, { previous: number; current: number }>()
  for (const r of rows) {
    const y = r.month.slice(0, 4)
    if (y !== now && y !== before) continue
    const k = kinds.get(r.kind) ?? { previous: 0, current: 0 }
    if (y === now) k.current += r.count
    else k.previous += r.count
    kinds.set(r.kind, k)
  }
  const withChange = (p: number, c: number) => {
    const ch = changePermille(p, c)
    return ch === undefined ? { previous: p, current: c } : { previous: p, current: c, changePermille: ch }
  }
  const byKind = [...kinds.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([kind, k]) => ({ kind, ...withChange(k.previous, k.current) }))
  const previous = byKind.reduce((s, k) => s + k.previous, 0)
  const current = byKind.reduce((s, k) => s + k.current, 0)
  return { year, byKind, total: withChange(previous, current) }
}

/**
 * One step of a dog's score history, for simulations: what an event does
 * under a scheme. The service applies the same rules with storage around them.
 *
 * @since 0.2.0
 * @category simulation
 */
export type ScoreEvent =
  | { readonly _tag: "Violation"; readonly kind: string; readonly at: number }
  | { readonly _tag: "Reward"; readonly kind: string; readonly at: number }
  | { readonly _tag: "Training"; readonly at: number }
  | { readonly _tag: "Exam"; readonly at: number }

/**
 * A dog's state in a simulation.
 *
 * @since 0.2.0
 * @category simulation
 */
export interface SimulatedDog {
  readonly score: number
  /** When each standing violation happened, by kind. */
  readonly violations: Readonly<Record<string, ReadonlyArray<number>>>
  readonly lastTrainingRestoreAt?: number
  readonly entries: number
}

/**
 * A fresh dog under `scheme`.
 *
 * @since 0.2.0
 * @category simulation
 */
export const newSimulatedDog = (scheme: Scheme): SimulatedDog => ({ score: scheme.base, violations: {}, entries: 0 })

/**
 * Applies one event to a simulated dog (verified violations, rewards,
 * compulsory training restoring points once per period, the exam restoring
 * the score while the licence is withheld). Events the scheme does not
 * know change nothing.
 *
 * @since 0.2.0
 * @category simulation
 */
export const stepDog = (scheme: Scheme, dog: SimulatedDog, event: ScoreEvent): SimulatedDog => {
  switch (event._tag) {
    case "Violation": {
      const prior = dog.violations[event.kind] ?? []
      const d = deductionFor(scheme, event.kind, event.at, prior)
      if (d === undefined) return dog
      const { score } = applyPoints(scheme, dog.score, -d)
      return { ...dog, score, entries: dog.entries + 1, violations: { ...dog.violations, [event.kind]: [...prior, event.at] } }
    }
    case "Reward": {
      const p = rewardFor(scheme, event.kind)
      if (p === undefined || p === 0) return dog
      return { ...dog, score: applyPoints(scheme, dog.score, p).score, entries: dog.entries + 1 }
    }
    case "Training": {
      if (scheme.training === undefined) return dog
      if (dog.lastTrainingRestoreAt !== undefined && event.at - dog.lastTrainingRestoreAt < scheme.training.periodDays * dayMillis) return dog
      return {
        ...dog,
        score: applyPoints(scheme, dog.score, scheme.training.restorePoints).score,
        lastTrainingRestoreAt: event.at,
        entries: dog.entries + 1
      }
    }
    case "Exam": {
      if (scheme.exam === undefined || !consequencesAt(scheme, dog.score).includes("licence-withheld")) return dog
      return { ...dog, score: applyPoints(scheme, dog.score, scheme.exam.restoreTo - dog.score).score, entries: dog.entries + 1 }
    }
  }
}

/**
 * Whether compulsory training may restore points now.
 *
 * @since 0.2.0
 * @category rules
 */
export const trainingRestoreDue = (scheme: Scheme, lastRestoreAt: number | undefined, now: number): boolean =>
  scheme.training !== undefined &&
  (lastRestoreAt === undefined || now - lastRestoreAt >= scheme.training.periodDays * dayMillis)
