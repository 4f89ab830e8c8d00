#include "crypto/key_der.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "crypto/der.h"
#include "crypto/pem.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::crypto {
namespace {

constexpr KeyType kAllTypes[] = {KeyType::kEcP256, KeyType::kEcP384, KeyType::kRsa2048,
                                 KeyType::kRsa3072, KeyType::kRsa4096};

// What OpenSSL's own PEM writer makes of `pkey`: the reference our encodings must match.
template <typename Write>
std::string OpensslPem(Write write) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(write(bio.get()), 1) << "test setup: OpenSSL could not write the PEM";
  return BioContents(bio.get());
}

std::string OpensslPkcs8Pem(EVP_PKEY* pkey) {
  return OpensslPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  });
}

std::string OpensslTraditionalPem(EVP_PKEY* pkey) {
  return OpensslPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey_traditional(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  });
}

TEST(KeyDerTest, SubjectPublicKeyInfoMatchesOpensslForEveryKeyType) {
  for (KeyType type : kAllTypes) {
    const PrivateKey& key = testing::CachedTestKey(type);
    auto spki = SubjectPublicKeyInfoDer(key);
    ASSERT_TRUE(spki.has_value()) << KeyTypeName(type) << ": " << spki.error().message;
    EXPECT_EQ(*spki, ToDerString(key.get(), i2d_PUBKEY)) << KeyTypeName(type);
  }
}

TEST(KeyDerTest, EcPrivateKeyInfoIsByteIdenticalToOpenssl) {
  for (KeyType type : {KeyType::kEcP256, KeyType::kEcP384}) {
    for (int i = 0; i < 8; ++i) {  // fresh keys: scalars with leading zero bytes get padded
      auto key = PrivateKey::Generate(type);
      ASSERT_TRUE(key.has_value());
      auto der = EcPrivateKeyInfoDer(*key);
      ASSERT_TRUE(der.has_value()) << der.error().message;
      EXPECT_EQ(key->ToPem(), OpensslPkcs8Pem(key->get())) << KeyTypeName(type);
    }
  }
}

TEST(KeyDerTest, EcPrivateKeyInfoRefusesRsaKeys) {
  auto der = EcPrivateKeyInfoDer(testing::CachedTestKey(KeyType::kRsa2048));
  ASSERT_FALSE(der.has_value());
  EXPECT_EQ(der.error().code, ErrorCode::kInvalidArgument);
}

TEST(KeyDerTest, DecodesPkcs8AndTraditionalPemOfEveryKeyType) {
  for (KeyType type : kAllTypes) {
    const PrivateKey& key = testing::CachedTestKey(type);
    for (const std::string& pem : {OpensslPkcs8Pem(key.get()), OpensslTraditionalPem(key.get())}) {
      EvpPkeyPtr decoded = DecodePrivateKeyPem(pem);
      ASSERT_TRUE(decoded) << KeyTypeName(type) << " not decoded:\n" << pem.substr(0, 40);
      EXPECT_EQ(EVP_PKEY_eq(decoded.get(), key.get()), 1) << KeyTypeName(type);
    }
  }
}

TEST(KeyDerTest, SkipsOtherBlocksBeforeTheKey) {
  const PrivateKey& key = testing::CachedTestKey(KeyType::kEcP256);
  const std::string pem =
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + OpensslPkcs8Pem(key.get());
  EvpPkeyPtr decoded = DecodePrivateKeyPem(pem);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(EVP_PKEY_eq(decoded.get(), key.get()), 1);
}

TEST(KeyDerTest, LeavesEncryptedForeignAndBrokenKeysToTheFullDecoder) {
  const PrivateKey& key = testing::CachedTestKey(KeyType::kEcP256);
  char pass[] = "secret";
  const std::string encrypted = OpensslPem([&](BIO* bio) {
    return PEM_write_bio_PKCS8PrivateKey(bio, key.get(), EVP_aes_256_cbc(), pass, 6, nullptr,
                                         nullptr);
  });
  EVP_PKEY* ed25519 = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(ed25519, nullptr);
  const std::string foreign = OpensslPkcs8Pem(ed25519);
  EVP_PKEY_free(ed25519);
  auto der = EcPrivateKeyInfoDer(key);
  ASSERT_TRUE(der.has_value());
  const std::string broken = EncodePem("PRIVATE KEY", der->substr(0, der->size() - 10));
  for (const std::string& pem : {encrypted, foreign, broken, std::string("garbage")}) {
    EXPECT_FALSE(DecodePrivateKeyPem(pem)) << "fast path accepted:\n" << pem;
    ClearOpensslErrors();
  }
}

// The fast path keeps one decoder per thread and key type: keys decoded one after another,
// with failures and other types between them, each come out as themselves and stay valid.
TEST(KeyDerTest, ReusedDecodersCarryNothingFromOneKeyToTheNext) {
  const PrivateKey& first = testing::CachedTestKey(KeyType::kEcP256);
  auto second = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(second);
  const PrivateKey& rsa = testing::CachedTestKey(KeyType::kRsa2048);
  auto der = EcPrivateKeyInfoDer(first);
  ASSERT_TRUE(der);
  const std::string broken = EncodePem("PRIVATE KEY", der->substr(0, der->size() - 10));
  const std::string trailing = EncodePem("PRIVATE KEY", *der + std::string("\x05\x00", 2));
  EvpPkeyPtr a = DecodePrivateKeyPem(OpensslPkcs8Pem(first.get()));
  EXPECT_FALSE(DecodePrivateKeyPem(broken));
  EXPECT_FALSE(DecodePrivateKeyPem(trailing)) << "bytes after the key are refused";
  EvpPkeyPtr r = DecodePrivateKeyPem(OpensslPkcs8Pem(rsa.get()));
  EvpPkeyPtr b = DecodePrivateKeyPem(OpensslPkcs8Pem(second->get()));
  EvpPkeyPtr a_again = DecodePrivateKeyPem(OpensslTraditionalPem(first.get()));
  ASSERT_TRUE(a && r && b && a_again);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(EVP_PKEY_eq(a.get(), first.get()), 1) << "the first key changed when others followed";
  EXPECT_EQ(EVP_PKEY_eq(b.get(), second->get()), 1);
  EXPECT_EQ(EVP_PKEY_eq(r.get(), rsa.get()), 1);
  EXPECT_EQ(EVP_PKEY_eq(a_again.get(), first.get()), 1);
  EXPECT_NE(EVP_PKEY_eq(a.get(), b.get()), 1);
  ClearOpensslErrors();
}

TEST(DerTest, UnsignedIntegerIsMinimalAndPositive) {
  EXPECT_EQ(der::UnsignedInteger(""), std::string("\x02\x01\x00", 3));
  EXPECT_EQ(der::UnsignedInteger(std::string("\x00\x00\x01", 3)), std::string("\x02\x01\x01", 3));
  EXPECT_EQ(der::UnsignedInteger("\x80"), std::string("\x02\x02\x00\x80", 4));
  EXPECT_EQ(der::SmallInteger(0), std::string("\x02\x01\x00", 3));
}

TEST(DerTest, LongLengthsUseTheMinimalLongForm) {
  EXPECT_EQ(der::Tlv(der::kOctetString, std::string(127, 'x')).substr(0, 2), "\x04\x7f");
  EXPECT_EQ(der::Tlv(der::kOctetString, std::string(128, 'x')).substr(0, 3), "\x04\x81\x80");
  EXPECT_EQ(der::Tlv(der::kOctetString, std::string(256, 'x')).substr(0, 4),
            std::string("\x04\x82\x01\x00", 4));
}

TEST(DerTest, ObjectIsTheOidTlv) { EXPECT_EQ(der::Object(NID_commonName), "\x06\x03\x55\x04\x03"); }

}  // namespace
}  // namespace certfleet::crypto
