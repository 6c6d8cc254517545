/**
 * The working-day calendar (issue 11): official years loaded at run time,
 * the marks of records whose deadlines rest on provisional years (so that
 * loading a year finds them in every community), and on issue cases the
 * provenance of each working-day date: the start and working-day count it
 * was computed from, and the provisional years it rests on.
 */
export const up = /* sql */ `
-- National, not per community: the one table whose key is not community_id.
CREATE TABLE gz_calendar_years (
  year       integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
  file       jsonb NOT NULL CHECK (jsonb_typeof(file) = 'object' AND (file->>'year')::integer = year),
  loaded_at  bigint NOT NULL,
  loaded_by  text NOT NULL
);

CREATE TABLE gz_calendar_provisional (
  community_id text NOT NULL,
  owner        text COLLATE "C" NOT NULL,
  key          text COLLATE "C" NOT NULL,
  year         integer NOT NULL,
  PRIMARY KEY (community_id, owner, key, year)
);
-- No index by year: it is read once per loaded year (a yearly operation,
-- across communities), and holds only open records with provisional dates.

ALTER TABLE gz_issues_cases
  ADD COLUMN response_basis_from           date,
  ADD COLUMN response_basis_workdays       integer,
  ADD COLUMN response_provisional_years    integer[],
  ADD COLUMN resolution_basis_from         date,
  ADD COLUMN resolution_basis_workdays     integer,
  ADD COLUMN resolution_provisional_years  integer[],
  ADD COLUMN public_basis_from             date,
  ADD COLUMN public_basis_workdays         integer,
  ADD COLUMN public_provisional_years      integer[],
  ADD CONSTRAINT gz_issues_cases_response_basis CHECK ((response_basis_from IS NULL) = (response_basis_workdays IS NULL)),
  ADD CONSTRAINT gz_issues_cases_resolution_basis CHECK ((resolution_basis_from IS NULL) = (resolution_basis_workdays IS NULL)),
  ADD CONSTRAINT gz_issues_cases_public_basis CHECK ((public_basis_from IS NULL) = (public_basis_workdays IS NULL));

-- The timeline records re-derived dates.
ALTER TABLE gz_issues_timeline
  DROP CONSTRAINT gz_issues_timeline_kind_check,
  ADD CONSTRAINT gz_issues_timeline_kind_check CHECK (kind IN (
    'submitted', 'accepted', 'rejected', 'dispatched', 'returned', 'assigned', 'signed-for', 'started', 'note',
    'paused', 'resumed', 'extension-requested', 'extension-decided', 'type-changed', 'answered', 'followed-up',
    'closed', 'reopened', 'merged', 'follower-added', 'mediation-session', 'mediation-outcome', 'mediation-escalated',
    'deadline-rederived'));
`
