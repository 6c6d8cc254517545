/**
 * The issues store's conformance cases: the `IssueStore` port's contract,
 * directly and through the module's commands.
 *
 * @since 0.1.0
 */
import {
  ChinaCalendar,
  type CommunityId,
  Issues,
  type LocalDate,
  ResidentActor,
  ResidentId,
  StaffActor,
  StaffId,
  SystemActor,
  Transaction
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Clock, Effect, Exit, Option } from "effect"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const fixedClock = (millis: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  sleep: () => Effect.void
})

/** Runs commands at a fixed instant in 2026 (inside the published holiday data) with the China calendar. */
const at = (iso: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.provide(ChinaCalendar.layerDefault), Effect.withClock(fixedClock(Date.parse(iso))))

const deadline = (dueAt: number): Issues.Deadline => ({ unit: "hours", amount: 1, dueAt, warnAt: dueAt, warned: false, breached: false })

/** A valid case record for direct store calls. */
const record = (c: CommunityId, id: string, o: Partial<Issues.IssueCase> = {}): Issues.IssueCase => ({
  communityId: c,
  id: Issues.CaseId.make(id),
  number: `2026-${id.replace(/\D/g, "").padStart(6, "0")}`,
  typeId: Issues.CaseTypeId.make("street-light"),
  priority: "normal",
  status: "submitted",
  channel: "app",
  location: { buildingId: "b-1" as never },
  description: "路灯不亮",
  photos: [],
  attributes: { "lights-out": 2, when: ["night"] },
  anonymous: false,
  reporter: {},
  followers: [],
  assisting: [],
  returns: 0,
  receivedAt: 1000,
  response: deadline(5000),
  resolution: deadline(9000),
  publicExpectedDate: "2026-10-15" as LocalDate,
  followUps: [],
  reopenCount: 0,
  mediation: [],
  timeline: [{ seq: 1, kind: "submitted", at: 1000, actor: "resident:r-1", actorKind: "reporter", visibility: "public" }],
  nextDueAt: 5000,
  createdAt: 1000,
  updatedAt: 1000,
  version: 1,
  ...o
})

const store = Issues.IssueStore
const get = (c: CommunityId, id: string) => Effect.flatMap(store, (s) => s.getCase(c, Issues.CaseId.make(id)))

/**
 * The issues module's cases.
 *
 * @since 0.1.0
 * @category conformance
 */
export const issuesSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
  describe("issues store", () => {
    it.effect("round-trips a case by id and by number, JSON fields intact", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const full = record(c, "case-1", {
          location: { point: { lat: 31.2345678, lng: 121.4567891 }, address: "东门" },
          photos: [{ ref: "https://x/1.jpg", mimeType: "image/jpeg", sizeBytes: 123, sha256: "a".repeat(64) }],
          reporter: { residentId: "r-1" as never, name: "张三", phone: "13812345678" },
          followers: ["r-2" as never],
          lead: "dept-property" as never,
          mediation: [{ tier: "stakeholder-group", openedAt: 5, sessions: [{ at: 5, participants: ["a", "b"] }], outcome: { kind: "escalate", at: 6 } }],
          closure: { resolution: "fixed", resolvedBy: "staff:s-1" }
        })
        yield* s.insertCase(full)
        expect(Option.getOrThrow(yield* s.getCase(c, full.id))).toStrictEqual(full)
        expect(Option.getOrThrow(yield* s.getCaseByNumber(c, full.number))).toStrictEqual(full)
        expect(Option.isNone(yield* s.getCase(c, Issues.CaseId.make("missing")))).toBe(true)
        expect(Option.isNone(yield* s.getCaseByNumber(c, "2026-999999"))).toBe(true)
      }), timeout)

    it.effect("rejects a second case with the same id or number; communities are apart", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const s = yield* store
        yield* s.insertCase(record(c, "case-1"))
        expect(yield* Effect.flip(s.insertCase(record(c, "case-1", { number: "2026-000099" })))).toMatchObject({ _tag: "AlreadyExists" })
        expect(yield* Effect.flip(s.insertCase(record(c, "case-2", { number: "2026-000001" })))).toMatchObject({ _tag: "AlreadyExists" })
        yield* s.insertCase(record(d, "case-1", { description: "other community" }))
        expect(Option.getOrThrow(yield* get(c, "case-1")).description).toBe("路灯不亮")
        expect(Option.getOrThrow(yield* get(d, "case-1")).description).toBe("other community")
        expect(Option.isNone(yield* get(freshCommunityId(), "case-1"))).toBe(true)
      }), timeout)

    it.effect("updates only from the expected version and only by appending to the timeline", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const v1 = record(c, "case-1")
        yield* s.insertCase(v1)
        const step = { seq: 2, kind: "accepted" as const, at: 2000, actor: "staff:s-1", actorKind: "staff" as const, visibility: "public" as const }
        const v2 = { ...v1, status: "accepted" as const, timeline: [...v1.timeline, step], version: 2, updatedAt: 2000 }
        yield* s.updateCase(v2, 1)
        expect(Option.getOrThrow(yield* get(c, "case-1"))).toStrictEqual(v2)
        expect(yield* Effect.flip(s.updateCase({ ...v2, version: 2 }, 1))).toMatchObject({ _tag: "Conflict" })
        expect(yield* Effect.flip(s.updateCase({ ...v2, version: 4 }, 2))).toMatchObject({ _tag: "Conflict" })
        expect(yield* Effect.flip(s.updateCase({ ...v2, timeline: [v1.timeline[0]!], version: 3 }, 2))).toMatchObject({ _tag: "Conflict" })
        expect(yield* Effect.flip(s.updateCase({ ...v2, timeline: [v1.timeline[0]!, { ...step, kind: "rejected" }], version: 3 }, 2))).toMatchObject({ _tag: "Conflict" })
        expect(yield* Effect.flip(s.updateCase(record(c, "case-9", { version: 2 }), 1))).toMatchObject({ _tag: "NotFound" })
        expect(Option.getOrThrow(yield* get(c, "case-1"))).toStrictEqual(v2)
      }), timeout)

    it.effect("numbers cases 1, 2, 3 per community and year; a rolled-back number is handed out again", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const s = yield* store
        const tx = yield* Transaction
        expect([yield* s.nextCaseNumber(c, 2026), yield* s.nextCaseNumber(c, 2026), yield* s.nextCaseNumber(c, 2027)]).toEqual([1, 2, 1])
        expect(yield* s.nextCaseNumber(d, 2026)).toBe(1)
        const failed = yield* Effect.exit(tx.run(Effect.flatMap(s.nextCaseNumber(c, 2026), (n) => Effect.fail(n))))
        expect(failed).toStrictEqual(Exit.fail(3))
        expect(yield* s.nextCaseNumber(c, 2026)).toBe(3)
      }), timeout)

    it.effect("lists due cases by next due time, then id, up to the limit, and follows updates", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const n = (id: string, nextDueAt: number | undefined, o: Partial<Issues.IssueCase> = {}) => {
          const { nextDueAt: _, ...rest } = record(c, id, o)
          return nextDueAt === undefined ? rest : { ...rest, nextDueAt }
        }
        yield* s.insertCase(n("case-1", 5_000_000))
        yield* s.insertCase(n("case-2", 1_000))
        yield* s.insertCase(n("case-3", 1_000))
        yield* s.insertCase(n("case-4", undefined))
        yield* s.insertCase(n("case-5", 99_000_000_000))
        const due = (by: number, limit = 100) => Effect.map(s.listDue(c, by, limit), (xs) => xs.map((x) => x.id))
        expect(yield* due(5_000_000)).toStrictEqual(["case-2", "case-3", "case-1"])
        expect(yield* due(5_000_000, 2)).toStrictEqual(["case-2", "case-3"])
        expect(yield* due(999)).toStrictEqual([])
        const cur = Option.getOrThrow(yield* get(c, "case-2"))
        const { nextDueAt: _, ...paused } = cur
        yield* s.updateCase({ ...paused, version: 2 }, 1)
        const c3 = Option.getOrThrow(yield* get(c, "case-3"))
        yield* s.updateCase({ ...c3, nextDueAt: 7_000_000, version: 2 }, 1)
        expect(yield* due(10_000_000)).toStrictEqual(["case-1", "case-3"])
        expect(yield* Effect.map(s.listDue(freshCommunityId(), Number.MAX_SAFE_INTEGER, 10), (xs) => xs.length)).toBe(0)
      }), timeout)

    it.effect("lists open cases by type, cases by creation with a cursor, and a resident's cases", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        yield* s.insertCase(record(c, "case-1", { createdAt: 300, reporter: { residentId: "r-1" as never } }))
        yield* s.insertCase(record(c, "case-2", { createdAt: 100, followers: ["r-1" as never] }))
        yield* s.insertCase(record(c, "case-3", { createdAt: 200, typeId: Issues.CaseTypeId.make("noise") }))
        yield* s.insertCase(record(c, "case-4", { createdAt: 100, status: "closed" }))
        const ids = (xs: ReadonlyArray<Issues.IssueCase>) => xs.map((x) => x.id)
        expect(ids(yield* s.listOpen(c, Issues.CaseTypeId.make("street-light")))).toStrictEqual(["case-2", "case-1"])
        expect(ids(yield* s.listOpen(c))).toStrictEqual(["case-2", "case-3", "case-1"])
        expect(ids(yield* s.listCases(c, { limit: 10 }))).toStrictEqual(["case-2", "case-4", "case-3", "case-1"])
        expect(ids(yield* s.listCases(c, { limit: 2 }))).toStrictEqual(["case-2", "case-4"])
        expect(ids(yield* s.listCases(c, { limit: 10, after: { createdAt: 100, id: Issues.CaseId.make("case-4") } }))).toStrictEqual(["case-3", "case-1"])
        expect(ids(yield* s.listCases(c, { limit: 10, from: 150, to: 300 }))).toStrictEqual(["case-3"])
        expect(ids(yield* s.listByResident(c, ResidentId.make("r-1")))).toStrictEqual(["case-2", "case-1"])
        const c1 = Option.getOrThrow(yield* get(c, "case-1"))
        yield* s.updateCase({ ...c1, status: "closed", reporter: {}, version: 2 }, 1)
        expect(ids(yield* s.listOpen(c))).toStrictEqual(["case-2", "case-3"])
        expect(ids(yield* s.listByResident(c, ResidentId.make("r-1")))).toStrictEqual(["case-2"])
        expect(ids(yield* s.listOpen(freshCommunityId()))).toStrictEqual([])
      }), timeout)

    it.effect("records a report's idempotency key once per key and per case; rolled back with the transaction", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const s = yield* store
        const tx = yield* Transaction
        yield* s.insertCase(record(c, "case-1"))
        yield* s.insertCase(record(c, "case-2"))
        yield* s.insertCase(record(d, "case-1"))
        const key = (communityId: CommunityId, k: string, caseId: string): Issues.ReportKey => ({
          communityId, key: k, caseId: Issues.CaseId.make(caseId), fingerprint: "f".repeat(64), createdAt: 1234
        })
        expect(Option.isNone(yield* s.findReportKey(c, "k-1"))).toBe(true)
        yield* s.insertReportKey(key(c, "k-1", "case-1"))
        expect(Option.getOrThrow(yield* s.findReportKey(c, "k-1"))).toStrictEqual(key(c, "k-1", "case-1"))
        expect(yield* Effect.flip(s.insertReportKey(key(c, "k-1", "case-2")))).toMatchObject({ _tag: "AlreadyExists", entity: "IssueReportKey" })
        expect(yield* Effect.flip(s.insertReportKey(key(c, "k-2", "case-1")))).toMatchObject({ _tag: "AlreadyExists", entity: "IssueReportKeyCase" })
        // Another community may use the same key.
        yield* s.insertReportKey(key(d, "k-1", "case-1"))
        expect(Option.isNone(yield* s.findReportKey(freshCommunityId(), "k-1"))).toBe(true)
        const failed = yield* Effect.exit(tx.run(Effect.zipRight(s.insertReportKey(key(c, "k-3", "case-2")), Effect.fail("boom"))))
        expect(failed).toStrictEqual(Exit.fail("boom"))
        expect(Option.isNone(yield* s.findReportKey(c, "k-3"))).toBe(true)
        yield* s.insertReportKey(key(c, "k-3", "case-2"))
      }), timeout)

    it.effect("counts open cases per handler, follows updates, leaves out handlers with none", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const h = (id: string) => StaffId.make(id)
        yield* s.insertCase(record(c, "case-1", { handler: h("s-b") }))
        yield* s.insertCase(record(c, "case-2", { handler: h("s-b") }))
        yield* s.insertCase(record(c, "case-3", { handler: h("s-a") }))
        yield* s.insertCase(record(c, "case-4", { handler: h("s-a"), status: "closed" }))
        yield* s.insertCase(record(c, "case-5", { handler: h("s-x") }))
        yield* s.insertCase(record(freshCommunityId(), "case-6", { handler: h("s-c") }))
        const count = (handlers: ReadonlyArray<string>) => s.countOpenByHandler(c, handlers.map(h))
        expect(yield* count(["s-c", "s-b", "s-a"])).toStrictEqual([{ handler: "s-a", open: 1 }, { handler: "s-b", open: 2 }])
        expect(yield* count([])).toStrictEqual([])
        const c1 = Option.getOrThrow(yield* get(c, "case-1"))
        yield* s.updateCase({ ...c1, status: "closed", version: 2 }, 1)
        const c3 = Option.getOrThrow(yield* get(c, "case-3"))
        const { handler: _, ...unassigned } = c3
        yield* s.updateCase({ ...unassigned, version: 2 }, 1)
        const c2 = Option.getOrThrow(yield* get(c, "case-2"))
        yield* s.updateCase({ ...c2, handler: h("s-c"), version: 2 }, 1)
        expect(yield* count(["s-a", "s-b", "s-c"])).toStrictEqual([{ handler: "s-c", open: 1 }])
      }), timeout)

    it.effect("open cases of a department in one call: lead or assisting, not closed, oldest first, per community", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const s = yield* store
        const dept = "dept-a" as never
        yield* s.insertCase(record(c, "case-1", { lead: dept, createdAt: 3000 }))
        yield* s.insertCase(record(c, "case-2", { lead: "dept-b" as never, assisting: [dept], createdAt: 1000 }))
        yield* s.insertCase(record(c, "case-3", { lead: dept, status: "closed", closedAt: 4000, nextDueAt: undefined as never, createdAt: 500 }))
        yield* s.insertCase(record(c, "case-4", { lead: "dept-b" as never, createdAt: 200 }))
        yield* s.insertCase(record(c, "case-5", { createdAt: 100 }))
        yield* s.insertCase(record(freshCommunityId(), "case-6", { lead: dept }))
        expect((yield* s.listOpenByDepartment(c, dept)).map((x) => x.id)).toStrictEqual(["case-2", "case-1"])
        expect((yield* s.listOpenByDepartment(c, "dept-b" as never)).map((x) => x.id)).toStrictEqual(["case-4", "case-2"])
        expect(yield* s.listOpenByDepartment(c, "dept-z" as never)).toStrictEqual([])
        const dispatcher = new StaffActor({ communityId: c, staffId: StaffId.make("s-d"), roles: ["dispatcher" as never], departments: [] })
        const viaCommand = yield* Issues.openCasesOfDepartment(dispatcher, { communityId: c, departmentId: "dept-a" })
        expect(viaCommand.map((x) => x.id)).toStrictEqual(["case-2", "case-1"])
        const resident = new ResidentActor({ communityId: c, residentId: ResidentId.make("r-1") })
        expect(yield* Effect.flip(Issues.openCasesOfDepartment(resident, { communityId: c, departmentId: "dept-a" }))).toMatchObject({ _tag: "Forbidden" })
      }), timeout)

    it.effect("through the commands: a retried report with its idempotency key returns the first case", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 6, communityId: c, buildings: 1, floors: 2 })
        yield* options.loadDirectory(snapshot)
        const r = new ResidentActor({ communityId: c, residentId: snapshot.residents[0]!.id })
        const report = { communityId: c, typeId: "street-light", location: { buildingId: "b-1" }, description: "灯不亮", channel: "app" as const, idempotencyKey: "app-req-1" }
        const first = yield* at("2026-09-30T02:00:00Z")(Issues.submitReport(r, report))
        const again = yield* at("2026-09-30T02:05:00Z")(Issues.submitReport(r, report))
        expect(again).toStrictEqual(first)
        const reused = yield* Effect.flip(at("2026-09-30T02:06:00Z")(Issues.submitReport(r, { ...report, description: "另一盏灯" })))
        expect(reused._tag).toBe("IdempotencyKeyReused")
        const next = yield* at("2026-09-30T02:07:00Z")(Issues.submitReport(r, { ...report, idempotencyKey: "app-req-2" }))
        expect([first.number, next.number]).toStrictEqual(["2026-000001", "2026-000002"])
        const s = yield* store
        expect((yield* s.listCases(c, { limit: 10 })).map((x) => x.number)).toStrictEqual(["2026-000001", "2026-000002"])
      }), timeout)

    it.effect("through the commands: numbers, lifecycle, a failed command changes nothing, dueScan once", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 5, communityId: c, buildings: 1, floors: 2 })
        yield* options.loadDirectory(snapshot)
        const r = new ResidentActor({ communityId: c, residentId: snapshot.residents[0]!.id })
        const staff = (id: string) => {
          const s = snapshot.staff.find((x) => x.id === id)!
          return new StaffActor({ communityId: c, staffId: s.id, roles: s.roles, departments: s.departments })
        }
        const report = { communityId: c, typeId: "street-light", location: { buildingId: "b-1" }, description: "灯不亮", channel: "app" as const }
        const a = yield* at("2026-09-30T02:00:00Z")(Issues.submitReport(r, report))
        const b = yield* at("2026-09-30T03:00:00Z")(Issues.submitReport(r, report))
        expect([a.number, b.number]).toStrictEqual(["2026-000001", "2026-000002"])
        const ref = { communityId: c, caseId: a.caseId }
        yield* at("2026-09-30T04:00:00Z")(Issues.accept(staff("s-clerk"), ref))
        yield* at("2026-09-30T04:00:00Z")(Issues.dispatch(staff("s-dispatcher"), ref))
        const before = Option.getOrThrow(yield* get(c, a.caseId))
        expect(before.status).toBe("dispatched")
        expect(before.version).toBe(3)
        const late = yield* Effect.flip(at("2026-10-12T02:00:00Z")(Issues.returnCase(staff("s-handler-property"), { ...ref, reason: "x" })))
        expect(late._tag).toBe("IssueReturnWindowExpired")
        expect(Option.getOrThrow(yield* get(c, a.caseId))).toStrictEqual(before)
        const sys = new SystemActor({ communityId: c, process: "conformance" })
        const first = yield* at("2026-10-20T02:00:00Z")(Issues.dueScan(sys, { communityId: c }))
        expect(first).toStrictEqual({ scanned: 2, warnings: 4, breaches: 4 })
        expect(yield* at("2026-10-20T02:00:00Z")(Issues.dueScan(sys, { communityId: c }))).toStrictEqual({ scanned: 0, warnings: 0, breaches: 0 })
        const after = Option.getOrThrow(yield* get(c, a.caseId))
        expect(after.resolution).toMatchObject({ warned: true, breached: true })
        expect(after.nextDueAt).toBeUndefined()
      }), timeout)
  })
}
