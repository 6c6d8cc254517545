/**
 * The spaces module's failures. Each leaves everything unchanged.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError } from "../kernel/errors.js"

const when = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ") + " UTC"

/**
 * The slot overlaps another booking (or a closure) of the space.
 *
 * @since 0.2.0
 * @category errors
 */
export class SlotTaken extends GongzhiTaggedError<SlotTaken>()(
  "SlotTaken",
  { spaceId: Schema.String, startsAt: Schema.Number, endsAt: Schema.Number, by: Schema.Literal("booking", "closure") },
  {
    code: "SPACES_SLOT_TAKEN",
    kind: "conflict",
    text: (e) => ({
      "zh-CN": `${e.spaceId} 在 ${when(e.startsAt)} 至 ${when(e.endsAt)} 已被${e.by === "closure" ? "关闭维护" : "预约"}`,
      en: `${e.spaceId} is already ${e.by === "closure" ? "closed" : "booked"} between ${when(e.startsAt)} and ${when(e.endsAt)}`
    })
  }
) {}

/**
 * The booking is not within the space's opening hours.
 *
 * @since 0.2.0
 * @category errors
 */
export class OutsideOpeningHours extends GongzhiTaggedError<OutsideOpeningHours>()(
  "OutsideOpeningHours",
  { spaceId: Schema.String, startsAt: Schema.Number, endsAt: Schema.Number },
  {
    code: "SPACES_OUTSIDE_OPENING_HOURS",
    kind: "precondition-failed",
    text: (e) => ({
      "zh-CN": `${e.spaceId} 在所选时段（${when(e.startsAt)} 至 ${when(e.endsAt)}）不开放`,
      en: `${e.spaceId} is not open for all of ${when(e.startsAt)} to ${when(e.endsAt)}`
    })
  }
) {}

/**
 * The household's quota for the period would be exceeded.
 *
 * @since 0.2.0
 * @category errors
 */
export class QuotaExceeded extends GongzhiTaggedError<QuotaExceeded>()(
  "QuotaExceeded",
  {
    quota: Schema.Literal("weekMinutes", "monthMinutes", "weekBookings", "monthBookings"),
    limit: Schema.Number,
    used: Schema.Number,
    requested: Schema.Number
  },
  {
    code: "SPACES_QUOTA_EXCEEDED",
    kind: "precondition-failed",
    text: (e) => {
      const period = e.quota.startsWith("week") ? { zh: "本周", en: "this week" } : { zh: "本月", en: "this month" }
      const unit = e.quota.endsWith("Minutes") ? { zh: "分钟", en: "minutes" } : { zh: "次", en: "bookings" }
      return {
        "zh-CN": `超出每户${period.zh}限额：上限 ${e.limit}${unit.zh}，已用 ${e.used}，本次 ${e.requested}`,
        en: `Household quota for ${period.en} exceeded: limit ${e.limit} ${unit.en}, used ${e.used}, requested ${e.requested}`
      }
    }
  }
) {}

/**
 * The resident or household may not do this now: not eligible for the space,
 * booking window not open yet, in the past, too many no-shows, or not their
 * booking or adoption.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotEligible extends GongzhiTaggedError<NotEligible>()(
  "NotEligible",
  {
    reason: Schema.Literal(
      "not-owner",
      "no-household",
      "window-not-open",
      "in-the-past",
      "no-shows",
      "not-bookable",
      "not-adoptable",
      "not-yours",
      "over-capacity",
      "not-offered"
    ),
    /** When the booking window opens (reason `window-not-open`). */
    opensAt: Schema.optional(Schema.Number)
  },
  {
    code: "SPACES_NOT_ELIGIBLE",
    kind: "precondition-failed",
    text: (e) => {
      const why = {
        "not-owner": ["该空间仅限业主", "this space is for owners only"],
        "no-household": ["您未登记所属住户", "you are not registered in a household"],
        "window-not-open": [`预约窗口尚未开放${e.opensAt === undefined ? "" : `（${when(e.opensAt)} 开放）`}`, `the booking window is not open yet${e.opensAt === undefined ? "" : ` (opens ${when(e.opensAt)})`}`],
        "in-the-past": ["不能预约过去的时段", "the time is in the past"],
        "no-shows": ["近期爽约次数过多，暂不能预约", "too many recent no-shows"],
        "not-bookable": ["该空间不接受分时预约", "this space is not booked by time slots"],
        "not-adoptable": ["该空间不接受认养", "this space is not adopted"],
        "not-yours": ["这不是您住户的预约或认养", "this is not your household's booking or adoption"],
        "over-capacity": ["人数超过空间容量", "more people than the space holds"],
        "not-offered": ["该认养不在待答复状态", "this adoption is not awaiting a reply"]
      }[e.reason]
      return { "zh-CN": `不符合条件：${why[0]}`, en: `Not eligible: ${why[1]}` }
    }
  }
) {}

/**
 * The household already holds as many adoptions as the rules allow, or has
 * already applied in the round.
 *
 * @since 0.2.0
 * @category errors
 */
export class AlreadyAllocated extends GongzhiTaggedError<AlreadyAllocated>()(
  "AlreadyAllocated",
  { householdId: Schema.String, what: Schema.Literal("adoption", "application", "space") },
  {
    code: "SPACES_ALREADY_ALLOCATED",
    kind: "conflict",
    text: (e) => ({
      "zh-CN": e.what === "application" ? "该住户已在本轮申请" : e.what === "space" ? "该空间已有认养人" : "该住户已认养，不能再认养",
      en: e.what === "application"
        ? "This household already applied in this round"
        : e.what === "space"
        ? "This space is already adopted"
        : "This household already holds an adoption"
    })
  }
) {}

/**
 * The round is not accepting applications (or a seed commitment) now.
 *
 * @since 0.2.0
 * @category errors
 */
export class ApplicationWindowClosed extends GongzhiTaggedError<ApplicationWindowClosed>()(
  "ApplicationWindowClosed",
  { roundId: Schema.String, opensAt: Schema.Number, closesAt: Schema.Number },
  {
    code: "SPACES_APPLICATION_WINDOW_CLOSED",
    kind: "precondition-failed",
    text: (e) => ({
      "zh-CN": `申请时间为 ${when(e.opensAt)} 至 ${when(e.closesAt)}，当前不在此时间内`,
      en: `Applications are accepted from ${when(e.opensAt)} to ${when(e.closesAt)}, not now`
    })
  }
) {}

/**
 * The round's lottery was drawn already, or cannot be drawn yet (window open, no commitment).
 *
 * @since 0.2.0
 * @category errors
 */
export class LotteryAlreadyDrawn extends GongzhiTaggedError<LotteryAlreadyDrawn>()(
  "LotteryAlreadyDrawn",
  { roundId: Schema.String },
  {
    code: "SPACES_LOTTERY_ALREADY_DRAWN",
    kind: "conflict",
    text: (e) => ({ "zh-CN": `第 ${e.roundId} 轮已抽签`, en: `Round ${e.roundId} was drawn already` })
  }
) {}

/**
 * A seed, applicant list or result does not match what was committed or published.
 *
 * @since 0.2.0
 * @category errors
 */
export class SeedMismatch extends GongzhiTaggedError<SeedMismatch>()(
  "SeedMismatch",
  { roundId: Schema.String, what: Schema.Literal("seed", "applicants", "result", "no-commitment") },
  {
    code: "SPACES_SEED_MISMATCH",
    kind: "precondition-failed",
    text: (e) => {
      const why = {
        seed: ["种子与事先公布的哈希不符", "the seed does not match its published hash"],
        applicants: ["申请名单与公布的摘要不符", "the applicant list does not match its published digest"],
        result: ["抽签结果无法由种子和名单重现", "the result cannot be recomputed from the seed and list"],
        "no-commitment": ["尚未公布种子哈希", "no seed hash was committed"]
      }[e.what]
      return { "zh-CN": `抽签核验失败（${e.roundId}）：${why[0]}`, en: `Lottery check failed for ${e.roundId}: ${why[1]}` }
    }
  }
) {}

/**
 * An occupation case's next stage is not due: its deadline has not passed
 * and the occupant did not consent (or the case is closed).
 *
 * @since 0.2.0
 * @category errors
 */
export class StageNotDue extends GongzhiTaggedError<StageNotDue>()(
  "StageNotDue",
  { caseId: Schema.String, stage: Schema.String, dueDate: Schema.optional(Schema.String) },
  {
    code: "SPACES_STAGE_NOT_DUE",
    kind: "precondition-failed",
    text: (e) => ({
      "zh-CN": `案件 ${e.caseId} 当前阶段（${e.stage}）${e.dueDate === undefined ? "不能推进" : `期限 ${e.dueDate} 未到，且当事人未同意`}`,
      en: `Case ${e.caseId} (${e.stage}) cannot move on${e.dueDate === undefined ? "" : `: its deadline ${e.dueDate} has not passed and the occupant did not consent`}`
    })
  }
) {}

/**
 * The resident is not of the occupying household.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotOccupant extends GongzhiTaggedError<NotOccupant>()(
  "NotOccupant",
  { caseId: Schema.String },
  {
    code: "SPACES_NOT_OCCUPANT",
    kind: "forbidden",
    text: (e) => ({ "zh-CN": `您不是案件 ${e.caseId} 的占用住户`, en: `You are not of the occupying household of case ${e.caseId}` })
  }
) {}
