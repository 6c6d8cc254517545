/**
 * Pet credit's queries: owner, staff and public views.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, authorize } from "../../kernel/actor.js"
import { Directory } from "../../kernel/directory.js"
import { type CommunityId } from "../../kernel/ids.js"
import {
  Dog,
  DogId,
  type DogOwnerView,
  type MonthlyComplaints,
  type PublicDogView,
  type RepeatOffender,
  Report,
  type ReportOwnerView,
  type ScoreHistoryLine
} from "../model.js"
import * as Rules from "../rules.js"
import { PetCreditStore } from "../store.js"
import {
  invalid,
  loadDog,
  requireOwner,
  petCreditPermissions
} from "./shared.js"

// ---------------------------------------------------------------------------
// Queries

const ownerView = (dog: Dog): DogOwnerView => ({
  dogId: dog.id,
  name: dog.name,
  licenceNo: dog.licenceNo,
  breed: dog.breed,
  size: dog.size,
  status: dog.status,
  vaccinationExpiresOn: dog.vaccinationExpiresOn,
  licenceExpiresOn: dog.licenceExpiresOn,
  schemeCode: dog.schemeCode,
  score: dog.score,
  consequences: Rules.consequencesOfFlags(dog)
})

/**
 * What the owner sees of a report: never the reporter, nor the evidence
 * references (only how many there are).
 *
 * @since 0.2.0
 * @category views
 */
export const reportOwnerView = (r: Report): ReportOwnerView => ({
  reportId: r.id,
  dogId: r.dogId,
  kind: r.kind,
  place: r.place,
  occurredAt: r.occurredAt,
  status: r.status,
  evidenceCount: r.evidence.length,
  ...(r.deducted === undefined ? {} : { deducted: r.deducted }),
  ...(r.appealUntil === undefined ? {} : { appealUntil: r.appealUntil }),
  ...(r.appeal === undefined ? {} : { appealOutcome: r.appeal.decision?.outcome ?? "pending" })
})

/**
 * The dogs of the resident's household, with their scores and consequences.
 *
 * @since 0.2.0
 * @category queries
 */
export const myDogs = Effect.fn("petcredit.myDogs")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.ownerRead", actor, communityId)
  if (actor._tag !== "Resident") return []
  const dir = yield* Directory
  const store = yield* PetCreditStore
  const me = yield* dir.getResident(communityId, actor.residentId)
  if (me.householdId === undefined) return []
  return (yield* store.dogs.list({ communityId, householdId: me.householdId })).map(ownerView)
})

/**
 * A dog's score history, oldest first. The owner's household or staff.
 *
 * @since 0.2.0
 * @category queries
 */
export const scoreHistory = Effect.fn("petcredit.scoreHistory")(function* (actor: Actor, communityId: CommunityId, dogId: DogId) {
  yield* authorize(petCreditPermissions, "petcredit.ownerRead", actor, communityId)
  const dog = yield* loadDog(communityId, dogId, { active: false })
  yield* requireOwner(actor, dog)
  const store = yield* PetCreditStore
  const entries = yield* store.entries.list({ communityId, dogId })
  return entries.map((e): ScoreHistoryLine => ({
    seq: e.seq,
    kind: e.kind,
    code: e.code,
    points: e.points,
    applied: e.applied,
    scoreAfter: e.scoreAfter,
    recordedAt: e.recordedAt,
    ...(e.reverses === undefined ? {} : { reverses: e.reverses })
  }))
})

/**
 * The reports about a dog, as its owner sees them (no reporter, no
 * evidence references; duplicates left out). The owner's household or staff.
 *
 * @since 0.2.0
 * @category queries
 */
export const reportsAboutDog = Effect.fn("petcredit.reportsAboutDog")(function* (actor: Actor, communityId: CommunityId, dogId: DogId) {
  yield* authorize(petCreditPermissions, "petcredit.ownerRead", actor, communityId)
  const dog = yield* loadDog(communityId, dogId, { active: false })
  yield* requireOwner(actor, dog)
  const store = yield* PetCreditStore
  const reports = yield* store.reports.list({ communityId, dogId })
  return reports.filter((r) => r.status !== "duplicate").map(reportOwnerView)
})

/**
 * Reports waiting for verification, oldest first, with their source,
 * reporter and evidence (staff only).
 *
 * @since 0.2.0
 * @category queries
 */
export const pendingReports = Effect.fn("petcredit.pendingReports")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  const store = yield* PetCreditStore
  return yield* store.reports.list({ communityId, status: "pending" })
})

/**
 * Dogs with at least `minViolations` standing violations that happened in
 * the last `withinDays` days, most violations first (staff only).
 *
 * @since 0.2.0
 * @category queries
 */
export const repeatOffenders = Effect.fn("petcredit.repeatOffenders")(function* (
  actor: Actor,
  communityId: CommunityId,
  options: { readonly minViolations?: number; readonly withinDays?: number } = {}
) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  const store = yield* PetCreditStore
  const now = yield* Clock.currentTimeMillis
  const since = now - (options.withinDays ?? 365) * 86_400_000
  const counts = new Map<string, number>()
  for (const r of yield* store.reports.list({ communityId, status: "verified" })) {
    if (r.occurredAt >= since) counts.set(r.dogId, (counts.get(r.dogId) ?? 0) + 1)
  }
  const out: Array<RepeatOffender> = []
  for (const [dogId, violations] of counts) {
    if (violations < (options.minViolations ?? 2)) continue
    const dog = yield* store.dogs.get({ communityId, id: dogId as DogId })
    if (Option.isNone(dog)) continue
    out.push({ dogId: dog.value.id, tag: Rules.maskLicence(dog.value.licenceNo), householdId: dog.value.householdId, violations, score: dog.value.score })
  }
  return out.sort((a, b) => b.violations - a.violations || (a.dogId < b.dogId ? -1 : 1))
})

/**
 * Complaints by month (of the incident) and kind in `[fromMonth, toMonth]`
 * (`YYYY-MM`), duplicates left out: the seed's yearly-rise figure (staff).
 *
 * @since 0.2.0
 * @category queries
 */
export const monthlyComplaints = Effect.fn("petcredit.monthlyComplaints")(function* (
  actor: Actor,
  communityId: CommunityId,
  fromMonth: string,
  toMonth: string
) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  if (!/^\d{4}-\d{2}$/.test(fromMonth) || !/^\d{4}-\d{2}$/.test(toMonth)) {
    return yield* Effect.fail(invalid("petcredit.monthlyComplaints", "fromMonth", "months are YYYY-MM", "pattern", "月份格式应为 YYYY-MM"))
  }
  const store = yield* PetCreditStore
  const rows: ReadonlyArray<MonthlyComplaints> = yield* store.complaintsByMonth(communityId, fromMonth, toMonth)
  return rows
})

/**
 * Complaints this year against last year, per kind and in total, with the
 * change in thousandths (the seed reports a 30% yearly rise: 300). Staff.
 *
 * @since 0.2.0
 * @category queries
 */
export const complaintTrend = Effect.fn("petcredit.complaintTrend")(function* (actor: Actor, communityId: CommunityId, year: number) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  if (!Number.isInteger(year) || year < 1000 || year > 9998) {
    return yield* Effect.fail(invalid("petcredit.complaintTrend", "year", "a four-digit year", "pattern", "年份应为四位数字"))
  }
  const store = yield* PetCreditStore
  const rows = yield* store.complaintsByMonth(communityId, `${year - 1}-01`, `${year}-12`)
  return Rules.trendOfComplaints(rows, year)
})

/**
 * Active dogs whose licence is suspended or withheld and dogs in
 * compulsory training (staff).
 *
 * @since 0.2.0
 * @category queries
 */
export const consequenceList = Effect.fn("petcredit.consequenceList")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.staffRead", actor, communityId)
  const store = yield* PetCreditStore
  return {
    suspended: yield* store.dogs.list({ communityId, status: "active", licenceSuspended: true }),
    training: yield* store.dogs.list({ communityId, status: "active", trainingRequired: true }),
    withheld: yield* store.dogs.list({ communityId, status: "active", licenceWithheld: true })
  }
})

/**
 * The public board: active dogs under a consequence, by masked tag only
 * (never an owner's name or household).
 *
 * @since 0.2.0
 * @category queries
 */
export const publicBoard = Effect.fn("petcredit.publicBoard")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(petCreditPermissions, "petcredit.publicRead", actor, communityId)
  const store = yield* PetCreditStore
  const dogs = yield* store.dogs.list({ communityId, status: "active" })
  return dogs
    .map((d): PublicDogView => ({ tag: Rules.maskLicence(d.licenceNo), breed: d.breed, size: d.size, consequences: Rules.consequencesOfFlags(d) }))
    .filter((v) => v.consequences.length > 0)
})
