/**
 * Outgoing notifications. Commands never send anything: a journal
 * subscriber ({@link notificationSubscriber}) turns events into
 * {@link OutgoingMessage}s and hands them to the `Notifier` port, which an
 * adapter implements over SMS, a mini-program's subscription messages, e-mail
 * or a kiosk printer.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import { Locale, type LocalizedText, type NotificationFailed, type StoreUnavailable } from "./errors.js"
import { CommunityId, ResidentId, StaffId } from "./ids.js"
import type { JournalEntry } from "./journal.js"
import type { Subscriber } from "./subscribers.js"

/**
 * Who receives a message. Always by id: the adapter looks the address up in
 * the directory, so phone numbers never travel through events.
 *
 * @since 0.1.0
 * @category notifications
 */
export const Recipient = Schema.Union(
  Schema.TaggedStruct("Resident", { residentId: ResidentId }),
  Schema.TaggedStruct("Staff", { staffId: StaffId })
)
/**
 * @since 0.1.0
 * @category notifications
 */
export type Recipient = typeof Recipient.Type

/**
 * A channel-agnostic outgoing message.
 *
 * @since 0.1.0
 * @category notifications
 */
export class OutgoingMessage extends Schema.Class<OutgoingMessage>("OutgoingMessage")({
  communityId: CommunityId,
  recipient: Recipient,
  templateId: Schema.String,
  params: Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) }),
  locale: Locale,
  /** Channels deduplicate on it: sending the same key twice delivers once. */
  idempotencyKey: Schema.String
}) {}

/**
 * The notification port.
 *
 * @since 0.1.0
 * @category ports
 */
export class Notifier extends Context.Tag("@gongzhi/core/Notifier")<
  Notifier,
  {
    readonly send: (message: OutgoingMessage) => Effect.Effect<void, NotificationFailed | StoreUnavailable>
  }
>() {}

/**
 * Message templates by id, each in zh-CN and en. Placeholders are `{name}`.
 *
 * @since 0.1.0
 * @category notifications
 */
export class NotificationTemplates extends Context.Tag("@gongzhi/core/NotificationTemplates")<
  NotificationTemplates,
  {
    readonly get: (templateId: string) => Option.Option<LocalizedText>
    readonly ids: ReadonlyArray<string>
  }
>() {
  /**
   * A template registry from a record; later records override earlier ones,
   * so integrators can replace Gongzhi's wording.
   *
   * @since 0.1.0
   */
  static readonly layer = (
    ...sources: ReadonlyArray<Readonly<Record<string, LocalizedText>>>
  ): Layer.Layer<NotificationTemplates> => {
    const all: Record<string, LocalizedText> = Object.assign({}, coreTemplates, ...sources)
    return Layer.succeed(NotificationTemplates, {
      get: (id) => Option.fromNullable(all[id]),
      ids: Object.keys(all).sort()
    })
  }
}

/**
 * The templates the kernel itself uses.
 *
 * @since 0.1.0
 * @category notifications
 */
export const coreTemplates: Readonly<Record<string, LocalizedText>> = {
  "kernel.deadLetter": {
    "zh-CN": "后台任务 {subscriber} 处理第 {seq} 条记录失败：{reason}",
    en: "Background task {subscriber} failed on entry {seq}: {reason}"
  },
  "ledger.posted": {
    "zh-CN": "您的账户 {account} 变动 {amount}{unit}，当前余额 {balance}{unit}。",
    en: "Your account {account} changed by {amount} {unit}; balance {balance} {unit}."
  }
}

/**
 * Fills `{name}` placeholders; unknown placeholders are left as they are.
 *
 * @since 0.1.0
 * @category notifications
 */
export const renderTemplate = (template: string, params: Readonly<Record<string, string | number>>): string =>
  template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const v = params[name]
    return v === undefined ? whole : String(v)
  })

/**
 * Renders a message's text in its locale with the registered templates.
 *
 * @since 0.1.0
 * @category notifications
 */
export const renderMessage = (
  message: OutgoingMessage
): Effect.Effect<Option.Option<string>, never, NotificationTemplates> =>
  Effect.map(NotificationTemplates, (t) =>
    Option.map(t.get(message.templateId), (text) => renderTemplate(text[message.locale], message.params))
  )

/**
 * A journal subscriber that turns entries into messages and sends them. The
 * idempotency key of each message should derive from `entry.eventId`, so a
 * redelivered entry does not message anyone twice.
 *
 * @since 0.1.0
 * @category notifications
 */
export const notificationSubscriber = <R, E = never>(
  name: string,
  toMessages: (entry: JournalEntry) => Effect.Effect<ReadonlyArray<OutgoingMessage>, E, R>,
  options: Omit<Subscriber, "name" | "handle"> = {}
): Subscriber<R | Notifier> => ({
  ...options,
  name,
  handle: (entry) =>
    Effect.flatMap(toMessages(entry), (messages) =>
      Effect.forEach(messages, (m) => Effect.flatMap(Notifier, (n) => n.send(m)), { discard: true })
    )
})
