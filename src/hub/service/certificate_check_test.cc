#include "hub/service/certificate_check.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "crypto/sealed_key.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::hub::service {
namespace {

using crypto::testing::TestCa;

class UploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = TestCa::Create();
    ASSERT_TRUE(ca) << ca.error().message;
    ca_.emplace(std::move(*ca));
    domain_.id = 5;
    domain_.name = "shop.example.com";
    domain_.sans = {"www.shop.example.com"};
    domain_.issuer = "manual";
  }

  crypto::testing::IssuedLeaf Issue(crypto::testing::LeafOptions options) {
    auto leaf = ca_->Issue(options);
    EXPECT_TRUE(leaf) << leaf.error().message;
    return std::move(*leaf);
  }

  std::string ErrorOf(const std::string& chain, const std::string& key) {
    auto r = ValidateUpload(domain_, chain, key, SystemClock::Instance().Now(), envelope_);
    return r ? "" : r.error().message;
  }

  std::optional<TestCa> ca_;
  store::Domain domain_;
  crypto::Envelope envelope_ = crypto::Envelope::Create(std::string(32, 'k')).value();
};

TEST_F(UploadTest, GoodUploadIsSealedAndDescribed) {
  auto leaf = Issue({.dns_names = {"shop.example.com", "www.shop.example.com"}});
  auto c = ValidateUpload(domain_, leaf.chain_pem, leaf.key_pem, SystemClock::Instance().Now(),
                          envelope_);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->sha256, leaf.leaf.Sha256Fingerprint());
  EXPECT_EQ(c->source, store::CertificateSource::kManual);
  EXPECT_EQ(c->domain_id, 5);
  EXPECT_EQ(c->encrypted_key.find("PRIVATE KEY"), std::string::npos) << "the key must be sealed";
  auto opened = envelope_.Open(c->encrypted_key,
                               crypto::CertificateKeyAssociatedData("shop.example.com", c->sha256));
  ASSERT_TRUE(opened) << "the agent API must be able to open the sealed key";
}

TEST_F(UploadTest, WildcardCoversOneLabel) {
  EXPECT_TRUE(NameCovers("*.example.com", "shop.example.com"));
  EXPECT_FALSE(NameCovers("*.example.com", "a.shop.example.com"));
  EXPECT_FALSE(NameCovers("*.example.com", "example.com"));
  domain_.sans.clear();
  domain_.name = "shop.example.com";
  auto leaf = Issue({.dns_names = {"*.example.com"}});
  EXPECT_EQ(ErrorOf(leaf.chain_pem, leaf.key_pem), "");
}

TEST_F(UploadTest, WrongKeyIsRefused) {
  auto leaf = Issue({.dns_names = {"shop.example.com", "www.shop.example.com"}});
  auto other = Issue({.dns_names = {"shop.example.com"}});
  EXPECT_NE(
      ErrorOf(leaf.chain_pem, other.key_pem).find("the private key does not match the certificate"),
      std::string::npos);
}

TEST_F(UploadTest, ExpiredIsRefused) {
  const TimePoint now = SystemClock::Instance().Now();
  auto leaf = Issue({.dns_names = {"shop.example.com", "www.shop.example.com"},
                     .not_before = now - std::chrono::hours(48),
                     .not_after = now - std::chrono::hours(24)});
  EXPECT_NE(ErrorOf(leaf.chain_pem, leaf.key_pem).find("the certificate expired at"),
            std::string::npos);
}

TEST_F(UploadTest, SanMismatchNamesTheMissingName) {
  auto leaf = Issue({.dns_names = {"shop.example.com"}});
  EXPECT_EQ(ErrorOf(leaf.chain_pem, leaf.key_pem),
            "the certificate does not cover www.shop.example.com (its names: shop.example.com)");
}

TEST_F(UploadTest, WrongOrderIsRefused) {
  auto ca = TestCa::Create(/*intermediates=*/2);
  ASSERT_TRUE(ca);
  auto leaf = ca->Issue({.dns_names = {"shop.example.com", "www.shop.example.com"}});
  ASSERT_TRUE(leaf);
  // Correct: leaf, intermediate 2, intermediate 1. Swapped intermediates must be refused.
  const std::string swapped =
      leaf->leaf_pem + ca->intermediates()[0].ToPem() + ca->intermediates()[1].ToPem();
  const std::string error = ErrorOf(swapped, leaf->key_pem);
  EXPECT_NE(error.find("certificate chain:"), std::string::npos) << error;
}

TEST_F(UploadTest, GarbageIsNamed) {
  auto leaf = Issue({.dns_names = {"shop.example.com", "www.shop.example.com"}});
  EXPECT_NE(ErrorOf("not pem", leaf.key_pem).find("certificate chain:"), std::string::npos);
  EXPECT_NE(ErrorOf(leaf.chain_pem, "not a key").find("private key:"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::hub::service
