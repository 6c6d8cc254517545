import { defineConfig } from "tsup"

export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli.ts", worker: "src/worker.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" }, compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: "es2022",
  tsconfig: "../../tsconfig.base.json"
})
