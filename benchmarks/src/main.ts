/**
 * `pnpm bench`: every benchmark, in order. Select some with
 * `pnpm bench -- kernel voting` (names of the suites below).
 */
import { suites } from "./suites.js"

const wanted = process.argv.slice(2).filter((a) => a !== "--")
for (const [name, run] of suites) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  await run()
}
