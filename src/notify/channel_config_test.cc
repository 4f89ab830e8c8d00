#include "notify/channel_config.h"

#include <gtest/gtest.h>

#include <map>

namespace certfleet::notify {
namespace {

constexpr const char* kFull = R"(
data_dir = "/var/lib/certfleet"

[notify]
expiry_days = [21, 3]
agent_unseen_minutes = 90

[[notify.channel]]
name = "ops-chat"
type = "rocketchat"
url = "https://chat.example.com/hooks/abc/TOKEN"
events = ["failed", "expiring"]
group_window_seconds = 60

[[notify.channel]]
name = "audit"
type = "webhook"
url = "https://audit.example.com/certfleet"
secret = "hmac-key"
timeout_seconds = 3

[[notify.channel]]
name = "mail"
type = "email"
smtp_server = "mail.example.com"
smtp_security = "tls"
smtp_user = "certfleet"
smtp_password = "pw"
from = "certfleet@example.com"
to = ["ops@example.com"]
)";

TEST(ParseNotifyConfigTest, ReadsEveryKey) {
  auto c = ParseNotifyConfig(kFull, "hub.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->expiry_days, (std::vector<int>{21, 3}));
  EXPECT_EQ(c->agent_unseen_after, std::chrono::minutes(90));
  ASSERT_EQ(c->channels.size(), 3u);
  const ChannelConfig& chat = c->channels[0];
  EXPECT_EQ(chat.type, ChannelType::kRocketChat);
  EXPECT_EQ(chat.group_window, std::chrono::seconds(60));
  EXPECT_TRUE(chat.Wants(NoticeKind::kFailed));
  EXPECT_FALSE(chat.Wants(NoticeKind::kRenewed)) << "the events filter must apply";
  EXPECT_TRUE(chat.Wants(NoticeKind::kTest)) << "test messages always go through";
  EXPECT_EQ(c->channels[1].secret, "hmac-key");
  EXPECT_EQ(c->channels[1].timeout, std::chrono::seconds(3));
  EXPECT_TRUE(c->channels[1].Wants(NoticeKind::kRenewed)) << "no filter = every kind";
  const SmtpSettings& smtp = c->channels[2].smtp;
  EXPECT_EQ(smtp.security, SmtpSecurity::kTls);
  EXPECT_EQ(smtp.to, (std::vector<std::string>{"ops@example.com"}));
  EXPECT_NE(c->FindChannel("mail"), nullptr);
}

TEST(ParseNotifyConfigTest, NoNotifyTableMeansNoChannels) {
  auto c = ParseNotifyConfig("data_dir = \"/x\"\n", "hub.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->channels.empty());
  EXPECT_EQ(c->expiry_days, (std::vector<int>{30, 14, 7, 1}));
}

void ExpectError(const std::string& toml, const std::string& fragment) {
  auto c = ParseNotifyConfig(toml, "hub.toml");
  ASSERT_FALSE(c) << "accepted:\n" << toml;
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message.find(fragment), std::string::npos) << c.error().message;
}

TEST(ParseNotifyConfigTest, ErrorsNameTheKey) {
  ExpectError("[[notify.channel]]\nname = \"x\"\ntype = \"teams\"\nurl = \"https://a\"\n",
              "notify.channel[0].type: unknown channel type \"teams\"");
  ExpectError("[[notify.channel]]\nname = \"x\"\ntype = \"slack\"\nurl = \"https://a\"\nulr = 1\n",
              "unknown key(s): notify.channel[0].ulr");
  ExpectError("[[notify.channel]]\nname = \"x\"\ntype = \"webhook\"\nurl = \"https://a\"\n",
              "notify.channel[0].secret: required for type webhook");
  ExpectError("[[notify.channel]]\nname = \"x\"\ntype = \"slack\"\nurl = \"ftp://a/TOKEN\"\n",
              "notify.channel[0].url: must be an http:// or https:// URL");
  ExpectError("[[notify.channel]]\nname = \"Ops Chat\"\ntype = \"slack\"\nurl = \"https://a\"\n",
              "notify.channel[0].name");
  ExpectError(
      "[[notify.channel]]\nname = \"m\"\ntype = \"email\"\nsmtp_server = \"s\"\n"
      "from = \"a@b\"\n",
      "notify.channel[0].to: needs at least one address");
  ExpectError(
      "[[notify.channel]]\nname = \"x\"\ntype = \"slack\"\nurl = \"https://a\"\n"
      "events = [\"renewd\"]\n",
      "notify.channel[0].events: unknown notification event \"renewd\"");
  ExpectError(
      "[[notify.channel]]\nname = \"x\"\ntype = \"slack\"\nurl = \"https://a\"\n"
      "[[notify.channel]]\nname = \"x\"\ntype = \"slack\"\nurl = \"https://b\"\n",
      "notify.channel[1].name: \"x\" is used by an earlier channel");
}

TEST(ParseNotifyConfigTest, ErrorsDoNotRevealTheWebhookToken) {
  auto c = ParseNotifyConfig(
      "[[notify.channel]]\nname = \"x\"\ntype = \"slack\"\nurl = \"ftp://h/SECRET-TOKEN\"\n",
      "hub.toml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.find("SECRET-TOKEN"), std::string::npos) << c.error().message;
}

TEST(ApplyNotifyEnvironmentTest, ReplacesSecretsByChannelName) {
  auto c = ParseNotifyConfig(kFull, "hub.toml");
  ASSERT_TRUE(c) << c.error().message;
  std::map<std::string, std::string, std::less<>> env{
      {"CERTFLEET_HUB_NOTIFY_OPS_CHAT_URL", "https://chat.example.com/hooks/new"},
      {"CERTFLEET_HUB_NOTIFY_AUDIT_SECRET", "from-env"},
      {"CERTFLEET_HUB_NOTIFY_MAIL_SMTP_PASSWORD", "pw-env"}};
  ApplyNotifyEnvironment(*c, [&](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
  EXPECT_EQ(c->channels[0].url, "https://chat.example.com/hooks/new");
  EXPECT_EQ(c->channels[1].secret, "from-env");
  EXPECT_EQ(c->channels[2].smtp.password, "pw-env");
}

TEST(ParseNotifyConfigTest, RetryKeysSetTheBackoff) {
  auto c =
      ParseNotifyConfig("[notify]\nretry_base_seconds = 5\nretry_cap_seconds = 60\n", "hub.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->retry.base, std::chrono::seconds(5));
  EXPECT_EQ(c->retry.cap, std::chrono::seconds(60));
  auto bad =
      ParseNotifyConfig("[notify]\nretry_base_seconds = 60\nretry_cap_seconds = 5\n", "hub.toml");
  ASSERT_FALSE(bad);
  EXPECT_NE(
      bad.error().message.find("notify.retry_cap_seconds: must be at least retry_base_seconds"),
      std::string::npos)
      << bad.error().message;
}

TEST(ReadNotifyConfigTest, LeavesUrlsAndSecretsToTheEnvironmentAndTheCaller) {
  const char* toml = "[[notify.channel]]\nname = \"audit\"\ntype = \"webhook\"\n";
  auto c = ReadNotifyConfig(toml, "hub.toml");
  ASSERT_TRUE(c) << "reading must not require what the environment may supply: "
                 << c.error().message;
  auto s = ValidateNotifyConfig(*c, "config hub.toml");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("notify.channel[0].url: required for type webhook"),
            std::string::npos)
      << s.error().message;
  EXPECT_NE(s.error().message.find("CERTFLEET_HUB_NOTIFY_AUDIT_URL"), std::string::npos)
      << "the error should name the variable that can supply the URL: " << s.error().message;
  EXPECT_FALSE(ReadNotifyConfig(
      "[[notify.channel]]\nname = \"x\"\ntype = \"slack\"\nevents = [\"nope\"]\n", "hub.toml"))
      << "an unknown event name is a read error, whatever the environment says";
}

TEST(RedactUrlTest, KeepsSchemeAndHostOnly) {
  EXPECT_EQ(RedactUrl("https://chat.example.com/hooks/abc/TOKEN"), "https://chat.example.com/…");
  EXPECT_EQ(RedactUrl("https://user:pw@h.example.com:8443/x"), "https://h.example.com:8443/…");
  EXPECT_EQ(RedactUrl("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
}

}  // namespace
}  // namespace certfleet::notify
