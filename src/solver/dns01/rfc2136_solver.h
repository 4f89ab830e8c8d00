// Rfc2136Solver: answers DNS-01 (RFC 8555 §8.4) by RFC 2136 dynamic updates, signed
// with TSIG, to the zone's own primary server — the provider's BIND, Knot or PowerDNS.
// No credentials for anything but the update of that zone are needed.
//
//   Present: add _acme-challenge.<name> TXT "<digest>" (TTL `ttl`), then wait until
//            every authoritative server of the zone answers it (asked directly), up to
//            `propagation_timeout`: only then may the CA look.
//   CleanUp: delete exactly that record (other TXT records at the name stay).
//
// Covers names at or below `zone` (and their wildcards). Errors come from dns/update.h
// and dns/txt_wait.h and say what to change (the key, the allow-update rule, the zone).
//
// Thread safety: Present/CleanUp may run concurrently (no shared mutable state).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "acme/challenge_solver.h"
#include "common/clock.h"
#include "dns/server_address.h"
#include "dns/tsig.h"
#include "dns/update.h"

namespace certfleet::solver {

struct Rfc2136Settings {
  std::string zone;           // canonical, e.g. "shop.example.com"
  dns::ServerAddress server;  // the primary that accepts updates
  dns::TsigKey key;
  // The servers that must answer the record before the CA is told; empty = the zone's
  // NS records, resolved through `resolver`.
  std::vector<dns::ServerAddress> check_servers;
  std::optional<dns::ServerAddress> resolver;  // unset: /etc/resolv.conf's first
  std::uint32_t ttl = 60;
  std::chrono::milliseconds propagation_timeout{std::chrono::seconds(120)};
  std::chrono::milliseconds update_timeout{std::chrono::seconds(10)};
};

class Rfc2136Solver final : public acme::ChallengeSolver {
 public:
  // `clock` (waiting between checks) must outlive the solver.
  Rfc2136Solver(Rfc2136Settings settings, Clock& clock);

  std::string_view Type() const override { return "dns-01"; }
  bool Covers(std::string_view identifier, bool wildcard) const override;
  Status Present(const acme::ChallengeTask& task) override;
  Status CleanUp(const acme::ChallengeTask& task) override;

  // Deletes exactly `name` TXT "value" from the zone (what CleanUp does for a task): how a
  // record left behind by a hub killed mid-order is removed later. Fine when not there.
  Status DeleteTxt(std::string_view name, std::string_view value) const;

  const Rfc2136Settings& settings() const { return settings_; }

 private:
  Result<std::vector<dns::ServerAddress>> CheckServers() const;
  dns::UpdateServer Target() const;

  const Rfc2136Settings settings_;
  Clock& clock_;
};

// Checks settings read from a config or the command line: zone and key valid, a
// positive TTL and timeouts. kInvalidArgument naming the zone.
Status ValidateRfc2136Settings(const Rfc2136Settings& settings);

}  // namespace certfleet::solver
