/**
 * Issue reporting as work orders (工单): a catalogue of case types, reports
 * with a case number at once, routing on area x type, a lifecycle derived
 * from an append-only timeline, working-day deadlines with warnings and
 * breaches, follow-up (回访), duplicates, the four-tier mediation ladder
 * (纠纷调解), figures and the Open311 GeoReport v2 mapping.
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
