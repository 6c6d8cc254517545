/**
 * Pet credit's notification templates and subscriber.
 *
 * @since 0.2.0
 */
import { Effect, Option } from "effect"
import { Directory } from "../../kernel/directory.js"
import { decodeEntry, type JournalEntry } from "../../kernel/journal.js"
import { notificationSubscriber, OutgoingMessage } from "../../kernel/notifier.js"
import { PetCreditEvent } from "../events.js"
import { type Scheme } from "../model.js"
import * as Rules from "../rules.js"
import { PetCreditStore } from "../store.js"
import { currentScheme } from "./shared.js"

// ---------------------------------------------------------------------------
// Notifications

/**
 * Pet credit's notification templates (zh-CN and en).
 *
 * @since 0.2.0
 * @category notifications
 */
export const petCreditTemplates = {
  "petcredit.scoreChanged": {
    "zh-CN": "您的犬只{dog}信用分变动 {applied}（{reason}），当前 {score} 分。",
    en: "Your dog {dog}'s credit score changed by {applied} ({reason}); it is now {score}."
  },
  "petcredit.licenceSuspended": {
    "zh-CN": "您的犬只{dog}信用分为 {score}，已低于门槛，暂停办证资格。",
    en: "Your dog {dog}'s score is {score}, below the threshold: licence applications and renewals are suspended."
  },
  "petcredit.trainingRequired": {
    "zh-CN": "您的犬只{dog}信用分为 {score}，须参加文明养犬培训。",
    en: "Your dog {dog}'s score is {score}: training is now compulsory."
  },
  "petcredit.licenceWithheld": {
    "zh-CN": "您的犬只{dog}积分已扣完，犬证暂扣，通过法规考试后恢复。",
    en: "Your dog {dog} has no points left: the licence is withheld until you pass the exam on the regulations."
  },
  "petcredit.consequenceLifted": {
    "zh-CN": "您的犬只{dog}信用分已恢复至 {score}，相关限制已解除。",
    en: "Your dog {dog}'s score is back at {score}; the restriction was lifted."
  },
  "petcredit.appealUpheld": {
    "zh-CN": "您对犬只{dog}的申诉已受理并支持，扣分已撤销。",
    en: "Your appeal for {dog} was upheld; the deduction was reversed."
  },
  "petcredit.appealDismissed": {
    "zh-CN": "您对犬只{dog}的申诉未获支持。",
    en: "Your appeal for {dog} was dismissed."
  },
  "petcredit.cleanRecordReward": {
    "zh-CN": "您的犬只{dog}连续{months}个月无违规，获得物业费{percent}%优惠。",
    en: "Your dog {dog} has a clean record since {since}: {percent}% off your property fee."
  },
  "petcredit.vaccinationExpiring": {
    "zh-CN": "您的犬只{dog}的疫苗将于 {date} 到期，请及时接种。",
    en: "Your dog {dog}'s vaccination expires on {date}; please book the next one."
  },
  "petcredit.licenceExpiring": {
    "zh-CN": "您的犬只{dog}的犬证将于 {date} 到期，请及时续办。",
    en: "Your dog {dog}'s licence expires on {date}; please renew it."
  }
} as const

const decodePetCredit = decodeEntry(PetCreditEvent)

const reasonText = (scheme: Scheme, kind: string, code: string, locale: "zh-CN" | "en"): string => {
  const named = [...scheme.violations, ...scheme.rewards].find((x) => x.kind === code)?.name[locale] ?? code
  const zh: Record<string, string> = {
    violation: "违规",
    reward: "奖励",
    training: "完成培训",
    exam: "通过考试",
    "clean-record": "无违规奖励",
    reversal: "撤销",
    reset: "重置"
  }
  return locale === "zh-CN" ? `${zh[kind] ?? kind}：${named}` : `${kind}: ${named}`
}

/**
 * Turns a pet-credit journal entry into messages to the dog's keeper:
 * score changes, consequences, appeal outcomes, rewards and expiry
 * reminders. Never names a reporter (events do not carry one). Idempotent
 * by event id.
 *
 * @since 0.2.0
 * @category notifications
 */
export const petCreditMessages = (entry: JournalEntry) =>
  Effect.gen(function* () {
    const event = decodePetCredit(entry)
    if (Option.isNone(event)) return []
    const e = event.value
    if (!("keeperId" in e) || !("dogId" in e)) return []
    const dir = yield* Directory
    const store = yield* PetCreditStore
    const c = entry.communityId
    const keeper = yield* dir.getResident(c, e.keeperId).pipe(Effect.option)
    const locale = Option.match(keeper, { onNone: () => "zh-CN" as const, onSome: (r) => r.locale })
    const dog = Option.match(yield* store.dogs.get({ communityId: c, id: e.dogId }), { onNone: () => e.dogId as string, onSome: (d) => d.name })
    const msg = (templateId: string, params: Record<string, string | number>, suffix: string) =>
      new OutgoingMessage({
        communityId: c,
        recipient: { _tag: "Resident", residentId: e.keeperId },
        templateId,
        params: { dog, ...params },
        locale,
        idempotencyKey: `${entry.eventId}:${suffix}`
      })
    switch (e._tag) {
      case "PetCreditScoreChanged":
        return [msg("petcredit.scoreChanged", { applied: e.applied > 0 ? `+${e.applied}` : String(e.applied), score: e.score, reason: reasonText(yield* currentScheme(c), e.kind, e.code, locale) }, "score")]
      case "PetCreditConsequenceChanged":
        if (!e.active) return [msg("petcredit.consequenceLifted", { score: e.score }, "lifted")]
        return [
          msg(
            e.consequence === "licence-suspended" ? "petcredit.licenceSuspended" : e.consequence === "training-required" ? "petcredit.trainingRequired" : "petcredit.licenceWithheld",
            { score: e.score },
            e.consequence
          )
        ]
      case "PetCreditAppealDecided":
        return [msg(e.outcome === "upheld" ? "petcredit.appealUpheld" : "petcredit.appealDismissed", {}, "appeal")]
      case "PetCreditCleanRecordRewarded":
        return [
          msg(
            "petcredit.cleanRecordReward",
            { months: Math.max(1, Math.round(Rules.daysBetween(e.windowStart, e.windowEnd) / 30)), since: e.windowStart, percent: e.discountPercent },
            "clean"
          )
        ]
      case "PetCreditExpiryReminder":
        return [msg(e.what === "vaccination" ? "petcredit.vaccinationExpiring" : "petcredit.licenceExpiring", { date: e.expiresOn }, e.what)]
      default:
        return []
    }
  }).pipe(Effect.orDie)

/**
 * Pet credit's notification subscriber (name `petcredit.notifications`).
 *
 * @since 0.2.0
 * @category notifications
 */
export const petCreditNotifications = notificationSubscriber("petcredit.notifications", petCreditMessages)
