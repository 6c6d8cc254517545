/**
 * The notification module's store on PostgreSQL (tables in migration 0015).
 *
 * Claims: one statement picks due, first-in-line pending rows with
 * `FOR UPDATE SKIP LOCKED` and stamps them with the worker's token and lease,
 * so concurrent workers never take the same row and a worker that dies
 * releases its rows when the lease ends. Outcomes are written only while the
 * token still matches (`UPDATE ... WHERE claim_token = $token`), so a worker
 * whose lease expired cannot overwrite the outcome of the one that took over.
 * `useReplyGroup` is one `UPDATE ... WHERE used_at IS NULL`: of two
 * concurrent replies, the second waits for the first's row locks and then
 * finds nothing to update.
 *
 * @since 0.2.0
 */
import { PgClient } from "@effect/sql-pg"
import { AlreadyExists, Conflict, Notifications } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { PgModuleStoreFactory } from "./modules.js"
import { mapSqlError, onUniqueViolationOf } from "./sql.js"

type Row = Record<string, unknown>

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v))
const json = (v: unknown): string => JSON.stringify(v)
const opt = <K extends string>(key: K, v: unknown, f: (v: unknown) => unknown = (x) => x) =>
  (v === null || v === undefined ? {} : { [key]: f(v) }) as Partial<Record<K, never>>

const toEntry = (r: Row) =>
  new Notifications.OutboxEntry({
    communityId: r.community_id as never,
    id: r.entry_id as string,
    seq: num(r.seq),
    recipient: r.recipient as never,
    recipientKey: r.recipient_key as string,
    category: r.category as string,
    urgent: r.urgent as boolean,
    templateId: r.template_id as string,
    params: r.params as never,
    idempotencyKey: r.idempotency_key as string,
    ...opt("sourceEventId", r.source_event_id),
    status: r.status as Notifications.OutboxStatus,
    attempts: num(r.attempts),
    nextAttemptAt: num(r.next_attempt_at),
    ...opt("claimToken", r.claim_token),
    ...opt("claimedUntil", r.claimed_until, num),
    ...opt("channel", r.channel),
    ...opt("provider", r.provider),
    ...opt("providerMessageId", r.provider_message_id),
    ...opt("providerCode", r.provider_code),
    ...opt("segments", r.segments, num),
    ...opt("reason", r.reason),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    ...opt("sentAt", r.sent_at, num),
    ...opt("deliveredAt", r.delivered_at, num)
  }, { disableValidation: true })

/** Every column of an entry but its key and `seq`. */
const entryColumns = (e: Notifications.OutboxEntry) => ({
  recipient: json(e.recipient),
  recipient_key: e.recipientKey,
  category: e.category,
  urgent: e.urgent,
  template_id: e.templateId,
  params: json(e.params),
  idempotency_key: e.idempotencyKey,
  source_event_id: e.sourceEventId ?? null,
  status: e.status,
  attempts: e.attempts,
  next_attempt_at: e.nextAttemptAt,
  claim_token: e.claimToken ?? null,
  claimed_until: e.claimedUntil ?? null,
  channel: e.channel ?? null,
  provider: e.provider ?? null,
  provider_message_id: e.providerMessageId ?? null,
  provider_code: e.providerCode ?? null,
  segments: e.segments ?? null,
  reason: e.reason ?? null,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
  sent_at: e.sentAt ?? null,
  delivered_at: e.deliveredAt ?? null
})

const toPrefs = (r: Row) =>
  new Notifications.Preferences({
    communityId: r.community_id as never,
    residentId: r.resident_id as never,
    channels: r.channels as never,
    locale: r.locale as never,
    quietHours: r.quiet_start === null ? null : { start: num(r.quiet_start), end: num(r.quiet_end) },
    optedOut: r.opted_out as never,
    stopped: r.stopped as boolean,
    updatedAt: num(r.updated_at)
  }, { disableValidation: true })

const toCode = (r: Row) =>
  new Notifications.ReplyCode({
    communityId: r.community_id as never,
    code: r.code as string,
    purpose: r.purpose as Notifications.ReplyPurpose,
    subjectId: r.subject_id as string,
    groupId: r.group_id as string,
    ...opt("householdId", r.household_id),
    residentIds: r.resident_ids as never,
    ...opt("choice", r.choice),
    label: r.label as string,
    issuedAt: num(r.issued_at),
    expiresAt: num(r.expires_at),
    ...opt("usedAt", r.used_at, num),
    ...opt("usedBy", r.used_by)
  }, { disableValidation: true })

/**
 * The notification store on PostgreSQL.
 *
 * @since 0.2.0
 * @category stores
 */
export const makeNotificationStore: PgModuleStoreFactory<Notifications.NotificationStore> = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  return Context.make(
    Notifications.NotificationStore,
    Notifications.NotificationStore.of({
      enqueue: (e) =>
        sql`
          INSERT INTO gz_notify_outbox ${sql.insert({ community_id: e.communityId, entry_id: e.id, ...entryColumns(e) })}
          ON CONFLICT (community_id, idempotency_key) DO NOTHING
          RETURNING *`.pipe(
          mapSqlError("notify.enqueue"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toEntry))
        ),
      claim: ({ communityId, limit, now, token, until }) =>
        sql`
          WITH picked AS (
            SELECT o.community_id, o.entry_id FROM gz_notify_outbox o
            WHERE o.status = 'pending' AND o.next_attempt_at <= ${now}
              AND (o.claimed_until IS NULL OR o.claimed_until <= ${now})
              ${communityId === undefined ? sql`` : sql`AND o.community_id = ${communityId}`}
              AND NOT EXISTS (
                SELECT 1 FROM gz_notify_outbox p
                WHERE p.status = 'pending' AND p.community_id = o.community_id AND p.recipient_key = o.recipient_key
                  AND p.seq < o.seq AND (p.urgent OR NOT o.urgent))
            ORDER BY o.seq
            LIMIT ${Math.max(0, limit)}
            FOR UPDATE OF o SKIP LOCKED
          )
          UPDATE gz_notify_outbox t SET claim_token = ${token}, claimed_until = ${until}
          FROM picked WHERE t.community_id = picked.community_id AND t.entry_id = picked.entry_id
          RETURNING t.*`.pipe(
          mapSqlError("notify.claim"),
          Effect.map((rows) => rows.map(toEntry).sort((a, b) => a.seq - b.seq))
        ),
      update: (e, expected) => {
        const { idempotency_key: _key, ...cols } = entryColumns(e)
        return sql`
          UPDATE gz_notify_outbox SET ${sql.update(cols)}
          WHERE community_id = ${e.communityId} AND entry_id = ${e.id}
            AND ${expected === undefined ? sql`claim_token IS NULL` : sql`claim_token = ${expected}`}
          RETURNING 1 AS updated`.pipe(
          mapSqlError("notify.update"),
          Effect.flatMap((rows) =>
            rows.length === 0
              ? Effect.fail(new Conflict({ entity: "OutboxEntry", id: e.id, detail: "claimed by another worker or missing" }))
              : Effect.void
          )
        )
      },
      getEntry: (c, id) =>
        sql`SELECT * FROM gz_notify_outbox WHERE community_id = ${c} AND entry_id = ${id}`.pipe(
          mapSqlError("notify.getEntry"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toEntry))
        ),
      findByProviderMessageId: (c, provider, id) =>
        sql`SELECT * FROM gz_notify_outbox WHERE community_id = ${c} AND provider = ${provider} AND provider_message_id = ${id}`.pipe(
          mapSqlError("notify.findByProviderMessageId"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toEntry))
        ),
      listEntries: (c, f) =>
        sql`
          SELECT * FROM gz_notify_outbox WHERE community_id = ${c}
          ${f?.status === undefined ? sql`` : sql`AND status = ${f.status}`}
          ${f?.recipientKey === undefined ? sql`` : sql`AND recipient_key = ${f.recipientKey}`}
          ORDER BY seq
          ${f?.limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, f.limit)}`}`.pipe(
          mapSqlError("notify.listEntries"),
          Effect.map((rows) => rows.map(toEntry))
        ),
      countSentSince: (c, rk, since) =>
        sql`
          SELECT count(*) AS n FROM gz_notify_outbox
          WHERE community_id = ${c} AND recipient_key = ${rk} AND NOT urgent AND sent_at >= ${since}`.pipe(
          mapSqlError("notify.countSentSince"),
          Effect.map(([r]) => num(r?.n ?? 0))
        ),

      getPreferences: (c, r) =>
        sql`SELECT * FROM gz_notify_preferences WHERE community_id = ${c} AND resident_id = ${r}`.pipe(
          mapSqlError("notify.getPreferences"),
          Effect.map(([row]) => Option.map(Option.fromNullable(row), toPrefs))
        ),
      putPreferences: (p) =>
        sql`
          INSERT INTO gz_notify_preferences ${sql.insert({
            community_id: p.communityId,
            resident_id: p.residentId,
            channels: json(p.channels),
            locale: p.locale,
            quiet_start: p.quietHours?.start ?? null,
            quiet_end: p.quietHours?.end ?? null,
            opted_out: json(p.optedOut),
            stopped: p.stopped,
            updated_at: p.updatedAt
          })}
          ON CONFLICT (community_id, resident_id) DO UPDATE SET
            channels = excluded.channels, locale = excluded.locale, quiet_start = excluded.quiet_start,
            quiet_end = excluded.quiet_end, opted_out = excluded.opted_out, stopped = excluded.stopped,
            updated_at = excluded.updated_at`.pipe(mapSqlError("notify.putPreferences"), Effect.asVoid),
      listPreferences: (c) =>
        sql`SELECT * FROM gz_notify_preferences WHERE community_id = ${c} ORDER BY resident_id`.pipe(
          mapSqlError("notify.listPreferences"),
          Effect.map((rows) => rows.map(toPrefs))
        ),

      insertReplyCode: (rc) =>
        sql`INSERT INTO gz_notify_reply_codes ${sql.insert({
          community_id: rc.communityId,
          code: rc.code,
          purpose: rc.purpose,
          subject_id: rc.subjectId,
          group_id: rc.groupId,
          household_id: rc.householdId ?? null,
          resident_ids: json(rc.residentIds),
          choice: rc.choice === undefined ? null : json(rc.choice),
          label: rc.label,
          issued_at: rc.issuedAt,
          expires_at: rc.expiresAt,
          used_at: rc.usedAt ?? null,
          used_by: rc.usedBy ?? null
        })}`.pipe(
          onUniqueViolationOf("notify.insertReplyCode", {
            gz_notify_reply_codes_pkey: () => new AlreadyExists({ entity: "ReplyCode", id: rc.code })
          }),
          Effect.asVoid
        ),
      getReplyCode: (c, code) =>
        sql`SELECT * FROM gz_notify_reply_codes WHERE community_id = ${c} AND code = ${code}`.pipe(
          mapSqlError("notify.getReplyCode"),
          Effect.map(([r]) => Option.map(Option.fromNullable(r), toCode))
        ),
      useReplyGroup: (c, groupId, usedAt, usedBy) =>
        sql`
          UPDATE gz_notify_reply_codes SET used_at = ${usedAt}, used_by = ${usedBy}
          WHERE community_id = ${c} AND group_id = ${groupId} AND used_at IS NULL
          RETURNING 1 AS used`.pipe(
          mapSqlError("notify.useReplyGroup"),
          Effect.map((rows) => rows.length > 0)
        )
    })
  )
})
