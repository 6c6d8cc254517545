import type { DirectorySnapshot, NotificationTemplates, WorkdayCalendar } from "@gongzhi/core"
import type { MemoryPorts } from "@gongzhi/store-memory"
import type { Effect } from "effect"
import { incentivesChapter } from "./incentives.js"
import { issuesChapter } from "./issues.js"
import { kernelChapter } from "./kernel.js"
import { notificationsChapter } from "./notifications.js"
import { timeBankChapter } from "./timebank.js"
import { votingChapter } from "./voting.js"

/** One chapter of the demo: runs against the composed app layer and prints what happens. */
export type Chapter = (community: DirectorySnapshot) => Effect.Effect<void, unknown, DemoServices>

/** What the demo's layer provides. */
export type DemoServices = MemoryPorts | WorkdayCalendar | NotificationTemplates

/** Chapters in the order they are told. Modules append theirs. */
export const chapters: ReadonlyArray<Chapter> = [kernelChapter, timeBankChapter, votingChapter, issuesChapter, incentivesChapter, notificationsChapter]
