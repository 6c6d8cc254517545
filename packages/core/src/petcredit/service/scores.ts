/**
 * Pet credit's recovery and rewards: training, exams, rewards and the daily checks.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize } from "../../kernel/actor.js"
import { type LocalDate } from "../../kernel/calendar.js"
import { decodeInput } from "../../kernel/errors.js"
import { appendEvents } from "../../kernel/journal.js"
import { transactionally } from "../../kernel/transaction.js"
import { NotApplicable } from "../errors.js"
import { PetCreditEvent } from "../events.js"
import {
  DailyChecksInput,
  type DailyChecksResult,
  Dog,
  GrantRewardInput,
  PetCreditConfig,
  RecordExamInput,
  RecordTrainingInput,
  Report,
  ScoreEntry
} from "../model.js"
import * as Rules from "../rules.js"
import { PetCreditStore } from "../store.js"
import {
  invalid,
  currentScheme,
  loadDog,
  post,
  onCurrentScheme,
  commit,
  working,
  today,
  localDate,
  petCreditPermissions
} from "./shared.js"

// ---------------------------------------------------------------------------
// Recovery and rewards

/**
 * Records a completed training. `compulsory` (while training is required)
 * restores the scheme's points at most once per period (a second training
 * in the period restores nothing, `restored: 0`); `optional` is the
 * scheme's `optional-training` reward. Trainers, committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const recordTraining = Effect.fn("petcredit.recordTraining")(function* (actor: Actor, input: typeof RecordTrainingInput.Encoded) {
  const command = "petcredit.recordTraining"
  const cmd = yield* decodeInput(command, RecordTrainingInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      const by = actorRef(actor)
      const now = yield* Clock.currentTimeMillis
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      let entry: ScoreEntry | undefined
      if (cmd.kind === "optional") {
        const points = Rules.rewardFor(scheme, "optional-training")
        if (points === undefined) {
          return yield* Effect.fail(new NotApplicable({ action: command, reason: "unknown-kind" }))
        }
        entry = yield* post(w, scheme, { kind: "reward", code: "optional-training", points }, by, now)
      } else {
        if (scheme.training === undefined) {
          return yield* Effect.fail(new NotApplicable({ action: command, reason: "no-training" }))
        }
        if (!w.dog.trainingRequired) return yield* Effect.fail(new NotApplicable({ action: command, reason: "training-not-required" }))
        if (Rules.trainingRestoreDue(scheme, w.dog.lastTrainingRestoreAt, now)) {
          entry = yield* post(w, scheme, { kind: "training", code: "training", points: scheme.training.restorePoints }, by, now)
          w.dog = new Dog({ ...w.dog, lastTrainingRestoreAt: now })
        }
      }
      const saved = yield* commit(w, dog)
      return { dog: saved, entry, restored: entry?.applied ?? 0 }
    })
  )
})

/**
 * Records a passed exam on the regulations: while the licence is withheld
 * (Jinan: score 0), the score is restored to the scheme's `restoreTo`.
 * Trainers, committee or admin.
 *
 * @since 0.2.0
 * @category commands
 */
export const recordExam = Effect.fn("petcredit.recordExam")(function* (actor: Actor, input: typeof RecordExamInput.Encoded) {
  const command = "petcredit.recordExam"
  const cmd = yield* decodeInput(command, RecordExamInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      if (scheme.exam === undefined) {
        return yield* Effect.fail(new NotApplicable({ action: command, reason: "no-exam" }))
      }
      const by = actorRef(actor)
      const now = yield* Clock.currentTimeMillis
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      if (!w.dog.licenceWithheld) return yield* Effect.fail(new NotApplicable({ action: command, reason: "not-withheld" }))
      const entry = yield* post(w, scheme, { kind: "exam", code: "exam", points: scheme.exam.restoreTo - w.dog.score }, by, now)
      const saved = yield* commit(w, dog)
      return { dog: saved, entry }
    })
  )
})

/**
 * Grants a reward of the scheme's catalogue (patrol volunteering, helping
 * at an open day, good behaviour). With `sourceRef` the reward is granted
 * once: a replay returns the first entry (`replayed: true`). Clerks,
 * committee, admin or the system.
 *
 * @since 0.2.0
 * @category commands
 */
export const grantReward = Effect.fn("petcredit.grantReward")(function* (actor: Actor, input: typeof GrantRewardInput.Encoded) {
  const command = "petcredit.grantReward"
  const cmd = yield* decodeInput(command, GrantRewardInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  return yield* transactionally(
    Effect.gen(function* () {
      if (cmd.sourceRef !== undefined) {
        const prior = yield* store.entries.findUnique("gz_petcredit_entries_source", { communityId: cmd.communityId, sourceRef: cmd.sourceRef })
        if (Option.isSome(prior)) return { entry: prior.value, replayed: true }
      }
      const dog = yield* loadDog(cmd.communityId, cmd.dogId)
      const scheme = yield* currentScheme(cmd.communityId)
      const points = Rules.rewardFor(scheme, cmd.kind)
      if (points === undefined) {
        return yield* Effect.fail(invalid(command, "kind", `not a reward of the scheme (${scheme.rewards.map((r) => r.kind).join(", ")})`, "enum", "不是本方案的奖励类型"))
      }
      const by = actorRef(actor)
      const now = yield* Clock.currentTimeMillis
      const w = working(dog)
      yield* onCurrentScheme(w, scheme, by, now)
      const entry = yield* post(w, scheme, { kind: "reward", code: cmd.kind, points, ...(cmd.sourceRef === undefined ? {} : { sourceRef: cmd.sourceRef }) }, by, now)
      yield* commit(w, dog)
      return { entry, replayed: false }
    })
  )
})

/**
 * The scheduled pass, once a day (as the system actor): expires unverified
 * reports past their deadline; grants the clean-record reward to every dog
 * whose window (since registration, its last violation or its last reward)
 * reached the scheme's months, once per window; resets scores on a new year
 * for schemes that reset; sends vaccination and licence reminders
 * `reminderDays` ahead, once per expiry date.
 *
 * @since 0.2.0
 * @category commands
 */
export const runDailyChecks = Effect.fn("petcredit.runDailyChecks")(function* (actor: Actor, input: typeof DailyChecksInput.Encoded) {
  const command = "petcredit.runDailyChecks"
  const cmd = yield* decodeInput(command, DailyChecksInput)(input)
  yield* authorize(petCreditPermissions, command, actor, cmd.communityId)
  const store = yield* PetCreditStore
  const config = yield* PetCreditConfig
  return yield* transactionally(
    Effect.gen(function* () {
      const c = cmd.communityId
      const now = yield* Clock.currentTimeMillis
      const day = yield* today
      const by = actorRef(actor)
      const scheme = yield* currentScheme(c)
      let expired = 0
      let cleanRecordRewards = 0
      let resets = 0
      let reminders = 0
      const pending = yield* store.reports.list({ communityId: c, status: "pending" })
      const expiredEvents: Array<PetCreditEvent> = []
      for (const r of pending) {
        if (r.expiresOn >= day) continue
        yield* store.reports.update(new Report({ ...r, status: "expired", version: r.version + 1 }))
        expiredEvents.push({ _tag: "PetCreditReportExpired", reportId: r.id, dogId: r.dogId })
        expired++
      }
      yield* appendEvents(c, PetCreditEvent, expiredEvents)
      const year = Number(day.slice(0, 4))
      for (const dog of yield* store.dogs.list({ communityId: c, status: "active" })) {
        const w = working(dog)
        const extra: Array<PetCreditEvent> = []
        if (scheme.resetYearly && dog.scoreYear < year) {
          yield* post(w, scheme, { kind: "reset", code: "new-year", points: scheme.base - dog.score }, by, now)
          w.dog = new Dog({ ...w.dog, scoreYear: year })
          resets++
        } else {
          yield* onCurrentScheme(w, scheme, by, now)
        }
        if (scheme.cleanRecord !== undefined) {
          const startMillis = Math.max(w.dog.cleanAnchor, w.dog.lastViolationAt ?? 0)
          // A month has at least 28 days: a younger window cannot be due (skips the time-zone arithmetic).
          const windowStart = now - startMillis < scheme.cleanRecord.months * 28 * 86_400_000 ? undefined : yield* localDate(startMillis)
          if (windowStart !== undefined && Rules.cleanRecordDue(windowStart, day, scheme.cleanRecord.months)) {
            if (scheme.cleanRecord.points > 0) {
              yield* post(w, scheme, { kind: "clean-record", code: "clean-record", points: scheme.cleanRecord.points }, by, now)
            }
            w.dog = new Dog({ ...w.dog, cleanAnchor: now })
            extra.push({
              _tag: "PetCreditCleanRecordRewarded",
              dogId: dog.id,
              householdId: dog.householdId,
              keeperId: dog.keeperId,
              windowStart,
              windowEnd: day,
              discountPercent: scheme.cleanRecord.discountPercent,
              points: scheme.cleanRecord.points
            })
            cleanRecordRewards++
          }
        }
        const remind = (what: "vaccination" | "licence", expiresOn: LocalDate, already: LocalDate | undefined) => {
          const left = Rules.daysBetween(day, expiresOn)
          if (already === expiresOn || left > config.reminderDays || left < 0) return false
          extra.push({ _tag: "PetCreditExpiryReminder", dogId: dog.id, keeperId: dog.keeperId, what, expiresOn })
          reminders++
          return true
        }
        if (remind("vaccination", dog.vaccinationExpiresOn, dog.remindedVaccinationFor)) {
          w.dog = new Dog({ ...w.dog, remindedVaccinationFor: dog.vaccinationExpiresOn })
        }
        if (remind("licence", dog.licenceExpiresOn, dog.remindedLicenceFor)) {
          w.dog = new Dog({ ...w.dog, remindedLicenceFor: dog.licenceExpiresOn })
        }
        if (w.dog !== dog) yield* commit(w, dog, extra)
      }
      const result: DailyChecksResult = { expired, cleanRecordRewards, resets, reminders }
      return result
    })
  )
})
