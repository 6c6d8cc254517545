/**
 * The spaces module's store on PostgreSQL (tables in migration 0013): every
 * entity through `pgEntityTable`. `reserve` is a plain INSERT guarded by the
 * exclusion constraint `gz_spaces_bookings_no_overlap`: a concurrent second
 * booking of an overlapping slot waits for the first transaction and fails
 * with 23P01 once it commits, reported as `SlotTaken`. `lockHousehold` takes
 * a transaction-scoped advisory lock, so quota checks of one household run
 * one after the other (READ COMMITTED re-reads committed bookings after it).
 *
 * @since 0.2.0
 */
import { PgClient } from "@effect/sql-pg"
import { AlreadyExists, decodeEntityRow, encodeEntityRow, Spaces } from "@gongzhi/core"
import { Context, Effect } from "effect"
import { pgEntityTable } from "./entity.js"
import type { PgModuleStoreFactory } from "./modules.js"
import { findPgError, isSqlError, SqlState } from "./pg-errors.js"
import { mapSqlError } from "./sql.js"

/**
 * The PostgreSQL adapter's `SpacesStore`.
 *
 * @since 0.2.0
 * @category stores
 */
export const makeSpacesStore: PgModuleStoreFactory<Spaces.SpacesStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const bookings = pgEntityTable(sql, Spaces.BookingEntity)
  const encodeBooking = encodeEntityRow(Spaces.BookingEntity)
  const decodeBooking = decodeEntityRow(Spaces.BookingEntity)
  return Context.make(
    Spaces.SpacesStore,
    Spaces.SpacesStore.of({
      spaces: pgEntityTable(sql, Spaces.SpaceEntity),
      closures: pgEntityTable(sql, Spaces.ClosureEntity),
      bookings,
      rounds: pgEntityTable(sql, Spaces.RoundEntity),
      applications: pgEntityTable(sql, Spaces.ApplicationEntity),
      adoptions: pgEntityTable(sql, Spaces.AdoptionEntity),
      occupations: pgEntityTable(sql, Spaces.OccupationEntity),
      reserve: (booking) =>
        sql`INSERT INTO gz_spaces_bookings ${sql.insert(encodeBooking(booking))}`.pipe(
          Effect.catchIf(
            (e) => isSqlError(e) && findPgError(e)?.code === SqlState.exclusionViolation,
            () => Effect.fail(new Spaces.SlotTaken({ spaceId: booking.spaceId, startsAt: booking.startsAt, endsAt: booking.endsAt, by: "booking" }))
          ),
          Effect.catchIf(
            (e) => isSqlError(e) && findPgError(e)?.code === SqlState.uniqueViolation,
            (e) => Effect.fail(new AlreadyExists({ entity: "SpaceBooking", id: findPgError(e)?.constraint ?? booking.id }))
          ),
          mapSqlError("SpaceBooking.reserve"),
          Effect.asVoid
        ),
      overlapping: (communityId, spaceId, from, to) =>
        Effect.map(
          sql`SELECT * FROM gz_spaces_bookings
              WHERE community_id = ${communityId} AND space_id = ${spaceId}
                AND status IN ('pending', 'confirmed', 'no-show')
                AND int8range(starts_at, ends_at) && int8range(${from}, ${to})
              ORDER BY starts_at, id`.pipe(mapSqlError("SpaceBooking.overlapping")),
          (rows) => rows.map(decodeBooking)
        ),
      householdBookings: (communityId, householdId, since) =>
        Effect.map(
          sql`SELECT * FROM gz_spaces_bookings
              WHERE community_id = ${communityId} AND household_id = ${householdId} AND starts_at >= ${since}
              ORDER BY starts_at, space_id, id`.pipe(mapSqlError("SpaceBooking.householdBookings")),
          (rows) => rows.map(decodeBooking)
        ),
      lockHousehold: (communityId, householdId) =>
        sql`SELECT pg_advisory_xact_lock(hashtextextended(${`spaces-household:${communityId}:${householdId}`}, 0))`.pipe(
          mapSqlError("SpaceBooking.lockHousehold"),
          Effect.asVoid
        )
    })
  )
})
