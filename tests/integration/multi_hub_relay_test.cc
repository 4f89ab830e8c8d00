// Several hubs with [rabbitmq] on one PostgreSQL (issue 14): exactly one hub relays the
// outbox at a time (the others report "standby" in /healthz), every event reaches the
// broker once and in revision order, and when the relaying hub is SIGKILLed another takes
// over and relays what was committed afterwards. Real RabbitMQ, PostgreSQL, Pebble, nginx.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bus/broker_config.h"
#include "bus/rabbitmq/amqp_connection.h"
#include "harness/net.h"
#include "harness/rabbitmq_server.h"
#include "multi_hub_fixture.h"

namespace certfleet::multihub {
namespace {

using namespace std::chrono_literals;

class MultiHubRelayTest : public MultiHubTest {
 protected:
  void SetUp() override {
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

  bus::BrokerConfig Config() const {
    return bus::BrokerConfig{.url = broker_->Url(),
                             .heartbeat_seconds = 5,
                             .exchange = kExchange,
                             .connect_timeout = 2s,
                             .rpc_timeout = 5s};
  }

  // The hub whose /healthz does not say "standby" for rabbitmq (-1 if none or several, or
  // if a running hub's /healthz cannot be read: that hub's role is unknown, not "relaying").
  int RelayingHub() {
    int relaying = -1;
    for (int i = 0; i < kHubs; ++i) {
      if (!HubRunning(i)) continue;
      // With a token: /healthz shows the components' detail only to the hub's people (F13).
      auto health = nlohmann::json::parse(Api(i, "GET", "/healthz").body, nullptr, false);
      if (!health.is_object() || !health.contains("components") ||
          !health["components"].contains("rabbitmq")) {
        return -1;
      }
      const std::string detail = health["components"]["rabbitmq"].value("detail", "");
      if (detail.find("standby") != std::string::npos) continue;
      if (relaying != -1) return -1;
      relaying = i;
    }
    return relaying;
  }

  std::int64_t Unpublished() {
    auto out = pg_->Psql("SELECT count(*) FROM events WHERE published_at IS NULL", "certfleet");
    return out ? std::stoll(*out) : -1;
  }

  // Every event id in the database, in revision order.
  std::vector<std::string> EventIds() {
    auto out = pg_->Psql("SELECT id FROM events ORDER BY revision", "certfleet");
    EXPECT_TRUE(out) << out.error().message;
    std::vector<std::string> ids;
    std::istringstream in(out ? *out : "");
    for (std::string id; std::getline(in, id);) {
      if (!id.empty()) ids.push_back(id);
    }
    return ids;
  }

  // Consumes until `count` messages arrived (or `timeout`); returns their event ids in order.
  std::vector<std::string> ConsumeIds(std::size_t count, std::chrono::seconds timeout = 60s) {
    std::vector<std::string> ids;
    if (!consuming_) {
      auto consumed = consumer_->Consume("multi.all", 100);
      EXPECT_TRUE(consumed) << consumed.error().message;
      consuming_ = true;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (ids.size() < count && std::chrono::steady_clock::now() < deadline) {
      auto delivery = consumer_->NextDelivery(100ms);
      if (!delivery) {
        ADD_FAILURE() << delivery.error().message;
        break;
      }
      if (!*delivery) continue;
      EXPECT_TRUE(consumer_->Ack((*delivery)->delivery_tag));
      auto body = nlohmann::json::parse((*delivery)->body, nullptr, false);
      ids.push_back(body.is_object() ? body.value("id", "") : "");
    }
    return ids;
  }

  static constexpr const char* kExchange = "multi";
  std::unique_ptr<harness::RabbitMqServer> broker_;
  std::unique_ptr<bus::rabbitmq::AmqpConnection> consumer_;
  bool consuming_ = false;
};

TEST_F(MultiHubRelayTest, OneHubRelaysEachEventOnceInOrderAndAnotherTakesOverWhenItDies) {
  for (int i = 0; i < kHubs; ++i) ASSERT_NO_FATAL_FAILURE(StartHub(i));
  const auto first = DomainNames(0, 4);
  for (std::size_t k = 0; k < first.size(); ++k) SaveDomain(static_cast<int>(k) % kHubs, first[k]);
  ASSERT_TRUE(WaitAllValid(0, first));
  ASSERT_TRUE(harness::WaitFor([&] { return Unpublished() == 0; }, 30s, 50ms))
      << "the outbox was not relayed";
  int relaying = -1;
  ASSERT_TRUE(harness::WaitFor([&] { return (relaying = RelayingHub()) != -1; }, 10s, 100ms))
      << "not exactly one hub relays";

  ASSERT_NO_FATAL_FAILURE(KillHub(relaying));
  const int survivor = (relaying + 1) % kHubs;
  const auto second = DomainNames(4, 3);
  for (const auto& name : second) SaveDomain(survivor, name);
  ASSERT_TRUE(WaitAllValid(survivor, second));
  ASSERT_TRUE(harness::WaitFor([&] { return Unpublished() == 0; }, 30s, 50ms))
      << "no hub took the relay over";
  EXPECT_TRUE(harness::WaitFor([&] { return RelayingHub() != -1; }, 10s, 100ms))
      << "not exactly one hub relays after the failover";

  // Nothing was in flight at the kill (the outbox was empty), so each event went out once.
  const auto want = EventIds();
  auto got = ConsumeIds(want.size());
  EXPECT_EQ(got, want) << "each event once, in revision order";
  auto extra = ConsumeIds(1, 2s);  // anything more is a duplicate
  EXPECT_TRUE(extra.empty()) << extra.size() << " extra messages, first " << extra.front();
}

}  // namespace
}  // namespace certfleet::multihub
