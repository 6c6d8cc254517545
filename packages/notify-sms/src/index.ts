/**
 * `@gongzhi/notify-sms`: notification delivery over real SMS providers.
 * Drivers for Aliyun SMS, Tencent Cloud SMS and Twilio behind one
 * {@link SmsProvider} interface; the core's `SmsChannel` over any of them
 * ({@link SmsChannelLive}); delivery receipts and replies by SMS from the
 * providers' callbacks; and a fake provider server for tests and demos.
 *
 * @example
 * import { Notifications } from "@gongzhi/core"
 * import { SmsChannelLive, aliyunSms, withRetry } from "@gongzhi/notify-sms"
 * const Sms = SmsChannelLive({
 *   provider: withRetry(aliyunSms({ accessKeyId, accessKeySecret, signName: "某某社区" })),
 *   templates: { "notify.smsVoteOpened": { templateCode: "SMS_123456789", params: ["title", "closes", "options_zh"] } }
 * })
 *
 * @since 0.2.0
 */
export * from "./aliyun.js"
export * from "./channel.js"
export * from "./fake-server.js"
export * from "./phone.js"
export * from "./provider.js"
export * from "./segments.js"
export * from "./signing.js"
export * from "./tencent.js"
export * from "./twilio.js"
export * from "./webhooks.js"
