#include "issuance/save_schedule.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

const TimePoint kNow = TimePoint{} + std::chrono::hours(1000);

store::Domain AcmeDomain() {
  store::Domain d;
  d.name = "shop.example.com";
  d.sans = {"www.shop.example.com"};
  d.issuer = "letsencrypt";
  d.key_type = "ec-p256";
  return d;
}

store::Domain ManualDomain() {
  store::Domain d = AcmeDomain();
  d.issuer = std::string(store::kManualIssuer);
  return d;
}

TEST(ScheduleAfterSave, NewAcmeDomainIsDueNowAndWakesTheWorker) {
  auto s = ScheduleAfterSave(std::nullopt, AcmeDomain(), kNow);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->next_attempt_at, kNow);
  EXPECT_TRUE(s->wake_worker);
}

TEST(ScheduleAfterSave, NewManualDomainIsNeverDue) {
  auto s = ScheduleAfterSave(std::nullopt, ManualDomain(), kNow);
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->next_attempt_at.has_value()) << "manual domains wait for an upload";
  EXPECT_FALSE(s->wake_worker);
}

TEST(ScheduleAfterSave, MovingToAnotherMachineKeepsTheSchedule) {
  store::Domain after = AcmeDomain();
  after.machine_ids = {7};
  after.customer_id = 3;
  EXPECT_FALSE(ScheduleAfterSave(AcmeDomain(), after, kNow).has_value());
}

TEST(ScheduleAfterSave, ReorderingTheSameNamesKeepsTheSchedule) {
  store::Domain before = AcmeDomain();
  before.sans = {"a.shop.example.com", "b.shop.example.com"};
  store::Domain after = before;
  after.sans = {"b.shop.example.com", "a.shop.example.com"};
  EXPECT_FALSE(ScheduleAfterSave(before, after, kNow).has_value());
}

TEST(ScheduleAfterSave, ANewSanMakesAnAcmeDomainDueNow) {
  store::Domain after = AcmeDomain();
  after.sans.push_back("api.shop.example.com");
  auto s = ScheduleAfterSave(AcmeDomain(), after, kNow);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->next_attempt_at, kNow);
  EXPECT_TRUE(s->wake_worker);
}

TEST(ScheduleAfterSave, KeyTypeAndProfileChangesNeedANewOrder) {
  store::Domain key = AcmeDomain();
  key.key_type = "rsa2048";
  EXPECT_TRUE(ScheduleAfterSave(AcmeDomain(), key, kNow).has_value());
  store::Domain profile = AcmeDomain();
  profile.profile = "shortlived";
  EXPECT_TRUE(ScheduleAfterSave(AcmeDomain(), profile, kNow).has_value());
}

TEST(ScheduleAfterSave, SwitchingFromManualToAcmeIsDueNow) {
  auto s = ScheduleAfterSave(ManualDomain(), AcmeDomain(), kNow);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->next_attempt_at, kNow);
  EXPECT_TRUE(s->wake_worker);
}

TEST(ScheduleAfterSave, SwitchingFromAcmeToManualStopsOrdering) {
  auto s = ScheduleAfterSave(AcmeDomain(), ManualDomain(), kNow);
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->next_attempt_at.has_value());
  EXPECT_FALSE(s->wake_worker);
}

TEST(ScheduleAfterSave, ANewSanOnAManualDomainSchedulesNothing) {
  store::Domain after = ManualDomain();
  after.sans.push_back("api.shop.example.com");
  auto s = ScheduleAfterSave(ManualDomain(), after, kNow);
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->next_attempt_at.has_value());
  EXPECT_FALSE(s->wake_worker);
}

}  // namespace
}  // namespace certfleet::issuance
