#include "hub/service/domain_state.h"

#include <gtest/gtest.h>

namespace certfleet::hub::service {
namespace {

const TimePoint kNow = TimePoint{} + std::chrono::hours(24 * 20000);
constexpr auto kDay = std::chrono::hours(24);

store::Domain Valid(std::string issuer = "pebble") {
  store::Domain d;
  d.name = "shop.example.com";
  d.sans = {"www.shop.example.com"};
  d.issuer = std::move(issuer);
  d.status = store::DomainStatus::kValid;
  d.current_certificate_id = 1;
  d.current_not_after = kNow + 60 * kDay;
  return d;
}

const std::vector<std::string> kBothNames = {"shop.example.com", "www.shop.example.com"};

TEST(AssessDomain, AValidDeployedDomainIsValid) {
  auto s = AssessDomain(Valid(), kBothNames, {{"web-1", store::DeploymentStatus::kDeployed}}, kNow);
  EXPECT_EQ(s.label, "valid");
  EXPECT_EQ(s.tone, Tone::kOk);
  EXPECT_TRUE(s.problems.empty());
}

TEST(AssessDomain, AManualDomainWithoutCertificateAwaitsItsUpload) {
  store::Domain d = Valid("manual");
  d.status = store::DomainStatus::kPending;
  d.current_certificate_id.reset();
  d.current_not_after.reset();
  auto s = AssessDomain(d, std::nullopt, {}, kNow);
  EXPECT_EQ(s.label, "awaiting upload");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(s.problems[0].find("not ordered or renewed"), std::string::npos) << s.problems[0];
}

TEST(AssessDomain, AManualDomainWithANewUncoveredNameIsFlagged) {
  store::Domain d = Valid("manual");
  d.sans.push_back("api.shop.example.com");
  auto s = AssessDomain(d, kBothNames, {}, kNow);
  EXPECT_EQ(s.label, "names not covered");
  EXPECT_EQ(s.tone, Tone::kBad);
  EXPECT_EQ(s.uncovered, std::vector<std::string>{"api.shop.example.com"});
}

TEST(AssessDomain, AWildcardCoversOneLabel) {
  store::Domain d = Valid("manual");
  auto s =
      AssessDomain(d, std::vector<std::string>{"shop.example.com", "*.shop.example.com"}, {}, kNow);
  EXPECT_EQ(s.label, "valid");
}

TEST(AssessDomain, AFailedDeploymentIsNotPlainValid) {
  auto s = AssessDomain(Valid(), kBothNames,
                        {{"web-1", store::DeploymentStatus::kDeployed},
                         {"web-2", store::DeploymentStatus::kFailed, "nginx -t failed: x"}},
                        kNow);
  EXPECT_EQ(s.label, "deploy failed");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0], "web-2 could not deploy it: nginx -t failed: x");
}

TEST(AssessDomain, AFailedOrderShowsTheCasWordsAndTheNextTry) {
  store::Domain d = Valid();
  d.status = store::DomainStatus::kFailed;
  d.last_error = "the CA said: rate limited";
  d.next_attempt_at = kNow + std::chrono::hours(1);
  auto s = AssessDomain(d, kBothNames, {}, kNow);
  EXPECT_EQ(s.label, "failed");
  ASSERT_FALSE(s.problems.empty());
  EXPECT_NE(s.problems[0].find("rate limited; next try "), std::string::npos) << s.problems[0];
}

TEST(AssessDomain, ExpiryWarnsEarlierForManualCertificates) {
  store::Domain acme = Valid();
  acme.current_not_after = kNow + 20 * kDay;
  EXPECT_EQ(AssessDomain(acme, kBothNames, {}, kNow).label, "valid")
      << "20 days left is normal for a 90-day ACME certificate";
  store::Domain manual = Valid("manual");
  manual.current_not_after = kNow + 20 * kDay;
  EXPECT_EQ(AssessDomain(manual, kBothNames, {}, kNow).label, "expiring");
  acme.current_not_after = kNow + 5 * kDay;
  EXPECT_EQ(AssessDomain(acme, kBothNames, {}, kNow).label, "expiring");
  acme.current_not_after = kNow - kDay;
  EXPECT_EQ(AssessDomain(acme, kBothNames, {}, kNow).label, "expired");
}

TEST(AssessDomain, NotYetReportedEverywhereIsDeploying) {
  auto s = AssessDomain(Valid(), kBothNames, {{"web-1", store::DeploymentStatus::kPending}}, kNow);
  EXPECT_EQ(s.label, "deploying");
  EXPECT_TRUE(s.problems.empty()) << "a fresh certificate on its way is no problem yet";
}

TEST(AssessDomain, RunningOrdersKeepTheirStatus) {
  store::Domain d = Valid();
  d.status = store::DomainStatus::kRenewing;
  EXPECT_EQ(AssessDomain(d, kBothNames, {}, kNow).label, "renewing");
}

}  // namespace
}  // namespace certfleet::hub::service
