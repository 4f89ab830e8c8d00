// The web UI over real HTTP (the hub's router on a real server, SQLite in a temp dir):
// sign-in, sessions, CSRF, roles and escaping as a browser would meet them, without the
// browser (tests/browser covers the whole flow in chromium).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "hub/api/api_test_fixture.h"
#include "hub/api/body_admission.h"
#include "hub/api/routes.h"
#include "hub/discovery/testing/report_json.h"
#include "hub/ui/html.h"
#include "hub/ui/routes.h"

namespace certfleet::hub::ui {
namespace {

using nlohmann::json;

class UiPagesTest : public api::ApiTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(api::ApiTest::SetUp());
    http::Router router;
    api::AddApiRoutes(router, *ctx_);
    AddUiRoutes(router, *ctx_, session_options_);
    auto server = http::Server::Start(
        {.listen = "127.0.0.1:0",
         .io_threads = 2,
         .admit_body =
             [ctx = ctx_.get()](const http::Request& h) { return api::AdmitBody(*ctx, h); }},
        std::move(router));
    ASSERT_TRUE(server) << server.error().message;
    ui_server_ = std::move(*server);
    ui_ = ui_server_->BaseUrl();
  }
  void TearDown() override {
    if (ui_server_) ui_server_->Stop();
    api::ApiTest::TearDown();
  }

  // A request with this test's session cookie; remembers any new session cookie.
  harness::HttpResult Browse(const std::string& method, const std::string& path,
                             const std::string& form = "", std::vector<std::string> headers = {}) {
    harness::HttpRequest request;
    request.method = method;
    request.body = form;
    request.headers = std::move(headers);
    if (!form.empty()) request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    std::string cookies;
    if (!cookie_.empty()) cookies = "cf_session=" + cookie_;
    if (!signin_cookie_.empty())
      cookies += (cookies.empty() ? "" : "; ") + ("cf_signin=" + signin_cookie_);
    if (!cookies.empty()) request.headers.push_back("Cookie: " + cookies);
    auto r = browser_.Fetch(ui_ + path, request);
    EXPECT_TRUE(r.ok()) << method << " " << path << ": " << r.error;
    static const std::regex kCookie("cf_session=([0-9a-f]*);");
    static const std::regex kSignInCookie("cf_signin=([0-9a-f.]*);");
    std::smatch m;
    if (auto it = r.headers.find("set-cookie"); it != r.headers.end()) {
      if (std::regex_search(it->second, m, kCookie)) cookie_ = m[1];
      if (std::regex_search(it->second, m, kSignInCookie)) signin_cookie_ = m[1];
    }
    return r;
  }

  static std::string CsrfOf(const std::string& html) {
    static const std::regex kCsrf("name=\"csrf_token\" value=\"([0-9a-f]{64})\"");
    std::smatch m;
    return std::regex_search(html, m, kCsrf) ? std::string(m[1]) : "";
  }

  // Signs in with `token`; returns the signed-in page's CSRF token.
  std::string SignIn(const std::string& token) {
    const std::string csrf = CsrfOf(Browse("GET", "/ui/login").body);
    EXPECT_FALSE(csrf.empty()) << "the sign-in form carries a CSRF token";
    auto r = Browse("POST", "/ui/login",
                    "csrf_token=" + csrf + "&next=%2Fui%2F&token=" + UrlComponent(token));
    EXPECT_EQ(r.status, 303) << r.body;
    return CsrfOf(Browse("GET", "/ui/").body);
  }

  std::unique_ptr<http::Server> ui_server_;
  std::string ui_;
  std::string cookie_;
  std::string signin_cookie_;       // the sign-in form's cf_signin (no session before sign-in)
  SessionOptions session_options_;  // for AddUiRoutes, before SetUp
  harness::HttpClient browser_;
};

TEST_F(UiPagesTest, PagesSendStrangersToTheSignInForm) {
  auto r = Browse("GET", "/ui/domains?q=a");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers["location"], "/ui/login?next=%2Fui%2Fdomains%3Fq%3Da");
  auto htmx = Browse("GET", "/ui/domains", "", {"HX-Request: true"});
  EXPECT_EQ(htmx.headers["hx-redirect"].rfind("/ui/login", 0), 0u)
      << "htmx requests are redirected by header";
}

TEST_F(UiPagesTest, SignInSetsAStrictHttpOnlyCookieWithANewId) {
  auto form = Browse("GET", "/ui/login");
  EXPECT_TRUE(cookie_.empty()) << "loading the sign-in form creates no session";
  EXPECT_NE(form.headers["set-cookie"].find("HttpOnly"), std::string::npos);
  EXPECT_NE(form.headers["set-cookie"].find("SameSite=Strict"), std::string::npos);
  const std::string anonymous = signin_cookie_;
  ASSERT_FALSE(anonymous.empty()) << form.headers["set-cookie"];
  const std::string csrf = CsrfOf(Browse("GET", "/ui/login").body);
  const std::string before = cookie_;
  auto r = Browse("POST", "/ui/login", "csrf_token=" + csrf + "&token=" + UrlComponent(admin_));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.headers["location"], "/ui/");
  EXPECT_NE(cookie_, before) << "sign-in must issue a new session id";
  EXPECT_NE(r.headers["set-cookie"].find("HttpOnly"), std::string::npos) << r.headers["set-cookie"];
  EXPECT_NE(r.headers["set-cookie"].find("SameSite=Strict"), std::string::npos)
      << r.headers["set-cookie"];
  EXPECT_EQ(Browse("GET", "/ui/").status, 200);
}

// Review 2026-12-06, F3: a form body is read in full only for a signed-in session; anyone
// else gets the small anonymous allowance (enough for the sign-in form).
TEST_F(UiPagesTest, OnlyASignedInSessionMayPostALargeForm) {
  const std::string big = "csrf_token=x&name=" + std::string(api::kAnonymousFormLimit, 'a');
  EXPECT_EQ(Browse("POST", "/ui/domains/new", big).status, 413) << "signed out";
  SignIn(admin_);
  EXPECT_NE(Browse("POST", "/ui/domains/new", big).status, 413)
      << "a signed-in session must be able to post forms up to body_limit";
}

// Review 2026-12-06, F8: every GET /ui/login created an anonymous session, evicted first
// when the store was full, so a flood of unauthenticated GETs signed nobody in: "The
// sign-in form expired". The form now stores nothing on the hub.
class SignInFloodTest : public UiPagesTest {
 protected:
  void SetUp() override {
    session_options_.max_sessions = 8;
    UiPagesTest::SetUp();
  }
};

TEST_F(SignInFloodTest, AFloodOfSignInFormsEvictsNobodysForm) {
  const std::string csrf = CsrfOf(Browse("GET", "/ui/login").body);
  ASSERT_FALSE(csrf.empty());
  harness::HttpClient attacker;
  for (int i = 0; i < 50; ++i) ASSERT_EQ(attacker.Fetch(ui_ + "/ui/login").status, 200);
  auto r = Browse("POST", "/ui/login", "csrf_token=" + csrf + "&token=" + UrlComponent(admin_));
  EXPECT_EQ(r.status, 303) << "the victim's form must still work after the flood: " << r.body;
  EXPECT_EQ(Browse("GET", "/ui/").status, 200);
}

TEST_F(UiPagesTest, ASignInFormFromAnotherBrowserIsRefused) {
  const std::string csrf = CsrfOf(Browse("GET", "/ui/login").body);
  signin_cookie_ = "1.00";  // another browser's cookie (or none) with this page's token
  auto r = Browse("POST", "/ui/login", "csrf_token=" + csrf + "&token=" + UrlComponent(admin_));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Browse("GET", "/ui/").status, 303) << "still signed out";
}

TEST_F(UiPagesTest, SignInNeedsTheFormsCsrfToken) {
  Browse("GET", "/ui/login");
  auto r = Browse("POST", "/ui/login", "token=" + UrlComponent(admin_));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Browse("GET", "/ui/").status, 303) << "still signed out";
}

TEST_F(UiPagesTest, WrongAndAgentTokensCannotSignIn) {
  MakeMachine("web-1");
  const std::string agent = TokenFor("agent", "web-1");
  for (const std::string& token : {std::string("cf_wrong"), agent}) {
    const std::string csrf = CsrfOf(Browse("GET", "/ui/login").body);
    auto r = Browse("POST", "/ui/login", "csrf_token=" + csrf + "&token=" + UrlComponent(token));
    EXPECT_GE(r.status, 400) << r.body;
    EXPECT_EQ(Browse("GET", "/ui/").status, 303) << "not signed in";
  }
}

TEST_F(UiPagesTest, PostWithoutCsrfTokenIsRefusedAndChangesNothing) {
  MakeDomain({{"name", "shop.example.com"}});
  const std::string csrf = SignIn(admin_);
  const auto version = Body(Call("GET", "/api/v1/domains/shop.example.com"))["version"];
  auto r = Browse("POST", "/ui/domains/shop.example.com/issue", "x=1");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("CSRF"), std::string::npos) << r.body;
  auto wrong =
      Browse("POST", "/ui/domains/shop.example.com/issue", "csrf_token=" + std::string(64, '0'));
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains/shop.example.com"))["version"], version);
  auto ok = Browse("POST", "/ui/domains/shop.example.com/issue", "csrf_token=" + csrf);
  EXPECT_EQ(ok.status, 303) << "the same POST with the token works: " << ok.body;
}

TEST_F(UiPagesTest, ReadonlySeesNoButtonsAndItsPostsAreRefused) {
  MakeDomain({{"name", "shop.example.com"}});
  const std::string csrf = SignIn(TokenFor("readonly"));
  auto page = Browse("GET", "/ui/domains/shop.example.com");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("issue-now"), std::string::npos) << "no issue button for readonly";
  EXPECT_EQ(page.body.find("edit-domain"), std::string::npos);
  auto r = Browse("POST", "/ui/domains/shop.example.com/issue", "csrf_token=" + csrf);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Browse("GET", "/ui/domains/new").status, 403);
}

TEST_F(UiPagesTest, StoredDataIsEscapedInPages) {
  auto r = Call(
      "POST", "/api/v1/customers",
      json{{"name", "<b onmouseover=alert(1)>x"}, {"contact", "\"><img src=x onerror=alert(2)>"}}
          .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  SignIn(admin_);
  auto page = Browse("GET", "/ui/customers");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<b onmouseover"), std::string::npos) << "customer name must be escaped";
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos) << "contact must be escaped";
  EXPECT_NE(page.body.find("&lt;b onmouseover=alert(1)&gt;x"), std::string::npos);
}

TEST_F(UiPagesTest, AddDomainShowsTheApisValidationMessageBesideTheField) {
  const std::string csrf = SignIn(admin_);
  const std::string bad = "bad..name.example";
  const std::string api_message =
      ErrorMessageOf(Call("POST", "/api/v1/domains", json{{"name", bad}}.dump()));
  ASSERT_FALSE(api_message.empty());
  auto r =
      Browse("POST", "/ui/domains/new", "csrf_token=" + csrf + "&name=" + bad + "&issuer=pebble");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("id=\"error-name\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(Escape(api_message)), std::string::npos)
      << "expected the API's message: " << api_message;
  auto good =
      Browse("POST", "/ui/domains/new", "csrf_token=" + csrf + "&name=good.example&issuer=pebble");
  EXPECT_EQ(good.status, 303) << good.body;
  EXPECT_EQ(Call("GET", "/api/v1/domains/good.example").status, 200);
  EXPECT_GE(wakes_.load(), 1) << "a new ACME domain wakes the issuance worker";
}

TEST_F(UiPagesTest, RevokingTheTokenEndsTheSession) {
  const std::string token = TokenFor("support");
  SignIn(token);
  ASSERT_EQ(Browse("GET", "/ui/").status, 200);
  auto tokens = Body(Call("GET", "/api/v1/tokens"))["items"];
  for (const auto& t : tokens) {
    if (t.value("role", "") == "support")
      Call("DELETE", "/api/v1/tokens/" + std::to_string(t["id"].get<int>()));
  }
  EXPECT_EQ(Browse("GET", "/ui/").status, 303) << "a revoked token's session must end";
}

TEST_F(UiPagesTest, ATokenRevokedInTheUiIsRefusedByTheApiOnTheNextRequest) {
  const std::string reader = TokenFor("readonly");
  ASSERT_EQ(CallAs(reader, "GET", "/api/v1/domains").status, 200);  // now in the token cache
  std::int64_t id = 0;
  const auto tokens = Body(Call("GET", "/api/v1/tokens"));
  for (const auto& t : tokens["items"]) {
    if (t.value("role", "") == "readonly") id = t["id"].get<std::int64_t>();
  }
  ASSERT_NE(id, 0);
  const std::string csrf = SignIn(admin_);
  auto r = Browse("POST", "/ui/tokens/" + std::to_string(id) + "/revoke",
                  "csrf_token=" + csrf + "&confirm=yes");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(CallAs(reader, "GET", "/api/v1/domains").status, 401)
      << "a token revoked in the UI was accepted by the API (from the token cache?)";
}

TEST_F(UiPagesTest, SignOutEndsTheSession) {
  const std::string csrf = SignIn(admin_);
  const std::string session = cookie_;
  auto r = Browse("POST", "/ui/logout", "csrf_token=" + csrf);
  EXPECT_EQ(r.status, 303);
  cookie_ = session;  // a copied cookie must not work after sign-out either
  EXPECT_EQ(Browse("GET", "/ui/").status, 303);
}

TEST_F(UiPagesTest, AssetsAreEmbeddedWithEtags) {
  auto js = Browse("GET", "/ui/assets/htmx.min.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_NE(js.body.find("htmx"), std::string::npos);
  auto again =
      Browse("GET", "/ui/assets/htmx.min.js", "", {"If-None-Match: " + js.headers["etag"]});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(Browse("GET", "/ui/assets/nope.js").status, 404);
}

TEST_F(UiPagesTest, EveryPageRendersForAnEmptyAndASmallFleet) {
  SignIn(admin_);
  for (const char* path :
       {"/ui/", "/ui/domains", "/ui/customers", "/ui/machines", "/ui/domains/new"}) {
    EXPECT_EQ(Browse("GET", path).status, 200) << path;
  }
  MakeMachine("web-1");
  MakeDomain({{"name", "a.example"}, {"machines", json::array({"web-1"})}});
  MakeDomain({{"name", "m.example"}, {"issuer", "manual"}});
  for (const char* path :
       {"/ui/", "/ui/domains?q=example&status=pending&sort=expiry", "/ui/machines/web-1",
        "/ui/domains/a.example", "/ui/domains/a.example/edit", "/ui/domains/m.example/upload"}) {
    auto r = Browse("GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_NE(r.headers["content-security-policy"].find("script-src 'self'"), std::string::npos)
        << path;
  }
  auto rows = Browse("GET", "/ui/domains?q=a.ex", "", {"HX-Request: true"});
  EXPECT_EQ(rows.body.rfind("<div id=\"domain-table\">", 0), 0u) << "htmx gets the table only";
  EXPECT_NE(rows.body.find("a.example"), std::string::npos);
  EXPECT_EQ(rows.body.find("m.example"), std::string::npos) << "search filters server-side";
}

// Issue 14: the domain list pages by cursor (next, previous, first) and says how many.
TEST_F(UiPagesTest, DomainListPagesByCursorBothWays) {
  for (int i = 0; i < 120; ++i) {
    MakeDomain({{"name", "d" + std::string(i < 10 ? "00" : (i < 100 ? "0" : "")) +
                             std::to_string(i) + ".example"}});
  }
  SignIn(admin_);
  // The href of the pager link with this text, unescaped; "" when there is none.
  auto link = [](const std::string& body, const std::string& text) {
    std::smatch m;
    if (!std::regex_search(body, m, std::regex("<a href=\"([^\"]*)\"[^>]*>" + text + "</a>"))) {
      return std::string();
    }
    return std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
  };
  auto first = Browse("GET", "/ui/domains");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find("120 domains"), std::string::npos);
  EXPECT_NE(first.body.find("d049.example"), std::string::npos);
  EXPECT_EQ(first.body.find("d050.example"), std::string::npos);
  EXPECT_EQ(link(first.body, "‹ previous"), "") << "nothing before the first page";
  const std::string next = link(first.body, "next ›");
  ASSERT_NE(next.find("after="), std::string::npos) << first.body;

  auto second = Browse("GET", next);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.body.find("d049.example"), std::string::npos);
  EXPECT_NE(second.body.find("d050.example"), std::string::npos);
  EXPECT_NE(second.body.find("d099.example"), std::string::npos);
  EXPECT_NE(link(second.body, "« first"), "");
  auto third = Browse("GET", link(second.body, "next ›"));
  EXPECT_NE(third.body.find("d119.example"), std::string::npos);
  EXPECT_EQ(link(third.body, "next ›"), "") << "nothing after the last page";

  // Back from the third page: the second again, then the first (no previous link there).
  const std::string previous = link(third.body, "‹ previous");
  ASSERT_NE(previous.find("before="), std::string::npos) << third.body;
  auto back = Browse("GET", previous, "", {"HX-Request: true"});
  EXPECT_NE(back.body.find("d050.example"), std::string::npos);
  EXPECT_NE(back.body.find("d099.example"), std::string::npos);
  EXPECT_EQ(back.body.find("d100.example"), std::string::npos);
  auto front = Browse("GET", link(back.body, "‹ previous"), "", {"HX-Request: true"});
  EXPECT_NE(front.body.find("d000.example"), std::string::npos);
  EXPECT_EQ(link(front.body, "‹ previous"), "");
  EXPECT_EQ(link(front.body, "« first"), "");

  EXPECT_EQ(Browse("GET", "/ui/domains?after=garbage").status, 400);
  EXPECT_EQ(Browse("GET", "/ui/domains?page=2").status, 200) << "old page links still work";
}

// Issue 16 / newcomer N3: support can ask for a redeploy without ordering a certificate.
TEST_F(UiPagesTest, RedeployButtonsAskTheAgentsWithoutAnOrder) {
  MakeMachine("web-03");
  MakeDomain({{"name", "shop.example.com"}, {"machines", {"web-03"}}});
  const std::string csrf = SignIn(admin_);
  auto machine = Browse("GET", "/ui/machines/web-03");
  ASSERT_EQ(machine.status, 200);
  EXPECT_NE(machine.body.find("id=\"redeploy-machine\""), std::string::npos) << machine.body;
  EXPECT_NE(Browse("GET", "/ui/domains/shop.example.com").body.find("id=\"redeploy-domain\""),
            std::string::npos);
  const auto since = Body(Call("GET", "/api/v1/events?since=0&limit=1000"))["revision"];
  auto r =
      Browse("POST", "/ui/machines/web-03/redeploy", "csrf_token=" + csrf, {"HX-Request: true"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("Redeploy of every certificate requested on web-03"), std::string::npos)
      << r.body;
  auto d = Browse("POST", "/ui/domains/shop.example.com/redeploy", "csrf_token=" + csrf);
  EXPECT_EQ(d.status, 303) << "a plain form post goes back to the page";
  auto events = Body(Call("GET", "/api/v1/events?limit=1000&since=" + since.dump()));
  int redeploys = 0;
  for (const auto& e : events["events"]) {
    EXPECT_NE(e["type"], "domain.issue_requested") << "a redeploy never orders a certificate";
    redeploys += e["type"] == "machine.redeploy_requested";
  }
  EXPECT_EQ(redeploys, 2);
}

TEST_F(UiPagesTest, ReadonlyCannotRedeploy) {
  MakeMachine("web-03");
  const std::string csrf = SignIn(TokenFor("readonly"));
  EXPECT_EQ(Browse("GET", "/ui/machines/web-03").body.find("redeploy-machine"), std::string::npos);
  EXPECT_EQ(Browse("POST", "/ui/machines/web-03/redeploy", "csrf_token=" + csrf).status, 403);
}

// Issue 15: the domain page's Challenges section — which challenge answers each name and
// the domain's challenge choice, which managers save and readers only see.
TEST_F(UiPagesTest, TheChallengesSectionShowsEachNamesChallengeAndSavesTheChoice) {
  MakeDomain({{"name", "shop.example.com"}, {"sans", {"*.shop.example.com"}}, {"issuer", "dns"}});
  const std::string csrf = SignIn(admin_);
  auto page = Browse("GET", "/ui/domains/shop.example.com");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<section id=\"dns01\"><h2>Challenges</h2>"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("<td>*.shop.example.com</td><td>dns-01 (delegation)</td>"),
            std::string::npos);
  EXPECT_NE(page.body.find("id=\"set-challenge\""), std::string::npos);
  EXPECT_EQ(page.body.find("check-delegation"), std::string::npos)
      << "no check button without a delegated zone on this hub";
  auto saved = Browse("POST", "/ui/domains/shop.example.com/dns01/challenge",
                      "csrf_token=" + csrf + "&challenge=dns-01");
  EXPECT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains/shop.example.com/dns01"))["challenge"], "dns-01");
  EXPECT_NE(Browse("GET", "/ui/domains/shop.example.com").body.find("value=\"dns-01\" selected"),
            std::string::npos);

  cookie_.clear();  // a new browser, signed in as a reader
  signin_cookie_.clear();
  const std::string reader_csrf = SignIn(TokenFor("readonly"));
  EXPECT_EQ(Browse("GET", "/ui/domains/shop.example.com").body.find("set-challenge"),
            std::string::npos);
  EXPECT_EQ(Browse("POST", "/ui/domains/shop.example.com/dns01/challenge",
                   "csrf_token=" + reader_csrf + "&challenge=http-01")
                .status,
            403);
  EXPECT_EQ(Body(Call("GET", "/api/v1/domains/shop.example.com/dns01"))["challenge"], "dns-01");
}

// Issue 19: what the agents found, by name, and the adopt button with the nginx lines.
TEST_F(UiPagesTest, DiscoveredPageShowsWhatAgentsFoundAndAdoptsAName) {
  MakeMachine("web-1");
  const std::string sha(64, 'a');
  json cert = discovery::testing::ReportCertificate(sha, {"shop.test"});
  cert["issuer"] = "CN=<Bought>";  // escaped on the page
  const json report = discovery::testing::ReportOfOneSite(
      {.server_names = {"shop.test"}, .sha = sha, .certificates = {cert}});
  ASSERT_EQ(
      CallAs(TokenFor("agent", "web-1"), "POST", "/api/v1/agent/inventory", report.dump()).status,
      200);
  const std::string csrf = SignIn(admin_);
  auto list = Browse("GET", "/ui/discovered?show=unmanaged");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/ui/discovered/shop.test"), std::string::npos) << list.body;
  auto page = Browse("GET", "/ui/discovered/shop.test");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("CN=&lt;Bought&gt;"), std::string::npos) << "escaped issuer";
  EXPECT_NE(page.body.find("id=\"adopt-form\""), std::string::npos);
  auto adopted =
      Browse("POST", "/ui/discovered/shop.test/adopt", "csrf_token=" + csrf + "&issuer=manual");
  ASSERT_EQ(adopted.status, 200) << adopted.body;
  EXPECT_NE(adopted.body.find("ssl_certificate /etc/certfleet/live/shop.test/fullchain.pem;"),
            std::string::npos)
      << adopted.body;
  EXPECT_EQ(Call("GET", "/api/v1/domains/shop.test").status, 200) << "the domain exists now";
  EXPECT_NE(page.body.find("id=\"reload-free\""), std::string::npos) << "the reload-free choice";
  auto free = Browse("POST", "/ui/discovered/shop.test/adopt",
                     "csrf_token=" + csrf + "&issuer=manual&reload_free=1");
  ASSERT_EQ(free.status, 200) << free.body;
  EXPECT_NE(free.body.find("ssl_certificate $certfleet_bundle;"), std::string::npos) << free.body;
  EXPECT_NE(free.body.find("/etc/certfleet/nginx/certfleet-map.conf"), std::string::npos)
      << "the note names the map to include: " << free.body;
}

}  // namespace
}  // namespace certfleet::hub::ui
