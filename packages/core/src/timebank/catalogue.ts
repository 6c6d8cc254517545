/**
 * The time bank's entries in the command catalogue, and the schemas of the
 * results that had none.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { catalogueBuilder, catalogueEntries } from "../kernel/catalogue.js"
import { AlreadyExists, Conflict, Forbidden, IdempotencyKeyReused, InsufficientBalance, InvalidInput, NotFound, StoreUnavailable } from "../kernel/errors.js"
import { AccountId, CommunityId, LedgerTxId, ResidentId } from "../kernel/ids.js"
import { StatementLine } from "../kernel/ledger.js"
import { AlreadyConfirmed, NotFamilyMember, NotReversible, NotServiceRecipient, ServiceWrongState, UnknownServiceType } from "./errors.js"
import { TimeBankEvent } from "./events.js"
import {
  ConfirmServiceInput,
  DefineServiceTypeInput,
  DisputeServiceInput,
  Party,
  PayOutInput,
  RecordServiceInput,
  RedeemInput,
  ResidentsInput,
  ResidentsYearInput,
  ResidentYearTotals,
  ResolveDisputeInput,
  ReverseMovementInput,
  ReverseServiceInput,
  ServiceId,
  ServiceRecord,
  ServiceStatus,
  ServiceType,
  TransferInput
} from "./model.js"
import {
  annualVolunteerHours,
  balance,
  balances,
  confirmService,
  defineServiceType,
  disputeService,
  getService,
  giftToParent,
  listServices,
  payOut,
  recordService,
  redeem,
  residentHours,
  resolveDispute,
  reverseMovement,
  reverseService,
  serviceTypes,
  statement,
  timeBankPermissions,
  totalsOf,
  transfer
} from "./service.js"

const entry = catalogueBuilder("timebank", timeBankPermissions, TimeBankEvent, {
  serviceId: { title: { "zh-CN": "服务记录编号", en: "Service id" } },
  serviceType: { title: { "zh-CN": "服务类型", en: "Service type" }, description: { "zh-CN": "服务类型代码，如 elderly-care。", en: "A service type code, e.g. elderly-care." } },
  providerId: { title: { "zh-CN": "服务提供者", en: "Provider" } },
  recipientId: { title: { "zh-CN": "受助人", en: "Recipient" } },
  minutes: { title: { "zh-CN": "实际时长（分钟）", en: "Minutes" } },
  party: { title: { "zh-CN": "账户方", en: "Party" }, description: { "zh-CN": "居民或社区账户。", en: "A resident or the community account." } },
  givenMinutes: { title: { "zh-CN": "提供服务分钟数", en: "Minutes given" } },
  receivedMinutes: { title: { "zh-CN": "接受服务分钟数", en: "Minutes received" } }
})

/**
 * Result of `timebank.recordService`.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const RecordServiceResult = Schema.Struct({ service: ServiceRecord, replayed: Schema.Boolean })

/**
 * Result of the time bank's credit movements (`MovementResult`).
 *
 * @since 0.2.0
 * @category catalogue
 */
export const MovementResultSchema = Schema.Struct({
  txId: LedgerTxId,
  from: Party,
  to: Party,
  centiHours: Schema.Int,
  replayed: Schema.Boolean
})

/**
 * A time-bank balance (`BalanceView`).
 *
 * @since 0.2.0
 * @category catalogue
 */
export const BalanceViewSchema = Schema.Struct({ party: Party, accountId: Schema.String, balance: Schema.Int, floor: Schema.Int })

/**
 * Result of `timebank.annualVolunteerHours` (`AnnualVolunteerFigure`).
 *
 * @since 0.2.0
 * @category catalogue
 */
export const AnnualVolunteerFigureSchema = Schema.Struct({
  year: Schema.Int,
  residents: Schema.Int,
  volunteers: Schema.Int,
  totalMinutes: Schema.Int,
  perResidentCentiHours: Schema.Int,
  targetMinutesPerResident: Schema.Int,
  meetsTarget: Schema.Boolean,
  residentsOverTarget: Schema.Int
})

const exact = <S extends Schema.Schema.All>(s: S) => Schema.optionalWith(s, { exact: true })
const Period = { from: exact(Schema.Int), to: exact(Schema.Int), limit: exact(Schema.Int.pipe(Schema.between(1, 1000))) }
const Year = Schema.Int.pipe(Schema.between(2000, 2200))

/**
 * The time bank's commands and queries.
 *
 * @since 0.2.0
 * @category catalogue
 */
export const timeBankCommands = catalogueEntries(
  entry.command({
    name: "timebank.defineServiceType",
    permission: "timebank.defineServiceType",
    title: { "zh-CN": "定义服务类型", en: "Define a service type" },
    description: { "zh-CN": "新增或修改服务类型及其每小时折算（如助老 1.5、环境 1.0、调解 2.0）。", en: "Adds or changes a service type and its rate per hour (e.g. elderly care 1.5, environment 1.0, mediation 2.0)." },
    input: DefineServiceTypeInput,
    result: ServiceType,
    errors: [InvalidInput, Forbidden, Conflict, StoreUnavailable],
    events: ["TimebankServiceTypeDefined"],
    command: defineServiceType
  }),
  entry.command({
    name: "timebank.recordService",
    permission: "timebank.recordService",
    title: { "zh-CN": "登记服务", en: "Record a service" },
    description: { "zh-CN": "服务提供者登记一次服务，待受助人确认后记入时间。带幂等键重试返回第一次的记录。", en: "The provider records a service; credit follows the recipient's confirmation. A retry with the idempotency key returns the first record." },
    input: RecordServiceInput,
    result: RecordServiceResult,
    errors: [InvalidInput, Forbidden, NotFound, AlreadyExists, Conflict, IdempotencyKeyReused, UnknownServiceType, StoreUnavailable],
    events: ["TimebankServiceRecorded"],
    command: recordService
  }),
  entry.command({
    name: "timebank.confirmService",
    permission: "timebank.confirmService",
    title: { "zh-CN": "确认服务", en: "Confirm a service" },
    description: { "zh-CN": "受助人（或代其操作的工作人员）确认服务，提供者获得时间。", en: "The person served (or staff for them) confirms; the provider is credited." },
    input: ConfirmServiceInput,
    result: ServiceRecord,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, AlreadyConfirmed, NotServiceRecipient, ServiceWrongState, InsufficientBalance, StoreUnavailable],
    events: ["TimebankServiceConfirmed"],
    command: confirmService
  }),
  entry.command({
    name: "timebank.disputeService",
    permission: "timebank.disputeService",
    title: { "zh-CN": "对服务提出异议", en: "Dispute a service" },
    description: { "zh-CN": "受助人对登记的服务提出异议，交由调解处理。", en: "The person served disputes a recorded service; it goes to mediation." },
    input: DisputeServiceInput,
    result: ServiceRecord,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, AlreadyConfirmed, NotServiceRecipient, ServiceWrongState, StoreUnavailable],
    events: ["TimebankServiceDisputed"],
    command: disputeService
  }),
  entry.command({
    name: "timebank.resolveDispute",
    permission: "timebank.resolveDispute",
    title: { "zh-CN": "处理服务异议", en: "Resolve a dispute" },
    description: { "zh-CN": "调解员裁定：按原记录或调整后的时长记入，或驳回。", en: "A mediator decides: credit as recorded or with a changed duration, or reject." },
    input: ResolveDisputeInput,
    result: ServiceRecord,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, AlreadyConfirmed, ServiceWrongState, InsufficientBalance, StoreUnavailable],
    events: ["TimebankDisputeResolved", "TimebankServiceConfirmed"],
    command: resolveDispute
  }),
  entry.command({
    name: "timebank.reverseService",
    permission: "timebank.reverseService",
    title: { "zh-CN": "冲正服务", en: "Reverse a service" },
    description: { "zh-CN": "冲正已记入的服务（如登记有误），说明理由。", en: "Reverses a credited service (e.g. recorded in error), with a reason." },
    input: ReverseServiceInput,
    result: ServiceRecord,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, AlreadyConfirmed, ServiceWrongState, InsufficientBalance, StoreUnavailable],
    events: ["TimebankServiceReversed"],
    command: reverseService
  }),
  entry.command({
    name: "timebank.transfer",
    permission: "timebank.transfer",
    title: { "zh-CN": "转赠时间", en: "Transfer credit" },
    description: { "zh-CN": "在家庭成员之间转赠时间。", en: "Transfers credit between family members." },
    input: TransferInput,
    result: MovementResultSchema,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, NotFamilyMember, InsufficientBalance, StoreUnavailable],
    events: ["TimebankCreditMoved"],
    command: transfer
  }),
  entry.command({
    name: "timebank.giftToParent",
    permission: "timebank.giftToParent",
    title: { "zh-CN": "转赠父母", en: "Gift to a parent" },
    description: { "zh-CN": "把时间转赠给父母。", en: "Gives credit to one's parent." },
    input: TransferInput,
    result: MovementResultSchema,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, NotFamilyMember, InsufficientBalance, StoreUnavailable],
    events: ["TimebankCreditMoved"],
    command: giftToParent
  }),
  entry.command({
    name: "timebank.redeem",
    permission: "timebank.redeem",
    title: { "zh-CN": "兑换服务", en: "Redeem credit" },
    description: { "zh-CN": "用时间兑换社区提供的服务。", en: "Spends credit on a service the community provides." },
    input: RedeemInput,
    result: MovementResultSchema,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, InsufficientBalance, StoreUnavailable],
    events: ["TimebankCreditMoved"],
    command: redeem
  }),
  entry.command({
    name: "timebank.payOut",
    permission: "timebank.payOut",
    title: { "zh-CN": "社区拨付", en: "Pay out credit" },
    description: { "zh-CN": "社区账户向居民拨付时间（如奖励）。", en: "The community account pays credit to a resident (e.g. a reward)." },
    input: PayOutInput,
    result: MovementResultSchema,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, InsufficientBalance, StoreUnavailable],
    events: ["TimebankCreditMoved"],
    command: payOut
  }),
  entry.command({
    name: "timebank.reverseMovement",
    permission: "timebank.reverseMovement",
    title: { "zh-CN": "冲正转账", en: "Reverse a movement" },
    description: { "zh-CN": "冲正一笔转赠、兑换或拨付。", en: "Reverses a transfer, redemption or payout." },
    input: ReverseMovementInput,
    result: MovementResultSchema,
    errors: [InvalidInput, Forbidden, NotFound, Conflict, IdempotencyKeyReused, NotReversible, InsufficientBalance, StoreUnavailable],
    events: ["TimebankMovementReversed"],
    command: reverseMovement
  }),
  entry.command({
    name: "timebank.balances",
    permission: "timebank.read",
    title: { "zh-CN": "批量查询时间余额", en: "Balances of many residents" },
    description: { "zh-CN": "一次读取多达 1000 名居民的时间余额（未开户为 0），顺序同请求；供看板和模拟使用。", en: "The time-bank balances of up to 1,000 residents in one call (0 for an account never opened), in the order asked; for dashboards and simulations." },
    input: ResidentsInput,
    result: Schema.Array(BalanceViewSchema),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: [],
    command: balances
  }),
  entry.command({
    name: "timebank.totalsOf",
    permission: "timebank.read",
    title: { "zh-CN": "批量查询年度服务时长", en: "Year totals of many residents" },
    description: { "zh-CN": "一次读取多达 1000 名居民某年提供与接受服务的时长，顺序同请求。", en: "The year's hours given and received of up to 1,000 residents in one call, in the order asked." },
    input: ResidentsYearInput,
    result: Schema.Array(ResidentYearTotals),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: [],
    command: totalsOf
  }),
  entry.query(Schema.Struct({ communityId: CommunityId }), (actor, i) => serviceTypes(actor, i.communityId))({
    name: "timebank.serviceTypes",
    permission: "timebank.report",
    title: { "zh-CN": "服务类型", en: "Service types" },
    description: { "zh-CN": "社区的服务类型及其折算。", en: "The community's service types and their rates." },
    result: Schema.Array(ServiceType),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(Schema.Struct({ communityId: CommunityId, serviceId: ServiceId }), (actor, i) => getService(actor, i.communityId, i.serviceId))({
    name: "timebank.getService",
    permission: "timebank.read",
    title: { "zh-CN": "查看服务记录", en: "Get a service" },
    description: { "zh-CN": "一条服务记录；居民只能看本人提供或接受的。", en: "A service record; a resident sees only services they gave or received." },
    result: ServiceRecord,
    errors: [InvalidInput, Forbidden, NotFound, StoreUnavailable],
    events: []
  }),
  entry.query(
    Schema.Struct({
      communityId: CommunityId,
      providerId: exact(ResidentId),
      recipientId: exact(ResidentId),
      status: exact(ServiceStatus),
      limit: exact(Schema.Int.pipe(Schema.between(1, 1000)))
    }),
    (actor, { communityId, ...filter }) => listServices(actor, communityId, filter)
  )({
    name: "timebank.listServices",
    permission: "timebank.read",
    title: { "zh-CN": "服务记录列表", en: "List services" },
    description: { "zh-CN": "按提供者、受助人和状态筛选的服务记录，从早到晚；居民须筛选本人。", en: "Services by provider, recipient and status, oldest first; a resident must filter on themselves." },
    result: Schema.Array(ServiceRecord),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(Schema.Struct({ communityId: CommunityId, party: Party }), (actor, i) => balance(actor, i.communityId, i.party))({
    name: "timebank.balance",
    permission: "timebank.read",
    title: { "zh-CN": "时间余额", en: "Balance" },
    description: { "zh-CN": "居民或社区账户的时间余额（百分之一小时）。", en: "A resident's or the community account's balance in centi-hours." },
    result: BalanceViewSchema,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(Schema.Struct({ communityId: CommunityId, party: Party, ...Period }), (actor, { communityId, party, ...range }) =>
    statement(actor, communityId, party, range))({
    name: "timebank.statement",
    permission: "timebank.read",
    title: { "zh-CN": "时间账户流水", en: "Statement" },
    description: { "zh-CN": "某期间的流水、收入合计与支出合计。", en: "A period's lines with its credits and debits." },
    result: Schema.Struct({ party: Party, accountId: AccountId, lines: Schema.Array(StatementLine), credits: Schema.Int, debits: Schema.Int }),
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(Schema.Struct({ communityId: CommunityId, residentId: ResidentId, year: Year }), (actor, i) =>
    residentHours(actor, i.communityId, i.residentId, i.year))({
    name: "timebank.residentHours",
    permission: "timebank.read",
    title: { "zh-CN": "年度服务时长", en: "Hours of a year" },
    description: { "zh-CN": "居民某年提供与接受服务的实际时长，分开统计。", en: "A resident's hours given and received in a year, kept apart." },
    result: ResidentYearTotals,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  }),
  entry.query(Schema.Struct({ communityId: CommunityId, year: Year }), (actor, i) => annualVolunteerHours(actor, i.communityId, i.year))({
    name: "timebank.annualVolunteerHours",
    permission: "timebank.report",
    title: { "zh-CN": "年度志愿时长", en: "Annual volunteer hours" },
    description: { "zh-CN": "社区某年人均志愿服务时长及是否达到目标（默认每人每年超过 10 小时）。", en: "The community's volunteer hours per resident in a year and whether the target (over 10 hours by default) is met." },
    result: AnnualVolunteerFigureSchema,
    errors: [InvalidInput, Forbidden, StoreUnavailable],
    events: []
  })
)
