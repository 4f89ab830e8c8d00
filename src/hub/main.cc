// certfleet-hub: wiring only (see app.h). Exit codes: 0 stopped by signal, 1 bad usage or
// config, 2 start-up failure.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include "common/log_format.h"
#include "common/termination.h"
#include "http/server.h"
#include "hub/app.h"
#include "hub/config.h"
#include "hub/migrate_command.h"
#include "hub/migrate_from_sqlite.h"

namespace {

using certfleet::Result;
using certfleet::hub::HubConfig;

struct Flags {
  std::string config_file;
  std::string data_dir;
  std::string listen;
  std::string log_level;
  std::string log_format;
  std::string from;        // migrate --from sqlite:<path>
  std::string to;          // migrate --to postgresql://… (instead of the config's [store] url)
  bool overwrite = false;  // migrate --overwrite: replace a database that holds data
};

// Defaults < file < environment < flags; then validated as a whole.
Result<HubConfig> BuildConfig(const Flags& flags) {
  Result<HubConfig> config = HubConfig{};
  if (!flags.config_file.empty()) config = certfleet::hub::LoadHubConfigFile(flags.config_file);
  if (!config) return config;
  if (auto s = certfleet::hub::ApplyEnvironment(*config, certfleet::hub::ProcessEnvironment());
      !s) {
    return certfleet::Fail(s.error());
  }
  if (!flags.data_dir.empty()) config->data_dir = flags.data_dir;
  if (!flags.listen.empty()) config->listen = flags.listen;
  if (!flags.log_level.empty()) config->log_level = flags.log_level;
  if (!flags.log_format.empty()) config->log_format = flags.log_format;
  if (!flags.to.empty()) {
    config->store.backend = "postgres";
    config->store.url = flags.to;
  }
  if (auto s = certfleet::hub::ValidateHubConfig(*config); !s) return certfleet::Fail(s.error());
  return config;
}

int Run(const Flags& flags) {
  auto config = BuildConfig(flags);
  if (!config) {
    std::fprintf(stderr, "certfleet-hub: %s\n", config.error().message.c_str());
    return 1;
  }
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  certfleet::ConfigureLogging(*certfleet::ParseLogFormat(config->log_format), "hub");
  certfleet::InstallTerminationHandlers();
  certfleet::http::RaiseOpenFileLimit();  // the connection caps bound the server, not 1024
  auto app = certfleet::hub::App::Start(std::move(*config), certfleet::SystemClock::Instance());
  if (!app) {
    spdlog::critical("certfleet-hub: {}", app.error().message);
    return 2;
  }
  certfleet::InstallHangupHandler();
  int signal = 0;
  while ((signal = certfleet::WaitForTerminationSignal()) == SIGHUP) {
    if (auto reloaded = (*app)->ReloadTls(); !reloaded) {
      spdlog::error("hub: SIGHUP: {}", reloaded.error().message);
    } else {
      spdlog::info("hub: SIGHUP: TLS certificate reloaded");
    }
  }
  spdlog::info("hub: signal {} received, stopping", signal);
  (*app)->Stop();
  return 0;
}

// certfleet-hub migrate: the store's schema up to this binary's, then exit (0 done, 1 bad
// config, 2 the store refused or could not be reached).
int RunMigrate(const Flags& flags) {
  auto config = BuildConfig(flags);
  if (!config) {
    std::fprintf(stderr, "certfleet-hub: %s\n", config.error().message.c_str());
    return 1;
  }
  if (flags.from.empty() && (!flags.to.empty() || flags.overwrite)) {
    std::fprintf(stderr, "certfleet-hub migrate: --to and --overwrite go with --from sqlite:…\n");
    return 1;
  }
  auto done = flags.from.empty()
                  ? certfleet::hub::MigrateStore(*config)
                  : certfleet::hub::MigrateFromSqlite(*config, flags.from, flags.overwrite);
  if (!done) {
    std::fprintf(stderr, "certfleet-hub migrate: %s\n", done.error().message.c_str());
    return 2;
  }
  std::printf("certfleet-hub migrate: %s\n", done->c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"certfleet-hub: the certfleet API, HTTP-01 responder and issuance worker"};
  Flags flags;
  cli.add_option("--config", flags.config_file, "TOML config file (optional)");
  cli.add_option("--data-dir", flags.data_dir, "data directory (overrides config and env)");
  cli.add_option("--listen", flags.listen, "HOST:PORT to listen on (default 127.0.0.1:8440)");
  cli.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error");
  cli.add_option("--log-format", flags.log_format, "text (default) or json: one object per line");
  cli.set_version_flag("--version", "certfleet-hub " CERTFLEET_VERSION);
  cli.fallthrough();  // `certfleet-hub migrate --config hub.toml`
  CLI::App* migrate = cli.add_subcommand(
      "migrate",
      "upgrade the store's schema to this version and exit (PostgreSQL: run once after "
      "installing a new version, before restarting the hubs)");
  migrate->add_option("--from", flags.from,
                      "copy a stopped SQLite hub (sqlite:<its data dir or hub.db>) into the empty "
                      "PostgreSQL database of [store]");
  migrate->add_option(
      "--to", flags.to,
      "with --from: the PostgreSQL database to copy into (postgresql://user@host/db; "
      "the password as for [store]), instead of the config's [store] url");
  migrate->add_flag("--overwrite", flags.overwrite,
                    "with --from: replace the data of a database that already holds some (no hub "
                    "may be connected to it)");
  CLI11_PARSE(cli, argc, argv);
  try {
    if (migrate->parsed()) return RunMigrate(flags);
    return Run(flags);
  } catch (const std::exception& e) {
    spdlog::critical("certfleet-hub: unexpected error: {}", e.what());
    return 2;
  }
}
