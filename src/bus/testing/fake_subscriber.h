// FakeSubscriber: a Subscriber for tests of its users (the agent). Deliver() calls the
// callback synchronously on the caller's thread, as the real one would on its thread.
// Thread-safe.
#pragma once

#include <mutex>

#include "bus/subscriber.h"

namespace certfleet::bus {

class FakeSubscriber final : public Subscriber {
 public:
  Status Start(ChangeCallback on_change) override;
  void Stop() override;
  bool Connected() const override;

  void SetConnected(bool connected);
  // Calls the callback with `change` if started and not stopped; false otherwise.
  bool Deliver(const Change& change);

 private:
  mutable std::mutex mu_;
  ChangeCallback on_change_;
  bool started_ = false;
  bool connected_ = true;
};

}  // namespace certfleet::bus
