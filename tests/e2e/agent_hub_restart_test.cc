// The agent across a hub outage, with real processes (certfleet-hub, certfleet-agent, nginx):
// while the hub is down the agent keeps nginx serving what is on disk and retries with
// backoff; when the hub is back it converges on what changed. Certificates are uploaded
// to a manual domain (no CA involved), so the test is about the agent, not issuance.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "agent/live_verifier.h"
#include "crypto/testing/test_ca.h"
#include "e2e/pipeline_fixture.h"
#include "harness/net.h"

namespace certfleet::e2e {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Bounds for Debug + ASan on shared cores, not sleeps: the happy path takes well under a second.
constexpr auto kDeployTimeout = seconds(60);

class AgentHubRestartTest : public PipelineFixture {
 protected:
  // Uploads a fresh certificate for `domain` through the CLI; returns its SHA-256.
  std::string UploadNewCertificate(const std::string& domain) {
    auto leaf = ca_.Issue({.dns_names = {domain}});
    EXPECT_TRUE(leaf) << leaf.error().message;
    if (!leaf) return "";
    const std::string name = "upload-" + std::to_string(++uploads_);
    const std::string cert = dir_->WriteFile(name + ".pem", leaf->chain_pem).string();
    const std::string key = dir_->WriteFile(name + ".key", leaf->key_pem).string();
    Cli({"cert", "upload", domain, "--cert", cert, "--key", key});
    return leaf->leaf.Sha256Fingerprint();
  }

  bool NginxServes(const std::string& domain, const std::string& sha256, milliseconds timeout) {
    const std::string address = "127.0.0.1:" + std::to_string(tls_port_);
    return harness::WaitFor(
        [&] {
          auto served = agent::FetchServedSha256(address, domain, milliseconds(500));
          return served && *served == sha256;
        },
        timeout, milliseconds(5));
  }

  // The hub shows `machine`'s agent reporting `sha256` as deployed for `domain`.
  bool HubShowsDeployed(const std::string& domain, const std::string& machine,
                        const std::string& sha256) {
    bool ok = false;
    WaitForDomain(
        domain,
        [&](const json& view) {
          for (const auto& d : view.value("deployments", json::array())) {
            if (d.value("machine", "") == machine && d.value("status", "") == "deployed" &&
                d.value("sha256", "") == sha256) {
              return true;
            }
          }
          return false;
        },
        kDeployTimeout, &ok);
    return ok;
  }

  crypto::testing::TestCa ca_ = crypto::testing::TestCa::Create(1, "agent e2e").value();
  int uploads_ = 0;
};

TEST_F(AgentHubRestartTest, AgentKeepsServingWhileTheHubIsDownAndConvergesAfterItReturns) {
  const std::string domain = "outage.example.com";
  const std::string out = (*dir_ / "agent-out").string();
  const std::string token = AgentTokenFor("web-1");
  Cli({"domain", "add", domain, "--customer", "acme", "--machine", "web-1", "--issuer", "manual"});
  AddNginxSite(domain, out);
  const std::string config = WriteAgentConfig("agent-web-1", token, out);
  auto agent = StartAgent(config);
  ASSERT_TRUE(agent);

  const std::string first = UploadNewCertificate(domain);
  ASSERT_TRUE(NginxServes(domain, first, kDeployTimeout))
      << "the first certificate was never served";
  ASSERT_TRUE(HubShowsDeployed(domain, "web-1", first))
      << "the hub never showed the first deployment";

  ASSERT_NO_FATAL_FAILURE(KillHub());
  // The agent notices on its watch stream and says it retries; meanwhile nginx keeps the
  // certificate on disk.
  const std::string log = std::filesystem::path(config).replace_extension(".log").string();
  const bool noticed = harness::WaitFor(
      [&] {
        const std::string text = harness::ReadFileOrEmpty(log);
        return text.find("retrying with backoff") != std::string::npos ||
               text.find("hub unreachable") != std::string::npos;
      },
      kDeployTimeout, milliseconds(20));
  EXPECT_TRUE(noticed) << "the agent did not log that the hub is unreachable and that it retries:\n"
                       << harness::ReadFileOrEmpty(log);
  EXPECT_TRUE(agent->IsRunning()) << "the agent exited while the hub was down";
  EXPECT_TRUE(NginxServes(domain, first, seconds(10)))
      << "nginx stopped serving the deployed certificate "
         "while the hub was down";

  ASSERT_NO_FATAL_FAILURE(StartHub());
  const std::string second = UploadNewCertificate(domain);
  EXPECT_TRUE(NginxServes(domain, second, kDeployTimeout))
      << "after the hub came back the agent did not deploy the new certificate";
  EXPECT_TRUE(HubShowsDeployed(domain, "web-1", second))
      << "the restarted hub never received the agent's report for the new certificate";
  EXPECT_TRUE(agent->IsRunning()) << "the agent exited across the hub's restart";
}

}  // namespace
}  // namespace certfleet::e2e
