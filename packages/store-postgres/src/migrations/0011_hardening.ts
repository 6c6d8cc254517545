/**
 * Hardening (issue 20).
 *
 * - Every `gz_` table refuses `TRUNCATE` (a statement-level BEFORE TRUNCATE
 *   trigger): the library never truncates, and a TRUNCATE of the journal or
 *   the ledger would erase history that the row triggers protect from UPDATE
 *   and DELETE. (`gz_issues_timeline` had its guard since 0003.)
 * - `gz_grant_app_role(role)`: run by the owner role that runs migrations, it
 *   grants a separate application role exactly what the library does: SELECT
 *   and INSERT everywhere, UPDATE except on history tables, DELETE only where
 *   the library deletes, never TRUNCATE, never ownership (an owner could
 *   disable the triggers). `gongzhi-pg check` verifies the result.
 * - `gz_ledger_tx_by_key`: an idempotency-key lookup that takes a
 *   transaction-scoped advisory lock on the key first, so a second request
 *   with the key of a request still being committed waits for it and then
 *   reads its result (a volatile function reads with a new snapshot).
 */
export const up = /* sql */ `
-- Secret ballots (see docs/voting.md, "Secret ballots: threat model"): the bag
-- holds ballots waiting to be mixed (with their unit's weights, for at most
-- secretMixEvery ballots); a mix, in a transaction of its own, moves them in
-- a random order into gz_voting_secret_mixed (receipt and choice only) and
-- their weights into per-choice sums.
ALTER TABLE gz_voting_secret_ballots ADD COLUMN retraction boolean NOT NULL DEFAULT false;
-- No default left behind: the adapter writes every column.
ALTER TABLE gz_voting_secret_ballots ALTER COLUMN retraction DROP DEFAULT;
CREATE TABLE gz_voting_secret_mixed (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  receipt_hash text COLLATE "C" NOT NULL CHECK (receipt_hash ~ '^[0-9a-f]{64}$'),
  choice       jsonb NOT NULL CHECK (jsonb_typeof(choice) = 'object'
                 AND coalesce(choice->>'type', '') IN ('yes-no', 'single', 'multiple', 'approval', 'score', 'ranked')),
  PRIMARY KEY (community_id, proposal_id, receipt_hash)
);
CREATE TABLE gz_voting_secret_totals (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  choice_key   text COLLATE "C" NOT NULL,
  affected     boolean NOT NULL,
  choice       jsonb NOT NULL CHECK (jsonb_typeof(choice) = 'object'),
  ballots      bigint NOT NULL CHECK (ballots > 0),
  heads        bigint NOT NULL CHECK (heads >= 0),
  area_dm2     bigint NOT NULL CHECK (area_dm2 >= 0),
  weight       bigint NOT NULL CHECK (weight >= 0),
  PRIMARY KEY (community_id, proposal_id, choice_key, affected)
);

-- Installs a BEFORE TRUNCATE guard on every gz_ table that has none. Called
-- here and by the migration runner after every run, so tables of later
-- migrations are guarded too.
CREATE FUNCTION gz_install_truncate_guards() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE t record; n integer := 0;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'gz\\_%'
      AND NOT EXISTS (
        SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal AND (g.tgtype & 32) <> 0
      )
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION gz_forbid_change()',
      t.relname || '_no_truncate', t.relname
    );
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;
SELECT gz_install_truncate_guards();

-- Tables whose rows are history: the application role never updates them.
CREATE FUNCTION gz_history_tables() RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  VALUES ('gz_journal'), ('gz_ledger_postings'), ('gz_ledger_transactions'), ('gz_voting_unit_owners'),
         ('gz_voting_rounds'), ('gz_issues_timeline'), ('gz_issues_report_keys'), ('gz_schema_migrations')
$$;

-- Tables the library deletes rows from (every other table: no DELETE).
CREATE FUNCTION gz_deletable_tables() RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  VALUES ('gz_dead_letters'), ('gz_issues_followers'), ('gz_staff_departments'), ('gz_household_owners'),
         ('gz_resident_family'), ('gz_voting_extensions'), ('gz_voting_secret_ballots'), ('gz_voting_secret_mixed'),
         ('gz_voting_secret_totals')
$$;

-- Grants an application role exactly the privileges the library needs on
-- every gz_ table of the current schema. Run it as the owner after each
-- migration (gongzhi-pg grant ROLE does).
CREATE FUNCTION gz_grant_app_role(p_role name) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t record;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
  FOR t IN
    SELECT c.relname FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'gz\\_%'
  LOOP
    EXECUTE format('REVOKE ALL ON %I FROM %I', t.relname, p_role);
    IF t.relname = 'gz_schema_migrations' THEN
      EXECUTE format('GRANT SELECT ON %I TO %I', t.relname, p_role);
      CONTINUE;
    END IF;
    EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t.relname, p_role);
    IF t.relname NOT IN (SELECT gz_history_tables()) THEN
      EXECUTE format('GRANT UPDATE ON %I TO %I', t.relname, p_role);
    END IF;
    IF t.relname IN (SELECT gz_deletable_tables()) THEN
      EXECUTE format('GRANT DELETE ON %I TO %I', t.relname, p_role);
    END IF;
  END LOOP;
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), p_role);
END $$;

CREATE FUNCTION gz_ledger_tx_by_key(p_community text, p_key text)
  RETURNS SETOF gz_ledger_transactions LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('gz_ledger:key:' || p_community || chr(31) || p_key, 0));
  RETURN QUERY SELECT * FROM gz_ledger_transactions WHERE community_id = p_community AND idempotency_key = p_key;
END $$;
`
