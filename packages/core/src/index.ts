/**
 * `@gongzhi/core`: pure domain logic for community governance on `effect`.
 *
 * @since 0.1.0
 */
export * from "./kernel/index.js"
export * from "./gongzhi.js"
export * as TimeBank from "./timebank/index.js"
