import { DirectoryWriter } from "@gongzhi/core"
import { runConformance } from "@gongzhi/testkit/conformance"
import { Effect } from "effect"
import { inject } from "vitest"
import { freshStoreLayer } from "./support/db.js"

runConformance(freshStoreLayer(inject("databaseUrl")), {
  name: "postgres",
  loadDirectory: (snapshot) => Effect.flatMap(DirectoryWriter, (w) => w.load(snapshot))
})
