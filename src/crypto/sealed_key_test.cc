// Sealed keys open only where they were sealed: same master key, same binding.
#include "crypto/sealed_key.h"

#include <gtest/gtest.h>

#include "crypto/testing/test_keys.h"

namespace certfleet::crypto {
namespace {

Envelope MakeEnvelope(char fill) { return *Envelope::Create(std::string(32, fill)); }

TEST(SealedKey, OrderKeyOpensUnderItsOwnOrderOnly) {
  const Envelope envelope = MakeEnvelope('k');
  const PrivateKey key = *PrivateKey::FromPem(testing::kTestKeyP256Pem);
  const std::string sealed = SealKey(envelope, key, OrderKeyAssociatedData("a.example", 7));
  auto opened = OpenKey(envelope, sealed, OrderKeyAssociatedData("a.example", 7));
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->ToPem(), key.ToPem());
  auto elsewhere = OpenKey(envelope, sealed, OrderKeyAssociatedData("a.example", 8));
  ASSERT_FALSE(elsewhere) << "a key sealed for order 7 opened for order 8";
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kCorrupt);
}

TEST(SealedKey, CertificateKeyNeedsTheSameMasterKeyAndFingerprint) {
  const Envelope envelope = MakeEnvelope('k');
  const std::string sealed = SealCertificateKey(envelope, "PEM", "a.example", "aa");
  auto opened = OpenCertificateKey(envelope, sealed, "a.example", "aa");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->str(), "PEM");
  EXPECT_FALSE(OpenCertificateKey(envelope, sealed, "a.example", "bb"))
      << "opened under another leaf fingerprint";
  EXPECT_FALSE(OpenCertificateKey(MakeEnvelope('x'), sealed, "a.example", "aa"))
      << "opened with another hub's master key";
}

TEST(SealedKey, AccountKeyOpensForItsDirectoryUrlAndMasterKeyOnly) {
  const Envelope envelope = MakeEnvelope('k');
  const PrivateKey key = *PrivateKey::FromPem(testing::kTestKeyP256Pem);
  const std::string sealed = SealAccountKey(envelope, key, "https://ca.example/dir");
  EXPECT_EQ(sealed.find("PRIVATE KEY"), std::string::npos) << "the key is stored in clear";
  auto opened = OpenAccountKey(envelope, sealed, "https://ca.example/dir");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->ToPem(), key.ToPem());
  auto other_ca = OpenAccountKey(envelope, sealed, "https://other.example/dir");
  ASSERT_FALSE(other_ca) << "an account key opened for another CA";
  EXPECT_EQ(other_ca.error().code, ErrorCode::kCorrupt);
  EXPECT_FALSE(OpenAccountKey(MakeEnvelope('x'), sealed, "https://ca.example/dir"))
      << "opened with another hub's master key";
}

TEST(SealedKey, NotBase64IsCorrupt) {
  auto opened = OpenKey(MakeEnvelope('k'), "***", OrderKeyAssociatedData("a.example", 1));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace certfleet::crypto
