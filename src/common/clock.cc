#include "common/clock.h"

#include <algorithm>
#include <thread>

namespace certfleet {

TimePoint SystemClock::Now() const { return std::chrono::system_clock::now(); }

SteadyTime SystemClock::SteadyNow() const { return std::chrono::steady_clock::now(); }

void SystemClock::SleepFor(Duration d) { std::this_thread::sleep_for(d); }

bool SystemClock::WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                          Duration d, const std::function<bool()>& wake) {
  return cv.wait_for(lock, d, wake);
}

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

// One thread in FakeClock::WaitFor. MoveTo notifies its condition variable holding
// `guard`, so the waiter, before it returns (and its owner may destroy `cv`), takes
// `guard` and sets `gone`.
struct FakeClock::Waiter {
  TimePoint deadline;
  std::uint64_t number = 0;
  std::mutex* owner_mu = nullptr;
  std::condition_variable* cv = nullptr;
  std::mutex guard;
  bool gone = false;
};

FakeClock::FakeClock(TimePoint start) : now_(start) {}

FakeClock::~FakeClock() = default;

TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

SteadyTime FakeClock::SteadyNow() const {
  return SteadyTime(std::chrono::duration_cast<SteadyTime::duration>(Now().time_since_epoch()));
}

void FakeClock::SleepFor(Duration d) {
  TimePoint to;
  {
    std::lock_guard lock(mu_);
    slept_ += d;
    to = now_ + d;
  }
  MoveTo(to);
}

void FakeClock::Advance(Duration d) { MoveTo(Now() + d); }

void FakeClock::Set(TimePoint t) { MoveTo(t); }

// Lock order: a waiter holds its owner's mutex and then takes mu_ (registering, reading
// Now()); MoveTo therefore releases mu_ before it takes an owner's mutex. Taking that mutex
// before notifying closes the gap between a waiter's "deadline not reached" and its
// cv.wait, so no wake-up is lost.
void FakeClock::MoveTo(TimePoint t) {
  std::vector<std::shared_ptr<Waiter>> due;
  {
    std::lock_guard lock(mu_);
    now_ = t;
    for (const auto& waiter : waiters_) {
      if (waiter->deadline <= now_) due.push_back(waiter);
    }
  }
  for (const auto& waiter : due) {
    std::lock_guard guard(waiter->guard);
    if (waiter->gone) continue;
    { std::lock_guard owner(*waiter->owner_mu); }
    waiter->cv->notify_all();
  }
}

bool FakeClock::WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Duration d,
                        const std::function<bool()>& wake) {
  if (wake()) return true;
  auto waiter = std::make_shared<Waiter>();
  waiter->owner_mu = lock.mutex();
  waiter->cv = &cv;
  {
    std::lock_guard clock_lock(mu_);
    const Duration room = std::chrono::duration_cast<Duration>(TimePoint::max() - now_);
    waiter->deadline = now_ + std::min(std::max(d, Duration{0}), room);
    waiter->number = ++waits_started_;
    waiters_.push_back(waiter);
  }
  parked_cv_.notify_all();
  while (!wake() && Now() < waiter->deadline) cv.wait(lock);
  {
    std::lock_guard clock_lock(mu_);
    std::erase(waiters_, waiter);
  }
  parked_cv_.notify_all();
  // A MoveTo that saw this waiter may still be about to notify `cv`: wait it out, without
  // the owner's mutex (MoveTo takes it).
  lock.unlock();
  {
    std::lock_guard guard(waiter->guard);
    waiter->gone = true;
  }
  lock.lock();
  return wake();
}

Duration FakeClock::TotalSlept() const {
  std::lock_guard lock(mu_);
  return slept_;
}

std::uint64_t FakeClock::WaitsStarted() const {
  std::lock_guard lock(mu_);
  return waits_started_;
}

std::size_t FakeClock::ParkedLocked(std::uint64_t since) const {
  return static_cast<std::size_t>(
      std::count_if(waiters_.begin(), waiters_.end(),
                    [&](const auto& w) { return w->number > since && w->deadline > now_; }));
}

bool FakeClock::AwaitWaiters(std::size_t n, std::uint64_t since,
                             std::chrono::milliseconds limit) const {
  std::unique_lock lock(mu_);
  return parked_cv_.wait_for(lock, limit, [&] { return ParkedLocked(since) >= n; });
}

}  // namespace certfleet
