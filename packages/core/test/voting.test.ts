import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  type Actor,
  checkPermission,
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

const community = generateCommunity({ seed: 278, communityId: "c-vote", buildings: 2 })
const C = CommunityId.make("c-vote")
const layer = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))
const unitId = "b-1-u-1"
const unitHouseholds = community.households.filter((h) => h.unitId === unitId)
const ownerOn = (floor: number, i = 0) => unitHouseholds.filter((h) => h.floor === floor)[i]!.ownerIds[0]!
const DAY = 24 * 60 * 60 * 1000

const staff = (id: string, role: string): Actor =>
  new StaffActor({ communityId: C, staffId: StaffId.make(id), roles: [Role.make(role)], departments: [] })
const committee = staff("s-committee-1", "committee")
const committee2 = staff("s-committee-2", "committee")
const clerk = staff("s-clerk", "clerk")
const auditor = staff("s-auditor", "auditor")
const system = new SystemActor({ communityId: C, process: "scheduler" })
const resident = (id: string) => new ResidentActor({ communityId: C, residentId: ResidentId.make(id) })

const yes = { type: "yes-no", value: "yes" } as const
const no = { type: "yes-no", value: "no" } as const

const openElevatorVote = (extra: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const p = yield* Voting.createProposal(committee, {
      communityId: C,
      title: "1号楼1单元加装电梯",
      body: "Glass shaft on the north side; quiet machine under 40 dB.",
      rule: "elevator-retrofit",
      scope: { type: "units", unitIds: [unitId] },
      affectedHouseholdIds: [unitHouseholds.find((h) => h.floor === 2)!.id],
      ...extra
    })
    // the seed's three negotiation rounds (协商会), required for elevator retrofits by default
    yield* holdRounds(p.id, 3)
    yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id })
    return yield* Voting.openProposal(committee, { communityId: C, proposalId: p.id })
  })

const holdRounds = (proposalId: string, n: number) =>
  Effect.gen(function* () {
    for (let i = 1; i <= n; i++) {
      yield* Voting.recordNegotiationRound(committee, {
        communityId: C, proposalId, heldAt: 0, participants: ["居委会", `业主代表 ${i}`], summary: `第${i}次协商会`
      })
    }
  })

const vote = (proposalId: string, residentId: string, choice: Voting.ChoiceValue, more: Record<string, unknown> = {}) =>
  Voting.castBallot(resident(residentId), { communityId: C, proposalId, residentId, channel: "online", choice, ...more })

const events = Effect.map(readJournal(C), (es) => es.flatMap((e) => Option.toArray(decodeEntry(Voting.VotingEvent)(e))))
const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))

describe("voting: the seed's elevator case on a fixture unit", () => {
  it.effect("fails 3/4 before the compensation plan, passes after low-floor owners change their vote", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote()
      expect(p.status).toBe("open")
      expect(p.closesAt).toBe(7 * DAY) // default period from TestClock 0
      // upper floors all agree, floors 1-2 all refuse
      for (const h of unitHouseholds) yield* vote(p.id, h.ownerIds[0]!, h.floor >= 3 ? yes : no)
      const totalArea = unitHouseholds.reduce((s, h) => s + h.exclusiveAreaDm2, 0)
      const upperArea = unitHouseholds.filter((h) => h.floor >= 3).reduce((s, h) => s + h.exclusiveAreaDm2, 0)
      // the hand count: 8 of 12 owners (< 3/4) and upperArea/totalArea (< 3/4 for this fixture)
      expect(8 * 4 < 12 * 3 && upperArea * 4 < totalArea * 3).toBe(true)

      // a dry run of the count before the compensation plan: the same rule on the bulletin board
      const board = yield* Voting.bulletinBoard(committee, C, p.id)
      const before = Voting.countBulletinBoard(p, board)
      expect(before.outcome).toBe("rejected")
      if (before.kind !== "yes-no") throw new Error("yes-no expected")
      const area = before.decision.actual.criteria.find((c) => c.kind === "approval" && c.measure === "area")!
      expect([area.numerator, area.denominator]).toEqual([upperArea, totalArea])

      // the compensation plan (pure) is shown to the voters
      const plan = Voting.planCostSharing({
        totalCostFen: 60_000_000,
        subsidyShare: { num: 40, den: 100 },
        households: unitHouseholds,
        floorWeights: Voting.defaultFloorWeights(6),
        byArea: false,
        compensation: Voting.defaultCompensation
      })
      if ("problem" in plan) throw new Error(plan.problem)
      expect(plan.lines.filter((l) => l.compensationFen > 0)).toHaveLength(4)

      // after three rounds of negotiation both floor-2 owners (one of them affected by the shaft) agree
      yield* vote(p.id, ownerOn(2, 0), yes)
      yield* vote(p.id, ownerOn(2, 1), yes)
      const closed = yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      expect(closed.result.outcome).toBe("passed")
      if (closed.result.kind !== "yes-no") throw new Error("yes-no expected")
      const floor2Area = unitHouseholds.filter((h) => h.floor === 2).reduce((s, h) => s + h.exclusiveAreaDm2, 0)
      const crit = closed.result.decision.actual.criteria
      expect(crit.map((c) => [c.kind, c.measure, c.numerator, c.denominator, c.passed])).toEqual([
        ["quorum", "area", totalArea, totalArea, true],
        ["quorum", "headcount", 12, 12, true],
        ["approval", "area", upperArea + floor2Area, totalArea, true],
        ["approval", "headcount", 10, 12, true],
        ["consent", "headcount", 1, 1, true]
      ])
      expect(closed.proposal.status).toBe("decided")
      const evs = yield* events
      const decided = evs.find((e) => e._tag === "VotingProposalDecided")!
      expect(decided).toMatchObject({ outcome: "passed", proposalId: p.id })
      expect(decided._tag === "VotingProposalDecided" && decided.notice["zh-CN"]).toContain("通过")
      // one participation per resident, not per ballot (two changed their vote)
      const participations = evs.filter((e) => e._tag === "VotingParticipationRecorded")
      expect(participations).toHaveLength(12)
      const verified = yield* Voting.verifyTally(auditor, C, p.id)
      expect(verified).toMatchObject({ ok: true, outcome: "passed", problems: [] })
    }).pipe(Effect.provide(layer)))

  it.effect("participation below 2/3 is reported as a quorum failure, not a rejection", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote()
      const upper = unitHouseholds.filter((h) => h.floor >= 3).slice(0, 7)
      for (const h of upper) yield* vote(p.id, h.ownerIds[0]!, yes)
      yield* TestClock.adjust(7 * DAY)
      const swept = yield* Voting.closeDue(system, C)
      expect(swept.closed).toEqual([p.id])
      const decided = yield* Voting.getProposal(resident(ownerOn(1)), C, p.id)
      expect(decided.outcome).toBe("failed-quorum")
      const evs = yield* events
      const d = evs.find((e) => e._tag === "VotingProposalDecided")!
      expect(d._tag === "VotingProposalDecided" && d.notice.en).toContain("FAILED QUORUM")
      expect(evs.find((e) => e._tag === "VotingProposalClosed")).toMatchObject({ early: false, ballots: 7 })
    }).pipe(Effect.provide(layer)))

  it.effect("deemed consent is reported both ways and decides when opted in", () =>
    Effect.gen(function* () {
      const rule = Voting.withDeemedConsent(Voting.civilCode278.special)
      const p = yield* openElevatorVote({ rule, affectedHouseholdIds: [] })
      for (const h of unitHouseholds.filter((h) => h.floor >= 3)) yield* vote(p.id, h.ownerIds[0]!, yes)
      const closed = yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      if (closed.result.kind !== "yes-no") throw new Error("yes-no expected")
      expect(closed.result.decision.actual.outcome).toBe("passed") // 8/12 participate = 2/3, all yes
      expect(closed.result.decision.deemed!.side).toBe("yes")
      const evs = yield* events
      expect(evs.find((e) => e._tag === "VotingProposalDecided")).toMatchObject({ outcome: "passed", outcomeWithoutDeemed: "passed" })
    }).pipe(Effect.provide(layer)))
})

describe("voting: channels, proxies and paper", () => {
  it.effect("one ballot per voting unit across channels; the last counts; no-change refuses", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote()
      const owner = ownerOn(3)
      yield* vote(p.id, owner, no)
      yield* Voting.castBallot(clerk, { communityId: C, proposalId: p.id, residentId: owner, channel: "door-to-door", choice: yes })
      yield* Voting.castBallot(system, { communityId: C, proposalId: p.id, residentId: owner, channel: "sms", choice: yes })
      const board = yield* Voting.bulletinBoard(committee, C, p.id)
      expect(board.lines).toHaveLength(1)
      expect(board.lines[0]!.choice).toEqual(yes)
      const evs = yield* events
      expect(evs.filter((e) => e._tag === "VotingParticipationRecorded")).toEqual([
        { _tag: "VotingParticipationRecorded", proposalId: p.id, residentId: owner }
      ])
      // a resident cannot claim to be door-to-door, nor vote for someone else
      const wrong = yield* Effect.flip(Voting.castBallot(resident(owner), { communityId: C, proposalId: p.id, residentId: owner, channel: "sms", choice: yes }))
      expect(wrong._tag).toBe("InvalidInput")
      const other = yield* Effect.flip(Voting.castBallot(resident(owner), { communityId: C, proposalId: p.id, residentId: ownerOn(4), channel: "online", choice: yes }))
      expect(other).toMatchObject({ _tag: "Forbidden", reason: "not-self" })

      const q = yield* openElevatorVote({ voteChange: "no-change" })
      yield* vote(q.id, owner, no)
      const before = yield* state
      const again = yield* Effect.flip(Voting.castBallot(clerk, { communityId: C, proposalId: q.id, residentId: owner, channel: "on-site", choice: yes }))
      expect(again).toMatchObject({ _tag: "VotingAlreadyVoted", code: "VOTING_ALREADY_VOTED", reason: "no-change" })
      expect(yield* state).toEqual(before)
    }).pipe(Effect.provide(layer)))

  it.effect("proxies: registered with a document, limited, revocable; the owner's own ballot overrides", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote({ voteChange: "no-change" })
      const holder = ownerOn(6)
      const principals = [ownerOn(1, 0), ownerOn(1, 1), ownerOn(2, 0), ownerOn(2, 1)]
      for (const principal of principals.slice(0, 3)) {
        yield* Voting.registerProxy(clerk, { communityId: C, proposalId: p.id, principalId: principal, holderId: holder, documentRef: `WT-${principal}` })
      }
      const limit = yield* Effect.flip(Voting.registerProxy(clerk, { communityId: C, proposalId: p.id, principalId: principals[3]!, holderId: holder, documentRef: "WT-4" }))
      expect(limit).toMatchObject({ code: "VOTING_PROXY_LIMIT_EXCEEDED", limit: 3 })
      // the holder votes for a principal
      yield* vote(p.id, holder, yes, { onBehalfOf: principals[0] })
      // not for someone who gave no proxy
      const unauth = yield* Effect.flip(vote(p.id, holder, yes, { onBehalfOf: principals[3] }))
      expect(unauth.code).toBe("VOTING_PROXY_NOT_AUTHORISED")
      // the owner's own ballot overrides the proxy's even under no-change
      yield* vote(p.id, principals[0]!, no)
      const board = yield* Voting.bulletinBoard(committee, C, p.id)
      const unit = unitHouseholds.find((h) => h.ownerIds[0] === principals[0])!.id
      expect(board.lines.find((l) => "votingUnitId" in l && l.votingUnitId === unit)!.choice).toEqual(no)
      // and the proxy cannot override the owner
      const late = yield* Effect.flip(vote(p.id, holder, yes, { onBehalfOf: principals[0] }))
      expect(late).toMatchObject({ code: "VOTING_ALREADY_VOTED", reason: "owner-voted" })
      // revoked: no more proxy voting; the freed slot can be used
      yield* Voting.revokeProxy(clerk, { communityId: C, proposalId: p.id, principalId: principals[1]!, reason: "principal withdrew the authorisation" })
      const revoked = yield* Effect.flip(vote(p.id, holder, yes, { onBehalfOf: principals[1] }))
      expect(revoked.code).toBe("VOTING_PROXY_NOT_AUTHORISED")
      yield* Voting.registerProxy(clerk, { communityId: C, proposalId: p.id, principalId: principals[3]!, holderId: holder, documentRef: "WT-4" })
    }).pipe(Effect.provide(layer)))

  it.effect("a paper ballot counts only after a second staff member confirms it", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote()
      const owner = ownerOn(1)
      const paper = yield* Voting.enterPaperBallot(clerk, { communityId: C, proposalId: p.id, residentId: owner, scanRef: "scan-0001", choice: yes })
      expect(paper.status).toBe("pending")
      expect((yield* Voting.bulletinBoard(committee, C, p.id)).lines).toHaveLength(0)
      const self = yield* Effect.flip(Voting.confirmPaperBallot(clerk, { communityId: C, proposalId: p.id, paperBallotId: paper.id, accept: true }))
      expect(self).toMatchObject({ code: "VOTING_PENDING_CONFIRMATION", reason: "same-staff" })
      // closing is refused while it is pending
      const blocked = yield* Effect.flip(Voting.closeProposal(committee, { communityId: C, proposalId: p.id }))
      expect(blocked).toMatchObject({ code: "VOTING_PENDING_CONFIRMATION", reason: "paper-ballots-pending", count: 1 })
      // rejected, then re-entered as a correction, then confirmed
      yield* Voting.confirmPaperBallot(committee, { communityId: C, proposalId: p.id, paperBallotId: paper.id, accept: false, reason: "scan shows 反对" })
      const fixed = yield* Voting.enterPaperBallot(clerk, { communityId: C, proposalId: p.id, scanRef: "scan-0001", choice: no, correctionOf: paper.id })
      yield* Voting.confirmPaperBallot(committee2, { communityId: C, proposalId: p.id, paperBallotId: fixed.id, accept: true })
      const board = yield* Voting.bulletinBoard(committee, C, p.id)
      expect(board.lines.map((l) => l.choice)).toEqual([no])
      const evs = yield* events
      expect(evs.filter((e) => e._tag === "VotingPaperBallotReviewed").map((e) => e._tag === "VotingPaperBallotReviewed" && e.accepted)).toEqual([false, true])
      expect(evs.find((e) => e._tag === "VotingBallotCast")).toMatchObject({ channel: "paper", choice: no })
      expect(evs.filter((e) => e._tag === "VotingParticipationRecorded")).toHaveLength(1)
    }).pipe(Effect.provide(layer)))
})

describe("voting: lifecycle", () => {
  it.effect("casting after the deadline is refused even before any sweep; extension moves it", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote({ periodMs: DAY })
      yield* TestClock.adjust(DAY)
      const late = yield* Effect.flip(vote(p.id, ownerOn(3), yes))
      expect(late).toMatchObject({ code: "VOTING_DEADLINE_PASSED", closesAt: DAY })
      const q = yield* openElevatorVote({ periodMs: DAY })
      const extended = yield* Voting.extendProposal(committee, { communityId: C, proposalId: q.id, closesAt: 3 * DAY, reason: "turnout short after the holiday" })
      expect(extended.extensions).toEqual([{ from: 2 * DAY, to: 3 * DAY, reason: "turnout short after the holiday", by: "staff:s-committee-1" }])
      yield* TestClock.adjust(DAY)
      yield* vote(q.id, ownerOn(3), yes)
      const swept = yield* Voting.closeDue(system, C, 3 * DAY)
      expect(swept.closed).toEqual([p.id, q.id])
    }).pipe(Effect.provide(layer)))

  it.effect("a resident's proposal goes through review; the proposer is named when it is decided", () =>
    Effect.gen(function* () {
      const proposer = ownerOn(5)
      const p = yield* Voting.createProposal(resident(proposer), { communityId: C, title: "Bike shed", body: "", proposerId: proposer, scope: { type: "units", unitIds: [unitId] } })
      expect(p.status).toBe("review")
      const notSelf = yield* Effect.flip(Voting.createProposal(resident(proposer), { communityId: C, title: "x", body: "", proposerId: ownerOn(6) }))
      expect(notSelf).toMatchObject({ _tag: "Forbidden", reason: "not-self" })
      const early = yield* Effect.flip(Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id }))
      expect(early.code).toBe("VOTING_PROPOSAL_NOT_OPEN")
      yield* Voting.reviewProposal(committee, { communityId: C, proposalId: p.id, approve: true })
      yield* Voting.scheduleProposal(committee, { communityId: C, proposalId: p.id })
      yield* Voting.openProposal(system, { communityId: C, proposalId: p.id })
      for (const h of unitHouseholds.slice(0, 9)) yield* vote(p.id, h.ownerIds[0]!, yes)
      yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      const evs = yield* events
      expect(evs.find((e) => e._tag === "VotingProposalDecided")).toMatchObject({ outcome: "passed", proposerId: proposer })
      expect(evs.filter((e) => e._tag === "VotingParticipationRecorded")).toHaveLength(9)
    }).pipe(Effect.provide(layer)))

  it.effect("ranked (STV) ballots over the service", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote({
        rule: "civil-code-278-ordinary",
        ballot: { type: "ranked", options: ["a", "b", "c"], method: "stv", seats: 2 },
        affectedHouseholdIds: []
      })
      const bad = yield* Effect.flip(vote(p.id, ownerOn(1), { type: "ranked", ranking: ["a", "a"] }))
      expect(bad).toMatchObject({ code: "VOTING_INVALID_CHOICE", rule: "duplicate-option" })
      const rankings = [["a", "b"], ["a", "c"], ["a", "b"], ["a"], ["b"], ["b", "a"], ["c", "b"], ["c"], ["a", "b"], ["b", "c"]]
      for (const [i, h] of unitHouseholds.slice(0, 10).entries()) yield* vote(p.id, h.ownerIds[0]!, { type: "ranked", ranking: rankings[i]! })
      const closed = yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      if (closed.result.kind !== "options") throw new Error("options expected")
      const direct = Voting.singleTransferableVote(["a", "b", "c"], rankings.map((ranking) => ({ ranking, weight: 1 })), 2)
      expect(closed.result.count).toEqual(direct)
      expect(closed.result.outcome).toBe("passed")
    }).pipe(Effect.provide(layer)))

  it.effect("a failed command changes nothing", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote()
      yield* vote(p.id, ownerOn(3), yes)
      const before = yield* state
      const journalBefore = (yield* readJournal(C)).length
      const stranger = community.residents.find((r) => r.kind === "owner" && !unitHouseholds.some((h) => h.ownerIds.includes(r.id)))!
      const e1 = yield* Effect.flip(vote(p.id, stranger.id, yes))
      expect(e1.code).toBe("VOTING_NOT_ELIGIBLE")
      const e2 = yield* Effect.flip(vote(p.id, ownerOn(3), { type: "single", option: "a" }))
      expect(e2.code).toBe("VOTING_INVALID_CHOICE")
      const e3 = yield* Effect.flip(Voting.castBallot(auditor, { communityId: C, proposalId: p.id, residentId: ownerOn(4), channel: "on-site", choice: yes }))
      expect(e3).toMatchObject({ _tag: "Forbidden", reason: "role" })
      // @ts-expect-error a JavaScript caller may send a value outside the ballot's choices: the decoder still refuses it
      const e4 = yield* Effect.flip(Voting.castBallot(committee, { communityId: C, proposalId: p.id, residentId: ownerOn(4), channel: "on-site", choice: { type: "yes-no", value: "maybe" } }))
      expect(e4._tag).toBe("InvalidInput")
      expect(yield* state).toEqual(before)
      expect((yield* readJournal(C)).length).toBe(journalBefore)
    }).pipe(Effect.provide(layer)))
})

describe("voting: secret ballots", () => {
  it.effect("nothing stored or journalled links a voter to a choice; receipts find ballots; the tally verifies", () =>
    Effect.gen(function* () {
      const p = yield* openElevatorVote({ secret: true })
      const receipts = new Map<string, string>()
      for (const h of unitHouseholds) {
        const r = yield* vote(p.id, h.ownerIds[0]!, h.floor >= 2 ? yes : no)
        receipts.set(h.ownerIds[0]!, r.receipt!)
      }
      // change a vote: needs the earlier receipt
      const changer = ownerOn(1)
      const refused = yield* Effect.flip(vote(p.id, changer, yes))
      expect(refused).toMatchObject({ reason: "receipt-required" })
      const changed = yield* vote(p.id, changer, yes, { previousReceipt: receipts.get(changer) })
      expect(changed.replaced).toBe(true)
      receipts.set(changer, changed.receipt!)
      // a paper ballot in secret mode
      const paperOwner = unitHouseholds.find((h) => h.floor === 1 && h.ownerIds[0] !== changer)!.ownerIds[0]!
      const paper = yield* Voting.enterPaperBallot(clerk, { communityId: C, proposalId: p.id, residentId: paperOwner, scanRef: "anon-17", choice: yes, previousReceipt: receipts.get(paperOwner) })
      expect(paper.votingUnitId).toBeUndefined()
      const confirmed = yield* Voting.confirmPaperBallot(committee, { communityId: C, proposalId: p.id, paperBallotId: paper.id, accept: true })
      receipts.set(paperOwner, confirmed.receipt!)

      // choices are hidden on the board until close
      const openBoard = yield* Voting.bulletinBoard(resident(changer), C, p.id)
      expect(openBoard.lines.every((l) => !("choice" in l))).toBe(true)
      expect(yield* Voting.checkReceipt(resident(changer), C, p.id, receipts.get(changer)!)).toBe(true)

      // everything the store holds for voting, and the journal
      const inspector = yield* MemoryInspector
      const tables = ["voting_proposals", "voting_units", "voting_unit_owners", "voting_open_ballots", "voting_secret_ballots", "voting_secret_mixed", "voting_secret_totals", "voting_paper_ballots", "voting_proxies"]
      const identifiers = new Set<string>(unitHouseholds.flatMap((h) => [h.id, ...h.ownerIds]))
      const mentionsVoter = (json: string) => [...identifiers].some((id) => json.includes(`"${id}"`) || json.includes(`:${id}"`))
      const mentionsChoice = (json: string) => /"value":"(yes|no|abstain)"/.test(json)
      for (const t of tables) {
        for (const record of inspector.database.values<unknown>(t)) {
          const json = JSON.stringify(record)
          expect(mentionsVoter(json) && mentionsChoice(json), `${t}: ${json}`).toBe(false)
          expect(json).not.toMatch(/castAt|occurredAt|createdAt.*value/)
        }
      }
      expect(inspector.database.values("voting_open_ballots")).toHaveLength(0)
      // the anonymous bag carries no voter, no time, no channel; mixed ballots not even their weights
      for (const b of inspector.database.values<Record<string, unknown>>("voting_secret_ballots")) {
        expect(Object.keys(b).filter((k) => k !== "retraction").sort()).toEqual(["affected", "areaDm2", "choice", "communityId", "heads", "proposalId", "receiptHash", "weight"])
      }
      for (const b of inspector.database.values<Record<string, unknown>>("voting_secret_mixed")) {
        expect(Object.keys(b).sort()).toEqual(["choice", "communityId", "proposalId", "receiptHash"])
      }
      // voting units were created in id order at opening and updated in place: their order says nothing about who voted when
      const unitOrder = inspector.database.values<Voting.VotingUnit>("voting_units").filter((u) => u.proposalId === p.id).map((u) => u.id)
      expect(unitOrder).toEqual([...unitOrder].sort())
      // the store's list of the bag is by receipt hash
      const bag = yield* Effect.flatMap(Voting.VotingStore, (s) => s.listSecretBallots(C, p.id))
      expect(bag.map((b) => b.receiptHash)).toEqual([...bag.map((b) => b.receiptHash)].sort())
      const beforeClose = yield* events
      expect(beforeClose.filter((e) => e._tag === "VotingParticipationRecorded")).toHaveLength(0)
      for (const e of beforeClose) {
        const json = JSON.stringify(e)
        expect(mentionsVoter(json) && mentionsChoice(json), json).toBe(false)
        if (e._tag === "VotingBallotCast") expect(Object.keys(e).sort()).toEqual(["_tag", "proposalId", "replaced"])
      }

      const closed = yield* Voting.closeProposal(committee, { communityId: C, proposalId: p.id })
      expect(closed.result.outcome).toBe("passed")
      const after = yield* events
      const participations = after.filter((e) => e._tag === "VotingParticipationRecorded").map((e) => e._tag === "VotingParticipationRecorded" ? e.residentId : "")
      expect(participations).toEqual(unitHouseholds.map((h) => h.ownerIds[0]!).sort())
      // after close the board shows choices; every receipt is found
      const board = yield* Voting.bulletinBoard(resident(changer), C, p.id)
      expect(board.lines).toHaveLength(12)
      for (const code of receipts.values()) expect(yield* Voting.checkReceipt(resident(changer), C, p.id, code)).toBe(true)
      const verified = yield* Voting.verifyTally(auditor, C, p.id)
      expect(verified).toMatchObject({ ok: true, outcome: "passed" })

      // stuffing a ballot into the bag is detected
      const mixed = yield* Effect.flatMap(Voting.VotingStore, (s) => s.listMixedBallots(C, p.id))
      expect(mixed).toHaveLength(12)
      const fake = new Voting.MixedBallot({ ...mixed[0]!, receiptHash: "f".repeat(64) })
      inspector.database.set("voting_secret_mixed", ["c-vote", p.id, fake.receiptHash].join("\u0000"), fake)
      inspector.database.release(0)
      const tampered = yield* Voting.verifyTally(auditor, C, p.id)
      expect(tampered.ok).toBe(false)
      expect(tampered.problems.join("\n")).toContain("never announced")
    }).pipe(Effect.provide(layer)))
})

describe("voting: permissions", () => {
  it("matches the permission table for every kind of actor", () => {
    const actors: ReadonlyArray<readonly [string, Actor]> = [
      ["resident", resident("r-00001")],
      ["admin", staff("s-admin", "admin")],
      ["committee", committee],
      ["clerk", clerk],
      ["auditor", auditor],
      ["system", system]
    ]
    const expected: Record<string, ReadonlyArray<string>> = {
      "voting.createProposal": ["resident", "admin", "committee"],
      "voting.reviewProposal": ["admin", "committee"],
      "voting.scheduleProposal": ["admin", "committee"],
      "voting.openProposal": ["admin", "committee", "system"],
      "voting.extendProposal": ["admin", "committee"],
      "voting.closeProposal": ["admin", "committee", "system"],
      "voting.closeDue": ["admin", "committee", "system"],
      "voting.withdrawProposal": ["admin", "committee"],
      "voting.castBallot": ["resident", "admin", "committee", "clerk", "system"],
      "voting.enterPaperBallot": ["admin", "committee", "clerk"],
      "voting.confirmPaperBallot": ["admin", "committee", "clerk"],
      "voting.registerProxy": ["admin", "committee", "clerk"],
      "voting.revokeProxy": ["admin", "committee", "clerk"],
      "voting.post": ["resident", "admin", "committee", "clerk"],
      "voting.moderate": ["admin", "committee"],
      "voting.proposeAmendment": ["resident", "admin", "committee"],
      "voting.decideAmendment": ["admin", "committee"],
      "voting.recordRound": ["admin", "committee"],
      "voting.attachCostPlan": ["admin", "committee"],
      "voting.openDue": ["admin", "committee", "system"],
      "voting.fileObjection": ["resident"],
      "voting.resolveObjection": ["admin", "committee"],
      "voting.finalize": ["admin", "committee", "system"],
      "voting.read": ["resident", "admin", "committee", "clerk", "auditor", "system"]
    }
    for (const [command, rule] of Object.entries(Voting.votingPermissions)) {
      const allowed = actors.filter(([, a]) => checkPermission(rule, a, C, "r-00001") === undefined).map(([n]) => n)
      expect(allowed, command).toEqual(expected[command])
      // another community is always refused
      for (const [, a] of actors) expect(checkPermission(rule, a, "elsewhere", "r-00001")).toBe("tenant")
    }
  })
})
