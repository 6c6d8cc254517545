import { CommunityId, readJournal } from "@gongzhi/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as net from "node:net"
import { PgStore } from "../src/index.js"

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

describe("connection failures", () => {
  it.live("surface as a typed StoreUnavailable with the cause, quickly", () =>
    Effect.gen(function* () {
      const port = yield* Effect.promise(closedPort)
      const started = Date.now()
      const exit = yield* Effect.exit(
        Effect.provide(readJournal(CommunityId.make("c")), PgStore.layer({ url: `postgres://postgres:x@127.0.0.1:${port}/none`, connectTimeout: "2 seconds" }))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        const error = exit.cause.error
        expect(error._tag).toBe("StoreUnavailable")
        expect(error.code).toBe("STORE_UNAVAILABLE")
        expect(error.operation).toBe("connect")
        expect(String((error.cause as { message?: string }).message)).toMatch(/connect/i)
      } else {
        expect.fail(`expected a typed failure, got ${exit._tag === "Failure" ? exit.cause._tag : "success"}`)
      }
      expect(Date.now() - started).toBeLessThan(10_000)
    }))

  it.live("a server that accepts but never answers times out as StoreUnavailable", () =>
    Effect.gen(function* () {
      const sockets: Array<net.Socket> = []
      const server = net.createServer((s) => sockets.push(s))
      const port = yield* Effect.promise(() => new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.address() as net.AddressInfo).port))))
      const exit = yield* Effect.exit(
        Effect.provide(readJournal(CommunityId.make("c")), PgStore.layer({ url: `postgres://postgres:x@127.0.0.1:${port}/none`, connectTimeout: "500 millis" }))
      )
      for (const s of sockets) s.destroy()
      server.close()
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe("StoreUnavailable")
    }), 20_000)
})
