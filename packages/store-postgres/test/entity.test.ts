import { SqlClient } from "@effect/sql"
import { changeSampleRecord, entityCases, SampleEntity, sampleEntityDdl, sampleRecord } from "@gongzhi/testkit/conformance"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { inject } from "vitest"
import { checkEntityTable, pgEntityTable } from "../src/index.js"
import { migratedTestDatabase } from "./support/db.js"

const TestLayer = Layer.effectDiscard(
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(sampleEntityDdl))
).pipe(Layer.provideMerge(migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_entity", maxConnections: 4 })))

describe("postgres EntityTable (derived from the declaration)", () => {
  layer(TestLayer, { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("the table fits the declaration", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        expect(yield* checkEntityTable(sql, SampleEntity)).toEqual([])
      })
    )
    entityCases(it as never, {
      table: Effect.map(SqlClient.SqlClient, (sql) => pgEntityTable(sql, SampleEntity)),
      sample: sampleRecord,
      change: changeSampleRecord
    })
  })
})
