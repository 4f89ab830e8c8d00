#include "net/http_headers.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "net/http_transport.h"

namespace certfleet::net {
namespace {

using std::chrono::seconds;

TEST(RetryAfterTest, ParsesDelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("120", TimePoint()), Duration(seconds(120)));
  EXPECT_EQ(ParseRetryAfter(" 0 ", TimePoint()), Duration(0));
}

TEST(RetryAfterTest, ParsesHttpDateRelativeToNow) {
  TimePoint now = *ParseRfc3339("2015-10-21T07:27:00Z");
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), Duration(seconds(60)));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), Duration(0))
      << "past dates mean now";
}

TEST(RetryAfterTest, RejectsGarbage) {
  for (const char* value :
       {"", "-5", "soon", "12abc", "Wed, 21 Foo 2015 07:28:00 GMT", "99999999999999999999",
        // a four-digit year a TimePoint cannot hold: refused, not wrapped (signed overflow)
        "Fri, 31 Dec 9999 23:59:59 GMT"}) {
    EXPECT_FALSE(ParseRetryAfter(value, TimePoint())) << value;
  }
}

TEST(LinkTest, FindsAlternatesAmongOtherRelations) {
  std::vector<std::string> fields = {
      R"(<https://ca.test/dir>;rel="index")",
      R"(<https://ca.test/cert/1/1>;rel="alternate", <https://ca.test/cert/1/2>; rel=alternate)",
      R"(<https://ca.test/up>;rel="up";title="a, b")"};
  EXPECT_EQ(ParseLinks(fields, "alternate"),
            (std::vector<std::string>{"https://ca.test/cert/1/1", "https://ca.test/cert/1/2"}));
  EXPECT_EQ(ParseLinks(fields, "index"), std::vector<std::string>{"https://ca.test/dir"});
  EXPECT_EQ(ParseLinks(fields, "up"), std::vector<std::string>{"https://ca.test/up"});
}

TEST(LinkTest, ToleratesMalformedValues) {
  EXPECT_TRUE(ParseLinks({"<unterminated", "no brackets;rel=alternate", ""}, "alternate").empty());
}

TEST(HttpHeadersTest, LookupIgnoresCaseAndKeepsRepeats) {
  HttpHeaders headers;
  headers.Add("Link", "a");
  headers.Add("LINK", "b");
  EXPECT_EQ(headers.Get("link"), "a");
  EXPECT_EQ(headers.GetAll("Link"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(headers.Get("Location"));
}

}  // namespace
}  // namespace certfleet::net
