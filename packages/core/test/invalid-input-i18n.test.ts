/**
 * InvalidInput speaks the user's language: for a sample of bad inputs to
 * commands of every module, each field issue has a stable problem code and a
 * zh-CN text with no ASCII letter at all (no decoder English, no echoed
 * value), and the whole zh-CN message contains ASCII letters only inside the
 * command name and the field paths (which are identifiers, not prose).
 * Entity names in NotFound are localized too.
 */
import { MemoryStore } from "@gongzhi/store-memory"
import { generateCommunity } from "@gongzhi/testkit"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import {
  type Actor,
  CommunityId,
  Gongzhi,
  Incentives,
  InvalidInput,
  Issues,
  openAccount,
  postTransaction,
  ResidentActor,
  ResidentId,
  Role,
  StaffActor,
  StaffId,
  TimeBank,
  Voting
} from "../src/index.js"

const community = generateCommunity({ seed: 7, communityId: "c-i18n", buildings: 1, floors: 2 })
const C = CommunityId.make("c-i18n")
const layer = Layer.merge(Gongzhi.layer(), MemoryStore.layer({ directory: [community] }))
const admin: Actor = new StaffActor({ communityId: C, staffId: StaffId.make("s-admin"), roles: [Role.make("admin")], departments: [] })
const resident = new ResidentActor({ communityId: C, residentId: ResidentId.make(community.residents[0]!.id) })
const phone = "13812345678"

/** A command run with input a JavaScript caller or an HTTP body might send. */
type Sample = readonly [label: string, run: Effect.Effect<unknown, unknown, any>]
const bad = (u: unknown) => u as never

const samples: ReadonlyArray<Sample> = [
  ["voting.castBallot: wrong literal, missing field, unexpected field", Voting.castBallot(resident, bad({
    communityId: C, proposalId: "p-1", residentId: "r-1", channel: "pigeon", choice: { type: "yes-no", value: "maybe" }, phone
  }))],
  ["voting.createProposal: wrong types everywhere", Voting.createProposal(admin, bad({ communityId: 5, title: phone, body: [] }))],
  ["voting.postToThread: too long, wrong id", Voting.postToThread(resident, bad({ communityId: C, proposalId: "bad id!", authorId: "r-1", body: "长".repeat(20_000) }))],
  ["issues.submit: missing fields and a bad channel", Issues.submitReport(resident, bad({ communityId: C, typeId: "street-light", channel: phone }))],
  ["issues.submit: an unknown attribute and a wrongly typed one (the command's own rules)", Issues.submitReport(resident, {
    communityId: C, typeId: "street-light", location: { buildingId: "b-1" }, description: "灯不亮", channel: "app",
    attributes: { "no-such": true, danger: phone }
  })],
  ["issues.accept: not an object", Issues.accept(admin, bad(phone))],
  ["incentives.award: negative points, missing reason", Incentives.award(admin, bad({ communityId: C, residentId: "r-1", points: -3 }))],
  ["incentives.redeem: wrong types", Incentives.redeem(resident, bad({ communityId: C, residentId: 1, itemId: null, quantity: 1.5 }))],
  ["timebank.recordService: both minutes and a span, unexpected field", TimeBank.recordService(resident, bad({
    communityId: C, providerId: "r-1", recipientId: "r-2", serviceType: "elderly-care", minutes: 60, startedAt: 1, endedAt: 2, contact: phone
  }))],
  ["timebank.transfer: missing everything", TimeBank.transfer(resident, bad({}))],
  ["ledger.openAccount: a unit that does not exist", openAccount(admin, bad({ communityId: C, accountId: "a-1", unit: "yuan", kind: "Resident" }))],
  ["ledger.post: unbalanced postings", postTransaction(admin, bad({
    communityId: C, unit: "points", kind: "transfer", memo: "", postings: [{ accountId: "a", amount: 5 }, { accountId: "b", amount: -4 }]
  }))]
]

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

describe("InvalidInput in zh-CN", () => {
  it.layer(layer)((it) => {
    for (const [label, run] of samples) {
      it.effect(label, () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(run)
          expect(error).toBeInstanceOf(InvalidInput)
          const e = error as InvalidInput
          expect(e.issues.length).toBeGreaterThan(0)
          for (const issue of e.issues) {
            expect(["required", "type", "enum", "integer", "range", "pattern", "too-long", "too-short", "length", "unexpected", "invalid"]).toContain(issue.problem)
            expect(issue.text["zh-CN"], `${issue.path}: ${issue.text["zh-CN"]}`).not.toMatch(/[A-Za-z]/)
            expect(issue.text["zh-CN"]).toMatch(/[\u4e00-\u9fff]/)
            expect(issue.message).toBe(issue.text.en)
          }
          // Remove the identifiers the message names on purpose; nothing else may be ASCII letters.
          let rest = e.text["zh-CN"]
          for (const id of [e.command, ...e.issues.map((i) => i.path)].filter((x) => x !== "").sort((a, b) => b.length - a.length)) {
            rest = rest.replace(new RegExp(escape(id), "g"), "")
          }
          expect(rest, e.text["zh-CN"]).not.toMatch(/[A-Za-z]/)
          // Never the value: the phone number appears in no text, in no locale.
          expect(JSON.stringify([e.text, e.issues.map((i) => i.text)])).not.toContain(phone)
        }))
    }

    it("statuses in state errors are named in Chinese", () => {
      expect(new Voting.ProposalNotOpen({ proposalId: "p-1", status: "draft", expected: "open|closed" }).text["zh-CN"])
        .toBe("提案 p-1 当前状态为「草稿」，此操作需要「表决中或已截止」")
      expect(new Issues.InvalidTransition({ caseId: "2026-000001", command: "issues.start", from: "closed" }).text["zh-CN"])
        .toBe("工单 2026-000001 当前状态为「已办结」，不能执行 issues.start")
    })

    it.effect("entity names in NotFound are localized", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Voting.openProposal(admin, { communityId: C, proposalId: "nope" }))
        expect(error._tag).toBe("NotFound")
        expect((error as { text: { "zh-CN": string } }).text["zh-CN"]).toBe("未找到提案（nope）")
      }))
  })
})
