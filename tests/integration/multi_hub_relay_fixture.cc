#include "multi_hub_relay_fixture.h"

#include <nlohmann/json.hpp>
#include <sstream>

namespace certfleet::multihub {

using namespace std::chrono_literals;

void MultiHubRelayTest::SetUp() {
  MultiHubTest::SetUp();
  if (HasFatalFailure()) return;
  auto broker = harness::RabbitMqServer::Start();
  ASSERT_TRUE(broker) << broker.error().message;
  broker_ = std::move(*broker);
  extra_config_ = "[rabbitmq]\nurl = \"" + broker_->Url() + "\"\nexchange = \"" + kExchange +
                  "\"\nheartbeat_seconds = 5\n";
  auto endpoint = bus::ResolveBrokerConfig(Config());
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  auto connection = bus::rabbitmq::AmqpConnection::Open(*endpoint);
  ASSERT_TRUE(connection) << connection.error().message;
  consumer_ = std::move(*connection);
  ASSERT_TRUE(consumer_->DeclareTopicExchange(kExchange));
  ASSERT_TRUE(consumer_->DeclareBoundQueue("multi.all", kExchange, "certfleet.#"));
}

bus::BrokerConfig MultiHubRelayTest::Config() const {
  // No heartbeats: rabbitmq-c is blocking and sends them only while we call it, and the test
  // consumer sits idle while the hubs work (a minute and more): with heartbeats the broker
  // closed it ("a socket error occurred" at the first read afterwards).
  return bus::BrokerConfig{.url = broker_->Url(),
                           .heartbeat_seconds = 0,
                           .exchange = kExchange,
                           .connect_timeout = 2s,
                           .rpc_timeout = 5s};
}

std::optional<bool> MultiHubRelayTest::RelayRole(int i) {
  // With a token: /healthz shows the components' detail only to the hub's people (F13).
  auto health = nlohmann::json::parse(Api(i, "GET", "/healthz").body, nullptr, false);
  if (!health.is_object() || !health.contains("components") ||
      !health["components"].contains("rabbitmq")) {
    return std::nullopt;
  }
  const std::string detail = health["components"]["rabbitmq"].value("detail", "");
  return detail.find("standby") == std::string::npos;
}

bool MultiHubRelayTest::Relays(int i) { return RelayRole(i).value_or(false); }

int MultiHubRelayTest::RelayingHub() {
  int relaying = -1;
  for (int i = 0; i < kHubs; ++i) {
    if (!HubRunning(i)) continue;
    const auto role = RelayRole(i);
    if (!role) return -1;
    if (!*role) continue;
    if (relaying != -1) return -1;
    relaying = i;
  }
  return relaying;
}

std::int64_t MultiHubRelayTest::Unpublished() {
  auto out = pg_->Psql("SELECT count(*) FROM events WHERE published_at IS NULL", "certfleet");
  return out ? std::stoll(*out) : -1;
}

std::vector<std::string> MultiHubRelayTest::EventIds() {
  auto out = pg_->Psql("SELECT id FROM events ORDER BY revision", "certfleet");
  EXPECT_TRUE(out) << out.error().message;
  std::vector<std::string> ids;
  std::istringstream in(out ? *out : "");
  for (std::string id; std::getline(in, id);) {
    if (!id.empty()) ids.push_back(id);
  }
  return ids;
}

std::vector<std::string> MultiHubRelayTest::ConsumeIds(std::size_t count,
                                                       std::chrono::seconds timeout) {
  std::vector<std::string> ids;
  if (!consuming_) {
    auto consumed = consumer_->Consume("multi.all", 100);
    EXPECT_TRUE(consumed) << consumed.error().message;
    consuming_ = true;
    consume_failed_ = !consumed;
  }
  if (consume_failed_) return ids;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (ids.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto delivery = consumer_->NextDelivery(100ms);
    if (!delivery) {
      ADD_FAILURE() << delivery.error().message;
      consume_failed_ = true;
      break;
    }
    if (!*delivery) continue;
    EXPECT_TRUE(consumer_->Ack((*delivery)->delivery_tag));
    auto body = nlohmann::json::parse((*delivery)->body, nullptr, false);
    ids.push_back(body.is_object() ? body.value("id", "") : "");
  }
  return ids;
}

}  // namespace certfleet::multihub
