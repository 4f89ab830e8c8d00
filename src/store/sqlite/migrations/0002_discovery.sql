-- Discovery (issue 19): what agents found on their hosts, the uploads the hub asks them for,
-- and HTTP-01 answers handed in by ACME clients outside the hub. Everything here goes with
-- its machine or domain (ON DELETE CASCADE).

CREATE TABLE inventories (
  machine_id INTEGER PRIMARY KEY REFERENCES machines(id) ON DELETE CASCADE,
  collected_at INTEGER NOT NULL,
  reported_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  digest TEXT NOT NULL,
  body TEXT NOT NULL,                         -- the validated report, canonical JSON
  nginx_error TEXT NOT NULL DEFAULT '',
  problems INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE inventory_entries (
  machine_id INTEGER NOT NULL REFERENCES inventories(machine_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,                       -- order within the report
  name TEXT NOT NULL,
  origin TEXT NOT NULL,                       -- 'file' or 'served'
  sha256 TEXT NOT NULL DEFAULT '',
  not_after INTEGER,
  issuer TEXT NOT NULL DEFAULT '',
  key_type TEXT NOT NULL DEFAULT '',
  serial TEXT NOT NULL DEFAULT '',
  path TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  config_file TEXT NOT NULL DEFAULT '',
  line INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (machine_id, seq)
);
CREATE INDEX inventory_entries_name ON inventory_entries(name);
CREATE INDEX inventory_entries_not_after ON inventory_entries(not_after) WHERE not_after IS NOT NULL;

CREATE TABLE upload_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  machine_id INTEGER NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  state TEXT NOT NULL,                        -- 'pending', 'done', 'failed'
  error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  UNIQUE (machine_id, domain_id, sha256)
);
CREATE INDEX upload_requests_pending ON upload_requests(machine_id, id) WHERE state = 'pending';

CREATE TABLE external_challenges (
  token TEXT PRIMARY KEY,
  key_authorization TEXT NOT NULL,
  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX external_challenges_expiry ON external_challenges(expires_at);
