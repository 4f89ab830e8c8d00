// SqlStore: the Store on SQL, shared by the SQLite and PostgreSQL backends. The SQL
// is written once, in the dialect both accept (see sqlite/migrations and
// postgres/migrations for the two schemas); the drivers (store/sql/database.h) decide how
// transactions run. The public factories are OpenSqliteStore and OpenPostgresStore.
//
// Every mutating method runs in Write(), every read in Read(); the methods are spread
// over one .cc file per entity. The event rules come from store/events.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "store/challenge_cache.h"
#include "store/sql/connection.h"
#include "store/sql/database.h"
#include "store/sql/tx.h"
#include "store/store.h"

namespace certfleet::store::sql {

class SqlStore final : public Store {
 public:
  SqlStore(Clock& clock, std::unique_ptr<Database> db);
  // Stops the driver (and its commit follower) before the listener goes.
  ~SqlStore() override { db_.reset(); }

  Result<Customer> CreateCustomer(const Actor& actor, const Customer& c) override;
  Result<Customer> GetCustomer(Id id) override;
  Result<Customer> GetCustomerByName(std::string_view name) override;
  Result<Page<Customer>> ListCustomers(const NameQuery& q) override;
  Result<Customer> UpdateCustomer(const Actor& actor, const Customer& c) override;
  Status DeleteCustomer(const Actor& actor, Id id) override;

  Result<Machine> CreateMachine(const Actor& actor, const Machine& m) override;
  Result<Machine> GetMachine(Id id) override;
  Result<Machine> GetMachineByName(std::string_view name) override;
  Result<Page<Machine>> ListMachines(const NameQuery& q) override;
  Result<Machine> UpdateMachine(const Actor& actor, const Machine& m) override;
  Status DeleteMachine(const Actor& actor, Id id) override;
  Status RecordAgentSeen(Id machine_id, TimePoint at, std::string_view agent_version) override;

  Result<Domain> CreateDomain(const Actor& actor, const Domain& d) override;
  Result<Domain> GetDomain(Id id) override;
  Result<Domain> GetDomainByName(std::string_view name) override;
  Result<Page<Domain>> ListDomains(const DomainQuery& q) override;
  Result<Domain> UpdateDomain(const Actor& actor, const Domain& d) override;
  Status DeleteDomain(const Actor& actor, Id id) override;
  Result<Domain> RequestIssuance(const Actor& actor, Id domain_id, TimePoint at) override;
  Result<std::vector<Domain>> ListDomainsDueForRenewal(TimePoint t, std::int64_t limit) override;
  Result<std::vector<Domain>> ListExpiryCandidates(const ExpiryCandidateQuery& q) override;

  Result<std::vector<Domain>> ClaimDueDomains(const ClaimRequest& req) override;
  Result<Lease> ExtendLease(const Lease& lease, TimePoint until) override;
  Result<std::int64_t> ExpediteRetries(std::string_view issuer, TimePoint now) override;
  Result<Domain> UpdateAttempt(const Actor& actor, const Lease& lease,
                               const AttemptUpdate& update) override;

  Result<Order> CreateOrder(const Actor& actor, const Lease& lease, const Order& o) override;
  Result<Order> GetOrder(Id id) override;
  Result<Order> GetActiveOrder(Id domain_id) override;
  Result<std::vector<Order>> ListOrders(Id domain_id, std::int64_t limit) override;
  Result<Order> SaveOrder(const Actor& actor, const Lease& lease, const Order& o) override;

  Result<CertificateVersion> AddCertificate(const Actor& actor,
                                            const CertificateVersion& c) override;
  Result<CertificateVersion> GetCertificate(Id id) override;
  Result<std::vector<CertificateVersion>> ListCertificates(Id domain_id,
                                                           std::int64_t limit) override;
  Status UpdateCertificateAri(Id certificate_id, std::optional<TimePoint> window_start,
                              std::optional<TimePoint> window_end,
                              std::optional<TimePoint> retry_after) override;

  Status PutChallenge(const Challenge& c) override;
  Result<std::string> FindPendingChallenge(std::string_view token, TimePoint now) override;
  Status FinishChallenge(std::string_view token) override;
  Result<std::int64_t> DeleteExpiredChallenges(TimePoint now) override;
  // DNS-01 records placed by RFC 2136: sql/placed_txt.cc.
  Status RecordPlacedTxt(const PlacedTxt& record) override;
  Status ForgetPlacedTxt(std::string_view zone, std::string_view name,
                         std::string_view value) override;
  Result<std::vector<PlacedTxt>> ListPlacedTxtOfDomain(Id domain_id) override;
  Result<std::vector<PlacedTxt>> ListExpiredPlacedTxt(TimePoint now, std::int64_t limit) override;

  Result<DomainDelegation> EnsureDelegation(std::string_view domain,
                                            std::string_view fresh_label) override;
  Result<DomainDelegation> GetDelegation(std::string_view domain) override;
  Result<DomainDelegation> SetChallengeChoice(std::string_view domain, std::string_view challenge,
                                              std::string_view fresh_label) override;
  Status RecordDelegationCheck(std::string_view domain, std::string_view state,
                               std::string_view message, TimePoint at) override;
  Status PublishDelegatedTxt(const DelegatedTxt& record) override;
  Status WithdrawDelegatedTxt(std::string_view key) override;
  Result<std::vector<DelegatedTxt>> ListDelegatedTxt(TimePoint now) override;
  Result<std::int64_t> DeleteExpiredDelegatedTxt(TimePoint now) override;

  Result<Deployment> ReportDeployment(const Actor& actor, const Deployment& d) override;
  std::vector<Result<StoredReport>> ReportDeployments(
      const std::vector<DeploymentReport>& reports) override;
  Result<std::vector<Deployment>> ListDomainDeployments(Id domain_id) override;
  Result<std::vector<DomainDeployments>> ListDomainsDeployments(
      const std::vector<Id>& domain_ids) override;
  Result<DeploymentGaps> ListDeploymentGaps(std::int64_t limit) override;
  Result<std::vector<Deployment>> ListMachineDeployments(Id machine_id,
                                                         std::int64_t limit) override;
  Result<DesiredState> GetDesiredState(Id machine_id) override;
  Result<std::string> HostedDomainName(Id machine_id, Id domain_id) override;

  Result<Event> AppendEvent(const Actor& actor, const Event& e) override;
  Result<std::vector<Event>> ListEventsSince(Revision since, std::int64_t limit) override;
  Result<Revision> MaxRevision() override;
  Result<std::vector<Event>> ListUnpublishedEvents(std::int64_t limit) override;
  Status MarkEventsPublished(const std::vector<Revision>& revisions, TimePoint at) override;
  void SetCommitListener(std::function<void(Revision)> listener) override;

  Result<Revision> GetCursor(std::string_view consumer) override;
  Status SetCursor(std::string_view consumer, Revision revision) override;

  Result<Token> CreateToken(const Actor& actor, const Token& t) override;
  Result<Token> FindTokenByHash(std::string_view secret_sha256) override;
  Result<std::vector<Token>> ListTokens() override;
  Status RevokeToken(const Actor& actor, Id id, TimePoint at) override;
  Status TouchToken(Id id, TimePoint at) override;
  std::uint64_t TokenRevocations() const override { return token_revocations_.load(); }

  Status CreateUiSession(const UiSession& session, std::string_view replaces_sha256, TimePoint now,
                         std::int64_t max_sessions) override;
  Result<UiSession> FindUiSession(std::string_view id_sha256, TimePoint now) override;
  Status TouchUiSession(std::string_view id_sha256, TimePoint expires_at) override;
  Status DeleteUiSession(std::string_view id_sha256) override;
  Result<std::int64_t> CountUiSessions(TimePoint now) override;
  Result<std::int64_t> DeleteExpiredUiSessions(TimePoint now) override;

  Result<AcmeAccount> GetAcmeAccount(std::string_view directory_url) override;
  Result<AcmeAccount> AddAcmeAccount(const AcmeAccount& account) override;
  Status SetAcmeAccountUrl(std::string_view directory_url, std::string_view account_url) override;
  Result<std::vector<AcmeAccount>> ListAcmeAccounts() override;

  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& q) override;

  Result<Notification> EnqueueNotification(const Notification& n) override;
  Result<std::vector<Notification>> ListDueNotifications(std::string_view channel, TimePoint now,
                                                         std::int64_t limit) override;
  Status MarkNotificationDelivered(Id id, TimePoint at) override;
  Status RescheduleNotification(Id id, TimePoint next_attempt_at, std::string_view error) override;

  // Discovery (issue 19): sql/discovery.cc.
  Result<bool> PutInventory(const Actor& actor, const MachineInventory& inventory) override;
  Result<MachineInventory> GetInventory(Id machine_id) override;
  Result<std::vector<MachineInventory>> ListInventories() override;
  Result<std::vector<InventoryEntry>> ListInventoryEntries(const InventoryQuery& q) override;
  Result<std::vector<ManagedName>> ListManagedNames() override;
  Result<UploadRequest> RequestUpload(const Actor& actor, const UploadRequest& r) override;
  Result<UploadRequest> GetUploadRequest(Id id) override;
  Result<std::vector<UploadRequest>> ListPendingUploads(std::optional<Id> machine_id) override;
  Result<UploadRequest> FinishUpload(const Actor& actor, Id id, UploadState state,
                                     std::string_view error) override;
  Result<ExternalChallenge> PutExternalChallenge(const Actor& actor,
                                                 const ExternalChallenge& c) override;
  Result<std::string> FindExternalChallenge(std::string_view token, TimePoint now) override;
  Status DeleteExternalChallenge(const Actor& actor, std::string_view token) override;
  Result<std::vector<ExternalChallenge>> ListExternalChallenges(TimePoint now) override;

 private:
  // Runs fn(Tx&) in one write transaction (see Database::RunWrite); commits if it
  // returns a value, rolls back if it returns an error or throws (the exception then
  // propagates). Notifies the commit listener after commit.
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<Tx&>()));
  // Runs fn(Connection&) in a read transaction on one snapshot.
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<Connection&>()));

  void NotifyListener(Revision revision);

  Clock& clock_;
  std::unique_ptr<Database> db_;
  ChallengeCache challenges_;  // the responder's pending challenges, in memory
  std::mutex listener_mu_;
  std::shared_ptr<std::function<void(Revision)>> listener_;
  bool following_ = false;  // db_->FollowCommits called (guarded by listener_mu_)
  std::atomic<std::uint64_t> token_revocations_{0};
};

// The store on `db` (used by the backends' factories).
std::unique_ptr<Store> MakeSqlStore(Clock& clock, std::unique_ptr<Database> db);

template <typename F>
auto SqlStore::Write(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
  using R = decltype(fn(std::declval<Tx&>()));
  std::optional<R> result;
  Revision max_revision = 0;
  bool ends_tokens = false;
  std::function<void()> after_commit;
  Status status = db_->RunWrite(
      [&](Connection& conn) -> Status {
        Tx tx{conn, clock_.Now(), *db_};
        result.emplace(fn(tx));
        if (!*result) return Fail(result->error());
        if (tx.max_revision > 0) {
          if (auto s = db_->BeforeCommitWithEvents(conn, tx.max_revision); !s) return s;
        }
        max_revision = tx.max_revision;
        ends_tokens = ends_tokens || tx.ends_tokens;  // a retried body may not append again
        after_commit = std::move(tx.after_commit);
        return Ok();
      },
      [&] {
        if (after_commit) after_commit();
      });
  // Counted whether or not the commit succeeded: a cache flushed for nothing costs a read.
  if (ends_tokens) token_revocations_.fetch_add(1);
  if (!status && (!result || *result)) return R(Fail(status.error()));
  if (max_revision > 0) NotifyListener(max_revision);
  return std::move(*result);
}

template <typename F>
auto SqlStore::Read(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
  using R = decltype(fn(std::declval<Connection&>()));
  std::optional<R> result;
  Status status = db_->RunRead([&](Connection& conn) -> Status {
    result.emplace(fn(conn));
    return *result ? Ok() : Status(Fail(result->error()));
  });
  if (!status && (!result || *result)) return R(Fail(status.error()));
  return std::move(*result);
}

}  // namespace certfleet::store::sql
