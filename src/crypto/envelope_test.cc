#include "crypto/envelope.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"

namespace certfleet::crypto {
namespace {

class EnvelopeTest : public ::testing::Test {
 protected:
  Envelope envelope_ = Envelope::Create(RandomBytes(32)).value();
  const std::string secret_ = "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n";
  const std::string aad_ = "example.com/cert-42";
};

TEST_F(EnvelopeTest, SealThenOpenRoundTrips) {
  const std::string sealed = envelope_.Seal(secret_, aad_);
  EXPECT_EQ(sealed.rfind("cfv1", 0), 0u) << "sealed blob must start with the format tag";
  EXPECT_EQ(sealed.size(), 4 + 12 + secret_.size() + 16);
  auto opened = envelope_.Open(sealed, aad_);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(opened->str(), secret_);
}

TEST_F(EnvelopeTest, EmptyPlaintextAndAssociatedDataRoundTrip) {
  auto opened = envelope_.Open(envelope_.Seal("", ""), "");
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(opened->str(), "");
}

TEST_F(EnvelopeTest, TwoSealsDifferBecauseOfRandomNonce) {
  EXPECT_NE(envelope_.Seal(secret_, aad_), envelope_.Seal(secret_, aad_));
}

TEST_F(EnvelopeTest, WrongAssociatedDataIsCorrupt) {
  auto opened = envelope_.Open(envelope_.Seal(secret_, aad_), "other.example.com/cert-42");
  ASSERT_FALSE(opened.has_value()) << "a key moved to another row must not open";
  EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
}

TEST_F(EnvelopeTest, WrongMasterKeyIsCorrupt) {
  const Envelope other = Envelope::Create(RandomBytes(32)).value();
  auto opened = other.Open(envelope_.Seal(secret_, aad_), aad_);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
}

TEST_F(EnvelopeTest, EveryTamperedByteIsCorrupt) {
  const std::string sealed = envelope_.Seal(secret_, aad_);
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto opened = envelope_.Open(tampered, aad_);
    ASSERT_FALSE(opened.has_value()) << "flipping byte " << i << " went unnoticed";
    EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt) << "byte " << i;
  }
}

TEST_F(EnvelopeTest, TruncatedIsCorrupt) {
  const std::string sealed = envelope_.Seal(secret_, aad_);
  for (size_t size : {size_t{0}, size_t{3}, size_t{4 + 12 + 15}, sealed.size() - 1}) {
    auto opened = envelope_.Open(sealed.substr(0, size), aad_);
    ASSERT_FALSE(opened.has_value()) << "truncated to " << size << " bytes was accepted";
    EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt) << size;
  }
}

TEST(EnvelopeCreateTest, RejectsKeysThatAreNot32Bytes) {
  EXPECT_FALSE(Envelope::Create("").has_value());
  EXPECT_FALSE(Envelope::Create(std::string(31, 'k')).has_value());
  EXPECT_FALSE(Envelope::Create(std::string(33, 'k')).has_value());
}

TEST_F(EnvelopeTest, DerivedKeysDependOnTheMasterKeyAndThePurposeOnly) {
  const std::string master = RandomBytes(32);
  const Envelope a = Envelope::Create(master).value();
  const Envelope b = Envelope::Create(master).value();
  EXPECT_EQ(a.DeriveKey("ui sign-in form").size(), 32u);
  EXPECT_EQ(a.DeriveKey("ui sign-in form"), b.DeriveKey("ui sign-in form"))
      << "two hubs with one master key must derive the same key";
  EXPECT_NE(a.DeriveKey("ui sign-in form"), a.DeriveKey("something else"));
  EXPECT_NE(a.DeriveKey("ui sign-in form"), envelope_.DeriveKey("ui sign-in form"));
  EXPECT_EQ(a.DeriveKey("x").find(master), std::string::npos);
}

}  // namespace
}  // namespace certfleet::crypto
