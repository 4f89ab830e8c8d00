// Issue 20: a valid domain asks the CA for renewal information between renewals
// (RFC 9773 §4.3), so a window the CA moves — "renew now" after a mass
// revocation — is seen within a poll interval instead of at the renewal point
// weeks later. The real engine and job against a scripted CA (directory +
// renewalInfo), on the memory store and a FakeClock.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "crypto/testing/test_ca.h"
#include "issuance/ari_schedule.h"
#include "issuance/order_pacer.h"
#include "issuance/scripted_ca_engine_fixture.h"

namespace certfleet::issuance {
namespace {

using std::chrono::hours;
constexpr hours kDay{24};

class AriPollTest : public ScriptedCaEngineFixture {
 protected:
  AriPollTest() : ScriptedCaEngineFixture("ari-poll") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore());
    ASSERT_NO_FATAL_FAILURE(SeedValidDomain());
    EngineOptions options;
    options.seed = [] { return std::uint64_t{7}; };
    CreateEngine(std::move(options), [this](const net::HttpRequest& r) { return Answer(r); });
  }

  // A 90-day certificate issued 20 days ago, renewal point at day 60, next ARI
  // poll now.
  void SeedValidDomain() {
    store::Domain d;
    d.name = "ari.example.com";
    d.issuer = "ca";
    d.key_type = "ec-p256";
    d.next_attempt_at = clock_.Now();
    auto created = store_->CreateDomain({"test"}, d);
    ASSERT_TRUE(created) << created.error().message;
    domain_id_ = created->id;
    auto ca = crypto::testing::TestCa::Create();
    ASSERT_TRUE(ca);
    auto leaf = ca->Issue({.dns_names = {d.name}});
    ASSERT_TRUE(leaf);
    store::CertificateVersion cert;
    cert.domain_id = domain_id_;
    cert.chain_pem = leaf->chain_pem;
    cert.encrypted_key = "sealed";
    cert.serial = leaf->leaf.SerialHex();
    cert.sha256 = leaf->leaf.Sha256Fingerprint();
    cert.names = {d.name};
    cert.not_before = clock_.Now() - 20 * kDay;
    cert.not_after = cert.not_before + 90 * kDay;
    auto added = store_->AddCertificate({"test"}, cert);
    ASSERT_TRUE(added) << added.error().message;
    cert_id_ = added->id;
    renew_at_ = cert.not_before + 60 * kDay;
    poll_at_ = clock_.Now();
    ASSERT_TRUE(
        store_->UpdateCertificateAri(cert_id_, renew_at_ - kDay, renew_at_ + kDay, poll_at_));
    auto claimed = store_->ClaimDueDomains({.owner = "seed", .now = clock_.Now() + 365 * kDay});
    ASSERT_TRUE(claimed && claimed->size() == 1);
    ASSERT_TRUE(
        store_->UpdateAttempt({"test"}, {domain_id_, "seed", claimed->front().lease_until.value()},
                              {store::DomainStatus::kValid, "", 0, poll_at_, renew_at_, true}));
  }

  Result<net::HttpResponse> Answer(const net::HttpRequest& r) {
    {
      std::lock_guard lock(mu_);
      urls_.push_back(r.url);
    }
    if (ca_down_) return Fail(ErrorCode::kUnavailable, r.url + ": connection refused");
    net::HttpResponse response;
    response.status = 200;
    response.headers.Add("Content-Type", "application/json");
    response.headers.Add("Replay-Nonce", "n1");
    if (r.url == kScriptedCaDirectory) {
      response.body = R"({"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct",)"
                      R"("newOrder":"https://ca.test/order","renewalInfo":"https://ca.test/ri"})";
    } else if (r.url.rfind("https://ca.test/ri/", 0) == 0) {
      response.headers.Add("Retry-After", "21600");
      response.body = R"({"suggestedWindow":{"start":")" + FormatRfc3339(window_start_) +
                      R"(","end":")" + FormatRfc3339(window_end_) + R"("}})";
    } else {
      response.status = 503;  // anything an order would need: not scripted here
      response.body = "{}";
    }
    return response;
  }

  std::vector<std::string> Urls() {
    std::lock_guard lock(mu_);
    return urls_;
  }
  int RenewalInfoRequests() {
    int n = 0;
    for (const auto& u : Urls()) n += u.rfind("https://ca.test/ri/", 0) == 0 ? 1 : 0;
    return n;
  }
  // Other domains take every order slot the issuer's pacing has left at `now`.
  void FillThePacing() {
    OrderPacer& pacer = engine_->Issuer("ca")->pacer();
    for (int i = 0; i <= 300 && !pacer.TryAcquire(clock_.Now()); ++i) {
    }
    ASSERT_TRUE(pacer.NextSlot(clock_.Now())) << "the pacing must be full";
  }
  bool Ordered() {
    for (const auto& u : Urls()) {
      if (u == kScriptedCaDirectory || u.rfind("https://ca.test/ri/", 0) == 0) continue;
      return true;
    }
    return false;
  }
  store::Domain Domain() { return store_->GetDomain(domain_id_).value(); }

  store::Id domain_id_ = 0;
  store::Id cert_id_ = 0;
  TimePoint renew_at_{};
  TimePoint poll_at_{};
  TimePoint window_start_{};
  TimePoint window_end_{};
  bool ca_down_ = false;
  std::mutex mu_;
  std::vector<std::string> urls_;
};

TEST_F(AriPollTest, AnUnchangedWindowKeepsTheDomainValidAndPollsAgainInSixHours) {
  window_start_ = renew_at_ - kDay;
  window_end_ = renew_at_ + kDay;
  EXPECT_EQ(engine_->RunAllDue("t"), 1) << "the poll is a claim";
  EXPECT_FALSE(Ordered()) << "a poll with the window weeks away must not order";
  const store::Domain d = Domain();
  EXPECT_EQ(d.status, store::DomainStatus::kValid);
  EXPECT_EQ(d.renew_at, renew_at_) << "the renewal point stays inside an unchanged window";
  EXPECT_EQ(d.next_attempt_at, clock_.Now() + hours(6)) << "asked again at the Retry-After";
  EXPECT_EQ(store_->GetCertificate(cert_id_).value().ari_retry_after, clock_.Now() + hours(6));
}

TEST_F(AriPollTest, RenewNowFromTheCaOrdersAtOnce) {
  window_start_ = clock_.Now() - hours(1);  // a mass revocation: renew within 24 h
  window_end_ = clock_.Now() + hours(23);
  engine_->RunAllDue("t");
  EXPECT_TRUE(Ordered()) << "the job must go on to an order when the window has begun";
}

// Issue 20's mass revocation at 10,000 domains: the CA says "renew now" to every
// certificate, the pacing orders 300 per 3 h and defers the rest. A deferred domain must
// count as due from the poll on (its renewal point moves to now), or nothing — the
// expiry scan's overdue check, the capacity check — sees thousands waiting.
TEST_F(AriPollTest, RenewNowThatThePacingDefersMovesTheRenewalPointToThePoll) {
  window_start_ = clock_.Now() - hours(1);
  window_end_ = clock_.Now() + hours(23);
  ASSERT_NO_FATAL_FAILURE(FillThePacing());
  ASSERT_EQ(engine_->RunAllDue("t"), 1);
  EXPECT_FALSE(Ordered()) << "the pacing has no slot";
  const store::Domain d = Domain();
  EXPECT_EQ(d.status, store::DomainStatus::kValid) << "deferred, not failed";
  EXPECT_EQ(d.renew_at, clock_.Now()) << "the CA asked for renewal now, not on day 60";
  ASSERT_TRUE(d.next_attempt_at);
  EXPECT_GT(*d.next_attempt_at, clock_.Now()) << "claimed again at the next free slot";
}

TEST_F(AriPollTest, WithoutPollingTheSameDomainIsNotClaimedBeforeItsRenewalPoint) {
  // Negative control: the same domain with next_attempt_at at its renewal point
  // (the hub before issue 20) is not even claimed, whatever the CA's window
  // says.
  window_start_ = clock_.Now() - hours(1);
  window_end_ = clock_.Now() + hours(23);
  auto claimed = store_->ClaimDueDomains({.owner = "seed", .now = clock_.Now()});
  ASSERT_TRUE(claimed && claimed->size() == 1);
  ASSERT_TRUE(
      store_->UpdateAttempt({"test"}, {domain_id_, "seed", *claimed->front().lease_until},
                            {store::DomainStatus::kValid, "", 0, renew_at_, renew_at_, true}));
  EXPECT_EQ(engine_->RunAllDue("t"), 0);
  EXPECT_TRUE(Urls().empty());
}

TEST_F(AriPollTest, ThePressedIssueButtonOrdersAlthoughAPollIsDue) {
  window_start_ = renew_at_ - kDay;
  window_end_ = renew_at_ + kDay;
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_TRUE(store_->RequestIssuance({"test"}, domain_id_, clock_.Now()));
  engine_->RunAllDue("t");
  EXPECT_TRUE(Ordered()) << "next_attempt_at is the press time, not the poll time: order";
}

TEST_F(AriPollTest, AnUnansweredPollKeepsTheDomainValidAndAsksAgainInAnHour) {
  ca_down_ = true;
  engine_->RunAllDue("t");
  const store::Domain d = Domain();
  EXPECT_EQ(d.status, store::DomainStatus::kValid) << "a poll is not a renewal that failed";
  EXPECT_EQ(d.failure_count, 0);
  EXPECT_EQ(d.renew_at, renew_at_);
  EXPECT_EQ(d.next_attempt_at, clock_.Now() + kMinAriPoll);
  EXPECT_TRUE(engine_->Issuer("ca")->reachability().IsDown()) << "but it is news about the CA";
  // The next poll, while the CA is known down, is postponed without contacting
  // it.
  const auto before = Urls().size();
  clock_.Set(*d.next_attempt_at);
  engine_->RunOne("t");
  EXPECT_EQ(Domain().status, store::DomainStatus::kValid);
  EXPECT_EQ(Domain().next_attempt_at, clock_.Now() + kMinAriPoll);
  EXPECT_EQ(Urls().size(), before) << "no request into an outage the probe already watches";
}

// Issue 20's renewalInfo storm: after a long CA outage thousands of domains are
// past their renewal point and wait for pacing slots, re-claimed whenever one
// may be free. Each re-claim asked the CA for renewalInfo again before the
// pacing deferred it again; the recheck now waits for a slot, so it is asked
// once, right before the order.
TEST_F(AriPollTest, ADomainThePacingDefersAsksForRenewalInfoOnlyWhenItsOrderCanStart) {
  window_start_ = renew_at_ - kDay;
  window_end_ = renew_at_ + kDay;
  clock_.Set(renew_at_ + hours(1));  // the renewal point passed while the CA was down
  for (int claim = 1; claim <= 5; ++claim) {
    ASSERT_NO_FATAL_FAILURE(FillThePacing());
    ASSERT_EQ(engine_->RunAllDue("t"), 1) << "claim " << claim;
    const store::Domain d = Domain();
    EXPECT_EQ(d.status, store::DomainStatus::kValid) << "deferred, not failed";
    ASSERT_TRUE(d.next_attempt_at);
    ASSERT_GT(*d.next_attempt_at, clock_.Now()) << "deferred to the next free slot";
    clock_.Set(*d.next_attempt_at);
  }
  EXPECT_EQ(RenewalInfoRequests(), 0)
      << "a domain the pacing defers must not ask the CA at every re-claim (5 "
         "claims)";
  EXPECT_FALSE(Ordered());
  ASSERT_EQ(engine_->RunAllDue("t"), 1) << "a slot is free now";
  EXPECT_EQ(RenewalInfoRequests(), 1) << "the recheck at the renewal point, once";
  EXPECT_TRUE(Ordered()) << "the window has begun: the order follows the recheck";
}

}  // namespace
}  // namespace certfleet::issuance
