// HttpTransport: the one seam between the ACME protocol code and the network.
//
// The protocol layer builds HttpRequests and reads HttpResponses; it never opens a
// socket. The production implementation is acme/curl/curl_transport.h (libcurl);
// tests script responses with FakeTransport (acme/fake_transport.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::acme {

// HTTP header fields in arrival order. Lookup ignores ASCII case (RFC 9110 §5.1);
// repeated fields (e.g. several "Link") are kept as separate entries.
class HttpHeaders {
 public:
  struct Field {
    std::string name;
    std::string value;
  };

  void Add(std::string name, std::string value);
  // The first field named `name`, or nullopt when absent.
  std::optional<std::string> Get(std::string_view name) const;
  // Every field named `name`, in order (empty when absent).
  std::vector<std::string> GetAll(std::string_view name) const;
  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

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

}  // namespace certfleet::acme
