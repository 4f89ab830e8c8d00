#include "hub/service/domain_fields.h"

#include <gtest/gtest.h>

namespace certfleet::hub::service {
namespace {

HubConfig Config() {
  HubConfig config;
  config.issuers.push_back({.name = "pebble", .directory_url = "https://localhost/dir"});
  config.issuers.push_back(
      {.name = "dns", .directory_url = "https://localhost/dir", .dns01 = true});
  // A catch-all DNS-01 zone, so issuer "dns" may take wildcards (issuance/challenge_plan.h).
  config.dns01.zones.push_back({.zone = "", .kind = solver::Dns01SolverKind::kDelegation});
  return config;
}

std::string ErrorOf(DomainFields f, const HubConfig& config = Config()) {
  auto r = ValidateDomainFields(config, std::move(f));
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

TEST(DomainFields, PathLikeNamesAreRejectedNamingTheField) {
  EXPECT_EQ(ErrorOf({.name = "../x"}).rfind("Domain name: invalid domain name", 0), 0u)
      << ErrorOf({.name = "../x"});
  EXPECT_NE(ErrorOf({.name = "a/b"}).find("path separator"), std::string::npos);
  const std::string san = ErrorOf({.name = "a.example.com", .sans = {"ok.example.com", "x\\y.b"}});
  EXPECT_EQ(san.rfind("Other names: ", 0), 0u) << san;
  EXPECT_NE(san.find("x\\y.b"), std::string::npos) << "the bad name is quoted: " << san;
}

TEST(DomainFields, TooManyOtherNamesSaysTheLimit) {
  DomainFields f{.name = "a.example.com"};
  for (int i = 0; i < 101; ++i) f.sans.push_back("n" + std::to_string(i) + ".example.com");
  EXPECT_EQ(ErrorOf(f), "Other names: at most 100 names fit on one certificate; you gave 101");
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
            "Issuer: \"letsencrypt\" is not configured on this hub; choose one of: manual, "
            "pebble, dns");
}

TEST(DomainFields, UnknownIssuerWithoutAnyAcmeIssuerSaysHowToAddOne) {
  const std::string e = ErrorOf({.name = "a.example.com", .issuer = "letsencrypt"}, HubConfig{});
  EXPECT_NE(e.find("no ACME issuer is configured on this hub"), std::string::npos) << e;
  EXPECT_NE(e.find("[[issuer]]"), std::string::npos) << e;
}

TEST(DomainFields, KeyTypeUsesTheCryptoNames) {
  auto f = ValidateDomainFields(Config(), {.name = "a.example.com", .key_type = "rsa-2048"});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->key_type, "rsa-2048");
  EXPECT_EQ(ErrorOf({.name = "a.example.com", .key_type = "dsa"}).rfind("Key type: ", 0), 0u);
  for (const auto& name : KeyTypeNames()) {
    EXPECT_EQ(ErrorOf({.name = "a.example.com", .key_type = name}), "") << name;
  }
}

TEST(DomainFields, ProfileCharacters) {
  EXPECT_EQ(ErrorOf({.name = "a.example.com", .profile = "shortlived"}), "");
  EXPECT_EQ(ErrorOf({.name = "a.example.com", .profile = "a b"}),
            "ACME profile: use at most 64 letters, digits, '.', '_' or '-'");
}

}  // namespace
}  // namespace certfleet::hub::service
