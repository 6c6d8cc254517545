/**
 * The fast engine: the production rules (`Incentives.evaluateAward`,
 * `counterUpdates`, `thresholdsCrossed`, `levelFor`, `TimeBank.creditFor`)
 * called directly, with no store, no Effect and no journal. The same
 * decisions the commands make, at the speed of the rules.
 *
 * @since 0.1.0
 */
import { Incentives, TimeBank } from "@gongzhi/core"
import { Collector, type RunResult, summarise } from "./collector.js"
import { type BehaviourModel, dayStart, defaultBehaviour, makeRng, planDay, type World } from "./world.js"

const dateOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)

/**
 * Runs a world through the pure rules.
 *
 * @since 0.1.0
 * @category engines
 */
export const runFast = (world: World, behaviour: BehaviourModel = defaultBehaviour): RunResult => {
  const rules = world.awardRules
  const config = world.incentiveConfig
  const rng = makeRng(world.scenario.seed)
  const collector = new Collector(world)
  // Each resident's cap counters, mutated in place with the rules' own counterUpdates.
  const counters = world.agents.map(() => new Map<string, Incentives.WindowCounter>())
  const lifetimes = collector.lifetime
  const levelOf = (lifetime: number) => Incentives.levelFor(lifetime, world.thresholds)
  const views = (i: number) => ({ lifetime: lifetimes[i]!, level: collector.level[i]!, cappedYesterday: collector.cappedYesterday[i] === 1 })

  const tryAward = (agent: number, action: string, at: number, giver: number | undefined) => {
    const state: Incentives.AwardState = { lifetime: lifetimes[agent]!, counters: counters[agent]! }
    const giverId = giver === undefined ? undefined : world.agents[giver]!.residentId
    const decision = Incentives.evaluateAward(state, action, at, rules, giverId === undefined ? {} : { giverId })
    if (decision.capped !== undefined || decision.points === 0) {
      collector.award(agent, 0, 0, decision.capped !== undefined, giver)
      return
    }
    for (const u of Incentives.counterUpdates(state, decision, rules)) counters[agent]!.set(u.key, u.counter)
    const before = lifetimes[agent]!
    const after = before + decision.points
    const bonus = Incentives.thresholdsCrossed(before, after, config.thresholdRewards).reduce((s, r) => s + r.bonus, 0)
    collector.award(agent, decision.points, bonus, false, giver)
  }

  for (let day = 0; day < world.scenario.horizonDays; day++) {
    const start = dayStart(world, day)
    for (const intent of planDay(world, day, views, rng, behaviour)) {
      const at = start + intent.offset
      switch (intent.kind) {
        case "award":
          tryAward(intent.agent, intent.action, at, undefined)
          break
        case "peer":
          tryAward(intent.receiver, config.peerAction, at, intent.agent)
          break
        case "service": {
          const centiHours = TimeBank.creditFor(intent.minutes, world.multipliers[intent.serviceType] ?? 1000)
          collector.service(intent.agent, intent.recipient, centiHours, intent.serviceType)
          break
        }
      }
    }
    collector.endDay(day, dateOf(start), levelOf)
  }
  return { engine: "fast", days: collector.days, agents: collector.agentRows(), summary: summarise(collector) }
}
