/**
 * The incentive store on PostgreSQL (tables in migration 0004; lots for
 * point expiry and the redemptions' lot draws in migration 0007).
 *
 * Concurrency: every incentive command runs in one transaction and reads
 * before it writes. Inside a transaction the gets lock what they return
 * (`FOR UPDATE`): a resident's profile (and, through an advisory lock on
 * (community, resident), the profile that does not exist yet), their cap
 * counters and period totals, catalogue items, awards and redemptions. Every
 * award first locks its receiver's profile, so the awards of one resident
 * run one after the other and caps hold under concurrency; every redemption
 * first locks its item, so stock never goes below zero and is taken once per
 * redemption. The idempotency lookups take an advisory lock on the key, so a
 * concurrent replay waits for the first request and returns its result.
 * `put*` are upserts. Outside a transaction (queries, a read replica)
 * nothing is locked.
 *
 * @since 0.1.0
 */
import { SqlClient, type Statement } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { AlreadyExists, Incentives, NotFound } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { PgModuleStoreFactory } from "./modules.js"
import { mapSqlError, inTransaction, updateRow } from "./sql.js"

type Row = Record<string, unknown>
type Award = Incentives.Award
type CapCounter = Incentives.CapCounter
type CatalogueItem = Incentives.CatalogueItem
type IncentiveProfile = Incentives.IncentiveProfile
type PeriodTotal = Incentives.PeriodTotal
type PointsLot = Incentives.PointsLot
type Redemption = Incentives.Redemption

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v))
/** `{ [key]: value }` unless the column is NULL (optional fields are absent, not undefined). */
const opt = <K extends string, A>(key: K, v: unknown, f: (v: unknown) => A = (x) => x as A): { [P in K]?: A } =>
  (v === null || v === undefined ? {} : { [key]: f(v) }) as { [P in K]?: A }


const toProfile = (r: Row): IncentiveProfile => ({
  communityId: r.community_id as never,
  residentId: r.resident_id as never,
  accountId: r.account_id as never,
  lifetime: num(r.lifetime),
  level: num(r.level),
  optedOut: r.opted_out as boolean,
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at)
})

const toCounter = (r: Row): CapCounter => ({
  communityId: r.community_id as never,
  residentId: r.resident_id as never,
  scopeKey: r.scope_key as string,
  period: r.period as never,
  window: num(r.window_no),
  used: num(r.used)
})

const toAward = (r: Row): Award => ({
  communityId: r.community_id as never,
  id: r.award_id as string,
  residentId: r.resident_id as never,
  action: r.action as string,
  source: r.source as never,
  status: r.status as never,
  requested: num(r.requested),
  points: num(r.points),
  bonus: num(r.bonus),
  ...(r.cap_scope === null
    ? {}
    : { cap: { scope: r.cap_scope as never, period: r.cap_period as never, limit: num(r.cap_limit), used: num(r.cap_used) } }),
  grantedBy: r.granted_by as string,
  ...opt("giverId", r.giver_id, (v) => v as never),
  ...opt("reason", r.reason, (v) => v as string),
  ...opt("sourceEventId", r.source_event_id, (v) => v as never),
  ...opt("txId", r.tx_id, (v) => v as never),
  ...opt("bonusTxId", r.bonus_tx_id, (v) => v as never),
  ...opt("revocationTxId", r.revocation_tx_id, (v) => v as never),
  ...opt("revocationKey", r.revocation_key, (v) => v as string),
  ...opt("idempotencyKey", r.idempotency_key, (v) => v as string),
  fingerprint: r.fingerprint as string,
  awardedAt: num(r.awarded_at)
})

/** Every column of an award but its key and idempotency key (which never changes). */
const awardColumns = (a: Award) => ({
  resident_id: a.residentId,
  action: a.action,
  source: a.source,
  status: a.status,
  requested: a.requested,
  points: a.points,
  bonus: a.bonus,
  cap_scope: a.cap?.scope ?? null,
  cap_period: a.cap?.period ?? null,
  cap_limit: a.cap?.limit ?? null,
  cap_used: a.cap?.used ?? null,
  granted_by: a.grantedBy,
  giver_id: a.giverId ?? null,
  reason: a.reason ?? null,
  source_event_id: a.sourceEventId ?? null,
  tx_id: a.txId ?? null,
  bonus_tx_id: a.bonusTxId ?? null,
  revocation_tx_id: a.revocationTxId ?? null,
  revocation_key: a.revocationKey ?? null,
  fingerprint: a.fingerprint,
  awarded_at: a.awardedAt
})

const toTotal = (r: Row): PeriodTotal => ({
  communityId: r.community_id as never,
  period: r.period as string,
  residentId: r.resident_id as never,
  points: num(r.points),
  reachedAt: num(r.reached_at)
})

const toItem = (r: Row): CatalogueItem => ({
  communityId: r.community_id as never,
  id: r.item_id as string,
  kind: r.kind as never,
  name: r.name as string,
  cost: num(r.cost),
  ...opt("stock", r.stock, num),
  ...(r.limit_count === null ? {} : { limit: { count: num(r.limit_count), period: r.limit_period as never } }),
  ...opt("value", r.value, num),
  active: r.active as boolean,
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at)
})

const itemColumns = (i: CatalogueItem) => ({
  kind: i.kind,
  name: i.name,
  cost: i.cost,
  stock: i.stock ?? null,
  limit_count: i.limit?.count ?? null,
  limit_period: i.limit?.period ?? null,
  value: i.value ?? null,
  active: i.active,
  created_at: i.createdAt,
  updated_at: i.updatedAt
})

const toRedemption = (r: Row): Redemption => ({
  communityId: r.community_id as never,
  id: r.redemption_id as string,
  residentId: r.resident_id as never,
  itemId: r.item_id as string,
  quantity: num(r.quantity),
  points: num(r.points),
  status: r.status as never,
  limitWindow: num(r.limit_window),
  txId: r.tx_id as never,
  ...opt("refundTxId", r.refund_tx_id, (v) => v as never),
  ...opt("reason", r.reason, (v) => v as string),
  ...opt("idempotencyKey", r.idempotency_key, (v) => v as string),
  fingerprint: r.fingerprint as string,
  ...opt("draws", r.lot_draws, (v) =>
    (v as ReadonlyArray<{ lotId: string; points: unknown }>).map((d) => ({ lotId: d.lotId, points: num(d.points) }))),
  redeemedAt: num(r.redeemed_at),
  ...opt("closedAt", r.closed_at, num)
})

/** Every column of a redemption but its key and idempotency key (which never changes). */
const redemptionColumns = (r: Redemption) => ({
  resident_id: r.residentId,
  item_id: r.itemId,
  quantity: r.quantity,
  points: r.points,
  status: r.status,
  limit_window: r.limitWindow,
  tx_id: r.txId,
  refund_tx_id: r.refundTxId ?? null,
  reason: r.reason ?? null,
  fingerprint: r.fingerprint,
  redeemed_at: r.redeemedAt,
  closed_at: r.closedAt ?? null
})

const toLot = (r: Row): PointsLot => ({
  communityId: r.community_id as never,
  id: r.lot_id as string,
  residentId: r.resident_id as never,
  awardId: r.award_id as string,
  kind: r.kind as never,
  amount: num(r.amount),
  remaining: num(r.remaining),
  awardedAt: num(r.awarded_at),
  expiresAt: num(r.expires_at)
})

/**
 * The incentive store over the adapter's `PgClient`.
 *
 * @since 0.1.0
 * @category stores
 */
export const makeIncentiveStore: PgModuleStoreFactory<Incentives.IncentiveStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  /** `FOR UPDATE` inside a transaction, nothing outside (reads on a replica stay possible). */
  const lockClause = Effect.map(inTransaction, (inside): Statement.Fragment => (inside ? sql`FOR UPDATE` : sql``))

  const first = <A>(rows: ReadonlyArray<Row>, f: (r: Row) => A): Option.Option<A> =>
    Option.map(Option.fromNullable(rows[0]), f)

  /**
   * Inserts with `ON CONFLICT DO NOTHING` (a duplicate leaves the caller's
   * transaction usable) and tells a taken id from a taken idempotency key.
   */
  const insertUnique = (
    operation: string,
    insert: Statement.Statement<Row>,
    idTaken: Statement.Statement<Row>,
    onId: () => AlreadyExists,
    onKey: () => AlreadyExists
  ) =>
    Effect.gen(function* () {
      const inserted = yield* insert
      if (inserted.length === 1) return
      const [byId] = yield* idTaken
      return yield* Effect.fail(byId === undefined ? onKey() : onId())
    }).pipe(mapSqlError(operation))

  return Context.make(
    Incentives.IncentiveStore,
    Incentives.IncentiveStore.of({
      getProfile: (c, r) =>
        Effect.gen(function* () {
          const rows = (yield* inTransaction)
            ? yield* sql`SELECT * FROM gz_incentives_profile_for_update(${c}, ${r})`
            : yield* sql`SELECT * FROM gz_incentives_profiles WHERE community_id = ${c} AND resident_id = ${r}`
          return first(rows, toProfile)
        }).pipe(mapSqlError("incentives.getProfile")),

      putProfile: (p) =>
        sql`
          INSERT INTO gz_incentives_profiles ${sql.insert({
            community_id: p.communityId,
            resident_id: p.residentId,
            account_id: p.accountId,
            lifetime: p.lifetime,
            level: p.level,
            opted_out: p.optedOut,
            created_at: p.createdAt,
            updated_at: p.updatedAt
          })}
          ON CONFLICT (community_id, resident_id) DO UPDATE SET
            account_id = excluded.account_id, lifetime = excluded.lifetime, level = excluded.level,
            opted_out = excluded.opted_out, created_at = excluded.created_at, updated_at = excluded.updated_at`.pipe(
          mapSqlError("incentives.putProfile"),
          Effect.asVoid
        ),

      getProfiles: (c, residentIds) =>
        residentIds.length === 0
          ? Effect.succeed([])
          : sql`SELECT * FROM gz_incentives_profiles WHERE community_id = ${c}
              AND resident_id = ANY(${[...new Set(residentIds)]}::text[]) ORDER BY resident_id COLLATE "C"`.pipe(
              mapSqlError("incentives.getProfiles"),
              Effect.map((rows) => rows.map(toProfile))
            ),
      listProfiles: (c) =>
        sql`SELECT * FROM gz_incentives_profiles WHERE community_id = ${c} ORDER BY resident_id`.pipe(
          mapSqlError("incentives.listProfiles"),
          Effect.map((rows) => rows.map(toProfile))
        ),

      getCounters: (c, r, scopeKeys) =>
        scopeKeys.length === 0
          ? Effect.succeed([])
          : Effect.flatMap(lockClause, (lock) =>
            sql`
              SELECT * FROM gz_incentives_counters
              WHERE community_id = ${c} AND resident_id = ${r} AND scope_key = ANY(${[...scopeKeys]}::text[])
              ORDER BY scope_key, array_position(ARRAY['day', 'week', 'month'], period)
              ${lock}`
          ).pipe(
            mapSqlError("incentives.getCounters"),
            Effect.map((rows) => rows.map(toCounter))
          ),

      putCounter: (x) =>
        sql`
          INSERT INTO gz_incentives_counters ${sql.insert({
            community_id: x.communityId,
            resident_id: x.residentId,
            scope_key: x.scopeKey,
            period: x.period,
            window_no: x.window,
            used: x.used
          })}
          ON CONFLICT (community_id, resident_id, scope_key, period) DO UPDATE SET
            window_no = excluded.window_no, used = excluded.used`.pipe(
          mapSqlError("incentives.putCounter"),
          Effect.asVoid
        ),

      insertAward: (a) =>
        insertUnique(
          "incentives.insertAward",
          sql`
            INSERT INTO gz_incentives_awards ${sql.insert({
              community_id: a.communityId,
              award_id: a.id,
              ...awardColumns(a),
              idempotency_key: a.idempotencyKey ?? null
            })}
            ON CONFLICT DO NOTHING
            RETURNING award_id`,
          sql`SELECT 1 FROM gz_incentives_awards WHERE community_id = ${a.communityId} AND award_id = ${a.id}`,
          () => new AlreadyExists({ entity: "Award", id: a.id }),
          () => new AlreadyExists({ entity: "Award idempotency key", id: a.idempotencyKey ?? a.id })
        ),

      updateAward: (a) =>
        updateRow(sql, "incentives.updateAward", "gz_incentives_awards", ["community_id", "award_id"], {
          community_id: a.communityId,
          award_id: a.id,
          ...awardColumns(a)
        }, () => new NotFound({ entity: "Award", id: a.id })),

      getAward: (c, id) =>
        Effect.flatMap(lockClause, (lock) =>
          sql`SELECT * FROM gz_incentives_awards WHERE community_id = ${c} AND award_id = ${id} ${lock}`
        ).pipe(
          mapSqlError("incentives.getAward"),
          Effect.map((rows) => first(rows, toAward))
        ),

      findAwardByKey: (c, key) =>
        Effect.gen(function* () {
          const rows = (yield* inTransaction)
            ? yield* sql`SELECT * FROM gz_incentives_award_by_key(${c}, ${key})`
            : yield* sql`SELECT * FROM gz_incentives_awards WHERE community_id = ${c} AND idempotency_key = ${key}`
          return first(rows, toAward)
        }).pipe(mapSqlError("incentives.findAwardByKey")),

      listAwards: (c, r, limit) =>
        sql`
          SELECT * FROM gz_incentives_awards
          WHERE community_id = ${c} AND resident_id = ${r}
          ORDER BY awarded_at, seq
          LIMIT ${Math.max(0, Math.floor(limit))}`.pipe(
          mapSqlError("incentives.listAwards"),
          Effect.map((rows) => rows.map(toAward))
        ),

      getPeriodTotal: (c, period, r) =>
        Effect.flatMap(lockClause, (lock) =>
          sql`
            SELECT * FROM gz_incentives_period_totals
            WHERE community_id = ${c} AND period = ${period} AND resident_id = ${r} ${lock}`
        ).pipe(
          mapSqlError("incentives.getPeriodTotal"),
          Effect.map((rows) => first(rows, toTotal))
        ),

      putPeriodTotal: (t) =>
        sql`
          INSERT INTO gz_incentives_period_totals ${sql.insert({
            community_id: t.communityId,
            period: t.period,
            resident_id: t.residentId,
            points: t.points,
            reached_at: t.reachedAt
          })}
          ON CONFLICT (community_id, period, resident_id) DO UPDATE SET
            points = excluded.points, reached_at = excluded.reached_at`.pipe(
          mapSqlError("incentives.putPeriodTotal"),
          Effect.asVoid
        ),

      listPeriodTotals: (c, period) =>
        sql`
          SELECT * FROM gz_incentives_period_totals
          WHERE community_id = ${c} AND period = ${period}
          ORDER BY resident_id`.pipe(
          mapSqlError("incentives.listPeriodTotals"),
          Effect.map((rows) => rows.map(toTotal))
        ),

      insertItem: (i) =>
        sql`
          INSERT INTO gz_incentives_items ${sql.insert({ community_id: i.communityId, item_id: i.id, ...itemColumns(i) })}
          ON CONFLICT (community_id, item_id) DO NOTHING
          RETURNING item_id`.pipe(
          mapSqlError("incentives.insertItem"),
          Effect.flatMap((rows) =>
            rows.length === 1 ? Effect.void : Effect.fail(new AlreadyExists({ entity: "CatalogueItem", id: i.id }))
          )
        ),

      updateItem: (i) =>
        updateRow(sql, "incentives.updateItem", "gz_incentives_items", ["community_id", "item_id"], {
          community_id: i.communityId,
          item_id: i.id,
          ...itemColumns(i)
        }, () => new NotFound({ entity: "CatalogueItem", id: i.id })),

      getItem: (c, id) =>
        Effect.flatMap(lockClause, (lock) =>
          sql`SELECT * FROM gz_incentives_items WHERE community_id = ${c} AND item_id = ${id} ${lock}`
        ).pipe(
          mapSqlError("incentives.getItem"),
          Effect.map((rows) => first(rows, toItem))
        ),

      listItems: (c) =>
        sql`SELECT * FROM gz_incentives_items WHERE community_id = ${c} ORDER BY item_id`.pipe(
          mapSqlError("incentives.listItems"),
          Effect.map((rows) => rows.map(toItem))
        ),

      insertRedemption: (r) =>
        insertUnique(
          "incentives.insertRedemption",
          sql`
            INSERT INTO gz_incentives_redemptions ${sql.insert({
              community_id: r.communityId,
              redemption_id: r.id,
              ...redemptionColumns(r),
              idempotency_key: r.idempotencyKey ?? null,
              lot_draws: r.draws === undefined || r.draws.length === 0 ? null : JSON.stringify(r.draws.map((d) => ({ lotId: d.lotId, points: d.points })))
            })}
            ON CONFLICT DO NOTHING
            RETURNING redemption_id`,
          sql`SELECT 1 FROM gz_incentives_redemptions WHERE community_id = ${r.communityId} AND redemption_id = ${r.id}`,
          () => new AlreadyExists({ entity: "Redemption", id: r.id }),
          () => new AlreadyExists({ entity: "Redemption idempotency key", id: r.idempotencyKey ?? r.id })
        ),

      updateRedemption: (r) =>
        updateRow(sql, "incentives.updateRedemption", "gz_incentives_redemptions", ["community_id", "redemption_id"], {
          community_id: r.communityId,
          redemption_id: r.id,
          ...redemptionColumns(r)
        }, () => new NotFound({ entity: "Redemption", id: r.id })),

      getRedemption: (c, id) =>
        Effect.flatMap(lockClause, (lock) =>
          sql`SELECT * FROM gz_incentives_redemptions WHERE community_id = ${c} AND redemption_id = ${id} ${lock}`
        ).pipe(
          mapSqlError("incentives.getRedemption"),
          Effect.map((rows) => first(rows, toRedemption))
        ),

      findRedemptionByKey: (c, key) =>
        Effect.gen(function* () {
          const rows = (yield* inTransaction)
            ? yield* sql`SELECT * FROM gz_incentives_redemption_by_key(${c}, ${key})`
            : yield* sql`SELECT * FROM gz_incentives_redemptions WHERE community_id = ${c} AND idempotency_key = ${key}`
          return first(rows, toRedemption)
        }).pipe(mapSqlError("incentives.findRedemptionByKey")),

      listRedemptions: (c, r, itemId) =>
        sql`
          SELECT * FROM gz_incentives_redemptions
          WHERE community_id = ${c} AND resident_id = ${r}
            ${itemId === undefined ? sql`` : sql`AND item_id = ${itemId}`}
          ORDER BY redeemed_at, seq`.pipe(
          mapSqlError("incentives.listRedemptions"),
          Effect.map((rows) => rows.map(toRedemption))
        ),

      insertLot: (l) =>
        sql`
          INSERT INTO gz_incentives_lots ${sql.insert({
            community_id: l.communityId,
            lot_id: l.id,
            resident_id: l.residentId,
            award_id: l.awardId,
            kind: l.kind,
            amount: l.amount,
            remaining: l.remaining,
            awarded_at: l.awardedAt,
            expires_at: l.expiresAt
          })}
          ON CONFLICT (community_id, lot_id) DO NOTHING
          RETURNING lot_id`.pipe(
          mapSqlError("incentives.insertLot"),
          Effect.flatMap((rows) =>
            rows.length === 1 ? Effect.void : Effect.fail(new AlreadyExists({ entity: "PointsLot", id: l.id }))
          )
        ),

      updateLot: (l) =>
        updateRow(sql, "incentives.updateLot", "gz_incentives_lots", ["community_id", "lot_id"], {
          community_id: l.communityId,
          lot_id: l.id,
          resident_id: l.residentId,
          award_id: l.awardId,
          kind: l.kind,
          amount: l.amount,
          remaining: l.remaining,
          awarded_at: l.awardedAt,
          expires_at: l.expiresAt
        }, () => new NotFound({ entity: "PointsLot", id: l.id })),

      getLot: (c, id) =>
        Effect.flatMap(lockClause, (lock) =>
          sql`SELECT * FROM gz_incentives_lots WHERE community_id = ${c} AND lot_id = ${id} ${lock}`
        ).pipe(
          mapSqlError("incentives.getLot"),
          Effect.map((rows) => first(rows, toLot))
        ),

      listLots: (c, r, unexpiredAt) =>
        Effect.flatMap(lockClause, (lock) =>
          sql`
            SELECT * FROM gz_incentives_lots
            WHERE community_id = ${c} AND resident_id = ${r} AND remaining > 0
              ${unexpiredAt === undefined ? sql`` : sql`AND expires_at > ${unexpiredAt}`}
            ORDER BY awarded_at, lot_id
            ${lock}`
        ).pipe(
          mapSqlError("incentives.listLots"),
          Effect.map((rows) => rows.map(toLot))
        ),

      listDueLots: (c, at, limit) =>
        Effect.flatMap(lockClause, (lock) =>
          sql`
            SELECT * FROM gz_incentives_lots
            WHERE community_id = ${c} AND remaining > 0 AND expires_at <= ${at}
            ORDER BY expires_at, lot_id
            LIMIT ${Math.max(0, Math.floor(limit))}
            ${lock}`
        ).pipe(
          mapSqlError("incentives.listDueLots"),
          Effect.map((rows) => rows.map(toLot))
        )
    })
  )
})
