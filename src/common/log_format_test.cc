#include "common/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

namespace certfleet {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

const system_clock::time_point kTime{milliseconds(1796500688123)};
const std::string kSecret = "cf_" + std::string(43, 'A');

TEST(LogFormat, JsonLineHasTimeLevelComponentMessageAndFields) {
  const std::string line =
      FormatJsonLogLine(kTime, "info", "hub", "shop.example: stored certificate 3",
                        {{"domain", "shop.example"}, {"order", "7"}});
  ASSERT_EQ(line.back(), '\n') << "one object per line";
  const auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["time"], "2026-12-05T19:58:08.123Z");
  EXPECT_EQ(json["level"], "info");
  EXPECT_EQ(json["component"], "hub");
  EXPECT_EQ(json["message"], "shop.example: stored certificate 3");
  EXPECT_EQ(json["domain"], "shop.example");
  EXPECT_EQ(json["order"], "7");
}

TEST(LogFormat, InnerFieldOverridesOuterAndFixedKeysAreNotReplaced) {
  const auto json = nlohmann::json::parse(FormatJsonLogLine(
      kTime, "warn", "agent", "m", {{"domain", "a.example"}, {"message", "x"}, {"domain", "b"}}));
  EXPECT_EQ(json["domain"], "b");
  EXPECT_EQ(json["message"], "m");
  EXPECT_EQ(json["field_message"], "x");
}

TEST(LogFormat, DomainIsTakenFromTheMessagePrefixWhenNoFieldSetsIt) {
  auto json = nlohmann::json::parse(
      FormatJsonLogLine(kTime, "info", "agent", "shop.example: certificate 3 deployed", {}));
  EXPECT_EQ(json["domain"], "shop.example");
  json = nlohmann::json::parse(
      FormatJsonLogLine(kTime, "info", "agent", "pass at revision 3: 1 deployed", {}));
  EXPECT_FALSE(json.contains("domain")) << "not a DNS name";
  json = nlohmann::json::parse(
      FormatJsonLogLine(kTime, "info", "hub", "x.example: y", {{"domain", "z.example"}}));
  EXPECT_EQ(json["domain"], "z.example") << "an explicit field wins";
}

TEST(LogFormat, EscapesControlCharactersAndInvalidUtf8) {
  const std::string message =
      std::string("quote \" backslash \\ newline \n bell \x07 bad \xff ") + "ok \xc3\xa9";
  const std::string line = FormatJsonLogLine(kTime, "error", "hub", message, {});
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "no raw newline inside the object: " << line;
  const auto json = nlohmann::json::parse(line);  // throws on invalid UTF-8
  EXPECT_EQ(json["message"],
            "quote \" backslash \\ newline \n bell \x07 bad \xef\xbf\xbd ok \xc3\xa9");
}

// Review 2026-12-06, F15: the agent logged a hub-supplied domain raw ("refusing \"{}\""),
// so a hostile hub could forge log lines or send escape sequences to the operator's terminal.
TEST(LogFormat, TextLinesStayOneLineWhateverTheMessageHolds) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
  ConfigureLogging(LogFormat::kText, "agent");
  spdlog::error("refusing \"{}\": not a domain name",
                std::string("a\nb.example\r\n[info] forged line\x1b[2J\x7f\0end", 40));
  spdlog::info("tab\tstays and {} is redacted", kSecret);
  spdlog::set_default_logger(previous);
  const std::string text = out.str();
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  EXPECT_NE(text.find("refusing \"a\\nb.example\\r\\n[info] forged line\\x1b[2J\\x7f\\x00end\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tab\tstays and cf_[redacted] is redacted"), std::string::npos) << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos);
}

TEST(LogFormat, TokenSecretsAreRedacted) {
  EXPECT_EQ(RedactSecrets("token " + kSecret + " refused"), "token cf_[redacted] refused");
  EXPECT_EQ(RedactSecrets("Bearer " + kSecret), "Bearer cf_[redacted]");
  EXPECT_EQ(RedactSecrets("cf_short and xcf_" + std::string(43, 'b')),
            "cf_short and xcf_" + std::string(43, 'b'))
      << "only whole tokens are secrets";
  const auto json = nlohmann::json::parse(
      FormatJsonLogLine(kTime, "info", "hub", "x", {{"token", "Bearer " + kSecret}}));
  EXPECT_EQ(json["token"], "Bearer cf_[redacted]") << "fields are redacted too";
}

TEST(LogFormat, PrivateKeysAreRedactedButCertificatesAreNot) {
  const std::string key =
      "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----";
  const std::string cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
  EXPECT_EQ(RedactSecrets("a " + key + " b"), "a [redacted private key] b");
  EXPECT_EQ(RedactSecrets(cert), cert);
  EXPECT_EQ(RedactSecrets("cut -----BEGIN PRIVATE KEY-----\nMIGHAgEA"),
            "cut [redacted private key]");
}

TEST(LogFormat, ParseLogFormatNamesTheChoices) {
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(*ParseLogFormat("text"), LogFormat::kText);
  auto bad = ParseLogFormat("xml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "expected \"text\" or \"json\", got \"xml\"");
}

TEST(LogFields, ScopesNestAndEnd) {
  EXPECT_TRUE(CurrentLogFields().empty());
  {
    ScopedLogFields outer({{"domain", "a.example"}});
    {
      ScopedLogFields inner({{"order", "3"}, {"machine", "web-03"}});
      EXPECT_EQ(CurrentLogFields().size(), 3u);
    }
    ASSERT_EQ(CurrentLogFields().size(), 1u);
    EXPECT_EQ(CurrentLogFields()[0].second, "a.example");
  }
  EXPECT_TRUE(CurrentLogFields().empty());
}

}  // namespace
}  // namespace certfleet
