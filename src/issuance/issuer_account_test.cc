#include "issuance/issuer_account.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>

#include "crypto/hash.h"
#include "harness/temp_dir.h"
#include "net/testing/fake_transport.h"

namespace certfleet::issuance {
namespace {

// A CA that answers nonces and newAccount with account number `next_account`.
class AccountCa {
 public:
  AccountCa() {
    transport_.SetHandler([this](const net::HttpRequest& request) { return Handle(request); });
  }
  net::FakeTransport& transport() { return transport_; }
  int new_account_requests() const { return new_accounts_; }

 private:
  Result<net::HttpResponse> Handle(const net::HttpRequest& request) {
    net::HttpResponse response{200, {}, ""};
    response.headers.Add("Replay-Nonce", "nonce" + std::to_string(++nonces_));
    if (request.url.ends_with("/dir")) {
      response.body = R"({"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct",)"
                      R"("newOrder":"https://ca.test/order"})";
    } else if (request.url.ends_with("/acct")) {
      response.status = 201;
      response.headers.Add("Location", "https://ca.test/acct/" + std::to_string(++new_accounts_));
      response.body = R"({"status":"valid"})";
    }
    response.headers.Add("Content-Type", "application/json");
    return response;
  }

  net::FakeTransport transport_;
  std::atomic<int> nonces_ = 0;
  std::atomic<int> new_accounts_ = 0;
};

class IssuerAccountTest : public ::testing::Test {
 protected:
  std::unique_ptr<acme::Session> OpenSession() {
    auto session = acme::Session::Open(ca_.transport(), clock_, "https://ca.test/dir");
    EXPECT_TRUE(session) << session.error().message;
    return std::move(*session);
  }
  IssuerConfig Config() const {
    return {.name = "test-ca", .directory_url = "https://ca.test/dir"};
  }

  harness::TempDir dir_{"account"};
  FakeClock clock_;
  AccountCa ca_;
  crypto::Envelope envelope_ = crypto::Envelope::Create(crypto::RandomBytes(32)).value();
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
