import { inject } from "vitest"
import { freshStoreLayer } from "../../store-postgres/test/support/db.js"
import { deliverySuite } from "./delivery-suite.js"

// 10,000 on memory; fewer here, where every outcome is a transaction on a shared, busy machine.
deliverySuite("postgres", freshStoreLayer(inject("databaseUrl")), { bulk: 1_000 })
