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

}  // namespace
}  // namespace certfleet::hub::ui
