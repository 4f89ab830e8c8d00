// Contract tests of the DNS-01 TXT records placed by RFC 2136 (ChallengeBoard:
// RecordPlacedTxt, ForgetPlacedTxt, ListPlacedTxtOfDomain, ListExpiredPlacedTxt), for every
// Store implementation. What a hub killed mid-order needs: a record remembered before the
// update is still listed after a restart, by its domain and, once expired, for everyone.
#include <gtest/gtest.h>

#include "store/store_contract_fixture.h"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class StorePlacedTxtContractTest : public contract::StoreContractTest {
 protected:
  PlacedTxt Placed(Id domain_id, const std::string& value, Duration valid_for = 1h) {
    return PlacedTxt{domain_id, "example.test", "_acme-challenge.shop.example.test", value,
                     clock_.Now() + valid_for};
  }
  void Record(const PlacedTxt& r) {
    auto recorded = store_->RecordPlacedTxt(r);
    ASSERT_TRUE(recorded) << recorded.error().message;
  }
  static std::vector<std::string> Values(const Result<std::vector<PlacedTxt>>& listed) {
    EXPECT_TRUE(listed) << listed.error().message;
    std::vector<std::string> out;
    for (const PlacedTxt& r : listed.value_or(std::vector<PlacedTxt>{})) out.push_back(r.value);
    return out;
  }
};

TEST_P(StorePlacedTxtContractTest, ARecordIsListedForItsDomainWithEveryFieldAfterAReopen) {
  Record(Placed(7, "apex-digest", 2h));
  Record(Placed(7, "wildcard-digest", 1h));
  Record(Placed(8, "other-domain"));
  Reopen();  // a hub killed after recording, before deleting
  auto listed = store_->ListPlacedTxtOfDomain(7);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  const PlacedTxt& first = (*listed)[0];  // by expiry
  EXPECT_EQ(first.domain_id, 7);
  EXPECT_EQ(first.zone, "example.test");
  EXPECT_EQ(first.name, "_acme-challenge.shop.example.test");
  EXPECT_EQ(first.value, "wildcard-digest");
  EXPECT_EQ(first.expires_at, clock_.Now() + 1h);
  EXPECT_EQ((*listed)[1].value, "apex-digest");
  EXPECT_TRUE(Values(store_->ListPlacedTxtOfDomain(9)).empty());
}

TEST_P(StorePlacedTxtContractTest, RecordingTheSameRecordAgainReplacesItsDomainAndExpiry) {
  Record(Placed(7, "digest", 10s));
  Record(Placed(8, "digest", 1h));  // the same (zone, name, value), presented again
  EXPECT_TRUE(Values(store_->ListPlacedTxtOfDomain(7)).empty());
  EXPECT_EQ(Values(store_->ListPlacedTxtOfDomain(8)), (std::vector<std::string>{"digest"}));
  clock_.Advance(10s);
  EXPECT_TRUE(Values(store_->ListExpiredPlacedTxt(clock_.Now(), 10)).empty())
      << "the first expiry survived recording the record again";
}

TEST_P(StorePlacedTxtContractTest, AForgottenRecordIsGoneAndUnknownOnesAreFine) {
  Record(Placed(7, "digest"));
  Record(Placed(7, "stays"));
  ASSERT_TRUE(
      store_->ForgetPlacedTxt("example.test", "_acme-challenge.shop.example.test", "digest"));
  EXPECT_EQ(Values(store_->ListPlacedTxtOfDomain(7)), (std::vector<std::string>{"stays"}));
  EXPECT_TRUE(store_->ForgetPlacedTxt("example.test", "_acme-challenge.x.example.test", "never"));
  EXPECT_EQ(store_->RecordPlacedTxt(Placed(7, "")).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StorePlacedTxtContractTest, ExpiredRecordsOfAnyDomainAreListedOldestFirstUpToTheLimit) {
  Domain gone = AddDomain("gone.example.test");
  Record(Placed(gone.id, "of-a-deleted-domain", 10s));
  Record(Placed(8, "older", 5s));
  Record(Placed(9, "not-yet", 1h));
  ASSERT_TRUE(store_->DeleteDomain(actor_, gone.id));
  clock_.Advance(10s);
  EXPECT_EQ(Values(store_->ListExpiredPlacedTxt(clock_.Now(), 10)),
            (std::vector<std::string>{"older", "of-a-deleted-domain"}))
      << "a record must outlive its domain until it is removed from the zone";
  EXPECT_EQ(Values(store_->ListExpiredPlacedTxt(clock_.Now(), 1)),
            (std::vector<std::string>{"older"}));
}

// Several hubs on one database: any hub removes what another placed.
TEST_P(StorePlacedTxtContractTest, AnotherStoreOnTheSameDatabaseSeesTheRecords) {
  auto other = GetParam().open(dir_.string(), &clock_);
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE((*other)->RecordPlacedTxt(Placed(7, "theirs", 0s)));
  EXPECT_EQ(Values(store_->ListExpiredPlacedTxt(clock_.Now(), 10)),
            (std::vector<std::string>{"theirs"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StorePlacedTxtContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
