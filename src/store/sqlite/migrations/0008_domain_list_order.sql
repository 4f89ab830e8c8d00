-- The domain list at 100,000 domains (issue 14, docs/design/2026-12-07-domain-list-paging.md):
-- the twin of PostgreSQL's 0008. One index per sort order of ListDomains, on exactly its
-- ORDER BY (sort column, then the unique name; a missing time is the sentinel
-- -9000000000000000000, smallest of all), so a page, the first or one after a keyset
-- cursor, reads only its own rows in both directions. The name order is the UNIQUE
-- constraint's index; the state order is domains_status.
CREATE INDEX domains_not_after_order
  ON domains (coalesce(current_not_after, -9000000000000000000), name);
CREATE INDEX domains_next_attempt_order
  ON domains (coalesce(next_attempt_at, -9000000000000000000), name);
DROP INDEX domains_updated;
CREATE INDEX domains_updated ON domains (updated_at, name);
-- A customer's domains in name order (the customer filter used to read and sort them all).
DROP INDEX domains_customer;
CREATE INDEX domains_customer ON domains (customer_id, name);
