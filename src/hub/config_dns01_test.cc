// The hub config's DNS-01 parts: the issuer's `challenges` and [dns01] (whose keys
// solver/dns01/dns01_config_test.cc covers in detail), with the TSIG secret from the
// environment and the whole config validated.
#include <gtest/gtest.h>

#include <map>

#include "hub/config.h"

namespace certfleet::hub {
namespace {

constexpr const char* kSecret = "CWhznMQZ8OicOBT/tqr90Y0jfOcnZByF/QYGX8LTOJ8=";

constexpr const char* kConfig = R"(
data_dir = "/srv/hub"
[[issuer]]
name = "le"
directory = "https://acme.example/dir"
challenges = ["dns-01", "http-01"]
[dns01]
resolver = "127.0.0.1:53"
[dns01.delegation]
zone = "acme.provider.test"
nameservers = ["hub1.provider.test"]
[[dns01.zone]]
zone = "."
solver = "delegation"
[[dns01.zone]]
zone = "hosted.test"
solver = "rfc2136"
server = "127.0.0.1:5353"
key_name = "acme-key"
)";

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

TEST(HubConfigDns01, ChallengesListSetsTypesAndPreference) {
  auto config = ParseHubConfig(kConfig, "hub.toml");
  ASSERT_TRUE(config) << config.error().message;
  const auto& issuer = config->issuers.at(0);
  EXPECT_TRUE(issuer.http01);
  EXPECT_TRUE(issuer.dns01);
  EXPECT_TRUE(issuer.prefer_dns01);
  EXPECT_EQ(config->dns01.zones.size(), 2u);
  ASSERT_TRUE(config->dns01.delegation);
}

TEST(HubConfigDns01, TheTsigSecretComesFromTheEnvironment) {
  auto config = ParseHubConfig(kConfig, "hub.toml");
  ASSERT_TRUE(config);
  ASSERT_TRUE(ApplyEnvironment(*config, Env({})));
  auto invalid = ValidateHubConfig(*config);
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.error().message.find("CERTFLEET_HUB_DNS01_HOSTED_TEST_SECRET"),
            std::string::npos)
      << invalid.error().message;
  ASSERT_TRUE(
      ApplyEnvironment(*config, Env({{"CERTFLEET_HUB_DNS01_HOSTED_TEST_SECRET", kSecret}})));
  EXPECT_TRUE(ValidateHubConfig(*config));
}

TEST(HubConfigDns01, AnUnknownChallengeTypeIsNamed) {
  std::string text = kConfig;
  text.replace(text.find("\"dns-01\", \"http-01\""), 19, "\"tls-alpn-01\"");
  auto config = ParseHubConfig(text, "hub.toml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("issuer[0].challenges: \"tls-alpn-01\" is not http-01 or "
                                        "dns-01"),
            std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace certfleet::hub
