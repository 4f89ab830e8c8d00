#include "common/plain_http.h"

#include <algorithm>
#include <cctype>

namespace certfleet {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool IsDottedLoopback(std::string_view host) {
  int octets = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view octet = host.substr(start, dot - start);
    if (octet.empty() || octet.size() > 3) return false;
    int value = 0;
    for (char c : octet) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || (octets == 0 && value != 127)) return false;
    ++octets;
    start = dot + 1;
  }
  return octets == 4;
}

}  // namespace

std::string UrlHost(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);  // user:password@host: the host decides
  }
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    return close == std::string_view::npos ? "" : std::string(authority.substr(1, close - 1));
  }
  return std::string(authority.substr(0, authority.find(':')));
}

bool IsLoopbackHost(std::string_view host) {
  std::string lower;
  for (char c : host) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost" || lower == "::1" || lower == "0:0:0:0:0:0:0:1") return true;
  return IsDottedLoopback(lower);
}

bool IsPlainHttpOffHost(std::string_view url) {
  return StartsWithNoCase(url, "http://") && !IsLoopbackHost(UrlHost(url));
}

Status CheckSecretUrl(std::string_view url, bool allow_plain_http, std::string_view what,
                      std::string_view override_name) {
  const std::string name(what);
  if (StartsWithNoCase(url, "https://")) return Ok();
  if (!StartsWithNoCase(url, "http://")) {
    return Fail(ErrorCode::kInvalidArgument,
                name + ": must start with https:// (got \"" + std::string(url) + "\")");
  }
  if (allow_plain_http || IsLoopbackHost(UrlHost(url))) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              name + ": \"" + std::string(url) +
                  "\" is plain HTTP to another host: the token (and for the agent the private "
                  "keys) would cross the network unencrypted. Use https:// (the hub's TLS "
                  "listener or its TLS front, docs/nginx.md); plain http:// is accepted for "
                  "loopback hosts only, or with " +
                  std::string(override_name) + " if you really mean it");
}

}  // namespace certfleet
