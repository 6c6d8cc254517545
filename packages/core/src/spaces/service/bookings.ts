/**
 * Inventory and time-sliced bookings: spaces, closures, booking with
 * opening hours, windows by incentive level, quotas, prices per band and
 * level-perk free minutes, cancellation, approval, no-shows.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize } from "../../kernel/actor.js"
import { type LocalDate, startOfLocalDay } from "../../kernel/calendar.js"
import { Directory } from "../../kernel/directory.js"
import { decodeInput, IdempotencyKeyReused, NotFound } from "../../kernel/errors.js"
import { newId } from "../../kernel/ids.js"
import { appendEvents, canonicalJson, sha256Hex } from "../../kernel/journal.js"
import { transactionally } from "../../kernel/transaction.js"
import { NotEligible, OutsideOpeningHours, QuotaExceeded, SlotTaken } from "../errors.js"
import { SpacesEvent } from "../events.js"
import {
  AddClosureInput,
  Booking,
  BookingId,
  BookingRefInput,
  BookInput,
  BookSeriesInput,
  Closure,
  ClosureId,
  DefineSpaceInput,
  holdingStatuses,
  Space,
  SpacesConfig
} from "../model.js"
import * as Rules from "../rules.js"
import { SpacesStore } from "../store.js"
import { invalid, isStatus, loadSpace, orNotFound, postFee, requireHousehold, residentWithHousehold, spacesPermissions, standingOf, timeZoneOf } from "./shared.js"

const MINUTE = 60_000

/**
 * Adds a space to the inventory, or replaces the space with the same id
 * (its next version). Rules default to the configuration's `defaultRules`.
 * Space committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const defineSpace = Effect.fn("spaces.defineSpace")(function* (actor: Actor, input: typeof DefineSpaceInput.Encoded) {
  const command = "spaces.defineSpace"
  const cmd = yield* decodeInput(command, DefineSpaceInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  const config = yield* SpacesConfig
  return yield* transactionally(
    Effect.gen(function* () {
      const prior = yield* store.spaces.get({ communityId: cmd.communityId, id: cmd.id }, { lock: "update" })
      const now = yield* Clock.currentTimeMillis
      const space = new Space({
        communityId: cmd.communityId,
        id: cmd.id,
        kind: cmd.kind,
        label: cmd.label,
        location: cmd.location ?? "",
        capacity: cmd.capacity ?? 1,
        areaDm2: cmd.areaDm2 ?? 0,
        ...(cmd.openingHours === undefined ? {} : { openingHours: cmd.openingHours }),
        rules: cmd.rules ?? config.defaultRules,
        active: cmd.active ?? true,
        createdAt: Option.match(prior, { onNone: () => now, onSome: (p) => p.createdAt }),
        version: Option.match(prior, { onNone: () => 1, onSome: (p) => p.version + 1 })
      })
      if (Option.isSome(prior)) yield* store.spaces.update(space)
      else yield* store.spaces.insert(space)
      yield* appendEvents(cmd.communityId, SpacesEvent, [
        { _tag: "SpacesSpaceDefined", spaceId: space.id, kind: space.kind, label: space.label, active: space.active, version: space.version }
      ])
      return space
    })
  )
})

/** Cancels a booking inside a transaction, refunding `refund` fen (0: none). */
const closeBooking = (booking: Booking, status: "cancelled" | "rejected" | "confirmed" | "no-show", refund: number, late: boolean, by: string) =>
  Effect.gen(function* () {
    const store = yield* SpacesStore
    const now = yield* Clock.currentTimeMillis
    const refundTxId = refund > 0
      ? yield* postFee(booking.communityId, booking.householdId, refund, "refund", "spaces-booking-refund", `refund of booking ${booking.id}`)
      : undefined
    const next = new Booking({
      ...booking,
      status,
      ...(refundTxId === undefined ? {} : { refundTxId, refundFen: refund }),
      ...(late ? { late: true } : {}),
      ...(status === "confirmed" ? {} : { closedAt: now, closedBy: by }),
      version: booking.version + 1
    })
    yield* store.bookings.update(next)
    yield* appendEvents(booking.communityId, SpacesEvent, [
      {
        _tag: "SpacesBookingClosed",
        spaceId: booking.spaceId,
        bookingId: booking.id,
        householdId: booking.householdId,
        residentId: booking.residentId,
        status,
        startsAt: booking.startsAt,
        refundFen: refund,
        late,
        by
      }
    ])
    return next
  })

/**
 * Closes a space for a period (maintenance) with a reason. Bookings holding
 * a slot in it are cancelled and refunded in full. Space committee, admin
 * or clerk.
 *
 * @since 0.2.0
 * @category commands
 */
export const addClosure = Effect.fn("spaces.addClosure")(function* (actor: Actor, input: typeof AddClosureInput.Encoded) {
  const command = "spaces.addClosure"
  const cmd = yield* decodeInput(command, AddClosureInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const store = yield* SpacesStore
  return yield* transactionally(
    Effect.gen(function* () {
      yield* loadSpace(cmd.communityId, cmd.spaceId)
      const now = yield* Clock.currentTimeMillis
      const closure = new Closure({
        communityId: cmd.communityId,
        spaceId: cmd.spaceId,
        id: ClosureId.make(yield* newId("cls")),
        startsAt: cmd.startsAt,
        endsAt: cmd.endsAt,
        reason: cmd.reason,
        createdBy: actorRef(actor),
        createdAt: now
      })
      yield* store.closures.insert(closure)
      const hit = yield* store.overlapping(cmd.communityId, cmd.spaceId, cmd.startsAt, cmd.endsAt)
      const cancelled: Array<BookingId> = []
      for (const b of hit) {
        if (b.status === "no-show") continue
        yield* closeBooking(b, "cancelled", b.priceFen - (b.refundFen ?? 0), false, actorRef(actor))
        cancelled.push(b.id)
      }
      yield* appendEvents(cmd.communityId, SpacesEvent, [
        { _tag: "SpacesClosureAdded", spaceId: cmd.spaceId, closureId: closure.id, startsAt: closure.startsAt, endsAt: closure.endsAt, reason: closure.reason, cancelled }
      ])
      return { closure, cancelled }
    })
  )
})

/**
 * Books a space for the resident's household, for `startsAt <= t < endsAt`.
 * In order, it checks: the space takes slot bookings and the resident is
 * eligible; whole slots and the length; capacity; opening hours
 * (`OutsideOpeningHours`); the booking window of the resident's incentive
 * level (`NotEligible` `window-not-open`); closures and other bookings
 * (`SlotTaken`; the store guarantees it under concurrency); no-shows; the
 * household's quotas for the space's kind in the start's week and month
 * (`QuotaExceeded`). The price per band, less the level perk's free minutes
 * still unused this month, is charged to the household's account into the
 * community fund (`InsufficientBalance`). Over `approvalAbove` attendees the
 * booking is `pending` approval (it holds the slot). The resident
 * themself, or admin or clerk for them. With an idempotency key, a replay
 * returns the first booking (`replayed: true`).
 *
 * @since 0.2.0
 * @category commands
 */
export const book = Effect.fn("spaces.book")(function* (actor: Actor, input: typeof BookInput.Encoded) {
  const command = "spaces.book"
  const cmd = yield* decodeInput(command, BookInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId, cmd.residentId)
  return yield* bookChecked(command, actor, cmd, false)
})

/** Books after decoding and authorization; `series` skips the booking window (a committee-arranged series). */
const bookChecked = (command: string, actor: Actor, cmd: typeof BookInput.Type, series: boolean) =>
  Effect.gen(function* () {
  const store = yield* SpacesStore
  const { idempotencyKey, ...request } = cmd
  const fingerprint = yield* sha256Hex(canonicalJson(request))
  return yield* transactionally(
    Effect.gen(function* () {
      const c = cmd.communityId
      if (idempotencyKey !== undefined) {
        const prior = yield* store.bookings.findUnique("gz_spaces_bookings_idempotency_key", { communityId: c, idempotencyKey })
        if (Option.isSome(prior)) {
          if (prior.value.fingerprint !== fingerprint) return yield* Effect.fail(new IdempotencyKeyReused({ key: idempotencyKey }))
          return { booking: prior.value, replayed: true }
        }
      }
      const space = yield* loadSpace(c, cmd.spaceId)
      const rules = space.rules
      if (!space.active || rules.mode !== "slots") return yield* Effect.fail(new NotEligible({ reason: "not-bookable" }))
      const { resident, householdId } = yield* residentWithHousehold(c, cmd.residentId)
      if (rules.eligible === "owners" && resident.kind !== "owner") return yield* Effect.fail(new NotEligible({ reason: "not-owner" }))
      const problem = Rules.lengthProblem(rules, cmd.startsAt, cmd.endsAt)
      if (problem !== undefined) return yield* Effect.fail(invalid(command, "endsAt", problem))
      const attendees = cmd.attendees ?? 1
      if (attendees > space.capacity) return yield* Effect.fail(new NotEligible({ reason: "over-capacity" }))
      const tz = yield* timeZoneOf(c)
      const segments = Rules.daySegments(cmd.startsAt, cmd.endsAt, tz)
      if (!Rules.withinOpeningHours(space.openingHours, segments)) {
        return yield* Effect.fail(new OutsideOpeningHours({ spaceId: space.id, startsAt: cmd.startsAt, endsAt: cmd.endsAt }))
      }
      const now = yield* Clock.currentTimeMillis
      const standing = yield* standingOf(c, cmd.residentId)
      const days = Rules.advanceDaysFor(rules, standing.level.index)
      const window = Rules.windowCheck(now, cmd.startsAt, days)
      if (window === "past") return yield* Effect.fail(new NotEligible({ reason: "in-the-past" }))
      if (window === "too-early" && !series) {
        return yield* Effect.fail(new NotEligible({ reason: "window-not-open", opensAt: Rules.windowOpensAt(cmd.startsAt, days) }))
      }
      const closures = yield* store.closures.list({ communityId: c, spaceId: space.id })
      const closed = closures.find((x) => Rules.overlaps(x.startsAt, x.endsAt, cmd.startsAt, cmd.endsAt))
      if (closed !== undefined) {
        return yield* Effect.fail(new SlotTaken({ spaceId: space.id, startsAt: closed.startsAt, endsAt: closed.endsAt, by: "closure" }))
      }
      // Reported before any fee is computed; the store enforces it again under concurrency.
      const taken = yield* store.overlapping(c, space.id, cmd.startsAt, cmd.endsAt)
      if (taken.length > 0) {
        return yield* Effect.fail(new SlotTaken({ spaceId: space.id, startsAt: taken[0]!.startsAt, endsAt: taken[0]!.endsAt, by: "booking" }))
      }
      // Quotas and no-shows are per household: serialise that household's bookings.
      yield* store.lockHousehold(c, householdId)
      const { weekKey, monthKey } = Rules.periodKeys(cmd.startsAt, tz)
      const noShowSince = now - rules.noShowWindowDays * 86_400_000
      const since = Math.min(noShowSince, startOfLocalDay(weekKey as LocalDate, tz), startOfLocalDay(`${monthKey}-01` as LocalDate, tz))
      const recent = yield* store.householdBookings(c, householdId, since)
      if (rules.noShowLimit !== undefined) {
        const noShows = recent.filter((b) => b.status === "no-show" && b.startsAt >= noShowSince)
        if (noShows.length >= rules.noShowLimit) return yield* Effect.fail(new NotEligible({ reason: "no-shows" }))
      }
      const minutes = (cmd.endsAt - cmd.startsAt) / MINUTE
      const holding = (b: Booking) => holdingStatuses.includes(b.status) && b.spaceKind === space.kind
      const inWeek = recent.filter((b) => b.weekKey === weekKey && holding(b))
      const inMonth = recent.filter((b) => b.monthKey === monthKey && holding(b))
      const sum = (bs: ReadonlyArray<Booking>) => bs.reduce((n, b) => n + (b.endsAt - b.startsAt) / MINUTE, 0)
      const exceeded = Rules.exceededQuota(rules.quota, {
        weekMinutes: sum(inWeek),
        weekBookings: inWeek.length,
        monthMinutes: sum(inMonth),
        monthBookings: inMonth.length
      }, minutes)
      if (exceeded !== undefined) return yield* Effect.fail(new QuotaExceeded(exceeded))
      // Free minutes of the level perk (the best one held), less those used this month.
      const config = yield* SpacesConfig
      const perk = standing.perks.filter((p) => p.id === config.freeMinutesPerk).reduce((m, p) => Math.max(m, p.quantity ?? 0), 0)
      const usedFree = inMonth.filter((b) => b.residentId === cmd.residentId).reduce((n, b) => n + b.freeMinutes, 0)
      const price = Rules.priceOf(rules.bands, segments, Math.max(0, perk - usedFree))
      const id = BookingId.make(yield* newId("bkg"))
      const feeTxId = price.priceFen > 0
        ? yield* postFee(c, householdId, price.priceFen, "charge", "spaces-booking-fee", `booking ${id} of ${space.id}`)
        : undefined
      const status = rules.approvalAbove !== undefined && attendees > rules.approvalAbove ? "pending" as const : "confirmed" as const
      const booking = new Booking({
        communityId: c,
        spaceId: space.id,
        id,
        spaceKind: space.kind,
        householdId,
        residentId: cmd.residentId,
        startsAt: cmd.startsAt,
        endsAt: cmd.endsAt,
        status,
        priceFen: price.priceFen,
        freeMinutes: price.freeMinutes,
        attendees,
        purpose: cmd.purpose ?? "",
        weekKey,
        monthKey,
        ...(feeTxId === undefined ? {} : { feeTxId }),
        createdAt: now,
        createdBy: actorRef(actor),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        fingerprint,
        version: 1
      })
      yield* store.reserve(booking)
      yield* appendEvents(c, SpacesEvent, [
        {
          _tag: "SpacesBookingMade",
          spaceId: space.id,
          bookingId: id,
          householdId,
          residentId: cmd.residentId,
          startsAt: booking.startsAt,
          endsAt: booking.endsAt,
          status,
          priceFen: booking.priceFen,
          freeMinutes: booking.freeMinutes,
          ...(feeTxId === undefined ? {} : { feeTxId })
        }
      ])
      return { booking, replayed: false as boolean }
    })
  )
  })

/**
 * Books a weekly series for a group (e.g. a space partner's reading corner
 * every Saturday): `weeks` bookings, each `7 × 24` hours after the previous,
 * all or nothing; each is checked like `book` (opening hours, slots, quotas,
 * fees), except the booking window: a series is arranged by the space
 * committee or admin, on behalf of the resident responsible.
 *
 * @since 0.2.0
 * @category commands
 */
export const bookSeries = Effect.fn("spaces.bookSeries")(function* (actor: Actor, input: typeof BookSeriesInput.Encoded) {
  const command = "spaces.bookSeries"
  const cmd = yield* decodeInput(command, BookSeriesInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  const { weeks, ...one } = cmd
  const week = 7 * 86_400_000
  return yield* transactionally(
    Effect.forEach(Array.from({ length: weeks }, (_, i) => i), (i) =>
      Effect.map(
        bookChecked(command, actor, {
          ...one,
          startsAt: one.startsAt + i * week,
          endsAt: one.endsAt + i * week,
          ...(one.idempotencyKey === undefined ? {} : { idempotencyKey: `${one.idempotencyKey}#${i}` })
        }, true),
        (r) => r.booking
      ))
  )
})

const loadBooking = (cmd: typeof BookingRefInput.Type) =>
  Effect.flatMap(SpacesStore, (s) => s.bookings.get({ communityId: cmd.communityId, spaceId: cmd.spaceId, id: cmd.bookingId }, { lock: "update" })).pipe(
    Effect.flatMap(orNotFound("SpaceBooking", cmd.bookingId))
  )

/**
 * Cancels a booking before it starts. At least `cancelBeforeMinutes` before
 * the start the fee is refunded in full; later the cancellation is `late`
 * and nothing is refunded. The household's residents, or admin or clerk.
 *
 * @since 0.2.0
 * @category commands
 */
export const cancelBooking = Effect.fn("spaces.cancelBooking")(function* (actor: Actor, input: typeof BookingRefInput.Encoded) {
  const command = "spaces.cancelBooking"
  const cmd = yield* decodeInput(command, BookingRefInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const booking = yield* loadBooking(cmd)
      yield* requireHousehold(actor, cmd.communityId, booking.householdId)
      if (booking.status !== "confirmed" && booking.status !== "pending") {
        return yield* Effect.fail(invalid(command, "bookingId", isStatus("booking", booking.status)))
      }
      const now = yield* Clock.currentTimeMillis
      if (now >= booking.startsAt) return yield* Effect.fail(invalid(command, "bookingId", { "zh-CN": "预约已开始", en: "the booking has started" }))
      const space = yield* loadSpace(cmd.communityId, cmd.spaceId)
      const inTime = Rules.cancelledInTime(now, booking.startsAt, space.rules.cancelBeforeMinutes)
      return yield* closeBooking(booking, "cancelled", inTime ? booking.priceFen : 0, !inTime, actorRef(actor))
    })
  )
})

/**
 * Approves (`approve: true`) or rejects a booking pending approval; a
 * rejection refunds the fee in full. Space committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const decideBooking = Effect.fn("spaces.decideBooking")(function* (
  actor: Actor,
  input: typeof BookingRefInput.Encoded,
  approve: boolean
) {
  const command = "spaces.decideBooking"
  const cmd = yield* decodeInput(command, BookingRefInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const booking = yield* loadBooking(cmd)
      if (booking.status !== "pending") return yield* Effect.fail(invalid(command, "bookingId", isStatus("booking", booking.status)))
      return yield* closeBooking(booking, approve ? "confirmed" : "rejected", approve ? 0 : booking.priceFen, false, actorRef(actor))
    })
  )
})

/**
 * Records that nobody used a confirmed booking (after its start). Enough
 * no-shows stop the household from booking (`noShowLimit`). Admin, clerk or
 * the system.
 *
 * @since 0.2.0
 * @category commands
 */
export const markNoShow = Effect.fn("spaces.markNoShow")(function* (actor: Actor, input: typeof BookingRefInput.Encoded) {
  const command = "spaces.markNoShow"
  const cmd = yield* decodeInput(command, BookingRefInput)(input)
  yield* authorize(spacesPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const booking = yield* loadBooking(cmd)
      if (booking.status !== "confirmed") return yield* Effect.fail(invalid(command, "bookingId", isStatus("booking", booking.status)))
      const now = yield* Clock.currentTimeMillis
      if (now < booking.startsAt) return yield* Effect.fail(invalid(command, "bookingId", { "zh-CN": "预约尚未开始", en: "the booking has not started" }))
      return yield* closeBooking(booking, "no-show", 0, false, actorRef(actor))
    })
  )
})

/**
 * The free intervals of a space on a local day: opening hours less
 * closures and bookings holding their slot.
 *
 * @since 0.2.0
 * @category queries
 */
export const freeSlots = Effect.fn("spaces.freeSlots")(function* (actor: Actor, communityId: typeof Space.Type["communityId"], spaceId: typeof Space.Type["id"], date: string) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  const store = yield* SpacesStore
  const space = yield* loadSpace(communityId, spaceId)
  const tz = yield* timeZoneOf(communityId)
  return yield* freeSlotsOf(space, date, tz).pipe(Effect.provideService(SpacesStore, store))
})

/**
 * The free intervals of a space on a local day, without authorization (for
 * integrators' own read paths and simulations).
 *
 * @since 0.2.0
 * @category queries
 */
export const freeSlotsOf = (space: Space, date: string, tz: string) =>
  Effect.gen(function* () {
    const store = yield* SpacesStore
    const open = Rules.openIntervals(space.openingHours, date as never, tz)
    if (open.length === 0) return []
    const from = open[0]![0]
    const to = open[open.length - 1]![1]
    const busy = (yield* store.overlapping(space.communityId, space.id, from, to)).map((b) => [b.startsAt, b.endsAt] as const)
    const closures = (yield* store.closures.list({ communityId: space.communityId, spaceId: space.id }))
      .filter((x) => Rules.overlaps(x.startsAt, x.endsAt, from, to))
      .map((x) => [x.startsAt, x.endsAt] as const)
    return Rules.subtractIntervals(open, [...busy, ...closures])
  })

/**
 * A household's bookings (a resident's own household; staff any), by start.
 *
 * @since 0.2.0
 * @category queries
 */
export const householdBookings = Effect.fn("spaces.householdBookings")(function* (
  actor: Actor,
  communityId: typeof Space.Type["communityId"],
  householdId: typeof Booking.Type["householdId"]
) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  yield* requireHousehold(actor, communityId, householdId)
  const store = yield* SpacesStore
  const list = yield* store.bookings.list({ communityId, householdId })
  return [...list].sort((a, b) => a.startsAt - b.startsAt)
})

/**
 * The spaces of the community, by id.
 *
 * @since 0.2.0
 * @category queries
 */
export const listSpaces = Effect.fn("spaces.listSpaces")(function* (actor: Actor, communityId: typeof Space.Type["communityId"]) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  const store = yield* SpacesStore
  return yield* store.spaces.list({ communityId })
})

/**
 * Resolves a resident's household (for integrators' "my bookings" screens).
 *
 * @since 0.2.0
 * @category queries
 */
export const householdOf = Effect.fn("spaces.householdOf")(function* (actor: Actor, communityId: typeof Space.Type["communityId"], residentId: typeof Booking.Type["residentId"]) {
  yield* authorize(spacesPermissions, "spaces.read", actor, communityId)
  const dir = yield* Directory
  const r = yield* dir.getResident(communityId, residentId)
  if (r.householdId === undefined) return yield* Effect.fail(new NotFound({ entity: "Household of resident", id: residentId }))
  return r.householdId
})
