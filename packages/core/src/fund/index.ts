/**
 * The community fund (社区基金) and trust-style property fees (信托制物业):
 * funds and budgets on the kernel's ledger, expenses approved by amount (one
 * approver, two different approvers, or an owners' vote), fee billing and
 * collection with arrears ageing, donations, subsidies and partner shares,
 * cost-sharing plans turned into receivables, public postings and monthly
 * statements checked against the journal's hash chain, objections, and the
 * trustee's fee tied to service figures.
 *
 * @since 0.2.0
 */
export * from "./errors.js"
export * from "./events.js"
export * from "./model.js"
export * from "./rules.js"
export * from "./service.js"
export * from "./store.js"
