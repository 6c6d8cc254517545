import { type DirectorySnapshot, formatFen, ResidentActor, StaffActor, SystemActor, Voting } from "@gongzhi/core"
import { Effect } from "effect"
import { heading, line } from "../print.js"

/** Voting: the seed's elevator decision in one unit, with its explained result. */
export const votingChapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const unit = community.units[0]!
    const households = community.households.filter((h) => h.unitId === unit.id)
    const member = community.staff.find((s) => s.roles.includes("committee" as never))!
    const committee = new StaffActor({ communityId: c, staffId: member.id, roles: member.roles, departments: member.departments })
    const clerkStaff = community.staff.find((s) => s.roles.includes("clerk" as never))!
    const clerk = new StaffActor({ communityId: c, staffId: clerkStaff.id, roles: clerkStaff.roles, departments: clerkStaff.departments })
    const system = new SystemActor({ communityId: c, process: "scheduler" })

    heading(`V1. 加装电梯 — adding an elevator to ${unit.id} (${households.length} households)`)
    const plan = Voting.planCostSharing({
      totalCostFen: 60_000_000,
      subsidyShare: { num: 40, den: 100 },
      households,
      floorWeights: Voting.defaultFloorWeights(6),
      byArea: false,
      compensation: Voting.defaultCompensation,
      lumpSumFen: { "1": 4_000_000, "2": 1_500_000 }
    })
    if (!("problem" in plan)) {
      line(`cost ${formatFen(plan.totalCostFen)} yuan: subsidy ${formatFen(plan.subsidyFen)}, shared ${formatFen(plan.sharedCostFen)}, low-floor compensation ${formatFen(plan.compensationTotalFen)}`)
      for (const floor of [1, 2, 3, 6]) {
        const l = plan.lines.find((x) => x.floor === floor)!
        line(`floor ${floor}: pays ${formatFen(l.payFen)} yuan, receives ${formatFen(l.compensationFen)} yuan + ${l.feeWaiverYears} years' fee waiver`)
      }
    }
    const open = Effect.gen(function* () {
      const p = yield* Voting.createProposal(committee, {
        communityId: c,
        title: `${unit.id} 加装电梯`,
        body: "Glass shaft, quiet machine, compensation ladder for floors 1-2.",
        rule: "elevator-retrofit",
        scope: { type: "units", unitIds: [unit.id] }
      })
      // elevator retrofits need the seed's three negotiation rounds (协商会) before voting
      for (const n of [1, 2, 3]) {
        yield* Voting.recordNegotiationRound(committee, {
          communityId: c, proposalId: p.id, heldAt: 0, participants: ["居委会", "低层业主代表", "高层业主代表"], summary: `第${n}次协商会`
        })
      }
      yield* Voting.scheduleProposal(committee, { communityId: c, proposalId: p.id })
      return yield* Voting.openProposal(committee, { communityId: c, proposalId: p.id })
    })
    const cast = (proposalId: string, residentId: string, value: "yes" | "no") =>
      Voting.castBallot(new ResidentActor({ communityId: c, residentId: residentId as never }), {
        communityId: c, proposalId, residentId, channel: "online", choice: { type: "yes-no", value }
      })

    const first = yield* open
    for (const h of households) yield* cast(first.id, h.ownerIds[0]!, h.floor >= 3 ? "yes" : "no")
    const r1 = yield* Voting.closeProposal(committee, { communityId: c, proposalId: first.id })
    line("first vote, before the compensation plan: upper floors yes, floors 1-2 no")
    if (r1.result.kind === "yes-no") for (const l of r1.result.decision.notice.en.split("\n")) line(l)

    const second = yield* open
    const paperOwner = households.find((h) => h.floor === 1)!.ownerIds[0]!
    for (const h of households) {
      if (h.ownerIds[0] === paperOwner) continue
      yield* cast(second.id, h.ownerIds[0]!, h.floor >= 2 ? "yes" : "no")
    }
    const paper = yield* Voting.enterPaperBallot(clerk, { communityId: c, proposalId: second.id, residentId: paperOwner, scanRef: "scan-2026-001", choice: { type: "yes-no", value: "no" } })
    yield* Voting.confirmPaperBallot(committee, { communityId: c, proposalId: second.id, paperBallotId: paper.id, accept: true })
    const swept = yield* Voting.closeDue(system, c, (second.closesAt ?? 0) + 1)
    line("")
    line(`second vote after three negotiation rounds: floor 2 agrees; one floor-1 owner votes on paper (confirmed by a second staff member); closed by the sweep: ${swept.closed.length}`)
    const decided = yield* Voting.getProposal(committee, c, second.id)
    const notice = (decided.result as { decision: Voting.Decision }).decision.notice
    for (const l of notice["zh-CN"].split("\n")) line(l)
    const check = yield* Voting.verifyTally(committee, c, second.id)
    line(`verifyTally: ${check.ok ? "recomputed from the bulletin board, journal chain intact" : check.problems.join("; ")}`)
  })
