#include "issuance/order_pacer.h"

#include <algorithm>

namespace certfleet::issuance {

OrderPacer::OrderPacer(int orders_per_window, Duration window)
    : limit_(orders_per_window), window_(window) {}

void OrderPacer::DropExpired(TimePoint now) {
  while (!starts_.empty() && starts_.front() + window_ <= now) starts_.pop_front();
}

std::optional<TimePoint> OrderPacer::TryAcquire(TimePoint now) {
  if (limit_ < 1) return std::nullopt;
  std::lock_guard lock(mu_);
  DropExpired(now);
  if (starts_.size() >= static_cast<size_t>(limit_)) return starts_.front() + window_;
  // Keep the deque sorted even if callers' clocks disagree slightly.
  starts_.insert(std::upper_bound(starts_.begin(), starts_.end(), now), now);
  return std::nullopt;
}

std::optional<TimePoint> OrderPacer::NextSlot(TimePoint now) {
  if (limit_ < 1) return std::nullopt;
  std::lock_guard lock(mu_);
  DropExpired(now);
  if (starts_.size() >= static_cast<size_t>(limit_)) return starts_.front() + window_;
  return std::nullopt;
}

std::vector<TimePoint> OrderPacer::Starts(TimePoint now) {
  std::lock_guard lock(mu_);
  DropExpired(now);
  return {starts_.begin(), starts_.end()};
}

void OrderPacer::Release(TimePoint at) {
  std::lock_guard lock(mu_);
  auto it = std::find(starts_.begin(), starts_.end(), at);
  if (it != starts_.end()) starts_.erase(it);
}

}  // namespace certfleet::issuance
