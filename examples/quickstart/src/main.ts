// The README's short example, kept compiling and running.
import { Gongzhi, openAccount, postTransaction, Role, StaffActor, StaffId, SystemActor, verifyJournal } from "@gongzhi/core"
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { Effect, Layer } from "effect"

const community = generateCommunity({ seed: 1, communityId: "xingfuli" }) // or your own DirectorySnapshot
const AppLayer = Layer.mergeAll(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))
// In production: PgStore.layer({ url: process.env.DATABASE_URL }) from @gongzhi/store-postgres

const program = Effect.gen(function* () {
  const c = community.community.id
  const system = new SystemActor({ communityId: c, process: "setup" })
  yield* openAccount(system, { communityId: c, accountId: "donations", unit: "fen", kind: "external" })
  yield* openAccount(system, { communityId: c, accountId: "fund", unit: "fen", kind: "community-fund", floor: 0 })

  const treasurer = new StaffActor({
    communityId: c,
    staffId: StaffId.make("s-treasurer"),
    roles: [Role.make("treasurer")],
    departments: []
  })
  yield* postTransaction(treasurer, {
    communityId: c,
    unit: "fen",
    kind: "donation",
    memo: "Garden donations",
    postings: [{ accountId: "donations", amount: -1_250_000 }, { accountId: "fund", amount: 1_250_000 }],
    idempotencyKey: "donation-2026-11" // a replay returns the first result
  })
  console.log(yield* verifyJournal(c)) // { ok: true, entries: 3, head: { seq: 3, hash: "…" } }
})

Effect.runPromise(program.pipe(Effect.provide(AppLayer)))
