/**
 * The kernel: what every module builds on.
 *
 * @since 0.1.0
 */
export * from "./actor.js"
export * from "./calendar.js"
export * from "./calendar-years.js"
export * from "./calendar-sync.js"
export * from "./checkpoint.js"
export * from "./directory.js"
export * from "./entity.js"
export * from "./errors.js"
export * from "./ids.js"
export * from "./journal.js"
export * from "./ledger.js"
export * from "./notifier.js"
export * from "./subscribers.js"
export * from "./transaction.js"
export * from "./units.js"
export * from "./catalogue.js"
export * from "./ledger-catalogue.js"
