#include "acme/directory.h"

#include <gtest/gtest.h>

#include "net/testing/fake_transport.h"

namespace certfleet::acme {
namespace {

constexpr char kLetsEncryptLike[] = R"({
  "newNonce": "https://ca.test/acme/new-nonce",
  "newAccount": "https://ca.test/acme/new-acct",
  "newOrder": "https://ca.test/acme/new-order",
  "revokeCert": "https://ca.test/acme/revoke-cert",
  "keyChange": "https://ca.test/acme/key-change",
  "renewalInfo": "https://ca.test/acme/renewal-info",
  "meta": {
    "termsOfService": "https://ca.test/terms.pdf",
    "website": "https://ca.test",
    "caaIdentities": ["ca.test"],
    "externalAccountRequired": true,
    "profiles": {"classic": "The same profile as always", "shortlived": "Six days"}
  }
})";

TEST(DirectoryTest, ParsesEveryUrlAndMetaMember) {
  auto directory = ParseDirectory(kLetsEncryptLike);
  ASSERT_TRUE(directory) << directory.error().message;
  EXPECT_EQ(directory->new_nonce, "https://ca.test/acme/new-nonce");
  EXPECT_EQ(directory->new_account, "https://ca.test/acme/new-acct");
  EXPECT_EQ(directory->new_order, "https://ca.test/acme/new-order");
  EXPECT_EQ(directory->revoke_cert, "https://ca.test/acme/revoke-cert");
  EXPECT_EQ(directory->key_change, "https://ca.test/acme/key-change");
  EXPECT_EQ(directory->renewal_info, "https://ca.test/acme/renewal-info");
  EXPECT_EQ(directory->new_authz, "");
  EXPECT_EQ(directory->terms_of_service, "https://ca.test/terms.pdf");
  EXPECT_EQ(directory->caa_identities, std::vector<std::string>{"ca.test"});
  EXPECT_TRUE(directory->external_account_required);
  ASSERT_EQ(directory->profiles.size(), 2u);
  EXPECT_EQ(directory->profiles.at("shortlived"), "Six days");
}

TEST(DirectoryTest, MetaIsOptional) {
  auto directory = ParseDirectory(
      R"({"newNonce":"https://a/n","newAccount":"https://a/a","newOrder":"https://a/o"})");
  ASSERT_TRUE(directory) << directory.error().message;
  EXPECT_FALSE(directory->external_account_required);
  EXPECT_TRUE(directory->profiles.empty());
  EXPECT_EQ(directory->renewal_info, "") << "no renewalInfo means the CA has no ARI";
}

TEST(DirectoryTest, MissingRequiredUrlIsAProtocolErrorNamingIt) {
  auto directory = ParseDirectory(R"({"newNonce":"https://a/n","newAccount":"https://a/a"})");
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, ErrorCode::kProtocol);
  EXPECT_NE(directory.error().message.find("newOrder"), std::string::npos)
      << directory.error().message;
}

TEST(DirectoryTest, MalformedDocumentsGiveErrorsNotCrashes) {
  for (
      const char* body :
      {"", "not json", "[]", "42", "{\"newNonce\": 5}", "{\"newNonce\": null}",
       R"({"newNonce":"file:///etc/passwd","newAccount":"https://a","newOrder":"https://b"})",
       R"({"newNonce":"https://a/n","newAccount":"https://a/a","newOrder":"https://a/o","meta":[]})",
       R"({"newNonce":"https://a/n","newAccount":"https://a/a","newOrder":"https://a/o","meta":{"profiles":1}})",
       R"({"newNonce":"https://a/n","newAccount":"https://a/a","newOrder":"https://a/o","meta":{"caaIdentities":[1]}})"}) {
    auto directory = ParseDirectory(body);
    ASSERT_FALSE(directory) << "accepted: " << body;
    EXPECT_EQ(directory.error().code, ErrorCode::kProtocol) << body;
  }
}

TEST(DirectoryTest, DeeplyNestedJsonIsRejectedWithoutRecursingIntoIt) {
  std::string body = "{\"meta\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto directory = ParseDirectory(body);
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, ErrorCode::kProtocol);
}

TEST(DirectoryTest, FetchNamesTheUrlWhenTheServerIsNotAnAcmeDirectory) {
  net::FakeTransport transport;
  transport.EnqueueJson(404, "not found");
  auto directory = FetchDirectory(transport, "https://ca.test/wrong");
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message.find("https://ca.test/wrong"), std::string::npos)
      << directory.error().message;
  EXPECT_NE(directory.error().message.find("404"), std::string::npos) << directory.error().message;
}

}  // namespace
}  // namespace certfleet::acme
