import { incentivesBench } from "./incentives.js"
import { issuesBench } from "./issues.js"
import { kernelBench } from "./kernel.js"
import { notifyBench } from "./notify.js"
import { postgresBench } from "./postgres.js"
import { timeBankBench } from "./timebank.js"
import { votingBench } from "./voting.js"

/** Benchmark suites by name. Modules add theirs (one file each). */
export const suites: ReadonlyArray<readonly [string, () => Promise<void>]> = [
  ["kernel", kernelBench],
  ["postgres", postgresBench],
  ["incentives", incentivesBench],
  ["timebank", timeBankBench],
  ["voting", votingBench],
  ["issues", issuesBench],
  ["notify", notifyBench]
]
