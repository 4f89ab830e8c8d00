#include <gtest/gtest.h>

#include "crypto/testing/test_ca.h"
#include "crypto/x509.h"

namespace certfleet::crypto {
namespace {

using std::chrono::hours;
using testing::TestCa;

class ChainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_ = new TestCa(TestCa::Create(2).value());
    other_ca_ = new TestCa(TestCa::Create(0, "Other").value());
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete other_ca_;
  }
  static TestCa* ca_;
  static TestCa* other_ca_;
  const TimePoint now_ = std::chrono::system_clock::now();
};
TestCa* ChainTest::ca_ = nullptr;
TestCa* ChainTest::other_ca_ = nullptr;

TEST_F(ChainTest, ParsesThreeCertificateBundleInOrder) {
  auto leaf = ca_->Issue({.dns_names = {"chain.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  auto chain = ParsePemChain("leading text\n" + leaf->chain_pem + "trailing text\n");
  ASSERT_TRUE(chain.has_value()) << chain.error().message;
  ASSERT_EQ(chain->size(), 3u);
  EXPECT_EQ((*chain)[0].SubjectCommonName(), "chain.example.com");
  EXPECT_EQ((*chain)[1].SubjectCommonName(), "certfleet Test Intermediate 2");
  EXPECT_EQ((*chain)[2].SubjectCommonName(), "certfleet Test Intermediate 1");
  EXPECT_EQ(ToPemChain(*chain), leaf->chain_pem);
}

TEST_F(ChainTest, ACacheParsesEachIntermediateOnceAndNeverKeepsLeaves) {
  CertificateCache cache(2);
  auto first = ca_->Issue({.dns_names = {"one.example.com"}});
  auto second = ca_->Issue({.dns_names = {"two.example.com"}});
  ASSERT_TRUE(first && second);
  auto a = ParsePemChain(first->chain_pem, &cache);
  auto b = ParsePemChain(second->chain_pem, &cache);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(b->size(), 3u);
  EXPECT_EQ((*a)[1].get(), (*b)[1].get()) << "the same intermediate must come from the cache";
  EXPECT_EQ((*a)[2].get(), (*b)[2].get());
  EXPECT_NE((*a)[0].get(), (*b)[0].get());
  EXPECT_EQ((*b)[0].SubjectCommonName(), "two.example.com") << "a leaf is never taken from it";
  EXPECT_TRUE(CheckChainOrder(*b)) << "cached intermediates still verify the new leaf";

  // Capacity 2: a third certificate evicts the least recently used one.
  auto other = other_ca_->Issue({.dns_names = {"three.example.com"}});
  ASSERT_TRUE(other);
  auto c = ParsePemChain(first->leaf_pem + other->chain_pem, &cache);
  ASSERT_TRUE(c);
  auto d = ParsePemChain(first->chain_pem, &cache);
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)[1].SubjectCommonName(), "certfleet Test Intermediate 2");
  EXPECT_TRUE(CheckChainOrder(*d));

  const std::string bad_block = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  auto bad = ParsePemChain(first->leaf_pem + bad_block, &cache);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("PEM block 2"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(ParsePemChain(first->leaf_pem + bad_block, &cache)) << "a failure is not kept";
}

TEST_F(ChainTest, ParseErrorsNameTheFailingBlock) {
  auto leaf = ca_->Issue({.dns_names = {"chain.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  const std::string bad_block = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  auto bad = ParsePemChain(leaf->leaf_pem + bad_block);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("PEM block 2"), std::string::npos) << bad.error().message;

  auto key = ParsePemChain(leaf->leaf_pem + leaf->key_pem);
  ASSERT_FALSE(key.has_value());
  EXPECT_NE(key.error().message.find("PEM block 2 is a PRIVATE KEY"), std::string::npos)
      << key.error().message;

  auto unterminated = ParsePemChain("-----BEGIN CERTIFICATE-----\nAAAA\n");
  ASSERT_FALSE(unterminated.has_value());
  EXPECT_NE(unterminated.error().message.find("PEM block 1 (CERTIFICATE): no END line"),
            std::string::npos)
      << unterminated.error().message;

  for (const char* garbage : {"", "garbage", "-----BEGIN ", "-----BEGIN CERTIFICATE-----\n!!"}) {
    EXPECT_FALSE(ParsePemChain(garbage).has_value()) << "accepted: " << garbage;
  }
}

TEST_F(ChainTest, CheckChainOrderAcceptsServerOrderAndNamesSwappedLink) {
  auto leaf = ca_->Issue({.dns_names = {"order.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  EXPECT_TRUE(CheckChainOrder(leaf->chain).has_value());
  std::vector<Certificate> swapped = leaf->chain;
  std::swap(swapped[1], swapped[2]);
  auto status = CheckChainOrder(swapped);
  ASSERT_FALSE(status.has_value()) << "swapped intermediates accepted";
  EXPECT_NE(status.error().message.find("certificate 1 (CN=order.example.com)"), std::string::npos)
      << status.error().message;
  EXPECT_FALSE(CheckChainOrder({}).has_value());
}

TEST_F(ChainTest, VerifyChainAcceptsGoodChain) {
  auto leaf = ca_->Issue({.dns_names = {"ok.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  auto status = VerifyChain(leaf->chain, {ca_->root()}, now_);
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST_F(ChainTest, VerifyChainRejectsWrongRoot) {
  auto leaf = ca_->Issue({.dns_names = {"ok.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  auto status = VerifyChain(leaf->chain, {other_ca_->root()}, now_);
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("unable to get"), std::string::npos)
      << status.error().message;
}

TEST_F(ChainTest, VerifyChainRejectsExpiredLeafAndNamesDepth) {
  auto leaf = ca_->Issue({.dns_names = {"old.example.com"},
                          .not_before = now_ - hours(20),
                          .not_after = now_ - hours(10)});
  ASSERT_TRUE(leaf.has_value());
  auto status = VerifyChain(leaf->chain, {ca_->root()}, now_);
  ASSERT_FALSE(status.has_value()) << "expired leaf accepted";
  EXPECT_NE(status.error().message.find("depth 0 (CN=old.example.com): certificate has expired"),
            std::string::npos)
      << status.error().message;
  EXPECT_TRUE(VerifyChain(leaf->chain, {ca_->root()}, now_ - hours(15)).has_value())
      << "the same chain must verify at a time inside its validity";
}

TEST_F(ChainTest, VerifyChainRejectsMissingIntermediate) {
  auto leaf = ca_->Issue({.dns_names = {"gap.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  std::vector<Certificate> gap = {leaf->chain[0], leaf->chain[2]};
  EXPECT_FALSE(VerifyChain(gap, {ca_->root()}, now_).has_value());
}

TEST_F(ChainTest, TestCaWithoutIntermediatesSignsWithRoot) {
  auto leaf = other_ca_->Issue({.dns_names = {"direct.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  EXPECT_EQ(leaf->chain.size(), 1u);
  EXPECT_EQ(leaf->leaf.IssuerCommonName(), "Other Root");
  EXPECT_TRUE(VerifyChain(leaf->chain, {other_ca_->root()}, now_).has_value());
}

}  // namespace
}  // namespace certfleet::crypto
