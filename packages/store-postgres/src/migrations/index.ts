/**
 * The schema's versioned migrations, in order. Each runs in its own
 * transaction and is recorded in `gz_schema_migrations`; a migration that was
 * applied is never changed, only followed by a new one.
 *
 * @since 0.1.0
 */
import * as m0001 from "./0001_kernel.js"
import * as m0002 from "./0002_voting.js"
import * as m0003 from "./0003_issues.js"
import * as m0004 from "./0004_incentives.js"
import * as m0005 from "./0005_timebank.js"
import * as m0006 from "./0006_voting_deliberation.js"
import * as m0007 from "./0007_incentives_expiry.js"
import * as m0008 from "./0008_issues_followup.js"
import * as m0009 from "./0009_lookup_safe_indexes.js"
import * as m0012 from "./0012_petcredit.js"
import * as m0010 from "./0010_calendar.js"
import * as m0014 from "./0014_fund.js"
import * as m0013 from "./0013_spaces.js"
import * as m0011 from "./0011_hardening.js"
import * as m0015 from "./0015_notifications.js"

/**
 * One migration.
 *
 * @since 0.1.0
 * @category migrations
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly up: string
}

/**
 * Every migration, oldest first.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: ReadonlyArray<Migration> = [{ version: 1, name: "kernel", up: m0001.up }, { version: 2, name: "voting", up: m0002.up }, { version: 3, name: "issues", up: m0003.up }, { version: 4, name: "incentives", up: m0004.up }, { version: 5, name: "timebank", up: m0005.up }, { version: 6, name: "voting_deliberation", up: m0006.up }, { version: 7, name: "incentives_expiry", up: m0007.up }, { version: 8, name: "issues_followup", up: m0008.up }, { version: 9, name: "lookup_safe_indexes", up: m0009.up }, { version: 10, name: "calendar", up: m0010.up }, { version: 11, name: "hardening", up: m0011.up }, { version: 12, name: "petcredit", up: m0012.up }, { version: 13, name: "spaces", up: m0013.up }, { version: 14, name: "fund", up: m0014.up }, { version: 15, name: "notifications", up: m0015.up }]
