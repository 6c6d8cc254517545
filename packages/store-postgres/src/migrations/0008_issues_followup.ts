/**
 * Issues follow-up: the idempotency keys reports were filed with, and an
 * index for the least-loaded handler choice (open cases per handler).
 *
 * A key belongs to one case and a case has at most one key; keys are never
 * changed or removed (like the timeline, they are evidence of what was
 * filed).
 */
export const up = /* sql */ `
CREATE TABLE gz_issues_report_keys (
  community_id    text NOT NULL,
  idempotency_key text COLLATE "C" NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  case_id         text COLLATE "C" NOT NULL,
  fingerprint     text NOT NULL CHECK (fingerprint <> ''),
  created_at      bigint NOT NULL,
  PRIMARY KEY (community_id, idempotency_key),
  -- One key per case.
  CONSTRAINT gz_issues_report_keys_case UNIQUE (community_id, case_id),
  FOREIGN KEY (community_id, case_id) REFERENCES gz_issues_cases (community_id, case_id)
);
CREATE TRIGGER gz_issues_report_keys_permanent BEFORE UPDATE OR DELETE ON gz_issues_report_keys
  FOR EACH ROW EXECUTE FUNCTION gz_forbid_change();

-- countOpenByHandler: open cases per assigned handler.
CREATE INDEX gz_issues_cases_open_by_handler ON gz_issues_cases (community_id, handler)
  WHERE status <> 'closed' AND handler IS NOT NULL;
`
