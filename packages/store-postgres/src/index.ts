/**
 * `@gongzhi/store-postgres`: every Gongzhi storage port on PostgreSQL via
 * `@effect/sql-pg`, with versioned migrations and invariants as constraints.
 *
 * @since 0.1.0
 */
import { clientLayer, config, layer, layerConfig, layerFromClient } from "./layer.js"

export type { PgPorts, PgStoreConfig } from "./layer.js"
export { JOURNAL_CHANNEL, loadDirectory } from "./kernel.js"
export { migrate, type MigrateReport } from "./migrate.js"
export { type Migration, migrations } from "./migrations/index.js"
export { type PgModuleStoreFactory, type PgModuleStores } from "./modules.js"
export { checkDatabase, type CheckReport, grantAppRole, historyTables } from "./check.js"
export { checkEntityTable, pgEntityTable } from "./entity.js"
export { importCalendarFile } from "./calendar-import.js"
export { constraintError, isUnavailable } from "./sql.js"

/**
 * The PostgreSQL adapter.
 *
 * @since 0.1.0
 * @category layers
 */
export const PgStore = {
  /** Every storage port from settings; migrates at start unless `migrate: false`. */
  layer,
  /** The same from Effect `Config` (`DATABASE_URL` or `PG*` variables). */
  layerConfig,
  /** The ports over an existing `PgClient`; does not migrate. */
  layerFromClient,
  /** Just the `PgClient`, with connection failures as `StoreUnavailable`. */
  clientLayer,
  /** The `Config` that `layerConfig` reads by default. */
  config
} as const
