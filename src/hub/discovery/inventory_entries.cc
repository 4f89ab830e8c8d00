// ReportJson, ReportEntries and ToMachineInventory (inventory_report.h).
#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "common/time_format.h"
#include "crypto/hash.h"
#include "hub/discovery/inventory_report.h"

namespace certfleet::hub::discovery {
namespace {

using nlohmann::json;

json FileJson(const ReportFile& f) {
  return {{"path", f.path},     {"file", f.file},   {"line", f.line},
          {"status", f.status}, {"error", f.error}, {"sha256", f.sha256}};
}

// Everything but collected_at: the digest of an unchanged host stays the same.
json ContentJson(const InventoryReport& r) {
  json servers = json::array();
  for (const auto& s : r.servers) {
    json pairs = json::array();
    for (const auto& p : s.pairs) {
      pairs.push_back({{"certificate", FileJson(p.certificate)},
                       {"key", FileJson(p.key)},
                       {"inherited", p.inherited}});
    }
    servers.push_back({{"context", s.context},
                       {"file", s.file},
                       {"line", s.line},
                       {"server_names", s.server_names},
                       {"listens", s.listens},
                       {"tls", s.tls},
                       {"pairs", pairs}});
  }
  json certificates = json::array();
  for (const auto& c : r.certificates) {
    certificates.push_back({{"sha256", c.sha256},
                            {"names", c.names},
                            {"subject", c.subject},
                            {"issuer", c.issuer},
                            {"serial", c.serial},
                            {"not_before", FormatRfc3339(c.not_before)},
                            {"not_after", FormatRfc3339(c.not_after)},
                            {"key_type", c.key_type},
                            {"self_signed", c.self_signed},
                            {"chain_length", c.chain_length}});
  }
  json probes = json::array();
  for (const auto& p : r.probes) {
    probes.push_back(
        {{"name", p.name}, {"address", p.address}, {"sha256", p.sha256}, {"error", p.error}});
  }
  return {{"schema", 1},
          {"source", r.source},
          {"main_file", r.main_file},
          {"nginx_error", r.nginx_error},
          {"output_dir", r.output_dir},
          {"servers", servers},
          {"certificates", certificates},
          {"probes", probes},
          {"problems", r.problems}};
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// server_name entries that name hosts (not regexes, "_" or "").
bool NamesAHost(const std::string& n) {
  return !n.empty() && n[0] != '~' && n != "_" && n[0] != '$';
}

class EntryBuilder {
 public:
  EntryBuilder(const InventoryReport& r, store::Id machine, std::size_t max)
      : machine_(machine), max_(max) {
    for (const auto& c : r.certificates) by_sha_[c.sha256] = &c;
  }

  void File(const std::string& name, const ReportFile& f) {
    store::InventoryEntry e = Base(name, "file", f.sha256);
    e.path = f.path;
    e.status = f.status;
    e.detail = f.error;
    e.config_file = f.file;
    e.line = f.line;
    Add(std::move(e));
  }

  void Served(const ReportProbe& p) {
    store::InventoryEntry e = Base(Lower(p.name), "served", p.sha256);
    e.path = p.address;
    e.status = p.sha256.empty() ? "failed" : "ok";
    e.detail = p.error;
    Add(std::move(e));
  }

  const ReportCertificate* Find(const std::string& sha) const {
    auto it = by_sha_.find(sha);
    return it == by_sha_.end() ? nullptr : it->second;
  }

  std::vector<store::InventoryEntry> Take() { return std::move(out_); }

 private:
  store::InventoryEntry Base(std::string name, const char* origin, const std::string& sha) const {
    store::InventoryEntry e;
    e.machine_id = machine_;
    e.name = std::move(name);
    e.origin = origin;
    e.sha256 = sha;
    if (const ReportCertificate* c = Find(sha)) {
      e.not_after = c->not_after;
      e.issuer = c->issuer;
      e.key_type = c->key_type;
      e.serial = c->serial;
    }
    return e;
  }

  void Add(store::InventoryEntry e) {
    if (out_.size() < max_) out_.push_back(std::move(e));
  }

  store::Id machine_;
  std::size_t max_;
  std::map<std::string, const ReportCertificate*> by_sha_;
  std::vector<store::InventoryEntry> out_;
};

}  // namespace

json ReportJson(const InventoryReport& report) {
  json out = ContentJson(report);
  out["collected_at"] = FormatRfc3339(report.collected_at);
  return out;
}

std::vector<store::InventoryEntry> ReportEntries(const InventoryReport& report,
                                                 store::Id machine_id,
                                                 const InventoryLimits& limits) {
  EntryBuilder b(report, machine_id, limits.entries);
  for (const ReportServer& s : report.servers) {
    for (const auto& pair : s.pairs) {
      if (s.context == "http") {
        for (const std::string& n : s.server_names) {
          if (NamesAHost(n)) b.File(Lower(n), pair.certificate);
        }
      } else if (const ReportCertificate* c = b.Find(pair.certificate.sha256)) {
        for (const std::string& n : c->names) b.File(n, pair.certificate);
      }
    }
  }
  for (const ReportProbe& p : report.probes) b.Served(p);
  return b.Take();
}

store::MachineInventory ToMachineInventory(const InventoryReport& report, store::Id machine_id,
                                           const InventoryLimits& limits) {
  store::MachineInventory m;
  m.machine_id = machine_id;
  m.collected_at = report.collected_at;
  m.digest = HexEncode(crypto::Sha256(ContentJson(report).dump()));
  m.body_json = ReportJson(report).dump();
  m.nginx_error = report.nginx_error;
  m.problems = static_cast<std::int32_t>(report.problems.size());
  m.entries = ReportEntries(report, machine_id, limits);
  return m;
}

}  // namespace certfleet::hub::discovery
