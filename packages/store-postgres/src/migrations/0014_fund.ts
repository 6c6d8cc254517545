/**
 * Fund tables (one per entity declared in core's fund/store.ts, columns as
 * `defineEntity` derives them): funds, budgets, expenses, bills, payments,
 * income, partner shares, cost shares, public postings, statements,
 * objections, trustee contracts, settlements, arrears notices. Balances live
 * in the kernel's ledger. Invariants the core keeps are also constraints here:
 * positive amounts, a bill's paid part within its amount and `paid` exactly
 * when fully paid, a paid expense has its transaction, a vote-level expense
 * its proposal, refunds within the amount paid.
 */
export const up = /* sql */ `
CREATE TABLE gz_fund_funds (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  name               text COLLATE "C" NOT NULL,
  kind               text COLLATE "C" NOT NULL,
  purpose            text COLLATE "C" NOT NULL,
  public             boolean NOT NULL,
  floor_fen          bigint NOT NULL,
  thresholds         jsonb NOT NULL,
  vote_rule_id       text COLLATE "C" NOT NULL,
  approver_ids       jsonb NOT NULL,
  arrears_policy     jsonb,
  created_at         bigint NOT NULL,
  created_by         text COLLATE "C" NOT NULL,
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, id)
);

CREATE TABLE gz_fund_budgets (
  community_id       text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  year               bigint NOT NULL,
  lines              jsonb NOT NULL,
  updated_at         bigint NOT NULL,
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, fund_id, year)
);

CREATE TABLE gz_fund_expenses (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  payee              text COLLATE "C" NOT NULL,
  purpose            text COLLATE "C" NOT NULL,
  budget_year        bigint NOT NULL,
  budget_line        text COLLATE "C" NOT NULL,
  category           text COLLATE "C" NOT NULL,
  amount_fen         bigint NOT NULL CHECK (amount_fen > 0),
  attachments        jsonb NOT NULL,
  requested_by       text COLLATE "C" NOT NULL,
  requested_at       bigint NOT NULL,
  level              text COLLATE "C" NOT NULL,
  approvals          jsonb NOT NULL,
  proposal_id        text COLLATE "C",
  status             text COLLATE "C" NOT NULL,
  paid_tx_id         text COLLATE "C",
  paid_at            bigint,
  paid_by            text COLLATE "C",
  refunded_fen       bigint NOT NULL CHECK (refunded_fen >= 0),
  idempotency_key    text COLLATE "C",
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, id),
  CHECK (level IN ('single', 'dual', 'vote')),
  CHECK (status IN ('requested', 'approved', 'paid', 'rejected')),
  CHECK (refunded_fen <= amount_fen),
  CHECK ((status = 'paid') = (paid_tx_id IS NOT NULL)),
  CHECK (level <> 'vote' OR proposal_id IS NOT NULL)
);

CREATE UNIQUE INDEX gz_fund_expenses_idempotency ON gz_fund_expenses (community_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE gz_fund_bills (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  household_id       text COLLATE "C" NOT NULL,
  ref                text COLLATE "C" NOT NULL,
  kind               text COLLATE "C" NOT NULL,
  description        text COLLATE "C" NOT NULL,
  period             text COLLATE "C" NOT NULL,
  amount_fen         bigint NOT NULL,
  paid_fen           bigint NOT NULL CHECK (paid_fen >= 0),
  due_date           text COLLATE "C" NOT NULL,
  status             text COLLATE "C" NOT NULL,
  issued_at          bigint NOT NULL,
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, id),
  CHECK (amount_fen > 0 AND paid_fen <= amount_fen),
  CHECK (kind IN ('fee', 'cost-share', 'other')),
  CHECK ((status = 'paid') = (paid_fen = amount_fen))
);

CREATE INDEX gz_fund_bills_household ON gz_fund_bills (community_id, fund_id, household_id, status);
CREATE INDEX gz_fund_bills_period ON gz_fund_bills (community_id, fund_id, period);

CREATE UNIQUE INDEX gz_fund_bills_ref ON gz_fund_bills (community_id, fund_id, household_id, ref);

CREATE TABLE gz_fund_payments (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  household_id       text COLLATE "C" NOT NULL,
  amount_fen         bigint NOT NULL,
  allocations        jsonb NOT NULL,
  advance_fen        bigint NOT NULL,
  method             text COLLATE "C" NOT NULL,
  tx_id              text COLLATE "C" NOT NULL,
  paid_at            bigint NOT NULL,
  recorded_by        text COLLATE "C" NOT NULL,
  idempotency_key    text COLLATE "C",
  PRIMARY KEY (community_id, id)
);

CREATE INDEX gz_fund_payments_household ON gz_fund_payments (community_id, fund_id, household_id);
CREATE UNIQUE INDEX gz_fund_payments_idempotency ON gz_fund_payments (community_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE gz_fund_income (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  source             text COLLATE "C" NOT NULL,
  amount_fen         bigint NOT NULL,
  donor              text COLLATE "C",
  anonymous          boolean NOT NULL,
  memo               text COLLATE "C" NOT NULL,
  tx_id              text COLLATE "C" NOT NULL,
  received_at        bigint NOT NULL,
  recorded_by        text COLLATE "C" NOT NULL,
  idempotency_key    text COLLATE "C",
  PRIMARY KEY (community_id, id)
);

CREATE UNIQUE INDEX gz_fund_income_idempotency ON gz_fund_income (community_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE gz_fund_partner_shares (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  partner            text COLLATE "C" NOT NULL,
  period             text COLLATE "C" NOT NULL,
  profit_fen         bigint NOT NULL,
  share_bp           bigint NOT NULL,
  share_fen          bigint NOT NULL,
  collected_fen      bigint NOT NULL,
  reported_at        bigint NOT NULL,
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, id)
);

CREATE UNIQUE INDEX gz_fund_partner_shares_period ON gz_fund_partner_shares (community_id, fund_id, partner, period);

CREATE TABLE gz_fund_cost_shares (
  community_id       text COLLATE "C" NOT NULL,
  proposal_id        text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  total_fen          bigint NOT NULL,
  households         bigint NOT NULL,
  instalments        bigint NOT NULL,
  created_at         bigint NOT NULL,
  created_by         text COLLATE "C" NOT NULL,
  PRIMARY KEY (community_id, proposal_id)
);

CREATE TABLE gz_fund_postings (
  community_id       text COLLATE "C" NOT NULL,
  tx_id              text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  kind               text COLLATE "C" NOT NULL,
  category           text COLLATE "C" NOT NULL,
  amount_fen         bigint NOT NULL,
  cash_fen           bigint NOT NULL,
  memo               text COLLATE "C" NOT NULL,
  counterparty       text COLLATE "C" NOT NULL,
  ref                text COLLATE "C" NOT NULL,
  approvals          jsonb NOT NULL,
  proposal_id        text COLLATE "C",
  period             text COLLATE "C" NOT NULL,
  posted_at          bigint NOT NULL,
  PRIMARY KEY (community_id, tx_id)
);

CREATE INDEX gz_fund_postings_period ON gz_fund_postings (community_id, fund_id, period, posted_at);

CREATE TABLE gz_fund_statements (
  community_id       text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  period             text COLLATE "C" NOT NULL,
  body               jsonb NOT NULL,
  journal_head       jsonb NOT NULL,
  published_at       bigint NOT NULL,
  published_by       text COLLATE "C" NOT NULL,
  PRIMARY KEY (community_id, fund_id, period)
);

CREATE TABLE gz_fund_objections (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  tx_id              text COLLATE "C" NOT NULL,
  raised_by          text COLLATE "C" NOT NULL,
  question           text COLLATE "C" NOT NULL,
  raised_at          bigint NOT NULL,
  answer_due         text COLLATE "C" NOT NULL,
  status             text COLLATE "C" NOT NULL,
  answer             text COLLATE "C",
  answered_by        text COLLATE "C",
  answered_at        bigint,
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, id)
);

CREATE TABLE gz_fund_trustee_contracts (
  community_id       text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  trustee            text COLLATE "C" NOT NULL,
  basis              jsonb NOT NULL,
  rules              jsonb NOT NULL,
  complaint_type_ids jsonb NOT NULL,
  updated_at         bigint NOT NULL,
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, fund_id)
);

CREATE TABLE gz_fund_settlements (
  community_id       text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  period             text COLLATE "C" NOT NULL,
  income_fen         bigint NOT NULL,
  fee_fen            bigint NOT NULL,
  deductions         jsonb NOT NULL,
  net_fen            bigint NOT NULL,
  figures            jsonb NOT NULL,
  tx_id              text COLLATE "C",
  settled_at         bigint NOT NULL,
  settled_by         text COLLATE "C" NOT NULL,
  PRIMARY KEY (community_id, fund_id, period)
);

CREATE TABLE gz_fund_arrears_notices (
  community_id       text COLLATE "C" NOT NULL,
  id                 text COLLATE "C" NOT NULL,
  fund_id            text COLLATE "C" NOT NULL,
  household_id       text COLLATE "C" NOT NULL,
  months_in_arrears  bigint NOT NULL,
  arrears_fen        bigint NOT NULL,
  noticed_at         bigint NOT NULL,
  appeal             jsonb,
  appeal_decision    jsonb,
  status             text COLLATE "C" NOT NULL,
  version            bigint NOT NULL,
  PRIMARY KEY (community_id, id)
);

`
