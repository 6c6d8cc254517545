/**
 * Typed failures shared by every module. Each error is a `Schema.TaggedError`
 * with a stable `code` (safe to match on across versions) and a message in
 * zh-CN and en. Modules declare their own errors in their `errors.ts` the same way.
 *
 * @since 0.1.0
 */
import { type Cause, Effect, ParseResult, Schema } from "effect"

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
  /** What kind of failure this is (every error declared with {@link GongzhiTaggedError} has one). */
  readonly kind?: ErrorKind
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
 * `{ code, tag, message: { "zh-CN", en }, details }` where `details` holds the
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
  readonly message: LocalizedText
  readonly details: Readonly<Record<string, unknown>>
} => {
  const details: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    if (key === "_tag" || key === "code" || key === "cause" || key === "stack" || key === "message") continue
    details[key] = value
  }
  return { code: error.code, tag: error._tag, message: error.text, details }
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
 * One problem found while decoding a command's input.
 *
 * @since 0.1.0
 * @category errors
 */
export const FieldIssue = Schema.Struct({
  /** Dotted path to the offending field, e.g. `choices.0.weight`; empty for the whole input. */
  path: Schema.String,
  message: Schema.String
})
/**
 * @since 0.1.0
 * @category errors
 */
export type FieldIssue = typeof FieldIssue.Type

/**
 * The command's input did not decode. Lists every field problem at once.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  command: Schema.String,
  issues: Schema.Array(FieldIssue)
}) {
  /** @since 0.1.0 */
  readonly code = "INVALID_INPUT"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const list = this.issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; ")
    return {
      "zh-CN": `输入无效（${this.command}）：${list}`,
      en: `Invalid input for ${this.command}: ${list}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The actor may not run this command in this community. Nothing was changed.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  command: Schema.String,
  reason: Schema.Literal("role", "tenant", "not-self", "not-allowed")
}) {
  /** @since 0.1.0 */
  readonly code = "FORBIDDEN"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    const why = {
      role: { "zh-CN": "缺少所需角色", en: "a required role is missing" },
      tenant: { "zh-CN": "不能访问其他社区的数据", en: "another community's data is out of reach" },
      "not-self": { "zh-CN": "只能为本人操作", en: "residents may only act for themselves" },
      "not-allowed": { "zh-CN": "该身份不可执行此操作", en: "this kind of actor may not do this" }
    }[this.reason]
    return {
      "zh-CN": `无权执行 ${this.command}：${why["zh-CN"]}`,
      en: `Not allowed to run ${this.command}: ${why.en}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A record the command needs does not exist in this community.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  id: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "NOT_FOUND"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return { "zh-CN": `未找到${this.entity}（${this.id}）`, en: `${this.entity} ${this.id} not found` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * The storage behind a port could not be reached or timed out. The command was
 * not applied; it is safe to retry with the same idempotency key.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  operation: Schema.String,
  cause: Schema.Defect
}) {
  /** @since 0.1.0 */
  readonly code = "STORE_UNAVAILABLE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `存储暂不可用（${this.operation}），操作未生效，请稍后重试`,
      en: `Storage unavailable during ${this.operation}; nothing was changed, try again later`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A write lost a race with another write (for example a concurrent
 * transaction changed the same record). Nothing was changed; retrying is safe.
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  entity: Schema.String,
  id: Schema.String,
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "CONFLICT"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `${this.entity}（${this.id}）已被并发修改：${this.detail}`,
      en: `${this.entity} ${this.id} was changed concurrently: ${this.detail}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * An idempotency key was reused with a different payload.
 *
 * @since 0.1.0
 * @category errors
 */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  key: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "IDEMPOTENCY_KEY_REUSED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `幂等键 ${this.key} 已用于另一项不同的请求`,
      en: `Idempotency key ${this.key} was already used for a different request`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A date lies outside the years for which official holiday data is published,
 * so working days cannot be counted reliably.
 *
 * @since 0.1.0
 * @category errors
 */
export class CalendarOutOfRange extends Schema.TaggedError<CalendarOutOfRange>()("CalendarOutOfRange", {
  date: Schema.String,
  firstYear: Schema.Int,
  lastYear: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "CALENDAR_OUT_OF_RANGE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `日期 ${this.date} 超出已发布的节假日数据范围（${this.firstYear}–${this.lastYear}年），无法计算工作日`,
      en: `Date ${this.date} is outside the published holiday data (${this.firstYear}-${this.lastYear}); working days cannot be counted`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

const formatIssues = (error: ParseResult.ParseError): ReadonlyArray<FieldIssue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: issue.path.map(String).join("."),
    // Never echo the offending value: it may be a phone or ID number.
    message: issue.message.replace(/, actual [\s\S]*$/, "")
  }))

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
        Effect.fail(new InvalidInput({ command, issues: [{ path: "", message: "the input could not be read" }] }))
      )
    )
}

/**
 * A notification could not be delivered by its channel.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotificationFailed extends Schema.TaggedError<NotificationFailed>()("NotificationFailed", {
  channel: Schema.String,
  reason: Schema.String,
  /** Whether sending again may succeed (rate limit, timeout) or not (unknown number). */
  retryable: Schema.Boolean
}) {
  /** @since 0.1.0 */
  readonly code = "NOTIFICATION_FAILED"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `通知发送失败（${this.channel}）：${this.reason}`,
      en: `Notification via ${this.channel} failed: ${this.reason}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A ledger posting would take an account below its floor.
 *
 * @since 0.1.0
 * @category errors
 */
export class InsufficientBalance extends Schema.TaggedError<InsufficientBalance>()("InsufficientBalance", {
  accountId: Schema.String,
  balance: Schema.Int,
  floor: Schema.Int,
  amount: Schema.Int
}) {
  /** @since 0.1.0 */
  readonly code = "INSUFFICIENT_BALANCE"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return {
      "zh-CN": `账户 ${this.accountId} 余额不足：当前 ${this.balance}，变动 ${this.amount}，下限 ${this.floor}`,
      en: `Account ${this.accountId} has too little: balance ${this.balance}, change ${this.amount}, floor ${this.floor}`
    }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}

/**
 * A record with this id already exists.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyExists extends Schema.TaggedError<AlreadyExists>()("AlreadyExists", {
  entity: Schema.String,
  id: Schema.String
}) {
  /** @since 0.1.0 */
  readonly code = "ALREADY_EXISTS"
  /** @since 0.1.0 */
  get text(): LocalizedText {
    return { "zh-CN": `${this.entity}（${this.id}）已存在`, en: `${this.entity} ${this.id} already exists` }
  }
  /** @since 0.1.0 */
  override get message(): string {
    return this.text.en
  }
}
