import { describe, expect, it } from "@effect/vitest"
import { Metrics } from "../src/index.js"

const e = (type: string, occurredAt: number, payload: Record<string, unknown>) => ({ type, occurredAt, payload })

describe("metrics rules", () => {
  it("rates meet a target only strictly above it, and have no rate without a denominator", () => {
    expect(Metrics.rate(6, 10, 0.6)).toStrictEqual({ count: 6, of: 10, rate: 0.6, target: 0.6, meetsTarget: false })
    expect(Metrics.rate(7, 10, 0.6).meetsTarget).toBe(true)
    expect(Metrics.rate(0, 0, 0.6)).toStrictEqual({ count: 0, of: 0, rate: undefined, target: 0.6, meetsTarget: false })
    expect(Metrics.rate(1, 4)).toStrictEqual({ count: 1, of: 4, rate: 0.25 })
  })

  it("counts who took part, never who was only served or named", () => {
    expect(Metrics.participantsOf(e("VotingParticipationRecorded", 0, { proposalId: "p", residentId: "r1" }))).toEqual(["r1"])
    expect(Metrics.participantsOf(e("VotingPostAdded", 0, { author: "resident:r2" }))).toEqual(["r2"])
    expect(Metrics.participantsOf(e("VotingPostAdded", 0, { author: "staff:s1" }))).toEqual([])
    expect(Metrics.participantsOf(e("TimebankServiceConfirmed", 0, { providerId: "r3", recipientId: "r4" }))).toEqual(["r3"])
    expect(Metrics.participantsOf(e("IncentiveAwarded", 0, { source: "peer", giverId: "r5", residentId: "r6" }))).toEqual(["r5", "r6"])
    expect(Metrics.participantsOf(e("IncentiveAwarded", 0, { source: "event", residentId: "r6" }))).toEqual([])
    expect(Metrics.participantsOf(e("IssueReportSubmitted", 0, { typeId: "x" }))).toEqual([]) // filed by staff without a reporter
  })

  it("participation counts households once, inside the period and the scope", () => {
    const householdOf = new Map([["r1", "h1"], ["r2", "h1"], ["r3", "h2"], ["r9", "h9"]])
    const events = [
      e("IssueReportSubmitted", 10, { reporterId: "r1" }),
      e("IssueReportSubmitted", 11, { reporterId: "r2" }),
      e("IssueReportSubmitted", 20, { reporterId: "r3" }), // at `to`: outside
      e("IssueReportSubmitted", 12, { reporterId: "r9" }) // outside the scope
    ]
    expect(Metrics.participationRate(events, householdOf, new Set(["h1", "h2", "h3"]), 10, 20)).toMatchObject({ count: 1, of: 3 })
  })

  it("volunteer minutes, hours per resident and per year, dispute decline", () => {
    const events = [
      e("TimebankServiceConfirmed", 5, { providerId: "r1", minutes: 90 }),
      e("TimebankServiceConfirmed", 6, { providerId: "r2", minutes: 30 }),
      e("TimebankServiceConfirmed", 50, { providerId: "r1", minutes: 999 })
    ]
    expect(Metrics.volunteerMinutes(events, () => true, 0, 10)).toBe(120)
    expect(Metrics.volunteerMinutes(events, (r) => r === "r2", 0, 10)).toBe(30)
    const day = 86_400_000
    expect(Metrics.hoursPerResident(120, 4, 0, 73 * day)).toStrictEqual({ hoursPerResident: 0.5, hoursPerResidentYear: 2.5 })
    expect(Metrics.hoursPerResident(120, 0, 0, day)).toStrictEqual({ hoursPerResident: 0, hoursPerResidentYear: 0 })
    expect(Metrics.decline(1, 4)).toBe(0.75)
    expect(Metrics.decline(3, 0)).toBeUndefined()
    const disputes = [e("IssueReportSubmitted", 1, { typeId: "dispute", reporterId: "r1" }), e("IssueReportSubmitted", 2, { typeId: "leak" })]
    expect(Metrics.disputeCount(disputes, new Set(["dispute"]), () => true, 0, 10)).toBe(1)
  })
})
