import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import {
  AreaDm2,
  CentiHours,
  Fen,
  formatFen,
  LedgerUnit,
  Points,
  splitLargestRemainder,
  squareMetresToDm2,
  yuanToFen
} from "../src/index.js"

const MAX = Number.MAX_SAFE_INTEGER
const props = { fastCheck: { numRuns: 100 } }

/** Weights that are non-negative safe integers with a positive sum. */
const weightsArb = (max: number) =>
  fc
    .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max })), { minLength: 1, maxLength: 25 })
    .map((ws) => (ws.some((w) => w > 0) ? ws : [...ws.slice(1), 1]))

const totalArb = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.integer({ min: -MAX, max: MAX }),
  fc.constantFrom(0, 1, -1, MAX, -MAX, MAX - 1, -(MAX - 1))
)
const anyWeights = fc.oneof(weightsArb(10), weightsArb(1_000_000), weightsArb(MAX))

const big = BigInt

describe("splitLargestRemainder", () => {
  it("splits the documented examples", () => {
    expect(splitLargestRemainder(100, [1, 1, 1])).toStrictEqual([34, 33, 33])
    expect(splitLargestRemainder(-100, [1, 1, 1])).toStrictEqual([-34, -33, -33])
    expect(splitLargestRemainder(2, [1, 1, 1])).toStrictEqual([1, 1, 0])
    expect(splitLargestRemainder(0, [3, 5])).toStrictEqual([0, 0])
    expect(splitLargestRemainder(10, [0, 1, 0])).toStrictEqual([0, 10, 0])
    // 10000 yuan shared by five households by area (dm²): quotas 185412.80, 185412.80, 189579.38, 189579.38, 250015.62
    expect(splitLargestRemainder(1_000_000, [8900, 8900, 9100, 9100, 12001])).toStrictEqual(
      [185_413, 185_413, 189_579, 189_579, 250_016]
    )
    // remainders decide, not the weights: 7 * [1,2,4] / 7 = [1,2,4] exactly; 8 -> quotas 8/7, 16/7, 32/7
    expect(splitLargestRemainder(8, [1, 2, 4])).toStrictEqual([1, 2, 5])
    expect(splitLargestRemainder(MAX, [1, 1])).toStrictEqual([(MAX + 1) / 2, (MAX - 1) / 2])
    expect(splitLargestRemainder(MAX, [MAX, MAX - 1, 1])).toStrictEqual([4503599627370496, 4503599627370495, 0])
  })

  it.prop("parts sum exactly to the total and are safe integers", [totalArb, anyWeights], ([total, weights]) => {
    const parts = splitLargestRemainder(total, weights)
    expect(parts).toHaveLength(weights.length)
    for (const p of parts) expect(Number.isSafeInteger(p)).toBe(true)
    expect(parts.reduce((s, p) => s + big(p), 0n)).toBe(big(total))
  }, props)

  it.prop("each part is within one of its exact quota, with the sign of the total", [totalArb, anyWeights], ([total, weights]) => {
    const parts = splitLargestRemainder(total, weights)
    const sum = weights.reduce((s, w) => s + big(w), 0n)
    parts.forEach((p, i) => {
      // |p - total * w / sum| < 1  <=>  |p * sum - total * w| < sum
      const diff = big(p) * sum - big(total) * big(weights[i]!)
      expect(diff < sum && -diff < sum).toBe(true)
      if (total >= 0) expect(p).toBeGreaterThanOrEqual(0)
      else expect(p).toBeLessThanOrEqual(0)
    })
  }, props)

  it.prop("rounds up exactly the largest remainders, ties to the earlier weight", [fc.integer({ min: 0, max: MAX }), anyWeights], ([total, weights]) => {
    const parts = splitLargestRemainder(total, weights)
    const sum = weights.reduce((s, w) => s + big(w), 0n)
    const floors = weights.map((w) => (big(total) * big(w)) / sum)
    const remainders = weights.map((w) => (big(total) * big(w)) % sum)
    const up = parts.map((p, i) => big(p) - floors[i]!)
    for (const u of up) expect(u === 0n || u === 1n).toBe(true)
    for (let a = 0; a < weights.length; a++) {
      for (let b = 0; b < weights.length; b++) {
        if (up[a] === 1n && up[b] === 0n) {
          const ra = remainders[a]!
          const rb = remainders[b]!
          expect(ra > rb || (ra === rb && a < b)).toBe(true)
        }
      }
    }
  }, props)

  it.prop("is deterministic, gives zero weights 0, and a larger weight never a smaller part", [totalArb, anyWeights], ([total, weights]) => {
    const parts = splitLargestRemainder(total, weights)
    expect(splitLargestRemainder(total, [...weights])).toStrictEqual(parts)
    weights.forEach((w, i) => {
      if (w === 0) expect(Object.is(parts[i], 0)).toBe(true)
    })
    for (let a = 0; a < weights.length; a++) {
      for (let b = 0; b < weights.length; b++) {
        if (weights[a]! > weights[b]!) expect(Math.abs(parts[a]!)).toBeGreaterThanOrEqual(Math.abs(parts[b]!))
      }
    }
  }, props)

  it.prop("a negative total splits as the negation of its absolute value", [fc.integer({ min: 1, max: MAX }), anyWeights], ([total, weights]) => {
    expect(splitLargestRemainder(-total, weights)).toStrictEqual(splitLargestRemainder(total, weights).map((p) => (p === 0 ? 0 : -p)))
  }, props)

  it.prop("scaling every weight by the same factor changes nothing", [totalArb, weightsArb(1000), fc.integer({ min: 1, max: 1000 })], ([total, weights, k]) => {
    expect(splitLargestRemainder(total, weights.map((w) => w * k))).toStrictEqual(splitLargestRemainder(total, weights))
  }, props)

  it("refuses bad input with a RangeError", () => {
    const bad: Array<[number, Array<number>]> = [
      [1.5, [1]],
      [NaN, [1]],
      [Infinity, [1]],
      [MAX + 1, [1]],
      [-(MAX + 1), [1]],
      [10, []],
      [10, [1, -1]],
      [10, [0.5, 1]],
      [10, [NaN]],
      [10, [MAX + 1]],
      [10, [0, 0, 0]]
    ]
    for (const [total, weights] of bad) {
      expect(() => splitLargestRemainder(total, weights), `${total} over ${weights}`).toThrow(RangeError)
    }
  })
})

describe("yuan and fen", () => {
  it("converts yuan to fen exactly", () => {
    const cases: Array<[string | number, number]> = [
      ["12.34", 1234],
      ["0.5", 50],
      ["0.05", 5],
      ["-3.1", -310],
      ["-0.01", -1],
      [" 7 ", 700],
      ["007.00", 700],
      ["0", 0],
      ["-0", 0],
      [12, 1200],
      [12.3, 1230],
      [0.07, 7],
      [-45.67, -4567],
      ["90071992547409.91", MAX],
      ["-90071992547409.91", -MAX]
    ]
    for (const [yuan, fen] of cases) expect(Object.is(yuanToFen(yuan), fen), `${yuan}`).toBe(true)
    expect(squareMetresToDm2("89.5")).toBe(8950)
  })

  it("throws instead of rounding or losing precision", () => {
    for (const bad of ["1.234", "abc", "", " ", "1,000", "1e3", "+1", ".5", "5.", "1.2.3", "¥5", "0x10", "90071992547409.92", "1000000000000000000", 0.001, 1e21, NaN, Infinity]) {
      expect(() => yuanToFen(bad), String(bad)).toThrow(RangeError)
    }
  })

  it("formats fen as yuan with two decimals", () => {
    expect(formatFen(123456)).toBe("1234.56")
    expect(formatFen(5)).toBe("0.05")
    expect(formatFen(-5)).toBe("-0.05")
    expect(formatFen(-120)).toBe("-1.20")
    expect(formatFen(0)).toBe("0.00")
    expect(formatFen(MAX)).toBe("90071992547409.91")
    expect(formatFen(-MAX)).toBe("-90071992547409.91")
  })

  it.prop("yuanToFen(formatFen(fen)) === fen for every safe integer", [fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: -MAX, max: MAX }))], ([fen]) => {
    const text = formatFen(fen)
    expect(text).toMatch(/^-?(0|[1-9]\d*)\.\d{2}$/)
    expect(yuanToFen(text)).toBe(fen)
  }, props)

  it.prop(
    "formatFen(yuanToFen(text)) gives back a canonical yuan text",
    [fc.boolean(), fc.bigInt({ min: 0n, max: 90071992547408n }), fc.integer({ min: 0, max: 99 })],
    ([negative, whole, cents]) => {
      const canonical = `${negative && (whole > 0n || cents > 0) ? "-" : ""}${whole}.${String(cents).padStart(2, "0")}`
      expect(formatFen(yuanToFen(canonical))).toBe(canonical)
    },
    props
  )
})

describe("unit schemas", () => {
  const accepts = (schema: Schema.Schema<any, any, never>, u: unknown) => Either.isRight(Schema.decodeUnknownEither(schema)(u))

  it("Fen, Points and CentiHours accept safe integers of either sign and nothing else", () => {
    for (const schema of [Fen, Points, CentiHours]) {
      for (const ok of [0, 1, -1, 150, MAX, -MAX]) expect(accepts(schema, ok), String(ok)).toBe(true)
      for (const bad of [1.5, 0.1, -0.01, NaN, Infinity, -Infinity, MAX + 1, -(MAX + 1), 2 ** 60, "12", null, undefined, 1n]) {
        expect(accepts(schema, bad), String(bad)).toBe(false)
      }
    }
  })

  it.prop("Fen rejects every non-integer number", [fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d))], ([d]) => {
    expect(accepts(Fen, d)).toBe(false)
    expect(accepts(Points, d)).toBe(false)
  }, props)

  it("AreaDm2 is a non-negative integer; LedgerUnit names the three units", () => {
    expect(accepts(AreaDm2, 0)).toBe(true)
    expect(accepts(AreaDm2, 8950)).toBe(true)
    for (const bad of [-1, 0.5, "1"]) expect(accepts(AreaDm2, bad)).toBe(false)
    expect(LedgerUnit.literals).toStrictEqual(["fen", "points", "centi-hours"])
  })
})
