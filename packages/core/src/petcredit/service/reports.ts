/**
 * Pet credit's reports: the evidence rule (report, verify), appeals and reversals.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize } from "../../kernel/actor.js"
import { toLocalDate, WorkdayCalendar } from "../../kernel/calendar.js"
import { decodeInput, NotFound } from "../../kernel/errors.js"
import { type CommunityId, newId } from "../../kernel/ids.js"
import { appendEvents } from "../../kernel/journal.js"
import { transactionally } from "../../kernel/transaction.js"
import {
  AlreadyAppealed,
  AlreadyVerified,
  AppealWindowClosed,
  NotApplicable,
  ReportExpired,
  ReportNotVerified,
  SameStaffDecision
} from "../errors.js"
import { PetCreditEvent } from "../events.js"
import * as Issues from "../../issues/index.js"
import {
  AppealInput,
  DecideAppealInput,
  DogId,
  PetCreditConfig,
  Report,
  ReportId,
  type ReportSource,
  ReportFromIssueInput,
  ReportViolationInput,
  ReverseEntryInput,
  type Scheme,
  ScoreEntry,
  VerifyReportInput
} from "../model.js"
import * as Rules from "../rules.js"
import { PetCreditStore } from "../store.js"
import {
  invalid,
  currentScheme,
  loadDog,
  loadReport,
  requireOwner,
  post,
  onCurrentScheme,
  commit,
  working,
  today,
  latestStandingViolation,
  withLastViolation,
  type Working,
  petCreditPermissions
} from "./shared.js"

// ---------------------------------------------------------------------------
// Reports

const sourceOf = (actor: Actor, patrol: boolean | undefined, issueId: string | undefined): ReportSource | "invalid" => {
  switch (actor._tag) {
    case "Resident":
      return issueId !== undefined ? "invalid" : patrol === true ? "patrol" : "resident"
    case "Staff":
      return patrol === true ? "invalid" : issueId !== undefined ? "issue" : "staff"
    case "System":
      return patrol === true ? "invalid" : issueId !== undefined ? "issue" : "camera"
  }
}

/**
 * Reports a violation of the scheme's catalogue with its evidence (photo or
 * video references), place and time. Nothing is deducted: the report waits
 * for a staff member's verification and expires unverified after
 * `verifyWithinWorkdays` working days. A report of the same dog and kind
 * within `incidentWindowMinutes` of a pending or verified one is linked to
 * it (status `duplicate`) and never counted. Residents (`patrol: true` for
 * patrol volunteers), staff (`issueId` to hand over an issue), and the
 * system actor for camera detections.
 *
 * @since 0.2.0
 * @category commands
 */
export const reportViolation = Effect.fn("petcredit.reportViolation")(function* (
  actor: Actor,
  input: typeof ReportViolationInput.Encoded
) {
  const command = "petcredit.reportViolation"
  const cmd = yield* decodeInput(command, ReportViolationInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const source = sourceOf(actor, cmd.patrol, cmd.issueId)
  if (source === "invalid") {
    return yield* Effect.fail(invalid(command, cmd.patrol === true ? "patrol" : "issueId", "not available to this kind of reporter", "invalid", "此类举报人不可使用该项"))
  }
  return yield* transactionally(fileReport(command, cmd, source, actorRef(actor)))
})

/** Files a report (inside the caller's transaction): checks, duplicate linking, event. */
const fileReport = (
  command: string,
  cmd: {
    readonly communityId: CommunityId
    readonly dogId: DogId
    readonly kind: string
    readonly evidence: ReadonlyArray<string>
    readonly place: string
    readonly occurredAt: number
    readonly issueId?: string | undefined
  },
  source: ReportSource,
  reporterRef: string
) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const config = yield* PetCreditConfig
    const calendar = yield* WorkdayCalendar
    const dog = yield* loadDog(cmd.communityId, cmd.dogId)
    const scheme = yield* currentScheme(cmd.communityId)
    if (Rules.violationRule(scheme, cmd.kind) === undefined) {
      return yield* Effect.fail(invalid(command, "kind", `not a violation of the scheme (${scheme.violations.map((v) => v.kind).join(", ")})`, "enum", "不是本方案的违规类型"))
    }
    const now = yield* Clock.currentTimeMillis
    if (cmd.occurredAt > now + 5 * 60_000) return yield* Effect.fail(invalid(command, "occurredAt", "the incident is in the future", "range", "事发时间不能晚于现在"))
    const reportedOn = toLocalDate(now, calendar.timeZone)
    const expiresOn = yield* calendar.addWorkdays(cmd.communityId, reportedOn, config.verifyWithinWorkdays)
    const open = (yield* store.reports.list({ communityId: cmd.communityId, dogId: dog.id, kind: cmd.kind })).filter(
      (r) => (r.status === "pending" || r.status === "verified") && Rules.sameIncident(r.occurredAt, cmd.occurredAt, config.incidentWindowMinutes)
    )
    const primary = open[0]
    const report = new Report({
      communityId: cmd.communityId,
      id: ReportId.make(yield* newId("rpt")),
      dogId: dog.id,
      kind: cmd.kind,
      source,
      reporterRef,
      evidence: cmd.evidence,
      place: cmd.place,
      occurredAt: cmd.occurredAt,
      month: toLocalDate(cmd.occurredAt, calendar.timeZone).slice(0, 7),
      reportedAt: now,
      expiresOn,
      status: primary === undefined ? "pending" : "duplicate",
      ...(primary === undefined ? {} : { duplicateOf: primary.id }),
      linkedCount: 0,
      ...(cmd.issueId === undefined ? {} : { issueId: cmd.issueId }),
      version: 1
    })
    yield* store.reports.insert(report)
    if (primary !== undefined) {
      yield* store.reports.update(new Report({ ...primary, linkedCount: primary.linkedCount + 1, version: primary.version + 1 }))
      yield* appendEvents(cmd.communityId, PetCreditEvent, [
        { _tag: "PetCreditReportLinked", reportId: report.id, duplicateOf: primary.id, dogId: dog.id }
      ])
    } else {
      yield* appendEvents(cmd.communityId, PetCreditEvent, [
        { _tag: "PetCreditViolationReported", reportId: report.id, dogId: dog.id, kind: report.kind, source, occurredAt: report.occurredAt, expiresOn }
      ])
    }
    return report
  })

/**
 * Hands a dog-related case of the issues module (e.g. the seed's
 * `dog-waste` type) to pet-credit verification: the case's photos become
 * the evidence, its address (or building) the place, its `seen-at`
 * attribute (else its reception time) the incident time; the violation
 * kind comes from `issueTypes` (`dog-waste` -> `waste`) unless given. The
 * report's reporter is the case (`issue:<caseId>`), so the dog's owner
 * never learns the resident behind it. Staff who can read cases.
 *
 * @since 0.2.0
 * @category commands
 */
export const reportFromIssue = Effect.fn("petcredit.reportFromIssue")(function* (
  actor: Actor,
  input: typeof ReportFromIssueInput.Encoded
) {
  const command = "petcredit.reportFromIssue"
  const cmd = yield* decodeInput(command, ReportFromIssueInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const config = yield* PetCreditConfig
  const issue = yield* Issues.getCase(actor, cmd.communityId, cmd.caseId as Issues.CaseId)
  const kind = cmd.kind ?? config.issueTypes[issue.typeId]
  if (kind === undefined) return yield* Effect.fail(invalid(command, "caseId", `case type ${issue.typeId} is not dog-related; give the kind`, "invalid", "该工单类型与犬只无关，请指明违规类型"))
  const evidence = issue.photos.map((p) => p.ref)
  if (evidence.length === 0) return yield* Effect.fail(invalid(command, "caseId", "the case has no photos: evidence is required", "required", "该工单没有照片：需要证据"))
  const seen = issue.attributes["seen-at"]
  const seenAt = typeof seen === "number" ? seen : typeof seen === "string" ? Date.parse(seen) : NaN
  const occurredAt = Number.isFinite(seenAt) ? seenAt : issue.receivedAt
  const place = issue.location.address ?? issue.location.unitId ?? issue.location.buildingId ?? "—"
  return yield* transactionally(
    fileReport(command, { communityId: cmd.communityId, dogId: cmd.dogId, kind, evidence, place, occurredAt, issueId: cmd.caseId }, "issue", `issue:${cmd.caseId}`)
  )
})

/**
 * A staff member decides a pending report. `confirm` posts the scheme's
 * deduction (escalated for repeats of the same kind within the scheme's
 * window) and opens the owner's appeal window of `appealWithinWorkdays`
 * working days; `reject` closes it with no change to the score. Fails with
 * `AlreadyVerified` for a decided report and `ReportExpired` past its deadline.
 *
 * @since 0.2.0
 * @category commands
 */
export const verifyReport = Effect.fn("petcredit.verifyReport")(function* (actor: Actor, input: typeof VerifyReportInput.Encoded) {
  const command = "petcredit.verifyReport"
  const cmd = yield* decodeInput(command, VerifyReportInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  const config = yield* PetCreditConfig
  const calendar = yield* WorkdayCalendar
  return yield* transactionally(
    Effect.gen(function* () {
      const report = yield* loadReport(cmd.communityId, cmd.reportId)
      if (report.status !== "pending") return yield* Effect.fail(new AlreadyVerified({ reportId: report.id, status: report.status }))
      const now = yield* Clock.currentTimeMillis
      const day = toLocalDate(now, calendar.timeZone)
      if (day > report.expiresOn) return yield* Effect.fail(new ReportExpired({ reportId: report.id, expiresOn: report.expiresOn }))
      const by = actorRef(actor)
      const decided = {
        ...report,
        verifiedBy: by,
        verifiedAt: now,
        ...(cmd.note === undefined ? {} : { note: cmd.note }),
        version: report.version + 1
      }
      if (cmd.decision === "reject") {
        const rejected = new Report({ ...decided, status: "rejected" })
        yield* store.reports.update(rejected)
        yield* appendEvents(cmd.communityId, PetCreditEvent, [
          { _tag: "PetCreditReportDecided", reportId: report.id, dogId: report.dogId, kind: report.kind, decision: "rejected", applied: 0, by }
        ])
        return { report: rejected, entry: undefined }
      }
      const dog = yield* loadDog(cmd.communityId, report.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      const priors = (yield* store.reports.list({ communityId: dog.communityId, dogId: dog.id, kind: report.kind, status: "verified" }))
        .filter((r) => r.occurredAt >= dog.keptSince)
        .map((r) => r.occurredAt)
      const deduction = Rules.deductionFor(scheme, report.kind, report.occurredAt, priors)
      if (deduction === undefined) {
        return yield* Effect.fail(new NotApplicable({ action: command, reason: "unknown-kind" }))
      }
      const entry = yield* post(w, scheme, { kind: "violation", code: report.kind, points: -deduction, reportId: report.id }, by, now)
      w.dog = withLastViolation(w.dog, Math.max(w.dog.lastViolationAt ?? 0, report.occurredAt))
      const appealUntil = yield* calendar.addWorkdays(cmd.communityId, day, config.appealWithinWorkdays)
      const verified = new Report({ ...decided, status: "verified", deducted: entry.applied, entrySeq: entry.seq, appealUntil })
      yield* store.reports.update(verified)
      yield* commit(w, dog, [
        {
          _tag: "PetCreditReportDecided",
          reportId: report.id,
          dogId: report.dogId,
          kind: report.kind,
          decision: "confirmed",
          applied: entry.applied,
          appealUntil,
          by
        }
      ])
      return { report: verified, entry }
    })
  )
})

/**
 * The owner appeals a verified report, within its appeal window (working
 * days after the verification). One appeal per report. The owner's
 * household, or clerks for them.
 *
 * @since 0.2.0
 * @category commands
 */
export const appeal = Effect.fn("petcredit.appeal")(function* (actor: Actor, input: typeof AppealInput.Encoded) {
  const command = "petcredit.appeal"
  const cmd = yield* decodeInput(command, AppealInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      const report = yield* loadReport(cmd.communityId, cmd.reportId)
      const dog = yield* loadDog(cmd.communityId, report.dogId, { active: false })
      yield* requireOwner(actor, dog)
      if (report.appeal !== undefined) return yield* Effect.fail(new AlreadyAppealed({ reportId: report.id }))
      if (report.status !== "verified") return yield* Effect.fail(new ReportNotVerified({ reportId: report.id, status: report.status }))
      const day = yield* today
      if (report.appealUntil === undefined || day > report.appealUntil) {
        return yield* Effect.fail(new AppealWindowClosed({ reportId: report.id, appealUntil: report.appealUntil ?? "" }))
      }
      const now = yield* Clock.currentTimeMillis
      const next = new Report({
        ...report,
        appeal: { reason: cmd.reason, appealedBy: actorRef(actor), appealedAt: now },
        version: report.version + 1
      })
      yield* store.reports.update(next)
      yield* appendEvents(cmd.communityId, PetCreditEvent, [{ _tag: "PetCreditAppealFiled", reportId: report.id, dogId: report.dogId }])
      return next
    })
  )
})

const alreadyReversed = (communityId: CommunityId, dogId: DogId, seq: number) =>
  Effect.map(
    Effect.flatMap(PetCreditStore, (s) => s.entries.list({ communityId, dogId, kind: "reversal" })),
    (rs) => rs.some((r) => r.reverses === seq)
  )

/** Posts the compensating entry of `original` on the working dog. */
const reverse = (w: Working, scheme: Scheme, original: ScoreEntry, by: string, now: number) =>
  post(
    w,
    scheme,
    {
      kind: "reversal",
      code: original.code,
      points: -original.applied,
      reverses: original.seq,
      ...(original.reportId === undefined ? {} : { reportId: original.reportId })
    },
    by,
    now
  )

/**
 * A staff member other than the verifier decides an appeal. Upheld: the
 * report is overturned and its deduction reversed by a compensating entry
 * (consequences that no longer hold are lifted). Dismissed: nothing changes
 * but the record.
 *
 * @since 0.2.0
 * @category commands
 */
export const decideAppeal = Effect.fn("petcredit.decideAppeal")(function* (actor: Actor, input: typeof DecideAppealInput.Encoded) {
  const command = "petcredit.decideAppeal"
  const cmd = yield* decodeInput(command, DecideAppealInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      const report = yield* loadReport(cmd.communityId, cmd.reportId)
      if (report.appeal === undefined || report.appeal.decision !== undefined || report.status !== "verified") {
        return yield* Effect.fail(new NotApplicable({ action: command, reason: "no-open-appeal" }))
      }
      const by = actorRef(actor)
      if (by === report.verifiedBy) return yield* Effect.fail(new SameStaffDecision({ reportId: report.id }))
      const now = yield* Clock.currentTimeMillis
      const decidedReport = new Report({
        ...report,
        status: cmd.outcome === "upheld" ? "overturned" : "verified",
        appeal: { ...report.appeal, decision: { outcome: cmd.outcome, note: cmd.note, decidedBy: by, decidedAt: now } },
        version: report.version + 1
      })
      yield* store.reports.update(decidedReport)
      const dog = yield* loadDog(cmd.communityId, report.dogId, { active: false })
      const decidedEvent: PetCreditEvent = {
        _tag: "PetCreditAppealDecided",
        reportId: report.id,
        dogId: dog.id,
        keeperId: dog.keeperId,
        outcome: cmd.outcome,
        by
      }
      if (cmd.outcome === "dismissed") {
        yield* appendEvents(cmd.communityId, PetCreditEvent, [decidedEvent])
        return { report: decidedReport, entry: undefined }
      }
      const w = working(dog)
      let entry: ScoreEntry | undefined
      if (report.entrySeq !== undefined && !(yield* alreadyReversed(dog.communityId, dog.id, report.entrySeq))) {
        const original = yield* store.entries.get({ communityId: dog.communityId, dogId: dog.id, seq: report.entrySeq })
        if (Option.isSome(original)) {
          const scheme = yield* currentScheme(cmd.communityId)
          yield* onCurrentScheme(w, scheme, by, now)
          entry = yield* reverse(w, scheme, original.value, by, now)
        }
      }
      w.dog = withLastViolation(w.dog, yield* latestStandingViolation(w.dog, report.id))
      yield* commit(w, dog, [decidedEvent])
      return { report: decidedReport, entry }
    })
  )
})

/**
 * Reverses a mistaken entry (a reward granted in error, a violation found
 * wrong outside an appeal) with a compensating entry linked to it. A
 * reversal cannot be reversed, nor an entry twice. A reversed violation's
 * report is overturned. Admin only.
 *
 * @since 0.2.0
 * @category commands
 */
export const reverseEntry = Effect.fn("petcredit.reverseEntry")(function* (actor: Actor, input: typeof ReverseEntryInput.Encoded) {
  const command = "petcredit.reverseEntry"
  const cmd = yield* decodeInput(command, ReverseEntryInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId, { active: false })
      const original = yield* store.entries.get({ communityId: cmd.communityId, dogId: cmd.dogId, seq: cmd.seq })
      if (Option.isNone(original)) return yield* Effect.fail(new NotFound({ entity: "PetCreditScoreEntry", id: `${cmd.dogId}/${cmd.seq}` }))
      const o = original.value
      if (o.kind === "reversal" || o.kind === "reset") {
        return yield* Effect.fail(new NotApplicable({ action: command, reason: "not-reversible" }))
      }
      if (yield* alreadyReversed(cmd.communityId, cmd.dogId, o.seq)) {
        return yield* Effect.fail(new NotApplicable({ action: command, reason: "already-reversed" }))
      }
      const by = actorRef(actor)
      const now = yield* Clock.currentTimeMillis
      const scheme = yield* currentScheme(cmd.communityId)
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      const entry = yield* reverse(w, scheme, o, by, now)
      if (o.kind === "violation" && o.reportId !== undefined) {
        const report = yield* store.reports.get({ communityId: cmd.communityId, id: o.reportId })
        if (Option.isSome(report) && report.value.status === "verified") {
          yield* store.reports.update(new Report({ ...report.value, status: "overturned", note: cmd.reason, version: report.value.version + 1 }))
        }
        w.dog = withLastViolation(w.dog, yield* latestStandingViolation(w.dog, o.reportId))
      }
      yield* commit(w, dog)
      return entry
    })
  )
})
