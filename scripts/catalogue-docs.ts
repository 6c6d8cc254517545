/**
 * Renders the command catalogue into docs/reference/*.md and
 * docs/reference/catalogue.json. Used by `pnpm gen:catalogue` (which writes
 * the files) and by a test that fails when the committed files differ.
 */
import { catalogueJson, commandCatalogue, type CatalogueEntry, type JsonSchema } from "../packages/core/src/index.js"

type Entry = CatalogueEntry<any, any, any>
type Json = { readonly [key: string]: any }

const moduleTitles: Record<string, { readonly en: string; readonly zh: string }> = {
  ledger: { en: "Ledger", zh: "账本" },
  voting: { en: "Voting", zh: "表决" },
  issues: { en: "Issues", zh: "工单" },
  incentives: { en: "Incentives", zh: "积分激励" },
  timebank: { en: "Time bank", zh: "时间银行" }
}

/** An inline code span that survives backticks and pipes inside a table cell. */
const code = (s: string): string => `<code>${s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;")}</code>`

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ")

const refName = (ref: string): string => ref.replace(/^#\/\$defs\//, "")
const refLabel = (ref: string): string => ({ Int: "integer", NonNegativeInt: "integer ≥ 0" } as Record<string, string>)[refName(ref)] ?? refName(ref)

/** A one-line summary of a JSON Schema's type. */
const typeOf = (s: Json | undefined, depth = 0): string => {
  if (s === undefined) return "any"
  if (typeof s.$ref === "string") return refLabel(s.$ref)
  if (s.const !== undefined) return JSON.stringify(s.const)
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ")
  if (Array.isArray(s.anyOf)) return s.anyOf.map((m: Json) => typeOf(m, depth + 1)).join(" | ")
  if (Array.isArray(s.oneOf)) return s.oneOf.map((m: Json) => typeOf(m, depth + 1)).join(" | ")
  if (Array.isArray(s.allOf)) return s.allOf.map((m: Json) => typeOf(m, depth + 1)).join(" & ")
  const bounds: Array<string> = []
  if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`)
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`)
  if (s.maximum !== undefined) bounds.push(`≤ ${s.maximum}`)
  if (s.exclusiveMaximum !== undefined) bounds.push(`< ${s.exclusiveMaximum}`)
  if (s.minLength !== undefined) bounds.push(`length ≥ ${s.minLength}`)
  if (s.maxLength !== undefined) bounds.push(`length ≤ ${s.maxLength}`)
  if (s.minItems !== undefined) bounds.push(`items ≥ ${s.minItems}`)
  if (s.maxItems !== undefined) bounds.push(`items ≤ ${s.maxItems}`)
  if (s.pattern !== undefined) bounds.push(`pattern ${s.pattern}`)
  const suffix = bounds.length > 0 ? ` (${bounds.join(", ")})` : ""
  switch (s.type) {
    case "array":
      if (Array.isArray(s.prefixItems)) return `[${s.prefixItems.map((m: Json) => typeOf(m, depth + 1)).join(", ")}]${suffix}`
      return `Array<${typeOf(s.items, depth + 1)}>${suffix}`
    case "object": {
      if (s.properties === undefined || depth > 0) {
        if (s.properties === undefined && s.additionalProperties !== undefined && s.additionalProperties !== false) {
          return `Record<string, ${typeOf(s.additionalProperties, depth + 1)}>`
        }
        if (s.properties !== undefined) {
          return `{ ${Object.keys(s.properties).map((k) => `${k}${(s.required ?? []).includes(k) ? "" : "?"}`).join(", ")} }`
        }
        return "object"
      }
      return "object"
    }
    case undefined:
      return s.properties !== undefined ? "object" : "any"
    default:
      return `${s.type}${suffix}`
  }
}

/** The object schema a schema stands for (following `$ref`s into `$defs`), if it is one. */
const objectOf = (s: Json, defs: Json): Json | undefined => {
  let node: Json | undefined = s
  for (let i = 0; i < 10 && node !== undefined && typeof node.$ref === "string"; i++) node = defs[refName(node.$ref)]
  if (node === undefined) return undefined
  if (node.type === "object" && node.properties !== undefined) return node
  if (Array.isArray(node.allOf) && node.allOf.length === 1) return objectOf(node.allOf[0], defs)
  return undefined
}

const fieldTable = (schema: JsonSchema): string => {
  const s = schema as Json
  const defs = (s.$defs ?? {}) as Json
  const obj = objectOf(s, defs)
  if (obj === undefined) return `Type: ${code(typeOf(s))}\n`
  const required = new Set<string>(obj.required ?? [])
  const rows = Object.entries(obj.properties as Json).map(([name, p]: [string, Json]) => {
    const i18n = p["x-i18n"] as Json | undefined
    const zh = i18n === undefined ? "" : [i18n["zh-CN"].title, i18n["zh-CN"].description].filter(Boolean).join("：")
    const en = i18n === undefined ? (p.description ?? p.title ?? "") : [i18n.en.title, i18n.en.description].filter(Boolean).join(": ")
    return `| \`${name}\` | ${code(typeOf(p))} | ${required.has(name) ? "yes" : "no"} | ${cell(zh)} | ${cell(String(en))} |`
  })
  if (rows.length === 0) return "No fields.\n"
  return ["| Field | Type | Required | 说明 | Description |", "| --- | --- | --- | --- | --- |", ...rows].join("\n") + "\n"
}

const who = (e: Entry): string => {
  const parts: Array<string> = []
  if (e.access.residents === true) parts.push("any resident")
  if (e.access.residents === "self") parts.push("residents (for themselves)")
  if (e.access.roles !== undefined && e.access.roles.length > 0) parts.push(`staff with role ${e.access.roles.map((r) => `\`${r}\``).join(", ")}`)
  if (e.access.system === true) parts.push("the system actor")
  return parts.length === 0 ? "nobody" : parts.join("; ")
}

const anchor = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "")

const renderModule = (module: string, entries: ReadonlyArray<Entry>, json: Json): string => {
  const events = json.events as Json
  const byName = new Map<string, Json>(json.commands.map((c: Json) => [c.name, c]))
  const t = moduleTitles[module] ?? { en: module, zh: module }
  const out: Array<string> = []
  out.push(`# ${t.en} (${t.zh}): command reference`, "")
  out.push("<!-- Generated by `pnpm gen:catalogue` from the command catalogue. Do not edit: a test fails when this file differs from the code. -->", "")
  out.push(`Every public command and query of the \`${module}\` module: who may call it, its input and result fields, the errors it can fail with and the journal events it appends. The full JSON Schemas (draft 2020-12) are in [catalogue.json](catalogue.json).`, "")
  out.push("| Name | Kind | Title | 标题 | Who may call |", "| --- | --- | --- | --- | --- |")
  for (const e of entries) out.push(`| [\`${e.name}\`](#${anchor(e.name)}) | ${e.kind} | ${cell(e.title.en)} | ${cell(e.title["zh-CN"])} | ${cell(who(e))} |`)
  out.push("")
  for (const e of entries) {
    const j = byName.get(e.name)!
    out.push(`## ${e.name}`, "")
    out.push(`**${e.title.en}** · ${e.title["zh-CN"]}`, "")
    out.push(e.description.en, "", e.description["zh-CN"], "")
    out.push(`- Kind: ${e.kind}`, `- Permission: \`${e.permission}\` (${who(e)})`, "")
    out.push("### Input", "", fieldTable(j.input))
    out.push("### Result", "", fieldTable(j.result))
    out.push("### Errors", "", "| Code | Tag | Kind |", "| --- | --- | --- |")
    for (const err of j.errors) out.push(`| \`${err.code}\` | \`${err.tag}\` | ${err.kind ?? ""} |`)
    out.push("")
    out.push("### Events", "")
    if (e.events.length === 0) out.push("None.", "")
    else out.push(...e.events.map((tag) => `- [\`${tag}\`](#${anchor(tag)})`), "")
  }
  const tags = Object.keys(events).filter((tag) => events[tag].module === module).sort()
  if (tags.length > 0) {
    out.push("## Events", "", `The payloads of the \`${module}\` module's journal events (decode them with \`decodeEntry\`).`, "")
    for (const tag of tags) out.push(`### ${tag}`, "", fieldTable(events[tag].schema))
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n"
}

/**
 * Every generated reference file, by path relative to the repository root.
 */
export const renderReference = (entries: ReadonlyArray<Entry> = commandCatalogue): Record<string, string> => {
  const json = catalogueJson(entries)
  const modules = [...new Set(entries.map((e) => e.module))]
  const files: Record<string, string> = {}
  // One command (and one event) a line: a reviewable diff at a third of the indented size.
  files["docs/reference/catalogue.json"] = [
    "{",
    `"$schema": ${JSON.stringify(json.$schema)},`,
    "\"commands\": [",
    json.commands.map((c) => JSON.stringify(c)).join(",\n"),
    "],",
    "\"events\": {",
    Object.entries(json.events).map(([tag, e]) => `${JSON.stringify(tag)}: ${JSON.stringify(e)}`).join(",\n"),
    "}",
    "}"
  ].join("\n") + "\n"
  const index: Array<string> = [
    "# Command reference",
    "",
    "<!-- Generated by `pnpm gen:catalogue` from the command catalogue. Do not edit. -->",
    "",
    "Generated from the command catalogue (`commandCatalogue` in `@gongzhi/core`); see [the command catalogue](../architecture.md#the-command-catalogue) for how it is built and how a module registers.",
    "",
    "| Module | 模块 | Commands | Queries |",
    "| --- | --- | --- | --- |"
  ]
  for (const m of modules) {
    const list = entries.filter((e) => e.module === m)
    const t = moduleTitles[m] ?? { en: m, zh: m }
    files[`docs/reference/${m}.md`] = renderModule(m, list, json)
    index.push(`| [${t.en}](${m}.md) | ${t.zh} | ${list.filter((e) => e.kind === "command").length} | ${list.filter((e) => e.kind === "query").length} |`)
  }
  index.push("", "[catalogue.json](catalogue.json) holds every entry with the JSON Schemas (draft 2020-12) of its input and result, and every event's payload schema.", "")
  const codes = new Map<string, { readonly tag: string; readonly kind?: string; readonly users: Set<string> }>()
  for (const c of json.commands) {
    for (const err of c.errors) {
      const known = codes.get(err.code) ?? { tag: err.tag, ...(err.kind === undefined ? {} : { kind: err.kind }), users: new Set<string>() }
      known.users.add(c.module)
      codes.set(err.code, known)
    }
  }
  index.push("## Error codes", "", "| Code | Tag | Kind | Modules |", "| --- | --- | --- | --- |")
  for (const [code, v] of [...codes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    index.push(`| \`${code}\` | \`${v.tag}\` | ${v.kind ?? ""} | ${[...v.users].join(", ")} |`)
  }
  files["docs/reference/README.md"] = index.join("\n") + "\n"
  return files
}
