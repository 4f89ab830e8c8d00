#include "bus/testing/fake_publisher.h"

namespace certfleet::bus {

PublishOutcome FakePublisher::Publish(std::span<const Message> batch) {
  std::lock_guard lock(mu_);
  ++calls_;
  if (failure_) return PublishOutcome{0, Fail(*failure_)};
  std::size_t limit = batch.size();
  if (partial_) limit = std::min(limit, *std::exchange(partial_, std::nullopt));
  for (std::size_t i = 0; i < limit; ++i) {
    if (ContainsKeyMaterial(batch[i].body)) {
      return PublishOutcome{i, Fail(ErrorCode::kInvalidArgument, "body contains key material")};
    }
    confirmed_.push_back(batch[i]);
  }
  if (limit < batch.size()) {
    return PublishOutcome{limit, Fail(ErrorCode::kUnavailable, "fake: connection lost")};
  }
  return PublishOutcome{limit, Ok()};
}

void FakePublisher::SetFailure(std::optional<Error> error) {
  std::lock_guard lock(mu_);
  failure_ = std::move(error);
}

void FakePublisher::ConfirmOnlyNext(std::size_t n) {
  std::lock_guard lock(mu_);
  partial_ = n;
}

std::vector<Message> FakePublisher::confirmed() const {
  std::lock_guard lock(mu_);
  return confirmed_;
}

int FakePublisher::publish_calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

}  // namespace certfleet::bus
