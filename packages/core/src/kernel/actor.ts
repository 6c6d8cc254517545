/**
 * Who runs a command, and the permission check every command uses.
 *
 * Every actor belongs to exactly one community: a command or query for
 * another community is refused with `Forbidden` (reason `tenant`) before any
 * store is touched.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { Forbidden } from "./errors.js"
import { CommunityId, DepartmentId, ResidentId, StaffId } from "./ids.js"

/**
 * A staff role. Roles are open strings so integrators can map their own;
 * {@link Roles} lists the ones Gongzhi's permission tables use.
 *
 * @since 0.1.0
 * @category actors
 */
export const Role = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/), Schema.brand("Role"))
/**
 * @since 0.1.0
 * @category actors
 */
export type Role = typeof Role.Type

/**
 * The roles Gongzhi's own permission tables refer to.
 *
 * @since 0.1.0
 * @category actors
 */
export const Roles = {
  /** Runs the community's settings and every staff command. */
  admin: "admin" as Role,
  /** Residents' committee (居委会) member: proposals, ballots, confirmations. */
  committee: "committee" as Role,
  /** Grid worker / front-desk staff: enters paper ballots and hotline reports. */
  clerk: "clerk" as Role,
  /** Dispatches work orders to departments. */
  dispatcher: "dispatcher" as Role,
  /** Handles work orders of their departments. */
  handler: "handler" as Role,
  /** Runs mediation sessions (调解). */
  mediator: "mediator" as Role,
  /** Manages the points and time-bank ledgers. */
  treasurer: "treasurer" as Role,
  /** Reads everything, changes nothing (audits, reports). */
  auditor: "auditor" as Role,
  /** Runs the deployment: loads official calendar schedules (national, for every community). */
  operator: "operator" as Role
} as const

/**
 * A resident acting for themselves (through an app, a kiosk, a mini-program).
 *
 * @since 0.1.0
 * @category actors
 */
export class ResidentActor extends Schema.TaggedClass<ResidentActor>()("Resident", {
  communityId: CommunityId,
  residentId: ResidentId
}) {}

/**
 * A staff member with roles and departments.
 *
 * @since 0.1.0
 * @category actors
 */
export class StaffActor extends Schema.TaggedClass<StaffActor>()("Staff", {
  communityId: CommunityId,
  staffId: StaffId,
  roles: Schema.Array(Role),
  departments: Schema.Array(DepartmentId)
}) {}

/**
 * The library itself or an integrator's background process (schedulers,
 * journal subscribers), scoped to one community.
 *
 * @since 0.1.0
 * @category actors
 */
export class SystemActor extends Schema.TaggedClass<SystemActor>()("System", {
  communityId: CommunityId,
  process: Schema.String
}) {}

/**
 * Anyone who can run a command.
 *
 * @since 0.1.0
 * @category actors
 */
export const Actor = Schema.Union(ResidentActor, StaffActor, SystemActor)
/**
 * @since 0.1.0
 * @category actors
 */
export type Actor = typeof Actor.Type

/**
 * Who may run one command. A command is allowed when any listed clause
 * matches; an empty rule allows nobody.
 *
 * @since 0.1.0
 * @category permissions
 */
export interface PermissionRule {
  /** `true`: any resident of the community; `"self"`: only for themselves (the command must pass `subject`; without it, residents are refused). */
  readonly residents?: boolean | "self"
  /** Staff holding any of these roles. */
  readonly roles?: ReadonlyArray<string>
  /** The system actor. */
  readonly system?: boolean
}

/**
 * A module's permission table: command name to rule. Declared in code and
 * tested as a matrix.
 *
 * @since 0.1.0
 * @category permissions
 */
export type PermissionTable<Command extends string> = { readonly [K in Command]: PermissionRule }

/**
 * The outcome of a permission check: `undefined` when allowed, else the reason.
 *
 * @since 0.1.0
 * @category permissions
 */
export const checkPermission = (
  rule: PermissionRule,
  actor: Actor,
  communityId: string,
  subject?: string
): Forbidden["reason"] | undefined => {
  if (actor.communityId !== communityId) return "tenant"
  switch (actor._tag) {
    case "Resident":
      if (rule.residents === true) return undefined
      if (rule.residents === "self") return subject === actor.residentId ? undefined : "not-self"
      return "not-allowed"
    case "Staff":
      if (rule.roles === undefined || rule.roles.length === 0) return "not-allowed"
      return actor.roles.some((r) => rule.roles!.includes(r)) ? undefined : "role"
    case "System":
      return rule.system === true ? undefined : "not-allowed"
  }
}

/**
 * Authorizes `actor` to run `command` of `table` in `communityId`; fails with
 * {@link Forbidden} otherwise. `subject` is the resident a self-service
 * command acts for.
 *
 * @since 0.1.0
 * @category permissions
 */
export const authorize = <Command extends string>(
  table: PermissionTable<Command>,
  command: Command,
  actor: Actor,
  communityId: string,
  subject?: string
): Effect.Effect<void, Forbidden> => {
  const reason = checkPermission(table[command], actor, communityId, subject)
  return reason === undefined ? Effect.void : Effect.fail(new Forbidden({ command, reason }))
}

/**
 * The community an actor belongs to.
 *
 * @since 0.1.0
 * @category actors
 */
export const actorCommunity = (actor: Actor): CommunityId => actor.communityId

/**
 * A short, privacy-safe reference to an actor for journal events
 * (`resident:R1`, `staff:S1`, `system:scheduler`).
 *
 * @since 0.1.0
 * @category actors
 */
export const actorRef = (actor: Actor): string => {
  switch (actor._tag) {
    case "Resident":
      return `resident:${actor.residentId}`
    case "Staff":
      return `staff:${actor.staffId}`
    case "System":
      return `system:${actor.process}`
  }
}
