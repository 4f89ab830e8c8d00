#include "agent/discovery/nginx_syntax.h"

#include <gtest/gtest.h>

namespace certfleet::agent::discovery {
namespace {

std::vector<NginxDirective> Parse(std::string_view text) {
  auto parsed = ParseNginxConfig(text, "/etc/nginx/t.conf");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : std::vector<NginxDirective>{};
}

std::string ParseError(std::string_view text) {
  auto parsed = ParseNginxConfig(text, "/etc/nginx/t.conf");
  EXPECT_FALSE(parsed) << "parsed although nginx would refuse: " << text;
  return parsed ? "" : parsed.error().message;
}

TEST(NginxSyntax, DirectivesBlocksAndLineNumbers) {
  const auto top = Parse("user www;\n\nhttp {\n  server {\n    listen 443 ssl;\n  }\n}\n");
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].name, "user");
  EXPECT_EQ(top[0].args, std::vector<std::string>{"www"});
  ASSERT_TRUE(top[1].block);
  const auto& listen = top[1].children.at(0).children.at(0);
  EXPECT_EQ(listen.name, "listen");
  EXPECT_EQ(listen.line, 5);
  EXPECT_EQ(listen.file, "/etc/nginx/t.conf");
  EXPECT_EQ(listen.args, (std::vector<std::string>{"443", "ssl"}));
}

TEST(NginxSyntax, QuotesEscapesAndCommentsAsNginxReadsThem) {
  const auto top = Parse(
      "server_name \"a.test\" 'b.test' ~^www\\d+\\.test$; # comment ; {\n"
      "ssl_certificate \"/etc/x y.pem\";a#b c;");
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].args, (std::vector<std::string>{"a.test", "b.test", "~^www\\d+\\.test$"}));
  EXPECT_EQ(top[1].args, std::vector<std::string>{"/etc/x y.pem"});
  EXPECT_EQ(top[2].name, "a#b") << "# inside a word is not a comment";
}

TEST(NginxSyntax, BracedVariablesOpenNoBlock) {
  const auto top = Parse("ssl_certificate /certs/${ssl_server_name}.pem;\nserver {}");
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].args, std::vector<std::string>{"/certs/${ssl_server_name}.pem"});
  EXPECT_TRUE(top[1].block);
}

TEST(NginxSyntax, RefusesWhatNginxRefusesNamingFileAndLine) {
  EXPECT_EQ(ParseError("http {\n  server {\n}\n"),
            "nginx config /etc/nginx/t.conf line 4: unexpected end of file, expecting \"}\"");
  EXPECT_EQ(ParseError("}\n"), "nginx config /etc/nginx/t.conf line 1: unexpected \"}\"");
  EXPECT_NE(ParseError("listen 443").find("expecting \";\" or \"}\""), std::string::npos);
  EXPECT_NE(ParseError("a \"b;\n").find("unterminated quoted string"), std::string::npos);
  EXPECT_NE(ParseError("a \"b\"c;").find("after a quoted string"), std::string::npos);
}

TEST(NginxSyntax, LimitsNestingDepth) {
  std::string deep;
  for (int i = 0; i <= kMaxNginxDepth + 1; ++i) deep += "a {";
  EXPECT_NE(ParseError(deep).find("nested deeper than"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::agent::discovery
