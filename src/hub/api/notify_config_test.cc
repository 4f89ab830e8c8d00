// The hub config's [notify] table: read with the rest of the file, secrets from the
// environment, validated as a whole with errors that name the key and the fix.
#include <gtest/gtest.h>

#include <map>

#include "hub/config.h"

namespace certfleet::hub {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Parses, applies `env` and validates, as certfleet-hub's main does.
Status Load(const std::string& toml, HubConfig* out = nullptr,
            std::map<std::string, std::string> env = {}) {
  auto config = ParseHubConfig("data_dir = \"/tmp/x\"\n" + toml, "hub.toml");
  if (!config) return Fail(config.error());
  if (auto s = ApplyEnvironment(*config, Env(std::move(env))); !s) return s;
  if (auto s = ValidateHubConfig(*config); !s) return s;
  if (out != nullptr) *out = *config;
  return Ok();
}

void ExpectError(const std::string& toml, const std::string& expected) {
  auto s = Load(toml);
  ASSERT_FALSE(s) << "config should be rejected:\n" << toml;
  EXPECT_NE(s.error().message.find(expected), std::string::npos)
      << "error should contain \"" << expected << "\", got: " << s.error().message;
}

TEST(HubNotifyConfig, ChannelsAndThresholdsAreRead) {
  HubConfig config;
  auto s = Load(R"(
[notify]
expiry_days = [14, 2]
retry_base_seconds = 5
[[notify.channel]]
name = "ops-chat"
type = "rocketchat"
url = "https://chat.example.com/hooks/a/b"
events = ["failed", "expiring"]
group_window_seconds = 0
)",
                &config);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(config.notify.channels.size(), 1u);
  EXPECT_EQ(config.notify.channels[0].name, "ops-chat");
  EXPECT_EQ(config.notify.channels[0].group_window, Duration(0));
  EXPECT_EQ(config.notify.expiry_days, (std::vector<int>{14, 2}));
  EXPECT_EQ(config.notify.retry.base, std::chrono::seconds(5));
}

TEST(HubNotifyConfig, NoNotifyTableMeansNoChannels) {
  HubConfig config;
  ASSERT_TRUE(Load("", &config));
  EXPECT_TRUE(config.notify.channels.empty());
}

TEST(HubNotifyConfig, BadChannelUrlNamesTheKeyAndTheFix) {
  ExpectError(
      "[[notify.channel]]\nname = \"chat\"\ntype = \"slack\"\nurl = \"hooks.slack.com/x\"\n",
      "config hub.toml: notify.channel[0].url: must be an http:// or https:// URL");
  ExpectError("[[notify.channel]]\nname = \"chat\"\ntype = \"slack\"\n",
              "notify.channel[0].url: required for type slack");
  ExpectError("[[notify.channel]]\nname = \"chat\"\ntype = \"slack\"\n",
              "CERTFLEET_HUB_NOTIFY_CHAT_URL");
}

TEST(HubNotifyConfig, UnknownEventFilterNamesTheKeyAndTheAcceptedNames) {
  ExpectError(
      "[[notify.channel]]\nname = \"c\"\ntype = \"slack\"\nurl = \"https://h/x\"\n"
      "events = [\"issued\", \"expired\"]\n",
      "notify.channel[0].events: unknown notification event \"expired\" (expected issued, "
      "renewed, deployed, failed, expiring, agent_unseen, delegation, capacity)");
}

TEST(HubNotifyConfig, UnknownKeysInNotifyAreErrors) {
  ExpectError("[notify]\nexpiry_dayz = [1]\n", "unknown key(s): notify.expiry_dayz");
  ExpectError("[[notify.channel]]\nname = \"c\"\ntype = \"teams\"\nurl = \"https://h/x\"\n",
              "notify.channel[0].type: unknown channel type \"teams\"");
}

TEST(HubNotifyConfig, UrlAndSecretMayComeFromTheEnvironment) {
  HubConfig config;
  auto s = Load("[[notify.channel]]\nname = \"audit-hook\"\ntype = \"webhook\"\n", &config,
                {{"CERTFLEET_HUB_NOTIFY_AUDIT_HOOK_URL", "https://audit.example.com/in"},
                 {"CERTFLEET_HUB_NOTIFY_AUDIT_HOOK_SECRET", "s3cret"}});
  ASSERT_TRUE(s) << "the file may leave URL and secret to the environment: " << s.error().message;
  EXPECT_EQ(config.notify.channels[0].url, "https://audit.example.com/in");
  EXPECT_EQ(config.notify.channels[0].secret, "s3cret");
}

TEST(HubNotifyConfig, ErrorsDoNotRevealTheWebhookPath) {
  auto s = Load(
      "[[notify.channel]]\nname = \"c\"\ntype = \"slack\"\n"
      "url = \"ftp://hooks.example.com/T0/B0/SECRETTOKEN\"\n");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.find("SECRETTOKEN"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace certfleet::hub
