#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/domain_commands.h"
#include "cli/json_text.h"
#include "cli/watch_commands.h"

namespace certfleet::cli {
namespace {

TEST(Output, DisplayWidthCountsCharactersNotBytes) {
  EXPECT_EQ(DisplayWidth("Müller"), 6u);
  EXPECT_EQ(DisplayWidth("shop.example.com"), 16u);
}

TEST(Output, FitMiddleKeepsBothEnds) {
  EXPECT_EQ(FitMiddle("shop.example.com", 20), "shop.example.com");
  EXPECT_EQ(FitMiddle("a-very-long-subdomain.example.com", 15), "a-very-…ple.com");
  EXPECT_EQ(DisplayWidth(FitMiddle("ümläüt-ümläüt-ümläüt.example", 10)), 10u)
      << "multi-byte characters are never split";
}

TEST(Output, ATerminalTableFitsItsWidthByShrinkingNames) {
  Table t{
      {{"NAME", false, true}, {"STATE"}}, {{std::string(80, 'n') + ".example", "valid"}}, {}, -1};
  std::ostringstream out;
  PrintTable(out, t, false, Terminal{.tty = true, .color = false, .width = 40});
  std::string line;
  std::istringstream lines(out.str());
  while (std::getline(lines, line)) EXPECT_LE(DisplayWidth(line), 40u) << line;
  std::ostringstream pipe;
  PrintTable(pipe, t, false, Terminal{});
  EXPECT_NE(pipe.str().find(std::string(80, 'n')), std::string::npos) << "a pipe gets full names";
}

TEST(Output, WideOnlyColumnsAppearWithWideAndCsv) {
  Table t{{{"NAME"}, {"PROBLEMS", true}}, {{"a.example", "x, \"y\""}}, {}, -1};
  std::ostringstream narrow, wide, csv;
  PrintTable(narrow, t, false, Terminal{});
  PrintTable(wide, t, true, Terminal{});
  PrintCsv(csv, t);
  EXPECT_EQ(narrow.str(), "NAME\na.example\n");
  EXPECT_NE(wide.str().find("PROBLEMS"), std::string::npos);
  EXPECT_EQ(csv.str(), "NAME,PROBLEMS\r\na.example,\"x, \"\"y\"\"\"\r\n");
}

TEST(Output, ColourOnlyOnATerminalThatWantsIt) {
  Table t{{{"STATE"}}, {{"failed"}}, {"bad"}, 0};
  std::ostringstream plain, colour;
  PrintTable(plain, t, false, Terminal{.tty = true, .color = false, .width = 80});
  PrintTable(colour, t, false, Terminal{.tty = true, .color = true, .width = 80});
  EXPECT_EQ(plain.str().find("\033["), std::string::npos);
  EXPECT_NE(colour.str().find("\033[31mfailed\033[0m"), std::string::npos);
}

TEST(Output, FormatsAreNamed) {
  EXPECT_EQ(ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(ParseOutputFormat("yaml").error().message,
            "-o yaml: choose table, wide, json, csv or name");
}

TEST(SinceToTime, SpansDatesAndTimes) {
  const auto now = std::chrono::sys_days{std::chrono::year(2026) / 12 / 6} + std::chrono::hours(12);
  EXPECT_EQ(SinceToTime("24h", now), "2026-12-05T12:00:00Z");
  EXPECT_EQ(SinceToTime("7d", now), "2026-11-29T12:00:00Z");
  EXPECT_EQ(SinceToTime("30m", now), "2026-12-06T11:30:00Z");
  EXPECT_EQ(SinceToTime("2026-12-01", now), "2026-12-01T00:00:00Z");
  EXPECT_FALSE(SinceToTime("yesterday", now));
}

// A const json's operator[] on a missing key is undefined behaviour (an abort in this debug
// build): `domain show` crashed on a hub answer without "sans".
TEST(JsonText, FieldIsNullForAMissingKeyOrANonObject) {
  const nlohmann::json d = {{"name", "a.example"}};
  EXPECT_TRUE(Field(d, "sans").is_null());
  EXPECT_TRUE(Field(nlohmann::json::array(), "sans").is_null());
  EXPECT_EQ(Field(d, "name"), "a.example");
  EXPECT_EQ(Joined(Field(d, "sans")), "");
  EXPECT_EQ(Text(d, "issuer", "-"), "-");
}

TEST(DomainOutput, AnAnswerWithOnlyANameIsShownAndListed) {
  auto hub = HubClient::Create({.url = "http://127.0.0.1:1", .token = "cf_t"});
  ASSERT_TRUE(hub);
  std::ostringstream out, err;
  CliContext ctx{.hub = *hub, .out = out, .err = err};
  const nlohmann::json d = {{"name", "a.example"}, {"state", {{"problems", {"no agent", 7}}}}};
  PrintDomain(ctx, d);
  EXPECT_NE(out.str().find("domain:       a.example"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("other names"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("problem:    7"), std::string::npos) << "a non-text problem is shown";
  const Table t = DomainTable(nlohmann::json::array({d}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][0], "a.example");
}

}  // namespace
}  // namespace certfleet::cli
