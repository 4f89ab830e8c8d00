// Issue 19 with the real lego against Pebble: `lego run --run-hook 'certfleet hook lego-deploy'`
// uploads the certificate lego just got to the hub, from where the agent deploys it and nginx
// serves it. lego's HTTP-01 has no hook (its own server, a webroot or memcached), so Pebble
// skips validation here (PEBBLE_VA_ALWAYS_VALID): what is tested is the deploy hook's path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/live_verifier.h"
#include "e2e/pipeline_fixture.h"
#include "harness/net.h"

namespace certfleet::e2e {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

class AdoptLegoTest : public PipelineFixture {
 protected:
  AdoptLegoTest() { pebble_options_.always_valid = true; }

  std::string Path(const std::string& rel) const { return (*dir_ / rel).string(); }

  std::string SupportToken() {
    std::string secret = Cli({"token", "create", "--role", "support", "--name", "lego"});
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == ' ')) secret.pop_back();
    return secret;
  }

  // `lego run` for `domain` with certfleet's deploy hook, its own folder under lego/.
  harness::CommandResult LegoWithHook(const std::string& domain, const std::string& hook_args) {
    const std::string cli = CERTFLEET_CLI;
    auto run = harness::RunCommand(
        {"lego", "--server", pebble_->DirectoryUrl(), "--accept-tos", "--email",
         "e2e@certfleet.test", "--path", Path("lego"), "--key-type", "ec256", "--http",
         "--http.port", "127.0.0.1:" + std::to_string(harness::FreeLoopbackPort()), "-d", domain,
         "run", "--run-hook", cli + " hook lego-deploy" + hook_args},
        seconds(120),
        {{"LEGO_CA_CERTIFICATES", pebble_->CaFile()},
         {"CERTFLEET_HUB", HubUrl()},
         {"CERTFLEET_TOKEN", SupportToken()}});
    EXPECT_TRUE(run) << run.error().message;
    return run.value_or(harness::CommandResult{});
  }

  std::string LeafSha(const std::string& domain) {
    auto run = harness::RunCommand(
        {"sh", "-c",
         "openssl x509 -in " + Path("lego/certificates/" + domain + ".crt") +
             " -noout -fingerprint -sha256 | cut -d= -f2 | tr -d ':\\n' | tr A-F a-f"});
    return run && run->exit_code == 0 ? run->output : "";
  }
};

TEST_F(AdoptLegoTest, LegoRunHookPutsTheCertificateOnTheHubAndTheHost) {
  const std::string domain = "lego.test";
  const std::string out = Path("agent-out");
  const std::string agent_token = AgentTokenFor("web-01");
  AddNginxSite(domain, out);
  auto agent = StartAgent(WriteAgentConfig("agent-web-01", agent_token, out));
  ASSERT_TRUE(agent);

  // The hub does not know lego.test: the hook creates it (manual) on the machine it names.
  const auto run = LegoWithHook(domain, " --machine web-01 --customer acme");
  ASSERT_EQ(run.exit_code, 0) << "lego failed:\n" << run.output;
  const std::string sha = LeafSha(domain);
  ASSERT_EQ(sha.size(), 64u) << "no certificate in lego's certificates/: " << run.output;

  bool ok = false;
  json view = WaitForDomain(domain, IsValidWithCertificate, seconds(30), &ok);
  ASSERT_TRUE(ok) << "the run hook did not put the certificate on the hub: " << view.dump(2)
                  << "\nlego said:\n"
                  << run.output;
  EXPECT_EQ(view["current_certificate"]["sha256"], sha);
  EXPECT_EQ(view.value("issuer", ""), "manual");
  const std::string address = "127.0.0.1:" + std::to_string(tls_port_);
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        auto served = agent::FetchServedSha256(address, domain, milliseconds(500));
        return served && *served == sha;
      },
      seconds(60), milliseconds(10)))
      << "nginx on the agent's host does not serve lego's certificate";
}

}  // namespace
}  // namespace certfleet::e2e
