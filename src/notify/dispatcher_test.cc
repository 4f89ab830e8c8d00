#include "notify/dispatcher.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/scans.h"
#include "notify/testing/store_fixture.h"

namespace certfleet::notify {
namespace {

using std::chrono::days;
using std::chrono::hours;

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    config_.channels.push_back({.name = "all", .type = ChannelType::kSlack, .url = "https://s"});
    config_.channels.push_back({.name = "trouble",
                                .type = ChannelType::kSlack,
                                .url = "https://s",
                                .events = {NoticeKind::kFailed, NoticeKind::kExpiring}});
  }

  // Every undelivered notice of `channel`, whenever due.
  std::vector<Notice> Queued(const std::string& channel) {
    auto due = fx_.store().ListDueNotifications(channel, fx_.clock().Now() + days(3650), 1000);
    EXPECT_TRUE(due) << due.error().message;
    std::vector<Notice> out;
    for (const auto& n : *due) {
      auto notice = NoticeFromJson(nlohmann::json::parse(n.payload_json));
      EXPECT_TRUE(notice) << notice.error().message;
      out.push_back(*notice);
    }
    return out;
  }

  void DrainEvents() {
    for (;;) {
      auto n = dispatcher_.ProcessEvents();
      ASSERT_TRUE(n) << n.error().message;
      if (*n == 0) return;
    }
  }

  testing::StoreFixture fx_;
  NotifyConfig config_;
  Dispatcher dispatcher_{fx_.store(), fx_.clock(), config_};
};

TEST_F(DispatcherTest, IssuedCertificateIsQueuedWithCustomerAndMachinesForChannelsThatWantIt) {
  auto customer = fx_.AddCustomer("Acme GmbH");
  auto web1 = fx_.AddMachine("web-01");
  auto domain = fx_.AddDomain("shop.example.com", customer, {web1});
  fx_.AddCertificate(domain, fx_.clock().Now() + days(90), "0a1b");
  DrainEvents();

  auto all = Queued("all");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kind, NoticeKind::kIssued);
  EXPECT_EQ(all[0].subject, "shop.example.com");
  EXPECT_EQ(all[0].customer, "Acme GmbH");
  EXPECT_EQ(all[0].machines, (std::vector<std::string>{"web-01"}));
  EXPECT_NE(all[0].summary.find("serial 0a1b"), std::string::npos) << all[0].summary;
  EXPECT_TRUE(Queued("trouble").empty()) << "the trouble channel filters out issued";
}

TEST_F(DispatcherTest, ReprocessingEventsAfterACrashQueuesNothingTwice) {
  auto domain = fx_.AddDomain("shop.example.com", std::nullopt, {});
  fx_.AddCertificate(domain, fx_.clock().Now() + days(90), "01");
  DrainEvents();
  ASSERT_TRUE(fx_.store().SetCursor("notifier", 0));  // as if the cursor write was lost
  DrainEvents();
  EXPECT_EQ(Queued("all").size(), 1u);
}

TEST_F(DispatcherTest, EventsOlderThanMaxAgeAreNotAnnounced) {
  auto domain = fx_.AddDomain("old.example.com", std::nullopt, {});
  fx_.AddCertificate(domain, fx_.clock().Now() + days(90), "01");
  fx_.clock().Advance(hours(25));
  DrainEvents();
  EXPECT_TRUE(Queued("all").empty());
}

TEST_F(DispatcherTest, FailedAttemptCarriesCaDetailAndNextRetry) {
  auto domain = fx_.AddDomain("fail.example.com", std::nullopt, {}, "letsencrypt");
  auto d = fx_.store().GetDomain(domain);
  ASSERT_TRUE(d);
  d->next_attempt_at = fx_.clock().Now();
  ASSERT_TRUE(fx_.store().UpdateDomain(fx_.actor, *d));
  ASSERT_TRUE(fx_.store().RequestIssuance({"test"}, domain, fx_.clock().Now()));
  auto claimed = fx_.store().ClaimDueDomains({.owner = "w", .now = fx_.clock().Now()});
  ASSERT_TRUE(claimed && claimed->size() == 1) << "the ACME domain must be claimable";
  store::Lease lease{domain, "w", fx_.clock().Now() + std::chrono::minutes(5)};
  ASSERT_TRUE(fx_.store().UpdateAttempt(
      fx_.actor, lease,
      {.status = store::DomainStatus::kFailed,
       .last_error = "urn:ietf:params:acme:error:connection: connection refused",
       .failure_count = 1,
       .next_attempt_at = fx_.clock().Now() + hours(2),
       .release = true}));
  DrainEvents();

  auto trouble = Queued("trouble");
  ASSERT_EQ(trouble.size(), 1u);
  EXPECT_EQ(trouble[0].kind, NoticeKind::kFailed);
  EXPECT_NE(trouble[0].summary.find("connection refused"), std::string::npos) << trouble[0].summary;
  EXPECT_NE(trouble[0].summary.find("(in 2 h)"), std::string::npos) << trouble[0].summary;
  EXPECT_NE(trouble[0].action.find("certfleet domain issue fail.example.com"), std::string::npos);
}

TEST_F(DispatcherTest, DeploymentIsSummarisedOnceEveryMachineReported) {
  auto web1 = fx_.AddMachine("web-01");
  auto web2 = fx_.AddMachine("web-02");
  auto domain = fx_.AddDomain("shop.example.com", std::nullopt, {web1, web2});
  auto cert = fx_.AddCertificate(domain, fx_.clock().Now() + days(90), "01");
  ASSERT_TRUE(fx_.store().ReportDeployment(
      fx_.actor,
      {.machine_id = web1, .certificate_id = cert, .status = store::DeploymentStatus::kDeployed}));
  DrainEvents();
  auto before = Queued("all");
  EXPECT_EQ(before.size(), 1u) << "only the issued notice while web-02 is pending";
  ASSERT_TRUE(fx_.store().ReportDeployment(
      fx_.actor,
      {.machine_id = web2, .certificate_id = cert, .status = store::DeploymentStatus::kDeployed}));
  ASSERT_TRUE(fx_.store().ReportDeployment(  // a repeated report must not repeat the summary
      fx_.actor,
      {.machine_id = web2, .certificate_id = cert, .status = store::DeploymentStatus::kDeployed}));
  DrainEvents();
  auto after = Queued("all");
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1].kind, NoticeKind::kDeployed);
  EXPECT_EQ(after[1].summary, "deployed on 2 of 2 machines");
}

TEST_F(DispatcherTest, ExpiryWarningsFireOncePerThresholdUnderTheClock) {
  auto domain = fx_.AddDomain("manual.example.com", std::nullopt, {});
  fx_.AddCertificate(domain, fx_.clock().Now() + days(40), "01");
  std::vector<std::int64_t> added_per_day;
  for (int day = 0; day <= 41; ++day) {
    auto added = dispatcher_.RunScans();
    ASSERT_TRUE(added) << added.error().message;
    auto again = dispatcher_.RunScans();  // a second scan the same day adds nothing
    ASSERT_TRUE(again && *again == 0) << "day " << day << ": a warning fired twice";
    added_per_day.push_back(*added);
    fx_.clock().Advance(days(1));
  }
  auto trouble = Queued("trouble");
  ASSERT_EQ(trouble.size(), 5u) << "30, 14, 7, 1 days and expired: one warning each";
  EXPECT_EQ(added_per_day[10], 2) << "30 days left: both channels get it";
  EXPECT_NE(trouble[0].summary.find("expires in 30 days"), std::string::npos) << trouble[0].summary;
  EXPECT_NE(trouble[0].action.find("certfleet cert upload manual.example.com"), std::string::npos);
  EXPECT_EQ(trouble[2].severity, Severity::kCritical) << "7 days left is critical";
  EXPECT_NE(trouble[4].summary.find("EXPIRED"), std::string::npos) << trouble[4].summary;
}

TEST_F(DispatcherTest, HealthyAcmeCertificatesAreNotWarnedAbout) {
  auto domain = fx_.AddDomain("auto.example.com", std::nullopt, {}, "letsencrypt");
  fx_.AddCertificate(domain, fx_.clock().Now() + days(20), "01");
  auto added = dispatcher_.RunScans();
  ASSERT_TRUE(added);
  EXPECT_EQ(*added, 0) << "an ACME certificate that renews by itself needs no warning";
}

// Issue 20: a renewal the order pacing keeps waiting is not failing, but a certificate
// nearing its end unrenewed needs a warning all the same (the simulation found 10,000
// 45-day certificates held back past the warning horizon after a CA outage, none warned).
TEST(RenewsByItselfTest, AnAcmeRenewalOverdueBySixHoursNeedsAWarningThoughNothingFailed) {
  const TimePoint now = FakeClock().Now();
  store::Domain d;
  d.issuer = "letsencrypt";
  d.status = store::DomainStatus::kValid;
  d.current_not_after = now + days(20);
  d.renew_at = now - hours(5);
  EXPECT_TRUE(RenewsByItself(d, now)) << "5 h past the renewal point is a pacing wait, not news";
  d.renew_at = now - hours(6);
  EXPECT_FALSE(RenewsByItself(d, now)) << "6 h overdue: the people must be told";
  EXPECT_TRUE(RenewalOverdue(d, now));
  d.renew_at = now + days(1);
  EXPECT_TRUE(RenewsByItself(d, now)) << "a renewal point ahead is the normal case";
}

// Issue 20, run C: a 45-day certificate whose renewal waits for the order pacing from its
// latest renewal point on (15 days left, issuance::LatestRenewal) is overdue 6 h later,
// with 14 d 18 h left. The scan must read it then: when it read every domain only from
// 14 days left, the warning came up to a scan interval after the 14-day horizon.
TEST_F(DispatcherTest, ARenewalOverdueSinceTheLatestRenewalPointIsWarnedBeforeTheHorizon) {
  auto domain = fx_.AddDomain("paced.example.com", std::nullopt, {}, "letsencrypt");
  const TimePoint not_after = fx_.clock().Now() + days(45);
  fx_.AddCertificate(domain, not_after, "01");
  auto d = fx_.store().GetDomain(domain);
  ASSERT_TRUE(d);
  d->next_attempt_at = fx_.clock().Now();
  ASSERT_TRUE(fx_.store().UpdateDomain(fx_.actor, *d));
  auto claimed = fx_.store().ClaimDueDomains({.owner = "w", .now = fx_.clock().Now()});
  ASSERT_TRUE(claimed && claimed->size() == 1) << "the ACME domain must be claimable";
  store::Lease lease{domain, "w", fx_.clock().Now() + std::chrono::minutes(5)};
  ASSERT_TRUE(fx_.store().UpdateAttempt(fx_.actor, lease,
                                        {.status = store::DomainStatus::kValid,
                                         .next_attempt_at = not_after - days(14),
                                         .renew_at = not_after - days(15),
                                         .release = true}));
  fx_.clock().Set(not_after - days(15) + hours(6));  // deferred by the pacing ever since
  auto added = dispatcher_.RunScans();
  ASSERT_TRUE(added) << added.error().message;
  auto trouble = Queued("trouble");
  ASSERT_EQ(trouble.size(), 1u) << "overdue for 6 h with 14 d 18 h left: warn now, before the "
                                   "14-day horizon, not at the first scan after it";
  EXPECT_EQ(trouble[0].kind, NoticeKind::kExpiring);
  EXPECT_NE(trouble[0].summary.find("overdue since"), std::string::npos) << trouble[0].summary;
}

// Issue 20: the hub adds the issuers' capacity check to the scans (hub/app.cc); its notice
// goes to the channels that want "capacity", once a day while it lasts.
TEST(DispatcherExtraScanTest, ACapacityWarningIsQueuedOnceADay) {
  testing::StoreFixture fx;
  NotifyConfig config;
  config.channels.push_back({.name = "ops", .type = ChannelType::kSlack, .url = "https://s"});
  config.channels.push_back({.name = "expiry-only",
                             .type = ChannelType::kSlack,
                             .url = "https://s",
                             .events = {NoticeKind::kExpiring}});
  DispatcherOptions options;
  options.extra_scan = [](TimePoint now) -> Result<std::vector<PendingNotice>> {
    return std::vector<PendingNotice>{
        CapacityNotice("letsencrypt", false, "2800 orders needed", "add ACME accounts", now)};
  };
  Dispatcher dispatcher(fx.store(), fx.clock(), config, options);
  auto first = dispatcher.RunScans();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 1) << "only the channel without an event filter wants it";
  fx.clock().Advance(hours(1));
  EXPECT_EQ(*dispatcher.RunScans(), 0) << "the same day: already queued";
  fx.clock().Advance(days(1));
  EXPECT_EQ(*dispatcher.RunScans(), 1) << "a day later it is said again";
  auto due = fx.store().ListDueNotifications("ops", fx.clock().Now() + days(1), 10);
  ASSERT_TRUE(due && !due->empty());
  auto notice = NoticeFromJson(nlohmann::json::parse(due->front().payload_json));
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->kind, NoticeKind::kCapacity);
  EXPECT_EQ(notice->subject, "issuer letsencrypt");
  EXPECT_EQ(notice->action, "add ACME accounts");
}

// Issue 19: certificates the agents found on their hosts are watched too, unless a
// certfleet domain holds them (that domain's own warning covers it).
TEST_F(DispatcherTest, DiscoveredCertificatesCertfleetDoesNotManageAreWarnedAboutOnce) {
  auto web1 = fx_.AddMachine("web-01");
  store::MachineInventory inv{.machine_id = web1, .digest = "d", .body_json = "{}"};
  const std::string bought(64, 'b');
  for (const char* origin : {"file", "served"}) {  // one certificate, seen twice
    inv.entries.push_back({.machine_id = web1,
                           .name = "bought.example.com",
                           .origin = origin,
                           .sha256 = bought,
                           .not_after = fx_.clock().Now() + days(10),
                           .issuer = "CN=Bought CA"});
  }
  ASSERT_TRUE(fx_.store().PutInventory({"test"}, inv));
  auto first = dispatcher_.RunScans();
  auto second = dispatcher_.RunScans();
  ASSERT_TRUE(first && second) << (first ? second.error().message : first.error().message);
  EXPECT_EQ(*first, 2) << "one warning, for both channels";
  EXPECT_EQ(*second, 0);
  auto trouble = Queued("trouble");
  ASSERT_EQ(trouble.size(), 1u);
  EXPECT_EQ(trouble[0].subject, "bought.example.com");
  EXPECT_EQ(trouble[0].machines, (std::vector<std::string>{"web-01"}));
  EXPECT_NE(trouble[0].summary.find("certfleet does not manage it (issuer CN=Bought CA)"),
            std::string::npos)
      << trouble[0].summary;
  EXPECT_NE(trouble[0].action.find("certfleet inventory adopt bought.example.com"),
            std::string::npos);
}

TEST_F(DispatcherTest, SilentAgentIsReportedOncePerOutage) {
  auto web1 = fx_.AddMachine("web-01");
  ASSERT_TRUE(fx_.store().RecordAgentSeen(web1, fx_.clock().Now(), "1.2.3"));
  fx_.AddMachine("web-02-no-agent");
  fx_.clock().Advance(hours(2));
  auto first = dispatcher_.RunScans();
  auto second = dispatcher_.RunScans();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, 1) << "only the 'all' channel subscribes to agent_unseen";
  EXPECT_EQ(*second, 0);
  auto all = Queued("all");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].subject, "web-01");
  EXPECT_NE(all[0].summary.find("agent not seen for 2 h"), std::string::npos) << all[0].summary;
}

// Review 2026-12-06, F2: a notice quoting text that is not UTF-8 (an agent version stored
// before the hub checked it) made the strict JSON dump throw; the scan was retried every
// second forever and the warning never sent.
TEST_F(DispatcherTest, NoticeWithTextThatIsNotUtf8IsQueuedWithReplacements) {
  Notice n{.kind = NoticeKind::kAgentUnseen,
           .severity = Severity::kWarning,
           .subject = "web-01",
           .summary = "agent not seen for 2 h (version v\xFF)"};
  auto added = dispatcher_.Enqueue({n, "agent-unseen:web-01:1"});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, 1);
  auto all = Queued("all");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_NE(all[0].summary.find("v\xEF\xBF\xBD"), std::string::npos) << all[0].summary;
}

}  // namespace
}  // namespace certfleet::notify
