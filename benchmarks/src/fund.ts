/**
 * The fund: a month's property-fee billing of 5,000 households (area from
 * the directory x unit price, one bill and one receivable posting each) and
 * that month's public statement, on the memory store and on PostgreSQL.
 * Between them, payments by 80% of the households (one command each), so the
 * statement has income and arrears to count.
 */
import { CommunityId, DirectoryWriter, type DirectorySnapshot, Fund, Gongzhi, Role, StaffActor, StaffId } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { PgStore } from "@gongzhi/store-postgres"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, ManagedRuntime } from "effect"
import { freshDatabase } from "../../packages/store-postgres/test/support/db.js"
import { startTestServer } from "../../packages/store-postgres/test/support/global-setup.js"
import { measure, report, section } from "./harness.js"

const DURABLE = process.env.BENCH_PG_DURABLE !== "0"
/** Households to bill (a multiple of 40; default 5,000). */
const HOUSEHOLDS = Number(process.env.BENCH_FUND_HOUSEHOLDS ?? 5_000)
/** Which stores to run: `memory,postgres` (default), or one of them. */
const STORES = (process.env.BENCH_FUND_STORES ?? "memory,postgres").split(",")

/** Buildings x 2 units x 5 floors x 4 households a floor (125 buildings = 5,000 households). */
const communityOf = (id: string): DirectorySnapshot =>
  generateCommunity({ seed: 15, communityId: id, buildings: Math.max(1, Math.round(HOUSEHOLDS / 40)), unitsPerBuilding: 2, floors: 5, householdsPerFloor: 4 })

const scenario = (runtime: ManagedRuntime.ManagedRuntime<any, any>, community: DirectorySnapshot) => async () => {
  const c = CommunityId.make(community.community.id)
  const treasurer = new StaffActor({ communityId: c, staffId: StaffId.make("s-treasurer"), roles: [Role.make("treasurer")], departments: [] })
  const fundId = "trust"
  await runtime.runPromise(Fund.createFund(treasurer, {
    communityId: c, fundId, name: "物业费信托账户", kind: "property-fee", purpose: "bench", thresholds: { singleBelowFen: 100_000, dualUpToFen: 1_000_000 }
  }) as Effect.Effect<unknown, unknown, never>)
  const billing = await measure(`billFees: one month, ${community.households.length.toLocaleString("en")} households (ops = bills)`, () =>
    runtime.runPromise(Effect.map(Fund.billFees(treasurer, {
      communityId: c, fundId, period: "2026-06", pricing: { _tag: "PerArea", fenPerM2: 180 }, dueDate: "2026-06-30"
    }), (r) => r.bills) as Effect.Effect<number, unknown, never>))
  report(billing)
  const payers = community.households.filter((_, i) => i % 5 !== 0)
  const payments = await measure("recordPayment (80% of households, one command each)", () =>
    runtime.runPromise(Effect.gen(function* () {
      for (const h of payers) {
        yield* Fund.recordPayment(treasurer, { communityId: c, fundId, householdId: h.id, amountFen: Fund.monthlyFee({ _tag: "PerArea", fenPerM2: 180 }, h.exclusiveAreaDm2) })
      }
      return payers.length
    }) as Effect.Effect<number, unknown, never>))
  report(payments)
  const statement = await measure("publishStatement for the month (ops = 1 statement)", () =>
    runtime.runPromise(Effect.as(Fund.publishStatement(treasurer, { communityId: c, fundId, period: "2026-06" }), 1) as Effect.Effect<number, unknown, never>))
  report(statement)
  const verify = await measure("verifyStatement (whole journal re-hashed; ops = entries)", () =>
    runtime.runPromise(Effect.map(Fund.verifyStatement(treasurer, c, fundId as Fund.FundId, "2026-06"), (v) => (v.ok ? v.entries : 0)) as Effect.Effect<number, unknown, never>))
  report(verify)
}

export const fundBench = async (): Promise<void> => {
  if (STORES.includes("memory")) await memoryBench()
  if (STORES.includes("postgres")) await postgresFundBench()
}

const memoryBench = async (): Promise<void> => {
  section("fund: memory store")
  const memCommunity = communityOf("bench-fund-memory")
  const mem = ManagedRuntime.make(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [memCommunity] })))
  try {
    await scenario(mem, memCommunity)()
  } finally {
    await mem.dispose()
  }
}

const postgresFundBench = async (): Promise<void> => {
  const server = await startTestServer({ durable: DURABLE })
  section(`fund: postgres (server: ${DURABLE ? "durable defaults" : "durability off (test settings)"})`)
  const db = await freshDatabase(server.url, { prefix: "gz_bench_fund" })
  const pgRuntime = ManagedRuntime.make(Layer.merge(Gongzhi.layer(), PgStore.layer({ url: db.url, maxConnections: 4 })))
  try {
    const community = communityOf("bench-fund-pg")
    await pgRuntime.runPromise(Effect.flatMap(DirectoryWriter, (w) => w.load(community)) as Effect.Effect<void, unknown, never>)
    await scenario(pgRuntime, community)()
  } finally {
    await pgRuntime.dispose()
    await db.drop()
    await server.teardown()
  }
}
