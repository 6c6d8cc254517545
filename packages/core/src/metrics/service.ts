/**
 * The indicators query: reads the community's journal and directory, takes
 * the hotline rates from the issues module's `figures`, and applies
 * `rules.ts`. It owns no state, so the module has no store, events or
 * errors of its own (it fails with the kernel's and the issues module's).
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { authorize, type Actor, type PermissionTable } from "../kernel/actor.js"
import { decodeInput } from "../kernel/errors.js"
import { Directory } from "../kernel/directory.js"
import { readJournal } from "../kernel/journal.js"
import { figures, IssueCatalogue } from "../issues/index.js"
import { IndicatorsInput, type Indicators } from "./model.js"
import {
  decline,
  disputeCount,
  hoursPerResident,
  participationRate,
  rate,
  seedTargets,
  volunteerMinutes
} from "./rules.js"

/**
 * Who may read the indicators: staff who run the community (admin,
 * committee, auditor) and the system (reports, dashboards).
 *
 * @since 0.2.0
 * @category permissions
 */
export const metricsPermissions: PermissionTable<"metrics.indicators"> = {
  "metrics.indicators": { roles: ["admin", "committee", "auditor"], system: true }
}


/**
 * The seed's evaluation indicators and Beijing's hotline rates for a period,
 * for the community or one building (participation, volunteer hours and
 * disputes follow the building; the hotline rates are community-wide). The
 * baseline for the decline in disputes defaults to the period of the same
 * length just before.
 *
 * @since 0.2.0
 * @category queries
 */
export const indicators = Effect.fn("metrics.indicators")(function* (actor: Actor, input: typeof IndicatorsInput.Encoded) {
  const q = yield* decodeInput("metrics.indicators", IndicatorsInput)(input)
  yield* authorize(metricsPermissions, "metrics.indicators", actor, q.communityId)
  const directory = yield* Directory
  const households = yield* directory.listHouseholds(q.communityId)
  const residents = yield* directory.listResidents(q.communityId)
  const inBuilding = households.filter((h) => q.buildingId === undefined || h.buildingId === q.buildingId)
  const scope = new Set<string>(inBuilding.map((h) => h.id))
  const householdOf = new Map<string, string>()
  for (const r of residents) if (r.householdId !== undefined) householdOf.set(r.id, r.householdId)
  const residentInScope = (id: string | undefined) => {
    if (q.buildingId === undefined) return true
    const h = id === undefined ? undefined : householdOf.get(id)
    return h !== undefined && scope.has(h)
  }
  const residentsInScope = residents.filter((r) => r.householdId !== undefined && scope.has(r.householdId)).length

  const entries = yield* readJournal(q.communityId)
  const minutes = volunteerMinutes(entries, residentInScope, q.from, q.to)
  const perResident = hoursPerResident(minutes, residentsInScope, q.from, q.to)

  const length = q.to - q.from
  const baselineFrom = q.baselineFrom ?? Math.max(0, q.from - length)
  const baselineTo = q.baselineTo ?? q.from
  const catalogue = yield* IssueCatalogue
  const disputeTypes = new Set<string>(catalogue.types.filter((t) => t.dispute).map((t) => t.id))
  const disputes = disputeCount(entries, disputeTypes, residentInScope, q.from, q.to)
  const baseline = disputeCount(entries, disputeTypes, residentInScope, baselineFrom, baselineTo)
  const d = decline(disputes, baseline)

  const hotline = yield* figures(actor, q.communityId, { by: "all", from: q.from, to: q.to })
  const all = hotline.groups[0]
  const fromShare = (s: { readonly count: number; readonly of: number } | undefined, target?: number) =>
    rate(s?.count ?? 0, s?.of ?? 0, target)

  const result: Indicators = {
    communityId: q.communityId,
    ...(q.buildingId === undefined ? {} : { buildingId: q.buildingId }),
    from: q.from,
    to: q.to,
    participation: participationRate(entries, householdOf, scope, q.from, q.to),
    issueResolution: fromShare(all?.resolution, seedTargets.issueResolution),
    satisfaction: fromShare(all?.satisfaction, seedTargets.satisfaction),
    response: fromShare(all?.response),
    onTime: fromShare(all?.onTime),
    volunteerHours: {
      minutes,
      residents: residentsInScope,
      ...perResident,
      target: seedTargets.volunteerHoursPerResidentYear,
      meetsTarget: perResident.hoursPerResidentYear > seedTargets.volunteerHoursPerResidentYear
    },
    disputes: {
      period: disputes,
      baseline,
      decline: d,
      target: seedTargets.disputeDecline,
      meetsTarget: d === undefined ? undefined : d > seedTargets.disputeDecline
    }
  }
  return result
})
