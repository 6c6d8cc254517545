/**
 * What both engines share: the agents built from the scenario's community,
 * the seeded random stream, the scheme's configuration, and the behaviour
 * model that turns an agent's visible state into the day's intents. Both
 * engines draw the same numbers in the same order, so as long as the rules
 * give both the same outcomes, they see the same world.
 *
 * @since 0.1.0
 */
import { type DirectorySnapshot, Incentives } from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import type { Scenario } from "./scenario.js"

/**
 * A seeded pseudo-random stream (mulberry32): fast, 32-bit state, the same
 * numbers for the same seed on every platform.
 *
 * @since 0.1.0
 * @category randomness
 */
export interface Rng {
  /** A number in [0, 1). */
  readonly next: () => number
}

/**
 * A seeded random stream.
 *
 * @since 0.1.0
 * @category randomness
 */
export const makeRng = (seed: number): Rng => {
  let a = seed >>> 0
  return {
    next: () => {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
}

/**
 * A resident in the simulation.
 *
 * @since 0.1.0
 * @category agents
 */
export interface Agent {
  readonly index: number
  readonly residentId: string
  readonly householdId: string
  readonly elderly: boolean
  /** Farmers try to farm peer points with `partner`. */
  readonly farmer: boolean
  readonly partner: number
  /** How inclined to take part (mean 1 over residents; see `behaviour.heterogeneity`). */
  readonly propensity: number
}

/**
 * What an agent knows about itself when it decides.
 *
 * @since 0.1.0
 * @category agents
 */
export interface AgentView {
  readonly lifetime: number
  readonly level: number
  /** Whether one of yesterday's attempts was capped. */
  readonly cappedYesterday: boolean
}

/**
 * Something an agent tries to do on a day, at `offset` milliseconds after the
 * day's start (08:00 to 20:00 local time).
 *
 * @since 0.1.0
 * @category agents
 */
export type Intent =
  | { readonly kind: "award"; readonly agent: number; readonly action: string; readonly offset: number }
  | { readonly kind: "peer"; readonly agent: number; readonly receiver: number; readonly offset: number }
  | {
      readonly kind: "service"
      readonly agent: number
      readonly recipient: number
      readonly serviceType: string
      readonly minutes: number
      readonly offset: number
    }

/**
 * A behaviour model: the intents of one agent on one day. Pluggable: a
 * researcher passes their own function to an engine.
 *
 * @since 0.1.0
 * @category agents
 */
export type BehaviourModel = (
  agent: Agent,
  view: AgentView,
  day: number,
  rng: Rng,
  world: World
) => ReadonlyArray<Intent>

/**
 * The scenario made concrete: community, agents, configuration.
 *
 * @since 0.1.0
 * @category agents
 */
export interface World {
  readonly scenario: Scenario
  readonly community: DirectorySnapshot
  readonly agents: ReadonlyArray<Agent>
  readonly incentiveConfig: Incentives.IncentiveConfigShape
  readonly awardRules: Incentives.AwardRules
  readonly thresholds: ReadonlyArray<number>
  /** Service type -> multiplier per mille. */
  readonly multipliers: Readonly<Record<string, number>>
  /** Epoch millis of the first day's 08:00 local time. */
  readonly start: number
  /** Elderly agents (recipients of elderly care). */
  readonly elderly: ReadonlyArray<number>
  /** The behaviour mix as cumulative weights (for `pick`). */
  readonly actionMix: WeightedChoice
  /** The service types as cumulative weights. */
  readonly serviceMix: WeightedChoice
}

/**
 * Choices with cumulative weights, for drawing one by a uniform number.
 *
 * @since 0.1.0
 * @category agents
 */
export interface WeightedChoice {
  readonly keys: ReadonlyArray<string>
  /** Cumulative shares, the last 1. */
  readonly cumulative: ReadonlyArray<number>
}

/**
 * Turns relative weights into a {@link WeightedChoice} (keys in the given order).
 *
 * @since 0.1.0
 * @category agents
 */
export const weightedChoice = (weights: Readonly<Record<string, number>>): WeightedChoice => {
  const entries = Object.entries(weights)
  const total = entries.reduce((s, [, w]) => s + w, 0)
  let acc = 0
  return {
    keys: entries.map(([k]) => k),
    cumulative: entries.map(([, w], i) => (i === entries.length - 1 ? 1 : (acc += total === 0 ? 0 : w / total)))
  }
}

/**
 * The key a uniform number `x` in [0, 1) draws.
 *
 * @since 0.1.0
 * @category agents
 */
export const pick = (choice: WeightedChoice, x: number): string => {
  const c = choice.cumulative
  for (let i = 0; i < c.length; i++) if (x < c[i]!) return choice.keys[i]!
  return choice.keys[choice.keys.length - 1]!
}

const DAY_MS = 86_400_000

/**
 * The incentive configuration of a scheme: the library's defaults with the
 * scenario's overrides.
 *
 * @since 0.1.0
 * @category agents
 */
export const incentiveConfigOf = (scenario: Scenario): Incentives.IncentiveConfigShape => {
  const base = Incentives.defaultIncentiveConfig
  const s = scenario.incentives
  const levels =
    s.levelThresholds === undefined
      ? base.levels
      : s.levelThresholds.map((threshold, i) => {
          const known = base.levels[i]
          return known === undefined
            ? { id: `level-${i}`, name: { "zh-CN": `等级${i}`, en: `Level ${i}` }, threshold, perks: [] }
            : { ...known, threshold }
        })
  return {
    ...base,
    points: { ...base.points, ...s.points },
    perAction: { ...base.perAction, ...s.perAction },
    perResident: s.perResident ?? base.perResident,
    perPair: s.perPair ?? base.perPair,
    levels,
    thresholdRewards: s.thresholdRewards ?? base.thresholdRewards
  }
}

/**
 * Builds the world of a scenario: generates the community (seeded), makes
 * one agent per resident, picks farmers and their partners with the
 * scenario's seed.
 *
 * @since 0.1.0
 * @category agents
 */
export const buildWorld = (scenario: Scenario): World => {
  const spec = scenario.community
  const floors = spec.floors ?? 6
  const units = spec.unitsPerBuilding ?? 2
  const perFloor = spec.householdsPerFloor ?? 2
  const buildings = Math.max(1, Math.ceil(spec.households / (floors * units * perFloor)))
  const community = generateCommunity({
    seed: spec.seed,
    communityId: "sim",
    buildings,
    floors,
    unitsPerBuilding: units,
    householdsPerFloor: perFloor,
    ...(spec.elderlyShare === undefined ? {} : { elderlyShare: spec.elderlyShare })
  })
  const [y, m, d] = scenario.startDate.split("-").map(Number) as [number, number, number]
  const start = Date.UTC(y, m - 1, d, 0) // 08:00 in Asia/Shanghai
  const referenceYear = y
  const rng = makeRng(scenario.seed ^ 0x5eed)
  const residents = community.residents
  const agents: Array<Agent> = residents.map((r, index) => ({
    index,
    residentId: r.id,
    householdId: r.householdId ?? "",
    elderly: r.birthYear !== undefined && referenceYear - r.birthYear >= 60,
    farmer: false,
    partner: -1,
    propensity: 1
  }))
  const sigma = scenario.behaviour.heterogeneity
  if (sigma > 0) {
    for (const a of agents) {
      // Box-Muller: a standard normal from two uniforms; log-normal with mean 1.
      const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
      ;(a as { propensity: number }).propensity = Math.exp(sigma * z - (sigma * sigma) / 2)
    }
  }
  for (const a of agents) {
    if (rng.next() < scenario.behaviour.farmerShare && agents.length > 1) {
      const partner = (a.index + 1 + Math.floor(rng.next() * (agents.length - 1))) % agents.length
      ;(a as { farmer: boolean }).farmer = true
      ;(a as { partner: number }).partner = partner
    }
  }
  const incentiveConfig = incentiveConfigOf(scenario)
  return {
    scenario,
    community,
    agents,
    incentiveConfig,
    awardRules: Incentives.awardRules(incentiveConfig),
    thresholds: incentiveConfig.levels.map((l) => l.threshold),
    multipliers: { "elderly-care": 1500, environment: 1000, mediation: 2000, ...scenario.timeBank.multipliersPermille },
    start,
    elderly: agents.filter((a) => a.elderly).map((a) => a.index),
    actionMix: weightedChoice(scenario.behaviour.mix),
    serviceMix: weightedChoice(scenario.behaviour.serviceMix)
  }
}

/**
 * The default behaviour model (its parameters are the scenario's
 * `behaviour`): activity rises with level (`levelResponse`), decays month by
 * month (`fatigue`), falls after a capped attempt (`capResponse`); farmers
 * try `farmerTries` peer awards a day with one partner; volunteers give
 * time-bank services drawn by the multiplier (`multiplierResponse`).
 *
 * @since 0.1.0
 * @category agents
 */
export const defaultBehaviour: BehaviourModel = (agent, view, day, rng, world) => {
  const b = world.scenario.behaviour
  const n = world.agents.length
  // No closures here: this runs once per resident and day.
  let out: Array<Intent> | undefined
  const fatigue = b.fatigue === 0 ? 1 : Math.pow(1 - b.fatigue, day / 30)
  let p = b.activity * agent.propensity * (1 + b.levelResponse * view.level) * fatigue
  if (view.cappedYesterday) p *= b.capResponse
  if (rng.next() < Math.min(1, p)) {
    const action = pick(world.actionMix, rng.next())
    if (action === "neighbour-help") {
      const receiver = (agent.index + 1 + Math.floor(rng.next() * (n - 1))) % n
      if (n > 1) (out ??= []).push({ kind: "peer", agent: agent.index, receiver, offset: Math.floor(rng.next() * DAY_HOURS_MS) })
    } else {
      ;(out ??= []).push({ kind: "award", agent: agent.index, action, offset: Math.floor(rng.next() * DAY_HOURS_MS) })
    }
  }
  if (agent.farmer) {
    const tries = view.cappedYesterday ? Math.round(b.farmerTries * b.capResponse) : b.farmerTries
    for (let i = 0; i < tries; i++) (out ??= []).push({ kind: "peer", agent: agent.index, receiver: agent.partner, offset: Math.floor(rng.next() * DAY_HOURS_MS) })
  }
  const serviceType = pick(world.serviceMix, rng.next())
  const multiplier = (world.multipliers[serviceType] ?? 1000) / 1000
  const q = b.timeBankActivity * agent.propensity * Math.max(0, 1 + b.multiplierResponse * (multiplier - 1)) * fatigue
  if (rng.next() < Math.min(1, q)) {
    const pool = serviceType === "elderly-care" && world.elderly.length > 0 ? world.elderly : undefined
    let recipient = pool === undefined ? Math.floor(rng.next() * n) : pool[Math.floor(rng.next() * pool.length)]!
    if (recipient === agent.index) recipient = (recipient + 1) % n
    const minutes = 30 * (1 + Math.floor(rng.next() * 6)) // 30 to 180 minutes
    if (n > 1) (out ??= []).push({ kind: "service", agent: agent.index, recipient, serviceType, minutes, offset: Math.floor(rng.next() * DAY_HOURS_MS) })
  }
  return out ?? NONE
}

const NONE: ReadonlyArray<Intent> = []
/** Intents happen between 08:00 and 20:00 local time. */
const DAY_HOURS_MS = 12 * 3_600_000

/**
 * The start (08:00 local) of simulated day `day`.
 *
 * @since 0.1.0
 * @category agents
 */
export const dayStart = (world: World, day: number): number => world.start + day * DAY_MS

/**
 * The day's intents of every agent, in the order both engines apply them
 * (by time of day, then agent, then the agent's own order).
 *
 * @since 0.1.0
 * @category agents
 */
export const planDay = (
  world: World,
  day: number,
  views: (index: number) => AgentView,
  rng: Rng,
  behaviour: BehaviourModel
): ReadonlyArray<Intent> => {
  const intents: Array<Intent> = []
  for (const agent of world.agents) {
    const mine = behaviour(agent, views(agent.index), day, rng, world)
    for (let i = 0; i < mine.length; i++) intents.push(mine[i]!)
  }
  // Stable by construction: equal offsets keep agent order (Array.prototype.sort is stable).
  return intents.sort(byOffset)
}

const byOffset = (a: Intent, b: Intent) => a.offset - b.offset
