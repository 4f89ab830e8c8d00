// The event vocabulary: type names and subjects of the outbox events (store/outbox.h).
// Header-only with no dependencies, so every reader of events — the bus, the notifier,
// the agent — names them from one place. Payload builders: store/events.h.
//
// Event types (subject in brackets; payload is a JSON object of facts, never key
// material or token secrets):
//   customer.created|updated|deleted   [customer:<name>]  {id, name[, previous_name]}
//   machine.created|updated|deleted    [machine:<name>]   {id, name[, previous_name]}
//   domain.created|updated|deleted     [domain:<name>]    {id, name, status, issuer, machines
//                                                          [, previous_name]}
//   domain.status                      [domain:<name>]    {id, name, status, issuer, machines,
//                                                          error, next_attempt_at}
//   domain.issue_requested             [domain:<name>]    {id, name, at}
//   certificate.issued|renewed         [domain:<name>]    {domain, certificate_id, serial, sha256,
//                                                          not_after, source, machines}
//   order.failed                       [domain:<name>]    {domain, order_id, attempt, state, error}
//   domain.delegation                  [domain:<name>]    {name, state, previous_state, message}
//       a DNS-01 delegation check ended in another state than the last one (issue 15):
//       "missing", "ok", ... (solver::DelegationStateName); previous_state "" = never checked
//   machine.desired_changed            [machine:<name>]   {machine_id, machine, domain}
//       appended for every machine whose desired state changed (a domain added to or
//       removed from it, a new current certificate, a domain deleted). Agents watch these.
//   deployment.reported                [machine:<name>]   {machine, domain, certificate_id,
//                                                          status, sha256, error}
//   machine.redeploy_requested         [machine:<name>]   support asked the agent to deploy
//                                                          again (see agent/desired_state.h)
//   token.created|revoked              [token:<id>]       {id, name, role, machine_id}
//   custom types via Outbox::AppendEvent.
// Times in payloads are milliseconds since the Unix epoch.
#pragma once

#include <string>
#include <string_view>

namespace certfleet::store::events {

inline constexpr std::string_view kCustomerCreated = "customer.created";
inline constexpr std::string_view kCustomerUpdated = "customer.updated";
inline constexpr std::string_view kCustomerDeleted = "customer.deleted";
inline constexpr std::string_view kMachineCreated = "machine.created";
inline constexpr std::string_view kMachineUpdated = "machine.updated";
inline constexpr std::string_view kMachineDeleted = "machine.deleted";
inline constexpr std::string_view kDomainCreated = "domain.created";
inline constexpr std::string_view kDomainUpdated = "domain.updated";
inline constexpr std::string_view kDomainDeleted = "domain.deleted";
inline constexpr std::string_view kDomainStatus = "domain.status";
inline constexpr std::string_view kDomainIssueRequested = "domain.issue_requested";
inline constexpr std::string_view kDomainDelegation = "domain.delegation";
inline constexpr std::string_view kCertificateIssued = "certificate.issued";
inline constexpr std::string_view kCertificateRenewed = "certificate.renewed";
inline constexpr std::string_view kOrderFailed = "order.failed";
inline constexpr std::string_view kMachineDesiredChanged = "machine.desired_changed";
inline constexpr std::string_view kDeploymentReported = "deployment.reported";
inline constexpr std::string_view kMachineRedeployRequested = "machine.redeploy_requested";
inline constexpr std::string_view kTokenCreated = "token.created";
inline constexpr std::string_view kTokenRevoked = "token.revoked";

// Whether a committed event of this type can make a token that was accepted before
// unacceptable: its revocation, or a machine's deletion (its agent tokens go with it).
// Stores count such commits (TokenStore::TokenRevocations) so token caches can flush.
constexpr bool EndsTokens(std::string_view type) {
  return type == kTokenRevoked || type == kMachineDeleted;
}

// Audit actions without an event (the order steps are too chatty for the outbox).
inline constexpr std::string_view kAuditOrderCreate = "order.create";
inline constexpr std::string_view kAuditOrderFinish = "order.finish";

// Subjects: "<kind>:<name>" ("token:<id>" for tokens).
inline constexpr std::string_view kCustomerKind = "customer";
inline constexpr std::string_view kMachineKind = "machine";
inline constexpr std::string_view kDomainKind = "domain";
inline constexpr std::string_view kTokenKind = "token";

inline std::string Subject(std::string_view kind, std::string_view name) {
  std::string s(kind);
  s += ':';
  s += name;
  return s;
}
inline std::string CustomerSubject(std::string_view name) { return Subject(kCustomerKind, name); }
inline std::string MachineSubject(std::string_view name) { return Subject(kMachineKind, name); }
inline std::string DomainSubject(std::string_view name) { return Subject(kDomainKind, name); }
inline std::string TokenSubject(long long id) { return Subject(kTokenKind, std::to_string(id)); }

}  // namespace certfleet::store::events
