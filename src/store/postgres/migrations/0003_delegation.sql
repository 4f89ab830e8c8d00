-- PostgreSQL dialect of sqlite/migrations/0003_delegation.sql.
-- DNS-01 by delegation (issue 15): each domain's stable label, challenge choice and last
-- check, and the TXT records the hubs' DNS responders answer for the delegated zone. Keyed by name, not by
-- domain id: a domain saved again keeps its label (the customer's CNAME stays right).

CREATE TABLE dns01_delegations (
  domain TEXT COLLATE "C" PRIMARY KEY,
  label TEXT COLLATE "C" NOT NULL UNIQUE,
  challenge TEXT NOT NULL DEFAULT '',       -- '' = the issuer's order, 'http-01', 'dns-01'
  check_state TEXT NOT NULL DEFAULT '',
  check_message TEXT NOT NULL DEFAULT '',
  checked_at BIGINT,
  created_at BIGINT NOT NULL
);

CREATE TABLE dns01_txt (
  key TEXT COLLATE "C" PRIMARY KEY,
  label TEXT COLLATE "C" NOT NULL,
  value TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX dns01_txt_expires ON dns01_txt(expires_at);
