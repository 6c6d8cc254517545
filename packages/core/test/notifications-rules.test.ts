import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { checkPermission, CommunityId, ResidentActor, ResidentId, Role, StaffActor, StaffId, SystemActor } from "../src/index.js"
import { Notifications } from "../src/index.js"

const { admit, backoffDelay, localDayStart, parseReply, quietUntil } = Notifications
const MIN = 60_000
const DAY = 24 * 60 * MIN
const CN = 480
const C = CommunityId.make("c-notify")
const prefs = (o: Partial<Notifications.Preferences> = {}) =>
  new Notifications.Preferences({ ...Notifications.defaultPreferences(C, ResidentId.make("r1")), ...o })

describe("quiet hours", () => {
  it("21:00-08:00 Beijing: quiet from 21:00 to 07:59, released at the next 08:00", () => {
    const at = (h: number, m = 0) => Date.UTC(2026, 11, 1, h - 8, m) // Beijing time on 2026-12-01
    const w = Notifications.defaultQuietHours
    expect(quietUntil(at(20, 59), w, CN)).toBeUndefined()
    expect(quietUntil(at(21, 0), w, CN)).toBe(at(32, 0)) // 08:00 next day
    expect(quietUntil(at(23, 30), w, CN)).toBe(at(32, 0))
    expect(quietUntil(at(7, 59), w, CN)).toBe(at(8, 0))
    expect(quietUntil(at(8, 0), w, CN)).toBeUndefined()
    expect(quietUntil(at(23), null, CN)).toBeUndefined()
    expect(quietUntil(at(13), { start: 12 * 60, end: 14 * 60 }, CN)).toBe(at(14))
  })

  it("release is always in the future, within a day, at the window's end, outside the window (property)", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), fc.integer({ min: -720, max: 840 }),
      (now, start, end, offset) => {
        const until = quietUntil(now, { start, end }, offset)
        if (until === undefined) return true
        const localMinute = (((until + offset * MIN) % DAY) + DAY) % DAY / MIN
        return until > now && until - now <= DAY && localMinute === end && quietUntil(until, { start, end }, offset) === undefined
      }
    ))
  })

  it("the local day starts at local midnight", () => {
    expect(localDayStart(Date.UTC(2026, 11, 1, 17, 0), CN)).toBe(Date.UTC(2026, 11, 1, 16, 0)) // 01:00 Dec 2 local -> 00:00 Dec 2 local
    expect(localDayStart(Date.UTC(2026, 11, 1, 15, 59), CN)).toBe(Date.UTC(2026, 10, 30, 16, 0))
  })
})

describe("retry backoff", () => {
  it("doubles from the base, is capped, and keeps half of the delay fixed (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, jitter) => {
      const exp = Math.min(3_600_000, 1000 * 2 ** (attempt - 1))
      const d = backoffDelay(attempt, 1000, 3_600_000, jitter)
      return d >= Math.floor(exp / 2) && d <= exp && Number.isInteger(d)
    }))
    expect(backoffDelay(1, 1000, 3_600_000, 0)).toBe(500)
    expect(backoffDelay(3, 1000, 3_600_000, 0.9999)).toBe(4000)
    expect(backoffDelay(40, 1000, 3_600_000, 0)).toBe(1_800_000)
  })
})

describe("admission", () => {
  const base = { category: "voting", urgent: false, hasPhone: true, now: Date.UTC(2026, 11, 1, 2), utcOffsetMinutes: CN, sentToday: 0, dailyLimit: 10 }
  it("opt-out and STOP skip non-urgent messages only", () => {
    expect(admit({ ...base, prefs: prefs({ optedOut: ["voting"] }) })._tag).toBe("opted-out")
    expect(admit({ ...base, prefs: prefs({ stopped: true }) })._tag).toBe("opted-out")
    expect(admit({ ...base, urgent: true, prefs: prefs({ stopped: true, optedOut: ["voting"] }) })._tag).toBe("send")
  })
  it("no phone or no channel: the call list, urgent or not", () => {
    expect(admit({ ...base, hasPhone: false, prefs: prefs() })).toStrictEqual({ _tag: "call-list", reason: "no-phone" })
    expect(admit({ ...base, urgent: true, prefs: prefs({ channels: [] }) })).toStrictEqual({ _tag: "call-list", reason: "no-channel" })
    expect(admit({ ...base, hasPhone: false, prefs: prefs({ channels: ["push", "sms"] }) })).toStrictEqual({ _tag: "send", channels: ["push"] })
  })
  it("quiet hours and the daily limit defer non-urgent messages", () => {
    const night = Date.UTC(2026, 11, 1, 14) // 22:00
    expect(admit({ ...base, now: night, prefs: prefs() })).toStrictEqual({ _tag: "quiet", until: Date.UTC(2026, 11, 2, 0) })
    expect(admit({ ...base, now: night, urgent: true, prefs: prefs() })._tag).toBe("send")
    expect(admit({ ...base, sentToday: 10, prefs: prefs() })).toStrictEqual({ _tag: "rate-limited", until: Date.UTC(2026, 11, 1, 16) })
    expect(admit({ ...base, sentToday: 10, urgent: true, prefs: prefs() })._tag).toBe("send")
  })
})

describe("reading replies", () => {
  it("reads opt-out keywords, one six-digit code, or nothing", () => {
    for (const t of ["TD", "td", "T", "退订", " STOP ", "stop。", "Unsubscribe"]) expect(parseReply(t)).toStrictEqual({ _tag: "stop" })
    expect(parseReply("482913")).toStrictEqual({ _tag: "code", code: "482913" })
    expect(parseReply("回复 ４８２９１３ 同意")).toStrictEqual({ _tag: "code", code: "482913" }) // full-width digits
    expect(parseReply("482913 105377")._tag).toBe("unreadable") // two codes: which one?
    expect(parseReply("4829130")._tag).toBe("unreadable")
    expect(parseReply("同意")._tag).toBe("unreadable")
  })
})

describe("permissions", () => {
  const resident = new ResidentActor({ communityId: C, residentId: ResidentId.make("r1") })
  const committee = new StaffActor({ communityId: C, staffId: StaffId.make("s1"), roles: [Role.make("committee")], departments: [] })
  const clerk = new StaffActor({ communityId: C, staffId: StaffId.make("s2"), roles: [Role.make("clerk")], departments: [] })
  const system = new SystemActor({ communityId: C, process: "sms" })
  const t = Notifications.notificationPermissions
  it("as a matrix", () => {
    const row = (cmd: keyof typeof t, subject?: string) =>
      [resident, committee, clerk, system].map((a) => checkPermission(t[cmd], a, C, subject) === undefined)
    expect(row("notify.updatePreferences", "r1")).toStrictEqual([true, true, true, true])
    expect(row("notify.updatePreferences", "r2")).toStrictEqual([false, true, true, true])
    expect(row("notify.openSmsVote")).toStrictEqual([false, true, false, true])
    expect(row("notify.reply")).toStrictEqual([false, false, false, true])
    expect(row("notify.receipt")).toStrictEqual([false, false, false, true])
    expect(row("notify.read")).toStrictEqual([false, true, true, true])
    expect(row("notify.requeue")).toStrictEqual([false, false, false, true])
    expect(checkPermission(t["notify.read"], committee, CommunityId.make("other"))).toBe("tenant")
  })
})
