// certfleet-agent: wiring only. See agent_loop.h for the behaviour and config.h for the file.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "agent/agent_loop.h"
#include "agent/bus_link.h"
#include "agent/config.h"
#include "agent/discovery/discover_command.h"
#include "agent/http_hub_client.h"
#include "agent/hub_failure.h"
#include "agent/metrics_textfile.h"
#include "agent/reload_signal.h"
#include "agent/shell_command.h"
#include "common/log_format.h"
#include "common/plain_http.h"
#include "common/termination.h"
#include "net/beast/beast_transport.h"

namespace {

// A transport of its own for discovery (a pass may run long beside the agent's calls).
std::shared_ptr<certfleet::net::HttpTransport> DiscoveryTransport(
    const certfleet::agent::AgentConfig& config) {
  auto transport = certfleet::net::BeastTransport::Create(
      {.ca_file = config.ca_file, .total_timeout = std::chrono::seconds(60)});
  if (!transport) {
    std::cerr << "certfleet-agent: " << transport.error().message << "\n";
    return nullptr;
  }
  return std::move(*transport);
}

// The agent (re)wrote nginx's map (first start in reload-free mode, or another version's
// map): nginx reads it at a reload only. Best effort: a failure is logged, and the names
// the map lists then take the reload path at their first deployment anyway.
void ReloadForNewMap(const certfleet::agent::AgentConfig& config,
                     const certfleet::agent::ReloadFreeFiles& files) {
  using namespace certfleet::agent;
  spdlog::info("reload-free: wrote {}; testing and reloading nginx so it reads it",
               files.MapFile().string());
  const DeployerOptions o = DeployerOptionsFrom(config);
  certfleet::Status s = RunCheckedCommand(o.test_command, o.command_timeout);
  if (s) {
    s = o.reload_signal_pid_file.empty() ? RunCheckedCommand(o.reload_command, o.command_timeout)
                                         : SignalPidFile(o.reload_signal_pid_file, SIGHUP);
  }
  if (!s) spdlog::warn("reload-free: nginx not reloaded for the new map: {}", s.error().message);
}

int Run(const std::string& config_file, bool once,
        const std::optional<certfleet::agent::discovery::DiscoverCommandOptions>& discover) {
  using namespace certfleet;
  auto config = agent::LoadAgentConfigFile(config_file);
  if (!config) {
    std::cerr << "certfleet-agent: " << config.error().message << "\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  ConfigureLogging(*ParseLogFormat(config->log_format), "agent");
  if (IsPlainHttpOffHost(config->hub_url)) {
    spdlog::warn(
        "hub_url {} is plain HTTP to another host (insecure_allow_plain_http = true): the agent "
        "token and the private keys cross the network unencrypted",
        config->hub_url);
  }
  if (discover) {
    auto transport = DiscoveryTransport(*config);
    if (!transport) return 2;
    return agent::discovery::RunDiscoverCommand(*config, *discover, transport, std::cout);
  }
  // Beast + OpenSSL, not libcurl: libcurl's ~26 dependent libraries alone cost ~4 MB of
  // idle RSS. The watch long poll gets its own transport (its own connection and timeout).
  net::BeastTransportOptions api_options{.ca_file = config->ca_file,
                                         .total_timeout = std::chrono::seconds(30)};
  net::BeastTransportOptions watch_options{.ca_file = config->ca_file};
  watch_options.total_timeout = config->watch_wait + std::chrono::seconds(15);
  auto api = net::BeastTransport::Create(api_options);
  auto watch = net::BeastTransport::Create(watch_options);
  if (!api || !watch) {
    std::cerr << "certfleet-agent: " << (api ? watch.error() : api.error()).message << "\n";
    return 2;
  }
  std::shared_ptr<net::BeastTransport> watch_transport = std::move(*watch);
  auto hub = std::make_shared<agent::HttpHubClient>(
      config->hub_url, config->token, std::move(*api), watch_transport,
      [watch_transport] { watch_transport->Cancel(); });
  agent::CertStoreOptions store_options;
  if (config->reload_free) store_options.bundle_group = config->key_gid;
  agent::CertStore store(config->output_dir, store_options);
  auto repaired = store.Repair();
  if (!repaired) {
    spdlog::critical("cannot repair {}: {}", config->output_dir.string(), repaired.error().message);
    return 1;
  }
  for (const auto& domain : *repaired)
    spdlog::warn("{}: finished an install a crash had interrupted", domain);
  agent::ReloadFreeFiles reload_free_files(config->output_dir, config->key_gid);
  if (config->reload_free) {
    auto prepared = reload_free_files.Prepare();
    if (!prepared) {
      spdlog::critical("reload-free mode: {}", prepared.error().message);
      return 1;
    }
    if (*prepared) ReloadForNewMap(*config, reload_free_files);
  }
  agent::Deployer deployer(*hub, store, SystemClock::Instance(),
                           agent::DeployerOptionsFrom(*config), &reload_free_files);
  std::unique_ptr<agent::MetricsTextfile> textfile;
  if (!config->metrics_textfile.empty()) {
    textfile = std::make_unique<agent::MetricsTextfile>(config->metrics_textfile, store,
                                                        config->output_dir);
  }
  auto after_pass = [&textfile](const Result<agent::PassSummary>& pass, Duration took) {
    if (textfile) textfile->AfterPass(pass, took, SystemClock::Instance().Now());
  };
  if (once) {
    const auto started = std::chrono::steady_clock::now();
    auto pass = deployer.Converge();
    after_pass(pass,
               std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started));
    if (!pass) spdlog::error("{}", agent::DescribeHubFailure(pass.error()));
    return pass && pass->failed == 0 && !pass->incomplete ? 0 : 1;
  }
  InstallTerminationHandlers();  // before any thread starts; --once keeps the default dispositions
  agent::LoopOptions loop_options{
      .resync_interval = config->resync_interval,
      .watch_wait = std::chrono::duration_cast<std::chrono::seconds>(config->watch_wait)};
  loop_options.watch_stream = config->WatchStream();
  loop_options.after_pass = after_pass;
  std::unique_ptr<agent::BusLink> bus;  // [rabbitmq]: events from the agent's durable queue
  if (config->rabbitmq) {
    bus = std::make_unique<agent::BusLink>(*config->rabbitmq, hub);
    loop_options.push_connected = [link = bus.get()] { return link->Connected(); };
    loop_options.fallback_interval = config->rabbitmq->fallback_interval;
  }
  agent::AgentLoop loop(hub, deployer, SystemClock::Instance(), loop_options);
  if (bus) {
    bus->Start([&loop](const std::string& type) {
      if (type == agent::kRedeployEvent) loop.Redeploy("");  // the message names no domain
      loop.Trigger();
    });
  }
  std::unique_ptr<agent::discovery::DiscoveryLoop> discovery;  // [discovery] enabled = true
  if (config->discovery.enabled) {
    auto transport = DiscoveryTransport(*config);
    if (!transport) return 2;
    discovery = agent::discovery::StartDiscoveryLoop(*config, transport);
  }
  // SIGTERM/SIGINT only wake this thread (common/termination.h); it stops the loop.
  std::thread stopper([&loop] {
    WaitForTerminationSignal();
    loop.Stop();
  });
  spdlog::info("certfleet-agent: {} {} (output {}{})", bus ? "RabbitMQ events for" : "watching",
               config->hub_url, config->output_dir.string(),
               config->reload_free ? ", reload-free" : "");
  const bool all_threads_done = loop.Run();  // returns after the stopper's Stop()
  stopper.join();
  if (discovery) discovery->Stop();
  if (bus) bus->Stop();  // before the loop it triggers goes away
  spdlog::info("certfleet-agent: stopped");
  if (!all_threads_done) {
    // The watch thread is still inside a long poll. It owns what it touches, but the
    // libraries' static destructors (OpenSSL, spdlog) must not run under it.
    spdlog::shutdown();
    std::_Exit(0);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"certfleet-agent: keeps this machine's certificates in step with the certfleet hub"};
  std::string config_file = "/etc/certfleet/agent.toml";
  bool once = false;
  app.add_option("-c,--config", config_file, "agent config file (TOML)");
  app.add_flag("--once", once, "run one convergence pass and exit (exit 1 if anything failed)");
  app.set_version_flag("--version", "certfleet-agent " CERTFLEET_VERSION);
  certfleet::agent::discovery::DiscoverCommandOptions discover;
  auto* discover_cmd = app.add_subcommand(
      "discover", "Find the certificates nginx serves on this host and report them to the hub");
  bool no_report = false;
  discover_cmd->add_flag("--no-report", no_report, "print what was found, report nothing");
  discover_cmd->add_flag("--json", discover.json, "print the report as JSON");
  CLI11_PARSE(app, argc, argv);
  discover.report = !no_report;
  try {
    return Run(config_file, once, discover_cmd->parsed() ? std::optional(discover) : std::nullopt);
  } catch (const std::exception& e) {
    std::cerr << "certfleet-agent: unexpected error: " << e.what() << "\n";
    return 1;
  }
}
