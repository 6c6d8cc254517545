/**
 * Conformance cases of the fund's store (`FundStore`): the derived cases of
 * every entity (`entityCases`), and the module's commands end to end on the
 * adapter: four eyes under concurrency, billing and payments against the
 * ledger, a refused payment that changes nothing.
 *
 * @since 0.2.0
 */
import {
  type CommunityId,
  Fund,
  HouseholdId,
  LedgerStore,
  LedgerTxId,
  LocalDate,
  Roles,
  StaffActor,
  StaffId
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { generateCommunity } from "../fixtures.js"
import { entityCases } from "./entity.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const F = (s: string) => s as Fund.FundId
const Rid = (s: string) => Fund.FundRecordId.make(s)
const T = 1_700_000_000_000
const pad = (i: number) => String(i).padStart(3, "0")
const tx = (i: number) => LedgerTxId.make(`tx-${pad(i)}`)

const samples = {
  funds: (c: CommunityId, i: number) =>
    new Fund.Fund({
      communityId: c, id: F(`fund-${pad(i)}`), name: `基金 ${i}`, kind: i % 2 === 0 ? "community" : "property-fee", purpose: "p",
      public: i % 2 === 0, floorFen: i * 100, thresholds: { singleBelowFen: 1000, dualUpToFen: 5000 }, voteRuleId: "civil-code-278-ordinary",
      approverIds: i % 2 === 0 ? [] : ["s-1"], ...(i % 3 === 0 ? { arrearsPolicy: { enabled: true, noticeMonths: 3, consequenceMonths: 6, noticePeriodDays: 30, consequences: ["incentive-redemption"] } } : {}),
      createdAt: T + ((i * 7) % 5), createdBy: "staff:s-1", version: 1
    }),
  budgets: (c: CommunityId, i: number) =>
    new Fund.Budget({
      communityId: c, fundId: F(`fund-${i % 2}`), year: 2020 + i,
      lines: [{ code: "repairs", name: "维修", category: "repairs", plannedFen: 10_000 * i, hardCap: i % 2 === 0, actualFen: i }],
      updatedAt: T, version: 1
    }),
  expenses: (c: CommunityId, i: number) =>
    new Fund.Expense({
      communityId: c, id: Rid(`exp-${pad(i)}`), fundId: F("fund-a"), payee: `payee ${i}`, purpose: "修路灯", budgetYear: 2026, budgetLine: "repairs",
      category: "repairs", amountFen: 100 + i, attachments: i % 2 === 0 ? ["inv-1"] : [], requestedBy: "staff:s-1", requestedAt: T + ((i * 3) % 4),
      level: i % 3 === 0 ? "vote" : "dual", approvals: i % 2 === 0 ? [{ by: "staff:s-2", at: T }] : [],
      ...(i % 3 === 0 ? { proposalId: `prop-${i}` } : {}), status: "requested", refundedFen: 0,
      ...(i % 3 !== 2 ? { idempotencyKey: `key-${i}` } : {}), version: 1
    }),
  bills: (c: CommunityId, i: number) =>
    new Fund.Bill({
      communityId: c, id: Rid(`bill-${pad(i)}`), fundId: F("fund-a"), householdId: HouseholdId.make(`h-${i % 3}`), ref: `fee:2026-${String((i % 9) + 1).padStart(2, "0")}`,
      kind: i % 2 === 0 ? "fee" : "cost-share", description: "物业费", period: `2026-0${(i % 9) + 1}`, amountFen: 1000 + i, paidFen: i % 2 === 0 ? 0 : 1000 + i,
      dueDate: LocalDate.make(`2026-0${(i % 4) + 1}-15`), status: i % 2 === 0 ? "open" : "paid", issuedAt: T, version: 1
    }),
  payments: (c: CommunityId, i: number) =>
    new Fund.Payment({
      communityId: c, id: Rid(`pay-${pad(i)}`), fundId: F("fund-a"), householdId: HouseholdId.make(`h-${i % 2}`), amountFen: 500 + i,
      allocations: i % 2 === 0 ? [{ billId: Rid("bill-1"), amountFen: 500 + i }] : [], advanceFen: i % 2 === 0 ? 0 : 500 + i, method: "wechat",
      txId: tx(i), paidAt: T + ((i * 7) % 5), recordedBy: "staff:s-1", ...(i % 3 !== 2 ? { idempotencyKey: `pk-${i}` } : {})
    }),
  income: (c: CommunityId, i: number) =>
    new Fund.Income({
      communityId: c, id: Rid(`inc-${pad(i)}`), fundId: F("fund-a"), source: i % 2 === 0 ? "donation" : "subsidy", amountFen: 1 + i,
      ...(i % 2 === 0 ? { donor: `张 ${i}` } : {}), anonymous: i % 2 === 1, memo: "m", txId: tx(i), receivedAt: T + ((i * 7) % 5), recordedBy: "staff:s-1",
      ...(i % 3 !== 2 ? { idempotencyKey: `ik-${i}` } : {})
    }),
  partnerShares: (c: CommunityId, i: number) =>
    new Fund.PartnerShare({
      communityId: c, id: Rid(`psh-${pad(i)}`), fundId: F("fund-a"), partner: `partner-${i}`, period: "2026-06", profitFen: 10_000, shareBp: 1500,
      shareFen: 1500, collectedFen: 0, reportedAt: T + ((i * 7) % 5), version: 1
    }),
  costShares: (c: CommunityId, i: number) =>
    new Fund.CostShare({
      communityId: c, proposalId: `prop-${pad(i)}`, fundId: F("fund-a"), totalFen: 1000 * i, households: i, instalments: (i % 3) + 1, createdAt: T, createdBy: "staff:s-1"
    }),
  postings: (c: CommunityId, i: number) =>
    new Fund.FundPosting({
      communityId: c, txId: tx(i), fundId: F("fund-a"), kind: i % 2 === 0 ? "expense" : "payment", category: "repairs", amountFen: i % 2 === 0 ? 0 - i : i,
      cashFen: i % 2 === 0 ? 0 - i : i, memo: "m", counterparty: "3-***", ref: `exp-${i}`, approvals: i % 2 === 0 ? [{ by: "staff:s-2", at: T }] : [],
      ...(i % 3 === 0 ? { proposalId: `prop-${i}` } : {}), period: `2026-0${(i % 3) + 1}`, postedAt: T + ((i * 7) % 5)
    }),
  statements: (c: CommunityId, i: number) =>
    new Fund.Statement({
      communityId: c, fundId: F(`fund-${i % 2}`), period: `20${10 + i}-06`, body: { incomeBySource: { fees: i } }, journalHead: { seq: i, hash: "a".repeat(64) },
      publishedAt: T, publishedBy: "staff:s-1"
    }),
  objections: (c: CommunityId, i: number) =>
    new Fund.Objection({
      communityId: c, id: Rid(`obj-${pad(i)}`), fundId: F("fund-a"), txId: tx(i), raisedBy: "resident:r-1", question: "为什么？", raisedAt: T + ((i * 7) % 5),
      answerDue: LocalDate.make("2026-06-10"), status: i % 2 === 0 ? "open" : "answered", ...(i % 2 === 1 ? { answer: "因为", answeredBy: "staff:s-1", answeredAt: T } : {}), version: 1
    }),
  contracts: (c: CommunityId, i: number) =>
    new Fund.TrusteeContract({
      communityId: c, fundId: F(`fund-${pad(i)}`), trustee: "物业公司", basis: i % 2 === 0 ? { _tag: "Percent", bp: 1000 } : { _tag: "Fixed", fen: 100_000 },
      rules: [{ metric: "overdue-work-orders", threshold: 0, perUnitBp: 100, capBp: 2000 }], complaintTypeIds: [], updatedAt: T, version: 1
    }),
  settlements: (c: CommunityId, i: number) =>
    new Fund.Settlement({
      communityId: c, fundId: F("fund-a"), period: `20${10 + i}-05`, incomeFen: 1000, feeFen: 100, deductions: [{ metric: "overdue-work-orders", figure: 2, amountFen: 2 }],
      netFen: 98, figures: { overdueWorkOrders: 2, verifiedComplaints: 0, ...(i % 2 === 0 ? { satisfactionPct: 90 } : {}) }, ...(i % 2 === 0 ? { txId: tx(i) } : {}),
      settledAt: T, settledBy: "system:test"
    }),
  notices: (c: CommunityId, i: number) =>
    new Fund.ArrearsNotice({
      communityId: c, id: Rid(`arn-${pad(i)}`), fundId: F("fund-a"), householdId: HouseholdId.make(`h-${i}`), monthsInArrears: 3 + i, arrearsFen: 100,
      noticedAt: T + ((i * 7) % 5), status: "noticed", version: 1
    })
}

const bump = <A extends { readonly version: number }>(make: (a: A) => A) => make

const changes = {
  funds: bump((r: Fund.Fund) => new Fund.Fund({ ...r, name: `${r.name} (changed)`, public: !r.public, version: r.version + 1 })),
  budgets: bump((r: Fund.Budget) => new Fund.Budget({ ...r, lines: r.lines.map((l) => ({ ...l, actualFen: l.actualFen + 5 })), version: r.version + 1 })),
  expenses: bump((r: Fund.Expense) => new Fund.Expense({ ...r, status: "paid", paidTxId: LedgerTxId.make("tx-paid"), paidAt: T + 1, paidBy: "staff:s-3", version: r.version + 1 })),
  bills: bump((r: Fund.Bill) => new Fund.Bill({ ...r, paidFen: r.amountFen, status: "paid", version: r.version + 1 })),
  payments: (r: Fund.Payment) => new Fund.Payment({ ...r, method: "cash" }),
  income: (r: Fund.Income) => new Fund.Income({ ...r, memo: "changed" }),
  partnerShares: bump((r: Fund.PartnerShare) => new Fund.PartnerShare({ ...r, collectedFen: 1, version: r.version + 1 })),
  costShares: (r: Fund.CostShare) => new Fund.CostShare({ ...r, instalments: r.instalments + 1 }),
  postings: (r: Fund.FundPosting) => new Fund.FundPosting({ ...r, memo: "changed" }),
  statements: (r: Fund.Statement) => new Fund.Statement({ ...r, publishedBy: "staff:s-9" }),
  objections: bump((r: Fund.Objection) => new Fund.Objection({ ...r, status: "answered", answer: "答复", answeredBy: "staff:s-2", answeredAt: T + 9, version: r.version + 1 })),
  contracts: bump((r: Fund.TrusteeContract) => new Fund.TrusteeContract({ ...r, trustee: "新物业", version: r.version + 1 })),
  settlements: (r: Fund.Settlement) => new Fund.Settlement({ ...r, settledBy: "staff:s-1" }),
  notices: bump((r: Fund.ArrearsNotice) => new Fund.ArrearsNotice({ ...r, status: "appealed", appeal: { reason: "已缴", at: T, by: "resident:r-1" }, version: r.version + 1 }))
}

const failureTag = <A, E>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : undefined

const staff = (c: CommunityId, id: string, roles: ReadonlyArray<string>) =>
  new StaffActor({ communityId: c, staffId: StaffId.make(id), roles: roles as never, departments: [] })

/**
 * The fund's cases.
 *
 * @since 0.2.0
 * @category conformance
 */
export const fundSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 60_000
  describe("fund store", () => {
    for (const name of Object.keys(samples) as Array<keyof typeof samples>) {
      describe(name, () => {
        entityCases(it as SuiteIt<never> as never, {
          table: Effect.map(Fund.FundStore, (s) => s[name] as never) as never,
          sample: samples[name] as never,
          change: changes[name] as never
        })
      })
    }

    const setup = Effect.gen(function* () {
      const c = freshCommunityId()
      const snapshot = generateCommunity({ seed: 15, communityId: c, buildings: 1, floors: 3 })
      yield* options.loadDirectory(snapshot)
      const treasurer = staff(c, "s-treasurer", [Roles.treasurer])
      const a = staff(c, "s-committee-a", [Roles.committee])
      const b = staff(c, "s-committee-b", [Roles.committee])
      const d = staff(c, "s-committee-d", [Roles.committee])
      yield* Fund.createFund(treasurer, {
        communityId: c, fundId: "trust", name: "物业费信托账户", kind: "property-fee", purpose: "trust",
        thresholds: { singleBelowFen: 100_000, dualUpToFen: 1_000_000 }
      })
      yield* Fund.setBudget(treasurer, {
        communityId: c, fundId: "trust", year: 2026,
        lines: [{ code: "repairs", name: "维修", category: "repairs", plannedFen: 5_000_000, hardCap: true }]
      })
      yield* Fund.receiveIncome(treasurer, { communityId: c, fundId: "trust", source: "subsidy", amountFen: 3_000_000, memo: "街道补贴" })
      return { c, snapshot, treasurer, a, b, d }
    })

    it.effect("the requester never approves their own expense, also when approvals race", () =>
      Effect.gen(function* () {
        const { c, a, b, d, treasurer } = yield* setup
        const e = yield* Fund.requestExpense(a, {
          communityId: c, fundId: "trust", payee: "电梯维保公司", purpose: "电梯维修", budgetYear: 2026, budgetLine: "repairs", amountFen: 500_000
        })
        expect(e.level).toBe("dual")
        const ref = { communityId: c, expenseId: e.id }
        // The requester and the same second approver, many times, all at once.
        const exits = yield* Effect.all(
          [a, b, a, b, a, b].map((who) => Effect.exit(Fund.approveExpense(who, ref))),
          { concurrency: "unbounded" }
        )
        const tags = exits.map(failureTag)
        expect(tags.filter((t) => t === "SelfApproval")).toHaveLength(3)
        expect(tags.filter((t) => t === undefined)).toHaveLength(1)
        expect(tags.filter((t) => t === "AlreadyApproved")).toHaveLength(2)
        // One approver is not enough to pay.
        expect(failureTag(yield* Effect.exit(Fund.payExpense(treasurer, ref)))).toBe("ApprovalRequired")
        yield* Fund.approveExpense(d, ref)
        const paid = yield* Fund.payExpense(treasurer, ref)
        expect(paid.status).toBe("paid")
        expect(paid.approvals.map((x) => x.by).sort()).toEqual(["staff:s-committee-b", "staff:s-committee-d"])
        const cash = Option.getOrThrow(yield* (yield* LedgerStore).getAccount(c, Fund.fundAccounts.cash("trust")))
        expect(cash.balance).toBe(3_000_000 - 500_000)
      }), timeout)

    it.effect("billing, partial and advance payments: each household's receivable is billed minus paid", () =>
      Effect.gen(function* () {
        const { c, snapshot, treasurer } = yield* setup
        const r = yield* Fund.billFees(treasurer, {
          communityId: c, fundId: "trust", period: "2026-06", pricing: { _tag: "PerArea", fenPerM2: 250 }, dueDate: "2026-06-30"
        })
        expect(r.bills).toBe(snapshot.households.length)
        // Billing again bills nobody twice.
        expect((yield* Fund.billFees(treasurer, {
          communityId: c, fundId: "trust", period: "2026-06", pricing: { _tag: "PerArea", fenPerM2: 250 }, dueDate: "2026-06-30"
        })).bills).toBe(0)
        const [h1, h2] = snapshot.households
        const fee = (h: typeof h1) => Fund.monthlyFee({ _tag: "PerArea", fenPerM2: 250 }, h!.exclusiveAreaDm2)
        yield* Fund.recordPayment(treasurer, { communityId: c, fundId: "trust", householdId: h1!.id, amountFen: 100, idempotencyKey: "p-1" })
        // A replay returns the first payment and pays nothing more.
        yield* Fund.recordPayment(treasurer, { communityId: c, fundId: "trust", householdId: h1!.id, amountFen: 100, idempotencyKey: "p-1" })
        yield* Fund.recordPayment(treasurer, { communityId: c, fundId: "trust", householdId: h2!.id, amountFen: fee(h2) + 700 })
        const ledger = yield* LedgerStore
        const bal = (h: typeof h1) => Effect.map(ledger.getAccount(c, Fund.fundAccounts.household("trust", h!.id)), (o) => Option.getOrThrow(o).balance)
        expect(yield* bal(h1)).toBe(fee(h1) - 100)
        expect(yield* bal(h2)).toBe(-700)
        // Next month the advance pays first.
        yield* Fund.billFees(treasurer, { communityId: c, fundId: "trust", period: "2026-07", pricing: { _tag: "Fixed", fen: 500 }, dueDate: "2026-07-31", householdIds: [h2!.id] })
        const bills = yield* (yield* Fund.FundStore).bills.list({ communityId: c, fundId: F("trust"), householdId: h2!.id })
        expect(bills.map((b) => [b.period, b.paidFen, b.status])).toEqual([["2026-06", fee(h2), "paid"], ["2026-07", 500, "paid"]])
        expect(yield* bal(h2)).toBe(-200)
      }), timeout)

    it.effect("concurrent payments of one household are allocated one after the other", () =>
      Effect.gen(function* () {
        const { c, snapshot, treasurer } = yield* setup
        const h = snapshot.households[0]!
        yield* Fund.billFees(treasurer, { communityId: c, fundId: "trust", period: "2026-06", pricing: { _tag: "Fixed", fen: 10_000 }, dueDate: "2026-06-30", householdIds: [h.id] })
        yield* Fund.billFees(treasurer, { communityId: c, fundId: "trust", period: "2026-07", pricing: { _tag: "Fixed", fen: 10_000 }, dueDate: "2026-07-31", householdIds: [h.id] })
        yield* Effect.all(Array.from({ length: 6 }, () => Fund.recordPayment(treasurer, { communityId: c, fundId: "trust", householdId: h.id, amountFen: 3_000 })), { concurrency: "unbounded" })
        const bills = yield* (yield* Fund.FundStore).bills.list({ communityId: c, fundId: F("trust"), householdId: h.id })
        expect(bills.map((b) => b.paidFen)).toEqual([10_000, 8_000])
        const account = Option.getOrThrow(yield* (yield* LedgerStore).getAccount(c, Fund.fundAccounts.household("trust", h.id)))
        expect(account.balance).toBe(20_000 - 18_000)
      }), timeout)

    it.effect("a payment the fund cannot afford changes no balance and no record", () =>
      Effect.gen(function* () {
        const { c, a, b, d, treasurer } = yield* setup
        const approved = yield* Effect.forEach([1, 2, 3, 4], (n) =>
          Effect.gen(function* () {
            const e = yield* Fund.requestExpense(d, {
              communityId: c, fundId: "trust", payee: "绿化公司", purpose: `补种 ${n}`, budgetYear: 2026, budgetLine: "repairs", amountFen: 900_000
            })
            yield* Fund.approveExpense(a, { communityId: c, expenseId: e.id })
            yield* Fund.approveExpense(b, { communityId: c, expenseId: e.id })
            return e
          }))
        // 3,000,000 fen of subsidy pays three of them.
        for (const e of approved.slice(0, 3)) yield* Fund.payExpense(treasurer, { communityId: c, expenseId: e.id })
        const e3 = approved[3]!
        const store = yield* Fund.FundStore
        const before = yield* Effect.all([
          (yield* LedgerStore).getAccount(c, Fund.fundAccounts.cash("trust")),
          store.budgets.get({ communityId: c, fundId: F("trust"), year: 2026 }),
          store.postings.list({ communityId: c })
        ])
        expect(failureTag(yield* Effect.exit(Fund.payExpense(treasurer, { communityId: c, expenseId: e3.id })))).toBe("InsufficientFunds")
        const after = yield* Effect.all([
          (yield* LedgerStore).getAccount(c, Fund.fundAccounts.cash("trust")),
          store.budgets.get({ communityId: c, fundId: F("trust"), year: 2026 }),
          store.postings.list({ communityId: c })
        ])
        expect(after).toEqual(before)
        expect(Option.getOrThrow(yield* store.expenses.get({ communityId: c, id: e3.id })).status).toBe("approved")
      }), timeout)
  })
}
