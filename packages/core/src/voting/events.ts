/**
 * The voting module's journal events. In a secret vote no event names a
 * voter next to a choice or a receipt: `VotingBallotCast` carries neither
 * (receipts are announced sorted, in batches, by `VotingSecretBallotsMixed`),
 * and `VotingParticipationRecorded` is emitted for everyone at close, sorted
 * by resident id.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { ResidentId } from "../kernel/ids.js"
import { AmendmentId, BallotSpecSchema, Channel, ChoiceSchema, ObjectionId, PaperBallotId, PostId, ProposalId, RoundId } from "./model.js"

const Outcome = Schema.Literal("passed", "rejected", "failed-quorum")
const FinalOutcome = Schema.Literal("passed", "rejected", "failed-quorum", "void")

/**
 * A proposal was created (status `review` or `draft`).
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalCreated = Schema.TaggedStruct("VotingProposalCreated", {
  proposalId: ProposalId,
  title: Schema.String,
  ruleId: Schema.String,
  ballot: BallotSpecSchema,
  secret: Schema.Boolean,
  proposerId: Schema.optional(ResidentId),
  by: Schema.String
})

/**
 * Staff reviewed a resident's proposal.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalReviewed = Schema.TaggedStruct("VotingProposalReviewed", {
  proposalId: ProposalId,
  approved: Schema.Boolean,
  reason: Schema.optional(Schema.String),
  by: Schema.String
})

/**
 * Voting dates were set.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalScheduled = Schema.TaggedStruct("VotingProposalScheduled", {
  proposalId: ProposalId,
  opensAt: Schema.Int,
  closesAt: Schema.Int,
  by: Schema.String
})

/**
 * Voting opened; the electorate is frozen.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalOpened = Schema.TaggedStruct("VotingProposalOpened", {
  proposalId: ProposalId,
  closesAt: Schema.Int,
  votingUnits: Schema.Int,
  eligibleHeads: Schema.Int,
  eligibleAreaDm2: Schema.Int,
  by: Schema.String
})

/**
 * The deadline was moved, with the reason.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalExtended = Schema.TaggedStruct("VotingProposalExtended", {
  proposalId: ProposalId,
  from: Schema.Int,
  to: Schema.Int,
  reason: Schema.String,
  by: Schema.String,
  /** The automatic extension for short turnout. */
  automatic: Schema.optional(Schema.Boolean)
})

/**
 * A ballot counts. Open votes name the voting unit, the choice and the
 * channel; secret votes carry only the receipt hash.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingBallotCast = Schema.TaggedStruct("VotingBallotCast", {
  proposalId: ProposalId,
  receiptHash: Schema.optional(Schema.String),
  votingUnitId: Schema.optional(Schema.String),
  choice: Schema.optional(ChoiceSchema),
  channel: Schema.optional(Channel),
  byProxy: Schema.optional(Schema.Boolean),
  /** The ballot replaced an earlier one of the same voting unit. */
  replaced: Schema.Boolean
})

/**
 * A resident's ballot (own, by proxy or on paper) counts. Open votes: at cast
 * time; secret votes: all at close, sorted by resident id.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingParticipationRecorded = Schema.TaggedStruct("VotingParticipationRecorded", {
  proposalId: ProposalId,
  residentId: ResidentId
})

/**
 * A clerk entered a paper ballot; it counts once a second staff member confirms.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingPaperBallotEntered = Schema.TaggedStruct("VotingPaperBallotEntered", {
  proposalId: ProposalId,
  paperBallotId: PaperBallotId,
  scanRef: Schema.String,
  correctionOf: Schema.optional(PaperBallotId),
  /** Open votes only. */
  votingUnitId: Schema.optional(Schema.String),
  by: Schema.String
})

/**
 * A second staff member confirmed or rejected a paper ballot.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingPaperBallotReviewed = Schema.TaggedStruct("VotingPaperBallotReviewed", {
  proposalId: ProposalId,
  paperBallotId: PaperBallotId,
  accepted: Schema.Boolean,
  reason: Schema.optional(Schema.String),
  by: Schema.String
})

/**
 * A proxy was registered.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProxyRegistered = Schema.TaggedStruct("VotingProxyRegistered", {
  proposalId: ProposalId,
  principalId: ResidentId,
  holderId: ResidentId,
  documentRef: Schema.String,
  by: Schema.String
})

/**
 * A proxy was revoked.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProxyRevoked = Schema.TaggedStruct("VotingProxyRevoked", {
  proposalId: ProposalId,
  principalId: ResidentId,
  reason: Schema.String,
  by: Schema.String
})

/**
 * Voting closed (early, at the deadline or by the sweep).
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalClosed = Schema.TaggedStruct("VotingProposalClosed", {
  proposalId: ProposalId,
  early: Schema.Boolean,
  ballots: Schema.Int,
  by: Schema.String
})

/**
 * The final outcome. `proposerId` is set when a resident proposed it;
 * `void` when an upheld objection annulled the vote.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalDecided = Schema.TaggedStruct("VotingProposalDecided", {
  proposalId: ProposalId,
  outcome: FinalOutcome,
  proposerId: Schema.optional(ResidentId),
  /** With deemed consent: the outcome without the deemed votes. */
  outcomeWithoutDeemed: Schema.optional(Outcome),
  notice: Schema.Struct({ "zh-CN": Schema.String, en: Schema.String })
})

/**
 * The proposal was withdrawn.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingProposalWithdrawn = Schema.TaggedStruct("VotingProposalWithdrawn", {
  proposalId: ProposalId,
  reason: Schema.optional(Schema.String),
  by: Schema.String
})

/**
 * Voting closed with an objection period: the preliminary result (初步结果),
 * final at `objectionEndsAt` unless an objection is upheld. `recount` is set
 * when an upheld objection had it counted again.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingPreliminaryResult = Schema.TaggedStruct("VotingPreliminaryResult", {
  proposalId: ProposalId,
  outcome: Outcome,
  outcomeWithoutDeemed: Schema.optional(Outcome),
  objectionEndsAt: Schema.Int,
  recount: Schema.Boolean,
  notice: Schema.Struct({ "zh-CN": Schema.String, en: Schema.String })
})

/**
 * A post was added to a proposal's discussion thread.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingPostAdded = Schema.TaggedStruct("VotingPostAdded", {
  proposalId: ProposalId,
  postId: PostId,
  replyTo: Schema.optional(PostId),
  author: Schema.String,
  body: Schema.String
})

/**
 * A moderator hid a post, with the reason (the post is kept).
 *
 * @since 0.1.0
 * @category events
 */
export const VotingPostHidden = Schema.TaggedStruct("VotingPostHidden", {
  proposalId: ProposalId,
  postId: PostId,
  reason: Schema.String,
  by: Schema.String
})

/**
 * An amendment to the proposal's text was proposed.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingAmendmentProposed = Schema.TaggedStruct("VotingAmendmentProposed", {
  proposalId: ProposalId,
  amendmentId: AmendmentId,
  title: Schema.optional(Schema.String),
  body: Schema.String,
  rationale: Schema.String,
  by: Schema.String
})

/**
 * The committee accepted (the proposal's text changed) or rejected an amendment.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingAmendmentDecided = Schema.TaggedStruct("VotingAmendmentDecided", {
  proposalId: ProposalId,
  amendmentId: AmendmentId,
  accepted: Schema.Boolean,
  reason: Schema.optional(Schema.String),
  by: Schema.String
})

/**
 * The minutes of a negotiation round (协商会) were recorded.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingNegotiationRoundRecorded = Schema.TaggedStruct("VotingNegotiationRoundRecorded", {
  proposalId: ProposalId,
  roundId: RoundId,
  number: Schema.Int,
  heldAt: Schema.Int,
  participants: Schema.Array(Schema.String),
  summary: Schema.String,
  by: Schema.String
})

/**
 * A resident objected to the preliminary result.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingObjectionFiled = Schema.TaggedStruct("VotingObjectionFiled", {
  proposalId: ProposalId,
  objectionId: ObjectionId,
  residentId: ResidentId,
  reason: Schema.String
})

/**
 * The committee resolved an objection.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingObjectionResolved = Schema.TaggedStruct("VotingObjectionResolved", {
  proposalId: ProposalId,
  objectionId: ObjectionId,
  decision: Schema.Literal("upheld-recount", "upheld-void", "dismissed"),
  reason: Schema.String,
  by: Schema.String
})

/**
 * A cost-sharing plan was attached to a proposal (amounts in fen).
 *
 * @since 0.1.0
 * @category events
 */
export const VotingCostPlanAttached = Schema.TaggedStruct("VotingCostPlanAttached", {
  proposalId: ProposalId,
  totalCostFen: Schema.Int,
  subsidyFen: Schema.Int,
  compensationTotalFen: Schema.Int,
  households: Schema.Int,
  by: Schema.String
})

/**
 * A secret vote's waiting ballots were mixed: their receipt hashes joined the
 * mixed bag (listed sorted, so the journal's order says nothing of the
 * casting order) and retracted ballots (changed votes) left it. Secret
 * ballots are announced here, not when they are cast.
 *
 * @since 0.2.0
 * @category events
 */
export const VotingSecretBallotsMixed = Schema.TaggedStruct("VotingSecretBallotsMixed", {
  proposalId: ProposalId,
  receiptHashes: Schema.Array(Schema.String),
  retracted: Schema.Array(Schema.String)
})

/**
 * Every voting event.
 *
 * @since 0.1.0
 * @category events
 */
export const VotingEvent = Schema.Union(
  VotingProposalCreated,
  VotingProposalReviewed,
  VotingProposalScheduled,
  VotingProposalOpened,
  VotingProposalExtended,
  VotingBallotCast,
  VotingSecretBallotsMixed,
  VotingParticipationRecorded,
  VotingPaperBallotEntered,
  VotingPaperBallotReviewed,
  VotingProxyRegistered,
  VotingProxyRevoked,
  VotingProposalClosed,
  VotingProposalDecided,
  VotingProposalWithdrawn,
  VotingPreliminaryResult,
  VotingPostAdded,
  VotingPostHidden,
  VotingAmendmentProposed,
  VotingAmendmentDecided,
  VotingNegotiationRoundRecorded,
  VotingObjectionFiled,
  VotingObjectionResolved,
  VotingCostPlanAttached
)
/**
 * @since 0.1.0
 * @category events
 */
export type VotingEvent = typeof VotingEvent.Type
