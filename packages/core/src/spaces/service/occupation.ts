/**
 * Occupation cases: the seed's three stages against occupation of common
 * space (notice, assisted clearing, forced clearing with public notice and a
 * credit record), deadlines on the kernel's working-day calendar, no stage
 * skipped, reopening counted.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize, SystemActor } from "../../kernel/actor.js"
import { WorkdayCalendar } from "../../kernel/calendar.js"
import { Directory } from "../../kernel/directory.js"
import { decodeInput } from "../../kernel/errors.js"
import { type CommunityId, newId } from "../../kernel/ids.js"
import { appendEvents, decodeEntry, type JournalEntry, sha256Hex } from "../../kernel/journal.js"
import { IssueEvent } from "../../issues/index.js"
import { transactionally } from "../../kernel/transaction.js"
import { AlreadyAllocated, NotEligible, NotOccupant, StageNotDue } from "../errors.js"
import { SpacesEvent } from "../events.js"
import {
  Adoption,
  AdoptionId,
  OccupationCase,
  OccupationId,
  OccupationRefInput,
  type OccupationStage,
  type OccupationStep,
  RegisterOccupationInput,
  type SpaceId,
  SpacesConfig
} from "../model.js"
import * as Rules from "../rules.js"
import { SpacesStore } from "../store.js"
import { invalid, loadSpace, orNotFound, spacesPermissions } from "./shared.js"

/** The stage's deadline (local date), from `today`. */
const dueDateFor = (communityId: CommunityId, stage: OccupationStage, today: string) =>
  Effect.gen(function* () {
    const calendar = yield* WorkdayCalendar
    const config = yield* SpacesConfig
    if (stage === "notice") return yield* calendar.addWorkdays(communityId, Rules.addMonths(today, config.noticeMonths), 0)
    if (stage === "assisted") return yield* calendar.addWorkdays(communityId, today as never, config.assistedWorkdays)
    return undefined
  })

const stageEvent = (k: OccupationCase, reason: OccupationStep["reason"], by: string) =>
  appendEvents(k.communityId, SpacesEvent, [
    {
      _tag: "SpacesOccupationStage",
      caseId: k.id,
      ...(k.spaceId === undefined ? {} : { spaceId: k.spaceId }),
      place: k.place,
      ...(k.householdId === undefined ? {} : { householdId: k.householdId }),
      stage: k.stage,
      reason,
      ...(k.dueDate === undefined ? {} : { dueDate: k.dueDate }),
      repeats: k.repeats,
      by
    }
  ])

/** Offers the occupying household a storage space, free, for `temporaryStorageDays` (inside a transaction). */
const offerStorage = (k: OccupationCase, spaceId: SpaceId, now: number) =>
  Effect.gen(function* () {
    const store = yield* SpacesStore
    const config = yield* SpacesConfig
    const space = yield* loadSpace(k.communityId, spaceId)
    if (space.kind !== "storage" || !space.active) return yield* Effect.fail(new NotEligible({ reason: "not-adoptable" }))
    if (k.householdId === undefined) return yield* Effect.fail(invalid("spaces.advanceOccupation", "storageSpaceId", { "zh-CN": "占用住户不明，无法提供临时存放", en: "the occupying household is not known" }))
    const adoption = new Adoption({
      communityId: k.communityId,
      id: AdoptionId.make(yield* newId("adp")),
      spaceId,
      heldSpaceId: spaceId,
      householdId: k.householdId,
      status: "offered",
      termStartsAt: now,
      termEndsAt: now + config.temporaryStorageDays * 86_400_000,
      feeFen: 0,
      offeredAt: now,
      replyBy: now + 7 * 86_400_000,
      failedInspections: 0,
      version: 1
    })
    yield* store.adoptions.insert(adoption).pipe(
      Effect.catchTag("AlreadyExists", () => Effect.fail(new AlreadyAllocated({ householdId: k.householdId!, what: "space" })))
    )
    yield* appendEvents(k.communityId, SpacesEvent, [
      { _tag: "SpacesAdoptionOffered", adoptionId: adoption.id, spaceId, householdId: k.householdId, replyBy: adoption.replyBy, fromWaitlist: false }
    ])
    return adoption
  })

const loadCase = (communityId: CommunityId, id: OccupationId) =>
  Effect.flatMap(SpacesStore, (s) => s.occupations.get({ communityId, id }, { lock: "update" })).pipe(
    Effect.flatMap(orNotFound("SpaceOccupationCase", id))
  )

/**
 * Registers an occupation of common space (place, kind, area, photos, the
 * occupying household if known) and opens stage 1: a notice to clear it
 * within `noticeMonths` (the seed's one month), due on the first working
 * day on or after that date. Any resident (a report), the space committee,
 * clerk, or the system (e.g. from an issue report of that kind).
 *
 * @since 0.2.0
 * @category commands
 */
export const registerOccupation = Effect.fn("spaces.registerOccupation")(function* (
  actor: Actor,
  input: typeof RegisterOccupationInput.Encoded
) {
  const command = "spaces.registerOccupation"
  const cmd = yield* decodeInput(command, RegisterOccupationInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  return yield* registerChecked(actor, cmd, undefined)
})

const registerChecked = (actor: Actor, cmd: typeof RegisterOccupationInput.Type, id: OccupationId | undefined) =>
  Effect.gen(function* () {
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const c = cmd.communityId
      if (cmd.spaceId !== undefined) yield* loadSpace(c, cmd.spaceId)
      if (cmd.householdId !== undefined) yield* Effect.flatMap(Directory, (d) => d.getHousehold(c, cmd.householdId!))
      const calendar = yield* WorkdayCalendar
      const today = yield* calendar.today()
      const now = yield* Clock.currentTimeMillis
      const dueDate = yield* dueDateFor(c, "notice", today)
      const by = actorRef(actor)
      const k = new OccupationCase({
        communityId: c,
        id: id ?? OccupationId.make(yield* newId("occ")),
        ...(cmd.spaceId === undefined ? {} : { spaceId: cmd.spaceId }),
        place: cmd.place,
        kind: cmd.kind,
        areaDm2: cmd.areaDm2 ?? 0,
        photos: cmd.photos ?? [],
        ...(cmd.householdId === undefined ? {} : { householdId: cmd.householdId }),
        stage: "notice",
        ...(dueDate === undefined ? {} : { dueDate }),
        consented: false,
        repeats: 0,
        history: [{ stage: "notice", at: now, by, reason: "opened", ...(dueDate === undefined ? {} : { dueDate }) }],
        openedAt: now,
        version: 1
      })
      yield* store.occupations.insert(k)
      yield* stageEvent(k, "opened", by)
      return k
    })
  )
  })

const decodeIssue = decodeEntry(IssueEvent)

/**
 * A journal subscriber (name `spaces.occupations-from-issues`) that opens an
 * occupation case for every issue report of a type in
 * `occupationIssueTypes` (default the issues catalogue's `occupied-space`):
 * stage 1 starts from the report, the place naming the issue's case number.
 * Idempotent: the case id derives from the issue's case id.
 *
 * @since 0.2.0
 * @category subscribers
 */
export const occupationsFromIssues = {
  name: "spaces.occupations-from-issues",
  handle: (entry: JournalEntry) =>
    Effect.gen(function* () {
      const event = decodeIssue(entry)
      if (Option.isNone(event) || event.value._tag !== "IssueReportSubmitted") return
      const e = event.value
      const config = yield* SpacesConfig
      if (!config.occupationIssueTypes.includes(e.typeId)) return
      const id = OccupationId.make(`occ-i-${(yield* sha256Hex(e.caseId)).slice(0, 40)}`)
      const system = new SystemActor({ communityId: entry.communityId, process: "spaces.occupations-from-issues" })
      yield* registerChecked(system, { communityId: entry.communityId, place: `issue ${e.caseNumber}`, kind: "other" }, id).pipe(
        Effect.catchTag("AlreadyExists", () => Effect.void)
      )
    })
}

/**
 * The occupying household consents to the next stage (e.g. accepts
 * assisted clearing before the notice runs out). Only a resident of that
 * household (`NotOccupant`), or a clerk recording it for them with the
 * resident's id.
 *
 * @since 0.2.0
 * @category commands
 */
export const consentOccupation = Effect.fn("spaces.consentOccupation")(function* (actor: Actor, input: typeof OccupationRefInput.Encoded) {
  const command = "spaces.consentOccupation"
  const cmd = yield* decodeInput(command, OccupationRefInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const k = yield* loadCase(cmd.communityId, cmd.caseId)
      const residentId = actor._tag === "Resident" ? actor.residentId : cmd.residentId
      if (residentId === undefined) return yield* Effect.fail(invalid(command, "residentId", { "zh-CN": "请填写表示同意的居民", en: "give the consenting resident" }, "required"))
      const resident = yield* Effect.flatMap(Directory, (d) => d.getResident(cmd.communityId, residentId))
      if (k.householdId === undefined || resident.householdId !== k.householdId) return yield* Effect.fail(new NotOccupant({ caseId: k.id }))
      if (k.stage !== "notice" && k.stage !== "assisted") return yield* Effect.fail(new StageNotDue({ caseId: k.id, stage: k.stage }))
      const next = new OccupationCase({ ...k, consented: true, version: k.version + 1 })
      yield* store.occupations.update(next)
      yield* appendEvents(cmd.communityId, SpacesEvent, [
        { _tag: "SpacesOccupationConsent", caseId: k.id, householdId: k.householdId, residentId }
      ])
      return next
    })
  )
})

/**
 * Moves a case to its next stage: notice -> assisted clearing (with
 * `storageSpaceId`, that storage space is offered to the household as free
 * temporary storage for `temporaryStorageDays`, an adoption it accepts with
 * `acceptOffer`; due in `assistedWorkdays` working days) -> forced
 * clearing (a public notice, and an entry in the household's community
 * record). Only when today is after the current stage's due date, or the
 * occupant consented; otherwise `StageNotDue`. Stages are never skipped.
 * Space committee, admin or the system.
 *
 * @since 0.2.0
 * @category commands
 */
export const advanceOccupation = Effect.fn("spaces.advanceOccupation")(function* (actor: Actor, input: typeof OccupationRefInput.Encoded) {
  const command = "spaces.advanceOccupation"
  const cmd = yield* decodeInput(command, OccupationRefInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const k = yield* loadCase(cmd.communityId, cmd.caseId)
      const stage = Rules.nextStage(k.stage)
      const today = yield* Effect.flatMap(WorkdayCalendar, (c) => c.today())
      if (stage === undefined || !Rules.stageDue(k.dueDate, today, k.consented)) {
        return yield* Effect.fail(new StageNotDue({ caseId: k.id, stage: k.stage, ...(k.dueDate === undefined ? {} : { dueDate: k.dueDate }) }))
      }
      const reason = k.dueDate !== undefined && today > k.dueDate ? "deadline" as const : "consent" as const
      const now = yield* Clock.currentTimeMillis
      const dueDate = yield* dueDateFor(cmd.communityId, stage, today)
      const by = actorRef(actor)
      const storage = stage === "assisted" && cmd.storageSpaceId !== undefined
        ? yield* offerStorage(k, cmd.storageSpaceId, now)
        : undefined
      const { dueDate: _old, ...rest } = k
      const next = new OccupationCase({
        ...rest,
        ...(storage === undefined ? {} : { storageAdoptionId: storage.id }),
        stage,
        ...(dueDate === undefined ? {} : { dueDate }),
        consented: false,
        history: [...k.history, { stage, at: now, by, reason, ...(dueDate === undefined ? {} : { dueDate }) }],
        version: k.version + 1
      })
      yield* store.occupations.update(next)
      yield* stageEvent(next, reason, by)
      if (stage === "forced" && next.householdId !== undefined) {
        yield* appendEvents(cmd.communityId, SpacesEvent, [
          { _tag: "SpacesCreditRecordEntered", householdId: next.householdId, caseId: next.id, kind: "forced-clearing" }
        ])
      }
      return next
    })
  )
})

/**
 * Closes a case: the space is clear (at any stage). Space committee, admin
 * or clerk.
 *
 * @since 0.2.0
 * @category commands
 */
export const clearOccupation = Effect.fn("spaces.clearOccupation")(function* (actor: Actor, input: typeof OccupationRefInput.Encoded) {
  const command = "spaces.clearOccupation"
  const cmd = yield* decodeInput(command, OccupationRefInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const k = yield* loadCase(cmd.communityId, cmd.caseId)
      if (k.stage === "cleared") return yield* Effect.fail(invalid(command, "caseId", { "zh-CN": "案件已结案", en: "the case is closed" }))
      const now = yield* Clock.currentTimeMillis
      const by = actorRef(actor)
      const { dueDate: _old, ...rest } = k
      const next = new OccupationCase({
        ...rest,
        stage: "cleared",
        consented: false,
        clearedAt: now,
        history: [...k.history, { stage: "cleared", at: now, by, reason: "cleared" }],
        version: k.version + 1
      })
      yield* store.occupations.update(next)
      yield* stageEvent(next, "cleared", by)
      return next
    })
  )
})

/**
 * Reopens a cleared case because the space is occupied again: back to
 * stage 1 with a new notice, `repeats` counting up (the seed's
 * broken-windows figure). Space committee, admin or clerk.
 *
 * @since 0.2.0
 * @category commands
 */
export const reopenOccupation = Effect.fn("spaces.reopenOccupation")(function* (actor: Actor, input: typeof OccupationRefInput.Encoded) {
  const command = "spaces.clearOccupation"
  const cmd = yield* decodeInput(command, OccupationRefInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const k = yield* loadCase(cmd.communityId, cmd.caseId)
      if (k.stage !== "cleared") return yield* Effect.fail(invalid(command, "caseId", { "zh-CN": "只有已清理的案件可以重新立案", en: "only a cleared case is reopened" }))
      const today = yield* Effect.flatMap(WorkdayCalendar, (c) => c.today())
      const now = yield* Clock.currentTimeMillis
      const dueDate = yield* dueDateFor(cmd.communityId, "notice", today)
      const by = actorRef(actor)
      const { clearedAt: _c, ...rest } = k
      const next = new OccupationCase({
        ...rest,
        stage: "notice",
        ...(dueDate === undefined ? {} : { dueDate }),
        consented: false,
        repeats: k.repeats + 1,
        history: [...k.history, { stage: "notice", at: now, by, reason: "reopened", ...(dueDate === undefined ? {} : { dueDate }) }],
        version: k.version + 1
      })
      yield* store.occupations.update(next)
      yield* stageEvent(next, "reopened", by)
      return next
    })
  )
})

/**
 * The occupation cases of the community, oldest first.
 *
 * @since 0.2.0
 * @category queries
 */
export const listOccupations = Effect.fn("spaces.listOccupations")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(spacesPermissions, "spaces.report", actor, communityId)
  const store = yield* SpacesStore
  return yield* store.occupations.list({ communityId })
})
