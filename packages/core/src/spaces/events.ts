/**
 * The spaces module's journal events: the public integration contract.
 * Free texts (purposes, reasons, findings) stay in the store, except what a
 * public notice must carry; no phone or ID numbers ever.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { HouseholdId, LedgerTxId, ResidentId } from "../kernel/ids.js"
import {
  AdoptionId,
  Applicant,
  BookingId,
  BookingStatus,
  ClosureId,
  LotteryResult,
  OccupationId,
  OccupationStage,
  PriorityGroup,
  RoundId,
  SpaceId,
  SpaceKind
} from "./model.js"

/**
 * A space was added or changed.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesSpaceDefined = Schema.TaggedStruct("SpacesSpaceDefined", {
  spaceId: SpaceId,
  kind: SpaceKind,
  label: Schema.String,
  active: Schema.Boolean,
  version: Schema.Int
})

/**
 * A space was closed for a period (bookings in it were cancelled and refunded).
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesClosureAdded = Schema.TaggedStruct("SpacesClosureAdded", {
  spaceId: SpaceId,
  closureId: ClosureId,
  startsAt: Schema.Int,
  endsAt: Schema.Int,
  reason: Schema.String,
  cancelled: Schema.Array(BookingId)
})

/**
 * A booking was made: `confirmed`, or `pending` approval.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesBookingMade = Schema.TaggedStruct("SpacesBookingMade", {
  spaceId: SpaceId,
  bookingId: BookingId,
  householdId: HouseholdId,
  residentId: ResidentId,
  startsAt: Schema.Int,
  endsAt: Schema.Int,
  status: BookingStatus,
  priceFen: Schema.Int,
  freeMinutes: Schema.Int,
  feeTxId: Schema.optional(LedgerTxId)
})

/**
 * A booking changed status: approved (`confirmed`), `rejected`,
 * `cancelled` (with the refund, if any) or `no-show`.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesBookingClosed = Schema.TaggedStruct("SpacesBookingClosed", {
  spaceId: SpaceId,
  bookingId: BookingId,
  householdId: HouseholdId,
  residentId: ResidentId,
  status: BookingStatus,
  startsAt: Schema.Int,
  refundFen: Schema.Int,
  late: Schema.Boolean,
  by: Schema.String
})

/**
 * An adoption round opened.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesRoundOpened = Schema.TaggedStruct("SpacesRoundOpened", {
  roundId: RoundId,
  spaceIds: Schema.Array(SpaceId),
  opensAt: Schema.Int,
  closesAt: Schema.Int,
  termStartsAt: Schema.Int,
  termEndsAt: Schema.Int,
  feeFen: Schema.Int,
  priorityGroups: Schema.Array(PriorityGroup)
})

/**
 * The SHA-256 of the round's lottery seed was published before applications
 * closed; the seed itself is revealed at the draw.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesSeedCommitted = Schema.TaggedStruct("SpacesSeedCommitted", {
  roundId: RoundId,
  seedHash: Schema.String
})

/**
 * A household applied in a round.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesApplicationReceived = Schema.TaggedStruct("SpacesApplicationReceived", {
  roundId: RoundId,
  householdId: HouseholdId,
  residentId: ResidentId,
  group: Schema.String
})

/**
 * The draw: the revealed seed, the applicant list it was drawn from (with
 * its digest) and the result. Anyone can recompute it with `drawLottery`.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesLotteryDrawn = Schema.TaggedStruct("SpacesLotteryDrawn", {
  roundId: RoundId,
  seed: Schema.String,
  seedHash: Schema.String,
  spaceIds: Schema.Array(SpaceId),
  priorityGroups: Schema.Array(PriorityGroup),
  applicants: Schema.Array(Applicant),
  applicantsHash: Schema.String,
  result: LotteryResult
})

/**
 * A household was offered a space (by the draw, or from the waitlist), to
 * accept by `replyBy`.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesAdoptionOffered = Schema.TaggedStruct("SpacesAdoptionOffered", {
  adoptionId: AdoptionId,
  roundId: Schema.optional(RoundId),
  spaceId: SpaceId,
  householdId: HouseholdId,
  replyBy: Schema.Int,
  fromWaitlist: Schema.Boolean
})

/**
 * An adoption changed status: accepted (`active`, fee paid), `declined`,
 * `lapsed`, `released`, `revoked` (with the pro-rata refund) or `ended`.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesAdoptionChanged = Schema.TaggedStruct("SpacesAdoptionChanged", {
  adoptionId: AdoptionId,
  spaceId: SpaceId,
  householdId: HouseholdId,
  status: Schema.String,
  feeTxId: Schema.optional(LedgerTxId),
  refundFen: Schema.Int,
  by: Schema.String
})

/**
 * An inspection of an adopted space.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesInspectionRecorded = Schema.TaggedStruct("SpacesInspectionRecorded", {
  adoptionId: AdoptionId,
  spaceId: SpaceId,
  householdId: HouseholdId,
  passed: Schema.Boolean,
  finding: Schema.String,
  failedInspections: Schema.Int
})

/**
 * An occupation case moved: opened (stage `notice`), to `assisted`, to
 * `forced` (a public notice), `cleared`, or reopened (`repeats` counts).
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesOccupationStage = Schema.TaggedStruct("SpacesOccupationStage", {
  caseId: OccupationId,
  spaceId: Schema.optional(SpaceId),
  place: Schema.String,
  householdId: Schema.optional(HouseholdId),
  stage: OccupationStage,
  reason: Schema.Literal("opened", "deadline", "consent", "cleared", "reopened"),
  dueDate: Schema.optional(LocalDate),
  repeats: Schema.Int,
  by: Schema.String
})

/**
 * The occupying household consented to the next stage.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesOccupationConsent = Schema.TaggedStruct("SpacesOccupationConsent", {
  caseId: OccupationId,
  householdId: HouseholdId,
  residentId: ResidentId
})

/**
 * An entry in a household's community record (credit file): forced clearing.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesCreditRecordEntered = Schema.TaggedStruct("SpacesCreditRecordEntered", {
  householdId: HouseholdId,
  caseId: OccupationId,
  kind: Schema.Literal("forced-clearing")
})

/**
 * Every event of the spaces module.
 *
 * @since 0.2.0
 * @category events
 */
export const SpacesEvent = Schema.Union(
  SpacesSpaceDefined,
  SpacesClosureAdded,
  SpacesBookingMade,
  SpacesBookingClosed,
  SpacesRoundOpened,
  SpacesSeedCommitted,
  SpacesApplicationReceived,
  SpacesLotteryDrawn,
  SpacesAdoptionOffered,
  SpacesAdoptionChanged,
  SpacesInspectionRecorded,
  SpacesOccupationStage,
  SpacesOccupationConsent,
  SpacesCreditRecordEntered
)
/**
 * @since 0.2.0
 * @category events
 */
export type SpacesEvent = typeof SpacesEvent.Type
