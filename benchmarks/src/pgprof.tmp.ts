import { CommunityId, openAccount, postTransaction, SystemActor } from "@gongzhi/core"
import { PgStore } from "@gongzhi/store-postgres"
import { Effect, ManagedRuntime } from "effect"
import { startTestServer } from "../../packages/store-postgres/test/support/global-setup.js"
import { freshDatabase } from "../../packages/store-postgres/test/support/db.js"
const server = await startTestServer()
const db = await freshDatabase(server.url)
const runtime = ManagedRuntime.make(PgStore.layer({ url: db.url, maxConnections: 4 }))
const c = CommunityId.make("p")
const sys = new SystemActor({ communityId: c, process: "bench" })
await runtime.runPromise(Effect.gen(function* () {
  yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "points", kind: "issuance" })
  for (let i = 0; i < 10; i++) yield* openAccount(sys, { communityId: c, accountId: `a${i}`, unit: "points", kind: "w", floor: 0 })
  yield* postTransaction(sys, { communityId: c, unit: "points", kind: "seed", memo: "", postings: [{ accountId: "mint", amount: -100000 }, { accountId: "a0", amount: 100000 }] })
}))
const N = 2000
const t = performance.now()
const cpu0 = process.cpuUsage()
await runtime.runPromise(Effect.gen(function* () {
  for (let i = 0; i < N; i++) yield* postTransaction(sys, { communityId: c, unit: "points", kind: "t", memo: "", postings: [{ accountId: "a0", amount: -1 }, { accountId: `a${1 + (i % 9)}`, amount: 1 }] })
}).pipe(process.env.NOTRACE ? Effect.withTracerEnabled(false) : (x) => x))
const cpu = process.cpuUsage(cpu0)
console.log(((performance.now() - t) / N).toFixed(3), "ms/op wall;", ((cpu.user + cpu.system) / 1000 / N).toFixed(3), "ms/op node cpu")
await runtime.dispose(); await db.drop(); await server.teardown()
