// Shared by the agent benchmarks (bench/agent_latency.cc, bench/agent_fanout.cc): the hub's
// admin API over libcurl, certificates from a throw-away CA, and percentiles.
//
// Not thread-safe (one benchmark thread). Errors name the call and the hub's answer.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/error.h"
#include "crypto/testing/test_ca.h"
#include "net/curl/curl_transport.h"

namespace certfleet::bench {

using Steady = std::chrono::steady_clock;

double MillisBetween(Steady::time_point from, Steady::time_point to);

// The admin token comes from CERTFLEET_TOKEN (never from argv, which `ps` shows).
class AdminApi {
 public:
  static Result<AdminApi> Create(std::string hub_url);

  // `method` GET or POST; a 2xx answer's JSON body, else an error with the status and body.
  Result<nlohmann::json> Call(const std::string& method, const std::string& path,
                              const nlohmann::json& body = nullptr);

  // POST /api/v1/domains/{domain}/certificate with the leaf's chain and key (a manual upload).
  Status Upload(const std::string& domain, const crypto::testing::IssuedLeaf& leaf);

  // GET /api/v1/domains/{domain}: how many machines report `sha256` as deployed.
  Result<int> CountDeployed(const std::string& domain, const std::string& sha256);

 private:
  AdminApi(std::string hub_url, std::string token, std::unique_ptr<net::CurlTransport> http)
      : hub_url_(std::move(hub_url)), token_(std::move(token)), http_(std::move(http)) {}

  std::string hub_url_;
  std::string token_;
  std::unique_ptr<net::CurlTransport> http_;
};

// `count` leaves for `domain` from `ca` (EC P-256), issued before any timing starts.
Result<std::vector<crypto::testing::IssuedLeaf>> IssueLeaves(const crypto::testing::TestCa& ca,
                                                             const std::string& domain, int count);

// The nearest-rank percentile `p` (0-100] of `samples`; 0 when empty.
double Percentile(std::vector<double> samples, double p);

}  // namespace certfleet::bench
