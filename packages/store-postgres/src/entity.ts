/**
 * The PostgreSQL adapter's {@link EntityTable}: every entity's common
 * operations derived from its declaration (one column per encoded field, see
 * `@gongzhi/core`'s `defineEntity`). The migration creating the table is
 * hand-written; `checkEntityTable` compares it with the declaration.
 *
 * @since 0.2.0
 */
import type { SqlClient } from "@effect/sql"

type Primitive = string | number | boolean | null
import {
  AlreadyExists,
  type CommunityId,
  Conflict,
  decodeEntityRow,
  encodeEntityRow,
  type Entity,
  type EntityTable,
  type FieldOf,
  NotFound
} from "@gongzhi/core"
import { Effect, Option } from "effect"
import { findPgError, isSqlError, SqlState } from "./pg-errors.js"
import { inTransaction, mapSqlError } from "./sql.js"

/**
 * Builds an entity's table on an SqlClient. Unique violations of the key or
 * of a declared unique constraint become `AlreadyExists` (on insert) or
 * `Conflict` (on update); a versioned update that finds another version is
 * `Conflict`, a missing record `NotFound`.
 *
 * @since 0.2.0
 * @category stores
 */
export const pgEntityTable = <A extends { readonly communityId: CommunityId }, K extends FieldOf<A>>(
  sql: SqlClient.SqlClient,
  entity: Entity<A, K>
): EntityTable<A, K> => {
  const encode = encodeEntityRow(entity)
  const decode = decodeEntityRow(entity)
  const column = new Map(entity.fields.map((f) => [f.field, f]))
  const col = (field: string) => column.get(field)!.column
  const keyFields = entity.key as ReadonlyArray<string>
  const versionField = entity.version
  const table = sql(entity.table)
  const order = sql.unsafe(
    entity.ordering
      .map((f) => {
        const c = column.get(f)!
        return `"${c.column}"${c.kind === "text" ? ` COLLATE "C"` : ""} ASC NULLS FIRST`
      })
      .join(", ")
  )
  const ownConstraints = new Set([`${entity.table}_pkey`, ...(entity.unique ?? []).map((u) => u.name)])
  const isOwnUniqueViolation = (e: unknown) => {
    if (!isSqlError(e)) return false
    const pg = findPgError(e)
    return pg?.code === SqlState.uniqueViolation && pg.constraint !== undefined && ownConstraints.has(pg.constraint)
  }
  const where = (values: Readonly<Record<string, unknown>>, fields: ReadonlyArray<string>) =>
    sql.and(fields.map((f) => sql`${sql(col(f))} = ${values[f] as Primitive}`))
  const idOf = (record: Readonly<Record<string, unknown>>) => keyFields.slice(1).map((f) => String(record[f])).join("/")
  const lockClause = (lock: "update" | "share" | undefined) =>
    lock === undefined
      ? Effect.succeed(sql``)
      : Effect.map(inTransaction, (inside) => (inside ? (lock === "update" ? sql`FOR UPDATE` : sql`FOR SHARE`) : sql``))

  return {
    entity,
    insert: (record) =>
      sql`INSERT INTO ${table} ${sql.insert(encode(record))}`.pipe(
        Effect.catchIf(isOwnUniqueViolation, (e) =>
          Effect.fail(
            new AlreadyExists({
              entity: entity.name,
              id: findPgError(e)?.constraint === `${entity.table}_pkey` ? idOf(record as never) : findPgError(e)!.constraint!
            })
          )
        ),
        mapSqlError(`${entity.name}.insert`),
        Effect.asVoid
      ),
    get: (key, options) =>
      Effect.flatMap(lockClause(options?.lock), (lock) =>
        sql`SELECT * FROM ${table} WHERE ${where(key as never, keyFields)} ${lock}`.pipe(
          mapSqlError(`${entity.name}.get`),
          Effect.map((rows) => (rows.length === 0 ? Option.none() : Option.some(decode(rows[0]!))))
        )
      ),
    findUnique: (name, values) => {
      const u = (entity.unique ?? []).find((x) => x.name === name)
      if (u === undefined) return Effect.succeed(Option.none())
      if (u.fields.some((f) => (values as Record<string, unknown>)[f] === undefined)) return Effect.succeed(Option.none())
      return sql`SELECT * FROM ${table} WHERE ${where(values as never, u.fields)} LIMIT 1`.pipe(
        mapSqlError(`${entity.name}.findUnique`),
        Effect.map((rows) => (rows.length === 0 ? Option.none() : Option.some(decode(rows[0]!))))
      )
    },
    update: (record) => {
      const row = encode(record)
      const keyColumns = new Set(keyFields.map(col))
      const set = Object.fromEntries(Object.entries(row).filter(([c]) => !keyColumns.has(c)))
      const rec = record as unknown as Record<string, unknown>
      const versionCheck =
        versionField === undefined ? sql`` : sql`AND ${sql(col(versionField))} = ${(rec[versionField] as number) - 1}`
      return sql`UPDATE ${table} SET ${sql.update(set)} WHERE ${where(rec, keyFields)} ${versionCheck} RETURNING 1 AS updated`.pipe(
        Effect.catchIf(isOwnUniqueViolation, (e) =>
          Effect.fail(new Conflict({ entity: entity.name, id: idOf(rec), detail: `duplicate (${findPgError(e)!.constraint})` }))
        ),
        mapSqlError(`${entity.name}.update`),
        Effect.flatMap((rows) => {
          if (rows.length > 0) return Effect.void
          if (versionField === undefined) return Effect.fail(new NotFound({ entity: entity.name, id: idOf(rec) }))
          // Missing, or another version: tell them apart.
          return sql`SELECT ${sql(col(versionField))} AS v FROM ${table} WHERE ${where(rec, keyFields)}`.pipe(
            mapSqlError(`${entity.name}.update`),
            Effect.flatMap((found): Effect.Effect<never, NotFound | Conflict> =>
              found.length === 0
                ? Effect.fail(new NotFound({ entity: entity.name, id: idOf(rec) }))
                : Effect.fail(
                    new Conflict({
                      entity: entity.name,
                      id: idOf(rec),
                      detail: `stored version ${Number(found[0]!.v)}, update expects ${(rec[versionField] as number) - 1}`
                    })
                  )
            )
          )
        })
      )
    },
    list: (filter, options) => {
      const given = Object.entries(filter as Record<string, unknown>).filter(([, v]) => v !== undefined)
      const conditions = given.map(([f, v]) => {
        const c = column.get(f)
        if (c === undefined) return sql`false`
        return c.kind === "json" ? sql`${sql(c.column)} = ${JSON.stringify(v)}::jsonb` : sql`${sql(c.column)} = ${v as Primitive}`
      })
      const limit = options?.limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, options.limit)}`
      return sql`SELECT * FROM ${table} WHERE ${sql.and(conditions)} ORDER BY ${order} ${limit}`.pipe(
        mapSqlError(`${entity.name}.list`),
        Effect.map((rows) => rows.map(decode))
      )
    }
  }
}

/**
 * Compares a live table with its entity's declaration: every declared column
 * exists with a fitting type and nullability. Returns the problems found
 * (empty when the table fits); used by the adapter's tests for every entity.
 *
 * @since 0.2.0
 * @category stores
 */
export const checkEntityTable = (sql: SqlClient.SqlClient, entity: Entity<any, any>) =>
  sql<{ column_name: string; data_type: string; is_nullable: string }>`
    SELECT column_name, data_type, is_nullable FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${entity.table}`.pipe(
    Effect.map((rows) => {
      const byName = new Map(rows.map((r) => [r.column_name, r]))
      const problems: Array<string> = []
      const fits = { text: ["text", "character varying"], number: ["bigint", "integer", "smallint", "numeric"], boolean: ["boolean"], json: ["jsonb", "json"] }
      for (const f of entity.fields) {
        const c = byName.get(f.column)
        if (c === undefined) {
          problems.push(`${entity.table}.${f.column}: missing`)
          continue
        }
        if (!fits[f.kind].includes(c.data_type)) problems.push(`${entity.table}.${f.column}: ${c.data_type}, expected ${f.kind}`)
        if (f.optional && c.is_nullable !== "YES") problems.push(`${entity.table}.${f.column}: NOT NULL but the field is optional`)
        if (!f.optional && c.is_nullable === "YES") problems.push(`${entity.table}.${f.column}: nullable but the field is required`)
      }
      return problems
    })
  )
