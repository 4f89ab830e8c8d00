// Housekeeping deletes the HTTP-01 answers no order needs any more, at once on
// the first pass and then once a minute. (Its DNS-01 part, with a real BIND:
// txt_leftovers_test.cc.)
#include "issuance/housekeeping.h"

#include <gtest/gtest.h>

#include "issuance/one_domain_store_fixture.h"

namespace certfleet::issuance {
namespace {

using namespace std::chrono_literals;

class HousekeepingTest : public OneDomainStoreFixture {
 protected:
  HousekeepingTest() : OneDomainStoreFixture("housekeeping", "tickets.example.com") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OneDomainStoreFixture::SetUp());
    start_ = clock_.Now();
  }

  void Put(const std::string& token, Duration lifetime) {
    store::Challenge challenge{.token = token,
                               .key_authorization = token + ".thumbprint",
                               .domain_id = domain_id_,
                               .expires_at = clock_.Now() + lifetime};
    ASSERT_TRUE(store_->PutChallenge(challenge));
  }
  // Whether the row is still in the store: asked as of the start, when all were
  // pending.
  bool Kept(const std::string& token) {
    return store_->FindPendingChallenge(token, start_).has_value();
  }

  TimePoint start_{};
};

TEST_F(HousekeepingTest, ExpiredChallengesAreDeletedAtOnceThenEveryMinute) {
  Put("expires-at-10s", 10s);
  Put("expires-at-40s", 40s);
  Put("expires-at-5min", 5min);
  Housekeeping housekeeping(*store_, nullptr, clock_);
  clock_.Advance(20s);
  housekeeping.MaybeRun();  // the first pass runs at once: a restarted hub
                            // cleans up first
  EXPECT_FALSE(Kept("expires-at-10s")) << "an expired challenge row was left in the store";
  EXPECT_TRUE(Kept("expires-at-40s"));
  EXPECT_TRUE(Kept("expires-at-5min"));
  clock_.Advance(30s);
  housekeeping.MaybeRun();  // 30 s after the last pass: not yet
  EXPECT_TRUE(Kept("expires-at-40s"));
  clock_.Advance(30s);
  housekeeping.MaybeRun();
  EXPECT_FALSE(Kept("expires-at-40s"));
  EXPECT_TRUE(Kept("expires-at-5min")) << "a challenge an order may still need was deleted";
}

}  // namespace
}  // namespace certfleet::issuance
