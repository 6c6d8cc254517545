/**
 * The in-memory database's prefix index answers `values(table, prefix)`
 * exactly as a scan of the table would, in the same order, through any
 * sequence of writes, deletes and rollbacks.
 */
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { MemoryDatabase } from "../src/database.js"

const key = (parts: ReadonlyArray<string>) => parts.join("\u0000")
const part = fc.constantFrom("a", "b", "c", "ab", "")
const keyParts = fc.array(part, { minLength: 1, maxLength: 4 })

type Op =
  | { readonly op: "set"; readonly table: string; readonly key: ReadonlyArray<string>; readonly value: number }
  | { readonly op: "delete"; readonly table: string; readonly key: ReadonlyArray<string> }
  | { readonly op: "begin" }
  | { readonly op: "rollback" }
  | { readonly op: "commit" }

const table = fc.constantFrom("t1", "t2")
const ops = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant("set" as const), table, key: keyParts, value: fc.integer() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), table, key: keyParts }) },
    { weight: 1, arbitrary: fc.constant({ op: "begin" as const }) },
    { weight: 1, arbitrary: fc.constant({ op: "rollback" as const }) },
    { weight: 1, arbitrary: fc.constant({ op: "commit" as const }) }
  ),
  { maxLength: 80 }
)

/** What `values` must return: a scan of the whole table, in its order. */
const scan = (db: MemoryDatabase, t: string, prefix: string) =>
  db.keys(t).filter((k) => k.startsWith(prefix)).map((k) => db.get<number>(t, k))

describe("MemoryDatabase prefix index", () => {
  it("values(table, prefix) equals a scan of the table, in order, after any writes, deletes and rollbacks", () => {
    fc.assert(
      fc.property(ops, fc.array(fc.array(part, { maxLength: 3 }), { minLength: 1, maxLength: 6 }), (script, prefixes) => {
        const db = new MemoryDatabase()
        const marks: Array<number> = []
        for (const o of script) {
          if (o.op === "set") db.set(o.table, key(o.key), o.value)
          else if (o.op === "delete") db.delete(o.table, key(o.key))
          else if (o.op === "begin") marks.push(db.mark())
          else if (o.op === "rollback") {
            const m = marks.pop()
            if (m !== undefined) db.rollbackTo(m)
          } else {
            const m = marks.pop()
            if (m !== undefined) db.release(m)
          }
        }
        for (const t of ["t1", "t2", "absent"]) {
          expect(db.values(t)).toEqual(scan(db, t, ""))
          for (const p of prefixes) {
            const prefix = p.map((x) => `${x}\u0000`).join("")
            expect(db.values(t, prefix)).toEqual(scan(db, t, prefix))
            // a prefix that does not end at a separator is scanned, with the same answer
            const partial = prefix + "a"
            expect(db.values(t, partial)).toEqual(scan(db, t, partial))
          }
        }
      }),
      { numRuns: 500 }
    )
  })

  it("a rollback restores what a prefix lists", () => {
    const db = new MemoryDatabase()
    db.set("t", key(["c1", "x"]), 1)
    const mark = db.mark()
    db.set("t", key(["c1", "y"]), 2)
    db.delete("t", key(["c1", "x"]))
    db.set("t", key(["c2", "x"]), 3)
    expect(db.values("t", key(["c1", ""]))).toEqual([2])
    db.rollbackTo(mark)
    expect(db.values("t", key(["c1", ""]))).toEqual([1])
    expect(db.values("t", key(["c2", ""]))).toEqual([])
  })
})
