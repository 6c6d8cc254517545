import { CommunityId, Gongzhi, ResidentActor, StaffActor, StaffId, Role, TimeBank } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer, ManagedRuntime } from "effect"
import { measure, ratio, report, section } from "./harness.js"

export const timeBankBench = async (): Promise<void> => {
  section("timebank: pure rules")
  const M = 10_000_000
  const creditRule = await measure("creditFor (round-half-up minutes × permille / 600)", () => {
    let sum = 0
    for (let i = 0; i < M; i++) sum += TimeBank.creditFor(1 + (i % 720), 1000 + (i % 3) * 500)
    return sum > 0 ? M : 0
  })
  report(creditRule)

  section("timebank: commands on the memory store")
  const c = CommunityId.make("bench-timebank")
  const community = generateCommunity({ seed: 5, communityId: c })
  const runtime = ManagedRuntime.make(Layer.mergeAll(Gongzhi.layer(), MemoryStore.layer({ directory: [community] })))
  const owner = community.residents.find((r) => r.kind === "owner" && r.family.some((l) => l.relation === "spouse"))!
  const spouseId = owner.family.find((l) => l.relation === "spouse")!.relativeId
  const recipients = community.residents.filter((r) => r.householdId !== owner.householdId).slice(0, 50)
  const as = (id: typeof owner.id) => new ResidentActor({ communityId: c, residentId: id })
  const clerk = new StaffActor({ communityId: c, staffId: StaffId.make("s-clerk"), roles: [Role.make("clerk")], departments: [] })

  const N = 5_000
  const recordConfirm = await measure("recordService + confirmService (one pair = one op)", () =>
    runtime.runPromise(Effect.gen(function* () {
      for (let i = 0; i < N; i++) {
        const recipient = recipients[i % recipients.length]!
        const { service } = yield* TimeBank.recordService(as(owner.id), {
          communityId: c, providerId: owner.id, recipientId: recipient.id, serviceType: "elderly-care", minutes: 60
        })
        yield* TimeBank.confirmService(i % 2 === 0 ? as(recipient.id) : clerk, { communityId: c, serviceId: service.id })
      }
      return N
    })))
  report(recordConfirm)

  const T = 10_000
  const transfers = await measure("transfer to a family member (with idempotency key)", () =>
    runtime.runPromise(Effect.gen(function* () {
      for (let i = 0; i < T; i++) {
        const [from, to] = i % 2 === 0 ? [owner.id, spouseId] : [spouseId, owner.id]
        yield* TimeBank.transfer(as(from), { communityId: c, fromResidentId: from, toResidentId: to, centiHours: 10, idempotencyKey: `t-${i}` })
      }
      return T
    })))
  report(transfers)
  const replays = await measure("transfer replay (same idempotency key, no change)", () =>
    runtime.runPromise(Effect.gen(function* () {
      for (let i = 0; i < T; i++) {
        const [from, to] = i % 2 === 0 ? [owner.id, spouseId] : [spouseId, owner.id]
        yield* TimeBank.transfer(as(from), { communityId: c, fromResidentId: from, toResidentId: to, centiHours: 10, idempotencyKey: `t-${i}` })
      }
      return T
    })))
  report(replays)
  ratio("pure creditFor per second / record+confirm pairs per second", creditRule, recordConfirm)
  await runtime.dispose()
}
