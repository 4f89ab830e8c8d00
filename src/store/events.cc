#include "store/events.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

namespace certfleet::store::events {
namespace {

using nlohmann::json;

std::int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

json OptMillis(const std::optional<TimePoint>& t) { return t ? json(Millis(*t)) : json(); }

EventDraft Draft(std::string_view type, std::string subject, const json& payload) {
  return EventDraft{std::string(type), std::move(subject),
                    payload.dump(-1, ' ', false, json::error_handler_t::replace)};
}

json NamedPayload(Id id, std::string_view name) { return {{"id", id}, {"name", name}}; }

json DomainPayload(const Domain& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"status", DomainStatusName(d.status)},
          {"issuer", d.issuer},
          {"machines", d.machine_ids}};
}

json TokenPayload(const Token& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"role", RoleName(t.role)},
          {"machine_id", t.machine_id ? json(*t.machine_id) : json()}};
}

json OrderPayload(std::string_view domain, const Order& saved, std::int32_t attempt) {
  return {{"domain", domain},
          {"order_id", saved.id},
          {"attempt", attempt},
          {"state", OrderStateName(saved.state)},
          {"error", saved.error}};
}

}  // namespace

EventDraft CustomerCreated(const Customer& c) {
  return Draft(kCustomerCreated, CustomerSubject(c.name), NamedPayload(c.id, c.name));
}

EventDraft CustomerUpdated(const Customer& after, std::string_view previous_name) {
  json payload = NamedPayload(after.id, after.name);
  payload["previous_name"] = previous_name;
  return Draft(kCustomerUpdated, CustomerSubject(after.name), payload);
}

EventDraft CustomerDeleted(const Customer& c) {
  return Draft(kCustomerDeleted, CustomerSubject(c.name), NamedPayload(c.id, c.name));
}

EventDraft MachineCreated(const Machine& m) {
  return Draft(kMachineCreated, MachineSubject(m.name), NamedPayload(m.id, m.name));
}

EventDraft MachineUpdated(const Machine& after, std::string_view previous_name) {
  json payload = NamedPayload(after.id, after.name);
  payload["previous_name"] = previous_name;
  return Draft(kMachineUpdated, MachineSubject(after.name), payload);
}

EventDraft MachineDeleted(const Machine& m) {
  return Draft(kMachineDeleted, MachineSubject(m.name), NamedPayload(m.id, m.name));
}

EventDraft DomainCreated(const Domain& d) {
  return Draft(kDomainCreated, DomainSubject(d.name), DomainPayload(d));
}

EventDraft DomainUpdated(const Domain& before, const Domain& after) {
  json payload = DomainPayload(after);
  payload["previous_name"] = before.name;
  return Draft(kDomainUpdated, DomainSubject(after.name), payload);
}

EventDraft DomainDeleted(const Domain& d) {
  return Draft(kDomainDeleted, DomainSubject(d.name), DomainPayload(d));
}

EventDraft DomainIssueRequested(const Domain& d, TimePoint at) {
  return Draft(kDomainIssueRequested, DomainSubject(d.name),
               {{"id", d.id}, {"name", d.name}, {"at", Millis(at)}});
}

std::optional<EventDraft> DomainStatusChanged(const Domain& before, const Domain& after) {
  if (before.status == after.status && before.last_error == after.last_error) return std::nullopt;
  json payload = DomainPayload(after);
  payload["error"] = after.last_error;
  payload["next_attempt_at"] = OptMillis(after.next_attempt_at);
  return Draft(kDomainStatus, DomainSubject(after.name), payload);
}

std::optional<EventDraft> DelegationCheckChanged(std::string_view domain,
                                                 std::string_view previous_state,
                                                 std::string_view state, std::string_view message) {
  if (previous_state == state) return std::nullopt;
  return Draft(kDomainDelegation, DomainSubject(domain),
               {{"name", domain},
                {"state", state},
                {"previous_state", previous_state},
                {"message", message}});
}

EventDraft CertificateStored(const Domain& domain, const CertificateVersion& c) {
  json payload{{"domain", domain.name},
               {"certificate_id", c.id},
               {"serial", c.serial},
               {"sha256", c.sha256},
               {"not_after", Millis(c.not_after)},
               {"source", CertificateSourceName(c.source)},
               {"machines", domain.machine_ids}};
  return Draft(domain.current_certificate_id ? kCertificateRenewed : kCertificateIssued,
               DomainSubject(domain.name), payload);
}

EventDraft OrderFailed(std::string_view domain, const Order& saved, std::int32_t attempt) {
  return Draft(kOrderFailed, DomainSubject(domain), OrderPayload(domain, saved, attempt));
}

EventDraft OrderCreatedAudit(std::string_view domain, const Order& created) {
  return Draft(
      kAuditOrderCreate, DomainSubject(domain),
      {{"order_id", created.id}, {"issuer", created.issuer}, {"attempt", created.attempt}});
}

EventDraft OrderFinishedAudit(std::string_view domain, const Order& saved, std::int32_t attempt) {
  return Draft(kAuditOrderFinish, DomainSubject(domain), OrderPayload(domain, saved, attempt));
}

EventDraft DesiredChanged(Id machine_id, std::string_view machine, std::string_view domain) {
  return Draft(kMachineDesiredChanged, MachineSubject(machine),
               {{"machine_id", machine_id}, {"machine", machine}, {"domain", domain}});
}

EventDraft DeploymentReported(std::string_view machine, std::string_view domain,
                              const Deployment& d) {
  return Draft(kDeploymentReported, MachineSubject(machine),
               {{"machine", machine},
                {"domain", domain},
                {"certificate_id", d.certificate_id},
                {"status", DeploymentStatusName(d.status)},
                {"sha256", d.sha256},
                {"error", d.error}});
}

EventDraft TokenCreated(const Token& t) {
  return Draft(kTokenCreated, TokenSubject(t.id), TokenPayload(t));
}

EventDraft TokenRevoked(const Token& t) {
  return Draft(kTokenRevoked, TokenSubject(t.id), TokenPayload(t));
}

std::vector<Id> AffectedMachines(const Domain& before, const Domain& after) {
  std::set<Id> old_set(before.machine_ids.begin(), before.machine_ids.end());
  std::set<Id> new_set(after.machine_ids.begin(), after.machine_ids.end());
  std::vector<Id> out;
  if (before.name != after.name || before.sans != after.sans) {
    std::set_union(old_set.begin(), old_set.end(), new_set.begin(), new_set.end(),
                   std::back_inserter(out));
  } else {
    std::set_symmetric_difference(old_set.begin(), old_set.end(), new_set.begin(), new_set.end(),
                                  std::back_inserter(out));
  }
  return out;
}

Result<EventDraft> CustomEvent(const Event& e) {
  if (e.type.empty() || e.subject.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "appending an event: type and subject are required");
  }
  auto payload = json::parse(e.payload_json, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                "appending event " + e.type + ": payload must be a JSON object");
  }
  return Draft(e.type, e.subject, payload);
}

}  // namespace certfleet::store::events
