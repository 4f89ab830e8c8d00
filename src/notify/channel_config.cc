#include "notify/channel_config.h"

#include <algorithm>
#include <set>

namespace certfleet::notify {
namespace {

Status Bad(std::string_view source, std::size_t index, std::string_view key,
           const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, std::string(source) + ": notify.channel[" +
                                               std::to_string(index) + "]." + std::string(key) +
                                               ": " + message);
}

std::string EnvName(std::string_view channel, std::string_view suffix);

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool HasHttpScheme(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

bool LooksLikeAddress(std::string_view address) {
  auto at = address.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find_first_of("\r\n<> ,") == std::string_view::npos;
}

Status ValidateEmail(const ChannelConfig& c, std::string_view source, std::size_t i) {
  if (c.smtp.server.empty()) return Bad(source, i, "smtp_server", "required for type email");
  if (c.smtp.server.find_first_of("/ \r\n") != std::string::npos) {
    return Bad(source, i, "smtp_server", "must be a host name, got \"" + c.smtp.server + "\"");
  }
  if (c.smtp.port < 0 || c.smtp.port > 65535) {
    return Bad(source, i, "smtp_port", "must be between 1 and 65535");
  }
  if (!LooksLikeAddress(c.smtp.from)) {
    return Bad(source, i, "from", "must be an e-mail address, got \"" + c.smtp.from + "\"");
  }
  if (c.smtp.to.empty()) return Bad(source, i, "to", "needs at least one address");
  for (const auto& to : c.smtp.to) {
    if (!LooksLikeAddress(to)) return Bad(source, i, "to", "not an e-mail address: \"" + to + "\"");
  }
  return Ok();
}

Status ValidateChannel(const ChannelConfig& c, std::string_view source, std::size_t i) {
  if (!ValidName(c.name)) {
    return Bad(source, i, "name",
               "must be 1-64 characters of a-z, 0-9, '-' and '_', got \"" + c.name + "\"");
  }
  if (c.type == ChannelType::kEmail) return ValidateEmail(c, source, i);
  if (c.url.empty()) {
    return Bad(source, i, "url",
               "required for type " + std::string(ChannelTypeName(c.type)) +
                   ": the receiver's http:// or https:// URL (or set " + EnvName(c.name, "URL") +
                   ")");
  }
  if (!HasHttpScheme(c.url)) {
    return Bad(source, i, "url",
               "must be an http:// or https:// URL, got \"" + RedactUrl(c.url) + "\"");
  }
  if (c.type == ChannelType::kWebhook && c.secret.empty()) {
    return Bad(source, i, "secret",
               "required for type webhook (the HMAC-SHA256 signing key; or set " +
                   EnvName(c.name, "SECRET") + ")");
  }
  return Ok();
}

std::string EnvName(std::string_view channel, std::string_view suffix) {
  std::string name = "CERTFLEET_HUB_NOTIFY_";
  for (char c : channel) {
    name += c == '-' ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return name + "_" + std::string(suffix);
}

}  // namespace

std::string_view ChannelTypeName(ChannelType t) {
  switch (t) {
    case ChannelType::kRocketChat:
      return "rocketchat";
    case ChannelType::kSlack:
      return "slack";
    case ChannelType::kWebhook:
      return "webhook";
    case ChannelType::kEmail:
      return "email";
  }
  return "webhook";
}

Result<ChannelType> ParseChannelType(std::string_view name) {
  for (ChannelType t : {ChannelType::kRocketChat, ChannelType::kSlack, ChannelType::kWebhook,
                        ChannelType::kEmail}) {
    if (ChannelTypeName(t) == name) return t;
  }
  return Fail(ErrorCode::kInvalidArgument, "unknown channel type \"" + std::string(name) +
                                               "\" (expected rocketchat, slack, webhook or email)");
}

std::string_view SmtpSecurityName(SmtpSecurity s) {
  switch (s) {
    case SmtpSecurity::kStartTls:
      return "starttls";
    case SmtpSecurity::kTls:
      return "tls";
    case SmtpSecurity::kNone:
      return "none";
  }
  return "starttls";
}

bool ChannelConfig::Wants(NoticeKind kind) const {
  if (kind == NoticeKind::kTest || events.empty()) return true;
  return std::find(events.begin(), events.end(), kind) != events.end();
}

const ChannelConfig* NotifyConfig::FindChannel(std::string_view name) const {
  for (const auto& c : channels) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void ApplyNotifyEnvironment(
    NotifyConfig& config, const std::function<std::optional<std::string>(std::string_view)>& env) {
  for (auto& c : config.channels) {
    if (auto v = env(EnvName(c.name, "URL"))) c.url = *v;
    if (auto v = env(EnvName(c.name, "SECRET"))) c.secret = *v;
    if (auto v = env(EnvName(c.name, "SMTP_PASSWORD"))) c.smtp.password = *v;
  }
}

Status ValidateNotifyConfig(const NotifyConfig& config, std::string_view source) {
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < config.channels.size(); ++i) {
    const ChannelConfig& c = config.channels[i];
    if (auto s = ValidateChannel(c, source, i); !s) return s;
    if (!names.insert(c.name).second) {
      return Bad(source, i, "name", "\"" + c.name + "\" is used by an earlier channel");
    }
  }
  for (int days : config.expiry_days) {
    if (days < 0 || days > 366) {
      return Fail(ErrorCode::kInvalidArgument, std::string(source) +
                                                   ": notify.expiry_days: " + std::to_string(days) +
                                                   " is not between 0 and 366");
    }
  }
  return Ok();
}

std::string RedactUrl(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return url.empty() ? "" : "<malformed URL>";
  auto host_start = scheme_end + 3;
  auto host_end = url.find('/', host_start);
  std::string_view authority = url.substr(host_start, host_end - host_start);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);  // user:password@ never leaves
  }
  std::string out(url.substr(0, host_start));
  out += authority;
  if (host_end != std::string_view::npos && host_end + 1 < url.size()) out += "/…";
  return out;
}

}  // namespace certfleet::notify
