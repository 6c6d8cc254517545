import { MemoryInspector } from "@gongzhi/store-memory"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  checkPermission,
  drain,
  LedgerStore,
  LedgerTxId,
  renderMessage,
  ResidentActor,
  type ResidentId,
  Roles,
  TimeBank,
  verifyJournal
} from "../src/index.js"
import {
  admin,
  bal,
  C,
  C_OTHER,
  child,
  childsParent,
  clerk,
  community,
  communityParty,
  ledgerPostings,
  mediator,
  owner,
  parent,
  record,
  resident,
  resParty,
  serve,
  spouse,
  staff,
  state,
  stranger,
  stranger2,
  system,
  T0,
  testLayer,
  timeBankEvents,
  treasurer
} from "./timebank-support.js"

const at = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.zipRight(TestClock.setTime(T0), effect).pipe(Effect.provide(testLayer))

/** Runs `effect`, expects it to fail with `tag`, and checks that no store changed. */
const failsUnchanged = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>, tag: string) =>
  Effect.gen(function* () {
    const before = yield* state
    const error = yield* Effect.flip(effect)
    expect(error._tag).toBe(tag)
    expect(yield* state).toStrictEqual(before)
    return error
  })

const transferInput = (from: { id: ResidentId }, to: { id: ResidentId }, centiHours: number, extra: Record<string, unknown> = {}) => ({
  communityId: C,
  fromResidentId: from.id,
  toResidentId: to.id,
  centiHours,
  ...extra
})

describe("timebank: recording and confirming services", () => {
  it.effect("elderly care 2 h confirmed by the person served deposits 3.00 h to the provider", () =>
    at(Effect.gen(function* () {
      const { service, replayed } = yield* record(owner, stranger, "elderly-care", 120)
      expect(replayed).toBe(false)
      expect(service).toMatchObject({ status: "pending", minutes: 120, centiHours: 300, multiplierPermille: 1500, year: 2026, version: 1 })
      // nothing is credited before the confirmation
      expect(yield* bal(owner)).toBe(0)
      const confirmed = yield* TimeBank.confirmService(resident(stranger), { communityId: C, serviceId: service.id })
      expect(confirmed).toMatchObject({ status: "credited", confirmedBy: `resident:${stranger.id}`, version: 2 })
      expect(yield* bal(owner)).toBe(300)
      expect(yield* bal(stranger)).toBe(0)
      const events = yield* timeBankEvents()
      expect(events.map((e) => e._tag)).toStrictEqual(["TimebankServiceRecorded", "TimebankServiceConfirmed"])
      expect(events[1]).toStrictEqual({
        _tag: "TimebankServiceConfirmed",
        serviceId: service.id,
        providerId: owner.id,
        recipientId: stranger.id,
        centiHours: 300,
        minutes: 120,
        serviceType: "elderly-care",
        txId: confirmed.creditTxId,
        confirmedBy: `resident:${stranger.id}`
      })
      // the deposit is one balanced ledger transaction from issuance
      const [deposit] = yield* ledgerPostings()
      expect(deposit!.postings).toStrictEqual([
        { accountId: "tbs:issuance", amount: -300 },
        { accountId: `tbr:${owner.id}`, amount: 300 }
      ])
      expect((yield* verifyJournal(C)).ok).toBe(true)
    })))

  it.effect("the multipliers: environment 1.0, mediation 2.0, and start/end times", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "environment", 45)
      expect(yield* bal(owner)).toBe(75)
      yield* serve(owner, stranger, "mediation", 30)
      expect(yield* bal(owner)).toBe(175)
      const { service } = yield* TimeBank.recordService(resident(spouse), {
        communityId: C,
        providerId: spouse.id,
        recipientId: stranger.id,
        serviceType: "elderly-care",
        startedAt: T0 - 3 * 3_600_000,
        endedAt: T0 - 3_600_000 - 30_000
      })
      // 1 h 59.5 min is rounded down to 119 whole minutes; 119/60 h × 1.5 = 2.975 h -> 298 centi-hours (half up)
      expect(service).toMatchObject({ minutes: 119, centiHours: 298, startedAt: T0 - 3 * 3_600_000, performedAt: T0 - 3 * 3_600_000 })
    })))

  it.effect("only the person served confirms: NotServiceRecipient for anyone else, nothing changed", () =>
    at(Effect.gen(function* () {
      const { service } = yield* record(owner, stranger, "elderly-care", 60)
      const input = { communityId: C, serviceId: service.id }
      const e1 = yield* failsUnchanged(TimeBank.confirmService(resident(stranger2), input), "NotServiceRecipient")
      expect(e1).toMatchObject({ code: "TIMEBANK_NOT_SERVICE_RECIPIENT", serviceId: service.id, residentId: stranger2.id })
      // the provider cannot confirm their own service
      yield* failsUnchanged(TimeBank.confirmService(resident(owner), input), "NotServiceRecipient")
      // staff without a confirming role are refused
      yield* failsUnchanged(TimeBank.confirmService(treasurer, input), "Forbidden")
      // staff of another community are refused
      yield* failsUnchanged(TimeBank.confirmService(staff(Roles.clerk, C_OTHER), input), "Forbidden")
      expect(yield* bal(owner)).toBe(0)
      yield* TimeBank.confirmService(resident(stranger), input)
      expect(yield* bal(owner)).toBe(150)
    })))

  it.effect("staff confirm for a resident without a phone; a second confirmation is AlreadyConfirmed", () =>
    at(Effect.gen(function* () {
      const { service } = yield* record(owner, parent, "elderly-care", 60)
      const input = { communityId: C, serviceId: service.id }
      const confirmed = yield* TimeBank.confirmService(clerk, input)
      expect(confirmed.confirmedBy).toBe("staff:s-clerk")
      const e = yield* failsUnchanged(TimeBank.confirmService(resident(parent), input), "AlreadyConfirmed")
      expect(e).toMatchObject({ code: "TIMEBANK_ALREADY_CONFIRMED", status: "credited" })
      yield* failsUnchanged(TimeBank.confirmService(clerk, input), "AlreadyConfirmed")
      yield* failsUnchanged(TimeBank.disputeService(resident(parent), { ...input, reason: "late" }), "AlreadyConfirmed")
      expect(yield* bal(owner)).toBe(150)
      const deposits = (yield* ledgerPostings()).filter((t) => t.kind === "timebank-deposit")
      expect(deposits.length).toBe(1)
    })))

  it.effect("a dispute goes to staff: credit with a corrected duration, or reject", () =>
    at(Effect.gen(function* () {
      const a = (yield* record(owner, stranger, "elderly-care", 120)).service
      const b = (yield* record(spouse, stranger, "environment", 60)).service
      yield* failsUnchanged(
        TimeBank.disputeService(resident(stranger2), { communityId: C, serviceId: a.id, reason: "not me" }),
        "NotServiceRecipient"
      )
      const disputed = yield* TimeBank.disputeService(resident(stranger), { communityId: C, serviceId: a.id, reason: "It was one hour" })
      expect(disputed).toMatchObject({ status: "disputed", dispute: { reason: "It was one hour", raisedBy: `resident:${stranger.id}` } })
      // a disputed service cannot be confirmed any more
      const wrong = yield* failsUnchanged(TimeBank.confirmService(resident(stranger), { communityId: C, serviceId: a.id }), "ServiceWrongState")
      expect(wrong).toMatchObject({ code: "TIMEBANK_SERVICE_WRONG_STATE", status: "disputed", action: "confirm" })
      // residents and clerks do not resolve
      yield* failsUnchanged(
        TimeBank.resolveDispute(resident(stranger), { communityId: C, serviceId: a.id, outcome: "credit", note: "" }),
        "Forbidden"
      )
      // resolving a service that is not disputed
      yield* failsUnchanged(
        TimeBank.resolveDispute(mediator, { communityId: C, serviceId: b.id, outcome: "reject", note: "" }),
        "ServiceWrongState"
      )
      const credited = yield* TimeBank.resolveDispute(mediator, { communityId: C, serviceId: a.id, outcome: "credit", minutes: 60, note: "agreed on 1 h" })
      expect(credited).toMatchObject({ status: "credited", minutes: 60, centiHours: 150, dispute: { resolution: { outcome: "credit", minutes: 60, resolvedBy: "staff:s-mediator" } } })
      expect(yield* bal(owner)).toBe(150)
      const hours = yield* TimeBank.residentHours(system, C, owner.id, 2026)
      expect(hours).toMatchObject({ givenMinutes: 60, givenCentiHours: 150, servicesGiven: 1 })

      yield* TimeBank.disputeService(clerk, { communityId: C, serviceId: b.id, reason: "never happened" })
      const rejected = yield* TimeBank.resolveDispute(admin, { communityId: C, serviceId: b.id, outcome: "reject", note: "no witness" })
      expect(rejected.status).toBe("rejected")
      expect(yield* bal(spouse)).toBe(0)
      yield* failsUnchanged(TimeBank.confirmService(resident(stranger), { communityId: C, serviceId: b.id }), "ServiceWrongState")
      const tags = (yield* timeBankEvents()).map((e) => e._tag)
      expect(tags.filter((t) => t === "TimebankDisputeResolved").length).toBe(2)
      expect(tags.filter((t) => t === "TimebankServiceConfirmed").length).toBe(1)
    })))

  it.effect("recording validates the type, the duration and the time; replays by idempotency key", () =>
    at(Effect.gen(function* () {
      const e1 = yield* failsUnchanged(record(owner, stranger, "gardening", 60), "UnknownServiceType")
      expect(e1).toMatchObject({ code: "TIMEBANK_UNKNOWN_SERVICE_TYPE" })
      yield* failsUnchanged(record(owner, stranger, "elderly-care", 721), "InvalidInput")
      yield* failsUnchanged(record(owner, owner, "elderly-care", 60), "InvalidInput")
      yield* failsUnchanged(record(owner, stranger, "elderly-care", 60, { performedAt: T0 + 60_000 }), "InvalidInput")
      yield* failsUnchanged(record(owner, stranger, "elderly-care", 60, { performedAt: T0 - 31 * 86_400_000 }), "InvalidInput")
      yield* failsUnchanged(record(owner, stranger, "elderly-care", 60, { startedAt: T0 - 60_000 }), "InvalidInput")
      yield* failsUnchanged(
        TimeBank.recordService(resident(owner), { communityId: C, providerId: owner.id, recipientId: "r-nobody", serviceType: "elderly-care", minutes: 60 }),
        "NotFound"
      )
      // a resident records only their own services
      yield* failsUnchanged(
        TimeBank.recordService(resident(stranger2), { communityId: C, providerId: owner.id, recipientId: stranger.id, serviceType: "elderly-care", minutes: 60 }),
        "Forbidden"
      )
      const first = yield* record(owner, stranger, "elderly-care", 60, { idempotencyKey: "visit-1", note: "read the paper" })
      const before = yield* state
      const again = yield* record(owner, stranger, "elderly-care", 60, { idempotencyKey: "visit-1", note: "read the paper" })
      expect(again).toStrictEqual({ service: first.service, replayed: true })
      expect(yield* state).toStrictEqual(before)
      yield* failsUnchanged(record(owner, stranger, "elderly-care", 90, { idempotencyKey: "visit-1" }), "IdempotencyKeyReused")
    })))

  it.effect("a community defines its own service types; inactive ones cannot be recorded", () =>
    at(Effect.gen(function* () {
      yield* failsUnchanged(
        TimeBank.defineServiceType(clerk, { communityId: C, code: "tutoring", name: { "zh-CN": "辅导作业", en: "Tutoring" }, multiplierPermille: 1200 }),
        "Forbidden"
      )
      yield* TimeBank.defineServiceType(admin, { communityId: C, code: "tutoring", name: { "zh-CN": "辅导作业", en: "Tutoring" }, multiplierPermille: 1200 })
      yield* TimeBank.defineServiceType(admin, { communityId: C, code: "environment", name: { "zh-CN": "环境整治", en: "Environment" }, multiplierPermille: 1000, active: false })
      const types = yield* TimeBank.serviceTypes(resident(owner), C)
      expect(types.map((t) => [t.code, t.multiplierPermille, t.active])).toStrictEqual([
        ["elderly-care", 1500, true],
        ["environment", 1000, false],
        ["mediation", 2000, true],
        ["tutoring", 1200, true]
      ])
      const { service } = yield* record(owner, stranger, "tutoring", 50)
      expect(service.centiHours).toBe(100)
      yield* failsUnchanged(record(owner, stranger, "environment", 60), "UnknownServiceType")
      // another community still has the defaults
      expect((yield* TimeBank.serviceTypes(staff(Roles.admin, C_OTHER), C_OTHER)).map((t) => t.code)).toStrictEqual(["elderly-care", "environment", "mediation"])
    })))

  it.effect("the configuration is a Context.Reference: multipliers, floors and limits can be overridden", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* serve(owner, stranger, "environment", 60)
      expect(yield* bal(owner)).toBe(125)
      // residents may overdraw to -50 under this configuration
      yield* TimeBank.transfer(resident(spouse), transferInput(spouse, owner, 50))
      expect(yield* bal(spouse)).toBe(-50)
      yield* failsUnchanged(TimeBank.transfer(resident(spouse), transferInput(spouse, owner, 1)), "InsufficientBalance")
    }).pipe(
      Effect.provide(testLayer),
      Effect.provide(
        Layer.succeed(TimeBank.TimeBankConfig, {
          ...TimeBank.defaultTimeBankConfig,
          serviceTypes: [{ code: "environment", name: { "zh-CN": "环境", en: "Environment" }, multiplierPermille: 1250 }],
          residentFloor: -50
        })
      )
    ))
})

describe("timebank: moving credit", () => {
  it.effect("the seed's transfer bug is impossible: the recipient's earlier balance is kept", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120) // owner: 300
      yield* serve(spouse, stranger, "mediation", 60) // spouse: 200
      const result = yield* TimeBank.transfer(resident(owner), transferInput(owner, spouse, 100))
      expect(result).toMatchObject({ from: resParty(owner), to: resParty(spouse), centiHours: 100, replayed: false })
      // the seed's code set the recipient to 0 + 100; the recipient keeps the 200 it had
      expect(yield* bal(spouse)).toBe(300)
      expect(yield* bal(owner)).toBe(200)
      // one ledger transaction debits the sender and credits the recipient
      const tx = yield* Effect.flatMap(LedgerStore, (s) => s.getTransaction(C, result.txId))
      expect(Option.getOrThrow(tx).postings).toStrictEqual([
        { accountId: `tbr:${owner.id}`, amount: -100 },
        { accountId: `tbr:${spouse.id}`, amount: 100 }
      ])
      expect(Option.getOrThrow(tx).kind).toBe("timebank-transfer")
    })))

  it.effect("transfers go to family only: NotFamilyMember otherwise, nothing changed", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120)
      const e = yield* failsUnchanged(TimeBank.transfer(resident(owner), transferInput(owner, stranger2, 100)), "NotFamilyMember")
      expect(e).toMatchObject({ code: "TIMEBANK_NOT_FAMILY_MEMBER", relation: "family", fromResidentId: owner.id, toResidentId: stranger2.id })
      // links count in both directions: the parent lists the owner as child
      yield* TimeBank.transfer(resident(owner), transferInput(owner, parent, 10))
      yield* TimeBank.transfer(resident(parent), transferInput(parent, owner, 5))
      expect([yield* bal(owner), yield* bal(parent)]).toStrictEqual([295, 5])
      // a resident transfers only their own credit; staff of the ledger may act for them
      yield* failsUnchanged(TimeBank.transfer(resident(spouse), transferInput(owner, spouse, 10)), "Forbidden")
      yield* TimeBank.transfer(treasurer, transferInput(owner, spouse, 10))
      yield* failsUnchanged(TimeBank.transfer(clerk, transferInput(owner, spouse, 10)), "Forbidden")
      yield* failsUnchanged(TimeBank.transfer(resident(owner), transferInput(owner, owner, 10)), "InvalidInput")
      yield* failsUnchanged(TimeBank.transfer(resident(owner), transferInput(owner, spouse, 0)), "InvalidInput")
      yield* failsUnchanged(TimeBank.transfer(resident(owner), transferInput(owner, spouse, 1.5)), "InvalidInput")
      const e2 = yield* failsUnchanged(TimeBank.transfer(resident(owner), transferInput(owner, spouse, 10_000)), "InsufficientBalance")
      expect(e2).toMatchObject({ balance: 285, floor: 0, amount: -10_000 })
    })))

  it.effect("gifts go to parents only", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120)
      yield* serve(child, stranger, "environment", 60)
      // the owner lists the parent as `parent`
      const gift = yield* TimeBank.giftToParent(resident(owner), transferInput(owner, parent, 150, { memo: "for mum" }))
      expect(gift.replayed).toBe(false)
      expect(yield* bal(parent)).toBe(150)
      // the parent lists the child as `child` (the child's own link says `parent`): both directions count
      yield* TimeBank.giftToParent(resident(child), transferInput(child, childsParent, 40))
      expect(yield* bal(childsParent)).toBe(40)
      // a spouse, a child or a stranger is not a parent
      const e = yield* failsUnchanged(TimeBank.giftToParent(resident(owner), transferInput(owner, spouse, 10)), "NotFamilyMember")
      expect(e).toMatchObject({ relation: "parent" })
      yield* failsUnchanged(TimeBank.giftToParent(resident(parent), transferInput(parent, owner, 10)), "NotFamilyMember")
      yield* failsUnchanged(TimeBank.giftToParent(resident(owner), transferInput(owner, stranger, 10)), "NotFamilyMember")
      const moved = (yield* timeBankEvents()).filter((x) => x._tag === "TimebankCreditMoved")
      expect(moved.map((m) => m._tag === "TimebankCreditMoved" && m.movement)).toStrictEqual(["gift", "gift"])
    })))

  it.effect("a replay with the same idempotency key returns the first result and changes nothing", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120)
      const input = transferInput(owner, spouse, 100, { idempotencyKey: "gift-2026-06" })
      const first = yield* TimeBank.transfer(resident(owner), input)
      const before = yield* state
      const again = yield* TimeBank.transfer(resident(owner), input)
      expect(again).toStrictEqual({ ...first, replayed: true })
      expect(yield* state).toStrictEqual(before)
      yield* failsUnchanged(TimeBank.transfer(resident(owner), { ...input, centiHours: 99 }), "IdempotencyKeyReused")
      yield* failsUnchanged(
        TimeBank.redeem(resident(owner), { communityId: C, residentId: owner.id, payee: communityParty, centiHours: 100, idempotencyKey: "gift-2026-06" }),
        "IdempotencyKeyReused"
      )
      expect([yield* bal(owner), yield* bal(spouse)]).toStrictEqual([200, 100])
    })))

  it.effect("redeeming pays a provider or the community; the community pays out down to its floor", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120)
      yield* TimeBank.redeem(resident(owner), { communityId: C, residentId: owner.id, payee: resParty(stranger2), centiHours: 100 })
      yield* TimeBank.redeem(resident(owner), { communityId: C, residentId: owner.id, payee: communityParty, centiHours: 50 })
      expect([yield* bal(owner), yield* bal(stranger2), yield* bal("community")]).toStrictEqual([150, 100, 50])
      yield* failsUnchanged(
        TimeBank.redeem(resident(stranger2), { communityId: C, residentId: owner.id, payee: communityParty, centiHours: 1 }),
        "Forbidden"
      )
      yield* failsUnchanged(
        TimeBank.redeem(resident(owner), { communityId: C, residentId: owner.id, payee: resParty(owner), centiHours: 1 }),
        "InvalidInput"
      )
      // the community advances credit down to -100 h (the default floor)
      yield* TimeBank.payOut(treasurer, { communityId: C, toResidentId: parent.id, centiHours: 10_050 })
      expect(yield* bal("community")).toBe(-10_000)
      const e = yield* failsUnchanged(TimeBank.payOut(treasurer, { communityId: C, toResidentId: parent.id, centiHours: 1 }), "InsufficientBalance")
      expect(e).toMatchObject({ floor: -10_000 })
      yield* failsUnchanged(TimeBank.payOut(resident(parent), { communityId: C, toResidentId: parent.id, centiHours: 1 }), "Forbidden")
      yield* TimeBank.payOut(system, { communityId: C, toResidentId: parent.id, centiHours: 0 }).pipe(Effect.flip)
      expect(yield* bal(parent)).toBe(10_050)
    })))

  it.effect("movements are reversed by a linked compensating transaction, once", () =>
    at(Effect.gen(function* () {
      const deposit = yield* serve(owner, stranger, "elderly-care", 120)
      const t = yield* TimeBank.transfer(resident(owner), transferInput(owner, spouse, 100))
      yield* failsUnchanged(TimeBank.reverseMovement(resident(owner), { communityId: C, txId: t.txId, reason: "mistake" }), "Forbidden")
      const r = yield* TimeBank.reverseMovement(treasurer, { communityId: C, txId: t.txId, reason: "mistake", idempotencyKey: "rev-1" })
      expect(r).toMatchObject({ from: resParty(spouse), to: resParty(owner), centiHours: 100, replayed: false })
      expect([yield* bal(owner), yield* bal(spouse)]).toStrictEqual([300, 0])
      const reversal = Option.getOrThrow(yield* Effect.flatMap(LedgerStore, (s) => s.getTransaction(C, r.txId)))
      expect(reversal).toMatchObject({ kind: "reversal", reverses: t.txId })
      const replay = yield* TimeBank.reverseMovement(treasurer, { communityId: C, txId: t.txId, reason: "mistake", idempotencyKey: "rev-1" })
      expect(replay).toStrictEqual({ ...r, replayed: true })
      const e = yield* failsUnchanged(TimeBank.reverseMovement(treasurer, { communityId: C, txId: t.txId, reason: "again" }), "NotReversible")
      expect(e).toMatchObject({ code: "TIMEBANK_NOT_REVERSIBLE", reason: "already-reversed" })
      // deposits are reversed through reverseService; reversals are not reversed
      yield* failsUnchanged(TimeBank.reverseMovement(treasurer, { communityId: C, txId: deposit.creditTxId!, reason: "x" }), "NotReversible")
      yield* failsUnchanged(TimeBank.reverseMovement(treasurer, { communityId: C, txId: r.txId, reason: "x" }), "NotReversible")
      yield* failsUnchanged(TimeBank.reverseMovement(treasurer, { communityId: C, txId: LedgerTxId.make("tx_missing"), reason: "x" }), "NotFound")
      // a reversal the receiver cannot pay is refused
      const t2 = yield* TimeBank.transfer(resident(owner), transferInput(owner, spouse, 100))
      yield* TimeBank.redeem(resident(spouse), { communityId: C, residentId: spouse.id, payee: communityParty, centiHours: 60 })
      yield* failsUnchanged(TimeBank.reverseMovement(treasurer, { communityId: C, txId: t2.txId, reason: "x" }), "InsufficientBalance")
    })))

  it.effect("reversing a credited service takes back the credit and the hours", () =>
    at(Effect.gen(function* () {
      const s = yield* serve(owner, stranger, "elderly-care", 120)
      yield* failsUnchanged(TimeBank.reverseService(clerk, { communityId: C, serviceId: s.id, reason: "did not happen" }), "Forbidden")
      const reversed = yield* TimeBank.reverseService(treasurer, { communityId: C, serviceId: s.id, reason: "did not happen" })
      expect(reversed).toMatchObject({ status: "reversed", reversalReason: "did not happen", reversedBy: "staff:s-treasurer" })
      expect(yield* bal(owner)).toBe(0)
      expect(yield* TimeBank.residentHours(system, C, owner.id, 2026)).toMatchObject({ givenMinutes: 0, givenCentiHours: 0, servicesGiven: 0 })
      expect(yield* TimeBank.residentHours(system, C, stranger.id, 2026)).toMatchObject({ receivedMinutes: 0, servicesReceived: 0 })
      yield* failsUnchanged(TimeBank.reverseService(treasurer, { communityId: C, serviceId: s.id, reason: "again" }), "ServiceWrongState")
      yield* failsUnchanged(TimeBank.confirmService(resident(stranger), { communityId: C, serviceId: s.id }), "AlreadyConfirmed")
      // spent credit cannot be taken back below the floor
      const s2 = yield* serve(owner, stranger, "elderly-care", 120)
      yield* TimeBank.transfer(resident(owner), transferInput(owner, spouse, 200))
      yield* failsUnchanged(TimeBank.reverseService(treasurer, { communityId: C, serviceId: s2.id, reason: "x" }), "InsufficientBalance")
      const pending = (yield* record(owner, stranger, "elderly-care", 60)).service
      yield* failsUnchanged(TimeBank.reverseService(treasurer, { communityId: C, serviceId: pending.id, reason: "x" }), "ServiceWrongState")
    })))
})

describe("timebank: hours, statements and notifications", () => {
  it.effect("hours given and hours received are kept apart; statements list every posting", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120)
      yield* serve(stranger, owner, "environment", 30)
      yield* serve(owner, parent, "mediation", 45)
      const o = yield* TimeBank.residentHours(resident(owner), C, owner.id, 2026)
      expect(o).toMatchObject({ givenMinutes: 165, givenCentiHours: 300 + 150, servicesGiven: 2, receivedMinutes: 30, servicesReceived: 1 })
      const s = yield* TimeBank.residentHours(clerk, C, stranger.id, 2026).pipe(Effect.flip)
      expect(s._tag).toBe("Forbidden")
      const st = yield* TimeBank.residentHours(staff(Roles.committee), C, stranger.id, 2026)
      expect(st).toMatchObject({ givenMinutes: 30, givenCentiHours: 50, receivedMinutes: 120, servicesReceived: 1 })
      expect(yield* TimeBank.residentHours(resident(owner), C, owner.id, 2025)).toMatchObject({ givenMinutes: 0, receivedMinutes: 0 })
      yield* failsUnchanged(TimeBank.residentHours(resident(owner), C, stranger.id, 2026), "Forbidden")

      yield* TimeBank.giftToParent(resident(owner), transferInput(owner, parent, 100))
      const statement = yield* TimeBank.statement(resident(owner), C, resParty(owner))
      expect(statement.lines.map((l) => [l.kind, l.amount, l.balanceAfter])).toStrictEqual([
        ["timebank-deposit", 300, 300],
        ["timebank-deposit", 150, 450],
        ["timebank-gift", -100, 350]
      ])
      expect([statement.credits, statement.debits]).toStrictEqual([450, 100])
      yield* failsUnchanged(TimeBank.statement(resident(stranger), C, resParty(owner)), "Forbidden")
      yield* failsUnchanged(TimeBank.statement(resident(owner), C, communityParty), "Forbidden")
      expect((yield* TimeBank.statement(staff(Roles.auditor), C, communityParty)).lines).toStrictEqual([])
    })))

  it.effect("annual volunteer hours per resident against the target (over 10 hours a year)", () =>
    at(Effect.gen(function* () {
      const residents = community.residents.length
      expect((yield* TimeBank.annualVolunteerHours(resident(owner), C, 2026)).residents).toBe(residents)
      // owner: 11 h (over the target), spouse: 10 h exactly (not over), stranger 2 h
      for (let i = 0; i < 11; i++) yield* serve(owner, stranger, "environment", 60)
      for (let i = 0; i < 10; i++) yield* serve(spouse, stranger, "environment", 60)
      yield* serve(stranger, owner, "elderly-care", 120)
      const figure = yield* TimeBank.annualVolunteerHours(resident(owner), C, 2026)
      const total = (11 + 10 + 2) * 60
      expect(figure).toStrictEqual({
        year: 2026,
        residents,
        volunteers: 3,
        totalMinutes: total,
        perResidentCentiHours: Math.floor((total * 200 + 60 * residents) / (120 * residents)),
        targetMinutesPerResident: 600,
        meetsTarget: false,
        residentsOverTarget: 1
      })
      expect((yield* TimeBank.annualVolunteerHours(system, C, 2027)).totalMinutes).toBe(0)
    })))

  it.effect("the year follows the community's time zone (Asia/Shanghai)", () =>
    Effect.gen(function* () {
      // 2026-12-31 17:30 UTC is 2027-01-01 01:30 in Shanghai
      yield* TestClock.setTime(Date.UTC(2026, 11, 31, 17, 30))
      const { service } = yield* record(owner, stranger, "environment", 60, { performedAt: Date.UTC(2026, 11, 31, 16, 30) })
      expect(service.year).toBe(2027)
      const { service: late } = yield* record(owner, stranger, "environment", 60, { performedAt: Date.UTC(2026, 11, 31, 15, 30) })
      expect(late.year).toBe(2026)
    }).pipe(Effect.provide(testLayer)))

  it.effect("notifications: a confirmation request to the person served, a deposit notice to the provider, once", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120)
      const inspector = yield* MemoryInspector
      expect(inspector.outbox()).toStrictEqual([]) // commands never send
      const report = yield* drain(TimeBank.timeBankNotifications, C)
      expect(report.deadLettered).toBe(0)
      const sent = inspector.outbox()
      expect(sent.map((m) => [m.templateId, m.recipient])).toStrictEqual([
        ["timebank.confirmationRequest", { _tag: "Resident", residentId: stranger.id }],
        ["timebank.deposited", { _tag: "Resident", residentId: owner.id }]
      ])
      const request = Option.getOrThrow(yield* renderMessage(sent[0]!))
      expect(request).toContain(owner.name)
      expect(request).toContain("服务老人")
      expect(request).toContain("2.00")
      const deposit = Option.getOrThrow(yield* renderMessage(sent[1]!))
      expect(deposit).toBe("您的服务老人服务（2.00小时）已确认，时间银行存入 3.00 小时。")
      // phone numbers never travel in messages
      expect(JSON.stringify(sent)).not.toContain(owner.phone!)
      // re-running the subscriber sends nothing twice
      yield* drain(TimeBank.timeBankNotifications, C)
      expect(inspector.outbox().length).toBe(2)
    })))
})

describe("timebank: reading services", () => {
  it.effect("residents see the services they gave or received; staff see the dispute queue", () =>
    at(Effect.gen(function* () {
      const a = (yield* record(owner, stranger, "elderly-care", 60)).service
      const b = (yield* record(spouse, owner, "environment", 30)).service
      yield* TimeBank.disputeService(resident(owner), { communityId: C, serviceId: b.id, reason: "not done" })
      expect((yield* TimeBank.listServices(resident(owner), C, { providerId: owner.id })).map((s) => s.id)).toStrictEqual([a.id])
      expect((yield* TimeBank.listServices(resident(owner), C, { recipientId: owner.id })).map((s) => s.id)).toStrictEqual([b.id])
      expect((yield* TimeBank.listServices(resident(owner), C, { providerId: spouse.id, recipientId: owner.id })).map((s) => s.id)).toStrictEqual([b.id])
      yield* failsUnchanged(TimeBank.listServices(resident(owner), C, {}), "Forbidden")
      yield* failsUnchanged(TimeBank.listServices(resident(owner), C, { providerId: spouse.id }), "Forbidden")
      expect((yield* TimeBank.listServices(staff(Roles.committee), C, { status: "disputed" })).map((s) => s.id)).toStrictEqual([b.id])
      expect((yield* TimeBank.getService(resident(stranger), C, a.id)).id).toBe(a.id)
      expect((yield* TimeBank.getService(resident(owner), C, b.id)).dispute?.reason).toBe("not done")
      yield* failsUnchanged(TimeBank.getService(resident(stranger2), C, a.id), "Forbidden")
      yield* failsUnchanged(TimeBank.getService(resident(owner), C, TimeBank.ServiceId.make("svc-none")), "NotFound")
    })))
})

describe("timebank: permission matrix", () => {
  type Who = "self" | "other-resident" | "system" | "tenant" | keyof typeof Roles
  const all: ReadonlyArray<Who> = ["self", "other-resident", "system", "tenant", ...(Object.keys(Roles) as Array<keyof typeof Roles>)]
  const expected: Record<TimeBank.TimeBankCommand, ReadonlyArray<Who>> = {
    "timebank.defineServiceType": ["admin"],
    "timebank.recordService": ["self", "admin", "committee", "clerk"],
    "timebank.confirmService": ["self", "other-resident", "admin", "committee", "clerk"],
    "timebank.disputeService": ["self", "other-resident", "admin", "committee", "clerk"],
    "timebank.resolveDispute": ["admin", "committee", "mediator"],
    "timebank.reverseService": ["admin", "treasurer"],
    "timebank.transfer": ["self", "admin", "treasurer"],
    "timebank.giftToParent": ["self", "admin", "treasurer"],
    "timebank.redeem": ["self", "admin", "treasurer"],
    "timebank.payOut": ["system", "admin", "treasurer"],
    "timebank.reverseMovement": ["admin", "treasurer"],
    "timebank.read": ["self", "system", "admin", "treasurer", "committee", "auditor"],
    "timebank.report": ["self", "other-resident", "system", "admin", "treasurer", "committee", "auditor"]
  }
  const actorFor = (who: Who) => {
    switch (who) {
      case "self":
        return resident(owner)
      case "other-resident":
        return resident(stranger)
      case "system":
        return system
      case "tenant":
        return new ResidentActor({ communityId: C_OTHER, residentId: owner.id })
      default:
        return staff(Roles[who])
    }
  }

  it("every command allows exactly the listed actors", () => {
    expect(Object.keys(TimeBank.timeBankPermissions).sort()).toStrictEqual(Object.keys(expected).sort())
    for (const [command, allowed] of Object.entries(expected) as Array<[TimeBank.TimeBankCommand, ReadonlyArray<Who>]>) {
      for (const who of all) {
        // the subject of self-service commands is the owner
        const reason = checkPermission(TimeBank.timeBankPermissions[command], actorFor(who), C, owner.id)
        expect([command, who, reason === undefined]).toStrictEqual([command, who, allowed.includes(who)])
      }
    }
  })

  it.effect("refusals through the commands are Forbidden and change nothing", () =>
    at(Effect.gen(function* () {
      yield* serve(owner, stranger, "elderly-care", 120)
      const { service } = yield* record(owner, stranger, "elderly-care", 60)
      const tenant = new ResidentActor({ communityId: C_OTHER, residentId: owner.id })
      const cases: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }, never>> = [
        TimeBank.recordService(tenant, { communityId: C, providerId: owner.id, recipientId: stranger.id, serviceType: "elderly-care", minutes: 60 }),
        TimeBank.recordService(system, { communityId: C, providerId: owner.id, recipientId: stranger.id, serviceType: "elderly-care", minutes: 60 }),
        TimeBank.confirmService(system, { communityId: C, serviceId: service.id }),
        TimeBank.confirmService(staff(Roles.auditor), { communityId: C, serviceId: service.id }),
        TimeBank.disputeService(staff(Roles.handler), { communityId: C, serviceId: service.id, reason: "x" }),
        TimeBank.transfer(system, transferInput(owner, spouse, 10)),
        TimeBank.giftToParent(staff(Roles.committee), transferInput(owner, parent, 10)),
        TimeBank.redeem(staff(Roles.auditor), { communityId: C, residentId: owner.id, payee: communityParty, centiHours: 10 }),
        TimeBank.payOut(staff(Roles.committee), { communityId: C, toResidentId: owner.id, centiHours: 10 }),
        TimeBank.defineServiceType(treasurer, { communityId: C, code: "x", name: { "zh-CN": "x", en: "x" }, multiplierPermille: 1000 }),
        TimeBank.balance(resident(stranger), C, resParty(owner))
      ] as never
      for (const c of cases) yield* failsUnchanged(c, "Forbidden")
      expect(yield* bal(owner)).toBe(300)
    })))
})
