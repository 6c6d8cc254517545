/**
 * Branded identifiers. Every id is an opaque string of 1-64 characters from
 * `[A-Za-z0-9_.:-]`, so integrators can reuse the keys of their own systems.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Random, Schema } from "effect"

const idPattern = /^[A-Za-z0-9_.:-]{1,64}$/

const makeId = <B extends string>(brand: B) =>
  Schema.String.pipe(
    Schema.pattern(idPattern, { message: () => `${brand} must be 1-64 characters of A-Z a-z 0-9 _ . : -` }),
    Schema.brand(brand)
  )

/**
 * A community (社区): the tenant. Every record carries one.
 *
 * @since 0.1.0
 * @category ids
 */
export const CommunityId = makeId("CommunityId")
/** @since 0.1.0 @category ids */
export type CommunityId = typeof CommunityId.Type
/**
 * A building (楼栋).
 *
 * @since 0.1.0
 * @category ids
 */
export const BuildingId = makeId("BuildingId")
/** @since 0.1.0 @category ids */
export type BuildingId = typeof BuildingId.Type
/**
 * A unit (单元): one stairwell of a building.
 *
 * @since 0.1.0
 * @category ids
 */
export const UnitId = makeId("UnitId")
/** @since 0.1.0 @category ids */
export type UnitId = typeof UnitId.Type
/**
 * A household (户): one exclusive part of a building.
 *
 * @since 0.1.0
 * @category ids
 */
export const HouseholdId = makeId("HouseholdId")
/** @since 0.1.0 @category ids */
export type HouseholdId = typeof HouseholdId.Type
/**
 * A resident: owner (业主), tenant or family member.
 *
 * @since 0.1.0
 * @category ids
 */
export const ResidentId = makeId("ResidentId")
/** @since 0.1.0 @category ids */
export type ResidentId = typeof ResidentId.Type
/**
 * A staff member of the residents' committee (居委会), street office (街道) or property manager.
 *
 * @since 0.1.0
 * @category ids
 */
export const StaffId = makeId("StaffId")
/** @since 0.1.0 @category ids */
export type StaffId = typeof StaffId.Type
/**
 * A department that work orders are routed to.
 *
 * @since 0.1.0
 * @category ids
 */
export const DepartmentId = makeId("DepartmentId")
/** @since 0.1.0 @category ids */
export type DepartmentId = typeof DepartmentId.Type
/**
 * A journal event.
 *
 * @since 0.1.0
 * @category ids
 */
export const EventId = makeId("EventId")
/** @since 0.1.0 @category ids */
export type EventId = typeof EventId.Type
/**
 * A ledger account.
 *
 * @since 0.1.0
 * @category ids
 */
export const AccountId = makeId("AccountId")
/** @since 0.1.0 @category ids */
export type AccountId = typeof AccountId.Type
/**
 * A ledger transaction.
 *
 * @since 0.1.0
 * @category ids
 */
export const LedgerTxId = makeId("LedgerTxId")
/** @since 0.1.0 @category ids */
export type LedgerTxId = typeof LedgerTxId.Type

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0")

/**
 * Generates a new id: 12 hex digits of milliseconds from `Clock` and 16 hex
 * digits from `Random`, so ids sort by creation time and a seeded `Random`
 * reproduces them in simulations.
 *
 * @since 0.1.0
 * @category ids
 */
export const newId = (prefix: string): Effect.Effect<string> =>
  Effect.gen(function* () {
    const millis = yield* Clock.currentTimeMillis
    const a = yield* Random.nextIntBetween(0, 0x10000)
    const b = yield* Random.nextIntBetween(0, 0x10000)
    const c = yield* Random.nextIntBetween(0, 0x10000)
    const d = yield* Random.nextIntBetween(0, 0x10000)
    return `${prefix}_${hex(millis, 12)}${hex(a, 4)}${hex(b, 4)}${hex(c, 4)}${hex(d, 4)}`
  })

/**
 * Generates an id with no time in it (28 hex digits from `Random`), for
 * records whose creation time must not be readable from their id (paper
 * ballots of secret votes).
 *
 * @since 0.1.0
 * @category ids
 */
export const newRandomId = (prefix: string): Effect.Effect<string> =>
  Effect.gen(function* () {
    let out = ""
    for (let i = 0; i < 7; i++) out += hex(yield* Random.nextIntBetween(0, 0x10000), 4)
    return `${prefix}_${out}`
  })
