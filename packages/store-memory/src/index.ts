/**
 * `@gongzhi/store-memory`: every Gongzhi port in memory. The embedded default
 * for demos, tests and simulations; behaves exactly like the PostgreSQL
 * adapter (both pass `@gongzhi/testkit`'s conformance suite).
 *
 * @since 0.1.0
 */
export * from "./store.js"
export { MemoryDatabase } from "./database.js"
export { memoryEntityTable } from "./entity.js"
