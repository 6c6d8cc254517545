/**
 * Voting (表决): proposals, electorates, ballots of every type, Civil Code
 * Art. 278 decision rules, paper ballots and proxies, secret ballots with
 * receipts and verifiable tallies, and cost sharing for retrofits.
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
