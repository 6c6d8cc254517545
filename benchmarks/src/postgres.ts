/**
 * PostgreSQL: the adapter's representative commands end to end (cast a
 * ballot; a ledger transfer) against a raw single-row INSERT loop through
 * node-postgres at the same concurrency, on the same server in one run.
 *
 * Between the two, a floor: the ledger transfer's own statements sent through
 * node-postgres directly (no core, no @effect/sql), so the printout shows how
 * much of the gap is the statements themselves and how much the library.
 *
 * The server keeps PostgreSQL's durability defaults (fsync, synchronous
 * commit), as production runs; `BENCH_PG_DURABLE=0` uses the test suite's
 * throwaway settings (durability off) instead. `DATABASE_URL` set: that
 * server, as it is configured.
 */
import { createHash, randomUUID } from "node:crypto"
import {
  CommunityId,
  type DirectorySnapshot,
  DirectoryWriter,
  Gongzhi,
  openAccount,
  postTransaction,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  SystemActor,
  Voting
} from "@gongzhi/core"
import { PgStore } from "@gongzhi/store-postgres"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import { freshDatabase } from "../../packages/store-postgres/test/support/db.js"
import { startTestServer } from "../../packages/store-postgres/test/support/global-setup.js"
import { measure, type Measurement, ratio, report, section } from "./harness.js"

const CONCURRENCY = Number(process.env.BENCH_PG_CONCURRENCY ?? 16)
const RAW_OPS = Number(process.env.BENCH_PG_RAW ?? 20_000)
const COMMAND_OPS = Number(process.env.BENCH_PG_COMMANDS ?? 2_000)
const DURABLE = process.env.BENCH_PG_DURABLE !== "0"
const ACCOUNTS = 200

/** `total` operations by `concurrency` workers that each wait for their previous one. */
const inParallel = async (total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> => {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++)
    })
  )
  return total
}

/** Two distinct accounts for the i-th transfer, spread over `accounts`. */
const pair = (i: number, accounts: number): readonly [string, string] => {
  const from = i % accounts
  let to = (i * 7 + 1) % accounts
  if (to === from) to = (from + 1) % accounts
  return [`a${from}`, `a${to}`]
}

/**
 * The ledger transfer's statements as the adapter sends them (BEGIN, lock the
 * accounts, the transaction with its postings and balances, the journal's
 * append lock and head, the entry with its new head and notification, COMMIT),
 * through node-postgres alone. The hash covers less than the core's, which
 * only makes this floor faster.
 */
const transferStatements = async (pool: pg.Pool, c: string, i: number): Promise<void> => {
  const client = await pool.connect()
  try {
    const [x, y] = pair(i, ACCOUNTS)
    await client.query("BEGIN")
    const locked = await client.query(
      "SELECT * FROM gz_ledger_accounts WHERE community_id = $1 AND account_id IN ($2, $3) ORDER BY account_id FOR UPDATE",
      [c, x, y]
    )
    const balance = (id: string) => Number(locked.rows.find((r) => r.account_id === id)!.balance)
    const txId = randomUUID()
    await client.query(
      `WITH t AS (
         INSERT INTO gz_ledger_transactions (community_id, tx_id, unit, kind, memo, fingerprint, posted_at)
         VALUES ($1, $2, 'points', 'transfer', 'bench', 'f', 0) RETURNING tx_id),
       p AS (
         INSERT INTO gz_ledger_postings (community_id, tx_id, account_id, unit, position, amount, balance_after, posted_at)
         VALUES ($1, $2, $3, 'points', 0, -1, $5, 0), ($1, $2, $4, 'points', 1, 1, $6, 0) RETURNING account_id)
       UPDATE gz_ledger_accounts a SET balance = v.balance
       FROM (SELECT unnest($7::text[]) AS account_id, unnest($8::bigint[]) AS balance) v
       WHERE a.community_id = $1 AND a.account_id = v.account_id
         AND (SELECT count(*) FROM t) = 1 AND (SELECT count(*) FROM p) = 2`,
      [c, txId, x, y, balance(x) - 1, balance(y) + 1, [x, y], [balance(x) - 1, balance(y) + 1]]
    )
    const head = (await client.query("SELECT seq, hash FROM gz_journal_lock_head($1)", [c])).rows[0]
    const seq = Number(head.seq) + 1
    const hash = createHash("sha256").update(`${head.hash}${seq}${txId}`).digest("hex")
    await client.query(
      `WITH inserted AS (
         INSERT INTO gz_journal (community_id, seq, event_id, type, occurred_at, payload, prev_hash, hash)
         VALUES ($1, $2, $3, 'LedgerTransactionPosted', 0, $4, $5, $6) RETURNING seq),
       head AS (
         INSERT INTO gz_journal_heads (community_id, seq, hash)
         SELECT $1, $2, $6 WHERE (SELECT count(*) FROM inserted) = 1
         ON CONFLICT (community_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash RETURNING seq)
       SELECT pg_notify('gongzhi_journal', $1) FROM head`,
      [c, seq, txId, { txId, postings: [{ accountId: x, amount: -1 }, { accountId: y, amount: 1 }] }, head.hash, hash]
    )
    await client.query("COMMIT")
  } catch (e) {
    await client.query("ROLLBACK")
    throw e
  } finally {
    client.release()
  }
}

export const postgresBench = async (): Promise<void> => {
  const external = (process.env.DATABASE_URL ?? "") !== ""
  const server = await startTestServer({ durable: DURABLE })
  const settings = external ? "DATABASE_URL, as configured" : DURABLE ? "durable defaults: fsync, synchronous_commit on" : "durability off (test settings)"
  section(`postgres (concurrency ${CONCURRENCY}; server: ${settings})`)
  const db = await freshDatabase(server.url, { prefix: "gz_bench" })
  const runtime = ManagedRuntime.make(Layer.merge(Gongzhi.layer(), PgStore.layer({ url: db.url, maxConnections: CONCURRENCY })))
  const pool = new pg.Pool({ connectionString: db.url, max: CONCURRENCY })
  try {
    const results: Array<Measurement> = []
    const run = async (m: Promise<Measurement>) => {
      const r = await m
      report(r)
      results.push(r)
      return r
    }

    // Raw: one INSERT per round trip, autocommit, same pool size.
    await pool.query("CREATE TABLE raw_insert (community_id text NOT NULL, id bigserial, payload jsonb NOT NULL, PRIMARY KEY (community_id, id))")
    await inParallel(500, CONCURRENCY, (i) => pool.query("INSERT INTO raw_insert (community_id, payload) VALUES ($1, $2)", ["warm", { i }]))
    const raw = await run(measure("raw single-row INSERT (node-postgres)", () =>
      inParallel(RAW_OPS, CONCURRENCY, (i) => pool.query("INSERT INTO raw_insert (community_id, payload) VALUES ($1, $2)", ["c", { i }]))))

    // Ledger transfers: accounts with funds in one community, and in as many communities as workers.
    const openAccounts = (c: CommunityId, accounts: number) =>
      runtime.runPromise(Effect.gen(function* () {
        const sys = new SystemActor({ communityId: c, process: "bench" })
        yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "points", kind: "issuance" })
        for (let i = 0; i < accounts; i++) {
          yield* openAccount(sys, { communityId: c, accountId: `a${i}`, unit: "points", kind: "resident-points", floor: 0 })
          yield* postTransaction(sys, { communityId: c, unit: "points", kind: "seed", memo: "", postings: [{ accountId: "mint", amount: -1_000_000 }, { accountId: `a${i}`, amount: 1_000_000 }] })
        }
      }))
    const transfer = (c: CommunityId, i: number) => {
      const [from, to] = pair(i, ACCOUNTS)
      return runtime.runPromise(postTransaction(new SystemActor({ communityId: c, process: "bench" }), {
        communityId: c, unit: "points", kind: "transfer", memo: "bench",
        postings: [{ accountId: from, amount: -1 }, { accountId: to, amount: 1 }]
      }))
    }
    const one = CommunityId.make("bench-one")
    const many = Array.from({ length: CONCURRENCY }, (_, k) => CommunityId.make(`bench-many-${k}`))
    for (const c of [one, ...many]) await openAccounts(c, ACCOUNTS)
    await inParallel(200, CONCURRENCY, (i) => transfer(one, i))

    const floor = await run(measure("ledger transfer's statements via node-postgres (floor)", () =>
      inParallel(COMMAND_OPS, CONCURRENCY, (i) => transferStatements(pool, one, i))))
    const transferOne = await run(measure("ledger transfer command, one community", () =>
      inParallel(COMMAND_OPS, CONCURRENCY, (i) => transfer(one, i))))
    const transferMany = await run(measure(`ledger transfer command, ${many.length} communities`, () =>
      inParallel(COMMAND_OPS, CONCURRENCY, (i) => transfer(many[i % many.length]!, Math.floor(i / many.length)))))

    // Ballots: one per voting unit on an open proposal; a large community, and many small ones.
    const openVote = (snapshot: DirectorySnapshot) =>
      runtime.runPromise(Effect.gen(function* () {
        const c = snapshot.community.id
        yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
        const staff = new StaffActor({ communityId: c, staffId: StaffId.make("s-committee-1"), roles: [Role.make("committee")], departments: [] })
        const p = yield* Voting.createProposal(staff, { communityId: c, title: "bench", body: "", rule: "civil-code-278-special" })
        yield* Voting.scheduleProposal(staff, { communityId: c, proposalId: p.id })
        yield* Voting.openProposal(staff, { communityId: c, proposalId: p.id })
        return { c, proposalId: p.id, owners: snapshot.households.map((h) => h.ownerIds[0]!) }
      }))
    type OpenVote = Awaited<ReturnType<typeof openVote>>
    const cast = (vote: OpenVote, i: number) => {
      const owner = vote.owners[i]!
      return runtime.runPromise(Voting.castBallot(new ResidentActor({ communityId: vote.c, residentId: ResidentId.make(owner) }), {
        communityId: vote.c, proposalId: vote.proposalId, residentId: owner, channel: "online", choice: { type: "yes-no", value: "yes" }
      }))
    }
    const large = await openVote(generateCommunity({
      seed: 7, communityId: "bench-vote", buildings: Math.ceil(COMMAND_OPS / 48) + 1, floors: 6, unitsPerBuilding: 2, householdsPerFloor: 4
    }))
    const perCommunity = Math.ceil(COMMAND_OPS / CONCURRENCY)
    const small: Array<OpenVote> = []
    for (let k = 0; k < CONCURRENCY; k++) {
      small.push(await openVote(generateCommunity({
        seed: 100 + k, communityId: `bench-vote-${k}`, buildings: Math.ceil(perCommunity / 24) + 1, floors: 6, unitsPerBuilding: 2, householdsPerFloor: 2
      })))
    }
    const ballotOne = await run(measure("cast ballot command, one community", () =>
      inParallel(COMMAND_OPS, CONCURRENCY, (i) => cast(large, i))))
    const ballotMany = await run(measure(`cast ballot command, ${small.length} communities`, () =>
      inParallel(COMMAND_OPS, CONCURRENCY, (i) => cast(small[i % small.length]!, Math.floor(i / small.length)))))

    console.log()
    ratio("cast ballot, one community / raw insert (target >= 0.40)", ballotOne, raw)
    ratio(`cast ballot, ${small.length} communities / raw insert`, ballotMany, raw)
    ratio("ledger transfer, one community / raw insert", transferOne, raw)
    ratio(`ledger transfer, ${many.length} communities / raw insert`, transferMany, raw)
    ratio("transfer statements via node-postgres (floor) / raw insert", floor, raw)
    ratio("ledger transfer, one community / its floor", transferOne, floor)
  } finally {
    await pool.end()
    await runtime.dispose()
    await db.drop()
    await server.teardown()
  }
}
