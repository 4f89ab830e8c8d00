// AgentConfig: everything certfleet-agent needs, from a TOML file over defaults.
//
//   hub_url = "https://hub.example.net:8440"   # required; http:// only to a loopback host
//   insecure_allow_plain_http = false          # true: accept http:// to any host (the token
//                                              # and private keys travel unencrypted)
//   token_file = "/etc/certfleet/agent.token"  # or token = "..." (exactly one of the two)
//   ca_file = ""                               # PEM bundle to trust for the hub; "" = system
//   output_dir = "/etc/certfleet"              # required; live/<domain>/*.pem below it
//   test_command = "nginx -t"                  # run by /bin/sh -c
//   reload_command = "nginx -s reload"
//   reload_signal_pid_file = ""                # e.g. "/run/nginx.pid": SIGHUP that PID instead
//                                              # of running reload_command (absolute path)
//   verify_address = "127.0.0.1:443"           # "" disables the TLS check after reload
//   verify_timeout = "5s"                      # durations: "250ms", "5s", "10m", "1h"
//   command_timeout = "60s"
//   resync_interval = "10m"
//   watch_wait = "50s"                         # long-poll wait on the hub's watch stream (≤ 55 s)
//   remove_policy = "keep"                     # or "remove": delete a domain the hub dropped
//   reload_window = "02:00-05:00"              # optional, local time; deploy only inside it
//   reload_free = false                        # true: certfleet's nginx snippet reads the
//                                              # certificates at handshake time; a swap is
//                                              # the deployment (docs/nginx.md §4)
//   key_group = ""                             # with reload_free: the group nginx's workers
//                                              # run as ("www-data"), or a number; bundle.pem
//                                              # (with the key) becomes 0640 for that group
//   log_level = "info"
//   metrics_textfile = ""                      # e.g. "/var/lib/prometheus/node-exporter/certfleet.prom":
//                                              # node_exporter textfile metrics after each pass
//   log_format = "text"                        # or "json": one object per line (common/log_format.h)
//   watch_stream = true                        # long-poll the hub; default false with [rabbitmq]
//   [rabbitmq]                                 # optional: events from the agent's own queue
//   url = "amqps://mq.example.net:5671/prod"   # amqp:// or amqps://; keys as in the hub's
//   user = "web-03"  password_file = "/etc/certfleet/mq.password"  # or password = "..."
//   vhost = "prod"  ca_file = ""  heartbeat_seconds = 30  exchange = "certfleet.events"
//   machine = "web-03"           # default: the machine of the token (asked from the hub)
//   queue = ""                   # default "certfleet.agent.<machine>" (durable)
//   fallback_interval = "30s"    # resync period while the broker is unreachable
//   [discovery]                                # optional: see discovery_settings.h
//
// Errors are kInvalidArgument and name the file and key:
//   "config agent.toml: remove_policy: must be \"keep\" or \"remove\", got \"delete\"".
// Unknown keys are errors, so a typo never falls back to a default silently.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/discovery_settings.h"
#include "agent/reconciler.h"
#include "bus/broker_config.h"
#include "common/clock.h"
#include "common/error.h"

namespace certfleet::agent {

// Minutes after local midnight; end < start wraps past midnight ("22:00-02:00").
struct ReloadWindow {
  int start_minute = 0;
  int end_minute = 0;
};

// [rabbitmq]: consume the hub's events from a durable queue (docs/events.md).
struct AgentRabbitMq {
  bus::BrokerConfig broker;
  std::filesystem::path password_file;  // read into broker.password; never log it
  std::string machine;                  // "" = ask the hub (the token's machine)
  std::string queue;                    // "" = "certfleet.agent.<machine>"
  Duration fallback_interval = std::chrono::seconds(30);
};

struct AgentConfig {
  std::string hub_url;
  bool insecure_allow_plain_http = false;  // http:// hub_url to a non-loopback host
  std::string token;                       // from `token` or read from `token_file`; never log it
  std::filesystem::path token_file;
  std::string ca_file;
  std::filesystem::path output_dir;
  std::string test_command = "nginx -t";
  std::string reload_command = "nginx -s reload";
  std::filesystem::path reload_signal_pid_file;  // "" = run reload_command
  std::string verify_address = "127.0.0.1:443";
  Duration verify_timeout = std::chrono::seconds(5);
  Duration command_timeout = std::chrono::seconds(60);
  Duration resync_interval = std::chrono::minutes(10);
  Duration watch_wait = std::chrono::seconds(50);
  RemovePolicy remove_policy = RemovePolicy::kKeep;
  std::optional<ReloadWindow> reload_window;
  bool reload_free = false;
  std::string key_group;
  gid_t key_gid = 0;  // key_group resolved by ValidateAgentConfig (reload_free only)
  std::string log_level = "info";
  std::string log_format = "text";         // "text" or "json" (common/log_format.h)
  std::filesystem::path metrics_textfile;  // "" = none (agent/metrics_textfile.h)
  std::optional<bool> watch_stream;        // unset: on unless [rabbitmq] is configured
  std::optional<AgentRabbitMq> rabbitmq;
  DiscoverySettings discovery;      // [discovery], see discovery_settings.h
  std::string source = "defaults";  // the file it came from, for messages

  bool WatchStream() const { return watch_stream.value_or(!rabbitmq.has_value()); }
};

// Parses TOML text (`source` names it in errors), reads token_file if given, and
// validates the result (ValidateAgentConfig).
Result<AgentConfig> ParseAgentConfig(std::string_view toml_text, std::string_view source);
Result<AgentConfig> LoadAgentConfigFile(const std::filesystem::path& file);

// With reload_free: key_group names a group of /etc/group (or is a number), verify_address
// is set (the agent decides per domain by a handshake), and output_dir has no character
// nginx's configuration would need escaped (" \ $ ; { } or control characters).
// hub_url http(s)://, a token, output_dir absolute, verify_address HOST:PORT or "",
// commands not empty, reload_signal_pid_file "" or absolute, positive durations, watch_wait ≤ 55 s, known log level, and a
// well-formed [rabbitmq] (URL, exchange, queue name, readable ca_file). The broker
// itself is not contacted: while it is unreachable the agent polls the hub instead.
// Also fills key_gid.
Status ValidateAgentConfig(AgentConfig& config);

// A group name from `group_file` (format of /etc/group), or a decimal gid. The agent is a
// static executable, so it reads the file itself instead of asking glibc's NSS.
Result<gid_t> ResolveGroup(const std::string& name,
                           const std::filesystem::path& group_file = "/etc/group");

// "250ms", "5s", "10m", "1h" → duration; kInvalidArgument otherwise.
Result<Duration> ParseDuration(std::string_view text);
// "HH:MM-HH:MM" → window; kInvalidArgument otherwise.
Result<ReloadWindow> ParseReloadWindow(std::string_view text);
// True when no window is set or `minute_of_day` lies inside it (start inclusive).
bool InsideReloadWindow(const std::optional<ReloadWindow>& window, int minute_of_day);

}  // namespace certfleet::agent
