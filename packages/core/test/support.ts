/**
 * Shared fixtures for the kernel tests: communities, actors and a deep
 * snapshot of the memory adapter's database (to prove "nothing changed").
 */
import type { MemoryDatabase } from "../../store-memory/src/index.js"
import {
  AccountId,
  CommunityId,
  ResidentActor,
  ResidentId,
  type Role,
  Roles,
  StaffActor,
  StaffId,
  SystemActor
} from "../src/index.js"

export const C = CommunityId.make("community-1")
export const C2 = CommunityId.make("community-2")

export const resident = (id = "r1", communityId: CommunityId = C) =>
  new ResidentActor({ communityId, residentId: ResidentId.make(id) })

export const staff = (roles: ReadonlyArray<Role>, communityId: CommunityId = C, id = "s1") =>
  new StaffActor({ communityId, staffId: StaffId.make(id), roles: [...roles], departments: [] })

export const treasurer = staff([Roles.treasurer])
export const system = new SystemActor({ communityId: C, process: "test" })

export const A = (id: string) => AccountId.make(id)

/**
 * Every table of the memory database as sorted `[key, value]` pairs, deep
 * copied, empty tables left out: two snapshots are equal exactly when every
 * store holds the same records.
 */
export const snapshot = (db: MemoryDatabase): Record<string, Array<[string, unknown]>> => {
  const out: Record<string, Array<[string, unknown]>> = {}
  for (const name of db.tableNames().sort()) {
    const keys = db.keys(name)
    if (keys.length === 0) continue
    out[name] = keys
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((key) => [key, structuredClone(db.get(name, key))])
  }
  return out
}
