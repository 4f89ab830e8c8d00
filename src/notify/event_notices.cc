#include "notify/event_notices.h"

#include <nlohmann/json.hpp>

#include "notify/policy.h"
#include "store/event_types.h"

namespace certfleet::notify {
namespace {

using json = nlohmann::json;

std::optional<TimePoint> MillisField(const json& payload, const char* key) {
  if (!payload.contains(key) || !payload[key].is_number_integer()) return std::nullopt;
  return TimePoint(std::chrono::milliseconds(payload[key].get<std::int64_t>()));
}

// The domain named by the event with its customer and machine names; nullopt if deleted.
struct DomainFacts {
  store::Domain domain;
  std::string customer;
  std::vector<std::string> machines;
};

Result<std::optional<DomainFacts>> LoadDomain(const std::string& name, store::Store& store,
                                              Names& names) {
  auto domain = store.GetDomainByName(name);
  if (!domain) {
    if (domain.error().code == ErrorCode::kNotFound) return std::optional<DomainFacts>();
    return Fail(domain.error());
  }
  auto customer = names.Customer(domain->customer_id);
  if (!customer) return Fail(customer.error());
  auto machines = names.Machines(domain->machine_ids);
  if (!machines) return Fail(machines.error());
  return std::optional<DomainFacts>(DomainFacts{*domain, *customer, *machines});
}

Notice CertificateNotice(const store::Event& event, const json& p, const DomainFacts& facts) {
  const bool renewed = event.type == store::events::kCertificateRenewed;
  const bool manual = p.value("source", "") == "manual";
  Notice n{.kind = renewed ? NoticeKind::kRenewed : NoticeKind::kIssued,
           .subject = facts.domain.name,
           .customer = facts.customer,
           .machines = facts.machines,
           .at = MillisField(p, "not_after")};
  n.summary = std::string(manual ? "certificate uploaded" : renewed ? "renewed" : "issued");
  if (n.at) n.summary += ", valid until " + HumanTime(*n.at);
  n.summary += " (serial " + p.value("serial", std::string("?")) + ")";
  if (facts.machines.empty()) {
    n.action = "add a machine to " + facts.domain.name + " so the certificate gets deployed";
  }
  return n;
}

Notice FailedNotice(const json& p, const DomainFacts& facts, TimePoint now) {
  Notice n{.kind = NoticeKind::kFailed,
           .severity = facts.domain.failure_count >= 3 ? Severity::kCritical : Severity::kWarning,
           .subject = facts.domain.name,
           .customer = facts.customer,
           .machines = facts.machines,
           .at = MillisField(p, "next_attempt_at")};
  std::string error = p.value("error", std::string());
  n.summary = "issuance failed";
  if (facts.domain.failure_count > 1) {
    n.summary += " (" + std::to_string(facts.domain.failure_count) + " attempts in a row)";
  }
  n.summary += ": " + (error.empty() ? std::string("no detail recorded") : error);
  if (n.at) {
    n.summary += "; next attempt " + HumanTime(*n.at) + " (in " +
                 HumanDuration(std::chrono::duration_cast<Duration>(*n.at - now)) + ")";
  }
  n.action = "check that " + facts.domain.name +
             " resolves to its machines and that they proxy "
             "/.well-known/acme-challenge/ to the hub; `certfleet domain issue " +
             facts.domain.name + "` retries at once";
  return n;
}

// A domain.delegation event: waiting (with the check's words: what to create) or resolved;
// nothing for a first check that passes, or one that failed and fails differently.
std::optional<Notice> DelegationNotice(const json& p, const DomainFacts& facts) {
  const std::string state = p.value("state", "");
  const std::string previous = p.value("previous_state", "");
  Notice n{.kind = NoticeKind::kDelegation,
           .subject = facts.domain.name,
           .customer = facts.customer,
           .machines = facts.machines};
  if (state == "ok") {
    if (previous.empty()) return std::nullopt;
    n.summary = "DNS-01 delegation in place (it was: " + previous + "); the certificate is ordered";
    return n;
  }
  const std::string message = p.value("message", "");
  n.severity = Severity::kWarning;
  n.summary = "waiting for its DNS-01 delegation, no certificate is ordered until then: " +
              (message.empty() ? state : message);
  n.action =
      "ask the customer to create the record named above; the hub checks again every 2 "
      "minutes (`certfleet domain dns01 " +
      facts.domain.name + " --check` checks now)";
  return n;
}

Result<std::vector<PendingNotice>> DeploymentNotices(const json& p, store::Store& store,
                                                     Names& names, const DomainFacts& facts) {
  const store::Id certificate_id = p.value("certificate_id", store::Id{0});
  if (facts.domain.current_certificate_id != certificate_id) return std::vector<PendingNotice>();
  auto deployments = store.ListDomainDeployments(facts.domain.id);
  if (!deployments) return Fail(deployments.error());
  std::vector<MachineOutcome> outcomes;
  for (const auto& d : *deployments) {
    auto machine = names.Machine(d.machine_id);
    if (!machine) return Fail(machine.error());
    outcomes.push_back({*machine, d.status, d.error});
  }
  auto summary = DeploymentSummary(facts.domain.name, facts.customer, outcomes);
  if (!summary) return std::vector<PendingNotice>();
  std::size_t ok = 0;
  for (const auto& o : outcomes) ok += o.status == store::DeploymentStatus::kDeployed ? 1 : 0;
  std::string key = "deployed:" + std::to_string(certificate_id) + ":" + std::to_string(ok) + "/" +
                    std::to_string(outcomes.size());
  return std::vector<PendingNotice>{{*summary, key}};
}

}  // namespace

std::optional<Notice> DeploymentSummary(const std::string& domain, const std::string& customer,
                                        const std::vector<MachineOutcome>& outcomes) {
  if (outcomes.empty()) return std::nullopt;
  Notice n{.kind = NoticeKind::kDeployed, .subject = domain, .customer = customer};
  std::size_t deployed = 0;
  std::string failures;
  std::vector<std::string> failed_machines;
  for (const auto& o : outcomes) {
    if (o.status == store::DeploymentStatus::kPending) return std::nullopt;
    n.machines.push_back(o.machine);
    if (o.status == store::DeploymentStatus::kDeployed) {
      ++deployed;
      continue;
    }
    failed_machines.push_back(o.machine);
    failures += "; " + o.machine + " failed: " + (o.error.empty() ? "no detail" : o.error);
  }
  n.summary = "deployed on " + std::to_string(deployed) + " of " + std::to_string(outcomes.size()) +
              (outcomes.size() == 1 ? " machine" : " machines") + failures;
  if (!failed_machines.empty()) {
    n.severity = deployed == 0 ? Severity::kCritical : Severity::kWarning;
    std::string list;
    for (const auto& m : failed_machines) list += (list.empty() ? "" : ", ") + m;
    n.action = "fix the problem on " + list +
               " (the agent keeps the previous certificate and retries on its next pass)";
  }
  return n;
}

Result<std::vector<PendingNotice>> NoticesFromEvent(const store::Event& event, store::Store& store,
                                                    Names& names, TimePoint now) {
  namespace ev = store::events;
  const bool certificate =
      event.type == ev::kCertificateIssued || event.type == ev::kCertificateRenewed;
  const bool failed = event.type == ev::kDomainStatus;
  const bool delegation = event.type == ev::kDomainDelegation;
  if (!certificate && !failed && !delegation && event.type != ev::kDeploymentReported) {
    return std::vector<PendingNotice>();
  }
  json p = json::parse(event.payload_json, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object()) return std::vector<PendingNotice>();  // not ours to judge; skip
  if (failed && p.value("status", "") != "failed") {
    return std::vector<PendingNotice>();
  }
  const std::string domain = p.value(failed || delegation ? "name" : "domain", "");
  auto facts = LoadDomain(domain, store, names);
  if (!facts) return Fail(facts.error());
  if (!*facts) return std::vector<PendingNotice>();
  const std::string key = "event:" + std::to_string(event.revision);
  if (certificate) return std::vector<PendingNotice>{{CertificateNotice(event, p, **facts), key}};
  if (failed) {
    return std::vector<PendingNotice>{{FailedNotice(p, **facts, now), key}};
  }
  if (delegation) {
    auto notice = DelegationNotice(p, **facts);
    if (!notice) return std::vector<PendingNotice>();
    return std::vector<PendingNotice>{{std::move(*notice), key}};
  }
  return DeploymentNotices(p, store, names, **facts);
}

}  // namespace certfleet::notify
