/**
 * The voting store on PostgreSQL (tables in migrations 0002 and 0006).
 *
 * Concurrency: every voting command loads its proposal first, inside its
 * transaction. There `getProposal` locks the proposal row (`FOR UPDATE`), so
 * the commands on one proposal run one after the other: a ballot is never
 * admitted twice for one voting unit, never lands after the count that closed
 * the vote, and a replaced secret ballot is removed once. The voting-unit
 * and paper-ballot reads also lock their rows inside a transaction. Outside a
 * transaction (queries, reports, a read replica) nothing is locked.
 *
 * @since 0.1.0
 */
import { SqlClient, type Statement } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { AlreadyExists, type CommunityId, Conflict, NotFound, Voting } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { PgModuleStoreFactory } from "./modules.js"
import { mapSqlError, inTransaction, onUniqueViolationOf, updateRow } from "./sql.js"

type Row = Record<string, unknown>

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v))
const json = (v: unknown): string => JSON.stringify(v)

const toScope = (type: string, ids: ReadonlyArray<string>): Voting.Scope => {
  switch (type) {
    case "buildings":
      return { type, buildingIds: ids } as never
    case "units":
      return { type, unitIds: ids } as never
    case "households":
      return { type, householdIds: ids } as never
    default:
      return { type: "community" }
  }
}

const scopeIds = (s: Voting.Scope): ReadonlyArray<string> =>
  s.type === "buildings" ? s.buildingIds : s.type === "units" ? s.unitIds : s.type === "households" ? s.householdIds : []

const toProposal = (r: Row) =>
  new Voting.Proposal(
    {
      communityId: r.community_id as never,
      id: r.proposal_id as never,
      title: r.title as string,
      body: r.body as string,
      ...(r.proposer_id === null ? {} : { proposerId: r.proposer_id as never }),
      createdBy: r.created_by as string,
      status: r.status as never,
      ballot: r.ballot as never,
      rule: r.rule as never,
      tallyMeasure: r.tally_measure as never,
      scope: toScope(r.scope_type as string, r.scope_ids as ReadonlyArray<string>),
      ownerPolicy: r.owner_policy as never,
      affectedHouseholdIds: r.affected_household_ids as never,
      secret: r.secret as boolean,
      voteChange: r.vote_change as never,
      periodMs: num(r.period_ms),
      ...(r.opens_at === null ? {} : { opensAt: num(r.opens_at) }),
      ...(r.closes_at === null ? {} : { closesAt: num(r.closes_at) }),
      ...(r.opened_at === null ? {} : { openedAt: num(r.opened_at) }),
      ...(r.closed_at === null ? {} : { closedAt: num(r.closed_at) }),
      extensions: (r.extensions as ReadonlyArray<{ from: unknown; to: unknown; reason: string; by: string; automatic: boolean }>).map((e) => ({
        from: num(e.from),
        to: num(e.to),
        reason: e.reason,
        by: e.by,
        ...(e.automatic ? { automatic: true } : {})
      })),
      ...(r.outcome === null ? {} : { outcome: r.outcome as never }),
      ...(r.result === null ? {} : { result: r.result }),
      createdAt: num(r.created_at),
      version: num(r.version),
      ...(r.required_rounds === null || r.required_rounds === undefined ? {} : { requiredRounds: num(r.required_rounds) }),
      ...(r.objection_period_ms === null || r.objection_period_ms === undefined ? {} : { objectionPeriodMs: num(r.objection_period_ms) }),
      ...(r.objection_ends_at === null || r.objection_ends_at === undefined ? {} : { objectionEndsAt: num(r.objection_ends_at) }),
      ...(r.cost_plan === null || r.cost_plan === undefined ? {} : { costPlan: r.cost_plan as never })
    },
    { disableValidation: true }
  )

const proposalColumns = (p: Voting.Proposal) => ({
  title: p.title,
  body: p.body,
  proposer_id: p.proposerId ?? null,
  created_by: p.createdBy,
  status: p.status,
  ballot: json(p.ballot),
  rule: json(p.rule),
  tally_measure: p.tallyMeasure,
  scope_type: p.scope.type,
  scope_ids: [...scopeIds(p.scope)],
  owner_policy: p.ownerPolicy,
  affected_household_ids: [...p.affectedHouseholdIds],
  secret: p.secret,
  vote_change: p.voteChange,
  period_ms: p.periodMs,
  opens_at: p.opensAt ?? null,
  closes_at: p.closesAt ?? null,
  opened_at: p.openedAt ?? null,
  closed_at: p.closedAt ?? null,
  outcome: p.outcome ?? null,
  result: p.result === undefined ? null : json(p.result),
  created_at: p.createdAt,
  version: p.version,
  required_rounds: p.requiredRounds ?? null,
  objection_period_ms: p.objectionPeriodMs ?? null,
  objection_ends_at: p.objectionEndsAt ?? null,
  cost_plan: p.costPlan === undefined ? null : json(p.costPlan)
})

const extensionRows = (p: Voting.Proposal): string =>
  json(p.extensions.map((e, position) => ({ position, from_at: e.from, to_at: e.to, reason: e.reason, by_ref: e.by, automatic: e.automatic === true })))

const toUnit = (r: Row) =>
  new Voting.VotingUnit(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      id: r.unit_id as string,
      householdIds: r.household_ids as never,
      ownerIds: r.owner_ids as never,
      heads: num(r.heads),
      areaDm2: num(r.area_dm2),
      weight: num(r.weight),
      affected: r.affected as boolean,
      floor: num(r.floor),
      voted: r.voted as boolean,
      byProxy: r.by_proxy as boolean,
      ...(r.channel === null ? {} : { channel: r.channel as never }),
      ...(r.participant_id === null ? {} : { participantId: r.participant_id as never })
    },
    { disableValidation: true }
  )

const toOpenBallot = (r: Row) =>
  new Voting.OpenBallot(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      votingUnitId: r.voting_unit_id as string,
      choice: r.choice as never,
      channel: r.channel as never,
      castBy: r.cast_by as string,
      ...(r.proxy_holder_id === null ? {} : { proxyHolderId: r.proxy_holder_id as never }),
      ...(r.scan_ref === null ? {} : { scanRef: r.scan_ref as string }),
      ...(r.confirmed_by === null ? {} : { confirmedBy: r.confirmed_by as string }),
      castAt: num(r.cast_at)
    },
    { disableValidation: true }
  )

const toSecretBallot = (r: Row) =>
  new Voting.SecretBallot(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      receiptHash: r.receipt_hash as string,
      choice: r.choice as never,
      heads: num(r.heads),
      areaDm2: num(r.area_dm2),
      weight: num(r.weight),
      affected: r.affected as boolean,
      ...(r.retraction === true ? { retraction: true } : {})
    },
    { disableValidation: true }
  )

const toMixedBallot = (r: Row) =>
  new Voting.MixedBallot(
    { communityId: r.community_id as never, proposalId: r.proposal_id as never, receiptHash: r.receipt_hash as string, choice: r.choice as never },
    { disableValidation: true }
  )

const toSecretTotal = (r: Row) =>
  new Voting.SecretTotal(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      choiceKey: r.choice_key as string,
      choice: r.choice as never,
      affected: r.affected as boolean,
      ballots: num(r.ballots),
      heads: num(r.heads),
      areaDm2: num(r.area_dm2),
      weight: num(r.weight)
    },
    { disableValidation: true }
  )

const toPaperBallot = (r: Row) =>
  new Voting.PaperBallot(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      id: r.paper_ballot_id as never,
      status: r.status as never,
      scanRef: r.scan_ref as string,
      choice: r.choice as never,
      enteredBy: r.entered_by as string,
      ...(r.voting_unit_id === null ? {} : { votingUnitId: r.voting_unit_id as string }),
      ...(r.voter_id === null ? {} : { voterId: r.voter_id as never }),
      ...(r.on_behalf_of === null ? {} : { onBehalfOf: r.on_behalf_of as never }),
      heads: num(r.heads),
      areaDm2: num(r.area_dm2),
      weight: num(r.weight),
      affected: r.affected as boolean,
      ...(r.correction_of === null ? {} : { correctionOf: r.correction_of as never }),
      ...(r.decided_by === null ? {} : { decidedBy: r.decided_by as string }),
      ...(r.reason === null ? {} : { reason: r.reason as string })
    },
    { disableValidation: true }
  )

const paperColumns = (b: Voting.PaperBallot) => ({
  community_id: b.communityId,
  proposal_id: b.proposalId,
  paper_ballot_id: b.id,
  status: b.status,
  scan_ref: b.scanRef,
  choice: json(b.choice),
  entered_by: b.enteredBy,
  voting_unit_id: b.votingUnitId ?? null,
  voter_id: b.voterId ?? null,
  on_behalf_of: b.onBehalfOf ?? null,
  heads: b.heads,
  area_dm2: b.areaDm2,
  weight: b.weight,
  affected: b.affected,
  correction_of: b.correctionOf ?? null,
  decided_by: b.decidedBy ?? null,
  reason: b.reason ?? null
})

const toProxy = (r: Row) =>
  new Voting.ProxyGrant(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      principalId: r.principal_id as never,
      holderId: r.holder_id as never,
      documentRef: r.document_ref as string,
      registeredBy: r.registered_by as string,
      revoked: r.revoked as boolean,
      ...(r.revoked_by === null ? {} : { revokedBy: r.revoked_by as string }),
      ...(r.revoke_reason === null ? {} : { revokeReason: r.revoke_reason as string })
    },
    { disableValidation: true }
  )

const opt = <K extends string, V>(key: K, v: unknown, f: (x: unknown) => V): { [P in K]?: V } =>
  (v === null || v === undefined ? {} : { [key]: f(v) }) as { [P in K]?: V }
const str = (v: unknown) => v as string

const toPost = (r: Row) =>
  new Voting.Post(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      id: r.post_id as never,
      ...opt("replyTo", r.reply_to, (v) => v as never),
      author: r.author as string,
      body: r.body as string,
      postedAt: num(r.posted_at),
      hidden: r.hidden as boolean,
      ...opt("hiddenReason", r.hidden_reason, str),
      ...opt("hiddenBy", r.hidden_by, str),
      ...opt("hiddenAt", r.hidden_at, num)
    },
    { disableValidation: true }
  )

const postColumns = (x: Voting.Post) => ({
  community_id: x.communityId,
  proposal_id: x.proposalId,
  post_id: x.id,
  reply_to: x.replyTo ?? null,
  author: x.author,
  body: x.body,
  posted_at: x.postedAt,
  hidden: x.hidden,
  hidden_reason: x.hiddenReason ?? null,
  hidden_by: x.hiddenBy ?? null,
  hidden_at: x.hiddenAt ?? null
})

const toAmendment = (r: Row) =>
  new Voting.Amendment(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      id: r.amendment_id as never,
      ...opt("title", r.title, str),
      body: r.body as string,
      rationale: r.rationale as string,
      proposedBy: r.proposed_by as string,
      proposedAt: num(r.proposed_at),
      status: r.status as never,
      ...opt("decidedBy", r.decided_by, str),
      ...opt("decidedAt", r.decided_at, num),
      ...opt("reason", r.reason, str)
    },
    { disableValidation: true }
  )

const amendmentColumns = (x: Voting.Amendment) => ({
  community_id: x.communityId,
  proposal_id: x.proposalId,
  amendment_id: x.id,
  title: x.title ?? null,
  body: x.body,
  rationale: x.rationale,
  proposed_by: x.proposedBy,
  proposed_at: x.proposedAt,
  status: x.status,
  decided_by: x.decidedBy ?? null,
  decided_at: x.decidedAt ?? null,
  reason: x.reason ?? null
})

const toRound = (r: Row) =>
  new Voting.NegotiationRound(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      id: r.round_id as never,
      number: num(r.number),
      heldAt: num(r.held_at),
      participants: r.participants as ReadonlyArray<string>,
      summary: r.summary as string,
      recordedBy: r.recorded_by as string,
      recordedAt: num(r.recorded_at)
    },
    { disableValidation: true }
  )

const toObjection = (r: Row) =>
  new Voting.Objection(
    {
      communityId: r.community_id as never,
      proposalId: r.proposal_id as never,
      id: r.objection_id as never,
      residentId: r.resident_id as never,
      reason: r.reason as string,
      filedAt: num(r.filed_at),
      status: r.status as never,
      ...opt("resolvedBy", r.resolved_by, str),
      ...opt("resolvedAt", r.resolved_at, num),
      ...opt("resolution", r.resolution, str)
    },
    { disableValidation: true }
  )

const objectionColumns = (x: Voting.Objection) => ({
  community_id: x.communityId,
  proposal_id: x.proposalId,
  objection_id: x.id,
  resident_id: x.residentId,
  reason: x.reason,
  filed_at: x.filedAt,
  status: x.status,
  resolved_by: x.resolvedBy ?? null,
  resolved_at: x.resolvedAt ?? null,
  resolution: x.resolution ?? null
})

/**
 * The voting store over the adapter's `PgClient`.
 *
 * @since 0.1.0
 * @category stores
 */
export const makeVotingStore: PgModuleStoreFactory<Voting.VotingStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  /** `FOR UPDATE` inside a transaction, nothing outside (reads on a replica stay possible). */
  const lockClause = Effect.map(inTransaction, (inside) => (inside ? sql`FOR UPDATE` : sql``))

  const selectProposals = (c: CommunityId, where: { readonly id?: string; readonly status?: string }) =>
    sql`
      SELECT p.*,
             coalesce((SELECT json_agg(json_build_object('from', e.from_at, 'to', e.to_at, 'reason', e.reason, 'by', e.by_ref, 'automatic', e.automatic) ORDER BY e.position)
                       FROM gz_voting_extensions e
                       WHERE e.community_id = p.community_id AND e.proposal_id = p.proposal_id), '[]') AS extensions
      FROM gz_voting_proposals p
      WHERE p.community_id = ${c}
        ${where.id === undefined ? sql`` : sql`AND p.proposal_id = ${where.id}`}
        ${where.status === undefined ? sql`` : sql`AND p.status = ${where.status}`}
      ORDER BY p.created_at, p.proposal_id`.pipe(Effect.map((rows) => rows.map(toProposal)))

  // Owners never change, so the ARRAY(...) read under the statement's snapshot is
  // current even when FOR UPDATE waited for a concurrent marker update.
  const selectUnits = (c: CommunityId, p: string, filter: Statement.Fragment, lock: Statement.Fragment) =>
    sql`
      SELECT u.*,
             ARRAY(SELECT o.owner_id FROM gz_voting_unit_owners o
                   WHERE o.community_id = u.community_id AND o.proposal_id = u.proposal_id AND o.unit_id = u.unit_id
                   ORDER BY o.position) AS owner_ids
      FROM gz_voting_units u
      WHERE u.community_id = ${c} AND u.proposal_id = ${p} ${filter}
      ORDER BY u.unit_id
      ${lock}`.pipe(Effect.map((rows) => rows.map(toUnit)))

  const writeExtensions = (p: Voting.Proposal) =>
    Effect.zipRight(
      sql`DELETE FROM gz_voting_extensions WHERE community_id = ${p.communityId} AND proposal_id = ${p.id}`,
      sql`
        INSERT INTO gz_voting_extensions (community_id, proposal_id, position, from_at, to_at, reason, by_ref, automatic)
        SELECT ${p.communityId}, ${p.id}, x.position, x.from_at, x.to_at, x.reason, x.by_ref, x.automatic
        FROM jsonb_to_recordset(${extensionRows(p)}::jsonb) AS x(position integer, from_at bigint, to_at bigint, reason text, by_ref text, automatic boolean)`
    )

  /** INSERT ... ON CONFLICT DO NOTHING: any taken key (id or a unique number) is `AlreadyExists`. */
  const insertOnce = (operation: string, table: string, row: Record<string, unknown>, onTaken: () => AlreadyExists) =>
    sql`INSERT INTO ${sql(table)} ${sql.insert(row)} ON CONFLICT DO NOTHING RETURNING 1 AS inserted`.pipe(
      mapSqlError(operation),
      Effect.flatMap((rows) => (rows.length === 1 ? Effect.void : Effect.fail(onTaken())))
    )

  const update = (operation: string, table: string, keys: ReadonlyArray<string>, row: Record<string, unknown>, onMissing: () => NotFound) =>
    updateRow(sql, operation, table, keys, row, onMissing)

  return Context.make(
    Voting.VotingStore,
    Voting.VotingStore.of({
      insertProposal: (p) =>
        // One statement: the proposal and its extensions (ON CONFLICT keeps the caller's transaction usable).
        sql`
          WITH inserted AS (
            INSERT INTO gz_voting_proposals ${sql.insert({ community_id: p.communityId, proposal_id: p.id, ...proposalColumns(p) })}
            ON CONFLICT (community_id, proposal_id) DO NOTHING
            RETURNING proposal_id
          ),
          extensions AS (
            INSERT INTO gz_voting_extensions (community_id, proposal_id, position, from_at, to_at, reason, by_ref, automatic)
            SELECT ${p.communityId}, ${p.id}, x.position, x.from_at, x.to_at, x.reason, x.by_ref, x.automatic
            FROM jsonb_to_recordset(${extensionRows(p)}::jsonb) AS x(position integer, from_at bigint, to_at bigint, reason text, by_ref text, automatic boolean)
            WHERE EXISTS (SELECT 1 FROM inserted)
          )
          SELECT count(*)::int AS n FROM inserted`.pipe(
          mapSqlError("voting.insertProposal"),
          Effect.flatMap(([r]) => (num(r?.n) === 1 ? Effect.void : Effect.fail(new AlreadyExists({ entity: "Proposal", id: p.id }))))
        ),

      getProposal: (c, id, lock = "update") =>
        Effect.gen(function* () {
          // Lock first, then read in a new statement: under READ COMMITTED that
          // statement's snapshot includes whatever the lock waited for (extensions too).
          // FOR SHARE: ballots of one proposal go side by side, while closing or
          // extending it (FOR UPDATE) waits for them and they for it.
          if (yield* inTransaction) {
            yield* sql`SELECT 1 FROM gz_voting_proposals WHERE community_id = ${c} AND proposal_id = ${id} ${
              lock === "share" ? sql`FOR SHARE` : sql`FOR UPDATE`
            }`
          }
          const [p] = yield* selectProposals(c, { id })
          return Option.fromNullable(p)
        }).pipe(mapSqlError("voting.getProposal")),

      updateProposal: (p, expected) =>
        sql
          .withTransaction(
            Effect.gen(function* () {
              const cols = proposalColumns(p)
              const updated = yield* sql`
                UPDATE gz_voting_proposals SET ${sql.update(cols)}
                WHERE community_id = ${p.communityId} AND proposal_id = ${p.id} AND version = ${expected}
                RETURNING proposal_id`
              if (updated.length === 0) {
                const [found] = yield* sql`SELECT version FROM gz_voting_proposals WHERE community_id = ${p.communityId} AND proposal_id = ${p.id}`
                return yield* Effect.fail(
                  new Conflict({
                    entity: "Proposal",
                    id: p.id,
                    detail: `expected version ${expected}, found ${found === undefined ? "none" : num(found.version)}`
                  })
                )
              }
              yield* writeExtensions(p)
            })
          )
          .pipe(mapSqlError("voting.updateProposal")),

      listProposals: (c, status) =>
        selectProposals(c, status === undefined ? {} : { status }).pipe(mapSqlError("voting.listProposals")),

      insertVotingUnits: (c, p, units) =>
        sql
          .withTransaction(
            Effect.gen(function* () {
              // One electorate per proposal, even for concurrent callers.
              yield* sql`SELECT pg_advisory_xact_lock(hashtextextended(${`gz_voting_units:${c}:${p}`}, 0))`
              const [existing] = yield* sql`SELECT 1 AS found FROM gz_voting_units WHERE community_id = ${c} AND proposal_id = ${p} LIMIT 1`
              if (existing !== undefined) return yield* Effect.fail(new AlreadyExists({ entity: "Electorate", id: p }))
              if (units.length === 0) return
              // One statement for all units and one for all owners (the electorate trigger requires it),
              // whatever the size of the community: the rows travel as one JSON parameter.
              const rows = json(
                units.map((u) => ({
                  unit_id: u.id,
                  household_ids: u.householdIds,
                  owner_ids: u.ownerIds,
                  heads: u.heads,
                  area_dm2: u.areaDm2,
                  weight: u.weight,
                  affected: u.affected,
                  floor: u.floor,
                  voted: u.voted,
                  by_proxy: u.byProxy,
                  channel: u.channel ?? null,
                  participant_id: u.participantId ?? null
                }))
              )
              yield* sql`
                INSERT INTO gz_voting_units
                  (community_id, proposal_id, unit_id, household_ids, heads, area_dm2, weight, affected, floor, voted, by_proxy, channel, participant_id)
                SELECT ${c}, ${p}, x.unit_id, x.household_ids, x.heads, x.area_dm2, x.weight, x.affected, x.floor, x.voted, x.by_proxy, x.channel, x.participant_id
                FROM jsonb_to_recordset(${rows}::jsonb) AS x(
                  unit_id text, household_ids text[], heads bigint, area_dm2 bigint, weight bigint, affected boolean,
                  floor integer, voted boolean, by_proxy boolean, channel text, participant_id text)`
              yield* sql`
                INSERT INTO gz_voting_unit_owners (community_id, proposal_id, owner_id, unit_id, position)
                SELECT ${c}, ${p}, o.owner_id, x.unit_id, o.ordinality - 1
                FROM jsonb_to_recordset(${rows}::jsonb) AS x(unit_id text, owner_ids text[])
                CROSS JOIN LATERAL unnest(x.owner_ids) WITH ORDINALITY AS o(owner_id, ordinality)`
            })
          )
          .pipe(
            onUniqueViolationOf("voting.insertVotingUnits", { gz_voting_units_pkey: () => new AlreadyExists({ entity: "Electorate", id: p }) })
          ),

      getVotingUnit: (c, p, id) =>
        Effect.gen(function* () {
          const [u] = yield* selectUnits(c, p, sql`AND u.unit_id = ${id}`, yield* lockClause)
          return Option.fromNullable(u)
        }).pipe(mapSqlError("voting.getVotingUnit")),

      findVotingUnitsByOwner: (c, p, owner) =>
        Effect.gen(function* () {
          return yield* selectUnits(
            c,
            p,
            // The owner's units first (an InitPlan, run once), then those units by primary key.
            // As a join (`IN (SELECT ...)`) the planner, misjudging a new proposal's rows, chose a
            // nested loop over the whole electorate: 1.1 s a ballot at 1,920 households.
            sql`AND u.unit_id = ANY (ARRAY(SELECT o.unit_id FROM gz_voting_unit_owners o
                                           WHERE o.community_id = ${c} AND o.proposal_id = ${p} AND o.owner_id = ${owner}))`,
            yield* lockClause
          )
        }).pipe(mapSqlError("voting.findVotingUnitsByOwner")),

      listVotingUnits: (c, p) => selectUnits(c, p, sql``, sql``).pipe(mapSqlError("voting.listVotingUnits")),

      updateVotingUnit: (u) =>
        // Only the marker, in place; the row carries no time and nothing orders by it.
        update("voting.updateVotingUnit", "gz_voting_units", ["community_id", "proposal_id", "unit_id"], {
          community_id: u.communityId,
          proposal_id: u.proposalId,
          unit_id: u.id,
          voted: u.voted,
          by_proxy: u.byProxy,
          channel: u.channel ?? null,
          participant_id: u.participantId ?? null
        }, () => new NotFound({ entity: "VotingUnit", id: u.id })),

      putOpenBallot: (b) =>
        sql`
          INSERT INTO gz_voting_open_ballots ${sql.insert({
            community_id: b.communityId,
            proposal_id: b.proposalId,
            voting_unit_id: b.votingUnitId,
            choice: json(b.choice),
            channel: b.channel,
            cast_by: b.castBy,
            proxy_holder_id: b.proxyHolderId ?? null,
            scan_ref: b.scanRef ?? null,
            confirmed_by: b.confirmedBy ?? null,
            cast_at: b.castAt
          })}
          ON CONFLICT (community_id, proposal_id, voting_unit_id) DO UPDATE SET
            choice = excluded.choice, channel = excluded.channel, cast_by = excluded.cast_by,
            proxy_holder_id = excluded.proxy_holder_id, scan_ref = excluded.scan_ref,
            confirmed_by = excluded.confirmed_by, cast_at = excluded.cast_at`.pipe(
          mapSqlError("voting.putOpenBallot"),
          Effect.asVoid
        ),

      getOpenBallot: (c, p, u) =>
        sql`SELECT * FROM gz_voting_open_ballots WHERE community_id = ${c} AND proposal_id = ${p} AND voting_unit_id = ${u}`.pipe(
          mapSqlError("voting.getOpenBallot"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toOpenBallot))
        ),

      listOpenBallots: (c, p) =>
        sql`SELECT * FROM gz_voting_open_ballots WHERE community_id = ${c} AND proposal_id = ${p} ORDER BY voting_unit_id`.pipe(
          mapSqlError("voting.listOpenBallots"),
          Effect.map((rows) => rows.map(toOpenBallot))
        ),

      insertSecretBallot: (b) =>
        sql`
          INSERT INTO gz_voting_secret_ballots ${sql.insert({
            community_id: b.communityId,
            proposal_id: b.proposalId,
            receipt_hash: b.receiptHash,
            choice: json(b.choice),
            heads: b.heads,
            area_dm2: b.areaDm2,
            weight: b.weight,
            affected: b.affected,
            retraction: b.retraction === true
          })}
          ON CONFLICT (community_id, proposal_id, receipt_hash) DO NOTHING
          RETURNING receipt_hash`.pipe(
          mapSqlError("voting.insertSecretBallot"),
          Effect.flatMap((rows) => (rows.length === 1 ? Effect.void : Effect.fail(new AlreadyExists({ entity: "SecretBallot", id: b.receiptHash }))))
        ),

      getSecretBallot: (c, p, h) =>
        sql`SELECT * FROM gz_voting_secret_ballots WHERE community_id = ${c} AND proposal_id = ${p} AND receipt_hash = ${h}`.pipe(
          mapSqlError("voting.getSecretBallot"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toSecretBallot))
        ),

      deleteSecretBallot: (c, p, h) =>
        sql`DELETE FROM gz_voting_secret_ballots WHERE community_id = ${c} AND proposal_id = ${p} AND receipt_hash = ${h}`.pipe(
          mapSqlError("voting.deleteSecretBallot"),
          Effect.asVoid
        ),

      listSecretBallots: (c, p) =>
        // By receipt hash, never by anything that follows insertion.
        sql`SELECT * FROM gz_voting_secret_ballots WHERE community_id = ${c} AND proposal_id = ${p} ORDER BY receipt_hash`.pipe(
          mapSqlError("voting.listSecretBallots"),
          Effect.map((rows) => rows.map(toSecretBallot))
        ),

      getMixedBallot: (c, p, h) =>
        sql`SELECT * FROM gz_voting_secret_mixed WHERE community_id = ${c} AND proposal_id = ${p} AND receipt_hash = ${h}`.pipe(
          mapSqlError("voting.getMixedBallot"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toMixedBallot))
        ),

      listMixedBallots: (c, p) =>
        sql`SELECT * FROM gz_voting_secret_mixed WHERE community_id = ${c} AND proposal_id = ${p} ORDER BY receipt_hash`.pipe(
          mapSqlError("voting.listMixedBallots"),
          Effect.map((rows) => rows.map(toMixedBallot))
        ),

      listSecretTotals: (c, p) =>
        sql`SELECT * FROM gz_voting_secret_totals WHERE community_id = ${c} AND proposal_id = ${p} ORDER BY choice_key, affected`.pipe(
          mapSqlError("voting.listSecretTotals"),
          Effect.map((rows) => rows.map(toSecretTotal))
        ),

      applySecretMix: (c, p, mix) =>
        Effect.gen(function* () {
          if (mix.pending.length > 0) {
            yield* sql`DELETE FROM gz_voting_secret_ballots WHERE community_id = ${c} AND proposal_id = ${p} AND receipt_hash IN ${sql.in([...mix.pending])}`
          }
          if (mix.retracted.length > 0) {
            yield* sql`DELETE FROM gz_voting_secret_mixed WHERE community_id = ${c} AND proposal_id = ${p} AND receipt_hash IN ${sql.in([...mix.retracted])}`
          }
          if (mix.mixed.length > 0) {
            // One statement, rows in the order given (a random one), so their physical order follows the mix.
            yield* sql`INSERT INTO gz_voting_secret_mixed ${sql.insert(mix.mixed.map((b) => ({
              community_id: c,
              proposal_id: p,
              receipt_hash: b.receiptHash,
              choice: json(b.choice)
            })))}`
          }
          yield* sql`DELETE FROM gz_voting_secret_totals WHERE community_id = ${c} AND proposal_id = ${p}`
          if (mix.totals.length > 0) {
            yield* sql`INSERT INTO gz_voting_secret_totals ${sql.insert(mix.totals.map((t) => ({
              community_id: c,
              proposal_id: p,
              choice_key: t.choiceKey,
              affected: t.affected,
              choice: json(t.choice),
              ballots: t.ballots,
              heads: t.heads,
              area_dm2: t.areaDm2,
              weight: t.weight
            })))}`
          }
        }).pipe(mapSqlError("voting.applySecretMix")),

      insertPaperBallot: (b) =>
        // Only a taken id is AlreadyExists; a second correction of one ballot is refused by the database.
        sql`
          INSERT INTO gz_voting_paper_ballots ${sql.insert(paperColumns(b))}
          ON CONFLICT (community_id, proposal_id, paper_ballot_id) DO NOTHING
          RETURNING paper_ballot_id`.pipe(
          mapSqlError("voting.insertPaperBallot"),
          Effect.flatMap((rows) => (rows.length === 1 ? Effect.void : Effect.fail(new AlreadyExists({ entity: "PaperBallot", id: b.id }))))
        ),

      getPaperBallot: (c, p, id) =>
        Effect.gen(function* () {
          const [r] = yield* sql`
            SELECT * FROM gz_voting_paper_ballots WHERE community_id = ${c} AND proposal_id = ${p} AND paper_ballot_id = ${id}
            ${yield* lockClause}`
          return Option.map(Option.fromNullable(r), toPaperBallot)
        }).pipe(mapSqlError("voting.getPaperBallot")),

      updatePaperBallot: (b) =>
        update("voting.updatePaperBallot", "gz_voting_paper_ballots", ["community_id", "proposal_id", "paper_ballot_id"], paperColumns(b), () =>
          new NotFound({ entity: "PaperBallot", id: b.id })),

      listPaperBallots: (c, p, status) =>
        sql`
          SELECT * FROM gz_voting_paper_ballots WHERE community_id = ${c} AND proposal_id = ${p}
          ${status === undefined ? sql`` : sql`AND status = ${status}`}
          ORDER BY paper_ballot_id`.pipe(
          mapSqlError("voting.listPaperBallots"),
          Effect.map((rows) => rows.map(toPaperBallot))
        ),

      putProxy: (x) =>
        sql`
          INSERT INTO gz_voting_proxies ${sql.insert({
            community_id: x.communityId,
            proposal_id: x.proposalId,
            principal_id: x.principalId,
            holder_id: x.holderId,
            document_ref: x.documentRef,
            registered_by: x.registeredBy,
            revoked: x.revoked,
            revoked_by: x.revokedBy ?? null,
            revoke_reason: x.revokeReason ?? null
          })}
          ON CONFLICT (community_id, proposal_id, principal_id) DO UPDATE SET
            holder_id = excluded.holder_id, document_ref = excluded.document_ref, registered_by = excluded.registered_by,
            revoked = excluded.revoked, revoked_by = excluded.revoked_by, revoke_reason = excluded.revoke_reason`.pipe(
          mapSqlError("voting.putProxy"),
          Effect.asVoid
        ),

      getProxy: (c, p, principal) =>
        sql`SELECT * FROM gz_voting_proxies WHERE community_id = ${c} AND proposal_id = ${p} AND principal_id = ${principal}`.pipe(
          mapSqlError("voting.getProxy"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toProxy))
        ),

      listProxiesByHolder: (c, p, holder) =>
        sql`
          SELECT * FROM gz_voting_proxies WHERE community_id = ${c} AND proposal_id = ${p} AND holder_id = ${holder}
          ORDER BY principal_id`.pipe(
          mapSqlError("voting.listProxiesByHolder"),
          Effect.map((rows) => rows.map(toProxy))
        ),

      listProxies: (c, p) =>
        sql`SELECT * FROM gz_voting_proxies WHERE community_id = ${c} AND proposal_id = ${p} ORDER BY principal_id`.pipe(
          mapSqlError("voting.listProxies"),
          Effect.map((rows) => rows.map(toProxy))
        ),

      insertPost: (x) =>
        insertOnce("voting.insertPost", "gz_voting_posts", postColumns(x), () => new AlreadyExists({ entity: "Post", id: x.id })),
      getPost: (c, p, id) =>
        sql`SELECT * FROM gz_voting_posts WHERE community_id = ${c} AND proposal_id = ${p} AND post_id = ${id}`.pipe(
          mapSqlError("voting.getPost"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toPost))
        ),
      updatePost: (x) =>
        update("voting.updatePost", "gz_voting_posts", ["community_id", "proposal_id", "post_id"], postColumns(x), () =>
          new NotFound({ entity: "Post", id: x.id })),
      listPosts: (c, p) =>
        sql`SELECT * FROM gz_voting_posts WHERE community_id = ${c} AND proposal_id = ${p} ORDER BY posted_at, post_id`.pipe(
          mapSqlError("voting.listPosts"),
          Effect.map((rows) => rows.map(toPost))
        ),

      insertAmendment: (x) =>
        insertOnce("voting.insertAmendment", "gz_voting_amendments", amendmentColumns(x), () => new AlreadyExists({ entity: "Amendment", id: x.id })),
      getAmendment: (c, p, id) =>
        Effect.gen(function* () {
          const [r] = yield* sql`
            SELECT * FROM gz_voting_amendments WHERE community_id = ${c} AND proposal_id = ${p} AND amendment_id = ${id}
            ${yield* lockClause}`
          return Option.map(Option.fromNullable(r), toAmendment)
        }).pipe(mapSqlError("voting.getAmendment")),
      updateAmendment: (x) =>
        update("voting.updateAmendment", "gz_voting_amendments", ["community_id", "proposal_id", "amendment_id"], amendmentColumns(x), () =>
          new NotFound({ entity: "Amendment", id: x.id })),
      listAmendments: (c, p, status) =>
        sql`
          SELECT * FROM gz_voting_amendments WHERE community_id = ${c} AND proposal_id = ${p}
          ${status === undefined ? sql`` : sql`AND status = ${status}`}
          ORDER BY proposed_at, amendment_id`.pipe(
          mapSqlError("voting.listAmendments"),
          Effect.map((rows) => rows.map(toAmendment))
        ),

      insertRound: (x) =>
        insertOnce(
          "voting.insertRound",
          "gz_voting_rounds",
          {
            community_id: x.communityId,
            proposal_id: x.proposalId,
            round_id: x.id,
            number: x.number,
            held_at: x.heldAt,
            participants: [...x.participants],
            summary: x.summary,
            recorded_by: x.recordedBy,
            recorded_at: x.recordedAt
          },
          () => new AlreadyExists({ entity: "NegotiationRound", id: `${x.id} (#${x.number})` })
        ),
      listRounds: (c, p) =>
        sql`SELECT * FROM gz_voting_rounds WHERE community_id = ${c} AND proposal_id = ${p} ORDER BY number`.pipe(
          mapSqlError("voting.listRounds"),
          Effect.map((rows) => rows.map(toRound))
        ),

      insertObjection: (x) =>
        insertOnce("voting.insertObjection", "gz_voting_objections", objectionColumns(x), () => new AlreadyExists({ entity: "Objection", id: x.id })),
      getObjection: (c, p, id) =>
        Effect.gen(function* () {
          const [r] = yield* sql`
            SELECT * FROM gz_voting_objections WHERE community_id = ${c} AND proposal_id = ${p} AND objection_id = ${id}
            ${yield* lockClause}`
          return Option.map(Option.fromNullable(r), toObjection)
        }).pipe(mapSqlError("voting.getObjection")),
      updateObjection: (x) =>
        update("voting.updateObjection", "gz_voting_objections", ["community_id", "proposal_id", "objection_id"], objectionColumns(x), () =>
          new NotFound({ entity: "Objection", id: x.id })),
      listObjections: (c, p, status) =>
        sql`
          SELECT * FROM gz_voting_objections WHERE community_id = ${c} AND proposal_id = ${p}
          ${status === undefined ? sql`` : sql`AND status = ${status}`}
          ORDER BY filed_at, objection_id`.pipe(
          mapSqlError("voting.listObjections"),
          Effect.map((rows) => rows.map(toObjection))
        )
    })
  )
})
