import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  type Actor,
  CommunityId,
  drain,
  Gongzhi,
  Issues,
  readJournal,
  renderMessage,
  ResidentActor,
  ResidentId,
  StaffActor,
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
  channel: "app",
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
      yield* Issues.answer(property, { ...ids(r), fixed: true, note: "已更换灯具" })
      yield* Issues.followUp(alice, { ...ids(r), reached: true, fixed: true, satisfaction: "satisfied" })
      yield* notify
      yield* notify
      expect((yield* sent).slice(3)).toEqual([
        `issues.updated>${alice.residentId}`,
        `issues.updated>${carol.residentId}`,
        `issues.answered>${alice.residentId}`,
        `issues.answeredFollower>${carol.residentId}`,
        `issues.closedFixed>${alice.residentId}`,
        `issues.closedFixed>${carol.residentId}`
      ])
      const answered = (yield* outbox).find((m) => m.templateId === "issues.answered")!
      expect(Option.getOrThrow(yield* renderMessage(answered))).toContain("请确认问题是否已解决")
      // No message carries the reporter's name or contact.
      expect(JSON.stringify(yield* outbox)).not.toMatch(/张阿姨|13812345678|5678/)

      // A redelivered entry yields the same idempotency keys: the channel delivers once.
      const again = yield* Effect.forEach(yield* readJournal(C), Issues.issueMessages)
      expect(again.flat().map((m) => m.idempotencyKey).sort()).toEqual((yield* outbox).map((m) => m.idempotencyKey).sort())
      expect(new Set((yield* outbox).map((m) => m.idempotencyKey)).size).toBe(9)
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
      expect(breaches.map((m) => `${who(m.recipient)}:${m.params["number"]}:${m.params["deadline"]}:${m.params["due"]}`)).toEqual([
        "staff:s-dispatcher:2026-000001:签收:2026-10-08",
        "staff:s-dispatcher:2026-000001:办理:2026-10-15",
        "staff:s-handler-property:2026-000002:签收:2026-10-08",
        "staff:s-handler-property:2026-000002:办理:2026-10-15"
      ])
      expect((yield* outbox).filter((m) => m.templateId === "issues.received").map((m) => who(m.recipient))).toEqual([alice.residentId])
    }).pipe(Effect.provide(layer)))
})
