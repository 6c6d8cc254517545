import {
  AccountId,
  type DirectorySnapshot,
  decodeEntry,
  LedgerStore,
  openAccount,
  postTransaction,
  readJournal,
  ResidentActor,
  Role,
  Spaces,
  StaffActor,
  StaffId,
  SystemActor
} from "@gongzhi/core"
import { Effect, Option, TestClock } from "effect"
import { heading, line } from "../print.js"
import type { Chapter } from "./index.js"

const H = 3_600_000
const DAY = 24 * H
const yuan = (fen: number) => (fen / 100).toFixed(2)
const local = (t: number) => new Date(t + 8 * H).toISOString().slice(0, 16).replace("T", " ")

/** Common spaces: a plot lottery anyone can verify, a bay booked at night, an occupation case through its three stages. */
export const spacesChapter: Chapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    // Tuesday 2026-12-01 09:00 in Shanghai.
    const T = Date.UTC(2026, 11, 1, 1)
    yield* TestClock.setTime(T)
    const committee = new StaffActor({ communityId: c, staffId: StaffId.make("s-space-committee"), roles: [Role.make(Spaces.SpaceRoles.spaceCommittee)], departments: [] })
    const system = new SystemActor({ communityId: c, process: "demo" })
    const heads = [...new Map(community.residents.filter((r) => r.householdId !== undefined && r.kind === "owner").map((r) => [r.householdId!, r])).values()]
    const as = (r: (typeof heads)[number]) => new ResidentActor({ communityId: c, residentId: r.id })
    const topUp = (householdId: string, fen: number) =>
      Effect.gen(function* () {
        const ledger = yield* LedgerStore
        if (Option.isNone(yield* ledger.getAccount(c, AccountId.make("cash-desk")))) {
          yield* openAccount(system, { communityId: c, accountId: "cash-desk", unit: "fen", kind: "cash" })
        }
        const wallet = `wallet:${householdId}`
        if (Option.isNone(yield* ledger.getAccount(c, AccountId.make(wallet)))) {
          yield* openAccount(system, { communityId: c, accountId: wallet, unit: "fen", kind: "household-wallet", owner: householdId, floor: 0 })
        }
        yield* postTransaction(system, { communityId: c, unit: "fen", kind: "top-up", memo: "cash at the service desk", postings: [{ accountId: "cash-desk", amount: -fen }, { accountId: wallet, amount: fen }] })
      })

    heading("Common spaces (公共空间): a plot lottery anyone can check")
    for (let i = 1; i <= 4; i++) {
      yield* Spaces.defineSpace(committee, { communityId: c, id: `plot-${i}`, kind: "plot", label: `中心种植区 ${i} 号地`, areaDm2: 5000, rules: Spaces.seedPlotRules })
    }
    const seed = "xingfuli-2027-plots-7d1c44a09e"
    const round = yield* Spaces.openRound(committee, {
      communityId: c, label: "2027 年度菜地认养", spaceIds: ["plot-1", "plot-2", "plot-3", "plot-4"],
      termStartsAt: Date.UTC(2026, 11, 31, 16), termEndsAt: Date.UTC(2027, 11, 31, 16),
      opensAt: T, closesAt: T + 7 * DAY, priorityGroups: ["elderly"], seedHash: Spaces.seedCommitment(seed)
    })
    line(`round ${round.id}: 4 plots, 50 yuan a year, elderly households first; seed hash published before anyone applies:`)
    line(`  ${round.seedHash}`)
    const applicants = heads.slice(0, 9)
    for (const r of applicants) yield* Spaces.apply(as(r), { communityId: c, roundId: round.id, residentId: r.id })
    line(`${applicants.length} households applied`)
    yield* TestClock.setTime(T + 7 * DAY)
    const late = yield* Effect.flip(Spaces.apply(as(heads[9]!), { communityId: c, roundId: round.id, residentId: heads[9]!.id }))
    line(`a late application: [${late.code}] ${late.text["zh-CN"]}`)
    const { offers } = yield* Spaces.draw(committee, { communityId: c, roundId: round.id, seed })
    const drawn = (yield* readJournal(c)).flatMap((e) => Option.toArray(decodeEntry(Spaces.SpacesEvent)(e))).find((e) => e._tag === "SpacesLotteryDrawn")
    if (drawn?._tag === "SpacesLotteryDrawn") {
      for (const w of drawn.result.winners) {
        const a = drawn.applicants.find((x) => x.householdId === w.householdId)!
        line(`  ${w.spaceId} -> household ${w.householdId} (${a.group})`)
      }
      line(`  waitlist in draw order: ${drawn.result.waitlist.join(", ")}`)
      const again = Spaces.drawLottery(drawn)
      line(`anyone recomputes the draw from the revealed seed and the published list: ${JSON.stringify(again) === JSON.stringify(drawn.result) ? "same result" : "DIFFERENT"}`)
      line(`a list with one household removed gives: ${Spaces.verifyLottery({ ...drawn, applicants: drawn.applicants.slice(1) }) ?? "ok"} mismatch`)
    }
    const first = offers[0]!
    yield* topUp(first.householdId, 5000)
    const winner = heads.find((h) => h.householdId === first.householdId)!
    const active = yield* Spaces.acceptOffer(as(winner), { communityId: c, adoptionId: first.id, residentId: winner.id })
    line(`${winner.name} accepts ${active.spaceId}: ${yuan(active.feeFen)} yuan posted into the community fund (tx ${active.feeTxId})`)
    const second = offers[1]!
    const decliner = heads.find((h) => h.householdId === second.householdId)!
    const declined = yield* Spaces.declineOffer(as(decliner), { communityId: c, adoptionId: second.id, residentId: decliner.id })
    line(`${decliner.name} declines ${second.spaceId}; it is offered to the first on the waitlist: household ${declined.passedTo?.householdId}`)

    heading("Common spaces: a shared bay, free at night, 5 yuan an hour by day")
    yield* Spaces.defineSpace(committee, { communityId: c, id: "bay-07", kind: "parking", label: "共享车位 07", areaDm2: 1250, rules: Spaces.seedParkingRules })
    const night = T + 7 * DAY + 10 * H // 19:00 local
    const driver = heads[12]!
    const b = yield* Spaces.book(as(driver), { communityId: c, spaceId: "bay-07", residentId: driver.id, startsAt: night, endsAt: night + 12 * H })
    line(`${driver.name} books bay-07 ${local(b.booking.startsAt)} to ${local(b.booking.endsAt)}: ${yuan(b.booking.priceFen)} yuan`)
    const other = heads[13]!
    yield* topUp(other.householdId!, 2000)
    const day = yield* Spaces.book(as(other), { communityId: c, spaceId: "bay-07", residentId: other.id, startsAt: night - 3 * H, endsAt: night })
    line(`${other.name} books ${local(day.booking.startsAt)} to ${local(day.booking.endsAt)} by day: ${yuan(day.booking.priceFen)} yuan`)
    const clash = yield* Effect.flip(Spaces.book(as(heads[14]!), { communityId: c, spaceId: "bay-07", residentId: heads[14]!.id, startsAt: night + H, endsAt: night + 3 * H }))
    line(`a third request overlapping the night: [${clash.code}] ${clash.text["zh-CN"]}`)
    const income = yield* Spaces.feeIncome(committee, c, 0, T + 30 * DAY)
    line(`fee income into the fund so far: ${yuan(income.netFen)} yuan`)

    heading("Common spaces: an occupation case through its three stages")
    yield* Spaces.defineSpace(committee, { communityId: c, id: "green-center", kind: "other", label: "中心绿地", areaDm2: 200_000, rules: { ...Spaces.defaultSpacesConfig.defaultRules, mode: "none" } })
    // Cases run on working-day deadlines; the published holiday data ends with 2026, so this one starts in October.
    yield* TestClock.setTime(Date.UTC(2026, 9, 20, 1))
    const occupant = heads[20]!
    const k = yield* Spaces.registerOccupation(as(heads[21]!), { communityId: c, spaceId: "green-center", place: "中心绿地东侧", kind: "shed", areaDm2: 60_000, householdId: occupant.householdId!, photos: ["photos/shed-1.jpg"] })
    line(`reported by a neighbour: a shed on the green (6 m x 10 m); stage 1 notice, clear it by ${k.dueDate}`)
    line(`occupation rate: ${(yield* Spaces.occupationFigure(committee, c)).permille / 10}% of the common area`)
    const early = yield* Effect.flip(Spaces.advanceOccupation(committee, { communityId: c, caseId: k.id }))
    line(`the committee tries stage 2 at once: [${early.code}] ${early.text["zh-CN"]}`)
    yield* Spaces.consentOccupation(as(occupant), { communityId: c, caseId: k.id })
    const assisted = yield* Spaces.advanceOccupation(committee, { communityId: c, caseId: k.id })
    line(`${occupant.name} agrees to assisted clearing (temporary storage offered); stage 2 due ${assisted.dueDate} (10 working days)`)
    yield* TestClock.setTime(Date.parse(`${assisted.dueDate}T16:00:00Z`) + DAY)
    const forced = yield* Spaces.advanceOccupation(system, { communityId: c, caseId: k.id })
    line(`nothing moved by the deadline: stage 3 ${forced.stage} clearing with a public notice; an entry in the household's community record`)
    yield* Spaces.clearOccupation(committee, { communityId: c, caseId: k.id })
    const fig = yield* Spaces.occupationFigure(committee, c)
    line(`cleared; occupation rate ${fig.permille / 10}%, open cases ${fig.openCases}, repeat occupations ${fig.repeatOccupations}`)
  })
