// Store: the hub's durable state (customers, machines, domains, certificates, orders,
// challenges, deployments, tokens, the event outbox, the audit log, notifications).
//
// Contract for every implementation (SQLite now, PostgreSQL later; both must pass
// store_contract_test.cc):
// - Thread safety: safe for concurrent use from many threads. Reads never see a
//   half-applied mutation.
// - Every mutating call is exactly one transaction: it fully happens or not at all.
// - Errors: a missing row → kNotFound ("domain 42 not found"); a unique name/hash/token
//   taken → kAlreadyExists; a stale `version` or a lost lease → kConflict; a reference to
//   a row that does not exist (customer_id, machine_ids, ...) → kNotFound naming it;
//   deleting something still in use → kConflict naming what uses it; storage failure →
//   kUnavailable (busy/locked) or kIo / kCorrupt.
// - Outbox: every mutation that other parts of the system must learn about appends its
//   events in the SAME transaction (DESIGN.md pipeline step 1), and writes one audit row
//   (actor, action, target, time, details). A failed mutation writes neither.
//   Housekeeping calls say "no event, no audit" in their comment.
// - Revisions: an event's revision is strictly greater than every revision committed
//   before it, and a reader that has seen revision R never later sees a new event ≤ R
//   (revision order = commit order). Watchers may therefore poll "since R".
// - Events and audit rows never contain key material or token secrets.
//
// Event types (subject in brackets; payload is a JSON object of facts):
//   customer.created|updated|deleted   [customer:<name>]  {id, name}
//   machine.created|updated|deleted    [machine:<name>]   {id, name}
//   domain.created|updated|deleted     [domain:<name>]    {id, name, status, issuer, machines}
//   domain.status                      [domain:<name>]    {id, name, status, error, next_attempt_at}
//   domain.issue_requested             [domain:<name>]    {id, name, at}
//   certificate.issued|renewed         [domain:<name>]    {domain, certificate_id, serial, sha256,
//                                                          not_after, source, machines}
//   order.failed                       [domain:<name>]    {domain, order_id, attempt, error}
//   machine.desired_changed            [machine:<name>]   {machine_id, machine, domain}
//       appended for every machine whose desired state changed (a domain added to or
//       removed from it, a new current certificate, a domain deleted). Agents watch these.
//   deployment.reported                [machine:<name>]   {machine, domain, certificate_id,
//                                                          status, sha256, error}
//   token.created|revoked              [token:<id>]       {id, name, role, machine_id}
//   custom types via AppendEvent.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"

namespace certfleet::store {

// Who performs a mutation, for the audit log: "token:3 (alice)", "system:issuance".
struct Actor {
  std::string name;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // rows matching the filter, ignoring limit/offset
};

struct NameQuery {
  std::string name_contains;  // case-insensitive substring; empty = all
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

enum class DomainSort { kName, kNotAfter, kUpdatedAt, kStatus, kNextAttempt };

struct DomainQuery {
  std::string name_contains;  // substring of the primary name (case-insensitive)
  std::optional<Id> customer_id;
  std::optional<Id> machine_id;
  std::optional<DomainStatus> status;
  std::string issuer;                        // exact; empty = any
  std::optional<TimePoint> expiring_before;  // current certificate not_after < this
  DomainSort sort = DomainSort::kName;
  bool descending = false;
  std::int64_t limit = 100;  // capped at 1000
  std::int64_t offset = 0;
};

// A worker's exclusive claim on one domain until `until`. The domain is the unit of
// issuance work: whoever holds its lease may create and advance its order. The pair
// (owner, until) identifies the lease: a newer claim by the same owner replaces `until`,
// so writes under the older Lease value are refused (kConflict).
struct Lease {
  Id domain_id = 0;
  // Stable across restarts of the same worker slot (e.g. "<worker id>/<thread>"), and
  // used by one claimer at a time: two live claimers with one owner id would take each
  // other's domains (see ClaimDueDomains).
  std::string owner;
  TimePoint until{};
};

struct ClaimRequest {
  std::string owner;
  TimePoint now{};
  Duration lease_for{std::chrono::minutes(5)};
  std::int64_t limit = 1;
};

// What the worker writes to a domain it holds: progress, outcome, next schedule.
struct AttemptUpdate {
  DomainStatus status = DomainStatus::kIssuing;
  std::string last_error;
  std::int32_t failure_count = 0;
  std::optional<TimePoint> next_attempt_at;
  std::optional<TimePoint> renew_at;
  bool release = false;  // true: drop the lease (attempt finished)
};

// One domain in a machine's desired state; certificate fields are empty until the
// domain has a current certificate.
struct DesiredCertificate {
  Id domain_id = 0;
  std::string domain;
  std::vector<std::string> sans;
  std::optional<Id> certificate_id;
  std::string sha256;
  std::optional<TimePoint> not_after;
};

struct DesiredState {
  Id machine_id = 0;
  std::string machine;
  Revision revision = 0;                         // max event revision visible when this was read
  std::vector<DesiredCertificate> certificates;  // sorted by domain name
};

struct AuditQuery {
  std::string target;  // exact; empty = all
  std::int64_t limit = 100;
  std::optional<Id> before_id;  // page backwards: entries with id < before_id
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- customers ----
  virtual Result<Customer> CreateCustomer(const Actor& actor, const Customer& c) = 0;
  virtual Result<Customer> GetCustomer(Id id) = 0;
  virtual Result<Customer> GetCustomerByName(std::string_view name) = 0;
  virtual Result<Page<Customer>> ListCustomers(const NameQuery& q) = 0;
  // Writes name/contact/support_expires if c.version matches the stored one (kConflict
  // otherwise); returns the row with the new version.
  virtual Result<Customer> UpdateCustomer(const Actor& actor, const Customer& c) = 0;
  // kConflict while domains or machines refer to the customer.
  virtual Status DeleteCustomer(const Actor& actor, Id id) = 0;

  // ---- machines ----
  virtual Result<Machine> CreateMachine(const Actor& actor, const Machine& m) = 0;
  virtual Result<Machine> GetMachine(Id id) = 0;
  virtual Result<Machine> GetMachineByName(std::string_view name) = 0;
  virtual Result<Page<Machine>> ListMachines(const NameQuery& q) = 0;
  // Writes name/address/customer_id; version-checked like UpdateCustomer.
  virtual Result<Machine> UpdateMachine(const Actor& actor, const Machine& m) = 0;
  // kConflict while the machine hosts domains ("machine web-03 still hosts 12 domains,
  // e.g. a.example.com: remove it from them first"). Deletes its deployments and revokes
  // (deletes) its agent tokens.
  virtual Status DeleteMachine(const Actor& actor, Id id) = 0;
  // Agent heartbeat. Housekeeping: no event, no audit.
  virtual Status RecordAgentSeen(Id machine_id, TimePoint at, std::string_view agent_version) = 0;

  // ---- domains ----
  // Stores config and the initial status/next_attempt_at/renew_at the hub chose.
  virtual Result<Domain> CreateDomain(const Actor& actor, const Domain& d) = 0;
  virtual Result<Domain> GetDomain(Id id) = 0;
  virtual Result<Domain> GetDomainByName(std::string_view name) = 0;
  virtual Result<Page<Domain>> ListDomains(const DomainQuery& q) = 0;
  // Writes name, sans, customer, machines, issuer, key_type, profile, status, last_error,
  // next_attempt_at, renew_at and failure_count if d.version matches (kConflict
  // otherwise). Not the lease or the current certificate. Machines added or removed get
  // machine.desired_changed events.
  virtual Result<Domain> UpdateDomain(const Actor& actor, const Domain& d) = 0;
  // Deletes the domain with its certificates, orders, challenges and deployments; its
  // machines get machine.desired_changed events.
  virtual Status DeleteDomain(const Actor& actor, Id id) = 0;
  // The support staff's button: next_attempt_at = at, failure_count = 0.
  virtual Result<Domain> RequestIssuance(const Actor& actor, Id domain_id, TimePoint at) = 0;
  // Domains with renew_at ≤ t (any issuer), ascending by renew_at. Read-only; the
  // worker finds its work through ClaimDueDomains.
  virtual Result<std::vector<Domain>> ListDomainsDueForRenewal(TimePoint t, std::int64_t limit) = 0;

  // ---- issuance work (claims) ----
  // Atomically claims up to `limit` domains whose issuer is not "manual", whose
  // next_attempt_at ≤ now and whose lease is free, expired or held by req.owner itself,
  // oldest next_attempt_at first, and leases them to req.owner until now + lease_for.
  // Two concurrent claimers (with different owners) never receive the same domain. A
  // crashed worker's domain becomes claimable by others when its lease expires, and by
  // the same owner (the restarted worker) at once; the new holder resumes its active
  // order (GetActiveOrder). Re-claiming an own lease moves `until`, so the Lease value
  // from the earlier claim no longer holds. kInvalidArgument for an empty owner.
  // Housekeeping: no event, no audit.
  virtual Result<std::vector<Domain>> ClaimDueDomains(const ClaimRequest& req) = 0;
  // kConflict if the lease is no longer held (expired and taken, or released).
  virtual Result<Lease> ExtendLease(const Lease& lease, TimePoint until) = 0;
  // Writes status, last_error, failure_count, next_attempt_at, renew_at under the lease
  // (kConflict if lost); emits domain.status when status or last_error change.
  virtual Result<Domain> UpdateAttempt(const Actor& actor, const Lease& lease,
                                       const AttemptUpdate& update) = 0;

  // ---- orders ----
  // Requires the lease on order.domain_id (kConflict if not held). kAlreadyExists if the
  // domain already has a non-terminal order.
  virtual Result<Order> CreateOrder(const Actor& actor, const Lease& lease, const Order& o) = 0;
  virtual Result<Order> GetOrder(Id id) = 0;
  // The domain's non-terminal order; kNotFound if none.
  virtual Result<Order> GetActiveOrder(Id domain_id) = 0;
  // Newest first.
  virtual Result<std::vector<Order>> ListOrders(Id domain_id, std::int64_t limit) = 0;
  // Saves state, acme_state_json and error after a step, under the lease (kConflict if
  // lost; kConflict when the stored order is already terminal). Moving to kFailed emits
  // order.failed. Other steps: no event (too chatty), one audit row per terminal state.
  virtual Result<Order> SaveOrder(const Actor& actor, const Lease& lease, const Order& o) = 0;

  // ---- certificates ----
  // Stores a new version and makes it the domain's current certificate. If c.order_id is
  // set, that order becomes kCompleted in the same transaction (so a crash cannot store
  // the certificate twice; a second add of the same sha256 for the domain → kAlreadyExists).
  // Emits certificate.issued (first certificate) or certificate.renewed, plus
  // machine.desired_changed for each hosting machine. A manual upload (source kManual)
  // also makes the domain kValid with last_error and failure_count cleared, in the same
  // transaction (domain.status when status or error change).
  virtual Result<CertificateVersion> AddCertificate(const Actor& actor,
                                                    const CertificateVersion& c) = 0;
  virtual Result<CertificateVersion> GetCertificate(Id id) = 0;
  // Newest first; encrypted_key and chain_pem included.
  virtual Result<std::vector<CertificateVersion>> ListCertificates(Id domain_id,
                                                                   std::int64_t limit) = 0;
  // Renewal information refresh. Housekeeping: no event, no audit.
  virtual Status UpdateCertificateAri(Id certificate_id, std::optional<TimePoint> window_start,
                                      std::optional<TimePoint> window_end,
                                      std::optional<TimePoint> retry_after) = 0;

  // ---- HTTP-01 challenges (housekeeping: no event, no audit) ----
  // Inserts or replaces the challenge with this token.
  virtual Status PutChallenge(const Challenge& c) = 0;
  // The key authorization of a pending challenge with expires_at > now; kNotFound for
  // unknown, finished or expired tokens. The responder's hot path: implementations may
  // answer from memory, but a challenge finished (or its domain deleted) through this
  // store object is never served after that call returned, and one finished through
  // another (another process on the same database) at most 1 s later.
  virtual Result<std::string> FindPendingChallenge(std::string_view token, TimePoint now) = 0;
  // Marks it no longer pending (kept until DeleteExpiredChallenges).
  virtual Status FinishChallenge(std::string_view token) = 0;
  // Deletes challenges that are finished or expired before `now`; returns how many.
  virtual Result<std::int64_t> DeleteExpiredChallenges(TimePoint now) = 0;

  // ---- deployments ----
  // Upserts the (machine, certificate) row from an agent report; emits
  // deployment.reported. kNotFound for an unknown machine or certificate.
  virtual Result<Deployment> ReportDeployment(const Actor& actor, const Deployment& d) = 0;
  // For the domain's current certificate: one row per hosting machine, kPending rows
  // synthesized (reported_at empty) where nothing was reported yet. Sorted by machine id.
  virtual Result<std::vector<Deployment>> ListDomainDeployments(Id domain_id) = 0;
  // Every reported row for a machine, newest report first.
  virtual Result<std::vector<Deployment>> ListMachineDeployments(Id machine_id,
                                                                 std::int64_t limit) = 0;
  // The agent's hot path: the domains hosted on the machine with their current
  // certificate ids and fingerprints, plus the revision they correspond to.
  virtual Result<DesiredState> GetDesiredState(Id machine_id) = 0;

  // ---- events (outbox) ----
  // Appends a custom event (plus an audit row) in its own transaction.
  virtual Result<Event> AppendEvent(const Actor& actor, const Event& e) = 0;
  // Events with revision > since, ascending, at most `limit`.
  virtual Result<std::vector<Event>> ListEventsSince(Revision since, std::int64_t limit) = 0;
  // 0 when there are no events.
  virtual Result<Revision> MaxRevision() = 0;
  // Unpublished events, ascending revision (for the RabbitMQ relay).
  virtual Result<std::vector<Event>> ListUnpublishedEvents(std::int64_t limit) = 0;
  // Sets published_at on the events with these revisions (idempotent). Housekeeping.
  virtual Status MarkEventsPublished(const std::vector<Revision>& revisions, TimePoint at) = 0;
  // `listener(max_revision)` is called after each commit that appended events, on the
  // committing thread: keep it short and non-blocking (e.g. notify a condition
  // variable). Events committed by other processes are not signalled; poll as well.
  // Replaces any earlier listener; pass nullptr to remove.
  virtual void SetCommitListener(std::function<void(Revision)> listener) = 0;

  // ---- consumer cursors (housekeeping) ----
  // A named consumer's last processed revision (e.g. "notifier"); 0 if never set.
  virtual Result<Revision> GetCursor(std::string_view consumer) = 0;
  virtual Status SetCursor(std::string_view consumer, Revision revision) = 0;

  // ---- tokens ----
  // kInvalidArgument if an agent token lacks machine_id or another role has one;
  // kAlreadyExists if the hash is taken. Emits token.created.
  virtual Result<Token> CreateToken(const Actor& actor, const Token& t) = 0;
  // Lookup by the SHA-256 hex of the presented secret; revoked tokens are returned too
  // (check revoked_at). kNotFound if unknown.
  virtual Result<Token> FindTokenByHash(std::string_view secret_sha256) = 0;
  virtual Result<std::vector<Token>> ListTokens() = 0;
  // Emits token.revoked. Revoking an already revoked token succeeds and keeps the first
  // revoked_at (no second event). kNotFound for an unknown id.
  virtual Status RevokeToken(const Actor& actor, Id id, TimePoint at) = 0;
  // Housekeeping: no event, no audit.
  virtual Status TouchToken(Id id, TimePoint at) = 0;

  // ---- audit ----
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& q) = 0;

  // ---- notifications (issue 6; housekeeping: no event, no audit) ----
  // kAlreadyExists if the channel already holds this non-empty dedup_key.
  virtual Result<Notification> EnqueueNotification(const Notification& n) = 0;
  // Undelivered notifications of `channel` with next_attempt_at ≤ now, oldest first.
  virtual Result<std::vector<Notification>> ListDueNotifications(std::string_view channel,
                                                                 TimePoint now,
                                                                 std::int64_t limit) = 0;
  virtual Status MarkNotificationDelivered(Id id, TimePoint at) = 0;
  // attempts += 1, records the error, sets the next attempt time.
  virtual Status RescheduleNotification(Id id, TimePoint next_attempt_at,
                                        std::string_view error) = 0;
};

}  // namespace certfleet::store
