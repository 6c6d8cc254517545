/**
 * Question: does a higher time-bank multiplier for elderly care (seed: 1.5)
 * bring more elder-care hours, and what does it cost in credit?
 *
 * How strongly volunteers follow the multiplier is not known from data; the
 * model makes it a parameter (`multiplierResponse`: 0 means they ignore it,
 * 1 means a 1.5 multiplier makes elder care 50% more likely). The sweep
 * varies the elder-care multiplier (1.0, 1.5, 2.0) and the response (0, 0.5,
 * 1), 5 replicates each, a year, 2,016 households. Credit issued (centi-hours)
 * and elder-care hours (actual) are read per run.
 * Output: out/multipliers/runs.csv, elder-care.svg.
 */
import { barChart } from "@gongzhi/sim"
import { print, save, sweep, table } from "./common.js"

const { dir, rows } = await sweep(
  "multipliers",
  { "timeBank.multipliersPermille.elderly-care": [1000, 1500, 2000], "behaviour.multiplierResponse": [0, 0.5, 1] },
  5
)
const key = (r: (typeof rows)[number]) =>
  `x${(r.parameters["timeBank.multipliersPermille.elderly-care"] as number) / 1000}, response ${r.parameters["behaviour.multiplierResponse"]}`
print("Elder-care credit issued per resident (hours of credit)", table(rows, key, (r) => r.summary!.elderCareCentiHours / 100 / r.summary!.residents), 3)
print("All credit issued per resident (hours of credit)", table(rows, key, (r) => r.summary!.centiHours / 100 / r.summary!.residents), 3)

const chartRows = rows.map((r) => ({
  multiplier: `x${(r.parameters["timeBank.multipliersPermille.elderly-care"] as number) / 1000}`,
  response: `response ${r.parameters["behaviour.multiplierResponse"]}`,
  elderCareCreditPerResident: r.summary!.elderCareCentiHours / 100 / r.summary!.residents
}))
await save(dir, "elder-care.svg", await barChart({ title: "Elder-care credit per resident by multiplier", rows: chartRows, category: "multiplier", value: "elderCareCreditPerResident", series: "response" }))
console.log(`\nwritten to ${dir}`)
