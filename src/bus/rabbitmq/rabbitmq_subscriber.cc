#include "bus/rabbitmq/rabbitmq_subscriber.h"

#include <spdlog/spdlog.h>

#include "bus/backoff.h"
#include "bus/event_message.h"
#include "bus/rabbitmq/amqp_connection.h"

namespace certfleet::bus::rabbitmq {

RabbitMqSubscriber::RabbitMqSubscriber(BrokerEndpoint endpoint, SubscriberOptions options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {
  if (options_.queue.empty()) options_.queue = "certfleet.agent." + options_.machine;
  if (options_.binding_keys.empty()) {
    options_.binding_keys.push_back(MachineRoutingKey(options_.machine));
  }
}

RabbitMqSubscriber::~RabbitMqSubscriber() { Stop(); }

Status RabbitMqSubscriber::Start(ChangeCallback on_change) {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || on_change_) {
    return Fail(ErrorCode::kInvalidArgument, "RabbitMQ subscriber already started");
  }
  on_change_ = std::move(on_change);
  thread_ = std::thread([this] { Run(); });
  return Ok();
}

void RabbitMqSubscriber::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool RabbitMqSubscriber::Connected() const { return connected_.load(); }

bool RabbitMqSubscriber::SleepUnlessStopped(Duration d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [&] { return stopping_; });
}

Result<std::unique_ptr<AmqpConnection>> RabbitMqSubscriber::Connect() {
  auto connection = AmqpConnection::Open(endpoint_);
  if (!connection) return Fail(connection.error());
  // Looked up first, declared only when missing: an agent's own broker user needs no
  // configure permission on the hub's exchange, which would let it delete the exchange
  // (docs/events.md, "Per-agent broker users").
  if (!(*connection)->CheckExchangeExists(endpoint_.exchange)) {
    connection = AmqpConnection::Open(endpoint_);  // the failed lookup closed the channel
    if (!connection) return Fail(connection.error());
    if (auto s = (*connection)->DeclareTopicExchange(endpoint_.exchange); !s) {
      return Fail(s.error());
    }
  }
  for (const std::string& key : options_.binding_keys) {
    if (auto s = (*connection)->DeclareBoundQueue(options_.queue, endpoint_.exchange, key); !s) {
      return Fail(s.error());
    }
  }
  if (auto s = (*connection)->Consume(options_.queue, options_.prefetch); !s) {
    return Fail(s.error());
  }
  return connection;
}

void RabbitMqSubscriber::Run() {
  int failures = 0;
  while (SleepUnlessStopped(BackoffDelay(failures, options_.min_backoff, options_.max_backoff))) {
    auto connection = Connect();
    if (!connection) {
      if (++failures == 1) {
        spdlog::warn(
            "RabbitMQ subscriber (queue {}): {}; retrying with backoff, periodic "
            "reconciliation continues meanwhile",
            options_.queue, connection.error().message);
      }
      continue;
    }
    if (failures > 0) {
      spdlog::info("RabbitMQ subscriber (queue {}): connected again after {} failed attempt(s)",
                   options_.queue, failures);
    }
    failures = 0;
    connected_ = true;
    on_change_(Change{.type = std::string(kConnectedChangeType)});
    Status consumed = ConsumeUntilBroken(**connection);
    connected_ = false;
    if (!consumed) {
      failures = 1;
      spdlog::warn(
          "RabbitMQ subscriber (queue {}): {}; reconnecting with backoff, periodic "
          "reconciliation continues meanwhile",
          options_.queue, consumed.error().message);
    }
  }
}

Status RabbitMqSubscriber::ConsumeUntilBroken(AmqpConnection& connection) {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Ok();
    }
    auto delivery = connection.NextDelivery(options_.poll_interval);
    if (!delivery) return Fail(delivery.error());
    if (!*delivery) continue;
    auto change = ParseChange((*delivery)->body, (*delivery)->routing_key);
    if (!change) {
      spdlog::warn("RabbitMQ subscriber (queue {}): {}; treating it as a change", options_.queue,
                   change.error().message);
      change = Change{.routing_key = (*delivery)->routing_key};
    }
    on_change_(*change);
    if (auto s = connection.Ack((*delivery)->delivery_tag); !s) return s;
  }
}

Result<std::unique_ptr<RabbitMqSubscriber>> MakeRabbitMqSubscriber(const BrokerConfig& config,
                                                                   SubscriberOptions options) {
  auto endpoint = ResolveBrokerConfig(config);
  if (!endpoint) return Fail(endpoint.error());
  if (options.machine.empty() && (options.queue.empty() || options.binding_keys.empty())) {
    return Fail(ErrorCode::kInvalidArgument,
                "RabbitMQ subscriber: the machine name is required (it names the queue and its "
                "routing key)");
  }
  std::size_t queue_length =
      options.queue.empty() ? 16 + options.machine.size() : options.queue.size();
  if (queue_length > 255) {
    return Fail(ErrorCode::kInvalidArgument,
                "RabbitMQ subscriber: the queue name would exceed 255 bytes; set a shorter queue");
  }
  return std::make_unique<RabbitMqSubscriber>(std::move(*endpoint), std::move(options));
}

}  // namespace certfleet::bus::rabbitmq
