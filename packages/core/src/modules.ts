/**
 * The registry of modules: which storage ports and notification templates
 * the library's modules add to the kernel's. A new module adds one line to
 * each list here (and its store to each adapter's registry); the kernel
 * never names a module.
 *
 * @since 0.2.0
 */
import type { ProvisionalRederiver } from "./kernel/calendar-sync.js"
import type { LocalizedText } from "./kernel/errors.js"
import type { KernelPorts } from "./kernel/transaction.js"
import { fundTemplates, type FundStore } from "./fund/index.js"
import { incentiveTemplates, type IncentiveStore } from "./incentives/index.js"
import { notificationTemplates, type NotificationStore } from "./notifications/index.js"
import { petCreditTemplates, type PetCreditStore } from "./petcredit/index.js"
import { issueTemplates, type IssueStore, rederiveProvisional } from "./issues/index.js"
import { spacesTemplates, type SpacesStore } from "./spaces/index.js"
import { timeBankTemplates, type TimeBankStore } from "./timebank/index.js"
import type { VotingStore } from "./voting/index.js"

/**
 * The storage ports of every module (one per module).
 *
 * @since 0.2.0
 * @category ports
 */
export type ModulePorts = TimeBankStore | IncentiveStore | VotingStore | IssueStore | NotificationStore | PetCreditStore | FundStore | SpacesStore

/**
 * The ports a storage adapter provides: the kernel's and every module's (the
 * notifier is a separate adapter).
 *
 * @since 0.1.0
 * @category ports
 */
export type StoragePorts = KernelPorts | ModulePorts

/**
 * The notification templates of every module, registered by `Gongzhi.layer`.
 *
 * @since 0.2.0
 * @category layers
 */
export const moduleTemplates: ReadonlyArray<Readonly<Record<string, LocalizedText>>> = [
  incentiveTemplates,
  timeBankTemplates,
  issueTemplates,
  notificationTemplates,
  petCreditTemplates,
  fundTemplates,
  spacesTemplates
]

/**
 * The modules whose stored dates can rest on provisional calendar years, by
 * the owner name they mark them with in the `CalendarStore`: when an official
 * year is loaded, `Calendar.importYear` re-derives each marked record with its
 * module's function. A new module with working-day deadlines adds one entry.
 *
 * @since 0.2.0
 * @category calendar
 */
export const moduleRederivers = {
  issues: rederiveProvisional
} satisfies Record<string, ProvisionalRederiver<any, any>>
