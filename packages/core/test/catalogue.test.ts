/**
 * The command catalogue: the generated reference docs match the code, every
 * public command is listed under its span name, and `invoke` runs it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Tracer } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { renderReference } from "../../../scripts/catalogue-docs.js"
import { MemoryStore } from "../../store-memory/src/index.js"
import {
  type Actor,
  catalogueEntry,
  commandCatalogue,
  errorInfo,
  eventMembers,
  Gongzhi,
  invoke,
  StaffActor,
  StaffId,
  SystemActor,
  Roles,
  ResidentActor,
  ResidentId
} from "../src/index.js"
import { C } from "./support.js"

const root = join(__dirname, "..", "..", "..")
const src = join(__dirname, "..", "src")

const sources = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : []
  )

describe("command catalogue", () => {
  it("the committed docs/reference files are what the code generates (run `pnpm gen:catalogue` after a change)", () => {
    const files = renderReference()
    for (const [path, content] of Object.entries(files)) {
      expect(readFileSync(join(root, path), "utf8"), `${path} is out of date: run pnpm gen:catalogue`).toBe(content)
    }
    const committed = readdirSync(join(root, "docs", "reference")).map((n) => `docs/reference/${n}`).sort()
    expect(committed).toEqual(Object.keys(files).sort())
  }, 120_000)

  it("lists every public command and query of the source once, under its span name", () => {
    const names = commandCatalogue.map((e) => e.name)
    expect(new Set(names).size).toBe(names.length)
    const spans = new Set<string>()
    for (const file of sources(src)) {
      const text = readFileSync(file, "utf8")
      for (const m of text.matchAll(/Effect\.fn\("([a-z]+\.[A-Za-z0-9]+)"\)/g)) spans.add(m[1]!)
      // Case commands: `export const x = caseCommand("step", ...)`, with an optional span name as the last argument.
      for (const statement of text.split(/\n(?=export const )/)) {
        const m = /^export const \w+ = caseCommand\("([A-Za-z]+)"/.exec(statement)
        if (m === null) continue
        const body = statement.split(/\n\/\*\*|\n\/\/ -{10}/)[0]!.trimEnd()
        spans.add(/, "([a-z]+\.[A-Za-z]+)"\)$/.exec(body)?.[1] ?? `issues.${m[1]}`)
      }
    }
    expect(spans.size).toBeGreaterThan(100)
    // Modules that landed after the catalogue and are not registered yet (a known gap, tracked in
    // the typed-API issue): their commands are typed and validated, but not in the catalogue or
    // docs/reference. Remove a module here when its catalogue.ts lands.
    const notYetCatalogued = new Set(["calendar", "metrics", "notify", "petcredit", "spaces", "fund"])
    const notYetCataloguedCommands = ["issues.rederiveProvisional", "voting.mixSecretBallots"]
    const missing = [...spans].filter((s) => !names.includes(s))
    expect(missing.filter((s) => !notYetCatalogued.has(s.split(".")[0]!)).sort()).toEqual(notYetCataloguedCommands)
    expect(new Set(missing.map((s) => s.split(".")[0]).filter((m) => m !== "issues" && m !== "voting"))).toEqual(notYetCatalogued)
    expect(names.filter((n) => !spans.has(n)).sort()).toEqual([])
  })

  it("every entry's permission is a key of its module's table, its errors have stable codes, its events exist", () => {
    for (const e of commandCatalogue) {
      expect(e.access, e.name).toBeDefined()
      expect(e.name.startsWith(`${e.module}.`), e.name).toBe(true)
      expect(e.title["zh-CN"].length * e.title.en.length * e.description["zh-CN"].length * e.description.en.length, e.name).toBeGreaterThan(0)
      const codes = e.errors.map((c) => errorInfo(c).code)
      expect(codes.every((c) => /^[A-Z][A-Z0-9_]+$/.test(c)), e.name).toBe(true)
      expect(codes, e.name).toContain("FORBIDDEN")
      expect(codes, e.name).toContain("INVALID_INPUT")
      const tags = eventMembers(e.eventSchema)
      for (const t of e.events) expect(tags.has(t), `${e.name}: ${t}`).toBe(true)
      expect(e.kind).toBe(e.events.length > 0 ? "command" : "query")
    }
  })

  it.effect("invoke opens the command's span under the entry's name, and a bad input changes nothing", () =>
    Effect.gen(function* () {
      const names: Array<string> = []
      const base = yield* Effect.tracer
      const recording = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          names.push(name)
          return base.span(name, parent, context, links, startTime, kind, options)
        },
        context: base.context
      })
      const system = new SystemActor({ communityId: C, process: "catalogue-test" })
      for (const entry of commandCatalogue) {
        names.length = 0
        const exit = yield* Effect.exit(Effect.withTracer(invoke(entry, system, { communityId: C, unexpected: 1 }), recording))
        expect(exit._tag, entry.name).toBe("Failure")
        if (exit._tag === "Failure" && exit.cause._tag === "Fail") {
          expect((exit.cause.error as { readonly _tag: string })._tag, entry.name).toMatch(/^(InvalidInput|Forbidden)$/)
        }
        // Commands that decode themselves run inside their span; queries decode before calling.
        if (names.length > 0) expect(names[0], entry.name).toBe(entry.name)
      }
    }).pipe(Effect.provide(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [] })))))

  it.effect("dispatches by name: a staff member opens an account and reads its balance through the catalogue", () =>
    Effect.gen(function* () {
      const treasurer: Actor = new StaffActor({ communityId: C, staffId: StaffId.make("s-1"), roles: [Roles.treasurer], departments: [] })
      const open = catalogueEntry("ledger.openAccount")!
      const account = yield* invoke(open, treasurer, { communityId: C, accountId: "fund", unit: "fen", kind: "community-fund" })
      expect(account).toMatchObject({ id: "fund", balance: 0 })
      const read = catalogueEntry("ledger.getAccount")!
      expect(yield* invoke(read, treasurer, { communityId: C, accountId: "fund" })).toEqual(account)
      const refused = yield* Effect.flip(invoke(read, new ResidentActor({ communityId: C, residentId: ResidentId.make("r-1") }), { communityId: C, accountId: "fund" }))
      expect(refused).toMatchObject({ _tag: "Forbidden" })
      const bad = yield* Effect.flip(invoke(read, treasurer, { communityId: C, accountId: "" }))
      expect(bad).toMatchObject({ _tag: "InvalidInput", command: "ledger.getAccount" })
    }).pipe(Effect.provide(Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [] })))))
})
