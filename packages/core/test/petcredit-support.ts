/**
 * Shared fixtures of the pet-credit tests: a generated community, actors,
 * and helpers to register dogs and to report-and-verify violations.
 */
import { MemoryInspector, MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, Option, TestClock } from "effect"
import {
  CommunityId,
  decodeEntry,
  Gongzhi,
  PetCredit,
  readJournal,
  type Resident,
  ResidentActor,
  type Role,
  Roles,
  StaffActor,
  StaffId,
  SystemActor
} from "../src/index.js"
import { snapshot } from "./support.js"

export const C = CommunityId.make("pc-community")
export const C_OTHER = CommunityId.make("pc-other")
export const community = generateCommunity({ seed: 7, communityId: C, buildings: 2, floors: 3 })
export const otherCommunity = generateCommunity({ seed: 8, communityId: C_OTHER, buildings: 1, floors: 2 })

export const testLayer = Layer.mergeAll(Gongzhi.layer(), MemoryStore.layer({ directory: [community, otherCommunity] }))

const withHousehold = community.residents.filter((r) => r.householdId !== undefined)
/** The dog owner. */
export const owner: Resident = withHousehold.find((r) => r.kind === "owner")!
/** Someone else of the owner's household. */
export const housemate: Resident | undefined = withHousehold.find((r) => r.householdId === owner.householdId && r.id !== owner.id)
/** A neighbour (another household) who reports. */
export const neighbour: Resident = withHousehold.find((r) => r.householdId !== owner.householdId)!
/** A second owner in a third household. */
export const owner2: Resident = withHousehold.find((r) => r.householdId !== owner.householdId && r.householdId !== neighbour.householdId)!

export const resident = (r: Resident) => new ResidentActor({ communityId: C, residentId: r.id })
export const staff = (role: Role, id = `s-${role}`, communityId: CommunityId = C) =>
  new StaffActor({ communityId, staffId: StaffId.make(id), roles: [role], departments: [] })
export const clerk = staff(Roles.clerk)
export const verifier = staff(Roles.committee, "s-verifier")
export const otherStaff = staff(Roles.committee, "s-second")
export const admin = staff(Roles.admin)
export const trainer = staff(PetCredit.PetCreditRoles.trainer)
export const system = new SystemActor({ communityId: C, process: "scheduler" })
export const camera = new SystemActor({ communityId: C, process: "camera-7" })

/** 2026-06-01 10:00 in Shanghai (a Monday). */
export const T0 = Date.UTC(2026, 5, 1, 2, 0, 0)
export const HOUR = 3_600_000
export const DAY = 86_400_000

export const state = Effect.map(MemoryInspector, (i) => snapshot(i.database))

let licence = 0
/** Registers a dog for `who`'s household, kept by `who`. */
export const register = (who: Resident = owner, extra: Partial<typeof PetCredit.RegisterDogInput.Encoded> = {}) =>
  PetCredit.registerDog(resident(who), {
    communityId: C,
    householdId: who.householdId!,
    keeperId: who.id,
    name: "旺财",
    licenceNo: `SD2026${String(++licence).padStart(5, "0")}`,
    breed: "中华田园犬",
    size: "medium",
    vaccinationExpiresOn: "2027-01-10",
    licenceExpiresOn: "2027-05-31",
    ...extra
  })

let incident = 0
/** A neighbour reports a violation (by default 40 minutes after the last one, within the last 10 days, so never the same incident). */
export const report = (dogId: PetCredit.DogId, kind: string, reporter: Resident = neighbour, occurredAt?: number) =>
  Effect.flatMap(Effect.clockWith((c) => c.currentTimeMillis), (now) =>
    PetCredit.reportViolation(resident(reporter), {
      communityId: C,
      dogId,
      kind,
      evidence: ["photos/2026/abc.jpg"],
      place: "2号楼南门",
      occurredAt: occurredAt ?? now - 10 * DAY + (++incident % 350) * 40 * 60_000
    })
  )

/** Reports and verifies a violation; returns the verified report and its entry. */
export const violate = (dogId: PetCredit.DogId, kind: string, occurredAt?: number) =>
  Effect.flatMap(report(dogId, kind, neighbour, occurredAt), (r) => PetCredit.verifyReport(verifier, { communityId: C, reportId: r.id, decision: "confirm" }))

/** The dog as stored. */
export const dogOf = (id: PetCredit.DogId) =>
  Effect.flatMap(PetCredit.PetCreditStore, (s) => Effect.map(s.dogs.get({ communityId: C, id }), Option.getOrThrow))

/** The community's journal entries decoded as pet-credit events. */
export const petEvents = (c: CommunityId = C) =>
  Effect.map(readJournal(c), (es) => es.flatMap((e) => Option.toArray(decodeEntry(PetCredit.PetCreditEvent)(e))))

/** Registers a dog 60 days before T0 (so incidents before T0 count for its keeper), then sets the clock to T0. */
export const registered = (who: Resident = owner, extra: Partial<typeof PetCredit.RegisterDogInput.Encoded> = {}) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(T0 - 60 * DAY)
    const dog = yield* register(who, extra)
    yield* TestClock.setTime(T0)
    return dog
  })
