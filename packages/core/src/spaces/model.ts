/**
 * The spaces module's (公共空间) records, command inputs, views and
 * configuration: the inventory of common spaces, time-sliced bookings,
 * adoption rounds with their verifiable lottery, adoptions, and occupation
 * cases.
 *
 * Times are epoch milliseconds; money is integer fen; areas integer square
 * decimetres. Every stored record is declared once with `defineEntity`.
 *
 * @since 0.2.0
 */
import { Context, Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { defineEntity } from "../kernel/entity.js"
import { CommunityId, HouseholdId, LedgerTxId, ResidentId } from "../kernel/ids.js"

const Millis = Schema.Int.pipe(Schema.between(0, 8_640_000_000_000_000))
const Count = Schema.Int.pipe(Schema.between(0, 1_000_000_000))
const FenAmount = Schema.Int.pipe(Schema.between(0, 1_000_000_000_000))
const IdempotencyKey = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))
const Text = (max: number) => Schema.String.pipe(Schema.minLength(1), Schema.maxLength(max))

const idSchema = <B extends string>(brand: B) =>
  Schema.String.pipe(
    Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/, { message: () => `${brand} must be 1-64 characters of A-Z a-z 0-9 _ . : -` }),
    Schema.brand(brand)
  )

/**
 * A space's id.
 *
 * @since 0.2.0
 * @category ids
 */
export const SpaceId = idSchema("SpaceId")
/**
 * @since 0.2.0
 * @category ids
 */
export type SpaceId = typeof SpaceId.Type

/**
 * A booking's id.
 *
 * @since 0.2.0
 * @category ids
 */
export const BookingId = idSchema("SpaceBookingId")
/**
 * @since 0.2.0
 * @category ids
 */
export type BookingId = typeof BookingId.Type

/**
 * An adoption round's id.
 *
 * @since 0.2.0
 * @category ids
 */
export const RoundId = idSchema("SpaceRoundId")
/**
 * @since 0.2.0
 * @category ids
 */
export type RoundId = typeof RoundId.Type

/**
 * An adoption's id.
 *
 * @since 0.2.0
 * @category ids
 */
export const AdoptionId = idSchema("SpaceAdoptionId")
/**
 * @since 0.2.0
 * @category ids
 */
export type AdoptionId = typeof AdoptionId.Type

/**
 * An occupation case's id.
 *
 * @since 0.2.0
 * @category ids
 */
export const OccupationId = idSchema("SpaceOccupationId")
/**
 * @since 0.2.0
 * @category ids
 */
export type OccupationId = typeof OccupationId.Type

/**
 * A closure's id.
 *
 * @since 0.2.0
 * @category ids
 */
export const ClosureId = idSchema("SpaceClosureId")
/**
 * @since 0.2.0
 * @category ids
 */
export type ClosureId = typeof ClosureId.Type

// ---------------------------------------------------------------------------
// Inventory

/**
 * What a space is: a plot (菜地/绿地认养), a parking bay, a room, a play
 * area, a storage space, or something else.
 *
 * @since 0.2.0
 * @category model
 */
export const SpaceKind = Schema.Literal("plot", "parking", "room", "play-area", "storage", "other")
/**
 * @since 0.2.0
 * @category model
 */
export type SpaceKind = typeof SpaceKind.Type

/**
 * An ISO weekday: 1 Monday ... 7 Sunday.
 *
 * @since 0.2.0
 * @category model
 */
export const Weekday = Schema.Int.pipe(Schema.between(1, 7))

const MinuteOfDay = Schema.Int.pipe(Schema.between(0, 1440))

/**
 * A span of local time on the given weekdays (all days when `weekdays` is
 * absent): minutes after local midnight, `fromMinute <= m < toMinute`. A span
 * over midnight is written as two spans (`19:00-24:00` and `00:00-07:00`).
 *
 * @since 0.2.0
 * @category model
 */
export const DaySpan = Schema.Struct({
  weekdays: Schema.optional(Schema.Array(Weekday).pipe(Schema.minItems(1), Schema.maxItems(7))),
  fromMinute: MinuteOfDay,
  toMinute: MinuteOfDay
}).pipe(
  Schema.filter((s) => (s.fromMinute < s.toMinute ? true : { path: ["toMinute"], message: "a span ends after it starts" }))
)
/**
 * @since 0.2.0
 * @category model
 */
export type DaySpan = typeof DaySpan.Type

/**
 * A price band: minutes of a booking inside the span cost `perHourFen` per
 * hour (0: free). Minutes in no band are free.
 *
 * @since 0.2.0
 * @category model
 */
export const PriceBand = Schema.Struct({
  weekdays: Schema.optional(Schema.Array(Weekday).pipe(Schema.minItems(1), Schema.maxItems(7))),
  fromMinute: MinuteOfDay,
  toMinute: MinuteOfDay,
  perHourFen: Schema.Int.pipe(Schema.between(0, 100_000_000)),
  /** Whether free minutes from incentive level perks apply in this band. */
  perkApplies: Schema.optional(Schema.Boolean)
}).pipe(
  Schema.filter((s) => (s.fromMinute < s.toMinute ? true : { path: ["toMinute"], message: "a band ends after it starts" }))
)
/**
 * @since 0.2.0
 * @category model
 */
export type PriceBand = typeof PriceBand.Type

/**
 * Quotas per household, counted by the booking's start in the community's
 * local week (Monday to Sunday) and month.
 *
 * @since 0.2.0
 * @category model
 */
export const Quota = Schema.Struct({
  weekMinutes: Schema.optional(Count),
  monthMinutes: Schema.optional(Count),
  weekBookings: Schema.optional(Count),
  monthBookings: Schema.optional(Count)
})
/**
 * @since 0.2.0
 * @category model
 */
export type Quota = typeof Quota.Type

/**
 * How a space is allocated and what applies to it.
 *
 * - `mode`: `slots` (time-sliced bookings), `adoption` (yearly terms by
 *   application and lottery), `none` (not allocated);
 * - `eligible`: who may book or apply (`residents`, `owners` only);
 * - `slotMinutes`: bookings start and end on whole slots; `minMinutes`,
 *   `maxMinutes` bound one booking;
 * - `bands`: prices per time band; `quota`: per household;
 * - `advanceDays[level]`: how many days ahead a resident of that incentive
 *   level may book (the last entry applies to higher levels): the seed's
 *   priority use for higher levels;
 * - `cancelBeforeMinutes`: a cancellation at least this long before the
 *   start is refunded in full, a later one is not;
 * - `noShowLimit` within `noShowWindowDays`: a household with that many
 *   no-shows may not book;
 * - `approvalAbove`: bookings for more attendees need staff approval;
 * - `adoptionFeeFen`, `adoptionsPerHousehold`: for adoption spaces.
 *
 * @since 0.2.0
 * @category model
 */
export const SpaceRules = Schema.Struct({
  mode: Schema.Literal("slots", "adoption", "none"),
  eligible: Schema.Literal("residents", "owners"),
  slotMinutes: Schema.Int.pipe(Schema.between(1, 1440)),
  minMinutes: Schema.Int.pipe(Schema.between(1, 525_600)),
  maxMinutes: Schema.Int.pipe(Schema.between(1, 525_600)),
  bands: Schema.Array(PriceBand).pipe(Schema.maxItems(50)),
  quota: Schema.optional(Quota),
  advanceDays: Schema.Array(Schema.Int.pipe(Schema.between(0, 3660))).pipe(Schema.minItems(1), Schema.maxItems(20)),
  cancelBeforeMinutes: Schema.Int.pipe(Schema.between(0, 525_600)),
  noShowLimit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  noShowWindowDays: Schema.Int.pipe(Schema.between(1, 3660)),
  approvalAbove: Schema.optional(Count),
  adoptionFeeFen: FenAmount,
  adoptionsPerHousehold: Schema.Int.pipe(Schema.between(1, 100))
}).pipe(
  Schema.filter((r) => (r.minMinutes <= r.maxMinutes ? true : { path: ["maxMinutes"], message: "maxMinutes must be at least minMinutes" }))
)
/**
 * @since 0.2.0
 * @category model
 */
export type SpaceRules = typeof SpaceRules.Type

/**
 * A common space of the community. `openingHours` absent: open at all times.
 *
 * @since 0.2.0
 * @category model
 */
export class Space extends Schema.Class<Space>("Space")({
  communityId: CommunityId,
  id: SpaceId,
  kind: SpaceKind,
  label: Text(100),
  location: Schema.String.pipe(Schema.maxLength(200)),
  /** People (rooms, play areas) or vehicles (bays) at once. */
  capacity: Schema.Int.pipe(Schema.between(1, 100_000)),
  /** Area in square decimetres (for the occupation rate). */
  areaDm2: Count,
  openingHours: Schema.optional(Schema.Array(DaySpan).pipe(Schema.maxItems(50))),
  rules: SpaceRules,
  active: Schema.Boolean,
  createdAt: Millis,
  version: Schema.Int.pipe(Schema.positive())
}) {}

/**
 * The stored space.
 *
 * @since 0.2.0
 * @category entities
 */
export const SpaceEntity = defineEntity({
  name: "Space",
  table: "gz_spaces_spaces",
  schema: Space,
  key: ["communityId", "id"],
  version: "version"
})

/**
 * A closure of a space (maintenance) with its reason: no booking overlaps it.
 *
 * @since 0.2.0
 * @category model
 */
export class Closure extends Schema.Class<Closure>("SpaceClosure")({
  communityId: CommunityId,
  spaceId: SpaceId,
  id: ClosureId,
  startsAt: Millis,
  endsAt: Millis,
  reason: Text(500),
  createdBy: Schema.String,
  createdAt: Millis
}) {}

/**
 * The stored closure.
 *
 * @since 0.2.0
 * @category entities
 */
export const ClosureEntity = defineEntity({
  name: "SpaceClosure",
  table: "gz_spaces_closures",
  schema: Closure,
  key: ["communityId", "spaceId", "id"],
  order: ["startsAt"]
})

// ---------------------------------------------------------------------------
// Bookings

/**
 * Where a booking is: `pending` (awaiting approval, holds the slot),
 * `confirmed`, `cancelled`, `rejected`, `no-show`. `pending`, `confirmed`
 * and `no-show` hold their slot; the others free it.
 *
 * @since 0.2.0
 * @category model
 */
export const BookingStatus = Schema.Literal("pending", "confirmed", "cancelled", "rejected", "no-show")
/**
 * @since 0.2.0
 * @category model
 */
export type BookingStatus = typeof BookingStatus.Type

/**
 * The statuses that hold a slot (and count against quotas).
 *
 * @since 0.2.0
 * @category model
 */
export const holdingStatuses: ReadonlyArray<BookingStatus> = ["pending", "confirmed", "no-show"]

/**
 * A booking of a space for `startsAt <= t < endsAt`.
 *
 * @since 0.2.0
 * @category model
 */
export class Booking extends Schema.Class<Booking>("SpaceBooking")({
  communityId: CommunityId,
  spaceId: SpaceId,
  id: BookingId,
  /** The space's kind when booked: quotas count per household and kind. */
  spaceKind: SpaceKind,
  householdId: HouseholdId,
  residentId: ResidentId,
  startsAt: Millis,
  endsAt: Millis,
  status: BookingStatus,
  /** The fee charged (after free minutes). */
  priceFen: FenAmount,
  /** Free minutes of the resident's level perk used by this booking. */
  freeMinutes: Count,
  attendees: Schema.Int.pipe(Schema.between(1, 100_000)),
  purpose: Schema.String.pipe(Schema.maxLength(500)),
  /** Local Monday of the start's week and the start's month (`YYYY-MM`), for quotas. */
  weekKey: Schema.String,
  monthKey: Schema.String,
  feeTxId: Schema.optional(LedgerTxId),
  refundTxId: Schema.optional(LedgerTxId),
  refundFen: Schema.optional(FenAmount),
  /** Cancelled after the cancellation deadline (no refund). */
  late: Schema.optional(Schema.Boolean),
  createdAt: Millis,
  createdBy: Schema.String,
  closedAt: Schema.optional(Millis),
  closedBy: Schema.optional(Schema.String),
  idempotencyKey: Schema.optional(Schema.String),
  fingerprint: Schema.String,
  version: Schema.Int.pipe(Schema.positive())
}) {}

/**
 * The stored booking. Besides its key, the stores guarantee that two
 * bookings of one space that hold their slot never overlap (PostgreSQL: an
 * exclusion constraint on the time range).
 *
 * @since 0.2.0
 * @category entities
 */
export const BookingEntity = defineEntity({
  name: "SpaceBooking",
  table: "gz_spaces_bookings",
  schema: Booking,
  key: ["communityId", "spaceId", "id"],
  unique: [{ name: "gz_spaces_bookings_idempotency_key", fields: ["communityId", "idempotencyKey"] }],
  version: "version",
  order: ["startsAt"]
})

// ---------------------------------------------------------------------------
// Adoption

/**
 * A priority group of a lottery: households with a resident aged 60 or more
 * (`elderly`), households never allocated a space of the kind
 * (`never-allocated`). Others are `general`.
 *
 * @since 0.2.0
 * @category model
 */
export const PriorityGroup = Schema.Literal("elderly", "never-allocated")
/**
 * @since 0.2.0
 * @category model
 */
export type PriorityGroup = typeof PriorityGroup.Type

/**
 * An applicant's group: a priority group or `general`.
 *
 * @since 0.2.0
 * @category model
 */
export const ApplicantGroup = Schema.Literal("elderly", "never-allocated", "general")
/**
 * @since 0.2.0
 * @category model
 */
export type ApplicantGroup = typeof ApplicantGroup.Type

/**
 * One entry of the published applicant list.
 *
 * @since 0.2.0
 * @category model
 */
export const Applicant = Schema.Struct({ householdId: HouseholdId, group: ApplicantGroup })
/**
 * @since 0.2.0
 * @category model
 */
export type Applicant = typeof Applicant.Type

/**
 * The published outcome of a draw: each winner with the plot they are
 * offered, then the waitlist in draw order.
 *
 * @since 0.2.0
 * @category model
 */
export const LotteryResult = Schema.Struct({
  winners: Schema.Array(Schema.Struct({ householdId: HouseholdId, spaceId: SpaceId })),
  waitlist: Schema.Array(HouseholdId)
})
/**
 * @since 0.2.0
 * @category model
 */
export type LotteryResult = typeof LotteryResult.Type

/**
 * An adoption round: plots offered for a term; applications between
 * `opensAt` and `closesAt`; the seed's SHA-256 committed before `closesAt`,
 * the seed revealed at the draw.
 *
 * @since 0.2.0
 * @category model
 */
export class Round extends Schema.Class<Round>("SpaceRound")({
  communityId: CommunityId,
  id: RoundId,
  label: Text(200),
  spaceIds: Schema.Array(SpaceId),
  termStartsAt: Millis,
  termEndsAt: Millis,
  opensAt: Millis,
  closesAt: Millis,
  feeFen: FenAmount,
  /** Priority groups, highest first. */
  priorityGroups: Schema.Array(PriorityGroup),
  /** Days a household has to accept an offer. */
  replyDays: Schema.Int.pipe(Schema.between(1, 365)),
  status: Schema.Literal("open", "drawn"),
  seedHash: Schema.optional(Schema.String),
  seedCommittedAt: Schema.optional(Millis),
  seed: Schema.optional(Schema.String),
  applicantsHash: Schema.optional(Schema.String),
  result: Schema.optional(LotteryResult),
  /** How many of the waitlist were offered a plot so far. */
  waitlistOffered: Count,
  drawnAt: Schema.optional(Millis),
  createdAt: Millis,
  version: Schema.Int.pipe(Schema.positive())
}) {}

/**
 * The stored round.
 *
 * @since 0.2.0
 * @category entities
 */
export const RoundEntity = defineEntity({
  name: "SpaceRound",
  table: "gz_spaces_rounds",
  schema: Round,
  key: ["communityId", "id"],
  version: "version",
  order: ["opensAt"]
})

/**
 * A household's application in a round (one per household and round).
 *
 * @since 0.2.0
 * @category model
 */
export class Application extends Schema.Class<Application>("SpaceApplication")({
  communityId: CommunityId,
  roundId: RoundId,
  householdId: HouseholdId,
  residentId: ResidentId,
  group: ApplicantGroup,
  appliedAt: Millis
}) {}

/**
 * The stored application.
 *
 * @since 0.2.0
 * @category entities
 */
export const ApplicationEntity = defineEntity({
  name: "SpaceApplication",
  table: "gz_spaces_applications",
  schema: Application,
  key: ["communityId", "roundId", "householdId"],
  order: ["appliedAt"]
})

/**
 * Where an adoption is: `offered` (awaiting the household's reply, holds the
 * plot), `active` (fee paid), `declined`, `lapsed` (no reply in time),
 * `released` (given up by the household), `revoked` (by the committee, pro
 * rata refund), `ended` (term over or failed inspections).
 *
 * @since 0.2.0
 * @category model
 */
export const AdoptionStatus = Schema.Literal("offered", "active", "declined", "lapsed", "released", "revoked", "ended")
/**
 * @since 0.2.0
 * @category model
 */
export type AdoptionStatus = typeof AdoptionStatus.Type

/**
 * A household's adoption of a plot (or storage space) for a term.
 * `heldSpaceId` is set while the adoption holds the space (offered or
 * active): a unique constraint keeps one holder per space.
 *
 * @since 0.2.0
 * @category model
 */
export class Adoption extends Schema.Class<Adoption>("SpaceAdoption")({
  communityId: CommunityId,
  id: AdoptionId,
  spaceId: SpaceId,
  heldSpaceId: Schema.optional(SpaceId),
  householdId: HouseholdId,
  roundId: Schema.optional(RoundId),
  status: AdoptionStatus,
  termStartsAt: Millis,
  termEndsAt: Millis,
  feeFen: FenAmount,
  offeredAt: Millis,
  replyBy: Millis,
  acceptedBy: Schema.optional(ResidentId),
  feeTxId: Schema.optional(LedgerTxId),
  refundFen: Schema.optional(FenAmount),
  refundTxId: Schema.optional(LedgerTxId),
  failedInspections: Count,
  endedAt: Schema.optional(Millis),
  endReason: Schema.optional(Schema.String),
  version: Schema.Int.pipe(Schema.positive())
}) {}

/**
 * The stored adoption.
 *
 * @since 0.2.0
 * @category entities
 */
export const AdoptionEntity = defineEntity({
  name: "SpaceAdoption",
  table: "gz_spaces_adoptions",
  schema: Adoption,
  key: ["communityId", "id"],
  unique: [{ name: "gz_spaces_adoptions_holder", fields: ["communityId", "heldSpaceId"] }],
  version: "version",
  order: ["offeredAt"]
})

// ---------------------------------------------------------------------------
// Occupation cases

/**
 * The stages of an occupation case (the seed's three-stage process):
 * `notice` (stage 1: clear it yourself by the deadline), `assisted` (stage
 * 2: assisted clearing, temporary storage offered), `forced` (stage 3:
 * forced clearing with public notice and a credit record), then `cleared`.
 *
 * @since 0.2.0
 * @category model
 */
export const OccupationStage = Schema.Literal("notice", "assisted", "forced", "cleared")
/**
 * @since 0.2.0
 * @category model
 */
export type OccupationStage = typeof OccupationStage.Type

/**
 * What occupies the space.
 *
 * @since 0.2.0
 * @category model
 */
export const OccupationKind = Schema.Literal("planting", "parking", "shed", "storage", "other")

/**
 * One step of a case's history.
 *
 * @since 0.2.0
 * @category model
 */
export const OccupationStep = Schema.Struct({
  stage: OccupationStage,
  at: Millis,
  by: Schema.String,
  /** Why the case moved: opened, deadline passed, occupant consent, cleared, reopened. */
  reason: Schema.Literal("opened", "deadline", "consent", "cleared", "reopened"),
  dueDate: Schema.optional(LocalDate)
})
/**
 * @since 0.2.0
 * @category model
 */
export type OccupationStep = typeof OccupationStep.Type

/**
 * An occupation of common space and its enforcement.
 *
 * @since 0.2.0
 * @category model
 */
export class OccupationCase extends Schema.Class<OccupationCase>("SpaceOccupationCase")({
  communityId: CommunityId,
  id: OccupationId,
  spaceId: Schema.optional(SpaceId),
  place: Text(200),
  kind: OccupationKind,
  areaDm2: Count,
  /** References to photos (storage keys or URLs). */
  photos: Schema.Array(Schema.String.pipe(Schema.maxLength(500))).pipe(Schema.maxItems(20)),
  householdId: Schema.optional(HouseholdId),
  stage: OccupationStage,
  /** The local date by which the current stage's demand must be met; the next stage is due after it. */
  dueDate: Schema.optional(LocalDate),
  /** The occupant consented to the next stage. */
  consented: Schema.Boolean,
  /** Times the case was reopened because the space was occupied again. */
  repeats: Count,
  history: Schema.Array(OccupationStep),
  /** The adoption of a storage space offered as temporary storage at stage 2. */
  storageAdoptionId: Schema.optional(AdoptionId),
  openedAt: Millis,
  clearedAt: Schema.optional(Millis),
  version: Schema.Int.pipe(Schema.positive())
}) {}

/**
 * The stored occupation case.
 *
 * @since 0.2.0
 * @category entities
 */
export const OccupationEntity = defineEntity({
  name: "SpaceOccupationCase",
  table: "gz_spaces_occupations",
  schema: OccupationCase,
  key: ["communityId", "id"],
  version: "version",
  order: ["openedAt"]
})

// ---------------------------------------------------------------------------
// Inputs

/**
 * Input of `defineSpace` (adds a space, or replaces one with the same id).
 *
 * @since 0.2.0
 * @category inputs
 */
export const DefineSpaceInput = Schema.Struct({
  communityId: CommunityId,
  id: SpaceId,
  kind: SpaceKind,
  label: Text(100),
  location: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  capacity: Schema.optional(Schema.Int.pipe(Schema.between(1, 100_000))),
  areaDm2: Schema.optional(Count),
  openingHours: Schema.optional(Schema.Array(DaySpan).pipe(Schema.maxItems(50))),
  rules: Schema.optional(SpaceRules),
  active: Schema.optional(Schema.Boolean)
})

/**
 * Input of `addClosure`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const AddClosureInput = Schema.Struct({
  communityId: CommunityId,
  spaceId: SpaceId,
  startsAt: Millis,
  endsAt: Millis,
  reason: Text(500)
}).pipe(Schema.filter((i) => (i.startsAt < i.endsAt ? true : { path: ["endsAt"], message: "a closure ends after it starts" })))

/**
 * Input of `book`: a resident books a space for their household.
 *
 * @since 0.2.0
 * @category inputs
 */
export const BookInput = Schema.Struct({
  communityId: CommunityId,
  spaceId: SpaceId,
  residentId: ResidentId,
  startsAt: Millis,
  endsAt: Millis,
  attendees: Schema.optional(Schema.Int.pipe(Schema.between(1, 100_000))),
  purpose: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  idempotencyKey: Schema.optional(IdempotencyKey)
}).pipe(Schema.filter((i) => (i.startsAt < i.endsAt ? true : { path: ["endsAt"], message: "a booking ends after it starts" })))

/**
 * Input of `bookSeries`: a booking repeated weekly `weeks` times.
 *
 * @since 0.2.0
 * @category inputs
 */
export const BookSeriesInput = Schema.Struct({
  communityId: CommunityId,
  spaceId: SpaceId,
  residentId: ResidentId,
  startsAt: Millis,
  endsAt: Millis,
  weeks: Schema.Int.pipe(Schema.between(1, 52)),
  attendees: Schema.optional(Schema.Int.pipe(Schema.between(1, 100_000))),
  purpose: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  idempotencyKey: Schema.optional(IdempotencyKey)
}).pipe(Schema.filter((i) => (i.startsAt < i.endsAt ? true : { path: ["endsAt"], message: "a booking ends after it starts" })))

/**
 * Input of `cancelBooking`, `markNoShow`, `approveBooking`, `rejectBooking`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const BookingRefInput = Schema.Struct({ communityId: CommunityId, spaceId: SpaceId, bookingId: BookingId })

/**
 * Input of `openRound`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const OpenRoundInput = Schema.Struct({
  communityId: CommunityId,
  label: Text(200),
  spaceIds: Schema.Array(SpaceId).pipe(Schema.minItems(1), Schema.maxItems(10_000)),
  termStartsAt: Millis,
  termEndsAt: Millis,
  opensAt: Millis,
  closesAt: Millis,
  feeFen: Schema.optional(FenAmount),
  priorityGroups: Schema.optional(Schema.Array(PriorityGroup).pipe(Schema.maxItems(2))),
  replyDays: Schema.optional(Schema.Int.pipe(Schema.between(1, 365))),
  /** The SHA-256 (hex) of the lottery seed, if committed at once. */
  seedHash: Schema.optional(Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)))
}).pipe(
  Schema.filter((i) => {
    const issues: Array<Schema.FilterIssue> = []
    if (i.termStartsAt >= i.termEndsAt) issues.push({ path: ["termEndsAt"], message: "the term ends after it starts" })
    if (i.opensAt >= i.closesAt) issues.push({ path: ["closesAt"], message: "applications close after they open" })
    if (new Set(i.spaceIds).size !== i.spaceIds.length) issues.push({ path: ["spaceIds"], message: "each space once" })
    if (i.priorityGroups !== undefined && new Set(i.priorityGroups).size !== i.priorityGroups.length) {
      issues.push({ path: ["priorityGroups"], message: "each group once" })
    }
    return issues.length === 0 ? true : issues
  })
)

/**
 * Input of `commitSeed`: the SHA-256 (hex, lower case) of the seed.
 *
 * @since 0.2.0
 * @category inputs
 */
export const CommitSeedInput = Schema.Struct({
  communityId: CommunityId,
  roundId: RoundId,
  seedHash: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))
})

/**
 * Input of `apply`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const ApplyInput = Schema.Struct({ communityId: CommunityId, roundId: RoundId, residentId: ResidentId })

/**
 * Input of `draw`: the seed whose hash was committed.
 *
 * @since 0.2.0
 * @category inputs
 */
export const DrawInput = Schema.Struct({
  communityId: CommunityId,
  roundId: RoundId,
  seed: Schema.String.pipe(Schema.minLength(16), Schema.maxLength(200))
})

/**
 * Input of `acceptOffer`, `declineOffer`, `releaseAdoption`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const AdoptionReplyInput = Schema.Struct({ communityId: CommunityId, adoptionId: AdoptionId, residentId: ResidentId })

/**
 * Input of `revokeAdoption`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const RevokeAdoptionInput = Schema.Struct({ communityId: CommunityId, adoptionId: AdoptionId, reason: Text(500) })

/**
 * Input of `recordInspection`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const InspectionInput = Schema.Struct({
  communityId: CommunityId,
  adoptionId: AdoptionId,
  passed: Schema.Boolean,
  finding: Schema.String.pipe(Schema.maxLength(1000))
})

/**
 * Input of `expireOffers`: offers whose reply deadline passed lapse and pass on.
 *
 * @since 0.2.0
 * @category inputs
 */
export const ExpireOffersInput = Schema.Struct({ communityId: CommunityId, roundId: RoundId })

/**
 * Input of `registerOccupation`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const RegisterOccupationInput = Schema.Struct({
  communityId: CommunityId,
  spaceId: Schema.optional(SpaceId),
  place: Text(200),
  kind: OccupationKind,
  areaDm2: Schema.optional(Count),
  photos: Schema.optional(Schema.Array(Schema.String.pipe(Schema.maxLength(500))).pipe(Schema.maxItems(20))),
  householdId: Schema.optional(HouseholdId)
})

/**
 * Input of `advanceOccupation`, `consentOccupation` (with the occupant's
 * `residentId`), `clearOccupation`, `reopenOccupation`.
 *
 * @since 0.2.0
 * @category inputs
 */
export const OccupationRefInput = Schema.Struct({
  communityId: CommunityId,
  caseId: OccupationId,
  residentId: Schema.optional(ResidentId),
  /** With `advanceOccupation` to stage 2: a storage space offered to the occupant as temporary storage. */
  storageSpaceId: Schema.optional(SpaceId)
})

// ---------------------------------------------------------------------------
// Views

/**
 * A free interval of a space on a day.
 *
 * @since 0.2.0
 * @category views
 */
export interface FreeSlot {
  readonly startsAt: number
  readonly endsAt: number
}

/**
 * A space's use in a period: minutes open, minutes booked (holding
 * bookings), utilisation in permille of open minutes, fees charged net of
 * refunds.
 *
 * @since 0.2.0
 * @category views
 */
export interface Utilisation {
  readonly spaceId: SpaceId
  readonly openMinutes: number
  readonly bookedMinutes: number
  readonly permille: number
  readonly bookings: number
  readonly feeFen: number
}

/**
 * The occupation figure: occupied area over common area (permille), open
 * cases, and repeats.
 *
 * @since 0.2.0
 * @category views
 */
export interface OccupationFigure {
  readonly commonAreaDm2: number
  readonly occupiedAreaDm2: number
  readonly permille: number
  readonly openCases: number
  readonly repeatOccupations: number
}

// ---------------------------------------------------------------------------
// Configuration

/**
 * The module's configuration.
 *
 * @since 0.2.0
 * @category config
 */
export interface SpacesConfigShape {
  /** The ledger account fees go into (the community fund) and its kind. */
  readonly fundAccountId: string
  readonly fundAccountKind: string
  /** A household's fen account that pays fees (opened on first use with floor 0). */
  readonly payerAccountId: (householdId: string) => string
  readonly payerAccountKind: string
  /** The incentive perk that gives free minutes a month in bands where `perkApplies`. */
  readonly freeMinutesPerk: string
  /** Age from which a resident makes their household `elderly` for lotteries. */
  readonly elderlyAge: number
  /** Stage deadlines: stage 1 notice in calendar months (then the next working day), stage 2 in working days. */
  readonly noticeMonths: number
  readonly assistedWorkdays: number
  /** Issue case types whose reports open an occupation case (`occupationsFromIssues`). */
  readonly occupationIssueTypes: ReadonlyArray<string>
  /** Days of free temporary storage offered at stage 2. */
  readonly temporaryStorageDays: number
  /** Failed inspections after which an adoption ends and the plot passes on. */
  readonly inspectionFailuresToEnd: number
  /** Rules of a space defined without any. */
  readonly defaultRules: SpaceRules
}

/**
 * The defaults: slots of 30 minutes, bookings of 30 minutes to 4 hours,
 * booking 7 days ahead, cancellation 2 hours before, 3 no-shows in 30 days
 * stop bookings, adoption 50 yuan a year (the seed), one adoption per
 * household; notice of one month, assisted clearing in 10 working days;
 * three failed inspections end an adoption.
 *
 * @since 0.2.0
 * @category config
 */
export const defaultSpacesConfig: SpacesConfigShape = {
  fundAccountId: "fund:community",
  fundAccountKind: "community-fund",
  payerAccountId: (householdId) => `wallet:${householdId}`,
  payerAccountKind: "household-wallet",
  freeMinutesPerk: "free-parking",
  elderlyAge: 60,
  noticeMonths: 1,
  assistedWorkdays: 10,
  temporaryStorageDays: 30,
  occupationIssueTypes: ["occupied-space"],
  inspectionFailuresToEnd: 3,
  defaultRules: {
    mode: "slots",
    eligible: "residents",
    slotMinutes: 30,
    minMinutes: 30,
    maxMinutes: 240,
    bands: [],
    advanceDays: [7],
    cancelBeforeMinutes: 120,
    noShowLimit: 3,
    noShowWindowDays: 30,
    adoptionFeeFen: 5000,
    adoptionsPerHousehold: 1
  }
}

/**
 * The seed's shared parking rules: open to residents at night free of
 * charge (19:00-07:00), charged by the hour by day (5 yuan an hour,
 * 07:00-19:00, level perk free minutes apply), bookings up to 14 hours, two
 * days ahead, 20 hours a week per household.
 *
 * @since 0.2.0
 * @category config
 */
export const seedParkingRules: SpaceRules = {
  mode: "slots",
  eligible: "residents",
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 840,
  bands: [
    { fromMinute: 0, toMinute: 420, perHourFen: 0 },
    { fromMinute: 420, toMinute: 1140, perHourFen: 500, perkApplies: true },
    { fromMinute: 1140, toMinute: 1440, perHourFen: 0 }
  ],
  quota: { weekMinutes: 1200 },
  advanceDays: [2],
  cancelBeforeMinutes: 60,
  noShowLimit: 3,
  noShowWindowDays: 30,
  adoptionFeeFen: 0,
  adoptionsPerHousehold: 1
}

/**
 * The seed's activity room: 08:00-21:00, free, 7 days ahead for residents
 * and 14 days for levels from 骨干 (index 2) up (the perk "priority booking
 * of the activity room"), 4 bookings a month per household, events over 30
 * people need approval.
 *
 * @since 0.2.0
 * @category config
 */
export const seedRoomRules: SpaceRules = {
  mode: "slots",
  eligible: "residents",
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 240,
  bands: [],
  quota: { monthBookings: 4 },
  advanceDays: [7, 7, 14],
  cancelBeforeMinutes: 120,
  noShowLimit: 3,
  noShowWindowDays: 30,
  approvalAbove: 30,
  adoptionFeeFen: 0,
  adoptionsPerHousehold: 1
}

/**
 * The seed's plots: adopted for 50 yuan a year, one per household.
 *
 * @since 0.2.0
 * @category config
 */
export const seedPlotRules: SpaceRules = {
  ...defaultSpacesConfig.defaultRules,
  mode: "adoption",
  adoptionFeeFen: 5000,
  adoptionsPerHousehold: 1
}

/**
 * The module's configuration; defaults to {@link defaultSpacesConfig}.
 *
 * @since 0.2.0
 * @category config
 */
export class SpacesConfig extends Context.Reference<SpacesConfig>()("@gongzhi/core/SpacesConfig", {
  defaultValue: (): SpacesConfigShape => defaultSpacesConfig
}) {}
