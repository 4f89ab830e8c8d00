// The outbox's rules, backend-neutral: which events a change produces, with which
// subject and payload, and which machines' desired state a domain change affects.
// Backends (store/sqlite, store/postgres, store/testing) call these inside their write
// transaction and only persist the drafts, so every backend emits byte-identical events
// (the contract tests compare against these builders). Vocabulary: store/event_types.h.
//
// Pure functions: no I/O, no clock. Payload text is JSON; strings that are not valid
// UTF-8 are written with U+FFFD replacements (never an exception inside a transaction).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "store/event_types.h"
#include "store/model.h"

namespace certfleet::store::events {

// An event before it is appended: the backend assigns revision, id and created_at. The
// same type/subject/payload form the audit row (action/target/details) where the
// mutation is audited.
struct EventDraft {
  std::string type;
  std::string subject;
  std::string payload_json = "{}";

  bool operator==(const EventDraft&) const = default;
};

EventDraft CustomerCreated(const Customer& c);
EventDraft CustomerUpdated(const Customer& after, std::string_view previous_name);
EventDraft CustomerDeleted(const Customer& c);

EventDraft MachineCreated(const Machine& m);
EventDraft MachineUpdated(const Machine& after, std::string_view previous_name);
EventDraft MachineDeleted(const Machine& m);

EventDraft DomainCreated(const Domain& d);
EventDraft DomainUpdated(const Domain& before, const Domain& after);
EventDraft DomainDeleted(const Domain& d);
EventDraft DomainIssueRequested(const Domain& d, TimePoint at);
// domain.status when status or last_error differ between `before` and `after` (after =
// the row as written: its status, last_error and next_attempt_at are reported).
std::optional<EventDraft> DomainStatusChanged(const Domain& before, const Domain& after);

// domain.delegation when a delegation check of `domain` ended in `state` after
// `previous_state` ("" = never checked); nullopt when the state did not change.
std::optional<EventDraft> DelegationCheckChanged(std::string_view domain,
                                                 std::string_view previous_state,
                                                 std::string_view state, std::string_view message);

// certificate.issued when `domain` (as it was before the add) had no current
// certificate, certificate.renewed otherwise.
EventDraft CertificateStored(const Domain& domain, const CertificateVersion& c);

// order.failed; `attempt` is the stored order's attempt number.
EventDraft OrderFailed(std::string_view domain, const Order& saved, std::int32_t attempt);
// The audit rows of the order steps (no event): order.create and order.finish.
EventDraft OrderCreatedAudit(std::string_view domain, const Order& created);
EventDraft OrderFinishedAudit(std::string_view domain, const Order& saved, std::int32_t attempt);

EventDraft DesiredChanged(Id machine_id, std::string_view machine, std::string_view domain);
EventDraft DeploymentReported(std::string_view machine, std::string_view domain,
                              const Deployment& d);

EventDraft TokenCreated(const Token& t);
EventDraft TokenRevoked(const Token& t);

// Machines whose desired state differs between `before` and `after` of a domain update:
// all old and new ones when the names changed, else those added or removed. Ascending.
std::vector<Id> AffectedMachines(const Domain& before, const Domain& after);

// The validated payload of a custom event (Outbox::AppendEvent): kInvalidArgument when
// type or subject is empty or the payload is not a JSON object; the draft carries the
// payload re-serialized.
Result<EventDraft> CustomEvent(const Event& e);

}  // namespace certfleet::store::events
