// HubClient: the CLI's JSON calls to the hub API (`--hub URL --token T`).
//
// Errors: the hub's {"error":{"code","message"}} body becomes an Error with the hub's
// message and a code matching the HTTP status; a hub that cannot be reached gives a
// message naming the URL and suggesting --hub / CERTFLEET_HUB.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/error.h"
#include "net/curl/curl_transport.h"

namespace certfleet::cli {

struct HubOptions {
  std::string url;           // e.g. http://127.0.0.1:8440; from --hub or CERTFLEET_HUB
  std::string token;         // from --token or CERTFLEET_TOKEN
  std::string ca_file;       // for an https:// hub with a private CA
  int timeout_seconds = 60;  // the whole call; --timeout
  // http:// to a non-loopback hub (--insecure-allow-plain-http): the token travels unencrypted.
  bool insecure_allow_plain_http = false;
};

class HubClient {
 public:
  static Result<HubClient> Create(HubOptions options);

  Result<nlohmann::json> Get(const std::string& path);
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> Delete(const std::string& path);
  Result<nlohmann::json> Patch(const std::string& path, const nlohmann::json& body);

 private:
  HubClient(HubOptions options, std::shared_ptr<net::CurlTransport> transport)
      : options_(std::move(options)), transport_(std::move(transport)) {}
  Result<nlohmann::json> Call(const std::string& method, const std::string& path,
                              const std::string& body);

  HubOptions options_;
  std::shared_ptr<net::CurlTransport> transport_;
};

// Percent-encodes one path segment or query value.
std::string UrlEncode(std::string_view text);

}  // namespace certfleet::cli
