#include "acme/authorization.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace certfleet::acme {
namespace {

constexpr char kAuthz[] = R"({
  "status": "invalid",
  "identifier": {"type": "dns", "value": "tickets.example.com"},
  "challenges": [
    {"type": "http-01", "url": "https://ca.test/chall/1", "status": "invalid",
     "token": "DGyRejmCefe7v4NfDGDKfA_abcdefgh",
     "error": {"type": "urn:ietf:params:acme:error:connection", "detail": "connection refused"}},
    {"type": "tls-alpn-01", "url": "https://ca.test/chall/2", "status": "pending"}
  ]})";

TEST(AuthorizationTest, ParsesChallengesAndTheirErrors) {
  auto authz = ParseAuthorization(kAuthz, "https://ca.test/authz/1");
  ASSERT_TRUE(authz) << authz.error().message;
  EXPECT_EQ(authz->identifier.value, "tickets.example.com");
  ASSERT_EQ(authz->challenges.size(), 2u);
  const Challenge* http = authz->FindChallenge("http-01");
  ASSERT_NE(http, nullptr);
  EXPECT_EQ(http->token, "DGyRejmCefe7v4NfDGDKfA_abcdefgh");
  ASSERT_NE(authz->FailedChallenge(), nullptr);
  EXPECT_EQ(authz->FailedChallenge()->error->detail, "connection refused");
  EXPECT_EQ(authz->FindChallenge("dns-01"), nullptr);
}

TEST(AuthorizationTest, RoundTripsThroughJson) {
  auto authz = ParseAuthorization(kAuthz, "https://ca.test/authz/1");
  ASSERT_TRUE(authz);
  nlohmann::json saved = AuthorizationToJson(*authz);
  auto restored = AuthorizationFromJson(saved, "https://ca.test/authz/1");
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(AuthorizationToJson(*restored), saved);
}

TEST(AuthorizationTest, MalformedAuthorizationsAreProtocolErrors) {
  for (
      const char* body :
      {"{}", R"({"status": "pending", "identifier": "x", "challenges": []})",
       R"({"status": "pending", "identifier": {"type": "dns", "value": "a"}})",
       R"({"status": "pending", "identifier": {"type": "dns", "value": "a"}, "challenges": [{"type": "http-01"}]})",
       R"({"status": "pending", "identifier": {"type": "dns", "value": "a"}, "wildcard": "yes", "challenges": []})",
       R"({"status": "pending", "identifier": {"type": "dns", "value": "a"},
            "challenges": [{"type": "http-01", "url": "javascript:x", "status": "pending"}]})"}) {
    auto authz = ParseAuthorization(body, "https://ca.test/authz/1");
    ASSERT_FALSE(authz) << "accepted: " << body;
    EXPECT_EQ(authz.error().code, ErrorCode::kProtocol) << body;
  }
}

TEST(ChallengeTest, KeyAuthorizationIsTokenDotThumbprint) {
  // RFC 8555 §8.1 / RFC 7638 §3.1's thumbprint.
  EXPECT_EQ(
      KeyAuthorization("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA",
                       "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"),
      "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(ChallengeTest, TokensMustBeLongBase64Url) {
  EXPECT_TRUE(IsValidChallengeToken("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"));
  EXPECT_FALSE(IsValidChallengeToken("short"));
  EXPECT_FALSE(IsValidChallengeToken("../../../../etc/passwd/aaaaaaaaaaaaaa"));
  EXPECT_FALSE(IsValidChallengeToken(std::string(300, 'a')));
}

}  // namespace
}  // namespace certfleet::acme
