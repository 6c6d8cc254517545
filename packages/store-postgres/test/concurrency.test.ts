import { SqlClient } from "@effect/sql"
import {
  CommunityId,
  drain,
  type JournalEntry,
  openAccount,
  postTransaction,
  SystemActor,
  Transaction,
  appendEvents
} from "@gongzhi/core"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Deferred, Effect, Exit, Fiber, Layer, Random, Schema } from "effect"
import { inject } from "vitest"
import { migrate, PgStore } from "../src/index.js"
import { freshDatabase } from "./support/db.js"

const Ev = Schema.TaggedStruct("ConcurrencyEvent", { n: Schema.Number })

class DbUrl extends Context.Tag("test/DbUrl")<DbUrl, string>() {}

/** The ports and a raw client on their own pool: what one worker process has. */
const processLayer = (url: string) =>
  Layer.provideMerge(PgStore.layerFromClient(), PgStore.clientLayer({ url, maxConnections: 12 }))

/** A fresh, migrated database; the test's own process on it. */
const TestDatabase = Layer.unwrapScoped(
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      Effect.promise(() => freshDatabase(inject("databaseUrl"), { prefix: "gz_conc" })),
      (db) => Effect.promise(() => db.drop())
    )
    yield* Effect.scoped(Effect.provide(migrate(), PgStore.clientLayer({ url: db.url })))
    return Layer.merge(processLayer(db.url), Layer.succeed(DbUrl, db.url))
  })
)

describe("concurrency on a real PostgreSQL server", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("2,000 random parallel transfers among 50 accounts conserve the total and never overdraw", () =>
      Effect.gen(function* () {
        const c = CommunityId.make("conc-ledger")
        const sys = new SystemActor({ communityId: c, process: "test" })
        yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "fen", kind: "issuance" })
        for (let i = 0; i < 50; i++) {
          yield* openAccount(sys, { communityId: c, accountId: `acct-${i}`, unit: "fen", kind: "wallet", floor: 0 })
          yield* postTransaction(sys, { communityId: c, unit: "fen", kind: "seed", memo: "", postings: [{ accountId: "mint", amount: -1_000 }, { accountId: `acct-${i}`, amount: 1_000 }] })
        }
        const transfers = yield* Effect.forEach(Array.from({ length: 2000 }, (_, i) => i), () =>
          Effect.gen(function* () {
            const from = yield* Random.nextIntBetween(0, 50)
            let to = yield* Random.nextIntBetween(0, 49)
            if (to >= from) to++
            const amount = yield* Random.nextIntBetween(1, 400)
            return { from, to, amount }
          }))
        const results = yield* Effect.forEach(
          transfers,
          (t) =>
            Effect.exit(postTransaction(sys, {
              communityId: c, unit: "fen", kind: "transfer", memo: "",
              postings: [{ accountId: `acct-${t.from}`, amount: -t.amount }, { accountId: `acct-${t.to}`, amount: t.amount }]
            })),
          { concurrency: 24 }
        )
        const ok = results.filter(Exit.isSuccess).length
        const failures = results.filter(Exit.isFailure).map((e) => (e.cause._tag === "Fail" ? (e.cause.error as { _tag: string })._tag : e.cause._tag))
        // The only acceptable refusal is a real overdraft.
        expect(new Set(failures)).toEqual(new Set(failures.length === 0 ? [] : ["InsufficientBalance"]))
        expect(ok).toBeGreaterThan(1000)
        const sql = yield* SqlClient.SqlClient
        const [sums] = yield* sql`
          SELECT sum(balance) AS total, min(balance) FILTER (WHERE floor IS NOT NULL) AS lowest,
                 sum(balance) FILTER (WHERE account_id <> 'mint') AS wallets
          FROM gz_ledger_accounts WHERE community_id = ${c}`
        expect(Number(sums!.total)).toBe(0)
        expect(Number(sums!.wallets)).toBe(50_000)
        expect(Number(sums!.lowest)).toBeGreaterThanOrEqual(0)
        // Balances agree with the postings, and every transaction is balanced.
        const [check] = yield* sql`
          SELECT count(*) FILTER (WHERE a.balance <> coalesce(p.total, 0)) AS mismatched
          FROM gz_ledger_accounts a
          LEFT JOIN (SELECT account_id, sum(amount) AS total FROM gz_ledger_postings WHERE community_id = ${c} GROUP BY account_id) p USING (account_id)
          WHERE a.community_id = ${c}`
        expect(Number(check!.mismatched)).toBe(0)
        const unbalanced = yield* sql`SELECT tx_id FROM gz_ledger_postings WHERE community_id = ${c} GROUP BY tx_id HAVING sum(amount) <> 0`
        expect(unbalanced).toEqual([])
        const [{ n }] = (yield* sql`SELECT count(*) AS n FROM gz_ledger_transactions WHERE community_id = ${c} AND kind = 'transfer'`) as unknown as [{ n: string }]
        expect(Number(n)).toBe(ok)
        console.log(`  2,000 parallel transfers: ${ok} committed, ${failures.length} refused as overdrafts`)
      }))

    const seedJournal = (c: CommunityId, n: number) =>
      Effect.gen(function* () {
        const tx = yield* Transaction
        for (let i = 0; i < n; i += 10) {
          yield* tx.run(appendEvents(c, Ev, Array.from({ length: Math.min(10, n - i) }, (_, k) => ({ _tag: "ConcurrencyEvent" as const, n: i + k }))))
        }
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE IF NOT EXISTS test_processed (community_id text, subscriber text, event_id text, PRIMARY KEY (community_id, subscriber, event_id))`
      })

    /** A handler whose effect is a row keyed by event id: processing twice would violate the key. */
    const recordingHandler = (c: CommunityId, name: string) => (entry: JournalEntry) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        sql`INSERT INTO test_processed VALUES (${c}, ${name}, ${entry.eventId})`.pipe(Effect.orDie, Effect.asVoid)
      )

    it.effect("two journal workers in parallel process every entry exactly once", () =>
      Effect.gen(function* () {
        const c = CommunityId.make("conc-workers")
        yield* seedJournal(c, 300)
        const sub = { name: "parallel", batchSize: 7, handle: recordingHandler(c, "parallel") }
        // Both workers loop until nothing is left; SKIP LOCKED makes them take turns, never the same entries.
        const worker = Effect.gen(function* () {
          let processed = 0
          for (let i = 0; i < 200; i++) {
            const r = yield* drain(sub, c)
            processed += r.processed
            if (!r.skipped && r.processed === 0) break
          }
          return processed
        })
        // The second worker runs in its own "process": its own pool and stores.
        const url = yield* DbUrl
        const [a, b] = yield* Effect.all([worker, Effect.provide(worker, processLayer(url))], { concurrency: 2 })
        expect(a + b).toBe(300)
        const sql = yield* SqlClient.SqlClient
        const [{ n }] = (yield* sql`SELECT count(*) AS n FROM test_processed WHERE community_id = ${c} AND subscriber = 'parallel'`) as unknown as [{ n: string }]
        expect(Number(n)).toBe(300)
      }))

    it.effect("a worker killed mid-batch leaves its entries to be picked up again", () =>
      Effect.gen(function* () {
        const c = CommunityId.make("conc-crash")
        yield* seedJournal(c, 40)
        const reached = yield* Deferred.make<void>()
        let calls = 0
        const crashing = {
          name: "crashy",
          batchSize: 20,
          handle: (entry: JournalEntry) =>
            Effect.gen(function* () {
              yield* recordingHandler(c, "crashy")(entry)
              calls++
              if (calls === 25) {
                yield* Deferred.succeed(reached, undefined)
                yield* Effect.never // the process hangs here until it is killed
              }
            })
        }
        const fiber = yield* Effect.fork(drain(crashing, c))
        yield* Deferred.await(reached)
        yield* Fiber.interrupt(fiber) // kill the worker mid-batch: its transaction rolls back
        const sql = yield* SqlClient.SqlClient
        const [{ n: afterCrash }] = (yield* sql`SELECT count(*) AS n FROM test_processed WHERE community_id = ${c} AND subscriber = 'crashy'`) as unknown as [{ n: string }]
        // The first batch (20) committed; the second was interrupted and rolled back.
        expect(Number(afterCrash)).toBe(20)
        const recovered = yield* drain({ name: "crashy", handle: recordingHandler(c, "crashy") }, c)
        expect(recovered.processed).toBe(20)
        const [{ n: total }] = (yield* sql`SELECT count(*) AS n FROM test_processed WHERE community_id = ${c} AND subscriber = 'crashy'`) as unknown as [{ n: string }]
        expect(Number(total)).toBe(40)
      }))
  })
})
