// The agent against a REAL nginx (private instance on free loopback ports), with the
// FakeHubClient standing in for the hub: what nginx serves is checked by TLS handshake.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <future>

#include "agent/cert_store.h"
#include "agent/deployer.h"
#include "agent/http_hub_client.h"
#include "agent/hub_failure.h"
#include "agent/live_verifier.h"
#include "agent/old_workers.h"
#include "agent/testing/agent_test_util.h"
#include "agent/testing/fake_hub_client.h"
#include "harness/net.h"
#include "harness/nginx_server.h"
#include "harness/temp_dir.h"
#include "net/beast/beast_transport.h"

namespace certfleet::agent {
namespace {

namespace fs = std::filesystem;
using testing::MakeCertificate;
using testing::TestCertificate;

class AgentNginxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fallback = MakeCertificate(ca_, "default.test", 99);
    dir_.WriteFile("default/fullchain.pem", fallback.files.fullchain);
    dir_.WriteFile("default/privkey.pem", fallback.files.privkey);
    fs::create_directories(dir_ / "sites");
    port_ = harness::FreeLoopbackPort();
    http_ = harness::NginxServer::TlsServer(port_, "default.test",
                                            (dir_ / "default/fullchain.pem").string(),
                                            (dir_ / "default/privkey.pem").string()) +
            "  include " + (dir_ / "sites").string() + "/*.conf;\n";
    auto nginx = harness::NginxServer::Start(http_, {port_});
    ASSERT_TRUE(nginx) << nginx.error().message;
    nginx_ = std::move(*nginx);
    ASSERT_TRUE(store_.Repair());
  }

  // The operator's site config: serves `domain` from the agent's live files.
  void AddSite(const std::string& domain) {
    const fs::path live = store_.LiveDir(domain);
    dir_.WriteFile("sites/" + domain + ".conf",
                   harness::NginxServer::TlsServer(port_, domain, (live / "fullchain.pem").string(),
                                                   (live / "privkey.pem").string()));
  }
  std::string Nginx(const std::string& args) const {
    return "nginx -p " + nginx_->dir().path().string() + " -c " + nginx_->ConfigPath() + " -e " +
           (nginx_->dir() / "logs" / "error.log").string() + " " + args;
  }
  DeployerOptions Options() const {
    DeployerOptions o;
    o.test_command = Nginx("-t -q");
    o.reload_command =
        "echo reload >> " + (dir_ / "reloads.log").string() + " && " + Nginx("-s reload");
    o.verify_address = "127.0.0.1:" + std::to_string(port_);
    o.verify_timeout = std::chrono::seconds(3);
    return o;
  }
  void Want(const std::vector<TestCertificate>& certs) {
    DesiredState state{"web-1", 0, {}};
    for (const auto& c : certs) {
      state.certificates.push_back(c.desired);
      hub_.AddBundle(c.bundle);
    }
    hub_.SetDesiredState(state);
  }
  // Whether nginx serves `sha256` for `domain`, settled: an old worker may still answer a
  // handshake or two just after a reload, so the check waits up to 3 s for it.
  ::testing::AssertionResult Serves(const std::string& domain, const std::string& sha256) const {
    auto served = WaitUntilServed("127.0.0.1:" + std::to_string(port_), domain, sha256,
                                  std::chrono::seconds(3));
    if (served) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << served.error().message;
  }
  int Reloads() const {
    std::string log = harness::ReadFileOrEmpty(dir_ / "reloads.log");
    return static_cast<int>(std::count(log.begin(), log.end(), '\n'));
  }

  crypto::testing::TestCa ca_ = crypto::testing::TestCa::Create().value();
  harness::TempDir dir_{"agent-nginx"};
  CertStore store_{dir_ / "out"};
  FakeHubClient hub_;
  std::uint16_t port_ = 0;
  std::string http_;
  std::unique_ptr<harness::NginxServer> nginx_;
};

TEST_F(AgentNginxTest, FirstDeploymentIsServed) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  AddSite("a.example.com");
  Want({a});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options());
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->deployed, 1) << (hub_.reports().empty() ? "" : hub_.reports()[0].error);
  EXPECT_TRUE(Serves("a.example.com", a.desired.sha256)) << "nginx must serve the new certificate";
  ASSERT_EQ(hub_.reports().size(), 1u);
  EXPECT_EQ(hub_.reports()[0].outcome, DeploymentOutcome::kDeployed);
}

TEST_F(AgentNginxTest, ARenewalIsServedAfterAReloadBySignalToThePidFile) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  AddSite("a.example.com");
  DeployerOptions o = Options();
  o.reload_signal_pid_file = nginx_->dir() / "nginx.pid";  // the master's, written by nginx itself
  ASSERT_TRUE(fs::exists(o.reload_signal_pid_file)) << "the harness nginx must write its pid file";
  Deployer deployer(hub_, store_, SystemClock::Instance(), o);
  Want({v1});
  ASSERT_EQ(deployer.Converge()->deployed, 1) << hub_.reports().back().error;
  Want({v2});
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->deployed, 1) << hub_.reports().back().error;
  EXPECT_TRUE(Serves("a.example.com", v2.desired.sha256))
      << "SIGHUP to the master must load the renewal";
  EXPECT_EQ(Reloads(), 0) << "with a pid file the reload command must not run";
}

// Issue 13 (PipelineTest's flake): after a reload nginx's old worker accepts new connections
// until it handles the master's shutdown message, and then presents the OLD certificate; on a
// busy machine that lasts, and clients got the old certificate after the agent had reported
// the new one as served. Here the old worker is stopped (SIGSTOP) across the reload, so it
// keeps its listening socket for a second: the agent must not report the renewal before the
// old worker has let go of it.
TEST_F(AgentNginxTest, ARenewalIsReportedOnlyOnceNoOldWorkerAcceptsConnections) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  AddSite("a.example.com");
  DeployerOptions o = Options();
  o.reload_signal_pid_file = nginx_->dir() / "nginx.pid";
  o.verify_timeout = std::chrono::seconds(30);
  Deployer deployer(hub_, store_, SystemClock::Instance(), o);
  Want({v1});
  ASSERT_EQ(deployer.Converge()->deployed, 1) << hub_.reports().back().error;
  ASSERT_TRUE(Serves("a.example.com", v1.desired.sha256));
  const std::uint64_t before_reload = BootTicksNow() + 1;
  const auto old = OldWorkersListeningOn(port_, before_reload);
  ASSERT_EQ(old.size(), 1u) << "worker_processes 1: the running worker must be found";
  ASSERT_EQ(::kill(old[0], SIGSTOP), 0);
  Want({v2});
  auto pass = std::async(std::launch::async, [&] { return deployer.Converge(); });
  const bool returned_early = pass.wait_for(std::chrono::seconds(1)) == std::future_status::ready;
  ::kill(old[0], SIGCONT);
  auto result = pass.get();
  ASSERT_FALSE(returned_early)
      << "the renewal was reported while the old worker still held the listening socket";
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->deployed, 1) << hub_.reports().back().error;
  EXPECT_TRUE(OldWorkersListeningOn(port_, before_reload).empty());
  for (int i = 0; i < 20; ++i) {
    auto sha = FetchServedSha256("127.0.0.1:" + std::to_string(port_), "a.example.com",
                                 std::chrono::seconds(5));
    ASSERT_TRUE(sha) << sha.error().message;
    ASSERT_EQ(*sha, v2.desired.sha256) << "handshake " << i << " after the report";
  }
}

TEST(OldWorkersTest, PortOfReadsBothAddressForms) {
  EXPECT_EQ(PortOf("127.0.0.1:443"), std::optional<std::uint16_t>(443));
  EXPECT_EQ(PortOf("[::1]:8443"), std::optional<std::uint16_t>(8443));
  EXPECT_EQ(PortOf("[::1]"), std::nullopt);
  EXPECT_EQ(PortOf("host"), std::nullopt);
  EXPECT_EQ(PortOf("h:0"), std::nullopt);
}

TEST_F(AgentNginxTest, RenewalsOfSeveralDomainsAreSwappedInWithOneReload) {
  auto a1 = MakeCertificate(ca_, "a.example.com", 1);
  auto b1 = MakeCertificate(ca_, "b.example.com", 2);
  AddSite("a.example.com");
  AddSite("b.example.com");
  Want({a1, b1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options());
  ASSERT_EQ(deployer.Converge()->deployed, 2);
  auto a2 = MakeCertificate(ca_, "a.example.com", 3);
  auto b2 = MakeCertificate(ca_, "b.example.com", 4);
  Want({a2, b2});
  const int before = Reloads();
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 2);
  EXPECT_EQ(Reloads() - before, 1) << "two renewals must cost one reload";
  EXPECT_TRUE(Serves("a.example.com", a2.desired.sha256));
  EXPECT_TRUE(Serves("b.example.com", b2.desired.sha256));
}

TEST_F(AgentNginxTest, AWrongKeyIsRefusedBeforeAnyReload) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  AddSite("a.example.com");
  Want({v1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options());
  ASSERT_EQ(deployer.Converge()->deployed, 1);
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  v2.bundle.key_pem = MakeCertificate(ca_, "a.example.com", 5).bundle.key_pem;
  Want({v2});
  const int before = Reloads();
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(Reloads(), before) << "a bad certificate must never reach a reload";
  EXPECT_TRUE(Serves("a.example.com", v1.desired.sha256));
  EXPECT_NE(hub_.reports().back().error.find("private key does not match"), std::string::npos);
}

TEST_F(AgentNginxTest, AFailingNginxTestRollsBackAndTheOldCertificateIsStillServed) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  AddSite("a.example.com");
  Want({v1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options());
  ASSERT_EQ(deployer.Converge()->deployed, 1);
  dir_.WriteFile("sites/broken.conf", "server { this is not nginx; }\n");
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  Want({v2});
  const int before = Reloads();
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(Reloads(), before) << "no reload after a failed nginx -t";
  EXPECT_TRUE(Serves("a.example.com", v1.desired.sha256))
      << "the old certificate must still be served";
  EXPECT_EQ(store_.ReadInventory()->at("a.example.com").sha256, v1.desired.sha256)
      << "and be back on disk";
  const auto report = hub_.reports().back();
  EXPECT_EQ(report.outcome, DeploymentOutcome::kFailed);
  EXPECT_NE(report.error.find("test command failed"), std::string::npos) << report.error;
  EXPECT_NE(report.error.find("broken.conf"), std::string::npos)
      << "nginx's own message must reach the hub: " << report.error;
}

// Issue 19, adoption: the site's block still names the files nginx served before certfleet
// (a bought certificate). Rolling the agent's files back could change nothing nginx serves,
// and removing them would make the printed lines point at nothing: they stay, the install is
// pending and says which lines to change; once the operator switches the block, it is served.
TEST_F(AgentNginxTest, ASiteThatNamesOtherFilesKeepsTheInstallPendingUntilItIsSwitched) {
  auto bought = MakeCertificate(ca_, "a.example.com", 7);
  dir_.WriteFile("bought/fullchain.pem", bought.files.fullchain);
  dir_.WriteFile("bought/privkey.pem", bought.files.privkey);
  dir_.WriteFile("sites/a.example.com.conf",
                 harness::NginxServer::TlsServer(port_, "a.example.com",
                                                 (dir_ / "bought/fullchain.pem").string(),
                                                 (dir_ / "bought/privkey.pem").string()));
  ASSERT_TRUE(nginx_->Reload(http_));
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  Want({a});
  FakeClock clock(std::chrono::system_clock::now());
  DeployerOptions o = Options();
  o.verify_timeout = std::chrono::milliseconds(1500);
  Deployer deployer(hub_, store_, clock, o);
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->failed, 0) << hub_.reports().back().error;
  EXPECT_EQ(pass->unserved, 1);
  EXPECT_EQ(pass->reloads, 1) << "no second reload: nothing was rolled back";
  EXPECT_EQ(store_.ReadInventory()->at("a.example.com").sha256, a.desired.sha256)
      << "the files stay for the switch";
  EXPECT_TRUE(Serves("a.example.com", bought.desired.sha256)) << "clients still get the old one";
  const auto report = hub_.reports().back();
  EXPECT_EQ(report.outcome, DeploymentOutcome::kPending);
  EXPECT_NE(report.error.find(bought.desired.sha256), std::string::npos)
      << "the report says what was served: " << report.error;
  EXPECT_NE(report.error.find("from a server block that names other files"), std::string::npos)
      << report.error;
  EXPECT_NE(report.error.find("ssl_certificate " + store_.LiveDir("a.example.com").string() +
                              "/fullchain.pem;"),
            std::string::npos)
      << "the report names the lines: " << report.error;

  // The operator switches the block to the agent's files; the next probe finds it served.
  AddSite("a.example.com");
  ASSERT_TRUE(nginx_->Reload(http_));
  ASSERT_TRUE(Serves("a.example.com", a.desired.sha256));
  clock.Advance(std::chrono::seconds(2));
  pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 1);
  EXPECT_EQ(pass->reloads, 0) << "probing a kept install never reloads nginx";
  EXPECT_EQ(hub_.reports().back().outcome, DeploymentOutcome::kDeployed);
}

// A reload that does not take (here: a reload command that does nothing): nginx still serves
// the version the agent's files held before, so it reads them — the files go back to that
// version, so that disk and nginx agree again, and the deployment fails with the reason.
TEST_F(AgentNginxTest, AReloadThatDoesNotTakeRollsBackToTheVersionNginxServes) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  AddSite("a.example.com");
  Want({v1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options());
  ASSERT_EQ(deployer.Converge()->deployed, 1);
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  Want({v2});
  DeployerOptions o = Options();
  o.reload_command = "true";
  o.verify_timeout = std::chrono::milliseconds(1500);
  Deployer no_reload(hub_, store_, SystemClock::Instance(), o);
  auto pass = no_reload.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(pass->unserved, 0);
  EXPECT_EQ(store_.ReadInventory()->at("a.example.com").sha256, v1.desired.sha256)
      << "files rolled back to what nginx serves";
  const auto report = hub_.reports().back();
  EXPECT_EQ(report.outcome, DeploymentOutcome::kFailed);
  EXPECT_NE(report.error.find("not served after reload"), std::string::npos) << report.error;
  EXPECT_NE(report.error.find(v1.desired.sha256 + " (a.example.com), the version these files held"),
            std::string::npos)
      << "the report says what was served and why that means a rollback: " << report.error;
}

// Newcomer review N1: the first certificate of a domain whose server block does not exist
// yet used to fail its live check and be rolled back (deleted), so creating the site
// afterwards could never work.
TEST_F(AgentNginxTest, AFirstCertificateWithoutAServerBlockIsKeptAndServedOnceTheBlockExists) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  Want({a});
  FakeClock clock(std::chrono::system_clock::now());
  DeployerOptions o = Options();
  o.verify_timeout = std::chrono::milliseconds(1500);
  Deployer deployer(hub_, store_, clock, o);
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->failed, 0) << hub_.reports().back().error;
  EXPECT_EQ(pass->unserved, 1);
  EXPECT_EQ(store_.ReadInventory()->at("a.example.com").sha256, a.desired.sha256)
      << "the files must stay: rolling back cannot make nginx serve a name it has no block for";
  const auto report = hub_.reports().back();
  EXPECT_EQ(report.outcome, DeploymentOutcome::kPending);
  EXPECT_NE(report.error.find("installed, not served by nginx yet"), std::string::npos)
      << report.error;
  EXPECT_NE(report.error.find("default.test"), std::string::npos)
      << "the report says what nginx served instead: " << report.error;
  EXPECT_NE(report.error.find("ssl_certificate " + store_.LiveDir("a.example.com").string() +
                              "/fullchain.pem;"),
            std::string::npos)
      << "the report names the lines to add: " << report.error;

  // The operator adds the site (the files exist, so nginx -t passes) and reloads nginx.
  AddSite("a.example.com");
  ASSERT_TRUE(nginx_->Reload(http_));
  ASSERT_TRUE(Serves("a.example.com", a.desired.sha256));
  const int reloads = Reloads();
  EXPECT_EQ(deployer.Converge()->deployed, 0) << "the next probe waits for its backoff";
  clock.Advance(std::chrono::seconds(2));
  pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 1) << "once nginx serves it, the agent reports it deployed";
  EXPECT_EQ(Reloads(), reloads) << "probing a kept install never reloads nginx";
  EXPECT_EQ(hub_.reports().back().outcome, DeploymentOutcome::kDeployed);
}

TEST_F(AgentNginxTest, NothingListeningOnTheVerifyAddressKeepsTheFilesAndSaysSo) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  AddSite("a.example.com");
  Want({a});
  DeployerOptions o = Options();
  o.verify_address = "127.0.0.1:" + std::to_string(harness::FreeLoopbackPort());
  o.verify_timeout = std::chrono::milliseconds(200);
  Deployer deployer(hub_, store_, SystemClock::Instance(), o);
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->unserved, 1);
  const auto report = hub_.reports().back();
  EXPECT_NE(report.error.find("nothing answered on " + o.verify_address), std::string::npos)
      << report.error;
  EXPECT_EQ(store_.ReadInventory()->at("a.example.com").sha256, a.desired.sha256);
}

// Newcomer review N9: what the agent says when it cannot use the hub, with the real
// transport's own error texts.
TEST_F(AgentNginxTest, AHubWithAnUntrustedCertificateIsNamedAsATrustProblem) {
  auto transport = net::BeastTransport::Create({});
  ASSERT_TRUE(transport) << transport.error().message;
  std::shared_ptr<net::HttpTransport> shared = std::move(*transport);
  // nginx presents a certificate from the test CA, which the system store does not trust.
  HttpHubClient client("https://127.0.0.1:" + std::to_string(port_), "token", shared, shared);
  auto desired = client.GetDesiredState();
  ASSERT_FALSE(desired);
  EXPECT_EQ(ClassifyHubFailure(desired.error()), HubFailure::kTlsTrust) << desired.error().message;
  EXPECT_NE(DescribeHubFailure(desired.error()).find("set ca_file"), std::string::npos);
}

TEST(AgentHubFailureTest, AnUnresolvableHubIsNamedAsADnsProblem) {
  auto transport = net::BeastTransport::Create({});
  ASSERT_TRUE(transport) << transport.error().message;
  std::shared_ptr<net::HttpTransport> shared = std::move(*transport);
  HttpHubClient client("https://hub.certfleet-test.invalid", "token", shared, shared);
  auto desired = client.GetDesiredState();
  ASSERT_FALSE(desired);
  EXPECT_EQ(ClassifyHubFailure(desired.error()), HubFailure::kDns) << desired.error().message;
  EXPECT_NE(DescribeHubFailure(desired.error()).find("cannot resolve the hub's host name"),
            std::string::npos);
}

}  // namespace
}  // namespace certfleet::agent
