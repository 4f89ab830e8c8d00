#include "hub/ui/html.h"

#include <gtest/gtest.h>

namespace certfleet::hub::ui {
namespace {

TEST(EscapeTest, EscapesTheFiveMarkupCharacters) {
  EXPECT_EQ(Escape(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(EscapeTest, ScriptInjectionInElementTextStaysText) {
  EXPECT_EQ(Escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
}

TEST(EscapeTest, DataCannotLeaveADoubleOrSingleQuotedAttribute) {
  // A value meant for title="..." or title='...' that tries to add an event handler.
  const std::string escaped = Escape("x\" onmouseover=\"alert(1)' onfocus='y");
  EXPECT_EQ(escaped.find('"'), std::string::npos) << escaped;
  EXPECT_EQ(escaped.find('\''), std::string::npos) << escaped;
  EXPECT_EQ(escaped, "x&quot; onmouseover=&quot;alert(1)&#39; onfocus=&#39;y");
}

TEST(EscapeTest, AlreadyEscapedTextIsEscapedAgainNotTrusted) {
  EXPECT_EQ(Escape("&lt;"), "&amp;lt;");
}

TEST(EscapeTest, KeepsValidUtf8AndPlainText) {
  EXPECT_EQ(Escape("bücher.example — ok ✓ 𝄞"), "bücher.example — ok ✓ 𝄞");
  EXPECT_EQ(Escape("line1\nline2\ttab"), "line1\nline2\ttab");
  EXPECT_EQ(Escape(""), "");
}

TEST(EscapeTest, ReplacesInvalidUtf8AndControlCharacters) {
  EXPECT_EQ(Escape(std::string_view("a\xC0\xAF"
                                    "b",
                                    4)),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b")
      << "an overlong '/' must not pass through";
  EXPECT_EQ(Escape(std::string_view("\xED\xA0\x80", 3)), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")
      << "a UTF-16 surrogate is invalid UTF-8";
  EXPECT_EQ(Escape(std::string_view("x\0y\x1b", 4)), "x\xEF\xBF\xBDy\xEF\xBF\xBD");
  EXPECT_EQ(Escape("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "a truncated sequence at the end";
}

TEST(UrlComponentTest, EncodesEverythingButUnreserved) {
  EXPECT_EQ(UrlComponent("a-b_c.d~E9"), "a-b_c.d~E9");
  EXPECT_EQ(UrlComponent("a b&c=d/e?f#g\"<'"), "a%20b%26c%3Dd%2Fe%3Ff%23g%22%3C%27");
  EXPECT_EQ(UrlComponent("ü"), "%C3%BC");
}

TEST(UrlWithQueryTest, EncodesValuesAndSkipsEmptyOnes) {
  EXPECT_EQ(UrlWithQuery("/ui/domains", {{"q", "a&b"}, {"status", ""}, {"page", "2"}}),
            "/ui/domains?q=a%26b&page=2");
  EXPECT_EQ(UrlWithQuery("/ui/domains", {{"q", ""}}), "/ui/domains");
}

TEST(LinkTest, EscapesHrefAndText) {
  EXPECT_EQ(Link("/ui/domains?q=a&page=2", "<b>"),
            "<a href=\"/ui/domains?q=a&amp;page=2\">&lt;b&gt;</a>");
}

}  // namespace
}  // namespace certfleet::hub::ui
