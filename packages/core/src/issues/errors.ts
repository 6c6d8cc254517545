/**
 * The issues module's typed failures. Each leaves state unchanged.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError, registerEntityTitles } from "../kernel/errors.js"

// Names of this module's records in NotFound / AlreadyExists / Conflict messages.
registerEntityTitles({
  IssueCase: { "zh-CN": "工单", en: "IssueCase" },
  IssueCaseNumber: { "zh-CN": "工单编号", en: "IssueCaseNumber" },
  IssueReportKey: { "zh-CN": "报事幂等键", en: "IssueReportKey" },
  IssueReportKeyCase: { "zh-CN": "报事幂等键所指工单", en: "IssueReportKeyCase" }
})
import { CaseStatus, Text } from "./model.js"

/**
 * The report names a case type the catalogue does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownCaseType extends GongzhiTaggedError<UnknownCaseType>()("IssueUnknownCaseType", {
  typeId: Schema.String
}, {
  code: "ISSUE_UNKNOWN_CASE_TYPE",
  kind: "invalid-input",
  text: (e) => {
    return { "zh-CN": `未知的事项分类：${e.typeId}`, en: `Unknown case type ${e.typeId}` }
  }
}) {}

/**
 * An answer to a blocking attribute stops the report; `guidance` says what to
 * do instead (e.g. call the emergency number).
 *
 * @since 0.1.0
 * @category errors
 */
export class BlockedByAttribute extends GongzhiTaggedError<BlockedByAttribute>()("IssueBlockedByAttribute", {
  typeId: Schema.String,
  attribute: Schema.String,
  guidance: Text
}, {
  code: "ISSUE_BLOCKED_BY_ATTRIBUTE",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `无法在此提交（${e.attribute}）：${e.guidance["zh-CN"]}`,
      en: `This cannot be reported here (${e.attribute}): ${e.guidance.en}`
    }
  }
}) {}

const caseStatusZh: { readonly [S in CaseStatus]: string } = {
  submitted: "已提交",
  accepted: "已受理",
  dispatched: "已派单",
  "signed-for": "已签收",
  "in-progress": "处置中",
  answered: "已答复",
  "follow-up": "待回访",
  closed: "已办结"
}

/**
 * The command cannot run on a case in its current status.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTransition extends GongzhiTaggedError<InvalidTransition>()("IssueInvalidTransition", {
  caseId: Schema.String,
  command: Schema.String,
  from: CaseStatus,
  /** The status the command would lead to, when it has one. */
  to: Schema.optional(CaseStatus),
  detail: Schema.optional(Schema.String)
}, {
  code: "ISSUE_INVALID_TRANSITION",
  kind: "precondition-failed",
  text: (e) => {
    const extra = e.detail === undefined ? "" : `（${e.detail}）`
    return {
      "zh-CN": `工单 ${e.caseId} 当前状态为「${caseStatusZh[e.from]}」，不能执行 ${e.command}${extra}`,
      en: `Case ${e.caseId} is ${e.from}: ${e.command} is not possible${e.to === undefined ? "" : ` (to ${e.to})`}${e.detail === undefined ? "" : `: ${e.detail}`}`
    }
  }
}) {}

/**
 * The department's window to return (退单) a wrongly routed case has passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReturnWindowExpired extends GongzhiTaggedError<ReturnWindowExpired>()("IssueReturnWindowExpired", {
  caseId: Schema.String,
  /** Epoch millis when the window closed. */
  closedAt: Schema.Int
}, {
  code: "ISSUE_RETURN_WINDOW_EXPIRED",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `工单 ${e.caseId} 已超过退单时限`,
      en: `Case ${e.caseId} can no longer be returned: the return window has closed`
    }
  }
}) {}

/**
 * An extension (延期) was requested after the deadline had passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExtensionAfterDeadline extends GongzhiTaggedError<ExtensionAfterDeadline>()("IssueExtensionAfterDeadline", {
  caseId: Schema.String,
  dueAt: Schema.Int
}, {
  code: "ISSUE_EXTENSION_AFTER_DEADLINE",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `工单 ${e.caseId} 已超期，不能再申请延期`,
      en: `Case ${e.caseId} is past its deadline: an extension must be requested before it expires`
    }
  }
}) {}

/**
 * Only the reporter may do this (reopen, answer a follow-up), or the window
 * for it has passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotReporter extends GongzhiTaggedError<NotReporter>()("IssueNotReporter", {
  caseId: Schema.String,
  command: Schema.String
}, {
  code: "ISSUE_NOT_REPORTER",
  kind: "forbidden",
  text: (e) => {
    return {
      "zh-CN": `只有工单 ${e.caseId} 的反映人可以执行 ${e.command}`,
      en: `Only the reporter of case ${e.caseId} may run ${e.command}`
    }
  }
}) {}

/**
 * The reopen (重办) window after closing has passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReopenWindowExpired extends GongzhiTaggedError<ReopenWindowExpired>()("IssueReopenWindowExpired", {
  caseId: Schema.String,
  closedAt: Schema.Int
}, {
  code: "ISSUE_REOPEN_WINDOW_EXPIRED",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `工单 ${e.caseId} 已超过可申请重办的期限`,
      en: `Case ${e.caseId} can no longer be reopened: the reopen window has closed`
    }
  }
}) {}

/**
 * Working days could not be counted: the date lies outside the published
 * holiday data (the kernel's `CalendarOutOfRange`).
 *
 * @since 0.1.0
 * @category errors
 */
export class CalendarNotPublished extends GongzhiTaggedError<CalendarNotPublished>()("IssueCalendarNotPublished", {
  date: Schema.String,
  firstYear: Schema.Int,
  lastYear: Schema.Int
}, {
  code: "ISSUE_CALENDAR_NOT_PUBLISHED",
  kind: "precondition-failed",
  text: (e) => {
    return {
      "zh-CN": `${e.date} 所在年份的节假日安排尚未发布（已发布 ${e.firstYear}–${e.lastYear} 年），无法计算办理时限`,
      en: `The holiday calendar for ${e.date} is not published (${e.firstYear}-${e.lastYear}); deadlines cannot be counted`
    }
  }
}) {}

/**
 * A mediation step breaks the ladder: escalation only upward and only after
 * the current tier recorded an outcome; sessions need the tier's group size.
 *
 * @since 0.1.0
 * @category errors
 */
export class MediationNotAllowed extends GongzhiTaggedError<MediationNotAllowed>()("IssueMediationNotAllowed", {
  caseId: Schema.String,
  reason: Schema.Literal("not-a-dispute", "not-upward", "no-session", "no-outcome", "outcome-recorded", "group-size", "no-escalate-outcome")
}, {
  code: "ISSUE_MEDIATION_NOT_ALLOWED",
  kind: "precondition-failed",
  text: (e) => {
    const why = {
      "not-a-dispute": { "zh-CN": "该工单不是纠纷调解类", en: "the case is not a dispute" },
      "not-upward": { "zh-CN": "只能向更高层级升级", en: "escalation goes only upward" },
      "no-session": { "zh-CN": "本层级尚未召开调解会", en: "the current tier has held no session yet" },
      "no-outcome": { "zh-CN": "本层级尚无调解结果", en: "the current tier has no outcome yet" },
      "no-escalate-outcome": { "zh-CN": "本层级结果不是“提请升级”", en: "the current tier's outcome is not escalate" },
      "outcome-recorded": { "zh-CN": "本层级已有调解结果", en: "the current tier already has an outcome" },
      "group-size": { "zh-CN": "利益相关方小组人数不符合要求", en: "the stakeholder group has the wrong size" }
    }[e.reason]
    return {
      "zh-CN": `工单 ${e.caseId} 调解操作不允许：${why["zh-CN"]}`,
      en: `Mediation step not allowed on case ${e.caseId}: ${why.en}`
    }
  }
}) {}
