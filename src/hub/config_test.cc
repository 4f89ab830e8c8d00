#include "hub/config.h"

#include <gtest/gtest.h>

#include <map>

namespace certfleet::hub {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Parses and validates; returns the error message or "" on success.
std::string ErrorOf(std::string_view toml) {
  auto config = ParseHubConfig(toml, "hub.toml");
  if (!config) return config.error().message;
  if (auto s = ValidateHubConfig(*config); !s) return s.error().message;
  return "";
}

constexpr std::string_view kIssuer = R"(
data_dir = "/tmp/x"
[[issuer]]
name = "pebble"
directory = "https://127.0.0.1:14000/dir"
)";

TEST(HubConfig, EmptyFileGivesDefaults) {
  auto config = ParseHubConfig("", "hub.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen, "127.0.0.1:8440");
  EXPECT_EQ(config->body_limit, 1024u * 1024u);
  EXPECT_EQ(config->issuance.key_type, "ec-p256");
  EXPECT_TRUE(config->issuers.empty());
}

TEST(HubConfig, ReadsEveryIssuerKey) {
  auto config = ParseHubConfig(R"(
data_dir = "/srv/hub"
listen = "0.0.0.0:9000"
io_threads = 3
body_limit = 4096
[issuance]
concurrency = 8
poll_interval_seconds = 5
ca_probe_seconds = 7
key_type = "rsa-2048"
[[issuer]]
name = "le"
directory = "https://acme.example/dir"
contact = "ops@example.com"
eab_kid = "kid1"
eab_hmac_key = "c2VjcmV0"
preferred_chain = "ISRG Root X1"
orders_per_window = 10
window_seconds = 60
dns01 = true
)",
                               "hub.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->data_dir, "/srv/hub");
  EXPECT_EQ(config->io_threads, 3);
  EXPECT_EQ(config->issuance.concurrency, 8);
  EXPECT_EQ(config->issuance.ca_probe_seconds, 7);
  ASSERT_EQ(config->issuers.size(), 1u);
  const auto& issuer = config->issuers[0];
  EXPECT_EQ(issuer.directory_url, "https://acme.example/dir");
  EXPECT_EQ(issuer.contact_email, "ops@example.com");
  EXPECT_EQ(issuer.orders_per_window, 10);
  EXPECT_EQ(issuer.window, std::chrono::seconds(60));
  EXPECT_TRUE(issuer.dns01);
  EXPECT_EQ(config->FindIssuer("le"), &issuer);
  EXPECT_TRUE(ValidateHubConfig(*config));
}

TEST(HubConfig, TomlSyntaxErrorNamesFileAndLine) {
  EXPECT_NE(ErrorOf("listen = \n").find("config hub.toml:"), std::string::npos);
  EXPECT_NE(ErrorOf("listen = \n").find("line 1"), std::string::npos) << ErrorOf("listen = \n");
}

TEST(HubConfig, UnknownKeysAreNamed) {
  EXPECT_EQ(ErrorOf("listn = \"x\"\n"), "config hub.toml: unknown key(s): listn");
  EXPECT_EQ(ErrorOf(std::string(kIssuer) + "direcotry = \"x\"\n"),
            "config hub.toml: unknown key(s): issuer[0].direcotry");
  EXPECT_EQ(ErrorOf("[issuance]\nthreads = 2\n"),
            "config hub.toml: unknown key(s): issuance.threads");
}

TEST(HubConfig, WrongTypesNameTheKey) {
  EXPECT_EQ(ErrorOf("io_threads = \"two\"\n"), "config hub.toml: io_threads: must be an integer");
  EXPECT_EQ(ErrorOf("listen = 8440\n"), "config hub.toml: listen: must be a string");
  EXPECT_EQ(ErrorOf("issuer = 3\n"),
            "config hub.toml: issuer: must be an array of tables ([[issuer]])");
  EXPECT_EQ(ErrorOf(std::string(kIssuer) + "dns01 = \"yes\"\n"),
            "config hub.toml: issuer[0].dns01: must be true or false");
}

TEST(HubConfig, OutOfRangeNumbersNameTheKey) {
  EXPECT_EQ(ErrorOf("io_threads = 0\n"),
            "config hub.toml: io_threads: must be between 1 and 64, got 0");
  EXPECT_EQ(ErrorOf("[issuance]\nconcurrency = -1\n"),
            "config hub.toml: issuance.concurrency: must be between 1 and 256, got -1");
}

TEST(HubConfig, IssuerDirectoryMustBeHttps) {
  EXPECT_EQ(ErrorOf("data_dir = \"/d\"\n[[issuer]]\nname = \"a\"\ndirectory = \"https://a/d\"\n"
                    "[[issuer]]\nname = \"b\"\ndirectory = \"http://b/dir\"\n"),
            "config hub.toml: issuer[1].directory: not a https:// URL: \"http://b/dir\"");
}

TEST(HubConfig, IssuerNamesAreUniqueAndNotManual) {
  EXPECT_EQ(
      ErrorOf("data_dir = \"/d\"\n[[issuer]]\nname = \"manual\"\ndirectory = \"https://a\"\n"),
      "config hub.toml: issuer[0].name: \"manual\" is reserved for uploaded certificates");
  EXPECT_EQ(
      ErrorOf(std::string(kIssuer) + "[[issuer]]\nname = \"pebble\"\ndirectory = \"https://b\"\n"),
      "config hub.toml: issuer[1].name: issuer \"pebble\" is defined twice");
  EXPECT_EQ(ErrorOf("data_dir = \"/d\"\n[[issuer]]\ndirectory = \"https://a\"\n"),
            "config hub.toml: issuer[0].name: is required");
}

TEST(HubConfig, IssuerCaFileMustBeReadable) {
  EXPECT_EQ(ErrorOf(std::string(kIssuer) + "ca_file = \"/nonexistent/ca.pem\"\n"),
            "config hub.toml: issuer[0].ca_file: cannot read /nonexistent/ca.pem");
}

TEST(HubConfig, EabNeedsKidAndKey) {
  EXPECT_NE(ErrorOf(std::string(kIssuer) + "eab_kid = \"k\"\n")
                .find("issuer[0].eab_kid: eab_kid and eab_hmac_key must be given together"),
            std::string::npos);
}

TEST(HubConfig, DataDirIsRequired) {
  EXPECT_EQ(ErrorOf(""),
            "config hub.toml: data_dir: is required (set it in the file, CERTFLEET_HUB_DATA_DIR "
            "or --data-dir)");
}

TEST(HubConfig, BadKeyTypeListsTheAcceptedNames) {
  const std::string error = ErrorOf("data_dir = \"/d\"\n[issuance]\nkey_type = \"ec256\"\n");
  EXPECT_NE(error.find("config hub.toml: issuance.key_type:"), std::string::npos) << error;
  EXPECT_NE(error.find("ec-p256"), std::string::npos) << error;
}

TEST(HubConfig, BadListenAddress) {
  EXPECT_EQ(ErrorOf("data_dir = \"/d\"\nlisten = \"localhost\"\n"),
            "config hub.toml: listen: expected HOST:PORT, got \"localhost\"");
}

TEST(HubConfig, EnvironmentOverridesTheFile) {
  auto config = ParseHubConfig(kIssuer, "hub.toml");
  ASSERT_TRUE(config);
  auto s = ApplyEnvironment(*config, FakeEnv({{"CERTFLEET_HUB_LISTEN", "127.0.0.1:0"},
                                              {"CERTFLEET_HUB_DATA_DIR", "/env/dir"},
                                              {"CERTFLEET_HUB_IO_THREADS", "5"},
                                              {"CERTFLEET_HUB_BODY_LIMIT", "2048"},
                                              {"CERTFLEET_HUB_MAX_CONNECTIONS", "500"},
                                              {"CERTFLEET_HUB_MAX_CONNECTIONS_PER_ADDRESS", "0"},
                                              {"CERTFLEET_HUB_ISSUER_PEBBLE_EAB_HMAC_KEY", "k"}}));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(config->listen, "127.0.0.1:0");
  EXPECT_EQ(config->data_dir, "/env/dir");
  EXPECT_EQ(config->io_threads, 5);
  EXPECT_EQ(config->body_limit, 2048u);
  EXPECT_EQ(config->max_connections, 500u);
  EXPECT_EQ(config->max_connections_per_address, 0u);
  EXPECT_EQ(config->issuers[0].eab_hmac_key, "k");
}

TEST(HubConfig, BadEnvironmentValueNamesTheVariable) {
  HubConfig config;
  auto s = ApplyEnvironment(config, FakeEnv({{"CERTFLEET_HUB_IO_THREADS", "many"}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "environment CERTFLEET_HUB_IO_THREADS: must be an integer between 1 and 64, got "
            "\"many\"");
}

TEST(HubConfig, MissingFileIsNamed) {
  auto config = LoadHubConfigFile("/nonexistent/hub.toml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("/nonexistent/hub.toml"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::hub
