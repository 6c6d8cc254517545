import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { countSegments, maskE164, normalizeMobile } from "../src/index.js"

describe("segment counting", () => {
  it("70 Chinese characters fit one message, 71 take two, 67 per part after that", () => {
    expect(countSegments("共".repeat(70))).toStrictEqual({ encoding: "UCS-2", units: 70, segments: 1 })
    expect(countSegments("共".repeat(71)).segments).toBe(2)
    expect(countSegments("共".repeat(134)).segments).toBe(2)
    expect(countSegments("共".repeat(135)).segments).toBe(3)
    // one Chinese character makes a Latin text UCS-2
    expect(countSegments("Vote now 共").encoding).toBe("UCS-2")
  })

  it("GSM-7: 160 in one, 153 per part; extension characters count two", () => {
    expect(countSegments("a".repeat(160))).toStrictEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(countSegments("a".repeat(161)).segments).toBe(2)
    expect(countSegments("a".repeat(306)).segments).toBe(2)
    expect(countSegments("a".repeat(307)).segments).toBe(3)
    expect(countSegments("€".repeat(80))).toStrictEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(countSegments("€".repeat(81)).segments).toBe(2)
  })

  it("parts never hold more than the per-part limit (property)", () => {
    fc.assert(fc.property(fc.string({ maxLength: 600 }), (s) => {
      const c = countSegments(s)
      const perPart = c.encoding === "GSM-7" ? (c.segments === 1 ? 160 : 153) : (c.segments === 1 ? 70 : 67)
      return c.units <= c.segments * perPart && (c.segments === 1 || c.units > (c.encoding === "GSM-7" ? 160 : 70))
    }))
  })
})

describe("phone numbers", () => {
  it("normalises mainland mobiles to E.164 and refuses landlines and junk", () => {
    expect(normalizeMobile("13812345678")).toBe("+8613812345678")
    expect(normalizeMobile("+86 138-1234-5678")).toBe("+8613812345678")
    expect(normalizeMobile("+8613812345678")).toBe("+8613812345678")
    expect(normalizeMobile("+14155552671", "CN")).toBe("+14155552671")
    expect(normalizeMobile("010-62345678")).toBeUndefined() // Beijing landline
    expect(normalizeMobile("1381234567")).toBeUndefined() // one digit short
    expect(normalizeMobile("not a number")).toBeUndefined()
  })

  it("masks for logs", () => {
    expect(maskE164("+8613812345678")).toBe("+86 138****5678")
    expect(maskE164("+8613812345678")).not.toContain("1234")
  })
})
