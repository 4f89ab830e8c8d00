#include "agent/discovery_settings.h"

#include "agent/config.h"  // ParseDuration
#include "common/toml_table_reader.h"

namespace certfleet::agent {
namespace {

Status ReadDuration(TomlTableReader& r, std::string_view key, bool zero_ok, Duration& out) {
  std::string text;
  if (auto s = r.String(key, text); !s || text.empty()) return s;
  if (zero_ok && (text == "0" || text == "0s")) {
    out = Duration(0);
    return Ok();
  }
  auto parsed = ParseDuration(text);
  if (!parsed) return r.Bad(key, parsed.error().message);
  if (parsed->count() <= 0) return r.Bad(key, "must be positive");
  out = *parsed;
  return Ok();
}

}  // namespace

Status ReadDiscoverySettings(TomlTableReader& top, std::string_view source,
                             DiscoverySettings& out) {
  const toml::node* node = top.Take("discovery");
  if (node == nullptr) return Ok();
  if (!node->is_table()) return top.Bad("discovery", "must be a table ([discovery])");
  TomlTableReader r(*node->as_table(), "discovery.", source);
  Status s = r.Bool("enabled", out.enabled);
  if (s) s = ReadDuration(r, "interval", false, out.interval);
  if (s) s = r.String("dump_command", out.dump_command);
  if (s) s = r.String("nginx_config", out.nginx_config);
  if (s) s = r.Bool("probe", out.probe);
  if (s) s = ReadDuration(r, "probe_timeout", false, out.probe_timeout);
  if (s) s = ReadDuration(r, "upload_poll", true, out.upload_poll);
  if (s) s = r.RejectUnknown();
  if (!s) return s;
  if (out.dump_command.empty()) return r.Bad("dump_command", "must not be empty");
  if (out.nginx_config.empty() || out.nginx_config[0] != '/') {
    return r.Bad("nginx_config", "must be an absolute path (got \"" + out.nginx_config + "\")");
  }
  return Ok();
}

}  // namespace certfleet::agent
