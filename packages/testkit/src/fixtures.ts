/**
 * A seeded generator of realistic communities: the same seed always gives
 * the same community.
 *
 * @since 0.1.0
 */
import {
  AreaDm2,
  Building,
  BuildingId,
  Community,
  CommunityId,
  Department,
  DepartmentId,
  type DirectorySnapshot,
  type FamilyLink,
  Household,
  HouseholdId,
  Resident,
  ResidentId,
  Role,
  Roles,
  Staff,
  StaffId,
  Unit,
  UnitId
} from "@gongzhi/core"
import { Effect, Random } from "effect"

/**
 * Shape of a generated community. Defaults follow the seed article: 6
 * six-storey buildings, 2 units each, 2 households a floor, exclusive areas of
 * 50-140 m², 45% of residents over 60.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface CommunityFixtureOptions {
  readonly seed?: number
  readonly communityId?: string
  readonly name?: string
  readonly buildings?: number
  readonly floors?: number
  readonly unitsPerBuilding?: number
  readonly householdsPerFloor?: number
  /** Exclusive area range in whole m². */
  readonly areaM2?: readonly [number, number]
  /** Share of residents aged over 60. */
  readonly elderlyShare?: number
  /** Share of households let to tenants (the owner lives elsewhere). */
  readonly rentedShare?: number
  /** The year ages are counted in. */
  readonly referenceYear?: number
}

const surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"]
const given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建国", "志强", "淑珍", "玉兰", "海燕", "子涵", "浩然", "欣怡", "宇轩"]

const departments: ReadonlyArray<readonly [string, string]> = [
  ["dept-property", "物业维修"],
  ["dept-sanitation", "环境卫生"],
  ["dept-security", "安全巡逻"],
  ["dept-services", "社区服务"],
  ["dept-mediation", "人民调解委员会"]
]

/**
 * Generates a community directory. Deterministic for a given seed (it runs
 * on effect's seeded `Random`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const generateCommunity = (options: CommunityFixtureOptions = {}): DirectorySnapshot => {
  const o = {
    seed: 1,
    communityId: "c-demo",
    name: "幸福里社区",
    buildings: 6,
    floors: 6,
    unitsPerBuilding: 2,
    householdsPerFloor: 2,
    areaM2: [50, 140] as const,
    elderlyShare: 0.45,
    rentedShare: 0.1,
    referenceYear: 2026,
    ...options
  }
  const program = Effect.gen(function* () {
    const cid = CommunityId.make(o.communityId)
    const pick = <A>(xs: ReadonlyArray<A>) => Effect.map(Random.nextIntBetween(0, xs.length), (i) => xs[i]!)
    const chance = (p: number) => Effect.map(Random.next, (x) => x < p)
    const name = Effect.gen(function* () {
      return `${yield* pick(surnames)}${yield* pick(given)}`
    })
    const phone = Effect.gen(function* () {
      const prefix = yield* pick(["138", "139", "150", "186", "177", "135"])
      const rest = yield* Random.nextIntBetween(0, 100_000_000)
      return `${prefix}${String(rest).padStart(8, "0")}`
    })
    const elderlyBirth = Random.nextIntBetween(o.referenceYear - 92, o.referenceYear - 60)
    const adultBirth = Random.nextIntBetween(o.referenceYear - 59, o.referenceYear - 22)
    const childBirth = Random.nextIntBetween(o.referenceYear - 17, o.referenceYear - 1)

    const buildings: Array<Building> = []
    const units: Array<Unit> = []
    const households: Array<Household> = []
    const residents: Array<Resident> = []
    let residentNo = 0
    const nextResidentId = () => ResidentId.make(`r-${String(++residentNo).padStart(5, "0")}`)

    for (let b = 1; b <= o.buildings; b++) {
      const buildingId = BuildingId.make(`b-${b}`)
      buildings.push(new Building({ communityId: cid, id: buildingId, name: `${b}号楼`, floors: o.floors, hasElevator: false }))
      for (let u = 1; u <= o.unitsPerBuilding; u++) {
        const unitId = UnitId.make(`b-${b}-u-${u}`)
        units.push(new Unit({ communityId: cid, id: unitId, buildingId, name: `${u}单元` }))
        for (let f = 1; f <= o.floors; f++) {
          for (let h = 1; h <= o.householdsPerFloor; h++) {
            const label = `${b}-${u}-${f}${String(h).padStart(2, "0")}`
            const householdId = HouseholdId.make(`h-${label}`)
            const areaM2 = yield* Random.nextIntBetween(o.areaM2[0], o.areaM2[1] + 1)
            const rented = yield* chance(o.rentedShare)
            // Household members: an owner couple (elderly or not), maybe a child or an elderly parent.
            // Owners of elderly couples; the factor makes up for younger family members so that
            // the share of residents over 60 comes out at `elderlyShare` on average (0.446 over seeds 1-40).
            const elderlyCouple = yield* chance(o.elderlyShare * 1.08)
            const ownerId = nextResidentId()
            const members: Array<Resident> = []
            const ownerBirth = yield* (elderlyCouple ? elderlyBirth : adultBirth)
            const owner = {
              communityId: cid,
              id: ownerId,
              name: yield* name,
              kind: "owner" as const,
              birthYear: ownerBirth,
              phone: yield* phone,
              prefersOffline: elderlyCouple && (yield* chance(0.6))
            }
            const family: Array<Resident> = []
            const ownerLinks: Array<FamilyLink> = []
            if (yield* chance(0.8)) {
              const spouseId = nextResidentId()
              ownerLinks.push({ relativeId: spouseId, relation: "spouse" })
              family.push(new Resident({
                communityId: cid,
                id: spouseId,
                name: yield* name,
                kind: "family",
                birthYear: ownerBirth + (yield* Random.nextIntBetween(-3, 4)),
                ...(rented ? {} : { householdId }),
                family: [{ relativeId: ownerId, relation: "spouse" }]
              }))
            }
            if (!elderlyCouple && (yield* chance(0.5))) {
              const childId = nextResidentId()
              ownerLinks.push({ relativeId: childId, relation: "child" })
              family.push(new Resident({
                communityId: cid, id: childId, name: yield* name, kind: "family", birthYear: yield* childBirth,
                ...(rented ? {} : { householdId }),
                family: [{ relativeId: ownerId, relation: "parent" }]
              }))
            }
            if (!elderlyCouple && (yield* chance(0.35))) {
              const parentId = nextResidentId()
              ownerLinks.push({ relativeId: parentId, relation: "parent" })
              family.push(new Resident({
                communityId: cid, id: parentId, name: yield* name, kind: "family", birthYear: yield* elderlyBirth,
                prefersOffline: yield* chance(0.6),
                ...(rented ? {} : { householdId }),
                family: [{ relativeId: ownerId, relation: "child" }]
              }))
            }
            members.push(new Resident({ ...owner, ...(rented ? {} : { householdId }), family: ownerLinks }), ...family)
            if (rented) {
              const tenantId = nextResidentId()
              members.push(new Resident({
                communityId: cid, id: tenantId, name: yield* name, kind: "tenant", birthYear: yield* adultBirth,
                phone: yield* phone, householdId
              }))
            }
            residents.push(...members)
            households.push(new Household({
              communityId: cid,
              id: householdId,
              buildingId,
              unitId,
              floor: f,
              label,
              exclusiveAreaDm2: AreaDm2.make(areaM2 * 100),
              ownerIds: [ownerId]
            }))
          }
        }
      }
    }

    const depts = departments.map(([id, n]) => new Department({ communityId: cid, id: DepartmentId.make(id), name: n }))
    const staffSpec: ReadonlyArray<readonly [string, ReadonlyArray<string>, ReadonlyArray<string>]> = [
      ["s-admin", [Roles.admin], []],
      ["s-committee-1", [Roles.committee], ["dept-services"]],
      ["s-committee-2", [Roles.committee], ["dept-services"]],
      ["s-clerk", [Roles.clerk], ["dept-services"]],
      ["s-dispatcher", [Roles.dispatcher], ["dept-services"]],
      ["s-handler-property", [Roles.handler], ["dept-property"]],
      ["s-handler-sanitation", [Roles.handler], ["dept-sanitation"]],
      ["s-handler-security", [Roles.handler], ["dept-security"]],
      ["s-mediator", [Roles.mediator], ["dept-mediation"]],
      ["s-treasurer", [Roles.treasurer], ["dept-services"]],
      ["s-auditor", [Roles.auditor], []]
    ]
    const staff: Array<Staff> = []
    for (const [id, roles, ds] of staffSpec) {
      staff.push(new Staff({
        communityId: cid,
        id: StaffId.make(id),
        name: yield* name,
        roles: roles.map((r) => Role.make(r)),
        departments: ds.map((d) => DepartmentId.make(d)),
        phone: yield* phone
      }))
    }
    return {
      community: new Community({ id: cid, name: o.name, timeZone: "Asia/Shanghai" }),
      buildings,
      units,
      households,
      residents,
      departments: depts,
      staff
    } satisfies DirectorySnapshot
  })
  return Effect.runSync(Effect.withRandom(program, Random.make(o.seed)))
}

/**
 * Summary figures of a generated community, for checking that a fixture is
 * realistic.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const describeCommunity = (snapshot: DirectorySnapshot, referenceYear = 2026) => {
  const aged = snapshot.residents.filter((r) => r.birthYear !== undefined)
  const over60 = aged.filter((r) => referenceYear - r.birthYear! > 60).length
  const areas = snapshot.households.map((h) => h.exclusiveAreaDm2 / 100)
  return {
    buildings: snapshot.buildings.length,
    units: snapshot.units.length,
    households: snapshot.households.length,
    residents: snapshot.residents.length,
    over60Share: aged.length === 0 ? 0 : over60 / aged.length,
    minAreaM2: Math.min(...areas),
    maxAreaM2: Math.max(...areas),
    staff: snapshot.staff.length,
    departments: snapshot.departments.length
  }
}
