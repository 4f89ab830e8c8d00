#include "dns/responder/rate_limiter.h"

#include <gtest/gtest.h>

#include "dns/server_address.h"

namespace certfleet::dns {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

sockaddr_storage From(const char* ip) {
  sockaddr_storage storage{};
  ToSockaddr(*ParseServerAddress(ip), &storage);
  return storage;
}

TEST(RateLimiterTest, AnswersUpToTheLimitThenSlipsEverySecondQuery) {
  ResponseRateLimiter limiter({.per_second = 10, .slip = 2});
  const auto now = Steady::now();
  int answered = 0, slipped = 0, dropped = 0;
  for (int i = 0; i < 110; ++i) {
    switch (limiter.Decide(From("198.51.100.7"), now)) {
      case RateDecision::kAnswer:
        ++answered;
        break;
      case RateDecision::kSlip:
        ++slipped;
        break;
      case RateDecision::kDrop:
        ++dropped;
        break;
    }
  }
  EXPECT_EQ(answered, 10);
  EXPECT_EQ(slipped, 50);
  EXPECT_EQ(dropped, 50);
}

TEST(RateLimiterTest, TheSameSlash24SharesOneBudgetOtherNetworksDoNot) {
  ResponseRateLimiter limiter({.per_second = 5, .slip = 0});
  const auto now = Steady::now();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(limiter.Decide(From("198.51.100.7"), now), RateDecision::kAnswer);
  EXPECT_EQ(limiter.Decide(From("198.51.100.200"), now), RateDecision::kDrop);
  EXPECT_EQ(limiter.Decide(From("203.0.113.1"), now), RateDecision::kAnswer);
}

TEST(RateLimiterTest, TheBudgetRefillsOverTime) {
  ResponseRateLimiter limiter({.per_second = 10, .slip = 0});
  const auto start = Steady::now();
  for (int i = 0; i < 10; ++i) limiter.Decide(From("192.0.2.1"), start);
  EXPECT_EQ(limiter.Decide(From("192.0.2.1"), start), RateDecision::kDrop);
  EXPECT_EQ(limiter.Decide(From("192.0.2.1"), start + milliseconds(150)), RateDecision::kAnswer);
}

TEST(RateLimiterTest, ZeroMeansNoLimit) {
  ResponseRateLimiter limiter({.per_second = 0});
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(limiter.Decide(From("192.0.2.1"), Steady::now()), RateDecision::kAnswer);
}

TEST(RateLimiterTest, ManySourcesDoNotGrowTheTableWithoutBound) {
  ResponseRateLimiter limiter({.per_second = 1, .slip = 0, .max_tracked = 100});
  const auto now = Steady::now();
  for (int i = 0; i < 1000; ++i) {
    const std::string ip = "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".1";
    EXPECT_EQ(limiter.Decide(From(ip.c_str()), now), RateDecision::kAnswer) << ip;
  }
}

}  // namespace
}  // namespace certfleet::dns
