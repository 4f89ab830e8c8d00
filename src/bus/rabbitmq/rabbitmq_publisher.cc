#include "bus/rabbitmq/rabbitmq_publisher.h"

#include <vector>

#include "bus/event_message.h"
#include "bus/rabbitmq/amqp_connection.h"

namespace certfleet::bus::rabbitmq {

RabbitMqPublisher::RabbitMqPublisher(BrokerEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

RabbitMqPublisher::~RabbitMqPublisher() = default;

std::string RabbitMqPublisher::Describe() const {
  return "RabbitMQ at " + endpoint_.DisplayUrl() + " (exchange " + endpoint_.exchange + ")";
}

Status RabbitMqPublisher::Connect() {
  if (connection_) return Ok();
  auto connection = AmqpConnection::Open(endpoint_);
  if (!connection) return Fail(connection.error());
  if (auto s = (*connection)->DeclareTopicExchange(endpoint_.exchange); !s) return s;
  if (auto s = (*connection)->EnableConfirms(); !s) return s;
  connection_ = std::move(*connection);
  next_tag_ = 1;
  return Ok();
}

void RabbitMqPublisher::Disconnect() { connection_.reset(); }

void RabbitMqPublisher::KeepAlive() {
  if (connection_ && !connection_->KeepAlive()) Disconnect();
}

PublishOutcome RabbitMqPublisher::Publish(std::span<const Message> batch) {
  // The guard: send only the messages before the first one carrying key material.
  std::size_t clean = 0;
  while (clean < batch.size() && !ContainsKeyMaterial(batch[clean].body)) ++clean;
  PublishOutcome outcome;
  if (clean > 0) {
    if (auto s = Connect(); !s) return PublishOutcome{0, Fail(s.error())};
    std::uint64_t first_tag = next_tag_;
    if (auto s = SendAll(batch.first(clean)); !s) {
      Disconnect();
      return PublishOutcome{0, Fail(s.error())};
    }
    outcome = AwaitConfirms(batch.first(clean), first_tag);
  }
  if (outcome.status && clean < batch.size()) {
    outcome.status =
        Fail(ErrorCode::kInvalidArgument,
             "event " + std::to_string(batch[clean].revision) + " (" + batch[clean].type +
                 "): the body contains key material; refusing to publish it");
  }
  return outcome;
}

Status RabbitMqPublisher::SendAll(std::span<const Message> batch) {
  for (const Message& message : batch) {
    if (auto s = connection_->Publish(endpoint_.exchange, message); !s) return s;
    ++next_tag_;
  }
  return Ok();
}

PublishOutcome RabbitMqPublisher::AwaitConfirms(std::span<const Message> batch,
                                                std::uint64_t first_tag) {
  enum Answer : char { kPending, kAck, kNack };
  std::vector<Answer> answers(batch.size(), kPending);
  std::size_t answered = 0;
  auto leading_acks = [&] {
    std::size_t n = 0;
    while (n < answers.size() && answers[n] == kAck) ++n;
    return n;
  };
  while (answered < batch.size()) {
    auto confirm = connection_->WaitConfirm();
    if (!confirm) {
      Disconnect();
      return PublishOutcome{leading_acks(), Fail(confirm.error())};
    }
    if (confirm->delivery_tag < first_tag) continue;  // belongs to an earlier batch
    std::uint64_t last = confirm->delivery_tag - first_tag;
    std::uint64_t first = confirm->multiple ? 0 : last;
    for (std::uint64_t i = first; i <= last && i < batch.size(); ++i) {
      auto index = static_cast<std::size_t>(i);
      if (answers[index] != kPending) continue;
      answers[index] = confirm->ack ? kAck : kNack;
      ++answered;
    }
  }
  std::size_t confirmed = leading_acks();
  if (confirmed == batch.size()) return PublishOutcome{confirmed, Ok()};
  return PublishOutcome{
      confirmed, Fail(ErrorCode::kUnavailable, Describe() + ": the broker rejected event " +
                                                   std::to_string(batch[confirmed].revision) +
                                                   " (basic.nack); will retry")};
}

Result<std::unique_ptr<RabbitMqPublisher>> MakeRabbitMqPublisher(const BrokerConfig& config) {
  auto endpoint = ResolveBrokerConfig(config);
  if (!endpoint) return Fail(endpoint.error());
  return std::make_unique<RabbitMqPublisher>(std::move(*endpoint));
}

}  // namespace certfleet::bus::rabbitmq
