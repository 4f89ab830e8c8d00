// Internal to BeastTransport: URL parsing, the shared TLS client settings, and one
// HTTP/1.1 connection (plain or TLS) with deadlines. Asio and Beast stay in the .cc.
//
// Thread safety: a TlsClientConfig is immutable after Create and may be shared by all
// threads; a BeastConnection is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "net/http_transport.h"

namespace certfleet::net::internal {

using SteadyTime = std::chrono::steady_clock::time_point;

struct ParsedUrl {
  bool tls = false;
  std::string host;         // name or IP address, without IPv6 brackets
  std::uint16_t port = 0;   // explicit, or 443 / 80
  std::string host_header;  // the Host field: host[:port] as written in the URL
  std::string target;       // path and query; "/" when empty
  std::string OriginKey() const { return (tls ? "https://" : "http://") + host_header; }
};

// kInvalidArgument (naming the URL) unless `url` is an absolute http(s) URL with a host.
Result<ParsedUrl> ParseHttpUrl(std::string_view url);

// The TLS client settings every connection of one transport shares: peer verification
// on, TLS 1.2 or newer, and `ca_file` (or the system store when empty) as trust.
class TlsClientConfig {
 public:
  // kInvalidArgument when ca_file is set but holds no loadable PEM certificate.
  static Result<std::shared_ptr<TlsClientConfig>> Create(const std::string& ca_file);
  ~TlsClientConfig();
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit TlsClientConfig(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What one request on a connection came to.
struct ExchangeOutcome {
  Result<HttpResponse> response;
  bool keep_alive = false;        // the connection may serve another request
  bool nothing_received = false;  // failed before any byte of a response arrived
};

class BeastConnection {
 public:
  // Resolves, connects and (for https) handshakes, all before `deadline`. Errors are
  // kUnavailable or kDeadlineExceeded and name the step ("TLS handshake: ...").
  static Result<std::unique_ptr<BeastConnection>> Open(const ParsedUrl& url,
                                                       std::shared_ptr<TlsClientConfig> tls,
                                                       SteadyTime deadline);
  ~BeastConnection();
  BeastConnection(const BeastConnection&) = delete;
  BeastConnection& operator=(const BeastConnection&) = delete;

  // Writes `request` and reads the whole response before `deadline`. Error messages
  // do not name the URL (the transport adds it).
  ExchangeOutcome Exchange(const HttpRequest& request, const ParsedUrl& url,
                           const std::string& user_agent, size_t max_response_bytes,
                           SteadyTime deadline);

  // Makes a running (or the next) Exchange fail at once: closes the socket from inside
  // the connection's own event loop. The only method safe to call from another thread
  // while Exchange runs. The connection is unusable afterwards.
  void Interrupt();

  struct Impl;

 private:
  explicit BeastConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certfleet::net::internal
