// IssuerAccount with the account in the store (AcmeAccountBook): several hubs
// on one database sign with one account; an upgraded hub keeps the account of
// its file.
#include <gtest/gtest.h>

#include <thread>

#include "crypto/hash.h"
#include "crypto/sealed_key.h"
#include "harness/temp_dir.h"
#include "issuance/issuer_account.h"
#include "issuance/issuer_account_fixture.h"
#include "store/testing/memory_store.h"

namespace certfleet::issuance {
namespace {

class IssuerAccountBookTest : public IssuerAccountFixture {
 protected:
  // A hub: its own data dir, the shared database.
  IssuerAccount Hub(const harness::TempDir& data_dir) {
    return IssuerAccount(Config(), envelope_, data_dir.path(), store_.get());
  }
  store::AcmeAccount Stored() {
    auto row = store_->GetAcmeAccount(kAccountCaDirectory);
    EXPECT_TRUE(row) << row.error().message;
    return row.value_or(store::AcmeAccount{});
  }

  harness::TempDir hub0_{"account0"};
  harness::TempDir hub1_{"account1"};
  std::unique_ptr<store::Store> store_ =
      store::testing::OpenMemoryStore(store::testing::NewMemoryDatabase(), &clock_);
};

TEST_F(IssuerAccountBookTest, TwoHubsOnOneDatabaseRegisterOnceAndSignWithOneAccount) {
  auto session = OpenSession();
  IssuerAccount first = Hub(hub0_);
  auto a = first.Signer(*session);
  ASSERT_TRUE(a) << a.error().message;
  IssuerAccount second = Hub(hub1_);
  auto b = second.Signer(*session);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(ca_.new_account_requests(), 1) << "the second hub registered an account of its own";
  EXPECT_EQ(b->kid, a->kid);
  EXPECT_EQ(b->kid, "https://ca.test/acct/1");
  EXPECT_EQ(b->key.PublicKeyPem(), a->key.PublicKeyPem());
  EXPECT_EQ(Stored().account_url, "https://ca.test/acct/1");
  EXPECT_EQ(Stored().issuer, "test-ca");
  EXPECT_FALSE(std::filesystem::exists(first.path())) << "no account file with a database";
}

TEST_F(IssuerAccountBookTest, TheStoredKeyIsSealedForItsDirectoryUnderTheMasterKey) {
  auto session = OpenSession();
  auto signer = Hub(hub0_).Signer(*session);
  ASSERT_TRUE(signer) << signer.error().message;
  const std::string sealed = Stored().sealed_key;
  EXPECT_EQ(sealed.find("PRIVATE KEY"), std::string::npos) << "the key is stored in clear";
  auto opened = crypto::OpenAccountKey(envelope_, sealed, kAccountCaDirectory);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->PublicKeyPem(), signer->key.PublicKeyPem());
}

TEST_F(IssuerAccountBookTest, AnUpgradedHubMovesItsFileAccountIntoTheDatabase) {
  auto session = OpenSession();
  std::string file_kid, file_key;
  {
    auto signer = IssuerAccount(Config(), envelope_, hub0_.path()).Signer(*session);  // before
    ASSERT_TRUE(signer) << signer.error().message;
    file_kid = signer->kid;
    file_key = signer->key.PublicKeyPem();
  }
  auto signer = Hub(hub0_).Signer(*session);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(signer->kid, file_kid) << "the upgraded hub registered a new account";
  EXPECT_EQ(signer->key.PublicKeyPem(), file_key);
  EXPECT_EQ(ca_.new_account_requests(), 1);
  EXPECT_EQ(Stored().account_url, file_kid);
  // A second hub, with no file, uses it too.
  auto other = Hub(hub1_).Signer(*session);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->kid, file_kid);
  EXPECT_EQ(ca_.new_account_requests(), 1);
}

TEST_F(IssuerAccountBookTest, AFileAccountOfAnotherDirectoryKeepsItsKeyButRegistersAgain) {
  auto session = OpenSession();
  IssuerConfig old_ca = Config();
  old_ca.directory_url = "https://old-ca.test/dir";
  {
    // The file says another directory; its URL is not valid at this CA.
    IssuerAccount before(old_ca, envelope_, hub0_.path());
    auto old_session = acme::Session::Open(ca_.transport(), clock_, kAccountCaDirectory);
    ASSERT_TRUE(old_session);
    ASSERT_TRUE(before.Signer(**old_session));
  }
  auto signer = Hub(hub0_).Signer(*session);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(ca_.new_account_requests(), 2) << "the other directory's URL was reused";
  EXPECT_EQ(Stored().account_url, signer->kid);
}

TEST_F(IssuerAccountBookTest, WhenTwoHubsHaveFileAccountsTheFirstStoredIsEveryonesAccount) {
  auto session = OpenSession();
  for (const harness::TempDir* dir : {&hub0_, &hub1_}) {
    ASSERT_TRUE(IssuerAccount(Config(), envelope_, dir->path()).Signer(*session));
  }
  auto a = Hub(hub0_).Signer(*session);
  auto b = Hub(hub1_).Signer(*session);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->kid, a->kid);
  EXPECT_EQ(b->key.PublicKeyPem(), a->key.PublicKeyPem());
}

TEST_F(IssuerAccountBookTest, HubsStartingTogetherAdoptOneKey) {
  constexpr std::size_t kHubs = 6;
  std::vector<std::unique_ptr<harness::TempDir>> dirs;
  std::vector<std::unique_ptr<IssuerAccount>> hubs;
  for (std::size_t i = 0; i < kHubs; ++i) {
    dirs.push_back(std::make_unique<harness::TempDir>("account-n"));
    hubs.push_back(
        std::make_unique<IssuerAccount>(Config(), envelope_, dirs.back()->path(), store_.get()));
  }
  std::vector<std::string> keys(kHubs);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kHubs; ++i) {
    threads.emplace_back([&, i] {
      auto session = OpenSession();
      auto signer = hubs[i]->Signer(*session);
      keys[i] = signer ? signer->key.PublicKeyPem() : signer.error().message;
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < kHubs; ++i) EXPECT_EQ(keys[i], keys[0]) << "hub " << i;
  auto list = store_->ListAcmeAccounts();
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
}

TEST_F(IssuerAccountBookTest, ARegistrationAfterInvalidateIsStoredForTheOtherHubs) {
  auto session = OpenSession();
  IssuerAccount hub = Hub(hub0_);
  auto first = hub.Signer(*session);
  ASSERT_TRUE(first);
  hub.Invalidate(first->kid);  // the CA forgot the account
  auto second = hub.Signer(*session);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->kid, "https://ca.test/acct/2");
  EXPECT_EQ(Stored().account_url, "https://ca.test/acct/2");
  auto other = Hub(hub1_).Signer(*session);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->kid, "https://ca.test/acct/2");
}

TEST_F(IssuerAccountBookTest, AnAccountSealedUnderAnotherMasterKeyIsRefusedClearly) {
  auto session = OpenSession();
  ASSERT_TRUE(Hub(hub0_).Signer(*session));
  const auto other_key = crypto::Envelope::Create(crypto::RandomBytes(32)).value();
  auto signer = IssuerAccount(Config(), other_key, hub1_.path(), store_.get()).Signer(*session);
  ASSERT_FALSE(signer);
  EXPECT_NE(signer.error().message.find("master key"), std::string::npos) << signer.error().message;
  EXPECT_NE(signer.error().message.find("test-ca"), std::string::npos) << signer.error().message;
}

}  // namespace
}  // namespace certfleet::issuance
