/**
 * Issues tables (工单): cases with their deadlines, closure and reporter in
 * columns, the append-only timeline and the followers in their own tables,
 * and the per-year case-number counters.
 *
 * No foreign keys to the directory: the port does not promise them (an
 * issues store may be used without a directory in this database). Identifiers
 * use the "C" collation so that ordering is by code point, exactly as the
 * core and the memory store sort.
 *
 * The reporter's identity and contact (`reporter_*`) are columns of their
 * own, so that a report, export or view for the public simply leaves them out.
 */
export const up = /* sql */ `
CREATE TABLE gz_issues_cases (
  community_id         text NOT NULL,
  case_id              text COLLATE "C" NOT NULL,
  number               text COLLATE "C" NOT NULL CHECK (number ~ '^[0-9]{4}-[0-9]{6,}$'),
  type_id              text COLLATE "C" NOT NULL,
  priority             text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
  status               text NOT NULL CHECK (status IN ('submitted', 'accepted', 'dispatched', 'signed-for', 'in-progress', 'answered', 'follow-up', 'closed')),
  channel              text NOT NULL CHECK (channel IN ('app', 'hotline', 'station', 'sms')),
  -- Location: a building (and unit), or a point, with address text.
  building_id          text COLLATE "C",
  unit_id              text COLLATE "C",
  lat                  double precision CHECK (lat BETWEEN -90 AND 90),
  lng                  double precision CHECK (lng BETWEEN -180 AND 180),
  address              text,
  description          text NOT NULL,
  photos               jsonb NOT NULL CHECK (jsonb_typeof(photos) = 'array'),
  -- Per-type attributes: open-ended, as the case type's catalogue defines them.
  attributes           jsonb NOT NULL CHECK (jsonb_typeof(attributes) = 'object'),
  anonymous            boolean NOT NULL,
  -- The reporter's identity and contact: private to the roles that need it.
  reporter_resident_id text COLLATE "C",
  reporter_name        text,
  reporter_phone       text,
  reporter_email       text,
  lead                 text COLLATE "C",
  assisting            text[] NOT NULL DEFAULT '{}',
  handler              text COLLATE "C",
  dispatched_at        bigint,
  returns              integer NOT NULL CHECK (returns >= 0),
  received_at          bigint NOT NULL,
  -- The response deadline (until signed for) and the resolution deadline (until answered).
  response_unit        text NOT NULL CHECK (response_unit IN ('workdays', 'hours')),
  response_amount      integer NOT NULL,
  response_due_date    date,
  response_due_at      bigint NOT NULL,
  response_warn_at     bigint NOT NULL,
  response_warned      boolean NOT NULL,
  response_breached    boolean NOT NULL,
  response_met_at      bigint,
  resolution_unit      text NOT NULL CHECK (resolution_unit IN ('workdays', 'hours')),
  resolution_amount    integer NOT NULL,
  resolution_due_date  date,
  resolution_due_at    bigint NOT NULL,
  resolution_warn_at   bigint NOT NULL,
  resolution_warned    boolean NOT NULL,
  resolution_breached  boolean NOT NULL,
  resolution_met_at    bigint,
  public_expected_date date NOT NULL,
  paused_at            bigint,
  -- A pending extension request (延期), all or nothing.
  extension_requested_at bigint,
  extension_amount     integer,
  extension_reason     text,
  extension_by         text,
  closed_at            bigint,
  closure_resolution   text CHECK (closure_resolution IN ('fixed', 'not-responsible', 'unable-to-fix', 'duplicate', 'rejected', 'withdrawn')),
  closure_reason       text,
  closure_resolved_by  text,
  follow_ups           jsonb NOT NULL CHECK (jsonb_typeof(follow_ups) = 'array'),
  reopen_count         integer NOT NULL CHECK (reopen_count >= 0),
  duplicate_of         text COLLATE "C",
  mediation            jsonb NOT NULL CHECK (jsonb_typeof(mediation) = 'array'),
  next_due_at          bigint,
  created_at           bigint NOT NULL,
  updated_at           bigint NOT NULL,
  version              integer NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, case_id),
  -- One case per number and community.
  CONSTRAINT gz_issues_cases_number UNIQUE (community_id, number),
  CONSTRAINT gz_issues_cases_duplicate_of FOREIGN KEY (community_id, duplicate_of) REFERENCES gz_issues_cases (community_id, case_id),
  CONSTRAINT gz_issues_cases_not_own_duplicate CHECK (duplicate_of IS NULL OR duplicate_of <> case_id),
  CONSTRAINT gz_issues_cases_location CHECK (building_id IS NOT NULL OR lat IS NOT NULL),
  CONSTRAINT gz_issues_cases_point CHECK ((lat IS NULL) = (lng IS NULL)),
  CONSTRAINT gz_issues_cases_extension CHECK (
    (extension_requested_at IS NULL) = (extension_amount IS NULL)
    AND (extension_requested_at IS NULL) = (extension_reason IS NULL)
    AND (extension_requested_at IS NULL) = (extension_by IS NULL)
  ),
  CONSTRAINT gz_issues_cases_closure CHECK (closure_resolution IS NOT NULL OR (closure_reason IS NULL AND closure_resolved_by IS NULL))
);
-- listDue: only cases with a next due time, by (next_due_at, case_id).
CREATE INDEX gz_issues_cases_due ON gz_issues_cases (community_id, next_due_at, case_id) WHERE next_due_at IS NOT NULL;
-- listOpen (optionally by type), by (created_at, case_id).
CREATE INDEX gz_issues_cases_open ON gz_issues_cases (community_id, type_id, created_at, case_id) WHERE status <> 'closed';
-- listCases: by creation, with a cursor.
CREATE INDEX gz_issues_cases_by_created ON gz_issues_cases (community_id, created_at, case_id);
-- listByResident: the cases a resident reported.
CREATE INDEX gz_issues_cases_by_reporter ON gz_issues_cases (community_id, reporter_resident_id) WHERE reporter_resident_id IS NOT NULL;

-- A case keeps its id and number, and every update is a new version (version + 1).
CREATE FUNCTION gz_issues_cases_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.community_id <> OLD.community_id OR NEW.case_id <> OLD.case_id OR NEW.number <> OLD.number THEN
    RAISE EXCEPTION 'case % keeps its id and number', OLD.case_id USING ERRCODE = '23514';
  END IF;
  IF NEW.version <> OLD.version + 1 THEN
    RAISE EXCEPTION 'case % must go from version % to %', OLD.case_id, OLD.version, OLD.version + 1 USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_issues_cases_guard BEFORE UPDATE ON gz_issues_cases
  FOR EACH ROW EXECUTE FUNCTION gz_issues_cases_guard();

-- The timeline: append-only, one row per step at positions 0, 1, 2, ... (seq = position + 1).
CREATE TABLE gz_issues_timeline (
  community_id text NOT NULL,
  case_id      text COLLATE "C" NOT NULL,
  position     integer NOT NULL CHECK (position >= 0),
  seq          integer NOT NULL,
  kind         text NOT NULL CHECK (kind IN (
                 'submitted', 'accepted', 'rejected', 'dispatched', 'returned', 'assigned', 'signed-for', 'started', 'note',
                 'paused', 'resumed', 'extension-requested', 'extension-decided', 'type-changed', 'answered', 'followed-up',
                 'closed', 'reopened', 'merged', 'follower-added', 'mediation-session', 'mediation-outcome', 'mediation-escalated')),
  at           bigint NOT NULL,
  actor        text NOT NULL,
  actor_kind   text NOT NULL CHECK (actor_kind IN ('reporter', 'resident', 'staff', 'system')),
  visibility   text NOT NULL CHECK (visibility IN ('public', 'internal')),
  note         text,
  media        jsonb CHECK (media IS NULL OR jsonb_typeof(media) = 'array'),
  department   text COLLATE "C",
  resolution   text,
  PRIMARY KEY (community_id, case_id, position),
  FOREIGN KEY (community_id, case_id) REFERENCES gz_issues_cases (community_id, case_id),
  CONSTRAINT gz_issues_timeline_seq CHECK (seq = position + 1)
);
CREATE TRIGGER gz_issues_timeline_append_only BEFORE UPDATE OR DELETE ON gz_issues_timeline
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();
CREATE TRIGGER gz_issues_timeline_no_truncate BEFORE TRUNCATE ON gz_issues_timeline
  FOR EACH STATEMENT EXECUTE FUNCTION gz_forbid_change();

-- Steps follow each other without gaps: after every insert, a case's positions are 0 .. n-1.
CREATE FUNCTION gz_issues_timeline_gap_free() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT community_id, case_id FROM new_rows) n
    CROSS JOIN LATERAL (
      SELECT count(*) AS steps, max(t.position) AS last FROM gz_issues_timeline t
      WHERE t.community_id = n.community_id AND t.case_id = n.case_id
    ) s
    WHERE s.last <> s.steps - 1
  ) THEN
    RAISE EXCEPTION 'a case''s timeline has no gaps: steps are appended at the next position' USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER gz_issues_timeline_gap_free AFTER INSERT ON gz_issues_timeline
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gz_issues_timeline_gap_free();

-- Followers of a case, in the case's order; found by resident. A resident follows a case once.
CREATE TABLE gz_issues_followers (
  community_id text NOT NULL,
  case_id      text COLLATE "C" NOT NULL,
  resident_id  text COLLATE "C" NOT NULL,
  position     integer NOT NULL CHECK (position >= 0),
  PRIMARY KEY (community_id, case_id, resident_id),
  CONSTRAINT gz_issues_followers_position UNIQUE (community_id, case_id, position) DEFERRABLE INITIALLY IMMEDIATE,
  FOREIGN KEY (community_id, case_id) REFERENCES gz_issues_cases (community_id, case_id)
);
CREATE INDEX gz_issues_followers_by_resident ON gz_issues_followers (community_id, resident_id, case_id);

-- Case numbers: one counter per community and year, taken with the caller's
-- transaction (row-locked until it ends, and rolled back with it: gap-free).
CREATE TABLE gz_issues_counters (
  community_id text NOT NULL,
  year         integer NOT NULL CHECK (year BETWEEN 0 AND 9999),
  n            bigint NOT NULL CHECK (n >= 1),
  PRIMARY KEY (community_id, year)
);
`
