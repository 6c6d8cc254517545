/**
 * Incentive points (积分): a rule table, caps against farming, levels with
 * perks, a redemption catalogue, threshold rewards, notifications and
 * leaderboards, on the kernel's double-entry ledger. Import as
 * `import { Incentives } from "@gongzhi/core"`.
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
