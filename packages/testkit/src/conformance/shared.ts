/**
 * What every conformance suite shares.
 *
 * @since 0.1.0
 */
import type { CommunityId, DirectorySnapshot, StoragePorts } from "@gongzhi/core"
import { CommunityId as CommunityIdSchema } from "@gongzhi/core"
import type { Vitest } from "@effect/vitest"
import type { Effect } from "effect"

/**
 * What {@link runConformance} needs besides the layer.
 *
 * @since 0.1.0
 * @category conformance
 */
export interface ConformanceOptions<E> {
  /** Shown in the suite's name. */
  readonly name: string
  /** Loads a community's directory into the adapter. */
  readonly loadDirectory: (snapshot: DirectorySnapshot) => Effect.Effect<void, unknown, StoragePorts | E>
  /** Per-test timeout in ms (default 30 s). */
  readonly timeout?: number
}

/**
 * The `it` a suite registers its cases with: one shared layer, real clock.
 *
 * @since 0.1.0
 * @category conformance
 */
export type SuiteIt<E> = Vitest.MethodsNonLive<StoragePorts | E, true>

let counter = 0

/**
 * A community id no other test (or earlier run on a persistent database) uses,
 * so suites can share one adapter instance.
 *
 * @since 0.1.0
 * @category conformance
 */
export const freshCommunityId = (): CommunityId =>
  CommunityIdSchema.make(
    `conf-${Date.now().toString(36)}-${(++counter).toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`
  )
