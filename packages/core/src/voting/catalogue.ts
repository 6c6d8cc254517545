/**
 * The voting module's entries in the command catalogue, and the schemas of
 * the results that had none.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { catalogueBuilder, catalogueEntries } from "../kernel/catalogue.js"
import { AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound, StoreUnavailable } from "../kernel/errors.js"
import { CommunityId, ResidentId } from "../kernel/ids.js"
import { Sha256Hex } from "../kernel/journal.js"
import {
  AlreadyVoted,
  DeadlinePassed,
  InvalidChoice,
  InvalidProposal,
  NegotiationRoundsMissing,
  NotEligible,
  ObjectionPeriod,
  PendingConfirmation,
  ProposalNotOpen,
  ProxyLimitExceeded,
  ProxyNotAuthorised
} from "./errors.js"
import { VotingEvent } from "./events.js"
import {
  Amendment,
  AttachCostPlanInput,
  CastBallotInput,
  ChoiceSchema,
  ConfirmPaperInput,
  CostPlanLine,
  CreateProposalInput,
  DecideAmendmentInput,
  EnterPaperInput,
  ExtendInput,
  FileObjectionInput,
  HidePostInput,
  NegotiationRound,
  Objection,
  PaperBallot,
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
  RevokeProxyInput,
  ScheduleInput
} from "./model.js"
import {
  attachCostPlan,
  bulletinBoard,
  castBallot,
  checkReceipt,
  closeDue,
  CloseDueResult,
  closeProposal,
  confirmPaperBallot,
  createProposal,
  decideAmendment,
  deliberation,
  enterPaperBallot,
  extendProposal,
  fileObjection,
  finalizeDue,
  finalizeProposal,
  getProposal,
  hidePost,
  openDue,
  openProposal,
  postToThread,
  proposeAmendment,
  recordNegotiationRound,
  registerProxy,
  resolveObjection,
  reviewProposal,
  revokeProxy,
  scheduleProposal,
  thread,
  verifyTally,
  voterView,
  votingPermissions,
  withdrawProposal
} from "./service.js"

const entry = catalogueBuilder("voting", votingPermissions, VotingEvent, {
  proposalId: { title: { "zh-CN": "提案编号", en: "Proposal id" } },
  proposerId: { title: { "zh-CN": "提案人", en: "Proposer" }, description: { "zh-CN": "居民提案时为本人的居民编号。", en: "The resident who proposes; a resident must name themselves." } },
  title: { title: { "zh-CN": "标题", en: "Title" } },
  body: { title: { "zh-CN": "正文", en: "Body" } },
  ballot: {
    title: { "zh-CN": "票型", en: "Ballot" },
    description: { "zh-CN": "赞成/反对、单选、多选、认可、评分、排序（IRV/STV）；缺省为赞成/反对。", en: "yes/no, single, multiple, approval, score or ranked (IRV/STV); yes/no when absent." }
  },
  rule: {
    title: { "zh-CN": "表决规则", en: "Decision rule" },
    description: { "zh-CN": "预设规则编号（如 civil-code-278-special）或完整规则。", en: "A preset rule id (e.g. civil-code-278-special) or a full rule." }
  },
  choice: { title: { "zh-CN": "选择", en: "Choice" }, description: { "zh-CN": "须与提案的票型一致。", en: "Must match the proposal's ballot type." } },
  onBehalfOf: { title: { "zh-CN": "被代理人", en: "On behalf of" }, description: { "zh-CN": "代理投票时，委托人的居民编号。", en: "For a proxy vote: the principal's resident id." } },
  votingUnitId: { title: { "zh-CN": "表决单元", en: "Voting unit" }, description: { "zh-CN": "拥有多处房产者按处投票时指定。", en: "Names the unit when an owner of several parts votes per part." } },
  secret: { title: { "zh-CN": "无记名投票", en: "Secret ballot" }, description: { "zh-CN": "投票后任何人（含工作人员）都无法把选民与选择对应。", en: "Nobody, staff included, can join a voter to a choice after casting." } },
  receipt: { title: { "zh-CN": "回执码", en: "Receipt code" }, description: { "zh-CN": "无记名投票时交给选民，用以核对选票已计入。", en: "Given to the voter of a secret ballot to check that it was counted." } },
  receiptHash: { title: { "zh-CN": "回执哈希", en: "Receipt hash" }, description: { "zh-CN": "公告板上公开的回执码哈希。", en: "The receipt's hash, public on the bulletin board." } },
  areaDm2: { title: { "zh-CN": "专有部分面积（平方分米）", en: "Exclusive area (dm²)" }, description: { "zh-CN": "1 平方米 = 100 平方分米。", en: "1 m² = 100 dm²." } },
  heads: { title: { "zh-CN": "人数", en: "Heads" } },
  opensAt: { title: { "zh-CN": "开始投票时间", en: "Opens at" }, description: { "zh-CN": "毫秒时间戳。", en: "Milliseconds since the epoch." } },
  closesAt: { title: { "zh-CN": "截止时间", en: "Closes at" }, description: { "zh-CN": "毫秒时间戳。", en: "Milliseconds since the epoch." } },
  payFen: { title: { "zh-CN": "应付金额（分）", en: "To pay (fen)" } },
  compensationFen: { title: { "zh-CN": "补偿金额（分）", en: "Compensation (fen)" } }
})

/**
 * Result of `voting.castBallot` and `voting.confirmPaperBallot`: the receipt
 * of a secret ballot (absent for an open one) and whether it replaced an
 * earlier ballot.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const CastBallotResult = Schema.Struct({
  receipt: Schema.optional(Schema.String),
  receiptHash: Schema.optional(Schema.String),
  replaced: Schema.Boolean
})

const Skipped = Schema.Array(Schema.Struct({ proposalId: ProposalId, reason: Schema.String }))

/**
 * Result of `voting.openDue`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const OpenDueResult = Schema.Struct({ opened: Schema.Array(ProposalId), skipped: Skipped })

/**
 * Result of `voting.finalizeDue`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const FinalizeDueResult = Schema.Struct({ finalized: Schema.Array(ProposalId), skipped: Skipped })

/**
 * The count of a proposal (rules.ts `Decision`, or an option count with the
 * quorum), as stored in `Proposal.result`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const TallyResultJson = Schema.Unknown.annotations({
  title: "TallyResult",
  description: "The count: { kind: \"yes-no\", outcome, decision } or { kind: \"options\", outcome, quorum, count, notice }"
})

/**
 * Result of `voting.closeProposal`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const CloseProposalResult = Schema.Struct({ proposal: Proposal, result: TallyResultJson })

const Weights = {
  heads: Schema.Int,
  areaDm2: Schema.Int,
  weight: Schema.Number,
  affected: Schema.Boolean
}

/**
 * Result of `voting.bulletinBoard`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const BulletinBoardResult = Schema.Union(
  // A secret vote: receipts and choices only (after the close), weights only as per-choice totals.
  Schema.Struct({
    proposalId: ProposalId,
    secret: Schema.Boolean,
    lines: Schema.Array(Schema.Struct({ receiptHash: Schema.String, choice: Schema.optional(ChoiceSchema) })),
    totals: Schema.Array(Schema.Struct({ choice: ChoiceSchema, ballots: Schema.Int, ...Weights })),
    nonVoters: Schema.Array(Schema.Struct(Weights))
  }),
  // An open vote: every ballot with its voting unit and weights.
  Schema.Struct({
    proposalId: ProposalId,
    secret: Schema.Boolean,
    totals: Schema.Undefined,
    lines: Schema.Array(Schema.Struct({
      receiptHash: Schema.String,
      votingUnitId: Schema.optional(Schema.String),
      choice: Schema.optional(ChoiceSchema),
      ...Weights
    })),
    nonVoters: Schema.Array(Schema.Struct(Weights))
  })
)

/**
 * The outcome of verifying a journal's hash chain.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const JournalVerification = Schema.Union(
  Schema.Struct({ ok: Schema.Literal(true), entries: Schema.Int, head: Schema.Struct({ seq: Schema.Int, hash: Sha256Hex }) }),
  Schema.Struct({
    ok: Schema.Literal(false),
    index: Schema.Int,
    seq: Schema.UndefinedOr(Schema.Int),
    reason: Schema.Literal("sequence", "link", "hash", "community", "anchor")
  })
)

/**
 * Result of `voting.verifyTally`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const VerifyTallyResult = Schema.Struct({
  ok: Schema.Boolean,
  outcome: Schema.Literal("passed", "rejected", "failed-quorum"),
  problems: Schema.Array(Schema.String),
  journal: JournalVerification
})

/**
 * One post as `voting.thread` shows it.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const ThreadPostSchema = Schema.Struct({
  id: PostId,
  replyTo: Schema.optional(PostId),
  author: Schema.String,
  postedAt: Schema.Int,
  hidden: Schema.Boolean,
  body: Schema.optional(Schema.String),
  hiddenReason: Schema.optional(Schema.String)
})

/**
 * Result of `voting.deliberation`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const DeliberationResult = Schema.Struct({
  amendments: Schema.Array(Amendment),
  rounds: Schema.Array(NegotiationRound),
  roundsRequired: Schema.Int,
  roundsMissing: Schema.Int,
  objections: Schema.Array(Objection)
})

/**
 * Result of `voting.voterView`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const VoterViewResult = Schema.Struct({
  proposal: Proposal,
  costLines: Schema.Array(CostPlanLine),
  payFen: Schema.Int,
  compensationFen: Schema.Int,
  plan: Schema.UndefinedOr(Schema.Struct({
    totalCostFen: Schema.Int,
    subsidyFen: Schema.Int,
    sharedCostFen: Schema.Int,
    compensationTotalFen: Schema.Int
  }))
})

const Due = Schema.Struct({ communityId: CommunityId, now: Schema.optional(Schema.Int) })
const ProposalOf = Schema.Struct({ communityId: CommunityId, proposalId: ProposalId })

/**
 * The voting module's commands and queries.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const votingCommands = catalogueEntries(
  entry.command({
    name: "voting.createProposal",
    permission: "voting.createProposal",
    title: { "zh-CN": "发起提案", en: "Create a proposal" },
    description: {
      "zh-CN": "新建提案。居民提案先交工作人员审核（review），工作人员提案为草稿（draft）。缺省：赞成/反对票、配置的表决规则、全社区范围。",
      en: "Creates a proposal. A resident's proposal goes to staff review first; a staff proposal starts as a draft. Defaults: yes/no ballot, the configured rule, the whole community."
    },
    input: CreateProposalInput,
    result: Proposal,
    errors: [InvalidInput, Forbidden, AlreadyExists, Conflict, InvalidProposal, StoreUnavailable],
    events: ["VotingProposalCreated"],
    command: createProposal
  }),
  entry.command({
    name: "voting.reviewProposal",
    permission: "voting.reviewProposal",
    title: { "zh-CN": "审核提案", en: "Review a proposal" },
    description: {
      "zh-CN": "工作人员审核居民提案：通过后成为草稿，驳回则撤回。",
      en: "Staff review of a resident's proposal: approve (-> draft) or reject (-> withdrawn)."
    },
    input: ReviewInput,
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, ProposalNotOpen, StoreUnavailable],
    events: ["VotingProposalReviewed"],
    command: reviewProposal
  }),
  entry.command({
    name: "voting.scheduleProposal",
    permission: "voting.scheduleProposal",
    title: { "zh-CN": "安排表决时间", en: "Schedule voting" },
    description: {
      "zh-CN": "为草稿安排投票起止时间（缺省：现在开始，按提案期限截止）。",
      en: "Sets when voting opens (default now) and closes (default opening + the proposal's period)."
    },
    input: ScheduleInput,
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidProposal, ProposalNotOpen, StoreUnavailable],
    events: ["VotingProposalScheduled"],
    command: scheduleProposal
  }),
  entry.command({
    name: "voting.openProposal",
    permission: "voting.openProposal",
    title: { "zh-CN": "开始投票", en: "Open voting" },
    description: {
      "zh-CN": "到达开始时间后开始投票，并从名册冻结选民名单：之后业主或面积的变化不影响本次表决。",
      en: "Opens voting once its time has come and freezes the electorate from the Directory: later changes of owners or areas do not change who votes."
    },
    input: ProposalRef,
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, InvalidProposal, NegotiationRoundsMissing, ProposalNotOpen, StoreUnavailable],
    events: ["VotingProposalOpened"],
    command: openProposal
  }),
  entry.query(Due, (actor, i) => openDue(actor, i.communityId, i.now))({
    name: "voting.openDue",
    permission: "voting.openDue",
    title: { "zh-CN": "开启到期提案", en: "Open due proposals" },
    description: {
      "zh-CN": "供定时任务调用：开启所有已到开始时间的提案，各自一个事务；无法开启的列出错误代码。",
      en: "For a scheduler: opens every scheduled proposal whose time has come, each in its own transaction; those that cannot open are listed with the error code."
    },
    result: OpenDueResult,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: ["VotingProposalOpened"]
  }),
  entry.command({
    name: "voting.extendProposal",
    permission: "voting.extendProposal",
    title: { "zh-CN": "延长投票", en: "Extend voting" },
    description: { "zh-CN": "推迟进行中提案的截止时间，须说明理由（留痕）。", en: "Moves an open proposal's deadline later, with a reason (audited)." },
    input: ExtendInput,
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidProposal, ProposalNotOpen, StoreUnavailable],
    events: ["VotingProposalExtended"],
    command: extendProposal
  }),
  entry.command({
    name: "voting.castBallot",
    permission: "voting.castBallot",
    title: { "zh-CN": "投票", en: "Cast a ballot" },
    description: {
      "zh-CN": "为本人或作为代理人投票；截止前可改票（以最后一次为准）。无记名投票返回回执码。",
      en: "Votes for oneself or as a proxy; until the deadline a new ballot replaces the earlier one. A secret ballot returns a receipt code."
    },
    input: CastBallotInput,
    result: CastBallotResult,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, AlreadyVoted, DeadlinePassed, InvalidChoice, NotEligible, ProposalNotOpen, ProxyNotAuthorised, StoreUnavailable],
    events: ["VotingBallotCast", "VotingParticipationRecorded"],
    command: castBallot
  }),
  entry.command({
    name: "voting.enterPaperBallot",
    permission: "voting.enterPaperBallot",
    title: { "zh-CN": "录入纸质选票", en: "Enter a paper ballot" },
    description: {
      "zh-CN": "工作人员录入纸质选票（附扫描件），须另一人复核后才计入。",
      en: "Staff enter a paper ballot (with its scan); it counts only after a second person confirms it."
    },
    input: EnterPaperInput,
    result: PaperBallot,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, AlreadyVoted, DeadlinePassed, InvalidChoice, NotEligible, PendingConfirmation, ProposalNotOpen, ProxyNotAuthorised, StoreUnavailable],
    events: ["VotingPaperBallotEntered"],
    command: enterPaperBallot
  }),
  entry.command({
    name: "voting.confirmPaperBallot",
    permission: "voting.confirmPaperBallot",
    title: { "zh-CN": "复核纸质选票", en: "Confirm a paper ballot" },
    description: {
      "zh-CN": "另一名工作人员复核纸质选票：确认后计入，驳回则作废。",
      en: "A second staff member confirms a paper ballot (it is counted) or rejects it."
    },
    input: ConfirmPaperInput,
    result: CastBallotResult,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, AlreadyVoted, PendingConfirmation, ProposalNotOpen, StoreUnavailable],
    events: ["VotingBallotCast", "VotingPaperBallotReviewed", "VotingParticipationRecorded"],
    command: confirmPaperBallot
  }),
  entry.command({
    name: "voting.registerProxy",
    permission: "voting.registerProxy",
    title: { "zh-CN": "登记委托投票", en: "Register a proxy" },
    description: {
      "zh-CN": "登记业主委托他人代为投票（每名代理人可代理的人数有上限）。",
      en: "Registers that an owner lets another person vote for them (a proxy holder may represent a limited number of principals)."
    },
    input: RegisterProxyInput,
    result: ProxyGrant,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, NotEligible, ProposalNotOpen, ProxyLimitExceeded, StoreUnavailable],
    events: ["VotingProxyRegistered"],
    command: registerProxy
  }),
  entry.command({
    name: "voting.revokeProxy",
    permission: "voting.revokeProxy",
    title: { "zh-CN": "撤销委托", en: "Revoke a proxy" },
    description: { "zh-CN": "撤销一项委托投票授权。", en: "Revokes a proxy grant." },
    input: RevokeProxyInput,
    result: ProxyGrant,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, StoreUnavailable],
    events: ["VotingProxyRevoked"],
    command: revokeProxy
  }),
  entry.command({
    name: "voting.closeProposal",
    permission: "voting.closeProposal",
    title: { "zh-CN": "结束投票并计票", en: "Close and count" },
    description: {
      "zh-CN": "结束投票并按表决规则计票；设有异议期时先公布初步结果。",
      en: "Closes voting and counts by the decision rule; with an objection period the result is preliminary first."
    },
    input: ProposalRef,
    result: CloseProposalResult,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, PendingConfirmation, ProposalNotOpen, StoreUnavailable],
    events: ["VotingParticipationRecorded", "VotingPreliminaryResult", "VotingProposalClosed", "VotingProposalDecided"],
    command: closeProposal
  }),
  entry.query(Due, (actor, i) => closeDue(actor, i.communityId, i.now))({
    name: "voting.closeDue",
    permission: "voting.closeDue",
    title: { "zh-CN": "结束到期提案", en: "Close due proposals" },
    description: {
      "zh-CN": "供定时任务调用：结束所有已到截止时间的提案；参与率不足且配置了自动延长的延长一次。",
      en: "For a scheduler: closes every proposal past its deadline; one whose turnout falls short is extended once when automatic extension is configured."
    },
    result: CloseDueResult,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: ["VotingParticipationRecorded", "VotingPreliminaryResult", "VotingProposalClosed", "VotingProposalDecided", "VotingProposalExtended"]
  }),
  entry.command({
    name: "voting.withdrawProposal",
    permission: "voting.withdrawProposal",
    title: { "zh-CN": "撤回提案", en: "Withdraw a proposal" },
    description: { "zh-CN": "在投票结束前撤回提案。", en: "Withdraws a proposal before voting ends." },
    input: ProposalRef,
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, ProposalNotOpen, StoreUnavailable],
    events: ["VotingProposalWithdrawn"],
    command: withdrawProposal
  }),
  entry.query(ProposalOf, (actor, i) => getProposal(actor, i.communityId, i.proposalId))({
    name: "voting.getProposal",
    permission: "voting.read",
    title: { "zh-CN": "查看提案", en: "Get a proposal" },
    description: { "zh-CN": "一项提案及其状态、规则和结果。", en: "A proposal with its status, rule and result." },
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.query(ProposalOf, (actor, i) => bulletinBoard(actor, i.communityId, i.proposalId))({
    name: "voting.bulletinBoard",
    permission: "voting.read",
    title: { "zh-CN": "公告板", en: "Bulletin board" },
    description: {
      "zh-CN": "公开的选票清单（回执哈希、权重；无记名投票在结束后才显示选择），任何人可据此复算结果。",
      en: "The public list of ballots (receipt hashes and weights; a secret vote's choices only after closing), from which anyone can recompute the result."
    },
    result: BulletinBoardResult,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.query(ProposalOf, (actor, i) => verifyTally(actor, i.communityId, i.proposalId))({
    name: "voting.verifyTally",
    permission: "voting.read",
    title: { "zh-CN": "核验计票", en: "Verify the tally" },
    description: {
      "zh-CN": "根据公告板复算结果，并与存储的结果和日志（哈希链、公告的回执）核对。",
      en: "Recomputes the result from the bulletin board and checks it against the stored outcome and the journal (hash chain, announced receipts)."
    },
    result: VerifyTallyResult,
    errors: [InvalidInput, Forbidden, NotFound, ProposalNotOpen, StoreUnavailable],
    events: []
  }),
  entry.query(
    Schema.Struct({ communityId: CommunityId, proposalId: ProposalId, code: Schema.String }),
    (actor, i) => checkReceipt(actor, i.communityId, i.proposalId, i.code)
  )({
    name: "voting.checkReceipt",
    permission: "voting.read",
    title: { "zh-CN": "核对回执", en: "Check a receipt" },
    description: { "zh-CN": "选民核对其无记名选票是否在公告板上。", en: "A voter checks that their secret ballot is on the bulletin board." },
    result: Schema.Boolean,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.command({
    name: "voting.finalizeProposal",
    permission: "voting.finalize",
    title: { "zh-CN": "确认最终结果", en: "Finalize a result" },
    description: {
      "zh-CN": "异议期结束且无未决异议后，将初步结果确定为最终结果。",
      en: "Makes a preliminary result final once the objection period is over and no objection is pending."
    },
    input: ProposalRef,
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, ObjectionPeriod, ProposalNotOpen, StoreUnavailable],
    events: ["VotingProposalDecided"],
    command: finalizeProposal
  }),
  entry.query(Due, (actor, i) => finalizeDue(actor, i.communityId, i.now))({
    name: "voting.finalizeDue",
    permission: "voting.finalize",
    title: { "zh-CN": "确认到期结果", en: "Finalize due results" },
    description: {
      "zh-CN": "供定时任务调用：确认所有异议期已过的初步结果。",
      en: "For a scheduler: finalizes every preliminary result whose objection period is over."
    },
    result: FinalizeDueResult,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: ["VotingProposalDecided"]
  }),
  entry.command({
    name: "voting.fileObjection",
    permission: "voting.fileObjection",
    title: { "zh-CN": "提出异议", en: "File an objection" },
    description: { "zh-CN": "居民在异议期内对初步结果提出异议。", en: "A resident objects to a preliminary result during the objection period." },
    input: FileObjectionInput,
    result: Objection,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, ObjectionPeriod, ProposalNotOpen, StoreUnavailable],
    events: ["VotingObjectionFiled"],
    command: fileObjection
  }),
  entry.command({
    name: "voting.resolveObjection",
    permission: "voting.resolveObjection",
    title: { "zh-CN": "处理异议", en: "Resolve an objection" },
    description: {
      "zh-CN": "驳回异议，或予以支持（重新计票或宣布表决无效）。",
      en: "Dismisses an objection or upholds it (recount, or void the vote)."
    },
    input: ResolveObjectionInput,
    result: Schema.Struct({ objection: Objection, proposal: Proposal }),
    errors: [InvalidInput, Forbidden, NotFound, Conflict, ObjectionPeriod, ProposalNotOpen, StoreUnavailable],
    events: ["VotingObjectionResolved", "VotingPreliminaryResult", "VotingProposalDecided"],
    command: resolveObjection
  }),
  entry.command({
    name: "voting.postToThread",
    permission: "voting.post",
    title: { "zh-CN": "发表讨论", en: "Post to the thread" },
    description: { "zh-CN": "在提案的讨论区发言或回复。", en: "Posts (or replies) in a proposal's discussion thread." },
    input: PostInput,
    result: Post,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, ProposalNotOpen, StoreUnavailable],
    events: ["VotingPostAdded"],
    command: postToThread
  }),
  entry.command({
    name: "voting.hidePost",
    permission: "voting.moderate",
    title: { "zh-CN": "隐藏发言", en: "Hide a post" },
    description: { "zh-CN": "版主隐藏一条发言并说明理由；发言位置与作者仍保留。", en: "A moderator hides a post with a reason; its place and author stay." },
    input: HidePostInput,
    result: Post,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, StoreUnavailable],
    events: ["VotingPostHidden"],
    command: hidePost
  }),
  entry.query(ProposalOf, (actor, i) => thread(actor, i.communityId, i.proposalId))({
    name: "voting.thread",
    permission: "voting.read",
    title: { "zh-CN": "讨论区", en: "Discussion thread" },
    description: { "zh-CN": "提案的讨论，按发言顺序；被隐藏的显示理由。", en: "A proposal's thread in posting order; hidden posts show the reason." },
    result: Schema.Array(ThreadPostSchema),
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.command({
    name: "voting.proposeAmendment",
    permission: "voting.proposeAmendment",
    title: { "zh-CN": "提出修改意见", en: "Propose an amendment" },
    description: { "zh-CN": "在审核、草稿或已排期阶段提出对提案文本的修改。", en: "Proposes a change of a proposal's text while in review, draft or scheduled." },
    input: ProposeAmendmentInput,
    result: Amendment,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, ProposalNotOpen, StoreUnavailable],
    events: ["VotingAmendmentProposed"],
    command: proposeAmendment
  }),
  entry.command({
    name: "voting.decideAmendment",
    permission: "voting.decideAmendment",
    title: { "zh-CN": "决定修改意见", en: "Decide an amendment" },
    description: { "zh-CN": "采纳（更新提案文本）或不采纳一项修改意见。", en: "Accepts (the proposal's text changes) or declines an amendment." },
    input: DecideAmendmentInput,
    result: Schema.Struct({ amendment: Amendment, proposal: Proposal }),
    errors: [InvalidInput, Forbidden, NotFound, Conflict, ProposalNotOpen, StoreUnavailable],
    events: ["VotingAmendmentDecided"],
    command: decideAmendment
  }),
  entry.command({
    name: "voting.recordNegotiationRound",
    permission: "voting.recordRound",
    title: { "zh-CN": "记录协商会", en: "Record a negotiation round" },
    description: { "zh-CN": "记录一次协商会（如加装电梯前要求的三轮协商）。", en: "Records a negotiation meeting (e.g. the three rounds required before an elevator retrofit vote)." },
    input: RecordRoundInput,
    result: NegotiationRound,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, ProposalNotOpen, StoreUnavailable],
    events: ["VotingNegotiationRoundRecorded"],
    command: recordNegotiationRound
  }),
  entry.query(ProposalOf, (actor, i) => deliberation(actor, i.communityId, i.proposalId))({
    name: "voting.deliberation",
    permission: "voting.read",
    title: { "zh-CN": "议事记录", en: "Deliberation record" },
    description: { "zh-CN": "提案的修改意见、协商会（及尚缺轮数）和异议。", en: "A proposal's amendments, negotiation rounds (and how many are missing) and objections." },
    result: DeliberationResult,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.command({
    name: "voting.attachCostPlan",
    permission: "voting.attachCostPlan",
    title: { "zh-CN": "附加费用分摊方案", en: "Attach a cost plan" },
    description: {
      "zh-CN": "为提案附加费用分摊方案（如加装电梯：政府补贴 40%，其余由高层按楼层分摊，低层获补偿）；替换之前的方案。",
      en: "Attaches a cost-sharing plan (e.g. an elevator: 40% subsidy, the rest shared by upper floors, lower floors compensated); replaces an earlier plan."
    },
    input: AttachCostPlanInput,
    result: Proposal,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, InvalidProposal, ProposalNotOpen, StoreUnavailable],
    events: ["VotingCostPlanAttached"],
    command: attachCostPlan
  }),
  entry.query(
    Schema.Struct({ communityId: CommunityId, proposalId: ProposalId, residentId: ResidentId }),
    (actor, i) => voterView(actor, i.communityId, i.proposalId, i.residentId)
  )({
    name: "voting.voterView",
    permission: "voting.read",
    title: { "zh-CN": "选民视图", en: "Voter's view" },
    description: {
      "zh-CN": "选民看到的提案及其本人应付与应得的分摊金额；居民只能查看本人的视图。",
      en: "The proposal as a voter sees it, with what they pay and receive under the cost plan; a resident sees only their own."
    },
    result: VoterViewResult,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  })
)
