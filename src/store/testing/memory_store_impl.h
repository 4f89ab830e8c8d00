// MemoryStore: the Store on a MemoryDatabase (see memory_store.h for the contract).
// Methods are spread over memory_catalog.cc, memory_issuance.cc and memory_outbox.cc.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "store/events.h"
#include "store/store.h"
#include "store/testing/memory_database.h"

namespace certfleet::store::testing {

// A write in progress: the time of the change and the highest revision it appended.
struct MemoryTx {
  MemoryDatabase& db;
  TimePoint now;
  const Actor* actor = nullptr;
  Revision max_revision = 0;
  bool ends_tokens = false;  // appended an event that events::EndsTokens

  // Appends an event (and, with Record, the audit row of the same draft).
  Event Append(const events::EventDraft& draft);
  void Audit(const events::EventDraft& draft);
  void Record(const events::EventDraft& draft) {
    Append(draft);
    Audit(draft);
  }
};

class MemoryStore final : public Store {
 public:
  MemoryStore(std::shared_ptr<MemoryDatabase> db, Clock& clock)
      : db_(std::move(db)), clock_(clock) {}

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
  // memory_placed_txt.cc
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

  // memory_ui_sessions.cc
  Status CreateUiSession(const UiSession& session, std::string_view replaces_sha256, TimePoint now,
                         std::int64_t max_sessions) override;
  Result<UiSession> FindUiSession(std::string_view id_sha256, TimePoint now) override;
  Status TouchUiSession(std::string_view id_sha256, TimePoint expires_at) override;
  Status DeleteUiSession(std::string_view id_sha256) override;
  Result<std::int64_t> CountUiSessions(TimePoint now) override;
  Result<std::int64_t> DeleteExpiredUiSessions(TimePoint now) override;

  // memory_acme_accounts.cc
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

  // Discovery (issue 19): testing/memory_discovery.cc.
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
  // Runs fn(MemoryTx&) under the database mutex; fn validates before it mutates, so an
  // error leaves the tables untouched. Signals the commit listener after unlocking.
  template <typename F>
  auto Write(const Actor* actor, F&& fn) -> decltype(fn(std::declval<MemoryTx&>()));
  // Runs fn(MemoryDatabase&) under the database mutex.
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<MemoryDatabase&>())) {
    std::lock_guard lock(db_->mu);
    return fn(*db_);
  }

  std::shared_ptr<MemoryDatabase> db_;
  Clock& clock_;
  std::mutex listener_mu_;
  std::shared_ptr<std::function<void(Revision)>> listener_;
  std::atomic<std::uint64_t> token_revocations_{0};
};

template <typename F>
auto MemoryStore::Write(const Actor* actor, F&& fn) -> decltype(fn(std::declval<MemoryTx&>())) {
  std::unique_lock lock(db_->mu);
  MemoryTx tx{*db_, Ms(clock_.Now()), actor};
  auto result = fn(tx);
  lock.unlock();
  if (tx.ends_tokens) token_revocations_.fetch_add(1);
  if (tx.max_revision > 0) {
    std::shared_ptr<std::function<void(Revision)>> listener;
    {
      std::lock_guard guard(listener_mu_);
      listener = listener_;
    }
    if (listener) (*listener)(tx.max_revision);
  }
  return result;
}

// Shared helpers of the memory_*.cc files (callers hold db.mu).
Error NotFound(std::string_view what, Id id);
// kNotFound unless the domain exists.
Result<Domain*> FindDomain(MemoryDatabase& db, Id id);
// Adds/removes the domain from the claim and renewal indexes.
void IndexDomain(MemoryDatabase& db, const Domain& d);
void UnindexDomain(MemoryDatabase& db, const Domain& d);
// Case-insensitive (ASCII) substring match, like SQL LIKE '%needle%'.
bool ContainsFolded(std::string_view haystack, std::string_view needle);
// Appends machine.desired_changed for each machine.
void DesiredChanged(MemoryTx& tx, const std::vector<Id>& machine_ids, std::string_view domain);

}  // namespace certfleet::store::testing
