#include "crypto/public_key_info.h"

#include <gtest/gtest.h>

#include "crypto/testing/test_ca.h"

namespace certfleet::crypto {
namespace {

using testing::CachedTestKey;
using testing::TestCa;

Certificate LeafWith(KeyType type) {
  static const TestCa ca = TestCa::Create().value();
  return ca.Issue({.dns_names = {"k.example.test"}, .key = CachedTestKey(type)}).value().leaf;
}

TEST(PublicKeyTypeName, NamesTheKeyTypesCertfleetIssuesAsKeyTypeNameDoes) {
  EXPECT_EQ(PublicKeyTypeName(LeafWith(KeyType::kEcP256)), "ec-p256");
  EXPECT_EQ(PublicKeyTypeName(LeafWith(KeyType::kEcP384)), "ec-p384");
  EXPECT_EQ(PublicKeyTypeName(LeafWith(KeyType::kRsa2048)), "rsa-2048");
}

TEST(IssuerDistinguishedName, IsTheRfc2253FormOfTheIssuer) {
  const TestCa ca = TestCa::Create(0, "Adopt Test").value();
  const auto leaf = ca.Issue({.dns_names = {"i.example.test"}}).value().leaf;
  EXPECT_NE(IssuerDistinguishedName(leaf).find("CN=Adopt Test Root"), std::string::npos)
      << IssuerDistinguishedName(leaf);
}

}  // namespace
}  // namespace certfleet::crypto
