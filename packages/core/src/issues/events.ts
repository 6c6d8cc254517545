/**
 * The issues module's journal events. Ids and codes only: no free text
 * (notes may hold personal data) and never a phone number.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { DepartmentId, ResidentId, StaffId } from "../kernel/ids.js"
import { CaseId, CaseNumber, CaseStatus, CaseTypeId, MediationOutcome, MediationTier, Resolution, Satisfaction } from "./model.js"

const ref = { caseId: CaseId, caseNumber: CaseNumber }

/**
 * A report was filed and got its case number. The cross-module contract
 * (incentives awards points from it): `reporterId` is absent only when staff
 * filed it without a known resident.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueReportSubmitted = Schema.TaggedStruct("IssueReportSubmitted", {
  ...ref,
  typeId: CaseTypeId,
  reporterId: Schema.optional(ResidentId),
  /** The date promised to the reporter. */
  publicExpectedDate: Schema.optional(LocalDate)
})

/**
 * Every change of derived status, with the step that caused it.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueStatusChanged = Schema.TaggedStruct("IssueStatusChanged", { ...ref, from: CaseStatus, to: CaseStatus })

/**
 * The case was accepted (受理).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseAccepted = Schema.TaggedStruct("IssueCaseAccepted", { ...ref })

/**
 * The case was dispatched (派单) or re-routed to a lead department.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseDispatched = Schema.TaggedStruct("IssueCaseDispatched", {
  ...ref,
  lead: DepartmentId,
  assisting: Schema.Array(DepartmentId),
  handler: Schema.optional(StaffId),
  reason: Schema.Literal("dispatch", "reroute", "reopen")
})

/**
 * The lead department returned the case to dispatch (退单).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseReturned = Schema.TaggedStruct("IssueCaseReturned", { ...ref, department: DepartmentId })

/**
 * A handler was assigned.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseAssigned = Schema.TaggedStruct("IssueCaseAssigned", { ...ref, handler: StaffId })

/**
 * The case type changed (and the case may have been re-routed).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueTypeChanged = Schema.TaggedStruct("IssueTypeChanged", { ...ref, from: CaseTypeId, to: CaseTypeId })

/**
 * The deadline clock stopped or restarted while waiting on the reporter.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueClockPaused = Schema.TaggedStruct("IssueClockPaused", { ...ref, paused: Schema.Boolean })

/**
 * An extension (延期) was requested.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueExtensionRequested = Schema.TaggedStruct("IssueExtensionRequested", { ...ref, amount: Schema.Int })

/**
 * An extension was approved or refused; `dueAt` is the resolution deadline after it.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueExtensionDecided = Schema.TaggedStruct("IssueExtensionDecided", {
  ...ref,
  approved: Schema.Boolean,
  dueAt: Schema.Int
})

/**
 * A deadline is near (emitted once per deadline, before any breach).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueDeadlineWarning = Schema.TaggedStruct("IssueDeadlineWarning", {
  ...ref,
  deadline: Schema.Literal("response", "resolution"),
  dueAt: Schema.Int,
  lead: Schema.optional(DepartmentId)
})

/**
 * A working-day date of an open case was recomputed because the official
 * schedule of a calendar year it rested on was loaded (it had been computed
 * on the provisional year): old and new date. `deadline` is `"public"` for
 * the date promised to the reporter. A date that did not change emits
 * nothing.
 *
 * @since 0.2.0
 * @category events
 */
export const IssueDeadlineRederived = Schema.TaggedStruct("IssueDeadlineRederived", {
  ...ref,
  deadline: Schema.Literal("response", "resolution", "public"),
  from: LocalDate,
  to: LocalDate,
  reason: Schema.Literal("official-schedule-loaded"),
  year: Schema.Int
})

/**
 * A deadline passed unmet (emitted once per deadline).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueDeadlineBreached = Schema.TaggedStruct("IssueDeadlineBreached", {
  ...ref,
  deadline: Schema.Literal("response", "resolution"),
  dueAt: Schema.Int,
  lead: Schema.optional(DepartmentId)
})

/**
 * The department answered (答复).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseAnswered = Schema.TaggedStruct("IssueCaseAnswered", {
  ...ref,
  fixed: Schema.Boolean,
  onTime: Schema.Boolean,
  /** Why not fixed (absent when fixed). */
  reason: Schema.optional(Schema.Literal("not-responsible", "unable-to-fix", "withdrawn"))
})

/**
 * A follow-up (回访) was recorded.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueFollowUpRecorded = Schema.TaggedStruct("IssueFollowUpRecorded", {
  ...ref,
  reached: Schema.Boolean,
  fixed: Schema.optional(Schema.Boolean),
  satisfaction: Schema.optional(Satisfaction)
})

/**
 * The case closed (办结), fixed or not.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseClosed = Schema.TaggedStruct("IssueCaseClosed", { ...ref, resolution: Resolution })

/**
 * The case was reopened (重办).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseReopened = Schema.TaggedStruct("IssueCaseReopened", {
  ...ref,
  afterFollowUp: Schema.Boolean,
  /** The new date promised to the reporter. */
  publicExpectedDate: Schema.optional(LocalDate)
})

/**
 * A note was added to the timeline. Carries who wrote it and whether it is
 * public, never the note itself (it may hold personal data).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueNoteAdded = Schema.TaggedStruct("IssueNoteAdded", {
  ...ref,
  visibility: Schema.Literal("public", "internal"),
  actorKind: Schema.Literal("reporter", "resident", "staff", "system")
})

/**
 * The case was marked a duplicate and merged into another.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseMerged = Schema.TaggedStruct("IssueCaseMerged", { ...ref, into: CaseId, followersMoved: Schema.Int })

/**
 * A resident follows an existing case instead of filing a new one.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueCaseFollowed = Schema.TaggedStruct("IssueCaseFollowed", { ...ref, residentId: ResidentId })

/**
 * A mediation session was held (participants are counted, not named).
 *
 * @since 0.1.0
 * @category events
 */
export const IssueMediationSession = Schema.TaggedStruct("IssueMediationSession", {
  ...ref,
  tier: MediationTier,
  participants: Schema.Int
})

/**
 * A mediation tier reached an outcome.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueMediationOutcome = Schema.TaggedStruct("IssueMediationOutcome", {
  ...ref,
  tier: MediationTier,
  outcome: MediationOutcome
})

/**
 * A dispute moved up the ladder.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueMediationEscalated = Schema.TaggedStruct("IssueMediationEscalated", {
  ...ref,
  from: MediationTier,
  to: MediationTier
})

/**
 * Every event of the issues module.
 *
 * @since 0.1.0
 * @category events
 */
export const IssueEvent = Schema.Union(
  IssueReportSubmitted,
  IssueStatusChanged,
  IssueCaseAccepted,
  IssueCaseDispatched,
  IssueCaseReturned,
  IssueCaseAssigned,
  IssueTypeChanged,
  IssueClockPaused,
  IssueExtensionRequested,
  IssueExtensionDecided,
  IssueDeadlineWarning,
  IssueDeadlineBreached,
  IssueDeadlineRederived,
  IssueCaseAnswered,
  IssueFollowUpRecorded,
  IssueCaseClosed,
  IssueCaseReopened,
  IssueNoteAdded,
  IssueCaseMerged,
  IssueCaseFollowed,
  IssueMediationSession,
  IssueMediationOutcome,
  IssueMediationEscalated
)
/**
 * @since 0.1.0
 * @category events
 */
export type IssueEvent = typeof IssueEvent.Type
