// BeastTransport: an HttpTransport on Boost.Beast + OpenSSL, without libcurl.
//
// Why a second transport: `certfleet acme issue` is a short-lived process, and linking
// libcurl costs it ~25 shared libraries (LDAP, Kerberos, SSH, RTMP, GnuTLS ...) whose
// loading and relocation dominated its start-up. This transport needs only OpenSSL,
// which the crypto module links anyway. certfleet-agent uses it too (its idle RSS: libcurl's
// dependency tree alone was ~4 MB). CurlTransport (net/curl) stays the general one.
//
// Connections are HTTP/1.1 keep-alive and pooled per origin (scheme, host, port): a
// Send() takes an idle connection to the request's origin or opens a new one, and puts
// it back after a complete response the server did not mark "Connection: close". A
// request that fails on a reused connection before any response arrives (the server
// closed it while idle) is sent once more on a fresh connection; for ACME that is safe,
// since a replayed JWS is refused with badNonce. TLS peer and host name (or IP address)
// verification are always on; `ca_file` replaces the system trust store (Pebble). The
// system store is loaded on the first https request (a plain-http client never pays
// for it); an unloadable ca_file fails Create.
//
// Thread safety: Send() is safe for concurrent use (HttpTransport contract); each
// connection serves one request at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "net/http_transport.h"

namespace certfleet::net {

struct BeastTransportOptions {
  std::string ca_file;  // PEM bundle to trust instead of the system store; "" = system
  Duration connect_timeout{std::chrono::seconds(10)};  // TCP connect + TLS handshake
  Duration total_timeout{std::chrono::seconds(60)};    // one request, connect included
  std::string user_agent;                              // "" = "certfleet/<version>"
  size_t max_response_bytes = 4 * 1024 * 1024;         // larger bodies fail with kProtocol
  size_t max_idle_connections = 32;                    // beyond this, connections close
};

class BeastTransport final : public HttpTransport {
 public:
  // kInvalidArgument when ca_file is set but cannot be loaded as PEM certificates.
  static Result<std::unique_ptr<BeastTransport>> Create(BeastTransportOptions options = {});
  ~BeastTransport() override;
  BeastTransport(const BeastTransport&) = delete;
  BeastTransport& operator=(const BeastTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

  // Ends every request in flight on this transport (each fails with kUnavailable
  // "cancelled") and makes later Sends fail at once, e.g. to stop a long poll when the
  // process shuts down. A request still connecting finishes connecting first (bounded by
  // connect_timeout). Thread-safe; irreversible.
  void Cancel();

  // How many TCP (+TLS) connections this transport has opened so far: lets tests and
  // benchmarks check that keep-alive works.
  size_t connections_opened() const;

 private:
  struct State;
  explicit BeastTransport(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace certfleet::net
