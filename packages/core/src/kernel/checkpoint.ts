/**
 * Signed journal checkpoints. The journal's hash chain shows any edit inside
 * the chain, but whoever can write the database can also delete the newest
 * entries (and move the head back) or rewrite the whole chain with the
 * library's own, unkeyed hash. A checkpoint is the head (`seq`, `hash`) at a
 * time, signed with an Ed25519 key the database never holds, and published
 * outside it (a notice, a regulator's copy, an HTTP endpoint): verifying the
 * journal against the published checkpoints catches both.
 *
 * Signing uses Web Crypto (`globalThis.crypto.subtle`, Ed25519), available in
 * browsers and Node 20; no Node built-in is imported.
 *
 * @since 0.2.0
 */
import { Clock, Context, Effect, Layer, Option, Ref, Schema } from "effect"
import type { StoreUnavailable } from "./errors.js"
import { CommunityId } from "./ids.js"
import { type JournalHead, JournalStore, Sha256Hex, type VerifyResult, verifyJournal } from "./journal.js"

/**
 * A signed journal head.
 *
 * @since 0.2.0
 * @category checkpoints
 */
export class JournalCheckpoint extends Schema.Class<JournalCheckpoint>("JournalCheckpoint")({
  communityId: CommunityId,
  seq: Schema.NonNegativeInt,
  hash: Sha256Hex,
  /** When it was signed (ms since the epoch). */
  at: Schema.Int,
  /** Which key signed it (keys rotate; see docs/postgres.md, "Checkpoints"). */
  keyId: Schema.String,
  /** Ed25519 signature of {@link checkpointMessage}, lowercase hex. */
  signature: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{128}$/))
}) {}

/**
 * The exact bytes a checkpoint's signature covers.
 *
 * @since 0.2.0
 * @category checkpoints
 */
export const checkpointMessage = (c: Omit<JournalCheckpoint, "signature">): Uint8Array =>
  new TextEncoder().encode(`gongzhi-checkpoint:v1\n${c.communityId}\n${c.seq}\n${c.hash}\n${c.at}\n${c.keyId}`)

/**
 * Signs checkpoints: a key id and a signing function. Keep the private key
 * out of the database (a KMS, an HSM, a separate service or at least a file
 * the database role cannot read).
 *
 * @since 0.2.0
 * @category ports
 */
export class CheckpointSigner extends Context.Tag("@gongzhi/core/CheckpointSigner")<
  CheckpointSigner,
  { readonly keyId: string; readonly sign: (message: Uint8Array) => Effect.Effect<Uint8Array> }
>() {}

/**
 * Where checkpoints go: published outside the database (a notice board, an
 * HTTP endpoint, a regulator's copy). `latest` is what the schedule compares
 * against. {@link CheckpointPublisher.memory} keeps them in memory.
 *
 * @since 0.2.0
 * @category ports
 */
export class CheckpointPublisher extends Context.Tag("@gongzhi/core/CheckpointPublisher")<
  CheckpointPublisher,
  {
    readonly publish: (checkpoint: JournalCheckpoint) => Effect.Effect<void, StoreUnavailable>
    readonly latest: (communityId: CommunityId) => Effect.Effect<Option.Option<JournalCheckpoint>, StoreUnavailable>
    readonly list: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<JournalCheckpoint>, StoreUnavailable>
  }
>() {
  /** Checkpoints kept in memory, oldest first (tests, demos, a single process). @since 0.2.0 */
  static readonly memory: Layer.Layer<CheckpointPublisher> = Layer.effect(
    CheckpointPublisher,
    Effect.map(Ref.make(new Map<string, ReadonlyArray<JournalCheckpoint>>()), (ref) => ({
      publish: (cp) => Ref.update(ref, (m) => new Map(m).set(cp.communityId, [...(m.get(cp.communityId) ?? []), cp])),
      latest: (c) => Effect.map(Ref.get(ref), (m) => Option.fromNullable((m.get(c) ?? []).at(-1))),
      list: (c) => Effect.map(Ref.get(ref), (m) => m.get(c) ?? [])
    }))
  )
}

const subtle = (): SubtleCrypto => {
  const c = (globalThis as { crypto?: Crypto }).crypto
  if (c?.subtle === undefined) throw new Error("Web Crypto (crypto.subtle) is not available")
  return c.subtle
}
const hex = (bytes: ArrayBuffer | Uint8Array) =>
  Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("")
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16))

/**
 * A new Ed25519 key pair for signing checkpoints (extractable, so the
 * private key can be exported to wherever it is kept).
 *
 * @since 0.2.0
 * @category checkpoints
 */
export const generateCheckpointKey: Effect.Effect<CryptoKeyPair> = Effect.promise(
  () => subtle().generateKey({ name: "Ed25519" }, true, ["sign", "verify"]) as Promise<CryptoKeyPair>
)

/**
 * The signer over a Web Crypto Ed25519 private key.
 *
 * @since 0.2.0
 * @category checkpoints
 */
export const ed25519Signer = (keyId: string, privateKey: CryptoKey): Layer.Layer<CheckpointSigner> =>
  Layer.succeed(CheckpointSigner, {
    keyId,
    sign: (message) =>
      Effect.map(Effect.promise(() => subtle().sign({ name: "Ed25519" }, privateKey, message as Uint8Array<ArrayBuffer>)), (s) => new Uint8Array(s))
  })

/**
 * A public key that verifies checkpoints, with the period it was in use
 * (`from`/`until`, ms, inclusive/exclusive): a checkpoint signed outside its
 * key's period is refused, so a retired key that leaked cannot sign new ones.
 *
 * @since 0.2.0
 * @category checkpoints
 */
export interface CheckpointKey {
  readonly keyId: string
  readonly publicKey: CryptoKey
  readonly from?: number
  readonly until?: number
}

/**
 * How often {@link checkpointJournal} signs: when `everyEntries` entries were
 * appended since the last checkpoint, or `everyMillis` passed and at least one
 * entry was appended.
 *
 * @since 0.2.0
 * @category checkpoints
 */
export interface CheckpointPolicy {
  readonly everyEntries: number
  readonly everyMillis: number
}

/**
 * Signs and publishes the community's journal head if the policy says it is
 * due (run it after commands, or from a scheduler every few minutes).
 * Returns the new checkpoint, if one was made.
 *
 * @since 0.2.0
 * @category checkpoints
 */
export const checkpointJournal = (
  communityId: CommunityId,
  policy: CheckpointPolicy = { everyEntries: 100, everyMillis: 15 * 60 * 1000 }
): Effect.Effect<Option.Option<JournalCheckpoint>, StoreUnavailable, JournalStore | CheckpointSigner | CheckpointPublisher> =>
  Effect.gen(function* () {
    const journal = yield* JournalStore
    const publisher = yield* CheckpointPublisher
    const signer = yield* CheckpointSigner
    const head = Option.getOrUndefined(yield* journal.head(communityId))
    if (head === undefined || head.seq === 0) return Option.none()
    const now = yield* Clock.currentTimeMillis
    const last = Option.getOrUndefined(yield* publisher.latest(communityId))
    const due = last === undefined ||
      head.seq - last.seq >= policy.everyEntries ||
      (head.seq > last.seq && now - last.at >= policy.everyMillis)
    if (!due) return Option.none()
    const unsigned = { communityId, seq: head.seq, hash: head.hash, at: now, keyId: signer.keyId }
    const signature = hex(yield* signer.sign(checkpointMessage(unsigned)))
    const checkpoint = new JournalCheckpoint({ ...unsigned, signature })
    yield* publisher.publish(checkpoint)
    return Option.some(checkpoint)
  })

/**
 * Whether a checkpoint's signature verifies with one of `keys` (the key of
 * its `keyId`, within that key's period).
 *
 * @since 0.2.0
 * @category checkpoints
 */
export const verifyCheckpoint = (checkpoint: JournalCheckpoint, keys: ReadonlyArray<CheckpointKey>): Effect.Effect<boolean> =>
  Effect.gen(function* () {
    const key = keys.find((k) => k.keyId === checkpoint.keyId)
    if (key === undefined) return false
    if ((key.from !== undefined && checkpoint.at < key.from) || (key.until !== undefined && checkpoint.at >= key.until)) return false
    if (!/^[0-9a-f]{128}$/.test(checkpoint.signature)) return false
    return yield* Effect.promise(() =>
      subtle().verify({ name: "Ed25519" }, key.publicKey, unhex(checkpoint.signature), checkpointMessage(checkpoint) as Uint8Array<ArrayBuffer>)
    ).pipe(Effect.orElseSucceed(() => false))
  })

/**
 * The result of {@link verifyJournalWithCheckpoints}: the journal's own result,
 * or `signature` for a checkpoint that does not verify (a forged one), or
 * `checkpoint` when the journal no longer holds a signed head (the newest
 * entries were deleted, or the chain was rewritten).
 *
 * @since 0.2.0
 * @category checkpoints
 */
export type CheckpointVerifyResult =
  | VerifyResult
  | { readonly ok: false; readonly reason: "signature"; readonly checkpoint: JournalCheckpoint }
  | { readonly ok: false; readonly reason: "checkpoint"; readonly checkpoint: JournalCheckpoint; readonly journal: VerifyResult }

/**
 * Verifies a community's journal against a set of published checkpoints:
 * every checkpoint's signature, then the chain (as `verifyJournal`) with every
 * signed head as an anchor. Catches what the chain alone cannot: deleting the
 * newest entries (the head moved back below a checkpoint) and a chain
 * rewritten with the library's own hash (a checkpoint's hash is no longer in it).
 *
 * @since 0.2.0
 * @category checkpoints
 */
export const verifyJournalWithCheckpoints = (
  communityId: CommunityId,
  checkpoints: ReadonlyArray<JournalCheckpoint>,
  keys: ReadonlyArray<CheckpointKey>
): Effect.Effect<CheckpointVerifyResult, StoreUnavailable, JournalStore> =>
  Effect.gen(function* () {
    const mine = checkpoints.filter((c) => c.communityId === communityId)
    for (const c of mine) {
      if (!(yield* verifyCheckpoint(c, keys))) return { ok: false, reason: "signature", checkpoint: c } as const
    }
    const anchors: Array<JournalHead> = mine.map((c) => ({ seq: c.seq, hash: c.hash }))
    const result = yield* verifyJournal(communityId, anchors)
    if (result.ok || result.reason !== "anchor") return result
    const broken = mine.find((c) => c.seq === result.seq) ?? mine[0]!
    return { ok: false, reason: "checkpoint", checkpoint: broken, journal: result } as const
  })
