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
import { hardeningSuite } from "./hardening.js"
import { incentivesSuite } from "./incentives.js"
import { issuesSuite } from "./issues.js"
import { kernelSuite } from "./kernel.js"
import { notificationsSuite } from "./notifications.js"
import { timeBankSuite } from "./timebank.js"
import { votingSuite } from "./voting.js"
import type { ConformanceOptions } from "./shared.js"

export type { ConformanceOptions, SuiteIt } from "./shared.js"
export { freshCommunityId } from "./shared.js"
export { entityCases, type EntityCasesOptions } from "./entity.js"
export { changeSampleRecord, SampleEntity, sampleEntityDdl, SampleRecord, sampleRecord } from "./sample-entity.js"

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
      hardeningSuite(it, options)
    })
  })
}
