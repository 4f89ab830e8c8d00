// MultiHubRelayTest: the multi-hub fixture (multi_hub_fixture.h) plus a real RabbitMQ broker
// that every hub relays its outbox to ([rabbitmq] in each hub's config), and a test consumer
// whose queue "multi.all" is bound to certfleet.# on the hubs' exchange before any hub starts,
// so it holds every event the hubs publish. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/broker_config.h"
#include "bus/rabbitmq/amqp_connection.h"
#include "harness/rabbitmq_server.h"
#include "multi_hub_fixture.h"

namespace certfleet::multihub {

class MultiHubRelayTest : public MultiHubTest {
 protected:
  // MultiHubTest::SetUp, then the broker, the hubs' [rabbitmq] table and the consumer queue.
  void SetUp() override;

  bus::BrokerConfig Config() const;

  // The hub whose /healthz does not say "standby" for rabbitmq (-1 if none or several, or
  // if a running hub's /healthz cannot be read: that hub's role is unknown, not "relaying").
  int RelayingHub();
  // Whether hub `i` says it relays (its /healthz rabbitmq detail is not "standby"); false
  // when its /healthz cannot be read.
  bool Relays(int i);

  // Events in the shared database not yet published (-1 when psql failed).
  std::int64_t Unpublished();
  // Every event id in the database, in revision order.
  std::vector<std::string> EventIds();

  // Consumes (and acks) until `count` messages arrived (or `timeout`); returns their event
  // ids in arrival order. After a broker error (a test failure) it returns nothing at once.
  std::vector<std::string> ConsumeIds(std::size_t count,
                                      std::chrono::seconds timeout = std::chrono::seconds(60));

  static constexpr const char* kExchange = "multi";
  std::unique_ptr<harness::RabbitMqServer> broker_;
  std::unique_ptr<bus::rabbitmq::AmqpConnection> consumer_;
  bool consuming_ = false;
  bool consume_failed_ = false;

 private:
  // Whether hub `i` relays (true) or stands by (false); nullopt when its /healthz has no
  // rabbitmq component to read.
  std::optional<bool> RelayRole(int i);
};

}  // namespace certfleet::multihub
