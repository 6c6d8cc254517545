/**
 * A virtual clock: an Effect `Clock` whose time is a number the simulation
 * sets. Moving it costs a variable assignment (`TestClock.setTime` yields to
 * a real timer on every call, about 6 ms in Node), and `sleep` returns at
 * once, so a year of days passes in no time.
 *
 * @since 0.1.0
 */
import { Clock, Effect } from "effect"

/**
 * A settable clock.
 *
 * @since 0.1.0
 * @category clock
 */
export interface VirtualClock {
  /** The Effect clock to provide with `Effect.withClock`. */
  readonly clock: Clock.Clock
  /** Current time in epoch milliseconds. */
  readonly now: () => number
  /** Moves the clock to `ms` (never backwards). */
  readonly set: (ms: number) => void
}

/**
 * Makes a virtual clock starting at `start` (epoch milliseconds).
 *
 * @since 0.1.0
 * @category clock
 */
export const makeVirtualClock = (start: number): VirtualClock => {
  let now = start
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    unsafeCurrentTimeMillis: () => now,
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    sleep: () => Effect.void
  }
  return {
    clock,
    now: () => now,
    set: (ms) => {
      if (ms > now) now = ms
    }
  }
}
