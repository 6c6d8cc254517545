/**
 * What only a database can prove for the spaces store: every entity's table
 * fits its declaration; the exclusion constraint refuses an overlapping row
 * written by raw SQL (not only through the store); quotas stay exact when one
 * household books in parallel (the advisory lock); fees conserve money
 * under concurrency.
 */
import { SqlClient } from "@effect/sql"
import {
  type CommunityId,
  DirectoryWriter,
  openAccount,
  postTransaction,
  ResidentActor,
  Role,
  Spaces,
  StaffActor,
  StaffId,
  SystemActor
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { inject } from "vitest"
import { checkEntityTable } from "../src/entity.js"
import { findPgError } from "../src/pg-errors.js"
import { migratedTestDatabase } from "./support/db.js"

const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_spaces", maxConnections: 20 })

let counter = 0
const freshCommunity = (label: string) => `sp-${label}-${Date.now().toString(36)}-${counter++}` as CommunityId
const H = 3_600_000

const setup = (label: string) =>
  Effect.gen(function* () {
    const c = freshCommunity(label)
    const snapshot = generateCommunity({ seed: 5, communityId: c, buildings: 2, floors: 3 })
    yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
    const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-1"), roles: [Role.make("admin")], departments: [] })
    const resident = snapshot.residents.find((r) => r.householdId !== undefined && r.kind === "owner")!
    const housemates = snapshot.residents.filter((r) => r.householdId === resident.householdId)
    return { c, admin, resident, housemates, snapshot }
  })

/** The next local midnight in Shanghai after now, plus `days`. */
const midnight = (days: number) => (Math.floor((Date.now() + 8 * H) / (24 * H)) + days) * 24 * H - 8 * H

describe("spaces on a real PostgreSQL server", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("every entity's table fits its declaration", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        for (const e of [Spaces.SpaceEntity, Spaces.ClosureEntity, Spaces.BookingEntity, Spaces.RoundEntity, Spaces.ApplicationEntity, Spaces.AdoptionEntity, Spaces.OccupationEntity]) {
          expect(yield* checkEntityTable(sql, e)).toEqual([])
        }
      }))

    it.effect("the exclusion constraint refuses an overlapping holding row even from raw SQL; cancelled rows do not hold", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("raw")
        const row = (id: string, from: number, to: number, status: string) => ({
          community_id: c, space_id: "bay-1", id, space_kind: "parking", household_id: "h", resident_id: "r",
          starts_at: from, ends_at: to, status, price_fen: 0, free_minutes: 0, attendees: 1, purpose: "",
          week_key: "w", month_key: "m", created_at: 0, created_by: "x", fingerprint: "f", version: 1
        })
        yield* sql`INSERT INTO gz_spaces_bookings ${sql.insert(row("a", 1000, 5000, "confirmed"))}`
        yield* sql`INSERT INTO gz_spaces_bookings ${sql.insert(row("b", 2000, 3000, "cancelled"))}`
        const e = yield* Effect.flip(sql`INSERT INTO gz_spaces_bookings ${sql.insert(row("c", 4999, 6000, "pending"))}`)
        expect([findPgError(e)?.code, findPgError(e)?.constraint]).toEqual(["23P01", "gz_spaces_bookings_no_overlap"])
        yield* sql`INSERT INTO gz_spaces_bookings ${sql.insert(row("d", 5000, 6000, "confirmed"))}`
        const back = yield* Effect.flip(sql`UPDATE gz_spaces_bookings SET status = 'confirmed' WHERE community_id = ${c} AND id = 'b'`)
        expect(findPgError(back)?.code).toBe("23P01")
      }))

    it.effect("a household's parallel bookings never pass its weekly quota (advisory lock per household)", () =>
      Effect.gen(function* () {
        const { c, admin, housemates } = yield* setup("quota")
        // 2 hours a week, free at night: 8 parallel one-hour requests on 8 different bays.
        for (let i = 0; i < 8; i++) {
          yield* Spaces.defineSpace(admin, { communityId: c, id: `bay-${i}`, kind: "parking", label: `bay ${i}`, rules: { ...Spaces.seedParkingRules, quota: { weekMinutes: 120 }, advanceDays: [14] } })
        }
        const start = midnight(1) + 20 * H
        const exits = yield* Effect.forEach(
          Array.from({ length: 8 }, (_, i) => i),
          (i) => {
            const r = housemates[i % housemates.length]!
            return Effect.exit(Spaces.book(new ResidentActor({ communityId: c, residentId: r.id }), {
              communityId: c, spaceId: `bay-${i}`, residentId: r.id, startsAt: start, endsAt: start + H
            }))
          },
          { concurrency: 8 }
        )
        expect(exits.filter(Exit.isSuccess).length).toBe(2)
        expect(new Set(exits.filter(Exit.isFailure).map((e) => e.cause._tag === "Fail" ? (e.cause.error as { _tag: string })._tag : "defect"))).toEqual(new Set(["QuotaExceeded"]))
      }))

    it.effect("parallel charged bookings of one slot: one fee in the fund, every other household's money untouched", () =>
      Effect.gen(function* () {
        const { c, admin, snapshot } = yield* setup("fees")
        const sys = new SystemActor({ communityId: c, process: "test" })
        yield* Spaces.defineSpace(admin, { communityId: c, id: "bay-1", kind: "parking", label: "bay", rules: { ...Spaces.seedParkingRules, advanceDays: [14] } })
        yield* openAccount(sys, { communityId: c, accountId: "cash", unit: "fen", kind: "cash" })
        const heads = [...new Map(snapshot.residents.filter((r) => r.householdId !== undefined).map((r) => [r.householdId!, r])).values()].slice(0, 20)
        for (const r of heads) {
          yield* openAccount(sys, { communityId: c, accountId: `wallet:${r.householdId}`, unit: "fen", kind: "household-wallet", owner: r.householdId!, floor: 0 })
          yield* postTransaction(sys, { communityId: c, unit: "fen", kind: "top-up", memo: "", postings: [{ accountId: "cash", amount: -1000 }, { accountId: `wallet:${r.householdId}`, amount: 1000 }] })
        }
        const start = midnight(1) + 9 * H
        const exits = yield* Effect.forEach(heads, (r) =>
          Effect.exit(Spaces.book(new ResidentActor({ communityId: c, residentId: r.id }), { communityId: c, spaceId: "bay-1", residentId: r.id, startsAt: start, endsAt: start + H })),
          { concurrency: 20 })
        expect(exits.filter(Exit.isSuccess).length).toBe(1)
        const sql = yield* SqlClient.SqlClient
        const [sums] = yield* sql`SELECT sum(balance) FILTER (WHERE kind = 'household-wallet') AS wallets,
                                         sum(balance) FILTER (WHERE kind = 'community-fund') AS fund
                                  FROM gz_ledger_accounts WHERE community_id = ${c}`
        expect([Number(sums!.wallets), Number(sums!.fund)]).toEqual([20 * 1000 - 500, 500])
      }))
  })
})
