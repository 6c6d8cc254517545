import { SqlClient } from "@effect/sql"
import { PetCredit } from "@gongzhi/core"
import { sampleEntry } from "@gongzhi/testkit/conformance"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { inject } from "vitest"
import { checkEntityTable, pgEntityTable } from "../src/index.js"
import { migratedTestDatabase } from "./support/db.js"

describe("postgres petcredit tables", () => {
  layer(migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_petcredit", maxConnections: 2 }), { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("every table fits its entity declaration", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        for (const e of [PetCredit.DogEntity, PetCredit.ReportEntity, PetCredit.ScoreEntryEntity, PetCredit.SchemeChoiceEntity]) {
          expect(yield* checkEntityTable(sql, e)).toEqual([])
        }
      }))

    it.effect("score entries are append-only: their numbers never change and they are never deleted", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const entries = pgEntityTable(sql, PetCredit.ScoreEntryEntity)
        const c = "pc-append-only" as never
        const e = sampleEntry(c, 1)
        yield* entries.insert(e)
        const changed = yield* Effect.exit(entries.update(new PetCredit.ScoreEntry({ ...e, applied: e.applied + 5 })))
        expect(Exit.isFailure(changed)).toBe(true)
        const deleted = yield* Effect.exit(sql`DELETE FROM gz_petcredit_entries WHERE community_id = ${c}`)
        expect(Exit.isFailure(deleted)).toBe(true)
        const [row] = yield* sql`SELECT applied FROM gz_petcredit_entries WHERE community_id = ${c}`
        expect(Number(row!.applied)).toBe(e.applied)
      }))
  })
})
