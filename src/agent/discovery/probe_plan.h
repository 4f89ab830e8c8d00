// Which TLS handshakes discovery makes: for every TLS server block, each of its server
// names that a client can send as SNI, on each of its TLS listeners that can be reached
// over TCP. Pure.
//
//   server_name shop.example.com www.shop.example.com;  → both names
//   server_name *.example.com;   → "certfleet-probe.example.com" (a name the wildcard covers)
//   server_name .example.com;    → "example.com" (nginx: example.com and *.example.com)
//   server_name ~^re$ _ "" www.example.*;   → not probed (no single name to send)
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/discovery/nginx_tls_config.h"

namespace certfleet::agent::discovery {

struct ProbeTarget {
  std::string name;         // the SNI to send (lower case)
  std::string server_name;  // as written in server_name
  std::string address;      // "127.0.0.1:443", "[::1]:443"
};

// The SNI to send for a server_name entry, or nullopt when there is none.
std::optional<std::string> SniFor(std::string_view server_name);

// Targets in configuration order without duplicates (name, address), at most `max`.
std::vector<ProbeTarget> PlanProbes(const NginxTlsConfig& config, std::size_t max);

}  // namespace certfleet::agent::discovery
