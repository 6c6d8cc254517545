/**
 * The conformance suite every storage adapter must pass, third-party ones
 * included. It runs the same cases against any layer that provides the
 * storage ports, so the in-memory adapter and PostgreSQL are proven to behave
 * alike. Each module adds its cases as one suite file here.
 *
 * @since 0.1.0
 */
import type { StoragePorts } from "@gongzhi/core"
import { describe, layer } from "@effect/vitest"
import type { Layer } from "effect"
import { calendarSuite } from "./calendar.js"
import { fundSuite } from "./fund.js"
import { hardeningSuite } from "./hardening.js"
import { incentivesSuite } from "./incentives.js"
import { issuesSuite } from "./issues.js"
import { kernelSuite } from "./kernel.js"
import { notificationsSuite } from "./notifications.js"
import { petCreditSuite } from "./petcredit.js"
import { metricsSuite } from "./metrics.js"
import { spacesSuite } from "./spaces.js"
import { timeBankSuite } from "./timebank.js"
import { votingSuite } from "./voting.js"
import type { ConformanceOptions } from "./shared.js"

export type { ConformanceOptions, SuiteIt } from "./shared.js"
export { freshCommunityId } from "./shared.js"
export { entityCases, type EntityCasesOptions } from "./entity.js"
export { changeSampleRecord, SampleEntity, sampleEntityDdl, SampleRecord, sampleRecord } from "./sample-entity.js"
export { sampleDog, sampleEntry, sampleReport, sampleSchemeChoice } from "./petcredit.js"

/**
 * Registers the conformance suite for a storage adapter with vitest. The
 * layer is built once for the whole suite; every case works in its own fresh
 * community.
 *
 * @example
 * runConformance(MemoryStore.layer(), {
 *   name: "memory",
 *   loadDirectory: (s) => Effect.flatMap(MemoryInspector, (i) => i.loadDirectory(s))
 * })
 *
 * @since 0.1.0
 * @category conformance
 */
export const runConformance = <E, LE>(
  testLayer: Layer.Layer<StoragePorts | E, LE>,
  options: ConformanceOptions<E>
): void => {
  describe(`conformance: ${options.name}`, () => {
    layer(testLayer, { timeout: 120_000, excludeTestServices: true })((it) => {
      kernelSuite(it, options)
      timeBankSuite(it, options)
      incentivesSuite(it, options)
      votingSuite(it, options)
      issuesSuite(it, options)
      notificationsSuite(it, options)
      petCreditSuite(it, options)
      metricsSuite(it, options)
      fundSuite(it, options)
      spacesSuite(it, options)
      hardeningSuite(it, options)
      // Last: it loads an official 2027 schedule into the shared database.
      calendarSuite(it, options)
    })
  })
}
