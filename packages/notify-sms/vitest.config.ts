import { defineProject } from "vitest/config"
import { alias } from "../../vitest.shared.js"

export default defineProject({
  resolve: { alias },
  test: {
    name: "notify-sms",
    include: ["test/**/*.test.ts"],
    globalSetup: ["../store-postgres/test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
