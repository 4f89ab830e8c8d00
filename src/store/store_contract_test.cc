// Contract tests for every Store backend (contract::AllFactories).
// The claim and lease contract lives in store_claim_contract_test.cc.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <thread>

#include "store/store_contract_fixture.h"

// Designated initializers deliberately leave the other members at their defaults;
// g++ 12 warns about that under -Wextra.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;
using contract::FactoryName;
using contract::StoreContractTest;

TEST_P(StoreContractTest, CustomerRoundTripsAndNameIsUnique) {
  Customer c{.name = "ACME GmbH", .contact = "ops@acme.example"};
  c.support_expires = std::chrono::year_month_day{std::chrono::year(2027), std::chrono::month(3),
                                                  std::chrono::day(31)};
  auto created = store_->CreateCustomer(actor_, c);
  ASSERT_TRUE(created) << created.error().message;
  auto read = store_->GetCustomerByName("ACME GmbH");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->contact, "ops@acme.example");
  EXPECT_EQ(read->support_expires, c.support_expires) << "support expiry date not kept";
  auto dup = store_->CreateCustomer(actor_, c);
  ASSERT_FALSE(dup) << "a second customer with the same name was accepted";
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists) << dup.error().message;
}

TEST_P(StoreContractTest, MissingRowsAreNotFound) {
  EXPECT_EQ(store_->GetCustomer(42).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetMachineByName("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetDomain(7).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetCertificate(7).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindTokenByHash(std::string(64, 'a')).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetActiveOrder(1).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, StaleVersionIsConflict) {
  Customer c = AddCustomer("shop");
  Customer first = c;
  first.contact = "a";
  ASSERT_TRUE(store_->UpdateCustomer(actor_, first));
  Customer stale = c;
  stale.contact = "b";
  auto result = store_->UpdateCustomer(actor_, stale);
  ASSERT_FALSE(result) << "an update based on an old version overwrote a newer one";
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
}

TEST_P(StoreContractTest, DomainChangeAppendsEventAndAuditAtomically) {
  Machine m = AddMachine("web-1");
  auto before = store_->MaxRevision();
  ASSERT_TRUE(before);
  Domain d = AddDomain("shop.example.com", {m.id});
  auto events = store_->ListEventsSince(*before, 100);
  ASSERT_TRUE(events);
  std::set<std::string> types;
  for (const auto& e : *events) types.insert(e.type);
  EXPECT_TRUE(types.count("domain.created")) << "no domain.created event in the outbox";
  EXPECT_TRUE(types.count("machine.desired_changed")) << "machine not told about its new domain";
  auto audit = store_->ListAudit(AuditQuery{.target = "domain:shop.example.com"});
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u) << "domain creation not audited";
  EXPECT_EQ((*audit)[0].actor, "test");
  EXPECT_EQ((*audit)[0].action, "domain.created");
}

TEST_P(StoreContractTest, FailedMutationWritesNoEvent) {
  AddDomain("shop.example.com");
  auto before = store_->MaxRevision();
  Domain dup;
  dup.name = "shop.example.com";
  dup.issuer = "letsencrypt";
  auto result = store_->CreateDomain(actor_, dup);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kAlreadyExists);
  Domain bad_machine;
  bad_machine.name = "other.example.com";
  bad_machine.issuer = "letsencrypt";
  bad_machine.machine_ids = {999};
  auto missing = store_->CreateDomain(actor_, bad_machine);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound) << missing.error().message;
  EXPECT_EQ(store_->MaxRevision().value(), before.value()) << "a failed change left an event";
  EXPECT_EQ(store_->GetDomainByName("other.example.com").error().code, ErrorCode::kNotFound)
      << "a failed change was half-saved";
}

TEST_P(StoreContractTest, RevisionsIncreaseStrictlyUnderConcurrentWriters) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto c = store_->CreateCustomer(
            actor_, Customer{.name = "c" + std::to_string(t) + "-" + std::to_string(i)});
        EXPECT_TRUE(c) << c.error().message;
      }
    });
  }
  for (auto& th : threads) th.join();
  auto events = AllEvents();
  ASSERT_EQ(events.size(), static_cast<size_t>(kThreads * kPerThread));
  std::set<std::string> ids;
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_GT(events[i].revision, events[i - 1].revision) << "revisions not strictly increasing";
  }
  for (const auto& e : events) ids.insert(e.id);
  EXPECT_EQ(ids.size(), events.size()) << "event ids are not unique";
}

// A manual upload and the domain's new status are one change: both or neither.
TEST_P(StoreContractTest, ManualCertificateMakesItsDomainValidInTheSameTransaction) {
  Domain d;
  d.name = "manual.example.com";
  d.issuer = std::string(kManualIssuer);
  d.status = DomainStatus::kFailed;
  d.last_error = "the uploaded chain had expired";
  d.failure_count = 2;
  auto created = store_->CreateDomain(actor_, d);
  ASSERT_TRUE(created) << created.error().message;
  const Revision before = store_->MaxRevision().value();
  CertificateVersion c{.domain_id = created->id,
                       .chain_pem = "-----BEGIN CERTIFICATE-----\n...",
                       .encrypted_key = "sealed",
                       .serial = "01",
                       .not_before = clock_.Now(),
                       .not_after = clock_.Now() + 24h,
                       .sha256 = std::string(64, 'c'),
                       .source = CertificateSource::kManual};
  auto stored = store_->AddCertificate(actor_, c);
  ASSERT_TRUE(stored) << stored.error().message;
  auto after = store_->GetDomain(created->id).value();
  EXPECT_EQ(after.status, DomainStatus::kValid)
      << "the upload did not make the manual domain valid";
  EXPECT_EQ(after.last_error, "") << "the old error stayed after a good upload";
  EXPECT_EQ(after.failure_count, 0);
  EXPECT_EQ(after.current_certificate_id, stored->id);
  std::set<std::string> types;
  const auto events = store_->ListEventsSince(before, 100).value();
  for (const auto& e : events) types.insert(e.type);
  EXPECT_TRUE(types.count("domain.status")) << "watchers were not told the domain became valid";
  EXPECT_TRUE(types.count("certificate.issued"));

  // The same certificate again fails as a whole: no status change, no event.
  const Revision before_dup = store_->MaxRevision().value();
  auto dup = store_->AddCertificate(actor_, c);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists) << dup.error().message;
  EXPECT_EQ(store_->MaxRevision().value(), before_dup) << "a failed upload left an event";
  EXPECT_EQ(store_->GetDomain(created->id)->current_certificate_id, stored->id);
}

TEST_P(StoreContractTest, ListDomainsSearchesSortsAndPages) {
  Customer c = AddCustomer("cust");
  for (int i = 0; i < 30; ++i) {
    Domain d;
    d.name = (i % 3 == 0 ? "shop" : "blog") + std::to_string(i + 10) + ".example.com";
    d.issuer = i % 2 == 0 ? "letsencrypt" : "manual";
    if (i < 5) d.customer_id = c.id;
    ASSERT_TRUE(store_->CreateDomain(actor_, d));
  }
  auto page = store_->ListDomains(DomainQuery{.name_contains = "SHOP", .limit = 4, .offset = 4});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 10) << "total should count all matches, ignoring limit";
  ASSERT_EQ(page->items.size(), 4u);
  EXPECT_EQ(page->items[0].name, "shop22.example.com") << "sorted by name, offset 4";
  auto by_customer = store_->ListDomains(DomainQuery{.customer_id = c.id});
  EXPECT_EQ(by_customer->total, 5);
  auto manual = store_->ListDomains(
      DomainQuery{.issuer = "manual", .sort = DomainSort::kName, .descending = true});
  EXPECT_EQ(manual->total, 15);
  EXPECT_EQ(manual->items[0].name, "shop37.example.com");
  auto literal = store_->ListDomains(DomainQuery{.name_contains = "%"});
  EXPECT_EQ(literal->total, 0) << "LIKE wildcards in the search text must match literally";
}

TEST_P(StoreContractTest, DesiredStateFollowsHostingAndCertificates) {
  Machine m1 = AddMachine("web-1");
  Machine m2 = AddMachine("web-2");
  Domain d = AddDomain("shop.example.com", {m1.id});
  AddDomain("blog.example.com", {m2.id});
  auto empty_cert = store_->GetDesiredState(m1.id);
  ASSERT_TRUE(empty_cert);
  ASSERT_EQ(empty_cert->certificates.size(), 1u);
  EXPECT_FALSE(empty_cert->certificates[0].certificate_id) << "no certificate yet";
  auto rev_before = store_->MaxRevision().value();
  CertificateVersion cert = AddCert(d.id, std::string(64, 'f'));
  auto state = store_->GetDesiredState(m1.id);
  ASSERT_TRUE(state);
  EXPECT_GT(state->revision, rev_before);
  ASSERT_EQ(state->certificates.size(), 1u) << "web-1 sees another machine's domain";
  EXPECT_EQ(state->certificates[0].certificate_id, cert.id);
  EXPECT_EQ(state->certificates[0].sha256, std::string(64, 'f'));
  auto events = store_->ListEventsSince(rev_before, 100).value();
  bool told = false;
  for (const auto& e : events) {
    told |= e.type == "machine.desired_changed" && e.subject == "machine:web-1";
    EXPECT_EQ(e.payload_json.find("sealed"), std::string::npos) << "key material in an event";
  }
  EXPECT_TRUE(told) << "web-1 not told about its new certificate";
  auto deployments = store_->ListDomainDeployments(d.id).value();
  ASSERT_EQ(deployments.size(), 1u);
  EXPECT_EQ(deployments[0].status, DeploymentStatus::kPending);
  ASSERT_TRUE(store_->ReportDeployment(actor_, Deployment{.machine_id = m1.id,
                                                          .certificate_id = cert.id,
                                                          .status = DeploymentStatus::kDeployed,
                                                          .sha256 = cert.sha256}));
  EXPECT_EQ(store_->ListDomainDeployments(d.id).value()[0].status, DeploymentStatus::kDeployed);
}

TEST_P(StoreContractTest, HostedDomainNameOnlyForTheMachinesThatHostIt) {
  Machine m1 = AddMachine("web-1");
  Machine m2 = AddMachine("web-2");
  Domain d = AddDomain("shop.example.com", {m1.id});
  auto hosted = store_->HostedDomainName(m1.id, d.id);
  ASSERT_TRUE(hosted) << hosted.error().message;
  EXPECT_EQ(*hosted, "shop.example.com");
  auto elsewhere = store_->HostedDomainName(m2.id, d.id);
  ASSERT_FALSE(elsewhere) << "web-2 does not host the domain";
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kNotFound);
  auto unknown = store_->HostedDomainName(m1.id, d.id + 1000);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, DeletingAMachineThatHostsDomainsIsConflict) {
  Machine m = AddMachine("web-1");
  Domain d = AddDomain("shop.example.com", {m.id});
  auto result = store_->DeleteMachine(actor_, m.id);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
  EXPECT_NE(result.error().message.find("web-1"), std::string::npos) << result.error().message;
  ASSERT_TRUE(store_->DeleteDomain(actor_, d.id));
  EXPECT_TRUE(store_->DeleteMachine(actor_, m.id)) << "an unused machine could not be deleted";
}

TEST_P(StoreContractTest, TokensAreFoundByHashAndScopedToMachines) {
  Machine m = AddMachine("web-1");
  std::string hash(64, '1');
  Token agent{
      .name = "agent web-1", .role = Role::kAgent, .machine_id = m.id, .secret_sha256 = hash};
  ASSERT_TRUE(store_->CreateToken(actor_, agent));
  auto found = store_->FindTokenByHash(hash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->role, Role::kAgent);
  EXPECT_EQ(found->machine_id, m.id);
  Token unbound{.name = "x", .role = Role::kAgent, .secret_sha256 = std::string(64, '2')};
  EXPECT_EQ(store_->CreateToken(actor_, unbound).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateToken(actor_, agent).error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(store_->RevokeToken(actor_, found->id, clock_.Now()));
  EXPECT_TRUE(store_->FindTokenByHash(hash)->revoked_at) << "revocation not recorded";
}

TEST_P(StoreContractTest, RevokingATokenOrDeletingAMachineMovesTheRevocationCount) {
  Machine m = AddMachine("web-1");
  Token agent{.name = "agent web-1",
              .role = Role::kAgent,
              .machine_id = m.id,
              .secret_sha256 = std::string(64, '1')};
  Token reader{.name = "reader", .role = Role::kReadonly, .secret_sha256 = std::string(64, '2')};
  ASSERT_TRUE(store_->CreateToken(actor_, agent));
  auto created = store_->CreateToken(actor_, reader);
  ASSERT_TRUE(created);
  const std::uint64_t start = store_->TokenRevocations();
  ASSERT_TRUE(store_->TouchToken(created->id, clock_.Now()));
  AddDomain("shop.example.com", {m.id});
  EXPECT_EQ(store_->TokenRevocations(), start)
      << "writes that end no token must not flush the hub's token cache";
  ASSERT_TRUE(store_->RevokeToken(actor_, created->id, clock_.Now()));
  const std::uint64_t revoked = store_->TokenRevocations();
  EXPECT_GT(revoked, start) << "a revocation must be counted before RevokeToken returns";
  ASSERT_TRUE(store_->DeleteDomain(actor_, store_->GetDomainByName("shop.example.com")->id));
  ASSERT_TRUE(store_->DeleteMachine(actor_, m.id));
  EXPECT_GT(store_->TokenRevocations(), revoked)
      << "a machine's deletion takes its agent tokens along: it must be counted too";
}

TEST_P(StoreContractTest, OnlyPendingUnexpiredChallengesAreServed) {
  Domain d = AddDomain("shop.example.com");
  Challenge c{.token = "tok",
              .key_authorization = "tok.thumb",
              .domain_id = d.id,
              .expires_at = clock_.Now() + 1h};
  ASSERT_TRUE(store_->PutChallenge(c));
  EXPECT_EQ(store_->FindPendingChallenge("tok", clock_.Now()).value(), "tok.thumb");
  EXPECT_FALSE(store_->FindPendingChallenge("tok", clock_.Now() + 2h)) << "expired was served";
  ASSERT_TRUE(store_->FinishChallenge("tok"));
  EXPECT_FALSE(store_->FindPendingChallenge("tok", clock_.Now())) << "finished was served";
}

TEST_P(StoreContractTest, RenewalsDueAreFoundByRenewAt) {
  Domain d = AddDomain("shop.example.com", {}, clock_.Now());
  auto claimed = store_->ClaimDueDomains(ClaimRequest{.owner = "w", .now = clock_.Now()});
  ASSERT_TRUE(claimed && claimed->size() == 1);
  Lease lease{d.id, "w", *(*claimed)[0].lease_until};
  AttemptUpdate done{.status = DomainStatus::kValid,
                     .next_attempt_at = clock_.Now() + 60 * 24h,
                     .renew_at = clock_.Now() + 60 * 24h,
                     .release = true};
  ASSERT_TRUE(store_->UpdateAttempt(actor_, lease, done));
  EXPECT_TRUE(store_->ListDomainsDueForRenewal(clock_.Now(), 10)->empty());
  auto due = store_->ListDomainsDueForRenewal(clock_.Now() + 61 * 24h, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].name, "shop.example.com");
}

TEST_P(StoreContractTest, DataSurvivesReopen) {
  Machine m = AddMachine("web-1");
  Domain d = AddDomain("shop.example.com", {m.id});
  AddCert(d.id, std::string(64, 'e'));
  Reopen();
  auto read = store_->GetDomainByName("shop.example.com");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->machine_ids, std::vector<Id>{m.id});
  auto cert = store_->GetCertificate(*read->current_certificate_id);
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->encrypted_key, std::string("cfv1\0\x01sealed", 12)) << "binary key blob mangled";
}

TEST_P(StoreContractTest, NotificationDedupKeyFiresOnce) {
  Notification n{.channel = "chat", .dedup_key = "expiry:shop:7d", .next_attempt_at = clock_.Now()};
  ASSERT_TRUE(store_->EnqueueNotification(n));
  EXPECT_EQ(store_->EnqueueNotification(n).error().code, ErrorCode::kAlreadyExists);
  auto due = store_->ListDueNotifications("chat", clock_.Now(), 10).value();
  ASSERT_EQ(due.size(), 1u);
  ASSERT_TRUE(store_->MarkNotificationDelivered(due[0].id, clock_.Now()));
  EXPECT_TRUE(store_->ListDueNotifications("chat", clock_.Now(), 10)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::ValuesIn(contract::AllFactories()),
                         FactoryName);

// SQLite-specific: the binary refuses a database written by a newer schema.
TEST(SqliteStoreTest, RefusesNewerSchema) {
  auto path = std::filesystem::temp_directory_path() /
              ("certfleet_schema_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  ASSERT_TRUE(OpenSqliteStore(SqliteOptions{.path = path.string()}));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version VALUES (999, 'future.sql', 0)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto reopened = OpenSqliteStore(SqliteOptions{.path = path.string()});
  ASSERT_FALSE(reopened) << "a database from a newer certfleet was opened";
  EXPECT_EQ(reopened.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(reopened.error().message.find("newer"), std::string::npos) << reopened.error().message;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace certfleet::store
