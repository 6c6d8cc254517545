/**
 * Question: does a weekly cap on peer awards between the same two residents
 * (the pair cap) stop farming, and what does it cost honest neighbours?
 *
 * Farmers (2% or 10% of residents) try 8 peer awards a day with one partner.
 * The sweep varies the pair cap (none, 20, 6 (the default), 2 a week) and the
 * share of farmers; 5 replicates each (common random numbers), a year, 2,016
 * households. Output: out/pair-caps/runs.csv, farmed.svg, honest.svg.
 */
import { barChart } from "@gongzhi/sim"
import { print, save, sweep, table } from "./common.js"

const caps = [{}, { week: 20 }, { week: 6 }, { week: 2 }]
const label = (v: unknown) => (JSON.stringify(v) === "{}" ? "no pair cap" : `${(v as { week: number }).week} a week`)
const { dir, rows } = await sweep("pair-caps", { "incentives.perPair": caps, "behaviour.farmerShare": [0.02, 0.1] }, 5)

const key = (r: (typeof rows)[number]) => `${label(r.parameters["incentives.perPair"])}, farmers ${r.parameters["behaviour.farmerShare"]}`
print("Share of all points that farmers gave their partners", table(rows, key, (r) => r.summary!.farmedPointsShare))
print("Points earned by everyone else (per resident)", table(rows, key, (r) => (r.summary!.points * (1 - r.summary!.farmedPointsShare)) / r.summary!.residents), 1)
print("Peer attempts stopped by a cap", table(rows, key, (r) => r.summary!.peerCapsHit), 0)

const chartRows = rows.map((r) => ({
  cap: label(r.parameters["incentives.perPair"]),
  farmers: `farmers ${r.parameters["behaviour.farmerShare"]}`,
  farmedPointsShare: r.summary!.farmedPointsShare,
  honestPointsPerResident: (r.summary!.points * (1 - r.summary!.farmedPointsShare)) / r.summary!.residents
}))
await save(dir, "farmed.svg", await barChart({ title: "Share of points farmed, by pair cap", rows: chartRows, category: "cap", value: "farmedPointsShare", series: "farmers" }))
await save(dir, "honest.svg", await barChart({ title: "Points per resident from honest activity, by pair cap", rows: chartRows, category: "cap", value: "honestPointsPerResident", series: "farmers" }))
console.log(`\nwritten to ${dir}`)
