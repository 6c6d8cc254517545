/**
 * Kernel tables: directory, journal, subscriptions, ledger.
 *
 * Every primary key and index starts with `community_id`, so a deployment can
 * distribute the tables by community later (e.g. Citus) without changes.
 */
export const up = /* sql */ `
CREATE TABLE gz_communities (
  community_id text PRIMARY KEY,
  name         text NOT NULL,
  time_zone    text NOT NULL DEFAULT 'Asia/Shanghai'
);

CREATE TABLE gz_buildings (
  community_id text NOT NULL REFERENCES gz_communities (community_id),
  building_id  text NOT NULL,
  name         text NOT NULL,
  floors       integer NOT NULL CHECK (floors BETWEEN 1 AND 200),
  has_elevator boolean NOT NULL DEFAULT false,
  PRIMARY KEY (community_id, building_id)
);

CREATE TABLE gz_units (
  community_id text NOT NULL,
  unit_id      text NOT NULL,
  building_id  text NOT NULL,
  name         text NOT NULL,
  PRIMARY KEY (community_id, unit_id),
  FOREIGN KEY (community_id, building_id) REFERENCES gz_buildings (community_id, building_id)
);

CREATE TABLE gz_households (
  community_id       text NOT NULL,
  household_id       text NOT NULL,
  building_id        text NOT NULL,
  unit_id            text NOT NULL,
  floor              integer NOT NULL,
  label              text NOT NULL,
  exclusive_area_dm2 bigint NOT NULL CHECK (exclusive_area_dm2 >= 0),
  PRIMARY KEY (community_id, household_id),
  FOREIGN KEY (community_id, building_id) REFERENCES gz_buildings (community_id, building_id),
  FOREIGN KEY (community_id, unit_id) REFERENCES gz_units (community_id, unit_id)
);
CREATE INDEX gz_households_by_unit ON gz_households (community_id, unit_id);

CREATE TABLE gz_residents (
  community_id    text NOT NULL REFERENCES gz_communities (community_id),
  resident_id     text NOT NULL,
  name            text NOT NULL,
  household_id    text,
  kind            text NOT NULL CHECK (kind IN ('owner', 'tenant', 'family')),
  birth_year      integer,
  phone           text,
  prefers_offline boolean NOT NULL DEFAULT false,
  locale          text NOT NULL DEFAULT 'zh-CN',
  PRIMARY KEY (community_id, resident_id),
  FOREIGN KEY (community_id, household_id) REFERENCES gz_households (community_id, household_id)
);
CREATE INDEX gz_residents_by_household ON gz_residents (community_id, household_id);

CREATE TABLE gz_household_owners (
  community_id text NOT NULL,
  household_id text NOT NULL,
  resident_id  text NOT NULL,
  position     integer NOT NULL,
  PRIMARY KEY (community_id, household_id, resident_id),
  FOREIGN KEY (community_id, household_id) REFERENCES gz_households (community_id, household_id) ON DELETE CASCADE,
  FOREIGN KEY (community_id, resident_id) REFERENCES gz_residents (community_id, resident_id)
);

CREATE TABLE gz_resident_family (
  community_id text NOT NULL,
  resident_id  text NOT NULL,
  relative_id  text NOT NULL,
  relation     text NOT NULL CHECK (relation IN ('parent', 'child', 'spouse', 'sibling', 'grandparent', 'grandchild', 'other')),
  position     integer NOT NULL,
  PRIMARY KEY (community_id, resident_id, relative_id),
  FOREIGN KEY (community_id, resident_id) REFERENCES gz_residents (community_id, resident_id) ON DELETE CASCADE,
  FOREIGN KEY (community_id, relative_id) REFERENCES gz_residents (community_id, resident_id) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE gz_departments (
  community_id  text NOT NULL REFERENCES gz_communities (community_id),
  department_id text NOT NULL,
  name          text NOT NULL,
  PRIMARY KEY (community_id, department_id)
);

CREATE TABLE gz_staff (
  community_id text NOT NULL REFERENCES gz_communities (community_id),
  staff_id     text NOT NULL,
  name         text NOT NULL,
  roles        text[] NOT NULL DEFAULT '{}',
  phone        text,
  PRIMARY KEY (community_id, staff_id)
);

CREATE TABLE gz_staff_departments (
  community_id  text NOT NULL,
  staff_id      text NOT NULL,
  department_id text NOT NULL,
  position      integer NOT NULL,
  PRIMARY KEY (community_id, staff_id, department_id),
  FOREIGN KEY (community_id, staff_id) REFERENCES gz_staff (community_id, staff_id) ON DELETE CASCADE,
  FOREIGN KEY (community_id, department_id) REFERENCES gz_departments (community_id, department_id)
);

-- The journal: append-only, gap-free, hash-chained per community.
CREATE TABLE gz_journal (
  community_id text NOT NULL,
  seq          bigint NOT NULL CHECK (seq > 0),
  event_id     text NOT NULL,
  type         text NOT NULL,
  occurred_at  bigint NOT NULL,
  payload      jsonb NOT NULL,
  prev_hash    char(64) NOT NULL,
  hash         char(64) NOT NULL,
  PRIMARY KEY (community_id, seq),
  UNIQUE (community_id, event_id)
);
CREATE INDEX gz_journal_by_type ON gz_journal (community_id, type, seq);

CREATE TABLE gz_journal_heads (
  community_id text PRIMARY KEY,
  seq          bigint NOT NULL,
  hash         char(64) NOT NULL,
  FOREIGN KEY (community_id, seq) REFERENCES gz_journal (community_id, seq)
);

-- Take a community's append lock (until the transaction ends) and read its head in one call.
-- Inside a volatile function each statement takes a new snapshot, so the head read here is
-- the one committed by whoever held the lock before (a single SELECT would see an older snapshot).
CREATE FUNCTION gz_journal_lock_head(p_community text, OUT seq bigint, OUT hash char(64)) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('gz_journal:' || p_community, 0));
  SELECT h.seq, h.hash INTO seq, hash FROM gz_journal_heads h WHERE h.community_id = p_community;
END $$;

-- Gap-free chain: an entry must follow the previous one and point at its hash.
CREATE FUNCTION gz_journal_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE previous char(64);
BEGIN
  IF NEW.seq = 1 THEN
    IF NEW.prev_hash <> repeat('0', 64) THEN
      RAISE EXCEPTION 'journal entry 1 of % must start the chain', NEW.community_id USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
  END IF;
  SELECT hash INTO previous FROM gz_journal WHERE community_id = NEW.community_id AND seq = NEW.seq - 1;
  IF previous IS NULL OR previous <> NEW.prev_hash THEN
    RAISE EXCEPTION 'journal entry % of % does not follow entry %', NEW.seq, NEW.community_id, NEW.seq - 1 USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_journal_chain BEFORE INSERT ON gz_journal FOR EACH ROW EXECUTE FUNCTION gz_journal_check_chain();

CREATE FUNCTION gz_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END $$;
CREATE TRIGGER gz_journal_append_only BEFORE UPDATE OR DELETE ON gz_journal FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- Journal subscribers: durable cursors and dead letters.
CREATE TABLE gz_subscription_cursors (
  community_id text NOT NULL,
  subscriber   text NOT NULL,
  position     bigint NOT NULL DEFAULT 0 CHECK (position >= 0),
  PRIMARY KEY (community_id, subscriber)
);

CREATE TABLE gz_dead_letters (
  community_id text NOT NULL,
  subscriber   text NOT NULL,
  seq          bigint NOT NULL,
  event_id     text NOT NULL,
  type         text NOT NULL,
  reason       text NOT NULL,
  attempts     integer NOT NULL,
  failed_at    bigint NOT NULL,
  PRIMARY KEY (community_id, subscriber, seq),
  FOREIGN KEY (community_id, seq) REFERENCES gz_journal (community_id, seq)
);

-- The ledger: accounts, transactions, postings (double entry).
CREATE TABLE gz_ledger_accounts (
  community_id text NOT NULL,
  account_id   text NOT NULL,
  unit         text NOT NULL CHECK (unit IN ('fen', 'points', 'centi-hours')),
  kind         text NOT NULL,
  owner        text,
  floor        bigint,
  balance      bigint NOT NULL DEFAULT 0,
  created_at   bigint NOT NULL,
  PRIMARY KEY (community_id, account_id),
  UNIQUE (community_id, account_id, unit),
  CONSTRAINT gz_ledger_accounts_floor CHECK (floor IS NULL OR balance >= floor)
);
CREATE INDEX gz_ledger_accounts_by_owner ON gz_ledger_accounts (community_id, owner);

CREATE TABLE gz_ledger_transactions (
  community_id    text NOT NULL,
  tx_id           text NOT NULL,
  unit            text NOT NULL CHECK (unit IN ('fen', 'points', 'centi-hours')),
  kind            text NOT NULL,
  memo            text NOT NULL,
  reverses        text,
  idempotency_key text,
  fingerprint     text NOT NULL,
  posted_at       bigint NOT NULL,
  PRIMARY KEY (community_id, tx_id),
  UNIQUE (community_id, idempotency_key),
  UNIQUE (community_id, reverses),
  UNIQUE (community_id, tx_id, unit),
  FOREIGN KEY (community_id, reverses) REFERENCES gz_ledger_transactions (community_id, tx_id)
);
CREATE INDEX gz_ledger_transactions_by_time ON gz_ledger_transactions (community_id, posted_at);

CREATE TABLE gz_ledger_postings (
  community_id  text NOT NULL,
  entry_no      bigint GENERATED ALWAYS AS IDENTITY,
  tx_id         text NOT NULL,
  account_id    text NOT NULL,
  unit          text NOT NULL,
  position      integer NOT NULL,
  amount        bigint NOT NULL CHECK (amount <> 0),
  balance_after bigint NOT NULL,
  posted_at     bigint NOT NULL,
  PRIMARY KEY (community_id, tx_id, account_id),
  -- The posting's unit must be both its transaction's and its account's.
  FOREIGN KEY (community_id, tx_id, unit) REFERENCES gz_ledger_transactions (community_id, tx_id, unit),
  FOREIGN KEY (community_id, account_id, unit) REFERENCES gz_ledger_accounts (community_id, account_id, unit)
);
CREATE INDEX gz_ledger_postings_by_account ON gz_ledger_postings (community_id, account_id, posted_at, entry_no);

-- Double entry as a constraint: the postings a statement inserts sum to zero
-- per transaction, and a transaction's postings are inserted by one statement.
CREATE FUNCTION gz_ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows GROUP BY community_id, tx_id HAVING sum(amount) <> 0
  ) THEN
    RAISE EXCEPTION 'ledger postings must sum to zero per transaction' USING ERRCODE = '23514';
  END IF;
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT community_id, tx_id FROM new_rows) n
    JOIN gz_ledger_postings p USING (community_id, tx_id)
    GROUP BY n.community_id, n.tx_id
    HAVING count(*) <> (SELECT count(*) FROM new_rows r WHERE r.community_id = n.community_id AND r.tx_id = n.tx_id)
  ) THEN
    RAISE EXCEPTION 'a ledger transaction''s postings must be inserted together' USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER gz_ledger_balanced AFTER INSERT ON gz_ledger_postings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gz_ledger_check_balanced();
CREATE TRIGGER gz_ledger_postings_append_only BEFORE UPDATE OR DELETE ON gz_ledger_postings
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();
CREATE TRIGGER gz_ledger_transactions_append_only BEFORE UPDATE OR DELETE ON gz_ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();
`
