// Contract tests of the HTTP-01 challenges (PutChallenge, FindPendingChallenge,
// FinishChallenge, DeleteExpiredChallenges), for every Store implementation.
//
// The responder may answer from memory; these tests pin down that no cached answer ever
// outlives the challenge being pending in the store.
#include <gtest/gtest.h>

#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class StoreChallengeContractTest : public contract::StoreContractTest {
 protected:
  Challenge Put(Id domain_id, const std::string& token, const std::string& key_authorization,
                Duration valid_for = 1h) {
    Challenge c{.token = token,
                .key_authorization = key_authorization,
                .domain_id = domain_id,
                .expires_at = clock_.Now() + valid_for};
    auto put = store_->PutChallenge(c);
    EXPECT_TRUE(put) << put.error().message;
    return c;
  }
  bool Served(const std::string& token) {
    return store_->FindPendingChallenge(token, clock_.Now()).has_value();
  }
};

TEST_P(StoreChallengeContractTest, CompletedChallengeIsNotFoundImmediately) {
  Domain d = AddDomain("shop.example.com");
  Put(d.id, "tok", "tok.thumb");
  for (int i = 0; i < 3; ++i) {  // answered repeatedly (a CA validates from several places)
    auto found = store_->FindPendingChallenge("tok", clock_.Now());
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(*found, "tok.thumb");
  }
  ASSERT_TRUE(store_->FinishChallenge("tok"));
  auto after = store_->FindPendingChallenge("tok", clock_.Now());
  ASSERT_FALSE(after) << "a completed challenge was still answered: " << *after;
  EXPECT_EQ(after.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreChallengeContractTest, ExpiredChallengeIsNotServedEvenIfNeverFinished) {
  Domain d = AddDomain("shop.example.com");
  Put(d.id, "tok", "tok.thumb", 10s);
  EXPECT_TRUE(Served("tok"));
  clock_.Advance(10s);
  EXPECT_FALSE(Served("tok")) << "a challenge was answered at its expiry time";
  ASSERT_EQ(store_->DeleteExpiredChallenges(clock_.Now() + 1s).value(), 1);
  EXPECT_FALSE(Served("tok"));
}

TEST_P(StoreChallengeContractTest, ReplacedChallengeAnswersTheNewKeyAuthorization) {
  Domain d = AddDomain("shop.example.com");
  Put(d.id, "tok", "tok.old");
  Put(d.id, "tok", "tok.new");
  EXPECT_EQ(store_->FindPendingChallenge("tok", clock_.Now()).value_or(""), "tok.new");
  Challenge done = Put(d.id, "tok", "tok.new");
  done.pending = false;
  ASSERT_TRUE(store_->PutChallenge(done));
  EXPECT_FALSE(Served("tok")) << "a challenge rewritten as not pending was still answered";
}

TEST_P(StoreChallengeContractTest, ChallengesOfADeletedDomainAreNotServed) {
  Domain d = AddDomain("gone.example.com");
  Domain other = AddDomain("stays.example.com");
  Put(d.id, "tok-gone", "tok-gone.thumb");
  Put(other.id, "tok-stays", "tok-stays.thumb");
  ASSERT_TRUE(store_->DeleteDomain(actor_, d.id));
  EXPECT_FALSE(Served("tok-gone")) << "the challenge of a deleted domain was answered";
  EXPECT_TRUE(Served("tok-stays")) << "deleting one domain dropped another's challenge";
}

// A hub killed mid-order and restarted must still answer the challenges it put before.
TEST_P(StoreChallengeContractTest, ChallengeWrittenBeforeAReopenIsServedAndFinishable) {
  Domain d = AddDomain("shop.example.com");
  Put(d.id, "tok", "tok.thumb");
  Reopen();
  EXPECT_EQ(store_->FindPendingChallenge("tok", clock_.Now()).value_or(""), "tok.thumb")
      << "a pending challenge from before the restart was not answered";
  ASSERT_TRUE(store_->FinishChallenge("tok"));
  EXPECT_FALSE(Served("tok"));
}

// Another process on the same database (a maintenance tool; with PostgreSQL, another hub
// replica) finishes a challenge: this store may answer from memory for at most a second.
TEST_P(StoreChallengeContractTest, ChallengeFinishedByAnotherStoreStopsBeingServedWithinASecond) {
  Domain d = AddDomain("shop.example.com");
  auto other = GetParam().open(dir_.string(), &clock_);
  ASSERT_TRUE(other) << other.error().message;
  Put(d.id, "mine", "mine.thumb");  // written through this store
  ASSERT_TRUE((*other)->PutChallenge(Challenge{.token = "theirs",
                                               .key_authorization = "theirs.thumb",
                                               .domain_id = d.id,
                                               .expires_at = clock_.Now() + 1h}));
  EXPECT_TRUE(Served("mine"));
  EXPECT_TRUE(Served("theirs")) << "a challenge written by another process was not answered";
  ASSERT_TRUE((*other)->FinishChallenge("mine"));
  ASSERT_TRUE((*other)->FinishChallenge("theirs"));
  clock_.Advance(1s);
  EXPECT_FALSE(Served("mine")) << "answered a second after another process finished it";
  EXPECT_FALSE(Served("theirs")) << "answered a second after another process finished it";
}

TEST_P(StoreChallengeContractTest, FinishingAnUnknownTokenIsNotFound) {
  auto finished = store_->FinishChallenge("nope");
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreChallengeContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
