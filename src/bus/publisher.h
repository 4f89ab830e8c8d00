// Publisher: sends event messages to a message broker and reports what the broker
// has taken responsibility for (DESIGN.md pipeline step 5).
//
// Contract for every implementation:
// - Publish(batch) sends the messages in order and returns once each of them is either
//   confirmed by the broker (stored durably, for RabbitMQ: a publisher confirm) or the
//   attempt failed. `confirmed` counts the leading messages the broker confirmed; the
//   caller may treat exactly those as delivered and must retry the rest. A message after
//   the first unconfirmed one may still have reached the broker: delivery is
//   at-least-once, consumers drop duplicates by Message::id.
// - A failed Publish leaves the publisher usable: the next call reconnects as needed.
// - A body that contains key material ("PRIVATE KEY") is refused (kInvalidArgument),
//   never sent; see ContainsKeyMaterial in bus/event_message.h.
// - Thread safety: none. One publisher belongs to one thread (rabbitmq-c connections
//   are blocking and single-threaded); it may be created on another thread before use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::bus {

// One event as it goes on the wire. Built from a store::Event by BuildMessage.
struct Message {
  std::string id;  // the event's unique id; AMQP message_id, for de-duplication
  std::int64_t revision = 0;
  std::string type;         // event type, e.g. "certificate.issued"; AMQP type
  std::string routing_key;  // see docs/events.md
  std::string body;         // JSON document (docs/events.md), never key material
  TimePoint time{};         // when the event was committed; AMQP timestamp
};

struct PublishOutcome {
  std::size_t confirmed = 0;  // leading messages of the batch the broker confirmed
  Status status;              // ok iff every message was confirmed
};

class Publisher {
 public:
  virtual ~Publisher() = default;

  virtual PublishOutcome Publish(std::span<const Message> batch) = 0;

  // Called by the relay while it has nothing to send (at least every poll interval), so
  // a connection-based publisher can answer heartbeats and notice a dead broker early.
  // Failures surface on the next Publish.
  virtual void KeepAlive() {}

  // Drops any connection (e.g. before a long pause); the next Publish reconnects.
  virtual void Disconnect() {}

  // Names the destination for logs, without secrets: "RabbitMQ at amqp://127.0.0.1:5672/
  // (exchange certfleet.events)".
  virtual std::string Describe() const = 0;
};

}  // namespace certfleet::bus
