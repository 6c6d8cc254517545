/**
 * The kernel's ports on PostgreSQL: directory, journal, subscriptions, ledger.
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import {
  Account,
  AlreadyExists,
  Building,
  Community,
  CommunityId,
  Conflict,
  DeadLetter,
  Department,
  Directory,
  type DirectorySnapshot,
  Household,
  JournalEntry,
  JournalStore,
  LedgerStore,
  LedgerTransaction,
  LedgerTxId,
  NotFound,
  Resident,
  Staff,
  SubscriptionStore,
  Unit
} from "@gongzhi/core"
import { Effect, Option } from "effect"
import { findPgError } from "./pg-errors.js"
import { duplicateConflict, inTransaction, mapSqlError, onUniqueViolation } from "./sql.js"

/**
 * The channel `pg_notify` announces committed journal appends on; the payload
 * is the community id.
 *
 * @since 0.1.0
 * @category journal
 */
export const JOURNAL_CHANNEL = "gz_journal"

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v))
const opt = <A>(v: A | null | undefined): A | undefined => (v === null ? undefined : v)

type Row = Record<string, unknown>

const toEntry = (r: Row) =>
  new JournalEntry(
    {
      communityId: r.community_id as never,
      seq: num(r.seq),
      eventId: r.event_id as never,
      type: r.type as string,
      occurredAt: num(r.occurred_at),
      payload: r.payload,
      prevHash: (r.prev_hash as string).trim(),
      hash: (r.hash as string).trim()
    },
    { disableValidation: true }
  )

const toAccount = (r: Row) =>
  new Account(
    {
      communityId: r.community_id as never,
      id: r.account_id as never,
      unit: r.unit as never,
      kind: r.kind as string,
      ...(r.owner === null ? {} : { owner: r.owner as string }),
      ...(r.floor === null ? {} : { floor: num(r.floor) }),
      balance: num(r.balance),
      createdAt: num(r.created_at)
    },
    { disableValidation: true }
  )

/**
 * Builds the kernel stores over the current `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const makeKernelStores = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const directory = Directory.of({
    getCommunity: (c) =>
      sql`SELECT * FROM gz_communities WHERE community_id = ${c}`.pipe(
        mapSqlError("directory.getCommunity"),
        Effect.flatMap(([r]) =>
          r === undefined
            ? Effect.fail(new NotFound({ entity: "Community", id: c }))
            : Effect.succeed(new Community({ id: r.community_id as never, name: r.name as string, timeZone: r.time_zone as string }, { disableValidation: true }))
        )
      ),
    listBuildings: (c) =>
      sql`SELECT * FROM gz_buildings WHERE community_id = ${c} ORDER BY building_id`.pipe(
        mapSqlError("directory.listBuildings"),
        Effect.map((rows) => rows.map((r) => new Building({ communityId: c, id: r.building_id as never, name: r.name as string, floors: num(r.floors), hasElevator: r.has_elevator as boolean }, { disableValidation: true })))
      ),
    listUnits: (c, b) =>
      sql`SELECT * FROM gz_units WHERE community_id = ${c} ${b === undefined ? sql`` : sql`AND building_id = ${b}`} ORDER BY unit_id`.pipe(
        mapSqlError("directory.listUnits"),
        Effect.map((rows) => rows.map((r) => new Unit({ communityId: c, id: r.unit_id as never, buildingId: r.building_id as never, name: r.name as string }, { disableValidation: true })))
      ),
    listHouseholds: (c, f) => selectHouseholds(c, f?.buildingId, f?.unitId, undefined).pipe(mapSqlError("directory.listHouseholds")),
    getHousehold: (c, id) =>
      selectHouseholds(c, undefined, undefined, id).pipe(
        mapSqlError("directory.getHousehold"),
        Effect.flatMap(([h]) => (h === undefined ? Effect.fail(new NotFound({ entity: "Household", id })) : Effect.succeed(h)))
      ),
    listResidents: (c, h) => selectResidents(c, h, undefined).pipe(mapSqlError("directory.listResidents")),
    getResident: (c, id) =>
      selectResidents(c, undefined, id).pipe(
        mapSqlError("directory.getResident"),
        Effect.flatMap(([r]) => (r === undefined ? Effect.fail(new NotFound({ entity: "Resident", id })) : Effect.succeed(r)))
      ),
    listDepartments: (c) =>
      sql`SELECT * FROM gz_departments WHERE community_id = ${c} ORDER BY department_id`.pipe(
        mapSqlError("directory.listDepartments"),
        Effect.map((rows) => rows.map((r) => new Department({ communityId: c, id: r.department_id as never, name: r.name as string }, { disableValidation: true })))
      ),
    listStaff: (c, d) => selectStaff(c, d, undefined).pipe(mapSqlError("directory.listStaff")),
    getStaff: (c, id) =>
      selectStaff(c, undefined, id).pipe(
        mapSqlError("directory.getStaff"),
        Effect.flatMap(([s]) => (s === undefined ? Effect.fail(new NotFound({ entity: "Staff", id })) : Effect.succeed(s)))
      )
  })

  function selectHouseholds(c: string, buildingId: string | undefined, unitId: string | undefined, id: string | undefined) {
    // Owners (like family and departments below) as a subquery per row: as a join, planned for a
    // community the statistics do not know (one row expected), it read every owner of the
    // community for each household (84,525 buffers at 1,920 households).
    return sql`
      SELECT h.*,
             ARRAY(SELECT o.resident_id FROM gz_household_owners o
                   WHERE o.community_id = h.community_id AND o.household_id = h.household_id
                   ORDER BY o.position) AS owner_ids
      FROM gz_households h
      WHERE h.community_id = ${c}
        ${buildingId === undefined ? sql`` : sql`AND h.building_id = ${buildingId}`}
        ${unitId === undefined ? sql`` : sql`AND h.unit_id = ${unitId}`}
        ${id === undefined ? sql`` : sql`AND h.household_id = ${id}`}
      ORDER BY h.household_id`.pipe(
      Effect.map((rows) =>
        rows.map((r) =>
          new Household(
            {
              communityId: c as never,
              id: r.household_id as never,
              buildingId: r.building_id as never,
              unitId: r.unit_id as never,
              floor: num(r.floor),
              label: r.label as string,
              exclusiveAreaDm2: num(r.exclusive_area_dm2) as never,
              ownerIds: r.owner_ids as never
            },
            { disableValidation: true }
          )
        )
      )
    )
  }

  function selectResidents(c: string, householdId: string | undefined, id: string | undefined) {
    return sql`
      SELECT r.*,
             coalesce((SELECT json_agg(json_build_object('relativeId', f.relative_id, 'relation', f.relation) ORDER BY f.position)
                       FROM gz_resident_family f
                       WHERE f.community_id = r.community_id AND f.resident_id = r.resident_id), '[]') AS family
      FROM gz_residents r
      WHERE r.community_id = ${c}
        ${householdId === undefined ? sql`` : sql`AND r.household_id = ${householdId}`}
        ${id === undefined ? sql`` : sql`AND r.resident_id = ${id}`}
      ORDER BY r.resident_id`.pipe(
      Effect.map((rows) =>
        rows.map((r) =>
          new Resident(
            {
              communityId: c as never,
              id: r.resident_id as never,
              name: r.name as string,
              ...(r.household_id === null ? {} : { householdId: r.household_id as never }),
              kind: r.kind as never,
              ...(r.birth_year === null ? {} : { birthYear: num(r.birth_year) }),
              ...(r.phone === null ? {} : { phone: r.phone as string }),
              prefersOffline: r.prefers_offline as boolean,
              locale: r.locale as never,
              family: r.family as never
            },
            { disableValidation: true }
          )
        )
      )
    )
  }

  function selectStaff(c: string, departmentId: string | undefined, id: string | undefined) {
    return sql`
      SELECT * FROM (
        SELECT s.*,
               ARRAY(SELECT d.department_id FROM gz_staff_departments d
                     WHERE d.community_id = s.community_id AND d.staff_id = s.staff_id
                     ORDER BY d.position) AS departments
        FROM gz_staff s
        WHERE s.community_id = ${c}
          ${id === undefined ? sql`` : sql`AND s.staff_id = ${id}`}
      ) s
      ${departmentId === undefined ? sql`` : sql`WHERE ${departmentId} = ANY(s.departments)`}
      ORDER BY s.staff_id`.pipe(
      Effect.map((rows) =>
        rows.map((r) =>
          new Staff(
            {
              communityId: c as never,
              id: r.staff_id as never,
              name: r.name as string,
              roles: r.roles as never,
              departments: r.departments as never,
              ...(r.phone === null ? {} : { phone: r.phone as string })
            },
            { disableValidation: true }
          )
        )
      )
    )
  }

  const journal = JournalStore.of({
    head: (c) =>
      sql`SELECT seq, hash FROM gz_journal_heads WHERE community_id = ${c}`.pipe(
        mapSqlError("journal.head"),
        Effect.map(([r]) => (r === undefined ? Option.none() : Option.some({ seq: num(r.seq), hash: (r.hash as string).trim() })))
      ),
    headForUpdate: (c) =>
      // One round trip: the community's append lock (held until the transaction ends), then the head.
      sql`SELECT seq, hash FROM gz_journal_lock_head(${c})`.pipe(
        mapSqlError("journal.headForUpdate"),
        Effect.map(([r]) => (r === undefined || r.seq === null ? Option.none() : Option.some({ seq: num(r.seq), hash: (r.hash as string).trim() })))
      ),
    append: (c, entries) => {
      if (entries.length === 0) return Effect.void
      const last = entries[entries.length - 1]!
      if (entries.some((e) => e.communityId !== c)) {
        return Effect.fail(new Conflict({ entity: "Journal", id: c, detail: "entry of another community" }))
      }
      const rows = entries.map((e) => ({
        community_id: c,
        seq: e.seq,
        event_id: e.eventId,
        type: e.type,
        occurred_at: e.occurredAt,
        payload: sql.json(e.payload),
        prev_hash: e.prevHash,
        hash: e.hash
      }))
      // One round trip: the entries, the new head, and a notification delivered at commit.
      return sql`
        WITH inserted AS (INSERT INTO gz_journal ${sql.insert(rows)} RETURNING seq),
        head AS (
          INSERT INTO gz_journal_heads (community_id, seq, hash)
          SELECT ${c}, ${last.seq}, ${last.hash} WHERE (SELECT count(*) FROM inserted) = ${entries.length}
          ON CONFLICT (community_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
          RETURNING seq
        )
        SELECT pg_notify(${JOURNAL_CHANNEL}, ${c}) FROM head`.pipe(
        Effect.catchIf(
          (e) => {
            const code = findPgError(e)?.code
            return code === "23505" || code === "23514"
          },
          () => Effect.fail(new Conflict({ entity: "Journal", id: c, detail: `entry ${entries[0]!.seq} does not follow the head` }))
        ),
        mapSqlError("journal.append"),
        Effect.asVoid
      )
    },
    read: (c, after, limit) =>
      sql`SELECT * FROM gz_journal WHERE community_id = ${c} AND seq > ${after} ORDER BY seq LIMIT ${limit}`.pipe(
        mapSqlError("journal.read"),
        Effect.map((rows) => rows.map(toEntry))
      ),
    communities: () =>
      sql`SELECT community_id FROM gz_journal_heads ORDER BY community_id`.pipe(
        mapSqlError("journal.communities"),
        Effect.map((rows) => rows.map((r) => r.community_id as CommunityId))
      )
  })

  const subscriptions = SubscriptionStore.of({
    claim: (c, s) =>
      Effect.gen(function* () {
        yield* sql`INSERT INTO gz_subscription_cursors (community_id, subscriber) VALUES (${c}, ${s}) ON CONFLICT DO NOTHING`
        const [r] = yield* sql`
          SELECT position FROM gz_subscription_cursors WHERE community_id = ${c} AND subscriber = ${s}
          FOR UPDATE SKIP LOCKED`
        return r === undefined ? Option.none<number>() : Option.some(num(r.position))
      }).pipe(mapSqlError("subscriptions.claim")),
    advance: (c, s, seq) =>
      sql`
        INSERT INTO gz_subscription_cursors (community_id, subscriber, position) VALUES (${c}, ${s}, ${seq})
        ON CONFLICT (community_id, subscriber) DO UPDATE SET position = excluded.position`.pipe(
        mapSqlError("subscriptions.advance"),
        Effect.asVoid
      ),
    position: (c, s) =>
      sql`SELECT position FROM gz_subscription_cursors WHERE community_id = ${c} AND subscriber = ${s}`.pipe(
        mapSqlError("subscriptions.position"),
        Effect.map(([r]) => (r === undefined ? 0 : num(r.position)))
      ),
    addDeadLetter: (l) =>
      sql`INSERT INTO gz_dead_letters ${sql.insert({
        community_id: l.communityId,
        subscriber: l.subscriber,
        seq: l.seq,
        event_id: l.eventId,
        type: l.type,
        reason: l.reason,
        attempts: l.attempts,
        failed_at: l.failedAt
      })} ON CONFLICT (community_id, subscriber, seq) DO UPDATE SET reason = excluded.reason, attempts = excluded.attempts, failed_at = excluded.failed_at`.pipe(
        mapSqlError("subscriptions.addDeadLetter"),
        Effect.asVoid
      ),
    deadLetters: (c, s) =>
      sql`SELECT * FROM gz_dead_letters WHERE community_id = ${c} ${s === undefined ? sql`` : sql`AND subscriber = ${s}`} ORDER BY subscriber, seq`.pipe(
        mapSqlError("subscriptions.deadLetters"),
        Effect.map((rows) =>
          rows.map(
            (r) =>
              new DeadLetter(
                {
                  communityId: c,
                  subscriber: r.subscriber as string,
                  seq: num(r.seq),
                  eventId: r.event_id as never,
                  type: r.type as string,
                  reason: r.reason as string,
                  attempts: num(r.attempts),
                  failedAt: num(r.failed_at)
                },
                { disableValidation: true }
              )
          )
        )
      ),
    removeDeadLetter: (c, s, seq) =>
      sql`DELETE FROM gz_dead_letters WHERE community_id = ${c} AND subscriber = ${s} AND seq = ${seq}`.pipe(
        mapSqlError("subscriptions.removeDeadLetter"),
        Effect.asVoid
      )
  })

  const txColumns = (r: Row, postings: ReadonlyArray<{ accountId: string; amount: number }>) =>
    new LedgerTransaction(
      {
        communityId: r.community_id as never,
        id: r.tx_id as never,
        unit: r.unit as never,
        postings: postings as never,
        kind: r.kind as string,
        memo: r.memo as string,
        ...(r.reverses === null ? {} : { reverses: r.reverses as never }),
        ...(r.idempotency_key === null ? {} : { idempotencyKey: r.idempotency_key as string }),
        fingerprint: r.fingerprint as string,
        postedAt: num(r.posted_at)
      },
      { disableValidation: true }
    )

  const selectTx = (c: string, where: "tx_id" | "idempotency_key" | "reverses", value: string) =>
    Effect.gen(function* () {
      const column = sql(where)
      const [r] = yield* sql`SELECT * FROM gz_ledger_transactions WHERE community_id = ${c} AND ${column} = ${value}`
      if (r === undefined) return Option.none<LedgerTransaction>()
      const postings = yield* sql`
        SELECT account_id, amount FROM gz_ledger_postings
        WHERE community_id = ${c} AND tx_id = ${r.tx_id as string} ORDER BY position`
      return Option.some(txColumns(r, postings.map((p) => ({ accountId: p.account_id as string, amount: num(p.amount) }))))
    })

  const ledger = LedgerStore.of({
    insertAccount: (a) =>
      sql`INSERT INTO gz_ledger_accounts ${sql.insert({
        community_id: a.communityId,
        account_id: a.id,
        unit: a.unit,
        kind: a.kind,
        owner: a.owner ?? null,
        floor: a.floor ?? null,
        balance: a.balance,
        created_at: a.createdAt
      })}`.pipe(
        onUniqueViolation("ledger.insertAccount", () => new AlreadyExists({ entity: "Account", id: a.id })),
        Effect.asVoid
      ),
    getAccount: (c, id) =>
      sql`SELECT * FROM gz_ledger_accounts WHERE community_id = ${c} AND account_id = ${id}`.pipe(
        mapSqlError("ledger.getAccount"),
        Effect.map(([r]) => Option.map(Option.fromNullable(r), toAccount))
      ),
    getAccounts: (c, ids) =>
      ids.length === 0
        ? Effect.succeed([])
        : sql`
        SELECT * FROM gz_ledger_accounts WHERE community_id = ${c} AND account_id IN ${sql.in([...new Set(ids)])}
        ORDER BY account_id COLLATE "C"`.pipe(
          mapSqlError("ledger.getAccounts"),
          Effect.map((rows) => rows.map(toAccount))
        ),
    lock: (c, ids) =>
      sql`
        SELECT * FROM gz_ledger_accounts WHERE community_id = ${c} AND account_id IN ${sql.in([...ids])}
        ORDER BY account_id FOR UPDATE`.pipe(
        mapSqlError("ledger.lock"),
        Effect.map((rows) => rows.map(toAccount))
      ),
    insertTransaction: (tx, balances) => {
      const after = new Map(balances.map((b) => [b.accountId as string, b.balance]))
      const postings = tx.postings.map((p, position) => ({
        community_id: tx.communityId,
        tx_id: tx.id,
        account_id: p.accountId,
        unit: tx.unit,
        position,
        amount: p.amount,
        balance_after: after.get(p.accountId)!,
        posted_at: tx.postedAt
      }))
      // One round trip: the transaction, its postings (one statement, so the balance
      // trigger sees them together) and the accounts' new balances. The balances are
      // picked by position, not joined: a join planned for a community the statistics
      // do not know read every account of the community per transaction.
      const ids = balances.map((b) => b.accountId as string)
      return sql`
        WITH t AS (
          INSERT INTO gz_ledger_transactions ${sql.insert({
            community_id: tx.communityId,
            tx_id: tx.id,
            unit: tx.unit,
            kind: tx.kind,
            memo: tx.memo,
            reverses: tx.reverses ?? null,
            idempotency_key: tx.idempotencyKey ?? null,
            fingerprint: tx.fingerprint,
            posted_at: tx.postedAt
          })} RETURNING tx_id
        ),
        p AS (INSERT INTO gz_ledger_postings ${sql.insert(postings)} RETURNING account_id)
        UPDATE gz_ledger_accounts a
        SET balance = (${balances.map((b) => String(b.balance))}::bigint[])[array_position(${ids}::text[], a.account_id)]
        WHERE a.community_id = ${tx.communityId} AND a.account_id = ANY(${ids}::text[])
          AND (SELECT count(*) FROM t) = 1 AND (SELECT count(*) FROM p) = ${postings.length}`.pipe(
        onUniqueViolation("ledger.insertTransaction", duplicateConflict("LedgerTransaction", tx.id)),
        Effect.asVoid
      )
    },
    getTransaction: (c, id) => selectTx(c, "tx_id", id).pipe(mapSqlError("ledger.getTransaction")),
    findByIdempotencyKey: (c, key) =>
      Effect.gen(function* () {
        if (!(yield* inTransaction)) return yield* selectTx(c, "idempotency_key", key)
        // Inside a command: lock the key first, so a request whose key another one is
        // committing waits for it and then reads its result (instead of a unique violation).
        const [r] = yield* sql`SELECT * FROM gz_ledger_tx_by_key(${c}, ${key})`
        if (r === undefined) return Option.none<LedgerTransaction>()
        return yield* selectTx(c, "tx_id", r.tx_id as string)
      }).pipe(mapSqlError("ledger.findByIdempotencyKey")),
    findReversal: (c, id) => selectTx(c, "reverses", id).pipe(mapSqlError("ledger.findReversal")),
    statement: (c, accountId, range) =>
      sql`
        SELECT p.tx_id, t.kind, t.memo, p.amount, p.balance_after, p.posted_at
        FROM gz_ledger_postings p
        JOIN gz_ledger_transactions t ON t.community_id = p.community_id AND t.tx_id = p.tx_id
        WHERE p.community_id = ${c} AND p.account_id = ${accountId}
          AND p.posted_at >= ${range.from} AND p.posted_at < ${range.to}
        ORDER BY p.posted_at, p.entry_no
        LIMIT ${range.limit}`.pipe(
        mapSqlError("ledger.statement"),
        Effect.map((rows) =>
          rows.map((r) => ({
            txId: LedgerTxId.make(r.tx_id as string),
            kind: r.kind as string,
            memo: r.memo as string,
            amount: num(r.amount),
            balanceAfter: num(r.balance_after),
            postedAt: num(r.posted_at)
          }))
        )
      )
  })

  return { directory, journal, subscriptions, ledger }
})

/**
 * Loads (upserts) a community's directory into the PostgreSQL tables, for
 * deployments that keep their directory in Gongzhi's database. Records that
 * are no longer in the snapshot are kept (ballots or cases may refer to
 * them); owners, family links and staff departments are replaced.
 *
 * @since 0.1.0
 * @category directory
 */
export const loadDirectory = (s: DirectorySnapshot) =>
  Effect.gen(function* () {
    const sql = yield* PgClient.PgClient
    const c = s.community.id
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`
          INSERT INTO gz_communities (community_id, name, time_zone) VALUES (${c}, ${s.community.name}, ${s.community.timeZone})
          ON CONFLICT (community_id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone`
        yield* sql`DELETE FROM gz_staff_departments WHERE community_id = ${c}`
        yield* sql`DELETE FROM gz_household_owners WHERE community_id = ${c}`
        yield* sql`DELETE FROM gz_resident_family WHERE community_id = ${c}`
        const upsert = <T extends Record<string, unknown>>(table: string, key: ReadonlyArray<string>, rows: ReadonlyArray<T>) => {
          if (rows.length === 0) return Effect.void
          const columns = Object.keys(rows[0]!).filter((k) => !key.includes(k))
          return sql`INSERT INTO ${sql(table)} ${sql.insert(rows as Array<T>)}
            ON CONFLICT (${sql.unsafe(key.join(", "))}) DO UPDATE SET ${sql.unsafe(columns.map((k) => `${k} = excluded.${k}`).join(", "))}`.pipe(Effect.asVoid)
        }
        const chunks = <T>(rows: ReadonlyArray<T>, size = 500) => {
          const out: Array<ReadonlyArray<T>> = []
          for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
          return out
        }
        const many = <T extends Record<string, unknown>>(table: string, key: ReadonlyArray<string>, rows: ReadonlyArray<T>) =>
          Effect.forEach(chunks(rows), (chunk) => upsert(table, key, chunk), { discard: true })
        yield* many("gz_buildings", ["community_id", "building_id"], s.buildings.map((b) => ({ community_id: c, building_id: b.id, name: b.name, floors: b.floors, has_elevator: b.hasElevator })))
        yield* many("gz_units", ["community_id", "unit_id"], s.units.map((u) => ({ community_id: c, unit_id: u.id, building_id: u.buildingId, name: u.name })))
        yield* many("gz_households", ["community_id", "household_id"], s.households.map((h) => ({ community_id: c, household_id: h.id, building_id: h.buildingId, unit_id: h.unitId, floor: h.floor, label: h.label, exclusive_area_dm2: h.exclusiveAreaDm2 })))
        yield* many("gz_residents", ["community_id", "resident_id"], s.residents.map((r) => ({ community_id: c, resident_id: r.id, name: r.name, household_id: r.householdId ?? null, kind: r.kind, birth_year: r.birthYear ?? null, phone: r.phone ?? null, prefers_offline: r.prefersOffline, locale: r.locale })))
        yield* many("gz_household_owners", ["community_id", "household_id", "resident_id"], s.households.flatMap((h) => h.ownerIds.map((o, position) => ({ community_id: c, household_id: h.id, resident_id: o, position }))))
        yield* many("gz_resident_family", ["community_id", "resident_id", "relative_id"], s.residents.flatMap((r) => r.family.map((f, position) => ({ community_id: c, resident_id: r.id, relative_id: f.relativeId, relation: f.relation, position }))))
        yield* many("gz_departments", ["community_id", "department_id"], s.departments.map((d) => ({ community_id: c, department_id: d.id, name: d.name })))
        yield* many("gz_staff", ["community_id", "staff_id"], s.staff.map((st) => ({ community_id: c, staff_id: st.id, name: st.name, roles: [...st.roles], phone: st.phone ?? null })))
        yield* many("gz_staff_departments", ["community_id", "staff_id", "department_id"], s.staff.flatMap((st) => st.departments.map((d, position) => ({ community_id: c, staff_id: st.id, department_id: d, position }))))
      })
    )
  })

