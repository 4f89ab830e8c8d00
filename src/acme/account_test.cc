#include "acme/account.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "acme/certificate.h"
#include "common/encoding.h"
#include "crypto/jwk.h"
#include "crypto/jws.h"
#include "net/testing/fake_transport.h"

namespace certfleet::acme {
namespace {

nlohmann::json Decode(const nlohmann::json& jws, const char* member) {
  return nlohmann::json::parse(*Base64UrlDecode(jws[member].get<std::string>()));
}

class AccountTest : public ::testing::Test {
 protected:
  AccountTest()
      : key_(*crypto::PrivateKey::Generate(crypto::KeyType::kEcP256)),
        session_(transport_, clock_, Dir(), {}) {
    session_.nonces().Put("n0");
  }
  static Directory Dir() {
    Directory directory;
    directory.new_nonce = "https://ca.test/new-nonce";
    directory.new_account = "https://ca.test/new-account";
    directory.new_order = "https://ca.test/new-order";
    directory.key_change = "https://ca.test/key-change";
    directory.revoke_cert = "https://ca.test/revoke";
    return directory;
  }
  net::HttpHeaders Headers(std::string location = "") {
    net::HttpHeaders headers;
    headers.Add("Replay-Nonce", "n" + std::to_string(++nonce_));
    if (!location.empty()) headers.Add("Location", std::move(location));
    return headers;
  }
  nlohmann::json SentJws(size_t i) {
    return nlohmann::json::parse(transport_.requests().at(i).body);
  }

  net::FakeTransport transport_;
  FakeClock clock_;
  crypto::PrivateKey key_;
  Session session_;
  int nonce_ = 0;
};

TEST_F(AccountTest, NewAccountAgreesToTermsAndTakesTheUrlFromLocation) {
  transport_.EnqueueJson(201, R"({"status":"valid","contact":["mailto:ops@example.com"]})",
                         Headers("https://ca.test/acct/7"));
  auto account = NewAccount(session_, key_, {{"mailto:ops@example.com"}, true, std::nullopt});
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_EQ(account->url, "https://ca.test/acct/7");
  EXPECT_EQ(account->status, "valid");
  auto payload = Decode(SentJws(0), "payload");
  EXPECT_EQ(payload["termsOfServiceAgreed"], true);
  EXPECT_EQ(payload["contact"], nlohmann::json::array({"mailto:ops@example.com"}));
  EXPECT_FALSE(payload.contains("externalAccountBinding"));
}

TEST_F(AccountTest, NewAccountWithoutLocationIsAProtocolError) {
  transport_.EnqueueJson(201, R"({"status":"valid"})", Headers());
  auto account = NewAccount(session_, key_, {});
  ASSERT_FALSE(account);
  EXPECT_EQ(account.error().code, ErrorCode::kProtocol);
}

TEST_F(AccountTest, FindAccountThatDoesNotExistIsNotFound) {
  transport_.EnqueueJson(
      400, R"({"type":"urn:ietf:params:acme:error:accountDoesNotExist","detail":"no"})", Headers());
  auto account = FindAccount(session_, key_);
  ASSERT_FALSE(account);
  EXPECT_EQ(account.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Decode(SentJws(0), "payload"), nlohmann::json({{"onlyReturnExisting", true}}));
}

TEST_F(AccountTest, KeyRolloverNestsAJwsSignedByTheNewKey) {
  auto new_key = *crypto::PrivateKey::Generate(crypto::KeyType::kEcP384);
  transport_.EnqueueJson(200, "{}", Headers());
  ASSERT_TRUE(RolloverAccountKey(session_, Signer{key_, "https://ca.test/acct/7"}, new_key));
  nlohmann::json outer = SentJws(0);
  EXPECT_EQ(Decode(outer, "protected")["kid"], "https://ca.test/acct/7")
      << "the outer JWS is signed by the old key";
  nlohmann::json inner = Decode(outer, "payload");
  auto inner_header = Decode(inner, "protected");
  EXPECT_EQ(inner_header["jwk"], crypto::PublicJwk(new_key));
  EXPECT_EQ(inner_header["url"], "https://ca.test/key-change");
  EXPECT_FALSE(inner_header.contains("nonce")) << "§7.3.5: the inner JWS has no nonce";
  auto verified = crypto::VerifyJws(new_key, inner);
  ASSERT_TRUE(verified) << verified.error().message;
  auto inner_payload = nlohmann::json::parse(*verified);
  EXPECT_EQ(inner_payload["account"], "https://ca.test/acct/7");
  EXPECT_EQ(inner_payload["oldKey"], crypto::PublicJwk(key_));
}

TEST_F(AccountTest, DeactivationPostsStatusDeactivatedToTheAccountUrl) {
  transport_.EnqueueJson(200, R"({"status":"deactivated"})", Headers());
  auto account = DeactivateAccount(session_, Signer{key_, "https://ca.test/acct/7"});
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_EQ(account->status, "deactivated");
  EXPECT_EQ(transport_.requests()[0].url, "https://ca.test/acct/7");
  EXPECT_EQ(Decode(SentJws(0), "payload"), nlohmann::json({{"status", "deactivated"}}));
}

TEST_F(AccountTest, RevocationByCertificateKeyCarriesJwkAndReason) {
  transport_.EnqueueJson(200, "", Headers());
  ASSERT_TRUE(
      RevokeCertificate(session_, Signer{key_, ""}, "DER-BYTES", RevocationReason::kKeyCompromise));
  nlohmann::json jws = SentJws(0);
  EXPECT_TRUE(Decode(jws, "protected").contains("jwk"));
  EXPECT_EQ(Decode(jws, "payload"),
            nlohmann::json({{"certificate", Base64UrlEncode("DER-BYTES")}, {"reason", 1}}));
}

TEST_F(AccountTest, AlreadyRevokedIsAlreadyExists) {
  transport_.EnqueueJson(
      400, R"({"type":"urn:ietf:params:acme:error:alreadyRevoked","detail":"done"})", Headers());
  auto status =
      RevokeCertificate(session_, Signer{key_, "https://ca.test/acct/7"}, "DER", std::nullopt);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kAlreadyExists);
}

TEST(AccountJsonTest, MalformedAccountsAreProtocolErrors) {
  for (const char* body :
       {"", "[]", R"({"status": 3})", R"({"status":"valid","contact":"mailto:x"})"}) {
    auto account = ParseAccount(body, "https://ca.test/acct/1");
    ASSERT_FALSE(account) << "accepted: " << body;
    EXPECT_EQ(account.error().code, ErrorCode::kProtocol) << body;
  }
}

}  // namespace
}  // namespace certfleet::acme
