#include "acme/session.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "acme/account.h"
#include "common/encoding.h"
#include "crypto/hash.h"
#include "crypto/jwk.h"
#include "net/testing/fake_transport.h"

namespace certfleet::acme {
namespace {

using std::chrono::seconds;

constexpr char kBadNonce[] = R"({"type":"urn:ietf:params:acme:error:badNonce","detail":"stale"})";
constexpr char kRateLimited[] =
    R"({"type":"urn:ietf:params:acme:error:rateLimited","detail":"slow down"})";

Directory TestDirectory() {
  Directory directory;
  directory.new_nonce = "https://ca.test/new-nonce";
  directory.new_account = "https://ca.test/new-account";
  directory.new_order = "https://ca.test/new-order";
  return directory;
}

net::HttpHeaders Nonce(std::string nonce, std::string retry_after = "") {
  net::HttpHeaders headers;
  headers.Add("Replay-Nonce", std::move(nonce));
  if (!retry_after.empty()) headers.Add("Retry-After", std::move(retry_after));
  return headers;
}

nlohmann::json ProtectedHeader(const net::HttpRequest& request) {
  auto jws = nlohmann::json::parse(request.body);
  return nlohmann::json::parse(*Base64UrlDecode(jws["protected"].get<std::string>()));
}

class SessionTest : public ::testing::Test {
 protected:
  SessionTest()
      : key_(*crypto::PrivateKey::Generate(crypto::KeyType::kEcP256)),
        session_(transport_, clock_, TestDirectory(), SessionOptions{}) {
    session_.nonces().Put("nonce0");
  }
  net::FakeTransport transport_;
  FakeClock clock_;
  crypto::PrivateKey key_;
  Session session_;
};

TEST_F(SessionTest, SignsWithKidAndUrlAndKeepsTheReplayNonce) {
  transport_.EnqueueJson(200, "{}", Nonce("nonce1"));
  auto response =
      session_.Post(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/order/1", "{}");
  ASSERT_TRUE(response) << response.error().message;
  auto header = ProtectedHeader(transport_.requests()[0]);
  EXPECT_EQ(header["kid"], "https://ca.test/acct/1");
  EXPECT_FALSE(header.contains("jwk")) << "kid and jwk are mutually exclusive (§6.2)";
  EXPECT_EQ(header["url"], "https://ca.test/order/1");
  EXPECT_EQ(header["nonce"], "nonce0");
  EXPECT_EQ(header["alg"], "ES256");
  EXPECT_EQ(transport_.requests()[0].headers.Get("Content-Type"), "application/jose+json");
  EXPECT_EQ(session_.nonces().size(), 1u) << "the response's Replay-Nonce must be kept";
}

TEST_F(SessionTest, SignsWithJwkWhenThereIsNoAccountYet) {
  transport_.EnqueueJson(201, "{}", Nonce("nonce1"));
  ASSERT_TRUE(session_.Post(Signer{key_, ""}, "https://ca.test/new-account", "{}"));
  auto header = ProtectedHeader(transport_.requests()[0]);
  EXPECT_EQ(header["jwk"], crypto::PublicJwk(key_));
  EXPECT_FALSE(header.contains("kid"));
}

TEST_F(SessionTest, PostAsGetHasAnEmptyPayload) {
  transport_.EnqueueJson(200, "{}", Nonce("nonce1"));
  ASSERT_TRUE(
      session_.PostAsGet(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/order/1"));
  auto jws = nlohmann::json::parse(transport_.requests()[0].body);
  EXPECT_EQ(jws["payload"], "");
}

TEST_F(SessionTest, BadNonceIsRetriedWithTheFreshNonce) {
  transport_.EnqueueJson(400, kBadNonce, Nonce("fresh"));
  transport_.EnqueueJson(200, R"({"ok":true})", Nonce("next"));
  auto response = session_.Post(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/x", "{}");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, R"({"ok":true})");
  ASSERT_EQ(transport_.request_count(), 2u);
  EXPECT_EQ(ProtectedHeader(transport_.requests()[1])["nonce"], "fresh")
      << "the retry must use the nonce from the badNonce response, not a HEAD";
  EXPECT_EQ(clock_.TotalSlept(), Duration(0)) << "badNonce is retried at once";
}

TEST_F(SessionTest, BadNonceRetriesAreBounded) {
  int counter = 0;
  transport_.SetHandler([&](const net::HttpRequest&) -> Result<net::HttpResponse> {
    return net::HttpResponse{400, Nonce("n" + std::to_string(++counter)), kBadNonce};
  });
  auto response = session_.Post(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/x", "{}");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("badNonce"), std::string::npos)
      << response.error().message;
  EXPECT_EQ(transport_.request_count(), 11u) << "one try plus max_bad_nonce_retries (10)";
}

TEST_F(SessionTest, RateLimitedWaitsTheRetryAfterThenSucceeds) {
  transport_.EnqueueJson(429, kRateLimited, Nonce("n1", "2"));
  transport_.EnqueueJson(200, "{}", Nonce("n2"));
  auto response = session_.Post(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/x", "{}");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(clock_.TotalSlept(), Duration(seconds(2)));
}

TEST_F(SessionTest, LongRateLimitFailsAtOnceSayingWhenToRetry) {
  transport_.EnqueueJson(429, kRateLimited, Nonce("n1", "3600"));
  auto response = session_.Post(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/x", "{}");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kRateLimited);
  EXPECT_NE(response.error().message.find("retry after 3600 s"), std::string::npos)
      << response.error().message;
  EXPECT_EQ(clock_.TotalSlept(), Duration(0))
      << "an hour-long Retry-After must not block the caller";
}

TEST_F(SessionTest, ServerErrorsAreRetriedAFewTimes) {
  transport_.SetHandler([](const net::HttpRequest&) -> Result<net::HttpResponse> {
    return net::HttpResponse{503, Nonce("n"), "overloaded"};
  });
  auto response = session_.Post(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/x", "{}");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(transport_.request_count(), 4u) << "one try plus max_retries_after_wait (3)";
  EXPECT_EQ(clock_.TotalSlept(), Duration(600));
}

TEST_F(SessionTest, OtherProblemsAreNotRetried) {
  transport_.EnqueueJson(403, R"({"type":"urn:ietf:params:acme:error:unauthorized","detail":"no"})",
                         Nonce("n"));
  auto response = session_.Post(Signer{key_, "https://ca.test/acct/1"}, "https://ca.test/x", "{}");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(response.error().message, "the CA said: unauthorized: no");
  EXPECT_EQ(transport_.request_count(), 1u);
}

TEST_F(SessionTest, ExternalAccountBindingIsAnHs256JwsOverTheAccountKey) {
  std::string mac_key = "a-secret-mac-key-of-32-bytes!!!!";
  auto eab = BuildExternalAccountBinding(key_, {"kid-1", Base64UrlEncode(mac_key)},
                                         "https://ca.test/new-account");
  ASSERT_TRUE(eab) << eab.error().message;
  auto header = nlohmann::json::parse(*Base64UrlDecode((*eab)["protected"].get<std::string>()));
  EXPECT_EQ(
      header,
      nlohmann::json({{"alg", "HS256"}, {"kid", "kid-1"}, {"url", "https://ca.test/new-account"}}));
  EXPECT_EQ(nlohmann::json::parse(*Base64UrlDecode((*eab)["payload"].get<std::string>())),
            crypto::PublicJwk(key_));
  std::string signing_input =
      (*eab)["protected"].get<std::string>() + "." + (*eab)["payload"].get<std::string>();
  EXPECT_EQ((*eab)["signature"], Base64UrlEncode(crypto::HmacSha256(mac_key, signing_input)));
}

TEST_F(SessionTest, ExternalAccountBindingRejectsABadMacKey) {
  auto eab =
      BuildExternalAccountBinding(key_, {"kid-1", "not base64!"}, "https://ca.test/new-account");
  ASSERT_FALSE(eab);
  EXPECT_EQ(eab.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace certfleet::acme
