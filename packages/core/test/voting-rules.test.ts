import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Schema } from "effect"
import { Voting } from "../src/index.js"

const R = Voting

/** A small electorate: [heads, areaDm2, weight, affected][] with choices. */
const units = (rows: ReadonlyArray<readonly [number, "yes" | "no" | "abstain" | undefined, boolean?]>): Array<Voting.UnitVote> =>
  rows.map(([areaDm2, choice, affected]) => ({ heads: 1, areaDm2, weight: 1, affected: affected ?? false, choice }))

describe("exact thresholds", () => {
  it("at-least includes the threshold, more-than does not (Art. 1259)", () => {
    expect(R.meetsThreshold(2, 3, { num: 2, den: 3 }, "at-least")).toBe(true)
    expect(R.meetsThreshold(2, 3, { num: 2, den: 3 }, "more-than")).toBe(false)
    expect(R.meetsThreshold(1, 2, { num: 1, den: 2 }, "more-than")).toBe(false)
    expect(R.meetsThreshold(501, 1000, { num: 1, den: 2 }, "more-than")).toBe(true)
    expect(R.meetsThreshold(0, 0, { num: 0, den: 1 }, "at-least")).toBe(false)
  })

  it("compares exactly beyond 2^53 (bigint path)", () => {
    const a = 3002399751580330
    const b = 3 * a - 1 // a / b is just above 1/3
    // a*6 and 2*b are above 2^53: the comparison takes the bigint path
    expect(a * 6 > Number.MAX_SAFE_INTEGER).toBe(true)
    expect(R.compareFractions(a, b, 2, 6)).toBe(1)
    expect(R.compareFractions(a, 3 * a, 2, 6)).toBe(0)
    expect(R.compareFractions(2, 6, a, b)).toBe(-1)
    expect(R.meetsThreshold(a, b, { num: 2, den: 6 }, "more-than")).toBe(true)
  })

  it("agrees with bigint arithmetic for random fractions", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 1, max: 1000 }),
      (a, b, c, d) => {
        const l = BigInt(a) * BigInt(d)
        const r = BigInt(c) * BigInt(b)
        expect(R.compareFractions(a, b, c, d)).toBe(l < r ? -1 : l > r ? 1 : 0)
      }
    ))
  })

  it("formats percentages with integers", () => {
    expect(R.formatPercent(2, 3)).toBe("66.67%")
    expect(R.formatPercent(1, 8)).toBe("12.50%")
    expect(R.formatPercent(0, 5)).toBe("0.00%")
    expect(R.formatPercent(1, 0)).toBe("—")
  })
})

describe("Civil Code Art. 278 presets", () => {
  it("special: exactly 3/4 of participating area and owners passes; just below fails", () => {
    // 4 equal units, all vote, 3 yes: 3/4 of both
    const t = R.tallyUnits(units([[100, "yes"], [100, "yes"], [100, "yes"], [100, "no"]]))
    expect(R.decide(R.civilCode278.special, t).outcome).toBe("passed")
    // area 299/400 < 3/4, headcount 3/4: fails on area
    const t2 = R.tallyUnits(units([[100, "yes"], [100, "yes"], [99, "yes"], [101, "no"]]))
    const d2 = R.decide(R.civilCode278.special, t2)
    expect(d2.outcome).toBe("rejected")
    const area = d2.actual.criteria.find((c) => c.kind === "approval" && c.measure === "area")!
    expect([area.numerator, area.denominator, area.passed]).toEqual([299, 400, false])
  })

  it("ordinary: exactly half is not more than half", () => {
    const t = R.tallyUnits(units([[100, "yes"], [100, "no"], [100, undefined]]))
    // participation 2/3 of both: exactly meets "2/3 以上"
    const d = R.decide(R.civilCode278.ordinary, t)
    expect(d.actual.criteria.filter((c) => c.kind === "quorum").every((c) => c.passed)).toBe(true)
    expect(d.outcome).toBe("rejected")
  })

  it("participation below 2/3 is failed-quorum, not rejection, even when everyone voting agrees", () => {
    const t = R.tallyUnits(units([[100, "yes"], [100, "yes"], [100, undefined], [100, undefined]]))
    const d = R.decide(R.civilCode278.special, t)
    expect(d.outcome).toBe("failed-quorum")
    expect(d.notice.en).toContain("FAILED QUORUM")
    expect(d.notice["zh-CN"]).toContain("不视为否决")
  })

  it("explains every criterion with numerator, denominator, threshold and verdict in zh-CN and en", () => {
    const t = R.tallyUnits(units([[7600, "yes"], [10100, "no"], [11100, "yes"]]))
    const d = R.decide(R.civilCode278.ordinary, t)
    expect(d.actual.criteria).toHaveLength(4)
    for (const c of d.actual.criteria) {
      expect(c.text.en).toMatch(c.passed ? /: met$/ : /: not met$/)
      expect(c.text["zh-CN"]).toMatch(c.passed ? /：达到$/ : /：未达到$/)
    }
    const areaYes = d.actual.criteria.find((c) => c.kind === "approval" && c.measure === "area")!
    expect(areaYes).toMatchObject({ numerator: 18700, denominator: 28800, comparison: "more-than", threshold: { num: 1, den: 2 } })
    expect(areaYes.text["zh-CN"]).toContain("187.00㎡")
    expect(areaYes.text["zh-CN"]).toContain("超过1/2（不含本数）")
    expect(d.notice.en.split("\n")).toHaveLength(2 + 1 + 4)
  })

  it("elevatorRetrofit requires every affected owner's consent", () => {
    const rows = [[100, "yes"], [100, "yes"], [100, "yes"], [100, "yes"], [100, "no", true]] as const
    const d = R.decide(R.elevatorRetrofit, R.tallyUnits(units(rows)))
    // 4/5 >= 3/4 on both measures, but the affected owner says no
    expect(d.actual.criteria.filter((c) => c.kind === "approval").every((c) => c.passed)).toBe(true)
    expect(d.outcome).toBe("rejected")
    const consent = d.actual.criteria.find((c) => c.kind === "consent")!
    expect([consent.numerator, consent.denominator, consent.passed]).toEqual([0, 1, false])
    expect(R.decide(R.civilCode278.special, R.tallyUnits(units(rows))).outcome).toBe("passed")
  })

  it("rules are plain JSON: they survive a JSON round trip and decode with the schema", () => {
    for (const rule of [R.civilCode278.ordinary, R.civilCode278.special, R.elevatorRetrofit, R.withDeemedConsent(R.civilCode278.special)]) {
      const json = JSON.parse(JSON.stringify(rule))
      expect(json).toEqual(rule)
      expect(Schema.decodeUnknownSync(R.DecisionRuleSchema)(json)).toEqual(rule)
    }
  })

  it("allOf composes criteria; ruleProblems finds malformed thresholds", () => {
    const both = R.allOf("x", R.civilCode278.ordinary, { ...R.civilCode278.special, quorum: [] })
    expect(both.approval).toHaveLength(4)
    expect(both.quorum).toHaveLength(2)
    expect(R.ruleProblems(both)).toEqual([])
    expect(R.ruleProblems({ ...both, approval: [{ measure: "area", base: "cast", threshold: { num: 3, den: 2 }, comparison: "at-least" }] }))
      .toHaveLength(1)
  })
})

describe("abstention semantics", () => {
  const rows = units([[100, "yes"], [100, "yes"], [100, "abstain"], [100, "no"]])
  const approvalOn = (base: Voting.Base): Voting.DecisionRule => ({
    id: `on-${base}`,
    quorum: [],
    approval: [{ measure: "headcount", base, threshold: { num: 1, den: 2 }, comparison: "more-than" }],
    abstentionsParticipate: true,
    affectedMustConsent: false
  })
  it("against participating an abstention acts as no; against cast it is left out", () => {
    const t = R.tallyUnits(rows)
    expect(R.decide(approvalOn("participating"), t).outcome).toBe("rejected") // 2 of 4
    expect(R.decide(approvalOn("cast"), t).outcome).toBe("passed") // 2 of 3
    expect(R.decide(approvalOn("eligible"), t).outcome).toBe("rejected")
  })
  it("abstentions can be excluded from participation", () => {
    const t = R.tallyUnits(units([[100, "yes"], [100, "abstain"], [100, "abstain"]]))
    const rule = { ...R.civilCode278.ordinary, abstentionsParticipate: false }
    expect(R.decide(rule, t).outcome).toBe("failed-quorum")
    expect(R.decide(R.civilCode278.ordinary, t).outcome).toBe("rejected")
  })
})

describe("deemed consent (非表决者视为同意多数意见)", () => {
  it("is reported both with and without the deemed votes", () => {
    // 6 of 10 vote (below 2/3); 5 yes 1 no: majority yes
    const rows = units([
      [100, "yes"], [100, "yes"], [100, "yes"], [100, "yes"], [100, "yes"], [100, "no"],
      [100, undefined], [100, undefined], [100, undefined], [100, undefined]
    ])
    const t = R.tallyUnits(rows)
    const rule = R.withDeemedConsent(R.civilCode278.special)
    const d = R.decide(rule, t)
    expect(d.actual.outcome).toBe("failed-quorum")
    expect(d.deemed!.side).toBe("yes")
    expect(d.deemed!.deemedUnits.headcount).toBe(4)
    expect(d.deemed!.evaluation.outcome).toBe("passed") // 9 of 10
    expect(d.outcome).toBe("passed")
    expect(d.notice.en).toContain("Count without deemed votes: FAILED QUORUM")
    expect(d.notice.en).toContain("deemed to follow the majority (majority: yes): PASSED")
    expect(d.notice["zh-CN"]).toContain("视为同意多数意见")
  })
  it("deems nothing on a tie, and follows a 'no' majority", () => {
    const tie = R.decide(R.withDeemedConsent(R.civilCode278.ordinary), R.tallyUnits(units([[100, "yes"], [100, "no"], [100, undefined]])))
    expect(tie.deemed!.side).toBeUndefined()
    expect(tie.deemed!.deemedUnits.headcount).toBe(0)
    const no = R.decide(R.withDeemedConsent(R.civilCode278.ordinary), R.tallyUnits(units([[100, "yes"], [100, "no"], [100, "no"], [100, undefined]])))
    expect(no.deemed!.side).toBe("no")
    expect(no.deemed!.evaluation.yes.headcount).toBe(1)
    expect(no.outcome).toBe("rejected")
  })
})

describe("tallies", () => {
  const row = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 5 }), fc.boolean())
  it("are identical under any ballot order (property)", () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 60 }), fc.integer(), (rows, seed) => {
      const shuffled = [...rows]
      let s = seed
      for (let i = shuffled.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) & 0x7fffffff
        const j = s % (i + 1)
        ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
      }
      const toUnits = (rs: typeof rows) =>
        rs.map(([c, area, weight, aff]) => ({ heads: 1, areaDm2: area, weight, affected: aff, choice: ([undefined, "yes", "no", "abstain"] as const)[c] }))
      const a = R.tallyUnits(toUnits(rows))
      const b = R.tallyUnits(toUnits(shuffled))
      expect(b).toEqual(a)
      for (const rule of [R.civilCode278.ordinary, R.civilCode278.special, R.elevatorRetrofit, R.withDeemedConsent(R.civilCode278.special, "area")]) {
        expect(R.decide(rule, b)).toEqual(R.decide(rule, a))
      }
    }))
  })

  it("tallyYesNo over arrays matches a hand count", () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 100 }), (rows) => {
      const t = R.tallyYesNo(
        { heads: rows.map(() => 1), area: rows.map((r) => r[1]), weight: rows.map((r) => r[2]), affected: rows.map((r) => (r[3] ? 1 : 0)) },
        rows.map((r) => r[0])
      )
      const sum = (code: number) => rows.filter((r) => r[0] === code).reduce((s, r) => s + r[1], 0)
      expect(t.yes.area).toBe(sum(1))
      expect(t.no.area).toBe(sum(2))
      expect(t.abstain.area).toBe(sum(3))
      expect(t.eligible.headcount).toBe(rows.length)
      expect(t.affected.yes).toBe(rows.filter((r) => r[3] && r[0] === 1).length)
    }))
  })

  it("counts single, multiple, approval and score ballots and reports ties", () => {
    const single = { type: "single", options: ["a", "b", "c"] } as const
    const r = R.countOptions(single, [
      { choice: { type: "single", option: "a" }, weight: 1 },
      { choice: { type: "single", option: "b" }, weight: 1 },
      { choice: { type: "single", option: "c" }, weight: 1 }
    ])
    expect(r.tie).toBe(true)
    expect(r.leaders).toEqual(["a", "b", "c"])
    const score = R.countOptions({ type: "score", options: ["x", "y"], min: 0, max: 5 }, [
      { choice: { type: "score", scores: [{ option: "x", score: 5 }, { option: "y", score: 1 }] }, weight: 2 },
      { choice: { type: "score", scores: [{ option: "x", score: 0 }, { option: "y", score: 5 }] }, weight: 1 }
    ])
    expect(score.counts).toEqual({ x: 10, y: 7 })
    expect(score.leaders).toEqual(["x"])
    const approval = R.countOptions({ type: "approval", options: ["p", "q"] }, [
      { choice: { type: "approval", options: ["p", "q"] }, weight: 1 },
      { choice: { type: "approval", options: ["q"] }, weight: 1 }
    ])
    expect(approval.counts).toEqual({ p: 1, q: 2 })
  })

  it("validates choices against their ballot", () => {
    const multiple = { type: "multiple", options: ["a", "b", "c"], min: 1, max: 2 } as const
    expect(R.validateChoice(multiple, { type: "multiple", options: ["a"] })).toBeUndefined()
    expect(R.validateChoice(multiple, { type: "multiple", options: [] })?.rule).toBe("too-few")
    expect(R.validateChoice(multiple, { type: "multiple", options: ["a", "b", "c"] })?.rule).toBe("too-many")
    expect(R.validateChoice(multiple, { type: "multiple", options: ["a", "a"] })?.rule).toBe("duplicate-option")
    expect(R.validateChoice(multiple, { type: "multiple", options: ["z"] })?.rule).toBe("unknown-option")
    expect(R.validateChoice(multiple, { type: "single", option: "a" })?.rule).toBe("type")
    const score = { type: "score", options: ["a", "b"], min: 1, max: 5 } as const
    expect(R.validateChoice(score, { type: "score", scores: [{ option: "a", score: 6 }, { option: "b", score: 1 }] })?.rule).toBe("score-range")
    expect(R.validateChoice(score, { type: "score", scores: [{ option: "a", score: 2 }] })?.rule).toBe("missing-score")
    expect(R.validateChoice({ type: "ranked", options: ["a", "b"], method: "irv", seats: 1 }, { type: "ranked", ranking: [] })?.rule).toBe("too-few")
  })
})

describe("ranked choice", () => {
  // Wikipedia, "Instant-runoff voting": the Tennessee capital example. Knoxville wins.
  const tennessee: Array<Voting.RankedBallot> = [
    { ranking: ["Memphis", "Nashville", "Chattanooga", "Knoxville"], weight: 42 },
    { ranking: ["Nashville", "Chattanooga", "Knoxville", "Memphis"], weight: 26 },
    { ranking: ["Chattanooga", "Knoxville", "Nashville", "Memphis"], weight: 15 },
    { ranking: ["Knoxville", "Chattanooga", "Nashville", "Memphis"], weight: 17 }
  ]
  const cities = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]

  it("IRV: the Tennessee example elects Knoxville after eliminating Chattanooga then Nashville", () => {
    const r = R.instantRunoff(cities, tennessee)
    expect(r.winner).toBe("Knoxville")
    expect(r.rounds.map((x) => x.eliminated)).toEqual(["Chattanooga", "Nashville", undefined])
    expect(r.rounds[0]!.counts).toEqual({ Memphis: 42, Nashville: 26, Chattanooga: 15, Knoxville: 17 })
    expect(r.rounds[1]!.counts).toEqual({ Memphis: 42, Nashville: 26, Knoxville: 32 })
    expect(r.rounds[2]!.counts).toEqual({ Memphis: 42, Knoxville: 58 })
  })

  it("IRV: an unbreakable tie is reported, or broken by a published lot", () => {
    const ballots = [
      { ranking: ["a"], weight: 2 },
      { ranking: ["b"], weight: 1 },
      { ranking: ["c"], weight: 1 }
    ]
    const r = R.instantRunoff(["a", "b", "c"], ballots)
    expect(r.winner).toBeUndefined()
    expect(r.tie).toEqual(["b", "c"])
    const lot = R.instantRunoff(["a", "b", "c"], ballots, ["b", "c", "a"])
    expect(lot.rounds[0]!.eliminated).toBe("c")
    expect(lot.rounds[0]!.tieBrokenBy).toBe("lot")
    const allTied = R.instantRunoff(["a", "b"], [{ ranking: ["a"], weight: 1 }, { ranking: ["b"], weight: 1 }])
    expect(allTied.tie).toEqual(["a", "b"])
  })

  // Wikipedia, "Single transferable vote": the food example, 20 voters, 3 seats, Droop quota 6.
  const food: Array<Voting.RankedBallot> = [
    { ranking: ["Oranges"], weight: 4 },
    { ranking: ["Pears", "Oranges"], weight: 2 },
    { ranking: ["Chocolate", "Strawberries"], weight: 8 },
    { ranking: ["Chocolate", "Hamburgers"], weight: 4 },
    { ranking: ["Strawberries"], weight: 1 },
    { ranking: ["Hamburgers"], weight: 1 }
  ]
  const foods = ["Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"]

  it("STV: the Wikipedia food example elects Chocolate, Oranges and Strawberries", () => {
    const r = R.singleTransferableVote(foods, food, 3)
    expect(r.quota).toBe(6)
    expect(r.elected).toEqual(["Chocolate", "Oranges", "Strawberries"])
    expect(r.tie).toBeUndefined()
    // first count, then the Chocolate surplus of 6 goes 4 to Strawberries and 2 to Hamburgers
    expect(r.rounds[0]).toMatchObject({ surplusOf: "Chocolate", counts: { Oranges: "4", Pears: "2", Chocolate: "12", Strawberries: "1", Hamburgers: "1" } })
    expect(r.rounds[1]).toMatchObject({ eliminated: "Pears", counts: { Strawberries: "5", Hamburgers: "3", Chocolate: "6" } })
    expect(r.rounds[2]!.elected).toEqual(["Oranges"])
  })

  it("STV results do not depend on ballot order (property)", () => {
    fc.assert(fc.property(fc.shuffledSubarray(food, { minLength: food.length, maxLength: food.length }), (shuffled) => {
      expect(R.singleTransferableVote(foods, shuffled, 3).elected).toEqual(["Chocolate", "Oranges", "Strawberries"])
      expect(R.instantRunoff(cities, [...tennessee].reverse()).winner).toBe("Knoxville")
    }))
  })

  it("STV with one seat agrees with IRV on the Tennessee example", () => {
    expect(R.singleTransferableVote(cities, tennessee, 1).elected).toEqual(["Knoxville"])
  })

  it("STV reports a tie for elimination it cannot break", () => {
    const r = R.singleTransferableVote(["a", "b", "c", "d"], [
      { ranking: ["a"], weight: 5 },
      { ranking: ["b"], weight: 1 },
      { ranking: ["c"], weight: 1 },
      { ranking: ["d"], weight: 5 }
    ], 2)
    // quota 5: a and d elected at once
    expect(r.elected).toEqual(["a", "d"])
    const tied = R.singleTransferableVote(["a", "b", "c"], [
      { ranking: ["a"], weight: 4 },
      { ranking: ["b"], weight: 1 },
      { ranking: ["c"], weight: 1 }
    ], 2)
    expect(tied.elected).toEqual(["a"])
    expect(tied.tie).toEqual(["b", "c"])
  })
})

describe("electorate", () => {
  const hs = [
    { id: "h-2", floor: 2, exclusiveAreaDm2: 5000, ownerIds: ["r-1"] },
    { id: "h-1", floor: 1, exclusiveAreaDm2: 7000, ownerIds: ["r-1"] },
    { id: "h-3", floor: 3, exclusiveAreaDm2: 8000, ownerIds: ["r-2", "r-3"] },
    { id: "h-4", floor: 4, exclusiveAreaDm2: 9000, ownerIds: [] }
  ]
  it("per-part: one voting unit per owned household; unowned ones left out", () => {
    const u = R.buildVotingUnits(hs, { ownerPolicy: "per-part", affected: ["h-3"] })
    expect(u.map((x) => x.id)).toEqual(["h-1", "h-2", "h-3"])
    expect(u.find((x) => x.id === "h-3")!.affected).toBe(true)
    expect(u.reduce((s, x) => s + x.heads, 0)).toBe(3)
  })
  it("per-owner: an owner of several parts counts once with the summed area", () => {
    const u = R.buildVotingUnits(hs, { ownerPolicy: "per-owner" })
    expect(u.map((x) => [x.id, x.householdIds, x.heads, x.areaDm2])).toEqual([
      ["h-1", ["h-1", "h-2"], 1, 12000],
      ["h-3", ["h-3"], 1, 8000]
    ])
  })
  it("vote-change policy decisions", () => {
    expect(R.castDecision(undefined, { byProxy: false, channel: "online" }, "no-change")).toBe("new")
    expect(R.castDecision({ byProxy: true }, { byProxy: false, channel: "online" }, "no-change")).toBe("replace")
    expect(R.castDecision({ byProxy: false }, { byProxy: true, channel: "online" }, "last-counts")).toBe("proxy-after-owner")
    expect(R.castDecision({ byProxy: false }, { byProxy: false, channel: "online" }, "last-counts")).toBe("replace")
    expect(R.castDecision({ byProxy: false }, { byProxy: false, channel: "online" }, "no-change")).toBe("already-voted")
    expect(R.castDecision({ byProxy: false }, { byProxy: false, channel: "online" }, "paper-overrides")).toBe("already-voted")
    expect(R.castDecision({ byProxy: false }, { byProxy: false, channel: "paper" }, "paper-overrides")).toBe("replace")
  })
})

describe("cost sharing and compensation", () => {
  const households = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6].map((floor, i) => ({ id: `h${i}`, floor, exclusiveAreaDm2: 6000 + i * 700 }))
  const base = {
    totalCostFen: 60_000_000,
    subsidyShare: { num: 40, den: 100 },
    households,
    floorWeights: R.defaultFloorWeights(6),
    byArea: false,
    compensation: R.defaultCompensation
  }
  it("the seed's plan: 40% subsidy, low floors compensated, upper floors pay, every fen accounted for", () => {
    const plan = R.planCostSharing({ ...base, lumpSumFen: { "1": 4_000_000, "2": 1_500_000 } })
    if ("problem" in plan) throw new Error(plan.problem)
    expect(plan.subsidyFen).toBe(24_000_000)
    expect(plan.sharedCostFen).toBe(36_000_000)
    expect(plan.compensationTotalFen).toBe(2 * 4_000_000 + 2 * 1_500_000)
    const low = plan.lines.filter((l) => l.floor <= 2)
    expect(low.every((l) => l.payFen === 0)).toBe(true)
    expect(low.map((l) => l.feeWaiverYears)).toEqual([10, 10, 5, 5])
    const pay = plan.lines.reduce((s, l) => s + l.payFen, 0)
    expect(plan.subsidyFen + pay).toBe(plan.totalCostFen + plan.compensationTotalFen)
    const f6 = plan.lines.find((l) => l.floor === 6)!.payFen
    const f3 = plan.lines.find((l) => l.floor === 3)!.payFen
    expect(f6).toBeGreaterThan(f3)
  })
  it("refuses a lump sum outside the ladder", () => {
    expect(R.planCostSharing({ ...base, lumpSumFen: { "1": 6_000_000 } })).toHaveProperty("problem")
  })
  it("always balances exactly (property)", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 10_000_000_000 }),
      fc.integer({ min: 0, max: 100 }),
      fc.boolean(),
      (total, pct, byArea) => {
        const plan = R.planCostSharing({ ...base, totalCostFen: total, subsidyShare: { num: pct, den: 100 }, byArea })
        if ("problem" in plan) throw new Error(plan.problem)
        const pay = plan.lines.reduce((s, l) => s + l.payFen, 0)
        expect(plan.subsidyFen + pay).toBe(total + plan.compensationTotalFen)
        expect(plan.lines.every((l) => Number.isInteger(l.payFen) && l.payFen >= 0)).toBe(true)
      }
    ))
  })
})
