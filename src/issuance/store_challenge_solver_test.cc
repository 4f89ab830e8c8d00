#include "issuance/store_challenge_solver.h"

#include <gtest/gtest.h>

#include "issuance/one_domain_store_fixture.h"

namespace certfleet::issuance {
namespace {

constexpr const char* kToken = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";

class StoreChallengeSolverTest : public OneDomainStoreFixture {
 protected:
  StoreChallengeSolverTest() : OneDomainStoreFixture("solver", "tickets.example.com") {}

  acme::ChallengeTask Task(std::string type = "http-01") const {
    return {"tickets.example.com", std::move(type), kToken, std::string(kToken) + ".thumbprint",
            "https://ca.test/chall/1"};
  }
};

TEST_F(StoreChallengeSolverTest, PresentMakesTheKeyAuthorizationServable) {
  StoreChallengeSolver solver(*store_, clock_, domain_id_, std::nullopt);
  {
    auto presented = solver.Present(Task());
    ASSERT_TRUE(presented) << presented.error().message;
  }
  auto answer = store_->FindPendingChallenge(kToken, clock_.Now());
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(*answer, std::string(kToken) + ".thumbprint");
}

TEST_F(StoreChallengeSolverTest, CleanUpServesTheAnswerALittleLongerThenStops) {
  StoreChallengeSolver solver(*store_, clock_, domain_id_, std::nullopt);
  {
    auto presented = solver.Present(Task());
    ASSERT_TRUE(presented) << presented.error().message;
  }
  ASSERT_TRUE(solver.CleanUp(Task()));
  // A CA that validates again after deciding (Pebble, once per response) still
  // finds it.
  clock_.Advance(kServedAfterCleanUp - std::chrono::seconds(1));
  EXPECT_TRUE(store_->FindPendingChallenge(kToken, clock_.Now()))
      << "a late fetch of the CA must still be answered";
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_FALSE(store_->FindPendingChallenge(kToken, clock_.Now()))
      << "a cleaned-up challenge must stop being served, not wait for the "
         "hour-long ttl";
  ASSERT_TRUE(store_->DeleteExpiredChallenges(clock_.Now()));
}

TEST_F(StoreChallengeSolverTest, CleanUpAfterExpiryDoesNotServeItAgain) {
  StoreChallengeSolver solver(*store_, clock_, domain_id_, std::nullopt, std::chrono::minutes(5));
  {
    auto presented = solver.Present(Task());
    ASSERT_TRUE(presented) << presented.error().message;
  }
  clock_.Advance(std::chrono::minutes(6));
  ASSERT_TRUE(solver.CleanUp(Task()));
  EXPECT_FALSE(store_->FindPendingChallenge(kToken, clock_.Now()));
}

TEST_F(StoreChallengeSolverTest, PresentedAnswerExpiresAfterTheTtl) {
  StoreChallengeSolver solver(*store_, clock_, domain_id_, std::nullopt, std::chrono::minutes(5));
  {
    auto presented = solver.Present(Task());
    ASSERT_TRUE(presented) << presented.error().message;
  }
  clock_.Advance(std::chrono::minutes(6));
  EXPECT_FALSE(store_->FindPendingChallenge(kToken, clock_.Now()))
      << "a crashed worker's challenge must stop being served on its own";
}

TEST_F(StoreChallengeSolverTest, CleanUpOfANeverPresentedTaskSucceeds) {
  StoreChallengeSolver solver(*store_, clock_, domain_id_, std::nullopt);
  EXPECT_TRUE(solver.CleanUp(Task())) << "the ChallengeSolver contract requires tolerating this";
  EXPECT_FALSE(store_->FindPendingChallenge(kToken, clock_.Now())) << "cleaning up stores nothing";
}

TEST_F(StoreChallengeSolverTest, RefusesOtherChallengeTypes) {
  StoreChallengeSolver solver(*store_, clock_, domain_id_, std::nullopt);
  auto presented = solver.Present(Task("dns-01"));
  ASSERT_FALSE(presented);
  EXPECT_NE(presented.error().message.find("tickets.example.com"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::issuance
