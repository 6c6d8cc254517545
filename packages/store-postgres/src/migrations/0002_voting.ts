/**
 * Voting tables: proposals (with their deadline extensions), the frozen
 * electorate with its "has voted" markers, open ballots, the anonymous bag of
 * secret ballots, paper ballots awaiting confirmation, and proxies.
 *
 * No foreign keys to the directory or between proposals and their ballots:
 * the port does not promise them (a voting store may be used without a
 * directory in this database). Identifiers use the "C" collation so that
 * ordering is by code point, exactly as the core and the memory store sort.
 *
 * Secrecy: `gz_voting_secret_ballots` has no time, no serial or identity and
 * nothing else that orders its rows; the markers on `gz_voting_units` are
 * updated in place and carry no time either.
 */
export const up = /* sql */ `
CREATE TABLE gz_voting_proposals (
  community_id           text NOT NULL,
  proposal_id            text COLLATE "C" NOT NULL,
  title                  text NOT NULL,
  body                   text NOT NULL,
  proposer_id            text COLLATE "C",
  created_by             text NOT NULL,
  status                 text NOT NULL CHECK (status IN ('review', 'draft', 'scheduled', 'open', 'decided', 'withdrawn')),
  ballot                 jsonb NOT NULL CHECK (jsonb_typeof(ballot) = 'object'
                           AND coalesce(ballot->>'type', '') IN ('yes-no', 'single', 'multiple', 'approval', 'score', 'ranked')),
  rule                   jsonb NOT NULL CHECK (jsonb_typeof(rule) = 'object' AND rule ? 'id'),
  tally_measure          text NOT NULL CHECK (tally_measure IN ('headcount', 'area', 'weight')),
  scope_type             text NOT NULL CHECK (scope_type IN ('community', 'buildings', 'units', 'households')),
  scope_ids              text[] NOT NULL DEFAULT '{}',
  owner_policy           text NOT NULL CHECK (owner_policy IN ('per-part', 'per-owner')),
  affected_household_ids text[] NOT NULL DEFAULT '{}',
  secret                 boolean NOT NULL,
  vote_change            text NOT NULL CHECK (vote_change IN ('last-counts', 'no-change', 'paper-overrides')),
  period_ms              bigint NOT NULL CHECK (period_ms > 0),
  opens_at               bigint,
  closes_at              bigint,
  opened_at              bigint,
  closed_at              bigint,
  outcome                text CHECK (outcome IN ('passed', 'rejected', 'failed-quorum')),
  result                 jsonb,
  created_at             bigint NOT NULL,
  version                integer NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, proposal_id),
  CONSTRAINT gz_voting_proposals_scope CHECK ((scope_type = 'community') = (cardinality(scope_ids) = 0)),
  CONSTRAINT gz_voting_proposals_period CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at),
  -- A decided proposal has its outcome and closing time; only a decided one has an outcome.
  CONSTRAINT gz_voting_proposals_decided CHECK (
    CASE WHEN status = 'decided' THEN outcome IS NOT NULL AND closed_at IS NOT NULL ELSE outcome IS NULL END
  )
);
CREATE INDEX gz_voting_proposals_by_created ON gz_voting_proposals (community_id, created_at, proposal_id);
CREATE INDEX gz_voting_proposals_by_status ON gz_voting_proposals (community_id, status, created_at, proposal_id);

-- Every update is a new version (version + 1), and a decided or withdrawn proposal is final.
CREATE FUNCTION gz_voting_proposals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.community_id <> OLD.community_id OR NEW.proposal_id <> OLD.proposal_id THEN
    RAISE EXCEPTION 'a proposal keeps its id' USING ERRCODE = '23514';
  END IF;
  IF OLD.status IN ('decided', 'withdrawn') THEN
    RAISE EXCEPTION 'proposal % is % and cannot change', OLD.proposal_id, OLD.status USING ERRCODE = '23514';
  END IF;
  IF NEW.version <> OLD.version + 1 THEN
    RAISE EXCEPTION 'proposal % must go from version % to %', OLD.proposal_id, OLD.version, OLD.version + 1 USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_voting_proposals_guard BEFORE UPDATE ON gz_voting_proposals
  FOR EACH ROW EXECUTE FUNCTION gz_voting_proposals_guard();

-- Deadline extensions, audited: each moves the deadline later.
CREATE TABLE gz_voting_extensions (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  position     integer NOT NULL CHECK (position >= 0),
  from_at      bigint NOT NULL,
  to_at        bigint NOT NULL,
  reason       text NOT NULL,
  by_ref       text NOT NULL,
  PRIMARY KEY (community_id, proposal_id, position),
  FOREIGN KEY (community_id, proposal_id) REFERENCES gz_voting_proposals (community_id, proposal_id) ON DELETE CASCADE,
  CONSTRAINT gz_voting_extensions_later CHECK (to_at > from_at)
);

-- The frozen electorate: one row per voting unit, with its "has voted" marker
-- (voted, by_proxy, channel, participant_id) updated in place. No time.
CREATE TABLE gz_voting_units (
  community_id   text NOT NULL,
  proposal_id    text COLLATE "C" NOT NULL,
  unit_id        text COLLATE "C" NOT NULL,
  household_ids  text[] NOT NULL,
  heads          bigint NOT NULL CHECK (heads >= 0),
  area_dm2       bigint NOT NULL CHECK (area_dm2 >= 0),
  weight         bigint NOT NULL CHECK (weight >= 0),
  affected       boolean NOT NULL,
  floor          integer NOT NULL,
  voted          boolean NOT NULL DEFAULT false,
  by_proxy       boolean NOT NULL DEFAULT false,
  channel        text CHECK (channel IN ('online', 'paper', 'sms', 'on-site', 'door-to-door')),
  participant_id text COLLATE "C",
  PRIMARY KEY (community_id, proposal_id, unit_id),
  -- A unit is named after its first household.
  CONSTRAINT gz_voting_units_named CHECK (cardinality(household_ids) >= 1 AND household_ids[1] IS NOT DISTINCT FROM unit_id),
  -- The marker is all or nothing: a unit that voted says how and for whom; one that did not says nothing.
  CONSTRAINT gz_voting_units_marker CHECK (
    CASE WHEN voted THEN channel IS NOT NULL AND participant_id IS NOT NULL
    ELSE channel IS NULL AND participant_id IS NULL AND NOT by_proxy END
  )
);

-- Owners of each voting unit, in the unit's order; found by owner.
CREATE TABLE gz_voting_unit_owners (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  owner_id     text COLLATE "C" NOT NULL,
  unit_id      text COLLATE "C" NOT NULL,
  position     integer NOT NULL CHECK (position >= 0),
  PRIMARY KEY (community_id, proposal_id, owner_id, unit_id),
  UNIQUE (community_id, proposal_id, unit_id, position),
  FOREIGN KEY (community_id, proposal_id, unit_id) REFERENCES gz_voting_units (community_id, proposal_id, unit_id)
);

-- The electorate is frozen: a proposal's units (and their owners) are inserted
-- by one statement, only the marker changes, and a unit that voted stays voted.
CREATE FUNCTION gz_voting_electorate_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'gz_voting_units' THEN
    IF EXISTS (
      SELECT 1 FROM (SELECT community_id, proposal_id, count(*) AS n FROM new_rows GROUP BY 1, 2) r
      WHERE (SELECT count(*) FROM gz_voting_units u WHERE u.community_id = r.community_id AND u.proposal_id = r.proposal_id) <> r.n
    ) THEN
      RAISE EXCEPTION 'a proposal''s electorate is frozen: its voting units are inserted at once' USING ERRCODE = '23514';
    END IF;
  ELSE
    IF EXISTS (
      SELECT 1 FROM (SELECT community_id, proposal_id, count(*) AS n FROM new_rows GROUP BY 1, 2) r
      WHERE (SELECT count(*) FROM gz_voting_unit_owners o WHERE o.community_id = r.community_id AND o.proposal_id = r.proposal_id) <> r.n
    ) THEN
      RAISE EXCEPTION 'a proposal''s electorate is frozen: its owners are inserted at once' USING ERRCODE = '23514';
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER gz_voting_units_once AFTER INSERT ON gz_voting_units
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gz_voting_electorate_once();
CREATE TRIGGER gz_voting_unit_owners_once AFTER INSERT ON gz_voting_unit_owners
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gz_voting_electorate_once();

CREATE FUNCTION gz_voting_units_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.community_id, NEW.proposal_id, NEW.unit_id, NEW.household_ids, NEW.heads, NEW.area_dm2, NEW.weight, NEW.affected, NEW.floor)
     IS DISTINCT FROM
     (OLD.community_id, OLD.proposal_id, OLD.unit_id, OLD.household_ids, OLD.heads, OLD.area_dm2, OLD.weight, OLD.affected, OLD.floor) THEN
    RAISE EXCEPTION 'voting unit % is frozen: only its marker may change', OLD.unit_id USING ERRCODE = '23514';
  END IF;
  IF OLD.voted AND NOT NEW.voted THEN
    RAISE EXCEPTION 'voting unit % has voted and stays voted', OLD.unit_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_voting_units_frozen BEFORE UPDATE ON gz_voting_units
  FOR EACH ROW EXECUTE FUNCTION gz_voting_units_frozen();
CREATE TRIGGER gz_voting_units_no_delete BEFORE DELETE ON gz_voting_units
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();
CREATE TRIGGER gz_voting_unit_owners_append_only BEFORE UPDATE OR DELETE ON gz_voting_unit_owners
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- Open (named) ballots: exactly one per voting unit and proposal (replaced on a change).
CREATE TABLE gz_voting_open_ballots (
  community_id    text NOT NULL,
  proposal_id     text COLLATE "C" NOT NULL,
  voting_unit_id  text COLLATE "C" NOT NULL,
  choice          jsonb NOT NULL CHECK (jsonb_typeof(choice) = 'object'
                    AND coalesce(choice->>'type', '') IN ('yes-no', 'single', 'multiple', 'approval', 'score', 'ranked')),
  channel         text NOT NULL CHECK (channel IN ('online', 'paper', 'sms', 'on-site', 'door-to-door')),
  cast_by         text NOT NULL,
  proxy_holder_id text COLLATE "C",
  scan_ref        text,
  confirmed_by    text,
  cast_at         bigint NOT NULL,
  PRIMARY KEY (community_id, proposal_id, voting_unit_id),
  -- A paper ballot counts only with its scan and a second staff member's confirmation.
  CONSTRAINT gz_voting_open_ballots_paper CHECK (channel <> 'paper' OR (scan_ref IS NOT NULL AND confirmed_by IS NOT NULL)),
  CONSTRAINT gz_voting_open_ballots_four_eyes CHECK (confirmed_by IS NULL OR confirmed_by <> cast_by)
);

-- Secret ballots: the anonymous bag, keyed by the receipt's hash only. No time,
-- no voter, no channel, no serial or identity: nothing orders the rows but the hash.
CREATE TABLE gz_voting_secret_ballots (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  receipt_hash text COLLATE "C" NOT NULL CHECK (receipt_hash ~ '^[0-9a-f]{64}$'),
  choice       jsonb NOT NULL CHECK (jsonb_typeof(choice) = 'object'
                 AND coalesce(choice->>'type', '') IN ('yes-no', 'single', 'multiple', 'approval', 'score', 'ranked')),
  heads        bigint NOT NULL CHECK (heads >= 0),
  area_dm2     bigint NOT NULL CHECK (area_dm2 >= 0),
  weight       bigint NOT NULL CHECK (weight >= 0),
  affected     boolean NOT NULL,
  PRIMARY KEY (community_id, proposal_id, receipt_hash)
);

-- Paper ballots entered by a clerk, kept apart until a second staff member decides.
CREATE TABLE gz_voting_paper_ballots (
  community_id    text NOT NULL,
  proposal_id     text COLLATE "C" NOT NULL,
  paper_ballot_id text COLLATE "C" NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'corrected')),
  scan_ref        text NOT NULL,
  choice          jsonb NOT NULL CHECK (jsonb_typeof(choice) = 'object'
                    AND coalesce(choice->>'type', '') IN ('yes-no', 'single', 'multiple', 'approval', 'score', 'ranked')),
  entered_by      text NOT NULL,
  voting_unit_id  text COLLATE "C",
  voter_id        text COLLATE "C",
  on_behalf_of    text COLLATE "C",
  heads           bigint NOT NULL CHECK (heads >= 0),
  area_dm2        bigint NOT NULL CHECK (area_dm2 >= 0),
  weight          bigint NOT NULL CHECK (weight >= 0),
  affected        boolean NOT NULL,
  correction_of   text COLLATE "C",
  decided_by      text,
  reason          text,
  PRIMARY KEY (community_id, proposal_id, paper_ballot_id),
  -- A rejected ballot is corrected (re-entered) once.
  UNIQUE (community_id, proposal_id, correction_of),
  FOREIGN KEY (community_id, proposal_id, correction_of) REFERENCES gz_voting_paper_ballots (community_id, proposal_id, paper_ballot_id),
  CONSTRAINT gz_voting_paper_ballots_not_self CHECK (correction_of IS NULL OR correction_of <> paper_ballot_id),
  -- Pending until someone decides; decided by someone.
  CONSTRAINT gz_voting_paper_ballots_decided CHECK ((status = 'pending') = (decided_by IS NULL)),
  -- Four eyes: the second staff member is not the one who entered it.
  CONSTRAINT gz_voting_paper_ballots_four_eyes CHECK (decided_by IS NULL OR decided_by <> entered_by),
  -- Open votes name the unit and the voter; secret votes name neither.
  CONSTRAINT gz_voting_paper_ballots_named CHECK ((voting_unit_id IS NULL) = (voter_id IS NULL)),
  CONSTRAINT gz_voting_paper_ballots_proxy CHECK (on_behalf_of IS NULL OR voter_id IS NOT NULL)
);
CREATE INDEX gz_voting_paper_ballots_by_status ON gz_voting_paper_ballots (community_id, proposal_id, status, paper_ballot_id);

-- Confirmation state: pending -> confirmed | rejected, rejected -> corrected, and
-- nothing but the decision (status, decided_by, reason) ever changes.
CREATE FUNCTION gz_voting_paper_ballots_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.community_id, NEW.proposal_id, NEW.paper_ballot_id, NEW.scan_ref, NEW.choice, NEW.entered_by, NEW.voting_unit_id,
      NEW.voter_id, NEW.on_behalf_of, NEW.heads, NEW.area_dm2, NEW.weight, NEW.affected, NEW.correction_of)
     IS DISTINCT FROM
     (OLD.community_id, OLD.proposal_id, OLD.paper_ballot_id, OLD.scan_ref, OLD.choice, OLD.entered_by, OLD.voting_unit_id,
      OLD.voter_id, OLD.on_behalf_of, OLD.heads, OLD.area_dm2, OLD.weight, OLD.affected, OLD.correction_of) THEN
    RAISE EXCEPTION 'paper ballot %: only the decision may change', OLD.paper_ballot_id USING ERRCODE = '23514';
  END IF;
  IF NOT ((OLD.status = 'pending' AND NEW.status IN ('confirmed', 'rejected'))
       OR (OLD.status = 'rejected' AND NEW.status = 'corrected')) THEN
    RAISE EXCEPTION 'paper ballot % cannot go from % to %', OLD.paper_ballot_id, OLD.status, NEW.status USING ERRCODE = '23514';
  END IF;
  IF OLD.decided_by IS NOT NULL AND NEW.decided_by IS DISTINCT FROM OLD.decided_by THEN
    RAISE EXCEPTION 'paper ballot % was decided by %', OLD.paper_ballot_id, OLD.decided_by USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_voting_paper_ballots_guard BEFORE UPDATE ON gz_voting_paper_ballots
  FOR EACH ROW EXECUTE FUNCTION gz_voting_paper_ballots_guard();
CREATE TRIGGER gz_voting_paper_ballots_no_delete BEFORE DELETE ON gz_voting_paper_ballots
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- Proxies (委托投票): one per principal and proposal, replaced when re-registered.
CREATE TABLE gz_voting_proxies (
  community_id  text NOT NULL,
  proposal_id   text COLLATE "C" NOT NULL,
  principal_id  text COLLATE "C" NOT NULL,
  holder_id     text COLLATE "C" NOT NULL,
  document_ref  text NOT NULL,
  registered_by text NOT NULL,
  revoked       boolean NOT NULL DEFAULT false,
  revoked_by    text,
  revoke_reason text,
  PRIMARY KEY (community_id, proposal_id, principal_id),
  CONSTRAINT gz_voting_proxies_not_self CHECK (principal_id <> holder_id),
  CONSTRAINT gz_voting_proxies_revocation CHECK (revoked OR (revoked_by IS NULL AND revoke_reason IS NULL))
);
CREATE INDEX gz_voting_proxies_by_holder ON gz_voting_proxies (community_id, proposal_id, holder_id, principal_id);
`
