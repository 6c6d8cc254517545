// A consumer of the BUILT @gongzhi/core (CommonJS), compiled by scripts/check-dist-types.mjs.
import { CommunityId, decodeEntry, type JournalEntry, Incentives, Issues, TimeBank, Voting } from "@gongzhi/core"
import { Schema } from "effect"

export const readVoting = (entry: JournalEntry) => decodeEntry(Voting.VotingEvent)(entry)
export const readIssues = (entry: JournalEntry) => decodeEntry(Issues.IssueEvent)(entry)
export const readIncentives = (entry: JournalEntry) => decodeEntry(Incentives.IncentiveEvent)(entry)
export const readTimeBank = (entry: JournalEntry) => decodeEntry(TimeBank.TimeBankEvent)(entry)

export const ids = {
  community: CommunityId.make("c-1"),
  proposal: Voting.ProposalId.make("p-1"),
  caseId: Schema.decodeSync(Issues.CaseId)("2026-000001")
}
