/**
 * One declaration per stored entity. An {@link Entity} names a record's
 * schema, its table, its key (community first), its unique constraints, its
 * optimistic-concurrency field and its listing order; every storage adapter
 * derives the entity's common operations ({@link EntityTable}: insert, get,
 * get for update/share, update by key, list by fields) from it, and the
 * conformance suite derives their cases. Custom queries (aggregates, claims
 * with SKIP LOCKED, due scans) stay hand-written beside them.
 *
 * How a record is stored on PostgreSQL: one column per field of the schema's
 * encoded form, named in snake_case (`householdId` -> `household_id`, or as
 * `columns` says); strings and string literals are `text COLLATE "C"`,
 * numbers `bigint` (integer units only), booleans `boolean`, anything else
 * (structs, arrays, unions of structs) `jsonb`; optional fields are nullable
 * (`NULL` means absent). The migration that creates the table is written by
 * hand and checked against the declaration by `entityColumns`.
 *
 * `@effect/sql`'s `Model.makeRepository` covers a single-column id; our keys
 * are composite and start with `community_id` (DESIGN.md §4), so this is a
 * thin layer of our own over `effect/Schema`.
 *
 * @since 0.2.0
 */
import { type Effect, type Option, Schema, SchemaAST } from "effect"
import type { AlreadyExists, Conflict, NotFound, StoreUnavailable } from "./errors.js"
import type { CommunityId } from "./ids.js"

/**
 * The fields of a record type that can be named in a declaration.
 *
 * @since 0.2.0
 * @category entities
 */
export type FieldOf<A> = Extract<keyof A, string>

/**
 * How a field is stored in a column.
 *
 * @since 0.2.0
 * @category entities
 */
export type ColumnKind = "text" | "number" | "boolean" | "json"

/**
 * One column of an entity's table, derived from its schema.
 *
 * @since 0.2.0
 * @category entities
 */
export interface EntityColumn {
  /** The record's field. */
  readonly field: string
  /** The PostgreSQL column. */
  readonly column: string
  readonly kind: ColumnKind
  /** Whether the field is optional (the column is nullable). */
  readonly optional: boolean
}

/**
 * A unique constraint besides the key. Records whose constrained fields are
 * not all present are not constrained (PostgreSQL: a partial unique index
 * `WHERE <field> IS NOT NULL`).
 *
 * @since 0.2.0
 * @category entities
 */
export interface EntityUnique<A> {
  /** The PostgreSQL constraint or unique index name. */
  readonly name: string
  readonly fields: ReadonlyArray<FieldOf<A>>
}

/**
 * What {@link defineEntity} takes.
 *
 * @since 0.2.0
 * @category entities
 */
export interface EntityDeclaration<A extends { readonly communityId: CommunityId }, I, K extends FieldOf<A>> {
  /** The entity's name in errors (`NotFound`, `AlreadyExists`, `Conflict`). */
  readonly name: string
  /** The PostgreSQL table. */
  readonly table: string
  /** The stored record's schema (a `Schema.Class` or `Schema.Struct`). */
  readonly schema: Schema.Schema<A, I, never>
  /** The primary key's fields, `communityId` first. */
  readonly key: readonly ["communityId", ...ReadonlyArray<K>]
  readonly unique?: ReadonlyArray<EntityUnique<A>>
  /** A field counting versions: an update succeeds only when the stored record's is exactly one less. */
  readonly version?: FieldOf<A>
  /** Listing order (ascending) before the key; default: the key alone. */
  readonly order?: ReadonlyArray<FieldOf<A>>
  /** Column names that are not the snake_case of their field. */
  readonly columns?: Partial<Record<FieldOf<A>, string>>
}

/**
 * A declared entity: the declaration plus its derived columns.
 *
 * @since 0.2.0
 * @category entities
 */
export interface Entity<A extends { readonly communityId: CommunityId }, K extends FieldOf<A> = FieldOf<A>>
  extends EntityDeclaration<A, any, K> {
  /** Every column, in the schema's field order. */
  readonly fields: ReadonlyArray<EntityColumn>
  /** The listing order: `order`, then the key's fields not already in it. */
  readonly ordering: ReadonlyArray<FieldOf<A>>
  /** The key of a record as one string (for maps and memory tables). */
  readonly keyOf: (key: Pick<A, K | "communityId">) => string
}

/**
 * The primary key of an entity's record: `communityId` and the key fields.
 *
 * @since 0.2.0
 * @category entities
 */
export type EntityKey<A extends { readonly communityId: CommunityId }, K extends FieldOf<A>> = Pick<A, K | "communityId">

/**
 * An equality filter for {@link EntityTable.list}: `communityId` and any
 * other fields that must match.
 *
 * @since 0.2.0
 * @category entities
 */
export type EntityFilter<A extends { readonly communityId: CommunityId }> = Partial<A> & { readonly communityId: CommunityId }

/**
 * The common operations of one entity, derived by every storage adapter from
 * its {@link Entity}. Every method joins the caller's transaction.
 *
 * Semantics an adapter keeps (the conformance suite's `entityCases` check them):
 * - `insert` fails with `AlreadyExists` when the key, or one of the unique
 *   constraints, is taken;
 * - `get` with `lock` takes a row lock inside a transaction (PostgreSQL
 *   `FOR UPDATE` / `FOR SHARE`; the memory store serialises transactions,
 *   so it needs none);
 * - `update` replaces the record with the same key: `NotFound` when there is
 *   none, `Conflict` when the entity has a `version` field and the stored
 *   version is not exactly one less than the new one;
 * - `list` returns the records of one community matching every given field,
 *   in the entity's `ordering` (strings compared by code unit, as `COLLATE "C"`),
 *   at most `limit`.
 *
 * @since 0.2.0
 * @category entities
 */
export interface EntityTable<A extends { readonly communityId: CommunityId }, K extends FieldOf<A>> {
  readonly entity: Entity<A, K>
  readonly insert: (record: A) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
  readonly get: (
    key: EntityKey<A, K>,
    options?: { readonly lock?: "update" | "share" }
  ) => Effect.Effect<Option.Option<A>, StoreUnavailable>
  /** The record holding `values` under the named unique constraint. */
  readonly findUnique: (name: string, values: Partial<A> & { readonly communityId: CommunityId }) => Effect.Effect<Option.Option<A>, StoreUnavailable>
  readonly update: (record: A) => Effect.Effect<void, NotFound | Conflict | StoreUnavailable>
  readonly list: (
    filter: EntityFilter<A>,
    options?: { readonly limit?: number }
  ) => Effect.Effect<ReadonlyArray<A>, StoreUnavailable>
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

const kindOf = (ast: SchemaAST.AST): ColumnKind => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return "text"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "Literal":
      return typeof ast.literal === "string"
        ? "text"
        : typeof ast.literal === "number"
          ? "number"
          : typeof ast.literal === "boolean"
            ? "boolean"
            : "json"
    case "Enums":
      return ast.enums.every(([, v]) => typeof v === "string") ? "text" : "json"
    case "Refinement":
      return kindOf(ast.from)
    case "Transformation":
      return kindOf(ast.to)
    case "Suspend":
      return kindOf(ast.f())
    case "Union": {
      const members = ast.types.filter((t) => t._tag !== "UndefinedKeyword")
      const kinds = new Set(members.map(kindOf))
      return kinds.size === 1 ? [...kinds][0]! : "json"
    }
    default:
      return "json"
  }
}

/**
 * The columns of a schema's encoded form.
 *
 * @since 0.2.0
 * @category entities
 */
export const entityColumns = (
  schema: Schema.Schema.AnyNoContext,
  names: Readonly<Record<string, string | undefined>> = {}
): ReadonlyArray<EntityColumn> => {
  const encoded = SchemaAST.encodedAST(schema.ast)
  const props = SchemaAST.getPropertySignatures(encoded)
  return props.map((p) => {
    const field = String(p.name)
    return { field, column: names[field] ?? snake(field), kind: kindOf(p.type), optional: p.isOptional }
  })
}

/**
 * Declares a stored entity once; adapters and the conformance suite derive
 * the rest.
 *
 * @example
 * export const DogEntity = defineEntity({
 *   name: "PetCreditDog",
 *   table: "gz_petcredit_dogs",
 *   schema: Dog,
 *   key: ["communityId", "id"],
 *   unique: [{ name: "gz_petcredit_dogs_licence", fields: ["communityId", "licenceNo"] }],
 *   version: "version",
 *   order: ["registeredAt"]
 * })
 *
 * @since 0.2.0
 * @category entities
 */
export const defineEntity = <A extends { readonly communityId: CommunityId }, I, K extends FieldOf<A>>(
  declaration: EntityDeclaration<A, I, K>
): Entity<A, K> => {
  const fields = entityColumns(declaration.schema, declaration.columns as Record<string, string | undefined>)
  const known = new Set(fields.map((f) => f.field))
  const named = [
    ...declaration.key,
    ...(declaration.order ?? []),
    ...(declaration.unique ?? []).flatMap((u) => u.fields),
    ...(declaration.version === undefined ? [] : [declaration.version])
  ]
  for (const f of named) {
    if (!known.has(f)) throw new Error(`defineEntity(${declaration.name}): ${f} is not a field of the schema`)
  }
  const order = declaration.order ?? []
  const ordering = [...order, ...(declaration.key as ReadonlyArray<FieldOf<A>>).filter((k) => !order.includes(k))]
  const keyFields = declaration.key as ReadonlyArray<string>
  return {
    ...declaration,
    fields,
    ordering,
    keyOf: (key) => keyFields.map((f) => String((key as Record<string, unknown>)[f])).join("\u0000")
  }
}

/**
 * Compares two records in an entity's listing order (strings by code unit,
 * numbers numerically, absent values first), as both adapters list them.
 *
 * @since 0.2.0
 * @category entities
 */
export const compareByOrdering =
  <A extends { readonly communityId: CommunityId }>(entity: Entity<A, any>) =>
  (a: A, b: A): number => {
    for (const f of entity.ordering) {
      const x = a[f] as unknown
      const y = b[f] as unknown
      if (x === y) continue
      if (x === undefined) return -1
      if (y === undefined) return 1
      return (x as number | string) < (y as number | string) ? -1 : 1
    }
    return 0
  }

/**
 * Encodes a record into its columns (the PostgreSQL row; `undefined` fields
 * become `null`).
 *
 * @since 0.2.0
 * @category entities
 */
export const encodeEntityRow = <A extends { readonly communityId: CommunityId }>(entity: Entity<A, any>) => {
  const encode = Schema.encodeSync(entity.schema)
  return (record: A): Record<string, unknown> => {
    const encoded = encode(record) as Record<string, unknown>
    const row: Record<string, unknown> = {}
    for (const c of entity.fields) {
      const v = encoded[c.field]
      row[c.column] = v === undefined ? null : c.kind === "json" ? JSON.stringify(v) : v
    }
    return row
  }
}

/**
 * Decodes a PostgreSQL row (bigint columns as strings, `null` for absent
 * fields, `jsonb` already parsed by the driver) into the record.
 *
 * @since 0.2.0
 * @category entities
 */
export const decodeEntityRow = <A extends { readonly communityId: CommunityId }>(entity: Entity<A, any>) => {
  const decode = Schema.decodeUnknownSync(entity.schema)
  return (row: Readonly<Record<string, unknown>>): A => {
    const encoded: Record<string, unknown> = {}
    for (const c of entity.fields) {
      const v = row[c.column]
      if (v === null || v === undefined) continue
      encoded[c.field] = c.kind === "number" && typeof v !== "number" ? Number(v) : v
    }
    return decode(encoded)
  }
}

/**
 * Whether a record matches an equality filter.
 *
 * @since 0.2.0
 * @category entities
 */
export const matchesFilter = <A>(record: A, filter: Partial<A>): boolean => {
  for (const key in filter) {
    if (!Object.hasOwn(filter, key)) continue
    const want = filter[key]
    if (want !== undefined && record[key] !== want) return false
  }
  return true
}
