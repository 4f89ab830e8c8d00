// The discovery report an agent sends (POST /api/v1/agent/inventory), validated.
//
// The report is untrusted input from the network: the agent's host may be compromised or
// its agent may be of another version. ParseInventoryReport checks
// - structure: "schema": 1, every field of the documented shape with the right type,
//   unknown fields refused (a newer schema gets a new number);
// - sizes: the limits of InventoryLimits (counts and string lengths), UTF-8 (the JSON
//   parser refuses ill-formed UTF-8), no control characters in names and paths;
// - values: fingerprints are 64 lower-case hex digits, statuses from the known set,
//   times RFC 3339, every fingerprint a server or probe refers to is listed once in
//   "certificates";
// and fails with kInvalidArgument naming the field ("servers[3].pairs[0].certificate.status:
// must be one of ok, missing, ...").
// A certificate may hold names that are no host names at all (a hostile or broken
// certificate on the host): those are left out of its "names" and said so in "problems",
// so one odd file never blocks a machine's whole inventory.
// Error and problem texts are truncated and control characters replaced, not refused.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/inventory_types.h"

namespace certfleet::hub::discovery {

struct InventoryLimits {
  std::size_t servers = 5000;
  std::size_t pairs_per_server = 16;
  std::size_t names_per_server = 1000;
  std::size_t listens_per_server = 64;
  std::size_t certificates = 20000;
  std::size_t names_per_certificate = 1000;
  std::size_t probes = 20000;
  std::size_t problems = 200;
  std::size_t entries = 200000;  // rows derived for the fleet views
  std::size_t path_bytes = 4096;
  std::size_t text_bytes = 2000;  // errors, problems
};

struct ReportFile {
  std::string path;
  std::string file;
  std::int32_t line = 0;
  std::string status;  // ok missing unreadable invalid variable inline engine absent
  std::string error;
  std::string sha256;
};

struct ReportServer {
  std::string context;  // "http" or "stream"
  std::string file;
  std::int32_t line = 0;
  std::vector<std::string> server_names;
  std::vector<std::string> listens;
  bool tls = false;
  struct Pair {
    ReportFile certificate;
    ReportFile key;
    bool inherited = false;
  };
  std::vector<Pair> pairs;
};

struct ReportCertificate {
  std::string sha256;
  std::vector<std::string> names;  // canonical host names (wildcards allowed)
  int dropped_names = 0;           // names that were not host names, left out
  std::string subject;
  std::string issuer;
  std::string serial;
  TimePoint not_before{};
  TimePoint not_after{};
  std::string key_type;
  bool self_signed = false;
  std::int32_t chain_length = 1;
};

struct ReportProbe {
  std::string name;
  std::string address;
  std::string sha256;
  std::string error;
};

struct InventoryReport {
  TimePoint collected_at{};
  std::string source;  // "nginx -T" or "files"
  std::string main_file;
  std::string nginx_error;
  std::string output_dir;
  std::vector<ReportServer> servers;
  std::vector<ReportCertificate> certificates;
  std::vector<ReportProbe> probes;
  std::vector<std::string> problems;

  const ReportCertificate* Find(const std::string& sha256) const;
};

Result<InventoryReport> ParseInventoryReport(std::string_view body,
                                             const InventoryLimits& limits = {});

// The canonical JSON of a report (the shape ParseInventoryReport reads).
nlohmann::json ReportJson(const InventoryReport& report);

// The row the store keeps: canonical body, digest (over everything but collected_at, so
// an unchanged host reports an unchanged digest), summary and the derived entries.
store::MachineInventory ToMachineInventory(const InventoryReport& report, store::Id machine_id,
                                           const InventoryLimits& limits = {});

// The per-name rows (store/inventory_types.h): for each http server block, one "file"
// entry per server_name and certificate pair (stream servers: per certificate name), and one
// "served" entry per probe. At most limits.entries.
std::vector<store::InventoryEntry> ReportEntries(const InventoryReport& report,
                                                 store::Id machine_id,
                                                 const InventoryLimits& limits = {});

}  // namespace certfleet::hub::discovery
