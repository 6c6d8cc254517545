/**
 * Notification delivery: the outbox (enqueue in the causing transaction,
 * claim, send, record, retry, dead-letter), preferences, the staff call list,
 * delivery receipts and SMS replies (votes, service confirmations, STOP).
 *
 * @since 0.2.0
 */
import { Clock, Duration, Effect, Option, Random } from "effect"
import { type Actor, authorize, actorRef, type PermissionTable, ResidentActor, Roles, SystemActor } from "../kernel/actor.js"
import { Directory } from "../kernel/directory.js"
import { decodeInput, type Locale, type LocalizedText, NotFound, type StoreUnavailable } from "../kernel/errors.js"
import { type CommunityId, newId, ResidentId } from "../kernel/ids.js"
import { appendEvents, type JournalEntry } from "../kernel/journal.js"
import { NotificationTemplates, type Recipient, renderTemplate } from "../kernel/notifier.js"
import type { Subscriber } from "../kernel/subscribers.js"
import { Transaction, transactionally } from "../kernel/transaction.js"
import * as TimeBank from "../timebank/index.js"
import * as Voting from "../voting/index.js"
import { type ChannelFailure, ReplyCodeExpired, ReplyCodeInvalid, SmsVoteUnavailable, TemplateNotMapped } from "./errors.js"
import { NotificationEvent } from "./events.js"
import {
  type CallListLine,
  defaultPreferences,
  type DeliveryReport,
  NotificationRequest,
  OpenSmsVoteInput,
  OutboxEntry,
  type Preferences,
  Preferences as PreferencesClass,
  ReceiptInput,
  ReplyCode,
  ReplyInput,
  RequestServiceConfirmationInput,
  UpdatePreferencesInput
} from "./model.js"
import * as Rules from "./rules.js"
import {
  type Accepted,
  defaultNotificationConfig,
  type Delivery,
  NotificationConfig,
  type NotificationConfigShape,
  NotificationStore,
  type OutboxFilter,
  PushChannel,
  SmsChannel
} from "./store.js"

/**
 * Who may run each notification command.
 *
 * @since 0.2.0
 * @category permissions
 */
export const notificationPermissions: PermissionTable<
  | "notify.enqueue"
  | "notify.updatePreferences"
  | "notify.openSmsVote"
  | "notify.requestServiceConfirmation"
  | "notify.reply"
  | "notify.receipt"
  | "notify.requeue"
  | "notify.read"
> = {
  "notify.enqueue": { roles: [Roles.admin, Roles.committee, Roles.clerk], system: true },
  "notify.updatePreferences": { residents: "self", roles: [Roles.admin, Roles.committee, Roles.clerk], system: true },
  "notify.openSmsVote": { roles: [Roles.admin, Roles.committee], system: true },
  "notify.requestServiceConfirmation": { roles: [Roles.admin, Roles.committee, Roles.clerk], system: true },
  "notify.reply": { system: true },
  "notify.receipt": { system: true },
  "notify.requeue": { roles: [Roles.admin], system: true },
  "notify.read": { roles: [Roles.admin, Roles.committee, Roles.clerk], system: true }
}

/**
 * The templates this module sends, in zh-CN and en.
 *
 * @since 0.2.0
 * @category templates
 */
export const notificationTemplates: Readonly<Record<string, LocalizedText>> = {
  "notify.smsVoteOpened": {
    "zh-CN": "【表决】{title}，截止{closes}。请回复：{options_zh}。每户一次有效。",
    en: "Vote: {title}, closes {closes}. Reply {options_en}. One reply per household."
  },
  "notify.replyAccepted": {
    "zh-CN": "您的回复（{label_zh}）已记录，谢谢。",
    en: "Your reply ({label_en}) was recorded. Thank you."
  },
  "notify.replyRejected": {
    "zh-CN": "您的回复未生效：{reason_zh}",
    en: "Your reply was not accepted: {reason_en}"
  },
  "notify.stopConfirmed": {
    "zh-CN": "您已退订社区通知，紧急通知仍会发送。",
    en: "You have unsubscribed from community messages; urgent notices will still be sent."
  },
  "notify.serviceConfirm": {
    "zh-CN": "时间银行：已登记为您提供的{serviceType}服务，属实请回复 {code} 确认。",
    en: "Time bank: a {serviceType} service for you was recorded; reply {code} to confirm it."
  }
}

const config = Effect.map(Effect.serviceOption(NotificationConfig), Option.getOrElse(() => defaultNotificationConfig))

/** Stores a request as a pending entry; `None` if its idempotency key was enqueued before. */
const put = (req: NotificationRequest) =>
  Effect.gen(function* () {
    const store = yield* NotificationStore
    const now = yield* Clock.currentTimeMillis
    const id = yield* newId("ob")
    return yield* store.enqueue(new OutboxEntry({
      communityId: req.communityId,
      id,
      seq: 0,
      recipient: req.recipient,
      recipientKey: Rules.recipientKey(req.recipient),
      category: req.category,
      urgent: req.urgent,
      templateId: req.templateId,
      params: req.params,
      idempotencyKey: req.idempotencyKey,
      ...(req.sourceEventId === undefined ? {} : { sourceEventId: req.sourceEventId }),
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now
    }, { disableValidation: true }))
  })

/**
 * Enqueues a notification. Call it inside the causing command's transaction
 * (it joins it): the message exists exactly when the change does. A repeated
 * idempotency key enqueues nothing and returns `None`.
 *
 * @since 0.2.0
 * @category commands
 */
export const enqueue = Effect.fn("notify.enqueue")(function* (actor: Actor, input: unknown) {
  const req = yield* decodeInput("notify.enqueue", NotificationRequest)(input)
  yield* authorize(notificationPermissions, "notify.enqueue", actor, req.communityId)
  return yield* transactionally(put(req))
})

/**
 * A journal subscriber that turns entries into outbox entries. The drain
 * writes them in the transaction that advances the subscriber's cursor, so
 * every event yields its notifications exactly once. Requests without an
 * idempotency key get `<eventId>:<index>`.
 *
 * @since 0.2.0
 * @category subscribers
 */
export const outboxSubscriber = <R>(
  name: string,
  toRequests: (entry: JournalEntry) => Effect.Effect<ReadonlyArray<Omit<NotificationRequest, "idempotencyKey" | "urgent" | "params"> & {
    readonly idempotencyKey?: string
    readonly urgent?: boolean
    readonly params?: Readonly<Record<string, string | number>>
  }>, unknown, R>,
  options: Omit<Subscriber, "name" | "handle"> = {}
): Subscriber<R | NotificationStore> => ({
  ...options,
  name,
  handle: (entry) =>
    Effect.flatMap(toRequests(entry), (requests) =>
      Effect.forEach(requests, (r, i) =>
        // decoded like a command's input: a bad request is a typed failure (dead-lettered), never a defect
        Effect.flatMap(
          decodeInput("notify.outboxSubscriber", NotificationRequest)({
            ...r,
            idempotencyKey: r.idempotencyKey ?? `${entry.eventId}:${i}`,
            sourceEventId: entry.eventId
          }),
          put
        ), { discard: true })
    )
})

const loadPreferences = (communityId: CommunityId, residentId: ResidentId, locale?: Locale) =>
  Effect.flatMap(NotificationStore, (s) =>
    Effect.map(s.getPreferences(communityId, residentId), Option.getOrElse(() => defaultPreferences(communityId, residentId, locale)))
  )

const emit = (communityId: CommunityId, events: ReadonlyArray<NotificationEvent>) => appendEvents(communityId, NotificationEvent, events)

/**
 * Changes a resident's channels, language, quiet hours or opt-outs. A
 * resident changes their own; staff change them for residents who asked at
 * the counter.
 *
 * @since 0.2.0
 * @category commands
 */
export const updatePreferences = Effect.fn("notify.updatePreferences")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("notify.updatePreferences", UpdatePreferencesInput)(input)
  yield* authorize(notificationPermissions, "notify.updatePreferences", actor, cmd.communityId, cmd.residentId)
  const directory = yield* Directory
  const resident = yield* directory.getResident(cmd.communityId, cmd.residentId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* NotificationStore
    const prev = yield* loadPreferences(cmd.communityId, cmd.residentId, resident.locale)
    const next = new PreferencesClass({
      ...prev,
      ...(cmd.channels === undefined ? {} : { channels: [...new Set(cmd.channels)] }),
      ...(cmd.locale === undefined ? {} : { locale: cmd.locale }),
      ...(cmd.quietHours === undefined ? {} : { quietHours: cmd.quietHours }),
      ...(cmd.optedOut === undefined ? {} : { optedOut: [...new Set(cmd.optedOut)].sort() }),
      ...(cmd.stopped === undefined ? {} : { stopped: cmd.stopped }),
      updatedAt: now
    })
    yield* store.putPreferences(next)
    yield* emit(cmd.communityId, [{
      _tag: "NotificationPreferencesChanged",
      residentId: cmd.residentId,
      channels: next.channels,
      optedOut: next.optedOut,
      stopped: next.stopped,
      by: actorRef(actor)
    }])
    return next
  }))
})

/**
 * A resident's preferences (the defaults if they never set any).
 *
 * @since 0.2.0
 * @category queries
 */
export const preferences = Effect.fn("notify.preferences")(function* (actor: Actor, communityId: CommunityId, residentId: ResidentId) {
  yield* authorize(notificationPermissions, "notify.updatePreferences", actor, communityId, residentId)
  const resident = yield* Effect.flatMap(Directory, (d) => d.getResident(communityId, residentId))
  return yield* loadPreferences(communityId, residentId, resident.locale)
})

// ---------------------------------------------------------------------------
// Delivery
// ---------------------------------------------------------------------------

interface RecipientInfo {
  readonly prefs: Preferences
  readonly hasPhone: boolean
}

const recipientInfo = (entry: OutboxEntry) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const sms = yield* Effect.serviceOption(SmsChannel)
    const c = entry.communityId
    const r = entry.recipient
    const hasPhone = (phone: string | undefined) =>
      Option.match(sms, {
        onNone: () => Effect.succeed(phone !== undefined),
        onSome: (s) => (phone === undefined ? Effect.succeed(false) : s.reachable(c, r))
      })
    if (r._tag === "Resident") {
      const resident = yield* directory.getResident(c, r.residentId)
      const prefs = yield* loadPreferences(c, r.residentId, resident.locale)
      return { prefs, hasPhone: yield* hasPhone(resident.phone) } satisfies RecipientInfo
    }
    const staff = yield* directory.getStaff(c, r.staffId)
    return { prefs: defaultPreferences(c, ResidentId.make(r.staffId)), hasPhone: yield* hasPhone(staff.phone) } satisfies RecipientInfo
  })

type Outcome = "sent" | "deferred" | "retried" | "dead" | "skipped" | "callList" | "lost"

const describeFailure = (e: { readonly _tag: string; readonly message?: string }) => `${e._tag}: ${e.message ?? ""}`

const processEntry = (entry: OutboxEntry, token: string, cfg: NotificationConfigShape) =>
  Effect.gen(function* () {
    const store = yield* NotificationStore
    const tx = yield* Transaction
    const templates = yield* NotificationTemplates
    const now = yield* Clock.currentTimeMillis
    const finish = (patch: Partial<OutboxEntry>, outcome: Outcome) =>
      tx.run(store.update(new OutboxEntry({
        ...entry,
        claimToken: undefined,
        claimedUntil: undefined,
        reason: undefined,
        ...patch,
        updatedAt: now
      }, { disableValidation: true }), token)).pipe(
        Effect.as(outcome),
        Effect.catchTag("Conflict", () => Effect.succeed<Outcome>("lost"))
      )

    const info = yield* Effect.either(recipientInfo(entry))
    if (info._tag === "Left") {
      if (info.left._tag === "NotFound") return yield* finish({ status: "dead", reason: describeFailure(info.left) }, "dead")
      return yield* Effect.fail(info.left)
    }
    const { prefs, hasPhone } = info.right
    const push = yield* Effect.serviceOption(PushChannel)
    const sms = yield* Effect.serviceOption(SmsChannel)
    const sentToday = entry.urgent
      ? 0
      : yield* store.countSentSince(entry.communityId, entry.recipientKey, Rules.localDayStart(now, cfg.utcOffsetMinutes))
    const admission = Rules.admit({
      prefs: new PreferencesClass({ ...prefs, channels: prefs.channels.filter((ch) => ch === "sms" || Option.isSome(push)) }, { disableValidation: true }),
      category: entry.category,
      urgent: entry.urgent,
      hasPhone: hasPhone && Option.isSome(sms),
      now,
      utcOffsetMinutes: cfg.utcOffsetMinutes,
      sentToday,
      dailyLimit: cfg.dailyLimitPerRecipient
    })
    switch (admission._tag) {
      case "opted-out":
        return yield* finish({ status: "skipped", reason: "OptedOut" }, "skipped")
      case "call-list":
        return yield* finish({ status: "call-list", reason: admission.reason }, "callList")
      case "quiet":
        return yield* finish({ status: "pending", nextAttemptAt: admission.until, reason: "QuietHours" }, "deferred")
      case "rate-limited":
        return yield* finish({ status: "pending", nextAttemptAt: admission.until, reason: "RateLimited" }, "deferred")
    }
    const text = Option.map(templates.get(entry.templateId), (t) => renderTemplate(t[prefs.locale], entry.params))
    if (Option.isNone(text)) {
      const e = new TemplateNotMapped({ provider: "core", templateId: entry.templateId })
      return yield* finish({ status: "dead", reason: describeFailure(e) }, "dead")
    }
    const delivery: Delivery = {
      communityId: entry.communityId,
      entryId: entry.id,
      reference: entry.idempotencyKey,
      recipient: entry.recipient,
      category: entry.category,
      urgent: entry.urgent,
      templateId: entry.templateId,
      params: entry.params,
      locale: prefs.locale,
      text: text.value
    }
    let last: ChannelFailure | undefined
    for (const ch of admission.channels) {
      const send: Effect.Effect<Accepted, ChannelFailure | StoreUnavailable> = ch === "sms"
        ? Option.getOrThrow(sms).send(delivery)
        : Option.getOrThrow(push).send(delivery)
      const result = yield* Effect.either(send)
      if (result._tag === "Right") {
        const a = result.right
        return yield* finish({
          status: "sent",
          attempts: entry.attempts + 1,
          channel: ch,
          provider: a.provider,
          providerMessageId: a.providerMessageId,
          ...(a.segments === undefined ? {} : { segments: a.segments }),
          providerCode: undefined,
          sentAt: now
        }, "sent")
      }
      const e = result.left
      if (e._tag === "StoreUnavailable") return yield* Effect.fail(e)
      last = e
      // a channel that cannot reach this recipient: try the next one
      if (e._tag === "InvalidPhoneNumber") continue
      break
    }
    const e = last!
    switch (e._tag) {
      case "InvalidPhoneNumber":
        return yield* finish({ status: "call-list", reason: "InvalidPhoneNumber" }, "callList")
      case "OptedOut":
        return yield* finish({ status: "skipped", reason: "OptedOut at provider" }, "skipped")
      case "TemplateNotMapped":
        return yield* finish({ status: "dead", reason: describeFailure(e) }, "dead")
      case "RateLimited":
        return yield* finish({ status: "pending", nextAttemptAt: Math.max(e.retryAt, now + 1), reason: "RateLimited" }, "deferred")
      case "ProviderRejected": {
        const attempts = entry.attempts + 1
        if (!e.retryable || attempts >= cfg.maxAttempts) {
          return yield* finish({
            status: "dead",
            attempts,
            providerCode: e.providerCode,
            reason: `${describeFailure(e)}${e.retryable ? ` (after ${attempts} attempts)` : ""}`
          }, "dead")
        }
        const jitter = yield* Random.next
        return yield* finish({
          status: "pending",
          attempts,
          providerCode: e.providerCode,
          nextAttemptAt: now + Rules.backoffDelay(attempts, cfg.backoffBaseMs, cfg.backoffMaxMs, jitter),
          reason: describeFailure(e)
        }, "retried")
      }
    }
  })

/**
 * One delivery pass: claims due entries (up to the batch size, first in line
 * per recipient), sends each through the resident's channel, and records
 * each outcome in its own transaction. At least once: a worker killed after
 * a send and before its record leaves the entry claimed until the lease
 * expires; the next pass sends it again with the same reference.
 *
 * @since 0.2.0
 * @category delivery
 */
export const deliverOnce = (options: { readonly communityId?: CommunityId } = {}) =>
  Effect.gen(function* () {
    const cfg = yield* config
    const store = yield* NotificationStore
    const tx = yield* Transaction
    const now = yield* Clock.currentTimeMillis
    const token = yield* newId("claim")
    const claimed = yield* tx.run(store.claim({
      now,
      limit: cfg.batchSize,
      token,
      until: now + cfg.leaseMs,
      ...(options.communityId === undefined ? {} : { communityId: options.communityId })
    }))
    const outcomes = yield* Effect.forEach(claimed, (e) => processEntry(e, token, cfg), { concurrency: cfg.concurrency })
    const report = { claimed: claimed.length, sent: 0, deferred: 0, retried: 0, dead: 0, skipped: 0, callList: 0, lost: 0 }
    for (const o of outcomes) report[o] += 1
    return report as DeliveryReport
  }).pipe(Effect.withSpan("notify.deliverOnce"))

/**
 * Runs delivery passes until nothing is due, then returns the sum.
 *
 * @since 0.2.0
 * @category delivery
 */
export const deliverAll = (options: { readonly communityId?: CommunityId } = {}) =>
  Effect.gen(function* () {
    const total = { claimed: 0, sent: 0, deferred: 0, retried: 0, dead: 0, skipped: 0, callList: 0, lost: 0 }
    while (true) {
      const r = yield* deliverOnce(options)
      for (const k of Object.keys(total) as Array<keyof DeliveryReport>) total[k] += r[k]
      if (r.claimed === 0) return total as DeliveryReport
    }
  })

/**
 * Runs delivery forever, pausing `pollInterval` (default 1 s) when nothing
 * is due. Fork it; interrupting it stops it between passes or mid-batch
 * (claimed entries return after their lease).
 *
 * @since 0.2.0
 * @category delivery
 */
export const runDeliveryWorker = (options: { readonly pollInterval?: Duration.DurationInput } = {}) =>
  Effect.forever(
    Effect.flatMap(deliverAll(), () => Effect.sleep(Duration.decode(options.pollInterval ?? Duration.seconds(1))))
  )

/**
 * Records a provider's delivery receipt on the entry it sent. Unknown
 * message ids fail with `NotFound`; a receipt for an entry already
 * `delivered` or `failed` changes nothing.
 *
 * @since 0.2.0
 * @category commands
 */
export const recordReceipt = Effect.fn("notify.recordReceipt")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("notify.recordReceipt", ReceiptInput)(input)
  yield* authorize(notificationPermissions, "notify.receipt", actor, cmd.communityId)
  const store = yield* NotificationStore
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const found = yield* store.findByProviderMessageId(cmd.communityId, cmd.provider, cmd.providerMessageId)
    if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "OutboxEntry", id: cmd.providerMessageId }))
    const entry = found.value
    if (entry.status === "delivered" || entry.status === "failed") return entry
    const next = new OutboxEntry({
      ...entry,
      status: cmd.status,
      ...(cmd.code === undefined ? {} : { providerCode: cmd.code }),
      ...(cmd.status === "delivered" ? { deliveredAt: cmd.at ?? now } : { reason: `receipt: ${cmd.code ?? "failed"}` }),
      updatedAt: now
    }, { disableValidation: true })
    yield* store.update(next, entry.claimToken)
    return next
  }))
})

/**
 * Puts a dead (or call-list) entry back in line, for after the cause was fixed.
 *
 * @since 0.2.0
 * @category commands
 */
export const requeue = Effect.fn("notify.requeue")(function* (actor: Actor, communityId: CommunityId, entryId: string) {
  yield* authorize(notificationPermissions, "notify.requeue", actor, communityId)
  const store = yield* NotificationStore
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const entry = yield* Effect.flatMap(store.getEntry(communityId, entryId), Option.match({
      onNone: () => Effect.fail(new NotFound({ entity: "OutboxEntry", id: entryId })),
      onSome: Effect.succeed
    }))
    if (entry.status !== "dead" && entry.status !== "call-list") return entry
    const next = new OutboxEntry({ ...entry, status: "pending", attempts: 0, nextAttemptAt: now, reason: undefined, updatedAt: now }, { disableValidation: true })
    yield* store.update(next, entry.claimToken)
    return next
  }))
})

/**
 * Outbox entries of a community, oldest first.
 *
 * @since 0.2.0
 * @category queries
 */
export const listOutbox = Effect.fn("notify.listOutbox")(function* (actor: Actor, communityId: CommunityId, filter?: OutboxFilter) {
  yield* authorize(notificationPermissions, "notify.read", actor, communityId)
  return yield* Effect.flatMap(NotificationStore, (s) => s.listEntries(communityId, filter))
})

/**
 * The staff call list: residents no channel reaches (no phone, every channel
 * off, or a number the provider cannot use), so that nobody is skipped
 * silently; with the number of messages waiting for a call.
 *
 * @since 0.2.0
 * @category queries
 */
export const callList = Effect.fn("notify.callList")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(notificationPermissions, "notify.read", actor, communityId)
  const store = yield* NotificationStore
  const directory = yield* Directory
  const sms = yield* Effect.serviceOption(SmsChannel)
  const push = yield* Effect.serviceOption(PushChannel)
  const residents = yield* directory.listResidents(communityId)
  const prefs = new Map((yield* store.listPreferences(communityId)).map((p) => [p.residentId as string, p]))
  const waiting = new Map<string, number>()
  for (const e of yield* store.listEntries(communityId, { status: "call-list" })) {
    waiting.set(e.recipientKey, (waiting.get(e.recipientKey) ?? 0) + 1)
  }
  const lines: Array<CallListLine> = []
  for (const r of residents) {
    const p = prefs.get(r.id) ?? defaultPreferences(communityId, r.id, r.locale)
    const phone = r.phone === undefined
      ? false
      : yield* Option.match(sms, { onNone: () => Effect.succeed(true), onSome: (s) => s.reachable(communityId, { _tag: "Resident", residentId: r.id }) })
    const usable = p.channels.filter((c) => (c === "sms" ? phone : Option.isSome(push)))
    const pending = waiting.get(`resident:${r.id}`) ?? 0
    const reason = p.channels.length === 0 ? "no-channel" as const
      : usable.length === 0 ? (r.phone === undefined ? "no-phone" as const : "undeliverable" as const)
      : pending > 0 ? "undeliverable" as const
      : undefined
    if (reason === undefined) continue
    lines.push({
      residentId: r.id,
      name: r.name,
      ...(r.householdId === undefined ? {} : { householdId: r.householdId }),
      reason,
      pendingMessages: pending
    })
  }
  return lines.sort((a, b) => (a.residentId < b.residentId ? -1 : a.residentId > b.residentId ? 1 : 0))
})

// ---------------------------------------------------------------------------
// Replies by SMS
// ---------------------------------------------------------------------------


const sixDigits = Effect.map(Random.nextIntBetween(0, 1_000_000), (n) => String(n).padStart(6, "0"))

/** A code the community never issued. */
const freshCode = (communityId: CommunityId, taken: Set<string>) =>
  Effect.gen(function* () {
    const store = yield* NotificationStore
    while (true) {
      const code = yield* sixDigits
      if (taken.has(code)) continue
      if (Option.isNone(yield* store.getReplyCode(communityId, code))) {
        taken.add(code)
        return code
      }
    }
  })

const yesNoOptions = [
  { value: "yes", zh: "同意", en: "agree" },
  { value: "no", zh: "反对", en: "against" },
  { value: "abstain", zh: "弃权", en: "abstain" }
] as const

const localTime = (at: number, offsetMinutes: number) => {
  const d = new Date(at + offsetMinutes * 60_000).toISOString()
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`
}

/**
 * Sends every household of an open (named) vote its one-time reply codes,
 * one per option ("回复 482913 同意，105377 反对"), to each owner. Codes are
 * bound to the voting unit and the proposal and expire when the vote closes.
 * Running it again sends nothing twice. Secret votes are refused: a code
 * stands for a choice, and its household is known.
 *
 * @since 0.2.0
 * @category commands
 */
export const openSmsVote = Effect.fn("notify.openSmsVote")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("notify.openSmsVote", OpenSmsVoteInput)(input)
  yield* authorize(notificationPermissions, "notify.openSmsVote", actor, cmd.communityId)
  const proposalId = Voting.ProposalId.make(cmd.proposalId)
  const cfg = yield* config
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* Voting.getProposal(actor, cmd.communityId, proposalId)
    if (p.status !== "open" || p.closesAt === undefined) return yield* Effect.fail(new SmsVoteUnavailable({ proposalId, reason: "not-open" }))
    if (p.secret) return yield* Effect.fail(new SmsVoteUnavailable({ proposalId, reason: "secret" }))
    const options = p.ballot.type === "yes-no"
      ? yesNoOptions.map((o) => ({ choice: { type: "yes-no" as const, value: o.value }, zh: o.zh, en: o.en }))
      : p.ballot.type === "single"
      ? p.ballot.options.map((o) => ({ choice: { type: "single" as const, option: o }, zh: o, en: o }))
      : undefined
    if (options === undefined) return yield* Effect.fail(new SmsVoteUnavailable({ proposalId, reason: "ballot-type" }))
    const store = yield* NotificationStore
    const units = yield* Effect.flatMap(Voting.VotingStore, (s) => s.listVotingUnits(cmd.communityId, proposalId))
    const now = yield* Clock.currentTimeMillis
    const taken = new Set<string>()
    let groups = 0
    let messages = 0
    for (const unit of units) {
      const groupId = `vote:${p.id}:${unit.id}`
      const codes: Array<string> = []
      for (let i = 0; i < options.length; i++) codes.push(yield* freshCode(cmd.communityId, taken))
      const params = {
        title: p.title.slice(0, 40),
        closes: localTime(p.closesAt, cfg.utcOffsetMinutes),
        options_zh: options.map((o, i) => `${codes[i]} ${o.zh}`).join("，"),
        options_en: options.map((o, i) => `${codes[i]} to ${o.en}`).join(", ")
      }
      let fresh = false
      for (const owner of unit.ownerIds) {
        const stored = yield* put({
          communityId: cmd.communityId,
          recipient: { _tag: "Resident", residentId: owner },
          category: "voting",
          urgent: false,
          templateId: "notify.smsVoteOpened",
          params,
          idempotencyKey: `${groupId}:${owner}`
        })
        if (Option.isSome(stored)) {
          fresh = true
          messages += 1
        }
      }
      if (!fresh) continue // issued before
      groups += 1
      for (let i = 0; i < options.length; i++) {
        yield* store.insertReplyCode(new ReplyCode({
          communityId: cmd.communityId,
          code: codes[i]!,
          purpose: "vote",
          subjectId: p.id,
          groupId,
          householdId: unit.householdIds[0]!,
          residentIds: unit.ownerIds,
          choice: { ...options[i]!.choice, votingUnitId: unit.id },
          label: `${options[i]!.zh}|${options[i]!.en}`,
          issuedAt: now,
          expiresAt: p.closesAt
        }))
      }
    }
    yield* emit(cmd.communityId, [{ _tag: "NotificationReplyCodesIssued", purpose: "vote", subjectId: p.id, groups, expiresAt: p.closesAt, by: actorRef(actor) }])
    return { groups, messages }
  }))
})

/**
 * Asks the person served to confirm a recorded time-bank service by SMS:
 * one code, valid for `validForMs` (default 7 days).
 *
 * @since 0.2.0
 * @category commands
 */
export const requestServiceConfirmation = Effect.fn("notify.requestServiceConfirmation")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("notify.requestServiceConfirmation", RequestServiceConfirmationInput)(input)
  yield* authorize(notificationPermissions, "notify.requestServiceConfirmation", actor, cmd.communityId)
  const serviceId = TimeBank.ServiceId.make(cmd.serviceId)
  return yield* transactionally(Effect.gen(function* () {
    const service = yield* TimeBank.getService(new SystemActor({ communityId: cmd.communityId, process: "notify" }), cmd.communityId, serviceId)
    if (service.recipientId !== cmd.residentId) {
      return yield* Effect.fail(new ReplyCodeInvalid({ reason: "not-yours" }))
    }
    const store = yield* NotificationStore
    const now = yield* Clock.currentTimeMillis
    const code = yield* freshCode(cmd.communityId, new Set())
    const groupId = `service:${service.id}`
    const stored = yield* put({
      communityId: cmd.communityId,
      recipient: { _tag: "Resident", residentId: cmd.residentId },
      category: "timebank",
      urgent: false,
      templateId: "notify.serviceConfirm",
      params: { code, serviceType: service.serviceType },
      idempotencyKey: `${groupId}:${cmd.residentId}`
    })
    if (Option.isNone(stored)) return { code: undefined }
    const expiresAt = now + (cmd.validForMs ?? 7 * 24 * 3_600_000)
    yield* store.insertReplyCode(new ReplyCode({
      communityId: cmd.communityId,
      code,
      purpose: "service-confirmation",
      subjectId: service.id,
      groupId,
      residentIds: [cmd.residentId],
      label: "确认|confirm",
      issuedAt: now,
      expiresAt
    }))
    yield* emit(cmd.communityId, [{ _tag: "NotificationReplyCodesIssued", purpose: "service-confirmation", subjectId: service.id, groups: 1, expiresAt, by: actorRef(actor) }])
    return { code }
  }))
})

/**
 * What an accepted reply did.
 *
 * @since 0.2.0
 * @category replies
 */
export type ReplyOutcome =
  | { readonly _tag: "opted-out" }
  | { readonly _tag: "voted"; readonly proposalId: string; readonly replaced: boolean }
  | { readonly _tag: "service-confirmed"; readonly serviceId: string }

const reject = (communityId: CommunityId, residentId: ResidentId, error: { readonly text: LocalizedText }, key: string) =>
  transactionally(put({
    communityId,
    recipient: { _tag: "Resident", residentId },
    category: "reply",
    urgent: true,
    templateId: "notify.replyRejected",
    params: { reason_zh: error.text["zh-CN"], reason_en: error.text.en },
    idempotencyKey: key
  }))

/**
 * Handles an SMS a resident sent from their registered number (the adapter
 * verified the provider's signature and resolved the number): STOP / TD /
 * 退订 opts out of non-urgent messages; a reply code casts the household's
 * ballot (channel `sms`, under the vote's change policy: a paper ballot still
 * replaces it where the policy says so) or confirms a time-bank service. A
 * code works once per household and proposal and not after its vote closed.
 * The resident gets a confirmation, or the reason of a refusal.
 *
 * @since 0.2.0
 * @category commands
 */
export const handleReply = Effect.fn("notify.handleReply")(function* (actor: Actor, input: unknown, inboundId?: string) {
  const cmd = yield* decodeInput("notify.handleReply", ReplyInput)(input)
  yield* authorize(notificationPermissions, "notify.reply", actor, cmd.communityId)
  const ref = inboundId ?? (yield* newId("in"))
  const parsed = Rules.parseReply(cmd.text)
  const store = yield* NotificationStore
  const now = yield* Clock.currentTimeMillis
  const confirm = (labels: { zh: string; en: string }) =>
    put({
      communityId: cmd.communityId,
      recipient: { _tag: "Resident", residentId: cmd.residentId },
      category: "reply",
      urgent: true,
      templateId: "notify.replyAccepted",
      params: { label_zh: labels.zh, label_en: labels.en },
      idempotencyKey: `reply:${ref}`
    })
  const work = Effect.gen(function* () {
    if (parsed._tag === "unreadable") return yield* Effect.fail(new ReplyCodeInvalid({ reason: "unreadable" }))
    if (parsed._tag === "stop") {
      const resident = yield* Effect.flatMap(Directory, (d) => d.getResident(cmd.communityId, cmd.residentId))
      const prev = yield* loadPreferences(cmd.communityId, cmd.residentId, resident.locale)
      yield* store.putPreferences(new PreferencesClass({ ...prev, stopped: true, updatedAt: now }))
      yield* emit(cmd.communityId, [{ _tag: "NotificationOptedOutBySms", residentId: cmd.residentId }])
      yield* put({
        communityId: cmd.communityId,
        recipient: { _tag: "Resident", residentId: cmd.residentId },
        category: "reply",
        urgent: true,
        templateId: "notify.stopConfirmed",
        params: {},
        idempotencyKey: `reply:${ref}`
      })
      return { _tag: "opted-out" } as const
    }
    const found = yield* store.getReplyCode(cmd.communityId, parsed.code)
    if (Option.isNone(found)) return yield* Effect.fail(new ReplyCodeInvalid({ reason: "unknown" }))
    const rc = found.value
    if (!rc.residentIds.includes(cmd.residentId)) return yield* Effect.fail(new ReplyCodeInvalid({ reason: "not-yours" }))
    if (rc.usedAt !== undefined) return yield* Effect.fail(new ReplyCodeInvalid({ reason: "used" }))
    if (now >= rc.expiresAt) return yield* Effect.fail(new ReplyCodeExpired({ expiredAt: rc.expiresAt }))
    const won = yield* store.useReplyGroup(cmd.communityId, rc.groupId, now, cmd.residentId)
    if (!won) return yield* Effect.fail(new ReplyCodeInvalid({ reason: "used" }))
    const [zh, en] = rc.label.split("|") as [string, string]
    yield* emit(cmd.communityId, [{
      _tag: "NotificationReplyAccepted",
      purpose: rc.purpose,
      subjectId: rc.subjectId,
      residentId: cmd.residentId,
      ...(rc.householdId === undefined ? {} : { householdId: rc.householdId })
    }])
    if (rc.purpose === "vote") {
      const { votingUnitId, ...choice } = rc.choice as Voting.ChoiceValue & { votingUnitId: string }
      const cast = yield* Voting.castBallot(new SystemActor({ communityId: cmd.communityId, process: "sms-reply" }), {
        communityId: cmd.communityId,
        proposalId: rc.subjectId,
        residentId: cmd.residentId,
        votingUnitId,
        channel: "sms",
        choice
      })
      yield* confirm({ zh, en })
      return { _tag: "voted", proposalId: rc.subjectId, replaced: cast.replaced } as const
    }
    yield* TimeBank.confirmService(new ResidentActor({ communityId: cmd.communityId, residentId: cmd.residentId }), {
      communityId: cmd.communityId,
      serviceId: rc.subjectId
    })
    yield* confirm({ zh, en })
    return { _tag: "service-confirmed", serviceId: rc.subjectId } as const
  })
  return yield* transactionally(work).pipe(
    Effect.tapError((e) =>
      typeof e === "object" && e !== null && "text" in e && (e as { _tag?: string })._tag !== "StoreUnavailable"
        ? Effect.ignore(reject(cmd.communityId, cmd.residentId, e as { text: LocalizedText }, `reply:${ref}`))
        : Effect.void
    )
  )
})
