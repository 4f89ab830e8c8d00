// `certfleet customer|machine add|list|show|set|delete`, `machine drain` and
// `cert upload` over the hub API.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "cli/context.h"
#include "common/error.h"

namespace certfleet::cli {

struct CustomerOptions {
  std::string name;
  std::optional<std::string> new_name;  // set --name
  std::optional<std::string> contact;
  std::optional<std::string> support_expires;  // YYYY-MM-DD; "" clears (set --no-support-expires)
};
Status RunCustomerAdd(CliContext& ctx, const CustomerOptions& o);
Status RunCustomerList(CliContext& ctx, const std::string& search);
// Its contact, support expiry, machines, domain counts by state and soonest expiries.
Status RunCustomerShow(CliContext& ctx, const std::string& name);
Status RunCustomerSet(CliContext& ctx, const CustomerOptions& o);
Status RunCustomerDelete(CliContext& ctx, const std::string& name);

struct MachineOptions {
  std::string name;
  std::optional<std::string> new_name;
  std::optional<std::string> address;
  std::optional<std::string> customer;  // "" = none (set --no-customer)
};
Status RunMachineAdd(CliContext& ctx, const MachineOptions& o);
Status RunMachineList(CliContext& ctx, const std::string& search);
// Its agent (version, last contact), what it serves with each domain's state.
Status RunMachineShow(CliContext& ctx, const std::string& name);
Status RunMachineSet(CliContext& ctx, const MachineOptions& o);
Status RunMachineDelete(CliContext& ctx, const std::string& name);
// Moves every domain of `from` to `to` (added there, removed from `from`).
Status RunMachineDrain(CliContext& ctx, const std::string& from, const std::string& to,
                       bool dry_run);

struct CertUploadOptions {
  std::string domain;
  std::filesystem::path cert_file;  // chain PEM, leaf first
  std::filesystem::path key_file;
};
Status RunCertUpload(CliContext& ctx, const CertUploadOptions& o);

}  // namespace certfleet::cli
