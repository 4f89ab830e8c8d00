#include "agent/discovery/inventory_json.h"

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "common/time_format.h"

namespace certfleet::agent::discovery {
namespace {

using nlohmann::json;

json FileJson(const FileReport& f) {
  return {{"path", f.path},   {"file", f.file},
          {"line", f.line},   {"status", FileStatusName(f.status)},
          {"error", f.error}, {"sha256", f.sha256}};
}

json ServerJson(const ServerReport& s) {
  json pairs = json::array();
  for (const auto& p : s.pairs) {
    pairs.push_back({{"certificate", FileJson(p.certificate)},
                     {"key", FileJson(p.key)},
                     {"inherited", p.inherited}});
  }
  return {
      {"context", s.context}, {"file", s.file}, {"line", s.line}, {"server_names", s.server_names},
      {"listens", s.listens}, {"tls", s.tls},   {"pairs", pairs}};
}

json FactsJson(const CertificateFacts& c) {
  return {{"sha256", c.sha256},
          {"names", c.names},
          {"subject", c.subject},
          {"issuer", c.issuer},
          {"serial", c.serial},
          {"not_before", FormatRfc3339(c.not_before)},
          {"not_after", FormatRfc3339(c.not_after)},
          {"key_type", c.key_type},
          {"self_signed", c.self_signed},
          {"chain_length", c.chain_length}};
}

}  // namespace

std::string_view FileStatusName(FileStatus status) {
  switch (status) {
    case FileStatus::kOk:
      return "ok";
    case FileStatus::kMissing:
      return "missing";
    case FileStatus::kUnreadable:
      return "unreadable";
    case FileStatus::kInvalid:
      return "invalid";
    case FileStatus::kVariable:
      return "variable";
    case FileStatus::kInline:
      return "inline";
    case FileStatus::kEngine:
      return "engine";
    case FileStatus::kAbsent:
      return "absent";
  }
  return "invalid";
}

json InventoryJson(const Inventory& inv) {
  json servers = json::array();
  for (const auto& s : inv.servers) servers.push_back(ServerJson(s));
  json certificates = json::array();
  for (const auto& c : inv.certificates) certificates.push_back(FactsJson(c));
  json probes = json::array();
  for (const auto& p : inv.probes) {
    probes.push_back(
        {{"name", p.name}, {"address", p.address}, {"sha256", p.sha256}, {"error", p.error}});
  }
  return {{"schema", 1},
          {"collected_at", FormatRfc3339(inv.collected_at)},
          {"source", inv.source},
          {"main_file", inv.main_file},
          {"nginx_error", inv.nginx_error},
          {"output_dir", inv.output_dir},
          {"servers", servers},
          {"certificates", certificates},
          {"probes", probes},
          {"problems", inv.problems}};
}

void PrintInventory(const Inventory& inv, std::ostream& out) {
  std::map<std::string, const CertificateFacts*> by_sha;
  for (const auto& c : inv.certificates) by_sha[c.sha256] = &c;
  out << "nginx configuration " << inv.main_file << " (from " << inv.source << ")\n";
  if (!inv.nginx_error.empty()) out << "  nginx -T failed: " << inv.nginx_error << "\n";
  for (const auto& p : inv.problems) out << "  problem: " << p << "\n";
  for (const auto& s : inv.servers) {
    out << s.file << ":" << s.line << " server";
    for (const auto& n : s.server_names) out << " " << n;
    out << (s.tls ? "" : " (no TLS listener)") << "\n";
    for (const auto& p : s.pairs) {
      out << "  certificate " << p.certificate.path << ": " << FileStatusName(p.certificate.status);
      auto it = by_sha.find(p.certificate.sha256);
      if (it != by_sha.end()) {
        out << ", " << it->second->key_type << ", not after "
            << FormatRfc3339(it->second->not_after) << ", issuer " << it->second->issuer;
      } else if (!p.certificate.error.empty()) {
        out << " (" << p.certificate.error << ")";
      }
      out << "\n  key " << p.key.path << ": " << FileStatusName(p.key.status) << "\n";
    }
  }
  for (const auto& p : inv.probes) {
    out << "served " << p.name << " at " << p.address << ": "
        << (p.sha256.empty() ? p.error : "sha256 " + p.sha256) << "\n";
  }
}

}  // namespace certfleet::agent::discovery
