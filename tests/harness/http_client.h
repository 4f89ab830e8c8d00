// A small blocking HTTP client (libcurl) for tests: readiness polling and assertions.
//
// Not for production code (the ACME transport has its own). An HttpClient reuses its
// connection between calls (keep-alive) and is not thread-safe; use one per thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace certfleet::harness {

struct HttpResult {
  long status = 0;  // 0 when no response arrived (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
  std::string error;                           // libcurl's message when the transfer failed
  bool reused_connection = false;              // true when no new connection was opened

  bool ok() const { return error.empty(); }
};

struct HttpRequest {
  std::string method = "GET";
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
  std::string ca_file;               // trust this CA (HTTPS); empty: system default
  std::chrono::milliseconds timeout{5000};
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Fetch(const std::string& url, const HttpRequest& request = {});

 private:
  void* curl_;  // CURL*, kept out of the header
};

// One-shot GET/fetch on a fresh connection.
HttpResult HttpGet(const std::string& url, const std::string& ca_file = "",
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
HttpResult HttpFetch(const std::string& url, const HttpRequest& request);

}  // namespace certfleet::harness
