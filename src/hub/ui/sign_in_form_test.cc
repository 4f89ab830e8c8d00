#include "hub/ui/sign_in_form.h"

#include <gtest/gtest.h>

namespace certfleet::hub::ui {
namespace {

TEST(SignInFormTest, AnIssuedPairChecksUntilItExpires) {
  FakeClock clock;
  SignInForm form(clock, std::chrono::minutes(30));
  const auto issued = form.Issue();
  EXPECT_EQ(issued.csrf_token.size(), 64u);
  EXPECT_TRUE(form.Check(issued.cookie, issued.csrf_token));
  clock.Advance(std::chrono::minutes(31));
  auto late = form.Check(issued.cookie, issued.csrf_token);
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("expired"), std::string::npos) << late.error().message;
}

TEST(SignInFormTest, PairsAreBoundToTheirCookieAndToThisProcess) {
  FakeClock clock;
  SignInForm form(clock);
  const auto a = form.Issue();
  const auto b = form.Issue();
  EXPECT_NE(a.cookie, b.cookie);
  EXPECT_FALSE(form.Check(a.cookie, b.csrf_token)) << "another browser's token";
  EXPECT_FALSE(form.Check("", a.csrf_token)) << "no cookie";
  EXPECT_FALSE(form.Check(a.cookie, ""));
  EXPECT_FALSE(form.Check("garbage", a.csrf_token));
  SignInForm other_hub(clock);
  EXPECT_FALSE(other_hub.Check(a.cookie, a.csrf_token)) << "the key is per process";
}

// Issue 14: hubs on one database derive the key from the same master key, so a form served
// by one hub checks on another (and after a restart); a different key refuses it.
TEST(SignInFormTest, HubsWithTheSameKeyAcceptEachOthersForms) {
  FakeClock clock;
  const std::string key(32, 'k');
  SignInForm hub_a(clock, key);
  SignInForm hub_b(clock, key);
  SignInForm stranger(clock, std::string(32, 'x'));
  const auto issued = hub_a.Issue();
  EXPECT_TRUE(hub_b.Check(issued.cookie, issued.csrf_token));
  EXPECT_FALSE(stranger.Check(issued.cookie, issued.csrf_token));
}

}  // namespace
}  // namespace certfleet::hub::ui
