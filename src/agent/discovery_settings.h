// [discovery] in the agent config (issue 19): how `certfleet-agent discover` and, when
// enabled, the running agent find what nginx serves on this host and report it.
//
//   [discovery]
//   enabled = false                        # true: discover on start and every interval
//   interval = "10m"                       # default: resync_interval
//   dump_command = "nginx -T"              # prints the effective configuration
//   nginx_config = "/etc/nginx/nginx.conf" # read from disk when dump_command fails
//   probe = true                           # TLS handshake per server name
//   probe_timeout = "3s"
//   upload_poll = "1m"                     # how often to ask the hub for uploads it wants
//                                          # (adopted certificates); "0s" = only after reports
//
// `certfleet-agent discover` runs one pass whatever `enabled` says.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet {
class TomlTableReader;  // common/toml_table_reader.h (toml++ stays out of this header)
}  // namespace certfleet

namespace certfleet::agent {

struct DiscoverySettings {
  bool enabled = false;
  Duration interval{0};  // 0 = resync_interval
  std::string dump_command = "nginx -T";
  std::string nginx_config = "/etc/nginx/nginx.conf";
  bool probe = true;
  Duration probe_timeout = std::chrono::seconds(3);
  Duration upload_poll = std::chrono::minutes(1);
};

// Reads the optional [discovery] table of `top` (marking it known; `source` names the file
// in errors) and validates it:
// commands not empty, nginx_config absolute, durations positive (upload_poll ≥ 0).
Status ReadDiscoverySettings(TomlTableReader& top, std::string_view source, DiscoverySettings& out);

}  // namespace certfleet::agent
