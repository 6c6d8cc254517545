/**
 * Notification delivery: outbox throughput end to end (claim, resolve the
 * recipient, render, send to the fake provider over HTTP with the Aliyun
 * driver and its signature, record the outcome) on the memory store and on
 * PostgreSQL; and the same with a channel that answers at once, to separate
 * the outbox's own cost from HTTP. No faults injected.
 *
 * The PostgreSQL server is the throwaway test cluster (durability off) unless
 * `DATABASE_URL` is set. Figures measured while other work runs on the
 * machine are indicative only.
 */
import {
  CommunityId,
  type DirectorySnapshot,
  DirectoryWriter,
  Gongzhi,
  Notifications,
  type StoragePorts,
  Transaction
} from "@gongzhi/core"
import { aliyunSms, SmsChannelLive, startFakeSmsServer } from "@gongzhi/notify-sms"
import { MemoryStore } from "@gongzhi/store-memory"
import { PgStore } from "@gongzhi/store-postgres"
import { generateCommunity } from "@gongzhi/testkit"
import { Clock, Effect, Layer, ManagedRuntime } from "effect"
import { freshDatabase } from "../../packages/store-postgres/test/support/db.js"
import { startTestServer } from "../../packages/store-postgres/test/support/global-setup.js"
import { measure, report, section } from "./harness.js"

const MESSAGES = Number(process.env.BENCH_NOTIFY_MESSAGES ?? 5_000)
const creds = { accessKeyId: "LTAI-bench", accessKeySecret: "bench-secret" }
const templates = { "bench.notice": { "zh-CN": "通知 {n}", en: "Notice {n}" } }

const enqueueAll = (c: CommunityId, snapshot: DirectorySnapshot) =>
  Effect.gen(function* () {
    const store = yield* Notifications.NotificationStore
    const tx = yield* Transaction
    const residents = snapshot.residents.filter((r) => r.phone !== undefined)
    const now = yield* Clock.currentTimeMillis
    yield* tx.run(Effect.forEach(Array.from({ length: MESSAGES }, (_, i) => i), (i) => {
      const r = residents[i % residents.length]!
      return store.enqueue(new Notifications.OutboxEntry({
        communityId: c, id: `bench-${i}`, seq: 0, recipient: { _tag: "Resident", residentId: r.id }, recipientKey: `resident:${r.id}`,
        category: "general", urgent: false, templateId: "bench.notice", params: { n: i }, idempotencyKey: `bench-${i}`,
        status: "pending", attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now
      }))
    }, { discard: true }))
  })

// The community's local time is noon whenever the bench runs, so quiet hours defer nothing.
const noonOffset = (12 - new Date().getUTCHours()) * 60
const config = Layer.succeed(Notifications.NotificationConfig, {
  ...Notifications.defaultNotificationConfig,
  utcOffsetMinutes: noonOffset,
  dailyLimitPerRecipient: 1_000_000,
  batchSize: 500,
  concurrency: 16
})

const instant = Layer.succeed(Notifications.SmsChannel, Notifications.SmsChannel.of({
  reachable: () => Effect.succeed(true),
  send: (d) => Effect.succeed({ provider: "instant", providerMessageId: d.reference })
}))

const runOne = async (label: string, store: Layer.Layer<StoragePorts | DirectoryWriter, unknown>, channel: "http" | "instant", fakeUrl: string, seed: number) => {
  const base = Layer.mergeAll(Gongzhi.layer({ templates }), store, config)
  const sms = channel === "instant"
    ? instant
    : SmsChannelLive({ provider: aliyunSms({ ...creds, signName: "共治", endpoint: fakeUrl }), templates: { "bench.notice": { templateCode: "SMS_1", params: ["n"] } } })
  const runtime = ManagedRuntime.make(Layer.provideMerge(sms, base))
  try {
    const id = `bench-notify-${seed}-${Date.now().toString(36)}`
    // ~600 residents with phones: many recipients, as a vote opening has
    const snapshot = generateCommunity({ seed, communityId: id, buildings: 12, floors: 6 })
    const c = CommunityId.make(id)
    await runtime.runPromise(Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot)))
    await runtime.runPromise(enqueueAll(c, snapshot))
    const m = await measure(label, () => runtime.runPromise(Effect.map(Notifications.deliverAll({ communityId: c }), (r) => r.sent)))
    report(m)
    if (m.ops !== MESSAGES) console.log(`  (!) sent ${m.ops} of ${MESSAGES}`)
  } finally {
    await runtime.dispose()
  }
}

export const notifyBench = async (): Promise<void> => {
  section(`notify: outbox throughput, ${MESSAGES.toLocaleString("en")} messages, batches of 500, 16 sends at a time`)
  const fake = await startFakeSmsServer({ aliyun: creds })
  const server = await startTestServer()
  const db = await freshDatabase(server.url, { prefix: "gz_bench_notify" })
  try {
    await runOne("memory, outbox only (instant channel)", MemoryStore.layer(), "instant", fake.url, 1)
    await runOne("memory -> fake provider over HTTP (Aliyun driver)", MemoryStore.layer(), "http", fake.url, 2)
    await runOne("postgres, outbox only (instant channel)", PgStore.layer({ url: db.url, maxConnections: 16 }), "instant", fake.url, 3)
    await runOne("postgres -> fake provider over HTTP (Aliyun driver)", PgStore.layer({ url: db.url, maxConnections: 16 }), "http", fake.url, 4)
  } finally {
    await fake.close()
    await db.drop()
    await server.teardown()
  }
}
