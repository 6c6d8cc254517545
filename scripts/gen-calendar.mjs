#!/usr/bin/env node
// Generates two committed modules of @gongzhi/core (see docs/calendar.md):
//
// - packages/core/src/kernel/calendar-data.ts from the `chinese-days` package:
//   China's statutory holidays and make-up workdays (调休) as published by the
//   State Council (the "official bundled" source);
// - packages/core/src/kernel/calendar-lunar.ts from the `tyme4ts` package: the
//   Gregorian dates of 春节 (正月初一), 清明, 端午 (五月初五) and 中秋 (八月十五)
//   for 1900-2199, packed one integer a year, from which the calendar computes
//   the statutory days of a "provisional" year (one no published data covers).
//
//   pnpm gen:calendar
//
// Both packages are devDependencies of @gongzhi/core: core never imports them
// at runtime, only the generated modules. Re-run after bumping chinese-days (a
// new year's arrangement is usually published in November) and commit the
// result. The script fails loudly if the data looks wrong instead of writing a
// doubtful calendar.
import { createRequire } from "node:module"
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const coreDir = join(root, "packages", "core")
const outFile = join(coreDir, "src", "kernel", "calendar-data.ts")
const lunarFile = join(coreDir, "src", "kernel", "calendar-lunar.ts")

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

// --- lunar festivals (tyme4ts) -------------------------------------------
// One integer per year y (index y - lunarFirstYear), four bit fields:
//   bits 0-5   春节 (正月初一) as days after January 20 (除夕 is the day before)
//   bits 6-7   清明 as the day of April minus 3
//   bits 8-13  端午 (五月初五) as days after May 20
//   bits 14-19 中秋 (八月十五) as days after September 1
const tyme = await import(requireFromCore.resolve("tyme4ts").replace(/index\.cjs$/, "index.mjs"))
const tymePkg = JSON.parse(readFileSync(join(dirname(requireFromCore.resolve("tyme4ts")), "..", "..", "package.json"), "utf8"))
const lunarFirstYear = 1900
const lunarLastYear = 2199
const dayOfYear = (y, m, d) => Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1
const ymd = (solarDay) => [solarDay.getYear(), solarDay.getMonth(), solarDay.getDay()]
const packed = []
const field = (name, y, value, bits) => {
  if (!Number.isInteger(value) || value < 0 || value >= 1 << bits) fail(`${y}: ${name} offset ${value} does not fit ${bits} bits`)
  return value
}
for (let y = lunarFirstYear; y <= lunarLastYear; y++) {
  const sf = ymd(tyme.LunarDay.fromYmd(y, 1, 1).getSolarDay())
  const qm = ymd(tyme.SolarTerm.fromName(y, "清明").getJulianDay().getSolarDay())
  const db = ymd(tyme.LunarDay.fromYmd(y, 5, 5).getSolarDay())
  const ma = ymd(tyme.LunarDay.fromYmd(y, 8, 15).getSolarDay())
  for (const [name, [yy, m]] of [["春节", sf], ["清明", qm], ["端午", db], ["中秋", ma]]) {
    if (yy !== y) fail(`${y}: ${name} falls in ${yy}`)
    if (name === "清明" && m !== 4) fail(`${y}: 清明 in month ${m}`)
  }
  const v =
    field("春节", y, dayOfYear(...sf) - 20, 6) |
    (field("清明", y, qm[2] - 3, 2) << 6) |
    (field("端午", y, dayOfYear(...db) - dayOfYear(y, 5, 20), 6) << 8) |
    (field("中秋", y, dayOfYear(...ma) - dayOfYear(y, 9, 1), 6) << 14)
  packed.push(v)
}
// The check values of the 2024 revision's first unpublished year.
const check2027 = { 春节: "2027-02-06", 清明: "2027-04-05", 端午: "2027-06-09", 中秋: "2027-09-15" }
{
  const iso = ([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
  const got = {
    春节: iso(ymd(tyme.LunarDay.fromYmd(2027, 1, 1).getSolarDay())),
    清明: iso(ymd(tyme.SolarTerm.fromName(2027, "清明").getJulianDay().getSolarDay())),
    端午: iso(ymd(tyme.LunarDay.fromYmd(2027, 5, 5).getSolarDay())),
    中秋: iso(ymd(tyme.LunarDay.fromYmd(2027, 8, 15).getSolarDay()))
  }
  for (const [k, v] of Object.entries(check2027)) if (got[k] !== v) fail(`tyme4ts gives ${k} 2027 = ${got[k]}, expected ${v}`)
}
const rows = []
for (let i = 0; i < packed.length; i += 10) rows.push(`  ${packed.slice(i, i + 10).join(", ")},`)
const lunarSource = `tyme4ts@${tymePkg.version}`
writeFileSync(lunarFile, `/**
 * GENERATED FILE: DO NOT EDIT. Run \`pnpm gen:calendar\` (scripts/gen-calendar.mjs).
 *
 * Source: npm package ${lunarSource} (${tymePkg.license}, https://github.com/6tail/tyme4ts):
 * the Gregorian dates of 春节 (正月初一), 清明 (the solar term), 端午 (五月初五) and
 * 中秋 (八月十五) for ${lunarFirstYear}-${lunarLastYear}, one integer a year:
 * bits 0-5 春节 as days after January 20, bits 6-7 清明 as the day of April
 * minus 3, bits 8-13 端午 as days after May 20, bits 14-19 中秋 as days after
 * September 1.
 *
 * @since 0.2.0
 */

/**
 * Where the lunar festival table comes from.
 *
 * @since 0.2.0
 * @category calendar
 */
export const lunarTableSource = ${q(lunarSource)}

/**
 * First year of {@link lunarFestivalTable}.
 *
 * @since 0.2.0
 * @category calendar
 */
export const lunarTableFirstYear = ${lunarFirstYear}

/**
 * The packed lunar festival dates, one integer per year from
 * {@link lunarTableFirstYear} (see the file header for the layout).
 *
 * @since 0.2.0
 * @category calendar
 */
export const lunarFestivalTable: ReadonlyArray<number> = [
${rows.join("\n")}
]
`)
console.log(`gen-calendar: wrote ${relative(root, lunarFile)} from ${lunarSource}: ${lunarFirstYear}-${lunarLastYear}`)
