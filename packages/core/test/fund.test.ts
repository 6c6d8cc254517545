import { MemoryInspector } from "@gongzhi/store-memory"
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { type Actor, checkPermission, CommunityId, Fund, Issues, JournalEntry, LocalDate, ResidentId, Role, StaffActor, StaffId, readJournal, renderMessage, Voting, WorkdayCalendar } from "../src/index.js"
import {
  admin,
  auditor,
  balance,
  C,
  cash,
  clerk,
  committeeA,
  committeeB,
  committeeC,
  community,
  FUND,
  layer,
  owner,
  passVote,
  residentActor,
  setupFund,
  state,
  system,
  T0,
  thresholds,
  treasurer
} from "./fund-support.js"

const failure = <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.map(Effect.flip(e), (x) => (x as { _tag: string })._tag)
const request = (actor: Actor, amountFen: number, line = "repairs", extra: Record<string, unknown> = {}) =>
  Fund.requestExpense(actor, {
    communityId: C, fundId: FUND, payee: "某某维修公司", purpose: "更换楼道灯", budgetYear: 2026, budgetLine: line, amountFen, ...extra
  })
const ref = (e: { id: string }) => ({ communityId: C, expenseId: e.id })
const h1 = community.households[0]!
const h2 = community.households[1]!

describe("fund: expenses approved by amount", () => {
  it.effect("below the first threshold one committee approver; the requester can never approve; payment is a ledger transaction", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      const e = yield* request(committeeA, 99_999)
      expect(e.level).toBe("single")
      expect(yield* failure(Fund.approveExpense(committeeA, ref(e)))).toBe("SelfApproval")
      expect(yield* failure(Fund.payExpense(treasurer, ref(e)))).toBe("ApprovalRequired")
      const approved = yield* Fund.approveExpense(committeeB, ref(e))
      expect(approved.status).toBe("approved")
      const paid = yield* Fund.payExpense(treasurer, ref(e))
      expect(paid.status).toBe("paid")
      expect(yield* cash).toBe(5_000_000 - 99_999)
      expect(yield* balance(`f:${FUND}:exp:repairs`)).toBe(99_999)
      expect(yield* failure(Fund.payExpense(treasurer, ref(e)))).toBe("AlreadyPaid")
      const bva = yield* Fund.budgetVsActual(residentActor(), C, FUND, 2026)
      expect(bva.lines.find((l) => l.code === "repairs")).toMatchObject({ plannedFen: 2_000_000, actualFen: 99_999, remainingFen: 2_000_000 - 99_999 })
    }).pipe(Effect.provide(layer())))

  it.effect("up to the second threshold two different approvers, neither the requester; only approvers approve", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      const e = yield* request(treasurer, 1_000_000)
      expect(e.level).toBe("dual")
      expect(yield* failure(Fund.approveExpense(residentActor(), ref(e)))).toBe("Forbidden")
      expect(yield* failure(Fund.approveExpense(admin, ref(e)))).toBe("NotApprover")
      expect(yield* failure(Fund.approveExpense(treasurer, ref(e)))).toBe("NotApprover")
      yield* Fund.approveExpense(committeeA, ref(e))
      expect(yield* failure(Fund.approveExpense(committeeA, ref(e)))).toBe("AlreadyApproved")
      expect(yield* failure(Fund.payExpense(treasurer, ref(e)))).toBe("ApprovalRequired")
      yield* Fund.approveExpense(committeeB, ref(e))
      const paid = yield* Fund.payExpense(treasurer, { ...ref(e), idempotencyKey: "pay-1" })
      // A replay of the same payment returns it and pays nothing more.
      const replay = yield* Fund.payExpense(treasurer, { ...ref(e), idempotencyKey: "pay-1" })
      expect(replay.paidTxId).toBe(paid.paidTxId)
      expect(yield* cash).toBe(4_000_000)
    }).pipe(Effect.provide(layer())))

  it.effect("a fund's own list of approvers replaces the committee role", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund({ approverIds: ["s-treasurer", "s-committee-c"] })
      const e = yield* request(committeeA, 50_000)
      expect(yield* failure(Fund.approveExpense(committeeB, ref(e)))).toBe("NotApprover")
      expect((yield* Fund.approveExpense(committeeC, ref(e))).status).toBe("approved")
    }).pipe(Effect.provide(layer())))

  it.effect("above the second threshold the owners vote; payment only after the proposal passes", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      yield* Fund.receiveIncome(treasurer, { communityId: C, fundId: FUND, source: "donation", amountFen: 30_000_000, donor: "王先生", memo: "捐赠电梯" })
      const e = yield* request(committeeA, 20_000_000, "elevator", { purpose: "电梯大修" })
      expect(e.level).toBe("vote")
      const proposal = yield* Voting.getProposal(committeeA, C, e.proposalId as Voting.ProposalId)
      expect(proposal.rule.id).toBe("civil-code-278-ordinary")
      // No committee approval replaces the vote.
      expect(yield* failure(Fund.approveExpense(committeeB, ref(e)))).toBe("FundWrongState")
      expect(yield* failure(Fund.payExpense(treasurer, ref(e)))).toBe("ProposalNotPassed")
      yield* passVote(e.proposalId!)
      const paid = yield* Fund.payExpense(treasurer, ref(e))
      expect(paid.status).toBe("paid")
      expect(yield* cash).toBe(35_000_000 - 20_000_000)
      const postings = yield* Fund.publicPostings(residentActor(), C, FUND)
      expect(postings.find((p) => p.ref === e.id)).toMatchObject({ kind: "expense", cashFen: -20_000_000, proposalId: e.proposalId })
    }).pipe(Effect.provide(layer())))

  it.effect("a special-matter fund puts large expenses to the 3/4 rule", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund({ voteRuleId: "civil-code-278-special" })
      const e = yield* request(committeeA, 2_000_000, "elevator")
      expect((yield* Voting.getProposal(committeeA, C, e.proposalId as Voting.ProposalId)).rule.id).toBe("civil-code-278-special")
    }).pipe(Effect.provide(layer())))

  it.effect("a hard-capped line refuses spending beyond plan (BudgetExceeded); a soft line does not", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      expect(yield* failure(request(committeeA, 2_000_001))).toBe("BudgetExceeded")
      const a = yield* request(committeeA, 900_000)
      const b = yield* request(committeeA, 900_000)
      const c = yield* request(committeeA, 900_000)
      for (const e of [a, b, c]) {
        yield* Fund.approveExpense(committeeB, ref(e))
        yield* Fund.approveExpense(committeeC, ref(e))
      }
      yield* Fund.payExpense(treasurer, ref(a))
      yield* Fund.payExpense(treasurer, ref(b))
      // Approved before the line filled up, refused at payment.
      expect(yield* failure(Fund.payExpense(treasurer, ref(c)))).toBe("BudgetExceeded")
      const soft = yield* request(committeeA, 150_000, "greening")
      yield* Fund.approveExpense(committeeB, ref(soft))
      yield* Fund.approveExpense(committeeC, ref(soft))
      yield* Fund.payExpense(treasurer, ref(soft))
      const bva = yield* Fund.budgetVsActual(treasurer, C, FUND, 2026)
      expect(bva.lines.find((l) => l.code === "greening")).toMatchObject({ actualFen: 150_000, remainingFen: -50_000, usedBp: 15_000 })
    }).pipe(Effect.provide(layer())))

  it.effect("refunds and corrections are compensating transactions; a full refund reverses the payment", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      const e = yield* request(committeeA, 80_000)
      yield* Fund.approveExpense(committeeB, ref(e))
      const paid = yield* Fund.payExpense(treasurer, ref(e))
      yield* TestClock.adjust("1 minute")
      yield* Fund.refundExpense(treasurer, { ...ref(e), amountFen: 30_000, kind: "refund", reason: "多付退回" })
      expect(yield* cash).toBe(5_000_000 - 50_000)
      expect(yield* failure(Fund.refundExpense(treasurer, { ...ref(e), amountFen: 50_001, kind: "correction", reason: "x" }))).toBe("FundWrongState")
      yield* TestClock.adjust("1 minute")
      yield* Fund.refundExpense(treasurer, { ...ref(e), amountFen: 50_000, kind: "correction", reason: "发票作废" })
      expect(yield* cash).toBe(5_000_000)
      expect(yield* balance(`f:${FUND}:exp:repairs`)).toBe(0)
      const bva = yield* Fund.budgetVsActual(treasurer, C, FUND, 2026)
      expect(bva.lines.find((l) => l.code === "repairs")!.actualFen).toBe(0)
      // History is kept: the payment and two compensations.
      const postings = (yield* Fund.publicPostings(treasurer, C, FUND)).filter((p) => p.ref === e.id)
      expect(postings.map((p) => [p.kind, p.cashFen])).toEqual([["expense", -80_000], ["refund", 30_000], ["correction", 50_000]])
      expect(paid.paidTxId).toBeDefined()

      const f = yield* request(committeeA, 10_000)
      yield* Fund.approveExpense(committeeB, ref(f))
      const fp = yield* Fund.payExpense(treasurer, ref(f))
      yield* TestClock.adjust("1 minute")
      yield* Fund.refundExpense(treasurer, { ...ref(f), amountFen: 10_000, kind: "refund", reason: "取消" })
      const reversal = (yield* Fund.publicPostings(treasurer, C, FUND)).filter((p) => p.ref === f.id)[1]!
      const tx = yield* Effect.flatMap(Effect.map(MemoryInspector, (i) => i.database), (db) => Effect.succeed(db.values<{ id: string; reverses?: string }>("ledger_txs", `${C}\u0000`)))
      expect(tx.find((t) => t.id === reversal.txId)!.reverses).toBe(fp.paidTxId)
    }).pipe(Effect.provide(layer())))

  it.effect("every refusal leaves every balance and record unchanged", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund({ floorFen: 4_950_000 })
      const small = yield* request(committeeA, 60_000)
      yield* Fund.approveExpense(committeeB, ref(small))
      const dual = yield* request(committeeA, 200_000)
      const big = yield* request(committeeA, 2_000_000, "elevator")
      const before = yield* state
      const refusals: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, any>]> = [
        ["InsufficientFunds", Fund.payExpense(treasurer, ref(small))],
        ["ApprovalRequired", Fund.payExpense(treasurer, ref(dual))],
        ["SelfApproval", Fund.approveExpense(committeeA, ref(dual))],
        ["NotApprover", Fund.approveExpense(admin, ref(dual))],
        ["BudgetExceeded", request(committeeA, 3_000_000)],
        ["ProposalNotPassed", Fund.payExpense(treasurer, ref(big))],
        ["Forbidden", Fund.payExpense(residentActor(), ref(small))],
        ["InvalidInput", Fund.recordPayment(treasurer, { communityId: C, fundId: FUND, householdId: h1.id, amountFen: -5 })],
        ["InvalidInput", request(committeeA, 1.5)],
        ["UnknownBudgetLine", request(committeeA, 100, "nope")]
      ]
      for (const [tag, effect] of refusals) {
        expect(yield* failure(effect)).toBe(tag)
        expect(yield* state).toEqual(before)
      }
    }).pipe(Effect.provide(layer())))
})

describe("fund: billing, payments and arrears", () => {
  it.effect("bills a month by area from the directory; partial, full and advance payments; arrears with ageing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      const r = yield* Fund.billFees(treasurer, { communityId: C, fundId: FUND, period: "2026-06", pricing: { _tag: "PerArea", fenPerM2: 180 }, dueDate: "2026-06-30" })
      const fee = (h: typeof h1) => Math.floor((h.exclusiveAreaDm2 * 180 + 50) / 100)
      expect(r.bills).toBe(community.households.length)
      expect(r.totalFen).toBe(community.households.reduce((s, h) => s + fee(h), 0))
      yield* Fund.recordPayment(clerk, { communityId: C, fundId: FUND, householdId: h1.id, amountFen: 1000, method: "wechat" })
      yield* Fund.recordPayment(clerk, { communityId: C, fundId: FUND, householdId: h2.id, amountFen: fee(h2) * 3 })
      yield* TestClock.setTime(Date.parse("2026-08-15T02:00:00Z"))
      const a = yield* Fund.arrears(treasurer, C, FUND)
      const one = a.households.find((x) => x.householdId === h1.id)!
      expect(one).toMatchObject({ billedFen: fee(h1), paidFen: 1000, outstandingFen: fee(h1) - 1000, monthsInArrears: 1 })
      expect(one.byAge["31-90"]).toBe(fee(h1) - 1000)
      expect(a.households.some((x) => x.householdId === h2.id)).toBe(false)
      const total = community.households.reduce((s, h) => s + fee(h), 0)
      expect(a.dueOutstandingFen).toBe(total - 1000 - fee(h2))
      // Two more months: h2's advance pays them.
      yield* Fund.billFees(treasurer, { communityId: C, fundId: FUND, period: "2026-07", pricing: { _tag: "PerArea", fenPerM2: 180 }, dueDate: "2026-07-31" })
      yield* Fund.billFees(treasurer, { communityId: C, fundId: FUND, period: "2026-08", pricing: { _tag: "PerArea", fenPerM2: 180 }, dueDate: "2026-08-31" })
      const acc = yield* Fund.householdAccount(treasurer, C, FUND, h2.id)
      expect(acc.bills.map((b) => b.status)).toEqual(["paid", "paid", "paid"])
      expect(acc.balanceFen).toBe(0)
      // A resident sees their own household's account, not another's.
      const mine = community.residents.find((x) => x.householdId === h1.id)!
      expect((yield* Fund.householdAccount(residentActor(mine.id), C, FUND, h1.id)).balanceFen).toBe(3 * fee(h1) - 1000)
      expect(yield* failure(Fund.householdAccount(residentActor(mine.id), C, FUND, h2.id))).toBe("Forbidden")
    }).pipe(Effect.provide(layer())))

  it.effect("donations (named or anonymous), subsidy and partner shares as receivables", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      yield* Fund.receiveIncome(treasurer, { communityId: C, fundId: FUND, source: "donation", amountFen: 20_000, donor: "李阿姨", memo: "捐赠" })
      yield* TestClock.adjust("1 minute")
      yield* Fund.receiveIncome(treasurer, { communityId: C, fundId: FUND, source: "donation", amountFen: 30_000, donor: "不愿具名", anonymous: true, memo: "捐赠" })
      const share = yield* Fund.reportPartnerProfit(treasurer, { communityId: C, fundId: FUND, partner: "社区超市", period: "2026-05", profitFen: 1_000_001, shareBp: 1500 })
      expect(share.shareFen).toBe(150_000)
      expect(yield* balance(`f:${FUND}:partner`)).toBe(150_000)
      yield* Fund.collectPartnerShare(treasurer, { communityId: C, shareId: share.id, amountFen: 100_000 })
      expect(yield* failure(Fund.collectPartnerShare(treasurer, { communityId: C, shareId: share.id, amountFen: 50_001 }))).toBe("FundWrongState")
      expect(yield* balance(`f:${FUND}:partner`)).toBe(50_000)
      const postings = yield* Fund.publicPostings(residentActor(), C, FUND)
      const donors = postings.filter((p) => p.category === "donation").map((p) => p.counterparty)
      expect(donors).toEqual(["李阿姨", "匿名 / anonymous"])
      expect(JSON.stringify(postings)).not.toContain("不愿具名")
      expect(yield* cash).toBe(5_000_000 + 50_000 + 100_000)
    }).pipe(Effect.provide(layer())))
})

describe("fund: cost-sharing plans become receivables", () => {
  it.effect("one receivable per household in instalments, summing exactly to the plan's total", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      const p = yield* Voting.createProposal(committeeA, { communityId: C, title: "屋面防水大修", body: "全体分摊", rule: "civil-code-278-ordinary" })
      // An odd total so that rounding matters at every step.
      yield* Voting.attachCostPlan(committeeA, { communityId: C, proposalId: p.id, totalCostFen: 12_345_677, subsidyShare: { num: 1, den: 3 }, byArea: true, compensation: [] })
      expect(yield* failure(Fund.createCostShareReceivables(treasurer, { communityId: C, fundId: FUND, proposalId: p.id, instalments: 3, firstDueDate: "2026-07-31" }))).toBe("ProposalNotPassed")
      yield* passVote(p.id)
      const decided = yield* Voting.getProposal(committeeA, C, p.id)
      const planTotal = decided.costPlan!.lines.reduce((s, l) => s + l.payFen, 0)
      const { bills, costShare } = yield* Fund.createCostShareReceivables(treasurer, { communityId: C, fundId: FUND, proposalId: p.id, instalments: 3, firstDueDate: "2026-07-31" })
      expect(costShare.totalFen).toBe(planTotal)
      expect(bills.reduce((s, b) => s + b.amountFen, 0)).toBe(planTotal)
      for (const line of decided.costPlan!.lines) {
        const mine = bills.filter((b) => b.householdId === line.householdId)
        expect(mine.reduce((s, b) => s + b.amountFen, 0)).toBe(line.payFen)
        expect(mine.map((b) => b.dueDate)).toEqual(line.payFen >= 3 ? ["2026-07-31", "2026-08-31", "2026-09-30"] : mine.map((b) => b.dueDate))
      }
      expect(yield* balance(`f:${FUND}:inc:cost-share`)).toBe(-planTotal)
      expect(yield* failure(Fund.createCostShareReceivables(treasurer, { communityId: C, fundId: FUND, proposalId: p.id, firstDueDate: "2026-07-31" }))).toBe("AlreadyExists")
      const first = bills[0]!
      yield* Fund.recordPayment(treasurer, { communityId: C, fundId: FUND, householdId: first.householdId, amountFen: first.amountFen })
      const status = yield* Fund.costShareStatus(residentActor(), C, p.id)
      expect(status).toMatchObject({ billedFen: planTotal, paidFen: first.amountFen, outstandingFen: planTotal - first.amountFen, state: "collecting" })
    }).pipe(Effect.provide(layer())))
})

describe("fund: transparency", () => {
  it.effect("a statement carries the journal head at its close; verifyJournal checks later states; an edited posting is detected", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      yield* Fund.billFees(treasurer, { communityId: C, fundId: FUND, period: "2026-06", pricing: { _tag: "Fixed", fen: 10_000 }, dueDate: "2026-06-20" })
      for (const h of community.households.slice(0, 10)) yield* Fund.recordPayment(clerk, { communityId: C, fundId: FUND, householdId: h.id, amountFen: 10_000 })
      const e = yield* request(committeeA, 30_000)
      yield* Fund.approveExpense(committeeB, ref(e))
      yield* Fund.payExpense(treasurer, ref(e))
      yield* TestClock.setTime(Date.parse("2026-07-01T02:00:00Z"))
      const s = yield* Fund.publishStatement(treasurer, { communityId: C, fundId: FUND, period: "2026-06" })
      const body = s.body as Fund.StatementBody
      expect(body.incomeBySource).toEqual({ subsidy: 5_000_000, fees: 100_000 })
      expect(body.expensesByCategory).toEqual({ repairs: 30_000 })
      expect(body.openingCashFen).toBe(0)
      expect(body.closingCashFen).toBe(5_000_000 + 100_000 - 30_000)
      expect(body.closingCashFen).toBe(yield* cash)
      const n = community.households.length
      expect(body.arrearsFen).toBe((n - 10) * 10_000)
      expect(body.arrearsRateBp).toBe(Math.floor(((n - 10) * 10_000 * 10_000) / (n * 10_000)))
      expect(yield* failure(Fund.publishStatement(treasurer, { communityId: C, fundId: FUND, period: "2026-06" }))).toBe("AlreadyPublished")
      // The head is the journal's at the close: the publishing event follows it.
      const journal = (yield* MemoryInspector).rawJournal(C)
      expect(journal[s.journalHead.seq - 1]!.hash).toBe(s.journalHead.hash)
      expect(journal[s.journalHead.seq]!.type).toBe("FundStatementPublished")
      // Later postings keep the chain through the head.
      yield* Fund.recordPayment(clerk, { communityId: C, fundId: FUND, householdId: h1.id, amountFen: 5 })
      expect((yield* Fund.verifyStatement(residentActor(), C, FUND, "2026-06")).ok).toBe(true)
      const html = yield* Fund.statementHtml(residentActor(), C, FUND, "2026-06")
      expect(html).toContain(s.journalHead.hash)
      expect(html).toContain("¥50700.00")
      // Someone edits an earlier posting (the expense's amount) in the stored journal.
      const inspector = yield* MemoryInspector
      const target = journal.find((x) => x.type === "LedgerTransactionPosted" && JSON.stringify(x.payload).includes("-30000"))!
      const payload = JSON.parse(JSON.stringify(target.payload).replace("-30000", "-3000").replace("30000", "3000"))
      inspector.tamperJournal(C, target.seq, new JournalEntry({ ...target, payload }))
      const verdict = yield* Fund.verifyStatement(residentActor(), C, FUND, "2026-06")
      expect(verdict.ok).toBe(false)
      if (!verdict.ok) expect([verdict.seq, verdict.reason]).toEqual([target.seq, "hash"])
    }).pipe(Effect.provide(layer())))

  it.effect("residents read a public fund's postings (masked), not a private one's; objections get a deadline in working days", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-09-30T02:00:00Z"))
      yield* setupFund()
      yield* Fund.createFund(treasurer, { communityId: C, fundId: "private", name: "内部", kind: "project", purpose: "x", public: false, thresholds })
      yield* Fund.recordPayment(clerk, { communityId: C, fundId: FUND, householdId: h1.id, amountFen: 500 })
      const postings = yield* Fund.publicPostings(residentActor(), C, FUND)
      const payment = postings.find((p) => p.kind === "payment")!
      expect(payment.counterparty).not.toContain(h1.label)
      expect(payment.counterparty).toBe(Fund.maskHousehold(h1.label))
      expect(yield* failure(Fund.publicPostings(residentActor(), C, "private" as Fund.FundId))).toBe("Forbidden")
      // Raised on the eve of Golden Week: seven working days skip the holiday (and count the make-up Saturday).
      const o = yield* Fund.raiseObjection(residentActor(), { communityId: C, fundId: FUND, txId: payment.txId, question: "这笔款是谁交的？" })
      const calendar = yield* WorkdayCalendar
      expect(o.answerDue).toBe(yield* calendar.addWorkdays(C, LocalDate.make("2026-09-30"), 7))
      expect(o.answerDue > "2026-10-08").toBe(true)
      expect(yield* failure(Fund.answerObjection(residentActor(), { communityId: C, objectionId: o.id, answer: "x" }))).toBe("Forbidden")
      const answered = yield* Fund.answerObjection(treasurer, { communityId: C, objectionId: o.id, answer: "住户按时缴费，已核对。" })
      expect(answered.status).toBe("answered")
      expect(yield* failure(Fund.answerObjection(treasurer, { communityId: C, objectionId: o.id, answer: "again" }))).toBe("FundWrongState")
    }).pipe(Effect.provide(layer())))
})

describe("fund: the trustee's fee", () => {
  it.effect("the monthly settlement cuts the fee for overdue work orders and posts fee, deductions and the figures used", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      yield* Fund.setTrusteeContract(committeeA, {
        communityId: C, fundId: FUND, trustee: "某物业服务有限公司", basis: { _tag: "Percent", bp: 1000 },
        rules: [
          { metric: "overdue-work-orders", threshold: 1, perUnitBp: 500, capBp: 3000 },
          { metric: "satisfaction-below", threshold: 85, perUnitBp: 100, capBp: 2000 }
        ]
      })
      yield* Fund.billFees(treasurer, { communityId: C, fundId: FUND, period: "2026-06", pricing: { _tag: "Fixed", fen: 20_000 }, dueDate: "2026-06-30" })
      for (const h of community.households.slice(0, 5)) yield* Fund.recordPayment(clerk, { communityId: C, fundId: FUND, householdId: h.id, amountFen: 20_000 })
      // Four work orders reported in June, never answered.
      for (let i = 0; i < 4; i++) {
        yield* Issues.submitReport(residentActor(), {
          communityId: C, typeId: "street-light", location: { buildingId: "b-1", address: "1号楼门口" }, description: `路灯不亮 ${i}`, photos: [], channel: "app"
        })
      }
      yield* TestClock.setTime(Date.parse("2026-07-02T02:00:00Z"))
      const s = yield* Fund.settleTrusteeFee(admin, { communityId: C, fundId: FUND, period: "2026-06" })
      expect(s.incomeFen).toBe(100_000)
      expect(s.feeFen).toBe(10_000)
      expect(s.figures).toEqual({ overdueWorkOrders: 4, verifiedComplaints: 0 })
      // (4 - 1) x 5% = 15% of the fee; nobody surveyed, so no satisfaction deduction.
      expect(s.deductions).toEqual([{ metric: "overdue-work-orders", figure: 4, amountFen: 1_500 }])
      expect(s.netFen).toBe(8_500)
      expect(yield* balance(`f:${FUND}:exp:trustee-fee`)).toBe(10_000)
      expect(yield* balance(`f:${FUND}:inc:trustee-deduction`)).toBe(-1_500)
      expect(yield* failure(Fund.settleTrusteeFee(admin, { communityId: C, fundId: FUND, period: "2026-06" }))).toBe("AlreadySettled")
      expect(yield* failure(Fund.settleTrusteeFee(treasurer, { communityId: C, fundId: FUND, period: "2026-05" }))).toBe("Forbidden")
      const fig = yield* Fund.figures(residentActor(), C, FUND, "2026-06", "2026-07")
      expect(fig.months[0]).toMatchObject({ period: "2026-06", collectedFen: 100_000, trusteeFeeFen: 10_000, trusteeDeductionFen: 1_500 })
      expect(fig.months[0]!.collectionRateBp).toBe(Math.floor((5 * 10_000) / community.households.length))
    }).pipe(Effect.provide(layer())))
})

describe("fund: arrears consequences are opt-in, with notice and appeal", () => {
  it.effect("off by default; when on: notice after N months, consequences only after the notice period and not while appealed", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund({ arrearsPolicy: { enabled: true, noticeMonths: 2, consequenceMonths: 3, noticePeriodDays: 15, consequences: ["incentive-redemption"] } })
      yield* Fund.createFund(treasurer, { communityId: C, fundId: "plain", name: "普通", kind: "community", purpose: "x", thresholds })
      yield* Fund.billFees(treasurer, { communityId: C, fundId: FUND, period: "2026-06", pricing: { _tag: "Fixed", fen: 10_000 }, dueDate: "2026-06-10", householdIds: [h1.id] })
      expect(yield* failure(Fund.giveArrearsNotice(treasurer, { communityId: C, fundId: "plain", householdId: h1.id }))).toBe("ArrearsPolicyNotMet")
      yield* TestClock.setTime(Date.parse("2026-07-20T02:00:00Z"))
      expect(yield* failure(Fund.giveArrearsNotice(treasurer, { communityId: C, fundId: FUND, householdId: h1.id }))).toBe("ArrearsPolicyNotMet")
      yield* TestClock.setTime(Date.parse("2026-08-20T02:00:00Z"))
      const notice = yield* Fund.giveArrearsNotice(treasurer, { communityId: C, fundId: FUND, householdId: h1.id })
      yield* TestClock.setTime(Date.parse("2026-09-20T02:00:00Z"))
      expect((yield* Fund.arrearsStanding(system, C, FUND, h1.id)).consequencesApply).toBe(true)
      const mine = community.residents.find((x) => x.householdId === h1.id)!
      const other = community.residents.find((x) => x.householdId !== h1.id)!
      expect(yield* failure(Fund.appealArrearsNotice(residentActor(other.id), { communityId: C, noticeId: notice.id, reason: "不是我家" }))).toBe("Forbidden")
      yield* Fund.appealArrearsNotice(residentActor(mine.id), { communityId: C, noticeId: notice.id, reason: "已在物业处缴纳现金" })
      expect((yield* Fund.arrearsStanding(system, C, FUND, h1.id)).consequencesApply).toBe(false)
      yield* Fund.decideAppeal(committeeA, { communityId: C, noticeId: notice.id, upheld: true, note: "核实已缴" })
      expect((yield* Fund.arrearsStanding(system, C, FUND, h1.id)).withheld).toEqual([])
    }).pipe(Effect.provide(layer())))
})

describe("fund: permissions", () => {
  it("the permission table as a matrix", () => {
    const actors: ReadonlyArray<readonly [string, Actor]> = [
      ["resident", residentActor(ResidentId.make(owner.id))],
      ["admin", admin],
      ["treasurer", treasurer],
      ["committee", committeeA],
      ["clerk", clerk],
      ["auditor", auditor],
      ["system", system]
    ]
    const expected: Record<Fund.FundCommand, ReadonlyArray<string>> = {
      "fund.createFund": ["admin", "treasurer"],
      "fund.setBudget": ["admin", "treasurer", "committee"],
      "fund.requestExpense": ["admin", "treasurer", "committee"],
      "fund.approveExpense": ["admin", "treasurer", "committee"],
      "fund.rejectExpense": ["admin", "committee"],
      "fund.payExpense": ["admin", "treasurer", "system"],
      "fund.refundExpense": ["admin", "treasurer"],
      "fund.bill": ["admin", "treasurer", "system"],
      "fund.recordPayment": ["admin", "treasurer", "clerk", "system"],
      "fund.receiveIncome": ["admin", "treasurer"],
      "fund.partnerShare": ["admin", "treasurer"],
      "fund.costShare": ["admin", "treasurer", "committee", "system"],
      "fund.publishStatement": ["admin", "treasurer", "committee", "system"],
      "fund.readPublic": ["resident", "admin", "treasurer", "committee", "clerk", "auditor", "system"],
      "fund.read": ["admin", "treasurer", "committee", "clerk", "auditor", "system"],
      "fund.raiseObjection": ["resident", "admin", "committee", "auditor"],
      "fund.answerObjection": ["admin", "treasurer", "committee"],
      "fund.setContract": ["admin", "committee"],
      "fund.settle": ["admin", "committee", "system"],
      "fund.arrearsNotice": ["admin", "treasurer", "system"],
      "fund.appeal": ["resident", "admin", "clerk"],
      "fund.decideAppeal": ["admin", "committee"]
    }
    expect(Object.keys(Fund.fundPermissions).sort()).toEqual(Object.keys(expected).sort())
    for (const [command, rule] of Object.entries(Fund.fundPermissions)) {
      const allowed = actors.filter(([, a]) => checkPermission(rule, a, C) === undefined).map(([n]) => n)
      expect([command, allowed]).toEqual([command, expected[command as Fund.FundCommand]])
      // Another community's actor is refused everything.
      expect(checkPermission(rule, new StaffActor({ communityId: CommunityId.make("other"), staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] }), C)).toBe("tenant")
    }
  })
})



describe("fund: notifications", () => {
  it.effect("bills go to the household's owners, approval requests to approvers other than the requester", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(T0)
      yield* setupFund()
      yield* Fund.billFees(treasurer, { communityId: C, fundId: FUND, period: "2026-06", pricing: { _tag: "Fixed", fen: 8_800 }, dueDate: "2026-06-30", householdIds: [h1.id] })
      yield* request(committeeA, 5_000)
      const entries = yield* readJournal(C)
      const messages = (yield* Effect.forEach(entries, Fund.fundMessages)).flat()
      const bills = messages.filter((m) => m.templateId === "fund.billIssued")
      expect(bills.map((m) => (m.recipient as { residentId: string }).residentId).sort()).toEqual([...h1.ownerIds].sort())
      expect(bills[0]!.params).toMatchObject({ amount: "88.00", dueDate: "2026-06-30" })
      const approvals = messages.filter((m) => m.templateId === "fund.approvalRequested").map((m) => (m.recipient as { staffId: string }).staffId)
      const committee = community.staff.filter((x) => x.roles.includes("committee" as never)).map((x) => x.id as string)
      expect(approvals.sort()).toEqual(committee.filter((id) => id !== "s-committee-a").sort())
      const rendered = yield* renderMessage(bills[0]!)
      expect(rendered._tag === "Some" && rendered.value.includes("88.00")).toBe(true)
    }).pipe(Effect.provide(layer())))
})
