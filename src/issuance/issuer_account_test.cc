#include "issuance/issuer_account.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crypto/hash.h"
#include "harness/temp_dir.h"
#include "issuance/issuer_account_fixture.h"

namespace certfleet::issuance {
namespace {

class IssuerAccountTest : public IssuerAccountFixture {
 protected:
  harness::TempDir dir_{"account"};
};

TEST_F(IssuerAccountTest, RegistersOnceAndKeepsTheSealedKeyInA0600File) {
  auto session = OpenSession();
  IssuerAccount account(Config(), envelope_, dir_.path());
  auto signer = account.Signer(*session);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(signer->kid, "https://ca.test/acct/1");
  ASSERT_TRUE(account.Signer(*session));
  EXPECT_EQ(ca_.new_account_requests(), 1) << "the account URL must be cached";
  struct stat st {};
  ASSERT_EQ(::stat(account.path().c_str(), &st), 0) << account.path();
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the account file holds a key: owner-only";
  const std::string file = harness::ReadFileOrEmpty(account.path());
  EXPECT_EQ(file.find("PRIVATE KEY"), std::string::npos)
      << "the key must be sealed, never plain PEM";
}

TEST_F(IssuerAccountTest, ARestartedHubReusesTheKeyAndUrlWithoutRegistering) {
  auto session = OpenSession();
  std::string first_jwk;
  {
    IssuerAccount account(Config(), envelope_, dir_.path());
    auto signer = account.Signer(*session);
    ASSERT_TRUE(signer) << signer.error().message;
    first_jwk = signer->key.PublicKeyPem();
  }
  IssuerAccount reopened(Config(), envelope_, dir_.path());
  auto signer = reopened.Signer(*session);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(signer->key.PublicKeyPem(), first_jwk) << "the account key is generated once";
  EXPECT_EQ(signer->kid, "https://ca.test/acct/1");
  EXPECT_EQ(ca_.new_account_requests(), 1);
}

TEST_F(IssuerAccountTest, InvalidateRegistersAgainWithTheSameKey) {
  auto session = OpenSession();
  IssuerAccount account(Config(), envelope_, dir_.path());
  auto first = account.Signer(*session);
  ASSERT_TRUE(first);
  account.Invalidate(first->kid);
  auto second = account.Signer(*session);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->kid, "https://ca.test/acct/2") << "accountDoesNotExist: register again";
  EXPECT_EQ(second->key.PublicKeyPem(), first->key.PublicKeyPem());
}

TEST_F(IssuerAccountTest, FileSealedUnderAnotherMasterKeyIsRefusedClearly) {
  auto session = OpenSession();
  ASSERT_TRUE(IssuerAccount(Config(), envelope_, dir_.path()).Signer(*session));
  const auto other = crypto::Envelope::Create(crypto::RandomBytes(32)).value();
  auto signer = IssuerAccount(Config(), other, dir_.path()).Signer(*session);
  ASSERT_FALSE(signer);
  EXPECT_NE(signer.error().message.find("test-ca.account"), std::string::npos)
      << signer.error().message;
}

TEST(IssuerNameTest, RejectsNamesThatCouldEscapeTheDataDirectory) {
  EXPECT_TRUE(ValidateIssuerName("letsencrypt-staging_2"));
  EXPECT_FALSE(ValidateIssuerName("../etc"));
  EXPECT_FALSE(ValidateIssuerName("a/b"));
  EXPECT_FALSE(ValidateIssuerName(".hidden"));
  EXPECT_FALSE(ValidateIssuerName(""));
  EXPECT_FALSE(ValidateIssuerName("manual")) << "manual means uploaded certificates";
}

}  // namespace
}  // namespace certfleet::issuance
