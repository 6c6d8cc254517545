#!/usr/bin/env -S npx tsx
// Writes docs/reference/*.md and docs/reference/catalogue.json from the
// command catalogue:
//
//   pnpm gen:catalogue
//
// Commit the result; packages/core/test/catalogue-docs.test.ts fails when the
// committed files differ from what the code generates.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { renderReference } from "./catalogue-docs.js"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const files = renderReference()
const dir = join(root, "docs", "reference")
mkdirSync(dir, { recursive: true })
// Files of modules that no longer exist must not linger.
for (const name of readdirSync(dir)) {
  if (!(`docs/reference/${name}` in files)) rmSync(join(dir, name))
}
for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content)
console.log(`gen-catalogue: wrote ${Object.keys(files).length} files to docs/reference`)
