import { fundBench } from "./fund.js"
import { incentivesBench } from "./incentives.js"
import { issuesBench } from "./issues.js"
import { kernelBench } from "./kernel.js"
import { notifyBench } from "./notify.js"
import { petCreditBench } from "./petcredit.js"
import { postgresBench } from "./postgres.js"
import { simBench } from "./sim.js"
import { spacesBench } from "./spaces.js"
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
  ["notify", notifyBench],
  ["petcredit", petCreditBench],
  ["sim", simBench],
  ["fund", fundBench],
  ["spaces", spacesBench]
]
