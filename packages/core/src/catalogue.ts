/**
 * The command catalogue: every public command and query of the kernel and
 * the modules, composed from each module's own list. A new module adds its
 * `xxxCommands` (declared in its `catalogue.ts` with `catalogueBuilder`) to
 * {@link commandCatalogue}: one line here.
 *
 * @since 0.2.0
 */
import type { CatalogueEntry } from "./kernel/catalogue.js"
import { ledgerCommands } from "./kernel/ledger-catalogue.js"
import { incentiveCommands } from "./incentives/catalogue.js"
import { issueCommands } from "./issues/catalogue.js"
import { timeBankCommands } from "./timebank/catalogue.js"
import { votingCommands } from "./voting/catalogue.js"

const modules = [
  ...ledgerCommands,
  ...votingCommands,
  ...issueCommands,
  ...incentiveCommands,
  ...timeBankCommands
]

type ErrorOf<T> = T extends CatalogueEntry<any, infer E, any> ? E : never
type RequirementOf<T> = T extends CatalogueEntry<any, any, infer R> ? R : never

/**
 * Any error an entry of the catalogue can fail with.
 *
 * @since 0.2.0
 * @category catalogue
 */
export type CatalogueError = ErrorOf<(typeof modules)[number]>

/**
 * The requirements of any entry of the catalogue: what a layer must provide
 * to `invoke` every entry.
 *
 * @since 0.2.0
 * @category catalogue
 */
export type CatalogueRequirements = RequirementOf<(typeof modules)[number]>

/**
 * Every public command and query, module by module. To register a module,
 * add its list to `modules` above.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const commandCatalogue: ReadonlyArray<CatalogueEntry<unknown, CatalogueError, CatalogueRequirements>> = modules

/**
 * The catalogue entry of a name (the command's span name), if any.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const catalogueEntry = (name: string): CatalogueEntry<unknown, CatalogueError, CatalogueRequirements> | undefined =>
  commandCatalogue.find((e) => e.name === name)
