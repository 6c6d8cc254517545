/**
 * The memory adapter's layer.
 *
 * @since 0.1.0
 */
import {
  type Account,
  AlreadyExists,
  type Building,
  CalendarStore,
  type OfficialYearFile,
  type CommunityId,
  Conflict,
  DeadLetter,
  type Department,
  Directory,
  type DirectorySnapshot,
  DirectoryWriter,
  type Household,
  JournalEntry,
  type JournalHead,
  JournalStore,
  type LedgerTransaction,
  LedgerStore,
  NotFound,
  Notifier,
  type OutgoingMessage,
  type Resident,
  type Staff,
  type StatementLine,
  SubscriptionStore,
  Transaction,
  type Unit
} from "@gongzhi/core"
import { Context, Effect, Layer, Option } from "effect"
import { makeCalendarStore } from "./calendar.js"
import { makeTransactor, MemoryDatabase } from "./database.js"
import { type ModuleStores, moduleStores } from "./modules.js"

/**
 * Options of {@link MemoryStore.layer}.
 *
 * @since 0.1.0
 * @category layers
 */
export interface MemoryStoreOptions {
  /** Communities to load into the directory. */
  readonly directory?: ReadonlyArray<DirectorySnapshot>
  /**
   * Official calendar years already "loaded" (the JSON files of
   * `OfficialYearFile`, as if imported with `Calendar.importYear`): the
   * running calendar reads them on its first use. Not validated here; an
   * invalid file fails the first command that reads the calendar.
   */
  readonly calendarYears?: ReadonlyArray<OfficialYearFile>
}

/**
 * Access to the memory adapter's internals for tests, demos and simulations:
 * the outbox of sent notifications and the raw database (to play an attacker
 * who edits the journal, for example).
 *
 * @since 0.1.0
 * @category layers
 */
export class MemoryInspector extends Context.Tag("@gongzhi/store-memory/MemoryInspector")<
  MemoryInspector,
  {
    readonly database: MemoryDatabase
    /** Notifications delivered so far, oldest first (duplicates by idempotency key are dropped). */
    readonly outbox: () => ReadonlyArray<OutgoingMessage>
    /** Loads (upserts) a community's directory; records missing from the snapshot are kept, as in PostgreSQL. */
    readonly loadDirectory: (snapshot: DirectorySnapshot) => Effect.Effect<void>
    /** The raw journal entries of a community, for tampering experiments. */
    readonly rawJournal: (communityId: CommunityId) => Array<JournalEntry>
    /** Overwrites a raw journal entry in place (bypassing every check): for demonstrating `verifyJournal`. */
    readonly tamperJournal: (communityId: CommunityId, seq: number, entry: JournalEntry | undefined) => void
  }
>() {}

const k = (...parts: ReadonlyArray<string | number>) => parts.join("\u0000")
const seqKey = (seq: number) => String(seq).padStart(16, "0")

/**
 * Every port Gongzhi defines, in memory.
 *
 * @since 0.1.0
 * @category layers
 */
export type MemoryPorts =
  | Directory
  | JournalStore
  | SubscriptionStore
  | Transaction
  | Notifier
  | LedgerStore
  | CalendarStore
  | MemoryInspector
  | DirectoryWriter
  | ModuleStores

const make = (options: MemoryStoreOptions) =>
  Effect.gen(function* () {
    const db = new MemoryDatabase()
    const run = (yield* makeTransactor)(db)
    const outbox: Array<OutgoingMessage> = []
    const delivered = new Set<string>()

    const loadDirectory = (s: DirectorySnapshot) =>
      run(
        Effect.sync(() => {
          const c = s.community.id
          db.set("communities", c, s.community)
          for (const b of s.buildings) db.set("buildings", k(c, b.id), b)
          for (const u of s.units) db.set("units", k(c, u.id), u)
          for (const h of s.households) db.set("households", k(c, h.id), h)
          for (const r of s.residents) db.set("residents", k(c, r.id), r)
          for (const d of s.departments) db.set("departments", k(c, d.id), d)
          for (const st of s.staff) db.set("staff", k(c, st.id), st)
        })
      )
    for (const snapshot of options.directory ?? []) yield* loadDirectory(snapshot)

    const read = <A>(f: () => A) => run(Effect.sync(f))
    const found = <A>(entity: string, id: string, a: A | undefined) =>
      a === undefined ? Effect.fail(new NotFound({ entity, id })) : Effect.succeed(a)

    const directory = Directory.of({
      getCommunity: (c) => Effect.flatMap(read(() => db.get("communities", c)), (x) => found("Community", c, x)) as never,
      listBuildings: (c) => read(() => db.values<Building>("buildings", k(c, ""))),
      listUnits: (c, b) => read(() => db.values<Unit>("units", k(c, "")).filter((u) => b === undefined || u.buildingId === b)),
      listHouseholds: (c, f) =>
        read(() =>
          db
            .values<Household>("households", k(c, ""))
            .filter((h) => (f?.buildingId === undefined || h.buildingId === f.buildingId) && (f?.unitId === undefined || h.unitId === f.unitId))
        ),
      getHousehold: (c, id) => Effect.flatMap(read(() => db.get<Household>("households", k(c, id))), (x) => found("Household", id, x)),
      listResidents: (c, h) =>
        read(() => db.values<Resident>("residents", k(c, "")).filter((r) => h === undefined || r.householdId === h)),
      getResident: (c, id) => Effect.flatMap(read(() => db.get<Resident>("residents", k(c, id))), (x) => found("Resident", id, x)),
      listDepartments: (c) => read(() => db.values<Department>("departments", k(c, ""))),
      listStaff: (c, d) => read(() => db.values<Staff>("staff", k(c, "")).filter((s) => d === undefined || s.departments.includes(d))),
      getStaff: (c, id) => Effect.flatMap(read(() => db.get<Staff>("staff", k(c, id))), (x) => found("Staff", id, x))
    })

    const journal = JournalStore.of({
      head: (c) => read(() => Option.fromNullable(db.get<JournalHead>("journal_heads", c))),
      headForUpdate: (c) => read(() => Option.fromNullable(db.get<JournalHead>("journal_heads", c))),
      append: (c, entries) =>
        run(
          Effect.suspend(() => {
            const head = db.get<JournalHead>("journal_heads", c) ?? { seq: 0, hash: "0".repeat(64) }
            let expected = head
            for (const e of entries) {
              if (e.communityId !== c || e.seq !== expected.seq + 1 || e.prevHash !== expected.hash) {
                return Effect.fail(new Conflict({ entity: "Journal", id: c, detail: `entry ${e.seq} does not follow head ${expected.seq}` }))
              }
              db.set("journal", k(c, seqKey(e.seq)), e)
              expected = { seq: e.seq, hash: e.hash }
            }
            db.set("journal_heads", c, expected)
            return Effect.void
          })
        ),
      read: (c, after, limit) =>
        read(() => {
          const out: Array<JournalEntry> = []
          const head = db.get<JournalHead>("journal_heads", c)?.seq ?? 0
          for (let s = after + 1; s <= head && out.length < limit; s++) {
            const e = db.get<JournalEntry>("journal", k(c, seqKey(s)))
            if (e !== undefined) out.push(e)
          }
          return out
        }),
      communities: () => read(() => db.keys("journal_heads").sort() as Array<CommunityId>)
    })

    const subscriptions = SubscriptionStore.of({
      claim: (c, s) =>
        run(
          Effect.sync(() => {
            const pos = db.get<number>("cursors", k(c, s))
            if (pos === undefined) db.set("cursors", k(c, s), 0)
            return Option.some(pos ?? 0)
          })
        ),
      advance: (c, s, seq) => run(Effect.sync(() => db.set("cursors", k(c, s), seq))),
      position: (c, s) => read(() => db.get<number>("cursors", k(c, s)) ?? 0),
      addDeadLetter: (l) => run(Effect.sync(() => db.set("dead_letters", k(l.communityId, l.subscriber, seqKey(l.seq)), l))),
      deadLetters: (c, s) =>
        read(() =>
          db
            .values<DeadLetter>("dead_letters", k(c, ""))
            .filter((l) => s === undefined || l.subscriber === s)
            .sort((a, b) => (a.subscriber === b.subscriber ? a.seq - b.seq : a.subscriber < b.subscriber ? -1 : 1))
        ),
      removeDeadLetter: (c, s, seq) => run(Effect.sync(() => db.delete("dead_letters", k(c, s, seqKey(seq)))))
    })

    const ledger = LedgerStore.of({
      insertAccount: (a) =>
        run(
          Effect.suspend(() => {
            if (db.has("accounts", k(a.communityId, a.id))) {
              return Effect.fail(new AlreadyExists({ entity: "Account", id: a.id }))
            }
            db.set("accounts", k(a.communityId, a.id), a)
            return Effect.void
          })
        ),
      getAccount: (c, id) => read(() => Option.fromNullable(db.get<Account>("accounts", k(c, id)))),
      getAccounts: (c, ids) =>
        read(() => [...new Set(ids)].sort().flatMap((id) => {
          const a = db.get<Account>("accounts", k(c, id))
          return a === undefined ? [] : [a]
        })),
      lock: (c, ids) =>
        read(() => ids.flatMap((id) => {
          const a = db.get<Account>("accounts", k(c, id))
          return a === undefined ? [] : [a]
        })),
      insertTransaction: (tx, balances) =>
        run(
          Effect.suspend(() => {
            if (db.has("ledger_txs", k(tx.communityId, tx.id))) {
              return Effect.fail(new Conflict({ entity: "LedgerTransaction", id: tx.id, detail: "duplicate id" }))
            }
            if (tx.idempotencyKey !== undefined && db.has("ledger_idem", k(tx.communityId, tx.idempotencyKey))) {
              return Effect.fail(new Conflict({ entity: "LedgerTransaction", id: tx.idempotencyKey, detail: "idempotency key taken" }))
            }
            db.set("ledger_txs", k(tx.communityId, tx.id), tx)
            if (tx.idempotencyKey !== undefined) db.set("ledger_idem", k(tx.communityId, tx.idempotencyKey), tx.id)
            if (tx.reverses !== undefined) db.set("ledger_reversals", k(tx.communityId, tx.reverses), tx.id)
            for (const b of balances) {
              const key = k(tx.communityId, b.accountId)
              const account = db.get<Account>("accounts", key)!
              db.set("accounts", key, { ...account, balance: b.balance })
              const n = db.get<number>("posting_counts", key) ?? 0
              const amount = tx.postings.find((p) => p.accountId === b.accountId)!.amount
              const line: StatementLine = { txId: tx.id, kind: tx.kind, memo: tx.memo, amount, balanceAfter: b.balance, postedAt: tx.postedAt }
              db.set("postings", k(tx.communityId, b.accountId, seqKey(n)), line)
              db.set("posting_counts", key, n + 1)
            }
            return Effect.void
          })
        ),
      getTransaction: (c, id) => read(() => Option.fromNullable(db.get<LedgerTransaction>("ledger_txs", k(c, id)))),
      findByIdempotencyKey: (c, key) =>
        read(() => {
          const id = db.get<string>("ledger_idem", k(c, key))
          return Option.fromNullable(id === undefined ? undefined : db.get<LedgerTransaction>("ledger_txs", k(c, id)))
        }),
      findReversal: (c, id) =>
        read(() => {
          const rid = db.get<string>("ledger_reversals", k(c, id))
          return Option.fromNullable(rid === undefined ? undefined : db.get<LedgerTransaction>("ledger_txs", k(c, rid)))
        }),
      statement: (c, accountId, range) =>
        read(() => {
          const key = k(c, accountId)
          const n = db.get<number>("posting_counts", key) ?? 0
          const out: Array<StatementLine> = []
          for (let i = 0; i < n && out.length < range.limit; i++) {
            const line = db.get<StatementLine>("postings", k(c, accountId, seqKey(i)))!
            if (line.postedAt >= range.from && line.postedAt < range.to) out.push(line)
          }
          return out
        })
    })

    const notifier = Notifier.of({
      send: (m) =>
        Effect.sync(() => {
          const key = k(m.communityId, m.idempotencyKey)
          if (delivered.has(key)) return
          delivered.add(key)
          outbox.push(m)
        })
    })

    const inspector = MemoryInspector.of({
      database: db,
      outbox: () => [...outbox],
      loadDirectory,
      rawJournal: (c) => {
        const head = db.get<JournalHead>("journal_heads", c)?.seq ?? 0
        const out: Array<JournalEntry> = []
        for (let s = 1; s <= head; s++) {
          const e = db.get<JournalEntry>("journal", k(c, seqKey(s)))
          if (e !== undefined) out.push(e)
        }
        return out
      },
      tamperJournal: (c, seq, entry) => {
        if (entry === undefined) db.delete("journal", k(c, seqKey(seq)))
        else db.set("journal", k(c, seqKey(seq)), entry)
        db.release(0)
      }
    })

    const calendar = makeCalendarStore(db, run)
    for (const file of options.calendarYears ?? []) {
      yield* Effect.orDie(Context.get(calendar, CalendarStore).putYear({ year: file.year, file, loadedAt: 0, loadedBy: "memory-store-option" }))
    }
    const kernel = Context.empty().pipe(
      Context.merge(calendar),
      Context.add(Directory, directory),
      Context.add(JournalStore, journal),
      Context.add(SubscriptionStore, subscriptions),
      Context.add(Transaction, Transaction.of({ run })),
      Context.add(Notifier, notifier),
      Context.add(LedgerStore, ledger),
      Context.add(MemoryInspector, inspector),
      Context.add(DirectoryWriter, DirectoryWriter.of({ load: loadDirectory }))
    )
    // Each factory contributes one module store; together they provide every `ModuleStores` port.
    const modules = moduleStores.reduce(
      (ctx: Context.Context<ModuleStores>, makeStore) => Context.merge(ctx, makeStore(db, run)),
      Context.empty() as Context.Context<ModuleStores>
    )
    return Context.merge(kernel, modules)
  })

/**
 * The memory adapter.
 *
 * @since 0.1.0
 * @category layers
 */
export const MemoryStore = {
  /** Every port in memory; each layer build is a fresh, empty database. */
  layer: (options: MemoryStoreOptions = {}): Layer.Layer<MemoryPorts> => Layer.scopedContext(make(options))
} as const
