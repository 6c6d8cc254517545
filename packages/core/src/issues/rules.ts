/**
 * The issues module's decisions as pure functions: the transition guard,
 * status derivation, report validation, routing, deadlines, duplicates, the
 * mediation ladder, figures, views and the Open311 mapping. Plain
 * TypeScript: no Effect, no I/O.
 *
 * @since 0.1.0
 */
import { type CalendarData, type CalendarOverrides, addWorkdaysIn, type LocalDate, startOfLocalDay, toLocalDate } from "../kernel/calendar.js"
import { maskPhone } from "../kernel/directory.js"
import { type FieldIssue, fieldIssue, type FieldProblem, type LocalizedText } from "../kernel/errors.js"
import type {
  AttributeDef,
  AttributeValue,
  CaseStatus,
  CaseType,
  CaseTypeId,
  Catalogue,
  Deadline,
  DeadlineSpec,
  FollowUp,
  IssueCase,
  Location,
  MediationRound,
  MediationTier,
  Open311Attribute,
  Open311PostPayload,
  Open311Request,
  Open311Service,
  Open311ServiceDefinition,
  Photo,
  PhotoPolicy,
  Priority,
  PublicCaseView,
  Reporter,
  RouteTarget,
  StepKind,
  Text,
  TimelineStep
} from "./model.js"

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/**
 * How working-day deadlines are counted: `"next-day"` (次日起算: the day of
 * receipt does not count) or `"receipt-day"` (当日起算: the day of receipt is
 * day 1 when it is a working day). A report received on a day off is counted
 * from the next working day either way.
 *
 * @since 0.1.0
 * @category config
 */
export type CountingConvention = "next-day" | "receipt-day"

/**
 * The module's numbers. Every one is configurable through `IssuesConfig`.
 *
 * @since 0.1.0
 * @category config
 */
export interface IssuesSettings {
  /** Deadlines per priority; a case type may override them. Seed: answered within 7 working days. */
  readonly deadlines: { readonly [P in Priority]: DeadlineSpec }
  readonly counting: CountingConvention
  /** Warn when this many working days remain, the due date included (1: at the start of the due date). */
  readonly warnWorkdaysLeft: number
  /** Hour-based deadlines: warn this many hours before. */
  readonly warnHoursLeft: number
  /** The date promised to the reporter is this many working days after the internal resolution deadline. */
  readonly publicMarginWorkdays: number
  /** A department may return (退单) a case within this many working days after dispatch. */
  readonly returnWindowWorkdays: number
  /** The reporter may reopen (重办) within this many working days after closing. */
  readonly reopenWindowWorkdays: number
  /** Staff roles that see the reporter of an anonymous case. */
  readonly identityRoles: ReadonlyArray<string>
  /** Size of a stakeholder group (利益相关方小组), inclusive. */
  readonly stakeholderGroupSize: { readonly min: number; readonly max: number }
  /** Photo policy for types that declare none. */
  readonly photoPolicy: PhotoPolicy
  /** Cases `dueScan` handles per transaction. */
  readonly dueScanBatch: number
  /** Digits of the running number in a case number (`2026-000123`: 6). */
  readonly numberDigits: number
}

/**
 * The seed's defaults.
 *
 * @since 0.1.0
 * @category config
 */
export const defaultIssuesSettings: IssuesSettings = {
  deadlines: {
    urgent: { unit: "hours", response: 1, resolution: 24 },
    high: { unit: "workdays", response: 1, resolution: 3 },
    normal: { unit: "workdays", response: 1, resolution: 7 },
    low: { unit: "workdays", response: 2, resolution: 10 }
  },
  counting: "next-day",
  warnWorkdaysLeft: 1,
  warnHoursLeft: 4,
  publicMarginWorkdays: 0,
  returnWindowWorkdays: 1,
  reopenWindowWorkdays: 10,
  identityRoles: ["admin", "dispatcher", "clerk"],
  stakeholderGroupSize: { min: 5, max: 7 },
  photoPolicy: { maxPhotos: 9, maxBytes: 10 * 1024 * 1024, mimeTypes: ["image/jpeg", "image/png", "image/webp", "image/heic"], required: false },
  dueScanBatch: 1000,
  numberDigits: 6
}

const t = (zh: string, en: string): Text => ({ "zh-CN": zh, en })
const typeId = (s: string) => s as CaseTypeId
const dept = (s: string) => s as RouteTarget["lead"]

/**
 * The seed's catalogue: street light, water leak, dog waste, garbage,
 * occupied green or common space, noise, gas smell (blocked: call 119),
 * neighbour dispute (mediation ladder), suggestion. Departments are the
 * fixture generator's (`dept-property`, `dept-sanitation`, `dept-security`,
 * `dept-services`, `dept-mediation`).
 *
 * @since 0.1.0
 * @category config
 */
export const defaultCatalogue: Catalogue = {
  types: [
    {
      id: typeId("street-light"), group: "facilities", name: t("路灯不亮", "Street light out"),
      keywords: ["路灯", "灯", "照明", "light", "lamp"], priority: "normal", anonymity: "optional",
      excludedFromSatisfaction: false, dispute: false,
      attributes: [
        { code: "pole-number", datatype: "string", label: t("灯杆编号", "Pole number"), required: false, order: 1, maxLength: 20, pattern: "^[A-Za-z0-9-]+$" },
        { code: "lights-out", datatype: "number", label: t("不亮的灯数", "Lights out"), required: false, order: 2, min: 1, max: 50 }
      ]
    },
    {
      id: typeId("water-leak"), group: "facilities", name: t("漏水", "Water leak"),
      keywords: ["漏水", "水管", "渗水", "leak", "pipe"], priority: "high", anonymity: "not-allowed",
      excludedFromSatisfaction: false, dispute: false,
      attributes: [
        {
          code: "where", datatype: "singlevaluelist", label: t("漏水部位", "Where"), required: true, order: 1,
          options: [{ key: "ceiling", name: t("天花板", "Ceiling") }, { key: "pipe", name: t("管道", "Pipe") }, { key: "roof", name: t("屋顶", "Roof") }]
        },
        {
          code: "near-electricity", datatype: "boolean", label: t("是否靠近电线或电器", "Near wiring or appliances?"), required: true, order: 2,
          blocking: { values: [true], guidance: t("有触电危险，请立即拨打物业24小时电话或119", "Risk of electric shock: call the 24-hour property line or 119 now") }
        }
      ]
    },
    {
      id: typeId("dog-waste"), group: "environment", name: t("犬只粪便未清理", "Dog waste"),
      keywords: ["狗", "犬", "粪便", "dog", "waste"], priority: "normal", anonymity: "optional",
      excludedFromSatisfaction: false, dispute: false,
      attributes: [{ code: "seen-at", datatype: "datetime", label: t("发现时间", "Seen at"), required: false, order: 1 }]
    },
    {
      id: typeId("garbage"), group: "environment", name: t("垃圾堆放", "Garbage dumped"),
      keywords: ["垃圾", "堆放", "garbage", "rubbish"], priority: "normal", anonymity: "optional",
      excludedFromSatisfaction: false, dispute: false, attributes: []
    },
    {
      id: typeId("occupied-space"), group: "order", name: t("占用绿地或公共空间", "Occupied green or common space"),
      keywords: ["占用", "绿地", "楼道", "堆物", "occupied", "hallway"], priority: "normal", anonymity: "always",
      excludedFromSatisfaction: true, dispute: false,
      attributes: [
        {
          code: "space", datatype: "singlevaluelist", label: t("被占用的空间", "Space"), required: true, order: 1,
          options: [{ key: "green", name: t("绿地", "Green") }, { key: "hallway", name: t("楼道", "Hallway") }, { key: "parking", name: t("车位/消防通道", "Parking / fire lane") }]
        }
      ]
    },
    {
      id: typeId("noise"), group: "order", name: t("噪音扰民", "Noise"),
      keywords: ["噪音", "吵", "装修", "noise", "loud"], priority: "normal", anonymity: "always",
      excludedFromSatisfaction: true, dispute: false,
      attributes: [
        {
          code: "when", datatype: "multivaluelist", label: t("时段", "When"), required: false, order: 1,
          options: [{ key: "day", name: t("白天", "Day") }, { key: "evening", name: t("晚间", "Evening") }, { key: "night", name: t("夜间", "Night") }]
        },
        { code: "recurring", datatype: "boolean", label: t("是否反复发生", "Recurring?"), required: false, order: 2 }
      ]
    },
    {
      id: typeId("gas-smell"), group: "safety", name: t("燃气异味", "Gas smell"),
      keywords: ["燃气", "煤气", "gas"], priority: "urgent", anonymity: "not-allowed",
      excludedFromSatisfaction: false, dispute: false,
      attributes: [
        {
          code: "danger", datatype: "boolean", label: t("是否有人身危险或明火", "Is anyone in danger, or is there fire?"), required: true, order: 1,
          blocking: { values: [true], guidance: t("请立即离开现场并拨打119或燃气抢修电话", "Leave now and call 119 or the gas emergency line") }
        }
      ]
    },
    {
      id: typeId("dispute"), group: "mediation", name: t("邻里纠纷", "Neighbour dispute"),
      keywords: ["纠纷", "矛盾", "调解", "dispute", "neighbour"], priority: "normal", anonymity: "not-allowed",
      excludedFromSatisfaction: true, dispute: true,
      deadlines: { normal: { unit: "workdays", response: 2, resolution: 15 } },
      attributes: [
        { code: "parties", datatype: "number", label: t("涉及户数", "Households involved"), required: true, order: 1, min: 2, max: 200 }
      ]
    },
    {
      id: typeId("suggestion"), group: "other", name: t("意见建议", "Suggestion"),
      keywords: ["建议", "意见", "suggestion"], priority: "low", anonymity: "optional",
      excludedFromSatisfaction: false, dispute: false,
      attributes: [{ code: "details", datatype: "text", label: t("补充说明", "Details"), required: false, order: 1, maxLength: 2000 }]
    }
  ],
  routing: [
    { groups: ["facilities"], lead: dept("dept-property"), assisting: [] },
    { groups: ["environment"], lead: dept("dept-sanitation"), assisting: [] },
    { types: [typeId("occupied-space")], lead: dept("dept-security"), assisting: [dept("dept-sanitation")] },
    { groups: ["order", "safety"], lead: dept("dept-security"), assisting: [] },
    { groups: ["mediation"], lead: dept("dept-mediation"), assisting: [dept("dept-services")] }
  ],
  fallback: { lead: dept("dept-services"), assisting: [] }
}

// ---------------------------------------------------------------------------
// Transition guard
// ---------------------------------------------------------------------------

/**
 * The commands the transition guard knows.
 *
 * @since 0.1.0
 * @category guard
 */
export type CaseCommand =
  | "accept"
  | "reject"
  | "dispatch"
  | "return"
  | "assign"
  | "signFor"
  | "start"
  | "note"
  | "pause"
  | "resume"
  | "requestExtension"
  | "decideExtension"
  | "changeType"
  | "answer"
  | "followUp"
  | "close"
  | "reopen"
  | "markDuplicate"
  | "follow"
  | "mediate"

/**
 * An actor's relation to one case. A staff member may hold several; a handler
 * whose department is the case's lead department is `lead-handler`.
 *
 * @since 0.1.0
 * @category guard
 */
export type CaseRole =
  | "reporter"
  | "follower"
  | "resident"
  | "clerk"
  | "dispatcher"
  | "lead-handler"
  | "handler"
  | "mediator"
  | "committee"
  | "auditor"
  | "admin"
  | "system"

/**
 * Every case command, for matrices.
 *
 * @since 0.1.0
 * @category guard
 */
export const caseCommands: ReadonlyArray<CaseCommand> = [
  "accept", "reject", "dispatch", "return", "assign", "signFor", "start", "note", "pause", "resume", "requestExtension",
  "decideExtension", "changeType", "answer", "followUp", "close", "reopen", "markDuplicate", "follow", "mediate"
]

/**
 * Every case role, for matrices.
 *
 * @since 0.1.0
 * @category guard
 */
export const caseRoles: ReadonlyArray<CaseRole> = [
  "reporter", "follower", "resident", "clerk", "dispatcher", "lead-handler", "handler", "mediator", "committee", "auditor", "admin", "system"
]

/**
 * One row of the transition table: the statuses a command runs from, the
 * status it leads to (`same`: none changes) and the case roles that may run it.
 *
 * @since 0.1.0
 * @category guard
 */
export interface TransitionRule {
  readonly from: ReadonlyArray<CaseStatus>
  readonly to: CaseStatus | "same"
  readonly roles: ReadonlyArray<CaseRole>
}

const open: ReadonlyArray<CaseStatus> = ["submitted", "accepted", "dispatched", "signed-for", "in-progress", "answered", "follow-up"]
const beforeAnswer: ReadonlyArray<CaseStatus> = ["submitted", "accepted", "dispatched", "signed-for", "in-progress"]
const working: ReadonlyArray<CaseStatus> = ["accepted", "dispatched", "signed-for", "in-progress"]
const all: ReadonlyArray<CaseStatus> = [...open, "closed"]

/**
 * The transition table (state x command x role).
 *
 * @since 0.1.0
 * @category guard
 */
export const transitionTable: { readonly [C in CaseCommand]: TransitionRule } = {
  accept: { from: ["submitted"], to: "accepted", roles: ["clerk", "dispatcher", "admin", "system"] },
  reject: { from: ["submitted", "accepted"], to: "closed", roles: ["clerk", "dispatcher", "admin"] },
  dispatch: { from: ["accepted"], to: "dispatched", roles: ["dispatcher", "admin", "system"] },
  return: { from: ["dispatched", "signed-for"], to: "accepted", roles: ["lead-handler", "admin"] },
  assign: { from: ["dispatched", "signed-for", "in-progress"], to: "same", roles: ["dispatcher", "lead-handler", "admin"] },
  signFor: { from: ["dispatched"], to: "signed-for", roles: ["lead-handler", "admin"] },
  start: { from: ["signed-for"], to: "in-progress", roles: ["lead-handler", "admin"] },
  note: {
    from: all,
    to: "same",
    roles: ["reporter", "follower", "clerk", "dispatcher", "lead-handler", "handler", "mediator", "admin", "system"]
  },
  pause: { from: working, to: "same", roles: ["dispatcher", "lead-handler", "admin"] },
  resume: { from: working, to: "same", roles: ["reporter", "dispatcher", "lead-handler", "admin"] },
  requestExtension: { from: ["signed-for", "in-progress"], to: "same", roles: ["lead-handler", "admin"] },
  decideExtension: { from: ["signed-for", "in-progress"], to: "same", roles: ["dispatcher", "admin"] },
  changeType: { from: beforeAnswer, to: "same", roles: ["clerk", "dispatcher", "admin"] },
  answer: { from: ["in-progress"], to: "answered", roles: ["lead-handler", "admin"] },
  followUp: { from: ["answered", "follow-up"], to: "follow-up", roles: ["reporter", "clerk", "dispatcher", "admin", "system"] },
  close: { from: ["answered", "follow-up"], to: "closed", roles: ["clerk", "dispatcher", "admin", "system"] },
  reopen: { from: ["answered", "follow-up", "closed"], to: "dispatched", roles: ["reporter", "dispatcher", "admin"] },
  markDuplicate: { from: beforeAnswer, to: "closed", roles: ["clerk", "dispatcher", "admin"] },
  follow: { from: open, to: "same", roles: ["resident", "follower"] },
  mediate: { from: ["in-progress"], to: "same", roles: ["mediator", "lead-handler", "admin"] }
}

/**
 * The guard's verdict.
 *
 * @since 0.1.0
 * @category guard
 */
export type GuardResult =
  | { readonly ok: true; readonly to: CaseStatus }
  | { readonly ok: false; readonly reason: "role" | "status" }

/**
 * May an actor holding `roles` run `command` on a case in `status`? Role
 * first (`role`: none of the roles may ever run it), then status.
 *
 * @since 0.1.0
 * @category guard
 */
export const guard = (status: CaseStatus, command: CaseCommand, roles: ReadonlyArray<CaseRole>): GuardResult => {
  const rule = transitionTable[command]
  if (!roles.some((r) => rule.roles.includes(r))) return { ok: false, reason: "role" }
  if (!rule.from.includes(status)) return { ok: false, reason: "status" }
  return { ok: true, to: rule.to === "same" ? status : rule.to }
}

/**
 * Who is asking, in the terms the guard needs.
 *
 * @since 0.1.0
 * @category guard
 */
export type Asker =
  | { readonly kind: "resident"; readonly residentId: string }
  | { readonly kind: "staff"; readonly roles: ReadonlyArray<string>; readonly departments: ReadonlyArray<string> }
  | { readonly kind: "system" }

const staffRoles: ReadonlyArray<CaseRole> = ["clerk", "dispatcher", "mediator", "committee", "auditor", "admin"]

/**
 * The case roles an actor holds on a case. Staff of the lead department
 * with the `handler` (or `mediator`) role are `lead-handler`; other handlers
 * are `handler`.
 *
 * @since 0.1.0
 * @category guard
 */
export const caseRolesOf = (
  asker: Asker,
  c: Pick<IssueCase, "reporter" | "followers" | "lead">
): ReadonlyArray<CaseRole> => {
  switch (asker.kind) {
    case "resident":
      if (c.reporter.residentId === asker.residentId) return ["reporter"]
      return c.followers.includes(asker.residentId as never) ? ["follower"] : ["resident"]
    case "system":
      return ["system"]
    case "staff": {
      const out: Array<CaseRole> = staffRoles.filter((r) => asker.roles.includes(r))
      const inLead = c.lead !== undefined && asker.departments.includes(c.lead)
      // Mediators of the lead department handle its disputes like handlers.
      if (inLead && (asker.roles.includes("handler") || asker.roles.includes("mediator"))) out.push("lead-handler")
      else if (asker.roles.includes("handler")) out.push("handler")
      return out
    }
  }
}

// ---------------------------------------------------------------------------
// Status from the timeline
// ---------------------------------------------------------------------------

const stepStatus: { readonly [K in StepKind]?: CaseStatus } = {
  submitted: "submitted",
  accepted: "accepted",
  rejected: "closed",
  dispatched: "dispatched",
  returned: "accepted",
  "signed-for": "signed-for",
  started: "in-progress",
  answered: "answered",
  "followed-up": "follow-up",
  closed: "closed",
  reopened: "dispatched",
  merged: "closed"
}

/**
 * The status a timeline leads to: each lifecycle step sets it, every other
 * step (notes, pauses, extensions, mediation) leaves it.
 *
 * @since 0.1.0
 * @category status
 */
export const deriveStatus = (timeline: ReadonlyArray<Pick<TimelineStep, "kind">>): CaseStatus => {
  let status: CaseStatus = "submitted"
  for (const step of timeline) status = stepStatus[step.kind] ?? status
  return status
}

/**
 * Whether the deadline clock is paused (waiting on the reporter).
 *
 * @since 0.1.0
 * @category status
 */
export const derivePaused = (timeline: ReadonlyArray<Pick<TimelineStep, "kind">>): boolean => {
  let paused = false
  for (const step of timeline) {
    if (step.kind === "paused") paused = true
    else if (step.kind === "resumed" || stepStatus[step.kind] === "closed") paused = false
  }
  return paused
}

// ---------------------------------------------------------------------------
// Report validation
// ---------------------------------------------------------------------------

/**
 * The result of validating a report against its type.
 *
 * @since 0.1.0
 * @category validation
 */
export type ReportCheck =
  | { readonly ok: true; readonly anonymous: boolean }
  | { readonly ok: false; readonly blocked: { readonly attribute: string; readonly guidance: Text } }
  | { readonly ok: false; readonly issues: ReadonlyArray<FieldIssue> }

const matchesBlocking = (def: AttributeDef, value: AttributeValue): boolean => {
  const values = def.blocking?.values ?? []
  if (Array.isArray(value)) return value.some((v) => values.includes(v))
  return values.includes(value as string | number | boolean)
}

const checkValue = (def: AttributeDef, value: AttributeValue): readonly [FieldProblem, LocalizedText] | undefined => {
  const keys = (def.options ?? []).map((o) => o.key)
  switch (def.datatype) {
    case "string":
    case "text": {
      if (typeof value !== "string") return ["type", { "zh-CN": "须为文字", en: "expected a string" }]
      if (def.maxLength !== undefined && value.length > def.maxLength) return ["too-long", { "zh-CN": `最多 ${def.maxLength} 个字`, en: `at most ${def.maxLength} characters` }]
      if (def.pattern !== undefined && !new RegExp(def.pattern).test(value)) return ["pattern", { "zh-CN": "格式不正确", en: `must match ${def.pattern}` }]
      return undefined
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return ["type", { "zh-CN": "须为数字", en: "expected a number" }]
      if (def.min !== undefined && value < def.min) return ["range", { "zh-CN": `不能小于 ${def.min}`, en: `at least ${def.min}` }]
      if (def.max !== undefined && value > def.max) return ["range", { "zh-CN": `不能大于 ${def.max}`, en: `at most ${def.max}` }]
      return undefined
    }
    case "datetime":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : ["pattern", { "zh-CN": "须为标准格式的日期时间", en: "expected an ISO 8601 date-time" }]
    case "boolean":
      return typeof value === "boolean" ? undefined : ["type", { "zh-CN": "须为是或否", en: "expected true or false" }]
    case "singlevaluelist":
      return typeof value === "string" && keys.includes(value) ? undefined : ["enum", { "zh-CN": "不是可选项之一", en: `expected one of ${keys.join(", ")}` }]
    case "multivaluelist":
      return Array.isArray(value) && value.every((v) => keys.includes(v)) && new Set(value).size === value.length
        ? undefined
        : ["enum", { "zh-CN": "须为不重复的可选项", en: `expected distinct values of ${keys.join(", ")}` }]
  }
}

/**
 * Checks a report's attributes, photos and anonymity against its type.
 * A blocking answer wins over every other problem.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkReport = (
  type: CaseType,
  report: {
    readonly attributes: Readonly<Record<string, AttributeValue>>
    readonly photos: ReadonlyArray<Photo>
    readonly anonymous: boolean
  },
  defaultPolicy: PhotoPolicy
): ReportCheck => {
  const defs = new Map(type.attributes.map((a) => [a.code, a]))
  for (const def of [...type.attributes].sort((a, b) => a.order - b.order)) {
    const value = report.attributes[def.code]
    if (def.blocking !== undefined && value !== undefined && matchesBlocking(def, value)) {
      return { ok: false, blocked: { attribute: def.code, guidance: def.blocking.guidance } }
    }
  }
  const issues: Array<FieldIssue> = []
  for (const code of Object.keys(report.attributes)) {
    if (!defs.has(code)) issues.push(fieldIssue(`attributes.${code}`, "unexpected", { "zh-CN": "该类型没有此属性", en: `type ${type.id} has no attribute ${code}` }))
  }
  for (const def of type.attributes) {
    const value = report.attributes[def.code]
    if (value === undefined) {
      if (def.required) issues.push(fieldIssue(`attributes.${def.code}`, "required"))
      continue
    }
    const problem = checkValue(def, value)
    if (problem !== undefined) issues.push(fieldIssue(`attributes.${def.code}`, problem[0], problem[1]))
  }
  const policy = type.photoPolicy ?? defaultPolicy
  if (report.photos.length > policy.maxPhotos) issues.push(fieldIssue("photos", "too-long", { "zh-CN": `最多 ${policy.maxPhotos} 张照片`, en: `at most ${policy.maxPhotos} photos` }))
  if (policy.required && report.photos.length === 0) issues.push(fieldIssue("photos", "required", { "zh-CN": "须上传照片", en: "a photo is required" }))
  report.photos.forEach((p, i) => {
    if (!policy.mimeTypes.includes(p.mimeType)) issues.push(fieldIssue(`photos.${i}.mimeType`, "enum", { "zh-CN": "不支持的图片格式", en: `not one of ${policy.mimeTypes.join(", ")}` }))
    if (p.sizeBytes > policy.maxBytes) issues.push(fieldIssue(`photos.${i}.sizeBytes`, "range", { "zh-CN": `照片最大 ${policy.maxBytes} 字节`, en: `at most ${policy.maxBytes} bytes` }))
  })
  if (report.anonymous && type.anonymity === "not-allowed") {
    issues.push(fieldIssue("anonymous", "invalid", { "zh-CN": "此类报事不能匿名", en: `reports of ${type.id} cannot be anonymous` }))
  }
  if (issues.length > 0) return { ok: false, issues }
  return { ok: true, anonymous: type.anonymity === "always" || report.anonymous }
}

// ---------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------

/**
 * Routes a case on area x type: the first rule whose every criterion matches,
 * else the catalogue's fallback queue.
 *
 * @since 0.1.0
 * @category routing
 */
export const route = (catalogue: Catalogue, type: Pick<CaseType, "id" | "group">, location: Location): RouteTarget => {
  for (const rule of catalogue.routing) {
    if (rule.types !== undefined && !rule.types.includes(type.id)) continue
    if (rule.groups !== undefined && !rule.groups.includes(type.group)) continue
    if (rule.buildings !== undefined && (location.buildingId === undefined || !rule.buildings.includes(location.buildingId))) continue
    return {
      lead: rule.lead,
      assisting: rule.assisting,
      ...(rule.handler === undefined ? {} : { handler: rule.handler }),
      ...(rule.assign === undefined ? {} : { assign: rule.assign })
    }
  }
  return catalogue.fallback
}

/**
 * The least-loaded handler: among `candidates`, the one with the fewest open
 * cases in `openCounts` (absent counts as 0), ties broken by the smaller
 * staff id (code point order). `undefined` when there is no candidate.
 *
 * @since 0.1.0
 * @category routing
 */
export const leastLoaded = <S extends string>(
  candidates: ReadonlyArray<S>,
  openCounts: ReadonlyArray<{ readonly handler: string; readonly open: number }>
): S | undefined => {
  const load = new Map<string, number>()
  for (const c of openCounts) load.set(c.handler, c.open)
  let best: S | undefined
  let bestLoad = Infinity
  for (const c of candidates) {
    const n = load.get(c) ?? 0
    if (n < bestLoad || (n === bestLoad && best !== undefined && c < best)) {
      best = c
      bestLoad = n
    }
  }
  return best
}

/**
 * The deadlines of a type at a priority: the type's own, else the settings'.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const deadlineSpec = (type: CaseType, priority: Priority, settings: IssuesSettings): DeadlineSpec =>
  type.deadlines?.[priority] ?? settings.deadlines[priority]

// ---------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------

const hour = 3_600_000

/**
 * The last working day of a deadline of `n` working days for a report
 * received on `receiptDate`, on a calendar given as `add` (the
 * `addWorkdays` of the calendar port or of {@link addWorkdaysIn}).
 * `undefined` when the calendar does not cover the dates.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const dueDateWith = (
  add: (date: LocalDate, n: number) => LocalDate | undefined,
  receiptDate: LocalDate,
  n: number,
  counting: CountingConvention
): LocalDate | undefined => {
  if (counting === "next-day") return add(receiptDate, n)
  const first = add(receiptDate, 0)
  return first === undefined || n <= 1 ? first : add(first, n - 1)
}

/**
 * {@link dueDateWith} on published calendar data, for simulations.
 *
 * @example
 * ```ts
 * // received Wednesday 2026-09-30, 7 working days, next-day counting:
 * dueDateIn(chinaCalendarData, "2026-09-30", 7, "next-day") // "2026-10-15" (Golden Week skipped)
 * dueDateIn(chinaCalendarData, "2026-09-30", 7, "receipt-day") // "2026-10-14"
 * ```
 *
 * @since 0.1.0
 * @category deadlines
 */
export const dueDateIn = (
  data: CalendarData,
  receiptDate: string,
  n: number,
  counting: CountingConvention,
  overrides?: CalendarOverrides
): LocalDate | undefined => dueDateWith((d, k) => addWorkdaysIn(data, d, k, overrides), receiptDate as LocalDate, n, counting)

/**
 * The instant a working-day deadline ending on `dueDate` is breached: the
 * start of the next calendar day in `timeZone`.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const endOfLocalDay = (dueDate: LocalDate, timeZone: string): number =>
  startOfLocalDay(nextCalendarDay(dueDate), timeZone)

/**
 * The calendar day after `date`.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const nextCalendarDay = (date: LocalDate): LocalDate => {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + 1)
  return new Date(ms).toISOString().slice(0, 10) as LocalDate
}

/**
 * An hour-based deadline from `from`.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const hoursDeadline = (from: number, hours: number, warnHoursLeft: number): Deadline => {
  const dueAt = from + hours * hour
  return { unit: "hours", amount: hours, dueAt, warnAt: Math.max(from, dueAt - warnHoursLeft * hour), warned: false, breached: false }
}

/**
 * A working-day deadline ending on `dueDate`, warned from the start of
 * `warnDate`.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const workdaysDeadline = (amount: number, dueDate: LocalDate, warnDate: LocalDate, timeZone: string): Deadline => ({
  unit: "workdays",
  amount,
  dueDate,
  dueAt: endOfLocalDay(dueDate, timeZone),
  warnAt: startOfLocalDay(warnDate, timeZone),
  warned: false,
  breached: false
})

/**
 * The next instant `dueScan` must look at a case: the earliest pending
 * warning or breach of an unmet deadline; `undefined` when closed or paused.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const nextDueAt = (c: Pick<IssueCase, "status" | "pausedAt" | "response" | "resolution">): number | undefined => {
  if (c.status === "closed" || c.pausedAt !== undefined) return undefined
  let next: number | undefined
  for (const d of [c.response, c.resolution]) {
    if (d.metAt !== undefined) continue
    const at = !d.warned ? d.warnAt : !d.breached ? d.dueAt : undefined
    if (at !== undefined && (next === undefined || at < next)) next = at
  }
  return next
}

/**
 * A warning or breach `dueScan` emits.
 *
 * @since 0.1.0
 * @category deadlines
 */
export interface DueSignal {
  readonly deadline: "response" | "resolution"
  readonly kind: "warning" | "breach"
  readonly dueAt: number
}

/**
 * What is due on a case at `now`: the signals to emit (each deadline's
 * warning before its breach, in time order) and the deadlines with their
 * flags set. Signals already emitted are never emitted again.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const dueSignals = (
  c: Pick<IssueCase, "status" | "pausedAt" | "response" | "resolution">,
  now: number
): { readonly signals: ReadonlyArray<DueSignal>; readonly response: Deadline; readonly resolution: Deadline } => {
  if (c.status === "closed" || c.pausedAt !== undefined) return { signals: [], response: c.response, resolution: c.resolution }
  const timed: Array<readonly [number, number, DueSignal]> = []
  const step = (name: "response" | "resolution", d: Deadline, order: number): Deadline => {
    if (d.metAt !== undefined) return d
    let warned = d.warned
    let breached = d.breached
    if (!warned && now >= d.warnAt) {
      warned = true
      timed.push([d.warnAt, order, { deadline: name, kind: "warning", dueAt: d.dueAt }])
    }
    if (warned && !breached && now >= d.dueAt) {
      breached = true
      timed.push([d.dueAt, order + 2, { deadline: name, kind: "breach", dueAt: d.dueAt }])
    }
    return warned === d.warned && breached === d.breached ? d : { ...d, warned, breached }
  }
  const response = step("response", c.response, 0)
  const resolution = step("resolution", c.resolution, 1)
  timed.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  return { signals: timed.map(([, , s]) => s), response, resolution }
}

// ---------------------------------------------------------------------------
// Duplicates
// ---------------------------------------------------------------------------

/**
 * Great-circle distance in metres (haversine).
 *
 * @since 0.1.0
 * @category duplicates
 */
export const distanceMeters = (a: { readonly lat: number; readonly lng: number }, b: { readonly lat: number; readonly lng: number }): number => {
  const r = 6_371_008.8
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)))
}

/**
 * Whether two locations may be the same problem: points within `radius`
 * metres, or the same building (and the same unit when both name one).
 *
 * @since 0.1.0
 * @category duplicates
 */
export const nearby = (a: Location, b: Location, radiusMeters: number): boolean => {
  if (a.point !== undefined && b.point !== undefined) return distanceMeters(a.point, b.point) <= radiusMeters
  if (a.buildingId === undefined || a.buildingId !== b.buildingId) return false
  return a.unitId === undefined || b.unitId === undefined || a.unitId === b.unitId
}

/**
 * Open cases of the same type near a location, nearest first (same-building
 * matches without points count as distance 0).
 *
 * @since 0.1.0
 * @category duplicates
 */
export const potentialDuplicates = <C extends Pick<IssueCase, "typeId" | "status" | "location" | "duplicateOf">>(
  cases: ReadonlyArray<C>,
  typeId: string,
  location: Location,
  radiusMeters: number
): ReadonlyArray<C> =>
  cases
    .filter((c) => c.typeId === typeId && c.status !== "closed" && c.duplicateOf === undefined && nearby(c.location, location, radiusMeters))
    .map((c) => [c, c.location.point !== undefined && location.point !== undefined ? distanceMeters(c.location.point, location.point) : 0] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([c]) => c)

// ---------------------------------------------------------------------------
// Mediation ladder
// ---------------------------------------------------------------------------

/**
 * The tiers, lowest first.
 *
 * @since 0.1.0
 * @category mediation
 */
export const mediationTiers: ReadonlyArray<MediationTier> = ["stakeholder-group", "residents-council", "legal-advisor", "street-judicial-office"]

/**
 * Why a mediation step is refused, or `undefined` when allowed.
 *
 * @since 0.1.0
 * @category mediation
 */
export type MediationRefusal = "not-upward" | "no-session" | "no-outcome" | "outcome-recorded" | "group-size" | "no-escalate-outcome"

/**
 * Whether a session may be recorded: the current tier (the first one when
 * none is open) must have no outcome; a stakeholder group needs its size.
 *
 * @since 0.1.0
 * @category mediation
 */
export const checkSession = (
  rounds: ReadonlyArray<MediationRound>,
  participants: number,
  groupSize: { readonly min: number; readonly max: number }
): MediationRefusal | undefined => {
  const current = rounds[rounds.length - 1]
  if (current?.outcome !== undefined) return "outcome-recorded"
  const tier = current?.tier ?? "stakeholder-group"
  if (tier === "stakeholder-group" && (participants < groupSize.min || participants > groupSize.max)) return "group-size"
  return undefined
}

/**
 * Whether an outcome may be recorded: the current tier held a session and
 * has no outcome yet.
 *
 * @since 0.1.0
 * @category mediation
 */
export const checkOutcome = (rounds: ReadonlyArray<MediationRound>): MediationRefusal | undefined => {
  const current = rounds[rounds.length - 1]
  if (current === undefined || current.sessions.length === 0) return "no-session"
  return current.outcome === undefined ? undefined : "outcome-recorded"
}

/**
 * Whether a dispute may escalate to `to`: only after the current tier's
 * outcome was `escalate`, and only to a higher tier.
 *
 * @since 0.1.0
 * @category mediation
 */
export const checkEscalation = (rounds: ReadonlyArray<MediationRound>, to: MediationTier): MediationRefusal | undefined => {
  const current = rounds[rounds.length - 1]
  if (current === undefined || current.outcome === undefined) return "no-outcome"
  if (current.outcome.kind !== "escalate") return "no-escalate-outcome"
  return mediationTiers.indexOf(to) > mediationTiers.indexOf(current.tier) ? undefined : "not-upward"
}

// ---------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------

/**
 * What the reporter, followers and anyone else may see: public steps only,
 * no actor ids, no reporter identity or contact, no internal deadlines.
 *
 * @since 0.1.0
 * @category views
 */
export const publicView = (c: IssueCase): PublicCaseView => ({
  id: c.id,
  number: c.number,
  typeId: c.typeId,
  status: c.status,
  location: c.location,
  description: c.description,
  photos: c.photos,
  ...(c.lead === undefined ? {} : { lead: c.lead }),
  publicExpectedDate: c.publicExpectedDate,
  ...(c.closure === undefined ? {} : { resolution: c.closure.resolution }),
  followers: c.followers.length,
  ...(c.duplicateOf === undefined ? {} : { duplicateOf: c.duplicateOf }),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  timeline: c.timeline
    .filter((s) => s.visibility === "public")
    .map((s) => ({
      seq: s.seq,
      kind: s.kind,
      at: s.at,
      actorKind: s.actorKind,
      ...(s.department === undefined ? {} : { department: s.department }),
      ...(s.note === undefined ? {} : { note: s.note }),
      ...(s.media === undefined ? {} : { media: s.media })
    }))
})

/**
 * The reporter as a staff member may see it: masked phone always; nothing
 * at all for an anonymous case unless one of `identityRoles` is held.
 *
 * @since 0.1.0
 * @category views
 */
export const reporterFor = (c: Pick<IssueCase, "anonymous" | "reporter">, staffRoles: ReadonlyArray<string>, identityRoles: ReadonlyArray<string>): Reporter => {
  if (c.anonymous && !staffRoles.some((r) => identityRoles.includes(r))) return {}
  return c.reporter.phone === undefined ? c.reporter : { ...c.reporter, phone: maskPhone(c.reporter.phone) }
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

/**
 * A share: numerator, denominator and the rate (`undefined` when nothing counts).
 *
 * @since 0.1.0
 * @category figures
 */
export interface Share {
  readonly count: number
  readonly of: number
  readonly rate: number | undefined
}

const share = (count: number, of: number): Share => ({ count, of, rate: of === 0 ? undefined : count / of })

/**
 * Figures of one group of cases.
 *
 * @since 0.1.0
 * @category figures
 */
export interface CaseFigures {
  readonly key: string
  readonly cases: number
  /** Signed for (签收) among all cases: 响应率. */
  readonly response: Share
  /** Answered on time among cases answered or overdue (open overdue cases count as late): 按时办结率. */
  readonly onTime: Share
  /** Fixed among closed cases (duplicates and rejections left out): 解决率. */
  readonly resolution: Share
  /** Satisfied or basically satisfied among surveyed cases of types not excluded: 满意率. */
  readonly satisfaction: Share
}

/**
 * How the reporter rated a follow-up: satisfaction word, or a 1-5 score (4-5
 * satisfied, 3 basically satisfied, 1-2 dissatisfied).
 *
 * @since 0.1.0
 * @category figures
 */
export const satisfactionOf = (f: FollowUp): "satisfied" | "basically-satisfied" | "dissatisfied" | undefined =>
  f.satisfaction ?? (f.score === undefined ? undefined : f.score >= 4 ? "satisfied" : f.score === 3 ? "basically-satisfied" : "dissatisfied")

/**
 * Groups cases by department (lead), type, month (`YYYY-MM` of receipt in
 * `timeZone`) or not at all.
 *
 * @since 0.1.0
 * @category figures
 */
export type FigureGrouping = "department" | "type" | "month" | "all"

/**
 * Response, on-time, resolution and satisfaction figures per group, at `now`.
 *
 * @since 0.1.0
 * @category figures
 */
export const caseFigures = (
  cases: ReadonlyArray<IssueCase>,
  options: {
    readonly now: number
    readonly by: FigureGrouping
    readonly catalogue: Catalogue
    readonly timeZone?: string
  }
): ReadonlyArray<CaseFigures> => {
  const excluded = new Set(options.catalogue.types.filter((x) => x.excludedFromSatisfaction).map((x) => x.id as string))
  const keyOf = (c: IssueCase): string => {
    switch (options.by) {
      case "department":
        return c.lead ?? "unrouted"
      case "type":
        return c.typeId
      case "month":
        return toLocalDate(c.receivedAt, options.timeZone ?? "Asia/Shanghai").slice(0, 7)
      case "all":
        return "all"
    }
  }
  const groups = new Map<string, Array<IssueCase>>()
  for (const c of cases) {
    const k = keyOf(c)
    const g = groups.get(k)
    if (g === undefined) groups.set(k, [c])
    else g.push(c)
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => {
      let responded = 0
      let due = 0
      let onTime = 0
      let closed = 0
      let fixed = 0
      let surveyed = 0
      let satisfied = 0
      for (const c of group) {
        if (c.response.metAt !== undefined) responded++
        const r = c.resolution
        const skipped = c.closure?.resolution === "duplicate" || c.closure?.resolution === "rejected"
        if (!skipped) {
          if (r.metAt !== undefined) {
            due++
            if (r.metAt < r.dueAt) onTime++
          } else if (c.status !== "closed" && options.now >= r.dueAt) due++
          if (c.closure !== undefined) {
            closed++
            if (c.closure.resolution === "fixed") fixed++
          }
        }
        if (!excluded.has(c.typeId)) {
          const last = [...c.followUps].reverse().find((f) => f.reached && satisfactionOf(f) !== undefined)
          if (last !== undefined) {
            surveyed++
            if (satisfactionOf(last) !== "dissatisfied") satisfied++
          }
        }
      }
      return {
        key,
        cases: group.length,
        response: share(responded, group.length),
        onTime: share(onTime, due),
        resolution: share(fixed, closed),
        satisfaction: share(satisfied, surveyed)
      }
    })
}

/**
 * Dispute figures of one tier.
 *
 * @since 0.1.0
 * @category figures
 */
export interface TierFigures {
  readonly tier: MediationTier
  /** Disputes that reached the tier. */
  readonly reached: number
  readonly agreements: number
  readonly escalated: number
  readonly withdrawn: number
  /** Agreements among the tier's outcomes. */
  readonly resolution: Share
}

/**
 * Dispute resolution per tier of the ladder.
 *
 * @since 0.1.0
 * @category figures
 */
export const disputeFigures = (cases: ReadonlyArray<Pick<IssueCase, "mediation">>): ReadonlyArray<TierFigures> =>
  mediationTiers.map((tier) => {
    let reached = 0
    let agreements = 0
    let escalated = 0
    let withdrawn = 0
    for (const c of cases) {
      const round = c.mediation.find((r) => r.tier === tier)
      if (round === undefined) continue
      reached++
      if (round.outcome?.kind === "agreement") agreements++
      else if (round.outcome?.kind === "escalate") escalated++
      else if (round.outcome?.kind === "withdrawn") withdrawn++
    }
    return { tier, reached, agreements, escalated, withdrawn, resolution: share(agreements, agreements + escalated + withdrawn) }
  })

// ---------------------------------------------------------------------------
// Open311 GeoReport v2
// ---------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, "0")

/**
 * An instant as ISO 8601 with the zone's offset, e.g. `2026-10-09T10:00:00+08:00`.
 *
 * @since 0.1.0
 * @category open311
 */
export const isoInZone = (epochMillis: number, timeZone = "Asia/Shanghai"): string => {
  const date = toLocalDate(epochMillis, timeZone)
  const midnight = startOfLocalDay(date, timeZone)
  const asUtc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
  const offsetMin = Math.round((asUtc - midnight) / 60_000)
  const secs = Math.floor((epochMillis - midnight) / 1000)
  const sign = offsetMin < 0 ? "-" : "+"
  const abs = Math.abs(offsetMin)
  return `${date}T${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor((secs % 3600) / 60))}:${pad2(secs % 60)}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
}

/**
 * The catalogue as Open311 `services`.
 *
 * @since 0.1.0
 * @category open311
 */
export const open311Services = (catalogue: Catalogue, locale: "zh-CN" | "en" = "zh-CN"): ReadonlyArray<Open311Service> =>
  catalogue.types.map((x) => ({
    service_code: x.id,
    service_name: x.name[locale],
    description: x.description?.[locale] ?? x.name[locale],
    metadata: x.attributes.length > 0,
    type: "realtime" as const,
    keywords: x.keywords.join(","),
    group: x.group
  }))

/**
 * A case type as an Open311 service definition (booleans become a
 * `singlevaluelist` of `true`/`false`).
 *
 * @since 0.1.0
 * @category open311
 */
export const open311ServiceDefinition = (type: CaseType, locale: "zh-CN" | "en" = "zh-CN"): Open311ServiceDefinition => ({
  service_code: type.id,
  attributes: [...type.attributes]
    .sort((a, b) => a.order - b.order)
    .map((a): Open311Attribute => {
      const values =
        a.datatype === "boolean"
          ? [{ key: "true", name: locale === "en" ? "Yes" : "是" }, { key: "false", name: locale === "en" ? "No" : "否" }]
          : a.options?.map((o) => ({ key: o.key, name: o.name[locale] }))
      return {
        variable: true,
        code: a.code,
        datatype: a.datatype === "boolean" ? "singlevaluelist" : a.datatype,
        required: a.required,
        datatype_description: a.blocking === undefined ? "" : a.blocking.guidance[locale],
        order: a.order,
        description: a.label[locale],
        ...(values === undefined ? {} : { values })
      }
    })
})

/**
 * Options of {@link open311Request}.
 *
 * @since 0.1.0
 * @category open311
 */
export interface Open311RequestOptions {
  readonly locale?: "zh-CN" | "en"
  readonly timeZone?: string
  /** Department names by id, for `agency_responsible`. */
  readonly departments?: Readonly<Record<string, string>>
}

/**
 * A case as an Open311 `request`. Built from the public view only, so the
 * reporter's identity and contact can never leak into it.
 *
 * @since 0.1.0
 * @category open311
 */
export const open311Request = (c: IssueCase, catalogue: Catalogue, options: Open311RequestOptions = {}): Open311Request => {
  const v = publicView(c)
  const locale = options.locale ?? "zh-CN"
  const tz = options.timeZone ?? "Asia/Shanghai"
  const type = catalogue.types.find((x) => x.id === v.typeId)
  const lastNote = [...v.timeline].reverse().find((s) => s.note !== undefined)?.note
  const media = v.photos.find((p) => /^https?:\/\//.test(p.ref))?.ref ?? ""
  return {
    service_request_id: v.number,
    status: v.status === "closed" ? "closed" : "open",
    status_notes: lastNote ?? "",
    service_name: type?.name[locale] ?? v.typeId,
    service_code: v.typeId,
    description: v.description,
    agency_responsible: v.lead === undefined ? "" : options.departments?.[v.lead] ?? v.lead,
    service_notice: "",
    requested_datetime: isoInZone(v.createdAt, tz),
    updated_datetime: isoInZone(v.updatedAt, tz),
    expected_datetime: isoInZone(endOfLocalDay(v.publicExpectedDate, tz) - 1000, tz),
    address: v.location.address ?? "",
    address_id: v.location.buildingId ?? "",
    zipcode: "",
    ...(v.location.point === undefined ? {} : { lat: v.location.point.lat, long: v.location.point.lng }),
    media_url: media
  }
}

/**
 * A GeoReport `POST requests` payload as the fields of a report, or the
 * field problems. `address_id` is read as a building id. `media_url` is
 * returned apart: fetch, hash and attach it as a photo if wanted (a photo
 * needs its MIME type, size and SHA-256). Contact fields stay private.
 *
 * @since 0.1.0
 * @category open311
 */
export const fromOpen311Post = (
  payload: Open311PostPayload,
  catalogue: Catalogue
):
  | {
    readonly ok: true
    readonly report: {
      readonly typeId: string
      readonly location: Location
      readonly description: string
      readonly attributes: Readonly<Record<string, AttributeValue>>
      readonly contact: Omit<Reporter, "residentId">
    }
    readonly mediaUrl?: string
  }
  | { readonly ok: false; readonly issues: ReadonlyArray<FieldIssue> } => {
  const issues: Array<FieldIssue> = []
  const str = (key: string): string | undefined => {
    const v = payload[key]
    return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined
  }
  const coordinate = (key: string, limit: number): number | undefined => {
    const raw = payload[key]
    if (raw === undefined) return undefined
    const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN
    if (!Number.isFinite(n) || Math.abs(n) > limit) {
      issues.push(fieldIssue(key, "range", { "zh-CN": `须为 -${limit} 到 ${limit} 之间的数`, en: `expected a number between -${limit} and ${limit}` }))
      return undefined
    }
    return n
  }
  const serviceCode = str("service_code") ?? ""
  const type = catalogue.types.find((x) => x.id === serviceCode)
  if (type === undefined) issues.push(fieldIssue("service_code", "enum", { "zh-CN": "未知的服务类型", en: `unknown service ${serviceCode}` }))
  const lat = coordinate("lat", 90)
  const long = coordinate("long", 180)
  const attributes: Record<string, AttributeValue> = {}
  for (const [key, raw] of Object.entries(payload)) {
    const m = /^attribute\[([A-Za-z0-9_-]+)\](\[\])?$/.exec(key)
    if (m === null) continue
    const code = m[1]!
    const def = type?.attributes.find((a) => a.code === code)
    if (def === undefined) {
      issues.push(fieldIssue(key, "unexpected", { "zh-CN": "未知的属性", en: "unknown attribute" }))
      continue
    }
    const list = Array.isArray(raw) ? (raw as ReadonlyArray<string>) : [String(raw)]
    switch (def.datatype) {
      case "number": {
        const n = Number(list[0])
        if (list[0] === undefined || list[0].trim() === "" || !Number.isFinite(n)) issues.push(fieldIssue(key, "type", { "zh-CN": "须为数字", en: "expected a number" }))
        else attributes[code] = n
        break
      }
      case "boolean":
        if (list[0] === "true" || list[0] === "false") attributes[code] = list[0] === "true"
        else issues.push(fieldIssue(key, "type", { "zh-CN": "须为是或否", en: "expected true or false" }))
        break
      case "multivaluelist":
        attributes[code] = list
        break
      default:
        attributes[code] = list[0] ?? ""
    }
  }
  const hasPoint = lat !== undefined && long !== undefined
  const addressId = str("address_id")
  const buildingId = addressId !== undefined && /^[A-Za-z0-9_.:-]{1,64}$/.test(addressId) ? addressId : undefined
  if (!hasPoint && buildingId === undefined) issues.push(fieldIssue("lat", "required", { "zh-CN": "须提供位置（经纬度或地址编号）", en: "a location (lat/long or address_id) is required" }))
  const description = str("description")?.trim() ?? ""
  if (description === "") issues.push(fieldIssue("description", "required"))
  if (issues.length > 0 || type === undefined) return { ok: false, issues }
  const name = [str("last_name"), str("first_name")].filter((s) => s !== undefined && s !== "").join("")
  const address = str("address_string")
  const phone = str("phone")
  const email = str("email")
  const mediaUrl = str("media_url")
  const location = {
    ...(buildingId === undefined ? {} : { buildingId }),
    ...(hasPoint ? { point: { lat, lng: long } } : {}),
    ...(address === undefined ? {} : { address })
  } as Location
  return {
    ok: true,
    report: {
      typeId: type.id,
      location,
      description,
      attributes,
      contact: {
        ...(name === "" ? {} : { name }),
        ...(phone === undefined ? {} : { phone }),
        ...(email === undefined ? {} : { email })
      }
    },
    ...(mediaUrl === undefined ? {} : { mediaUrl })
  }
}

/**
 * A case number: year and running number, e.g. `2026-000123`.
 *
 * @since 0.1.0
 * @category numbers
 */
export const formatCaseNumber = (year: number, n: number, digits: number): string =>
  `${String(year).padStart(4, "0")}-${String(n).padStart(digits, "0")}`
