/**
 * Pet credit: one simulated year of the seed's community (800 registered
 * dogs) with report rates we take as realistic for it, evaluated twice:
 * the pure scheme rules (what a researcher's simulation loop calls), and
 * the same year through the commands on the memory store (register, report,
 * verify or reject, appeal and decide, rewards, the daily checks).
 *
 * Assumed rates (our assumptions, not the seed's data): 60% of dogs are
 * rarely reported (0.3 reports a year), 30% sometimes (2 a year), 10% are
 * repeat offenders (8 a year); kinds off-leash 50%, waste 35%, noise 15%;
 * 10% of reports are a second report of the same incident; staff confirm
 * 70% of the rest, reject 20% and let 10% expire; owners appeal 15% of
 * verified reports and 30% of appeals are upheld; 5% of keepers patrol
 * once a week (a +2 reward).
 */
import { CommunityId, Gongzhi, PetCredit, ResidentActor, Role, StaffActor, StaffId, SystemActor } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, ManagedRuntime, TestClock, TestContext } from "effect"
import { measure, ratio, report, section } from "./harness.js"

const DOGS = 800
const DAY = 86_400_000
/** 2026-01-05 10:00 in Shanghai. */
const START = Date.UTC(2026, 0, 5, 2, 0, 0)

/** mulberry32: a small seeded generator, so every run simulates the same year. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

type Planned =
  | { readonly t: "report"; readonly day: number; readonly at: number; readonly dog: number; readonly kind: string; readonly duplicate: boolean; readonly fate: "confirm" | "reject" | "expire"; readonly appeal: "none" | "upheld" | "dismissed" }
  | { readonly t: "patrol"; readonly day: number; readonly at: number; readonly dog: number }

/** The year's events, in time order. */
const planYear = (seed: number): ReadonlyArray<Planned> => {
  const r = rng(seed)
  const out: Array<Planned> = []
  for (let dog = 0; dog < DOGS; dog++) {
    const u = r()
    const perYear = u < 0.6 ? 0.3 : u < 0.9 ? 2 : 8
    const patrols = r() < 0.05
    for (let day = 0; day < 365; day++) {
      if (r() < perYear / 365) {
        const k = r()
        const kind = k < 0.5 ? "off-leash" : k < 0.85 ? "waste" : "noise"
        const f = r()
        const fate = f < 0.7 ? "confirm" : f < 0.9 ? "reject" : "expire"
        const a = r()
        const appeal = fate !== "confirm" || a >= 0.15 ? "none" : r() < 0.3 ? "upheld" : "dismissed"
        const at = START + day * DAY + Math.floor(r() * 8) * 3_600_000
        out.push({ t: "report", day, at, dog, kind, duplicate: false, fate, appeal })
        if (r() < 0.1) out.push({ t: "report", day, at: at + 600_000, dog, kind, duplicate: true, fate, appeal: "none" })
      }
      if (patrols && day % 7 === 3) out.push({ t: "patrol", day, at: START + day * DAY + 7_200_000, dog })
    }
  }
  return out.sort((a, b) => a.at - b.at)
}

/** The pure evaluation of a planned year: verified, not overturned violations and rewards. */
const evaluate = (scheme: PetCredit.Scheme, plan: ReadonlyArray<Planned>) => {
  const dogs = Array.from({ length: DOGS }, () => PetCredit.newSimulatedDog(scheme))
  let steps = 0
  for (const p of plan) {
    if (p.t === "patrol") dogs[p.dog] = PetCredit.stepDog(scheme, dogs[p.dog]!, { _tag: "Reward", kind: "patrol", at: p.at })
    else if (!p.duplicate && p.fate === "confirm" && p.appeal !== "upheld") {
      dogs[p.dog] = PetCredit.stepDog(scheme, dogs[p.dog]!, { _tag: "Violation", kind: p.kind, at: p.at })
    } else continue
    steps++
  }
  return { dogs, steps }
}

const figures = (scheme: PetCredit.Scheme, scores: ReadonlyArray<number>) => {
  const flags = scores.map((s) => PetCredit.consequencesAt(scheme, s))
  return {
    mean: (scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(1),
    suspended: flags.filter((f) => f.includes("licence-suspended")).length,
    training: flags.filter((f) => f.includes("training-required")).length,
    withheld: flags.filter((f) => f.includes("licence-withheld")).length
  }
}

export const petCreditBench = async (): Promise<void> => {
  const plan = planYear(20261202)
  const reports = plan.filter((p) => p.t === "report").length
  section(`petcredit: one simulated year, ${DOGS} dogs, ${reports} reports, ${plan.length - reports} patrol rewards`)
  for (const scheme of [PetCredit.seedScheme, PetCredit.jinan12]) {
    const once = evaluate(scheme, plan)
    const f = figures(scheme, once.dogs.map((d) => d.score))
    console.log(`  ${scheme.code}: mean score ${f.mean}; suspended ${f.suspended}, training ${f.training}, withheld ${f.withheld} (of ${DOGS})`)
  }
  const Y = 200
  const pure = await measure(`pure stepDog, seed scheme (${Y} simulated years; one op = one event)`, () => {
    let n = 0
    for (let y = 0; y < Y; y++) n += evaluate(PetCredit.seedScheme, plan).steps
    return n
  })
  report(pure)
  const pureJinan = await measure(`pure stepDog, jinan12 (${Y} simulated years; one op = one event)`, () => {
    let n = 0
    for (let y = 0; y < Y; y++) n += evaluate(PetCredit.jinan12, plan).steps
    return n
  })
  report(pureJinan)

  section("petcredit: the same year through the commands on the memory store")
  const c = CommunityId.make("bench-petcredit")
  const community = generateCommunity({ seed: 13, communityId: c, buildings: 20 })
  const households = community.households.map((h) => ({ h, keeper: community.residents.find((r) => r.householdId === h.id)! })).filter((x) => x.keeper !== undefined)
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(Gongzhi.layer({ calendar: { beyondData: "weekends-only" } }), MemoryStore.layer({ directory: [community] }))
  )
  const clerk = new StaffActor({ communityId: c, staffId: StaffId.make("s-clerk"), roles: [Role.make("clerk")], departments: [] })
  const verifier = new StaffActor({ communityId: c, staffId: StaffId.make("s-verify"), roles: [Role.make("committee")], departments: [] })
  const mediator = new StaffActor({ communityId: c, staffId: StaffId.make("s-mediate"), roles: [Role.make("mediator")], departments: [] })
  const camera = new SystemActor({ communityId: c, process: "camera" })
  const scheduler = new SystemActor({ communityId: c, process: "scheduler" })
  let commands = 0
  const byCommand = await measure("register 800 dogs, then a year of reports, decisions, appeals, rewards and daily checks (one op = one command)", () =>
    runtime.runPromise(
      Effect.gen(function* () {
        yield* TestClock.setTime(START - 30 * DAY)
        const ids: Array<PetCredit.DogId> = []
        for (let i = 0; i < DOGS; i++) {
          const { h, keeper } = households[i % households.length]!
          const dog = yield* PetCredit.registerDog(clerk, {
            communityId: c, householdId: h.id, keeperId: keeper.id, name: `dog-${i}`, licenceNo: `SD2026${String(i).padStart(5, "0")}`,
            breed: "mixed", size: "medium", vaccinationExpiresOn: "2026-09-30", licenceExpiresOn: "2027-03-31"
          })
          ids.push(dog.id)
          commands++
        }
        const reporter = (i: number) => new ResidentActor({ communityId: c, residentId: households[(i + 7) % households.length]!.keeper.id })
        const appeals: Array<{ readonly id: PetCredit.ReportId; readonly outcome: "upheld" | "dismissed"; readonly day: number }> = []
        let day = -1
        for (const p of plan) {
          while (day < p.day) {
            day++
            yield* TestClock.setTime(START + day * DAY + 9 * 3_600_000 - 8 * 3_600_000)
            for (const a of appeals.filter((x) => x.day === day - 1)) {
              yield* PetCredit.decideAppeal(mediator, { communityId: c, reportId: a.id, outcome: a.outcome, note: "" })
              commands++
            }
            yield* PetCredit.runDailyChecks(scheduler, { communityId: c })
            commands++
          }
          yield* TestClock.setTime(Math.max(p.at, START + day * DAY))
          if (p.t === "patrol") {
            yield* PetCredit.grantReward(clerk, { communityId: c, dogId: ids[p.dog]!, kind: "patrol" })
            commands++
            continue
          }
          const r = yield* PetCredit.reportViolation(p.dog % 5 === 0 ? camera : reporter(p.dog), {
            communityId: c, dogId: ids[p.dog]!, kind: p.kind, evidence: ["photo.jpg"], place: "east gate", occurredAt: p.at
          })
          commands++
          if (p.duplicate || p.fate === "expire") continue
          yield* PetCredit.verifyReport(verifier, { communityId: c, reportId: r.id, decision: p.fate })
          commands++
          if (p.appeal !== "none") {
            yield* PetCredit.appeal(clerk, { communityId: c, reportId: r.id, reason: "appeal" })
            appeals.push({ id: r.id, outcome: p.appeal, day: p.day })
            commands++
          }
        }
        const store = yield* PetCredit.PetCreditStore
        const dogs = yield* store.dogs.list({ communityId: c })
        const f = figures(PetCredit.seedScheme, dogs.map((d) => d.score))
        const pureScores = evaluate(PetCredit.seedScheme, plan).dogs.map((d) => d.score)
        const byId = new Map(dogs.map((d) => [d.id as string, d.score]))
        const agree = ids.filter((id, i) => byId.get(id) === pureScores[i]).length
        console.log(`  commands: mean score ${f.mean}; suspended ${f.suspended}, training ${f.training}; scores equal to the pure evaluation: ${agree} of ${DOGS}`)
        return commands
      }).pipe(Effect.provide(TestContext.TestContext))
    )
  )
  report(byCommand)
  ratio("pure events per second / commands per second", pure, byCommand)
  await runtime.dispose()
}
