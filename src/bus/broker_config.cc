#include "bus/broker_config.h"

#include <charconv>

namespace certfleet::bus {
namespace {

struct UrlParts {
  bool tls = false;
  std::string user, password, host, vhost;
  bool has_user = false, has_password = false, has_vhost = false;
  std::uint16_t port = 0;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view text, std::string_view what) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return Fail(ErrorCode::kInvalidArgument, std::string(what) + ": bad %-escape");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

Status ParseHostPort(std::string_view authority, UrlParts& parts) {
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {  // IPv6 literal
    auto close = authority.find(']');
    if (close == std::string_view::npos) return Fail(ErrorCode::kInvalidArgument, "unclosed [");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Fail(ErrorCode::kInvalidArgument, "bad host");
    if (!rest.empty()) port = rest.substr(1);
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return Fail(ErrorCode::kInvalidArgument, "no host");
  parts.host = host;
  parts.port = parts.tls ? 5671 : 5672;
  if (port.empty()) return Ok();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    // The text is not quoted: when a raw '/' in the password split the URL early, this
    // "port" is part of the password (review 2026-12-06, F9).
    return Fail(ErrorCode::kInvalidArgument, "port must be a number 1-65535");
  }
  parts.port = static_cast<std::uint16_t>(value);
  return Ok();
}

Status ParseUserInfo(std::string_view info, UrlParts& parts) {
  auto colon = info.find(':');
  auto user = PercentDecode(info.substr(0, colon), "user");
  if (!user) return Fail(user.error());
  parts.user = *user;
  parts.has_user = true;
  if (colon == std::string_view::npos) return Ok();
  auto password = PercentDecode(info.substr(colon + 1), "password");
  if (!password) return Fail(password.error());
  parts.password = *password;
  parts.has_password = true;
  return Ok();
}

Result<UrlParts> ParseUrl(std::string_view url) {
  UrlParts parts;
  auto scheme_end = url.find("://");
  std::string_view scheme = scheme_end == std::string_view::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "amqp" && scheme != "amqps") {
    return Fail(ErrorCode::kInvalidArgument, "scheme must be amqp:// or amqps://");
  }
  parts.tls = scheme == "amqps";
  std::string_view rest = url.substr(scheme_end + 3);
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (auto s = ParseUserInfo(authority.substr(0, at), parts); !s) return Fail(s.error());
    authority = authority.substr(at + 1);
  }
  if (auto s = ParseHostPort(authority, parts); !s) return Fail(s.error());
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {
    std::string_view path = rest.substr(slash + 1);
    if (path.find_first_of("/?#") != std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument, "the path must be just the vhost (use %2f for /)");
    }
    auto vhost = PercentDecode(path, "vhost");
    if (!vhost) return Fail(vhost.error());
    parts.vhost = *vhost;
    parts.has_vhost = true;
  }
  return parts;
}

Status CheckExchange(std::string_view name) {
  if (name.empty() || name.size() > 255) {
    return Fail(ErrorCode::kInvalidArgument, "RabbitMQ exchange: must be 1-255 characters");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) {
      return Fail(ErrorCode::kInvalidArgument, "RabbitMQ exchange \"" + std::string(name) +
                                                   "\": only letters, digits, - _ . : allowed");
    }
  }
  if (name.starts_with("amq.")) {
    return Fail(ErrorCode::kInvalidArgument, "RabbitMQ exchange \"" + std::string(name) +
                                                 "\": names starting amq. are reserved");
  }
  return Ok();
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  auto scheme_end = url.find("://");
  std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  // The last '@' of the whole URL, not of the authority: a password written with a raw
  // '/', '?', '#' or '@' in it still ends at the last '@' (review 2026-12-06, F9).
  // A vhost holding '@' may then be hidden too; hiding too much is the safe side.
  auto at = url.rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(url);
  auto colon = url.substr(start, at - start).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, start + colon + 1)) + "***" + std::string(url.substr(at));
}

std::string BrokerEndpoint::DisplayUrl() const {
  std::string host_text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string path = vhost == "/" ? "" : vhost;
  return std::string(tls ? "amqps" : "amqp") + "://" + host_text + ":" + std::to_string(port) +
         "/" + path;
}

Result<BrokerEndpoint> ResolveBrokerConfig(const BrokerConfig& config) {
  if (config.url.empty()) return Fail(ErrorCode::kInvalidArgument, "RabbitMQ URL is empty");
  auto parts = ParseUrl(config.url);
  if (!parts) {
    // A URL that does not parse is not echoed, not even redacted: where its password ends
    // is exactly what could not be parsed.
    return Fail(parts.error().WithContext(
        "RabbitMQ URL (not shown: it may hold a password; a password with / ? # @ or % "
        "must be %-encoded in the URL, or set it in `password`)"));
  }
  BrokerEndpoint endpoint;
  endpoint.tls = parts->tls;
  endpoint.host = parts->host;
  endpoint.port = parts->port;
  endpoint.user = !config.user.empty() ? config.user : parts->has_user ? parts->user : "guest";
  endpoint.password = !config.password.empty() ? config.password
                      : parts->has_password    ? parts->password
                      : parts->has_user        ? ""
                                               : "guest";
  endpoint.vhost = !config.vhost.empty() ? config.vhost : parts->has_vhost ? parts->vhost : "/";
  if (endpoint.tls) {
    endpoint.ca_file =
        config.ca_file.empty() ? std::filesystem::path(kSystemCaBundle) : config.ca_file;
  }
  if (config.heartbeat_seconds < 0 || config.heartbeat_seconds > 3600) {
    return Fail(ErrorCode::kInvalidArgument, "RabbitMQ heartbeat_seconds: must be 0-3600, not " +
                                                 std::to_string(config.heartbeat_seconds));
  }
  endpoint.heartbeat_seconds = config.heartbeat_seconds;
  if (auto s = CheckExchange(config.exchange); !s) return Fail(s.error());
  endpoint.exchange = config.exchange;
  if (config.connect_timeout <= Duration::zero() || config.rpc_timeout <= Duration::zero()) {
    return Fail(ErrorCode::kInvalidArgument, "RabbitMQ timeouts must be positive");
  }
  endpoint.connect_timeout = config.connect_timeout;
  endpoint.rpc_timeout = config.rpc_timeout;
  return endpoint;
}

}  // namespace certfleet::bus
