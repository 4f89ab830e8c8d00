#include "agent/bundle_check.h"

#include <gtest/gtest.h>

#include "agent/testing/agent_test_util.h"

namespace certfleet::agent {
namespace {

using testing::MakeCertificate;

class BundleCheckTest : public ::testing::Test {
 protected:
  crypto::testing::TestCa ca_ = crypto::testing::TestCa::Create().value();
  TimePoint now_ = std::chrono::system_clock::now();
};

TEST_F(BundleCheckTest, AcceptsAGoodBundleAndSplitsItIntoCertbotFiles) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  auto files = PrepareFiles(c.bundle, c.desired, now_);
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->cert, c.leaf.leaf_pem);
  EXPECT_EQ(files->fullchain, c.leaf.chain_pem);
  EXPECT_EQ(files->privkey, c.leaf.key_pem);
  EXPECT_FALSE(files->chain.empty()) << "the intermediate belongs in chain.pem";
  EXPECT_EQ(files->cert + files->chain, files->fullchain);
}

TEST_F(BundleCheckTest, RefusesAKeyThatDoesNotMatch) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  auto other = MakeCertificate(ca_, "shop.example.com", 2);
  c.bundle.key_pem = other.bundle.key_pem;
  auto files = PrepareFiles(c.bundle, c.desired, now_);
  ASSERT_FALSE(files) << "a wrong key must be refused";
  EXPECT_NE(files.error().message.find("private key does not match"), std::string::npos)
      << files.error().message;
}

TEST_F(BundleCheckTest, RefusesAChainOutOfOrder) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  c.bundle.chain_pem = c.leaf.leaf_pem + ca_.RootPem();
  auto files = PrepareFiles(c.bundle, c.desired, now_);
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().message.find("chain out of order"), std::string::npos)
      << files.error().message;
}

TEST_F(BundleCheckTest, RefusesAnExpiredCertificate) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  auto files = PrepareFiles(c.bundle, c.desired, now_ + std::chrono::hours(24 * 365));
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().message.find("expired"), std::string::npos) << files.error().message;
}

TEST_F(BundleCheckTest, RefusesACertificateThatDoesNotCoverTheDomain) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  c.desired.sans = {"www.shop.example.com"};
  auto files = PrepareFiles(c.bundle, c.desired, now_);
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().message.find("do not cover www.shop.example.com"), std::string::npos)
      << files.error().message;
}

TEST_F(BundleCheckTest, RefusesABundleOtherThanTheAnnouncedOne) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  auto other = MakeCertificate(ca_, "shop.example.com", 2);
  auto files = PrepareFiles(other.bundle, c.desired, now_);
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().message.find("announced sha256"), std::string::npos)
      << files.error().message;
}

TEST_F(BundleCheckTest, ErrorsNeverContainKeyMaterial) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  c.bundle.key_pem = "-----BEGIN PRIVATE KEY-----\nAAAASECRET\n-----END PRIVATE KEY-----\n";
  auto files = PrepareFiles(c.bundle, c.desired, now_);
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().message.find("SECRET"), std::string::npos) << files.error().message;
}

TEST(NameCoversTest, MatchesExactAndSingleLabelWildcards) {
  EXPECT_TRUE(NameCovers("a.example.com", "a.example.com"));
  EXPECT_TRUE(NameCovers("*.example.com", "a.example.com"));
  EXPECT_FALSE(NameCovers("*.example.com", "example.com"));
  EXPECT_FALSE(NameCovers("*.example.com", "a.b.example.com"));
  EXPECT_TRUE(NameCovers("*.example.com", "*.example.com"));
}

TEST_F(BundleCheckTest, CheckPemFilesDetectsAMismatchedPair) {
  auto a = MakeCertificate(ca_, "a.example.com", 1);
  auto b = MakeCertificate(ca_, "a.example.com", 2);
  EXPECT_TRUE(CheckPemFiles(a.files, a.desired.sha256));
  PemFiles mixed = a.files;
  mixed.privkey = b.files.privkey;
  EXPECT_FALSE(CheckPemFiles(mixed, a.desired.sha256)) << "new cert with old key must be caught";
  mixed = a.files;
  mixed.fullchain = b.files.fullchain;
  EXPECT_FALSE(CheckPemFiles(mixed, a.desired.sha256)) << "cert.pem and fullchain.pem must agree";
}

}  // namespace
}  // namespace certfleet::agent
