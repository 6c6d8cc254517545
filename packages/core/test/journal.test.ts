import { MemoryInspector, MemoryStore } from "../../store-memory/src/index.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Option, Schema, TestClock } from "effect"
import {
  appendEvents,
  canonicalJson,
  type CommunityId,
  decodeEntry,
  entryHash,
  EventId,
  GENESIS_HASH,
  type HashedFields,
  JournalEntry,
  type JournalHead,
  JournalStore,
  readJournal,
  transactionally,
  verifyEntries,
  verifyJournal
} from "../src/index.js"
import { C, C2 } from "./support.js"

// ---------------------------------------------------------------------------
// Building chains directly with entryHash

interface Spec {
  readonly type: string
  readonly occurredAt: number
  readonly payload: unknown
}

const seal = (fields: HashedFields): Effect.Effect<JournalEntry> =>
  Effect.map(entryHash(fields), (hash) => new JournalEntry({ ...fields, hash }, { disableValidation: true }))

/** A valid chain from genesis; entry i has event id `ev-i`. */
const buildChain = (communityId: CommunityId, specs: ReadonlyArray<Spec>) =>
  Effect.gen(function* () {
    const out: Array<JournalEntry> = []
    let prevHash = GENESIS_HASH
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i]!
      const e = yield* seal({
        communityId,
        seq: i + 1,
        eventId: EventId.make(`ev-${i}`),
        type: s.type,
        occurredAt: s.occurredAt,
        payload: s.payload,
        prevHash
      })
      out.push(e)
      prevHash = e.hash
    }
    return out
  })

const headOf = (entries: ReadonlyArray<JournalEntry>): JournalHead =>
  entries.length === 0 ? { seq: 0, hash: GENESIS_HASH } : { seq: entries.length, hash: entries[entries.length - 1]!.hash }

const fieldsOf = (e: JournalEntry): HashedFields => ({
  communityId: e.communityId,
  seq: e.seq,
  eventId: e.eventId,
  type: e.type,
  occurredAt: e.occurredAt,
  payload: e.payload,
  prevHash: e.prevHash
})

/** JSON payloads as modules produce them (encoded events). */
const payloadArb: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 })
const specArb: fc.Arbitrary<Spec> = fc.record({
  type: fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/),
  occurredAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  payload: payloadArb
})
const specsArb = fc.array(specArb, { minLength: 1, maxLength: 30 })

/** A payload whose canonical JSON surely differs from `old`'s. */
const differentPayload = (old: unknown, candidate: unknown): unknown =>
  canonicalJson(candidate) !== canonicalJson(old) ? candidate : [old]

type Field = "payload" | "type" | "occurredAt" | "eventId" | "prevHash" | "communityId"

/** Changes one hashed field of `e` to a value that surely differs. */
const editField = (e: JournalEntry, field: Field, seed: { payload: unknown; n: number; text: string }): HashedFields => {
  const f = fieldsOf(e)
  switch (field) {
    case "payload":
      return { ...f, payload: differentPayload(e.payload, seed.payload) }
    case "type":
      return { ...f, type: seed.text !== e.type ? seed.text : `${e.type}X` }
    case "occurredAt":
      return { ...f, occurredAt: seed.n !== e.occurredAt ? seed.n : e.occurredAt + 1 }
    case "eventId":
      return { ...f, eventId: EventId.make(`forged-${seed.n}`) }
    case "prevHash":
      return { ...f, prevHash: e.prevHash === GENESIS_HASH ? "f".repeat(64) : GENESIS_HASH }
    case "communityId":
      return { ...f, communityId: C2 }
  }
}

const editArb = fc.record({
  payload: payloadArb,
  n: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  text: fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/)
})

/** A chain and a position in it. */
const chainAndIndex = specsArb.chain((specs) =>
  fc.record({ specs: fc.constant(specs), index: fc.nat({ max: specs.length - 1 }) })
)

const props = { timeout: 60_000, fastCheck: { numRuns: 100 } }

// ---------------------------------------------------------------------------

const put = (o: Record<string, unknown>, k: string, v: unknown) =>
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })

describe("canonicalJson", () => {
  const reverseKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reverseKeys)
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(v).reverse()) put(out, k, reverseKeys((v as Record<string, unknown>)[k]))
      return out
    }
    return v
  }
  const shuffleKeys = (v: unknown, order: ReadonlyArray<number>): unknown => {
    if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, order))
    if (v !== null && typeof v === "object") {
      const keys = Object.keys(v)
      const shuffled = [...keys]
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = (order[i % order.length] ?? 0) % (i + 1)
        ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
      }
      const out: Record<string, unknown> = {}
      for (const k of shuffled) put(out, k, shuffleKeys((v as Record<string, unknown>)[k], order))
      return out
    }
    return v
  }

  it("sorts keys, drops undefined members, emits no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: "x y" }], u: undefined })).toBe('{"a":[1,{"c":"x y","d":2}],"b":1}')
    expect(canonicalJson({ B: 1, a: 2, "é": 3, "": 4 })).toBe('{"":4,"B":1,"a":2,"é":3}')
    expect(canonicalJson([undefined, null, true, "s"])).toBe('[null,null,true,"s"]')
    expect(canonicalJson("quote\"\n")).toBe('"quote\\"\\n"')
  })

  it.prop("is independent of key order", [fc.jsonValue(), fc.array(fc.nat(), { minLength: 1, maxLength: 8 })], ([v, order]) => {
    const c = canonicalJson(v)
    expect(canonicalJson(reverseKeys(v))).toBe(c)
    expect(canonicalJson(shuffleKeys(v, order))).toBe(c)
  }, props)

  it.prop("is valid JSON carrying the same data", [fc.jsonValue()], ([v]) => {
    const c = canonicalJson(v)
    expect(JSON.parse(c)).toStrictEqual(JSON.parse(JSON.stringify(v)))
    expect(c).not.toMatch(/^\s|\s$/)
  }, props)

  it("rejects values JSON cannot carry exactly", () => {
    for (const bad of [NaN, Infinity, -Infinity, 1n, () => 1, Symbol("s")]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError)
      expect(() => canonicalJson({ ok: 1, nested: [1, bad] })).toThrow(TypeError)
      expect(() => canonicalJson({ ok: 1, nested: { deep: bad } })).toThrow(TypeError)
    }
  })
})

describe("verifyEntries on chains built with entryHash", () => {
  it.effect("an empty journal verifies at genesis", () =>
    Effect.gen(function* () {
      expect(yield* verifyEntries(C, [])).toStrictEqual({ ok: true, entries: 0, head: { seq: 0, hash: GENESIS_HASH } })
      expect((yield* verifyEntries(C, [], { head: { seq: 0, hash: GENESIS_HASH } })).ok).toBe(true)
    }))

  it.effect("entryHash is SHA-256 of the canonical fields", () =>
    Effect.gen(function* () {
      const fields: HashedFields = {
        communityId: C,
        seq: 1,
        eventId: EventId.make("ev-0"),
        type: "T",
        occurredAt: 0,
        payload: { b: 1, a: 2 },
        prevHash: GENESIS_HASH
      }
      const hash = yield* entryHash(fields)
      expect(hash).toMatch(/^[0-9a-f]{64}$/)
      expect(yield* entryHash({ ...fields, payload: { a: 2, b: 1 } })).toBe(hash)
      const { createHash } = yield* Effect.promise(() => import("node:crypto"))
      const expected = createHash("sha256").update(canonicalJson(fields), "utf8").digest("hex")
      expect(hash).toBe(expected)
    }))

  it.effect.prop("an untouched journal always verifies, against its head too", [specsArb], ([specs]) =>
    Effect.gen(function* () {
      const entries = yield* buildChain(C, specs)
      const head = headOf(entries)
      expect(yield* verifyEntries(C, entries)).toStrictEqual({ ok: true, entries: entries.length, head })
      expect((yield* verifyEntries(C, entries, { head, anchors: entries.map((e) => ({ seq: e.seq, hash: e.hash })) })).ok)
        .toBe(true)
      // ... but not as another community's journal
      expect(yield* verifyEntries(C2, entries)).toMatchObject({ ok: false, index: 0, reason: "community" })
    }), props)

  it.effect.prop(
    "an edited field is caught at that entry when its hash is left as it was",
    [chainAndIndex, fc.constantFrom<Field>("payload", "type", "occurredAt", "eventId"), editArb],
    ([{ index, specs }, field, seed]) =>
      Effect.gen(function* () {
        const entries = yield* buildChain(C, specs)
        const head = headOf(entries)
        const tampered = [...entries]
        tampered[index] = new JournalEntry(
          { ...editField(entries[index]!, field, seed), hash: entries[index]!.hash },
          { disableValidation: true }
        )
        const expected = { ok: false, index, seq: index + 1, reason: "hash" }
        expect(yield* verifyEntries(C, tampered)).toStrictEqual(expected)
        expect(yield* verifyEntries(C, tampered, { head })).toStrictEqual(expected)
      }), props
  )

  it.effect.prop(
    "an edited field with a recomputed hash breaks the next link, or the head for the newest entry",
    [chainAndIndex, fc.constantFrom<Field>("payload", "type", "occurredAt", "eventId"), editArb],
    ([{ index, specs }, field, seed]) =>
      Effect.gen(function* () {
        const entries = yield* buildChain(C, specs)
        const head = headOf(entries)
        const tampered = [...entries]
        tampered[index] = yield* seal(editField(entries[index]!, field, seed))
        expect(tampered[index]!.hash).not.toBe(entries[index]!.hash)
        if (index < entries.length - 1) {
          const expected = { ok: false, index: index + 1, seq: index + 2, reason: "link" }
          expect(yield* verifyEntries(C, tampered)).toStrictEqual(expected)
          expect(yield* verifyEntries(C, tampered, { head })).toStrictEqual(expected)
        } else {
          // Without an anchor a rewritten newest entry looks like an honest one...
          expect((yield* verifyEntries(C, tampered)).ok).toBe(true)
          // ... the stored head catches it.
          expect(yield* verifyEntries(C, tampered, { head })).toMatchObject({ ok: false, seq: head.seq, reason: "anchor" })
        }
      }), props
  )

  it.effect.prop(
    "a wrong link or another community is caught at that entry",
    [chainAndIndex, fc.constantFrom<Field>("prevHash", "communityId"), fc.boolean(), editArb],
    ([{ index, specs }, field, rehash, seed]) =>
      Effect.gen(function* () {
        const entries = yield* buildChain(C, specs)
        const tampered = [...entries]
        const fields = editField(entries[index]!, field, seed)
        tampered[index] = rehash
          ? yield* seal(fields)
          : new JournalEntry({ ...fields, hash: entries[index]!.hash }, { disableValidation: true })
        expect(yield* verifyEntries(C, tampered, { head: headOf(entries) })).toStrictEqual({
          ok: false,
          index,
          seq: index + 1,
          reason: field === "prevHash" ? "link" : "community"
        })
      }), props
  )

  it.effect.prop("a deleted entry is caught where it was; a deleted newest entry against the head", [chainAndIndex], ([{ index, specs }]) =>
    Effect.gen(function* () {
      const entries = yield* buildChain(C, specs)
      const head = headOf(entries)
      const tampered = entries.filter((_, i) => i !== index)
      if (index < entries.length - 1) {
        const expected = { ok: false, index, seq: index + 2, reason: "sequence" }
        expect(yield* verifyEntries(C, tampered)).toStrictEqual(expected)
        expect(yield* verifyEntries(C, tampered, { head })).toStrictEqual(expected)
      } else {
        expect((yield* verifyEntries(C, tampered)).ok).toBe(true)
        expect(yield* verifyEntries(C, tampered, { head })).toStrictEqual({
          ok: false,
          index: entries.length - 1,
          seq: head.seq,
          reason: "anchor"
        })
        // and so does any anchor published after the deleted entry was written
        expect(yield* verifyEntries(C, tampered, { anchors: [head] })).toMatchObject({ ok: false, reason: "anchor" })
      }
    }), props)

  it.effect.prop(
    "an inserted forged entry (with a valid hash) is caught right after it, or against the head at the end",
    [specsArb.chain((specs) => fc.record({ specs: fc.constant(specs), at: fc.nat({ max: specs.length }) })), specArb],
    ([{ at, specs }, forged]) =>
      Effect.gen(function* () {
        const entries = yield* buildChain(C, specs)
        const head = headOf(entries)
        const intruder = yield* seal({
          communityId: C,
          seq: at + 1,
          eventId: EventId.make("forged"),
          type: forged.type,
          occurredAt: forged.occurredAt,
          payload: forged.payload,
          prevHash: at === 0 ? GENESIS_HASH : entries[at - 1]!.hash
        })
        const tampered = [...entries.slice(0, at), intruder, ...entries.slice(at)]
        if (at < entries.length) {
          const expected = { ok: false, index: at + 1, seq: at + 1, reason: "sequence" }
          expect(yield* verifyEntries(C, tampered)).toStrictEqual(expected)
          expect(yield* verifyEntries(C, tampered, { head })).toStrictEqual(expected)
        } else {
          expect((yield* verifyEntries(C, tampered)).ok).toBe(true)
          expect(yield* verifyEntries(C, tampered, { head })).toMatchObject({ ok: false, seq: head.seq, reason: "anchor" })
        }
      }), props
  )

  it.effect.prop(
    "a swap of two entries is caught at the first of them",
    [specsArb.filter((s) => s.length >= 2).chain((specs) =>
      fc.record({
        specs: fc.constant(specs),
        pair: fc.uniqueArray(fc.nat({ max: specs.length - 1 }), { minLength: 2, maxLength: 2 })
      })
    ), fc.boolean()],
    ([{ pair, specs }, renumber]) =>
      Effect.gen(function* () {
        const [i, j] = [Math.min(...pair), Math.max(...pair)]
        const entries = yield* buildChain(C, specs)
        const tampered = [...entries]
        if (renumber) {
          // a cleverer forger keeps `seq` in order and rehashes both entries
          tampered[i] = yield* seal({ ...fieldsOf(entries[j]!), seq: i + 1 })
          tampered[j] = yield* seal({ ...fieldsOf(entries[i]!), seq: j + 1 })
        } else {
          tampered[i] = entries[j]!
          tampered[j] = entries[i]!
        }
        expect(yield* verifyEntries(C, tampered, { head: headOf(entries) })).toStrictEqual({
          ok: false,
          index: i,
          seq: i + 1 + (renumber ? 0 : j - i),
          reason: renumber ? "link" : "sequence"
        })
      }), props
  )

  it.effect.prop(
    "a chain rewritten from some entry on is caught only by the head and by anchors published after that entry",
    [chainAndIndex, editArb],
    ([{ index, specs }, seed]) =>
      Effect.gen(function* () {
        const entries = yield* buildChain(C, specs)
        const head = headOf(entries)
        // rewrite entry `index` and rebuild every later link
        const rewritten = entries.slice(0, index)
        let prevHash = index === 0 ? GENESIS_HASH : entries[index - 1]!.hash
        for (let i = index; i < entries.length; i++) {
          const base = i === index ? editField(entries[i]!, "payload", seed) : fieldsOf(entries[i]!)
          const e = yield* seal({ ...base, prevHash })
          rewritten.push(e)
          prevHash = e.hash
        }
        expect((yield* verifyEntries(C, rewritten)).ok).toBe(true)
        expect(yield* verifyEntries(C, rewritten, { head })).toMatchObject({ ok: false, reason: "anchor", seq: head.seq })
        for (const e of entries) {
          const r = yield* verifyEntries(C, rewritten, { anchors: [{ seq: e.seq, hash: e.hash }] })
          if (e.seq <= index) expect(r.ok).toBe(true)
          else expect(r).toStrictEqual({ ok: false, index: e.seq, seq: e.seq, reason: "anchor" })
        }
      }), props
  )

  it.effect("anchors: genesis always holds, a wrong hash or a seq beyond the entries fails", () =>
    Effect.gen(function* () {
      const entries = yield* buildChain(C, [1, 2, 3].map((n) => ({ type: "T", occurredAt: n, payload: { n } })))
      expect((yield* verifyEntries(C, entries, { anchors: [{ seq: 0, hash: GENESIS_HASH }] })).ok).toBe(true)
      expect(yield* verifyEntries(C, entries, { anchors: [{ seq: 2, hash: entries[0]!.hash }] })).toMatchObject({
        ok: false,
        reason: "anchor",
        seq: 2
      })
      expect(yield* verifyEntries(C, entries, { anchors: [{ seq: 4, hash: entries[2]!.hash }] })).toMatchObject({
        ok: false,
        reason: "anchor",
        seq: 4
      })
      expect(yield* verifyEntries(C, entries, { head: { seq: 3, hash: entries[1]!.hash } })).toMatchObject({
        ok: false,
        reason: "anchor"
      })
    }))
})

// ---------------------------------------------------------------------------
// The journal on the memory store

const TestEvent = Schema.Union(
  Schema.TaggedStruct("Noted", { n: Schema.Int, text: Schema.String }),
  Schema.TaggedStruct("Cleared", { at: Schema.DateFromNumber })
)
type TestEvent = typeof TestEvent.Type

const eventArb: fc.Arbitrary<TestEvent> = fc.oneof(
  fc.record({ _tag: fc.constant("Noted" as const), n: fc.integer(), text: fc.string() }),
  fc.record({ _tag: fc.constant("Cleared" as const), at: fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }) })
)
/** Events appended in 1-5 commands. */
const batchesArb = fc.array(fc.array(eventArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 })

const appendAll = (communityId: CommunityId, batches: ReadonlyArray<ReadonlyArray<TestEvent>>) =>
  Effect.forEach(batches, (events) =>
    Effect.zipRight(TestClock.adjust("1 second"), transactionally(appendEvents(communityId, TestEvent, events))))

describe("the journal on MemoryStore", () => {
  it.effect.prop("appendEvents builds a chain that verifyJournal accepts", [batchesArb], ([batches]) =>
    Effect.gen(function* () {
      const written = (yield* appendAll(C, batches)).flat()
      const total = batches.reduce((n, b) => n + b.length, 0)
      const entries = yield* readJournal(C)
      expect(entries).toStrictEqual(written)
      expect(entries.map((e) => e.seq)).toStrictEqual(Array.from({ length: total }, (_, i) => i + 1))
      expect(entries.map((e) => e.type)).toStrictEqual(batches.flat().map((e) => e._tag))
      expect(new Set(entries.map((e) => e.eventId)).size).toBe(total)
      // the payload is the encoded event, the time comes from the Clock
      expect(entries.map((e) => Option.getOrThrow(decodeEntry(TestEvent)(e)))).toStrictEqual(batches.flat())
      let n = 0
      batches.forEach((b, i) => b.forEach(() => expect(entries[n++]!.occurredAt).toBe((i + 1) * 1000)))
      const head = yield* Effect.flatMap(JournalStore, (s) => s.head(C))
      expect(head).toStrictEqual(Option.some({ seq: total, hash: entries[total - 1]!.hash }))
      expect(yield* verifyJournal(C)).toStrictEqual({ ok: true, entries: total, head: Option.getOrThrow(head) })
      // paging returns the same entries
      expect(yield* readJournal(C, 0, 3)).toStrictEqual(entries)
      expect(yield* readJournal(C, 0, 1)).toStrictEqual(entries)
      expect(yield* readJournal(C, 2, 2)).toStrictEqual(entries.slice(2))
      // another community's journal is untouched
      expect(yield* readJournal(C2)).toStrictEqual([])
      expect((yield* verifyJournal(C2)).ok).toBe(true)
    }).pipe(Effect.provide(MemoryStore.layer())), props)

  it.effect("each community has its own chain; appending no events writes nothing", () =>
    Effect.gen(function* () {
      yield* transactionally(appendEvents(C, TestEvent, [{ _tag: "Noted", n: 1, text: "a" }]))
      yield* transactionally(appendEvents(C2, TestEvent, [{ _tag: "Noted", n: 1, text: "a" }]))
      expect(yield* transactionally(appendEvents(C, TestEvent, []))).toStrictEqual([])
      const [a, b] = [yield* readJournal(C), yield* readJournal(C2)]
      expect(a.map((e) => e.seq)).toStrictEqual([1])
      expect(b.map((e) => e.seq)).toStrictEqual([1])
      expect(a[0]!.hash).not.toBe(b[0]!.hash)
      expect((yield* verifyJournal(C)).ok && (yield* verifyJournal(C2)).ok).toBe(true)
      expect(yield* Effect.flatMap(JournalStore, (s) => s.communities())).toStrictEqual([C, C2].sort())
    }).pipe(Effect.provide(MemoryStore.layer())))

  it.effect("the store refuses entries that do not follow its head (Conflict)", () =>
    Effect.gen(function* () {
      const [first] = yield* transactionally(appendEvents(C, TestEvent, [{ _tag: "Noted", n: 1, text: "a" }]))
      const store = yield* JournalStore
      const stale = yield* seal({ ...fieldsOf(first!), eventId: EventId.make("other") })
      const error = yield* Effect.flip(store.append(C, [stale]))
      expect(error._tag).toBe("Conflict")
      expect((yield* readJournal(C)).length).toBe(1)
    }).pipe(Effect.provide(MemoryStore.layer())))

  it.effect.prop(
    "verifyJournal catches an entry tampered with through MemoryInspector",
    [batchesArb.chain((batches) => {
      const total = batches.reduce((n, b) => n + b.length, 0)
      return fc.record({ batches: fc.constant(batches), seq: fc.integer({ min: 1, max: total }) })
    }), fc.constantFrom("edit", "edit-rehash", "delete", "replace-rehash"), editArb],
    ([{ batches, seq }, attack, seed]) =>
      Effect.gen(function* () {
        yield* appendAll(C, batches)
        const inspector = yield* MemoryInspector
        const raw = inspector.rawJournal(C)
        const total = raw.length
        const original = raw[seq - 1]!
        expect(original.seq).toBe(seq)
        switch (attack) {
          case "edit": {
            const edited = editField(original, "payload", seed)
            inspector.tamperJournal(C, seq, new JournalEntry({ ...edited, hash: original.hash }, { disableValidation: true }))
            expect(yield* verifyJournal(C)).toStrictEqual({ ok: false, index: seq - 1, seq, reason: "hash" })
            break
          }
          case "edit-rehash":
          case "replace-rehash": {
            const field = attack === "edit-rehash" ? "occurredAt" : "type"
            inspector.tamperJournal(C, seq, yield* seal(editField(original, field, seed)))
            if (seq < total) {
              expect(yield* verifyJournal(C)).toStrictEqual({ ok: false, index: seq, seq: seq + 1, reason: "link" })
            } else {
              expect(yield* verifyJournal(C)).toMatchObject({ ok: false, seq: total, reason: "anchor" })
            }
            break
          }
          case "delete": {
            inspector.tamperJournal(C, seq, undefined)
            if (seq < total) {
              expect(yield* verifyJournal(C)).toStrictEqual({ ok: false, index: seq - 1, seq: seq + 1, reason: "sequence" })
            } else {
              expect(yield* verifyJournal(C)).toStrictEqual({ ok: false, index: total - 1, seq: total, reason: "anchor" })
            }
            break
          }
        }
        // putting the original back restores a verifiable journal
        inspector.tamperJournal(C, seq, original)
        expect((yield* verifyJournal(C)).ok).toBe(true)
      }).pipe(Effect.provide(MemoryStore.layer())), props
  )

  it.effect("verifyJournal checks published anchors against the stored journal", () =>
    Effect.gen(function* () {
      yield* appendAll(C, [[{ _tag: "Noted", n: 1, text: "a" }, { _tag: "Noted", n: 2, text: "b" }]])
      const published = Option.getOrThrow(yield* Effect.flatMap(JournalStore, (s) => s.head(C)))
      yield* appendAll(C, [[{ _tag: "Noted", n: 3, text: "c" }]])
      expect((yield* verifyJournal(C, [published])).ok).toBe(true)
      // an attacker rewrites entry 2 onwards and the stored head with it: only the published anchor notices
      const inspector = yield* MemoryInspector
      const raw = inspector.rawJournal(C)
      const e2 = yield* seal({ ...fieldsOf(raw[1]!), payload: { _tag: "Noted", n: 2, text: "forged" } })
      const e3 = yield* seal({ ...fieldsOf(raw[2]!), prevHash: e2.hash })
      inspector.tamperJournal(C, 2, e2)
      inspector.tamperJournal(C, 3, e3)
      inspector.database.set("journal_heads", C, { seq: 3, hash: e3.hash })
      inspector.database.release(0)
      expect((yield* verifyJournal(C)).ok).toBe(true)
      expect(yield* verifyJournal(C, [published])).toStrictEqual({ ok: false, index: 2, seq: 2, reason: "anchor" })
    }).pipe(Effect.provide(MemoryStore.layer())))

  it("decodeEntry reads known events and skips others", () => {
    const entry = new JournalEntry({
      communityId: C,
      seq: 1,
      eventId: EventId.make("e1"),
      type: "Cleared",
      occurredAt: 0,
      payload: { _tag: "Cleared", at: 5 },
      prevHash: GENESIS_HASH,
      hash: GENESIS_HASH
    })
    expect(decodeEntry(TestEvent)(entry)).toStrictEqual(Option.some({ _tag: "Cleared", at: new Date(5) }))
    expect(decodeEntry(TestEvent)(new JournalEntry({ ...entry, payload: { _tag: "Other" } }))).toStrictEqual(Option.none())
  })
})
