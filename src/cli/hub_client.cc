#include "cli/hub_client.h"

#include <algorithm>

#include "common/plain_http.h"
#include "net/status_code.h"

namespace certfleet::cli {

std::string UrlEncode(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Result<HubClient> HubClient::Create(HubOptions options) {
  if (options.url.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no hub given: use --hub URL or set CERTFLEET_HUB");
  }
  if (options.token.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no token given: use --token T or set CERTFLEET_TOKEN");
  }
  if (auto s = CheckSecretUrl(options.url, options.insecure_allow_plain_http, "--hub",
                              "--insecure-allow-plain-http");
      !s) {
    return Fail(s.error());
  }
  while (!options.url.empty() && options.url.back() == '/') options.url.pop_back();
  auto transport = net::CurlTransport::Create(
      {.ca_file = options.ca_file,
       .connect_timeout = std::chrono::seconds(std::min(10, options.timeout_seconds)),
       .total_timeout = std::chrono::seconds(options.timeout_seconds)});
  if (!transport) return Fail(transport.error());
  return HubClient(std::move(options), std::shared_ptr<net::CurlTransport>(std::move(*transport)));
}

Result<nlohmann::json> HubClient::Get(const std::string& path) { return Call("GET", path, ""); }

Result<nlohmann::json> HubClient::Post(const std::string& path, const nlohmann::json& body) {
  return Call("POST", path, body.dump());
}

Result<nlohmann::json> HubClient::Delete(const std::string& path) {
  return Call("DELETE", path, "");
}

Result<nlohmann::json> HubClient::Patch(const std::string& path, const nlohmann::json& body) {
  return Call("PATCH", path, body.dump());
}

Result<nlohmann::json> HubClient::Call(const std::string& method, const std::string& path,
                                       const std::string& body) {
  net::HttpRequest request{
      .method = method, .url = options_.url + path, .headers = {}, .body = body};
  request.headers.Add("Authorization", "Bearer " + options_.token);
  request.headers.Add("Accept", "application/json");
  if (method == "POST" || method == "PATCH") {
    request.headers.Add("Content-Type", "application/json");
  }
  auto response = transport_->Send(request);
  if (!response) {
    // A TLS trust failure is not a reachability problem: name the fix that applies.
    const std::string& why = response.error().message;
    const bool untrusted = why.find("certificate verify failed") != std::string::npos ||
                           why.find("SSL certificate problem") != std::string::npos;
    Error e = response.error().WithContext(
        untrusted ? "the hub's TLS certificate is not trusted (pass --hub-ca-file FILE or set "
                    "CERTFLEET_HUB_CA_FILE)"
                  : "cannot reach the hub (check --hub / CERTFLEET_HUB)");
    if (e.code != ErrorCode::kDeadlineExceeded) e.code = ErrorCode::kUnavailable;  // exit 6
    return Fail(e);
  }
  auto json = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status >= 200 && response->status < 300) {
    if (response->body.empty()) return nlohmann::json::object();
    if (json.is_discarded())
      return Fail(ErrorCode::kProtocol, method + " " + path + ": the hub sent invalid JSON");
    return json;
  }
  std::string message = "HTTP " + std::to_string(response->status);
  if (json.is_object() && json.contains("error") && json["error"].is_object() &&
      json["error"].contains("message") && json["error"]["message"].is_string()) {
    message = json["error"]["message"].get<std::string>();
  }
  return Fail(net::StatusToErrorCode(response->status), message);
}

}  // namespace certfleet::cli
