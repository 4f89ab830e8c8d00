-- /metrics at 100,000 domains (issue 18): the twin of SQLite's 0007. PostgreSQL keeps the
-- large chain and key columns out of line (TOAST), so its rows are small already; the index
-- lets the scrape's join use an index-only scan once the table is vacuumed.
CREATE INDEX certificates_metrics ON certificates (id) INCLUDE (not_before, not_after, serial);
