import { runConformance } from "@gongzhi/testkit/conformance"
import { Effect } from "effect"
import { MemoryInspector, MemoryStore } from "../src/index.js"

runConformance(MemoryStore.layer(), {
  name: "memory",
  loadDirectory: (snapshot) => Effect.flatMap(MemoryInspector, (i) => i.loadDirectory(snapshot))
})
