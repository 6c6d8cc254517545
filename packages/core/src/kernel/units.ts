/**
 * Integer units. Ledgers never hold floats: money is fen (分), points are
 * whole points, time-bank credit is centi-hours (1.5 h = 150), area is square
 * decimetres (1 m² = 100 dm²).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const safeInt = Schema.Int.pipe(
  Schema.between(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
)

/**
 * Money in fen (分, 1/100 yuan).
 *
 * @since 0.1.0
 * @category units
 */
export const Fen = safeInt.pipe(Schema.brand("Fen"))
/** @since 0.1.0 @category units */
export type Fen = typeof Fen.Type

/**
 * Incentive points (积分).
 *
 * @since 0.1.0
 * @category units
 */
export const Points = safeInt.pipe(Schema.brand("Points"))
/** @since 0.1.0 @category units */
export type Points = typeof Points.Type

/**
 * Time-bank credit in hundredths of an hour (1.5 h = 150).
 *
 * @since 0.1.0
 * @category units
 */
export const CentiHours = safeInt.pipe(Schema.brand("CentiHours"))
/** @since 0.1.0 @category units */
export type CentiHours = typeof CentiHours.Type

/**
 * Area in square decimetres (1 m² = 100 dm²), non-negative.
 *
 * @since 0.1.0
 * @category units
 */
export const AreaDm2 = Schema.NonNegativeInt.pipe(Schema.brand("AreaDm2"))
/** @since 0.1.0 @category units */
export type AreaDm2 = typeof AreaDm2.Type

/**
 * The unit a ledger amount is counted in.
 *
 * @since 0.1.0
 * @category units
 */
export const LedgerUnit = Schema.Literal("fen", "points", "centi-hours")
/** @since 0.1.0 @category units */
export type LedgerUnit = typeof LedgerUnit.Type

/**
 * Yuan (as a decimal string or number of whole yuan) to fen, exactly.
 * `yuanToFen("12.34") === 1234`. Throws on more than two decimals: use it for
 * constants and configuration, not for user input (decode that with `Fen`).
 *
 * @since 0.1.0
 * @category units
 */
export const yuanToFen = (yuan: string | number): number => {
  const text = typeof yuan === "number" ? String(yuan) : yuan.trim()
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text)
  if (m === null) throw new RangeError(`not a yuan amount with at most two decimals: ${text}`)
  const fen = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"))
  if (!Number.isSafeInteger(fen)) throw new RangeError(`yuan amount too large to count in fen exactly: ${text}`)
  return m[1] === "-" && fen !== 0 ? -fen : fen
}

/**
 * Square metres (up to two decimals) to square decimetres, exactly.
 *
 * @since 0.1.0
 * @category units
 */
export const squareMetresToDm2 = (m2: string | number): number => yuanToFen(m2)

/**
 * Formats fen as yuan with two decimals: `formatFen(123456) === "1234.56"`.
 *
 * @since 0.1.0
 * @category units
 */
export const formatFen = (fen: number): string => {
  const sign = fen < 0 ? "-" : ""
  const abs = Math.abs(fen)
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`
}

/**
 * Splits an integer `total` into integer parts proportional to `weights`
 * with the largest-remainder (Hamilton) method, so the parts always sum to
 * exactly `total`. Ties in the remainder go to the earlier weight, which makes
 * the result deterministic. Weights are non-negative integers with a positive
 * sum; a negative total is split as the negation of splitting its absolute value.
 * Exact for any safe integers (uses bigint internally).
 *
 * @example
 * splitLargestRemainder(100, [1, 1, 1]) // [34, 33, 33]
 *
 * @since 0.1.0
 * @category units
 */
export const splitLargestRemainder = (total: number, weights: ReadonlyArray<number>): Array<number> => {
  if (!Number.isSafeInteger(total)) throw new RangeError("total must be a safe integer")
  if (weights.length === 0) throw new RangeError("weights must not be empty")
  let sum = 0n
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError("weights must be non-negative safe integers")
    sum += BigInt(w)
  }
  if (sum === 0n) throw new RangeError("weights must not all be zero")
  if (total < 0) return splitLargestRemainder(-total, weights).map((p) => (p === 0 ? 0 : -p))
  const t = BigInt(total)
  const parts: Array<bigint> = []
  const remainders: Array<{ index: number; remainder: bigint }> = []
  let assigned = 0n
  weights.forEach((w, index) => {
    const product = t * BigInt(w)
    const q = product / sum
    parts.push(q)
    assigned += q
    remainders.push({ index, remainder: product % sum })
  })
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1))
  let left = Number(t - assigned)
  for (const r of remainders) {
    if (left === 0) break
    parts[r.index] = parts[r.index]! + 1n
    left--
  }
  return parts.map(Number)
}
