/**
 * Typed failures shared by every module. Each error is a `Schema.TaggedError`
 * with a stable `code` (safe to match on across versions) and a message in
 * zh-CN and en. Modules declare their own errors in their `errors.ts` the same way.
 *
 * @since 0.1.0
 */
import { type Cause, Effect, Option, ParseResult, Schema, SchemaAST } from "effect"

/**
 * A locale that Gongzhi ships message templates for.
 *
 * @since 0.1.0
 * @category i18n
 */
export const Locale = Schema.Literal("zh-CN", "en")
/**
 * @since 0.1.0
 * @category i18n
 */
export type Locale = typeof Locale.Type

/**
 * A text in every supported locale.
 *
 * @since 0.1.0
 * @category i18n
 */
export type LocalizedText = { readonly [L in Locale]: string }

/**
 * What every Gongzhi error offers besides its fields: a stable `code` and a
 * localized text.
 *
 * @since 0.1.0
 * @category errors
 */
export interface GongzhiError {
  readonly _tag: string
  readonly code: string
  readonly text: LocalizedText
  /** What kind of failure this is, for choosing a response (see {@link httpStatusOf}). */
  readonly kind: ErrorKind
}

/**
 * Whether a value is one of Gongzhi's typed errors.
 *
 * @since 0.1.0
 * @category errors
 */
export const isGongzhiError = (u: unknown): u is GongzhiError =>
  typeof u === "object" && u !== null && "_tag" in u && "code" in u && "text" in u &&
  typeof (u as { code: unknown }).code === "string"

/**
 * Renders an error for a user in the given locale.
 *
 * @since 0.1.0
 * @category i18n
 */
export const renderError = (error: GongzhiError, locale: Locale): string => error.text[locale]

/**
 * A plain JSON view of an error for an HTTP response or a log line:
 * `{ code, tag, kind, message: { "zh-CN", en }, details }` where `details` holds the
 * error's own fields (never phone or ID numbers: errors do not carry them).
 *
 * @since 0.1.0
 * @category errors
 */
export const describeError = (
  error: GongzhiError
): {
  readonly code: string
  readonly tag: string
  readonly kind: ErrorKind
  readonly message: LocalizedText
  readonly details: Readonly<Record<string, unknown>>
} => {
  const details: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    if (key === "_tag" || key === "code" || key === "kind" || key === "cause" || key === "stack" || key === "message") continue
    details[key] = value
  }
  return { code: error.code, tag: error._tag, kind: error.kind, message: error.text, details }
}

/**
 * What kind of failure an error is, so an adapter can choose a response
 * without knowing every module's codes: an HTTP service maps `invalid-input`
 * to 400, `forbidden` to 403, `not-found` to 404, `conflict` and
 * `precondition-failed` to 409, `unavailable` to 503.
 *
 * @since 0.2.0
 * @category errors
 */
export type ErrorKind = "invalid-input" | "forbidden" | "not-found" | "conflict" | "precondition-failed" | "unavailable"

/**
 * The HTTP status an adapter answers an error of this kind with:
 * `invalid-input` 400, `forbidden` 403, `not-found` 404, `conflict` and
 * `precondition-failed` 409, `unavailable` 503 (safe to retry).
 *
 * @example
 * const status = httpStatusOf(error.kind) // 409 for VotingAlreadyVoted
 *
 * @since 0.2.0
 * @category errors
 */
export const httpStatusOf = (kind: ErrorKind): 400 | 403 | 404 | 409 | 503 => {
  switch (kind) {
    case "invalid-input":
      return 400
    case "forbidden":
      return 403
    case "not-found":
      return 404
    case "conflict":
    case "precondition-failed":
      return 409
    case "unavailable":
      return 503
  }
}

/**
 * Declares a localized tagged error in one statement: its tag, its fields,
 * a stable `code`, its {@link ErrorKind} and its text in zh-CN and en.
 *
 * @example
 * export class DogNotRegistered extends GongzhiTaggedError<DogNotRegistered>()("DogNotRegistered", {
 *   dogId: Schema.String
 * }, {
 *   code: "PETCREDIT_DOG_NOT_REGISTERED",
 *   kind: "not-found",
 *   text: (e) => ({ "zh-CN": `犬只 ${e.dogId} 未登记`, en: `Dog ${e.dogId} is not registered` })
 * }) {}
 *
 * @since 0.2.0
 * @category errors
 */
export const GongzhiTaggedError =
  <Self = never>() =>
  <Tag extends string, Fields extends Schema.Struct.Fields>(
    tag: Tag,
    fields: Fields,
    spec: {
      readonly code: string
      readonly kind: ErrorKind
      readonly text: (error: Schema.Struct.Type<Fields>) => LocalizedText
    }
  ): GongzhiTaggedErrorClass<Self, Tag, Fields> => {
    // The `Self` check of `Schema.TaggedError` is enforced by our own return type.
    const Parent = Schema.TaggedError<Self>()(tag, fields) as unknown as new (...args: Array<any>) => object
    class Base extends Parent {
      readonly code: string = spec.code
      readonly kind: ErrorKind = spec.kind
      get text(): LocalizedText {
        return spec.text(this as unknown as Schema.Struct.Type<Fields>)
      }
      get message(): string {
        return this.text.en
      }
    }
    return Base as unknown as GongzhiTaggedErrorClass<Self, Tag, Fields>
  }

/**
 * The class {@link GongzhiTaggedError} returns: a `Schema.TaggedError` class
 * whose instances also carry `code`, `kind` and `text`.
 *
 * @since 0.2.0
 * @category errors
 */
export interface GongzhiTaggedErrorClass<Self, Tag extends string, Fields extends Schema.Struct.Fields>
  extends Schema.Class<
    Self,
    { readonly _tag: Schema.tag<Tag> } & Fields,
    Schema.Struct.Encoded<{ readonly _tag: Schema.tag<Tag> } & Fields>,
    Schema.Struct.Context<Fields>,
    Schema.Struct.Constructor<Omit<{ readonly _tag: Schema.tag<Tag> } & Fields, "_tag">>,
    {},
    Cause.YieldableError & {
      /** The stable code: safe to match on across versions. */
      readonly code: string
      /** What kind of failure this is (for HTTP status mapping and retries). */
      readonly kind: ErrorKind
      /** The message in every supported locale. */
      readonly text: LocalizedText
    }
  > {
  readonly _tag: Tag
}

/**
 * The stable code of one field problem in an {@link InvalidInput}, for a
 * front end to translate or to pick a hint: `required` (missing), `type`
 * (wrong type), `enum` (not one of the allowed values), `integer` (not a whole
 * number), `range` (a number out of bounds), `pattern` (wrong format),
 * `too-long` / `too-short` / `length` (text or list length), `unexpected` (a
 * field the command does not accept), `invalid` (any other rule of the
 * command, explained in `text`).
 *
 * @since 0.2.0
 * @category errors
 */
export const FieldProblem = Schema.Literal(
  "required",
  "type",
  "enum",
  "integer",
  "range",
  "pattern",
  "too-long",
  "too-short",
  "length",
  "unexpected",
  "invalid"
)
/**
 * @since 0.2.0
 * @category errors
 */
export type FieldProblem = typeof FieldProblem.Type

/**
 * One problem found while decoding a command's input. Never carries the
 * offending value (it may be a phone or ID number).
 *
 * @since 0.1.0
 * @category errors
 */
export const FieldIssue = Schema.Struct({
  /** Dotted path to the offending field, e.g. `choices.0.weight`; empty for the whole input. */
  path: Schema.String,
  /** The stable problem code (since 0.2.0). */
  problem: FieldProblem,
  /** The problem in English (the same as `text.en`). */
  message: Schema.String,
  /** The problem in every supported locale, without the path (since 0.2.0). */
  text: Schema.Struct({ "zh-CN": Schema.String, en: Schema.String })
})
/**
 * @since 0.1.0
 * @category errors
 */
export type FieldIssue = typeof FieldIssue.Type

const problemTexts: { readonly [P in FieldProblem]: (limit: number | undefined) => LocalizedText } = {
  required: () => ({ "zh-CN": "必填", en: "is required" }),
  type: () => ({ "zh-CN": "类型不正确", en: "has the wrong type" }),
  enum: () => ({ "zh-CN": "不是允许的取值", en: "is not one of the allowed values" }),
  integer: () => ({ "zh-CN": "须为整数", en: "must be a whole number" }),
  range: (n) =>
    n === undefined
      ? { "zh-CN": "超出允许范围", en: "is out of range" }
      : { "zh-CN": `超出允许范围（界限 ${n}）`, en: `is out of range (limit ${n})` },
  pattern: () => ({ "zh-CN": "格式不正确", en: "has the wrong format" }),
  "too-long": (n) =>
    n === undefined ? { "zh-CN": "过长", en: "is too long" } : { "zh-CN": `过长（最多 ${n}）`, en: `is too long (at most ${n})` },
  "too-short": (n) =>
    n === undefined ? { "zh-CN": "过短", en: "is too short" } : { "zh-CN": `过短（至少 ${n}）`, en: `is too short (at least ${n})` },
  length: (n) =>
    n === undefined ? { "zh-CN": "长度不正确", en: "has the wrong length" } : { "zh-CN": `长度须为 ${n}`, en: `must have length ${n}` },
  unexpected: () => ({ "zh-CN": "不是此操作接受的字段", en: "is not a field this command accepts" }),
  invalid: () => ({ "zh-CN": "不符合要求", en: "is not valid" })
}

/**
 * Builds a {@link FieldIssue}: with no `text`, the standard wording of the
 * problem; a command's own rule passes its own text in zh-CN and en.
 *
 * @example
 * fieldIssue("note", "required", { "zh-CN": "须填写备注或上传照片", en: "a note or media is required" })
 *
 * @since 0.2.0
 * @category errors
 */
export const fieldIssue = (path: string, problem: FieldProblem, text?: LocalizedText): FieldIssue => {
  const t = text ?? problemTexts[problem](undefined)
  return { path, problem, message: t.en, text: { "zh-CN": t["zh-CN"], en: t.en } }
}

const fieldLabel = (path: string) => (path === "" ? "input" : path)

/**
 * The command's input did not decode. Lists every field problem at once, each
 * with its path, a stable problem code and a text in zh-CN and en written by
 * Gongzhi (never the decoder's words, never the value).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends GongzhiTaggedError<InvalidInput>()("InvalidInput", {
  command: Schema.String,
  issues: Schema.Array(FieldIssue)
}, {
  code: "INVALID_INPUT",
  kind: "invalid-input",
  text: (e) => ({
    "zh-CN": `输入无效（${e.command}）：${e.issues.map((i) => (i.path === "" ? `输入${i.text["zh-CN"]}` : `${i.path}：${i.text["zh-CN"]}`)).join("；")}`,
    en: `Invalid input for ${e.command}: ${e.issues.map((i) => `${fieldLabel(i.path)} ${i.text.en}`).join("; ")}`
  })
}) {}

/**
 * The actor may not run this command in this community. Nothing was changed.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends GongzhiTaggedError<Forbidden>()("Forbidden", {
  command: Schema.String,
  reason: Schema.Literal("role", "tenant", "not-self", "not-allowed")
}, {
  code: "FORBIDDEN",
  kind: "forbidden",
  text: (e) => {
    const why = {
      role: { "zh-CN": "缺少所需角色", en: "a required role is missing" },
      tenant: { "zh-CN": "不能访问其他社区的数据", en: "another community's data is out of reach" },
      "not-self": { "zh-CN": "只能为本人操作", en: "residents may only act for themselves" },
      "not-allowed": { "zh-CN": "该身份不可执行此操作", en: "this kind of actor may not do this" }
    }[e.reason]
    return {
      "zh-CN": `无权执行 ${e.command}：${why["zh-CN"]}`,
      en: `Not allowed to run ${e.command}: ${why.en}`
    }
  }
}) {}

const entityTitleTable = new Map<string, LocalizedText>([
  ["Account", { "zh-CN": "账户", en: "Account" }],
  ["Community", { "zh-CN": "社区", en: "Community" }],
  ["Household", { "zh-CN": "住户", en: "Household" }],
  ["Resident", { "zh-CN": "居民", en: "Resident" }],
  ["Staff", { "zh-CN": "工作人员", en: "Staff" }],
  ["Journal", { "zh-CN": "社区日志", en: "Journal" }],
  ["LedgerTransaction", { "zh-CN": "账务交易", en: "Ledger transaction" }],
  ["Reversible transaction", { "zh-CN": "可冲正的交易", en: "Reversible transaction" }],
  ["Reversal", { "zh-CN": "冲正交易", en: "Reversal" }]
])

/**
 * Registers the display names of a module's entities in zh-CN and en, used
 * by {@link NotFound}, {@link AlreadyExists} and {@link Conflict} messages
 * (`未找到提案（p-1）`). A module calls it once in its `errors.ts` with the
 * names it passes as `entity`; an unregistered name is shown as it is.
 *
 * @since 0.2.0
 * @category i18n
 */
export const registerEntityTitles = (titles: Readonly<Record<string, LocalizedText>>): void => {
  for (const [name, title] of Object.entries(titles)) entityTitleTable.set(name, title)
}

/**
 * The display name of an entity in a locale (the name itself when none is registered).
 *
 * @since 0.2.0
 * @category i18n
 */
export const entityTitle = (entity: string, locale: Locale): string => {
  const exact = entityTitleTable.get(entity)
  if (exact !== undefined) return exact[locale]
  // `Account in points`, `Award idempotency key`: title the leading name, keep the rest.
  const [head, ...rest] = entity.split(" ")
  const title = head === undefined ? undefined : entityTitleTable.get(head)
  if (title === undefined || locale === "en") return entity
  const tail = rest.join(" ")
  const suffixes: Record<string, string> = { "idempotency key": "幂等键" }
  return suffixes[tail] !== undefined ? `${title[locale]}${suffixes[tail]}` : title[locale]
}

/**
 * A record the command needs does not exist in this community.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends GongzhiTaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  id: Schema.String
}, {
  code: "NOT_FOUND",
  kind: "not-found",
  text: (e) => ({ "zh-CN": `未找到${entityTitle(e.entity, "zh-CN")}（${e.id}）`, en: `${entityTitle(e.entity, "en")} ${e.id} not found` })
}) {}

/**
 * The storage behind a port could not be reached or timed out. The command was
 * not applied; it is safe to retry with the same idempotency key.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreUnavailable extends GongzhiTaggedError<StoreUnavailable>()("StoreUnavailable", {
  operation: Schema.String,
  cause: Schema.Defect
}, {
  code: "STORE_UNAVAILABLE",
  kind: "unavailable",
  text: (e) => ({
    "zh-CN": `存储暂不可用（${e.operation}），操作未生效，请稍后重试`,
    en: `Storage unavailable during ${e.operation}; nothing was changed, try again later`
  })
}) {}

/**
 * A write lost a race with another write (for example a concurrent
 * transaction changed the same record). Nothing was changed; retrying is safe.
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends GongzhiTaggedError<Conflict>()("Conflict", {
  entity: Schema.String,
  id: Schema.String,
  detail: Schema.String
}, {
  code: "CONFLICT",
  kind: "conflict",
  // `detail` is a technical note for logs (English); the user's text does not repeat it in zh-CN.
  text: (e) => ({
    "zh-CN": `${entityTitle(e.entity, "zh-CN")}（${e.id}）已被并发修改，请重试`,
    en: `${entityTitle(e.entity, "en")} ${e.id} was changed concurrently: ${e.detail}`
  })
}) {}

/**
 * An idempotency key was reused with a different payload.
 *
 * @since 0.1.0
 * @category errors
 */
export class IdempotencyKeyReused extends GongzhiTaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  key: Schema.String
}, {
  code: "IDEMPOTENCY_KEY_REUSED",
  kind: "conflict",
  text: (e) => ({
    "zh-CN": `幂等键 ${e.key} 已用于另一项不同的请求`,
    en: `Idempotency key ${e.key} was already used for a different request`
  })
}) {}

/**
 * A date lies outside the years for which official holiday data is published,
 * so working days cannot be counted reliably.
 *
 * @since 0.1.0
 * @category errors
 */
export class CalendarOutOfRange extends GongzhiTaggedError<CalendarOutOfRange>()("CalendarOutOfRange", {
  date: Schema.String,
  firstYear: Schema.Int,
  lastYear: Schema.Int
}, {
  code: "CALENDAR_OUT_OF_RANGE",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `日期 ${e.date} 超出已发布的节假日数据范围（${e.firstYear}–${e.lastYear}年），无法计算工作日`,
    en: `Date ${e.date} is outside the published holiday data (${e.firstYear}-${e.lastYear}); working days cannot be counted`
  })
}) {}

/** The JSON Schema annotation of a refinement (`{ maxLength: 200 }`), for the limit it states. */
const limitOf = (ast: SchemaAST.AST): number | undefined => {
  const js = SchemaAST.getJSONSchemaAnnotation(ast)
  if (Option.isNone(js)) return undefined
  const o = js.value as Record<string, unknown>
  for (const key of ["maxLength", "minLength", "maxItems", "minItems", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"]) {
    if (typeof o[key] === "number") return o[key] as number
  }
  return undefined
}

const refinementProblems = new Map<symbol, FieldProblem>([
  [Schema.MaxLengthSchemaId, "too-long"],
  [Schema.MaxItemsSchemaId, "too-long"],
  [Schema.MinLengthSchemaId, "too-short"],
  [Schema.MinItemsSchemaId, "too-short"],
  [Schema.LengthSchemaId, "length"],
  [Schema.ItemsCountSchemaId, "length"],
  [Schema.PatternSchemaId, "pattern"],
  [Schema.StartsWithSchemaId, "pattern"],
  [Schema.EndsWithSchemaId, "pattern"],
  [Schema.IncludesSchemaId, "pattern"],
  [Schema.TrimmedSchemaId, "pattern"],
  [Schema.LowercasedSchemaId, "pattern"],
  [Schema.UppercasedSchemaId, "pattern"],
  [Schema.UUIDSchemaId, "pattern"],
  [Schema.ULIDSchemaId, "pattern"],
  [Schema.IntSchemaId, "integer"],
  [Schema.FiniteSchemaId, "range"],
  [Schema.NonNaNSchemaId, "type"],
  [Schema.GreaterThanSchemaId, "range"],
  [Schema.GreaterThanOrEqualToSchemaId, "range"],
  [Schema.LessThanSchemaId, "range"],
  [Schema.LessThanOrEqualToSchemaId, "range"],
  [Schema.BetweenSchemaId, "range"],
  [Schema.MultipleOfSchemaId, "range"]
])

const refinementProblem = (ast: SchemaAST.AST): FieldProblem => {
  const id = SchemaAST.getSchemaIdAnnotation(ast)
  if (Option.isSome(id) && typeof id.value === "symbol") return refinementProblems.get(id.value) ?? "invalid"
  return "invalid"
}

const isLiteralLike = (ast: SchemaAST.AST): boolean =>
  SchemaAST.isLiteral(ast) || SchemaAST.isUniqueSymbol(ast) || SchemaAST.isEnums(ast) || SchemaAST.isTemplateLiteral(ast) ||
  (SchemaAST.isUnion(ast) && ast.types.every(isLiteralLike))

const typeProblem = (ast: SchemaAST.AST): FieldProblem => (isLiteralLike(ast) ? "enum" : "type")

/**
 * Walks a decoder's issue tree into field issues with our own codes and
 * texts. `refined` carries the problem of an enclosing failed refinement,
 * whose own sub-issues (a filter returning several issues) keep their paths.
 */
const collectIssues = (
  issue: ParseResult.ParseIssue,
  path: ReadonlyArray<PropertyKey>,
  refined: { readonly problem: FieldProblem; readonly limit: number | undefined } | undefined,
  out: Array<FieldIssue>
): void => {
  const push = (problem: FieldProblem, limit: number | undefined, en?: string) => {
    const standard = problemTexts[problem](limit)
    const t = en === undefined ? standard : { "zh-CN": standard["zh-CN"], en }
    out.push({ path: path.map(String).join("."), problem, message: t.en, text: t })
  }
  switch (issue._tag) {
    case "Pointer": {
      const more = Array.isArray(issue.path) ? issue.path : [issue.path]
      return collectIssues(issue.issue, [...path, ...more], refined, out)
    }
    case "Composite": {
      const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues]
      for (const i of issues as ReadonlyArray<ParseResult.ParseIssue>) collectIssues(i, path, refined, out)
      return
    }
    case "Refinement":
      if (issue.kind === "From") return collectIssues(issue.issue, path, refined, out)
      return collectIssues(issue.issue, path, { problem: refinementProblem(issue.ast), limit: limitOf(issue.ast) }, out)
    case "Transformation":
      return collectIssues(issue.issue, path, refined, out)
    case "Missing":
      return push("required", undefined)
    case "Unexpected":
      return push("unexpected", undefined)
    case "Type":
      if (refined === undefined) return push(typeProblem(issue.ast), undefined)
      // A command's own rule (`Schema.filter` with a message we wrote) keeps its English
      // explanation; zh-CN gets the standard wording of the problem.
      return push(refined.problem, refined.limit, refined.problem === "invalid" ? issue.message : undefined)
    case "Forbidden":
      return push("invalid", undefined)
  }
}

const formatIssues = (error: ParseResult.ParseError): ReadonlyArray<FieldIssue> => {
  const out: Array<FieldIssue> = []
  collectIssues(error.issue, [], undefined, out)
  // One entry per path and problem: a union's members may report the same field twice.
  const seen = new Set<string>()
  return out.filter((i) => {
    const key = `${i.path}\u0000${i.problem}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Decodes a command's raw input with its schema, collecting every problem
 * into one {@link InvalidInput}.
 *
 * @since 0.1.0
 * @category errors
 */
export const decodeInput = <A, I>(command: string, schema: Schema.Schema<A, I, never>) => {
  const decode = Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "error" })
  return (input: unknown): Effect.Effect<A, InvalidInput> =>
    Effect.suspend(() => decode(input)).pipe(
      Effect.mapError((error) => new InvalidInput({ command, issues: formatIssues(error) })),
      // A value the decoder cannot even inspect (a null-prototype object where a
      // union looks for its discriminator, a throwing getter or proxy) makes it
      // throw: that is still bad input, never a defect.
      Effect.catchAllDefect(() =>
        Effect.fail(new InvalidInput({ command, issues: [fieldIssue("", "invalid", { "zh-CN": "无法读取输入", en: "the input could not be read" })] }))
      )
    )
}

/**
 * A notification could not be delivered by its channel.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotificationFailed extends GongzhiTaggedError<NotificationFailed>()("NotificationFailed", {
  channel: Schema.String,
  reason: Schema.String,
  /** Whether sending again may succeed (rate limit, timeout) or not (unknown number). */
  retryable: Schema.Boolean
}, {
  code: "NOTIFICATION_FAILED",
  kind: "unavailable",
  // `reason` is the provider's technical note (English, for logs); the zh-CN text does not repeat it.
  text: (e) => ({
    "zh-CN": `通知发送失败（${e.channel}）${e.retryable ? "，可稍后重试" : ""}`,
    en: `Notification via ${e.channel} failed: ${e.reason}`
  })
}) {}

/**
 * A ledger posting would take an account below its floor.
 *
 * @since 0.1.0
 * @category errors
 */
export class InsufficientBalance extends GongzhiTaggedError<InsufficientBalance>()("InsufficientBalance", {
  accountId: Schema.String,
  balance: Schema.Int,
  floor: Schema.Int,
  amount: Schema.Int
}, {
  code: "INSUFFICIENT_BALANCE",
  kind: "precondition-failed",
  text: (e) => ({
    "zh-CN": `账户 ${e.accountId} 余额不足：当前 ${e.balance}，变动 ${e.amount}，下限 ${e.floor}`,
    en: `Account ${e.accountId} has too little: balance ${e.balance}, change ${e.amount}, floor ${e.floor}`
  })
}) {}

/**
 * A record with this id already exists.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyExists extends GongzhiTaggedError<AlreadyExists>()("AlreadyExists", {
  entity: Schema.String,
  id: Schema.String
}, {
  code: "ALREADY_EXISTS",
  kind: "conflict",
  text: (e) => ({ "zh-CN": `${entityTitle(e.entity, "zh-CN")}（${e.id}）已存在`, en: `${entityTitle(e.entity, "en")} ${e.id} already exists` })
}) {}
