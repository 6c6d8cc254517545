/**
 * The issues module's entries in the command catalogue, and the schemas of
 * the results that had none.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { LocalDate } from "../kernel/calendar.js"
import { catalogueBuilder, catalogueEntries } from "../kernel/catalogue.js"
import { AlreadyExists, Conflict, Forbidden, IdempotencyKeyReused, InvalidInput, NotFound, StoreUnavailable } from "../kernel/errors.js"
import { CommunityId } from "../kernel/ids.js"
import {
  BlockedByAttribute,
  CalendarNotPublished,
  ExtensionAfterDeadline,
  InvalidTransition,
  MediationNotAllowed,
  NotReporter,
  ReopenWindowExpired,
  ReturnWindowExpired,
  UnknownCaseType
} from "./errors.js"
import { IssueEvent } from "./events.js"
import {
  AnswerInput,
  AssignInput,
  CaseId,
  CaseStatus,
  CaseStepInput,
  CaseTypeId,
  ChangeTypeInput,
  CloseInput,
  DecideExtensionInput,
  DepartmentCasesInput,
  DispatchInput,
  DueScanInput,
  EscalateInput,
  FindDuplicatesInput,
  FollowUpInput,
  IssueCase,
  Location,
  MarkDuplicateInput,
  MediationOutcomeInput,
  MediationSessionInput,
  MediationTier,
  Open311PostPayload,
  Photo,
  RejectInput,
  RequestExtensionInput,
  Resolution,
  ReturnInput,
  StepActorKind,
  StepKind,
  SubmitReportInput
} from "./model.js"
import {
  accept,
  addNote,
  answer,
  assign,
  changeType,
  close,
  decideExtension,
  dispatch,
  dueScan,
  escalateMediation,
  figures,
  findPotentialDuplicates,
  follow,
  followUp,
  getCase,
  issuePermissions,
  markDuplicate,
  myCases,
  open311Requests,
  openCasesOfDepartment,
  pause,
  recordMediationOutcome,
  recordMediationSession,
  reject,
  reopen,
  requestExtension,
  resume,
  returnCase,
  signFor,
  start,
  submitGeoReport,
  submitReport,
  viewCase
} from "./service.js"

const entry = catalogueBuilder("issues", issuePermissions, IssueEvent, {
  caseId: { title: { "zh-CN": "工单编号", en: "Case id" } },
  number: { title: { "zh-CN": "工单号", en: "Case number" }, description: { "zh-CN": "按社区和年份连续编号，如 2026-000123。", en: "Gap-free per community and year, e.g. 2026-000123." } },
  typeId: { title: { "zh-CN": "工单类型", en: "Case type" }, description: { "zh-CN": "问题目录中的类型编号，如 street-light。", en: "A type id of the issue catalogue, e.g. street-light." } },
  location: { title: { "zh-CN": "位置", en: "Location" }, description: { "zh-CN": "楼栋、单元、户或地图坐标与地址。", en: "Building, unit, household, or a map point and address." } },
  description: { title: { "zh-CN": "问题描述", en: "Description" } },
  photos: { title: { "zh-CN": "照片", en: "Photos" } },
  anonymous: { title: { "zh-CN": "匿名", en: "Anonymous" }, description: { "zh-CN": "匿名反映时，反映人身份仅对指定角色可见。", en: "For an anonymous report the reporter is visible only to the configured roles." } },
  departmentId: { title: { "zh-CN": "部门编号", en: "Department id" } },
  lead: { title: { "zh-CN": "牵头部门", en: "Lead department" } },
  assisting: { title: { "zh-CN": "协办部门", en: "Assisting departments" } },
  handler: { title: { "zh-CN": "处理人", en: "Handler" } },
  publicExpectedDate: { title: { "zh-CN": "承诺办结日期", en: "Promised date" }, description: { "zh-CN": "向反映人公开的日期（YYYY-MM-DD）；内部时限不公开。", en: "The date promised to the reporter (YYYY-MM-DD); internal deadlines are never shown." } },
  status: { title: { "zh-CN": "状态", en: "Status" } },
  channel: { title: { "zh-CN": "渠道", en: "Channel" } },
  priority: { title: { "zh-CN": "优先级", en: "Priority" } },
  visibility: { title: { "zh-CN": "可见范围", en: "Visibility" }, description: { "zh-CN": "public：反映人可见；internal：仅工作人员可见。", en: "public: the reporter sees it; internal: staff only." } }
})

const PublicStepSchema = Schema.Struct({
  seq: Schema.Int,
  kind: StepKind,
  at: Schema.Int,
  actorKind: StepActorKind,
  department: Schema.optional(Schema.String),
  note: Schema.optional(Schema.String),
  media: Schema.optional(Schema.Array(Photo))
})

/**
 * The public view of a case (`PublicCaseView`): never the reporter's
 * identity or contact, never internal steps or deadlines.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const PublicCaseViewSchema = Schema.Struct({
  id: CaseId,
  number: Schema.String,
  typeId: CaseTypeId,
  status: CaseStatus,
  location: Location,
  description: Schema.String,
  photos: Schema.Array(Photo),
  lead: Schema.optional(Schema.String),
  publicExpectedDate: LocalDate,
  resolution: Schema.optional(Resolution),
  followers: Schema.Int,
  duplicateOf: Schema.optional(CaseId),
  createdAt: Schema.Int,
  updatedAt: Schema.Int,
  timeline: Schema.Array(PublicStepSchema)
})

/**
 * Result of `issues.submit` and `issues.submitGeoReport`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const SubmitReportResult = Schema.Struct({
  caseId: CaseId,
  number: Schema.String,
  publicExpectedDate: LocalDate,
  case: PublicCaseViewSchema
})

const ShareSchema = Schema.Struct({ count: Schema.Int, of: Schema.Int, rate: Schema.UndefinedOr(Schema.Number) })

/**
 * Result of `issues.figures`: rates per group and dispute resolution per mediation tier.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const FiguresResult = Schema.Struct({
  groups: Schema.Array(Schema.Struct({
    key: Schema.String,
    cases: Schema.Int,
    response: ShareSchema,
    onTime: ShareSchema,
    resolution: ShareSchema,
    satisfaction: ShareSchema
  })),
  disputes: Schema.Array(Schema.Struct({
    tier: MediationTier,
    reached: Schema.Int,
    agreements: Schema.Int,
    escalated: Schema.Int,
    withdrawn: Schema.Int,
    resolution: ShareSchema
  }))
})

/**
 * An Open311 GeoReport v2 `request`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const Open311RequestSchema = Schema.Struct({
  service_request_id: Schema.String,
  status: Schema.Literal("open", "closed"),
  status_notes: Schema.String,
  service_name: Schema.String,
  service_code: Schema.String,
  description: Schema.String,
  agency_responsible: Schema.String,
  service_notice: Schema.String,
  requested_datetime: Schema.String,
  updated_datetime: Schema.String,
  expected_datetime: Schema.String,
  address: Schema.String,
  address_id: Schema.String,
  zipcode: Schema.String,
  lat: Schema.optional(Schema.Number),
  long: Schema.optional(Schema.Number),
  media_url: Schema.String
})

const CaseOf = Schema.Struct({ communityId: CommunityId, caseId: CaseId })
const Period = { from: Schema.optional(Schema.Int), to: Schema.optional(Schema.Int) }

/**
 * The issues module's commands and queries.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const issueCommands = catalogueEntries(
  entry.command({
    name: "issues.submit",
    permission: "issues.submit",
    title: { "zh-CN": "提交反映", en: "Submit a report" },
    description: {
      "zh-CN": "提交问题反映并立即获得工单号；居民为本人提交，工作人员可代录热线、窗口和短信反映。带幂等键重试返回第一次的工单。",
      en: "Files a report and gives it a case number at once; residents report for themselves, staff enter hotline, counter and SMS reports. A retry with the idempotency key returns the first case."
    },
    input: SubmitReportInput,
    result: SubmitReportResult,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, IdempotencyKeyReused, BlockedByAttribute, CalendarNotPublished, UnknownCaseType, StoreUnavailable],
    events: ["IssueReportSubmitted"],
    command: submitReport
  }),
  entry.query(
    Schema.Struct({ communityId: CommunityId, payload: Open311PostPayload, idempotencyKey: Schema.optional(Schema.String) }),
    (actor, i) => submitGeoReport(actor, i.communityId, i.payload, i.idempotencyKey === undefined ? {} : { idempotencyKey: i.idempotencyKey })
  )({
    name: "issues.submitGeoReport",
    permission: "issues.submit",
    title: { "zh-CN": "提交 Open311 反映", en: "Submit an Open311 report" },
    description: {
      "zh-CN": "接收 Open311 GeoReport v2 的 POST requests 表单作为新反映；联系方式仅随工单保存，不公开。",
      en: "Accepts an Open311 GeoReport v2 POST requests payload as a new report; contact fields stay private with the case."
    },
    result: SubmitReportResult,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, IdempotencyKeyReused, BlockedByAttribute, CalendarNotPublished, UnknownCaseType, StoreUnavailable],
    events: ["IssueReportSubmitted"]
  }),
  entry.command({
    name: "issues.accept",
    permission: "issues.accept",
    title: { "zh-CN": "受理", en: "Accept a case" },
    description: { "zh-CN": "受理已提交的工单。", en: "Accepts (受理) a submitted case." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueCaseAccepted", "IssueStatusChanged"],
    command: accept
  }),
  entry.command({
    name: "issues.reject",
    permission: "issues.reject",
    title: { "zh-CN": "不予受理", en: "Reject a report" },
    description: { "zh-CN": "对不属于工单的反映不予受理并说明理由。", en: "Rejects a report that is not a case, with a reason." },
    input: RejectInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueCaseClosed", "IssueStatusChanged"],
    command: reject
  }),
  entry.command({
    name: "issues.dispatch",
    permission: "issues.dispatch",
    title: { "zh-CN": "派单", en: "Dispatch a case" },
    description: { "zh-CN": "派给指定部门，或按区域×类型的分派规则派单。", en: "Dispatches (派单) to the given department, or by the routing rules (area x type)." },
    input: DispatchInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, UnknownCaseType, StoreUnavailable],
    events: ["IssueCaseAssigned", "IssueCaseDispatched", "IssueStatusChanged"],
    command: dispatch
  }),
  entry.command({
    name: "issues.return",
    permission: "issues.return",
    title: { "zh-CN": "退单", en: "Return a case" },
    description: { "zh-CN": "派错的工单在期限内退回派单环节，须说明理由。", en: "Returns (退单) a wrongly routed case to dispatch, with a reason, within the return window." },
    input: ReturnInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, CalendarNotPublished, InvalidTransition, NotReporter, ReturnWindowExpired, StoreUnavailable],
    events: ["IssueCaseReturned", "IssueStatusChanged"],
    command: returnCase
  }),
  entry.command({
    name: "issues.assign",
    permission: "issues.assign",
    title: { "zh-CN": "指派处理人", en: "Assign a handler" },
    description: { "zh-CN": "指派牵头部门的处理人。", en: "Assigns a handler of the lead department." },
    input: AssignInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueCaseAssigned", "IssueStatusChanged"],
    command: assign
  }),
  entry.command({
    name: "issues.signFor",
    permission: "issues.signFor",
    title: { "zh-CN": "签收", en: "Sign for a case" },
    description: { "zh-CN": "签收已派工单，满足响应时限。", en: "Signs for (签收) a dispatched case: meets the response deadline." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueStatusChanged"],
    command: signFor
  }),
  entry.command({
    name: "issues.start",
    permission: "issues.start",
    title: { "zh-CN": "开始办理", en: "Start work" },
    description: { "zh-CN": "开始办理工单。", en: "Starts work (办理) on a case." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueStatusChanged"],
    command: start
  }),
  entry.command({
    name: "issues.note",
    permission: "issues.note",
    title: { "zh-CN": "添加备注", en: "Add a note" },
    description: { "zh-CN": "在时间线上添加公开或内部备注；办结后仍可添加。", en: "Adds a public or internal note to the timeline; allowed after closing too." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueNoteAdded", "IssueStatusChanged"],
    command: addNote
  }),
  entry.command({
    name: "issues.pause",
    permission: "issues.pause",
    title: { "zh-CN": "暂停计时", en: "Pause the clock" },
    description: { "zh-CN": "等待反映人期间暂停时限计时。", en: "Pauses the deadline clock while waiting on the reporter." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueClockPaused", "IssueStatusChanged"],
    command: pause
  }),
  entry.command({
    name: "issues.resume",
    permission: "issues.resume",
    title: { "zh-CN": "恢复计时", en: "Resume the clock" },
    description: { "zh-CN": "恢复计时，未到期的时限顺延暂停的工作日。", en: "Restarts the clock; unmet deadlines move by the paused working days." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, CalendarNotPublished, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueClockPaused", "IssueStatusChanged"],
    command: resume
  }),
  entry.command({
    name: "issues.requestExtension",
    permission: "issues.requestExtension",
    title: { "zh-CN": "申请延期", en: "Request an extension" },
    description: { "zh-CN": "在办结时限届满前申请延期。", en: "Requests an extension (延期) of the resolution deadline before it expires." },
    input: RequestExtensionInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, ExtensionAfterDeadline, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueExtensionRequested", "IssueStatusChanged"],
    command: requestExtension
  }),
  entry.command({
    name: "issues.decideExtension",
    permission: "issues.decideExtension",
    title: { "zh-CN": "审批延期", en: "Decide an extension" },
    description: { "zh-CN": "批准或拒绝延期申请；批准后时限与公开承诺日期顺延。", en: "Approves or refuses a pending extension; approval moves the deadline and the public date." },
    input: DecideExtensionInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, CalendarNotPublished, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueExtensionDecided", "IssueStatusChanged"],
    command: decideExtension
  }),
  entry.command({
    name: "issues.changeType",
    permission: "issues.changeType",
    title: { "zh-CN": "变更类型", en: "Change the type" },
    description: { "zh-CN": "变更工单类型：按新类型重新计算时限，牵头部门变化时重新派单。", en: "Changes a case's type: deadlines are recounted and the case re-routed when the lead department changes." },
    input: ChangeTypeInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, CalendarNotPublished, InvalidTransition, NotReporter, UnknownCaseType, StoreUnavailable],
    events: ["IssueCaseAssigned", "IssueCaseDispatched", "IssueStatusChanged", "IssueTypeChanged"],
    command: changeType
  }),
  entry.command({
    name: "issues.answer",
    permission: "issues.answer",
    title: { "zh-CN": "答复", en: "Answer the reporter" },
    description: { "zh-CN": "答复反映人（已解决或未解决及理由），满足办结时限。", en: "Answers (答复) the reporter: fixed, or not fixed with a reason; meets the resolution deadline." },
    input: AnswerInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueCaseAnswered", "IssueStatusChanged"],
    command: answer
  }),
  entry.command({
    name: "issues.followUp",
    permission: "issues.followUp",
    title: { "zh-CN": "回访", en: "Record a follow-up" },
    description: { "zh-CN": "记录回访：联系不上，或是否解决及满意度；不满意可要求重办。", en: "Records a follow-up (回访): unreachable, or whether it is fixed and how satisfied the reporter is; dissatisfied reporters may ask to reopen." },
    input: FollowUpInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, CalendarNotPublished, InvalidTransition, NotReporter, UnknownCaseType, StoreUnavailable],
    events: ["IssueCaseAssigned", "IssueCaseClosed", "IssueCaseDispatched", "IssueCaseReopened", "IssueFollowUpRecorded", "IssueStatusChanged"],
    command: followUp
  }),
  entry.command({
    name: "issues.close",
    permission: "issues.close",
    title: { "zh-CN": "办结", en: "Close a case" },
    description: { "zh-CN": "在未回访成功时办结已答复的工单。", en: "Closes (办结) an answered case without a reached follow-up." },
    input: CloseInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueCaseClosed", "IssueStatusChanged"],
    command: close
  }),
  entry.command({
    name: "issues.reopen",
    permission: "issues.reopen",
    title: { "zh-CN": "重办", en: "Reopen a case" },
    description: { "zh-CN": "在期限内重新办理，回到牵头部门并重新计时。", en: "Reopens (重办) a case within the reopen window, back to the lead department with fresh deadlines." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, CalendarNotPublished, InvalidTransition, NotReporter, ReopenWindowExpired, UnknownCaseType, StoreUnavailable],
    events: ["IssueCaseAssigned", "IssueCaseDispatched", "IssueCaseReopened", "IssueStatusChanged"],
    command: reopen
  }),
  entry.command({
    name: "issues.follow",
    permission: "issues.follow",
    title: { "zh-CN": "关注工单", en: "Follow a case" },
    description: { "zh-CN": "居民关注已有的工单而不重复提交。", en: "A resident follows an existing open case instead of filing a new one." },
    input: CaseStepInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueCaseFollowed", "IssueStatusChanged"],
    command: follow
  }),
  entry.command({
    name: "issues.recordMediationSession",
    permission: "issues.mediate",
    title: { "zh-CN": "记录调解会", en: "Record a mediation session" },
    description: { "zh-CN": "在当前层级记录一次调解会（利益相关方小组需 5-7 人）。", en: "Records a mediation session at the current tier (the stakeholder group needs 5-7 participants)." },
    input: MediationSessionInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, MediationNotAllowed, NotReporter, UnknownCaseType, StoreUnavailable],
    events: ["IssueMediationSession", "IssueStatusChanged"],
    command: recordMediationSession
  }),
  entry.command({
    name: "issues.recordMediationOutcome",
    permission: "issues.mediate",
    title: { "zh-CN": "记录调解结果", en: "Record a mediation outcome" },
    description: { "zh-CN": "记录当前层级的结果：达成协议、上提或撤回。", en: "Records the current tier's outcome: agreement, escalate or withdrawn." },
    input: MediationOutcomeInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, MediationNotAllowed, NotReporter, UnknownCaseType, StoreUnavailable],
    events: ["IssueMediationOutcome", "IssueStatusChanged"],
    command: recordMediationOutcome
  }),
  entry.command({
    name: "issues.escalateMediation",
    permission: "issues.mediate",
    title: { "zh-CN": "上提调解", en: "Escalate a dispute" },
    description: { "zh-CN": "在当前层级结果为上提后，提交更高层级调解。", en: "Escalates a dispute up the ladder after the current tier's outcome was escalate." },
    input: EscalateInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, MediationNotAllowed, NotReporter, UnknownCaseType, StoreUnavailable],
    events: ["IssueMediationEscalated", "IssueStatusChanged"],
    command: escalateMediation
  }),
  entry.command({
    name: "issues.markDuplicate",
    permission: "issues.markDuplicate",
    title: { "zh-CN": "标记重复", en: "Mark a duplicate" },
    description: {
      "zh-CN": "将工单标记为另一未办结工单的重复：反映人与关注者转为关注原工单，本工单关闭。",
      en: "Marks a case a duplicate of another open case: its reporter and followers follow the other, and this one closes."
    },
    input: MarkDuplicateInput,
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidTransition, NotReporter, StoreUnavailable],
    events: ["IssueCaseClosed", "IssueCaseFollowed", "IssueCaseMerged", "IssueStatusChanged"],
    command: markDuplicate
  }),
  entry.command({
    name: "issues.dueScan",
    permission: "issues.dueScan",
    title: { "zh-CN": "时限扫描", en: "Deadline scan" },
    description: {
      "zh-CN": "供定时任务调用：发出到期的时限预警和超时，每项只发一次，预警先于超时。",
      en: "For a scheduler: emits the deadline warnings and breaches due now, each exactly once, a warning before its breach."
    },
    input: DueScanInput,
    result: Schema.Struct({ scanned: Schema.Int, warnings: Schema.Int, breaches: Schema.Int }),
    errors: [InvalidInput, Forbidden, NotFound, Conflict, StoreUnavailable],
    events: ["IssueDeadlineWarning", "IssueDeadlineBreached"],
    command: dueScan
  }),
  entry.query(CaseOf, (actor, i) => viewCase(actor, i.communityId, i.caseId))({
    name: "issues.viewCase",
    permission: "issues.read",
    title: { "zh-CN": "查看工单（公开）", en: "View a case (public)" },
    description: {
      "zh-CN": "工单的公开视图：只含公开步骤，不含反映人身份、联系方式和内部时限。",
      en: "The public view of a case: public steps only, no reporter identity or contact, no internal deadlines."
    },
    result: PublicCaseViewSchema,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.query(CaseOf, (actor, i) => getCase(actor, i.communityId, i.caseId))({
    name: "issues.getCase",
    permission: "issues.readCase",
    title: { "zh-CN": "查看工单（工作人员）", en: "Get a case (staff)" },
    description: {
      "zh-CN": "工作人员看到的完整工单：全部步骤、时限、反映人（手机号脱敏；匿名工单仅指定角色可见）。",
      en: "The full case for staff: every step, deadlines, the reporter (phone masked; anonymous reporters only for the configured roles)."
    },
    result: IssueCase,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.command({
    name: "issues.openCasesOfDepartment",
    permission: "issues.readCase",
    title: { "zh-CN": "部门在办工单", en: "Open cases of a department" },
    description: {
      "zh-CN": "一次读取某部门牵头或协办的全部未办结工单（按创建时间），供部门看板使用。",
      en: "All open cases a department leads or assists on, oldest first, in one call, for a department's dashboard."
    },
    input: DepartmentCasesInput,
    result: Schema.Array(IssueCase),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: [],
    command: openCasesOfDepartment
  }),
  entry.query(Schema.Struct({}), (actor) => myCases(actor))({
    name: "issues.myCases",
    permission: "issues.read",
    title: { "zh-CN": "我的工单", en: "My cases" },
    description: { "zh-CN": "居民本人提交或关注的工单（公开视图）；仅限居民。", en: "The cases a resident reported or follows, as public views; residents only." },
    result: Schema.Array(PublicCaseViewSchema),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.command({
    name: "issues.findPotentialDuplicates",
    permission: "issues.findDuplicates",
    title: { "zh-CN": "查找相似工单", en: "Find potential duplicates" },
    description: {
      "zh-CN": "附近同类型的未办结工单（同楼栋/单元，或一定半径内），由近及远；反映人可改为关注。",
      en: "Open cases of the same type nearby (same building or unit, or within a radius), nearest first; a reporter may follow one instead of filing."
    },
    input: FindDuplicatesInput,
    result: Schema.Array(PublicCaseViewSchema),
    errors: [InvalidInput, Forbidden, UnknownCaseType, StoreUnavailable],
    events: [],
    command: findPotentialDuplicates
  }),
  entry.query(
    Schema.Struct({ communityId: CommunityId, by: Schema.Literal("department", "type", "month", "all"), ...Period }),
    (actor, i) => figures(actor, i.communityId, { by: i.by, ...(i.from === undefined ? {} : { from: i.from }), ...(i.to === undefined ? {} : { to: i.to }) })
  )({
    name: "issues.figures",
    permission: "issues.figures",
    title: { "zh-CN": "工单统计", en: "Case figures" },
    description: {
      "zh-CN": "按部门、类型、月份或全部统计响应率、按时办结率、解决率和满意率，以及各调解层级的化解情况。",
      en: "Response, on-time, resolution and satisfaction rates per department, type, month or overall, and dispute resolution per mediation tier."
    },
    result: FiguresResult,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(
    Schema.Struct({ communityId: CommunityId, ...Period, locale: Schema.optional(Schema.Literal("zh-CN", "en")) }),
    (actor, i) =>
      open311Requests(actor, i.communityId, {
        ...(i.from === undefined ? {} : { from: i.from }),
        ...(i.to === undefined ? {} : { to: i.to }),
        ...(i.locale === undefined ? {} : { locale: i.locale })
      })
  )({
    name: "issues.open311Requests",
    permission: "issues.read",
    title: { "zh-CN": "Open311 工单列表", en: "Open311 requests" },
    description: { "zh-CN": "某期间受理的工单，按 Open311 requests 格式，不含反映人身份与联系方式。", en: "Cases received in a period as Open311 requests, without reporter identity or contact." },
    result: Schema.Array(Open311RequestSchema),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  })
)


