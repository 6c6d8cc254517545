#!/usr/bin/env node
/**
 * `gongzhi-sim`: run a scenario, run a sweep (or one shard of it), merge shards.
 *
 * ```sh
 * gongzhi-sim run scenario.json --out out/baseline [--engine faithful] [--no-charts]
 * gongzhi-sim sweep sweep.json --out out/caps [--shard 2/8] [--workers 4]
 * gongzhi-sim merge out/caps-shard-*.jsonl --sweep sweep.json --out out/caps
 * ```
 *
 * On a Slurm job array: `gongzhi-sim sweep sweep.json --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT --out shards`;
 * on a Kubernetes indexed Job: `--shard $((JOB_COMPLETION_INDEX+1))/<completions>`.
 *
 * @since 0.1.0
 */
import { readFile, mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { SingleBar } from "cli-progress"
import { runScenario, writeRun } from "./run.js"
import { InvalidScenario } from "./scenario.js"
import { mergeShards, runSweep, type SweepRow, sweepCsv, expandSweep } from "./sweep.js"

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? undefined : args[i + 1]
}
const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, "utf8"))

const main = async (): Promise<void> => {
  const [command, file, ...rest] = args
  const out = flag("out") ?? "out"
  if (command === "run" && file !== undefined) {
    const engine = flag("engine") === "faithful" ? "faithful" : "fast"
    const run = await runScenario(await readJson(file), { engine })
    const files = await writeRun(out, run, { charts: !args.includes("--no-charts") })
    console.log(files.join("\n"))
    return
  }
  if (command === "sweep" && file !== undefined) {
    const shardArg = flag("shard")
    const shard = shardArg === undefined ? undefined : (([i, n]) => ({ index: Number(i), count: Number(n) }))(shardArg.split("/"))
    const workers = flag("workers") === undefined ? undefined : Number(flag("workers"))
    const bar = process.stderr.isTTY ? new SingleBar({ format: "sweep [{bar}] {value}/{total} runs | {eta}s left" }) : undefined
    const { spec, rows } = await runSweep(await readJson(file), {
      ...(shard === undefined ? {} : { shard }),
      ...(workers === undefined ? {} : { workers }),
      onProgress: (done, total) => {
        if (bar === undefined) return
        if (done === 1) bar.start(total, 0)
        bar.update(done)
        if (done === total) bar.stop()
      }
    })
    await mkdir(out, { recursive: true })
    const suffix = shard === undefined ? "" : `-shard-${shard.index}-of-${shard.count}`
    await writeFile(join(out, `runs${suffix}.jsonl`), rows.map((r) => JSON.stringify(r)).join("\n") + "\n")
    if (shard === undefined) await writeFile(join(out, "runs.csv"), sweepCsv(spec, rows))
    const failed = rows.filter((r) => r.status === "failed")
    for (const f of failed) console.error(`run ${f.run} (seed ${f.seed}) failed: ${f.error}`)
    console.log(`${rows.length - failed.length} runs ok, ${failed.length} failed -> ${out}`)
    return
  }
  if (command === "merge" && file !== undefined) {
    const sweepFile = flag("sweep")
    if (sweepFile === undefined) throw new Error("merge needs --sweep <sweep.json>")
    const { spec } = expandSweep(await readJson(sweepFile))
    const shardFiles = [file, ...rest.filter((a, i) => !a.startsWith("--") && !rest[i - 1]?.startsWith("--"))]
    const shards: Array<Array<SweepRow>> = []
    for (const f of shardFiles) {
      const text = await readFile(f, "utf8")
      shards.push(text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as SweepRow))
    }
    await mkdir(out, { recursive: true })
    await writeFile(join(out, "runs.csv"), sweepCsv(spec, mergeShards(shards)))
    console.log(join(out, "runs.csv"))
    return
  }
  console.error("usage: gongzhi-sim run <scenario.json> --out <dir> [--engine fast|faithful] [--no-charts]\n       gongzhi-sim sweep <sweep.json> --out <dir> [--shard i/n] [--workers n]\n       gongzhi-sim merge <shard.jsonl>... --sweep <sweep.json> --out <dir>")
  process.exitCode = 2
}

main().catch((e: unknown) => {
  if (e instanceof InvalidScenario) {
    console.error(e.message)
    process.exitCode = 2
    return
  }
  console.error(e)
  process.exitCode = 1
})
