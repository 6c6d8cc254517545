/**
 * Question: do levels (居民 → 积极分子 → 骨干 → 明星居民 → 社区英雄) raise
 * participation, or only reward the already active?
 *
 * Residents become more active with each level they reach (`levelResponse`:
 * 0 means levels change nothing, 0.3 means each level makes a resident 30%
 * more active). The sweep varies it with 5 replicates each, a year, 2,016
 * households, and reads participation (households with any action), the Gini
 * of lifetime points and the residents at the top level. The day-by-day
 * participation of one replicate per setting is drawn.
 * Output: out/levels/runs.csv, participation.svg, gini.svg.
 */
import { lineChart, runScenario } from "@gongzhi/sim"
import { base, print, save, sweep, table } from "./common.js"

const responses = [0, 0.1, 0.3]
const { dir, rows } = await sweep("levels", { "behaviour.levelResponse": responses }, 5)
const key = (r: (typeof rows)[number]) => `levelResponse ${r.parameters["behaviour.levelResponse"]}`
print("Participation (households with any action in the year)", table(rows, key, (r) => r.summary!.participation))
print("Gini of lifetime points", table(rows, key, (r) => r.summary!.pointsGini))
print("Residents at the top level", table(rows, key, (r) => r.summary!.topLevelResidents), 1)

const series: Array<Record<string, unknown>> = []
for (const levelResponse of responses) {
  const { result } = await runScenario({ ...base, behaviour: { ...base.behaviour, levelResponse } })
  for (const d of result.days) series.push({ day: d.day, participation: d.participationToDate, gini: d.pointsGini, setting: `levelResponse ${levelResponse}` })
}
await save(dir, "participation.svg", await lineChart({ title: "Participation to date by level response", rows: series, x: "day", y: "participation", series: "setting" }))
await save(dir, "gini.svg", await lineChart({ title: "Gini of lifetime points by level response", rows: series, x: "day", y: "gini", series: "setting" }))
console.log(`\nwritten to ${dir}`)
