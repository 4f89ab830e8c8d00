#include "agent/deployer.h"

#include <gtest/gtest.h>

#include "agent/testing/agent_test_util.h"
#include "agent/testing/fake_hub_client.h"
#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

using testing::MakeCertificate;
using testing::TestCertificate;

// Commands that append a line to a log, so tests can count tests and reloads.
class DeployerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store_.Repair()); }

  DeployerOptions Options(const std::string& test_command = "") {
    DeployerOptions o;
    o.test_command =
        test_command.empty() ? "echo test >> " + (dir_ / "commands.log").string() : test_command;
    o.reload_command = "echo reload >> " + (dir_ / "commands.log").string();
    o.verify_address = "";  // the TLS check runs in the nginx integration tests
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
  int Count(const std::string& what) const {
    std::string log = harness::ReadFileOrEmpty(dir_ / "commands.log");
    int n = 0;
    for (size_t at = log.find(what); at != std::string::npos; at = log.find(what, at + 1)) ++n;
    return n;
  }
  std::string LiveSha(const std::string& domain) {
    auto inventory = store_.ReadInventory();
    return inventory && inventory->count(domain) ? inventory->at(domain).sha256 : "";
  }

  crypto::testing::TestCa ca_ = crypto::testing::TestCa::Create().value();
  harness::TempDir dir_{"agent-deployer"};
  CertStore store_{dir_ / "out"};
  FakeHubClient hub_;
  FakeClock clock_{std::chrono::system_clock::now()};
};

TEST_F(DeployerTest, DeploysManyCertificatesWithOneReload) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  auto b = MakeCertificate(ca_, "b.example.com", 2);
  auto c = MakeCertificate(ca_, "c.example.com", 3);
  Want({a, b, c});
  Deployer deployer(hub_, store_, clock_, Options());
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->deployed, 3);
  EXPECT_EQ(Count("reload"), 1) << "three changes must cost one reload";
  EXPECT_EQ(Count("test"), 1);
  ASSERT_EQ(hub_.reports().size(), 3u);
  for (const auto& r : hub_.reports())
    EXPECT_EQ(r.outcome, DeploymentOutcome::kDeployed) << r.domain;
  EXPECT_EQ(LiveSha("b.example.com"), b.desired.sha256);
}

TEST_F(DeployerTest, AConvergedMachineNeedsNoReload) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  Want({a});
  Deployer deployer(hub_, store_, clock_, Options());
  ASSERT_TRUE(deployer.Converge());
  auto again = deployer.Converge();
  ASSERT_TRUE(again);
  EXPECT_EQ(Count("reload"), 1) << "the second pass found nothing to do";
  EXPECT_EQ(hub_.reports().size(), 1u);
}

TEST_F(DeployerTest, AWrongKeyIsRefusedBeforeAnyTestOrReload) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  auto other = MakeCertificate(ca_, "a.example.com", 2);
  a.bundle.key_pem = other.bundle.key_pem;
  Want({a});
  Deployer deployer(hub_, store_, clock_, Options());
  ASSERT_TRUE(deployer.Converge());
  EXPECT_EQ(Count("test") + Count("reload"), 0)
      << "nothing may be tested or reloaded for a bad bundle";
  EXPECT_EQ(LiveSha("a.example.com"), "") << "nothing may be written";
  ASSERT_EQ(hub_.reports().size(), 1u);
  EXPECT_EQ(hub_.reports()[0].outcome, DeploymentOutcome::kFailed);
  EXPECT_NE(hub_.reports()[0].error.find("private key does not match"), std::string::npos)
      << hub_.reports()[0].error;
}

TEST_F(DeployerTest, AFailingTestCommandRollsBackAndReports) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  Want({v1});
  ASSERT_TRUE(Deployer(hub_, store_, clock_, Options()).Converge());
  Want({v2});
  Deployer failing(hub_, store_, clock_, Options("echo 'emerg: bad config' >&2; false"));
  auto pass = failing.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(pass->reloads, 0);
  EXPECT_EQ(LiveSha("a.example.com"), v1.desired.sha256)
      << "the old certificate must be back on disk";
  auto report = hub_.reports().back();
  EXPECT_EQ(report.outcome, DeploymentOutcome::kFailed);
  EXPECT_NE(report.error.find("test command failed"), std::string::npos) << report.error;
  EXPECT_NE(report.error.find("emerg: bad config"), std::string::npos)
      << "the command's output belongs in the report";
  auto retry = failing.Converge();
  EXPECT_EQ(retry->failed, 0) << "a failed certificate is not retried on every event";
  failing.ForgetFailures();
  EXPECT_EQ(failing.Converge()->failed, 1) << "after a resync it is tried again";
}

TEST_F(DeployerTest, AFailedDeploymentIsRetriedWithBackoff) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  Want({v1});
  const std::string broken = (dir_ / "broken").string();
  dir_.WriteFile("broken", "");
  // `nginx -t` fails while the file "broken" exists (the operator fixes it later).
  Deployer deployer(hub_, store_, clock_, Options("test ! -e " + broken));
  ASSERT_EQ(deployer.Converge()->failed, 1);
  EXPECT_EQ(deployer.UntilNextAttempt(), std::chrono::seconds(5)) << "first retry after 5 s";
  clock_.Advance(std::chrono::seconds(4));
  EXPECT_EQ(deployer.Converge()->failed, 0) << "not before it is due";
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_EQ(deployer.Converge()->failed, 1) << "due: tried again (still broken)";
  EXPECT_EQ(deployer.UntilNextAttempt(), std::chrono::seconds(10)) << "then after 10 s";
  std::filesystem::remove(broken);
  clock_.Advance(std::chrono::seconds(10));
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 1) << "once nginx is fixed the retry deploys it";
  EXPECT_FALSE(deployer.UntilNextAttempt()) << "nothing left to retry";
  EXPECT_EQ(LiveSha("a.example.com"), v1.desired.sha256);
}

TEST_F(DeployerTest, ARedeployRequestTriesAFailedCertificateAtOnce) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  Want({v1});
  const std::string broken = (dir_ / "broken").string();
  dir_.WriteFile("broken", "");
  Deployer deployer(hub_, store_, clock_, Options("test ! -e " + broken));
  ASSERT_EQ(deployer.Converge()->failed, 1);
  std::filesystem::remove(broken);
  EXPECT_EQ(deployer.Converge()->deployed, 0) << "the retry is not due yet";
  deployer.Redeploy("A.Example.com");
  EXPECT_EQ(deployer.Converge()->deployed, 1) << "support's redeploy must not wait for the backoff";
}

TEST_F(DeployerTest, ARedeployRequestReportsADeployedCertificateAgain) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  Want({v1});
  Deployer deployer(hub_, store_, clock_, Options());
  ASSERT_EQ(deployer.Converge()->deployed, 1);
  ASSERT_EQ(deployer.Converge()->deployed, 0) << "converged";
  deployer.Redeploy("");
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 1) << "a redeploy verifies and reports the current certificate";
  EXPECT_EQ(hub_.reports().size(), 2u);
  EXPECT_EQ(LiveSha("a.example.com"), v1.desired.sha256) << "the same certificate, no new order";
}

TEST_F(DeployerTest, ReloadBySignalWithAStalePidFileRollsBackAndSaysWhy) {
  auto v1 = MakeCertificate(ca_, "a.example.com", 1);
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  Want({v1});
  ASSERT_TRUE(Deployer(hub_, store_, clock_, Options()).Converge());
  Want({v2});
  DeployerOptions o = Options();
  o.reload_signal_pid_file = dir_.WriteFile("nginx.pid", "not-a-pid\n");
  auto pass = Deployer(hub_, store_, clock_, o).Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(Count("reload"), 1)
      << "with a pid file the reload command must not run (only the first pass's did)";
  EXPECT_EQ(LiveSha("a.example.com"), v1.desired.sha256)
      << "a failed reload must roll the files back";
  auto report = hub_.reports().back();
  EXPECT_EQ(report.outcome, DeploymentOutcome::kFailed);
  EXPECT_NE(report.error.find("reload by SIGHUP"), std::string::npos) << report.error;
  EXPECT_NE(report.error.find("nginx.pid"), std::string::npos)
      << "the report must name the pid file: " << report.error;
}

TEST_F(DeployerTest, AnInvalidNameIsRefusedReportedAndNeverWritten) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  a.desired.domain = "../../etc/cron.d";
  Want({a});
  Deployer deployer(hub_, store_, clock_, Options());
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1);
  ASSERT_EQ(hub_.reports().size(), 1u);
  EXPECT_NE(hub_.reports()[0].error.find("refused domain name"), std::string::npos)
      << hub_.reports()[0].error;
  EXPECT_TRUE(store_.ReadInventory()->empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "etc"));
}

TEST_F(DeployerTest, AnUnreachableHubLeavesTheDiskAlone) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  Want({a});
  Deployer deployer(hub_, store_, clock_, Options());
  ASSERT_TRUE(deployer.Converge());
  hub_.SetAvailable(false);
  auto pass = deployer.Converge();
  ASSERT_FALSE(pass) << "the loop must learn that the hub is down";
  EXPECT_EQ(pass.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(LiveSha("a.example.com"), a.desired.sha256);
}

TEST_F(DeployerTest, RemovesADroppedDomainOnlyWithTheRemovePolicy) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  Want({a});
  DeployerOptions keep = Options();
  ASSERT_TRUE(Deployer(hub_, store_, clock_, keep).Converge());
  hub_.SetDesiredState({"web-1", 0, {}});
  ASSERT_TRUE(Deployer(hub_, store_, clock_, keep).Converge());
  EXPECT_EQ(LiveSha("a.example.com"), a.desired.sha256) << "keep is the default";
  DeployerOptions remove = Options();
  remove.remove_policy = RemovePolicy::kRemove;
  EXPECT_EQ(Deployer(hub_, store_, clock_, remove).Converge()->removed, 1);
  EXPECT_TRUE(store_.ReadInventory()->empty());
}

// reload_free without verify_address (bench/agent_fanout RELOAD=free): nothing to ask, so the
// swap is the deployment: no test, no reload, reported deployed and counted reload-free.
TEST_F(DeployerTest, ReloadFreeWithoutATlsCheckTrustsTheSwap) {
  const auto out = dir_ / "out-reload-free";
  CertStore store(out, CertStoreOptions{.bundle_group = ::getgid()});
  ASSERT_TRUE(store.Repair());
  ReloadFreeFiles files(out, ::getgid());
  ASSERT_TRUE(files.Prepare());
  DeployerOptions o = Options();
  o.reload_free = true;
  Deployer deployer(hub_, store, clock_, o, &files);
  Want({MakeCertificate(ca_, "a.example.com", 1)});
  ASSERT_TRUE(deployer.Converge());
  const int commands = Count("test") + Count("reload");
  auto v2 = MakeCertificate(ca_, "a.example.com", 2);
  Want({v2});
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->deployed, 1);
  EXPECT_EQ(pass->deployed_reload_free, 1);
  EXPECT_EQ(Count("test") + Count("reload"), commands) << "a renewal runs no command";
  EXPECT_EQ(hub_.reports().back().outcome, DeploymentOutcome::kDeployed);
  auto inventory = store.ReadInventory();
  ASSERT_TRUE(inventory && inventory->count("a.example.com"));
  EXPECT_EQ(inventory->at("a.example.com").sha256, v2.desired.sha256);
}

TEST_F(DeployerTest, OutsideTheReloadWindowChangesWait) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  Want({a});
  DeployerOptions o = Options();
  o.reload_window = ReloadWindow{0, 0};  // empty window: never
  auto pass = Deployer(hub_, store_, clock_, o).Converge();
  ASSERT_TRUE(pass);
  EXPECT_TRUE(pass->deferred);
  EXPECT_EQ(Count("reload"), 0);
}

}  // namespace
}  // namespace certfleet::agent
