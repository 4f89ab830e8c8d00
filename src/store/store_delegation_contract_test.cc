// Contract tests of the DelegationBook (DNS-01 labels, checks, delegated TXT records), for
// every Store implementation.
#include <gtest/gtest.h>

#include "store/events.h"
#include "store/store_contract_fixture.h"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class StoreDelegationContractTest : public contract::StoreContractTest {
 protected:
  DelegatedTxt Txt(const std::string& key, const std::string& label, const std::string& value,
                   Duration valid_for = 1h) {
    return DelegatedTxt{key, label, value, clock_.Now() + valid_for};
  }
  void Publish(const DelegatedTxt& record) {
    auto published = store_->PublishDelegatedTxt(record);
    ASSERT_TRUE(published) << published.error().message;
  }
  std::vector<std::string> Served(Store& store) {
    auto listed = store.ListDelegatedTxt(clock_.Now());
    EXPECT_TRUE(listed) << listed.error().message;
    std::vector<std::string> out;
    for (const DelegatedTxt& r : listed.value_or(std::vector<DelegatedTxt>{}))
      out.push_back(r.label + "=" + r.value);
    return out;
  }
};

TEST_P(StoreDelegationContractTest, TheFirstLabelOfANameStaysItsLabel) {
  auto first = store_->EnsureDelegation("shop.example.com", "aaaaaaaaaaaaaaaa");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->label, "aaaaaaaaaaaaaaaa");
  EXPECT_EQ(first->check_state, "");
  EXPECT_FALSE(first->checked_at);
  auto again = store_->EnsureDelegation("shop.example.com", "bbbbbbbbbbbbbbbb");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->label, "aaaaaaaaaaaaaaaa") << "a second call replaced the domain's label";
  Reopen();
  auto read = store_->GetDelegation("shop.example.com");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->label, "aaaaaaaaaaaaaaaa");
}

TEST_P(StoreDelegationContractTest, ALabelBelongsToOneNameOnly) {
  ASSERT_TRUE(store_->EnsureDelegation("a.example.com", "aaaaaaaaaaaaaaaa"));
  auto taken = store_->EnsureDelegation("b.example.com", "aaaaaaaaaaaaaaaa");
  ASSERT_FALSE(taken) << "two names got the same label";
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  auto fresh = store_->EnsureDelegation("b.example.com", "cccccccccccccccc");
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(fresh->label, "cccccccccccccccc");
}

TEST_P(StoreDelegationContractTest, ANameWithoutLabelIsNotFound) {
  auto missing = store_->GetDelegation("nope.example.com");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto check = store_->RecordDelegationCheck("nope.example.com", "ok", "", clock_.Now());
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->EnsureDelegation("", "aaaaaaaaaaaaaaaa").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(StoreDelegationContractTest, TheLastCheckIsKept) {
  ASSERT_TRUE(store_->EnsureDelegation("shop.example.com", "aaaaaaaaaaaaaaaa"));
  const std::string message =
      "delegation missing: create _acme-challenge.shop.example.com. CNAME …";
  ASSERT_TRUE(store_->RecordDelegationCheck("shop.example.com", "missing", message, clock_.Now()));
  auto read = store_->GetDelegation("shop.example.com");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->check_state, "missing");
  EXPECT_EQ(read->check_message, message);
  ASSERT_TRUE(read->checked_at);
  EXPECT_EQ(*read->checked_at, std::chrono::floor<std::chrono::milliseconds>(clock_.Now()));
}

TEST_P(StoreDelegationContractTest, TheChallengeChoiceIsKeptBesideTheLabel) {
  auto set = store_->SetChallengeChoice("shop.example.com", "dns-01", "aaaaaaaaaaaaaaaa");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->challenge, "dns-01");
  EXPECT_EQ(set->label, "aaaaaaaaaaaaaaaa") << "the first choice makes the label";
  ASSERT_TRUE(store_->SetChallengeChoice("shop.example.com", "", "bbbbbbbbbbbbbbbb"));
  auto read = store_->GetDelegation("shop.example.com");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->challenge, "");
  EXPECT_EQ(read->label, "aaaaaaaaaaaaaaaa") << "changing the choice changed the label";
}

TEST_P(StoreDelegationContractTest, TwoRecordsAtOneLabelAreBothServed) {
  Publish(Txt("tok-apex", "aaaaaaaaaaaaaaaa", "digest-apex"));
  Publish(Txt("tok-wild", "aaaaaaaaaaaaaaaa", "digest-wild"));
  Publish(Txt("tok-other", "bbbbbbbbbbbbbbbb", "digest-other"));
  EXPECT_EQ(Served(*store_), (std::vector<std::string>{"aaaaaaaaaaaaaaaa=digest-apex",
                                                       "aaaaaaaaaaaaaaaa=digest-wild",
                                                       "bbbbbbbbbbbbbbbb=digest-other"}));
}

TEST_P(StoreDelegationContractTest, PublishingAKeyAgainReplacesItsRecord) {
  Publish(Txt("tok", "aaaaaaaaaaaaaaaa", "old"));
  Publish(Txt("tok", "aaaaaaaaaaaaaaaa", "new"));
  EXPECT_EQ(Served(*store_), (std::vector<std::string>{"aaaaaaaaaaaaaaaa=new"}));
}

TEST_P(StoreDelegationContractTest, AWithdrawnRecordIsGoneAndUnknownKeysAreFine) {
  Publish(Txt("tok", "aaaaaaaaaaaaaaaa", "digest"));
  ASSERT_TRUE(store_->WithdrawDelegatedTxt("tok"));
  EXPECT_TRUE(Served(*store_).empty()) << "a withdrawn record was still listed";
  EXPECT_TRUE(store_->WithdrawDelegatedTxt("never-published"));
  EXPECT_EQ(store_->PublishDelegatedTxt(Txt("", "a", "b")).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(StoreDelegationContractTest, ExpiredRecordsAreNotServedAndAreDeleted) {
  Publish(Txt("short", "aaaaaaaaaaaaaaaa", "soon-gone", 10s));
  Publish(Txt("long", "aaaaaaaaaaaaaaaa", "stays", 1h));
  clock_.Advance(10s);
  EXPECT_EQ(Served(*store_), (std::vector<std::string>{"aaaaaaaaaaaaaaaa=stays"}))
      << "a record was listed at its expiry time";
  auto deleted = store_->DeleteExpiredDelegatedTxt(clock_.Now());
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(*deleted, 1);
}

// Several hubs on one database: a record published through one store is listed by the
// other (each hub's responder answers what any hub published).
TEST_P(StoreDelegationContractTest, AnotherStoreOnTheSameDatabaseSeesTheSameRecordsAndLabels) {
  auto other = GetParam().open(dir_.string(), &clock_);
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE((*other)->PublishDelegatedTxt(Txt("theirs", "aaaaaaaaaaaaaaaa", "digest")));
  EXPECT_EQ(Served(*store_), (std::vector<std::string>{"aaaaaaaaaaaaaaaa=digest"}));
  ASSERT_TRUE((*other)->EnsureDelegation("shop.example.com", "bbbbbbbbbbbbbbbb"));
  auto mine = store_->EnsureDelegation("shop.example.com", "cccccccccccccccc");
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_EQ(mine->label, "bbbbbbbbbbbbbbbb") << "two hubs gave one domain two labels";
}

// The notifier tells support when a domain starts or stops waiting for its delegation:
// the store appends domain.delegation when a check ends in another state, never per check.
TEST_P(StoreDelegationContractTest, ACheckAppendsAnEventOnlyWhenItsStateChanges) {
  ASSERT_TRUE(store_->EnsureDelegation("shop.example.com", "aaaaaaaaaaaaaaaa"));
  auto start = store_->MaxRevision();
  ASSERT_TRUE(start) << start.error().message;
  const TimePoint at = clock_.Now();
  ASSERT_TRUE(store_->RecordDelegationCheck("shop.example.com", "missing", "create it", at));
  ASSERT_TRUE(store_->RecordDelegationCheck("shop.example.com", "missing", "create it!", at));
  ASSERT_TRUE(store_->RecordDelegationCheck("shop.example.com", "ok", "", at));
  ASSERT_TRUE(store_->RecordDelegationCheck("shop.example.com", "ok", "", at));
  auto appended = store_->ListEventsSince(*start, 100);
  ASSERT_TRUE(appended) << appended.error().message;
  const auto first = events::DelegationCheckChanged("shop.example.com", "", "missing", "create it");
  const auto second = events::DelegationCheckChanged("shop.example.com", "missing", "ok", "");
  ASSERT_TRUE(first && second);
  ASSERT_EQ(appended->size(), 2u) << "one event per change of state, none per repeated check";
  for (std::size_t i = 0; i < 2; ++i) {
    const events::EventDraft& want = i == 0 ? *first : *second;
    EXPECT_EQ((*appended)[i].type, want.type);
    EXPECT_EQ((*appended)[i].subject, want.subject);
    EXPECT_EQ((*appended)[i].payload_json, want.payload_json);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreDelegationContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
