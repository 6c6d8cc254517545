/**
 * The journal: a per-community, append-only, hash-chained log of domain
 * events. Every successful command appends its events in the same
 * transaction as its state change.
 *
 * Each entry's `hash` is SHA-256 over the canonical JSON of the entry
 * (community, sequence number, event id, type, time, payload) together with
 * the previous entry's hash, so {@link verifyEntries} finds any edit,
 * deletion, insertion or reordering. Truncating the newest entries is caught
 * against an anchor: the head (`seq` + `hash`) that the store keeps apart from
 * the entries, or one published on a notice board.
 *
 * @since 0.1.0
 */
import { sha256 } from "@noble/hashes/sha2"
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils"
import { Chunk, Clock, Context, Effect, Option, Schema } from "effect"
import type { Conflict, StoreUnavailable } from "./errors.js"
import { CommunityId, EventId, newId } from "./ids.js"

/**
 * Hex SHA-256 digest.
 *
 * @since 0.1.0
 * @category journal
 */
export const Sha256Hex = Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))

/**
 * The `prevHash` of a community's first entry.
 *
 * @since 0.1.0
 * @category journal
 */
export const GENESIS_HASH = "0".repeat(64)

/**
 * One journal entry.
 *
 * @since 0.1.0
 * @category journal
 */
export class JournalEntry extends Schema.Class<JournalEntry>("JournalEntry")({
  communityId: CommunityId,
  /** 1, 2, 3, ... without gaps per community. */
  seq: Schema.Int.pipe(Schema.positive()),
  eventId: EventId,
  /** The event's `_tag`, e.g. `LedgerTransactionPosted`. */
  type: Schema.String,
  /** Epoch milliseconds from `Clock`. */
  occurredAt: Schema.Int,
  /** The event, encoded with its schema (plain JSON). */
  payload: Schema.Unknown,
  prevHash: Sha256Hex,
  hash: Sha256Hex
}) {}

/**
 * The newest entry's position and hash: what the store keeps apart from the
 * entries, and what a community can publish as an anchor.
 *
 * @since 0.1.0
 * @category journal
 */
export const JournalHead = Schema.Struct({ seq: Schema.Int, hash: Sha256Hex })
/**
 * @since 0.1.0
 * @category journal
 */
export type JournalHead = typeof JournalHead.Type

/**
 * Serialises JSON data canonically: object keys sorted by code unit, no
 * whitespace, `undefined` members dropped. Rejects values JSON cannot carry
 * exactly (non-finite numbers, bigints, functions).
 *
 * @since 0.1.0
 * @category journal
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null) return "null"
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value)
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number")
      return JSON.stringify(value)
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`
      const obj = value as Record<string, unknown>
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`)
  }
}

/**
 * SHA-256 of a UTF-8 string as lowercase hex, synchronous, with the audited
 * pure implementation of `@noble/hashes` (the same in Node, browsers and
 * mini-program runtimes; Web Crypto's `digest` is asynchronous and cost a
 * thread-pool round trip per entry).
 *
 * @since 0.1.0
 * @category journal
 */
export const sha256HexSync = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)))

/**
 * {@link sha256HexSync} as an effect.
 *
 * @since 0.1.0
 * @category journal
 */
export const sha256Hex = (text: string): Effect.Effect<string> => Effect.sync(() => sha256HexSync(text))

/**
 * The fields an entry's hash covers.
 *
 * @since 0.1.0
 * @category journal
 */
export type HashedFields = Omit<JournalEntry, "hash">

/**
 * Computes an entry's hash from its fields and the previous hash.
 *
 * @since 0.1.0
 * @category journal
 */
export const entryHash = (entry: HashedFields): Effect.Effect<string> =>
  sha256Hex(
    canonicalJson({
      communityId: entry.communityId,
      seq: entry.seq,
      eventId: entry.eventId,
      type: entry.type,
      occurredAt: entry.occurredAt,
      payload: entry.payload,
      prevHash: entry.prevHash
    })
  )

/**
 * Why a journal failed verification, at the first entry that breaks the chain.
 *
 * - `sequence`: an entry is missing, inserted or moved (`seq` is not the next number);
 * - `link`: the entry does not point at the previous entry's hash;
 * - `hash`: the entry's content was edited (its hash no longer matches);
 * - `community`: the entry belongs to another community;
 * - `anchor`: the entries end before or after the anchor (truncation, or an edit of the newest entries).
 *
 * @since 0.1.0
 * @category journal
 */
export type VerifyFailure = "sequence" | "link" | "hash" | "community" | "anchor"

/**
 * The result of verifying a journal.
 *
 * @since 0.1.0
 * @category journal
 */
export type VerifyResult =
  | { readonly ok: true; readonly entries: number; readonly head: JournalHead }
  | {
    readonly ok: false
    /** Zero-based position in the list that was checked. */
    readonly index: number
    /** The `seq` found at that position, if any. */
    readonly seq: number | undefined
    readonly reason: VerifyFailure
  }

/**
 * What a journal is checked against besides its own chain.
 *
 * @since 0.1.0
 * @category journal
 */
export interface VerifyOptions {
  /** The head the store keeps apart from the entries: the list must end exactly there. */
  readonly head?: JournalHead | undefined
  /** Heads published earlier (notice board, a regulator's copy): each must still be in the chain. */
  readonly anchors?: ReadonlyArray<JournalHead> | undefined
}

/**
 * Verifies a list of entries from the start of a community's journal,
 * against the stored head and any published anchors. Reports the first entry
 * at which the chain breaks.
 *
 * @since 0.1.0
 * @category journal
 */
export const verifyEntries = (
  communityId: string,
  entries: ReadonlyArray<JournalEntry>,
  options: VerifyOptions = {}
): Effect.Effect<VerifyResult> =>
  Effect.gen(function* () {
    let prev = GENESIS_HASH
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!
      const fail = (reason: VerifyFailure): VerifyResult => ({ ok: false, index: i, seq: e.seq, reason })
      if (e.communityId !== communityId) return fail("community")
      if (e.seq !== i + 1) return fail("sequence")
      if (e.prevHash !== prev) return fail("link")
      if ((yield* entryHash(e)) !== e.hash) return fail("hash")
      prev = e.hash
    }
    const head: JournalHead = { seq: entries.length, hash: prev }
    const anchorFailure = (a: JournalHead): VerifyResult => ({
      ok: false,
      index: Math.min(a.seq, entries.length),
      seq: a.seq,
      reason: "anchor"
    })
    if (options.head !== undefined && (options.head.seq !== head.seq || options.head.hash !== head.hash)) {
      return anchorFailure(options.head)
    }
    for (const a of options.anchors ?? []) {
      const at = a.seq === 0 ? GENESIS_HASH : entries[a.seq - 1]?.hash
      if (at !== a.hash) return anchorFailure(a)
    }
    return { ok: true, entries: entries.length, head }
  })

/**
 * The journal's storage port. Adapters store entries exactly as given (the
 * core computes sequence numbers and hashes) and keep the head apart.
 *
 * `append` must fail with `Conflict` when the first new entry does not follow
 * the stored head (another transaction appended first).
 *
 * @since 0.1.0
 * @category ports
 */
export class JournalStore extends Context.Tag("@gongzhi/core/JournalStore")<
  JournalStore,
  {
    readonly head: (communityId: CommunityId) => Effect.Effect<Option.Option<JournalHead>, StoreUnavailable>
    /**
     * The head, locked for appending until the transaction ends, so concurrent
     * commands in one community append one after the other (PostgreSQL: a
     * transaction-scoped advisory lock per community).
     */
    readonly headForUpdate: (communityId: CommunityId) => Effect.Effect<Option.Option<JournalHead>, StoreUnavailable>
    readonly append: (
      communityId: CommunityId,
      entries: ReadonlyArray<JournalEntry>
    ) => Effect.Effect<void, StoreUnavailable | Conflict>
    /** Entries with `seq > afterSeq`, oldest first, at most `limit`. */
    readonly read: (
      communityId: CommunityId,
      afterSeq: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<JournalEntry>, StoreUnavailable>
    /** Every community that has a journal. */
    readonly communities: () => Effect.Effect<ReadonlyArray<CommunityId>, StoreUnavailable>
  }
>() {}

/**
 * An event a module appends: any Schema-tagged value.
 *
 * @since 0.1.0
 * @category journal
 */
export interface TaggedEvent {
  readonly _tag: string
}

/**
 * Appends events (encoded with `schema`) to the community's journal, chained
 * to the current head. Call it inside the command's transaction.
 *
 * @since 0.1.0
 * @category journal
 */
export const appendEvents = <A extends TaggedEvent, I>(
  communityId: CommunityId,
  schema: Schema.Schema<A, I, never>,
  events: ReadonlyArray<NoInfer<A>>
): Effect.Effect<ReadonlyArray<JournalEntry>, StoreUnavailable | Conflict, JournalStore> =>
  Effect.gen(function* () {
    if (events.length === 0) return []
    const store = yield* JournalStore
    const head = yield* store.headForUpdate(communityId)
    const occurredAt = yield* Clock.currentTimeMillis
    let seq = Option.match(head, { onNone: () => 0, onSome: (h) => h.seq })
    let prevHash = Option.match(head, { onNone: () => GENESIS_HASH, onSome: (h) => h.hash })
    const encode = Schema.encodeSync(schema)
    const entries: Array<JournalEntry> = []
    for (const event of events) {
      seq += 1
      const fields = {
        communityId,
        seq,
        eventId: EventId.make(yield* newId("ev")),
        type: event._tag,
        occurredAt,
        payload: encode(event),
        prevHash
      }
      const hash = yield* entryHash(fields)
      entries.push(new JournalEntry({ ...fields, hash }, { disableValidation: true }))
      prevHash = hash
    }
    yield* store.append(communityId, entries)
    return entries
  })

/**
 * Reads a whole journal (or the part after `afterSeq`) in pages.
 *
 * @since 0.1.0
 * @category journal
 */
export const readJournal = (
  communityId: CommunityId,
  afterSeq = 0,
  pageSize = 1000
): Effect.Effect<ReadonlyArray<JournalEntry>, StoreUnavailable, JournalStore> =>
  Effect.gen(function* () {
    const store = yield* JournalStore
    let out = Chunk.empty<JournalEntry>()
    let after = afterSeq
    while (true) {
      const page = yield* store.read(communityId, after, pageSize)
      out = Chunk.appendAll(out, Chunk.fromIterable(page))
      if (page.length < pageSize) return Chunk.toReadonlyArray(out)
      after = page[page.length - 1]!.seq
    }
  })

/**
 * Verifies a community's stored journal: the chain from the first entry, the
 * head the store keeps apart, and any heads published earlier.
 *
 * @since 0.1.0
 * @category journal
 */
export const verifyJournal = (
  communityId: CommunityId,
  anchors?: ReadonlyArray<JournalHead>
): Effect.Effect<VerifyResult, StoreUnavailable, JournalStore> =>
  Effect.gen(function* () {
    const store = yield* JournalStore
    const entries = yield* readJournal(communityId)
    const head = Option.getOrUndefined(yield* store.head(communityId))
    return yield* verifyEntries(communityId, entries, { head, anchors })
  })

/**
 * Decodes an entry's payload with the schema of the events a reader knows;
 * `None` for events of other types.
 *
 * @since 0.1.0
 * @category journal
 */
export const decodeEntry = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const decode = Schema.decodeUnknownOption(schema)
  return (entry: JournalEntry): Option.Option<A> => decode(entry.payload)
}
