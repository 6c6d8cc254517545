/**
 * PostgreSQL: the adapter's representative command (a ledger transfer, end
 * to end: decode, authorize, lock, post, journal append, commit) against a
 * raw single-row INSERT loop through node-postgres at the same concurrency,
 * on the same server in one run.
 */
import { CommunityId, openAccount, postTransaction, SystemActor } from "@gongzhi/core"
import { PgStore } from "@gongzhi/store-postgres"
import { Effect, ManagedRuntime } from "effect"
import pg from "pg"
import { startTestServer } from "../../packages/store-postgres/test/support/global-setup.js"
import { freshDatabase } from "../../packages/store-postgres/test/support/db.js"
import { measure, ratio, report, section } from "./harness.js"

const CONCURRENCY = Number(process.env.BENCH_PG_CONCURRENCY ?? 16)
const RAW_OPS = Number(process.env.BENCH_PG_RAW ?? 20_000)
const COMMAND_OPS = Number(process.env.BENCH_PG_COMMANDS ?? 3_000)

const inParallel = async (total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> => {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++)
    })
  )
  return total
}

export const postgresBench = async (): Promise<void> => {
  section(`postgres (concurrency ${CONCURRENCY})`)
  const server = await startTestServer()
  const db = await freshDatabase(server.url, { prefix: "gz_bench" })
  try {
    // Raw: one INSERT per round trip, autocommit, same pool size.
    const pool = new pg.Pool({ connectionString: db.url, max: CONCURRENCY })
    await pool.query("CREATE TABLE raw_insert (community_id text NOT NULL, id bigserial, payload jsonb NOT NULL, PRIMARY KEY (community_id, id))")
    await inParallel(500, CONCURRENCY, (i) => pool.query("INSERT INTO raw_insert (community_id, payload) VALUES ($1, $2)", ["warm", { i }]))
    const raw = await measure("raw single-row INSERT (node-postgres)", () =>
      inParallel(RAW_OPS, CONCURRENCY, (i) => pool.query("INSERT INTO raw_insert (community_id, payload) VALUES ($1, $2)", ["c", { i }])))
    report(raw)
    await pool.end()

    const runtime = ManagedRuntime.make(PgStore.layer({ url: db.url, maxConnections: CONCURRENCY }))
    const setup = (c: CommunityId, accounts: number) =>
      Effect.gen(function* () {
        const sys = new SystemActor({ communityId: c, process: "bench" })
        yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "points", kind: "issuance" })
        for (let i = 0; i < accounts; i++) {
          yield* openAccount(sys, { communityId: c, accountId: `a${i}`, unit: "points", kind: "resident-points", floor: 0 })
          yield* postTransaction(sys, { communityId: c, unit: "points", kind: "seed", memo: "", postings: [{ accountId: "mint", amount: -1_000_000 }, { accountId: `a${i}`, amount: 1_000_000 }] })
        }
      })
    const transfer = (c: CommunityId, i: number, accounts: number) => {
      const from = i % accounts
      const to = (i * 7 + 1) % accounts === from ? (from + 1) % accounts : (i * 7 + 1) % accounts
      return runtime.runPromise(postTransaction(new SystemActor({ communityId: c, process: "bench" }), {
        communityId: c, unit: "points", kind: "transfer", memo: "bench",
        postings: [{ accountId: `a${from}`, amount: -1 }, { accountId: `a${to}`, amount: 1 }]
      }))
    }
    const one = CommunityId.make("bench-one")
    await runtime.runPromise(setup(one, 200))
    await inParallel(200, CONCURRENCY, (i) => transfer(one, i, 200))
    const cmd = await measure("ledger transfer command, one community (end to end)", () =>
      inParallel(COMMAND_OPS, CONCURRENCY, (i) => transfer(one, i, 200)))
    report(cmd)
    ratio("command / raw insert (target >= 0.40)", cmd, raw)

    const many = Array.from({ length: CONCURRENCY }, (_, k) => CommunityId.make(`bench-many-${k}`))
    for (const c of many) await runtime.runPromise(setup(c, 20))
    const spread = await measure(`ledger transfer command, ${many.length} communities`, () =>
      inParallel(COMMAND_OPS, CONCURRENCY, (i) => transfer(many[i % many.length]!, Math.floor(i / many.length), 20)))
    report(spread)
    ratio("command (spread over communities) / raw insert", spread, raw)
    await runtime.dispose()
  } finally {
    await db.drop()
    await server.teardown()
  }
}
