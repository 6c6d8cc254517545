import { MemoryStore } from "@gongzhi/store-memory"
import { deliverySuite } from "./delivery-suite.js"

deliverySuite("memory", MemoryStore.layer(), { bulk: 10_000 })
