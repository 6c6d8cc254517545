import { mkdtemp, readFile, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import {
  baselineScenario,
  buildWorld,
  expandSweep,
  gini,
  InvalidScenario,
  mergeShards,
  parseScenario,
  runFaithful,
  runFast,
  runScenario,
  runSweep,
  sweepCsv,
  writeRun
} from "../src/index.js"

const small = (over: Record<string, unknown> = {}) => ({
  ...baselineScenario,
  horizonDays: 45,
  community: { households: 96, seed: 7 },
  // Busier than the baseline, so a small community sees caps, levels and services in a few weeks.
  behaviour: { ...baselineScenario.behaviour, activity: 0.08, heterogeneity: 0.5, timeBankActivity: 0.01 },
  ...over
})

const dirs: Array<string> = []
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), "gongzhi-sim-"))
  dirs.push(d)
  return d
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe("scenarios", () => {
  it("refuses a bad scenario before running, naming every bad field", () => {
    const bad = { ...small(), horizonDays: 0, behaviour: { ...baselineScenario.behaviour, activity: 1.5 }, extra: true }
    let error: unknown
    try {
      parseScenario(bad)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InvalidScenario)
    const paths = (error as InvalidScenario).problems.map((p) => p.path)
    expect(paths).toContain("horizonDays")
    expect(paths).toContain("behaviour.activity")
    expect(paths).toContain("extra")
  })

  it("refuses level thresholds that do not start at 0 and rise", () => {
    expect(() => parseScenario(small({ incentives: { levelThresholds: [0, 50, 50] } }))).toThrow(/levelThresholds/)
    expect(() => parseScenario(small({ startDate: "2026-02-30" }))).toThrow(/startDate/)
  })
})

describe("collector", () => {
  it("computes the Gini coefficient", () => {
    expect(gini([])).toBe(0)
    expect(gini([5, 5, 5, 5])).toBe(0)
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75, 12) // (n - 1) / n with one holder
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 12) // hand-computed: sum |xi - xj| / (2 n^2 mean) = 20 / 80
  })
})

describe("engines", () => {
  it("the fast engine (pure rules) and the faithful engine (full commands on the memory store) agree day by day", async () => {
    const world = buildWorld(parseScenario(small({ horizonDays: 30 })))
    const fast = runFast(world)
    const faithful = await runFaithful(world)
    expect(fast.summary.awards).toBeGreaterThan(100)
    expect(fast.summary.capsHit).toBeGreaterThan(0) // farmers hit the pair cap
    expect(fast.summary.centiHours).toBeGreaterThan(0)
    expect(faithful.days).toEqual(fast.days)
    expect(faithful.agents).toEqual(fast.agents)
  }, 120_000)

  it("pair caps bound what farmers get", () => {
    const loose = runFast(buildWorld(parseScenario(small({ incentives: { perPair: {} } }))))
    const tight = runFast(buildWorld(parseScenario(small({ incentives: { perPair: { week: 2 } } }))))
    expect(tight.summary.farmedPointsShare).toBeLessThan(loose.summary.farmedPointsShare)
    expect(tight.summary.peerCapsHit).toBeGreaterThan(loose.summary.peerCapsHit)
  })
})

describe("output", () => {
  it("the same seed writes byte-identical files; another seed does not", async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()]
    await writeRun(a, await runScenario(small()))
    await writeRun(b, await runScenario(small()))
    await writeRun(c, await runScenario(small({ seed: 2 })))
    const files = (await readdir(a)).sort()
    expect(files).toEqual(["agents.csv", "days.csv", "days.json", "gini.svg", "levels.svg", "meta.json", "participation.svg", "points.svg"])
    for (const f of files) expect(await readFile(join(b, f))).toEqual(await readFile(join(a, f)))
    expect(await readFile(join(c, "days.csv"), "utf8")).not.toEqual(await readFile(join(a, "days.csv"), "utf8"))
    const meta = JSON.parse(await readFile(join(a, "meta.json"), "utf8"))
    expect(meta.seed).toBe(1)
    expect(meta.engine).toBe("fast")
    expect(meta.library["@gongzhi/core"]).toMatch(/^\d+\.\d+\.\d+/)
    expect(meta.scenario.name).toBe("baseline")
    const days = (await readFile(join(a, "days.csv"), "utf8")).trim().split("\n")
    expect(days[0]).toMatch(/^day,date,activeResidents,participationToDate/)
    expect(days).toHaveLength(46)
    expect(await readFile(join(a, "gini.svg"), "utf8")).toMatch(/^<svg/)
  }, 60_000)
})

describe("sweeps", () => {
  const sweep = {
    name: "pair-cap",
    base: small({ horizonDays: 20 }),
    grid: { "incentives.perPair.week": [2, 6], "behaviour.farmerShare": [0.02, 0.1] },
    replicates: 3
  }

  it("expands grid x replicates with validated scenarios and common random numbers", () => {
    const { runs } = expandSweep(sweep)
    expect(runs).toHaveLength(12)
    expect(runs.map((r) => r.seed).slice(0, 3)).toEqual([1, 2, 3])
    expect(runs[3]!.parameters).toEqual({ "incentives.perPair.week": 2, "behaviour.farmerShare": 0.1 })
    expect(runs[3]!.scenario.behaviour.farmerShare).toBe(0.1)
    expect(() => expandSweep({ ...sweep, grid: { "behaviour.activity": [0.1, 7] } })).toThrow(/behaviour.activity/)
  })

  it("two shards merged are byte-identical to one run, and worker threads give the same rows as one thread", async () => {
    const one = await runSweep(sweep, { workers: 0 })
    const s1 = await runSweep(sweep, { workers: 0, shard: { index: 1, count: 2 } })
    const s2 = await runSweep(sweep, { workers: 0, shard: { index: 2, count: 2 } })
    expect(s1.rows.length + s2.rows.length).toBe(12)
    const whole = sweepCsv(one.spec, one.rows)
    expect(sweepCsv(one.spec, mergeShards([s2.rows, s1.rows]))).toBe(whole)
    const threaded = await runSweep(sweep, { workers: 2 })
    expect(sweepCsv(threaded.spec, threaded.rows)).toBe(whole)
    expect(one.rows.every((r) => r.status === "ok")).toBe(true)
    expect(() => mergeShards([s1.rows, s1.rows])).toThrow(/two shards/)
  }, 120_000)

  it("a failed replicate is reported with its seed and does not stop the sweep", async () => {
    const failing = {
      name: "unknown-service",
      engine: "faithful",
      base: small({ horizonDays: 3, community: { households: 24, seed: 1 } }),
      grid: { "behaviour.serviceMix": [{ environment: 1 }, { "no-such-service": 1 }], "behaviour.timeBankActivity": [0.5] },
      replicates: 1
    }
    const { rows } = await runSweep(failing, { workers: 0 })
    expect(rows.map((r) => r.status)).toEqual(["ok", "failed"])
    expect(rows[1]!.seed).toBe(1)
    expect(rows[1]!.error).toMatch(/no-such-service|UnknownServiceType|service type/i)
  }, 60_000)
})
