#include "solver/dns01/dns01_config.h"

#include <gtest/gtest.h>

#include <map>

namespace certfleet::solver {
namespace {

constexpr const char* kSecret = "CWhznMQZ8OicOBT/tqr90Y0jfOcnZByF/QYGX8LTOJ8=";

constexpr const char* kFull = R"(
[dns01]
resolver = "127.0.0.1:5300"
[dns01.delegation]
zone = "Acme.Provider.Test."
nameservers = ["hub1.provider.test", "hub2.provider.test"]
listen = "127.0.0.1:0"
rate_limit = 50
peers = ["127.0.0.2:53"]
[[dns01.zone]]
zone = "."
solver = "delegation"
[[dns01.zone]]
zone = "hosted.test"
solver = "rfc2136"
server = "127.0.0.1:5353"
key_name = "acme-key"
check_servers = ["127.0.0.1:5353"]
ttl = 30
propagation_timeout_seconds = 20
)";

std::optional<std::string> NoEnv(std::string_view) { return std::nullopt; }

TEST(Dns01ConfigTest, ReadsTheWholeSection) {
  auto config = ReadDns01Config(kFull, "hub.toml");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_TRUE(config->resolver);
  EXPECT_EQ(config->resolver->port, 5300);
  ASSERT_TRUE(config->delegation);
  EXPECT_EQ(config->delegation->zone, "acme.provider.test");
  EXPECT_EQ(config->delegation->rate_limit.per_second, 50);
  EXPECT_EQ(config->delegation->peers.size(), 1u);
  ASSERT_EQ(config->zones.size(), 2u);
  EXPECT_EQ(config->zones[0].zone, "");
  const Dns01ZoneConfig& hosted = config->zones[1];
  EXPECT_EQ(hosted.kind, Dns01SolverKind::kRfc2136);
  EXPECT_EQ(hosted.rfc2136.zone, "hosted.test");
  EXPECT_EQ(hosted.rfc2136.key.name, "acme-key");
  EXPECT_EQ(hosted.rfc2136.ttl, 30u);
  EXPECT_EQ(hosted.rfc2136.propagation_timeout, std::chrono::seconds(20));
}

TEST(Dns01ConfigTest, LongestZoneWins) {
  auto config = ReadDns01Config(kFull, "hub.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->ZoneFor("www.hosted.test")->zone, "hosted.test");
  EXPECT_EQ(config->ZoneFor("shop.example.com")->zone, "");
}

TEST(Dns01ConfigTest, TheSecretComesFromTheEnvironmentAndIsRequired) {
  auto config = ReadDns01Config(kFull, "hub.toml");
  ASSERT_TRUE(config);
  ASSERT_TRUE(LoadDns01Secrets(*config, NoEnv));
  auto missing = ValidateDns01Config(*config, "hub.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("CERTFLEET_HUB_DNS01_HOSTED_TEST_SECRET"),
            std::string::npos)
      << missing.error().message;
  ASSERT_TRUE(LoadDns01Secrets(*config, [](std::string_view name) -> std::optional<std::string> {
    if (name == "CERTFLEET_HUB_DNS01_HOSTED_TEST_SECRET") return kSecret;
    return std::nullopt;
  }));
  EXPECT_TRUE(ValidateDns01Config(*config, "hub.toml"));
}

TEST(Dns01ConfigTest, ErrorsNameTheKey) {
  const std::map<std::string, std::string> cases = {
      {"[[dns01.zone]]\nzone = \"x.test\"\nsolver = \"nsupdate\"\n",
       "dns01.zone[0].solver: must be delegation or rfc2136, got \"nsupdate\""},
      {"[[dns01.zone]]\nzone = \"x.test\"\nsolver = \"rfc2136\"\n",
       "dns01.zone[0].server: required for solver = \"rfc2136\""},
      {"[[dns01.zone]]\nzone = \"x.test\"\nsolver = \"delegation\"\nserver = \"1.2.3.4\"\n",
       "belong to solver = \"rfc2136\""},
      {"[dns01]\nresolvr = \"1.2.3.4\"\n", "resolvr"},
      {"[dns01]\nresolver = \"dns.google\"\n", "dns01.resolver"},
  };
  for (const auto& [text, expected] : cases) {
    auto config = ReadDns01Config(text, "hub.toml");
    ASSERT_FALSE(config) << text;
    EXPECT_NE(config.error().message.find(expected), std::string::npos) << config.error().message;
  }
}

TEST(Dns01ConfigTest, DelegationZonesNeedTheResponder) {
  auto config =
      ReadDns01Config("[[dns01.zone]]\nzone = \"x.test\"\nsolver = \"delegation\"\n", "hub.toml");
  ASSERT_TRUE(config);
  auto valid = ValidateDns01Config(*config, "hub.toml");
  ASSERT_FALSE(valid);
  EXPECT_NE(valid.error().message.find("needs [dns01.delegation]"), std::string::npos);
}

TEST(Dns01ConfigTest, SecretVariableNames) {
  EXPECT_EQ(Dns01SecretVariable("hosted.provider-x.net"),
            "CERTFLEET_HUB_DNS01_HOSTED_PROVIDER_X_NET_SECRET");
  EXPECT_EQ(Dns01SecretVariable(""), "CERTFLEET_HUB_DNS01_ROOT_SECRET");
}

}  // namespace
}  // namespace certfleet::solver
