#include "agent/config.h"

#include <gtest/gtest.h>

#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

const std::string kMinimal =
    "hub_url = \"https://hub.test:8440\"\ntoken = \"secret\"\noutput_dir = \"/etc/certfleet\"\n";

std::string ErrorOf(const std::string& toml) {
  auto c = ParseAgentConfig(toml, "agent.toml");
  return c ? "" : c.error().message;
}

TEST(AgentConfigTest, MinimalFileGetsTheDocumentedDefaults) {
  auto c = ParseAgentConfig(kMinimal, "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->test_command, "nginx -t");
  EXPECT_EQ(c->reload_command, "nginx -s reload");
  EXPECT_EQ(c->verify_address, "127.0.0.1:443");
  EXPECT_EQ(c->resync_interval, std::chrono::minutes(10));
  EXPECT_EQ(c->remove_policy, RemovePolicy::kKeep);
  EXPECT_FALSE(c->reload_window);
  EXPECT_TRUE(c->reload_signal_pid_file.empty())
      << "the default reload is the reload_command, not a signal";
}

TEST(AgentConfigTest, ReadsEveryKey) {
  auto c = ParseAgentConfig(
      kMinimal +
          "test_command = \"haproxy -c\"\nreload_command = \"systemctl reload haproxy\"\n"
          "verify_address = \"127.0.0.1:8443\"\nverify_timeout = \"250ms\"\n"
          "resync_interval = \"2m\"\nwatch_wait = \"20s\"\nremove_policy = \"remove\"\n"
          "reload_window = \"22:00-02:30\"\ncommand_timeout = \"1h\"\n"
          "reload_signal_pid_file = \"/run/nginx.pid\"\n",
      "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->verify_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(c->resync_interval, std::chrono::minutes(2));
  EXPECT_EQ(c->remove_policy, RemovePolicy::kRemove);
  ASSERT_TRUE(c->reload_window);
  EXPECT_EQ(c->reload_window->start_minute, 22 * 60);
  EXPECT_EQ(c->reload_window->end_minute, 150);
  EXPECT_EQ(c->reload_signal_pid_file, "/run/nginx.pid");
}

TEST(AgentConfigTest, ErrorsNameTheFileAndTheKey) {
  EXPECT_EQ(ErrorOf(kMinimal + "remove_policy = \"delete\"\n"),
            "config agent.toml: remove_policy: must be \"keep\" or \"remove\", got \"delete\"");
  EXPECT_EQ(ErrorOf(kMinimal + "resync_interval = \"10 minutes\"\n"),
            "config agent.toml: resync_interval: \"10 minutes\" is not a duration (use e.g. 250ms, "
            "5s, 10m, 1h)");
  // Found by agent_config_fuzz: the minutes overflowed when turned into milliseconds.
  EXPECT_EQ(ErrorOf(kMinimal + "resync_interval = \"4205658031423691887m\"\n"),
            "config agent.toml: resync_interval: \"4205658031423691887m\" is too long (at most 10 "
            "years, e.g. 87600h)");
  EXPECT_EQ(ErrorOf(kMinimal + "verify_address = \"localhost\"\n"),
            "config agent.toml: verify_address: must be HOST:PORT or \"\" (got \"localhost\")");
  EXPECT_EQ(ErrorOf(kMinimal + "reload_window = \"2am-5am\"\n"),
            "config agent.toml: reload_window: \"2am-5am\" is not a window like \"02:00-05:00\"");
  EXPECT_EQ(ErrorOf(kMinimal + "watch_wait = \"90s\"\n"),
            "config agent.toml: watch_wait: must be between 1s and 55s");
  EXPECT_EQ(ErrorOf(kMinimal + "reload_signal_pid_file = \"nginx.pid\"\n"),
            "config agent.toml: reload_signal_pid_file: must be an absolute path such as "
            "\"/run/nginx.pid\" (got "
            "\"nginx.pid\")");
}

TEST(AgentConfigTest, RejectsUnknownKeys) {
  EXPECT_EQ(ErrorOf(kMinimal + "reload_comand = \"x\"\n"),
            "config agent.toml: unknown key(s): reload_comand");
}

TEST(AgentConfigTest, RequiresHubTokenAndAbsoluteOutputDir) {
  EXPECT_EQ(ErrorOf("token = \"t\"\noutput_dir = \"/x\"\n"),
            "config agent.toml: hub_url: is required");
  EXPECT_EQ(ErrorOf("hub_url = \"ftp://x\"\ntoken = \"t\"\noutput_dir = \"/x\"\n"),
            "config agent.toml: hub_url: must start with https:// (got \"ftp://x\")");
  EXPECT_EQ(ErrorOf("hub_url = \"https://x\"\noutput_dir = \"/x\"\n"),
            "config agent.toml: token: set token or token_file (the machine's agent token)");
  EXPECT_EQ(ErrorOf("hub_url = \"https://x\"\ntoken = \"t\"\noutput_dir = \"relative\"\n"),
            "config agent.toml: output_dir: must be an absolute path (got \"relative\")");
}

// Review 2026-12-06, F4: http:// to any host was accepted; the agent token and the
// private keys then crossed the network in clear text.
TEST(AgentConfigTest, PlainHttpHubUrlIsOnlyForLoopbackUnlessLoudlyAllowed) {
  const std::string rest = "token = \"t\"\noutput_dir = \"/x\"\n";
  const std::string error = ErrorOf("hub_url = \"http://hub.example.net:8440\"\n" + rest);
  EXPECT_EQ(
      error.rfind("config agent.toml: hub_url: \"http://hub.example.net:8440\" is plain HTTP", 0),
      0u)
      << error;
  EXPECT_NE(error.find("insecure_allow_plain_http = true"), std::string::npos) << error;
  EXPECT_EQ(ErrorOf("hub_url = \"http://127.0.0.1:8440\"\n" + rest), "") << "loopback is fine";
  auto allowed = ParseAgentConfig(
      "hub_url = \"http://10.0.0.5:8440\"\ninsecure_allow_plain_http = true\n" + rest,
      "agent.toml");
  ASSERT_TRUE(allowed) << allowed.error().message;
  EXPECT_TRUE(allowed->insecure_allow_plain_http);
}

TEST(AgentConfigTest, ReadsTheTokenFromAFileWithoutTrailingNewline) {
  harness::TempDir dir("agent-config");
  auto file = dir.WriteFile("agent.token", "abc123\n");
  std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write |
                                         std::filesystem::perms::group_read);
  auto c = ParseAgentConfig(
      "hub_url = \"https://x\"\noutput_dir = \"/x\"\ntoken_file = \"" + file.string() + "\"\n",
      "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->token, "abc123");
}

// Review 2026-12-06, F18: the mode of token_file was not checked.
TEST(AgentConfigTest, ATokenFileEveryUserCanReadIsRefused) {
  harness::TempDir dir("agent-config");
  auto file = dir.WriteFile("agent.token", "abc123\n");
  std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write |
                                         std::filesystem::perms::others_read);
  std::string error = ErrorOf("hub_url = \"https://x\"\noutput_dir = \"/x\"\ntoken_file = \"" +
                              file.string() + "\"\n");
  EXPECT_NE(error.find("is open to every user (mode 0604); chmod 600 " + file.string()),
            std::string::npos)
      << error;
}

TEST(AgentConfigTest, MissingTokenFileIsNamed) {
  std::string error =
      ErrorOf("hub_url = \"https://x\"\noutput_dir = \"/x\"\ntoken_file = \"/nonexistent/t\"\n");
  EXPECT_NE(error.find("token_file"), std::string::npos) << error;
  EXPECT_NE(error.find("/nonexistent/t"), std::string::npos) << error;
}

TEST(AgentConfigTest, TomlSyntaxErrorsSayWhere) {
  std::string error = ErrorOf("hub_url = \n");
  EXPECT_NE(error.find("agent.toml"), std::string::npos) << error;
  EXPECT_NE(error.find("line 1"), std::string::npos) << error;
}

TEST(AgentConfigTest, WatchStreamIsTheDefaultWithoutRabbitMq) {
  auto c = ParseAgentConfig(kMinimal, "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->rabbitmq);
  EXPECT_TRUE(c->WatchStream());
}

TEST(AgentConfigTest, ReadsTheRabbitMqTableAndTurnsTheWatchStreamOff) {
  harness::TempDir dir("agent-config");
  auto password = dir.WriteFile("mq.password", "pw123\n");
  auto c =
      ParseAgentConfig(kMinimal +
                           "[rabbitmq]\nurl = \"amqp://mq.test:5672/\"\nuser = \"web-3\"\n"
                           "password_file = \"" +
                           password.string() +
                           "\"\nvhost = \"prod\"\n"
                           "heartbeat_seconds = 10\nexchange = \"x.events\"\nmachine = \"web-3\"\n"
                           "queue = \"q.web-3\"\nfallback_interval = \"5s\"\n",
                       "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->rabbitmq);
  EXPECT_EQ(c->rabbitmq->broker.url, "amqp://mq.test:5672/");
  EXPECT_EQ(c->rabbitmq->broker.user, "web-3");
  EXPECT_EQ(c->rabbitmq->broker.password, "pw123") << "read from password_file without the newline";
  EXPECT_EQ(c->rabbitmq->broker.vhost, "prod");
  EXPECT_EQ(c->rabbitmq->broker.heartbeat_seconds, 10);
  EXPECT_EQ(c->rabbitmq->broker.exchange, "x.events");
  EXPECT_EQ(c->rabbitmq->machine, "web-3");
  EXPECT_EQ(c->rabbitmq->queue, "q.web-3");
  EXPECT_EQ(c->rabbitmq->fallback_interval, std::chrono::seconds(5));
  EXPECT_FALSE(c->WatchStream()) << "with RabbitMQ the watch stream is off unless asked for";
}

TEST(AgentConfigTest, WatchStreamCanRunBesideRabbitMq) {
  auto c = ParseAgentConfig(
      kMinimal + "watch_stream = true\n[rabbitmq]\nurl = \"amqp://mq.test/\"\n", "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->WatchStream());
}

TEST(AgentConfigTest, RabbitMqErrorsNameTheKey) {
  const std::string mq = kMinimal + "[rabbitmq]\n";
  EXPECT_NE(ErrorOf(mq + "user = \"x\"\n").find("rabbitmq.url: is required"), std::string::npos);
  std::string error = ErrorOf(mq + "url = \"http://u:hunter2@mq/\"\n");
  EXPECT_NE(error.find("amqp:// or amqps://"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << "password leaked: " << error;
  EXPECT_NE(ErrorOf(mq + "url = \"amqp://mq/\"\nqueu = \"x\"\n").find("rabbitmq.queu"),
            std::string::npos);
  EXPECT_NE(ErrorOf(mq + "url = \"amqp://mq/\"\nheartbeat_seconds = \"10\"\n")
                .find("rabbitmq.heartbeat_seconds"),
            std::string::npos);
  EXPECT_NE(ErrorOf(mq + "url = \"amqp://mq/\"\nca_file = \"/nonexistent/ca\"\n")
                .find("cannot read /nonexistent/ca"),
            std::string::npos);
  EXPECT_NE(ErrorOf(mq + "url = \"amqp://mq/\"\npassword = \"a\"\npassword_file = \"/x\"\n")
                .find("not both"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(kMinimal + "watch_stream = \"yes\"\n").find("watch_stream: must be true or false"),
      std::string::npos);
}

TEST(ReloadWindowTest, WrapsPastMidnight) {
  ReloadWindow night{22 * 60, 2 * 60};
  EXPECT_TRUE(InsideReloadWindow(night, 23 * 60));
  EXPECT_TRUE(InsideReloadWindow(night, 60));
  EXPECT_FALSE(InsideReloadWindow(night, 12 * 60));
  EXPECT_TRUE(InsideReloadWindow(std::nullopt, 12 * 60)) << "no window means always";
}

TEST(AgentConfigTest, ReloadFreeReadsTheKeyGroupByNameOrNumber) {
  auto c = ParseAgentConfig(kMinimal + "reload_free = true\nkey_group = \"root\"\n", "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->reload_free);
  EXPECT_EQ(c->key_gid, 0u);
  auto numeric =
      ParseAgentConfig(kMinimal + "reload_free = true\nkey_group = \"33\"\n", "agent.toml");
  ASSERT_TRUE(numeric) << numeric.error().message;
  EXPECT_EQ(numeric->key_gid, 33u);
  EXPECT_FALSE(ParseAgentConfig(kMinimal, "agent.toml")->reload_free) << "off by default";
}

TEST(AgentConfigTest, ReloadFreeNeedsAKeyGroupAndAPlainOutputDir) {
  EXPECT_NE(ErrorOf(kMinimal + "reload_free = true\n").find("key_group: is required"),
            std::string::npos);
  EXPECT_NE(ErrorOf(kMinimal + "reload_free = true\nkey_group = \"no-such-group-x\"\n")
                .find("no group \"no-such-group-x\" in /etc/group"),
            std::string::npos);
  const std::string odd =
      "hub_url = \"https://hub.test\"\ntoken = \"t\"\noutput_dir = \"/etc/cert$fleet\"\n";
  EXPECT_NE(ErrorOf(odd + "reload_free = true\nkey_group = \"0\"\n")
                .find("output_dir: must not contain '$'"),
            std::string::npos);
}

TEST(AgentConfigTest, ResolvesGroupsFromAGroupFile) {
  harness::TempDir dir("agent-config-group");
  const auto file = dir.WriteFile("group", "root:x:0:\nwww-data:x:33:\nwww:x:99:alice,bob\n");
  EXPECT_EQ(ResolveGroup("www-data", file), 33u);
  EXPECT_EQ(ResolveGroup("www", file), 99u) << "a name that prefixes another must not match it";
  EXPECT_FALSE(ResolveGroup("ww", file));
  EXPECT_EQ(ResolveGroup("1234", file), 1234u);
}

}  // namespace
}  // namespace certfleet::agent
