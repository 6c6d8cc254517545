/**
 * Pet credit's permission table and the helpers its commands share (loading, ownership checks, posting score entries).
 *
 * @since 0.2.0
 */
import { Effect, Option } from "effect"
import {
  type Actor,
  type PermissionTable,
  type Role,
  Roles
} from "../../kernel/actor.js"
import { toLocalDate, WorkdayCalendar } from "../../kernel/calendar.js"
import { Directory } from "../../kernel/directory.js"
import { Conflict, fieldIssue, type FieldProblem, InvalidInput, NotFound } from "../../kernel/errors.js"
import { type CommunityId, type ResidentId } from "../../kernel/ids.js"
import { appendEvents } from "../../kernel/journal.js"
import { DogNotRegistered, NotDogOwner } from "../errors.js"
import { PetCreditEvent } from "../events.js"
import {
  Dog,
  DogId,
  type EntryKind,
  PetCreditConfig,
  ReportId,
  type Scheme,
  ScoreEntry
} from "../model.js"
import * as Rules from "../rules.js"
import { PetCreditStore } from "../store.js"

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
  | "petcredit.reportFromIssue"
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

export const staffDesk = [Roles.admin, Roles.committee, Roles.clerk]

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
  "petcredit.reportFromIssue": { roles: staffDesk, system: true },
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
    roles: [...staffDesk, Roles.auditor, Roles.mediator, Roles.treasurer, Roles.dispatcher, Roles.handler, Roles.operator, PetCreditRoles.trainer],
    system: true
  }
}

// ---------------------------------------------------------------------------
// Helpers

export const invalid = (command: string, path: string, en: string, problem: FieldProblem, zh: string) =>
  new InvalidInput({ command, issues: [fieldIssue(path, problem, { "zh-CN": zh, en })] })

/** The community's scheme: the one it chose, else the configured default. */
export const currentScheme = (communityId: CommunityId) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const choices = yield* store.schemeChoices.list({ communityId })
    const latest = choices[choices.length - 1]
    if (latest !== undefined) return latest.scheme
    return (yield* PetCreditConfig).defaultScheme
  })

export const loadDog = (communityId: CommunityId, dogId: DogId, options: { readonly active?: boolean } = {}) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const dog = yield* store.dogs.get({ communityId, id: dogId })
    if (Option.isNone(dog) || (options.active !== false && dog.value.status !== "active")) {
      return yield* Effect.fail(new DogNotRegistered({ dogId }))
    }
    return dog.value
  })

export const loadReport = (communityId: CommunityId, reportId: ReportId) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const report = yield* store.reports.get({ communityId, id: reportId })
    if (Option.isNone(report)) return yield* Effect.fail(new NotFound({ entity: "PetCreditReport", id: reportId }))
    return report.value
  })

/** A resident passes only for a dog of their own household; staff and the system pass (the table checked their role). */
export const requireOwner = (actor: Actor, dog: Dog) =>
  Effect.gen(function* () {
    if (actor._tag !== "Resident") return
    const dir = yield* Directory
    const r = yield* dir.getResident(dog.communityId, actor.residentId).pipe(Effect.option)
    if (Option.isNone(r) || r.value.householdId !== dog.householdId) {
      return yield* Effect.fail(new NotDogOwner({ dogId: dog.id, residentId: actor.residentId }))
    }
  })

/** The keeper must live in the household. */
export const requireKeeper = (command: string, communityId: CommunityId, householdId: string, keeperId: ResidentId) =>
  Effect.gen(function* () {
    const dir = yield* Directory
    const keeper = yield* dir.getResident(communityId, keeperId).pipe(Effect.option)
    if (Option.isNone(keeper) || keeper.value.householdId !== householdId) {
      return yield* Effect.fail(invalid(command, "keeperId", "the keeper must be a resident of the household", "invalid", "饲养人必须是该住户的居民"))
    }
  })

export const insertEntry = (entry: ScoreEntry) =>
  Effect.flatMap(PetCreditStore, (store) =>
    store.entries.insert(entry).pipe(
      Effect.catchTag("AlreadyExists", () =>
        Effect.fail(new Conflict({ entity: "PetCreditScoreEntry", id: `${entry.dogId}/${entry.seq}`, detail: "entry taken concurrently" }))
      )
    )
  )

/** Accumulates a dog's changes and events inside one command. */
export interface Working {
  dog: Dog
  readonly events: Array<PetCreditEvent>
  readonly entries: Array<ScoreEntry>
}

/**
 * Posts one entry on the working dog: clamped by the scheme, appended, the
 * score and flags recomputed, events for the score and any consequence
 * that began or was lifted.
 */
export const post = (
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
export const onCurrentScheme = (w: Working, scheme: Scheme, by: string, now: number) =>
  w.dog.schemeCode === scheme.code
    ? Effect.void
    : Effect.asVoid(post(w, scheme, { kind: "reset", code: "scheme-change", points: scheme.base - w.dog.score }, by, now))

/** Saves the working dog (one version step) and appends its events. */
export const commit = (w: Working, original: Dog, extraEvents: ReadonlyArray<PetCreditEvent> = []) =>
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

export const working = (dog: Dog): Working => ({ dog, events: [], entries: [] })

export const today = Effect.flatMap(WorkdayCalendar, (c) => c.today())
export const localDate = (millis: number) => Effect.map(WorkdayCalendar, (c) => toLocalDate(millis, c.timeZone))

/** When the dog's latest standing violation (verified, not overturned) happened, since its keeper keeps it. */
export const latestStandingViolation = (dog: Dog, except?: ReportId) =>
  Effect.gen(function* () {
    const store = yield* PetCreditStore
    const reports = yield* store.reports.list({ communityId: dog.communityId, dogId: dog.id, status: "verified" })
    const times = reports.filter((r) => r.id !== except && r.occurredAt >= dog.keptSince).map((r) => r.occurredAt)
    return times.length === 0 ? undefined : Math.max(...times)
  })

export const withLastViolation = (dog: Dog, at: number | undefined): Dog => {
  const { lastViolationAt: _, ...rest } = dog
  return new Dog(at === undefined ? rest : { ...rest, lastViolationAt: at })
}
