/**
 * The simulation toolkit: (a) the fast engine on 10,000 households for 365
 * days on one core (target < 10 s); (b) the faithful engine (full commands
 * on the memory store) on the same community for a sample of days, its
 * resident memory, and the year extrapolated (target < 60 s and < 1 GB for
 * the year); (c) a 3 x 3 sweep with 10 replicates on one thread and on every
 * core (the speed-up).
 */
import { availableParallelism } from "node:os"
import { baselineScenario, buildWorld, parseScenario, runFaithful, runFast, runSweep } from "@gongzhi/sim"
import { section } from "./harness.js"

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

export const simBench = async (): Promise<void> => {
  section("sim")
  const big = parseScenario({ ...baselineScenario, community: { households: 10_000, seed: 1 } })
  let t = process.hrtime.bigint()
  const world = buildWorld(big)
  console.log(`  community: ${world.community.households.length.toLocaleString("en")} households, ${world.agents.length.toLocaleString("en")} residents (built in ${seconds(t).toFixed(2)} s)`)

  t = process.hrtime.bigint()
  const fast = runFast(world)
  const fastSeconds = seconds(t)
  console.log(`  (a) fast engine, 365 days: ${fastSeconds.toFixed(2)} s (target < 10 s) — ${fast.summary.awards.toLocaleString("en")} awards, ${fast.summary.capsHit.toLocaleString("en")} capped, ${(fast.summary.awards + fast.summary.capsHit).toLocaleString("en")} rule evaluations`)

  const SAMPLE_DAYS = Number(process.env.BENCH_SIM_FAITHFUL_DAYS ?? 30)
  const sample = buildWorld(parseScenario({ ...baselineScenario, horizonDays: SAMPLE_DAYS, community: { households: 10_000, seed: 1 } }))
  const rssBefore = process.memoryUsage().rss
  t = process.hrtime.bigint()
  const faithful = await runFaithful(sample)
  const faithfulSeconds = seconds(t)
  const rssAfter = process.memoryUsage().rss
  const commands = faithful.summary.awards + faithful.summary.capsHit + 2 * faithful.days.reduce((s, d) => s + d.services, 0)
  console.log(`  (b) faithful engine, ${SAMPLE_DAYS} days: ${faithfulSeconds.toFixed(1)} s, ${commands.toLocaleString("en")} commands (${Math.round(commands / faithfulSeconds).toLocaleString("en")}/s), resident memory ${mb(rssAfter)} (+${mb(rssAfter - rssBefore)})`)
  console.log(`      a year extrapolated: ${((faithfulSeconds * 365) / SAMPLE_DAYS).toFixed(0)} s (target < 60 s; set BENCH_SIM_FAITHFUL_DAYS=365 to run it)`)

  const sweep = {
    name: "bench",
    base: { ...baselineScenario, horizonDays: 180, community: { households: 1_000, seed: 1 } },
    grid: { "incentives.perPair.week": [2, 6, 20], "behaviour.levelResponse": [0, 0.1, 0.3] },
    replicates: 10
  }
  t = process.hrtime.bigint()
  await runSweep(sweep, { workers: 0 })
  const serial = seconds(t)
  const cores = availableParallelism()
  t = process.hrtime.bigint()
  await runSweep(sweep, { workers: cores })
  const parallel = seconds(t)
  console.log(`  (c) 3 x 3 sweep x 10 replicates (90 runs, 1,000 households x 180 days): one thread ${serial.toFixed(1)} s, ${cores} workers ${parallel.toFixed(1)} s, speed-up ${(serial / parallel).toFixed(2)}`)
}
