import { Transaction } from "@gongzhi/core"
import { changeSampleRecord, entityCases, SampleEntity, sampleRecord } from "@gongzhi/testkit/conformance"
import { describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { memoryEntityTable, MemoryInspector, MemoryStore } from "../src/index.js"

describe("memory EntityTable (derived from the declaration)", () => {
  layer(MemoryStore.layer(), { excludeTestServices: true })((it) => {
    entityCases(it as never, {
      table: Effect.gen(function* () {
        const { database } = yield* MemoryInspector
        const tx = yield* Transaction
        return memoryEntityTable(database, (e) => tx.run(e) as never, SampleEntity)
      }),
      sample: sampleRecord,
      change: changeSampleRecord
    })
  })
})
