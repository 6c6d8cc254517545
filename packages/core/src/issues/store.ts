/**
 * The issues module's repository port. Plain records in and out; every method
 * takes the community first and never crosses tenants. A PostgreSQL adapter
 * keeps one `issue_cases` row per case (the timeline, deadlines and
 * mediation rounds as JSON columns or child tables), a unique key on
 * `(community_id, number)`, a counter row per `(community_id, year)` and an
 * index on `(community_id, next_due_at) WHERE next_due_at IS NOT NULL`.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { AlreadyExists, Conflict, NotFound, StoreUnavailable } from "../kernel/errors.js"
import type { CommunityId, DepartmentId, ResidentId, StaffId } from "../kernel/ids.js"
import type { CaseId, CaseTypeId, IssueCase, ReportKey } from "./model.js"

/**
 * Which cases `listCases` returns: created in `[from, to)`, ordered by
 * `(createdAt, id)`, after the `(createdAt, id)` cursor when given.
 *
 * @since 0.1.0
 * @category ports
 */
export interface CaseQuery {
  readonly from?: number
  readonly to?: number
  readonly after?: { readonly createdAt: number; readonly id: CaseId }
  readonly limit: number
}

/**
 * The issues store.
 *
 * Contract (checked by the conformance suite):
 * - `insertCase` fails with `AlreadyExists` when the id or the number is
 *   already taken in the community; `version` must be 1.
 * - `updateCase(record, expectedVersion)` replaces the stored case when its
 *   stored version equals `expectedVersion` and `record.version ===
 *   expectedVersion + 1`; otherwise it fails with `Conflict` (a lost race).
 *   It also fails with `Conflict` when the new timeline does not extend the
 *   stored one (the timeline is append-only: the stored steps must be a
 *   prefix, compared by `seq` and `kind`). `NotFound` when there is no such case.
 * - `nextCaseNumber(c, year)` returns 1, 2, 3, ... per community and year;
 *   it is transactional (rolled back with the caller's transaction), so
 *   numbers are gap-free among committed cases. PostgreSQL: `INSERT ... ON
 *   CONFLICT DO UPDATE SET n = n + 1 RETURNING n`, which also serialises
 *   concurrent reporters.
 * - `listDue(c, dueBy, limit)`: cases with `nextDueAt <= dueBy`, ordered by
 *   `(nextDueAt, id)`, at most `limit`; cases without `nextDueAt` never.
 * - `listOpen(c, typeId?)`: cases whose status is not `closed`, optionally of
 *   one type, ordered by `(createdAt, id)`.
 * - `listOpenByDepartment(c, departmentId)`: cases whose status is not
 *   `closed` and whose lead department is `departmentId` or that department
 *   assists, ordered by `(createdAt, id)`.
 * - `listByResident(c, residentId)`: cases the resident reported (by
 *   `reporter.residentId`) or follows, ordered by `(createdAt, id)`.
 * - `insertReportKey(record)` records the idempotency key a report was filed
 *   with, in the transaction that inserted its case (the case must exist:
 *   PostgreSQL enforces it with a foreign key). It fails with `AlreadyExists`
 *   when the key is already taken in the community (entity
 *   `IssueReportKey`) or the case already has a key (entity
 *   `IssueReportKeyCase`); keys are never changed or removed. Rolled back
 *   with the caller's transaction. PostgreSQL: primary key
 *   `(community_id, idempotency_key)`, unique `(community_id, case_id)`.
 * - `findReportKey(c, key)`: the record of that key in the community, if any.
 * - `countOpenByHandler(c, handlers)`: for each of `handlers` with at least
 *   one case assigned to them (`handler`) whose status is not `closed`, the
 *   number of such cases; handlers with none are left out; ordered by
 *   handler id (code point order). PostgreSQL: a partial index on
 *   `(community_id, handler) WHERE status <> 'closed'`.
 *
 * @since 0.1.0
 * @category ports
 */
export class IssueStore extends Context.Tag("@gongzhi/core/IssueStore")<
  IssueStore,
  {
    readonly insertCase: (record: IssueCase) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly updateCase: (
      record: IssueCase,
      expectedVersion: number
    ) => Effect.Effect<void, Conflict | NotFound | StoreUnavailable>
    readonly getCase: (communityId: CommunityId, id: CaseId) => Effect.Effect<Option.Option<IssueCase>, StoreUnavailable>
    readonly getCaseByNumber: (
      communityId: CommunityId,
      number: string
    ) => Effect.Effect<Option.Option<IssueCase>, StoreUnavailable>
    readonly nextCaseNumber: (communityId: CommunityId, year: number) => Effect.Effect<number, StoreUnavailable>
    readonly listDue: (
      communityId: CommunityId,
      dueBy: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<IssueCase>, StoreUnavailable>
    readonly listOpen: (
      communityId: CommunityId,
      typeId?: CaseTypeId
    ) => Effect.Effect<ReadonlyArray<IssueCase>, StoreUnavailable>
    readonly listOpenByDepartment: (
      communityId: CommunityId,
      departmentId: DepartmentId
    ) => Effect.Effect<ReadonlyArray<IssueCase>, StoreUnavailable>
    readonly listCases: (
      communityId: CommunityId,
      query: CaseQuery
    ) => Effect.Effect<ReadonlyArray<IssueCase>, StoreUnavailable>
    readonly listByResident: (
      communityId: CommunityId,
      residentId: ResidentId
    ) => Effect.Effect<ReadonlyArray<IssueCase>, StoreUnavailable>
    readonly insertReportKey: (record: ReportKey) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly findReportKey: (
      communityId: CommunityId,
      key: string
    ) => Effect.Effect<Option.Option<ReportKey>, StoreUnavailable>
    readonly countOpenByHandler: (
      communityId: CommunityId,
      handlers: ReadonlyArray<StaffId>
    ) => Effect.Effect<ReadonlyArray<{ readonly handler: StaffId; readonly open: number }>, StoreUnavailable>
  }
>() {}
