/**
 * The calendar's conformance cases: the `CalendarStore` port's contract, and
 * the whole path of a provisional deadline through the issues module (report
 * on 2026-12-30 with the default calendar, a refused file changing nothing,
 * loading the official 2027 schedule re-deriving exactly the deadlines that
 * span its make-up Saturday, a fresh calendar picking the year up from the
 * store).
 *
 * Loads 2027 into the adapter's database: run it on a database where no
 * official 2027 schedule was loaded before (the suite registers it last).
 *
 * @since 0.2.0
 */
import {
  Calendar,
  CalendarStore,
  ChinaCalendar,
  chinaCalendarData,
  type CommunityId,
  decodeEntry,
  Issues,
  type LocalDate,
  readJournal,
  ResidentActor,
  ResidentId,
  Roles,
  StaffActor,
  StaffId,
  SystemActor
} from "@gongzhi/core"
import { describe, expect } from "@effect/vitest"
import { Clock, Effect, Option } from "effect"
import { handWritten2027Schedule } from "../calendar.js"
import { generateCommunity } from "../fixtures.js"
import { type ConformanceOptions, freshCommunityId, type SuiteIt } from "./shared.js"

const fixedClock = (millis: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  sleep: () => Effect.void
})

// The bundled data pinned to end in 2026, so 2027 stays provisional here even
// after a release bundles the real 2027 schedule.
const upTo2026 = { ...chinaCalendarData, lastYear: 2026 }

/**
 * Runs at a fixed instant with a new calendar instance (as after a restart):
 * the default options but for the pinned data.
 */
const at = (iso: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.provide(ChinaCalendar.layer({ data: upTo2026 })), Effect.withClock(fixedClock(Date.parse(iso))))

/** A random year far ahead, so direct store cases never meet the flow's 2027. */
const farYear = () => 3000 + Math.floor(Math.random() * 5000)

const scheduleOf = (year: number, dates: ReadonlyArray<string>) => ({
  format: "gongzhi.calendar-year/1" as const,
  year,
  source: `conformance ${year}`,
  holidays: dates.map((date) => ({ date, name: { "zh-CN": "元旦", en: "New Year's Day" } })),
  workdays: []
})

/**
 * The calendar's cases.
 *
 * @since 0.2.0
 * @category conformance
 */
export const calendarSuite = <E>(it: SuiteIt<E>, options: ConformanceOptions<E>): void => {
  const timeout = options.timeout ?? 60_000
  describe("calendar store", () => {
    it.effect("keeps one record per year, replaced on a second put, listed by year", () =>
      Effect.gen(function* () {
        const s = yield* CalendarStore
        const y = farYear()
        yield* s.putYear({ year: y + 1, file: scheduleOf(y + 1, [`${y + 1}-01-01`]), loadedAt: 5, loadedBy: "staff:s-op" })
        yield* s.putYear({ year: y, file: scheduleOf(y, [`${y}-01-01`]), loadedAt: 1, loadedBy: "system:cli" })
        yield* s.putYear({ year: y, file: scheduleOf(y, [`${y}-01-01`, `${y}-01-02`]), loadedAt: 2, loadedBy: "system:cli" })
        const mine = (yield* s.listYears()).filter((r) => r.year === y || r.year === y + 1)
        expect(mine.map((r) => r.year)).toStrictEqual([y, y + 1])
        expect(mine[0]).toStrictEqual({ year: y, file: scheduleOf(y, [`${y}-01-01`, `${y}-01-02`]), loadedAt: 2, loadedBy: "system:cli" })
      }), timeout)

    it.effect("marks: replaced per record, cleared by no years, listed by year across communities with all their years", () =>
      Effect.gen(function* () {
        const s = yield* CalendarStore
        const c = freshCommunityId()
        const d = freshCommunityId()
        const y = farYear()
        yield* s.markProvisional({ communityId: c, owner: "issues", key: "case-2", years: [y] })
        yield* s.markProvisional({ communityId: c, owner: "issues", key: "case-1", years: [y + 1, y] })
        yield* s.markProvisional({ communityId: d, owner: "issues", key: "case-1", years: [y + 1] })
        const listed = (yield* s.listProvisional(y)).filter((m) => m.communityId === c || m.communityId === d)
        expect(listed).toStrictEqual([
          { communityId: c, owner: "issues", key: "case-1", years: [y, y + 1] },
          { communityId: c, owner: "issues", key: "case-2", years: [y] }
        ])
        yield* s.markProvisional({ communityId: c, owner: "issues", key: "case-1", years: [y + 1] })
        yield* s.markProvisional({ communityId: c, owner: "issues", key: "case-2", years: [] })
        expect((yield* s.listProvisional(y)).filter((m) => m.communityId === c)).toStrictEqual([])
        expect((yield* s.listProvisional(y + 1)).filter((m) => m.communityId === c || m.communityId === d).map((m) => m.communityId).sort())
          .toStrictEqual([c, d].sort())
      }), timeout)

    it.effect("round-trips a case's date bases and provisional years", () =>
      Effect.gen(function* () {
        const s = yield* Issues.IssueStore
        const c = freshCommunityId()
        const basis = { from: "2026-12-30" as LocalDate, workdays: 7 }
        const full: Issues.IssueCase = {
          communityId: c,
          id: Issues.CaseId.make("case-p"),
          number: "2026-000001",
          typeId: Issues.CaseTypeId.make("street-light"),
          priority: "normal",
          status: "submitted",
          channel: "app" as const,
          location: { buildingId: "b-1" as never, address: "东门" },
          description: "路灯不亮",
          photos: [],
          attributes: {},
          anonymous: false,
          reporter: {},
          followers: [],
          assisting: [],
          returns: 0,
          receivedAt: 1000,
          response: { unit: "workdays", amount: 1, dueDate: "2026-12-31" as LocalDate, dueAt: 5000, warnAt: 4000, warned: false, breached: false, basis: { from: "2026-12-30" as LocalDate, workdays: 1 } },
          resolution: { unit: "workdays", amount: 7, dueDate: "2027-01-11" as LocalDate, dueAt: 9000, warnAt: 8000, warned: false, breached: false, basis, provisionalYears: [2027] },
          publicExpectedDate: "2027-01-11" as LocalDate,
          publicExpectedBasis: basis,
          publicExpectedProvisionalYears: [2027, 2028],
          followUps: [],
          reopenCount: 0,
          mediation: [],
          timeline: [{ seq: 1, kind: "submitted", at: 1000, actor: "resident:r-1", actorKind: "reporter", visibility: "public" }],
          createdAt: 1000,
          updatedAt: 1000,
          version: 1
        }
        yield* s.insertCase(full)
        expect(Option.getOrThrow(yield* s.getCase(c, full.id))).toStrictEqual(full)
        const step = { seq: 2, kind: "deadline-rederived" as const, at: 2000, actor: "system:calendar", actorKind: "system" as const, visibility: "public" as const, note: "official 2027" }
        const { provisionalYears: _p, ...official } = full.resolution
        const { publicExpectedProvisionalYears: _q, ...rest } = full
        const v2: Issues.IssueCase = { ...rest, resolution: { ...official, dueDate: "2027-01-09" as LocalDate }, publicExpectedDate: "2027-01-09" as LocalDate, timeline: [...full.timeline, step], version: 2 }
        yield* s.updateCase(v2, 1)
        expect(Option.getOrThrow(yield* s.getCase(c, full.id))).toStrictEqual(v2)
      }), timeout)
  })

  describe("calendar: provisional deadlines and official schedules", () => {
    it.effect("a 2026-12-30 report is due provisionally; a bad file changes nothing; loading 2027 re-derives exactly the deadlines spanning its make-up Saturday", () =>
      Effect.gen(function* () {
        const c = freshCommunityId()
        const community = generateCommunity({ seed: 11, communityId: c, buildings: 1, floors: 2 })
        yield* options.loadDirectory(community)
        const resident = new ResidentActor({ communityId: c, residentId: ResidentId.make(community.residents[0]!.id) })
        const clerkRecord = community.staff.find((s) => s.roles.includes(Roles.clerk))!
        const clerk = new StaffActor({ communityId: c, staffId: clerkRecord.id, roles: clerkRecord.roles, departments: clerkRecord.departments })
        const admin = new StaffActor({ communityId: c, staffId: StaffId.make("s-admin-x"), roles: [Roles.admin], departments: [] })
        const operator = new StaffActor({ communityId: c, staffId: StaffId.make("s-operator"), roles: [Roles.operator], departments: [] })
        const light = (extra: Record<string, unknown> = {}) => ({
          communityId: c,
          typeId: "street-light",
          location: { buildingId: community.buildings[0]!.id, address: "1号楼门口" },
          description: "楼门口路灯不亮",
          photos: [{ ref: "https://img.example/l.jpg", mimeType: "image/jpeg", sizeBytes: 1000, sha256: "b".repeat(64) }],
          channel: "app" as const,
          ...extra
        })
        const view = (id: Issues.CaseId) => Effect.map(Effect.flatMap(Issues.IssueStore, (s) => s.getCase(c, id)), Option.getOrThrow)

        // Official 2026 only: resolution 2026-12-30 (7 working days from 12-21).
        const b = yield* at("2026-12-21T02:00:00Z")(Issues.submitReport(resident, light()))
        // Spans 2027 but ends before the make-up Saturday: 12-25 .. 01-05.
        const k = yield* at("2026-12-24T02:00:00Z")(Issues.submitReport(resident, light()))
        // The report of the issue: 2026-12-30, due 2027-01-11 on the provisional year.
        const a = yield* at("2026-12-30T02:00:00Z")(Issues.submitReport(resident, light()))
        // Low priority (10 working days) from 2027-01-04: 01-18 provisionally.
        const g = yield* at("2027-01-04T02:00:00Z")(Issues.submitReport(clerk, light({ priority: "low" })))

        const aCase = yield* view(a.caseId)
        expect(a.publicExpectedDate).toBe("2027-01-11")
        expect(aCase.resolution).toMatchObject({ dueDate: "2027-01-11", provisionalYears: [2027] })
        expect(aCase.publicExpectedProvisionalYears).toStrictEqual([2027])
        expect(aCase.response.dueDate).toBe("2026-12-31")
        expect(aCase.response.provisionalYears).toBeUndefined()
        expect((yield* view(b.caseId)).resolution).toMatchObject({ dueDate: "2026-12-30" })
        expect((yield* view(b.caseId)).resolution.provisionalYears).toBeUndefined()
        expect((yield* view(k.caseId)).resolution).toMatchObject({ dueDate: "2027-01-05", provisionalYears: [2027] })
        expect((yield* view(g.caseId)).resolution).toMatchObject({ dueDate: "2027-01-18", provisionalYears: [2027] })
        const marked = (yield* Effect.flatMap(CalendarStore, (s) => s.listProvisional(2027))).filter((m) => m.communityId === c)
        expect(marked.map((m) => m.key).sort()).toStrictEqual([a.caseId, k.caseId, g.caseId].sort())

        const before = {
          cases: yield* Effect.all([a, b, k, g].map((x) => view(x.caseId))),
          journal: (yield* readJournal(c)).length,
          years: (yield* Effect.flatMap(CalendarStore, (s) => s.listYears())).filter((y) => y.year === 2027)
        }
        expect(before.years).toStrictEqual([])

        // Refused: a date both off and on; a date outside the year; not an operator.
        const both = { ...handWritten2027Schedule, holidays: [...handWritten2027Schedule.holidays, { date: "2027-01-09", name: { "zh-CN": "元旦" } }] }
        const e1 = yield* Effect.flip(at("2027-01-10T02:00:00Z")(Calendar.importYear(operator, both)))
        expect(e1).toMatchObject({ _tag: "InvalidCalendarFile", reason: "both-off-and-on", date: "2027-01-09" })
        const outside = { ...handWritten2027Schedule, workdays: [...handWritten2027Schedule.workdays, { date: "2026-12-26", name: { "zh-CN": "元旦" } }] }
        const e2 = yield* Effect.flip(at("2027-01-10T02:00:00Z")(Calendar.importYear(operator, outside)))
        expect(e2).toMatchObject({ _tag: "InvalidCalendarFile", reason: "outside-year", date: "2026-12-26" })
        const e3 = yield* Effect.flip(at("2027-01-10T02:00:00Z")(Calendar.importYear(admin, handWritten2027Schedule)))
        expect(e3).toMatchObject({ _tag: "Forbidden", reason: "role" })
        expect(yield* Effect.all([a, b, k, g].map((x) => view(x.caseId)))).toStrictEqual(before.cases)
        expect((yield* readJournal(c)).length).toBe(before.journal)
        expect((yield* Effect.flatMap(CalendarStore, (s) => s.listYears())).filter((y) => y.year === 2027)).toStrictEqual([])

        // Loaded on 2027-01-10 by the system (as `gongzhi-pg calendar import` does).
        const result = yield* at("2027-01-10T02:00:00Z")(
          Calendar.importYear(new SystemActor({ communityId: c, process: "cli" }), handWritten2027Schedule)
        )
        expect(result).toMatchObject({ year: 2027, before: "provisional", holidays: 26, workdays: 4 })
        expect(result.rederived.checked).toBeGreaterThanOrEqual(3)

        const after = {
          a: yield* view(a.caseId),
          b: yield* view(b.caseId),
          k: yield* view(k.caseId),
          g: yield* view(g.caseId)
        }
        // The make-up Saturday 2027-01-09 counts: a and g move, b and k stay.
        expect(after.a.resolution.dueDate).toBe("2027-01-09")
        expect(after.a.resolution.provisionalYears).toBeUndefined()
        expect(after.a.publicExpectedDate).toBe("2027-01-09")
        expect(after.a.publicExpectedProvisionalYears).toBeUndefined()
        expect(after.g.resolution.dueDate).toBe("2027-01-15")
        expect(after.g.response).toMatchObject({ dueDate: "2027-01-06" })
        expect(after.g.response.provisionalYears).toBeUndefined()
        expect(after.b).toStrictEqual(before.cases[1])
        expect(after.k.resolution.dueDate).toBe("2027-01-05")
        expect(after.k.resolution.provisionalYears).toBeUndefined()
        expect(after.k.timeline).toStrictEqual(before.cases[2]!.timeline)
        // The timeline shows it.
        expect(after.a.timeline.at(-1)).toMatchObject({ kind: "deadline-rederived", visibility: "public", actor: "system:calendar" })
        expect(after.a.timeline.at(-1)!.note).toContain("2027-01-11 -> 2027-01-09")
        expect(after.a.status).toBe(before.cases[0]!.status)

        const events = (yield* readJournal(c)).slice(before.journal).flatMap((e) => {
          const d = decodeEntry(Issues.IssueEvent)(e)
          return d._tag === "Some" ? [d.value] : []
        })
        const summary = events.map((e) =>
          e._tag === "IssueDeadlineRederived"
            ? `${e.caseId} ${e.deadline} ${e.from}->${e.to} ${e.reason} ${e.year}`
            : e._tag === "IssueDeadlineWarning"
            ? `${e.caseId} warning ${e.deadline}`
            : `${e.caseId} ${e._tag}`
        )
        expect(summary.sort()).toStrictEqual([
          `${a.caseId} public 2027-01-11->2027-01-09 official-schedule-loaded 2027`,
          `${a.caseId} resolution 2027-01-11->2027-01-09 official-schedule-loaded 2027`,
          // Moved earlier, to before the moment of recomputation: the handler is warned.
          `${a.caseId} warning resolution`,
          `${g.caseId} public 2027-01-18->2027-01-15 official-schedule-loaded 2027`,
          `${g.caseId} resolution 2027-01-18->2027-01-15 official-schedule-loaded 2027`
        ].sort())
        expect(after.a.resolution.warned).toBe(true)
        expect((yield* Effect.flatMap(CalendarStore, (s) => s.listProvisional(2027))).filter((m) => m.communityId === c)).toStrictEqual([])

        // A new calendar instance (a restart) reads the loaded year from the store.
        const f = yield* at("2026-12-30T03:00:00Z")(Issues.submitReport(resident, light()))
        const fCase = yield* view(f.caseId)
        expect(fCase.resolution.dueDate).toBe("2027-01-09")
        expect(fCase.resolution.provisionalYears).toBeUndefined()
      }), timeout)
  })
}
