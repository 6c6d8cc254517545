/**
 * What the spaces commands share: the permission table, loading records,
 * the community's time zone, residents' households and levels, and fee
 * postings on the kernel ledger.
 *
 * @since 0.2.0
 */
import { Effect, Option } from "effect"
import { type Actor, actorRef, type PermissionTable, type Role, Roles, SystemActor } from "../../kernel/actor.js"
import { Directory, type Resident } from "../../kernel/directory.js"
import { fieldIssue, type FieldProblem, InvalidInput, type LocalizedText, NotFound } from "../../kernel/errors.js"
import { AccountId, type CommunityId, type HouseholdId, type LedgerTxId, type ResidentId } from "../../kernel/ids.js"
import { applyTransaction, ensureAccount } from "../../kernel/ledger.js"
import { standing } from "../../incentives/index.js"
import { sha256Hex } from "../../kernel/journal.js"
import { NotEligible } from "../errors.js"
import { SpacesConfig, type SpaceId } from "../model.js"
import { SpacesStore } from "../store.js"

/**
 * The module's governance roles (the seed's space committee of elected
 * residents with an adoption group and a fees group). Roles are open strings;
 * an integrator grants them to staff actors (committee members acting in
 * the module).
 *
 * @since 0.2.0
 * @category permissions
 */
export const SpaceRoles = {
  /** Space committee (空间管理委员会) member: inventory, rounds, draws, occupation cases. */
  spaceCommittee: "space-committee" as Role,
  /** Adoption group (认养小组): inspections and offers. */
  adoptionGroup: "space-adoption" as Role,
  /** Fees group (收费小组): fee figures and refunds. */
  feesGroup: "space-fees" as Role
} as const

/**
 * The spaces commands and queries, as named in the permission table.
 *
 * @since 0.2.0
 * @category permissions
 */
export type SpacesCommand =
  | "spaces.defineSpace"
  | "spaces.addClosure"
  | "spaces.book"
  | "spaces.bookSeries"
  | "spaces.cancelBooking"
  | "spaces.decideBooking"
  | "spaces.markNoShow"
  | "spaces.openRound"
  | "spaces.commitSeed"
  | "spaces.apply"
  | "spaces.draw"
  | "spaces.replyOffer"
  | "spaces.expireOffers"
  | "spaces.releaseAdoption"
  | "spaces.revokeAdoption"
  | "spaces.recordInspection"
  | "spaces.registerOccupation"
  | "spaces.consentOccupation"
  | "spaces.advanceOccupation"
  | "spaces.clearOccupation"
  | "spaces.read"
  | "spaces.report"

const committee = [Roles.admin, Roles.committee, SpaceRoles.spaceCommittee]

/**
 * Who may run each spaces command. Residents book, apply, reply and
 * release for themselves (`"self"`, or `true` with the module's own check
 * that the booking or adoption is their household's: `NotEligible`);
 * consenting to an occupation stage is for the occupying household
 * (`NotOccupant`); any resident may report an occupation.
 *
 * @since 0.2.0
 * @category permissions
 */
export const spacesPermissions: PermissionTable<SpacesCommand> = {
  "spaces.defineSpace": { roles: committee },
  "spaces.addClosure": { roles: [...committee, Roles.clerk] },
  "spaces.book": { residents: "self", roles: [Roles.admin, Roles.clerk] },
  "spaces.bookSeries": { roles: committee },
  "spaces.cancelBooking": { residents: true, roles: [Roles.admin, Roles.clerk] },
  "spaces.decideBooking": { roles: committee },
  "spaces.markNoShow": { roles: [Roles.admin, Roles.clerk], system: true },
  "spaces.openRound": { roles: committee },
  "spaces.commitSeed": { roles: committee },
  "spaces.apply": { residents: "self", roles: [Roles.admin, Roles.clerk] },
  "spaces.draw": { roles: committee, system: true },
  "spaces.replyOffer": { residents: true, roles: [Roles.admin, Roles.clerk] },
  "spaces.expireOffers": { roles: [...committee, SpaceRoles.adoptionGroup], system: true },
  "spaces.releaseAdoption": { residents: true, roles: [Roles.admin, Roles.clerk] },
  "spaces.revokeAdoption": { roles: committee },
  "spaces.recordInspection": { roles: [...committee, SpaceRoles.adoptionGroup] },
  "spaces.registerOccupation": { residents: true, roles: [...committee, Roles.clerk], system: true },
  "spaces.consentOccupation": { residents: true, roles: [Roles.clerk] },
  "spaces.advanceOccupation": { roles: committee, system: true },
  "spaces.clearOccupation": { roles: [...committee, Roles.clerk] },
  "spaces.read": {
    residents: true,
    roles: [...committee, Roles.clerk, Roles.treasurer, Roles.auditor, SpaceRoles.adoptionGroup, SpaceRoles.feesGroup],
    system: true
  },
  "spaces.report": {
    residents: true,
    roles: [...committee, Roles.treasurer, Roles.auditor, SpaceRoles.adoptionGroup, SpaceRoles.feesGroup],
    system: true
  }
}

export const invalid = (command: string, path: string, text: LocalizedText, problem: FieldProblem = "invalid") =>
  new InvalidInput({ command, issues: [fieldIssue(path, problem, text)] })

const statusNames: Readonly<Record<string, string>> = {
  pending: "待审批", confirmed: "已确认", cancelled: "已取消", rejected: "已驳回", "no-show": "爽约",
  offered: "待答复", active: "认养中", declined: "已放弃", lapsed: "已过期", released: "已退出", revoked: "已收回", ended: "已终止"
}

/** "the booking is cancelled" in both locales. */
export const isStatus = (what: "booking" | "adoption", status: string): LocalizedText => ({
  "zh-CN": `${what === "booking" ? "该预约" : "该认养"}当前状态为「${statusNames[status] ?? status}」`,
  en: `the ${what} is ${status}`
})

export const loadSpace = (communityId: CommunityId, spaceId: SpaceId) =>
  Effect.flatMap(SpacesStore, (s) => s.spaces.get({ communityId, id: spaceId })).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.fail(new NotFound({ entity: "Space", id: spaceId })),
      onSome: Effect.succeed
    }))
  )

export const orNotFound = <A>(entity: string, id: string) => (o: Option.Option<A>) =>
  Option.match(o, { onNone: () => Effect.fail(new NotFound({ entity, id })), onSome: Effect.succeed })

/** The community's IANA time zone (Asia/Shanghai when the directory has no community record). */
export const timeZoneOf = (communityId: CommunityId) =>
  Effect.flatMap(Directory, (d) => d.getCommunity(communityId)).pipe(
    Effect.map((c) => c.timeZone),
    Effect.catchTag("NotFound", () => Effect.succeed("Asia/Shanghai"))
  )

/** The resident and their household; `NotEligible` without one. */
export const residentWithHousehold = (communityId: CommunityId, residentId: ResidentId) =>
  Effect.gen(function* () {
    const resident: Resident = yield* Effect.flatMap(Directory, (d) => d.getResident(communityId, residentId))
    if (resident.householdId === undefined) return yield* Effect.fail(new NotEligible({ reason: "no-household" }))
    return { resident, householdId: resident.householdId }
  })

/** Staff pass; a resident passes for their own household only. */
export const requireHousehold = (actor: Actor, communityId: CommunityId, householdId: HouseholdId) =>
  Effect.gen(function* () {
    if (actor._tag !== "Resident") return
    const resident = yield* Effect.flatMap(Directory, (d) => d.getResident(communityId, actor.residentId))
    if (resident.householdId !== householdId) return yield* Effect.fail(new NotEligible({ reason: "not-yours" }))
  })

/** A resident's incentive level and perks, through the incentives module's public API. */
export const standingOf = (communityId: CommunityId, residentId: ResidentId) =>
  standing(new SystemActor({ communityId, process: "spaces" }), communityId, residentId).pipe(
    // the system actor may read standings; a refusal here is a bug
    Effect.catchTag("Forbidden", (e) => Effect.die(e))
  )

const accountId = (raw: string) =>
  raw.length <= 64 ? Effect.succeed(AccountId.make(raw)) : Effect.map(sha256Hex(raw), (h) => AccountId.make(`sph:${h.slice(0, 60)}`))

/** The fund account and a household's payer account, opened on first use. */
export const feeAccounts = (communityId: CommunityId, householdId: HouseholdId) =>
  Effect.gen(function* () {
    const config = yield* SpacesConfig
    const fund = yield* ensureAccount({
      communityId,
      accountId: yield* accountId(config.fundAccountId),
      unit: "fen",
      kind: config.fundAccountKind,
      floor: 0
    })
    const payer = yield* ensureAccount({
      communityId,
      accountId: yield* accountId(config.payerAccountId(householdId)),
      unit: "fen",
      kind: config.payerAccountKind,
      owner: householdId,
      floor: 0
    })
    return { fund: fund.id, payer: payer.id }
  })

/** The fund account's id. */
export const fundAccountId = Effect.flatMap(SpacesConfig, (c) => accountId(c.fundAccountId))

/**
 * Posts a fee (`direction: "charge"`, household to fund) or a refund (fund
 * to household) of `fen` > 0. `InsufficientBalance` when the payer cannot pay.
 */
export const postFee = (
  communityId: CommunityId,
  householdId: HouseholdId,
  fen: number,
  direction: "charge" | "refund",
  kind: string,
  memo: string
) =>
  Effect.gen(function* () {
    const { fund, payer } = yield* feeAccounts(communityId, householdId)
    const [from, to] = direction === "charge" ? [payer, fund] : [fund, payer]
    const tx = yield* applyTransaction({
      communityId,
      unit: "fen",
      kind,
      memo,
      postings: [
        { accountId: from, amount: -fen },
        { accountId: to, amount: fen }
      ]
    })
    return tx.id as LedgerTxId
  })

export { actorRef }
