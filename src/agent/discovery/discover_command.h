// The agent's discovery entry points for main.cc (which only wires):
//   `certfleet-agent discover`  one pass, printed for the person at the terminal;
//   [discovery] enabled = true  the DiscoveryLoop beside the agent loop.
#pragma once

#include <iosfwd>
#include <memory>

#include "agent/config.h"
#include "agent/discovery/discovery_loop.h"
#include "net/http_transport.h"

namespace certfleet::agent::discovery {

struct DiscoverCommandOptions {
  bool report = true;  // --no-report: print only
  bool json = false;   // --json: print the report as JSON instead of the summary
};

// The DiscoveryOptions of an agent config.
DiscoveryOptions OptionsFromConfig(const AgentConfig& config);

// One pass: discover, print, report, answer uploads. Exit code: 0, or 1 when the hub could
// not take the report.
int RunDiscoverCommand(const AgentConfig& config, const DiscoverCommandOptions& options,
                       std::shared_ptr<net::HttpTransport> transport, std::ostream& out);

// The loop when [discovery] enabled = true, else nullptr. Started.
std::unique_ptr<DiscoveryLoop> StartDiscoveryLoop(const AgentConfig& config,
                                                  std::shared_ptr<net::HttpTransport> transport);

}  // namespace certfleet::agent::discovery
