#include "bus/broker_config.h"

#include <gtest/gtest.h>

namespace certfleet::bus {
namespace {

Result<BrokerEndpoint> Resolve(std::string url) {
  BrokerConfig config;
  config.url = std::move(url);
  return ResolveBrokerConfig(config);
}

TEST(BrokerConfigTest, PlainUrlGetsDefaultPortGuestAndRootVhost) {
  auto endpoint = Resolve("amqp://127.0.0.1");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_FALSE(endpoint->tls);
  EXPECT_EQ(endpoint->port, 5672);
  EXPECT_EQ(endpoint->user, "guest");
  EXPECT_EQ(endpoint->password, "guest");
  EXPECT_EQ(endpoint->vhost, "/");
  EXPECT_EQ(endpoint->exchange, "certfleet.events");
  EXPECT_EQ(endpoint->DisplayUrl(), "amqp://127.0.0.1:5672/");
}

TEST(BrokerConfigTest, AmqpsUrlTakesCredentialsPortAndEncodedVhost) {
  auto endpoint = Resolve("amqps://cf%40ops:s%3Acret@mq.example.net:5999/prod%2Feu");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_TRUE(endpoint->tls);
  EXPECT_EQ(endpoint->host, "mq.example.net");
  EXPECT_EQ(endpoint->port, 5999);
  EXPECT_EQ(endpoint->user, "cf@ops");
  EXPECT_EQ(endpoint->password, "s:cret");
  EXPECT_EQ(endpoint->vhost, "prod/eu");
  EXPECT_EQ(endpoint->ca_file, kSystemCaBundle) << "amqps without ca_file uses the system bundle";
  EXPECT_EQ(endpoint->DisplayUrl().find("s:cret"), std::string::npos);
}

TEST(BrokerConfigTest, ExplicitFieldsOverrideTheUrl) {
  BrokerConfig config{.url = "amqps://a:b@h/v",
                      .user = "u",
                      .password = "p",
                      .vhost = "w",
                      .ca_file = "/etc/ca.pem"};
  auto endpoint = ResolveBrokerConfig(config);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->user, "u");
  EXPECT_EQ(endpoint->password, "p");
  EXPECT_EQ(endpoint->vhost, "w");
  EXPECT_EQ(endpoint->ca_file, "/etc/ca.pem");
  EXPECT_EQ(endpoint->port, 5671);
}

TEST(BrokerConfigTest, BadUrlsGetClearErrorsWithoutThePassword) {
  struct Case {
    std::string url;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {"", "RabbitMQ URL is empty"},
           {"http://user:hunter2@h", "scheme must be amqp:// or amqps://"},
           {"amqp://user:hunter2@h:99999", "port must be a number 1-65535"},
           {"amqp://user:hunter2@:5672", "no host"},
           {"amqp://h/a/b", "the path must be just the vhost"},
           {"amqp://h/%zz", "bad %-escape"},
       }) {
    auto endpoint = Resolve(c.url);
    ASSERT_FALSE(endpoint) << c.url << " was accepted";
    EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(endpoint.error().message.find(c.expected), std::string::npos)
        << c.url << " → " << endpoint.error().message;
    EXPECT_EQ(endpoint.error().message.find("hunter2"), std::string::npos)
        << "the password leaked into: " << endpoint.error().message;
  }
}

TEST(BrokerConfigTest, RejectsBadExchangeAndHeartbeat) {
  BrokerConfig config{.url = "amqp://h", .exchange = "amq.topic"};
  EXPECT_FALSE(ResolveBrokerConfig(config));
  config.exchange = "has space";
  EXPECT_FALSE(ResolveBrokerConfig(config));
  config.exchange = "ok.name";
  config.heartbeat_seconds = -1;
  auto endpoint = ResolveBrokerConfig(config);
  ASSERT_FALSE(endpoint);
  EXPECT_NE(endpoint.error().message.find("heartbeat_seconds"), std::string::npos);
}

// Review 2026-12-06, F9: a raw '/' in the password hid its '@' from the parser, and the
// start-up error printed the whole URL (and the port error the password's first part).
TEST(BrokerConfigTest, PasswordsAreNeverPrintedWhateverTheyContain) {
  for (const std::string password : {"Sup3r/Secret", "Sup3r?Secret", "Sup3r#Secret", "Sup3r@Secret",
                                     "Sup3r%zzSecret", "Sup3r:Secret", "Sup3r/Secret:99999"}) {
    const std::string url = "amqp://certfleet:" + password + "@mq.internal:5672/prod";
    auto endpoint = Resolve(url);
    const std::string shown =
        endpoint ? RedactUrl(url) + " " + endpoint->DisplayUrl() : endpoint.error().message;
    EXPECT_EQ(shown.find("Sup3r"), std::string::npos) << password << " → " << shown;
    EXPECT_EQ(shown.find("Secret"), std::string::npos) << password << " → " << shown;
    EXPECT_EQ(RedactUrl(url).find("Secret"), std::string::npos) << RedactUrl(url);
  }
}

TEST(BrokerConfigTest, RedactUrlHidesOnlyThePassword) {
  EXPECT_EQ(RedactUrl("amqp://u:secret@h:1/v"), "amqp://u:***@h:1/v");
  EXPECT_EQ(RedactUrl("amqp://u:Sup3r/Secret@h:1/v"), "amqp://u:***@h:1/v");
  EXPECT_EQ(RedactUrl("amqp://u@h/v"), "amqp://u@h/v");
  EXPECT_EQ(RedactUrl("amqp://h/v@x"), "amqp://h/v@x");
}

}  // namespace
}  // namespace certfleet::bus
