/**
 * Evaluation indicators (评估指标): the seed's figures (participation,
 * issue resolution, satisfaction, volunteer hours, decline in disputes) and
 * Beijing's hotline rates, computed from the journal and stored state on any
 * adapter. Import as `import { Metrics } from "@gongzhi/core"`.
 *
 * @since 0.2.0
 */
export * from "./model.js"
export * from "./rules.js"
export * from "./service.js"
