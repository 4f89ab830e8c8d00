// Contract tests of the AcmeAccountBook (the hub's ACME account at each CA, shared by every
// hub on the database), for every Store implementation.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/store_contract_fixture.h"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

constexpr const char* kDir = "https://ca.example/directory";

AcmeAccount Account(const std::string& key, const std::string& url = "") {
  // Sealed keys are binary: a NUL byte and bytes that are not UTF-8 must survive.
  return AcmeAccount{kDir, "pebble", std::string("sealed\0\xff", 8) + key, url, {}, {}};
}

class StoreAcmeAccountContractTest : public contract::StoreContractTest {};

TEST_P(StoreAcmeAccountContractTest, NoAccountIsNotFound) {
  auto found = store_->GetAcmeAccount(kDir);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
  EXPECT_NE(found.error().message.find(kDir), std::string::npos) << found.error().message;
}

TEST_P(StoreAcmeAccountContractTest, AnAddedAccountIsKeptByteForByteAcrossARestart) {
  auto added = store_->AddAcmeAccount(Account("key-a", "https://ca.example/acct/1"));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->sealed_key, Account("key-a").sealed_key);
  EXPECT_EQ(added->created_at, clock_.Now());
  Reopen();  // a hub restart
  auto found = store_->GetAcmeAccount(kDir);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->directory_url, kDir);
  EXPECT_EQ(found->issuer, "pebble");
  EXPECT_EQ(found->sealed_key, Account("key-a").sealed_key);
  EXPECT_EQ(found->account_url, "https://ca.example/acct/1");
}

TEST_P(StoreAcmeAccountContractTest, TheFirstAccountStoredWinsAndEveryLaterAddReturnsIt) {
  ASSERT_TRUE(store_->AddAcmeAccount(Account("key-a")));
  auto second = store_->AddAcmeAccount(Account("key-b", "https://ca.example/acct/2"));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->sealed_key, Account("key-a").sealed_key) << "a later add replaced the key";
  EXPECT_EQ(second->account_url, "");
  auto list = store_->ListAcmeAccounts();
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->size(), 1u);
}

// Hubs starting together: several stores on one database add at once; every one of them
// gets the same row back, and only one row exists.
TEST_P(StoreAcmeAccountContractTest, ConcurrentAddsFromTwoStoresAllReturnOneAccount) {
  auto other = GetParam().open(dir_.string(), &clock_);
  ASSERT_TRUE(other) << other.error().message;
  std::vector<Store*> stores = {store_.get(), other->get()};
  constexpr std::size_t kThreads = 8;
  std::vector<std::string> got(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto added = stores[i % 2]->AddAcmeAccount(Account("key-" + std::to_string(i)));
      got[i] = added ? added->sealed_key : "error: " + added.error().message;
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < kThreads; ++i) EXPECT_EQ(got[i], got[0]) << "thread " << i;
  EXPECT_EQ(got[0].rfind(std::string("sealed\0\xff", 8), 0), 0u) << got[0];
  auto list = other->get()->ListAcmeAccounts();
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->size(), 1u);
}

TEST_P(StoreAcmeAccountContractTest, SetUrlRecordsTheRegistrationForEveryReader) {
  ASSERT_TRUE(store_->AddAcmeAccount(Account("key-a")));
  clock_.Advance(5s);
  auto set = store_->SetAcmeAccountUrl(kDir, "https://ca.example/acct/7");
  ASSERT_TRUE(set) << set.error().message;
  auto other = GetParam().open(dir_.string(), &clock_);
  ASSERT_TRUE(other) << other.error().message;
  auto found = (*other)->GetAcmeAccount(kDir);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->account_url, "https://ca.example/acct/7");
  EXPECT_EQ(found->sealed_key, Account("key-a").sealed_key);
  EXPECT_EQ(found->updated_at, clock_.Now());
  EXPECT_EQ(found->created_at, clock_.Now() - 5s);
}

TEST_P(StoreAcmeAccountContractTest, SetUrlWithoutAnAccountIsNotFound) {
  auto set = store_->SetAcmeAccountUrl(kDir, "https://ca.example/acct/7");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store_->GetAcmeAccount(kDir)) << "setting the URL created an account";
}

TEST_P(StoreAcmeAccountContractTest, AccountsAreKeptPerDirectoryUrlAndListedInOrder) {
  AcmeAccount b = Account("key-b");
  b.directory_url = "https://b.example/dir";
  AcmeAccount a = Account("key-a");
  a.directory_url = "https://a.example/dir";
  ASSERT_TRUE(store_->AddAcmeAccount(b));
  ASSERT_TRUE(store_->AddAcmeAccount(a));
  ASSERT_TRUE(store_->SetAcmeAccountUrl("https://a.example/dir", "https://a.example/acct/1"));
  auto list = store_->ListAcmeAccounts();
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].directory_url, "https://a.example/dir");
  EXPECT_EQ((*list)[0].account_url, "https://a.example/acct/1");
  EXPECT_EQ((*list)[1].directory_url, "https://b.example/dir");
  EXPECT_EQ((*list)[1].account_url, "") << "the URL of one CA's account changed another's";
}

TEST_P(StoreAcmeAccountContractTest, AnAccountWithoutDirectoryOrKeyIsRefused) {
  AcmeAccount no_dir = Account("k");
  no_dir.directory_url = "";
  AcmeAccount no_key = Account("k");
  no_key.sealed_key = "";
  AcmeAccount long_dir = Account("k");
  long_dir.directory_url = "https://ca.example/" + std::string(2048, 'a');
  for (const AcmeAccount& bad : {no_dir, no_key, long_dir}) {
    auto added = store_->AddAcmeAccount(bad);
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
  }
  auto list = store_->ListAcmeAccounts();
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_TRUE(list->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreAcmeAccountContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
