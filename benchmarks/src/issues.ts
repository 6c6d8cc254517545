import { CommunityId, Gongzhi, Issues, ResidentActor, ResidentId, SystemActor } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Clock, Effect, Layer, ManagedRuntime } from "effect"
import { measure, report, section } from "./harness.js"

const fixedClock = (millis: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  sleep: () => Effect.void
})

/**
 * `dueScan` over 100,000 open cases in the memory store. The cases are
 * clones of one real report with their deadlines spread over 50 days (one
 * every ~43 s), inserted through the store port; the scans then run the full
 * command (due index, rules, updates, journal with SHA-256 chain).
 */
export const issuesBench = async (): Promise<void> => {
  section("issues (memory store)")
  const community = generateCommunity({ seed: 1, communityId: "bench-issues", buildings: 1, floors: 2 })
  const c = CommunityId.make("bench-issues")
  const runtime = ManagedRuntime.make(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] })))
  const start = Date.parse("2026-09-01T02:00:00Z")
  const N = Number(process.env.ISSUES_BENCH_N ?? 100_000)
  const spread = 50 * 86_400_000
  const template = await runtime.runPromise(
    Effect.gen(function* () {
      const resident = new ResidentActor({ communityId: c, residentId: ResidentId.make(community.residents[0]!.id) })
      const r = yield* Issues.submitReport(resident, {
        communityId: c, typeId: "street-light", location: { buildingId: "b-1" }, description: "路灯不亮", channel: "app"
      })
      return yield* Issues.getCase(new SystemActor({ communityId: c, process: "bench" }), c, r.caseId)
    }).pipe(Effect.withClock(fixedClock(start)))
  )
  const shift = (d: Issues.Deadline, by: number): Issues.Deadline => ({ ...d, dueAt: d.dueAt + by, warnAt: d.warnAt + by })
  report(await measure(`insert ${N.toLocaleString("en")} open cases (store port)`, () =>
    runtime.runPromise(Effect.gen(function* () {
      const store = yield* Issues.IssueStore
      for (let i = 1; i < N; i++) {
        const by = Math.floor((i * spread) / N)
        const response = shift(template.response, by)
        const resolution = shift(template.resolution, by)
        yield* store.insertCase({
          ...template,
          id: Issues.CaseId.make(`case-${i}`),
          number: Issues.formatCaseNumber(2026, i + 1, 6),
          receivedAt: template.receivedAt + by,
          createdAt: template.createdAt + by,
          response,
          resolution,
          nextDueAt: Math.min(response.warnAt, resolution.warnAt)
        })
      }
      return N - 1
    }))))
  const system = new SystemActor({ communityId: c, process: "bench" })
  const scan = (now: number) => runtime.runPromise(Issues.dueScan(system, { communityId: c, now }))
  let last = { scanned: 0, warnings: 0, breaches: 0 }
  const scanAt = async (label: string, now: number) => {
    const m = await measure(label, async () => {
      last = await scan(now)
      return Math.max(1, last.scanned)
    })
    report(m)
    console.log(`    -> ${last.scanned.toLocaleString("en")} cases due, ${last.warnings.toLocaleString("en")} warnings, ${last.breaches.toLocaleString("en")} breaches; ${Math.round(N / m.seconds).toLocaleString("en")} open cases/s`)
  }
  await scanAt("dueScan, ~2% of 100k open cases due (cases due/s)", start + 3 * 86_400_000)
  await scanAt("dueScan again at the same instant (nothing new)", start + 3 * 86_400_000)
  await scanAt("dueScan, every case due (cases due/s)", start + spread + 30 * 86_400_000)
  await scanAt("dueScan again (nothing new; index empty)", start + spread + 30 * 86_400_000)
  await runtime.dispose()
}
