// The hub's [store] section: which database holds the hub's state.
//
//   [store]
//   backend = "sqlite"          # default: <data_dir>/hub.db, one hub
//   # backend = "postgres"      # any number of hubs on one PostgreSQL (docs/config.md)
//   url = "postgresql://certfleet@db.example.net:5432/certfleet?sslmode=verify-full"
//   password_file = "/etc/certfleet/db.password"   # mode 0600; or CERTFLEET_HUB_STORE_PASSWORD
//   ca_file = "/etc/certfleet/db-ca.pem"            # sslrootcert for sslmode=verify-*
//   connections = 8                                 # this hub's pool
//
// A url that starts with postgresql:// selects "postgres" when backend is not given. The
// password never sits in the url (refused) nor in hub.toml: it comes from
// CERTFLEET_HUB_STORE_PASSWORD or password_file, and is never logged.
// Environment: CERTFLEET_HUB_STORE_BACKEND, CERTFLEET_HUB_STORE_URL,
// CERTFLEET_HUB_STORE_PASSWORD, CERTFLEET_HUB_STORE_PASSWORD_FILE, CERTFLEET_HUB_STORE_CA_FILE.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/toml_table_reader.h"

namespace certfleet::hub {

struct StoreSettings {
  std::string backend;  // "" (= from url, else sqlite), "sqlite" or "postgres"
  std::string url;
  std::string password_file;
  std::string password;  // from CERTFLEET_HUB_STORE_PASSWORD only; never logged
  std::string ca_file;
  int connections = 8;

  // "postgres" or "sqlite", after the defaults above.
  std::string EffectiveBackend() const;
};

using StoreEnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads [store] (absent = defaults); unknown keys are errors.
Status ReadStoreSection(TomlTableReader& top, std::string_view source, StoreSettings& out);
// Applies CERTFLEET_HUB_STORE_*.
void ApplyStoreEnvironment(StoreSettings& out, const StoreEnvLookup& env);
// kInvalidArgument naming the key: unknown backend, postgres without a url, a url that
// is not postgresql:// or carries a password, an unreadable ca_file.
Status ValidateStoreSettings(const StoreSettings& settings, std::string_view source);
// The database password: CERTFLEET_HUB_STORE_PASSWORD, else password_file's first line
// (kPermissionDenied when group or others may read it), else "" (libpq's own defaults).
Result<std::string> ResolveStorePassword(const StoreSettings& settings);

}  // namespace certfleet::hub
