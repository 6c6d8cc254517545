/**
 * Spaces: free-slot search over a month of a busy car park, a large plot
 * lottery, and booking commands per second on the memory store and on
 * PostgreSQL (a throwaway server unless `DATABASE_URL` is set;
 * `BENCH_SPACES_PG=0` skips it).
 */
import { CommunityId, DirectoryWriter, Gongzhi, HouseholdId, ResidentActor, ResidentId, Role, Spaces, StaffActor, StaffId } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { PgStore } from "@gongzhi/store-postgres"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, ManagedRuntime } from "effect"
import { freshDatabase } from "../../packages/store-postgres/test/support/db.js"
import { startTestServer } from "../../packages/store-postgres/test/support/global-setup.js"
import { measure, report, section } from "./harness.js"

const H = 3_600_000
const DAY = 24 * H
const BAYS = 30
const BOOKINGS = 5_000

/** Local midnight (Shanghai) `days` after today. */
const midnight = (days: number) => (Math.floor((Date.now() + 8 * H) / DAY) + days) * DAY - 8 * H

const bookingCommands = async (label: string, layer: Layer.Layer<any, any, never>, n: number, concurrency: number) => {
  const c = CommunityId.make(`bench-spaces-${label}-${Date.now().toString(36)}`)
  const community = generateCommunity({ seed: 9, communityId: c })
  const runtime = ManagedRuntime.make(Layer.merge(Gongzhi.layer(), layer))
  try {
    const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })
    await runtime.runPromise(Effect.gen(function* () {
      yield* Effect.flatMap(DirectoryWriter, (w) => w.load(community))
      for (let b = 0; b < BAYS; b++) {
        yield* Spaces.defineSpace(admin, { communityId: c, id: `bay-${b}`, kind: "parking", label: `bay ${b}`, rules: { ...Spaces.seedParkingRules, quota: undefined, advanceDays: [400], maxMinutes: 1440 } })
      }
    }) as Effect.Effect<void, unknown, never>)
    const residents = community.residents.filter((r) => r.householdId !== undefined)
    const start = midnight(1) + 19 * H
    let next = 0
    const one = () => {
      const i = next++
      const r = residents[i % residents.length]!
      const s = start + Math.floor(i / BAYS) * DAY
      return runtime.runPromise(Spaces.book(new ResidentActor({ communityId: c, residentId: r.id }), {
        communityId: c, spaceId: `bay-${i % BAYS}`, residentId: r.id, startsAt: s, endsAt: s + 10 * H
      }) as Effect.Effect<unknown, unknown, never>)
    }
    report(await measure(`book command (night slot), ${label}, concurrency ${concurrency}`, async () => {
      const workers = Array.from({ length: concurrency }, async () => {
        while (next < n) await one()
      })
      await Promise.all(workers)
      return n
    }))
  } finally {
    await runtime.dispose()
  }
}

export const spacesBench = async (): Promise<void> => {
  section("spaces: lottery (pure drawLottery, SHA-256 tickets)")
  const applicants = Array.from({ length: 2000 }, (_, i) => ({ householdId: HouseholdId.make(`h-${i}`), group: (i % 7 === 0 ? "elderly" : "general") as Spaces.ApplicantGroup }))
  const plots = Array.from({ length: 100 }, (_, i) => `plot-${i}`)
  report(await measure("drawLottery: 2,000 applicants for 100 plots", () => {
    for (let d = 0; d < 50; d++) Spaces.drawLottery({ seed: `bench-seed-${d}`, applicants, spaceIds: plots, priorityGroups: ["elderly"] })
    return 50
  }))

  section(`spaces: free-slot search, ${BAYS} bays over a month with ${BOOKINGS.toLocaleString("en")} bookings (memory)`)
  const c = CommunityId.make("bench-spaces-slots")
  const runtime = ManagedRuntime.make(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [generateCommunity({ seed: 3, communityId: c })] })))
  const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })
  const first = midnight(1)
  await runtime.runPromise(Effect.gen(function* () {
    const store = yield* Spaces.SpacesStore
    for (let b = 0; b < BAYS; b++) {
      yield* Spaces.defineSpace(admin, { communityId: c, id: `bay-${b}`, kind: "parking", label: `bay ${b}`, rules: Spaces.seedParkingRules })
    }
    let made = 0
    let k = 0
    while (made < BOOKINGS) {
      const bay = k % BAYS
      const slot = Math.floor(k / BAYS) // 1-hour slots, every other hour taken
      k++
      const startsAt = first + slot * 2 * H
      if (startsAt >= first + 30 * DAY) break
      yield* store.reserve(new Spaces.Booking({
        communityId: c, spaceId: Spaces.SpaceId.make(`bay-${bay}`), id: Spaces.BookingId.make(`b-${k}`), spaceKind: "parking",
        householdId: HouseholdId.make(`h-${k % 500}`), residentId: ResidentId.make(`r-${k % 500}`), startsAt, endsAt: startsAt + H,
        status: "confirmed", priceFen: 0, freeMinutes: 0, attendees: 1, purpose: "", weekKey: "w", monthKey: "m",
        createdAt: 0, createdBy: "bench", fingerprint: "f", version: 1
      }))
      made++
    }
  }))
  const dates = Array.from({ length: 30 }, (_, d) => new Date(first + d * DAY + 8 * H).toISOString().slice(0, 10))
  report(await measure("freeSlots (one bay, one day) over 30 bays x 30 days", () =>
    runtime.runPromise(Effect.gen(function* () {
      let n = 0
      for (let round = 0; round < 5; round++) {
        for (let b = 0; b < BAYS; b++) {
          for (const d of dates) {
            yield* Spaces.freeSlots(admin, c, Spaces.SpaceId.make(`bay-${b}`), d)
            n++
          }
        }
      }
      return n
    }))))
  await runtime.dispose()

  section("spaces: booking commands per second")
  await bookingCommands("memory", MemoryStore.layer(), 3000, 1)
  if (process.env.BENCH_SPACES_PG !== "0") {
    const server = await startTestServer({})
    const db = await freshDatabase(server.url, { prefix: "gz_bench_spaces" })
    try {
      await bookingCommands("postgres", PgStore.layer({ url: db.url, maxConnections: 8 }), 1500, 8)
    } finally {
      await db.drop()
      await server.teardown()
    }
  }
}
