// The rules behind the discovery API (issue 19): agents' reports, the fleet view,
// adoption, and the uploads agents make when asked.
//
// Every function takes the narrow store roles it uses; ServiceContext brings the catalog,
// the clock, the config and the envelope for sealing keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hub/discovery/adoption_plan.h"
#include "hub/discovery/fleet_view.h"
#include "hub/discovery/inventory_report.h"
#include "hub/service/context.h"
#include "store/inventory_book.h"

namespace certfleet::hub::discovery {

struct ReportOutcome {
  bool changed = false;
  std::vector<store::UploadRequest> uploads;  // what the hub wants from this machine now
};

// Validates an agent's report (inventory_report.h; kInvalidArgument naming the field) and
// stores it for `machine_id`.
Result<ReportOutcome> ReceiveInventory(service::ServiceContext& s, store::InventoryBook& book,
                                       const store::Actor& actor, store::Id machine_id,
                                       std::string_view body);

struct FleetQuery {
  std::string state;  // "", "managed", "drifting", "unmanaged"
  bool conflicts_only = false;
  std::optional<int> expiring_within_days;
  std::string name_contains;
};

Result<std::vector<NameGroup>> FleetView(service::ServiceContext& s, store::InventoryBook& book,
                                         const FleetQuery& q);

// One name of the fleet view (reads only that name's entries); kNotFound when no machine
// reported it.
Result<NameGroup> NameView(service::ServiceContext& s, store::InventoryBook& book,
                           const std::string& name);

struct AdoptInput {
  std::string name;
  std::string issuer;  // "" = manual
  std::string customer;
  bool apply = false;
  SiteLines lines = SiteLines::kAgentFiles;  // kReloadFree: $certfleet_bundle in the block
};

struct AdoptOutcome {
  AdoptionPlan plan;
  bool applied = false;
  bool domain_existed = false;
  std::optional<store::UploadRequest> upload;  // manual: the agent's task
  std::string nginx_changes;                   // PrintNginxChanges
};

// Plans the adoption of a discovered name from the inventories of the machines that serve
// it; with apply, creates the domain on them (unless it exists) and, for manual, asks the
// agent of the machine holding the newest certificate to upload it. Idempotent.
Result<AdoptOutcome> Adopt(service::ServiceContext& s, store::InventoryBook& book,
                           const store::Actor& actor, const AdoptInput& in);

// An agent's answer to upload request `request_id` of its machine: the pair (stored as the
// domain's current certificate after the upload checks and a check that the leaf is the one
// asked for) or the reason it has none. kPermissionDenied for another machine's request,
// kConflict when it is no longer pending.
Result<store::UploadRequest> ReceiveUpload(service::ServiceContext& s, store::InventoryBook& book,
                                           const store::Actor& actor, store::Id machine_id,
                                           store::Id request_id, std::string_view chain_pem,
                                           std::string_view key_pem, std::string_view declined);

// The reports of the machines whose inventories name `name` (for adoption and the name page).
Result<std::vector<MachineReport>> ReportsNaming(service::ServiceContext& s,
                                                 store::InventoryBook& book,
                                                 const std::string& name);

}  // namespace certfleet::hub::discovery
