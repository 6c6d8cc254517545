/**
 * Spaces tables: the inventory, closures, bookings, adoption rounds,
 * applications, adoptions and occupation cases. One column per field of each
 * entity's encoded form (see `defineEntity`); nested values are jsonb.
 *
 * No double booking: an exclusion constraint (btree_gist) refuses two rows of
 * one space whose status holds a slot and whose `[starts_at, ends_at)` ranges
 * overlap. Under concurrency the second inserter waits for the first and
 * fails with 23P01 once it commits, which the store reports as `SlotTaken`.
 * One holder per adopted space: a partial unique index on `held_space_id`.
 */
export const up = /* sql */ `
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE gz_spaces_spaces (
  community_id  text COLLATE "C" NOT NULL,
  id            text COLLATE "C" NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('plot', 'parking', 'room', 'play-area', 'storage', 'other')),
  label         text NOT NULL,
  location      text NOT NULL,
  capacity      bigint NOT NULL CHECK (capacity >= 1),
  area_dm2      bigint NOT NULL CHECK (area_dm2 >= 0),
  opening_hours jsonb,
  rules         jsonb NOT NULL,
  active        boolean NOT NULL,
  created_at    bigint NOT NULL,
  version       bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, id)
);

CREATE TABLE gz_spaces_closures (
  community_id text COLLATE "C" NOT NULL,
  space_id     text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  starts_at    bigint NOT NULL,
  ends_at      bigint NOT NULL,
  reason       text NOT NULL,
  created_by   text NOT NULL,
  created_at   bigint NOT NULL,
  PRIMARY KEY (community_id, space_id, id),
  CHECK (ends_at > starts_at)
);

CREATE TABLE gz_spaces_bookings (
  community_id    text COLLATE "C" NOT NULL,
  space_id        text COLLATE "C" NOT NULL,
  id              text COLLATE "C" NOT NULL,
  space_kind      text NOT NULL,
  household_id    text COLLATE "C" NOT NULL,
  resident_id     text COLLATE "C" NOT NULL,
  starts_at       bigint NOT NULL,
  ends_at         bigint NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'rejected', 'no-show')),
  price_fen       bigint NOT NULL CHECK (price_fen >= 0),
  free_minutes    bigint NOT NULL CHECK (free_minutes >= 0),
  attendees       bigint NOT NULL CHECK (attendees >= 1),
  purpose         text NOT NULL,
  week_key        text COLLATE "C" NOT NULL,
  month_key       text COLLATE "C" NOT NULL,
  fee_tx_id       text,
  refund_tx_id    text,
  refund_fen      bigint CHECK (refund_fen >= 0 AND refund_fen <= price_fen),
  late            boolean,
  created_at      bigint NOT NULL,
  created_by      text NOT NULL,
  closed_at       bigint,
  closed_by       text,
  idempotency_key text,
  fingerprint     text NOT NULL,
  version         bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, space_id, id),
  CHECK (ends_at > starts_at),
  CONSTRAINT gz_spaces_bookings_no_overlap EXCLUDE USING gist (
    community_id WITH =, space_id WITH =, int8range(starts_at, ends_at) WITH &&
  ) WHERE (status IN ('pending', 'confirmed', 'no-show'))
);
CREATE UNIQUE INDEX gz_spaces_bookings_idempotency_key ON gz_spaces_bookings (community_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX gz_spaces_bookings_by_space ON gz_spaces_bookings (community_id, space_id, starts_at);
CREATE INDEX gz_spaces_bookings_by_household ON gz_spaces_bookings (community_id, household_id, starts_at);

CREATE TABLE gz_spaces_rounds (
  community_id      text COLLATE "C" NOT NULL,
  id                text COLLATE "C" NOT NULL,
  label             text NOT NULL,
  space_ids         jsonb NOT NULL,
  term_starts_at    bigint NOT NULL,
  term_ends_at      bigint NOT NULL,
  opens_at          bigint NOT NULL,
  closes_at         bigint NOT NULL,
  fee_fen           bigint NOT NULL CHECK (fee_fen >= 0),
  priority_groups   jsonb NOT NULL,
  reply_days        bigint NOT NULL,
  status            text NOT NULL CHECK (status IN ('open', 'drawn')),
  seed_hash         text,
  seed_committed_at bigint,
  seed              text,
  applicants_hash   text,
  result            jsonb,
  waitlist_offered  bigint NOT NULL CHECK (waitlist_offered >= 0),
  drawn_at          bigint,
  created_at        bigint NOT NULL,
  version           bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, id),
  CHECK (term_ends_at > term_starts_at AND closes_at > opens_at),
  -- A drawn round has its revealed seed, commitment, list digest and result.
  CHECK (status = 'open' OR num_nonnulls(seed, seed_hash, applicants_hash, result, drawn_at) = 5)
);

CREATE TABLE gz_spaces_applications (
  community_id text COLLATE "C" NOT NULL,
  round_id     text COLLATE "C" NOT NULL,
  household_id text COLLATE "C" NOT NULL,
  resident_id  text COLLATE "C" NOT NULL,
  "group"      text NOT NULL CHECK ("group" IN ('elderly', 'never-allocated', 'general')),
  applied_at   bigint NOT NULL,
  PRIMARY KEY (community_id, round_id, household_id)
);

CREATE TABLE gz_spaces_adoptions (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  space_id           text COLLATE "C" NOT NULL,
  held_space_id      text COLLATE "C",
  household_id       text COLLATE "C" NOT NULL,
  round_id           text COLLATE "C",
  status             text NOT NULL CHECK (status IN ('offered', 'active', 'declined', 'lapsed', 'released', 'revoked', 'ended')),
  term_starts_at     bigint NOT NULL,
  term_ends_at       bigint NOT NULL,
  fee_fen            bigint NOT NULL CHECK (fee_fen >= 0),
  offered_at         bigint NOT NULL,
  reply_by           bigint NOT NULL,
  accepted_by        text,
  fee_tx_id          text,
  refund_fen         bigint CHECK (refund_fen >= 0 AND refund_fen <= fee_fen),
  refund_tx_id       text,
  failed_inspections bigint NOT NULL CHECK (failed_inspections >= 0),
  ended_at           bigint,
  end_reason         text,
  version            bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, id),
  -- Only an offered or active adoption holds its space.
  CHECK ((held_space_id IS NOT NULL) = (status IN ('offered', 'active')))
);
CREATE UNIQUE INDEX gz_spaces_adoptions_holder ON gz_spaces_adoptions (community_id, held_space_id)
  WHERE held_space_id IS NOT NULL;
CREATE INDEX gz_spaces_adoptions_by_household ON gz_spaces_adoptions (community_id, household_id);
CREATE INDEX gz_spaces_adoptions_by_round ON gz_spaces_adoptions (community_id, round_id, status);

CREATE TABLE gz_spaces_occupations (
  community_id text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  space_id     text COLLATE "C",
  place        text NOT NULL,
  kind         text NOT NULL,
  area_dm2     bigint NOT NULL CHECK (area_dm2 >= 0),
  photos       jsonb NOT NULL,
  household_id text COLLATE "C",
  stage        text NOT NULL CHECK (stage IN ('notice', 'assisted', 'forced', 'cleared')),
  due_date     text,
  consented    boolean NOT NULL,
  repeats      bigint NOT NULL CHECK (repeats >= 0),
  history      jsonb NOT NULL,
  storage_adoption_id text COLLATE "C",
  opened_at    bigint NOT NULL,
  cleared_at   bigint,
  version      bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (community_id, id)
);
`
