/**
 * Voting records, command inputs and views as Schemas. The decision rule and
 * ballot schemas here describe exactly the plain JSON data that
 * `rules.ts` works on.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { BuildingId, CommunityId, HouseholdId, ResidentId, UnitId } from "../kernel/ids.js"

const idPattern = /^[A-Za-z0-9_.:-]{1,64}$/

/**
 * A proposal (提案).
 *
 * @since 0.1.0
 * @category ids
 */
export const ProposalId = Schema.String.pipe(Schema.pattern(idPattern), Schema.brand("ProposalId"))
/**
 * @since 0.1.0
 * @category ids
 */
export type ProposalId = typeof ProposalId.Type

/**
 * A pending paper ballot awaiting a second staff member's confirmation.
 *
 * @since 0.1.0
 * @category ids
 */
export const PaperBallotId = Schema.String.pipe(Schema.pattern(idPattern), Schema.brand("PaperBallotId"))
/**
 * @since 0.1.0
 * @category ids
 */
export type PaperBallotId = typeof PaperBallotId.Type

/**
 * A post (发言) in a proposal's discussion thread.
 *
 * @since 0.1.0
 * @category ids
 */
export const PostId = Schema.String.pipe(Schema.pattern(idPattern), Schema.brand("PostId"))
/**
 * @since 0.1.0
 * @category ids
 */
export type PostId = typeof PostId.Type

/**
 * An amendment (修改建议) to a proposal's text.
 *
 * @since 0.1.0
 * @category ids
 */
export const AmendmentId = Schema.String.pipe(Schema.pattern(idPattern), Schema.brand("AmendmentId"))
/**
 * @since 0.1.0
 * @category ids
 */
export type AmendmentId = typeof AmendmentId.Type

/**
 * A negotiation round (协商会) held on a proposal.
 *
 * @since 0.1.0
 * @category ids
 */
export const RoundId = Schema.String.pipe(Schema.pattern(idPattern), Schema.brand("RoundId"))
/**
 * @since 0.1.0
 * @category ids
 */
export type RoundId = typeof RoundId.Type

/**
 * An objection (异议) to a preliminary result.
 *
 * @since 0.1.0
 * @category ids
 */
export const ObjectionId = Schema.String.pipe(Schema.pattern(idPattern), Schema.brand("ObjectionId"))
/**
 * @since 0.1.0
 * @category ids
 */
export type ObjectionId = typeof ObjectionId.Type

const Key = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/))
const SafeNonNeg = Schema.NonNegativeInt.pipe(Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER))

/**
 * @since 0.1.0
 * @category rules
 */
export const RatioSchema = Schema.Struct({
  num: SafeNonNeg,
  den: Schema.Int.pipe(Schema.positive(), Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER))
}).pipe(Schema.filter((r) => r.num <= r.den || "a threshold is at most 1"))

/**
 * @since 0.1.0
 * @category rules
 */
export const MeasureSchema = Schema.Literal("headcount", "area", "weight")
/**
 * @since 0.1.0
 * @category rules
 */
export const ComparisonSchema = Schema.Literal("at-least", "more-than")

/**
 * A decision rule as JSON (see `DecisionRule` in rules.ts).
 *
 * @since 0.1.0
 * @category rules
 */
export const DecisionRuleSchema = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  quorum: Schema.Array(Schema.Struct({ measure: MeasureSchema, threshold: RatioSchema, comparison: ComparisonSchema })),
  approval: Schema.Array(
    Schema.Struct({
      measure: MeasureSchema,
      base: Schema.Literal("eligible", "participating", "cast"),
      threshold: RatioSchema,
      comparison: ComparisonSchema
    })
  ),
  abstentionsParticipate: Schema.Boolean,
  affectedMustConsent: Schema.Boolean,
  deemedConsent: Schema.optional(Schema.Struct({ majorityBy: MeasureSchema }))
})

const Options = Schema.Array(Key).pipe(
  Schema.minItems(2),
  Schema.maxItems(100),
  Schema.filter((xs) => new Set(xs).size === xs.length || "options must be distinct")
)

/**
 * What a ballot asks (see `BallotSpec` in rules.ts).
 *
 * @since 0.1.0
 * @category ballots
 */
export const BallotSpecSchema = Schema.Union(
  Schema.Struct({ type: Schema.Literal("yes-no") }),
  Schema.Struct({ type: Schema.Literal("single"), options: Options }),
  Schema.Struct({ type: Schema.Literal("multiple"), options: Options, min: Schema.NonNegativeInt, max: Schema.Int.pipe(Schema.positive()) })
    .pipe(Schema.filter((s) => (s.min <= s.max && s.max <= s.options.length) || "need min <= max <= number of options")),
  Schema.Struct({ type: Schema.Literal("approval"), options: Options }),
  Schema.Struct({ type: Schema.Literal("score"), options: Options, min: Schema.Int, max: Schema.Int })
    .pipe(Schema.filter((s) => s.min < s.max || "need min < max")),
  Schema.Struct({
    type: Schema.Literal("ranked"),
    options: Options,
    method: Schema.Literal("irv", "stv"),
    seats: Schema.Int.pipe(Schema.positive())
  }).pipe(Schema.filter((s) => s.seats < s.options.length || "need fewer seats than options"))
)

/**
 * One voter's answer (see `Choice` in rules.ts).
 *
 * @since 0.1.0
 * @category ballots
 */
export const ChoiceSchema = Schema.Union(
  Schema.Struct({ type: Schema.Literal("yes-no"), value: Schema.Literal("yes", "no", "abstain") }),
  Schema.Struct({ type: Schema.Literal("single"), option: Key }),
  Schema.Struct({ type: Schema.Literal("multiple"), options: Schema.Array(Key).pipe(Schema.maxItems(100)) }),
  Schema.Struct({ type: Schema.Literal("approval"), options: Schema.Array(Key).pipe(Schema.maxItems(100)) }),
  Schema.Struct({
    type: Schema.Literal("score"),
    scores: Schema.Array(Schema.Struct({ option: Key, score: Schema.Int })).pipe(Schema.maxItems(100))
  }),
  Schema.Struct({ type: Schema.Literal("ranked"), ranking: Schema.Array(Key).pipe(Schema.maxItems(100)) })
)
/**
 * @since 0.1.0
 * @category ballots
 */
export type ChoiceValue = typeof ChoiceSchema.Type

/**
 * Who may vote: the whole community, some buildings, some units (单元) or an
 * explicit list of households.
 *
 * @since 0.1.0
 * @category electorate
 */
export const Scope = Schema.Union(
  Schema.Struct({ type: Schema.Literal("community") }),
  Schema.Struct({ type: Schema.Literal("buildings"), buildingIds: Schema.NonEmptyArray(BuildingId) }),
  Schema.Struct({ type: Schema.Literal("units"), unitIds: Schema.NonEmptyArray(UnitId) }),
  Schema.Struct({ type: Schema.Literal("households"), householdIds: Schema.NonEmptyArray(HouseholdId) })
)
/**
 * @since 0.1.0
 * @category electorate
 */
export type Scope = typeof Scope.Type

/**
 * How a ballot reached the committee. Paper ballots (纸质投票) need a second
 * staff member's confirmation before they count.
 *
 * @since 0.1.0
 * @category ballots
 */
export const Channel = Schema.Literal("online", "paper", "sms", "on-site", "door-to-door")
/**
 * @since 0.1.0
 * @category ballots
 */
export type Channel = typeof Channel.Type

/**
 * A proposal's lifecycle: `review` (a resident's proposal awaiting staff
 * review) -> `draft` -> `scheduled` -> `open` -> `closed` (a preliminary
 * result during the objection period) -> `decided` (final: passed / rejected
 * / failed-quorum / void), or `withdrawn` before voting closes. With an
 * objection period of 0, closing decides at once (no `closed` stage).
 *
 * @since 0.1.0
 * @category proposals
 */
export const ProposalStatus = Schema.Literal("review", "draft", "scheduled", "open", "closed", "decided", "withdrawn")
/**
 * @since 0.1.0
 * @category proposals
 */
export type ProposalStatus = typeof ProposalStatus.Type

/**
 * A deadline extension, audited.
 *
 * @since 0.1.0
 * @category proposals
 */
export const Extension = Schema.Struct({
  from: Schema.Int,
  to: Schema.Int,
  reason: Schema.String,
  by: Schema.String,
  /** Set on the automatic extension for short turnout. */
  automatic: Schema.optional(Schema.Boolean)
})

/**
 * The outcome of a proposal: the three results of a count, and `void` (an
 * objection upheld that annulled the vote).
 *
 * @since 0.1.0
 * @category proposals
 */
export const ProposalOutcome = Schema.Literal("passed", "rejected", "failed-quorum", "void")

/**
 * Input of a cost-sharing plan attached to a proposal (see
 * `planCostSharing` in rules.ts); the households come from the proposal's
 * scope.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export const CostPlanTerms = Schema.Struct({
  totalCostFen: SafeNonNeg,
  subsidyShare: RatioSchema,
  floorWeights: Schema.Record({ key: Schema.String, value: SafeNonNeg }),
  byArea: Schema.Boolean,
  compensation: Schema.Array(Schema.Struct({
    floor: Schema.Int,
    minFen: SafeNonNeg,
    maxFen: SafeNonNeg,
    feeWaiverYears: Schema.NonNegativeInt
  })),
  lumpSumFen: Schema.optional(Schema.Record({ key: Schema.String, value: SafeNonNeg }))
})

/**
 * One household's line of an attached cost plan.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export const CostPlanLine = Schema.Struct({
  householdId: HouseholdId,
  floor: Schema.Int,
  payFen: SafeNonNeg,
  compensationFen: SafeNonNeg,
  feeWaiverYears: Schema.NonNegativeInt
})

/**
 * A cost-sharing plan attached to a proposal: its terms and every household's
 * line, in fen; `subsidyFen + Σ payFen = totalCostFen + compensationTotalFen`.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export const CostPlan = Schema.Struct({
  terms: CostPlanTerms,
  subsidyFen: SafeNonNeg,
  sharedCostFen: SafeNonNeg,
  compensationTotalFen: SafeNonNeg,
  lines: Schema.Array(CostPlanLine),
  attachedBy: Schema.String,
  attachedAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category cost sharing
 */
export type CostPlan = typeof CostPlan.Type

/**
 * A proposal (提案) with its ballot, rule, electorate scope and lifecycle.
 * `version` increases with every update (optimistic concurrency).
 *
 * @since 0.1.0
 * @category proposals
 */
export class Proposal extends Schema.Class<Proposal>("Proposal")({
  communityId: CommunityId,
  id: ProposalId,
  title: Schema.String,
  body: Schema.String,
  /** The resident who proposed it, if a resident did. */
  proposerId: Schema.optional(ResidentId),
  createdBy: Schema.String,
  status: ProposalStatus,
  ballot: BallotSpecSchema,
  rule: DecisionRuleSchema,
  /** For ballots other than yes/no: what each ballot weighs. */
  tallyMeasure: MeasureSchema,
  scope: Scope,
  ownerPolicy: Schema.Literal("per-part", "per-owner"),
  affectedHouseholdIds: Schema.Array(HouseholdId),
  secret: Schema.Boolean,
  voteChange: Schema.Literal("last-counts", "no-change", "paper-overrides"),
  /** Voting period in ms, counted from opening when no `closesAt` was scheduled. */
  periodMs: Schema.Int.pipe(Schema.positive()),
  opensAt: Schema.optional(Schema.Int),
  closesAt: Schema.optional(Schema.Int),
  openedAt: Schema.optional(Schema.Int),
  closedAt: Schema.optional(Schema.Int),
  extensions: Schema.Array(Extension),
  /** Preliminary while `closed`, final once `decided`. */
  outcome: Schema.optional(ProposalOutcome),
  /** The decision (rules.ts `Decision` or a choice result) as JSON. */
  result: Schema.optional(Schema.Unknown),
  createdAt: Schema.Int,
  version: Schema.Int,
  /** Negotiation rounds (协商会) that must be recorded before voting opens (absent: 0). */
  requiredRounds: Schema.optional(Schema.NonNegativeInt),
  /** Objection period after closing, in ms (absent or 0: closing decides at once). */
  objectionPeriodMs: Schema.optional(Schema.NonNegativeInt),
  /** While `closed`: when the objection period ends. */
  objectionEndsAt: Schema.optional(Schema.Int),
  /** The cost-sharing plan voters see, if one is attached. */
  costPlan: Schema.optional(CostPlan)
}) {}

/**
 * A post in a proposal's discussion thread. Moderation hides a post with a
 * reason; nothing is ever deleted.
 *
 * @since 0.1.0
 * @category deliberation
 */
export class Post extends Schema.Class<Post>("Post")({
  communityId: CommunityId,
  proposalId: ProposalId,
  id: PostId,
  /** The post this one replies to (same proposal). */
  replyTo: Schema.optional(PostId),
  /** `resident:R` or `staff:S`. */
  author: Schema.String,
  body: Schema.String,
  postedAt: Schema.Int,
  hidden: Schema.Boolean,
  hiddenReason: Schema.optional(Schema.String),
  hiddenBy: Schema.optional(Schema.String),
  hiddenAt: Schema.optional(Schema.Int)
}) {}

/**
 * A proposed change of a proposal's title and/or text, decided by the committee.
 *
 * @since 0.1.0
 * @category deliberation
 */
export class Amendment extends Schema.Class<Amendment>("Amendment")({
  communityId: CommunityId,
  proposalId: ProposalId,
  id: AmendmentId,
  /** The new title, if it changes. */
  title: Schema.optional(Schema.String),
  /** The new text of the proposal. */
  body: Schema.String,
  rationale: Schema.String,
  proposedBy: Schema.String,
  proposedAt: Schema.Int,
  status: Schema.Literal("pending", "accepted", "rejected"),
  decidedBy: Schema.optional(Schema.String),
  decidedAt: Schema.optional(Schema.Int),
  reason: Schema.optional(Schema.String)
}) {}

/**
 * The minutes of a negotiation round (协商会): when, who took part, what was said.
 *
 * @since 0.1.0
 * @category deliberation
 */
export class NegotiationRound extends Schema.Class<NegotiationRound>("NegotiationRound")({
  communityId: CommunityId,
  proposalId: ProposalId,
  id: RoundId,
  /** 1, 2, 3, ... in the order rounds were recorded. */
  number: Schema.Int.pipe(Schema.positive()),
  heldAt: Schema.Int,
  participants: Schema.Array(Schema.String),
  summary: Schema.String,
  recordedBy: Schema.String,
  recordedAt: Schema.Int
}) {}

/**
 * An objection to a preliminary result, and how the committee resolved it:
 * `upheld-recount` (counted again), `upheld-void` (the vote is void) or `dismissed`.
 *
 * @since 0.1.0
 * @category objections
 */
export class Objection extends Schema.Class<Objection>("Objection")({
  communityId: CommunityId,
  proposalId: ProposalId,
  id: ObjectionId,
  residentId: ResidentId,
  reason: Schema.String,
  filedAt: Schema.Int,
  status: Schema.Literal("pending", "upheld-recount", "upheld-void", "dismissed"),
  resolvedBy: Schema.optional(Schema.String),
  resolvedAt: Schema.optional(Schema.Int),
  resolution: Schema.optional(Schema.String)
}) {}

/**
 * One voting unit of a proposal's frozen electorate, with its "has voted"
 * marker. Created for every unit when voting opens; only the marker fields
 * change afterwards. The marker never says what the unit chose.
 *
 * @since 0.1.0
 * @category electorate
 */
export class VotingUnit extends Schema.Class<VotingUnit>("VotingUnit")({
  communityId: CommunityId,
  proposalId: ProposalId,
  /** The first household's id. */
  id: Schema.String,
  householdIds: Schema.Array(HouseholdId),
  ownerIds: Schema.Array(ResidentId),
  heads: Schema.NonNegativeInt,
  areaDm2: Schema.NonNegativeInt,
  weight: Schema.NonNegativeInt,
  affected: Schema.Boolean,
  floor: Schema.Int,
  voted: Schema.Boolean,
  /** Whether the ballot that counts was cast by a proxy. */
  byProxy: Schema.Boolean,
  channel: Schema.optional(Channel),
  /** The resident whose participation counts (the owner, or the principal of a proxy). */
  participantId: Schema.optional(ResidentId)
}) {}

/**
 * A ballot of an open (named) vote: who, what, how.
 *
 * @since 0.1.0
 * @category ballots
 */
export class OpenBallot extends Schema.Class<OpenBallot>("OpenBallot")({
  communityId: CommunityId,
  proposalId: ProposalId,
  votingUnitId: Schema.String,
  choice: ChoiceSchema,
  channel: Channel,
  /** `resident:R`, `staff:S`, `system:P`. */
  castBy: Schema.String,
  proxyHolderId: Schema.optional(ResidentId),
  scanRef: Schema.optional(Schema.String),
  confirmedBy: Schema.optional(Schema.String),
  castAt: Schema.Int
}) {}

/**
 * A secret ballot waiting to be mixed: anonymous, keyed by the SHA-256 of the
 * voter's receipt code; no time, no voter, no channel. It carries the unit's
 * counting weights until the next mix folds them into the per-choice
 * {@link SecretTotal}s and moves the ballot, without weights, into the mixed
 * bag ({@link MixedBallot}); see docs/voting.md, "Secret ballots: threat model".
 *
 * A `retraction` withdraws the mixed ballot of the same receipt hash (a vote
 * change after the mix): its weights are those of the withdrawn ballot's
 * voting unit and its choice is the withdrawn one.
 *
 * @since 0.1.0
 * @category ballots
 */
export class SecretBallot extends Schema.Class<SecretBallot>("SecretBallot")({
  communityId: CommunityId,
  proposalId: ProposalId,
  receiptHash: Schema.String,
  choice: ChoiceSchema,
  heads: Schema.NonNegativeInt,
  areaDm2: Schema.NonNegativeInt,
  weight: Schema.NonNegativeInt,
  affected: Schema.Boolean,
  /** @since 0.2.0 */
  retraction: Schema.optional(Schema.Boolean)
}) {}

/**
 * A mixed secret ballot: its receipt hash and its choice, nothing else. Mixed
 * ballots are written in a random order by a transaction that no voter's
 * command runs in.
 *
 * @since 0.2.0
 * @category ballots
 */
export class MixedBallot extends Schema.Class<MixedBallot>("MixedBallot")({
  communityId: CommunityId,
  proposalId: ProposalId,
  receiptHash: Schema.String,
  choice: ChoiceSchema
}) {}

/**
 * The counting weights of a secret vote's mixed ballots, summed per choice
 * (and whether the voting units are affected ones): what the tally needs,
 * without any one household's area.
 *
 * @since 0.2.0
 * @category ballots
 */
export class SecretTotal extends Schema.Class<SecretTotal>("SecretTotal")({
  communityId: CommunityId,
  proposalId: ProposalId,
  /** The choice's canonical JSON (the key of the sum). */
  choiceKey: Schema.String,
  choice: ChoiceSchema,
  affected: Schema.Boolean,
  ballots: Schema.NonNegativeInt,
  heads: Schema.NonNegativeInt,
  areaDm2: Schema.NonNegativeInt,
  weight: Schema.NonNegativeInt
}) {}

/**
 * A paper ballot entered by a clerk, awaiting a second staff member. In a
 * secret vote it names no voting unit (the unit was marked as voted on entry)
 * and carries only the counting weights.
 *
 * @since 0.1.0
 * @category ballots
 */
export class PaperBallot extends Schema.Class<PaperBallot>("PaperBallot")({
  communityId: CommunityId,
  proposalId: ProposalId,
  id: PaperBallotId,
  status: Schema.Literal("pending", "confirmed", "rejected", "corrected"),
  scanRef: Schema.String,
  choice: ChoiceSchema,
  enteredBy: Schema.String,
  /** Open votes only. */
  votingUnitId: Schema.optional(Schema.String),
  /** Open votes only: the resident who filled it in (owner, or proxy holder). */
  voterId: Schema.optional(ResidentId),
  onBehalfOf: Schema.optional(ResidentId),
  heads: Schema.NonNegativeInt,
  areaDm2: Schema.NonNegativeInt,
  weight: Schema.NonNegativeInt,
  affected: Schema.Boolean,
  correctionOf: Schema.optional(PaperBallotId),
  decidedBy: Schema.optional(Schema.String),
  reason: Schema.optional(Schema.String)
}) {}

/**
 * A proxy (委托投票): `holderId` may vote for `principalId` on one proposal.
 *
 * @since 0.1.0
 * @category proxies
 */
export class ProxyGrant extends Schema.Class<ProxyGrant>("ProxyGrant")({
  communityId: CommunityId,
  proposalId: ProposalId,
  principalId: ResidentId,
  holderId: ResidentId,
  /** Reference of the signed authorisation (委托书) on file. */
  documentRef: Schema.String,
  registeredBy: Schema.String,
  revoked: Schema.Boolean,
  revokedBy: Schema.optional(Schema.String),
  revokeReason: Schema.optional(Schema.String)
}) {}

const Text = (max: number) => Schema.String.pipe(Schema.minLength(1), Schema.maxLength(max))

/**
 * Input of `createProposal`. `rule` is a preset id or a full rule.
 *
 * @since 0.1.0
 * @category inputs
 */
export const CreateProposalInput = Schema.Struct({
  communityId: CommunityId,
  title: Text(200),
  body: Schema.String.pipe(Schema.maxLength(20_000)),
  ballot: Schema.optional(BallotSpecSchema),
  rule: Schema.optional(Schema.Union(Schema.Literal("civil-code-278-ordinary", "civil-code-278-special", "elevator-retrofit"), DecisionRuleSchema)),
  tallyMeasure: Schema.optional(MeasureSchema),
  scope: Schema.optional(Scope),
  ownerPolicy: Schema.optional(Schema.Literal("per-part", "per-owner")),
  affectedHouseholdIds: Schema.optional(Schema.Array(HouseholdId)),
  secret: Schema.optional(Schema.Boolean),
  voteChange: Schema.optional(Schema.Literal("last-counts", "no-change", "paper-overrides")),
  periodMs: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** Set when a resident proposes (must be the acting resident). */
  proposerId: Schema.optional(ResidentId),
  /** Negotiation rounds required before opening (default: the config's, by rule). */
  requiredRounds: Schema.optional(Schema.NonNegativeInt.pipe(Schema.lessThanOrEqualTo(100))),
  /** Objection period after closing, in ms (default: the config's). */
  objectionPeriodMs: Schema.optional(Schema.NonNegativeInt)
})

/**
 * Input of `reviewProposal`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ReviewInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  approve: Schema.Boolean,
  reason: Schema.optional(Schema.String.pipe(Schema.maxLength(1000)))
})

/**
 * Input of `scheduleProposal`: when voting opens (default: now) and closes
 * (default: opening + the voting period).
 *
 * @since 0.1.0
 * @category inputs
 */
export const ScheduleInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  opensAt: Schema.optional(Schema.Int),
  closesAt: Schema.optional(Schema.Int)
})

/**
 * Input of commands that only name a proposal (open, close, withdraw).
 *
 * @since 0.1.0
 * @category inputs
 */
export const ProposalRef = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  reason: Schema.optional(Schema.String.pipe(Schema.maxLength(1000)))
})

/**
 * Input of `extendProposal`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ExtendInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  closesAt: Schema.Int,
  reason: Text(1000)
})

/**
 * Input of `castBallot`. `residentId` is who fills in the ballot: an owner
 * of a voting unit, or a proxy holder voting `onBehalfOf` a principal.
 * `votingUnitId` is needed only when the owner has several units. In a secret
 * vote, changing a ballot needs the earlier receipt code.
 *
 * @since 0.1.0
 * @category inputs
 */
export const CastBallotInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  residentId: ResidentId,
  onBehalfOf: Schema.optional(ResidentId),
  votingUnitId: Schema.optional(Schema.String),
  channel: Schema.Literal("online", "sms", "on-site", "door-to-door"),
  choice: ChoiceSchema,
  previousReceipt: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
})

/**
 * Input of `enterPaperBallot`: the clerk types in a paper ballot with its
 * scan reference. `correctionOf` re-enters a rejected paper ballot.
 *
 * @since 0.1.0
 * @category inputs
 */
export const EnterPaperInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  scanRef: Text(200),
  choice: ChoiceSchema,
  residentId: Schema.optional(ResidentId),
  onBehalfOf: Schema.optional(ResidentId),
  votingUnitId: Schema.optional(Schema.String),
  correctionOf: Schema.optional(PaperBallotId),
  previousReceipt: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
})

/**
 * Input of `confirmPaperBallot`: a second staff member accepts or rejects it.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ConfirmPaperInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  paperBallotId: PaperBallotId,
  accept: Schema.Boolean,
  reason: Schema.optional(Schema.String.pipe(Schema.maxLength(1000)))
})

/**
 * Input of `registerProxy`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RegisterProxyInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  principalId: ResidentId,
  holderId: ResidentId,
  documentRef: Text(200)
})

/**
 * Input of `revokeProxy`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RevokeProxyInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  principalId: ResidentId,
  reason: Text(1000)
})

/**
 * One line of a secret vote's public bulletin board.
 *
 * @since 0.1.0
 * @category views
 */
export interface BulletinLine {
  readonly receiptHash: string
  readonly choice: ChoiceValue
  readonly heads: number
  readonly areaDm2: number
  readonly weight: number
  readonly affected: boolean
}

/**
 * Input of `postToThread`: a post by `authorId` (a resident for themselves;
 * staff post under their own name and leave it out), optionally a reply.
 *
 * @since 0.1.0
 * @category inputs
 */
export const PostInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  authorId: Schema.optional(ResidentId),
  replyTo: Schema.optional(PostId),
  body: Text(5000)
})

/**
 * Input of `hidePost`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const HidePostInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  postId: PostId,
  reason: Text(1000)
})

/**
 * Input of `proposeAmendment`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ProposeAmendmentInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  /** A resident proposing for themselves. */
  residentId: Schema.optional(ResidentId),
  title: Schema.optional(Text(200)),
  body: Schema.String.pipe(Schema.maxLength(20_000)),
  rationale: Text(2000)
})

/**
 * Input of `decideAmendment`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const DecideAmendmentInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  amendmentId: AmendmentId,
  accept: Schema.Boolean,
  reason: Schema.optional(Schema.String.pipe(Schema.maxLength(1000)))
})

/**
 * Input of `recordNegotiationRound`: the minutes.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RecordRoundInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  heldAt: Schema.Int,
  participants: Schema.NonEmptyArray(Text(200)).pipe(Schema.maxItems(500)),
  summary: Text(20_000)
})

/**
 * Input of `fileObjection`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const FileObjectionInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  residentId: ResidentId,
  reason: Text(2000)
})

/**
 * Input of `resolveObjection`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ResolveObjectionInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  objectionId: ObjectionId,
  decision: Schema.Literal("upheld-recount", "upheld-void", "dismissed"),
  reason: Text(2000)
})

/**
 * Input of `attachCostPlan`: the plan's terms; omitted parts take the
 * defaults (40% subsidy, the seed's floor weights and compensation ladder).
 *
 * @since 0.1.0
 * @category inputs
 */
export const AttachCostPlanInput = Schema.Struct({
  communityId: CommunityId,
  proposalId: ProposalId,
  totalCostFen: SafeNonNeg,
  subsidyShare: Schema.optional(RatioSchema),
  floorWeights: Schema.optional(Schema.Record({ key: Schema.String, value: SafeNonNeg })),
  byArea: Schema.optional(Schema.Boolean),
  compensation: Schema.optional(CostPlanTerms.fields.compensation),
  lumpSumFen: Schema.optional(Schema.Record({ key: Schema.String, value: SafeNonNeg }))
})
