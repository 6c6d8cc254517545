// A consumer of the BUILT @gongzhi/core (ESM), compiled by scripts/check-dist-types.mjs.
// It uses values of every namespace the way the guides do.
import { CommunityId, decodeEntry, type JournalEntry, Schema } from "./shared.mjs"
import { Incentives, Issues, TimeBank, Voting } from "@gongzhi/core"

export const readVoting = (entry: JournalEntry) => decodeEntry(Voting.VotingEvent)(entry)
export const readIssues = (entry: JournalEntry) => decodeEntry(Issues.IssueEvent)(entry)
export const readIncentives = (entry: JournalEntry) => decodeEntry(Incentives.IncentiveEvent)(entry)
export const readTimeBank = (entry: JournalEntry) => decodeEntry(TimeBank.TimeBankEvent)(entry)

export const ids = {
  community: CommunityId.make("c-1"),
  proposal: Voting.ProposalId.make("p-1"),
  caseId: Schema.decodeSync(Issues.CaseId)("2026-000001")
}

// Typed commands through the built declarations: a misspelt field does not compile.
import { ResidentActor } from "@gongzhi/core"
const voter = new ResidentActor({ communityId: ids.community, residentId: "r-1" as never })
export const typed = () => [
  Voting.castBallot(voter, { communityId: "c-1", proposalId: "p-1", residentId: "r-1", channel: "online", choice: { type: "yes-no", value: "yes" } }),
  // @ts-expect-error misspelt field
  Voting.castBallot(voter, { communityId: "c-1", proposalId: "p-1", residentId: "r-1", channel: "online", choice: { type: "yes-no", value: "yes" }, previousReciept: "x" }),
  // @ts-expect-error misspelt field
  Issues.submitReport(voter, { communityId: "c-1", typeId: "t", location: { buildingId: "b-1" }, description: "d", channel: "app", idempotencyKy: "k" })
]
