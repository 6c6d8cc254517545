/**
 * Conformance cases of the evaluation indicators (`Metrics.indicators`): a
 * hand-made month of activity through the commands, and the figures
 * computed by hand, the same on every adapter.
 *
 * @since 0.2.0
 */
import {
  ChinaCalendar,
  Incentives,
  Issues,
  Metrics,
  ResidentActor,
  Role,
  StaffActor,
  StaffId,
  TimeBank
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const fixedClock = (millis: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  sleep: () => Effect.void
})

const at = (iso: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.provide(ChinaCalendar.layerDefault), Effect.withClock(fixedClock(Date.parse(iso))))

/**
 * Registers the indicators' conformance cases.
 *
 * @since 0.2.0
 * @category conformance
 */
export const metricsSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
  describe("metrics", () => {
    it.effect("indicators from a hand-made day match the figures computed by hand", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 11, communityId: c, buildings: 2, floors: 2 })
        yield* options.loadDirectory(snapshot)
        // One resident from each of six households: three in each building.
        const byHousehold = new Map<string, string>()
        for (const r of snapshot.residents) if (r.householdId !== undefined && !byHousehold.has(r.householdId)) byHousehold.set(r.householdId, r.id)
        const householdsOf = (b: string) => snapshot.households.filter((h) => h.buildingId === b).map((h) => h.id)
        const [b1, b2] = snapshot.buildings.map((b) => b.id) as unknown as [string, string]
        const [h1, h2, h3] = householdsOf(b1) as unknown as [string, string, string]
        const [h4, h5, h6] = householdsOf(b2) as unknown as [string, string, string]
        const r = (h: string) => byHousehold.get(h)!
        const actor = (h: string) => new ResidentActor({ communityId: c, residentId: r(h) as never })
        const report = (typeId: string) => ({
          communityId: c,
          typeId,
          location: { buildingId: b1 },
          description: "测试",
          channel: "app" as const,
          ...(typeId === "dispute" ? { attributes: { parties: 2 } } : {})
        })

        // The period: 2026-09-30 (UTC day). Baseline: the day before, two dispute reports.
        yield* at("2026-09-29T03:00:00Z")(Issues.submitReport(actor(h6), report("dispute")))
        yield* at("2026-09-29T04:00:00Z")(Issues.submitReport(actor(h6), report("dispute")))
        // In the period: reports from h1 and h2 (one a dispute), a time-bank service given by h3 to h4 (90 min),
        // a peer award from h5 to h1 (h5 and h1 take part).
        yield* at("2026-09-30T02:00:00Z")(Issues.submitReport(actor(h1), report("street-light")))
        yield* at("2026-09-30T02:10:00Z")(Issues.submitReport(actor(h2), report("dispute")))
        const { service } = yield* at("2026-09-30T03:00:00Z")(
          TimeBank.recordService(actor(h3), { communityId: c, providerId: r(h3), recipientId: r(h4), serviceType: "elderly-care", minutes: 90 })
        )
        yield* at("2026-09-30T05:00:00Z")(TimeBank.confirmService(actor(h4), { communityId: c, serviceId: service.id }))
        yield* at("2026-09-30T06:00:00Z")(Incentives.awardPeer(actor(h5), { communityId: c, giverId: r(h5), receiverId: r(h1) }))
        // After the period: not counted.
        yield* at("2026-10-01T01:00:00Z")(Issues.submitReport(actor(h6), report("street-light")))

        const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })
        const from = Date.parse("2026-09-30T00:00:00Z")
        const to = Date.parse("2026-10-01T00:00:00Z")
        const all = yield* at("2026-10-02T00:00:00Z")(Metrics.indicators(admin, { communityId: c, from, to }))
        const households = snapshot.households.length
        const residents = snapshot.residents.filter((x) => x.householdId !== undefined).length
        // h1, h2, h3 (the provider; h4 only received) and h5 (h1, thanked, was counted already).
        expect(all.participation).toStrictEqual({ count: 4, of: households, rate: 4 / households, target: 0.6, meetsTarget: 4 / households > 0.6 })
        expect(all.volunteerHours.minutes).toBe(90)
        expect(all.volunteerHours.residents).toBe(residents)
        expect(all.volunteerHours.hoursPerResident).toBeCloseTo(1.5 / residents, 12)
        expect(all.volunteerHours.hoursPerResidentYear).toBeCloseTo((1.5 / residents) * 365, 9)
        expect(all.disputes).toStrictEqual({ period: 1, baseline: 2, decline: 0.5, target: 0.5, meetsTarget: false })
        expect(all.response.of).toBe(2) // the two reports received in the period
        expect(all.issueResolution.of).toBe(0) // none closed yet
        expect(all.issueResolution.rate).toBeUndefined()

        const inB2 = yield* at("2026-10-02T00:00:00Z")(Metrics.indicators(admin, { communityId: c, from, to, buildingId: b2 as never }))
        const b2Households = householdsOf(b2).length
        expect(inB2.participation.count).toBe(1) // h5 (h4 only received a service)
        expect(inB2.participation.of).toBe(b2Households)
        expect(inB2.volunteerHours.minutes).toBe(0)
        expect(inB2.disputes).toStrictEqual({ period: 0, baseline: 2, decline: 1, target: 0.5, meetsTarget: true })

        const refused = yield* Effect.flip(at("2026-10-02T00:00:00Z")(Metrics.indicators(new ResidentActor({ communityId: c, residentId: r(h1) as never }), { communityId: c, from, to })))
        expect(refused._tag).toBe("Forbidden")
        const bad = yield* Effect.flip(at("2026-10-02T00:00:00Z")(Metrics.indicators(admin, { communityId: c, from: to, to: from })))
        expect(bad._tag).toBe("InvalidInput")
      }), timeout)
  })
}
