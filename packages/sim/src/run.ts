/**
 * Running one scenario and writing what it produced.
 *
 * @since 0.1.0
 */
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { lineChart, histogram } from "./chart.js"
import type { RunResult } from "./collector.js"
import { runFaithful } from "./faithful.js"
import { runFast } from "./fast.js"
import { agentsCsv, daysCsv, type RunMeta, stableJson } from "./output.js"
import { parseScenario, type Scenario } from "./scenario.js"
import { libraryVersions } from "./version.js"
import { type BehaviourModel, buildWorld, defaultBehaviour } from "./world.js"

/**
 * Which engine runs a scenario.
 *
 * @since 0.1.0
 * @category running
 */
export type Engine = "fast" | "faithful"

/**
 * Runs a scenario (validated first) on an engine.
 *
 * @since 0.1.0
 * @category running
 */
export const runScenario = async (
  input: unknown,
  options: { readonly engine?: Engine; readonly behaviour?: BehaviourModel } = {}
): Promise<{ readonly scenario: Scenario; readonly result: RunResult }> => {
  const scenario = parseScenario(input)
  const world = buildWorld(scenario)
  const behaviour = options.behaviour ?? defaultBehaviour
  const result = options.engine === "faithful" ? await runFaithful(world, behaviour) : runFast(world, behaviour)
  return { scenario, result }
}

/**
 * Writes a run into `dir`: `days.csv`, `agents.csv`, `days.json`,
 * `meta.json` (scenario, parameters, seed, engine, library versions,
 * summary) and, unless `charts: false`, `participation.svg`, `gini.svg`,
 * `levels.svg`, `points.svg` (distribution of lifetime points).
 *
 * @since 0.1.0
 * @category running
 */
export const writeRun = async (
  dir: string,
  run: { readonly scenario: Scenario; readonly result: RunResult },
  options: { readonly parameters?: Readonly<Record<string, unknown>>; readonly charts?: boolean } = {}
): Promise<ReadonlyArray<string>> => {
  await mkdir(dir, { recursive: true })
  const { scenario, result } = run
  const meta: RunMeta = {
    library: libraryVersions,
    engine: result.engine,
    seed: scenario.seed,
    scenario,
    ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
    summary: result.summary
  }
  const files: Array<[string, string]> = [
    ["days.csv", daysCsv(result.days)],
    ["agents.csv", agentsCsv(result.agents)],
    ["days.json", stableJson(result.days)],
    ["meta.json", stableJson(meta)]
  ]
  if (options.charts !== false) {
    const levelRows = result.days.flatMap((d) => d.levels.map((n, level) => ({ day: d.day, level: `L${level}`, residents: n })))
    files.push(
      ["participation.svg", await lineChart({ title: `${scenario.name}: participation to date`, rows: result.days, x: "day", y: "participationToDate" })],
      ["gini.svg", await lineChart({ title: `${scenario.name}: Gini of lifetime points`, rows: result.days, x: "day", y: "pointsGini" })],
      ["levels.svg", await lineChart({ title: `${scenario.name}: residents per level`, rows: levelRows, x: "day", y: "residents", series: "level" })],
      ["points.svg", await histogram({ title: `${scenario.name}: lifetime points per resident`, rows: result.agents, field: "lifetime" })]
    )
  }
  for (const [name, text] of files) await writeFile(join(dir, name), text)
  return files.map(([name]) => join(dir, name))
}
