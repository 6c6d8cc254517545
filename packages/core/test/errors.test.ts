import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import {
  AlreadyExists,
  CalendarOutOfRange,
  Conflict,
  decodeInput,
  describeError,
  fieldIssue,
  Forbidden,
  type GongzhiError,
  IdempotencyKeyReused,
  InsufficientBalance,
  InvalidInput,
  isGongzhiError,
  NotFound,
  NotificationFailed,
  PostInput,
  renderError,
  StoreUnavailable
} from "../src/index.js"
import { C } from "./support.js"

const Command = Schema.Struct({
  name: Schema.NonEmptyString,
  age: Schema.Int,
  nested: Schema.Struct({ items: Schema.Array(Schema.Struct({ weight: Schema.Int })) })
})

const issuesOf = (command: string, schema: Schema.Schema<any, any, never>, input: unknown) =>
  Effect.map(Effect.flip(decodeInput(command, schema)(input)), (e) => {
    expect(e).toBeInstanceOf(InvalidInput)
    expect(e.command).toBe(command)
    return e
  })

describe("decodeInput", () => {
  it.effect("returns the decoded value for valid input", () =>
    Effect.gen(function* () {
      const input = { name: "x", age: 3, nested: { items: [{ weight: 1 }] } }
      expect(yield* decodeInput("test.cmd", Command)(input)).toStrictEqual(input)
    }))

  it.effect("lists every field problem at once, with dotted paths", () =>
    Effect.gen(function* () {
      const error = yield* issuesOf("test.cmd", Command, {
        name: "",
        age: 1.5,
        nested: { items: [{ weight: "x" }, { weight: 2 }, {}] },
        extra: 1
      })
      expect(error.issues.map((i) => i.path).sort()).toStrictEqual(
        ["age", "extra", "name", "nested.items.0.weight", "nested.items.2.weight"].sort()
      )
      for (const issue of error.issues) expect(issue.message).toBe(issue.text.en)
      expect(Object.fromEntries(error.issues.map((i) => [i.path, i.problem]))).toStrictEqual({
        name: "too-short",
        age: "integer",
        extra: "unexpected",
        "nested.items.0.weight": "type",
        "nested.items.2.weight": "required"
      })
      expect(error.issues.find((i) => i.path === "nested.items.2.weight")!.text).toStrictEqual({ "zh-CN": "必填", en: "is required" })
      expect(error.issues.find((i) => i.path === "name")!.text).toStrictEqual({ "zh-CN": "过短（至少 1）", en: "is too short (at least 1)" })
      for (const path of ["age", "extra", "name", "nested.items.0.weight", "nested.items.2.weight"]) {
        expect(error.message).toContain(`${path} `)
        expect(error.text["zh-CN"]).toContain(path)
      }
      expect(error.message).toMatch(/^Invalid input for test\.cmd: /)
      expect(error.text["zh-CN"]).toMatch(/^输入无效（test\.cmd）：/)
    }))

  it.effect("a wrong input as a whole has an empty path", () =>
    Effect.gen(function* () {
      for (const input of ["text", null, 42, [1]]) {
        const error = yield* issuesOf("test.cmd", Command, input)
        expect(error.issues).toHaveLength(1)
        expect(error.issues[0]!.path).toBe("")
      }
    }))

  it.effect("the ledger's post input reports field errors and the balance rule", () =>
    Effect.gen(function* () {
      const fieldErrors = yield* issuesOf("ledger.post", PostInput, {
        communityId: "bad id!",
        unit: "dollars",
        postings: [{ accountId: "a", amount: 0 }, { accountId: "b", amount: 1.5 }],
        kind: "Transfer",
        memo: "x"
      })
      expect(fieldErrors.issues.map((i) => [i.path, i.problem]).sort()).toStrictEqual([
        ["communityId", "pattern"],
        ["kind", "pattern"],
        ["postings.0.amount", "invalid"],
        ["postings.1.amount", "integer"],
        ["unit", "enum"]
      ])
      const unbalanced = yield* issuesOf("ledger.post", PostInput, {
        communityId: C,
        unit: "points",
        postings: [{ accountId: "a", amount: 5 }, { accountId: "b", amount: -4 }],
        kind: "transfer",
        memo: ""
      })
      expect(unbalanced.issues).toStrictEqual([{
        path: "postings",
        problem: "invalid",
        message: "postings must sum to zero (they sum to 1)",
        text: { "zh-CN": "不符合要求", en: "postings must sum to zero (they sum to 1)" }
      }])
    }))
})

const samples: ReadonlyArray<{ error: GongzhiError & Error; code: string; en: string; zh: RegExp }> = [
  {
    error: new InvalidInput({ command: "ledger.post", issues: [fieldIssue("", "type"), fieldIssue("a.b", "required")] }),
    code: "INVALID_INPUT",
    en: "Invalid input for ledger.post: input has the wrong type; a.b is required",
    zh: /输入无效/
  },
  {
    error: new Forbidden({ command: "ledger.post", reason: "role" }),
    code: "FORBIDDEN",
    en: "Not allowed to run ledger.post: a required role is missing",
    zh: /无权执行 ledger\.post：缺少所需角色/
  },
  {
    error: new Forbidden({ command: "ledger.post", reason: "tenant" }),
    code: "FORBIDDEN",
    en: "Not allowed to run ledger.post: another community's data is out of reach",
    zh: /其他社区/
  },
  {
    error: new Forbidden({ command: "ledger.read", reason: "not-self" }),
    code: "FORBIDDEN",
    en: "Not allowed to run ledger.read: residents may only act for themselves",
    zh: /只能为本人操作/
  },
  {
    error: new Forbidden({ command: "ledger.post", reason: "not-allowed" }),
    code: "FORBIDDEN",
    en: "Not allowed to run ledger.post: this kind of actor may not do this",
    zh: /该身份不可执行此操作/
  },
  { error: new NotFound({ entity: "Account", id: "a1" }), code: "NOT_FOUND", en: "Account a1 not found", zh: /^未找到账户（a1）$/ },
  {
    error: new StoreUnavailable({ operation: "ledger.post", cause: new Error("connection to 10.0.0.1 refused, phone 13812341234") }),
    code: "STORE_UNAVAILABLE",
    en: "Storage unavailable during ledger.post; nothing was changed, try again later",
    zh: /存储暂不可用/
  },
  {
    error: new Conflict({ entity: "Journal", id: "c1", detail: "entry 3 does not follow head 3" }),
    code: "CONFLICT",
    en: "Journal c1 was changed concurrently: entry 3 does not follow head 3",
    zh: /已被并发修改/
  },
  {
    error: new IdempotencyKeyReused({ key: "k1" }),
    code: "IDEMPOTENCY_KEY_REUSED",
    en: "Idempotency key k1 was already used for a different request",
    zh: /幂等键 k1/
  },
  {
    error: new CalendarOutOfRange({ date: "2040-01-01", firstYear: 2004, lastYear: 2026 }),
    code: "CALENDAR_OUT_OF_RANGE",
    en: "Date 2040-01-01 is outside the published holiday data (2004-2026); working days cannot be counted",
    zh: /2040-01-01/
  },
  {
    error: new NotificationFailed({ channel: "sms", reason: "rate limited", retryable: true }),
    code: "NOTIFICATION_FAILED",
    en: "Notification via sms failed: rate limited",
    zh: /通知发送失败（sms）/
  },
  {
    error: new InsufficientBalance({ accountId: "a1", balance: 100, floor: 0, amount: -150 }),
    code: "INSUFFICIENT_BALANCE",
    en: "Account a1 has too little: balance 100, change -150, floor 0",
    zh: /余额不足/
  },
  { error: new AlreadyExists({ entity: "Account", id: "a1" }), code: "ALREADY_EXISTS", en: "Account a1 already exists", zh: /已存在/ }
]

describe("error classes", () => {
  it.each(samples.map((s) => ({ ...s, label: `${s.error._tag}: ${s.en}` })))("$label", ({ code, en, error, zh }) => {
    expect(error.code).toBe(code)
    expect(error.text.en).toBe(en)
    expect(error.message).toBe(en)
    expect(error.text["zh-CN"]).toMatch(zh)
    expect(error.text["zh-CN"]).toMatch(/[\u4e00-\u9fff]/)
    expect(error.text["zh-CN"]).not.toBe(error.text.en)
    expect(error).toBeInstanceOf(Error)
    expect(isGongzhiError(error)).toBe(true)
    expect(renderError(error, "en")).toBe(en)
    expect(renderError(error, "zh-CN")).toBe(error.text["zh-CN"])
    const described = describeError(error)
    expect(described).toMatchObject({ code, tag: error._tag, message: { en, "zh-CN": error.text["zh-CN"] } })
    expect(JSON.parse(JSON.stringify(described))).toMatchObject({ code, tag: error._tag, message: { en } })
  })

  it("codes are stable per class and distinct between classes", () => {
    const byTag = new Map<string, string>()
    for (const { error } of samples) {
      const prior = byTag.get(error._tag)
      if (prior !== undefined) expect(error.code).toBe(prior)
      byTag.set(error._tag, error.code)
    }
    expect(new Set(byTag.values()).size).toBe(byTag.size)
    expect(byTag.size).toBe(10)
  })

  it("a store failure never shows its cause to the user", () => {
    const error = new StoreUnavailable({ operation: "x", cause: new Error("phone 13812341234") })
    expect(error.text.en).not.toContain("13812341234")
    expect(error.text["zh-CN"]).not.toContain("13812341234")
    expect(JSON.stringify(describeError(error))).not.toContain("13812341234")
  })

  it.effect("errors are yieldable typed failures, matchable by tag", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(new NotFound({ entity: "Account", id: "a1" }))
      expect(Exit.isFailure(exit)).toBe(true)
      const handled = yield* new IdempotencyKeyReused({ key: "k" }).pipe(
        Effect.catchTag("IdempotencyKeyReused", (e) => Effect.succeed(e.code))
      )
      expect(handled).toBe("IDEMPOTENCY_KEY_REUSED")
    }))

  it("isGongzhiError recognises only Gongzhi errors", () => {
    expect(isGongzhiError(new Error("x"))).toBe(false)
    expect(isGongzhiError(null)).toBe(false)
    expect(isGongzhiError("NOT_FOUND")).toBe(false)
    expect(isGongzhiError({ _tag: "X", code: 1, text: {} })).toBe(false)
    expect(isGongzhiError({ _tag: "X", code: "X" })).toBe(false)
  })

  it("errors survive a Schema round trip with their code and text", () => {
    const error = new InsufficientBalance({ accountId: "a1", balance: 100, floor: 0, amount: -150 })
    const encoded = Schema.encodeSync(InsufficientBalance)(error)
    const decoded = Schema.decodeUnknownSync(InsufficientBalance)(JSON.parse(JSON.stringify(encoded)))
    expect(decoded.code).toBe("INSUFFICIENT_BALANCE")
    expect(decoded.message).toBe(error.message)
  })
})
