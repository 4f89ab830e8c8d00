#include "notify/testing/fake_notifier.h"

namespace certfleet::notify {

void FakeNotifier::FailNext(int count, Error error) {
  std::lock_guard lock(mu_);
  for (int i = 0; i < count; ++i) failures_.push_back(error);
}

Status FakeNotifier::Deliver(const Message& message) {
  std::lock_guard lock(mu_);
  ++attempts_;
  if (!failures_.empty()) {
    Error e = failures_.front();
    failures_.pop_front();
    return Fail(std::move(e));
  }
  delivered_.push_back(message);
  delivered_cv_.notify_all();
  return Ok();
}

bool FakeNotifier::AwaitDelivered(std::size_t n, std::chrono::milliseconds limit) const {
  std::unique_lock lock(mu_);
  return delivered_cv_.wait_for(lock, limit, [&] { return delivered_.size() >= n; });
}

std::vector<Message> FakeNotifier::delivered() const {
  std::lock_guard lock(mu_);
  return delivered_;
}

int FakeNotifier::attempts() const {
  std::lock_guard lock(mu_);
  return attempts_;
}

}  // namespace certfleet::notify
