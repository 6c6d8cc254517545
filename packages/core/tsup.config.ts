import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // Declarations come from tsc (see the build script and scripts/dts-cjs.mjs), not the bundler.
  dts: false,
  sourcemap: true,
  clean: true,
  target: "es2022",
  tsconfig: "../../tsconfig.base.json"
})
