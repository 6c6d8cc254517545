/**
 * Notification tables: the outbox (one row per message, with its delivery
 * state and claim lease), residents' preferences and SMS reply codes.
 *
 * `seq` (an identity) orders the outbox: per-recipient delivery follows it.
 * Every key and index starts with `community_id`, as everywhere else, so
 * receipts are looked up within a community (the webhook URL names it).
 * The partial index on pending rows keeps the claim query (`FOR UPDATE SKIP
 * LOCKED`) and its "first in line per recipient" check on the rows that are
 * still waiting. Reply codes are unique per community for ever, so an old
 * code cannot be replayed as a new one.
 */
export const up = /* sql */ `
CREATE TABLE gz_notify_outbox (
  community_id        text NOT NULL,
  entry_id            text COLLATE "C" NOT NULL,
  seq                 bigint GENERATED ALWAYS AS IDENTITY,
  recipient           jsonb NOT NULL CHECK (jsonb_typeof(recipient) = 'object' AND recipient ? '_tag'),
  recipient_key       text COLLATE "C" NOT NULL,
  category            text NOT NULL CHECK (category ~ '^[a-z][a-z0-9_.-]{0,39}$'),
  urgent              boolean NOT NULL,
  template_id         text NOT NULL CHECK (char_length(template_id) BETWEEN 1 AND 100),
  params              jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  idempotency_key     text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
  source_event_id     text,
  status              text NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'dead', 'skipped', 'call-list')),
  attempts            integer NOT NULL CHECK (attempts >= 0),
  next_attempt_at     bigint NOT NULL,
  claim_token         text,
  claimed_until       bigint,
  channel             text,
  provider            text,
  provider_message_id text,
  provider_code       text,
  segments            integer CHECK (segments >= 0),
  reason              text,
  created_at          bigint NOT NULL,
  updated_at          bigint NOT NULL,
  sent_at             bigint,
  delivered_at        bigint,
  PRIMARY KEY (community_id, entry_id),
  CONSTRAINT gz_notify_outbox_idempotency UNIQUE (community_id, idempotency_key),
  CHECK ((claim_token IS NULL) = (claimed_until IS NULL))
);
CREATE INDEX gz_notify_outbox_pending ON gz_notify_outbox (community_id, seq) INCLUDE (next_attempt_at, claimed_until) WHERE status = 'pending';
CREATE INDEX gz_notify_outbox_pending_recipient ON gz_notify_outbox (community_id, recipient_key, seq) INCLUDE (urgent) WHERE status = 'pending';
CREATE INDEX gz_notify_outbox_recipient ON gz_notify_outbox (community_id, recipient_key, seq);
CREATE INDEX gz_notify_outbox_status ON gz_notify_outbox (community_id, status, seq);
CREATE UNIQUE INDEX gz_notify_outbox_provider_message ON gz_notify_outbox (community_id, provider, provider_message_id)
  WHERE provider_message_id IS NOT NULL;

CREATE TABLE gz_notify_preferences (
  community_id  text NOT NULL,
  resident_id   text COLLATE "C" NOT NULL,
  channels      jsonb NOT NULL CHECK (jsonb_typeof(channels) = 'array'),
  locale        text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
  quiet_start   integer CHECK (quiet_start BETWEEN 0 AND 1439),
  quiet_end     integer CHECK (quiet_end BETWEEN 0 AND 1439),
  opted_out     jsonb NOT NULL CHECK (jsonb_typeof(opted_out) = 'array'),
  stopped       boolean NOT NULL,
  updated_at    bigint NOT NULL,
  PRIMARY KEY (community_id, resident_id),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

CREATE TABLE gz_notify_reply_codes (
  community_id  text NOT NULL,
  code          text COLLATE "C" NOT NULL CHECK (code ~ '^[0-9]{6}$'),
  purpose       text NOT NULL CHECK (purpose IN ('vote', 'service-confirmation')),
  subject_id    text NOT NULL,
  group_id      text COLLATE "C" NOT NULL,
  household_id  text,
  resident_ids  jsonb NOT NULL CHECK (jsonb_typeof(resident_ids) = 'array'),
  choice        jsonb,
  label         text NOT NULL,
  issued_at     bigint NOT NULL,
  expires_at    bigint NOT NULL,
  used_at       bigint,
  used_by       text,
  PRIMARY KEY (community_id, code)
);
CREATE INDEX gz_notify_reply_codes_group ON gz_notify_reply_codes (community_id, group_id);
`
