// ReadDns01Config: the only file of solver/dns01 that includes toml++.
#include <toml++/toml.h>

#include "common/toml_table_reader.h"
#include "dns/message.h"
#include "solver/dns01/dns01_config.h"

namespace certfleet::solver {
namespace {

Status ReadAddresses(TomlTableReader& r, std::string_view key,
                     std::vector<dns::ServerAddress>& out) {
  std::vector<std::string> texts;
  if (auto s = r.Strings(key, texts); !s) return s;
  for (const std::string& text : texts) {
    auto address = dns::ParseServerAddress(text);
    if (!address) return r.Bad(key, address.error().message);
    out.push_back(*address);
  }
  return Ok();
}

Status ReadDelegation(const toml::node& node, std::string_view source, DelegationConfig& out) {
  if (!node.is_table())
    return Fail(ErrorCode::kInvalidArgument,
                "config " + std::string(source) + ": dns01.delegation: must be a table");
  TomlTableReader r(*node.as_table(), "dns01.delegation.", source);
  Status s = r.String("zone", out.zone);
  if (s) s = r.Strings("nameservers", out.nameservers);
  if (s) s = r.String("hostmaster", out.hostmaster);
  if (s) s = r.String("listen", out.listen);
  if (s) s = r.Int("udp_threads", 1, 64, out.udp_threads);
  if (s) s = r.Int("rate_limit", 0, 1'000'000, out.rate_limit.per_second);
  if (s) s = ReadAddresses(r, "peers", out.peers);
  if (s) s = r.RejectUnknown();
  out.zone = dns::CanonicalName(out.zone);
  for (std::string& server : out.nameservers) server = dns::CanonicalName(server);
  return s;
}

Status ReadKind(TomlTableReader& r, Dns01SolverKind& out) {
  std::string solver;
  if (auto s = r.String("solver", solver); !s) return s;
  if (solver == "delegation") {
    out = Dns01SolverKind::kDelegation;
  } else if (solver == "rfc2136") {
    out = Dns01SolverKind::kRfc2136;
  } else {
    return r.Bad("solver", "must be delegation or rfc2136, got \"" + solver + "\"");
  }
  return Ok();
}

Status ReadRfc2136(TomlTableReader& r, Dns01ZoneConfig& out) {
  std::string server;
  std::int64_t ttl = out.rfc2136.ttl;
  std::int64_t timeout = out.rfc2136.propagation_timeout.count() / 1000;
  Status s = r.String("server", server);
  if (s) s = r.String("key_name", out.rfc2136.key.name);
  if (s) s = r.String("key_algorithm", out.rfc2136.key.algorithm);
  if (s) s = r.String("secret_file", out.secret_file);
  if (s) s = ReadAddresses(r, "check_servers", out.rfc2136.check_servers);
  if (s) s = r.Int("ttl", std::int64_t{1}, std::int64_t{86400}, ttl);
  if (s) s = r.Int("propagation_timeout_seconds", std::int64_t{1}, std::int64_t{3600}, timeout);
  if (!s) return s;
  if (out.kind != Dns01SolverKind::kRfc2136) {
    if (!server.empty() || !out.rfc2136.key.name.empty() || !out.secret_file.empty())
      return r.Bad("server", "server, key_name and secret_file belong to solver = \"rfc2136\"");
    return Ok();
  }
  if (server.empty()) return r.Bad("server", "required for solver = \"rfc2136\" (IP[:PORT])");
  auto address = dns::ParseServerAddress(server);
  if (!address) return r.Bad("server", address.error().message);
  out.rfc2136.server = *address;
  out.rfc2136.zone = out.zone;
  out.rfc2136.key.name = dns::CanonicalName(out.rfc2136.key.name);
  out.rfc2136.ttl = static_cast<std::uint32_t>(ttl);
  out.rfc2136.propagation_timeout = std::chrono::seconds(timeout);
  return Ok();
}

Status ReadZone(const toml::table& table, const std::string& prefix, std::string_view source,
                Dns01ZoneConfig& out) {
  TomlTableReader r(table, prefix, source);
  std::string zone;
  Status s = r.String("zone", zone);
  if (s && zone.empty()) s = r.Bad("zone", "required (a DNS zone, or \".\" for every name)");
  out.zone = dns::CanonicalName(zone);
  if (s) s = ReadKind(r, out.kind);
  if (s) s = ReadRfc2136(r, out);
  if (s) s = r.RejectUnknown();
  return s;
}

Status ReadZones(TomlTableReader& r, std::string_view source, Dns01Config& config) {
  const toml::node* node = r.Take("zone");
  if (node == nullptr) return Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr) return r.Bad("zone", "must be an array of tables ([[dns01.zone]])");
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string prefix = "dns01.zone[" + std::to_string(i) + "].";
    const toml::table* table = array->get(i)->as_table();
    if (table == nullptr) return r.Bad("zone[" + std::to_string(i) + "]", "must be a table");
    Dns01ZoneConfig zone;
    if (auto s = ReadZone(*table, prefix, source, zone); !s) return s;
    config.zones.push_back(std::move(zone));
  }
  return Ok();
}

}  // namespace

Result<Dns01Config> ReadDns01Config(std::string_view toml_text, std::string_view source) {
  auto document = ParseTomlDocument(toml_text, source);
  if (!document) return Fail(document.error());
  Dns01Config config;
  const toml::node* node = document->get("dns01");
  if (node == nullptr) return config;
  if (!node->is_table())
    return Fail(ErrorCode::kInvalidArgument,
                "config " + std::string(source) + ": dns01: must be a table ([dns01])");
  TomlTableReader r(*node->as_table(), "dns01.", source);
  std::string resolver;
  Status s = r.String("resolver", resolver);
  if (s && !resolver.empty()) {
    auto address = dns::ParseServerAddress(resolver);
    if (!address) s = r.Bad("resolver", address.error().message);
    if (address) config.resolver = *address;
  }
  if (const toml::node* delegation = r.Take("delegation"); s && delegation != nullptr)
    s = ReadDelegation(*delegation, source, config.delegation.emplace());
  if (s) s = ReadZones(r, source, config);
  if (s) s = r.RejectUnknown();
  if (!s) return Fail(s.error());
  return config;
}

}  // namespace certfleet::solver
