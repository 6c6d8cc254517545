/**
 * The time bank's commands and queries. Every command decodes its input,
 * authorizes the actor, then loads, decides (with `rules.ts`), saves and
 * appends its events in one transaction: a failure changes nothing.
 *
 * Credit lives on the kernel's ledger in `centi-hours`:
 * - `tbs:issuance` (kind `timebank-issuance`, no floor) mints the credit of
 *   confirmed services; its balance is minus the total supply;
 * - `tbs:community` (kind `timebank-community`, floor `communityFloor`) is
 *   the community (organisation) account;
 * - `tbr:<residentId>` (kind `timebank-resident`, floor `residentFloor`,
 *   owner the resident) is a resident's account; ids longer than 60
 *   characters use `tbh:` and a SHA-256 prefix of the id instead.
 * Accounts are opened on first use, inside the command's transaction.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Option } from "effect"
import { type Actor, actorRef, authorize, type PermissionTable, Roles } from "../kernel/actor.js"
import { toLocalDate } from "../kernel/calendar.js"
import { areFamily, Directory } from "../kernel/directory.js"
import { decodeInput, fieldIssue, type FieldProblem, IdempotencyKeyReused, InvalidInput, type LocalizedText, NotFound } from "../kernel/errors.js"
import { AccountId, type CommunityId, newId, type ResidentId } from "../kernel/ids.js"
import { appendEvents, canonicalJson, decodeEntry, type JournalEntry, sha256Hex } from "../kernel/journal.js"
import { type Account, applyTransaction, LedgerStore, ensureAccount as ensureLedgerAccount, statementUnchecked } from "../kernel/ledger.js"
import { notificationSubscriber, OutgoingMessage } from "../kernel/notifier.js"
import { transactionally } from "../kernel/transaction.js"
import { AlreadyConfirmed, NotFamilyMember, NotReversible, NotServiceRecipient, ServiceWrongState, UnknownServiceType } from "./errors.js"
import { TimeBankEvent } from "./events.js"
import {
  type AnnualVolunteerFigure,
  type BalanceView,
  ConfirmServiceInput,
  DefineServiceTypeInput,
  DisputeServiceInput,
  type MovementResult,
  type Party,
  PayOutInput,
  RecordServiceInput,
  RedeemInput,
  ResidentsInput,
  ResidentsYearInput,
  ResidentYearTotals,
  ResolveDisputeInput,
  ReverseMovementInput,
  ReverseServiceInput,
  ServiceId,
  ServiceRecord,
  ServiceType,
  TimeBankConfig,
  TransferInput
} from "./model.js"
import * as Rules from "./rules.js"
import { type ServiceFilter, TimeBankStore } from "./store.js"

/**
 * The time bank's commands and queries, as named in its permission table.
 *
 * @since 0.1.0
 * @category permissions
 */
export type TimeBankCommand =
  | "timebank.defineServiceType"
  | "timebank.recordService"
  | "timebank.confirmService"
  | "timebank.disputeService"
  | "timebank.resolveDispute"
  | "timebank.reverseService"
  | "timebank.transfer"
  | "timebank.giftToParent"
  | "timebank.redeem"
  | "timebank.payOut"
  | "timebank.reverseMovement"
  | "timebank.read"
  | "timebank.report"

/**
 * Who may run each time-bank command. Residents act for themselves
 * (`"self"`: the provider records, the payer transfers); confirming and
 * disputing is open to residents but only the person served passes the
 * module's own check (`NotServiceRecipient`); staff confirm for residents
 * without phones.
 *
 * @since 0.1.0
 * @category permissions
 */
export const timeBankPermissions: PermissionTable<TimeBankCommand> = {
  "timebank.defineServiceType": { roles: [Roles.admin] },
  "timebank.recordService": { residents: "self", roles: [Roles.admin, Roles.committee, Roles.clerk] },
  "timebank.confirmService": { residents: true, roles: [Roles.admin, Roles.committee, Roles.clerk] },
  "timebank.disputeService": { residents: true, roles: [Roles.admin, Roles.committee, Roles.clerk] },
  "timebank.resolveDispute": { roles: [Roles.admin, Roles.committee, Roles.mediator] },
  "timebank.reverseService": { roles: [Roles.admin, Roles.treasurer] },
  "timebank.transfer": { residents: "self", roles: [Roles.admin, Roles.treasurer] },
  "timebank.giftToParent": { residents: "self", roles: [Roles.admin, Roles.treasurer] },
  "timebank.redeem": { residents: "self", roles: [Roles.admin, Roles.treasurer] },
  "timebank.payOut": { roles: [Roles.admin, Roles.treasurer], system: true },
  "timebank.reverseMovement": { roles: [Roles.admin, Roles.treasurer] },
  "timebank.read": { residents: "self", roles: [Roles.admin, Roles.treasurer, Roles.committee, Roles.auditor], system: true },
  "timebank.report": { residents: true, roles: [Roles.admin, Roles.treasurer, Roles.committee, Roles.auditor], system: true }
}

// ---------------------------------------------------------------------------
// Accounts

/**
 * The ledger account of the time bank's issuance (mint).
 *
 * @since 0.1.0
 * @category accounts
 */
export const issuanceAccountId = AccountId.make("tbs:issuance")
/**
 * The ledger account of the community (organisation).
 *
 * @since 0.1.0
 * @category accounts
 */
export const communityAccountId = AccountId.make("tbs:community")

/**
 * A party's ledger account id.
 *
 * @since 0.1.0
 * @category accounts
 */
export const accountIdOf = (party: Party): Effect.Effect<AccountId> => {
  if (party._tag === "Community") return Effect.succeed(communityAccountId)
  const plain = `tbr:${party.residentId}`
  if (plain.length <= 64) return Effect.succeed(AccountId.make(plain))
  return Effect.map(sha256Hex(party.residentId), (h) => AccountId.make(`tbh:${h.slice(0, 60)}`))
}

const residentParty = (residentId: ResidentId): Party => ({ _tag: "Resident", residentId })
const community: Party = { _tag: "Community" }
const partySubject = (party: Party): string => (party._tag === "Resident" ? party.residentId : "\u0000community")

const partyOfAccount = (account: Account): Party =>
  account.kind === "timebank-community" || account.owner === undefined
    ? community
    : residentParty(account.owner as ResidentId)

/** Opens the account on first use (inside the caller's transaction). */
const ensureAccount = (communityId: CommunityId, target: Party | "issuance") =>
  Effect.gen(function* () {
    const ledger = yield* LedgerStore
    const config = yield* TimeBankConfig
    const id = target === "issuance" ? issuanceAccountId : yield* accountIdOf(target)
    const existing = yield* ledger.getAccount(communityId, id)
    if (Option.isSome(existing)) return existing.value
    if (target === "issuance") {
      return yield* ensureLedgerAccount({ communityId, accountId: id, unit: "centi-hours", kind: "timebank-issuance" })
    }
    if (target._tag === "Community") {
      return yield* ensureLedgerAccount({
        communityId,
        accountId: id,
        unit: "centi-hours",
        kind: "timebank-community",
        floor: config.communityFloor
      })
    }
    return yield* ensureLedgerAccount({
      communityId,
      accountId: id,
      unit: "centi-hours",
      kind: "timebank-resident",
      owner: target.residentId,
      floor: config.residentFloor
    })
  })

// ---------------------------------------------------------------------------
// Service types

/**
 * The effective service types of a community: the configured defaults,
 * overridden or extended by the community's own definitions; ordered by code.
 *
 * @since 0.1.0
 * @category queries
 */
export const serviceTypes = Effect.fn("timebank.serviceTypes")(function* (actor: Actor, communityId: CommunityId) {
  yield* authorize(timeBankPermissions, "timebank.report", actor, communityId)
  const store = yield* TimeBankStore
  const config = yield* TimeBankConfig
  const own = yield* store.listServiceTypes(communityId)
  const byCode = new Map<string, ServiceType>()
  for (const d of config.serviceTypes) {
    byCode.set(
      d.code,
      new ServiceType({
        communityId,
        code: d.code,
        name: d.name,
        multiplierPermille: d.multiplierPermille,
        active: true,
        updatedAt: 0
      })
    )
  }
  for (const t of own) byCode.set(t.code, t)
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
})

const resolveServiceType = (communityId: CommunityId, code: string) =>
  Effect.gen(function* () {
    const store = yield* TimeBankStore
    const own = yield* store.getServiceType(communityId, code)
    if (Option.isSome(own)) {
      if (!own.value.active) return yield* Effect.fail(new UnknownServiceType({ serviceType: code }))
      return { code, multiplierPermille: own.value.multiplierPermille, name: own.value.name }
    }
    const config = yield* TimeBankConfig
    const d = config.serviceTypes.find((t) => t.code === code)
    if (d === undefined) return yield* Effect.fail(new UnknownServiceType({ serviceType: code }))
    return { code, multiplierPermille: d.multiplierPermille, name: d.name }
  })

/**
 * Adds a service type to the community or overrides a default one (its
 * multiplier, names, or `active: false` to retire it). Services recorded
 * earlier keep the multiplier they were recorded with. Admin only.
 *
 * @since 0.1.0
 * @category commands
 */
export const defineServiceType = Effect.fn("timebank.defineServiceType")(function* (actor: Actor, input: typeof DefineServiceTypeInput.Encoded) {
  const cmd = yield* decodeInput("timebank.defineServiceType", DefineServiceTypeInput)(input)
  yield* authorize(timeBankPermissions, "timebank.defineServiceType", actor, cmd.communityId)
  const store = yield* TimeBankStore
  return yield* transactionally(
    Effect.gen(function* () {
      const type = new ServiceType({
        communityId: cmd.communityId,
        code: cmd.code,
        name: cmd.name,
        multiplierPermille: cmd.multiplierPermille,
        active: cmd.active ?? true,
        updatedAt: yield* Clock.currentTimeMillis
      })
      yield* store.upsertServiceType(type)
      yield* appendEvents(cmd.communityId, TimeBankEvent, [
        { _tag: "TimebankServiceTypeDefined", code: type.code, multiplierPermille: type.multiplierPermille, active: type.active }
      ])
      return type
    })
  )
})

// ---------------------------------------------------------------------------
// Services

const invalid = (command: string, path: string, problem: FieldProblem, text: LocalizedText) =>
  new InvalidInput({ command, issues: [fieldIssue(path, problem, text)] })

const loadService = (communityId: CommunityId, serviceId: ServiceId) =>
  Effect.flatMap(TimeBankStore, (store) => store.getService(communityId, serviceId)).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.fail(new NotFound({ entity: "TimeBankService", id: serviceId })),
      onSome: Effect.succeed
    }))
  )

const transition = (service: ServiceRecord, action: Rules.ServiceAction) => {
  const t = Rules.nextStatus(service.status, action)
  if (t.ok) return Effect.succeed(t)
  return Effect.fail(
    t.reason === "already-confirmed"
      ? new AlreadyConfirmed({ serviceId: service.id, status: service.status })
      : new ServiceWrongState({ serviceId: service.id, status: service.status, action })
  )
}

/** Only the person served passes, or staff (whose role the permission table checked). */
const requireRecipient = (actor: Actor, service: ServiceRecord) =>
  actor._tag === "Resident" && actor.residentId !== service.recipientId
    ? Effect.fail(new NotServiceRecipient({ serviceId: service.id, residentId: actor.residentId }))
    : Effect.void

/**
 * Records a service the provider gave: whom they served, the service type,
 * and `minutes` or `startedAt`/`endedAt`. Nothing is credited yet: the person
 * served (or staff for them) confirms it, or disputes it. The provider
 * themself, or staff (admin, committee, clerk) for them. With an idempotency
 * key, a replay returns the first record (`replayed: true`).
 *
 * @since 0.1.0
 * @category commands
 */
export const recordService = Effect.fn("timebank.recordService")(function* (actor: Actor, input: typeof RecordServiceInput.Encoded) {
  const command = "timebank.recordService"
  const cmd = yield* decodeInput(command, RecordServiceInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId, cmd.providerId)
  const store = yield* TimeBankStore
  const dir = yield* Directory
  const config = yield* TimeBankConfig
  const { idempotencyKey, ...request } = cmd
  const fingerprint = yield* sha256Hex(canonicalJson(request))
  return yield* transactionally(
    Effect.gen(function* () {
      if (idempotencyKey !== undefined) {
        const prior = yield* store.findServiceByKey(cmd.communityId, idempotencyKey)
        if (Option.isSome(prior)) {
          if (prior.value.fingerprint !== fingerprint) return yield* Effect.fail(new IdempotencyKeyReused({ key: idempotencyKey }))
          return { service: prior.value, replayed: true }
        }
      }
      yield* dir.getResident(cmd.communityId, cmd.providerId)
      yield* dir.getResident(cmd.communityId, cmd.recipientId)
      const type = yield* resolveServiceType(cmd.communityId, cmd.serviceType)
      const now = yield* Clock.currentTimeMillis
      const minutes = cmd.minutes ?? Rules.durationMinutes(cmd.startedAt!, cmd.endedAt!)
      const performedAt = cmd.startedAt ?? cmd.performedAt ?? now
      const problem = Rules.checkServiceTiming({ minutes, performedAt, endedAt: cmd.endedAt }, now, config)
      if (problem !== undefined) return yield* Effect.fail(invalid(command, problem.path, problem.problem, problem.text))
      const centiHours = Rules.creditFor(minutes, type.multiplierPermille)
      if (centiHours < 1) return yield* Effect.fail(invalid(command, "minutes", "too-short", { "zh-CN": "服务时长过短，不足以获得时间积分", en: "the service is too short to earn any credit" }))
      const { timeZone } = yield* dir.getCommunity(cmd.communityId)
      const service = new ServiceRecord({
        communityId: cmd.communityId,
        id: ServiceId.make(yield* newId("svc")),
        providerId: cmd.providerId,
        recipientId: cmd.recipientId,
        serviceType: type.code,
        multiplierPermille: type.multiplierPermille,
        minutes,
        ...(cmd.startedAt === undefined ? {} : { startedAt: cmd.startedAt }),
        ...(cmd.endedAt === undefined ? {} : { endedAt: cmd.endedAt }),
        performedAt,
        year: Number(toLocalDate(performedAt, timeZone).slice(0, 4)),
        centiHours,
        note: cmd.note ?? "",
        status: "pending",
        recordedAt: now,
        recordedBy: actorRef(actor),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        fingerprint,
        version: 1
      })
      yield* store.insertService(service)
      yield* appendEvents(cmd.communityId, TimeBankEvent, [
        {
          _tag: "TimebankServiceRecorded",
          serviceId: service.id,
          providerId: service.providerId,
          recipientId: service.recipientId,
          serviceType: service.serviceType,
          minutes: service.minutes,
          centiHours: service.centiHours,
          recordedBy: service.recordedBy
        }
      ])
      return { service, replayed: false }
    })
  )
})

/** Deposits a service's credit and marks it credited (inside a transaction). */
const creditService = (service: ServiceRecord, by: string, minutes: number, dispute: ServiceRecord["dispute"]) =>
  Effect.gen(function* () {
    const store = yield* TimeBankStore
    const centiHours = minutes === service.minutes ? service.centiHours : Rules.creditFor(minutes, service.multiplierPermille)
    const c = service.communityId
    yield* ensureAccount(c, "issuance")
    const provider = yield* ensureAccount(c, residentParty(service.providerId))
    const tx = yield* applyTransaction({
      communityId: c,
      unit: "centi-hours",
      postings: [
        { accountId: issuanceAccountId, amount: -centiHours },
        { accountId: provider.id, amount: centiHours }
      ],
      kind: "timebank-deposit",
      memo: `service ${service.id}`,
      idempotencyKey: `timebank:deposit:${service.id}`
    })
    const now = yield* Clock.currentTimeMillis
    const updated = new ServiceRecord({
      ...service,
      minutes,
      centiHours,
      status: "credited",
      confirmedAt: now,
      confirmedBy: by,
      creditTxId: tx.id,
      ...(dispute === undefined ? {} : { dispute }),
      version: service.version + 1
    })
    yield* store.updateService(updated)
    const deltas = Rules.totalsDeltas(updated, 1)
    yield* store.addTotals(c, updated.providerId, updated.year, deltas.provider)
    yield* store.addTotals(c, updated.recipientId, updated.year, deltas.recipient)
    yield* appendEvents(c, TimeBankEvent, [
      {
        _tag: "TimebankServiceConfirmed",
        serviceId: updated.id,
        providerId: updated.providerId,
        recipientId: updated.recipientId,
        centiHours,
        minutes,
        serviceType: updated.serviceType,
        txId: tx.id,
        confirmedBy: by
      }
    ])
    return updated
  })

/**
 * The person served confirms a recorded service; its credit is deposited to
 * the provider. Staff (admin, committee, clerk) may confirm for a resident
 * without a phone. Any other resident gets `NotServiceRecipient`; a second
 * confirmation `AlreadyConfirmed`.
 *
 * @since 0.1.0
 * @category commands
 */
export const confirmService = Effect.fn("timebank.confirmService")(function* (actor: Actor, input: typeof ConfirmServiceInput.Encoded) {
  const command = "timebank.confirmService"
  const cmd = yield* decodeInput(command, ConfirmServiceInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      const service = yield* loadService(cmd.communityId, cmd.serviceId)
      yield* requireRecipient(actor, service)
      yield* transition(service, "confirm")
      return yield* creditService(service, actorRef(actor), service.minutes, service.dispute)
    })
  )
})

/**
 * The person served (or staff for them) disputes a recorded service instead
 * of confirming it; staff resolve it with {@link resolveDispute}.
 *
 * @since 0.1.0
 * @category commands
 */
export const disputeService = Effect.fn("timebank.disputeService")(function* (actor: Actor, input: typeof DisputeServiceInput.Encoded) {
  const command = "timebank.disputeService"
  const cmd = yield* decodeInput(command, DisputeServiceInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId)
  const store = yield* TimeBankStore
  return yield* transactionally(
    Effect.gen(function* () {
      const service = yield* loadService(cmd.communityId, cmd.serviceId)
      yield* requireRecipient(actor, service)
      yield* transition(service, "dispute")
      const raisedBy = actorRef(actor)
      const updated = new ServiceRecord({
        ...service,
        status: "disputed",
        dispute: { reason: cmd.reason, raisedBy, raisedAt: yield* Clock.currentTimeMillis },
        version: service.version + 1
      })
      yield* store.updateService(updated)
      yield* appendEvents(cmd.communityId, TimeBankEvent, [
        { _tag: "TimebankServiceDisputed", serviceId: service.id, providerId: service.providerId, recipientId: service.recipientId, raisedBy }
      ])
      return updated
    })
  )
})

/**
 * Staff (admin, committee, mediator) resolve a disputed service: `credit`
 * deposits its credit (with a corrected duration if `minutes` is given),
 * `reject` closes it without credit.
 *
 * @since 0.1.0
 * @category commands
 */
export const resolveDispute = Effect.fn("timebank.resolveDispute")(function* (actor: Actor, input: typeof ResolveDisputeInput.Encoded) {
  const command = "timebank.resolveDispute"
  const cmd = yield* decodeInput(command, ResolveDisputeInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId)
  const store = yield* TimeBankStore
  const config = yield* TimeBankConfig
  return yield* transactionally(
    Effect.gen(function* () {
      const service = yield* loadService(cmd.communityId, cmd.serviceId)
      yield* transition(service, cmd.outcome === "credit" ? "resolve-credit" : "resolve-reject")
      const minutes = cmd.minutes ?? service.minutes
      if (minutes > config.maxServiceMinutes) {
        return yield* Effect.fail(invalid(command, "minutes", "too-long", { "zh-CN": `单次服务最长 ${config.maxServiceMinutes} 分钟`, en: `a service lasts at most ${config.maxServiceMinutes} minutes` }))
      }
      if (cmd.outcome === "credit" && Rules.creditFor(minutes, service.multiplierPermille) < 1) {
        return yield* Effect.fail(invalid(command, "minutes", "too-short", { "zh-CN": "服务时长过短，不足以获得时间积分", en: "the service is too short to earn any credit" }))
      }
      const resolvedBy = actorRef(actor)
      const dispute = {
        ...service.dispute!,
        resolution: {
          outcome: cmd.outcome,
          ...(cmd.minutes === undefined ? {} : { minutes: cmd.minutes }),
          note: cmd.note,
          resolvedBy,
          resolvedAt: yield* Clock.currentTimeMillis
        }
      }
      yield* appendEvents(cmd.communityId, TimeBankEvent, [
        { _tag: "TimebankDisputeResolved", serviceId: service.id, outcome: cmd.outcome, minutes, resolvedBy }
      ])
      if (cmd.outcome === "credit") return yield* creditService(service, resolvedBy, minutes, dispute)
      const rejected = new ServiceRecord({ ...service, status: "rejected", dispute, version: service.version + 1 })
      yield* store.updateService(rejected)
      return rejected
    })
  )
})

/**
 * Staff (admin, treasurer) take back a credited service's deposit with a
 * compensating ledger transaction (e.g. the service turned out not to have
 * happened). Fails with `InsufficientBalance` if the provider has already
 * spent the credit below their floor. The hours leave the given/received totals.
 *
 * @since 0.1.0
 * @category commands
 */
export const reverseService = Effect.fn("timebank.reverseService")(function* (actor: Actor, input: typeof ReverseServiceInput.Encoded) {
  const command = "timebank.reverseService"
  const cmd = yield* decodeInput(command, ReverseServiceInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId)
  const store = yield* TimeBankStore
  const ledger = yield* LedgerStore
  return yield* transactionally(
    Effect.gen(function* () {
      const service = yield* loadService(cmd.communityId, cmd.serviceId)
      yield* transition(service, "reverse")
      const original = yield* ledger.getTransaction(cmd.communityId, service.creditTxId!)
      if (Option.isNone(original)) return yield* Effect.die(new Error(`deposit ${service.creditTxId} of ${service.id} is missing`))
      const tx = yield* applyTransaction({
        communityId: cmd.communityId,
        unit: "centi-hours",
        postings: original.value.postings.map((p) => ({ accountId: p.accountId, amount: -p.amount })),
        kind: "reversal",
        memo: `reversal of service ${service.id}`,
        reverses: original.value.id,
        idempotencyKey: `timebank:reverse-service:${service.id}`
      })
      const by = actorRef(actor)
      const updated = new ServiceRecord({
        ...service,
        status: "reversed",
        reversedAt: yield* Clock.currentTimeMillis,
        reversedBy: by,
        reversalTxId: tx.id,
        reversalReason: cmd.reason,
        version: service.version + 1
      })
      yield* store.updateService(updated)
      const deltas = Rules.totalsDeltas(updated, -1)
      yield* store.addTotals(cmd.communityId, updated.providerId, updated.year, deltas.provider)
      yield* store.addTotals(cmd.communityId, updated.recipientId, updated.year, deltas.recipient)
      yield* appendEvents(cmd.communityId, TimeBankEvent, [
        {
          _tag: "TimebankServiceReversed",
          serviceId: service.id,
          providerId: service.providerId,
          recipientId: service.recipientId,
          centiHours: service.centiHours,
          minutes: service.minutes,
          txId: tx.id,
          reversedBy: by
        }
      ])
      return updated
    })
  )
})

// ---------------------------------------------------------------------------
// Movements of credit

type Movement = "transfer" | "gift" | "redeem" | "payout"
const movementKinds: ReadonlyArray<string> = ["timebank-transfer", "timebank-gift", "timebank-redeem", "timebank-payout"]

/** Debits `from` and credits `to` in ONE ledger transaction. */
const move = (
  communityId: CommunityId,
  movement: Movement,
  from: Party,
  to: Party,
  centiHours: number,
  memo: string,
  key: string | undefined,
  by: string
) =>
  Effect.gen(function* () {
    const ledger = yield* LedgerStore
    const idempotencyKey = key === undefined ? undefined : `timebank:${key}`
    const prior = idempotencyKey === undefined ? Option.none() : yield* ledger.findByIdempotencyKey(communityId, idempotencyKey)
    const fromAccount = yield* ensureAccount(communityId, from)
    const toAccount = yield* ensureAccount(communityId, to)
    const tx = yield* applyTransaction({
      communityId,
      unit: "centi-hours",
      postings: [
        { accountId: fromAccount.id, amount: -centiHours },
        { accountId: toAccount.id, amount: centiHours }
      ],
      kind: `timebank-${movement}`,
      memo,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey })
    })
    if (Option.isSome(prior)) return { txId: tx.id, from, to, centiHours, replayed: true } satisfies MovementResult
    yield* appendEvents(communityId, TimeBankEvent, [
      { _tag: "TimebankCreditMoved", txId: tx.id, movement, from, to, centiHours, by }
    ])
    return { txId: tx.id, from, to, centiHours, replayed: false } satisfies MovementResult
  })

const residentOf = (communityId: CommunityId, residentId: ResidentId) =>
  Effect.flatMap(Directory, (dir) => dir.getResident(communityId, residentId))

/**
 * Transfers credit to a family member (the directory must link the two, in
 * either direction; otherwise `NotFamilyMember`). The sender's debit and the
 * recipient's credit are one ledger transaction: the recipient's earlier
 * balance is kept. The sender themself, or staff (admin, treasurer).
 *
 * @since 0.1.0
 * @category commands
 */
export const transfer = Effect.fn("timebank.transfer")(function* (actor: Actor, input: typeof TransferInput.Encoded) {
  return yield* familyMove("timebank.transfer", actor, input)
})

/**
 * Gives credit to one's parent (可转赠给父母): a transfer that only goes to a
 * resident the directory links as the giver's parent (`NotFamilyMember`
 * with relation `parent` otherwise).
 *
 * @since 0.1.0
 * @category commands
 */
export const giftToParent = Effect.fn("timebank.giftToParent")(function* (actor: Actor, input: typeof TransferInput.Encoded) {
  return yield* familyMove("timebank.giftToParent", actor, input)
})

/** A transfer between relatives: `family` for any family link, `parent` only to the giver's parent. */
const familyMove = (command: "timebank.transfer" | "timebank.giftToParent", actor: Actor, input: typeof TransferInput.Encoded) =>
  Effect.gen(function* () {
    const cmd = yield* decodeInput(command, TransferInput)(input)
    yield* authorize(timeBankPermissions, command, actor, cmd.communityId, cmd.fromResidentId)
    const relation = command === "timebank.transfer" ? "family" as const : "parent" as const
    return yield* transactionally(
      Effect.gen(function* () {
        const from = yield* residentOf(cmd.communityId, cmd.fromResidentId)
        const to = yield* residentOf(cmd.communityId, cmd.toResidentId)
        const related = relation === "family" ? areFamily(from, to) : Rules.isParentOf(to, from)
        if (!related) {
          return yield* Effect.fail(new NotFamilyMember({ fromResidentId: from.id, toResidentId: to.id, relation }))
        }
        return yield* move(
          cmd.communityId,
          relation === "family" ? "transfer" : "gift",
          residentParty(from.id),
          residentParty(to.id),
          cmd.centiHours,
          cmd.memo ?? "",
          cmd.idempotencyKey,
          actorRef(actor)
        )
      })
    )
  })

/**
 * Redeems credit for a service (可兑换社区服务): the resident's balance pays
 * the provider or the community account. The payer themself, or staff
 * (admin, treasurer) for them.
 *
 * @since 0.1.0
 * @category commands
 */
export const redeem = Effect.fn("timebank.redeem")(function* (actor: Actor, input: typeof RedeemInput.Encoded) {
  const command = "timebank.redeem"
  const cmd = yield* decodeInput(command, RedeemInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId, cmd.residentId)
  return yield* transactionally(
    Effect.gen(function* () {
      yield* residentOf(cmd.communityId, cmd.residentId)
      if (cmd.payee._tag === "Resident") yield* residentOf(cmd.communityId, cmd.payee.residentId)
      return yield* move(
        cmd.communityId,
        "redeem",
        residentParty(cmd.residentId),
        cmd.payee,
        cmd.centiHours,
        cmd.memo ?? "",
        cmd.idempotencyKey,
        actorRef(actor)
      )
    })
  )
})

/**
 * The community (organisation) account pays a resident, e.g. for a service
 * the community organised, down to its floor. Admin, treasurer or the system.
 *
 * @since 0.1.0
 * @category commands
 */
export const payOut = Effect.fn("timebank.payOut")(function* (actor: Actor, input: typeof PayOutInput.Encoded) {
  const command = "timebank.payOut"
  const cmd = yield* decodeInput(command, PayOutInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId)
  return yield* transactionally(
    Effect.gen(function* () {
      yield* residentOf(cmd.communityId, cmd.toResidentId)
      return yield* move(
        cmd.communityId,
        "payout",
        community,
        residentParty(cmd.toResidentId),
        cmd.centiHours,
        cmd.memo ?? "",
        cmd.idempotencyKey,
        actorRef(actor)
      )
    })
  )
})

/**
 * Undoes a transfer, gift, redemption or payout with a compensating ledger
 * transaction that links to it (history is never edited). Fails with
 * `InsufficientBalance` if the receiver already spent the credit, and with
 * `NotReversible` for anything else or a second reversal (a replay with the
 * same idempotency key returns the first reversal). Admin or treasurer.
 *
 * @since 0.1.0
 * @category commands
 */
export const reverseMovement = Effect.fn("timebank.reverseMovement")(function* (actor: Actor, input: typeof ReverseMovementInput.Encoded) {
  const command = "timebank.reverseMovement"
  const cmd = yield* decodeInput(command, ReverseMovementInput)(input)
  yield* authorize(timeBankPermissions, command, actor, cmd.communityId)
  const ledger = yield* LedgerStore
  return yield* transactionally(
    Effect.gen(function* () {
      const original = yield* ledger.getTransaction(cmd.communityId, cmd.txId)
      if (Option.isNone(original)) return yield* Effect.fail(new NotFound({ entity: "LedgerTransaction", id: cmd.txId }))
      const o = original.value
      if (o.unit !== "centi-hours" || !movementKinds.includes(o.kind) || o.postings.length !== 2) {
        return yield* Effect.fail(new NotReversible({ txId: cmd.txId, reason: "not-a-movement" }))
      }
      const debit = o.postings.find((p) => p.amount < 0)!
      const credit = o.postings.find((p) => p.amount > 0)!
      const accountOf = (id: AccountId) =>
        Effect.map(ledger.getAccount(cmd.communityId, id), (a) => partyOfAccount(Option.getOrThrow(a)))
      const payer = yield* accountOf(debit.accountId)
      const payee = yield* accountOf(credit.accountId)
      const idempotencyKey = cmd.idempotencyKey === undefined ? undefined : `timebank:${cmd.idempotencyKey}`
      const already = yield* ledger.findReversal(cmd.communityId, cmd.txId)
      if (Option.isSome(already)) {
        if (idempotencyKey !== undefined && already.value.idempotencyKey === idempotencyKey) {
          return { txId: already.value.id, from: payee, to: payer, centiHours: credit.amount, replayed: true } satisfies MovementResult
        }
        return yield* Effect.fail(new NotReversible({ txId: cmd.txId, reason: "already-reversed" }))
      }
      const tx = yield* applyTransaction({
        communityId: cmd.communityId,
        unit: "centi-hours",
        postings: o.postings.map((p) => ({ accountId: p.accountId, amount: -p.amount })),
        kind: "reversal",
        memo: `reversal of ${o.id}`,
        reverses: o.id,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey })
      })
      yield* appendEvents(cmd.communityId, TimeBankEvent, [
        { _tag: "TimebankMovementReversed", txId: o.id, reversalTxId: tx.id, centiHours: credit.amount, by: actorRef(actor) }
      ])
      return { txId: tx.id, from: payee, to: payer, centiHours: credit.amount, replayed: false } satisfies MovementResult
    })
  )
})

// ---------------------------------------------------------------------------
// Queries

/**
 * A service record. Its provider, its recipient, or staff who read the time bank.
 *
 * @since 0.1.0
 * @category queries
 */
export const getService = Effect.fn("timebank.getService")(function* (
  actor: Actor,
  communityId: CommunityId,
  serviceId: ServiceId
) {
  yield* authorize(timeBankPermissions, "timebank.read", actor, communityId, actor._tag === "Resident" ? actor.residentId : undefined)
  const service = yield* loadService(communityId, serviceId)
  if (actor._tag === "Resident" && actor.residentId !== service.providerId && actor.residentId !== service.recipientId) {
    yield* authorize(timeBankPermissions, "timebank.read", actor, communityId, service.providerId)
  }
  return service
})

/**
 * Service records, oldest first. A resident sees only services they gave
 * or received (pass their id as `providerId` or `recipientId`); staff who
 * read the time bank see all (e.g. `status: "disputed"` for the dispute queue).
 *
 * @since 0.1.0
 * @category queries
 */
export const listServices = Effect.fn("timebank.listServices")(function* (
  actor: Actor,
  communityId: CommunityId,
  filter: Partial<ServiceFilter> = {}
) {
  // a resident must be the provider or the recipient the filter asks for
  const subject = actor._tag !== "Resident"
    ? undefined
    : filter.providerId === actor.residentId || filter.recipientId === actor.residentId
    ? actor.residentId
    : "\u0000other"
  yield* authorize(timeBankPermissions, "timebank.read", actor, communityId, subject)
  const store = yield* TimeBankStore
  return yield* store.listServices(communityId, { ...filter, limit: filter.limit ?? 1000 })
})

/**
 * A resident's (or the community account's) balance in centi-hours.
 *
 * @since 0.1.0
 * @category queries
 */
export const balance = Effect.fn("timebank.balance")(function* (actor: Actor, communityId: CommunityId, party: Party) {
  yield* authorize(timeBankPermissions, "timebank.read", actor, communityId, partySubject(party))
  const ledger = yield* LedgerStore
  const config = yield* TimeBankConfig
  const accountId = yield* accountIdOf(party)
  const account = yield* ledger.getAccount(communityId, accountId)
  const view: BalanceView = Option.match(account, {
    onNone: () => ({
      party,
      accountId,
      balance: 0,
      floor: party._tag === "Community" ? config.communityFloor : config.residentFloor
    }),
    onSome: (a) => ({ party, accountId, balance: a.balance, floor: a.floor ?? Number.MIN_SAFE_INTEGER })
  })
  return view
})

/**
 * The time-bank balances of many residents (up to 1,000) in one call, in the
 * order asked (0 for an account never opened): one ledger read instead of a
 * loop over {@link balance}. Staff and the system read anyone's; a resident
 * only their own.
 *
 * @since 0.2.0
 * @category queries
 */
export const balances = Effect.fn("timebank.balances")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("timebank.balances", ResidentsInput)(input)
  const ids = [...new Set(cmd.residentIds)]
  for (const r of ids) yield* authorize(timeBankPermissions, "timebank.read", actor, cmd.communityId, r)
  const config = yield* TimeBankConfig
  const accountIds: Array<AccountId> = []
  for (const r of ids) accountIds.push(yield* accountIdOf(residentParty(r)))
  const found = new Map(
    (yield* Effect.flatMap(LedgerStore, (l) => l.getAccounts(cmd.communityId, accountIds))).map((a) => [a.id as string, a])
  )
  return ids.map((r, i): BalanceView => {
    const account = found.get(accountIds[i]!)
    return {
      party: residentParty(r),
      accountId: accountIds[i]!,
      balance: account?.balance ?? 0,
      floor: account === undefined ? config.residentFloor : account.floor ?? Number.MIN_SAFE_INTEGER
    }
  })
})

/**
 * The year's hours given and received of many residents (up to 1,000) in one
 * call, in the order asked (zeros for a resident without services): one read
 * instead of a loop over {@link residentHours}.
 *
 * @since 0.2.0
 * @category queries
 */
export const totalsOf = Effect.fn("timebank.totalsOf")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("timebank.totalsOf", ResidentsYearInput)(input)
  const ids = [...new Set(cmd.residentIds)]
  for (const r of ids) yield* authorize(timeBankPermissions, "timebank.read", actor, cmd.communityId, r)
  const found = new Map(
    (yield* Effect.flatMap(TimeBankStore, (s) => s.getTotalsMany(cmd.communityId, ids, cmd.year))).map((t) => [t.residentId as string, t])
  )
  return ids.map((residentId) =>
    found.get(residentId) ??
      new ResidentYearTotals({
        communityId: cmd.communityId,
        residentId,
        year: cmd.year,
        givenMinutes: 0,
        givenCentiHours: 0,
        servicesGiven: 0,
        receivedMinutes: 0,
        servicesReceived: 0
      })
  )
})

/**
 * A statement of a resident's (or the community account's) time-bank
 * account for `from <= postedAt < to`: each posting with the balance after
 * it, plus the period's credits and debits.
 *
 * @since 0.1.0
 * @category queries
 */
export const statement = Effect.fn("timebank.statement")(function* (
  actor: Actor,
  communityId: CommunityId,
  party: Party,
  range: { readonly from?: number; readonly to?: number; readonly limit?: number } = {}
) {
  yield* authorize(timeBankPermissions, "timebank.read", actor, communityId, partySubject(party))
  const accountId = yield* accountIdOf(party)
  return { party, accountId, ...(yield* statementUnchecked(communityId, accountId, range)) }
})

/**
 * A resident's hours given and hours received in a year (actual durations
 * of credited services), kept apart; zeros when there are none.
 *
 * @since 0.1.0
 * @category queries
 */
export const residentHours = Effect.fn("timebank.residentHours")(function* (
  actor: Actor,
  communityId: CommunityId,
  residentId: ResidentId,
  year: number
) {
  yield* authorize(timeBankPermissions, "timebank.read", actor, communityId, residentId)
  const store = yield* TimeBankStore
  const totals = yield* store.getTotals(communityId, residentId, year)
  return Option.getOrElse(
    totals,
    () =>
      new ResidentYearTotals({
        communityId,
        residentId,
        year,
        givenMinutes: 0,
        givenCentiHours: 0,
        servicesGiven: 0,
        receivedMinutes: 0,
        servicesReceived: 0
      })
  )
})

/**
 * The community's annual volunteer figure: credited service minutes given
 * in `year` against the number of residents in the directory, and whether
 * the target (default: over 10 hours per resident) is met.
 *
 * @since 0.1.0
 * @category queries
 */
export const annualVolunteerHours = Effect.fn("timebank.annualVolunteerHours")(function* (
  actor: Actor,
  communityId: CommunityId,
  year: number
) {
  yield* authorize(timeBankPermissions, "timebank.report", actor, communityId)
  const store = yield* TimeBankStore
  const dir = yield* Directory
  const config = yield* TimeBankConfig
  const totals = yield* store.listTotals(communityId, year)
  const residents = (yield* dir.listResidents(communityId)).length
  const f = Rules.annualFigure(totals.map((t) => t.givenMinutes), residents, config.annualTargetMinutes)
  const figure: AnnualVolunteerFigure = { year, residents, targetMinutesPerResident: config.annualTargetMinutes, ...f }
  return figure
})

// ---------------------------------------------------------------------------
// Notifications

/**
 * The time bank's notification templates (zh-CN and en). Register them with
 * `Gongzhi.layer({ templates: timeBankTemplates })` (or your own wording).
 *
 * @since 0.1.0
 * @category notifications
 */
export const timeBankTemplates = {
  "timebank.confirmationRequest": {
    "zh-CN": "{provider}为您记录了一次{serviceType}服务（{hours}小时）。请确认服务已完成，或提出异议。服务编号：{serviceId}",
    en: "{provider} recorded a {serviceType} service for you ({hours} h). Please confirm it took place, or dispute it. Service: {serviceId}"
  },
  "timebank.deposited": {
    "zh-CN": "您的{serviceType}服务（{hours}小时）已确认，时间银行存入 {credit} 小时。",
    en: "Your {serviceType} service ({hours} h) was confirmed; {credit} h were deposited to your time bank."
  }
} as const

const decodeTimeBank = decodeEntry(TimeBankEvent)

const typeName = (communityId: CommunityId, code: string, locale: "zh-CN" | "en") =>
  resolveServiceType(communityId, code).pipe(
    Effect.map((t) => t.name[locale]),
    Effect.catchTag("UnknownServiceType", () => Effect.succeed(code))
  )

/**
 * Turns a time-bank journal entry into messages: a confirmation request to
 * the person served when a service is recorded, a deposit notice to the
 * provider when it is confirmed. Idempotent by event id.
 *
 * @since 0.1.0
 * @category notifications
 */
export const timeBankMessages = (entry: JournalEntry) =>
  Effect.gen(function* () {
    const event = decodeTimeBank(entry)
    if (Option.isNone(event)) return []
    const e = event.value
    const dir = yield* Directory
    const c = entry.communityId
    const lookup = (id: ResidentId) =>
      dir.getResident(c, id).pipe(Effect.map(Option.some), Effect.catchTag("NotFound", () => Effect.succeed(Option.none())))
    if (e._tag === "TimebankServiceRecorded") {
      const recipient = yield* lookup(e.recipientId)
      const provider = yield* lookup(e.providerId)
      const locale = Option.match(recipient, { onNone: () => "zh-CN" as const, onSome: (r) => r.locale })
      return [
        new OutgoingMessage({
          communityId: c,
          recipient: { _tag: "Resident", residentId: e.recipientId },
          templateId: "timebank.confirmationRequest",
          params: {
            provider: Option.match(provider, { onNone: () => e.providerId, onSome: (p) => p.name }),
            serviceType: yield* typeName(c, e.serviceType, locale),
            hours: Rules.formatCentiHours(Math.round((e.minutes * 100) / 60)),
            serviceId: e.serviceId
          },
          locale,
          idempotencyKey: `${entry.eventId}:confirmation-request`
        })
      ]
    }
    if (e._tag === "TimebankServiceConfirmed") {
      const provider = yield* lookup(e.providerId)
      const locale = Option.match(provider, { onNone: () => "zh-CN" as const, onSome: (r) => r.locale })
      return [
        new OutgoingMessage({
          communityId: c,
          recipient: { _tag: "Resident", residentId: e.providerId },
          templateId: "timebank.deposited",
          params: {
            serviceType: yield* typeName(c, e.serviceType, locale),
            hours: Rules.formatCentiHours(Math.round((e.minutes * 100) / 60)),
            credit: Rules.formatCentiHours(e.centiHours),
            serviceId: e.serviceId
          },
          locale,
          idempotencyKey: `${entry.eventId}:deposited`
        })
      ]
    }
    return []
  }).pipe(
    // A store failure is a defect here: the subscriber retries the entry and dead-letters it, never drops it.
    Effect.orDie
  )

/**
 * The time bank's notification subscriber (name `timebank.notifications`):
 * drain it with `drain`/`runWorker`; it never runs inside commands.
 *
 * @since 0.1.0
 * @category notifications
 */
export const timeBankNotifications = notificationSubscriber("timebank.notifications", timeBankMessages)
