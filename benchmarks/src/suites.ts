import { kernelBench } from "./kernel.js"

/** Benchmark suites by name. Modules add theirs (one file each). */
export const suites: ReadonlyArray<readonly [string, () => Promise<void>]> = [["kernel", kernelBench]]
