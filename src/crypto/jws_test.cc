#include "crypto/jws.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "crypto/hash.h"
#include "crypto/jwk.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::crypto {
namespace {

constexpr KeyType kAllTypes[] = {KeyType::kEcP256, KeyType::kEcP384, KeyType::kRsa2048,
                                 KeyType::kRsa3072, KeyType::kRsa4096};

// RFC 7515 Appendix A.3 / A.1: the JWS Payload shared by the examples.
constexpr const char* kRfcPayloadB64 =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";

std::string B64(std::string_view text) { return Base64UrlDecode(text).value(); }

// The P-256 key of RFC 7515 Appendix A.3, built from its JWK members.
PrivateKey Rfc7515A3Key() {
  const std::string x = B64("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
  const std::string y = B64("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
  const std::string d = B64("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI");
  const std::string pub = "\x04" + x + y;
  BIGNUM* priv = BN_bin2bn(reinterpret_cast<const unsigned char*>(d.data()),
                           static_cast<int>(d.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(priv);
  return PrivateKey::Adopt(pkey).value();
}

nlohmann::json HeaderFor(const PrivateKey& key) {
  return {{"alg", JwsAlgorithm(key.type())},
          {"jwk", PublicJwk(key)},
          {"nonce", "n0nce"},
          {"url", "https://ca.test/acme/new-account"}};
}

TEST(JwsTest, AlgorithmNames) {
  EXPECT_EQ(JwsAlgorithm(KeyType::kEcP256), "ES256");
  EXPECT_EQ(JwsAlgorithm(KeyType::kEcP384), "ES384");
  EXPECT_EQ(JwsAlgorithm(KeyType::kRsa2048), "RS256");
  EXPECT_EQ(JwsAlgorithm(KeyType::kRsa4096), "RS256");
}

TEST(JwsTest, SignVerifyRoundTripForEveryKeyType) {
  for (KeyType type : kAllTypes) {
    const PrivateKey* key = &testing::CachedTestKey(type);
    auto jws = SignJws(*key, HeaderFor(*key), R"({"termsOfServiceAgreed":true})");
    ASSERT_TRUE(jws.has_value()) << KeyTypeName(type) << ": " << jws.error().message;
    auto payload = VerifyJws(*key, *jws);
    ASSERT_TRUE(payload.has_value()) << KeyTypeName(type) << ": " << payload.error().message;
    EXPECT_EQ(*payload, R"({"termsOfServiceAgreed":true})");
  }
}

TEST(JwsTest, EcSignaturesAreRawFixedSize) {
  for (auto [type, size] : {std::pair{KeyType::kEcP256, 64u}, std::pair{KeyType::kEcP384, 96u}}) {
    auto key = PrivateKey::Generate(type);
    ASSERT_TRUE(key.has_value());
    for (int i = 0; i < 20; ++i) {  // r or s below 2^(8(n-1)) must still be padded
      auto signature = SignRaw(*key, "data" + std::to_string(i));
      ASSERT_TRUE(signature.has_value());
      EXPECT_EQ(signature->size(), size) << KeyTypeName(type);
    }
  }
}

TEST(JwsTest, FlattenedShapeAndEncoding) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  const nlohmann::json header = HeaderFor(*key);
  auto jws = SignJws(*key, header, "{\"a\":1}");
  ASSERT_TRUE(jws.has_value());
  EXPECT_EQ(jws->size(), 3u) << "flattened JWS has exactly protected, payload, signature";
  EXPECT_EQ(nlohmann::json::parse(B64((*jws)["protected"].get<std::string>())), header);
  EXPECT_EQ((*jws)["payload"], Base64UrlEncode("{\"a\":1}"));
  const std::string signature = (*jws)["signature"].get<std::string>();
  EXPECT_EQ(signature.find('='), std::string::npos) << "base64url must be unpadded";
  EXPECT_EQ(B64(signature).size(), 64u);
}

TEST(JwsTest, PostAsGetHasEmptyPayload) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  nlohmann::json header = {{"alg", "ES256"},
                           {"kid", "https://ca.test/acct/1"},
                           {"nonce", "n"},
                           {"url", "https://ca.test/order/1"}};
  auto jws = SignJws(*key, header, "");
  ASSERT_TRUE(jws.has_value());
  EXPECT_EQ((*jws)["payload"], "");
  auto payload = VerifyJws(*key, *jws);
  ASSERT_TRUE(payload.has_value()) << payload.error().message;
  EXPECT_EQ(*payload, "");
}

TEST(JwsTest, HeaderWithWrongOrMissingAlgIsRejected) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  auto wrong = SignJws(*key, {{"alg", "RS256"}, {"nonce", "n"}}, "");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message.find("ES256"), std::string::npos) << wrong.error().message;
  EXPECT_FALSE(SignJws(*key, {{"nonce", "n"}}, "").has_value());
}

TEST(JwsTest, VerifyRejectsTamperingOtherKeysAndJunk) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  auto other = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value() && other.has_value());
  auto jws = SignJws(*key, HeaderFor(*key), "hello");
  ASSERT_TRUE(jws.has_value());
  EXPECT_FALSE(VerifyJws(*other, *jws).has_value()) << "verified with the wrong key";
  nlohmann::json tampered = *jws;
  tampered["payload"] = Base64UrlEncode("hellO");
  EXPECT_FALSE(VerifyJws(*key, tampered).has_value()) << "verified a changed payload";
  for (const nlohmann::json& junk :
       {nlohmann::json(nullptr), nlohmann::json::array(), nlohmann::json{{"protected", 1}},
        nlohmann::json{{"protected", "!!"}, {"payload", ""}, {"signature", ""}},
        nlohmann::json{
            {"protected", Base64UrlEncode("not json")}, {"payload", ""}, {"signature", ""}}}) {
    EXPECT_FALSE(VerifyJws(*key, junk).has_value()) << "accepted " << junk.dump();
  }
}

TEST(JwsTest, VerifiesRfc7515AppendixA3Signature) {
  const nlohmann::json jws = {
      {"protected", "eyJhbGciOiJFUzI1NiJ9"},
      {"payload", kRfcPayloadB64},
      {"signature",
       "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"}};
  auto payload = VerifyJws(Rfc7515A3Key(), jws);
  ASSERT_TRUE(payload.has_value()) << payload.error().message;
  EXPECT_EQ(*payload, B64(kRfcPayloadB64));
}

TEST(JwsTest, HmacMatchesRfc7515AppendixA1) {
  // A.1's protected header has its own whitespace, which a JSON value cannot carry, so
  // the vector is checked on the signing input; SignJwsHmac is then checked to build
  // exactly that input from its header and payload.
  const std::string mac_key =
      B64("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  const std::string input =
      std::string("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.") + kRfcPayloadB64;
  EXPECT_EQ(Base64UrlEncode(HmacSha256(mac_key, input)),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  const nlohmann::json header = {{"alg", "HS256"}, {"kid", "eab-kid"}, {"url", "https://ca/n"}};
  const nlohmann::json jws = SignJwsHmac(mac_key, header, "{\"k\":1}");
  const std::string protected_b64 = jws["protected"].get<std::string>();
  EXPECT_EQ(nlohmann::json::parse(B64(protected_b64)), header);
  EXPECT_EQ(jws["payload"], Base64UrlEncode("{\"k\":1}"));
  EXPECT_EQ(jws["signature"], Base64UrlEncode(HmacSha256(
                                  mac_key, protected_b64 + "." + Base64UrlEncode("{\"k\":1}"))));
}

}  // namespace
}  // namespace certfleet::crypto
