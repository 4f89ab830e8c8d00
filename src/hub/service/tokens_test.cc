#include "hub/service/tokens.h"

#include "hub/service/service_test_fixture.h"

namespace certfleet::hub::service {
namespace {

using TokenServiceTest = ServiceTest;

TEST_F(TokenServiceTest, AgentTokensNeedTheirMachineAndOthersRefuseOne) {
  ASSERT_NO_FATAL_FAILURE(MakeMachine("web-1"));
  auto no_machine = CreateToken(*s_, actor_, {.name = "a", .role = "agent"});
  ASSERT_FALSE(no_machine);
  EXPECT_EQ(no_machine.error().message.rfind("Machine: an agent token belongs to one machine", 0),
            0u);
  auto support = CreateToken(*s_, actor_, {.name = "a", .role = "support", .machine = "web-1"});
  ASSERT_FALSE(support);
  EXPECT_EQ(support.error().message.rfind("Machine: only agent tokens", 0), 0u);
  EXPECT_EQ(CreateToken(*s_, actor_, {.name = "a", .role = "root"}).error().message,
            "Role: choose admin, support, readonly, agent or metrics (got \"root\")");
  auto agent =
      CreateToken(*s_, actor_, {.name = "web-1 agent", .role = "agent", .machine = "web-1"});
  ASSERT_TRUE(agent) << agent.error().message;
  EXPECT_EQ(agent->secret.rfind("cf_", 0), 0u);
}

TEST_F(TokenServiceTest, RotateIssuesANewTokenAndRevokesTheOldOnesWhenAsked) {
  ASSERT_NO_FATAL_FAILURE(MakeMachine("web-1"));
  ASSERT_NO_FATAL_FAILURE(MakeMachine("web-2"));
  auto first = CreateToken(*s_, actor_, {.name = "one", .role = "agent", .machine = "web-1"});
  auto other = CreateToken(*s_, actor_, {.name = "two", .role = "agent", .machine = "web-2"});
  ASSERT_TRUE(first && other);
  auto kept = RotateAgentToken(*s_, actor_, "web-1", "new", /*revoke_old=*/false);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->old, std::vector<store::Id>{first->token.id});
  EXPECT_TRUE(kept->revoked.empty());
  auto rotated = RotateAgentToken(*s_, actor_, "web-1", "newer", /*revoke_old=*/true);
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_EQ(rotated->revoked, (std::vector<store::Id>{first->token.id, kept->issued.token.id}));
  auto tokens = store_->ListTokens();
  ASSERT_TRUE(tokens);
  for (const auto& t : *tokens) {
    const bool should_live = t.id == rotated->issued.token.id || t.id == other->token.id ||
                             t.role == store::Role::kAdmin;
    EXPECT_EQ(!t.revoked_at.has_value(), should_live) << "token " << t.id << " " << t.name;
  }
}

TEST_F(TokenServiceTest, RevokingAnUnknownTokenNamesIt) {
  auto r = RevokeToken(*s_, actor_, 999);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "token 999 not found");
}

}  // namespace
}  // namespace certfleet::hub::service
