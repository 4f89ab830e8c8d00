#include "agent/discovery/discover_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "agent/discovery/inventory_json.h"

namespace certfleet::agent::discovery {

DiscoveryOptions OptionsFromConfig(const AgentConfig& config) {
  DiscoveryOptions o;
  o.dump_command = config.discovery.dump_command;
  o.nginx_config = config.discovery.nginx_config;
  o.command_timeout = config.command_timeout;
  o.probe = config.discovery.probe;
  o.probe_timeout = config.discovery.probe_timeout;
  o.output_dir = config.output_dir.string();
  return o;
}

int RunDiscoverCommand(const AgentConfig& config, const DiscoverCommandOptions& options,
                       std::shared_ptr<net::HttpTransport> transport, std::ostream& out) {
  const DiscoveryOptions discovery = OptionsFromConfig(config);
  if (!options.report) {
    const Inventory inventory = Discover(discovery, SystemClock::Instance());
    if (options.json) {
      out << InventoryJson(inventory).dump(2) << "\n";
    } else {
      PrintInventory(inventory, out);
    }
    return 0;
  }
  HttpInventoryClient hub(config.hub_url, config.token, std::move(transport));
  const PassResult pass = RunDiscoveryPass(discovery, SystemClock::Instance(), hub);
  if (options.json) {
    out << InventoryJson(pass.inventory).dump(2) << "\n";
  } else {
    PrintInventory(pass.inventory, out);
  }
  if (!pass.reported) {
    out << "not reported: " << pass.reported.error().message << "\n";
    return 1;
  }
  out << "reported to " << config.hub_url << " (" << pass.inventory.servers.size()
      << " server blocks, " << pass.inventory.certificates.size()
      << " certificates); uploads: " << pass.uploads.uploaded << " sent, " << pass.uploads.declined
      << " declined\n";
  return pass.uploads.failed == 0 ? 0 : 1;
}

std::unique_ptr<DiscoveryLoop> StartDiscoveryLoop(const AgentConfig& config,
                                                  std::shared_ptr<net::HttpTransport> transport) {
  if (!config.discovery.enabled) return nullptr;
  LoopSettings settings;
  settings.interval =
      config.discovery.interval.count() > 0 ? config.discovery.interval : config.resync_interval;
  settings.upload_poll = config.discovery.upload_poll;
  auto loop = std::make_unique<DiscoveryLoop>(
      OptionsFromConfig(config), settings, SystemClock::Instance(),
      std::make_shared<HttpInventoryClient>(config.hub_url, config.token, std::move(transport)));
  loop->Start();
  return loop;
}

}  // namespace certfleet::agent::discovery
