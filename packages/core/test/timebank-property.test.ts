/**
 * Property test of the time bank on the ledger: after any random sequence of
 * deposits (record + confirm, disputes), withdrawals (redemptions, payouts),
 * transfers, gifts and reversals, including failing ones and replays, the
 * ledger's invariants hold and every balance equals an independent model.
 */
import { MemoryInspector } from "@gongzhi/store-memory"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck as fc, TestClock, TestContext } from "effect"
import { type Account, type LedgerTxId, type Resident, type StoragePorts, TimeBank } from "../src/index.js"
import {
  C,
  child,
  childsParent,
  clerk,
  communityParty,
  ledgerPostings,
  mediator,
  owner,
  parent,
  resident,
  resParty,
  spouse,
  state,
  stranger,
  stranger2,
  T0,
  testLayer,
  timeBankEvents,
  treasurer
} from "./timebank-support.js"

const people: ReadonlyArray<Resident> = [owner, spouse, parent, child, childsParent, stranger, stranger2]
const who = fc.integer({ min: 0, max: people.length - 1 })
const key = fc.option(fc.constantFrom("k0", "k1", "k2", "k3"), { nil: undefined })
const amount = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 2000 }) })
/** Mostly family pairs (owner 0, spouse 1, parent 2, child 3 of 4), sometimes anyone. */
const pair = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom([0, 1], [1, 0], [0, 2], [2, 0], [3, 4], [4, 3]) },
  { weight: 1, arbitrary: fc.tuple(who, who) }
)

type Op =
  | { readonly t: "serve"; readonly p: number; readonly r: number; readonly type: string; readonly minutes: number; readonly how: "recipient" | "staff" | "other" | "dispute-credit" | "dispute-reject" | "none" }
  | { readonly t: "transfer" | "gift"; readonly from: number; readonly to: number; readonly amount: number; readonly key: string | undefined }
  | { readonly t: "redeem"; readonly from: number; readonly to: number | "community"; readonly amount: number; readonly key: string | undefined }
  | { readonly t: "payout"; readonly to: number; readonly amount: number; readonly key: string | undefined }
  | { readonly t: "reverseMove" | "reverseService" | "replay"; readonly pick: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("serve" as const), p: who, r: who, type: fc.constantFrom("elderly-care", "environment", "mediation"), minutes: fc.integer({ min: 1, max: 240 }), how: fc.constantFrom("recipient" as const, "staff" as const, "other" as const, "dispute-credit" as const, "dispute-reject" as const, "none" as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom("transfer" as const, "gift" as const), pair, amount, key }).map(({ pair: [from, to], ...rest }) => ({ ...rest, from: from!, to: to! })) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("redeem" as const), from: who, to: fc.oneof(who, fc.constant("community" as const)), amount, key }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("payout" as const), to: who, amount: fc.integer({ min: 1, max: 12_000 }), key }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constantFrom("reverseMove" as const, "reverseService" as const, "replay" as const), pick: fc.nat({ max: 3 }) }) }
)

/** How often each outcome happened over all runs: the property must have exercised every path. */
const seen = new Map<string, number>()
const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1)

const accountOf = (p: TimeBank.Party) => (p._tag === "Community" ? "tbs:community" : `tbr:${p.residentId}`)

const run = (ops: ReadonlyArray<Op>) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(T0)
    const db = (yield* MemoryInspector).database
    /** The balances the operations should have produced, by account id. */
    const model = new Map<string, number>()
    const add = (account: string, n: number) => model.set(account, (model.get(account) ?? 0) + n)
    const movements: Array<{ txId: LedgerTxId; from: string; to: string; amount: number }> = []
    const services: Array<TimeBank.ServiceId> = []
    const keyed: Array<Effect.Effect<TimeBank.MovementResult, unknown, StoragePorts>> = []
    let minted = 0
    let burned = 0

    const move = (effect: Effect.Effect<TimeBank.MovementResult, unknown, StoragePorts>) =>
      Effect.map(effect, (r) => {
        if (!r.replayed) {
          add(accountOf(r.from), -r.centiHours)
          add(accountOf(r.to), r.centiHours)
          movements.push({ txId: r.txId, from: accountOf(r.from), to: accountOf(r.to), amount: r.centiHours })
        }
        return r.replayed
      })

    // everyone starts with some credit (3.00 h each) so that movements can succeed
    const prelude: ReadonlyArray<Op> = people.map((_, i) => ({ t: "serve", p: i, r: i === 5 ? 6 : 5, type: "elderly-care", minutes: 120, how: "recipient" }))
    for (const o of [...prelude, ...ops]) {
      const before = yield* state
      let effect: Effect.Effect<boolean, unknown, StoragePorts>
      switch (o.t) {
        case "serve": {
          const provider = people[o.p]!
          const recipient = people[o.r]!
          effect = Effect.gen(function* () {
            const { service } = yield* TimeBank.recordService(resident(provider), {
              communityId: C, providerId: provider.id, recipientId: recipient.id, serviceType: o.type, minutes: o.minutes
            })
            services.push(service.id)
            const input = { communityId: C, serviceId: service.id }
            let credited: TimeBank.ServiceRecord | undefined
            switch (o.how) {
              case "recipient": credited = yield* TimeBank.confirmService(resident(recipient), input); break
              case "staff": credited = yield* TimeBank.confirmService(clerk, input); break
              case "other": credited = yield* TimeBank.confirmService(resident(people[(o.r + 1) % people.length]!), input); break
              case "dispute-credit":
              case "dispute-reject":
                yield* TimeBank.disputeService(resident(recipient), { ...input, reason: "too long" })
                if (o.how === "dispute-credit") {
                  credited = yield* TimeBank.resolveDispute(mediator, { ...input, outcome: "credit", minutes: Math.max(1, o.minutes >> 1), note: "" })
                } else yield* TimeBank.resolveDispute(mediator, { ...input, outcome: "reject", note: "" })
                break
              case "none": break
            }
            if (credited !== undefined) {
              add(`tbr:${provider.id}`, credited.centiHours)
              add("tbs:issuance", -credited.centiHours)
              minted += credited.centiHours
            }
            return false
          })
          // a failed confirmation rolls back only itself: the record stays, which the model does not track
          effect = Effect.catchAll(effect, (e) => (e as { _tag: string })._tag === "NotServiceRecipient" || (e as { _tag: string })._tag === "InvalidInput" ? Effect.succeed(false) : Effect.fail(e))
          break
        }
        case "transfer":
        case "gift": {
          const from = people[o.from]!
          const input = { communityId: C, fromResidentId: from.id, toResidentId: people[o.to]!.id, centiHours: o.amount, ...(o.key === undefined ? {} : { idempotencyKey: o.key }) }
          const command = o.t === "transfer" ? TimeBank.transfer(resident(from), input) : TimeBank.giftToParent(resident(from), input)
          if (o.key !== undefined) keyed.push(o.t === "transfer" ? TimeBank.transfer(resident(from), input) : TimeBank.giftToParent(resident(from), input))
          effect = move(command)
          break
        }
        case "redeem": {
          const from = people[o.from]!
          const payee = o.to === "community" ? communityParty : resParty(people[o.to]!)
          const input = { communityId: C, residentId: from.id, payee, centiHours: o.amount, ...(o.key === undefined ? {} : { idempotencyKey: o.key }) }
          if (o.key !== undefined) keyed.push(TimeBank.redeem(resident(from), input))
          effect = move(TimeBank.redeem(resident(from), input))
          break
        }
        case "payout": {
          const input = { communityId: C, toResidentId: people[o.to]!.id, centiHours: o.amount, ...(o.key === undefined ? {} : { idempotencyKey: o.key }) }
          if (o.key !== undefined) keyed.push(TimeBank.payOut(treasurer, input))
          effect = move(TimeBank.payOut(treasurer, input))
          break
        }
        case "reverseMove": {
          const m = movements[o.pick % Math.max(1, movements.length)]
          effect = m === undefined
            ? Effect.succeed(false)
            : Effect.map(TimeBank.reverseMovement(treasurer, { communityId: C, txId: m.txId, reason: "test" }), () => {
              add(m.from, m.amount)
              add(m.to, -m.amount)
              return false
            })
          break
        }
        case "reverseService": {
          const id = services[o.pick % Math.max(1, services.length)]
          effect = id === undefined
            ? Effect.succeed(false)
            : Effect.map(TimeBank.reverseService(treasurer, { communityId: C, serviceId: id, reason: "test" }), (s) => {
              add(`tbr:${s.providerId}`, -s.centiHours)
              add("tbs:issuance", s.centiHours)
              burned += s.centiHours
              return false
            })
          break
        }
        case "replay": {
          // mostly one of the last few keyed commands
          const again = keyed[keyed.length - 1 - (o.pick % Math.min(3, Math.max(1, keyed.length)))]
          effect = again === undefined ? Effect.succeed(false) : move(again)
          break
        }
      }
      const exit = yield* Effect.exit(effect)
      saw(`${o.t}:${Exit.isFailure(exit) ? (exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : "defect") : exit.value ? "replayed" : "ok"}`)
      if (Exit.isFailure(exit)) {
        // every failure is a typed error (never a defect) and leaves nothing changed
        expect(exit.cause._tag).toBe("Fail")
        const tag = exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : ""
        expect([
          "InsufficientBalance", "NotFamilyMember", "IdempotencyKeyReused", "InvalidInput", "NotReversible", "ServiceWrongState", "AlreadyConfirmed", "NotServiceRecipient"
        ]).toContain(tag)
        expect(yield* state).toStrictEqual(before)
      } else if (exit.value) {
        // a replay with the same key changes nothing
        expect(yield* state).toStrictEqual(before)
      }
    }

    // every ledger transaction sums to zero
    const txs = yield* ledgerPostings()
    for (const tx of txs) expect(tx.postings.reduce((s, p) => s + p.amount, 0)).toBe(0)
    const accounts = db.values<Account>("accounts", `${C}\u0000`).filter((a) => a.unit === "centi-hours")
    // no floored account below its floor
    for (const a of accounts) if (a.floor !== undefined) expect(a.balance).toBeGreaterThanOrEqual(a.floor)
    // total supply equals minted minus burned, from the events too
    const events = yield* timeBankEvents()
    const mintedByEvents = events.reduce((s, e) => s + (e._tag === "TimebankServiceConfirmed" ? e.centiHours : 0), 0)
    const burnedByEvents = events.reduce((s, e) => s + (e._tag === "TimebankServiceReversed" ? e.centiHours : 0), 0)
    expect([mintedByEvents, burnedByEvents]).toStrictEqual([minted, burned])
    const issuance = accounts.find((a) => a.id === "tbs:issuance")?.balance ?? 0
    const supply = accounts.filter((a) => a.id !== "tbs:issuance").reduce((s, a) => s + a.balance, 0)
    expect(supply).toBe(minted - burned)
    expect(minted - burned + issuance).toBe(0)
    // every balance is what the successful operations imply (a transfer never overwrites)
    for (const a of accounts) expect([a.id, a.balance]).toStrictEqual([a.id, model.get(a.id) ?? 0])
    return true
  }).pipe(Effect.provide(testLayer), Effect.provide(TestContext.TestContext))

describe("timebank: ledger invariants under random operations", () => {
  it("conserves credit, respects floors, ignores replays and leaves failures without trace", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => Effect.runPromise(run(ops))),
      { numRuns: 80, seed: 20261128 }
    )
    for (const outcome of [
      "serve:ok", "transfer:ok", "transfer:NotFamilyMember", "transfer:InsufficientBalance", "gift:ok", "gift:NotFamilyMember",
      "redeem:ok", "payout:ok", "payout:InsufficientBalance", "reverseMove:ok", "reverseMove:NotReversible", "reverseService:ok",
      "reverseService:ServiceWrongState", "replay:replayed"
    ]) expect([outcome, (seen.get(outcome) ?? 0) > 0]).toStrictEqual([outcome, true])
  }, 300_000)
})
