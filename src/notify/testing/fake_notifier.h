// FakeNotifier: records delivered messages and fails on demand (tests).
//
// Thread safe: Deliver and the accessors may run on different threads.
#pragma once

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

 private:
  mutable std::mutex mu_;
  std::deque<Error> failures_;
  std::vector<Message> delivered_;
  int attempts_ = 0;
};

}  // namespace certfleet::notify
