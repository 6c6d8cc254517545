/**
 * The indicators as pure functions over journal entries and the directory:
 * what counts, in which period, for whom. Reviewers read the definitions
 * here; docs/indicators.md states them in words.
 *
 * @since 0.2.0
 */
import type { Rate } from "./model.js"

/**
 * The seed's targets (section 4.2).
 *
 * @since 0.2.0
 * @category targets
 */
export const seedTargets = {
  participation: 0.6,
  issueResolution: 0.85,
  satisfaction: 0.85,
  volunteerHoursPerResidentYear: 10,
  disputeDecline: 0.5
} as const

/**
 * A rate of `count` in `of`, with a target when given (met when strictly above).
 *
 * @since 0.2.0
 * @category rates
 */
export const rate = (count: number, of: number, target?: number): Rate => {
  const r = of === 0 ? undefined : count / of
  return {
    count,
    of,
    rate: r,
    ...(target === undefined ? {} : { target, meetsTarget: r !== undefined && r > target })
  }
}

/**
 * A journal event as the indicators read it.
 *
 * @since 0.2.0
 * @category participation
 */
export interface ObservedEvent {
  readonly type: string
  readonly occurredAt: number
  readonly payload: unknown
}

/**
 * The residents whose action an event records as participation, by event
 * type: a vote (`VotingParticipationRecorded`: secret ballots record who took
 * part, never the choice), a proposal (`VotingProposalCreated`), a
 * deliberation post (`VotingPostAdded`), an issue report
 * (`IssueReportSubmitted` with a reporter), a confirmed time-bank service
 * (`TimebankServiceConfirmed`: the provider), a peer award
 * (`IncentiveAwarded` from a peer: the neighbour who helped and the one who
 * thanked them both took part). Other events are not participation.
 *
 * @since 0.2.0
 * @category participation
 */
export const participantsOf = (event: ObservedEvent): ReadonlyArray<string> => {
  const p = event.payload as Record<string, unknown>
  const ids = (...fields: ReadonlyArray<string>) =>
    fields.map((f) => p[f]).filter((v): v is string => typeof v === "string")
  switch (event.type) {
    case "VotingParticipationRecorded":
      return ids("residentId")
    case "VotingProposalCreated":
      return ids("proposerId")
    case "VotingPostAdded":
      // The author is an actor reference such as `resident:r-12`.
      return typeof p.author === "string" && p.author.startsWith("resident:") ? [p.author.slice("resident:".length)] : []
    case "IssueReportSubmitted":
      return ids("reporterId")
    case "TimebankServiceConfirmed":
      return ids("providerId")
    case "IncentiveAwarded":
      return p.source === "peer" ? ids("giverId", "residentId") : []
    default:
      return []
  }
}

/**
 * Households with any participation in `[from, to)`, among `households`
 * (those in scope).
 *
 * @since 0.2.0
 * @category participation
 */
export const participationRate = (
  events: Iterable<ObservedEvent>,
  householdOf: ReadonlyMap<string, string>,
  households: ReadonlySet<string>,
  from: number,
  to: number
): Rate => {
  const seen = new Set<string>()
  for (const e of events) {
    if (e.occurredAt < from || e.occurredAt >= to) continue
    for (const r of participantsOf(e)) {
      const h = householdOf.get(r)
      if (h !== undefined && households.has(h)) seen.add(h)
    }
  }
  return rate(seen.size, households.size, seedTargets.participation)
}

/**
 * Minutes of confirmed time-bank services in `[from, to)` whose provider is
 * in scope (actual minutes: the multiplier is a price, not time given).
 *
 * @since 0.2.0
 * @category volunteering
 */
export const volunteerMinutes = (
  events: Iterable<ObservedEvent>,
  inScope: (residentId: string) => boolean,
  from: number,
  to: number
): number => {
  let minutes = 0
  for (const e of events) {
    if (e.type !== "TimebankServiceConfirmed" || e.occurredAt < from || e.occurredAt >= to) continue
    const p = e.payload as { providerId?: unknown; minutes?: unknown }
    if (typeof p.providerId === "string" && typeof p.minutes === "number" && inScope(p.providerId)) minutes += p.minutes
  }
  return minutes
}

/**
 * Hours per resident, and per resident and year (the period scaled to 365 days).
 *
 * @since 0.2.0
 * @category volunteering
 */
export const hoursPerResident = (
  minutes: number,
  residents: number,
  from: number,
  to: number
): { readonly hoursPerResident: number; readonly hoursPerResidentYear: number } => {
  if (residents === 0) return { hoursPerResident: 0, hoursPerResidentYear: 0 }
  const perResident = minutes / 60 / residents
  return { hoursPerResident: perResident, hoursPerResidentYear: (perResident * 365 * 86_400_000) / (to - from) }
}

/**
 * Dispute reports (`IssueReportSubmitted` of a case type flagged `dispute`)
 * received in `[from, to)` whose reporter is in scope (or any, when no
 * building is chosen).
 *
 * @since 0.2.0
 * @category disputes
 */
export const disputeCount = (
  events: Iterable<ObservedEvent>,
  disputeTypes: ReadonlySet<string>,
  inScope: (reporterId: string | undefined) => boolean,
  from: number,
  to: number
): number => {
  let n = 0
  for (const e of events) {
    if (e.type !== "IssueReportSubmitted" || e.occurredAt < from || e.occurredAt >= to) continue
    const p = e.payload as { typeId?: unknown; reporterId?: unknown }
    if (typeof p.typeId === "string" && disputeTypes.has(p.typeId) && inScope(typeof p.reporterId === "string" ? p.reporterId : undefined)) n++
  }
  return n
}

/**
 * The decline from a baseline count: `(baseline - current) / baseline`;
 * absent when the baseline is 0.
 *
 * @since 0.2.0
 * @category disputes
 */
export const decline = (current: number, baseline: number): number | undefined =>
  baseline === 0 ? undefined : (baseline - current) / baseline
