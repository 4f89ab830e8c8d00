#include "cli/hub_client.h"

#include <gtest/gtest.h>

namespace certfleet::cli {
namespace {

// Review 2026-12-06, F4: the CLI sends its token with every request; over http:// to
// another host it would cross the network in clear text.
TEST(HubClientTest, PlainHttpToAnotherHostNeedsTheLoudFlag) {
  auto refused = HubClient::Create({.url = "http://10.0.0.5:8440", .token = "cf_t"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("--insecure-allow-plain-http"), std::string::npos)
      << refused.error().message;
  EXPECT_TRUE(HubClient::Create(
      {.url = "http://10.0.0.5:8440", .token = "cf_t", .insecure_allow_plain_http = true}));
  EXPECT_TRUE(HubClient::Create({.url = "http://127.0.0.1:8440", .token = "cf_t"}));
  EXPECT_TRUE(HubClient::Create({.url = "https://hub.example.net", .token = "cf_t"}));
}

}  // namespace
}  // namespace certfleet::cli
