// Web UI sessions on several hubs on one PostgreSQL (issue 14, real processes,
// multi_hub_fixture.h): a person signed in through one hub is signed in on every hub, a
// sign-in form served by one hub may be posted to another, a hub restart signs nobody out,
// and signing out or revoking the token on one hub ends the session on all of them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "multi_hub_fixture.h"
#include "ui_browser.h"

namespace certfleet::multihub {
namespace {

TEST_F(MultiHubTest, ASessionStartedOnOneHubWorksOnEveryHubAndSurvivesARestart) {
  ASSERT_NO_FATAL_FAILURE(StartHub(0));
  ASSERT_NO_FATAL_FAILURE(StartHub(1));
  harness::UiBrowser alice;
  ASSERT_EQ(alice.SignIn(BaseUrl(0), admin_token_), 303);
  ASSERT_FALSE(alice.session().empty());
  std::string csrf_0, csrf_1;
  ASSERT_TRUE(alice.SignedInOn(BaseUrl(0), &csrf_0));
  EXPECT_TRUE(alice.SignedInOn(BaseUrl(1), &csrf_1)) << "hub 1 does not know hub 0's session";
  EXPECT_EQ(csrf_0, csrf_1) << "the hubs disagree on the session's CSRF token";
  // A form served by hub 0, posted to hub 1 (the load balancer's choice).
  auto logout = alice.Browse(BaseUrl(1), "POST", "/ui/logout", "csrf_token=" + csrf_0);
  EXPECT_EQ(logout.status, 303) << logout.body;
  EXPECT_FALSE(alice.SignedInOn(BaseUrl(0))) << "signed out on hub 1, still signed in on hub 0";

  // The sign-in form from hub 0, posted to hub 1: one key on every hub.
  ASSERT_EQ(alice.SignInAcross(BaseUrl(0), BaseUrl(1), admin_token_), 303)
      << "a sign-in form served by hub 0 was refused by hub 1";
  ASSERT_NO_FATAL_FAILURE(KillHub(0));
  ASSERT_NO_FATAL_FAILURE(KillHub(1));
  ASSERT_NO_FATAL_FAILURE(StartHub(0));
  EXPECT_TRUE(alice.SignedInOn(BaseUrl(0))) << "a restart of every hub signed alice out";
}

TEST_F(MultiHubTest, ATokenRevokedOnOneHubEndsItsSessionsOnEveryHub) {
  ASSERT_NO_FATAL_FAILURE(StartHub(0));
  ASSERT_NO_FATAL_FAILURE(StartHub(1));
  auto created = Api(0, "POST", "/api/v1/tokens", R"({"name":"bob","role":"support"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto token = nlohmann::json::parse(created.body);
  harness::UiBrowser bob;
  ASSERT_EQ(bob.SignIn(BaseUrl(0), token.at("secret").get<std::string>()), 303);
  ASSERT_TRUE(bob.SignedInOn(BaseUrl(1)));
  auto revoked =
      Api(1, "DELETE", "/api/v1/tokens/" + std::to_string(token.at("id").get<long long>()));
  ASSERT_LT(revoked.status, 300) << revoked.body;
  EXPECT_FALSE(bob.SignedInOn(BaseUrl(0))) << "a revoked token's session lives on on hub 0";
  EXPECT_FALSE(bob.SignedInOn(BaseUrl(1)));
}

}  // namespace
}  // namespace certfleet::multihub
