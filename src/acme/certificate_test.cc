#include "acme/certificate.h"

#include <gtest/gtest.h>

#include "crypto/testing/test_ca.h"

namespace certfleet::acme {
namespace {

TEST(CertificateTest, ChoosesTheChainWhoseTopIssuerMatches) {
  auto first = crypto::testing::TestCa::Create(1, "First").value();
  auto second = crypto::testing::TestCa::Create(2, "Second").value();
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256).value();
  auto a = first.Issue({.dns_names = {"a.test"}, .key = key}).value();
  auto b = second.Issue({.dns_names = {"a.test"}, .key = key}).value();
  std::vector<std::vector<crypto::Certificate>> chains = {a.chain, b.chain};
  EXPECT_EQ(TopIssuerCommonName(b.chain), "Second Root");
  EXPECT_EQ(ChoosePreferredChain(chains, "Second Root"), 1u);
  EXPECT_EQ(ChoosePreferredChain(chains, "first root"), 0u);
  EXPECT_EQ(ChoosePreferredChain(chains, "Nobody"), 0u) << "no match: the CA's default";
  EXPECT_EQ(ChoosePreferredChain(chains, ""), 0u);
}

}  // namespace
}  // namespace certfleet::acme
