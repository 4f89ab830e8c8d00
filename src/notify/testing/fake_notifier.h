// FakeNotifier: records delivered messages and fails on demand (tests).
//
// Thread safe: Deliver and the accessors may run on different threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include "notify/notifier.h"

namespace certfleet::notify {

class FakeNotifier final : public Notifier {
 public:
  // The next `count` Deliver calls fail with `error` (then deliveries succeed again).
  void FailNext(int count, Error error);

  Status Deliver(const Message& message) override;

  std::vector<Message> delivered() const;  // successful deliveries, in order
  int attempts() const;                    // every Deliver call
  // Blocks (real time, at most `limit`) until `n` messages were delivered; false if not.
  // For tests whose service threads wake each other: the clock cannot tell when they rest.
  bool AwaitDelivered(std::size_t n,
                      std::chrono::milliseconds limit = std::chrono::seconds(30)) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable delivered_cv_;
  std::deque<Error> failures_;
  std::vector<Message> delivered_;
  int attempts_ = 0;
};

}  // namespace certfleet::notify
