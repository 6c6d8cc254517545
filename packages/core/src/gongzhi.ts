/**
 * The one layer a user composes: the core's own services (calendar, message
 * templates) on top of a storage adapter's ports.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import { ChinaCalendar, type ChinaCalendarOptions } from "./kernel/calendar.js"
import type { LocalizedText } from "./kernel/errors.js"
import { NotificationTemplates } from "./kernel/notifier.js"
import { moduleTemplates } from "./modules.js"

/**
 * Options of {@link Gongzhi.layer}.
 *
 * @since 0.1.0
 * @category layers
 */
export interface GongzhiOptions {
  readonly calendar?: ChinaCalendarOptions
  /** Extra or replacement notification templates. */
  readonly templates?: Readonly<Record<string, LocalizedText>>
}

/**
 * Entry point for composing the library.
 *
 * @example
 * import { Gongzhi } from "@gongzhi/core"
 * import { MemoryStore } from "@gongzhi/store-memory"
 * const AppLayer = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory }))
 *
 * @since 0.1.0
 * @category layers
 */
export const Gongzhi = {
  /**
   * The core services: the China workday calendar and the notification
   * templates (the kernel's and every module's, then `options.templates`,
   * which may replace any of them).
   */
  layer: (options: GongzhiOptions = {}) =>
    Layer.mergeAll(
      ChinaCalendar.layer(options.calendar),
      NotificationTemplates.layer(...moduleTemplates, options.templates ?? {})
    )
} as const
