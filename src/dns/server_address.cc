#include "dns/server_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace certfleet::dns {
namespace {

Error Invalid(std::string_view text, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument,
               "\"" + std::string(text) +
                   "\" is not a DNS server address (IP or IP:PORT): " + std::string(why)};
}

bool IsIpv4(const std::string& ip) {
  in_addr a{};
  return ::inet_pton(AF_INET, ip.c_str(), &a) == 1;
}

bool IsIpv6(const std::string& ip) {
  in6_addr a{};
  return ::inet_pton(AF_INET6, ip.c_str(), &a) == 1;
}

Result<std::uint16_t> ParsePort(std::string_view text, std::string_view port, bool allow_zero) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || (value == 0 && !allow_zero) ||
      value > 65535)
    return tl::unexpected(
        Invalid(text, allow_zero ? "the port must be 0-65535" : "the port must be 1-65535"));
  return static_cast<std::uint16_t>(value);
}

Result<ServerAddress> Parse(std::string_view text, bool allow_zero_port) {
  ServerAddress out;
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return tl::unexpected(Invalid(text, "missing ']'"));
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return tl::unexpected(Invalid(text, "expected ':' after ']'"));
      port = rest.substr(1);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const std::size_t colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  out.ip = std::string(host);
  if (!IsIpv4(out.ip) && !IsIpv6(out.ip))
    return tl::unexpected(Invalid(text, "not an IP address (host names are not accepted)"));
  if (!port.empty() || (text.find(':') != std::string_view::npos && IsIpv4(out.ip))) {
    auto parsed = ParsePort(text, port, allow_zero_port);
    if (!parsed) return tl::unexpected(parsed.error());
    out.port = *parsed;
  }
  return out;
}

}  // namespace

std::string ServerAddress::ToString() const {
  const bool v6 = ip.find(':') != std::string::npos;
  return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

Result<ServerAddress> ParseServerAddress(std::string_view text) { return Parse(text, false); }

Result<ServerAddress> ParseListenAddress(std::string_view text) { return Parse(text, true); }

socklen_t ToSockaddr(const ServerAddress& server, sockaddr_storage* storage) {
  std::memset(storage, 0, sizeof *storage);
  if (server.ip.find(':') != std::string::npos) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(storage);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(server.port);
    ::inet_pton(AF_INET6, server.ip.c_str(), &v6->sin6_addr);
    return sizeof(sockaddr_in6);
  }
  auto* v4 = reinterpret_cast<sockaddr_in*>(storage);
  v4->sin_family = AF_INET;
  v4->sin_port = htons(server.port);
  ::inet_pton(AF_INET, server.ip.c_str(), &v4->sin_addr);
  return sizeof(sockaddr_in);
}

ServerAddress FromSockaddr(const sockaddr_storage& storage) {
  char text[INET6_ADDRSTRLEN] = {};
  ServerAddress out;
  if (storage.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    out.port = ntohs(v6->sin6_port);
  } else {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    out.port = ntohs(v4->sin_port);
  }
  out.ip = text;
  return out;
}

}  // namespace certfleet::dns
