// How the PostgreSQL backend connects (internal to store/postgres): libpq parameters from
// PostgresOptions, and the one-line error for a failed first connection.
#pragma once

#include <string>

#include "common/error.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_store.h"

namespace certfleet::store::postgres {

// The URL as libpq's dbname, the password and CA file, keepalives, connect timeout.
ConnParams ParamsFor(const PostgresOptions& o);
// Names what to fix: the login (user, password), the database (create it) or the server.
Error ConnectError(const Error& e, const std::string& where);

}  // namespace certfleet::store::postgres
