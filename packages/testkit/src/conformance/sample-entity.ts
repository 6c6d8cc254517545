/**
 * A sample entity that exercises every kind of column (text, number,
 * boolean, json, optional fields, a literal union, a version, a unique
 * constraint, a listing order), for adapters to prove their derived
 * `EntityTable` before any module uses it.
 *
 * @since 0.2.0
 */
import { type CommunityId, CommunityId as CommunityIdSchema, defineEntity } from "@gongzhi/core"
import { Schema } from "effect"

/**
 * The sample record.
 *
 * @since 0.2.0
 * @category conformance
 */
export class SampleRecord extends Schema.Class<SampleRecord>("SampleRecord")({
  communityId: CommunityIdSchema,
  id: Schema.String,
  title: Schema.String,
  status: Schema.Literal("open", "closed"),
  amount: Schema.Int,
  active: Schema.Boolean,
  tags: Schema.Array(Schema.String),
  detail: Schema.optional(Schema.Struct({ note: Schema.String, at: Schema.Int })),
  externalRef: Schema.optional(Schema.String),
  createdAt: Schema.Int,
  version: Schema.Int
}) {}

/**
 * The sample entity, stored in `gz_sample_records` (see {@link sampleEntityDdl}).
 *
 * @since 0.2.0
 * @category conformance
 */
export const SampleEntity = defineEntity({
  name: "SampleRecord",
  table: "gz_sample_records",
  schema: SampleRecord,
  key: ["communityId", "id"],
  unique: [{ name: "gz_sample_records_external_ref", fields: ["communityId", "externalRef"] }],
  version: "version",
  order: ["createdAt"]
})

/**
 * The PostgreSQL DDL of the sample entity's table (adapter tests create it).
 *
 * @since 0.2.0
 * @category conformance
 */
export const sampleEntityDdl = `
CREATE TABLE IF NOT EXISTS gz_sample_records (
  community_id text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  title        text NOT NULL,
  status       text NOT NULL,
  amount       bigint NOT NULL,
  active       boolean NOT NULL,
  tags         jsonb NOT NULL,
  detail       jsonb,
  external_ref text COLLATE "C",
  created_at   bigint NOT NULL,
  version      bigint NOT NULL,
  PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS gz_sample_records_external_ref
  ON gz_sample_records (community_id, external_ref) WHERE external_ref IS NOT NULL;
`

/**
 * The `i`-th sample record of a community.
 *
 * @since 0.2.0
 * @category conformance
 */
export const sampleRecord = (communityId: CommunityId, i: number): SampleRecord =>
  new SampleRecord({
    communityId: CommunityIdSchema.make(communityId),
    id: `rec-${String(i).padStart(3, "0")}`,
    title: i % 2 === 0 ? `标题 ${i}` : `title ${i}`,
    status: i % 3 === 0 ? "closed" : "open",
    amount: i * 1000 - 2500,
    active: i % 2 === 1,
    tags: i % 2 === 0 ? ["a", "花园"] : [],
    ...(i % 2 === 0 ? { detail: { note: `note ${i}`, at: 1_700_000_000_000 + i } } : {}),
    ...(i % 3 !== 2 ? { externalRef: `ext-${i}` } : {}),
    // Deliberately not in id order, with a tie, so the order is really by createdAt then id.
    createdAt: 1_700_000_000_000 + ((i * 7) % 5) * 1000,
    version: 1
  })

/**
 * A changed copy with the next version.
 *
 * @since 0.2.0
 * @category conformance
 */
export const changeSampleRecord = (r: SampleRecord): SampleRecord =>
  new SampleRecord({ ...r, title: `${r.title} (changed)`, status: "closed", detail: { note: "changed", at: 1 }, version: r.version + 1 })
