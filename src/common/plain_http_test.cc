#include "common/plain_http.h"

#include <gtest/gtest.h>

namespace certfleet {
namespace {

TEST(PlainHttpTest, FindsTheHostOfAUrl) {
  EXPECT_EQ(UrlHost("https://hub.example.net:8440/x"), "hub.example.net");
  EXPECT_EQ(UrlHost("http://127.0.0.1:8440"), "127.0.0.1");
  EXPECT_EQ(UrlHost("http://[::1]:8440/"), "::1");
  EXPECT_EQ(UrlHost("http://127.0.0.1@evil.example/"), "evil.example")
      << "userinfo must not pass for the host";
  EXPECT_EQ(UrlHost("no scheme"), "");
}

TEST(PlainHttpTest, LoopbackIsLocalhost127And1) {
  for (const char* host : {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"10.0.0.5", "128.0.0.1", "127.0.0.1.evil.example", "localhost.evil",
                           "127.0.0", "127.0.0.256", "::2", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

// Review 2026-12-06, F4: the agent accepted http:// for any host, and sent its token and
// received private keys in clear text.
TEST(PlainHttpTest, PlainHttpToAnotherHostIsRefusedWithTheWayOut) {
  auto s = CheckSecretUrl("http://10.0.0.5:8440", false, "hub_url", "insecure_allow_plain_http");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("hub_url"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("unencrypted"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("insecure_allow_plain_http"), std::string::npos);
  EXPECT_FALSE(CheckSecretUrl("http://127.0.0.1@10.0.0.5/", false, "hub_url", "x"));
}

TEST(PlainHttpTest, HttpsLoopbackAndTheOverrideAreAccepted) {
  EXPECT_TRUE(CheckSecretUrl("https://hub.example.net", false, "hub_url", "x"));
  EXPECT_TRUE(CheckSecretUrl("http://127.0.0.1:8440", false, "hub_url", "x"));
  EXPECT_TRUE(CheckSecretUrl("http://localhost:8440/", false, "hub_url", "x"));
  EXPECT_TRUE(CheckSecretUrl("http://10.0.0.5:8440", true, "hub_url", "x"));
  EXPECT_FALSE(CheckSecretUrl("ftp://hub", true, "hub_url", "x")) << "only http(s)";
  EXPECT_TRUE(IsPlainHttpOffHost("http://10.0.0.5:8440"));
  EXPECT_FALSE(IsPlainHttpOffHost("http://127.0.0.1:8440"));
  EXPECT_FALSE(IsPlainHttpOffHost("https://10.0.0.5"));
}

}  // namespace
}  // namespace certfleet
