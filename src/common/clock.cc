#include "common/clock.h"

#include <thread>

namespace certfleet {

TimePoint SystemClock::Now() const { return std::chrono::system_clock::now(); }

void SystemClock::SleepFor(Duration d) { std::this_thread::sleep_for(d); }

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

FakeClock::FakeClock(TimePoint start) : now_(start) {}

TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void FakeClock::SleepFor(Duration d) {
  std::lock_guard lock(mu_);
  now_ += d;
  slept_ += d;
}

void FakeClock::Advance(Duration d) {
  std::lock_guard lock(mu_);
  now_ += d;
}

void FakeClock::Set(TimePoint t) {
  std::lock_guard lock(mu_);
  now_ = t;
}

Duration FakeClock::TotalSlept() const {
  std::lock_guard lock(mu_);
  return slept_;
}

}  // namespace certfleet
