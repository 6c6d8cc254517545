/**
 * Voting commands and queries. Each command decodes its input, authorizes the
 * actor, then loads, applies `rules.ts`, saves and appends its events in one
 * transaction: a failure changes nothing.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Option, Random, Schema } from "effect"
import { type Actor, actorRef, authorize, type PermissionTable, Roles } from "../kernel/actor.js"
import { Directory, type Household } from "../kernel/directory.js"
import { AlreadyExists, Conflict, decodeInput, fieldIssue, InvalidInput, NotFound } from "../kernel/errors.js"
import { type CommunityId, HouseholdId, newId, ResidentId, newRandomId } from "../kernel/ids.js"
import {
  appendEvents,
  decodeEntry,
  readJournal,
  sha256Hex,
  verifyJournal,
  type VerifyResult
} from "../kernel/journal.js"
import { transactionally } from "../kernel/transaction.js"
import {
  AlreadyVoted,
  DeadlinePassed,
  InvalidChoice,
  InvalidProposal,
  NegotiationRoundsMissing,
  ObjectionPeriod,
  PendingConfirmation,
  ProposalNotOpen,
  ProxyLimitExceeded,
  ProxyNotAuthorised,
  NotEligible
} from "./errors.js"
import { VotingEvent } from "./events.js"
import {
  Amendment,
  AmendmentId,
  AttachCostPlanInput,
  type BulletinLine,
  CastBallotInput,
  type Channel,
  type ChoiceValue,
  ConfirmPaperInput,
  type CostPlan,
  CreateProposalInput,
  DecideAmendmentInput,
  EnterPaperInput,
  ExtendInput,
  FileObjectionInput,
  HidePostInput,
  NegotiationRound,
  Objection,
  ObjectionId,
  OpenBallot,
  PaperBallot,
  PaperBallotId,
  Post,
  PostId,
  PostInput,
  Proposal,
  ProposalId,
  ProposalRef,
  ProposeAmendmentInput,
  ProxyGrant,
  RecordRoundInput,
  RegisterProxyInput,
  ResolveObjectionInput,
  ReviewInput,
  RoundId,
  RevokeProxyInput,
  ScheduleInput,
  MixedBallot,
  SecretBallot,
  SecretTotal,
  VotingUnit
} from "./model.js"
import * as Rules from "./rules.js"
import { type ProposalLock, VotingStore } from "./store.js"

/**
 * The voting module's settings. Every number is a default the community can change.
 *
 * @since 0.1.0
 * @category config
 */
export interface VotingConfigShape {
  /** Voting period when no closing time is scheduled: 7 days. */
  readonly periodMs: number
  /** How many principals one proxy holder may represent on one proposal: 3. */
  readonly proxyLimit: number
  /** Residents' proposals go to staff review first: true. */
  readonly reviewResidentProposals: boolean
  /** The rule of a proposal that names none: `civil-code-278-ordinary`. */
  readonly defaultRuleId: "civil-code-278-ordinary" | "civil-code-278-special" | "elevator-retrofit"
  /** Owners of several parts: `per-part`. */
  readonly ownerPolicy: Rules.OwnerPolicy
  /** Vote changes: `last-counts` (until close). */
  readonly voteChange: Rules.VoteChangePolicy
  /** Secret ballots unless a proposal says otherwise: false. */
  readonly secretByDefault: boolean
  /** Negotiation rounds (协商会) required before voting opens, for rules not in `requiredRoundsByRule`: 0. */
  readonly requiredRounds: number
  /** Negotiation rounds required per rule id: the seed's 3 for `elevator-retrofit`. */
  readonly requiredRoundsByRule: Readonly<Record<string, number>>
  /** Objection period (异议期) after closing, in ms: 0 (closing decides at once). */
  readonly objectionPeriodMs: number
  /**
   * Automatic extension when the participation quorum is not met at the
   * deadline (applied once, by `closeDue`), in ms: 0 (off).
   */
  readonly autoExtendMs: number
  /** Default subsidy share of an attached cost plan: 40%. */
  readonly subsidyShare: Rules.Ratio
  /** Default compensation ladder of an attached cost plan: the seed's (floors 1 and 2). */
  readonly compensation: ReadonlyArray<Rules.FloorCompensation>
  /**
   * Secret votes: mix the ballots waiting in the bag once this many have
   * gathered (and always at close): 10. The anonymity window: until a mix,
   * a reader of the tables can link the waiting ballots to their voters; after
   * it, only to the batch. See docs/voting.md.
   *
   * @since 0.2.0
   */
  readonly secretMixEvery?: number
}

/**
 * The defaults of {@link VotingConfig}.
 *
 * @since 0.1.0
 * @category config
 */
export const defaultVotingConfig: VotingConfigShape = {
  periodMs: 7 * 24 * 60 * 60 * 1000,
  proxyLimit: 3,
  reviewResidentProposals: true,
  defaultRuleId: "civil-code-278-ordinary",
  ownerPolicy: "per-part",
  voteChange: "last-counts",
  secretByDefault: false,
  requiredRounds: 0,
  requiredRoundsByRule: { "elevator-retrofit": 3 },
  objectionPeriodMs: 0,
  autoExtendMs: 0,
  subsidyShare: { num: 40, den: 100 },
  compensation: Rules.defaultCompensation
}

/**
 * The voting settings; override with `Layer.succeed(VotingConfig, {...})`.
 *
 * @since 0.1.0
 * @category config
 */
export class VotingConfig extends Context.Reference<VotingConfig>()("@gongzhi/core/VotingConfig", {
  defaultValue: () => defaultVotingConfig
}) {}

/**
 * Who may run each voting command.
 *
 * @since 0.1.0
 * @category permissions
 */
export const votingPermissions: PermissionTable<
  | "voting.createProposal"
  | "voting.reviewProposal"
  | "voting.scheduleProposal"
  | "voting.openProposal"
  | "voting.extendProposal"
  | "voting.closeProposal"
  | "voting.closeDue"
  | "voting.withdrawProposal"
  | "voting.castBallot"
  | "voting.enterPaperBallot"
  | "voting.confirmPaperBallot"
  | "voting.registerProxy"
  | "voting.revokeProxy"
  | "voting.post"
  | "voting.moderate"
  | "voting.proposeAmendment"
  | "voting.decideAmendment"
  | "voting.recordRound"
  | "voting.attachCostPlan"
  | "voting.openDue"
  | "voting.fileObjection"
  | "voting.resolveObjection"
  | "voting.finalize"
  | "voting.read"
> = {
  "voting.createProposal": { residents: "self", roles: [Roles.admin, Roles.committee] },
  "voting.reviewProposal": { roles: [Roles.admin, Roles.committee] },
  "voting.scheduleProposal": { roles: [Roles.admin, Roles.committee] },
  "voting.openProposal": { roles: [Roles.admin, Roles.committee], system: true },
  "voting.extendProposal": { roles: [Roles.admin, Roles.committee] },
  "voting.closeProposal": { roles: [Roles.admin, Roles.committee], system: true },
  "voting.closeDue": { roles: [Roles.admin, Roles.committee], system: true },
  "voting.withdrawProposal": { roles: [Roles.admin, Roles.committee] },
  "voting.castBallot": { residents: "self", roles: [Roles.admin, Roles.committee, Roles.clerk], system: true },
  "voting.enterPaperBallot": { roles: [Roles.admin, Roles.committee, Roles.clerk] },
  "voting.confirmPaperBallot": { roles: [Roles.admin, Roles.committee, Roles.clerk] },
  "voting.registerProxy": { roles: [Roles.admin, Roles.committee, Roles.clerk] },
  "voting.revokeProxy": { roles: [Roles.admin, Roles.committee, Roles.clerk] },
  "voting.post": { residents: "self", roles: [Roles.admin, Roles.committee, Roles.clerk, Roles.mediator] },
  "voting.moderate": { roles: [Roles.admin, Roles.committee, Roles.mediator] },
  "voting.proposeAmendment": { residents: "self", roles: [Roles.admin, Roles.committee] },
  "voting.decideAmendment": { roles: [Roles.admin, Roles.committee] },
  "voting.recordRound": { roles: [Roles.admin, Roles.committee, Roles.mediator] },
  "voting.attachCostPlan": { roles: [Roles.admin, Roles.committee] },
  "voting.openDue": { roles: [Roles.admin, Roles.committee], system: true },
  "voting.fileObjection": { residents: "self" },
  "voting.resolveObjection": { roles: [Roles.admin, Roles.committee] },
  "voting.finalize": { roles: [Roles.admin, Roles.committee], system: true },
  "voting.read": {
    residents: true,
    roles: [Roles.admin, Roles.committee, Roles.clerk, Roles.auditor, Roles.dispatcher, Roles.handler, Roles.mediator, Roles.treasurer],
    system: true
  }
}

const emit = (c: CommunityId, events: ReadonlyArray<VotingEvent>) => appendEvents(c, VotingEvent, events)

/** The proposal, locked as `lock` says when inside a transaction (see `VotingStore.getProposal`). */
const loadProposal = (c: CommunityId, id: ProposalId, lock: ProposalLock = "update") =>
  Effect.flatMap(VotingStore, (s) => s.getProposal(c, id, lock)).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.fail(new NotFound({ entity: "Proposal", id })),
      onSome: Effect.succeed
    }))
  )

const save = (p: Proposal, changes: Partial<ConstructorParameters<typeof Proposal>[0]>) =>
  Effect.gen(function* () {
    const next = new Proposal({ ...p, ...changes, version: p.version + 1 }, { disableValidation: true })
    yield* (yield* VotingStore).updateProposal(next, p.version)
    return next
  })

const requireStatus = (p: Proposal, ...allowed: ReadonlyArray<Proposal["status"]>) =>
  allowed.includes(p.status)
    ? Effect.void
    : Effect.fail(new ProposalNotOpen({ proposalId: p.id, status: p.status, expected: allowed.join("|") }))

/**
 * Creates a proposal. A resident's proposal (with `proposerId` = themselves)
 * starts in `review` when the config asks for review; staff proposals start
 * in `draft`. Defaults: yes/no ballot, the config's rule, community scope.
 *
 * @since 0.1.0
 * @category commands
 */
export const createProposal = Effect.fn("voting.createProposal")(function* (actor: Actor, input: typeof CreateProposalInput.Encoded) {
  const cmd = yield* decodeInput("voting.createProposal", CreateProposalInput)(input)
  const subject = actor._tag === "Resident" ? cmd.proposerId ?? "" : undefined
  yield* authorize(votingPermissions, "voting.createProposal", actor, cmd.communityId, subject)
  const config = yield* VotingConfig
  const rule: Rules.DecisionRule = typeof cmd.rule === "object" ? cmd.rule : Rules.presets[cmd.rule ?? config.defaultRuleId]!
  const ballot = cmd.ballot ?? { type: "yes-no" as const }
  const id = ProposalId.make(yield* newId("prop"))
  const problems = Rules.ruleProblems(rule)
  if (problems.length > 0) return yield* Effect.fail(new InvalidProposal({ proposalId: id, detail: problems.join("; ") }))
  const now = yield* Clock.currentTimeMillis
  const status = actor._tag === "Resident" && config.reviewResidentProposals ? "review" : "draft"
  return yield* transactionally(Effect.gen(function* () {
    const proposal = new Proposal({
      communityId: cmd.communityId,
      id,
      title: cmd.title,
      body: cmd.body,
      ...(cmd.proposerId === undefined ? {} : { proposerId: cmd.proposerId }),
      createdBy: actorRef(actor),
      status,
      ballot,
      rule,
      tallyMeasure: cmd.tallyMeasure ?? "headcount",
      scope: cmd.scope ?? { type: "community" },
      ownerPolicy: cmd.ownerPolicy ?? config.ownerPolicy,
      affectedHouseholdIds: cmd.affectedHouseholdIds ?? [],
      secret: cmd.secret ?? config.secretByDefault,
      voteChange: cmd.voteChange ?? config.voteChange,
      periodMs: cmd.periodMs ?? config.periodMs,
      extensions: [],
      createdAt: now,
      version: 1,
      requiredRounds: cmd.requiredRounds ?? config.requiredRoundsByRule[rule.id] ?? config.requiredRounds,
      objectionPeriodMs: cmd.objectionPeriodMs ?? config.objectionPeriodMs
    })
    yield* (yield* VotingStore).insertProposal(proposal)
    yield* emit(cmd.communityId, [{
      _tag: "VotingProposalCreated",
      proposalId: id,
      title: proposal.title,
      ruleId: rule.id,
      ballot,
      secret: proposal.secret,
      ...(cmd.proposerId === undefined ? {} : { proposerId: cmd.proposerId }),
      by: actorRef(actor)
    }])
    return proposal
  }))
})

/**
 * Staff review of a resident's proposal: approve (-> `draft`) or reject (-> `withdrawn`).
 *
 * @since 0.1.0
 * @category commands
 */
export const reviewProposal = Effect.fn("voting.reviewProposal")(function* (actor: Actor, input: typeof ReviewInput.Encoded) {
  const cmd = yield* decodeInput("voting.reviewProposal", ReviewInput)(input)
  yield* authorize(votingPermissions, "voting.reviewProposal", actor, cmd.communityId)
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review")
    const next = yield* save(p, { status: cmd.approve ? "draft" : "withdrawn" })
    yield* emit(cmd.communityId, [{
      _tag: "VotingProposalReviewed",
      proposalId: p.id,
      approved: cmd.approve,
      ...(cmd.reason === undefined ? {} : { reason: cmd.reason }),
      by: actorRef(actor)
    }])
    return next
  }))
})

/**
 * Schedules a draft: voting opens at `opensAt` (default now) and closes at
 * `closesAt` (default opening + the proposal's period).
 *
 * @since 0.1.0
 * @category commands
 */
export const scheduleProposal = Effect.fn("voting.scheduleProposal")(function* (actor: Actor, input: typeof ScheduleInput.Encoded) {
  const cmd = yield* decodeInput("voting.scheduleProposal", ScheduleInput)(input)
  yield* authorize(votingPermissions, "voting.scheduleProposal", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "draft", "scheduled")
    const opensAt = cmd.opensAt ?? now
    const closesAt = cmd.closesAt ?? opensAt + p.periodMs
    if (closesAt <= opensAt || closesAt <= now) {
      return yield* Effect.fail(new InvalidProposal({ proposalId: p.id, detail: "voting must close after it opens and in the future" }))
    }
    const next = yield* save(p, { status: "scheduled", opensAt, closesAt })
    yield* emit(cmd.communityId, [{ _tag: "VotingProposalScheduled", proposalId: p.id, opensAt, closesAt, by: actorRef(actor) }])
    return next
  }))
})

const householdsInScope = (p: Proposal) =>
  Effect.gen(function* () {
    const dir = yield* Directory
    const c = p.communityId
    switch (p.scope.type) {
      case "community":
        return yield* dir.listHouseholds(c)
      case "buildings": {
        const out: Array<Household> = []
        for (const b of p.scope.buildingIds) out.push(...(yield* dir.listHouseholds(c, { buildingId: b })))
        return out
      }
      case "units": {
        const out: Array<Household> = []
        for (const u of p.scope.unitIds) out.push(...(yield* dir.listHouseholds(c, { unitId: u })))
        return out
      }
      case "households": {
        const out: Array<Household> = []
        for (const h of p.scope.householdIds) out.push(yield* dir.getHousehold(c, h))
        return out
      }
    }
  })

/**
 * Opens voting on a scheduled proposal once its opening time has come, and
 * freezes the electorate from the Directory: later changes of owners or areas
 * do not change who votes on it.
 *
 * @since 0.1.0
 * @category commands
 */
export const openProposal = Effect.fn("voting.openProposal")(function* (actor: Actor, input: typeof ProposalRef.Encoded) {
  const cmd = yield* decodeInput("voting.openProposal", ProposalRef)(input)
  yield* authorize(votingPermissions, "voting.openProposal", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.flatMap(loadProposal(cmd.communityId, cmd.proposalId), (p) => openOne(actor, p, now)))
})

const openOne = (actor: Actor, p: Proposal, now: number) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    yield* requireStatus(p, "scheduled")
    if (p.opensAt !== undefined && now < p.opensAt) {
      return yield* Effect.fail(new ProposalNotOpen({ proposalId: p.id, status: "scheduled (not yet due)", expected: "scheduled and due" }))
    }
    const required = p.requiredRounds ?? 0
    if (required > 0) {
      const held = (yield* store.listRounds(p.communityId, p.id)).length
      if (held < required) {
        return yield* Effect.fail(new NegotiationRoundsMissing({ proposalId: p.id, required, held, missing: required - held }))
      }
    }
    const closesAt = p.closesAt ?? now + p.periodMs
    if (closesAt <= now) return yield* Effect.fail(new InvalidProposal({ proposalId: p.id, detail: "the closing time has passed" }))
    const households = yield* householdsInScope(p)
    const specs = Rules.buildVotingUnits(households, { ownerPolicy: p.ownerPolicy, affected: p.affectedHouseholdIds })
    if (specs.length === 0) return yield* Effect.fail(new InvalidProposal({ proposalId: p.id, detail: "the electorate is empty" }))
    const units = specs.map((s) =>
      new VotingUnit({
        communityId: p.communityId,
        proposalId: p.id,
        id: s.id,
        householdIds: s.householdIds.map((h) => HouseholdId.make(h)),
        ownerIds: s.ownerIds.map((o) => ResidentId.make(o)),
        heads: s.heads,
        areaDm2: s.areaDm2,
        weight: s.weight,
        affected: s.affected,
        floor: s.floor,
        voted: false,
        byProxy: false
      }, { disableValidation: true })
    )
    yield* store.insertVotingUnits(p.communityId, p.id, units)
    const next = yield* save(p, { status: "open", openedAt: now, closesAt })
    yield* emit(p.communityId, [{
      _tag: "VotingProposalOpened",
      proposalId: p.id,
      closesAt,
      votingUnits: units.length,
      eligibleHeads: units.reduce((s, u) => s + u.heads, 0),
      eligibleAreaDm2: units.reduce((s, u) => s + u.areaDm2, 0),
      by: actorRef(actor)
    }])
    return next
  })

/**
 * Opens every scheduled proposal of a community whose opening time is at or
 * before `now` (default: the clock), each in its own transaction, for a
 * scheduler. Proposals that cannot open (missing negotiation rounds, an empty
 * electorate, a closing time already past) are skipped and listed with the
 * error code.
 *
 * @since 0.1.0
 * @category commands
 */
export const openDue = Effect.fn("voting.openDue")(function* (actor: Actor, communityId: CommunityId, now?: number) {
  yield* authorize(votingPermissions, "voting.openDue", actor, communityId)
  const at = now ?? (yield* Clock.currentTimeMillis)
  const store = yield* VotingStore
  const opened: Array<ProposalId> = []
  const skipped: Array<{ readonly proposalId: ProposalId; readonly reason: string }> = []
  for (const p of yield* store.listProposals(communityId, "scheduled")) {
    if (p.opensAt !== undefined && p.opensAt > at) continue
    const r = yield* Effect.either(transactionally(Effect.flatMap(loadProposal(communityId, p.id), (fresh) => openOne(actor, fresh, at))))
    if (r._tag === "Right") opened.push(p.id)
    else skipped.push({ proposalId: p.id, reason: (r.left as { readonly code: string }).code })
  }
  return { opened, skipped }
})

/**
 * Moves an open proposal's deadline later, with a reason (audited).
 *
 * @since 0.1.0
 * @category commands
 */
export const extendProposal = Effect.fn("voting.extendProposal")(function* (actor: Actor, input: typeof ExtendInput.Encoded) {
  const cmd = yield* decodeInput("voting.extendProposal", ExtendInput)(input)
  yield* authorize(votingPermissions, "voting.extendProposal", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "open")
    const from = p.closesAt!
    if (cmd.closesAt <= from || cmd.closesAt <= now) {
      return yield* Effect.fail(new InvalidProposal({ proposalId: p.id, detail: "an extension must move the deadline later and into the future" }))
    }
    const next = yield* save(p, {
      closesAt: cmd.closesAt,
      extensions: [...p.extensions, { from, to: cmd.closesAt, reason: cmd.reason, by: actorRef(actor) }]
    })
    yield* emit(p.communityId, [{ _tag: "VotingProposalExtended", proposalId: p.id, from, to: cmd.closesAt, reason: cmd.reason, by: actorRef(actor) }])
    return next
  }))
})

const checkOpen = (p: Proposal, now: number) =>
  Effect.gen(function* () {
    yield* requireStatus(p, "open")
    if (p.closesAt !== undefined && now >= p.closesAt) {
      return yield* Effect.fail(new DeadlinePassed({ proposalId: p.id, closesAt: p.closesAt }))
    }
  })

const checkChoice = (p: Proposal, choice: ChoiceValue) => {
  const problem = Rules.validateChoice(p.ballot, choice)
  return problem === undefined
    ? Effect.void
    : Effect.fail(new InvalidChoice({ proposalId: p.id, rule: problem.rule, detail: problem.detail }))
}

/** Finds the voting unit a resident votes for (own or as proxy). */
const resolveUnit = (
  p: Proposal,
  command: string,
  residentId: ResidentId,
  onBehalfOf: ResidentId | undefined,
  votingUnitId: string | undefined
) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    let principal = residentId
    if (onBehalfOf !== undefined && onBehalfOf !== residentId) {
      const proxy = yield* store.getProxy(p.communityId, p.id, onBehalfOf)
      if (Option.isNone(proxy) || proxy.value.revoked || proxy.value.holderId !== residentId) {
        return yield* Effect.fail(new ProxyNotAuthorised({ holderId: residentId, principalId: onBehalfOf }))
      }
      principal = onBehalfOf
    }
    const units = yield* store.findVotingUnitsByOwner(p.communityId, p.id, principal)
    const chosen = votingUnitId === undefined ? units : units.filter((u) => u.id === votingUnitId)
    if (chosen.length === 0) return yield* Effect.fail(new NotEligible({ proposalId: p.id, residentId: principal }))
    if (chosen.length > 1) {
      return yield* Effect.fail(new InvalidInput({
        command,
        issues: [fieldIssue("votingUnitId", "required", { "zh-CN": `该业主持有 ${chosen.length} 个表决单位，须指明其一`, en: `the owner holds ${chosen.length} voting units; name one` })]
      }))
    }
    return { unit: chosen[0]!, principal, byProxy: principal !== residentId }
  })

const newReceipt = Effect.gen(function* () {
  let code = ""
  for (let i = 0; i < 5; i++) code += (yield* Random.nextIntBetween(0, 0x10000)).toString(16).padStart(4, "0")
  return code.toUpperCase()
})

/**
 * The public hash of a receipt code: what the bulletin board and the journal
 * show. A voter checks their ballot by hashing their code.
 *
 * @since 0.1.0
 * @category secrecy
 */
export const receiptHash = (proposalId: string, code: string): Effect.Effect<string> =>
  sha256Hex(`gongzhi-receipt:${proposalId}:${code.trim().toUpperCase()}`)

/**
 * Applies the vote-change policy; in a secret vote a replacement removes the
 * earlier anonymous ballot found by its receipt code.
 */
const admit = (p: Proposal, unit: VotingUnit, byProxy: boolean, channel: Channel, previousReceipt: string | undefined) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    const decision = Rules.castDecision(unit.voted ? { byProxy: unit.byProxy } : undefined, { byProxy, channel }, p.voteChange)
    if (decision === "already-voted") return yield* Effect.fail(new AlreadyVoted({ proposalId: p.id, reason: "no-change" }))
    if (decision === "proxy-after-owner") return yield* Effect.fail(new AlreadyVoted({ proposalId: p.id, reason: "owner-voted" }))
    if (decision === "replace" && p.secret) {
      if (previousReceipt === undefined) return yield* Effect.fail(new AlreadyVoted({ proposalId: p.id, reason: "receipt-required" }))
      const hash = yield* receiptHash(p.id, previousReceipt)
      const waiting = yield* store.getSecretBallot(p.communityId, p.id, hash)
      if (Option.isSome(waiting)) {
        // Not mixed yet: replace it in place. A retraction means it was already replaced.
        if (waiting.value.retraction === true) return yield* Effect.fail(new AlreadyVoted({ proposalId: p.id, reason: "receipt-required" }))
        yield* store.deleteSecretBallot(p.communityId, p.id, hash)
      } else {
        // Mixed: withdraw it at the next mix (taking this unit's weights off its choice then,
        // not now, so that no total changes in the voter's transaction).
        const mixed = yield* store.getMixedBallot(p.communityId, p.id, hash)
        if (Option.isNone(mixed)) return yield* Effect.fail(new AlreadyVoted({ proposalId: p.id, reason: "receipt-required" }))
        yield* store.insertSecretBallot(new SecretBallot({
          ...secretBallot(p, hash, mixed.value.choice, unit),
          retraction: true
        }, { disableValidation: true }))
      }
    }
    return decision === "replace"
  })

/** Records a ballot that counts, with its events. */
const record = (
  actor: Actor,
  p: Proposal,
  unit: VotingUnit,
  principal: ResidentId,
  byProxy: boolean,
  channel: Channel,
  choice: ChoiceValue,
  replaced: boolean,
  extra: { readonly proxyHolderId?: ResidentId; readonly scanRef?: string; readonly confirmedBy?: string; readonly castBy?: string }
) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    const now = yield* Clock.currentTimeMillis
    yield* store.updateVotingUnit(new VotingUnit({ ...unit, voted: true, byProxy, channel, participantId: principal }, { disableValidation: true }))
    if (p.secret) {
      const code = yield* newReceipt
      const hash = yield* receiptHash(p.id, code)
      yield* store.insertSecretBallot(secretBallot(p, hash, choice, unit))
      // No receipt hash here: this entry is written with the voter's marker. Receipts are
      // announced, sorted, by the mix (VotingSecretBallotsMixed).
      yield* emit(p.communityId, [{ _tag: "VotingBallotCast", proposalId: p.id, replaced }])
      return { receipt: code, receiptHash: hash, replaced }
    }
    yield* store.putOpenBallot(new OpenBallot({
      communityId: p.communityId,
      proposalId: p.id,
      votingUnitId: unit.id,
      choice,
      channel,
      castBy: extra.castBy ?? actorRef(actor),
      ...(extra.proxyHolderId === undefined ? {} : { proxyHolderId: extra.proxyHolderId }),
      ...(extra.scanRef === undefined ? {} : { scanRef: extra.scanRef }),
      ...(extra.confirmedBy === undefined ? {} : { confirmedBy: extra.confirmedBy }),
      castAt: now
    }, { disableValidation: true }))
    yield* emit(p.communityId, [
      { _tag: "VotingBallotCast", proposalId: p.id, votingUnitId: unit.id, choice, channel, byProxy, replaced },
      ...(unit.voted ? [] : [{ _tag: "VotingParticipationRecorded" as const, proposalId: p.id, residentId: principal }])
    ])
    return { receipt: undefined, receiptHash: undefined, replaced }
  })

const secretBallot = (
  p: Proposal,
  hash: string,
  choice: ChoiceValue,
  w: { readonly heads: number; readonly areaDm2: number; readonly weight: number; readonly affected: boolean }
) =>
  new SecretBallot({
    communityId: p.communityId,
    proposalId: p.id,
    receiptHash: hash,
    choice,
    heads: w.heads,
    areaDm2: w.areaDm2,
    weight: w.weight,
    affected: w.affected
  }, { disableValidation: true })

/** The secret bag as the next mix would leave it (pure fold, nothing written). */
const foldSecret = (p: Proposal) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    const pending = yield* store.listSecretBallots(p.communityId, p.id)
    const mixed = yield* store.listMixedBallots(p.communityId, p.id)
    const totals = yield* store.listSecretTotals(p.communityId, p.id)
    return { pending, ...Rules.foldSecretBallots(totals, mixed, pending) }
  })

/**
 * Mixes a secret vote's waiting ballots inside the current transaction: their
 * weights go into the per-choice totals, the ballots (receipt and choice) into
 * the mixed bag in a random order, retracted ballots leave it, and the
 * receipts are announced sorted. No-op when nothing waits.
 */
const mixSecret = (p: Proposal) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    const fold = yield* foldSecret(p)
    if (fold.pending.length === 0) return 0
    const shuffled = yield* Random.shuffle(fold.added)
    yield* store.applySecretMix(p.communityId, p.id, {
      pending: fold.pending.map((b) => b.receiptHash),
      retracted: fold.retracted,
      mixed: [...shuffled].map((b) => new MixedBallot({ communityId: p.communityId, proposalId: p.id, receiptHash: b.receiptHash, choice: b.choice }, { disableValidation: true })),
      totals: fold.totals.map((t) => new SecretTotal({ communityId: p.communityId, proposalId: p.id, ...t }, { disableValidation: true }))
    })
    yield* emit(p.communityId, [{
      _tag: "VotingSecretBallotsMixed",
      proposalId: p.id,
      receiptHashes: fold.added.map((b) => b.receiptHash),
      retracted: [...fold.retracted].sort()
    }])
    return fold.pending.length
  })

/**
 * After a secret ballot was committed: mixes the proposal's waiting ballots in
 * a transaction of its own (never the voter's) once `secretMixEvery` have
 * gathered. A failure here loses nothing: the ballots wait for the next mix
 * (at the latest, the close).
 */
const mixIfDue = (c: CommunityId, proposalId: ProposalId) =>
  Effect.gen(function* () {
    const config = yield* VotingConfig
    const every = Math.max(1, config.secretMixEvery ?? 10)
    const store = yield* VotingStore
    if ((yield* store.listSecretBallots(c, proposalId)).length < every) return
    yield* transactionally(Effect.gen(function* () {
      const p = yield* loadProposal(c, proposalId, "update")
      if (!p.secret || p.status !== "open") return
      if ((yield* store.listSecretBallots(c, proposalId)).length < every) return
      yield* mixSecret(p)
    }))
  }).pipe(Effect.ignore)

/**
 * Mixes a secret vote's waiting ballots now, in a transaction of its own (for
 * a scheduler that mixes every T minutes as well as every K ballots). Returns
 * how many ballots were mixed.
 *
 * @since 0.2.0
 * @category commands
 */
export const mixSecretBallots = Effect.fn("voting.mixSecretBallots")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("voting.mixSecretBallots", ProposalRef)(input)
  yield* authorize(votingPermissions, "voting.closeProposal", actor, cmd.communityId)
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId, "update")
    if (!p.secret) return 0
    return yield* mixSecret(p)
  }))
})

/**
 * Casts a ballot for a voting unit through the online, SMS, on-site or
 * door-to-door channel. Residents vote online for themselves (or as a proxy
 * holder `onBehalfOf` a principal); staff record on-site and door-to-door
 * ballots; the system records SMS replies. One ballot per voting unit whatever
 * the channel, under the proposal's vote-change policy; an owner's own ballot
 * always replaces a proxy's. Refused after the deadline even before a sweep
 * closed the proposal. Secret votes return a receipt code.
 *
 * @since 0.1.0
 * @category commands
 */
export const castBallot = Effect.fn("voting.castBallot")(function* (actor: Actor, input: typeof CastBallotInput.Encoded) {
  const cmd = yield* decodeInput("voting.castBallot", CastBallotInput)(input)
  yield* authorize(votingPermissions, "voting.castBallot", actor, cmd.communityId, cmd.residentId)
  const channelOk =
    actor._tag === "Resident" ? cmd.channel === "online"
    : actor._tag === "Staff" ? cmd.channel === "on-site" || cmd.channel === "door-to-door"
    : cmd.channel === "sms" || cmd.channel === "online"
  if (!channelOk) {
    return yield* Effect.fail(new InvalidInput({
      command: "voting.castBallot",
      issues: [fieldIssue("channel", "enum", { "zh-CN": "该身份不能以此渠道投票", en: `a ${actor._tag.toLowerCase()} actor cannot record a ${cmd.channel} ballot` })]
    }))
  }
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId, "share")
    yield* checkOpen(p, now)
    yield* checkChoice(p, cmd.choice)
    const { unit, principal, byProxy } = yield* resolveUnit(p, "voting.castBallot", cmd.residentId, cmd.onBehalfOf, cmd.votingUnitId)
    const replaced = yield* admit(p, unit, byProxy, cmd.channel, cmd.previousReceipt)
    return yield* record(actor, p, unit, principal, byProxy, cmd.channel, cmd.choice, replaced, byProxy ? { proxyHolderId: cmd.residentId } : {})
  })).pipe(Effect.tap((r) => (r.receipt === undefined ? Effect.void : mixIfDue(cmd.communityId, cmd.proposalId))))
})

/**
 * A clerk enters a paper ballot with its scan reference. It counts only once
 * another staff member confirms it. In a secret vote the voting unit is marked
 * as voted now and the pending ballot names no one.
 *
 * @since 0.1.0
 * @category commands
 */
export const enterPaperBallot = Effect.fn("voting.enterPaperBallot")(function* (actor: Actor, input: typeof EnterPaperInput.Encoded) {
  const cmd = yield* decodeInput("voting.enterPaperBallot", EnterPaperInput)(input)
  yield* authorize(votingPermissions, "voting.enterPaperBallot", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId, "share")
    yield* checkOpen(p, now)
    yield* checkChoice(p, cmd.choice)
    // No time in the id: in a secret vote it would tell when the ballot was entered.
    const id = PaperBallotId.make(yield* newRandomId("paper"))
    let fields: {
      votingUnitId?: string
      voterId?: ResidentId
      onBehalfOf?: ResidentId
      heads: number
      areaDm2: number
      weight: number
      affected: boolean
    }
    if (cmd.correctionOf !== undefined) {
      const old = yield* store.getPaperBallot(p.communityId, p.id, cmd.correctionOf)
      if (Option.isNone(old) || old.value.status !== "rejected") {
        return yield* Effect.fail(new PendingConfirmation({ proposalId: p.id, reason: "not-pending", count: 0 }))
      }
      const o = old.value
      fields = {
        ...(o.votingUnitId === undefined ? {} : { votingUnitId: o.votingUnitId }),
        ...(o.voterId === undefined ? {} : { voterId: o.voterId }),
        ...(o.onBehalfOf === undefined ? {} : { onBehalfOf: o.onBehalfOf }),
        heads: o.heads,
        areaDm2: o.areaDm2,
        weight: o.weight,
        affected: o.affected
      }
      yield* store.updatePaperBallot(new PaperBallot({ ...o, status: "corrected" }, { disableValidation: true }))
    } else {
      if (cmd.residentId === undefined) {
        return yield* Effect.fail(new InvalidInput({ command: "voting.enterPaperBallot", issues: [fieldIssue("residentId", "required", { "zh-CN": "须填写填票人", en: "who filled in the ballot is required" })] }))
      }
      const { unit, principal, byProxy } = yield* resolveUnit(p, "voting.enterPaperBallot", cmd.residentId, cmd.onBehalfOf, cmd.votingUnitId)
      if (p.secret) {
        yield* admit(p, unit, byProxy, "paper", cmd.previousReceipt)
        yield* store.updateVotingUnit(new VotingUnit({ ...unit, voted: true, byProxy, channel: "paper", participantId: principal }, { disableValidation: true }))
        fields = { heads: unit.heads, areaDm2: unit.areaDm2, weight: unit.weight, affected: unit.affected }
      } else {
        // checked again at confirmation, when the ballot starts to count
        const d = Rules.castDecision(unit.voted ? { byProxy: unit.byProxy } : undefined, { byProxy, channel: "paper" }, p.voteChange)
        if (d === "already-voted") return yield* Effect.fail(new AlreadyVoted({ proposalId: p.id, reason: "no-change" }))
        if (d === "proxy-after-owner") return yield* Effect.fail(new AlreadyVoted({ proposalId: p.id, reason: "owner-voted" }))
        fields = {
          votingUnitId: unit.id,
          voterId: cmd.residentId,
          ...(byProxy ? { onBehalfOf: principal } : {}),
          heads: unit.heads,
          areaDm2: unit.areaDm2,
          weight: unit.weight,
          affected: unit.affected
        }
      }
    }
    const paper = new PaperBallot({
      communityId: p.communityId,
      proposalId: p.id,
      id,
      status: "pending",
      scanRef: cmd.scanRef,
      choice: cmd.choice,
      enteredBy: actorRef(actor),
      ...fields,
      ...(cmd.correctionOf === undefined ? {} : { correctionOf: cmd.correctionOf })
    }, { disableValidation: true })
    yield* store.insertPaperBallot(paper)
    yield* emit(p.communityId, [{
      _tag: "VotingPaperBallotEntered",
      proposalId: p.id,
      paperBallotId: id,
      scanRef: cmd.scanRef,
      ...(cmd.correctionOf === undefined ? {} : { correctionOf: cmd.correctionOf }),
      ...(p.secret || fields.votingUnitId === undefined ? {} : { votingUnitId: fields.votingUnitId }),
      by: actorRef(actor)
    }])
    return paper
  }))
})

/**
 * A second staff member (not the one who entered it) confirms a paper ballot,
 * which then counts, or rejects it with a reason (the clerk re-enters it with
 * `correctionOf`). Allowed after the deadline for ballots entered before it.
 *
 * @since 0.1.0
 * @category commands
 */
export const confirmPaperBallot = Effect.fn("voting.confirmPaperBallot")(function* (actor: Actor, input: typeof ConfirmPaperInput.Encoded) {
  const cmd = yield* decodeInput("voting.confirmPaperBallot", ConfirmPaperInput)(input)
  yield* authorize(votingPermissions, "voting.confirmPaperBallot", actor, cmd.communityId)
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId, "share")
    yield* requireStatus(p, "open")
    const found = yield* store.getPaperBallot(p.communityId, p.id, cmd.paperBallotId)
    if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "PaperBallot", id: cmd.paperBallotId }))
    const paper = found.value
    if (paper.status !== "pending") return yield* Effect.fail(new PendingConfirmation({ proposalId: p.id, reason: "not-pending", count: 0 }))
    if (paper.enteredBy === actorRef(actor)) return yield* Effect.fail(new PendingConfirmation({ proposalId: p.id, reason: "same-staff", count: 0 }))
    const by = actorRef(actor)
    yield* store.updatePaperBallot(new PaperBallot({
      ...paper,
      status: cmd.accept ? "confirmed" : "rejected",
      decidedBy: by,
      ...(cmd.reason === undefined ? {} : { reason: cmd.reason })
    }, { disableValidation: true }))
    yield* emit(p.communityId, [{
      _tag: "VotingPaperBallotReviewed",
      proposalId: p.id,
      paperBallotId: paper.id,
      accepted: cmd.accept,
      ...(cmd.reason === undefined ? {} : { reason: cmd.reason }),
      by
    }])
    if (!cmd.accept) return { receipt: undefined, receiptHash: undefined, replaced: false }
    if (p.secret) {
      const code = yield* newReceipt
      const hash = yield* receiptHash(p.id, code)
      yield* store.insertSecretBallot(secretBallot(p, hash, paper.choice, paper))
      yield* emit(p.communityId, [{ _tag: "VotingBallotCast", proposalId: p.id, replaced: false }])
      return { receipt: code, receiptHash: hash, replaced: false }
    }
    const unit = yield* store.getVotingUnit(p.communityId, p.id, paper.votingUnitId!)
    if (Option.isNone(unit)) return yield* Effect.fail(new NotFound({ entity: "VotingUnit", id: paper.votingUnitId! }))
    const byProxy = paper.onBehalfOf !== undefined
    const replaced = yield* admit(p, unit.value, byProxy, "paper", undefined)
    return yield* record(actor, p, unit.value, paper.onBehalfOf ?? paper.voterId!, byProxy, "paper", paper.choice, replaced, {
      scanRef: paper.scanRef,
      confirmedBy: by,
      castBy: paper.enteredBy,
      ...(byProxy ? { proxyHolderId: paper.voterId! } : {})
    })
  })).pipe(Effect.tap((r) => (r.receipt === undefined ? Effect.void : mixIfDue(cmd.communityId, cmd.proposalId))))
})

/**
 * Registers a proxy (委托投票) on a proposal with the authorisation document's
 * reference. The principal must be an owner; a holder may hold at most
 * `proxyLimit` principals; a principal has one active proxy at a time.
 *
 * @since 0.1.0
 * @category commands
 */
export const registerProxy = Effect.fn("voting.registerProxy")(function* (actor: Actor, input: typeof RegisterProxyInput.Encoded) {
  const cmd = yield* decodeInput("voting.registerProxy", RegisterProxyInput)(input)
  yield* authorize(votingPermissions, "voting.registerProxy", actor, cmd.communityId)
  const config = yield* VotingConfig
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const dir = yield* Directory
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review", "draft", "scheduled", "open")
    const principal = yield* dir.getResident(cmd.communityId, cmd.principalId)
    yield* dir.getResident(cmd.communityId, cmd.holderId)
    if (principal.kind !== "owner" || cmd.principalId === cmd.holderId) {
      return yield* Effect.fail(new NotEligible({ proposalId: p.id, residentId: cmd.principalId }))
    }
    const existing = yield* store.getProxy(cmd.communityId, p.id, cmd.principalId)
    if (Option.isSome(existing) && !existing.value.revoked) {
      return yield* Effect.fail(new AlreadyExists({ entity: "Proxy", id: cmd.principalId }))
    }
    const held = (yield* store.listProxiesByHolder(cmd.communityId, p.id, cmd.holderId)).filter((x) => !x.revoked)
    if (held.length >= config.proxyLimit) {
      return yield* Effect.fail(new ProxyLimitExceeded({ holderId: cmd.holderId, limit: config.proxyLimit }))
    }
    const proxy = new ProxyGrant({
      communityId: cmd.communityId,
      proposalId: p.id,
      principalId: cmd.principalId,
      holderId: cmd.holderId,
      documentRef: cmd.documentRef,
      registeredBy: actorRef(actor),
      revoked: false
    })
    yield* store.putProxy(proxy)
    yield* emit(cmd.communityId, [{
      _tag: "VotingProxyRegistered",
      proposalId: p.id,
      principalId: cmd.principalId,
      holderId: cmd.holderId,
      documentRef: cmd.documentRef,
      by: actorRef(actor)
    }])
    return proxy
  }))
})

/**
 * Revokes a principal's active proxy. A ballot the proxy already cast stays
 * until the owner votes themselves.
 *
 * @since 0.1.0
 * @category commands
 */
export const revokeProxy = Effect.fn("voting.revokeProxy")(function* (actor: Actor, input: typeof RevokeProxyInput.Encoded) {
  const cmd = yield* decodeInput("voting.revokeProxy", RevokeProxyInput)(input)
  yield* authorize(votingPermissions, "voting.revokeProxy", actor, cmd.communityId)
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const existing = yield* store.getProxy(cmd.communityId, cmd.proposalId, cmd.principalId)
    if (Option.isNone(existing) || existing.value.revoked) {
      return yield* Effect.fail(new NotFound({ entity: "Proxy", id: cmd.principalId }))
    }
    const proxy = new ProxyGrant({ ...existing.value, revoked: true, revokedBy: actorRef(actor), revokeReason: cmd.reason })
    yield* store.putProxy(proxy)
    yield* emit(cmd.communityId, [{
      _tag: "VotingProxyRevoked",
      proposalId: cmd.proposalId,
      principalId: cmd.principalId,
      reason: cmd.reason,
      by: actorRef(actor)
    }])
    return proxy
  }))
})

/**
 * The result of counting a proposal: a yes/no decision, or an option count
 * (single, multiple, approval, score, IRV, STV) with the participation quorum.
 *
 * @since 0.1.0
 * @category views
 */
export type TallyResult =
  | { readonly kind: "yes-no"; readonly outcome: Rules.Outcome; readonly decision: Rules.Decision }
  | {
    readonly kind: "options"
    readonly outcome: Rules.Outcome
    readonly quorum: ReadonlyArray<Rules.CriterionResult>
    readonly count: Rules.OptionCount | Rules.IrvResult | Rules.StvResult
    readonly notice: { readonly "zh-CN": string; readonly en: string }
  }

/**
 * Counts a proposal from its electorate (non-voters) and its ballots as they
 * appear on the bulletin board. Pure: `verifyTally` and any member of the
 * public recompute the result with it.
 *
 * @since 0.1.0
 * @category tally
 */
export const countProposal = (
  p: Pick<Proposal, "ballot" | "rule" | "tallyMeasure">,
  nonVoters: ReadonlyArray<{ readonly heads: number; readonly areaDm2: number; readonly weight: number; readonly affected: boolean }>,
  ballots: ReadonlyArray<Omit<BulletinLine, "receiptHash" | "choice"> & { readonly choice: ChoiceValue }>
): TallyResult => {
  const votes: Array<Rules.UnitVote> = nonVoters.map((u) => ({ heads: u.heads, areaDm2: u.areaDm2, weight: u.weight, affected: u.affected, choice: undefined }))
  if (p.ballot.type === "yes-no") {
    for (const b of ballots) {
      votes.push({ heads: b.heads, areaDm2: b.areaDm2, weight: b.weight, affected: b.affected, choice: b.choice.type === "yes-no" ? b.choice.value : undefined })
    }
    const decision = Rules.decide(p.rule, Rules.tallyUnits(votes))
    return { kind: "yes-no", outcome: decision.outcome, decision }
  }
  for (const b of ballots) votes.push({ heads: b.heads, areaDm2: b.areaDm2, weight: b.weight, affected: b.affected, choice: "abstain" })
  const participation = Rules.decide({ ...p.rule, approval: [], affectedMustConsent: false, abstentionsParticipate: true, deemedConsent: undefined }, Rules.tallyUnits(votes))
  const quorum = participation.actual.criteria
  const w = (b: { readonly heads: number; readonly areaDm2: number; readonly weight: number }) =>
    p.tallyMeasure === "area" ? b.areaDm2 : p.tallyMeasure === "weight" ? b.weight : b.heads
  const spec = p.ballot
  let count: Rules.OptionCount | Rules.IrvResult | Rules.StvResult
  let tie: boolean
  let summary: string
  if (spec.type === "ranked") {
    const ranked = ballots.map((b) => ({ ranking: b.choice.type === "ranked" ? b.choice.ranking : [], weight: w(b) }))
    if (spec.method === "irv") {
      const r = Rules.instantRunoff(spec.options, ranked)
      count = r
      tie = r.winner === undefined
      summary = r.winner ?? `tie: ${(r.tie ?? []).join(", ")}`
    } else {
      const r = Rules.singleTransferableVote(spec.options, ranked, spec.seats)
      count = r
      tie = r.tie !== undefined
      summary = r.tie === undefined ? r.elected.join(", ") : `tie: ${r.tie.join(", ")}`
    }
  } else {
    const r = Rules.countOptions(spec, ballots.map((b) => ({ choice: b.choice, weight: w(b) })))
    count = r
    tie = r.tie
    summary = r.tie ? `tie: ${r.leaders.join(", ")}` : r.leaders.join(", ")
  }
  const outcome: Rules.Outcome = participation.outcome === "failed-quorum" ? "failed-quorum" : tie ? "rejected" : "passed"
  const lines = (l: "zh-CN" | "en") => quorum.map((c) => `  - ${c.text[l]}`).join("\n")
  return {
    kind: "options",
    outcome,
    quorum,
    count,
    notice: {
      "zh-CN": `结果：${outcome === "failed-quorum" ? "参与不足，表决无效" : tie ? "出现平局，需另行决定" : `当选/胜出：${summary}`}\n${lines("zh-CN")}`,
      en: `Result: ${outcome === "failed-quorum" ? "failed quorum" : tie ? `unresolved ${summary}` : `winner(s): ${summary}`}\n${lines("en")}`
    }
  }
}

const loadBallots = (p: Proposal) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    const units = yield* store.listVotingUnits(p.communityId, p.id)
    if (p.secret) {
      // Counted from the per-choice totals (as the next mix would leave them): one line per
      // choice and affectedness, carrying the sums. No ballot carries its unit's weights.
      const fold = yield* foldSecret(p)
      const ballots = fold.totals.map((t) => ({
        receiptHash: "",
        choice: t.choice,
        heads: t.heads,
        areaDm2: t.areaDm2,
        weight: t.weight,
        affected: t.affected
      }))
      return {
        units,
        nonVoters: units.filter((u) => !u.voted),
        ballots: ballots as ReadonlyArray<BulletinLine | (OpenBallot & BulletinLine)>,
        count: fold.totals.reduce((n, t) => n + t.ballots, 0),
        bag: fold.bag,
        totals: fold.totals
      }
    }
    const open = yield* store.listOpenBallots(p.communityId, p.id)
    const byId = new Map(units.map((u) => [u.id, u]))
    const withWeights = open.map((b) => {
      const u = byId.get(b.votingUnitId)!
      return { ...b, heads: u.heads, areaDm2: u.areaDm2, weight: u.weight, affected: u.affected, receiptHash: "" }
    })
    const voted = new Set(open.map((b) => b.votingUnitId))
    return { units, nonVoters: units.filter((u) => !voted.has(u.id)), ballots: withWeights, count: withWeights.length, bag: undefined, totals: undefined }
  })

const closeOne = (actor: Actor, p: Proposal, now: number) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    yield* requireStatus(p, "open")
    const pending = (yield* store.listPaperBallots(p.communityId, p.id)).filter(
      (b) => b.status === "pending" || (p.secret && b.status === "rejected")
    )
    if (pending.length > 0) {
      return yield* Effect.fail(new PendingConfirmation({ proposalId: p.id, reason: "paper-ballots-pending", count: pending.length }))
    }
    // Everything still waiting is mixed now, in the close's transaction (no voter's).
    if (p.secret) yield* mixSecret(p)
    const { units, nonVoters, ballots, count: ballotCount } = yield* loadBallots(p)
    const result = countProposal(p, nonVoters, ballots)
    const early = p.closesAt !== undefined && now < p.closesAt
    const period = p.objectionPeriodMs ?? 0
    const objectionEndsAt = now + period
    const next = yield* save(p, {
      status: period > 0 ? "closed" : "decided",
      closedAt: now,
      outcome: result.outcome,
      result: toJson(result),
      ...(period > 0 ? { objectionEndsAt } : {})
    })
    const participations = p.secret
      ? units
        .filter((u) => u.voted && u.participantId !== undefined)
        .map((u) => u.participantId!)
        .sort()
        .map((residentId) => ({ _tag: "VotingParticipationRecorded" as const, proposalId: p.id, residentId }))
      : []
    const { notice, withoutDeemed } = explain(result)
    yield* emit(p.communityId, [
      { _tag: "VotingProposalClosed", proposalId: p.id, early, ballots: ballotCount, by: actorRef(actor) },
      ...participations,
      period > 0
        ? {
          _tag: "VotingPreliminaryResult" as const,
          proposalId: p.id,
          outcome: result.outcome,
          ...(withoutDeemed === undefined ? {} : { outcomeWithoutDeemed: withoutDeemed }),
          objectionEndsAt,
          recount: false,
          notice
        }
        : {
          _tag: "VotingProposalDecided" as const,
          proposalId: p.id,
          outcome: result.outcome,
          ...(p.proposerId === undefined ? {} : { proposerId: p.proposerId }),
          ...(withoutDeemed === undefined ? {} : { outcomeWithoutDeemed: withoutDeemed }),
          notice
        }
    ])
    return { proposal: next, result }
  })

/** The notice and the deemed-free outcome of a counted result. */
const explain = (result: TallyResult) => ({
  notice: result.kind === "yes-no" ? result.decision.notice : result.notice,
  withoutDeemed: result.kind === "yes-no" && result.decision.deemed !== undefined ? result.decision.actual.outcome : undefined
})

/** Whether the participation quorum failed (without any deemed votes). */
const turnoutShort = (result: TallyResult): boolean =>
  (result.kind === "yes-no" ? result.decision.actual.outcome : result.outcome) === "failed-quorum"

/**
 * At the deadline, with `autoExtendMs > 0`: when the participation quorum is
 * not met and the proposal was not extended automatically before, moves the
 * deadline to `max(deadline, now) + autoExtendMs`, audited like a manual
 * extension. Returns the extended proposal, or `undefined` when it does not apply.
 */
const autoExtend = (actor: Actor, p: Proposal, now: number) =>
  Effect.gen(function* () {
    const config = yield* VotingConfig
    if (config.autoExtendMs <= 0 || p.status !== "open" || p.closesAt === undefined || now < p.closesAt) return undefined
    if (p.extensions.some((e) => e.automatic === true)) return undefined
    const { nonVoters, ballots } = yield* loadBallots(p)
    if (!turnoutShort(countProposal(p, nonVoters, ballots))) return undefined
    const from = p.closesAt
    const to = Math.max(from, now) + config.autoExtendMs
    const reason = "automatic: participation quorum not met at the deadline / 截止时参与表决未达法定比例，自动延期"
    const next = yield* save(p, { closesAt: to, extensions: [...p.extensions, { from, to, reason, by: actorRef(actor), automatic: true }] })
    yield* emit(p.communityId, [{ _tag: "VotingProposalExtended", proposalId: p.id, from, to, reason, by: actorRef(actor), automatic: true }])
    return next
  })

const toJson = (u: unknown): unknown => JSON.parse(JSON.stringify(u))

/**
 * Closes an open proposal (early, or after its deadline) with the explained
 * result: decided at once when the proposal has no objection period, else a
 * preliminary result (`closed`) until {@link finalizeProposal}. Never extends
 * automatically (that is the sweep's, {@link closeDue}). Refused
 * while paper ballots await confirmation. In a secret vote, every
 * participation is recorded now, sorted by resident id.
 *
 * @since 0.1.0
 * @category commands
 */
export const closeProposal = Effect.fn("voting.closeProposal")(function* (actor: Actor, input: typeof ProposalRef.Encoded) {
  const cmd = yield* decodeInput("voting.closeProposal", ProposalRef)(input)
  yield* authorize(votingPermissions, "voting.closeProposal", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.flatMap(loadProposal(cmd.communityId, cmd.proposalId), (p) => closeOne(actor, p, now)))
})

/**
 * Closes every open proposal of a community whose deadline is at or before
 * `now` (default: the clock), each in its own transaction, for a scheduler.
 * Proposals with paper ballots awaiting confirmation are skipped and listed.
 * With `autoExtendMs` configured, a proposal whose participation quorum is
 * not met is extended once instead of closed (listed in `extended`).
 *
 * @since 0.1.0
 * @category commands
 */
export const closeDue = Effect.fn("voting.closeDue")(function* (actor: Actor, communityId: CommunityId, now?: number) {
  yield* authorize(votingPermissions, "voting.closeDue", actor, communityId)
  const at = now ?? (yield* Clock.currentTimeMillis)
  const store = yield* VotingStore
  const open = yield* store.listProposals(communityId, "open")
  const closed: Array<ProposalId> = []
  const extended: Array<ProposalId> = []
  const skipped: Array<{ readonly proposalId: ProposalId; readonly reason: string }> = []
  for (const p of open) {
    if (p.closesAt === undefined || p.closesAt > at) continue
    const r = yield* Effect.either(transactionally(Effect.flatMap(loadProposal(communityId, p.id), (fresh) =>
      Effect.flatMap(autoExtend(actor, fresh, at), (ext) => ext === undefined ? Effect.as(closeOne(actor, fresh, at), "closed" as const) : Effect.succeed("extended" as const))
    )))
    if (r._tag === "Right") (r.right === "closed" ? closed : extended).push(p.id)
    else skipped.push({ proposalId: p.id, reason: (r.left as { readonly code: string }).code })
  }
  return { closed, extended, skipped }
})

/**
 * Withdraws a proposal that is not decided yet.
 *
 * @since 0.1.0
 * @category commands
 */
export const withdrawProposal = Effect.fn("voting.withdrawProposal")(function* (actor: Actor, input: typeof ProposalRef.Encoded) {
  const cmd = yield* decodeInput("voting.withdrawProposal", ProposalRef)(input)
  yield* authorize(votingPermissions, "voting.withdrawProposal", actor, cmd.communityId)
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review", "draft", "scheduled", "open")
    const next = yield* save(p, { status: "withdrawn" })
    yield* emit(p.communityId, [{
      _tag: "VotingProposalWithdrawn",
      proposalId: p.id,
      ...(cmd.reason === undefined ? {} : { reason: cmd.reason }),
      by: actorRef(actor)
    }])
    return next
  }))
})

/**
 * A proposal, for anyone in the community.
 *
 * @since 0.1.0
 * @category queries
 */
export const getProposal = Effect.fn("voting.getProposal")(function* (actor: Actor, communityId: CommunityId, proposalId: ProposalId) {
  yield* authorize(votingPermissions, "voting.read", actor, communityId)
  return yield* loadProposal(communityId, proposalId)
})

/**
 * The public bulletin board: in a secret vote, every anonymous ballot by
 * receipt hash (choices shown only once the proposal is decided); in an open
 * vote, every ballot by voting unit. Plus the electorate's non-voters'
 * weights, so anyone can recompute the result with {@link countProposal}.
 *
 * @since 0.1.0
 * @category queries
 */
export const bulletinBoard = Effect.fn("voting.bulletinBoard")(function* (actor: Actor, communityId: CommunityId, proposalId: ProposalId) {
  yield* authorize(votingPermissions, "voting.read", actor, communityId)
  const p = yield* loadProposal(communityId, proposalId)
  const { nonVoters, ballots, bag, totals } = yield* loadBallots(p)
  const reveal = p.status === "decided" || p.status === "closed" || !p.secret
  if (bag !== undefined) {
    // Secret: each ballot by receipt hash with its choice, and the weights only as per-choice sums.
    return {
      proposalId,
      secret: p.secret,
      lines: bag.map((b) => ({ receiptHash: b.receiptHash, ...(reveal ? { choice: b.choice } : {}) })),
      totals: reveal ? totals.map((t) => ({ choice: t.choice, affected: t.affected, ballots: t.ballots, heads: t.heads, areaDm2: t.areaDm2, weight: t.weight })) : [],
      nonVoters: nonVoters.map((u) => ({ heads: u.heads, areaDm2: u.areaDm2, weight: u.weight, affected: u.affected }))
    }
  }
  return {
    proposalId,
    secret: p.secret,
    totals: undefined,
    lines: ballots.map((b) => ({
      receiptHash: b.receiptHash,
      ...("votingUnitId" in b ? { votingUnitId: b.votingUnitId } : {}),
      ...(reveal ? { choice: b.choice } : {}),
      heads: b.heads,
      areaDm2: b.areaDm2,
      weight: b.weight,
      affected: b.affected
    })),
    nonVoters: nonVoters.map((u) => ({ heads: u.heads, areaDm2: u.areaDm2, weight: u.weight, affected: u.affected }))
  }
})

/**
 * Recomputes a result from a bulletin board (the lines of an open vote, the
 * per-choice totals of a secret one): what anyone can check against the
 * announced outcome.
 *
 * @since 0.2.0
 * @category queries
 */
export const countBulletinBoard = (
  p: Pick<Proposal, "ballot" | "rule" | "tallyMeasure">,
  board: {
    readonly nonVoters: ReadonlyArray<{ readonly heads: number; readonly areaDm2: number; readonly weight: number; readonly affected: boolean }>
    readonly totals?: ReadonlyArray<{ readonly choice: ChoiceValue; readonly heads: number; readonly areaDm2: number; readonly weight: number; readonly affected: boolean }> | undefined
    readonly lines: ReadonlyArray<{ readonly choice?: ChoiceValue; readonly heads?: number; readonly areaDm2?: number; readonly weight?: number; readonly affected?: boolean }>
  }
): TallyResult =>
  countProposal(
    p,
    board.nonVoters,
    board.totals !== undefined
      ? board.totals
      : board.lines.flatMap((l) =>
        l.choice === undefined ? [] : [{ choice: l.choice, heads: l.heads ?? 0, areaDm2: l.areaDm2 ?? 0, weight: l.weight ?? 0, affected: l.affected ?? false }]
      )
  )

/**
 * Recomputes a closed (preliminary) or decided proposal's result from its public bulletin board and
 * checks it against the stored outcome and the journal: the hash chain
 * verifies, the decision event matches, every anonymous ballot's receipt was
 * announced by a `VotingBallotCast` event, and the ballots number the units
 * marked as voted.
 *
 * @since 0.1.0
 * @category queries
 */
export const verifyTally = Effect.fn("voting.verifyTally")(function* (actor: Actor, communityId: CommunityId, proposalId: ProposalId) {
  yield* authorize(votingPermissions, "voting.read", actor, communityId)
  const p = yield* loadProposal(communityId, proposalId)
  yield* requireStatus(p, "closed", "decided")
  const { units, nonVoters, ballots, count: ballotCount, bag, totals } = yield* loadBallots(p)
  const recomputed = countProposal(p, nonVoters, ballots)
  const journal: VerifyResult = yield* verifyJournal(communityId)
  const decode = decodeEntry(VotingEvent)
  const announced = new Set<string>()
  let decidedOutcome: string | undefined
  let countedOutcome: string | undefined
  for (const e of yield* readJournal(communityId)) {
    const ev = Option.getOrUndefined(decode(e))
    if (ev === undefined || !("proposalId" in ev) || ev.proposalId !== proposalId) continue
    if (ev._tag === "VotingBallotCast" && ev.receiptHash !== undefined) announced.add(ev.receiptHash)
    if (ev._tag === "VotingSecretBallotsMixed") {
      for (const h of ev.receiptHashes) announced.add(h)
      for (const h of ev.retracted) announced.delete(h)
    }
    if (ev._tag === "VotingProposalDecided") decidedOutcome = ev.outcome
    if (ev._tag === "VotingPreliminaryResult") countedOutcome = ev.outcome
  }
  const problems: Array<string> = []
  if (!journal.ok) problems.push(`journal chain broken at entry ${journal.index} (${journal.reason})`)
  // A void vote keeps its last count (for the record) next to the `void` outcome.
  const counted = p.outcome === "void" ? countedOutcome ?? (p.result as { readonly outcome?: string } | undefined)?.outcome : p.outcome
  if (recomputed.outcome !== counted) problems.push(`recomputed outcome ${recomputed.outcome} differs from stored ${counted}`)
  if (p.status === "closed") {
    if (countedOutcome !== p.outcome) problems.push(`journal preliminary outcome ${countedOutcome} differs from stored ${p.outcome}`)
  } else if (decidedOutcome !== p.outcome) problems.push(`journal outcome ${decidedOutcome} differs from stored ${p.outcome}`)
  if (bag !== undefined) {
    for (const b of bag) if (!announced.has(b.receiptHash)) problems.push(`ballot ${b.receiptHash} was never announced`)
    if (announced.size !== bag.length) problems.push(`${announced.size} ballots announced, ${bag.length} in the bag`)
    // Every choice's ballots in the bag number what its totals say.
    const inBag = new Map<string, number>()
    for (const b of bag) inBag.set(Rules.choiceKey(b.choice), (inBag.get(Rules.choiceKey(b.choice)) ?? 0) + 1)
    const inTotals = new Map<string, number>()
    for (const t of totals) inTotals.set(t.choiceKey, (inTotals.get(t.choiceKey) ?? 0) + t.ballots)
    for (const [k, n] of new Set([...inBag, ...inTotals].map(([k]) => k)).entries()) {
      if ((inBag.get(k) ?? 0) !== (inTotals.get(k) ?? 0)) problems.push(`choice ${n}: ${inBag.get(k) ?? 0} ballots in the bag, ${inTotals.get(k) ?? 0} in the totals`)
    }
  }
  const votedUnits = units.filter((u) => u.voted).length
  if (votedUnits !== ballotCount) problems.push(`${ballotCount} ballots for ${votedUnits} voting units marked as voted`)
  return { ok: problems.length === 0, outcome: recomputed.outcome, problems, journal }
})

/**
 * A voter checks that their secret ballot is on the bulletin board: returns
 * the line for their receipt code, if any.
 *
 * @since 0.1.0
 * @category queries
 */
export const checkReceipt = Effect.fn("voting.checkReceipt")(function* (
  actor: Actor,
  communityId: CommunityId,
  proposalId: ProposalId,
  code: string
) {
  yield* authorize(votingPermissions, "voting.read", actor, communityId)
  const hash = yield* receiptHash(proposalId, code)
  const store = yield* VotingStore
  const waiting = yield* store.getSecretBallot(communityId, proposalId, hash)
  if (Option.isSome(waiting)) return waiting.value.retraction !== true
  return Option.isSome(yield* store.getMixedBallot(communityId, proposalId, hash))
})

/**
 * Schema of the value {@link closeDue} returns (for integrators' schedulers).
 *
 * @since 0.1.0
 * @category views
 */
export const CloseDueResult = Schema.Struct({
  closed: Schema.Array(ProposalId),
  extended: Schema.Array(ProposalId),
  skipped: Schema.Array(Schema.Struct({ proposalId: ProposalId, reason: Schema.String }))
})

// ---------------------------------------------------------------------------
// Objection period and the final result
// ---------------------------------------------------------------------------

const storedResult = (p: Proposal) => p.result as TallyResult

const finalizeOne = (actor: Actor, p: Proposal, now: number) =>
  Effect.gen(function* () {
    const store = yield* VotingStore
    yield* requireStatus(p, "closed")
    const endsAt = p.objectionEndsAt ?? 0
    if (now < endsAt) return yield* Effect.fail(new ObjectionPeriod({ proposalId: p.id, reason: "running", endsAt, count: 0 }))
    const pending = yield* store.listObjections(p.communityId, p.id, "pending")
    if (pending.length > 0) {
      return yield* Effect.fail(new ObjectionPeriod({ proposalId: p.id, reason: "objections-pending", endsAt, count: pending.length }))
    }
    const next = yield* save(p, { status: "decided" })
    const { notice, withoutDeemed } = explain(storedResult(p))
    yield* emit(p.communityId, [{
      _tag: "VotingProposalDecided",
      proposalId: p.id,
      outcome: p.outcome!,
      ...(p.proposerId === undefined ? {} : { proposerId: p.proposerId }),
      ...(withoutDeemed === undefined ? {} : { outcomeWithoutDeemed: withoutDeemed }),
      notice
    }])
    return next
  })

/**
 * Makes a closed proposal's preliminary result final once its objection
 * period is over and no objection is pending (`VOTING_OBJECTION_PERIOD`
 * otherwise). Emits `VotingProposalDecided`.
 *
 * @since 0.1.0
 * @category commands
 */
export const finalizeProposal = Effect.fn("voting.finalizeProposal")(function* (actor: Actor, input: typeof ProposalRef.Encoded) {
  const cmd = yield* decodeInput("voting.finalizeProposal", ProposalRef)(input)
  yield* authorize(votingPermissions, "voting.finalize", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.flatMap(loadProposal(cmd.communityId, cmd.proposalId), (p) => finalizeOne(actor, p, now)))
})

/**
 * Finalizes every closed proposal of a community whose objection period ended
 * at or before `now` (default: the clock), each in its own transaction, for a
 * scheduler. Proposals with pending objections are skipped and listed.
 *
 * @since 0.1.0
 * @category commands
 */
export const finalizeDue = Effect.fn("voting.finalizeDue")(function* (actor: Actor, communityId: CommunityId, now?: number) {
  yield* authorize(votingPermissions, "voting.finalize", actor, communityId)
  const at = now ?? (yield* Clock.currentTimeMillis)
  const store = yield* VotingStore
  const finalized: Array<ProposalId> = []
  const skipped: Array<{ readonly proposalId: ProposalId; readonly reason: string }> = []
  for (const p of yield* store.listProposals(communityId, "closed")) {
    if ((p.objectionEndsAt ?? 0) > at) continue
    const r = yield* Effect.either(transactionally(Effect.flatMap(loadProposal(communityId, p.id), (fresh) => finalizeOne(actor, fresh, at))))
    if (r._tag === "Right") finalized.push(p.id)
    else skipped.push({ proposalId: p.id, reason: (r.left as { readonly code: string }).code })
  }
  return { finalized, skipped }
})

/**
 * A resident objects (异议) to a closed proposal's preliminary result, with a
 * reason, before the objection period ends.
 *
 * @since 0.1.0
 * @category commands
 */
export const fileObjection = Effect.fn("voting.fileObjection")(function* (actor: Actor, input: typeof FileObjectionInput.Encoded) {
  const cmd = yield* decodeInput("voting.fileObjection", FileObjectionInput)(input)
  yield* authorize(votingPermissions, "voting.fileObjection", actor, cmd.communityId, cmd.residentId)
  const now = yield* Clock.currentTimeMillis
  const id = ObjectionId.make(yield* newId("obj"))
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "closed")
    const endsAt = p.objectionEndsAt ?? 0
    if (now >= endsAt) return yield* Effect.fail(new ObjectionPeriod({ proposalId: p.id, reason: "over", endsAt, count: 0 }))
    const objection = new Objection({
      communityId: p.communityId,
      proposalId: p.id,
      id,
      residentId: cmd.residentId,
      reason: cmd.reason,
      filedAt: now,
      status: "pending"
    }, { disableValidation: true })
    yield* (yield* VotingStore).insertObjection(objection)
    yield* emit(p.communityId, [{ _tag: "VotingObjectionFiled", proposalId: p.id, objectionId: id, residentId: cmd.residentId, reason: cmd.reason }])
    return objection
  }))
})

/**
 * The committee resolves a pending objection: `dismissed`; `upheld-recount`
 * (the proposal is counted again from the stored ballots and the new
 * preliminary result replaces the old one, same objection period); or
 * `upheld-void` (the vote is void: decided with outcome `void`). Allowed while
 * the proposal is `closed`, also after the period ended.
 *
 * @since 0.1.0
 * @category commands
 */
export const resolveObjection = Effect.fn("voting.resolveObjection")(function* (actor: Actor, input: typeof ResolveObjectionInput.Encoded) {
  const cmd = yield* decodeInput("voting.resolveObjection", ResolveObjectionInput)(input)
  yield* authorize(votingPermissions, "voting.resolveObjection", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "closed")
    const found = yield* store.getObjection(p.communityId, p.id, cmd.objectionId)
    if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "Objection", id: cmd.objectionId }))
    if (found.value.status !== "pending") {
      return yield* Effect.fail(new ObjectionPeriod({ proposalId: p.id, reason: "not-pending", endsAt: p.objectionEndsAt ?? 0, count: 0 }))
    }
    const by = actorRef(actor)
    const objection = new Objection({ ...found.value, status: cmd.decision, resolvedBy: by, resolvedAt: now, resolution: cmd.reason }, { disableValidation: true })
    yield* store.updateObjection(objection)
    yield* emit(p.communityId, [{ _tag: "VotingObjectionResolved", proposalId: p.id, objectionId: objection.id, decision: cmd.decision, reason: cmd.reason, by }])
    let proposal = p
    if (cmd.decision === "upheld-recount") {
      const { nonVoters, ballots } = yield* loadBallots(p)
      const result = countProposal(p, nonVoters, ballots)
      proposal = yield* save(p, { outcome: result.outcome, result: toJson(result) })
      const { notice, withoutDeemed } = explain(result)
      yield* emit(p.communityId, [{
        _tag: "VotingPreliminaryResult",
        proposalId: p.id,
        outcome: result.outcome,
        ...(withoutDeemed === undefined ? {} : { outcomeWithoutDeemed: withoutDeemed }),
        objectionEndsAt: p.objectionEndsAt ?? now,
        recount: true,
        notice
      }])
    } else if (cmd.decision === "upheld-void") {
      proposal = yield* save(p, { status: "decided", outcome: "void" })
      yield* emit(p.communityId, [{
        _tag: "VotingProposalDecided",
        proposalId: p.id,
        outcome: "void",
        ...(p.proposerId === undefined ? {} : { proposerId: p.proposerId }),
        notice: {
          "zh-CN": `结果：表决无效（异议成立：${cmd.reason}）`,
          en: `Result: VOID (objection upheld: ${cmd.reason})`
        }
      }])
    }
    return { objection, proposal }
  }))
})

// ---------------------------------------------------------------------------
// Deliberation: threads, amendments, negotiation rounds
// ---------------------------------------------------------------------------

/**
 * Posts to a proposal's discussion thread (or replies to a post of it).
 * Residents post for themselves (`authorId`); staff under their own name.
 * Open from review until the proposal is decided or withdrawn.
 *
 * @since 0.1.0
 * @category commands
 */
export const postToThread = Effect.fn("voting.postToThread")(function* (actor: Actor, input: typeof PostInput.Encoded) {
  const cmd = yield* decodeInput("voting.postToThread", PostInput)(input)
  yield* authorize(votingPermissions, "voting.post", actor, cmd.communityId, cmd.authorId)
  const now = yield* Clock.currentTimeMillis
  const id = PostId.make(yield* newId("post"))
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review", "draft", "scheduled", "open", "closed")
    if (cmd.replyTo !== undefined && Option.isNone(yield* store.getPost(p.communityId, p.id, cmd.replyTo))) {
      return yield* Effect.fail(new NotFound({ entity: "Post", id: cmd.replyTo }))
    }
    const post = new Post({
      communityId: p.communityId,
      proposalId: p.id,
      id,
      ...(cmd.replyTo === undefined ? {} : { replyTo: cmd.replyTo }),
      author: actorRef(actor),
      body: cmd.body,
      postedAt: now,
      hidden: false
    }, { disableValidation: true })
    yield* store.insertPost(post)
    yield* emit(p.communityId, [{
      _tag: "VotingPostAdded",
      proposalId: p.id,
      postId: id,
      ...(cmd.replyTo === undefined ? {} : { replyTo: cmd.replyTo }),
      author: post.author,
      body: post.body
    }])
    return post
  }))
})

/**
 * A moderator hides a post with a reason. Nothing is deleted: the post stays
 * in the store and the journal, and the thread shows it as hidden with the reason.
 *
 * @since 0.1.0
 * @category commands
 */
export const hidePost = Effect.fn("voting.hidePost")(function* (actor: Actor, input: typeof HidePostInput.Encoded) {
  const cmd = yield* decodeInput("voting.hidePost", HidePostInput)(input)
  yield* authorize(votingPermissions, "voting.moderate", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    const found = yield* store.getPost(p.communityId, p.id, cmd.postId)
    if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "Post", id: cmd.postId }))
    if (found.value.hidden) return yield* Effect.fail(new Conflict({ entity: "Post", id: cmd.postId, detail: "already hidden" }))
    const post = new Post({ ...found.value, hidden: true, hiddenReason: cmd.reason, hiddenBy: actorRef(actor), hiddenAt: now }, { disableValidation: true })
    yield* store.updatePost(post)
    yield* emit(p.communityId, [{ _tag: "VotingPostHidden", proposalId: p.id, postId: post.id, reason: cmd.reason, by: actorRef(actor) }])
    return post
  }))
})

/**
 * One post as the thread shows it: a hidden post keeps its place, author and
 * time, and shows the moderator's reason instead of its text.
 *
 * @since 0.1.0
 * @category views
 */
export interface ThreadPost {
  readonly id: PostId
  readonly replyTo?: PostId
  readonly author: string
  readonly postedAt: number
  readonly hidden: boolean
  readonly body?: string
  readonly hiddenReason?: string
}

/**
 * A proposal's discussion thread in posting order, hidden posts shown as hidden with the reason.
 *
 * @since 0.1.0
 * @category queries
 */
export const thread = Effect.fn("voting.thread")(function* (actor: Actor, communityId: CommunityId, proposalId: ProposalId) {
  yield* authorize(votingPermissions, "voting.read", actor, communityId)
  yield* loadProposal(communityId, proposalId)
  const posts = yield* Effect.flatMap(VotingStore, (s) => s.listPosts(communityId, proposalId))
  return posts.map((x): ThreadPost => ({
    id: x.id,
    ...(x.replyTo === undefined ? {} : { replyTo: x.replyTo }),
    author: x.author,
    postedAt: x.postedAt,
    hidden: x.hidden,
    ...(x.hidden ? { hiddenReason: x.hiddenReason ?? "" } : { body: x.body })
  }))
})

/**
 * Proposes a change of a proposal's text (and title) while it is in review,
 * draft or scheduled. Residents propose for themselves (`residentId`).
 *
 * @since 0.1.0
 * @category commands
 */
export const proposeAmendment = Effect.fn("voting.proposeAmendment")(function* (actor: Actor, input: typeof ProposeAmendmentInput.Encoded) {
  const cmd = yield* decodeInput("voting.proposeAmendment", ProposeAmendmentInput)(input)
  yield* authorize(votingPermissions, "voting.proposeAmendment", actor, cmd.communityId, cmd.residentId)
  const now = yield* Clock.currentTimeMillis
  const id = AmendmentId.make(yield* newId("amend"))
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review", "draft", "scheduled")
    const amendment = new Amendment({
      communityId: p.communityId,
      proposalId: p.id,
      id,
      ...(cmd.title === undefined ? {} : { title: cmd.title }),
      body: cmd.body,
      rationale: cmd.rationale,
      proposedBy: actorRef(actor),
      proposedAt: now,
      status: "pending"
    }, { disableValidation: true })
    yield* (yield* VotingStore).insertAmendment(amendment)
    yield* emit(p.communityId, [{
      _tag: "VotingAmendmentProposed",
      proposalId: p.id,
      amendmentId: id,
      ...(cmd.title === undefined ? {} : { title: cmd.title }),
      body: cmd.body,
      rationale: cmd.rationale,
      by: amendment.proposedBy
    }])
    return amendment
  }))
})

/**
 * The committee accepts (the proposal's text and title become the
 * amendment's) or rejects a pending amendment, while the proposal is in
 * review, draft or scheduled.
 *
 * @since 0.1.0
 * @category commands
 */
export const decideAmendment = Effect.fn("voting.decideAmendment")(function* (actor: Actor, input: typeof DecideAmendmentInput.Encoded) {
  const cmd = yield* decodeInput("voting.decideAmendment", DecideAmendmentInput)(input)
  yield* authorize(votingPermissions, "voting.decideAmendment", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review", "draft", "scheduled")
    const found = yield* store.getAmendment(p.communityId, p.id, cmd.amendmentId)
    if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "Amendment", id: cmd.amendmentId }))
    if (found.value.status !== "pending") {
      return yield* Effect.fail(new Conflict({ entity: "Amendment", id: cmd.amendmentId, detail: `already ${found.value.status}` }))
    }
    const by = actorRef(actor)
    const amendment = new Amendment({
      ...found.value,
      status: cmd.accept ? "accepted" : "rejected",
      decidedBy: by,
      decidedAt: now,
      ...(cmd.reason === undefined ? {} : { reason: cmd.reason })
    }, { disableValidation: true })
    yield* store.updateAmendment(amendment)
    const proposal = cmd.accept
      ? yield* save(p, { body: amendment.body, ...(amendment.title === undefined ? {} : { title: amendment.title }) })
      : p
    yield* emit(p.communityId, [{
      _tag: "VotingAmendmentDecided",
      proposalId: p.id,
      amendmentId: amendment.id,
      accepted: cmd.accept,
      ...(cmd.reason === undefined ? {} : { reason: cmd.reason }),
      by
    }])
    return { amendment, proposal }
  }))
})

/**
 * Records the minutes of a negotiation round (协商会) held on a proposal
 * before voting opens: date, participants, summary. Rounds are numbered 1, 2,
 * 3, ... and never changed.
 *
 * @since 0.1.0
 * @category commands
 */
export const recordNegotiationRound = Effect.fn("voting.recordNegotiationRound")(function* (actor: Actor, input: typeof RecordRoundInput.Encoded) {
  const cmd = yield* decodeInput("voting.recordNegotiationRound", RecordRoundInput)(input)
  yield* authorize(votingPermissions, "voting.recordRound", actor, cmd.communityId)
  const now = yield* Clock.currentTimeMillis
  if (cmd.heldAt > now) {
    return yield* Effect.fail(new InvalidInput({
      command: "voting.recordNegotiationRound",
      issues: [fieldIssue("heldAt", "range", { "zh-CN": "会议纪要只能记录已召开的协商会，不能是将来的时间", en: "minutes record a round that was held, not a future one" })]
    }))
  }
  const id = RoundId.make(yield* newId("round"))
  return yield* transactionally(Effect.gen(function* () {
    const store = yield* VotingStore
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review", "draft", "scheduled")
    const number = (yield* store.listRounds(p.communityId, p.id)).length + 1
    const round = new NegotiationRound({
      communityId: p.communityId,
      proposalId: p.id,
      id,
      number,
      heldAt: cmd.heldAt,
      participants: cmd.participants,
      summary: cmd.summary,
      recordedBy: actorRef(actor),
      recordedAt: now
    }, { disableValidation: true })
    yield* store.insertRound(round)
    yield* emit(p.communityId, [{
      _tag: "VotingNegotiationRoundRecorded",
      proposalId: p.id,
      roundId: id,
      number,
      heldAt: cmd.heldAt,
      participants: cmd.participants,
      summary: cmd.summary,
      by: round.recordedBy
    }])
    return round
  }))
})

/**
 * A proposal's deliberation record: amendments, negotiation rounds (with how
 * many are required) and objections.
 *
 * @since 0.1.0
 * @category queries
 */
export const deliberation = Effect.fn("voting.deliberation")(function* (actor: Actor, communityId: CommunityId, proposalId: ProposalId) {
  yield* authorize(votingPermissions, "voting.read", actor, communityId)
  const p = yield* loadProposal(communityId, proposalId)
  const store = yield* VotingStore
  const rounds = yield* store.listRounds(communityId, proposalId)
  return {
    amendments: yield* store.listAmendments(communityId, proposalId),
    rounds,
    roundsRequired: p.requiredRounds ?? 0,
    roundsMissing: Math.max(0, (p.requiredRounds ?? 0) - rounds.length),
    objections: yield* store.listObjections(communityId, proposalId)
  }
})

// ---------------------------------------------------------------------------
// Cost sharing attached to a proposal
// ---------------------------------------------------------------------------

/**
 * Attaches a cost-sharing plan (`planCostSharing`) to a proposal in review,
 * draft or scheduled, over the households of its scope (from the Directory);
 * defaults: the config's subsidy share (40%) and compensation ladder, the
 * seed's floor weights up to the highest floor. Replaces an earlier plan.
 * `VOTING_INVALID_PROPOSAL` when the terms cannot be planned.
 *
 * @since 0.1.0
 * @category commands
 */
export const attachCostPlan = Effect.fn("voting.attachCostPlan")(function* (actor: Actor, input: typeof AttachCostPlanInput.Encoded) {
  const cmd = yield* decodeInput("voting.attachCostPlan", AttachCostPlanInput)(input)
  yield* authorize(votingPermissions, "voting.attachCostPlan", actor, cmd.communityId)
  const config = yield* VotingConfig
  const now = yield* Clock.currentTimeMillis
  return yield* transactionally(Effect.gen(function* () {
    const p = yield* loadProposal(cmd.communityId, cmd.proposalId)
    yield* requireStatus(p, "review", "draft", "scheduled")
    const households = [...(yield* householdsInScope(p))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const maxFloor = households.reduce((m, h) => Math.max(m, h.floor), 0)
    const terms = {
      totalCostFen: cmd.totalCostFen,
      subsidyShare: cmd.subsidyShare ?? config.subsidyShare,
      floorWeights: cmd.floorWeights ?? Rules.defaultFloorWeights(maxFloor),
      byArea: cmd.byArea ?? false,
      compensation: cmd.compensation ?? config.compensation,
      ...(cmd.lumpSumFen === undefined ? {} : { lumpSumFen: cmd.lumpSumFen })
    }
    const plan = Rules.planCostSharing({
      ...terms,
      households: households.map((h) => ({ id: h.id, floor: h.floor, exclusiveAreaDm2: h.exclusiveAreaDm2 }))
    })
    if ("problem" in plan) return yield* Effect.fail(new InvalidProposal({ proposalId: p.id, detail: plan.problem }))
    const costPlan: CostPlan = {
      terms,
      subsidyFen: plan.subsidyFen,
      sharedCostFen: plan.sharedCostFen,
      compensationTotalFen: plan.compensationTotalFen,
      lines: plan.lines.map((l) => ({ ...l, householdId: HouseholdId.make(l.householdId) })),
      attachedBy: actorRef(actor),
      attachedAt: now
    }
    const next = yield* save(p, { costPlan })
    yield* emit(p.communityId, [{
      _tag: "VotingCostPlanAttached",
      proposalId: p.id,
      totalCostFen: plan.totalCostFen,
      subsidyFen: plan.subsidyFen,
      compensationTotalFen: plan.compensationTotalFen,
      households: plan.lines.length,
      by: actorRef(actor)
    }])
    return next
  }))
})

/**
 * What a voter sees of a proposal: the proposal, and for every household the
 * resident owns in the attached cost plan what it would pay and receive (fen),
 * with the totals. `costLines` is empty when no plan is attached or the
 * resident owns none of its households. A resident may only see their own view.
 *
 * @since 0.1.0
 * @category queries
 */
export const voterView = Effect.fn("voting.voterView")(function* (
  actor: Actor,
  communityId: CommunityId,
  proposalId: ProposalId,
  residentId: ResidentId
) {
  yield* authorize(votingPermissions, "voting.read", actor, communityId)
  if (actor._tag === "Resident" && actor.residentId !== residentId) {
    yield* authorize(votingPermissions, "voting.fileObjection", actor, communityId, residentId)
  }
  const p = yield* loadProposal(communityId, proposalId)
  const dir = yield* Directory
  const plan = p.costPlan
  const owned = plan === undefined
    ? []
    : (yield* Effect.forEach(plan.lines, (l) => Effect.map(dir.getHousehold(communityId, l.householdId), (h) => ({ l, h }))))
      .filter(({ h }) => h.ownerIds.includes(residentId))
      .map(({ l }) => l)
  return {
    proposal: p,
    costLines: owned,
    payFen: owned.reduce((s, l) => s + l.payFen, 0),
    compensationFen: owned.reduce((s, l) => s + l.compensationFen, 0),
    plan: plan === undefined
      ? undefined
      : { totalCostFen: plan.terms.totalCostFen, subsidyFen: plan.subsidyFen, sharedCostFen: plan.sharedCostFen, compensationTotalFen: plan.compensationTotalFen }
  }
})
