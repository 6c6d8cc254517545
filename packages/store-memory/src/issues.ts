/**
 * The issues store in memory.
 *
 * @since 0.1.0
 */
import { AlreadyExists, type CommunityId, Conflict, Issues, NotFound, type StaffId } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { MemoryDatabase } from "./database.js"
import type { ModuleStoreFactory } from "./modules.js"

type IssueCase = Issues.IssueCase

const k = (...parts: ReadonlyArray<string>) => parts.join("\u0000")
const hour = 3_600_000
const bucketOf = (dueAt: number) => Math.floor(dueAt / hour)
const pad = (n: number) => String(n).padStart(12, "0")
const bucketTable = (c: string, bucket: number) => k("issue_due", c, pad(bucket))
const byCreated = (a: IssueCase, b: IssueCase) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The due index: one small table per community and hour of `nextDueAt`
 * (case id -> nextDueAt) plus a directory of non-empty hours with their
 * sizes, so `listDue` reads only the hours up to `dueBy` instead of every
 * case. All writes go through the database, so a rollback restores it.
 */
const dueIndex = (db: MemoryDatabase) => ({
  remove: (c: string, id: string, dueAt: number | undefined) => {
    if (dueAt === undefined) return
    const bucket = bucketOf(dueAt)
    const table = bucketTable(c, bucket)
    if (!db.has(table, id)) return
    db.delete(table, id)
    const dirKey = k(c, pad(bucket))
    const n = (db.get<number>("issue_due_buckets", dirKey) ?? 1) - 1
    if (n <= 0) db.delete("issue_due_buckets", dirKey)
    else db.set("issue_due_buckets", dirKey, n)
  },
  add: (c: string, id: string, dueAt: number | undefined) => {
    if (dueAt === undefined) return
    const bucket = bucketOf(dueAt)
    db.set(bucketTable(c, bucket), id, dueAt)
    const dirKey = k(c, pad(bucket))
    db.set("issue_due_buckets", dirKey, (db.get<number>("issue_due_buckets", dirKey) ?? 0) + 1)
  },
  due: (c: string, dueBy: number, limit: number): Array<string> => {
    const prefix = k(c, "")
    const last = bucketOf(dueBy)
    const buckets = db
      .keys("issue_due_buckets")
      .filter((key) => key.startsWith(prefix))
      .map((key) => Number(key.slice(prefix.length)))
      .filter((b) => b <= last)
      .sort((a, b) => a - b)
    const out: Array<readonly [number, string]> = []
    for (const bucket of buckets) {
      const table = bucketTable(c, bucket)
      const found: Array<readonly [number, string]> = []
      for (const id of db.keys(table)) {
        const at = db.get<number>(table, id)!
        if (at <= dueBy) found.push([at, id])
      }
      found.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      out.push(...found)
      if (out.length >= limit) break
    }
    return out.slice(0, limit).map(([, id]) => id)
  }
})

const residentsOf = (c: IssueCase): ReadonlyArray<string> => {
  const ids = new Set<string>(c.followers)
  if (c.reporter.residentId !== undefined) ids.add(c.reporter.residentId)
  return [...ids]
}

/**
 * The issues store over the memory database: cases by id, numbers,
 * per-year counters, an index of open cases by type and by handler, an index
 * of residents' cases, the due index and the reports' idempotency keys (see
 * the port's contract in `IssueStore`).
 *
 * @since 0.1.0
 * @category stores
 */
export const makeIssueStore: ModuleStoreFactory<Issues.IssueStore> = (db, run) => {
  const read = <A>(f: () => A) => run(Effect.sync(f))
  const due = dueIndex(db)
  const get = (c: string, id: string) => db.get<IssueCase>("issue_cases", k(c, id))
  const index = (c: IssueCase) => {
    if (c.status !== "closed") db.set("issue_open", k(c.communityId, c.typeId, c.id), c.id)
    if (c.status !== "closed" && c.handler !== undefined) db.set("issue_open_by_handler", k(c.communityId, c.handler, c.id), c.id)
    for (const r of residentsOf(c)) db.set("issue_by_resident", k(c.communityId, r, c.id), c.id)
    due.add(c.communityId, c.id, c.nextDueAt)
  }
  const unindex = (c: IssueCase) => {
    db.delete("issue_open", k(c.communityId, c.typeId, c.id))
    if (c.handler !== undefined) db.delete("issue_open_by_handler", k(c.communityId, c.handler, c.id))
    for (const r of residentsOf(c)) db.delete("issue_by_resident", k(c.communityId, r, c.id))
    due.remove(c.communityId, c.id, c.nextDueAt)
  }
  const byIds = (c: string, ids: ReadonlyArray<string>) =>
    ids.flatMap((id) => {
      const x = get(c, id)
      return x === undefined ? [] : [x]
    })

  return Context.make(Issues.IssueStore, Issues.IssueStore.of({
    insertCase: (record) =>
      run(Effect.suspend(() => {
        const c = record.communityId
        if (db.has("issue_cases", k(c, record.id))) return Effect.fail(new AlreadyExists({ entity: "IssueCase", id: record.id }))
        if (db.has("issue_numbers", k(c, record.number))) return Effect.fail(new AlreadyExists({ entity: "IssueCaseNumber", id: record.number }))
        db.set("issue_cases", k(c, record.id), record)
        db.set("issue_numbers", k(c, record.number), record.id)
        index(record)
        return Effect.void
      })),
    updateCase: (record, expectedVersion) =>
      run(Effect.suspend((): Effect.Effect<void, Conflict | NotFound> => {
        const c = record.communityId
        const cur = get(c, record.id)
        if (cur === undefined) return Effect.fail(new NotFound({ entity: "IssueCase", id: record.id }))
        if (cur.version !== expectedVersion || record.version !== expectedVersion + 1) {
          return Effect.fail(new Conflict({ entity: "IssueCase", id: record.id, detail: `expected version ${expectedVersion}, found ${cur.version}` }))
        }
        if (record.number !== cur.number) {
          return Effect.fail(new Conflict({ entity: "IssueCase", id: record.id, detail: "the case number cannot change" }))
        }
        const prefixKept = record.timeline.length >= cur.timeline.length &&
          cur.timeline.every((s, i) => record.timeline[i]?.seq === s.seq && record.timeline[i]?.kind === s.kind)
        if (!prefixKept) return Effect.fail(new Conflict({ entity: "IssueCase", id: record.id, detail: "the timeline is append-only" }))
        unindex(cur)
        db.set("issue_cases", k(c, record.id), record)
        index(record)
        return Effect.void
      })),
    getCase: (c, id) => read(() => Option.fromNullable(get(c, id))),
    getCaseByNumber: (c, number) =>
      read(() => {
        const id = db.get<string>("issue_numbers", k(c, number))
        return Option.fromNullable(id === undefined ? undefined : get(c, id))
      }),
    nextCaseNumber: (c, year) =>
      run(Effect.sync(() => {
        const key = k(c, String(year))
        const n = (db.get<number>("issue_counters", key) ?? 0) + 1
        db.set("issue_counters", key, n)
        return n
      })),
    listDue: (c, dueBy, limit) => read(() => byIds(c, due.due(c, dueBy, limit))),
    listOpen: (c, typeId) =>
      read(() => byIds(c, db.values<string>("issue_open", typeId === undefined ? k(c, "") : k(c, typeId, ""))).sort(byCreated)),
    listOpenByDepartment: (c, departmentId) =>
      read(() =>
        byIds(c, db.values<string>("issue_open", k(c, "")))
          .filter((x) => x.lead === departmentId || x.assisting.includes(departmentId))
          .sort(byCreated)
      ),
    listCases: (c: CommunityId, q) =>
      read(() =>
        db
          .values<IssueCase>("issue_cases", k(c, ""))
          .filter((x) =>
            (q.from === undefined || x.createdAt >= q.from) &&
            (q.to === undefined || x.createdAt < q.to) &&
            (q.after === undefined || x.createdAt > q.after.createdAt || (x.createdAt === q.after.createdAt && x.id > q.after.id))
          )
          .sort(byCreated)
          .slice(0, q.limit)
      ),
    listByResident: (c, residentId) => read(() => byIds(c, db.values<string>("issue_by_resident", k(c, residentId, ""))).sort(byCreated)),
    insertReportKey: (record) =>
      run(Effect.suspend(() => {
        const c = record.communityId
        if (db.has("issue_report_keys", k(c, record.key))) return Effect.fail(new AlreadyExists({ entity: "IssueReportKey", id: record.key }))
        if (db.has("issue_report_key_cases", k(c, record.caseId))) return Effect.fail(new AlreadyExists({ entity: "IssueReportKeyCase", id: record.caseId }))
        db.set("issue_report_keys", k(c, record.key), record)
        db.set("issue_report_key_cases", k(c, record.caseId), record.key)
        return Effect.void
      })),
    findReportKey: (c, key) => read(() => Option.fromNullable(db.get<Issues.ReportKey>("issue_report_keys", k(c, key)))),
    countOpenByHandler: (c, handlers) =>
      read(() =>
        [...new Set(handlers)]
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
          .flatMap((handler: StaffId) => {
            const open = db.values<string>("issue_open_by_handler", k(c, handler, "")).length
            return open === 0 ? [] : [{ handler, open }]
          })
      )
  }))
}
