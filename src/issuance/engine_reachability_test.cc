// The engine marks an issuer's CA down only when the CA itself does not answer:
// a job that fails with kUnavailable because the database went away (the codes
// are shared) must not make every other domain of the issuer fail fast until
// the next probe (issue 20; seen when PostgreSQL restarted under running hubs).
// The real engine on the memory store, a FakeClock, and a scripted CA
// transport.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "issuance/issuance_job.h"
#include "issuance/scripted_ca_engine_fixture.h"

namespace certfleet::issuance {
namespace {

class EngineReachabilityTest : public ScriptedCaEngineFixture {
 protected:
  EngineReachabilityTest() : ScriptedCaEngineFixture("engine-reachability") {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore());
    store::Domain d;
    d.name = "db-outage.example.com";
    d.issuer = "ca";
    d.key_type = "ec-p256";
    d.next_attempt_at = clock_.Now();
    ASSERT_TRUE(store_->CreateDomain({"test"}, d));
    EngineOptions options;
    // Every job fails as the issuance job does when SaveOrder loses its
    // database.
    options.run_job = [this](const JobEnvironment& env, IssuerRuntime*, const store::Domain& domain,
                             const store::Lease& lease) {
      ++jobs_;
      return RecordFailure(env, domain, lease, job_error_);
    };
    options.reachability.probe_interval = std::chrono::minutes(10);
    CreateEngine(std::move(options), [this](const net::HttpRequest& r) { return Answer(r); });
  }

  // The directory and newNonce, which is all the reachability probe asks for.
  Result<net::HttpResponse> Answer(const net::HttpRequest& r) {
    ++requests_;
    if (ca_down_) return Fail(ErrorCode::kUnavailable, r.url + ": connection refused");
    net::HttpResponse response;
    response.status = 200;
    response.headers.Add("Content-Type", "application/json");
    response.headers.Add("Replay-Nonce", "n1");
    if (r.url == kScriptedCaDirectory) {
      response.body = R"({"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct",)"
                      R"("newOrder":"https://ca.test/order"})";
    }
    return response;
  }

  bool CaMarkedDown() { return engine_->Issuer("ca")->reachability().IsDown(); }

  std::atomic<bool> ca_down_ = false;
  std::atomic<int> requests_ = 0;
  std::atomic<int> jobs_ = 0;  // jobs that ran for real (not failed fast)
  Error job_error_{ErrorCode::kUnavailable,
                   "db-outage.example.com: saving the order: running a "
                   "statement: server closed "
                   "the connection unexpectedly"};
};

TEST_F(EngineReachabilityTest, ADatabaseErrorWhileTheCaAnswersLeavesTheCaUp) {
  EXPECT_EQ(engine_->RunAllDue("t"), 1);
  EXPECT_FALSE(CaMarkedDown()) << "the job's kUnavailable came from the database, not the CA";
  EXPECT_GT(requests_.load(), 0) << "the CA itself was asked before deciding";
}

TEST_F(EngineReachabilityTest, AnUnreachableCaConfirmedByItsProbeIsMarkedDown) {
  ca_down_ = true;
  job_error_ = Error{ErrorCode::kUnavailable, "https://ca.test/order: connection refused"};
  engine_->RunAllDue("t");
  EXPECT_TRUE(CaMarkedDown());
  EXPECT_NE(engine_->Issuer("ca")->reachability().LastError().find("connection refused"),
            std::string::npos);
}

TEST_F(EngineReachabilityTest, ADomainDueWhileTheCaIsDownProbesItselfAndRunsOnceItAnswers) {
  // The regular probe is 10 min away; the domain's retry comes much sooner, as
  // it does for a short-lived certificate near expiry (issue 20: a 60-s Pebble
  // certificate expired with the CA back for 28 s, its retry failing blind
  // until the probe).
  ca_down_ = true;
  job_error_ = Error{ErrorCode::kUnavailable, "https://ca.test/order: connection refused"};
  engine_->RunAllDue("t");
  ASSERT_TRUE(CaMarkedDown());
  ASSERT_EQ(jobs_.load(), 1);
  auto domain = store_->GetDomainByName("db-outage.example.com");
  ASSERT_TRUE(domain && domain->next_attempt_at);
  const TimePoint retry = *domain->next_attempt_at;
  ASSERT_LT(retry, clock_.Now() + std::chrono::minutes(10)) << "the retry must precede the probe";

  clock_.Advance(std::chrono::duration_cast<Duration>(retry - clock_.Now()));
  const int before = requests_.load();
  engine_->RunAllDue("t");
  EXPECT_EQ(jobs_.load(), 1) << "with the CA still down the due domain fails fast";
  EXPECT_GT(requests_.load(), before) << "but it asked the CA first";

  ca_down_ = false;
  domain = store_->GetDomainByName("db-outage.example.com");
  ASSERT_TRUE(domain && domain->next_attempt_at);
  clock_.Advance(std::chrono::duration_cast<Duration>(*domain->next_attempt_at - clock_.Now()));
  job_error_ = Error{ErrorCode::kUnavailable, "db-outage.example.com: the CA answers now"};
  engine_->RunAllDue("t");
  EXPECT_EQ(jobs_.load(), 2) << "the CA answered the due domain's probe: its job must run";
}

}  // namespace
}  // namespace certfleet::issuance
