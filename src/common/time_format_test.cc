#include "common/time_format.h"

#include <gtest/gtest.h>

namespace certfleet {
namespace {

using std::chrono::seconds;

TEST(TimeFormat, FormatsUtcWithSecondsPrecision) {
  EXPECT_EQ(FormatRfc3339(TimePoint(seconds(0))), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(TimePoint(seconds(1'700'000'000))), "2023-11-14T22:13:20Z");
}

TEST(TimeFormat, ParsesZuluOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("2023-11-14T22:13:20Z"), TimePoint(seconds(1'700'000'000)));
  EXPECT_EQ(ParseRfc3339("2023-11-14T23:13:20+01:00"), TimePoint(seconds(1'700'000'000)));
  EXPECT_EQ(ParseRfc3339("2023-11-14T22:13:20.123456789Z"), TimePoint(seconds(1'700'000'000)));
  EXPECT_EQ(ParseRfc3339("2023-11-14t22:13:20z"), TimePoint(seconds(1'700'000'000)));
}

TEST(TimeFormat, RejectsMalformedTimestamps) {
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2023-11-14 22:13:20Z"));
  EXPECT_FALSE(ParseRfc3339("2023-13-14T22:13:20Z"));
  EXPECT_FALSE(ParseRfc3339("2023-02-30T22:13:20Z"));
  EXPECT_FALSE(ParseRfc3339("2023-11-14T22:13:20"));
  EXPECT_FALSE(ParseRfc3339("2023-11-14T22:13:20Zjunk"));
}

TEST(TimeFormat, RejectsYearsATimePointCannotHold) {
  // nanoseconds in 64 bits: 1677-09-21 .. 2262-04-11 (tests/fuzz acme_ari_fuzz found the overflow)
  EXPECT_FALSE(ParseRfc3339("2346-01-02T04:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(ParseRfc3339("0000-01-01T00:00:00Z"));
  EXPECT_TRUE(ParseRfc3339("2261-12-31T23:59:59Z"));
  EXPECT_TRUE(ParseRfc3339("1678-01-01T00:00:00Z"));
}

TEST(TimeFormat, CivilTimeUtcRefusesInvalidDatesAndYearsOutsideTheTimePoint) {
  EXPECT_EQ(CivilTimeUtc(2026, 12, 7, 7, 30, 0), ParseRfc3339("2026-12-07T07:30:00Z"));
  EXPECT_EQ(CivilTimeUtc(2016, 12, 31, 23, 59, 60), ParseRfc3339("2017-01-01T00:00:00Z"))
      << "a leap second is the next second";
  EXPECT_FALSE(CivilTimeUtc(9999, 12, 31, 23, 59, 59));
  EXPECT_FALSE(CivilTimeUtc(2262, 1, 1, 0, 0, 0));
  EXPECT_FALSE(CivilTimeUtc(1677, 12, 31, 23, 59, 59));
  EXPECT_FALSE(CivilTimeUtc(2026, 2, 29, 0, 0, 0));
  EXPECT_FALSE(CivilTimeUtc(2026, 13, 1, 0, 0, 0));
  EXPECT_FALSE(CivilTimeUtc(2026, 1, 1, 24, 0, 0));
  EXPECT_FALSE(CivilTimeUtc(2026, 1, 1, -1, 0, 0));
  EXPECT_FALSE(CivilTimeUtc(2026, 1, 1, 0, 60, 0));
  EXPECT_FALSE(CivilTimeUtc(2026, 1, 1, 0, 0, 61));
}

}  // namespace
}  // namespace certfleet
