// HttpTransport: the project's one HTTP client seam, shared by the ACME protocol code,
// the agent's hub client, the notifiers and the CLI.
//
// Callers build HttpRequests and read HttpResponses; they never open a socket. The
// implementations are net/curl/curl_transport.h (libcurl, the general one) and
// net/beast/beast_transport.h (Boost.Beast + OpenSSL, for lean processes); tests script
// responses with net/testing/fake_transport.h. StatusToErrorCode (net/status_code.h)
// turns a non-2xx status into the project's ErrorCode, the same way for every caller.
#pragma once

#include <string>

#include "common/error.h"
#include "net/http_headers.h"

namespace certfleet::net {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST"
  std::string url;
  HttpHeaders headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Sends `request` and returns the server's response, whatever its status (4xx and
  // 5xx are responses, not errors). Returns an Error only when no complete response
  // arrived: kUnavailable (DNS, connect, TLS, reset), kDeadlineExceeded (timeout),
  // kInvalidArgument (malformed URL). The error message names the URL.
  //
  // Thread safety: implementations MUST be safe for concurrent calls from many
  // threads; one transport serves a whole process.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace certfleet::net
