// The inventory as the hub's agent API takes it (POST /api/v1/agent/inventory, schema in
// docs/api/README.md "Discovery"), and as `certfleet-agent discover` prints it.
#pragma once

#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "agent/discovery/inventory.h"

namespace certfleet::agent::discovery {

// {"schema": 1, "collected_at": RFC 3339, "source", "main_file", "nginx_error", "output_dir",
//  "servers": [...], "certificates": [...], "probes": [...], "problems": [...]}.
// Field names and limits match the hub's validation (src/hub/discovery/inventory_report.h).
nlohmann::json InventoryJson(const Inventory& inventory);

// A few lines per server block for a person at the terminal.
void PrintInventory(const Inventory& inventory, std::ostream& out);

}  // namespace certfleet::agent::discovery
