// `certfleet inventory ...` (issue 19): what the agents discovered on the fleet, and
// adopting a discovered name.
//
//   certfleet inventory list [--state unmanaged|drifting|managed] [--conflicts]
//                            [--expiring-days N] [--search TEXT] [--json]
//   certfleet inventory show NAME [--json]        what each machine has for NAME
//   certfleet inventory machine NAME [--json]     a machine's latest report
//   certfleet inventory adopt NAME [--issuer I] [--customer C] [--reload-free] [--apply] [--json]
//
// adopt without --apply shows what would happen; with --apply it creates the domain on the
// machines that serve NAME (issuer manual: their agent uploads the certificate found there;
// an ACME issuer: a certificate is ordered) and prints the nginx lines to change.
#pragma once

#include <iosfwd>
#include <string>

#include "cli/hub_client.h"
#include "common/error.h"

namespace certfleet::cli {

struct InventoryListOptions {
  std::string state;
  bool conflicts = false;
  int expiring_days = -1;  // -1 = any
  std::string search;
  bool json = false;
};
Status RunInventoryList(HubClient& hub, const InventoryListOptions& o, std::ostream& out);
Status RunInventoryShow(HubClient& hub, const std::string& name, bool json, std::ostream& out);
Status RunInventoryMachine(HubClient& hub, const std::string& machine, bool json,
                           std::ostream& out);

struct AdoptOptions {
  std::string name;
  std::string issuer;
  std::string customer;
  bool apply = false;
  bool json = false;
  bool reload_free = false;  // the block gets certfleet's reload-free lines
};
Status RunInventoryAdopt(HubClient& hub, const AdoptOptions& o, std::ostream& out);

}  // namespace certfleet::cli
