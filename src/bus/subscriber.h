// Subscriber: receives "something changed" notifications from a message broker, for the
// agent (DESIGN.md pipeline step 5). A notification never carries the change itself: the
// receiver fetches the desired state over the hub API. The agent stays level-triggered,
// so a lost or duplicated notification only delays or repeats a convergence pass.
//
// Contract for every implementation:
// - Start(on_change) returns at once; `on_change` then runs on the subscriber's own
//   thread, one call at a time, once per received message (duplicates possible). A
//   message is acknowledged to the broker only after `on_change` returned, so a crash
//   in between redelivers it.
// - While the broker is unreachable the subscriber retries with backoff by itself and
//   logs the outage once; the caller keeps its periodic reconciliation meanwhile.
// - Start fails only for a configuration it can detect without the network (bad
//   options); calling Start twice is kInvalidArgument.
// - Stop() is idempotent, thread-safe, and returns after the thread has exited (at most
//   about a poll interval); no `on_change` call runs after it returns. The destructor
//   calls Stop().
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/error.h"

namespace certfleet::bus {

struct Change {
  std::int64_t revision = 0;  // the event's revision; 0 when the message did not say
  std::string event_id;       // "" when the message did not say
  std::string type;           // e.g. "machine.desired_changed"
  std::string routing_key;
};

using ChangeCallback = std::function<void(const Change&)>;

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  virtual Status Start(ChangeCallback on_change) = 0;
  virtual void Stop() = 0;
  // True while connected and consuming (for health output and tests).
  virtual bool Connected() const = 0;
};

}  // namespace certfleet::bus
