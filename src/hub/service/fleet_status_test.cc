#include "hub/service/fleet_status.h"

#include "hub/service/domains.h"
#include "hub/service/service_test_fixture.h"

namespace certfleet::hub::service {
namespace {

using namespace std::chrono_literals;

class FleetStatusTest : public ServiceTest {
 protected:
  // A manual domain on `machines` with a stored certificate for its name.
  store::CertificateVersion DomainWithCertificate(const std::string& name,
                                                  std::vector<std::string> machines) {
    auto d = CreateDomain(*s_, actor_, {.name = name, .machines = machines, .issuer = "manual"});
    EXPECT_TRUE(d) << d.error().message;
    store::CertificateVersion c;
    c.domain_id = d->id;
    c.chain_pem = "-----BEGIN CERTIFICATE-----\n...";
    c.encrypted_key = "sealed";
    c.serial = "01";
    c.sha256 = std::string(64, name[0]);
    c.names = {name};
    c.not_before = clock_.Now();
    c.not_after = clock_.Now() + 24h * 90;
    c.source = store::CertificateSource::kManual;
    auto stored = store_->AddCertificate(actor_, c);
    EXPECT_TRUE(stored) << stored.error().message;
    return stored.value_or(store::CertificateVersion{});
  }
  void Report(const std::string& machine, const store::CertificateVersion& c,
              store::DeploymentStatus status, const std::string& error = "") {
    auto m = store_->GetMachineByName(machine);
    ASSERT_TRUE(m) << m.error().message;
    auto r = store_->ReportDeployment(
        actor_, {.machine_id = m->id, .certificate_id = c.id, .status = status, .error = error});
    ASSERT_TRUE(r) << r.error().message;
  }
  const AttentionItem* Find(const FleetStatus& f, const std::string& kind,
                            const std::string& domain) {
    for (const auto& a : f.attention) {
      if (a.kind == kind && a.domain == domain) return &a;
    }
    return nullptr;
  }
};

TEST_F(FleetStatusTest, FailedAndMissingDeploymentsAreListedWithTheAgentsWords) {
  for (const char* m : {"web-1", "web-2"}) ASSERT_NO_FATAL_FAILURE(MakeMachine(m));
  auto shop = DomainWithCertificate("shop.example", {"web-1", "web-2"});
  DomainWithCertificate("blog.example", {"web-1"});
  ASSERT_NO_FATAL_FAILURE(Report("web-1", shop, store::DeploymentStatus::kDeployed));
  ASSERT_NO_FATAL_FAILURE(Report("web-2", shop, store::DeploymentStatus::kFailed,
                                 "nginx -t failed: cannot load certificate"));

  auto f = LoadFleetStatus(*store_, clock_.Now());
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->counts.deploy_failed, 1);
  EXPECT_EQ(f->counts.not_deployed, 2) << "shop (on web-2) and blog (on web-1)";
  EXPECT_EQ(f->counts.machines, 2);
  const AttentionItem* failed = Find(*f, "deploy_failed", "shop.example");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->machine, "web-2");
  EXPECT_EQ(failed->tone, Tone::kBad);
  EXPECT_EQ(failed->message, "web-2 could not deploy it: nginx -t failed: cannot load certificate");
  EXPECT_TRUE(failed->when) << "the time of the failed report";
  const AttentionItem* missing = Find(*f, "not_deployed", "blog.example");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->machine, "web-1");
  EXPECT_EQ(Find(*f, "not_deployed", "shop.example"), nullptr)
      << "a failure is listed as a failure, not again as not deployed";
  EXPECT_TRUE(f->NeedsAttention());
}

TEST_F(FleetStatusTest, DeployedEverywhereNeedsNoAttention) {
  ASSERT_NO_FATAL_FAILURE(MakeMachine("web-1"));
  auto shop = DomainWithCertificate("shop.example", {"web-1"});
  ASSERT_NO_FATAL_FAILURE(Report("web-1", shop, store::DeploymentStatus::kDeployed));
  ASSERT_TRUE(store_->RecordAgentSeen(store_->GetMachineByName("web-1")->id, clock_.Now(), "1.0"));

  auto f = LoadFleetStatus(*store_, clock_.Now());
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->counts.deploy_failed, 0);
  EXPECT_EQ(f->counts.not_deployed, 0);
  EXPECT_EQ(f->counts.valid, 1);
  EXPECT_FALSE(f->NeedsAttention()) << (f->attention.empty() ? "" : f->attention[0].message);
}

// Issue 20: an issuer whose order pacing cannot keep up is a fleet problem of its own.
TEST_F(FleetStatusTest, MoreRenewalsThanAnIssuersPacingAllowsIsACapacityItem) {
  // Three 6-day certificates of issuer pebble, each renewing within the hour.
  for (const char* name : {"a.example", "b.example", "c.example"}) {
    auto d = CreateDomain(*s_, actor_, {.name = name, .issuer = "pebble"});
    ASSERT_TRUE(d) << d.error().message;
    store::CertificateVersion c{.domain_id = d->id,
                                .chain_pem = "-----BEGIN CERTIFICATE-----\n...",
                                .encrypted_key = "sealed",
                                .serial = "01",
                                .not_before = clock_.Now(),
                                .not_after = clock_.Now() + 24h * 6,
                                .sha256 = std::string(64, name[0]),
                                .names = {name}};
    ASSERT_TRUE(store_->AddCertificate(actor_, c));
  }
  auto claimed = store_->ClaimDueDomains({.owner = "w", .now = clock_.Now(), .limit = 10});
  ASSERT_TRUE(claimed && claimed->size() == 3);
  for (const store::Domain& d : *claimed) {
    ASSERT_TRUE(store_->UpdateAttempt(actor_, {d.id, "w", *d.lease_until},
                                      {.status = store::DomainStatus::kValid,
                                       .next_attempt_at = clock_.Now() + 1h,
                                       .renew_at = clock_.Now() + 1h,
                                       .release = true}));
  }
  issuance::IssuerConfig pebble = config_.issuers.front();
  auto roomy = LoadFleetStatus(*store_, clock_.Now(), {pebble});
  ASSERT_TRUE(roomy) << roomy.error().message;
  EXPECT_EQ(Find(*roomy, "capacity", ""), nullptr) << "3 renewals of 2,400 orders a day";
  pebble.orders_per_window = 1;
  pebble.window = std::chrono::hours(24);
  auto f = LoadFleetStatus(*store_, clock_.Now(), {pebble});
  ASSERT_TRUE(f) << f.error().message;
  const AttentionItem* item = Find(*f, "capacity", "");
  ASSERT_NE(item, nullptr) << "3 renewals against 1 order a day";
  EXPECT_EQ(item->tone, Tone::kWarn) << "the slots of the next 3 days come before the 6-day ends";
  EXPECT_NE(item->message.find("issuer pebble: renewals due within 24 h: 3 (0 overdue)"),
            std::string::npos)
      << item->message;
  EXPECT_TRUE(f->NeedsAttention());
}

}  // namespace
}  // namespace certfleet::hub::service
