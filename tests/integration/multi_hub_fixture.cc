#include "multi_hub_fixture.h"

#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "harness/net.h"

namespace certfleet::multihub {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::vector<std::string> DomainNames(int first, int count) {
  std::vector<std::string> names;
  for (int k = first; k < first + count; ++k)
    names.push_back("d" + std::to_string(k) + ".multi.test");
  return names;
}

namespace {

std::size_t Slot(int i) { return static_cast<std::size_t>(i); }

// nginx in front of every hub: the CA's HTTP-01 requests and API calls go round-robin,
// skipping a hub that refuses the connection (max_fails=0: never mark a hub down for long).
// A request already sent to a hub that dies is not retried elsewhere for POST (nginx's
// non_idempotent rule): the client sees 502 and decides, as a real client must.
std::string BalancerConfig(std::uint16_t listen, const std::vector<std::uint16_t>& hubs) {
  std::ostringstream block;
  block << "upstream hubs {\n";
  for (std::uint16_t port : hubs) block << "  server 127.0.0.1:" << port << " max_fails=0;\n";
  block << "}\nserver {\n  listen 127.0.0.1:" << listen << ";\n"
        << "  location /.well-known/acme-challenge/ {\n"
        << "    proxy_pass http://hubs;\n    proxy_set_header Host $host;\n"
        << "    proxy_connect_timeout 1s;\n"
        << "    proxy_next_upstream error timeout http_502 http_503;\n  }\n"
        << "  location / {\n    proxy_pass http://hubs;\n    proxy_connect_timeout 1s;\n"
        << "    proxy_next_upstream error timeout http_502 http_503;\n  }\n}\n";
  return block.str();
}

void CopyFile(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  ::chmod(to.c_str(), 0600);
}

}  // namespace

void MultiHubTest::SetUp() {
  auto pg = harness::PostgresServer::Start();
  ASSERT_TRUE(pg) << pg.error().message;
  pg_ = std::move(*pg);
  ASSERT_TRUE(pg_->CreateDatabase("certfleet"));
  std::ofstream(dir_ / "db.password") << pg_->password() << "\n";
  ::chmod((dir_ / "db.password").c_str(), 0600);
  for (int i = 0; i < kHubs; ++i) ports_.push_back(harness::FreeLoopbackPort());
  hubs_.resize(Slot(kHubs));
  balancer_port_ = harness::FreeLoopbackPort();
  auto nginx =
      harness::NginxServer::Start(BalancerConfig(balancer_port_, ports_), {balancer_port_});
  ASSERT_TRUE(nginx) << nginx.error().message;
  nginx_ = std::move(*nginx);
  auto pebble = harness::PebbleServer::Start({.http_port = balancer_port_});
  ASSERT_TRUE(pebble) << pebble.error().message;
  pebble_ = std::move(*pebble);
}

void MultiHubTest::TearDown() {
  for (auto& agent : agents_) agent->Stop();
  if (!HasFailure()) return;
  for (int i = 0; i < kHubs; ++i) {
    std::ifstream log(dir_ / ("hub" + std::to_string(i) + ".log"));
    if (!log) continue;
    std::cout << "--- hub" << i << ".log ---\n"
              << std::string(std::istreambuf_iterator<char>(log), {});
  }
  for (auto& agent : agents_) std::cout << "--- " << agent->log_file() << " ---\n" << agent->Log();
}

fs::path MultiHubTest::WriteConfig(int i) {
  const fs::path data = dir_ / ("hub" + std::to_string(i));
  fs::path file = dir_ / ("hub" + std::to_string(i) + ".toml");
  std::ofstream config(file);
  config << "data_dir = \"" << data.string() << "\"\n"
         << "listen = \"127.0.0.1:" << ports_[Slot(i)] << "\"\n\n";
  if (!sqlite_store_) {
    config << "[store]\nbackend = \"postgres\"\n"
           << "url = \"" << pg_->Url("certfleet") << "\"\n"
           << "password_file = \"" << (dir_ / "db.password").string() << "\"\n"
           << "connections = 4\n\n";
  }
  config << "[issuance]\n"
         << issuance_config_ << "\n"
         << "[[issuer]]\nname = \"pebble\"\n"
         << "directory = \"" << pebble_->DirectoryUrl() << "\"\n"
         << "ca_file = \"" << pebble_->CaFile() << "\"\n\n"
         << extra_config_;
  return file;
}

void MultiHubTest::StartHub(int i) {
  const fs::path data = dir_ / ("hub" + std::to_string(i));
  if (i != 0 && !fs::exists(data / "master.key")) {
    // Every hub holds the same master key; the database refuses another one.
    CopyFile(dir_ / "hub0" / "master.key", data / "master.key");
    CopyFile(dir_ / "hub0" / "admin.token", data / "admin.token");
  }
  auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                       .config_file = WriteConfig(i),
                                       .data_dir = data,
                                       .base_url = BaseUrl(i),
                                       .log_file = dir_ / ("hub" + std::to_string(i) + ".log")});
  ASSERT_TRUE(hub) << hub.error().message;
  hubs_[Slot(i)] = std::make_unique<harness::HubProcess>(std::move(*hub));
  if (admin_token_.empty()) admin_token_ = hubs_[Slot(i)]->admin_token;
}

void MultiHubTest::KillHub(int i) {
  ASSERT_TRUE(hubs_[Slot(i)]) << "hub " << i << " is not running";
  hubs_[Slot(i)]->process->Signal(SIGKILL);
  hubs_[Slot(i)]->process->Wait(5s);
  hubs_[Slot(i)].reset();
}

void MultiHubTest::StopHub(int i) {
  ASSERT_TRUE(hubs_[Slot(i)]) << "hub " << i << " is not running";
  hubs_[Slot(i)]->process->Stop(10s);
  hubs_[Slot(i)].reset();
}

bool MultiHubTest::HubRunning(int i) const { return hubs_[Slot(i)] != nullptr; }

std::string MultiHubTest::BaseUrl(int i) const {
  return "http://127.0.0.1:" + std::to_string(ports_[Slot(i)]);
}

std::string MultiHubTest::BalancedUrl() const {
  return "http://127.0.0.1:" + std::to_string(balancer_port_);
}

std::string MultiHubTest::AddMachine(const std::string& machine) {
  int hub = 0;
  while (hub < kHubs && !HubRunning(hub)) ++hub;
  if (hub == kHubs) {
    ADD_FAILURE() << "no hub is running to add machine " << machine;
    return "";
  }
  if (Api(hub, "GET", "/api/v1/customers/acme").status == 404) {
    auto created = Api(hub, "POST", "/api/v1/customers", R"({"name":"acme"})");
    EXPECT_EQ(created.status, 201) << created.body << created.error;
  }
  auto added =
      Api(hub, "POST", "/api/v1/machines", R"({"name":")" + machine + R"(","customer":"acme"})");
  EXPECT_EQ(added.status, 201) << added.body << added.error;
  auto token =
      Api(hub, "POST", "/api/v1/tokens",
          R"({"role":"agent","name":")" + machine + R"(-agent","machine":")" + machine + R"("})");
  EXPECT_EQ(token.status, 201) << token.body << token.error;
  auto view = nlohmann::json::parse(token.body, nullptr, false);
  return view.is_object() ? view.value("secret", "") : "";
}

fs::path MultiHubTest::StartAgent(const std::string& machine, const std::string& token, int hub) {
  fs::path out = dir_ / ("agent-" + machine);
  fs::create_directories(out);
  const fs::path config = dir_ / ("agent-" + machine + ".toml");
  // watch_wait 5s: a long-poll on a hub that is SIGKILLed fails at once anyway; a short
  // wait only bounds how stale a poll parked on a wedged connection can get.
  std::ofstream(config) << "hub_url = \"" << BaseUrl(hub) << "\"\n"
                        << "token = \"" << token << "\"\n"
                        << "output_dir = \"" << out.string() << "\"\n"
                        << "test_command = \"true\"\nreload_command = \"true\"\n"
                        << "verify_address = \"\"\nwatch_wait = \"5s\"\n"
                        << "resync_interval = \"10m\"\n";
  auto agent =
      harness::Subprocess::Start({.argv = {CERTFLEET_AGENT_BIN, "--config", config.string()},
                                  .log_file = dir_ / ("agent-" + machine + ".log")});
  EXPECT_TRUE(agent) << agent.error().message;
  if (agent) agents_.push_back(std::move(*agent));
  return out;
}

harness::HttpResult MultiHubTest::Api(int i, const std::string& method, const std::string& path,
                                      const std::string& body) {
  return harness::HttpFetch(BaseUrl(i) + path, {.method = method,
                                                .body = body,
                                                .headers = {"Authorization: Bearer " + admin_token_,
                                                            "Content-Type: application/json"}});
}

void MultiHubTest::SaveDomain(int i, const std::string& name, const std::string& machine) {
  const std::string placed =
      machine.empty() ? "" : R"(,"customer":"acme","machines":[")" + machine + R"("])";
  auto r = Api(i, "POST", "/api/v1/domains",
               R"({"name":")" + name + R"(","issuer":"pebble")" + placed + "}");
  EXPECT_EQ(r.status, 201) << "saving " << name << " on hub " << i << ": " << r.body << r.error;
}

bool MultiHubTest::AllValid(int i, const std::vector<std::string>& names,
                            std::map<std::string, std::string>& last) {
  harness::HttpClient client;
  bool done = true;
  for (const std::string& name : names) {
    if (last[name] == "valid") continue;
    auto r = client.Fetch(BaseUrl(i) + "/api/v1/domains/" + name,
                          {.headers = {"Authorization: Bearer " + admin_token_}});
    auto view = nlohmann::json::parse(r.body, nullptr, false);
    last[name] = r.status == 200 && view.is_object()
                     ? view.value("status", "") + " " + view.value("last_error", "")
                     : "HTTP " + std::to_string(r.status) + " " + r.error;
    if (last[name].rfind("valid ", 0) == 0) last[name] = "valid";
    done = done && last[name] == "valid";
  }
  return done;
}

bool MultiHubTest::WaitAllValid(int i, const std::vector<std::string>& names,
                                std::chrono::seconds timeout) {
  std::map<std::string, std::string> last;  // name → last status seen
  const bool all = harness::WaitFor([&] { return AllValid(i, names, last); }, timeout, 250ms);
  if (!all) {
    for (const auto& [name, status] : last) {
      if (status != "valid") ADD_FAILURE() << name << " is not valid: " << status;
    }
  }
  return all;
}

std::map<std::string, int> MultiHubTest::CountPerDomain(const std::string& table,
                                                        const std::string& condition) {
  auto out = pg_->Psql("SELECT d.name || ' ' || count(t.id) FROM domains d LEFT JOIN " + table +
                           " t ON t.domain_id = d.id AND (" + condition + ") GROUP BY d.name",
                       "certfleet");
  EXPECT_TRUE(out) << out.error().message;
  std::map<std::string, int> counts;
  std::istringstream lines(out ? *out : "");
  std::string name;
  int count = 0;
  while (lines >> name >> count) counts[name] = count;
  return counts;
}

void MultiHubTest::ExpectIssuedExactlyOnce(const std::vector<std::string>& names) {
  auto completed = CountPerDomain("orders", "t.state = 'completed'");
  auto certificates = CountPerDomain("certificates");
  for (const std::string& name : names) {
    EXPECT_EQ(completed[name], 1) << name << ": completed ACME orders in the shared database";
    EXPECT_EQ(certificates[name], 1) << name << ": certificates in the shared database";
  }
}

void MultiHubTest::ExpectOneOrderEach(const std::vector<std::string>& names) {
  auto orders = CountPerDomain("orders");
  for (const std::string& name : names) {
    EXPECT_EQ(orders[name], 1) << name << ": ACME orders in the shared database (a second one "
                               << "means the saved order was abandoned, not resumed)";
  }
}

}  // namespace certfleet::multihub
