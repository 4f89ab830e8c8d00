// `certfleet-hub migrate --from sqlite:<data dir or hub.db> --config hub.toml`: copies a
// SQLite hub's whole database into the EMPTY PostgreSQL database of hub.toml's [store], so
// one or several hubs continue there (issue 14; hub/sqlite_copy.h says
// what is copied and how).
//
// Refuses, with one line naming the fix: a --from that is not sqlite:<path>; a config
// without [store] backend = "postgres"; a missing hub.db or master.key beside it; a SQLite
// hub that is running (its worker.id is locked; the lock is held during the copy); a
// master.key in this config's data dir that differs from the SQLite hub's (the copied keys
// are sealed under the latter); a PostgreSQL database that already holds data, unless
// `overwrite` (`--overwrite`) — which is refused in turn while any session (a hub) is
// connected to it.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "hub/config.h"

namespace certfleet::hub {

// Copies and returns one line for the operator: what was copied (rows per table, verified)
// and which master.key the hubs on PostgreSQL need.
Result<std::string> MigrateFromSqlite(const HubConfig& config, std::string_view from,
                                      bool overwrite = false);

}  // namespace certfleet::hub
