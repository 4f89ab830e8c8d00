#include "notify/payloads.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace certfleet::notify {
namespace {

Message Sample() {
  Notice n{.kind = NoticeKind::kFailed,
           .severity = Severity::kCritical,
           .subject = "shop.example.com",
           .summary = "issuance failed: <urn:ietf:params:acme:error:dns> & more"};
  return FormatMessage("m-1", {n}, TimePoint(std::chrono::seconds(1'700'000'000)));
}

TEST(RocketChatPayloadTest, HasTextAndOneColouredAttachment) {
  auto j = RocketChatPayload(Sample());
  EXPECT_EQ(j["alias"], "certfleet");
  EXPECT_EQ(j["text"], "Issuance failure: shop.example.com");
  ASSERT_EQ(j["attachments"].size(), 1u);
  EXPECT_EQ(j["attachments"][0]["color"], "#a30200") << "critical is red";
  EXPECT_EQ(j["attachments"][0]["text"], RocketChatEscape(Sample().text));
}

// Review 2026-12-06, F5: an agent's error text (any agent token) and machine names went
// into Rocket.Chat verbatim: @all pinged the channel, [text](url) planted a link.
TEST(RocketChatPayloadTest, MentionsAndLinksFromAgentTextAreNeutralised) {
  Message m = Sample();
  m.title = "Deployment failure on @here";
  m.text =
      "web-1 failed: @all URGENT: re-enter your token at [the certfleet "
      "login](https://evil.example/ui/login) <https://evil.example|here> <!channel>";
  auto j = RocketChatPayload(m);
  const std::string title = j["text"];
  const std::string text = j["attachments"][0]["text"];
  EXPECT_EQ(title.find("@here"), std::string::npos) << title;
  EXPECT_EQ(j["attachments"][0]["title"], title);
  EXPECT_EQ(text.find("@all"), std::string::npos) << "a mention would ping everyone: " << text;
  EXPECT_EQ(text.find("]("), std::string::npos) << "a markdown link survived: " << text;
  EXPECT_EQ(text.find("<https"), std::string::npos) << "a <url|text> link survived: " << text;
  EXPECT_EQ(text.find("<!"), std::string::npos) << text;
  EXPECT_NE(text.find("login"), std::string::npos) << "the words themselves stay readable";
}

TEST(SlackPayloadTest, HasFallbackTextAndBlocksWithEscapedMrkdwn) {
  auto j = SlackPayload(Sample());
  EXPECT_EQ(j["blocks"][0]["type"], "header");
  EXPECT_EQ(j["blocks"][0]["text"]["text"], "Issuance failure: shop.example.com");
  std::string section = j["blocks"][1]["text"]["text"];
  EXPECT_NE(section.find("&lt;urn:ietf:params:acme:error:dns&gt; &amp; more"), std::string::npos)
      << "Slack treats < > & as markup; they must be escaped: " << section;
  EXPECT_EQ(j["text"].get<std::string>().rfind("Issuance failure: shop.example.com\n", 0), 0u);
}

TEST(SlackPayloadTest, LongTextIsCutToTheSectionLimit) {
  Message m = Sample();
  m.text = std::string(5000, 'x');
  auto j = SlackPayload(m);
  EXPECT_LE(j["blocks"][1]["text"]["text"].get<std::string>().size(), 3000u);
}

TEST(WebhookPayloadTest, CarriesTheMessageAndEveryNotice) {
  auto j = WebhookPayload(Sample());
  EXPECT_EQ(j["id"], "m-1");
  EXPECT_EQ(j["severity"], "critical");
  EXPECT_EQ(j["created_at"], "2023-11-14T22:13:20Z");
  ASSERT_EQ(j["notices"].size(), 1u);
  EXPECT_EQ(j["notices"][0]["kind"], "failed");
  EXPECT_EQ(j["notices"][0]["subject"], "shop.example.com");
}

TEST(WebhookSignatureTest, IsHmacSha256OverTimestampDotBody) {
  // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
  EXPECT_EQ(WebhookSignature("s3cret", "1700000000", R"({"a":1})"),
            "sha256=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940");
}

}  // namespace
}  // namespace certfleet::notify
