/**
 * `@gongzhi/sim`: a simulation toolkit for incentive schemes. A scenario
 * (community, scheme, behaviour, horizon, seed) runs on two engines over the
 * same production rules: `runFast` calls the modules' pure rules directly,
 * `runFaithful` sends the full commands to the in-memory store. A collector
 * keeps per-day and per-agent tables; runs write byte-identical CSV for the
 * same seed; sweeps spread a parameter grid over cores and machines; charts
 * are Vega-Lite rendered to SVG.
 *
 * @since 0.1.0
 */
export * from "./chart.js"
export * from "./clock.js"
export * from "./collector.js"
export * from "./faithful.js"
export * from "./fast.js"
export * from "./output.js"
export * from "./run.js"
export * from "./scenario.js"
export * from "./sweep.js"
export * from "./version.js"
export * from "./world.js"
