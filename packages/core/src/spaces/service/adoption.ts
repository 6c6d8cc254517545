/**
 * Adoption of plots and storage: rounds with an application window, the
 * verifiable lottery (seed committed before the window closes, revealed at
 * the draw), offers with a reply deadline, the waitlist in draw order,
 * fees and pro-rata refunds on the ledger, inspections.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize } from "../../kernel/actor.js"
import { Directory } from "../../kernel/directory.js"
import { AlreadyExists, decodeInput } from "../../kernel/errors.js"
import { type CommunityId, type HouseholdId, newId } from "../../kernel/ids.js"
import { appendEvents } from "../../kernel/journal.js"
import { transactionally } from "../../kernel/transaction.js"
import { AlreadyAllocated, ApplicationWindowClosed, LotteryAlreadyDrawn, NotEligible, SeedMismatch } from "../errors.js"
import { SpacesEvent } from "../events.js"
import {
  Adoption,
  AdoptionId,
  AdoptionReplyInput,
  Application,
  ApplyInput,
  CommitSeedInput,
  DrawInput,
  ExpireOffersInput,
  InspectionInput,
  OpenRoundInput,
  RevokeAdoptionInput,
  Round,
  RoundId,
  SpacesConfig,
  type SpaceId
} from "../model.js"
import * as Rules from "../rules.js"
import { SpacesStore } from "../store.js"
import { invalid, isStatus, loadSpace, orNotFound, postFee, requireHousehold, residentWithHousehold, spacesPermissions } from "./shared.js"

const DAY = 86_400_000

const loadRound = (communityId: CommunityId, roundId: RoundId, lock = true) =>
  Effect.flatMap(SpacesStore, (s) => s.rounds.get({ communityId, id: roundId }, lock ? { lock: "update" } : undefined)).pipe(
    Effect.flatMap(orNotFound("SpaceRound", roundId))
  )

const loadAdoption = (communityId: CommunityId, id: AdoptionId) =>
  Effect.flatMap(SpacesStore, (s) => s.adoptions.get({ communityId, id }, { lock: "update" })).pipe(
    Effect.flatMap(orNotFound("SpaceAdoption", id))
  )

/**
 * Opens an adoption round for the given plots (or storage spaces), with its
 * application window, term, fee (default: the first space's
 * `adoptionFeeFen`, the seed's 50 yuan), priority groups and, optionally,
 * the seed's SHA-256 at once. Space committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const openRound = Effect.fn("spaces.openRound")(function* (actor: Actor, input: typeof OpenRoundInput.Encoded) {
  const command = "spaces.openRound"
  const cmd = yield* decodeInput(command, OpenRoundInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const spaces = yield* Effect.forEach(cmd.spaceIds, (id) => loadSpace(cmd.communityId, id))
      if (spaces.some((s) => s.rules.mode !== "adoption" || !s.active)) return yield* Effect.fail(new NotEligible({ reason: "not-adoptable" }))
      const now = yield* Clock.currentTimeMillis
      if (cmd.seedHash !== undefined && now >= cmd.closesAt) {
        return yield* Effect.fail(new ApplicationWindowClosed({ roundId: "new", opensAt: cmd.opensAt, closesAt: cmd.closesAt }))
      }
      const round = new Round({
        communityId: cmd.communityId,
        id: RoundId.make(yield* newId("rnd")),
        label: cmd.label,
        spaceIds: cmd.spaceIds,
        termStartsAt: cmd.termStartsAt,
        termEndsAt: cmd.termEndsAt,
        opensAt: cmd.opensAt,
        closesAt: cmd.closesAt,
        feeFen: cmd.feeFen ?? spaces[0]!.rules.adoptionFeeFen,
        priorityGroups: cmd.priorityGroups ?? [],
        replyDays: cmd.replyDays ?? 7,
        status: "open",
        ...(cmd.seedHash === undefined ? {} : { seedHash: cmd.seedHash, seedCommittedAt: now }),
        waitlistOffered: 0,
        createdAt: now,
        version: 1
      })
      yield* store.rounds.insert(round)
      yield* appendEvents(cmd.communityId, SpacesEvent, [
        {
          _tag: "SpacesRoundOpened",
          roundId: round.id,
          spaceIds: round.spaceIds,
          opensAt: round.opensAt,
          closesAt: round.closesAt,
          termStartsAt: round.termStartsAt,
          termEndsAt: round.termEndsAt,
          feeFen: round.feeFen,
          priorityGroups: round.priorityGroups
        },
        ...(round.seedHash === undefined ? [] : [{ _tag: "SpacesSeedCommitted" as const, roundId: round.id, seedHash: round.seedHash }])
      ])
      return round
    })
  )
})

/**
 * Commits the lottery seed: publishes its SHA-256 as an event. Only before
 * applications close (`ApplicationWindowClosed`), and only once
 * (`AlreadyExists`): nobody can pick a seed after seeing the list. Space
 * committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const commitSeed = Effect.fn("spaces.commitSeed")(function* (actor: Actor, input: typeof CommitSeedInput.Encoded) {
  const command = "spaces.commitSeed"
  const cmd = yield* decodeInput(command, CommitSeedInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const round = yield* loadRound(cmd.communityId, cmd.roundId)
      const now = yield* Clock.currentTimeMillis
      if (now >= round.closesAt) {
        return yield* Effect.fail(new ApplicationWindowClosed({ roundId: round.id, opensAt: round.opensAt, closesAt: round.closesAt }))
      }
      if (round.seedHash !== undefined) return yield* Effect.fail(new AlreadyExists({ entity: "Seed commitment", id: round.id }))
      const next = new Round({ ...round, seedHash: cmd.seedHash, seedCommittedAt: now, version: round.version + 1 })
      yield* store.rounds.update(next)
      yield* appendEvents(cmd.communityId, SpacesEvent, [{ _tag: "SpacesSeedCommitted", roundId: round.id, seedHash: cmd.seedHash }])
      return next
    })
  )
})

/** Adoptions a household holds (offered or active) of spaces of the round's kind. */
const heldBy = (communityId: CommunityId, householdId: HouseholdId) =>
  Effect.map(
    Effect.flatMap(SpacesStore, (s) => s.adoptions.list({ communityId, householdId })),
    (list) => list.filter((a) => a.heldSpaceId !== undefined)
  )

/**
 * A household applies in a round, between `opensAt` (inclusive) and
 * `closesAt` (exclusive); once per household (`AlreadyAllocated`), and not
 * when it already holds as many adoptions as the spaces' rules allow. Its
 * priority group is fixed at application (elderly: a resident aged
 * `elderlyAge` or more this year; never-allocated: never accepted an
 * adoption). The resident themself, or admin or clerk for them.
 *
 * @since 0.2.0
 * @category commands
 */
export const apply = Effect.fn("spaces.apply")(function* (actor: Actor, input: typeof ApplyInput.Encoded) {
  const command = "spaces.apply"
  const cmd = yield* decodeInput(command, ApplyInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId, cmd.residentId)
  const store = yield* SpacesStore
  const config = yield* SpacesConfig
  return yield* transactionally(
    Effect.gen(function* () {
      const c = cmd.communityId
      const round = yield* loadRound(c, cmd.roundId, false)
      const now = yield* Clock.currentTimeMillis
      if (round.status !== "open" || now < round.opensAt || now >= round.closesAt) {
        return yield* Effect.fail(new ApplicationWindowClosed({ roundId: round.id, opensAt: round.opensAt, closesAt: round.closesAt }))
      }
      const { resident, householdId } = yield* residentWithHousehold(c, cmd.residentId)
      const first = yield* loadSpace(c, round.spaceIds[0]!)
      if (first.rules.eligible === "owners" && resident.kind !== "owner") return yield* Effect.fail(new NotEligible({ reason: "not-owner" }))
      const held = yield* heldBy(c, householdId)
      if (held.length >= first.rules.adoptionsPerHousehold) return yield* Effect.fail(new AlreadyAllocated({ householdId, what: "adoption" }))
      const members = yield* Effect.flatMap(Directory, (d) => d.listResidents(c, householdId))
      const year = new Date(now).getUTCFullYear()
      const elderly = members.some((m) => m.birthYear !== undefined && year - m.birthYear >= config.elderlyAge)
      const history = yield* store.adoptions.list({ communityId: c, householdId })
      const group = Rules.applicantGroup(round.priorityGroups, { elderly, neverAllocated: !history.some((a) => a.acceptedBy !== undefined) })
      const application = new Application({ communityId: c, roundId: round.id, householdId, residentId: cmd.residentId, group, appliedAt: now })
      yield* store.applications.insert(application).pipe(
        Effect.catchTag("AlreadyExists", () => Effect.fail(new AlreadyAllocated({ householdId, what: "application" })))
      )
      yield* appendEvents(c, SpacesEvent, [
        { _tag: "SpacesApplicationReceived", roundId: round.id, householdId, residentId: cmd.residentId, group }
      ])
      return application
    })
  )
})

/** Creates an offer (inside a transaction). */
const offer = (round: Round, spaceId: SpaceId, householdId: HouseholdId, fromWaitlist: boolean, now: number) =>
  Effect.gen(function* () {
    const store = yield* SpacesStore
    const start = Math.max(now, round.termStartsAt)
    const adoption = new Adoption({
      communityId: round.communityId,
      id: AdoptionId.make(yield* newId("adp")),
      spaceId,
      heldSpaceId: spaceId,
      householdId,
      roundId: round.id,
      status: "offered",
      termStartsAt: start,
      termEndsAt: round.termEndsAt,
      // Mid-term offers cost the share of the term left.
      feeFen: start <= round.termStartsAt ? round.feeFen : Rules.proRataRefund(round.feeFen, round.termStartsAt, round.termEndsAt, start),
      offeredAt: now,
      replyBy: now + round.replyDays * DAY,
      failedInspections: 0,
      version: 1
    })
    yield* store.adoptions.insert(adoption).pipe(
      Effect.catchTag("AlreadyExists", () => Effect.fail(new AlreadyAllocated({ householdId, what: "space" })))
    )
    yield* appendEvents(round.communityId, SpacesEvent, [
      { _tag: "SpacesAdoptionOffered", adoptionId: adoption.id, roundId: round.id, spaceId, householdId, replyBy: adoption.replyBy, fromWaitlist }
    ])
    return adoption
  })

/**
 * Offers a freed space to the next household on the round's waitlist that
 * holds no adoption already (inside a transaction). Returns the offer, if
 * anyone was left.
 */
const offerNext = (communityId: CommunityId, roundId: RoundId | undefined, spaceId: SpaceId) =>
  Effect.gen(function* () {
    if (roundId === undefined) return Option.none<Adoption>()
    const store = yield* SpacesStore
    const round = yield* loadRound(communityId, roundId)
    const waitlist = round.result?.waitlist ?? []
    const now = yield* Clock.currentTimeMillis
    let index = round.waitlistOffered
    let made: Option.Option<Adoption> = Option.none()
    while (index < waitlist.length && Option.isNone(made)) {
      const householdId = waitlist[index]!
      index++
      const held = yield* heldBy(communityId, householdId)
      if (held.length > 0) continue
      made = Option.some(yield* offer(round, spaceId, householdId, true, now))
    }
    yield* store.rounds.update(new Round({ ...round, waitlistOffered: index, version: round.version + 1 }))
    return made
  })

/**
 * Draws the round's lottery once applications have closed: the revealed
 * `seed` must hash to the commitment (`SeedMismatch`); the applicant list is
 * the stored applications; the result (`drawLottery`) is published with the
 * seed, the list and its digest, and each winner is offered their plot with
 * a reply deadline. Fewer applicants than plots: everyone is offered one.
 * A second draw fails with `LotteryAlreadyDrawn`. Space committee, admin or
 * the system.
 *
 * @since 0.2.0
 * @category commands
 */
export const draw = Effect.fn("spaces.draw")(function* (actor: Actor, input: typeof DrawInput.Encoded) {
  const command = "spaces.draw"
  const cmd = yield* decodeInput(command, DrawInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const round = yield* loadRound(cmd.communityId, cmd.roundId)
      if (round.status === "drawn") return yield* Effect.fail(new LotteryAlreadyDrawn({ roundId: round.id }))
      const now = yield* Clock.currentTimeMillis
      if (now < round.closesAt) return yield* Effect.fail(invalid(command, "roundId", { "zh-CN": "申请尚未截止，不能抽签", en: "applications are still open" }))
      if (round.seedHash === undefined) return yield* Effect.fail(new SeedMismatch({ roundId: round.id, what: "no-commitment" }))
      if (Rules.seedCommitment(cmd.seed) !== round.seedHash) return yield* Effect.fail(new SeedMismatch({ roundId: round.id, what: "seed" }))
      const applications = yield* store.applications.list({ communityId: cmd.communityId, roundId: round.id })
      const applicants = applications.map((a) => ({ householdId: a.householdId, group: a.group }))
      const result = Rules.drawLottery({ seed: cmd.seed, applicants, spaceIds: round.spaceIds, priorityGroups: round.priorityGroups })
      const applicantsHash = Rules.applicantsDigest(applicants)
      const drawn = new Round({ ...round, status: "drawn", seed: cmd.seed, applicantsHash, result, drawnAt: now, version: round.version + 1 })
      yield* store.rounds.update(drawn)
      yield* appendEvents(cmd.communityId, SpacesEvent, [
        {
          _tag: "SpacesLotteryDrawn",
          roundId: round.id,
          seed: cmd.seed,
          seedHash: round.seedHash,
          spaceIds: round.spaceIds,
          priorityGroups: round.priorityGroups,
          applicants,
          applicantsHash,
          result
        }
      ])
      const offers = yield* Effect.forEach(result.winners, (w) => offer(drawn, w.spaceId, w.householdId, false, now))
      return { round: drawn, offers }
    })
  )
})

/**
 * Checks a drawn round against its own records: the seed against the
 * commitment, the stored applications against the published digest, the
 * result against a recomputation. Fails with `SeedMismatch` naming what
 * differs. Anyone who may read the module.
 *
 * @since 0.2.0
 * @category queries
 */
export const verifyRound = Effect.fn("spaces.verifyRound")(function* (actor: Actor, communityId: CommunityId, roundId: RoundId) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  const store = yield* SpacesStore
  const round = yield* loadRound(communityId, roundId, false)
  if (round.seed === undefined || round.seedHash === undefined || round.result === undefined || round.applicantsHash === undefined) {
    return yield* Effect.fail(new SeedMismatch({ roundId, what: "no-commitment" }))
  }
  const applications = yield* store.applications.list({ communityId, roundId })
  const what = Rules.verifyLottery({
    seed: round.seed,
    seedHash: round.seedHash,
    applicants: applications.map((a) => ({ householdId: a.householdId, group: a.group })),
    applicantsHash: round.applicantsHash,
    spaceIds: round.spaceIds,
    priorityGroups: round.priorityGroups,
    result: round.result
  })
  if (what !== undefined) return yield* Effect.fail(new SeedMismatch({ roundId, what }))
  return round
})

const changed = (a: Adoption, status: string, by: string, refundFen = 0) =>
  appendEvents(a.communityId, SpacesEvent, [
    {
      _tag: "SpacesAdoptionChanged",
      adoptionId: a.id,
      spaceId: a.spaceId,
      householdId: a.householdId,
      status,
      ...(a.feeTxId === undefined ? {} : { feeTxId: a.feeTxId }),
      refundFen,
      by
    }
  ])

/**
 * Accepts an offer before its reply deadline: the fee is posted from the
 * household's account into the community fund (`InsufficientBalance` when it
 * cannot pay) and the adoption becomes active. A resident of the household,
 * or admin or clerk for them.
 *
 * @since 0.2.0
 * @category commands
 */
export const acceptOffer = Effect.fn("spaces.acceptOffer")(function* (actor: Actor, input: typeof AdoptionReplyInput.Encoded) {
  const command = "spaces.replyOffer"
  const cmd = yield* decodeInput(command, AdoptionReplyInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const a = yield* loadAdoption(cmd.communityId, cmd.adoptionId)
      yield* requireHousehold(actor, cmd.communityId, a.householdId)
      const { householdId } = yield* residentWithHousehold(cmd.communityId, cmd.residentId)
      if (householdId !== a.householdId) return yield* Effect.fail(new NotEligible({ reason: "not-yours" }))
      const now = yield* Clock.currentTimeMillis
      if (a.status !== "offered" || now > a.replyBy) return yield* Effect.fail(new NotEligible({ reason: "not-offered" }))
      const feeTxId = a.feeFen > 0
        ? yield* postFee(cmd.communityId, a.householdId, a.feeFen, "charge", "spaces-adoption-fee", `adoption ${a.id} of ${a.spaceId}`)
        : undefined
      const next = new Adoption({ ...a, status: "active", acceptedBy: cmd.residentId, ...(feeTxId === undefined ? {} : { feeTxId }), version: a.version + 1 })
      yield* store.adoptions.update(next)
      yield* changed(next, "active", actorRef(actor))
      return next
    })
  )
})

/** Ends an adoption (inside a transaction) and passes its space to the waitlist. */
const endAdoption = (a: Adoption, status: "declined" | "lapsed" | "released" | "revoked" | "ended", by: string, reason: string, refund: number) =>
  Effect.gen(function* () {
    const store = yield* SpacesStore
    const now = yield* Clock.currentTimeMillis
    const refundTxId = refund > 0
      ? yield* postFee(a.communityId, a.householdId, refund, "refund", "spaces-adoption-refund", `refund of adoption ${a.id}`)
      : undefined
    const { heldSpaceId: _held, ...rest } = a
    const next = new Adoption({
      ...rest,
      status,
      ...(refundTxId === undefined ? {} : { refundTxId, refundFen: refund }),
      endedAt: now,
      endReason: reason,
      version: a.version + 1
    })
    yield* store.adoptions.update(next)
    yield* changed(next, status, by, refund)
    const passedTo = now < a.termEndsAt ? yield* offerNext(a.communityId, a.roundId, a.spaceId) : Option.none<Adoption>()
    return { adoption: next, passedTo: Option.getOrUndefined(passedTo) }
  })

/**
 * Declines an offer: the space goes to the next household on the waitlist.
 *
 * @since 0.2.0
 * @category commands
 */
export const declineOffer = Effect.fn("spaces.declineOffer")(function* (actor: Actor, input: typeof AdoptionReplyInput.Encoded) {
  const command = "spaces.replyOffer"
  const cmd = yield* decodeInput(command, AdoptionReplyInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const a = yield* loadAdoption(cmd.communityId, cmd.adoptionId)
      yield* requireHousehold(actor, cmd.communityId, a.householdId)
      if (a.status !== "offered") return yield* Effect.fail(new NotEligible({ reason: "not-offered" }))
      return yield* endAdoption(a, "declined", actorRef(actor), "declined", 0)
    })
  )
})

/**
 * Lapses the round's offers whose reply deadline has passed; each space
 * goes to the next household on the waitlist. Run it daily.
 *
 * @since 0.2.0
 * @category commands
 */
export const expireOffers = Effect.fn("spaces.expireOffers")(function* (actor: Actor, input: typeof ExpireOffersInput.Encoded) {
  const command = "spaces.expireOffers"
  const cmd = yield* decodeInput(command, ExpireOffersInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const offered = (yield* store.adoptions.list({ communityId: cmd.communityId, roundId: cmd.roundId, status: "offered" }))
        .filter((a) => a.replyBy < now)
      return yield* Effect.forEach(offered, (a) => endAdoption(a, "lapsed", actorRef(actor), "no reply in time", 0))
    })
  )
})

/**
 * The household gives up its adoption mid-term (no refund); the space goes
 * to the next household on the waitlist, for the rest of the term at the
 * pro-rata fee.
 *
 * @since 0.2.0
 * @category commands
 */
export const releaseAdoption = Effect.fn("spaces.releaseAdoption")(function* (actor: Actor, input: typeof AdoptionReplyInput.Encoded) {
  const command = "spaces.releaseAdoption"
  const cmd = yield* decodeInput(command, AdoptionReplyInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const a = yield* loadAdoption(cmd.communityId, cmd.adoptionId)
      yield* requireHousehold(actor, cmd.communityId, a.householdId)
      if (a.status !== "active") return yield* Effect.fail(invalid(command, "adoptionId", isStatus("adoption", a.status)))
      return yield* endAdoption(a, "released", actorRef(actor), "released by the household", 0)
    })
  )
})

/**
 * The committee revokes an active adoption with a reason: the fee for the
 * rest of the term is refunded pro rata (`proRataRefund`) and the space goes
 * to the waitlist. Space committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const revokeAdoption = Effect.fn("spaces.revokeAdoption")(function* (actor: Actor, input: typeof RevokeAdoptionInput.Encoded) {
  const command = "spaces.revokeAdoption"
  const cmd = yield* decodeInput(command, RevokeAdoptionInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const a = yield* loadAdoption(cmd.communityId, cmd.adoptionId)
      if (a.status !== "active") return yield* Effect.fail(invalid(command, "adoptionId", isStatus("adoption", a.status)))
      const now = yield* Clock.currentTimeMillis
      const refund = a.feeTxId === undefined ? 0 : Rules.proRataRefund(a.feeFen, a.termStartsAt, a.termEndsAt, now)
      return yield* endAdoption(a, "revoked", actorRef(actor), cmd.reason, refund)
    })
  )
})

/**
 * Records an inspection of an adopted space. After `inspectionFailuresToEnd`
 * failed inspections the adoption ends (no refund) and the space passes on.
 * Space committee, adoption group or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const recordInspection = Effect.fn("spaces.recordInspection")(function* (actor: Actor, input: typeof InspectionInput.Encoded) {
  const command = "spaces.recordInspection"
  const cmd = yield* decodeInput(command, InspectionInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  const config = yield* SpacesConfig
  return yield* transactionally(
    Effect.gen(function* () {
      const a = yield* loadAdoption(cmd.communityId, cmd.adoptionId)
      if (a.status !== "active") return yield* Effect.fail(invalid(command, "adoptionId", isStatus("adoption", a.status)))
      const failed = a.failedInspections + (cmd.passed ? 0 : 1)
      const next = new Adoption({ ...a, failedInspections: failed, version: a.version + 1 })
      yield* store.adoptions.update(next)
      yield* appendEvents(cmd.communityId, SpacesEvent, [
        { _tag: "SpacesInspectionRecorded", adoptionId: a.id, spaceId: a.spaceId, householdId: a.householdId, passed: cmd.passed, finding: cmd.finding, failedInspections: failed }
      ])
      if (failed >= config.inspectionFailuresToEnd) {
        return yield* endAdoption(next, "ended", actorRef(actor), `${failed} failed inspections`, 0)
      }
      return { adoption: next, passedTo: undefined }
    })
  )
})

/**
 * A household's position on a drawn round's waitlist (1: next to be
 * offered), or `undefined` when it is not waiting.
 *
 * @since 0.2.0
 * @category queries
 */
export const waitlistPosition = Effect.fn("spaces.waitlistPosition")(function* (
  actor: Actor,
  communityId: CommunityId,
  roundId: RoundId,
  householdId: HouseholdId
) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  const round = yield* loadRound(communityId, roundId, false)
  const index = (round.result?.waitlist ?? []).indexOf(householdId)
  return index < round.waitlistOffered ? undefined : index - round.waitlistOffered + 1
})

/**
 * A household's adoptions, oldest offer first (a resident's own household;
 * staff any).
 *
 * @since 0.2.0
 * @category queries
 */
export const householdAdoptions = Effect.fn("spaces.householdAdoptions")(function* (actor: Actor, communityId: CommunityId, householdId: HouseholdId) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  yield* requireHousehold(actor, communityId, householdId)
  const store = yield* SpacesStore
  return yield* store.adoptions.list({ communityId, householdId })
})

/**
 * A round with its published draw (seed, list digest, result) once drawn.
 *
 * @since 0.2.0
 * @category queries
 */
export const getRound = Effect.fn("spaces.getRound")(function* (actor: Actor, communityId: CommunityId, roundId: RoundId) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  const round = yield* loadRound(communityId, roundId, false)
  // The seed stays secret until the draw reveals it.
  return round
})
