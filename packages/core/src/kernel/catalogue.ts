/**
 * The command catalogue's building blocks: one {@link CatalogueEntry} per
 * public command or query (its span name, module, permission, input and
 * result schemas, error classes, appended events, zh-CN/en title and
 * description, and the function itself), JSON Schema 2020-12 export and the
 * reference documents generated from it. Each module declares its own
 * entries with {@link catalogueBuilder}; the library composes them in
 * `commandCatalogue` (outside the kernel, which names no module).
 *
 * The builder checks at compile time that an entry's error list is exactly
 * the error channel of its function, that its result schema describes what
 * the function returns, and that its events are tags of the module's event
 * union.
 *
 * @since 0.2.0
 */
import { Effect, JSONSchema, Schema, SchemaAST } from "effect"
import { type Actor, type PermissionRule, type PermissionTable } from "./actor.js"
import { decodeInput, type InvalidInput, type LocalizedText } from "./errors.js"

/**
 * An error class as the catalogue lists it: a constructor whose instances
 * carry a `_tag` and a stable `code`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export type ErrorClass<Tag extends string = string> = abstract new (...args: any) => {
  readonly _tag: Tag
  readonly code: string
}

/**
 * A field's title and, where it needs explaining, description, in zh-CN and en.
 *
 * @since 0.2.0
 * @category catalogue
 */
export interface FieldDoc {
  readonly title: LocalizedText
  readonly description?: LocalizedText
}

/**
 * A module's field glossary: field name to its {@link FieldDoc}. The JSON
 * Schemas of the module's inputs, results and events carry these on every
 * property of that name (`title` and `description` in English, both locales
 * under `x-i18n`).
 *
 * @since 0.2.0
 * @category catalogue
 */
export type FieldGlossary = Readonly<Record<string, FieldDoc>>

/**
 * Fields every module shares.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const commonFields: FieldGlossary = {
  communityId: { title: { "zh-CN": "社区编号", en: "Community id" } },
  residentId: { title: { "zh-CN": "居民编号", en: "Resident id" } },
  residentIds: { title: { "zh-CN": "居民编号列表", en: "Resident ids" }, description: { "zh-CN": "最多 1000 个；重复的只算一次。", en: "At most 1,000; duplicates count once." } },
  accountId: { title: { "zh-CN": "账户编号", en: "Account id" } },
  accountIds: { title: { "zh-CN": "账户编号列表", en: "Account ids" }, description: { "zh-CN": "最多 1000 个。", en: "At most 1,000." } },
  idempotencyKey: {
    title: { "zh-CN": "幂等键", en: "Idempotency key" },
    description: {
      "zh-CN": "调用方生成的唯一键：用同一键重试会返回第一次的结果，而不会重复执行。",
      en: "A unique key chosen by the caller: a retry with the same key returns the first result instead of running twice."
    }
  },
  by: { title: { "zh-CN": "操作者", en: "Actor" }, description: { "zh-CN": "执行操作者的引用，如 staff:s-1。", en: "Who did it, e.g. staff:s-1." } },
  reason: { title: { "zh-CN": "理由", en: "Reason" } },
  note: { title: { "zh-CN": "备注", en: "Note" } },
  memo: { title: { "zh-CN": "摘要", en: "Memo" } },
  createdAt: { title: { "zh-CN": "创建时间", en: "Created at" }, description: { "zh-CN": "自 1970-01-01 UTC 起的毫秒数。", en: "Milliseconds since 1970-01-01 UTC." } },
  updatedAt: { title: { "zh-CN": "更新时间", en: "Updated at" }, description: { "zh-CN": "自 1970-01-01 UTC 起的毫秒数。", en: "Milliseconds since 1970-01-01 UTC." } },
  version: { title: { "zh-CN": "版本号", en: "Version" }, description: { "zh-CN": "新建为 1，每次修改加 1（乐观并发）。", en: "1 when created, +1 on every change (optimistic concurrency)." } },
  year: { title: { "zh-CN": "年份", en: "Year" } },
  unit: { title: { "zh-CN": "计量单位", en: "Unit" }, description: { "zh-CN": "fen（分）、points（积分）或 centi-hours（百分之一小时）。", en: "fen, points or centi-hours (1.5 h = 150)." } },
  balance: { title: { "zh-CN": "余额", en: "Balance" }, description: { "zh-CN": "整数，单位见账户的 unit。", en: "An integer in the account's unit." } },
  floor: { title: { "zh-CN": "余额下限", en: "Floor" }, description: { "zh-CN": "余额不得低于此值；缺省表示不设下限。", en: "The balance never goes below it; absent means no floor." } },
  centiHours: { title: { "zh-CN": "时长（百分之一小时）", en: "Centi-hours" }, description: { "zh-CN": "1.5 小时记为 150。", en: "1.5 hours is 150." } },
  points: { title: { "zh-CN": "积分", en: "Points" } },
  txId: { title: { "zh-CN": "交易编号", en: "Transaction id" } },
  postings: {
    title: { "zh-CN": "分录", en: "Postings" },
    description: { "zh-CN": "2 至 100 条，金额之和必须为零，每个账户只出现一次。", en: "2 to 100 lines whose amounts sum to zero, each account at most once." }
  },
  amount: { title: { "zh-CN": "金额", en: "Amount" }, description: { "zh-CN": "带符号整数，不得为零。", en: "A signed integer, never zero." } },
  kind: { title: { "zh-CN": "类别", en: "Kind" } }
}

/**
 * One public command or query.
 *
 * @since 0.2.0
 * @category catalogue
 */
export interface CatalogueEntry<A = unknown, E = unknown, R = unknown> {
  /** The span name of the function (`Effect.fn`), e.g. `voting.castBallot`. */
  readonly name: string
  /** The module that owns it (`ledger`, `voting`, ...). */
  readonly module: string
  /** `command` changes state (and appends events); `query` only reads. */
  readonly kind: "command" | "query"
  /** The key of the module's permission table that decides who may call it. */
  readonly permission: string
  /** The permission rule: residents, staff roles, the system actor. */
  readonly access: PermissionRule
  readonly title: LocalizedText
  readonly description: LocalizedText
  /** The input schema; its encoded side is what a caller sends. */
  readonly input: Schema.Schema<any, any, never>
  /** The result schema; encode a result with it before sending it as JSON. */
  readonly result: Schema.Schema<any, any, never>
  /** Every error the function can fail with. */
  readonly errors: ReadonlyArray<ErrorClass>
  /** The `_tag`s of the journal events it may append. */
  readonly events: ReadonlyArray<string>
  /** The module's event union (for the events' payload schemas). */
  readonly eventSchema: Schema.Schema<any, any, never>
  /** The module's field glossary (with {@link commonFields}). */
  readonly fields: FieldGlossary
  /** Runs the function with an unknown (not yet decoded) input. */
  readonly run: (actor: Actor, input: unknown) => Effect.Effect<A, E, R>
}

/**
 * Runs a catalogue entry: decodes `input` with the entry's input schema (a
 * bad input fails with `InvalidInput` and changes nothing), then calls the
 * command or query as `actor`. An HTTP layer dispatches by name with it.
 *
 * @example
 * const entry = commandCatalogue.find((e) => e.name === "voting.castBallot")!
 * const receipt = yield* invoke(entry, actor, body)
 *
 * @since 0.2.0
 * @category catalogue
 */
export const invoke = <A, E, R>(entry: CatalogueEntry<A, E, R>, actor: Actor, input: unknown): Effect.Effect<A, E, R> =>
  entry.run(actor, input)

type TagsOf<Es extends ReadonlyArray<ErrorClass>> = InstanceType<Es[number]>["_tag"]
type TagOf<E> = E extends { readonly _tag: infer T extends string } ? T : never

/** The error list must name every error of the function: a missing one shows up here. */
type ExactErrors<E, Es extends ReadonlyArray<ErrorClass>> = [Exclude<TagOf<E>, TagsOf<Es>>] extends [never] ? unknown
  : { readonly "errors missing from the list": Exclude<TagOf<E>, TagsOf<Es>> }

/** The result schema must describe the function's success value. */
type MatchingResult<A, RA> = [A] extends [RA] ? unknown : { readonly "result schema does not describe": A }

interface EntrySpec<P extends string, EventTag extends string> {
  /** The span name of the function. */
  readonly name: string
  readonly permission: P
  readonly title: LocalizedText
  readonly description: LocalizedText
  readonly events: ReadonlyArray<EventTag>
}

/**
 * The entry builder of one module: `command` for a function that takes
 * `(actor, input)` and decodes the input itself; `query(input, call)(spec)`
 * for a function with positional parameters, called through `call` after
 * the catalogue decoded the input (a bad input fails with `InvalidInput`
 * under the entry's name). `query` is curried so that TypeScript infers the
 * function's result and errors before it checks the spec against them.
 *
 * @since 0.2.0
 * @category catalogue
 */
export interface CatalogueBuilder<P extends string, EventTag extends string> {
  readonly command: <
    A,
    E,
    R,
    RA,
    RI,
    const Es extends ReadonlyArray<ErrorClass<TagOf<E>>>
  >(
    spec: EntrySpec<P, EventTag> & {
      readonly input: Schema.Schema<any, any, never>
      readonly result: Schema.Schema<RA, RI, never> & MatchingResult<A, RA>
      readonly errors: Es & ExactErrors<E, Es>
      readonly command: (actor: Actor, input: any) => Effect.Effect<A, E, R>
    }
  ) => CatalogueEntry<A, E, R>
  readonly query: <IA, II, A, E, R>(
    input: Schema.Schema<IA, II, never>,
    call: (actor: Actor, input: IA) => Effect.Effect<A, E, R>
  ) => <RA, RI, const Es extends ReadonlyArray<ErrorClass<TagOf<E | InvalidInput>>>>(
    spec: EntrySpec<P, EventTag> & {
      readonly result: Schema.Schema<RA, RI, never> & MatchingResult<A, RA>
      readonly errors: Es & ExactErrors<E | InvalidInput, Es>
    }
  ) => CatalogueEntry<A, E | InvalidInput, R>
}

/**
 * Creates a module's entry builder over its permission table and event union.
 *
 * @example
 * const entry = catalogueBuilder("voting", votingPermissions, VotingEvent)
 * export const votingCommands = catalogueEntries(
 *   entry.command({
 *     name: "voting.castBallot", permission: "voting.castBallot",
 *     title: { "zh-CN": "投票", en: "Cast a ballot" }, description: { ... },
 *     input: CastBallotInput, result: CastBallotResult,
 *     errors: [InvalidInput, Forbidden, ...], events: ["VotingBallotCast"],
 *     command: castBallot
 *   })
 * )
 *
 * @since 0.2.0
 * @category catalogue
 */
export const catalogueBuilder = <P extends string, Ev extends { readonly _tag: string }>(
  module: string,
  permissions: PermissionTable<P>,
  eventSchema: Schema.Schema<Ev, any, never>,
  fields: FieldGlossary = {}
): CatalogueBuilder<P, Ev["_tag"]> => {
  const glossary = { ...commonFields, ...fields }
  const base = (spec: EntrySpec<P, string>) => ({
    name: spec.name,
    module,
    permission: spec.permission,
    access: permissions[spec.permission],
    title: spec.title,
    description: spec.description,
    events: spec.events,
    eventSchema,
    fields: glossary
  })
  return {
    command: (spec) => ({
      ...base(spec),
      kind: spec.events.length > 0 ? "command" : "query",
      input: spec.input,
      result: spec.result as Schema.Schema<any, any, never>,
      errors: spec.errors,
      run: (actor, input) => spec.command(actor, input)
    }),
    query: (input, call) => (spec) => {
      const decode = decodeInput(spec.name, input)
      return {
        ...base(spec),
        kind: spec.events.length > 0 ? "command" : "query",
        input,
        result: spec.result as Schema.Schema<any, any, never>,
        errors: spec.errors,
        run: (actor, raw) => Effect.flatMap(decode(raw), (decoded) => call(actor, decoded))
      }
    }
  } as CatalogueBuilder<P, Ev["_tag"]>
}

/**
 * Collects a module's entries into one list typed by the union of their
 * errors and requirements.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const catalogueEntries = <Es extends ReadonlyArray<CatalogueEntry<any, any, any>>>(
  ...entries: Es
): ReadonlyArray<
  CatalogueEntry<
    unknown,
    Es[number] extends CatalogueEntry<any, infer E, any> ? E : never,
    Es[number] extends CatalogueEntry<any, any, infer R> ? R : never
  >
> => entries

/**
 * The stable code of an error class (read from a field-less instance: every
 * Gongzhi error sets `code` as a field, not from its data).
 *
 * @since 0.2.0
 * @category catalogue
 */
export const errorInfo = (error: ErrorClass): { readonly tag: string; readonly code: string; readonly kind?: string } => {
  const instance = new (error as unknown as new (props: object, disableValidation: boolean) => {
    readonly _tag: string
    readonly code: string
    readonly kind?: string
  })({}, true)
  return instance.kind === undefined
    ? { tag: instance._tag, code: instance.code }
    : { tag: instance._tag, code: instance.code, kind: instance.kind }
}

/**
 * A JSON Schema (draft 2020-12) document.
 *
 * @since 0.2.0
 * @category catalogue
 */
export type JsonSchema = { readonly [key: string]: unknown }

/**
 * The JSON Schema (draft 2020-12) of a schema's encoded side: what a caller
 * sends as input or receives as a result.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const toJsonSchema = (schema: Schema.Schema<any, any, never>, fields: FieldGlossary = {}): JsonSchema =>
  annotateFields(JSONSchema.make(schema, { target: "jsonSchema2020-12" }), fields) as JsonSchema

const annotateFields = (node: unknown, fields: FieldGlossary): unknown => {
  if (Array.isArray(node)) return node.map((n) => annotateFields(n, fields))
  if (typeof node !== "object" || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    // effect marks `unknown`/`any` with `$id: "/schemas/unknown"`; one document may hold several, which validators reject.
    if (key === "$id" && typeof value === "string" && value.startsWith("/schemas/")) continue
    if (key === "properties" && typeof value === "object" && value !== null) {
      const props: Record<string, unknown> = {}
      for (const [name, prop] of Object.entries(value)) {
        const doc = fields[name]
        const annotated = annotateFields(prop, fields) as Record<string, unknown>
        props[name] = doc === undefined ? annotated : {
          ...annotated,
          title: doc.title.en,
          ...(doc.description === undefined ? {} : { description: doc.description.en }),
          "x-i18n": {
            "zh-CN": { title: doc.title["zh-CN"], ...(doc.description === undefined ? {} : { description: doc.description["zh-CN"] }) },
            en: { title: doc.title.en, ...(doc.description === undefined ? {} : { description: doc.description.en }) }
          }
        }
      }
      out[key] = props
    } else {
      out[key] = annotateFields(value, fields)
    }
  }
  return out
}

/**
 * The payload schema of each event of a union of tagged structs, by `_tag`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const eventMembers = (eventSchema: Schema.Schema<any, any, never>): ReadonlyMap<string, Schema.Schema<any, any, never>> => {
  const out = new Map<string, Schema.Schema<any, any, never>>()
  const ast = eventSchema.ast
  const members = SchemaAST.isUnion(ast) ? ast.types : [ast]
  for (const member of members) {
    const tag = SchemaAST.getPropertySignatures(member).find((p) => p.name === "_tag")
    if (tag !== undefined && SchemaAST.isLiteral(tag.type) && typeof tag.type.literal === "string") {
      out.set(tag.type.literal, Schema.make(member))
    }
  }
  return out
}

/**
 * The catalogue as plain JSON: per entry its name, module, kind, permission,
 * titles and descriptions, JSON Schemas of input and result, error codes
 * and events; per event its JSON Schema.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const catalogueJson = (entries: ReadonlyArray<CatalogueEntry<any, any, any>>) => {
  const events: Record<string, { readonly module: string; readonly schema: JsonSchema }> = {}
  for (const e of entries) {
    const members = eventMembers(e.eventSchema)
    for (const [tag, schema] of members) {
      if (events[tag] === undefined) events[tag] = { module: e.module, schema: toJsonSchema(schema, e.fields) }
    }
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    commands: entries.map((e) => ({
      name: e.name,
      module: e.module,
      kind: e.kind,
      permission: e.permission,
      access: e.access,
      title: e.title,
      description: e.description,
      input: toJsonSchema(e.input, e.fields),
      result: toJsonSchema(e.result, e.fields),
      errors: e.errors.map(errorInfo),
      events: e.events
    })),
    events
  }
}
