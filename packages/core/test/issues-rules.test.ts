import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { chinaCalendarData, type DepartmentId, isWorkdayIn, Issues, type LocalDate, workdaysBetween } from "../src/index.js"

const {
  caseCommands,
  caseRoles,
  caseStatuses,
  defaultCatalogue,
  defaultIssuesSettings,
  guard
} = Issues

// ---------------------------------------------------------------------------
// The transition matrix, transcribed from the lifecycle in docs/issues.md:
// command -> statuses it runs from, roles that may run it.
// ---------------------------------------------------------------------------
const S = {
  sub: "submitted",
  acc: "accepted",
  dis: "dispatched",
  sig: "signed-for",
  inp: "in-progress",
  ans: "answered",
  fol: "follow-up",
  clo: "closed"
} as const
const st = (codes: string) => codes.split(" ").map((c) => S[c as keyof typeof S])
const expected: Record<Issues.CaseCommand, readonly [ReadonlyArray<string>, string, string]> = {
  // command: [from, roles, to ("=" for same)]
  accept: [st("sub"), "clerk dispatcher admin system", "accepted"],
  reject: [st("sub acc"), "clerk dispatcher admin", "closed"],
  dispatch: [st("acc"), "dispatcher admin system", "dispatched"],
  return: [st("dis sig"), "lead-handler admin", "accepted"],
  assign: [st("dis sig inp"), "dispatcher lead-handler admin", "="],
  signFor: [st("dis"), "lead-handler admin", "signed-for"],
  start: [st("sig"), "lead-handler admin", "in-progress"],
  note: [st("sub acc dis sig inp ans fol clo"), "reporter follower clerk dispatcher lead-handler handler mediator admin system", "="],
  pause: [st("acc dis sig inp"), "dispatcher lead-handler admin", "="],
  resume: [st("acc dis sig inp"), "reporter dispatcher lead-handler admin", "="],
  requestExtension: [st("sig inp"), "lead-handler admin", "="],
  decideExtension: [st("sig inp"), "dispatcher admin", "="],
  changeType: [st("sub acc dis sig inp"), "clerk dispatcher admin", "="],
  answer: [st("inp"), "lead-handler admin", "answered"],
  followUp: [st("ans fol"), "reporter clerk dispatcher admin system", "follow-up"],
  close: [st("ans fol"), "clerk dispatcher admin system", "closed"],
  reopen: [st("ans fol clo"), "reporter dispatcher admin", "dispatched"],
  markDuplicate: [st("sub acc dis sig inp"), "clerk dispatcher admin", "closed"],
  follow: [st("sub acc dis sig inp ans fol"), "resident follower", "="],
  mediate: [st("inp"), "mediator lead-handler admin", "="]
}

describe("issues rules: transition guard", () => {
  it("covers every state x command x role as the lifecycle says", () => {
    let checked = 0
    for (const status of caseStatuses) {
      for (const command of caseCommands) {
        for (const role of caseRoles) {
          const [from, roles, to] = expected[command]
          const roleOk = roles.split(" ").includes(role)
          const verdict = guard(status, command, [role])
          if (!roleOk) expect(verdict, `${status} ${command} ${role}`).toEqual({ ok: false, reason: "role" })
          else if (!from.includes(status)) expect(verdict, `${status} ${command} ${role}`).toEqual({ ok: false, reason: "status" })
          else expect(verdict, `${status} ${command} ${role}`).toEqual({ ok: true, to: to === "=" ? status : to })
          checked++
        }
      }
    }
    expect(checked).toBe(8 * 20 * 12)
  })

  it("auditors and committee members change nothing; nobody acts on a closed case but notes and reopen", () => {
    for (const status of caseStatuses) {
      for (const command of caseCommands) {
        expect(guard(status, command, ["auditor"]).ok).toBe(false)
        expect(guard(status, command, ["committee"]).ok).toBe(false)
        if (status === "closed" && command !== "note" && command !== "reopen") {
          for (const role of caseRoles) expect(guard(status, command, [role]).ok).toBe(false)
        }
      }
    }
  })

  it("a staff member with several roles is allowed when any role is", () => {
    expect(guard("dispatched", "signFor", ["dispatcher", "lead-handler"]).ok).toBe(true)
    expect(guard("dispatched", "signFor", ["dispatcher", "handler"])).toEqual({ ok: false, reason: "role" })
  })

  it("derives case roles from the actor and the case", () => {
    const c = { reporter: { residentId: "r-1" as never }, followers: ["r-2" as never], lead: "dept-property" as DepartmentId }
    expect(Issues.caseRolesOf({ kind: "resident", residentId: "r-1" }, c)).toEqual(["reporter"])
    expect(Issues.caseRolesOf({ kind: "resident", residentId: "r-2" }, c)).toEqual(["follower"])
    expect(Issues.caseRolesOf({ kind: "resident", residentId: "r-3" }, c)).toEqual(["resident"])
    expect(Issues.caseRolesOf({ kind: "staff", roles: ["handler"], departments: ["dept-property"] }, c)).toEqual(["lead-handler"])
    expect(Issues.caseRolesOf({ kind: "staff", roles: ["handler"], departments: ["dept-sanitation"] }, c)).toEqual(["handler"])
    expect(Issues.caseRolesOf({ kind: "staff", roles: ["dispatcher", "admin"], departments: [] }, c)).toEqual(["dispatcher", "admin"])
    expect(Issues.caseRolesOf({ kind: "system" }, c)).toEqual(["system"])
  })
})

describe("issues rules: status from the timeline", () => {
  it("derives status step by step and ignores non-lifecycle steps", () => {
    const kinds = (ks: string) => ks.split(" ").map((kind) => ({ kind: kind as Issues.StepKind }))
    expect(Issues.deriveStatus(kinds("submitted"))).toBe("submitted")
    expect(Issues.deriveStatus(kinds("submitted accepted dispatched note paused"))).toBe("dispatched")
    expect(Issues.deriveStatus(kinds("submitted accepted dispatched returned"))).toBe("accepted")
    expect(Issues.deriveStatus(kinds("submitted accepted dispatched signed-for started answered followed-up closed"))).toBe("closed")
    expect(Issues.deriveStatus(kinds("submitted accepted dispatched signed-for started answered closed reopened"))).toBe("dispatched")
    expect(Issues.deriveStatus(kinds("submitted merged"))).toBe("closed")
    expect(Issues.derivePaused(kinds("submitted accepted paused"))).toBe(true)
    expect(Issues.derivePaused(kinds("submitted accepted paused note resumed"))).toBe(false)
  })

  it("notes never change the derived status (property)", () => {
    const lifecycle: ReadonlyArray<Issues.StepKind> = ["submitted", "accepted", "dispatched", "returned", "signed-for", "started", "answered", "followed-up", "closed", "reopened"]
    const quiet: ReadonlyArray<Issues.StepKind> = ["note", "paused", "resumed", "assigned", "extension-requested", "mediation-session", "follower-added"]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lifecycle), { maxLength: 12 }), fc.array(fc.tuple(fc.nat(12), fc.constantFrom(...quiet)), { maxLength: 8 }), (steps, inserts) => {
        const withNotes = [...steps.map((kind) => ({ kind }))]
        for (const [at, kind] of inserts) withNotes.splice(Math.min(at, withNotes.length), 0, { kind })
        expect(Issues.deriveStatus(withNotes)).toBe(Issues.deriveStatus(steps.map((kind) => ({ kind }))))
      })
    )
  })
})

describe("issues rules: deadlines", () => {
  it("counts 7 working days across Golden Week 2026 in both conventions", () => {
    // Received Wednesday 30 Sep 2026. 1-7 Oct off (1, 2, 5, 6, 7 holidays + weekend), Sat 10 Oct a make-up workday.
    // Working days after 30 Sep: 8, 9, 10, 12, 13, 14, 15 Oct.
    expect(Issues.dueDateIn(chinaCalendarData, "2026-09-30", 7, "next-day")).toBe("2026-10-15")
    expect(Issues.dueDateIn(chinaCalendarData, "2026-09-30", 7, "receipt-day")).toBe("2026-10-14")
    // Received on a holiday: both conventions start on the first working day, 8 Oct.
    expect(Issues.dueDateIn(chinaCalendarData, "2026-10-03", 7, "next-day")).toBe("2026-10-15")
    expect(Issues.dueDateIn(chinaCalendarData, "2026-10-03", 7, "receipt-day")).toBe("2026-10-15")
    expect(Issues.dueDateIn(chinaCalendarData, "2026-10-03", 1, "receipt-day")).toBe("2026-10-08")
    // Friday 25 Sep (Mid-autumn) is off, Sunday 20 Sep a make-up workday.
    expect(Issues.dueDateIn(chinaCalendarData, "2026-09-18", 2, "next-day")).toBe("2026-09-21")
    expect(Issues.dueDateIn(chinaCalendarData, "2026-09-19", 1, "next-day")).toBe("2026-09-20")
    expect(Issues.dueDateIn(chinaCalendarData, "2026-12-28", 7, "next-day")).toBeUndefined()
  })

  it("receipt-day is never later than next-day, and equal when received on a day off (property)", () => {
    const start = Date.UTC(2025, 0, 1)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 20 }), (offset, n) => {
        const date = new Date(start + offset * 86_400_000).toISOString().slice(0, 10)
        const next = Issues.dueDateIn(chinaCalendarData, date, n, "next-day")!
        const receipt = Issues.dueDateIn(chinaCalendarData, date, n, "receipt-day")!
        expect(receipt <= next).toBe(true)
        if (isWorkdayIn(chinaCalendarData, date) === false) expect(receipt).toBe(next)
        else expect(workdaysBetween(chinaCalendarData, receipt, next)).toBe(1)
      })
    )
  })

  it("end of day in Shanghai is 16:00 UTC", () => {
    expect(Issues.endOfLocalDay("2026-10-15" as LocalDate, "Asia/Shanghai")).toBe(Date.parse("2026-10-15T16:00:00Z"))
    expect(Issues.nextCalendarDay("2026-12-31" as LocalDate)).toBe("2027-01-01")
  })

  const deadline = (warnAt: number, dueAt: number, extra: Partial<Issues.Deadline> = {}): Issues.Deadline => ({
    unit: "hours", amount: 1, dueAt, warnAt, warned: false, breached: false, ...extra
  })
  const caseAt = (response: Issues.Deadline, resolution: Issues.Deadline) => ({ status: "dispatched" as const, response, resolution })

  it("emits each warning and breach once, a deadline's warning before its breach", () => {
    const c = caseAt(deadline(10, 20), deadline(30, 40))
    expect(Issues.nextDueAt(c)).toBe(10)
    const early = Issues.dueSignals(c, 5)
    expect(early.signals).toEqual([])
    const all = Issues.dueSignals(c, 100)
    expect(all.signals.map((s) => `${s.deadline}:${s.kind}`)).toEqual([
      "response:warning", "response:breach", "resolution:warning", "resolution:breach"
    ])
    const after = { ...c, response: all.response, resolution: all.resolution }
    expect(Issues.dueSignals(after, 1000).signals).toEqual([])
    expect(Issues.nextDueAt(after)).toBeUndefined()
  })

  it("never signals met, paused or closed cases", () => {
    expect(Issues.dueSignals(caseAt(deadline(1, 2, { metAt: 1 }), deadline(1, 2, { metAt: 1 })), 10).signals).toEqual([])
    expect(Issues.dueSignals({ ...caseAt(deadline(1, 2), deadline(1, 2)), pausedAt: 0 }, 10).signals).toEqual([])
    expect(Issues.dueSignals({ ...caseAt(deadline(1, 2), deadline(1, 2)), status: "closed" }, 10).signals).toEqual([])
    expect(Issues.nextDueAt({ ...caseAt(deadline(1, 2), deadline(1, 2)), pausedAt: 0 })).toBeUndefined()
  })

  it("scanning in any sequence of instants emits the same signals as one late scan (property)", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(100), fc.nat(100), fc.nat(100), fc.nat(100)),
        fc.array(fc.nat(500), { maxLength: 6 }),
        ([a, b, x, y], scans) => {
          const c0 = caseAt(deadline(a, a + b), deadline(x, x + y))
          let c: { status: "dispatched"; response: Issues.Deadline; resolution: Issues.Deadline } = c0
          const seen: Array<string> = []
          for (const now of [...scans].sort((p, q) => p - q).concat([1000])) {
            const r = Issues.dueSignals(c, now)
            seen.push(...r.signals.map((s) => `${s.deadline}:${s.kind}`))
            c = { ...c, response: r.response, resolution: r.resolution }
          }
          expect([...seen].sort()).toEqual(["resolution:breach", "resolution:warning", "response:breach", "response:warning"])
          for (const d of ["response", "resolution"]) expect(seen.indexOf(`${d}:warning`)).toBeLessThan(seen.indexOf(`${d}:breach`))
        }
      )
    )
  })
})

describe("issues rules: reports, routing, duplicates", () => {
  const type = (id: string) => defaultCatalogue.types.find((t) => t.id === id)!
  const photo = (mimeType = "image/jpeg", sizeBytes = 1000) => ({ ref: "s3://a/b.jpg", mimeType, sizeBytes, sha256: "a".repeat(64) })

  it("blocks on a blocking answer with guidance, before any other problem", () => {
    const r = Issues.checkReport(type("gas-smell"), { attributes: { danger: true, bogus: 1 }, photos: [], anonymous: true }, defaultIssuesSettings.photoPolicy)
    expect(r).toMatchObject({ ok: false, blocked: { attribute: "danger" } })
    expect(Issues.checkReport(type("gas-smell"), { attributes: { danger: false }, photos: [], anonymous: false }, defaultIssuesSettings.photoPolicy)).toEqual({ ok: true, anonymous: false })
  })

  it("validates every attribute, photo and the anonymity rule at once", () => {
    const r = Issues.checkReport(
      type("water-leak"),
      { attributes: { where: "garden", extra: "x" }, photos: [photo("application/pdf"), photo("image/png", 50 * 1024 * 1024)], anonymous: true },
      defaultIssuesSettings.photoPolicy
    )
    expect(r.ok).toBe(false)
    const paths = "issues" in r ? r.issues.map((i) => i.path).sort() : []
    expect(paths).toEqual(["anonymous", "attributes.extra", "attributes.near-electricity", "attributes.where", "photos.0.mimeType", "photos.1.sizeBytes"])
    expect(Issues.checkReport(type("street-light"), { attributes: { "lights-out": 99, "pole-number": "A 1" }, photos: [], anonymous: false }, defaultIssuesSettings.photoPolicy)).toMatchObject({ ok: false })
    expect(Issues.checkReport(type("noise"), { attributes: { when: ["night", "evening"], recurring: true }, photos: [], anonymous: false }, defaultIssuesSettings.photoPolicy)).toEqual({ ok: true, anonymous: true })
    expect(Issues.checkReport(type("noise"), { attributes: { when: ["night", "night"] }, photos: [], anonymous: false }, defaultIssuesSettings.photoPolicy).ok).toBe(false)
    expect(Issues.checkReport(type("dog-waste"), { attributes: { "seen-at": "yesterday" }, photos: [], anonymous: false }, defaultIssuesSettings.photoPolicy).ok).toBe(false)
  })

  it("routes first match wins on area x type, else to the fallback queue", () => {
    const catalogue: Issues.Catalogue = {
      ...defaultCatalogue,
      routing: [
        { buildings: ["b-2" as never], groups: ["facilities"], lead: "dept-contractor" as DepartmentId, assisting: [], handler: "s-x" as never },
        ...defaultCatalogue.routing
      ]
    }
    expect(Issues.route(catalogue, type("street-light"), { buildingId: "b-2" as never }).lead).toBe("dept-contractor")
    expect(Issues.route(catalogue, type("street-light"), { buildingId: "b-2" as never }).handler).toBe("s-x")
    expect(Issues.route(catalogue, type("street-light"), { buildingId: "b-1" as never }).lead).toBe("dept-property")
    expect(Issues.route(catalogue, type("occupied-space"), { point: { lat: 31, lng: 121 } })).toEqual({ lead: "dept-security", assisting: ["dept-sanitation"] })
    expect(Issues.route(catalogue, type("suggestion"), { point: { lat: 31, lng: 121 } })).toEqual(defaultCatalogue.fallback)
  })

  it("finds nearby open cases of the same type, nearest first", () => {
    const base = { typeId: "street-light", status: "dispatched", duplicateOf: undefined } as const
    const at = (lat: number, lng: number) => ({ point: { lat, lng } })
    const cases = [
      { ...base, id: "far", location: at(31.2010, 121.4) },
      { ...base, id: "near", location: at(31.20005, 121.4) },
      { ...base, id: "closed", status: "closed" as const, location: at(31.2, 121.4) },
      { ...base, id: "other-type", typeId: "noise", location: at(31.2, 121.4) },
      { ...base, id: "same-building", location: { buildingId: "b-1" as never } }
    ]
    expect(Issues.potentialDuplicates(cases as unknown as ReadonlyArray<Issues.IssueCase>, "street-light", at(31.2, 121.4), 50).map((c) => c.id)).toEqual(["near"])
    expect(Issues.potentialDuplicates(cases as unknown as ReadonlyArray<Issues.IssueCase>, "street-light", at(31.2, 121.4), 200).map((c) => c.id)).toEqual(["near", "far"])
    expect(Issues.potentialDuplicates(cases as unknown as ReadonlyArray<Issues.IssueCase>, "street-light", { buildingId: "b-1" as never }, 50).map((c) => c.id)).toEqual(["same-building"])
    expect(Math.round(Issues.distanceMeters({ lat: 31.2, lng: 121.4 }, { lat: 31.201, lng: 121.4 }))).toBe(111)
  })
})

describe("issues rules: mediation ladder", () => {
  const round = (tier: Issues.MediationTier, outcome?: Issues.MediationOutcome): Issues.MediationRound => ({
    tier, openedAt: 0, sessions: [{ at: 0, participants: ["a"] }], ...(outcome === undefined ? {} : { outcome: { kind: outcome, at: 1 } })
  })
  const size = { min: 5, max: 7 }
  it("needs a 5-7 stakeholder group at the first tier", () => {
    expect(Issues.checkSession([], 4, size)).toBe("group-size")
    expect(Issues.checkSession([], 8, size)).toBe("group-size")
    expect(Issues.checkSession([], 5, size)).toBeUndefined()
    expect(Issues.checkSession([round("stakeholder-group", "escalate"), { ...round("residents-council"), sessions: [] }], 20, size)).toBeUndefined()
    expect(Issues.checkSession([round("stakeholder-group", "agreement")], 6, size)).toBe("outcome-recorded")
  })
  it("escalates only upward and only after an escalate outcome", () => {
    const tiers = Issues.mediationTiers
    for (const [i, from] of tiers.entries()) {
      expect(Issues.checkEscalation([round(from)], tiers[Math.min(i + 1, 3)]!)).toBe("no-outcome")
      expect(Issues.checkEscalation([round(from, "agreement")], tiers[Math.min(i + 1, 3)]!)).toBe("no-escalate-outcome")
      for (const [j, to] of tiers.entries()) {
        expect(Issues.checkEscalation([round(from, "escalate")], to)).toBe(j > i ? undefined : "not-upward")
      }
    }
    expect(Issues.checkOutcome([])).toBe("no-session")
    expect(Issues.checkOutcome([round("legal-advisor", "withdrawn")])).toBe("outcome-recorded")
  })
  it("counts dispute resolution per tier", () => {
    const figures = Issues.disputeFigures([
      { mediation: [round("stakeholder-group", "agreement")] },
      { mediation: [round("stakeholder-group", "escalate"), round("residents-council", "agreement")] },
      { mediation: [round("stakeholder-group", "escalate"), round("residents-council", "escalate"), round("street-judicial-office")] }
    ])
    expect(figures.map((f) => [f.tier, f.reached, f.agreements, f.resolution.rate])).toEqual([
      ["stakeholder-group", 3, 1, 1 / 3],
      ["residents-council", 2, 1, 1 / 2],
      ["legal-advisor", 0, 0, undefined],
      ["street-judicial-office", 1, 0, undefined]
    ])
  })
})

describe("issues rules: Open311", () => {
  it("maps the catalogue to services and service definitions", () => {
    const services = Issues.open311Services(defaultCatalogue, "en")
    expect(services.map((s) => s.service_code)).toEqual(defaultCatalogue.types.map((t) => t.id))
    expect(services.find((s) => s.service_code === "garbage")!.metadata).toBe(false)
    const def = Issues.open311ServiceDefinition(defaultCatalogue.types.find((t) => t.id === "water-leak")!, "en")
    expect(def.attributes.map((a) => [a.code, a.datatype, a.required])).toEqual([
      ["where", "singlevaluelist", true],
      ["near-electricity", "singlevaluelist", true]
    ])
    expect(def.attributes[1]!.values).toEqual([{ key: "true", name: "Yes" }, { key: "false", name: "No" }])
  })

  it("reads a GeoReport POST payload, keeping contact apart", () => {
    const r = Issues.fromOpen311Post(
      {
        service_code: "water-leak",
        lat: 31.2,
        long: 121.4,
        address_string: "1号楼东侧",
        description: "  管道漏水 ",
        phone: "13812345678",
        first_name: "三",
        last_name: "张",
        media_url: "https://img.example/1.jpg",
        "attribute[where]": "pipe",
        "attribute[near-electricity]": "false"
      },
      defaultCatalogue
    )
    expect(r).toEqual({
      ok: true,
      report: {
        typeId: "water-leak",
        location: { point: { lat: 31.2, lng: 121.4 }, address: "1号楼东侧" },
        description: "管道漏水",
        attributes: { where: "pipe", "near-electricity": false },
        contact: { name: "张三", phone: "13812345678" }
      },
      mediaUrl: "https://img.example/1.jpg"
    })
    const bad = Issues.fromOpen311Post({ service_code: "nope", "attribute[x]": "1" }, defaultCatalogue)
    expect(bad.ok).toBe(false)
  })

  it("formats instants with the zone's offset", () => {
    expect(Issues.isoInZone(Date.parse("2026-10-09T02:03:04Z"))).toBe("2026-10-09T10:03:04+08:00")
    expect(Issues.isoInZone(Date.parse("2026-10-09T02:03:04Z"), "UTC")).toBe("2026-10-09T02:03:04+00:00")
  })
})

describe("issues rules: figures", () => {
  const dl = (dueAt: number, metAt?: number): Issues.Deadline => ({ unit: "hours", amount: 1, dueAt, warnAt: dueAt, warned: false, breached: false, ...(metAt === undefined ? {} : { metAt }) })
  const mk = (over: Partial<Issues.IssueCase>): Issues.IssueCase => ({
    communityId: "c" as never, id: "x" as never, number: "2026-000001", typeId: "street-light" as never, priority: "normal", status: "dispatched",
    channel: "app", location: { buildingId: "b-1" as never }, description: "d", photos: [], attributes: {}, anonymous: false, reporter: {},
    followers: [], assisting: [], returns: 0, receivedAt: 0, response: dl(10), resolution: dl(100), publicExpectedDate: "2026-01-01" as LocalDate,
    followUps: [], reopenCount: 0, mediation: [], timeline: [], createdAt: 0, updatedAt: 0, version: 1, lead: "dept-property" as DepartmentId, ...over
  })
  it("counts open overdue cases as late and leaves excluded types out of satisfaction", () => {
    const cases = [
      mk({ response: dl(10, 5), resolution: dl(100, 50), status: "closed", closure: { resolution: "fixed" }, followUps: [{ at: 1, reached: true, satisfaction: "satisfied" }] }),
      mk({ response: dl(10, 20), resolution: dl(100, 150), status: "closed", closure: { resolution: "unable-to-fix" }, followUps: [{ at: 1, reached: true, score: 2 }] }),
      mk({ resolution: dl(100) }), // open, overdue at now=200: late
      mk({ resolution: dl(300) }), // open, not yet due: not counted
      mk({ typeId: "noise" as never, lead: "dept-security" as DepartmentId, status: "closed", closure: { resolution: "fixed" }, resolution: dl(100, 10), followUps: [{ at: 1, reached: true, satisfaction: "dissatisfied" }] }),
      mk({ status: "closed", closure: { resolution: "duplicate" } })
    ]
    const [all] = Issues.caseFigures(cases, { now: 200, by: "all", catalogue: defaultCatalogue })
    expect(all!.cases).toBe(6)
    expect(all!.response).toEqual({ count: 2, of: 6, rate: 2 / 6 })
    expect(all!.onTime).toEqual({ count: 2, of: 4, rate: 0.5 })
    expect(all!.resolution).toEqual({ count: 2, of: 3, rate: 2 / 3 })
    expect(all!.satisfaction).toEqual({ count: 1, of: 2, rate: 0.5 })
    const byDept = Issues.caseFigures(cases, { now: 200, by: "department", catalogue: defaultCatalogue })
    expect(byDept.map((g) => [g.key, g.cases])).toEqual([["dept-property", 5], ["dept-security", 1]])
    const byMonth = Issues.caseFigures(cases, { now: 200, by: "month", catalogue: defaultCatalogue })
    expect(byMonth.map((g) => g.key)).toEqual(["1970-01"])
  })
})
