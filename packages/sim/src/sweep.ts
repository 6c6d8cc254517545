/**
 * Sweeps: a parameter grid times replicates, run across the machine's cores
 * (worker threads) with a progress bar, and split into shards so a batch
 * scheduler (a Slurm job array, a Kubernetes indexed Job) can spread one
 * sweep over many machines; shards merge into exactly the bytes one machine
 * would have written.
 *
 * @since 0.1.0
 */
import { createRequire } from "node:module"
import { availableParallelism } from "node:os"
import { pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import { Either, Schema } from "effect"
import type { RunSummary } from "./collector.js"
import { summaryColumns, toCsv } from "./output.js"
import type { Engine } from "./run.js"
import { InvalidScenario, parseScenario, type Scenario } from "./scenario.js"

/**
 * A sweep: a base scenario, a grid of values for dotted paths into it
 * (`"incentives.perPair.week": [2, 6, 20]`), replicates per grid point.
 * Replicate `r` of every grid point runs with seed `base.seed + r` (common
 * random numbers: grid points are compared on the same draws).
 *
 * @since 0.1.0
 * @category sweeps
 */
export const SweepSpec = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1)),
  base: Schema.Unknown,
  grid: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.Unknown).pipe(Schema.minItems(1)) }),
  replicates: Schema.Int.pipe(Schema.between(1, 100_000)),
  engine: Schema.optionalWith(Schema.Literal("fast", "faithful"), { default: () => "fast" as const })
})

/**
 * @since 0.1.0
 * @category sweeps
 */
export type SweepSpec = typeof SweepSpec.Type

/**
 * One run of a sweep, with its scenario already validated.
 *
 * @since 0.1.0
 * @category sweeps
 */
export interface SweepRun {
  readonly run: number
  readonly point: number
  readonly replicate: number
  readonly seed: number
  readonly parameters: Readonly<Record<string, unknown>>
  readonly scenario: Scenario
}

const setPath = (target: Record<string, unknown>, path: string, value: unknown) => {
  const parts = path.split(".")
  let o = target
  for (const p of parts.slice(0, -1)) {
    if (o[p] === undefined || typeof o[p] !== "object" || o[p] === null) o[p] = {}
    o = o[p] as Record<string, unknown>
  }
  o[parts[parts.length - 1]!] = value
}

/**
 * Expands a sweep into its runs, validating every run's scenario first: a
 * bad base or a bad grid value is refused (with the run and field) before
 * anything runs.
 *
 * @since 0.1.0
 * @category sweeps
 */
export const expandSweep = (input: unknown): { readonly spec: SweepSpec; readonly runs: ReadonlyArray<SweepRun> } => {
  const decoded = Schema.decodeUnknownEither(SweepSpec, { errors: "all", onExcessProperty: "error" })(input)
  if (Either.isLeft(decoded)) throw new InvalidScenario([{ path: "", message: String(decoded.left.message) }])
  const spec = decoded.right
  const keys = Object.keys(spec.grid)
  const points: Array<Record<string, unknown>> = [{}]
  for (const key of keys) {
    const next: Array<Record<string, unknown>> = []
    for (const p of points) for (const v of spec.grid[key]!) next.push({ ...p, [key]: v })
    points.splice(0, points.length, ...next)
  }
  const baseSeed = (spec.base as { seed?: unknown }).seed
  const runs: Array<SweepRun> = []
  points.forEach((parameters, point) => {
    for (let replicate = 0; replicate < spec.replicates; replicate++) {
      const raw = structuredClone(spec.base) as Record<string, unknown>
      for (const [k, v] of Object.entries(parameters)) setPath(raw, k, v)
      const seed = (typeof baseSeed === "number" ? baseSeed : 0) + replicate
      raw.seed = seed
      let scenario: Scenario
      try {
        scenario = parseScenario(raw)
      } catch (e) {
        if (e instanceof InvalidScenario) {
          throw new InvalidScenario(e.problems.map((p) => ({ path: p.path, message: `${p.message} (grid point ${JSON.stringify(parameters)})` })))
        }
        throw e
      }
      runs.push({ run: runs.length, point, replicate, seed, parameters, scenario })
    }
  })
  return { spec, runs }
}

/**
 * The outcome of one run of a sweep: its summary, or the error that stopped
 * it (a failed replicate does not stop the sweep).
 *
 * @since 0.1.0
 * @category sweeps
 */
export interface SweepRow {
  readonly run: number
  readonly point: number
  readonly replicate: number
  readonly seed: number
  readonly parameters: Readonly<Record<string, unknown>>
  readonly status: "ok" | "failed"
  readonly error?: string
  readonly summary?: RunSummary
}

/**
 * Which runs a shard takes: runs `i - 1`, `i - 1 + n`, ... of shard `i` of `n`.
 *
 * @since 0.1.0
 * @category sweeps
 */
export const shardRuns = <R extends { readonly run: number }>(runs: ReadonlyArray<R>, shard?: { readonly index: number; readonly count: number }) => {
  if (shard === undefined) return runs
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
    throw new InvalidScenario([{ path: "shard", message: `shard must be i/n with 1 <= i <= n (got ${shard.index}/${shard.count})` }])
  }
  return runs.filter((r) => r.run % shard.count === shard.index - 1)
}

/**
 * Options of {@link runSweep}.
 *
 * @since 0.1.0
 * @category sweeps
 */
export interface SweepOptions {
  /** Worker threads (default: the machine's cores; 0 runs in this thread). */
  readonly workers?: number
  readonly shard?: { readonly index: number; readonly count: number }
  /** Called after each finished run (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void
}

// Running from sources (tests, tsx): the worker registers the TypeScript loader and the
// `@gongzhi/source` export condition before it imports the worker's source.
const sourceWorker = (workerTs: URL): string => {
  const require = createRequire(import.meta.url)
  const tsx = pathToFileURL(require.resolve("tsx/esm/api")).href
  const hook = `data:text/javascript,${encodeURIComponent(
    "export async function resolve(s, c, next) { return next(s, { ...c, conditions: [...c.conditions, '@gongzhi/source'] }) }"
  )}`
  return `(async () => {
    const { register } = await import("node:module")
    register(${JSON.stringify(hook)}, ${JSON.stringify(workerTs.href)})
    ;(await import(${JSON.stringify(tsx)})).register()
    await import(${JSON.stringify(workerTs.href)})
  })()`
}

const makeWorker = (): Worker => {
  const here = import.meta.url
  if (here.endsWith(".ts")) return new Worker(sourceWorker(new URL("./worker.ts", here)), { eval: true })
  return new Worker(new URL(here.endsWith(".cjs") ? "./worker.cjs" : "./worker.js", here))
}

/**
 * Runs one sweep run in this thread.
 *
 * @since 0.1.0
 * @category sweeps
 */
export const runOne = async (run: SweepRun, engine: Engine): Promise<SweepRow> => {
  const base = { run: run.run, point: run.point, replicate: run.replicate, seed: run.seed, parameters: run.parameters }
  try {
    const { runFast } = await import("./fast.js")
    const { runFaithful } = await import("./faithful.js")
    const { buildWorld } = await import("./world.js")
    const world = buildWorld(run.scenario)
    const result = engine === "faithful" ? await runFaithful(world) : runFast(world)
    return { ...base, status: "ok", summary: result.summary }
  } catch (e) {
    return { ...base, status: "failed", error: e instanceof Error ? e.message : String(e) }
  }
}

/**
 * Runs a sweep (or one shard of it) across worker threads; rows come back
 * in run order whatever order the workers finish in.
 *
 * @since 0.1.0
 * @category sweeps
 */
export const runSweep = async (input: unknown, options: SweepOptions = {}): Promise<{ readonly spec: SweepSpec; readonly rows: ReadonlyArray<SweepRow> }> => {
  const { spec, runs: all } = expandSweep(input)
  const runs = shardRuns(all, options.shard)
  const rows: Array<SweepRow | undefined> = new Array(runs.length)
  const workers = Math.min(options.workers ?? availableParallelism(), runs.length)
  let done = 0
  const finish = (i: number, row: SweepRow) => {
    rows[i] = row
    done++
    options.onProgress?.(done, runs.length)
  }
  if (workers <= 0) {
    for (let i = 0; i < runs.length; i++) finish(i, await runOne(runs[i]!, spec.engine))
  } else {
    let next = 0
    await Promise.all(
      Array.from({ length: workers }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = makeWorker()
          let current = -1
          const feed = () => {
            if (next >= runs.length) {
              void worker.terminate().then(() => resolve())
              return
            }
            current = next++
            worker.postMessage({ run: runs[current], engine: spec.engine })
          }
          worker.on("message", (row: SweepRow) => {
            finish(current, row)
            feed()
          })
          worker.on("error", reject)
          feed()
        })
      )
    )
  }
  return { spec, rows: rows as Array<SweepRow> }
}

/**
 * A sweep's rows as CSV: one line per run, in run order: run, grid point,
 * replicate, seed, each grid parameter, status, error, then the summary.
 *
 * @since 0.1.0
 * @category sweeps
 */
export const sweepCsv = (spec: SweepSpec, rows: ReadonlyArray<SweepRow>): string => {
  const params = Object.keys(spec.grid)
  const columns = ["run", "point", "replicate", "seed", ...params, "status", "error", ...summaryColumns]
  const sorted = [...rows].sort((a, b) => a.run - b.run)
  return toCsv(
    columns,
    sorted.map((r) => ({
      run: r.run,
      point: r.point,
      replicate: r.replicate,
      seed: r.seed,
      ...Object.fromEntries(params.map((p) => [p, typeof r.parameters[p] === "object" ? JSON.stringify(r.parameters[p]) : r.parameters[p]])),
      status: r.status,
      error: r.error ?? "",
      ...(r.summary ?? {})
    }))
  )
}

/**
 * Merges the rows of shards (in any order) into one list in run order;
 * refuses duplicates.
 *
 * @since 0.1.0
 * @category sweeps
 */
export const mergeShards = (shards: ReadonlyArray<ReadonlyArray<SweepRow>>): ReadonlyArray<SweepRow> => {
  const byRun = new Map<number, SweepRow>()
  for (const rows of shards) {
    for (const r of rows) {
      if (byRun.has(r.run)) throw new Error(`run ${r.run} appears in two shards`)
      byRun.set(r.run, r)
    }
  }
  return [...byRun.values()].sort((a, b) => a.run - b.run)
}
