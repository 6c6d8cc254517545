/**
 * Pet credit's typed failures, each with a stable code, a kind and a text
 * in zh-CN and en; each leaves everything unchanged. The kernel's
 * `Forbidden`, `InvalidInput` and `NotFound` are used as they are.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { GongzhiTaggedError } from "../kernel/errors.js"

/**
 * The dog is not on the community's registry (or is no longer active).
 *
 * @since 0.2.0
 * @category errors
 */
export class DogNotRegistered extends GongzhiTaggedError<DogNotRegistered>()("DogNotRegistered", {
  dogId: Schema.String
}, {
  code: "PETCREDIT_DOG_NOT_REGISTERED",
  kind: "not-found",
  text: (e) => ({ "zh-CN": `犬只 ${e.dogId} 未登记或已注销`, en: `Dog ${e.dogId} is not registered (or no longer active)` })
}) {}

/**
 * A resident acted for a dog that is not their household's.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotDogOwner extends GongzhiTaggedError<NotDogOwner>()("NotDogOwner", {
  dogId: Schema.String,
  residentId: Schema.String
}, {
  code: "PETCREDIT_NOT_DOG_OWNER",
  kind: "forbidden",
  text: (e) => ({ "zh-CN": `犬只 ${e.dogId} 不属于您的家庭`, en: `Dog ${e.dogId} does not belong to your household` })
}) {}

/**
 * The report was not verified (or was overturned), so it cannot be appealed.
 *
 * @since 0.2.0
 * @category errors
 */
export class ReportNotVerified extends GongzhiTaggedError<ReportNotVerified>()("ReportNotVerified", {
  reportId: Schema.String,
  status: Schema.String
}, {
  code: "PETCREDIT_REPORT_NOT_VERIFIED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `举报 ${e.reportId} 尚未核实（状态：${e.status}），不能申诉`,
    en: `Report ${e.reportId} is not verified (${e.status}); it cannot be appealed`
  })
}) {}

/**
 * The report was already decided (verified, rejected, expired or linked).
 *
 * @since 0.2.0
 * @category errors
 */
export class AlreadyVerified extends GongzhiTaggedError<AlreadyVerified>()("AlreadyVerified", {
  reportId: Schema.String,
  status: Schema.String
}, {
  code: "PETCREDIT_ALREADY_VERIFIED",
  kind: "conflict",
  text: (e) => ({
    "zh-CN": `举报 ${e.reportId} 已处理（状态：${e.status}）`,
    en: `Report ${e.reportId} was already decided (${e.status})`
  })
}) {}

/**
 * The appeal window (working days after the verification) has closed.
 *
 * @since 0.2.0
 * @category errors
 */
export class AppealWindowClosed extends GongzhiTaggedError<AppealWindowClosed>()("AppealWindowClosed", {
  reportId: Schema.String,
  appealUntil: Schema.String
}, {
  code: "PETCREDIT_APPEAL_WINDOW_CLOSED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `举报 ${e.reportId} 的申诉期已于 ${e.appealUntil} 截止`,
    en: `The appeal window of report ${e.reportId} closed on ${e.appealUntil}`
  })
}) {}

/**
 * The report was appealed already (one appeal per report).
 *
 * @since 0.2.0
 * @category errors
 */
export class AlreadyAppealed extends GongzhiTaggedError<AlreadyAppealed>()("AlreadyAppealed", {
  reportId: Schema.String
}, {
  code: "PETCREDIT_ALREADY_APPEALED",
  kind: "conflict",
  text: (e) => ({ "zh-CN": `举报 ${e.reportId} 已申诉过`, en: `Report ${e.reportId} was already appealed` })
}) {}

/**
 * The staff member who verified a report may not decide its appeal.
 *
 * @since 0.2.0
 * @category errors
 */
export class SameStaffDecision extends GongzhiTaggedError<SameStaffDecision>()("SameStaffDecision", {
  reportId: Schema.String
}, {
  code: "PETCREDIT_SAME_STAFF_DECISION",
  kind: "forbidden",
  text: (e) => ({
    "zh-CN": `举报 ${e.reportId} 的申诉须由核实人以外的工作人员决定`,
    en: `The appeal of report ${e.reportId} must be decided by someone other than its verifier`
  })
}) {}

/**
 * The licence is suspended (or withheld): no new licence, no renewal.
 *
 * @since 0.2.0
 * @category errors
 */
export class LicenceSuspended extends GongzhiTaggedError<LicenceSuspended>()("LicenceSuspended", {
  dogId: Schema.String,
  score: Schema.Int
}, {
  code: "PETCREDIT_LICENCE_SUSPENDED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `犬只 ${e.dogId} 信用分为 ${e.score}，暂停办证资格`,
    en: `Dog ${e.dogId} has a score of ${e.score}; licences are suspended`
  })
}) {}

/**
 * The report is past its verification deadline (it expires unverified).
 *
 * @since 0.2.0
 * @category errors
 */
export class ReportExpired extends GongzhiTaggedError<ReportExpired>()("ReportExpired", {
  reportId: Schema.String,
  expiresOn: Schema.String
}, {
  code: "PETCREDIT_REPORT_EXPIRED",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `举报 ${e.reportId} 未在 ${e.expiresOn} 前核实，已失效`,
    en: `Report ${e.reportId} was not verified by ${e.expiresOn} and has expired`
  })
}) {}

const notApplicableTexts = {
  "unknown-kind": { "zh-CN": "当前方案没有该类别", en: "the scheme has no such kind" },
  "no-open-appeal": { "zh-CN": "该举报没有待决的申诉", en: "the report has no open appeal" },
  "not-reversible": { "zh-CN": "撤销或重置记录不能再撤销", en: "a reversal or reset entry cannot be reversed" },
  "already-reversed": { "zh-CN": "该记录已撤销", en: "the entry was already reversed" },
  "no-training": { "zh-CN": "当前方案没有强制培训", en: "the scheme has no compulsory training" },
  "training-not-required": { "zh-CN": "当前无需参加强制培训", en: "training is not required" },
  "no-exam": { "zh-CN": "当前方案没有考试", en: "the scheme has no exam" },
  "not-withheld": { "zh-CN": "犬证未被暂扣", en: "the licence is not withheld" }
} as const

/**
 * The action does not apply now (an exam while the licence is not withheld,
 * a reversal of a reversal, a kind the scheme does not have).
 *
 * @since 0.2.0
 * @category errors
 */
export class NotApplicable extends GongzhiTaggedError<NotApplicable>()("NotApplicable", {
  action: Schema.String,
  reason: Schema.Literal(
    "unknown-kind",
    "no-open-appeal",
    "not-reversible",
    "already-reversed",
    "no-training",
    "training-not-required",
    "no-exam",
    "not-withheld"
  )
}, {
  code: "PETCREDIT_NOT_APPLICABLE",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `不能执行 ${e.action}：${notApplicableTexts[e.reason]["zh-CN"]}`,
    en: `${e.action} does not apply: ${notApplicableTexts[e.reason].en}`
  })
}) {}
