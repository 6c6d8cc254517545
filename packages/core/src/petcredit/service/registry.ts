/**
 * Pet credit's scheme choice and dog registry commands.
 *
 * @since 0.2.0
 */
import { Clock, Effect } from "effect"
import { type Actor, actorRef, authorize } from "../../kernel/actor.js"
import { Directory } from "../../kernel/directory.js"
import { Conflict, decodeInput } from "../../kernel/errors.js"
import { type CommunityId, newId } from "../../kernel/ids.js"
import { appendEvents } from "../../kernel/journal.js"
import { transactionally } from "../../kernel/transaction.js"
import { LicenceSuspended, NotDogOwner } from "../errors.js"
import { PetCreditEvent } from "../events.js"
import {
  ChooseSchemeInput,
  Dog,
  DogId,
  MarkDogGoneInput,
  presetSchemes,
  RegisterDogInput,
  RenewLicenceInput,
  type Scheme,
  SchemeChoice,
  TransferDogInput,
  UpdateDogInput
} from "../model.js"
import * as Rules from "../rules.js"
import { PetCreditStore } from "../store.js"
import {
  invalid,
  currentScheme,
  loadDog,
  requireOwner,
  requireKeeper,
  post,
  commit,
  working,
  today,
  withLastViolation,
  petCreditPermissions
} from "./shared.js"

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
        Effect.catchTag("AlreadyExists", () => Effect.fail(invalid(command, "licenceNo", "this licence number is already registered", "invalid", "该犬证号已登记")))
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
      if (cmd.householdId === dog.householdId) return yield* Effect.fail(invalid(command, "householdId", "the dog already belongs to this household", "invalid", "该犬只已属于此住户"))
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
        return yield* Effect.fail(invalid(command, "licenceExpiresOn", "the new expiry must be after the current one", "range", "新的到期日必须晚于当前到期日"))
      }
      const next = new Dog({ ...dog, licenceExpiresOn: cmd.licenceExpiresOn, version: dog.version + 1 })
      yield* store.dogs.update(next)
      yield* appendEvents(cmd.communityId, PetCreditEvent, [dogChanged(next, "licence-renewed", actorRef(actor))])
      return next
    })
  )
})
