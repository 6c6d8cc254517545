/**
 * `@gongzhi/testkit`: the adapter conformance suite and a seeded generator of
 * realistic communities.
 *
 * @since 0.1.0
 */
export * from "./conformance.js"
export * from "./fixtures.js"
