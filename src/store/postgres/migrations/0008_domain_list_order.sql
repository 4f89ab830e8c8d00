-- The domain list at 100,000 domains (issue 14, docs/design/2026-12-07-domain-list-paging.md):
-- one index per sort order of ListDomains, on exactly its ORDER BY (sort column, then the
-- unique name; a missing time is the sentinel -9000000000000000000, smallest of all), so a
-- page, the first or one after a keyset cursor, reads only its own rows in both directions.
-- The name order is the UNIQUE constraint's index; the state order is domains_status.
CREATE INDEX domains_not_after_order
  ON domains ((coalesce(current_not_after, -9000000000000000000)), name);
CREATE INDEX domains_next_attempt_order
  ON domains ((coalesce(next_attempt_at, -9000000000000000000)), name);
DROP INDEX domains_updated;
CREATE INDEX domains_updated ON domains (updated_at, name);
-- A customer's domains in name order (the customer filter used to read and sort them all).
DROP INDEX domains_customer;
CREATE INDEX domains_customer ON domains (customer_id, name);

-- The search (lower(name) / lower(sans) LIKE '%text%') by trigrams: pg_trgm ships with
-- PostgreSQL (Debian's postgresql-15) and is a trusted extension, which the database's
-- owner may create. Where it cannot be created the search stays a scan of every row.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'certfleet: pg_trgm is not available (%); the domain search scans every row', SQLERRM;
END $$;
-- fastupdate off: with GIN's pending list on, the rows written since the last vacuum are
-- kept unsorted and every search reads them all, so a freshly filled table is searched by a
-- scan of every row (25 ms instead of 0.3 ms for 100,000 names); each insert pays ~60 µs more.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX domains_name_trgm ON domains USING gin (lower(name) gin_trgm_ops)
      WITH (fastupdate = off);
    CREATE INDEX domains_sans_trgm ON domains USING gin (lower(sans) gin_trgm_ops)
      WITH (fastupdate = off);
  END IF;
END $$;
