import { type DirectorySnapshot, Notifications, Role, StaffActor, StaffId, Voting } from "@gongzhi/core"
import { aliyunSms, handleInbound, maskE164, normalizeMobile, SmsChannelLive, startFakeSmsServer } from "@gongzhi/notify-sms"
import { Effect } from "effect"
import { heading, line } from "../print.js"
import type { Chapter } from "./index.js"

const creds = { accessKeyId: "LTAI-demo", accessKeySecret: "demo-secret" }

/** Notifications by SMS: a vote opening sent to every owner through the fake provider, and a reply counted once. */
export const notificationsChapter: Chapter = (community: DirectorySnapshot) =>
  Effect.gen(function* () {
    const c = community.community.id
    const committee = new StaffActor({ communityId: c, staffId: StaffId.make("s-demo-committee"), roles: [Role.make("committee")], departments: [] })
    heading("Notifications by SMS (短信通知与短信投票)")
    const fake = yield* Effect.acquireRelease(Effect.promise(() => startFakeSmsServer({ aliyun: creds })), (f) => Effect.promise(() => f.close()))
    line(`a fake Aliyun SMS endpoint listens on ${fake.url}; it checks every request's ACS3 signature`)
    const sms = SmsChannelLive({
      provider: aliyunSms({ ...creds, signName: "幸福里社区", endpoint: fake.url }),
      templates: {
        "notify.smsVoteOpened": { templateCode: "SMS_DEMO_1", params: ["title", "closes", "options_zh"] },
        "notify.replyAccepted": { templateCode: "SMS_DEMO_2", params: ["label_zh"] },
        "notify.replyRejected": { templateCode: "SMS_DEMO_3", params: ["reason_zh"] }
      }
    })
    yield* Effect.gen(function* () {
      const p = yield* Voting.createProposal(committee, {
        communityId: c, title: "更换单元门禁", body: "Replace the door locks of every unit.", rule: "civil-code-278-ordinary"
      })
      yield* Voting.scheduleProposal(committee, { communityId: c, proposalId: p.id })
      const opened = yield* Voting.openProposal(committee, { communityId: c, proposalId: p.id })
      const issued = yield* Notifications.openSmsVote(committee, { communityId: c, proposalId: opened.id })
      line(`vote "${opened.title}" opened: reply codes for ${issued.groups} voting units, ${issued.messages} messages in the outbox`)
      const report = yield* Notifications.deliverAll({ communityId: c })
      line(`the delivery worker sent ${report.sent}; ${report.callList} owners without a usable phone are on the staff call list`)
      const first = fake.sent[0]!
      const params = first.params as Record<string, string>
      line(`e.g. to ${maskE164(first.to)}: template ${first.templateCode}, 【幸福里社区】${params.title}，截止${params.closes}。请回复：${params.options_zh}`)
      // the owner replies from their phone
      const owner = community.residents.find((r) => r.phone !== undefined && normalizeMobile(r.phone) === first.to)!
      const yes = /([0-9]{6}) 同意/.exec(params.options_zh!)![1]!
      const voted = yield* handleInbound(c, { provider: "aliyun", from: owner.phone!, text: yes, id: "mo-1" })
      line(`${owner.name} replies "${yes}": ${voted._tag}`)
      const again = yield* Effect.flip(handleInbound(c, { provider: "aliyun", from: owner.phone!, text: yes, id: "mo-2" }))
      line(`the same reply again: ${again._tag} (${(again as { text?: { "zh-CN": string } }).text?.["zh-CN"] ?? ""}); the ballot counts once`)
      const ballots = yield* Effect.flatMap(Voting.VotingStore, (s) => s.listOpenBallots(c, opened.id))
      line(`ballots recorded: ${ballots.length}, channel ${ballots.map((b) => b.channel).join(", ")}`)
      const after = yield* Notifications.deliverAll({ communityId: c })
      line(`${after.sent} replies went out: a confirmation and the refusal's reason`)
    }).pipe(Effect.provide(sms))
  }).pipe(Effect.scoped)
