/**
 * The issues module's commands and queries. Each command decodes its input,
 * authorizes the actor, then loads, applies the rules, saves and appends its
 * events in one transaction: a failure leaves nothing changed.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Option, Schema } from "effect"
import { type Actor, actorRef, authorize, type PermissionRule, type PermissionTable, Roles, SystemActor } from "../kernel/actor.js"
import { type LocalDate, toLocalDate, WorkdayCalendar } from "../kernel/calendar.js"
import { ensureCalendarSynced } from "../kernel/calendar-sync.js"
import { CalendarStore, type ProvisionalMark } from "../kernel/calendar-years.js"
import { Directory } from "../kernel/directory.js"
import { type AlreadyExists, type CalendarOutOfRange, decodeInput, type FieldIssue, fieldIssue, Forbidden, IdempotencyKeyReused, InvalidInput, NotFound } from "../kernel/errors.js"
import { newId, type ResidentId } from "../kernel/ids.js"
import { appendEvents, canonicalJson, decodeEntry, type JournalEntry, sha256Hex } from "../kernel/journal.js"
import { notificationSubscriber, OutgoingMessage } from "../kernel/notifier.js"
import { transactionally } from "../kernel/transaction.js"
import { CalendarNotPublished, BlockedByAttribute, ExtensionAfterDeadline, InvalidTransition, MediationNotAllowed, NotReporter, ReopenWindowExpired, ReturnWindowExpired, UnknownCaseType } from "./errors.js"
import { IssueEvent } from "./events.js"
import {
  AnswerInput,
  AssignInput,
  type CaseId,
  CaseId as CaseIdSchema,
  CaseStepInput,
  type CaseType,
  type Catalogue,
  type DateBasis,
  ChangeTypeInput,
  CloseInput,
  DecideExtensionInput,
  type Deadline,
  DepartmentCasesInput,
  type DeadlineSpec,
  DispatchInput,
  DueScanInput,
  EscalateInput,
  FindDuplicatesInput,
  FollowUpInput,
  type IssueCase,
  MarkDuplicateInput,
  MediationOutcomeInput,
  MediationSessionInput,
  Open311PostPayload,
  RejectInput,
  RequestExtensionInput,
  type Resolution,
  ReturnInput,
  type RouteTarget,
  SubmitReportInput,
  type TimelineStep
} from "./model.js"
import {
  type Asker,
  type CaseCommand,
  caseFigures,
  caseRolesOf,
  checkEscalation,
  checkOutcome,
  checkReport,
  checkSession,
  deadlineSpec,
  defaultCatalogue,
  defaultIssuesSettings,
  deriveStatus,
  disputeFigures,
  dueDateWith,
  dueSignals,
  endOfLocalDay,
  type FigureGrouping,
  formatCaseNumber,
  fromOpen311Post,
  guard,
  hoursDeadline,
  isoInZone,
  type IssuesSettings,
  leastLoaded,
  nextDueAt,
  open311Request,
  potentialDuplicates,
  publicView,
  reporterFor,
  route,
  transitionTable,
  workdaysDeadline
} from "./rules.js"
import { IssueStore } from "./store.js"

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/**
 * The module's numbers (deadlines, counting convention, windows, roles).
 * Defaults to {@link defaultIssuesSettings}; override with
 * `Layer.succeed(IssuesConfig, { ...defaultIssuesSettings, counting: "receipt-day" })`.
 *
 * @since 0.1.0
 * @category config
 */
export class IssuesConfig extends Context.Reference<IssuesConfig>()("@gongzhi/core/IssuesConfig", {
  defaultValue: (): IssuesSettings => defaultIssuesSettings
}) {}

/**
 * The catalogue of case types with routing rules. Defaults to
 * {@link defaultCatalogue}; override with `Layer.succeed(IssueCatalogue, myCatalogue)`.
 *
 * @since 0.1.0
 * @category config
 */
export class IssueCatalogue extends Context.Reference<IssueCatalogue>()("@gongzhi/core/IssueCatalogue", {
  defaultValue: (): Catalogue => defaultCatalogue
}) {}

// ---------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------

/**
 * The issues module's command and query names.
 *
 * @since 0.1.0
 * @category permissions
 */
export type IssueCommandName =
  | "issues.submit"
  | `issues.${CaseCommand}`
  | "issues.read"
  | "issues.readCase"
  | "issues.figures"
  | "issues.dueScan"
  | "issues.findDuplicates"

const fromGuard = (command: CaseCommand): PermissionRule => {
  const roles = transitionTable[command].roles
  const staff = new Set<string>()
  for (const r of roles) {
    if (r === "lead-handler") {
      staff.add(Roles.handler)
      staff.add(Roles.mediator)
    } else if (r === "handler") staff.add(Roles.handler)
    else if (r !== "reporter" && r !== "follower" && r !== "resident" && r !== "system") staff.add(r)
  }
  return {
    ...(roles.some((r) => r === "reporter" || r === "follower" || r === "resident") ? { residents: true } : {}),
    roles: [...staff],
    ...(roles.includes("system") ? { system: true } : {})
  }
}

const allStaff = [Roles.admin, Roles.committee, Roles.clerk, Roles.dispatcher, Roles.handler, Roles.mediator, Roles.treasurer, Roles.auditor]

/**
 * Who may run each command (the coarse check before the transition guard,
 * which then looks at the actor's relation to the case). Case commands are
 * derived from the transition table: residents when the reporter, a follower
 * or any resident may; staff with the matching roles (`handler` and
 * `mediator` for lead-handler); the system actor.
 *
 * @since 0.1.0
 * @category permissions
 */
export const issuePermissions: PermissionTable<IssueCommandName> = {
  "issues.submit": { residents: "self", roles: [Roles.clerk, Roles.dispatcher, Roles.admin], system: true },
  "issues.accept": fromGuard("accept"),
  "issues.reject": fromGuard("reject"),
  "issues.dispatch": fromGuard("dispatch"),
  "issues.return": fromGuard("return"),
  "issues.assign": fromGuard("assign"),
  "issues.signFor": fromGuard("signFor"),
  "issues.start": fromGuard("start"),
  "issues.note": fromGuard("note"),
  "issues.pause": fromGuard("pause"),
  "issues.resume": fromGuard("resume"),
  "issues.requestExtension": fromGuard("requestExtension"),
  "issues.decideExtension": fromGuard("decideExtension"),
  "issues.changeType": fromGuard("changeType"),
  "issues.answer": fromGuard("answer"),
  "issues.followUp": fromGuard("followUp"),
  "issues.close": fromGuard("close"),
  "issues.reopen": fromGuard("reopen"),
  "issues.markDuplicate": fromGuard("markDuplicate"),
  "issues.follow": fromGuard("follow"),
  "issues.mediate": fromGuard("mediate"),
  "issues.read": { residents: true, roles: allStaff, system: true },
  "issues.readCase": { roles: allStaff, system: true },
  "issues.figures": { roles: [Roles.admin, Roles.committee, Roles.dispatcher, Roles.auditor], system: true },
  "issues.dueScan": { roles: [Roles.admin], system: true },
  "issues.findDuplicates": { residents: true, roles: allStaff, system: true }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const asker = (actor: Actor): Asker =>
  actor._tag === "Resident"
    ? { kind: "resident", residentId: actor.residentId }
    : actor._tag === "Staff"
    ? { kind: "staff", roles: actor.roles, departments: actor.departments }
    : { kind: "system" }

const notPublished = (e: CalendarOutOfRange) =>
  new CalendarNotPublished({ date: e.date, firstYear: e.firstYear, lastYear: e.lastYear })

const without = <A extends object, K extends keyof A>(a: A, ...keys: ReadonlyArray<K>): Omit<A, K> => {
  const out = { ...a }
  for (const k of keys) delete out[k]
  return out
}

const timeZoneOf = (communityId: IssueCase["communityId"]) =>
  Effect.gen(function* () {
    const calendar = yield* WorkdayCalendar
    const directory = yield* Directory
    const community = yield* Effect.option(Effect.catchTag(directory.getCommunity(communityId), "NotFound", () => Effect.fail(undefined)))
    return Option.match(community, { onNone: () => calendar.timeZone, onSome: (c) => c.timeZone })
  })

const addWorkdays = (communityId: string, date: LocalDate, n: number) =>
  Effect.flatMap(WorkdayCalendar, (cal) => Effect.mapError(cal.addWorkdays(communityId, date, n), notPublished))

/** `addWorkdays` with its source (official or provisional years). */
const addSourced = (communityId: string, date: LocalDate, n: number) =>
  Effect.flatMap(WorkdayCalendar, (cal) => Effect.mapError(cal.addWorkdaysSourced(communityId, date, n), notPublished))

/** Sorted, without duplicates. */
const yearsUnion = (...lists: ReadonlyArray<ReadonlyArray<number> | undefined>): ReadonlyArray<number> =>
  [...new Set(lists.flatMap((l) => l ?? []))].sort((a, b) => a - b)

/** The day before `date` (pure date arithmetic, no clock). */
const previousDay = (date: LocalDate): LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) as LocalDate

/**
 * The working-day deadline `addWorkdays(basis.from, basis.workdays)`, with
 * its warning date and the provisional years either rests on.
 */
const deadlineOnBasis = (communityId: string, amount: number, basis: DateBasis, tz: string, s: IssuesSettings) =>
  Effect.gen(function* () {
    const due = yield* addSourced(communityId, basis.from, basis.workdays)
    const warn = s.warnWorkdaysLeft <= 1 ? due : yield* addSourced(communityId, due.value, -(s.warnWorkdaysLeft - 1))
    const years = yearsUnion(due.provisionalYears, warn.provisionalYears)
    const d: Deadline = { ...workdaysDeadline(amount, due.value, warn.value, tz), basis, ...(years.length === 0 ? {} : { provisionalYears: years }) }
    return d
  })

/**
 * The basis of a working-day count of `amount` from the receipt date. Always
 * at least one working day from its `from`, so that moving it by `k` working
 * days is adding `k` to `workdays`.
 */
const receiptBasis = (receipt: LocalDate, amount: number, s: IssuesSettings): DateBasis =>
  s.counting === "next-day" && amount >= 1
    ? { from: receipt, workdays: amount }
    // receipt-day counting (and a count of 0): the amount-th working day on or after the receipt date.
    : { from: previousDay(receipt), workdays: Math.max(amount, 1) }

/** A working-day or hour deadline of `amount` from `from`. */
const makeDeadline = (communityId: string, unit: DeadlineSpec["unit"], amount: number, from: number, tz: string, s: IssuesSettings) =>
  unit === "hours"
    ? Effect.succeed(hoursDeadline(from, amount, s.warnHoursLeft))
    : deadlineOnBasis(communityId, amount, receiptBasis(toLocalDate(from, tz), amount, s), tz, s)

/** Moves an unmet deadline by `amount` working days (or hours). Warned again only if the new warning lies ahead. */
const shiftDeadline = (communityId: string, d: Deadline, amount: number, millis: number, now: number, tz: string, s: IssuesSettings) =>
  Effect.gen(function* () {
    if (d.metAt !== undefined) return d
    if (d.unit === "hours") {
      const dueAt = d.dueAt + millis
      const warnAt = d.warnAt + millis
      return { ...d, dueAt, warnAt, warned: d.warned && warnAt <= now }
    }
    if (amount === 0 || d.dueDate === undefined) return d
    const basis = d.basis !== undefined ? { from: d.basis.from, workdays: d.basis.workdays + amount } : { from: d.dueDate, workdays: amount }
    const moved = yield* deadlineOnBasis(communityId, d.amount, basis, tz, s)
    return { ...moved, warned: d.warned && moved.warnAt <= now, breached: d.breached }
  })

/** The public date's fields of a case. */
type PublicFields = Pick<IssueCase, "publicExpectedDate" | "publicExpectedBasis" | "publicExpectedProvisionalYears">

/** Replaces the public date's fields (dropping a stale basis or provisional flag). */
const withPublic = (c: IssueCase, p: PublicFields): IssueCase => ({
  ...without(c, "publicExpectedBasis", "publicExpectedProvisionalYears"),
  ...p
})

const publicOnBasis = (communityId: string, basis: DateBasis) =>
  Effect.map(addSourced(communityId, basis.from, basis.workdays), (r): PublicFields => ({
    publicExpectedDate: r.value,
    publicExpectedBasis: basis,
    ...(r.provisionalYears.length === 0 ? {} : { publicExpectedProvisionalYears: r.provisionalYears })
  }))

/** The response and resolution deadlines and the public date of a case of `type` from `from`. */
const deadlinesFor = (communityId: string, type: CaseType, priority: IssueCase["priority"], from: number, tz: string, s: IssuesSettings) =>
  Effect.gen(function* () {
    const spec = deadlineSpec(type, priority, s)
    const response = yield* makeDeadline(communityId, spec.unit, spec.response, from, tz, s)
    const resolution = yield* makeDeadline(communityId, spec.unit, spec.resolution, from, tz, s)
    const publicFields = yield* publicDate(communityId, resolution, tz, s)
    return { response, resolution, ...publicFields }
  })

const publicDate = (communityId: string, resolution: Deadline, tz: string, s: IssuesSettings): Effect.Effect<PublicFields, CalendarNotPublished, WorkdayCalendar> =>
  resolution.basis !== undefined
    ? publicOnBasis(communityId, { from: resolution.basis.from, workdays: resolution.basis.workdays + s.publicMarginWorkdays })
    : resolution.dueDate !== undefined
    ? Effect.map(addSourced(communityId, resolution.dueDate, s.publicMarginWorkdays), (r) => ({ publicExpectedDate: r.value }))
    : Effect.succeed({ publicExpectedDate: toLocalDate(resolution.dueAt - 1, tz) })

/** Moves the public date of a working-day case by `days` working days. */
const shiftPublic = (c: IssueCase, days: number): Effect.Effect<PublicFields, CalendarNotPublished, WorkdayCalendar> =>
  days === 0
    ? Effect.succeed({
      publicExpectedDate: c.publicExpectedDate,
      ...(c.publicExpectedBasis === undefined ? {} : { publicExpectedBasis: c.publicExpectedBasis }),
      ...(c.publicExpectedProvisionalYears === undefined ? {} : { publicExpectedProvisionalYears: c.publicExpectedProvisionalYears })
    })
    : publicOnBasis(
      c.communityId,
      c.publicExpectedBasis !== undefined
        ? { from: c.publicExpectedBasis.from, workdays: c.publicExpectedBasis.workdays + days }
        : { from: c.publicExpectedDate, workdays: days }
    )

/** The owner name of the issues module's marks in the `CalendarStore`. */
const calendarOwner = "issues"

/** The provisional years an open case's pending dates rest on. */
const provisionalYearsOf = (c: IssueCase): ReadonlyArray<number> =>
  c.status === "closed"
    ? []
    : yearsUnion(
      c.response.metAt === undefined ? c.response.provisionalYears : undefined,
      c.resolution.metAt === undefined ? c.resolution.provisionalYears : undefined,
      c.publicExpectedProvisionalYears
    )

/** Keeps the case's mark in the `CalendarStore` in step with its provisional dates. */
const syncCalendarMark = (before: IssueCase | undefined, after: IssueCase) => {
  const was = before === undefined ? [] : provisionalYearsOf(before)
  const is = provisionalYearsOf(after)
  if (was.length === is.length && was.every((y, i) => y === is[i])) return Effect.void
  return Effect.flatMap(CalendarStore, (store) =>
    store.markProvisional({ communityId: after.communityId, owner: calendarOwner, key: after.id, years: is }))
}

interface StepInput {
  readonly kind: TimelineStep["kind"]
  readonly visibility: TimelineStep["visibility"]
  readonly note?: string | undefined
  readonly media?: TimelineStep["media"] | undefined
  readonly department?: TimelineStep["department"] | undefined
  readonly resolution?: string | undefined
}

const stepActorKind = (actor: Actor, c: Pick<IssueCase, "reporter">): TimelineStep["actorKind"] =>
  actor._tag === "Resident"
    ? (c.reporter.residentId === actor.residentId ? "reporter" : "resident")
    : actor._tag === "Staff"
    ? "staff"
    : "system"

const addStep = (c: IssueCase, actor: Actor, now: number, step: StepInput): IssueCase => {
  const s: TimelineStep = {
    seq: c.timeline.length + 1,
    kind: step.kind,
    at: now,
    actor: actorRef(actor),
    actorKind: stepActorKind(actor, c),
    visibility: step.visibility,
    ...(step.note === undefined ? {} : { note: step.note }),
    ...(step.media === undefined || step.media.length === 0 ? {} : { media: step.media }),
    ...(step.department === undefined ? {} : { department: step.department }),
    ...(step.resolution === undefined ? {} : { resolution: step.resolution })
  }
  return { ...c, timeline: [...c.timeline, s] }
}

const ref = (c: IssueCase) => ({ caseId: c.id, caseNumber: c.number })

/** Saves a changed case (status re-derived, due index recomputed, version + 1) and appends its events. */
const save = (before: IssueCase, changed: IssueCase, events: ReadonlyArray<IssueEvent>, now: number, touch = true) =>
  Effect.gen(function* () {
    const store = yield* IssueStore
    const status = deriveStatus(changed.timeline)
    const base = without({ ...changed, status }, "nextDueAt")
    const due = nextDueAt(base)
    const record: IssueCase = {
      ...base,
      ...(due === undefined ? {} : { nextDueAt: due }),
      updatedAt: touch ? now : before.updatedAt,
      version: before.version + 1
    }
    yield* store.updateCase(record, before.version)
    yield* syncCalendarMark(before, record)
    const all: Array<IssueEvent> = [...events]
    // One IssueStatusChanged per status change along the new steps.
    let from = before.status
    for (let i = before.timeline.length; i < record.timeline.length; i++) {
      const to = deriveStatus(record.timeline.slice(0, i + 1))
      if (to !== from) all.push({ _tag: "IssueStatusChanged", ...ref(record), from, to })
      from = to
    }
    yield* appendEvents(record.communityId, IssueEvent, all)
    return record
  })

const loadCase = (communityId: IssueCase["communityId"], caseId: CaseId) =>
  Effect.flatMap(IssueStore, (s) => s.getCase(communityId, caseId)).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.fail(new NotFound({ entity: "IssueCase", id: caseId })),
      onSome: Effect.succeed
    }))
  )

const caseTypeOf = (catalogue: Catalogue, typeId: string) => {
  const type = catalogue.types.find((x) => x.id === typeId)
  return type === undefined ? Effect.fail(new UnknownCaseType({ typeId })) : Effect.succeed(type)
}

/** Checks the transition guard for an actor on a loaded case. */
const guardCase = (actor: Actor, c: IssueCase, command: CaseCommand, name: string) => {
  if (c.duplicateOf !== undefined) {
    return Effect.fail(new InvalidTransition({ caseId: c.id, command: name, from: c.status, detail: `merged into ${c.duplicateOf}` }))
  }
  const verdict = guard(c.status, command, caseRolesOf(asker(actor), c))
  if (verdict.ok) return Effect.succeed(verdict.to)
  if (verdict.reason === "status") {
    const to = transitionTable[command].to
    return Effect.fail(new InvalidTransition({ caseId: c.id, command: name, from: c.status, ...(to === "same" ? {} : { to }) }))
  }
  if (actor._tag === "Resident" && transitionTable[command].roles.includes("reporter")) {
    return Effect.fail(new NotReporter({ caseId: c.id, command: name }))
  }
  return Effect.fail(new Forbidden({ command: name, reason: "role" }))
}

interface CaseContext<I> {
  readonly actor: Actor
  readonly input: I
  readonly case: IssueCase
  readonly now: number
  readonly tz: string
  readonly settings: IssuesSettings
  readonly catalogue: Catalogue
}

/**
 * Builds a case command: decode, authorize, then in one transaction load,
 * guard, apply `body` and save. `body` returns the changed case and its
 * events (or the case unchanged and no events for a no-op).
 */
const caseCommand = <I extends { readonly communityId: IssueCase["communityId"]; readonly caseId: CaseId }, IE, E, R>(
  command: CaseCommand,
  schema: Schema.Schema<I, IE, never>,
  body: (ctx: CaseContext<I>) => Effect.Effect<{ readonly case: IssueCase; readonly events: ReadonlyArray<IssueEvent> }, E, R>,
  /** The span name when several commands share one permission (the mediation steps). */
  span: string = `issues.${command}`
) => {
  const name = `issues.${command}` as const
  const decode = decodeInput(span, schema)
  return Effect.fn(span)(function* (actor: Actor, raw: IE) {
    const input = yield* decode(raw)
    yield* authorize(issuePermissions, name, actor, input.communityId)
    const settings = yield* IssuesConfig
    const catalogue = yield* IssueCatalogue
    const tz = yield* timeZoneOf(input.communityId)
    yield* ensureCalendarSynced
    return yield* transactionally(
      Effect.gen(function* () {
        const c = yield* loadCase(input.communityId, input.caseId)
        yield* guardCase(actor, c, command, name)
        const now = yield* Clock.currentTimeMillis
        const result = yield* body({ actor, input, case: c, now, tz, settings, catalogue })
        if (result.case === c) return c
        return yield* save(c, result.case, result.events, now)
      })
    )
  })
}

const staffVisibility = (actor: Actor, visibility: "public" | "internal" | undefined) =>
  visibility ?? (actor._tag === "Resident" ? "public" : "internal")

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

/**
 * Files a report and gives it a case number at once (`2026-000123`, per
 * community and year, gap-free). A resident reports for themselves (channel
 * usually `app`); clerks, dispatchers and admins enter hotline, station and
 * SMS reports, with `reporterId` when the caller is a known resident. Emits
 * `IssueReportSubmitted`.
 *
 * With an `idempotencyKey`, a retried submission is safe: the same key with
 * the same report by the same actor returns the first case (same number,
 * nothing new in the journal); a different report under the key fails with
 * `IdempotencyKeyReused`.
 *
 * Fails with `UnknownCaseType`, `BlockedByAttribute` (with guidance),
 * `InvalidInput` (attributes, photos, anonymity), `CalendarNotPublished`,
 * `IdempotencyKeyReused`, `Forbidden`.
 *
 * @since 0.1.0
 * @category commands
 */
export const submitReport = Effect.fn("issues.submit")(function* (actor: Actor, raw: typeof SubmitReportInput.Encoded) {
  const input = yield* decodeInput("issues.submit", SubmitReportInput)(raw)
  const subject = actor._tag === "Resident" ? (input.reporterId ?? actor.residentId) : undefined
  yield* authorize(issuePermissions, "issues.submit", actor, input.communityId, subject)
  const key = input.idempotencyKey
  if (key === undefined) return yield* fileReport(actor, input)
  const fingerprint = yield* sha256Hex(canonicalJson({ actor: actorRef(actor), report: without(input, "idempotencyKey") }))
  const prior = yield* replayReport(input.communityId, key, fingerprint)
  if (Option.isSome(prior)) return prior.value
  return yield* fileReport(actor, input, { key, fingerprint }).pipe(
    // Lost a race with a concurrent submission under the same key: ours rolled back, theirs stands.
    Effect.catchIf(
      (e): e is AlreadyExists => e._tag === "AlreadyExists" && e.entity === "IssueReportKey",
      () => Effect.flatMap(replayReport(input.communityId, key, fingerprint), (o) => Option.isSome(o) ? Effect.succeed(o.value) : Effect.dieMessage(`report key ${key} vanished`))
    )
  )
})

const reportResult = (record: IssueCase) => ({
  caseId: record.id,
  number: record.number,
  publicExpectedDate: record.publicExpectedDate,
  case: publicView(record)
})

/** The first result of a report filed under `key`, `IdempotencyKeyReused` for another report, `None` for a new key. */
const replayReport = (communityId: IssueCase["communityId"], key: string, fingerprint: string) =>
  Effect.gen(function* () {
    const store = yield* IssueStore
    const found = yield* store.findReportKey(communityId, key)
    if (Option.isNone(found)) return Option.none()
    if (found.value.fingerprint !== fingerprint) return yield* Effect.fail(new IdempotencyKeyReused({ key }))
    const record = yield* loadCase(communityId, found.value.caseId).pipe(Effect.orDie)
    return Option.some(reportResult(record))
  })

const fileReport = (actor: Actor, input: SubmitReportInput, idempotency?: { readonly key: string; readonly fingerprint: string }) =>
  Effect.gen(function* () {
    const settings = yield* IssuesConfig
    const catalogue = yield* IssueCatalogue
    const type = yield* caseTypeOf(catalogue, input.typeId)
    const check = checkReport(type, input, settings.photoPolicy)
    if (!check.ok) {
      if ("blocked" in check) {
        return yield* Effect.fail(new BlockedByAttribute({ typeId: type.id, attribute: check.blocked.attribute, guidance: check.blocked.guidance }))
      }
      return yield* Effect.fail(new InvalidInput({ command: "issues.submit", issues: check.issues }))
    }
    const residentId = actor._tag === "Resident" ? actor.residentId : input.reporterId
    if (actor._tag !== "Resident" && residentId !== undefined) {
      const directory = yield* Directory
      yield* directory.getResident(input.communityId, residentId)
    }
    const tz = yield* timeZoneOf(input.communityId)
    yield* ensureCalendarSynced
    const store = yield* IssueStore
    return yield* transactionally(
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const year = Number(toLocalDate(now, tz).slice(0, 4))
        const priority = actor._tag === "Resident" ? type.priority : (input.priority ?? type.priority)
        const deadlines = yield* deadlinesFor(input.communityId, type, priority, now, tz, settings)
        const n = yield* store.nextCaseNumber(input.communityId, year)
        const id = CaseIdSchema.make(yield* newId("case"))
        const base: IssueCase = {
          communityId: input.communityId,
          id,
          number: formatCaseNumber(year, n, settings.numberDigits),
          typeId: type.id,
          priority,
          status: "submitted",
          channel: input.channel,
          location: input.location,
          description: input.description,
          photos: input.photos,
          attributes: input.attributes,
          anonymous: check.anonymous,
          reporter: { ...(input.contact ?? {}), ...(residentId === undefined ? {} : { residentId }) },
          followers: [],
          assisting: [],
          returns: 0,
          receivedAt: now,
          ...deadlines,
          followUps: [],
          reopenCount: 0,
          mediation: [],
          timeline: [],
          createdAt: now,
          updatedAt: now,
          version: 1
        }
        const withStep = addStep(base, actor, now, { kind: "submitted", visibility: "public", media: input.photos })
        const due = nextDueAt(withStep)
        const record: IssueCase = { ...withStep, status: deriveStatus(withStep.timeline), ...(due === undefined ? {} : { nextDueAt: due }) }
        yield* store.insertCase(record)
        yield* syncCalendarMark(undefined, record)
        if (idempotency !== undefined) {
          yield* store.insertReportKey({ communityId: record.communityId, key: idempotency.key, caseId: record.id, fingerprint: idempotency.fingerprint, createdAt: now })
        }
        yield* appendEvents(input.communityId, IssueEvent, [
          {
            _tag: "IssueReportSubmitted",
            ...ref(record),
            typeId: record.typeId,
            ...(residentId === undefined ? {} : { reporterId: residentId }),
            publicExpectedDate: record.publicExpectedDate
          }
        ])
        return reportResult(record)
      })
    )
  })

/**
 * Accepts an Open311 GeoReport v2 `POST requests` payload as a new report
 * (channel `app`). Contact fields are kept private with the case. A resident
 * actor files as themselves; the system actor (an Open311 gateway) or staff
 * file without a resident. `options.idempotencyKey` (e.g. the gateway's
 * request id) makes a retried POST return the first case, as in `submitReport`.
 *
 * @since 0.1.0
 * @category open311
 */
export const submitGeoReport = Effect.fn("issues.submitGeoReport")(function* (
  actor: Actor,
  communityId: IssueCase["communityId"],
  raw: typeof Open311PostPayload.Encoded,
  options: { readonly idempotencyKey?: string } = {}
) {
  const payload = yield* decodeInput("issues.submitGeoReport", Open311PostPayload)(raw)
  const catalogue = yield* IssueCatalogue
  const mapped = fromOpen311Post(payload, catalogue)
  if (!mapped.ok) return yield* Effect.fail(new InvalidInput({ command: "issues.submitGeoReport", issues: mapped.issues }))
  const contact = mapped.report.contact
  return yield* submitReport(actor, {
    communityId,
    typeId: mapped.report.typeId,
    location: mapped.report.location,
    description: mapped.report.description,
    attributes: mapped.report.attributes,
    channel: "app",
    ...(Object.keys(contact).length === 0 ? {} : { contact }),
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey })
  })
})

// ---------------------------------------------------------------------------
// Lifecycle commands
// ---------------------------------------------------------------------------

/**
 * Accepts (受理) a submitted case. Clerks, dispatchers, admins, system.
 *
 * @since 0.1.0
 * @category commands
 */
export const accept = caseCommand("accept", CaseStepInput, ({ actor, case: c, input, now }) =>
  Effect.succeed({
    case: addStep(c, actor, now, { kind: "accepted", visibility: "public", note: input.note, media: input.media }),
    events: [{ _tag: "IssueCaseAccepted" as const, ...ref(c) }]
  }))

/**
 * Rejects a report that is not a case (closed-not-fixed, `rejected`).
 * Clerks, dispatchers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const reject = caseCommand("reject", RejectInput, ({ actor, case: c, input, now }) =>
  Effect.succeed({
    case: {
      ...addStep(c, actor, now, { kind: "rejected", visibility: "public", note: input.reason, resolution: "rejected" }),
      closedAt: now,
      closure: { resolution: "rejected" as const, reason: input.reason, resolvedBy: actorRef(actor) }
    },
    events: [{ _tag: "IssueCaseClosed" as const, ...ref(c), resolution: "rejected" as const }]
  }))

/**
 * Dispatches (派单) an accepted case: to the given department, or by the
 * routing rules (area x type, first match wins, else the fallback queue).
 * Dispatchers, admins, system.
 *
 * @since 0.1.0
 * @category commands
 */
export const dispatch = caseCommand("dispatch", DispatchInput, ({ actor, case: c, input, now, catalogue }) =>
  Effect.gen(function* () {
    const type = yield* caseTypeOf(catalogue, c.typeId)
    const target = input.lead !== undefined
      ? { lead: input.lead, assisting: input.assisting ?? [], ...(input.handler === undefined ? {} : { handler: input.handler }) }
      : yield* withHandler(c.communityId, route(catalogue, type, c.location))
    return dispatchTo(c, actor, now, target, "dispatch", input)
  }))

/**
 * A routed target with its handler: the rule's own, or for
 * `assign: "least-loaded"` the lead department's handler with the fewest
 * open cases (ties by staff id), or none when the department has no handler.
 */
const withHandler = (communityId: IssueCase["communityId"], target: RouteTarget) =>
  Effect.gen(function* () {
    if (target.handler !== undefined || target.assign !== "least-loaded") return target
    const directory = yield* Directory
    const staff = yield* directory.listStaff(communityId, target.lead)
    const candidates = staff.filter((s) => s.roles.includes(Roles.handler) && s.departments.includes(target.lead)).map((s) => s.id)
    if (candidates.length === 0) return target
    const store = yield* IssueStore
    const handler = leastLoaded(candidates, yield* store.countOpenByHandler(communityId, candidates))
    return handler === undefined ? target : { ...target, handler }
  })

const dispatchTo = (
  c: IssueCase,
  actor: Actor,
  now: number,
  target: { readonly lead: NonNullable<IssueCase["lead"]>; readonly assisting: IssueCase["assisting"]; readonly handler?: IssueCase["handler"] },
  reason: "dispatch" | "reroute" | "reopen",
  extras: { readonly note?: string | undefined; readonly media?: TimelineStep["media"] | undefined } = {}
) => {
  const stepped = addStep(without(c, "handler"), actor, now, {
    kind: reason === "reopen" ? "reopened" : "dispatched",
    visibility: "public",
    note: extras.note,
    media: extras.media,
    department: target.lead
  })
  const next: IssueCase = {
    ...stepped,
    lead: target.lead,
    assisting: target.assisting,
    ...(target.handler === undefined ? {} : { handler: target.handler }),
    dispatchedAt: now
  }
  const events: Array<IssueEvent> = [
    { _tag: "IssueCaseDispatched", ...ref(c), lead: target.lead, assisting: target.assisting, ...(target.handler === undefined ? {} : { handler: target.handler }), reason }
  ]
  if (target.handler !== undefined) events.push({ _tag: "IssueCaseAssigned", ...ref(c), handler: target.handler })
  return { case: next, events }
}

/**
 * Returns (退单) a wrongly routed case to dispatch, with a reason, within
 * `returnWindowWorkdays` working days of dispatch. Handlers of the lead
 * department, admins. Fails with `ReturnWindowExpired` after the window.
 *
 * @since 0.1.0
 * @category commands
 */
export const returnCase = caseCommand("return", ReturnInput, ({ actor, case: c, input, now, settings, tz }) =>
  Effect.gen(function* () {
    const dispatchedAt = c.dispatchedAt ?? c.receivedAt
    const last = yield* addWorkdays(c.communityId, toLocalDate(dispatchedAt, tz), settings.returnWindowWorkdays)
    const closesAt = endOfLocalDay(last, tz)
    if (now >= closesAt) return yield* Effect.fail(new ReturnWindowExpired({ caseId: c.id, closedAt: closesAt }))
    const lead = c.lead!
    const stepped = addStep(c, actor, now, { kind: "returned", visibility: "internal", note: input.reason, department: lead })
    return {
      case: { ...without(stepped, "lead", "handler", "dispatchedAt"), assisting: [], returns: c.returns + 1 },
      events: [{ _tag: "IssueCaseReturned" as const, ...ref(c), department: lead }]
    }
  }))

/**
 * Assigns a handler of the lead department. Dispatchers, lead-department
 * handlers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const assign = caseCommand("assign", AssignInput, ({ actor, case: c, input, now }) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const staff = yield* directory.getStaff(c.communityId, input.handler)
    if (c.lead === undefined || !staff.departments.includes(c.lead)) {
      return yield* Effect.fail(new InvalidInput({ command: "issues.assign", issues: [fieldIssue("handler", "invalid", { "zh-CN": "不是主办部门的成员", en: "not a member of the lead department" })] }))
    }
    return {
      case: { ...addStep(c, actor, now, { kind: "assigned", visibility: "internal", note: input.note, department: c.lead }), handler: input.handler },
      events: [{ _tag: "IssueCaseAssigned" as const, ...ref(c), handler: input.handler }]
    }
  }))

/**
 * Signs for (签收) a dispatched case: meets the response deadline. Handlers
 * of the lead department, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const signFor = caseCommand("signFor", CaseStepInput, ({ actor, case: c, input, now }) =>
  Effect.succeed({
    case: {
      ...addStep(c, actor, now, { kind: "signed-for", visibility: "public", note: input.note, media: input.media, ...(c.lead === undefined ? {} : { department: c.lead }) }),
      response: c.response.metAt === undefined ? { ...c.response, metAt: now } : c.response,
      ...(c.handler === undefined && actor._tag === "Staff" && actor.roles.includes(Roles.handler) ? { handler: actor.staffId } : {})
    },
    events: []
  }))

/**
 * Starts work (办理). Handlers of the lead department, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const start = caseCommand("start", CaseStepInput, ({ actor, case: c, input, now }) =>
  Effect.succeed({
    case: addStep(c, actor, now, { kind: "started", visibility: "public", note: input.note, media: input.media, ...(c.lead === undefined ? {} : { department: c.lead }) }),
    events: []
  }))

/**
 * Adds a note to the timeline, public or internal (staff default: internal;
 * residents' notes are always public). Allowed after close too, so the
 * reporter's updates still reach the department. The reporter, followers,
 * staff (not auditors or committee), system.
 *
 * @since 0.1.0
 * @category commands
 */
export const addNote = caseCommand("note", CaseStepInput, ({ actor, case: c, input, now }) =>
  Effect.gen(function* () {
    if (input.note === undefined && (input.media === undefined || input.media.length === 0)) {
      return yield* Effect.fail(new InvalidInput({ command: "issues.note", issues: [fieldIssue("note", "required", { "zh-CN": "须填写备注或上传照片", en: "a note or media is required" })] }))
    }
    const visibility = actor._tag === "Resident" ? "public" : staffVisibility(actor, input.visibility)
    return {
      case: addStep(c, actor, now, { kind: "note", visibility, note: input.note, media: input.media }),
      events: [{ _tag: "IssueNoteAdded" as const, ...ref(c), visibility, actorKind: stepActorKind(actor, c) }]
    }
  }))

/**
 * Pauses the deadline clock while waiting on the reporter. Dispatchers,
 * lead-department handlers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const pause = caseCommand("pause", CaseStepInput, ({ actor, case: c, input, now }) =>
  c.pausedAt !== undefined
    ? Effect.fail(new InvalidTransition({ caseId: c.id, command: "issues.pause", from: c.status, detail: "already paused" }))
    : Effect.succeed({
      case: { ...addStep(c, actor, now, { kind: "paused", visibility: input.visibility ?? "public", note: input.note }), pausedAt: now },
      events: [{ _tag: "IssueClockPaused" as const, ...ref(c), paused: true }]
    }))

/**
 * Restarts the clock: unmet deadlines (and the public date) move by the
 * working days in (pause date, resume date], or by the paused time for
 * hour-based deadlines. The reporter (answering), dispatchers,
 * lead-department handlers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const resume = caseCommand("resume", CaseStepInput, ({ actor, case: c, input, now, tz, settings }) =>
  Effect.gen(function* () {
    if (c.pausedAt === undefined) {
      return yield* Effect.fail(new InvalidTransition({ caseId: c.id, command: "issues.resume", from: c.status, detail: "not paused" }))
    }
    const calendar = yield* WorkdayCalendar
    const days = yield* Effect.mapError(calendar.workdaysBetween(c.communityId, toLocalDate(c.pausedAt, tz), toLocalDate(now, tz)), notPublished)
    const millis = now - c.pausedAt
    const response = yield* shiftDeadline(c.communityId, c.response, days, millis, now, tz, settings)
    const resolution = yield* shiftDeadline(c.communityId, c.resolution, days, millis, now, tz, settings)
    const publicFields: PublicFields = resolution.unit === "workdays"
      ? yield* shiftPublic(c, days)
      : { publicExpectedDate: toLocalDate(resolution.dueAt - 1, tz) }
    const stepped = addStep(c, actor, now, { kind: "resumed", visibility: actor._tag === "Resident" ? "public" : (input.visibility ?? "public"), note: input.note, media: input.media })
    return {
      case: withPublic({ ...without(stepped, "pausedAt"), response, resolution }, publicFields),
      events: [{ _tag: "IssueClockPaused" as const, ...ref(c), paused: false }]
    }
  }))

/**
 * Requests an extension (延期) of the resolution deadline, before it
 * expires. Lead-department handlers, admins. Fails with
 * `ExtensionAfterDeadline` once the deadline has passed.
 *
 * @since 0.1.0
 * @category commands
 */
export const requestExtension = caseCommand("requestExtension", RequestExtensionInput, ({ actor, case: c, input, now }) =>
  Effect.gen(function* () {
    if (c.pendingExtension !== undefined) {
      return yield* Effect.fail(new InvalidTransition({ caseId: c.id, command: "issues.requestExtension", from: c.status, detail: "an extension is already pending" }))
    }
    if (now >= c.resolution.dueAt) return yield* Effect.fail(new ExtensionAfterDeadline({ caseId: c.id, dueAt: c.resolution.dueAt }))
    return {
      case: {
        ...addStep(c, actor, now, { kind: "extension-requested", visibility: "internal", note: input.reason }),
        pendingExtension: { requestedAt: now, amount: input.amount, reason: input.reason, by: actorRef(actor) }
      },
      events: [{ _tag: "IssueExtensionRequested" as const, ...ref(c), amount: input.amount }]
    }
  }))

/**
 * Approves or refuses a pending extension. Approval moves the resolution
 * deadline and the public date by the requested working days (or hours).
 * Dispatchers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const decideExtension = caseCommand("decideExtension", DecideExtensionInput, ({ actor, case: c, input, now, tz, settings }) =>
  Effect.gen(function* () {
    const pending = c.pendingExtension
    if (pending === undefined) {
      return yield* Effect.fail(new InvalidTransition({ caseId: c.id, command: "issues.decideExtension", from: c.status, detail: "no extension pending" }))
    }
    let resolution = c.resolution
    let publicFields: PublicFields | undefined
    if (input.approve) {
      const moved = yield* shiftDeadline(c.communityId, c.resolution, pending.amount, pending.amount * 3_600_000, now, tz, settings)
      resolution = { ...moved, amount: c.resolution.amount + pending.amount }
      publicFields = resolution.unit === "workdays"
        ? yield* shiftPublic(c, pending.amount)
        : { publicExpectedDate: toLocalDate(resolution.dueAt - 1, tz) }
    }
    const stepped = addStep(c, actor, now, { kind: "extension-decided", visibility: input.visibility ?? "internal", note: input.note ?? (input.approve ? "approved" : "refused") })
    const decided = { ...without(stepped, "pendingExtension"), resolution }
    return {
      case: publicFields === undefined ? decided : withPublic(decided, publicFields),
      events: [{ _tag: "IssueExtensionDecided" as const, ...ref(c), approved: input.approve, dueAt: resolution.dueAt }]
    }
  }))

/**
 * Changes a case's type: deadlines are recounted from receipt for the new
 * type, and a dispatched case is re-routed by the routing rules when the
 * lead department changes. Clerks, dispatchers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const changeType = caseCommand("changeType", ChangeTypeInput, ({ actor, case: c, input, now, tz, settings, catalogue }) =>
  Effect.gen(function* () {
    const type = yield* caseTypeOf(catalogue, input.typeId)
    if (type.id === c.typeId) {
      return yield* Effect.fail(new InvalidInput({ command: "issues.changeType", issues: [fieldIssue("typeId", "invalid", { "zh-CN": "工单已是该类型", en: "the case already has this type" })] }))
    }
    const d = yield* deadlinesFor(c.communityId, type, type.priority, c.receivedAt, tz, settings)
    const response = c.response.metAt === undefined ? d.response : c.response
    let next: IssueCase = withPublic({
      ...addStep(c, actor, now, { kind: "type-changed", visibility: "internal", note: input.note ?? `${c.typeId} -> ${type.id}` }),
      typeId: type.id,
      priority: type.priority,
      response,
      resolution: d.resolution
    }, d)
    const events: Array<IssueEvent> = [{ _tag: "IssueTypeChanged", ...ref(c), from: c.typeId, to: type.id }]
    if (c.status === "dispatched" || c.status === "signed-for" || c.status === "in-progress") {
      const routedTarget = route(catalogue, type, c.location)
      if (routedTarget.lead !== c.lead) {
        const target = yield* withHandler(c.communityId, routedTarget)
        const routed = dispatchTo(next, actor, now, target, "reroute")
        next = routed.case
        events.push(...routed.events)
      }
    }
    return { case: next, events }
  }))

/**
 * Answers (答复) the reporter: fixed, or not fixed with a reason. Meets the
 * resolution deadline. Lead-department handlers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const answer = caseCommand("answer", AnswerInput, ({ actor, case: c, input, now }) =>
  Effect.gen(function* () {
    if (!input.fixed && input.reason === undefined) {
      return yield* Effect.fail(new InvalidInput({ command: "issues.answer", issues: [fieldIssue("reason", "required", { "zh-CN": "未解决时须说明原因", en: "a reason is required when not fixed" })] }))
    }
    const resolution = input.fixed ? "fixed" : input.reason!
    return {
      case: {
        ...addStep(c, actor, now, { kind: "answered", visibility: "public", note: input.note, media: input.media, resolution, ...(c.lead === undefined ? {} : { department: c.lead }) }),
        resolution: { ...c.resolution, metAt: now }
      },
      events: [{
        _tag: "IssueCaseAnswered" as const,
        ...ref(c),
        fixed: input.fixed,
        onTime: now < c.resolution.dueAt,
        ...(input.fixed || input.reason === undefined ? {} : { reason: input.reason })
      }]
    }
  }))

const answeredResolution = (c: IssueCase) => {
  const step = [...c.timeline].reverse().find((s) => s.kind === "answered")
  return { resolution: (step?.resolution ?? "fixed") as NonNullable<IssueCase["closure"]>["resolution"], resolvedBy: step?.actor }
}

const closeCase = (c: IssueCase, actor: Actor, now: number, override?: NonNullable<IssueCase["closure"]>["resolution"], note?: string) => {
  const answered = answeredResolution(c)
  const resolution = override ?? answered.resolution
  return {
    case: {
      ...addStep(c, actor, now, { kind: "closed", visibility: "public", note, resolution }),
      closedAt: now,
      closure: { resolution, ...(answered.resolvedBy === undefined ? {} : { resolvedBy: answered.resolvedBy }) }
    } satisfies IssueCase,
    events: [{ _tag: "IssueCaseClosed" as const, ...ref(c), resolution }]
  }
}

const reopenCase = (c: IssueCase, actor: Actor, now: number, tz: string, settings: IssuesSettings, catalogue: Catalogue, afterFollowUp: boolean, note?: string) =>
  Effect.gen(function* () {
    const type = yield* caseTypeOf(catalogue, c.typeId)
    const d = yield* deadlinesFor(c.communityId, type, c.priority, now, tz, settings)
    const target = c.lead !== undefined
      ? { lead: c.lead, assisting: c.assisting, ...(c.handler === undefined ? {} : { handler: c.handler }) }
      : yield* withHandler(c.communityId, route(catalogue, type, c.location))
    const base: IssueCase = { ...without(c, "closure", "closedAt", "pausedAt", "pendingExtension", "publicExpectedBasis", "publicExpectedProvisionalYears"), ...d, reopenCount: c.reopenCount + 1 }
    const routed = dispatchTo(base, actor, now, target, "reopen", { note })
    return {
      case: routed.case,
      events: [{ _tag: "IssueCaseReopened" as const, ...ref(c), afterFollowUp, publicExpectedDate: d.publicExpectedDate }, ...routed.events]
    }
  })

/**
 * Records a follow-up (回访): unreachable, or whether it is fixed and how
 * satisfied the reporter is (满意 / 基本满意 / 不满意, or a 1-5 score). A
 * reached follow-up closes the case, unless the reporter is dissatisfied
 * and asks to reopen (重办). The reporter themselves, clerks, dispatchers,
 * admins, system.
 *
 * @since 0.1.0
 * @category commands
 */
export const followUp = caseCommand("followUp", FollowUpInput, ({ actor, case: c, input, now, tz, settings, catalogue }) =>
  Effect.gen(function* () {
    const issues: Array<FieldIssue> = []
    if (input.reached && input.satisfaction === undefined && input.score === undefined) {
      issues.push(fieldIssue("satisfaction", "required", { "zh-CN": "已联系上的回访须填写满意度或评分", en: "a reached follow-up needs a satisfaction or a score" }))
    }
    const record = {
      at: now,
      reached: input.reached,
      ...(input.fixed === undefined ? {} : { fixed: input.fixed }),
      ...(input.satisfaction === undefined ? {} : { satisfaction: input.satisfaction }),
      ...(input.score === undefined ? {} : { score: input.score })
    }
    const dissatisfied = input.satisfaction === "dissatisfied" || (input.score !== undefined && input.score <= 2)
    if (input.reopen && (!input.reached || !dissatisfied)) issues.push(fieldIssue("reopen", "invalid", { "zh-CN": "只有不满意的报事人才能在回访时重新打开工单", en: "only a dissatisfied reporter reopens at follow-up" }))
    if (issues.length > 0) return yield* Effect.fail(new InvalidInput({ command: "issues.followUp", issues }))
    const stepped: IssueCase = {
      ...addStep(c, actor, now, { kind: "followed-up", visibility: input.reached ? "public" : "internal", note: input.note ?? (input.reached ? undefined : "unreachable") }),
      followUps: [...c.followUps, record]
    }
    const events: Array<IssueEvent> = [{
      _tag: "IssueFollowUpRecorded",
      ...ref(c),
      reached: input.reached,
      ...(input.fixed === undefined ? {} : { fixed: input.fixed }),
      ...(input.satisfaction === undefined ? {} : { satisfaction: input.satisfaction })
    }]
    if (!input.reached) return { case: stepped, events }
    if (input.reopen) {
      const reopened = yield* reopenCase(stepped, actor, now, tz, settings, catalogue, true)
      return { case: reopened.case, events: [...events, ...reopened.events] }
    }
    const closed = closeCase(stepped, actor, now, input.fixed === false ? "unable-to-fix" : undefined)
    return { case: closed.case, events: [...events, ...closed.events] }
  }))

/**
 * Closes (办结) an answered case without a reached follow-up (e.g. after
 * the reporter stayed unreachable). Clerks, dispatchers, admins, system.
 *
 * @since 0.1.0
 * @category commands
 */
export const close = caseCommand("close", CloseInput, ({ actor, case: c, input, now }) => Effect.succeed(closeCase(c, actor, now, undefined, input.note)))

/**
 * Reopens (重办) a case: the reporter within `reopenWindowWorkdays` working
 * days after closing (or any time before closing, after an answer);
 * dispatchers and admins likewise. Back to the lead department with fresh
 * deadlines. Fails with `ReopenWindowExpired` after the window, `NotReporter`
 * for other residents.
 *
 * @since 0.1.0
 * @category commands
 */
export const reopen = caseCommand("reopen", CaseStepInput, ({ actor, case: c, input, now, tz, settings, catalogue }) =>
  Effect.gen(function* () {
    if (c.status === "closed" && c.closedAt !== undefined) {
      const last = yield* addWorkdays(c.communityId, toLocalDate(c.closedAt, tz), settings.reopenWindowWorkdays)
      const closesAt = endOfLocalDay(last, tz)
      if (now >= closesAt) return yield* Effect.fail(new ReopenWindowExpired({ caseId: c.id, closedAt: closesAt }))
    }
    const lastFollowUp = c.followUps[c.followUps.length - 1]
    const afterFollowUp = lastFollowUp !== undefined && lastFollowUp.reached && lastFollowUp.satisfaction === "dissatisfied"
    return yield* reopenCase(c, actor, now, tz, settings, catalogue, afterFollowUp, input.note)
  }))

/**
 * Marks a case a duplicate of another open case: its reporter and
 * followers become followers of the other, and the duplicate is closed and
 * takes no more updates. Clerks, dispatchers, admins.
 *
 * @since 0.1.0
 * @category commands
 */
export const markDuplicate = Effect.fn("issues.markDuplicate")(function* (actor: Actor, raw: typeof MarkDuplicateInput.Encoded) {
  const input = yield* decodeInput("issues.markDuplicate", MarkDuplicateInput)(raw)
  yield* authorize(issuePermissions, "issues.markDuplicate", actor, input.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const c = yield* loadCase(input.communityId, input.caseId)
      yield* guardCase(actor, c, "markDuplicate", "issues.markDuplicate")
      if (input.of === input.caseId) {
        return yield* Effect.fail(new InvalidInput({ command: "issues.markDuplicate", issues: [fieldIssue("of", "invalid", { "zh-CN": "工单不能与自身重复", en: "a case cannot duplicate itself" })] }))
      }
      const target = yield* loadCase(input.communityId, input.of)
      if (target.status === "closed" || target.duplicateOf !== undefined) {
        return yield* Effect.fail(new InvalidTransition({ caseId: target.id, command: "issues.markDuplicate", from: target.status, detail: "the original must be open" }))
      }
      const now = yield* Clock.currentTimeMillis
      const moving = [...(c.reporter.residentId === undefined ? [] : [c.reporter.residentId]), ...c.followers]
      const newFollowers = moving.filter((r, i) => moving.indexOf(r) === i && r !== target.reporter.residentId && !target.followers.includes(r))
      const dup: IssueCase = {
        ...addStep(c, actor, now, { kind: "merged", visibility: "public", note: input.note ?? `duplicate of ${target.number}`, resolution: "duplicate" }),
        duplicateOf: target.id,
        closedAt: now,
        closure: { resolution: "duplicate", resolvedBy: actorRef(actor) }
      }
      yield* save(c, dup, [
        { _tag: "IssueCaseMerged", ...ref(c), into: target.id, followersMoved: newFollowers.length },
        { _tag: "IssueCaseClosed", ...ref(c), resolution: "duplicate" }
      ], now)
      const merged: IssueCase = {
        ...addStep(target, actor, now, { kind: "follower-added", visibility: "internal", note: `merged ${c.number}` }),
        followers: [...target.followers, ...newFollowers]
      }
      return yield* save(target, merged, newFollowers.map((residentId) => ({ _tag: "IssueCaseFollowed" as const, ...ref(target), residentId })), now)
    })
  )
})

/**
 * A resident follows an existing open case instead of filing a new one
 * (following twice is a no-op).
 *
 * @since 0.1.0
 * @category commands
 */
export const follow = caseCommand("follow", CaseStepInput, ({ actor, case: c, now }) =>
  Effect.succeed(
    actor._tag !== "Resident" || c.followers.includes(actor.residentId)
      ? { case: c, events: [] }
      : {
        case: { ...addStep(c, actor, now, { kind: "follower-added", visibility: "internal" }), followers: [...c.followers, actor.residentId] },
        events: [{ _tag: "IssueCaseFollowed" as const, ...ref(c), residentId: actor.residentId }]
      }
  ))

// ---------------------------------------------------------------------------
// Mediation
// ---------------------------------------------------------------------------

const disputeOnly = (c: IssueCase, catalogue: Catalogue) =>
  Effect.flatMap(caseTypeOf(catalogue, c.typeId), (type) =>
    type.dispute ? Effect.void : Effect.fail(new MediationNotAllowed({ caseId: c.id, reason: "not-a-dispute" })))

/**
 * Records a mediation session at the current tier (the stakeholder group
 * first, which needs 5-7 participants by default). Mediators, lead-department
 * handlers, admins; the case must be in progress.
 *
 * @since 0.1.0
 * @category mediation
 */
export const recordMediationSession = caseCommand("mediate", MediationSessionInput, ({ actor, case: c, input, now, settings, catalogue }) =>
  Effect.gen(function* () {
    yield* disputeOnly(c, catalogue)
    const refusal = checkSession(c.mediation, input.participants.length, settings.stakeholderGroupSize)
    if (refusal !== undefined) return yield* Effect.fail(new MediationNotAllowed({ caseId: c.id, reason: refusal }))
    const session = { at: now, participants: input.participants, ...(input.note === undefined ? {} : { note: input.note }) }
    const rounds = c.mediation.length === 0
      ? [{ tier: "stakeholder-group" as const, openedAt: now, sessions: [session] }]
      : c.mediation.map((r, i) => (i === c.mediation.length - 1 ? { ...r, sessions: [...r.sessions, session] } : r))
    const tier = rounds[rounds.length - 1]!.tier
    return {
      case: { ...addStep(c, actor, now, { kind: "mediation-session", visibility: "internal", note: input.note }), mediation: rounds },
      events: [{ _tag: "IssueMediationSession" as const, ...ref(c), tier, participants: input.participants.length }]
    }
  }), "issues.recordMediationSession")

/**
 * Records the current tier's outcome: agreement, escalate or withdrawn.
 *
 * @since 0.1.0
 * @category mediation
 */
export const recordMediationOutcome = caseCommand("mediate", MediationOutcomeInput, ({ actor, case: c, input, now, catalogue }) =>
  Effect.gen(function* () {
    yield* disputeOnly(c, catalogue)
    const refusal = checkOutcome(c.mediation)
    if (refusal !== undefined) return yield* Effect.fail(new MediationNotAllowed({ caseId: c.id, reason: refusal }))
    const last = c.mediation[c.mediation.length - 1]!
    const outcome = { kind: input.outcome, at: now, ...(input.note === undefined ? {} : { note: input.note }) }
    return {
      case: {
        ...addStep(c, actor, now, { kind: "mediation-outcome", visibility: "public", note: input.note ?? input.outcome }),
        mediation: [...c.mediation.slice(0, -1), { ...last, outcome }]
      },
      events: [{ _tag: "IssueMediationOutcome" as const, ...ref(c), tier: last.tier, outcome: input.outcome }]
    }
  }), "issues.recordMediationOutcome")

/**
 * Escalates a dispute up the ladder: only after the current tier's outcome
 * was `escalate`, and only to a higher tier.
 *
 * @since 0.1.0
 * @category mediation
 */
export const escalateMediation = caseCommand("mediate", EscalateInput, ({ actor, case: c, input, now, catalogue }) =>
  Effect.gen(function* () {
    yield* disputeOnly(c, catalogue)
    const refusal = checkEscalation(c.mediation, input.to)
    if (refusal !== undefined) return yield* Effect.fail(new MediationNotAllowed({ caseId: c.id, reason: refusal }))
    const from = c.mediation[c.mediation.length - 1]!.tier
    return {
      case: {
        ...addStep(c, actor, now, { kind: "mediation-escalated", visibility: "public", note: input.note ?? `${from} -> ${input.to}` }),
        mediation: [...c.mediation, { tier: input.to, openedAt: now, sessions: [] }]
      },
      events: [{ _tag: "IssueMediationEscalated" as const, ...ref(c), from, to: input.to }]
    }
  }), "issues.escalateMediation")

// ---------------------------------------------------------------------------
// Deadline scan
// ---------------------------------------------------------------------------

/**
 * Emits deadline warnings and breaches that are due at `now` (default: now
 * from `Clock`), each exactly once, a deadline's warning before its breach.
 * Reads only cases the store's due index returns, in batches of
 * `dueScanBatch` per transaction. Admins and the system actor.
 *
 * @since 0.1.0
 * @category commands
 */
export const dueScan = Effect.fn("issues.dueScan")(function* (actor: Actor, raw: typeof DueScanInput.Encoded) {
  const input = yield* decodeInput("issues.dueScan", DueScanInput)(raw)
  yield* authorize(issuePermissions, "issues.dueScan", actor, input.communityId)
  const settings = yield* IssuesConfig
  const store = yield* IssueStore
  const now = input.now ?? (yield* Clock.currentTimeMillis)
  let scanned = 0
  let warnings = 0
  let breaches = 0
  while (true) {
    const batch = yield* transactionally(
      Effect.gen(function* () {
        const due = yield* store.listDue(input.communityId, now, settings.dueScanBatch)
        const events: Array<IssueEvent> = []
        for (const c of due) {
          const { signals, response, resolution } = dueSignals(c, now)
          const base = without({ ...c, response, resolution }, "nextDueAt")
          const next = nextDueAt(base)
          const record: IssueCase = { ...base, ...(next === undefined ? {} : { nextDueAt: next }), version: c.version + 1 }
          yield* store.updateCase(record, c.version)
          for (const s of signals) {
            events.push({
              _tag: s.kind === "warning" ? "IssueDeadlineWarning" : "IssueDeadlineBreached",
              ...ref(c),
              deadline: s.deadline,
              dueAt: s.dueAt,
              ...(c.lead === undefined ? {} : { lead: c.lead })
            })
            if (s.kind === "warning") warnings++
            else breaches++
          }
        }
        yield* appendEvents(input.communityId, IssueEvent, events)
        return due.length
      })
    )
    scanned += batch
    if (batch < settings.dueScanBatch) break
  }
  return { scanned, warnings, breaches }
})

// ---------------------------------------------------------------------------
// Calendar: re-derivation when an official year is loaded
// ---------------------------------------------------------------------------

/**
 * Re-derives one case marked as resting on a provisional calendar year, after
 * the official schedule of `loaded.year` was loaded (run by
 * `Calendar.importYear` and `Calendar.refresh` for every marked case, in every
 * community). Each unmet working-day deadline and the public date that were
 * computed provisionally are recomputed from their basis (the original start
 * and working-day count, extensions and pauses included) on the running
 * calendar. Every date that changes emits `IssueDeadlineRederived` (old and
 * new date, reason) and the timeline gets one `deadline-rederived` step
 * (public when the public date changed). A deadline that moves earlier into
 * its warning window (or into the past) also emits `IssueDeadlineWarning`
 * for the handler at once. Dates that stay put only lose their provisional
 * flag. A closed or missing case only loses its mark. One transaction.
 *
 * @since 0.2.0
 * @category calendar
 */
export const rederiveProvisional = Effect.fn("issues.rederiveProvisional")(function* (
  mark: ProvisionalMark,
  loaded: { readonly year: number; readonly now: number }
) {
  const communityId = mark.communityId as IssueCase["communityId"]
  const settings = yield* IssuesConfig
  const tz = yield* timeZoneOf(communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const store = yield* IssueStore
      const calendarStore = yield* CalendarStore
      const found = yield* store.getCase(communityId, mark.key as CaseId)
      if (Option.isNone(found) || found.value.status === "closed") {
        yield* calendarStore.markProvisional({ ...mark, years: [] })
        return { changed: 0 }
      }
      const c = found.value
      const now = loaded.now
      const events: Array<IssueEvent> = []
      const changes: Array<string> = []
      let next: IssueCase = c
      for (const which of ["response", "resolution"] as const) {
        const d = c[which]
        if (d.metAt !== undefined || d.unit !== "workdays" || d.basis === undefined || d.provisionalYears === undefined) continue
        const fresh = yield* deadlineOnBasis(communityId, d.amount, d.basis, tz, settings)
        const earlierIntoWarning = fresh.dueAt < d.dueAt && fresh.warnAt <= now
        const moved: Deadline = { ...fresh, warned: (d.warned && fresh.warnAt <= now) || earlierIntoWarning, breached: d.breached }
        next = { ...next, [which]: moved }
        if (fresh.dueDate !== d.dueDate && d.dueDate !== undefined && fresh.dueDate !== undefined) {
          changes.push(`${which} ${d.dueDate} -> ${fresh.dueDate}`)
          events.push({ _tag: "IssueDeadlineRederived", ...ref(c), deadline: which, from: d.dueDate, to: fresh.dueDate, reason: "official-schedule-loaded", year: loaded.year })
          if (earlierIntoWarning) {
            events.push({ _tag: "IssueDeadlineWarning", ...ref(c), deadline: which, dueAt: fresh.dueAt, ...(c.lead === undefined ? {} : { lead: c.lead }) })
          }
        }
      }
      let publicChanged = false
      if (c.publicExpectedBasis !== undefined && c.publicExpectedProvisionalYears !== undefined) {
        const p = yield* publicOnBasis(communityId, c.publicExpectedBasis)
        next = withPublic(next, p)
        if (p.publicExpectedDate !== c.publicExpectedDate) {
          publicChanged = true
          changes.push(`public ${c.publicExpectedDate} -> ${p.publicExpectedDate}`)
          events.push({ _tag: "IssueDeadlineRederived", ...ref(c), deadline: "public", from: c.publicExpectedDate, to: p.publicExpectedDate, reason: "official-schedule-loaded", year: loaded.year })
        }
      }
      if (events.length === 0) {
        // Same dates, now official (or still provisional for another year): flags and mark only.
        if (next !== c) yield* save(c, next, [], now, false)
        else yield* calendarStore.markProvisional({ ...mark, years: provisionalYearsOf(c) })
        return { changed: 0 }
      }
      const system = new SystemActor({ communityId, process: "calendar" })
      const stepped = addStep(next, system, now, {
        kind: "deadline-rederived",
        visibility: publicChanged ? "public" : "internal",
        note: `official ${loaded.year} calendar loaded: ${changes.join("; ")}`
      })
      yield* save(c, stepped, events, now)
      return { changed: changes.length }
    })
  )
})

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

/**
 * The public view of a case (public steps only, no reporter identity or
 * contact, no internal deadlines). Any resident or staff member of the
 * community.
 *
 * @since 0.1.0
 * @category queries
 */
export const viewCase = Effect.fn("issues.viewCase")(function* (actor: Actor, communityId: IssueCase["communityId"], caseId: CaseId) {
  yield* authorize(issuePermissions, "issues.read", actor, communityId)
  return publicView(yield* loadCase(communityId, caseId))
})

/**
 * The full case for staff: every step, deadlines, the reporter (phone
 * masked; nothing at all for an anonymous case unless the staff member holds
 * one of `identityRoles`).
 *
 * @since 0.1.0
 * @category queries
 */
export const getCase = Effect.fn("issues.getCase")(function* (actor: Actor, communityId: IssueCase["communityId"], caseId: CaseId) {
  yield* authorize(issuePermissions, "issues.readCase", actor, communityId)
  const settings = yield* IssuesConfig
  const c = yield* loadCase(communityId, caseId)
  const roles = actor._tag === "Staff" ? actor.roles : ["admin"]
  return { ...c, reporter: reporterFor(c, roles, settings.identityRoles) }
})

/**
 * The open cases a department leads or assists on, oldest first, in one
 * call (for a department's dashboard), each as {@link getCase} shows it.
 *
 * @since 0.2.0
 * @category queries
 */
export const openCasesOfDepartment = Effect.fn("issues.openCasesOfDepartment")(function* (actor: Actor, raw: unknown) {
  const input = yield* decodeInput("issues.openCasesOfDepartment", DepartmentCasesInput)(raw)
  yield* authorize(issuePermissions, "issues.readCase", actor, input.communityId)
  const settings = yield* IssuesConfig
  const cases = yield* Effect.flatMap(IssueStore, (s) => s.listOpenByDepartment(input.communityId, input.departmentId))
  const roles = actor._tag === "Staff" ? actor.roles : ["admin"]
  return cases.map((c) => ({ ...c, reporter: reporterFor(c, roles, settings.identityRoles) }))
})

/**
 * A resident's own cases (reported or followed), as public views.
 *
 * @since 0.1.0
 * @category queries
 */
export const myCases = Effect.fn("issues.myCases")(function* (actor: Actor) {
  if (actor._tag !== "Resident") return yield* Effect.fail(new Forbidden({ command: "issues.myCases", reason: "not-allowed" }))
  const store = yield* IssueStore
  const cases = yield* store.listByResident(actor.communityId, actor.residentId)
  return cases.map(publicView)
})

/**
 * Open cases of the same type near a location (same building/unit, or
 * points within `radiusMeters`), nearest first, as public views: a reporter
 * may follow one instead of filing.
 *
 * @since 0.1.0
 * @category queries
 */
export const findPotentialDuplicates = Effect.fn("issues.findPotentialDuplicates")(function* (actor: Actor, raw: typeof FindDuplicatesInput.Encoded) {
  const input = yield* decodeInput("issues.findPotentialDuplicates", FindDuplicatesInput)(raw)
  yield* authorize(issuePermissions, "issues.findDuplicates", actor, input.communityId)
  const catalogue = yield* IssueCatalogue
  const type = yield* caseTypeOf(catalogue, input.typeId)
  const store = yield* IssueStore
  const open = yield* store.listOpen(input.communityId, type.id)
  return potentialDuplicates(open, type.id, input.location, input.radiusMeters).map(publicView)
})

const allCases = (communityId: IssueCase["communityId"], from?: number, to?: number) =>
  Effect.gen(function* () {
    const store = yield* IssueStore
    const out: Array<IssueCase> = []
    let after: { createdAt: number; id: CaseId } | undefined
    while (true) {
      const page = yield* store.listCases(communityId, {
        limit: 1000,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(after === undefined ? {} : { after })
      })
      out.push(...page)
      if (page.length < 1000) return out
      const last = page[page.length - 1]!
      after = { createdAt: last.createdAt, id: last.id }
    }
  })

/**
 * Figures (response, on-time, resolution, satisfaction rates) per
 * department, type, month or overall, for cases received in `[from, to)`;
 * plus dispute resolution per mediation tier. Admins, committee,
 * dispatchers, auditors, system.
 *
 * @since 0.1.0
 * @category queries
 */
export const figures = Effect.fn("issues.figures")(function* (
  actor: Actor,
  communityId: IssueCase["communityId"],
  options: { readonly by: FigureGrouping; readonly from?: number; readonly to?: number }
) {
  yield* authorize(issuePermissions, "issues.figures", actor, communityId)
  const catalogue = yield* IssueCatalogue
  const tz = yield* timeZoneOf(communityId)
  const now = yield* Clock.currentTimeMillis
  const cases = yield* allCases(communityId, options.from, options.to)
  return {
    groups: caseFigures(cases, { now, by: options.by, catalogue, timeZone: tz }),
    disputes: disputeFigures(cases.filter((c) => c.mediation.length > 0))
  }
})

/**
 * The catalogue's Open311 `requests` for cases received in `[from, to)`.
 * Built from public views only: no reporter identity or contact.
 *
 * @since 0.1.0
 * @category open311
 */
export const open311Requests = Effect.fn("issues.open311Requests")(function* (
  actor: Actor,
  communityId: IssueCase["communityId"],
  options: { readonly from?: number; readonly to?: number; readonly locale?: "zh-CN" | "en" } = {}
) {
  yield* authorize(issuePermissions, "issues.read", actor, communityId)
  const catalogue = yield* IssueCatalogue
  const tz = yield* timeZoneOf(communityId)
  const directory = yield* Directory
  const departments = Object.fromEntries((yield* directory.listDepartments(communityId)).map((d) => [d.id, d.name]))
  const cases = yield* allCases(communityId, options.from, options.to)
  return cases.map((c) => open311Request(c, catalogue, { timeZone: tz, departments, ...(options.locale === undefined ? {} : { locale: options.locale }) }))
})

// ---------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------

/**
 * The issues module's notification templates (zh-CN and en), registered by
 * default in `Gongzhi.layer()`; replace the wording with
 * `Gongzhi.layer({ templates: { "issues.received": {...} } })`. Parameters:
 * `{number}` the case number, `{type}` the case type's name, `{expectedDate}`
 * the public expected date, `{outcome}` / `{reason}` a localized outcome,
 * `{deadline}` response or resolution, `{due}` the deadline. Never the
 * reporter's name or contact.
 *
 * @since 0.1.0
 * @category notifications
 */
export const issueTemplates = {
  "issues.received": {
    "zh-CN": "您反映的“{type}”问题已收到，工单编号 {number}，预计 {expectedDate} 前答复。",
    en: "We received your report ({type}). Case number {number}; expect an answer by {expectedDate}."
  },
  "issues.accepted": {
    "zh-CN": "工单 {number}（{type}）已受理，正在派单处理。",
    en: "Case {number} ({type}) was accepted and is being dispatched."
  },
  "issues.updated": {
    "zh-CN": "工单 {number}（{type}）有新的办理进展，请在“我的反映”中查看。",
    en: "There is news on case {number} ({type}); see it under My reports."
  },
  "issues.waitingOnYou": {
    "zh-CN": "工单 {number}（{type}）需要您补充信息，办理时限暂停计算，请在“我的反映”中查看并回复。",
    en: "Case {number} ({type}) needs more information from you; the deadline is paused until you reply under My reports."
  },
  "issues.answered": {
    "zh-CN": "工单 {number}（{type}）已答复：{outcome}。请告诉我们问题是否确已解决，并对办理情况作出评价（满意/基本满意/不满意）。",
    en: "Case {number} ({type}) was answered: {outcome}. Please confirm whether it is fixed and tell us how satisfied you are."
  },
  "issues.answeredFollower": {
    "zh-CN": "您关注的工单 {number}（{type}）已答复：{outcome}。",
    en: "Case {number} ({type}) that you follow was answered: {outcome}."
  },
  "issues.closedFixed": {
    "zh-CN": "工单 {number}（{type}）已办结：问题已解决。感谢您的反映！",
    en: "Case {number} ({type}) is closed: fixed. Thank you for reporting it!"
  },
  "issues.closedNotFixed": {
    "zh-CN": "工单 {number}（{type}）已办结，未解决，原因：{reason}。",
    en: "Case {number} ({type}) is closed without a fix: {reason}."
  },
  "issues.reopened": {
    "zh-CN": "工单 {number}（{type}）已重新办理（重办），预计 {expectedDate} 前答复。",
    en: "Case {number} ({type}) was reopened; expect an answer by {expectedDate}."
  },
  "issues.deadlineBreached": {
    "zh-CN": "工单 {number}（{type}）已超过{deadline}时限（{due}），请尽快处理。",
    en: "Case {number} ({type}) missed its {deadline} deadline ({due}); please act now."
  },
  "issues.expectedDateChanged": {
    "zh-CN": "国家节假日安排公布后，工单 {number}（{type}）的预计答复日期调整为 {expectedDate}（原为 {previousDate}）。",
    en: "With the official holiday schedule published, case {number} ({type}) now expects an answer by {expectedDate} (was {previousDate})."
  },
  "issues.deadlineMovedEarlier": {
    "zh-CN": "国家节假日安排公布后，工单 {number}（{type}）的{deadline}时限提前至 {due}（原为 {previousDue}），请及时处理。",
    en: "With the official holiday schedule published, the {deadline} deadline of case {number} ({type}) moved earlier to {due} (was {previousDue}); please act in time."
  }
} as const

const outcomeText: { readonly [K in Resolution]: { readonly "zh-CN": string; readonly en: string } } = {
  fixed: { "zh-CN": "问题已解决", en: "fixed" },
  "not-responsible": { "zh-CN": "不属于本社区职责范围", en: "not within the community's responsibility" },
  "unable-to-fix": { "zh-CN": "暂时无法解决", en: "it cannot be fixed for now" },
  duplicate: { "zh-CN": "与其他工单重复，您将收到原工单的进展", en: "a duplicate of another case; you will get that case's news" },
  rejected: { "zh-CN": "不属于可受理的事项", en: "the report could not be taken on as a case" },
  withdrawn: { "zh-CN": "已撤回", en: "withdrawn" }
}

const deadlineText = {
  response: { "zh-CN": "签收", en: "response" },
  resolution: { "zh-CN": "办理", en: "resolution" }
} as const

const decodeIssueEvent = decodeEntry(IssueEvent)

type MessageLocale = "zh-CN" | "en"

/**
 * Turns an issues journal entry into messages:
 *
 * - `IssueReportSubmitted` -> the reporter: received, with the case number
 *   and the public expected date (`issues.received`);
 * - `IssueCaseAccepted` -> the reporter and followers (`issues.accepted`);
 * - `IssueNoteAdded` (public, by staff or the system) -> the reporter and
 *   followers (`issues.updated`); internal notes send nothing;
 * - `IssueClockPaused` (paused, waiting on the reporter) -> the reporter
 *   (`issues.waitingOnYou`);
 * - `IssueCaseAnswered` -> the reporter: please confirm (the follow-up
 *   request, `issues.answered`); followers: `issues.answeredFollower`;
 * - `IssueCaseClosed` -> the reporter and followers: fixed
 *   (`issues.closedFixed`) or not fixed with the reason (`issues.closedNotFixed`);
 * - `IssueCaseReopened` -> the reporter and followers, with the new expected
 *   date (`issues.reopened`);
 * - `IssueDeadlineBreached` -> every staff member of the lead department
 *   (dispatchers when the case has no lead yet) (`issues.deadlineBreached`);
 * - `IssueDeadlineRederived` (an official calendar year was loaded): a new
 *   public date -> the reporter and followers (`issues.expectedDateChanged`);
 *   a response or resolution deadline moved earlier -> the handler, else the
 *   lead department's staff, else the dispatchers (`issues.deadlineMovedEarlier`).
 *
 * Residents are addressed by id only (`Recipient`), anonymous reporters
 * included; no message carries the reporter's name or contact. The
 * reporter is the one who filed (a hotline caller without a resident id gets
 * nothing); followers are those of the case when the entry is handled. Each
 * message's idempotency key is `<eventId>:<templateId>:<recipient>`, so a
 * redelivered entry messages nobody twice.
 *
 * @since 0.1.0
 * @category notifications
 */
export const issueMessages = (entry: JournalEntry) =>
  Effect.gen(function* () {
    if (!entry.type.startsWith("Issue")) return []
    const decoded = decodeIssueEvent(entry)
    if (Option.isNone(decoded)) return []
    const e = decoded.value
    const c = entry.communityId
    const store = yield* IssueStore
    const directory = yield* Directory
    const catalogue = yield* IssueCatalogue
    const found = yield* store.getCaseByNumber(c, e.caseNumber)
    if (Option.isNone(found) || found.value.id !== e.caseId) return []
    const kase = found.value
    const typeName = (locale: MessageLocale) => catalogue.types.find((t) => t.id === kase.typeId)?.name[locale] ?? kase.typeId
    const localeOf = (residentId: ResidentId) =>
      directory.getResident(c, residentId).pipe(
        Effect.map((r): MessageLocale => r.locale),
        Effect.catchTag("NotFound", () => Effect.succeed<MessageLocale>("zh-CN"))
      )
    const toResidents = (
      residentIds: ReadonlyArray<ResidentId>,
      templateId: keyof typeof issueTemplates,
      params: (locale: MessageLocale) => Record<string, string | number>
    ) =>
      Effect.forEach(residentIds, (residentId) =>
        Effect.map(localeOf(residentId), (locale) =>
          new OutgoingMessage({
            communityId: c,
            recipient: { _tag: "Resident", residentId },
            templateId,
            params: { number: kase.number, type: typeName(locale), ...params(locale) },
            locale,
            idempotencyKey: `${entry.eventId}:${templateId}:resident:${residentId}`
          })
        ))
    const reporter = kase.reporter.residentId === undefined ? [] : [kase.reporter.residentId]
    const followers = kase.followers.filter((r) => r !== kase.reporter.residentId)
    const everyone = [...reporter, ...followers]
    switch (e._tag) {
      case "IssueReportSubmitted": {
        const expectedDate = e.publicExpectedDate ?? kase.publicExpectedDate
        return yield* toResidents(e.reporterId === undefined ? [] : [e.reporterId], "issues.received", () => ({ expectedDate }))
      }
      case "IssueCaseAccepted":
        return yield* toResidents(everyone, "issues.accepted", () => ({}))
      case "IssueNoteAdded":
        if (e.visibility !== "public" || e.actorKind === "reporter" || e.actorKind === "resident") return []
        return yield* toResidents(everyone, "issues.updated", () => ({}))
      case "IssueClockPaused":
        return e.paused ? yield* toResidents(reporter, "issues.waitingOnYou", () => ({})) : []
      case "IssueCaseAnswered": {
        const outcome = (l: MessageLocale) => outcomeText[e.fixed ? "fixed" : (e.reason ?? "unable-to-fix")][l]
        return [
          ...(yield* toResidents(reporter, "issues.answered", (l) => ({ outcome: outcome(l) }))),
          ...(yield* toResidents(followers, "issues.answeredFollower", (l) => ({ outcome: outcome(l) })))
        ]
      }
      case "IssueCaseClosed":
        return e.resolution === "fixed"
          ? yield* toResidents(everyone, "issues.closedFixed", () => ({}))
          : yield* toResidents(everyone, "issues.closedNotFixed", (l) => ({ reason: outcomeText[e.resolution][l] }))
      case "IssueCaseReopened": {
        const expectedDate = e.publicExpectedDate ?? kase.publicExpectedDate
        return yield* toResidents(everyone, "issues.reopened", () => ({ expectedDate }))
      }
      case "IssueDeadlineRederived": {
        if (e.deadline === "public") {
          return yield* toResidents(everyone, "issues.expectedDateChanged", () => ({ expectedDate: e.to, previousDate: e.from }))
        }
        if (e.to >= e.from) return []
        const which = e.deadline
        const staff = kase.handler !== undefined
          ? [{ id: kase.handler }]
          : kase.lead !== undefined
          ? yield* directory.listStaff(c, kase.lead)
          : (yield* directory.listStaff(c)).filter((s) => s.roles.includes(Roles.dispatcher))
        const locale: MessageLocale = "zh-CN"
        return staff.map((s) =>
          new OutgoingMessage({
            communityId: c,
            recipient: { _tag: "Staff", staffId: s.id },
            templateId: "issues.deadlineMovedEarlier",
            params: { number: kase.number, type: typeName(locale), deadline: deadlineText[which][locale], due: e.to, previousDue: e.from },
            locale,
            idempotencyKey: `${entry.eventId}:issues.deadlineMovedEarlier:staff:${s.id}`
          })
        )
      }
      case "IssueDeadlineBreached": {
        const staff = e.lead !== undefined
          ? yield* directory.listStaff(c, e.lead)
          : (yield* directory.listStaff(c)).filter((s) => s.roles.includes(Roles.dispatcher))
        const tz = yield* timeZoneOf(c)
        const unit = kase[e.deadline].unit
        const due = unit === "workdays" ? toLocalDate(e.dueAt - 1, tz) : isoInZone(e.dueAt, tz).slice(0, 16).replace("T", " ")
        const locale: MessageLocale = "zh-CN"
        return staff.map((s) =>
          new OutgoingMessage({
            communityId: c,
            recipient: { _tag: "Staff", staffId: s.id },
            templateId: "issues.deadlineBreached",
            params: { number: kase.number, type: typeName(locale), deadline: deadlineText[e.deadline][locale], due },
            locale,
            idempotencyKey: `${entry.eventId}:issues.deadlineBreached:staff:${s.id}`
          })
        )
      }
      default:
        return []
    }
  }).pipe(
    // A store failure is a defect here: the subscriber retries the entry and dead-letters it, never drops it.
    Effect.orDie
  )

/**
 * The issues module's notification subscriber (name `issues.notifications`):
 * drain it with `drain`/`runWorker` next to a `Notifier`; it never runs
 * inside commands. See {@link issueMessages} for who gets what.
 *
 * @since 0.1.0
 * @category notifications
 */
export const issueNotifications = notificationSubscriber("issues.notifications", issueMessages)
