/**
 * The versions a run records about the library that produced it.
 *
 * @since 0.1.0
 */
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)
const versionOf = (pkg: string): string => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version
  } catch {
    return "unknown"
  }
}

/**
 * The versions of `@gongzhi/core` and `@gongzhi/sim` in use.
 *
 * @since 0.1.0
 * @category output
 */
export const libraryVersions = {
  "@gongzhi/core": versionOf("@gongzhi/core"),
  "@gongzhi/sim": versionOf("@gongzhi/sim")
} as const
