#include "hub/auth.h"

#include <gtest/gtest.h>

namespace certfleet::hub {
namespace {

using store::Role;

Principal As(Role role, std::optional<store::Id> machine = std::nullopt) {
  return Principal{7, "tester", role, machine};
}

TEST(Permissions, ReadonlyOnlyReads) {
  EXPECT_TRUE(RoleAllows(Role::kReadonly, Action::kRead));
  EXPECT_TRUE(RoleAllows(Role::kReadonly, Action::kWatchEvents));
  EXPECT_FALSE(RoleAllows(Role::kReadonly, Action::kManage));
  EXPECT_FALSE(RoleAllows(Role::kReadonly, Action::kManageTokens));
  EXPECT_FALSE(RoleAllows(Role::kReadonly, Action::kAgent));
}

TEST(Permissions, SupportManagesButNotTokens) {
  EXPECT_TRUE(RoleAllows(Role::kSupport, Action::kRead));
  EXPECT_TRUE(RoleAllows(Role::kSupport, Action::kManage));
  EXPECT_FALSE(RoleAllows(Role::kSupport, Action::kManageTokens));
  EXPECT_FALSE(RoleAllows(Role::kSupport, Action::kAgent));
  EXPECT_FALSE(RoleAllows(Role::kSupport, Action::kManageKeys))
      << "support decides where keys go, never what they are (docs/security.md)";
  EXPECT_FALSE(RoleAllows(Role::kReadonly, Action::kManageKeys));
  EXPECT_FALSE(RoleAllows(Role::kAgent, Action::kManageKeys));
}

TEST(Permissions, AdminDoesEverythingButAgentCalls) {
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Action::kRead));
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Action::kManage));
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Action::kManageTokens));
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Action::kManageKeys));
  EXPECT_FALSE(RoleAllows(Role::kAdmin, Action::kAgent))
      << "key material goes to agent tokens only, never to people";
}

TEST(Permissions, AgentOnlyActsAsAgent) {
  EXPECT_FALSE(RoleAllows(Role::kAgent, Action::kRead));
  EXPECT_FALSE(RoleAllows(Role::kAgent, Action::kManage));
  EXPECT_FALSE(RoleAllows(Role::kAgent, Action::kManageTokens));
  EXPECT_TRUE(RoleAllows(Role::kAgent, Action::kWatchEvents));
  EXPECT_TRUE(RoleAllows(Role::kAgent, Action::kAgent));
}

TEST(Permissions, DeniedMessageNamesTokenRoleAndNeededRoles) {
  auto s = Authorize(As(Role::kReadonly), Action::kManage);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(s.error().message,
            "token 7 (tester, role readonly) may not manage; this needs admin or support");
}

TEST(Permissions, AgentIsBoundToItsMachine) {
  EXPECT_TRUE(AuthorizeMachine(As(Role::kAgent, 3), 3));
  auto other = AuthorizeMachine(As(Role::kAgent, 3), 4);
  ASSERT_FALSE(other) << "an agent token must not act for another machine";
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(AuthorizeMachine(As(Role::kAdmin), 3)) << "only agent tokens get a machine's keys";
}

TEST(Tokens, SecretShapeAndHash) {
  const std::string a = GenerateTokenSecret();
  const std::string b = GenerateTokenSecret();
  EXPECT_EQ(a.size(), 46u);
  EXPECT_EQ(a.substr(0, 3), "cf_");
  EXPECT_NE(a, b);
  EXPECT_EQ(HashTokenSecret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Tokens, ParseBearer) {
  EXPECT_EQ(ParseBearer("Bearer cf_x").value(), "cf_x");
  EXPECT_EQ(ParseBearer("bearer  cf_x ").value(), "cf_x");
  EXPECT_EQ(ParseBearer(std::nullopt).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(ParseBearer("Basic dXNlcg==").error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(ParseBearer("Bearer").error().code, ErrorCode::kUnauthenticated);
}

TEST(Tokens, ActorNamesTheToken) {
  EXPECT_EQ(As(Role::kSupport).ToActor().name, "token:7 (tester)");
}

}  // namespace
}  // namespace certfleet::hub
