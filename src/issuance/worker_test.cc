// Integration tests of the issuance Worker against a REAL Pebble and a real SQLite store.
// The HTTP-01 answers are served from the store by a tiny http::Server on the port
// Pebble validates against, as the hub does.
#include "issuance/worker.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <functional>
#include <thread>

#include "crypto/hash.h"
#include "crypto/sealed_key.h"
#include "crypto/x509.h"
#include "harness/pebble_server.h"
#include "harness/temp_dir.h"
#include "http/server.h"
#include "issuance/issuer_runtime.h"
#include "issuance/order_machine.h"
#include "issuance/order_progress.h"
#include "issuance/store_challenge_solver.h"
#include "net/curl/curl_transport.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::issuance {
namespace {

using std::chrono::milliseconds;

const store::Actor kTester{"test"};

// Polls `done` until it holds or `timeout` passes (no fixed sleeps).
bool Eventually(const std::function<bool()>& done, milliseconds timeout = milliseconds(30'000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return done();
}

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::debug);
    spdlog::set_pattern("[%H:%M:%S.%e] [%l] %v");
    auto store = store::OpenSqliteStore({.path = (dir_ / "hub.db").string()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto envelope = crypto::Envelope::Create(crypto::RandomBytes(32));
    ASSERT_TRUE(envelope) << envelope.error().message;
    envelope_.emplace(std::move(*envelope));
    StartResponder();
    auto pebble =
        harness::PebbleServer::Start({.http_port = responder_->port(), .nonce_reject_percent = 0});
    ASSERT_TRUE(pebble) << pebble.error().message;
    pebble_ = std::move(*pebble);
  }

  void TearDown() override {
    if (worker_) worker_->Stop();
  }

  // GET /.well-known/acme-challenge/{token} → the pending challenge's key authorization.
  void StartResponder() {
    http::Router router;
    router.Add("GET", "/.well-known/acme-challenge/{token}", [this](const http::Request& request) {
      if (refuse_challenges_) return http::Response::NotFound();
      auto answer =
          store_->FindPendingChallenge(request.PathParam("token"), SystemClock::Instance().Now());
      if (!answer) return http::Response::NotFound();
      return http::Response::Text(*answer);
    });
    auto server =
        http::Server::Start({.listen = "127.0.0.1:0", .io_threads = 2}, std::move(router));
    ASSERT_TRUE(server) << server.error().message;
    responder_ = std::move(*server);
  }

  IssuerConfig Issuer() const {
    return IssuerConfig{.name = "pebble",
                        .directory_url = pebble_->DirectoryUrl(),
                        .ca_file = pebble_->CaFile(),
                        .contact_email = "ops@example.com"};
  }

  WorkerOptions Options() const {
    WorkerOptions options;
    options.concurrency = 2;
    options.poll_interval = milliseconds(50);
    options.engine.data_dir = dir_.path();
    options.owner = "worker-test";
    options.engine.retry =
        RetryPolicy{.first_delay = milliseconds(200), .max_delay = milliseconds(1000)};
    return options;
  }

  void StartWorker(std::optional<IssuerConfig> issuer = std::nullopt) {
    auto worker = Worker::Start(*store_, *envelope_, SystemClock::Instance(),
                                {issuer.value_or(Issuer())}, Options());
    ASSERT_TRUE(worker) << worker.error().message;
    worker_ = std::move(*worker);
  }

  store::Domain AddDomain(const std::string& name, std::vector<std::string> sans = {}) {
    store::Domain domain;
    domain.name = name;
    domain.sans = std::move(sans);
    domain.issuer = "pebble";
    domain.key_type = "ec256";
    domain.next_attempt_at = SystemClock::Instance().Now();
    auto created = store_->CreateDomain(kTester, domain);
    EXPECT_TRUE(created) << created.error().message;
    return created.value_or(domain);
  }

  store::Domain Domain(store::Id id) { return store_->GetDomain(id).value(); }

  std::vector<store::CertificateVersion> Certificates(store::Id domain_id) {
    return store_->ListCertificates(domain_id, 100).value();
  }

  // Waits until the domain holds `count` certificates and is valid again.
  bool WaitForCertificates(store::Id domain_id, size_t count) {
    return Eventually([&] {
      const store::Domain d = Domain(domain_id);
      return Certificates(domain_id).size() >= count && d.status == store::DomainStatus::kValid &&
             d.lease_owner.empty();
    });
  }

  crypto::PrivateKey OpenCertificateKey(const store::Domain& domain,
                                        const store::CertificateVersion& cert) {
    auto pem = envelope_->Open(cert.encrypted_key,
                               crypto::CertificateKeyAssociatedData(domain.name, cert.sha256));
    EXPECT_TRUE(pem) << "the stored key must open with the certificate's associated data";
    return crypto::PrivateKey::FromPem(pem ? pem->view() : "").value();
  }

  // A worker that claimed `domain` (a 300 ms lease), opened its ACME session and created the
  // domain's order — and then "crashed" at a point each test chooses.
  struct CrashedWorker {
    store::Lease lease;
    std::unique_ptr<IssuerRuntime> runtime;
    acme::Session* session = nullptr;
    std::optional<acme::Signer> signer;
    store::Order order;
  };
  void StartCrashedWorker(const store::Domain& domain, CrashedWorker& out) {
    const TimePoint now = SystemClock::Instance().Now();
    auto claimed = store_->ClaimDueDomains({"crashed-worker", now, milliseconds(300), 1});
    ASSERT_TRUE(claimed && claimed->size() == 1u);
    out.lease = {domain.id, "crashed-worker", *claimed->front().lease_until};
    auto transport = net::CurlTransport::Create({.ca_file = pebble_->CaFile()});
    ASSERT_TRUE(transport) << transport.error().message;
    out.runtime = std::make_unique<IssuerRuntime>(Issuer(), std::move(*transport), *envelope_,
                                                  SystemClock::Instance(), dir_.path());
    auto session = out.runtime->Session();
    ASSERT_TRUE(session) << session.error().message;
    out.session = *session;
    auto signer = out.runtime->account().Signer(*out.session);
    ASSERT_TRUE(signer) << signer.error().message;
    out.signer.emplace(std::move(*signer));
    store::Order order;
    order.domain_id = domain.id;
    order.issuer = "pebble";
    order.acme_state_json = ProgressToJson({.spec = {{domain.name}, "ec-p256", ""}});
    auto created = store_->CreateOrder(kTester, out.lease, order);
    ASSERT_TRUE(created) << created.error().message;
    out.order = std::move(*created);
  }

  harness::TempDir dir_{"issuance"};
  std::unique_ptr<store::Store> store_;
  std::optional<crypto::Envelope> envelope_;
  std::unique_ptr<http::Server> responder_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<Worker> worker_;
  std::atomic<bool> refuse_challenges_ = false;  // the responder answers 404 to the CA
};

TEST_F(WorkerTest, FirstIssuanceStoresAValidCertificateWithItsSealedKey) {
  const store::Domain domain = AddDomain("tickets.example.com", {"www.tickets.example.com"});
  StartWorker();
  worker_->Wake();
  ASSERT_TRUE(WaitForCertificates(domain.id, 1))
      << "status: " << store::DomainStatusName(Domain(domain.id).status)
      << ", error: " << Domain(domain.id).last_error;
  const store::Domain done = Domain(domain.id);
  const auto certs = Certificates(domain.id);
  ASSERT_EQ(certs.size(), 1u);
  const store::CertificateVersion& cert = certs.front();
  EXPECT_EQ(done.current_certificate_id, cert.id);
  EXPECT_EQ(done.failure_count, 0);
  EXPECT_TRUE(done.last_error.empty()) << done.last_error;
  EXPECT_EQ(cert.names,
            (std::vector<std::string>{"tickets.example.com", "www.tickets.example.com"}));
  auto leaf =
      crypto::Certificate::FromPem(crypto::ParsePemChain(cert.chain_pem).value().front().ToPem())
          .value();
  EXPECT_TRUE(leaf.MatchesKey(OpenCertificateKey(done, cert)))
      << "the stored key must be the certificate's";
  EXPECT_EQ(cert.sha256, leaf.Sha256Fingerprint());
  ASSERT_TRUE(done.renew_at.has_value());
  const auto lifetime = cert.not_after - cert.not_before;
  const auto off_by = *done.renew_at - (cert.not_before + lifetime * 2 / 3);
  EXPECT_LT(std::chrono::abs(off_by), milliseconds(2))
      << "without ARI: renew at 2/3 of the lifetime";
  EXPECT_EQ(done.next_attempt_at, done.renew_at) << "the next attempt is the renewal";
  const auto orders = store_->ListOrders(domain.id, 10).value();
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders.front().state, store::OrderState::kCompleted);
  auto account = store_->GetAcmeAccount(pebble_->DirectoryUrl());
  ASSERT_TRUE(account) << "the account must be kept in the store: " << account.error().message;
  EXPECT_FALSE(account->account_url.empty()) << "the registration must be stored";
  EXPECT_FALSE(std::filesystem::exists(dir_ / "acme/pebble.account"))
      << "with a store, the account is kept there only";
}

TEST_F(WorkerTest, RenewalProducesANewCertificateWithANewKey) {
  const store::Domain domain = AddDomain("renew.example.com");
  StartWorker();
  worker_->Wake();
  ASSERT_TRUE(WaitForCertificates(domain.id, 1)) << Domain(domain.id).last_error;
  ASSERT_TRUE(store_->RequestIssuance(kTester, domain.id, SystemClock::Instance().Now()));
  worker_->Wake();
  ASSERT_TRUE(WaitForCertificates(domain.id, 2)) << Domain(domain.id).last_error;
  const auto certs = Certificates(domain.id);  // newest first
  ASSERT_EQ(certs.size(), 2u);
  const store::Domain done = Domain(domain.id);
  EXPECT_EQ(done.current_certificate_id, certs[0].id);
  EXPECT_EQ(certs[0].replaces_id, certs[1].id) << "the renewal must record what it replaces";
  EXPECT_NE(certs[0].serial, certs[1].serial);
  EXPECT_NE(OpenCertificateKey(done, certs[0]).PublicKeyPem(),
            OpenCertificateKey(done, certs[1]).PublicKeyPem())
      << "each renewal must use a fresh key";
}

TEST_F(WorkerTest, UnreachableCaFailsWithBackoffThenSucceedsWhenItReturns) {
  const store::Domain domain = AddDomain("outage.example.com");
  StartWorker();
  worker_->Wake();
  ASSERT_TRUE(WaitForCertificates(domain.id, 1)) << Domain(domain.id).last_error;
  pebble_->StopPebble();
  ASSERT_TRUE(store_->RequestIssuance(kTester, domain.id, SystemClock::Instance().Now()));
  worker_->Wake();
  ASSERT_TRUE(Eventually([&] { return Domain(domain.id).failure_count >= 1; }))
      << "the attempt while the CA is down must be recorded as a failure";
  const store::Domain failed = Domain(domain.id);
  EXPECT_EQ(failed.status, store::DomainStatus::kFailed);
  EXPECT_NE(failed.last_error.find("outage.example.com"), std::string::npos) << failed.last_error;
  ASSERT_TRUE(failed.next_attempt_at.has_value());
  EXPECT_GT(*failed.next_attempt_at, failed.updated_at)
      << "a failure must back off, not retry at once";
  EXPECT_EQ(failed.current_certificate_id, Certificates(domain.id).front().id)
      << "the old certificate keeps serving";

  // Pebble comes back with no memory of our account: the worker registers again.
  ASSERT_TRUE(pebble_->RestartPebble());
  ASSERT_TRUE(WaitForCertificates(domain.id, 2)) << Domain(domain.id).last_error;
  EXPECT_EQ(Domain(domain.id).failure_count, 0);
  EXPECT_TRUE(Domain(domain.id).last_error.empty());
}

TEST_F(WorkerTest, UnknownIssuerIsAVisibleFailure) {
  store::Domain domain = AddDomain("nowhere.example.com");
  domain.issuer = "nonesuch";
  ASSERT_TRUE(store_->UpdateDomain(kTester, domain));
  StartWorker();
  worker_->Wake();
  ASSERT_TRUE(Eventually([&] { return Domain(domain.id).status == store::DomainStatus::kFailed; }));
  EXPECT_NE(Domain(domain.id).last_error.find("issuer \"nonesuch\" is not configured"),
            std::string::npos)
      << Domain(domain.id).last_error;
}

// A worker that "crashes" right after finalizing: the order was finalized at the CA with
// the saved key, but the step's result was never saved. A new worker must resume the
// order, store exactly one certificate, and it must be for the saved key.
TEST_F(WorkerTest, NewWorkerResumesAnOrderSavedBeforeACrashWithoutIssuingTwice) {
  const store::Domain domain = AddDomain("crash.example.com");
  CrashedWorker crashed;
  ASSERT_NO_FATAL_FAILURE(StartCrashedWorker(domain, crashed));
  const store::Lease& lease = crashed.lease;
  store::Order& order = crashed.order;

  StoreChallengeSolver solver(*store_, SystemClock::Instance(), domain.id, order.id);
  const OrderContext context{*crashed.session, *crashed.signer, {&solver}, *envelope_, {}, "",
                             domain.name};
  // Steps new → pending → ready → ready with the key sealed, each saved.
  while (order.state != store::OrderState::kReady ||
         ProgressFromJson(order.acme_state_json)->sealed_key.empty()) {
    auto step = AdvanceOrder(context, order);
    ASSERT_TRUE(step) << step.error().message;
    ASSERT_FALSE(IsTerminal(step->order.state)) << step->order.error;
    order = store_->SaveOrder(kTester, lease, step->order).value();
  }
  auto finalized = AdvanceOrder(context, order);  // finalize at the CA; then the "crash"
  ASSERT_TRUE(finalized) << finalized.error().message;
  ASSERT_TRUE(finalized->order.state == store::OrderState::kProcessing ||
              finalized->order.state == store::OrderState::kValid);
  const auto saved_key =
      crypto::OpenKey(*envelope_, ProgressFromJson(order.acme_state_json)->sealed_key,
                      crypto::OrderKeyAssociatedData(domain.name, order.id));
  ASSERT_TRUE(saved_key) << saved_key.error().message;

  StartWorker();  // claims the domain once the crashed worker's lease has expired
  worker_->Wake();
  ASSERT_TRUE(WaitForCertificates(domain.id, 1)) << Domain(domain.id).last_error;
  const auto certs = Certificates(domain.id);
  ASSERT_EQ(certs.size(), 1u) << "the resumed order must store exactly one certificate";
  EXPECT_EQ(OpenCertificateKey(Domain(domain.id), certs[0]).PublicKeyPem(),
            saved_key->PublicKeyPem())
      << "the certificate must be for the key saved before finalize";
  EXPECT_EQ(certs[0].order_id, order.id) << "the saved order must be resumed, not replaced";
  const auto orders = store_->ListOrders(domain.id, 10).value();
  ASSERT_EQ(orders.size(), 1u) << "no second order may be started";
  EXPECT_EQ(orders[0].state, store::OrderState::kCompleted);
}

// AddCertificate commits the certificate and completes its order; the status and renewal
// point follow in a second write. A hub killed (or a database lost) between the two left the
// domain "issuing" and due, and the next claim ordered a second certificate.
TEST_F(WorkerTest, CertificateStoredWithoutItsOutcomeIsRecordedNotIssuedAgain) {
  const store::Domain domain = AddDomain("unrecorded.example.com");
  CrashedWorker crashed;
  ASSERT_NO_FATAL_FAILURE(StartCrashedWorker(domain, crashed));
  const store::Lease& lease = crashed.lease;
  store::Order& order = crashed.order;
  const TimePoint now = SystemClock::Instance().Now();
  ASSERT_TRUE(store_->UpdateAttempt(kTester, lease,
                                    {store::DomainStatus::kIssuing, "", 0, now, std::nullopt,
                                     false}));  // what the job's MarkRunning writes

  StoreChallengeSolver solver(*store_, SystemClock::Instance(), domain.id, order.id);
  const OrderContext context{*crashed.session, *crashed.signer, {&solver}, *envelope_, {}, "",
                             domain.name};
  std::optional<store::CertificateVersion> issued;
  while (!issued) {
    auto step = AdvanceOrder(context, order);
    ASSERT_TRUE(step) << step.error().message;
    ASSERT_FALSE(IsTerminal(step->order.state)) << step->order.error;
    if (step->certificate) {
      issued = step->certificate;
    } else {
      order = store_->SaveOrder(kTester, lease, step->order).value();
    }
  }
  ASSERT_TRUE(store_->AddCertificate(kTester, *issued));  // then the "crash": no UpdateAttempt
  ASSERT_EQ(Domain(domain.id).status, store::DomainStatus::kIssuing);

  StartWorker();
  worker_->Wake();
  ASSERT_TRUE(WaitForCertificates(domain.id, 1)) << Domain(domain.id).last_error;
  EXPECT_EQ(Certificates(domain.id).size(), 1u) << "the stored certificate must be recorded";
  EXPECT_EQ(store_->ListOrders(domain.id, 10).value().size(), 1u) << "no second order";
  const store::Domain after = Domain(domain.id);
  ASSERT_TRUE(after.renew_at.has_value());
  EXPECT_GT(*after.renew_at, now) << "the renewal point comes from the stored certificate";
  EXPECT_EQ(after.failure_count, 0);
}

// A hub killed mid-order restarts with the same owner id (worker.id): its slot re-takes
// the lease it held at once, instead of waiting out the 10-minute lease of its old self.
TEST_F(WorkerTest, RestartedWorkerResumesTheOrderUnderItsOwnUnexpiredLease) {
  const store::Domain domain = AddDomain("restart.example.com");
  const TimePoint now = SystemClock::Instance().Now();
  const std::string slot0 = Options().owner + "/0";  // the killed process's first thread
  auto claimed = store_->ClaimDueDomains({slot0, now, std::chrono::minutes(10), 1});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  store::Order order;
  order.domain_id = domain.id;
  order.issuer = "pebble";
  order.acme_state_json = ProgressToJson({.spec = {{domain.name}, "ec-p256", ""}});
  auto created =
      store_->CreateOrder(kTester, {domain.id, slot0, *claimed->front().lease_until}, order);
  ASSERT_TRUE(created) << created.error().message;

  StartWorker();
  ASSERT_TRUE(WaitForCertificates(domain.id, 1))
      << "the restarted worker did not resume its own leased order: "
      << Domain(domain.id).last_error;
  const auto certs = Certificates(domain.id);
  ASSERT_EQ(certs.size(), 1u) << "exactly one certificate after the restart";
  EXPECT_EQ(certs[0].order_id, created->id) << "the saved order must be resumed, not replaced";
}

TEST_F(WorkerTest, ChangedSansAbandonTheRunningOrderAndIssueForTheNewNames) {
  store::Domain domain = AddDomain("change.example.com");
  const TimePoint now = SystemClock::Instance().Now();
  auto claimed = store_->ClaimDueDomains({"old-worker", now, milliseconds(100), 1});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  store::Order stale;
  stale.domain_id = domain.id;
  stale.issuer = "pebble";
  stale.acme_state_json = ProgressToJson({.spec = {{domain.name}, "ec-p256", ""}});
  ASSERT_TRUE(store_->CreateOrder(kTester, {domain.id, "old-worker", *claimed->front().lease_until},
                                  stale));
  domain = Domain(domain.id);
  domain.sans = {"www.change.example.com"};
  ASSERT_TRUE(store_->UpdateDomain(kTester, domain));

  StartWorker();
  worker_->Wake();
  ASSERT_TRUE(WaitForCertificates(domain.id, 1)) << Domain(domain.id).last_error;
  EXPECT_EQ(Certificates(domain.id)[0].names,
            (std::vector<std::string>{"change.example.com", "www.change.example.com"}));
  const auto orders = store_->ListOrders(domain.id, 10).value();
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[1].state, store::OrderState::kAbandoned) << "the stale order must be abandoned";
}

TEST_F(WorkerTest, DomainsBeyondThePacingLimitWaitInsteadOfFailing) {
  const store::Domain first = AddDomain("first.example.com");
  const store::Domain second = AddDomain("second.example.com");
  IssuerConfig issuer = Issuer();
  issuer.orders_per_window = 1;
  issuer.window = std::chrono::hours(3);
  const TimePoint started = SystemClock::Instance().Now();
  StartWorker(issuer);
  worker_->Wake();
  ASSERT_TRUE(Eventually([&] {
    const store::Domain a = Domain(first.id), b = Domain(second.id);
    return a.lease_owner.empty() && b.lease_owner.empty() &&
           a.next_attempt_at > started + std::chrono::hours(1) &&
           b.next_attempt_at > started + std::chrono::hours(1);
  })) << "both domains must be handled: one issued, one deferred";
  const store::Domain issued =
      Domain(first.id).current_certificate_id ? Domain(first.id) : Domain(second.id);
  const store::Domain waiting = issued.id == first.id ? Domain(second.id) : Domain(first.id);
  EXPECT_EQ(issued.status, store::DomainStatus::kValid);
  EXPECT_EQ(waiting.status, store::DomainStatus::kPending) << "a paced domain is not failed";
  EXPECT_EQ(waiting.failure_count, 0);
  EXPECT_TRUE(waiting.last_error.empty()) << waiting.last_error;
  ASSERT_TRUE(waiting.next_attempt_at.has_value());
  EXPECT_GT(*waiting.next_attempt_at, started + std::chrono::minutes(179))
      << "it waits until the window frees a slot";
  EXPECT_LT(*waiting.next_attempt_at, SystemClock::Instance().Now() + std::chrono::hours(3));
  EXPECT_TRUE(store_->ListOrders(waiting.id, 10).value().empty())
      << "no order may be sent beyond the limit";
}

TEST_F(WorkerTest, FailedValidationFailsTheOrderAndTheRetryStartsAFreshOne) {
  refuse_challenges_ = true;
  const store::Domain domain = AddDomain("refused.example.com");
  StartWorker();
  worker_->Wake();
  ASSERT_TRUE(Eventually([&] { return Domain(domain.id).failure_count >= 1; }));
  const store::Domain failed = Domain(domain.id);
  EXPECT_EQ(failed.status, store::DomainStatus::kFailed);
  EXPECT_NE(failed.last_error.find("refused.example.com: http-01 challenge failed: the CA said"),
            std::string::npos)
      << "the error must name the domain, the step and the CA's detail: " << failed.last_error;
  const auto first_orders = store_->ListOrders(domain.id, 10).value();
  ASSERT_FALSE(first_orders.empty());
  EXPECT_EQ(first_orders.back().state, store::OrderState::kFailed);
  EXPECT_EQ(first_orders.back().error, failed.last_error);

  refuse_challenges_ = false;  // the retry after the backoff must succeed with a new order
  ASSERT_TRUE(WaitForCertificates(domain.id, 1)) << Domain(domain.id).last_error;
  const auto orders = store_->ListOrders(domain.id, 10).value();
  ASSERT_GE(orders.size(), 2u);
  EXPECT_EQ(orders.front().state, store::OrderState::kCompleted);
  EXPECT_GT(orders.front().attempt, 1) << "the attempt number counts the failures before it";
}

}  // namespace
}  // namespace certfleet::issuance
