import {
  type DirectorySnapshot,
  drain,
  renderTemplate,
  ResidentActor,
  StaffActor,
  TimeBank
} from "@gongzhi/core"
import { MemoryInspector } from "@gongzhi/store-memory"
import { Clock, Effect } from "effect"
import { heading, line } from "../print.js"

const h = TimeBank.formatCentiHours

/** The time bank: a verified elderly-care service, a gift to a parent, hours and notifications. */
export const timeBankChapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const residents = community.residents
    const byId = new Map(residents.map((r) => [r.id as string, r]))
    // A volunteer who lives with a parent, and an elderly neighbour without a smartphone.
    const volunteer = residents.find((r) => r.kind === "owner" && r.family.some((l) => l.relation === "parent"))!
    const mother = byId.get(volunteer.family.find((l) => l.relation === "parent")!.relativeId)!
    const elder = residents.find((r) => r.prefersOffline && r.householdId !== volunteer.householdId && r.family.every((l) => l.relativeId !== volunteer.id))!
    const neighbour = residents.find((r) => r.kind === "tenant")!
    const as = (id: typeof volunteer.id) => new ResidentActor({ communityId: c, residentId: id })
    const clerkStaff = community.staff.find((s) => s.roles.includes("clerk" as never))!
    const clerk = new StaffActor({ communityId: c, staffId: clerkStaff.id, roles: clerkStaff.roles, departments: clerkStaff.departments })
    const balanceOf = (id: typeof volunteer.id) =>
      Effect.map(TimeBank.balance(as(id), c, { _tag: "Resident", residentId: id }), (b) => h(b.balance))

    heading("Time bank (时间银行): service types and multipliers")
    for (const t of yield* TimeBank.serviceTypes(as(volunteer.id), c)) {
      line(`${t.name["zh-CN"]} / ${t.name.en}: 1 h served = ${(t.multiplierPermille / 1000).toFixed(1)} h credit`)
    }

    heading("Time bank: a verified service (elderly care, 2 h)")
    const now = yield* Clock.currentTimeMillis
    const { service } = yield* TimeBank.recordService(as(volunteer.id), {
      communityId: c,
      providerId: volunteer.id,
      recipientId: elder.id,
      serviceType: "elderly-care",
      startedAt: now - 2 * 3_600_000,
      endedAt: now,
      note: "陪同就医 (accompanied to the clinic)",
      idempotencyKey: "demo-visit-1"
    })
    line(`${volunteer.name} records ${service.minutes} min of elderly care for ${elder.name} (${elder.id}): ${h(service.centiHours)} h pending`)
    line(`balance before confirmation: ${yield* balanceOf(volunteer.id)} h (nothing is credited until the person served confirms)`)
    const wrong = yield* Effect.flip(TimeBank.confirmService(as(neighbour.id), { communityId: c, serviceId: service.id }))
    line(`a neighbour tries to confirm it: [${wrong.code}] ${wrong.text["zh-CN"]}`)
    const confirmed = yield* TimeBank.confirmService(clerk, { communityId: c, serviceId: service.id })
    line(`${elder.name} has no smartphone; clerk ${clerkStaff.name} confirms at the service station (${confirmed.confirmedBy})`)
    line(`deposited ${h(confirmed.centiHours)} h -> ${volunteer.name}'s balance ${yield* balanceOf(volunteer.id)} h`)
    const again = yield* Effect.flip(TimeBank.confirmService(clerk, { communityId: c, serviceId: service.id }))
    line(`a second confirmation: [${again.code}] ${again.message}`)

    heading("Time bank: a gift to a parent (可转赠给父母)")
    // The parent has credit of their own from mediation; the gift must keep it.
    const { service: mediation } = yield* TimeBank.recordService(as(mother.id), {
      communityId: c,
      providerId: mother.id,
      recipientId: neighbour.id,
      serviceType: "mediation",
      minutes: 30
    })
    yield* TimeBank.confirmService(as(neighbour.id), { communityId: c, serviceId: mediation.id })
    line(`${mother.name} (${volunteer.name}'s parent) has ${yield* balanceOf(mother.id)} h from 30 min of mediation`)
    const gift = yield* TimeBank.giftToParent(as(volunteer.id), {
      communityId: c,
      fromResidentId: volunteer.id,
      toResidentId: mother.id,
      centiHours: 150,
      idempotencyKey: "demo-gift-1"
    })
    line(`${volunteer.name} gives 1.50 h to ${mother.name} in one ledger transaction (${gift.txId.slice(0, 12)}…)`)
    line(`balances now: ${volunteer.name} ${yield* balanceOf(volunteer.id)} h, ${mother.name} ${yield* balanceOf(mother.id)} h (1.00 + 1.50: the seed's code would have left 1.50)`)
    const replay = yield* TimeBank.giftToParent(as(volunteer.id), {
      communityId: c,
      fromResidentId: volunteer.id,
      toResidentId: mother.id,
      centiHours: 150,
      idempotencyKey: "demo-gift-1"
    })
    line(`the app retries the same request: replayed=${replay.replayed}, ${mother.name} still has ${yield* balanceOf(mother.id)} h`)
    const refused = yield* Effect.flip(TimeBank.giftToParent(as(volunteer.id), {
      communityId: c,
      fromResidentId: volunteer.id,
      toResidentId: neighbour.id,
      centiHours: 10
    }))
    line(`a gift to a neighbour: [${refused.code}] ${refused.text["zh-CN"]}`)

    heading("Time bank: statement, hours given and received, notifications")
    const st = yield* TimeBank.statement(as(volunteer.id), c, { _tag: "Resident", residentId: volunteer.id })
    for (const l of st.lines) line(`${l.kind.padEnd(18)} ${(l.amount > 0 ? "+" : "") + h(l.amount)} h -> ${h(l.balanceAfter)} h`)
    const year = confirmed.year
    const given = yield* TimeBank.residentHours(as(volunteer.id), c, volunteer.id, year)
    const received = yield* TimeBank.residentHours(as(elder.id), c, elder.id, year)
    line(`${year}: ${volunteer.name} gave ${h(Math.round((given.givenMinutes * 100) / 60))} h (credit ${h(given.givenCentiHours)} h); ${elder.name} received ${h(Math.round((received.receivedMinutes * 100) / 60))} h`)
    const figure = yield* TimeBank.annualVolunteerHours(as(volunteer.id), c, year)
    line(`community ${year}: ${h(Math.round((figure.totalMinutes * 100) / 60))} volunteer hours over ${figure.residents} residents = ${h(figure.perResidentCentiHours)} h each (target: over ${figure.targetMinutesPerResident / 60} h) -> ${figure.meetsTarget ? "met" : "not yet"}`)
    yield* drain(TimeBank.timeBankNotifications, c)
    const sent = (yield* MemoryInspector).outbox().filter((m) => m.templateId.startsWith("timebank."))
    for (const m of sent) {
      const to = m.recipient._tag === "Resident" ? byId.get(m.recipient.residentId)?.name ?? m.recipient.residentId : m.recipient.staffId
      const template = TimeBank.timeBankTemplates[m.templateId as keyof typeof TimeBank.timeBankTemplates]
      line(`→ ${to}: ${renderTemplate(template[m.locale], m.params)}`)
    }
  })
