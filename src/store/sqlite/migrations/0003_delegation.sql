-- DNS-01 by delegation (issue 15): each domain's stable label, challenge choice and last
-- check, and the TXT records the hubs' DNS responders answer for the delegated zone. Keyed by name, not by
-- domain id: a domain saved again keeps its label (the customer's CNAME stays right).

CREATE TABLE dns01_delegations (
  domain TEXT PRIMARY KEY,
  label TEXT NOT NULL UNIQUE,
  challenge TEXT NOT NULL DEFAULT '',       -- '' = the issuer's order, 'http-01', 'dns-01'
  check_state TEXT NOT NULL DEFAULT '',
  check_message TEXT NOT NULL DEFAULT '',
  checked_at INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE dns01_txt (
  key TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  value TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX dns01_txt_expires ON dns01_txt(expires_at);
