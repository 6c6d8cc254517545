/**
 * Pet credit tables: dogs, violation reports, the append-only score entries
 * and each community's chosen scheme. Columns follow the entity
 * declarations in `@gongzhi/core` (`PetCredit.DogEntity`, `ReportEntity`,
 * `ScoreEntryEntity`, `SchemeChoiceEntity`): one column per encoded field,
 * snake_case; the adapter's tests compare them with `checkEntityTable`.
 *
 * Invariants the database also keeps: one licence number per community;
 * statuses and kinds from their closed lists; a verified report carries its
 * verifier and deduction; an entry's score stays its previous score plus
 * its applied points; entries are never deleted and their numbers never
 * change; an entry is reversed at most once.
 */
export const up = /* sql */ `
CREATE TABLE gz_petcredit_dogs (
  community_id             text COLLATE "C" NOT NULL,
  id                       text COLLATE "C" NOT NULL,
  name                     text NOT NULL,
  household_id             text COLLATE "C" NOT NULL,
  keeper_id                text COLLATE "C" NOT NULL,
  licence_no               text COLLATE "C" NOT NULL,
  breed                    text NOT NULL,
  size                     text NOT NULL CHECK (size IN ('small', 'medium', 'large')),
  vaccination_expires_on   text COLLATE "C" NOT NULL,
  licence_expires_on       text COLLATE "C" NOT NULL,
  status                   text NOT NULL CHECK (status IN ('active', 'deceased', 'rehomed')),
  scheme_code              text COLLATE "C" NOT NULL,
  score                    bigint NOT NULL,
  licence_suspended        boolean NOT NULL,
  training_required        boolean NOT NULL,
  licence_withheld         boolean NOT NULL,
  entry_count              bigint NOT NULL CHECK (entry_count >= 0),
  kept_since               bigint NOT NULL,
  clean_anchor             bigint NOT NULL,
  last_violation_at        bigint,
  last_training_restore_at bigint,
  score_year               bigint NOT NULL,
  reminded_vaccination_for text COLLATE "C",
  reminded_licence_for     text COLLATE "C",
  registered_at            bigint NOT NULL,
  version                  bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, id),
  CONSTRAINT gz_petcredit_dogs_licence UNIQUE (community_id, licence_no)
);
CREATE INDEX gz_petcredit_dogs_by_household ON gz_petcredit_dogs (community_id, household_id);
CREATE INDEX gz_petcredit_dogs_by_keeper ON gz_petcredit_dogs (community_id, keeper_id);
CREATE INDEX gz_petcredit_dogs_by_status ON gz_petcredit_dogs (community_id, status, registered_at);

CREATE TABLE gz_petcredit_reports (
  community_id text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  dog_id       text COLLATE "C" NOT NULL,
  kind         text COLLATE "C" NOT NULL,
  source       text NOT NULL CHECK (source IN ('resident', 'patrol', 'camera', 'staff', 'issue')),
  reporter_ref text NOT NULL,
  evidence     jsonb NOT NULL,
  place        text NOT NULL,
  occurred_at  bigint NOT NULL,
  month        text COLLATE "C" NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
  reported_at  bigint NOT NULL,
  expires_on   text COLLATE "C" NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'verified', 'rejected', 'expired', 'duplicate', 'overturned')),
  duplicate_of text COLLATE "C",
  linked_count bigint NOT NULL CHECK (linked_count >= 0),
  issue_id     text COLLATE "C",
  verified_by  text,
  verified_at  bigint,
  deducted     bigint,
  entry_seq    bigint,
  appeal_until text COLLATE "C",
  appeal       jsonb,
  note         text,
  version      bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, id),
  CONSTRAINT gz_petcredit_reports_duplicate CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
  CONSTRAINT gz_petcredit_reports_verified CHECK (
    status NOT IN ('verified', 'overturned') OR (verified_by IS NOT NULL AND verified_at IS NOT NULL)
  )
);
CREATE INDEX gz_petcredit_reports_by_dog ON gz_petcredit_reports (community_id, dog_id, reported_at);
CREATE INDEX gz_petcredit_reports_by_status ON gz_petcredit_reports (community_id, status, reported_at);
CREATE INDEX gz_petcredit_reports_by_month ON gz_petcredit_reports (community_id, month, kind);

CREATE TABLE gz_petcredit_entries (
  community_id text COLLATE "C" NOT NULL,
  dog_id       text COLLATE "C" NOT NULL,
  seq          bigint NOT NULL CHECK (seq >= 1),
  kind         text NOT NULL CHECK (kind IN ('violation', 'reward', 'training', 'exam', 'clean-record', 'reversal', 'reset')),
  code         text NOT NULL,
  points       bigint NOT NULL,
  applied      bigint NOT NULL,
  score_after  bigint NOT NULL,
  scheme_code  text COLLATE "C" NOT NULL,
  report_id    text COLLATE "C",
  reverses     bigint CHECK (reverses >= 1 AND reverses < seq),
  source_ref   text COLLATE "C",
  recorded_at  bigint NOT NULL,
  recorded_by  text NOT NULL,
  PRIMARY KEY (community_id, dog_id, seq)
);
CREATE UNIQUE INDEX gz_petcredit_entries_source ON gz_petcredit_entries (community_id, source_ref) WHERE source_ref IS NOT NULL;
CREATE UNIQUE INDEX gz_petcredit_entries_reversal ON gz_petcredit_entries (community_id, dog_id, reverses) WHERE reverses IS NOT NULL;

-- Entries are append-only: the score is the sum of its history. No entry is
-- deleted, and what an entry says about the score never changes (only who
-- recorded it may be corrected).
CREATE FUNCTION gz_petcredit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'pet-credit score entries are never deleted' USING ERRCODE = '23514';
  END IF;
  IF (NEW.community_id, NEW.dog_id, NEW.seq, NEW.kind, NEW.code, NEW.points, NEW.applied, NEW.score_after, NEW.scheme_code,
      NEW.report_id, NEW.reverses, NEW.source_ref, NEW.recorded_at)
     IS DISTINCT FROM
     (OLD.community_id, OLD.dog_id, OLD.seq, OLD.kind, OLD.code, OLD.points, OLD.applied, OLD.score_after, OLD.scheme_code,
      OLD.report_id, OLD.reverses, OLD.source_ref, OLD.recorded_at) THEN
    RAISE EXCEPTION 'pet-credit score entry % of dog % is append-only', OLD.seq, OLD.dog_id USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gz_petcredit_entries_append_only BEFORE UPDATE OR DELETE ON gz_petcredit_entries
  FOR EACH ROW EXECUTE FUNCTION gz_petcredit_entries_append_only();

CREATE TABLE gz_petcredit_scheme_choices (
  community_id text COLLATE "C" NOT NULL,
  seq          bigint NOT NULL CHECK (seq >= 1),
  scheme       jsonb NOT NULL,
  chosen_at    bigint NOT NULL,
  chosen_by    text NOT NULL,
  PRIMARY KEY (community_id, seq)
);
`
