#include "agent/discovery/probe_plan.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

namespace certfleet::agent::discovery {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Letters, digits, '-' and '.': what a host name in SNI may hold (RFC 6066 §3).
bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.') return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '.'; });
}

}  // namespace

std::optional<std::string> SniFor(std::string_view server_name) {
  if (server_name.empty() || server_name[0] == '~' || server_name[0] == '$') return std::nullopt;
  std::string name = Lower(server_name);
  if (name.rfind("*.", 0) == 0)
    name = "certfleet-probe" + name.substr(1);
  else if (name[0] == '.')
    name = name.substr(1);
  if (!IsHostName(name)) return std::nullopt;  // "_", "www.example.*", IP-less junk
  return name;
}

std::vector<ProbeTarget> PlanProbes(const NginxTlsConfig& config, std::size_t max) {
  std::vector<ProbeTarget> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const TlsServer& server : config.servers) {
    if (!server.tls || server.context != "http") continue;
    for (const std::string& server_name : server.server_names) {
      auto sni = SniFor(server_name);
      if (!sni) continue;
      for (const Listen& listen : server.listens) {
        if (!listen.ssl) continue;
        auto address = ProbeAddress(listen);
        if (!address || !seen.emplace(*sni, *address).second) continue;
        if (out.size() >= max) return out;
        out.push_back({*sni, server_name, *address});
      }
    }
  }
  return out;
}

}  // namespace certfleet::agent::discovery
