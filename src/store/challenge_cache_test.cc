#include "store/challenge_cache.h"

#include <gtest/gtest.h>

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'700'000'000));

Challenge Pending(const std::string& token, Id domain_id = 1) {
  return Challenge{token, token + ".thumb", domain_id, std::nullopt, kNow + 1h, true};
}

TEST(ChallengeCache, WrittenChallengeIsAnsweredUntilErased) {
  ChallengeCache cache;
  cache.Put(Pending("tok"), kNow);
  EXPECT_EQ(cache.Find("tok", kNow).value_or(""), "tok.thumb");
  cache.Erase("tok");
  EXPECT_FALSE(cache.Find("tok", kNow)) << "an erased (finished) challenge was answered";
}

TEST(ChallengeCache, EntriesAreTrustedForOneSecondOnly) {
  ChallengeCache cache;
  cache.Put(Pending("tok"), kNow);
  EXPECT_TRUE(cache.Find("tok", kNow + 999ms));
  EXPECT_FALSE(cache.Find("tok", kNow + ChallengeCache::kTrust))
      << "the database must be asked again";
}

// The race the generation guards: a read that began before a finish must not re-insert.
TEST(ChallengeCache, ReadThatRacedAWriteDoesNotFill) {
  ChallengeCache cache;
  const std::uint64_t before_read = cache.Generation();
  cache.Erase("tok");  // FinishChallenge committed while the read was in flight
  cache.FillFromRead(Pending("tok"), kNow, before_read);
  EXPECT_FALSE(cache.Find("tok", kNow)) << "a stale read re-inserted a finished challenge";
  cache.FillFromRead(Pending("tok"), kNow, cache.Generation());
  EXPECT_TRUE(cache.Find("tok", kNow)) << "an undisturbed read should fill the cache";
}

TEST(ChallengeCache, NotPendingOrExpiredIsNeverAnswered) {
  ChallengeCache cache;
  Challenge done = Pending("done");
  done.pending = false;
  cache.Put(done, kNow);
  cache.FillFromRead(done, kNow, cache.Generation());
  EXPECT_FALSE(cache.Find("done", kNow));
  Challenge old = Pending("old");
  old.expires_at = kNow;
  cache.Put(old, kNow - 1s);
  EXPECT_FALSE(cache.Find("old", kNow)) << "answered at its expiry time";
}

TEST(ChallengeCache, EraseDomainDropsOnlyThatDomainsChallenges) {
  ChallengeCache cache;
  cache.Put(Pending("a", 1), kNow);
  cache.Put(Pending("b", 2), kNow);
  cache.EraseDomain(1);
  EXPECT_FALSE(cache.Find("a", kNow));
  EXPECT_TRUE(cache.Find("b", kNow));
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace certfleet::store
