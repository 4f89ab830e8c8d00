// The agent in reload-free mode against a REAL nginx whose workers are not root (user
// nobody, group nogroup, as www-data would be on a host), configured with the snippet from
// docs/nginx.md §4 itself: certificates are read at handshake time, a renewal is one
// rename, and nginx's processes never change. FakeHubClient stands in for the hub.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>

#include "agent/cert_store.h"
#include "agent/config.h"
#include "agent/deployer.h"
#include "agent/fallback_certificate.h"
#include "agent/live_verifier.h"
#include "agent/reload_free_files.h"
#include "agent/testing/agent_test_util.h"
#include "agent/testing/fake_hub_client.h"
#include "harness/net.h"
#include "harness/nginx_server.h"
#include "harness/raw_client_hello.h"
#include "harness/temp_dir.h"
#include "integration/nginx_docs_snippet.h"

namespace certfleet::agent {
namespace {

namespace fs = std::filesystem;
using testing::MakeCertificate;
using testing::TestCertificate;

// Master and workers of an nginx, by PID (/proc/<master>/task/<master>/children).
std::set<std::string> ProcessIds(pid_t master) {
  std::ifstream in("/proc/" + std::to_string(master) + "/task/" + std::to_string(master) +
                   "/children");
  std::set<std::string> ids{std::to_string(master)};
  for (std::string id; in >> id;) ids.insert(id);
  return ids;
}

class AgentReloadFreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto gid = ResolveGroup("nogroup");
    ASSERT_TRUE(gid) << gid.error().message;
    gid_ = *gid;
    // nginx's worker (nobody) must be able to walk to <out>/: the test's folder is 0711.
    fs::permissions(dir_.path(),
                    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    ASSERT_TRUE(store_.Repair());
    ASSERT_TRUE(files_.Prepare());
    port_ = harness::FreeLoopbackPort();
    http_ = certfleet::testing::ReloadFreeDocsSnippet(out_, port_) + "  include " +
            (dir_ / "sites").string() + "/*.conf;\n";
    fs::create_directories(dir_ / "sites");
    auto nginx =
        harness::NginxServer::Start(http_, {port_}, std::chrono::seconds(10), "nobody nogroup");
    ASSERT_TRUE(nginx) << nginx.error().message;
    nginx_ = std::move(*nginx);
  }

  std::string Nginx(const std::string& args) const {
    return "nginx -p " + nginx_->dir().path().string() + " -c " + nginx_->ConfigPath() + " -e " +
           (nginx_->dir() / "logs" / "error.log").string() + " " + args;
  }
  DeployerOptions Options() const {
    DeployerOptions o;
    o.test_command = "echo test >> " + (dir_ / "commands.log").string() + " && " + Nginx("-t -q");
    o.reload_command =
        "echo reload >> " + (dir_ / "commands.log").string() + " && " + Nginx("-s reload");
    o.verify_address = Address();
    o.verify_timeout = std::chrono::seconds(3);
    o.reload_free = true;
    return o;
  }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }
  void Want(const std::vector<TestCertificate>& certs) {
    DesiredState state{"web-1", 0, {}};
    for (const auto& c : certs) {
      state.certificates.push_back(c.desired);
      hub_.AddBundle(c.bundle);
    }
    hub_.SetDesiredState(state);
  }
  int Count(const std::string& what) const {
    const std::string log = harness::ReadFileOrEmpty(dir_ / "commands.log");
    int n = 0;
    for (size_t at = log.find(what); at != std::string::npos; at = log.find(what, at + 1)) ++n;
    return n;
  }
  // What nginx presents for `sni` right now (one handshake): its SHA-256, or "".
  std::string Served(const std::string& sni) const {
    auto leaf = FetchServedCertificate(Address(), sni, std::chrono::seconds(2));
    return leaf ? leaf->Sha256Fingerprint() : "";
  }

  crypto::testing::TestCa ca_ = crypto::testing::TestCa::Create().value();
  harness::TempDir dir_{"agent-reload-free"};
  fs::path out_ = dir_ / "out";
  gid_t gid_ = 0;
  CertStore store_{out_, CertStoreOptions{.bundle_group = ResolveGroup("nogroup").value_or(0)}};
  ReloadFreeFiles files_{out_, ResolveGroup("nogroup").value_or(0)};
  FakeHubClient hub_;
  std::uint16_t port_ = 0;
  std::string http_;
  std::unique_ptr<harness::NginxServer> nginx_;
};

TEST_F(AgentReloadFreeTest, ANewNameAndItsRenewalAreServedWithoutAnyReload) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  Want({v1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options(), &files_);
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->deployed_reload_free, 1) << "a new name needs no reload either";
  EXPECT_EQ(Served("shop.example.com"), v1.desired.sha256);
  const std::set<std::string> before = ProcessIds(nginx_->pid());
  ASSERT_GE(before.size(), 2u) << "master and one worker";

  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  Want({v2});
  pass = deployer.Converge();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->deployed, 1) << (hub_.reports().empty() ? "" : hub_.reports().back().error);
  EXPECT_EQ(pass->deployed_reload_free, 1);
  EXPECT_EQ(pass->reloads, 0);
  EXPECT_EQ(Served("shop.example.com"), v2.desired.sha256) << "the very next handshake";
  EXPECT_EQ(Count("test") + Count("reload"), 0) << "no nginx -t and no reload at all";
  EXPECT_EQ(ProcessIds(nginx_->pid()), before)
      << "nginx's master and worker PIDs must be unchanged (no reload happened)";
  EXPECT_EQ(hub_.reports().back().outcome, DeploymentOutcome::kDeployed);
}

TEST_F(AgentReloadFreeTest, TheKeyIsReadableByNginxsGroupOnly) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  Want({v1});
  ASSERT_EQ(Deployer(hub_, store_, SystemClock::Instance(), Options(), &files_)
                .Converge()
                ->deployed_reload_free,
            1);
  struct stat st {};
  ASSERT_EQ(::stat((store_.LiveDir("shop.example.com") / "bundle.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_gid, gid_);
  ASSERT_EQ(::stat(store_.LiveDir("shop.example.com").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  EXPECT_EQ(st.st_gid, gid_);
  ASSERT_EQ(::stat((store_.LiveDir("shop.example.com") / "privkey.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u) << "certbot's privkey.pem stays root's";
  ASSERT_EQ(::stat((out_ / "archive").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u) << "the archive (previous versions) stays private";
}

TEST_F(AgentReloadFreeTest, AMismatchedKeyIsNeverServed) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  Want({v1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options(), &files_);
  ASSERT_EQ(deployer.Converge()->deployed, 1);
  const std::string bundle_before =
      harness::ReadFileOrEmpty(store_.LiveDir("shop.example.com") / "bundle.pem");
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  v2.bundle.key_pem = MakeCertificate(ca_, "shop.example.com", 3).bundle.key_pem;
  Want({v2});
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1);
  EXPECT_NE(hub_.reports().back().error.find("private key does not match"), std::string::npos)
      << hub_.reports().back().error;
  EXPECT_EQ(harness::ReadFileOrEmpty(store_.LiveDir("shop.example.com") / "bundle.pem"),
            bundle_before)
      << "the checks refuse it before the swap: nginx's file is untouched";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Served("shop.example.com"), v1.desired.sha256);
}

// nginx does not sanitise $ssl_server_name: these names must never reach a file outside
// the agent's folder (TESTBED.md: "../../etc" made nginx try live/../../etc/…).
TEST_F(AgentReloadFreeTest, HostileServerNamesNeverOpenAFileOutsideTheFolder) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  Want({v1});
  ASSERT_EQ(
      Deployer(hub_, store_, SystemClock::Instance(), Options(), &files_).Converge()->deployed, 1);
  auto fallback =
      crypto::Certificate::FromPem(harness::ReadFileOrEmpty(files_.FallbackFile()).substr(0, 2000));
  for (const std::string sni : {"../x", "a/b", "../../etc/passwd", "unknown.example.com",
                                "SHOP.EXAMPLE.COM/../../x", ".."}) {
    auto leaf = FetchServedCertificate(Address(), sni, std::chrono::seconds(2));
    if (leaf) {
      EXPECT_EQ(leaf->SubjectCommonName(), kFallbackName)
          << "SNI \"" << sni << "\" must get the fallback certificate (or no handshake)";
    }
  }
  // 300 characters: more than a host name may have; sent as raw bytes (OpenSSL's client
  // refuses to). nginx's OpenSSL rejects it in the handshake.
  const std::string long_name = std::string(150, 'a') + "." + std::string(149, 'b');
  auto answer = harness::SendClientHello(port_, long_name);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_FALSE(answer->server_hello) << "a 300-character SNI must not get a ServerHello";
  EXPECT_EQ(Served("shop.example.com"), v1.desired.sha256) << "the real site still works";
  const std::string log = nginx_->ErrorLog();
  if (std::getenv("CERTFLEET_SHOW_NGINX_LOG") != nullptr) std::cout << log;
  for (const std::string& bad :
       std::vector<std::string>{"../", "a/b", "passwd", std::string(50, 'a')}) {
    EXPECT_EQ(log.find(bad), std::string::npos)
        << "nginx's error log mentions \"" << bad << "\" (a path built from the SNI?):\n"
        << log;
  }
  static const std::regex kLoad("cannot load certificate(?: key)? \"([^\"]*)\"");
  for (std::sregex_iterator it(log.begin(), log.end(), kLoad), end; it != end; ++it) {
    EXPECT_EQ((*it)[1].str().rfind(out_.string() + "/", 0), 0u)
        << "nginx tried a file outside " << out_ << ": " << (*it)[1];
  }
}

TEST_F(AgentReloadFreeTest, ANewWildcardTakesOneReloadThenRenewsWithoutOne) {
  auto w1 = MakeCertificate(ca_, "*.example.org", 1);
  Want({w1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options(), &files_);
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 1) << (hub_.reports().empty() ? "" : hub_.reports().back().error);
  EXPECT_EQ(pass->deployed_reload_free, 0)
      << "nginx learns a new wildcard from the map at a reload";
  EXPECT_EQ(Count("reload"), 1);
  EXPECT_EQ(Served("any.example.org"), w1.desired.sha256);
  auto w2 = MakeCertificate(ca_, "*.example.org", 2);
  Want({w2});
  pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed_reload_free, 1) << "its renewal is a swap";
  EXPECT_EQ(Count("reload"), 1);
  EXPECT_EQ(Served("other.example.org"), w2.desired.sha256);
}

TEST_F(AgentReloadFreeTest, AServerBlockWithFixedPathsGetsTheReloadPath) {
  auto v1 = MakeCertificate(ca_, "fixed.example.com", 1);
  Want({v1});
  Deployer deployer(hub_, store_, SystemClock::Instance(), Options(), &files_);
  ASSERT_EQ(deployer.Converge()->deployed, 1);
  // The operator's old site: certbot-style fixed paths, loaded at start and reload only.
  const fs::path live = store_.LiveDir("fixed.example.com");
  dir_.WriteFile(
      "sites/fixed.conf",
      harness::NginxServer::TlsServer(port_, "fixed.example.com", (live / "fullchain.pem").string(),
                                      (live / "privkey.pem").string()));
  const std::set<std::string> old_workers = ProcessIds(nginx_->pid());
  ASSERT_TRUE(nginx_->Reload(http_));
  // Until the old worker (which still has the catch-all only) is gone, a handshake may
  // reach either generation.
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        const auto now = ProcessIds(nginx_->pid());
        return now.size() >= 2 && std::none_of(now.begin(), now.end(), [&](const auto& id) {
                 return id != std::to_string(nginx_->pid()) && old_workers.count(id) > 0;
               });
      },
      std::chrono::seconds(10)))
      << "nginx's old worker must exit after the reload";
  ASSERT_TRUE(
      WaitUntilServed(Address(), "fixed.example.com", v1.desired.sha256, std::chrono::seconds(3)));
  const int reloads = Count("reload");
  auto v2 = MakeCertificate(ca_, "fixed.example.com", 2);
  Want({v2});
  auto pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 1) << hub_.reports().back().error;
  EXPECT_EQ(pass->deployed_reload_free, 0) << "the swap alone does not reach a fixed-path block";
  EXPECT_EQ(Count("reload"), reloads + 1);
  EXPECT_TRUE(
      WaitUntilServed(Address(), "fixed.example.com", v2.desired.sha256, std::chrono::seconds(3)));
  auto v3 = MakeCertificate(ca_, "fixed.example.com", 3);
  Want({v3});
  pass = deployer.Converge();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deployed, 1);
  EXPECT_EQ(Count("reload"), reloads + 2) << "remembered: straight to the reload";
}

}  // namespace
}  // namespace certfleet::agent
