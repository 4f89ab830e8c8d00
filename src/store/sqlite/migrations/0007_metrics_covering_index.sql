-- /metrics at 100,000 domains (issue 18, docs/design/2026-12-06-metrics-at-100k.md): the scrape
-- reads three small columns of each domain's current certificate. A certificates row is
-- ~1-4 KB (chain PEM and sealed key come first), so reading them by rowid read a whole page
-- per domain; this index holds just those columns, ~50 per page. The metrics view names it
-- (INDEXED BY): without statistics SQLite's planner keeps the rowid lookup.
CREATE INDEX certificates_metrics ON certificates(id, not_before, not_after, serial);
