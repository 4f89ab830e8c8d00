// ParseNotifyConfig: the only notify file that includes toml++.
#include <toml++/toml.h>

#include "common/toml_table_reader.h"
#include "notify/channel_config.h"

namespace certfleet::notify {
namespace {

// Day offsets such as `expiry_days = [30, 7, 1]`: integers from 0 to 366.
Status ReadDays(TomlTableReader& r, std::string_view key, std::vector<int>& out) {
  const toml::node* node = r.Take(key);
  if (node == nullptr) return Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr) return r.Bad(key, "must be an array of integers");
  std::vector<int> days;
  for (const auto& item : *array) {
    if (!item.is_integer()) return r.Bad(key, "must be an array of integers");
    std::int64_t v = item.as_integer()->get();
    if (v < 0 || v > 366) return r.Bad(key, std::to_string(v) + " is not between 0 and 366");
    days.push_back(static_cast<int>(v));
  }
  out = std::move(days);
  return Ok();
}

Status ReadKinds(TomlTableReader& r, std::vector<NoticeKind>& out) {
  std::vector<std::string> names;
  if (auto s = r.Strings("events", names); !s) return s;
  for (const auto& name : names) {
    auto kind = ParseNoticeKind(name);
    if (!kind || *kind == NoticeKind::kTest) {
      return r.Bad("events", kind ? "\"test\" cannot be filtered" : kind.error().message);
    }
    out.push_back(*kind);
  }
  return Ok();
}

Status ReadSmtp(TomlTableReader& r, SmtpSettings& smtp) {
  std::int64_t port = smtp.port;
  std::string security(SmtpSecurityName(smtp.security));
  Status s = r.String("smtp_server", smtp.server);
  if (s) s = r.Int("smtp_port", 1, 65535, port);
  if (s) s = r.String("smtp_security", security);
  if (s) s = r.String("smtp_user", smtp.user);
  if (s) s = r.String("smtp_password", smtp.password);
  if (s) s = r.String("from", smtp.from);
  if (s) s = r.Strings("to", smtp.to);
  if (!s) return s;
  smtp.port = static_cast<int>(port);
  for (SmtpSecurity v : {SmtpSecurity::kStartTls, SmtpSecurity::kTls, SmtpSecurity::kNone}) {
    if (SmtpSecurityName(v) == security) {
      smtp.security = v;
      return Ok();
    }
  }
  return r.Bad("smtp_security", "must be starttls, tls or none, got \"" + security + "\"");
}

Status ReadChannel(const toml::table& table, const std::string& prefix, std::string_view source,
                   ChannelConfig& out) {
  TomlTableReader r(table, prefix, source);
  std::string type;
  std::int64_t window = std::chrono::duration_cast<std::chrono::seconds>(out.group_window).count();
  std::int64_t timeout = std::chrono::duration_cast<std::chrono::seconds>(out.timeout).count();
  Status s = r.String("name", out.name);
  if (s) s = r.String("type", type);
  if (s) s = r.String("url", out.url);
  if (s) s = r.String("secret", out.secret);
  if (s) s = r.String("ca_file", out.ca_file);
  if (s) s = r.Int("group_window_seconds", 0, 86400, window);
  if (s) s = r.Int("timeout_seconds", 1, 600, timeout);
  if (s) s = ReadKinds(r, out.events);
  if (s) s = ReadSmtp(r, out.smtp);
  if (s) s = r.RejectUnknown();
  if (!s) return s;
  if (type.empty()) return r.Bad("type", "required (rocketchat, slack, webhook or email)");
  auto parsed = ParseChannelType(type);
  if (!parsed) return r.Bad("type", parsed.error().message);
  out.type = *parsed;
  out.group_window = std::chrono::seconds(window);
  out.timeout = std::chrono::seconds(timeout);
  return Ok();
}

Status ReadChannels(TomlTableReader& notify, std::string_view source, NotifyConfig& config) {
  const toml::node* node = notify.Take("channel");
  if (node == nullptr) return Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr)
    return notify.Bad("channel", "must be an array of tables ([[notify.channel]])");
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string prefix = "notify.channel[" + std::to_string(i) + "].";
    const toml::table* table = array->get(i)->as_table();
    if (table == nullptr)
      return notify.Bad("channel[" + std::to_string(i) + "]", "must be a table");
    ChannelConfig channel;
    if (auto s = ReadChannel(*table, prefix, source, channel); !s) return s;
    config.channels.push_back(std::move(channel));
  }
  return Ok();
}

}  // namespace

Result<NotifyConfig> ReadNotifyConfig(std::string_view toml_text, std::string_view source) {
  NotifyConfig config;
  auto document = ParseTomlDocument(toml_text, source);
  if (!document) return Fail(document.error());
  const toml::node* node = document->get("notify");
  if (node == nullptr) return config;
  if (!node->is_table()) {
    return Fail(ErrorCode::kInvalidArgument,
                "config " + std::string(source) + ": notify: must be a table ([notify])");
  }
  TomlTableReader r(*node->as_table(), "notify.", source);
  std::int64_t unseen_minutes =
      std::chrono::duration_cast<std::chrono::minutes>(config.agent_unseen_after).count();
  std::int64_t retry_base =
      std::chrono::duration_cast<std::chrono::seconds>(config.retry.base).count();
  std::int64_t retry_cap =
      std::chrono::duration_cast<std::chrono::seconds>(config.retry.cap).count();
  Status s = ReadDays(r, "expiry_days", config.expiry_days);
  if (s) s = r.Int("agent_unseen_minutes", 1, 7 * 24 * 60, unseen_minutes);
  if (s) s = r.Int("retry_base_seconds", 1, 86400, retry_base);
  if (s) s = r.Int("retry_cap_seconds", 1, 7 * 86400, retry_cap);
  if (s) s = ReadChannels(r, source, config);
  if (s) s = r.RejectUnknown();
  if (!s) return Fail(s.error());
  if (retry_cap < retry_base) {
    return r.Bad("retry_cap_seconds",
                 "must be at least retry_base_seconds (" + std::to_string(retry_base) + ")");
  }
  config.agent_unseen_after = std::chrono::minutes(unseen_minutes);
  config.retry =
      RetryPolicy{.base = std::chrono::seconds(retry_base), .cap = std::chrono::seconds(retry_cap)};
  return config;
}

Result<NotifyConfig> ParseNotifyConfig(std::string_view toml_text, std::string_view source) {
  auto config = ReadNotifyConfig(toml_text, source);
  if (!config) return config;
  if (auto v = ValidateNotifyConfig(*config, "config " + std::string(source)); !v) {
    return Fail(v.error());
  }
  return config;
}

}  // namespace certfleet::notify
