#include "store/postgres/pg_open.h"

namespace certfleet::store::postgres {

ConnParams ParamsFor(const PostgresOptions& o) {
  ConnParams params{{"dbname", o.url},
                    {"connect_timeout", std::to_string(o.connect_timeout.count())},
                    {"application_name", "certfleet-hub"},
                    {"keepalives", "1"},
                    {"keepalives_idle", "10"},
                    {"keepalives_interval", "5"},
                    {"keepalives_count", "3"}};
  if (!o.password.empty()) params.emplace_back("password", o.password);
  if (!o.ca_file.empty()) params.emplace_back("sslrootcert", o.ca_file);
  return params;
}

// One line naming what to fix, for a failed first connection.
Error ConnectError(const Error& e, const std::string& where) {
  const std::string& m = e.message;
  if (e.code == ErrorCode::kUnauthenticated) {
    return Error{e.code, "PostgreSQL at " + where +
                             " refused the login: check the user in [store] url and the "
                             "password ([store] password_file or CERTFLEET_HUB_STORE_PASSWORD)"};
  }
  if (m.find("does not exist") != std::string::npos) {
    return Error{ErrorCode::kNotFound,
                 "PostgreSQL at " + where + ": " + m + " (create it first: CREATE DATABASE …)"};
  }
  return Error{ErrorCode::kUnavailable, "cannot reach PostgreSQL at " + where + ": " + m};
}

}  // namespace certfleet::store::postgres
