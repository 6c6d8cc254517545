#!/usr/bin/env node
// Generates packages/core/src/kernel/calendar-data.ts from the `chinese-days`
// package (a devDependency of @gongzhi/core): China's statutory holidays and
// make-up workdays (调休) as published by the State Council.
//
//   pnpm gen:calendar
//
// Core never imports chinese-days at runtime; only the generated, committed
// module is. Re-run after bumping chinese-days (a new year's arrangement is
// usually published in November) and commit the result. The script fails
// loudly if the data looks wrong instead of writing a doubtful calendar.
import { createRequire } from "node:module"
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const coreDir = join(root, "packages", "core")
const outFile = join(coreDir, "src", "kernel", "calendar-data.ts")

const requireFromCore = createRequire(join(coreDir, "package.json"))
const pkgDir = dirname(requireFromCore.resolve("chinese-days/package.json"))
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"))
const raw = JSON.parse(readFileSync(join(pkgDir, "dist", "chinese-days.json"), "utf8"))
const library = requireFromCore("chinese-days")

const fail = (message) => {
  console.error(`gen-calendar: ${message}`)
  process.exit(1)
}

// --- dates --------------------------------------------------------------
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/
const dayOfWeek = (iso) => new Date(`${iso}T00:00:00Z`).getUTCDay() // 0 = Sunday
const isWeekend = (iso) => {
  const d = dayOfWeek(iso)
  return d === 0 || d === 6
}
const checkIso = (iso, where) => {
  const m = isoPattern.exec(iso)
  if (m === null) fail(`${where}: "${iso}" is not YYYY-MM-DD`)
  const t = new Date(`${iso}T00:00:00Z`)
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso) fail(`${where}: "${iso}" is not a calendar date`)
}

// --- occasions ----------------------------------------------------------
// chinese-days labels every date "English name,中文名,statutory days".
const occasions = {
  "New Year's Day": "newYear",
  "Spring Festival": "springFestival",
  "Tomb-sweeping Day": "qingming",
  "Labour Day": "labourDay",
  "Dragon Boat Festival": "dragonBoat",
  "Mid-autumn Festival": "midAutumn",
  "National Day": "nationalDay",
  "Anti-Fascist 70th Day": "victoryDay70"
}
const names = new Map() // key -> { en, zh }
const occasionOf = (label, date) => {
  const [en, zh] = String(label).split(",")
  const key = en === undefined ? undefined : occasions[en]
  if (key === undefined || zh === undefined || zh === "") {
    fail(`${date}: unknown occasion "${label}" — add it to the occasions table in scripts/gen-calendar.mjs`)
  }
  const known = names.get(key)
  if (known !== undefined && (known.en !== en || known.zh !== zh)) fail(`${date}: occasion "${label}" named inconsistently`)
  names.set(key, { en, zh })
  return key
}

// --- read and check -----------------------------------------------------
for (const field of ["holidays", "workdays"]) {
  if (typeof raw[field] !== "object" || raw[field] === null) fail(`chinese-days.json has no "${field}" table`)
}
const holidayEntries = Object.entries(raw.holidays)
const workdayEntries = Object.entries(raw.workdays)
for (const [date] of holidayEntries) checkIso(date, "holidays")
for (const [date] of workdayEntries) checkIso(date, "workdays")
for (const [date] of workdayEntries) {
  if (!isWeekend(date)) fail(`make-up workday ${date} is not on a weekend`)
  if (date in raw.holidays) fail(`${date} is listed both as holiday and as make-up workday`)
}

// A year counts as published when it has the three holidays every year has.
const required = ["New Year's Day", "Spring Festival", "National Day"]
const seen = new Map() // year -> Set of English names
for (const [date, label] of holidayEntries) {
  const year = Number(date.slice(0, 4))
  if (!seen.has(year)) seen.set(year, new Set())
  seen.get(year).add(String(label).split(",")[0])
}
const complete = [...seen.keys()].filter((y) => required.every((h) => seen.get(y).has(h))).sort((a, b) => a - b)
if (complete.length === 0) fail("no complete year in the data")
const lastYear = complete[complete.length - 1]
let firstYear = lastYear
while (complete.includes(firstYear - 1)) firstYear--
const partial = [...seen.keys()].filter((y) => y < firstYear || y > lastYear).sort((a, b) => a - b)
if (partial.some((y) => y > lastYear)) {
  console.warn(`gen-calendar: ignoring incomplete year(s) ${partial.filter((y) => y > lastYear).join(", ")}`)
}
if (firstYear > 2024 || lastYear < 2026) fail(`data covers ${firstYear}-${lastYear}; expected at least 2024-2026`)

const inRange = ([date]) => {
  const y = Number(date.slice(0, 4))
  return y >= firstYear && y <= lastYear
}
const byDate = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
// Only days off that fall on Monday-Friday change anything; weekend days in a
// holiday period are off anyway.
const holidays = holidayEntries.filter(inRange).filter(([d]) => !isWeekend(d)).sort(byDate)
const workdays = workdayEntries.filter(inRange).sort(byDate)
const nameOf = new Map([...holidays, ...workdays].map(([d, label]) => [d, occasionOf(label, d)]))

// Cross-check: our reading of the tables must agree, day by day, with the
// package's own isWorkday over the whole covered range.
const holidaySet = new Set(holidays.map(([d]) => d))
const workdaySet = new Set(workdays.map(([d]) => d))
let checked = 0
for (let t = Date.UTC(firstYear, 0, 1); t < Date.UTC(lastYear + 1, 0, 1); t += 86_400_000) {
  const iso = new Date(t).toISOString().slice(0, 10)
  const ours = workdaySet.has(iso) || (!isWeekend(iso) && !holidaySet.has(iso))
  if (ours !== library.isWorkday(iso)) fail(`${iso}: our table says ${ours ? "workday" : "day off"}, chinese-days disagrees`)
  checked++
}

// --- write --------------------------------------------------------------
const q = (s) => JSON.stringify(s)
const byYear = (dates) => {
  const lines = []
  for (let y = firstYear; y <= lastYear; y++) {
    const ofYear = dates.filter((d) => d.startsWith(`${y}-`))
    if (ofYear.length > 0) lines.push(`    ${ofYear.map(q).join(", ")},`)
  }
  return lines.join("\n")
}
const namesByYear = () => {
  const all = [...nameOf.entries()].sort(byDate)
  const lines = []
  for (let y = firstYear; y <= lastYear; y++) {
    const ofYear = all.filter(([d]) => d.startsWith(`${y}-`))
    if (ofYear.length > 0) lines.push(`    ${ofYear.map(([d, k]) => `${q(d)}: n.${k}`).join(", ")},`)
  }
  return lines.join("\n")
}
const nameTable = [...names.entries()]
  .map(([key, { en, zh }]) => `  ${key}: { "zh-CN": ${q(zh)}, en: ${q(en)} }`)
  .join(",\n")

const source = `chinese-days@${pkg.version}`
const repoUrl = String(pkg.repository?.url ?? "https://github.com/vsme/chinese-days")
  .replace(/^git\+/, "")
  .replace(/\.git$/, "")
const out = `/**
 * GENERATED FILE: DO NOT EDIT. Run \`pnpm gen:calendar\` (scripts/gen-calendar.mjs).
 *
 * Source: npm package ${source} (${pkg.license}, ${repoUrl}),
 * file dist/chinese-days.json, which transcribes the State Council's annual
 * notices on public holiday arrangements (国务院办公厅关于部分节假日安排的通知).
 * Covered years: ${firstYear}-${lastYear}. Cross-checked day by day against the
 * package's own \`isWorkday\` (${checked} days).
 *
 * @since 0.1.0
 */
import type { CalendarData } from "./calendar.js"

const n = {
${nameTable}
} as const

/**
 * China's national working-day calendar: statutory holidays that fall on
 * Monday-Friday and weekend days that are make-up workdays (调休上班), for
 * ${firstYear}-${lastYear}. Generated from ${source}.
 *
 * @since 0.1.0
 * @category calendar
 */
export const chinaCalendarData: CalendarData = {
  source: ${q(source)},
  firstYear: ${firstYear},
  lastYear: ${lastYear},
  holidays: [
${byYear(holidays.map(([d]) => d))}
  ],
  workdays: [
${byYear(workdays.map(([d]) => d))}
  ],
  names: {
${namesByYear()}
  }
}
`
writeFileSync(outFile, out)
console.log(
  `gen-calendar: wrote ${relative(root, outFile)} from ${source}: ${firstYear}-${lastYear}, ` +
    `${holidays.length} weekday holidays, ${workdays.length} make-up workdays, ${checked} days cross-checked`
)
