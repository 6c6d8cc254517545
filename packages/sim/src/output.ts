/**
 * Writing a run's tables: CSV (with `csv-stringify`) and JSON, with the run's
 * scenario, parameters, seed and library version beside them. Numbers are
 * written in one fixed form, so the same seed gives byte-identical files.
 *
 * @since 0.1.0
 */
import { stringify } from "csv-stringify/sync"
import type { AgentRow, DayRow, RunResult, RunSummary } from "./collector.js"

/**
 * A number as written into CSV: integers as they are, other numbers with six
 * decimals (no exponent, no locale).
 *
 * @since 0.1.0
 * @category output
 */
export const formatNumber = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(6))

const cell = (v: unknown): string =>
  typeof v === "number" ? formatNumber(v) : typeof v === "boolean" ? (v ? "1" : "0") : v === undefined ? "" : String(v)

/**
 * Rows as CSV text with a header (columns in the given order).
 *
 * @since 0.1.0
 * @category output
 */
export const toCsv = (columns: ReadonlyArray<string>, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): string =>
  stringify(
    rows.map((r) => columns.map((c) => cell(r[c]))),
    { header: true, columns: columns.map((c) => ({ key: String(columns.indexOf(c)), header: c })), record_delimiter: "unix" }
  )

/**
 * The per-day table as CSV (`level_0`, `level_1`, ... for the level counts).
 *
 * @since 0.1.0
 * @category output
 */
export const daysCsv = (days: ReadonlyArray<DayRow>): string => {
  const levels = days[0]?.levels.length ?? 0
  const columns = [
    "day",
    "date",
    "activeResidents",
    "participationToDate",
    "attempts",
    "awards",
    "pointsAwarded",
    "bonusPoints",
    "capsHit",
    "peerCapsHit",
    "farmedPoints",
    "services",
    "centiHoursCredited",
    "elderCareCentiHours",
    "pointsGini",
    ...Array.from({ length: levels }, (_, i) => `level_${i}`)
  ]
  return toCsv(
    columns,
    days.map((d) => ({ ...d, ...Object.fromEntries(d.levels.map((n, i) => [`level_${i}`, n])) }))
  )
}

/**
 * The per-agent table as CSV.
 *
 * @since 0.1.0
 * @category output
 */
export const agentsCsv = (agents: ReadonlyArray<AgentRow>): string =>
  toCsv(
    ["residentId", "householdId", "elderly", "farmer", "lifetime", "level", "awards", "capsHit", "centiHoursGiven", "centiHoursReceived"],
    agents as never
  )

/**
 * The columns of a run summary, in the order sweeps write them.
 *
 * @since 0.1.0
 * @category output
 */
export const summaryColumns: ReadonlyArray<keyof RunSummary> = [
  "residents",
  "households",
  "participation",
  "awards",
  "points",
  "capsHit",
  "peerCapsHit",
  "farmedPointsShare",
  "pointsGini",
  "topLevelResidents",
  "centiHours",
  "elderCareCentiHours",
  "hoursPerResident"
]

/**
 * What a run records about itself (written as `meta.json`).
 *
 * @since 0.1.0
 * @category output
 */
export interface RunMeta {
  readonly library: { readonly "@gongzhi/core": string; readonly "@gongzhi/sim": string }
  readonly engine: RunResult["engine"]
  readonly seed: number
  readonly scenario: unknown
  readonly parameters?: Readonly<Record<string, unknown>>
  readonly summary: RunSummary
}

/**
 * Stable JSON: keys sorted at every level, two-space indent, a final newline.
 *
 * @since 0.1.0
 * @category output
 */
export const stableJson = (value: unknown): string => {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
        : typeof v === "number" && !Number.isInteger(v)
          ? Number(formatNumber(v))
          : v
  return `${JSON.stringify(sort(value), null, 2)}\n`
}
