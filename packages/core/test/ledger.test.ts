import { MemoryInspector, MemoryStore } from "../../store-memory/src/index.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Option, TestClock } from "effect"
import {
  type Actor,
  applyPostings,
  decodeEntry,
  getAccount,
  LedgerEvent,
  LedgerStore,
  LedgerTxId,
  openAccount,
  postTransaction,
  readJournal,
  reverseTransaction,
  Roles,
  statement,
  SystemActor,
  verifyJournal
} from "../src/index.js"
import { A, C, C2, resident, snapshot, staff, system, treasurer } from "./support.js"

const layer = MemoryStore.layer()

interface OpenOptions {
  readonly unit?: "fen" | "points" | "centi-hours"
  readonly floor?: number
  readonly owner?: string
  readonly actor?: Actor
  readonly communityId?: string
}
const open = (id: string, o: OpenOptions = {}) =>
  openAccount(o.actor ?? treasurer, {
    communityId: o.communityId ?? C,
    accountId: id,
    unit: o.unit ?? "points",
    kind: "resident-points",
    ...(o.owner === undefined ? {} : { owner: o.owner }),
    ...(o.floor === undefined ? {} : { floor: o.floor })
  })

interface PostOptions {
  readonly key?: string
  readonly memo?: string
  readonly kind?: string
  readonly unit?: "fen" | "points" | "centi-hours"
  readonly actor?: Actor
  readonly communityId?: string
}
const postInput = (postings: ReadonlyArray<readonly [string, number]>, o: PostOptions = {}) => ({
  communityId: o.communityId ?? C,
  unit: o.unit ?? "points",
  postings: postings.map(([accountId, amount]) => ({ accountId, amount })),
  kind: o.kind ?? "transfer",
  memo: o.memo ?? "",
  ...(o.key === undefined ? {} : { idempotencyKey: o.key })
})
const post = (postings: ReadonlyArray<readonly [string, number]>, o: PostOptions = {}) =>
  postTransaction(o.actor ?? treasurer, postInput(postings, o))

const balance = (id: string, communityId = C) =>
  Effect.flatMap(LedgerStore, (s) => s.getAccount(communityId as typeof C, A(id))).pipe(
    Effect.map((a) => Option.getOrThrow(a).balance)
  )
const balances = (...ids: ReadonlyArray<string>) => Effect.forEach(ids, (id) => balance(id))
const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))
const journalTypes = Effect.map(readJournal(C), (es) => es.map((e) => e.type))

/** An issuance account (no floor) and two residents' accounts with floor 0. */
const setup = Effect.gen(function* () {
  yield* open("issuance")
  yield* open("r1", { floor: 0, owner: "r1" })
  yield* open("r2", { floor: 0, owner: "r2" })
})

describe("ledger", () => {
  it.effect("refuses a posting that would take a balance past 2^53, changing nothing", () =>
    Effect.gen(function* () {
      yield* setup
      const M = Number.MAX_SAFE_INTEGER
      yield* post([["issuance", -(M - 5)], ["r1", M - 5]], { kind: "award" })
      const before = yield* state
      const refused = yield* Effect.flip(post([["issuance", -10], ["r1", 10]], { kind: "award" }))
      expect(refused).toMatchObject({ _tag: "InvalidInput", code: "INVALID_INPUT" })
      expect((refused as { issues: ReadonlyArray<{ path: string }> }).issues[0]!.path).toBe("postings")
      expect(yield* state).toEqual(before)
      expect(yield* balances("issuance", "r1")).toEqual([-(M - 5), M - 5])
    }).pipe(Effect.provide(layer)))

  it.effect("opens accounts at zero and posts a balanced transfer", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_000)
      const account = yield* open("r1", { floor: 0, owner: "r1" })
      expect(account).toMatchObject({ communityId: C, id: "r1", unit: "points", kind: "resident-points", owner: "r1", floor: 0, balance: 0, createdAt: 1_000 })
      yield* open("issuance")
      yield* TestClock.setTime(2_000)
      const tx = yield* post([["issuance", -100], ["r1", 100]], { kind: "award", memo: "voted" })
      expect(tx).toMatchObject({ communityId: C, unit: "points", kind: "award", memo: "voted", postedAt: 2_000 })
      expect(tx.postings).toStrictEqual([{ accountId: "issuance", amount: -100 }, { accountId: "r1", amount: 100 }])
      expect(tx.fingerprint).toMatch(/^[0-9a-f]{64}$/)
      expect(yield* balances("issuance", "r1")).toStrictEqual([-100, 100])
      expect(yield* Effect.flatMap(LedgerStore, (s) => s.getTransaction(C, tx.id))).toStrictEqual(Option.some(tx))
      // the state change and its events are in the journal
      const entries = yield* readJournal(C)
      expect(entries.map((e) => e.type)).toStrictEqual(["LedgerAccountOpened", "LedgerAccountOpened", "LedgerTransactionPosted"])
      expect(Option.getOrThrow(decodeEntry(LedgerEvent)(entries[2]!))).toStrictEqual({
        _tag: "LedgerTransactionPosted",
        txId: tx.id,
        unit: "points",
        kind: "award",
        memo: "voted",
        postings: tx.postings
      })
      expect((yield* verifyJournal(C)).ok).toBe(true)
      // a multi-leg transaction
      yield* open("r2", { floor: 0 })
      yield* post([["r1", -60], ["r2", 40], ["issuance", 20]])
      expect(yield* balances("issuance", "r1", "r2")).toStrictEqual([-80, 40, 40])
    }).pipe(Effect.provide(layer)))

  it.effect("an account id is unique per community, not across communities", () =>
    Effect.gen(function* () {
      yield* open("r1")
      const before = yield* state
      expect((yield* Effect.flip(open("r1", { floor: -5 })))._tag).toBe("AlreadyExists")
      expect(yield* state).toStrictEqual(before)
      yield* open("r1", { communityId: C2, actor: staff([Roles.admin], C2) })
      expect(yield* balance("r1", C2)).toBe(0)
    }).pipe(Effect.provide(layer)))

  it.effect("the floor is enforced: InsufficientBalance and nothing changed", () =>
    Effect.gen(function* () {
      yield* setup
      yield* open("overdraft", { floor: -500 })
      yield* post([["issuance", -100], ["r1", 100]])
      const before = yield* state
      const head = (yield* readJournal(C)).length

      const error = yield* Effect.flip(post([["r1", -150], ["r2", 150]]))
      expect(error).toMatchObject({ _tag: "InsufficientBalance", code: "INSUFFICIENT_BALANCE", accountId: "r1", balance: 100, floor: 0, amount: -150 })
      expect(yield* state).toStrictEqual(before)
      expect((yield* readJournal(C)).length).toBe(head)
      expect(yield* balances("issuance", "r1", "r2")).toStrictEqual([-100, 100, 0])

      // down to the floor exactly is allowed, one more is not
      yield* post([["r1", -100], ["r2", 100]])
      expect(yield* balances("r1", "r2")).toStrictEqual([0, 100])
      expect((yield* Effect.flip(post([["r1", -1], ["r2", 1]])))._tag).toBe("InsufficientBalance")
      // an overdraft floor below zero
      yield* post([["overdraft", -500], ["r2", 500]])
      expect(yield* Effect.flip(post([["overdraft", -1], ["r2", 1]]))).toMatchObject({ accountId: "overdraft", balance: -500, floor: -500, amount: -1 })
      // issuance accounts have no floor
      yield* post([["issuance", -1_000_000], ["r1", 1_000_000]])
      expect(yield* balance("issuance")).toBe(-1_000_100)
      expect((yield* verifyJournal(C)).ok).toBe(true)
    }).pipe(Effect.provide(layer)))

  it.effect("bad postings are InvalidInput and change nothing", () =>
    Effect.gen(function* () {
      yield* setup
      yield* post([["issuance", -100], ["r1", 100]])
      const before = yield* state
      const M = Number.MAX_SAFE_INTEGER
      const cases: Array<[string, ReadonlyArray<readonly [string, number]>, string]> = [
        ["unbalanced", [["r1", -10], ["r2", 9]], "postings"],
        ["zero amount", [["r1", 0], ["r2", 0]], "postings.0.amount"],
        ["one posting", [["r1", 0]], "postings"],
        ["float amount", [["r1", -1.5], ["r2", 1.5]], "postings.0.amount"],
        ["same account twice", [["r1", -10], ["r1", 10]], "postings"],
        ["unsafe amount", [["r1", -(2 ** 60)], ["r2", 2 ** 60]], "postings.0.amount"],
        // sums to 1, but a float sum rounds it to 0
        ["large unbalanced", [["a1", M], ["a2", M], ["a3", 1], ["a4", 1], ["a5", -M], ["a6", -M], ["a7", -1]], "postings"]
      ]
      for (const [name, postings, path] of cases) {
        const error = yield* Effect.flip(post(postings))
        expect(error._tag, name).toBe("InvalidInput")
        if (error._tag === "InvalidInput") expect(error.issues.map((i) => i.path), name).toContain(path)
      }
      // unknown accounts and accounts of another unit are NotFound
      expect(yield* Effect.flip(post([["r1", -10], ["nobody", 10]]))).toMatchObject({ _tag: "NotFound", id: "nobody" })
      yield* open("fen-account", { unit: "fen" })
      const afterOpen = yield* state
      expect(yield* Effect.flip(post([["r1", -10], ["fen-account", 10]]))).toMatchObject({ _tag: "NotFound", id: "fen-account" })
      expect(yield* state).toStrictEqual(afterOpen)
      expect(before).not.toStrictEqual(afterOpen)
    }).pipe(Effect.provide(layer)))

  it.effect("a replay with the same idempotency key returns the first transaction", () =>
    Effect.gen(function* () {
      yield* setup
      const first = yield* post([["issuance", -100], ["r1", 100]], { key: "award-1", memo: "m" })
      const afterFirst = yield* state
      const replay = yield* post([["issuance", -100], ["r1", 100]], { key: "award-1", memo: "m" })
      expect(replay).toStrictEqual(first)
      expect(yield* state).toStrictEqual(afterFirst)
      expect(yield* balance("r1")).toBe(100)
      expect(yield* journalTypes).toStrictEqual([...Array(3).fill("LedgerAccountOpened"), "LedgerTransactionPosted"])

      // same key, different request: refused, nothing changed
      for (const different of [
        post([["issuance", -101], ["r1", 101]], { key: "award-1", memo: "m" }),
        post([["issuance", -100], ["r1", 100]], { key: "award-1", memo: "other memo" }),
        post([["issuance", -100], ["r2", 100]], { key: "award-1", memo: "m" }),
        post([["issuance", -100], ["r1", 100]], { key: "award-1", memo: "m", kind: "redeem" })
      ]) {
        expect(yield* Effect.flip(different)).toMatchObject({ _tag: "IdempotencyKeyReused", key: "award-1", code: "IDEMPOTENCY_KEY_REUSED" })
        expect(yield* state).toStrictEqual(afterFirst)
      }
      // without a key, the same request posts again
      const again = yield* post([["issuance", -100], ["r1", 100]], { memo: "m" })
      expect(again.id).not.toBe(first.id)
      expect(yield* balance("r1")).toBe(200)
      // a key is scoped to its community
      yield* open("x1", { communityId: C2, actor: staff([Roles.admin], C2) })
      yield* open("x2", { communityId: C2, actor: staff([Roles.admin], C2) })
      const other = yield* post([["x1", -5], ["x2", 5]], { key: "award-1", communityId: C2, actor: staff([Roles.treasurer], C2) })
      expect(other.communityId).toBe(C2)
      expect(yield* balance("x2", C2)).toBe(5)
    }).pipe(Effect.provide(layer)))

  it.effect("a failed request does not use up its idempotency key", () =>
    Effect.gen(function* () {
      yield* setup
      expect((yield* Effect.flip(post([["r1", -10], ["r2", 10]], { key: "k" })))._tag).toBe("InsufficientBalance")
      yield* post([["issuance", -10], ["r1", 10]])
      const tx = yield* post([["r1", -10], ["r2", 10]], { key: "k" })
      expect(tx.idempotencyKey).toBe("k")
      expect(yield* balances("r1", "r2")).toStrictEqual([0, 10])
    }).pipe(Effect.provide(layer)))

  it.effect("reverses a transaction once with a linked compensating transaction", () =>
    Effect.gen(function* () {
      yield* setup
      const award = yield* post([["issuance", -100], ["r1", 100]], { kind: "award" })
      const transfer = yield* post([["r1", -30], ["r2", 30]])
      const reversal = yield* reverseTransaction(treasurer, { communityId: C, txId: transfer.id, memo: "entered twice" })
      expect(reversal).toMatchObject({ kind: "reversal", memo: "entered twice", reverses: transfer.id, unit: "points" })
      expect(reversal.postings).toStrictEqual([{ accountId: "r1", amount: 30 }, { accountId: "r2", amount: -30 }])
      expect(yield* balances("issuance", "r1", "r2")).toStrictEqual([-100, 100, 0])
      expect(yield* Effect.flatMap(LedgerStore, (s) => s.findReversal(C, transfer.id))).toStrictEqual(Option.some(reversal))
      // the original is unchanged (history is never edited)
      expect(yield* Effect.flatMap(LedgerStore, (s) => s.getTransaction(C, transfer.id))).toStrictEqual(Option.some(transfer))
      const last = (yield* readJournal(C)).at(-1)!
      expect(Option.getOrThrow(decodeEntry(LedgerEvent)(last))).toMatchObject({ _tag: "LedgerTransactionPosted", txId: reversal.id, reverses: transfer.id })

      const before = yield* state
      // not twice
      expect(yield* Effect.flip(reverseTransaction(treasurer, { communityId: C, txId: transfer.id, memo: "again" }))).toMatchObject({
        _tag: "AlreadyExists"
      })
      // a reversal cannot be reversed
      expect(yield* Effect.flip(reverseTransaction(treasurer, { communityId: C, txId: reversal.id, memo: "undo undo" }))).toMatchObject({
        _tag: "NotFound",
        id: reversal.id
      })
      // nor can a transaction that does not exist
      expect(yield* Effect.flip(reverseTransaction(treasurer, { communityId: C, txId: "tx_nope", memo: "" }))).toMatchObject({ _tag: "NotFound" })
      // a resident may not reverse
      expect(yield* Effect.flip(reverseTransaction(resident("r1"), { communityId: C, txId: award.id, memo: "" }))).toMatchObject({
        _tag: "Forbidden",
        reason: "not-allowed"
      })
      expect(yield* state).toStrictEqual(before)
    }).pipe(Effect.provide(layer)))

  it.effect("a reversal respects floors and is idempotent by key", () =>
    Effect.gen(function* () {
      yield* setup
      const award = yield* post([["issuance", -100], ["r1", 100]])
      yield* post([["r1", -80], ["r2", 80]])
      const before = yield* state
      // r1 spent the award: taking it back would go below the floor
      expect(yield* Effect.flip(reverseTransaction(treasurer, { communityId: C, txId: award.id, memo: "" }))).toMatchObject({
        _tag: "InsufficientBalance",
        accountId: "r1",
        balance: 20,
        amount: -100
      })
      expect(yield* state).toStrictEqual(before)
      yield* post([["r2", -80], ["r1", 80]])
      const first = yield* reverseTransaction(system, { communityId: C, txId: award.id, memo: "", idempotencyKey: "rev" })
      const second = yield* reverseTransaction(system, { communityId: C, txId: award.id, memo: "", idempotencyKey: "rev" })
      expect(second).toStrictEqual(first)
      expect(yield* balances("issuance", "r1", "r2")).toStrictEqual([0, 0, 0])
    }).pipe(Effect.provide(layer)))

  it.effect("a statement lists postings with running balances, credits and debits", () =>
    Effect.gen(function* () {
      yield* setup
      yield* TestClock.setTime(1_000)
      const t1 = yield* post([["issuance", -100], ["r1", 100]], { kind: "award", memo: "vote" })
      yield* TestClock.setTime(2_000)
      const t2 = yield* post([["r1", -30], ["r2", 30]], { memo: "gift" })
      yield* TestClock.setTime(3_000)
      const t3 = yield* post([["issuance", -5], ["r1", 5]], { kind: "award", memo: "report" })
      const all = yield* statement(treasurer, C, A("r1"))
      expect(all.account.balance).toBe(75)
      expect(all.lines).toStrictEqual([
        { txId: t1.id, kind: "award", memo: "vote", amount: 100, balanceAfter: 100, postedAt: 1_000 },
        { txId: t2.id, kind: "transfer", memo: "gift", amount: -30, balanceAfter: 70, postedAt: 2_000 },
        { txId: t3.id, kind: "award", memo: "report", amount: 5, balanceAfter: 75, postedAt: 3_000 }
      ])
      expect([all.credits, all.debits]).toStrictEqual([105, 30])
      // from is inclusive, to exclusive
      const middle = yield* statement(treasurer, C, A("r1"), { from: 2_000, to: 3_000 })
      expect(middle.lines.map((l) => l.txId)).toStrictEqual([t2.id])
      expect([middle.credits, middle.debits]).toStrictEqual([0, 30])
      expect((yield* statement(treasurer, C, A("r1"), { limit: 2 })).lines.map((l) => l.txId)).toStrictEqual([t1.id, t2.id])
      expect((yield* statement(treasurer, C, A("r2"))).lines.map((l) => l.amount)).toStrictEqual([30])
      // who may read it
      expect((yield* statement(resident("r1"), C, A("r1"))).lines).toHaveLength(3)
      expect((yield* statement(staff([Roles.auditor]), C, A("r1"))).lines).toHaveLength(3)
      expect(yield* Effect.flip(statement(resident("r2"), C, A("r1")))).toMatchObject({ _tag: "Forbidden", reason: "not-self" })
      expect(yield* Effect.flip(statement(resident("r1"), C, A("issuance")))).toMatchObject({ _tag: "Forbidden", reason: "not-self" })
      expect(yield* Effect.flip(statement(staff([Roles.clerk]), C, A("r1")))).toMatchObject({ _tag: "Forbidden", reason: "role" })
      expect(yield* Effect.flip(statement(staff([Roles.auditor], C2), C, A("r1")))).toMatchObject({ _tag: "Forbidden", reason: "tenant" })
      expect(yield* Effect.flip(getAccount(treasurer, C, A("nobody")))).toMatchObject({ _tag: "NotFound", id: "nobody" })
    }).pipe(Effect.provide(layer)))

  it.effect("refuses residents, unprivileged staff and other communities' staff, changing nothing", () =>
    Effect.gen(function* () {
      yield* setup
      yield* post([["issuance", -100], ["r1", 100]])
      const before = yield* state
      const outsiders: ReadonlyArray<[Actor, string]> = [
        [resident("r1"), "not-allowed"],
        [staff([Roles.clerk, Roles.auditor]), "role"],
        [staff([]), "role"],
        [staff([Roles.treasurer, Roles.admin], C2), "tenant"],
        [new SystemActor({ communityId: C2, process: "test" }), "tenant"]
      ]
      for (const [actor, reason] of outsiders) {
        expect(yield* Effect.flip(post([["r1", -10], ["r2", 10]], { actor }))).toMatchObject({ _tag: "Forbidden", command: "ledger.post", reason })
        expect(yield* Effect.flip(open("new", { actor }))).toMatchObject({ _tag: "Forbidden", command: "ledger.openAccount", reason })
        expect(yield* state).toStrictEqual(before)
      }
      expect(yield* balances("r1", "r2")).toStrictEqual([100, 0])
      expect(yield* Effect.flatMap(LedgerStore, (s) => s.getAccount(C, A("new")))).toStrictEqual(Option.none())
    }).pipe(Effect.provide(layer)))

  it("applyPostings is the pure floor rule", () => {
    const accounts = [
      { id: A("a"), balance: 10, floor: 0 },
      { id: A("b"), balance: -5, floor: 0 },
      { id: A("c"), balance: 0, floor: undefined }
    ]
    expect(applyPostings(accounts, [{ accountId: A("a"), amount: -10 }, { accountId: A("b"), amount: 10 }])).toStrictEqual({
      ok: true,
      balances: [{ accountId: "a", balance: 0 }, { accountId: "b", balance: 5 }]
    })
    // an account already below its floor may still receive
    expect(applyPostings(accounts, [{ accountId: A("c"), amount: -1 }, { accountId: A("b"), amount: 1 }]).ok).toBe(true)
    expect(applyPostings(accounts, [{ accountId: A("c"), amount: 11 }, { accountId: A("a"), amount: -11 }])).toStrictEqual({
      ok: false,
      reason: "floor",
      accountId: "a",
      balance: 10,
      floor: 0,
      amount: -11
    })
  })
})

// ---------------------------------------------------------------------------

const opArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("transfer" as const), from: fc.nat(), to: fc.nat(), amount: fc.integer({ min: 1, max: 250 }), keyed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat() }) }
)

describe("ledger properties", () => {
  it.effect.prop(
    "random transfers with floor 0 conserve the total, never go below the floor and match a simple model",
    [fc.integer({ min: 2, max: 5 }), fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 5, maxLength: 5 }), fc.array(opArb, { maxLength: 25 })],
    ([n, funding, ops]) =>
      Effect.gen(function* () {
        const ids = Array.from({ length: n }, (_, i) => `acc-${i}`)
        yield* open("issuance")
        for (const id of ids) yield* open(id, { floor: 0 })
        const model = new Map<string, number>([["issuance", 0], ...ids.map((id): [string, number] => [id, 0])])
        let posted = 0
        const keyed: Array<{ input: ReturnType<typeof postInput>; txId: LedgerTxId }> = []
        const apply = (postings: ReadonlyArray<readonly [string, number]>) => {
          for (const [id, amount] of postings) model.set(id, model.get(id)! + amount)
          posted++
        }
        for (let i = 0; i < n; i++) {
          if (funding[i]! === 0) continue
          const legs = [["issuance", -funding[i]!], [ids[i]!, funding[i]!]] as const
          yield* post(legs, { kind: "award" })
          apply(legs)
        }
        for (const [step, op] of ops.entries()) {
          if (op.kind === "replay") {
            if (keyed.length === 0) continue
            const prior = keyed[op.pick % keyed.length]!
            const again = yield* postTransaction(treasurer, prior.input)
            expect(again.id).toBe(prior.txId)
            continue
          }
          const from = ids[op.from % n]!
          const to = ids[(op.from + 1 + (op.to % (n - 1))) % n]!
          const legs = [[from, -op.amount], [to, op.amount]] as const
          const input = postInput(legs, op.keyed ? { key: `op-${step}` } : {})
          const result = yield* Effect.either(postTransaction(treasurer, input))
          if (model.get(from)! - op.amount >= 0) {
            expect(Either.isRight(result)).toBe(true)
            apply(legs)
            if (op.keyed && Either.isRight(result)) keyed.push({ input, txId: result.right.id })
          } else {
            expect(Either.isLeft(result)).toBe(true)
            if (Either.isLeft(result)) {
              expect(result.left).toMatchObject({ _tag: "InsufficientBalance", accountId: from, balance: model.get(from), floor: 0, amount: -op.amount })
            }
          }
        }
        const actual = yield* balances("issuance", ...ids)
        expect(actual).toStrictEqual(["issuance", ...ids].map((id) => model.get(id)))
        expect(actual.reduce((s, b) => s + b, 0)).toBe(0)
        for (const b of actual.slice(1)) expect(b).toBeGreaterThanOrEqual(0)
        // every posted transaction, and nothing else, is in the journal
        const entries = yield* readJournal(C)
        expect(entries.length).toBe(1 + n + posted)
        expect(entries.filter((e) => e.type === "LedgerTransactionPosted").length).toBe(posted)
        expect((yield* verifyJournal(C)).ok).toBe(true)
        // statements agree with balances
        for (const id of ids) {
          const s = yield* statement(treasurer, C, A(id))
          expect(s.credits - s.debits).toBe(model.get(id))
          expect(s.lines.at(-1)?.balanceAfter ?? 0).toBe(model.get(id))
        }
      }).pipe(Effect.provide(MemoryStore.layer())),
    { timeout: 120_000, fastCheck: { numRuns: 100 } }
  )
})
