import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  type Actor,
  CommunityId,
  decodeEntry,
  Gongzhi,
  readJournal,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  SystemActor,
  Voting
} from "../src/index.js"
import { snapshot } from "./support.js"

const community = generateCommunity({ seed: 278, communityId: "c-delib", buildings: 1 })
const C = CommunityId.make("c-delib")
const base = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))
const withConfig = (config: Partial<Voting.VotingConfigShape>) =>
  Layer.merge(base, Layer.succeed(Voting.VotingConfig, { ...Voting.defaultVotingConfig, ...config }))
const unitId = "b-1-u-1"
const unitHouseholds = community.households.filter((h) => h.unitId === unitId)
const ownerOn = (floor: number, i = 0) => unitHouseholds.filter((h) => h.floor === floor)[i]!.ownerIds[0]!
const DAY = 24 * 60 * 60 * 1000

const staff = (id: string, role: string): Actor =>
  new StaffActor({ communityId: C, staffId: StaffId.make(id), roles: [Role.make(role)], departments: [] })
const committee = staff("s-committee-1", "committee")
const mediator = staff("s-mediator", "mediator")
const system = new SystemActor({ communityId: C, process: "scheduler" })
const resident = (id: string) => new ResidentActor({ communityId: C, residentId: ResidentId.make(id) })
const yes = { type: "yes-no", value: "yes" } as const
const no = { type: "yes-no", value: "no" } as const

const events = Effect.map(readJournal(C), (es) => es.flatMap((e) => Option.toArray(decodeEntry(Voting.VotingEvent)(e))))
const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))

const draft = (extra: Record<string, unknown> = {}) =>
  Voting.createProposal(committee, {
    communityId: C,
    title: "1号楼1单元加装电梯",
    body: "v1",
    rule: "elevator-retrofit",
    scope: { type: "units", unitIds: [unitId] },
    ...extra
  })

const rounds = (proposalId: string, n: number) =>
  Effect.forEach(Array.from({ length: n }, (_, i) => i + 1), (i) =>
    Voting.recordNegotiationRound(mediator, { communityId: C, proposalId, heldAt: 0, participants: ["居委会", `业主代表${i}`], summary: `第${i}次协商会纪要` }))

const openVote = (extra: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const p = yield* draft({ requiredRounds: 0, ...extra })
    yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id })
    return yield* Voting.openProposal(committee, { communityId: C, proposalId: p.id })
  })

const vote = (proposalId: string, residentId: string, choice: Voting.ChoiceValue) =>
  Voting.castBallot(resident(residentId), { communityId: C, proposalId, residentId, channel: "online", choice })

describe("voting deliberation: threads and moderation", () => {
  it.effect("posts and replies; a hidden post stays in the store and the journal and shows as hidden with the reason", () =>
    Effect.gen(function* () {
      const p = yield* draft()
      const a = ownerOn(1)
      const b = ownerOn(6)
      const first = yield* Voting.postToThread(resident(a), { communityId: C, proposalId: p.id, authorId: a, body: "一楼采光会受影响" })
      yield* TestClock.adjust(1000)
      const reply = yield* Voting.postToThread(resident(b), { communityId: C, proposalId: p.id, authorId: b, replyTo: first.id, body: "可以用玻璃井道" })
      // Posts list by time, then id (ids are random): a later post comes later.
      yield* TestClock.adjust(1000)
      yield* Voting.postToThread(committee, { communityId: C, proposalId: p.id, body: "下周召开协商会" })
      // a resident posts only as themselves; a reply needs a post of this proposal
      expect(yield* Effect.flip(Voting.postToThread(resident(a), { communityId: C, proposalId: p.id, authorId: b, body: "x" })))
        .toMatchObject({ _tag: "Forbidden", reason: "not-self" })
      expect(yield* Effect.flip(Voting.postToThread(resident(a), { communityId: C, proposalId: p.id, authorId: a, replyTo: "post-none", body: "x" })))
        .toMatchObject({ _tag: "NotFound" })
      // only moderators hide
      expect(yield* Effect.flip(Voting.hidePost(resident(a), { communityId: C, proposalId: p.id, postId: reply.id, reason: "x" })))
        .toMatchObject({ _tag: "Forbidden" })
      yield* Voting.hidePost(mediator, { communityId: C, proposalId: p.id, postId: reply.id, reason: "含他人电话号码" })
      expect(yield* Effect.flip(Voting.hidePost(committee, { communityId: C, proposalId: p.id, postId: reply.id, reason: "again" })))
        .toMatchObject({ _tag: "Conflict" })

      const view = yield* Voting.thread(resident(a), C, p.id)
      expect(view.map((x) => x.id)).toEqual([first.id, reply.id, view[2]!.id])
      expect(view[0]).toMatchObject({ hidden: false, body: "一楼采光会受影响", author: `resident:${a}` })
      expect(view[1]).toEqual({ id: reply.id, replyTo: first.id, author: `resident:${b}`, postedAt: 1000, hidden: true, hiddenReason: "含他人电话号码" })
      const stored = yield* Effect.flatMap(Voting.VotingStore, (s) => s.getPost(C, p.id, reply.id))
      expect(Option.getOrThrow(stored)).toMatchObject({ body: "可以用玻璃井道", hidden: true, hiddenBy: "staff:s-mediator" })
      const evs = yield* events
      expect(evs.filter((e) => e._tag === "VotingPostAdded").map((e) => e._tag === "VotingPostAdded" && e.body)).toContain("可以用玻璃井道")
      expect(evs.find((e) => e._tag === "VotingPostHidden")).toMatchObject({ postId: reply.id, reason: "含他人电话号码", by: "staff:s-mediator" })
    }).pipe(Effect.provide(base)))
})

describe("voting deliberation: amendments", () => {
  it.effect("accepted amendments change the text; rejected ones do not; decided once; not after voting opens", () =>
    Effect.gen(function* () {
      const p = yield* draft({ requiredRounds: 0 })
      const a = ownerOn(2)
      const am1 = yield* Voting.proposeAmendment(resident(a), { communityId: C, proposalId: p.id, residentId: a, title: "加装电梯（含低层补偿）", body: "v2", rationale: "写明补偿" })
      yield* TestClock.adjust(1)
      const am2 = yield* Voting.proposeAmendment(committee, { communityId: C, proposalId: p.id, body: "v3", rationale: "other" })
      const accepted = yield* Voting.decideAmendment(committee, { communityId: C, proposalId: p.id, amendmentId: am1.id, accept: true, reason: "同意" })
      expect(accepted.proposal).toMatchObject({ title: "加装电梯（含低层补偿）", body: "v2", version: 2 })
      const rejected = yield* Voting.decideAmendment(committee, { communityId: C, proposalId: p.id, amendmentId: am2.id, accept: false })
      expect(rejected.proposal.body).toBe("v2")
      expect(rejected.amendment).toMatchObject({ status: "rejected", decidedBy: "staff:s-committee-1" })
      expect(yield* Effect.flip(Voting.decideAmendment(committee, { communityId: C, proposalId: p.id, amendmentId: am2.id, accept: true })))
        .toMatchObject({ _tag: "Conflict" })
      expect(yield* Effect.flip(Voting.decideAmendment(resident(a), { communityId: C, proposalId: p.id, amendmentId: am2.id, accept: true })))
        .toMatchObject({ _tag: "Forbidden" })
      yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id })
      yield* Voting.openProposal(committee, { communityId: C, proposalId: p.id })
      expect(yield* Effect.flip(Voting.proposeAmendment(committee, { communityId: C, proposalId: p.id, body: "v4", rationale: "late" })))
        .toMatchObject({ _tag: "VotingProposalNotOpen" })
      const d = yield* Voting.deliberation(resident(a), C, p.id)
      expect(d.amendments.map((x) => [x.id, x.status])).toEqual([[am1.id, "accepted"], [am2.id, "rejected"]])
      const evs = yield* events
      expect(evs.filter((e) => e._tag === "VotingAmendmentDecided").map((e) => e._tag === "VotingAmendmentDecided" && e.accepted)).toEqual([true, false])
    }).pipe(Effect.provide(base)))
})

describe("voting deliberation: negotiation rounds", () => {
  it.effect("an elevator retrofit needs the seed's 3 rounds before voting opens; the error says how many are missing", () =>
    Effect.gen(function* () {
      const p = yield* draft()
      expect(p.requiredRounds).toBe(3)
      yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id })
      const before = yield* state
      const none = yield* Effect.flip(Voting.openProposal(committee, { communityId: C, proposalId: p.id }))
      expect(none).toMatchObject({ _tag: "VotingNegotiationRoundsMissing", code: "VOTING_NEGOTIATION_ROUNDS_MISSING", required: 3, held: 0, missing: 3 })
      expect(yield* state).toEqual(before)
      yield* rounds(p.id, 2)
      const one = yield* Effect.flip(Voting.openProposal(committee, { communityId: C, proposalId: p.id }))
      expect(one).toMatchObject({ missing: 1 })
      expect(one.message).toContain("1 missing")
      // minutes record the past, and only staff who run the rounds record them
      expect(yield* Effect.flip(Voting.recordNegotiationRound(committee, { communityId: C, proposalId: p.id, heldAt: 5, participants: ["x"], summary: "future" })))
        .toMatchObject({ _tag: "InvalidInput" })
      expect(yield* Effect.flip(Voting.recordNegotiationRound(resident(ownerOn(1)), { communityId: C, proposalId: p.id, heldAt: 0, participants: ["x"], summary: "s" })))
        .toMatchObject({ _tag: "Forbidden" })
      yield* rounds(p.id, 1)
      const opened = yield* Voting.openProposal(committee, { communityId: C, proposalId: p.id })
      expect(opened.status).toBe("open")
      const d = yield* Voting.deliberation(committee, C, p.id)
      expect(d.rounds.map((r) => r.number)).toEqual([1, 2, 3])
      expect(d.roundsMissing).toBe(0)
      expect(yield* Effect.flip(rounds(p.id, 1))).toMatchObject({ _tag: "VotingProposalNotOpen" })
      const evs = yield* events
      expect(evs.filter((e) => e._tag === "VotingNegotiationRoundRecorded")).toHaveLength(3)
      // other rules need none by default; the config changes that
      const q = yield* draft({ rule: "civil-code-278-special" })
      expect(q.requiredRounds).toBe(0)
    }).pipe(Effect.provide(base)))

  it.effect("the config sets the rounds per rule and for every other rule", () =>
    Effect.gen(function* () {
      const p = yield* draft({ rule: "civil-code-278-ordinary" })
      expect(p.requiredRounds).toBe(1)
      expect((yield* draft()).requiredRounds).toBe(5)
      expect((yield* draft({ requiredRounds: 0 })).requiredRounds).toBe(0)
    }).pipe(Effect.provide(withConfig({ requiredRounds: 1, requiredRoundsByRule: { "elevator-retrofit": 5 } }))))
})

describe("voting: preliminary result, objection period, final result", () => {
  const periodLayer = withConfig({ objectionPeriodMs: 3 * DAY })

  it.effect("closing gives a preliminary result; objections are resolved; the result is final after the period", () =>
    Effect.gen(function* () {
      const p = yield* openVote()
      expect(p.objectionPeriodMs).toBe(3 * DAY)
      for (const h of unitHouseholds) yield* vote(p.id, h.ownerIds[0]!, yes)
      const closed = yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      expect(closed.proposal).toMatchObject({ status: "closed", outcome: "passed", objectionEndsAt: 3 * DAY })
      let evs = yield* events
      expect(evs.find((e) => e._tag === "VotingProposalDecided")).toBeUndefined()
      expect(evs.find((e) => e._tag === "VotingPreliminaryResult")).toMatchObject({ outcome: "passed", objectionEndsAt: 3 * DAY, recount: false })
      expect((yield* Voting.verifyTally(committee, C, p.id)).ok).toBe(true)

      const a = ownerOn(1)
      const objection = yield* Voting.fileObjection(resident(a), { communityId: C, proposalId: p.id, residentId: a, reason: "我家的票没有计入" })
      expect(yield* Effect.flip(Voting.fileObjection(committee, { communityId: C, proposalId: p.id, residentId: a, reason: "x" })))
        .toMatchObject({ _tag: "Forbidden" })
      expect(yield* Effect.flip(Voting.finalizeProposal(committee, { communityId: C, proposalId: p.id })))
        .toMatchObject({ _tag: "VotingObjectionPeriod", reason: "running" })
      yield* TestClock.adjust(3 * DAY)
      expect(yield* Effect.flip(Voting.fileObjection(resident(a), { communityId: C, proposalId: p.id, residentId: a, reason: "late" })))
        .toMatchObject({ _tag: "VotingObjectionPeriod", reason: "over", code: "VOTING_OBJECTION_PERIOD" })
      const due = yield* Voting.finalizeDue(system, C)
      expect(due).toEqual({ finalized: [], skipped: [{ proposalId: p.id, reason: "VOTING_OBJECTION_PERIOD" }] })
      yield* Voting.resolveObjection(committee, { communityId: C, proposalId: p.id, objectionId: objection.id, decision: "dismissed", reason: "已核实计入" })
      expect(yield* Effect.flip(Voting.resolveObjection(committee, { communityId: C, proposalId: p.id, objectionId: objection.id, decision: "dismissed", reason: "again" })))
        .toMatchObject({ reason: "not-pending" })
      expect((yield* Voting.finalizeDue(system, C)).finalized).toEqual([p.id])
      const final = yield* Voting.getProposal(committee, C, p.id)
      expect(final).toMatchObject({ status: "decided", outcome: "passed" })
      evs = yield* events
      expect(evs.filter((e) => e._tag === "VotingProposalDecided")).toMatchObject([{ outcome: "passed" }])
      expect(evs.find((e) => e._tag === "VotingObjectionResolved")).toMatchObject({ decision: "dismissed", reason: "已核实计入" })
      expect((yield* Voting.verifyTally(committee, C, p.id)).ok).toBe(true)
    }).pipe(Effect.provide(periodLayer)))

  it.effect("an upheld objection voids the vote, or has it counted again", () =>
    Effect.gen(function* () {
      const p = yield* openVote()
      for (const h of unitHouseholds.filter((h) => h.floor >= 3)) yield* vote(p.id, h.ownerIds[0]!, yes)
      yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      const a = ownerOn(2)
      const o1 = yield* Voting.fileObjection(resident(a), { communityId: C, proposalId: p.id, residentId: a, reason: "请重新计票" })
      const o2 = yield* Voting.fileObjection(resident(a), { communityId: C, proposalId: p.id, residentId: a, reason: "通知未送达" })
      const recount = yield* Voting.resolveObjection(committee, { communityId: C, proposalId: p.id, objectionId: o1.id, decision: "upheld-recount", reason: "复核" })
      expect(recount.proposal.status).toBe("closed")
      let evs = yield* events
      expect(evs.filter((e) => e._tag === "VotingPreliminaryResult").map((e) => e._tag === "VotingPreliminaryResult" && e.recount)).toEqual([false, true])
      const voided = yield* Voting.resolveObjection(committee, { communityId: C, proposalId: p.id, objectionId: o2.id, decision: "upheld-void", reason: "通知未送达低层业主" })
      expect(voided.proposal).toMatchObject({ status: "decided", outcome: "void" })
      evs = yield* events
      const decided = evs.find((e) => e._tag === "VotingProposalDecided")
      expect(decided).toMatchObject({ outcome: "void" })
      expect(decided?._tag === "VotingProposalDecided" && decided.notice["zh-CN"]).toContain("表决无效")
      expect(yield* Effect.flip(Voting.finalizeProposal(committee, { communityId: C, proposalId: p.id }))).toMatchObject({ _tag: "VotingProposalNotOpen" })
      const v = yield* Voting.verifyTally(committee, C, p.id)
      expect(v.problems).toEqual([])
    }).pipe(Effect.provide(periodLayer)))

  it.effect("with the default objection period of 0, closing decides at once and objections are refused", () =>
    Effect.gen(function* () {
      const p = yield* openVote()
      const closed = yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      expect(closed.proposal.status).toBe("decided")
      const a = ownerOn(1)
      expect(yield* Effect.flip(Voting.fileObjection(resident(a), { communityId: C, proposalId: p.id, residentId: a, reason: "x" })))
        .toMatchObject({ _tag: "VotingProposalNotOpen" })
    }).pipe(Effect.provide(base)))
})

describe("voting: automatic extension when turnout is short", () => {
  it.effect("closeDue extends once, audited, when the participation quorum is not met; then closes", () =>
    Effect.gen(function* () {
      const p = yield* openVote()
      yield* vote(p.id, ownerOn(6), yes)
      yield* TestClock.adjust(7 * DAY)
      const first = yield* Voting.closeDue(system, C)
      expect(first).toEqual({ closed: [], extended: [p.id], skipped: [] })
      const extended = yield* Voting.getProposal(committee, C, p.id)
      expect(extended.status).toBe("open")
      expect(extended.closesAt).toBe(9 * DAY)
      expect(extended.extensions).toEqual([{ from: 7 * DAY, to: 9 * DAY, reason: expect.stringContaining("automatic"), by: "system:scheduler", automatic: true }])
      const evs = yield* events
      expect(evs.find((e) => e._tag === "VotingProposalExtended")).toMatchObject({ from: 7 * DAY, to: 9 * DAY, automatic: true, by: "system:scheduler" })
      yield* vote(p.id, ownerOn(5), yes)
      yield* TestClock.adjust(2 * DAY)
      const second = yield* Voting.closeDue(system, C)
      expect(second).toEqual({ closed: [p.id], extended: [], skipped: [] })
      expect(yield* Voting.getProposal(committee, C, p.id)).toMatchObject({ status: "decided", outcome: "failed-quorum" })
    }).pipe(Effect.provide(withConfig({ autoExtendMs: 2 * DAY }))))

  it.effect("off by default; never when the quorum is met", () =>
    Effect.gen(function* () {
      const p = yield* openVote()
      yield* TestClock.adjust(7 * DAY)
      expect((yield* Voting.closeDue(system, C)).closed).toEqual([p.id])
    }).pipe(Effect.provide(base)))

  it.effect("not when the quorum is met", () =>
    Effect.gen(function* () {
      const p = yield* openVote()
      for (const h of unitHouseholds) yield* vote(p.id, h.ownerIds[0]!, no)
      yield* TestClock.adjust(7 * DAY)
      expect(yield* Voting.closeDue(system, C)).toEqual({ closed: [p.id], extended: [], skipped: [] })
    }).pipe(Effect.provide(withConfig({ autoExtendMs: 2 * DAY }))))
})

describe("voting: cost plan on a proposal, and openDue", () => {
  it.effect("a voter's view shows what their household would pay or receive; the plan balances to the fen", () =>
    Effect.gen(function* () {
      const p = yield* draft({ requiredRounds: 0 })
      const attached = yield* Voting.attachCostPlan(committee, {
        communityId: C, proposalId: p.id, totalCostFen: 60_000_001, lumpSumFen: { "1": 4_000_000 }
      })
      const plan = attached.costPlan!
      expect(plan.lines.length).toBe(unitHouseholds.length)
      expect(plan.subsidyFen + plan.lines.reduce((s, l) => s + l.payFen, 0)).toBe(60_000_001 + plan.compensationTotalFen)
      expect(plan.subsidyFen).toBe(24_000_000) // 40%, rounded down
      const low = yield* Voting.voterView(resident(ownerOn(1)), C, p.id, ResidentId.make(ownerOn(1)))
      expect(low.costLines).toHaveLength(1)
      expect(low).toMatchObject({ payFen: 0, compensationFen: 4_000_000 })
      expect(low.costLines[0]!.feeWaiverYears).toBe(10)
      const high = yield* Voting.voterView(resident(ownerOn(6)), C, p.id, ResidentId.make(ownerOn(6)))
      const mid = yield* Voting.voterView(resident(ownerOn(3)), C, p.id, ResidentId.make(ownerOn(3)))
      expect(high.payFen).toBeGreaterThan(mid.payFen)
      expect(high.compensationFen).toBe(0)
      // a resident sees only their own view; staff see anyone's
      expect(yield* Effect.flip(Voting.voterView(resident(ownerOn(1)), C, p.id, ResidentId.make(ownerOn(6))))).toMatchObject({ _tag: "Forbidden" })
      expect((yield* Voting.voterView(committee, C, p.id, ResidentId.make(ownerOn(6)))).payFen).toBe(high.payFen)
      // a lump sum outside the ladder is refused and changes nothing
      const before = yield* state
      expect(yield* Effect.flip(Voting.attachCostPlan(committee, { communityId: C, proposalId: p.id, totalCostFen: 1, lumpSumFen: { "1": 1 } })))
        .toMatchObject({ _tag: "VotingInvalidProposal" })
      expect(yield* state).toEqual(before)
      const evs = yield* events
      expect(evs.find((e) => e._tag === "VotingCostPlanAttached")).toMatchObject({ totalCostFen: 60_000_001, households: unitHouseholds.length })
      yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id })
      yield* Voting.openProposal(committee, { communityId: C, proposalId: p.id })
      expect(yield* Effect.flip(Voting.attachCostPlan(committee, { communityId: C, proposalId: p.id, totalCostFen: 1 })))
        .toMatchObject({ _tag: "VotingProposalNotOpen" })
    }).pipe(Effect.provide(base)))

  it.effect("openDue opens scheduled proposals whose time has come and lists those that cannot open", () =>
    Effect.gen(function* () {
      const later = yield* draft({ requiredRounds: 0 })
      yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: later.id, opensAt: 2 * DAY })
      const lacking = yield* draft()
      yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: lacking.id, opensAt: DAY })
      expect(yield* Voting.openDue(system, C)).toEqual({ opened: [], skipped: [] })
      yield* TestClock.adjust(DAY)
      expect(yield* Voting.openDue(system, C)).toEqual({ opened: [], skipped: [{ proposalId: lacking.id, reason: "VOTING_NEGOTIATION_ROUNDS_MISSING" }] })
      yield* TestClock.adjust(DAY)
      expect((yield* Voting.openDue(system, C)).opened).toEqual([later.id])
      expect((yield* Voting.getProposal(committee, C, later.id)).status).toBe("open")
      expect(yield* Effect.flip(Voting.openDue(resident(ownerOn(1)), C))).toMatchObject({ _tag: "Forbidden" })
    }).pipe(Effect.provide(base)))
})
