import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import {
  type Actor,
  checkPermission,
  CommunityId,
  decodeEntry,
  Gongzhi,
  Issues,
  readJournal,
  ResidentActor,
  ResidentId,
  StaffActor,
  SystemActor
} from "../src/index.js"
import { snapshot } from "./support.js"

const community = generateCommunity({ seed: 12345, communityId: "c-issues", buildings: 2, floors: 3 })
const C = CommunityId.make("c-issues")
const layer = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))
const withConfig = (settings: Partial<Issues.IssuesSettings>) =>
  Layer.merge(layer, Layer.succeed(Issues.IssuesConfig, { ...Issues.defaultIssuesSettings, ...settings }))

const staff = (id: string): Actor => {
  const s = community.staff.find((x) => x.id === id)!
  return new StaffActor({ communityId: C, staffId: s.id, roles: s.roles, departments: s.departments })
}
const clerk = staff("s-clerk")
const dispatcher = staff("s-dispatcher")
const property = staff("s-handler-property")
const sanitation = staff("s-handler-sanitation")
const security = staff("s-handler-security")
const mediator = staff("s-mediator")
const admin = staff("s-admin")
const system = new SystemActor({ communityId: C, process: "scheduler" })
const resident = (id: string) => new ResidentActor({ communityId: C, residentId: ResidentId.make(id) })
const alice = resident(community.residents[0]!.id)
const bob = resident(community.residents[1]!.id)
const carol = resident(community.residents[2]!.id)

/** Wednesday 30 Sep 2026, 10:00 in Shanghai: the day before Golden Week. */
const SEP30 = Date.parse("2026-09-30T02:00:00Z")
const at = (iso: string) => TestClock.setTime(Date.parse(iso))
const photo = { ref: "https://img.example/light.jpg", mimeType: "image/jpeg", sizeBytes: 120_000, sha256: "b".repeat(64) }
const light = (extra: Record<string, unknown> = {}) => ({
  communityId: C,
  typeId: "street-light",
  location: { buildingId: "b-1", unitId: "b-1-u-1", address: "1号楼1单元门口" },
  description: "楼门口路灯不亮",
  photos: [photo],
  channel: "app" as const,
  ...extra
})
const ids = (x: { caseId: Issues.CaseId }) => ({ communityId: C, caseId: x.caseId })
const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))
const events = Effect.map(readJournal(C), (es) => es.flatMap((e) => {
  const d = decodeEntry(Issues.IssueEvent)(e)
  return d._tag === "Some" ? [d.value] : []
}))
const failure = <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.flip(e)

/** Submitted by alice, accepted, dispatched (routed to property), signed for and started. */
const inProgress = (extra: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const r = yield* Issues.submitReport(alice, light(extra))
    yield* Issues.accept(clerk, ids(r))
    yield* Issues.dispatch(dispatcher, ids(r))
    yield* Issues.signFor(property, ids(r))
    yield* Issues.start(property, ids(r))
    return r
  })

describe("issues: report to closed", () => {
  it.effect("walks a report to closed; the reporter sees every step, never internal notes", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light())
      expect(r.number).toBe("2026-000001")
      expect(r.publicExpectedDate).toBe("2026-10-15")
      yield* Issues.accept(clerk, { ...ids(r), note: "已受理" })
      const dispatched = yield* Issues.dispatch(dispatcher, ids(r))
      expect(dispatched.lead).toBe("dept-property")
      yield* at("2026-10-08T01:00:00Z")
      yield* Issues.signFor(property, ids(r))
      yield* Issues.addNote(property, { ...ids(r), note: "内部：需要更换镇流器，库存不足" })
      yield* Issues.start(property, { ...ids(r), note: "维修人员已出发" })
      yield* Issues.answer(property, { ...ids(r), fixed: true, note: "已更换灯具，恢复照明", media: [photo] })
      yield* Issues.addNote(alice, { ...ids(r), note: "谢谢！" })
      const closed = yield* Issues.followUp(clerk, { ...ids(r), reached: true, fixed: true, satisfaction: "satisfied" })
      expect(closed.status).toBe("closed")
      expect(closed.closure).toEqual({ resolution: "fixed", resolvedBy: "staff:s-handler-property" })

      const view = yield* Issues.viewCase(alice, C, r.caseId)
      expect(view.status).toBe("closed")
      expect(view.timeline.map((s) => s.kind)).toEqual([
        "submitted", "accepted", "dispatched", "signed-for", "started", "answered", "note", "followed-up", "closed"
      ])
      expect(view.timeline.find((s) => s.kind === "note")!.actorKind).toBe("reporter")
      expect(JSON.stringify(view)).not.toContain("镇流器")
      expect(JSON.stringify(view)).not.toContain("s-handler-property")
      const full = yield* Issues.getCase(dispatcher, C, r.caseId)
      expect(full.timeline.some((s) => s.note?.includes("镇流器") && s.visibility === "internal")).toBe(true)
      expect(Issues.deriveStatus(full.timeline)).toBe(full.status)

      const tags = (yield* events).map((e) => e._tag)
      expect(tags.filter((t) => t === "IssueStatusChanged")).toHaveLength(7)
      expect(tags).toContain("IssueReportSubmitted")
      expect(tags).toContain("IssueCaseClosed")
      const submitted = (yield* events).find((e) => e._tag === "IssueReportSubmitted")!
      expect(submitted).toEqual({ _tag: "IssueReportSubmitted", caseId: r.caseId, caseNumber: "2026-000001", typeId: "street-light", reporterId: alice.residentId, publicExpectedDate: "2026-10-15" })
      expect(yield* Issues.myCases(alice)).toHaveLength(1)
    }).pipe(Effect.provide(layer)))

  it.effect("numbers cases per community and year without gaps, even after a refused report", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const a = yield* Issues.submitReport(alice, light())
      const blocked = yield* failure(Issues.submitReport(bob, { ...light(), typeId: "gas-smell", attributes: { danger: true } }))
      expect(blocked).toBeInstanceOf(Issues.BlockedByAttribute)
      expect((blocked as Issues.BlockedByAttribute).guidance["zh-CN"]).toContain("119")
      const b = yield* Issues.submitReport(clerk, { ...light(), channel: "hotline", contact: { name: "王先生", phone: "13900001111" } })
      expect([a.number, b.number]).toEqual(["2026-000001", "2026-000002"])
      const hotline = (yield* events).filter((e) => e._tag === "IssueReportSubmitted")[1]!
      expect("reporterId" in hotline).toBe(false)
    }).pipe(Effect.provide(layer)))

  it.effect("refuses unknown types, bad attributes, forged reporters and other tenants, changing nothing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const before = yield* state
      expect(yield* failure(Issues.submitReport(alice, { ...light(), typeId: "ufo" }))).toBeInstanceOf(Issues.UnknownCaseType)
      const invalid = yield* failure(Issues.submitReport(alice, { ...light(), typeId: "water-leak", attributes: { where: "garden" } }))
      expect(invalid._tag).toBe("InvalidInput")
      expect(yield* failure(Issues.submitReport(alice, { ...light(), reporterId: bob.residentId }))).toMatchObject({ _tag: "Forbidden", reason: "not-self" })
      const other = new ResidentActor({ communityId: CommunityId.make("elsewhere"), residentId: alice.residentId })
      expect(yield* failure(Issues.submitReport(other, light()))).toMatchObject({ _tag: "Forbidden", reason: "tenant" })
      expect(yield* state).toEqual(before)
    }).pipe(Effect.provide(layer)))

  it.effect("fails with CalendarNotPublished when a deadline runs past the published holidays", () =>
    Effect.gen(function* () {
      yield* at("2026-12-28T02:00:00Z")
      const before = yield* state
      const e = yield* failure(Issues.submitReport(alice, light()))
      expect(e).toBeInstanceOf(Issues.CalendarNotPublished)
      expect((e as Issues.CalendarNotPublished).code).toBe("ISSUE_CALENDAR_NOT_PUBLISHED")
      expect(yield* state).toEqual(before)
    }).pipe(Effect.provide(layer)))
})

describe("issues: deadlines", () => {
  it.effect("counts across Golden Week from the day after receipt (default)", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light())
      const c = yield* Issues.getCase(admin, C, r.caseId)
      expect(c.resolution.dueDate).toBe("2026-10-15")
      expect(c.resolution.dueAt).toBe(Date.parse("2026-10-15T16:00:00Z"))
      expect(c.resolution.warnAt).toBe(Date.parse("2026-10-14T16:00:00Z"))
      expect(c.response.dueDate).toBe("2026-10-08")
    }).pipe(Effect.provide(layer)))

  it.effect("counts from the day of receipt when configured", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light())
      const c = yield* Issues.getCase(admin, C, r.caseId)
      expect(c.resolution.dueDate).toBe("2026-10-14")
      expect(c.response.dueDate).toBe("2026-09-30")
      expect(c.publicExpectedDate).toBe("2026-10-14")
    }).pipe(Effect.provide(withConfig({ counting: "receipt-day" }))))

  it.effect("keeps the public date apart from the internal deadline", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light())
      expect(r.publicExpectedDate).toBe("2026-10-19")
      const c = yield* Issues.getCase(admin, C, r.caseId)
      expect(c.resolution.dueDate).toBe("2026-10-15")
      expect(JSON.stringify(yield* Issues.viewCase(alice, C, r.caseId))).not.toContain("2026-10-15")
    }).pipe(Effect.provide(withConfig({ publicMarginWorkdays: 2 }))))

  it.effect("urgent types count hours", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, { ...light(), typeId: "gas-smell", attributes: { danger: false } })
      const c = yield* Issues.getCase(admin, C, r.caseId)
      expect(c.resolution).toMatchObject({ unit: "hours", dueAt: SEP30 + 24 * 3_600_000, warnAt: SEP30 + 20 * 3_600_000 })
      expect(c.response.dueAt).toBe(SEP30 + 3_600_000)
    }).pipe(Effect.provide(layer)))

  it.effect("a pause moves the deadline by the working days paused; an approved extension by the days granted", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* inProgress()
      yield* at("2026-10-09T02:00:00Z") // Friday
      yield* Issues.pause(property, { ...ids(r), note: "请补充照片" })
      const paused = yield* Issues.getCase(admin, C, r.caseId)
      expect(paused.nextDueAt).toBeUndefined()
      yield* at("2026-10-12T02:00:00Z") // Monday; Saturday 10 Oct was a make-up workday
      yield* Issues.resume(alice, { ...ids(r), note: "已补充", media: [photo] })
      const resumed = yield* Issues.getCase(admin, C, r.caseId)
      expect(resumed.resolution.dueDate).toBe("2026-10-19")
      expect(resumed.publicExpectedDate).toBe("2026-10-19")
      expect(yield* failure(Issues.decideExtension(dispatcher, { ...ids(r), approve: true }))).toBeInstanceOf(Issues.InvalidTransition)
      yield* Issues.requestExtension(property, { ...ids(r), amount: 3, reason: "等待配件" })
      expect(yield* failure(Issues.requestExtension(property, { ...ids(r), amount: 1, reason: "again" }))).toBeInstanceOf(Issues.InvalidTransition)
      yield* Issues.decideExtension(dispatcher, { ...ids(r), approve: true })
      const extended = yield* Issues.getCase(admin, C, r.caseId)
      expect(extended.resolution.dueDate).toBe("2026-10-22")
      expect(extended.resolution.amount).toBe(10)
      expect(extended.publicExpectedDate).toBe("2026-10-22")
      yield* Issues.requestExtension(property, { ...ids(r), amount: 5, reason: "再等等" })
      yield* Issues.decideExtension(dispatcher, { ...ids(r), approve: false })
      expect((yield* Issues.getCase(admin, C, r.caseId)).resolution.dueDate).toBe("2026-10-22")
    }).pipe(Effect.provide(layer)))

  it.effect("an extension must be requested before the deadline", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* inProgress()
      yield* at("2026-10-16T01:00:00Z")
      const before = yield* state
      expect(yield* failure(Issues.requestExtension(property, { ...ids(r), amount: 2, reason: "late" }))).toBeInstanceOf(Issues.ExtensionAfterDeadline)
      expect(yield* state).toEqual(before)
    }).pipe(Effect.provide(layer)))

  it.effect("dueScan emits each warning and breach once, warnings first; a second scan emits nothing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const a = yield* Issues.submitReport(alice, light())
      const b = yield* Issues.submitReport(bob, light())
      yield* Issues.accept(clerk, ids(b))
      yield* Issues.dispatch(dispatcher, ids(b))
      yield* at("2026-10-08T01:00:00Z")
      yield* Issues.signFor(property, ids(b))
      const first = yield* Issues.dueScan(system, { communityId: C })
      expect(first).toEqual({ scanned: 1, warnings: 1, breaches: 0 }) // a's response deadline (8 Oct)
      expect(yield* Issues.dueScan(system, { communityId: C })).toEqual({ scanned: 0, warnings: 0, breaches: 0 })
      yield* at("2026-10-20T01:00:00Z")
      const second = yield* Issues.dueScan(system, { communityId: C })
      expect(second).toEqual({ scanned: 2, warnings: 2, breaches: 3 })
      expect(yield* Issues.dueScan(system, { communityId: C })).toEqual({ scanned: 0, warnings: 0, breaches: 0 })
      const signals = (yield* events).flatMap((e) =>
        e._tag === "IssueDeadlineWarning" || e._tag === "IssueDeadlineBreached" ? [`${e.caseId === a.caseId ? "a" : "b"}:${e.deadline}:${e._tag === "IssueDeadlineWarning" ? "warning" : "breach"}`] : [])
      expect(signals).toEqual([
        "a:response:warning",
        "a:response:breach", "a:resolution:warning", "a:resolution:breach",
        "b:resolution:warning", "b:resolution:breach"
      ])
      expect((yield* Issues.getCase(admin, C, a.caseId)).nextDueAt).toBeUndefined()
    }).pipe(Effect.provide(layer)))

  it.effect("dueScan in small batches reaches every due case", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      for (let i = 0; i < 7; i++) yield* Issues.submitReport(alice, light())
      yield* at("2026-11-30T01:00:00Z")
      expect(yield* Issues.dueScan(system, { communityId: C })).toEqual({ scanned: 7, warnings: 14, breaches: 14 })
      expect(yield* failure(Issues.dueScan(alice, { communityId: C }))).toMatchObject({ _tag: "Forbidden" })
    }).pipe(Effect.provide(withConfig({ dueScanBatch: 3 }))))
})

describe("issues: guard, return and re-route", () => {
  it.effect("refuses commands in the wrong state or role, changing nothing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light())
      const before = yield* state
      expect(yield* failure(Issues.signFor(admin, ids(r)))).toMatchObject({ _tag: "IssueInvalidTransition", from: "submitted", to: "signed-for" })
      // A handler is lead-handler only once the case is dispatched to their department.
      expect(yield* failure(Issues.signFor(property, ids(r)))).toMatchObject({ _tag: "Forbidden", reason: "role" })
      expect(yield* failure(Issues.accept(property, ids(r)))).toMatchObject({ _tag: "Forbidden" })
      expect(yield* failure(Issues.reopen(bob, ids(r)))).toBeInstanceOf(Issues.NotReporter)
      expect(yield* failure(Issues.accept(alice, ids(r)))).toMatchObject({ _tag: "Forbidden" })
      expect(yield* failure(Issues.accept(clerk, { communityId: C, caseId: "case_nope" }))).toMatchObject({ _tag: "NotFound" })
      expect(yield* state).toEqual(before)
      yield* Issues.accept(clerk, ids(r))
      yield* Issues.dispatch(dispatcher, ids(r))
      expect(yield* failure(Issues.signFor(sanitation, ids(r)))).toMatchObject({ _tag: "Forbidden" })
    }).pipe(Effect.provide(layer)))

  it.effect("the lead department returns a wrongly routed case within the window; dispatch routes it again", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light())
      yield* Issues.accept(clerk, ids(r))
      yield* Issues.dispatch(dispatcher, ids(r))
      expect(yield* failure(Issues.returnCase(sanitation, { ...ids(r), reason: "not ours" }))).toMatchObject({ _tag: "Forbidden" })
      yield* at("2026-10-08T03:00:00Z") // 1 working day after dispatch: still within the window
      const returned = yield* Issues.returnCase(property, { ...ids(r), reason: "属于市政路灯，不归物业" })
      expect(returned.status).toBe("accepted")
      expect(returned.lead).toBeUndefined()
      expect(returned.returns).toBe(1)
      const again = yield* Issues.dispatch(dispatcher, { ...ids(r), lead: "dept-services", assisting: ["dept-property"] })
      expect(again.lead).toBe("dept-services")
      expect((yield* Issues.viewCase(alice, C, r.caseId)).timeline.map((s) => s.kind)).toEqual(["submitted", "accepted", "dispatched", "dispatched"])
      const tags = (yield* events).map((e) => e._tag)
      expect(tags).toContain("IssueCaseReturned")
    }).pipe(Effect.provide(layer)))

  it.effect("a return after the window fails with ReturnWindowExpired", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light())
      yield* Issues.accept(clerk, ids(r))
      yield* Issues.dispatch(dispatcher, ids(r))
      yield* at("2026-10-08T16:00:00Z") // 9 Oct in Shanghai: the window (8 Oct) has closed
      const before = yield* state
      expect(yield* failure(Issues.returnCase(property, { ...ids(r), reason: "late" }))).toBeInstanceOf(Issues.ReturnWindowExpired)
      expect(yield* state).toEqual(before)
    }).pipe(Effect.provide(layer)))

  it.effect("changing the type re-routes a dispatched case and recounts its deadlines", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* inProgress()
      const changed = yield* Issues.changeType(dispatcher, { ...ids(r), typeId: "dog-waste" })
      expect(changed).toMatchObject({ typeId: "dog-waste", lead: "dept-sanitation", status: "dispatched" })
      expect(changed.handler).toBeUndefined()
      yield* Issues.signFor(sanitation, ids(r))
      expect(yield* failure(Issues.start(property, ids(r)))).toMatchObject({ _tag: "Forbidden" })
      const tags = (yield* events).map((e) => e._tag)
      expect(tags.filter((t) => t === "IssueCaseDispatched")).toHaveLength(2)
      expect(tags).toContain("IssueTypeChanged")
      expect(yield* failure(Issues.changeType(dispatcher, { ...ids(r), typeId: "ufo" }))).toBeInstanceOf(Issues.UnknownCaseType)
    }).pipe(Effect.provide(layer)))
})

describe("issues: follow-up and reopen", () => {
  const answered = Effect.gen(function* () {
    const r = yield* inProgress()
    yield* Issues.answer(property, { ...ids(r), fixed: true, note: "已修复" })
    return r
  })

  it.effect("a dissatisfied reporter reopens at follow-up; the case goes back to the department", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* answered
      yield* at("2026-10-09T02:00:00Z")
      const unreachable = yield* Issues.followUp(clerk, { ...ids(r), reached: false })
      expect(unreachable.status).toBe("follow-up")
      expect(yield* failure(Issues.followUp(clerk, { ...ids(r), reached: true, satisfaction: "satisfied", reopen: true }))).toMatchObject({ _tag: "InvalidInput" })
      const reopened = yield* Issues.followUp(alice, { ...ids(r), reached: true, fixed: false, satisfaction: "dissatisfied", reopen: true })
      expect(reopened).toMatchObject({ status: "dispatched", lead: "dept-property", reopenCount: 1 })
      expect(reopened.resolution.metAt).toBeUndefined()
      expect(reopened.resolution.dueDate).toBe("2026-10-19") // 7 working days after Fri 9 Oct: Sat 10 (make-up), 12-16, 19
      const tags = (yield* events).map((e) => e._tag)
      expect(tags).toContain("IssueCaseReopened")
      expect((yield* Issues.getCase(admin, C, r.caseId)).followUps).toHaveLength(2)
    }).pipe(Effect.provide(layer)))

  it.effect("the reporter reopens a closed case within the window only; updates after close still reach the department", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* answered
      yield* Issues.close(clerk, ids(r))
      yield* Issues.addNote(alice, { ...ids(r), note: "又坏了" })
      expect((yield* Issues.getCase(property, C, r.caseId)).timeline.at(-1)).toMatchObject({ kind: "note", note: "又坏了", actorKind: "reporter" })
      expect(yield* failure(Issues.reopen(bob, ids(r)))).toBeInstanceOf(Issues.NotReporter)
      yield* at("2026-11-30T02:00:00Z")
      expect(yield* failure(Issues.reopen(alice, ids(r)))).toBeInstanceOf(Issues.ReopenWindowExpired)
    }).pipe(Effect.provide(layer)))

  it.effect("a not-fixed follow-up closes as unable-to-fix and counts in the figures", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* answered
      const closed = yield* Issues.followUp(clerk, { ...ids(r), reached: true, fixed: false, score: 3 })
      expect(closed.closure?.resolution).toBe("unable-to-fix")
      const f = yield* Issues.figures(admin, C, { by: "department" })
      expect(f.groups).toEqual([
        { key: "dept-property", cases: 1, response: { count: 1, of: 1, rate: 1 }, onTime: { count: 1, of: 1, rate: 1 }, resolution: { count: 0, of: 1, rate: 0 }, satisfaction: { count: 1, of: 1, rate: 1 } }
      ])
      expect(yield* failure(Issues.figures(alice, C, { by: "all" }))).toMatchObject({ _tag: "Forbidden" })
    }).pipe(Effect.provide(layer)))
})

describe("issues: anonymity", () => {
  it.effect("public views, Open311 and the journal never carry the reporter's identity or contact", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const phone = "13812345678"
      const r = yield* Issues.submitReport(alice, {
        communityId: C, typeId: "noise", location: { point: { lat: 31.2, lng: 121.4 }, address: "2号楼北侧" },
        description: "夜间装修噪音", channel: "app", contact: { name: "李女士", phone, email: "li@example.com" }, attributes: { when: ["night"] }
      })
      const h = yield* Issues.submitReport(clerk, { ...light(), channel: "hotline", contact: { name: "李女士", phone } })
      yield* Issues.accept(clerk, ids(r))
      yield* Issues.dispatch(dispatcher, ids(r))
      const secrets = [alice.residentId, phone, "李女士", "li@example.com", "5678"]
      const views = [yield* Issues.viewCase(bob, C, r.caseId), yield* Issues.viewCase(bob, C, h.caseId), ...(yield* Issues.open311Requests(bob, C))]
      const journal = JSON.stringify((yield* readJournal(C)).map((e) => e.payload))
      for (const s of secrets) {
        for (const v of views) expect(JSON.stringify(v)).not.toContain(s)
        if (s !== alice.residentId) expect(journal).not.toContain(s)
      }
      const asHandler = yield* Issues.getCase(security, C, r.caseId)
      expect(asHandler.anonymous).toBe(true)
      expect(asHandler.reporter).toEqual({})
      const asDispatcher = yield* Issues.getCase(dispatcher, C, r.caseId)
      expect(asDispatcher.reporter).toEqual({ residentId: alice.residentId, name: "李女士", phone: "138****5678", email: "li@example.com" })
      expect((yield* Issues.getCase(property, C, h.caseId)).reporter.phone).toBe("138****5678")
      expect(yield* failure(Issues.getCase(alice, C, r.caseId))).toMatchObject({ _tag: "Forbidden" })
    }).pipe(Effect.provide(layer)))

  it.effect("a type that forbids anonymity refuses an anonymous report", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const e = yield* failure(Issues.submitReport(alice, { ...light(), typeId: "water-leak", anonymous: true, attributes: { where: "pipe", "near-electricity": false } }))
      expect(e).toMatchObject({ _tag: "InvalidInput", issues: [{ path: "anonymous" }] })
    }).pipe(Effect.provide(layer)))
})

describe("issues: duplicates", () => {
  it.effect("finds nearby open cases, lets residents follow, and merges a duplicate's followers", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const here = { point: { lat: 31.2, lng: 121.4 }, address: "小区东门" }
      const first = yield* Issues.submitReport(alice, { ...light(), location: here })
      const near = yield* Issues.findPotentialDuplicates(bob, { communityId: C, typeId: "street-light", location: { point: { lat: 31.20015, lng: 121.4 } }, radiusMeters: 30 })
      expect(near.map((c) => c.id)).toEqual([first.caseId])
      const none = yield* Issues.findPotentialDuplicates(bob, { communityId: C, typeId: "street-light", location: { point: { lat: 31.21, lng: 121.4 } } })
      expect(none).toEqual([])
      yield* Issues.follow(carol, ids(first))
      yield* Issues.follow(carol, ids(first))
      const second = yield* Issues.submitReport(bob, { ...light(), location: { point: { lat: 31.20015, lng: 121.4 } } })
      const merged = yield* Issues.markDuplicate(dispatcher, { ...ids(second), of: first.caseId })
      expect(merged.followers).toEqual([carol.residentId, bob.residentId])
      const dup = yield* Issues.getCase(admin, C, second.caseId)
      expect(dup).toMatchObject({ status: "closed", duplicateOf: first.caseId, closure: { resolution: "duplicate" } })
      expect(yield* failure(Issues.addNote(bob, { ...ids(second), note: "still broken" }))).toMatchObject({ _tag: "IssueInvalidTransition", detail: `merged into ${first.caseId}` })
      expect(yield* failure(Issues.reopen(dispatcher, ids(second)))).toBeInstanceOf(Issues.InvalidTransition)
      expect((yield* Issues.myCases(bob)).map((c) => c.id).sort()).toEqual([first.caseId, second.caseId].sort())
      expect(yield* failure(Issues.markDuplicate(dispatcher, { ...ids(first), of: first.caseId }))).toMatchObject({ _tag: "InvalidInput" })
      expect((yield* events).filter((e) => e._tag === "IssueCaseFollowed")).toHaveLength(2)
    }).pipe(Effect.provide(layer)))
})

describe("issues: mediation ladder", () => {
  it.effect("climbs the four tiers only upward and only after an outcome", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, {
        communityId: C, typeId: "dispute", location: { buildingId: "b-2" }, description: "楼上漏水引发邻里纠纷", channel: "station", attributes: { parties: 2 }
      })
      yield* Issues.accept(clerk, ids(r))
      expect((yield* Issues.dispatch(dispatcher, ids(r))).lead).toBe("dept-mediation")
      yield* Issues.signFor(mediator, ids(r))
      yield* Issues.start(mediator, ids(r))
      const people = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`)
      expect(yield* failure(Issues.recordMediationSession(mediator, { ...ids(r), participants: people(4) }))).toMatchObject({ reason: "group-size" })
      expect(yield* failure(Issues.recordMediationOutcome(mediator, { ...ids(r), outcome: "escalate" }))).toMatchObject({ reason: "no-session" })
      yield* Issues.recordMediationSession(mediator, { ...ids(r), participants: people(6), note: "第一次协商" })
      expect(yield* failure(Issues.escalateMediation(mediator, { ...ids(r), to: "residents-council" }))).toMatchObject({ reason: "no-outcome" })
      yield* Issues.recordMediationOutcome(mediator, { ...ids(r), outcome: "escalate" })
      expect(yield* failure(Issues.escalateMediation(mediator, { ...ids(r), to: "stakeholder-group" }))).toMatchObject({ reason: "not-upward" })
      yield* Issues.escalateMediation(mediator, { ...ids(r), to: "residents-council" })
      yield* Issues.recordMediationSession(mediator, { ...ids(r), participants: people(12) })
      yield* Issues.recordMediationOutcome(mediator, { ...ids(r), outcome: "escalate" })
      yield* Issues.escalateMediation(mediator, { ...ids(r), to: "legal-advisor" })
      yield* Issues.recordMediationSession(mediator, { ...ids(r), participants: people(3) })
      yield* Issues.recordMediationOutcome(mediator, { ...ids(r), outcome: "escalate" })
      yield* Issues.escalateMediation(mediator, { ...ids(r), to: "street-judicial-office" })
      yield* Issues.recordMediationSession(mediator, { ...ids(r), participants: people(4) })
      yield* Issues.recordMediationOutcome(mediator, { ...ids(r), outcome: "agreement" })
      expect(yield* failure(Issues.escalateMediation(mediator, { ...ids(r), to: "street-judicial-office" }))).toMatchObject({ reason: "no-escalate-outcome" })
      const c = yield* Issues.answer(mediator, { ...ids(r), fixed: true, note: "达成调解协议" })
      expect(c.mediation.map((m) => [m.tier, m.outcome?.kind])).toEqual([
        ["stakeholder-group", "escalate"], ["residents-council", "escalate"], ["legal-advisor", "escalate"], ["street-judicial-office", "agreement"]
      ])
      const escalations = (yield* events).flatMap((e) => (e._tag === "IssueMediationEscalated" ? [`${e.from}>${e.to}`] : []))
      expect(escalations).toEqual(["stakeholder-group>residents-council", "residents-council>legal-advisor", "legal-advisor>street-judicial-office"])
      const f = yield* Issues.figures(admin, C, { by: "type" })
      expect(f.disputes.map((d) => [d.tier, d.reached, d.agreements])).toEqual([
        ["stakeholder-group", 1, 0], ["residents-council", 1, 0], ["legal-advisor", 1, 0], ["street-judicial-office", 1, 1]
      ])
      const light1 = yield* inProgress()
      expect(yield* failure(Issues.recordMediationSession(admin, { ...ids(light1), participants: people(6) }))).toMatchObject({ reason: "not-a-dispute" })
    }).pipe(Effect.provide(layer)))
})

describe("issues: Open311", () => {
  it.effect("accepts a GeoReport POST and lists it as a request without contact data", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const gateway = new SystemActor({ communityId: C, process: "open311" })
      const r = yield* Issues.submitGeoReport(gateway, C, {
        service_code: "dog-waste", lat: "31.2", long: "121.4", address_string: "中心花园", description: "草坪上有狗粪",
        email: "x@example.com", phone: "13700001234", first_name: "五", last_name: "王", "attribute[seen-at]": "2026-09-30T08:00:00+08:00"
      })
      yield* Issues.accept(clerk, ids(r))
      yield* Issues.dispatch(dispatcher, ids(r))
      const [req] = yield* Issues.open311Requests(admin, C, { locale: "en" })
      expect(req).toMatchObject({
        service_request_id: r.number, status: "open", service_code: "dog-waste", service_name: "Dog waste",
        agency_responsible: community.departments.find((d) => d.id === "dept-sanitation")!.name,
        requested_datetime: "2026-09-30T10:00:00+08:00", expected_datetime: "2026-10-15T23:59:59+08:00", lat: 31.2, long: 121.4
      })
      expect(JSON.stringify(req)).not.toMatch(/13700001234|x@example\.com|王五/)
      expect((yield* Issues.getCase(dispatcher, C, r.caseId)).reporter).toEqual({ name: "王五", phone: "137****1234", email: "x@example.com" })
      expect(yield* failure(Issues.submitGeoReport(gateway, C, { service_code: "dog-waste", description: "x" }))).toMatchObject({ _tag: "InvalidInput" })
    }).pipe(Effect.provide(layer)))
})

describe("issues: permissions", () => {
  it("derives the coarse permission table from the transition table", () => {
    const t = Issues.issuePermissions
    expect(checkPermission(t["issues.signFor"], property, C)).toBeUndefined()
    expect(checkPermission(t["issues.signFor"], mediator, C)).toBeUndefined()
    expect(checkPermission(t["issues.signFor"], dispatcher, C)).toBe("role")
    expect(checkPermission(t["issues.signFor"], alice, C)).toBe("not-allowed")
    expect(checkPermission(t["issues.reopen"], alice, C)).toBeUndefined()
    expect(checkPermission(t["issues.dueScan"], system, C)).toBeUndefined()
    expect(checkPermission(t["issues.dueScan"], clerk, C)).toBe("role")
    expect(checkPermission(t["issues.readCase"], alice, C)).toBe("not-allowed")
    expect(checkPermission(t["issues.submit"], alice, C, bob.residentId)).toBe("not-self")
  })
})
