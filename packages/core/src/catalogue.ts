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
import { issueCommands } from "./issues/catalogue.js"
import { votingCommands } from "./voting/catalogue.js"

/**
 * Every public command and query, module by module.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const commandCatalogue = [
  ...ledgerCommands,
  ...votingCommands,
  ...issueCommands
]

/**
 * The requirements of any entry of the catalogue: what a layer must provide
 * to {@link invoke} every entry.
 *
 * @since 0.2.0
 * @category catalogue
 */
export type CatalogueRequirements = (typeof commandCatalogue)[number] extends CatalogueEntry<any, any, infer R> ? R : never

/**
 * The catalogue entry of a name (the command's span name), if any.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const catalogueEntry = (name: string): (typeof commandCatalogue)[number] | undefined =>
  commandCatalogue.find((e) => e.name === name)
