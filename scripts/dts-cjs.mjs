#!/usr/bin/env node
// Gives a package's tsc-emitted declaration tree a CommonJS twin: for every
// `dist/**/*.d.ts` writes `*.d.cts` beside it with relative specifiers
// pointing at `.cjs`, so the `require` condition's `types` (`dist/index.d.cts`)
// describe the CommonJS build exactly as `dist/index.d.ts` describes the ESM one.
//
// We emit declarations with tsc (one file per module) instead of bundling them
// with tsup/rollup-plugin-dts: the bundler turned every value that also has a
// same-named type (`Voting.VotingEvent`, `Issues.CaseId`, ...) into a type-only
// export inside `export * as X` namespaces.
//
// Usage: node scripts/dts-cjs.mjs <dist directory>
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const root = process.argv[2]
if (root === undefined) {
  console.error("usage: node scripts/dts-cjs.mjs <dist directory>")
  process.exit(2)
}

const specifier = /((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*?)\.js\2/g

let count = 0
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else if (entry.name.endsWith(".d.ts")) {
      const text = readFileSync(path, "utf8").replace(specifier, (_, head, quote, rel) => `${head}${quote}${rel}.cjs${quote}`)
      writeFileSync(path.slice(0, -".d.ts".length) + ".d.cts", text)
      count++
    }
  }
}
walk(root)
console.log(`dts-cjs: wrote ${count} .d.cts files under ${root}`)
