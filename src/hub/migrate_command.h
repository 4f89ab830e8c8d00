// `certfleet-hub migrate`: brings the configured store's schema up to this binary's, once,
// without starting the hub (issue 14).
//
// PostgreSQL: a starting hub only creates the schema of an EMPTY database and refuses an
// older one (other hubs of the old version may be running on it), naming this command.
// Upgrading is then: install the new certfleet-hub everywhere, run `certfleet-hub migrate
// --config hub.toml` once, restart the hubs. Concurrent runs and starting hubs wait for
// each other (the migration lock). When this host's data dir holds master.key, the
// database must belong to it (the same check a hub makes).
// SQLite: one hub per file, which upgrades its own file when it starts; the command does
// the same without starting it (e.g. before a package restarts the service).
#pragma once

#include <string>

#include "common/error.h"
#include "hub/config.h"

namespace certfleet::hub {

// Migrates and returns what was done, one line per step for the operator, e.g.
//   "PostgreSQL postgresql://certfleet@db:5432/certfleet: schema version 1 → 2
//    (applied 0002_discovery.sql)" or "…: schema already at version 2".
// Errors are the store's one-line errors (unreachable, refused login, newer schema).
Result<std::string> MigrateStore(const HubConfig& config);

}  // namespace certfleet::hub
