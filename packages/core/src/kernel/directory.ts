/**
 * The `Directory` port: who and what a community consists of. Gongzhi only
 * reads it; integrators implement it over their own resident records, or load
 * a {@link DirectorySnapshot} into an adapter.
 *
 * Phone numbers stay inside the directory: they never appear in events, logs
 * or errors, and views show them masked with {@link maskPhone}.
 *
 * @since 0.1.0
 */
import { Context, Effect, Schema } from "effect"
import { Role } from "./actor.js"
import { Locale } from "./errors.js"
import type { NotFound, StoreUnavailable } from "./errors.js"
import { BuildingId, CommunityId, DepartmentId, HouseholdId, ResidentId, StaffId, UnitId } from "./ids.js"
import { AreaDm2 } from "./units.js"

/**
 * A community (社区), the tenant.
 *
 * @since 0.1.0
 * @category directory
 */
export class Community extends Schema.Class<Community>("Community")({
  id: CommunityId,
  name: Schema.NonEmptyTrimmedString,
  /** IANA time zone for every period calculation; default Asia/Shanghai. */
  timeZone: Schema.optionalWith(Schema.String, { default: () => "Asia/Shanghai" })
}) {}

/**
 * A building (楼栋).
 *
 * @since 0.1.0
 * @category directory
 */
export class Building extends Schema.Class<Building>("Building")({
  communityId: CommunityId,
  id: BuildingId,
  name: Schema.NonEmptyTrimmedString,
  floors: Schema.Int.pipe(Schema.between(1, 200)),
  hasElevator: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}

/**
 * A unit (单元): one stairwell of a building.
 *
 * @since 0.1.0
 * @category directory
 */
export class Unit extends Schema.Class<Unit>("Unit")({
  communityId: CommunityId,
  id: UnitId,
  buildingId: BuildingId,
  name: Schema.NonEmptyTrimmedString
}) {}

/**
 * A household (户): one exclusive part with its exclusive area (专有部分面积)
 * and its owners.
 *
 * @since 0.1.0
 * @category directory
 */
export class Household extends Schema.Class<Household>("Household")({
  communityId: CommunityId,
  id: HouseholdId,
  buildingId: BuildingId,
  unitId: UnitId,
  floor: Schema.Int.pipe(Schema.between(-10, 200)),
  /** Door label such as `3-2-501`. */
  label: Schema.NonEmptyTrimmedString,
  exclusiveAreaDm2: AreaDm2,
  ownerIds: Schema.Array(ResidentId)
}) {}

/**
 * How a resident relates to the household they live in.
 *
 * @since 0.1.0
 * @category directory
 */
export const ResidentKind = Schema.Literal("owner", "tenant", "family")
/**
 * @since 0.1.0
 * @category directory
 */
export type ResidentKind = typeof ResidentKind.Type

/**
 * A family link: `relativeId` is the resident's `relation`.
 *
 * @since 0.1.0
 * @category directory
 */
export const FamilyLink = Schema.Struct({
  relativeId: ResidentId,
  relation: Schema.Literal("parent", "child", "spouse", "sibling", "grandparent", "grandchild", "other")
})
/**
 * @since 0.1.0
 * @category directory
 */
export type FamilyLink = typeof FamilyLink.Type

/**
 * A resident.
 *
 * @since 0.1.0
 * @category directory
 */
export class Resident extends Schema.Class<Resident>("Resident")({
  communityId: CommunityId,
  id: ResidentId,
  name: Schema.NonEmptyTrimmedString,
  householdId: Schema.optional(HouseholdId),
  kind: ResidentKind,
  birthYear: Schema.optional(Schema.Int.pipe(Schema.between(1880, 2200))),
  /** Mobile number in E.164 or national form; never leaves the directory unmasked. */
  phone: Schema.optional(Schema.String),
  /** Needs elder-friendly (适老化) channels: paper, phone, door to door. */
  prefersOffline: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** The language messages to this resident use. */
  locale: Schema.optionalWith(Locale, { default: () => "zh-CN" as const }),
  family: Schema.optionalWith(Schema.Array(FamilyLink), { default: () => [] })
}) {}

/**
 * A department (职能部门) that receives work orders.
 *
 * @since 0.1.0
 * @category directory
 */
export class Department extends Schema.Class<Department>("Department")({
  communityId: CommunityId,
  id: DepartmentId,
  name: Schema.NonEmptyTrimmedString
}) {}

/**
 * A staff member with roles and departments.
 *
 * @since 0.1.0
 * @category directory
 */
export class Staff extends Schema.Class<Staff>("Staff")({
  communityId: CommunityId,
  id: StaffId,
  name: Schema.NonEmptyTrimmedString,
  roles: Schema.Array(Role),
  departments: Schema.Array(DepartmentId),
  phone: Schema.optional(Schema.String)
}) {}

/**
 * A whole community's directory at once: what adapters load and the fixture
 * generator produces.
 *
 * @since 0.1.0
 * @category directory
 */
export const DirectorySnapshot = Schema.Struct({
  community: Community,
  buildings: Schema.Array(Building),
  units: Schema.Array(Unit),
  households: Schema.Array(Household),
  residents: Schema.Array(Resident),
  departments: Schema.Array(Department),
  staff: Schema.Array(Staff)
})
/**
 * @since 0.1.0
 * @category directory
 */
export type DirectorySnapshot = typeof DirectorySnapshot.Type

/**
 * Which households to list.
 *
 * @since 0.1.0
 * @category directory
 */
export interface HouseholdFilter {
  readonly buildingId?: BuildingId
  readonly unitId?: UnitId
}

/**
 * The directory port. Every method takes the community first and never
 * returns another community's records.
 *
 * @since 0.1.0
 * @category ports
 */
export class Directory extends Context.Tag("@gongzhi/core/Directory")<
  Directory,
  {
    readonly getCommunity: (communityId: CommunityId) => Effect.Effect<Community, NotFound | StoreUnavailable>
    readonly listBuildings: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<Building>, StoreUnavailable>
    readonly listUnits: (
      communityId: CommunityId,
      buildingId?: BuildingId
    ) => Effect.Effect<ReadonlyArray<Unit>, StoreUnavailable>
    readonly listHouseholds: (
      communityId: CommunityId,
      filter?: HouseholdFilter
    ) => Effect.Effect<ReadonlyArray<Household>, StoreUnavailable>
    readonly getHousehold: (
      communityId: CommunityId,
      householdId: HouseholdId
    ) => Effect.Effect<Household, NotFound | StoreUnavailable>
    readonly listResidents: (
      communityId: CommunityId,
      householdId?: HouseholdId
    ) => Effect.Effect<ReadonlyArray<Resident>, StoreUnavailable>
    readonly getResident: (
      communityId: CommunityId,
      residentId: ResidentId
    ) => Effect.Effect<Resident, NotFound | StoreUnavailable>
    readonly listDepartments: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<Department>, StoreUnavailable>
    readonly listStaff: (
      communityId: CommunityId,
      departmentId?: DepartmentId
    ) => Effect.Effect<ReadonlyArray<Staff>, StoreUnavailable>
    readonly getStaff: (communityId: CommunityId, staffId: StaffId) => Effect.Effect<Staff, NotFound | StoreUnavailable>
  }
>() {}

/**
 * Masks a phone number for display: `13812341234` -> `138****1234`.
 * Anything too short to mask is fully hidden.
 *
 * @since 0.1.0
 * @category privacy
 */
export const maskPhone = (phone: string): string => {
  const digits = phone.replace(/\D/g, "")
  const national = digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits
  if (national.length < 7) return "*".repeat(national.length)
  return `${national.slice(0, 3)}${"*".repeat(national.length - 7)}${national.slice(-4)}`
}

/**
 * A resident as shown to staff and other residents: phone masked.
 *
 * @since 0.1.0
 * @category privacy
 */
export const residentView = (resident: Resident): Resident =>
  resident.phone === undefined ? resident : new Resident({ ...resident, phone: maskPhone(resident.phone) })

/**
 * The residents whose family links point at `residentId`, or whom it links to:
 * links count in both directions.
 *
 * @since 0.1.0
 * @category directory
 */
export const areFamily = (a: Resident, b: Resident): boolean =>
  a.family.some((l) => l.relativeId === b.id) || b.family.some((l) => l.relativeId === a.id)

/**
 * Optional port for adapters that keep the directory themselves: loads
 * (upserts) a whole community. Records missing from the snapshot are kept.
 *
 * @since 0.1.0
 * @category ports
 */
export class DirectoryWriter extends Context.Tag("@gongzhi/core/DirectoryWriter")<
  DirectoryWriter,
  {
    readonly load: (snapshot: DirectorySnapshot) => Effect.Effect<void, StoreUnavailable>
  }
>() {}
