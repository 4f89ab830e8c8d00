#include "issuance/challenge_plan.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

solver::Dns01Config Zones() {
  solver::Dns01Config config;
  config.zones.push_back({.zone = "example.com", .kind = solver::Dns01SolverKind::kDelegation});
  config.zones.push_back({.zone = "hosted.example.com", .kind = solver::Dns01SolverKind::kRfc2136});
  return config;
}

IssuerConfig Issuer(bool http01, bool dns01, bool prefer_dns01) {
  IssuerConfig issuer{.name = "le"};
  issuer.http01 = http01;
  issuer.dns01 = dns01;
  issuer.prefer_dns01 = prefer_dns01;
  return issuer;
}

TEST(ChallengePlanTest, MixedOrderApexByHttp01WildcardByTheLongestZone) {
  auto plan =
      PlanChallenges(Issuer(true, true, false), Zones(),
                     {"shop.hosted.example.com", "*.shop.hosted.example.com", "*.example.com"});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ((*plan)[0].way, ChallengeWay::kHttp01);
  EXPECT_EQ((*plan)[1].way, ChallengeWay::kDns01Rfc2136);
  EXPECT_EQ((*plan)[1].zone, "hosted.example.com");
  EXPECT_EQ((*plan)[2].way, ChallengeWay::kDns01Delegation);
  EXPECT_TRUE(UsesDelegation(*plan));
}

TEST(ChallengePlanTest, PreferringDns01UsesItWhereAZoneCoversTheName) {
  auto plan = PlanChallenges(Issuer(true, true, true), Zones(), {"www.example.com", "other.org"});
  ASSERT_TRUE(plan);
  EXPECT_EQ((*plan)[0].way, ChallengeWay::kDns01Delegation);
  EXPECT_EQ((*plan)[1].way, ChallengeWay::kHttp01);
}

TEST(ChallengePlanTest, WildcardsWithoutDns01OrWithoutAZoneAreRefusedByName) {
  auto no_dns01 = PlanChallenges(Issuer(true, false, false), Zones(), {"*.example.com"});
  ASSERT_FALSE(no_dns01);
  EXPECT_EQ(no_dns01.error().message,
            "*.example.com: wildcards need DNS-01, which issuer \"le\" may not use (add "
            "\"dns-01\" to its challenges)");
  auto no_zone = PlanChallenges(Issuer(true, true, false), Zones(), {"*.example.org"});
  ASSERT_FALSE(no_zone);
  EXPECT_EQ(no_zone.error().message,
            "*.example.org: wildcards need DNS-01, and no [[dns01.zone]] of the hub config "
            "covers example.org");
}

TEST(ChallengePlanTest, Dns01OnlyIssuersNeedAZoneForEveryName) {
  auto plan = PlanChallenges(Issuer(false, true, true), Zones(), {"a.example.com", "b.org"});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("b.org: issuer \"le\" answers DNS-01 only"),
            std::string::npos);
}

}  // namespace
}  // namespace certfleet::issuance
