/**
 * Conformance cases of the time bank's store port (`TimeBankStore`): round
 * trips, uniqueness of ids and idempotency keys, optimistic updates,
 * ordering, totals arithmetic, tenant isolation, rollback, and the module's
 * commands end to end.
 *
 * @since 0.1.0
 */
import {
  type CommunityId,
  ResidentActor,
  ResidentId,
  StaffActor,
  StaffId,
  Role,
  TimeBank,
  Transaction
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const R = (id: string) => ResidentId.make(id)

const service = (
  c: CommunityId,
  id: string,
  o: Partial<{
    providerId: string
    recipientId: string
    status: TimeBank.ServiceStatus
    recordedAt: number
    idempotencyKey: string
    version: number
    note: string
  }> = {}
) =>
  new TimeBank.ServiceRecord({
    communityId: c,
    id: TimeBank.ServiceId.make(id),
    providerId: R(o.providerId ?? "r-1"),
    recipientId: R(o.recipientId ?? "r-2"),
    serviceType: "elderly-care",
    multiplierPermille: 1500,
    minutes: 120,
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_007_200_000,
    performedAt: 1_700_000_000_000,
    year: 2023,
    centiHours: 300,
    note: o.note ?? "读报纸 and a walk",
    status: o.status ?? "pending",
    recordedAt: o.recordedAt ?? 1_700_007_300_000,
    recordedBy: "resident:r-1",
    ...(o.idempotencyKey === undefined ? {} : { idempotencyKey: o.idempotencyKey }),
    fingerprint: "f".repeat(64),
    version: o.version ?? 1
  })

const zero: TimeBank.TotalsDelta = { givenMinutes: 0, givenCentiHours: 0, servicesGiven: 0, receivedMinutes: 0, servicesReceived: 0 }

const failureTag = <A, E>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? (exit.cause.error as { _tag: string })._tag : undefined

/**
 * The time bank's cases.
 *
 * @since 0.1.0
 * @category conformance
 */
export const timeBankSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 30_000
  describe("timebank store", () => {
    it.effect("stores a service as given and finds it by id and by idempotency key", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* TimeBank.TimeBankStore
        const s = service(c, "svc-1", { idempotencyKey: "visit-1" })
        yield* store.insertService(s)
        expect(Option.getOrThrow(yield* store.getService(c, s.id))).toStrictEqual(s)
        expect(Option.getOrThrow(yield* store.findServiceByKey(c, "visit-1"))).toStrictEqual(s)
        expect(yield* store.findServiceByKey(c, "visit-2")).toStrictEqual(Option.none())
        expect(yield* store.getService(c, TimeBank.ServiceId.make("svc-2"))).toStrictEqual(Option.none())
        // optional fields round-trip as absent, not as null
        const { startedAt: _s, endedAt: _e, ...rest } = service(c, "svc-bare")
        const plain = new TimeBank.ServiceRecord(rest)
        yield* store.insertService(plain)
        const got = Option.getOrThrow(yield* store.getService(c, plain.id))
        expect(got).toStrictEqual(plain)
        expect("startedAt" in got && got.startedAt !== undefined).toBe(false)
      }), timeout)

    it.effect("ids and idempotency keys are unique per community, not across communities", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const store = yield* TimeBank.TimeBankStore
        yield* store.insertService(service(c, "svc-1", { idempotencyKey: "k" }))
        expect(failureTag(yield* Effect.exit(store.insertService(service(c, "svc-1"))))).toBe("AlreadyExists")
        expect(failureTag(yield* Effect.exit(store.insertService(service(c, "svc-2", { idempotencyKey: "k" }))))).toBe("AlreadyExists")
        // the failed inserts left nothing behind
        expect(yield* store.getService(c, TimeBank.ServiceId.make("svc-2"))).toStrictEqual(Option.none())
        expect(Option.getOrThrow(yield* store.findServiceByKey(c, "k")).id).toBe("svc-1")
        // the same id and key in another community are independent
        yield* store.insertService(service(d, "svc-1", { idempotencyKey: "k", providerId: "r-9" }))
        expect(Option.getOrThrow(yield* store.getService(c, TimeBank.ServiceId.make("svc-1"))).providerId).toBe("r-1")
        expect(Option.getOrThrow(yield* store.getService(d, TimeBank.ServiceId.make("svc-1"))).providerId).toBe("r-9")
        expect((yield* store.listServices(c, { limit: 100 })).map((s) => s.communityId)).toStrictEqual([c])
      }), timeout)

    it.effect("updates are optimistic: only the next version replaces the record", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* TimeBank.TimeBankStore
        const s = service(c, "svc-1")
        yield* store.insertService(s)
        const v2 = new TimeBank.ServiceRecord({ ...s, status: "disputed", dispute: { reason: "太长", raisedBy: "resident:r-2", raisedAt: 5 }, version: 2 })
        yield* store.updateService(v2)
        expect(Option.getOrThrow(yield* store.getService(c, s.id))).toStrictEqual(v2)
        // a stale writer (also at version 2) loses
        const stale = new TimeBank.ServiceRecord({ ...s, status: "credited", version: 2 })
        expect(failureTag(yield* Effect.exit(store.updateService(stale)))).toBe("Conflict")
        // skipping a version loses too
        expect(failureTag(yield* Effect.exit(store.updateService(new TimeBank.ServiceRecord({ ...v2, version: 4 }))))).toBe("Conflict")
        // a missing record cannot be updated
        expect(failureTag(yield* Effect.exit(store.updateService(service(c, "svc-none", { version: 2 }))))).toBe("Conflict")
        expect(Option.getOrThrow(yield* store.getService(c, s.id))).toStrictEqual(v2)
        const v3 = new TimeBank.ServiceRecord({
          ...v2,
          status: "credited",
          dispute: { ...v2.dispute!, resolution: { outcome: "credit", minutes: 60, note: "", resolvedBy: "staff:s-1", resolvedAt: 6 } },
          version: 3
        })
        yield* store.updateService(v3)
        expect(Option.getOrThrow(yield* store.getService(c, s.id))).toStrictEqual(v3)
      }), timeout)

    it.effect("lists services by provider, recipient and status, ordered by recordedAt then id, up to the limit", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* TimeBank.TimeBankStore
        yield* store.insertService(service(c, "b", { recordedAt: 200, providerId: "r-1", recipientId: "r-2" }))
        yield* store.insertService(service(c, "c", { recordedAt: 100, providerId: "r-3", recipientId: "r-2", status: "disputed" }))
        yield* store.insertService(service(c, "a", { recordedAt: 200, providerId: "r-1", recipientId: "r-4", status: "credited" }))
        yield* store.insertService(service(c, "d", { recordedAt: 50, providerId: "r-2", recipientId: "r-1" }))
        const ids = (f: Omit<TimeBank.ServiceFilter, "limit">, limit = 100) =>
          Effect.map(store.listServices(c, { ...f, limit }), (xs) => xs.map((s) => s.id))
        expect(yield* ids({})).toStrictEqual(["d", "c", "a", "b"])
        expect(yield* ids({}, 2)).toStrictEqual(["d", "c"])
        expect(yield* ids({ providerId: R("r-1") })).toStrictEqual(["a", "b"])
        expect(yield* ids({ recipientId: R("r-2") })).toStrictEqual(["c", "b"])
        expect(yield* ids({ status: "disputed" })).toStrictEqual(["c"])
        expect(yield* ids({ providerId: R("r-1"), status: "pending" })).toStrictEqual(["b"])
        expect(yield* ids({ providerId: R("r-1"), recipientId: R("r-2") })).toStrictEqual(["b"])
        expect(yield* ids({ providerId: R("r-9") })).toStrictEqual([])
      }), timeout)

    it.effect("service types: upsert replaces by code, list orders by code, per community", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const store = yield* TimeBank.TimeBankStore
        const t = (communityId: CommunityId, code: string, multiplierPermille: number, active = true) =>
          new TimeBank.ServiceType({ communityId, code, name: { "zh-CN": "辅导", en: "Tutoring" }, multiplierPermille, active, updatedAt: 1 })
        yield* store.upsertServiceType(t(c, "tutoring", 1200))
        yield* store.upsertServiceType(t(c, "cooking", 1000))
        yield* store.upsertServiceType(t(c, "tutoring", 1300, false))
        yield* store.upsertServiceType(t(d, "tutoring", 900))
        expect((yield* store.listServiceTypes(c)).map((x) => [x.code, x.multiplierPermille, x.active])).toStrictEqual([
          ["cooking", 1000, true],
          ["tutoring", 1300, false]
        ])
        expect(Option.getOrThrow(yield* store.getServiceType(c, "tutoring"))).toStrictEqual(t(c, "tutoring", 1300, false))
        expect(Option.getOrThrow(yield* store.getServiceType(d, "tutoring")).multiplierPermille).toBe(900)
        expect(yield* store.getServiceType(c, "gardening")).toStrictEqual(Option.none())
      }), timeout)

    it.effect("totals: addTotals creates at zero and adds field by field, per resident, year and community", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const d = freshCommunityId()
        const store = yield* TimeBank.TimeBankStore
        yield* store.addTotals(c, R("r-2"), 2026, { ...zero, givenMinutes: 120, givenCentiHours: 300, servicesGiven: 1 })
        yield* store.addTotals(c, R("r-2"), 2026, { ...zero, receivedMinutes: 30, servicesReceived: 1 })
        yield* store.addTotals(c, R("r-2"), 2026, { ...zero, givenMinutes: -60, givenCentiHours: -150, servicesGiven: -1 })
        yield* store.addTotals(c, R("r-1"), 2026, { ...zero, givenMinutes: 10, givenCentiHours: 17, servicesGiven: 1 })
        yield* store.addTotals(c, R("r-2"), 2025, { ...zero, givenMinutes: 5, givenCentiHours: 8, servicesGiven: 1 })
        yield* store.addTotals(d, R("r-2"), 2026, { ...zero, givenMinutes: 999, givenCentiHours: 999, servicesGiven: 9 })
        const r2 = Option.getOrThrow(yield* store.getTotals(c, R("r-2"), 2026))
        expect({ ...r2 }).toStrictEqual({
          communityId: c,
          residentId: "r-2",
          year: 2026,
          givenMinutes: 60,
          givenCentiHours: 150,
          servicesGiven: 0,
          receivedMinutes: 30,
          servicesReceived: 1
        })
        expect((yield* store.listTotals(c, 2026)).map((t) => [t.residentId, t.givenMinutes])).toStrictEqual([["r-1", 10], ["r-2", 60]])
        expect((yield* store.listTotals(c, 2025)).map((t) => [t.residentId, t.givenMinutes])).toStrictEqual([["r-2", 5]])
        expect(yield* store.listTotals(c, 2024)).toStrictEqual([])
        expect(yield* store.getTotals(c, R("r-3"), 2026)).toStrictEqual(Option.none())
      }), timeout)

    it.effect("writes inside a failed transaction are undone", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const store = yield* TimeBank.TimeBankStore
        const tx = yield* Transaction
        const s = service(c, "svc-1", { idempotencyKey: "k" })
        yield* store.insertService(s)
        const failed = yield* Effect.exit(
          tx.run(
            Effect.gen(function* () {
              yield* store.insertService(service(c, "svc-2", { idempotencyKey: "k2" }))
              yield* store.updateService(new TimeBank.ServiceRecord({ ...s, status: "credited", version: 2 }))
              yield* store.addTotals(c, R("r-1"), 2026, { ...zero, givenMinutes: 60 })
              yield* store.upsertServiceType(
                new TimeBank.ServiceType({ communityId: c, code: "x", name: { "zh-CN": "x", en: "x" }, multiplierPermille: 1, active: true, updatedAt: 1 })
              )
              return yield* Effect.fail("boom" as const)
            })
          )
        )
        expect(Exit.isFailure(failed)).toBe(true)
        expect(yield* store.getService(c, TimeBank.ServiceId.make("svc-2"))).toStrictEqual(Option.none())
        expect(yield* store.findServiceByKey(c, "k2")).toStrictEqual(Option.none())
        expect(Option.getOrThrow(yield* store.getService(c, s.id))).toStrictEqual(s)
        expect(yield* store.getTotals(c, R("r-1"), 2026)).toStrictEqual(Option.none())
        expect(yield* store.listServiceTypes(c)).toStrictEqual([])
      }), timeout)

    it.effect("through the commands: a confirmed service, a family transfer, and failures that change nothing", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const snapshot = generateCommunity({ seed: 11, communityId: c, buildings: 1, floors: 3 })
        yield* options.loadDirectory(snapshot)
        const ownerR = snapshot.residents.find((r) => r.kind === "owner" && r.family.some((l) => l.relation === "spouse"))!
        const spouseId = ownerR.family.find((l) => l.relation === "spouse")!.relativeId
        const other = snapshot.residents.find((r) => r.family.length === 0 && r.householdId !== ownerR.householdId)!
        const actor = (id: ResidentId) => new ResidentActor({ communityId: c, residentId: id })
        const treasurer = new StaffActor({ communityId: c, staffId: StaffId.make("s-treasurer"), roles: [Role.make("treasurer")], departments: [] })
        const { service: s } = yield* TimeBank.recordService(actor(ownerR.id), {
          communityId: c,
          providerId: ownerR.id,
          recipientId: other.id,
          serviceType: "elderly-care",
          minutes: 120,
          idempotencyKey: "visit-1"
        })
        const replay = yield* TimeBank.recordService(actor(ownerR.id), {
          communityId: c,
          providerId: ownerR.id,
          recipientId: other.id,
          serviceType: "elderly-care",
          minutes: 120,
          idempotencyKey: "visit-1"
        })
        expect(replay.replayed).toBe(true)
        expect(replay.service.id).toBe(s.id)
        expect(failureTag(yield* Effect.exit(TimeBank.confirmService(actor(spouseId), { communityId: c, serviceId: s.id })))).toBe("NotServiceRecipient")
        const confirmed = yield* TimeBank.confirmService(actor(other.id), { communityId: c, serviceId: s.id })
        expect(confirmed).toMatchObject({ status: "credited", centiHours: 300, version: 2 })
        expect(failureTag(yield* Effect.exit(TimeBank.confirmService(actor(other.id), { communityId: c, serviceId: s.id })))).toBe("AlreadyConfirmed")
        const bal = (id: ResidentId) =>
          Effect.map(TimeBank.balance(treasurer, c, { _tag: "Resident", residentId: id }), (b) => b.balance)
        yield* TimeBank.transfer(actor(ownerR.id), { communityId: c, fromResidentId: ownerR.id, toResidentId: spouseId, centiHours: 100, idempotencyKey: "t-1" })
        yield* TimeBank.transfer(actor(ownerR.id), { communityId: c, fromResidentId: ownerR.id, toResidentId: spouseId, centiHours: 100, idempotencyKey: "t-1" })
        expect([yield* bal(ownerR.id), yield* bal(spouseId)]).toStrictEqual([200, 100])
        expect(failureTag(yield* Effect.exit(
          TimeBank.transfer(actor(ownerR.id), { communityId: c, fromResidentId: ownerR.id, toResidentId: other.id, centiHours: 10 })
        ))).toBe("NotFamilyMember")
        expect(failureTag(yield* Effect.exit(
          TimeBank.transfer(actor(ownerR.id), { communityId: c, fromResidentId: ownerR.id, toResidentId: spouseId, centiHours: 201 })
        ))).toBe("InsufficientBalance")
        expect([yield* bal(ownerR.id), yield* bal(spouseId), yield* bal(other.id)]).toStrictEqual([200, 100, 0])
        const store = yield* TimeBank.TimeBankStore
        expect(Option.getOrThrow(yield* store.getService(c, s.id))).toStrictEqual(confirmed)
        expect(Option.getOrThrow(yield* store.getTotals(c, ownerR.id, confirmed.year))).toMatchObject({ givenMinutes: 120, givenCentiHours: 300, servicesGiven: 1 })
        expect(Option.getOrThrow(yield* store.getTotals(c, other.id, confirmed.year))).toMatchObject({ receivedMinutes: 120, servicesReceived: 1 })
        // Bulk reads: one call for many residents, equal to the single reads, in the order asked.
        const nobody = R("r-nobody")
        const ids = [spouseId, nobody, other.id, ownerR.id]
        const many = yield* TimeBank.balances(treasurer, { communityId: c, residentIds: ids })
        const single: Array<TimeBank.BalanceView> = []
        for (const id of ids) single.push(yield* TimeBank.balance(treasurer, c, { _tag: "Resident", residentId: id }))
        expect(many).toStrictEqual(single)
        expect(many.map((b) => b.balance)).toStrictEqual([100, 0, 0, 200])
        expect((yield* store.getTotalsMany(c, [other.id, nobody, ownerR.id], confirmed.year)).map((t) => t.residentId))
          .toStrictEqual([other.id, ownerR.id].sort())
        expect(yield* store.getTotalsMany(c, [], confirmed.year)).toStrictEqual([])
        expect(yield* store.getTotalsMany(freshCommunityId(), [ownerR.id], confirmed.year)).toStrictEqual([])
        const totals = yield* TimeBank.totalsOf(treasurer, { communityId: c, residentIds: ids, year: confirmed.year })
        const singleTotals: Array<TimeBank.ResidentYearTotals> = []
        for (const id of ids) singleTotals.push(yield* TimeBank.residentHours(treasurer, c, id, confirmed.year))
        expect(totals.map((t) => ({ ...t }))).toStrictEqual(singleTotals.map((t) => ({ ...t })))
        // A resident reads only their own; another community's staff nothing.
        expect((yield* TimeBank.balances(actor(ownerR.id), { communityId: c, residentIds: [ownerR.id] }))[0]!.balance).toBe(200)
        expect(failureTag(yield* Effect.exit(TimeBank.balances(actor(ownerR.id), { communityId: c, residentIds: [ownerR.id, spouseId] })))).toBe("Forbidden")
        expect(failureTag(yield* Effect.exit(TimeBank.totalsOf(treasurer, { communityId: freshCommunityId(), residentIds: [ownerR.id], year: 2026 })))).toBe("Forbidden")
      }), timeout)
  })
}
