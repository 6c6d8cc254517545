/**
 * The registry of modules: which storage ports and notification templates
 * the library's modules add to the kernel's. A new module adds one line to
 * each list here (and its store to each adapter's registry); the kernel
 * never names a module.
 *
 * @since 0.2.0
 */
import type { LocalizedText } from "./kernel/errors.js"
import type { KernelPorts } from "./kernel/transaction.js"
import { incentiveTemplates, type IncentiveStore } from "./incentives/index.js"
import { issueTemplates, type IssueStore } from "./issues/index.js"
import { notificationTemplates, type NotificationStore } from "./notifications/index.js"
import { timeBankTemplates, type TimeBankStore } from "./timebank/index.js"
import type { VotingStore } from "./voting/index.js"

/**
 * The storage ports of every module (one per module).
 *
 * @since 0.2.0
 * @category ports
 */
export type ModulePorts = TimeBankStore | IncentiveStore | VotingStore | IssueStore | NotificationStore

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
  notificationTemplates
]
