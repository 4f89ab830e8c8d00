// RabbitMqPublisher: the Publisher on RabbitMQ (rabbitmq-c 0.11). Messages go to a
// durable topic exchange (declared on connect), persistent (delivery_mode 2), with
// message_id = event id, type = event type, content_type application/json; the channel
// is in confirm mode and Publish waits for the broker's basic.ack of every message.
//
// Connects lazily on the first Publish (or Connect) and after any failure. Thread
// safety: none (see Publisher).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bus/broker_config.h"
#include "bus/publisher.h"

namespace certfleet::bus::rabbitmq {

class AmqpConnection;

class RabbitMqPublisher final : public Publisher {
 public:
  explicit RabbitMqPublisher(BrokerEndpoint endpoint);
  ~RabbitMqPublisher() override;

  PublishOutcome Publish(std::span<const Message> batch) override;
  void KeepAlive() override;
  void Disconnect() override;
  std::string Describe() const override;

  // Connects (if not connected), declares the exchange and enables confirms. Useful at
  // start-up to report a bad URL or password at once; Publish does it by itself.
  Status Connect();

 private:
  Status SendAll(std::span<const Message> batch);
  PublishOutcome AwaitConfirms(std::span<const Message> batch, std::uint64_t first_tag);

  BrokerEndpoint endpoint_;
  std::unique_ptr<AmqpConnection> connection_;
  std::uint64_t next_tag_ = 1;  // delivery tag the broker gives the next message
};

// Validates `config` (see ResolveBrokerConfig) and makes a publisher; does not connect.
Result<std::unique_ptr<RabbitMqPublisher>> MakeRabbitMqPublisher(const BrokerConfig& config);

}  // namespace certfleet::bus::rabbitmq
