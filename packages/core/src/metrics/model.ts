/**
 * The evaluation indicators' inputs and views: the seed's section 4.2 figures
 * (participation, issue resolution, satisfaction, volunteer hours, decline in
 * disputes) and Beijing's hotline rates (response, resolution, satisfaction,
 * on time), for a period, a community and optionally one building.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { BuildingId, CommunityId } from "../kernel/ids.js"

const Millis = Schema.Int.pipe(Schema.nonNegative())

/**
 * Input of `indicators`: the period `[from, to)` in epoch milliseconds, an
 * optional baseline period for the decline in disputes (default: the period
 * of the same length just before), and an optional building.
 *
 * @since 0.2.0
 * @category inputs
 */
export const IndicatorsInput = Schema.Struct({
  communityId: CommunityId,
  from: Millis,
  to: Millis,
  baselineFrom: Schema.optional(Millis),
  baselineTo: Schema.optional(Millis),
  buildingId: Schema.optional(BuildingId)
}).pipe(
  Schema.filter((i) => {
    const issues: Array<Schema.FilterIssue> = []
    if (i.to <= i.from) issues.push({ path: ["to"], message: "must be after from" })
    if ((i.baselineFrom === undefined) !== (i.baselineTo === undefined)) {
      issues.push({ path: ["baselineTo"], message: "give both baselineFrom and baselineTo, or neither" })
    } else if (i.baselineFrom !== undefined && i.baselineTo !== undefined && i.baselineTo <= i.baselineFrom) {
      issues.push({ path: ["baselineTo"], message: "must be after baselineFrom" })
    }
    return issues
  })
)

/**
 * A rate with what it was computed from: `count` of `of` (`rate` is absent
 * when `of` is 0), and the seed's target where it sets one.
 *
 * @since 0.2.0
 * @category views
 */
export interface Rate {
  readonly count: number
  readonly of: number
  readonly rate: number | undefined
  /** The seed's target (a rate strictly above it meets it). */
  readonly target?: number
  readonly meetsTarget?: boolean
}

/**
 * The indicators of a period.
 *
 * @since 0.2.0
 * @category views
 */
export interface Indicators {
  readonly communityId: string
  readonly buildingId?: string
  readonly from: number
  readonly to: number
  /** Households with any participation in the period among households in scope (target > 60%). */
  readonly participation: Rate
  /** Issue resolution (解决率): fixed among closed cases, duplicates and rejections left out (target > 85%). Community-wide. */
  readonly issueResolution: Rate
  /** Satisfaction (满意率) from follow-ups (target > 85%). Community-wide. */
  readonly satisfaction: Rate
  /** Response (响应率): signed for among cases received. Community-wide. */
  readonly response: Rate
  /** On time (按时办结率). Community-wide. */
  readonly onTime: Rate
  /** Volunteer hours credited (actual minutes, before multipliers) per resident, and that figure per year (target > 10 a year). */
  readonly volunteerHours: {
    readonly minutes: number
    readonly residents: number
    readonly hoursPerResident: number
    readonly hoursPerResidentYear: number
    readonly target: number
    readonly meetsTarget: boolean
  }
  /** Disputes received in the period against the baseline period (target: down by more than 50%). */
  readonly disputes: {
    readonly period: number
    readonly baseline: number
    /** (baseline - period) / baseline; absent without a baseline count. */
    readonly decline: number | undefined
    readonly target: number
    readonly meetsTarget: boolean | undefined
  }
}
