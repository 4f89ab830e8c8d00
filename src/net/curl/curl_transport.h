// CurlTransport: the libcurl HttpTransport (the only ACME code that includes curl).
//
// Connections are kept alive and reused across calls and threads: easy handles are
// pooled, and a CURLSH shares the connection cache, DNS cache and TLS sessions between
// them, so a certificate's ~10 requests cost one TLS handshake. TLS peer and host
// verification are always on; `ca_file` adds trust in a private CA (Pebble).
// libcurl itself is loaded on the first Create() (dlopen, see curl_library.h), so
// binaries that link this library but never create a CurlTransport do not load it.
//
// Thread safety: Send() is safe for concurrent use (HttpTransport contract).
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "net/http_transport.h"

namespace certfleet::net {

struct CurlTransportOptions {
  std::string ca_file;  // PEM bundle to trust instead of the system store; "" = system
  Duration connect_timeout{std::chrono::seconds(10)};
  Duration total_timeout{std::chrono::seconds(60)};
  std::string user_agent;                       // "" = "certfleet/<version>"
  size_t max_response_bytes = 4 * 1024 * 1024;  // larger bodies fail with kProtocol
};

class CurlTransport final : public HttpTransport {
 public:
  // kInvalidArgument when ca_file is set but unreadable; kUnavailable when libcurl.so.4
  // cannot be loaded.
  static Result<std::unique_ptr<CurlTransport>> Create(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  struct State;
  explicit CurlTransport(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace certfleet::net
