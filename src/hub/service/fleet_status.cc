#include "hub/service/fleet_status.h"

#include <algorithm>
#include <utility>

#include "common/time_format.h"
#include "hub/service/lookup.h"
#include "issuance/capacity.h"

namespace certfleet::hub::service {
namespace {

using std::chrono::hours;
using store::DomainStatus;

Result<std::int64_t> CountDomains(store::Store& store, store::DomainQuery q) {
  q.limit = 1;
  auto page = store.ListDomains(q);
  if (!page) return Fail(page.error());
  return page->total;
}

Result<std::vector<store::Domain>> Domains(store::Store& store, store::DomainQuery q) {
  q.limit = static_cast<std::int64_t>(kAttentionLimit);
  auto page = store.ListDomains(q);
  if (!page) return Fail(page.error());
  return std::move(page->items);
}

Status LoadCounts(store::Store& store, TimePoint now, FleetCounts& c) {
  using Q = store::DomainQuery;
  auto total = CountDomains(store, Q{});
  auto valid = CountDomains(store, Q{.status = DomainStatus::kValid});
  auto renewing = CountDomains(store, Q{.status = DomainStatus::kRenewing});
  auto issuing = CountDomains(store, Q{.status = DomainStatus::kIssuing});
  auto failed = CountDomains(store, Q{.status = DomainStatus::kFailed});
  auto pending = CountDomains(store, Q{.status = DomainStatus::kPending});
  auto awaiting = CountDomains(
      store, Q{.status = DomainStatus::kPending, .issuer = std::string(store::kManualIssuer)});
  auto expired = CountDomains(store, Q{.expiring_before = now});
  auto soon = CountDomains(store, Q{.expiring_before = now + hours(24 * kExpiringSoonDays)});
  for (const auto* r :
       {&total, &valid, &renewing, &issuing, &failed, &pending, &awaiting, &expired, &soon}) {
    if (!*r) return Fail(r->error());
  }
  c.domains = *total;
  c.valid = *valid;
  c.renewing = *renewing + *issuing;
  c.failed = *failed;
  c.awaiting_upload = *awaiting;
  c.pending = *pending - *awaiting;
  c.expired = *expired;
  c.expiring_soon = *soon - *expired;
  return Ok();
}

// Cumulative counts at each week's end, differenced into per-week counts.
Status LoadExpiryWeeks(store::Store& store, TimePoint now, FleetStatus& f) {
  std::int64_t previous = f.counts.expired;
  for (int week = 1; week <= kChartWeeks; ++week) {
    auto upto = CountDomains(store, {.expiring_before = now + hours(24 * 7 * week)});
    if (!upto) return Fail(upto.error());
    f.expiry_weeks.push_back(std::max<std::int64_t>(0, *upto - previous));
    previous = *upto;
  }
  return Ok();
}

AttentionItem DomainItem(std::string kind, Tone tone, const store::Domain& d, std::string message,
                         std::optional<TimePoint> when) {
  return AttentionItem{std::move(kind), tone, d.name, "", std::move(message), when};
}

Status LoadDomainProblems(store::Store& store, TimePoint now, FleetStatus& f) {
  using Q = store::DomainQuery;
  auto failed =
      Domains(store, Q{.status = DomainStatus::kFailed, .sort = store::DomainSort::kNextAttempt});
  if (!failed) return Fail(failed.error());
  for (const auto& d : *failed) {
    std::string message =
        "the last order failed: " + (d.last_error.empty() ? "no reason given" : d.last_error);
    f.attention.push_back(
        DomainItem("order_failed", Tone::kBad, d, std::move(message), d.next_attempt_at));
  }
  auto expiring = Domains(store, Q{.expiring_before = now + hours(24 * kExpiringSoonDays),
                                   .sort = store::DomainSort::kNotAfter});
  if (!expiring) return Fail(expiring.error());
  for (const auto& d : *expiring) {
    if (d.current_not_after && *d.current_not_after <= now) {
      f.attention.push_back(
          DomainItem("expired", Tone::kBad, d, "the certificate expired", d.current_not_after));
    } else if (auto warning = ExpiryWarning(d, now)) {
      f.attention.push_back(
          DomainItem("expiring", Tone::kWarn, d, std::move(*warning), d.current_not_after));
    }
  }
  auto awaiting = Domains(
      store, Q{.status = DomainStatus::kPending, .issuer = std::string(store::kManualIssuer)});
  if (!awaiting) return Fail(awaiting.error());
  for (const auto& d : *awaiting) {
    f.attention.push_back(DomainItem(
        "awaiting_upload", Tone::kWarn, d,
        "waiting for a certificate upload (certfleet cert upload " + d.name + ")", std::nullopt));
  }
  return Ok();
}

// Manual domains whose uploaded certificate no longer covers all their names.
Status LoadUncovered(store::Store& store, TimePoint now, FleetStatus& f) {
  auto manual = store.ListDomains({.issuer = std::string(store::kManualIssuer), .limit = 1000});
  if (!manual) return Fail(manual.error());
  for (const auto& d : manual->items) {
    if (!d.current_certificate_id) continue;
    auto cert = store.GetCertificate(*d.current_certificate_id);
    if (!cert) return Fail(cert.error());
    auto state = AssessDomain(d, cert->names, {}, now);
    if (state.uncovered.empty()) continue;
    std::string names;
    for (const auto& n : state.uncovered) names += (names.empty() ? "" : ", ") + n;
    f.attention.push_back(DomainItem("names_not_covered", Tone::kBad, d,
                                     "the uploaded certificate does not cover " + names,
                                     std::nullopt));
  }
  return Ok();
}

void AddSilentAgent(const store::Machine& m, TimePoint now, FleetStatus& f) {
  if (m.agent_last_seen && now - *m.agent_last_seen <= kAgentSilentAfter) return;
  ++f.counts.agents_silent;
  if (!m.agent_last_seen) {
    f.attention.push_back(
        {"agent_never_seen", Tone::kWarn, "", m.name,
         "its agent has never contacted the hub (create an agent token for it and start "
         "certfleet-agent there)",
         std::nullopt});
  } else {
    f.attention.push_back(
        {"agent_silent", Tone::kWarn, "", m.name,
         "its agent has not contacted the hub since " + FormatRfc3339(*m.agent_last_seen),
         m.agent_last_seen});
  }
}

Status LoadAgents(store::Store& store, TimePoint now, FleetStatus& f) {
  auto machines = AllMachines(store);
  if (!machines) return Fail(machines.error());
  f.counts.machines = static_cast<std::int64_t>(machines->size());
  for (const auto& m : *machines) AddSilentAgent(m, now, f);
  return Ok();
}

// Machines that do not serve their domain's current certificate: one store read for the
// whole fleet (failed reports with the agent's words first, then those not reported yet).
Status LoadDeployments(store::Store& store, FleetStatus& f) {
  auto gaps = store.ListDeploymentGaps(static_cast<std::int64_t>(kAttentionLimit));
  if (!gaps) return Fail(gaps.error());
  f.counts.deploy_failed = gaps->failed_domains;
  f.counts.not_deployed = gaps->undeployed_domains;
  for (const auto& g : gaps->items) {
    if (g.status == store::DeploymentStatus::kFailed) {
      f.attention.push_back({"deploy_failed", Tone::kBad, g.domain, g.machine,
                             g.machine + " could not deploy it: " + g.error, g.reported_at});
    } else {
      f.attention.push_back({"not_deployed", Tone::kInfo, g.domain, g.machine,
                             "the current certificate is not reported deployed there yet",
                             g.reported_at});
    }
  }
  return Ok();
}

// Issuers whose order pacing cannot keep up with their fleet (issue 20).
Status LoadCapacity(store::Store& store, TimePoint now,
                    const std::vector<issuance::IssuerConfig>& issuers, FleetStatus& f) {
  if (issuers.empty()) return Ok();
  auto warnings = issuance::CheckCapacity(store, issuers, now);
  if (!warnings) return Fail(warnings.error());
  for (const auto& w : *warnings) {
    f.attention.push_back(
        {"capacity", w.critical ? Tone::kBad : Tone::kWarn, "", "", w.Message(), std::nullopt});
  }
  return Ok();
}

int Rank(Tone tone) { return tone == Tone::kBad ? 0 : tone == Tone::kWarn ? 1 : 2; }

}  // namespace

bool FleetStatus::NeedsAttention() const {
  return std::any_of(attention.begin(), attention.end(), [](const AttentionItem& a) {
    return a.tone == Tone::kBad || a.tone == Tone::kWarn;
  });
}

Result<FleetStatus> LoadFleetStatus(store::Store& store, TimePoint now,
                                    const std::vector<issuance::IssuerConfig>& issuers) {
  FleetStatus f;
  if (auto s = LoadCounts(store, now, f.counts); !s) return Fail(s.error());
  if (auto s = LoadExpiryWeeks(store, now, f); !s) return Fail(s.error());
  if (auto s = LoadDomainProblems(store, now, f); !s) return Fail(s.error());
  if (auto s = LoadUncovered(store, now, f); !s) return Fail(s.error());
  if (auto s = LoadAgents(store, now, f); !s) return Fail(s.error());
  if (auto s = LoadDeployments(store, f); !s) return Fail(s.error());
  if (auto s = LoadCapacity(store, now, issuers, f); !s) return Fail(s.error());
  std::stable_sort(
      f.attention.begin(), f.attention.end(),
      [](const AttentionItem& a, const AttentionItem& b) { return Rank(a.tone) < Rank(b.tone); });
  return f;
}

}  // namespace certfleet::hub::service
