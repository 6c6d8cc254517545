/**
 * The time bank's repository port. Balances live in the kernel's ledger;
 * this store keeps service types, service records with their confirmation
 * and dispute state, and per-resident yearly totals of hours given and received.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { AlreadyExists, Conflict, StoreUnavailable } from "../kernel/errors.js"
import type { CommunityId, ResidentId } from "../kernel/ids.js"
import type { ResidentYearTotals, ServiceId, ServiceRecord, ServiceStatus, ServiceType, TotalsDelta } from "./model.js"

/**
 * Which services {@link TimeBankStore} `listServices` returns. All given
 * fields must match.
 *
 * @since 0.1.0
 * @category ports
 */
export interface ServiceFilter {
  readonly providerId?: ResidentId
  readonly recipientId?: ResidentId
  readonly status?: ServiceStatus
  /** At most this many (the oldest first). */
  readonly limit: number
}

/**
 * The time bank's storage port. Every method takes the community first and
 * never touches another community's records. Records go in and out as plain
 * values; the adapter stores them as given.
 *
 * Semantics an adapter must keep (the conformance suite checks them):
 * - `insertService` fails with `AlreadyExists` when a service with the same
 *   `(communityId, id)` exists, or when `idempotencyKey` is set and another
 *   service of the community has the same key (PostgreSQL: a unique index on
 *   `(community_id, idempotency_key)` where the key is not null).
 * - `updateService` is optimistic: it replaces the stored record only if the
 *   stored `version` is exactly `record.version - 1`; otherwise (or if there
 *   is no stored record) it fails with `Conflict`.
 * - `listServices` returns records ordered by `recordedAt`, then `id`, both ascending.
 * - `upsertServiceType` inserts or replaces the type with key `(communityId, code)`;
 *   `listServiceTypes` orders by `code`.
 * - `addTotals` adds `delta` field by field to the totals of
 *   `(communityId, residentId, year)`, creating them at zero first if missing
 *   (PostgreSQL: `INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x`);
 *   `listTotals` returns a year's totals ordered by `residentId`.
 * - Every write joins the caller's transaction and is undone if it fails.
 *
 * @since 0.1.0
 * @category ports
 */
export class TimeBankStore extends Context.Tag("@gongzhi/core/TimeBankStore")<
  TimeBankStore,
  {
    readonly getServiceType: (
      communityId: CommunityId,
      code: string
    ) => Effect.Effect<Option.Option<ServiceType>, StoreUnavailable>
    readonly upsertServiceType: (type: ServiceType) => Effect.Effect<void, StoreUnavailable>
    readonly listServiceTypes: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<ServiceType>, StoreUnavailable>

    readonly insertService: (record: ServiceRecord) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getService: (
      communityId: CommunityId,
      id: ServiceId
    ) => Effect.Effect<Option.Option<ServiceRecord>, StoreUnavailable>
    readonly findServiceByKey: (
      communityId: CommunityId,
      idempotencyKey: string
    ) => Effect.Effect<Option.Option<ServiceRecord>, StoreUnavailable>
    readonly updateService: (record: ServiceRecord) => Effect.Effect<void, Conflict | StoreUnavailable>
    readonly listServices: (
      communityId: CommunityId,
      filter: ServiceFilter
    ) => Effect.Effect<ReadonlyArray<ServiceRecord>, StoreUnavailable>

    readonly addTotals: (
      communityId: CommunityId,
      residentId: ResidentId,
      year: number,
      delta: TotalsDelta
    ) => Effect.Effect<void, StoreUnavailable>
    readonly getTotals: (
      communityId: CommunityId,
      residentId: ResidentId,
      year: number
    ) => Effect.Effect<Option.Option<ResidentYearTotals>, StoreUnavailable>
    /** The totals of many residents for a year in one read, by resident id; residents without any are left out. */
    readonly getTotalsMany: (
      communityId: CommunityId,
      residentIds: ReadonlyArray<ResidentId>,
      year: number
    ) => Effect.Effect<ReadonlyArray<ResidentYearTotals>, StoreUnavailable>
    readonly listTotals: (
      communityId: CommunityId,
      year: number
    ) => Effect.Effect<ReadonlyArray<ResidentYearTotals>, StoreUnavailable>
  }
>() {}
