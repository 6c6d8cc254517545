/**
 * Property test of the fund on the ledger: after any random sequence of
 * bills, payments (with replays), income, expense requests, approvals (by
 * anyone, the requester included), payments of expenses, owners' votes,
 * refunds and trustee settlements, including failing ones:
 * - every ledger transaction balances and every account equals its postings;
 * - the fund's cash never goes below its floor;
 * - every paid expense has the approvals its amount needs, never the
 *   requester's, and a passed proposal above the second threshold;
 * - each household's arrears equal billed minus paid;
 * - every budget line's actual equals its paid expenses net of refunds;
 * - a refused command leaves the whole database unchanged.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck as fc, Option, TestClock, TestContext } from "effect"
import { type Actor, decodeEntry, Fund, LedgerEvent, LedgerStore, readJournal, Voting } from "../src/index.js"
import {
  admin,
  C,
  committeeA,
  committeeB,
  committeeC,
  community,
  FUND,
  layer,
  passVote,
  setupFund,
  state,
  T0,
  thresholds,
  treasurer
} from "./fund-support.js"

const FLOOR = 1_000_000
const households = community.households.slice(0, 6)
const people: ReadonlyArray<Actor> = [committeeA, committeeB, committeeC, treasurer, admin]
const person = fc.integer({ min: 0, max: people.length - 1 })
const pick = fc.nat({ max: 7 })

type Op =
  | { readonly t: "bill"; readonly month: number; readonly fixed: boolean; readonly price: number }
  | { readonly t: "pay"; readonly h: number; readonly amount: number; readonly key: string | undefined }
  | { readonly t: "income"; readonly amount: number }
  | { readonly t: "request"; readonly who: number; readonly amount: number; readonly line: "repairs" | "greening" }
  | { readonly t: "approve"; readonly pick: number; readonly who: number }
  | { readonly t: "payExpense" | "vote"; readonly pick: number }
  | { readonly t: "refund"; readonly pick: number; readonly amount: number }
  | { readonly t: "settle"; readonly month: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant("bill" as const), month: fc.integer({ min: 6, max: 9 }), fixed: fc.boolean(), price: fc.integer({ min: 50, max: 30_000 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("pay" as const), h: fc.nat({ max: households.length - 1 }), amount: fc.integer({ min: 1, max: 60_000 }), key: fc.option(fc.constantFrom("k0", "k1", "k2"), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("income" as const), amount: fc.integer({ min: 1, max: 3_000_000 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("request" as const),
      who: person,
      amount: fc.oneof(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 100_000, max: 1_000_000 }), fc.integer({ min: 1_000_001, max: 4_000_000 })),
      line: fc.constantFrom("repairs" as const, "greening" as const)
    })
  },
  { weight: 8, arbitrary: fc.record({ t: fc.constant("approve" as const), pick, who: person }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constantFrom("payExpense" as const), pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom("vote" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("refund" as const), pick, amount: fc.integer({ min: 1, max: 500_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("settle" as const), month: fc.integer({ min: 6, max: 9 }) }) }
)

const seen = new Map<string, number>()
const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1)
const period = (m: number) => `2026-${String(m).padStart(2, "0")}`

const run = (ops: ReadonlyArray<Op>) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(T0)
    yield* setupFund({ floorFen: FLOOR })
    yield* Fund.setTrusteeContract(committeeA, {
      communityId: C, fundId: FUND, trustee: "物业", basis: { _tag: "Percent", bp: 800 }, rules: []
    })
    const expenses: Array<Fund.Expense> = []
    // Mostly the latest requests, so approvals and payments meet.
    const at = (i: number) => expenses[Math.max(0, expenses.length - 1 - (i % 3 === 0 ? i : i % 2))]
    for (const o of ops) {
      yield* TestClock.adjust("1 hour")
      let effect: Effect.Effect<unknown, unknown, any>
      switch (o.t) {
        case "bill":
          effect = Fund.billFees(treasurer, {
            communityId: C, fundId: FUND, period: period(o.month), dueDate: `${period(o.month)}-25`, householdIds: households.map((h) => h.id),
            pricing: o.fixed ? { _tag: "Fixed", fen: o.price } : { _tag: "PerArea", fenPerM2: o.price }
          })
          break
        case "pay":
          effect = Fund.recordPayment(treasurer, { communityId: C, fundId: FUND, householdId: households[o.h]!.id, amountFen: o.amount, ...(o.key === undefined ? {} : { idempotencyKey: o.key }) })
          break
        case "income":
          effect = Fund.receiveIncome(treasurer, { communityId: C, fundId: FUND, source: "donation", amountFen: o.amount, memo: "捐赠" })
          break
        case "request":
          effect = Effect.tap(
            Fund.requestExpense(people[o.who]!, { communityId: C, fundId: FUND, payee: "p", purpose: "维修", budgetYear: 2026, budgetLine: o.line, amountFen: o.amount }),
            (e) => Effect.sync(() => expenses.push(e))
          )
          break
        case "approve":
          if (at(o.pick) === undefined) continue
          effect = Fund.approveExpense(people[o.who]!, { communityId: C, expenseId: at(o.pick)!.id })
          break
        case "payExpense":
          if (at(o.pick) === undefined) continue
          effect = Fund.payExpense(treasurer, { communityId: C, expenseId: at(o.pick)!.id })
          break
        case "vote": {
          const e = at(o.pick)
          if (e === undefined || e.proposalId === undefined) continue
          const p = yield* Voting.getProposal(admin, C, e.proposalId as Voting.ProposalId)
          if (p.status !== "draft") continue
          effect = passVote(e.proposalId)
          break
        }
        case "refund":
          if (at(o.pick) === undefined) continue
          effect = Fund.refundExpense(treasurer, { communityId: C, expenseId: at(o.pick)!.id, amountFen: o.amount, kind: "refund", reason: "退回" })
          break
        case "settle":
          effect = Fund.settleTrusteeFee(admin, { communityId: C, fundId: FUND, period: period(o.month) })
          break
      }
      const before = yield* state
      const exit = yield* Effect.exit(effect as Effect.Effect<unknown, unknown, never>)
      if (Exit.isSuccess(exit)) saw(`${o.t}:ok`)
      else {
        const error = exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : `defect ${String(exit.cause)}`
        expect(error.startsWith("defect")).toBe(false)
        saw(`${o.t}:${error}`)
        expect(yield* state).toEqual(before)
      }
    }

    // The ledger balances and every account equals its postings.
    const ledger = yield* LedgerStore
    const posted = (yield* readJournal(C)).flatMap((e) => Option.toArray(decodeEntry(LedgerEvent)(e))).flatMap((e) => (e._tag === "LedgerTransactionPosted" ? [e] : []))
    const sums = new Map<string, number>()
    for (const tx of posted) {
      expect(tx.postings.reduce((s, p) => s + p.amount, 0)).toBe(0)
      for (const p of tx.postings) sums.set(p.accountId, (sums.get(p.accountId) ?? 0) + p.amount)
    }
    for (const [id, sum] of sums) expect(Option.getOrThrow(yield* ledger.getAccount(C, id as never)).balance).toBe(sum)
    // Never below the floor.
    expect(sums.get(Fund.fundAccounts.cash(FUND)) ?? 0).toBeGreaterThanOrEqual(FLOOR)

    const store = yield* Fund.FundStore
    // Every paid expense has what its amount needs.
    const stored = yield* store.expenses.list({ communityId: C })
    for (const e of stored.filter((x) => x.status === "paid")) {
      expect(e.level).toBe(Fund.approvalLevel(e.amountFen, thresholds))
      expect(e.approvals.some((a) => a.by === e.requestedBy)).toBe(false)
      if (e.level === "vote") {
        const p = yield* Voting.getProposal(admin, C, e.proposalId as Voting.ProposalId)
        expect([p.status, p.outcome]).toEqual(["decided", "passed"])
      } else {
        expect(new Set(e.approvals.map((a) => a.by)).size).toBeGreaterThanOrEqual(Fund.approvalsNeeded(e.level))
      }
    }
    // Budget actual = paid expenses net of refunds, per line.
    const budget = Option.getOrThrow(yield* store.budgets.get({ communityId: C, fundId: FUND, year: 2026 }))
    for (const line of budget.lines) {
      const spent = stored.filter((e) => e.status === "paid" && e.budgetLine === line.code).reduce((s, e) => s + e.amountFen - e.refundedFen, 0)
      expect(line.actualFen).toBe(spent)
    }
    // Arrears = billed - paid.
    const payments = yield* store.payments.list({ communityId: C })
    for (const h of households) {
      const bills = yield* store.bills.list({ communityId: C, fundId: FUND, householdId: h.id })
      const billed = bills.reduce((s, b) => s + b.amountFen, 0)
      const paid = payments.filter((p) => p.householdId === h.id).reduce((s, p) => s + p.amountFen, 0)
      const balance = sums.get(Fund.fundAccounts.household(FUND, h.id)) ?? 0
      expect(balance).toBe(billed - paid)
      expect(bills.reduce((s, b) => s + b.amountFen - b.paidFen, 0)).toBe(Math.max(0, billed - paid))
      for (const b of bills) expect(b.paidFen <= b.amountFen && (b.status === "paid") === (b.paidFen === b.amountFen)).toBe(true)
    }
  }).pipe(Effect.provide(layer()), Effect.provide(TestContext.TestContext))

describe("fund: property over random bills, payments, expenses, approvals, refunds and settlements", () => {
  it("keeps the ledger balanced, the floor, four eyes, votes and arrears = billed - paid; refusals change nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), (ops) => Effect.runPromise(run(ops))),
      { numRuns: 40, seed: 20261202 }
    )
    // Every path the invariants talk about was exercised.
    for (const what of ["payExpense:ok", "payExpense:ApprovalRequired", "payExpense:ProposalNotPassed", "approve:SelfApproval", "approve:NotApprover", "approve:AlreadyApproved", "pay:ok", "refund:ok", "settle:ok", "vote:ok"]) {
      expect([what, (seen.get(what) ?? 0) > 0]).toEqual([what, true])
    }
  }, 240_000)
})
