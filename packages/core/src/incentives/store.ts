/**
 * The incentive module's storage port: what the ledger does not hold.
 *
 * Conventions every adapter follows (the conformance suite checks them):
 *
 * - every method takes the community first (records carry it too) and never
 *   returns another community's records;
 * - lookups return `Option`; lists are ordered as documented per method;
 * - `insert*` fails with `AlreadyExists` when the id (or the idempotency key,
 *   where there is one) is taken in that community; `update*` replaces a
 *   whole record and fails with `NotFound` when it does not exist; `put*`
 *   inserts or replaces (upsert) by the record's natural key;
 * - commands call these inside `Transaction.run`: a read-modify-write of one
 *   command must not interleave with another's. The memory adapter
 *   serialises transactions; PostgreSQL locks the rows a `get*` returns
 *   inside a transaction (`SELECT ... FOR UPDATE`), or runs SERIALIZABLE and
 *   fails with `Conflict` so the command can be retried.
 *
 * Table sketch (PostgreSQL): `incentive_profiles (community_id, resident_id)`,
 * `incentive_counters (community_id, resident_id, scope_key, period)`,
 * `incentive_awards (community_id, id)` + unique `(community_id,
 * idempotency_key)` + index `(community_id, resident_id, awarded_at)`,
 * `incentive_period_totals (community_id, period, resident_id)`,
 * `incentive_items (community_id, id)`, `incentive_redemptions (community_id,
 * id)` + unique `(community_id, idempotency_key)` + index `(community_id,
 * resident_id, redeemed_at)`, `incentive_lots (community_id, id)` + index
 * `(community_id, resident_id, awarded_at, id)` + index `(community_id,
 * expires_at, id)` (both only over lots with points left).
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { AlreadyExists, NotFound, StoreUnavailable } from "../kernel/errors.js"
import type { CommunityId, ResidentId } from "../kernel/ids.js"
import type { Award, CapCounter, CatalogueItem, IncentiveProfile, PeriodTotal, PointsLot, Redemption } from "./model.js"

/**
 * The incentive store port.
 *
 * @since 0.1.0
 * @category ports
 */
export class IncentiveStore extends Context.Tag("@gongzhi/core/IncentiveStore")<
  IncentiveStore,
  {
    /** A resident's profile. */
    readonly getProfile: (
      communityId: CommunityId,
      residentId: ResidentId
    ) => Effect.Effect<Option.Option<IncentiveProfile>, StoreUnavailable>
    /** Inserts or replaces a profile by (communityId, residentId). */
    readonly putProfile: (profile: IncentiveProfile) => Effect.Effect<void, StoreUnavailable>
    /** The profiles of many residents in one read (no lock), by resident id; residents without one are left out. */
    readonly getProfiles: (
      communityId: CommunityId,
      residentIds: ReadonlyArray<ResidentId>
    ) => Effect.Effect<ReadonlyArray<IncentiveProfile>, StoreUnavailable>
    /** Every profile of the community, by resident id. */
    readonly listProfiles: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<IncentiveProfile>, StoreUnavailable>

    /** A resident's cap counters of the given scope keys (every period of each), ordered by scopeKey, then period as day, week, month. */
    readonly getCounters: (
      communityId: CommunityId,
      residentId: ResidentId,
      scopeKeys: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyArray<CapCounter>, StoreUnavailable>
    /** Inserts or replaces a counter by (communityId, residentId, scopeKey, period). */
    readonly putCounter: (counter: CapCounter) => Effect.Effect<void, StoreUnavailable>

    /** Inserts an award; `AlreadyExists` if its id or idempotency key is taken. */
    readonly insertAward: (award: Award) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    /** Replaces an award (same id); `NotFound` if missing. The idempotency key never changes. */
    readonly updateAward: (award: Award) => Effect.Effect<void, NotFound | StoreUnavailable>
    readonly getAward: (communityId: CommunityId, id: string) => Effect.Effect<Option.Option<Award>, StoreUnavailable>
    readonly findAwardByKey: (
      communityId: CommunityId,
      idempotencyKey: string
    ) => Effect.Effect<Option.Option<Award>, StoreUnavailable>
    /** A resident's awards (capped and revoked included), oldest first (awardedAt, then insertion order), at most `limit`. */
    readonly listAwards: (
      communityId: CommunityId,
      residentId: ResidentId,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Award>, StoreUnavailable>

    /** A resident's total in a leaderboard period (`month:2026-11`, `year:2026`). */
    readonly getPeriodTotal: (
      communityId: CommunityId,
      period: string,
      residentId: ResidentId
    ) => Effect.Effect<Option.Option<PeriodTotal>, StoreUnavailable>
    /** Inserts or replaces a total by (communityId, period, residentId). */
    readonly putPeriodTotal: (total: PeriodTotal) => Effect.Effect<void, StoreUnavailable>
    /** Every total of a period, by resident id (ranking is done by the core). */
    readonly listPeriodTotals: (
      communityId: CommunityId,
      period: string
    ) => Effect.Effect<ReadonlyArray<PeriodTotal>, StoreUnavailable>

    /** Inserts a catalogue item; `AlreadyExists` if its id is taken. */
    readonly insertItem: (item: CatalogueItem) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    /** Replaces an item (same id); `NotFound` if missing. */
    readonly updateItem: (item: CatalogueItem) => Effect.Effect<void, NotFound | StoreUnavailable>
    readonly getItem: (communityId: CommunityId, id: string) => Effect.Effect<Option.Option<CatalogueItem>, StoreUnavailable>
    /** Every item, inactive ones included, by id. */
    readonly listItems: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<CatalogueItem>, StoreUnavailable>

    /** Inserts a redemption; `AlreadyExists` if its id or idempotency key is taken. */
    readonly insertRedemption: (redemption: Redemption) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    /** Replaces a redemption (same id); `NotFound` if missing. */
    readonly updateRedemption: (redemption: Redemption) => Effect.Effect<void, NotFound | StoreUnavailable>
    readonly getRedemption: (
      communityId: CommunityId,
      id: string
    ) => Effect.Effect<Option.Option<Redemption>, StoreUnavailable>
    readonly findRedemptionByKey: (
      communityId: CommunityId,
      idempotencyKey: string
    ) => Effect.Effect<Option.Option<Redemption>, StoreUnavailable>
    /** A resident's redemptions (every status), optionally of one item, oldest first (redeemedAt, then insertion order). */
    readonly listRedemptions: (
      communityId: CommunityId,
      residentId: ResidentId,
      itemId?: string
    ) => Effect.Effect<ReadonlyArray<Redemption>, StoreUnavailable>

    /** Inserts a lot (expiry on); `AlreadyExists` if its id is taken in the community. */
    readonly insertLot: (lot: PointsLot) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    /**
     * Replaces a lot (same id); `NotFound` if missing. Only `remaining`
     * changes in practice; it stays within `0..amount` (PostgreSQL refuses
     * anything else, as it refuses changing any other field).
     */
    readonly updateLot: (lot: PointsLot) => Effect.Effect<void, NotFound | StoreUnavailable>
    /** A lot by id (for update inside a transaction). */
    readonly getLot: (communityId: CommunityId, id: string) => Effect.Effect<Option.Option<PointsLot>, StoreUnavailable>
    /**
     * A resident's lots with points left (`remaining > 0`), in spending
     * order: `awardedAt` ascending, then id (code point order). With
     * `unexpiredAt`, only the lots not yet expired then (`expiresAt >
     * unexpiredAt`); without it, expired ones too. Locked for update inside
     * a transaction.
     */
    readonly listLots: (
      communityId: CommunityId,
      residentId: ResidentId,
      unexpiredAt?: number
    ) => Effect.Effect<ReadonlyArray<PointsLot>, StoreUnavailable>
    /**
     * The community's lots due at `at` (`expiresAt <= at`) with points left,
     * every resident's, ordered by `expiresAt`, then id, at most `limit`.
     * Locked for update inside a transaction.
     */
    readonly listDueLots: (
      communityId: CommunityId,
      at: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<PointsLot>, StoreUnavailable>
  }
>() {}
