/**
 * What only a database can prove for the fund: a published statement's head
 * verifies against the stored journal however many entries follow, and an
 * edit of an earlier posting made behind the library's back (a superuser
 * switching off the append-only trigger) is detected; the fund's invariants
 * hold as constraints even for raw statements.
 */
import { SqlClient } from "@effect/sql"
import { type CommunityId, DirectoryWriter, Fund, Role, StaffActor, StaffId } from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { inject } from "vitest"
import { findPgError } from "../src/pg-errors.js"
import { migratedTestDatabase } from "./support/db.js"

const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_fund", maxConnections: 8 })
let counter = 0
const fresh = () => `fund-${Date.now().toString(36)}-${counter++}` as CommunityId

describe("postgres: fund", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("a statement's head verifies later states; an edited posting is detected", () =>
      Effect.gen(function* () {
        const c = fresh()
        const snapshot = generateCommunity({ seed: 16, communityId: c, buildings: 1, floors: 3 })
        yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
        const treasurer = new StaffActor({ communityId: c, staffId: StaffId.make("s-t"), roles: [Role.make("treasurer")], departments: [] })
        const committee = (id: string) => new StaffActor({ communityId: c, staffId: StaffId.make(id), roles: [Role.make("committee")], departments: [] })
        yield* Fund.createFund(treasurer, { communityId: c, fundId: "trust", name: "信托", kind: "property-fee", purpose: "p", thresholds: { singleBelowFen: 100_000, dualUpToFen: 1_000_000 } })
        yield* Fund.setBudget(treasurer, { communityId: c, fundId: "trust", year: 2026, lines: [{ code: "repairs", name: "维修", category: "repairs", plannedFen: 1_000_000, hardCap: true }] })
        const period = new Date().toISOString().slice(0, 7)
        yield* Fund.billFees(treasurer, { communityId: c, fundId: "trust", period, pricing: { _tag: "Fixed", fen: 12_000 }, dueDate: `${period}-28` })
        for (const h of snapshot.households.slice(0, 4)) yield* Fund.recordPayment(treasurer, { communityId: c, fundId: "trust", householdId: h.id, amountFen: 12_000 })
        const e = yield* Fund.requestExpense(committee("s-a"), { communityId: c, fundId: "trust", payee: "维修部", purpose: "换灯", budgetYear: 2026, budgetLine: "repairs", amountFen: 43_210 })
        yield* Fund.approveExpense(committee("s-b"), { communityId: c, expenseId: e.id })
        yield* Fund.payExpense(treasurer, { communityId: c, expenseId: e.id })
        const s = yield* Fund.publishStatement(treasurer, { communityId: c, fundId: "trust", period })
        expect((s.body as Fund.StatementBody).closingCashFen).toBe(4 * 12_000 - 43_210)
        yield* Fund.recordPayment(treasurer, { communityId: c, fundId: "trust", householdId: snapshot.households[5]!.id, amountFen: 1 })
        const ok = yield* Fund.verifyStatement(treasurer, c, "trust" as Fund.FundId, period)
        expect(ok.ok).toBe(true)
        // Someone with superuser rights rewrites the expense's posting in the journal.
        const sql = yield* SqlClient.SqlClient
        const [row] = yield* sql<{ seq: string }>`
          SELECT seq FROM gz_journal WHERE community_id = ${c} AND type = 'LedgerTransactionPosted' AND payload::text LIKE '%43210%' ORDER BY seq LIMIT 1`
        yield* sql`ALTER TABLE gz_journal DISABLE TRIGGER gz_journal_append_only`
        yield* sql`UPDATE gz_journal SET payload = replace(payload::text, '43210', '4321')::jsonb WHERE community_id = ${c} AND seq = ${Number(row!.seq)}`
        yield* sql`ALTER TABLE gz_journal ENABLE TRIGGER gz_journal_append_only`
        const broken = yield* Fund.verifyStatement(treasurer, c, "trust" as Fund.FundId, period)
        expect(broken.ok).toBe(false)
        if (!broken.ok) expect([broken.seq, broken.reason]).toEqual([Number(row!.seq), "hash"])
      }))

    it.effect("the fund's invariants are constraints: a raw over-payment of a bill or a paid expense without its transaction is refused", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = fresh()
        const bill = { community_id: c, id: "b1", fund_id: "f", household_id: "h", ref: "fee:2026-06", kind: "fee", description: "d", period: "2026-06", amount_fen: 100, paid_fen: 101, due_date: "2026-06-30", status: "open", issued_at: 0, version: 1 }
        const over = yield* Effect.flip(sql`INSERT INTO gz_fund_bills ${sql.insert(bill)}`)
        expect(findPgError(over)?.code).toBe("23514")
        const paidNotPaid = yield* Effect.flip(sql`INSERT INTO gz_fund_bills ${sql.insert({ ...bill, paid_fen: 100, status: "open" })}`)
        expect(findPgError(paidNotPaid)?.code).toBe("23514")
        const expense = {
          community_id: c, id: "e1", fund_id: "f", payee: "p", purpose: "p", budget_year: 2026, budget_line: "l", category: "c", amount_fen: 5,
          attachments: "[]", requested_by: "staff:a", requested_at: 0, level: "single", approvals: "[]", status: "paid", refunded_fen: 0, version: 1
        }
        const noTx = yield* Effect.flip(sql`INSERT INTO gz_fund_expenses ${sql.insert(expense)}`)
        expect(findPgError(noTx)?.code).toBe("23514")
        const voteWithoutProposal = yield* Effect.flip(sql`INSERT INTO gz_fund_expenses ${sql.insert({ ...expense, status: "requested", level: "vote" })}`)
        expect(findPgError(voteWithoutProposal)?.code).toBe("23514")
      }))
  })
})
