/**
 * Common spaces (公共空间): an inventory of plots, parking bays, rooms, play
 * areas and storage; time-sliced bookings that never overlap, priced per
 * time band into the community fund; plot adoption by a verifiable lottery
 * with a waitlist; and the three-stage process against occupation of
 * common space.
 *
 * @since 0.2.0
 */
export * from "./errors.js"
export * from "./events.js"
export * from "./model.js"
export * from "./rules.js"
export * from "./service.js"
export * from "./store.js"
