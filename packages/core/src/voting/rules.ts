/**
 * Voting rules as pure functions: decision rules (participation quorums and
 * approval thresholds per measure, Civil Code Art. 278 presets), tallies of
 * every ballot type (yes/no/abstain, single, multiple, approval, score,
 * instant-runoff, STV with the Droop quota), the electorate's voting units,
 * and cost sharing with low-floor compensation.
 *
 * Plain TypeScript: no Effect, no I/O, no floating-point thresholds. Every
 * comparison is an exact integer cross-multiplication (bigint when a product
 * could exceed 2^53), and STV transfers use exact bigint fractions.
 * Researchers call these functions in loops; the service calls the same ones.
 *
 * @since 0.1.0
 */
import type { LocalizedText } from "../kernel/errors.js"
import { splitLargestRemainder } from "../kernel/units.js"

// ---------------------------------------------------------------------------
// Exact ratios
// ---------------------------------------------------------------------------

/**
 * A non-negative rational threshold `num / den` of integers (`den > 0`), e.g.
 * `{ num: 2, den: 3 }` for two thirds.
 *
 * @since 0.1.0
 * @category rules
 */
export interface Ratio {
  readonly num: number
  readonly den: number
}

/**
 * How a share is compared with its threshold (Civil Code Art. 1259): `"at-least"`
 * (以上, includes the number itself) or `"more-than"` (过半数/超过, strictly more).
 *
 * @since 0.1.0
 * @category rules
 */
export type Comparison = "at-least" | "more-than"

const MAX = Number.MAX_SAFE_INTEGER

/**
 * Compares `a / b` with `c / d` exactly by cross-multiplication (bigint when a
 * product could leave the safe-integer range). Returns -1, 0 or 1. `b` and `d`
 * must be positive.
 *
 * @since 0.1.0
 * @category rules
 */
export const compareFractions = (a: number, b: number, c: number, d: number): -1 | 0 | 1 => {
  const l = a * d
  const r = c * b
  if (l <= MAX && r <= MAX && l >= -MAX && r >= -MAX) return l < r ? -1 : l > r ? 1 : 0
  const L = BigInt(a) * BigInt(d)
  const R = BigInt(c) * BigInt(b)
  return L < R ? -1 : L > R ? 1 : 0
}

/**
 * Whether `numerator / denominator` meets `threshold` under `comparison`. A
 * zero denominator never meets a threshold (nothing to decide on).
 *
 * @since 0.1.0
 * @category rules
 */
export const meetsThreshold = (
  numerator: number,
  denominator: number,
  threshold: Ratio,
  comparison: Comparison
): boolean => {
  if (denominator <= 0) return false
  const c = compareFractions(numerator, denominator, threshold.num, threshold.den)
  return comparison === "at-least" ? c >= 0 : c > 0
}

/**
 * `num / den` as a percentage with two decimals, computed with integers
 * (rounded half up), e.g. `"66.67%"`; `"—"` when `den` is 0. For display only.
 *
 * @since 0.1.0
 * @category rules
 */
export const formatPercent = (num: number, den: number): string => {
  if (den <= 0) return "—"
  const scaled = (BigInt(num) * 20000n + BigInt(den)) / (2n * BigInt(den))
  const s = scaled.toString().padStart(3, "0")
  return `${s.slice(0, -2)}.${s.slice(-2)}%`
}

const formatM2 = (dm2: number): string => `${Math.trunc(dm2 / 100)}.${String(dm2 % 100).padStart(2, "0")}`

// ---------------------------------------------------------------------------
// Decision rules (plain JSON data)
// ---------------------------------------------------------------------------

/**
 * What is counted: `headcount` (owners, 人数; one per voting unit), `area`
 * (exclusive area in dm², 专有部分面积) or `weight` (a custom integer weight
 * per voting unit).
 *
 * @since 0.1.0
 * @category rules
 */
export type Measure = "headcount" | "area" | "weight"

/**
 * What an approval share is taken of: `eligible` (the whole electorate;
 * non-voters act as "no"), `participating` (every returned ballot including
 * abstentions, when they count for participation; abstaining acts as "no"), or
 * `cast` (yes + no; abstentions are left out of the denominator).
 *
 * @since 0.1.0
 * @category rules
 */
export type Base = "eligible" | "participating" | "cast"

/**
 * Participation quorum: the participating share of the eligible on one measure.
 *
 * @since 0.1.0
 * @category rules
 */
export interface QuorumCriterion {
  readonly measure: Measure
  readonly threshold: Ratio
  readonly comparison: Comparison
}

/**
 * Approval: the "yes" share of `base` on one measure.
 *
 * @since 0.1.0
 * @category rules
 */
export interface ApprovalCriterion {
  readonly measure: Measure
  readonly base: Base
  readonly threshold: Ratio
  readonly comparison: Comparison
}

/**
 * A decision rule as plain JSON data: every quorum and every approval
 * criterion must hold. Store it with a proposal, send it over the wire,
 * compose it with {@link allOf}.
 *
 * @since 0.1.0
 * @category rules
 */
export interface DecisionRule {
  /** Stable name, e.g. `civil-code-278-special`. */
  readonly id: string
  readonly quorum: ReadonlyArray<QuorumCriterion>
  readonly approval: ReadonlyArray<ApprovalCriterion>
  /**
   * Abstention semantics: whether an "abstain" ballot counts as participating
   * (for the quorum and for the `participating` base). Art. 278 counts every
   * owner who took part in the vote (参与表决), so the presets say `true`.
   */
  readonly abstentionsParticipate: boolean
  /**
   * Every voting unit marked as affected (e.g. the owners whose own part an
   * elevator shaft occupies) must vote "yes".
   */
  readonly affectedMustConsent: boolean
  /**
   * Opt-in "non-voters follow the majority" (未参与表决的业主视为同意多数意见),
   * as some management statutes (管理规约) provide: every eligible unit that
   * did not vote is deemed to vote with the side that has strictly more of
   * `majorityBy` among the yes/no ballots. The result is always reported both
   * with and without the deemed votes; the outcome uses the deemed votes.
   */
  readonly deemedConsent?: { readonly majorityBy: Measure } | undefined
}

const twoThirds: Ratio = { num: 2, den: 3 }
const half: Ratio = { num: 1, den: 2 }
const threeQuarters: Ratio = { num: 3, den: 4 }

const participation278: ReadonlyArray<QuorumCriterion> = [
  { measure: "area", threshold: twoThirds, comparison: "at-least" },
  { measure: "headcount", threshold: twoThirds, comparison: "at-least" }
]

/**
 * Civil Code Art. 278 presets. Participation: owners holding two thirds or
 * more (以上, inclusive) of the exclusive area and two thirds or more of the
 * owners. `ordinary`: more than half (过半数, strict) of the participating
 * area and of the participating owners agree. `special` (raising or using
 * maintenance funds, rebuilding, changing the use of common parts, ...):
 * three quarters or more (四分之三以上, inclusive) of both agree.
 *
 * @since 0.1.0
 * @category rules
 */
export const civilCode278: { readonly ordinary: DecisionRule; readonly special: DecisionRule } = {
  ordinary: {
    id: "civil-code-278-ordinary",
    quorum: participation278,
    approval: [
      { measure: "area", base: "participating", threshold: half, comparison: "more-than" },
      { measure: "headcount", base: "participating", threshold: half, comparison: "more-than" }
    ],
    abstentionsParticipate: true,
    affectedMustConsent: false
  },
  special: {
    id: "civil-code-278-special",
    quorum: participation278,
    approval: [
      { measure: "area", base: "participating", threshold: threeQuarters, comparison: "at-least" },
      { measure: "headcount", base: "participating", threshold: threeQuarters, comparison: "at-least" }
    ],
    abstentionsParticipate: true,
    affectedMustConsent: false
  }
}

/**
 * Adding an elevator to an existing building: the electorate is the unit
 * (单元) the elevator serves, the Art. 278 special majority applies, and the
 * owners whose own exclusive part the shaft occupies must consent (Art. 272:
 * the use of one's own part).
 *
 * @since 0.1.0
 * @category rules
 */
export const elevatorRetrofit: DecisionRule = {
  ...civilCode278.special,
  id: "elevator-retrofit",
  affectedMustConsent: true
}

/**
 * The preset rules by id.
 *
 * @since 0.1.0
 * @category rules
 */
export const presets: Readonly<Record<string, DecisionRule>> = {
  "civil-code-278-ordinary": civilCode278.ordinary,
  "civil-code-278-special": civilCode278.special,
  "elevator-retrofit": elevatorRetrofit
}

/**
 * Composes rules: the result requires every criterion of every rule. Abstentions
 * participate if any rule says so; consent and deemed consent carry over from
 * the first rule that sets them.
 *
 * @since 0.1.0
 * @category rules
 */
export const allOf = (id: string, ...rules: ReadonlyArray<DecisionRule>): DecisionRule => {
  const deemed = rules.find((r) => r.deemedConsent !== undefined)?.deemedConsent
  return {
    id,
    quorum: rules.flatMap((r) => r.quorum),
    approval: rules.flatMap((r) => r.approval),
    abstentionsParticipate: rules.some((r) => r.abstentionsParticipate),
    affectedMustConsent: rules.some((r) => r.affectedMustConsent),
    ...(deemed === undefined ? {} : { deemedConsent: deemed })
  }
}

/**
 * The same rule with "non-voters follow the majority" switched on.
 *
 * @since 0.1.0
 * @category rules
 */
export const withDeemedConsent = (rule: DecisionRule, majorityBy: Measure = "headcount"): DecisionRule => ({
  ...rule,
  id: `${rule.id}+deemed`,
  deemedConsent: { majorityBy }
})

/**
 * Checks that a rule is well formed (positive denominators, thresholds in
 * [0, 1], at least one criterion); returns the problems, empty when fine.
 *
 * @since 0.1.0
 * @category rules
 */
export const ruleProblems = (rule: DecisionRule): ReadonlyArray<string> => {
  const out: Array<string> = []
  const checkRatio = (where: string, t: Ratio) => {
    if (!Number.isSafeInteger(t.num) || !Number.isSafeInteger(t.den) || t.den <= 0 || t.num < 0 || t.num > t.den) {
      out.push(`${where}: threshold must be integers 0 <= num <= den, den > 0`)
    }
  }
  rule.quorum.forEach((q, i) => checkRatio(`quorum.${i}`, q.threshold))
  rule.approval.forEach((a, i) => checkRatio(`approval.${i}`, a.threshold))
  if (rule.approval.length === 0 && !rule.affectedMustConsent) out.push("a rule needs at least one approval criterion")
  return out
}

// ---------------------------------------------------------------------------
// Yes/no/abstain tallies
// ---------------------------------------------------------------------------

/**
 * Choice codes of a yes/no/abstain ballot in the tally arrays.
 *
 * @since 0.1.0
 * @category tally
 */
export const ChoiceCode = { none: 0, yes: 1, no: 2, abstain: 3 } as const

/**
 * Sums of the three measures over a set of voting units.
 *
 * @since 0.1.0
 * @category tally
 */
export interface Totals {
  readonly headcount: number
  readonly area: number
  readonly weight: number
}

/**
 * The electorate as parallel arrays, one slot per voting unit (fast for
 * millions of units): owners counted (`heads`, usually 1), exclusive area in
 * dm², custom weight, and optionally whether the unit is affected (1) or not (0).
 *
 * @since 0.1.0
 * @category tally
 */
export interface ElectorateArrays {
  /** Owners counted per unit; omitted: 1 each (the common case, and a faster loop). */
  readonly heads?: ArrayLike<number> | undefined
  readonly area: ArrayLike<number>
  /** Custom weight per unit; omitted: 1 each. */
  readonly weight?: ArrayLike<number> | undefined
  readonly affected?: ArrayLike<number> | undefined
}

/**
 * What a yes/no/abstain vote adds up to.
 *
 * @since 0.1.0
 * @category tally
 */
export interface YesNoTally {
  readonly eligible: Totals
  readonly yes: Totals
  readonly no: Totals
  readonly abstain: Totals
  /** Affected units (headcount) in the electorate and how many of them voted yes. */
  readonly affected: { readonly eligible: number; readonly yes: number }
}

/**
 * Tallies a yes/no/abstain vote in one pass over parallel arrays: `choices[i]`
 * is the {@link ChoiceCode} of voting unit `i` (0 = did not vote). The result
 * does not depend on the order of the units.
 *
 * @since 0.1.0
 * @category tally
 */
export const tallyYesNo = (electorate: ElectorateArrays, choices: ArrayLike<number>): YesNoTally => {
  const { heads, area, weight, affected } = electorate
  const n = choices.length
  // plain locals per choice code: the loop stays as tight as a hand-written one
  let nh = 0, na = 0, nw = 0, yh = 0, ya = 0, yw = 0, oh = 0, oa = 0, ow = 0, ah = 0, aa = 0, aw = 0
  if (heads === undefined && weight === undefined) {
    for (let i = 0; i < n; i++) {
      const c = choices[i]!
      const a = area[i]!
      if (c === 1) {
        yh++
        ya += a
      } else if (c === 0) {
        nh++
        na += a
      } else if (c === 2) {
        oh++
        oa += a
      } else {
        ah++
        aa += a
      }
    }
    nw = nh
    yw = yh
    ow = oh
    aw = ah
  } else for (let i = 0; i < n; i++) {
    const c = choices[i]!
    const h = heads === undefined ? 1 : heads[i]!
    const a = area[i]!
    const w = weight === undefined ? 1 : weight[i]!
    if (c === 1) {
      yh += h
      ya += a
      yw += w
    } else if (c === 0) {
      nh += h
      na += a
      nw += w
    } else if (c === 2) {
      oh += h
      oa += a
      ow += w
    } else {
      ah += h
      aa += a
      aw += w
    }
  }
  let affEligible = 0
  let affYes = 0
  if (affected !== undefined) {
    for (let i = 0; i < n; i++) {
      if (affected[i] === 1) {
        const h = heads === undefined ? 1 : heads[i]!
        affEligible += h
        if (choices[i] === ChoiceCode.yes) affYes += h
      }
    }
  }
  const none: Totals = { headcount: nh, area: na, weight: nw }
  const yes: Totals = { headcount: yh, area: ya, weight: yw }
  const no: Totals = { headcount: oh, area: oa, weight: ow }
  const abstain: Totals = { headcount: ah, area: aa, weight: aw }
  return {
    eligible: {
      headcount: none.headcount + yes.headcount + no.headcount + abstain.headcount,
      area: none.area + yes.area + no.area + abstain.area,
      weight: none.weight + yes.weight + no.weight + abstain.weight
    },
    yes,
    no,
    abstain,
    affected: { eligible: affEligible, yes: affYes }
  }
}

/**
 * One voting unit's contribution, for tallying from records instead of arrays.
 *
 * @since 0.1.0
 * @category tally
 */
export interface UnitVote {
  readonly heads: number
  readonly areaDm2: number
  readonly weight: number
  readonly affected?: boolean | undefined
  readonly choice: "yes" | "no" | "abstain" | undefined
}

/**
 * {@link tallyYesNo} over records.
 *
 * @since 0.1.0
 * @category tally
 */
export const tallyUnits = (units: ReadonlyArray<UnitVote>): YesNoTally => {
  const n = units.length
  const heads = new Float64Array(n)
  const area = new Float64Array(n)
  const weight = new Float64Array(n)
  const affected = new Uint8Array(n)
  const choices = new Uint8Array(n)
  units.forEach((u, i) => {
    heads[i] = u.heads
    area[i] = u.areaDm2
    weight[i] = u.weight
    affected[i] = u.affected === true ? 1 : 0
    choices[i] = u.choice === undefined ? 0 : ChoiceCode[u.choice]
  })
  return tallyYesNo({ heads, area, weight, affected }, choices)
}

// ---------------------------------------------------------------------------
// Decisions that explain themselves
// ---------------------------------------------------------------------------

/**
 * The outcome of a decision. A failed participation quorum is `failed-quorum`,
 * never a rejection.
 *
 * @since 0.1.0
 * @category rules
 */
export type Outcome = "passed" | "rejected" | "failed-quorum"

/**
 * One criterion, evaluated: ready to print.
 *
 * @since 0.1.0
 * @category rules
 */
export interface CriterionResult {
  readonly kind: "quorum" | "approval" | "consent"
  readonly measure: Measure
  /** `eligible` for quorum and consent (of the affected). */
  readonly base: Base | "affected"
  readonly numerator: number
  readonly denominator: number
  readonly threshold: Ratio
  readonly comparison: Comparison
  readonly passed: boolean
  readonly text: LocalizedText
}

/**
 * A decision evaluated on one tally.
 *
 * @since 0.1.0
 * @category rules
 */
export interface Evaluation {
  readonly outcome: Outcome
  readonly participating: Totals
  readonly cast: Totals
  readonly yes: Totals
  readonly criteria: ReadonlyArray<CriterionResult>
}

/**
 * A decision with its explanation: the evaluation on the ballots actually
 * returned, and (when the rule opts in to deemed consent) the evaluation with
 * the non-voters deemed to follow the majority. `outcome` is the one the rule
 * says counts. `notice` is the text for the notice board.
 *
 * @since 0.1.0
 * @category rules
 */
export interface Decision {
  readonly ruleId: string
  readonly outcome: Outcome
  readonly eligible: Totals
  readonly actual: Evaluation
  readonly deemed?: {
    /** The side the non-voters were deemed to join; `undefined` when yes and no tie (no votes deemed). */
    readonly side: "yes" | "no" | undefined
    readonly deemedUnits: Totals
    readonly evaluation: Evaluation
  } | undefined
  readonly notice: LocalizedText
}

const measureName: Record<Measure, LocalizedText> = {
  headcount: { "zh-CN": "人数", en: "owners" },
  area: { "zh-CN": "专有部分面积", en: "exclusive area" },
  weight: { "zh-CN": "表决权重", en: "weight" }
}
const baseName: Record<Base | "affected", LocalizedText> = {
  eligible: { "zh-CN": "全体业主", en: "all eligible" },
  participating: { "zh-CN": "参与表决", en: "participating" },
  cast: { "zh-CN": "有效赞成反对票（不含弃权）", en: "yes and no ballots (abstentions excluded)" },
  affected: { "zh-CN": "受影响业主", en: "affected owners" }
}
const fmtValue = (m: Measure, v: number, locale: "zh-CN" | "en"): string =>
  m === "area" ? `${formatM2(v)}${locale === "en" ? " m²" : "㎡"}` : m === "headcount" ? `${v}${locale === "en" ? "" : "户"}` : String(v)
const fmtThreshold = (t: Ratio, c: Comparison, locale: "zh-CN" | "en"): string =>
  locale === "en"
    ? `${c === "at-least" ? "at least" : "more than"} ${t.num}/${t.den}`
    : c === "at-least"
    ? `${t.num}/${t.den}以上（含本数）`
    : `超过${t.num}/${t.den}（不含本数）`

const explain = (
  kind: CriterionResult["kind"],
  measure: Measure,
  base: Base | "affected",
  numerator: number,
  denominator: number,
  threshold: Ratio,
  comparison: Comparison
): CriterionResult => {
  const passed = meetsThreshold(numerator, denominator, threshold, comparison)
  const pct = formatPercent(numerator, denominator)
  const mz = measureName[measure]["zh-CN"]
  const me = measureName[measure].en
  const verdictZh = passed ? "达到" : "未达到"
  const verdictEn = passed ? "met" : "not met"
  const text: LocalizedText =
    kind === "quorum"
      ? {
        "zh-CN": `参与表决${mz}：${fmtValue(measure, numerator, "zh-CN")} / 全体 ${fmtValue(measure, denominator, "zh-CN")} = ${pct}，要求${fmtThreshold(threshold, comparison, "zh-CN")}：${verdictZh}`,
        en: `Participation by ${me}: ${fmtValue(measure, numerator, "en")} of ${fmtValue(measure, denominator, "en")} eligible = ${pct}, required ${fmtThreshold(threshold, comparison, "en")}: ${verdictEn}`
      }
      : kind === "consent"
      ? {
        "zh-CN": `受影响业主同意：${numerator} / ${denominator}，要求全部同意：${verdictZh}`,
        en: `Consent of affected owners: ${numerator} of ${denominator}, all required: ${verdictEn}`
      }
      : {
        "zh-CN": `同意${mz}：${fmtValue(measure, numerator, "zh-CN")} / ${baseName[base]["zh-CN"]} ${fmtValue(measure, denominator, "zh-CN")} = ${pct}，要求${fmtThreshold(threshold, comparison, "zh-CN")}：${verdictZh}`,
        en: `Yes by ${me}: ${fmtValue(measure, numerator, "en")} of ${fmtValue(measure, denominator, "en")} ${baseName[base].en} = ${pct}, required ${fmtThreshold(threshold, comparison, "en")}: ${verdictEn}`
      }
  return { kind, measure, base, numerator, denominator, threshold, comparison, passed, text }
}

const add = (a: Totals, b: Totals): Totals => ({
  headcount: a.headcount + b.headcount,
  area: a.area + b.area,
  weight: a.weight + b.weight
})
const zero: Totals = { headcount: 0, area: 0, weight: 0 }
const sub = (a: Totals, b: Totals): Totals => ({
  headcount: a.headcount - b.headcount,
  area: a.area - b.area,
  weight: a.weight - b.weight
})

const evaluate = (rule: DecisionRule, t: YesNoTally): Evaluation => {
  const cast = add(t.yes, t.no)
  const participating = rule.abstentionsParticipate ? add(cast, t.abstain) : cast
  const criteria: Array<CriterionResult> = []
  for (const q of rule.quorum) {
    criteria.push(explain("quorum", q.measure, "eligible", participating[q.measure], t.eligible[q.measure], q.threshold, q.comparison))
  }
  for (const a of rule.approval) {
    const den = a.base === "eligible" ? t.eligible : a.base === "participating" ? participating : cast
    criteria.push(explain("approval", a.measure, a.base, t.yes[a.measure], den[a.measure], a.threshold, a.comparison))
  }
  if (rule.affectedMustConsent && t.affected.eligible > 0) {
    criteria.push(explain("consent", "headcount", "affected", t.affected.yes, t.affected.eligible, { num: 1, den: 1 }, "at-least"))
  }
  const quorumMet = criteria.every((c) => c.kind !== "quorum" || c.passed)
  const outcome: Outcome = !quorumMet ? "failed-quorum" : criteria.every((c) => c.passed) ? "passed" : "rejected"
  return { outcome, participating, cast, yes: t.yes, criteria }
}

const outcomeText: Record<Outcome, LocalizedText> = {
  passed: { "zh-CN": "通过", en: "PASSED" },
  rejected: { "zh-CN": "未通过", en: "REJECTED" },
  "failed-quorum": { "zh-CN": "参与表决人数或面积不足，表决无效（未达法定参与比例，不视为否决）", en: "FAILED QUORUM (participation too low; this is not a rejection)" }
}

/**
 * Applies a rule to a tally and explains every criterion. With deemed consent
 * the result carries both evaluations; the outcome is the deemed one.
 *
 * @since 0.1.0
 * @category rules
 */
export const decide = (rule: DecisionRule, tally: YesNoTally): Decision => {
  const actual = evaluate(rule, tally)
  let deemed: Decision["deemed"]
  if (rule.deemedConsent !== undefined) {
    const m = rule.deemedConsent.majorityBy
    const side = tally.yes[m] > tally.no[m] ? "yes" : tally.no[m] > tally.yes[m] ? "no" : undefined
    const participated = add(add(tally.yes, tally.no), rule.abstentionsParticipate ? tally.abstain : zero)
    const nonVoters = sub(sub(tally.eligible, add(tally.yes, tally.no)), tally.abstain)
    const deemedUnits = side === undefined ? zero : rule.abstentionsParticipate ? nonVoters : sub(tally.eligible, participated)
    const t2: YesNoTally = side === undefined
      ? tally
      : {
        ...tally,
        yes: side === "yes" ? add(tally.yes, deemedUnits) : tally.yes,
        no: side === "no" ? add(tally.no, deemedUnits) : tally.no
      }
    deemed = { side, deemedUnits, evaluation: evaluate(rule, t2) }
  }
  const outcome = deemed === undefined ? actual.outcome : deemed.evaluation.outcome
  const lines = (ev: Evaluation, l: "zh-CN" | "en") => ev.criteria.map((c) => `  - ${c.text[l]}`).join("\n")
  const zh = [
    `表决规则：${rule.id}`,
    `结果：${outcomeText[outcome]["zh-CN"]}`,
    deemed === undefined ? "计票（实际投票）：" : `计票（不计视为同意）：${outcomeText[actual.outcome]["zh-CN"]}`,
    lines(actual, "zh-CN"),
    ...(deemed === undefined
      ? []
      : [
        `计票（未参与表决者视为同意多数意见${deemed.side === undefined ? "；赞成与反对持平，无视为票" : `，多数意见为「${deemed.side === "yes" ? "同意" : "反对"}」`}）：${outcomeText[deemed.evaluation.outcome]["zh-CN"]}`,
        lines(deemed.evaluation, "zh-CN")
      ])
  ].join("\n")
  const en = [
    `Rule: ${rule.id}`,
    `Outcome: ${outcomeText[outcome].en}`,
    deemed === undefined ? "Count (ballots returned):" : `Count without deemed votes: ${outcomeText[actual.outcome].en}`,
    lines(actual, "en"),
    ...(deemed === undefined
      ? []
      : [
        `Count with non-voters deemed to follow the majority${deemed.side === undefined ? " (yes and no tie: nothing deemed)" : ` (majority: ${deemed.side})`}: ${outcomeText[deemed.evaluation.outcome].en}`,
        lines(deemed.evaluation, "en")
      ])
  ].join("\n")
  return { ruleId: rule.id, outcome, eligible: tally.eligible, actual, deemed, notice: { "zh-CN": zh, en } }
}

// ---------------------------------------------------------------------------
// Ballot types
// ---------------------------------------------------------------------------

/**
 * What a ballot asks. Options are short stable keys.
 *
 * @since 0.1.0
 * @category ballots
 */
export type BallotSpec =
  | { readonly type: "yes-no" }
  | { readonly type: "single"; readonly options: ReadonlyArray<string> }
  | { readonly type: "multiple"; readonly options: ReadonlyArray<string>; readonly min: number; readonly max: number }
  | { readonly type: "approval"; readonly options: ReadonlyArray<string> }
  | { readonly type: "score"; readonly options: ReadonlyArray<string>; readonly min: number; readonly max: number }
  | {
    readonly type: "ranked"
    readonly options: ReadonlyArray<string>
    readonly method: "irv" | "stv"
    /** Seats to fill (STV); IRV fills one. */
    readonly seats: number
  }

/**
 * One voter's answer.
 *
 * @since 0.1.0
 * @category ballots
 */
export type Choice =
  | { readonly type: "yes-no"; readonly value: "yes" | "no" | "abstain" }
  | { readonly type: "single"; readonly option: string }
  | { readonly type: "multiple"; readonly options: ReadonlyArray<string> }
  | { readonly type: "approval"; readonly options: ReadonlyArray<string> }
  | { readonly type: "score"; readonly scores: ReadonlyArray<{ readonly option: string; readonly score: number }> }
  | { readonly type: "ranked"; readonly ranking: ReadonlyArray<string> }

/**
 * Why a choice is invalid for a ballot: a stable code and a text.
 *
 * @since 0.1.0
 * @category ballots
 */
export interface ChoiceProblem {
  readonly rule: "type" | "unknown-option" | "duplicate-option" | "too-few" | "too-many" | "score-range" | "missing-score"
  readonly detail: string
}

/**
 * Checks a choice against its ballot; `undefined` when valid.
 *
 * @since 0.1.0
 * @category ballots
 */
export const validateChoice = (spec: BallotSpec, choice: Choice): ChoiceProblem | undefined => {
  if (spec.type !== choice.type) return { rule: "type", detail: `expected a ${spec.type} choice, got ${choice.type}` }
  const known = (o: string) => spec.type !== "yes-no" && spec.options.includes(o)
  const distinct = (xs: ReadonlyArray<string>): ChoiceProblem | undefined => {
    const bad = xs.find((o) => !known(o))
    if (bad !== undefined) return { rule: "unknown-option", detail: `unknown option ${bad}` }
    if (new Set(xs).size !== xs.length) return { rule: "duplicate-option", detail: "an option appears twice" }
    return undefined
  }
  switch (choice.type) {
    case "yes-no":
      return undefined
    case "single":
      return known(choice.option) ? undefined : { rule: "unknown-option", detail: `unknown option ${choice.option}` }
    case "multiple": {
      const p = distinct(choice.options)
      if (p !== undefined) return p
      const s = spec as Extract<BallotSpec, { type: "multiple" }>
      if (choice.options.length < s.min) return { rule: "too-few", detail: `choose at least ${s.min}` }
      if (choice.options.length > s.max) return { rule: "too-many", detail: `choose at most ${s.max}` }
      return undefined
    }
    case "approval":
      return distinct(choice.options)
    case "score": {
      const s = spec as Extract<BallotSpec, { type: "score" }>
      const p = distinct(choice.scores.map((x) => x.option))
      if (p !== undefined) return p
      if (choice.scores.length !== s.options.length) return { rule: "missing-score", detail: "score every option" }
      const bad = choice.scores.find((x) => !Number.isInteger(x.score) || x.score < s.min || x.score > s.max)
      return bad === undefined ? undefined : { rule: "score-range", detail: `scores are integers from ${s.min} to ${s.max}` }
    }
    case "ranked": {
      const p = distinct(choice.ranking)
      if (p !== undefined) return p
      return choice.ranking.length === 0 ? { rule: "too-few", detail: "rank at least one option" } : undefined
    }
  }
}

/**
 * Votes per option, with the leaders. Ties for the lead are reported.
 *
 * @since 0.1.0
 * @category tally
 */
export interface OptionCount {
  /** Option -> total (headcount or the chosen weight; for score ballots, the score sum). */
  readonly counts: Readonly<Record<string, number>>
  /** The options with the highest total (several when tied). */
  readonly leaders: ReadonlyArray<string>
  readonly tie: boolean
  /** Ballots counted (sum of weights). */
  readonly ballots: number
}

const leadersOf = (options: ReadonlyArray<string>, counts: Record<string, number>) => {
  let best = -Infinity
  for (const o of options) best = Math.max(best, counts[o]!)
  const leaders = options.filter((o) => counts[o] === best)
  return { leaders, tie: leaders.length > 1 }
}

/**
 * Counts single, multiple, approval and score ballots (each ballot with its
 * weight: 1 for headcount, or an area). Order-independent.
 *
 * @since 0.1.0
 * @category tally
 */
export const countOptions = (
  spec: Exclude<BallotSpec, { type: "yes-no" } | { type: "ranked" }>,
  ballots: ReadonlyArray<{ readonly choice: Choice; readonly weight: number }>
): OptionCount => {
  const counts: Record<string, number> = {}
  for (const o of spec.options) counts[o] = 0
  let total = 0
  for (const b of ballots) {
    total += b.weight
    const c = b.choice
    switch (c.type) {
      case "single":
        counts[c.option] = (counts[c.option] ?? 0) + b.weight
        break
      case "multiple":
      case "approval":
        for (const o of c.options) counts[o] = (counts[o] ?? 0) + b.weight
        break
      case "score":
        for (const s of c.scores) counts[s.option] = (counts[s.option] ?? 0) + s.score * b.weight
        break
      default:
        break
    }
  }
  return { counts, ...leadersOf(spec.options, counts), ballots: total }
}

// ---------------------------------------------------------------------------
// Ranked choice: instant-runoff and STV
// ---------------------------------------------------------------------------

/**
 * One ranked ballot: options in order of preference, with a positive integer weight.
 *
 * @since 0.1.0
 * @category tally
 */
export interface RankedBallot {
  readonly ranking: ReadonlyArray<string>
  readonly weight: number
}

/**
 * One round of an instant-runoff count.
 *
 * @since 0.1.0
 * @category tally
 */
export interface IrvRound {
  readonly counts: Readonly<Record<string, number>>
  readonly exhausted: number
  readonly eliminated?: string | undefined
  /** How a tie for elimination was broken: by earlier rounds or by the published lot order. */
  readonly tieBrokenBy?: "earlier-rounds" | "lot" | undefined
}

/**
 * An instant-runoff result: the winner, or an unresolved tie (reported with
 * the tied options, never hidden).
 *
 * @since 0.1.0
 * @category tally
 */
export interface IrvResult {
  readonly winner: string | undefined
  readonly tie: ReadonlyArray<string> | undefined
  readonly rounds: ReadonlyArray<IrvRound>
}

/**
 * Breaks a tie among `tied` (lowest for elimination): by earlier rounds
 * (backwards, the candidate lower in the latest round where they differ),
 * then by `lot` (an order drawn and published in advance; later in the list
 * is eliminated first). Returns `undefined` when unresolved.
 */
const breakTie = (
  tied: ReadonlyArray<string>,
  history: ReadonlyArray<(o: string) => number | bigint>,
  lot: ReadonlyArray<string> | undefined
): { readonly pick: string; readonly by: "earlier-rounds" | "lot" } | undefined => {
  let pool = [...tied]
  for (let r = history.length - 1; r >= 0 && pool.length > 1; r--) {
    const value = history[r]!
    let low: number | bigint | undefined
    for (const o of pool) {
      const v = value(o)
      if (low === undefined || v < low) low = v
    }
    pool = pool.filter((o) => value(o) === low)
  }
  if (pool.length === 1) return { pick: pool[0]!, by: "earlier-rounds" }
  if (lot === undefined) return undefined
  const ranked = pool.filter((o) => lot.includes(o)).sort((a, b) => lot.indexOf(b) - lot.indexOf(a))
  return ranked.length > 0 && ranked.length === pool.length ? { pick: ranked[0]!, by: "lot" } : undefined
}

/**
 * Instant-runoff voting: each round counts every ballot for its highest-ranked
 * continuing option; an option with more than half of the non-exhausted
 * ballots wins, else the lowest is eliminated. Ties for elimination are broken
 * by earlier rounds, then by `lot` if given; otherwise the count stops and
 * reports the tie.
 *
 * @since 0.1.0
 * @category tally
 */
export const instantRunoff = (
  options: ReadonlyArray<string>,
  ballots: ReadonlyArray<RankedBallot>,
  lot?: ReadonlyArray<string>
): IrvResult => {
  const continuing = new Set(options)
  const rounds: Array<IrvRound> = []
  const history: Array<(o: string) => number> = []
  while (true) {
    const counts: Record<string, number> = {}
    for (const o of options) if (continuing.has(o)) counts[o] = 0
    let exhausted = 0
    let active = 0
    for (const b of ballots) {
      const top = b.ranking.find((o) => continuing.has(o))
      if (top === undefined) exhausted += b.weight
      else {
        counts[top]! += b.weight
        active += b.weight
      }
    }
    const live = options.filter((o) => continuing.has(o))
    const best = Math.max(...live.map((o) => counts[o]!))
    const leaders = live.filter((o) => counts[o] === best)
    if (leaders.length === 1 && best * 2 > active) {
      rounds.push({ counts, exhausted })
      return { winner: leaders[0], tie: undefined, rounds }
    }
    if (live.length === 1) {
      rounds.push({ counts, exhausted })
      return { winner: live[0], tie: undefined, rounds }
    }
    const low = Math.min(...live.map((o) => counts[o]!))
    const lowest = live.filter((o) => counts[o] === low)
    if (lowest.length === live.length) {
      rounds.push({ counts, exhausted })
      return { winner: undefined, tie: live, rounds }
    }
    let eliminated: string
    let tieBrokenBy: IrvRound["tieBrokenBy"]
    if (lowest.length === 1) eliminated = lowest[0]!
    else {
      const broken = breakTie(lowest, history, lot)
      if (broken === undefined) {
        rounds.push({ counts, exhausted })
        return { winner: undefined, tie: lowest, rounds }
      }
      eliminated = broken.pick
      tieBrokenBy = broken.by
    }
    rounds.push({ counts, exhausted, eliminated, ...(tieBrokenBy === undefined ? {} : { tieBrokenBy }) })
    const snapshot = { ...counts }
    history.push((o) => snapshot[o] ?? 0)
    continuing.delete(eliminated)
  }
}

// Exact fractions for STV transfers.
interface Frac {
  readonly n: bigint
  readonly d: bigint
}
const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}
const frac = (n: bigint, d: bigint): Frac => {
  const g = gcd(n, d)
  return g === 0n || g === 1n ? { n, d } : { n: n / g, d: d / g }
}
const fadd = (a: Frac, b: Frac): Frac => frac(a.n * b.d + b.n * a.d, a.d * b.d)
const fsub = (a: Frac, b: Frac): Frac => frac(a.n * b.d - b.n * a.d, a.d * b.d)
const fmul = (a: Frac, b: Frac): Frac => frac(a.n * b.n, a.d * b.d)
const fdiv = (a: Frac, b: Frac): Frac => frac(a.n * b.d, a.d * b.n)
const fcmp = (a: Frac, b: Frac): number => {
  const l = a.n * b.d
  const r = b.n * a.d
  return l < r ? -1 : l > r ? 1 : 0
}
const fstr = (a: Frac): string => (a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`)

/**
 * One step of an STV count. Vote totals are exact fractions as strings
 * (`"5"`, `"17/3"`).
 *
 * @since 0.1.0
 * @category tally
 */
export interface StvRound {
  readonly counts: Readonly<Record<string, string>>
  readonly exhausted: string
  readonly elected: ReadonlyArray<string>
  readonly eliminated?: string | undefined
  /** The elected option whose surplus was transferred after this count. */
  readonly surplusOf?: string | undefined
  readonly tieBrokenBy?: "earlier-rounds" | "lot" | undefined
}

/**
 * An STV result: elected options in order of election, and an unresolved
 * tie if the count had to stop.
 *
 * @since 0.1.0
 * @category tally
 */
export interface StvResult {
  readonly quota: number
  readonly elected: ReadonlyArray<string>
  readonly tie: ReadonlyArray<string> | undefined
  readonly rounds: ReadonlyArray<StvRound>
}

/**
 * Single transferable vote with the Droop quota (`floor(valid / (seats + 1)) + 1`)
 * and exact Gregory surplus transfers (every ballot of an elected option passes
 * on at value `surplus / total`). Candidates reaching the quota are elected;
 * the largest surplus is transferred first; when no one reaches it the lowest
 * is eliminated (ties broken by earlier counts, then `lot`, else the count
 * stops and reports the tie); when the continuing options fit the remaining
 * seats they are all elected.
 *
 * @since 0.1.0
 * @category tally
 */
export const singleTransferableVote = (
  options: ReadonlyArray<string>,
  ballots: ReadonlyArray<RankedBallot>,
  seats: number,
  lot?: ReadonlyArray<string>
): StvResult => {
  const valid = ballots.filter((b) => b.ranking.some((o) => options.includes(o)))
  const totalValid = valid.reduce((s, b) => s + b.weight, 0)
  const quota = Math.floor(totalValid / (seats + 1)) + 1
  const q: Frac = { n: BigInt(quota), d: 1n }
  const value: Array<Frac> = valid.map((b) => ({ n: BigInt(b.weight), d: 1n }))
  const pos: Array<number> = valid.map(() => 0)
  const elected: Array<string> = []
  const excluded = new Set<string>()
  const continuing = (o: string) => !excluded.has(o) && !elected.includes(o)
  const holder: Array<string | undefined> = valid.map(() => undefined)
  const advance = (i: number) => {
    const r = valid[i]!.ranking
    let p = pos[i]!
    while (p < r.length && !(options.includes(r[p]!) && continuing(r[p]!))) p++
    pos[i] = p
    holder[i] = r[p]
  }
  valid.forEach((_, i) => advance(i))
  const rounds: Array<StvRound> = []
  const history: Array<(o: string) => bigint> = []
  const pendingSurplus: Array<string> = []
  const transferred = new Set<string>()
  const count = () => {
    const c = new Map<string, Frac>(options.filter((o) => !excluded.has(o)).map((o) => [o, { n: 0n, d: 1n }]))
    let exhausted: Frac = { n: 0n, d: 1n }
    valid.forEach((_, i) => {
      const h = holder[i]
      if (h === undefined) exhausted = fadd(exhausted, value[i]!)
      else c.set(h, fadd(c.get(h) ?? { n: 0n, d: 1n }, value[i]!))
    })
    // an elected option whose surplus has gone on keeps exactly the quota
    for (const o of transferred) c.set(o, q)
    return { c, exhausted }
  }
  let guard = 0
  while (elected.length < seats && guard++ < 10_000) {
    const { c, exhausted } = count()
    const counts: Record<string, string> = {}
    for (const [o, v] of c) counts[o] = fstr(v)
    const live = options.filter(continuing)
    const snapshot = new Map(c)
    const newly = live
      .filter((o) => fcmp(c.get(o)!, q) >= 0)
      .sort((a, b) => fcmp(c.get(b)!, c.get(a)!))
    if (newly.length > 0) {
      for (const o of newly) if (elected.length < seats) {
        elected.push(o)
        pendingSurplus.push(o)
      }
    }
    if (elected.length >= seats) {
      rounds.push({ counts, exhausted: fstr(exhausted), elected: newly })
      break
    }
    const stillLive = options.filter(continuing)
    if (stillLive.length <= seats - elected.length) {
      elected.push(...stillLive)
      rounds.push({ counts, exhausted: fstr(exhausted), elected: [...newly, ...stillLive] })
      break
    }
    // transfer the largest pending surplus
    pendingSurplus.sort((a, b) => fcmp(c.get(b)!, c.get(a)!))
    const s = pendingSurplus.shift()
    if (s !== undefined) {
      const total = c.get(s)!
      const surplus = fsub(total, q)
      transferred.add(s)
      rounds.push({ counts, exhausted: fstr(exhausted), elected: newly, surplusOf: s })
      if (surplus.n > 0n) {
        const factor = fdiv(surplus, total)
        valid.forEach((_, i) => {
          if (holder[i] === s) {
            value[i] = fmul(value[i]!, factor)
            advance(i)
          }
        })
      } else {
        valid.forEach((_, i) => {
          if (holder[i] === s) {
            value[i] = { n: 0n, d: 1n }
            advance(i)
          }
        })
      }
      history.push(scaled(snapshot))
      continue
    }
    // eliminate the lowest continuing option
    let low: Frac | undefined
    for (const o of stillLive) if (low === undefined || fcmp(c.get(o)!, low) < 0) low = c.get(o)!
    const lowest = stillLive.filter((o) => fcmp(c.get(o)!, low!) === 0)
    let out: string
    let tieBrokenBy: StvRound["tieBrokenBy"]
    if (lowest.length === 1) out = lowest[0]!
    else {
      const broken = breakTie(lowest, history, lot)
      if (broken === undefined) {
        rounds.push({ counts, exhausted: fstr(exhausted), elected: newly })
        return { quota, elected, tie: lowest, rounds }
      }
      out = broken.pick
      tieBrokenBy = broken.by
    }
    rounds.push({ counts, exhausted: fstr(exhausted), elected: newly, eliminated: out, ...(tieBrokenBy === undefined ? {} : { tieBrokenBy }) })
    history.push(scaled(snapshot))
    excluded.add(out)
    valid.forEach((_, i) => {
      if (holder[i] === out) advance(i)
    })
  }
  return { quota, elected, tie: undefined, rounds }
}

// Converts one count's fractions to comparable bigints (all over the product of denominators).
const scaled = (c: Map<string, Frac>): ((o: string) => bigint) => {
  let d = 1n
  for (const v of c.values()) d = (d / gcd(d, v.d)) * v.d
  const out = new Map<string, bigint>()
  for (const [o, v] of c) out.set(o, (v.n * d) / v.d)
  return (o) => out.get(o) ?? 0n
}

// ---------------------------------------------------------------------------
// Electorate: voting units from households
// ---------------------------------------------------------------------------

/**
 * How owners of several exclusive parts are counted: `per-part` (each part is
 * a voting unit with one vote in the headcount) or `per-owner` (the parts of
 * the same owner(s) form one voting unit: one in the headcount, their areas
 * summed; the Supreme People's Court's interpretation on building division
 * counts an owner of several parts once).
 *
 * @since 0.1.0
 * @category electorate
 */
export type OwnerPolicy = "per-part" | "per-owner"

/**
 * A household as the electorate builder needs it.
 *
 * @since 0.1.0
 * @category electorate
 */
export interface HouseholdPart {
  readonly id: string
  readonly floor: number
  readonly exclusiveAreaDm2: number
  readonly ownerIds: ReadonlyArray<string>
}

/**
 * One voting unit (表决单位): one or more exclusive parts with their owners.
 *
 * @since 0.1.0
 * @category electorate
 */
export interface VotingUnitSpec {
  /** The first household's id (stable, sorted). */
  readonly id: string
  readonly householdIds: ReadonlyArray<string>
  readonly ownerIds: ReadonlyArray<string>
  readonly heads: number
  readonly areaDm2: number
  readonly weight: number
  readonly affected: boolean
  /** The lowest floor among its parts. */
  readonly floor: number
}

/**
 * Builds the voting units from households: households without owners are
 * left out; with `per-owner`, households sharing an owner are merged
 * (transitively). Custom weights default to 1 per household. The result is
 * sorted by id, so the same households always give the same electorate.
 *
 * @since 0.1.0
 * @category electorate
 */
export const buildVotingUnits = (
  households: ReadonlyArray<HouseholdPart>,
  options: {
    readonly ownerPolicy: OwnerPolicy
    readonly affected?: ReadonlyArray<string> | undefined
    readonly weights?: Readonly<Record<string, number>> | undefined
  }
): ReadonlyArray<VotingUnitSpec> => {
  const owned = [...households].filter((h) => h.ownerIds.length > 0).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const affected = new Set(options.affected ?? [])
  const parent = owned.map((_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!
    return i
  }
  if (options.ownerPolicy === "per-owner") {
    const firstByOwner = new Map<string, number>()
    owned.forEach((h, i) => {
      for (const o of h.ownerIds) {
        const j = firstByOwner.get(o)
        if (j === undefined) firstByOwner.set(o, i)
        else parent[find(i)] = find(j)
      }
    })
  }
  const groups = new Map<number, Array<HouseholdPart>>()
  owned.forEach((h, i) => {
    const r = find(i)
    const g = groups.get(r)
    if (g === undefined) groups.set(r, [h])
    else g.push(h)
  })
  const out: Array<VotingUnitSpec> = []
  for (const g of groups.values()) {
    const owners = [...new Set(g.flatMap((h) => h.ownerIds))].sort()
    out.push({
      id: g[0]!.id,
      householdIds: g.map((h) => h.id),
      ownerIds: owners,
      heads: 1,
      areaDm2: g.reduce((s, h) => s + h.exclusiveAreaDm2, 0),
      weight: g.reduce((s, h) => s + (options.weights?.[h.id] ?? 1), 0),
      affected: g.some((h) => affected.has(h.id)),
      floor: Math.min(...g.map((h) => h.floor))
    })
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * What to do when a voting unit that already voted votes again:
 * `last-counts` (the newest ballot replaces the earlier one until close),
 * `no-change` (refused with `AlreadyVoted`), `paper-overrides` (only a paper
 * ballot may replace an earlier ballot). Whatever the policy, an owner's own
 * ballot replaces a proxy's, and a proxy cannot replace the owner's.
 *
 * @since 0.1.0
 * @category ballots
 */
export type VoteChangePolicy = "last-counts" | "no-change" | "paper-overrides"

/**
 * Whether a new ballot may be recorded for a voting unit, given the ballot it
 * already has. Returns `"new"`, `"replace"` or the reason for refusal.
 *
 * @since 0.1.0
 * @category ballots
 */
export const castDecision = (
  existing: { readonly byProxy: boolean } | undefined,
  incoming: { readonly byProxy: boolean; readonly channel: string },
  policy: VoteChangePolicy
): "new" | "replace" | "already-voted" | "proxy-after-owner" => {
  if (existing === undefined) return "new"
  if (existing.byProxy && !incoming.byProxy) return "replace"
  if (!existing.byProxy && incoming.byProxy) return "proxy-after-owner"
  switch (policy) {
    case "last-counts":
      return "replace"
    case "no-change":
      return "already-voted"
    case "paper-overrides":
      return incoming.channel === "paper" ? "replace" : "already-voted"
  }
}

// ---------------------------------------------------------------------------
// Cost sharing and compensation
// ---------------------------------------------------------------------------

/**
 * Low-floor compensation per floor: a lump sum (within a range the community
 * sets) and years of property-fee waiver.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export interface FloorCompensation {
  readonly floor: number
  readonly minFen: number
  readonly maxFen: number
  readonly feeWaiverYears: number
}

/**
 * The seed's ladder (阶梯式补偿): floor 1 gets 30,000-50,000 yuan and 10 years
 * of property fees waived; floor 2 gets 10,000-20,000 yuan and 5 years.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export const defaultCompensation: ReadonlyArray<FloorCompensation> = [
  { floor: 1, minFen: 3_000_000, maxFen: 5_000_000, feeWaiverYears: 10 },
  { floor: 2, minFen: 1_000_000, maxFen: 2_000_000, feeWaiverYears: 5 }
]

/**
 * Input of {@link planCostSharing}.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export interface CostSharingInput {
  /** Total cost of the project in fen. */
  readonly totalCostFen: number
  /** Share paid by a government subsidy (default 40%: `{ num: 40, den: 100 }`). */
  readonly subsidyShare: Ratio
  readonly households: ReadonlyArray<{ readonly id: string; readonly floor: number; readonly exclusiveAreaDm2: number }>
  /**
   * Integer weight per floor for the remainder; floors not listed pay nothing.
   * Default: floor 3: 100, 4: 120, 5: 140, 6: 160 (+20 per further floor).
   */
  readonly floorWeights: Readonly<Record<string, number>>
  /** Multiply each floor weight by the household's exclusive area. */
  readonly byArea: boolean
  /** The compensation ladder (ranges). */
  readonly compensation: ReadonlyArray<FloorCompensation>
  /** The lump sum chosen per floor (fen, within the ladder's range); default the minimum. */
  readonly lumpSumFen?: Readonly<Record<string, number>> | undefined
}

/**
 * One household's line of a cost-sharing plan.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export interface CostShareLine {
  readonly householdId: string
  readonly floor: number
  /** What the household pays toward the project and the compensation. */
  readonly payFen: number
  /** The lump sum the household receives. */
  readonly compensationFen: number
  readonly feeWaiverYears: number
}

/**
 * A cost-sharing plan whose parts sum exactly: `subsidyFen + Σ payFen =
 * totalCostFen + Σ compensationFen`.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export interface CostSharingPlan {
  readonly totalCostFen: number
  readonly subsidyFen: number
  /** Project cost left after the subsidy. */
  readonly sharedCostFen: number
  readonly compensationTotalFen: number
  readonly lines: ReadonlyArray<CostShareLine>
}

/**
 * Default floor weights for six-storey buildings; floors above 6 continue +20 per floor.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export const defaultFloorWeights = (floors: number): Record<string, number> => {
  const out: Record<string, number> = {}
  for (let f = 3; f <= floors; f++) out[String(f)] = 100 + 20 * (f - 3)
  return out
}

/**
 * Plans the cost sharing of a retrofit: the subsidy (rounded down to whole
 * fen), the remaining cost plus every low-floor lump sum split among the paying
 * households by floor weight with the largest-remainder method, so every
 * amount is an integer number of fen and the plan balances exactly. Returns a
 * problem text instead when the input cannot be planned.
 *
 * @since 0.1.0
 * @category cost sharing
 */
export const planCostSharing = (input: CostSharingInput): CostSharingPlan | { readonly problem: string } => {
  const { totalCostFen, subsidyShare } = input
  if (!Number.isSafeInteger(totalCostFen) || totalCostFen < 0) return { problem: "total cost must be a non-negative integer of fen" }
  if (subsidyShare.den <= 0 || subsidyShare.num < 0 || subsidyShare.num > subsidyShare.den) {
    return { problem: "subsidy share must be between 0 and 1" }
  }
  const subsidyFen = Number((BigInt(totalCostFen) * BigInt(subsidyShare.num)) / BigInt(subsidyShare.den))
  const sharedCostFen = totalCostFen - subsidyFen
  const ladder = new Map(input.compensation.map((c) => [c.floor, c]))
  const comp: Array<{ fen: number; years: number }> = []
  for (const h of input.households) {
    const rung = ladder.get(h.floor)
    if (rung === undefined) {
      comp.push({ fen: 0, years: 0 })
      continue
    }
    const chosen = input.lumpSumFen?.[String(h.floor)] ?? rung.minFen
    if (!Number.isSafeInteger(chosen) || chosen < rung.minFen || chosen > rung.maxFen) {
      return { problem: `floor ${h.floor}: lump sum ${chosen} fen is outside ${rung.minFen}-${rung.maxFen}` }
    }
    comp.push({ fen: chosen, years: rung.feeWaiverYears })
  }
  const compensationTotalFen = comp.reduce((s, c) => s + c.fen, 0)
  const weights = input.households.map((h) => {
    const w = input.floorWeights[String(h.floor)] ?? 0
    return input.byArea ? w * h.exclusiveAreaDm2 : w
  })
  const toShare = sharedCostFen + compensationTotalFen
  let pays: Array<number>
  if (weights.some((w) => w > 0)) pays = splitLargestRemainder(toShare, weights)
  else if (toShare === 0) pays = weights.map(() => 0)
  else return { problem: "no household pays (every floor weight is zero)" }
  return {
    totalCostFen,
    subsidyFen,
    sharedCostFen,
    compensationTotalFen,
    lines: input.households.map((h, i) => ({
      householdId: h.id,
      floor: h.floor,
      payFen: pays[i]!,
      compensationFen: comp[i]!.fen,
      feeWaiverYears: comp[i]!.years
    }))
  }
}

// ---------------------------------------------------------------------------
// Secret ballots: mixing
// ---------------------------------------------------------------------------

/**
 * A choice's canonical key: JSON with object keys sorted, so equal choices
 * share one per-choice total whatever order their fields came in.
 *
 * @since 0.2.0
 * @category secrecy
 */
export const choiceKey = (choice: unknown): string => {
  const go = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(go).join(",")}]`
    if (v !== null && typeof v === "object") {
      return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${go((v as Record<string, unknown>)[k])}`).join(",")}}`
    }
    return JSON.stringify(v)
  }
  return go(choice)
}

/**
 * The sums of a secret vote's mixed ballots' weights for one choice.
 *
 * @since 0.2.0
 * @category secrecy
 */
export interface ChoiceTotal<C> {
  readonly choiceKey: string
  readonly choice: C
  readonly affected: boolean
  readonly ballots: number
  readonly heads: number
  readonly areaDm2: number
  readonly weight: number
}

/**
 * Folds ballots waiting to be mixed into the mixed bag and the per-choice
 * totals: each pending ballot adds its weights to its choice's total and
 * joins the bag (receipt and choice only); a retraction removes the mixed
 * ballot of its receipt hash and takes its weights off that ballot's choice.
 * Pure and order-independent: the same pending set gives the same totals in
 * any order. `added` comes out ordered by receipt hash; the caller shuffles it.
 *
 * @since 0.2.0
 * @category secrecy
 */
export const foldSecretBallots = <C>(
  totals: ReadonlyArray<ChoiceTotal<C>>,
  mixed: ReadonlyArray<{ readonly receiptHash: string; readonly choice: C }>,
  pending: ReadonlyArray<{
    readonly receiptHash: string
    readonly choice: C
    readonly heads: number
    readonly areaDm2: number
    readonly weight: number
    readonly affected: boolean
    readonly retraction?: boolean | undefined
  }>
): {
  readonly totals: ReadonlyArray<ChoiceTotal<C>>
  readonly retracted: ReadonlyArray<string>
  readonly added: ReadonlyArray<{ readonly receiptHash: string; readonly choice: C }>
  readonly bag: ReadonlyArray<{ readonly receiptHash: string; readonly choice: C }>
} => {
  const sums = new Map<string, { choiceKey: string; choice: C; affected: boolean; ballots: number; heads: number; areaDm2: number; weight: number }>()
  for (const t of totals) sums.set(`${t.affected ? 1 : 0}${t.choiceKey}`, { ...t })
  const bag = new Map(mixed.map((b) => [b.receiptHash, b]))
  const retracted: Array<string> = []
  const added: Array<{ receiptHash: string; choice: C }> = []
  const sorted = [...pending].sort((a, b) => (a.receiptHash < b.receiptHash ? -1 : a.receiptHash > b.receiptHash ? 1 : 0))
  for (const p of sorted) {
    const sign = p.retraction === true ? -1 : 1
    const choice = p.retraction === true ? bag.get(p.receiptHash)?.choice : p.choice
    if (choice === undefined) continue // a retraction of a ballot that is not in the bag: nothing to take off
    const key = choiceKey(choice)
    const id = `${p.affected ? 1 : 0}${key}`
    const s = sums.get(id) ?? { choiceKey: key, choice, affected: p.affected, ballots: 0, heads: 0, areaDm2: 0, weight: 0 }
    s.ballots += sign
    s.heads += sign * p.heads
    s.areaDm2 += sign * p.areaDm2
    s.weight += sign * p.weight
    sums.set(id, s)
    if (p.retraction === true) {
      bag.delete(p.receiptHash)
      retracted.push(p.receiptHash)
    } else {
      const b = { receiptHash: p.receiptHash, choice: p.choice }
      bag.set(p.receiptHash, b)
      added.push(b)
    }
  }
  const byKey = (a: { choiceKey: string; affected: boolean }, b: { choiceKey: string; affected: boolean }) =>
    a.choiceKey < b.choiceKey ? -1 : a.choiceKey > b.choiceKey ? 1 : Number(a.affected) - Number(b.affected)
  return {
    totals: [...sums.values()].filter((s) => s.ballots > 0).sort(byKey),
    retracted,
    added,
    bag: [...bag.values()].sort((a, b) => (a.receiptHash < b.receiptHash ? -1 : a.receiptHash > b.receiptHash ? 1 : 0))
  }
}
