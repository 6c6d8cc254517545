import { fileURLToPath } from "node:url"

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))

/** Resolve workspace packages to their sources so tests never need a build. */
export const alias = {
  "@gongzhi/testkit/conformance": fileURLToPath(new URL("./packages/testkit/src/conformance/index.ts", import.meta.url)),
  "@gongzhi/core": pkg("core"),
  "@gongzhi/store-memory": pkg("store-memory"),
  "@gongzhi/store-postgres": pkg("store-postgres"),
  "@gongzhi/testkit": pkg("testkit"),
  "@gongzhi/notify-sms": pkg("notify-sms")
}
