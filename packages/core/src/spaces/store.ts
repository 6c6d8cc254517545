/**
 * The spaces module's repository port: one derived table per entity plus the
 * guarantee no entity table can give, that two bookings of one space holding
 * their slot never overlap.
 *
 * @since 0.2.0
 */
import { Context, type Effect } from "effect"
import type { EntityTable } from "../kernel/entity.js"
import type { AlreadyExists, StoreUnavailable } from "../kernel/errors.js"
import type { CommunityId } from "../kernel/ids.js"
import type { SlotTaken } from "./errors.js"
import type { Adoption, Application, Booking, Closure, OccupationCase, Round, Space, SpaceId } from "./model.js"

/**
 * The spaces module's storage port. Every method takes the community first
 * and never touches another community's records; every write joins the
 * caller's transaction.
 *
 * Semantics an adapter must keep (the conformance suite checks them):
 * - the entity tables behave as `EntityTable` says;
 * - `reserve` inserts a booking unless another booking of the same space
 *   whose status holds a slot (`pending`, `confirmed`, `no-show`) overlaps
 *   `[startsAt, endsAt)`: then `SlotTaken`, also under concurrency (the
 *   memory store serialises transactions; PostgreSQL has an exclusion
 *   constraint on `int8range(starts_at, ends_at)` per space);
 *   bookings are inserted only through `reserve`;
 * - `overlapping` lists the bookings of a space holding their slot that
 *   overlap `[from, to)`, by start;
 * - `householdBookings` lists a household's bookings (any status) starting
 *   at or after `since`, by start then space and id;
 * - `lockHousehold` serialises, until the transaction ends, the callers
 *   working on one household's quotas (PostgreSQL: a transaction-scoped
 *   advisory lock; memory: nothing to do).
 *
 * @since 0.2.0
 * @category ports
 */
export class SpacesStore extends Context.Tag("@gongzhi/core/SpacesStore")<
  SpacesStore,
  {
    readonly spaces: EntityTable<Space, "id">
    readonly closures: EntityTable<Closure, "spaceId" | "id">
    readonly bookings: EntityTable<Booking, "spaceId" | "id">
    readonly rounds: EntityTable<Round, "id">
    readonly applications: EntityTable<Application, "roundId" | "householdId">
    readonly adoptions: EntityTable<Adoption, "id">
    readonly occupations: EntityTable<OccupationCase, "id">
    readonly reserve: (booking: Booking) => Effect.Effect<void, SlotTaken | AlreadyExists | StoreUnavailable>
    readonly overlapping: (
      communityId: CommunityId,
      spaceId: SpaceId,
      from: number,
      to: number
    ) => Effect.Effect<ReadonlyArray<Booking>, StoreUnavailable>
    readonly householdBookings: (
      communityId: CommunityId,
      householdId: string,
      since: number
    ) => Effect.Effect<ReadonlyArray<Booking>, StoreUnavailable>
    readonly lockHousehold: (communityId: CommunityId, householdId: string) => Effect.Effect<void, StoreUnavailable>
  }
>() {}
