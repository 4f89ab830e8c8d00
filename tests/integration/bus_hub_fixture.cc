#include "bus_hub_fixture.h"

#include <csignal>
#include <iostream>
#include <sstream>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/net.h"

namespace certfleet::bus {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

harness::RabbitMqServer* SharedBroker() {
  static std::unique_ptr<harness::RabbitMqServer> broker = [] {
    auto started = harness::RabbitMqServer::Start();
    if (!started) ADD_FAILURE() << started.error().message;
    return started ? std::move(*started) : nullptr;
  }();
  return broker.get();
}

std::string WithoutSpace(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ') out += c;
  }
  return out;
}

}  // namespace

std::string EventIdOf(const rabbitmq::Delivery& delivery) {
  auto body = nlohmann::json::parse(delivery.body, nullptr, false);
  return body.is_object() ? body.value("id", "") : "";
}

void BusHubFixture::SetUp() {
  broker_ = SharedBroker();
  ASSERT_NE(broker_, nullptr) << "RabbitMQ did not start";
  if (!broker_->running()) {
    ASSERT_TRUE(broker_->StartBroker());
  }
  dir_ = std::make_unique<harness::TempDir>("bus-hub");
  hub_port_ = harness::FreeLoopbackPort();
  exchange_ =
      std::string("test.") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

void BusHubFixture::TearDown() {
  for (auto& agent : agents_) agent->Stop();
  if (hub_) hub_->Stop();
  if (!HasFailure()) return;
  if (hub_) std::cerr << "--- certfleet-hub log\n" << hub_->Log() << "\n";
  for (auto& agent : agents_) std::cerr << "--- certfleet-agent log\n" << agent->Log() << "\n";
}

BrokerConfig BusHubFixture::Config(const std::string& url) const {
  return BrokerConfig{.url = url.empty() ? broker_->Url() : url,
                      .heartbeat_seconds = 5,
                      .exchange = exchange_,
                      .connect_timeout = 2s,
                      .rpc_timeout = 5s};
}

void BusHubFixture::WriteHubConfig(const std::string& url, const std::string& extra) {
  std::ostringstream toml;
  toml << "data_dir = \"" << (*dir_ / "hub").string() << "\"\n"
       << "listen = \"127.0.0.1:" << hub_port_ << "\"\n\n"
       << "[rabbitmq]\n"
       << "url = \"" << (url.empty() ? broker_->Url() : url) << "\"\n"
       << "exchange = \"" << exchange_ << "\"\n"
       << "heartbeat_seconds = 5\n"
       << extra;
  dir_->WriteFile("hub.toml", toml.str());
}

void BusHubFixture::StartHub() {
  ++hub_starts_;
  auto hub = harness::StartHubProcess(
      {.binary = CERTFLEET_HUB_BIN,
       .config_file = *dir_ / "hub.toml",
       .data_dir = *dir_ / "hub",
       .base_url = HubUrl(),
       .log_file = *dir_ / ("hub-" + std::to_string(hub_starts_) + ".log")});
  ASSERT_TRUE(hub) << hub.error().message;
  hub_ = std::move(hub->process);
  admin_token_ = hub->admin_token;
}

void BusHubFixture::KillHub() {
  ASSERT_TRUE(hub_);
  hub_->Signal(SIGKILL);
  ASSERT_TRUE(hub_->Wait(10s).has_value()) << "certfleet-hub survived SIGKILL";
}

BusHubFixture::Answer BusHubFixture::Api(const std::string& method, const std::string& path,
                                         const nlohmann::json& body) {
  harness::HttpRequest request;
  request.method = method;
  request.headers = {"Authorization: Bearer " + admin_token_, "Content-Type: application/json"};
  if (!body.is_null()) request.body = body.dump();
  request.timeout = 30s;
  auto result = harness::HttpFetch(HubUrl() + path, request);
  EXPECT_TRUE(result.ok()) << method << " " << path << ": " << result.error;
  return {result.status, nlohmann::json::parse(result.body, nullptr, false)};
}

std::string BusHubFixture::AddMachine(const std::string& machine) {
  if (Api("GET", "/api/v1/customers/acme").status == 404) {
    EXPECT_EQ(Api("POST", "/api/v1/customers", {{"name", "acme"}}).status, 201);
  }
  EXPECT_EQ(Api("POST", "/api/v1/machines", {{"name", machine}, {"customer", "acme"}}).status, 201);
  auto token = Api("POST", "/api/v1/tokens",
                   {{"role", "agent"}, {"name", machine + "-agent"}, {"machine", machine}});
  EXPECT_EQ(token.status, 201) << token.body.dump();
  return token.body.is_object() ? token.body.value("secret", "") : "";
}

void BusHubFixture::AddDomain(const std::string& domain, const std::string& machine) {
  auto created = Api("POST", "/api/v1/domains",
                     {{"name", domain},
                      {"customer", "acme"},
                      {"issuer", "manual"},
                      {"machines", nlohmann::json::array({machine})}});
  EXPECT_EQ(created.status, 201) << domain << ": " << created.body.dump();
}

std::string BusHubFixture::UploadCertificate(const std::string& domain) {
  const fs::path key = *dir_ / (domain + ".key");
  const fs::path cert = *dir_ / (domain + ".pem");
  auto made = harness::RunCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                   "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj",
                                   "/CN=" + domain, "-addext", "subjectAltName=DNS:" + domain,
                                   "-keyout", key.string(), "-out", cert.string()});
  EXPECT_TRUE(made && made->exit_code == 0) << (made ? made->output : made.error().message);
  const std::string leaf = harness::ReadFileOrEmpty(cert);
  auto stored = Api("POST", "/api/v1/domains/" + domain + "/certificate",
                    {{"chain_pem", leaf}, {"key_pem", harness::ReadFileOrEmpty(key)}});
  EXPECT_EQ(stored.status, 201) << domain << ": " << stored.body.dump();
  return leaf;
}

std::vector<std::string> BusHubFixture::EventIds() {
  std::vector<std::string> ids;
  std::int64_t since = 0;
  for (;;) {
    auto page = Api("GET", "/api/v1/events?since=" + std::to_string(since) + "&limit=1000");
    if (page.status != 200 || !page.body.contains("events") || page.body["events"].empty()) break;
    for (const auto& event : page.body["events"]) ids.push_back(event.value("id", ""));
    since = page.body.value("revision", since);
  }
  return ids;
}

std::string BusHubFixture::StartAgent(const std::string& machine, const std::string& token) {
  const fs::path out = *dir_ / ("agent-" + machine);
  fs::create_directories(out);
  std::ostringstream toml;
  toml << "hub_url = \"" << HubUrl() << "\"\n"
       << "token = \"" << token << "\"\n"
       << "output_dir = \"" << out.string() << "\"\n"
       << "test_command = \"true\"\nreload_command = \"true\"\nverify_address = \"\"\n"
       << "resync_interval = \"10m\"\nlog_level = \"debug\"\n"
       << "[rabbitmq]\nurl = \"" << broker_->Url() << "\"\nexchange = \"" << exchange_ << "\"\n"
       << "heartbeat_seconds = 5\nfallback_interval = \"10m\"\n";
  const auto config = dir_->WriteFile("agent-" + machine + ".toml", toml.str());
  auto agent =
      harness::Subprocess::Start({.argv = {CERTFLEET_AGENT_BIN, "--config", config.string()},
                                  .log_file = *dir_ / ("agent-" + machine + ".log")});
  EXPECT_TRUE(agent) << agent.error().message;
  if (agent) agents_.push_back(std::move(*agent));
  return out.string();
}

bool BusHubFixture::Serves(const std::string& out, const std::string& domain,
                           const std::string& leaf_pem) {
  const std::string served = harness::ReadFileOrEmpty(fs::path(out) / "live" / domain / "cert.pem");
  return !served.empty() && WithoutSpace(served) == WithoutSpace(leaf_pem);
}

void BusHubFixture::DeclareConsumerQueue() {
  auto endpoint = ResolveBrokerConfig(Config());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  auto connection = rabbitmq::AmqpConnection::Open(*endpoint);
  ASSERT_TRUE(connection) << connection.error().message;
  ASSERT_TRUE((*connection)->DeclareTopicExchange(exchange_));
  auto bound = (*connection)->DeclareBoundQueue(exchange_ + ".all", exchange_, "certfleet.#");
  ASSERT_TRUE(bound) << bound.error().message;
}

std::vector<rabbitmq::Delivery> BusHubFixture::Consume(const std::set<std::string>& want,
                                                       std::chrono::seconds timeout) {
  std::vector<rabbitmq::Delivery> got;
  std::set<std::string> seen;
  auto endpoint = ResolveBrokerConfig(Config());
  EXPECT_TRUE(endpoint);
  auto connection = rabbitmq::AmqpConnection::Open(*endpoint);
  EXPECT_TRUE(connection) << connection.error().message;
  if (!connection) return got;
  auto consumed = (*connection)->Consume(exchange_ + ".all", 100);
  EXPECT_TRUE(consumed) << consumed.error().message;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto missing = [&] {
    for (const auto& id : want) {
      if (seen.count(id) == 0) return true;
    }
    return false;
  };
  while (missing() && std::chrono::steady_clock::now() < deadline) {
    auto delivery = (*connection)->NextDelivery(100ms);
    if (!delivery) {
      ADD_FAILURE() << delivery.error().message;
      break;
    }
    if (!*delivery) continue;
    EXPECT_TRUE((*connection)->Ack((*delivery)->delivery_tag));
    seen.insert(EventIdOf(**delivery));
    got.push_back(std::move(**delivery));
  }
  return got;
}

}  // namespace certfleet::bus
