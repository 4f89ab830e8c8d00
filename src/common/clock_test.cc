#include "common/clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace certfleet {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// A thread that waits on the clock once, for `d`, unless `Wake()` comes first.
class OneWait {
 public:
  OneWait(Clock& clock, Duration d)
      : thread_([this, &clock, d] {
          std::unique_lock lock(mu_);
          woken_by_flag_ = clock.WaitFor(lock, cv_, d, [this] { return flag_; });
          done_ = true;
          done_cv_.notify_all();
        }) {}
  ~OneWait() {
    Wake();
    thread_.join();
  }
  OneWait(const OneWait&) = delete;
  OneWait& operator=(const OneWait&) = delete;

  void Wake() {
    {
      std::lock_guard lock(mu_);
      flag_ = true;
    }
    cv_.notify_all();
  }
  bool Done() {
    std::lock_guard lock(mu_);
    return done_;
  }
  // Whether the wait ends within `limit` of real time (a broken clock fails, not hangs).
  bool EndsWithin(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return done_cv_.wait_for(lock, limit, [this] { return done_; });
  }
  bool WokenByFlag() {
    std::lock_guard lock(mu_);
    return woken_by_flag_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  bool flag_ = false;
  bool done_ = false;
  bool woken_by_flag_ = false;
  std::thread thread_;
};

TEST(FakeClockTest, AWaitEndsWhenTheClockReachesItsDeadlineAndNotBefore) {
  FakeClock clock;
  OneWait wait(clock, minutes(10));
  ASSERT_TRUE(clock.AwaitWaiters(1)) << "the thread never waited on the clock";
  clock.Advance(minutes(9));
  EXPECT_TRUE(clock.AwaitWaiters(1)) << "9 of 10 minutes ended the wait";
  EXPECT_FALSE(wait.Done());
  clock.Advance(minutes(1));
  ASSERT_TRUE(wait.EndsWithin()) << "the clock reached the deadline but the wait went on";
  EXPECT_FALSE(wait.WokenByFlag()) << "it timed out; the flag was never set";
}

TEST(FakeClockTest, AWaitEndsEarlyWhenItsConditionIsNotified) {
  FakeClock clock;
  OneWait wait(clock, hours(1));
  ASSERT_TRUE(clock.AwaitWaiters(1));
  wait.Wake();
  ASSERT_TRUE(wait.EndsWithin()) << "a notification did not end the wait";
  EXPECT_TRUE(wait.WokenByFlag());
  EXPECT_EQ(clock.WaitsStarted(), 1u);
}

TEST(FakeClockTest, SetAndSleepForWakeWaitsTheyPass) {
  FakeClock clock;
  OneWait by_set(clock, minutes(5));
  OneWait by_sleep(clock, hours(2));
  ASSERT_TRUE(clock.AwaitWaiters(2));
  clock.Set(clock.Now() + minutes(5));
  ASSERT_TRUE(by_set.EndsWithin()) << "Set() past the deadline did not end the wait";
  EXPECT_TRUE(clock.AwaitWaiters(1)) << "the 2-hour wait ended after 5 minutes";
  clock.SleepFor(hours(2));
  ASSERT_TRUE(by_sleep.EndsWithin()) << "SleepFor() past the deadline did not end the wait";
  EXPECT_EQ(clock.TotalSlept(), hours(2));
}

TEST(FakeClockTest, AwaitWaitersCountsOnlyWaitsStartedAfterTheMark) {
  FakeClock clock;
  OneWait wait(clock, hours(1));
  ASSERT_TRUE(clock.AwaitWaiters(1));
  const std::uint64_t mark = clock.WaitsStarted();
  EXPECT_FALSE(clock.AwaitWaiters(1, mark, std::chrono::milliseconds(20)))
      << "the wait started before the mark was counted";
}

TEST(FakeClockTest, AZeroWaitReturnsAtOnceWithoutMovingTime) {
  FakeClock clock;
  const TimePoint start = clock.Now();
  std::mutex mu;
  std::condition_variable cv;
  std::unique_lock lock(mu);
  EXPECT_FALSE(clock.WaitFor(lock, cv, Duration{0}, [] { return false; }));
  EXPECT_TRUE(lock.owns_lock());
  EXPECT_EQ(clock.Now(), start);
}

TEST(SystemClockTest, WaitForTimesOutInRealTimeAndReturnsTheCondition) {
  std::mutex mu;
  std::condition_variable cv;
  std::unique_lock lock(mu);
  EXPECT_FALSE(SystemClock::Instance().WaitFor(lock, cv, Duration{1}, [] { return false; }));
  EXPECT_TRUE(SystemClock::Instance().WaitFor(lock, cv, hours(1), [] { return true; }));
}

}  // namespace
}  // namespace certfleet
