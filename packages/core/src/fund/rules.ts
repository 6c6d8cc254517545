/**
 * The fund's decisions as pure functions: approval level by amount, fees by
 * area, payment allocation, arrears ageing, instalments, the trustee's fee
 * and deductions, the monthly statement and its printable HTML. No Effect,
 * no I/O: simulations and reviewers call these directly.
 *
 * @since 0.2.0
 */
import { formatFen, splitLargestRemainder } from "../kernel/units.js"
import type { ApprovalLevel, ApprovalThresholds, DeductionRule, FeeBasis, FeePricing, ServiceFigures } from "./model.js"

/**
 * How many approvals an amount needs: below `singleBelowFen` one approver;
 * up to and including `dualUpToFen` two different approvers; above, a vote.
 *
 * @since 0.2.0
 * @category approvals
 */
export const approvalLevel = (amountFen: number, t: ApprovalThresholds): ApprovalLevel =>
  amountFen < t.singleBelowFen ? "single" : amountFen <= t.dualUpToFen ? "dual" : "vote"

/**
 * Approvals by distinct approvers an expense of `level` needs (a vote needs
 * none: it needs a passed proposal).
 *
 * @since 0.2.0
 * @category approvals
 */
export const approvalsNeeded = (level: ApprovalLevel): number => (level === "single" ? 1 : level === "dual" ? 2 : 0)

/**
 * Whether an expense has what its amount needs to be paid: enough distinct
 * approvers none of whom is the requester, or (vote level) a passed proposal.
 *
 * @since 0.2.0
 * @category approvals
 */
export const hasRequiredApprovals = (
  e: { readonly level: ApprovalLevel; readonly requestedBy: string; readonly approvals: ReadonlyArray<{ readonly by: string }> },
  proposalPassed: boolean
): boolean => {
  if (e.level === "vote") return proposalPassed
  const approvers = new Set(e.approvals.map((a) => a.by).filter((b) => b !== e.requestedBy))
  return approvers.size >= approvalsNeeded(e.level)
}

/**
 * A month's fee for a household: area (dm²) x price (fen per m²), rounded
 * half up to the fen; or the fixed amount.
 *
 * @since 0.2.0
 * @category billing
 */
export const monthlyFee = (pricing: FeePricing, areaDm2: number): number => {
  if (pricing._tag === "Fixed") return pricing.fen
  const product = BigInt(areaDm2) * BigInt(pricing.fenPerM2)
  return Number((product + 50n) / 100n)
}

/**
 * Allocates a payment to open bills, oldest first (by due date, then id);
 * what is left is an advance.
 *
 * @since 0.2.0
 * @category billing
 */
export const allocatePayment = <B extends { readonly id: string; readonly dueDate: string; readonly amountFen: number; readonly paidFen: number }>(
  openBills: ReadonlyArray<B>,
  amountFen: number
): { readonly allocations: ReadonlyArray<{ readonly bill: B; readonly amountFen: number }>; readonly advanceFen: number } => {
  const sorted = [...openBills].sort((a, b) => (a.dueDate !== b.dueDate ? (a.dueDate < b.dueDate ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  let left = amountFen
  const allocations: Array<{ bill: B; amountFen: number }> = []
  for (const bill of sorted) {
    if (left === 0) break
    const due = bill.amountFen - bill.paidFen
    if (due <= 0) continue
    const take = Math.min(due, left)
    allocations.push({ bill, amountFen: take })
    left -= take
  }
  return { allocations, advanceFen: left }
}

/**
 * Arrears ageing buckets, by days past the due date.
 *
 * @since 0.2.0
 * @category arrears
 */
export const AgeBuckets = ["not-due", "1-30", "31-90", "91-180", "181-365", "over-365"] as const
/**
 * @since 0.2.0
 * @category arrears
 */
export type AgeBucket = (typeof AgeBuckets)[number]

/**
 * Days from `from` to `to` (both `YYYY-MM-DD`), negative when `to` is earlier.
 *
 * @since 0.2.0
 * @category arrears
 */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/**
 * The bucket of an amount `daysPastDue` days past due.
 *
 * @since 0.2.0
 * @category arrears
 */
export const ageBucket = (daysPastDue: number): AgeBucket =>
  daysPastDue <= 0 ? "not-due" : daysPastDue <= 30 ? "1-30" : daysPastDue <= 90 ? "31-90" : daysPastDue <= 180 ? "91-180" : daysPastDue <= 365 ? "181-365" : "over-365"

/**
 * Outstanding amounts of bills by age on `asOf`.
 *
 * @since 0.2.0
 * @category arrears
 */
export const ageArrears = (
  bills: ReadonlyArray<{ readonly dueDate: string; readonly amountFen: number; readonly paidFen: number }>,
  asOf: string
): Record<AgeBucket, number> => {
  const out = Object.fromEntries(AgeBuckets.map((b) => [b, 0])) as Record<AgeBucket, number>
  for (const b of bills) {
    const due = b.amountFen - b.paidFen
    if (due > 0) out[ageBucket(daysBetween(b.dueDate, asOf))] += due
  }
  return out
}

/**
 * Whole months a household is in arrears on `asOf`: the age of its oldest
 * unpaid bill past due, in 30-day months (0 when nothing is overdue).
 *
 * @since 0.2.0
 * @category arrears
 */
export const monthsInArrears = (
  bills: ReadonlyArray<{ readonly dueDate: string; readonly amountFen: number; readonly paidFen: number }>,
  asOf: string
): number => {
  let oldest = 0
  for (const b of bills) {
    if (b.amountFen - b.paidFen <= 0) continue
    oldest = Math.max(oldest, daysBetween(b.dueDate, asOf))
  }
  return oldest <= 0 ? 0 : Math.floor(oldest / 30)
}

/**
 * Splits a total into `n` instalments that sum to it exactly (earlier
 * instalments take the odd fen).
 *
 * @since 0.2.0
 * @category cost sharing
 */
export const instalments = (totalFen: number, n: number): Array<number> =>
  totalFen === 0 ? Array.from({ length: n }, () => 0) : splitLargestRemainder(totalFen, Array.from({ length: n }, () => 1))

/**
 * The date `months` months after `date` (`YYYY-MM-DD`), clamped to the end
 * of a shorter month (01-31 + 1 month = 02-28).
 *
 * @since 0.2.0
 * @category time
 */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number]
  const idx = y * 12 + (m - 1) + months
  const ny = Math.floor(idx / 12)
  const nm = (idx % 12) + 1
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate()
  return `${String(ny).padStart(4, "0")}-${String(nm).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`
}

/**
 * The period after `period` (`2026-12` -> `2027-01`).
 *
 * @since 0.2.0
 * @category time
 */
export const nextPeriod = (period: string): string => addMonths(`${period}-01`, 1).slice(0, 7)

/**
 * The trustee's gross fee for a period.
 *
 * @since 0.2.0
 * @category trustee
 */
export const trusteeFee = (basis: FeeBasis, incomeFen: number): number =>
  basis._tag === "Fixed" ? basis.fen : Number((BigInt(incomeFen) * BigInt(basis.bp)) / 10_000n)

/**
 * The deductions the rule table takes from `feeFen` given the service
 * figures; each rule is capped by its `capBp`, and all together by the fee.
 *
 * @since 0.2.0
 * @category trustee
 */
export const trusteeDeductions = (
  rules: ReadonlyArray<DeductionRule>,
  figures: ServiceFigures,
  feeFen: number
): ReadonlyArray<{ readonly metric: DeductionRule["metric"]; readonly figure: number; readonly amountFen: number }> => {
  const out: Array<{ metric: DeductionRule["metric"]; figure: number; amountFen: number }> = []
  let left = feeFen
  for (const r of rules) {
    let units = 0
    let figure = 0
    switch (r.metric) {
      case "overdue-work-orders":
        figure = figures.overdueWorkOrders
        units = Math.max(0, figure - r.threshold)
        break
      case "verified-complaints":
        figure = figures.verifiedComplaints
        units = Math.max(0, figure - r.threshold)
        break
      case "satisfaction-below":
        if (figures.satisfactionPct === undefined) continue
        figure = figures.satisfactionPct
        units = Math.max(0, r.threshold - figure)
        break
    }
    const bp = Math.min(r.capBp, units * r.perUnitBp)
    const amount = Math.min(left, Number((BigInt(feeFen) * BigInt(bp)) / 10_000n))
    left -= amount
    out.push({ metric: r.metric, figure, amountFen: amount })
  }
  return out
}

/**
 * A household shown to the public: its building and floor, never its door
 * or owner (`3栋 5层 ***`).
 *
 * @since 0.2.0
 * @category privacy
 */
export const maskHousehold = (label: string): string => {
  const parts = label.split("-")
  return parts.length >= 2 ? `${parts[0]}-${"*".repeat(Math.max(1, parts.slice(1).join("-").length))}` : "***"
}

/**
 * A donor shown to the public: the name they gave, or "anonymous".
 *
 * @since 0.2.0
 * @category privacy
 */
export const maskDonor = (donor: string | undefined, anonymous: boolean): string =>
  anonymous || donor === undefined ? "匿名 / anonymous" : donor

/**
 * A line of the budget against actual.
 *
 * @since 0.2.0
 * @category budgets
 */
export interface BudgetVsActualLine {
  readonly code: string
  readonly name: string
  readonly category: string
  readonly plannedFen: number
  readonly actualFen: number
  readonly remainingFen: number
  /** Actual as a share of plan in basis points (undefined when nothing is planned). */
  readonly usedBp: number | undefined
  readonly hardCap: boolean
}

/**
 * Budget against actual for every line.
 *
 * @since 0.2.0
 * @category budgets
 */
export const compareBudget = (
  lines: ReadonlyArray<{ readonly code: string; readonly name: string; readonly category: string; readonly plannedFen: number; readonly actualFen: number; readonly hardCap: boolean }>
): ReadonlyArray<BudgetVsActualLine> =>
  lines.map((l) => ({
    code: l.code,
    name: l.name,
    category: l.category,
    plannedFen: l.plannedFen,
    actualFen: l.actualFen,
    remainingFen: l.plannedFen - l.actualFen,
    usedBp: l.plannedFen === 0 ? undefined : Math.floor((l.actualFen * 10_000) / l.plannedFen),
    hardCap: l.hardCap
  }))

/**
 * A monthly public statement's body (all amounts in fen).
 *
 * @since 0.2.0
 * @category statements
 */
export interface StatementBody {
  readonly fundId: string
  readonly fundName: string
  readonly period: string
  /** Cash received in the period by source (fees, donations, subsidy ...). */
  readonly incomeBySource: Readonly<Record<string, number>>
  /** Spending in the period by category, net of refunds. */
  readonly expensesByCategory: Readonly<Record<string, number>>
  readonly openingCashFen: number
  readonly closingCashFen: number
  /** Billed in the period. */
  readonly billedFen: number
  /** Outstanding on all bills due by the period's end. */
  readonly arrearsFen: number
  /** Arrears over everything billed and due so far, basis points. */
  readonly arrearsRateBp: number | undefined
  readonly budget: ReadonlyArray<BudgetVsActualLine>
  readonly postings: number
}

/**
 * Builds a statement's body from the period's postings.
 *
 * @since 0.2.0
 * @category statements
 */
export const buildStatement = (input: {
  readonly fundId: string
  readonly fundName: string
  readonly period: string
  readonly postings: ReadonlyArray<{ readonly kind: string; readonly category: string; readonly amountFen: number; readonly cashFen: number }>
  readonly closingCashFen: number
  readonly dueBilledFen: number
  readonly dueOutstandingFen: number
  readonly budget: ReadonlyArray<BudgetVsActualLine>
}): StatementBody => {
  const incomeBySource: Record<string, number> = {}
  const expensesByCategory: Record<string, number> = {}
  let cashMoved = 0
  let billed = 0
  for (const p of input.postings) {
    cashMoved += p.cashFen
    if (p.kind === "billing" || p.kind === "cost-share") billed += p.amountFen
    if (p.cashFen > 0) incomeBySource[p.category] = (incomeBySource[p.category] ?? 0) + p.cashFen
    if (p.kind === "expense" || p.kind === "refund" || p.kind === "correction" || p.kind === "trustee-fee") {
      expensesByCategory[p.category] = (expensesByCategory[p.category] ?? 0) - p.cashFen
    }
  }
  return {
    fundId: input.fundId,
    fundName: input.fundName,
    period: input.period,
    incomeBySource,
    expensesByCategory,
    openingCashFen: input.closingCashFen - cashMoved,
    closingCashFen: input.closingCashFen,
    billedFen: billed,
    arrearsFen: input.dueOutstandingFen,
    arrearsRateBp: input.dueBilledFen === 0 ? undefined : Math.floor((input.dueOutstandingFen * 10_000) / input.dueBilledFen),
    budget: input.budget,
    postings: input.postings.length
  }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)
const yuan = (fen: number) => `¥${formatFen(fen)}`
const pct = (bp: number | undefined) => (bp === undefined ? "—" : `${(bp / 100).toFixed(2)}%`)

/**
 * The statement as a printable HTML page (zh-CN with English labels), with
 * the journal head hash to check it against.
 *
 * @since 0.2.0
 * @category statements
 */
export const renderStatementHtml = (body: StatementBody, head: { readonly seq: number; readonly hash: string }): string => {
  const rows = (rec: Readonly<Record<string, number>>) =>
    Object.keys(rec).sort().map((k) => `<tr><td>${esc(k)}</td><td class="n">${yuan(rec[k]!)}</td></tr>`).join("")
  const budget = body.budget
    .map((l) => `<tr><td>${esc(l.name)}</td><td class="n">${yuan(l.plannedFen)}</td><td class="n">${yuan(l.actualFen)}</td><td class="n">${pct(l.usedBp)}</td></tr>`)
    .join("")
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(body.fundName)} ${esc(body.period)} 收支公示 / Statement</title>
<style>body{font:18px/1.6 sans-serif;max-width:52em;margin:2em auto}table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #444;padding:.3em .6em}.n{text-align:right}code{word-break:break-all}@media print{body{margin:0}}</style></head>
<body>
<h1>${esc(body.fundName)} ${esc(body.period)} 收支公示 <small>Monthly statement</small></h1>
<p>期初余额 Opening balance: <b>${yuan(body.openingCashFen)}</b> · 期末余额 Closing balance: <b>${yuan(body.closingCashFen)}</b></p>
<h2>收入 Income</h2><table><tr><th>来源 Source</th><th>金额 Amount</th></tr>${rows(body.incomeBySource)}</table>
<h2>支出 Expenses</h2><table><tr><th>类别 Category</th><th>金额 Amount</th></tr>${rows(body.expensesByCategory)}</table>
<h2>收缴 Collection</h2><p>本月开票 Billed: ${yuan(body.billedFen)} · 欠费 Arrears: ${yuan(body.arrearsFen)} · 欠费率 Arrears rate: ${pct(body.arrearsRateBp)}</p>
<h2>预算执行 Budget against actual</h2><table><tr><th>项目 Line</th><th>预算 Planned</th><th>实际 Actual</th><th>执行率 Used</th></tr>${budget}</table>
<h2>核验 Verification</h2><p>账本哈希链截至第 ${head.seq} 条 / Journal head at close, entry ${head.seq}:<br><code>${head.hash}</code></p>
<p>任何人可用 verifyJournal 以此哈希核验此后的账目未被篡改。Anyone can check later records against this hash with verifyJournal.</p>
</body></html>`
}
