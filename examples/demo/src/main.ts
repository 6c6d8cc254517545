/**
 * `pnpm demo`: a scripted day in a community on the in-memory store.
 * Each module adds a chapter (see ./chapters).
 */
import { Gongzhi } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, Random, TestClock, TestContext } from "effect"
import { chapters } from "./chapters/index.js"
import { heading } from "./print.js"

const community = generateCommunity({ seed: 2026, communityId: "xingfuli" })

const AppLayer = Layer.mergeAll(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))

const program = Effect.gen(function* () {
  // A fixed, reproducible day: 2026-11-30 09:00 in Shanghai.
  yield* TestClock.setTime(Date.UTC(2026, 10, 30, 1, 0, 0))
  heading(`共治 Gongzhi demo — ${community.community.name} (${community.community.id})`)
  for (const chapter of chapters) yield* chapter(community)
})

Effect.runPromise(
  program.pipe(
    Effect.provide(AppLayer),
    Effect.provide(TestContext.TestContext),
    Effect.withRandom(Random.make(2026))
  )
).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
