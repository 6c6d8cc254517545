/**
 * Pet credit (养犬信用积分): the dog registry, the credit schemes (data, not
 * code), violation reports with their evidence, the append-only score
 * entries, command inputs, views and configuration.
 *
 * A dog's score is its scheme's base plus the sum of its entries' applied
 * points; every entry is clamped so the score stays within the scheme's
 * floor and ceiling (see `applyPoints` in rules).
 *
 * @since 0.2.0
 */
import { Context, Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { CommunityId, HouseholdId, ResidentId } from "../kernel/ids.js"

const Millis = Schema.Int.pipe(Schema.between(0, 8_640_000_000_000_000))
const Score = Schema.Int.pipe(Schema.between(-1_000_000, 1_000_000))
const Text = (max: number) => Schema.String.pipe(Schema.minLength(1), Schema.maxLength(max))

/**
 * A registered dog's id.
 *
 * @since 0.2.0
 * @category model
 */
export const DogId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/, { message: () => "DogId must be 1-64 characters of A-Z a-z 0-9 _ . : -" }),
  Schema.brand("PetCreditDogId")
)
/**
 * @since 0.2.0
 * @category model
 */
export type DogId = typeof DogId.Type

/**
 * A violation report's id.
 *
 * @since 0.2.0
 * @category model
 */
export const ReportId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/, { message: () => "ReportId must be 1-64 characters of A-Z a-z 0-9 _ . : -" }),
  Schema.brand("PetCreditReportId")
)
/**
 * @since 0.2.0
 * @category model
 */
export type ReportId = typeof ReportId.Type

/**
 * A code in a scheme's catalogue (`off-leash`, `waste`, `patrol`).
 *
 * @since 0.2.0
 * @category model
 */
export const CatalogueCode = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/))

/**
 * A text in zh-CN and en.
 *
 * @since 0.2.0
 * @category model
 */
export const PetCreditText = Schema.Struct({ "zh-CN": Text(100), en: Text(100) })

/**
 * What a threshold does while the score is below it: `licence-suspended`
 * (暂停办证资格: no new licence, no renewal), `training-required` (compulsory
 * training), `licence-withheld` (Jinan: the licence is withheld until an exam
 * is passed; also refuses renewal).
 *
 * @since 0.2.0
 * @category schemes
 */
export const Consequence = Schema.Literal("licence-suspended", "training-required", "licence-withheld")
/**
 * @since 0.2.0
 * @category schemes
 */
export type Consequence = typeof Consequence.Type

/**
 * One violation of a scheme's catalogue. `points` is the deduction for the
 * first, second, third... violation of this kind within the scheme's
 * `repeatWindowDays` (the last step repeats): `[10]` is a flat 10, Jinan's
 * `[3, 6, 12]` escalates.
 *
 * @since 0.2.0
 * @category schemes
 */
export const ViolationRule = Schema.Struct({
  kind: CatalogueCode,
  name: PetCreditText,
  points: Schema.NonEmptyArray(Schema.Int.pipe(Schema.between(0, 1_000_000)))
})
/**
 * @since 0.2.0
 * @category schemes
 */
export type ViolationRule = typeof ViolationRule.Type

/**
 * One kind of good behaviour and its reward.
 *
 * @since 0.2.0
 * @category schemes
 */
export const RewardRule = Schema.Struct({
  kind: CatalogueCode,
  name: PetCreditText,
  points: Schema.Int.pipe(Schema.between(0, 1_000_000))
})
/**
 * @since 0.2.0
 * @category schemes
 */
export type RewardRule = typeof RewardRule.Type

/**
 * A consequence that holds while the score is strictly below `below`
 * (exactly at the threshold counts as above: with `below: 60`, 59 is
 * suspended and 60 is not).
 *
 * @since 0.2.0
 * @category schemes
 */
export const Threshold = Schema.Struct({ below: Score, consequence: Consequence })
/**
 * @since 0.2.0
 * @category schemes
 */
export type Threshold = typeof Threshold.Type

/**
 * A credit scheme: all of its law as data. A community chooses one
 * (`chooseScheme`); changing it never rewrites past entries.
 *
 * @since 0.2.0
 * @category schemes
 */
export const Scheme = Schema.Struct({
  code: CatalogueCode,
  name: PetCreditText,
  base: Score,
  floor: Score,
  ceiling: Score,
  violations: Schema.Array(ViolationRule),
  /** Repeats of the same kind within this many days escalate (0: never). */
  repeatWindowDays: Schema.Int.pipe(Schema.between(0, 36_500)),
  rewards: Schema.Array(RewardRule),
  thresholds: Schema.Array(Threshold),
  /** Completing (compulsory) training restores `restorePoints`, at most once per `periodDays`. */
  training: Schema.optional(Schema.Struct({
    restorePoints: Schema.Int.pipe(Schema.between(0, 1_000_000)),
    periodDays: Schema.Int.pipe(Schema.between(1, 36_500))
  })),
  /** Passing the exam (while `licence-withheld` holds) restores the score to `restoreTo`. */
  exam: Schema.optional(Schema.Struct({ restoreTo: Score })),
  /** A clean record of `months` earns `discountPercent` off the property fee (and `points`), once per window. */
  cleanRecord: Schema.optional(Schema.Struct({
    months: Schema.Int.pipe(Schema.between(1, 120)),
    discountPercent: Schema.Int.pipe(Schema.between(0, 100)),
    points: Schema.Int.pipe(Schema.between(0, 1_000_000))
  })),
  /** Whether every dog's score returns to `base` on 1 January. */
  resetYearly: Schema.Boolean
}).pipe(
  Schema.filter((s) =>
    s.floor <= s.base && s.base <= s.ceiling ? true : "the scheme needs floor <= base <= ceiling"
  ),
  Schema.filter((s) =>
    new Set(s.violations.map((v) => v.kind)).size === s.violations.length &&
      new Set(s.rewards.map((r) => r.kind)).size === s.rewards.length
      ? true
      : "violation and reward kinds must be unique"
  )
)
/**
 * @since 0.2.0
 * @category schemes
 */
export type Scheme = typeof Scheme.Type

const t = (zh: string, en: string) => ({ "zh-CN": zh, en })

/**
 * The seed's scheme (its `DogCreditSystem`): base 100; off-leash -10,
 * uncleaned waste -5, noise -3; good behaviour +2; below 60 the licence is
 * suspended, below 40 training is compulsory (completing it restores 20
 * points once a year); three clean months earn a 10% property-fee discount.
 * The ceiling (120) is ours: good behaviour builds a small buffer.
 *
 * @since 0.2.0
 * @category schemes
 */
export const seedScheme: Scheme = {
  code: "seed",
  name: t("社区养犬信用积分", "Community dog credit"),
  base: 100,
  floor: 0,
  ceiling: 120,
  violations: [
    { kind: "off-leash", name: t("未拴绳", "Off leash"), points: [10] },
    { kind: "waste", name: t("粪便未清理", "Uncleaned waste"), points: [5] },
    { kind: "noise", name: t("噪音扰民", "Noise complaint"), points: [3] }
  ],
  repeatWindowDays: 0,
  rewards: [
    { kind: "good-behaviour", name: t("文明养犬", "Good behaviour"), points: 2 },
    { kind: "patrol", name: t("志愿巡查", "Volunteer patrol"), points: 2 },
    { kind: "open-day", name: t("开放日帮忙", "Open-day helper"), points: 2 },
    { kind: "optional-training", name: t("自愿参加培训", "Optional training"), points: 2 }
  ],
  thresholds: [
    { below: 60, consequence: "licence-suspended" },
    { below: 40, consequence: "training-required" }
  ],
  training: { restorePoints: 20, periodDays: 365 },
  cleanRecord: { months: 3, discountPercent: 10, points: 0 },
  resetYearly: false
}

/**
 * Jinan's 12-point licence (2017): off-leash or disturbing people costs 3
 * points the first time, 6 the second and all 12 the third within two
 * years; at 0 the licence is withheld until the owner passes the (free)
 * exam, which restores 12; volunteering wins a point back.
 *
 * @since 0.2.0
 * @category schemes
 */
export const jinan12: Scheme = {
  code: "jinan12",
  name: t("济南养犬12分制", "Jinan 12-point licence"),
  base: 12,
  floor: 0,
  ceiling: 12,
  violations: [
    { kind: "off-leash", name: t("未拴绳", "Off leash"), points: [3, 6, 12] },
    { kind: "disturbance", name: t("犬只扰民", "Disturbing people"), points: [3, 6, 12] }
  ],
  repeatWindowDays: 730,
  rewards: [
    { kind: "patrol", name: t("志愿巡查", "Volunteer patrol"), points: 1 },
    { kind: "good-behaviour", name: t("文明养犬", "Good behaviour"), points: 1 }
  ],
  thresholds: [{ below: 1, consequence: "licence-withheld" }],
  exam: { restoreTo: 12 },
  resetYearly: false
}

/**
 * The preset schemes by code.
 *
 * @since 0.2.0
 * @category schemes
 */
export const presetSchemes: Readonly<Record<string, Scheme>> = { seed: seedScheme, jinan12 }

/**
 * A dog's size class.
 *
 * @since 0.2.0
 * @category model
 */
export const DogSize = Schema.Literal("small", "medium", "large")

/**
 * Whether a dog is on the registry: `active`, or gone (`deceased`, `rehomed`
 * out of the community).
 *
 * @since 0.2.0
 * @category model
 */
export const DogStatus = Schema.Literal("active", "deceased", "rehomed")
/**
 * @since 0.2.0
 * @category model
 */
export type DogStatus = typeof DogStatus.Type

/**
 * A registered dog, with its current score and consequence flags (derived
 * from its entries; kept here so reads and thresholds need no sum).
 *
 * @since 0.2.0
 * @category model
 */
export class Dog extends Schema.Class<Dog>("PetCreditDog")({
  communityId: CommunityId,
  id: DogId,
  name: Text(60),
  householdId: HouseholdId,
  /** The named keeper (a resident). */
  keeperId: ResidentId,
  licenceNo: Text(40),
  breed: Text(60),
  size: DogSize,
  vaccinationExpiresOn: LocalDate,
  licenceExpiresOn: LocalDate,
  status: DogStatus,
  /** The scheme the score is kept under. */
  schemeCode: CatalogueCode,
  score: Score,
  licenceSuspended: Schema.Boolean,
  trainingRequired: Schema.Boolean,
  licenceWithheld: Schema.Boolean,
  /** How many score entries the dog has (the next one is `entryCount + 1`). */
  entryCount: Schema.NonNegativeInt,
  /** Since when the current keeper keeps the dog (registration or transfer): earlier violations do not escalate. */
  keptSince: Millis,
  /** Start of the current clean-record window (registration, or the last clean-record reward). */
  cleanAnchor: Millis,
  /** When the latest standing (verified, not overturned) violation happened. */
  lastViolationAt: Schema.optional(Millis),
  /** When compulsory training last restored points. */
  lastTrainingRestoreAt: Schema.optional(Millis),
  /** The year of the last yearly reset (schemes with `resetYearly`). */
  scoreYear: Schema.Int,
  /** The expiry date a vaccination reminder was last sent for. */
  remindedVaccinationFor: Schema.optional(LocalDate),
  /** The expiry date a licence reminder was last sent for. */
  remindedLicenceFor: Schema.optional(LocalDate),
  registeredAt: Millis,
  version: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))
}) {}

/**
 * Where a report comes from: a resident, a patrol volunteer, a camera
 * detection (the system actor), staff on the spot, or an issue handed over
 * from the issues module.
 *
 * @since 0.2.0
 * @category model
 */
export const ReportSource = Schema.Literal("resident", "patrol", "camera", "staff", "issue")
/**
 * @since 0.2.0
 * @category model
 */
export type ReportSource = typeof ReportSource.Type

/**
 * A report's life: `pending` (waiting for staff) -> `verified` (deducted) |
 * `rejected` | `expired` (not verified in time); `duplicate` (linked to an
 * earlier report of the same incident, never counted); a verified report
 * whose appeal was upheld is `overturned`.
 *
 * @since 0.2.0
 * @category model
 */
export const ReportStatus = Schema.Literal("pending", "verified", "rejected", "expired", "duplicate", "overturned")
/**
 * @since 0.2.0
 * @category model
 */
export type ReportStatus = typeof ReportStatus.Type

/**
 * The owner's appeal of a verified report and, once decided, the decision.
 *
 * @since 0.2.0
 * @category model
 */
export const Appeal = Schema.Struct({
  reason: Text(2000),
  appealedBy: Schema.String,
  appealedAt: Millis,
  decision: Schema.optional(Schema.Struct({
    outcome: Schema.Literal("upheld", "dismissed"),
    note: Schema.String,
    decidedBy: Schema.String,
    decidedAt: Millis
  }))
})
/**
 * @since 0.2.0
 * @category model
 */
export type Appeal = typeof Appeal.Type

/**
 * A violation report. `reporterRef` is who reported (`resident:R1`,
 * `system:camera-3`): staff see it, the dog's owner never does.
 *
 * @since 0.2.0
 * @category model
 */
export class Report extends Schema.Class<Report>("PetCreditReport")({
  communityId: CommunityId,
  id: ReportId,
  dogId: DogId,
  kind: CatalogueCode,
  source: ReportSource,
  reporterRef: Schema.String,
  /** Photo or video references (object-store keys, camera frame ids). */
  evidence: Schema.Array(Text(500)),
  place: Text(200),
  occurredAt: Millis,
  /** `YYYY-MM` of `occurredAt` in the community's time zone (monthly figures). */
  month: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}$/)),
  reportedAt: Millis,
  /** The last working day on which staff can verify it. */
  expiresOn: LocalDate,
  status: ReportStatus,
  /** The report this one duplicates (status `duplicate`). */
  duplicateOf: Schema.optional(ReportId),
  /** How many later reports were linked to this one as duplicates. */
  linkedCount: Schema.NonNegativeInt,
  /** The issue (issues module) the report came from. */
  issueId: Schema.optional(Schema.String),
  verifiedBy: Schema.optional(Schema.String),
  verifiedAt: Schema.optional(Millis),
  /** The points the verification took (applied, after clamping). */
  deducted: Schema.optional(Schema.Int),
  /** The dog's entry the verification posted. */
  entrySeq: Schema.optional(Schema.Int),
  /** Last working day on which the owner may appeal. */
  appealUntil: Schema.optional(LocalDate),
  appeal: Schema.optional(Appeal),
  note: Schema.optional(Schema.String),
  version: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))
}) {}

/**
 * What a score entry is.
 *
 * @since 0.2.0
 * @category model
 */
export const EntryKind = Schema.Literal("violation", "reward", "training", "exam", "clean-record", "reversal", "reset")
/**
 * @since 0.2.0
 * @category model
 */
export type EntryKind = typeof EntryKind.Type

/**
 * One append-only change of a dog's score. `points` is what the scheme (or
 * the reversal) asked for, `applied` what the floor and ceiling let through;
 * the score is the base plus the sum of `applied`.
 *
 * @since 0.2.0
 * @category model
 */
export class ScoreEntry extends Schema.Class<ScoreEntry>("PetCreditScoreEntry")({
  communityId: CommunityId,
  dogId: DogId,
  seq: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  kind: EntryKind,
  /** The violation or reward kind; `training`, `exam`, `reset`, ... otherwise. */
  code: Schema.String,
  points: Schema.Int,
  applied: Schema.Int,
  scoreAfter: Score,
  schemeCode: CatalogueCode,
  reportId: Schema.optional(ReportId),
  /** The entry a reversal compensates. */
  reverses: Schema.optional(Schema.Int),
  /** An external reference that may earn the entry once (a time-bank service, an event id). */
  sourceRef: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  recordedAt: Millis,
  recordedBy: Schema.String
}) {}

/**
 * A community's choice of scheme; the latest (highest `seq`) is in force.
 * Choices are kept, so the history of schemes is on record.
 *
 * @since 0.2.0
 * @category model
 */
export class SchemeChoice extends Schema.Class<SchemeChoice>("PetCreditSchemeChoice")({
  communityId: CommunityId,
  seq: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  scheme: Scheme,
  chosenAt: Millis,
  chosenBy: Schema.String
}) {}

// ---------------------------------------------------------------------------
// Command inputs

/**
 * `chooseScheme`: a preset by code or a whole scheme.
 *
 * @since 0.2.0
 * @category commands
 */
export const ChooseSchemeInput = Schema.Struct({
  communityId: CommunityId,
  scheme: Schema.Union(Schema.Literal("seed", "jinan12"), Scheme)
})

/**
 * `registerDog`.
 *
 * @since 0.2.0
 * @category commands
 */
export const RegisterDogInput = Schema.Struct({
  communityId: CommunityId,
  householdId: HouseholdId,
  keeperId: ResidentId,
  name: Text(60),
  licenceNo: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9-]{4,40}$/)),
  breed: Text(60),
  size: DogSize,
  vaccinationExpiresOn: LocalDate,
  licenceExpiresOn: LocalDate
})

/**
 * `updateDog`: the fields to change.
 *
 * @since 0.2.0
 * @category commands
 */
export const UpdateDogInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  name: Schema.optional(Text(60)),
  breed: Schema.optional(Text(60)),
  size: Schema.optional(DogSize),
  vaccinationExpiresOn: Schema.optional(LocalDate),
  keeperId: Schema.optional(ResidentId)
})

/**
 * `transferDog` to another household of the community (the score starts
 * again at the scheme's base for the new keeper).
 *
 * @since 0.2.0
 * @category commands
 */
export const TransferDogInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  householdId: HouseholdId,
  keeperId: ResidentId
})

/**
 * `markDogGone`: deceased or rehomed out of the community.
 *
 * @since 0.2.0
 * @category commands
 */
export const MarkDogGoneInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  status: Schema.Literal("deceased", "rehomed")
})

/**
 * `renewLicence`: the new expiry date.
 *
 * @since 0.2.0
 * @category commands
 */
export const RenewLicenceInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  licenceExpiresOn: LocalDate
})

/**
 * `reportViolation`. Evidence is required (at least one reference). A
 * resident may say they report as a patrol volunteer; a staff member may
 * hand over an issue (`issueId`). The source is otherwise the actor's kind.
 *
 * @since 0.2.0
 * @category commands
 */
export const ReportViolationInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  kind: CatalogueCode,
  evidence: Schema.Array(Text(500)).pipe(Schema.minItems(1, { message: () => "evidence is required (photo or video references)" }), Schema.maxItems(20)),
  place: Text(200),
  occurredAt: Millis,
  patrol: Schema.optional(Schema.Boolean),
  issueId: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/)))
})

/**
 * `reportFromIssue`: a case of the issues module about a dog.
 *
 * @since 0.2.0
 * @category commands
 */
export const ReportFromIssueInput = Schema.Struct({
  communityId: CommunityId,
  caseId: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/)),
  dogId: DogId,
  kind: Schema.optional(CatalogueCode)
})

/**
 * `verifyReport`: staff confirm (the deduction is posted) or reject.
 *
 * @since 0.2.0
 * @category commands
 */
export const VerifyReportInput = Schema.Struct({
  communityId: CommunityId,
  reportId: ReportId,
  decision: Schema.Literal("confirm", "reject"),
  note: Schema.optional(Schema.String.pipe(Schema.maxLength(2000)))
})

/**
 * `appeal` a verified report.
 *
 * @since 0.2.0
 * @category commands
 */
export const AppealInput = Schema.Struct({
  communityId: CommunityId,
  reportId: ReportId,
  reason: Text(2000)
})

/**
 * `decideAppeal`.
 *
 * @since 0.2.0
 * @category commands
 */
export const DecideAppealInput = Schema.Struct({
  communityId: CommunityId,
  reportId: ReportId,
  outcome: Schema.Literal("upheld", "dismissed"),
  note: Schema.String.pipe(Schema.maxLength(2000))
})

/**
 * `recordTraining`: compulsory training (restores points) or optional
 * training (a reward).
 *
 * @since 0.2.0
 * @category commands
 */
export const RecordTrainingInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  kind: Schema.Literal("compulsory", "optional")
})

/**
 * `recordExam`: the owner passed the exam on the regulations.
 *
 * @since 0.2.0
 * @category commands
 */
export const RecordExamInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId
})

/**
 * `grantReward`: good behaviour of the scheme's catalogue. With a
 * `sourceRef` the reward is granted once (a replay returns the first entry).
 *
 * @since 0.2.0
 * @category commands
 */
export const GrantRewardInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  kind: CatalogueCode,
  sourceRef: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)))
})

/**
 * `reverseEntry`: a compensating entry for a mistaken one.
 *
 * @since 0.2.0
 * @category commands
 */
export const ReverseEntryInput = Schema.Struct({
  communityId: CommunityId,
  dogId: DogId,
  seq: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  reason: Text(2000)
})

/**
 * `runDailyChecks`: the scheduled pass (expiry of unverified reports,
 * clean-record rewards, yearly resets, expiry reminders).
 *
 * @since 0.2.0
 * @category commands
 */
export const DailyChecksInput = Schema.Struct({ communityId: CommunityId })

// ---------------------------------------------------------------------------
// Views

/**
 * What the dog's owner sees of a dog.
 *
 * @since 0.2.0
 * @category views
 */
export interface DogOwnerView {
  readonly dogId: DogId
  readonly name: string
  readonly licenceNo: string
  readonly breed: string
  readonly size: typeof DogSize.Type
  readonly status: DogStatus
  readonly vaccinationExpiresOn: LocalDate
  readonly licenceExpiresOn: LocalDate
  readonly schemeCode: string
  readonly score: number
  readonly consequences: ReadonlyArray<Consequence>
}

/**
 * What the owner sees of a report about their dog: never who reported it,
 * nor the evidence references (which may identify the reporter); only how
 * many there are.
 *
 * @since 0.2.0
 * @category views
 */
export interface ReportOwnerView {
  readonly reportId: ReportId
  readonly dogId: DogId
  readonly kind: string
  readonly place: string
  readonly occurredAt: number
  readonly status: ReportStatus
  readonly evidenceCount: number
  readonly deducted?: number
  readonly appealUntil?: LocalDate
  readonly appealOutcome?: "upheld" | "dismissed" | "pending"
}

/**
 * One line of the owner's score history (who recorded it is left out).
 *
 * @since 0.2.0
 * @category views
 */
export interface ScoreHistoryLine {
  readonly seq: number
  readonly kind: EntryKind
  readonly code: string
  readonly points: number
  readonly applied: number
  readonly scoreAfter: number
  readonly recordedAt: number
  readonly reverses?: number
}

/**
 * A dog as the public sees it: masked tag, breed and size, and what
 * consequences hold; never the owner or household.
 *
 * @since 0.2.0
 * @category views
 */
export interface PublicDogView {
  readonly tag: string
  readonly breed: string
  readonly size: typeof DogSize.Type
  readonly consequences: ReadonlyArray<Consequence>
}

/**
 * A count of complaints in one month of one kind (duplicates left out).
 *
 * @since 0.2.0
 * @category views
 */
export interface MonthlyComplaints {
  readonly month: string
  readonly kind: string
  readonly count: number
}

/**
 * A dog with several standing violations in the window.
 *
 * @since 0.2.0
 * @category views
 */
export interface RepeatOffender {
  readonly dogId: DogId
  readonly tag: string
  readonly householdId: HouseholdId
  readonly violations: number
  readonly score: number
}

/**
 * What `runDailyChecks` did.
 *
 * @since 0.2.0
 * @category views
 */
export interface DailyChecksResult {
  readonly expired: number
  readonly cleanRecordRewards: number
  readonly resets: number
  readonly reminders: number
}

// ---------------------------------------------------------------------------
// Config

/**
 * Pet credit's configuration.
 *
 * @since 0.2.0
 * @category config
 */
export interface PetCreditConfigShape {
  /** The scheme of communities that never chose one. */
  readonly defaultScheme: Scheme
  /** Unverified reports expire after this many working days. */
  readonly verifyWithinWorkdays: number
  /** The owner may appeal within this many working days of the verification. */
  readonly appealWithinWorkdays: number
  /** Reports of the same dog and kind this close in time are one incident. */
  readonly incidentWindowMinutes: number
  /** Reminders go this many days before a vaccination or licence expires. */
  readonly reminderDays: number
  /** Issue case types (issues module) that are dog-related, with the violation kind they report. */
  readonly issueTypes: Readonly<Record<string, string>>
  /** Time-bank service types that count as dog patrols (reward kind `patrol`). */
  readonly patrolServiceTypes: ReadonlyArray<string>
}

/**
 * The defaults: the seed scheme; verify within 5 working days; appeal
 * within 7 working days (the seed's answer time); one incident per 30
 * minutes; reminders 30 days ahead; issue type `dog-waste` reports `waste`;
 * time-bank type `dog-patrol`.
 *
 * @since 0.2.0
 * @category config
 */
export const defaultPetCreditConfig: PetCreditConfigShape = {
  defaultScheme: seedScheme,
  verifyWithinWorkdays: 5,
  appealWithinWorkdays: 7,
  incidentWindowMinutes: 30,
  reminderDays: 30,
  issueTypes: { "dog-waste": "waste" },
  patrolServiceTypes: ["dog-patrol"]
}

/**
 * Pet credit's configuration; defaults to {@link defaultPetCreditConfig}.
 *
 * @since 0.2.0
 * @category config
 */
export class PetCreditConfig extends Context.Reference<PetCreditConfig>()("@gongzhi/core/PetCreditConfig", {
  defaultValue: (): PetCreditConfigShape => defaultPetCreditConfig
}) {}
