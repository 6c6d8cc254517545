/**
 * Pet credit's repository port. The stored entities are declared once
 * (`defineEntity`); each adapter derives their tables from the
 * declarations. One custom query counts complaints by month and kind.
 *
 * Score entries are append-only: the service only ever inserts them (the
 * PostgreSQL table refuses deletes and any change of an entry's numbers).
 *
 * @since 0.2.0
 */
import { Context, type Effect } from "effect"
import { defineEntity, type EntityTable } from "../kernel/entity.js"
import type { StoreUnavailable } from "../kernel/errors.js"
import type { CommunityId } from "../kernel/ids.js"
import { Dog, Report, SchemeChoice, ScoreEntry } from "./model.js"

/**
 * Registered dogs (`gz_petcredit_dogs`): one licence number per community.
 *
 * @since 0.2.0
 * @category entities
 */
export const DogEntity = defineEntity({
  name: "PetCreditDog",
  table: "gz_petcredit_dogs",
  schema: Dog,
  key: ["communityId", "id"],
  unique: [{ name: "gz_petcredit_dogs_licence", fields: ["communityId", "licenceNo"] }],
  version: "version",
  order: ["registeredAt"]
})

/**
 * Violation reports (`gz_petcredit_reports`).
 *
 * @since 0.2.0
 * @category entities
 */
export const ReportEntity = defineEntity({
  name: "PetCreditReport",
  table: "gz_petcredit_reports",
  schema: Report,
  key: ["communityId", "id"],
  version: "version",
  order: ["reportedAt"]
})

/**
 * Score entries (`gz_petcredit_entries`), keyed by dog and sequence; a
 * `sourceRef` earns one entry, and an entry is reversed at most once.
 *
 * @since 0.2.0
 * @category entities
 */
export const ScoreEntryEntity = defineEntity({
  name: "PetCreditScoreEntry",
  table: "gz_petcredit_entries",
  schema: ScoreEntry,
  key: ["communityId", "dogId", "seq"],
  unique: [
    { name: "gz_petcredit_entries_source", fields: ["communityId", "sourceRef"] },
    // An entry is reversed at most once.
    { name: "gz_petcredit_entries_reversal", fields: ["communityId", "dogId", "reverses"] }
  ]
})

/**
 * The community's scheme choices (`gz_petcredit_scheme_choices`); the
 * latest is in force.
 *
 * @since 0.2.0
 * @category entities
 */
export const SchemeChoiceEntity = defineEntity({
  name: "PetCreditSchemeChoice",
  table: "gz_petcredit_scheme_choices",
  schema: SchemeChoice,
  key: ["communityId", "seq"]
})

/**
 * Pet credit's storage port: the entity tables and the complaint count.
 *
 * Semantics an adapter keeps (the conformance suite checks them):
 * - the tables behave as every `EntityTable` (see `entityCases`);
 * - `complaintsByMonth` counts the community's reports whose `month` is in
 *   `[fromMonth, toMonth]` and whose status is not `duplicate`, grouped by
 *   month and kind, ordered by month then kind.
 *
 * @since 0.2.0
 * @category ports
 */
export class PetCreditStore extends Context.Tag("@gongzhi/core/PetCreditStore")<
  PetCreditStore,
  {
    readonly dogs: EntityTable<Dog, "id">
    readonly reports: EntityTable<Report, "id">
    readonly entries: EntityTable<ScoreEntry, "dogId" | "seq">
    readonly schemeChoices: EntityTable<SchemeChoice, "seq">
    readonly complaintsByMonth: (
      communityId: CommunityId,
      fromMonth: string,
      toMonth: string
    ) => Effect.Effect<ReadonlyArray<{ readonly month: string; readonly kind: string; readonly count: number }>, StoreUnavailable>
  }
>() {}
