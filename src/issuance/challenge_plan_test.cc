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

// A domain's choice (issue 15): "dns-01" takes DNS-01 for every name a zone covers and
// refuses the others; "http-01" keeps HTTP-01 first even when the issuer prefers DNS-01.
TEST(ChallengePlanTest, ADomainsChallengeChoiceOverridesTheIssuersOrder) {
  auto dns01 = WithChallengeChoice(Issuer(true, true, false), "dns-01");
  ASSERT_TRUE(dns01) << dns01.error().message;
  auto plan = PlanChallenges(*dns01, Zones(), {"www.example.com"});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ((*plan)[0].way, ChallengeWay::kDns01Delegation);
  EXPECT_FALSE(PlanChallenges(*dns01, Zones(), {"other.org"}))
      << "dns-01 only must refuse a name no zone covers";
  auto http01 = WithChallengeChoice(Issuer(true, true, true), "http-01");
  ASSERT_TRUE(http01);
  plan = PlanChallenges(*http01, Zones(), {"www.example.com", "*.example.com"});
  ASSERT_TRUE(plan);
  EXPECT_EQ((*plan)[0].way, ChallengeWay::kHttp01);
  EXPECT_EQ((*plan)[1].way, ChallengeWay::kDns01Delegation) << "wildcards stay on DNS-01";
  auto same = WithChallengeChoice(Issuer(true, false, false), "");
  ASSERT_TRUE(same);
  EXPECT_FALSE(same->dns01);
}

TEST(ChallengePlanTest, AChallengeChoiceTheIssuerMayNotUseIsRefusedByName) {
  auto refused = WithChallengeChoice(Issuer(true, false, false), "dns-01");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "challenge \"dns-01\": issuer \"le\" may not use it (add \"dns-01\" to its "
            "challenges)");
  auto unknown = WithChallengeChoice(Issuer(true, true, false), "tls-alpn-01");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace certfleet::issuance
