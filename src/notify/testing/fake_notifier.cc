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
  return Ok();
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
