/**
 * What the three research scripts share: the base scenario (the seed's
 * numbers on 2,016 households for a year), running a sweep with a progress
 * line, and writing its CSV and charts under `out/<study>/`.
 */
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { baselineScenario, runSweep, type SweepRow, sweepCsv } from "@gongzhi/sim"

export const base = baselineScenario

export const outDir = async (study: string): Promise<string> => {
  const dir = join(import.meta.dirname, "..", "out", study)
  await mkdir(dir, { recursive: true })
  return dir
}

export const sweep = async (
  study: string,
  grid: Record<string, ReadonlyArray<unknown>>,
  replicates: number,
  baseOverride: Record<string, unknown> = {}
): Promise<{ dir: string; rows: ReadonlyArray<SweepRow> }> => {
  const dir = await outDir(study)
  const spec = { name: study, base: { ...base, ...baseOverride }, grid, replicates }
  const started = performance.now()
  const { spec: decoded, rows } = await runSweep(spec, {
    onProgress: (done, total) => process.stderr.write(`\r${study}: ${done}/${total} runs`)
  })
  process.stderr.write(`\r${study}: ${rows.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  await writeFile(join(dir, "sweep.json"), JSON.stringify(spec, null, 2) + "\n")
  await writeFile(join(dir, "runs.csv"), sweepCsv(decoded, rows))
  const failed = rows.filter((r) => r.status === "failed")
  if (failed.length > 0) throw new Error(`${failed.length} runs failed: ${failed.map((f) => `seed ${f.seed}: ${f.error}`).join("; ")}`)
  return { dir, rows }
}

/** Mean and sample standard deviation of a list. */
export const meanSd = (xs: ReadonlyArray<number>): { mean: number; sd: number } => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length
  const sd = xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1))
  return { mean, sd }
}

/** Groups rows by a key and summarises one metric per group. */
export const table = (
  rows: ReadonlyArray<SweepRow>,
  key: (r: SweepRow) => string,
  metric: (r: SweepRow) => number
): Array<{ group: string; mean: number; sd: number; n: number }> => {
  const groups = new Map<string, Array<number>>()
  for (const r of rows) {
    const k = key(r)
    groups.set(k, [...(groups.get(k) ?? []), metric(r)])
  }
  return [...groups.entries()].map(([group, xs]) => ({ group, ...meanSd(xs), n: xs.length }))
}

export const print = (title: string, rows: ReadonlyArray<{ group: string; mean: number; sd: number; n: number }>, digits = 3) => {
  console.log(`\n${title}`)
  for (const r of rows) console.log(`  ${r.group.padEnd(40)} ${r.mean.toFixed(digits).padStart(10)} ± ${r.sd.toFixed(digits)} (n=${r.n})`)
}

export const save = (dir: string, name: string, text: string) => writeFile(join(dir, name), text)
