/**
 * The calendar store on PostgreSQL: loaded official years
 * (`gz_calendar_years`, one row a year, the file as JSON) and the marks of
 * records whose deadlines rest on provisional years
 * (`gz_calendar_provisional`, one row per record and year).
 *
 * @since 0.2.0
 */
import { PgClient } from "@effect/sql-pg"
import { CalendarStore, type OfficialYearFile, type ProvisionalMark } from "@gongzhi/core"
import { Context, Effect } from "effect"
import { mapSqlError } from "./sql.js"

/**
 * Builds the PostgreSQL `CalendarStore` (joins the caller's transaction).
 *
 * @since 0.2.0
 * @category internals
 */
export const makeCalendarStore: Effect.Effect<Context.Context<CalendarStore>, never, PgClient.PgClient> = Effect.gen(
  function* () {
    const sql = yield* PgClient.PgClient
    return Context.make(
      CalendarStore,
      CalendarStore.of({
        putYear: (r) =>
          sql`
            INSERT INTO gz_calendar_years (year, file, loaded_at, loaded_by)
            VALUES (${r.year}, ${JSON.stringify(r.file)}::jsonb, ${r.loadedAt}, ${r.loadedBy})
            ON CONFLICT (year) DO UPDATE SET file = excluded.file, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by`.pipe(
            mapSqlError("calendar.putYear"),
            Effect.asVoid
          ),
        listYears: () =>
          sql`SELECT year, file, loaded_at, loaded_by FROM gz_calendar_years ORDER BY year`.pipe(
            mapSqlError("calendar.listYears"),
            Effect.map((rows) =>
              rows.map((r) => ({
                year: Number(r.year),
                file: (typeof r.file === "string" ? JSON.parse(r.file) : r.file) as OfficialYearFile,
                loadedAt: Number(r.loaded_at),
                loadedBy: String(r.loaded_by)
              }))
            )
          ),
        markProvisional: (m) =>
          Effect.gen(function* () {
            yield* sql`
              DELETE FROM gz_calendar_provisional
              WHERE community_id = ${m.communityId} AND owner = ${m.owner} AND key = ${m.key}`
            const years = [...new Set(m.years)].sort((a, b) => a - b)
            if (years.length === 0) return
            yield* sql`INSERT INTO gz_calendar_provisional ${sql.insert(
              years.map((year) => ({ community_id: m.communityId, owner: m.owner, key: m.key, year }))
            )}`
          }).pipe(mapSqlError("calendar.markProvisional")),
        listProvisional: (year) =>
          sql`
            SELECT p.community_id, p.owner, p.key,
                   array_agg(a.year ORDER BY a.year) AS years
            FROM gz_calendar_provisional p
            JOIN gz_calendar_provisional a
              ON a.community_id = p.community_id AND a.owner = p.owner AND a.key = p.key
            WHERE p.year = ${year}
            GROUP BY p.community_id, p.owner, p.key
            ORDER BY p.community_id, p.owner, p.key`.pipe(
            mapSqlError("calendar.listProvisional"),
            Effect.map((rows) =>
              rows.map((r): ProvisionalMark => ({
                communityId: String(r.community_id),
                owner: String(r.owner),
                key: String(r.key),
                years: (r.years as ReadonlyArray<number | string>).map(Number)
              }))
            )
          )
      })
    )
  }
)
