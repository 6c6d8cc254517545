import {
  Directory,
  describeError,
  formatFen,
  JournalEntry,
  maskPhone,
  openAccount,
  postTransaction,
  readJournal,
  ResidentActor,
  StaffActor,
  SystemActor,
  verifyJournal,
  type DirectorySnapshot
} from "@gongzhi/core"
import { MemoryInspector } from "@gongzhi/store-memory"
import { describeCommunity } from "@gongzhi/testkit"
import { Effect } from "effect"
import { heading, line } from "../print.js"

/** The kernel: a fixture community, a few ledger commands, the journal and a tamper check. */
export const kernelChapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const facts = describeCommunity(community)
    heading("1. The community (fixture generator, seed 2026)")
    line(`${facts.buildings} buildings, ${facts.units} units (单元), ${facts.households} households, ${facts.residents} residents`)
    line(`${(facts.over60Share * 100).toFixed(1)}% of residents are over 60; exclusive areas ${facts.minAreaM2}-${facts.maxAreaM2} m²`)
    const dir = yield* Directory
    const someone = (yield* dir.listResidents(c)).find((r) => r.phone !== undefined)!
    line(`resident ${someone.name} (${someone.id}) phone shown as ${maskPhone(someone.phone!)}`)

    heading("2. The community fund (社区基金) on the double-entry ledger")
    const system = new SystemActor({ communityId: c, process: "demo" })
    const treasurer = community.staff.find((s) => s.roles.includes("treasurer" as never))!
    const staff = new StaffActor({ communityId: c, staffId: treasurer.id, roles: treasurer.roles, departments: treasurer.departments })
    yield* openAccount(system, { communityId: c, accountId: "donations", unit: "fen", kind: "external" })
    yield* openAccount(system, { communityId: c, accountId: "fund", unit: "fen", kind: "community-fund", floor: 0 })
    yield* openAccount(system, { communityId: c, accountId: "garden-project", unit: "fen", kind: "project", floor: 0 })
    yield* postTransaction(staff, {
      communityId: c, unit: "fen", kind: "donation", memo: "Owners' donations for the garden",
      postings: [{ accountId: "donations", amount: -1_250_000 }, { accountId: "fund", amount: 1_250_000 }],
      idempotencyKey: "donation-2026-11"
    })
    yield* postTransaction(staff, {
      communityId: c, unit: "fen", kind: "grant", memo: "Seedlings and tools",
      postings: [{ accountId: "fund", amount: -386_050 }, { accountId: "garden-project", amount: 386_050 }]
    })
    line(`donation 12500.00 yuan in, grant ${formatFen(386_050)} yuan out`)
    const overdraw = yield* Effect.flip(postTransaction(staff, {
      communityId: c, unit: "fen", kind: "grant", memo: "Too much",
      postings: [{ accountId: "fund", amount: -2_000_000 }, { accountId: "garden-project", amount: 2_000_000 }]
    }))
    line(`overdrawing the fund is refused: [${describeError(overdraw as never).code}] ${(overdraw as { text: { "zh-CN": string } }).text["zh-CN"]}`)
    const resident = new ResidentActor({ communityId: c, residentId: someone.id })
    const forbidden = yield* Effect.flip(postTransaction(resident, {
      communityId: c, unit: "fen", kind: "grant", memo: "Me",
      postings: [{ accountId: "fund", amount: -100 }, { accountId: "garden-project", amount: 100 }]
    }))
    line(`a resident posting to the fund is refused: [${(forbidden as { code: string }).code}] ${(forbidden as { message: string }).message}`)

    heading("3. The journal (hash-chained)")
    const entries = yield* readJournal(c)
    for (const e of entries) line(`#${e.seq} ${e.type.padEnd(24)} ${e.hash.slice(0, 16)}… ← ${e.prevHash.slice(0, 8)}…`)
    const ok = yield* verifyJournal(c)
    line(`verifyJournal: ${ok.ok ? `ok, ${ok.entries} entries` : `BROKEN at #${ok.seq} (${ok.reason})`}`)

    heading("4. Someone edits the database by hand")
    const inspector = yield* MemoryInspector
    const victim = inspector.rawJournal(c)[3]!
    const payload = victim.payload as { postings: Array<{ accountId: string; amount: number }> }
    const forged = new JournalEntry({
      ...victim,
      payload: { ...payload, postings: payload.postings.map((p) => ({ ...p, amount: p.amount / 10 })) }
    })
    inspector.tamperJournal(c, victim.seq, forged)
    line(`entry #${victim.seq} now says the donation was ${formatFen(1_250_000 / 10)} yuan`)
    const broken = yield* verifyJournal(c)
    line(`verifyJournal: ${broken.ok ? "ok (tampering missed!)" : `BROKEN at #${broken.seq} (${broken.reason})`}`)
    inspector.tamperJournal(c, victim.seq, victim)
  })
