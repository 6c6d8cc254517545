/**
 * Incentive tables (积分激励): profiles, cap counters, awards, leaderboard
 * period totals, the redemption catalogue and redemptions. The points
 * themselves live on the kernel ledger.
 *
 * Every primary key and index starts with `community_id`. Ids that lists are
 * ordered by use the "C" collation, so the database orders them as the core
 * does (by code point), whatever the cluster's locale. No foreign keys to
 * the directory or the ledger: the port does not promise them (profiles and
 * awards may name residents and accounts the store has never seen).
 */
export const up = /* sql */ `
CREATE TABLE gz_incentives_profiles (
  community_id text NOT NULL,
  resident_id  text COLLATE "C" NOT NULL,
  account_id   text NOT NULL,
  lifetime     bigint NOT NULL CHECK (lifetime >= 0),
  level        integer NOT NULL CHECK (level >= 0),
  opted_out    boolean NOT NULL,
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL,
  CONSTRAINT gz_incentives_profiles_pkey PRIMARY KEY (community_id, resident_id),
  -- one points account per resident
  CONSTRAINT gz_incentives_profiles_account UNIQUE (community_id, account_id)
);

-- Tumbling-window cap counters: one row per (community, resident, scope key, period),
-- overwritten when a new window starts.
CREATE TABLE gz_incentives_counters (
  community_id text NOT NULL,
  resident_id  text COLLATE "C" NOT NULL,
  scope_key    text COLLATE "C" NOT NULL CHECK (scope_key <> ''),
  period       text NOT NULL CHECK (period IN ('day', 'week', 'month')),
  window_no    bigint NOT NULL,
  used         bigint NOT NULL CHECK (used >= 0),
  CONSTRAINT gz_incentives_counters_pkey PRIMARY KEY (community_id, resident_id, scope_key, period)
);

CREATE TABLE gz_incentives_awards (
  community_id     text NOT NULL,
  award_id         text NOT NULL,
  -- insertion order, used only to order awards of the same time
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  resident_id      text COLLATE "C" NOT NULL,
  action           text NOT NULL CHECK (action ~ '^[a-z][a-z0-9-]{0,39}$'),
  source           text NOT NULL CHECK (source IN ('event', 'manual', 'peer')),
  status           text NOT NULL CHECK (status IN ('awarded', 'capped', 'revoked')),
  requested        bigint NOT NULL CHECK (requested > 0),
  points           bigint NOT NULL CHECK (points >= 0),
  bonus            bigint NOT NULL CHECK (bonus >= 0),
  cap_scope        text CHECK (cap_scope IN ('action', 'resident', 'pair')),
  cap_period       text CHECK (cap_period IN ('day', 'week', 'month')),
  cap_limit        bigint CHECK (cap_limit >= 0),
  cap_used         bigint CHECK (cap_used >= 0),
  granted_by       text NOT NULL,
  giver_id         text,
  reason           text,
  source_event_id  text,
  tx_id            text,
  bonus_tx_id      text,
  revocation_tx_id text,
  revocation_key   text,
  idempotency_key  text,
  fingerprint      text NOT NULL,
  awarded_at       bigint NOT NULL,
  CONSTRAINT gz_incentives_awards_pkey PRIMARY KEY (community_id, award_id),
  CONSTRAINT gz_incentives_awards_key UNIQUE (community_id, idempotency_key),
  CONSTRAINT gz_incentives_awards_points CHECK (points <= requested),
  -- a capped award names its cap and moved nothing; a granted one has its ledger transaction
  CONSTRAINT gz_incentives_awards_cap CHECK (num_nulls(cap_scope, cap_period, cap_limit, cap_used) IN (0, 4)),
  CONSTRAINT gz_incentives_awards_capped CHECK (
    (status = 'capped') = (cap_scope IS NOT NULL)
    AND (status = 'capped') = (tx_id IS NULL)
    AND (status <> 'capped' OR (points = 0 AND bonus = 0))
  ),
  CONSTRAINT gz_incentives_awards_bonus CHECK ((bonus > 0) = (bonus_tx_id IS NOT NULL)),
  CONSTRAINT gz_incentives_awards_revoked CHECK (
    (status = 'revoked') = (revocation_tx_id IS NOT NULL)
    AND (revocation_key IS NULL OR status = 'revoked')
  ),
  -- a peer award names its giver, who is not the receiver; no other award has a giver
  CONSTRAINT gz_incentives_awards_peer CHECK ((source = 'peer') = (giver_id IS NOT NULL) AND giver_id <> resident_id)
);
CREATE INDEX gz_incentives_awards_by_resident ON gz_incentives_awards (community_id, resident_id, awarded_at, seq);

-- Only awarded -> revoked (with its reversal); nothing else about an award ever changes.
CREATE FUNCTION gz_incentives_awards_check_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  IF NOT (OLD.status = 'awarded' AND NEW.status = 'revoked') THEN
    RAISE EXCEPTION 'award % cannot go from % to %', OLD.award_id, OLD.status, NEW.status USING ERRCODE = '23514';
  END IF;
  IF (NEW.community_id, NEW.award_id, NEW.seq, NEW.resident_id, NEW.action, NEW.source, NEW.requested, NEW.points,
      NEW.bonus, NEW.granted_by, NEW.giver_id, NEW.reason, NEW.source_event_id, NEW.tx_id, NEW.bonus_tx_id,
      NEW.idempotency_key, NEW.fingerprint, NEW.awarded_at)
     IS DISTINCT FROM
     (OLD.community_id, OLD.award_id, OLD.seq, OLD.resident_id, OLD.action, OLD.source, OLD.requested, OLD.points,
      OLD.bonus, OLD.granted_by, OLD.giver_id, OLD.reason, OLD.source_event_id, OLD.tx_id, OLD.bonus_tx_id,
      OLD.idempotency_key, OLD.fingerprint, OLD.awarded_at) THEN
    RAISE EXCEPTION 'award %: only its revocation may change', OLD.award_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_incentives_awards_update BEFORE UPDATE ON gz_incentives_awards
  FOR EACH ROW EXECUTE FUNCTION gz_incentives_awards_check_update();
CREATE TRIGGER gz_incentives_awards_no_delete BEFORE DELETE ON gz_incentives_awards
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- Leaderboard totals per period (month:2026-11, year:2026) and resident.
CREATE TABLE gz_incentives_period_totals (
  community_id text NOT NULL,
  period       text COLLATE "C" NOT NULL CHECK (period <> ''),
  resident_id  text COLLATE "C" NOT NULL,
  points       bigint NOT NULL,
  reached_at   bigint NOT NULL,
  CONSTRAINT gz_incentives_period_totals_pkey PRIMARY KEY (community_id, period, resident_id)
);

CREATE TABLE gz_incentives_items (
  community_id text NOT NULL,
  item_id      text COLLATE "C" NOT NULL CHECK (item_id ~ '^[a-z][a-z0-9-]{0,39}$'),
  kind         text NOT NULL CHECK (kind IN ('property-fee-discount', 'parking-hours', 'activity-room-priority', 'goods')),
  name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  cost         bigint NOT NULL CHECK (cost > 0),
  -- units left; NULL: unlimited
  stock        bigint CONSTRAINT gz_incentives_items_stock CHECK (stock IS NULL OR stock >= 0),
  limit_count  integer CHECK (limit_count > 0),
  limit_period text CHECK (limit_period IN ('month', 'year', 'ever')),
  value        bigint CHECK (value >= 0),
  active       boolean NOT NULL,
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL,
  CONSTRAINT gz_incentives_items_pkey PRIMARY KEY (community_id, item_id),
  CONSTRAINT gz_incentives_items_limit CHECK ((limit_count IS NULL) = (limit_period IS NULL))
);

CREATE TABLE gz_incentives_redemptions (
  community_id    text NOT NULL,
  redemption_id   text NOT NULL,
  -- insertion order, used only to order redemptions of the same time
  seq             bigint GENERATED ALWAYS AS IDENTITY,
  resident_id     text COLLATE "C" NOT NULL,
  item_id         text COLLATE "C" NOT NULL,
  quantity        integer NOT NULL CHECK (quantity > 0),
  points          bigint NOT NULL CHECK (points > 0),
  status          text NOT NULL CHECK (status IN ('pending', 'fulfilled', 'cancelled')),
  limit_window    bigint NOT NULL,
  tx_id           text NOT NULL,
  refund_tx_id    text,
  reason          text,
  idempotency_key text,
  fingerprint     text NOT NULL,
  redeemed_at     bigint NOT NULL,
  closed_at       bigint,
  CONSTRAINT gz_incentives_redemptions_pkey PRIMARY KEY (community_id, redemption_id),
  CONSTRAINT gz_incentives_redemptions_key UNIQUE (community_id, idempotency_key),
  CONSTRAINT gz_incentives_redemptions_item FOREIGN KEY (community_id, item_id) REFERENCES gz_incentives_items (community_id, item_id),
  -- pending until closed; a cancelled redemption was refunded, and only a cancelled one
  CONSTRAINT gz_incentives_redemptions_closed CHECK ((status = 'pending') = (closed_at IS NULL)),
  CONSTRAINT gz_incentives_redemptions_refund CHECK ((status = 'cancelled') = (refund_tx_id IS NOT NULL))
);
CREATE INDEX gz_incentives_redemptions_by_resident ON gz_incentives_redemptions (community_id, resident_id, redeemed_at, seq);
CREATE INDEX gz_incentives_redemptions_by_item ON gz_incentives_redemptions (community_id, item_id);

-- pending -> fulfilled | cancelled, once; what was redeemed never changes.
CREATE FUNCTION gz_incentives_redemptions_check_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  IF NOT (OLD.status = 'pending' AND NEW.status IN ('fulfilled', 'cancelled')) THEN
    RAISE EXCEPTION 'redemption % cannot go from % to %', OLD.redemption_id, OLD.status, NEW.status USING ERRCODE = '23514';
  END IF;
  IF (NEW.community_id, NEW.redemption_id, NEW.seq, NEW.resident_id, NEW.item_id, NEW.quantity, NEW.points,
      NEW.limit_window, NEW.tx_id, NEW.idempotency_key, NEW.fingerprint, NEW.redeemed_at)
     IS DISTINCT FROM
     (OLD.community_id, OLD.redemption_id, OLD.seq, OLD.resident_id, OLD.item_id, OLD.quantity, OLD.points,
      OLD.limit_window, OLD.tx_id, OLD.idempotency_key, OLD.fingerprint, OLD.redeemed_at) THEN
    RAISE EXCEPTION 'redemption %: only its closing may change', OLD.redemption_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_incentives_redemptions_update BEFORE UPDATE ON gz_incentives_redemptions
  FOR EACH ROW EXECUTE FUNCTION gz_incentives_redemptions_check_update();
CREATE TRIGGER gz_incentives_redemptions_no_delete BEFORE DELETE ON gz_incentives_redemptions
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- A resident's profile for a read-modify-write (inside a transaction): a
-- transaction-scoped advisory lock on (community, resident) first, so that
-- commands for a resident who has no profile yet also run one after the
-- other, then the row FOR UPDATE. The SELECT is a new statement of a
-- volatile function, so under READ COMMITTED it sees what the previous lock
-- holder committed.
CREATE FUNCTION gz_incentives_profile_for_update(p_community text, p_resident text)
  RETURNS SETOF gz_incentives_profiles LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('gz_incentives:profile:' || p_community || chr(31) || p_resident, 0));
  RETURN QUERY SELECT * FROM gz_incentives_profiles
    WHERE community_id = p_community AND resident_id = p_resident FOR UPDATE;
END $$;

-- Idempotency lookups inside a transaction: a transaction-scoped advisory
-- lock on the key first, so that a concurrent replay waits for the first
-- request and then finds its result instead of racing it.
CREATE FUNCTION gz_incentives_award_by_key(p_community text, p_key text)
  RETURNS SETOF gz_incentives_awards LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('gz_incentives:award-key:' || p_community || chr(31) || p_key, 0));
  RETURN QUERY SELECT * FROM gz_incentives_awards WHERE community_id = p_community AND idempotency_key = p_key;
END $$;

CREATE FUNCTION gz_incentives_redemption_by_key(p_community text, p_key text)
  RETURNS SETOF gz_incentives_redemptions LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('gz_incentives:redemption-key:' || p_community || chr(31) || p_key, 0));
  RETURN QUERY SELECT * FROM gz_incentives_redemptions WHERE community_id = p_community AND idempotency_key = p_key;
END $$;
`
