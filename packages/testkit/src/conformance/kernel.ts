/**
 * The conformance suite every storage adapter must pass, third-party ones
 * included. It runs the same cases against any layer that provides the
 * storage ports, so the in-memory adapter and PostgreSQL are proven to behave
 * alike.
 *
 * @since 0.1.0
 */
import {
  AccountId,
  appendEvents,
  balances,
  CommunityId,
  DeadLetter,
  Directory,
  type DirectorySnapshot,
  drain,
  EventId,
  GENESIS_HASH,
  getAccount,
  HouseholdId,
  JournalEntry,
  JournalStore,
  LedgerStore,
  openAccount,
  postTransaction,
  readJournal,
  ResidentActor,
  ResidentId,
  reverseTransaction,
  Role,
  StaffActor,
  StaffId,
  type StoragePorts,
  SubscriptionStore,
  SystemActor,
  Transaction,
  verifyJournal
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option, Schema } from "effect"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const TestEvent = Schema.Union(
  Schema.TaggedStruct("TestHappened", { n: Schema.Number, note: Schema.String }),
  Schema.TaggedStruct("TestOther", { text: Schema.String })
)

const system = (c: CommunityId) => new SystemActor({ communityId: c, process: "conformance" })
const treasurer = (c: CommunityId) =>
  new StaffActor({ communityId: c, staffId: StaffId.make("s-treasurer"), roles: [Role.make("treasurer")], departments: [] })

const openPair = (c: CommunityId, floor: number | undefined = 0) =>
  Effect.gen(function* () {
    yield* openAccount(system(c), { communityId: c, accountId: "issuance", unit: "points", kind: "issuance" })
    yield* openAccount(system(c), {
      communityId: c,
      accountId: "alice",
      unit: "points",
      kind: "resident-points",
      owner: "r-1",
      ...(floor === undefined ? {} : { floor })
    })
    yield* openAccount(system(c), { communityId: c, accountId: "bob", unit: "points", kind: "resident-points", owner: "r-2", floor: 0 })
  })

const balance = (c: CommunityId, id: string) =>
  Effect.flatMap(LedgerStore, (s) => s.getAccount(c, AccountId.make(id))).pipe(
    Effect.map((a) => Option.getOrThrow(a).balance)
  )

/**
 * The kernel's cases: directory, journal, transactions, ledger, subscriptions.
 *
 * @since 0.1.0
 * @category conformance
 */
export const kernelSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
      describe("directory", () => {
        it.effect("serves a loaded community and filters households", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            const snapshot = generateCommunity({ seed: 7, communityId: c, buildings: 2, floors: 3 })
            yield* options.loadDirectory(snapshot)
            const dir = yield* Directory
            expect((yield* dir.getCommunity(c)).name).toBe(snapshot.community.name)
            expect((yield* dir.listBuildings(c)).map((b) => b.id).sort()).toEqual(snapshot.buildings.map((b) => b.id).sort())
            const all = yield* dir.listHouseholds(c)
            expect(all.length).toBe(snapshot.households.length)
            const b1 = yield* dir.listHouseholds(c, { buildingId: snapshot.buildings[0]!.id })
            expect(b1.length).toBe(snapshot.households.filter((h) => h.buildingId === snapshot.buildings[0]!.id).length)
            const h = snapshot.households[3]!
            const got = yield* dir.getHousehold(c, h.id)
            expect(got.exclusiveAreaDm2).toBe(h.exclusiveAreaDm2)
            expect([...got.ownerIds]).toEqual([...h.ownerIds])
            const r = snapshot.residents.find((x) => x.family.length > 0)!
            const gotR = yield* dir.getResident(c, r.id)
            expect(gotR.family).toEqual(r.family)
            expect(gotR.phone).toBe(r.phone)
            expect((yield* dir.listResidents(c, h.id)).length).toBe(snapshot.residents.filter((x) => x.householdId === h.id).length)
            expect((yield* dir.listStaff(c)).length).toBe(snapshot.staff.length)
            expect((yield* dir.listDepartments(c)).length).toBe(snapshot.departments.length)
            expect((yield* dir.getStaff(c, StaffId.make("s-admin"))).roles).toEqual(["admin"])
          }), timeout)

        it.effect("never returns another community's records", () =>
          Effect.gen(function* () {
            const a = freshCommunityId()
            const b = freshCommunityId()
            yield* options.loadDirectory(generateCommunity({ seed: 1, communityId: a, buildings: 1, floors: 2 }))
            yield* options.loadDirectory(generateCommunity({ seed: 2, communityId: b, buildings: 1, floors: 2 }))
            const dir = yield* Directory
            const aHouseholds = yield* dir.listHouseholds(a)
            expect(aHouseholds.every((h) => h.communityId === a)).toBe(true)
            // Same ids exist in both communities: each lookup stays in its own.
            const hid = HouseholdId.make("h-1-1-101")
            expect((yield* dir.getHousehold(a, hid)).communityId).toBe(a)
            expect((yield* dir.getHousehold(b, hid)).communityId).toBe(b)
            const missing = yield* Effect.exit(dir.getResident(freshCommunityId(), ResidentId.make("r-00001")))
            expect(Exit.isFailure(missing) && missing.cause._tag === "Fail" && missing.cause.error._tag).toBe("NotFound")
          }), timeout)
      })

      describe("journal", () => {
        it.effect("appends chained entries, reads them in pages, and verifies", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            const tx = yield* Transaction
            for (let i = 0; i < 5; i++) {
              yield* tx.run(appendEvents(c, TestEvent, [{ _tag: "TestHappened", n: i, note: `第${i}次` }, { _tag: "TestOther", text: "x" }]))
            }
            const store = yield* JournalStore
            const entries = yield* readJournal(c, 0, 3)
            expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
            expect(entries[0]!.prevHash).toBe(GENESIS_HASH)
            expect(entries[1]!.prevHash).toBe(entries[0]!.hash)
            expect(entries[0]!.payload).toEqual({ _tag: "TestHappened", n: 0, note: "第0次" })
            expect(Option.getOrThrow(yield* store.head(c))).toEqual({ seq: 10, hash: entries[9]!.hash })
            expect((yield* store.read(c, 8, 100)).map((e) => e.seq)).toEqual([9, 10])
            const result = yield* verifyJournal(c)
            expect(result).toEqual({ ok: true, entries: 10, head: { seq: 10, hash: entries[9]!.hash } })
            expect(yield* store.communities()).toContain(c)
          }), timeout)

        it.effect("refuses an append that does not follow the head", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            const tx = yield* Transaction
            const [first] = yield* tx.run(appendEvents(c, TestEvent, [{ _tag: "TestOther", text: "a" }]))
            const store = yield* JournalStore
            const forged = new JournalEntry({ ...first!, seq: 1, eventId: EventId.make("ev_forged") })
            const exit = yield* Effect.exit(tx.run(store.append(c, [forged])))
            expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe("Conflict")
            expect((yield* readJournal(c)).length).toBe(1)
          }), timeout)

        it.effect("keeps communities' journals apart", () =>
          Effect.gen(function* () {
            const a = freshCommunityId()
            const b = freshCommunityId()
            const tx = yield* Transaction
            yield* tx.run(appendEvents(a, TestEvent, [{ _tag: "TestOther", text: "a" }]))
            yield* tx.run(appendEvents(b, TestEvent, [{ _tag: "TestOther", text: "b1" }, { _tag: "TestOther", text: "b2" }]))
            expect((yield* readJournal(a)).map((e) => e.communityId)).toEqual([a])
            expect((yield* readJournal(b)).map((e) => (e.payload as { text: string }).text)).toEqual(["b1", "b2"])
            expect((yield* verifyJournal(a)).ok).toBe(true)
            expect((yield* verifyJournal(b)).ok).toBe(true)
          }), timeout)
      })

      describe("transactions", () => {
        it.effect("a failure half-way leaves ledger and journal exactly as before", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            yield* openPair(c)
            yield* postTransaction(system(c), { communityId: c, unit: "points", kind: "award", memo: "seed", postings: [{ accountId: "issuance", amount: -50 }, { accountId: "alice", amount: 50 }] })
            const journal = yield* JournalStore
            const headBefore = yield* journal.head(c)
            const tx = yield* Transaction
            const exit = yield* Effect.exit(
              tx.run(
                Effect.gen(function* () {
                  yield* postTransaction(system(c), { communityId: c, unit: "points", kind: "transfer", memo: "half", postings: [{ accountId: "alice", amount: -20 }, { accountId: "bob", amount: 20 }] })
                  yield* openAccount(system(c), { communityId: c, accountId: "carol", unit: "points", kind: "resident-points" })
                  return yield* Effect.fail("boom" as const)
                })
              )
            )
            expect(Exit.isFailure(exit)).toBe(true)
            expect(yield* balance(c, "alice")).toBe(50)
            expect(yield* balance(c, "bob")).toBe(0)
            expect(Option.isNone(yield* Effect.flatMap(LedgerStore, (s) => s.getAccount(c, AccountId.make("carol"))))).toBe(true)
            expect(yield* journal.head(c)).toEqual(headBefore)
            expect((yield* verifyJournal(c)).ok).toBe(true)
          }), timeout)

        it.effect("a defect rolls back too", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            yield* openPair(c)
            const tx = yield* Transaction
            const exit = yield* Effect.exit(
              tx.run(Effect.zipRight(
                postTransaction(system(c), { communityId: c, unit: "points", kind: "award", memo: "x", postings: [{ accountId: "issuance", amount: -5 }, { accountId: "bob", amount: 5 }] }),
                Effect.die(new Error("bug"))
              ))
            )
            expect(Exit.isFailure(exit)).toBe(true)
            expect(yield* balance(c, "bob")).toBe(0)
          }), timeout)

        it.effect("nested transactions are savepoints", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            yield* openPair(c)
            const tx = yield* Transaction
            const award = (to: string, amount: number) =>
              postTransaction(system(c), { communityId: c, unit: "points", kind: "award", memo: to, postings: [{ accountId: "issuance", amount: -amount }, { accountId: to, amount }] })
            yield* tx.run(
              Effect.gen(function* () {
                yield* award("alice", 10)
                yield* Effect.ignore(tx.run(Effect.zipRight(award("bob", 7), Effect.fail("inner"))))
                yield* award("alice", 1)
              })
            )
            expect(yield* balance(c, "alice")).toBe(11)
            expect(yield* balance(c, "bob")).toBe(0)
            expect((yield* readJournal(c)).filter((e) => e.type === "LedgerTransactionPosted").length).toBe(2)
            expect((yield* verifyJournal(c)).ok).toBe(true)
          }), timeout)
      })

      describe("ledger", () => {
        it.effect("posts balanced transfers, enforces floors, and changes nothing on refusal", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            yield* openPair(c)
            yield* postTransaction(system(c), { communityId: c, unit: "points", kind: "award", memo: "vote", postings: [{ accountId: "issuance", amount: -30 }, { accountId: "alice", amount: 30 }] })
            yield* postTransaction(treasurer(c), { communityId: c, unit: "points", kind: "transfer", memo: "gift", postings: [{ accountId: "alice", amount: -12 }, { accountId: "bob", amount: 12 }] })
            expect([yield* balance(c, "issuance"), yield* balance(c, "alice"), yield* balance(c, "bob")]).toEqual([-30, 18, 12])
            const journal = yield* JournalStore
            const head = yield* journal.head(c)
            const refused = yield* Effect.exit(postTransaction(system(c), { communityId: c, unit: "points", kind: "transfer", memo: "too much", postings: [{ accountId: "bob", amount: -13 }, { accountId: "alice", amount: 13 }] }))
            expect(Exit.isFailure(refused) && refused.cause._tag === "Fail" && refused.cause.error._tag).toBe("InsufficientBalance")
            expect([yield* balance(c, "alice"), yield* balance(c, "bob")]).toEqual([18, 12])
            expect(yield* journal.head(c)).toEqual(head)
          }), timeout)

        it.effect("rejects duplicate accounts and unknown accounts", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            yield* openPair(c)
            const dup = yield* Effect.exit(openAccount(system(c), { communityId: c, accountId: "alice", unit: "points", kind: "resident-points" }))
            expect(Exit.isFailure(dup) && dup.cause._tag === "Fail" && dup.cause.error._tag).toBe("AlreadyExists")
            const unknown = yield* Effect.exit(postTransaction(system(c), { communityId: c, unit: "points", kind: "award", memo: "", postings: [{ accountId: "issuance", amount: -1 }, { accountId: "nobody", amount: 1 }] }))
            expect(Exit.isFailure(unknown) && unknown.cause._tag === "Fail" && unknown.cause.error._tag).toBe("NotFound")
          }), timeout)

        it.effect("reads many accounts in one call: id order, missing left out, per community; balances agree with getAccount", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            const d = freshCommunityId()
            yield* openPair(c)
            yield* openPair(d)
            yield* postTransaction(system(c), {
              communityId: c,
              unit: "points",
              kind: "award",
              memo: "bulk",
              postings: [{ accountId: "issuance", amount: -30 }, { accountId: "bob", amount: 30 }]
            })
            const s = yield* LedgerStore
            const many = yield* s.getAccounts(c, [AccountId.make("bob"), AccountId.make("nope"), AccountId.make("alice"), AccountId.make("bob")])
            expect(many.map((a) => [a.id, a.balance])).toEqual([["alice", 0], ["bob", 30]])
            expect(yield* s.getAccounts(c, [])).toEqual([])
            expect(yield* s.getAccounts(freshCommunityId(), [AccountId.make("bob")])).toEqual([])
            const r = yield* balances(treasurer(c), { communityId: c, accountIds: ["bob", "nope", "alice"] })
            expect(r.missing).toEqual(["nope"])
            expect(r.accounts.map((a) => a.id)).toEqual(["alice", "bob"])
            for (const a of r.accounts) expect(a).toEqual(yield* getAccount(treasurer(c), c, a.id))
            const alice = new ResidentActor({ communityId: c, residentId: ResidentId.make("r-1") })
            expect((yield* balances(alice, { communityId: c, accountIds: ["alice"] })).accounts.map((a) => a.id)).toEqual(["alice"])
            expect(yield* Effect.flip(balances(alice, { communityId: c, accountIds: ["alice", "bob"] }))).toMatchObject({ _tag: "Forbidden" })
            expect(yield* Effect.flip(balances(treasurer(d), { communityId: c, accountIds: ["bob"] }))).toMatchObject({ _tag: "Forbidden" })
          }), timeout)

        it.effect("replays an idempotent request and refuses a reused key", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            yield* openPair(c)
            const req = { communityId: c, unit: "points" as const, kind: "award", memo: "report", idempotencyKey: "evt-1", postings: [{ accountId: "issuance", amount: -3 }, { accountId: "alice", amount: 3 }] }
            const first = yield* postTransaction(system(c), req)
            const again = yield* postTransaction(system(c), req)
            expect(again.id).toBe(first.id)
            expect(yield* balance(c, "alice")).toBe(3)
            const reused = yield* Effect.exit(postTransaction(system(c), { ...req, memo: "different" }))
            expect(Exit.isFailure(reused) && reused.cause._tag === "Fail" && reused.cause.error._tag).toBe("IdempotencyKeyReused")
          }), timeout)

        it.effect("reverses once with a linked compensating transaction; statements show both", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            yield* openPair(c)
            const t = yield* postTransaction(system(c), { communityId: c, unit: "points", kind: "award", memo: "oops", postings: [{ accountId: "issuance", amount: -8 }, { accountId: "bob", amount: 8 }] })
            const r = yield* reverseTransaction(system(c), { communityId: c, txId: t.id, memo: "mistake" })
            expect(r.reverses).toBe(t.id)
            expect(yield* balance(c, "bob")).toBe(0)
            const twice = yield* Effect.exit(reverseTransaction(system(c), { communityId: c, txId: t.id, memo: "again" }))
            expect(Exit.isFailure(twice)).toBe(true)
            const store = yield* LedgerStore
            const lines = yield* store.statement(c, AccountId.make("bob"), { from: 0, to: Number.MAX_SAFE_INTEGER, limit: 100 })
            expect(lines.map((l) => [l.amount, l.balanceAfter, l.kind])).toEqual([[8, 8, "award"], [-8, 0, "reversal"]])
            expect(Option.getOrThrow(yield* store.findReversal(c, t.id)).id).toBe(r.id)
          }), timeout)

        it.effect("refuses commands for another community with Forbidden and changes nothing", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            const other = freshCommunityId()
            yield* openPair(c)
            const intruder = treasurer(other)
            const attempts: ReadonlyArray<Effect.Effect<unknown, unknown, StoragePorts>> = [
              openAccount(intruder, { communityId: c, accountId: "evil", unit: "points", kind: "resident-points" }),
              postTransaction(intruder, { communityId: c, unit: "points", kind: "award", memo: "", postings: [{ accountId: "issuance", amount: -1 }, { accountId: "alice", amount: 1 }] }),
              getAccount(intruder, c, AccountId.make("alice")),
              postTransaction(new ResidentActor({ communityId: c, residentId: ResidentId.make("r-1") }), { communityId: c, unit: "points", kind: "award", memo: "", postings: [{ accountId: "issuance", amount: -1 }, { accountId: "alice", amount: 1 }] })
            ]
            for (const attempt of attempts) {
              const exit = yield* Effect.exit(attempt)
              expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && (exit.cause.error as { _tag: string })._tag).toBe("Forbidden")
            }
            expect(yield* balance(c, "alice")).toBe(0)
            expect(Option.isNone(yield* Effect.flatMap(LedgerStore, (s) => s.getAccount(c, AccountId.make("evil"))))).toBe(true)
            // The same account id in another community is a different account.
            expect(Option.isNone(yield* Effect.flatMap(LedgerStore, (s) => s.getAccount(other, AccountId.make("alice"))))).toBe(true)
          }), timeout)
      })

      describe("subscriptions", () => {
        it.effect("cursors advance, dead letters are kept with reasons and can be removed", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            const subs = yield* SubscriptionStore
            const tx = yield* Transaction
            // Dead letters refer to real journal entries.
            for (let i = 0; i < 4; i++) yield* tx.run(appendEvents(c, TestEvent, [{ _tag: "TestOther", text: `e${i}` }]))
            const third = (yield* readJournal(c))[2]!
            expect(yield* subs.position(c, "s")).toBe(0)
            expect(yield* tx.run(subs.claim(c, "s"))).toEqual(Option.some(0))
            yield* tx.run(subs.advance(c, "s", 4))
            expect(yield* subs.position(c, "s")).toBe(4)
            expect(yield* subs.position(c, "other")).toBe(0)
            const letter = new DeadLetter({ communityId: c, subscriber: "s", seq: 3, eventId: third.eventId, type: third.type, reason: "Error: boom", attempts: 5, failedAt: 1000 })
            yield* tx.run(subs.addDeadLetter(letter))
            expect(yield* subs.deadLetters(c, "s")).toEqual([letter])
            expect(yield* subs.deadLetters(freshCommunityId())).toEqual([])
            yield* tx.run(subs.removeDeadLetter(c, "s", 3))
            expect(yield* subs.deadLetters(c)).toEqual([])
          }), timeout)

        it.effect("drain handles every entry once and dead-letters a failing one", () =>
          Effect.gen(function* () {
            const c = freshCommunityId()
            const tx = yield* Transaction
            for (let i = 1; i <= 7; i++) yield* tx.run(appendEvents(c, TestEvent, [{ _tag: "TestHappened", n: i, note: "" }]))
            const seen: Array<number> = []
            const report = yield* drain({
              name: "conformance-drain",
              attempts: 2,
              backoff: "1 millis",
              batchSize: 3,
              handle: (e) => {
                const n = (e.payload as { n: number }).n
                if (n === 5) return Effect.fail(new Error("cannot handle five"))
                return Effect.sync(() => { seen.push(n) })
              }
            }, c)
            expect(report.deadLettered).toBe(1)
            expect(report.processed).toBe(6)
            // Batches that failed were rolled back; each entry counts once in the end.
            expect([...new Set(seen)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 6, 7])
            const subs = yield* SubscriptionStore
            expect(yield* subs.position(c, "conformance-drain")).toBe(7)
            const letters = yield* subs.deadLetters(c, "conformance-drain")
            expect(letters.map((l) => [l.seq, l.attempts, l.reason])).toEqual([[5, 2, "Error: cannot handle five"]])
            const again = yield* drain({ name: "conformance-drain", handle: () => Effect.die("must not run") }, c)
            expect(again.processed).toBe(0)
          }), timeout)
      })
}
