// The memory fake's tables for the discovery roles (MemoryDatabase::discovery). Rows of a
// machine or domain that has gone are dropped lazily: readers skip them and writers refuse
// them, which is what ON DELETE CASCADE looks like from outside.
#pragma once

#include <map>
#include <string>
#include <tuple>

#include "store/inventory_types.h"

namespace certfleet::store::testing {

struct DiscoveryTables {
  std::map<Id, MachineInventory> inventories;  // with entries and body
  std::map<Id, UploadRequest> uploads;
  std::map<std::tuple<Id, Id, std::string>, Id> upload_keys;  // (machine, domain, sha256)
  Id next_upload = 1;
  std::map<std::string, ExternalChallenge, std::less<>> challenges;
};

}  // namespace certfleet::store::testing
