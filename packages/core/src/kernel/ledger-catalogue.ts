/**
 * The ledger's entries in the command catalogue.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { catalogueBuilder, catalogueEntries } from "./catalogue.js"
import {
  AlreadyExists,
  Conflict,
  Forbidden,
  IdempotencyKeyReused,
  InsufficientBalance,
  InvalidInput,
  NotFound,
  StoreUnavailable
} from "./errors.js"
import { AccountId, CommunityId } from "./ids.js"
import {
  Account,
  balances,
  BalancesInput,
  BalancesResult,
  getAccount,
  LedgerEvent,
  LedgerTransaction,
  ledgerPermissions,
  OpenAccountInput,
  openAccount,
  PostInput,
  postTransaction,
  ReverseInput,
  reverseTransaction,
  statement,
  StatementLine
} from "./ledger.js"

const entry = catalogueBuilder("ledger", ledgerPermissions, LedgerEvent)

const AccountRef = Schema.Struct({ communityId: CommunityId, accountId: AccountId })

/**
 * Input of the catalogue's `ledger.statement`: an account and an optional
 * period `from <= postedAt < to` (milliseconds since the epoch).
 *
 * @since 0.2.0
 * @category catalogue
 */
export const LedgerStatementInput = Schema.Struct({
  communityId: CommunityId,
  accountId: AccountId,
  from: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  to: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000)))
})

/**
 * Result of `ledger.statement`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const LedgerStatementResult = Schema.Struct({
  account: Account,
  lines: Schema.Array(StatementLine),
  credits: Schema.Int,
  debits: Schema.Int
})

/**
 * The ledger's commands and queries.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const ledgerCommands = catalogueEntries(
  entry.command({
    name: "ledger.openAccount",
    permission: "ledger.openAccount",
    title: { "zh-CN": "开立账户", en: "Open an account" },
    description: {
      "zh-CN": "在社区账本中开立一个账户（分、积分或百分之一小时），可设余额下限。",
      en: "Opens an account in the community ledger (fen, points or centi-hours), optionally with a balance floor."
    },
    input: OpenAccountInput,
    result: Account,
    errors: [InvalidInput, Forbidden, AlreadyExists, Conflict, StoreUnavailable],
    events: ["LedgerAccountOpened"],
    command: openAccount
  }),
  entry.command({
    name: "ledger.post",
    permission: "ledger.post",
    title: { "zh-CN": "记账", en: "Post a transaction" },
    description: {
      "zh-CN": "记一笔借贷相等的交易（各分录之和为零）；同一幂等键重放返回第一次的结果。",
      en: "Posts a balanced transaction (its postings sum to zero); a replay with the same idempotency key returns the first result."
    },
    input: PostInput,
    result: LedgerTransaction,
    errors: [InvalidInput, Forbidden, InsufficientBalance, NotFound, IdempotencyKeyReused, Conflict, StoreUnavailable],
    events: ["LedgerTransactionPosted"],
    command: postTransaction
  }),
  entry.command({
    name: "ledger.reverse",
    permission: "ledger.reverse",
    title: { "zh-CN": "冲正", en: "Reverse a transaction" },
    description: {
      "zh-CN": "以一笔反向交易冲销原交易，原交易保持不变；每笔交易只能冲正一次。",
      en: "Undoes a transaction with an opposite one that links to it; history is never edited and a transaction is reversed at most once."
    },
    input: ReverseInput,
    result: LedgerTransaction,
    errors: [InvalidInput, Forbidden, AlreadyExists, InsufficientBalance, NotFound, IdempotencyKeyReused, Conflict, StoreUnavailable],
    events: ["LedgerTransactionPosted"],
    command: reverseTransaction
  }),
  entry.query(AccountRef, (actor, i) => getAccount(actor, i.communityId, i.accountId))({
    name: "ledger.getAccount",
    permission: "ledger.read",
    title: { "zh-CN": "查询账户", en: "Get an account" },
    description: {
      "zh-CN": "一个账户及其余额；居民只能查询本人的账户。",
      en: "An account with its balance; a resident may read only their own accounts."
    },
    result: Account,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.command({
    name: "ledger.balances",
    permission: "ledger.read",
    title: { "zh-CN": "批量查询余额", en: "Balances of many accounts" },
    description: {
      "zh-CN": "一次读取多达 1000 个账户的余额（按账户编号排序），并列出不存在的编号；供看板和模拟使用。",
      en: "Reads up to 1,000 accounts with their balances in one call (in id order) and lists the ids not found; for dashboards and simulations."
    },
    input: BalancesInput,
    result: BalancesResult,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: [],
    command: balances
  }),
  entry.query(LedgerStatementInput, (actor, i) =>
    statement(actor, i.communityId, i.accountId, {
      ...(i.from === undefined ? {} : { from: i.from }),
      ...(i.to === undefined ? {} : { to: i.to }),
      ...(i.limit === undefined ? {} : { limit: i.limit })
    }))({
    name: "ledger.statement",
    permission: "ledger.read",
    title: { "zh-CN": "账户流水", en: "Account statement" },
    description: {
      "zh-CN": "账户在某期间（from ≤ 记账时间 < to）的流水、收入合计与支出合计，最多 1000 行。",
      en: "An account's lines for a period (from <= postedAt < to) with the period's credits and debits, at most 1,000 lines."
    },
    result: LedgerStatementResult,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  })
)
