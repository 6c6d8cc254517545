/**
 * Incentive points: (a) the pure rules (award evaluation with caps and
 * levels) for 10,000 residents over 365 simulated days; (b) the same kind of
 * workload through the full commands on the memory store (a smaller sample),
 * and through the journal subscriber; events per second and the ratio.
 */
import { type CommunityId, drain, Gongzhi, Incentives, ResidentActor, Role, StaffActor, StaffId, transactionally, appendEvents } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Clock, Effect, Layer, Schema } from "effect"
import { measure, ratio, report, section } from "./harness.js"

/** A small seeded PRNG (mulberry32): the workload is the same on every run. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface SimEvent {
  readonly resident: number
  readonly action: string
  readonly giver?: number
  readonly offset: number
}

/**
 * One simulated day: each resident does 0-2 things (1 on average); one in
 * twenty is a "farmer" who tries 12 times a day (caps stop them).
 */
const dayEvents = (residents: number, random: () => number): Array<SimEvent> => {
  const out: Array<SimEvent> = []
  for (let r = 0; r < residents; r++) {
    const tries = r % 20 === 0 ? 12 : Math.floor(random() * 3)
    for (let i = 0; i < tries; i++) {
      const x = random()
      const action = x < 0.3 ? "vote" : x < 0.55 ? "issue-report" : x < 0.7 ? "volunteer-service" : x < 0.95 ? "neighbour-help" : "adopted-proposal"
      const offset = Math.floor(random() * 12 * 3_600_000)
      out.push(action === "neighbour-help" ? { resident: r, action, giver: (r + 1 + Math.floor(random() * 5)) % residents, offset } : { resident: r, action, offset })
    }
  }
  return out
}

const START = Date.UTC(2026, 0, 1, 0) // 2026-01-01 08:00 in Shanghai

export const incentivesBench = async (): Promise<void> => {
  section("incentives")
  const config = Incentives.defaultIncentiveConfig
  const rules = Incentives.awardRules(config)
  const thresholds = config.levels.map((l) => l.threshold)

  // (a) pure rules
  const RESIDENTS = 10_000
  const DAYS = 365
  let capped = 0
  let levelUps = 0
  const pure = await measure(`(a) pure rules: ${RESIDENTS.toLocaleString("en")} residents x ${DAYS} days (events)`, () => {
    const random = prng(2026)
    const states: Array<Incentives.AwardState> = Array.from({ length: RESIDENTS }, () => Incentives.emptyAwardState)
    const levels = new Int8Array(RESIDENTS)
    let events = 0
    for (let day = 0; day < DAYS; day++) {
      const dayStart = START + day * 86_400_000
      for (const e of dayEvents(RESIDENTS, random)) {
        const state = states[e.resident]!
        const decision = Incentives.evaluateAward(state, e.action, dayStart + e.offset, rules, e.giver === undefined ? {} : { giverId: String(e.giver) })
        if (decision.capped !== undefined) capped++
        else {
          const next = Incentives.applyAward(state, decision, rules)
          states[e.resident] = next
          const level = Incentives.levelFor(next.lifetime, thresholds)
          if (level !== levels[e.resident]) {
            levels[e.resident] = level
            levelUps++
          }
        }
        events++
      }
    }
    return events
  })
  report(pure)
  console.log(`    capped ${capped.toLocaleString("en")} (${((capped / pure.ops) * 100).toFixed(1)}%), level changes ${levelUps.toLocaleString("en")}`)

  // (b) full commands on the memory store
  const community = generateCommunity({ seed: 2026, communityId: "bench-incentives" })
  const c = community.community.id as CommunityId
  const residents = community.residents.map((r) => r.id)
  const SAMPLE = Math.min(200, residents.length)
  const SAMPLE_DAYS = 30
  const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })
  const AppLayer = Layer.mergeAll(Gongzhi.layer({ templates: Incentives.incentiveTemplates }), MemoryStore.layer({ directory: [community] }))
  // A settable clock: TestClock.setTime yields to a real timer on every call (≥ 1 ms in Node),
  // which would be measured as if it were the command's cost.
  let now = START
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    unsafeCurrentTimeMillis: () => now,
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    sleep: () => Effect.void
  }
  const run = <A>(effect: Effect.Effect<A, unknown, any>) =>
    Effect.runPromise(effect.pipe(Effect.provide(AppLayer), Effect.withClock(clock)) as Effect.Effect<A>)

  const commands = await measure(`(b) full commands: ${SAMPLE} residents x ${SAMPLE_DAYS} days (events)`, () =>
    run(Effect.gen(function* () {
      const random = prng(2026)
      let events = 0
      for (let day = 0; day < SAMPLE_DAYS; day++) {
        const dayStart = START + day * 86_400_000
        const todays = dayEvents(SAMPLE, random).sort((x, y) => x.offset - y.offset)
        for (const e of todays) {
          now = dayStart + e.offset
          const residentId = residents[e.resident]!
          if (e.giver !== undefined) {
            const giverId = residents[e.giver]!
            yield* Incentives.awardPeer(new ResidentActor({ communityId: c, residentId: giverId }), { communityId: c, giverId, receiverId: residentId })
          } else {
            yield* Incentives.award(admin, { communityId: c, residentId, action: e.action, reason: "bench" })
          }
          events++
        }
      }
      return events
    })))
  report(commands)

  // (b') the subscriber path: other modules' events appended, then drained
  const Vote = Schema.TaggedStruct("VotingParticipationRecorded", { proposalId: Schema.String, residentId: Schema.String })
  const SUB_EVENTS = 3_000
  let drained = 0
  const subscriber = await measure(`(b') journal subscriber: ${SUB_EVENTS.toLocaleString("en")} vote events drained`, () =>
    run(Effect.gen(function* () {
      now = START
      for (let i = 0; i < SUB_EVENTS; i += 100) {
        yield* transactionally(appendEvents(c, Vote, Array.from({ length: 100 }, (_, j) => ({
          _tag: "VotingParticipationRecorded" as const,
          proposalId: `p${i + j}`,
          residentId: residents[(i + j) % SAMPLE]!
        }))))
      }
      const report = yield* drain(Incentives.incentivesSubscriber, c)
      drained = report.processed
      return SUB_EVENTS
    })))
  report(subscriber)
  console.log(`    (includes appending the ${SUB_EVENTS.toLocaleString("en")} source events; ${drained.toLocaleString("en")} entries drained)`)
  ratio("pure rules / full commands (events per second)", pure, commands)
  ratio("pure rules / journal subscriber (events per second)", pure, subscriber)
}
