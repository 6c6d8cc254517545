/**
 * Notification delivery (通知): a durable outbox filled in the causing
 * transaction, delivery workers with retries and dead letters, residents'
 * channels, language, quiet hours and opt-outs, the staff call list,
 * delivery receipts, and replies by SMS (vote, confirm a service, STOP).
 * SMS providers live in `@gongzhi/notify-sms`.
 *
 * @since 0.2.0
 */
export * from "./errors.js"
export * from "./events.js"
export * from "./model.js"
export * from "./rules.js"
export * from "./service.js"
export * from "./store.js"
