/**
 * The issues module's typed failures. Each leaves state unchanged.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { LocalizedText } from "../kernel/errors.js"
import { CaseStatus, Text } from "./model.js"

/**
 * The report names a case type the catalogue does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownCaseType extends Schema.TaggedError<UnknownCaseType>()("IssueUnknownCaseType", {
  typeId: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_UNKNOWN_CASE_TYPE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return { "zh-CN": `未知的事项分类：${this.typeId}`, en: `Unknown case type ${this.typeId}` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * An answer to a blocking attribute stops the report; `guidance` says what to
 * do instead (e.g. call the emergency number).
 *
 * @since 0.1.0
 * @category errors
 */
export class BlockedByAttribute extends Schema.TaggedError<BlockedByAttribute>()("IssueBlockedByAttribute", {
  typeId: Schema.String,
  attribute: Schema.String,
  guidance: Text
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_BLOCKED_BY_ATTRIBUTE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `无法在此提交（${this.attribute}）：${this.guidance["zh-CN"]}`,
      en: `This cannot be reported here (${this.attribute}): ${this.guidance.en}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The command cannot run on a case in its current status.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>()("IssueInvalidTransition", {
  caseId: Schema.String,
  command: Schema.String,
  from: CaseStatus,
  /** The status the command would lead to, when it has one. */
  to: Schema.optional(CaseStatus),
  detail: Schema.optional(Schema.String)
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_INVALID_TRANSITION"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const extra = this.detail === undefined ? "" : `（${this.detail}）`
    return {
      "zh-CN": `工单 ${this.caseId} 当前状态为「${this.from}」，不能执行 ${this.command}${extra}`,
      en: `Case ${this.caseId} is ${this.from}: ${this.command} is not possible${this.to === undefined ? "" : ` (to ${this.to})`}${this.detail === undefined ? "" : `: ${this.detail}`}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The department's window to return (退单) a wrongly routed case has passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReturnWindowExpired extends Schema.TaggedError<ReturnWindowExpired>()("IssueReturnWindowExpired", {
  caseId: Schema.String,
  /** Epoch millis when the window closed. */
  closedAt: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_RETURN_WINDOW_EXPIRED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `工单 ${this.caseId} 已超过退单时限`,
      en: `Case ${this.caseId} can no longer be returned: the return window has closed`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * An extension (延期) was requested after the deadline had passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExtensionAfterDeadline extends Schema.TaggedError<ExtensionAfterDeadline>()("IssueExtensionAfterDeadline", {
  caseId: Schema.String,
  dueAt: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_EXTENSION_AFTER_DEADLINE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `工单 ${this.caseId} 已超期，不能再申请延期`,
      en: `Case ${this.caseId} is past its deadline: an extension must be requested before it expires`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * Only the reporter may do this (reopen, answer a follow-up), or the window
 * for it has passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotReporter extends Schema.TaggedError<NotReporter>()("IssueNotReporter", {
  caseId: Schema.String,
  command: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_NOT_REPORTER"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `只有工单 ${this.caseId} 的反映人可以执行 ${this.command}`,
      en: `Only the reporter of case ${this.caseId} may run ${this.command}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The reopen (重办) window after closing has passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReopenWindowExpired extends Schema.TaggedError<ReopenWindowExpired>()("IssueReopenWindowExpired", {
  caseId: Schema.String,
  closedAt: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_REOPEN_WINDOW_EXPIRED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `工单 ${this.caseId} 已超过可申请重办的期限`,
      en: `Case ${this.caseId} can no longer be reopened: the reopen window has closed`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * Working days could not be counted: the date lies outside the official
 * holiday data (the kernel's `CalendarOutOfRange`). Only when the calendar
 * runs with `beyondData: "fail"`; by default such years are provisional.
 *
 * @since 0.1.0
 * @category errors
 */
export class CalendarNotPublished extends Schema.TaggedError<CalendarNotPublished>()("IssueCalendarNotPublished", {
  date: Schema.String,
  firstYear: Schema.Int,
  lastYear: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_CALENDAR_NOT_PUBLISHED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `${this.date} 所在年份的节假日安排尚未发布（已发布 ${this.firstYear}–${this.lastYear} 年），无法计算办理时限`,
      en: `The holiday calendar for ${this.date} is not published (${this.firstYear}-${this.lastYear}); deadlines cannot be counted`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A mediation step breaks the ladder: escalation only upward and only after
 * the current tier recorded an outcome; sessions need the tier's group size.
 *
 * @since 0.1.0
 * @category errors
 */
export class MediationNotAllowed extends Schema.TaggedError<MediationNotAllowed>()("IssueMediationNotAllowed", {
  caseId: Schema.String,
  reason: Schema.Literal("not-a-dispute", "not-upward", "no-session", "no-outcome", "outcome-recorded", "group-size", "no-escalate-outcome")
}) {
  /** @since 0.1.0 */
  readonly code = "ISSUE_MEDIATION_NOT_ALLOWED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const why = {
      "not-a-dispute": { "zh-CN": "该工单不是纠纷调解类", en: "the case is not a dispute" },
      "not-upward": { "zh-CN": "只能向更高层级升级", en: "escalation goes only upward" },
      "no-session": { "zh-CN": "本层级尚未召开调解会", en: "the current tier has held no session yet" },
      "no-outcome": { "zh-CN": "本层级尚无调解结果", en: "the current tier has no outcome yet" },
      "no-escalate-outcome": { "zh-CN": "本层级结果不是“提请升级”", en: "the current tier's outcome is not escalate" },
      "outcome-recorded": { "zh-CN": "本层级已有调解结果", en: "the current tier already has an outcome" },
      "group-size": { "zh-CN": "利益相关方小组人数不符合要求", en: "the stakeholder group has the wrong size" }
    }[this.reason]
    return {
      "zh-CN": `工单 ${this.caseId} 调解操作不允许：${why["zh-CN"]}`,
      en: `Mediation step not allowed on case ${this.caseId}: ${why.en}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}
