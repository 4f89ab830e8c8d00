// SqliteStore: the Store on SQLite (see sqlite_store.h for the public factory).
//
// Concurrency: all writes go through Write(), which holds write_mu_ and runs one
// BEGIN IMMEDIATE transaction on the single writer connection; commit order therefore
// equals revision order. Reads go through Read(), which borrows one of the reader
// connections and runs a deferred transaction (a consistent WAL snapshot).
// The methods are spread over one .cc file per entity.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/challenge_cache.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/transaction.h"
#include "store/sqlite/tx.h"
#include "store/store.h"

namespace certfleet::store::sqlite {

class SqliteStore final : public Store {
 public:
  SqliteStore(Clock& clock, std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers);

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

  Result<std::vector<Domain>> ClaimDueDomains(const ClaimRequest& req) override;
  Result<Lease> ExtendLease(const Lease& lease, TimePoint until) override;
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

  Result<Deployment> ReportDeployment(const Actor& actor, const Deployment& d) override;
  Result<std::vector<Deployment>> ListDomainDeployments(Id domain_id) override;
  Result<std::vector<Deployment>> ListMachineDeployments(Id machine_id,
                                                         std::int64_t limit) override;
  Result<DesiredState> GetDesiredState(Id machine_id) override;

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

  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& q) override;

  Result<Notification> EnqueueNotification(const Notification& n) override;
  Result<std::vector<Notification>> ListDueNotifications(std::string_view channel, TimePoint now,
                                                         std::int64_t limit) override;
  Status MarkNotificationDelivered(Id id, TimePoint at) override;
  Status RescheduleNotification(Id id, TimePoint next_attempt_at, std::string_view error) override;

 private:
  // Runs fn(Tx&) in one write transaction; commits if it returns a value, rolls back
  // if it returns an error or throws (the exception then propagates). Notifies the
  // commit listener after commit.
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<Tx&>()));
  // Runs fn(Connection&) in a read transaction on a pooled reader connection; the
  // reader goes back to the pool whatever fn does (returns or throws).
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<Connection&>()));

  std::unique_ptr<Connection> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);
  void NotifyListener(Revision revision);

  Clock& clock_;
  ChallengeCache challenges_;  // the responder's pending challenges, in memory
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex listener_mu_;
  std::shared_ptr<std::function<void(Revision)>> listener_;
};

template <typename F>
auto SqliteStore::Write(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
  using R = decltype(fn(std::declval<Tx&>()));
  std::unique_lock lock(write_mu_);
  Tx tx{*writer_, clock_.Now()};
  // Declared after the lock, so it rolls back (on an error or a throw) before the lock
  // lets the next writer in.
  WriteTransaction transaction(*writer_);
  if (auto s = transaction.Begin(); !s) return R(Fail(s.error()));
  R result = fn(tx);
  if (!result) return result;
  if (auto s = transaction.Commit(); !s) return R(Fail(s.error()));
  if (tx.after_commit) tx.after_commit();
  lock.unlock();
  if (tx.max_revision > 0) NotifyListener(tx.max_revision);
  return result;
}

template <typename F>
auto SqliteStore::Read(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
  using R = decltype(fn(std::declval<Connection&>()));
  // Returns the reader to the pool on every exit path (a throw included), after the
  // transaction below has ended.
  struct Borrowed {
    SqliteStore& store;
    std::unique_ptr<Connection> conn;
    ~Borrowed() { store.ReleaseReader(std::move(conn)); }
  } reader{*this, AcquireReader()};
  ReadTransaction transaction(*reader.conn);
  if (auto s = transaction.Begin(); !s) return R(Fail(s.error()));
  return fn(*reader.conn);
}

}  // namespace certfleet::store::sqlite
