/**
 * The collector: per-day series and per-agent totals of a run, the way
 * Mesa's `DataCollector` turns each step into a table. Both engines feed it
 * the same outcomes, so their tables can be compared row by row.
 *
 * @since 0.1.0
 */
import type { World } from "./world.js"

/**
 * One simulated day.
 *
 * @since 0.1.0
 * @category collection
 */
export interface DayRow {
  readonly day: number
  readonly date: string
  /** Residents with at least one awarded action that day. */
  readonly activeResidents: number
  /** Share of households with any awarded action so far (the seed's participation rate). */
  readonly participationToDate: number
  readonly attempts: number
  readonly awards: number
  readonly pointsAwarded: number
  readonly bonusPoints: number
  readonly capsHit: number
  readonly peerCapsHit: number
  /** Peer points given by farmers to their partners. */
  readonly farmedPoints: number
  readonly services: number
  readonly centiHoursCredited: number
  readonly elderCareCentiHours: number
  /** Gini coefficient of lifetime points over all residents at the day's end. */
  readonly pointsGini: number
  /** Residents per level at the day's end (index = level). */
  readonly levels: ReadonlyArray<number>
}

/**
 * One resident at the end of a run.
 *
 * @since 0.1.0
 * @category collection
 */
export interface AgentRow {
  readonly residentId: string
  readonly householdId: string
  readonly elderly: boolean
  readonly farmer: boolean
  readonly lifetime: number
  readonly level: number
  readonly awards: number
  readonly capsHit: number
  readonly centiHoursGiven: number
  readonly centiHoursReceived: number
}

/**
 * The Gini coefficient of non-negative values (0: all equal; near 1: one
 * holds everything); 0 for no values or a zero total.
 *
 * @since 0.1.0
 * @category collection
 */
export const gini = (values: ArrayLike<number>): number => {
  const n = values.length
  if (n === 0) return 0
  const sorted = Float64Array.from(values as ArrayLike<number>).sort()
  let cum = 0
  let total = 0
  for (let i = 0; i < n; i++) {
    total += sorted[i]!
    cum += (i + 1) * sorted[i]!
  }
  if (total === 0) return 0
  return (2 * cum) / (n * total) - (n + 1) / n
}

/**
 * Mutable per-run state the engines update.
 *
 * @since 0.1.0
 * @category collection
 */
export class Collector {
  readonly lifetime: Float64Array
  readonly level: Int32Array
  readonly awards: Int32Array
  readonly capsHit: Int32Array
  readonly given: Float64Array
  readonly received: Float64Array
  readonly cappedToday: Uint8Array
  readonly cappedYesterday: Uint8Array
  readonly activeToday: Uint8Array
  readonly householdSeen = new Set<string>()
  readonly households: number
  readonly days: Array<DayRow> = []
  private today = this.fresh()

  constructor(readonly world: World) {
    const n = world.agents.length
    this.lifetime = new Float64Array(n)
    this.level = new Int32Array(n)
    this.awards = new Int32Array(n)
    this.capsHit = new Int32Array(n)
    this.given = new Float64Array(n)
    this.received = new Float64Array(n)
    this.cappedToday = new Uint8Array(n)
    this.cappedYesterday = new Uint8Array(n)
    this.activeToday = new Uint8Array(n)
    this.households = world.community.households.length
  }

  private fresh() {
    return { attempts: 0, awards: 0, points: 0, bonus: 0, caps: 0, peerCaps: 0, farmed: 0, services: 0, centiHours: 0, elderCare: 0 }
  }

  /**
   * An award attempt's outcome: `agent` receives the points; `giver` is the
   * resident who tried a peer award (the one a cap stops, and who reacts to it).
   */
  award(agent: number, points: number, bonus: number, capped: boolean, giver?: number): void {
    const t = this.today
    t.attempts++
    if (capped) {
      t.caps++
      if (giver !== undefined) t.peerCaps++
      const actor = giver ?? agent
      this.capsHit[actor]!++
      this.cappedToday[actor] = 1
      return
    }
    t.awards++
    t.points += points
    t.bonus += bonus
    if (giver !== undefined && this.world.agents[giver]!.farmer) t.farmed += points
    this.awards[agent]!++
    this.lifetime[agent] = this.lifetime[agent]! + points + bonus
    this.activeToday[agent] = 1
    const household = this.world.agents[agent]!.householdId
    if (household !== "") this.householdSeen.add(household)
  }

  /** A credited time-bank service. */
  service(provider: number, recipient: number, centiHours: number, serviceType: string): void {
    const t = this.today
    t.services++
    t.centiHours += centiHours
    if (serviceType === "elderly-care") t.elderCare += centiHours
    this.given[provider] = this.given[provider]! + centiHours
    this.received[recipient] = this.received[recipient]! + centiHours
  }

  /** Closes a day: levels, Gini, the row. */
  endDay(day: number, date: string, levelOf: (lifetime: number) => number): void {
    const levels: Array<number> = new Array(this.world.thresholds.length).fill(0)
    let active = 0
    for (let i = 0; i < this.lifetime.length; i++) {
      const l = levelOf(this.lifetime[i]!)
      this.level[i] = l
      levels[l]!++
      if (this.activeToday[i]) active++
    }
    const t = this.today
    this.days.push({
      day,
      date,
      activeResidents: active,
      participationToDate: this.households === 0 ? 0 : this.householdSeen.size / this.households,
      attempts: t.attempts,
      awards: t.awards,
      pointsAwarded: t.points,
      bonusPoints: t.bonus,
      capsHit: t.caps,
      peerCapsHit: t.peerCaps,
      farmedPoints: t.farmed,
      services: t.services,
      centiHoursCredited: t.centiHours,
      elderCareCentiHours: t.elderCare,
      pointsGini: gini(this.lifetime),
      levels
    })
    this.cappedYesterday.set(this.cappedToday)
    this.cappedToday.fill(0)
    this.activeToday.fill(0)
    this.today = this.fresh()
  }

  /** The per-agent table. */
  agentRows(): ReadonlyArray<AgentRow> {
    return this.world.agents.map((a) => ({
      residentId: a.residentId,
      householdId: a.householdId,
      elderly: a.elderly,
      farmer: a.farmer,
      lifetime: this.lifetime[a.index]!,
      level: this.level[a.index]!,
      awards: this.awards[a.index]!,
      capsHit: this.capsHit[a.index]!,
      centiHoursGiven: this.given[a.index]!,
      centiHoursReceived: this.received[a.index]!
    }))
  }
}

/**
 * The result of one run.
 *
 * @since 0.1.0
 * @category collection
 */
export interface RunResult {
  readonly engine: "fast" | "faithful"
  readonly days: ReadonlyArray<DayRow>
  readonly agents: ReadonlyArray<AgentRow>
  /** Aggregates over the whole run (what a sweep keeps per run). */
  readonly summary: RunSummary
}

/**
 * A run's aggregates.
 *
 * @since 0.1.0
 * @category collection
 */
export interface RunSummary {
  readonly residents: number
  readonly households: number
  readonly participation: number
  readonly awards: number
  readonly points: number
  readonly capsHit: number
  readonly peerCapsHit: number
  /** Share of all points that farmers' peer awards gave their partners. */
  readonly farmedPointsShare: number
  readonly pointsGini: number
  readonly topLevelResidents: number
  readonly centiHours: number
  readonly elderCareCentiHours: number
  /** Volunteer hours per resident over the run (the seed's target: > 10 a year). */
  readonly hoursPerResident: number
}

/**
 * Summarises a finished collector.
 *
 * @since 0.1.0
 * @category collection
 */
export const summarise = (c: Collector): RunSummary => {
  const days = c.days
  const sum = (f: (d: DayRow) => number) => days.reduce((s, d) => s + f(d), 0)
  const points = sum((d) => d.pointsAwarded + d.bonusPoints)
  const farmed = sum((d) => d.farmedPoints)
  const last = days[days.length - 1]
  const centiHours = sum((d) => d.centiHoursCredited)
  const residents = c.world.agents.length
  return {
    residents,
    households: c.households,
    participation: last?.participationToDate ?? 0,
    awards: sum((d) => d.awards),
    points,
    capsHit: sum((d) => d.capsHit),
    peerCapsHit: sum((d) => d.peerCapsHit),
    farmedPointsShare: points === 0 ? 0 : farmed / points,
    pointsGini: last?.pointsGini ?? 0,
    topLevelResidents: last?.levels[last.levels.length - 1] ?? 0,
    centiHours,
    elderCareCentiHours: sum((d) => d.elderCareCentiHours),
    hoursPerResident: residents === 0 ? 0 : centiHours / 100 / residents
  }
}
