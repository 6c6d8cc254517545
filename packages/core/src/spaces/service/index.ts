/**
 * The spaces module's commands and queries, by concern.
 *
 * @since 0.2.0
 */
export * from "./adoption.js"
export * from "./bookings.js"
export * from "./figures.js"
export * from "./occupation.js"
export { SpaceRoles, type SpacesCommand, spacesPermissions } from "./shared.js"
