import {
  type DirectorySnapshot,
  drain,
  PetCredit,
  renderMessage,
  ResidentActor,
  StaffActor,
  type StaffId,
  SystemActor
} from "@gongzhi/core"
import { MemoryInspector } from "@gongzhi/store-memory"
import { Clock, Effect, Option, TestClock } from "effect"
import { heading, line } from "../print.js"

/** Shanghai wall-clock time in 2026 as epoch millis. */
const sh = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour - 8, minute)

/**
 * Pet credit: a dog owner's month (November 2026) under the seed's scheme —
 * the clean-record reward for the three quiet months before it, a camera's
 * off-leash detection verified by staff, a neighbour's mistaken report
 * overturned on appeal, an optional training, and what everyone gets to see.
 */
export const petCreditChapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const backToToday = yield* Clock.currentTimeMillis
    const residents = community.residents.filter((r) => r.householdId !== undefined)
    const owner = residents.find((r) => r.kind === "owner" && !r.prefersOffline)!
    const neighbour = residents.find((r) => r.householdId !== owner.householdId && r.kind === "owner")!
    const as = (r: typeof owner) => new ResidentActor({ communityId: c, residentId: r.id })
    const staffOf = (id: string) => {
      const s = community.staff.find((x) => x.id === (id as StaffId))!
      return { name: s.name, actor: new StaffActor({ communityId: c, staffId: s.id, roles: s.roles, departments: s.departments }) }
    }
    const clerk = staffOf("s-clerk")
    const committee = staffOf("s-committee-1")
    const committee2 = staffOf("s-committee-2")
    const trainer = new StaffActor({ communityId: c, staffId: "s-trainer" as StaffId, roles: [PetCredit.PetCreditRoles.trainer], departments: [] })
    const camera = new SystemActor({ communityId: c, process: "camera-east-gate" })
    const scheduler = new SystemActor({ communityId: c, process: "scheduler" })
    const score = (dogId: PetCredit.DogId) =>
      Effect.map(PetCredit.myDogs(as(owner), c), (ds) => ds.find((d) => d.dogId === dogId)!.score)

    heading("Pet credit (养犬信用积分): the seed's scheme")
    const scheme = yield* PetCredit.schemeOf(as(owner), c)
    line(`${scheme.name["zh-CN"]} / ${scheme.name.en}: start ${scheme.base}, ceiling ${scheme.ceiling}`)
    line(`violations: ${scheme.violations.map((v) => `${v.name["zh-CN"]} -${v.points[0]}`).join(", ")}; good behaviour +2`)
    line(`below 60: licence suspended (暂停办证资格); below 40: compulsory training; 3 clean months: 10% off the property fee`)

    // Registered in August, three months before the month told here.
    yield* TestClock.setTime(sh(8, 3, 10))
    const dog = yield* PetCredit.registerDog(as(owner), {
      communityId: c,
      householdId: owner.householdId!,
      keeperId: owner.id,
      name: "豆豆",
      licenceNo: "SH2026008317",
      breed: "柯基 Corgi",
      size: "small",
      vaccinationExpiresOn: "2026-12-01",
      licenceExpiresOn: "2027-08-02"
    })
    line(`${owner.name} registered ${dog.name} on 2026-08-03 (licence ${dog.licenceNo}); score ${dog.score}`)

    heading("2 November: the clean-record check")
    yield* TestClock.setTime(sh(11, 2, 6))
    const early = yield* PetCredit.runDailyChecks(scheduler, { communityId: c })
    line(`scheduled check on 11-02: ${early.cleanRecordRewards} reward (three months end on 11-03), ${early.reminders} reminder (the vaccination expires on 2026-12-01)`)
    yield* TestClock.setTime(sh(11, 3, 6))
    const due = yield* PetCredit.runDailyChecks(scheduler, { communityId: c })
    line(`scheduled check on 11-03: ${due.cleanRecordRewards} reward — 10% off the property fee, published as PetCreditCleanRecordRewarded for the property system`)

    heading("5 November: a camera sees 豆豆 off the leash")
    yield* TestClock.setTime(sh(11, 5, 7, 42))
    const detection = yield* PetCredit.reportViolation(camera, {
      communityId: c,
      dogId: dog.id,
      kind: "off-leash",
      evidence: ["cam/east-gate/2026-11-05T07-41-10.jpg"],
      place: "东门 east gate",
      occurredAt: sh(11, 5, 7, 41)
    })
    line(`camera report ${detection.id}: status ${detection.status}, verify by ${detection.expiresOn}; score still ${yield* score(dog.id)} (a machine never deducts)`)
    const second = yield* PetCredit.reportViolation(as(neighbour), {
      communityId: c,
      dogId: dog.id,
      kind: "off-leash",
      evidence: ["wechat-upload/8812.jpg"],
      place: "东门",
      occurredAt: sh(11, 5, 7, 45)
    })
    line(`a neighbour reports the same incident: ${second.status}, linked to ${second.duplicateOf} (not counted twice)`)
    yield* TestClock.setTime(sh(11, 5, 14))
    const verified = yield* PetCredit.verifyReport(clerk.actor, { communityId: c, reportId: detection.id, decision: "confirm", note: "录像清晰" })
    line(`clerk ${clerk.name} checks the footage and confirms: ${verified.entry!.applied} -> score ${verified.entry!.scoreAfter}; appeal until ${verified.report.appealUntil}`)

    heading("12 November: a mistaken report, and an appeal")
    yield* TestClock.setTime(sh(11, 12, 9))
    const mistaken = yield* PetCredit.reportViolation(as(neighbour), {
      communityId: c,
      dogId: dog.id,
      kind: "waste",
      evidence: ["wechat-upload/9034.jpg"],
      place: "3号楼花坛 flower bed, building 3",
      occurredAt: sh(11, 12, 8, 20)
    })
    const v2 = yield* PetCredit.verifyReport(committee2.actor, { communityId: c, reportId: mistaken.id, decision: "confirm" })
    line(`uncleaned waste reported; committee member ${committee2.name} confirms it from the photo: ${v2.entry!.applied} -> ${v2.entry!.scoreAfter}`)
    yield* TestClock.setTime(sh(11, 13, 20))
    yield* PetCredit.appeal(as(owner), { communityId: c, reportId: mistaken.id, reason: "豆豆当天在宠物医院，有收据" })
    line(`${owner.name} appeals: 豆豆 was at the vet that morning (receipt attached)`)
    const same = yield* Effect.flip(PetCredit.decideAppeal(committee2.actor, { communityId: c, reportId: mistaken.id, outcome: "dismissed", note: "" }))
    line(`${committee2.name} may not decide an appeal of their own verification: [${same.code}] ${same.text["zh-CN"]}`)
    yield* TestClock.setTime(sh(11, 16, 10))
    const decided = yield* PetCredit.decideAppeal(committee.actor, { communityId: c, reportId: mistaken.id, outcome: "upheld", note: "宠物医院收据时间吻合" })
    line(`committee member ${committee.name} upholds it: report ${decided.report.status}, compensating entry +${decided.entry!.applied} -> ${decided.entry!.scoreAfter}`)

    heading("20 November: an optional training")
    yield* TestClock.setTime(sh(11, 20, 15))
    const training = yield* PetCredit.recordTraining(trainer, { communityId: c, dogId: dog.id, kind: "optional" })
    line(`文明养犬课堂 completed: +${training.entry!.applied} -> ${training.dog.score}`)

    heading("30 November: what the owner, the staff and the public see")
    yield* TestClock.setTime(backToToday)
    for (const h of yield* PetCredit.scoreHistory(as(owner), c, dog.id)) {
      line(`#${h.seq} ${h.kind.padEnd(9)} ${h.code.padEnd(17)} ${String(h.applied).padStart(4)} -> ${h.scoreAfter}${h.reverses === undefined ? "" : ` (reverses #${h.reverses})`}`)
    }
    for (const r of yield* PetCredit.reportsAboutDog(as(owner), c, dog.id)) {
      line(`report ${r.kind} at ${r.place}: ${r.status}${r.appealOutcome === undefined ? "" : `, appeal ${r.appealOutcome}`} (${r.evidenceCount} evidence item; the reporter is never shown)`)
    }
    const figures = yield* PetCredit.monthlyComplaints(committee.actor, c, "2026-11", "2026-11")
    line(`complaints in November: ${figures.map((f) => `${f.kind} ${f.count}`).join(", ")} (the linked duplicate is not counted)`)
    line(`public board: ${JSON.stringify(yield* PetCredit.publicBoard(as(neighbour), c))} (nobody is under a consequence)`)

    yield* drain(PetCredit.petCreditNotifications, c)
    const outbox = (yield* MemoryInspector).outbox().filter((m) => m.templateId.startsWith("petcredit."))
    line(`${outbox.length} messages to ${owner.name}, e.g.:`)
    for (const id of ["petcredit.cleanRecordReward", "petcredit.scoreChanged", "petcredit.appealUpheld"]) {
      const m = outbox.find((x) => x.templateId === id)
      if (m === undefined) continue
      line(`  ${Option.getOrElse(yield* renderMessage(m), () => id)}`)
    }
  })
