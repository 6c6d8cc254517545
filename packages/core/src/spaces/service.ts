/**
 * The spaces module's commands and queries (split by concern in `service/`).
 *
 * @since 0.2.0
 */
export * from "./service/index.js"
