#include "agent/config.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/log_format.h"
#include "common/plain_http.h"
#include "common/toml_table_reader.h"

namespace certfleet::agent {
namespace {

constexpr auto kMaxWatchWait = std::chrono::seconds(55);
constexpr size_t kMaxTokenBytes = 4096;

// A duration key ("250ms", "5s", "10m", "1h"); absent or "" keeps `out`.
Status ReadDuration(TomlTableReader& r, std::string_view key, Duration& out) {
  std::string text;
  if (auto s = r.String(key, text); !s || text.empty()) return s;
  auto parsed = ParseDuration(text);
  if (!parsed) return r.Bad(key, parsed.error().message);
  out = *parsed;
  return Ok();
}

Status ReadChoices(TomlTableReader& r, AgentConfig& c) {
  std::string policy = "keep";
  std::string window;
  Status s = r.String("remove_policy", policy);
  if (s && policy != "keep" && policy != "remove") {
    s = r.Bad("remove_policy", "must be \"keep\" or \"remove\", got \"" + policy + "\"");
  }
  if (s) s = r.String("reload_window", window);
  if (s && !window.empty()) {
    auto parsed = ParseReloadWindow(window);
    if (parsed)
      c.reload_window = *parsed;
    else
      s = r.Bad("reload_window", parsed.error().message);
  }
  c.remove_policy = policy == "remove" ? RemovePolicy::kRemove : RemovePolicy::kKeep;
  return s;
}

Status ReadRabbitMq(TomlTableReader& top, std::string_view source, AgentConfig& c) {
  const toml::node* node = top.Take("rabbitmq");
  if (node == nullptr) return Ok();
  if (!node->is_table()) return top.Bad("rabbitmq", "must be a table ([rabbitmq])");
  TomlTableReader r(*node->as_table(), "rabbitmq.", source);
  AgentRabbitMq& mq = c.rabbitmq.emplace();
  std::string ca_file;
  std::string password_file;
  Status s = r.String("url", mq.broker.url);
  if (s) s = r.String("user", mq.broker.user);
  if (s) s = r.String("password", mq.broker.password);
  if (s) s = r.String("password_file", password_file);
  if (s) s = r.String("vhost", mq.broker.vhost);
  if (s) s = r.String("ca_file", ca_file);
  if (s) s = r.Int("heartbeat_seconds", 0, 3600, mq.broker.heartbeat_seconds);
  if (s) s = r.String("exchange", mq.broker.exchange);
  if (s) s = r.String("machine", mq.machine);
  if (s) s = r.String("queue", mq.queue);
  if (s) s = ReadDuration(r, "fallback_interval", mq.fallback_interval);
  if (s) s = r.RejectUnknown();
  mq.broker.ca_file = ca_file;
  mq.password_file = password_file;
  return s;
}

Status ReadTop(TomlTableReader& r, AgentConfig& c) {
  std::optional<bool> reload_free;
  std::string token_file;
  std::string output_dir;
  std::string reload_pid_file;
  Status s = r.String("hub_url", c.hub_url);
  if (s) s = r.Bool("insecure_allow_plain_http", c.insecure_allow_plain_http);
  if (s) s = r.String("token", c.token);
  if (s) s = r.String("token_file", token_file);
  if (s) s = r.String("ca_file", c.ca_file);
  if (s) s = r.String("output_dir", output_dir);
  if (s) s = r.String("test_command", c.test_command);
  if (s) s = r.String("reload_command", c.reload_command);
  if (s) s = r.String("reload_signal_pid_file", reload_pid_file);
  if (s) s = r.String("verify_address", c.verify_address);
  if (s) s = ReadDuration(r, "verify_timeout", c.verify_timeout);
  if (s) s = ReadDuration(r, "command_timeout", c.command_timeout);
  if (s) s = ReadDuration(r, "resync_interval", c.resync_interval);
  if (s) s = ReadDuration(r, "watch_wait", c.watch_wait);
  if (s) s = r.Bool("reload_free", reload_free);
  if (s) s = r.String("key_group", c.key_group);
  if (s) s = r.String("log_level", c.log_level);
  if (s) s = r.String("log_format", c.log_format);
  std::string metrics_textfile;
  if (s) s = r.String("metrics_textfile", metrics_textfile);
  c.metrics_textfile = metrics_textfile;
  if (s) s = r.Bool("watch_stream", c.watch_stream);
  if (s) s = ReadChoices(r, c);
  if (s) s = ReadRabbitMq(r, c.source, c);
  if (s) s = ReadDiscoverySettings(r, c.source, c.discovery);
  if (s) s = r.RejectUnknown();
  c.token_file = token_file;
  c.output_dir = output_dir;
  c.reload_signal_pid_file = reload_pid_file;
  c.reload_free = reload_free.value_or(false);
  return s;
}

Status LoadToken(AgentConfig& c) {
  const std::string prefix = "config " + c.source + ": ";
  if (!c.token.empty() && !c.token_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, prefix + "set either token or token_file, not both");
  }
  if (c.token_file.empty()) return Ok();
  // Review 2026-12-06, F18: the token lets anyone fetch this machine's private keys, so a
  // token file that every user can read (or write) is refused, as ssh refuses such keys.
  struct stat info {};
  if (::stat(c.token_file.c_str(), &info) == 0 && (info.st_mode & 007) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", info.st_mode & 07777);
    return Fail(ErrorCode::kPermissionDenied, prefix + "token_file " + c.token_file.string() +
                                                  " is open to every user (mode " + mode +
                                                  "); chmod 600 " + c.token_file.string() +
                                                  " (or 640 with the agent's group)");
  }
  auto text = ReadFile(c.token_file, kMaxTokenBytes);
  if (!text) return Fail(text.error().WithContext(prefix + "token_file"));
  const auto end = text->find_last_not_of(" \t\r\n");
  c.token = end == std::string::npos ? "" : text->substr(0, end + 1);
  if (c.token.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                prefix + "token_file " + c.token_file.string() + " is empty");
  }
  return Ok();
}

Status LoadBrokerPassword(AgentConfig& c) {
  if (!c.rabbitmq || c.rabbitmq->password_file.empty()) return Ok();
  const std::string prefix = "config " + c.source + ": rabbitmq.";
  if (!c.rabbitmq->broker.password.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                prefix + "password: set either password or password_file, not both");
  }
  auto text = ReadFile(c.rabbitmq->password_file, kMaxTokenBytes);
  if (!text) return Fail(text.error().WithContext(prefix + "password_file"));
  const auto end = text->find_last_not_of(" \t\r\n");
  c.rabbitmq->broker.password = end == std::string::npos ? "" : text->substr(0, end + 1);
  return Ok();
}

Status ValidateRabbitMq(const AgentConfig& c) {
  if (!c.rabbitmq) return Ok();
  const std::string prefix = "config " + c.source + ": rabbitmq";
  const AgentRabbitMq& mq = *c.rabbitmq;
  if (mq.broker.url.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                prefix + ".url: is required, e.g. \"amqp://mq.example.net:5672/\"");
  }
  if (auto endpoint = bus::ResolveBrokerConfig(mq.broker); !endpoint) {
    return Fail(ErrorCode::kInvalidArgument, prefix + ": " + endpoint.error().message);
  }
  if (!mq.broker.ca_file.empty() && !std::ifstream(mq.broker.ca_file).good()) {
    return Fail(ErrorCode::kInvalidArgument,
                prefix + ".ca_file: cannot read " + mq.broker.ca_file.string());
  }
  if (mq.queue.size() > 255) {
    return Fail(ErrorCode::kInvalidArgument, prefix + ".queue: must be at most 255 bytes");
  }
  if (mq.fallback_interval < std::chrono::milliseconds(100)) {
    return Fail(ErrorCode::kInvalidArgument, prefix + ".fallback_interval: must be at least 100ms");
  }
  return Ok();
}

bool IsHostPort(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  int port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, port);
  return ec == std::errc() && ptr == last && port > 0 && port < 65536;
}

}  // namespace

Result<gid_t> ResolveGroup(const std::string& name, const std::filesystem::path& group_file) {
  gid_t number = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
  if (ec == std::errc() && ptr == name.data() + name.size()) return number;
  auto text = ReadFile(group_file, 16u << 20);
  if (!text) return Fail(text.error().WithContext("looking up group \"" + name + "\""));
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    // name:password:gid:members
    const size_t first = line.find(':');
    const size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    const size_t third = second == std::string::npos ? second : line.find(':', second + 1);
    if (third == std::string::npos || line.compare(0, first, name) != 0 || first != name.size())
      continue;
    const char* begin = line.data() + second + 1;
    const char* end = line.data() + third;
    auto [p, e] = std::from_chars(begin, end, number);
    if (e == std::errc() && p == end) return number;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "no group \"" + name + "\" in " + group_file.string() + " (give its name or number)");
}

Result<Duration> ParseDuration(std::string_view text) {
  // Longer makes no sense for any agent setting, and the cap keeps value × unit (and any
  // time point it is added to) far from overflow: a fuzzed "4205658031423691887m" overflowed.
  constexpr std::int64_t kMaxMs = std::int64_t{3650} * 24 * 3600 * 1000;  // 10 years
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(ptr, static_cast<size_t>(text.data() + text.size() - ptr));
  std::int64_t unit_ms = 0;
  if (unit == "ms") unit_ms = 1;
  if (unit == "s") unit_ms = 1000;
  if (unit == "m") unit_ms = 60 * 1000;
  if (unit == "h") unit_ms = 3600 * 1000;
  if (ec == std::errc() && value >= 0 && unit_ms > 0) {
    if (value > kMaxMs / unit_ms) {
      return Fail(ErrorCode::kInvalidArgument,
                  "\"" + std::string(text) + "\" is too long (at most 10 years, e.g. 87600h)");
    }
    return std::chrono::duration_cast<Duration>(std::chrono::milliseconds(value * unit_ms));
  }
  return Fail(ErrorCode::kInvalidArgument,
              "\"" + std::string(text) + "\" is not a duration (use e.g. 250ms, 5s, 10m, 1h)");
}

Result<ReloadWindow> ParseReloadWindow(std::string_view text) {
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  char tail = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4 || h1 > 23 ||
      h2 > 23 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) {
    return Fail(ErrorCode::kInvalidArgument, "\"" + s + "\" is not a window like \"02:00-05:00\"");
  }
  return ReloadWindow{h1 * 60 + m1, h2 * 60 + m2};
}

bool InsideReloadWindow(const std::optional<ReloadWindow>& window, int minute) {
  if (!window) return true;
  if (window->start_minute <= window->end_minute) {
    return minute >= window->start_minute && minute < window->end_minute;
  }
  return minute >= window->start_minute || minute < window->end_minute;
}

// reload_free's own rules (see config.h).
Status ValidateReloadFree(AgentConfig& c) {
  if (!c.reload_free) return Ok();
  auto bad = [&c](const std::string& key, const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, "config " + c.source + ": " + key + ": " + why);
  };
  if (c.key_group.empty()) {
    return bad("key_group",
               "is required with reload_free = true: the group nginx's worker processes run as "
               "(Debian: \"www-data\"), so they can read the certificates at handshake time");
  }
  auto gid = ResolveGroup(c.key_group);
  if (!gid) return bad("key_group", gid.error().message);
  c.key_gid = *gid;
  for (char ch : c.output_dir.string()) {
    if (ch == '"' || ch == '\\' || ch == '$' || ch == ';' || ch == '{' || ch == '}' ||
        static_cast<unsigned char>(ch) < 0x20) {
      return bad("output_dir", "must not contain '" + std::string(1, ch) +
                                   "' with reload_free = true (it goes into nginx's config)");
    }
  }
  return Ok();
}

Status ValidateAgentConfig(AgentConfig& c) {
  auto bad = [&c](const std::string& key, const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, "config " + c.source + ": " + key + ": " + why);
  };
  if (c.hub_url.empty()) return bad("hub_url", "is required");
  if (auto s = CheckSecretUrl(c.hub_url, c.insecure_allow_plain_http, "hub_url",
                              "insecure_allow_plain_http = true");
      !s) {
    return Fail(s.error().WithContext("config " + c.source));
  }
  if (c.token.empty()) return bad("token", "set token or token_file (the machine's agent token)");
  if (c.output_dir.empty() || !c.output_dir.is_absolute()) {
    return bad("output_dir", "must be an absolute path (got \"" + c.output_dir.string() + "\")");
  }
  if (c.test_command.empty()) return bad("test_command", "must not be empty");
  if (c.reload_command.empty()) return bad("reload_command", "must not be empty");
  if (!c.reload_signal_pid_file.empty() && !c.reload_signal_pid_file.is_absolute()) {
    return bad("reload_signal_pid_file",
               "must be an absolute path such as \"/run/nginx.pid\" (got \"" +
                   c.reload_signal_pid_file.string() + "\")");
  }
  if (!c.verify_address.empty() && !IsHostPort(c.verify_address)) {
    return bad("verify_address", "must be HOST:PORT or \"\" (got \"" + c.verify_address + "\")");
  }
  if (c.verify_timeout.count() <= 0) return bad("verify_timeout", "must be positive");
  if (c.command_timeout.count() <= 0) return bad("command_timeout", "must be positive");
  if (c.resync_interval < std::chrono::seconds(1))
    return bad("resync_interval", "must be at least 1s");
  if (c.watch_wait < std::chrono::seconds(1) || c.watch_wait > kMaxWatchWait) {
    return bad("watch_wait", "must be between 1s and 55s");
  }
  static const std::set<std::string> kLevels = {"trace", "debug",    "info", "warn",
                                                "error", "critical", "off"};
  if (kLevels.count(c.log_level) == 0)
    return bad("log_level", "unknown level \"" + c.log_level + "\"");
  if (auto format = ParseLogFormat(c.log_format); !format)
    return bad("log_format", format.error().message);
  if (auto s = ValidateReloadFree(c); !s) return s;
  return ValidateRabbitMq(c);
}

Result<AgentConfig> ParseAgentConfig(std::string_view toml_text, std::string_view source) {
  AgentConfig config;
  config.source = std::string(source);
  auto table = ParseTomlDocument(toml_text, source);
  if (!table) return Fail(table.error());
  TomlTableReader reader(*table, "", source);
  if (auto s = ReadTop(reader, config); !s) return Fail(s.error());
  if (auto s = LoadToken(config); !s) return Fail(s.error());
  if (auto s = LoadBrokerPassword(config); !s) return Fail(s.error());
  if (auto s = ValidateAgentConfig(config); !s) return Fail(s.error());
  return config;
}

Result<AgentConfig> LoadAgentConfigFile(const std::filesystem::path& file) {
  auto text = ReadFile(file, 1u << 20);
  if (!text) return Fail(text.error().WithContext("reading agent config " + file.string()));
  return ParseAgentConfig(*text, file.string());
}

}  // namespace certfleet::agent
