/**
 * Incentives, second part: optional point expiry. Lots of points per award
 * and bonus (`gz_incentives_lots`), spent oldest first, and the draws a
 * redemption took from them (so that a refund gives them back to the same
 * lots). Migration 0004 is never edited: its update guard on redemptions is
 * replaced here to cover the new column.
 *
 * As in 0004, no foreign keys to the directory or the ledger, and none from
 * lots to awards (the port does not promise them); identifiers use the "C"
 * collation so ordering is by code point, as in the core and the memory store.
 */
export const up = /* sql */ `
CREATE TABLE gz_incentives_lots (
  community_id text NOT NULL,
  lot_id       text COLLATE "C" NOT NULL,
  resident_id  text COLLATE "C" NOT NULL,
  award_id     text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('award', 'bonus')),
  amount       bigint NOT NULL CHECK (amount > 0),
  remaining    bigint NOT NULL,
  awarded_at   bigint NOT NULL,
  expires_at   bigint NOT NULL,
  CONSTRAINT gz_incentives_lots_pkey PRIMARY KEY (community_id, lot_id),
  CONSTRAINT gz_incentives_lots_remaining CHECK (remaining >= 0 AND remaining <= amount),
  CONSTRAINT gz_incentives_lots_expiry CHECK (expires_at > awarded_at),
  -- one lot per award and kind
  CONSTRAINT gz_incentives_lots_award UNIQUE (community_id, award_id, kind)
);
-- spending order of a resident's lots with points left
CREATE INDEX gz_incentives_lots_by_resident ON gz_incentives_lots (community_id, resident_id, awarded_at, lot_id)
  WHERE remaining > 0;
-- expireDue: lots with points left by expiry
CREATE INDEX gz_incentives_lots_by_expiry ON gz_incentives_lots (community_id, expires_at, lot_id)
  WHERE remaining > 0;

-- Only remaining points change; a lot is never deleted.
CREATE FUNCTION gz_incentives_lots_check_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.community_id, NEW.lot_id, NEW.resident_id, NEW.award_id, NEW.kind, NEW.amount, NEW.awarded_at, NEW.expires_at)
     IS DISTINCT FROM
     (OLD.community_id, OLD.lot_id, OLD.resident_id, OLD.award_id, OLD.kind, OLD.amount, OLD.awarded_at, OLD.expires_at) THEN
    RAISE EXCEPTION 'lot %: only its remaining points may change', OLD.lot_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_incentives_lots_update BEFORE UPDATE ON gz_incentives_lots
  FOR EACH ROW EXECUTE FUNCTION gz_incentives_lots_check_update();
CREATE TRIGGER gz_incentives_lots_no_delete BEFORE DELETE ON gz_incentives_lots
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- What a redemption took from each lot, in spending order: written once with
-- the redemption, a closed list of {lotId, points}.
ALTER TABLE gz_incentives_redemptions
  ADD COLUMN lot_draws jsonb CONSTRAINT gz_incentives_redemptions_draws CHECK (
    lot_draws IS NULL OR (jsonb_typeof(lot_draws) = 'array' AND jsonb_array_length(lot_draws) > 0)
  );

CREATE OR REPLACE FUNCTION gz_incentives_redemptions_check_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  IF NOT (OLD.status = 'pending' AND NEW.status IN ('fulfilled', 'cancelled')) THEN
    RAISE EXCEPTION 'redemption % cannot go from % to %', OLD.redemption_id, OLD.status, NEW.status USING ERRCODE = '23514';
  END IF;
  IF (NEW.community_id, NEW.redemption_id, NEW.seq, NEW.resident_id, NEW.item_id, NEW.quantity, NEW.points,
      NEW.limit_window, NEW.tx_id, NEW.idempotency_key, NEW.fingerprint, NEW.redeemed_at, NEW.lot_draws)
     IS DISTINCT FROM
     (OLD.community_id, OLD.redemption_id, OLD.seq, OLD.resident_id, OLD.item_id, OLD.quantity, OLD.points,
      OLD.limit_window, OLD.tx_id, OLD.idempotency_key, OLD.fingerprint, OLD.redeemed_at, OLD.lot_draws) THEN
    RAISE EXCEPTION 'redemption %: only its closing may change', OLD.redemption_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
`
