import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, Schema } from "effect"
import {
  Actor,
  actorCommunity,
  actorRef,
  authorize,
  checkPermission,
  Forbidden,
  ledgerPermissions,
  type PermissionRule,
  Role,
  Roles,
  SystemActor
} from "../src/index.js"
import { C, C2, resident, staff, system } from "./support.js"

type Command = keyof typeof ledgerPermissions
type Reason = Forbidden["reason"] | undefined

const commands: ReadonlyArray<Command> = ["ledger.openAccount", "ledger.post", "ledger.reverse", "ledger.read"]
const allRoles = Object.values(Roles)

interface Case {
  readonly name: string
  readonly actor: Actor
  readonly subject?: string
  /** Expected outcome per command, written out by hand from the permission table's intent. */
  readonly expect: Record<Command, Reason>
}

const write = (reason: Reason, read: Reason): Record<Command, Reason> => ({
  "ledger.openAccount": reason,
  "ledger.post": reason,
  "ledger.reverse": reason,
  "ledger.read": read
})

const ok = undefined
const sameCommunity: ReadonlyArray<Case> = [
  { name: "resident acting for themselves", actor: resident("r1"), subject: "r1", expect: write("not-allowed", ok) },
  { name: "resident acting for another resident", actor: resident("r1"), subject: "r2", expect: write("not-allowed", "not-self") },
  { name: "staff: admin", actor: staff([Roles.admin]), expect: write(ok, ok) },
  { name: "staff: treasurer", actor: staff([Roles.treasurer]), expect: write(ok, ok) },
  { name: "staff: auditor", actor: staff([Roles.auditor]), expect: write("role", ok) },
  { name: "staff: committee", actor: staff([Roles.committee]), expect: write("role", "role") },
  { name: "staff: clerk", actor: staff([Roles.clerk]), expect: write("role", "role") },
  { name: "staff: dispatcher", actor: staff([Roles.dispatcher]), expect: write("role", "role") },
  { name: "staff: handler", actor: staff([Roles.handler]), expect: write("role", "role") },
  { name: "staff: mediator", actor: staff([Roles.mediator]), expect: write("role", "role") },
  { name: "staff: an integrator's own role", actor: staff([Role.make("custom-role")]), expect: write("role", "role") },
  { name: "staff without roles", actor: staff([]), expect: write("role", "role") },
  { name: "staff: clerk and treasurer", actor: staff([Roles.clerk, Roles.treasurer]), expect: write(ok, ok) },
  { name: "staff: clerk and auditor", actor: staff([Roles.clerk, Roles.auditor]), expect: write("role", ok) },
  { name: "system", actor: system, expect: write(ok, ok) }
]

/** Everyone, as a member of another community: always refused for tenancy. */
const otherCommunity: ReadonlyArray<Case> = [
  { name: "resident of another community (self)", actor: resident("r1", C2), subject: "r1", expect: write("tenant", "tenant") },
  ...allRoles.map((role): Case => ({
    name: `staff of another community: ${role}`,
    actor: staff([role], C2),
    expect: write("tenant", "tenant")
  })),
  { name: "staff of another community with every role", actor: staff(allRoles, C2), expect: write("tenant", "tenant") },
  {
    name: "system of another community",
    actor: new SystemActor({ communityId: C2, process: "scheduler" }),
    expect: write("tenant", "tenant")
  }
]

const matrix = [...sameCommunity, ...otherCommunity].flatMap((c) =>
  commands.map((command) => ({ ...c, command, label: `${command} by ${c.name}: ${c.expect[command] ?? "allowed"}` }))
)

describe("ledgerPermissions matrix", () => {
  it("covers exactly the ledger's commands", () => {
    expect(Object.keys(ledgerPermissions).sort()).toStrictEqual([...commands].sort())
  })

  it.each(matrix)("checkPermission: $label", ({ actor, command, expect: want, subject }) => {
    expect(checkPermission(ledgerPermissions[command], actor, C, subject)).toBe(want[command])
  })

  it.effect.each(matrix)("authorize: $label", ({ actor, command, expect: want, subject }) =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(authorize(ledgerPermissions, command, actor, C, subject))
      const reason = want[command]
      if (reason === undefined) {
        expect(exit).toStrictEqual(Exit.void)
      } else {
        const error = yield* Effect.flip(authorize(ledgerPermissions, command, actor, C, subject))
        expect(error).toBeInstanceOf(Forbidden)
        expect(error.command).toBe(command)
        expect(error.reason).toBe(reason)
        expect(error.code).toBe("FORBIDDEN")
      }
    }))
})

describe("checkPermission", () => {
  it("an empty rule allows nobody", () => {
    const rule: PermissionRule = {}
    expect(checkPermission(rule, resident(), C, "r1")).toBe("not-allowed")
    expect(checkPermission(rule, staff(allRoles), C)).toBe("not-allowed")
    expect(checkPermission(rule, system, C)).toBe("not-allowed")
    expect(checkPermission({ roles: [] }, staff(allRoles), C)).toBe("not-allowed")
  })

  it("residents: true lets any resident act for anyone; residents: false lets none", () => {
    expect(checkPermission({ residents: true }, resident("r1"), C, "r2")).toBeUndefined()
    expect(checkPermission({ residents: false }, resident("r1"), C, "r1")).toBe("not-allowed")
    expect(checkPermission({ residents: true }, staff([Roles.admin]), C)).toBe("not-allowed")
    expect(checkPermission({ residents: true }, system, C)).toBe("not-allowed")
  })

  it("the tenant check comes first, for every kind of actor and rule", () => {
    const everything: PermissionRule = { residents: true, roles: allRoles, system: true }
    expect(checkPermission(everything, resident("r1"), C2)).toBe("tenant")
    expect(checkPermission(everything, staff(allRoles), C2)).toBe("tenant")
    expect(checkPermission(everything, system, C2)).toBe("tenant")
    expect(checkPermission({}, system, C2)).toBe("tenant")
  })

  it("role names match exactly", () => {
    expect(checkPermission({ roles: ["treasurer"] }, staff([Role.make("treasurer-deputy")]), C)).toBe("role")
    expect(checkPermission({ roles: ["treasurer"] }, staff([Roles.treasurer]), C)).toBeUndefined()
  })
})

describe("actors", () => {
  it("round-trip through the Actor schema as a tagged union", () => {
    for (const actor of [resident("r9"), staff([Roles.clerk, Roles.handler]), system]) {
      const encoded = Schema.encodeSync(Actor)(actor)
      expect(encoded._tag).toBe(actor._tag)
      expect(Schema.decodeUnknownSync(Actor)(JSON.parse(JSON.stringify(encoded)))).toStrictEqual(actor)
    }
    expect(Either.isLeft(Schema.decodeUnknownEither(Actor)({ _tag: "Resident", communityId: C }))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Actor)({ _tag: "Robot", communityId: C }))).toBe(true)
  })

  it("roles are lower-case slugs of at most 40 characters", () => {
    const valid = (s: string) => Either.isRight(Schema.decodeUnknownEither(Role)(s))
    for (const r of ["a", "admin", "grid-worker-2", "a".repeat(40)]) expect(valid(r), r).toBe(true)
    for (const r of ["", "Admin", "2fa", "-x", "a b", "a".repeat(41), "管理员"]) expect(valid(r), r).toBe(false)
    for (const r of allRoles) expect(valid(r), r).toBe(true)
  })

  it("actorRef and actorCommunity", () => {
    expect(actorRef(resident("R1"))).toBe("resident:R1")
    expect(actorRef(staff([], C, "S1"))).toBe("staff:S1")
    expect(actorRef(new SystemActor({ communityId: C, process: "scheduler" }))).toBe("system:scheduler")
    expect(actorCommunity(resident("r1", C2))).toBe(C2)
  })
})
