#include "agent_bench_api.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace certfleet::bench {

double MillisBetween(Steady::time_point from, Steady::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

Result<AdminApi> AdminApi::Create(std::string hub_url) {
  const char* token = std::getenv("CERTFLEET_TOKEN");
  if (token == nullptr || *token == '\0') {
    return Fail(ErrorCode::kInvalidArgument, "set CERTFLEET_TOKEN to the hub's admin token");
  }
  auto http = net::CurlTransport::Create({.total_timeout = std::chrono::seconds(30)});
  if (!http) return Fail(http.error());
  return AdminApi(std::move(hub_url), token, std::move(*http));
}

Result<nlohmann::json> AdminApi::Call(const std::string& method, const std::string& path,
                                      const nlohmann::json& body) {
  net::HttpRequest request{method, hub_url_ + path, {}, body.is_null() ? "" : body.dump()};
  request.headers.Add("Authorization", "Bearer " + token_);
  if (!body.is_null()) request.headers.Add("Content-Type", "application/json");
  auto response = http_->Send(request);
  if (!response) return Fail(response.error());
  if (response->status < 200 || response->status >= 300) {
    return Fail(ErrorCode::kProtocol, method + " " + path + ": HTTP " +
                                          std::to_string(response->status) + ": " +
                                          response->body.substr(0, 500));
  }
  auto parsed = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded())
    return Fail(ErrorCode::kProtocol, method + " " + path + ": answer is not JSON");
  return parsed;
}

Status AdminApi::Upload(const std::string& domain, const crypto::testing::IssuedLeaf& leaf) {
  auto stored = Call("POST", "/api/v1/domains/" + domain + "/certificate",
                     {{"chain_pem", leaf.chain_pem}, {"key_pem", leaf.key_pem}});
  if (!stored) return Fail(stored.error().WithContext("uploading a certificate for " + domain));
  return Ok();
}

Result<int> AdminApi::CountDeployed(const std::string& domain, const std::string& sha256) {
  auto view = Call("GET", "/api/v1/domains/" + domain);
  if (!view) return Fail(view.error());
  int deployed = 0;
  for (const auto& d : view->value("deployments", nlohmann::json::array())) {
    if (d.value("status", "") == "deployed" && d.value("sha256", "") == sha256) ++deployed;
  }
  return deployed;
}

Result<std::vector<crypto::testing::IssuedLeaf>> IssueLeaves(const crypto::testing::TestCa& ca,
                                                             const std::string& domain, int count) {
  std::vector<crypto::testing::IssuedLeaf> leaves;
  for (int i = 0; i < count; ++i) {
    auto leaf = ca.Issue({.dns_names = {domain}});
    if (!leaf)
      return Fail(leaf.error().WithContext("issuing test certificate " + std::to_string(i)));
    leaves.push_back(std::move(*leaf));
  }
  return leaves;
}

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  return samples[std::clamp<size_t>(rank, 1, samples.size()) - 1];
}

}  // namespace certfleet::bench
