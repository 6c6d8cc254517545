/**
 * Shared fixtures of the fund tests: a generated community, actors, a fund
 * with a budget and a subsidy, and helpers to pass an owners' vote and read
 * ledger balances.
 */
import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, Option } from "effect"
import {
  type Actor,
  CommunityId,
  Fund,
  Gongzhi,
  LedgerStore,
  ResidentActor,
  Role,
  StaffActor,
  StaffId,
  SystemActor,
  Voting
} from "../src/index.js"
import { snapshot } from "./support.js"

export const C = CommunityId.make("c-fund")
export const community = generateCommunity({ seed: 15, communityId: C, buildings: 2, floors: 3 })
export const layer = () => Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))

export const staff = (id: string, ...roles: ReadonlyArray<string>): Actor =>
  new StaffActor({ communityId: C, staffId: StaffId.make(id), roles: roles.map((r) => Role.make(r)), departments: [] })
export const treasurer = staff("s-treasurer", "treasurer")
export const admin = staff("s-admin", "admin")
export const auditor = staff("s-auditor", "auditor")
export const clerk = staff("s-clerk", "clerk")
export const committeeA = staff("s-committee-a", "committee")
export const committeeB = staff("s-committee-b", "committee")
export const committeeC = staff("s-committee-c", "committee")
export const system = new SystemActor({ communityId: C, process: "test" })
export const owner = community.residents.find((r) => r.kind === "owner")!
export const residentActor = (id: string = owner.id) => new ResidentActor({ communityId: C, residentId: id as never })

/** 2026-06-01 10:00 in Shanghai. */
export const T0 = Date.parse("2026-06-01T02:00:00Z")

export const FUND = "trust" as Fund.FundId
export const thresholds = { singleBelowFen: 100_000, dualUpToFen: 1_000_000 }

/** A property-fee trust with a 2026 budget (repairs hard-capped at 20,000 yuan) and a 50,000-yuan subsidy. */
export const setupFund = (extra: Partial<typeof Fund.CreateFundInput.Encoded> = {}) =>
  Effect.gen(function* () {
    yield* Fund.createFund(treasurer, {
      communityId: C, fundId: FUND, name: "物业费信托账户", kind: "property-fee", purpose: "信托制物业", thresholds, ...extra
    })
    yield* Fund.setBudget(treasurer, {
      communityId: C, fundId: FUND, year: 2026,
      lines: [
        { code: "repairs", name: "维修", category: "repairs", plannedFen: 2_000_000, hardCap: true },
        { code: "greening", name: "绿化", category: "greening", plannedFen: 100_000, hardCap: false },
        { code: "elevator", name: "电梯大修", category: "repairs", plannedFen: 50_000_000, hardCap: true }
      ]
    })
    yield* Fund.receiveIncome(treasurer, { communityId: C, fundId: FUND, source: "subsidy", amountFen: 5_000_000, memo: "街道补贴" })
  })

/** Schedules, opens, has every household's first owner vote yes and closes: the proposal passes. */
export const passVote = (proposalId: string) =>
  Effect.gen(function* () {
    yield* Voting.scheduleProposal(committeeA, { communityId: C, proposalId })
    const p = yield* Voting.openProposal(committeeA, { communityId: C, proposalId })
    if (p.scope.type !== "community") throw new Error("passVote handles community-wide proposals")
    for (const h of community.households) {
      const residentId = h.ownerIds[0]!
      yield* Voting.castBallot(residentActor(residentId), { communityId: C, proposalId, residentId, channel: "online", choice: { type: "yes-no", value: "yes" } })
    }
    return yield* Voting.closeProposal(committeeA, { communityId: C, proposalId })
  })

export const balance = (id: string) =>
  Effect.map(Effect.flatMap(LedgerStore, (l) => l.getAccount(C, id as never)), (o) => Option.match(o, { onNone: () => 0, onSome: (a) => a.balance }))
export const cash = balance(`f:${FUND}:cash`)
export const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))
