/**
 * Time bank tables: service types, service records (with their confirmation,
 * dispute and reversal state) and per-resident yearly totals. Balances live
 * in the kernel's ledger.
 *
 * Everything is relational: the dispute is a fixed sub-record (reason, who
 * raised it and when, and the staff resolution), kept in columns of the
 * service so that the database can check it against the service's status.
 *
 * No foreign keys to the directory (the port does not promise that the
 * directory lives in this database) nor to the ledger (a record may be stored
 * before, or without, its deposit). Identifiers use the "C" collation so that
 * ordering is by code point, exactly as the core and the memory store sort.
 */
export const up = /* sql */ `
CREATE TABLE gz_timebank_service_types (
  community_id        text NOT NULL,
  code                text COLLATE "C" NOT NULL CHECK (code ~ '^[a-z][a-z0-9_-]{0,39}$'),
  name_zh_cn          text NOT NULL CHECK (char_length(name_zh_cn) BETWEEN 1 AND 100),
  name_en             text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 100),
  multiplier_permille integer NOT NULL CHECK (multiplier_permille BETWEEN 1 AND 100000),
  active              boolean NOT NULL,
  updated_at          bigint NOT NULL CHECK (updated_at >= 0),
  PRIMARY KEY (community_id, code)
);

CREATE TABLE gz_timebank_services (
  community_id        text NOT NULL,
  service_id          text COLLATE "C" NOT NULL CHECK (service_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
  provider_id         text COLLATE "C" NOT NULL,
  recipient_id        text COLLATE "C" NOT NULL,
  service_type        text COLLATE "C" NOT NULL CHECK (service_type ~ '^[a-z][a-z0-9_-]{0,39}$'),
  multiplier_permille integer NOT NULL CHECK (multiplier_permille BETWEEN 1 AND 100000),
  minutes             bigint NOT NULL CHECK (minutes > 0),
  started_at          bigint CHECK (started_at >= 0),
  ended_at            bigint CHECK (ended_at >= 0),
  performed_at        bigint NOT NULL CHECK (performed_at >= 0),
  year                integer NOT NULL,
  centi_hours         bigint NOT NULL CHECK (centi_hours > 0),
  note                text NOT NULL,
  status              text NOT NULL CHECK (status IN ('pending', 'disputed', 'credited', 'rejected', 'reversed')),
  recorded_at         bigint NOT NULL CHECK (recorded_at >= 0),
  recorded_by         text NOT NULL,
  idempotency_key     text,
  fingerprint         text NOT NULL,
  confirmed_at        bigint CHECK (confirmed_at >= 0),
  confirmed_by        text,
  credit_tx_id        text,
  dispute_reason      text,
  dispute_raised_by   text,
  dispute_raised_at   bigint CHECK (dispute_raised_at >= 0),
  resolution_outcome  text CHECK (resolution_outcome IN ('credit', 'reject')),
  resolution_minutes  bigint CHECK (resolution_minutes > 0),
  resolution_note     text,
  resolved_by         text,
  resolved_at         bigint CHECK (resolved_at >= 0),
  reversed_at         bigint CHECK (reversed_at >= 0),
  reversed_by         text,
  reversal_tx_id      text,
  reversal_reason     text,
  version             integer NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, service_id),
  -- A ledger deposit credits one service, and a reversal takes back one.
  CONSTRAINT gz_timebank_services_credit_tx UNIQUE (community_id, credit_tx_id),
  CONSTRAINT gz_timebank_services_reversal_tx UNIQUE (community_id, reversal_tx_id),
  CONSTRAINT gz_timebank_services_not_self CHECK (provider_id <> recipient_id),
  -- Start and end go together, the end after the start.
  CONSTRAINT gz_timebank_services_span CHECK (
    (started_at IS NULL AND ended_at IS NULL) OR (started_at IS NOT NULL AND ended_at IS NOT NULL AND ended_at > started_at)
  ),
  -- Sub-records are all or nothing.
  CONSTRAINT gz_timebank_services_confirmation CHECK (
    num_nonnulls(confirmed_at, confirmed_by, credit_tx_id) IN (0, 3)
  ),
  CONSTRAINT gz_timebank_services_dispute CHECK (
    num_nonnulls(dispute_reason, dispute_raised_by, dispute_raised_at) IN (0, 3)
  ),
  CONSTRAINT gz_timebank_services_resolution CHECK (
    num_nonnulls(resolution_outcome, resolution_note, resolved_by, resolved_at) IN (0, 4)
    AND (resolution_outcome IS NULL OR dispute_reason IS NOT NULL)
    AND (resolution_minutes IS NULL OR resolution_outcome IS NOT NULL)
  ),
  CONSTRAINT gz_timebank_services_reversal CHECK (
    num_nonnulls(reversed_at, reversed_by, reversal_tx_id, reversal_reason) IN (0, 4)
    AND (reversal_tx_id IS NULL OR reversal_tx_id IS DISTINCT FROM credit_tx_id)
  ),
  -- What each status allows: only a credited (or since reversed) service has a
  -- deposit; an open dispute has no resolution; a resolution matches the
  -- outcome; only a reversed service has a reversal, and a reversed one has it.
  CONSTRAINT gz_timebank_services_state CHECK (
    CASE status
      WHEN 'pending'  THEN credit_tx_id IS NULL AND dispute_reason IS NULL
      WHEN 'disputed' THEN credit_tx_id IS NULL AND resolution_outcome IS NULL
      WHEN 'rejected' THEN credit_tx_id IS NULL AND resolution_outcome IS NOT DISTINCT FROM 'reject'
      WHEN 'credited' THEN resolution_outcome IS DISTINCT FROM 'reject'
      WHEN 'reversed' THEN resolution_outcome IS DISTINCT FROM 'reject'
    END
    AND (status = 'reversed') = (reversed_at IS NOT NULL)
  )
);
-- One service per idempotency key and community.
CREATE UNIQUE INDEX gz_timebank_services_idempotency_key ON gz_timebank_services (community_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
-- listServices: by recordedAt then id, optionally by provider, recipient or status.
CREATE INDEX gz_timebank_services_by_recorded ON gz_timebank_services (community_id, recorded_at, service_id);
CREATE INDEX gz_timebank_services_by_provider ON gz_timebank_services (community_id, provider_id, recorded_at, service_id);
CREATE INDEX gz_timebank_services_by_recipient ON gz_timebank_services (community_id, recipient_id, recorded_at, service_id);
CREATE INDEX gz_timebank_services_by_status ON gz_timebank_services (community_id, status, recorded_at, service_id);

-- Every update is the next version of the same service along the life cycle
--   pending -> disputed | credited, disputed -> rejected | credited, credited -> reversed
-- (rejected and reversed are final), and a deposit, once recorded, never changes:
-- a service is credited once.
CREATE FUNCTION gz_timebank_services_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.community_id, NEW.service_id, NEW.provider_id, NEW.recipient_id, NEW.service_type, NEW.multiplier_permille,
      NEW.year, NEW.recorded_at, NEW.recorded_by, NEW.idempotency_key, NEW.fingerprint)
     IS DISTINCT FROM
     (OLD.community_id, OLD.service_id, OLD.provider_id, OLD.recipient_id, OLD.service_type, OLD.multiplier_permille,
      OLD.year, OLD.recorded_at, OLD.recorded_by, OLD.idempotency_key, OLD.fingerprint) THEN
    RAISE EXCEPTION 'service %: who, what, when and the request cannot change', OLD.service_id USING ERRCODE = '23514';
  END IF;
  IF NEW.version <> OLD.version + 1 THEN
    RAISE EXCEPTION 'service % must go from version % to %', OLD.service_id, OLD.version, OLD.version + 1 USING ERRCODE = '23514';
  END IF;
  IF NOT (NEW.status = OLD.status AND OLD.status NOT IN ('rejected', 'reversed')
       OR OLD.status = 'pending'  AND NEW.status IN ('disputed', 'credited')
       OR OLD.status = 'disputed' AND NEW.status IN ('rejected', 'credited')
       OR OLD.status = 'credited' AND NEW.status = 'reversed') THEN
    RAISE EXCEPTION 'service % cannot go from % to %', OLD.service_id, OLD.status, NEW.status USING ERRCODE = '23514';
  END IF;
  IF OLD.credit_tx_id IS NOT NULL AND (NEW.credit_tx_id, NEW.confirmed_at, NEW.confirmed_by, NEW.minutes, NEW.centi_hours)
       IS DISTINCT FROM (OLD.credit_tx_id, OLD.confirmed_at, OLD.confirmed_by, OLD.minutes, OLD.centi_hours) THEN
    RAISE EXCEPTION 'service % was credited by % and stays so', OLD.service_id, OLD.credit_tx_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_timebank_services_guard BEFORE UPDATE ON gz_timebank_services
  FOR EACH ROW EXECUTE FUNCTION gz_timebank_services_guard();

-- Yearly totals per resident: actual minutes (and credit) given, minutes received.
CREATE TABLE gz_timebank_totals (
  community_id      text NOT NULL,
  year              integer NOT NULL,
  resident_id       text COLLATE "C" NOT NULL,
  given_minutes     bigint NOT NULL DEFAULT 0 CHECK (given_minutes >= 0),
  given_centi_hours bigint NOT NULL DEFAULT 0 CHECK (given_centi_hours >= 0),
  services_given    bigint NOT NULL DEFAULT 0 CHECK (services_given >= 0),
  received_minutes  bigint NOT NULL DEFAULT 0 CHECK (received_minutes >= 0),
  services_received bigint NOT NULL DEFAULT 0 CHECK (services_received >= 0),
  PRIMARY KEY (community_id, year, resident_id)
);
`
