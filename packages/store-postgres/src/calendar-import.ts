/**
 * `gongzhi-pg calendar import <file>`: loads one year's official schedule
 * (the JSON format of `OfficialYearFile`, see docs/calendar.md) into the
 * database and re-derives the deadlines computed on that year while it was
 * provisional, in every community. Running processes pick the year up at
 * their next start, or at once with `Calendar.refresh`.
 *
 * @since 0.2.0
 */
import { Calendar, CommunityId, Gongzhi, type ImportYearError, type ImportYearResult, InvalidCalendarFile, SystemActor } from "@gongzhi/core"
import type { PgClient } from "@effect/sql-pg"
import { Effect, Layer } from "effect"
import { readFile } from "node:fs/promises"
import { layerFromClient } from "./layer.js"

/**
 * Reads and imports a schedule file as the system actor (`system:gongzhi-pg`).
 * A file that cannot be read or is not JSON fails with `InvalidCalendarFile`
 * (field `(file)`); a file that does not validate fails the same way with the
 * field and date at fault. Either way nothing changes.
 *
 * @since 0.2.0
 * @category calendar
 */
export const importCalendarFile = (path: string): Effect.Effect<ImportYearResult, ImportYearError, PgClient.PgClient> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => readFile(path, "utf8"),
      catch: () => new InvalidCalendarFile({ field: "(file)", reason: "format", detail: `cannot read ${path}` })
    })
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new InvalidCalendarFile({ field: "(file)", reason: "format", detail: "not JSON" })
    })
    const actor = new SystemActor({ communityId: CommunityId.make("national"), process: "gongzhi-pg" })
    return yield* Calendar.importYear(actor, json)
  }).pipe(Effect.provide(Layer.merge(Gongzhi.layer(), layerFromClient())))

