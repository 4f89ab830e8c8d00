// `certfleet acme issue --dns01-rfc2136 ...`: the command line's DNS-01 by RFC 2136 + TSIG,
// turned into a solver::Rfc2136Solver. main.cc parses the flags into these options.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "solver/dns01/rfc2136_solver.h"

namespace certfleet::cli {

struct AcmeDns01Options {
  std::string server;              // --dns01-rfc2136 IP[:PORT]: the zone's primary; "" = no DNS-01
  std::string zone;                // --dns01-zone
  std::string key_name;            // --tsig-key (may come from a tsig-keygen file)
  std::string key_algorithm;       // --tsig-algorithm; "" = hmac-sha256 (or the file's)
  std::string secret_file;         // --tsig-secret-file, or CERTFLEET_TSIG_SECRET
  std::vector<std::string> check;  // --dns01-check IP[:PORT] (repeat); empty = the NS
  std::string resolver;            // --dns01-resolver IP[:PORT]; "" = /etc/resolv.conf
  int timeout_seconds = 120;       // --dns01-timeout: waiting for every server
};

// Reads an environment variable (injected so tests need no setenv).
using EnvGetter = std::function<std::optional<std::string>(std::string_view)>;

// Validates the options and makes the solver. Errors name the flag:
//   "--dns01-zone is required with --dns01-rfc2136"
//   "--tsig-secret-file or CERTFLEET_TSIG_SECRET is required with --dns01-rfc2136"
Result<std::unique_ptr<solver::Rfc2136Solver>> MakeRfc2136Solver(const AcmeDns01Options& options,
                                                                 const EnvGetter& env);

}  // namespace certfleet::cli
