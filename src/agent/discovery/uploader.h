// Answering the hub's upload requests (inventory_client.h) from this host's files.
//
// For each wanted leaf, the first server block pair of the inventory whose certificate has
// that SHA-256 and whose key is readable: both files are read now (the only time discovery
// reads a private key), the leaf is checked again (the file may have changed since the
// report) and the pair is uploaded. When no such pair exists the request is declined with
// the reason, so support sees why on the hub. Key material is never logged.
#pragma once

#include <vector>

#include "agent/discovery/inventory.h"
#include "agent/discovery/inventory_client.h"
#include "common/error.h"

namespace certfleet::agent::discovery {

struct UploadOutcome {
  int uploaded = 0;
  int declined = 0;
  int failed = 0;  // the hub could not be told (retried at the next poll)
};

UploadOutcome AnswerUploads(const std::vector<UploadWanted>& wanted, const Inventory& inventory,
                            InventoryClient& hub);

}  // namespace certfleet::agent::discovery
