/**
 * Secondary indexes that a lookup by another key cannot use.
 *
 * Every index starts with `community_id`, so each of them can serve
 * `community_id = $1 AND <key> = $2` by reading the whole community and
 * filtering. Without statistics for the rows asked about (a new table, a new
 * community, a new proposal) the planner estimates one row through every
 * index and often took one that does not hold the key; plans cached by a
 * session (trigger functions, foreign-key checks) keep that choice after the
 * table has grown. Measured before this migration, at realistic sizes and
 * without ANALYZE: the journal's chain check read 5,000 buffers per entry at
 * 14,000 entries (through the event-id index), a ballot's owner lookup read
 * the whole electorate's owners, and time-bank service updates, account,
 * award, lot and resident lookups read their community.
 *
 * Each such index is now partial on its own key column (the one after
 * `community_id`, or after the proposal) being NOT NULL: only a query that
 * names that column (any equality or range implies it) can use it, so a
 * lookup by primary key has only the primary key. Unique constraints among them become unique indexes (of the
 * same name, but for the voting owners' `gz_voting_unit_owners_by_unit`);
 * NULLs never conflicted, so uniqueness is unchanged. Lists that read
 * `gz_issues_cases_by_created` and `gz_timebank_services_by_recorded` in order
 * now always carry a condition on that column.
 *
 * The double-entry trigger's completeness check (0001) joined a statement's
 * postings with the whole table, which PostgreSQL could plan as a scan of
 * every posting (and, for a bulk insert, compared each transaction with all
 * inserted rows); it now counts each new transaction's postings by the
 * primary-key prefix `(community_id, tx_id)`.
 */
export const up = /* sql */ `
DROP INDEX gz_households_by_unit;
CREATE INDEX gz_households_by_unit ON gz_households (community_id, unit_id) WHERE unit_id IS NOT NULL;
DROP INDEX gz_residents_by_household;
CREATE INDEX gz_residents_by_household ON gz_residents (community_id, household_id) WHERE household_id IS NOT NULL;

ALTER TABLE gz_journal DROP CONSTRAINT gz_journal_community_id_event_id_key;
CREATE UNIQUE INDEX gz_journal_community_id_event_id_key ON gz_journal (community_id, event_id) WHERE event_id IS NOT NULL;
DROP INDEX gz_journal_by_type;
CREATE INDEX gz_journal_by_type ON gz_journal (community_id, type, seq) WHERE type IS NOT NULL;

DROP INDEX gz_ledger_accounts_by_owner;
CREATE INDEX gz_ledger_accounts_by_owner ON gz_ledger_accounts (community_id, owner) WHERE owner IS NOT NULL;
ALTER TABLE gz_ledger_transactions
  DROP CONSTRAINT gz_ledger_transactions_community_id_idempotency_key_key,
  DROP CONSTRAINT gz_ledger_transactions_community_id_reverses_key;
CREATE UNIQUE INDEX gz_ledger_transactions_community_id_idempotency_key_key ON gz_ledger_transactions (community_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX gz_ledger_transactions_community_id_reverses_key ON gz_ledger_transactions (community_id, reverses)
  WHERE reverses IS NOT NULL;
DROP INDEX gz_ledger_transactions_by_time;
CREATE INDEX gz_ledger_transactions_by_time ON gz_ledger_transactions (community_id, posted_at) WHERE posted_at IS NOT NULL;
DROP INDEX gz_ledger_postings_by_account;
CREATE INDEX gz_ledger_postings_by_account ON gz_ledger_postings (community_id, account_id, posted_at, entry_no)
  WHERE account_id IS NOT NULL;

ALTER TABLE gz_voting_unit_owners DROP CONSTRAINT gz_voting_unit_owners_community_id_proposal_id_unit_id_posi_key;
CREATE UNIQUE INDEX gz_voting_unit_owners_by_unit ON gz_voting_unit_owners (community_id, proposal_id, unit_id, position)
  WHERE unit_id IS NOT NULL;
DROP INDEX gz_voting_proxies_by_holder;
CREATE INDEX gz_voting_proxies_by_holder ON gz_voting_proxies (community_id, proposal_id, holder_id, principal_id)
  WHERE holder_id IS NOT NULL;
ALTER TABLE gz_voting_paper_ballots DROP CONSTRAINT gz_voting_paper_ballots_community_id_proposal_id_correction_key;
CREATE UNIQUE INDEX gz_voting_paper_ballots_community_id_proposal_id_correction_key
  ON gz_voting_paper_ballots (community_id, proposal_id, correction_of) WHERE correction_of IS NOT NULL;
DROP INDEX gz_voting_paper_ballots_by_status;
CREATE INDEX gz_voting_paper_ballots_by_status ON gz_voting_paper_ballots (community_id, proposal_id, status, paper_ballot_id)
  WHERE status IS NOT NULL;

ALTER TABLE gz_issues_cases DROP CONSTRAINT gz_issues_cases_number;
CREATE UNIQUE INDEX gz_issues_cases_number ON gz_issues_cases (community_id, number) WHERE number IS NOT NULL;
DROP INDEX gz_issues_cases_by_created;
CREATE INDEX gz_issues_cases_by_created ON gz_issues_cases (community_id, created_at, case_id) WHERE created_at IS NOT NULL;
DROP INDEX gz_issues_followers_by_resident;
CREATE INDEX gz_issues_followers_by_resident ON gz_issues_followers (community_id, resident_id, case_id) WHERE resident_id IS NOT NULL;
ALTER TABLE gz_issues_report_keys DROP CONSTRAINT gz_issues_report_keys_case;
CREATE UNIQUE INDEX gz_issues_report_keys_case ON gz_issues_report_keys (community_id, case_id) WHERE case_id IS NOT NULL;

ALTER TABLE gz_incentives_profiles DROP CONSTRAINT gz_incentives_profiles_account;
CREATE UNIQUE INDEX gz_incentives_profiles_account ON gz_incentives_profiles (community_id, account_id) WHERE account_id IS NOT NULL;
ALTER TABLE gz_incentives_awards DROP CONSTRAINT gz_incentives_awards_key;
CREATE UNIQUE INDEX gz_incentives_awards_key ON gz_incentives_awards (community_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
DROP INDEX gz_incentives_awards_by_resident;
CREATE INDEX gz_incentives_awards_by_resident ON gz_incentives_awards (community_id, resident_id, awarded_at, seq)
  WHERE resident_id IS NOT NULL;
ALTER TABLE gz_incentives_redemptions DROP CONSTRAINT gz_incentives_redemptions_key;
CREATE UNIQUE INDEX gz_incentives_redemptions_key ON gz_incentives_redemptions (community_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
DROP INDEX gz_incentives_redemptions_by_resident;
CREATE INDEX gz_incentives_redemptions_by_resident ON gz_incentives_redemptions (community_id, resident_id, redeemed_at, seq)
  WHERE resident_id IS NOT NULL;
DROP INDEX gz_incentives_redemptions_by_item;
CREATE INDEX gz_incentives_redemptions_by_item ON gz_incentives_redemptions (community_id, item_id) WHERE item_id IS NOT NULL;
ALTER TABLE gz_incentives_lots DROP CONSTRAINT gz_incentives_lots_award;
CREATE UNIQUE INDEX gz_incentives_lots_award ON gz_incentives_lots (community_id, award_id, kind) WHERE award_id IS NOT NULL;

ALTER TABLE gz_timebank_services
  DROP CONSTRAINT gz_timebank_services_credit_tx,
  DROP CONSTRAINT gz_timebank_services_reversal_tx;
CREATE UNIQUE INDEX gz_timebank_services_credit_tx ON gz_timebank_services (community_id, credit_tx_id) WHERE credit_tx_id IS NOT NULL;
CREATE UNIQUE INDEX gz_timebank_services_reversal_tx ON gz_timebank_services (community_id, reversal_tx_id) WHERE reversal_tx_id IS NOT NULL;
DROP INDEX gz_timebank_services_by_recorded;
CREATE INDEX gz_timebank_services_by_recorded ON gz_timebank_services (community_id, recorded_at, service_id) WHERE recorded_at IS NOT NULL;
DROP INDEX gz_timebank_services_by_provider;
CREATE INDEX gz_timebank_services_by_provider ON gz_timebank_services (community_id, provider_id, recorded_at, service_id)
  WHERE provider_id IS NOT NULL;
DROP INDEX gz_timebank_services_by_recipient;
CREATE INDEX gz_timebank_services_by_recipient ON gz_timebank_services (community_id, recipient_id, recorded_at, service_id)
  WHERE recipient_id IS NOT NULL;
DROP INDEX gz_timebank_services_by_status;
CREATE INDEX gz_timebank_services_by_status ON gz_timebank_services (community_id, status, recorded_at, service_id)
  WHERE status IS NOT NULL;

CREATE OR REPLACE FUNCTION gz_ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows GROUP BY community_id, tx_id HAVING sum(amount) <> 0
  ) THEN
    RAISE EXCEPTION 'ledger postings must sum to zero per transaction' USING ERRCODE = '23514';
  END IF;
  IF EXISTS (
    SELECT 1
    FROM (SELECT community_id, tx_id, count(*) AS inserted FROM new_rows GROUP BY community_id, tx_id) n
    WHERE n.inserted <> (
      SELECT count(*) FROM gz_ledger_postings p
      WHERE p.community_id = n.community_id AND p.tx_id = n.tx_id
    )
  ) THEN
    RAISE EXCEPTION 'a ledger transaction''s postings must be inserted together' USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
`
