import { MemoryInspector } from "@gongzhi/store-memory"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  checkPermission,
  drain,
  Incentives,
  Issues,
  readJournal,
  renderMessage,
  ResidentActor,
  Roles,
  PetCredit,
  TimeBank
} from "../src/index.js"
import {
  admin,
  C,
  C_OTHER,
  camera,
  clerk,
  community,
  DAY,
  dogOf,
  neighbour,
  otherStaff,
  owner,
  owner2,
  petEvents,
  register,
  registered,
  report,
  resident,
  staff,
  state,
  system,
  T0,
  testLayer,
  trainer,
  verifier,
  violate
} from "./petcredit-support.js"

const at = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.zipRight(TestClock.setTime(T0), effect).pipe(Effect.provide(testLayer))

/** Runs `effect`, expects it to fail with `tag`, and checks that no store changed. */
const failsUnchanged = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>, tag: string) =>
  Effect.gen(function* () {
    const before = yield* state
    const error = yield* Effect.flip(effect)
    expect(error._tag).toBe(tag)
    expect(yield* state).toStrictEqual(before)
    return error
  })

const daily = PetCredit.runDailyChecks(system, { communityId: C })

describe("petcredit: thresholds (seed scheme)", () => {
  it.effect("60 is not suspended, 59 is; 40 is not in training, 39 is; each crossing is an event", () =>
    at(
      Effect.gen(function* () {
        const a = yield* registered()
        for (let i = 0; i < 4; i++) yield* violate(a.id, "off-leash")
        expect(yield* dogOf(a.id)).toMatchObject({ score: 60, licenceSuspended: false, trainingRequired: false })
        yield* violate(a.id, "off-leash")
        yield* violate(a.id, "off-leash")
        expect(yield* dogOf(a.id)).toMatchObject({ score: 40, licenceSuspended: true, trainingRequired: false })

        const b = yield* registered(owner2)
        // 100 - 10 - 10 - 10 - 5 - 3 - 3 = 59
        for (const kind of ["off-leash", "off-leash", "off-leash", "waste", "noise"]) yield* violate(b.id, kind)
        expect(yield* dogOf(b.id)).toMatchObject({ score: 62, licenceSuspended: false })
        yield* violate(b.id, "noise")
        expect(yield* dogOf(b.id)).toMatchObject({ score: 59, licenceSuspended: true, trainingRequired: false })
        yield* violate(b.id, "off-leash")
        yield* violate(b.id, "off-leash")
        expect(yield* dogOf(b.id)).toMatchObject({ score: 39, licenceSuspended: true, trainingRequired: true })

        const changes = (yield* petEvents()).filter((e) => e._tag === "PetCreditConsequenceChanged")
        expect(changes.map((e) => [e.dogId === a.id ? "a" : "b", e.consequence, e.active, e.score])).toStrictEqual([
          ["a", "licence-suspended", true, 50],
          ["b", "licence-suspended", true, 59],
          ["b", "training-required", true, 39]
        ])
      })
    ))

  it.effect("a suspended licence refuses renewal and a new registration in the household; climbing back lifts it", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        for (let i = 0; i < 5; i++) yield* violate(dog.id, "off-leash")
        expect((yield* dogOf(dog.id)).licenceSuspended).toBe(true)
        yield* failsUnchanged(PetCredit.renewLicence(resident(owner), { communityId: C, dogId: dog.id, licenceExpiresOn: "2028-05-31" }), "LicenceSuspended")
        yield* failsUnchanged(register(owner), "LicenceSuspended")
        for (let i = 0; i < 5; i++) yield* PetCredit.grantReward(clerk, { communityId: C, dogId: dog.id, kind: "good-behaviour" })
        expect(yield* dogOf(dog.id)).toMatchObject({ score: 60, licenceSuspended: false })
        const renewed = yield* PetCredit.renewLicence(resident(owner), { communityId: C, dogId: dog.id, licenceExpiresOn: "2028-05-31" })
        expect(renewed.licenceExpiresOn).toBe("2028-05-31")
        const lifted = (yield* petEvents()).filter((e) => e._tag === "PetCreditConsequenceChanged" && !e.active)
        expect(lifted.map((e) => e._tag === "PetCreditConsequenceChanged" && [e.consequence, e.score])).toStrictEqual([["licence-suspended", 60]])
      })
    ))

  it.effect("compulsory training restores 20 points once a year; optional training is a +2 reward", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        yield* failsUnchanged(PetCredit.recordTraining(trainer, { communityId: C, dogId: dog.id, kind: "compulsory" }), "NotApplicable")
        for (let i = 0; i < 7; i++) yield* violate(dog.id, "off-leash")
        expect(yield* dogOf(dog.id)).toMatchObject({ score: 30, trainingRequired: true })
        const first = yield* PetCredit.recordTraining(trainer, { communityId: C, dogId: dog.id, kind: "compulsory" })
        expect([first.restored, first.dog.score, first.dog.trainingRequired]).toStrictEqual([20, 50, false])
        yield* violate(dog.id, "off-leash")
        yield* violate(dog.id, "off-leash")
        yield* TestClock.adjust(30 * DAY)
        const second = yield* PetCredit.recordTraining(trainer, { communityId: C, dogId: dog.id, kind: "compulsory" })
        expect([second.restored, second.dog.score]).toStrictEqual([0, 30])
        yield* TestClock.adjust(336 * DAY)
        const nextYear = yield* PetCredit.recordTraining(trainer, { communityId: C, dogId: dog.id, kind: "compulsory" })
        expect(nextYear.restored).toBe(20)
        const optional = yield* PetCredit.recordTraining(trainer, { communityId: C, dogId: dog.id, kind: "optional" })
        expect(optional.entry).toMatchObject({ kind: "reward", code: "optional-training", applied: 2 })
        yield* failsUnchanged(PetCredit.recordTraining(clerk, { communityId: C, dogId: dog.id, kind: "optional" }), "Forbidden")
      })
    ))
})

describe("petcredit: clean-record reward", () => {
  it.effect("is granted at exactly 3 months, not a day before and not twice; a violation starts the window again", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 2, 2, 2, 0, 0)) // 2026-03-02 10:00 Shanghai
      const dog = yield* register()
      const other = yield* register(owner2)
      yield* TestClock.setTime(Date.UTC(2026, 2, 20, 2, 0, 0))
      yield* violate(other.id, "waste", Date.UTC(2026, 2, 20, 1, 0, 0))
      yield* TestClock.setTime(Date.UTC(2026, 5, 1, 15, 0, 0)) // 2026-06-01 23:00
      expect((yield* daily).cleanRecordRewards).toBe(0)
      yield* TestClock.setTime(Date.UTC(2026, 5, 1, 16, 30, 0)) // 2026-06-02 00:30
      expect((yield* daily).cleanRecordRewards).toBe(1)
      expect((yield* daily).cleanRecordRewards).toBe(0)
      const rewards = (yield* petEvents()).filter((e) => e._tag === "PetCreditCleanRecordRewarded")
      expect(rewards).toStrictEqual([
        {
          _tag: "PetCreditCleanRecordRewarded",
          dogId: dog.id,
          householdId: dog.householdId,
          keeperId: owner.id,
          windowStart: "2026-03-02",
          windowEnd: "2026-06-02",
          discountPercent: 10,
          points: 0
        }
      ])
      // the other dog's window started at its violation (2026-03-20 09:00) and ends three months later
      yield* TestClock.setTime(Date.UTC(2026, 5, 19, 2, 0, 0))
      expect((yield* daily).cleanRecordRewards).toBe(0)
      yield* TestClock.setTime(Date.UTC(2026, 5, 20, 2, 0, 0))
      expect((yield* daily).cleanRecordRewards).toBe(1)
      yield* TestClock.setTime(Date.UTC(2026, 5, 30, 2, 0, 0))
      expect((yield* daily).cleanRecordRewards).toBe(0)
    }).pipe(Effect.provide(testLayer)))

  it.effect("the reward event awards incentive points through the incentives subscriber when configured", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 2, 2, 2, 0, 0))
      yield* register()
      yield* TestClock.setTime(Date.UTC(2026, 5, 2, 2, 0, 0))
      yield* daily
      yield* drain(Incentives.incentivesSubscriber, C)
      const balance = yield* Incentives.standing(resident(owner), C, owner.id)
      expect(balance.balance).toBe(10)
    }).pipe(
      Effect.provide(
        Layer.succeed(Incentives.IncentiveConfig, {
          ...Incentives.defaultIncentiveConfig,
          points: { ...Incentives.defaultIncentiveConfig.points, "good-dog-owner": 10 },
          events: { ...Incentives.defaultIncentiveConfig.events, ...PetCredit.petCreditIncentiveEvents }
        })
      ),
      Effect.provide(testLayer)
    ))
})

describe("petcredit: combined scheme features", () => {
  it.effect("a scheme that resets yearly returns every score to its base on 1 January, once", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 10, 2, 2, 0, 0))
      yield* PetCredit.chooseScheme(admin, { communityId: C, scheme: { ...PetCredit.seedScheme, code: "yearly", resetYearly: true } })
      const dog = yield* register()
      yield* TestClock.setTime(Date.UTC(2026, 11, 1, 2, 0, 0))
      yield* violate(dog.id, "off-leash")
      yield* TestClock.setTime(Date.UTC(2026, 11, 31, 15, 59, 0)) // 23:59 on 31 December in Shanghai
      expect((yield* daily).resets).toBe(0)
      yield* TestClock.setTime(Date.UTC(2026, 11, 31, 16, 1, 0)) // 00:01 on 1 January
      expect((yield* daily).resets).toBe(1)
      expect((yield* daily).resets).toBe(0)
      const history = yield* PetCredit.scoreHistory(resident(owner), C, dog.id)
      expect(history.map((h) => [h.kind, h.code, h.applied, h.scoreAfter])).toStrictEqual([
        ["violation", "off-leash", -10, 90],
        ["reset", "new-year", 10, 100]
      ])
    }).pipe(Effect.provide(testLayer)))
})

describe("petcredit: jinan12", () => {
  it.effect("three off-leash reports in the window cost 3, 6, then all 12; the licence is withheld at 0; the exam restores 12", () =>
    at(
      Effect.gen(function* () {
        yield* PetCredit.chooseScheme(admin, { communityId: C, scheme: "jinan12" })
        const dog = yield* registered()
        expect((yield* dogOf(dog.id)).score).toBe(12)
        yield* failsUnchanged(PetCredit.recordExam(trainer, { communityId: C, dogId: dog.id }), "NotApplicable")
        const entries = []
        for (let i = 0; i < 3; i++) entries.push((yield* violate(dog.id, "off-leash")).entry!)
        expect(entries.map((e) => [e.points, e.applied, e.scoreAfter])).toStrictEqual([[-3, -3, 9], [-6, -6, 3], [-12, -3, 0]])
        expect(yield* dogOf(dog.id)).toMatchObject({ score: 0, licenceWithheld: true, licenceSuspended: false })
        yield* failsUnchanged(PetCredit.renewLicence(clerk, { communityId: C, dogId: dog.id, licenceExpiresOn: "2028-05-31" }), "LicenceSuspended")
        const exam = yield* PetCredit.recordExam(trainer, { communityId: C, dogId: dog.id })
        expect([exam.entry.kind, exam.entry.applied, exam.dog.score, exam.dog.licenceWithheld]).toStrictEqual(["exam", 12, 12, false])
        // a different kind starts its own ladder
        expect((yield* violate(dog.id, "disturbance")).entry!.applied).toBe(-3)
      })
    ))

  it.effect("repeats outside the two-year window start the ladder again; changing scheme never rewrites past entries", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2024, 0, 8, 2, 0, 0))
      const dog = yield* register()
      yield* TestClock.adjust(DAY)
      const minuteAgo = Effect.map(Effect.clockWith((c) => c.currentTimeMillis), (now) => now - 60_000)
      yield* violate(dog.id, "off-leash", yield* minuteAgo) // seed: -10
      const before = yield* PetCredit.scoreHistory(resident(owner), C, dog.id)
      yield* PetCredit.chooseScheme(admin, { communityId: C, scheme: "jinan12" })
      yield* TestClock.adjust(10 * DAY)
      yield* violate(dog.id, "off-leash", yield* minuteAgo)
      yield* TestClock.adjust(800 * DAY)
      const later = yield* violate(dog.id, "off-leash", yield* minuteAgo)
      const history = yield* PetCredit.scoreHistory(resident(owner), C, dog.id)
      expect(history.slice(0, before.length)).toStrictEqual(before)
      expect(history.map((h) => [h.kind, h.code, h.applied, h.scoreAfter])).toStrictEqual([
        ["violation", "off-leash", -10, 90],
        ["reset", "scheme-change", -78, 12],
        // the off-leash of ten days before (under the seed scheme) is a prior: this is the second
        ["violation", "off-leash", -6, 6],
        // 800 days later both are outside the two-year window: the first step again
        ["violation", "off-leash", -3, 3]
      ])
      expect(later.entry!.schemeCode).toBe("jinan12")
    }).pipe(Effect.provide(testLayer)))
})

describe("petcredit: the evidence rule", () => {
  it.effect("a camera detection never deducts before a human verifies it; unverified reports expire after 5 working days", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        const before = yield* dogOf(dog.id)
        const detection = yield* PetCredit.reportViolation(camera, {
          communityId: C,
          dogId: dog.id,
          kind: "off-leash",
          evidence: ["cam7/2026-06-01T09:50:12.jpg"],
          place: "东门",
          occurredAt: T0 - 600_000
        })
        expect([detection.source, detection.status, detection.expiresOn]).toStrictEqual(["camera", "pending", "2026-06-08"])
        expect(yield* dogOf(dog.id)).toStrictEqual(before)
        expect(yield* PetCredit.scoreHistory(resident(owner), C, dog.id)).toStrictEqual([])
        expect((yield* petEvents()).some((e) => e._tag === "PetCreditScoreChanged")).toBe(false)
        // no machine can verify
        yield* failsUnchanged(PetCredit.verifyReport(camera, { communityId: C, reportId: detection.id, decision: "confirm" }), "Forbidden")
        yield* failsUnchanged(PetCredit.verifyReport(system, { communityId: C, reportId: detection.id, decision: "confirm" }), "Forbidden")
        // 2026-06-08 is the last day; the daily check on 06-09 expires it and nothing was ever deducted
        yield* TestClock.setTime(Date.UTC(2026, 5, 8, 9, 0, 0))
        expect((yield* daily).expired).toBe(0)
        yield* TestClock.setTime(Date.UTC(2026, 5, 9, 1, 0, 0))
        yield* failsUnchanged(PetCredit.verifyReport(verifier, { communityId: C, reportId: detection.id, decision: "confirm" }), "ReportExpired")
        expect((yield* daily).expired).toBe(1)
        expect((yield* dogOf(dog.id)).score).toBe(100)
        yield* failsUnchanged(PetCredit.verifyReport(verifier, { communityId: C, reportId: detection.id, decision: "confirm" }), "AlreadyVerified")
      })
    ))

  it.effect("reports need evidence; bad input, other tenants and unknown dogs change nothing", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        const input = { communityId: C, dogId: dog.id, kind: "off-leash", evidence: [] as Array<string>, place: "东门", occurredAt: T0 - 1000 }
        const e = yield* failsUnchanged(PetCredit.reportViolation(resident(neighbour), input), "InvalidInput")
        expect(JSON.stringify(e)).toContain("evidence")
        yield* failsUnchanged(PetCredit.reportViolation(resident(neighbour), { ...input, evidence: ["p.jpg"], kind: "barking-at-night" }), "InvalidInput")
        yield* failsUnchanged(PetCredit.reportViolation(resident(neighbour), { ...input, evidence: ["p.jpg"], occurredAt: T0 + DAY }), "InvalidInput")
        yield* failsUnchanged(
          PetCredit.reportViolation(resident(neighbour), { ...input, evidence: ["p.jpg"], dogId: PetCredit.DogId.make("dog_nope") }),
          "DogNotRegistered"
        )
        yield* failsUnchanged(
          PetCredit.reportViolation(new ResidentActor({ communityId: C_OTHER, residentId: neighbour.id }), { ...input, evidence: ["p.jpg"] }),
          "Forbidden"
        )
        yield* failsUnchanged(PetCredit.reportViolation(resident(neighbour), { ...input, evidence: ["p.jpg"], issueId: "case-1" }), "InvalidInput")
        yield* failsUnchanged(PetCredit.registerDog(resident(neighbour), { communityId: C } as never), "InvalidInput")
      })
    ))

  it.effect("two reports of one incident count once (the second is linked); reports an hour apart are two", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        const first = yield* report(dog.id, "waste", neighbour, T0 - 3_000_000)
        const second = yield* report(dog.id, "waste", owner2, T0 - 2_000_000)
        const third = yield* report(dog.id, "waste", owner2, T0 - 3_000_000 - 3_600_000)
        expect([first.status, second.status, second.duplicateOf, third.status]).toStrictEqual(["pending", "duplicate", first.id, "pending"])
        yield* PetCredit.verifyReport(verifier, { communityId: C, reportId: first.id, decision: "confirm" })
        yield* failsUnchanged(PetCredit.verifyReport(verifier, { communityId: C, reportId: second.id, decision: "confirm" }), "AlreadyVerified")
        // a fourth report of the verified incident is linked too
        expect((yield* report(dog.id, "waste", owner2, T0 - 2_500_000)).status).toBe("duplicate")
        expect((yield* dogOf(dog.id)).score).toBe(95)
        expect((yield* PetCredit.pendingReports(verifier, C)).map((r) => r.id)).toStrictEqual([third.id])
        const counted = yield* PetCredit.monthlyComplaints(verifier, C, "2026-05", "2026-06")
        expect(counted).toStrictEqual([{ month: "2026-06", kind: "waste", count: 2 }])
        const trend = yield* PetCredit.complaintTrend(verifier, C, 2026)
        expect(trend.total).toStrictEqual({ previous: 0, current: 2 })
        yield* failsUnchanged(PetCredit.complaintTrend(resident(owner), C, 2026), "Forbidden")
      })
    ))

  it.effect("staff hand over a dog-related issue as a report (source issue), verified like any other", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        const r = yield* PetCredit.reportViolation(clerk, {
          communityId: C,
          dogId: dog.id,
          kind: "noise",
          evidence: ["issue-attachments/5.m4a"],
          place: "3单元",
          occurredAt: T0 - 7_200_000,
          issueId: "case_0001"
        })
        expect([r.source, r.issueId]).toStrictEqual(["issue", "case_0001"])
        const v = yield* PetCredit.verifyReport(otherStaff, { communityId: C, reportId: r.id, decision: "reject", note: "无法确认" })
        expect(v.report.status).toBe("rejected")
        expect((yield* dogOf(dog.id)).score).toBe(100)
      })
    ))
})

describe("petcredit: a dog-waste issue handed to verification", () => {
  it.effect("the case's photos, place and time become the report; the reporter is the case, never the resident", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        const photo = { ref: "https://img.example/waste-88.jpg", mimeType: "image/jpeg", sizeBytes: 90_000, sha256: "c".repeat(64) }
        const building = community.buildings[0]!
        const issue = yield* Issues.submitReport(resident(neighbour), {
          communityId: C,
          typeId: "dog-waste",
          location: { buildingId: building.id, address: "1号楼东侧草坪" },
          description: "草坪上有狗粪没人清理",
          photos: [photo],
          channel: "app"
        })
        yield* failsUnchanged(PetCredit.reportFromIssue(resident(owner), { communityId: C, caseId: issue.caseId, dogId: dog.id }), "Forbidden")
        const r = yield* PetCredit.reportFromIssue(clerk, { communityId: C, caseId: issue.caseId, dogId: dog.id })
        expect([r.source, r.kind, r.evidence, r.place, r.issueId, r.reporterRef, r.status]).toStrictEqual([
          "issue", "waste", [photo.ref], "1号楼东侧草坪", issue.caseId, `issue:${issue.caseId}`, "pending"
        ])
        expect((yield* dogOf(dog.id)).score).toBe(100)
        const v = yield* PetCredit.verifyReport(verifier, { communityId: C, reportId: r.id, decision: "confirm" })
        expect(v.entry!.applied).toBe(-5)
        expect(JSON.stringify(yield* PetCredit.reportsAboutDog(resident(owner), C, dog.id))).not.toContain(neighbour.id)
      })
    ))
})

describe("petcredit: privacy", () => {
  it.effect("the reporter's identity never appears in the owner's views, the events or the owner's messages", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        const { report: r } = yield* violate(dog.id, "off-leash")
        yield* PetCredit.appeal(resident(owner), { communityId: C, reportId: r.id, reason: "邻居看错了" })
        yield* PetCredit.decideAppeal(otherStaff, { communityId: C, reportId: r.id, outcome: "dismissed", note: "证据充分" })
        const views = JSON.stringify([
          yield* PetCredit.myDogs(resident(owner), C),
          yield* PetCredit.scoreHistory(resident(owner), C, dog.id),
          yield* PetCredit.reportsAboutDog(resident(owner), C, dog.id),
          yield* PetCredit.publicBoard(resident(owner), C)
        ])
        const journal = JSON.stringify(yield* readJournal(C))
        yield* drain(PetCredit.petCreditNotifications, C)
        const outbox = (yield* MemoryInspector).outbox()
        expect(outbox.length).toBeGreaterThan(0)
        const texts = JSON.stringify(yield* Effect.forEach(outbox, renderMessage))
        for (const leak of [neighbour.id, neighbour.name, "photos/2026/abc.jpg"]) {
          expect(views).not.toContain(leak)
          expect(journal).not.toContain(leak)
          expect(texts).not.toContain(leak)
          expect(JSON.stringify(outbox)).not.toContain(leak)
        }
        // staff see who reported
        expect((yield* PetCredit.pendingReports(verifier, C)).length).toBe(0)
        const stored = yield* Effect.flatMap(PetCredit.PetCreditStore, (s) => s.reports.get({ communityId: C, id: r.id }))
        expect(Option.getOrThrow(stored).reporterRef).toBe(`resident:${neighbour.id}`)
      })
    ))

  it.effect("the public board shows only a masked tag; owner views are for the owner's household", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered(owner, { licenceNo: "SD20260777" })
        for (let i = 0; i < 5; i++) yield* violate(dog.id, "off-leash")
        const board = yield* PetCredit.publicBoard(resident(neighbour), C)
        expect(board).toStrictEqual([{ tag: "SD****77", breed: "中华田园犬", size: "medium", consequences: ["licence-suspended"] }])
        expect(JSON.stringify(board)).not.toContain(owner.name)
        yield* failsUnchanged(PetCredit.scoreHistory(resident(neighbour), C, dog.id), "NotDogOwner")
        yield* failsUnchanged(PetCredit.reportsAboutDog(resident(neighbour), C, dog.id), "NotDogOwner")
        yield* failsUnchanged(PetCredit.pendingReports(resident(owner), C), "Forbidden")
        const offenders = yield* PetCredit.repeatOffenders(verifier, C, { minViolations: 3 })
        expect(offenders).toStrictEqual([{ dogId: dog.id, tag: "SD****77", householdId: owner.householdId, violations: 5, score: 50 }])
        const lists = yield* PetCredit.consequenceList(verifier, C)
        expect([lists.suspended.map((d) => d.id), lists.training, lists.withheld]).toStrictEqual([[dog.id], [], []])
      })
    ))
})

describe("petcredit: appeals", () => {
  it.effect("an upheld appeal, decided by another staff member, restores the points and lifts what no longer holds", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        for (let i = 0; i < 4; i++) yield* violate(dog.id, "off-leash")
        const { report: r } = yield* violate(dog.id, "waste")
        expect(yield* dogOf(dog.id)).toMatchObject({ score: 55, licenceSuspended: true })
        yield* failsUnchanged(PetCredit.appeal(resident(neighbour), { communityId: C, reportId: r.id, reason: "x" }), "NotDogOwner")
        yield* PetCredit.appeal(resident(owner), { communityId: C, reportId: r.id, reason: "不是我家的狗" })
        yield* failsUnchanged(PetCredit.appeal(resident(owner), { communityId: C, reportId: r.id, reason: "again" }), "AlreadyAppealed")
        yield* failsUnchanged(PetCredit.decideAppeal(verifier, { communityId: C, reportId: r.id, outcome: "upheld", note: "" }), "SameStaffDecision")
        yield* failsUnchanged(PetCredit.decideAppeal(clerk, { communityId: C, reportId: r.id, outcome: "upheld", note: "" }), "Forbidden")
        const decided = yield* PetCredit.decideAppeal(otherStaff, { communityId: C, reportId: r.id, outcome: "upheld", note: "照片中的狗不是该犬" })
        expect(decided.report.status).toBe("overturned")
        expect(decided.entry).toMatchObject({ kind: "reversal", reverses: r.entrySeq, applied: 5 })
        expect(yield* dogOf(dog.id)).toMatchObject({ score: 60, licenceSuspended: false })
        const views = yield* PetCredit.reportsAboutDog(resident(owner), C, dog.id)
        expect(views.find((v) => v.reportId === r.id)).toMatchObject({ status: "overturned", appealOutcome: "upheld", evidenceCount: 1 })
        yield* failsUnchanged(PetCredit.reverseEntry(admin, { communityId: C, dogId: dog.id, seq: r.entrySeq!, reason: "twice" }), "NotApplicable")
      })
    ))

  it.effect("appeals close after 7 working days; pending reports cannot be appealed", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        const pending = yield* report(dog.id, "noise")
        yield* failsUnchanged(PetCredit.appeal(resident(owner), { communityId: C, reportId: pending.id, reason: "x" }), "ReportNotVerified")
        const { report: r } = yield* violate(dog.id, "off-leash")
        expect(r.appealUntil).toBe("2026-06-10")
        yield* TestClock.setTime(Date.UTC(2026, 5, 11, 1, 0, 0))
        yield* failsUnchanged(PetCredit.appeal(resident(owner), { communityId: C, reportId: r.id, reason: "too late" }), "AppealWindowClosed")
        yield* TestClock.setTime(Date.UTC(2026, 5, 10, 15, 0, 0))
        const ok = yield* PetCredit.appeal(clerk, { communityId: C, reportId: r.id, reason: "代老人申诉" })
        expect(ok.appeal?.appealedBy).toBe("staff:s-clerk")
      })
    ))

  it.effect("an admin reverses a mistaken reward with a compensating entry linked to it", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        yield* violate(dog.id, "waste")
        const { entry } = yield* PetCredit.grantReward(clerk, { communityId: C, dogId: dog.id, kind: "open-day" })
        const rev = yield* PetCredit.reverseEntry(admin, { communityId: C, dogId: dog.id, seq: entry.seq, reason: "记错了" })
        expect([rev.kind, rev.reverses, rev.applied, rev.scoreAfter]).toStrictEqual(["reversal", entry.seq, -2, 95])
        yield* failsUnchanged(PetCredit.reverseEntry(admin, { communityId: C, dogId: dog.id, seq: rev.seq, reason: "x" }), "NotApplicable")
        yield* failsUnchanged(PetCredit.reverseEntry(clerk, { communityId: C, dogId: dog.id, seq: entry.seq, reason: "x" }), "Forbidden")
      })
    ))
})

describe("petcredit: registry", () => {
  it.effect("register, update, transfer (a fresh score for the new keeper), gone; licence numbers are unique", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered(owner, { licenceNo: "SD20269999" })
        yield* failsUnchanged(register(owner2, { licenceNo: "SD20269999" }), "InvalidInput")
        yield* failsUnchanged(register(owner2, { householdId: owner.householdId! }), "NotDogOwner")
        yield* failsUnchanged(register(owner, { keeperId: neighbour.id }), "InvalidInput")
        const updated = yield* PetCredit.updateDog(resident(owner), { communityId: C, dogId: dog.id, vaccinationExpiresOn: "2027-06-01" })
        expect(updated.vaccinationExpiresOn).toBe("2027-06-01")
        yield* failsUnchanged(PetCredit.updateDog(resident(neighbour), { communityId: C, dogId: dog.id, name: "x" }), "NotDogOwner")
        yield* violate(dog.id, "off-leash")
        const moved = yield* PetCredit.transferDog(clerk, { communityId: C, dogId: dog.id, householdId: owner2.householdId!, keeperId: owner2.id })
        expect([moved.householdId, moved.keeperId, moved.score]).toStrictEqual([owner2.householdId, owner2.id, 100])
        expect((yield* PetCredit.myDogs(resident(owner2), C)).map((d) => d.dogId)).toStrictEqual([dog.id])
        expect(yield* PetCredit.myDogs(resident(owner), C)).toStrictEqual([])
        yield* PetCredit.markDogGone(resident(owner2), { communityId: C, dogId: dog.id, status: "rehomed" })
        yield* failsUnchanged(report(dog.id, "waste"), "DogNotRegistered")
      })
    ))

  it.effect("reminders go 30 days before a vaccination or licence expires, once per date", () =>
    at(
      Effect.gen(function* () {
        yield* registered(owner, { vaccinationExpiresOn: "2026-07-01", licenceExpiresOn: "2026-08-15" })
        expect((yield* daily).reminders).toBe(1)
        expect((yield* daily).reminders).toBe(0)
        yield* TestClock.setTime(Date.UTC(2026, 6, 16, 2, 0, 0))
        expect((yield* daily).reminders).toBe(1)
        const events = (yield* petEvents()).filter((e) => e._tag === "PetCreditExpiryReminder")
        expect(events.map((e) => e._tag === "PetCreditExpiryReminder" && [e.what, e.expiresOn])).toStrictEqual([
          ["vaccination", "2026-07-01"],
          ["licence", "2026-08-15"]
        ])
      })
    ))
})

describe("petcredit: links", () => {
  it.effect("confirmed dog-patrol hours in the time bank earn the keeper's dogs the patrol reward, once per service", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        yield* TimeBank.defineServiceType(admin, {
          communityId: C,
          code: "dog-patrol",
          name: { "zh-CN": "文明养犬巡查", en: "Dog patrol" },
          multiplierPermille: 1000
        })
        const { service } = yield* TimeBank.recordService(resident(owner), {
          communityId: C,
          providerId: owner.id,
          recipientId: neighbour.id,
          serviceType: "dog-patrol",
          minutes: 120
        })
        yield* TimeBank.confirmService(resident(neighbour), { communityId: C, serviceId: service.id })
        yield* violate(dog.id, "waste")
        yield* drain(PetCredit.patrolRewardsSubscriber, C)
        expect((yield* dogOf(dog.id)).score).toBe(97)
        const replay = yield* PetCredit.grantReward(system, { communityId: C, dogId: dog.id, kind: "patrol", sourceRef: `timebank:${service.id}:${dog.id}` })
        expect(replay.replayed).toBe(true)
        expect((yield* dogOf(dog.id)).score).toBe(97)
      })
    ))
})

describe("petcredit: notifications", () => {
  it.effect("the keeper is told of score changes, thresholds, appeal outcomes and rewards in their locale", () =>
    at(
      Effect.gen(function* () {
        const dog = yield* registered()
        for (let i = 0; i < 5; i++) yield* violate(dog.id, "off-leash")
        yield* drain(PetCredit.petCreditNotifications, C)
        const outbox = (yield* MemoryInspector).outbox()
        expect(outbox.every((m) => m.recipient._tag === "Resident" && m.recipient.residentId === owner.id)).toBe(true)
        const ids = outbox.map((m) => m.templateId)
        expect(ids.filter((i) => i === "petcredit.scoreChanged").length).toBe(5)
        expect(ids).toContain("petcredit.licenceSuspended")
        const suspended = outbox.find((m) => m.templateId === "petcredit.licenceSuspended")!
        const text = Option.getOrThrow(yield* renderMessage(suspended))
        expect(text).toContain("50")
        expect(text).toContain(owner.locale === "en" ? "suspended" : "暂停办证资格")
        for (const id of Object.keys(PetCredit.petCreditTemplates)) {
          const t = PetCredit.petCreditTemplates[id as keyof typeof PetCredit.petCreditTemplates]
          expect([id, t["zh-CN"].length > 0 && t.en.length > 0]).toStrictEqual([id, true])
        }
      })
    ))
})

describe("petcredit: permission matrix", () => {
  type Who = "resident" | "system" | "tenant" | "trainer" | keyof typeof Roles
  const all: ReadonlyArray<Who> = ["resident", "system", "tenant", "trainer", ...(Object.keys(Roles) as Array<keyof typeof Roles>)]
  const desk: ReadonlyArray<Who> = ["admin", "committee", "clerk"]
  const expected: Record<PetCredit.PetCreditCommand, ReadonlyArray<Who>> = {
    "petcredit.chooseScheme": ["admin"],
    "petcredit.registerDog": ["resident", ...desk],
    "petcredit.updateDog": ["resident", ...desk],
    "petcredit.transferDog": ["resident", ...desk],
    "petcredit.markDogGone": ["resident", ...desk],
    "petcredit.renewLicence": ["resident", ...desk],
    "petcredit.reportViolation": ["resident", "system", ...desk],
    "petcredit.reportFromIssue": ["system", ...desk],
    "petcredit.verifyReport": desk,
    "petcredit.appeal": ["resident", ...desk],
    "petcredit.decideAppeal": ["admin", "committee", "mediator"],
    "petcredit.recordTraining": ["admin", "committee", "trainer"],
    "petcredit.recordExam": ["admin", "committee", "trainer"],
    "petcredit.grantReward": ["system", ...desk],
    "petcredit.reverseEntry": ["admin"],
    "petcredit.runDailyChecks": ["admin", "system"],
    "petcredit.ownerRead": ["resident", "system", ...desk, "auditor"],
    "petcredit.staffRead": ["system", ...desk, "auditor", "mediator"],
    "petcredit.publicRead": all.filter((w) => w !== "tenant")
  }
  const actorFor = (who: Who) => {
    switch (who) {
      case "resident":
        return resident(owner)
      case "system":
        return system
      case "tenant":
        return new ResidentActor({ communityId: C_OTHER, residentId: owner.id })
      case "trainer":
        return trainer
      default:
        return staff(Roles[who])
    }
  }
  it("every command allows exactly the listed actors", () => {
    expect(Object.keys(PetCredit.petCreditPermissions).sort()).toStrictEqual(Object.keys(expected).sort())
    for (const [command, allowed] of Object.entries(expected) as Array<[PetCredit.PetCreditCommand, ReadonlyArray<Who>]>) {
      for (const who of all) {
        const reason = checkPermission(PetCredit.petCreditPermissions[command], actorFor(who), C)
        expect([command, who, reason === undefined]).toStrictEqual([command, who, allowed.includes(who)])
      }
    }
  })
  it("the fixture has households for the owners", () => {
    expect([owner.householdId, owner2.householdId, neighbour.householdId].every((h) => h !== undefined)).toBe(true)
    expect(new Set([owner.householdId, owner2.householdId, neighbour.householdId]).size).toBe(3)
    expect(community.residents.length).toBeGreaterThan(10)
  })
})
