#include "hub/api/domain_fields.h"

#include <gtest/gtest.h>

namespace certfleet::hub::api {
namespace {

HubConfig Config() {
  HubConfig config;
  config.issuers.push_back({.name = "pebble", .directory_url = "https://localhost/dir"});
  config.issuers.push_back(
      {.name = "dns", .directory_url = "https://localhost/dir", .dns01 = true});
  return config;
}

std::string ErrorOf(DomainFields f) {
  auto r = ValidateDomainFields(Config(), std::move(f));
  return r ? "" : r.error().message;
}

TEST(DomainFields, NormalizesNamesAndFillsDefaults) {
  auto f = ValidateDomainFields(
      Config(), {.name = "Shop.Example.COM.",
                 .sans = {"www.shop.example.com", "shop.example.com", "WWW.shop.example.com"}});
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->name, "shop.example.com");
  EXPECT_EQ(f->sans, std::vector<std::string>{"www.shop.example.com"})
      << "duplicates and the primary name must be dropped from the SANs";
  EXPECT_EQ(f->issuer, "pebble") << "the first configured issuer is the default";
  EXPECT_EQ(f->key_type, "ec-p256");
}

TEST(DomainFields, DefaultIssuerWithoutConfiguredIssuersIsManual) {
  auto f = ValidateDomainFields(HubConfig{}, {.name = "a.example.com"});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->issuer, "manual");
}

TEST(DomainFields, PathLikeNamesAreRejected) {
  EXPECT_NE(ErrorOf({.name = "../x"}).find("field 'name': invalid domain name"), std::string::npos);
  EXPECT_NE(ErrorOf({.name = "a/b"}).find("path separator"), std::string::npos);
  EXPECT_NE(ErrorOf({.name = "a.example.com", .sans = {"ok.example.com", "x\\y.example.com"}})
                .find("field 'sans[1]'"),
            std::string::npos);
}

TEST(DomainFields, WildcardsNeedADns01Issuer) {
  EXPECT_NE(ErrorOf({.name = "*.example.com", .issuer = "pebble"}).find("DNS-01"),
            std::string::npos);
  EXPECT_EQ(ErrorOf({.name = "*.example.com", .issuer = "dns"}), "");
  EXPECT_EQ(ErrorOf({.name = "*.example.com", .issuer = "manual"}), "")
      << "an uploaded wildcard certificate needs no challenge";
}

TEST(DomainFields, UnknownIssuerListsTheConfiguredOnes) {
  EXPECT_EQ(ErrorOf({.name = "a.example.com", .issuer = "letsencrypt"}),
            "field 'issuer': unknown issuer \"letsencrypt\"; configured: manual, pebble, dns");
}

TEST(DomainFields, KeyTypeUsesTheCryptoNames) {
  auto f = ValidateDomainFields(Config(), {.name = "a.example.com", .key_type = "rsa-2048"});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->key_type, "rsa-2048");
  EXPECT_NE(ErrorOf({.name = "a.example.com", .key_type = "dsa"}).find("field 'key_type'"),
            std::string::npos);
}

TEST(DomainFields, ProfileCharacters) {
  EXPECT_EQ(ErrorOf({.name = "a.example.com", .profile = "shortlived"}), "");
  EXPECT_EQ(ErrorOf({.name = "a.example.com", .profile = "a b"}),
            "field 'profile': use at most 64 letters, digits, '.', '_' or '-'");
}

}  // namespace
}  // namespace certfleet::hub::api
