import { type DirectorySnapshot, formatFen, Fund, Issues, ResidentActor, StaffActor, toLocalDate, Voting } from "@gongzhi/core"
import { Clock, Effect, TestClock } from "effect"
import { heading, line } from "../print.js"

/**
 * The community fund and trust-style property fees (信托制物业): bill a month,
 * pay an expense approved by two people, put a large repair to the owners'
 * vote and pay it after it passes, cut the trustee's fee for overdue work
 * orders, and print the public statement with the hash to check it by.
 */
export const fundChapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const actor = (id: string) => {
      const s = community.staff.find((x) => x.id === id)!
      return new StaffActor({ communityId: c, staffId: s.id, roles: s.roles, departments: s.departments })
    }
    const treasurer = actor("s-treasurer")
    const admin = actor("s-admin")
    const [committee1, committee2] = [actor("s-committee-1"), actor("s-committee-2")]
    const resident = (id: string) => new ResidentActor({ communityId: c, residentId: id as never })
    const yuan = (fen: number) => `¥${formatFen(fen)}`
    const period = toLocalDate(yield* Clock.currentTimeMillis).slice(0, 7)
    const fundId = "trust"

    heading("Community fund (社区基金) and trust-style property fees (信托制物业)")
    yield* Fund.createFund(treasurer, {
      communityId: c, fundId, name: "幸福里物业费信托账户", kind: "property-fee", purpose: "业主共有资金，物业公司受托管理",
      thresholds: { singleBelowFen: 100_000, dualUpToFen: 2_000_000 }, floorFen: 500_000
    })
    yield* Fund.setBudget(treasurer, {
      communityId: c, fundId, year: Number(period.slice(0, 4)),
      lines: [
        { code: "repairs", name: "日常维修", category: "repairs", plannedFen: 6_000_000, hardCap: true },
        { code: "roof", name: "屋面防水大修", category: "major-repairs", plannedFen: 30_000_000, hardCap: true }
      ]
    })
    line(`fund "${fundId}": one approver below ¥1,000, two up to ¥20,000, an owners' vote above; reserve ${yuan(500_000)}`)

    const billed = yield* Fund.billFees(treasurer, {
      communityId: c, fundId, period, pricing: { _tag: "PerArea", fenPerM2: 180 }, dueDate: `${period}-28` > toLocalDate(yield* Clock.currentTimeMillis) ? `${period}-28` : toLocalDate(yield* Clock.currentTimeMillis)
    })
    line(`billed ${billed.bills} households for ${period} at ¥1.80/m²: ${yuan(billed.totalFen)}`)
    const payers = community.households.filter((_, i) => i % 10 !== 0)
    for (const h of payers) {
      yield* Fund.recordPayment(treasurer, { communityId: c, fundId, householdId: h.id, amountFen: Fund.monthlyFee({ _tag: "PerArea", fenPerM2: 180 }, h.exclusiveAreaDm2), method: "wechat" })
    }
    yield* Fund.receiveIncome(treasurer, { communityId: c, fundId, source: "subsidy", amountFen: 20_000_000, memo: "街道老旧小区改造补贴" })
    yield* Fund.receiveIncome(treasurer, { communityId: c, fundId, source: "donation", amountFen: 50_000, donor: "不留名的邻居", anonymous: true, memo: "捐赠" })
    line(`${payers.length} households paid; a street-office subsidy and an anonymous donation arrived`)

    heading("An expense approved by two people (四眼原则)")
    const lights = yield* Fund.requestExpense(treasurer, {
      communityId: c, fundId, payee: "明亮电气维修部", purpose: "更换3号楼楼道感应灯", budgetYear: Number(period.slice(0, 4)), budgetLine: "repairs",
      amountFen: 860_000, attachments: ["quote-2026-117.pdf"]
    })
    const self = yield* Effect.flip(Fund.payExpense(treasurer, { communityId: c, expenseId: lights.id }))
    line(`requested ${yuan(lights.amountFen)} (${lights.level}); paying now: [${(self as { code: string }).code}]`)
    yield* Fund.approveExpense(committee1, { communityId: c, expenseId: lights.id })
    const again = yield* Effect.flip(Fund.approveExpense(committee1, { communityId: c, expenseId: lights.id }))
    line(`committee member 1 approves; approving twice: [${(again as { code: string }).code}]`)
    yield* Fund.approveExpense(committee2, { communityId: c, expenseId: lights.id })
    const paid = yield* Fund.payExpense(treasurer, { communityId: c, expenseId: lights.id, idempotencyKey: "lights-117" })
    line(`committee member 2 approves; paid by ledger transaction ${paid.paidTxId}`)

    heading("A large repair goes to the owners' vote (业主表决)")
    const roof = yield* Fund.requestExpense(committee1, {
      communityId: c, fundId, payee: "安居防水工程公司", purpose: "1-6号楼屋面防水大修", budgetYear: Number(period.slice(0, 4)), budgetLine: "roof", amountFen: 18_000_000
    })
    line(`requested ${yuan(roof.amountFen)}: above ¥20,000, so proposal ${roof.proposalId} was opened with the Civil Code Art. 278 rule`)
    const early = yield* Effect.flip(Fund.payExpense(treasurer, { communityId: c, expenseId: roof.id }))
    line(`paying before the vote: [${(early as { code: string }).code}] ${(early as Fund.ProposalNotPassed).text["zh-CN"]}`)
    yield* Voting.scheduleProposal(committee1, { communityId: c, proposalId: roof.proposalId! })
    yield* Voting.openProposal(committee1, { communityId: c, proposalId: roof.proposalId! })
    let yes = 0
    for (const [i, h] of community.households.entries()) {
      const owner = h.ownerIds[0]
      if (owner === undefined) continue
      const choice = i % 7 === 0 ? "no" : "yes"
      if (choice === "yes") yes++
      yield* Voting.castBallot(resident(owner), { communityId: c, proposalId: roof.proposalId!, residentId: owner, channel: "online", choice: { type: "yes-no", value: choice } })
    }
    const closed = yield* Voting.closeProposal(committee1, { communityId: c, proposalId: roof.proposalId! })
    line(`${yes} of ${community.households.length} households vote yes: ${closed.result.outcome}`)
    yield* Fund.payExpense(treasurer, { communityId: c, expenseId: roof.id })
    line(`paid after the vote passed; fund cash now ${yuan((yield* Fund.getFund(treasurer, c, fundId as Fund.FundId)).cashFen)}`)

    heading("The trustee's fee, cut for overdue work orders")
    yield* Fund.setTrusteeContract(committee1, {
      communityId: c, fundId, trustee: "幸福里物业服务有限公司", basis: { _tag: "Percent", bp: 1200 },
      rules: [
        { metric: "overdue-work-orders", threshold: 2, perUnitBp: 300, capBp: 3000 },
        { metric: "satisfaction-below", threshold: 85, perUnitBp: 100, capBp: 2000 }
      ]
    })
    for (let i = 0; i < 6; i++) {
      yield* Issues.submitReport(resident(community.residents[i]!.id), {
        communityId: c, typeId: "street-light", location: { buildingId: community.buildings[0]!.id, address: "楼道" }, description: `楼道灯不亮（${i + 1}）`, photos: [], channel: "app"
      })
    }
    yield* TestClock.adjust("21 days")
    const s = yield* Fund.settleTrusteeFee(admin, { communityId: c, fundId, period })
    line(`fee income collected in ${period}: ${yuan(s.incomeFen)}; contract fee 12%: ${yuan(s.feeFen)}`)
    line(`figures used: ${s.figures.overdueWorkOrders} work orders overdue, satisfaction ${s.figures.satisfactionPct ?? "not surveyed"}${s.figures.satisfactionPct === undefined ? "" : "%"}`)
    for (const d of s.deductions) line(`  deduction ${d.metric} (figure ${d.figure}): -${yuan(d.amountFen)}`)
    line(`net fee paid to the trustee: ${yuan(s.netFen)}`)

    heading("The public statement (收支公示) and how to check it")
    const st = yield* Fund.publishStatement(treasurer, { communityId: c, fundId, period })
    const body = st.body as Fund.StatementBody
    line(`income by source: ${Object.entries(body.incomeBySource).map(([k, v]) => `${k} ${yuan(v)}`).join(", ")}`)
    line(`expenses by category: ${Object.entries(body.expensesByCategory).map(([k, v]) => `${k} ${yuan(v)}`).join(", ")}`)
    line(`cash ${yuan(body.openingCashFen)} -> ${yuan(body.closingCashFen)}; arrears ${yuan(body.arrearsFen)} (rate ${((body.arrearsRateBp ?? 0) / 100).toFixed(2)}%)`)
    for (const b of body.budget) line(`budget ${b.name}: planned ${yuan(b.plannedFen)}, actual ${yuan(b.actualFen)}`)
    line(`journal head at close: entry ${st.journalHead.seq}, ${st.journalHead.hash}`)
    const html = yield* Fund.statementHtml(resident(community.residents[0]!.id), c, fundId as Fund.FundId, period)
    line(`printable HTML page: ${html.length.toLocaleString("en")} characters, e.g. "${html.match(/<h1>[^<]*/)![0].slice(4)}"`)
    const postings = yield* Fund.publicPostings(resident(community.residents[0]!.id), c, fundId as Fund.FundId)
    line(`any resident reads all ${postings.length} postings; payers appear masked, e.g. "${postings.find((p) => p.kind === "payment")!.counterparty}"`)
    const v = yield* Fund.verifyStatement(resident(community.residents[0]!.id), c, fundId as Fund.FundId, period)
    line(`verifyJournal against the statement's head: ${v.ok ? `intact (${v.entries} entries)` : `BROKEN at entry ${v.seq} (${v.reason})`}`)
  })
