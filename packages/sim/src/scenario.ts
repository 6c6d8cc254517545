/**
 * A scenario: the community, the scheme under test, how agents behave, the
 * horizon and the seed. Scenarios are plain JSON (a file or an object) and
 * are validated before a run starts: a bad field is refused with its path.
 *
 * @since 0.1.0
 */
import { Either, ParseResult, Schema } from "effect"

const Probability = Schema.Number.pipe(Schema.between(0, 1))
const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())
const Caps = Schema.Struct({
  day: Schema.optionalWith(NonNegativeInt, { exact: true }),
  week: Schema.optionalWith(NonNegativeInt, { exact: true }),
  month: Schema.optionalWith(NonNegativeInt, { exact: true })
})

/**
 * The community: the testkit generator's parameters. `households` picks the
 * number of buildings (6 floors, 2 units, 2 households a floor unless given).
 *
 * @since 0.1.0
 * @category scenarios
 */
export const CommunitySpec = Schema.Struct({
  households: Schema.Int.pipe(Schema.between(1, 200_000)),
  seed: Schema.Int,
  floors: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 60)), { exact: true }),
  unitsPerBuilding: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 20)), { exact: true }),
  householdsPerFloor: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 20)), { exact: true }),
  elderlyShare: Schema.optionalWith(Probability, { exact: true })
})

/**
 * The incentive scheme under test: overrides of the library's default
 * `IncentiveConfig` (points per action, caps, level thresholds).
 *
 * @since 0.1.0
 * @category scenarios
 */
export const IncentiveScheme = Schema.Struct({
  points: Schema.optionalWith(Schema.Record({ key: Schema.String, value: NonNegativeInt }), { exact: true }),
  perAction: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Caps }), { exact: true }),
  perResident: Schema.optionalWith(Caps, { exact: true }),
  perPair: Schema.optionalWith(Caps, { exact: true }),
  /** Level thresholds, ascending, the first 0 (seed: 居民, 积极分子, 骨干, 明星居民, 社区英雄). */
  levelThresholds: Schema.optionalWith(Schema.Array(NonNegativeInt).pipe(Schema.minItems(1)), { exact: true }),
  thresholdRewards: Schema.optionalWith(Schema.Array(Schema.Struct({ at: NonNegativeInt, bonus: NonNegativeInt })), { exact: true })
})

/**
 * The time bank's multipliers in per mille per service type (seed: elderly
 * care 1500, environment 1000, mediation 2000).
 *
 * @since 0.1.0
 * @category scenarios
 */
export const TimeBankScheme = Schema.Struct({
  multipliersPermille: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Int.pipe(Schema.between(1, 100_000)) }), { exact: true })
})

/**
 * The default behaviour model's parameters (per resident and day).
 *
 * @since 0.1.0
 * @category scenarios
 */
export const BehaviourParams = Schema.Struct({
  /** Chance that a resident of average propensity does something countable on a given day at level 0, before fatigue. */
  activity: Probability,
  /**
   * How unequal residents' propensity to take part is: each resident's propensity is log-normal with mean 1 and
   * this standard deviation of its logarithm (0: everyone alike; 1.5: most rarely act, a few act a lot).
   */
  heterogeneity: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 5)), { default: () => 0 }),
  /** What an active day is spent on (relative weights). */
  mix: Schema.Struct({
    vote: Schema.Number.pipe(Schema.nonNegative()),
    "issue-report": Schema.Number.pipe(Schema.nonNegative()),
    "volunteer-service": Schema.Number.pipe(Schema.nonNegative()),
    "neighbour-help": Schema.Number.pipe(Schema.nonNegative()),
    "adopted-proposal": Schema.Number.pipe(Schema.nonNegative())
  }),
  /** Relative rise of activity per level reached (0.1: each level makes a resident 10% more active). */
  levelResponse: Schema.Number.pipe(Schema.between(-1, 10)),
  /** Monthly decay of activity (0.05: 5% less a month: participation fatigue). */
  fatigue: Schema.Number.pipe(Schema.between(0, 1)),
  /** After a capped attempt, the chance of trying again the next day is multiplied by this. */
  capResponse: Schema.Number.pipe(Schema.between(0, 1)),
  /** Share of residents who farm peer points with one partner. */
  farmerShare: Probability,
  /** Peer-award attempts a farmer makes a day. */
  farmerTries: Schema.Int.pipe(Schema.between(0, 100)),
  /** Chance per day that a resident gives a time-bank service, at multiplier 1.0. */
  timeBankActivity: Probability,
  /** How strongly the multiplier draws volunteers: chance x (1 + response x (multiplier - 1)). */
  multiplierResponse: Schema.Number.pipe(Schema.between(0, 10)),
  /** Relative weights of the service types a volunteer picks. */
  serviceMix: Schema.Record({ key: Schema.String, value: Schema.Number.pipe(Schema.nonNegative()) })
})

/**
 * A scenario.
 *
 * @since 0.1.0
 * @category scenarios
 */
export const Scenario = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  /** The first simulated day, `YYYY-MM-DD` (Asia/Shanghai). */
  startDate: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/)),
  horizonDays: Schema.Int.pipe(Schema.between(1, 3_660)),
  seed: Schema.Int,
  community: CommunitySpec,
  incentives: Schema.optionalWith(IncentiveScheme, { default: () => ({}) }),
  timeBank: Schema.optionalWith(TimeBankScheme, { default: () => ({}) }),
  behaviour: BehaviourParams
})

/**
 * @since 0.1.0
 * @category scenarios
 */
export type Scenario = typeof Scenario.Type
/**
 * @since 0.1.0
 * @category scenarios
 */
export type ScenarioInput = typeof Scenario.Encoded

/**
 * A scenario that failed validation, with every problem and its path.
 *
 * @since 0.1.0
 * @category scenarios
 */
export class InvalidScenario extends Error {
  readonly _tag = "InvalidScenario"
  constructor(readonly problems: ReadonlyArray<{ readonly path: string; readonly message: string }>) {
    super(`invalid scenario: ${problems.map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ")}`)
  }
}

/**
 * Validates a scenario (a parsed JSON object): returns it with defaults, or
 * throws {@link InvalidScenario} naming every bad field before anything runs.
 *
 * @since 0.1.0
 * @category scenarios
 */
export const parseScenario = (input: unknown): Scenario => {
  const result = Schema.decodeUnknownEither(Scenario, { errors: "all", onExcessProperty: "error" })(input)
  if (Either.isRight(result)) {
    const s = result.right
    const t = s.incentives.levelThresholds
    if (t !== undefined && (t[0] !== 0 || t.some((x, i) => i > 0 && x <= t[i - 1]!))) {
      throw new InvalidScenario([{ path: "incentives.levelThresholds", message: "must start at 0 and rise strictly" }])
    }
    const [y, m, d] = s.startDate.split("-").map(Number) as [number, number, number]
    const date = new Date(Date.UTC(y, m - 1, d))
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      throw new InvalidScenario([{ path: "startDate", message: "not a calendar date" }])
    }
    return s
  }
  const problems = ParseResult.ArrayFormatter.formatErrorSync(result.left).map((i) => ({
    path: i.path.map(String).join("."),
    message: i.message.replace(/, actual [\s\S]*$/, "")
  }))
  throw new InvalidScenario(problems)
}

/**
 * A baseline scenario with the seed's numbers: 2,016 households (the seed's
 * six buildings scaled up), a year, the default incentive scheme and the
 * seed's time-bank multipliers.
 *
 * @since 0.1.0
 * @category scenarios
 */
export const baselineScenario: ScenarioInput = {
  name: "baseline",
  startDate: "2026-01-01",
  horizonDays: 365,
  seed: 1,
  community: { households: 2_016, seed: 1 },
  incentives: {},
  timeBank: { multipliersPermille: { "elderly-care": 1500, environment: 1000, mediation: 2000 } },
  behaviour: {
    activity: 0.003,
    heterogeneity: 2.5,
    mix: { vote: 0.35, "issue-report": 0.25, "volunteer-service": 0.1, "neighbour-help": 0.28, "adopted-proposal": 0.02 },
    levelResponse: 0.1,
    fatigue: 0.03,
    capResponse: 0.5,
    farmerShare: 0.02,
    farmerTries: 8,
    timeBankActivity: 0.003,
    multiplierResponse: 1,
    serviceMix: { "elderly-care": 0.5, environment: 0.35, mediation: 0.15 }
  }
}
