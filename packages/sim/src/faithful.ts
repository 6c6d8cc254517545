/**
 * The faithful engine: the same intents as the fast engine, sent as the
 * library's full commands (`Incentives.award`, `Incentives.awardPeer`,
 * `TimeBank.recordService` + `confirmService`) to the in-memory store, with a
 * virtual clock and a seeded `Random`. What the model predicts is checked
 * against what the system does.
 *
 * @since 0.1.0
 */
import {
  type CommunityId,
  Gongzhi,
  Incentives,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  TimeBank
} from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { Effect, Layer, Random } from "effect"
import { makeVirtualClock } from "./clock.js"
import { Collector, type RunResult, summarise } from "./collector.js"
import { type BehaviourModel, dayStart, defaultBehaviour, makeRng, planDay, type World } from "./world.js"

const dateOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)

/**
 * Runs a world through the full commands on a fresh in-memory store.
 *
 * @since 0.1.0
 * @category engines
 */
export const runFaithful = (world: World, behaviour: BehaviourModel = defaultBehaviour): Promise<RunResult> => {
  const c = world.community.community.id as CommunityId
  const clock = makeVirtualClock(world.start)
  const AppLayer = Layer.mergeAll(
    Gongzhi.layer(),
    MemoryStore.layer({ directory: [world.community] }),
    Layer.succeed(Incentives.IncentiveConfig, world.incentiveConfig)
  )
  const admin = new StaffActor({ communityId: c, staffId: StaffId.make("sim-admin"), roles: [Role.make("admin")], departments: [] })
  const residentActors = world.agents.map((a) => new ResidentActor({ communityId: c, residentId: ResidentId.make(a.residentId) }))

  const program = Effect.gen(function* () {
    const rng = makeRng(world.scenario.seed)
    const collector = new Collector(world)
    const levelOf = (lifetime: number) => Incentives.levelFor(lifetime, world.thresholds)
    const views = (i: number) => ({
      lifetime: collector.lifetime[i]!,
      level: collector.level[i]!,
      cappedYesterday: collector.cappedYesterday[i] === 1
    })
    for (const [code, multiplierPermille] of Object.entries(world.multipliers)) {
      yield* TimeBank.defineServiceType(admin, { communityId: c, code, name: { "zh-CN": code, en: code }, multiplierPermille })
    }
    for (let day = 0; day < world.scenario.horizonDays; day++) {
      const start = dayStart(world, day)
      for (const intent of planDay(world, day, views, rng, behaviour)) {
        clock.set(start + intent.offset)
        switch (intent.kind) {
          case "award": {
            const a = yield* Incentives.award(admin, {
              communityId: c,
              residentId: world.agents[intent.agent]!.residentId,
              action: intent.action,
              reason: "simulation"
            })
            collector.award(intent.agent, a.points, a.bonus, a.status === "capped")
            break
          }
          case "peer": {
            const a = yield* Incentives.awardPeer(residentActors[intent.agent]!, {
              communityId: c,
              giverId: world.agents[intent.agent]!.residentId,
              receiverId: world.agents[intent.receiver]!.residentId
            })
            collector.award(intent.receiver, a.points, a.bonus, a.status === "capped", intent.agent)
            break
          }
          case "service": {
            const recorded = yield* TimeBank.recordService(residentActors[intent.agent]!, {
              communityId: c,
              providerId: world.agents[intent.agent]!.residentId,
              recipientId: world.agents[intent.recipient]!.residentId,
              serviceType: intent.serviceType,
              minutes: intent.minutes
            })
            const confirmed = yield* TimeBank.confirmService(residentActors[intent.recipient]!, {
              communityId: c,
              serviceId: recorded.service.id
            })
            collector.service(intent.agent, intent.recipient, confirmed.centiHours, intent.serviceType)
            break
          }
        }
      }
      collector.endDay(day, dateOf(start), levelOf)
    }
    return { engine: "faithful" as const, days: collector.days, agents: collector.agentRows(), summary: summarise(collector) }
  })
  return Effect.runPromise(
    program.pipe(Effect.provide(AppLayer), Effect.withClock(clock.clock), Effect.withRandom(Random.make(world.scenario.seed))) as unknown as Effect.Effect<RunResult>
  )
}
