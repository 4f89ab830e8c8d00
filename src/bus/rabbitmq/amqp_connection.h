// AmqpConnection: one rabbitmq-c connection with one open channel (channel 1). Only
// amqp_connection.cc includes <amqp.h>; the publisher and subscriber use this class.
//
// rabbitmq-c is blocking and not thread-safe: one AmqpConnection belongs to one thread.
// Every failure is returned as an Error whose message starts "RabbitMQ at <url>: " and
// says what to check (never the password). After any failure the connection must be
// dropped (the broker closes the channel or connection on errors anyway).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bus/broker_config.h"
#include "bus/publisher.h"
#include "common/error.h"

namespace certfleet::bus::rabbitmq {

// A broker's answer to one published message (publisher confirms).
struct Confirm {
  std::uint64_t delivery_tag = 0;
  bool multiple = false;  // covers every tag up to delivery_tag
  bool ack = true;        // false: basic.nack (the broker could not take it)
};

struct Delivery {
  std::uint64_t delivery_tag = 0;
  std::string routing_key;
  std::string body;
  bool redelivered = false;
};

class AmqpConnection {
 public:
  // TCP (or TLS with the endpoint's CA file, verifying peer and host name), AMQP login
  // with the endpoint's heartbeat, channel 1. Errors: kUnavailable (unreachable, TLS,
  // closed), kUnauthenticated (login refused), kPermissionDenied (vhost access).
  static Result<std::unique_ptr<AmqpConnection>> Open(const BrokerEndpoint& endpoint);
  ~AmqpConnection();  // closes politely, errors ignored
  AmqpConnection(const AmqpConnection&) = delete;
  AmqpConnection& operator=(const AmqpConnection&) = delete;

  // A durable topic exchange (idempotent; kConflict-ish error if it exists with another type).
  Status DeclareTopicExchange(std::string_view name);
  // Whether the exchange exists (passive declare: needs no permission on it). On failure
  // the broker closes the channel: open a new connection to go on.
  Status CheckExchangeExists(std::string_view name);
  Status EnableConfirms();
  // basic.publish of a persistent JSON message; the confirm arrives via WaitConfirm.
  Status Publish(std::string_view exchange, const Message& message);
  // The next confirm, waiting up to the endpoint's rpc_timeout (kDeadlineExceeded).
  Result<Confirm> WaitConfirm();

  // A durable, non-exclusive queue, bound to `exchange` with `binding_key`.
  Status DeclareBoundQueue(std::string_view queue, std::string_view exchange,
                           std::string_view binding_key);
  // basic.qos(prefetch) + basic.consume with manual acknowledgements.
  Status Consume(std::string_view queue, std::uint16_t prefetch);
  // The next delivery, or nullopt after `timeout` without one. Answers heartbeats.
  Result<std::optional<Delivery>> NextDelivery(Duration timeout);
  Status Ack(std::uint64_t delivery_tag);

  // Lets the library send/answer heartbeats while the owner is idle.
  Status KeepAlive();

  const std::string& url() const { return url_; }

  struct State;  // rabbitmq-c handles; defined in the .cc

 private:
  AmqpConnection(std::unique_ptr<State> state, std::string url);
  Error Broken(std::string_view step, ErrorCode code, std::string_view detail) const;
  Status CheckRpc(std::string_view step);

  std::unique_ptr<State> state_;
  std::string url_;
};

}  // namespace certfleet::bus::rabbitmq
