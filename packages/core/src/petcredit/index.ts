/**
 * Pet credit (养犬信用积分): a dog registry and the owners' credit score, with
 * staff-verified violations, appeals, thresholds (licence suspension,
 * compulsory training, Jinan's withheld licence and exam), good-owner
 * rewards and the clean-record discount. Schemes are data: the seed's
 * 100-point scheme and Jinan's 12-point licence come as presets.
 *
 * @since 0.2.0
 */
export * from "./errors.js"
export * from "./events.js"
export * from "./model.js"
export * from "./rules.js"
export * from "./service/index.js"
export * from "./store.js"
