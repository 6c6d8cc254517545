/**
 * No defect from any input (issue 20, finding 4): every public command of
 * every module, fed hostile values (null-prototype objects, `__proto__` and
 * `constructor` keys, deep nesting, huge strings and arrays, NaN, -0, 2^53,
 * lone surrogates, throwing proxies, wrong types in every union), fails with
 * a typed error and changes nothing (every table of the memory database is
 * compared before and after), or succeeds on an input that is in fact valid.
 */
import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, FastCheck as fc, Layer, Option } from "effect"
import {
  type Actor,
  CommunityId,
  Gongzhi,
  Incentives,
  isGongzhiError,
  Issues,
  Notifications,
  openAccount,
  postTransaction,
  reverseTransaction,
  Role,
  StaffActor,
  StaffId,
  SystemActor,
  TimeBank,
  Voting
} from "../src/index.js"
import { snapshot } from "./support.js"

const community = generateCommunity({ seed: 77, communityId: "c-fuzz", buildings: 1, floors: 2 })
const C = CommunityId.make("c-fuzz")
const layer = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))

type Command = (actor: Actor, input: unknown) => Effect.Effect<unknown, unknown, any>

/** Every public command that takes a raw input, by name. */
const commands: Record<string, Command> = {
  "ledger.openAccount": openAccount as unknown as Command,
  "ledger.post": postTransaction as unknown as Command,
  "ledger.reverse": reverseTransaction as unknown as Command,
  "issues.submit": Issues.submitReport as unknown as Command,
  "issues.submitGeoReport": (actor, input) => Issues.submitGeoReport(actor, C, input as never),
  "issues.markDuplicate": Issues.markDuplicate as unknown as Command,
  "issues.dueScan": Issues.dueScan as unknown as Command,
  "issues.findPotentialDuplicates": Issues.findPotentialDuplicates as unknown as Command,
  ...Object.fromEntries(
    (["accept", "reject", "dispatch", "returnCase", "assign", "signFor", "start", "addNote", "pause", "resume", "requestExtension",
      "decideExtension", "changeType", "answer", "followUp", "close", "reopen", "follow", "recordMediationSession",
      "recordMediationOutcome", "escalateMediation"] as const).map((n) => [`issues.${n}`, Issues[n] as unknown as Command])
  ),
  ...Object.fromEntries(
    (["award", "awardPeer", "revokeAward", "addItem", "updateItem", "redeem", "cancelRedemption", "fulfilRedemption", "expireDue",
      "setLeaderboardOptOut"] as const).map((n) => [`incentives.${n}`, Incentives[n] as unknown as Command])
  ),
  ...Object.fromEntries(
    (["defineServiceType", "recordService", "confirmService", "disputeService", "resolveDispute", "reverseService", "transfer",
      "giftToParent", "redeem", "payOut", "reverseMovement"] as const).map((n) => [`timebank.${n}`, TimeBank[n] as unknown as Command])
  ),
  ...Object.fromEntries(
    (["enqueue", "updatePreferences", "recordReceipt", "openSmsVote", "requestServiceConfirmation", "handleReply"] as const)
      .map((n) => [`notify.${n}`, Notifications[n] as unknown as Command])
  ),
  ...Object.fromEntries(
    (["createProposal", "reviewProposal", "scheduleProposal", "openProposal", "extendProposal", "castBallot", "enterPaperBallot",
      "confirmPaperBallot", "registerProxy", "revokeProxy", "closeProposal", "withdrawProposal", "finalizeProposal",
      "fileObjection", "resolveObjection", "postToThread", "hidePost", "proposeAmendment", "decideAmendment",
      "recordNegotiationRound", "attachCostPlan"] as const).map((n) => [`voting.${n}`, Voting[n] as unknown as Command])
  )
}

const system = new SystemActor({ communityId: C, process: "fuzz" })
const admin = new StaffActor({
  communityId: C,
  staffId: StaffId.make("s-admin"),
  roles: ["admin", "committee", "clerk", "treasurer", "dispatcher"].map((r) => Role.make(r)),
  departments: []
})
const resident = community.residents[0]!

/** Field names the commands' schemas use, so hostile objects reach deep into them. */
const keys = [
  "communityId", "proposalId", "residentId", "choice", "type", "value", "scope", "ballot", "rule", "unitIds", "payee", "_tag",
  "postings", "accountId", "amount", "unit", "kind", "memo", "idempotencyKey", "caseId", "title", "body", "channel", "minutes",
  "providerId", "recipientId", "serviceType", "centiHours", "points", "itemId", "floor", "options", "ranking", "__proto__",
  "constructor", "prototype", "toString", "valueOf"
]
/** Discriminator values of the commands' unions. */
const tags = ["yes-no", "single", "multiple", "ranked", "score", "community", "buildings", "units", "households", "Resident", "Household", "Community", "Merchant", "online", "paper", "yes", "no"]

const nullProto = (entries: ReadonlyArray<readonly [string, unknown]>) => {
  const o = Object.create(null) as Record<string, unknown>
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true })
  return o
}
const nested = (depth: number, leaf: unknown) => {
  let v: unknown = leaf
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { choice: v }
  return v
}
/** Throws on any look at a string key (symbols answer, so the fuzzing library can handle it). */
const throwing = new Proxy({}, {
  get: (_, key) => {
    if (typeof key === "symbol") return undefined
    throw new Error("getter throws")
  },
  ownKeys: () => {
    throw new Error("ownKeys throws")
  },
  has: (_, key) => {
    if (typeof key === "symbol") return false
    throw new Error("has throws")
  }
})

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    NaN, -0, 0, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 1e308 * 10,
    null, undefined, true, false, "", " ", "\uD800", "a\uDC00b", "\u0000", "𠀀", "13800138000", "__proto__", C,
    resident.id, 1n, Symbol("s"), () => 1, new Date(NaN), [], {}, throwing
  ),
  fc.constantFrom(...tags),
  fc.integer(),
  fc.double(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer({ min: 1, max: 3 }).map((n) => "x".repeat(10 ** (n + 2)) + "\uD800"),
  fc.integer({ min: 0, max: 2 }).map((n) => Array.from({ length: 10 ** (n + 2) }, (_, i) => (i % 2 === 0 ? NaN : "\uDFFF"))),
  fc.integer({ min: 50, max: 3000 }).map((d) => nested(d, null))
)

const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom(...keys), tie("value")), { maxLength: 6 }).map((e) => Object.fromEntries(e)),
    fc.array(fc.tuple(fc.constantFrom(...keys), tie("value")), { maxLength: 6 }).map(nullProto),
    fc.constantFrom(...tags).map((t) => nullProto([["type", t], ["_tag", t], ["value", "yes"]])),
    tie("value").map((v) => JSON.parse(`{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "communityId": "c-fuzz"}`, (k, x) => (k === "x" ? v : x)))
  )
})).value

/** An input with the right community and a hostile value in one or more of the fields the commands read. */
const input = fc.oneof(
  hostile,
  fc.array(fc.tuple(fc.constantFrom(...keys), hostile), { maxLength: 6 }).map((e) => ({ communityId: C, ...Object.fromEntries(e) })),
  fc.tuple(fc.constantFrom(...tags), hostile).map(([t, v]) => ({
    communityId: C, proposalId: "p-1", residentId: resident.id, channel: "online",
    choice: nullProto([["type", t], ["value", v]]),
    scope: nullProto([["type", t]]), ballot: nullProto([["type", t]]),
    payee: nullProto([["_tag", t]]), unit: "points", centiHours: v, minutes: v
  }))
)

const typedOrDefect = (exit: Exit.Exit<unknown, unknown>): "success" | "typed" | string => {
  if (Exit.isSuccess(exit)) return "success"
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure) && isGongzhiError(failure.value)) return "typed"
  return `untyped: ${Cause.pretty(exit.cause).slice(0, 400)}`
}

describe("no defect from any input (fuzz)", () => {
  it.effect("the issue's reproductions: null-prototype discriminators are InvalidInput, not a defect", () =>
    Effect.gen(function* () {
      const choice = nullProto([["type", nullProto([])], ["value", "yes"]])
      const cases: Array<[Command, unknown]> = [
        [Voting.castBallot as unknown as Command, { communityId: C, proposalId: "p", residentId: resident.id, channel: "online", choice }],
        [Voting.castBallot as unknown as Command, { communityId: C, proposalId: "p", residentId: resident.id, channel: "online", choice: nullProto([["type", nullProto([["x", 1]])]]) }],
        [Voting.createProposal as unknown as Command, { communityId: C, title: "t", body: "b", rule: "ordinary", scope: nullProto([["type", nullProto([])]]), ballot: nullProto([["type", nullProto([])]]) }],
        [TimeBank.redeem as unknown as Command, { communityId: C, residentId: resident.id, centiHours: 100, payee: nullProto([["_tag", nullProto([])]]) }]
      ]
      for (const [command, raw] of cases) {
        const exit = yield* Effect.exit(command(admin, raw))
        expect(typedOrDefect(exit)).toBe("typed")
        expect(Exit.isFailure(exit) && Option.getOrThrow(Cause.failureOption(exit.cause))).toMatchObject({ _tag: "InvalidInput" })
      }
    }).pipe(Effect.provide(layer)))

  it.effect(`every command (${Object.keys(commands).length}) with hostile inputs: typed errors only, and a failure changes nothing`, () =>
    Effect.gen(function* () {
      const inspector = yield* MemoryInspector
      const names = Object.keys(commands)
      // Per command and actor: a fixed number of runs keeps the suite within seconds.
      const runs = Number(process.env.GONGZHI_FUZZ_RUNS ?? 25)
      const samples = fc.sample(fc.tuple(fc.constantFrom(...names), fc.constantFrom<Actor>(system, admin), input), {
        numRuns: runs * names.length * 2,
        seed: Number(process.env.GONGZHI_FUZZ_SEED ?? 20),
        // Sampling may repeat a command; every command gets at least its share below.
      })
      for (const name of names) for (const actor of [system, admin]) samples.push([name, actor, undefined], [name, actor, nullProto([["communityId", C]])])
      const problems: Array<string> = []
      for (const [name, actor, raw] of samples) {
        const before = snapshot(inspector.database)
        const exit = yield* Effect.exit(Effect.suspend(() => commands[name]!(actor, raw)))
        const outcome = typedOrDefect(exit)
        if (outcome === "success") continue
        if (outcome !== "typed") problems.push(`${name}: ${outcome}`)
        else if (JSON.stringify(snapshot(inspector.database)) !== JSON.stringify(before)) problems.push(`${name}: a failure changed the database`)
        if (problems.length > 5) break
      }
      expect(problems).toEqual([])
      expect(samples.length).toBeGreaterThanOrEqual(names.length * 4)
    }).pipe(Effect.provide(layer)), 240_000)
})
