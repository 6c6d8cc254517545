/**
 * The spaces module's store in memory: every entity through
 * `memoryEntityTable`; `reserve` checks overlaps and inserts in one step of
 * the serialised transaction, so two bookings holding one slot never both
 * succeed.
 *
 * @since 0.2.0
 */
import { Spaces } from "@gongzhi/core"
import { Context, Effect } from "effect"
import { memoryEntityTable } from "./entity.js"
import type { ModuleStoreFactory } from "./modules.js"

const holds = (b: Spaces.Booking) => Spaces.holdingStatuses.includes(b.status)

/**
 * The memory adapter's `SpacesStore`.
 *
 * @since 0.2.0
 * @category stores
 */
export const makeSpacesStore: ModuleStoreFactory<Spaces.SpacesStore> = (db, run) => {
  const table = memoryEntityTable(db, run, Spaces.BookingEntity)
  // A secondary index by household (key -> the booking's key), kept by insert; a booking's household never changes.
  const BY_HOUSEHOLD = `${Spaces.BookingEntity.table}\u0000by-household`
  const SEP = "\u0000"
  const bookings: typeof table = {
    ...table,
    insert: (b) =>
      Effect.tap(table.insert(b), () =>
        run(Effect.sync(() =>
          db.set(BY_HOUSEHOLD, [b.communityId, b.householdId, b.spaceId, b.id].join(SEP), Spaces.BookingEntity.keyOf(b))
        )))
  }
  const overlapping = (communityId: Spaces.Booking["communityId"], spaceId: Spaces.SpaceId, from: number, to: number) =>
    Effect.map(bookings.list({ communityId, spaceId }), (list) =>
      list.filter((b) => holds(b) && b.startsAt < to && from < b.endsAt))
  return Context.make(
    Spaces.SpacesStore,
    Spaces.SpacesStore.of({
      spaces: memoryEntityTable(db, run, Spaces.SpaceEntity),
      closures: memoryEntityTable(db, run, Spaces.ClosureEntity),
      bookings,
      rounds: memoryEntityTable(db, run, Spaces.RoundEntity),
      applications: memoryEntityTable(db, run, Spaces.ApplicationEntity),
      adoptions: memoryEntityTable(db, run, Spaces.AdoptionEntity),
      occupations: memoryEntityTable(db, run, Spaces.OccupationEntity),
      reserve: (booking) =>
        run(
          Effect.gen(function* () {
            if (holds(booking)) {
              const clash = yield* overlapping(booking.communityId, booking.spaceId, booking.startsAt, booking.endsAt)
              if (clash.length > 0) {
                return yield* Effect.fail(
                  new Spaces.SlotTaken({ spaceId: booking.spaceId, startsAt: clash[0]!.startsAt, endsAt: clash[0]!.endsAt, by: "booking" })
                )
              }
            }
            yield* bookings.insert(booking)
          })
        ),
      overlapping,
      householdBookings: (communityId, householdId, since) =>
        run(Effect.sync(() =>
          db.values<string>(BY_HOUSEHOLD, [communityId, householdId, ""].join(SEP))
            .map((k) => db.get<Spaces.Booking>(Spaces.BookingEntity.table, k)!)
            .filter((b) => b !== undefined && b.startsAt >= since)
            .sort((a, b) => a.startsAt - b.startsAt || (a.spaceId < b.spaceId ? -1 : a.spaceId > b.spaceId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        )),
      lockHousehold: () => Effect.void
    })
  )
}
