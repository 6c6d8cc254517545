/**
 * Issue reporting as work orders (工单): the catalogue of case types, the
 * case record with its append-only timeline, command inputs, views and the
 * Open311 GeoReport v2 shapes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { BuildingId, CommunityId, DepartmentId, ResidentId, StaffId, UnitId } from "../kernel/ids.js"
import { Sha256Hex } from "../kernel/journal.js"

const idPattern = /^[A-Za-z0-9_.:-]{1,64}$/

/**
 * A case (工单) id.
 *
 * @since 0.1.0
 * @category ids
 */
export const CaseId = Schema.String.pipe(
  Schema.pattern(idPattern, { message: () => "CaseId must be 1-64 characters of A-Z a-z 0-9 _ . : -" }),
  Schema.brand("IssueCaseId")
)
/**
 * @since 0.1.0
 * @category ids
 */
export type CaseId = typeof CaseId.Type

/**
 * A case type in the catalogue, e.g. `street-light`.
 *
 * @since 0.1.0
 * @category ids
 */
export const CaseTypeId = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/), Schema.brand("IssueCaseTypeId"))
/**
 * @since 0.1.0
 * @category ids
 */
export type CaseTypeId = typeof CaseTypeId.Type

/**
 * A human-readable case number, unique and gap-free per community and year:
 * `2026-000123`.
 *
 * @since 0.1.0
 * @category ids
 */
export const CaseNumber = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{6,}$/))

/**
 * A text in zh-CN and en.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const Text = Schema.Struct({ "zh-CN": Schema.String, en: Schema.String })
/**
 * @since 0.1.0
 * @category catalogue
 */
export type Text = typeof Text.Type

/**
 * How urgent a case is; chooses its deadlines.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const Priority = Schema.Literal("urgent", "high", "normal", "low")
/**
 * @since 0.1.0
 * @category catalogue
 */
export type Priority = typeof Priority.Type

/**
 * Where a report came in: the resident's app, the hotline (entered by staff),
 * an offline service station, or SMS.
 *
 * @since 0.1.0
 * @category models
 */
export const Channel = Schema.Literal("app", "hotline", "station", "sms")
/**
 * @since 0.1.0
 * @category models
 */
export type Channel = typeof Channel.Type

/**
 * The lifecycle: submitted (提交) -> accepted (受理) -> dispatched (派单) ->
 * signed for (签收) -> in progress (办理) -> answered (答复) -> follow-up
 * (回访) -> closed (办结). Always derived from the timeline.
 *
 * @since 0.1.0
 * @category models
 */
export const CaseStatus = Schema.Literal(
  "submitted",
  "accepted",
  "dispatched",
  "signed-for",
  "in-progress",
  "answered",
  "follow-up",
  "closed"
)
/**
 * @since 0.1.0
 * @category models
 */
export type CaseStatus = typeof CaseStatus.Type

/**
 * Every status, in lifecycle order.
 *
 * @since 0.1.0
 * @category models
 */
export const caseStatuses: ReadonlyArray<CaseStatus> = CaseStatus.literals

/**
 * The data type of a per-type attribute (Open311's datatypes plus boolean).
 *
 * @since 0.1.0
 * @category catalogue
 */
export const AttributeDatatype = Schema.Literal(
  "string",
  "number",
  "datetime",
  "text",
  "singlevaluelist",
  "multivaluelist",
  "boolean"
)
/**
 * @since 0.1.0
 * @category catalogue
 */
export type AttributeDatatype = typeof AttributeDatatype.Type

/**
 * A value of a per-type attribute: a string (also datetimes, ISO 8601), a
 * number, a boolean or a list of option keys.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const AttributeValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Array(Schema.String))
/**
 * @since 0.1.0
 * @category catalogue
 */
export type AttributeValue = typeof AttributeValue.Type

/**
 * An extra question a case type asks. A `blocking` attribute stops the
 * submission when its answer is one of `values`, and tells the reporter what
 * to do instead (e.g. "anyone in danger?" -> call 119).
 *
 * @since 0.1.0
 * @category catalogue
 */
export const AttributeDef = Schema.Struct({
  code: Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9_-]{0,39}$/)),
  datatype: AttributeDatatype,
  label: Text,
  required: Schema.Boolean,
  order: Schema.Int,
  options: Schema.optional(Schema.Array(Schema.Struct({ key: Schema.String, name: Text }))),
  /** For numbers: inclusive bounds. */
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  /** For strings and texts. */
  maxLength: Schema.optional(Schema.Int),
  /** For strings: a regular expression the whole value must match. */
  pattern: Schema.optional(Schema.String),
  blocking: Schema.optional(
    Schema.Struct({ values: Schema.Array(Schema.Union(Schema.String, Schema.Boolean, Schema.Number)), guidance: Text })
  )
})
/**
 * @since 0.1.0
 * @category catalogue
 */
export type AttributeDef = typeof AttributeDef.Type

/**
 * Response and resolution deadlines: in working days (counted on the
 * community's calendar) or in clock hours (urgent types).
 *
 * @since 0.1.0
 * @category catalogue
 */
export const DeadlineSpec = Schema.Struct({
  unit: Schema.Literal("workdays", "hours"),
  /** Until the lead department signs for the case (签收). */
  response: Schema.Int.pipe(Schema.positive()),
  /** Until the case is answered (答复). */
  resolution: Schema.Int.pipe(Schema.positive())
})
/**
 * @since 0.1.0
 * @category catalogue
 */
export type DeadlineSpec = typeof DeadlineSpec.Type

/**
 * Which photos a report of a type may carry.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const PhotoPolicy = Schema.Struct({
  maxPhotos: Schema.Int.pipe(Schema.nonNegative()),
  maxBytes: Schema.Int.pipe(Schema.positive()),
  mimeTypes: Schema.Array(Schema.String),
  required: Schema.Boolean
})
/**
 * @since 0.1.0
 * @category catalogue
 */
export type PhotoPolicy = typeof PhotoPolicy.Type

/**
 * Whether reports of a type may, must or must not be anonymous. An anonymous
 * case keeps the reporter's identity apart: only the roles in
 * `IssuesConfig.identityRoles` see it; the public view never does.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const Anonymity = Schema.Literal("not-allowed", "optional", "always")

/**
 * A case type (事项分类).
 *
 * @since 0.1.0
 * @category catalogue
 */
export const CaseType = Schema.Struct({
  id: CaseTypeId,
  group: Schema.String,
  name: Text,
  description: Schema.optional(Text),
  keywords: Schema.Array(Schema.String),
  attributes: Schema.Array(AttributeDef),
  priority: Priority,
  /** Per-priority deadlines of this type; the config's `deadlines` fill the rest. */
  deadlines: Schema.optional(
    Schema.Struct({
      urgent: Schema.optional(DeadlineSpec),
      high: Schema.optional(DeadlineSpec),
      normal: Schema.optional(DeadlineSpec),
      low: Schema.optional(DeadlineSpec)
    })
  ),
  anonymity: Anonymity,
  photoPolicy: Schema.optional(PhotoPolicy),
  /** Left out of satisfaction figures (enforcement, mediation). */
  excludedFromSatisfaction: Schema.Boolean,
  /** A dispute (纠纷) handled on the mediation ladder. */
  dispute: Schema.Boolean
})
/**
 * @since 0.1.0
 * @category catalogue
 */
export type CaseType = typeof CaseType.Type

/**
 * Where a routed case goes.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const RouteTarget = Schema.Struct({
  lead: DepartmentId,
  assisting: Schema.Array(DepartmentId),
  handler: Schema.optional(StaffId),
  /**
   * `"least-loaded"`: when no `handler` is given, assign the lead
   * department's handler (role `handler`) with the fewest open cases
   * assigned, ties by staff id. Absent: leave the case unassigned.
   */
  assign: Schema.optional(Schema.Literal("least-loaded"))
})
/**
 * @since 0.1.0
 * @category catalogue
 */
export type RouteTarget = typeof RouteTarget.Type

/**
 * A routing rule on area x type: matches when every given criterion matches
 * (an absent criterion matches anything). The first matching rule wins.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const RoutingRule = Schema.Struct({
  buildings: Schema.optional(Schema.Array(BuildingId)),
  types: Schema.optional(Schema.Array(CaseTypeId)),
  groups: Schema.optional(Schema.Array(Schema.String)),
  ...RouteTarget.fields
})
/**
 * @since 0.1.0
 * @category catalogue
 */
export type RoutingRule = typeof RoutingRule.Type

/**
 * The catalogue: case types, routing rules and the fallback queue.
 *
 * @since 0.1.0
 * @category catalogue
 */
export const Catalogue = Schema.Struct({
  types: Schema.Array(CaseType),
  routing: Schema.Array(RoutingRule),
  fallback: RouteTarget
})
/**
 * @since 0.1.0
 * @category catalogue
 */
export type Catalogue = typeof Catalogue.Type

/**
 * A photo reference: the file itself lives elsewhere (object storage); the
 * case keeps where, what type, how big and its SHA-256.
 *
 * @since 0.1.0
 * @category models
 */
export const Photo = Schema.Struct({
  ref: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)),
  mimeType: Schema.String.pipe(Schema.pattern(/^[a-z]+\/[a-z0-9.+-]+$/)),
  sizeBytes: Schema.Int.pipe(Schema.positive()),
  sha256: Sha256Hex
})
/**
 * @since 0.1.0
 * @category models
 */
export type Photo = typeof Photo.Type

/**
 * A WGS-84 point.
 *
 * @since 0.1.0
 * @category models
 */
export const Point = Schema.Struct({
  lat: Schema.Number.pipe(Schema.between(-90, 90)),
  lng: Schema.Number.pipe(Schema.between(-180, 180))
})
/**
 * @since 0.1.0
 * @category models
 */
export type Point = typeof Point.Type

/**
 * Where the problem is: a building (and unit), or a point with address text.
 *
 * @since 0.1.0
 * @category models
 */
export const Location = Schema.Struct({
  buildingId: Schema.optional(BuildingId),
  unitId: Schema.optional(UnitId),
  point: Schema.optional(Point),
  address: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
}).pipe(
  Schema.filter((l) => l.buildingId !== undefined || l.point !== undefined || "a location needs a building or a point")
)
/**
 * @since 0.1.0
 * @category models
 */
export type Location = typeof Location.Type

/**
 * The reporter's identity and contact: private to the roles that need it.
 *
 * @since 0.1.0
 * @category models
 */
export const Reporter = Schema.Struct({
  residentId: Schema.optional(ResidentId),
  name: Schema.optional(Schema.String.pipe(Schema.maxLength(100))),
  phone: Schema.optional(Schema.String.pipe(Schema.maxLength(40))),
  email: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
})
/**
 * @since 0.1.0
 * @category models
 */
export type Reporter = typeof Reporter.Type

/**
 * How a working-day date was computed: `addWorkdays(from, workdays)` on the
 * community's calendar (extensions and pauses add to `workdays`). Kept so that
 * a date computed on a provisional calendar year can be re-derived when the
 * official schedule is loaded.
 *
 * @since 0.2.0
 * @category models
 */
export const DateBasis = Schema.Struct({ from: LocalDate, workdays: Schema.Int })
/**
 * @since 0.2.0
 * @category models
 */
export type DateBasis = typeof DateBasis.Type

/**
 * One deadline of a case. `dueAt` is exclusive: the deadline is breached at
 * `dueAt` (for working-day deadlines: the start of the day after `dueDate`).
 * `provisionalYears` (present only when not empty) marks a due date that
 * rests on a provisional calendar year: it may move when that year's
 * official schedule is loaded (see docs/calendar.md).
 *
 * @since 0.1.0
 * @category models
 */
export const Deadline = Schema.Struct({
  unit: Schema.Literal("workdays", "hours"),
  /** Working days or hours granted, extensions included. */
  amount: Schema.Int,
  /** Last working day (working-day deadlines). */
  dueDate: Schema.optional(LocalDate),
  dueAt: Schema.Int,
  warnAt: Schema.Int,
  warned: Schema.Boolean,
  breached: Schema.Boolean,
  /** When it was met (response: signed for; resolution: answered). */
  metAt: Schema.optional(Schema.Int),
  /** Working-day deadlines: how `dueDate` was computed. */
  basis: Schema.optional(DateBasis),
  /** The provisional calendar years the due date (or its warning date) rests on; absent when official. */
  provisionalYears: Schema.optional(Schema.Array(Schema.Int))
})
/**
 * @since 0.1.0
 * @category models
 */
export type Deadline = typeof Deadline.Type

/**
 * What kind of step a timeline entry records.
 *
 * @since 0.1.0
 * @category models
 */
export const StepKind = Schema.Literal(
  "submitted",
  "accepted",
  "rejected",
  "dispatched",
  "returned",
  "assigned",
  "signed-for",
  "started",
  "note",
  "paused",
  "resumed",
  "extension-requested",
  "extension-decided",
  "type-changed",
  "answered",
  "followed-up",
  "closed",
  "reopened",
  "merged",
  "follower-added",
  "mediation-session",
  "mediation-outcome",
  "mediation-escalated",
  "deadline-rederived"
)
/**
 * @since 0.1.0
 * @category models
 */
export type StepKind = typeof StepKind.Type

/**
 * Who took a step, as shown on the timeline.
 *
 * @since 0.1.0
 * @category models
 */
export const StepActorKind = Schema.Literal("reporter", "resident", "staff", "system")

/**
 * One entry of a case's append-only timeline.
 *
 * @since 0.1.0
 * @category models
 */
export const TimelineStep = Schema.Struct({
  /** 1, 2, 3, ... per case. */
  seq: Schema.Int.pipe(Schema.positive()),
  kind: StepKind,
  at: Schema.Int,
  /** `resident:R1`, `staff:S1`, `system:scheduler` (see `actorRef`). */
  actor: Schema.String,
  actorKind: StepActorKind,
  visibility: Schema.Literal("public", "internal"),
  note: Schema.optional(Schema.String),
  media: Schema.optional(Schema.Array(Photo)),
  /** The department the step concerns (dispatch target, returning department). */
  department: Schema.optional(DepartmentId),
  /** How a `closed` step ends the case. */
  resolution: Schema.optional(Schema.String)
})
/**
 * @since 0.1.0
 * @category models
 */
export type TimelineStep = typeof TimelineStep.Type

/**
 * How a case was closed: fixed, or closed-not-fixed for a reason.
 *
 * @since 0.1.0
 * @category models
 */
export const Resolution = Schema.Literal("fixed", "not-responsible", "unable-to-fix", "duplicate", "rejected", "withdrawn")
/**
 * @since 0.1.0
 * @category models
 */
export type Resolution = typeof Resolution.Type

/**
 * Satisfaction at follow-up: 满意 / 基本满意 / 不满意.
 *
 * @since 0.1.0
 * @category models
 */
export const Satisfaction = Schema.Literal("satisfied", "basically-satisfied", "dissatisfied")
/**
 * @since 0.1.0
 * @category models
 */
export type Satisfaction = typeof Satisfaction.Type

/**
 * One follow-up (回访) attempt.
 *
 * @since 0.1.0
 * @category models
 */
export const FollowUp = Schema.Struct({
  at: Schema.Int,
  reached: Schema.Boolean,
  fixed: Schema.optional(Schema.Boolean),
  satisfaction: Schema.optional(Satisfaction),
  /** A 1-5 score when the survey uses one (4-5 counts as satisfied, 3 as basically satisfied). */
  score: Schema.optional(Schema.Int.pipe(Schema.between(1, 5)))
})
/**
 * @since 0.1.0
 * @category models
 */
export type FollowUp = typeof FollowUp.Type

/**
 * The mediation ladder (纠纷调解), lowest tier first: stakeholder group
 * (5-7 people, 利益相关方小组) -> residents' council (议事会) -> legal advisor
 * (法律顾问) -> street judicial office (街道司法所).
 *
 * @since 0.1.0
 * @category mediation
 */
export const MediationTier = Schema.Literal("stakeholder-group", "residents-council", "legal-advisor", "street-judicial-office")
/**
 * @since 0.1.0
 * @category mediation
 */
export type MediationTier = typeof MediationTier.Type

/**
 * Outcome of a tier: agreement (达成协议), escalate, withdrawn (撤回).
 *
 * @since 0.1.0
 * @category mediation
 */
export const MediationOutcome = Schema.Literal("agreement", "escalate", "withdrawn")
/**
 * @since 0.1.0
 * @category mediation
 */
export type MediationOutcome = typeof MediationOutcome.Type

/**
 * A dispute's work at one tier.
 *
 * @since 0.1.0
 * @category mediation
 */
export const MediationRound = Schema.Struct({
  tier: MediationTier,
  openedAt: Schema.Int,
  sessions: Schema.Array(
    Schema.Struct({ at: Schema.Int, participants: Schema.Array(Schema.String), note: Schema.optional(Schema.String) })
  ),
  outcome: Schema.optional(Schema.Struct({ kind: MediationOutcome, at: Schema.Int, note: Schema.optional(Schema.String) }))
})
/**
 * @since 0.1.0
 * @category mediation
 */
export type MediationRound = typeof MediationRound.Type

/**
 * A case (工单) as stored. `status` is always `deriveStatus(timeline)`;
 * `nextDueAt` is the next instant `dueScan` must look at it (absent when
 * closed, paused or nothing is pending), which stores index.
 *
 * @since 0.1.0
 * @category models
 */
export const IssueCase = Schema.Struct({
  communityId: CommunityId,
  id: CaseId,
  number: CaseNumber,
  typeId: CaseTypeId,
  priority: Priority,
  status: CaseStatus,
  channel: Channel,
  location: Location,
  description: Schema.String,
  photos: Schema.Array(Photo),
  attributes: Schema.Record({ key: Schema.String, value: AttributeValue }),
  anonymous: Schema.Boolean,
  reporter: Reporter,
  followers: Schema.Array(ResidentId),
  lead: Schema.optional(DepartmentId),
  assisting: Schema.Array(DepartmentId),
  handler: Schema.optional(StaffId),
  dispatchedAt: Schema.optional(Schema.Int),
  returns: Schema.Int,
  receivedAt: Schema.Int,
  response: Deadline,
  resolution: Deadline,
  /** The date promised to the reporter; internal deadlines are never shown publicly. */
  publicExpectedDate: LocalDate,
  /** How the public date was computed (working-day resolution deadlines). */
  publicExpectedBasis: Schema.optional(DateBasis),
  /** The provisional calendar years the public date rests on; absent when official. */
  publicExpectedProvisionalYears: Schema.optional(Schema.Array(Schema.Int)),
  pausedAt: Schema.optional(Schema.Int),
  pendingExtension: Schema.optional(
    Schema.Struct({ requestedAt: Schema.Int, amount: Schema.Int, reason: Schema.String, by: Schema.String })
  ),
  closedAt: Schema.optional(Schema.Int),
  closure: Schema.optional(
    Schema.Struct({ resolution: Resolution, reason: Schema.optional(Schema.String), resolvedBy: Schema.optional(Schema.String) })
  ),
  followUps: Schema.Array(FollowUp),
  reopenCount: Schema.Int,
  duplicateOf: Schema.optional(CaseId),
  mediation: Schema.Array(MediationRound),
  timeline: Schema.Array(TimelineStep),
  nextDueAt: Schema.optional(Schema.Int),
  createdAt: Schema.Int,
  updatedAt: Schema.Int,
  /** 1 on insert, +1 on every update (optimistic concurrency). */
  version: Schema.Int.pipe(Schema.positive())
})
/**
 * @since 0.1.0
 * @category models
 */
export type IssueCase = typeof IssueCase.Type

/**
 * The idempotency key a report was filed with: which case it created and the
 * fingerprint (SHA-256 hex of the actor and the report) a replay must match.
 * Written once, never changed.
 *
 * @since 0.1.0
 * @category models
 */
export const ReportKey = Schema.Struct({
  communityId: CommunityId,
  key: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  caseId: CaseId,
  fingerprint: Schema.String.pipe(Schema.minLength(1)),
  createdAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category models
 */
export type ReportKey = typeof ReportKey.Type

// ---------------------------------------------------------------------------
// Command inputs
// ---------------------------------------------------------------------------

const Note = Schema.String.pipe(Schema.maxLength(2000))
const Visibility = Schema.Literal("public", "internal")
const Media = Schema.Array(Photo).pipe(Schema.maxItems(20))

const caseRef = {
  communityId: CommunityId,
  caseId: CaseId
}
const stepExtras = {
  note: Schema.optional(Note),
  visibility: Schema.optional(Visibility),
  media: Schema.optional(Media)
}

/**
 * Input of `submitReport`. A resident reports for themselves; staff enter
 * hotline, station and SMS reports, with `reporterId` when the caller is a
 * known resident, and may record a caller's `contact` (kept private).
 *
 * @since 0.1.0
 * @category inputs
 */
export const SubmitReportInput = Schema.Struct({
  communityId: CommunityId,
  typeId: Schema.String,
  location: Location,
  description: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(4000)),
  photos: Schema.optionalWith(Schema.Array(Photo).pipe(Schema.maxItems(20)), { default: () => [] }),
  channel: Channel,
  anonymous: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  reporterId: Schema.optional(ResidentId),
  contact: Schema.optional(Reporter.pipe(Schema.omit("residentId"))),
  attributes: Schema.optionalWith(Schema.Record({ key: Schema.String, value: AttributeValue }), { default: () => ({}) }),
  priority: Schema.optional(Priority),
  /**
   * Makes a retried submission safe: the same key with the same report (by
   * the same actor) returns the first case; with a different report it fails
   * with `IdempotencyKeyReused`. Unique per community.
   */
  idempotencyKey: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)))
})
/**
 * @since 0.1.0
 * @category inputs
 */
export type SubmitReportInput = typeof SubmitReportInput.Type

/**
 * Input of commands that only take a case and an optional note.
 *
 * @since 0.1.0
 * @category inputs
 */
export const CaseStepInput = Schema.Struct({ ...caseRef, ...stepExtras })
/**
 * @since 0.1.0
 * @category inputs
 */
export type CaseStepInput = typeof CaseStepInput.Type

/**
 * Input of `dispatch`: an explicit target, or none to apply the routing rules.
 *
 * @since 0.1.0
 * @category inputs
 */
export const DispatchInput = Schema.Struct({
  ...caseRef,
  ...stepExtras,
  lead: Schema.optional(DepartmentId),
  assisting: Schema.optional(Schema.Array(DepartmentId)),
  handler: Schema.optional(StaffId)
})

/**
 * Input of `returnCase` (退单): the reason is required.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ReturnInput = Schema.Struct({ ...caseRef, ...stepExtras, reason: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)) })

/**
 * Input of `assign`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const AssignInput = Schema.Struct({ ...caseRef, ...stepExtras, handler: StaffId })

/**
 * Input of `changeType`: re-routes the case when it was already dispatched.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ChangeTypeInput = Schema.Struct({ ...caseRef, ...stepExtras, typeId: Schema.String })

/**
 * Input of `requestExtension` (延期): working days (or hours for hour-based
 * deadlines) to add to the resolution deadline.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RequestExtensionInput = Schema.Struct({
  ...caseRef,
  ...stepExtras,
  amount: Schema.Int.pipe(Schema.between(1, 60)),
  reason: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500))
})

/**
 * Input of `decideExtension`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const DecideExtensionInput = Schema.Struct({ ...caseRef, ...stepExtras, approve: Schema.Boolean })

/**
 * Input of `answer` (答复): the proposed resolution.
 *
 * @since 0.1.0
 * @category inputs
 */
export const AnswerInput = Schema.Struct({
  ...caseRef,
  ...stepExtras,
  fixed: Schema.Boolean,
  /** Why not fixed (required when `fixed` is false). */
  reason: Schema.optional(Schema.Literal("not-responsible", "unable-to-fix", "withdrawn"))
})

/**
 * Input of `followUp` (回访): either unreachable, or the reporter's answer.
 * A dissatisfied reporter may ask to `reopen` (重办) at once.
 *
 * @since 0.1.0
 * @category inputs
 */
export const FollowUpInput = Schema.Struct({
  ...caseRef,
  ...stepExtras,
  reached: Schema.Boolean,
  fixed: Schema.optional(Schema.Boolean),
  satisfaction: Schema.optional(Satisfaction),
  score: Schema.optional(Schema.Int.pipe(Schema.between(1, 5))),
  reopen: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/**
 * Input of `close`: closes after an answer (or an unreachable follow-up).
 *
 * @since 0.1.0
 * @category inputs
 */
export const CloseInput = Schema.Struct({ ...caseRef, ...stepExtras })

/**
 * Input of `reject`: closes a report that is not a case at all.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RejectInput = Schema.Struct({ ...caseRef, ...stepExtras, reason: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500)) })

/**
 * Input of `markDuplicate`: `caseId` is a duplicate of `of`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const MarkDuplicateInput = Schema.Struct({ ...caseRef, ...stepExtras, of: CaseId })

/**
 * Input of `recordMediationSession`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const MediationSessionInput = Schema.Struct({
  ...caseRef,
  note: Schema.optional(Note),
  participants: Schema.Array(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64))).pipe(Schema.minItems(1), Schema.maxItems(50))
})

/**
 * Input of `recordMediationOutcome`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const MediationOutcomeInput = Schema.Struct({ ...caseRef, note: Schema.optional(Note), outcome: MediationOutcome })

/**
 * Input of `escalateMediation`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const EscalateInput = Schema.Struct({ ...caseRef, note: Schema.optional(Note), to: MediationTier })

/**
 * Input of `dueScan`: the instant to scan at (default: now from `Clock`).
 *
 * @since 0.1.0
 * @category inputs
 */
export const DueScanInput = Schema.Struct({ communityId: CommunityId, now: Schema.optional(Schema.Int) })

/**
 * Input of `openCasesOfDepartment`: the open cases a department leads or assists on.
 *
 * @since 0.2.0
 * @category inputs
 */
export const DepartmentCasesInput = Schema.Struct({
  communityId: CommunityId,
  departmentId: DepartmentId
})

/**
 * Input of `findPotentialDuplicates`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const FindDuplicatesInput = Schema.Struct({
  communityId: CommunityId,
  typeId: Schema.String,
  location: Location,
  radiusMeters: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 5000)), { default: () => 50 })
})

// ---------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------

/**
 * A public timeline entry: no actor id, no internal notes.
 *
 * @since 0.1.0
 * @category views
 */
export interface PublicStep {
  readonly seq: number
  readonly kind: StepKind
  readonly at: number
  readonly actorKind: typeof StepActorKind.Type
  readonly department?: string
  readonly note?: string
  readonly media?: ReadonlyArray<Photo>
}

/**
 * What the reporter, followers and the public see of a case: never the
 * reporter's identity or contact, never internal steps or deadlines.
 *
 * @since 0.1.0
 * @category views
 */
export interface PublicCaseView {
  readonly id: CaseId
  readonly number: string
  readonly typeId: CaseTypeId
  readonly status: CaseStatus
  readonly location: Location
  readonly description: string
  readonly photos: ReadonlyArray<Photo>
  readonly lead?: string
  readonly publicExpectedDate: LocalDate
  /** Present when the date rests on a provisional calendar year and may move when its official schedule is loaded. */
  readonly publicExpectedProvisional?: true
  readonly resolution?: Resolution
  readonly followers: number
  readonly duplicateOf?: CaseId
  readonly createdAt: number
  readonly updatedAt: number
  readonly timeline: ReadonlyArray<PublicStep>
}

// ---------------------------------------------------------------------------
// Open311 GeoReport v2
// ---------------------------------------------------------------------------

/**
 * An Open311 GeoReport v2 `service` (a case type).
 *
 * @since 0.1.0
 * @category open311
 */
export interface Open311Service {
  readonly service_code: string
  readonly service_name: string
  readonly description: string
  readonly metadata: boolean
  readonly type: "realtime" | "batch" | "blackbox"
  readonly keywords: string
  readonly group: string
}

/**
 * An Open311 service definition attribute.
 *
 * @since 0.1.0
 * @category open311
 */
export interface Open311Attribute {
  readonly variable: boolean
  readonly code: string
  readonly datatype: "string" | "number" | "datetime" | "text" | "singlevaluelist" | "multivaluelist"
  readonly required: boolean
  readonly datatype_description: string
  readonly order: number
  readonly description: string
  readonly values?: ReadonlyArray<{ readonly key: string; readonly name: string }>
}

/**
 * An Open311 service definition.
 *
 * @since 0.1.0
 * @category open311
 */
export interface Open311ServiceDefinition {
  readonly service_code: string
  readonly attributes: ReadonlyArray<Open311Attribute>
}

/**
 * An Open311 `request` (a case), with no reporter identity or contact.
 *
 * @since 0.1.0
 * @category open311
 */
export interface Open311Request {
  readonly service_request_id: string
  readonly status: "open" | "closed"
  readonly status_notes: string
  readonly service_name: string
  readonly service_code: string
  readonly description: string
  readonly agency_responsible: string
  readonly service_notice: string
  readonly requested_datetime: string
  readonly updated_datetime: string
  readonly expected_datetime: string
  readonly address: string
  readonly address_id: string
  readonly zipcode: string
  readonly lat?: number
  readonly long?: number
  readonly media_url: string
}

/**
 * An Open311 GeoReport v2 `POST requests` payload: the form fields as a
 * record (`service_code`, `lat`, `long`, `address_string`, `address_id`,
 * `description`, `media_url`, `email`, `phone`, `first_name`, `last_name`,
 * `device_id`, `account_id`, and `attribute[code]` / `attribute[code][]` for
 * per-type attributes). Numbers may come as strings, as in a form post.
 *
 * @since 0.1.0
 * @category open311
 */
export const Open311PostPayload = Schema.Record({
  key: Schema.String,
  value: Schema.Union(Schema.String, Schema.Number, Schema.Array(Schema.String))
})
/**
 * @since 0.1.0
 * @category open311
 */
export type Open311PostPayload = typeof Open311PostPayload.Type
