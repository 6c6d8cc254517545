/**
 * Pet credit's links to other modules through their public events (time-bank patrols).
 *
 * @since 0.2.0
 */
import { Effect, Option } from "effect"
import { SystemActor } from "../../kernel/actor.js"
import { WorkdayCalendar } from "../../kernel/calendar.js"
import { Directory } from "../../kernel/directory.js"
import { decodeEntry } from "../../kernel/journal.js"
import type { Subscriber } from "../../kernel/subscribers.js"
import { TimeBankEvent } from "../../timebank/index.js"
import { PetCreditConfig } from "../model.js"
import * as Rules from "../rules.js"
import { PetCreditStore } from "../store.js"
import { currentScheme } from "./shared.js"
import { grantReward } from "./scores.js"

// ---------------------------------------------------------------------------
// Links: patrol hours from the time bank

/**
 * Rewards patrol volunteering recorded in the time bank: for every
 * confirmed time-bank service of a type in `patrolServiceTypes`, each
 * active dog the provider keeps earns the scheme's `patrol` reward, once
 * per service (`sourceRef` `timebank:<serviceId>:<dogId>`). Run it with
 * `drain`/`runWorker`.
 *
 * @since 0.2.0
 * @category subscribers
 */
export const patrolRewardsSubscriber: Subscriber<PetCreditStore | import("../../kernel/transaction.js").Transaction | import("../../kernel/journal.js").JournalStore | WorkdayCalendar | Directory> = {
  name: "petcredit.patrol-rewards",
  handle: (entry) =>
    Effect.gen(function* () {
      const event = decodeEntry(TimeBankEvent)(entry)
      if (Option.isNone(event) || event.value._tag !== "TimebankServiceConfirmed") return
      const e = event.value
      const config = yield* PetCreditConfig
      if (!config.patrolServiceTypes.includes(e.serviceType)) return
      const scheme = yield* currentScheme(entry.communityId)
      if (Rules.rewardFor(scheme, "patrol") === undefined) return
      const store = yield* PetCreditStore
      const dogs = yield* store.dogs.list({ communityId: entry.communityId, keeperId: e.providerId, status: "active" })
      const system = new SystemActor({ communityId: entry.communityId, process: "petcredit" })
      for (const dog of dogs) {
        yield* grantReward(system, { communityId: entry.communityId, dogId: dog.id, kind: "patrol", sourceRef: `timebank:${e.serviceId}:${dog.id}` })
      }
    }).pipe(Effect.catchAll((e) => (e._tag === "StoreUnavailable" ? Effect.fail(e) : Effect.die(e))))
}
