/**
 * Pet credit's commands and queries. Every command decodes its input,
 * authorizes the actor, then loads, decides (with `rules.ts`), saves and
 * appends its events in one transaction: a failure changes nothing.
 *
 * The evidence rule: a report (with at least one evidence reference) only
 * becomes a deduction when a staff member verifies it; camera detections
 * come in as reports of the system actor and wait like any other. Reports
 * nobody verified expire after `verifyWithinWorkdays` working days.
 *
 * @since 0.2.0
 */
export { type PetCreditCommand, petCreditPermissions, PetCreditRoles } from "./shared.js"
export * from "./registry.js"
export * from "./reports.js"
export * from "./scores.js"
export * from "./queries.js"
export * from "./links.js"
export * from "./notifications.js"
