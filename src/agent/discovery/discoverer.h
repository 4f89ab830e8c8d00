// Discover: one discovery pass on this host (`certfleet-agent discover`, and each resync
// when [discovery] is on).
//
//   1. the configuration: stdout of `nginx -T` (dump_command); when that fails (nginx -T
//      prints nothing if the configuration does not load), the files from disk starting
//      at nginx_config, with the failure kept in Inventory::nginx_error;
//   2. every TLS server block with its names, listeners and certificate/key pairs
//      (nginx_tls_config.h);
//   3. each certificate file read (certificate_facts.h) and each key file checked for being
//      readable — never read;
//   4. a TLS handshake with SNI per server name and TLS listener (probe_plan.h), so the
//      report says what clients really get, which may differ from the files (a file
//      replaced without a reload, a variable path).
// Never fails as a whole: what could not be done is in the Inventory (nginx_error,
// problems, file statuses, probe errors). Thread-compatible.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "agent/discovery/inventory.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/x509.h"

namespace certfleet::agent::discovery {

struct DiscoveryOptions {
  std::string dump_command = "nginx -T";
  std::string nginx_config = "/etc/nginx/nginx.conf";  // read from disk when nginx -T fails
  Duration command_timeout = std::chrono::seconds(60);
  bool probe = true;
  Duration probe_timeout = std::chrono::seconds(3);
  std::size_t max_probes = 2000;
  std::string output_dir;  // reported, for the nginx lines the hub prints on adoption
};

// The outside world, replaceable in tests.
struct DiscoverySeams {
  // stdout of the dump command; an error (with nginx's message) when it exits non-zero.
  std::function<Result<std::string>(const std::string& command, Duration timeout)> run_dump;
  // The leaf served at address for SNI name.
  std::function<Result<crypto::Certificate>(const std::string& address, const std::string& name,
                                            Duration timeout)>
      probe;
};

// run_dump: the command through the agent's shell runner with stdout to a private temporary
// file (nginx -T of a large configuration is megabytes); probe: live_verifier's handshake.
DiscoverySeams SystemSeams();

Inventory Discover(const DiscoveryOptions& options, Clock& clock,
                   const DiscoverySeams& seams = SystemSeams());

}  // namespace certfleet::agent::discovery
