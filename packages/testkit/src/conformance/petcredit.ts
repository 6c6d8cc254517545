/**
 * Conformance cases of pet credit's store port (`PetCreditStore`): the
 * derived cases of each of its entities (dogs, reports, score entries,
 * scheme choices), the complaint count, and the module's commands end to
 * end (a report verified, appealed and overturned; duplicates linked).
 *
 * @since 0.2.0
 */
import {
  ChinaCalendar,
  type CommunityId,
  HouseholdId,
  PetCredit,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  SystemActor
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, TestClock, TestContext } from "effect"
import { generateCommunity } from "../fixtures.js"
import { entityCases } from "./entity.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const T = 1_780_000_000_000

/**
 * The `i`-th sample dog of a community.
 *
 * @since 0.2.0
 * @category conformance
 */
export const sampleDog = (communityId: CommunityId, i: number): PetCredit.Dog =>
  new PetCredit.Dog({
    communityId,
    id: PetCredit.DogId.make(`dog-${String(i).padStart(3, "0")}`),
    name: i % 2 === 0 ? `旺财${i}` : `Rex ${i}`,
    householdId: HouseholdId.make(`h-${i % 3}`),
    keeperId: ResidentId.make(`r-${i % 4}`),
    licenceNo: `SD2026${String(1000 + i)}`,
    breed: "柴犬",
    size: i % 3 === 0 ? "small" : i % 3 === 1 ? "medium" : "large",
    vaccinationExpiresOn: "2027-03-01" as never,
    licenceExpiresOn: "2027-06-30" as never,
    status: i % 5 === 4 ? "deceased" : "active",
    schemeCode: "seed",
    score: 100 - i * 7,
    licenceSuspended: 100 - i * 7 < 60,
    trainingRequired: 100 - i * 7 < 40,
    licenceWithheld: false,
    entryCount: i,
    keptSince: T,
    cleanAnchor: T + i,
    ...(i % 2 === 0 ? { lastViolationAt: T + 1000 * i } : {}),
    scoreYear: 2026,
    ...(i % 3 === 0 ? { remindedVaccinationFor: "2027-03-01" as never } : {}),
    registeredAt: T + ((i * 7) % 5) * 1000,
    version: 1
  })

/**
 * The `i`-th sample report of a community.
 *
 * @since 0.2.0
 * @category conformance
 */
export const sampleReport = (communityId: CommunityId, i: number): PetCredit.Report =>
  new PetCredit.Report({
    communityId,
    id: PetCredit.ReportId.make(`rpt-${String(i).padStart(3, "0")}`),
    dogId: PetCredit.DogId.make(`dog-${i % 3}`),
    kind: ["off-leash", "waste", "noise"][i % 3]!,
    source: i % 2 === 0 ? "resident" : "camera",
    reporterRef: i % 2 === 0 ? `resident:r-${i}` : "system:camera-1",
    evidence: [`photo/${i}.jpg`, "照片"],
    place: "3号楼北侧",
    occurredAt: T - 3_600_000 * i,
    month: i % 2 === 0 ? "2026-05" : "2026-06",
    reportedAt: T + ((i * 3) % 4) * 1000,
    expiresOn: "2026-06-08" as never,
    status: i % 3 === 0 ? "verified" : "pending",
    linkedCount: i % 2,
    ...(i % 3 === 0
      ? {
          verifiedBy: "staff:s-1",
          verifiedAt: T + 5000,
          deducted: -10,
          entrySeq: 1,
          appealUntil: "2026-06-10" as never,
          appeal: { reason: "不是我家的狗", appealedBy: "resident:r-1", appealedAt: T + 6000 }
        }
      : {}),
    version: 1
  })

/**
 * The `i`-th sample score entry of a community (even ones are reversals,
 * each of another dog, so the reversal constraint is exercised).
 *
 * @since 0.2.0
 * @category conformance
 */
export const sampleEntry = (communityId: CommunityId, i: number): PetCredit.ScoreEntry =>
  new PetCredit.ScoreEntry({
    communityId,
    dogId: PetCredit.DogId.make(`dog-${String(i).padStart(3, "0")}`),
    seq: 2 + (i % 4),
    kind: i % 2 === 0 ? "reversal" : "reward",
    code: i % 2 === 0 ? "off-leash" : "patrol",
    points: i % 2 === 0 ? 10 : 2,
    applied: i % 2 === 0 ? 10 : 2,
    scoreAfter: 100,
    schemeCode: "seed",
    ...(i % 2 === 0 ? { reverses: 1, reportId: PetCredit.ReportId.make(`rpt-${i}`) } : {}),
    ...(i % 3 !== 2 ? { sourceRef: `timebank:svc-${i}` } : {}),
    recordedAt: T + i,
    recordedBy: "staff:s-1"
  })

/**
 * The `i`-th sample scheme choice of a community.
 *
 * @since 0.2.0
 * @category conformance
 */
export const sampleSchemeChoice = (communityId: CommunityId, i: number): PetCredit.SchemeChoice =>
  new PetCredit.SchemeChoice({
    communityId,
    seq: i + 1,
    scheme: i % 2 === 0 ? PetCredit.seedScheme : PetCredit.jinan12,
    chosenAt: T + i,
    chosenBy: "staff:admin"
  })

const failureTag = <A, E>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : undefined

/** 2026-06-01 10:00 in Shanghai (a Monday). */
const T0 = Date.UTC(2026, 5, 1, 2, 0, 0)

/**
 * Pet credit's cases.
 *
 * @since 0.2.0
 * @category conformance
 */
export const petCreditSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
  const store = PetCredit.PetCreditStore
  describe("petcredit store: dogs", () => {
    entityCases(it as never, {
      table: Effect.map(store, (s) => s.dogs),
      sample: sampleDog,
      change: (d) => new PetCredit.Dog({ ...d, score: d.score - 10, licenceSuspended: true, name: `${d.name}（改）`, version: d.version + 1 })
    })
  })
  describe("petcredit store: reports", () => {
    entityCases(it as never, {
      table: Effect.map(store, (s) => s.reports),
      sample: sampleReport,
      change: (r) => new PetCredit.Report({ ...r, status: "rejected", verifiedBy: "staff:s-2", verifiedAt: T + 9, note: "看错了", version: r.version + 1 })
    })
  })
  describe("petcredit store: score entries", () => {
    entityCases(it as never, {
      table: Effect.map(store, (s) => s.entries),
      sample: sampleEntry,
      // Only who recorded an entry may be corrected: its numbers are append-only.
      change: (e) => new PetCredit.ScoreEntry({ ...e, recordedBy: "staff:s-9" })
    })
  })
  describe("petcredit store: scheme choices", () => {
    entityCases(it as never, {
      table: Effect.map(store, (s) => s.schemeChoices),
      sample: sampleSchemeChoice,
      change: (c) => new PetCredit.SchemeChoice({ ...c, chosenBy: "staff:other" })
    })
  })

  describe("petcredit store: complaints by month", () => {
    it.effect("counts reports by month and kind within the range, leaving duplicates and other communities out", () =>
      Effect.gen(function* () {
        const s = yield* store
        const c = freshCommunityId()
        const d = freshCommunityId()
        const at = (i: number, month: string, kind: string, status: PetCredit.ReportStatus = "pending") =>
          new PetCredit.Report({
            ...sampleReport(c, i),
            month,
            kind,
            status,
            ...(status === "duplicate" ? { duplicateOf: PetCredit.ReportId.make("rpt-000") } : {})
          })
        yield* s.reports.insert(at(1, "2026-04", "waste"))
        yield* s.reports.insert(at(2, "2026-05", "off-leash"))
        yield* s.reports.insert(at(3, "2026-05", "off-leash", "verified"))
        yield* s.reports.insert(at(4, "2026-05", "noise", "expired"))
        yield* s.reports.insert(at(5, "2026-05", "off-leash", "duplicate"))
        yield* s.reports.insert(at(6, "2026-07", "waste"))
        yield* s.reports.insert(new PetCredit.Report({ ...sampleReport(d, 7), month: "2026-05", kind: "noise" }))
        expect(yield* s.complaintsByMonth(c, "2026-05", "2026-06")).toEqual([
          { month: "2026-05", kind: "noise", count: 1 },
          { month: "2026-05", kind: "off-leash", count: 2 }
        ])
        expect((yield* s.complaintsByMonth(c, "2026-01", "2026-12")).map((r) => r.month)).toEqual(["2026-04", "2026-05", "2026-05", "2026-07"])
        expect(yield* s.complaintsByMonth(c, "2027-01", "2027-12")).toEqual([])
      })
    )
  })

  describe("petcredit commands", () => {
    it.effect(
      "a camera report waits for a human; verification deducts; a second report of the incident is linked; an upheld appeal reverses it",
      () =>
        Effect.gen(function* () {
          const c = freshCommunityId()
          const snapshot = generateCommunity({ seed: 21, communityId: c, buildings: 1, floors: 3 })
          yield* options.loadDirectory(snapshot)
          yield* TestClock.setTime(T0)
          const ownerR = snapshot.residents.find((r) => r.kind === "owner" && r.householdId !== undefined)!
          const neighbour = snapshot.residents.find((r) => r.householdId !== undefined && r.householdId !== ownerR.householdId)!
          const owner = new ResidentActor({ communityId: c, residentId: ownerR.id })
          const staff = (id: string) => new StaffActor({ communityId: c, staffId: StaffId.make(id), roles: [Role.make("committee")], departments: [] })
          const camera = new SystemActor({ communityId: c, process: "camera-3" })
          const dog = yield* PetCredit.registerDog(owner, {
            communityId: c,
            householdId: ownerR.householdId!,
            keeperId: ownerR.id,
            name: "旺财",
            licenceNo: "SD-2026-0001",
            breed: "中华田园犬",
            size: "medium",
            vaccinationExpiresOn: "2027-01-01",
            licenceExpiresOn: "2027-05-31"
          })
          const report = yield* PetCredit.reportViolation(camera, {
            communityId: c,
            dogId: dog.id,
            kind: "off-leash",
            evidence: ["cam3/frame-88812.jpg"],
            place: "东门",
            occurredAt: T0 - 600_000
          })
          expect(report.source).toBe("camera")
          const linked = yield* PetCredit.reportViolation(new ResidentActor({ communityId: c, residentId: neighbour.id }), {
            communityId: c,
            dogId: dog.id,
            kind: "off-leash",
            evidence: ["photo-1.jpg"],
            place: "东门",
            occurredAt: T0 - 300_000
          })
          expect(linked).toMatchObject({ status: "duplicate", duplicateOf: report.id })
          expect((yield* PetCredit.myDogs(owner, c))[0]!.score).toBe(100)
          const verified = yield* PetCredit.verifyReport(staff("s-1"), { communityId: c, reportId: report.id, decision: "confirm" })
          expect(verified.entry).toMatchObject({ applied: -10, scoreAfter: 90 })
          expect(failureTag(yield* Effect.exit(PetCredit.verifyReport(staff("s-2"), { communityId: c, reportId: report.id, decision: "confirm" })))).toBe(
            "AlreadyVerified"
          )
          yield* PetCredit.appeal(owner, { communityId: c, reportId: report.id, reason: "那天狗在家" })
          expect(
            failureTag(yield* Effect.exit(PetCredit.decideAppeal(staff("s-1"), { communityId: c, reportId: report.id, outcome: "upheld", note: "" })))
          ).toBe("SameStaffDecision")
          yield* PetCredit.decideAppeal(staff("s-2"), { communityId: c, reportId: report.id, outcome: "upheld", note: "录像时间有误" })
          const history = yield* PetCredit.scoreHistory(owner, c, dog.id)
          expect(history.map((h) => [h.kind, h.applied, h.scoreAfter])).toEqual([["violation", -10, 90], ["reversal", 10, 100]])
          expect((yield* PetCredit.myDogs(owner, c))[0]!.score).toBe(100)
          const views = yield* PetCredit.reportsAboutDog(owner, c, dog.id)
          expect(views.map((v) => v.status)).toEqual(["overturned"])
          expect(JSON.stringify(views)).not.toContain("camera-3")
          expect(JSON.stringify(views)).not.toContain(neighbour.id)
          expect(yield* PetCredit.monthlyComplaints(staff("s-1"), c, "2026-06", "2026-06")).toEqual([{ month: "2026-06", kind: "off-leash", count: 1 }])
        }).pipe(Effect.provide(ChinaCalendar.layer()), Effect.provide(TestContext.TestContext)),
      timeout
    )
  })
}
