/**
 * The ledger: double-entry accounts in integer units (fen, points,
 * centi-hours). Every transaction's postings sum to zero; history is never
 * edited (a mistake is undone by a reversing transaction that links to it);
 * an account may have a floor it can never go below. Incentive points and the
 * time bank are built on it.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Option, Schema } from "effect"
import { type Actor, authorize, type PermissionTable, Roles } from "./actor.js"
import {
  AlreadyExists,
  decodeInput,
  fieldIssue,
  Forbidden,
  IdempotencyKeyReused,
  InsufficientBalance,
  InvalidInput,
  NotFound,
  type Conflict,
  type StoreUnavailable
} from "./errors.js"
import { AccountId, CommunityId, LedgerTxId, newId } from "./ids.js"
import { appendEvents, canonicalJson, JournalStore, sha256Hex } from "./journal.js"
import { Transaction } from "./transaction.js"
import { LedgerUnit } from "./units.js"

const Amount = Schema.Int.pipe(Schema.between(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))

/**
 * A ledger account.
 *
 * @since 0.1.0
 * @category ledger
 */
export class Account extends Schema.Class<Account>("Account")({
  communityId: CommunityId,
  id: AccountId,
  unit: LedgerUnit,
  /** What the account is for, e.g. `resident-points`, `issuance`, `timebank`, `community-fund`. */
  kind: Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/)),
  /** The resident, household or organisation it belongs to, if any. */
  owner: Schema.optional(Schema.String),
  /** The lowest balance allowed (0: no overdraft; -500: overdraft to 500); absent: unlimited (issuance accounts). */
  floor: Schema.optional(Amount),
  balance: Amount,
  createdAt: Schema.Int
}) {}

/**
 * One line of a transaction: a signed amount on one account.
 *
 * @since 0.1.0
 * @category ledger
 */
export const Posting = Schema.Struct({
  accountId: AccountId,
  amount: Amount.pipe(Schema.filter((n) => n !== 0, { message: () => "a posting amount must not be zero" }))
})
/**
 * @since 0.1.0
 * @category ledger
 */
export type Posting = typeof Posting.Type

const balanced = <S extends Schema.Schema.Any & { readonly Type: { readonly postings: ReadonlyArray<Posting> } }>(s: S) =>
  s.pipe(
    Schema.filter((t: { readonly postings: ReadonlyArray<Posting> }) => {
      // bigint: a float sum of large amounts can round an unbalanced transaction to zero
      const sum = t.postings.reduce((acc, p) => acc + BigInt(p.amount), 0n)
      if (sum !== 0n) return { path: ["postings"], message: `postings must sum to zero (they sum to ${sum})` }
      const ids = new Set(t.postings.map((p) => p.accountId))
      if (ids.size !== t.postings.length) return { path: ["postings"], message: "each account may appear once per transaction" }
      return true
    })
  )

/**
 * A posted transaction.
 *
 * @since 0.1.0
 * @category ledger
 */
export class LedgerTransaction extends Schema.Class<LedgerTransaction>("LedgerTransaction")({
  communityId: CommunityId,
  id: LedgerTxId,
  unit: LedgerUnit,
  postings: Schema.Array(Posting),
  /** What kind of movement, e.g. `award`, `redeem`, `transfer`, `reversal`. */
  kind: Schema.String,
  memo: Schema.String,
  /** The transaction this one reverses. */
  reverses: Schema.optional(LedgerTxId),
  idempotencyKey: Schema.optional(Schema.String),
  /** SHA-256 of the canonical request, to tell a replay from a reused key. */
  fingerprint: Schema.String,
  postedAt: Schema.Int
}) {}

/**
 * A statement line: one posting with the balance after it.
 *
 * @since 0.1.0
 * @category ledger
 */
export const StatementLine = Schema.Struct({
  txId: LedgerTxId,
  kind: Schema.String,
  memo: Schema.String,
  amount: Schema.Int,
  balanceAfter: Schema.Int,
  postedAt: Schema.Int
})
/**
 * @since 0.1.0
 * @category ledger
 */
export type StatementLine = typeof StatementLine.Type

/**
 * The ledger's journal events.
 *
 * @since 0.1.0
 * @category ledger
 */
export const LedgerEvent = Schema.Union(
  Schema.TaggedStruct("LedgerAccountOpened", {
    accountId: AccountId,
    unit: LedgerUnit,
    kind: Schema.String,
    owner: Schema.optional(Schema.String),
    floor: Schema.optional(Schema.Int)
  }),
  Schema.TaggedStruct("LedgerTransactionPosted", {
    txId: LedgerTxId,
    unit: LedgerUnit,
    kind: Schema.String,
    memo: Schema.String,
    postings: Schema.Array(Posting),
    reverses: Schema.optional(LedgerTxId)
  })
)
/**
 * @since 0.1.0
 * @category ledger
 */
export type LedgerEvent = typeof LedgerEvent.Type

/**
 * The ledger's storage port. `lock` reads accounts and, in PostgreSQL, locks
 * their rows (in id order) until the transaction ends; `insertTransaction`
 * stores a transaction with its postings and the accounts' new balances.
 *
 * @since 0.1.0
 * @category ports
 */
export class LedgerStore extends Context.Tag("@gongzhi/core/LedgerStore")<
  LedgerStore,
  {
    readonly insertAccount: (account: Account) => Effect.Effect<void, AlreadyExists | StoreUnavailable>
    readonly getAccount: (communityId: CommunityId, id: AccountId) => Effect.Effect<Option.Option<Account>, StoreUnavailable>
    /** Many accounts in one read (no lock), in id order; ids that do not exist are left out. */
    readonly getAccounts: (
      communityId: CommunityId,
      ids: ReadonlyArray<AccountId>
    ) => Effect.Effect<ReadonlyArray<Account>, StoreUnavailable>
    readonly lock: (
      communityId: CommunityId,
      ids: ReadonlyArray<AccountId>
    ) => Effect.Effect<ReadonlyArray<Account>, StoreUnavailable>
    readonly insertTransaction: (
      tx: LedgerTransaction,
      balances: ReadonlyArray<{ readonly accountId: AccountId; readonly balance: number }>
    ) => Effect.Effect<void, StoreUnavailable | Conflict>
    readonly getTransaction: (
      communityId: CommunityId,
      id: LedgerTxId
    ) => Effect.Effect<Option.Option<LedgerTransaction>, StoreUnavailable>
    readonly findByIdempotencyKey: (
      communityId: CommunityId,
      key: string
    ) => Effect.Effect<Option.Option<LedgerTransaction>, StoreUnavailable>
    readonly findReversal: (
      communityId: CommunityId,
      id: LedgerTxId
    ) => Effect.Effect<Option.Option<LedgerTransaction>, StoreUnavailable>
    /** Postings of an account with `from <= postedAt < to`, oldest first. */
    readonly statement: (
      communityId: CommunityId,
      accountId: AccountId,
      range: { readonly from: number; readonly to: number; readonly limit: number }
    ) => Effect.Effect<ReadonlyArray<StatementLine>, StoreUnavailable>
  }
>() {}

/**
 * Who may run the ledger's commands directly. Modules (incentives, time
 * bank) post through {@link applyTransaction} after their own checks.
 *
 * @since 0.1.0
 * @category permissions
 */
export const ledgerPermissions: PermissionTable<"ledger.openAccount" | "ledger.post" | "ledger.reverse" | "ledger.read"> = {
  "ledger.openAccount": { roles: [Roles.admin, Roles.treasurer], system: true },
  "ledger.post": { roles: [Roles.admin, Roles.treasurer], system: true },
  "ledger.reverse": { roles: [Roles.admin, Roles.treasurer], system: true },
  "ledger.read": { roles: [Roles.admin, Roles.treasurer, Roles.auditor], system: true, residents: "self" }
}

/**
 * Input of {@link openAccount}.
 *
 * @since 0.1.0
 * @category ledger
 */
export const OpenAccountInput = Schema.Struct({
  communityId: CommunityId,
  accountId: AccountId,
  unit: LedgerUnit,
  kind: Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/)),
  owner: Schema.optional(Schema.String),
  /**
   * The lowest balance allowed: 0 or below. An account opens at 0, so a
   * positive floor could never be met and is refused (`InvalidInput`) on
   * every store.
   */
  floor: Schema.optional(
    Amount.pipe(Schema.filter((n) => n <= 0, { message: () => "a floor must be 0 or below: an account opens with balance 0" }))
  )
})

/**
 * Input of {@link postTransaction}.
 *
 * @since 0.1.0
 * @category ledger
 */
export const PostInput = balanced(
  Schema.Struct({
    communityId: CommunityId,
    unit: LedgerUnit,
    postings: Schema.Array(Posting).pipe(Schema.minItems(2), Schema.maxItems(100)),
    kind: Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{0,39}$/)),
    memo: Schema.String.pipe(Schema.maxLength(500)),
    idempotencyKey: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)))
  })
)
/**
 * @since 0.1.0
 * @category ledger
 */
export type PostInput = typeof PostInput.Type

/**
 * Input of {@link reverseTransaction}.
 *
 * @since 0.1.0
 * @category ledger
 */
export const ReverseInput = Schema.Struct({
  communityId: CommunityId,
  txId: LedgerTxId,
  memo: Schema.String.pipe(Schema.maxLength(500)),
  idempotencyKey: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)))
})

type LedgerDeps = LedgerStore | JournalStore | Transaction
type PostError = InsufficientBalance | NotFound | IdempotencyKeyReused | InvalidInput | StoreUnavailable | Conflict

/**
 * The new balances if `postings` were applied, or the first account they
 * would take below its floor. Pure: simulations call it directly.
 *
 * @since 0.1.0
 * @category rules
 */
export const applyPostings = (
  accounts: ReadonlyArray<Pick<Account, "id" | "balance" | "floor">>,
  postings: ReadonlyArray<Posting>
):
  | { readonly ok: true; readonly balances: ReadonlyArray<{ readonly accountId: AccountId; readonly balance: number }> }
  | {
    readonly ok: false
    /** `floor`: below the account's floor; `overflow`: the balance would leave the safe-integer range. */
    readonly reason: "floor" | "overflow"
    readonly accountId: AccountId
    readonly balance: number
    readonly floor: number
    readonly amount: number
  } => {
  const byId = new Map(accounts.map((a) => [a.id as string, a]))
  const balances: Array<{ accountId: AccountId; balance: number }> = []
  for (const p of postings) {
    const a = byId.get(p.accountId)!
    const next = a.balance + p.amount
    // A balance must stay an exact integer: beyond ±2^53 it would silently round.
    if (!Number.isSafeInteger(next)) {
      return { ok: false, reason: "overflow", accountId: p.accountId, balance: a.balance, floor: a.floor ?? -Number.MAX_SAFE_INTEGER, amount: p.amount }
    }
    if (a.floor !== undefined && p.amount < 0 && next < a.floor) {
      return { ok: false, reason: "floor", accountId: p.accountId, balance: a.balance, floor: a.floor, amount: p.amount }
    }
    balances.push({ accountId: p.accountId, balance: next })
  }
  return { ok: true, balances }
}

/**
 * Opens an account.
 *
 * @since 0.1.0
 * @category ledger
 */
export const openAccount = Effect.fn("ledger.openAccount")(function* (actor: Actor, input: typeof OpenAccountInput.Encoded) {
  const cmd = yield* decodeInput("ledger.openAccount", OpenAccountInput)(input)
  yield* authorize(ledgerPermissions, "ledger.openAccount", actor, cmd.communityId)
  return yield* openAccountUnchecked(cmd)
})

/**
 * Opens an account without a permission check, for modules that authorized
 * their own command. Inside the caller's transaction if there is one.
 *
 * @since 0.1.0
 * @category ledger
 */
export const openAccountUnchecked = (
  cmd: typeof OpenAccountInput.Type
): Effect.Effect<Account, AlreadyExists | StoreUnavailable | Conflict, LedgerDeps> =>
  Effect.flatMap(Transaction, (tx) =>
    tx.run(
      Effect.gen(function* () {
        const store = yield* LedgerStore
        const createdAt = yield* Clock.currentTimeMillis
        const account = new Account({
          communityId: cmd.communityId,
          id: cmd.accountId,
          unit: cmd.unit,
          kind: cmd.kind,
          ...(cmd.owner === undefined ? {} : { owner: cmd.owner }),
          ...(cmd.floor === undefined ? {} : { floor: cmd.floor }),
          balance: 0,
          createdAt
        }, { disableValidation: true })
        yield* store.insertAccount(account)
        yield* appendEvents(cmd.communityId, LedgerEvent, [
          {
            _tag: "LedgerAccountOpened",
            accountId: account.id,
            unit: account.unit,
            kind: account.kind,
            ...(account.owner === undefined ? {} : { owner: account.owner }),
            ...(account.floor === undefined ? {} : { floor: account.floor })
          }
        ])
        return account
      })
    )
  )

/**
 * The account if it exists, else opens it (no permission check, for modules).
 * Safe when concurrent commands open the same account: the loser of the race
 * reads the winner's account instead of failing (PostgreSQL: the insert runs
 * in a savepoint, so the caller's transaction stays usable).
 *
 * @since 0.1.0
 * @category ledger
 */
export const ensureAccount = (
  cmd: typeof OpenAccountInput.Type
): Effect.Effect<Account, StoreUnavailable | Conflict, LedgerDeps> =>
  Effect.gen(function* () {
    const store = yield* LedgerStore
    const existing = yield* store.getAccount(cmd.communityId, cmd.accountId)
    if (Option.isSome(existing)) return existing.value
    return yield* openAccountUnchecked(cmd).pipe(
      Effect.catchTag("AlreadyExists", () =>
        Effect.flatMap(store.getAccount(cmd.communityId, cmd.accountId), (a) =>
          Option.isSome(a) ? Effect.succeed(a.value) : Effect.dieMessage(`account ${cmd.accountId} vanished`)
        )
      )
    )
  })

/**
 * Posts a balanced transaction. With an idempotency key, a replay of the same
 * request returns the first result and a different request under the same key
 * fails with `IdempotencyKeyReused`.
 *
 * @since 0.1.0
 * @category ledger
 */
export const postTransaction = Effect.fn("ledger.post")(function* (actor: Actor, input: typeof PostInput.Encoded) {
  const cmd = yield* decodeInput("ledger.post", PostInput)(input)
  yield* authorize(ledgerPermissions, "ledger.post", actor, cmd.communityId)
  return yield* applyTransaction(cmd)
})

/**
 * Posts a decoded transaction without a permission check, for modules that
 * authorized their own command. Joins the caller's transaction if there is one.
 *
 * @since 0.1.0
 * @category ledger
 */
export const applyTransaction = (
  cmd: PostInput & { readonly reverses?: LedgerTxId }
): Effect.Effect<LedgerTransaction, PostError, LedgerDeps> =>
  Effect.gen(function* () {
    const store = yield* LedgerStore
    const tx = yield* Transaction
    const fingerprint = yield* sha256Hex(
      canonicalJson({ unit: cmd.unit, postings: cmd.postings, kind: cmd.kind, memo: cmd.memo, reverses: cmd.reverses })
    )
    return yield* tx.run(
      Effect.gen(function* () {
        if (cmd.idempotencyKey !== undefined) {
          const prior = yield* store.findByIdempotencyKey(cmd.communityId, cmd.idempotencyKey)
          if (Option.isSome(prior)) {
            if (prior.value.fingerprint === fingerprint) return prior.value
            return yield* Effect.fail(new IdempotencyKeyReused({ key: cmd.idempotencyKey }))
          }
        }
        const ids = [...cmd.postings.map((p) => p.accountId)].sort()
        const accounts = yield* store.lock(cmd.communityId, ids)
        for (const id of ids) {
          const account = accounts.find((a) => a.id === id)
          if (account === undefined) return yield* Effect.fail(new NotFound({ entity: "Account", id }))
          if (account.unit !== cmd.unit) {
            return yield* Effect.fail(new NotFound({ entity: `Account in ${cmd.unit}`, id }))
          }
        }
        const applied = applyPostings(accounts, cmd.postings)
        if (!applied.ok && applied.reason === "overflow") {
          return yield* Effect.fail(
            new InvalidInput({
              command: "ledger.post",
              issues: [fieldIssue("postings", "range", { "zh-CN": `账户 ${applied.accountId} 的余额将超出可精确表示的整数范围`, en: `the balance of ${applied.accountId} would leave the exact integer range (±2^53)` })]
            })
          )
        }
        if (!applied.ok) {
          return yield* Effect.fail(
            new InsufficientBalance({
              accountId: applied.accountId,
              balance: applied.balance,
              floor: applied.floor,
              amount: applied.amount
            })
          )
        }
        const postedAt = yield* Clock.currentTimeMillis
        const ledgerTx = new LedgerTransaction({
          communityId: cmd.communityId,
          id: LedgerTxId.make(yield* newId("tx")),
          unit: cmd.unit,
          postings: cmd.postings,
          kind: cmd.kind,
          memo: cmd.memo,
          ...(cmd.reverses === undefined ? {} : { reverses: cmd.reverses }),
          ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: cmd.idempotencyKey }),
          fingerprint,
          postedAt
        }, { disableValidation: true })
        yield* store.insertTransaction(ledgerTx, applied.balances)
        yield* appendEvents(cmd.communityId, LedgerEvent, [
          {
            _tag: "LedgerTransactionPosted",
            txId: ledgerTx.id,
            unit: ledgerTx.unit,
            kind: ledgerTx.kind,
            memo: ledgerTx.memo,
            postings: ledgerTx.postings,
            ...(ledgerTx.reverses === undefined ? {} : { reverses: ledgerTx.reverses })
          }
        ])
        return ledgerTx
      })
    )
  })

/**
 * Reverses a transaction with a compensating one that links to it. A
 * transaction can be reversed once; a reversal cannot be reversed.
 *
 * @since 0.1.0
 * @category ledger
 */
export const reverseTransaction = Effect.fn("ledger.reverse")(function* (actor: Actor, input: typeof ReverseInput.Encoded) {
  const cmd = yield* decodeInput("ledger.reverse", ReverseInput)(input)
  yield* authorize(ledgerPermissions, "ledger.reverse", actor, cmd.communityId)
  const store = yield* LedgerStore
  return yield* Effect.flatMap(Transaction, (t) =>
    t.run(
      Effect.gen(function* () {
        const original = yield* store.getTransaction(cmd.communityId, cmd.txId)
        if (Option.isNone(original) || original.value.reverses !== undefined) {
          return yield* Effect.fail(new NotFound({ entity: "Reversible transaction", id: cmd.txId }))
        }
        const already = yield* store.findReversal(cmd.communityId, cmd.txId)
        if (Option.isSome(already)) {
          if (cmd.idempotencyKey !== undefined && already.value.idempotencyKey === cmd.idempotencyKey) return already.value
          return yield* Effect.fail(new AlreadyExists({ entity: "Reversal", id: cmd.txId }))
        }
        return yield* applyTransaction({
          communityId: cmd.communityId,
          unit: original.value.unit,
          postings: original.value.postings.map((p) => ({ accountId: p.accountId, amount: -p.amount })),
          kind: "reversal",
          memo: cmd.memo,
          reverses: cmd.txId,
          ...(cmd.idempotencyKey === undefined ? {} : { idempotencyKey: cmd.idempotencyKey })
        })
      })
    )
  )
})

/**
 * An account with its balance.
 *
 * @since 0.1.0
 * @category ledger
 */
export const getAccount = Effect.fn("ledger.getAccount")(function* (
  actor: Actor,
  communityId: CommunityId,
  accountId: AccountId
) {
  // Another community's actor is refused before anything is read.
  if (actor.communityId !== communityId) return yield* Effect.fail(new Forbidden({ command: "ledger.read", reason: "tenant" }))
  const store = yield* LedgerStore
  const account = yield* store.getAccount(communityId, accountId)
  if (Option.isNone(account)) {
    yield* authorize(ledgerPermissions, "ledger.read", actor, communityId)
    return yield* Effect.fail(new NotFound({ entity: "Account", id: accountId }))
  }
  yield* authorize(ledgerPermissions, "ledger.read", actor, communityId, account.value.owner ?? "")
  return account.value
})

/**
 * Input of {@link balances}: up to 1,000 account ids of one community.
 *
 * @since 0.2.0
 * @category ledger
 */
export const BalancesInput = Schema.Struct({
  communityId: CommunityId,
  accountIds: Schema.Array(AccountId).pipe(Schema.maxItems(1000))
})

/**
 * Result of {@link balances}: the accounts found, in id order, and the ids not found.
 *
 * @since 0.2.0
 * @category ledger
 */
export const BalancesResult = Schema.Struct({
  accounts: Schema.Array(Account),
  missing: Schema.Array(AccountId)
})

/**
 * Many accounts with their balances in one read, for dashboards and
 * simulations (no loop over {@link getAccount}). Staff and the system may read
 * any account of their community; a resident only accounts they own (any
 * other id in the list is refused with `Forbidden`).
 *
 * @since 0.2.0
 * @category ledger
 */
export const balances = Effect.fn("ledger.balances")(function* (actor: Actor, input: unknown) {
  const cmd = yield* decodeInput("ledger.balances", BalancesInput)(input)
  if (actor.communityId !== cmd.communityId) return yield* Effect.fail(new Forbidden({ command: "ledger.read", reason: "tenant" }))
  const accounts = yield* Effect.flatMap(LedgerStore, (s) => s.getAccounts(cmd.communityId, cmd.accountIds))
  if (actor._tag === "Resident") {
    for (const a of accounts) yield* authorize(ledgerPermissions, "ledger.read", actor, cmd.communityId, a.owner ?? "")
    if (accounts.length < new Set(cmd.accountIds).size) {
      // A resident learns nothing about ids that are not theirs, not even whether they exist.
      return yield* Effect.fail(new Forbidden({ command: "ledger.read", reason: "not-self" }))
    }
  } else {
    yield* authorize(ledgerPermissions, "ledger.read", actor, cmd.communityId)
  }
  const found = new Set<string>(accounts.map((a) => a.id))
  const missing = [...new Set(cmd.accountIds)].filter((id) => !found.has(id)).sort()
  return { accounts, missing }
})

/**
 * An account's statement for `from <= postedAt < to`, with the period's
 * credits and debits.
 *
 * @since 0.1.0
 * @category ledger
 */
export const statement = Effect.fn("ledger.statement")(function* (
  actor: Actor,
  communityId: CommunityId,
  accountId: AccountId,
  range: { readonly from?: number; readonly to?: number; readonly limit?: number } = {}
) {
  const account = yield* getAccount(actor, communityId, accountId)
  return { account, ...(yield* statementUnchecked(communityId, accountId, range)) }
})

/**
 * An account's statement lines for `from <= postedAt < to` (default: all,
 * at most 1,000 lines) with the period's credits and debits, without a
 * permission check, for modules that authorized their own query.
 *
 * @since 0.1.0
 * @category ledger
 */
export const statementUnchecked = (
  communityId: CommunityId,
  accountId: AccountId,
  range: { readonly from?: number; readonly to?: number; readonly limit?: number } = {}
) =>
  Effect.gen(function* () {
    const store = yield* LedgerStore
    const lines = yield* store.statement(communityId, accountId, {
      from: range.from ?? 0,
      to: range.to ?? Number.MAX_SAFE_INTEGER,
      limit: range.limit ?? 1000
    })
    let credits = 0
    let debits = 0
    for (const l of lines) {
      if (l.amount > 0) credits += l.amount
      else debits -= l.amount
    }
    return { lines, credits, debits }
  })
