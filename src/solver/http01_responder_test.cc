#include "solver/http01_responder.h"

#include <gtest/gtest.h>

#include "harness/http_client.h"

namespace certfleet::solver {
namespace {

using harness::HttpFetch;
using harness::HttpGet;
using harness::HttpRequest;

acme::ChallengeTask Task(std::string token) {
  return {"a.example", "http-01", token, token + ".thumbprint-xyz", "https://ca/chall/1"};
}

TEST(Http01ResponderTest, PresentRejectsWrongTypeAndUnsafeToken) {
  Http01Responder responder;
  auto dns = Task("tok");
  dns.type = "dns-01";
  EXPECT_FALSE(responder.Present(dns).has_value());
  auto traversal = Task("../../etc/passwd");
  auto status = responder.Present(traversal);
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("a.example"), std::string::npos)
      << "the error must name the domain: " << status.error().message;
  auto mismatched = Task("tok");
  mismatched.key_authorization = "other.thumb";
  EXPECT_FALSE(responder.Present(mismatched).has_value());
  EXPECT_EQ(responder.PresentedCount(), 0u);
}

TEST(Http01ResponderTest, CleanUpForgetsTokenAndToleratesUnknown) {
  Http01Responder responder;
  ASSERT_TRUE(responder.Present(Task("tok_1")).has_value());
  EXPECT_EQ(responder.KeyAuthorization("tok_1"), "tok_1.thumbprint-xyz");
  EXPECT_TRUE(responder.CleanUp(Task("tok_1")).has_value());
  EXPECT_FALSE(responder.KeyAuthorization("tok_1").has_value());
  EXPECT_TRUE(responder.CleanUp(Task("never-presented")).has_value());
}

TEST(Http01ResponderTest, MountedRouteServesOnlyPresentedTokens) {
  Http01Responder responder;
  http::Router router;
  responder.Mount(router);
  router.Add("GET", "/healthz", [](const http::Request&) { return http::Response::Text("ok"); });
  auto server = http::Server::Start({}, std::move(router));
  ASSERT_TRUE(server.has_value()) << server.error().message;
  std::string base = (*server)->BaseUrl() + std::string(kChallengePathPrefix);
  ASSERT_TRUE(responder.Present(Task("Ab-_09")).has_value());

  auto found = HttpGet(base + "Ab-_09");
  EXPECT_EQ(found.status, 200) << found.error;
  EXPECT_EQ(found.body, "Ab-_09.thumbprint-xyz");
  EXPECT_EQ(found.headers["content-type"], "application/octet-stream");

  EXPECT_EQ(HttpGet(base + "unknown").status, 404);
  EXPECT_EQ(HttpGet(base).status, 404) << "the bare prefix must not answer";
  HttpRequest post;
  post.method = "POST";
  post.body = "x";
  EXPECT_EQ(HttpFetch(base + "Ab-_09", post).status, 405);

  ASSERT_TRUE(responder.CleanUp(Task("Ab-_09")).has_value());
  EXPECT_EQ(HttpGet(base + "Ab-_09").status, 404) << "a cleaned-up token is still served";
}

TEST(StandaloneHttp01SolverTest, ServesOnItsOwnPortUntilStopped) {
  auto solver = StandaloneHttp01Solver::Start("127.0.0.1:0");
  ASSERT_TRUE(solver.has_value()) << solver.error().message;
  EXPECT_EQ((*solver)->Type(), "http-01");
  ASSERT_TRUE((*solver)->Present(Task("tok")).has_value());
  std::string url = (*solver)->BaseUrl() + std::string(kChallengePathPrefix) + "tok";
  for (int i = 0; i < 3; ++i) {  // the CA validates from several vantage points
    auto result = HttpGet(url);
    EXPECT_EQ(result.status, 200) << result.error;
    EXPECT_EQ(result.body, "tok.thumbprint-xyz");
  }
  EXPECT_EQ(HttpGet((*solver)->BaseUrl() + "/").status, 404) << "nothing else is served";
  (*solver)->Stop();
  EXPECT_FALSE(HttpGet(url).ok()) << "the solver still listens after Stop";
}

TEST(StandaloneHttp01SolverTest, BusyAddressFailsWithItsName) {
  auto first = StandaloneHttp01Solver::Start("127.0.0.1:0");
  ASSERT_TRUE(first.has_value());
  std::string listen = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = StandaloneHttp01Solver::Start(listen);
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().message.find(listen), std::string::npos) << second.error().message;
}

}  // namespace
}  // namespace certfleet::solver
