/**
 * Type-level tests (compiled by `pnpm typecheck`, never run): every command's
 * input parameter is the encoded type of its input schema, so a misspelt or
 * unknown field, a missing required field or a value of the wrong type is a
 * compile error for TypeScript callers. The decoder still validates at run
 * time for JavaScript callers and HTTP bodies (see the modules' tests).
 */
import { expectTypeOf } from "vitest"
import {
  Incentives,
  Issues,
  OpenAccountInput,
  openAccount,
  PostInput,
  postTransaction,
  ReverseInput,
  reverseTransaction,
  TimeBank,
  Voting
} from "../src/index.js"
import { C, resident, system, treasurer } from "./support.js"

type In<S extends { readonly Encoded: unknown }> = S["Encoded"]

// Kernel (ledger) commands.
expectTypeOf(openAccount).parameter(1).toEqualTypeOf<In<typeof OpenAccountInput>>()
expectTypeOf(postTransaction).parameter(1).toEqualTypeOf<In<typeof PostInput>>()
expectTypeOf(reverseTransaction).parameter(1).toEqualTypeOf<In<typeof ReverseInput>>()

// Voting.
expectTypeOf(Voting.createProposal).parameter(1).toEqualTypeOf<In<typeof Voting.CreateProposalInput>>()
expectTypeOf(Voting.reviewProposal).parameter(1).toEqualTypeOf<In<typeof Voting.ReviewInput>>()
expectTypeOf(Voting.scheduleProposal).parameter(1).toEqualTypeOf<In<typeof Voting.ScheduleInput>>()
expectTypeOf(Voting.openProposal).parameter(1).toEqualTypeOf<In<typeof Voting.ProposalRef>>()
expectTypeOf(Voting.extendProposal).parameter(1).toEqualTypeOf<In<typeof Voting.ExtendInput>>()
expectTypeOf(Voting.castBallot).parameter(1).toEqualTypeOf<In<typeof Voting.CastBallotInput>>()
expectTypeOf(Voting.enterPaperBallot).parameter(1).toEqualTypeOf<In<typeof Voting.EnterPaperInput>>()
expectTypeOf(Voting.confirmPaperBallot).parameter(1).toEqualTypeOf<In<typeof Voting.ConfirmPaperInput>>()
expectTypeOf(Voting.registerProxy).parameter(1).toEqualTypeOf<In<typeof Voting.RegisterProxyInput>>()
expectTypeOf(Voting.revokeProxy).parameter(1).toEqualTypeOf<In<typeof Voting.RevokeProxyInput>>()
expectTypeOf(Voting.closeProposal).parameter(1).toEqualTypeOf<In<typeof Voting.ProposalRef>>()
expectTypeOf(Voting.withdrawProposal).parameter(1).toEqualTypeOf<In<typeof Voting.ProposalRef>>()
expectTypeOf(Voting.finalizeProposal).parameter(1).toEqualTypeOf<In<typeof Voting.ProposalRef>>()
expectTypeOf(Voting.fileObjection).parameter(1).toEqualTypeOf<In<typeof Voting.FileObjectionInput>>()
expectTypeOf(Voting.resolveObjection).parameter(1).toEqualTypeOf<In<typeof Voting.ResolveObjectionInput>>()
expectTypeOf(Voting.postToThread).parameter(1).toEqualTypeOf<In<typeof Voting.PostInput>>()
expectTypeOf(Voting.hidePost).parameter(1).toEqualTypeOf<In<typeof Voting.HidePostInput>>()
expectTypeOf(Voting.proposeAmendment).parameter(1).toEqualTypeOf<In<typeof Voting.ProposeAmendmentInput>>()
expectTypeOf(Voting.decideAmendment).parameter(1).toEqualTypeOf<In<typeof Voting.DecideAmendmentInput>>()
expectTypeOf(Voting.recordNegotiationRound).parameter(1).toEqualTypeOf<In<typeof Voting.RecordRoundInput>>()
expectTypeOf(Voting.attachCostPlan).parameter(1).toEqualTypeOf<In<typeof Voting.AttachCostPlanInput>>()

// Issues.
expectTypeOf(Issues.submitReport).parameter(1).toEqualTypeOf<In<typeof Issues.SubmitReportInput>>()
expectTypeOf(Issues.submitGeoReport).parameter(2).toEqualTypeOf<In<typeof Issues.Open311PostPayload>>()
expectTypeOf(Issues.accept).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.reject).parameter(1).toEqualTypeOf<In<typeof Issues.RejectInput>>()
expectTypeOf(Issues.dispatch).parameter(1).toEqualTypeOf<In<typeof Issues.DispatchInput>>()
expectTypeOf(Issues.returnCase).parameter(1).toEqualTypeOf<In<typeof Issues.ReturnInput>>()
expectTypeOf(Issues.assign).parameter(1).toEqualTypeOf<In<typeof Issues.AssignInput>>()
expectTypeOf(Issues.signFor).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.start).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.addNote).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.pause).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.resume).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.requestExtension).parameter(1).toEqualTypeOf<In<typeof Issues.RequestExtensionInput>>()
expectTypeOf(Issues.decideExtension).parameter(1).toEqualTypeOf<In<typeof Issues.DecideExtensionInput>>()
expectTypeOf(Issues.changeType).parameter(1).toEqualTypeOf<In<typeof Issues.ChangeTypeInput>>()
expectTypeOf(Issues.answer).parameter(1).toEqualTypeOf<In<typeof Issues.AnswerInput>>()
expectTypeOf(Issues.followUp).parameter(1).toEqualTypeOf<In<typeof Issues.FollowUpInput>>()
expectTypeOf(Issues.close).parameter(1).toEqualTypeOf<In<typeof Issues.CloseInput>>()
expectTypeOf(Issues.reopen).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.follow).parameter(1).toEqualTypeOf<In<typeof Issues.CaseStepInput>>()
expectTypeOf(Issues.recordMediationSession).parameter(1).toEqualTypeOf<In<typeof Issues.MediationSessionInput>>()
expectTypeOf(Issues.recordMediationOutcome).parameter(1).toEqualTypeOf<In<typeof Issues.MediationOutcomeInput>>()
expectTypeOf(Issues.escalateMediation).parameter(1).toEqualTypeOf<In<typeof Issues.EscalateInput>>()
expectTypeOf(Issues.markDuplicate).parameter(1).toEqualTypeOf<In<typeof Issues.MarkDuplicateInput>>()
expectTypeOf(Issues.dueScan).parameter(1).toEqualTypeOf<In<typeof Issues.DueScanInput>>()
expectTypeOf(Issues.findPotentialDuplicates).parameter(1).toEqualTypeOf<In<typeof Issues.FindDuplicatesInput>>()

// Incentives.
expectTypeOf(Incentives.award).parameter(1).toEqualTypeOf<In<typeof Incentives.AwardInput>>()
expectTypeOf(Incentives.awardPeer).parameter(1).toEqualTypeOf<In<typeof Incentives.PeerAwardInput>>()
expectTypeOf(Incentives.revokeAward).parameter(1).toEqualTypeOf<In<typeof Incentives.RevokeAwardInput>>()
expectTypeOf(Incentives.addItem).parameter(1).toEqualTypeOf<In<typeof Incentives.AddItemInput>>()
expectTypeOf(Incentives.updateItem).parameter(1).toEqualTypeOf<In<typeof Incentives.UpdateItemInput>>()
expectTypeOf(Incentives.redeem).parameter(1).toEqualTypeOf<In<typeof Incentives.RedeemInput>>()
expectTypeOf(Incentives.cancelRedemption).parameter(1).toEqualTypeOf<In<typeof Incentives.CancelRedemptionInput>>()
expectTypeOf(Incentives.fulfilRedemption).parameter(1).toEqualTypeOf<In<typeof Incentives.FulfilRedemptionInput>>()
expectTypeOf(Incentives.expireDue).parameter(1).toEqualTypeOf<In<typeof Incentives.ExpireDueInput>>()
expectTypeOf(Incentives.setLeaderboardOptOut).parameter(1).toEqualTypeOf<In<typeof Incentives.OptOutInput>>()

// Time bank.
expectTypeOf(TimeBank.defineServiceType).parameter(1).toEqualTypeOf<In<typeof TimeBank.DefineServiceTypeInput>>()
expectTypeOf(TimeBank.recordService).parameter(1).toEqualTypeOf<In<typeof TimeBank.RecordServiceInput>>()
expectTypeOf(TimeBank.confirmService).parameter(1).toEqualTypeOf<In<typeof TimeBank.ConfirmServiceInput>>()
expectTypeOf(TimeBank.disputeService).parameter(1).toEqualTypeOf<In<typeof TimeBank.DisputeServiceInput>>()
expectTypeOf(TimeBank.resolveDispute).parameter(1).toEqualTypeOf<In<typeof TimeBank.ResolveDisputeInput>>()
expectTypeOf(TimeBank.reverseService).parameter(1).toEqualTypeOf<In<typeof TimeBank.ReverseServiceInput>>()
expectTypeOf(TimeBank.transfer).parameter(1).toEqualTypeOf<In<typeof TimeBank.TransferInput>>()
expectTypeOf(TimeBank.giftToParent).parameter(1).toEqualTypeOf<In<typeof TimeBank.TransferInput>>()
expectTypeOf(TimeBank.redeem).parameter(1).toEqualTypeOf<In<typeof TimeBank.RedeemInput>>()
expectTypeOf(TimeBank.payOut).parameter(1).toEqualTypeOf<In<typeof TimeBank.PayOutInput>>()
expectTypeOf(TimeBank.reverseMovement).parameter(1).toEqualTypeOf<In<typeof TimeBank.ReverseMovementInput>>()

// The input is not `unknown` and not an index signature: anything goes would accept this.
expectTypeOf<{ readonly anything: 1 }>().not.toMatchTypeOf<Parameters<typeof Voting.castBallot>[1]>()

/**
 * Misspelt fields, per module: each call is complete and correct except for
 * one misspelt optional field, so the only error the compiler can report is
 * the misspelling (an excess property). `@ts-expect-error` fails the
 * typecheck if the call compiled.
 */
export const misspelt = () => {
  const r = resident("r-1")
  // Voting: `previousReceipt` misspelt.
  Voting.castBallot(r, {
    communityId: C, proposalId: "p-1", residentId: "r-1", channel: "online", choice: { type: "yes-no", value: "yes" },
    // @ts-expect-error misspelt field
    previousReciept: "x"
  })
  // Voting: a wrong literal.
  // @ts-expect-error "maybe" is not a yes-no value
  Voting.castBallot(r, { communityId: C, proposalId: "p-1", residentId: "r-1", channel: "online", choice: { type: "yes-no", value: "maybe" } })
  // The same call spelt right compiles.
  Voting.castBallot(r, { communityId: C, proposalId: "p-1", residentId: "r-1", channel: "online", choice: { type: "yes-no", value: "yes" }, previousReceipt: "x" })

  // Issues: `idempotencyKey` misspelt.
  Issues.submitReport(r, {
    communityId: C, typeId: "street-light", location: { buildingId: "b-1" }, description: "灯不亮", channel: "app",
    // @ts-expect-error misspelt field
    idempotencyKy: "k-1"
  })
  Issues.submitReport(r, { communityId: C, typeId: "street-light", location: { buildingId: "b-1" }, description: "灯不亮", channel: "app", idempotencyKey: "k-1" })
  // Issues (case commands): `note` misspelt.
  Issues.accept(treasurer, {
    communityId: C, caseId: "2026-000001",
    // @ts-expect-error misspelt field
    note_: "ok"
  })

  // Incentives: `idempotencyKey` misspelt.
  Incentives.award(system, {
    communityId: C, residentId: "r-1", action: "vote", reason: "voted",
    // @ts-expect-error misspelt field
    idempotencyKey_: "k"
  })
  // Incentives: the required reason is missing.
  // @ts-expect-error reason is required
  Incentives.award(system, { communityId: C, residentId: "r-1", points: 1 })

  // Time bank: `minutes` misspelt.
  TimeBank.recordService(r, {
    communityId: C, providerId: "r-1", recipientId: "r-2", serviceType: "elderly-care",
    // @ts-expect-error misspelt field
    minuts: 60
  })
  TimeBank.recordService(r, { communityId: C, providerId: "r-1", recipientId: "r-2", serviceType: "elderly-care", minutes: 60 })

  // Kernel ledger: `floor` misspelt; a unit that does not exist.
  openAccount(treasurer, {
    communityId: C, accountId: "a-1", unit: "points", kind: "resident-points",
    // @ts-expect-error misspelt field
    flor: 0
  })
  // @ts-expect-error "yuan" is not a ledger unit
  openAccount(treasurer, { communityId: C, accountId: "a-1", unit: "yuan", kind: "resident-points" })
  postTransaction(treasurer, { communityId: C, unit: "points", kind: "transfer", memo: "", postings: [{ accountId: "a", amount: -1 }, { accountId: "b", amount: 1 }] })
}
