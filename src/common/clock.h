// Clock: the only source of "now" and of waiting in certfleet.
//
// Decisions (renewal time, retry delay, polling) take a Clock so tests can drive
// time by hand with FakeClock. Implementations must be safe for concurrent use.
#pragma once

#include <chrono>
#include <mutex>

namespace certfleet {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Blocks the calling thread for `d` (FakeClock advances instead of blocking).
  virtual void SleepFor(Duration d) = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  void SleepFor(Duration d) override;
  // A process-wide instance, for wiring in main.cc.
  static SystemClock& Instance();
};

// Test clock: time stands still until Advance() or SleepFor() moves it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)));
  TimePoint Now() const override;
  void SleepFor(Duration d) override;  // advances time, records the total slept
  void Advance(Duration d);
  void Set(TimePoint t);
  Duration TotalSlept() const;

 private:
  mutable std::mutex mu_;
  TimePoint now_;
  Duration slept_{0};
};

}  // namespace certfleet
