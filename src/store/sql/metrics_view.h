// The MetricsView on SQL (store/metrics_view.h), shared by SQLite and PostgreSQL.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/error.h"
#include "store/metrics_view.h"
#include "store/sql/connection.h"

namespace certfleet::store::sql {

// Opens the view's own read connection (called again after a failed visit).
using ConnectionFactory = std::function<Result<std::unique_ptr<Connection>>()>;

// `begin_sql` starts one read-only snapshot ("BEGIN" on SQLite, "BEGIN ISOLATION LEVEL
// REPEATABLE READ READ ONLY" on PostgreSQL). `certificates` is how the domains' query names
// the certificates table as "c": SQLite says which index to read (its planner, without
// statistics, reads whole certificate rows for three small columns; migration 0007).
std::unique_ptr<MetricsView> MakeSqlMetricsView(ConnectionFactory connect, std::string begin_sql,
                                                std::string_view certificates = "certificates c");

}  // namespace certfleet::store::sql
