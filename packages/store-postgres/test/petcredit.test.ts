import { SqlClient } from "@effect/sql"
import { CommunityId, DirectoryWriter, Gongzhi, PetCredit, ResidentActor, Role, StaffActor, StaffId } from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { sampleEntry } from "@gongzhi/testkit/conformance"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Exit, Layer, TestClock, TestContext } from "effect"
import { inject } from "vitest"
import { checkEntityTable, pgEntityTable } from "../src/index.js"
import { freshStoreLayer, migratedTestDatabase } from "./support/db.js"

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

describe("postgres petcredit under concurrency", () => {
  layer(Layer.merge(freshStoreLayer(inject("databaseUrl"), { maxConnections: 8 }), Gongzhi.layer()), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("parallel verifications on one dog never lose or double an entry: each posts or fails with Conflict, and the score stays the sum", () =>
      Effect.gen(function* () {
        const c = CommunityId.make("pc-concurrency")
        const snapshot = generateCommunity({ seed: 31, communityId: c, buildings: 1, floors: 3 })
        yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
        yield* TestClock.setTime(Date.UTC(2026, 5, 1, 2, 0, 0))
        const owner = snapshot.residents.find((r) => r.kind === "owner" && r.householdId !== undefined)!
        const neighbour = snapshot.residents.find((r) => r.householdId !== undefined && r.householdId !== owner.householdId)!
        const staff = new StaffActor({ communityId: c, staffId: StaffId.make("s-1"), roles: [Role.make("committee")], departments: [] })
        const dog = yield* PetCredit.registerDog(new ResidentActor({ communityId: c, residentId: owner.id }), {
          communityId: c, householdId: owner.householdId!, keeperId: owner.id, name: "Rex", licenceNo: "SD20260042",
          breed: "mixed", size: "large", vaccinationExpiresOn: "2027-01-01", licenceExpiresOn: "2027-01-01"
        })
        const reports = yield* Effect.forEach(Array.from({ length: 8 }, (_, i) => i), (i) =>
          PetCredit.reportViolation(new ResidentActor({ communityId: c, residentId: neighbour.id }), {
            communityId: c, dogId: dog.id, kind: "noise", evidence: [`p${i}.jpg`], place: "yard", occurredAt: Date.UTC(2026, 5, 1, 2, 0, 0) - (i + 1) * 3_600_000
          }))
        const verify = (id: PetCredit.ReportId) => PetCredit.verifyReport(staff, { communityId: c, reportId: id, decision: "confirm" })
        const first = yield* Effect.forEach(reports, (r) => Effect.exit(verify(r.id)), { concurrency: "unbounded" })
        const failedTags = first.flatMap((e) => (Exit.isFailure(e) && e.cause._tag === "Fail" ? [(e.cause.error as { _tag: string })._tag] : Exit.isFailure(e) ? ["defect"] : []))
        expect(failedTags.every((t) => t === "Conflict")).toBe(true)
        // the losers retry one by one
        for (const [i, e] of first.entries()) if (Exit.isFailure(e)) yield* verify(reports[i]!.id)
        const store = yield* PetCredit.PetCreditStore
        const entries = yield* store.entries.list({ communityId: c, dogId: dog.id })
        expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
        const stored = yield* store.dogs.get({ communityId: c, id: dog.id })
        expect(stored._tag === "Some" && stored.value.score).toBe(100 - 8 * 3)
        expect(100 + entries.reduce((s, e) => s + e.applied, 0)).toBe(76)
      }).pipe(Effect.provide(TestContext.TestContext)))
  })
})
