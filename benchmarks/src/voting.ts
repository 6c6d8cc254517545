import { CommunityId, Gongzhi, ResidentActor, ResidentId, Role, StaffActor, StaffId, Voting } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, ManagedRuntime } from "effect"
import { measure, ratio, report, section } from "./harness.js"

/** A hand-written single loop over the same arrays: Art. 278 special, area and headcount. */
const handLoop = (area: Float64Array, choices: Uint8Array): boolean => {
  let eligH = 0, eligA = 0, partH = 0, partA = 0, yesH = 0, yesA = 0
  for (let i = 0; i < choices.length; i++) {
    const a = area[i]!
    const c = choices[i]!
    eligH++
    eligA += a
    if (c !== 0) {
      partH++
      partA += a
      if (c === 1) {
        yesH++
        yesA += a
      }
    }
  }
  return partA * 3 >= eligA * 2 && partH * 3 >= eligH * 2 && yesA * 4 >= partA * 3 && yesH * 4 >= partH * 3
}

export const votingBench = async (): Promise<void> => {
  section("voting: tally 1,000,000 ballots under civilCode278.special with area weights")
  const N = 1_000_000
  const heads = new Float64Array(N).fill(1)
  const weight = new Float64Array(N).fill(1)
  const area = new Float64Array(N)
  const choices = new Uint8Array(N)
  let s = 42
  for (let i = 0; i < N; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    area[i] = 5000 + (s % 9000)
    choices[i] = s % 10 < 1 ? 0 : s % 10 < 8 ? 1 : s % 10 < 9 ? 2 : 3
  }
  const electorate = { area } // one owner and weight 1 per unit
  const full = { heads, area, weight }
  const reps = 20
  let sink = 0
  // warm-up
  for (let r = 0; r < 5; r++) {
    sink += Voting.decide(Voting.civilCode278.special, Voting.tallyYesNo(electorate, choices)).outcome.length
    sink += handLoop(area, choices) ? 1 : 0
  }
  const lib = await measure("rules.tallyYesNo + decide (ballots)", () => {
    for (let r = 0; r < reps; r++) sink += Voting.decide(Voting.civilCode278.special, Voting.tallyYesNo(electorate, choices)).outcome.length
    return reps * N
  })
  const withArrays = await measure("rules.tallyYesNo with explicit heads/weight arrays", () => {
    for (let r = 0; r < reps; r++) sink += Voting.decide(Voting.civilCode278.special, Voting.tallyYesNo(full, choices)).outcome.length
    return reps * N
  })
  const hand = await measure("hand-written single loop (ballots)", () => {
    for (let r = 0; r < reps; r++) sink += handLoop(area, choices) ? 1 : 0
    return reps * N
  })
  report(lib)
  report(withArrays)
  report(hand)
  ratio("library time / hand loop time (same arrays)", hand, lib)
  const d = Voting.decide(Voting.civilCode278.special, Voting.tallyYesNo(electorate, choices))
  console.log(`  outcome ${d.outcome}; hand loop says ${handLoop(area, choices) ? "passed" : "not passed"} (sink ${sink})`)

  section("voting: castBallot command on the memory store")
  const community = generateCommunity({ seed: 1, communityId: "bench-vote", buildings: 20, floors: 6, unitsPerBuilding: 2, householdsPerFloor: 4 })
  const c = CommunityId.make("bench-vote")
  const runtime = ManagedRuntime.make(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] })))
  const staff = new StaffActor({ communityId: c, staffId: StaffId.make("s-committee-1"), roles: [Role.make("committee")], departments: [] })
  const owners = community.households.map((h) => h.ownerIds[0]!)
  for (const secret of [false, true]) {
    const p = await runtime.runPromise(Effect.gen(function* () {
      const p = yield* Voting.createProposal(staff, { communityId: c, title: "bench", body: "", rule: "civil-code-278-special", secret })
      yield* Voting.scheduleProposal(staff, { communityId: c, proposalId: p.id })
      return yield* Voting.openProposal(staff, { communityId: c, proposalId: p.id })
    }))
    report(await measure(`castBallot (${secret ? "secret" : "open"}, ${owners.length} voting units, full command)`, () =>
      runtime.runPromise(Effect.gen(function* () {
        for (const o of owners) {
          yield* Voting.castBallot(new ResidentActor({ communityId: c, residentId: ResidentId.make(o) }), {
            communityId: c, proposalId: p.id, residentId: o, channel: "online", choice: { type: "yes-no", value: "yes" }
          })
        }
        return owners.length
      }))))
    report(await measure(`closeProposal (${secret ? "secret" : "open"}, count and decide)`, () =>
      runtime.runPromise(Effect.map(Voting.closeProposal(staff, { communityId: c, proposalId: p.id }), () => 1))))
  }
  await runtime.dispose()
}
