// Clock: the only source of "now" and of waiting in certfleet.
//
// Decisions (renewal time, retry delay, polling) take a Clock so tests can drive
// time by hand with FakeClock. Threads that poll or back off wait through the clock too
// (WaitFor), so a test moves their time instead of sleeping real time
// (docs/design/2026-12-07-clock-with-timers.md). Implementations must be safe for
// concurrent use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace certfleet {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Monotonic time for intervals and deadlines: it never steps when the wall clock is set.
  virtual SteadyTime SteadyNow() const = 0;
  // Blocks the calling thread for `d` (FakeClock advances instead of blocking).
  virtual void SleepFor(Duration d) = 0;
  // An interruptible timed wait, like std::condition_variable::wait_for: `lock` (held on
  // entry and on return) guards what `wake` reads, and whoever changes that state
  // notifies `cv`. Returns when `wake()` holds or `d` of this clock's time has passed;
  // the result is `wake()`. The lock may be released while waiting (as cv.wait does), so
  // the caller re-reads its state after the call.
  virtual bool WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Duration d,
                       const std::function<bool()>& wake) = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  SteadyTime SteadyNow() const override;
  void SleepFor(Duration d) override;
  // cv.wait_for on the steady clock: a wall-clock step does not shorten or stretch a wait.
  bool WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Duration d,
               const std::function<bool()>& wake) override;
  // A process-wide instance, for wiring in main.cc.
  static SystemClock& Instance();
};

// Test clock: time stands still until Advance(), Set() or SleepFor() moves it. A thread
// in WaitFor sleeps (really) until its wake condition holds or the clock is moved past
// its deadline. A test that drives a polling thread advances the clock and then waits
// until the thread is parked again (AwaitWaiters), so every step is deterministic:
//   clock.Advance(poll);            // one poll period
//   ASSERT_TRUE(clock.AwaitWaiters(1));  // the thread polled and waits for the next one
// The simulation (tests/sim) uses the same clock single-threaded: it only Set()s it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)));
  ~FakeClock() override;
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  TimePoint Now() const override;
  // Moves with Now() (Now()'s time since the epoch, on the steady clock); Set() to an
  // earlier time moves it back, which a real steady clock never does.
  SteadyTime SteadyNow() const override;
  void SleepFor(Duration d) override;  // advances time, records the total slept
  bool WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Duration d,
               const std::function<bool()>& wake) override;
  // Move time and wake every WaitFor whose deadline they reached.
  void Advance(Duration d);
  void Set(TimePoint t);
  Duration TotalSlept() const;

  // The number of WaitFor calls so far: a mark for AwaitWaiters(n, mark) after a Wake()
  // that did not move the clock.
  std::uint64_t WaitsStarted() const;
  // Blocks (real time, at most `limit`) until at least `n` threads are in WaitFor with a
  // deadline still ahead, counting only waits started after `since` (WaitsStarted()).
  // False if that did not happen within `limit` (the thread is stuck or exited).
  bool AwaitWaiters(std::size_t n, std::uint64_t since = 0,
                    std::chrono::milliseconds limit = std::chrono::seconds(30)) const;

 private:
  struct Waiter;
  void MoveTo(TimePoint t);
  std::size_t ParkedLocked(std::uint64_t since) const;

  mutable std::mutex mu_;
  mutable std::condition_variable parked_cv_;  // a wait started or ended
  TimePoint now_;
  Duration slept_{0};
  std::uint64_t waits_started_ = 0;
  std::vector<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace certfleet
