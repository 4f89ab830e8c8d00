// OrderPacer: a per-issuer limit on new ACME orders (Let's Encrypt allows 300 new
// orders per account per 3 hours), so a thousand new domains queue instead of failing.
//
// A sliding window over the start times of recent orders. Domains beyond the limit are
// not failed: the worker sets their next_attempt_at to the time TryAcquire returns.
// The count is per process (several hub replicas each keep their own) and starts empty
// at start-up; keep orders_per_window below the CA's limit to leave room for that.
//
// Thread safety: safe for concurrent use. Time comes in as a parameter.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "common/clock.h"

namespace certfleet::issuance {

class OrderPacer {
 public:
  // `orders_per_window` < 1 disables pacing (every order is allowed).
  OrderPacer(int orders_per_window, Duration window);

  // Records an order starting at `now` and returns nullopt when the limit allows it;
  // otherwise records nothing and returns the earliest time the next order may start.
  std::optional<TimePoint> TryAcquire(TimePoint now);

  // What TryAcquire(now) would return, recording nothing: nullopt when an order may start
  // now, else when the next one may. A look before work that only pays off if an order
  // follows (the ARI recheck at the renewal point); another thread may still take the
  // slot in between, and TryAcquire then defers as usual.
  std::optional<TimePoint> NextSlot(TimePoint now);

  // The starts of the orders the limit counts at `now` (within the last window), ascending:
  // the slots in use (the capacity check, issuance/capacity.h).
  std::vector<TimePoint> Starts(TimePoint now);

  // Gives back an order acquired at `at` that was never sent (e.g. the store refused it).
  void Release(TimePoint at);

 private:
  void DropExpired(TimePoint now);

  const int limit_;
  const Duration window_;
  std::mutex mu_;
  std::deque<TimePoint> starts_;  // ascending
};

}  // namespace certfleet::issuance
