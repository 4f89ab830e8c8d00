// Issue 19 on real processes: an nginx host with three sites nobody set up with certfleet —
// a bought certificate, a certbot-style tree, a variable path — is discovered by
// `certfleet-agent discover`, shown by the hub, and one of them is adopted: the agent
// uploads the certificate it found, the hub makes it a managed domain, the printed nginx
// lines point the site at the agent's files, and from then on nginx serves the hub's copy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "agent/live_verifier.h"
#include "crypto/testing/test_ca.h"
#include "e2e/pipeline_fixture.h"
#include "harness/net.h"

namespace certfleet::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

bool DeployedOnWeb01(const json& view) {
  if (!IsValidWithCertificate(view)) return false;
  const std::string sha = view["current_certificate"].value("sha256", "");
  for (const auto& d : view.value("deployments", json::array())) {
    if (d.value("machine", "") == "web-01" && d.value("status", "") == "deployed" &&
        d.value("sha256", "") == sha) {
      return true;
    }
  }
  return false;
}

class AdoptDiscoveryTest : public PipelineFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PipelineFixture::SetUp());
    bought_ca_.emplace(crypto::testing::TestCa::Create(1, "Bought CA").value());
    le_ca_.emplace(crypto::testing::TestCa::Create(1, "Fake LE").value());
    bought_ = bought_ca_->Issue({.dns_names = {"bought.test", "www.bought.test"}}).value();
    certbot_ = le_ca_->Issue({.dns_names = {"certbot.test"}}).value();
    WriteSites();
    // Only the challenge proxy and the three sites: nothing else for discovery to find.
    ASSERT_TRUE(ReloadNginx()) << "nginx refused the three sites";
    ASSERT_TRUE(ServedBy("bought.test", bought_->leaf.Sha256Fingerprint()))
        << "nginx did not start serving the bought site";
  }

  std::string Path(const std::string& rel) const { return (*dir_ / rel).string(); }

  void WriteSites() {
    dir_->WriteFile("bought/bought.test.crt", bought_->chain_pem);
    dir_->WriteFile("bought/bought.test.key", bought_->key_pem);
    // certbot's layout: live/ links into archive/, and certbot's shared options file.
    dir_->WriteFile("letsencrypt/archive/certbot.test/fullchain1.pem", certbot_->chain_pem);
    dir_->WriteFile("letsencrypt/archive/certbot.test/privkey1.pem", certbot_->key_pem);
    fs::create_directories(*dir_ / "letsencrypt/live/certbot.test");
    for (const char* f : {"fullchain", "privkey"}) {
      fs::create_symlink("../../archive/certbot.test/" + std::string(f) + "1.pem",
                         *dir_ / "letsencrypt/live/certbot.test" / (std::string(f) + ".pem"));
    }
    dir_->WriteFile("letsencrypt/options-ssl-nginx.conf",
                    "ssl_session_cache shared:le_nginx_SSL:1m;\nssl_session_timeout 1440m;\n");
    const std::string listen = "  listen 127.0.0.1:" + std::to_string(tls_port_) + " ssl;\n";
    dir_->WriteFile("sites/bought.conf",
                    "server {\n" + listen + "  server_name bought.test www.bought.test;\n" +
                        "  ssl_certificate " + Path("bought/bought.test.crt") + ";\n" +
                        "  ssl_certificate_key " + Path("bought/bought.test.key") + ";\n" +
                        "  location / { return 200 \"bought\\n\"; }\n}\n");
    dir_->WriteFile("sites/certbot.conf",
                    "server {\n" + listen + "  server_name certbot.test;\n" + "  ssl_certificate " +
                        Path("letsencrypt/live/certbot.test/fullchain.pem") +
                        ";\n  ssl_certificate_key " +
                        Path("letsencrypt/live/certbot.test/privkey.pem") + ";\n  include " +
                        Path("letsencrypt/options-ssl-nginx.conf") + ";\n}\n");
    dir_->WriteFile("sites/vars.conf", "server {\n" + listen + "  server_name *.vars.test;\n" +
                                           "  ssl_certificate " + Path("vars") +
                                           "/$ssl_server_name.crt;\n" + "  ssl_certificate_key " +
                                           Path("vars") + "/$ssl_server_name.key;\n}\n");
  }

  std::string NginxCommand() const {
    return "nginx -p " + nginx_->dir().path().string() + " -c " + nginx_->ConfigPath() + " -e " +
           (nginx_->dir() / "logs" / "error.log").string();
  }

  // The agent config of the fixture plus [discovery] for our private nginx; reload-free
  // for nginx's workers, which run as root here.
  std::string AgentConfig(const std::string& token, bool reload_free = false) {
    std::string path = WriteAgentConfig("agent-web-01", token, Path("agent-out"));
    std::ofstream out(path, std::ios::app);
    if (reload_free) out << "reload_free = true\nkey_group = \"root\"\n";
    out << "\n[discovery]\ndump_command = \"" << NginxCommand() << " -T\"\nnginx_config = \""
        << nginx_->ConfigPath() << "\"\nprobe_timeout = \"2s\"\n";
    return path;
  }

  // nginx's http {} of this test: the challenge proxy, `extra`, the three sites.
  Status ReloadNginx(const std::string& extra = "") {
    return nginx_->Reload(harness::NginxServer::ChallengeProxyServer(http_port_, hub_port_) +
                          extra + "  include " + (*dir_ / "sites").string() + "/*.conf;\n");
  }

  harness::CommandResult Discover(const std::string& config) {
    auto run = harness::RunCommand({CERTFLEET_AGENT_BIN, "-c", config, "discover"}, seconds(60));
    EXPECT_TRUE(run) << run.error().message;
    return run.value_or(harness::CommandResult{});
  }

  bool ServedBy(const std::string& name, const std::string& sha) {
    const std::string address = "127.0.0.1:" + std::to_string(tls_port_);
    return harness::WaitFor(
        [&] {
          auto served = agent::FetchServedSha256(address, name, milliseconds(500));
          return served && *served == sha;
        },
        seconds(30), milliseconds(10));
  }

  // Edits the files as `certfleet inventory adopt` says: each line replaced by its new text.
  void ApplyNginxChanges(const json& changes) {
    for (const auto& server : changes) {
      for (const auto& l : server["lines"]) {
        ASSERT_FALSE(l.value("inherited", true)) << l.dump();
        std::ifstream in(l.value("file", ""));
        std::vector<std::string> lines;
        for (std::string s; std::getline(in, s);) lines.push_back(s);
        const auto n = static_cast<size_t>(l.value("line", 0));
        ASSERT_GE(n, 1u);
        ASSERT_LE(n, lines.size());
        ASSERT_THAT(lines[n - 1],
                    testing::HasSubstr(l.value("directive", "") + " " + l.value("old", "")))
            << "line " << n << " of " << l.value("file", "") << " is not the one the hub named";
        lines[n - 1] = "  " + l.value("directive", "") + " " + l.value("new", "") + ";";
        std::ofstream out(l.value("file", ""), std::ios::trunc);
        for (const auto& s : lines) out << s << "\n";
      }
    }
  }

  std::optional<crypto::testing::TestCa> bought_ca_;
  std::optional<crypto::testing::TestCa> le_ca_;
  std::optional<crypto::testing::IssuedLeaf> bought_;
  std::optional<crypto::testing::IssuedLeaf> certbot_;
};

TEST_F(AdoptDiscoveryTest, DiscoverShowsTheThreeSitesAndAdoptionServesTheHubsCopy) {
  const std::string token = AgentTokenFor("web-01");
  const std::string config = AgentConfig(token);

  // 1. discover: exactly the three TLS sites, each as it is.
  const auto first = Discover(config);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  auto machine = Api("GET", "/api/v1/inventory/machines/web-01");
  ASSERT_EQ(machine.status, 200) << machine.body.dump();
  const json& servers = machine.body["report"]["servers"];
  ASSERT_EQ(servers.size(), 3u) << machine.body.dump(2);
  std::map<std::string, json> by_name;
  for (const auto& s : servers) by_name[s["server_names"][0]] = s;
  ASSERT_EQ(by_name.count("bought.test"), 1u);
  ASSERT_EQ(by_name.count("certbot.test"), 1u);
  ASSERT_EQ(by_name.count("*.vars.test"), 1u);
  EXPECT_EQ(by_name["bought.test"]["pairs"][0]["certificate"]["sha256"],
            bought_->leaf.Sha256Fingerprint());
  EXPECT_EQ(by_name["certbot.test"]["pairs"][0]["certificate"]["sha256"],
            certbot_->leaf.Sha256Fingerprint())
      << "certbot's live/ links are followed";
  EXPECT_EQ(by_name["*.vars.test"]["pairs"][0]["certificate"]["status"], "variable")
      << "a variable path is reported as such, not guessed";
  EXPECT_EQ(machine.body["report"].dump().find("PRIVATE KEY"), std::string::npos);

  // 2. the hub shows them: unmanaged, with expiry.
  auto inventory = Api("GET", "/api/v1/inventory?state=unmanaged");
  ASSERT_EQ(inventory.status, 200) << inventory.body.dump();
  std::set<std::string> names;
  for (const auto& g : inventory.body["items"]) names.insert(g.value("name", ""));
  EXPECT_THAT(names, testing::IsSupersetOf({"bought.test", "www.bought.test", "certbot.test"}));
  const std::string listed = Cli({"inventory", "list"});
  EXPECT_THAT(listed, testing::HasSubstr("bought.test"));
  EXPECT_THAT(listed, testing::HasSubstr("unmanaged"));

  // 3. adopt bought.test (manual): a dry run first, which changes nothing.
  EXPECT_THAT(Cli({"inventory", "adopt", "bought.test"}), testing::HasSubstr("dry run"));
  EXPECT_EQ(Api("GET", "/api/v1/domains/bought.test").status, 404);
  const std::string adopt_json = Cli({"inventory", "adopt", "bought.test", "--apply", "--json"});
  const json plan = json::parse(adopt_json, nullptr, false);
  ASSERT_TRUE(plan.is_object()) << adopt_json;
  EXPECT_EQ(plan["sans"], json::array({"www.bought.test"}));
  ASSERT_TRUE(plan["upload"].is_object()) << "a manual adoption asks the agent for the certificate";

  // 4. the agent uploads the certificate it found; the domain is valid with it.
  const auto second = Discover(config);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_THAT(second.output, testing::HasSubstr("1 sent"));
  json view = ShowDomain("bought.test");
  ASSERT_TRUE(IsValidWithCertificate(view)) << view.dump(2);
  EXPECT_EQ(view["current_certificate"]["sha256"], bought_->leaf.Sha256Fingerprint());

  // 5. the agent deploys the hub's copy; the printed lines point nginx at it.
  auto agent = StartAgent(config);
  ASSERT_TRUE(agent);
  // Reported deployed, not merely written: until its pass ends the agent may still test
  // nginx's configuration (and roll back), which the edit below must not race.
  bool deployed = false;
  view = WaitForDomain("bought.test", DeployedOnWeb01, seconds(60), &deployed);
  ASSERT_TRUE(deployed) << "the agent did not deploy the adopted certificate: " << view.dump(2);
  ASSERT_TRUE(fs::exists(*dir_ / "agent-out/live/bought.test/fullchain.pem"));
  ASSERT_NO_FATAL_FAILURE(ApplyNginxChanges(plan["nginx_changes"]));
  ASSERT_TRUE(ReloadNginx()) << "nginx refused the changed lines";

  // 6. a new certificate uploaded to the hub reaches nginx through the agent alone.
  const auto renewed = bought_ca_->Issue({.dns_names = {"bought.test", "www.bought.test"}}).value();
  dir_->WriteFile("renewed.crt", renewed.chain_pem);
  dir_->WriteFile("renewed.key", renewed.key_pem);
  Cli({"cert", "upload", "bought.test", "--cert", Path("renewed.crt"), "--key",
       Path("renewed.key")});
  EXPECT_TRUE(ServedBy("bought.test", renewed.leaf.Sha256Fingerprint()))
      << "nginx does not serve the hub's copy of bought.test after adoption";
  EXPECT_TRUE(ServedBy("certbot.test", certbot_->leaf.Sha256Fingerprint()))
      << "the other sites are untouched";
  // One handshake with the new certificate does not mean that nginx's old workers stopped
  // accepting: the agent reports deployed only once none does. Rediscovering before that can
  // reach an old worker, see the old certificate and rightly call the name "drifting".
  view = WaitForDomain("bought.test", DeployedOnWeb01, seconds(60), &deployed);
  ASSERT_TRUE(deployed) << "the agent did not report the renewed certificate: " << view.dump(2);
  ASSERT_EQ(view["current_certificate"]["sha256"], renewed.leaf.Sha256Fingerprint());

  // 7. rediscovered: bought.test is managed now, certbot.test still unmanaged.
  ASSERT_EQ(Discover(config).exit_code, 0);
  auto managed = Api("GET", "/api/v1/inventory/names/bought.test");
  ASSERT_EQ(managed.status, 200) << managed.body.dump();
  EXPECT_EQ(managed.body.value("state", ""), "managed") << managed.body.dump(2);
  EXPECT_EQ(Api("GET", "/api/v1/inventory/names/certbot.test").body.value("state", ""),
            "unmanaged");
}

// Handshakes with every name in a loop on its own thread until stopped, and keeps what
// nginx presented: the fingerprints seen and every handshake that failed.
class ServiceProbe {
 public:
  ServiceProbe(std::string address, std::vector<std::string> names)
      : address_(std::move(address)), names_(std::move(names)), thread_([this] { Run(); }) {}
  ~ServiceProbe() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::map<std::string, std::set<std::string>> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  std::vector<std::string> failures() const {
    std::lock_guard lock(mu_);
    return failures_;
  }
  int handshakes() const { return handshakes_; }

 private:
  void Run() {
    while (!stop_) {
      for (const auto& name : names_) {
        auto served = agent::FetchServedSha256(address_, name, seconds(5));
        std::lock_guard lock(mu_);
        ++handshakes_;
        if (served) {
          seen_[name].insert(*served);
        } else {
          failures_.push_back(name + ": " + served.error().message);
        }
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  }

  const std::string address_;
  const std::vector<std::string> names_;
  mutable std::mutex mu_;
  std::map<std::string, std::set<std::string>> seen_;
  std::vector<std::string> failures_;
  std::atomic<int> handshakes_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

bool DeployedFromPebble(const json& view) {
  return DeployedOnWeb01(view) && view["current_certificate"].value("source", "") == "acme";
}

// The agent of web-01 installed the hub's current (Pebble) certificate and reports it
// pending: nginx's block for the name still names the bought files.
bool InstalledFromPebbleAwaitingTheSwitch(const json& view) {
  if (!IsValidWithCertificate(view)) return false;
  if (view["current_certificate"].value("source", "") != "acme") return false;
  const std::string sha = view["current_certificate"].value("sha256", "");
  for (const auto& d : view.value("deployments", json::array())) {
    if (d.value("machine", "") == "web-01" && d.value("status", "") == "pending" &&
        d.value("sha256", "") == sha) {
      return true;
    }
  }
  return false;
}

// Adoption onto an ACME issuer: the hub orders from Pebble (HTTP-01 through the site's own
// nginx), the agent installs the certificate and reports it pending (the block still names
// the bought files: nothing rolled back), the printed lines switch nginx over, the agent
// then reports it deployed — and at no moment does a client get a failed handshake or any
// certificate but the bought one or the hub's.
TEST_F(AdoptDiscoveryTest, AdoptingOntoPebbleSwitchesTheSiteWithoutAGap) {
  const std::string config = AgentConfig(AgentTokenFor("web-01"));
  ASSERT_EQ(Discover(config).exit_code, 0);
  const std::string bought_sha = bought_->leaf.Sha256Fingerprint();
  ServiceProbe probe("127.0.0.1:" + std::to_string(tls_port_), {"bought.test", "www.bought.test"});

  const std::string adopt_json =
      Cli({"inventory", "adopt", "bought.test", "--issuer", "pebble", "--apply", "--json"});
  const json plan = json::parse(adopt_json, nullptr, false);
  ASSERT_TRUE(plan.is_object()) << adopt_json;
  EXPECT_FALSE(plan["upload"].is_object()) << "an ACME adoption asks no agent for a key";
  EXPECT_EQ(plan["sans"], json::array({"www.bought.test"}));
  EXPECT_EQ(ShowDomain("bought.test").value("issuer", ""), "pebble");

  auto agent = StartAgent(config);
  ASSERT_TRUE(agent);
  bool installed = false;
  json view =
      WaitForDomain("bought.test", InstalledFromPebbleAwaitingTheSwitch, seconds(90), &installed);
  ASSERT_TRUE(installed) << "no Pebble certificate installed (pending) on web-01: " << view.dump(2);
  const std::string issued_sha = view["current_certificate"].value("sha256", "");
  EXPECT_NE(issued_sha, bought_sha);
  for (const auto& d : view["deployments"]) {
    EXPECT_THAT(d.value("error", ""), testing::HasSubstr("names other files")) << d.dump();
  }
  EXPECT_TRUE(fs::exists(*dir_ / "agent-out/live/bought.test/fullchain.pem"))
      << "the agent kept the files the printed lines point at";
  EXPECT_TRUE(ServedBy("bought.test", bought_sha))
      << "until the lines change, nginx keeps serving the bought certificate";

  ASSERT_NO_FATAL_FAILURE(ApplyNginxChanges(plan["nginx_changes"]));
  ASSERT_TRUE(ReloadNginx()) << "nginx refused the changed lines";
  EXPECT_TRUE(ServedBy("bought.test", issued_sha)) << "nginx does not serve Pebble's certificate";
  EXPECT_TRUE(ServedBy("www.bought.test", issued_sha));
  bool deployed = false;
  view = WaitForDomain("bought.test", DeployedFromPebble, seconds(90), &deployed);
  EXPECT_TRUE(deployed) << "the agent's probe did not find the switch: " << view.dump(2);
  probe.Stop();

  EXPECT_THAT(probe.failures(), testing::IsEmpty()) << "a client met a failed handshake";
  EXPECT_GE(probe.handshakes(), 20) << "the probe barely ran";
  for (const auto& [name, shas] : probe.seen()) {
    EXPECT_THAT(shas, testing::IsSubsetOf({bought_sha, issued_sha}))
        << name << " was served a certificate that is neither the bought one nor the hub's";
  }
  EXPECT_EQ(probe.seen()["bought.test"].count(issued_sha), 1u) << "the switch was not observed";

  // Rediscovered, the hub's inventory calls the name managed: its domain's certificate is served.
  ASSERT_EQ(Discover(config).exit_code, 0);
  auto name = Api("GET", "/api/v1/inventory/names/bought.test");
  ASSERT_EQ(name.status, 200) << name.body.dump();
  EXPECT_EQ(name.body.value("state", ""), "managed") << name.body.dump(2);
}

// Adoption with --reload-free: the printed lines put certfleet's $certfleet_bundle into the
// site's block, the note names the map to include once; after the switch a renewal reaches
// nginx by the agent's swap alone, without a reload.
TEST_F(AdoptDiscoveryTest, AdoptingWithTheReloadFreeLinesServesRenewalsWithoutAReload) {
  const std::string config = AgentConfig(AgentTokenFor("web-01"), /*reload_free=*/true);
  ASSERT_EQ(Discover(config).exit_code, 0);
  const std::string adopt_json =
      Cli({"inventory", "adopt", "bought.test", "--reload-free", "--apply", "--json"});
  const json plan = json::parse(adopt_json, nullptr, false);
  ASSERT_TRUE(plan.is_object()) << adopt_json;
  EXPECT_EQ(plan["nginx_changes"][0]["lines"][0]["new"], "$certfleet_bundle") << plan.dump(2);
  const std::string map = Path("agent-out/nginx/certfleet-map.conf");
  EXPECT_THAT(plan["notes"].dump(), testing::HasSubstr("include " + map + ";"));
  ASSERT_THAT(Discover(config).output, testing::HasSubstr("1 sent")) << "the upload";

  auto agent = StartAgent(config);
  ASSERT_TRUE(agent);
  bool deployed = false;
  json view = WaitForDomain("bought.test", DeployedOnWeb01, seconds(60), &deployed);
  ASSERT_TRUE(deployed) << "the agent did not deploy the adopted certificate: " << view.dump(2);
  ASSERT_TRUE(fs::exists(map)) << "the reload-free agent writes the map";
  ASSERT_NO_FATAL_FAILURE(ApplyNginxChanges(plan["nginx_changes"]));
  ASSERT_TRUE(ReloadNginx("  include " + map + ";\n")) << "nginx refused the reload-free lines";
  EXPECT_TRUE(ServedBy("bought.test", bought_->leaf.Sha256Fingerprint()))
      << "the same certificate, now from the agent's bundle";

  const auto renewed = bought_ca_->Issue({.dns_names = {"bought.test", "www.bought.test"}}).value();
  dir_->WriteFile("renewed.crt", renewed.chain_pem);
  dir_->WriteFile("renewed.key", renewed.key_pem);
  Cli({"cert", "upload", "bought.test", "--cert", Path("renewed.crt"), "--key",
       Path("renewed.key")});
  EXPECT_TRUE(ServedBy("bought.test", renewed.leaf.Sha256Fingerprint()));
  EXPECT_TRUE(ServedBy("www.bought.test", renewed.leaf.Sha256Fingerprint()));
  const std::string log = harness::ReadFileOrEmpty(Path("agent-web-01.log"));
  EXPECT_THAT(log, testing::HasSubstr("deployed and served (reload-free: swapped, no reload)"))
      << "the renewal needed a reload: " << log;
}

TEST_F(AdoptDiscoveryTest, AFileDeletedUnderARunningNginxIsReportedMissingAndStillServed) {
  const std::string config = AgentConfig(AgentTokenFor("web-01"));
  fs::remove(*dir_ / "bought/bought.test.crt");  // nginx -T now fails: the files are read
  const auto run = Discover(config);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto machine = Api("GET", "/api/v1/inventory/machines/web-01");
  ASSERT_EQ(machine.status, 200);
  const json& report = machine.body["report"];
  EXPECT_EQ(report.value("source", ""), "files");
  EXPECT_THAT(report.value("nginx_error", ""), testing::HasSubstr("bought.test.crt"));
  auto name = Api("GET", "/api/v1/inventory/names/bought.test");
  ASSERT_EQ(name.status, 200) << name.body.dump();
  EXPECT_THAT(name.body["problems"].dump(), testing::HasSubstr("missing"));
  EXPECT_EQ(name.body["sha256s"][0], bought_->leaf.Sha256Fingerprint())
      << "what nginx still serves from memory is reported";
}

}  // namespace
}  // namespace certfleet::e2e
