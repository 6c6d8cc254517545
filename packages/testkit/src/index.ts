/**
 * `@gongzhi/testkit`: a seeded generator of realistic communities. The
 * adapter conformance suite (which needs vitest) is the separate entry point
 * `@gongzhi/testkit/conformance`.
 *
 * @since 0.1.0
 */
export * from "./fixtures.js"
export * from "./calendar.js"
