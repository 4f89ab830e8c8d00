// The hub's [rabbitmq] table and its CERTFLEET_HUB_RABBITMQ_* overrides (hub/config.h).
#include <gtest/gtest.h>

#include <map>

#include "hub/config.h"

namespace certfleet::hub {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Parses, applies `env` and validates; returns the error message or "" on success.
std::string ErrorOf(std::string_view toml, std::map<std::string, std::string> env = {}) {
  auto config = ParseHubConfig(toml, "hub.toml");
  if (!config) return config.error().message;
  if (auto s = ApplyEnvironment(*config, FakeEnv(std::move(env))); !s) return s.error().message;
  if (auto s = ValidateHubConfig(*config); !s) return s.error().message;
  return "";
}

constexpr std::string_view kDataDir = "data_dir = \"/tmp/x\"\n";

TEST(HubRabbitMqConfig, OffWithoutTheTable) {
  auto config = ParseHubConfig(kDataDir, "hub.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_FALSE(config->rabbitmq) << "the embedded default is the watch stream, no broker";
}

TEST(HubRabbitMqConfig, ReadsEveryKey) {
  auto config = ParseHubConfig(std::string(kDataDir) + R"(
[rabbitmq]
url = "amqps://mq.example.net:5671/prod"
user = "certfleet"
password = "s3cret"
vhost = "prod2"
ca_file = "/etc/ssl/certs/ca-certificates.crt"
heartbeat_seconds = 15
exchange = "hosting.events"
)",
                               "hub.toml");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_TRUE(config->rabbitmq);
  EXPECT_EQ(config->rabbitmq->url, "amqps://mq.example.net:5671/prod");
  EXPECT_EQ(config->rabbitmq->user, "certfleet");
  EXPECT_EQ(config->rabbitmq->password, "s3cret");
  EXPECT_EQ(config->rabbitmq->vhost, "prod2");
  EXPECT_EQ(config->rabbitmq->ca_file, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(config->rabbitmq->heartbeat_seconds, 15);
  EXPECT_EQ(config->rabbitmq->exchange, "hosting.events");
}

TEST(HubRabbitMqConfig, EnvironmentTurnsItOnAndKeepsThePasswordOutOfTheFile) {
  auto config = ParseHubConfig(kDataDir, "hub.toml");
  ASSERT_TRUE(config);
  ASSERT_TRUE(
      ApplyEnvironment(*config, FakeEnv({{"CERTFLEET_HUB_RABBITMQ_URL", "amqp://mq:5672/"},
                                         {"CERTFLEET_HUB_RABBITMQ_PASSWORD", "pw"},
                                         {"CERTFLEET_HUB_RABBITMQ_HEARTBEAT_SECONDS", "5"}})));
  ASSERT_TRUE(config->rabbitmq) << "CERTFLEET_HUB_RABBITMQ_URL must turn [rabbitmq] on";
  EXPECT_EQ(config->rabbitmq->url, "amqp://mq:5672/");
  EXPECT_EQ(config->rabbitmq->password, "pw");
  EXPECT_EQ(config->rabbitmq->heartbeat_seconds, 5);
  EXPECT_TRUE(ValidateHubConfig(*config));
}

TEST(HubRabbitMqConfig, BadUrlNamesTheKeyWithoutThePassword) {
  const std::string error =
      ErrorOf(std::string(kDataDir) + "[rabbitmq]\nurl = \"http://guest:hunter2@mq:5672/\"\n");
  EXPECT_NE(error.find("config hub.toml: rabbitmq"), std::string::npos) << error;
  EXPECT_NE(error.find("amqp:// or amqps://"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << "the password leaked: " << error;
}

TEST(HubRabbitMqConfig, MissingUrlIsRequired) {
  EXPECT_NE(ErrorOf(std::string(kDataDir) + "[rabbitmq]\nuser = \"x\"\n")
                .find("rabbitmq.url: is required"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kDataDir, {{"CERTFLEET_HUB_RABBITMQ_PASSWORD", "pw"}}).find("rabbitmq.url"),
            std::string::npos)
      << "a password without a URL must not be silently ignored";
}

TEST(HubRabbitMqConfig, UnknownKeysTypesAndRangesAreNamed) {
  const std::string base = std::string(kDataDir) + "[rabbitmq]\nurl = \"amqp://mq/\"\n";
  EXPECT_NE(ErrorOf(base + "urll = \"x\"\n").find("rabbitmq.urll"), std::string::npos);
  EXPECT_NE(ErrorOf(base + "heartbeat_seconds = -1\n").find("rabbitmq.heartbeat_seconds"),
            std::string::npos);
  EXPECT_NE(ErrorOf(base + "exchange = \"amq.topic\"\n").find("reserved"), std::string::npos);
  EXPECT_NE(ErrorOf(base, {{"CERTFLEET_HUB_RABBITMQ_HEARTBEAT_SECONDS", "often"}})
                .find("CERTFLEET_HUB_RABBITMQ_HEARTBEAT_SECONDS"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kDataDir) + "rabbitmq = \"amqp://mq/\"\n").find("[rabbitmq]"),
            std::string::npos);
}

TEST(HubRabbitMqConfig, UnreadableCaFileIsNamed) {
  const std::string error =
      ErrorOf(std::string(kDataDir) +
              "[rabbitmq]\nurl = \"amqps://mq/\"\nca_file = \"/nonexistent/ca.pem\"\n");
  EXPECT_NE(error.find("rabbitmq.ca_file: cannot read /nonexistent/ca.pem"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace certfleet::hub
