/**
 * The time bank (时间银行): residents deposit verified service hours (with a
 * multiplier per service type), redeem them for services, and give them to
 * family, on the kernel's double-entry ledger in centi-hours.
 *
 * @since 0.1.0
 */
export * from "./errors.js"
export * from "./events.js"
export * from "./model.js"
export * from "./rules.js"
export * from "./service.js"
export * from "./store.js"
export * from "./catalogue.js"
