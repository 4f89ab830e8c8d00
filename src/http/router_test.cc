#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace certfleet::http {
namespace {

Handler Named(std::string name) {
  return [name](const Request&) { return Response::Text(name); };
}

std::string BodyOf(const Router::Match& match) {
  Request request;
  return Router::Call(*match.route, request).body;
}

TEST(RouterTest, LiteralPathFindsItsHandler) {
  Router router;
  router.Add("GET", "/healthz", Named("health"));
  auto match = router.Find("GET", SplitPath("/healthz"));
  ASSERT_EQ(match.status, 200);
  EXPECT_EQ(BodyOf(match), "health");
}

TEST(RouterTest, RootPatternMatchesOnlyRoot) {
  Router router;
  router.Add("GET", "/", Named("root"));
  EXPECT_EQ(router.Find("GET", SplitPath("/")).status, 200);
  EXPECT_EQ(router.Find("GET", SplitPath("/x")).status, 404);
}

TEST(RouterTest, ParamSegmentIsCaptured) {
  Router router;
  router.Add("GET", "/api/v1/domains/{name}/certificates/{serial}", Named("cert"));
  auto match = router.Find(
      "GET", std::vector<std::string>{"api", "v1", "domains", "a.example", "certificates", "0a1b"});
  ASSERT_EQ(match.status, 200);
  EXPECT_EQ(match.params["name"], "a.example");
  EXPECT_EQ(match.params["serial"], "0a1b");
}

TEST(RouterTest, RestSegmentCapturesRemainingPathIncludingEmpty) {
  Router router;
  router.Add("GET", "/ui/assets/{file...}", Named("asset"));
  auto deep = router.Find("GET", SplitPath("/ui/assets/css/site.css"));
  ASSERT_EQ(deep.status, 200);
  EXPECT_EQ(deep.params["file"], "css/site.css");
  auto empty = router.Find("GET", SplitPath("/ui/assets"));
  ASSERT_EQ(empty.status, 200) << "{file...} should also match zero segments";
  EXPECT_EQ(empty.params["file"], "");
}

TEST(RouterTest, LiteralBeatsParamRegardlessOfOrder) {
  Router router;
  router.Add("GET", "/api/v1/domains/{name}", Named("param"));
  router.Add("GET", "/api/v1/domains/export", Named("literal"));
  EXPECT_EQ(BodyOf(router.Find("GET", SplitPath("/api/v1/domains/export"))), "literal");
  EXPECT_EQ(BodyOf(router.Find("GET", SplitPath("/api/v1/domains/a.test"))), "param");
}

TEST(RouterTest, SegmentCountMustMatch) {
  Router router;
  router.Add("GET", "/a/{x}", Named("a"));
  EXPECT_EQ(router.Find("GET", SplitPath("/a")).status, 404);
  EXPECT_EQ(router.Find("GET", SplitPath("/a/b/c")).status, 404);
  EXPECT_EQ(router.Find("GET", SplitPath("/a/")).status, 200) << "an empty segment is a segment";
}

TEST(RouterTest, WrongMethodIs405WithAllowList) {
  Router router;
  router.Add("GET", "/api/v1/domains", Named("list"));
  router.Add("POST", "/api/v1/domains", Named("create"));
  auto match = router.Find("DELETE", SplitPath("/api/v1/domains"));
  EXPECT_EQ(match.status, 405);
  EXPECT_EQ(match.allow, "GET, HEAD, POST");
}

TEST(RouterTest, HeadFallsBackToGet) {
  Router router;
  router.Add("GET", "/x", Named("get"));
  auto match = router.Find("HEAD", SplitPath("/x"));
  ASSERT_EQ(match.status, 200);
  EXPECT_EQ(BodyOf(match), "get");
}

TEST(RouterTest, MalformedPatternsThrowAtStartup) {
  Router router;
  EXPECT_THROW(router.Add("GET", "no-slash", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a{b}", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/{rest...}/x", Named("x")), std::invalid_argument);
  router.Add("GET", "/dup", Named("x"));
  EXPECT_THROW(router.Add("GET", "/dup", Named("y")), std::invalid_argument);
}

TEST(RouterTest, AsyncRouteIsMarkedAsync) {
  Router router;
  router.AddAsync("GET", "/events",
                  [](const Request&, Responder r) { r.Send(Response::Text("e")); });
  auto match = router.Find("GET", SplitPath("/events"));
  ASSERT_EQ(match.status, 200);
  EXPECT_TRUE(Router::IsAsync(*match.route));
  Responder responder = Responder::Detached();
  Router::CallAsync(*match.route, Request{}, responder);
  ASSERT_TRUE(responder.Sent().has_value());
  EXPECT_EQ(responder.Sent()->body, "e");
  EXPECT_TRUE(responder.Done());
  EXPECT_FALSE(responder.Send(Response::Text("again"))) << "a second Send must be refused";
}

TEST(RouterTest, FastPathTakesOnlyOnePlainSegmentUnderItsPrefix) {
  Router router;
  router.AddSegmentFastPath("/.well-known/acme-challenge/", [](std::string_view segment) {
    return Response::Text(std::string(segment));
  });
  std::string_view segment;
  const SegmentHandler* handler =
      router.FindFastPath("/.well-known/acme-challenge/tok_EN-1.x~", &segment);
  ASSERT_NE(handler, nullptr);
  EXPECT_EQ(segment, "tok_EN-1.x~");
  EXPECT_EQ((*handler)(segment).body, "tok_EN-1.x~");
  // Everything that needs decoding, a query, another segment or dot-segment resolution
  // must take the normal routes.
  for (std::string_view target :
       {"/.well-known/acme-challenge/", "/.well-known/acme-challenge/a%41",
        "/.well-known/acme-challenge/a?x=1", "/.well-known/acme-challenge/a/b",
        "/.well-known/acme-challenge/..", "/.well-known/acme-challenge/.",
        "/.well-known/acme-challengeX", "/other/abc"}) {
    EXPECT_EQ(router.FindFastPath(target, &segment), nullptr) << target;
  }
}

TEST(RouterTest, MalformedOrRepeatedFastPathThrowsAtStartup) {
  Router router;
  auto none = [](std::string_view) { return Response::Text(""); };
  EXPECT_THROW(router.AddSegmentFastPath("no-slash/", none), std::invalid_argument);
  EXPECT_THROW(router.AddSegmentFastPath("/no-trailing-slash", none), std::invalid_argument);
  router.AddSegmentFastPath("/p/", none);
  EXPECT_THROW(router.AddSegmentFastPath("/p/", none), std::invalid_argument);
}

}  // namespace
}  // namespace certfleet::http
