/**
 * The time bank's (时间银行) records, command inputs, views and configuration.
 *
 * Credit is counted in integer centi-hours (1.5 h = 150) on the kernel's
 * double-entry ledger. A service's credit is its actual duration times the
 * multiplier of its service type, computed by `creditFor` (rules) in integers.
 *
 * @since 0.1.0
 */
import { Context, Schema } from "effect"
import { CommunityId, LedgerTxId, ResidentId } from "../kernel/ids.js"

const safe = Schema.Int.pipe(Schema.between(0, Number.MAX_SAFE_INTEGER))
const Millis = Schema.Int.pipe(Schema.between(0, 8_640_000_000_000_000))
const IdempotencyKey = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))

/**
 * A recorded service's id.
 *
 * @since 0.1.0
 * @category model
 */
export const ServiceId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.:-]{1,64}$/, { message: () => "ServiceId must be 1-64 characters of A-Z a-z 0-9 _ . : -" }),
  Schema.brand("TimeBankServiceId")
)
/**
 * @since 0.1.0
 * @category model
 */
export type ServiceId = typeof ServiceId.Type

/**
 * A service type's code, e.g. `elderly-care`.
 *
 * @since 0.1.0
 * @category model
 */
export const ServiceTypeCode = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9_-]{0,39}$/))
/**
 * @since 0.1.0
 * @category model
 */
export type ServiceTypeCode = typeof ServiceTypeCode.Type

/**
 * A multiplier in thousandths: 1.5 credit-hours per hour served is `1500`.
 * Between 1 (0.001) and 100,000 (100).
 *
 * @since 0.1.0
 * @category model
 */
export const MultiplierPermille = Schema.Int.pipe(Schema.between(1, 100_000))

/**
 * A text in zh-CN and en.
 *
 * @since 0.1.0
 * @category model
 */
export const LocalizedName = Schema.Struct({
  "zh-CN": Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  en: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))
})

/**
 * A kind of service with its multiplier per hour. The defaults come from
 * {@link TimeBankConfig}; a community can add its own or override them with
 * `defineServiceType` (stored in the `TimeBankStore`).
 *
 * @since 0.1.0
 * @category model
 */
export class ServiceType extends Schema.Class<ServiceType>("TimeBankServiceType")({
  communityId: CommunityId,
  code: ServiceTypeCode,
  name: LocalizedName,
  multiplierPermille: MultiplierPermille,
  /** Inactive types cannot be used for new records (existing ones keep their multiplier). */
  active: Schema.Boolean,
  updatedAt: Millis
}) {}

/**
 * Where a service is in its life:
 * `pending` (awaiting the recipient's confirmation) -> `credited` (confirmed, credit deposited)
 * or `disputed` -> `credited` | `rejected` (staff decided); a credited service may be `reversed` by staff.
 *
 * @since 0.1.0
 * @category model
 */
export const ServiceStatus = Schema.Literal("pending", "disputed", "credited", "rejected", "reversed")
/**
 * @since 0.1.0
 * @category model
 */
export type ServiceStatus = typeof ServiceStatus.Type

/**
 * A recipient's dispute of a recorded service and, once staff decided, its resolution.
 *
 * @since 0.1.0
 * @category model
 */
export const Dispute = Schema.Struct({
  reason: Schema.String,
  /** `resident:R1` or `staff:S1` (see `actorRef`). */
  raisedBy: Schema.String,
  raisedAt: Millis,
  resolution: Schema.optional(
    Schema.Struct({
      outcome: Schema.Literal("credit", "reject"),
      /** The duration staff credited, if they corrected it. */
      minutes: Schema.optional(Schema.Int),
      note: Schema.String,
      resolvedBy: Schema.String,
      resolvedAt: Millis
    })
  )
})
/**
 * @since 0.1.0
 * @category model
 */
export type Dispute = typeof Dispute.Type

/**
 * A recorded service: who served whom, how long, in which type, and its
 * confirmation state. Stored by the `TimeBankStore`; `version` starts
 * at 1 and grows by one with each update (optimistic concurrency).
 *
 * @since 0.1.0
 * @category model
 */
export class ServiceRecord extends Schema.Class<ServiceRecord>("TimeBankServiceRecord")({
  communityId: CommunityId,
  id: ServiceId,
  providerId: ResidentId,
  recipientId: ResidentId,
  serviceType: ServiceTypeCode,
  /** The type's multiplier when the service was recorded: later changes of the type do not alter it. */
  multiplierPermille: MultiplierPermille,
  /** Actual duration in whole minutes. */
  minutes: Schema.Int.pipe(Schema.positive()),
  startedAt: Schema.optional(Millis),
  endedAt: Schema.optional(Millis),
  /** When the service took place (its start, or what the provider stated, or the recording time). */
  performedAt: Millis,
  /** The year (in the community's time zone) the service counts in for annual volunteer hours. */
  year: Schema.Int,
  /** The credit a confirmation deposits: `creditFor(minutes, multiplierPermille)`. */
  centiHours: Schema.Int.pipe(Schema.positive()),
  note: Schema.String,
  status: ServiceStatus,
  recordedAt: Millis,
  recordedBy: Schema.String,
  /** The caller's idempotency key for `recordService`, unique per community. */
  idempotencyKey: Schema.optional(Schema.String),
  /** SHA-256 of the canonical record request, to tell a replay from a reused key. */
  fingerprint: Schema.String,
  confirmedAt: Schema.optional(Millis),
  confirmedBy: Schema.optional(Schema.String),
  /** The ledger transaction that deposited the credit. */
  creditTxId: Schema.optional(LedgerTxId),
  dispute: Schema.optional(Dispute),
  reversedAt: Schema.optional(Millis),
  reversedBy: Schema.optional(Schema.String),
  reversalTxId: Schema.optional(LedgerTxId),
  reversalReason: Schema.optional(Schema.String),
  version: Schema.Int.pipe(Schema.positive())
}) {}

/**
 * One resident's service totals for one year, actual durations (not
 * multiplied): hours given and hours received are kept apart.
 *
 * @since 0.1.0
 * @category model
 */
export class ResidentYearTotals extends Schema.Class<ResidentYearTotals>("TimeBankResidentYearTotals")({
  communityId: CommunityId,
  residentId: ResidentId,
  year: Schema.Int,
  /** Minutes of credited service this resident gave. */
  givenMinutes: safe,
  /** Credit (centi-hours, after multipliers) those services earned. */
  givenCentiHours: safe,
  servicesGiven: safe,
  /** Minutes of credited service this resident received. */
  receivedMinutes: safe,
  servicesReceived: safe
}) {}

/**
 * A change to a resident's year totals (may be negative: a reversal).
 *
 * @since 0.1.0
 * @category model
 */
export interface TotalsDelta {
  readonly givenMinutes: number
  readonly givenCentiHours: number
  readonly servicesGiven: number
  readonly receivedMinutes: number
  readonly servicesReceived: number
}

/**
 * Input of `balances`: up to 1,000 residents of one community.
 *
 * @since 0.2.0
 * @category model
 */
export const ResidentsInput = Schema.Struct({
  communityId: CommunityId,
  residentIds: Schema.Array(ResidentId).pipe(Schema.maxItems(1000))
})

/**
 * Input of `totalsOf`: up to 1,000 residents of one community and a year.
 *
 * @since 0.2.0
 * @category model
 */
export const ResidentsYearInput = Schema.Struct({
  communityId: CommunityId,
  residentIds: Schema.Array(ResidentId).pipe(Schema.maxItems(1000)),
  year: Schema.Int.pipe(Schema.between(2000, 2200))
})

/**
 * Who pays or is paid: a resident's time-bank account or the community
 * (organisation) account.
 *
 * @since 0.1.0
 * @category model
 */
export const Party = Schema.Union(
  Schema.TaggedStruct("Resident", { residentId: ResidentId }),
  Schema.TaggedStruct("Community", {})
)
/**
 * @since 0.1.0
 * @category model
 */
export type Party = typeof Party.Type

const Amount = Schema.Int.pipe(Schema.between(1, 1_000_000_000_000))
const Memo = Schema.String.pipe(Schema.maxLength(200))
const Reason = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(500))

/**
 * Input of `defineServiceType` (adds a type or overrides a default one).
 *
 * @since 0.1.0
 * @category inputs
 */
export const DefineServiceTypeInput = Schema.Struct({
  communityId: CommunityId,
  code: ServiceTypeCode,
  name: LocalizedName,
  multiplierPermille: MultiplierPermille,
  active: Schema.optional(Schema.Boolean)
})

/**
 * Input of `recordService`: either `minutes` (with an optional `performedAt`)
 * or `startedAt` and `endedAt` (epoch millis; the duration is rounded down to
 * whole minutes).
 *
 * @since 0.1.0
 * @category inputs
 */
export const RecordServiceInput = Schema.Struct({
  communityId: CommunityId,
  providerId: ResidentId,
  recipientId: ResidentId,
  serviceType: ServiceTypeCode,
  minutes: Schema.optional(Schema.Int.pipe(Schema.positive())),
  performedAt: Schema.optional(Millis),
  startedAt: Schema.optional(Millis),
  endedAt: Schema.optional(Millis),
  note: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  idempotencyKey: Schema.optional(IdempotencyKey)
}).pipe(
  Schema.filter((i) => {
    const issues: Array<Schema.FilterIssue> = []
    const span = i.startedAt !== undefined || i.endedAt !== undefined
    if (i.minutes !== undefined && span) {
      issues.push({ path: ["minutes"], message: "give either minutes or startedAt/endedAt, not both" })
    } else if (i.minutes === undefined && !span) {
      issues.push({ path: ["minutes"], message: "give minutes or startedAt and endedAt" })
    } else if (span) {
      if (i.startedAt === undefined) issues.push({ path: ["startedAt"], message: "startedAt is required with endedAt" })
      else if (i.endedAt === undefined) issues.push({ path: ["endedAt"], message: "endedAt is required with startedAt" })
      else if (i.endedAt - i.startedAt < 60_000) issues.push({ path: ["endedAt"], message: "a service lasts at least one minute" })
      if (i.performedAt !== undefined) issues.push({ path: ["performedAt"], message: "performedAt goes with minutes, not with startedAt/endedAt" })
    }
    if (i.providerId === i.recipientId) issues.push({ path: ["recipientId"], message: "a provider cannot serve themselves" })
    return issues.length === 0 ? true : issues
  })
)
/**
 * @since 0.1.0
 * @category inputs
 */
export type RecordServiceInput = typeof RecordServiceInput.Type

/**
 * Input of `confirmService`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ConfirmServiceInput = Schema.Struct({ communityId: CommunityId, serviceId: ServiceId })

/**
 * Input of `disputeService`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const DisputeServiceInput = Schema.Struct({ communityId: CommunityId, serviceId: ServiceId, reason: Reason })

/**
 * Input of `resolveDispute`: credit the service (optionally with a corrected
 * duration) or reject it.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ResolveDisputeInput = Schema.Struct({
  communityId: CommunityId,
  serviceId: ServiceId,
  outcome: Schema.Literal("credit", "reject"),
  minutes: Schema.optional(Schema.Int.pipe(Schema.positive())),
  note: Schema.String.pipe(Schema.maxLength(500))
}).pipe(
  Schema.filter((i) =>
    i.outcome === "reject" && i.minutes !== undefined
      ? { path: ["minutes"], message: "minutes only go with outcome credit" }
      : true
  )
)

/**
 * Input of `reverseService`: takes back a credited service's deposit.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ReverseServiceInput = Schema.Struct({ communityId: CommunityId, serviceId: ServiceId, reason: Reason })

/**
 * Input of `transfer` (to any family member) and `giftToParent` (to a parent only).
 *
 * @since 0.1.0
 * @category inputs
 */
export const TransferInput = Schema.Struct({
  communityId: CommunityId,
  fromResidentId: ResidentId,
  toResidentId: ResidentId,
  centiHours: Amount,
  memo: Schema.optional(Memo),
  idempotencyKey: Schema.optional(IdempotencyKey)
}).pipe(
  Schema.filter((i) =>
    i.fromResidentId === i.toResidentId ? { path: ["toResidentId"], message: "cannot transfer to oneself" } : true
  )
)
/**
 * @since 0.1.0
 * @category inputs
 */
export type TransferInput = typeof TransferInput.Type

/**
 * Input of `redeem`: a resident's balance pays for a service, to its provider
 * or to the community account.
 *
 * @since 0.1.0
 * @category inputs
 */
export const RedeemInput = Schema.Struct({
  communityId: CommunityId,
  residentId: ResidentId,
  payee: Party,
  centiHours: Amount,
  memo: Schema.optional(Memo),
  idempotencyKey: Schema.optional(IdempotencyKey)
}).pipe(
  Schema.filter((i) =>
    i.payee._tag === "Resident" && i.payee.residentId === i.residentId
      ? { path: ["payee"], message: "cannot pay oneself" }
      : true
  )
)

/**
 * Input of `payOut`: the community account pays a resident.
 *
 * @since 0.1.0
 * @category inputs
 */
export const PayOutInput = Schema.Struct({
  communityId: CommunityId,
  toResidentId: ResidentId,
  centiHours: Amount,
  memo: Schema.optional(Memo),
  idempotencyKey: Schema.optional(IdempotencyKey)
})

/**
 * Input of `reverseMovement`: undoes a transfer, gift, redemption or payout.
 *
 * @since 0.1.0
 * @category inputs
 */
export const ReverseMovementInput = Schema.Struct({
  communityId: CommunityId,
  txId: LedgerTxId,
  reason: Reason,
  idempotencyKey: Schema.optional(IdempotencyKey)
})

/**
 * The result of a movement of credit (transfer, gift, redemption, payout,
 * reversal). A replay with the same idempotency key returns the first
 * result with `replayed: true`.
 *
 * @since 0.1.0
 * @category views
 */
export interface MovementResult {
  readonly txId: LedgerTxId
  readonly from: Party
  readonly to: Party
  readonly centiHours: number
  readonly replayed: boolean
}

/**
 * A resident's (or the community's) time-bank balance.
 *
 * @since 0.1.0
 * @category views
 */
export interface BalanceView {
  readonly party: Party
  readonly accountId: string
  /** Centi-hours; 0 when the account was never opened. */
  readonly balance: number
  readonly floor: number
}

/**
 * The annual volunteer-hours figure for a community (the seed's target: more
 * than 10 hours per resident a year).
 *
 * @since 0.1.0
 * @category views
 */
export interface AnnualVolunteerFigure {
  readonly year: number
  readonly residents: number
  /** Residents who gave any credited service that year. */
  readonly volunteers: number
  readonly totalMinutes: number
  /** Total minutes per resident, in centi-hours, rounded half up. */
  readonly perResidentCentiHours: number
  readonly targetMinutesPerResident: number
  /** Whether the average is strictly above the target ("over 10 hours"). */
  readonly meetsTarget: boolean
  /** Residents who individually gave strictly more than the target. */
  readonly residentsOverTarget: number
}

/**
 * A default service type in the configuration.
 *
 * @since 0.1.0
 * @category config
 */
export interface ServiceTypeDefault {
  readonly code: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  readonly multiplierPermille: number
}

/**
 * The time bank's configuration. Every number is configurable.
 *
 * @since 0.1.0
 * @category config
 */
export interface TimeBankConfigShape {
  /** Service types every community has unless it overrides them. */
  readonly serviceTypes: ReadonlyArray<ServiceTypeDefault>
  /** Lowest balance of a resident's account (0: no overdraft), fixed when the account is opened. */
  readonly residentFloor: number
  /** Lowest balance of the community (organisation) account, fixed when the account is opened. */
  readonly communityFloor: number
  /** Longest single service that can be recorded, in minutes. */
  readonly maxServiceMinutes: number
  /** How far back a service may be recorded, in days. */
  readonly recordWindowDays: number
  /** Annual volunteer-hours target per resident, in minutes ("over" it counts as met). */
  readonly annualTargetMinutes: number
}

/**
 * The seed's defaults: elderly care 1.5, environment 1.0, mediation 2.0
 * credit-hours per hour; residents cannot overdraw; the community account may
 * advance up to 100 hours; a service lasts at most 12 hours and is recorded
 * within 30 days; the target is more than 10 volunteer hours per resident a year.
 *
 * @since 0.1.0
 * @category config
 */
export const defaultTimeBankConfig: TimeBankConfigShape = {
  serviceTypes: [
    { code: "elderly-care", name: { "zh-CN": "服务老人", en: "Elderly care" }, multiplierPermille: 1500 },
    { code: "environment", name: { "zh-CN": "环境整治", en: "Environment" }, multiplierPermille: 1000 },
    { code: "mediation", name: { "zh-CN": "纠纷调解", en: "Mediation" }, multiplierPermille: 2000 }
  ],
  residentFloor: 0,
  communityFloor: -10_000,
  maxServiceMinutes: 720,
  recordWindowDays: 30,
  annualTargetMinutes: 600
}

/**
 * The time bank's configuration; defaults to {@link defaultTimeBankConfig}.
 * Override with `Layer.succeed(TimeBankConfig, {...})`.
 *
 * @since 0.1.0
 * @category config
 */
export class TimeBankConfig extends Context.Reference<TimeBankConfig>()("@gongzhi/core/TimeBankConfig", {
  defaultValue: (): TimeBankConfigShape => defaultTimeBankConfig
}) {}
