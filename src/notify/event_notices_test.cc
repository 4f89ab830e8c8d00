#include "notify/event_notices.h"

#include <gtest/gtest.h>

namespace certfleet::notify {
namespace {

using store::DeploymentStatus;

TEST(DeploymentSummaryTest, WaitsWhileAnyMachineIsPending) {
  EXPECT_EQ(DeploymentSummary("a.example.com", "",
                              {{"web-01", DeploymentStatus::kDeployed, ""},
                               {"web-02", DeploymentStatus::kPending, ""}}),
            std::nullopt);
  EXPECT_EQ(DeploymentSummary("a.example.com", "", {}), std::nullopt);
}

TEST(DeploymentSummaryTest, AllDeployedIsOneInfoLine) {
  auto n = DeploymentSummary("a.example.com", "Acme",
                             {{"web-01", DeploymentStatus::kDeployed, ""},
                              {"web-02", DeploymentStatus::kDeployed, ""},
                              {"web-03", DeploymentStatus::kDeployed, ""}});
  ASSERT_TRUE(n);
  EXPECT_EQ(n->summary, "deployed on 3 of 3 machines");
  EXPECT_EQ(n->severity, Severity::kInfo);
  EXPECT_EQ(n->machines, (std::vector<std::string>{"web-01", "web-02", "web-03"}));
  EXPECT_TRUE(n->action.empty());
}

TEST(DeploymentSummaryTest, FailuresAreNamedWithTheirErrorAndANextStep) {
  auto n =
      DeploymentSummary("a.example.com", "",
                        {{"web-01", DeploymentStatus::kDeployed, ""},
                         {"web-02", DeploymentStatus::kFailed, "nginx -t failed: bad include"}});
  ASSERT_TRUE(n);
  EXPECT_EQ(n->summary, "deployed on 1 of 2 machines; web-02 failed: nginx -t failed: bad include");
  EXPECT_EQ(n->severity, Severity::kWarning);
  EXPECT_NE(n->action.find("web-02"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::notify
