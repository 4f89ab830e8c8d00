-- DNS-01 by RFC 2136 (issue 15): the TXT records the hub placed in a provider's zone,
-- remembered before the update that adds them and forgotten after the one that deletes
-- them, so that a hub killed in between removes them later. domain_id is no foreign key:
-- a record outlives its deleted domain until it is removed from the zone.

CREATE TABLE dns01_placed_txt (
  zone TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  domain_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (zone, name, value)
);
CREATE INDEX dns01_placed_txt_domain ON dns01_placed_txt(domain_id);
CREATE INDEX dns01_placed_txt_expires ON dns01_placed_txt(expires_at);
