/**
 * Pet credit's commands and queries. Every command decodes its input,
 * authorizes the actor, then loads, decides (with `rules.ts`), saves and
 * appends its events in one transaction: a failure changes nothing.
 *
 * The evidence rule: a report (with at least one evidence reference) only
 * becomes a deduction when a staff member verifies it; camera detections
 * come in as reports of the system actor and wait like any other. Reports
 * nobody verified expire after `verifyWithinWorkdays` working days.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize, type PermissionTable, type Role, Roles, SystemActor } from "../kernel/actor.js"
import { type LocalDate, toLocalDate, WorkdayCalendar } from "../kernel/calendar.js"
import { Directory } from "../kernel/directory.js"
import { Conflict, decodeInput, InvalidInput, NotFound } from "../kernel/errors.js"
import { type CommunityId, newId, type ResidentId } from "../kernel/ids.js"
import { appendEvents, decodeEntry, type JournalEntry } from "../kernel/journal.js"
import { notificationSubscriber, OutgoingMessage } from "../kernel/notifier.js"
import type { Subscriber } from "../kernel/subscribers.js"
import { transactionally } from "../kernel/transaction.js"
import { TimeBankEvent } from "../timebank/index.js"
import {
  AlreadyAppealed,
  AlreadyVerified,
  AppealWindowClosed,
  DogNotRegistered,
  LicenceSuspended,
  NotApplicable,
  NotDogOwner,
  ReportExpired,
  ReportNotVerified,
  SameStaffDecision
} from "./errors.js"
import { PetCreditEvent } from "./events.js"
import {
  AppealInput,
  ChooseSchemeInput,
  DailyChecksInput,
  type DailyChecksResult,
  DecideAppealInput,
  Dog,
  DogId,
  type DogOwnerView,
  type EntryKind,
  GrantRewardInput,
  MarkDogGoneInput,
  type MonthlyComplaints,
  PetCreditConfig,
  presetSchemes,
  type PublicDogView,
  RecordExamInput,
  RecordTrainingInput,
  RegisterDogInput,
  RenewLicenceInput,
  type RepeatOffender,
  Report,
  ReportId,
  type ReportOwnerView,
  type ReportSource,
  ReportViolationInput,
  ReverseEntryInput,
  type Scheme,
  SchemeChoice,
  ScoreEntry,
  type ScoreHistoryLine,
  TransferDogInput,
  UpdateDogInput,
  VerifyReportInput
} from "./model.js"
import * as Rules from "./rules.js"
import { PetCreditStore } from "./store.js"

// ---------------------------------------------------------------------------
// Permissions

/**
 * Pet credit's own roles (besides the kernel's {@link Roles}).
 *
 * @since 0.2.0
 * @category permissions
 */
export const PetCreditRoles = {
  /** Runs dog-owner training and the exam, and records their completion. */
  trainer: "dog-trainer" as Role
} as const

/**
 * Pet credit's commands and queries, as named in its permission table.
 *
 * @since 0.2.0
 * @category permissions
 */
export type PetCreditCommand =
  | "petcredit.chooseScheme"
  | "petcredit.registerDog"
  | "petcredit.updateDog"
  | "petcredit.transferDog"
  | "petcredit.markDogGone"
  | "petcredit.renewLicence"
  | "petcredit.reportViolation"
  | "petcredit.verifyReport"
  | "petcredit.appeal"
  | "petcredit.decideAppeal"
  | "petcredit.recordTraining"
  | "petcredit.recordExam"
  | "petcredit.grantReward"
  | "petcredit.reverseEntry"
  | "petcredit.runDailyChecks"
  | "petcredit.ownerRead"
  | "petcredit.staffRead"
  | "petcredit.publicRead"

const staffDesk = [Roles.admin, Roles.committee, Roles.clerk]

/**
 * Who may run each command. Residents act for their own household's dogs
 * (the module's `NotDogOwner` check); verification, appeal decisions,
 * training, exams and reversals are staff work; camera detections come
 * from the system actor; the daily checks run as the system (or an admin).
 *
 * @since 0.2.0
 * @category permissions
 */
export const petCreditPermissions: PermissionTable<PetCreditCommand> = {
  "petcredit.chooseScheme": { roles: [Roles.admin] },
  "petcredit.registerDog": { residents: true, roles: staffDesk },
  "petcredit.updateDog": { residents: true, roles: staffDesk },
  "petcredit.transferDog": { residents: true, roles: staffDesk },
  "petcredit.markDogGone": { residents: true, roles: staffDesk },
  "petcredit.renewLicence": { residents: true, roles: staffDesk },
  "petcredit.reportViolation": { residents: true, roles: staffDesk, system: true },
  "petcredit.verifyReport": { roles: staffDesk },
  "petcredit.appeal": { residents: true, roles: staffDesk },
  "petcredit.decideAppeal": { roles: [Roles.admin, Roles.committee, Roles.mediator] },
  "petcredit.recordTraining": { roles: [Roles.admin, Roles.committee, PetCreditRoles.trainer] },
  "petcredit.recordExam": { roles: [Roles.admin, Roles.committee, PetCreditRoles.trainer] },
  "petcredit.grantReward": { roles: staffDesk, system: true },
  "petcredit.reverseEntry": { roles: [Roles.admin] },
  "petcredit.runDailyChecks": { roles: [Roles.admin], system: true },
  "petcredit.ownerRead": { residents: true, roles: [...staffDesk, Roles.auditor], system: true },
  "petcredit.staffRead": { roles: [...staffDesk, Roles.auditor, Roles.mediator], system: true },
  "petcredit.publicRead": {
    residents: true,
    roles: [...staffDesk, Roles.auditor, Roles.mediator, Roles.treasurer, Roles.dispatcher, Roles.handler, PetCreditRoles.trainer],
    system: true
  }
}

// ---------------------------------------------------------------------------
// Helpers

const invalid = (command: string, path: string, message: string) =>
  new InvalidInput({ command, issues: [{ path, message }] })

/** The community's scheme: the one it chose, else the configured default. */
const currentScheme = (communityId: CommunityId) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const choices = yield* store.schemeChoices.list({ communityId })
    const latest = choices[choices.length - 1]
    if (latest !== undefined) return latest.scheme
    return (yield* PetCreditConfig).defaultScheme
  })

const loadDog = (communityId: CommunityId, dogId: DogId, options: { readonly active?: boolean } = {}) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const dog = yield* store.dogs.get({ communityId, id: dogId })
    if (Option.isNone(dog) || (options.active !== false && dog.value.status !== "active")) {
      return yield* Effect.fail(new DogNotRegistered({ dogId }))
    }
    return dog.value
  })

const loadReport = (communityId: CommunityId, reportId: ReportId) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const report = yield* store.reports.get({ communityId, id: reportId })
    if (Option.isNone(report)) return yield* Effect.fail(new NotFound({ entity: "PetCreditReport", id: reportId }))
    return report.value
  })

/** A resident passes only for a dog of their own household; staff and the system pass (the table checked their role). */
const requireOwner = (actor: Actor, dog: Dog) =>
  Effect.gen(function* () {
    if (actor._tag !== "Resident") return
    const dir = yield* Directory
    const r = yield* dir.getResident(dog.communityId, actor.residentId).pipe(Effect.option)
    if (Option.isNone(r) || r.value.householdId !== dog.householdId) {
      return yield* Effect.fail(new NotDogOwner({ dogId: dog.id, residentId: actor.residentId }))
    }
  })

/** The keeper must live in the household. */
const requireKeeper = (command: string, communityId: CommunityId, householdId: string, keeperId: ResidentId) =>
  Effect.gen(function* () {
    const dir = yield* Directory
    const keeper = yield* dir.getResident(communityId, keeperId).pipe(Effect.option)
    if (Option.isNone(keeper) || keeper.value.householdId !== householdId) {
      return yield* Effect.fail(invalid(command, "keeperId", "the keeper must be a resident of the household"))
    }
  })

const insertEntry = (entry: ScoreEntry) =>
  Effect.flatMap(PetCreditStore, (store) =>
    store.entries.insert(entry).pipe(
      Effect.catchTag("AlreadyExists", () =>
        Effect.fail(new Conflict({ entity: "PetCreditScoreEntry", id: `${entry.dogId}/${entry.seq}`, detail: "entry taken concurrently" }))
      )
    )
  )

/** Accumulates a dog's changes and events inside one command. */
interface Working {
  dog: Dog
  readonly events: Array<PetCreditEvent>
  readonly entries: Array<ScoreEntry>
}

/**
 * Posts one entry on the working dog: clamped by the scheme, appended, the
 * score and flags recomputed, events for the score and any consequence
 * that began or was lifted.
 */
const post = (
  w: Working,
  scheme: Scheme,
  e: {
    readonly kind: EntryKind
    readonly code: string
    readonly points: number
    readonly reportId?: ReportId
    readonly reverses?: number
    readonly sourceRef?: string
  },
  by: string,
  now: number
) =>
  Effect.gen(function* () {
    const dog = w.dog
    const { applied, score } = Rules.applyPoints(scheme, dog.score, e.points)
    const seq = dog.entryCount + 1
    const entry = new ScoreEntry({
      communityId: dog.communityId,
      dogId: dog.id,
      seq,
      kind: e.kind,
      code: e.code,
      points: e.points,
      applied,
      scoreAfter: score,
      schemeCode: scheme.code,
      ...(e.reportId === undefined ? {} : { reportId: e.reportId }),
      ...(e.reverses === undefined ? {} : { reverses: e.reverses }),
      ...(e.sourceRef === undefined ? {} : { sourceRef: e.sourceRef }),
      recordedAt: now,
      recordedBy: by
    })
    yield* insertEntry(entry)
    const before = Rules.consequencesOfFlags(dog)
    const flags = Rules.flagsAt(scheme, score)
    const { began, lifted } = Rules.consequenceChanges(before, Rules.consequencesOfFlags(flags))
    w.dog = new Dog({ ...dog, score, ...flags, schemeCode: scheme.code, entryCount: seq })
    w.entries.push(entry)
    const who = { dogId: dog.id, householdId: dog.householdId, keeperId: dog.keeperId }
    w.events.push({ _tag: "PetCreditScoreChanged", ...who, seq, kind: e.kind, code: e.code, applied, score, schemeCode: scheme.code })
    for (const c of began) w.events.push({ _tag: "PetCreditConsequenceChanged", ...who, consequence: c, active: true, score })
    for (const c of lifted) w.events.push({ _tag: "PetCreditConsequenceChanged", ...who, consequence: c, active: false, score })
    return entry
  })

/**
 * Moves a dog kept under another scheme (the community changed it) to the
 * current one: a `reset` entry to the new base. Past entries are untouched.
 */
const onCurrentScheme = (w: Working, scheme: Scheme, by: string, now: number) =>
  w.dog.schemeCode === scheme.code
    ? Effect.void
    : Effect.asVoid(post(w, scheme, { kind: "reset", code: "scheme-change", points: scheme.base - w.dog.score }, by, now))

/** Saves the working dog (one version step) and appends its events. */
const commit = (w: Working, original: Dog, extraEvents: ReadonlyArray<PetCreditEvent> = []) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const changed = w.dog !== original
    if (changed) {
      w.dog = new Dog({ ...w.dog, version: original.version + 1 })
      yield* store.dogs.update(w.dog)
    }
    yield* appendEvents(original.communityId, PetCreditEvent, [...extraEvents, ...w.events])
    return w.dog
  })

const working = (dog: Dog): Working => ({ dog, events: [], entries: [] })

const today = Effect.flatMap(WorkdayCalendar, (c) => c.today())
const localDate = (millis: number) => Effect.map(WorkdayCalendar, (c) => toLocalDate(millis, c.timeZone))

/** When the dog's latest standing violation (verified, not overturned) happened, since its keeper keeps it. */
const latestStandingViolation = (dog: Dog, except?: ReportId) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const reports = yield* store.reports.list({ communityId: dog.communityId, dogId: dog.id, status: "verified" })
    const times = reports.filter((r) => r.id !== except && r.occurredAt >= dog.keptSince).map((r) => r.occurredAt)
    return times.length === 0 ? undefined : Math.max(...times)
  })

const withLastViolation = (dog: Dog, at: number | undefined): Dog => {
  const { lastViolationAt: _, ...rest } = dog
  return new Dog(at === undefined ? rest : { ...rest, lastViolationAt: at })
}

// ---------------------------------------------------------------------------
// Scheme

/**
 * Chooses the community's scheme: a preset (`"seed"`, `"jinan12"`) or a
 * whole scheme. Past entries are never rewritten: each dog moves to the new
 * scheme (a `reset` entry to its base) the next time its score changes or
 * the daily checks run. Admin only.
 *
 * @since 0.2.0
 * @category commands
 */
export const chooseScheme = Effect.fn("petcredit.chooseScheme")(function* (
  actor: Actor,
  input: typeof ChooseSchemeInput.Encoded
) {
  const command = "petcredit.chooseScheme"
  const cmd = yield* decodeInput(command, ChooseSchemeInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const scheme = typeof cmd.scheme === "string" ? presetSchemes[cmd.scheme]! : cmd.scheme
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const choices = yield* store.schemeChoices.list({ communityId: cmd.communityId })
      const settings = new SchemeChoice({
        communityId: cmd.communityId,
        seq: choices.length + 1,
        scheme,
        chosenAt: now,
        chosenBy: actorRef(actor)
      })
      yield* store.schemeChoices.insert(settings).pipe(
        Effect.catchTag("AlreadyExists", () =>
          Effect.fail(new Conflict({ entity: "PetCreditSchemeChoice", id: cmd.communityId, detail: "chosen concurrently" }))
        )
      )
      yield* appendEvents(cmd.communityId, PetCreditEvent, [{ _tag: "PetCreditSchemeChosen", schemeCode: scheme.code, by: actorRef(actor) }])
      return settings
    })
  )
})

/**
 * The community's current scheme.
 *
 * @since 0.2.0
 * @category queries
 */
export const schemeOf = Effect.fn("petcredit.schemeOf")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.publicRead", actor, communityId)
  return yield* currentScheme(communityId)
})

// ---------------------------------------------------------------------------
// Registry

type DogChange = Extract<PetCreditEvent, { readonly _tag: "PetCreditDogChanged" }>["change"]

const dogChanged = (dog: Dog, change: DogChange, by: string): PetCreditEvent => ({
  _tag: "PetCreditDogChanged",
  dogId: dog.id,
  householdId: dog.householdId,
  keeperId: dog.keeperId,
  change,
  by
})

/** No licence while another dog of the household is suspended or withheld. */
const requireHouseholdEligible = (communityId: CommunityId, householdId: string) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const dogs = yield* store.dogs.list({ communityId, householdId: householdId as Dog["householdId"], status: "active" })
    const barred = dogs.find((d) => d.licenceSuspended || d.licenceWithheld)
    if (barred !== undefined) return yield* Effect.fail(new LicenceSuspended({ dogId: barred.id, score: barred.score }))
  })

/**
 * Registers a dog for a household with its named keeper, licence number,
 * breed, size and the vaccination and licence expiry dates. Its score
 * starts at the scheme's base. A resident registers for their own
 * household; clerks for anyone. Refused with `LicenceSuspended` while
 * another dog of the household has its licence suspended or withheld.
 *
 * @since 0.2.0
 * @category commands
 */
export const registerDog = Effect.fn("petcredit.registerDog")(function* (actor: Actor, input: typeof RegisterDogInput.Encoded) {
  const command = "petcredit.registerDog"
  const cmd = yield* decodeInput(command, RegisterDogInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  const dir = yield* Directory
  return yield* transactionally(
    Effect.gen(function* () {
      yield* dir.getHousehold(cmd.communityId, cmd.householdId)
      if (actor._tag === "Resident") {
        const me = yield* dir.getResident(cmd.communityId, actor.residentId)
        if (me.householdId !== cmd.householdId) {
          return yield* Effect.fail(new NotDogOwner({ dogId: "(new)", residentId: actor.residentId }))
        }
      }
      yield* requireKeeper(command, cmd.communityId, cmd.householdId, cmd.keeperId)
      yield* requireHouseholdEligible(cmd.communityId, cmd.householdId)
      const scheme = yield* currentScheme(cmd.communityId)
      const now = yield* Clock.currentTimeMillis
      const year = Number((yield* today).slice(0, 4))
      const dog = new Dog({
        communityId: cmd.communityId,
        id: DogId.make(yield* newId("dog")),
        name: cmd.name,
        householdId: cmd.householdId,
        keeperId: cmd.keeperId,
        licenceNo: cmd.licenceNo,
        breed: cmd.breed,
        size: cmd.size,
        vaccinationExpiresOn: cmd.vaccinationExpiresOn,
        licenceExpiresOn: cmd.licenceExpiresOn,
        status: "active",
        schemeCode: scheme.code,
        score: scheme.base,
        ...Rules.flagsAt(scheme, scheme.base),
        entryCount: 0,
        keptSince: now,
        cleanAnchor: now,
        scoreYear: year,
        registeredAt: now,
        version: 1
      })
      yield* store.dogs.insert(dog).pipe(
        Effect.catchTag("AlreadyExists", () => Effect.fail(invalid(command, "licenceNo", "this licence number is already registered")))
      )
      yield* appendEvents(cmd.communityId, PetCreditEvent, [dogChanged(dog, "registered", actorRef(actor))])
      return dog
    })
  )
})


/**
 * Changes a dog's name, breed, size, vaccination expiry or keeper (a
 * resident of the same household). The owner's household or clerks.
 *
 * @since 0.2.0
 * @category commands
 */
export const updateDog = Effect.fn("petcredit.updateDog")(function* (actor: Actor, input: typeof UpdateDogInput.Encoded) {
  const command = "petcredit.updateDog"
  const cmd = yield* decodeInput(command, UpdateDogInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      yield* requireOwner(actor, dog)
      if (cmd.keeperId !== undefined) yield* requireKeeper(command, cmd.communityId, dog.householdId, cmd.keeperId)
      const next = new Dog({
        ...dog,
        ...(cmd.name === undefined ? {} : { name: cmd.name }),
        ...(cmd.breed === undefined ? {} : { breed: cmd.breed }),
        ...(cmd.size === undefined ? {} : { size: cmd.size }),
        ...(cmd.vaccinationExpiresOn === undefined ? {} : { vaccinationExpiresOn: cmd.vaccinationExpiresOn }),
        ...(cmd.keeperId === undefined ? {} : { keeperId: cmd.keeperId }),
        version: dog.version + 1
      })
      yield* store.dogs.update(next)
      yield* appendEvents(cmd.communityId, PetCreditEvent, [dogChanged(next, "updated", actorRef(actor))])
      return next
    })
  )
})

/**
 * Transfers a dog to another household of the community and its keeper.
 * The new keeper starts at the scheme's base (a `reset` entry), with a new
 * clean-record window; earlier violations no longer escalate. The current
 * owner's household or clerks.
 *
 * @since 0.2.0
 * @category commands
 */
export const transferDog = Effect.fn("petcredit.transferDog")(function* (actor: Actor, input: typeof TransferDogInput.Encoded) {
  const command = "petcredit.transferDog"
  const cmd = yield* decodeInput(command, TransferDogInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const dir = yield* Directory
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      yield* requireOwner(actor, dog)
      if (cmd.householdId === dog.householdId) return yield* Effect.fail(invalid(command, "householdId", "the dog already belongs to this household"))
      yield* dir.getHousehold(cmd.communityId, cmd.householdId)
      yield* requireKeeper(command, cmd.communityId, cmd.householdId, cmd.keeperId)
      const scheme = yield* currentScheme(cmd.communityId)
      const now = yield* Clock.currentTimeMillis
      const by = actorRef(actor)
      const w = working(
        withLastViolation(new Dog({ ...dog, householdId: cmd.householdId, keeperId: cmd.keeperId, keptSince: now, cleanAnchor: now }), undefined)
      )
      yield* post(w, scheme, { kind: "reset", code: "transfer", points: scheme.base - dog.score }, by, now)
      const saved = yield* commit(w, dog)
      yield* appendEvents(cmd.communityId, PetCreditEvent, [dogChanged(saved, "transferred", by)])
      return saved
    })
  )
})

/**
 * Takes a dog off the registry: deceased or rehomed out of the community.
 * Its history stays. The owner's household or clerks.
 *
 * @since 0.2.0
 * @category commands
 */
export const markDogGone = Effect.fn("petcredit.markDogGone")(function* (actor: Actor, input: typeof MarkDogGoneInput.Encoded) {
  const command = "petcredit.markDogGone"
  const cmd = yield* decodeInput(command, MarkDogGoneInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      yield* requireOwner(actor, dog)
      const next = new Dog({ ...dog, status: cmd.status, version: dog.version + 1 })
      yield* store.dogs.update(next)
      yield* appendEvents(cmd.communityId, PetCreditEvent, [dogChanged(next, cmd.status, actorRef(actor))])
      return next
    })
  )
})

/**
 * Renews a dog's licence to a later expiry date. Refused with
 * `LicenceSuspended` while the score keeps the licence suspended or
 * withheld. The owner's household or clerks.
 *
 * @since 0.2.0
 * @category commands
 */
export const renewLicence = Effect.fn("petcredit.renewLicence")(function* (actor: Actor, input: typeof RenewLicenceInput.Encoded) {
  const command = "petcredit.renewLicence"
  const cmd = yield* decodeInput(command, RenewLicenceInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      yield* requireOwner(actor, dog)
      if (dog.licenceSuspended || dog.licenceWithheld) return yield* Effect.fail(new LicenceSuspended({ dogId: dog.id, score: dog.score }))
      if (cmd.licenceExpiresOn <= dog.licenceExpiresOn) {
        return yield* Effect.fail(invalid(command, "licenceExpiresOn", "the new expiry must be after the current one"))
      }
      const next = new Dog({ ...dog, licenceExpiresOn: cmd.licenceExpiresOn, version: dog.version + 1 })
      yield* store.dogs.update(next)
      yield* appendEvents(cmd.communityId, PetCreditEvent, [dogChanged(next, "licence-renewed", actorRef(actor))])
      return next
    })
  )
})

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
    return yield* Effect.fail(invalid(command, cmd.patrol === true ? "patrol" : "issueId", "not available to this kind of reporter"))
  }
  const store = yield* PetCreditStore
  const config = yield* PetCreditConfig
  const calendar = yield* WorkdayCalendar
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      if (Rules.violationRule(scheme, cmd.kind) === undefined) {
        return yield* Effect.fail(invalid(command, "kind", `not a violation of the scheme (${scheme.violations.map((v) => v.kind).join(", ")})`))
      }
      const now = yield* Clock.currentTimeMillis
      if (cmd.occurredAt > now + 5 * 60_000) return yield* Effect.fail(invalid(command, "occurredAt", "the incident is in the future"))
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
        reporterRef: actorRef(actor),
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
        return yield* Effect.fail(new NotApplicable({ action: command, reason: `the scheme ${scheme.code} has no violation ${report.kind}` }))
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
        return yield* Effect.fail(new NotApplicable({ action: command, reason: "the report has no open appeal" }))
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
        return yield* Effect.fail(new NotApplicable({ action: command, reason: `a ${o.kind} entry cannot be reversed` }))
      }
      if (yield* alreadyReversed(cmd.communityId, cmd.dogId, o.seq)) {
        return yield* Effect.fail(new NotApplicable({ action: command, reason: `entry ${o.seq} was already reversed` }))
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

// ---------------------------------------------------------------------------
// Recovery and rewards

/**
 * Records a completed training. `compulsory` (while training is required)
 * restores the scheme's points at most once per period (a second training
 * in the period restores nothing, `restored: 0`); `optional` is the
 * scheme's `optional-training` reward. Trainers, committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const recordTraining = Effect.fn("petcredit.recordTraining")(function* (actor: Actor, input: typeof RecordTrainingInput.Encoded) {
  const command = "petcredit.recordTraining"
  const cmd = yield* decodeInput(command, RecordTrainingInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      const by = actorRef(actor)
      const now = yield* Clock.currentTimeMillis
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      let entry: ScoreEntry | undefined
      if (cmd.kind === "optional") {
        const points = Rules.rewardFor(scheme, "optional-training")
        if (points === undefined) {
          return yield* Effect.fail(new NotApplicable({ action: command, reason: `the scheme ${scheme.code} has no optional-training reward` }))
        }
        entry = yield* post(w, scheme, { kind: "reward", code: "optional-training", points }, by, now)
      } else {
        if (scheme.training === undefined) {
          return yield* Effect.fail(new NotApplicable({ action: command, reason: `the scheme ${scheme.code} has no compulsory training` }))
        }
        if (!w.dog.trainingRequired) return yield* Effect.fail(new NotApplicable({ action: command, reason: "training is not required" }))
        if (Rules.trainingRestoreDue(scheme, w.dog.lastTrainingRestoreAt, now)) {
          entry = yield* post(w, scheme, { kind: "training", code: "training", points: scheme.training.restorePoints }, by, now)
          w.dog = new Dog({ ...w.dog, lastTrainingRestoreAt: now })
        }
      }
      const saved = yield* commit(w, dog)
      return { dog: saved, entry, restored: entry?.applied ?? 0 }
    })
  )
})

/**
 * Records a passed exam on the regulations: while the licence is withheld
 * (Jinan: score 0), the score is restored to the scheme's `restoreTo`.
 * Trainers, committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const recordExam = Effect.fn("petcredit.recordExam")(function* (actor: Actor, input: typeof RecordExamInput.Encoded) {
  const command = "petcredit.recordExam"
  const cmd = yield* decodeInput(command, RecordExamInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      if (scheme.exam === undefined) {
        return yield* Effect.fail(new NotApplicable({ action: command, reason: `the scheme ${scheme.code} has no exam` }))
      }
      const by = actorRef(actor)
      const now = yield* Clock.currentTimeMillis
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      if (!w.dog.licenceWithheld) return yield* Effect.fail(new NotApplicable({ action: command, reason: "the licence is not withheld" }))
      const entry = yield* post(w, scheme, { kind: "exam", code: "exam", points: scheme.exam.restoreTo - w.dog.score }, by, now)
      const saved = yield* commit(w, dog)
      return { dog: saved, entry }
    })
  )
})

/**
 * Grants a reward of the scheme's catalogue (patrol volunteering, helping
 * at an open day, good behaviour). With `sourceRef` the reward is granted
 * once: a replay returns the first entry (`replayed: true`). Clerks,
 * committee, admin or the system.
 *
 * @since 0.2.0
 * @category commands
 */
export const grantReward = Effect.fn("petcredit.grantReward")(function* (actor: Actor, input: typeof GrantRewardInput.Encoded) {
  const command = "petcredit.grantReward"
  const cmd = yield* decodeInput(command, GrantRewardInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      if (cmd.sourceRef !== undefined) {
        const prior = yield* store.entries.findUnique("gz_petcredit_entries_source", { communityId: cmd.communityId, sourceRef: cmd.sourceRef })
        if (Option.isSome(prior)) return { entry: prior.value, replayed: true }
      }
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      const points = Rules.rewardFor(scheme, cmd.kind)
      if (points === undefined) {
        return yield* Effect.fail(invalid(command, "kind", `not a reward of the scheme (${scheme.rewards.map((r) => r.kind).join(", ")})`))
      }
      const by = actorRef(actor)
      const now = yield* Clock.currentTimeMillis
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      const entry = yield* post(w, scheme, { kind: "reward", code: cmd.kind, points, ...(cmd.sourceRef === undefined ? {} : { sourceRef: cmd.sourceRef }) }, by, now)
      yield* commit(w, dog)
      return { entry, replayed: false }
    })
  )
})

/**
 * The scheduled pass, once a day (as the system actor): expires unverified
 * reports past their deadline; grants the clean-record reward to every dog
 * whose window (since registration, its last violation or its last reward)
 * reached the scheme's months, once per window; resets scores on a new year
 * for schemes that reset; sends vaccination and licence reminders
 * `reminderDays` ahead, once per expiry date.
 *
 * @since 0.2.0
 * @category commands
 */
export const runDailyChecks = Effect.fn("petcredit.runDailyChecks")(function* (actor: Actor, input: typeof DailyChecksInput.Encoded) {
  const command = "petcredit.runDailyChecks"
  const cmd = yield* decodeInput(command, DailyChecksInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  const config = yield* PetCreditConfig
  return yield* transactionally(
    Effect.gen(function* () {
      const c = cmd.communityId
      const now = yield* Clock.currentTimeMillis
      const day = yield* today
      const by = actorRef(actor)
      const scheme = yield* currentScheme(c)
      let expired = 0
      let cleanRecordRewards = 0
      let resets = 0
      let reminders = 0
      const pending = yield* store.reports.list({ communityId: c, status: "pending" })
      const expiredEvents: Array<PetCreditEvent> = []
      for (const r of pending) {
        if (r.expiresOn >= day) continue
        yield* store.reports.update(new Report({ ...r, status: "expired", version: r.version + 1 }))
        expiredEvents.push({ _tag: "PetCreditReportExpired", reportId: r.id, dogId: r.dogId })
        expired++
      }
      yield* appendEvents(c, PetCreditEvent, expiredEvents)
      const year = Number(day.slice(0, 4))
      for (const dog of yield* store.dogs.list({ communityId: c, status: "active" })) {
        const w = working(dog)
        const extra: Array<PetCreditEvent> = []
        if (scheme.resetYearly && dog.scoreYear < year) {
          yield* post(w, scheme, { kind: "reset", code: "new-year", points: scheme.base - dog.score }, by, now)
          w.dog = new Dog({ ...w.dog, scoreYear: year })
          resets++
        } else {
          yield* onCurrentScheme(w, scheme, by, now)
        }
        if (scheme.cleanRecord !== undefined) {
          const startMillis = Math.max(w.dog.cleanAnchor, w.dog.lastViolationAt ?? 0)
          const windowStart = yield* localDate(startMillis)
          if (Rules.cleanRecordDue(windowStart, day, scheme.cleanRecord.months)) {
            if (scheme.cleanRecord.points > 0) {
              yield* post(w, scheme, { kind: "clean-record", code: "clean-record", points: scheme.cleanRecord.points }, by, now)
            }
            w.dog = new Dog({ ...w.dog, cleanAnchor: now })
            extra.push({
              _tag: "PetCreditCleanRecordRewarded",
              dogId: dog.id,
              householdId: dog.householdId,
              keeperId: dog.keeperId,
              windowStart,
              windowEnd: day,
              discountPercent: scheme.cleanRecord.discountPercent,
              points: scheme.cleanRecord.points
            })
            cleanRecordRewards++
          }
        }
        const remind = (what: "vaccination" | "licence", expiresOn: LocalDate, already: LocalDate | undefined) => {
          const left = Rules.daysBetween(day, expiresOn)
          if (already === expiresOn || left > config.reminderDays || left < 0) return false
          extra.push({ _tag: "PetCreditExpiryReminder", dogId: dog.id, keeperId: dog.keeperId, what, expiresOn })
          reminders++
          return true
        }
        if (remind("vaccination", dog.vaccinationExpiresOn, dog.remindedVaccinationFor)) {
          w.dog = new Dog({ ...w.dog, remindedVaccinationFor: dog.vaccinationExpiresOn })
        }
        if (remind("licence", dog.licenceExpiresOn, dog.remindedLicenceFor)) {
          w.dog = new Dog({ ...w.dog, remindedLicenceFor: dog.licenceExpiresOn })
        }
        if (w.dog !== dog) yield* commit(w, dog, extra)
      }
      const result: DailyChecksResult = { expired, cleanRecordRewards, resets, reminders }
      return result
    })
  )
})

// ---------------------------------------------------------------------------
// Queries

const ownerView = (dog: Dog): DogOwnerView => ({
  dogId: dog.id,
  name: dog.name,
  licenceNo: dog.licenceNo,
  breed: dog.breed,
  size: dog.size,
  status: dog.status,
  vaccinationExpiresOn: dog.vaccinationExpiresOn,
  licenceExpiresOn: dog.licenceExpiresOn,
  schemeCode: dog.schemeCode,
  score: dog.score,
  consequences: Rules.consequencesOfFlags(dog)
})

/**
 * What the owner sees of a report: never the reporter, nor the evidence
 * references (only how many there are).
 *
 * @since 0.2.0
 * @category views
 */
export const reportOwnerView = (r: Report): ReportOwnerView => ({
  reportId: r.id,
  dogId: r.dogId,
  kind: r.kind,
  place: r.place,
  occurredAt: r.occurredAt,
  status: r.status,
  evidenceCount: r.evidence.length,
  ...(r.deducted === undefined ? {} : { deducted: r.deducted }),
  ...(r.appealUntil === undefined ? {} : { appealUntil: r.appealUntil }),
  ...(r.appeal === undefined ? {} : { appealOutcome: r.appeal.decision?.outcome ?? "pending" })
})

/**
 * The dogs of the resident's household, with their scores and consequences.
 *
 * @since 0.2.0
 * @category queries
 */
export const myDogs = Effect.fn("petcredit.myDogs")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.ownerRead", actor, communityId)
  if (actor._tag !== "Resident") return []
  const dir = yield* Directory
  const store = yield* PetCreditStore
  const me = yield* dir.getResident(communityId, actor.residentId)
  if (me.householdId === undefined) return []
  return (yield* store.dogs.list({ communityId, householdId: me.householdId })).map(ownerView)
})

/**
 * A dog's score history, oldest first. The owner's household or staff.
 *
 * @since 0.2.0
 * @category queries
 */
export const scoreHistory = Effect.fn("petcredit.scoreHistory")(function* (actor: Actor, communityId: CommunityId, dogId: DogId) {
  yield* authorize(petCreditPermissions, "petcredit.ownerRead", actor, communityId)
  const dog = yield* loadDog(communityId, dogId, { active: false })
  yield* requireOwner(actor, dog)
  const store = yield* PetCreditStore
  const entries = yield* store.entries.list({ communityId, dogId })
  return entries.map((e): ScoreHistoryLine => ({
    seq: e.seq,
    kind: e.kind,
    code: e.code,
    points: e.points,
    applied: e.applied,
    scoreAfter: e.scoreAfter,
    recordedAt: e.recordedAt,
    ...(e.reverses === undefined ? {} : { reverses: e.reverses })
  }))
})

/**
 * The reports about a dog, as its owner sees them (no reporter, no
 * evidence references; duplicates left out). The owner's household or staff.
 *
 * @since 0.2.0
 * @category queries
 */
export const reportsAboutDog = Effect.fn("petcredit.reportsAboutDog")(function* (actor: Actor, communityId: CommunityId, dogId: DogId) {
  yield* authorize(petCreditPermissions, "petcredit.ownerRead", actor, communityId)
  const dog = yield* loadDog(communityId, dogId, { active: false })
  yield* requireOwner(actor, dog)
  const store = yield* PetCreditStore
  const reports = yield* store.reports.list({ communityId, dogId })
  return reports.filter((r) => r.status !== "duplicate").map(reportOwnerView)
})

/**
 * Reports waiting for verification, oldest first, with their source,
 * reporter and evidence (staff only).
 *
 * @since 0.2.0
 * @category queries
 */
export const pendingReports = Effect.fn("petcredit.pendingReports")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  const store = yield* PetCreditStore
  return yield* store.reports.list({ communityId, status: "pending" })
})

/**
 * Dogs with at least `minViolations` standing violations that happened in
 * the last `withinDays` days, most violations first (staff only).
 *
 * @since 0.2.0
 * @category queries
 */
export const repeatOffenders = Effect.fn("petcredit.repeatOffenders")(function* (
  actor: Actor,
  communityId: CommunityId,
  options: { readonly minViolations?: number; readonly withinDays?: number } = {}
) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  const store = yield* PetCreditStore
  const now = yield* Clock.currentTimeMillis
  const since = now - (options.withinDays ?? 365) * 86_400_000
  const counts = new Map<string, number>()
  for (const r of yield* store.reports.list({ communityId, status: "verified" })) {
    if (r.occurredAt >= since) counts.set(r.dogId, (counts.get(r.dogId) ?? 0) + 1)
  }
  const out: Array<RepeatOffender> = []
  for (const [dogId, violations] of counts) {
    if (violations < (options.minViolations ?? 2)) continue
    const dog = yield* store.dogs.get({ communityId, id: dogId as DogId })
    if (Option.isNone(dog)) continue
    out.push({ dogId: dog.value.id, tag: Rules.maskLicence(dog.value.licenceNo), householdId: dog.value.householdId, violations, score: dog.value.score })
  }
  return out.sort((a, b) => b.violations - a.violations || (a.dogId < b.dogId ? -1 : 1))
})

/**
 * Complaints by month (of the incident) and kind in `[fromMonth, toMonth]`
 * (`YYYY-MM`), duplicates left out: the seed's yearly-rise figure (staff).
 *
 * @since 0.2.0
 * @category queries
 */
export const monthlyComplaints = Effect.fn("petcredit.monthlyComplaints")(function* (
  actor: Actor,
  communityId: CommunityId,
  fromMonth: string,
  toMonth: string
) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  if (!/^\d{4}-\d{2}$/.test(fromMonth) || !/^\d{4}-\d{2}$/.test(toMonth)) {
    return yield* Effect.fail(invalid("petcredit.monthlyComplaints", "fromMonth", "months are YYYY-MM"))
  }
  const store = yield* PetCreditStore
  const rows: ReadonlyArray<MonthlyComplaints> = yield* store.complaintsByMonth(communityId, fromMonth, toMonth)
  return rows
})

/**
 * Active dogs whose licence is suspended or withheld and dogs in
 * compulsory training (staff).
 *
 * @since 0.2.0
 * @category queries
 */
export const consequenceList = Effect.fn("petcredit.consequenceList")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  const store = yield* PetCreditStore
  return {
    suspended: yield* store.dogs.list({ communityId, status: "active", licenceSuspended: true }),
    training: yield* store.dogs.list({ communityId, status: "active", trainingRequired: true }),
    withheld: yield* store.dogs.list({ communityId, status: "active", licenceWithheld: true })
  }
})

/**
 * The public board: active dogs under a consequence, by masked tag only
 * (never an owner's name or household).
 *
 * @since 0.2.0
 * @category queries
 */
export const publicBoard = Effect.fn("petcredit.publicBoard")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.publicRead", actor, communityId)
  const store = yield* PetCreditStore
  const dogs = yield* store.dogs.list({ communityId, status: "active" })
  return dogs
    .map((d): PublicDogView => ({ tag: Rules.maskLicence(d.licenceNo), breed: d.breed, size: d.size, consequences: Rules.consequencesOfFlags(d) }))
    .filter((v) => v.consequences.length > 0)
})

// ---------------------------------------------------------------------------
// Links: patrol hours from the time bank

/**
 * Rewards patrol volunteering recorded in the time bank: for every
 * confirmed time-bank service of a type in `patrolServiceTypes`, each
 * active dog the provider keeps earns the scheme's `patrol` reward, once
 * per service (`sourceRef` `timebank:<serviceId>:<dogId>`). Run it with
 * `drain`/`runWorker`.
 *
 * @since 0.2.0
 * @category subscribers
 */
export const patrolRewardsSubscriber: Subscriber<PetCreditStore | import("../kernel/transaction.js").Transaction | import("../kernel/journal.js").JournalStore | WorkdayCalendar | Directory> = {
  name: "petcredit.patrol-rewards",
  handle: (entry) =>
    Effect.gen(function* () {
      const event = decodeEntry(TimeBankEvent)(entry)
      if (Option.isNone(event) || event.value._tag !== "TimebankServiceConfirmed") return
      const e = event.value
      const config = yield* PetCreditConfig
      if (!config.patrolServiceTypes.includes(e.serviceType)) return
      const scheme = yield* currentScheme(entry.communityId)
      if (Rules.rewardFor(scheme, "patrol") === undefined) return
      const store = yield* PetCreditStore
      const dogs = yield* store.dogs.list({ communityId: entry.communityId, keeperId: e.providerId, status: "active" })
      const system = new SystemActor({ communityId: entry.communityId, process: "petcredit" })
      for (const dog of dogs) {
        yield* grantReward(system, { communityId: entry.communityId, dogId: dog.id, kind: "patrol", sourceRef: `timebank:${e.serviceId}:${dog.id}` })
      }
    }).pipe(Effect.catchAll((e) => (e._tag === "StoreUnavailable" ? Effect.fail(e) : Effect.die(e))))
}

// ---------------------------------------------------------------------------
// Notifications

/**
 * Pet credit's notification templates (zh-CN and en).
 *
 * @since 0.2.0
 * @category notifications
 */
export const petCreditTemplates = {
  "petcredit.scoreChanged": {
    "zh-CN": "您的犬只{dog}信用分变动 {applied}（{reason}），当前 {score} 分。",
    en: "Your dog {dog}'s credit score changed by {applied} ({reason}); it is now {score}."
  },
  "petcredit.licenceSuspended": {
    "zh-CN": "您的犬只{dog}信用分为 {score}，已低于门槛，暂停办证资格。",
    en: "Your dog {dog}'s score is {score}, below the threshold: licence applications and renewals are suspended."
  },
  "petcredit.trainingRequired": {
    "zh-CN": "您的犬只{dog}信用分为 {score}，须参加文明养犬培训。",
    en: "Your dog {dog}'s score is {score}: training is now compulsory."
  },
  "petcredit.licenceWithheld": {
    "zh-CN": "您的犬只{dog}积分已扣完，犬证暂扣，通过法规考试后恢复。",
    en: "Your dog {dog} has no points left: the licence is withheld until you pass the exam on the regulations."
  },
  "petcredit.consequenceLifted": {
    "zh-CN": "您的犬只{dog}信用分已恢复至 {score}，相关限制已解除。",
    en: "Your dog {dog}'s score is back at {score}; the restriction was lifted."
  },
  "petcredit.appealUpheld": {
    "zh-CN": "您对犬只{dog}的申诉已受理并支持，扣分已撤销。",
    en: "Your appeal for {dog} was upheld; the deduction was reversed."
  },
  "petcredit.appealDismissed": {
    "zh-CN": "您对犬只{dog}的申诉未获支持。",
    en: "Your appeal for {dog} was dismissed."
  },
  "petcredit.cleanRecordReward": {
    "zh-CN": "您的犬只{dog}连续{months}个月无违规，获得物业费{percent}%优惠。",
    en: "Your dog {dog} has a clean record since {since}: {percent}% off your property fee."
  },
  "petcredit.vaccinationExpiring": {
    "zh-CN": "您的犬只{dog}的疫苗将于 {date} 到期，请及时接种。",
    en: "Your dog {dog}'s vaccination expires on {date}; please book the next one."
  },
  "petcredit.licenceExpiring": {
    "zh-CN": "您的犬只{dog}的犬证将于 {date} 到期，请及时续办。",
    en: "Your dog {dog}'s licence expires on {date}; please renew it."
  }
} as const

const decodePetCredit = decodeEntry(PetCreditEvent)

const reasonText = (scheme: Scheme, kind: string, code: string, locale: "zh-CN" | "en"): string => {
  const named = [...scheme.violations, ...scheme.rewards].find((x) => x.kind === code)?.name[locale] ?? code
  const zh: Record<string, string> = {
    violation: "违规",
    reward: "奖励",
    training: "完成培训",
    exam: "通过考试",
    "clean-record": "无违规奖励",
    reversal: "撤销",
    reset: "重置"
  }
  return locale === "zh-CN" ? `${zh[kind] ?? kind}：${named}` : `${kind}: ${named}`
}

/**
 * Turns a pet-credit journal entry into messages to the dog's keeper:
 * score changes, consequences, appeal outcomes, rewards and expiry
 * reminders. Never names a reporter (events do not carry one). Idempotent
 * by event id.
 *
 * @since 0.2.0
 * @category notifications
 */
export const petCreditMessages = (entry: JournalEntry) =>
  Effect.gen(function* () {
    const event = decodePetCredit(entry)
    if (Option.isNone(event)) return []
    const e = event.value
    if (!("keeperId" in e) || !("dogId" in e)) return []
    const dir = yield* Directory
    const store = yield* PetCreditStore
    const c = entry.communityId
    const keeper = yield* dir.getResident(c, e.keeperId).pipe(Effect.option)
    const locale = Option.match(keeper, { onNone: () => "zh-CN" as const, onSome: (r) => r.locale })
    const dog = Option.match(yield* store.dogs.get({ communityId: c, id: e.dogId }), { onNone: () => e.dogId as string, onSome: (d) => d.name })
    const msg = (templateId: string, params: Record<string, string | number>, suffix: string) =>
      new OutgoingMessage({
        communityId: c,
        recipient: { _tag: "Resident", residentId: e.keeperId },
        templateId,
        params: { dog, ...params },
        locale,
        idempotencyKey: `${entry.eventId}:${suffix}`
      })
    switch (e._tag) {
      case "PetCreditScoreChanged":
        return [msg("petcredit.scoreChanged", { applied: e.applied > 0 ? `+${e.applied}` : String(e.applied), score: e.score, reason: reasonText(yield* currentScheme(c), e.kind, e.code, locale) }, "score")]
      case "PetCreditConsequenceChanged":
        if (!e.active) return [msg("petcredit.consequenceLifted", { score: e.score }, "lifted")]
        return [
          msg(
            e.consequence === "licence-suspended" ? "petcredit.licenceSuspended" : e.consequence === "training-required" ? "petcredit.trainingRequired" : "petcredit.licenceWithheld",
            { score: e.score },
            e.consequence
          )
        ]
      case "PetCreditAppealDecided":
        return [msg(e.outcome === "upheld" ? "petcredit.appealUpheld" : "petcredit.appealDismissed", {}, "appeal")]
      case "PetCreditCleanRecordRewarded":
        return [
          msg(
            "petcredit.cleanRecordReward",
            { months: Math.max(1, Math.round(Rules.daysBetween(e.windowStart, e.windowEnd) / 30)), since: e.windowStart, percent: e.discountPercent },
            "clean"
          )
        ]
      case "PetCreditExpiryReminder":
        return [msg(e.what === "vaccination" ? "petcredit.vaccinationExpiring" : "petcredit.licenceExpiring", { date: e.expiresOn }, e.what)]
      default:
        return []
    }
  }).pipe(Effect.orDie)

/**
 * Pet credit's notification subscriber (name `petcredit.notifications`).
 *
 * @since 0.2.0
 * @category notifications
 */
export const petCreditNotifications = notificationSubscriber("petcredit.notifications", petCreditMessages)
