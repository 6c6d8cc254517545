/**
 * The incentive module's commands and queries, its permission table, and its
 * two journal subscribers: {@link incentivesSubscriber} (awards for other
 * modules' events, idempotent by event id) and
 * {@link incentivesNotifications} (award, level and threshold messages).
 *
 * Every command runs in one transaction: decode, authorize, load, apply the
 * pure rules, save, post to the ledger, append events. A failure leaves
 * every balance, stock and record unchanged.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Option, Schema } from "effect"
import { type Actor, actorRef, authorize, type PermissionTable, Roles, SystemActor } from "../kernel/actor.js"
import { Directory } from "../kernel/directory.js"
import {
  decodeInput,
  fieldIssue,
  IdempotencyKeyReused,
  InsufficientBalance,
  InvalidInput,
  type Locale,
  NotFound
} from "../kernel/errors.js"
import { AccountId, type CommunityId, type EventId, type LedgerTxId, newId, ResidentId } from "../kernel/ids.js"
import { appendEvents, canonicalJson, type JournalEntry, JournalStore, sha256Hex } from "../kernel/journal.js"
import { type Account, applyTransaction, LedgerStore, ensureAccount } from "../kernel/ledger.js"
import { notificationSubscriber, OutgoingMessage } from "../kernel/notifier.js"
import type { Subscriber } from "../kernel/subscribers.js"
import { Transaction, transactionally } from "../kernel/transaction.js"
import { CapReached, InvalidState, ItemUnavailable, OutOfStock, RedemptionLimit } from "./errors.js"
import { type IncentiveEvent, IncentiveEvent as IncentiveEventSchema } from "./events.js"
import {
  AddItemInput,
  type Award,
  AwardInput,
  CancelRedemptionInput,
  type CatalogueItem,
  ExpireDueInput,
  type ExpiryRun,
  FulfilRedemptionInput,
  IncentiveConfig,
  type IncentiveConfigShape,
  type IncentiveProfile,
  type Leaderboard,
  type LeaderboardRow,
  OptOutInput,
  PeerAwardInput,
  type Perk,
  type PointsLot,
  RedeemInput,
  type Redemption,
  RevokeAwardInput,
  type Standing,
  StandingsInput,
  UpdateItemInput
} from "./model.js"
import {
  type AwardRules,
  applicableCaps,
  checkRedemption,
  consumeLots,
  counterKey,
  counterUpdates,
  evaluateAward,
  expireLots,
  type LotDraw,
  lotExpiresAt,
  restoreLots,
  spendableIn,
  type LeaderboardPeriod,
  levelFor,
  limitWindow,
  maskName,
  periodRange,
  rankLeaderboard,
  thresholdsCrossed,
  type WindowCounter
} from "./rules.js"
import { IncentiveStore } from "./store.js"

const allStaff = Object.values(Roles)

/**
 * Who may run each incentive command and query.
 *
 * @since 0.1.0
 * @category permissions
 */
export const incentivePermissions: PermissionTable<
  | "incentives.award"
  | "incentives.awardPeer"
  | "incentives.revokeAward"
  | "incentives.addItem"
  | "incentives.updateItem"
  | "incentives.redeem"
  | "incentives.cancelRedemption"
  | "incentives.fulfilRedemption"
  | "incentives.setLeaderboardOptOut"
  | "incentives.read"
  | "incentives.leaderboard"
  | "incentives.catalogue"
  | "incentives.expireDue"
> = {
  "incentives.award": { roles: [Roles.admin, Roles.treasurer, Roles.committee], system: true },
  "incentives.awardPeer": { residents: "self", roles: [Roles.admin, Roles.clerk] },
  "incentives.revokeAward": { roles: [Roles.admin, Roles.treasurer] },
  "incentives.addItem": { roles: [Roles.admin, Roles.treasurer, Roles.committee] },
  "incentives.updateItem": { roles: [Roles.admin, Roles.treasurer, Roles.committee] },
  "incentives.redeem": { residents: "self", roles: [Roles.admin, Roles.treasurer, Roles.clerk] },
  "incentives.cancelRedemption": { residents: "self", roles: [Roles.admin, Roles.treasurer, Roles.clerk] },
  "incentives.fulfilRedemption": { roles: [Roles.admin, Roles.treasurer, Roles.clerk] },
  "incentives.setLeaderboardOptOut": { residents: "self", roles: [Roles.admin, Roles.clerk] },
  "incentives.read": { residents: "self", roles: allStaff, system: true },
  "incentives.leaderboard": { residents: true, roles: allStaff, system: true },
  "incentives.catalogue": { residents: true, roles: allStaff, system: true },
  "incentives.expireDue": { roles: [Roles.admin], system: true }
}

/**
 * The community's points issuance account (no floor: its balance is minus
 * everything ever minted).
 *
 * @since 0.1.0
 * @category accounts
 */
export const ISSUANCE_ACCOUNT = AccountId.make("inc:issuance")
/**
 * The account redeemed points go to (floor 0; refunds come back from it).
 *
 * @since 0.1.0
 * @category accounts
 */
export const SINK_ACCOUNT = AccountId.make("inc:sink")

/**
 * The account expired points go to (floor 0), opened on first expiry. With
 * expiry on, points in circulation are minted minus redeemed minus expired.
 *
 * @since 0.1.0
 * @category accounts
 */
export const EXPIRED_ACCOUNT = AccountId.make("inc:expired")

/**
 * The id of the lot an award (`award`) or its threshold bonus (`bonus`)
 * created: `<awardId>:award`, `<awardId>:bonus`.
 *
 * @since 0.1.0
 * @category expiry
 */
export const lotIdFor = (awardId: string, kind: "award" | "bonus"): string => `${awardId}:${kind}`

/**
 * The ledger account holding a resident's points: `inc:r:<residentId>`, or
 * `inc:h:<hash>` for ids too long to fit.
 *
 * @since 0.1.0
 * @category accounts
 */
export const pointsAccountId = (residentId: string): Effect.Effect<AccountId> =>
  6 + residentId.length <= 64
    ? Effect.succeed(AccountId.make(`inc:r:${residentId}`))
    : Effect.map(sha256Hex(residentId), (h) => AccountId.make(`inc:h:${h.slice(0, 58)}`))

/**
 * The pure rules' view of a configuration.
 *
 * @since 0.1.0
 * @category config
 */
export const awardRules = (config: IncentiveConfigShape): AwardRules => ({
  points: config.points,
  perAction: config.perAction,
  perResident: config.perResident,
  residentCapExempt: config.residentCapExempt,
  perPair: config.perPair,
  utcOffsetMinutes: config.utcOffsetMinutes
})

const thresholdsOf = (config: IncentiveConfigShape) => config.levels.map((l) => l.threshold)

/**
 * The perks of a level: those of every level up to it, a later perk with the
 * same id replacing an earlier one.
 *
 * @since 0.1.0
 * @category levels
 */
export const perksFor = (level: number, config: IncentiveConfigShape): ReadonlyArray<Perk> => {
  const byId = new Map<string, Perk>()
  config.levels.slice(0, level + 1).forEach((l) => l.perks.forEach((p) => byId.set(p.id, p)))
  return [...byId.values()]
}

const levelId = (config: IncentiveConfigShape, index: number) => config.levels[index]?.id ?? String(index)

const fingerprintOf = (payload: unknown) => sha256Hex(canonicalJson(payload))

const ensureSystemAccounts = (c: CommunityId) =>
  Effect.gen(function* () {
    const ledger = yield* LedgerStore
    if (Option.isNone(yield* ledger.getAccount(c, ISSUANCE_ACCOUNT))) {
      yield* ensureAccount({ communityId: c, accountId: ISSUANCE_ACCOUNT, unit: "points", kind: "issuance" })
    }
    if (Option.isNone(yield* ledger.getAccount(c, SINK_ACCOUNT))) {
      yield* ensureAccount({ communityId: c, accountId: SINK_ACCOUNT, unit: "points", kind: "points-sink", floor: 0 })
    }
  })

const ensureExpiredAccount = (c: CommunityId) =>
  Effect.gen(function* () {
    const ledger = yield* LedgerStore
    if (Option.isNone(yield* ledger.getAccount(c, EXPIRED_ACCOUNT))) {
      yield* ensureAccount({ communityId: c, accountId: EXPIRED_ACCOUNT, unit: "points", kind: "points-expired", floor: 0 })
    }
  })

/**
 * Moves expired points of lots out of a resident's account into
 * `inc:expired` in one ledger transaction, and records an
 * `IncentivePointsExpired` event per lot. Nothing when there is nothing.
 */
const expirePoints = (
  c: CommunityId,
  accountId: AccountId,
  items: ReadonlyArray<{ readonly lot: PointsLot; readonly points: number }>,
  reason: "due" | "refund",
  idempotencyKey: string
) =>
  Effect.gen(function* () {
    const total = items.reduce((sum, x) => sum + x.points, 0)
    if (total <= 0) return
    yield* ensureExpiredAccount(c)
    const tx = yield* applyTransaction({
      communityId: c,
      unit: "points",
      postings: [
        { accountId, amount: -total },
        { accountId: EXPIRED_ACCOUNT, amount: total }
      ],
      kind: "expiry",
      memo: `points expired (${reason}) ${items.map((x) => x.lot.id).join(",")}`.slice(0, 500),
      idempotencyKey
    })
    yield* appendEvents(
      c,
      IncentiveEventSchema,
      items.filter((x) => x.points > 0).map((x): IncentiveEvent => ({
        _tag: "IncentivePointsExpired",
        residentId: x.lot.residentId,
        lotId: x.lot.id,
        awardId: x.lot.awardId,
        points: x.points,
        expiresAt: x.lot.expiresAt,
        reason,
        txId: tx.id
      }))
    )
  })

/** The resident's profile, or a new one (resident checked in the directory, points account opened). Not saved. */
const loadOrCreateProfile = (c: CommunityId, residentId: ResidentId, now: number) =>
  Effect.gen(function* () {
    const store = yield* IncentiveStore
    const existing = yield* store.getProfile(c, residentId)
    if (Option.isSome(existing)) return existing.value
    yield* Effect.flatMap(Directory, (d) => d.getResident(c, residentId))
    const accountId = yield* pointsAccountId(residentId)
    const ledger = yield* LedgerStore
    const account = yield* ledger.getAccount(c, accountId)
    if (Option.isNone(account)) {
      yield* ensureAccount({ communityId: c, accountId, unit: "points", kind: "resident-points", owner: residentId, floor: 0 })
    }
    const profile: IncentiveProfile = {
      communityId: c,
      residentId,
      accountId,
      lifetime: 0,
      level: 0,
      optedOut: false,
      createdAt: now,
      updatedAt: now
    }
    return profile
  })

const addToPeriodTotals = (c: CommunityId, residentId: ResidentId, awardedAt: number, delta: number, touch: boolean, config: IncentiveConfigShape) =>
  Effect.gen(function* () {
    const store = yield* IncentiveStore
    for (const period of ["month", "year"] as const) {
      const key = periodRange(period, awardedAt, config.utcOffsetMinutes).key
      const prior = yield* store.getPeriodTotal(c, key, residentId)
      const base = Option.getOrUndefined(prior)
      yield* store.putPeriodTotal({
        communityId: c,
        period: key,
        residentId,
        points: (base?.points ?? 0) + delta,
        reachedAt: touch || base === undefined ? awardedAt : base.reachedAt
      })
    }
  })

interface GrantRequest {
  readonly communityId: CommunityId
  readonly residentId: ResidentId
  readonly action: string
  readonly points?: number | undefined
  readonly source: "event" | "manual" | "peer"
  readonly grantedBy: string
  readonly giverId?: ResidentId | undefined
  readonly reason?: string | undefined
  readonly sourceEventId?: EventId | undefined
  readonly idempotencyKey?: string | undefined
  readonly ifCapped: "record" | "fail"
  /** The time the award counts at (caps, periods); defaults to now. */
  readonly at?: number | undefined
  readonly fingerprint: unknown
}

/** The core of every award: caps, ledger posting, counters, lifetime, thresholds, levels, totals, events. */
const grant = (req: GrantRequest) =>
  Effect.gen(function* () {
    const config = yield* IncentiveConfig
    const store = yield* IncentiveStore
    const now = yield* Clock.currentTimeMillis
    const at = req.at ?? now
    const c = req.communityId
    const fingerprint = yield* fingerprintOf(req.fingerprint)
    if (req.idempotencyKey !== undefined) {
      const prior = yield* store.findAwardByKey(c, req.idempotencyKey)
      if (Option.isSome(prior)) {
        if (prior.value.fingerprint === fingerprint) return prior.value
        return yield* Effect.fail(new IdempotencyKeyReused({ key: req.idempotencyKey }))
      }
    }
    yield* ensureSystemAccounts(c)
    const profile = yield* loadOrCreateProfile(c, req.residentId, now)
    const rules = awardRules(config)
    const scopes = applicableCaps(req.action, rules, req.giverId)
    const counterRecords = yield* store.getCounters(c, req.residentId, scopes.map((s) => s.key))
    const counters = new Map<string, WindowCounter>()
    for (const r of counterRecords) counters.set(counterKey(r.scopeKey, r.period), { window: r.window, used: r.used })
    const state = { lifetime: profile.lifetime, counters }
    const decision = evaluateAward(state, req.action, at, rules, { points: req.points, giverId: req.giverId })
    const awardId = yield* newId("aw")
    const common = {
      communityId: c,
      id: awardId,
      residentId: req.residentId,
      action: req.action,
      source: req.source,
      requested: decision.requested,
      grantedBy: req.grantedBy,
      ...(req.giverId === undefined ? {} : { giverId: req.giverId }),
      ...(req.reason === undefined ? {} : { reason: req.reason }),
      ...(req.sourceEventId === undefined ? {} : { sourceEventId: req.sourceEventId }),
      ...(req.idempotencyKey === undefined ? {} : { idempotencyKey: req.idempotencyKey }),
      fingerprint,
      awardedAt: at
    }
    if (decision.capped !== undefined) {
      const cap = decision.capped
      if (req.ifCapped === "fail") {
        return yield* Effect.fail(
          new CapReached({ residentId: req.residentId, action: req.action, ...cap, requested: decision.requested })
        )
      }
      const award: Award = { ...common, status: "capped", points: 0, bonus: 0, cap }
      // a resident first seen with a capped award still gets a profile
      yield* store.putProfile(profile)
      yield* store.insertAward(award)
      yield* appendEvents(c, IncentiveEventSchema, [
        {
          _tag: "IncentiveCapReached",
          awardId,
          residentId: req.residentId,
          action: req.action,
          source: req.source,
          requested: decision.requested,
          cap,
          ...(req.giverId === undefined ? {} : { giverId: req.giverId }),
          ...(req.sourceEventId === undefined ? {} : { sourceEventId: req.sourceEventId })
        }
      ])
      return award
    }
    const points = decision.points
    const tx = yield* applyTransaction({
      communityId: c,
      unit: "points",
      postings: [
        { accountId: ISSUANCE_ACCOUNT, amount: -points },
        { accountId: profile.accountId, amount: points }
      ],
      kind: "award",
      memo: `incentive ${req.action}`,
      ...(req.idempotencyKey === undefined ? {} : { idempotencyKey: `incentives:award:${req.idempotencyKey}` })
    })
    for (const u of counterUpdates(state, decision, rules)) {
      yield* store.putCounter({ communityId: c, residentId: req.residentId, scopeKey: u.scopeKey, period: u.period, ...u.counter })
    }
    const events: Array<IncentiveEvent> = []
    const afterAward = profile.lifetime + points
    const crossed = thresholdsCrossed(profile.lifetime, afterAward, config.thresholdRewards)
    const bonus = crossed.reduce((s, r) => s + r.bonus, 0)
    let bonusTxId: LedgerTxId | undefined
    if (bonus > 0) {
      const bonusTx = yield* applyTransaction({
        communityId: c,
        unit: "points",
        postings: [
          { accountId: ISSUANCE_ACCOUNT, amount: -bonus },
          { accountId: profile.accountId, amount: bonus }
        ],
        kind: "bonus",
        memo: `threshold reward ${crossed.map((r) => r.at).join(",")}`,
        ...(req.idempotencyKey === undefined ? {} : { idempotencyKey: `incentives:bonus:${req.idempotencyKey}` })
      })
      bonusTxId = bonusTx.id
    }
    const lifetime = afterAward + bonus
    const level = levelFor(lifetime, thresholdsOf(config))
    yield* store.putProfile({ ...profile, lifetime, level, updatedAt: now })
    yield* addToPeriodTotals(c, req.residentId, at, points, true, config)
    const award: Award = {
      ...common,
      status: "awarded",
      points,
      bonus,
      txId: tx.id,
      ...(bonusTxId === undefined ? {} : { bonusTxId })
    }
    yield* store.insertAward(award)
    if (config.expiry !== undefined) {
      const expiresAt = lotExpiresAt(at, config.expiry.afterDays)
      const lot = (kind: "award" | "bonus", amount: number): PointsLot => ({
        communityId: c,
        id: lotIdFor(awardId, kind),
        residentId: req.residentId,
        awardId,
        kind,
        amount,
        remaining: amount,
        awardedAt: at,
        expiresAt
      })
      yield* store.insertLot(lot("award", points))
      if (bonus > 0) yield* store.insertLot(lot("bonus", bonus))
    }
    events.push({
      _tag: "IncentiveAwarded",
      awardId,
      residentId: req.residentId,
      action: req.action,
      source: req.source,
      points,
      grantedBy: req.grantedBy,
      ...(req.giverId === undefined ? {} : { giverId: req.giverId }),
      ...(req.reason === undefined ? {} : { reason: req.reason }),
      ...(req.sourceEventId === undefined ? {} : { sourceEventId: req.sourceEventId }),
      txId: tx.id,
      lifetime: afterAward
    })
    for (const r of crossed) {
      events.push({
        _tag: "IncentiveThresholdReached",
        residentId: req.residentId,
        threshold: r.at,
        bonus: r.bonus,
        ...(r.bonus > 0 && bonusTxId !== undefined ? { txId: bonusTxId } : {}),
        lifetime
      })
    }
    if (level !== profile.level) {
      events.push({ _tag: "IncentiveLevelChanged", residentId: req.residentId, from: levelId(config, profile.level), to: levelId(config, level), lifetime })
    }
    yield* appendEvents(c, IncentiveEventSchema, events)
    return award
  })

/**
 * A manual award by staff, with a reason (人工奖励). Caps of the action (and
 * the per-resident cap unless the action is exempt) apply; a capped award is
 * recorded as capped and returned with `status: "capped"`, or fails with
 * `CapReached` when `ifCapped: "fail"`.
 *
 * @since 0.1.0
 * @category commands
 */
export const award = Effect.fn("incentives.award")(function* (actor: Actor, input: typeof AwardInput.Encoded) {
  const cmd = yield* decodeInput("incentives.award", AwardInput)(input)
  yield* authorize(incentivePermissions, "incentives.award", actor, cmd.communityId)
  const config = yield* IncentiveConfig
  const action = cmd.action ?? config.manualAction
  const points = cmd.points ?? config.points[action]
  if (points === undefined || points <= 0) {
    return yield* Effect.fail(
      new InvalidInput({ command: "incentives.award", issues: [fieldIssue("points", "required", { "zh-CN": "该行为在积分规则表中没有分值，请填写积分", en: `action ${action} has no points in the rule table: give points` })] })
    )
  }
  return yield* transactionally(
    grant({
      communityId: cmd.communityId,
      residentId: cmd.residentId,
      action,
      points,
      source: "manual",
      grantedBy: actorRef(actor),
      reason: cmd.reason,
      idempotencyKey: cmd.idempotencyKey,
      ifCapped: cmd.ifCapped ?? "record",
      fingerprint: { kind: "manual", residentId: cmd.residentId, action, points, reason: cmd.reason }
    })
  )
})

/**
 * A peer award (邻里互助): a resident thanks a neighbour who helped them; the
 * neighbour gets the peer action's points (seed: 2) from the community. The
 * pair cap (giver -> receiver), the action's caps and the per-resident cap
 * apply. Staff (clerk, admin) may record it for a giver who is offline.
 *
 * @since 0.1.0
 * @category commands
 */
export const awardPeer = Effect.fn("incentives.awardPeer")(function* (actor: Actor, input: typeof PeerAwardInput.Encoded) {
  const cmd = yield* decodeInput("incentives.awardPeer", PeerAwardInput)(input)
  yield* authorize(incentivePermissions, "incentives.awardPeer", actor, cmd.communityId, cmd.giverId)
  const config = yield* IncentiveConfig
  const points = config.points[config.peerAction] ?? 0
  if (points <= 0) {
    return yield* Effect.fail(
      new InvalidInput({ command: "incentives.awardPeer", issues: [fieldIssue("", "invalid", { "zh-CN": "邻里互赠积分未开启", en: `peer awards are switched off (no points for ${config.peerAction})` })] })
    )
  }
  return yield* transactionally(
    Effect.gen(function* () {
      yield* Effect.flatMap(Directory, (d) => d.getResident(cmd.communityId, cmd.giverId))
      return yield* grant({
        communityId: cmd.communityId,
        residentId: cmd.receiverId,
        action: config.peerAction,
        source: "peer",
        grantedBy: actorRef(actor),
        giverId: cmd.giverId,
        reason: cmd.note,
        idempotencyKey: cmd.idempotencyKey,
        ifCapped: cmd.ifCapped ?? "record",
        fingerprint: { kind: "peer", giverId: cmd.giverId, receiverId: cmd.receiverId, note: cmd.note }
      })
    })
  )
})

/**
 * Revokes an awarded award (a mistake): its points and any threshold bonus
 * it earned go back to issuance in reversing ledger transactions, lifetime
 * points drop by the same amount and the level follows. Fails with
 * `InsufficientBalance` if the resident already spent the points. Cap
 * counters are not given back.
 *
 * @since 0.1.0
 * @category commands
 */
export const revokeAward = Effect.fn("incentives.revokeAward")(function* (actor: Actor, input: typeof RevokeAwardInput.Encoded) {
  const cmd = yield* decodeInput("incentives.revokeAward", RevokeAwardInput)(input)
  yield* authorize(incentivePermissions, "incentives.revokeAward", actor, cmd.communityId)
  const c = cmd.communityId
  return yield* transactionally(
    Effect.gen(function* () {
      const config = yield* IncentiveConfig
      const store = yield* IncentiveStore
      const now = yield* Clock.currentTimeMillis
      const found = yield* store.getAward(c, cmd.awardId)
      if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "Award", id: cmd.awardId }))
      const a = found.value
      if (a.status === "revoked" && cmd.idempotencyKey !== undefined && a.revocationKey === cmd.idempotencyKey) return a
      if (a.status !== "awarded" || a.txId === undefined) {
        return yield* Effect.fail(new InvalidState({ entity: "Award", id: a.id, status: a.status, command: "incentives.revokeAward" }))
      }
      const profile = Option.getOrUndefined(yield* store.getProfile(c, a.residentId))
      if (profile === undefined) return yield* Effect.fail(new NotFound({ entity: "IncentiveProfile", id: a.residentId }))
      // with expiry: the award's own lots must be whole (neither spent nor expired, even in part)
      const lots: Array<PointsLot> = []
      for (const kind of ["award", "bonus"] as const) {
        const lot = Option.getOrUndefined(yield* store.getLot(c, lotIdFor(a.id, kind)))
        if (lot === undefined) continue
        if (lot.remaining < lot.amount) {
          return yield* Effect.fail(new InsufficientBalance({ accountId: profile.accountId, balance: lot.remaining, floor: 0, amount: -lot.amount }))
        }
        lots.push(lot)
      }
      const reversal = yield* applyTransaction({
        communityId: c,
        unit: "points",
        postings: [
          { accountId: profile.accountId, amount: -a.points },
          { accountId: ISSUANCE_ACCOUNT, amount: a.points }
        ],
        kind: "reversal",
        memo: cmd.reason,
        reverses: a.txId,
        ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: `incentives:revoke:${cmd.idempotencyKey}` })
      })
      if (a.bonus > 0 && a.bonusTxId !== undefined) {
        yield* applyTransaction({
          communityId: c,
          unit: "points",
          postings: [
            { accountId: profile.accountId, amount: -a.bonus },
            { accountId: ISSUANCE_ACCOUNT, amount: a.bonus }
          ],
          kind: "reversal",
          memo: cmd.reason,
          reverses: a.bonusTxId,
          ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: `incentives:revoke-bonus:${cmd.idempotencyKey}` })
        })
      }
      for (const lot of lots) yield* store.updateLot({ ...lot, remaining: 0 })
      const lifetime = Math.max(0, profile.lifetime - a.points - a.bonus)
      const level = levelFor(lifetime, thresholdsOf(config))
      yield* store.putProfile({ ...profile, lifetime, level, updatedAt: now })
      yield* addToPeriodTotals(c, a.residentId, a.awardedAt, -a.points, false, config)
      const revoked: Award = {
        ...a,
        status: "revoked",
        revocationTxId: reversal.id,
        ...(cmd.idempotencyKey === undefined ? {} : { revocationKey: cmd.idempotencyKey })
      }
      yield* store.updateAward(revoked)
      const events: Array<IncentiveEvent> = [
        { _tag: "IncentiveAwardRevoked", awardId: a.id, residentId: a.residentId, points: a.points, reversalTxId: reversal.id, reason: cmd.reason, lifetime }
      ]
      if (level !== profile.level) {
        events.push({ _tag: "IncentiveLevelChanged", residentId: a.residentId, from: levelId(config, profile.level), to: levelId(config, level), lifetime })
      }
      yield* appendEvents(c, IncentiveEventSchema, events)
      return revoked
    })
  )
})

/**
 * Adds an item to the redemption catalogue (兑换目录).
 *
 * @since 0.1.0
 * @category commands
 */
export const addItem = Effect.fn("incentives.addItem")(function* (actor: Actor, input: typeof AddItemInput.Encoded) {
  const cmd = yield* decodeInput("incentives.addItem", AddItemInput)(input)
  yield* authorize(incentivePermissions, "incentives.addItem", actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const store = yield* IncentiveStore
      const now = yield* Clock.currentTimeMillis
      const item: CatalogueItem = {
        communityId: cmd.communityId,
        id: cmd.itemId,
        kind: cmd.kind,
        name: cmd.name,
        cost: cmd.cost,
        ...(cmd.stock === undefined ? {} : { stock: cmd.stock }),
        ...(cmd.limit === undefined ? {} : { limit: cmd.limit }),
        ...(cmd.value === undefined ? {} : { value: cmd.value }),
        active: true,
        createdAt: now,
        updatedAt: now
      }
      yield* store.insertItem(item)
      yield* appendEvents(cmd.communityId, IncentiveEventSchema, [
        { _tag: "IncentiveItemAdded", itemId: item.id, kind: item.kind, name: item.name, cost: item.cost, ...(item.stock === undefined ? {} : { stock: item.stock }) }
      ])
      return item
    })
  )
})

/**
 * Changes an item's cost, adds stock (restock) or (de)activates it.
 *
 * @since 0.1.0
 * @category commands
 */
export const updateItem = Effect.fn("incentives.updateItem")(function* (actor: Actor, input: typeof UpdateItemInput.Encoded) {
  const cmd = yield* decodeInput("incentives.updateItem", UpdateItemInput)(input)
  yield* authorize(incentivePermissions, "incentives.updateItem", actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const store = yield* IncentiveStore
      const now = yield* Clock.currentTimeMillis
      const found = yield* store.getItem(cmd.communityId, cmd.itemId)
      if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "CatalogueItem", id: cmd.itemId }))
      const prior = found.value
      const stock = prior.stock === undefined ? undefined : prior.stock + (cmd.addStock ?? 0)
      const item: CatalogueItem = {
        ...prior,
        cost: cmd.cost ?? prior.cost,
        ...(stock === undefined ? {} : { stock }),
        active: cmd.active ?? prior.active,
        updatedAt: now
      }
      yield* store.updateItem(item)
      yield* appendEvents(cmd.communityId, IncentiveEventSchema, [
        { _tag: "IncentiveItemUpdated", itemId: item.id, cost: item.cost, ...(item.stock === undefined ? {} : { stock: item.stock }), active: item.active }
      ])
      return item
    })
  )
})

/**
 * Redeems points for a catalogue item (积分兑换): needs the item active, the
 * stock (`OutOfStock`), the per-resident limit (`RedemptionLimit`) and the
 * balance (`InsufficientBalance`); moves the points to the sink account and
 * takes the stock. With an idempotency key a replay returns the first result.
 *
 * @since 0.1.0
 * @category commands
 */
export const redeem = Effect.fn("incentives.redeem")(function* (actor: Actor, input: typeof RedeemInput.Encoded) {
  const cmd = yield* decodeInput("incentives.redeem", RedeemInput)(input)
  yield* authorize(incentivePermissions, "incentives.redeem", actor, cmd.communityId, cmd.residentId)
  const c = cmd.communityId
  return yield* transactionally(
    Effect.gen(function* () {
      const config = yield* IncentiveConfig
      const store = yield* IncentiveStore
      const ledger = yield* LedgerStore
      const now = yield* Clock.currentTimeMillis
      const fingerprint = yield* fingerprintOf({ residentId: cmd.residentId, itemId: cmd.itemId, quantity: cmd.quantity })
      if (cmd.idempotencyKey !== undefined) {
        const prior = yield* store.findRedemptionByKey(c, cmd.idempotencyKey)
        if (Option.isSome(prior)) {
          if (prior.value.fingerprint === fingerprint) return prior.value
          return yield* Effect.fail(new IdempotencyKeyReused({ key: cmd.idempotencyKey }))
        }
      }
      const found = yield* store.getItem(c, cmd.itemId)
      if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "CatalogueItem", id: cmd.itemId }))
      const item = found.value
      const profile = Option.getOrUndefined(yield* store.getProfile(c, cmd.residentId))
      const accountId = profile?.accountId ?? (yield* pointsAccountId(cmd.residentId))
      // with expiry: only unexpired lots (and points from before expiry was on, which have no lot) can be
      // spent; the lots are locked (PostgreSQL) before the balance is read
      const lots = config.expiry === undefined ? [] : yield* store.listLots(c, cmd.residentId)
      const ledgerBalance = Option.match(yield* ledger.getAccount(c, accountId), { onNone: () => 0, onSome: (a: Account) => a.balance })
      const unlotted = Math.max(0, ledgerBalance - lots.reduce((sum, l) => sum + l.remaining, 0))
      const balance = config.expiry === undefined ? ledgerBalance : spendableIn(lots, now) + unlotted
      const window = limitWindow(item.limit?.period ?? "ever", now, config.utcOffsetMinutes)
      let used = 0
      if (item.limit !== undefined) {
        for (const r of yield* store.listRedemptions(c, cmd.residentId, item.id)) {
          if (r.status !== "cancelled" && r.limitWindow === window) used += r.quantity
        }
      }
      const check = checkRedemption({
        active: item.active,
        cost: item.cost,
        stock: item.stock,
        limit: item.limit?.count,
        used,
        quantity: cmd.quantity,
        balance
      })
      if (!check.ok) {
        switch (check.reason) {
          case "inactive":
            return yield* Effect.fail(new ItemUnavailable({ itemId: item.id }))
          case "out-of-stock":
            return yield* Effect.fail(new OutOfStock({ itemId: item.id, stock: check.stock, requested: cmd.quantity }))
          case "limit":
            return yield* Effect.fail(
              new RedemptionLimit({ itemId: item.id, residentId: cmd.residentId, limit: check.limit, period: item.limit!.period, used: check.used })
            )
          case "insufficient-balance":
            return yield* Effect.fail(new InsufficientBalance({ accountId, balance, floor: 0, amount: -check.cost }))
        }
      }
      yield* ensureSystemAccounts(c)
      let draws: ReadonlyArray<LotDraw> = []
      if (config.expiry !== undefined) {
        const consumed = consumeLots(lots, check.cost, now)
        draws = consumed.draws
        const changed = new Set(draws.map((d) => d.lotId))
        for (const lot of consumed.lots) if (changed.has(lot.id)) yield* store.updateLot(lot)
      }
      const tx = yield* applyTransaction({
        communityId: c,
        unit: "points",
        postings: [
          { accountId, amount: -check.cost },
          { accountId: SINK_ACCOUNT, amount: check.cost }
        ],
        kind: "redeem",
        memo: `redeem ${item.id} x${cmd.quantity}`,
        ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: `incentives:redeem:${cmd.idempotencyKey}` })
      })
      if (item.stock !== undefined) yield* store.updateItem({ ...item, stock: item.stock - cmd.quantity, updatedAt: now })
      const redemption: Redemption = {
        communityId: c,
        id: yield* newId("rd"),
        residentId: cmd.residentId,
        itemId: item.id,
        quantity: cmd.quantity,
        points: check.cost,
        status: "pending",
        limitWindow: window,
        txId: tx.id,
        ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: cmd.idempotencyKey }),
        fingerprint,
        ...(draws.length === 0 ? {} : { draws }),
        redeemedAt: now
      }
      yield* store.insertRedemption(redemption)
      yield* appendEvents(c, IncentiveEventSchema, [
        { _tag: "IncentiveRedeemed", redemptionId: redemption.id, residentId: cmd.residentId, itemId: item.id, quantity: cmd.quantity, points: check.cost, txId: tx.id }
      ])
      return redemption
    })
  )
})

const loadRedemption = (c: CommunityId, id: string) =>
  Effect.flatMap(IncentiveStore, (s) => s.getRedemption(c, id)).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.fail(new NotFound({ entity: "Redemption", id })),
      onSome: (r: Redemption) => Effect.succeed(r)
    }))
  )

/**
 * Cancels a pending redemption: the points are refunded (a reversing ledger
 * transaction from the sink) and the stock restored. Residents may cancel
 * their own.
 *
 * @since 0.1.0
 * @category commands
 */
export const cancelRedemption = Effect.fn("incentives.cancelRedemption")(function* (actor: Actor, input: typeof CancelRedemptionInput.Encoded) {
  const cmd = yield* decodeInput("incentives.cancelRedemption", CancelRedemptionInput)(input)
  // residents: only the tenancy here; whose redemption it is is checked once it is loaded
  yield* authorize(incentivePermissions, "incentives.cancelRedemption", actor, cmd.communityId, actor._tag === "Resident" ? actor.residentId : undefined)
  const c = cmd.communityId
  return yield* transactionally(
    Effect.gen(function* () {
      const store = yield* IncentiveStore
      const now = yield* Clock.currentTimeMillis
      const r = yield* loadRedemption(c, cmd.redemptionId)
      yield* authorize(incentivePermissions, "incentives.cancelRedemption", actor, c, r.residentId)
      if (r.status !== "pending") {
        return yield* Effect.fail(new InvalidState({ entity: "Redemption", id: r.id, status: r.status, command: "incentives.cancelRedemption" }))
      }
      const accountId = Option.match(yield* store.getProfile(c, r.residentId), {
        onNone: () => undefined,
        onSome: (p: IncentiveProfile) => p.accountId
      }) ?? (yield* pointsAccountId(r.residentId))
      // back to the same lots (locked before the ledger accounts, as expireDue does); what comes back
      // to a lot that expired meanwhile expires at once, after the refund
      let toExpire: ReadonlyArray<{ readonly lot: PointsLot; readonly points: number }> = []
      if (r.draws !== undefined && r.draws.length > 0) {
        const lots: Array<PointsLot> = []
        for (const id of new Set(r.draws.map((d) => d.lotId))) {
          const lot = yield* store.getLot(c, id)
          if (Option.isSome(lot)) lots.push(lot.value)
        }
        const back = restoreLots(lots, r.draws, now)
        const restoredIds = new Set(back.restored.map((d) => d.lotId))
        for (const lot of back.lots) if (restoredIds.has(lot.id)) yield* store.updateLot(lot)
        const byId = new Map(lots.map((l) => [l.id, l]))
        toExpire = back.expired.map((d) => ({ lot: byId.get(d.lotId)!, points: d.points }))
      }
      const refund = yield* applyTransaction({
        communityId: c,
        unit: "points",
        postings: [
          { accountId: SINK_ACCOUNT, amount: -r.points },
          { accountId, amount: r.points }
        ],
        kind: "refund",
        memo: cmd.reason,
        reverses: r.txId
      })
      if (toExpire.length > 0) yield* expirePoints(c, accountId, toExpire, "refund", `incentives:expire-refund:${r.id}`)
      const item = Option.getOrUndefined(yield* store.getItem(c, r.itemId))
      if (item !== undefined && item.stock !== undefined) yield* store.updateItem({ ...item, stock: item.stock + r.quantity, updatedAt: now })
      const cancelled: Redemption = { ...r, status: "cancelled", refundTxId: refund.id, reason: cmd.reason, closedAt: now }
      yield* store.updateRedemption(cancelled)
      yield* appendEvents(c, IncentiveEventSchema, [
        { _tag: "IncentiveRedemptionCancelled", redemptionId: r.id, residentId: r.residentId, itemId: r.itemId, points: r.points, refundTxId: refund.id, reason: cmd.reason }
      ])
      return cancelled
    })
  )
})

/**
 * Marks a pending redemption as handed over; it can no longer be cancelled.
 *
 * @since 0.1.0
 * @category commands
 */
export const fulfilRedemption = Effect.fn("incentives.fulfilRedemption")(function* (actor: Actor, input: typeof FulfilRedemptionInput.Encoded) {
  const cmd = yield* decodeInput("incentives.fulfilRedemption", FulfilRedemptionInput)(input)
  yield* authorize(incentivePermissions, "incentives.fulfilRedemption", actor, cmd.communityId)
  const c = cmd.communityId
  return yield* transactionally(
    Effect.gen(function* () {
      const store = yield* IncentiveStore
      const now = yield* Clock.currentTimeMillis
      const r = yield* loadRedemption(c, cmd.redemptionId)
      if (r.status !== "pending") {
        return yield* Effect.fail(new InvalidState({ entity: "Redemption", id: r.id, status: r.status, command: "incentives.fulfilRedemption" }))
      }
      const done: Redemption = { ...r, status: "fulfilled", closedAt: now }
      yield* store.updateRedemption(done)
      yield* appendEvents(c, IncentiveEventSchema, [
        { _tag: "IncentiveRedemptionFulfilled", redemptionId: r.id, residentId: r.residentId, itemId: r.itemId }
      ])
      return done
    })
  )
})

/**
 * Expires the points due now (expiry on; a no-op when it is off): every lot
 * whose `expiresAt` has passed and that has points left is emptied, and its
 * points move from the resident's account to `inc:expired` in a ledger
 * transaction of kind `expiry` (idempotency key
 * `incentives:expire:<lotId>`), with an `IncentivePointsExpired` event.
 * Lifetime points, levels and leaderboards are not touched. Idempotent:
 * running it again changes nothing until more lots fall due. At most
 * `limit` lots per call (oldest expiry first); `more: true` says to call
 * again. Meant for a scheduler (system) or an admin.
 *
 * @since 0.1.0
 * @category commands
 */
export const expireDue = Effect.fn("incentives.expireDue")(function* (actor: Actor, input: typeof ExpireDueInput.Encoded) {
  const cmd = yield* decodeInput("incentives.expireDue", ExpireDueInput)(input)
  yield* authorize(incentivePermissions, "incentives.expireDue", actor, cmd.communityId)
  const config = yield* IncentiveConfig
  const nothing: ExpiryRun = { lots: 0, points: 0, residents: 0, more: false }
  if (config.expiry === undefined) return nothing
  const c = cmd.communityId
  return yield* transactionally(
    Effect.gen(function* () {
      const store = yield* IncentiveStore
      const now = yield* Clock.currentTimeMillis
      const due = yield* store.listDueLots(c, now, cmd.limit + 1)
      const batch = due.slice(0, cmd.limit)
      const swept = expireLots(batch, now)
      const byId = new Map(batch.map((l) => [l.id, l]))
      const accounts = new Map<string, AccountId>()
      for (const d of swept.expired) {
        const lot = byId.get(d.lotId)!
        // the account id is derived, not read from the profile: expireDue locks lots, then ledger
        // accounts, never a profile (commands lock profiles before lots), so it cannot deadlock with them
        let accountId = accounts.get(lot.residentId)
        if (accountId === undefined) {
          accountId = yield* pointsAccountId(lot.residentId)
          accounts.set(lot.residentId, accountId)
        }
        yield* store.updateLot({ ...lot, remaining: 0 })
        yield* expirePoints(c, accountId, [{ lot, points: d.points }], "due", `incentives:expire:${lot.id}`)
      }
      const run: ExpiryRun = { lots: swept.expired.length, points: swept.points, residents: accounts.size, more: due.length > cmd.limit }
      return run
    })
  )
})

/**
 * Opts a resident out of public leaderboards (or back in): their name is
 * then masked or replaced, their id left out.
 *
 * @since 0.1.0
 * @category commands
 */
export const setLeaderboardOptOut = Effect.fn("incentives.setLeaderboardOptOut")(function* (actor: Actor, input: typeof OptOutInput.Encoded) {
  const cmd = yield* decodeInput("incentives.setLeaderboardOptOut", OptOutInput)(input)
  yield* authorize(incentivePermissions, "incentives.setLeaderboardOptOut", actor, cmd.communityId, cmd.residentId)
  return yield* transactionally(
    Effect.gen(function* () {
      const store = yield* IncentiveStore
      const now = yield* Clock.currentTimeMillis
      const profile = yield* loadOrCreateProfile(cmd.communityId, cmd.residentId, now)
      const next: IncentiveProfile = { ...profile, optedOut: cmd.optedOut, updatedAt: now }
      yield* store.putProfile(next)
      yield* appendEvents(cmd.communityId, IncentiveEventSchema, [
        { _tag: "IncentiveLeaderboardOptOutChanged", residentId: cmd.residentId, optedOut: cmd.optedOut }
      ])
      return next
    })
  )
})

// ---------------------------------------------------------------- queries

/**
 * A resident's standing: balance, lifetime points, level, next level, perks.
 * Residents see their own; staff anyone's.
 *
 * @since 0.1.0
 * @category queries
 */
export const standing = Effect.fn("incentives.standing")(function* (actor: Actor, communityId: CommunityId, residentId: ResidentId) {
  yield* authorize(incentivePermissions, "incentives.read", actor, communityId, residentId)
  const config = yield* IncentiveConfig
  const store = yield* IncentiveStore
  const profile = Option.getOrUndefined(yield* store.getProfile(communityId, residentId))
  const accountId = profile?.accountId ?? (yield* pointsAccountId(residentId))
  const account = yield* Effect.flatMap(LedgerStore, (l) => l.getAccount(communityId, accountId))
  return standingOf(config, residentId, profile, Option.match(account, { onNone: () => 0, onSome: (a) => a.balance }))
})

const standingOf = (
  config: IncentiveConfigShape,
  residentId: ResidentId,
  profile: IncentiveProfile | undefined,
  balance: number
): Standing => {
  const lifetime = profile?.lifetime ?? 0
  const index = profile?.level ?? 0
  const def = config.levels[index]
  const next = config.levels[index + 1]
  return {
    residentId,
    balance,
    lifetime,
    level: { index, id: def?.id ?? String(index), name: def?.name ?? { "zh-CN": String(index), en: String(index) } },
    ...(next === undefined ? {} : { next: { id: next.id, name: next.name, threshold: next.threshold, missing: Math.max(0, next.threshold - lifetime) } }),
    perks: perksFor(index, config),
    optedOut: profile?.optedOut ?? false
  }
}

/**
 * The standings of many residents (up to 1,000) in one call, in the order
 * asked, for dashboards and simulations: one read of the profiles and one of
 * the points accounts instead of a loop over {@link standing}. Staff and the
 * system read anyone's; a resident only their own.
 *
 * @since 0.2.0
 * @category queries
 */
export const standings = Effect.fn("incentives.standings")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("incentives.standings", StandingsInput)(input)
  const ids = [...new Set(cmd.residentIds)]
  for (const r of ids) yield* authorize(incentivePermissions, "incentives.read", actor, cmd.communityId, r)
  const config = yield* IncentiveConfig
  const profiles = new Map(
    (yield* Effect.flatMap(IncentiveStore, (s) => s.getProfiles(cmd.communityId, ids))).map((p) => [p.residentId as string, p])
  )
  const accountIds = new Map<string, AccountId>()
  for (const r of ids) accountIds.set(r, profiles.get(r)?.accountId ?? (yield* pointsAccountId(r)))
  const accounts = yield* Effect.flatMap(LedgerStore, (l) => l.getAccounts(cmd.communityId, [...accountIds.values()]))
  const balances = new Map(accounts.map((a) => [a.id as string, a.balance]))
  return ids.map((r) => standingOf(config, r, profiles.get(r), balances.get(accountIds.get(r)!) ?? 0))
})

/**
 * A resident's awards, capped and revoked ones included, oldest first.
 *
 * @since 0.1.0
 * @category queries
 */
export const listAwards = Effect.fn("incentives.listAwards")(function* (
  actor: Actor,
  communityId: CommunityId,
  residentId: ResidentId,
  limit = 1000
) {
  yield* authorize(incentivePermissions, "incentives.read", actor, communityId, residentId)
  return yield* Effect.flatMap(IncentiveStore, (s) => s.listAwards(communityId, residentId, limit))
})

/**
 * A resident's redemptions, oldest first.
 *
 * @since 0.1.0
 * @category queries
 */
export const listRedemptions = Effect.fn("incentives.listRedemptions")(function* (
  actor: Actor,
  communityId: CommunityId,
  residentId: ResidentId
) {
  yield* authorize(incentivePermissions, "incentives.read", actor, communityId, residentId)
  return yield* Effect.flatMap(IncentiveStore, (s) => s.listRedemptions(communityId, residentId))
})

/**
 * The redemption catalogue; residents see active items only.
 *
 * @since 0.1.0
 * @category queries
 */
export const catalogue = Effect.fn("incentives.catalogue")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(incentivePermissions, "incentives.catalogue", actor, communityId)
  const items = yield* Effect.flatMap(IncentiveStore, (s) => s.listItems(communityId))
  return actor._tag === "Resident" ? items.filter((i) => i.active) : items
})

/**
 * The contribution leaderboard (贡献排行榜) of the month or year containing
 * `at` (default now): points awarded in the period (threshold bonuses not
 * counted, revoked awards taken off). Ranked "1-2-2-4" (equal points share a
 * rank); among equal points, whoever reached the total earlier comes first,
 * then by resident id. Opted-out residents are masked (`王**`) or shown as
 * `匿名居民`/`Anonymous resident` (config `optedOutDisplay`), without their id.
 *
 * @since 0.1.0
 * @category queries
 */
export const leaderboard = Effect.fn("incentives.leaderboard")(function* (
  actor: Actor,
  communityId: CommunityId,
  period: LeaderboardPeriod,
  options: { readonly at?: number; readonly limit?: number; readonly locale?: Locale } = {}
) {
  yield* authorize(incentivePermissions, "incentives.leaderboard", actor, communityId)
  const config = yield* IncentiveConfig
  const store = yield* IncentiveStore
  const directory = yield* Directory
  const at = options.at ?? (yield* Clock.currentTimeMillis)
  const range = periodRange(period, at, config.utcOffsetMinutes)
  const totals = yield* store.listPeriodTotals(communityId, range.key)
  const ranked = rankLeaderboard(totals).slice(0, options.limit ?? 50)
  const rows: Array<LeaderboardRow> = []
  for (const e of ranked) {
    const rid = ResidentId.make(e.residentId)
    const name = yield* directory.getResident(communityId, rid).pipe(
      Effect.map((r) => r.name),
      Effect.catchTag("NotFound", () => Effect.succeed("?"))
    )
    const optedOut = Option.match(yield* store.getProfile(communityId, rid), { onNone: () => false, onSome: (p) => p.optedOut })
    if (!optedOut) rows.push({ rank: e.rank, points: e.points, name, residentId: rid })
    else if (config.optedOutDisplay === "mask") rows.push({ rank: e.rank, points: e.points, name: maskName(name) })
    else rows.push({ rank: e.rank, points: e.points, name: (options.locale ?? "zh-CN") === "en" ? "Anonymous resident" : "匿名居民" })
  }
  const board: Leaderboard = { period: range.key, start: range.start, end: range.end, rows }
  return board
})

// ---------------------------------------------------------------- subscribers

const recipientDecoders = new Map<string, (u: unknown) => Option.Option<Record<string, unknown>>>()
const decoderFor = (type: string, rule: IncentiveConfigShape["events"][string]) => {
  const cacheKey = `${type}\u0000${rule.recipientField}\u0000${rule.when?.field ?? ""}`
  let decode = recipientDecoders.get(cacheKey)
  if (decode === undefined) {
    const fields: Record<string, Schema.Schema.All | Schema.PropertySignature.All> = {
      [rule.recipientField]: Schema.optional(ResidentId)
    }
    if (rule.when !== undefined) fields[rule.when.field] = Schema.optional(Schema.String)
    decode = Schema.decodeUnknownOption(Schema.Struct(fields as Record<string, Schema.Schema<unknown, unknown, never>>)) as (
      u: unknown
    ) => Option.Option<Record<string, unknown>>
    recipientDecoders.set(cacheKey, decode)
  }
  return decode
}

/**
 * The award a journal entry earns under the configured event rules, if any:
 * the action and the resident, decoded structurally from the payload.
 * `undefined` for entries of other types, a missing recipient or an unmet
 * condition; `InvalidInput` for a payload that does not fit.
 *
 * @since 0.1.0
 * @category subscribers
 */
export const awardForEntry = (
  entry: JournalEntry,
  config: IncentiveConfigShape
): Effect.Effect<{ readonly action: string; readonly residentId: ResidentId } | undefined, InvalidInput> => {
  const rule = Object.prototype.hasOwnProperty.call(config.events, entry.type) ? config.events[entry.type] : undefined
  if (rule === undefined) return Effect.succeed(undefined)
  const decoded = decoderFor(entry.type, rule)(entry.payload)
  if (Option.isNone(decoded)) {
    return Effect.fail(
      new InvalidInput({ command: `incentives.subscriber ${entry.type}`, issues: [fieldIssue(rule.recipientField, "invalid", { "zh-CN": "事件内容不符合积分规则", en: "payload does not fit the event rule" })] })
    )
  }
  const payload = decoded.value
  const residentId = payload[rule.recipientField] as ResidentId | undefined
  if (residentId === undefined) return Effect.succeed(undefined)
  if (rule.when !== undefined && payload[rule.when.field] !== rule.when.equals) return Effect.succeed(undefined)
  return Effect.succeed({ action: rule.action, residentId })
}

/**
 * Awards points for other modules' journal events by the configured event
 * rules (vote, issue report, confirmed volunteer service, adopted proposal).
 * Idempotent by event id: the award and its ledger transaction carry the
 * key `event:<eventId>`, so a re-run (a reset cursor, a replayed dead letter)
 * awards nothing twice. Awards count at the event's time (caps, periods).
 * Capped awards are recorded as capped. Run it with `drain`/`runWorker`.
 *
 * @since 0.1.0
 * @category subscribers
 */
export const incentivesSubscriber: Subscriber<IncentiveStore | LedgerStore | JournalStore | Transaction | Directory> = {
  name: "incentives.awards",
  handle: (entry) =>
    Effect.gen(function* () {
      const config = yield* IncentiveConfig
      const target = yield* awardForEntry(entry, config)
      if (target === undefined) return
      const points = config.points[target.action] ?? 0
      if (points <= 0) return
      const system = new SystemActor({ communityId: entry.communityId, process: "incentives" })
      yield* transactionally(
        grant({
          communityId: entry.communityId,
          residentId: target.residentId,
          action: target.action,
          source: "event",
          grantedBy: actorRef(system),
          sourceEventId: entry.eventId,
          idempotencyKey: `event:${entry.eventId}`,
          ifCapped: "record",
          at: entry.occurredAt,
          fingerprint: { kind: "event", eventId: entry.eventId, residentId: target.residentId, action: target.action }
        })
      )
    })
}

/**
 * The incentive module's notification templates (zh-CN, en). Register them
 * with `Gongzhi.layer({ templates: incentiveTemplates })`.
 *
 * @since 0.1.0
 * @category notifications
 */
export const incentiveTemplates = {
  "incentives.awarded": {
    "zh-CN": "您因{action}获得 {points} 积分，累计 {lifetime} 分。感谢参与社区共治！",
    en: "You earned {points} points for {action}; {lifetime} in total. Thank you for taking part!"
  },
  "incentives.levelUp": {
    "zh-CN": "恭喜！您已成为「{level}」，累计 {lifetime} 分。",
    en: "Congratulations! You are now a {level} with {lifetime} lifetime points."
  },
  "incentives.threshold": {
    "zh-CN": "您的累计积分已达 {threshold} 分，奖励 {bonus} 积分。",
    en: "Your lifetime points reached {threshold}: {bonus} bonus points."
  },
  "incentives.refunded": {
    "zh-CN": "您的兑换（{item}）已取消，{points} 积分已退回。",
    en: "Your redemption of {item} was cancelled; {points} points were refunded."
  }
} as const

const actionNames: Readonly<Record<string, { readonly "zh-CN": string; readonly en: string }>> = {
  vote: { "zh-CN": "参与投票", en: "voting" },
  "issue-report": { "zh-CN": "反映问题", en: "reporting an issue" },
  "volunteer-service": { "zh-CN": "志愿服务", en: "volunteer service" },
  "adopted-proposal": { "zh-CN": "提案被采纳", en: "an adopted proposal" },
  "neighbour-help": { "zh-CN": "邻里互助", en: "helping a neighbour" },
  manual: { "zh-CN": "社区表彰", en: "community recognition" }
}

const decodeIncentiveEvent = Schema.decodeUnknownOption(IncentiveEventSchema)

/**
 * The messages a journal entry produces: award, level up, threshold reward,
 * refund. Each keyed by the entry's event id, so redelivery sends nothing twice.
 *
 * @since 0.1.0
 * @category notifications
 */
export const incentiveMessages = (
  entry: JournalEntry
): Effect.Effect<ReadonlyArray<OutgoingMessage>, never, Directory> =>
  Effect.gen(function* () {
    if (!entry.type.startsWith("Incentive")) return []
    const decoded = decodeIncentiveEvent(entry.payload)
    if (Option.isNone(decoded)) return []
    const event = decoded.value
    const config = yield* IncentiveConfig
    const message = (residentId: ResidentId, templateId: string, params: (locale: Locale) => Record<string, string | number>) =>
      Effect.gen(function* () {
        const locale: Locale = yield* Effect.flatMap(Directory, (d) => d.getResident(entry.communityId, residentId)).pipe(
          Effect.map((r) => r.locale),
          Effect.orElseSucceed(() => "zh-CN" as const)
        )
        return [
          new OutgoingMessage({
            communityId: entry.communityId,
            recipient: { _tag: "Resident", residentId },
            templateId,
            params: params(locale),
            locale,
            idempotencyKey: `${entry.eventId}:${templateId}`
          })
        ]
      })
    switch (event._tag) {
      case "IncentiveAwarded":
        return yield* message(event.residentId, "incentives.awarded", (l) => ({
          points: event.points,
          lifetime: event.lifetime,
          action: actionNames[event.action]?.[l] ?? event.action
        }))
      case "IncentiveLevelChanged": {
        const from = config.levels.findIndex((x) => x.id === event.from)
        const to = config.levels.findIndex((x) => x.id === event.to)
        if (to <= from) return []
        return yield* message(event.residentId, "incentives.levelUp", (l) => ({
          level: config.levels[to]?.name[l] ?? event.to,
          lifetime: event.lifetime
        }))
      }
      case "IncentiveThresholdReached":
        return yield* message(event.residentId, "incentives.threshold", () => ({ threshold: event.threshold, bonus: event.bonus }))
      case "IncentiveRedemptionCancelled":
        return yield* message(event.residentId, "incentives.refunded", () => ({ item: event.itemId, points: event.points }))
      default:
        return []
    }
  })

/**
 * The notification subscriber of the incentive module (the seed's feedback
 * within 24 hours): run it with `drain`/`runWorker` next to a `Notifier`.
 *
 * @since 0.1.0
 * @category notifications
 */
export const incentivesNotifications = notificationSubscriber("incentives.notifications", incentiveMessages)
