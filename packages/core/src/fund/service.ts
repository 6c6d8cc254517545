/**
 * The fund's commands and queries. Every command decodes its input (typed as
 * the schema's encoded form), authorizes the actor, then loads, decides
 * (with `rules.ts`), saves, posts to the ledger and appends its events in one
 * transaction: a failure changes nothing.
 *
 * Money lives on the kernel's ledger in `fen`, in accounts per fund:
 * - `f:<fund>:cash` (kind `fund-cash`, floor the fund's `floorFen`): money held;
 * - `f:<fund>:inc:<source>` (kind `fund-income`): income by source, negative;
 * - `f:<fund>:exp:<category>` (kind `fund-expense`): spending by category;
 * - `f:<fund>:hh:<household>` (kind `fund-receivable`, owner the household):
 *   billed minus paid (positive: arrears; negative: an advance);
 * - `f:<fund>:partner` (kind `fund-receivable`): partner shares not yet collected.
 * Accounts are opened on first use inside the command's transaction.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize, type PermissionTable, Roles } from "../kernel/actor.js"
import { LocalDate, startOfLocalDay, toLocalDate, WorkdayCalendar } from "../kernel/calendar.js"
import { Directory } from "../kernel/directory.js"
import { AlreadyExists, decodeInput, Forbidden, IdempotencyKeyReused, InsufficientBalance, NotFound } from "../kernel/errors.js"
import { AccountId, type CommunityId, type HouseholdId, LedgerTxId, newId } from "../kernel/ids.js"
import { appendEvents, JournalStore, sha256HexSync, verifyJournal } from "../kernel/journal.js"
import { type Account, Account as LedgerAccount, applyTransaction, LedgerEvent, type LedgerTransaction, LedgerStore, openAccountUnchecked } from "../kernel/ledger.js"
import { notificationSubscriber, OutgoingMessage } from "../kernel/notifier.js"
import { transactionally } from "../kernel/transaction.js"
import type { JournalEntry } from "../kernel/journal.js"
import { decodeEntry } from "../kernel/journal.js"
import * as Issues from "../issues/index.js"
import * as Voting from "../voting/index.js"
import {
  AlreadyApproved,
  AlreadyPaid,
  AlreadyPublished,
  AlreadySettled,
  ApprovalRequired,
  ArrearsPolicyNotMet,
  BudgetExceeded,
  InsufficientFunds,
  NotApprover,
  ProposalNotPassed,
  SelfApproval,
  UnknownBudgetLine,
  WrongState
} from "./errors.js"
import { FundEvent } from "./events.js"
import {
  AnswerObjectionInput,
  AppealInput,
  ArrearsNotice,
  ArrearsNoticeInput,
  Bill,
  BillFeesInput,
  Budget,
  CollectPartnerShareInput,
  CostShare,
  CostShareInput,
  CreateFundInput,
  DecideAppealInput,
  Expense,
  ExpenseRef,
  Fund,
  type FundId,
  FundPosting,
  FundRecordId,
  Income,
  type IncomeSource,
  Objection,
  PartnerShare,
  PayExpenseInput,
  Payment,
  PublishStatementInput,
  RaiseObjectionInput,
  ReceiveIncomeInput,
  RecordPaymentInput,
  RefundExpenseInput,
  ReportPartnerProfitInput,
  RequestExpenseInput,
  type ServiceFigures,
  SetBudgetInput,
  SetTrusteeContractInput,
  Settlement,
  SettleInput,
  Statement,
  TrusteeContract
} from "./model.js"
import * as Rules from "./rules.js"
import { FundStore } from "./store.js"

/**
 * The fund's commands and queries, as named in its permission table.
 *
 * @since 0.2.0
 * @category permissions
 */
export type FundCommand =
  | "fund.createFund"
  | "fund.setBudget"
  | "fund.requestExpense"
  | "fund.approveExpense"
  | "fund.rejectExpense"
  | "fund.payExpense"
  | "fund.refundExpense"
  | "fund.bill"
  | "fund.recordPayment"
  | "fund.receiveIncome"
  | "fund.partnerShare"
  | "fund.costShare"
  | "fund.publishStatement"
  | "fund.readPublic"
  | "fund.read"
  | "fund.raiseObjection"
  | "fund.answerObjection"
  | "fund.setContract"
  | "fund.settle"
  | "fund.arrearsNotice"
  | "fund.appeal"
  | "fund.decideAppeal"

const staffReaders = [Roles.admin, Roles.treasurer, Roles.committee, Roles.auditor, Roles.clerk]

/**
 * Who may run each fund command. Approving also needs the fund's own check
 * (`NotApprover`: the committee role, or the fund's list of approvers);
 * reading a public fund is open to every resident of the community.
 *
 * @since 0.2.0
 * @category permissions
 */
export const fundPermissions: PermissionTable<FundCommand> = {
  "fund.createFund": { roles: [Roles.admin, Roles.treasurer] },
  "fund.setBudget": { roles: [Roles.admin, Roles.treasurer, Roles.committee] },
  "fund.requestExpense": { roles: [Roles.admin, Roles.treasurer, Roles.committee] },
  "fund.approveExpense": { roles: [Roles.admin, Roles.committee, Roles.treasurer] },
  "fund.rejectExpense": { roles: [Roles.admin, Roles.committee] },
  "fund.payExpense": { roles: [Roles.admin, Roles.treasurer], system: true },
  "fund.refundExpense": { roles: [Roles.admin, Roles.treasurer] },
  "fund.bill": { roles: [Roles.admin, Roles.treasurer], system: true },
  "fund.recordPayment": { roles: [Roles.admin, Roles.treasurer, Roles.clerk], system: true },
  "fund.receiveIncome": { roles: [Roles.admin, Roles.treasurer] },
  "fund.partnerShare": { roles: [Roles.admin, Roles.treasurer] },
  "fund.costShare": { roles: [Roles.admin, Roles.treasurer, Roles.committee], system: true },
  "fund.publishStatement": { roles: [Roles.admin, Roles.treasurer, Roles.committee], system: true },
  "fund.readPublic": { residents: true, roles: staffReaders, system: true },
  "fund.read": { roles: staffReaders, system: true },
  "fund.raiseObjection": { residents: true, roles: [Roles.admin, Roles.committee, Roles.auditor] },
  "fund.answerObjection": { roles: [Roles.admin, Roles.treasurer, Roles.committee] },
  "fund.setContract": { roles: [Roles.admin, Roles.committee] },
  "fund.settle": { roles: [Roles.admin, Roles.committee], system: true },
  "fund.arrearsNotice": { roles: [Roles.admin, Roles.treasurer], system: true },
  "fund.appeal": { residents: true, roles: [Roles.admin, Roles.clerk] },
  "fund.decideAppeal": { roles: [Roles.admin, Roles.committee] }
}

/** Working days a resident's objection must be answered within (the seed's 7). */
const OBJECTION_WORKDAYS = 7
/** Postings per ledger transaction when billing many households. */
const CHUNK = 500

const emit = (c: CommunityId, events: ReadonlyArray<FundEvent>) => appendEvents(c, FundEvent, events)

// ---------------------------------------------------------------------------
// Accounts

/**
 * The ledger account ids of a fund.
 *
 * @since 0.2.0
 * @category accounts
 */
export const fundAccounts = {
  cash: (fund: string) => AccountId.make(`f:${fund}:cash`),
  income: (fund: string, source: IncomeSource) => AccountId.make(`f:${fund}:inc:${source}`),
  expense: (fund: string, category: string) => AccountId.make(`f:${fund}:exp:${category}`),
  household: (fund: string, householdId: string) => {
    const id = `f:${fund}:hh:${householdId}`
    return AccountId.make(id.length <= 64 ? id : `f:${fund}:hx:${sha256HexSync(householdId).slice(0, 32)}`)
  },
  partner: (fund: string) => AccountId.make(`f:${fund}:partner`)
} as const

const ensure = (c: CommunityId, id: AccountId, kind: string, floor?: number, owner?: string) =>
  Effect.gen(function* () {
    const store = yield* LedgerStore
    const found = yield* store.getAccount(c, id)
    if (Option.isSome(found)) return found.value
    return yield* openAccountUnchecked({
      communityId: c,
      accountId: id,
      unit: "fen",
      kind,
      ...(floor === undefined ? {} : { floor }),
      ...(owner === undefined ? {} : { owner })
    })
  })

const ensureCash = (f: Fund) => ensure(f.communityId, fundAccounts.cash(f.id), "fund-cash", f.floorFen)
const ensureIncome = (f: Fund, s: IncomeSource) => ensure(f.communityId, fundAccounts.income(f.id, s), "fund-income")
const ensureExpense = (f: Fund, category: string) => ensure(f.communityId, fundAccounts.expense(f.id, category), "fund-expense")

/** Posts through the ledger; the cash floor's refusal becomes `InsufficientFunds`. */
const post = (
  f: Fund,
  kind: string,
  memo: string,
  postings: ReadonlyArray<{ readonly accountId: AccountId; readonly amount: number }>,
  idempotencyKey?: string,
  reverses?: LedgerTxId
) =>
  applyTransaction({
    communityId: f.communityId,
    unit: "fen",
    kind,
    memo: memo.slice(0, 500),
    postings: postings.filter((p) => p.amount !== 0),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey: `fund:${idempotencyKey}` }),
    ...(reverses === undefined ? {} : { reverses })
  }).pipe(
    Effect.catchIf(
      (e): e is InsufficientBalance => e instanceof InsufficientBalance && e.accountId === fundAccounts.cash(f.id),
      (e) => Effect.fail(new InsufficientFunds({ fundId: f.id, balanceFen: e.balance, floorFen: e.floor, amountFen: -e.amount }))
    )
  )

// ---------------------------------------------------------------------------
// Loading

const loadFund = (c: CommunityId, id: FundId, lock?: "update" | "share") =>
  Effect.flatMap(FundStore, (s) => s.funds.get({ communityId: c, id }, lock === undefined ? {} : { lock })).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new NotFound({ entity: "Fund", id })), onSome: Effect.succeed }))
  )

const loadExpense = (c: CommunityId, id: FundRecordId) =>
  Effect.flatMap(FundStore, (s) => s.expenses.get({ communityId: c, id }, { lock: "update" })).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new NotFound({ entity: "FundExpense", id })), onSome: Effect.succeed }))
  )

const now = Clock.currentTimeMillis

const periodOf = (at: number, tz = "Asia/Shanghai") => toLocalDate(at, tz).slice(0, 7)

/** A resident may read a fund only when it is public. */
const authorizeRead = (actor: Actor, f: Fund) =>
  actor._tag === "Resident" && !f.public
    ? Effect.fail(new Forbidden({ command: "fund.readPublic", reason: "not-allowed" }))
    : authorize(fundPermissions, "fund.readPublic", actor, f.communityId)

const recordPosting = (p: ConstructorParameters<typeof FundPosting>[0]) =>
  Effect.flatMap(FundStore, (s) => s.postings.insert(new FundPosting(p, { disableValidation: true })))

const requireIdempotentReplay = <A>(existing: Option.Option<A>, key: string | undefined, same: (a: A) => boolean) =>
  Option.match(existing, {
    onNone: () => Effect.succeed(Option.none<A>()),
    onSome: (a) => (same(a) ? Effect.succeed(Option.some(a)) : Effect.fail(new IdempotencyKeyReused({ key: key ?? "" })))
  })

// ---------------------------------------------------------------------------
// Funds and budgets

/**
 * Creates a fund and opens its cash account (with the fund's floor).
 *
 * @since 0.2.0
 * @category commands
 */
export const createFund = Effect.fn("fund.createFund")(function* (actor: Actor, input: typeof CreateFundInput.Encoded) {
  const cmd = yield* decodeInput("fund.createFund", CreateFundInput)(input)
  yield* authorize(fundPermissions, "fund.createFund", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const fund = new Fund({
      communityId: cmd.communityId,
      id: cmd.fundId,
      name: cmd.name,
      kind: cmd.kind,
      purpose: cmd.purpose,
      public: cmd.public ?? true,
      floorFen: cmd.floorFen ?? 0,
      thresholds: cmd.thresholds,
      voteRuleId: cmd.voteRuleId ?? "civil-code-278-ordinary",
      approverIds: cmd.approverIds ?? [],
      ...(cmd.arrearsPolicy === undefined ? {} : { arrearsPolicy: cmd.arrearsPolicy }),
      createdAt: at,
      createdBy: actorRef(actor),
      version: 1
    }, { disableValidation: true })
    yield* (yield* FundStore).funds.insert(fund)
    yield* ensureCash(fund)
    yield* emit(fund.communityId, [{ _tag: "FundCreated", fundId: fund.id, kind: fund.kind, public: fund.public, by: actorRef(actor) }])
    return fund
  }))
})

/**
 * Sets a fund's budget for a year. Lines that stay keep their actual
 * spending; a line with spending cannot be dropped.
 *
 * @since 0.2.0
 * @category commands
 */
export const setBudget = Effect.fn("fund.setBudget")(function* (actor: Actor, input: typeof SetBudgetInput.Encoded) {
  const cmd = yield* decodeInput("fund.setBudget", SetBudgetInput)(input)
  yield* authorize(fundPermissions, "fund.setBudget", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    yield* loadFund(cmd.communityId, cmd.fundId)
    const existing = yield* store.budgets.get({ communityId: cmd.communityId, fundId: cmd.fundId, year: cmd.year }, { lock: "update" })
    const before = Option.match(existing, { onNone: () => [], onSome: (b) => b.lines })
    for (const old of before) {
      if (old.actualFen !== 0 && !cmd.lines.some((l) => l.code === old.code)) {
        return yield* Effect.fail(new WrongState({ entity: "FundBudgetLine", id: old.code, status: "has spending", action: "remove" }))
      }
    }
    const lines = cmd.lines.map((l) => ({ ...l, actualFen: before.find((o) => o.code === l.code)?.actualFen ?? 0 }))
    const budget = new Budget({
      communityId: cmd.communityId,
      fundId: cmd.fundId,
      year: cmd.year,
      lines,
      updatedAt: at,
      version: Option.match(existing, { onNone: () => 1, onSome: (b) => b.version + 1 })
    }, { disableValidation: true })
    yield* Option.isNone(existing) ? store.budgets.insert(budget) : store.budgets.update(budget)
    yield* emit(cmd.communityId, [{
      _tag: "FundBudgetSet",
      fundId: cmd.fundId,
      year: cmd.year,
      plannedFen: lines.reduce((s, l) => s + l.plannedFen, 0),
      lines: lines.length,
      by: actorRef(actor)
    }])
    return budget
  }))
})

/**
 * The budget against actual for a fund's year, line by line.
 *
 * @since 0.2.0
 * @category queries
 */
export const budgetVsActual = Effect.fn("fund.budgetVsActual")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, year: number) {
  const f = yield* loadFund(communityId, fundId)
  yield* authorizeRead(actor, f)
  const b = yield* (yield* FundStore).budgets.get({ communityId, fundId, year })
  if (Option.isNone(b)) return yield* Effect.fail(new NotFound({ entity: "FundBudget", id: `${fundId}/${year}` }))
  const lines = Rules.compareBudget(b.value.lines)
  return {
    year,
    lines,
    plannedFen: lines.reduce((s, l) => s + l.plannedFen, 0),
    actualFen: lines.reduce((s, l) => s + l.actualFen, 0)
  }
})

/**
 * A fund and its cash balance.
 *
 * @since 0.2.0
 * @category queries
 */
export const getFund = Effect.fn("fund.getFund")(function* (actor: Actor, communityId: CommunityId, fundId: FundId) {
  const f = yield* loadFund(communityId, fundId)
  yield* authorizeRead(actor, f)
  const cash = yield* (yield* LedgerStore).getAccount(communityId, fundAccounts.cash(fundId))
  return { fund: f, cashFen: Option.match(cash, { onNone: () => 0, onSome: (a) => a.balance }) }
})

// ---------------------------------------------------------------------------
// Expenses

const findLine = (b: Option.Option<Budget>, fundId: FundId, year: number, code: string) =>
  Option.match(b, {
    onNone: () => Effect.fail(new UnknownBudgetLine({ fundId, year, line: code })),
    onSome: (budget) => {
      const line = budget.lines.find((l) => l.code === code)
      return line === undefined ? Effect.fail(new UnknownBudgetLine({ fundId, year, line: code })) : Effect.succeed({ budget, line })
    }
  })

/**
 * Requests an expense against a budget line. The amount decides how it is
 * approved (see `Rules.approvalLevel`); above the second threshold the
 * request opens a proposal in the voting module with the fund's Civil Code
 * rule (the requester must be allowed to create proposals: committee or
 * admin). A hard-capped line that the amount would exceed is `BudgetExceeded`.
 *
 * @since 0.2.0
 * @category commands
 */
export const requestExpense = Effect.fn("fund.requestExpense")(function* (actor: Actor, input: typeof RequestExpenseInput.Encoded) {
  const cmd = yield* decodeInput("fund.requestExpense", RequestExpenseInput)(input)
  yield* authorize(fundPermissions, "fund.requestExpense", actor, cmd.communityId)
  const at = yield* now
  const by = actorRef(actor)
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    if (cmd.idempotencyKey !== undefined) {
      const prior = yield* store.expenses.findUnique("gz_fund_expenses_idempotency", { communityId: cmd.communityId, idempotencyKey: cmd.idempotencyKey })
      const replay = yield* requireIdempotentReplay(prior, cmd.idempotencyKey, (e) =>
        e.fundId === cmd.fundId && e.amountFen === cmd.amountFen && e.payee === cmd.payee && e.budgetLine === cmd.budgetLine && e.requestedBy === by)
      if (Option.isSome(replay)) return replay.value
    }
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    const budget = yield* store.budgets.get({ communityId: cmd.communityId, fundId: cmd.fundId, year: cmd.budgetYear })
    const { line } = yield* findLine(budget, cmd.fundId, cmd.budgetYear, cmd.budgetLine)
    if (line.hardCap && line.actualFen + cmd.amountFen > line.plannedFen) {
      return yield* Effect.fail(new BudgetExceeded({
        fundId: f.id, year: cmd.budgetYear, line: line.code, plannedFen: line.plannedFen, actualFen: line.actualFen, amountFen: cmd.amountFen
      }))
    }
    const level = Rules.approvalLevel(cmd.amountFen, f.thresholds)
    const id = FundRecordId.make(yield* newId("exp"))
    let proposalId: string | undefined
    if (level === "vote") {
      const proposal = yield* Voting.createProposal(actor, {
        communityId: cmd.communityId,
        title: `基金支出 / Fund expense: ${cmd.purpose}`.slice(0, 200),
        body: `${f.name}: ${cmd.payee}, ${cmd.amountFen} fen (${line.name}). Expense ${id}.\n${cmd.purpose}`,
        rule: f.voteRuleId
      })
      proposalId = proposal.id
    }
    const expense = new Expense({
      communityId: cmd.communityId,
      id,
      fundId: f.id,
      payee: cmd.payee,
      purpose: cmd.purpose,
      budgetYear: cmd.budgetYear,
      budgetLine: line.code,
      category: line.category,
      amountFen: cmd.amountFen,
      attachments: cmd.attachments ?? [],
      requestedBy: by,
      requestedAt: at,
      level,
      approvals: [],
      ...(proposalId === undefined ? {} : { proposalId }),
      status: "requested",
      refundedFen: 0,
      ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: cmd.idempotencyKey }),
      version: 1
    }, { disableValidation: true })
    yield* store.expenses.insert(expense)
    yield* emit(cmd.communityId, [{
      _tag: "FundExpenseRequested",
      fundId: f.id,
      expenseId: id,
      amountFen: cmd.amountFen,
      level,
      budgetLine: line.code,
      ...(proposalId === undefined ? {} : { proposalId }),
      by
    }])
    return expense
  }))
})

const isApprover = (actor: Actor, f: Fund) =>
  actor._tag === "Staff" && (f.approverIds.length > 0 ? f.approverIds.includes(actor.staffId) : actor.roles.includes(Roles.committee))

/**
 * Approves an expense. The requester can never approve their own expense
 * (`SelfApproval`), an approver counts once (`AlreadyApproved`), and only
 * the fund's approvers may approve (`NotApprover`). The expense row is
 * locked, so concurrent approvals are counted one after the other.
 *
 * @since 0.2.0
 * @category commands
 */
export const approveExpense = Effect.fn("fund.approveExpense")(function* (actor: Actor, input: typeof ExpenseRef.Encoded) {
  const cmd = yield* decodeInput("fund.approveExpense", ExpenseRef)(input)
  yield* authorize(fundPermissions, "fund.approveExpense", actor, cmd.communityId)
  const at = yield* now
  const by = actorRef(actor)
  return yield* transactionally(Effect.gen(function* () {
    const e = yield* loadExpense(cmd.communityId, cmd.expenseId)
    const f = yield* loadFund(cmd.communityId, e.fundId)
    if (!isApprover(actor, f)) return yield* Effect.fail(new NotApprover({ fundId: f.id, actor: by }))
    if (e.requestedBy === by) return yield* Effect.fail(new SelfApproval({ expenseId: e.id }))
    if (e.status === "paid") return yield* Effect.fail(new AlreadyPaid({ expenseId: e.id }))
    if (e.status !== "requested" || e.level === "vote") {
      return yield* Effect.fail(new WrongState({ entity: "FundExpense", id: e.id, status: e.level === "vote" ? "awaiting the owners' vote" : e.status, action: "approve" }))
    }
    if (e.approvals.some((a) => a.by === by)) return yield* Effect.fail(new AlreadyApproved({ expenseId: e.id, actor: by }))
    const approvals = [...e.approvals, { by, at }]
    const complete = approvals.length >= Rules.approvalsNeeded(e.level)
    const next = new Expense({ ...e, approvals, status: complete ? "approved" : "requested", version: e.version + 1 }, { disableValidation: true })
    yield* (yield* FundStore).expenses.update(next)
    yield* emit(e.communityId, [{ _tag: "FundExpenseApproved", fundId: f.id, expenseId: e.id, approvals: approvals.length, complete, by }])
    return next
  }))
})

/**
 * Rejects an expense that is not paid.
 *
 * @since 0.2.0
 * @category commands
 */
export const rejectExpense = Effect.fn("fund.rejectExpense")(function* (actor: Actor, input: typeof ExpenseRef.Encoded) {
  const cmd = yield* decodeInput("fund.rejectExpense", ExpenseRef)(input)
  yield* authorize(fundPermissions, "fund.rejectExpense", actor, cmd.communityId)
  return yield* transactionally(Effect.gen(function* () {
    const e = yield* loadExpense(cmd.communityId, cmd.expenseId)
    if (e.status === "paid") return yield* Effect.fail(new AlreadyPaid({ expenseId: e.id }))
    if (e.status === "rejected") return yield* Effect.fail(new WrongState({ entity: "FundExpense", id: e.id, status: e.status, action: "reject" }))
    const next = new Expense({ ...e, status: "rejected", version: e.version + 1 }, { disableValidation: true })
    yield* (yield* FundStore).expenses.update(next)
    yield* emit(e.communityId, [{ _tag: "FundExpenseRejected", fundId: e.fundId, expenseId: e.id, by: actorRef(actor) }])
    return next
  }))
})

/** Whether a proposal passed: decided with the outcome `passed`. */
const proposalState = (actor: Actor, c: CommunityId, proposalId: string) =>
  Voting.getProposal(actor, c, proposalId as Voting.ProposalId).pipe(
    Effect.map((p) => ({ passed: p.status === "decided" && p.outcome === "passed", status: `${p.status}${p.outcome === undefined ? "" : `/${p.outcome}`}`, proposal: p }))
  )

/**
 * Pays an approved expense: a ledger transaction from the fund's cash to the
 * expense category, and the budget line's actual. Refused when approvals are
 * missing (`ApprovalRequired`), the owners' vote has not passed
 * (`ProposalNotPassed`), it was paid (`AlreadyPaid`; a replay with the same
 * idempotency key returns the paid expense), a hard cap would be exceeded
 * (`BudgetExceeded`) or the cash would go below the floor (`InsufficientFunds`).
 *
 * @since 0.2.0
 * @category commands
 */
export const payExpense = Effect.fn("fund.payExpense")(function* (actor: Actor, input: typeof PayExpenseInput.Encoded) {
  const cmd = yield* decodeInput("fund.payExpense", PayExpenseInput)(input)
  yield* authorize(fundPermissions, "fund.payExpense", actor, cmd.communityId)
  const at = yield* now
  const by = actorRef(actor)
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const e = yield* loadExpense(cmd.communityId, cmd.expenseId)
    if (e.status === "paid") {
      if (cmd.idempotencyKey !== undefined && e.paidTxId !== undefined) {
        const tx = yield* (yield* LedgerStore).getTransaction(e.communityId, e.paidTxId)
        if (Option.isSome(tx) && tx.value.idempotencyKey === `fund:${cmd.idempotencyKey}`) return e
      }
      return yield* Effect.fail(new AlreadyPaid({ expenseId: e.id }))
    }
    if (e.status === "rejected") return yield* Effect.fail(new WrongState({ entity: "FundExpense", id: e.id, status: e.status, action: "pay" }))
    const f = yield* loadFund(e.communityId, e.fundId)
    if (e.level === "vote") {
      const state = yield* proposalState(actor, e.communityId, e.proposalId ?? "")
      if (!state.passed) return yield* Effect.fail(new ProposalNotPassed({ expenseId: e.id, proposalId: e.proposalId ?? "", status: state.status }))
    } else if (!Rules.hasRequiredApprovals(e, false)) {
      return yield* Effect.fail(new ApprovalRequired({ expenseId: e.id, level: e.level, have: e.approvals.length, need: Rules.approvalsNeeded(e.level) }))
    }
    const budget = yield* store.budgets.get({ communityId: e.communityId, fundId: e.fundId, year: e.budgetYear }, { lock: "update" })
    const { budget: b, line } = yield* findLine(budget, f.id, e.budgetYear, e.budgetLine)
    if (line.hardCap && line.actualFen + e.amountFen > line.plannedFen) {
      return yield* Effect.fail(new BudgetExceeded({
        fundId: f.id, year: e.budgetYear, line: line.code, plannedFen: line.plannedFen, actualFen: line.actualFen, amountFen: e.amountFen
      }))
    }
    yield* store.budgets.update(new Budget({
      ...b,
      lines: b.lines.map((l) => (l.code === line.code ? { ...l, actualFen: l.actualFen + e.amountFen } : l)),
      updatedAt: at,
      version: b.version + 1
    }, { disableValidation: true }))
    yield* ensureCash(f)
    const expAccount = yield* ensureExpense(f, e.category)
    const tx = yield* post(f, "fund-expense", `${e.purpose} (${e.payee})`, [
      { accountId: expAccount.id, amount: e.amountFen },
      { accountId: fundAccounts.cash(f.id), amount: -e.amountFen }
    ], cmd.idempotencyKey === undefined ? `expense:${e.id}` : cmd.idempotencyKey)
    yield* recordPosting({
      communityId: e.communityId,
      txId: tx.id,
      fundId: f.id,
      kind: "expense",
      category: e.category,
      amountFen: -e.amountFen,
      cashFen: -e.amountFen,
      memo: e.purpose,
      counterparty: e.payee,
      ref: e.id,
      approvals: e.approvals,
      ...(e.proposalId === undefined ? {} : { proposalId: e.proposalId }),
      period: periodOf(at),
      postedAt: at
    })
    const next = new Expense({ ...e, status: "paid", paidTxId: tx.id, paidAt: at, paidBy: by, version: e.version + 1 }, { disableValidation: true })
    yield* store.expenses.update(next)
    yield* emit(e.communityId, [{ _tag: "FundExpensePaid", fundId: f.id, expenseId: e.id, amountFen: e.amountFen, txId: tx.id, by }])
    return next
  }))
})

/**
 * Books money back on a paid expense (a refund from the payee, or a
 * correction of a wrong amount) as a compensating transaction: cash up,
 * the category and the budget line's actual down. A full refund of the
 * whole amount reverses the payment's transaction (linked to it).
 *
 * @since 0.2.0
 * @category commands
 */
export const refundExpense = Effect.fn("fund.refundExpense")(function* (actor: Actor, input: typeof RefundExpenseInput.Encoded) {
  const cmd = yield* decodeInput("fund.refundExpense", RefundExpenseInput)(input)
  yield* authorize(fundPermissions, "fund.refundExpense", actor, cmd.communityId)
  const at = yield* now
  const by = actorRef(actor)
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    if (cmd.idempotencyKey !== undefined) {
      const prior = yield* (yield* LedgerStore).findByIdempotencyKey(cmd.communityId, `fund:${cmd.idempotencyKey}`)
      if (Option.isSome(prior)) {
        const e = yield* loadExpense(cmd.communityId, cmd.expenseId)
        const posting = yield* store.postings.get({ communityId: cmd.communityId, txId: prior.value.id })
        if (Option.isSome(posting) && posting.value.ref === e.id && posting.value.cashFen === cmd.amountFen) return e
        return yield* Effect.fail(new IdempotencyKeyReused({ key: cmd.idempotencyKey }))
      }
    }
    const e = yield* loadExpense(cmd.communityId, cmd.expenseId)
    if (e.status !== "paid" || e.paidTxId === undefined) {
      return yield* Effect.fail(new WrongState({ entity: "FundExpense", id: e.id, status: e.status, action: cmd.kind }))
    }
    if (cmd.amountFen > e.amountFen - e.refundedFen) {
      return yield* Effect.fail(new WrongState({ entity: "FundExpense", id: e.id, status: `refundable ${e.amountFen - e.refundedFen} fen`, action: `${cmd.kind} of ${cmd.amountFen} fen` }))
    }
    const f = yield* loadFund(e.communityId, e.fundId)
    const budget = yield* store.budgets.get({ communityId: e.communityId, fundId: e.fundId, year: e.budgetYear }, { lock: "update" })
    if (Option.isSome(budget)) {
      const b = budget.value
      yield* store.budgets.update(new Budget({
        ...b,
        lines: b.lines.map((l) => (l.code === e.budgetLine ? { ...l, actualFen: l.actualFen - cmd.amountFen } : l)),
        updatedAt: at,
        version: b.version + 1
      }, { disableValidation: true }))
    }
    const full = e.refundedFen === 0 && cmd.amountFen === e.amountFen
    const tx = yield* post(f, `fund-${cmd.kind}`, `${cmd.kind}: ${cmd.reason}`, [
      { accountId: fundAccounts.cash(f.id), amount: cmd.amountFen },
      { accountId: fundAccounts.expense(f.id, e.category), amount: -cmd.amountFen }
    ], cmd.idempotencyKey, full ? e.paidTxId : undefined)
    yield* recordPosting({
      communityId: e.communityId,
      txId: tx.id,
      fundId: f.id,
      kind: cmd.kind,
      category: e.category,
      amountFen: cmd.amountFen,
      cashFen: cmd.amountFen,
      memo: cmd.reason,
      counterparty: e.payee,
      ref: e.id,
      approvals: [],
      period: periodOf(at),
      postedAt: at
    })
    const next = new Expense({ ...e, refundedFen: e.refundedFen + cmd.amountFen, version: e.version + 1 }, { disableValidation: true })
    yield* store.expenses.update(next)
    yield* emit(e.communityId, [{ _tag: "FundExpenseRefunded", fundId: f.id, expenseId: e.id, amountFen: cmd.amountFen, kind: cmd.kind, txId: tx.id, by }])
    return next
  }))
})

/**
 * An expense with its approval trail and, for a vote-level expense, the
 * proposal's state.
 *
 * @since 0.2.0
 * @category queries
 */
export const getExpense = Effect.fn("fund.getExpense")(function* (actor: Actor, communityId: CommunityId, expenseId: FundRecordId) {
  const e = yield* Effect.flatMap(FundStore, (s) => s.expenses.get({ communityId, id: expenseId })).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new NotFound({ entity: "FundExpense", id: expenseId })), onSome: Effect.succeed }))
  )
  yield* authorizeRead(actor, yield* loadFund(communityId, e.fundId))
  return e
})

// ---------------------------------------------------------------------------
// Billing and payments

interface BillItem {
  readonly householdId: HouseholdId
  readonly amountFen: number
  readonly ref: string
  readonly kind: Bill["kind"]
  readonly description: string
  readonly period: string
  readonly dueDate: LocalDate
}

/**
 * Issues bills: per chunk of households one ledger transaction (each
 * household's receivable up, the income source down), an advance a
 * household holds pays its new bills first, one public posting per chunk.
 */
const issueBills = (f: Fund, items: ReadonlyArray<BillItem>, source: IncomeSource, postingKind: string, postingRef: string, at: number) =>
  Effect.gen(function* () {
    const store = yield* FundStore
    const ledger = yield* LedgerStore
    const income = yield* ensureIncome(f, source)
    const bills: Array<Bill> = []
    const byHousehold = new Map<string, Array<BillItem>>()
    for (const it of items) {
      const list = byHousehold.get(it.householdId)
      if (list === undefined) byHousehold.set(it.householdId, [it])
      else list.push(it)
    }
    const households = [...byHousehold.keys()]
    for (let i = 0; i < households.length; i += CHUNK) {
      const chunk = households.slice(i, i + CHUNK)
      const ids = chunk.map((h) => fundAccounts.household(f.id, h))
      const locked = yield* ledger.lock(f.communityId, [...ids].sort())
      const byId = new Map<string, Account>(locked.map((a) => [a.id, a]))
      // Households billed for the first time: their accounts are opened together, with one journal append.
      const opened: Array<Account> = []
      for (let j = 0; j < chunk.length; j++) {
        if (byId.has(ids[j]!)) continue
        const account = new LedgerAccount({
          communityId: f.communityId, id: ids[j]!, unit: "fen", kind: "fund-receivable", owner: chunk[j]!, balance: 0, createdAt: at
        }, { disableValidation: true })
        yield* ledger.insertAccount(account)
        byId.set(account.id, account)
        opened.push(account)
      }
      yield* appendEvents(f.communityId, LedgerEvent, opened.map((a) => ({
        _tag: "LedgerAccountOpened" as const, accountId: a.id, unit: a.unit, kind: a.kind, owner: a.owner!
      })))
      const postings: Array<{ accountId: AccountId; amount: number }> = []
      let total = 0
      for (let j = 0; j < chunk.length; j++) {
        const h = chunk[j]!
        const account = byId.get(ids[j]!)!
        let credit = Math.max(0, -account.balance)
        let sum = 0
        for (const it of byHousehold.get(h)!) {
          const paid = Math.min(it.amountFen, credit)
          credit -= paid
          sum += it.amountFen
          bills.push(new Bill({
            communityId: f.communityId,
            id: FundRecordId.make(yield* newId("bill")),
            fundId: f.id,
            householdId: it.householdId,
            ref: it.ref,
            kind: it.kind,
            description: it.description,
            period: it.period,
            amountFen: it.amountFen,
            paidFen: paid,
            dueDate: it.dueDate,
            status: paid === it.amountFen ? "paid" : "open",
            issuedAt: at,
            version: 1
          }, { disableValidation: true }))
        }
        postings.push({ accountId: ids[j]!, amount: sum })
        total += sum
      }
      if (total === 0) continue
      postings.push({ accountId: income.id, amount: -total })
      const tx = yield* post(f, `fund-${postingKind}`, `${postingRef} (${chunk.length})`, postings)
      yield* recordPosting({
        communityId: f.communityId,
        txId: tx.id,
        fundId: f.id,
        kind: postingKind,
        category: source,
        amountFen: total,
        cashFen: 0,
        memo: `${postingRef}: ${chunk.length} households`,
        counterparty: `${chunk.length} households`,
        ref: postingRef,
        approvals: [],
        period: periodOf(at),
        postedAt: at
      })
    }
    for (const b of bills) yield* store.bills.insert(b)
    return bills
  })

/**
 * Bills a month's property fee to every household of the community (or the
 * listed ones): exclusive area from the Directory x unit price, or a fixed
 * amount. Households already billed for the month are skipped, so running
 * it twice bills once.
 *
 * @since 0.2.0
 * @category commands
 */
export const billFees = Effect.fn("fund.billFees")(function* (actor: Actor, input: typeof BillFeesInput.Encoded) {
  const cmd = yield* decodeInput("fund.billFees", BillFeesInput)(input)
  yield* authorize(fundPermissions, "fund.bill", actor, cmd.communityId)
  const at = yield* now
  const directory = yield* Directory
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    const all = yield* directory.listHouseholds(cmd.communityId)
    const wanted = cmd.householdIds === undefined ? undefined : new Set<string>(cmd.householdIds)
    const ref = `fee:${cmd.period}`
    const already = new Set<string>((yield* store.bills.list({ communityId: cmd.communityId, fundId: f.id, period: cmd.period, kind: "fee" })).map((b) => b.householdId))
    const items: Array<BillItem> = []
    for (const h of all) {
      if (wanted !== undefined && !wanted.has(h.id)) continue
      if (already.has(h.id)) continue
      const amountFen = Rules.monthlyFee(cmd.pricing, h.exclusiveAreaDm2)
      if (amountFen <= 0) continue
      items.push({ householdId: h.id, amountFen, ref, kind: "fee", description: `物业费 / Property fee ${cmd.period}`, period: cmd.period, dueDate: cmd.dueDate })
    }
    const bills = yield* issueBills(f, items, "fees", "billing", ref, at)
    yield* emit(cmd.communityId, [
      { _tag: "FundBillsIssued", fundId: f.id, period: cmd.period, bills: bills.length, totalFen: bills.reduce((s, b) => s + b.amountFen, 0), by: actorRef(actor) },
      ...bills.map((b): FundEvent => ({ _tag: "FundBillIssued", fundId: f.id, billId: b.id, householdId: b.householdId, amountFen: b.amountFen, dueDate: b.dueDate }))
    ])
    return { period: cmd.period, bills: bills.length, totalFen: bills.reduce((s, b) => s + b.amountFen, 0), skipped: already.size }
  }))
})

/**
 * Records a household's payment: it settles open bills oldest first; what
 * is left is an advance that pays the next bills. A replay with the same
 * idempotency key returns the first payment.
 *
 * @since 0.2.0
 * @category commands
 */
export const recordPayment = Effect.fn("fund.recordPayment")(function* (actor: Actor, input: typeof RecordPaymentInput.Encoded) {
  const cmd = yield* decodeInput("fund.recordPayment", RecordPaymentInput)(input)
  yield* authorize(fundPermissions, "fund.recordPayment", actor, cmd.communityId)
  const at = yield* now
  const directory = yield* Directory
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    if (cmd.idempotencyKey !== undefined) {
      const prior = yield* store.payments.findUnique("gz_fund_payments_idempotency", { communityId: cmd.communityId, idempotencyKey: cmd.idempotencyKey })
      const replay = yield* requireIdempotentReplay(prior, cmd.idempotencyKey, (p) =>
        p.fundId === cmd.fundId && p.householdId === cmd.householdId && p.amountFen === cmd.amountFen)
      if (Option.isSome(replay)) return replay.value
    }
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    const household = yield* directory.getHousehold(cmd.communityId, cmd.householdId)
    const account = fundAccounts.household(f.id, cmd.householdId)
    yield* ensure(f.communityId, account, "fund-receivable", undefined, cmd.householdId)
    yield* ensureCash(f)
    // Payments (and billing) of one household take its account's row lock first, so they allocate one after the other.
    yield* (yield* LedgerStore).lock(f.communityId, [account])
    const open = yield* store.bills.list({ communityId: f.communityId, fundId: f.id, householdId: cmd.householdId, status: "open" })
    const { allocations, advanceFen } = Rules.allocatePayment(open, cmd.amountFen)
    const category = allocations.length > 0 && allocations.every((a) => a.bill.kind === "cost-share") ? "cost-share" : "fees"
    const tx = yield* post(f, "fund-payment", `payment ${household.id}`, [
      { accountId: fundAccounts.cash(f.id), amount: cmd.amountFen },
      { accountId: account, amount: -cmd.amountFen }
    ], cmd.idempotencyKey)
    for (const a of allocations) {
      const paidFen = a.bill.paidFen + a.amountFen
      yield* store.bills.update(new Bill({ ...a.bill, paidFen, status: paidFen === a.bill.amountFen ? "paid" : "open", version: a.bill.version + 1 }, { disableValidation: true }))
    }
    const payment = new Payment({
      communityId: f.communityId,
      id: FundRecordId.make(yield* newId("pay")),
      fundId: f.id,
      householdId: cmd.householdId,
      amountFen: cmd.amountFen,
      allocations: allocations.map((a) => ({ billId: a.bill.id, amountFen: a.amountFen })),
      advanceFen,
      method: cmd.method ?? "unspecified",
      txId: tx.id,
      paidAt: at,
      recordedBy: actorRef(actor),
      ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: cmd.idempotencyKey })
    }, { disableValidation: true })
    yield* store.payments.insert(payment)
    yield* recordPosting({
      communityId: f.communityId,
      txId: tx.id,
      fundId: f.id,
      kind: "payment",
      category,
      amountFen: cmd.amountFen,
      cashFen: cmd.amountFen,
      memo: advanceFen > 0 ? `payment (advance ${advanceFen})` : "payment",
      counterparty: Rules.maskHousehold(household.label),
      ref: payment.id,
      approvals: [],
      period: periodOf(at),
      postedAt: at
    })
    yield* emit(f.communityId, [{
      _tag: "FundPaymentReceived", fundId: f.id, paymentId: payment.id, householdId: cmd.householdId, amountFen: cmd.amountFen, advanceFen, txId: tx.id
    }])
    return payment
  }))
})

/**
 * Records income other than a household payment: a donation (named, or
 * anonymous: the name is never shown), a government subsidy, fees from the
 * spaces module, other.
 *
 * @since 0.2.0
 * @category commands
 */
export const receiveIncome = Effect.fn("fund.receiveIncome")(function* (actor: Actor, input: typeof ReceiveIncomeInput.Encoded) {
  const cmd = yield* decodeInput("fund.receiveIncome", ReceiveIncomeInput)(input)
  yield* authorize(fundPermissions, "fund.receiveIncome", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    if (cmd.idempotencyKey !== undefined) {
      const prior = yield* store.income.findUnique("gz_fund_income_idempotency", { communityId: cmd.communityId, idempotencyKey: cmd.idempotencyKey })
      const replay = yield* requireIdempotentReplay(prior, cmd.idempotencyKey, (i) => i.fundId === cmd.fundId && i.amountFen === cmd.amountFen && i.source === cmd.source)
      if (Option.isSome(replay)) return replay.value
    }
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    yield* ensureCash(f)
    const inc = yield* ensureIncome(f, cmd.source)
    const anonymous = cmd.anonymous ?? cmd.donor === undefined
    const tx = yield* post(f, "fund-income", `${cmd.source}: ${cmd.memo}`, [
      { accountId: fundAccounts.cash(f.id), amount: cmd.amountFen },
      { accountId: inc.id, amount: -cmd.amountFen }
    ], cmd.idempotencyKey)
    const income = new Income({
      communityId: f.communityId,
      id: FundRecordId.make(yield* newId("inc")),
      fundId: f.id,
      source: cmd.source,
      amountFen: cmd.amountFen,
      ...(anonymous || cmd.donor === undefined ? {} : { donor: cmd.donor }),
      anonymous,
      memo: cmd.memo,
      txId: tx.id,
      receivedAt: at,
      recordedBy: actorRef(actor),
      ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: cmd.idempotencyKey })
    }, { disableValidation: true })
    yield* store.income.insert(income)
    yield* recordPosting({
      communityId: f.communityId,
      txId: tx.id,
      fundId: f.id,
      kind: "income",
      category: cmd.source,
      amountFen: cmd.amountFen,
      cashFen: cmd.amountFen,
      memo: cmd.memo,
      counterparty: cmd.source === "donation" ? Rules.maskDonor(income.donor, anonymous) : cmd.source,
      ref: income.id,
      approvals: [],
      period: periodOf(at),
      postedAt: at
    })
    yield* emit(f.communityId, [{ _tag: "FundIncomeReceived", fundId: f.id, incomeId: income.id, source: cmd.source, amountFen: cmd.amountFen, txId: tx.id }])
    return income
  }))
})

/**
 * Records a commercial partner's profit for a period: the agreed share
 * becomes a receivable of the fund (and income of source `partner`).
 *
 * @since 0.2.0
 * @category commands
 */
export const reportPartnerProfit = Effect.fn("fund.reportPartnerProfit")(function* (actor: Actor, input: typeof ReportPartnerProfitInput.Encoded) {
  const cmd = yield* decodeInput("fund.reportPartnerProfit", ReportPartnerProfitInput)(input)
  yield* authorize(fundPermissions, "fund.partnerShare", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    const shareFen = Number((BigInt(cmd.profitFen) * BigInt(cmd.shareBp)) / 10_000n)
    const share = new PartnerShare({
      communityId: f.communityId,
      id: FundRecordId.make(yield* newId("psh")),
      fundId: f.id,
      partner: cmd.partner,
      period: cmd.period,
      profitFen: cmd.profitFen,
      shareBp: cmd.shareBp,
      shareFen,
      collectedFen: 0,
      reportedAt: at,
      version: 1
    }, { disableValidation: true })
    yield* (yield* FundStore).partnerShares.insert(share)
    if (shareFen > 0) {
      const recv = yield* ensure(f.communityId, fundAccounts.partner(f.id), "fund-receivable")
      const inc = yield* ensureIncome(f, "partner")
      const tx = yield* post(f, "fund-partner-share", `partner share ${cmd.partner} ${cmd.period}`, [
        { accountId: recv.id, amount: shareFen },
        { accountId: inc.id, amount: -shareFen }
      ])
      yield* recordPosting({
        communityId: f.communityId, txId: tx.id, fundId: f.id, kind: "partner-share", category: "partner", amountFen: shareFen, cashFen: 0,
        memo: `${cmd.period}: ${cmd.shareBp / 100}% of ${cmd.profitFen} fen profit`, counterparty: cmd.partner, ref: share.id, approvals: [],
        period: periodOf(at), postedAt: at
      })
    }
    yield* emit(f.communityId, [{ _tag: "FundPartnerShareReported", fundId: f.id, shareId: share.id, period: cmd.period, shareFen }])
    return share
  }))
})

/**
 * Collects (part of) a partner's share: cash up, the receivable down.
 *
 * @since 0.2.0
 * @category commands
 */
export const collectPartnerShare = Effect.fn("fund.collectPartnerShare")(function* (actor: Actor, input: typeof CollectPartnerShareInput.Encoded) {
  const cmd = yield* decodeInput("fund.collectPartnerShare", CollectPartnerShareInput)(input)
  yield* authorize(fundPermissions, "fund.partnerShare", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const found = yield* store.partnerShares.get({ communityId: cmd.communityId, id: cmd.shareId }, { lock: "update" })
    if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "FundPartnerShare", id: cmd.shareId }))
    const s = found.value
    if (cmd.amountFen > s.shareFen - s.collectedFen) {
      return yield* Effect.fail(new WrongState({ entity: "FundPartnerShare", id: s.id, status: `outstanding ${s.shareFen - s.collectedFen} fen`, action: `collect ${cmd.amountFen} fen` }))
    }
    const f = yield* loadFund(s.communityId, s.fundId)
    yield* ensureCash(f)
    const tx = yield* post(f, "fund-income", `partner share ${s.partner} ${s.period}`, [
      { accountId: fundAccounts.cash(f.id), amount: cmd.amountFen },
      { accountId: fundAccounts.partner(f.id), amount: -cmd.amountFen }
    ], cmd.idempotencyKey)
    yield* recordPosting({
      communityId: f.communityId, txId: tx.id, fundId: f.id, kind: "income", category: "partner", amountFen: 0, cashFen: cmd.amountFen,
      memo: `collected partner share ${s.period}`, counterparty: s.partner, ref: s.id, approvals: [], period: periodOf(at), postedAt: at
    })
    const next = new PartnerShare({ ...s, collectedFen: s.collectedFen + cmd.amountFen, version: s.version + 1 }, { disableValidation: true })
    yield* store.partnerShares.update(next)
    return next
  }))
})

/**
 * A fund's arrears on `asOf` (default today): outstanding per household with
 * its age buckets and whole months in arrears, the totals by age, and the
 * arrears rate over everything billed and due.
 *
 * @since 0.2.0
 * @category queries
 */
export const arrears = Effect.fn("fund.arrears")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, asOf?: string) {
  yield* authorize(fundPermissions, "fund.read", actor, communityId)
  const f = yield* loadFund(communityId, fundId)
  const day = asOf ?? toLocalDate(yield* now)
  const bills = yield* (yield* FundStore).bills.list({ communityId, fundId: f.id })
  const byHousehold = new Map<string, Array<Bill>>()
  let dueBilled = 0
  let dueOutstanding = 0
  for (const b of bills) {
    const list = byHousehold.get(b.householdId)
    if (list === undefined) byHousehold.set(b.householdId, [b])
    else list.push(b)
    if (b.dueDate <= day) {
      dueBilled += b.amountFen
      dueOutstanding += b.amountFen - b.paidFen
    }
  }
  const households = [...byHousehold.entries()]
    .map(([householdId, list]) => ({
      householdId,
      billedFen: list.reduce((s, b) => s + b.amountFen, 0),
      paidFen: list.reduce((s, b) => s + b.paidFen, 0),
      outstandingFen: list.reduce((s, b) => s + b.amountFen - b.paidFen, 0),
      monthsInArrears: Rules.monthsInArrears(list, day),
      byAge: Rules.ageArrears(list, day)
    }))
    .filter((h) => h.outstandingFen > 0)
    .sort((a, b) => (a.householdId < b.householdId ? -1 : 1))
  return {
    asOf: day,
    households,
    byAge: Rules.ageArrears(bills, day),
    dueBilledFen: dueBilled,
    dueOutstandingFen: dueOutstanding,
    rateBp: dueBilled === 0 ? undefined : Math.floor((dueOutstanding * 10_000) / dueBilled)
  }
})

/**
 * A household's bills and payments in a fund, for the household's residents
 * and staff.
 *
 * @since 0.2.0
 * @category queries
 */
export const householdAccount = Effect.fn("fund.householdAccount")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, householdId: HouseholdId) {
  if (actor._tag === "Resident") {
    const r = yield* (yield* Directory).getResident(communityId, actor.residentId).pipe(Effect.catchTag("NotFound", () => Effect.succeed(undefined)))
    if (actor.communityId !== communityId || r === undefined || r.householdId !== householdId) {
      return yield* Effect.fail(new Forbidden({ command: "fund.read", reason: "not-self" }))
    }
  } else {
    yield* authorize(fundPermissions, "fund.read", actor, communityId)
  }
  const store = yield* FundStore
  const bills = yield* store.bills.list({ communityId, fundId, householdId })
  const payments = yield* store.payments.list({ communityId, fundId, householdId })
  const account = yield* (yield* LedgerStore).getAccount(communityId, fundAccounts.household(fundId, householdId))
  return { bills, payments, balanceFen: Option.match(account, { onNone: () => 0, onSome: (a) => a.balance }) }
})

// ---------------------------------------------------------------------------
// Cost sharing

/**
 * Turns a passed proposal's cost plan (voting's `attachCostPlan`) into one
 * receivable per household, split into instalments that sum exactly to the
 * household's share; together they sum to the plan's Σ payFen to the fen.
 *
 * @since 0.2.0
 * @category commands
 */
export const createCostShareReceivables = Effect.fn("fund.createCostShareReceivables")(function* (actor: Actor, input: typeof CostShareInput.Encoded) {
  const cmd = yield* decodeInput("fund.createCostShareReceivables", CostShareInput)(input)
  yield* authorize(fundPermissions, "fund.costShare", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    const state = yield* proposalState(actor, cmd.communityId, cmd.proposalId)
    if (!state.passed) return yield* Effect.fail(new ProposalNotPassed({ expenseId: "-", proposalId: cmd.proposalId, status: state.status }))
    const plan = state.proposal.costPlan
    if (plan === undefined) return yield* Effect.fail(new WrongState({ entity: "Proposal", id: cmd.proposalId, status: "no cost plan", action: "create receivables" }))
    const existing = yield* store.costShares.get({ communityId: cmd.communityId, proposalId: cmd.proposalId })
    if (Option.isSome(existing)) return yield* Effect.fail(new AlreadyExists({ entity: "FundCostShare", id: cmd.proposalId }))
    const n = cmd.instalments ?? 1
    const items: Array<BillItem> = []
    for (const line of plan.lines) {
      if (line.payFen <= 0) continue
      const parts = Rules.instalments(line.payFen, n)
      parts.forEach((amountFen, i) => {
        if (amountFen <= 0) return
        const dueDate = LocalDate.make(Rules.addMonths(cmd.firstDueDate, i))
        items.push({
          householdId: line.householdId,
          amountFen,
          ref: `cost:${cmd.proposalId}:${i + 1}`,
          kind: "cost-share",
          description: `分摊 / Cost share ${cmd.proposalId} (${i + 1}/${n})`,
          period: dueDate.slice(0, 7),
          dueDate
        })
      })
    }
    const totalFen = plan.lines.reduce((s, l) => s + l.payFen, 0)
    const bills = yield* issueBills(f, items, "cost-share", "cost-share", `cost:${cmd.proposalId}`, at)
    const share = new CostShare({
      communityId: f.communityId,
      proposalId: cmd.proposalId,
      fundId: f.id,
      totalFen,
      households: plan.lines.filter((l) => l.payFen > 0).length,
      instalments: n,
      createdAt: at,
      createdBy: actorRef(actor)
    }, { disableValidation: true })
    yield* store.costShares.insert(share)
    yield* emit(f.communityId, [
      { _tag: "FundCostShareCreated", fundId: f.id, proposalId: cmd.proposalId, totalFen, households: share.households, instalments: n },
      ...bills.map((b): FundEvent => ({ _tag: "FundBillIssued", fundId: f.id, billId: b.id, householdId: b.householdId, amountFen: b.amountFen, dueDate: b.dueDate }))
    ])
    return { costShare: share, bills }
  }))
})

/**
 * A cost share's collection state: billed, paid and outstanding per
 * household and in total.
 *
 * @since 0.2.0
 * @category queries
 */
export const costShareStatus = Effect.fn("fund.costShareStatus")(function* (actor: Actor, communityId: CommunityId, proposalId: string) {
  const store = yield* FundStore
  const share = yield* store.costShares.get({ communityId, proposalId })
  if (Option.isNone(share)) return yield* Effect.fail(new NotFound({ entity: "FundCostShare", id: proposalId }))
  yield* authorizeRead(actor, yield* loadFund(communityId, share.value.fundId))
  const bills = (yield* store.bills.list({ communityId, fundId: share.value.fundId, kind: "cost-share" })).filter((b) => b.ref.startsWith(`cost:${proposalId}:`))
  const per = new Map<string, { billedFen: number; paidFen: number }>()
  for (const b of bills) {
    const p = per.get(b.householdId) ?? { billedFen: 0, paidFen: 0 }
    p.billedFen += b.amountFen
    p.paidFen += b.paidFen
    per.set(b.householdId, p)
  }
  const billedFen = bills.reduce((s, b) => s + b.amountFen, 0)
  const paidFen = bills.reduce((s, b) => s + b.paidFen, 0)
  return {
    costShare: share.value,
    billedFen,
    paidFen,
    outstandingFen: billedFen - paidFen,
    state: billedFen === paidFen ? ("collected" as const) : ("collecting" as const),
    households: [...per.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([householdId, p]) => ({ householdId, ...p, outstandingFen: p.billedFen - p.paidFen }))
  }
})

// ---------------------------------------------------------------------------
// Transparency

/**
 * Every posting of a fund (optionally of one period), as the public sees
 * them: memo, amount, category, approval trail, masked counterparty. Any
 * resident of the community may read a public fund's postings.
 *
 * @since 0.2.0
 * @category queries
 */
export const publicPostings = Effect.fn("fund.publicPostings")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, period?: string) {
  const f = yield* loadFund(communityId, fundId)
  yield* authorizeRead(actor, f)
  return yield* (yield* FundStore).postings.list({ communityId, fundId, ...(period === undefined ? {} : { period }) })
})

const computeStatement = (f: Fund, period: string) =>
  Effect.gen(function* () {
    const store = yield* FundStore
    const all = yield* store.postings.list({ communityId: f.communityId, fundId: f.id })
    const inPeriod = all.filter((p) => p.period === period)
    const closingCash = all.filter((p) => p.period <= period).reduce((s, p) => s + p.cashFen, 0)
    const end = Rules.addMonths(`${period}-01`, 1)
    const bills = yield* store.bills.list({ communityId: f.communityId, fundId: f.id })
    let dueBilled = 0
    let dueOutstanding = 0
    for (const b of bills) {
      if (b.dueDate < end) {
        dueBilled += b.amountFen
        dueOutstanding += b.amountFen - b.paidFen
      }
    }
    const budget = yield* store.budgets.get({ communityId: f.communityId, fundId: f.id, year: Number(period.slice(0, 4)) })
    return Rules.buildStatement({
      fundId: f.id,
      fundName: f.name,
      period,
      postings: inPeriod,
      closingCashFen: closingCash,
      dueBilledFen: dueBilled,
      dueOutstandingFen: dueOutstanding,
      budget: Option.match(budget, { onNone: () => [], onSome: (b) => Rules.compareBudget(b.lines) })
    })
  })

/**
 * Publishes a fund's monthly statement (income, expenses by category,
 * balances, arrears rate, budget against actual) with the journal head at
 * its close. Anyone holding the statement can later check the journal
 * against that head (`verifyStatement`, or the kernel's `verifyJournal`
 * with the head as an anchor). A statement is published once.
 *
 * @since 0.2.0
 * @category commands
 */
export const publishStatement = Effect.fn("fund.publishStatement")(function* (actor: Actor, input: typeof PublishStatementInput.Encoded) {
  const cmd = yield* decodeInput("fund.publishStatement", PublishStatementInput)(input)
  yield* authorize(fundPermissions, "fund.publishStatement", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    const existing = yield* store.statements.get({ communityId: cmd.communityId, fundId: cmd.fundId, period: cmd.period })
    if (Option.isSome(existing)) return yield* Effect.fail(new AlreadyPublished({ fundId: cmd.fundId, period: cmd.period }))
    // The head is locked for appending until the transaction ends: nothing slips in between.
    const head = Option.getOrElse(yield* (yield* JournalStore).headForUpdate(cmd.communityId), () => ({ seq: 0, hash: "0".repeat(64) }))
    const body = yield* computeStatement(f, cmd.period)
    const statement = new Statement({
      communityId: cmd.communityId,
      fundId: f.id,
      period: cmd.period,
      body,
      journalHead: { seq: head.seq, hash: head.hash },
      publishedAt: at,
      publishedBy: actorRef(actor)
    }, { disableValidation: true })
    yield* store.statements.insert(statement)
    yield* emit(cmd.communityId, [{ _tag: "FundStatementPublished", fundId: f.id, period: cmd.period, headSeq: head.seq, headHash: head.hash }])
    return statement
  }))
})

const loadStatement = (actor: Actor, communityId: CommunityId, fundId: FundId, period: string) =>
  Effect.gen(function* () {
    const f = yield* loadFund(communityId, fundId)
    yield* authorizeRead(actor, f)
    const s = yield* (yield* FundStore).statements.get({ communityId, fundId, period })
    if (Option.isNone(s)) return yield* Effect.fail(new NotFound({ entity: "FundStatement", id: `${fundId}/${period}` }))
    return s.value
  })

/**
 * A published statement (JSON), for anyone who may read the fund.
 *
 * @since 0.2.0
 * @category queries
 */
export const getStatement = Effect.fn("fund.getStatement")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, period: string) {
  return yield* loadStatement(actor, communityId, fundId, period)
})

/**
 * A published statement as a printable HTML page.
 *
 * @since 0.2.0
 * @category queries
 */
export const statementHtml = Effect.fn("fund.statementHtml")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, period: string) {
  const s = yield* loadStatement(actor, communityId, fundId, period)
  return Rules.renderStatementHtml(s.body as Rules.StatementBody, s.journalHead)
})

/**
 * Verifies the community's journal against a published statement's head:
 * `ok` when the chain is intact and still passes through the head the
 * statement carries; an edited, removed or reordered entry is reported.
 *
 * @since 0.2.0
 * @category queries
 */
export const verifyStatement = Effect.fn("fund.verifyStatement")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, period: string) {
  const s = yield* loadStatement(actor, communityId, fundId, period)
  return yield* verifyJournal(communityId, [s.journalHead])
})

/**
 * A resident queries a posting of a public fund; it must be answered within
 * seven working days (the community's `WorkdayCalendar`).
 *
 * @since 0.2.0
 * @category commands
 */
export const raiseObjection = Effect.fn("fund.raiseObjection")(function* (actor: Actor, input: typeof RaiseObjectionInput.Encoded) {
  const cmd = yield* decodeInput("fund.raiseObjection", RaiseObjectionInput)(input)
  yield* authorize(fundPermissions, "fund.raiseObjection", actor, cmd.communityId)
  const at = yield* now
  const calendar = yield* WorkdayCalendar
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    yield* authorizeRead(actor, f)
    const posting = yield* store.postings.get({ communityId: cmd.communityId, txId: cmd.txId })
    if (Option.isNone(posting) || posting.value.fundId !== f.id) return yield* Effect.fail(new NotFound({ entity: "FundPosting", id: cmd.txId }))
    const today = yield* calendar.today()
    const answerDue = yield* calendar.addWorkdays(cmd.communityId, today, OBJECTION_WORKDAYS)
    const objection = new Objection({
      communityId: cmd.communityId,
      id: FundRecordId.make(yield* newId("obj")),
      fundId: f.id,
      txId: cmd.txId,
      raisedBy: actorRef(actor),
      question: cmd.question,
      raisedAt: at,
      answerDue,
      status: "open",
      version: 1
    }, { disableValidation: true })
    yield* store.objections.insert(objection)
    yield* emit(cmd.communityId, [{ _tag: "FundObjectionRaised", fundId: f.id, objectionId: objection.id, txId: cmd.txId, answerDue }])
    return objection
  }))
})

/**
 * Answers an objection (published with the posting).
 *
 * @since 0.2.0
 * @category commands
 */
export const answerObjection = Effect.fn("fund.answerObjection")(function* (actor: Actor, input: typeof AnswerObjectionInput.Encoded) {
  const cmd = yield* decodeInput("fund.answerObjection", AnswerObjectionInput)(input)
  yield* authorize(fundPermissions, "fund.answerObjection", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const found = yield* store.objections.get({ communityId: cmd.communityId, id: cmd.objectionId }, { lock: "update" })
    if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "FundObjection", id: cmd.objectionId }))
    const o = found.value
    if (o.status !== "open") return yield* Effect.fail(new WrongState({ entity: "FundObjection", id: o.id, status: o.status, action: "answer" }))
    const next = new Objection({ ...o, status: "answered", answer: cmd.answer, answeredBy: actorRef(actor), answeredAt: at, version: o.version + 1 }, { disableValidation: true })
    yield* store.objections.update(next)
    yield* emit(cmd.communityId, [{ _tag: "FundObjectionAnswered", fundId: o.fundId, objectionId: o.id, raisedBy: o.raisedBy, by: actorRef(actor) }])
    return next
  }))
})

/**
 * The objections to a fund's postings, with their answers and deadlines.
 *
 * @since 0.2.0
 * @category queries
 */
export const objections = Effect.fn("fund.objections")(function* (actor: Actor, communityId: CommunityId, fundId: FundId) {
  yield* authorizeRead(actor, yield* loadFund(communityId, fundId))
  return yield* (yield* FundStore).objections.list({ communityId, fundId })
})

// ---------------------------------------------------------------------------
// The trustee's fee

/**
 * Sets (or replaces) the trustee contract of a fund.
 *
 * @since 0.2.0
 * @category commands
 */
export const setTrusteeContract = Effect.fn("fund.setTrusteeContract")(function* (actor: Actor, input: typeof SetTrusteeContractInput.Encoded) {
  const cmd = yield* decodeInput("fund.setTrusteeContract", SetTrusteeContractInput)(input)
  yield* authorize(fundPermissions, "fund.setContract", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    yield* loadFund(cmd.communityId, cmd.fundId)
    const existing = yield* store.contracts.get({ communityId: cmd.communityId, fundId: cmd.fundId }, { lock: "update" })
    const contract = new TrusteeContract({
      communityId: cmd.communityId,
      fundId: cmd.fundId,
      trustee: cmd.trustee,
      basis: cmd.basis,
      rules: cmd.rules,
      complaintTypeIds: cmd.complaintTypeIds ?? [],
      updatedAt: at,
      version: Option.match(existing, { onNone: () => 1, onSome: (c) => c.version + 1 })
    }, { disableValidation: true })
    yield* Option.isNone(existing) ? store.contracts.insert(contract) : store.contracts.update(contract)
    yield* emit(cmd.communityId, [{ _tag: "FundTrusteeContractSet", fundId: cmd.fundId, by: actorRef(actor) }])
    return contract
  }))
})

/**
 * The service figures of a period from the issues module: work orders
 * overdue (due in the period and answered late or still open past due),
 * the satisfaction rate in whole percent, and fixed cases of the contract's
 * complaint types.
 *
 * @since 0.2.0
 * @category trustee
 */
export const serviceFigures = (actor: Actor, communityId: CommunityId, range: { readonly from: number; readonly to: number }, complaintTypeIds: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const all = yield* Issues.figures(actor, communityId, { by: "all", from: range.from, to: range.to })
    const g = all.groups[0]
    const byType = complaintTypeIds.length === 0 ? { groups: [] } : yield* Issues.figures(actor, communityId, { by: "type", from: range.from, to: range.to })
    const figures: ServiceFigures = {
      overdueWorkOrders: g === undefined ? 0 : g.onTime.of - g.onTime.count,
      ...(g === undefined || g.satisfaction.of === 0 ? {} : { satisfactionPct: Math.floor((g.satisfaction.count * 100) / g.satisfaction.of) }),
      verifiedComplaints: byType.groups.filter((t) => complaintTypeIds.includes(t.key)).reduce((s, t) => s + t.resolution.count, 0)
    }
    return figures
  })

/**
 * Settles the trustee's fee for a month: the contract's fee (a percentage of
 * the fee income collected in the month, or fixed), minus the deductions of
 * its rule table from the issues module's service figures. Posts the fee to
 * the `trustee-fee` category, the deductions to income `trustee-deduction`
 * and the net from cash, and keeps the figures used. Once per month
 * (`AlreadySettled`).
 *
 * @since 0.2.0
 * @category commands
 */
export const settleTrusteeFee = Effect.fn("fund.settleTrusteeFee")(function* (actor: Actor, input: typeof SettleInput.Encoded) {
  const cmd = yield* decodeInput("fund.settleTrusteeFee", SettleInput)(input)
  yield* authorize(fundPermissions, "fund.settle", actor, cmd.communityId)
  const at = yield* now
  const calendar = yield* WorkdayCalendar
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const f = yield* loadFund(cmd.communityId, cmd.fundId, "update")
    const existing = yield* store.settlements.get({ communityId: cmd.communityId, fundId: cmd.fundId, period: cmd.period })
    if (Option.isSome(existing)) return yield* Effect.fail(new AlreadySettled({ fundId: cmd.fundId, period: cmd.period }))
    const contract = yield* store.contracts.get({ communityId: cmd.communityId, fundId: cmd.fundId })
    if (Option.isNone(contract)) return yield* Effect.fail(new NotFound({ entity: "FundTrusteeContract", id: cmd.fundId }))
    const c = contract.value
    const tz = calendar.timeZone
    const range = {
      from: startOfLocalDay(LocalDate.make(`${cmd.period}-01`), tz),
      to: startOfLocalDay(LocalDate.make(Rules.addMonths(`${cmd.period}-01`, 1)), tz)
    }
    const figures = yield* serviceFigures(actor, cmd.communityId, range, c.complaintTypeIds)
    const postings = yield* store.postings.list({ communityId: cmd.communityId, fundId: f.id, period: cmd.period })
    const incomeFen = postings.filter((p) => p.kind === "payment" && p.category === "fees").reduce((s, p) => s + p.cashFen, 0)
    const feeFen = Rules.trusteeFee(c.basis, incomeFen)
    const deductions = Rules.trusteeDeductions(c.rules, figures, feeFen)
    const deductionFen = deductions.reduce((s, d) => s + d.amountFen, 0)
    const netFen = feeFen - deductionFen
    let txId: LedgerTxId | undefined
    if (feeFen > 0) {
      yield* ensureCash(f)
      const exp = yield* ensureExpense(f, "trustee-fee")
      const ded = yield* ensureIncome(f, "trustee-deduction")
      const tx: LedgerTransaction = yield* post(f, "fund-trustee-fee", `trustee fee ${cmd.period}: ${feeFen} - ${deductionFen}`, [
        { accountId: exp.id, amount: feeFen },
        { accountId: ded.id, amount: -deductionFen },
        { accountId: fundAccounts.cash(f.id), amount: -netFen }
      ], `trustee:${f.id}:${cmd.period}`)
      txId = tx.id
      yield* recordPosting({
        communityId: f.communityId, txId: tx.id, fundId: f.id, kind: "trustee-fee", category: "trustee-fee", amountFen: 0 - netFen, cashFen: 0 - netFen,
        memo: `fee ${feeFen}, deductions ${deductions.map((d) => `${d.metric}=${d.figure}: ${d.amountFen}`).join("; ") || "none"}`,
        counterparty: c.trustee, ref: `${f.id}:${cmd.period}`, approvals: [], period: periodOf(at), postedAt: at
      })
    }
    const settlement = new Settlement({
      communityId: f.communityId,
      fundId: f.id,
      period: cmd.period,
      incomeFen,
      feeFen,
      deductions,
      netFen,
      figures,
      ...(txId === undefined ? {} : { txId }),
      settledAt: at,
      settledBy: actorRef(actor)
    }, { disableValidation: true })
    yield* store.settlements.insert(settlement)
    yield* emit(f.communityId, [{ _tag: "FundTrusteeSettled", fundId: f.id, period: cmd.period, feeFen, deductionFen, netFen, figures, deductions, ...(txId === undefined ? {} : { txId }) }])
    return settlement
  }))
})

// ---------------------------------------------------------------------------
// Arrears consequences (opt-in)

/**
 * Gives a household notice of its arrears under the fund's arrears policy
 * (which must be switched on, and the arrears must reach `noticeMonths`).
 *
 * @since 0.2.0
 * @category commands
 */
export const giveArrearsNotice = Effect.fn("fund.giveArrearsNotice")(function* (actor: Actor, input: typeof ArrearsNoticeInput.Encoded) {
  const cmd = yield* decodeInput("fund.giveArrearsNotice", ArrearsNoticeInput)(input)
  yield* authorize(fundPermissions, "fund.arrearsNotice", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* FundStore
    const f = yield* loadFund(cmd.communityId, cmd.fundId)
    const policy = f.arrearsPolicy
    if (policy === undefined || !policy.enabled) {
      return yield* Effect.fail(new ArrearsPolicyNotMet({ fundId: f.id, householdId: cmd.householdId, detail: "the fund has no arrears consequences switched on" }))
    }
    const bills = yield* store.bills.list({ communityId: f.communityId, fundId: f.id, householdId: cmd.householdId })
    const months = Rules.monthsInArrears(bills, toLocalDate(at))
    if (months < policy.noticeMonths) {
      return yield* Effect.fail(new ArrearsPolicyNotMet({ fundId: f.id, householdId: cmd.householdId, detail: `${months} months in arrears, notice from ${policy.noticeMonths}` }))
    }
    const notice = new ArrearsNotice({
      communityId: f.communityId,
      id: FundRecordId.make(yield* newId("arn")),
      fundId: f.id,
      householdId: cmd.householdId,
      monthsInArrears: months,
      arrearsFen: bills.reduce((s, b) => s + b.amountFen - b.paidFen, 0),
      noticedAt: at,
      status: "noticed",
      version: 1
    }, { disableValidation: true })
    yield* store.notices.insert(notice)
    yield* emit(f.communityId, [{ _tag: "FundArrearsNoticed", fundId: f.id, noticeId: notice.id, householdId: notice.householdId, monthsInArrears: months, arrearsFen: notice.arrearsFen }])
    return notice
  }))
})

const loadNotice = (c: CommunityId, id: FundRecordId) =>
  Effect.flatMap(FundStore, (s) => s.notices.get({ communityId: c, id }, { lock: "update" })).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new NotFound({ entity: "FundArrearsNotice", id })), onSome: Effect.succeed }))
  )

/**
 * A resident of the household (or staff for them) appeals a notice; while
 * the appeal is pending no consequence applies.
 *
 * @since 0.2.0
 * @category commands
 */
export const appealArrearsNotice = Effect.fn("fund.appealArrearsNotice")(function* (actor: Actor, input: typeof AppealInput.Encoded) {
  const cmd = yield* decodeInput("fund.appealArrearsNotice", AppealInput)(input)
  yield* authorize(fundPermissions, "fund.appeal", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const n = yield* loadNotice(cmd.communityId, cmd.noticeId)
    if (actor._tag === "Resident") {
      const r = yield* (yield* Directory).getResident(cmd.communityId, actor.residentId)
      if (r.householdId !== n.householdId) return yield* Effect.fail(new Forbidden({ command: "fund.appeal", reason: "not-self" }))
    }
    if (n.status !== "noticed") return yield* Effect.fail(new WrongState({ entity: "FundArrearsNotice", id: n.id, status: n.status, action: "appeal" }))
    const next = new ArrearsNotice({ ...n, status: "appealed", appeal: { reason: cmd.reason, at, by: actorRef(actor) }, version: n.version + 1 }, { disableValidation: true })
    yield* (yield* FundStore).notices.update(next)
    yield* emit(n.communityId, [{ _tag: "FundArrearsAppealed", fundId: n.fundId, noticeId: n.id, householdId: n.householdId }])
    return next
  }))
})

/**
 * Decides an appeal: upheld withdraws the notice, dismissed lets it stand.
 *
 * @since 0.2.0
 * @category commands
 */
export const decideAppeal = Effect.fn("fund.decideAppeal")(function* (actor: Actor, input: typeof DecideAppealInput.Encoded) {
  const cmd = yield* decodeInput("fund.decideAppeal", DecideAppealInput)(input)
  yield* authorize(fundPermissions, "fund.decideAppeal", actor, cmd.communityId)
  const at = yield* now
  return yield* transactionally(Effect.gen(function* () {
    const n = yield* loadNotice(cmd.communityId, cmd.noticeId)
    if (n.status !== "appealed") return yield* Effect.fail(new WrongState({ entity: "FundArrearsNotice", id: n.id, status: n.status, action: "decide appeal" }))
    const next = new ArrearsNotice({
      ...n,
      status: cmd.upheld ? "upheld" : "dismissed",
      appealDecision: { upheld: cmd.upheld, note: cmd.note, at, by: actorRef(actor) },
      version: n.version + 1
    }, { disableValidation: true })
    yield* (yield* FundStore).notices.update(next)
    yield* emit(n.communityId, [{ _tag: "FundArrearsAppealDecided", fundId: n.fundId, noticeId: n.id, householdId: n.householdId, upheld: cmd.upheld }])
    return next
  }))
})

/**
 * Whether arrears consequences apply to a household now, for other modules
 * (incentive redemptions, space adoptions) to consult: only when the policy
 * is on, the household is at least `consequenceMonths` in arrears, a notice
 * was given at least `noticePeriodDays` ago, and no appeal is pending or upheld.
 *
 * @since 0.2.0
 * @category queries
 */
export const arrearsStanding = Effect.fn("fund.arrearsStanding")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, householdId: HouseholdId) {
  yield* authorize(fundPermissions, "fund.read", actor, communityId)
  const f = yield* loadFund(communityId, fundId)
  const at = yield* now
  const store = yield* FundStore
  const bills = yield* store.bills.list({ communityId, fundId, householdId })
  const months = Rules.monthsInArrears(bills, toLocalDate(at))
  const policy = f.arrearsPolicy
  const notices = yield* store.notices.list({ communityId, fundId, householdId })
  const last = notices[notices.length - 1]
  const applies = policy !== undefined && policy.enabled && months >= policy.consequenceMonths && last !== undefined &&
    (last.status === "noticed" || last.status === "dismissed") && at - last.noticedAt >= policy.noticePeriodDays * 86_400_000
  return { householdId, monthsInArrears: months, consequencesApply: applies, withheld: applies ? policy!.consequences : [], notice: last }
})

// ---------------------------------------------------------------------------
// Figures

/**
 * A fund's figures per month in `[fromPeriod, toPeriod]`: collection rate of
 * each month's fee bills (paid so far over billed), income by source, fund
 * growth (closing cash), trustee fee and deductions; and arrears by age today.
 *
 * @since 0.2.0
 * @category queries
 */
export const figures = Effect.fn("fund.figures")(function* (actor: Actor, communityId: CommunityId, fundId: FundId, fromPeriod: string, toPeriod: string) {
  const f = yield* loadFund(communityId, fundId)
  yield* authorizeRead(actor, f)
  const store = yield* FundStore
  const postings = yield* store.postings.list({ communityId, fundId })
  const bills = yield* store.bills.list({ communityId, fundId, kind: "fee" })
  const settlements = yield* store.settlements.list({ communityId, fundId })
  const months: Array<{
    period: string
    billedFen: number
    collectedFen: number
    collectionRateBp: number | undefined
    incomeBySource: Record<string, number>
    closingCashFen: number
    trusteeFeeFen: number
    trusteeDeductionFen: number
  }> = []
  for (let p = fromPeriod; p <= toPeriod && months.length < 240; p = Rules.nextPeriod(p)) {
    const monthBills = bills.filter((b) => b.period === p)
    const billedFen = monthBills.reduce((s, b) => s + b.amountFen, 0)
    const collectedFen = monthBills.reduce((s, b) => s + b.paidFen, 0)
    const incomeBySource: Record<string, number> = {}
    for (const x of postings) if (x.period === p && x.cashFen > 0) incomeBySource[x.category] = (incomeBySource[x.category] ?? 0) + x.cashFen
    const s = settlements.find((x) => x.period === p)
    months.push({
      period: p,
      billedFen,
      collectedFen,
      collectionRateBp: billedFen === 0 ? undefined : Math.floor((collectedFen * 10_000) / billedFen),
      incomeBySource,
      closingCashFen: postings.filter((x) => x.period <= p).reduce((sum, x) => sum + x.cashFen, 0),
      trusteeFeeFen: s?.feeFen ?? 0,
      trusteeDeductionFen: s === undefined ? 0 : s.feeFen - s.netFen
    })
  }
  const today = toLocalDate(yield* now)
  return { months, arrearsByAge: Rules.ageArrears(yield* store.bills.list({ communityId, fundId }), today) }
})

// ---------------------------------------------------------------------------
// Notifications

/**
 * The fund's notification templates (zh-CN and en).
 *
 * @since 0.2.0
 * @category notifications
 */
export const fundTemplates = {
  "fund.billIssued": {
    "zh-CN": "您家 {period} 的账单已出：{amount} 元，请于 {dueDate} 前缴纳。",
    en: "Your bill for {period} is {amount} yuan, due by {dueDate}."
  },
  "fund.paymentReceived": {
    "zh-CN": "已收到您的缴费 {amount} 元，谢谢！{advanceText}",
    en: "We received your payment of {amount} yuan, thank you. {advanceText}"
  },
  "fund.arrearsReminder": {
    "zh-CN": "温馨提示：您家尚有 {amount} 元费用未缴（已欠 {months} 个月）。如有困难或异议，可联系居委会或提出申诉。",
    en: "A friendly reminder: {amount} yuan is outstanding ({months} months). If you have difficulties or disagree, contact the committee or appeal."
  },
  "fund.approvalRequested": {
    "zh-CN": "有一笔支出待您审批：{purpose}，{amount} 元。",
    en: "An expense awaits your approval: {purpose}, {amount} yuan."
  },
  "fund.voteOpened": {
    "zh-CN": "一笔 {amount} 元的大额支出需要业主表决，请参与投票。",
    en: "A large expense of {amount} yuan needs the owners' vote; please take part."
  },
  "fund.statementPublished": {
    "zh-CN": "{fund} {period} 收支公示已发布，欢迎查阅与监督。",
    en: "The {period} statement of {fund} is published; please take a look."
  },
  "fund.objectionAnswered": {
    "zh-CN": "您对一笔账目提出的疑问已获答复，请查看。",
    en: "Your question about a posting has been answered."
  }
} as const

const decodeFundEvent = decodeEntry(FundEvent)
const yuanText = (fen: number) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, "0")}`

/**
 * The messages a fund event sends: bills, payment receipts and arrears
 * notices to the household's owners, approval requests to the fund's
 * approvers (never the requester), answered objections to the resident who
 * asked.
 * Idempotency keys derive from the event id.
 *
 * @since 0.2.0
 * @category notifications
 */
export const fundMessages = (entry: JournalEntry) =>
  Effect.gen(function* () {
    if (!entry.type.startsWith("Fund")) return []
    const decoded = decodeFundEvent(entry)
    if (Option.isNone(decoded)) return []
    const e = decoded.value
    const c = entry.communityId
    const directory = yield* Directory
    const toOwners = (householdId: HouseholdId, templateId: keyof typeof fundTemplates, params: Record<string, string | number>) =>
      directory.getHousehold(c, householdId).pipe(
        Effect.map((h) =>
          h.ownerIds.map((residentId) =>
            new OutgoingMessage({
              communityId: c,
              recipient: { _tag: "Resident", residentId },
              templateId,
              params,
              locale: "zh-CN",
              idempotencyKey: `${entry.eventId}:${templateId}:${residentId}`
            })
          )
        ),
        Effect.catchTag("NotFound", () => Effect.succeed([]))
      )
    switch (e._tag) {
      case "FundBillIssued":
        return yield* toOwners(e.householdId, "fund.billIssued", { period: e.dueDate.slice(0, 7), amount: yuanText(e.amountFen), dueDate: e.dueDate })
      case "FundPaymentReceived":
        return yield* toOwners(e.householdId, "fund.paymentReceived", {
          amount: yuanText(e.amountFen),
          advanceText: e.advanceFen > 0 ? `(${yuanText(e.advanceFen)})` : ""
        })
      case "FundArrearsNoticed":
        return yield* toOwners(e.householdId, "fund.arrearsReminder", { amount: yuanText(e.arrearsFen), months: e.monthsInArrears })
      case "FundExpenseRequested": {
        if (e.level === "vote") return []
        const staff = yield* directory.listStaff(c)
        const fund = yield* Effect.flatMap(FundStore, (st) => st.funds.get({ communityId: c, id: e.fundId }))
        const approverIds = Option.match(fund, { onNone: () => [] as ReadonlyArray<string>, onSome: (f) => f.approverIds })
        return staff
          .filter((m) => (approverIds.length > 0 ? approverIds.includes(m.id) : m.roles.includes(Roles.committee)) && `staff:${m.id}` !== e.by)
          .map((m) => new OutgoingMessage({
            communityId: c,
            recipient: { _tag: "Staff", staffId: m.id },
            templateId: "fund.approvalRequested",
            params: { purpose: e.budgetLine, amount: yuanText(e.amountFen) },
            locale: "zh-CN",
            idempotencyKey: `${entry.eventId}:fund.approvalRequested:${m.id}`
          }))
      }
      case "FundObjectionAnswered": {
        if (!e.raisedBy.startsWith("resident:")) return []
        const residentId = e.raisedBy.slice("resident:".length)
        return [new OutgoingMessage({
          communityId: c,
          recipient: { _tag: "Resident", residentId: residentId as never },
          templateId: "fund.objectionAnswered",
          params: {},
          locale: "zh-CN",
          idempotencyKey: `${entry.eventId}:fund.objectionAnswered:${residentId}`
        })]
      }
      default:
        return []
    }
  })

/**
 * The journal subscriber that sends the fund's notifications.
 *
 * @since 0.2.0
 * @category notifications
 */
export const fundNotifications = notificationSubscriber("fund.notifications", fundMessages)
