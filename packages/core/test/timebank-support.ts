/**
 * Shared fixtures of the time-bank tests: a generated community with family
 * links, actors, and helpers to read balances and journal events.
 */
import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, Option } from "effect"
import {
  CommunityId,
  decodeEntry,
  Gongzhi,
  LedgerEvent,
  readJournal,
  type Resident,
  ResidentActor,
  type ResidentId,
  type Role,
  Roles,
  StaffActor,
  StaffId,
  SystemActor,
  TimeBank
} from "../src/index.js"
import { snapshot } from "./support.js"

export const C = CommunityId.make("tb-community")
export const C_OTHER = CommunityId.make("tb-other")
export const community = generateCommunity({ seed: 3, communityId: C, buildings: 2, floors: 3 })
export const otherCommunity = generateCommunity({ seed: 4, communityId: C_OTHER, buildings: 1, floors: 2 })

export const testLayer = Layer.mergeAll(
  Gongzhi.layer({ templates: TimeBank.timeBankTemplates }),
  MemoryStore.layer({ directory: [community, otherCommunity] })
)

const byId = new Map(community.residents.map((r) => [r.id as string, r]))
const find = (p: (r: Resident) => boolean): Resident => {
  const r = community.residents.find(p)
  if (r === undefined) throw new Error("fixture has no such resident")
  return r
}

/** An owner who lives with a parent and has a spouse. */
export const owner = find(
  (r) => r.kind === "owner" && r.family.some((l) => l.relation === "parent") && r.family.some((l) => l.relation === "spouse")
)
/** The owner's parent (links back with relation `child`). */
export const parent = byId.get(owner.family.find((l) => l.relation === "parent")!.relativeId)!
/** The owner's spouse. */
export const spouse = byId.get(owner.family.find((l) => l.relation === "spouse")!.relativeId)!
/** A child who lists a parent (an owner) with relation `parent`. */
export const child = find((r) => r.family.some((l) => l.relation === "parent") && r.kind === "family")
/** The child's parent. */
export const childsParent = byId.get(child.family.find((l) => l.relation === "parent")!.relativeId)!
/** Residents unrelated to the owner's family. */
export const strangers = community.residents.filter(
  (r) => r.householdId !== owner.householdId && r.family.length === 0 && r.kind !== "family"
)
export const stranger = strangers[0]!
export const stranger2 = strangers[1]!

export const resident = (r: Resident | ResidentId) =>
  new ResidentActor({ communityId: C, residentId: typeof r === "string" ? r : r.id })
export const staff = (role: Role, communityId: CommunityId = C) =>
  new StaffActor({ communityId, staffId: StaffId.make(`s-${role}`), roles: [role], departments: [] })
export const clerk = staff(Roles.clerk)
export const admin = staff(Roles.admin)
export const treasurer = staff(Roles.treasurer)
export const mediator = staff(Roles.mediator)
export const system = new SystemActor({ communityId: C, process: "test" })

/** 2026-06-01 10:00 in Shanghai. */
export const T0 = Date.UTC(2026, 5, 1, 2, 0, 0)

export const resParty = (r: Resident): TimeBank.Party => ({ _tag: "Resident", residentId: r.id })
export const communityParty: TimeBank.Party = { _tag: "Community" }

/** A resident's time-bank balance (0 if never opened). */
export const bal = (r: Resident | "community") =>
  Effect.map(TimeBank.balance(system, C, r === "community" ? communityParty : resParty(r)), (b) => b.balance)

export const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))

/** The community's journal entries decoded as time-bank events. */
export const timeBankEvents = (c: CommunityId = C) =>
  Effect.map(readJournal(c), (es) => es.flatMap((e) => Option.toArray(decodeEntry(TimeBank.TimeBankEvent)(e))))

/** The community's ledger transactions, from the journal. */
export const ledgerPostings = (c: CommunityId = C) =>
  Effect.map(readJournal(c), (es) =>
    es.flatMap((e) => Option.toArray(decodeEntry(LedgerEvent)(e))).flatMap((e) => (e._tag === "LedgerTransactionPosted" ? [e] : []))
  )

/** Records a service as its provider. */
export const record = (
  provider: Resident,
  recipient: Resident,
  serviceType: string,
  minutes: number,
  extra: Record<string, unknown> = {}
) =>
  TimeBank.recordService(resident(provider), {
    communityId: C,
    providerId: provider.id,
    recipientId: recipient.id,
    serviceType,
    minutes,
    ...extra
  })

/** Records and confirms (as the recipient) a service. */
export const serve = (provider: Resident, recipient: Resident, serviceType: string, minutes: number) =>
  Effect.gen(function* () {
    const { service } = yield* record(provider, recipient, serviceType, minutes)
    return yield* TimeBank.confirmService(resident(recipient), { communityId: C, serviceId: service.id })
  })
