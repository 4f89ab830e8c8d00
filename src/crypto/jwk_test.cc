#include "crypto/jwk.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::crypto {
namespace {

// RFC 7638 §3.1.
const char* const kRfc7638Jwk = R"({
  "kty": "RSA",
  "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
  "e": "AQAB",
  "alg": "RS256",
  "kid": "2011-04-29"
})";

TEST(JwkThumbprintTest, ReproducesRfc7638Example) {
  auto thumbprint = JwkThumbprint(nlohmann::json::parse(kRfc7638Jwk));
  ASSERT_TRUE(thumbprint.has_value()) << thumbprint.error().message;
  EXPECT_EQ(*thumbprint, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(JwkThumbprintTest, MissingMemberIsNamed) {
  auto jwk = nlohmann::json::parse(kRfc7638Jwk);
  jwk.erase("e");
  auto thumbprint = JwkThumbprint(jwk);
  ASSERT_FALSE(thumbprint.has_value());
  EXPECT_NE(thumbprint.error().message.find("\"e\""), std::string::npos)
      << thumbprint.error().message;
}

TEST(JwkThumbprintTest, RejectsUnsupportedKtyAndNonObjects) {
  EXPECT_FALSE(JwkThumbprint(nlohmann::json{{"kty", "OKP"}, {"crv", "Ed25519"}}).has_value());
  EXPECT_FALSE(JwkThumbprint(nlohmann::json::array()).has_value());
  EXPECT_FALSE(JwkThumbprint(nlohmann::json{{"kty", 5}}).has_value());
  EXPECT_FALSE(JwkThumbprint(nlohmann::json{{"kty", "RSA"}, {"e", 1}, {"n", "x"}}).has_value())
      << "a non-string member must be rejected";
}

TEST(PublicJwkTest, EcKeysHaveOnlyRequiredMembersAtFieldSize) {
  for (auto [type, crv, size] :
       {std::tuple{KeyType::kEcP256, "P-256", 32u}, std::tuple{KeyType::kEcP384, "P-384", 48u}}) {
    auto key = PrivateKey::Generate(type);
    ASSERT_TRUE(key.has_value());
    const nlohmann::json jwk = PublicJwk(*key);
    EXPECT_EQ(jwk.size(), 4u) << jwk.dump();
    EXPECT_EQ(jwk["kty"], "EC");
    EXPECT_EQ(jwk["crv"], crv);
    EXPECT_EQ(Base64UrlDecode(jwk["x"].get<std::string>())->size(), size);
    EXPECT_EQ(Base64UrlDecode(jwk["y"].get<std::string>())->size(), size);
  }
}

TEST(PublicJwkTest, RsaKeyHasMinimalModulusAndExponent) {
  const nlohmann::json jwk = PublicJwk(testing::CachedTestKey(KeyType::kRsa2048));
  EXPECT_EQ(jwk.size(), 3u) << jwk.dump();
  EXPECT_EQ(jwk["kty"], "RSA");
  EXPECT_EQ(jwk["e"], "AQAB");
  EXPECT_EQ(Base64UrlDecode(jwk["n"].get<std::string>())->size(), 256u);
}

TEST(PublicJwkTest, KeyThumbprintEqualsThumbprintOfItsJwk) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  auto from_json = JwkThumbprint(PublicJwk(*key));
  ASSERT_TRUE(from_json.has_value());
  EXPECT_EQ(JwkThumbprint(*key), *from_json);
  EXPECT_EQ(Base64UrlDecode(*from_json)->size(), 32u);
}

}  // namespace
}  // namespace certfleet::crypto
