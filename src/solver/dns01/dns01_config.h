// Dns01Config: how a hub answers DNS-01 — the [dns01] section of the hub config.
//
//   [dns01]
//   resolver = "192.0.2.1:53"          # recursive resolver for checks and NS look-ups;
//                                      # default: the first nameserver of /etc/resolv.conf
//   [dns01.delegation]                 # the hub's own authoritative DNS for one zone
//   zone = "acme.provider.net"         # delegated to the hubs by NS records in provider.net
//   nameservers = ["hub1.provider.net", "hub2.provider.net"]   # its NS records (outside it)
//   hostmaster = "hostmaster.provider.net"                     # SOA contact; default hostmaster.<zone>
//   listen = "0.0.0.0:53"              # UDP and TCP
//   udp_threads = 1
//   rate_limit = 200                   # UDP answers per second per source /24 (/56); 0 = off
//   peers = ["192.0.2.11:53"]          # the other hubs' responders: wait until they answer too
//   [[dns01.zone]]                     # which names use which DNS-01 solver (longest match)
//   zone = "example.com"               # names at or below it; "." = every name
//   solver = "delegation"              # the customer CNAMEs _acme-challenge.<name> to us
//   [[dns01.zone]]
//   zone = "hosted.provider.net"
//   solver = "rfc2136"                 # updates to the provider's own server with TSIG
//   server = "192.0.2.53:53"  key_name = "certfleet"  key_algorithm = "hmac-sha256"
//   secret_file = "/etc/certfleet/dns-certfleet.key"   # 0600; base64 or tsig-keygen output
//                                      # (or CERTFLEET_HUB_DNS01_<ZONE>_SECRET, ZONE upper-cased,
//                                      # '.' and '-' → '_')
//   check_servers = ["192.0.2.53", "192.0.2.54"]   # default: the zone's NS records
//   ttl = 60  propagation_timeout_seconds = 120
//
// Which challenge types an issuer may use is the issuer's `challenges` list
// (issuance::IssuerConfig); wildcard names need one whose zone table covers them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "dns/responder/rate_limiter.h"
#include "dns/server_address.h"
#include "solver/dns01/rfc2136_solver.h"

namespace certfleet::solver {

struct DelegationConfig {
  std::string zone;
  std::vector<std::string> nameservers;
  std::string hostmaster;
  std::string listen = "0.0.0.0:53";
  int udp_threads = 1;
  dns::RateLimit rate_limit;
  std::vector<dns::ServerAddress> peers;
};

enum class Dns01SolverKind { kDelegation, kRfc2136 };

struct Dns01ZoneConfig {
  std::string zone;  // canonical; "" = every name (written "." in the file)
  Dns01SolverKind kind = Dns01SolverKind::kDelegation;
  // kRfc2136 only. key.secret comes from secret_file (read by LoadDns01Secrets) or the
  // environment; settings.zone is `zone`.
  Rfc2136Settings rfc2136;
  std::string secret_file;
};

struct Dns01Config {
  std::optional<dns::ServerAddress> resolver;
  std::optional<DelegationConfig> delegation;
  std::vector<Dns01ZoneConfig> zones;

  bool empty() const { return !delegation && zones.empty(); }
  // The zone entry for `name` by longest match, or nullptr.
  const Dns01ZoneConfig* ZoneFor(std::string_view name) const;
};

// Reads [dns01] from a whole config file (absent → empty). Errors name the key:
//   "config hub.toml: dns01.zone[1].solver: must be delegation or rfc2136, got \"nsupdate\"".
Result<Dns01Config> ReadDns01Config(std::string_view toml_text, std::string_view source);

// Applies CERTFLEET_HUB_DNS01_<ZONE>_SECRET to the RFC 2136 zones (the env variable wins
// over secret_file), then reads the remaining secret files. Errors name the zone.
Status LoadDns01Secrets(Dns01Config& config,
                        const std::function<std::optional<std::string>(std::string_view)>& env);

// The environment variable of a zone's secret: "CERTFLEET_HUB_DNS01_EXAMPLE_COM_SECRET".
std::string Dns01SecretVariable(std::string_view zone);

// Checks the whole section after the secrets are loaded: zones unique; a delegation zone
// needs [dns01.delegation]; valid delegation settings (dns::ValidateZoneSettings, listen
// address); valid RFC 2136 settings (key, secret, server).
Status ValidateDns01Config(const Dns01Config& config, std::string_view source);

}  // namespace certfleet::solver
