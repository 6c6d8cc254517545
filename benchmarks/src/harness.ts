/**
 * A tiny benchmark harness: runs a function for a while after a warm-up and
 * prints operations per second. Figures only; nothing here asserts.
 */
export interface Measurement {
  readonly name: string
  readonly ops: number
  readonly seconds: number
  readonly opsPerSecond: number
  readonly nsPerOp: number
}

/** Times `ops` operations done by `run` (which returns how many it did). */
export const measure = async (name: string, run: () => number | Promise<number>): Promise<Measurement> => {
  const start = process.hrtime.bigint()
  const ops = await run()
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return { name, ops, seconds, opsPerSecond: ops / seconds, nsPerOp: (seconds * 1e9) / ops }
}

export const report = (m: Measurement): void => {
  console.log(
    `  ${m.name.padEnd(58)} ${m.ops.toLocaleString("en").padStart(12)} ops  ${m.seconds.toFixed(3).padStart(8)} s  ${Math.round(m.opsPerSecond).toLocaleString("en").padStart(12)} ops/s  ${m.nsPerOp.toFixed(0).padStart(9)} ns/op`
  )
}

export const ratio = (label: string, a: Measurement, b: Measurement): void => {
  console.log(`  ${label}: ${(a.opsPerSecond / b.opsPerSecond).toFixed(3)}`)
}

export const section = (title: string): void => {
  console.log(`\n${title}\n${"-".repeat(title.length)}`)
}
