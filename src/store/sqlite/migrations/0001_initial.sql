-- certfleet store schema, version 1 (SQLite dialect).
-- Times are INTEGER milliseconds since the Unix epoch (UTC). JSON is TEXT.
-- PostgreSQL differences to keep in mind: BIGSERIAL for AUTOINCREMENT, BYTEA for BLOB,
-- ILIKE for case-insensitive LIKE, and no WITHOUT ROWID.

CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  contact TEXT NOT NULL DEFAULT '',
  support_expires TEXT,                      -- 'YYYY-MM-DD'
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE machines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  address TEXT NOT NULL DEFAULT '',
  customer_id INTEGER REFERENCES customers(id),
  agent_last_seen INTEGER,
  agent_version TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX machines_customer ON machines(customer_id);

CREATE TABLE domains (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  sans TEXT NOT NULL DEFAULT '[]',           -- JSON array of names
  customer_id INTEGER REFERENCES customers(id),
  issuer TEXT NOT NULL,
  key_type TEXT NOT NULL DEFAULT '',
  profile TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  next_attempt_at INTEGER,
  renew_at INTEGER,
  failure_count INTEGER NOT NULL DEFAULT 0,
  -- No FOREIGN KEY: certificates refer to domains; DeleteDomain clears this first.
  current_certificate_id INTEGER,
  current_not_after INTEGER,                 -- copy of the current certificate's not_after
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX domains_customer ON domains(customer_id);
CREATE INDEX domains_status ON domains(status, name);
CREATE INDEX domains_issuer ON domains(issuer, name);
CREATE INDEX domains_renew_at ON domains(renew_at) WHERE renew_at IS NOT NULL;
CREATE INDEX domains_next_attempt ON domains(next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX domains_not_after ON domains(current_not_after);
CREATE INDEX domains_updated ON domains(updated_at);

CREATE TABLE domain_machines (
  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  machine_id INTEGER NOT NULL REFERENCES machines(id),
  PRIMARY KEY (domain_id, machine_id)
) WITHOUT ROWID;
CREATE INDEX domain_machines_machine ON domain_machines(machine_id, domain_id);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  issuer TEXT NOT NULL,
  state TEXT NOT NULL,
  acme_state TEXT NOT NULL DEFAULT '{}',
  attempt INTEGER NOT NULL DEFAULT 1,
  error TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX orders_domain ON orders(domain_id, id);
-- At most one unfinished order per domain.
CREATE UNIQUE INDEX orders_one_active ON orders(domain_id)
  WHERE state NOT IN ('completed', 'failed', 'abandoned');

CREATE TABLE certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  chain_pem TEXT NOT NULL,
  encrypted_key BLOB NOT NULL,
  serial TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  issuer_cn TEXT NOT NULL DEFAULT '',
  names TEXT NOT NULL DEFAULT '[]',          -- JSON array
  ari_window_start INTEGER,
  ari_window_end INTEGER,
  ari_retry_after INTEGER,
  replaces_id INTEGER REFERENCES certificates(id) ON DELETE SET NULL,
  source TEXT NOT NULL,
  order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (domain_id, sha256)
);
CREATE INDEX certificates_domain ON certificates(domain_id, id);
CREATE INDEX certificates_replaces ON certificates(replaces_id);
CREATE INDEX certificates_order ON certificates(order_id);

CREATE TABLE challenges (
  token TEXT PRIMARY KEY,
  key_authorization TEXT NOT NULL,
  domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  order_id INTEGER REFERENCES orders(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  pending INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX challenges_domain ON challenges(domain_id);
CREATE INDEX challenges_order ON challenges(order_id);

CREATE TABLE deployments (
  machine_id INTEGER NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
  certificate_id INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
  domain_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  sha256 TEXT NOT NULL DEFAULT '',
  reported_at INTEGER NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (machine_id, certificate_id)
);
CREATE INDEX deployments_certificate ON deployments(certificate_id);
CREATE INDEX deployments_machine_time ON deployments(machine_id, reported_at);

CREATE TABLE events (
  revision INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  published_at INTEGER
);
CREATE INDEX events_unpublished ON events(revision) WHERE published_at IS NULL;

CREATE TABLE tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  machine_id INTEGER REFERENCES machines(id) ON DELETE CASCADE,
  secret_sha256 TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX tokens_machine ON tokens(machine_id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  at INTEGER NOT NULL,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_target ON audit(target, id);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  dedup_key TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX notifications_dedup ON notifications(channel, dedup_key) WHERE dedup_key <> '';
CREATE INDEX notifications_due ON notifications(channel, next_attempt_at) WHERE delivered_at IS NULL;

CREATE TABLE cursors (
  consumer TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
);
