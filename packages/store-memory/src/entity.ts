/**
 * The memory adapter's {@link EntityTable}: every entity's common operations
 * derived from its declaration.
 *
 * @since 0.2.0
 */
import {
  AlreadyExists,
  compareByOrdering,
  Conflict,
  type Entity,
  type EntityTable,
  type FieldOf,
  matchesFilter,
  NotFound
} from "@gongzhi/core"
import type { CommunityId } from "@gongzhi/core"
import { Effect, Option } from "effect"
import type { MemoryDatabase } from "./database.js"
import type { MemoryRunner } from "./modules.js"

const SEP = "\u0000"

/**
 * Builds an entity's table over the memory database: records keyed by their
 * primary key (community first), one index table per unique constraint.
 * Records are stored as given and never mutated, so a rollback restores them.
 *
 * @since 0.2.0
 * @category stores
 */
export const memoryEntityTable = <A extends { readonly communityId: CommunityId }, K extends FieldOf<A>>(
  db: MemoryDatabase,
  run: MemoryRunner,
  entity: Entity<A, K>
): EntityTable<A, K> => {
  const table = entity.table
  const uniqueTable = (name: string) => `${table}${SEP}${name}`
  const uniqueKey = (fields: ReadonlyArray<string>, record: Partial<A>): string | undefined => {
    const parts: Array<string> = []
    for (const f of fields) {
      const v = (record as Record<string, unknown>)[f]
      if (v === undefined || v === null) return undefined
      parts.push(String(v))
    }
    return parts.join(SEP)
  }
  const key = (record: Partial<A>) => entity.keyOf(record as never)
  const compare = compareByOrdering(entity)
  const keyFields = entity.key as ReadonlyArray<string>
  const version = entity.version

  return {
    entity,
    insert: (record) =>
      run(
        Effect.suspend(() => {
          const k = key(record)
          if (db.has(table, k)) return Effect.fail(new AlreadyExists({ entity: entity.name, id: k.split(SEP).slice(1).join("/") }))
          for (const u of entity.unique ?? []) {
            const uk = uniqueKey(u.fields, record)
            if (uk !== undefined && db.has(uniqueTable(u.name), uk)) {
              return Effect.fail(new AlreadyExists({ entity: entity.name, id: `${u.name}` }))
            }
          }
          db.set(table, k, record)
          for (const u of entity.unique ?? []) {
            const uk = uniqueKey(u.fields, record)
            if (uk !== undefined) db.set(uniqueTable(u.name), uk, k)
          }
          return Effect.void
        })
      ),
    get: (k) => run(Effect.sync(() => Option.fromNullable(db.get<A>(table, key(k as Partial<A>))))),
    findUnique: (name, values) =>
      run(
        Effect.sync(() => {
          const u = (entity.unique ?? []).find((x) => x.name === name)
          if (u === undefined) return Option.none()
          const uk = uniqueKey(u.fields, values)
          const k = uk === undefined ? undefined : db.get<string>(uniqueTable(name), uk)
          return Option.fromNullable(k === undefined ? undefined : db.get<A>(table, k))
        })
      ),
    update: (record) =>
      run(
        Effect.suspend((): Effect.Effect<void, NotFound | Conflict> => {
          const k = key(record)
          const stored = db.get<A>(table, k)
          if (stored === undefined) return Effect.fail(new NotFound({ entity: entity.name, id: k.split(SEP).slice(1).join("/") }))
          if (version !== undefined) {
            const was = stored[version] as unknown as number
            const now = record[version] as unknown as number
            if (was !== now - 1) {
              return Effect.fail(
                new Conflict({
                  entity: entity.name,
                  id: k.split(SEP).slice(1).join("/"),
                  detail: `stored version ${was}, update expects ${now - 1}`
                })
              )
            }
          }
          for (const u of entity.unique ?? []) {
            const before = uniqueKey(u.fields, stored)
            const after = uniqueKey(u.fields, record)
            if (before === after) continue
            if (after !== undefined && db.has(uniqueTable(u.name), after)) {
              return Effect.fail(new Conflict({ entity: entity.name, id: k.split(SEP).slice(1).join("/"), detail: `duplicate (${u.name})` }))
            }
          }
          for (const u of entity.unique ?? []) {
            const before = uniqueKey(u.fields, stored)
            const after = uniqueKey(u.fields, record)
            if (before === after) continue
            if (before !== undefined) db.delete(uniqueTable(u.name), before)
            if (after !== undefined) db.set(uniqueTable(u.name), after, k)
          }
          db.set(table, k, record)
          return Effect.void
        })
      ),
    list: (filter, options) =>
      run(
        Effect.sync(() => {
          // The longest run of key fields the filter fixes is answered from the prefix index.
          const parts: Array<string> = []
          for (const f of keyFields) {
            const v = (filter as Record<string, unknown>)[f]
            if (v === undefined) break
            parts.push(String(v))
          }
          const candidates =
            parts.length === keyFields.length
              ? [db.get<A>(table, parts.join(SEP))].filter((r): r is A => r !== undefined)
              : db.values<A>(table, parts.join(SEP) + SEP)
          const rows = candidates
            .filter((r) => matchesFilter(r, filter as Partial<A>))
            .sort(compare)
          return options?.limit === undefined ? rows : rows.slice(0, Math.max(0, options.limit))
        })
      )
  }
}
