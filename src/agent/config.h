// AgentConfig: everything certfleet-agent needs, from a TOML file over defaults.
//
//   hub_url = "https://hub.example.net:8440"   # required
//   token_file = "/etc/certfleet/agent.token"  # or token = "..." (exactly one of the two)
//   ca_file = ""                               # PEM bundle to trust for the hub; "" = system
//   output_dir = "/etc/certfleet"              # required; live/<domain>/*.pem below it
//   test_command = "nginx -t"                  # run by /bin/sh -c
//   reload_command = "nginx -s reload"
//   verify_address = "127.0.0.1:443"           # "" disables the TLS check after reload
//   verify_timeout = "5s"                      # durations: "250ms", "5s", "10m", "1h"
//   command_timeout = "60s"
//   resync_interval = "10m"
//   watch_wait = "50s"                         # long-poll wait on the hub's watch stream (≤ 55 s)
//   remove_policy = "keep"                     # or "remove": delete a domain the hub dropped
//   reload_window = "02:00-05:00"              # optional, local time; deploy only inside it
//   log_level = "info"
//
// Errors are kInvalidArgument and name the file and key:
//   "config agent.toml: remove_policy: must be \"keep\" or \"remove\", got \"delete\"".
// Unknown keys are errors, so a typo never falls back to a default silently.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/reconciler.h"
#include "common/clock.h"
#include "common/error.h"

namespace certfleet::agent {

// Minutes after local midnight; end < start wraps past midnight ("22:00-02:00").
struct ReloadWindow {
  int start_minute = 0;
  int end_minute = 0;
};

struct AgentConfig {
  std::string hub_url;
  std::string token;  // from `token` or read from `token_file`; never log it
  std::filesystem::path token_file;
  std::string ca_file;
  std::filesystem::path output_dir;
  std::string test_command = "nginx -t";
  std::string reload_command = "nginx -s reload";
  std::string verify_address = "127.0.0.1:443";
  Duration verify_timeout = std::chrono::seconds(5);
  Duration command_timeout = std::chrono::seconds(60);
  Duration resync_interval = std::chrono::minutes(10);
  Duration watch_wait = std::chrono::seconds(50);
  RemovePolicy remove_policy = RemovePolicy::kKeep;
  std::optional<ReloadWindow> reload_window;
  std::string log_level = "info";
  std::string source = "defaults";  // the file it came from, for messages
};

// Parses TOML text (`source` names it in errors), reads token_file if given, and
// validates the result (ValidateAgentConfig).
Result<AgentConfig> ParseAgentConfig(std::string_view toml_text, std::string_view source);
Result<AgentConfig> LoadAgentConfigFile(const std::filesystem::path& file);

// hub_url http(s)://, a token, output_dir absolute, verify_address HOST:PORT or "",
// commands not empty, positive durations, watch_wait ≤ 55 s, known log level.
Status ValidateAgentConfig(const AgentConfig& config);

// "250ms", "5s", "10m", "1h" → duration; kInvalidArgument otherwise.
Result<Duration> ParseDuration(std::string_view text);
// "HH:MM-HH:MM" → window; kInvalidArgument otherwise.
Result<ReloadWindow> ParseReloadWindow(std::string_view text);
// True when no window is set or `minute_of_day` lies inside it (start inclusive).
bool InsideReloadWindow(const std::optional<ReloadWindow>& window, int minute_of_day);

}  // namespace certfleet::agent
