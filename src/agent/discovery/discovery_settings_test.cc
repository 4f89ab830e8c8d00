#include "agent/discovery_settings.h"

#include <gtest/gtest.h>

#include "agent/config.h"

namespace certfleet::agent {
namespace {

const std::string kBase =
    "hub_url = \"https://hub.test\"\ntoken = \"cf_x\"\noutput_dir = \"/etc/certfleet\"\n";

TEST(DiscoverySettings, DefaultsWithoutTheTable) {
  auto c = ParseAgentConfig(kBase, "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->discovery.enabled);
  EXPECT_EQ(c->discovery.dump_command, "nginx -T");
  EXPECT_EQ(c->discovery.nginx_config, "/etc/nginx/nginx.conf");
  EXPECT_EQ(c->discovery.upload_poll, std::chrono::minutes(1));
}

TEST(DiscoverySettings, ReadsEveryKey) {
  auto c = ParseAgentConfig(kBase +
                                "[discovery]\nenabled = true\ninterval = \"1h\"\n"
                                "dump_command = \"nginx -p /srv -T\"\n"
                                "nginx_config = \"/srv/nginx.conf\"\nprobe = false\n"
                                "probe_timeout = \"250ms\"\nupload_poll = \"0s\"\n",
                            "agent.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->discovery.enabled);
  EXPECT_EQ(c->discovery.interval, std::chrono::hours(1));
  EXPECT_EQ(c->discovery.dump_command, "nginx -p /srv -T");
  EXPECT_FALSE(c->discovery.probe);
  EXPECT_EQ(c->discovery.probe_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(c->discovery.upload_poll, Duration(0));
}

TEST(DiscoverySettings, MistakesNameTheKey) {
  auto typo = ParseAgentConfig(kBase + "[discovery]\nenable = true\n", "agent.toml");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("discovery.enable"), std::string::npos)
      << typo.error().message;
  auto relative =
      ParseAgentConfig(kBase + "[discovery]\nnginx_config = \"nginx.conf\"\n", "agent.toml");
  ASSERT_FALSE(relative);
  EXPECT_NE(relative.error().message.find("discovery.nginx_config: must be an absolute path"),
            std::string::npos)
      << relative.error().message;
  EXPECT_FALSE(ParseAgentConfig(kBase + "[discovery]\nprobe_timeout = \"0s\"\n", "agent.toml"));
  EXPECT_FALSE(ParseAgentConfig(kBase + "discovery = 1\n", "agent.toml"));
}

}  // namespace
}  // namespace certfleet::agent
