#include "hub/ui/csrf.h"

#include <gtest/gtest.h>

namespace certfleet::hub::ui {
namespace {

Session MakeSession() {
  Session s;
  s.id = "sid";
  s.csrf_token = std::string(64, 'a');
  return s;
}

FormValues Form(std::string_view body) {
  auto form = FormValues::Parse(body);
  EXPECT_TRUE(form) << form.error().message;
  return form ? *form : FormValues{};
}

http::Request Post() {
  http::Request r;
  r.method = "POST";
  r.headers.Set("Host", "127.0.0.1:8440");
  return r;
}

TEST(CsrfTest, AcceptsTheTokenInTheFormField) {
  EXPECT_TRUE(CheckCsrf(Post(), Form("csrf_token=" + std::string(64, 'a')), MakeSession()));
}

TEST(CsrfTest, AcceptsTheTokenInTheHtmxHeader) {
  auto r = Post();
  r.headers.Set("X-CSRF-Token", std::string(64, 'a'));
  EXPECT_TRUE(CheckCsrf(r, Form(""), MakeSession()));
}

TEST(CsrfTest, RefusesAMissingToken) {
  auto s = CheckCsrf(Post(), Form("name=x"), MakeSession());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(s.error().message.find("no CSRF token"), std::string::npos) << s.error().message;
}

TEST(CsrfTest, RefusesAWrongTokenOrATokenOfTheWrongLength) {
  EXPECT_FALSE(CheckCsrf(Post(), Form("csrf_token=" + std::string(64, 'b')), MakeSession()));
  EXPECT_FALSE(CheckCsrf(Post(), Form("csrf_token=aaaa"), MakeSession()));
  auto r = Post();
  r.headers.Set("X-CSRF-Token", std::string(64, 'b'));
  EXPECT_FALSE(CheckCsrf(r, Form("csrf_token=" + std::string(64, 'a')), MakeSession()))
      << "a wrong header must not fall back to the form field";
}

TEST(CsrfTest, RefusesWhenTheSessionHasNoToken) {
  Session s;
  EXPECT_FALSE(CheckCsrf(Post(), Form("csrf_token="), s));
}

TEST(CsrfTest, RefusesAnotherOriginEvenWithTheToken) {
  auto r = Post();
  r.headers.Set("Origin", "https://evil.example");
  auto s = CheckCsrf(r, Form("csrf_token=" + std::string(64, 'a')), MakeSession());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("evil.example"), std::string::npos) << s.error().message;
  auto same = Post();
  same.headers.Set("Origin", "http://127.0.0.1:8440");
  EXPECT_TRUE(CheckCsrf(same, Form("csrf_token=" + std::string(64, 'a')), MakeSession()));
}

TEST(CsrfTest, RefusesWhatTheBrowserMarksCrossSite) {
  auto r = Post();
  r.headers.Set("Sec-Fetch-Site", "cross-site");
  EXPECT_FALSE(CheckCsrf(r, Form("csrf_token=" + std::string(64, 'a')), MakeSession()));
}

TEST(CookieTest, FindsTheSessionCookieAmongOthers) {
  http::Request r;
  r.headers.Add("Cookie", "theme=dark; cf_session=abc123 ; other=1");
  EXPECT_EQ(CookieValue(r, kSessionCookie), "abc123");
  EXPECT_EQ(CookieValue(r, "missing"), "");
  http::Request two;
  two.headers.Add("Cookie", "a=1");
  two.headers.Add("Cookie", "cf_session=xyz");
  EXPECT_EQ(CookieValue(two, kSessionCookie), "xyz");
}

TEST(CookieTest, SessionCookieIsHttpOnlyAndSameSiteStrict) {
  const std::string cookie = SessionCookie("abc", std::chrono::hours(1), false);
  EXPECT_EQ(cookie.rfind("cf_session=abc;", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Max-Age=3600"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos)
      << "plain http (the demo on 127.0.0.1) must keep working";
  EXPECT_NE(ClearedSessionCookie(false).find("Max-Age=0"), std::string::npos);
}

TEST(CookieTest, CookiesAreSecureBehindAnHttpsFront) {
  http::Request direct;
  EXPECT_FALSE(CameOverHttps(direct));
  http::Request proxied;
  proxied.headers.Add("X-Forwarded-Proto", "HTTPS");
  ASSERT_TRUE(CameOverHttps(proxied));
  EXPECT_NE(SessionCookie("abc", std::chrono::hours(1), true).find("; Secure;"), std::string::npos);
  EXPECT_NE(ClearedSessionCookie(true).find("; Secure;"), std::string::npos);
}

TEST(FormValuesTest, DecodesPlusAndPercentEscapes) {
  auto form = FormValues::Parse("name=a+b%2Fc&sans=x.test&sans=y.test&empty=&flag");
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->Get("name"), "a b/c");
  EXPECT_EQ(form->GetAll("sans"), (std::vector<std::string>{"x.test", "y.test"}));
  EXPECT_EQ(form->Get("empty"), "");
  EXPECT_TRUE(form->Has("flag"));
  EXPECT_EQ(form->Get("missing"), "");
}

TEST(FormValuesTest, RefusesBadPercentEscapesNamingTheField) {
  auto form = FormValues::Parse("ok=1&name=%zz");
  ASSERT_FALSE(form);
  EXPECT_NE(form.error().message.find("'name'"), std::string::npos) << form.error().message;
  EXPECT_FALSE(FormValues::Parse("a=%4"));
}

}  // namespace
}  // namespace certfleet::hub::ui
