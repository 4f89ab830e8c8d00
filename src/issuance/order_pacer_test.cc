#include "issuance/order_pacer.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace certfleet::issuance {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TEST(OrderPacerTest, AllowsUpToTheLimitWithinTheWindow) {
  FakeClock clock;
  OrderPacer pacer(3, hours(3));
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(pacer.TryAcquire(clock.Now())) << "order " << i + 1 << " of 3 should be allowed";
    clock.Advance(minutes(1));
  }
}

TEST(OrderPacerTest, BeyondTheLimitReturnsWhenTheOldestOrderLeavesTheWindow) {
  FakeClock clock;
  const TimePoint first = clock.Now();
  OrderPacer pacer(2, hours(3));
  ASSERT_FALSE(pacer.TryAcquire(clock.Now()));
  clock.Advance(minutes(10));
  ASSERT_FALSE(pacer.TryAcquire(clock.Now()));
  clock.Advance(minutes(10));
  const auto later = pacer.TryAcquire(clock.Now());
  ASSERT_TRUE(later) << "the third order in the window must wait, not fail";
  EXPECT_EQ(*later, first + hours(3));
}

TEST(OrderPacerTest, AllowsAgainOnceTheWindowHasMoved) {
  FakeClock clock;
  OrderPacer pacer(1, hours(3));
  ASSERT_FALSE(pacer.TryAcquire(clock.Now()));
  const auto later = pacer.TryAcquire(clock.Now());
  ASSERT_TRUE(later);
  clock.Set(*later);
  EXPECT_FALSE(pacer.TryAcquire(clock.Now())) << "at the returned time the order must be allowed";
}

TEST(OrderPacerTest, RefusedAttemptsDoNotUseUpTheLimit) {
  FakeClock clock;
  OrderPacer pacer(1, hours(1));
  ASSERT_FALSE(pacer.TryAcquire(clock.Now()));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pacer.TryAcquire(clock.Now()));
  clock.Advance(hours(1));
  EXPECT_FALSE(pacer.TryAcquire(clock.Now()));
}

TEST(OrderPacerTest, ReleaseGivesTheSlotBack) {
  FakeClock clock;
  OrderPacer pacer(1, hours(1));
  ASSERT_FALSE(pacer.TryAcquire(clock.Now()));
  pacer.Release(clock.Now());
  EXPECT_FALSE(pacer.TryAcquire(clock.Now())) << "a released slot must be usable again";
}

TEST(OrderPacerTest, NextSlotTellsWhatTryAcquireWouldWithoutTakingTheSlot) {
  FakeClock clock;
  const TimePoint first = clock.Now();
  OrderPacer pacer(1, hours(3));
  EXPECT_FALSE(pacer.NextSlot(clock.Now())) << "an empty window has a slot";
  EXPECT_FALSE(pacer.NextSlot(clock.Now())) << "looking twice must not have taken it";
  ASSERT_FALSE(pacer.TryAcquire(clock.Now()));
  clock.Advance(minutes(5));
  EXPECT_EQ(pacer.NextSlot(clock.Now()), first + hours(3));
  EXPECT_EQ(pacer.TryAcquire(clock.Now()), first + hours(3));
}

TEST(OrderPacerTest, ZeroLimitDisablesPacing) {
  FakeClock clock;
  OrderPacer pacer(0, hours(1));
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(pacer.TryAcquire(clock.Now()));
}

}  // namespace
}  // namespace certfleet::issuance
