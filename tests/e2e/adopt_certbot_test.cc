// Issue 19 with the real certbot against Pebble:
// - certbot certonly --manual with `certfleet hook certbot-auth|cleanup|deploy`: the hub
//   answers the HTTP-01 challenge (through nginx's challenge proxy) and receives the
//   certificate, which the agent deploys and nginx serves — the seed system's 25 steps with
//   certfleet in place of ClientManager, the relay and cert-monitor;
// - `certfleet import certbot` on a tree made by real certbot runs: a dry run changes
//   nothing, --apply twice changes the hub once, and broken lineages are reported by name
//   while the rest is imported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agent/live_verifier.h"
#include "e2e/pipeline_fixture.h"
#include "harness/net.h"

namespace certfleet::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

class AdoptCertbotTest : public PipelineFixture {
 protected:
  // certbot 2.1 on Python 3.11 crashes with "AttributeError: can't set attribute" when the
  // CA answers an error, Pebble's random badNonce included (certbot issue #9539).
  AdoptCertbotTest() { pebble_options_.nonce_reject_percent = 0; }

  std::string Path(const std::string& rel) const { return (*dir_ / rel).string(); }

  // A support token for certbot's hooks (they read CERTFLEET_HUB / CERTFLEET_TOKEN).
  std::string SupportToken() {
    std::string secret = Cli({"token", "create", "--role", "support", "--name", "certbot"});
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == ' ')) secret.pop_back();
    return secret;
  }

  // certbot certonly with `args`, its own directories under le/, trusting Pebble.
  harness::CommandResult Certbot(std::vector<std::string> args,
                                 std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {
        "certbot",      "certonly",           "--non-interactive", "--agree-tos",
        "-m",           "e2e@certfleet.test", "--server",          pebble_->DirectoryUrl(),
        "--config-dir", Path("le"),           "--work-dir",        Path("le-work"),
        "--logs-dir",   Path("le-logs")};
    argv.insert(argv.end(), args.begin(), args.end());
    env["REQUESTS_CA_BUNDLE"] = pebble_->CaFile();
    auto run = harness::RunCommand(argv, seconds(120), env);
    EXPECT_TRUE(run) << run.error().message;
    return run.value_or(harness::CommandResult{});
  }

  // certbot's manual mode with certfleet's hooks; the hub answers HTTP-01.
  harness::CommandResult CertbotWithHooks(const std::string& domain, const std::string& token,
                                          const std::string& deploy_args = "") {
    const std::string cli = CERTFLEET_CLI;
    return Certbot(
        {"--manual", "--preferred-challenges", "http", "--manual-auth-hook",
         cli + " hook certbot-auth", "--manual-cleanup-hook", cli + " hook certbot-cleanup",
         "--deploy-hook", cli + " hook certbot-deploy" + deploy_args, "--key-type", "ecdsa", "-d",
         domain},
        {{"CERTFLEET_HUB", HubUrl()}, {"CERTFLEET_TOKEN", token}});
  }

  std::string LeafSha(const std::string& lineage) {
    auto run = harness::RunCommand(
        {"sh", "-c",
         "openssl x509 -in " + Path("le/live/" + lineage + "/cert.pem") +
             " -noout -fingerprint -sha256 | cut -d= -f2 | tr -d ':\\n' | tr A-F a-f"});
    return run && run->exit_code == 0 ? run->output : "";
  }

  int CertificateEvents() {
    auto events = Api("GET", "/api/v1/events?since=0&limit=1000");
    int n = 0;
    for (const auto& e : events.body.value("events", json::array())) {
      const std::string type = e.value("type", "");
      if (type == "certificate.issued" || type == "certificate.renewed") ++n;
    }
    return n;
  }
};

TEST_F(AdoptCertbotTest, CertbotManualHooksPutTheCertificateOnTheHubAndTheHost) {
  const std::string domain = "hooked.test";
  const std::string out = Path("agent-out");
  const std::string agent_token = AgentTokenFor("web-01");
  Cli({"domain", "add", domain, "--customer", "acme", "--machine", "web-01", "--issuer", "manual"});
  AddNginxSite(domain, out);
  auto agent = StartAgent(WriteAgentConfig("agent-web-01", agent_token, out));
  ASSERT_TRUE(agent);

  const auto run = CertbotWithHooks(domain, SupportToken());
  ASSERT_EQ(run.exit_code, 0) << "certbot failed:\n"
                              << run.output << "\n"
                              << harness::ReadFileOrEmpty(Path("le-logs/letsencrypt.log"));
  const std::string sha = LeafSha(domain);
  ASSERT_EQ(sha.size(), 64u) << "no certificate in certbot's live/" << domain;

  bool ok = false;
  json view = WaitForDomain(domain, IsValidWithCertificate, seconds(30), &ok);
  ASSERT_TRUE(ok) << "the deploy hook did not put the certificate on the hub: " << view.dump(2);
  EXPECT_EQ(view["current_certificate"]["sha256"], sha);
  const std::string address = "127.0.0.1:" + std::to_string(tls_port_);
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        auto served = agent::FetchServedSha256(address, domain, milliseconds(500));
        return served && *served == sha;
      },
      seconds(60), milliseconds(10)))
      << "nginx on the agent's host does not serve certbot's certificate";

  // The challenge was handed in, answered and withdrawn, each step audit-logged.
  auto audit = Api("GET", "/api/v1/audit?limit=200");
  const std::string log = audit.body.dump();
  EXPECT_THAT(log, testing::HasSubstr("challenge.external.put"));
  EXPECT_THAT(log, testing::HasSubstr("challenge.external.delete"));
  EXPECT_EQ(Api("GET", "/api/v1/challenges/http-01").body["items"].size(), 0u)
      << "the cleanup hook withdrew the answer";
}

TEST_F(AdoptCertbotTest, TheAuthHookRefusesNamesTheHubDoesNotManage) {
  const auto run =
      harness::RunCommand({CERTFLEET_CLI, "hook", "certbot-auth"}, seconds(30),
                          {{"CERTFLEET_HUB", HubUrl()},
                           {"CERTFLEET_TOKEN", SupportToken()},
                           {"CERTBOT_DOMAIN", "stranger.test"},
                           {"CERTBOT_TOKEN", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"},
                           {"CERTBOT_VALIDATION",
                            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG."
                            "0123456789012345678901234567890123456789abc"}});
  ASSERT_TRUE(run);
  EXPECT_NE(run->exit_code, 0);
  EXPECT_THAT(run->output, testing::HasSubstr("no certfleet domain holds stranger.test"));
}

TEST_F(AdoptCertbotTest, ImportOfARealCertbotTreeIsADryRunFirstIdempotentAndReportsBadLineages) {
  // Three lineages made by certbot itself (the hub answers their challenges through hooks
  // under a throw-away domain, which is deleted again: the hub starts the import empty).
  const std::string token = SupportToken();
  Cli({"customer", "add", "acme"});
  Cli({"machine", "add", "web-01", "--customer", "acme"});
  for (const char* name : {"one.test", "two.test", "three.test"}) {
    Cli({"domain", "add", name, "--machine", "web-01", "--issuer", "manual"});
    const auto run =
        Certbot({"--manual", "--preferred-challenges", "http", "--manual-auth-hook",
                 std::string(CERTFLEET_CLI) + " hook certbot-auth", "--manual-cleanup-hook",
                 std::string(CERTFLEET_CLI) + " hook certbot-cleanup", "-d", name},
                {{"CERTFLEET_HUB", HubUrl()}, {"CERTFLEET_TOKEN", token}});
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_EQ(Api("DELETE", "/api/v1/domains/" + std::string(name)).status, 204);
  }
  const int events_before = CertificateEvents();

  // Dry run: says what it would do, changes nothing.
  const auto dry = harness::RunCommand({CERTFLEET_CLI, "--hub", HubUrl(), "--token", token,
                                        "import", "certbot", Path("le"), "--machine", "web-01"});
  ASSERT_TRUE(dry && dry->exit_code == 0) << (dry ? dry->output : dry.error().message);
  EXPECT_THAT(dry->output, testing::HasSubstr("create    one.test"));
  EXPECT_THAT(dry->output,
              testing::HasSubstr("dry run: nothing changed; 3 domain(s) would change"));
  EXPECT_EQ(Api("GET", "/api/v1/domains/one.test").status, 404) << "the dry run created a domain";

  // --apply twice = once.
  EXPECT_THAT(Cli({"import", "certbot", Path("le"), "--machine", "web-01", "--apply"}),
              testing::HasSubstr("3 domain(s) changed"));
  const std::string again =
      Cli({"import", "certbot", Path("le"), "--machine", "web-01", "--apply"});
  EXPECT_THAT(again, testing::HasSubstr("0 domain(s) changed"));
  EXPECT_THAT(again, testing::HasSubstr("unchanged one.test"));
  EXPECT_EQ(CertificateEvents(), events_before + 3) << "the second import stored something";
  json one = ShowDomain("one.test");
  EXPECT_TRUE(IsValidWithCertificate(one)) << one.dump(2);
  EXPECT_EQ(one["current_certificate"]["sha256"], LeafSha("one.test"));
  EXPECT_EQ(one.value("issuer", ""), "manual");

  // A copy of the tree with three broken lineages and one good new one (with --issuer).
  fs::copy(Path("le"), Path("bad"), fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  auto relink = [&](const std::string& lineage) {  // certbot's renewal conf names le/ paths
    std::ifstream in(Path("bad/renewal/" + lineage + ".conf"));
    std::stringstream text;
    text << in.rdbuf();
    std::string conf = text.str();
    for (size_t at; (at = conf.find(Path("le/"))) != std::string::npos;) {
      conf.replace(at, Path("le/").size(), Path("bad/"));
    }
    std::ofstream(Path("bad/renewal/" + lineage + ".conf"), std::ios::trunc) << conf;
  };
  for (const char* l : {"one.test", "two.test", "three.test"}) relink(l);
  dir_->WriteFile("bad/renewal/garbled.test.conf", "fullchain = /x\n<<< not configobj >>>\n");
  fs::remove(Path("bad/archive/two.test/fullchain1.pem"));  // live/ link to nothing
  fs::copy_file(Path("le/archive/three.test/privkey1.pem"),
                Path("bad/archive/one.test/privkey1.pem"),
                fs::copy_options::overwrite_existing);  // a key that does not match
  ASSERT_EQ(Api("DELETE", "/api/v1/domains/three.test").status, 204);
  const auto bad =
      harness::RunCommand({CERTFLEET_CLI, "--hub", HubUrl(), "--token", token, "import", "certbot",
                           Path("bad"), "--issuer", "pebble", "--machine", "web-01", "--apply"});
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->exit_code, 0) << "problems must fail the command: " << bad->output;
  EXPECT_THAT(bad->output,
              testing::HasSubstr("problem   garbled.test: renewal/garbled.test.conf line 2"));
  EXPECT_THAT(bad->output, testing::HasSubstr("problem   two.test: "));
  EXPECT_THAT(bad->output, testing::HasSubstr("which does not exist"));
  EXPECT_THAT(bad->output,
              testing::HasSubstr("problem   one.test: the private key does not belong"));
  EXPECT_THAT(bad->output, testing::HasSubstr("create    three.test"));
  json three = ShowDomain("three.test");
  EXPECT_EQ(three.value("issuer", ""), "pebble") << "--issuer makes it ACME-managed";
  EXPECT_TRUE(IsValidWithCertificate(three))
      << "the imported certificate serves until renewal: " << three.dump(2);
  EXPECT_EQ(three["current_certificate"]["sha256"], LeafSha("three.test"));
}

}  // namespace
}  // namespace certfleet::e2e
