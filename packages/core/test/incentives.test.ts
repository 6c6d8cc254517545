import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck as fc, Layer, Option, Schema, TestClock, TestContext } from "effect"
import {
  AccountId,
  type Actor,
  appendEvents,
  decodeEntry,
  drain,
  Gongzhi,
  Incentives,
  LedgerEvent,
  LedgerStore,
  readJournal,
  renderMessage,
  ResidentActor,
  ResidentId,
  type Role,
  Roles,
  StaffActor,
  StaffId,
  SubscriptionStore,
  SystemActor,
  transactionally,
  verifyJournal
} from "../src/index.js"
import { snapshot } from "./support.js"

const community = generateCommunity({ seed: 11, communityId: "inc-1", buildings: 1, floors: 3 })
const C = community.community.id
const other = generateCommunity({ seed: 12, communityId: "inc-2", buildings: 1, floors: 1 })
const R = community.residents.map((r) => r.id)
const r0 = R[0]!
const r1 = R[1]!
const r2 = R[2]!
const r3 = R[3]!

const makeLayer = () =>
  Layer.mergeAll(
    Gongzhi.layer({ templates: Incentives.incentiveTemplates }),
    MemoryStore.layer({ directory: [community, other] })
  )

const staff = (roles: ReadonlyArray<Role>, communityId = C) =>
  new StaffActor({ communityId, staffId: StaffId.make("s-x"), roles: [...roles], departments: [] })
const admin = staff([Roles.admin])
const treasurer = staff([Roles.treasurer])
const clerk = staff([Roles.clerk])
const resident = (id: string, communityId = C) => new ResidentActor({ communityId, residentId: ResidentId.make(id) })
const system = new SystemActor({ communityId: C, process: "test" })

/** 2026-11-30 (a Monday) at 09:00 in Shanghai. */
const MONDAY_9 = Date.UTC(2026, 10, 30, 1)

const balanceOf = (id: string) =>
  Effect.flatMap(LedgerStore, (s) => s.getAccount(C, AccountId.make(id))).pipe(
    Effect.map((a) => Option.match(a, { onNone: () => 0, onSome: (x) => x.balance }))
  )
const pointsOf = (residentId: string) => balanceOf(`inc:r:${residentId}`)
const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))
const eventsOf = (type: string) => Effect.map(readJournal(C), (es) => es.filter((e) => e.type === type))

/** Other modules' events, as they publish them (our own minimal copy of their contract). */
const Foreign = Schema.Union(
  Schema.TaggedStruct("VotingParticipationRecorded", { proposalId: Schema.String, residentId: Schema.String }),
  Schema.TaggedStruct("IssueReportSubmitted", { caseId: Schema.String, reporterId: Schema.optional(Schema.String) }),
  Schema.TaggedStruct("TimebankServiceConfirmed", {
    serviceId: Schema.String,
    providerId: Schema.String,
    recipientId: Schema.String,
    centiHours: Schema.Int
  }),
  Schema.TaggedStruct("VotingProposalDecided", { proposalId: Schema.String, outcome: Schema.String, proposerId: Schema.optional(Schema.String) })
)
type Foreign = typeof Foreign.Type
const publish = (...events: ReadonlyArray<Foreign>) => transactionally(appendEvents(C, Foreign, events))
const resetCursor = (name: string) => transactionally(Effect.flatMap(SubscriptionStore, (s) => s.advance(C, name, 0)))

const run = <A, E>(effect: Effect.Effect<A, E, any>) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(MONDAY_9)
    return yield* effect
  }).pipe(Effect.provide(makeLayer())) as Effect.Effect<A, E>

describe("incentives: awards from other modules' events", () => {
  it.effect("awards once per event, by the configured mapping, even when the subscriber is re-run", () =>
    run(Effect.gen(function* () {
      yield* publish(
        { _tag: "VotingParticipationRecorded", proposalId: "p1", residentId: r0 },
        { _tag: "IssueReportSubmitted", caseId: "case-1", reporterId: r0 },
        { _tag: "IssueReportSubmitted", caseId: "case-2" },
        { _tag: "TimebankServiceConfirmed", serviceId: "sv1", providerId: r1, recipientId: r0, centiHours: 150 },
        { _tag: "VotingProposalDecided", proposalId: "p1", outcome: "passed", proposerId: r2 },
        { _tag: "VotingProposalDecided", proposalId: "p2", outcome: "rejected", proposerId: r3 },
        { _tag: "VotingProposalDecided", proposalId: "p3", outcome: "passed" }
      )
      const first = yield* drain(Incentives.incentivesSubscriber, C)
      expect(first.deadLettered).toBe(0)
      const expected = [8, 10, 20, 0] // r0: vote 5 + report 3; r1: service 10; r2: adopted 20; r3: rejected
      expect([yield* pointsOf(r0), yield* pointsOf(r1), yield* pointsOf(r2), yield* pointsOf(r3)]).toEqual(expected)
      const awarded = yield* eventsOf("IncentiveAwarded")
      expect(awarded.length).toBe(4)
      expect(awarded.map((e) => (e.payload as { action: string }).action).sort()).toEqual(["adopted-proposal", "issue-report", "volunteer-service", "vote"])

      // re-run from the start of the journal: nothing is awarded twice
      const before = (yield* readJournal(C)).length
      yield* resetCursor(Incentives.incentivesSubscriber.name)
      const again = yield* drain(Incentives.incentivesSubscriber, C)
      expect(again.processed).toBeGreaterThan(0)
      expect([yield* pointsOf(r0), yield* pointsOf(r1), yield* pointsOf(r2), yield* pointsOf(r3)]).toEqual(expected)
      expect((yield* readJournal(C)).length).toBe(before)
      const awards = yield* Incentives.listAwards(admin, C, r0)
      expect(awards.map((a) => [a.action, a.points, a.source])).toEqual([["vote", 5, "event"], ["issue-report", 3, "event"]])
      expect(awards.every((a) => a.sourceEventId !== undefined && a.idempotencyKey === `event:${a.sourceEventId}`)).toBe(true)
      expect((yield* verifyJournal(C)).ok).toBe(true)
    })))

  it.effect("the event mapping is configurable", () =>
    run(Effect.gen(function* () {
      yield* publish(
        { _tag: "VotingParticipationRecorded", proposalId: "p1", residentId: r0 },
        { _tag: "IssueReportSubmitted", caseId: "case-1", reporterId: r0 }
      )
      const config: Incentives.IncentiveConfigShape = {
        ...Incentives.defaultIncentiveConfig,
        points: { ...Incentives.defaultIncentiveConfig.points, vote: 7 },
        events: { VotingParticipationRecorded: { action: "vote", recipientField: "residentId" } }
      }
      yield* drain(Incentives.incentivesSubscriber, C).pipe(Effect.provide(Layer.succeed(Incentives.IncentiveConfig, config)))
      expect(yield* pointsOf(r0)).toBe(7)
    })))

  it.effect("a payload that does not fit the rule is dead-lettered with a reason, not dropped", () =>
    run(Effect.gen(function* () {
      const Bad = Schema.TaggedStruct("VotingParticipationRecorded", { proposalId: Schema.String, residentId: Schema.Number })
      yield* transactionally(appendEvents(C, Bad, [{ _tag: "VotingParticipationRecorded", proposalId: "p", residentId: 42 }]))
      const report = yield* drain({ ...Incentives.incentivesSubscriber, attempts: 1 }, C)
      expect(report.deadLettered).toBe(1)
      const letters = yield* Effect.flatMap(SubscriptionStore, (s) => s.deadLetters(C))
      expect(letters[0]!.reason).toContain("InvalidInput")
    })))

  it.effect("capped event awards are recorded as capped with the cap, and counted at the event's time", () =>
    run(Effect.gen(function* () {
      // vote: 25 points a day => 5 votes; the 6th and 7th are capped
      yield* publish(...Array.from({ length: 7 }, (_, i) => ({ _tag: "VotingParticipationRecorded" as const, proposalId: `p${i}`, residentId: r0 })))
      yield* drain(Incentives.incentivesSubscriber, C)
      expect(yield* pointsOf(r0)).toBe(25)
      const awards = yield* Incentives.listAwards(admin, C, r0)
      expect(awards.map((a) => a.status)).toEqual(["awarded", "awarded", "awarded", "awarded", "awarded", "capped", "capped"])
      expect(awards[5]!.cap).toEqual({ scope: "action", period: "day", limit: 25, used: 25 })
      const capEvents = yield* eventsOf("IncentiveCapReached")
      expect(capEvents.length).toBe(2)
      expect(capEvents[0]!.payload).toMatchObject({ residentId: r0, action: "vote", requested: 5, cap: { scope: "action", period: "day" } })
      // the next day (Shanghai time) votes count again
      yield* TestClock.setTime(MONDAY_9 + 15 * 3_600_000) // 2026-12-01 00:00 in Shanghai
      yield* publish({ _tag: "VotingParticipationRecorded", proposalId: "p9", residentId: r0 })
      yield* drain(Incentives.incentivesSubscriber, C)
      expect(yield* pointsOf(r0)).toBe(30)
    })))
})

describe("incentives: manual and peer awards, caps", () => {
  it.effect("staff award with a reason; the reason and the staff member are recorded", () =>
    run(Effect.gen(function* () {
      const a = yield* Incentives.award(treasurer, { communityId: C, residentId: r0, points: 15, reason: "组织楼道清洁" })
      expect(a).toMatchObject({ status: "awarded", points: 15, action: "manual", source: "manual", grantedBy: "staff:s-x", reason: "组织楼道清洁" })
      expect(yield* pointsOf(r0)).toBe(15)
      const byRule = yield* Incentives.award(admin, { communityId: C, residentId: r0, action: "volunteer-service", reason: "paper form" })
      expect(byRule.points).toBe(10)
      const err = yield* Effect.flip(Incentives.award(admin, { communityId: C, residentId: r0, action: "unknown-thing", reason: "x" }))
      expect(err._tag).toBe("InvalidInput")
      const missing = yield* Effect.flip(Incentives.award(admin, { communityId: C, residentId: "r-99999", points: 1, reason: "x" }))
      expect(missing._tag).toBe("NotFound")
      // @ts-expect-error a JavaScript caller may omit the required reason: the decoder still refuses it
      const noReason = yield* Effect.flip(Incentives.award(admin, { communityId: C, residentId: r0, points: 1 }))
      expect(noReason._tag).toBe("InvalidInput")
    })))

  it.effect("a neighbour-help farming loop stops at exactly the pair cap; each capped try is recorded", () =>
    run(Effect.gen(function* () {
      const results = []
      for (let i = 0; i < 10; i++) {
        results.push(yield* Incentives.awardPeer(resident(r1), { communityId: C, giverId: r1, receiverId: r0 }))
      }
      expect(results.map((r) => r.points)).toEqual([2, 2, 2, 0, 0, 0, 0, 0, 0, 0])
      expect(yield* pointsOf(r0)).toBe(6)
      expect(results[3]).toMatchObject({ status: "capped", cap: { scope: "pair", period: "week", limit: 6, used: 6 }, giverId: r1 })
      expect((yield* eventsOf("IncentiveCapReached")).length).toBe(7)
      // another neighbour may still thank r0
      expect((yield* Incentives.awardPeer(resident(r2), { communityId: C, giverId: r2, receiverId: r0 })).points).toBe(2)
      // next Monday the pair may thank again
      yield* TestClock.setTime(MONDAY_9 + 7 * 86_400_000)
      expect((yield* Incentives.awardPeer(resident(r1), { communityId: C, giverId: r1, receiverId: r0 })).points).toBe(2)
    })))

  it.effect("ifCapped 'fail' refuses with CapReached (which cap) and changes nothing", () =>
    run(Effect.gen(function* () {
      for (let i = 0; i < 3; i++) yield* Incentives.awardPeer(resident(r1), { communityId: C, giverId: r1, receiverId: r0 })
      const before = yield* state
      const err = yield* Effect.flip(Incentives.awardPeer(resident(r1), { communityId: C, giverId: r1, receiverId: r0, ifCapped: "fail" }))
      expect(err).toMatchObject({ _tag: "CapReached", code: "INCENTIVES_CAP_REACHED", scope: "pair", period: "week", limit: 6, used: 6, requested: 2 })
      expect((err as Incentives.CapReached).text["zh-CN"]).toContain("上限")
      expect(yield* state).toStrictEqual(before)
    })))

  it.effect("peer awards: residents only for themselves, never to themselves", () =>
    run(Effect.gen(function* () {
      expect((yield* Effect.flip(Incentives.awardPeer(resident(r1), { communityId: C, giverId: r2, receiverId: r0 })))._tag).toBe("Forbidden")
      expect((yield* Effect.flip(Incentives.awardPeer(resident(r1), { communityId: C, giverId: r1, receiverId: r1 })))._tag).toBe("InvalidInput")
      expect((yield* Incentives.awardPeer(clerk, { communityId: C, giverId: r2, receiverId: r0 })).grantedBy).toBe("staff:s-x")
    })))

  it.effect("idempotency: a replay returns the first award; the same key for another request fails", () =>
    run(Effect.gen(function* () {
      const req = { communityId: C, residentId: r0, points: 12, reason: "x", idempotencyKey: "k1" }
      const first = yield* Incentives.award(admin, req)
      const before = yield* state
      const again = yield* Incentives.award(admin, req)
      expect(again).toStrictEqual(first)
      expect(yield* state).toStrictEqual(before)
      const reused = yield* Effect.flip(Incentives.award(admin, { ...req, points: 13 }))
      expect(reused._tag).toBe("IdempotencyKeyReused")
      expect(yield* state).toStrictEqual(before)
    })))
})

describe("incentives: levels, thresholds, notifications", () => {
  it.effect("lifetime points set the level; spending never lowers it; the threshold reward is paid once", () =>
    run(Effect.gen(function* () {
      yield* Incentives.addItem(admin, { communityId: C, itemId: "fee", kind: "property-fee-discount", name: "物业费抵扣10元", cost: 100, value: 1000 })
      yield* Incentives.award(admin, { communityId: C, residentId: r0, points: 95, reason: "x" })
      let s = yield* Incentives.standing(resident(r0), C, r0)
      expect(s).toMatchObject({ balance: 95, lifetime: 95, level: { index: 1, id: "activist" } })
      yield* Incentives.award(admin, { communityId: C, residentId: r0, points: 10, reason: "x" })
      s = yield* Incentives.standing(resident(r0), C, r0)
      expect(s).toMatchObject({ balance: 115, lifetime: 115 }) // +10 bonus at 100
      const thresholds = yield* eventsOf("IncentiveThresholdReached")
      expect(thresholds.map((e) => e.payload)).toMatchObject([{ residentId: r0, threshold: 100, bonus: 10, lifetime: 115 }])
      yield* Incentives.redeem(resident(r0), { communityId: C, residentId: r0, itemId: "fee" })
      s = yield* Incentives.standing(resident(r0), C, r0)
      expect(s).toMatchObject({ balance: 15, lifetime: 115, level: { index: 1, id: "activist" } })
      expect(s.next).toMatchObject({ id: "backbone", threshold: 200, missing: 85 })
      yield* Incentives.award(admin, { communityId: C, residentId: r0, points: 100, reason: "x" })
      expect((yield* eventsOf("IncentiveThresholdReached")).length).toBe(1)
      s = yield* Incentives.standing(resident(r0), C, r0)
      expect(s.level.name["zh-CN"]).toBe("骨干")
      expect(s.perks.map((p) => p.id)).toEqual(["free-parking", "activity-room-priority"])
      const changes = (yield* eventsOf("IncentiveLevelChanged")).map((e) => e.payload)
      expect(changes).toMatchObject([{ from: "resident", to: "activist" }, { from: "activist", to: "backbone" }])
    })))

  it.effect("notifications go out through the notification subscriber, in the resident's language, once", () =>
    run(Effect.gen(function* () {
      yield* publish({ _tag: "VotingParticipationRecorded", proposalId: "p1", residentId: r0 })
      yield* drain(Incentives.incentivesSubscriber, C)
      yield* Incentives.award(admin, { communityId: C, residentId: r0, points: 95, reason: "x" })
      const inspector = yield* MemoryInspector
      expect(inspector.outbox()).toEqual([]) // commands send nothing themselves
      yield* drain(Incentives.incentivesNotifications, C)
      yield* resetCursor(Incentives.incentivesNotifications.name)
      yield* drain(Incentives.incentivesNotifications, C)
      const out = inspector.outbox()
      expect(out.map((m) => m.templateId)).toEqual(["incentives.awarded", "incentives.awarded", "incentives.threshold", "incentives.levelUp"])
      expect(out.every((m) => m.recipient._tag === "Resident" && m.recipient.residentId === r0)).toBe(true)
      const text = yield* renderMessage(out[0]!)
      expect(Option.getOrThrow(text)).toContain("5 积分")
      expect(Option.getOrThrow(yield* renderMessage(out[3]!))).toContain("积极分子")
    })))
})

describe("incentives: redemptions", () => {
  const setup = Effect.gen(function* () {
    yield* Incentives.addItem(admin, { communityId: C, itemId: "parking", kind: "parking-hours", name: "免费停车2小时", cost: 20, stock: 2, limit: { count: 1, period: "month" }, value: 120 })
    yield* Incentives.addItem(admin, { communityId: C, itemId: "soap", kind: "goods", name: "洗衣液", cost: 30 })
    yield* Incentives.award(admin, { communityId: C, residentId: r0, points: 60, reason: "x" })
    yield* Incentives.award(admin, { communityId: C, residentId: r1, points: 60, reason: "x" })
    yield* Incentives.award(admin, { communityId: C, residentId: r2, points: 60, reason: "x" })
  })

  it.effect("needs the balance, takes stock, respects the per-resident limit; each refusal changes nothing", () =>
    run(Effect.gen(function* () {
      yield* setup
      const red = yield* Incentives.redeem(resident(r0), { communityId: C, residentId: r0, itemId: "parking" })
      expect(red).toMatchObject({ status: "pending", points: 20, quantity: 1 })
      expect(yield* pointsOf(r0)).toBe(40)
      expect(yield* balanceOf("inc:sink")).toBe(20)
      let before = yield* state
      const limit = yield* Effect.flip(Incentives.redeem(resident(r0), { communityId: C, residentId: r0, itemId: "parking" }))
      expect(limit).toMatchObject({ _tag: "RedemptionLimit", code: "INCENTIVES_REDEMPTION_LIMIT", limit: 1, used: 1, period: "month" })
      expect(yield* state).toStrictEqual(before)
      yield* Incentives.redeem(resident(r1), { communityId: C, residentId: r1, itemId: "parking" })
      before = yield* state
      const stock = yield* Effect.flip(Incentives.redeem(resident(r2), { communityId: C, residentId: r2, itemId: "parking" }))
      expect(stock).toMatchObject({ _tag: "OutOfStock", code: "INCENTIVES_OUT_OF_STOCK", stock: 0, requested: 1 })
      expect(yield* state).toStrictEqual(before)
      const poor = yield* Effect.flip(Incentives.redeem(resident(r2), { communityId: C, residentId: r2, itemId: "soap", quantity: 3 }))
      expect(poor).toMatchObject({ _tag: "InsufficientBalance", balance: 60, floor: 0, amount: -90 })
      expect(yield* state).toStrictEqual(before)
      const forbidden = yield* Effect.flip(Incentives.redeem(resident(r2), { communityId: C, residentId: r0, itemId: "soap" }))
      expect(forbidden._tag).toBe("Forbidden")
      expect(yield* state).toStrictEqual(before)
      // next month the limit resets (stock permitting)
      yield* Incentives.updateItem(admin, { communityId: C, itemId: "parking", addStock: 5 })
      yield* TestClock.setTime(MONDAY_9 + 2 * 86_400_000)
      expect((yield* Incentives.redeem(resident(r0), { communityId: C, residentId: r0, itemId: "parking" })).status).toBe("pending")
    })))

  it.effect("cancelling refunds the points and restores the stock; a fulfilled redemption cannot be cancelled", () =>
    run(Effect.gen(function* () {
      yield* setup
      const red = yield* Incentives.redeem(resident(r0), { communityId: C, residentId: r0, itemId: "parking" })
      const cancelled = yield* Incentives.cancelRedemption(resident(r0), { communityId: C, redemptionId: red.id, reason: "不需要了" })
      expect(cancelled.status).toBe("cancelled")
      expect(yield* pointsOf(r0)).toBe(60)
      expect(yield* balanceOf("inc:sink")).toBe(0)
      const items = yield* Incentives.catalogue(resident(r0), C)
      expect(items.find((i) => i.id === "parking")!.stock).toBe(2)
      // the refund is a reversal linked to the redemption's transaction
      const refund = Option.getOrThrow(yield* Effect.flatMap(LedgerStore, (s) => s.findReversal(C, red.txId)))
      expect(refund.id).toBe(cancelled.refundTxId)
      // the limit counts only live redemptions
      const again = yield* Incentives.redeem(resident(r0), { communityId: C, residentId: r0, itemId: "parking" })
      yield* Incentives.fulfilRedemption(clerk, { communityId: C, redemptionId: again.id })
      const late = yield* Effect.flip(Incentives.cancelRedemption(admin, { communityId: C, redemptionId: again.id, reason: "x" }))
      expect(late).toMatchObject({ _tag: "InvalidState", status: "fulfilled" })
      const twice = yield* Effect.flip(Incentives.cancelRedemption(admin, { communityId: C, redemptionId: red.id, reason: "x" }))
      expect(twice).toMatchObject({ _tag: "InvalidState", status: "cancelled" })
      const notMine = yield* Effect.flip(Incentives.cancelRedemption(resident(r1), { communityId: C, redemptionId: again.id, reason: "x" }))
      expect(notMine._tag).toBe("Forbidden")
    })))

  it.effect("inactive items cannot be redeemed and residents do not see them", () =>
    run(Effect.gen(function* () {
      yield* setup
      yield* Incentives.updateItem(admin, { communityId: C, itemId: "soap", active: false })
      expect((yield* Effect.flip(Incentives.redeem(resident(r0), { communityId: C, residentId: r0, itemId: "soap" })))._tag).toBe("ItemUnavailable")
      expect((yield* Incentives.catalogue(resident(r0), C)).map((i) => i.id)).toEqual(["parking"])
      expect((yield* Incentives.catalogue(admin, C)).map((i) => i.id)).toEqual(["parking", "soap"])
    })))

  it.effect("revoking an award reverses its points and bonus; lifetime drops, spent points block it", () =>
    run(Effect.gen(function* () {
      yield* setup
      const big = yield* Incentives.award(admin, { communityId: C, residentId: r0, points: 50, reason: "mistake" })
      expect(big.bonus).toBe(10)
      expect(yield* pointsOf(r0)).toBe(120)
      const revoked = yield* Incentives.revokeAward(admin, { communityId: C, awardId: big.id, reason: "wrong resident", idempotencyKey: "rv1" })
      expect(revoked.status).toBe("revoked")
      expect(yield* pointsOf(r0)).toBe(60)
      expect((yield* Incentives.standing(admin, C, r0)).lifetime).toBe(60)
      expect((yield* Incentives.revokeAward(admin, { communityId: C, awardId: big.id, reason: "wrong resident", idempotencyKey: "rv1" })).id).toBe(big.id)
      expect((yield* Effect.flip(Incentives.revokeAward(admin, { communityId: C, awardId: big.id, reason: "again" })))._tag).toBe("InvalidState")
      const a2 = yield* Incentives.award(admin, { communityId: C, residentId: r1, points: 30, reason: "x" })
      yield* Incentives.redeem(resident(r1), { communityId: C, residentId: r1, itemId: "soap", quantity: 2 })
      yield* Incentives.redeem(resident(r1), { communityId: C, residentId: r1, itemId: "parking" })
      expect(yield* pointsOf(r1)).toBe(10)
      const before = yield* state
      expect((yield* Effect.flip(Incentives.revokeAward(admin, { communityId: C, awardId: a2.id, reason: "x" })))._tag).toBe("InsufficientBalance")
      expect(yield* state).toStrictEqual(before)
      expect((yield* Effect.flip(Incentives.revokeAward(clerk, { communityId: C, awardId: a2.id, reason: "x" })))._tag).toBe("Forbidden")
    })))
})

describe("incentives: leaderboards", () => {
  it.effect("ranks the month 1-2-2-4, earlier totals first; opted-out residents are masked", () =>
    run(Effect.gen(function* () {
      const give = (r: string, points: number) => Incentives.award(admin, { communityId: C, residentId: r, points, reason: "x" })
      yield* give(r0, 30)
      yield* TestClock.adjust("1 minute")
      yield* give(r2, 20)
      yield* TestClock.adjust("1 minute")
      yield* give(r1, 20)
      yield* TestClock.adjust("1 minute")
      yield* give(r3, 10)
      yield* Incentives.setLeaderboardOptOut(resident(r1), { communityId: C, residentId: r1, optedOut: true })
      const board = yield* Incentives.leaderboard(resident(r3), C, "month")
      expect(board.period).toBe("month:2026-11")
      expect(board.rows.map((r) => [r.rank, r.points, r.residentId])).toEqual([[1, 30, r0], [2, 20, r2], [2, 20, undefined], [4, 10, r3]])
      const masked = board.rows[2]!
      const name = community.residents.find((x) => x.id === r1)!.name
      expect(masked.name).toBe([...name][0] + "*".repeat([...name].length - 1))
      const anonymous = yield* Incentives.leaderboard(resident(r3), C, "month").pipe(
        Effect.provide(Layer.succeed(Incentives.IncentiveConfig, { ...Incentives.defaultIncentiveConfig, optedOutDisplay: "anonymous" }))
      )
      expect(anonymous.rows[2]!.name).toBe("匿名居民")
      // the year board counts the same awards; next month's board starts empty
      expect((yield* Incentives.leaderboard(admin, C, "year")).rows.length).toBe(4)
      expect((yield* Incentives.leaderboard(admin, C, "month", { at: MONDAY_9 + 2 * 86_400_000 })).rows).toEqual([])
      // another community's resident may not read it
      expect((yield* Effect.flip(Incentives.leaderboard(resident("r-00001", other.community.id), C, "month")))._tag).toBe("Forbidden")
    })))
})

describe("incentives: permissions", () => {
  const actors: Record<string, Actor> = {
    self: resident(r0),
    otherResident: resident(r1),
    admin,
    treasurer,
    committee: staff([Roles.committee]),
    clerk,
    auditor: staff([Roles.auditor]),
    system,
    foreignAdmin: staff([Roles.admin], other.community.id)
  }
  const matrix: ReadonlyArray<readonly [string, (a: Actor) => Effect.Effect<unknown, unknown, any>, ReadonlyArray<string>]> = [
    ["award", (a) => Incentives.award(a, { communityId: C, residentId: r0, points: 1, reason: "x" }), ["admin", "treasurer", "committee", "system"]],
    ["awardPeer", (a) => Incentives.awardPeer(a, { communityId: C, giverId: r0, receiverId: r2 }), ["self", "admin", "clerk"]],
    ["addItem", (a) => Incentives.addItem(a, { communityId: C, itemId: "x", kind: "goods", name: "x", cost: 1 }), ["admin", "treasurer", "committee"]],
    ["redeem", (a) => Incentives.redeem(a, { communityId: C, residentId: r0, itemId: "nothing" }), ["self", "admin", "treasurer", "clerk"]],
    ["optOut", (a) => Incentives.setLeaderboardOptOut(a, { communityId: C, residentId: r0, optedOut: true }), ["self", "admin", "clerk"]],
    ["standing", (a) => Incentives.standing(a, C, r0), ["self", "admin", "treasurer", "committee", "clerk", "auditor", "system"]],
    ["leaderboard", (a) => Incentives.leaderboard(a, C, "month"), ["self", "otherResident", "admin", "treasurer", "committee", "clerk", "auditor", "system"]]
  ]
  for (const [name, command, allowed] of matrix) {
    it.effect(`${name}: allowed exactly for ${allowed.join(", ")}`, () =>
      run(Effect.gen(function* () {
        for (const [who, actor] of Object.entries(actors)) {
          const exit = yield* Effect.exit(command(actor))
          const forbidden = Exit.isFailure(exit) && exit.cause._tag === "Fail" && (exit.cause.error as { _tag: string })._tag === "Forbidden"
          expect({ who, forbidden }).toEqual({ who, forbidden: !allowed.includes(who) })
        }
      })))
  }
})

// ------------------------------------------------------------ property test

type Op =
  | { readonly kind: "award"; readonly r: number; readonly points: number; readonly key?: number }
  | { readonly kind: "peer"; readonly giver: number; readonly r: number; readonly key?: number }
  | { readonly kind: "redeem"; readonly r: number; readonly item: number; readonly quantity: number; readonly key?: number }
  | { readonly kind: "cancel"; readonly which: number }
  | { readonly kind: "fulfil"; readonly which: number }
  | { readonly kind: "revoke"; readonly which: number }
  | { readonly kind: "advance"; readonly hours: number }

const key = fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined })
const withKey = <A extends object>(a: A, k: number | undefined) => (k === undefined ? a : { ...a, key: k })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 80 }), key).map(([r, points, k]) => withKey({ kind: "award" as const, r, points }, k)),
  fc.tuple(fc.nat(3), fc.nat(3), key).map(([giver, r, k]) => withKey({ kind: "peer" as const, giver, r }, k)),
  fc.tuple(fc.nat(3), fc.nat(2), fc.integer({ min: 1, max: 3 }), key).map(([r, item, quantity, k]) => withKey({ kind: "redeem" as const, r, item, quantity }, k)),
  fc.nat(10).map((which) => ({ kind: "cancel" as const, which })),
  fc.nat(10).map((which) => ({ kind: "fulfil" as const, which })),
  fc.nat(10).map((which) => ({ kind: "revoke" as const, which })),
  fc.integer({ min: 1, max: 72 }).map((hours) => ({ kind: "advance" as const, hours }))
)

const ITEMS = ["fee", "parking", "goods"]

const checkInvariants = Effect.gen(function* () {
  const entries = yield* readJournal(C)
  const accounts = new Map<string, { floor?: number }>()
  let minted = 0
  let burned = 0
  for (const e of entries) {
    const ev = Option.getOrUndefined(decodeEntry(LedgerEvent)(e))
    if (ev === undefined) continue
    if (ev._tag === "LedgerAccountOpened") accounts.set(ev.accountId, ev.floor === undefined ? {} : { floor: ev.floor })
    else {
      // every transaction sums to zero
      expect(ev.postings.reduce((s, p) => s + p.amount, 0)).toBe(0)
      for (const p of ev.postings) {
        if (p.accountId === "inc:issuance") minted -= p.amount
        if (p.accountId === "inc:sink") burned += p.amount
      }
    }
  }
  let supply = 0
  for (const [id, { floor }] of accounts) {
    const b = yield* balanceOf(id)
    if (floor !== undefined) expect(b).toBeGreaterThanOrEqual(floor)
    if (id.startsWith("inc:r:")) supply += b
  }
  expect(supply).toBe(minted - burned)
  expect((yield* balanceOf("inc:issuance")) + minted).toBe(0)
  expect(yield* balanceOf("inc:sink")).toBe(burned)
})

describe("incentives: ledger invariants under random sequences (property)", () => {
  it("sums to zero, supply = minted - burned, no floored account negative, replays and failures change nothing, levels never drop on spending", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        const program = Effect.gen(function* () {
          yield* TestClock.setTime(MONDAY_9)
          yield* Incentives.addItem(admin, { communityId: C, itemId: "fee", kind: "property-fee-discount", name: "fee", cost: 40 })
          yield* Incentives.addItem(admin, { communityId: C, itemId: "parking", kind: "parking-hours", name: "parking", cost: 15, stock: 3, limit: { count: 2, period: "month" } })
          yield* Incentives.addItem(admin, { communityId: C, itemId: "goods", kind: "goods", name: "goods", cost: 5, stock: 4 })
          const awards: Array<string> = []
          const redemptions: Array<string> = []
          const succeeded = new Map<string, string>() // idempotency key -> canonical request
          for (const op of ops) {
            const before = yield* state
            const levelsBefore = yield* Effect.forEach(R.slice(0, 4), (r) => Effect.map(Incentives.standing(admin, C, r), (s) => s.level.index))
            let replay = false
            let exit: Exit.Exit<unknown, unknown>
            const keyed = (k: number | undefined, kind: string, req: object) => {
              if (k === undefined) return {}
              const idem = `${kind}-${k}`
              replay = succeeded.get(idem) === JSON.stringify(req)
              return { idempotencyKey: idem }
            }
            switch (op.kind) {
              case "award": {
                const req = { communityId: C, residentId: R[op.r]!, points: op.points, reason: "p" }
                exit = yield* Effect.exit(Incentives.award(admin, { ...req, ...keyed(op.key, "a", req) }))
                if (Exit.isSuccess(exit)) awards.push((exit.value as Incentives.Award).id)
                if (Exit.isSuccess(exit) && op.key !== undefined) succeeded.set(`a-${op.key}`, JSON.stringify(req))
                break
              }
              case "peer": {
                const req = { communityId: C, giverId: R[op.giver]!, receiverId: R[op.r]! }
                exit = yield* Effect.exit(Incentives.awardPeer(resident(R[op.giver]!), { ...req, ...keyed(op.key, "a", req) }))
                if (Exit.isSuccess(exit)) awards.push((exit.value as Incentives.Award).id)
                if (Exit.isSuccess(exit) && op.key !== undefined) succeeded.set(`a-${op.key}`, JSON.stringify(req))
                break
              }
              case "redeem": {
                const req = { communityId: C, residentId: R[op.r]!, itemId: ITEMS[op.item]!, quantity: op.quantity }
                exit = yield* Effect.exit(Incentives.redeem(resident(R[op.r]!), { ...req, ...keyed(op.key, "r", req) }))
                if (Exit.isSuccess(exit)) redemptions.push((exit.value as Incentives.Redemption).id)
                if (Exit.isSuccess(exit) && op.key !== undefined) succeeded.set(`r-${op.key}`, JSON.stringify(req))
                break
              }
              case "cancel":
                exit = yield* Effect.exit(Incentives.cancelRedemption(admin, { communityId: C, redemptionId: redemptions[op.which] ?? "none", reason: "p" }))
                break
              case "fulfil":
                exit = yield* Effect.exit(Incentives.fulfilRedemption(admin, { communityId: C, redemptionId: redemptions[op.which] ?? "none" }))
                break
              case "revoke":
                exit = yield* Effect.exit(Incentives.revokeAward(admin, { communityId: C, awardId: awards[op.which] ?? "none", reason: "p" }))
                break
              case "advance":
                yield* TestClock.adjust(`${op.hours} hours`)
                exit = Exit.void
                break
            }
            if (Exit.isFailure(exit) || replay) expect(yield* state).toStrictEqual(before)
            if (Exit.isFailure(exit)) {
              const tag = exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : "defect"
              expect(["InsufficientBalance", "OutOfStock", "RedemptionLimit", "IdempotencyKeyReused", "NotFound", "InvalidState", "InvalidInput"]).toContain(tag)
            }
            if (op.kind === "redeem" || op.kind === "cancel" || op.kind === "fulfil") {
              const levelsAfter = yield* Effect.forEach(R.slice(0, 4), (r) => Effect.map(Incentives.standing(admin, C, r), (s) => s.level.index))
              levelsAfter.forEach((l, i) => expect(l).toBeGreaterThanOrEqual(levelsBefore[i]!))
            }
            yield* checkInvariants
          }
          expect((yield* verifyJournal(C)).ok).toBe(true)
        })
        await Effect.runPromise(program.pipe(Effect.provide(makeLayer()), Effect.provide(TestContext.TestContext)) as Effect.Effect<void>)
      }),
      { numRuns: 30 }
    )
  }, 120_000)
})
