/**
 * Conformance cases derived from an entity's declaration: what every
 * adapter's `EntityTable` must do (round trip, key and unique constraints,
 * versioned updates, listing order and filters, tenant isolation, rollback).
 * A module's suite calls {@link entityCases} once per stored entity.
 *
 * @since 0.2.0
 */
import {
  type CommunityId,
  compareByOrdering,
  type EntityTable,
  type FieldOf,
  matchesFilter,
  Transaction
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { freshCommunityId, type SuiteIt } from "./shared.js"

/**
 * How to exercise one entity.
 *
 * @since 0.2.0
 * @category conformance
 */
export interface EntityCasesOptions<A extends { readonly communityId: CommunityId }, K extends FieldOf<A>, R> {
  /** The adapter's table of the entity (usually a field of the module's store). */
  readonly table: Effect.Effect<EntityTable<A, K>, never, R>
  /** The `i`-th distinct record of a community (distinct keys and unique values for distinct `i`). */
  readonly sample: (communityId: CommunityId, i: number) => A
  /** A changed copy of a record with the same key (and the next version, if the entity has one). */
  readonly change: (record: A) => A
  /** Prepares a community before records are inserted (foreign keys). */
  readonly prepare?: (communityId: CommunityId) => Effect.Effect<void, unknown, R>
}

/**
 * Registers the derived cases of one entity.
 *
 * @since 0.2.0
 * @category conformance
 */
export const entityCases = <A extends { readonly communityId: CommunityId }, K extends FieldOf<A>, R>(
  it: SuiteIt<R>,
  options: EntityCasesOptions<A, K, R>
): void => {
  const setup = (n: number) =>
    Effect.gen(function* () {
      const t = yield* options.table
      const c = freshCommunityId()
      if (options.prepare) yield* options.prepare(c)
      const records = Array.from({ length: n }, (_, i) => options.sample(c, i))
      return { t, c, records }
    })
  const keyOf = (t: EntityTable<A, K>, a: A) =>
    Object.fromEntries((t.entity.key as ReadonlyArray<string>).map((f) => [f, (a as Record<string, unknown>)[f]])) as never

  // The table's name is only known once the effect runs: the cases are named by what they check.
  describe("entity", () => {
    it.effect("insert then get returns the record as given; a taken key is AlreadyExists", () =>
      Effect.gen(function* () {
        const { t, records } = yield* setup(2)
        for (const r of records) yield* t.insert(r)
        for (const r of records) expect(Option.getOrThrow(yield* t.get(keyOf(t, r)))).toEqual(r)
        const again = yield* Effect.exit(t.insert(records[0]!))
        expect(Exit.isFailure(again) && JSON.stringify(again.cause).includes("AlreadyExists")).toBe(true)
      })
    )

    it.effect("every unique constraint refuses a second record with the same values", () =>
      Effect.gen(function* () {
        const { t, records } = yield* setup(2)
        yield* t.insert(records[0]!)
        for (const u of t.entity.unique ?? []) {
          const same = Object.fromEntries(u.fields.map((f) => [f, (records[0] as Record<string, unknown>)[f]]))
          if (Object.values(same).some((v) => v === undefined)) continue
          const clash = { ...(records[1] as object), ...same } as A
          Object.setPrototypeOf(clash, Object.getPrototypeOf(records[1]))
          const exit = yield* Effect.exit(t.insert(clash))
          expect(Exit.isFailure(exit) && JSON.stringify(exit.cause).includes("AlreadyExists")).toBe(true)
          expect(Option.getOrThrow(yield* t.findUnique(u.name, same as never))).toEqual(records[0])
        }
      })
    )

    it.effect("update replaces by key; a stale version is Conflict, a missing record NotFound", () =>
      Effect.gen(function* () {
        const { t, records } = yield* setup(2)
        yield* t.insert(records[0]!)
        const changed = options.change(records[0]!)
        yield* t.update(changed)
        expect(Option.getOrThrow(yield* t.get(keyOf(t, changed)))).toEqual(changed)
        if (t.entity.version !== undefined) {
          const stale = yield* Effect.exit(t.update(changed))
          expect(Exit.isFailure(stale) && JSON.stringify(stale.cause).includes("Conflict")).toBe(true)
        }
        const missing = yield* Effect.exit(t.update(options.change(records[1]!)))
        expect(Exit.isFailure(missing) && JSON.stringify(missing.cause).includes("NotFound")).toBe(true)
      })
    )

    it.effect("list orders by the declared ordering, filters by fields, limits, and never crosses communities", () =>
      Effect.gen(function* () {
        const { t, c, records } = yield* setup(7)
        const other = yield* setup(2)
        for (const r of [...records].reverse()) yield* t.insert(r)
        for (const r of other.records) yield* t.insert(r)
        const expected = [...records].sort(compareByOrdering(t.entity))
        expect(yield* t.list({ communityId: c } as never)).toEqual(expected)
        expect(yield* t.list({ communityId: c } as never, { limit: 3 })).toEqual(expected.slice(0, 3))
        // Filter by each non-key scalar field's value of the first record.
        for (const f of t.entity.fields) {
          if (f.kind === "json" || f.field === "communityId") continue
          const v = (records[0] as Record<string, unknown>)[f.field]
          if (v === undefined) continue
          const filter = { communityId: c, [f.field]: v } as never
          expect(yield* t.list(filter)).toEqual(expected.filter((r) => matchesFilter(r, filter)))
        }
      })
    )

    it.effect("writes inside a failed transaction are undone", () =>
      Effect.gen(function* () {
        const { t, records } = yield* setup(1)
        const tx = yield* Transaction
        const exit = yield* Effect.exit(tx.run(Effect.zipRight(t.insert(records[0]!), Effect.fail("boom" as const))))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(Option.isNone(yield* t.get(keyOf(t, records[0]!)))).toBe(true)
      })
    )
  })
}
