/**
 * Voting, second part: deliberation (discussion posts with moderation,
 * amendments, negotiation rounds with minutes), the objection period after a
 * preliminary result, automatic extensions, and a cost plan attached to a
 * proposal. Migration 0002 is never edited: its constraints that change are
 * dropped and added again here.
 *
 * As in 0002, no foreign keys to the directory or from these tables to the
 * proposals (the port does not promise them); identifiers use the "C"
 * collation so ordering is by code point, as in the core and the memory store.
 */
export const up = /* sql */ `
-- Lifecycle: a 'closed' proposal has a preliminary result during its objection
-- period; 'void' is an outcome only a decided proposal can have.
ALTER TABLE gz_voting_proposals DROP CONSTRAINT gz_voting_proposals_status_check;
ALTER TABLE gz_voting_proposals ADD CONSTRAINT gz_voting_proposals_status_check
  CHECK (status IN ('review', 'draft', 'scheduled', 'open', 'closed', 'decided', 'withdrawn'));
ALTER TABLE gz_voting_proposals DROP CONSTRAINT gz_voting_proposals_outcome_check;
ALTER TABLE gz_voting_proposals ADD CONSTRAINT gz_voting_proposals_outcome_check
  CHECK (outcome IN ('passed', 'rejected', 'failed-quorum', 'void'));
ALTER TABLE gz_voting_proposals DROP CONSTRAINT gz_voting_proposals_decided;
ALTER TABLE gz_voting_proposals ADD CONSTRAINT gz_voting_proposals_decided CHECK (
  CASE WHEN status IN ('closed', 'decided') THEN outcome IS NOT NULL AND closed_at IS NOT NULL ELSE outcome IS NULL END
);
ALTER TABLE gz_voting_proposals
  ADD COLUMN required_rounds     integer CHECK (required_rounds >= 0),
  ADD COLUMN objection_period_ms bigint CHECK (objection_period_ms >= 0),
  ADD COLUMN objection_ends_at   bigint,
  ADD COLUMN cost_plan           jsonb CHECK (cost_plan IS NULL OR (jsonb_typeof(cost_plan) = 'object' AND cost_plan ? 'lines')),
  ADD CONSTRAINT gz_voting_proposals_void CHECK (outcome IS DISTINCT FROM 'void' OR status = 'decided'),
  -- A proposal in its objection period knows when the period ends.
  ADD CONSTRAINT gz_voting_proposals_objection CHECK (status <> 'closed' OR objection_ends_at IS NOT NULL);

-- Extensions: the automatic one (short turnout) is marked and happens once per proposal.
ALTER TABLE gz_voting_extensions ADD COLUMN automatic boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX gz_voting_extensions_one_automatic ON gz_voting_extensions (community_id, proposal_id) WHERE automatic;

-- Discussion threads. Posts are never deleted; moderation hides one with a
-- reason (once, for good); the text, author and time never change.
CREATE TABLE gz_voting_posts (
  community_id  text NOT NULL,
  proposal_id   text COLLATE "C" NOT NULL,
  post_id       text COLLATE "C" NOT NULL,
  reply_to      text COLLATE "C",
  author        text NOT NULL,
  body          text NOT NULL,
  posted_at     bigint NOT NULL,
  hidden        boolean NOT NULL DEFAULT false,
  hidden_reason text,
  hidden_by     text,
  hidden_at     bigint,
  PRIMARY KEY (community_id, proposal_id, post_id),
  -- A reply answers a post of the same proposal.
  FOREIGN KEY (community_id, proposal_id, reply_to) REFERENCES gz_voting_posts (community_id, proposal_id, post_id),
  CONSTRAINT gz_voting_posts_not_self CHECK (reply_to IS NULL OR reply_to <> post_id),
  CONSTRAINT gz_voting_posts_hidden CHECK (
    CASE WHEN hidden THEN hidden_reason IS NOT NULL AND hidden_by IS NOT NULL AND hidden_at IS NOT NULL
    ELSE hidden_reason IS NULL AND hidden_by IS NULL AND hidden_at IS NULL END
  )
);
CREATE INDEX gz_voting_posts_by_time ON gz_voting_posts (community_id, proposal_id, posted_at, post_id);

CREATE FUNCTION gz_voting_posts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.community_id, NEW.proposal_id, NEW.post_id, NEW.reply_to, NEW.author, NEW.body, NEW.posted_at)
     IS DISTINCT FROM (OLD.community_id, OLD.proposal_id, OLD.post_id, OLD.reply_to, OLD.author, OLD.body, OLD.posted_at) THEN
    RAISE EXCEPTION 'post %: only moderation may change', OLD.post_id USING ERRCODE = '23514';
  END IF;
  IF OLD.hidden AND (NEW.hidden_reason, NEW.hidden_by, NEW.hidden_at, NEW.hidden)
     IS DISTINCT FROM (OLD.hidden_reason, OLD.hidden_by, OLD.hidden_at, OLD.hidden) THEN
    RAISE EXCEPTION 'post % was hidden and stays hidden', OLD.post_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_voting_posts_guard BEFORE UPDATE ON gz_voting_posts
  FOR EACH ROW EXECUTE FUNCTION gz_voting_posts_guard();
CREATE TRIGGER gz_voting_posts_no_delete BEFORE DELETE ON gz_voting_posts
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- Amendments: pending until the committee decides, once.
CREATE TABLE gz_voting_amendments (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  amendment_id text COLLATE "C" NOT NULL,
  title        text,
  body         text NOT NULL,
  rationale    text NOT NULL,
  proposed_by  text NOT NULL,
  proposed_at  bigint NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  decided_by   text,
  decided_at   bigint,
  reason       text,
  PRIMARY KEY (community_id, proposal_id, amendment_id),
  CONSTRAINT gz_voting_amendments_decided CHECK ((status = 'pending') = (decided_by IS NULL) AND (decided_by IS NULL) = (decided_at IS NULL))
);
CREATE INDEX gz_voting_amendments_by_time ON gz_voting_amendments (community_id, proposal_id, proposed_at, amendment_id);

CREATE FUNCTION gz_voting_amendments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.community_id, NEW.proposal_id, NEW.amendment_id, NEW.title, NEW.body, NEW.rationale, NEW.proposed_by, NEW.proposed_at)
     IS DISTINCT FROM (OLD.community_id, OLD.proposal_id, OLD.amendment_id, OLD.title, OLD.body, OLD.rationale, OLD.proposed_by, OLD.proposed_at) THEN
    RAISE EXCEPTION 'amendment %: only the decision may change', OLD.amendment_id USING ERRCODE = '23514';
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'amendment % is % and cannot change', OLD.amendment_id, OLD.status USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_voting_amendments_guard BEFORE UPDATE ON gz_voting_amendments
  FOR EACH ROW EXECUTE FUNCTION gz_voting_amendments_guard();
CREATE TRIGGER gz_voting_amendments_no_delete BEFORE DELETE ON gz_voting_amendments
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- Negotiation rounds (协商会) with their minutes: numbered 1, 2, 3, ... once each, never changed.
CREATE TABLE gz_voting_rounds (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  round_id     text COLLATE "C" NOT NULL,
  number       integer NOT NULL CHECK (number >= 1),
  held_at      bigint NOT NULL,
  participants text[] NOT NULL CHECK (cardinality(participants) >= 1),
  summary      text NOT NULL,
  recorded_by  text NOT NULL,
  recorded_at  bigint NOT NULL,
  PRIMARY KEY (community_id, proposal_id, round_id),
  CONSTRAINT gz_voting_rounds_number UNIQUE (community_id, proposal_id, number),
  CONSTRAINT gz_voting_rounds_held CHECK (held_at <= recorded_at)
);
CREATE TRIGGER gz_voting_rounds_append_only BEFORE UPDATE OR DELETE ON gz_voting_rounds
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- Objections to a preliminary result: pending until the committee resolves them, once.
CREATE TABLE gz_voting_objections (
  community_id text NOT NULL,
  proposal_id  text COLLATE "C" NOT NULL,
  objection_id text COLLATE "C" NOT NULL,
  resident_id  text COLLATE "C" NOT NULL,
  reason       text NOT NULL,
  filed_at     bigint NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'upheld-recount', 'upheld-void', 'dismissed')),
  resolved_by  text,
  resolved_at  bigint,
  resolution   text,
  PRIMARY KEY (community_id, proposal_id, objection_id),
  CONSTRAINT gz_voting_objections_resolved CHECK (
    CASE WHEN status = 'pending' THEN resolved_by IS NULL AND resolved_at IS NULL AND resolution IS NULL
    ELSE resolved_by IS NOT NULL AND resolved_at IS NOT NULL AND resolution IS NOT NULL END
  )
);
CREATE INDEX gz_voting_objections_by_time ON gz_voting_objections (community_id, proposal_id, filed_at, objection_id);
CREATE INDEX gz_voting_objections_by_status ON gz_voting_objections (community_id, proposal_id, status, filed_at, objection_id);

CREATE FUNCTION gz_voting_objections_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.community_id, NEW.proposal_id, NEW.objection_id, NEW.resident_id, NEW.reason, NEW.filed_at)
     IS DISTINCT FROM (OLD.community_id, OLD.proposal_id, OLD.objection_id, OLD.resident_id, OLD.reason, OLD.filed_at) THEN
    RAISE EXCEPTION 'objection %: only the resolution may change', OLD.objection_id USING ERRCODE = '23514';
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'objection % is % and cannot change', OLD.objection_id, OLD.status USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_voting_objections_guard BEFORE UPDATE ON gz_voting_objections
  FOR EACH ROW EXECUTE FUNCTION gz_voting_objections_guard();
CREATE TRIGGER gz_voting_objections_no_delete BEFORE DELETE ON gz_voting_objections
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();
`
