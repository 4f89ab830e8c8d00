#include "agent/discovery/listen.h"

#include <charconv>

namespace certfleet::agent::discovery {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

Result<int> ParsePort(std::string_view text, std::string_view listen) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
    return Fail(ErrorCode::kInvalidArgument,
                "listen " + std::string(listen) + ": \"" + std::string(text) + "\" is not a port");
  }
  return port;
}

// Splits the address argument into host and port (nginx's ngx_parse_url for listen).
Status ParseAddress(const std::string& addr, Listen& out) {
  if (addr.rfind("unix:", 0) == 0) {
    out.unix_socket = true;
    out.host = addr.substr(5);
    out.port = 0;
    return Ok();
  }
  if (AllDigits(addr)) {
    auto port = ParsePort(addr, out.text);
    if (!port) return Fail(port.error());
    out.host = "*";
    out.port = *port;
    return Ok();
  }
  size_t host_end = addr.size();
  size_t colon = std::string::npos;
  if (!addr.empty() && addr[0] == '[') {
    host_end = addr.find(']');
    if (host_end == std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "listen " + out.text + ": unterminated \"[\"");
    }
    ++host_end;
    if (host_end < addr.size() && addr[host_end] == ':') colon = host_end;
  } else {
    colon = addr.rfind(':');
    if (colon != std::string::npos) host_end = colon;
  }
  out.host = addr.substr(0, host_end);
  if (out.host == "0.0.0.0") out.host = "*";
  if (colon != std::string::npos) {
    auto port = ParsePort(std::string_view(addr).substr(colon + 1), out.text);
    if (!port) return Fail(port.error());
    out.port = *port;
  }
  return Ok();
}

}  // namespace

std::string Listen::Endpoint() const {
  return unix_socket ? "unix:" + host : host + ":" + std::to_string(port);
}

Result<Listen> ParseListen(const std::vector<std::string>& args) {
  if (args.empty()) return Fail(ErrorCode::kInvalidArgument, "listen without an address");
  Listen out;
  for (const auto& a : args) out.text += (out.text.empty() ? "" : " ") + a;
  if (auto s = ParseAddress(args[0], out); !s) return Fail(s.error());
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "ssl") out.ssl = true;
    if (args[i] == "quic") out.quic = true;
    if (args[i] == "proxy_protocol") out.proxy_protocol = true;
  }
  return out;
}

std::optional<std::string> ProbeAddress(const Listen& listen) {
  if (listen.unix_socket || listen.quic || listen.proxy_protocol) return std::nullopt;
  std::string host = listen.host;
  if (host == "*" || host.empty()) host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return host + ":" + std::to_string(listen.port);
}

}  // namespace certfleet::agent::discovery
