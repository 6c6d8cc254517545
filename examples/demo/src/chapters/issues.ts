import { type DirectorySnapshot, drain, Issues, renderMessage, ResidentActor, StaffActor, SystemActor } from "@gongzhi/core"
import { MemoryInspector } from "@gongzhi/store-memory"
import { Clock, Effect, Option, TestClock } from "effect"
import { heading, line } from "../print.js"

const fmt = (millis: number) => Issues.isoInZone(millis).slice(0, 16).replace("T", " ")

/** Work orders (工单): a report walked through dispatch, Golden Week deadlines, answer and follow-up. */
export const issuesChapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const resumeAt = yield* Clock.currentTimeMillis
    const staff = (id: string) => {
      const s = community.staff.find((x) => x.id === id)!
      return new StaffActor({ communityId: c, staffId: s.id, roles: s.roles, departments: s.departments })
    }
    const clerk = staff("s-clerk")
    const dispatcher = staff("s-dispatcher")
    const handler = staff("s-handler-property")
    const mediator = staff("s-mediator")
    const system = new SystemActor({ communityId: c, process: "scheduler" })
    const [first, second] = community.residents.filter((r) => r.householdId !== undefined)
    const reporter = new ResidentActor({ communityId: c, residentId: first!.id })
    const neighbour = new ResidentActor({ communityId: c, residentId: second!.id })
    const deptName = (id: string | undefined) => community.departments.find((d) => d.id === id)?.name ?? "-"
    const ref = (r: { readonly caseId: Issues.CaseId }) => ({ communityId: c, caseId: r.caseId })

    heading("Work orders (工单): report, dispatch, deadlines, follow-up")
    yield* TestClock.setTime(Date.parse("2026-09-30T02:00:00Z"))
    line(`Wednesday 30 Sep 2026, 10:00 — the day before the National Day holidays`)
    const blocked = yield* Effect.flip(Issues.submitReport(reporter, {
      communityId: c, typeId: "gas-smell", location: { buildingId: "b-1" }, description: "楼道有燃气味", channel: "app", attributes: { danger: true }
    }))
    line(`a gas report answering "anyone in danger? yes" is stopped: ${(blocked as Issues.BlockedByAttribute).guidance["zh-CN"]}`)
    const photo = { ref: "https://img.example/b1-light.jpg", mimeType: "image/jpeg", sizeBytes: 182_000, sha256: "3f".repeat(32) }
    const r = yield* Issues.submitReport(reporter, {
      communityId: c, typeId: "street-light", location: { buildingId: "b-1", unitId: "b-1-u-1", address: "1号楼1单元门口" },
      description: "单元门口路灯不亮，晚上看不清台阶", photos: [photo], channel: "app", attributes: { "lights-out": 1 }
    })
    line(`${first!.name} reports a broken light: case ${r.number}, expected answer by ${r.publicExpectedDate} (7 working days; 1-7 Oct off, Sat 10 Oct a make-up workday)`)
    const dupes = yield* Issues.findPotentialDuplicates(neighbour, { communityId: c, typeId: "street-light", location: { buildingId: "b-1" } })
    line(`${second!.name} is about to report the same light; finds ${dupes.map((d) => d.number).join(", ")} and follows it instead`)
    yield* Issues.follow(neighbour, ref(r))
    yield* Issues.accept(clerk, { ...ref(r), note: "已受理" })
    const dispatched = yield* Issues.dispatch(dispatcher, ref(r))
    line(`accepted (受理) and routed by the rules (facilities -> ${deptName(dispatched.lead)}) (派单)`)

    yield* TestClock.setTime(Date.parse("2026-10-08T00:30:00Z"))
    const scan1 = yield* Issues.dueScan(system, { communityId: c })
    line(`8 Oct 08:30 dueScan: ${scan1.warnings} warning(s) (sign-for due today), ${scan1.breaches} breach(es)`)
    yield* Issues.signFor(handler, ref(r))
    yield* Issues.addNote(handler, { ...ref(r), note: "内部：镇流器需从仓库调货" })
    yield* Issues.start(handler, { ...ref(r), note: "维修师傅已到现场" })
    yield* Issues.pause(handler, { ...ref(r), note: "请确认是哪一盏灯（门口还是楼道）" })
    yield* TestClock.setTime(Date.parse("2026-10-12T01:00:00Z"))
    yield* Issues.resume(reporter, { ...ref(r), note: "是门口那盏" })
    const internal = yield* Issues.getCase(dispatcher, c, r.caseId)
    line(`paused Thu 8 Oct, the reporter answered Mon 12 Oct: deadline moves ${internal.resolution.dueDate} (3 working days paused: 9, 10 and 12 Oct)`)
    yield* Issues.requestExtension(handler, { ...ref(r), amount: 2, reason: "配件到货需要时间" })
    yield* Issues.decideExtension(dispatcher, { ...ref(r), approve: true })
    line(`extension (延期) of 2 working days approved: public expected date now ${(yield* Issues.viewCase(reporter, c, r.caseId)).publicExpectedDate}`)
    yield* TestClock.setTime(Date.parse("2026-10-14T07:00:00Z"))
    yield* Issues.answer(handler, { ...ref(r), fixed: true, note: "已更换灯具，恢复照明", media: [photo] })
    yield* TestClock.setTime(Date.parse("2026-10-15T02:00:00Z"))
    const closed = yield* Issues.followUp(clerk, { ...ref(r), reached: true, fixed: true, satisfaction: "satisfied" })
    line(`answered (答复) 14 Oct; follow-up (回访) 15 Oct: fixed, 满意 -> ${closed.status} (${closed.closure?.resolution}, by ${closed.closure?.resolvedBy})`)

    const view = yield* Issues.viewCase(reporter, c, r.caseId)
    line(`what ${first!.name} sees (public steps only; the internal note is not there):`)
    for (const s of view.timeline) line(`  ${fmt(s.at)}  ${s.kind.padEnd(11)} ${s.actorKind.padEnd(8)} ${s.note ?? ""}`)
    yield* drain(Issues.issueNotifications, c)
    const toReporter = (yield* MemoryInspector).outbox().filter((m) =>
      m.templateId.startsWith("issues.") && m.recipient._tag === "Resident" && m.recipient.residentId === first!.id)
    line(`messages ${first!.name} received (the notification subscriber, off the journal; never the internal note):`)
    for (const m of toReporter) line(`  → ${Option.getOrElse(yield* renderMessage(m), () => m.templateId)}`)
    const [req] = yield* Issues.open311Requests(system, c)
    line(`Open311 request: ${JSON.stringify({ id: req!.service_request_id, status: req!.status, agency: req!.agency_responsible, expected: req!.expected_datetime, notes: req!.status_notes })}`)

    heading("Disputes (纠纷调解): the four-tier ladder")
    const d = yield* Issues.submitReport(neighbour, {
      communityId: c, typeId: "dispute", location: { buildingId: "b-2" }, description: "楼上渗水，两户协商未果", channel: "station", attributes: { parties: 2 }
    })
    yield* Issues.accept(clerk, ref(d))
    yield* Issues.dispatch(dispatcher, ref(d))
    yield* Issues.signFor(mediator, ref(d))
    yield* Issues.start(mediator, ref(d))
    const people = (n: number) => Array.from({ length: n }, (_, i) => `p-${i + 1}`)
    const tooFew = yield* Effect.flip(Issues.recordMediationSession(mediator, { ...ref(d), participants: people(3) }))
    line(`a stakeholder group of 3 is refused: [${(tooFew as Issues.MediationNotAllowed).code}] ${(tooFew as Issues.MediationNotAllowed).reason}`)
    yield* Issues.recordMediationSession(mediator, { ...ref(d), participants: people(6), note: "利益相关方小组第一次协商" })
    yield* Issues.recordMediationOutcome(mediator, { ...ref(d), outcome: "escalate" })
    yield* Issues.escalateMediation(mediator, { ...ref(d), to: "residents-council" })
    yield* Issues.recordMediationSession(mediator, { ...ref(d), participants: people(9) })
    yield* Issues.recordMediationOutcome(mediator, { ...ref(d), outcome: "agreement", note: "楼上户承担防水维修费用" })
    const down = yield* Effect.flip(Issues.escalateMediation(mediator, { ...ref(d), to: "stakeholder-group" }))
    line(`stakeholder group -> residents' council -> agreement; escalating again is refused (${(down as Issues.MediationNotAllowed).reason})`)
    yield* Issues.answer(mediator, { ...ref(d), fixed: true, note: "达成调解协议" })
    yield* Issues.close(clerk, ref(d))

    const figures = yield* Issues.figures(system, c, { by: "type" })
    for (const g of figures.groups) {
      const pct = (s: Issues.Share) => (s.rate === undefined ? "n/a" : `${Math.round(s.rate * 100)}%`)
      line(`figures ${g.key.padEnd(12)} cases ${g.cases}  response ${pct(g.response)}  on time ${pct(g.onTime)}  resolved ${pct(g.resolution)}  satisfied ${pct(g.satisfaction)}`)
    }
    line(`disputes per tier: ${figures.disputes.map((t) => `${t.tier} ${t.agreements}/${t.reached}`).join(", ")}`)
    const now = yield* Clock.currentTimeMillis
    if (resumeAt > now) yield* TestClock.setTime(resumeAt)
  })
