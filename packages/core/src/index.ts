/**
 * `@gongzhi/core`: pure domain logic for community governance on `effect`.
 *
 * @since 0.1.0
 */
export * from "./kernel/index.js"
export * from "./gongzhi.js"
export * from "./modules.js"
export * from "./catalogue.js"
export * as TimeBank from "./timebank/index.js"
export * as Incentives from "./incentives/index.js"
export * as Voting from "./voting/index.js"
export * as Issues from "./issues/index.js"
