import { defineConfig } from "tsup"

export default defineConfig({
  entry: { index: "src/index.ts", "conformance/index": "src/conformance/index.ts" },
  format: ["esm", "cjs"],
  dts: { compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: "es2022",
  tsconfig: "../../tsconfig.base.json"
})
