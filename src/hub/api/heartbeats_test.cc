// Heartbeats: which desired-state calls write agent_last_seen (issue 16).
#include "hub/api/heartbeats.h"

#include <gtest/gtest.h>

namespace certfleet::hub::api {
namespace {

using std::chrono::seconds;

const TimePoint kT0 = TimePoint{} + std::chrono::hours(24 * 365 * 50);

TEST(HeartbeatsTest, TheFirstCallOfAMachineIsWritten) {
  Heartbeats beats;
  EXPECT_TRUE(beats.Due(1, kT0, "1.0"));
  EXPECT_TRUE(beats.Due(2, kT0, "1.0")) << "machines are counted apart";
}

TEST(HeartbeatsTest, CallsWithinTheIntervalAreNotWrittenAgain) {
  Heartbeats beats(seconds(60));
  ASSERT_TRUE(beats.Due(1, kT0, "1.0"));
  EXPECT_FALSE(beats.Due(1, kT0 + seconds(1), "1.0"));
  EXPECT_FALSE(beats.Due(1, kT0 + seconds(59), "1.0"));
}

TEST(HeartbeatsTest, ACallAnIntervalAfterTheLastWrittenOneIsWritten) {
  Heartbeats beats(seconds(60));
  ASSERT_TRUE(beats.Due(1, kT0, "1.0"));
  ASSERT_FALSE(beats.Due(1, kT0 + seconds(30), "1.0"));
  EXPECT_TRUE(beats.Due(1, kT0 + seconds(60), "1.0")) << "measured from the last write";
  EXPECT_FALSE(beats.Due(1, kT0 + seconds(61), "1.0"));
}

TEST(HeartbeatsTest, ANewAgentVersionIsWrittenAtOnce) {
  Heartbeats beats(seconds(60));
  ASSERT_TRUE(beats.Due(1, kT0, "1.0"));
  EXPECT_TRUE(beats.Due(1, kT0 + seconds(1), "1.1")) << "an upgrade shows without waiting";
}

TEST(HeartbeatsTest, AClockThatWentBackIsWritten) {
  Heartbeats beats(seconds(60));
  ASSERT_TRUE(beats.Due(1, kT0, "1.0"));
  EXPECT_TRUE(beats.Due(1, kT0 - seconds(5), "1.0"));
}

TEST(HeartbeatsTest, AForgottenMachineIsWrittenAgain) {
  Heartbeats beats(seconds(60));
  ASSERT_TRUE(beats.Due(1, kT0, "1.0"));
  beats.Forget(1);  // the write failed
  EXPECT_TRUE(beats.Due(1, kT0 + seconds(1), "1.0"));
}

}  // namespace
}  // namespace certfleet::hub::api
