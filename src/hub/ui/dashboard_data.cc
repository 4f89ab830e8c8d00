#include "hub/ui/dashboard_data.h"

#include <algorithm>
#include <utility>

namespace certfleet::hub::ui {
namespace {

using std::chrono::hours;

Result<std::int64_t> CountDomains(store::Store& store, store::DomainQuery q) {
  q.limit = 1;
  auto page = store.ListDomains(q);
  if (!page) return Fail(page.error());
  return page->total;
}

Result<std::int64_t> CountStatus(store::Store& store, store::DomainStatus status) {
  store::DomainQuery q;
  q.status = status;
  return CountDomains(store, q);
}

Result<std::int64_t> CountExpiringBefore(store::Store& store, TimePoint t) {
  store::DomainQuery q;
  q.expiring_before = t;
  return CountDomains(store, q);
}

Status LoadCounts(store::Store& store, TimePoint now, DashboardData& d) {
  using store::DomainStatus;
  auto total = CountDomains(store, {});
  auto valid = CountStatus(store, DomainStatus::kValid);
  auto renewing = CountStatus(store, DomainStatus::kRenewing);
  auto issuing = CountStatus(store, DomainStatus::kIssuing);
  auto failed = CountStatus(store, DomainStatus::kFailed);
  auto pending = CountStatus(store, DomainStatus::kPending);
  auto expired = CountExpiringBefore(store, now);
  auto soon = CountExpiringBefore(store, now + hours(24 * kExpiringSoonDays));
  for (const auto* r : {&total, &valid, &renewing, &issuing, &failed, &pending, &expired, &soon}) {
    if (!*r) return Fail(r->error());
  }
  d.total = *total;
  d.valid = *valid;
  d.renewing = *renewing + *issuing;
  d.failed = *failed;
  d.pending = *pending;
  d.expired = *expired;
  d.expiring_soon = *soon - *expired;
  return Ok();
}

// Cumulative counts at each bucket end, differenced into per-bucket counts.
Status LoadExpiryBuckets(store::Store& store, TimePoint now, DashboardData& d) {
  std::int64_t previous = d.expired;
  for (int day = kChartBucketDays; day <= kChartDays; day += kChartBucketDays) {
    auto upto = CountExpiringBefore(store, now + hours(24 * day));
    if (!upto) return Fail(upto.error());
    d.expiry_buckets.push_back(std::max<std::int64_t>(0, *upto - previous));
    previous = *upto;
  }
  return Ok();
}

Status LoadMachines(store::Store& store, TimePoint now, DashboardData& d) {
  auto machines = store.ListMachines({.limit = 1000});
  if (!machines) return Fail(machines.error());
  std::vector<store::DesiredState> desired;
  std::vector<std::vector<store::Deployment>> reports;
  for (const auto& m : machines->items) {
    if (!m.agent_last_seen || now - *m.agent_last_seen > kAgentSilentAfter) {
      d.silent_machines.push_back(m);
    }
    auto state = store.GetDesiredState(m.id);
    auto rows = store.ListMachineDeployments(m.id, 100'000);
    if (!state) return Fail(state.error());
    if (!rows) return Fail(rows.error());
    desired.push_back(std::move(*state));
    reports.push_back(std::move(*rows));
  }
  d.not_deployed = UndeployedDomains(desired, reports);
  for (const auto& state : desired) {
    for (const auto& c : state.certificates) {
      if (d.not_deployed_names.size() >= 10) break;
      if (d.not_deployed.count(c.domain_id) &&
          std::find(d.not_deployed_names.begin(), d.not_deployed_names.end(), c.domain) ==
              d.not_deployed_names.end()) {
        d.not_deployed_names.push_back(c.domain);
      }
    }
  }
  return Ok();
}

Status LoadEvents(store::Store& store, DashboardData& d) {
  auto max = store.MaxRevision();
  if (!max) return Fail(max.error());
  auto events = store.ListEventsSince(std::max<store::Revision>(0, *max - 15), 15);
  if (!events) return Fail(events.error());
  d.events.assign(events->rbegin(), events->rend());
  return Ok();
}

}  // namespace

std::set<store::Id> UndeployedDomains(const std::vector<store::DesiredState>& desired,
                                      const std::vector<std::vector<store::Deployment>>& reports) {
  std::set<store::Id> missing;
  for (std::size_t i = 0; i < desired.size() && i < reports.size(); ++i) {
    std::set<store::Id> deployed;  // certificate ids reported deployed on this machine
    for (const auto& r : reports[i]) {
      if (r.status == store::DeploymentStatus::kDeployed) deployed.insert(r.certificate_id);
    }
    for (const auto& c : desired[i].certificates) {
      if (c.certificate_id && !deployed.count(*c.certificate_id)) missing.insert(c.domain_id);
    }
  }
  return missing;
}

Result<DashboardData> LoadDashboard(store::Store& store, TimePoint now) {
  DashboardData d;
  if (auto s = LoadCounts(store, now, d); !s) return Fail(s.error());
  if (auto s = LoadExpiryBuckets(store, now, d); !s) return Fail(s.error());
  if (auto s = LoadMachines(store, now, d); !s) return Fail(s.error());
  if (auto s = LoadEvents(store, d); !s) return Fail(s.error());
  return d;
}

}  // namespace certfleet::hub::ui
