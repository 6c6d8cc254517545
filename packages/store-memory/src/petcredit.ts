/**
 * Pet credit's store in memory: the entity tables derived from their
 * declarations, and the complaint count.
 *
 * @since 0.2.0
 */
import { PetCredit } from "@gongzhi/core"
import { Context, Effect } from "effect"
import { memoryEntityTable } from "./entity.js"
import type { ModuleStoreFactory } from "./modules.js"

/**
 * The memory adapter's `PetCreditStore`.
 *
 * @since 0.2.0
 * @category stores
 */
export const makePetCreditStore: ModuleStoreFactory<PetCredit.PetCreditStore> = (db, run) => {
  const reports = memoryEntityTable(db, run, PetCredit.ReportEntity)
  return Context.make(
    PetCredit.PetCreditStore,
    PetCredit.PetCreditStore.of({
      dogs: memoryEntityTable(db, run, PetCredit.DogEntity),
      reports,
      entries: memoryEntityTable(db, run, PetCredit.ScoreEntryEntity),
      schemeChoices: memoryEntityTable(db, run, PetCredit.SchemeChoiceEntity),
      complaintsByMonth: (communityId, fromMonth, toMonth) =>
        Effect.map(reports.list({ communityId }), (rs) =>
          PetCredit.countByMonthAndKind(rs.filter((r) => r.status !== "duplicate" && r.month >= fromMonth && r.month <= toMonth))
        )
    })
  )
}
