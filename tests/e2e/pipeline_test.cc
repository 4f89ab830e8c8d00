// The whole pipeline with real processes: a domain saved through the CLI is issued by the
// hub against Pebble (validated through nginx's challenge proxy), deployed by the agent
// into nginx and served; plus the failures the pipeline must survive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "agent/live_verifier.h"
#include "e2e/pipeline_fixture.h"
#include "harness/net.h"

namespace certfleet::e2e {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

// Generous bounds for Debug + ASan on shared cores; the happy path takes well under a second.
constexpr auto kIssueTimeout = seconds(60);

long ElapsedMs(Steady::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<milliseconds>(Steady::now() - since).count());
}

bool HasOpenOrder(const json& view) {
  if (!view.contains("orders") || !view["orders"].is_array() || view["orders"].empty())
    return false;
  const std::string state = view["orders"][0].value("state", "");
  return state == "pending" || state == "ready" || state == "processing";
}

bool IsDeployedOn(const json& view, const std::string& machine) {
  if (!IsValidWithCertificate(view)) return false;
  const std::string sha = view["current_certificate"].value("sha256", "");
  for (const auto& d : view.value("deployments", json::array())) {
    if (d.value("machine", "") == machine && d.value("status", "") == "deployed" &&
        d.value("sha256", "") == sha) {
      return true;
    }
  }
  return false;
}

using PipelineTest = PipelineFixture;

TEST_F(PipelineTest, DomainSavedIsIssuedDeployedAndServedByNginx) {
  const std::string domain = "shop.example.com";
  const std::string out = (*dir_ / "agent-out").string();
  const std::string token = AgentTokenFor("web-1");
  AddNginxSite(domain, out);
  auto agent = StartAgent(WriteAgentConfig("agent-web-1", token, out));
  ASSERT_TRUE(agent);

  const auto saved = Steady::now();
  Cli({"domain", "add", domain, "--customer", "acme", "--machine", "web-1", "--issuer", "pebble"});
  bool ok = false;
  json view = WaitForDomain(domain, IsValidWithCertificate, kIssueTimeout, &ok);
  ASSERT_TRUE(ok) << "the domain did not become valid with a certificate: " << view.dump(2);
  const long valid_ms = ElapsedMs(saved);
  const std::string want = view["current_certificate"]["sha256"];

  // nginx serves it once the agent has written the files, tested and reloaded nginx.
  const std::string address = "127.0.0.1:" + std::to_string(tls_port_);
  const bool served = harness::WaitFor(
      [&] {
        auto sha = agent::FetchServedSha256(address, domain, milliseconds(500));
        return sha && *sha == want;
      },
      kIssueTimeout, milliseconds(2));
  const long served_ms = ElapsedMs(saved);
  ASSERT_TRUE(served) << "nginx never served certificate " << want << " for " << domain;
  std::cout << "[perf] domain saved -> valid in the hub: " << valid_ms
            << " ms; -> served by nginx: " << served_ms << " ms\n";

  // Once the agent has reported the deployment, every new connection gets the new
  // certificate: an independent check (openssl s_client with SNI). The probe above may see
  // the new certificate from the new worker while the reload's old worker still accepts
  // (issue 13: this check failed then, on a busy machine); the agent reports only after
  // the old workers stopped accepting (agent/old_workers.h), so the check follows the report.
  view = WaitForDomain(
      domain, [](const json& v) { return IsDeployedOn(v, "web-1"); }, seconds(60), &ok);
  EXPECT_TRUE(ok) << "the hub does not show the deployment on web-1 as deployed: " << view.dump(2);
  EXPECT_EQ(ServedSha256(domain), want)
      << "openssl s_client saw another certificate for " << domain;
  EXPECT_THAT(Cli({"domain", "show", domain}), testing::HasSubstr(want.substr(0, 16)));
}

// The restarted hub has the same worker id (<data-dir>/worker.id), so its worker re-takes the
// lease the killed process held and resumes the saved order at once (not after the 10-minute
// lease), and the order's certificate is stored exactly once.
//
// The killed hub has usually answered the challenge already (nginx is frozen, so Pebble's
// validation hangs). Pebble still shows the challenge "pending", so the resumed order answers
// it again and Pebble validates twice; the second fetch may come after the first made the
// authorization valid and the hub cleaned up — the hub still serves a cleaned-up answer for
// kServedAfterCleanUp, or the late 404 would turn the authorization invalid (this test failed
// so, 2 of 4 runs at load 4).
TEST_F(PipelineTest, HubKilledMidOrderResumesAndStoresExactlyOneCertificate) {
  const std::string domain = "resume.example.com";
  Cli({"customer", "add", "acme"});
  Cli({"machine", "add", "web-1"});
  // With nginx frozen, Pebble's validation request waits in the socket backlog: the order
  // stays open at the CA while the hub has already saved it.
  FreezeNginx();
  Cli({"domain", "add", domain, "--customer", "acme", "--machine", "web-1", "--issuer", "pebble"});
  bool ok = false;
  json view = WaitForDomain(domain, HasOpenOrder, seconds(30), &ok);
  if (!ok) ThawNginx();
  ASSERT_TRUE(ok) << "no open order was saved for " << domain << ": " << view.dump(2);
  const json saved_order_id = view["orders"][0]["id"];

  ASSERT_NO_FATAL_FAILURE(KillHub());
  ASSERT_NO_FATAL_FAILURE(StartHub());
  ThawNginx();
  const auto restarted = Steady::now();
  view = WaitForDomain(domain, IsValidWithCertificate, kIssueTimeout, &ok);
  ASSERT_TRUE(ok)
      << "within " << kIssueTimeout.count() << " s of the hub's restart the order did not resume "
      << "(a dead hub's 10-minute lease still holding the domain, i.e. another worker id after "
      << "the restart? or the resumed order failing to answer a challenge the CA is already "
      << "validating? see last_error): " << view.dump(2);
  std::cout << "[perf] hub restart -> domain valid: " << ElapsedMs(restarted) << " ms\n";

  auto certificates = Api("GET", "/api/v1/domains/" + domain + "/certificates");
  ASSERT_EQ(certificates.status, 200) << certificates.body.dump();
  const json items = certificates.body.is_array() ? certificates.body
                                                  : certificates.body.value("items", json::array());
  EXPECT_EQ(items.size(), 1u) << "a hub killed mid-order must not store a second certificate: "
                              << certificates.body.dump(2);
  ASSERT_EQ(view["orders"].size(), 1u)
      << "the saved order must be resumed, not replaced: " << view.dump(2);
  EXPECT_EQ(view["orders"][0]["id"], saved_order_id);
  EXPECT_EQ(view["orders"][0].value("state", ""), "completed") << view.dump(2);
}

TEST_F(PipelineTest, PebbleDownMidOrderFailsVisiblyThenIssueButtonSucceeds) {
  const std::string domain = "outage.example.com";
  Cli({"customer", "add", "acme"});
  Cli({"machine", "add", "web-1"});
  FreezeNginx();
  Cli({"domain", "add", domain, "--customer", "acme", "--machine", "web-1", "--issuer", "pebble"});
  bool ok = false;
  json view = WaitForDomain(domain, HasOpenOrder, seconds(30), &ok);
  pebble_->StopPebble();
  ThawNginx();
  ASSERT_TRUE(ok) << "no open order was saved for " << domain << ": " << view.dump(2);

  view = WaitForDomain(
      domain, [](const json& v) { return v.value("status", "") == "failed"; }, kIssueTimeout, &ok);
  ASSERT_TRUE(ok) << "with Pebble down the domain did not show failed: " << view.dump(2);
  const std::string error = view.value("last_error", "");
  std::cout << "[info] error shown while the CA is down: " << error << "\n";
  EXPECT_FALSE(error.empty()) << "a failed domain must say why: " << view.dump(2);
  EXPECT_TRUE(view["next_attempt_at"].is_string())
      << "a failed domain must say when it retries: " << view.dump(2);

  ASSERT_TRUE(pebble_->RestartPebble()) << "Pebble did not restart";
  EXPECT_THAT(Cli({"domain", "issue", domain}), testing::HasSubstr("requested"));
  view = WaitForDomain(domain, IsValidWithCertificate, kIssueTimeout, &ok);
  EXPECT_TRUE(ok) << "after Pebble came back, the issue button did not get a certificate: "
                  << view.dump(2);
  EXPECT_EQ(view.value("last_error", "x"), "") << "a valid domain should not keep the old error";
}

TEST_F(PipelineTest, AgentTokenOfAnotherMachineCannotFetchTheKey) {
  const std::string domain = "private.example.com";
  const std::string web1_token = AgentTokenFor("web-1");
  const std::string web2_token = AgentTokenFor("web-2");
  Cli({"domain", "add", domain, "--customer", "acme", "--machine", "web-1", "--issuer", "pebble"});
  bool ok = false;
  json view = WaitForDomain(domain, IsValidWithCertificate, kIssueTimeout, &ok);
  ASSERT_TRUE(ok) << view.dump(2);
  const std::string path =
      "/api/v1/agent/certificates/" + std::to_string(view["current_certificate"]["id"].get<long>());

  auto refused = Api("GET", path, web2_token);
  EXPECT_EQ(refused.status, 403) << "web-2's agent read web-1's certificate key: "
                                 << refused.body.dump();
  EXPECT_FALSE(refused.body.dump().find("PRIVATE KEY") != std::string::npos)
      << "key material in a refusal";
  auto allowed = Api("GET", path, web1_token);
  EXPECT_EQ(allowed.status, 200) << "web-1's own agent could not fetch its certificate: "
                                 << allowed.body.dump();
}

}  // namespace
}  // namespace certfleet::e2e
