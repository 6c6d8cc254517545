/**
 * Figures and notifications of the spaces module: utilisation per space and
 * month, fee income, the occupation rate; message templates (zh-CN, en) and
 * the notification subscriber.
 *
 * @since 0.2.0
 */
import { Effect, Option } from "effect"
import { type Actor, authorize } from "../../kernel/actor.js"
import { startOfLocalDay } from "../../kernel/calendar.js"
import { Directory } from "../../kernel/directory.js"
import { formatFen } from "../../kernel/units.js"
import type { CommunityId, HouseholdId, ResidentId } from "../../kernel/ids.js"
import { decodeEntry, type JournalEntry } from "../../kernel/journal.js"
import { statementUnchecked } from "../../kernel/ledger.js"
import { notificationSubscriber, OutgoingMessage } from "../../kernel/notifier.js"
import { SpacesEvent } from "../events.js"
import { holdingStatuses, type OccupationFigure, type SpaceId, type Utilisation } from "../model.js"
import * as Rules from "../rules.js"
import { SpacesStore } from "../store.js"
import { fundAccountId, loadSpace, spacesPermissions, timeZoneOf } from "./shared.js"

const MINUTE = 60_000

/**
 * A space's utilisation in a local month (`YYYY-MM`): open minutes,
 * minutes held by bookings (cut to the month), permille, bookings, and fees
 * net of refunds of bookings starting in the month.
 *
 * @since 0.2.0
 * @category queries
 */
export const utilisation = Effect.fn("spaces.utilisation")(function* (actor: Actor, communityId: CommunityId, spaceId: SpaceId, month: string) {
  yield* authorize(spacesPermissions, "spaces.report", actor, communityId)
  const store = yield* SpacesStore
  const space = yield* loadSpace(communityId, spaceId)
  const tz = yield* timeZoneOf(communityId)
  const first = `${month}-01`
  const next = Rules.addMonths(first, 1)
  let openMinutes = 0
  for (let d: string = first; d < next; d = Rules.addDays(d, 1)) {
    for (const [a, b] of Rules.openIntervals(space.openingHours, d as never, tz)) openMinutes += (b - a) / MINUTE
  }
  const from = startOfLocalDay(first as never, tz)
  const to = startOfLocalDay(next, tz)
  const held = yield* store.overlapping(communityId, spaceId, from, to)
  const bookedMinutes = held.reduce((n, b) => n + (Math.min(b.endsAt, to) - Math.max(b.startsAt, from)) / MINUTE, 0)
  const all = (yield* store.bookings.list({ communityId, spaceId, monthKey: month }))
  const feeFen = all.reduce((n, b) => n + b.priceFen - (b.refundFen ?? 0), 0)
  const result: Utilisation = {
    spaceId,
    openMinutes,
    bookedMinutes,
    permille: openMinutes === 0 ? 0 : Math.round((bookedMinutes * 1000) / openMinutes),
    bookings: all.filter((b) => holdingStatuses.includes(b.status)).length,
    feeFen
  }
  return result
})

/**
 * Fee income of the community fund from spaces between `from` and `to`
 * (epoch millis, `from <= postedAt < to`): fees in, refunds out, net.
 *
 * @since 0.2.0
 * @category queries
 */
export const feeIncome = Effect.fn("spaces.feeIncome")(function* (actor: Actor, communityId: CommunityId, from: number, to: number) {
  yield* authorize(spacesPermissions, "spaces.report", actor, communityId)
  const account = yield* fundAccountId
  const { lines } = yield* statementUnchecked(communityId, account, { from, to, limit: 100_000 })
  const spaces = lines.filter((l) => l.kind.startsWith("spaces-"))
  const charged = spaces.filter((l) => l.amount > 0).reduce((n, l) => n + l.amount, 0)
  const refunded = spaces.filter((l) => l.amount < 0).reduce((n, l) => n - l.amount, 0)
  return { chargedFen: charged, refundedFen: refunded, netFen: charged - refunded }
})

/**
 * The occupation rate: area of open occupation cases over the common area
 * (the area of all active spaces), in permille, with open cases and repeat
 * occupations (the seed reports 85% down to 5%).
 *
 * @since 0.2.0
 * @category queries
 */
export const occupationFigure = Effect.fn("spaces.occupationFigure")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(spacesPermissions, "spaces.report", actor, communityId)
  const store = yield* SpacesStore
  const spaces = (yield* store.spaces.list({ communityId })).filter((s) => s.active)
  const cases = yield* store.occupations.list({ communityId })
  const open = cases.filter((k) => k.stage !== "cleared")
  const commonAreaDm2 = spaces.reduce((n, s) => n + s.areaDm2, 0)
  const occupiedAreaDm2 = open.reduce((n, k) => n + k.areaDm2, 0)
  const figure: OccupationFigure = {
    commonAreaDm2,
    occupiedAreaDm2,
    permille: commonAreaDm2 === 0 ? 0 : Math.round((occupiedAreaDm2 * 1000) / commonAreaDm2),
    openCases: open.length,
    repeatOccupations: cases.reduce((n, k) => n + k.repeats, 0)
  }
  return figure
})

// ---------------------------------------------------------------------------
// Notifications

/**
 * The spaces module's notification templates (zh-CN and en).
 *
 * @since 0.2.0
 * @category notifications
 */
export const spacesTemplates = {
  "spaces.bookingConfirmed": {
    "zh-CN": "您已预约{space}：{from} 至 {to}，费用 {fee} 元。",
    en: "You booked {space} from {from} to {to}; fee {fee} yuan."
  },
  "spaces.bookingPending": {
    "zh-CN": "您对{space}的预约（{from} 至 {to}）需审批，结果将另行通知。",
    en: "Your booking of {space} ({from} to {to}) awaits approval; we will let you know."
  },
  "spaces.bookingCancelled": {
    "zh-CN": "您对{space}的预约（{from}）已取消，退款 {refund} 元。",
    en: "Your booking of {space} ({from}) was cancelled; refund {refund} yuan."
  },
  "spaces.lotteryOffer": {
    "zh-CN": "恭喜！您家获得{space}的认养资格，请于 {replyBy} 前确认并缴费。",
    en: "Your household is offered {space} for adoption; please accept and pay by {replyBy}."
  },
  "spaces.waitlistOffer": {
    "zh-CN": "候补轮到您家：{space}可认养，请于 {replyBy} 前答复。",
    en: "From the waitlist: {space} is offered to your household; please reply by {replyBy}."
  },
  "spaces.inspectionFinding": {
    "zh-CN": "认养地块{space}巡查{result}：{finding}",
    en: "Inspection of your plot {space}: {result}. {finding}"
  },
  "spaces.occupationStage": {
    "zh-CN": "关于{place}的占用：当前阶段「{stage}」{due}",
    en: "Occupation at {place}: stage \"{stage}\"{due}"
  }
} as const

const stageNames = {
  notice: { "zh-CN": "限期自行清理", en: "notice to clear" },
  assisted: { "zh-CN": "协助清理（可提供临时存放）", en: "assisted clearing (temporary storage offered)" },
  forced: { "zh-CN": "强制清理并公示", en: "forced clearing with public notice" },
  cleared: { "zh-CN": "已清理", en: "cleared" }
} as const

const decodeSpaces = decodeEntry(SpacesEvent)
const stamp = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ")

/**
 * Turns a spaces journal entry into messages: booking confirmed, pending or
 * cancelled (to the booker), offers from the lottery or the waitlist (to the
 * household's residents), inspection findings, and each occupation stage (to
 * the occupying household). Idempotent by event id.
 *
 * @since 0.2.0
 * @category notifications
 */
export const spacesMessages = (entry: JournalEntry) =>
  Effect.gen(function* () {
    const event = decodeSpaces(entry)
    if (Option.isNone(event)) return []
    const e = event.value
    const dir = yield* Directory
    const c = entry.communityId
    const store = yield* SpacesStore
    const label = (id: SpaceId) =>
      Effect.map(store.spaces.get({ communityId: c, id }), Option.match({ onNone: () => id as string, onSome: (s) => s.label }))
    const toResident = (residentId: ResidentId, templateId: string, params: Record<string, string | number>, suffix: string) =>
      Effect.gen(function* () {
        const r = yield* dir.getResident(c, residentId).pipe(Effect.option)
        return [new OutgoingMessage({
          communityId: c,
          recipient: { _tag: "Resident", residentId },
          templateId,
          params,
          locale: Option.match(r, { onNone: () => "zh-CN" as const, onSome: (x) => x.locale }),
          idempotencyKey: `${entry.eventId}:${suffix}:${residentId}`
        })]
      })
    const toHousehold = (householdId: HouseholdId, templateId: string, params: Record<string, string | number>, suffix: string) =>
      Effect.gen(function* () {
        const members = yield* dir.listResidents(c, householdId)
        const adults = members.filter((m) => m.kind !== "family")
        return (adults.length > 0 ? adults : members).map((m) =>
          new OutgoingMessage({
            communityId: c,
            recipient: { _tag: "Resident", residentId: m.id },
            templateId,
            params,
            locale: m.locale,
            idempotencyKey: `${entry.eventId}:${suffix}:${m.id}`
          })
        )
      })
    switch (e._tag) {
      case "SpacesBookingMade":
        return yield* toResident(
          e.residentId,
          e.status === "pending" ? "spaces.bookingPending" : "spaces.bookingConfirmed",
          { space: yield* label(e.spaceId), from: stamp(e.startsAt), to: stamp(e.endsAt), fee: formatFen(e.priceFen) },
          "booking"
        )
      case "SpacesBookingClosed":
        if (e.status !== "cancelled" && e.status !== "rejected") return []
        return yield* toResident(
          e.residentId,
          "spaces.bookingCancelled",
          { space: yield* label(e.spaceId), from: stamp(e.startsAt), refund: formatFen(e.refundFen) },
          "cancelled"
        )
      case "SpacesAdoptionOffered":
        return yield* toHousehold(
          e.householdId,
          e.fromWaitlist ? "spaces.waitlistOffer" : "spaces.lotteryOffer",
          { space: yield* label(e.spaceId), replyBy: stamp(e.replyBy) },
          "offer"
        )
      case "SpacesInspectionRecorded":
        return yield* toHousehold(
          e.householdId,
          "spaces.inspectionFinding",
          { space: yield* label(e.spaceId), result: e.passed ? "passed" : "failed", finding: e.finding },
          "inspection"
        )
      case "SpacesOccupationStage":
        if (e.householdId === undefined) return []
        return yield* toHousehold(
          e.householdId,
          "spaces.occupationStage",
          { place: e.place, stage: stageNames[e.stage]["zh-CN"], due: e.dueDate === undefined ? "" : `（期限 ${e.dueDate}）` },
          `stage-${e.stage}`
        )
      default:
        return []
    }
  }).pipe(Effect.orDie)

/**
 * The spaces module's notification subscriber (name `spaces.notifications`).
 *
 * @since 0.2.0
 * @category notifications
 */
export const spacesNotifications = notificationSubscriber("spaces.notifications", spacesMessages)
