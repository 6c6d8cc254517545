/**
 * Pet credit's journal events: the public integration contract. Events
 * never name who reported a dog (the report id leads staff to it), and
 * free texts (appeal reasons, notes) stay in the store.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { HouseholdId, ResidentId } from "../kernel/ids.js"
import { CatalogueCode, Consequence, DogId, EntryKind, ReportId, ReportSource } from "./model.js"

/**
 * A community chose a scheme.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditSchemeChosen = Schema.TaggedStruct("PetCreditSchemeChosen", {
  schemeCode: CatalogueCode,
  by: Schema.String
})

/**
 * A dog was registered (or transferred, updated, gone): `change` says which.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditDogChanged = Schema.TaggedStruct("PetCreditDogChanged", {
  dogId: DogId,
  householdId: HouseholdId,
  keeperId: ResidentId,
  change: Schema.Literal("registered", "updated", "transferred", "licence-renewed", "deceased", "rehomed"),
  by: Schema.String
})

/**
 * A violation was reported (pending verification). The reporter is not in
 * the event.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditViolationReported = Schema.TaggedStruct("PetCreditViolationReported", {
  reportId: ReportId,
  dogId: DogId,
  kind: CatalogueCode,
  source: ReportSource,
  occurredAt: Schema.Int,
  expiresOn: LocalDate
})

/**
 * A second report of the same incident was linked to the first (not counted).
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditReportLinked = Schema.TaggedStruct("PetCreditReportLinked", {
  reportId: ReportId,
  duplicateOf: ReportId,
  dogId: DogId
})

/**
 * Staff decided a report: `confirmed` (a deduction was posted) or `rejected`.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditReportDecided = Schema.TaggedStruct("PetCreditReportDecided", {
  reportId: ReportId,
  dogId: DogId,
  kind: CatalogueCode,
  decision: Schema.Literal("confirmed", "rejected"),
  /** Applied deduction (negative) when confirmed. */
  applied: Schema.Int,
  appealUntil: Schema.optional(LocalDate),
  by: Schema.String
})

/**
 * A report expired unverified.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditReportExpired = Schema.TaggedStruct("PetCreditReportExpired", {
  reportId: ReportId,
  dogId: DogId
})

/**
 * The owner appealed a verified report.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditAppealFiled = Schema.TaggedStruct("PetCreditAppealFiled", {
  reportId: ReportId,
  dogId: DogId
})

/**
 * An appeal was decided (an upheld appeal is followed by a reversal entry).
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditAppealDecided = Schema.TaggedStruct("PetCreditAppealDecided", {
  reportId: ReportId,
  dogId: DogId,
  keeperId: ResidentId,
  outcome: Schema.Literal("upheld", "dismissed"),
  by: Schema.String
})

/**
 * A dog's score changed by one entry.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditScoreChanged = Schema.TaggedStruct("PetCreditScoreChanged", {
  dogId: DogId,
  householdId: HouseholdId,
  keeperId: ResidentId,
  seq: Schema.Int,
  kind: EntryKind,
  code: Schema.String,
  applied: Schema.Int,
  score: Schema.Int,
  schemeCode: CatalogueCode
})

/**
 * A consequence began (`active: true`) or was lifted.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditConsequenceChanged = Schema.TaggedStruct("PetCreditConsequenceChanged", {
  dogId: DogId,
  householdId: HouseholdId,
  keeperId: ResidentId,
  consequence: Consequence,
  active: Schema.Boolean,
  score: Schema.Int
})

/**
 * A clean record earned its reward: the property-fee discount for the
 * household (the community fund or property system consumes it) and, with
 * the incentives event rule {@link petCreditIncentiveEvents}, points for the keeper.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditCleanRecordRewarded = Schema.TaggedStruct("PetCreditCleanRecordRewarded", {
  dogId: DogId,
  householdId: HouseholdId,
  keeperId: ResidentId,
  windowStart: LocalDate,
  windowEnd: LocalDate,
  discountPercent: Schema.Int,
  points: Schema.Int
})

/**
 * A vaccination or licence expires soon.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditExpiryReminder = Schema.TaggedStruct("PetCreditExpiryReminder", {
  dogId: DogId,
  keeperId: ResidentId,
  what: Schema.Literal("vaccination", "licence"),
  expiresOn: LocalDate
})

/**
 * Every pet-credit event.
 *
 * @since 0.2.0
 * @category events
 */
export const PetCreditEvent = Schema.Union(
  PetCreditSchemeChosen,
  PetCreditDogChanged,
  PetCreditViolationReported,
  PetCreditReportLinked,
  PetCreditReportDecided,
  PetCreditReportExpired,
  PetCreditAppealFiled,
  PetCreditAppealDecided,
  PetCreditScoreChanged,
  PetCreditConsequenceChanged,
  PetCreditCleanRecordRewarded,
  PetCreditExpiryReminder
)
/**
 * @since 0.2.0
 * @category events
 */
export type PetCreditEvent = typeof PetCreditEvent.Type

/**
 * An event rule for the incentives module: the keeper earns the
 * `good-dog-owner` action's points for each clean-record reward. Spread it
 * into `IncentiveConfig.events` and give the action points.
 *
 * @example
 * Layer.succeed(Incentives.IncentiveConfig, {
 *   ...Incentives.defaultIncentiveConfig,
 *   points: { ...Incentives.defaultIncentiveConfig.points, "good-dog-owner": 10 },
 *   events: { ...Incentives.defaultIncentiveConfig.events, ...PetCredit.petCreditIncentiveEvents }
 * })
 *
 * @since 0.2.0
 * @category events
 */
export const petCreditIncentiveEvents = {
  PetCreditCleanRecordRewarded: { action: "good-dog-owner", recipientField: "keeperId" }
} as const
