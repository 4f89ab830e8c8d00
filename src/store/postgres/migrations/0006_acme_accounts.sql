-- PostgreSQL dialect of sqlite/migrations/0006_acme_accounts.sql.
-- The hub's ACME account at each CA (issue 14, store/acme_account_book.h), shared by every
-- hub on the database: one account per CA directory URL, its key sealed under the master key.

CREATE TABLE acme_accounts (
  directory_url TEXT COLLATE "C" PRIMARY KEY,
  issuer TEXT NOT NULL,                  -- the issuer name that stored it
  sealed_key BYTEA NOT NULL,             -- crypto::SealAccountKey
  account_url TEXT NOT NULL DEFAULT '',  -- '' until registered
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
