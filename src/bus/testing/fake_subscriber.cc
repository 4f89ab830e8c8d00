#include "bus/testing/fake_subscriber.h"

namespace certfleet::bus {

Status FakeSubscriber::Start(ChangeCallback on_change) {
  std::lock_guard lock(mu_);
  if (started_) return Fail(ErrorCode::kInvalidArgument, "subscriber already started");
  started_ = true;
  on_change_ = std::move(on_change);
  return Ok();
}

void FakeSubscriber::Stop() {
  std::lock_guard lock(mu_);
  on_change_ = nullptr;
}

bool FakeSubscriber::Connected() const {
  std::lock_guard lock(mu_);
  return started_ && connected_ && on_change_ != nullptr;
}

void FakeSubscriber::SetConnected(bool connected) {
  std::lock_guard lock(mu_);
  connected_ = connected;
}

bool FakeSubscriber::Deliver(const Change& change) {
  ChangeCallback callback;
  {
    std::lock_guard lock(mu_);
    callback = on_change_;
  }
  if (!callback) return false;
  callback(change);
  return true;
}

}  // namespace certfleet::bus
