-- PostgreSQL dialect of sqlite/migrations/0004_ui_sessions.sql.
-- The web UI's sign-in sessions (issue 14, store/session_book.h), shared by every hub on the
-- database. Keyed by the SHA-256 of the session id: the id itself is never stored.

CREATE TABLE ui_sessions (
  id_sha256 TEXT COLLATE "C" PRIMARY KEY,
  csrf_token TEXT NOT NULL,
  token_sha256 TEXT COLLATE "C" NOT NULL DEFAULT '',  -- of the API token that signed in; '' = anonymous
  expires_at BIGINT NOT NULL,                         -- idle expiry, never after absolute_expiry
  absolute_expiry BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX ui_sessions_expires ON ui_sessions(expires_at);
