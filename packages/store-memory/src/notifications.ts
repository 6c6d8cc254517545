/**
 * The notification module's store in memory: outbox entries (with an index
 * by recipient for ordering and rate limits), preferences and reply codes.
 *
 * @since 0.2.0
 */
import { AlreadyExists, Conflict, Notifications } from "@gongzhi/core"
import { Context, Effect, Option } from "effect"
import type { ModuleStoreFactory } from "./modules.js"

const k = (...parts: ReadonlyArray<string | number>) => parts.join("\u0000")
const seqKey = (seq: number) => String(seq).padStart(16, "0")

const ENTRIES = "notify_outbox"
const BY_KEY = "notify_outbox_keys"
const BY_RECIPIENT = "notify_outbox_by_recipient"
const BY_PROVIDER_ID = "notify_outbox_by_provider_id"
const PENDING = "notify_outbox_pending"
const SEQ = "notify_outbox_seq"
const PREFS = "notify_preferences"
const CODES = "notify_reply_codes"
const GROUPS = "notify_reply_groups"

type Entry = Notifications.OutboxEntry

/**
 * The memory adapter's `NotificationStore`. Claims are leases stamped on the
 * entries (transactions are serialised, so no two workers claim the same one).
 *
 * @since 0.2.0
 * @category stores
 */
export const makeNotificationStore: ModuleStoreFactory<Notifications.NotificationStore> = (db, run) => {
  const read = <A>(f: () => A) => run(Effect.sync(f))
  const get = (c: string, id: string) => db.get<Entry>(ENTRIES, k(c, id))
  const write = (e: Entry, prev: Entry | undefined) => {
    db.set(ENTRIES, k(e.communityId, e.id), e)
    if (prev === undefined || prev.status !== e.status) {
      if (e.status === "pending") db.set(PENDING, k(seqKey(e.seq), e.communityId, e.id), k(e.communityId, e.id))
      else db.delete(PENDING, k(seqKey(e.seq), e.communityId, e.id))
    }
    if (e.providerMessageId !== undefined && e.provider !== undefined && e.providerMessageId !== prev?.providerMessageId) {
      db.set(BY_PROVIDER_ID, k(e.communityId, e.provider, e.providerMessageId), k(e.communityId, e.id))
    }
  }
  return Context.make(
    Notifications.NotificationStore,
    Notifications.NotificationStore.of({
      enqueue: (entry) =>
        read(() => {
          if (db.has(BY_KEY, k(entry.communityId, entry.idempotencyKey))) return Option.none()
          const seq = (db.get<number>(SEQ, "global") ?? 0) + 1
          db.set(SEQ, "global", seq)
          const stored = new Notifications.OutboxEntry({ ...entry, seq }, { disableValidation: true })
          db.set(BY_KEY, k(entry.communityId, entry.idempotencyKey), entry.id)
          db.set(BY_RECIPIENT, k(entry.communityId, entry.recipientKey, seqKey(seq)), entry.id)
          write(stored, undefined)
          return Option.some(stored)
        }),
      claim: ({ communityId, limit, now, token, until }) =>
        read(() => {
          const out: Array<Entry> = []
          // per community + recipient: whether an earlier pending entry (any / urgent) was seen
          const blockedAll = new Set<string>()
          const blockedUrgent = new Set<string>()
          const keys = db.keys(PENDING).sort()
          for (const key of keys) {
            if (out.length >= limit) break
            const e = db.get<Entry>(ENTRIES, db.get<string>(PENDING, key)!)!
            if (communityId !== undefined && e.communityId !== communityId) continue
            const rk = k(e.communityId, e.recipientKey)
            const blocked = e.urgent ? blockedUrgent.has(rk) : blockedAll.has(rk)
            blockedAll.add(rk)
            if (e.urgent) blockedUrgent.add(rk)
            if (blocked || e.nextAttemptAt > now || (e.claimedUntil !== undefined && e.claimedUntil > now)) continue
            const claimed = new Notifications.OutboxEntry({ ...e, claimToken: token, claimedUntil: until }, { disableValidation: true })
            write(claimed, e)
            out.push(claimed)
          }
          return out
        }),
      update: (entry, expectedToken) =>
        run(Effect.suspend(() => {
          const stored = get(entry.communityId, entry.id)
          if (stored === undefined || stored.claimToken !== expectedToken) {
            return Effect.fail(new Conflict({ entity: "OutboxEntry", id: entry.id, detail: stored === undefined ? "no such entry" : "claimed by another worker" }))
          }
          write(new Notifications.OutboxEntry({ ...entry, seq: stored.seq }, { disableValidation: true }), stored)
          return Effect.void
        })),
      getEntry: (c, id) => read(() => Option.fromNullable(get(c, id))),
      findByProviderMessageId: (c, provider, id) =>
        read(() => {
          const ref = db.get<string>(BY_PROVIDER_ID, k(c, provider, id))
          return Option.fromNullable(ref === undefined ? undefined : db.get<Entry>(ENTRIES, ref))
        }),
      listEntries: (c, f) =>
        read(() => {
          const all = f?.recipientKey !== undefined
            ? db.values<string>(BY_RECIPIENT, k(c, f.recipientKey, "")).map((id) => get(c, id)!)
            : db.values<Entry>(ENTRIES, k(c, ""))
          const out = all.filter((e) => f?.status === undefined || e.status === f.status).sort((a, b) => a.seq - b.seq)
          return f?.limit === undefined ? out : out.slice(0, Math.max(0, f.limit))
        }),
      countSentSince: (c, rk, since) =>
        read(() =>
          db.values<string>(BY_RECIPIENT, k(c, rk, "")).reduce((n, id) => {
            const e = get(c, id)!
            return !e.urgent && e.sentAt !== undefined && e.sentAt >= since ? n + 1 : n
          }, 0)
        ),

      getPreferences: (c, r) => read(() => Option.fromNullable(db.get<Notifications.Preferences>(PREFS, k(c, r)))),
      putPreferences: (p) => read(() => db.set(PREFS, k(p.communityId, p.residentId), p)),
      listPreferences: (c) =>
        read(() => db.values<Notifications.Preferences>(PREFS, k(c, "")).sort((a, b) => (a.residentId < b.residentId ? -1 : a.residentId > b.residentId ? 1 : 0))),

      insertReplyCode: (code) =>
        run(Effect.suspend(() => {
          if (db.has(CODES, k(code.communityId, code.code))) {
            return Effect.fail(new AlreadyExists({ entity: "ReplyCode", id: code.code }))
          }
          db.set(CODES, k(code.communityId, code.code), code)
          db.set(GROUPS, k(code.communityId, code.groupId, code.code), code.code)
          return Effect.void
        })),
      getReplyCode: (c, code) => read(() => Option.fromNullable(db.get<Notifications.ReplyCode>(CODES, k(c, code)))),
      useReplyGroup: (c, groupId, usedAt, usedBy) =>
        read(() => {
          let any = false
          for (const code of db.values<string>(GROUPS, k(c, groupId, ""))) {
            const rc = db.get<Notifications.ReplyCode>(CODES, k(c, code))!
            if (rc.usedAt !== undefined) continue
            any = true
            db.set(CODES, k(c, code), new Notifications.ReplyCode({ ...rc, usedAt, usedBy }, { disableValidation: true }))
          }
          return any
        })
    })
  )
}
