// amqps:// against a real rabbitmq-server with a TLS listener (private CA from the harness).
#include <gtest/gtest.h>

#include "bus/event_message.h"
#include "bus/rabbitmq/rabbitmq_publisher.h"
#include "harness/rabbitmq_server.h"

namespace certfleet::bus {
namespace {

using namespace std::chrono_literals;
using harness::RabbitMqServer;

RabbitMqServer* TlsBroker() {
  static std::unique_ptr<RabbitMqServer> broker = [] {
    auto started = RabbitMqServer::Start({.tls = true});
    if (!started) ADD_FAILURE() << started.error().message;
    return started ? std::move(*started) : nullptr;
  }();
  return broker.get();
}

TEST(BusRabbitMqTlsTest, PublishesWithConfirmsOverAmqpsTrustingTheConfiguredCa) {
  RabbitMqServer* broker = TlsBroker();
  ASSERT_NE(broker, nullptr);
  auto publisher = rabbitmq::MakeRabbitMqPublisher(
      BrokerConfig{.url = broker->TlsUrl(), .ca_file = broker->CaFile(), .connect_timeout = 5s});
  ASSERT_TRUE(publisher) << publisher.error().message;
  store::Event event{.revision = 1,
                     .id = "00000000000000000000000000000001",
                     .type = "domain.updated",
                     .subject = "domain:a.example"};
  auto message = BuildMessage(event);
  ASSERT_TRUE(message);
  std::vector<Message> batch = {*message};
  PublishOutcome outcome = (*publisher)->Publish(batch);
  ASSERT_TRUE(outcome.status) << outcome.status.error().message;
  EXPECT_EQ(outcome.confirmed, 1u);
}

TEST(BusRabbitMqTlsTest, UntrustedBrokerCertificateIsAClearConnectError) {
  RabbitMqServer* broker = TlsBroker();
  ASSERT_NE(broker, nullptr);
  // Without ca_file the system bundle is used, which does not know the test CA.
  auto publisher = rabbitmq::MakeRabbitMqPublisher(
      BrokerConfig{.url = broker->TlsUrl(), .password = "s3cret", .connect_timeout = 5s});
  ASSERT_TRUE(publisher);
  auto connected = (*publisher)->Connect();
  ASSERT_FALSE(connected) << "a broker certificate from an unknown CA was accepted";
  EXPECT_EQ(connected.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(connected.error().message.find("RabbitMQ at " + broker->TlsUrl() + ": connecting: "),
            std::string::npos)
      << connected.error().message;
  EXPECT_EQ(connected.error().message.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::bus
