// Issue 20's incident on real parts, kept as its regression test: Pebble issues 60-second
// certificates, the hub renews at half the lifetime, the agent deploys into nginx, and a
// prober checks every 250 ms that nginx never presents an expired certificate. Pebble is
// stopped before the renewal point, so the renewal fails, and started again just after.
//
// The first retry rule (1 min backoff, blind to the certificate's remaining life) retried
// 60 s after the failure: 30 s after the certificate had expired, although the CA had been
// back for almost a minute. The retry is now capped by the remaining life (15 s here), but
// the CA is marked down after the failure and the regular probe (ca_probe_seconds, 30 s by
// default, kept here) came only 28 s after the CA's return: the capped retry failed blind
// and nginx served the expired certificate for a second. Now a domain that comes due while
// its CA is down probes the CA itself (ca_reachability.h), so the renewal follows its
// capped retry, ~15 s after the failure and well before the expiry.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/live_verifier.h"
#include "e2e/pipeline_fixture.h"
#include "harness/net.h"

namespace certfleet::e2e {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kLifetime{60};

double SecondsBetween(TimePoint from, TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

class RenewalOutageTest : public PipelineFixture {
 protected:
  RenewalOutageTest() { pebble_options_.certificate_validity = kLifetime; }

  // The leaf nginx presents for `domain` now, if it names the domain; nullopt when no
  // handshake succeeded or nginx still answers with its placeholder (the site not loaded).
  std::optional<crypto::Certificate> Served(const std::string& domain) {
    auto leaf = agent::FetchServedCertificate("127.0.0.1:" + std::to_string(tls_port_), domain,
                                              milliseconds(1000));
    if (!leaf) return std::nullopt;
    const std::vector<std::string> names = leaf->DnsNames();
    if (std::find(names.begin(), names.end(), domain) == names.end()) return std::nullopt;
    return *leaf;
  }

  // Probes what nginx serves until `until` (wall clock), failing the test on any expired
  // certificate; returns the first leaf that differs from `old_sha`, if one was served.
  std::optional<crypto::Certificate> ProbeUntil(const std::string& domain, TimePoint until,
                                                const std::string& old_sha) {
    while (std::chrono::system_clock::now() < until) {
      const TimePoint now = std::chrono::system_clock::now();
      auto leaf = Served(domain);
      if (leaf) {
        EXPECT_LT(now, leaf->NotAfter())
            << "nginx served an expired certificate (" << leaf->Sha256Fingerprint() << ", "
            << SecondsBetween(leaf->NotAfter(), now) << " s past its notAfter)";
        if (leaf->Sha256Fingerprint() != old_sha) return leaf;
      }
      std::this_thread::sleep_for(milliseconds(250));
    }
    return std::nullopt;
  }
};

TEST_F(RenewalOutageTest, CaDownAtTheRenewalPointIsRenewedAtItsRetryBeforeExpiry) {
  const std::string domain = "short.example.com";
  const std::string out = (*dir_ / "agent-out").string();
  AddNginxSite(domain, out);
  auto agent = StartAgent(WriteAgentConfig("agent-web-1", AgentTokenFor("web-1"), out));
  ASSERT_TRUE(agent);
  Cli({"domain", "add", domain, "--customer", "acme", "--machine", "web-1", "--issuer", "pebble"});

  std::optional<crypto::Certificate> first;
  ASSERT_TRUE(harness::WaitFor([&] { return (first = Served(domain)).has_value(); }, seconds(60),
                               milliseconds(50)))
      << "nginx never served a certificate for " << domain;
  const TimePoint issued = first->NotBefore();
  const TimePoint renew_at = issued + kLifetime / 2;
  const std::string first_sha = first->Sha256Fingerprint();

  // Down from 10 s before the renewal point until the failed attempt is visible.
  ASSERT_FALSE(ProbeUntil(domain, renew_at - seconds(10), first_sha))
      << "renewed before the renewal point";
  pebble_->StopPebble();
  bool failed = false;
  json view = WaitForDomain(
      domain, [](const json& v) { return v.value("status", "") == "failed"; }, seconds(40),
      &failed);
  ASSERT_TRUE(failed) << "the renewal attempt with Pebble down did not fail visibly: "
                      << view.dump(2);
  std::cout << "[info] renewal failed " << SecondsBetween(issued, std::chrono::system_clock::now())
            << " s after issuance: " << view.value("last_error", "") << "\n";
  const TimePoint failed_at = std::chrono::system_clock::now();
  ASSERT_TRUE(pebble_->RestartPebble()) << "Pebble did not restart";
  const TimePoint back = std::chrono::system_clock::now();

  auto renewed = ProbeUntil(domain, first->NotAfter() + seconds(5), first_sha);
  ASSERT_TRUE(renewed) << "nginx still served the first certificate when it expired";
  const double issued_after = SecondsBetween(failed_at, renewed->NotBefore());
  std::cout << "[perf] renewal failed -> renewed certificate issued after " << issued_after
            << " s (CA back after " << SecondsBetween(failed_at, back) << " s), served with "
            << SecondsBetween(std::chrono::system_clock::now(), first->NotAfter())
            << " s of the first certificate's life left\n";
  // The capped retry comes 15 s after the failure (max(15 s, remaining life / 10)); the
  // regular probe would come 30 s after it, at the certificate's expiry.
  EXPECT_LT(issued_after, 24.0)
      << "the renewal waited for the CA's regular probe instead of probing at its own retry";
  ProbeUntil(domain, std::chrono::system_clock::now() + seconds(2), renewed->Sha256Fingerprint());
}

}  // namespace
}  // namespace certfleet::e2e
