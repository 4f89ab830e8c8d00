#include "crypto/key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace certfleet::crypto {
namespace {

constexpr KeyType kAllTypes[] = {KeyType::kEcP256, KeyType::kEcP384, KeyType::kRsa2048,
                                 KeyType::kRsa3072, KeyType::kRsa4096};

// PKCS#8 PEM of a key OpenSSL can make but certfleet does not support.
std::string ForeignKeyPem(const char* algorithm, const char* curve) {
  EVP_PKEY* pkey = curve != nullptr ? EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm, curve)
                                    : EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm);
  EXPECT_NE(pkey, nullptr) << "test setup: could not generate " << algorithm;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return pem;
}

TEST(KeyTypeTest, NamesRoundTrip) {
  for (KeyType type : kAllTypes) {
    auto parsed = ParseKeyType(KeyTypeName(type));
    ASSERT_TRUE(parsed.has_value()) << KeyTypeName(type);
    EXPECT_EQ(*parsed, type);
  }
}

TEST(KeyTypeTest, UnknownNameListsAcceptedNames) {
  auto parsed = ParseKeyType("ec-p521");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("ec-p256, ec-p384, rsa-2048"), std::string::npos)
      << parsed.error().message;
}

class GenerateTest : public ::testing::TestWithParam<KeyType> {};

TEST_P(GenerateTest, GeneratesTypeAndRoundTripsPem) {
  const KeyType type = GetParam();
  auto key = PrivateKey::Generate(type);
  ASSERT_TRUE(key.has_value()) << KeyTypeName(type) << ": " << key.error().message;
  EXPECT_EQ(key->type(), type);
  const std::string pem = key->ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << "expected PKCS#8 PEM";
  auto reloaded = PrivateKey::FromPem(pem);
  ASSERT_TRUE(reloaded.has_value()) << KeyTypeName(type) << ": " << reloaded.error().message;
  EXPECT_EQ(reloaded->type(), type);
  EXPECT_EQ(reloaded->PublicKeyPem(), key->PublicKeyPem()) << "reloaded key differs";
  EXPECT_EQ(key->PublicKeyPem().rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(EveryKeyType, GenerateTest, ::testing::ValuesIn(kAllTypes),
                         [](const ::testing::TestParamInfo<KeyType>& param_info) {
                           std::string name(KeyTypeName(param_info.param));
                           std::erase(name, '-');
                           return name;
                         });

TEST(PrivateKeyTest, AcceptsTraditionalEcPem) {
  // RFC 5915 "EC PRIVATE KEY", as openssl ecparam -genkey writes it.
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(
      PEM_write_bio_PrivateKey_traditional(bio, key->get(), nullptr, nullptr, 0, nullptr, nullptr),
      1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  ASSERT_NE(pem.find("BEGIN EC PRIVATE KEY"), std::string::npos);
  auto reloaded = PrivateKey::FromPem(pem);
  ASSERT_TRUE(reloaded.has_value()) << reloaded.error().message;
  EXPECT_EQ(reloaded->type(), KeyType::kEcP256);
}

TEST(PrivateKeyTest, GarbagePemIsAClearError) {
  for (const std::string garbage :
       {"", "hello", "-----BEGIN PRIVATE KEY-----\n!!!\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}) {
    auto key = PrivateKey::FromPem(garbage);
    ASSERT_FALSE(key.has_value()) << "accepted: " << garbage;
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(key.error().message.find("parsing the private key PEM"), std::string::npos)
        << key.error().message;
  }
}

TEST(PrivateKeyTest, UnsupportedCurveIsNamed) {
  auto key = PrivateKey::FromPem(ForeignKeyPem("EC", "P-521"));
  ASSERT_FALSE(key.has_value());
  EXPECT_NE(key.error().message.find("unsupported EC curve secp521r1"), std::string::npos)
      << key.error().message;
}

TEST(PrivateKeyTest, UnsupportedAlgorithmIsNamed) {
  auto key = PrivateKey::FromPem(ForeignKeyPem("ED25519", nullptr));
  ASSERT_FALSE(key.has_value());
  EXPECT_NE(key.error().message.find("unsupported key type ED25519"), std::string::npos)
      << key.error().message;
}

TEST(PrivateKeyTest, UnsupportedRsaSizeIsNamed) {
  EVP_PKEY* small = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024});
  ASSERT_NE(small, nullptr);
  auto key = PrivateKey::Adopt(small);  // takes the reference even on failure
  ASSERT_FALSE(key.has_value());
  EXPECT_NE(key.error().message.find("unsupported RSA key size 1024"), std::string::npos)
      << key.error().message;
}

TEST(PrivateKeyTest, EncryptedPemIsRejectedWithoutPrompting) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  BIO* bio = BIO_new(BIO_s_mem());
  char pass[] = "secret";
  ASSERT_EQ(
      PEM_write_bio_PKCS8PrivateKey(bio, key->get(), EVP_aes_256_cbc(), pass, 6, nullptr, nullptr),
      1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  EXPECT_FALSE(PrivateKey::FromPem(pem).has_value());
}

}  // namespace
}  // namespace certfleet::crypto
