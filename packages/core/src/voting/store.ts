/**
 * The voting module's storage port. Plain records in and out; every method
 * takes the community first; lookups return `Option`. Tables (PostgreSQL
 * keys start with `community_id`):
 *
 * - proposals `(community_id, id)`, with `version` for optimistic concurrency;
 * - voting units `(community_id, proposal_id, id)` plus an owner index
 *   `(community_id, proposal_id, owner_id, unit_id)`: the frozen electorate and
 *   each unit's "has voted" marker;
 * - open ballots `(community_id, proposal_id, voting_unit_id)`: one per unit;
 * - secret ballots `(community_id, proposal_id, receipt_hash)`: ballots waiting
 *   to be mixed; mixed ballots `(community_id, proposal_id, receipt_hash)`
 *   (receipt and choice only) and per-choice totals. An adapter must not add
 *   timestamps, serial ids or anything else that reveals the order of
 *   insertion to these tables or to the markers;
 * - paper ballots `(community_id, proposal_id, id)`;
 * - proxies `(community_id, proposal_id, principal_id)`;
 * - deliberation: posts `(community_id, proposal_id, id)` (never deleted,
 *   hidden by moderation), amendments `(community_id, proposal_id, id)`,
 *   negotiation rounds `(community_id, proposal_id, id)` with a unique
 *   `(community_id, proposal_id, number)`;
 * - objections `(community_id, proposal_id, id)`.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { AlreadyExists, Conflict, NotFound, StoreUnavailable } from "../kernel/errors.js"
import type { CommunityId, ResidentId } from "../kernel/ids.js"
import type {
  Amendment,
  AmendmentId,
  NegotiationRound,
  Objection,
  ObjectionId,
  OpenBallot,
  PaperBallot,
  PaperBallotId,
  Post,
  PostId,
  Proposal,
  ProposalId,
  ProposalStatus,
  ProxyGrant,
  MixedBallot,
  SecretBallot,
  SecretTotal,
  VotingUnit
} from "./model.js"

/**
 * How {@link VotingStore} `getProposal` locks the proposal inside a transaction.
 *
 * @since 0.1.0
 * @category ports
 */
export type ProposalLock = "update" | "share"

/**
 * The voting store port.
 *
 * @since 0.1.0
 * @category ports
 */
export class VotingStore extends Context.Tag("@gongzhi/core/VotingStore")<
  VotingStore,
  {
    /** Fails with `AlreadyExists` when the id is taken in the community. */
    readonly insertProposal: (proposal: Proposal) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    /**
     * Inside a transaction the proposal stays locked until it ends, so that
     * nothing changes it meanwhile (opening, closing, extending). `"update"`
     * (the default) is for commands that change the proposal and excludes
     * every other command on it; `"share"` is for commands that only need it
     * to stay as read (casting, entering and confirming ballots) and lets
     * them run side by side (PostgreSQL: `FOR SHARE`).
     */
    readonly getProposal: (
      communityId: CommunityId,
      id: ProposalId,
      lock?: ProposalLock
    ) => Effect.Effect<Option.Option<Proposal>, StoreUnavailable>
    /**
     * Replaces a proposal whose stored `version` equals `expectedVersion`
     * (the new record carries `expectedVersion + 1`); otherwise fails with
     * `Conflict` and changes nothing (also when it does not exist).
     */
    readonly updateProposal: (proposal: Proposal, expectedVersion: number) => Effect.Effect<void, Conflict | StoreUnavailable>
    /** Proposals of a community, optionally of one status, ordered by `createdAt` then `id`. */
    readonly listProposals: (
      communityId: CommunityId,
      status?: ProposalStatus
    ) => Effect.Effect<ReadonlyArray<Proposal>, StoreUnavailable>

    /**
     * Stores a proposal's frozen electorate at once. Fails with `AlreadyExists`
     * (and stores nothing) if the proposal already has voting units.
     */
    readonly insertVotingUnits: (
      communityId: CommunityId,
      proposalId: ProposalId,
      units: ReadonlyArray<VotingUnit>
    ) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getVotingUnit: (
      communityId: CommunityId,
      proposalId: ProposalId,
      id: string
    ) => Effect.Effect<Option.Option<VotingUnit>, StoreUnavailable>
    /** The voting units that list `ownerId` among their owners, ordered by id. */
    readonly findVotingUnitsByOwner: (
      communityId: CommunityId,
      proposalId: ProposalId,
      ownerId: ResidentId
    ) => Effect.Effect<ReadonlyArray<VotingUnit>, StoreUnavailable>
    /** Every voting unit of a proposal, ordered by id. */
    readonly listVotingUnits: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<VotingUnit>, StoreUnavailable>
    /**
     * Updates a unit's marker fields in place (`voted`, `byProxy`, `channel`,
     * `participantId`). Fails with `NotFound` if the unit does not exist. The
     * row keeps its position: no ordering may reveal when it changed.
     */
    readonly updateVotingUnit: (unit: VotingUnit) => Effect.Effect<void, NotFound | StoreUnavailable>

    /** Inserts or replaces the open ballot of `(proposalId, votingUnitId)`. */
    readonly putOpenBallot: (ballot: OpenBallot) => Effect.Effect<void, StoreUnavailable>
    readonly getOpenBallot: (
      communityId: CommunityId,
      proposalId: ProposalId,
      votingUnitId: string
    ) => Effect.Effect<Option.Option<OpenBallot>, StoreUnavailable>
    /** Open ballots of a proposal, ordered by voting unit id. */
    readonly listOpenBallots: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<OpenBallot>, StoreUnavailable>

    /** Adds an anonymous ballot; `AlreadyExists` if the receipt hash is taken. */
    readonly insertSecretBallot: (ballot: SecretBallot) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getSecretBallot: (
      communityId: CommunityId,
      proposalId: ProposalId,
      receiptHash: string
    ) => Effect.Effect<Option.Option<SecretBallot>, StoreUnavailable>
    /** Removes an anonymous ballot (a changed vote); no-op when absent. */
    readonly deleteSecretBallot: (
      communityId: CommunityId,
      proposalId: ProposalId,
      receiptHash: string
    ) => Effect.Effect<void, StoreUnavailable>
    /** The ballots waiting to be mixed, ordered by receipt hash (never by insertion). */
    readonly listSecretBallots: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<SecretBallot>, StoreUnavailable>
    /** A mixed ballot by its receipt hash. @since 0.2.0 */
    readonly getMixedBallot: (
      communityId: CommunityId,
      proposalId: ProposalId,
      receiptHash: string
    ) => Effect.Effect<Option.Option<MixedBallot>, StoreUnavailable>
    /** The mixed ballots, ordered by receipt hash. @since 0.2.0 */
    readonly listMixedBallots: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<MixedBallot>, StoreUnavailable>
    /** The per-choice sums of the mixed ballots' weights, ordered by choice key and `affected`. @since 0.2.0 */
    readonly listSecretTotals: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<SecretTotal>, StoreUnavailable>
    /**
     * Applies a mix in the current transaction: removes the mixed `pending`
     * ballots and the `retracted` mixed ones, inserts `mixed` in the order
     * given (a random one: an adapter must not reorder them by anything that
     * follows the casting order), and replaces the proposal's totals.
     *
     * @since 0.2.0
     */
    readonly applySecretMix: (
      communityId: CommunityId,
      proposalId: ProposalId,
      mix: {
        readonly pending: ReadonlyArray<string>
        readonly retracted: ReadonlyArray<string>
        readonly mixed: ReadonlyArray<MixedBallot>
        readonly totals: ReadonlyArray<SecretTotal>
      }
    ) => Effect.Effect<void, StoreUnavailable | Conflict>

    /** `AlreadyExists` if the id is taken. */
    readonly insertPaperBallot: (ballot: PaperBallot) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getPaperBallot: (
      communityId: CommunityId,
      proposalId: ProposalId,
      id: PaperBallotId
    ) => Effect.Effect<Option.Option<PaperBallot>, StoreUnavailable>
    /** Replaces a paper ballot; `NotFound` if it does not exist. */
    readonly updatePaperBallot: (ballot: PaperBallot) => Effect.Effect<void, NotFound | StoreUnavailable>
    /** Paper ballots of a proposal, optionally of one status, ordered by id. */
    readonly listPaperBallots: (
      communityId: CommunityId,
      proposalId: ProposalId,
      status?: PaperBallot["status"]
    ) => Effect.Effect<ReadonlyArray<PaperBallot>, StoreUnavailable>

    /** Inserts or replaces the proxy of `(proposalId, principalId)`. */
    readonly putProxy: (proxy: ProxyGrant) => Effect.Effect<void, StoreUnavailable>
    readonly getProxy: (
      communityId: CommunityId,
      proposalId: ProposalId,
      principalId: ResidentId
    ) => Effect.Effect<Option.Option<ProxyGrant>, StoreUnavailable>
    /** Proxies (revoked ones included) a holder holds on a proposal, ordered by principal id. */
    readonly listProxiesByHolder: (
      communityId: CommunityId,
      proposalId: ProposalId,
      holderId: ResidentId
    ) => Effect.Effect<ReadonlyArray<ProxyGrant>, StoreUnavailable>
    /** Every proxy of a proposal, ordered by principal id. */
    readonly listProxies: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<ProxyGrant>, StoreUnavailable>

    /** Adds a thread post; `AlreadyExists` if the id is taken in the proposal. */
    readonly insertPost: (post: Post) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getPost: (
      communityId: CommunityId,
      proposalId: ProposalId,
      id: PostId
    ) => Effect.Effect<Option.Option<Post>, StoreUnavailable>
    /** Replaces a post (moderation sets the `hidden*` fields); `NotFound` if it does not exist. Posts are never deleted. */
    readonly updatePost: (post: Post) => Effect.Effect<void, NotFound | StoreUnavailable>
    /** Every post of a proposal, hidden ones included, ordered by `postedAt` then id. */
    readonly listPosts: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<Post>, StoreUnavailable>

    /** Adds an amendment; `AlreadyExists` if the id is taken in the proposal. */
    readonly insertAmendment: (amendment: Amendment) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getAmendment: (
      communityId: CommunityId,
      proposalId: ProposalId,
      id: AmendmentId
    ) => Effect.Effect<Option.Option<Amendment>, StoreUnavailable>
    /** Replaces an amendment (its decision); `NotFound` if it does not exist. */
    readonly updateAmendment: (amendment: Amendment) => Effect.Effect<void, NotFound | StoreUnavailable>
    /** Amendments of a proposal, optionally of one status, ordered by `proposedAt` then id. */
    readonly listAmendments: (
      communityId: CommunityId,
      proposalId: ProposalId,
      status?: Amendment["status"]
    ) => Effect.Effect<ReadonlyArray<Amendment>, StoreUnavailable>

    /**
     * Adds the minutes of a negotiation round. Rounds are never changed.
     * `AlreadyExists` (and nothing stored) if the id or the round `number` is
     * taken in the proposal, so two concurrent recorders cannot both be round N.
     */
    readonly insertRound: (round: NegotiationRound) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    /** Rounds of a proposal, ordered by `number`. */
    readonly listRounds: (
      communityId: CommunityId,
      proposalId: ProposalId
    ) => Effect.Effect<ReadonlyArray<NegotiationRound>, StoreUnavailable>

    /** Adds an objection; `AlreadyExists` if the id is taken in the proposal. */
    readonly insertObjection: (objection: Objection) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getObjection: (
      communityId: CommunityId,
      proposalId: ProposalId,
      id: ObjectionId
    ) => Effect.Effect<Option.Option<Objection>, StoreUnavailable>
    /** Replaces an objection (its resolution); `NotFound` if it does not exist. */
    readonly updateObjection: (objection: Objection) => Effect.Effect<void, NotFound | StoreUnavailable>
    /** Objections of a proposal, optionally of one status, ordered by `filedAt` then id. */
    readonly listObjections: (
      communityId: CommunityId,
      proposalId: ProposalId,
      status?: Objection["status"]
    ) => Effect.Effect<ReadonlyArray<Objection>, StoreUnavailable>
  }
>() {}
