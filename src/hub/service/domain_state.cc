#include "hub/service/domain_state.h"

#include <map>
#include <set>

#include "common/time_format.h"
#include "hub/service/certificate_check.h"

namespace certfleet::hub::service {
namespace {

using store::DomainStatus;

bool IsManual(const store::Domain& d) { return d.issuer == store::kManualIssuer; }

std::vector<std::string> Uncovered(const store::Domain& d, const std::vector<std::string>& have) {
  std::vector<std::string> wanted = {d.name};
  wanted.insert(wanted.end(), d.sans.begin(), d.sans.end());
  std::vector<std::string> missing;
  for (const auto& name : wanted) {
    bool covered = false;
    for (const auto& pattern : have) covered = covered || NameCovers(pattern, name);
    if (!covered) missing.push_back(name);
  }
  return missing;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string DaysLeft(TimePoint now, TimePoint t) {
  const auto days = std::chrono::duration_cast<std::chrono::hours>(t - now).count() / 24;
  return days == 1 ? "1 day" : std::to_string(days) + " days";
}

struct Assessment {
  const store::Domain& d;
  TimePoint now;
  DomainState state;
  bool labelled = false;

  void Label(std::string_view label, Tone tone) {
    if (labelled) return;
    state.label = std::string(label);
    state.tone = tone;
    labelled = true;
  }
  void Problem(std::string text) { state.problems.push_back(std::move(text)); }
};

void CheckIssuance(Assessment& a, bool has_certificate) {
  const store::Domain& d = a.d;
  if (d.status == DomainStatus::kFailed) {
    a.Label("failed", Tone::kBad);
    std::string text =
        "the last order failed: " + (d.last_error.empty() ? "no reason given" : d.last_error);
    if (d.next_attempt_at) text += "; next try " + FormatRfc3339(*d.next_attempt_at);
    a.Problem(std::move(text));
  }
  if (IsManual(d) && !has_certificate) {
    a.Label("awaiting upload", Tone::kWarn);
    a.Problem("waiting for an upload: manual certificates are not ordered or renewed by the hub");
  }
}

void CheckCertificate(Assessment& a, const std::vector<std::string>& names,
                      std::optional<TimePoint> not_after) {
  const store::Domain& d = a.d;
  if (not_after && *not_after <= a.now) {
    a.Label("expired", Tone::kBad);
    a.Problem("the certificate expired at " + FormatRfc3339(*not_after));
  }
  a.state.uncovered = Uncovered(d, names);
  if (!a.state.uncovered.empty()) {
    if (IsManual(d)) a.Label("names not covered", Tone::kBad);
    a.Problem("the current certificate does not cover " + Join(a.state.uncovered) +
              (IsManual(d) ? "; upload one that does" : "; a new one is being ordered"));
  }
}

void CheckDeployments(Assessment& a, const std::vector<DeploymentFact>& deployments) {
  for (const auto& r : deployments) {
    if (r.status != store::DeploymentStatus::kFailed) continue;
    a.Label("deploy failed", Tone::kBad);
    a.Problem(r.machine +
              " could not deploy it: " + (r.error.empty() ? "no reason given" : r.error));
  }
}

void CheckExpiry(Assessment& a) {
  auto warning = ExpiryWarning(a.d, a.now);
  if (!warning) return;
  a.Label("expiring", Tone::kWarn);
  a.Problem(std::move(*warning));
}

}  // namespace

std::string_view ToneName(Tone tone) {
  switch (tone) {
    case Tone::kOk:
      return "ok";
    case Tone::kInfo:
      return "info";
    case Tone::kWarn:
      return "warn";
    case Tone::kBad:
      return "bad";
  }
  return "info";
}

std::optional<std::string> ExpiryWarning(const store::Domain& d, TimePoint now) {
  const auto not_after = d.current_not_after;
  if (!not_after || *not_after <= now) return std::nullopt;
  const auto warning = IsManual(d) ? kManualExpiryWarning : kAcmeExpiryWarning;
  if (*not_after - now > warning) return std::nullopt;
  return "the certificate expires in " + DaysLeft(now, *not_after) +
         (IsManual(d) ? "; upload its successor (manual certificates do not renew)"
                      : "; its renewal is overdue");
}

Result<DomainState> LoadDomainState(store::Store& store, const store::Domain& d, TimePoint now) {
  std::optional<std::vector<std::string>> names;
  if (d.current_certificate_id) {
    auto cert = store.GetCertificate(*d.current_certificate_id);
    if (!cert) return Fail(cert.error());
    names = std::move(cert->names);
  }
  auto rows = store.ListDomainDeployments(d.id);
  if (!rows) return Fail(rows.error());
  std::vector<DeploymentFact> facts;
  for (const auto& r : *rows) {
    auto m = store.GetMachine(r.machine_id);
    facts.push_back({m ? m->name : "#" + std::to_string(r.machine_id), r.status, r.error});
  }
  return AssessDomain(d, names, facts, now);
}

Result<std::vector<DomainState>> LoadDomainStates(store::Store& store,
                                                  const std::vector<store::Domain>& domains,
                                                  TimePoint now) {
  std::vector<store::Id> ids;
  ids.reserve(domains.size());
  for (const auto& d : domains) ids.push_back(d.id);
  auto facts = store.ListDomainsDeployments(ids);
  if (!facts) return Fail(facts.error());
  if (facts->size() != domains.size()) {
    return Fail(ErrorCode::kInternal, "the store answered " + std::to_string(facts->size()) +
                                          " domains' deployments for " +
                                          std::to_string(domains.size()));
  }
  std::map<store::Id, std::string> machines;
  std::set<store::Id> hosts;
  for (const auto& f : *facts) {
    for (const auto& r : f.deployments) hosts.insert(r.machine_id);
  }
  if (hosts.size() > 4) {  // several machines: one read of the first 1,000, not one each
    if (auto page = store.ListMachines({.limit = 1000})) {
      for (const auto& m : page->items) machines.emplace(m.id, m.name);
    }
  }
  auto machine_name = [&](store::Id id) -> const std::string& {
    auto it = machines.find(id);
    if (it != machines.end()) return it->second;
    auto m = store.GetMachine(id);
    return machines.emplace(id, m ? m->name : "#" + std::to_string(id)).first->second;
  };
  std::vector<DomainState> out;
  out.reserve(domains.size());
  for (std::size_t i = 0; i < domains.size(); ++i) {
    const store::DomainDeployments& f = (*facts)[i];
    std::vector<DeploymentFact> rows;
    for (const auto& r : f.deployments)
      rows.push_back({machine_name(r.machine_id), r.status, r.error});
    out.push_back(AssessDomain(domains[i], f.certificate_names, rows, now));
  }
  return out;
}

DomainState AssessDomain(const store::Domain& d,
                         const std::optional<std::vector<std::string>>& certificate_names,
                         const std::vector<DeploymentFact>& deployments, TimePoint now) {
  Assessment a{d, now, {}};
  CheckIssuance(a, certificate_names.has_value());
  if (certificate_names) CheckCertificate(a, *certificate_names, d.current_not_after);
  CheckDeployments(a, deployments);
  if (d.status == DomainStatus::kIssuing || d.status == DomainStatus::kRenewing ||
      (d.status == DomainStatus::kPending && !IsManual(d))) {
    a.Label(store::DomainStatusName(d.status), Tone::kInfo);
  }
  CheckExpiry(a);
  for (const auto& r : deployments) {
    if (certificate_names && r.status == store::DeploymentStatus::kPending) {
      a.Label("deploying", Tone::kInfo);
    }
  }
  a.Label(store::DomainStatusName(d.status),
          d.status == DomainStatus::kValid ? Tone::kOk : Tone::kInfo);
  return a.state;
}

}  // namespace certfleet::hub::service
