// Fails when an exported declaration lacks `@since` or `@category` in its JSDoc.
// Reads the JSON that `typedoc` writes next to the HTML reference.
import { readFileSync } from "node:fs"

const api = JSON.parse(readFileSync(new URL("../docs/api/api.json", import.meta.url), "utf8"))
const tagsOf = (r) => {
  const c = r.comment ?? r.signatures?.[0]?.comment ?? r.type?.declaration?.signatures?.[0]?.comment
  return new Set((c?.blockTags ?? []).map((t) => t.tag))
}
let checked = 0
const missing = []
const walk = (r, path) => {
  for (const c of r.children ?? []) {
    const p = `${path}/${c.name}`
    if (c.kind === 2 || c.kind === 4) {
      walk(c, p)
      continue
    }
    checked++
    const tags = tagsOf(c)
    const lacks = ["@since", "@category"].filter((t) => !tags.has(t))
    if (lacks.length > 0) missing.push(`${p}: missing ${lacks.join(", ")}`)
  }
}
walk(api, "")
if (missing.length > 0) {
  console.error(`${missing.length} of ${checked} exports lack JSDoc tags:\n${missing.join("\n")}`)
  process.exit(1)
}
console.log(`api docs: all ${checked} exports have @since and @category`)
