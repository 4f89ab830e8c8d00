// The hub's data model: plain value types that the Store reads and writes.
//
// Conventions for every struct:
// - `id` is assigned by the store on create (callers leave it 0) and never reused.
// - Times are UTC TimePoints; the store keeps millisecond precision.
// - `created_at` / `updated_at` / `version` are maintained by the store; values the
//   caller puts there are ignored.
// - Fields holding JSON are serialized JSON text (so this header needs no JSON library).
// - Names (customer, machine, domain) are unique. Domain names must already be
//   canonical (common/domain_name.h); the store compares bytes and does not normalize.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::store {

using Id = std::int64_t;
// Position in the event outbox: strictly increasing in commit order (see Store).
using Revision = std::int64_t;

struct Customer {
  Id id = 0;
  std::string name;     // unique
  std::string contact;  // free text: e-mail, phone, person
  // Last day of the support contract; the UI highlights it once past.
  std::optional<std::chrono::year_month_day> support_expires;
  std::int64_t version = 0;  // optimistic concurrency, see Store::UpdateCustomer
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct Machine {
  Id id = 0;
  std::string name;     // unique, e.g. "web-03"
  std::string address;  // how people reach it (host name or IP); informational
  std::optional<Id> customer_id;
  // Heartbeat fields, written by Store::RecordAgentSeen (not by UpdateMachine).
  std::optional<TimePoint> agent_last_seen;
  std::string agent_version;
  std::int64_t version = 0;
  TimePoint created_at{};
  TimePoint updated_at{};
};

enum class DomainStatus {
  kPending,   // saved, no certificate yet (ACME: waiting for the worker; manual: for an upload)
  kIssuing,   // first order running
  kValid,     // current certificate is good and not yet due
  kRenewing,  // a renewal order is running; the current certificate still serves
  kFailed,    // the last attempt failed; see last_error and next_attempt_at
};
std::string_view DomainStatusName(DomainStatus s);  // "pending", "issuing", ...
Result<DomainStatus> ParseDomainStatus(std::string_view name);

// The issuer value for domains whose certificates are uploaded by people.
inline constexpr std::string_view kManualIssuer = "manual";

struct Domain {
  Id id = 0;
  std::string name;               // canonical primary name (CN and first SAN), unique
  std::vector<std::string> sans;  // extra names, canonical, without `name`
  std::optional<Id> customer_id;
  std::vector<Id> machine_ids;  // machines hosting it (many-to-many), ascending
  std::string issuer;           // an ACME issuer name from the hub config, or kManualIssuer
  std::string key_type;         // e.g. "ec256", "rsa2048"; the hub validates
  std::string profile;          // ACME profile name; empty = CA default
  // Scheduling and status: written by CreateDomain / UpdateDomain / the worker calls.
  DomainStatus status = DomainStatus::kPending;
  std::string last_error;                    // empty when the last attempt succeeded
  std::optional<TimePoint> next_attempt_at;  // the worker claims the domain at/after this time
  std::optional<TimePoint> renew_at;         // when the current certificate should be renewed
  std::int32_t failure_count = 0;            // consecutive failed attempts (for backoff)
  std::optional<Id> current_certificate_id;
  // Read-only, filled by the store: not_after of the current certificate (for sorting
  // and "expiring soon"), and the lease of the worker that has claimed the domain.
  std::optional<TimePoint> current_not_after;
  std::string lease_owner;
  std::optional<TimePoint> lease_until;
  std::int64_t version = 0;  // bumped by every change to the row
  TimePoint created_at{};
  TimePoint updated_at{};
};

enum class CertificateSource { kAcme, kManual };
std::string_view CertificateSourceName(CertificateSource s);  // "acme", "manual"
Result<CertificateSource> ParseCertificateSource(std::string_view name);

// One certificate ever held by a domain. Immutable once stored, except the ARI fields.
struct CertificateVersion {
  Id id = 0;
  Id domain_id = 0;
  std::string chain_pem;  // leaf first, then intermediates
  // The private key sealed by crypto::Envelope. The store never sees plaintext keys
  // and never puts this blob into events, audit rows or errors.
  std::string encrypted_key;
  std::string serial;  // lower-case hex
  TimePoint not_before{};
  TimePoint not_after{};
  std::string sha256;  // lower-case hex fingerprint of the leaf DER; unique per domain
  std::string issuer_cn;
  std::vector<std::string> names;  // SANs of the leaf
  // RFC 9773 renewal information, refreshed by the renewal scheduler.
  std::optional<TimePoint> ari_window_start;
  std::optional<TimePoint> ari_window_end;
  std::optional<TimePoint> ari_retry_after;
  std::optional<Id> replaces_id;  // the certificate this one renewed (ARI "replaces")
  CertificateSource source = CertificateSource::kAcme;
  std::optional<Id> order_id;  // the order that produced it (ACME only)
  TimePoint created_at{};
};

// Where an order stands. kNew..kValid follow RFC 8555 §7.1.6 order status; the last
// three are terminal. At most one non-terminal order exists per domain.
enum class OrderState {
  kNew,         // created locally, not yet sent to the CA
  kPending,     // authorizations being solved
  kReady,       // all authorizations valid: finalize next
  kProcessing,  // finalized, the CA is issuing
  kValid,       // certificate URL known: download next
  kCompleted,   // certificate downloaded and stored (terminal)
  kFailed,      // gave up; `error` says why (terminal)
  kAbandoned,   // superseded, e.g. the domain changed or was deleted (terminal)
};
std::string_view OrderStateName(OrderState s);  // "new", "pending", ...
Result<OrderState> ParseOrderState(std::string_view name);
bool IsTerminal(OrderState s);

struct Order {
  Id id = 0;
  Id domain_id = 0;
  std::string issuer;  // issuer name at the time the order started
  OrderState state = OrderState::kNew;
  // Opaque JSON owned by src/issuance: order URL, authorizations, finalize URL,
  // certificate URL, the sealed new key... Saved after every step so a restart resumes.
  std::string acme_state_json = "{}";
  std::int32_t attempt = 1;  // 1-based attempt number for this domain
  std::string error;
  TimePoint started_at{};
  TimePoint updated_at{};
};

// An HTTP-01 challenge the hub answers at /.well-known/acme-challenge/<token>.
struct Challenge {
  std::string token;  // unique (RFC 8555 §8.3 token, base64url)
  std::string key_authorization;
  Id domain_id = 0;
  std::optional<Id> order_id;
  TimePoint expires_at{};
  bool pending = true;  // only pending, unexpired challenges are served
};

enum class DeploymentStatus { kPending, kDeployed, kFailed };
std::string_view DeploymentStatusName(DeploymentStatus s);  // "pending", "deployed", "failed"
Result<DeploymentStatus> ParseDeploymentStatus(std::string_view name);

// A certificate on one machine, as reported by its agent. Keyed by (machine, certificate).
struct Deployment {
  Id machine_id = 0;
  Id certificate_id = 0;
  Id domain_id = 0;  // filled by the store from the certificate
  DeploymentStatus status = DeploymentStatus::kPending;
  std::string sha256;                    // what the agent saw nginx serve
  std::optional<TimePoint> reported_at;  // nullopt for a synthesized kPending row
  std::string error;
};

// One outbox entry. Events carry facts (names, serials, fingerprints, revisions, times),
// never key material.
struct Event {
  Revision revision = 0;  // assigned by the store
  std::string id;         // unique random id (32 hex chars) for consumer de-duplication
  std::string type;       // see "Event types" in store.h
  std::string subject;    // "domain:<name>", "machine:<name>", "customer:<name>", "token:<id>"
  std::string payload_json = "{}";
  TimePoint created_at{};
  std::optional<TimePoint> published_at;  // set by the RabbitMQ relay after a broker confirm
};

// kMetrics: only GET /metrics (a Prometheus server's scrape token; issue 18).
enum class Role { kAdmin, kSupport, kReadonly, kAgent, kMetrics };
std::string_view RoleName(Role r);  // "admin", "support", "readonly", "agent", "metrics"
Result<Role> ParseRole(std::string_view name);

struct Token {
  Id id = 0;
  std::string name;  // human label, e.g. "alice laptop"; not unique
  Role role = Role::kReadonly;
  std::optional<Id> machine_id;  // required for kAgent, absent otherwise
  std::string secret_sha256;     // lower-case hex SHA-256 of the secret; unique. Never the secret.
  TimePoint created_at{};
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;
};

struct AuditEntry {
  Id id = 0;
  std::string actor;   // e.g. "token:3 (alice laptop)", "system:issuance"
  std::string action;  // e.g. "domain.create"
  std::string target;  // e.g. "domain:shop.example.com"
  TimePoint at{};
  std::string details_json = "{}";  // never key material or token secrets
};

// A message waiting for delivery on one notification channel (issue 6).
struct Notification {
  Id id = 0;
  std::string channel;  // channel name from the hub config
  // Optional de-duplication key, unique per channel (e.g. "expiry:shop.example.com:7d"):
  // enqueueing the same key twice yields kAlreadyExists, so a warning fires once.
  std::string dedup_key;
  std::string payload_json = "{}";
  std::int32_t attempts = 0;
  TimePoint next_attempt_at{};
  std::string last_error;
  std::optional<TimePoint> delivered_at;
  TimePoint created_at{};
};

}  // namespace certfleet::store
