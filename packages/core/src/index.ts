/**
 * `@gongzhi/core`: pure domain logic for community governance on `effect`.
 *
 * @since 0.1.0
 */
export * from "./kernel/index.js"
export * from "./gongzhi.js"
export * from "./modules.js"
export * from "./calendar-admin.js"
export * from "./catalogue.js"
export * as TimeBank from "./timebank/index.js"
export * as Incentives from "./incentives/index.js"
export * as Voting from "./voting/index.js"
export * as Issues from "./issues/index.js"
export * as Notifications from "./notifications/index.js"
export * as PetCredit from "./petcredit/index.js"
export * as Metrics from "./metrics/index.js"
export * as Fund from "./fund/index.js"
export * as Spaces from "./spaces/index.js"
