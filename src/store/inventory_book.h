// InventoryBook: what agents discovered on their hosts (issue 19), and the uploads the hub
// asks agents for when support adopts a discovered certificate.
//
// Callers: the agent API (PutInventory, the upload requests of its own machine), the fleet
// views and adoption (hub/discovery), the notifier (expiry of discovered certificates).
// Rows are in store/inventory_types.h. A machine's inventory and upload requests go when the
// machine goes; a domain's upload requests go with the domain.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/inventory_types.h"
#include "store/types.h"

namespace certfleet::store {

// A domain by the names it holds, for matching discovered names against what certfleet
// manages.
struct ManagedName {
  Id domain_id = 0;
  std::string name;
  std::vector<std::string> sans;
  std::string current_sha256;  // "" without a current certificate
};

class InventoryBook {
 public:
  virtual ~InventoryBook() = default;

  // Replaces the machine's inventory (row and entries) with `inventory` (reported_at and
  // changed_at are set by the store). When its digest differs from the stored one, or
  // nothing was stored: event inventory.changed [machine:<name>] {machine, digest, entries,
  // problems, nginx_error} and one audit row, and true is returned. An unchanged digest
  // refreshes reported_at only (housekeeping: no event, no audit) and returns false.
  // kNotFound for an unknown machine; kInvalidArgument for an empty digest.
  virtual Result<bool> PutInventory(const Actor& actor, const MachineInventory& inventory) = 0;
  // The machine's inventory with body_json, without entries. kNotFound if it never reported.
  virtual Result<MachineInventory> GetInventory(Id machine_id) = 0;
  // Every machine's inventory without body_json and entries, by machine id.
  virtual Result<std::vector<MachineInventory>> ListInventories() = 0;
  // Entries matching the query, by machine id then name.
  virtual Result<std::vector<InventoryEntry>> ListInventoryEntries(const InventoryQuery& q) = 0;
  // Every domain with its names and current certificate fingerprint, by domain id.
  virtual Result<std::vector<ManagedName>> ListManagedNames() = 0;

  // Asks the machine's agent for the certificate `r.sha256` for domain `r.domain_id`. One
  // request per (machine, domain, sha256): asking again returns the existing one, made
  // pending again if it had failed. Audit row "upload.requested". kNotFound for an unknown
  // machine or domain.
  virtual Result<UploadRequest> RequestUpload(const Actor& actor, const UploadRequest& r) = 0;
  virtual Result<UploadRequest> GetUploadRequest(Id id) = 0;
  // Pending requests of one machine (or of all: nullopt), oldest first.
  virtual Result<std::vector<UploadRequest>> ListPendingUploads(std::optional<Id> machine_id) = 0;
  // Marks a pending request done or failed (with the error). Audit row. kConflict when it is
  // no longer pending; kInvalidArgument for state kPending.
  virtual Result<UploadRequest> FinishUpload(const Actor& actor, Id id, UploadState state,
                                             std::string_view error) = 0;
};

}  // namespace certfleet::store
