/**
 * Pet credit's store on PostgreSQL (tables in migration 0012): the entity
 * tables derived from their declarations, and the complaint count as one
 * `GROUP BY`.
 *
 * Concurrency: every command updates the dog it scores with a versioned
 * `UPDATE` (`Conflict` for the loser), and a score entry's key is
 * `(community_id, dog_id, seq)`, so two concurrent commands on one dog
 * never both append an entry.
 *
 * @since 0.2.0
 */
import { PgClient } from "@effect/sql-pg"
import { PetCredit } from "@gongzhi/core"
import { Context, Effect } from "effect"
import { pgEntityTable } from "./entity.js"
import type { PgModuleStoreFactory } from "./modules.js"
import { mapSqlError } from "./sql.js"

/**
 * The PostgreSQL adapter's `PetCreditStore`.
 *
 * @since 0.2.0
 * @category stores
 */
export const makePetCreditStore: PgModuleStoreFactory<PetCredit.PetCreditStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  return Context.make(
    PetCredit.PetCreditStore,
    PetCredit.PetCreditStore.of({
      dogs: pgEntityTable(sql, PetCredit.DogEntity),
      reports: pgEntityTable(sql, PetCredit.ReportEntity),
      entries: pgEntityTable(sql, PetCredit.ScoreEntryEntity),
      schemeChoices: pgEntityTable(sql, PetCredit.SchemeChoiceEntity),
      complaintsByMonth: (communityId, fromMonth, toMonth) =>
        sql<{ month: string; kind: string; count: string | number }>`
          SELECT month, kind, count(*) AS count FROM gz_petcredit_reports
          WHERE community_id = ${communityId} AND month >= ${fromMonth} AND month <= ${toMonth} AND status <> 'duplicate'
          GROUP BY month, kind
          ORDER BY month COLLATE "C", kind COLLATE "C"`.pipe(
          mapSqlError("PetCreditStore.complaintsByMonth"),
          Effect.map((rows) => rows.map((r) => ({ month: r.month, kind: r.kind, count: Number(r.count) })))
        )
    })
  )
})
