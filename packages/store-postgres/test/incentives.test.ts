/**
 * What only a database can prove for the incentive store: its invariants hold
 * as constraints (a raw statement that breaks one is refused), and caps,
 * stock and balances hold under concurrent commands: a farming loop of 40
 * parallel peer awards stops at exactly the pair cap, 30 parallel
 * redemptions of an item with stock 10 redeem exactly 10, and parallel
 * replays of one idempotency key award once.
 */
import { SqlClient } from "@effect/sql"
import {
  AccountId,
  type CommunityId,
  DirectoryWriter,
  Incentives,
  LedgerStore,
  readJournal,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, layer } from "@effect/vitest"
import { Clock, Effect, Exit, Option } from "effect"
import { inject } from "vitest"
import { findPgError } from "../src/pg-errors.js"
import { migratedTestDatabase } from "./support/db.js"
import { buffersOf, explain } from "./support/plans.js"

/** A fresh, migrated database; the ports and a raw client on one pool. */
const TestDatabase = migratedTestDatabase(inject("databaseUrl"), { prefix: "gz_incentives", maxConnections: 20 })

let counter = 0
const freshCommunity = (label: string) => `inc-${label}-${Date.now().toString(36)}-${counter++}` as CommunityId

const admin = (c: CommunityId) =>
  new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })

/** Loads a small community; returns its residents' ids. */
const community = (label: string) =>
  Effect.gen(function* () {
    const c = freshCommunity(label)
    const snapshot = generateCommunity({ seed: 23, communityId: c, buildings: 1, floors: 2, unitsPerBuilding: 1 })
    yield* Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
    return { c, residents: snapshot.residents.map((r) => r.id) }
  })

/** Opens every pooled connection first, so that the parallel commands really overlap. */
const warmPool = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.all(Array.from({ length: 20 }, () => sql`SELECT pg_sleep(0.05)`), { concurrency: "unbounded", discard: true })
)

const failureOf = (e: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(e) && e.cause._tag === "Fail" ? (e.cause.error as { _tag: string }) : undefined

/** What the failed commands failed with (`defect` for a die), to compare briefly. */
const failureTags = (results: ReadonlyArray<Exit.Exit<unknown, unknown>>) =>
  results.filter(Exit.isFailure).map((e) => failureOf(e)?._tag ?? "defect")

const count = (rows: ReadonlyArray<Record<string, unknown>>) => Number(rows[0]?.n)

const balanceOf = (c: CommunityId, accountId: string) =>
  Effect.flatMap(LedgerStore, (l) => l.getAccount(c, AccountId.make(accountId))).pipe(
    Effect.map(Option.match({ onNone: () => 0, onSome: (a) => a.balance }))
  )

const eventCount = (c: CommunityId, type: string) =>
  Effect.map(readJournal(c), (entries) => entries.filter((e) => e.type === type).length)

/** The real clock moved `ms` ahead. */
const shiftedClock = (ms: number): Clock.Clock => {
  const base = Clock.make()
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => base.unsafeCurrentTimeMillis() + ms,
    currentTimeMillis: Effect.sync(() => base.unsafeCurrentTimeMillis() + ms),
    unsafeCurrentTimeNanos: () => base.unsafeCurrentTimeNanos() + BigInt(ms) * BigInt(1_000_000),
    currentTimeNanos: Effect.sync(() => base.unsafeCurrentTimeNanos() + BigInt(ms) * BigInt(1_000_000)),
    sleep: (d) => base.sleep(d)
  }
}

/** The SQLSTATE (and constraint) a statement is refused with. */
const refused = <A, E, R>(statement: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(statement), (e) => {
    const pg = findPgError(e)
    return { code: pg?.code, constraint: pg?.constraint }
  })

const awardRow = (c: string, id: string, extra: Record<string, unknown> = {}) => ({
  community_id: c,
  award_id: id,
  resident_id: "r-1",
  action: "vote",
  source: "event",
  status: "awarded",
  requested: 5,
  points: 5,
  bonus: 0,
  granted_by: "system:test",
  tx_id: `tx_${id}`,
  fingerprint: "f".repeat(64),
  awarded_at: 1_000,
  ...extra
})

const itemRow = (c: string, id: string, extra: Record<string, unknown> = {}) => ({
  community_id: c,
  item_id: id,
  kind: "goods",
  name: "洗衣液",
  cost: 10,
  stock: 3,
  active: true,
  created_at: 1_000,
  updated_at: 1_000,
  ...extra
})

const redemptionRow = (c: string, id: string, extra: Record<string, unknown> = {}) => ({
  community_id: c,
  redemption_id: id,
  resident_id: "r-1",
  item_id: "soap",
  quantity: 1,
  points: 10,
  status: "pending",
  limit_window: 0,
  tx_id: `tx_${id}`,
  fingerprint: "e".repeat(64),
  redeemed_at: 1_000,
  ...extra
})

describe("incentives on a real PostgreSQL server", () => {
  layer(TestDatabase, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("awards, lots and profiles are read and updated by key in a few buffers in a community the statistics do not know (5,000 each)", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* Incentives.IncentiveStore
        const fill = (c: CommunityId, n: number) =>
          Effect.all([
            sql`
              INSERT INTO gz_incentives_profiles (community_id, resident_id, account_id, lifetime, level, opted_out, created_at, updated_at)
              SELECT ${c}, 'r-' || i, 'inc:r:r-' || i, 5, 0, false, 0, 0 FROM generate_series(1, ${n}) i`,
            sql`
              INSERT INTO gz_incentives_awards (community_id, award_id, resident_id, action, source, status, requested, points, bonus,
                granted_by, tx_id, idempotency_key, fingerprint, awarded_at)
              SELECT ${c}, 'aw_' || lpad(to_hex(i), 12, '0'), 'r-' || i, 'vote', 'event', 'awarded', 5, 5, 0,
                'system:test', 'tx_' || i, 'key-' || i, 'f', i FROM generate_series(1, ${n}) i`,
            sql`
              INSERT INTO gz_incentives_lots (community_id, lot_id, resident_id, award_id, kind, amount, remaining, awarded_at, expires_at)
              SELECT ${c}, 'aw_' || lpad(to_hex(i), 12, '0') || ':award', 'r-' || i, 'aw_' || lpad(to_hex(i), 12, '0'), 'award', 5, 5, i, i + 1000
              FROM generate_series(1, ${n}) i`
          ], { discard: true })
        // Statistics that know another community only: a new community is estimated at one row.
        yield* fill(freshCommunity("plans-known"), 1000)
        yield* sql`ANALYZE gz_incentives_profiles, gz_incentives_awards, gz_incentives_lots`
        const c = freshCommunity("plans")
        yield* fill(c, 5000)

        const award = yield* explain(store.getAward(c, "aw_0000000009c4"))
        expect(Option.map(award.result, (a) => a.residentId)).toEqual(Option.some("r-2500"))
        const lot = yield* explain(store.getLot(c, "aw_0000000009c4:award"))
        const spent = yield* explain(store.updateLot({ ...Option.getOrThrow(lot.result), remaining: 2 }))
        const profile = yield* explain(store.getProfile(c, ResidentId.make("r-2500")))
        const byKey = yield* explain(store.findAwardByKey(c, "key-2500"))
        expect(Option.map(byKey.result, (a) => a.id)).toEqual(Option.some("aw_0000000009c4"))
        expect(Option.map(profile.result, (p) => p.lifetime)).toEqual(Option.some(5))
        // Before migration 0009: each read the community through another index that starts with
        // community_id (by resident, the lot's award, the profile's account).
        expect(buffersOf(award.explained, "gz_incentives_awards")).toBeLessThan(10)
        expect(buffersOf(lot.explained, "gz_incentives_lots")).toBeLessThan(10)
        expect(buffersOf(spent.explained, "UPDATE gz_incentives_lots")).toBeLessThan(50)
        expect(buffersOf(profile.explained, "gz_incentives_profile_for_update")).toBeLessThan(15)
        expect(buffersOf(byKey.explained, "gz_incentives_award_by_key")).toBeLessThan(15)
      }))

    it.effect("lots (expiry): remaining within 0..amount, one lot per award and kind; only remaining changes; never deleted; draws are a list", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("lots")
        const lotRow = (id: string, extra: Record<string, unknown> = {}) => ({
          community_id: c,
          lot_id: id,
          resident_id: "r-1",
          award_id: id.split(":")[0],
          kind: id.endsWith(":bonus") ? "bonus" : "award",
          amount: 10,
          remaining: 10,
          awarded_at: 1_000,
          expires_at: 2_000,
          ...extra
        })
        const insert = (row: Record<string, unknown>) => sql`INSERT INTO gz_incentives_lots ${sql.insert(row)}`
        yield* insert(lotRow("a1:award"))
        yield* insert(lotRow("a1:bonus", { amount: 5, remaining: 5 }))
        expect(yield* refused(insert(lotRow("a1:award")))).toEqual({ code: "23505", constraint: "gz_incentives_lots_pkey" })
        expect(yield* refused(insert(lotRow("a1:other", { award_id: "a1", kind: "award" })))).toEqual({ code: "23505", constraint: "gz_incentives_lots_award" })
        expect((yield* refused(insert(lotRow("a2:award", { remaining: 11 })))).constraint).toBe("gz_incentives_lots_remaining")
        expect((yield* refused(insert(lotRow("a3:award", { remaining: -1 })))).constraint).toBe("gz_incentives_lots_remaining")
        expect((yield* refused(insert(lotRow("a4:award", { amount: 0, remaining: 0 })))).code).toBe("23514")
        expect((yield* refused(insert(lotRow("a5:award", { expires_at: 1_000 })))).constraint).toBe("gz_incentives_lots_expiry")
        expect((yield* refused(insert(lotRow("a6:award", { kind: "gift" })))).code).toBe("23514")
        const where = sql`community_id = ${c} AND lot_id = 'a1:award'`
        yield* sql`UPDATE gz_incentives_lots SET remaining = 3 WHERE ${where}`
        expect((yield* refused(sql`UPDATE gz_incentives_lots SET remaining = 12 WHERE ${where}`)).constraint).toBe("gz_incentives_lots_remaining")
        expect((yield* refused(sql`UPDATE gz_incentives_lots SET amount = 3 WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_incentives_lots SET expires_at = 9000 WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_incentives_lots SET resident_id = 'r-2' WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`DELETE FROM gz_incentives_lots WHERE ${where}`)).code).toBeDefined()
        expect(count(yield* sql`SELECT count(*) AS n FROM gz_incentives_lots WHERE community_id = ${c}`)).toBe(2)
        // a redemption's draws: a non-empty JSON list, written once
        yield* sql`INSERT INTO gz_incentives_items ${sql.insert(itemRow(c, "soap"))}`
        const redeemWith = (id: string, draws: string) =>
          sql`INSERT INTO gz_incentives_redemptions ${sql.insert(redemptionRow(c, id, { lot_draws: draws }))}`
        yield* redeemWith("d1", JSON.stringify([{ lotId: "a1:award", points: 7 }]))
        expect((yield* refused(redeemWith("d2", JSON.stringify({ lotId: "a1:award" })))).constraint).toBe("gz_incentives_redemptions_draws")
        expect((yield* refused(redeemWith("d3", "[]"))).constraint).toBe("gz_incentives_redemptions_draws")
        const d1 = sql`community_id = ${c} AND redemption_id = 'd1'`
        expect((yield* refused(sql`UPDATE gz_incentives_redemptions SET lot_draws = '[{"lotId":"x","points":1}]' WHERE ${d1}`)).code).toBe("23514")
      }))

    it.effect("expiry under concurrency: parallel redemptions and expireDue runs spend and expire every point exactly once", () =>
      Effect.gen(function* () {
        const { c, residents } = yield* community("expiry")
        const r = residents[0]!
        const expiring = { ...Incentives.defaultIncentiveConfig, expiry: { afterDays: 30 } }
        const on = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, Incentives.IncentiveConfig, expiring)
        for (let i = 0; i < 6; i++) {
          yield* on(Incentives.award(admin(c), { communityId: c, residentId: r, points: 10, reason: "setup" }))
        }
        expect(yield* balanceOf(c, `inc:r:${r}`)).toBe(60)
        yield* Incentives.addItem(admin(c), { communityId: c, itemId: "soap", kind: "goods", name: "洗衣液", cost: 5 })
        const store = yield* Incentives.IncentiveStore
        const sql = yield* SqlClient.SqlClient

        yield* warmPool
        const me = new ResidentActor({ communityId: c, residentId: r })
        // expireDue as if run 31 days later: every lot is due
        const later = on(Incentives.expireDue(admin(c), { communityId: c })).pipe(Effect.withClock(shiftedClock(31 * 86_400_000)))
        const results = yield* Effect.all(
          [
            ...Array.from({ length: 8 }, () => Effect.exit(on(Incentives.redeem(me, { communityId: c, residentId: r, itemId: "soap" })))),
            Effect.exit(later),
            Effect.exit(later)
          ],
          { concurrency: "unbounded" }
        )
        const failures = failureTags(results)
        for (const f of failures) expect(["InsufficientBalance"]).toContain(f)
        const redeemed = (yield* store.listRedemptions(c, r)).reduce((s, x) => s + x.points, 0)
        const expired = yield* balanceOf(c, "inc:expired")
        // 8 x 5 < 60: whatever the interleaving, at least 20 points expire
        expect(expired).toBeGreaterThanOrEqual(20)
        expect(redeemed).toBe(5 * results.slice(0, 8).filter((e) => e._tag === "Success").length)
        // every point either still held, redeemed or expired, once
        expect((yield* balanceOf(c, `inc:r:${r}`)) + redeemed + expired).toBe(60)
        expect(yield* balanceOf(c, `inc:r:${r}`)).toBe(0)
        expect((yield* store.listLots(c, r)).length).toBe(0)
        expect(yield* eventCount(c, "IncentivePointsExpired")).toBe(count(yield* sql`
          SELECT count(*) AS n FROM gz_ledger_transactions WHERE community_id = ${c} AND kind = 'expiry'`))
      }))

    it.effect("awards: unique id and idempotency key; a capped award names its cap and moved nothing; a peer award has a giver who is not the receiver", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("awards")
        const insert = (row: Record<string, unknown>) => sql`INSERT INTO gz_incentives_awards ${sql.insert(row)}`
        yield* insert(awardRow(c, "a1", { idempotency_key: "k-1" }))
        expect(yield* refused(insert(awardRow(c, "a1")))).toEqual({ code: "23505", constraint: "gz_incentives_awards_pkey" })
        expect(yield* refused(insert(awardRow(c, "a2", { idempotency_key: "k-1" })))).toEqual({ code: "23505", constraint: "gz_incentives_awards_key" })
        // another community may use the same id and key
        yield* insert(awardRow(freshCommunity("awards"), "a1", { idempotency_key: "k-1" }))

        const capped = { status: "capped", points: 0, tx_id: null, cap_scope: "pair", cap_period: "week", cap_limit: 6, cap_used: 6 }
        yield* insert(awardRow(c, "c1", capped))
        expect((yield* refused(insert(awardRow(c, "c2", { ...capped, cap_scope: null, cap_period: null, cap_limit: null, cap_used: null })))).constraint)
          .toBe("gz_incentives_awards_capped")
        expect((yield* refused(insert(awardRow(c, "c3", { ...capped, cap_used: null })))).constraint).toBe("gz_incentives_awards_cap")
        expect((yield* refused(insert(awardRow(c, "c4", { ...capped, points: 2 })))).code).toBe("23514")
        expect((yield* refused(insert(awardRow(c, "c5", { ...capped, tx_id: "tx_c5" })))).constraint).toBe("gz_incentives_awards_capped")
        // granted: with its ledger transaction, never more than requested, a bonus with its own transaction
        expect((yield* refused(insert(awardRow(c, "g1", { tx_id: null })))).constraint).toBe("gz_incentives_awards_capped")
        expect((yield* refused(insert(awardRow(c, "g2", { points: 6 })))).constraint).toBe("gz_incentives_awards_points")
        expect((yield* refused(insert(awardRow(c, "g3", { bonus: 10 })))).constraint).toBe("gz_incentives_awards_bonus")
        expect((yield* refused(insert(awardRow(c, "g4", { points: -1, requested: 1 })))).code).toBe("23514")
        expect((yield* refused(insert(awardRow(c, "g5", { status: "revoked" })))).constraint).toBe("gz_incentives_awards_revoked")
        // peer awards
        yield* insert(awardRow(c, "p1", { source: "peer", action: "neighbour-help", giver_id: "r-2" }))
        expect((yield* refused(insert(awardRow(c, "p2", { source: "peer", giver_id: "r-1" })))).constraint).toBe("gz_incentives_awards_peer")
        expect((yield* refused(insert(awardRow(c, "p3", { source: "peer" })))).constraint).toBe("gz_incentives_awards_peer")
        expect((yield* refused(insert(awardRow(c, "p4", { giver_id: "r-2" })))).constraint).toBe("gz_incentives_awards_peer")
      }))

    it.effect("awards: only awarded -> revoked with its reversal; nothing else changes, nothing is deleted", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("revoke")
        yield* sql`INSERT INTO gz_incentives_awards ${sql.insert(awardRow(c, "a1", { idempotency_key: "k" }))}`
        const where = sql`community_id = ${c} AND award_id = 'a1'`
        expect((yield* refused(sql`UPDATE gz_incentives_awards SET points = 4 WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_incentives_awards SET idempotency_key = 'other' WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_incentives_awards SET status = 'capped', points = 0, tx_id = NULL, cap_scope = 'action', cap_period = 'day', cap_limit = 1, cap_used = 1 WHERE ${where}`)).code).toBe("23514")
        yield* sql`UPDATE gz_incentives_awards SET status = 'revoked', revocation_tx_id = 'tx_rev', revocation_key = 'rk' WHERE ${where}`
        expect((yield* refused(sql`UPDATE gz_incentives_awards SET status = 'awarded', revocation_tx_id = NULL, revocation_key = NULL WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_incentives_awards SET revocation_tx_id = 'tx_rev2' WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`DELETE FROM gz_incentives_awards WHERE ${where}`)).code).toBe("42501")
        const [row] = yield* sql`SELECT status, revocation_tx_id FROM gz_incentives_awards WHERE ${where}`
        expect(row).toEqual({ status: "revoked", revocation_tx_id: "tx_rev" })
      }))

    it.effect("cap counters: one row per (community, resident, scope key, period); putCounter overwrites it", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* Incentives.IncentiveStore
        const c = freshCommunity("counters")
        const row = { community_id: c, resident_id: "r-1", scope_key: "pair:r-2", period: "week", window_no: 20_000, used: 2 }
        yield* sql`INSERT INTO gz_incentives_counters ${sql.insert(row)}`
        expect(yield* refused(sql`INSERT INTO gz_incentives_counters ${sql.insert({ ...row, window_no: 20_001 })}`)).toEqual({
          code: "23505",
          constraint: "gz_incentives_counters_pkey"
        })
        expect((yield* refused(sql`INSERT INTO gz_incentives_counters ${sql.insert({ ...row, period: "year" })}`)).code).toBe("23514")
        expect((yield* refused(sql`INSERT INTO gz_incentives_counters ${sql.insert({ ...row, scope_key: "resident", used: -1 })}`)).code).toBe("23514")
        const counter = (window: number, used: number): Incentives.CapCounter =>
          ({ communityId: c, residentId: ResidentId.make("r-1"), scopeKey: "pair:r-2", period: "week", window, used })
        yield* store.putCounter(counter(20_000, 4))
        yield* store.putCounter(counter(20_001, 2))
        expect(count(yield* sql`SELECT count(*) AS n FROM gz_incentives_counters WHERE community_id = ${c}`)).toBe(1)
        expect(yield* store.getCounters(c, ResidentId.make("r-1"), ["pair:r-2"])).toEqual([counter(20_001, 2)])
      }))

    it.effect("profiles: one points account per resident, lifetime and level never negative", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("profiles")
        const profile = (r: string, extra: Record<string, unknown> = {}) => ({
          community_id: c, resident_id: r, account_id: `inc:r:${r}`, lifetime: 0, level: 0, opted_out: false, created_at: 1, updated_at: 1, ...extra
        })
        yield* sql`INSERT INTO gz_incentives_profiles ${sql.insert(profile("r-1"))}`
        expect(yield* refused(sql`INSERT INTO gz_incentives_profiles ${sql.insert(profile("r-2", { account_id: "inc:r:r-1" }))}`)).toEqual({
          code: "23505",
          constraint: "gz_incentives_profiles_account"
        })
        expect((yield* refused(sql`INSERT INTO gz_incentives_profiles ${sql.insert(profile("r-3", { lifetime: -1 }))}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_incentives_profiles SET level = -1 WHERE community_id = ${c}`)).code).toBe("23514")
      }))

    it.effect("items and redemptions: stock never below zero; redemptions of catalogue items only, unique id and key, closed once", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const c = freshCommunity("items")
        yield* sql`INSERT INTO gz_incentives_items ${sql.insert(itemRow(c, "soap"))}`
        yield* sql`INSERT INTO gz_incentives_items ${sql.insert(itemRow(c, "fee", { kind: "property-fee-discount", stock: null }))}`
        expect(yield* refused(sql`UPDATE gz_incentives_items SET stock = -1 WHERE community_id = ${c} AND item_id = 'soap'`)).toEqual({
          code: "23514",
          constraint: "gz_incentives_items_stock"
        })
        expect(yield* refused(sql`UPDATE gz_incentives_items SET stock = stock - 4 WHERE community_id = ${c} AND item_id = 'soap'`)).toEqual({
          code: "23514",
          constraint: "gz_incentives_items_stock"
        })
        expect((yield* refused(sql`INSERT INTO gz_incentives_items ${sql.insert(itemRow(c, "x", { cost: 0 }))}`)).code).toBe("23514")
        expect((yield* refused(sql`INSERT INTO gz_incentives_items ${sql.insert(itemRow(c, "y", { limit_count: 2 }))}`)).constraint).toBe("gz_incentives_items_limit")
        expect((yield* refused(sql`INSERT INTO gz_incentives_items ${sql.insert(itemRow(c, "Bad Id"))}`)).code).toBe("23514")
        expect(yield* refused(sql`INSERT INTO gz_incentives_items ${sql.insert(itemRow(c, "soap"))}`)).toEqual({ code: "23505", constraint: "gz_incentives_items_pkey" })

        const insert = (row: Record<string, unknown>) => sql`INSERT INTO gz_incentives_redemptions ${sql.insert(row)}`
        yield* insert(redemptionRow(c, "d1", { idempotency_key: "rk" }))
        expect(yield* refused(insert(redemptionRow(c, "d1")))).toEqual({ code: "23505", constraint: "gz_incentives_redemptions_pkey" })
        expect(yield* refused(insert(redemptionRow(c, "d2", { idempotency_key: "rk" })))).toEqual({ code: "23505", constraint: "gz_incentives_redemptions_key" })
        expect(yield* refused(insert(redemptionRow(c, "d3", { item_id: "ghost" })))).toEqual({ code: "23503", constraint: "gz_incentives_redemptions_item" })
        expect((yield* refused(insert(redemptionRow(c, "d4", { quantity: 0 })))).code).toBe("23514")
        expect((yield* refused(insert(redemptionRow(c, "d5", { status: "cancelled", closed_at: 5 })))).constraint).toBe("gz_incentives_redemptions_refund")
        expect((yield* refused(insert(redemptionRow(c, "d6", { status: "fulfilled" })))).constraint).toBe("gz_incentives_redemptions_closed")

        const where = sql`community_id = ${c} AND redemption_id = 'd1'`
        expect((yield* refused(sql`UPDATE gz_incentives_redemptions SET quantity = 2 WHERE ${where}`)).code).toBe("23514")
        yield* sql`UPDATE gz_incentives_redemptions SET status = 'cancelled', refund_tx_id = 'tx_ref', closed_at = 5 WHERE ${where}`
        expect((yield* refused(sql`UPDATE gz_incentives_redemptions SET status = 'fulfilled', refund_tx_id = NULL WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`UPDATE gz_incentives_redemptions SET status = 'pending', refund_tx_id = NULL, closed_at = NULL WHERE ${where}`)).code).toBe("23514")
        expect((yield* refused(sql`DELETE FROM gz_incentives_redemptions WHERE ${where}`)).code).toBe("42501")
      }))

    it.effect("a farming loop of 40 parallel peer awards from one giver to one receiver stops at exactly the pair cap", () =>
      Effect.gen(function* () {
        const { c, residents } = yield* community("farming")
        const [receiver, giver, other] = [residents[0]!, residents[1]!, residents[2]!]
        // The community's issuance and sink accounts exist (opened by a first award to someone else);
        // the receiver has no profile yet: the parallel awards race to create it too.
        yield* Incentives.award(admin(c), { communityId: c, residentId: other, points: 5, reason: "setup" })
        const store = yield* Incentives.IncentiveStore
        expect(yield* store.getProfile(c, receiver)).toEqual(Option.none())

        yield* warmPool
        const results = yield* Effect.all(
          Array.from({ length: 40 }, () =>
            Effect.exit(
              Incentives.awardPeer(new ResidentActor({ communityId: c, residentId: giver }), {
                communityId: c,
                giverId: giver,
                receiverId: receiver
              })
            )
          ),
          { concurrency: "unbounded" }
        )
        // Every try is admitted and recorded: 3 x 2 points reach the pair cap (6 a week), 37 are capped.
        expect(failureTags(results)).toEqual([])
        const awards = results.flatMap((e) => (Exit.isSuccess(e) ? [e.value] : []))
        expect(awards.filter((a) => a.status === "awarded").map((a) => a.points)).toEqual([2, 2, 2])
        const capped = awards.filter((a) => a.status === "capped")
        expect(capped).toHaveLength(37)
        for (const a of capped) expect(a).toMatchObject({ points: 0, cap: { scope: "pair", period: "week", limit: 6, used: 6 }, giverId: giver })

        expect(yield* balanceOf(c, `inc:r:${receiver}`)).toBe(6)
        expect(Option.map(yield* store.getProfile(c, receiver), (p) => p.lifetime)).toEqual(Option.some(6))
        const counters = yield* store.getCounters(c, receiver, [`pair:${giver}`, "action:neighbour-help", "resident"])
        expect(counters.map((x) => [x.scopeKey, x.period, x.used])).toEqual([
          ["action:neighbour-help", "day", 6],
          ["action:neighbour-help", "week", 6],
          [`pair:${giver}`, "week", 6],
          ["resident", "day", 6]
        ])
        const sql = yield* SqlClient.SqlClient
        expect(count(yield* sql`
          SELECT count(*) AS n FROM gz_incentives_counters WHERE community_id = ${c} AND resident_id = ${receiver}`)).toBe(4)
        expect(count(yield* sql`
          SELECT count(*) AS n FROM gz_incentives_awards WHERE community_id = ${c} AND resident_id = ${receiver}`)).toBe(40)
        expect(count(yield* sql`
          SELECT count(*) AS n FROM gz_ledger_transactions WHERE community_id = ${c} AND kind = 'award'`)).toBe(4) // 3 + the setup award
        expect(yield* eventCount(c, "IncentiveAwarded")).toBe(4)
        expect(yield* eventCount(c, "IncentiveCapReached")).toBe(37)
      }))

    it.effect("30 parallel redemptions of an item with stock 10: stock 0, exactly 10 redemptions, the balance debited exactly 10 times", () =>
      Effect.gen(function* () {
        const { c, residents } = yield* community("redeem")
        const r = residents[0]!
        // 200 points, and the threshold reward at 100 (+10): 210
        yield* Incentives.award(admin(c), { communityId: c, residentId: r, points: 200, reason: "setup" })
        expect(yield* balanceOf(c, `inc:r:${r}`)).toBe(210)
        yield* Incentives.addItem(admin(c), { communityId: c, itemId: "parking", kind: "parking-hours", name: "停车券", cost: 5, stock: 10 })

        yield* warmPool
        const me = new ResidentActor({ communityId: c, residentId: r })
        const results = yield* Effect.all(
          Array.from({ length: 30 }, () => Effect.exit(Incentives.redeem(me, { communityId: c, residentId: r, itemId: "parking" }))),
          { concurrency: "unbounded" }
        )
        expect(results.filter(Exit.isSuccess)).toHaveLength(10)
        const failures = results.filter(Exit.isFailure).map(failureOf)
        expect(failures).toHaveLength(20)
        for (const f of failures) expect(f).toMatchObject({ _tag: "OutOfStock" })

        const store = yield* Incentives.IncentiveStore
        expect(Option.map(yield* store.getItem(c, "parking"), (i) => i.stock)).toEqual(Option.some(0))
        expect(yield* store.listRedemptions(c, r)).toHaveLength(10)
        expect(yield* balanceOf(c, `inc:r:${r}`)).toBe(160)
        expect(yield* balanceOf(c, Incentives.SINK_ACCOUNT)).toBe(50)
        const sql = yield* SqlClient.SqlClient
        expect(count(yield* sql`
          SELECT count(*) AS n FROM gz_ledger_postings p
          JOIN gz_ledger_transactions t USING (community_id, tx_id)
          WHERE p.community_id = ${c} AND p.account_id = ${`inc:r:${r}`} AND t.kind = 'redeem' AND p.amount = -5`)).toBe(10)
        expect(count(yield* sql`
          SELECT count(*) AS n FROM gz_incentives_redemptions WHERE community_id = ${c} AND item_id = 'parking'`)).toBe(10)
        expect(yield* eventCount(c, "IncentiveRedeemed")).toBe(10)
      }))

    it.effect("parallel replays of one idempotency key award once and all return that award", () =>
      Effect.gen(function* () {
        const { c, residents } = yield* community("replay")
        const [r, other] = [residents[0]!, residents[1]!]
        yield* Incentives.award(admin(c), { communityId: c, residentId: other, points: 1, reason: "setup" })
        yield* warmPool
        const input = { communityId: c, residentId: r, points: 7, reason: "楼道清洁", idempotencyKey: "cleanup-2026-11" }
        const results = yield* Effect.all(
          Array.from({ length: 20 }, () => Effect.exit(Incentives.award(admin(c), input))),
          { concurrency: "unbounded" }
        )
        expect(failureTags(results)).toEqual([])
        const ids = new Set(results.flatMap((e) => (Exit.isSuccess(e) ? [e.value.id] : [])))
        expect(ids.size).toBe(1)
        expect(yield* balanceOf(c, `inc:r:${r}`)).toBe(7)
        const sql = yield* SqlClient.SqlClient
        expect(count(yield* sql`SELECT count(*) AS n FROM gz_incentives_awards WHERE community_id = ${c} AND resident_id = ${r}`)).toBe(1)
      }))
  })
})
