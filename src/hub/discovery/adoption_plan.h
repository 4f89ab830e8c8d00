// Adopting a discovered name: which domain to create, which machines host it, which
// certificate to take over (manual) and which nginx lines to change on each machine.
// Pure: decided from the machines' validated reports (inventory_report.h) and the clock.
//
// - Machines: every machine whose nginx has a TLS server block with the name in server_name
//   (kNotFound when none: "run certfleet-agent discover on the hosts first").
// - manual: the certificate to take over is the best readable one configured for the name
//   that covers it and is valid now, with a readable key on one of those machines (the agent
//   of that machine uploads it when asked): CA-issued before self-signed, then the one valid
//   longest; the printout names the machine and issuer it comes from. The domain gets the
//   certificate's names (name first), so the upload passes the hub's coverage check.
//   kFailedPrecondition-like kConflict when there is none ("... expired on ...: adopt it with
//   an ACME issuer").
// - ACME issuer: the domain gets the host names of those server blocks (no wildcards:
//   HTTP-01); a certificate is issued and deployed as for any new domain.
// - nginx lines: for each such server block, its ssl_certificate/ssl_certificate_key lines
//   and what they become: <output_dir>/live/<domain>/fullchain.pem and privkey.pem (the
//   agent's files); further pairs (RSA + ECDSA) are to be removed; pairs inherited from the
//   http level are to be set in the server block instead. With SiteLines::kReloadFree both
//   become `$certfleet_bundle` (docs/nginx.md §4: nginx reads the agent's bundle.pem at each
//   handshake, renewals need no reload), and a note per machine names the map file to
//   include once in http {} and the agent settings that mode needs.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "hub/discovery/inventory_report.h"

namespace certfleet::hub::discovery {

struct MachineReport {
  store::Id machine_id = 0;
  std::string machine;
  InventoryReport report;
};

// One nginx directive to change on one machine.
struct LineChange {
  std::string file;
  std::int32_t line = 0;
  std::string directive;  // "ssl_certificate" or "ssl_certificate_key"
  std::string old_value;
  std::string new_value;   // "" = remove the line
  bool inherited = false;  // set on http level: add new_value in the server block instead
};

struct ServerChange {
  store::Id machine_id = 0;
  std::string machine;
  std::string file;  // the server block's file and line
  std::int32_t line = 0;
  std::vector<std::string> server_names;
  std::vector<LineChange> lines;
};

// Which lines the site's server block gets.
enum class SiteLines { kAgentFiles, kReloadFree };

struct AdoptionPlan {
  std::string name;
  SiteLines lines = SiteLines::kAgentFiles;
  std::vector<std::string> sans;
  std::string issuer;
  std::string key_type;  // "" = the hub's default
  std::vector<store::Id> machine_ids;
  // manual: the certificate the agent of source_machine_id uploads.
  std::string source_sha256;
  store::Id source_machine_id = 0;
  std::optional<TimePoint> source_not_after;
  std::string source_issuer;
  bool source_self_signed = false;
  std::vector<ServerChange> changes;
  std::vector<std::string> notes;  // e.g. "web-02 is configured with another certificate ..."
};

Result<AdoptionPlan> PlanAdoption(const std::string& name, const std::string& issuer,
                                  const std::vector<MachineReport>& machines, TimePoint now,
                                  SiteLines lines = SiteLines::kAgentFiles);

// The changes as a person applies them:
//   web-01: /etc/nginx/sites/shop.conf line 1 (server shop.test www.shop.test)
//     line 4: ssl_certificate /etc/ssl/shop.crt;
//          →  ssl_certificate /etc/certfleet/live/shop.test/fullchain.pem;
//   change them once `certfleet domain show shop.test` lists each machine as pending …
//   then on web-01: nginx -t && nginx -s reload
void PrintNginxChanges(const AdoptionPlan& plan, std::ostream& out);

}  // namespace certfleet::hub::discovery
