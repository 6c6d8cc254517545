/**
 * The kernel stores' plans stay bounded on PostgreSQL: journal appends,
 * ledger lookups and directory reads touch a few buffers per row whatever
 * the size of the journal, the ledger or the community, also when the
 * statistics do not describe the rows (a new database, a new community) and
 * when a session cached a plan while the tables were small.
 */
import { SqlClient } from "@effect/sql"
import {
  AccountId,
  type CommunityId,
  Directory,
  DirectoryWriter,
  EventId,
  JournalEntry,
  JournalStore,
  LedgerStore,
  LedgerTransaction,
  LedgerTxId
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { inject } from "vitest"
import { migratedTestDatabase } from "./support/db.js"
import { buffersOf, explain } from "./support/plans.js"

/** A fresh, migrated database; the ports and a raw client on one pool. */
const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_kernel", maxConnections: 4 })

let counter = 0
const freshCommunity = (label: string) => `kn-${label}-${Date.now().toString(36)}-${counter++}` as CommunityId

const hash = (n: number) => n.toString(16).padStart(64, "0")
/** Event ids sort by time, as the core makes them: the entry before an append has the greatest. */
const entry = (c: CommunityId, seq: number) =>
  new JournalEntry({
    communityId: c,
    seq,
    eventId: EventId.make(`evt_${seq.toString(16).padStart(12, "0")}`),
    type: "Test",
    occurredAt: seq,
    payload: { seq, memo: "x".repeat(400) },
    prevHash: hash(seq - 1),
    hash: hash(seq)
  })

/** `accounts` points accounts and `transactions` transfers between them (with keys), in three statements. */
const ledger = (c: CommunityId, accounts: number, transactions: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.all([
      sql`
        INSERT INTO gz_ledger_accounts (community_id, account_id, unit, kind, owner, balance, created_at)
        SELECT ${c}, 'acc-' || i, 'points', 'resident-points', 'r-' || i, 0, 0 FROM generate_series(1, ${accounts}) i`,
      sql`
        INSERT INTO gz_ledger_transactions (community_id, tx_id, unit, kind, memo, idempotency_key, fingerprint, posted_at)
        SELECT ${c}, 'tx-' || i, 'points', 'transfer', '', 'key-' || i, 'f', i FROM generate_series(1, ${transactions}) i`,
      sql`
        INSERT INTO gz_ledger_postings (community_id, tx_id, account_id, unit, position, amount, balance_after, posted_at)
        SELECT ${c}, 'tx-' || i, 'acc-' || (1 + (i * 7 + p) % ${accounts}), 'points', p, CASE p WHEN 0 THEN -1 ELSE 1 END, 0, i
        FROM generate_series(1, ${transactions}) i, generate_series(0, 1) p`
    ], { discard: true })
  )

describe("kernel plans on a real PostgreSQL server", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("an append checks the chain in a few buffers at 10,000 entries, with the check's plan cached while the journal was small", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const journal = yield* JournalStore
        const c = freshCommunity("chain")
        const n = 10_000
        // One session throughout, as a pooled connection: the trigger's plan is made on its first
        // appends, while the journal is small, and kept (PostgreSQL keeps it until the table is
        // analyzed or altered); the bulk loads plan afresh for each row.
        const bulk = (from: number, to: number) =>
          Effect.zipRight(
            sql`
              INSERT INTO gz_journal (community_id, seq, event_id, type, occurred_at, payload, prev_hash, hash)
              SELECT ${c}, i, 'evt_' || lpad(to_hex(i), 12, '0'), 'Test', i, jsonb_build_object('seq', i, 'memo', repeat('x', 400)),
                     lpad(to_hex(i - 1), 64, '0'), lpad(to_hex(i), 64, '0')
              FROM generate_series(${from}::int, ${to}::int) i`,
            sql`
              INSERT INTO gz_journal_heads (community_id, seq, hash) VALUES (${c}, ${to}, ${hash(to)})
              ON CONFLICT (community_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`
          )
        yield* sql.withTransaction(Effect.gen(function* () {
          yield* sql`SET LOCAL plan_cache_mode = force_custom_plan`
          yield* bulk(1, 20)
          yield* sql`SET LOCAL plan_cache_mode = force_generic_plan`
          for (let seq = 21; seq <= 23; seq++) yield* journal.append(c, [entry(c, seq)])
          yield* sql`SET LOCAL plan_cache_mode = force_custom_plan`
          yield* bulk(24, n)
          yield* sql`SET LOCAL plan_cache_mode = force_generic_plan`
          const append = yield* explain(journal.append(c, [entry(c, n + 1)]))
          // Before migration 0009 the cached check read the journal through the event-id index,
          // every entry of the community: about 900 buffers here.
          expect(buffersOf(append.explained, "INSERT INTO gz_journal")).toBeLessThan(60)
        }))
      }))

    it.effect("ledger lookups read a few buffers in a community the statistics do not know (5,000 accounts, 10,000 transactions)", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* LedgerStore
        // Statistics that know another community only: a new community is estimated at one row.
        yield* ledger(freshCommunity("known"), 1000, 2000)
        yield* sql`ANALYZE gz_ledger_accounts, gz_ledger_transactions, gz_ledger_postings`
        const c = freshCommunity("ledger")
        yield* ledger(c, 5000, 10_000)

        const account = yield* explain(store.getAccount(c, AccountId.make("acc-2500")))
        expect(Option.isSome(account.result)).toBe(true)
        const lock = yield* explain(store.lock(c, [AccountId.make("acc-10"), AccountId.make("acc-20")]))
        expect(lock.result).toHaveLength(2)
        const byKey = yield* explain(store.findByIdempotencyKey(c, "key-5000"))
        expect(Option.map(byKey.result, (t) => t.postings.length)).toEqual(Option.some(2))
        const posted = yield* explain(store.insertTransaction(
          new LedgerTransaction({
            communityId: c,
            id: LedgerTxId.make("tx-new"),
            unit: "points",
            postings: [{ accountId: AccountId.make("acc-10"), amount: -1 }, { accountId: AccountId.make("acc-20"), amount: 1 }],
            kind: "transfer",
            memo: "",
            fingerprint: "f",
            postedAt: 1
          }),
          [{ accountId: AccountId.make("acc-10"), balance: -1 }, { accountId: AccountId.make("acc-20"), balance: 1 }]
        ))
        // Before migration 0009: the owner index for accounts (every account of the community), the
        // posting-time index for keys, the by-account index for postings; and the new balances were
        // joined with every account of the community.
        expect(buffersOf(account.explained, "gz_ledger_accounts")).toBeLessThan(10)
        expect(buffersOf(lock.explained, "FOR UPDATE")).toBeLessThan(20)
        expect(buffersOf(byKey.explained, "gz_ledger_transactions")).toBeLessThan(10)
        expect(buffersOf(byKey.explained, "gz_ledger_postings")).toBeLessThan(10)
        expect(buffersOf(posted.explained, "UPDATE gz_ledger_accounts")).toBeLessThan(100)
      }))

    it.effect("directory reads take a few buffers per row in a community the statistics do not know", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const directory = yield* Directory
        const load = (c: CommunityId) =>
          Effect.flatMap(DirectoryWriter, (w) =>
            w.load(generateCommunity({ seed: 5, communityId: c, buildings: 20, floors: 6, unitsPerBuilding: 2, householdsPerFloor: 4 })))
        yield* load(freshCommunity("known-dir"))
        yield* sql`ANALYZE gz_households, gz_household_owners, gz_residents, gz_resident_family`
        const c = freshCommunity("dir")
        yield* load(c)

        const households = yield* explain(directory.listHouseholds(c))
        expect(households.result).toHaveLength(960)
        expect(households.result.every((h) => h.ownerIds.length > 0)).toBe(true)
        const residents = yield* directory.listResidents(c)
        const withFamily = residents.find((r) => r.family.length > 0)!
        const resident = yield* explain(directory.getResident(c, withFamily.id))
        expect(resident.result.family).toEqual(withFamily.family)
        // Before: a nested loop reading every owner of the community for each household (25,000
        // buffers here, 84,525 at 1,920 households), and a resident found through the household index.
        expect(buffersOf(households.explained, "gz_households")).toBeLessThan(960 * 4)
        expect(buffersOf(resident.explained, "gz_residents")).toBeLessThan(15)
      }))
  })
})
