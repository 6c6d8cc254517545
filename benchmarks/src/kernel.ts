import { appendEvents, CommunityId, openAccount, postTransaction, readJournal, SystemActor, Transaction, verifyEntries } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { Effect, ManagedRuntime, Schema } from "effect"
import { measure, report, section } from "./harness.js"

const Ev = Schema.TaggedStruct("BenchEvent", { n: Schema.Number })

export const kernelBench = async (): Promise<void> => {
  section("kernel (memory store)")
  const runtime = ManagedRuntime.make(MemoryStore.layer())
  const c = CommunityId.make("bench")
  const sys = new SystemActor({ communityId: c, process: "bench" })
  const N = 20_000
  report(await measure("journal append (1 event per transaction)", () =>
    runtime.runPromise(Effect.gen(function* () {
      const tx = yield* Transaction
      for (let i = 0; i < N; i++) yield* tx.run(appendEvents(c, Ev, [{ _tag: "BenchEvent", n: i }]))
      return N
    }))))
  const entries = await runtime.runPromise(readJournal(c))
  report(await measure("verifyEntries (SHA-256 chain)", () =>
    Effect.runPromise(Effect.map(verifyEntries(c, entries), () => entries.length))))
  await runtime.runPromise(Effect.gen(function* () {
    yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "points", kind: "issuance" })
    for (let i = 0; i < 50; i++) yield* openAccount(sys, { communityId: c, accountId: `a${i}`, unit: "points", kind: "resident-points", floor: 0 })
    yield* postTransaction(sys, { communityId: c, unit: "points", kind: "award", memo: "", postings: [{ accountId: "mint", amount: -1_000_000 }, { accountId: "a0", amount: 1_000_000 }] })
  }))
  const M = 10_000
  report(await measure("ledger postTransaction (transfer, full command)", () =>
    runtime.runPromise(Effect.gen(function* () {
      for (let i = 0; i < M; i++) {
        yield* postTransaction(sys, { communityId: c, unit: "points", kind: "transfer", memo: "", postings: [{ accountId: "a0", amount: -1 }, { accountId: `a${1 + (i % 49)}`, amount: 1 }] })
      }
      return M
    }))))
  await runtime.dispose()
}
