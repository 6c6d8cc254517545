import { drain, type DirectorySnapshot, Incentives, renderTemplate, ResidentActor, StaffActor } from "@gongzhi/core"
import { MemoryInspector } from "@gongzhi/store-memory"
import { Effect } from "effect"
import { heading, line } from "../print.js"

/** Incentive points: awards from other modules' events, caps, levels, redemption, leaderboard, notifications. */
export const incentivesChapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const adminStaff = community.staff.find((s) => s.roles.includes("admin" as never))!
    const admin = new StaffActor({ communityId: c, staffId: adminStaff.id, roles: adminStaff.roles, departments: adminStaff.departments })
    // three residents with different names, from the last households (they have not voted earlier)
    const picked: Array<DirectorySnapshot["residents"][number]> = []
    for (const r of [...community.residents].reverse()) {
      if (picked.length < 3 && !picked.some((p) => p.name === r.name || p.householdId === r.householdId)) picked.push(r)
    }
    const [a, b, d] = picked
    const name = (id: string) => community.residents.find((r) => r.id === id)?.name ?? id
    const show = (id: string) =>
      Effect.map(Incentives.standing(admin, c, id as never), (s) => `${name(id)}: balance ${s.balance}, lifetime ${s.lifetime}, level ${s.level.name["zh-CN"]} (${s.level.name.en})`)

    heading("Incentive points (积分): awards from the journal")
    const report = yield* drain(Incentives.incentivesSubscriber, c)
    const awarded = (yield* Effect.forEach(community.residents, (r) => Incentives.listAwards(admin, c, r.id))).flat()
    line(`the incentives subscriber read ${report.processed} journal entries of the earlier chapters and made ${awarded.length} awards:`)
    const byAction = new Map<string, number>()
    for (const x of awarded) byAction.set(`${x.action} (${x.status})`, (byAction.get(`${x.action} (${x.status})`) ?? 0) + x.points)
    for (const [k, v] of byAction) line(`  ${k}: ${v} points`)
    const again = yield* drain(Incentives.incentivesSubscriber, c)
    line(`draining again awards nothing new (${again.processed} entries left to read); awards are idempotent by event id`)

    heading("Neighbour help (邻里互助) and the farming cap")
    const results: Array<string> = []
    for (let i = 0; i < 5; i++) {
      const x = yield* Incentives.awardPeer(new ResidentActor({ communityId: c, residentId: b!.id }), { communityId: c, giverId: b!.id, receiverId: a!.id, note: "帮忙搬米" })
      results.push(x.status === "awarded" ? `+${x.points}` : `capped (${x.cap!.scope}/${x.cap!.period} limit ${x.cap!.limit})`)
    }
    line(`${name(b!.id)} thanks ${name(a!.id)} five times this week: ${results.join(", ")}`)
    line(yield* show(a!.id))

    heading("Manual award, threshold reward and a level up")
    yield* Incentives.award(admin, { communityId: c, residentId: a!.id, points: 95, reason: "组织楼道清洁志愿活动", idempotencyKey: "demo-cleanup" })
    line(`staff award 95 points to ${name(a!.id)} with a reason; crossing 100 lifetime points pays a 10-point bonus`)
    line(yield* show(a!.id))

    heading("Redemption catalogue (积分兑换)")
    yield* Incentives.addItem(admin, { communityId: c, itemId: "parking-2h", kind: "parking-hours", name: "免费停车2小时", cost: 30, stock: 10, limit: { count: 1, period: "month" }, value: 120 })
    yield* Incentives.addItem(admin, { communityId: c, itemId: "fee-10", kind: "property-fee-discount", name: "物业费抵扣10元", cost: 80, value: 1000 })
    const me = new ResidentActor({ communityId: c, residentId: a!.id })
    const red = yield* Incentives.redeem(me, { communityId: c, residentId: a!.id, itemId: "parking-2h" })
    line(`${name(a!.id)} redeems 2 hours of parking for ${red.points} points`)
    const limit = yield* Effect.flip(Incentives.redeem(me, { communityId: c, residentId: a!.id, itemId: "parking-2h" }))
    line(`a second one this month: [${(limit as { code: string }).code}] ${(limit as Incentives.RedemptionLimit).text["zh-CN"]}`)
    const poor = yield* Effect.flip(Incentives.redeem(new ResidentActor({ communityId: c, residentId: d!.id }), { communityId: c, residentId: d!.id, itemId: "fee-10" }))
    line(`${name(d!.id)} has too few points for the fee discount: [${(poor as { code: string }).code}]`)
    line(`${yield* show(a!.id)}  <- spending never lowers the level`)
    yield* Incentives.cancelRedemption(me, { communityId: c, redemptionId: red.id, reason: "车位已满" })
    line(`cancelled and refunded: ${yield* show(a!.id)}`)

    heading("Monthly leaderboard (贡献排行榜), ties ranked 1-2-2-4")
    yield* Incentives.award(admin, { communityId: c, residentId: d!.id, points: 40, reason: "调解邻里纠纷" })
    yield* Incentives.award(admin, { communityId: c, residentId: b!.id, points: 40, reason: "义务巡逻" })
    yield* Incentives.setLeaderboardOptOut(new ResidentActor({ communityId: c, residentId: b!.id }), { communityId: c, residentId: b!.id, optedOut: true })
    const board = yield* Incentives.leaderboard(admin, c, "month", { limit: 6 })
    line(`${board.period} (${name(b!.id)} opted out: name masked)`)
    for (const row of board.rows) line(`  #${row.rank}  ${String(row.points).padStart(4)}  ${row.name}`)

    heading("Feedback within the day: notifications from the journal")
    yield* drain(Incentives.incentivesNotifications, c)
    const inspector = yield* MemoryInspector
    const mine = inspector.outbox().filter((m) => m.templateId.startsWith("incentives.") && m.recipient._tag === "Resident" && m.recipient.residentId === a!.id)
    for (const m of mine.slice(-4)) {
      const t = (Incentives.incentiveTemplates as Record<string, { "zh-CN": string; en: string }>)[m.templateId]!
      line(`to ${name(a!.id)}: ${renderTemplate(t[m.locale], m.params)}`)
    }
  })
