// Re-exports used by the ESM consumer (checks top-level values resolve through the `import` condition).
export { CommunityId, decodeEntry, type JournalEntry } from "@gongzhi/core"
export { Schema } from "effect"
