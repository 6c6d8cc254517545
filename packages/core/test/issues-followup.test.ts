import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { snapshot } from "./support.js"
import {
  type Actor,
  CommunityId,
  DepartmentId,
  drain,
  Gongzhi,
  Issues,
  readJournal,
  renderMessage,
  ResidentActor,
  ResidentId,
  Roles,
  Staff,
  StaffActor,
  StaffId,
  SystemActor
} from "../src/index.js"

const community = generateCommunity({ seed: 4242, communityId: "c-issues-followup", buildings: 2, floors: 3 })
const C = CommunityId.make("c-issues-followup")
const layer = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))

const staff = (id: string): Actor => {
  const s = community.staff.find((x) => x.id === id)!
  return new StaffActor({ communityId: C, staffId: s.id, roles: s.roles, departments: s.departments })
}
const clerk = staff("s-clerk")
const dispatcher = staff("s-dispatcher")
const property = staff("s-handler-property")
const system = new SystemActor({ communityId: C, process: "scheduler" })
const resident = (id: string) => new ResidentActor({ communityId: C, residentId: ResidentId.make(id) })
const alice = resident(community.residents[0]!.id)
const bob = resident(community.residents[1]!.id)
const carol = resident(community.residents[2]!.id)

const SEP30 = Date.parse("2026-09-30T02:00:00Z")
const light = (extra: Record<string, unknown> = {}) => ({
  communityId: C,
  typeId: "street-light",
  location: { buildingId: "b-1", unitId: "b-1-u-1" },
  description: "楼门口路灯不亮",
  channel: "app" as const,
  ...extra
})
const ids = (x: { caseId: Issues.CaseId }) => ({ communityId: C, caseId: x.caseId })
const outbox = Effect.map(MemoryInspector, (i) => i.outbox())
const who = (r: { readonly _tag: string; readonly residentId?: string; readonly staffId?: string }) =>
  r._tag === "Resident" ? r.residentId! : `staff:${r.staffId}`
const sent = Effect.map(outbox, (ms) => ms.map((m) => `${m.templateId}>${who(m.recipient)}`))
const notify = drain(Issues.issueNotifications, C)

describe("issues: notifications to the reporter and followers", () => {
  it.effect("every step the reporter must hear about, once, even when drained twice; internal notes send nothing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const r = yield* Issues.submitReport(alice, light({ contact: { name: "张阿姨", phone: "13812345678" } }))
      yield* Issues.follow(carol, ids(r))
      yield* Issues.accept(clerk, ids(r))
      yield* Issues.dispatch(dispatcher, ids(r))
      expect(yield* outbox).toEqual([]) // commands never send
      yield* notify
      expect(yield* sent).toEqual([
        `issues.received>${alice.residentId}`,
        `issues.accepted>${alice.residentId}`,
        `issues.accepted>${carol.residentId}`
      ])
      const received = (yield* outbox)[0]!
      expect(received.params).toMatchObject({ number: "2026-000001", expectedDate: "2026-10-15" })
      expect(Option.getOrThrow(yield* renderMessage(received))).toBe("您反映的“路灯不亮”问题已收到，工单编号 2026-000001，预计 2026-10-15 前答复。")

      yield* Issues.signFor(property, ids(r))
      yield* Issues.addNote(property, { ...ids(r), note: "内部：镇流器缺货" })
      yield* notify
      expect(yield* sent).toHaveLength(3) // an internal note produces nothing
      expect((yield* readJournal(C)).map((e) => e.type)).toContain("IssueNoteAdded")

      yield* Issues.addNote(property, { ...ids(r), note: "已联系厂家调货", visibility: "public" })
      yield* Issues.addNote(alice, { ...ids(r), note: "谢谢" }) // the reporter's own note: nothing back to them
      yield* Issues.start(property, ids(r))
      yield* Issues.pause(property, { ...ids(r), note: "请问是哪一盏灯？" })
      yield* Issues.resume(alice, { ...ids(r), note: "门口那盏" })
      yield* Issues.answer(property, { ...ids(r), fixed: true, note: "已更换灯具" })
      yield* Issues.followUp(alice, { ...ids(r), reached: true, fixed: true, satisfaction: "satisfied" })
      yield* notify
      yield* notify
      expect((yield* sent).slice(3)).toEqual([
        `issues.updated>${alice.residentId}`,
        `issues.updated>${carol.residentId}`,
        `issues.waitingOnYou>${alice.residentId}`, // only the reporter can answer
        `issues.answered>${alice.residentId}`,
        `issues.answeredFollower>${carol.residentId}`,
        `issues.closedFixed>${alice.residentId}`,
        `issues.closedFixed>${carol.residentId}`
      ])
      const answered = (yield* outbox).find((m) => m.templateId === "issues.answered")!
      expect(Option.getOrThrow(yield* renderMessage(answered))).toContain("请告诉我们问题是否确已解决")
      // No message carries the reporter's name or contact.
      expect(JSON.stringify(yield* outbox)).not.toMatch(/张阿姨|13812345678|5678/)

      // A redelivered entry yields the same idempotency keys: the channel delivers once.
      const again = yield* Effect.forEach(yield* readJournal(C), Issues.issueMessages)
      expect(again.flat().map((m) => m.idempotencyKey).sort()).toEqual((yield* outbox).map((m) => m.idempotencyKey).sort())
      expect(new Set((yield* outbox).map((m) => m.idempotencyKey)).size).toBe(10)
    }).pipe(Effect.provide(layer)))

  it.effect("closed not fixed with the reason, reopened with the new expected date; anonymous reporters by id only", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const noise = yield* Issues.submitReport(bob, {
        communityId: C, typeId: "noise", location: { buildingId: "b-2" }, description: "夜间噪音", channel: "app",
        contact: { phone: "13900009999" }, attributes: { when: ["night"] }
      })
      const r = yield* Issues.submitReport(alice, light())
      yield* Issues.accept(clerk, ids(r))
      yield* Issues.dispatch(dispatcher, ids(r))
      yield* Issues.signFor(property, ids(r))
      yield* Issues.start(property, ids(r))
      yield* Issues.answer(property, { ...ids(r), fixed: false, reason: "not-responsible" })
      yield* Issues.close(clerk, ids(r))
      yield* TestClock.setTime(Date.parse("2026-10-09T02:00:00Z"))
      yield* Issues.reopen(alice, ids(r))
      yield* notify
      const messages = yield* outbox
      expect(messages.map((m) => `${m.templateId}>${who(m.recipient)}`)).toEqual([
        `issues.received>${bob.residentId}`,
        `issues.received>${alice.residentId}`,
        `issues.accepted>${alice.residentId}`,
        `issues.answered>${alice.residentId}`,
        `issues.closedNotFixed>${alice.residentId}`,
        `issues.reopened>${alice.residentId}`
      ])
      const anon = messages[0]!
      expect((yield* Issues.getCase(dispatcher, C, noise.caseId)).anonymous).toBe(true)
      expect(anon.recipient).toEqual({ _tag: "Resident", residentId: bob.residentId })
      expect(JSON.stringify(anon)).not.toContain("13900009999")
      expect(Option.getOrThrow(yield* renderMessage(messages[3]!))).toContain("不属于本社区职责范围")
      expect(Option.getOrThrow(yield* renderMessage(messages[4]!))).toBe("工单 2026-000002（路灯不亮）已办结，未解决，原因：不属于本社区职责范围。")
      expect(messages[5]!.params).toMatchObject({ expectedDate: "2026-10-19" })
    }).pipe(Effect.provide(layer)))

  it.effect("a deadline breach goes to the lead department's staff, or to dispatchers before dispatch; hotline callers get nothing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      yield* Issues.submitReport(clerk, light({ channel: "hotline", contact: { name: "王先生", phone: "13700001111" } }))
      const b = yield* Issues.submitReport(alice, light())
      yield* Issues.accept(clerk, ids(b))
      yield* Issues.dispatch(dispatcher, ids(b))
      yield* TestClock.setTime(Date.parse("2026-10-20T01:00:00Z"))
      yield* Issues.dueScan(system, { communityId: C })
      yield* notify
      const breaches = (yield* outbox).filter((m) => m.templateId === "issues.deadlineBreached")
      expect(breaches.map((m) => `${who(m.recipient)}:${m.params["number"]}:${m.params["deadline"]}:${m.params["due"]}`).sort()).toEqual([
        "staff:s-dispatcher:2026-000001:签收:2026-10-08",
        "staff:s-dispatcher:2026-000001:办理:2026-10-15",
        "staff:s-handler-property:2026-000002:签收:2026-10-08",
        "staff:s-handler-property:2026-000002:办理:2026-10-15"
      ].sort())
      expect((yield* outbox).filter((m) => m.templateId === "issues.received").map((m) => who(m.recipient))).toEqual([alice.residentId])
    }).pipe(Effect.provide(layer)))
})

describe("issues: idempotent reports", () => {
  const journalLength = Effect.map(readJournal(C), (es) => es.length)

  it.effect("the same key and report return the first case; another report under the key fails and changes nothing", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const first = yield* Issues.submitReport(alice, light({ idempotencyKey: "req-1" }))
      const entries = yield* journalLength
      yield* TestClock.adjust("5 minutes")
      const again = yield* Issues.submitReport(alice, light({ idempotencyKey: "req-1" }))
      expect(again).toEqual(first)
      expect(again.number).toBe("2026-000001")
      expect(yield* journalLength).toBe(entries)
      const before = yield* Effect.map(MemoryInspector, (i) => snapshot(i.database))
      expect(yield* Effect.flip(Issues.submitReport(alice, light({ idempotencyKey: "req-1", description: "另一盏灯" })))).toMatchObject({
        _tag: "IdempotencyKeyReused", code: "IDEMPOTENCY_KEY_REUSED", key: "req-1"
      })
      // The same payload from someone else is another request too.
      expect(yield* Effect.flip(Issues.submitReport(clerk, light({ idempotencyKey: "req-1" })))).toMatchObject({ _tag: "IdempotencyKeyReused" })
      const after = yield* Effect.map(MemoryInspector, (i) => snapshot(i.database))
      expect(after).toEqual(before)
      const second = yield* Issues.submitReport(alice, light({ idempotencyKey: "req-2" }))
      expect(second.number).toBe("2026-000002")
      // A replay returns the case as it is now.
      yield* Issues.accept(clerk, ids(first))
      expect((yield* Issues.submitReport(alice, light({ idempotencyKey: "req-1" }))).case.status).toBe("accepted")
    }).pipe(Effect.provide(layer)))

  it.effect("a retried Open311 POST with the gateway's request id files one case", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const gateway = new SystemActor({ communityId: C, process: "open311" })
      const post = { service_code: "garbage", lat: "31.2", long: "121.4", description: "垃圾堆放", phone: "13700001234" }
      const a = yield* Issues.submitGeoReport(gateway, C, post, { idempotencyKey: "open311:abc" })
      const b = yield* Issues.submitGeoReport(gateway, C, post, { idempotencyKey: "open311:abc" })
      expect(b.caseId).toBe(a.caseId)
      expect(yield* Effect.flip(Issues.submitGeoReport(gateway, C, { ...post, description: "别的" }, { idempotencyKey: "open311:abc" }))).toMatchObject({ _tag: "IdempotencyKeyReused" })
      expect((yield* Issues.open311Requests(gateway, C)).map((r) => r.service_request_id)).toEqual([a.number])
    }).pipe(Effect.provide(layer)))
})

describe("issues: least-loaded handler", () => {
  it("leastLoaded picks the fewest open cases, ties by staff id, absent counts as zero", () => {
    expect(Issues.leastLoaded(["s-b", "s-a", "s-c"], [{ handler: "s-a", open: 2 }, { handler: "s-b", open: 1 }])).toBe("s-c")
    expect(Issues.leastLoaded(["s-b", "s-a", "s-c"], [{ handler: "s-a", open: 1 }, { handler: "s-b", open: 1 }, { handler: "s-c", open: 1 }])).toBe("s-a")
    expect(Issues.leastLoaded(["s-c", "s-b"], [{ handler: "s-c", open: 0 }, { handler: "s-b", open: 3 }])).toBe("s-c")
    expect(Issues.leastLoaded([], [])).toBeUndefined()
  })

  const base = generateCommunity({ seed: 77, communityId: "c-issues-load", buildings: 1, floors: 2 })
  const L = CommunityId.make("c-issues-load")
  const extra = ["s-handler-property-2", "s-handler-property-3"].map((id) => new Staff({ communityId: L, id: StaffId.make(id), name: `维修员${id.slice(-1)}`, roles: [Roles.handler], departments: [DepartmentId.make("dept-property")] }))
  // A clerk in dept-property is not a handler: never chosen.
  const clerkThere = new Staff({ communityId: L, id: StaffId.make("s-0-clerk"), name: "前台", roles: [Roles.clerk], departments: [DepartmentId.make("dept-property")] })
  const loadCommunity = { ...base, staff: [...base.staff, ...extra, clerkThere] }
  const catalogue: Issues.Catalogue = {
    ...Issues.defaultCatalogue,
    routing: Issues.defaultCatalogue.routing.map((r) => (r.groups?.includes("facilities") ? { ...r, assign: "least-loaded" as const } : r))
  }
  const loadLayer = Layer.mergeAll(Gongzhi.layer(), MemoryStore.layer({ directory: [loadCommunity] }), Layer.succeed(Issues.IssueCatalogue, catalogue))
  const actorOf = (id: string) => {
    const s = loadCommunity.staff.find((x) => x.id === id)!
    return new StaffActor({ communityId: L, staffId: s.id, roles: s.roles, departments: s.departments })
  }
  const reporter = new ResidentActor({ communityId: L, residentId: base.residents[0]!.id })

  it.effect("dispatch by a least-loaded rule assigns the lead department's handler with the fewest open cases", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(SEP30)
      const file = Effect.gen(function* () {
        const r = yield* Issues.submitReport(reporter, { ...light(), communityId: L })
        const ref = { communityId: L, caseId: r.caseId }
        yield* Issues.accept(actorOf("s-clerk"), ref)
        return yield* Issues.dispatch(actorOf("s-dispatcher"), ref)
      })
      const handlers: Array<string | undefined> = []
      for (let i = 0; i < 4; i++) handlers.push((yield* file).handler)
      expect(handlers).toEqual(["s-handler-property", "s-handler-property-2", "s-handler-property-3", "s-handler-property"])
      // Closing one of s-handler-property-2's cases makes them the least loaded.
      const cases = yield* Issues.IssueStore.pipe(Effect.flatMap((s) => s.listOpen(L)))
      const ofTwo = cases.find((c) => c.handler === "s-handler-property-2")!
      const two = actorOf("s-handler-property-2")
      const ref = { communityId: L, caseId: ofTwo.id }
      yield* Issues.signFor(two, ref)
      yield* Issues.start(two, ref)
      yield* Issues.answer(two, { ...ref, fixed: true })
      yield* Issues.close(actorOf("s-clerk"), ref)
      expect((yield* file).handler).toBe("s-handler-property-2")
      // Types routed by a rule without `assign` stay unassigned.
      const dog = yield* Issues.submitReport(reporter, { ...light(), communityId: L, typeId: "dog-waste" })
      yield* Issues.accept(actorOf("s-clerk"), { communityId: L, caseId: dog.caseId })
      expect((yield* Issues.dispatch(actorOf("s-dispatcher"), { communityId: L, caseId: dog.caseId })).handler).toBeUndefined()
      const assigned = (yield* readJournal(L)).filter((e) => e.type === "IssueCaseAssigned")
      expect(assigned).toHaveLength(5)
    }).pipe(Effect.provide(loadLayer)))
})
