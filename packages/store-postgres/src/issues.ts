/**
 * The issues store on PostgreSQL (tables in migration 0003).
 *
 * Concurrency: `updateCase` is optimistic. One statement checks that the
 * stored timeline is a prefix of the new one, bumps the version with
 * `UPDATE ... WHERE version = expected` (which waits for a concurrent update
 * of the same case and then finds the version moved on: `Conflict`), and
 * inserts only the new steps. The timeline is append-only in the database, so
 * a committed step is never lost or rewritten. `nextCaseNumber` upserts the
 * community's counter row for the year: the row stays locked until the
 * caller's transaction ends, so concurrent reporters take numbers one after
 * the other, and a rolled-back number is handed out again.
 * Report idempotency keys live in `gz_issues_report_keys` (migration 0008):
 * `insertReportKey` is `INSERT ... ON CONFLICT DO NOTHING`, so a concurrent
 * insert of the same key waits for the other transaction and then reports
 * `AlreadyExists` without aborting the caller's transaction.
 *
 * @since 0.1.0
 */
import type { Statement } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { AlreadyExists, Conflict, Issues, NotFound, type StaffId } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { PgModuleStoreFactory } from "./modules.js"
import { inTransaction, mapSqlError } from "./sql.js"

type Row = Record<string, unknown>
type IssueCase = Issues.IssueCase

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v))
const json = (v: unknown): string => JSON.stringify(v)
/** `{ [key]: value }` when the column is not NULL, `{}` otherwise (absent optional fields stay absent). */
const some = <K extends string, A>(key: K, v: unknown, f: (v: unknown) => A): { [P in K]?: A } =>
  (v === null || v === undefined ? {} : { [key]: f(v) }) as { [P in K]?: A }
const str = (v: unknown) => v as string

const toDeadline = (r: Row, p: "response" | "resolution"): Issues.Deadline => ({
  unit: r[`${p}_unit`] as Issues.Deadline["unit"],
  amount: num(r[`${p}_amount`]),
  ...some("dueDate", r[`${p}_due_date_s`], (v) => v as Issues.Deadline["dueDate"] & string),
  dueAt: num(r[`${p}_due_at`]),
  warnAt: num(r[`${p}_warn_at`]),
  warned: r[`${p}_warned`] as boolean,
  breached: r[`${p}_breached`] as boolean,
  ...some("metAt", r[`${p}_met_at`], num),
  ...basisOf(r, p),
  ...yearsOf("provisionalYears", r[`${p}_provisional_years`])
})

/** `{ basis }` from the `<p>_basis_from_s` / `<p>_basis_workdays` columns, when set. */
const basisOf = (r: Row, p: "response" | "resolution" | "public"): { basis?: Issues.DateBasis } =>
  r[`${p}_basis_from_s`] === null || r[`${p}_basis_from_s`] === undefined
    ? {}
    : { basis: { from: r[`${p}_basis_from_s`] as Issues.DateBasis["from"], workdays: num(r[`${p}_basis_workdays`]) } }

/** A provisional-years column: absent when NULL or empty. */
const yearsOf = <K extends string>(key: K, v: unknown): { [P in K]?: ReadonlyArray<number> } =>
  (Array.isArray(v) && v.length > 0 ? { [key]: v.map(num) } : {}) as unknown as { [P in K]?: ReadonlyArray<number> }

const basisColumns = (b: Issues.DateBasis | undefined, years: ReadonlyArray<number> | undefined, p: "response" | "resolution" | "public") => ({
  [`${p}_basis_from`]: b?.from ?? null,
  [`${p}_basis_workdays`]: b?.workdays ?? null,
  [`${p}_provisional_years`]: years === undefined || years.length === 0 ? null : [...years]
})

const deadlineColumns = (d: Issues.Deadline, p: "response" | "resolution") => ({
  [`${p}_unit`]: d.unit,
  [`${p}_amount`]: d.amount,
  [`${p}_due_date`]: d.dueDate ?? null,
  [`${p}_due_at`]: d.dueAt,
  [`${p}_warn_at`]: d.warnAt,
  [`${p}_warned`]: d.warned,
  [`${p}_breached`]: d.breached,
  [`${p}_met_at`]: d.metAt ?? null,
  ...basisColumns(d.basis, d.provisionalYears, p)
})

/** Everything but the keys, the timeline and the followers. */
const caseColumns = (c: IssueCase) => ({
  number: c.number,
  type_id: c.typeId,
  priority: c.priority,
  status: c.status,
  channel: c.channel,
  building_id: c.location.buildingId ?? null,
  unit_id: c.location.unitId ?? null,
  lat: c.location.point?.lat ?? null,
  lng: c.location.point?.lng ?? null,
  address: c.location.address ?? null,
  description: c.description,
  photos: json(c.photos),
  attributes: json(c.attributes),
  anonymous: c.anonymous,
  reporter_resident_id: c.reporter.residentId ?? null,
  reporter_name: c.reporter.name ?? null,
  reporter_phone: c.reporter.phone ?? null,
  reporter_email: c.reporter.email ?? null,
  lead: c.lead ?? null,
  assisting: [...c.assisting],
  handler: c.handler ?? null,
  dispatched_at: c.dispatchedAt ?? null,
  returns: c.returns,
  received_at: c.receivedAt,
  ...deadlineColumns(c.response, "response"),
  ...deadlineColumns(c.resolution, "resolution"),
  public_expected_date: c.publicExpectedDate,
  ...basisColumns(c.publicExpectedBasis, c.publicExpectedProvisionalYears, "public"),
  paused_at: c.pausedAt ?? null,
  extension_requested_at: c.pendingExtension?.requestedAt ?? null,
  extension_amount: c.pendingExtension?.amount ?? null,
  extension_reason: c.pendingExtension?.reason ?? null,
  extension_by: c.pendingExtension?.by ?? null,
  closed_at: c.closedAt ?? null,
  closure_resolution: c.closure?.resolution ?? null,
  closure_reason: c.closure?.reason ?? null,
  closure_resolved_by: c.closure?.resolvedBy ?? null,
  follow_ups: json(c.followUps),
  reopen_count: c.reopenCount,
  duplicate_of: c.duplicateOf ?? null,
  mediation: json(c.mediation),
  next_due_at: c.nextDueAt ?? null,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
  version: c.version
})

/** The steps as one JSON parameter for `jsonb_to_recordset` (see {@link stepsRecordset}). */
const stepRows = (timeline: ReadonlyArray<Issues.TimelineStep>): string =>
  json(
    timeline.map((s, position) => ({
      position,
      seq: s.seq,
      kind: s.kind,
      at: s.at,
      actor: s.actor,
      actor_kind: s.actorKind,
      visibility: s.visibility,
      note: s.note ?? null,
      media: s.media ?? null,
      department: s.department ?? null,
      resolution: s.resolution ?? null
    }))
  )

const toStep = (s: Row): Issues.TimelineStep => ({
  seq: num(s.seq),
  kind: s.kind as Issues.TimelineStep["kind"],
  at: num(s.at),
  actor: s.actor as string,
  actorKind: s.actor_kind as Issues.TimelineStep["actorKind"],
  visibility: s.visibility as Issues.TimelineStep["visibility"],
  ...some("note", s.note, str),
  ...some("media", s.media, (v) => v as ReadonlyArray<Issues.Photo>),
  ...some("department", s.department, (v) => v as NonNullable<Issues.TimelineStep["department"]>),
  ...some("resolution", s.resolution, str)
})

const toCase = (r: Row): IssueCase => {
  const location = {
    ...some("buildingId", r.building_id, (v) => v as NonNullable<Issues.Location["buildingId"]>),
    ...some("unitId", r.unit_id, (v) => v as NonNullable<Issues.Location["unitId"]>),
    ...(r.lat === null ? {} : { point: { lat: num(r.lat), lng: num(r.lng) } }),
    ...some("address", r.address, str)
  } as Issues.Location
  const reporter: Issues.Reporter = {
    ...some("residentId", r.reporter_resident_id, (v) => v as NonNullable<Issues.Reporter["residentId"]>),
    ...some("name", r.reporter_name, str),
    ...some("phone", r.reporter_phone, str),
    ...some("email", r.reporter_email, str)
  }
  return {
    communityId: r.community_id as IssueCase["communityId"],
    id: r.case_id as Issues.CaseId,
    number: r.number as string,
    typeId: r.type_id as Issues.CaseTypeId,
    priority: r.priority as Issues.Priority,
    status: r.status as Issues.CaseStatus,
    channel: r.channel as Issues.Channel,
    location,
    description: r.description as string,
    photos: r.photos as IssueCase["photos"],
    attributes: r.attributes as IssueCase["attributes"],
    anonymous: r.anonymous as boolean,
    reporter,
    followers: r.followers as IssueCase["followers"],
    ...some("lead", r.lead, (v) => v as NonNullable<IssueCase["lead"]>),
    assisting: r.assisting as IssueCase["assisting"],
    ...some("handler", r.handler, (v) => v as NonNullable<IssueCase["handler"]>),
    ...some("dispatchedAt", r.dispatched_at, num),
    returns: num(r.returns),
    receivedAt: num(r.received_at),
    response: toDeadline(r, "response"),
    resolution: toDeadline(r, "resolution"),
    publicExpectedDate: r.public_expected_date_s as IssueCase["publicExpectedDate"],
    ...(() => {
      const b = basisOf(r, "public").basis
      return b === undefined ? {} : { publicExpectedBasis: b }
    })(),
    ...yearsOf("publicExpectedProvisionalYears", r.public_provisional_years),
    ...some("pausedAt", r.paused_at, num),
    ...(r.extension_requested_at === null
      ? {}
      : {
        pendingExtension: {
          requestedAt: num(r.extension_requested_at),
          amount: num(r.extension_amount),
          reason: r.extension_reason as string,
          by: r.extension_by as string
        }
      }),
    ...some("closedAt", r.closed_at, num),
    ...(r.closure_resolution === null
      ? {}
      : {
        closure: {
          resolution: r.closure_resolution as Issues.Resolution,
          ...some("reason", r.closure_reason, str),
          ...some("resolvedBy", r.closure_resolved_by, str)
        }
      }),
    followUps: r.follow_ups as IssueCase["followUps"],
    reopenCount: num(r.reopen_count),
    ...some("duplicateOf", r.duplicate_of, (v) => v as Issues.CaseId),
    mediation: r.mediation as IssueCase["mediation"],
    timeline: (r.timeline as ReadonlyArray<Row>).map(toStep),
    ...some("nextDueAt", r.next_due_at, num),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    version: num(r.version)
  }
}

/**
 * The issues store over the adapter's `PgClient`.
 *
 * @since 0.1.0
 * @category stores
 */
export const makeIssueStore: PgModuleStoreFactory<Issues.IssueStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  /** The new steps of `timeline` as rows (`x`), from one JSON parameter. */
  const stepsRecordset = (timeline: ReadonlyArray<Issues.TimelineStep>) =>
    sql`jsonb_to_recordset(${stepRows(timeline)}::jsonb) AS x(
      position integer, seq integer, kind text, at bigint, actor text, actor_kind text, visibility text,
      note text, media jsonb, department text, resolution text)`

  /** Cases with their timeline and followers, in `(created_at, case_id)` order unless `tail` says otherwise. */
  const selectCases = (where: Statement.Fragment, tail: Statement.Fragment = sql`ORDER BY c.created_at, c.case_id`) =>
    sql`
      SELECT c.*,
             to_char(c.public_expected_date, 'YYYY-MM-DD') AS public_expected_date_s,
             to_char(c.response_due_date, 'YYYY-MM-DD') AS response_due_date_s,
             to_char(c.resolution_due_date, 'YYYY-MM-DD') AS resolution_due_date_s,
             to_char(c.response_basis_from, 'YYYY-MM-DD') AS response_basis_from_s,
             to_char(c.resolution_basis_from, 'YYYY-MM-DD') AS resolution_basis_from_s,
             to_char(c.public_basis_from, 'YYYY-MM-DD') AS public_basis_from_s,
             coalesce((SELECT json_agg(json_build_object(
                         'seq', t.seq, 'kind', t.kind, 'at', t.at, 'actor', t.actor, 'actor_kind', t.actor_kind,
                         'visibility', t.visibility, 'note', t.note, 'media', t.media, 'department', t.department,
                         'resolution', t.resolution) ORDER BY t.position)
                       FROM gz_issues_timeline t
                       WHERE t.community_id = c.community_id AND t.case_id = c.case_id), '[]') AS timeline,
             ARRAY(SELECT f.resident_id FROM gz_issues_followers f
                   WHERE f.community_id = c.community_id AND f.case_id = c.case_id
                   ORDER BY f.position) AS followers
      FROM gz_issues_cases c
      WHERE ${where}
      ${tail}`.pipe(Effect.map((rows) => rows.map(toCase)))

  const followersRecordset = (followers: ReadonlyArray<string>) =>
    sql`unnest(${[...followers]}::text[]) WITH ORDINALITY AS f(resident_id, ordinality)`

  return Context.make(
    Issues.IssueStore,
    Issues.IssueStore.of({
      insertCase: (record) => {
        const c = record.communityId
        // One statement: the case, its steps and its followers. ON CONFLICT keeps the caller's
        // transaction usable when the id or the number is taken.
        return sql`
          WITH inserted AS (
            INSERT INTO gz_issues_cases ${sql.insert({ community_id: c, case_id: record.id, ...caseColumns(record) })}
            ON CONFLICT DO NOTHING
            RETURNING case_id
          ),
          steps AS (
            INSERT INTO gz_issues_timeline
              (community_id, case_id, position, seq, kind, at, actor, actor_kind, visibility, note, media, department, resolution)
            SELECT ${c}, ${record.id}, x.position, x.seq, x.kind, x.at, x.actor, x.actor_kind, x.visibility, x.note, x.media, x.department, x.resolution
            FROM ${stepsRecordset(record.timeline)}
            WHERE EXISTS (SELECT 1 FROM inserted)
          ),
          followers AS (
            INSERT INTO gz_issues_followers (community_id, case_id, resident_id, position)
            SELECT ${c}, ${record.id}, f.resident_id, f.ordinality - 1
            FROM ${followersRecordset(record.followers)}
            WHERE EXISTS (SELECT 1 FROM inserted)
          )
          SELECT (SELECT count(*) FROM inserted)::int AS n,
                 EXISTS (SELECT 1 FROM gz_issues_cases WHERE community_id = ${c} AND case_id = ${record.id}) AS id_taken`.pipe(
          mapSqlError("issues.insertCase"),
          Effect.flatMap(([r]) =>
            num(r?.n) === 1
              ? Effect.void
              : Effect.fail(
                r?.id_taken === false
                  ? new AlreadyExists({ entity: "IssueCaseNumber", id: record.number })
                  : new AlreadyExists({ entity: "IssueCase", id: record.id })
              )
          )
        )
      },

      updateCase: (record, expected) => {
        const c = record.communityId
        const conflict = (detail: string) => new Conflict({ entity: "IssueCase", id: record.id, detail })
        if (record.version !== expected + 1) {
          return sql`SELECT version FROM gz_issues_cases WHERE community_id = ${c} AND case_id = ${record.id}`.pipe(
            mapSqlError("issues.updateCase"),
            Effect.flatMap(([r]) =>
              Effect.fail<Conflict | NotFound>(
                r === undefined
                  ? new NotFound({ entity: "IssueCase", id: record.id })
                  : conflict(`expected version ${expected}, found ${num(r.version)}, new version ${record.version}`)
              )
            )
          )
        }
        const { number, ...columns } = caseColumns(record)
        // One statement. The UPDATE waits for a concurrent update of the case and then finds the
        // version moved on (no row: Conflict). When it succeeds, no other transaction can append to
        // this case before ours ends, so the stored steps read here are all there are: only the
        // steps after them are inserted (and the timeline trigger refuses anything but an append).
        return sql`
          WITH cur AS (
            SELECT version, number FROM gz_issues_cases WHERE community_id = ${c} AND case_id = ${record.id}
          ),
          stored AS (
            SELECT position, seq, kind FROM gz_issues_timeline WHERE community_id = ${c} AND case_id = ${record.id}
          ),
          x AS (
            SELECT * FROM ${stepsRecordset(record.timeline)}
          ),
          prefix AS (
            SELECT NOT EXISTS (
              SELECT 1 FROM stored s LEFT JOIN x ON x.position = s.position
              WHERE x.position IS NULL OR x.seq <> s.seq OR x.kind <> s.kind
            ) AS ok
          ),
          updated AS (
            UPDATE gz_issues_cases SET ${sql.update(columns)}
            WHERE community_id = ${c} AND case_id = ${record.id} AND version = ${expected} AND number = ${number}
              AND (SELECT ok FROM prefix)
            RETURNING case_id
          ),
          steps AS (
            INSERT INTO gz_issues_timeline
              (community_id, case_id, position, seq, kind, at, actor, actor_kind, visibility, note, media, department, resolution)
            SELECT ${c}, ${record.id}, x.position, x.seq, x.kind, x.at, x.actor, x.actor_kind, x.visibility, x.note, x.media, x.department, x.resolution
            FROM x
            WHERE x.position >= (SELECT count(*) FROM stored) AND EXISTS (SELECT 1 FROM updated)
          ),
          unfollowed AS (
            DELETE FROM gz_issues_followers
            WHERE community_id = ${c} AND case_id = ${record.id} AND resident_id <> ALL(${[...record.followers]}::text[])
              AND EXISTS (SELECT 1 FROM updated)
          ),
          followers AS (
            INSERT INTO gz_issues_followers (community_id, case_id, resident_id, position)
            SELECT ${c}, ${record.id}, f.resident_id, f.ordinality - 1
            FROM ${followersRecordset(record.followers)}
            WHERE EXISTS (SELECT 1 FROM updated)
            ON CONFLICT (community_id, case_id, resident_id) DO UPDATE SET position = excluded.position
            WHERE gz_issues_followers.position <> excluded.position
          )
          SELECT (SELECT count(*) FROM updated)::int AS n,
                 (SELECT version FROM cur) AS found_version,
                 (SELECT number FROM cur) AS found_number,
                 (SELECT ok FROM prefix) AS prefix_ok`.pipe(
          mapSqlError("issues.updateCase"),
          Effect.flatMap(([r]): Effect.Effect<void, Conflict | NotFound> => {
            if (num(r?.n) === 1) return Effect.void
            if (r === undefined || r.found_version === null) return Effect.fail(new NotFound({ entity: "IssueCase", id: record.id }))
            if (num(r.found_version) !== expected) {
              return Effect.fail(conflict(`expected version ${expected}, found ${num(r.found_version)}`))
            }
            if (r.found_number !== number) return Effect.fail(conflict("the case number cannot change"))
            if (r.prefix_ok === false) return Effect.fail(conflict("the timeline is append-only"))
            // The version moved on while the UPDATE waited for a concurrent one.
            return Effect.fail(conflict(`expected version ${expected}, but the case was updated concurrently`))
          })
        )
      },

      getCase: (c, id) =>
        // Inside a transaction the case row is locked first (until the transaction ends) and read
        // in a second statement, so concurrent commands on one case run one after the other, as
        // in the memory store, instead of one failing with Conflict.
        Effect.flatMap(inTransaction, (inside) =>
          Effect.zipRight(
            inside
              ? sql`SELECT 1 FROM gz_issues_cases WHERE community_id = ${c} AND case_id = ${id} FOR UPDATE`
              : Effect.void,
            selectCases(sql`c.community_id = ${c} AND c.case_id = ${id}`, sql``)
          )
        ).pipe(
          mapSqlError("issues.getCase"),
          Effect.map(([x]) => Option.fromNullable(x))
        ),

      getCaseByNumber: (c, number) =>
        selectCases(sql`c.community_id = ${c} AND c.number = ${number}`, sql``).pipe(
          mapSqlError("issues.getCaseByNumber"),
          Effect.map(([x]) => Option.fromNullable(x))
        ),

      nextCaseNumber: (c, year) =>
        sql`
          INSERT INTO gz_issues_counters (community_id, year, n) VALUES (${c}, ${year}, 1)
          ON CONFLICT (community_id, year) DO UPDATE SET n = gz_issues_counters.n + 1
          RETURNING n`.pipe(
          mapSqlError("issues.nextCaseNumber"),
          Effect.map(([r]) => num(r?.n))
        ),

      listDue: (c, dueBy, limit) =>
        selectCases(
          sql`c.community_id = ${c} AND c.next_due_at IS NOT NULL AND c.next_due_at <= ${dueBy}`,
          sql`ORDER BY c.next_due_at, c.case_id LIMIT ${limit}`
        ).pipe(mapSqlError("issues.listDue")),

      listOpen: (c, typeId) =>
        selectCases(
          sql`c.community_id = ${c} AND c.status <> 'closed' ${typeId === undefined ? sql`` : sql`AND c.type_id = ${typeId}`}`
        ).pipe(mapSqlError("issues.listOpen")),

      listOpenByDepartment: (c, departmentId) =>
        selectCases(
          sql`c.community_id = ${c} AND c.status <> 'closed' AND (c.lead = ${departmentId} OR ${departmentId} = ANY(c.assisting))`
        ).pipe(mapSqlError("issues.listOpenByDepartment")),

      listCases: (c, q) =>
        selectCases(
          // Always a condition on created_at: by_created is partial on it (migration 0009).
          sql`c.community_id = ${c} AND c.created_at >= ${q.from ?? Number.MIN_SAFE_INTEGER}
            ${q.to === undefined ? sql`` : sql`AND c.created_at < ${q.to}`}
            ${q.after === undefined ? sql`` : sql`AND (c.created_at, c.case_id) > (${q.after.createdAt}, ${q.after.id})`}`,
          sql`ORDER BY c.created_at, c.case_id LIMIT ${q.limit}`
        ).pipe(mapSqlError("issues.listCases")),

      listByResident: (c, residentId) =>
        selectCases(
          sql`c.community_id = ${c} AND c.case_id IN (
            SELECT r.case_id FROM gz_issues_cases r WHERE r.community_id = ${c} AND r.reporter_resident_id = ${residentId}
            UNION
            SELECT f.case_id FROM gz_issues_followers f WHERE f.community_id = ${c} AND f.resident_id = ${residentId})`
        ).pipe(mapSqlError("issues.listByResident")),

      insertReportKey: (record) =>
        sql`
          WITH inserted AS (
            INSERT INTO gz_issues_report_keys ${sql.insert({
              community_id: record.communityId,
              idempotency_key: record.key,
              case_id: record.caseId,
              fingerprint: record.fingerprint,
              created_at: record.createdAt
            })}
            ON CONFLICT DO NOTHING
            RETURNING 1
          )
          SELECT (SELECT count(*) FROM inserted)::int AS n,
                 EXISTS (SELECT 1 FROM gz_issues_report_keys
                         WHERE community_id = ${record.communityId} AND idempotency_key = ${record.key}) AS key_taken`.pipe(
          mapSqlError("issues.insertReportKey"),
          Effect.flatMap(([r]) =>
            num(r?.n) === 1
              ? Effect.void
              : Effect.fail(
                r?.key_taken === false
                  ? new AlreadyExists({ entity: "IssueReportKeyCase", id: record.caseId })
                  : new AlreadyExists({ entity: "IssueReportKey", id: record.key })
              )
          )
        ),

      findReportKey: (c, key) =>
        sql`
          SELECT community_id, idempotency_key, case_id, fingerprint, created_at
          FROM gz_issues_report_keys WHERE community_id = ${c} AND idempotency_key = ${key}`.pipe(
          mapSqlError("issues.findReportKey"),
          Effect.map(([r]) =>
            Option.map(Option.fromNullable(r), (x): Issues.ReportKey => ({
              communityId: x.community_id as Issues.ReportKey["communityId"],
              key: x.idempotency_key as string,
              caseId: x.case_id as Issues.CaseId,
              fingerprint: x.fingerprint as string,
              createdAt: num(x.created_at)
            }))
          )
        ),

      countOpenByHandler: (c, handlers) =>
        sql`
          SELECT handler, count(*)::int AS open FROM gz_issues_cases
          WHERE community_id = ${c} AND status <> 'closed' AND handler = ANY(${[...handlers]}::text[])
          GROUP BY handler ORDER BY handler`.pipe(
          mapSqlError("issues.countOpenByHandler"),
          Effect.map((rows) => rows.map((r) => ({ handler: r.handler as StaffId, open: num(r.open) })))
        )
    })
  )
})
