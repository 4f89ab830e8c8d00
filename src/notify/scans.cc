#include "notify/scans.h"

#include <algorithm>

#include "common/time_format.h"
#include "notify/policy.h"

namespace certfleet::notify {
namespace {

constexpr std::int64_t kPageSize = 500;

std::int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Notice ExpiringNotice(const store::Domain& d, int days, TimePoint now, const std::string& customer,
                      std::vector<std::string> machines) {
  const TimePoint not_after = *d.current_not_after;
  Notice n{.kind = NoticeKind::kExpiring,
           .severity = days <= 7 ? Severity::kCritical : Severity::kWarning,
           .subject = d.name,
           .customer = customer,
           .machines = std::move(machines),
           .at = not_after};
  n.summary = days == 0 ? "certificate EXPIRED on " + HumanTime(not_after)
                        : "certificate expires in " +
                              HumanDuration(std::chrono::duration_cast<Duration>(not_after - now)) +
                              " (" + HumanTime(not_after) + ")";
  if (d.issuer == store::kManualIssuer) {
    n.summary += "; uploaded manually, it will not renew by itself";
    n.action =
        "upload a renewed certificate: certfleet cert upload " + d.name + " --cert FILE --key FILE";
  } else {
    if (d.status != store::DomainStatus::kFailed && d.failure_count == 0 && d.renew_at) {
      n.summary += "; its renewal is overdue since " + HumanTime(*d.renew_at) +
                   " (waiting for the CA's order limit or a retry)";
    } else {
      n.summary += "; renewal is failing" + (d.last_error.empty() ? "" : ": " + d.last_error);
    }
    n.action = "fix the renewal problem, then run certfleet domain issue " + d.name;
  }
  return n;
}

}  // namespace

bool RenewalOverdue(const store::Domain& domain, TimePoint now) {
  return domain.renew_at && now - *domain.renew_at >= kRenewalOverdueAfter;
}

bool RenewsByItself(const store::Domain& domain, TimePoint now) {
  if (domain.issuer == store::kManualIssuer) return false;
  if (domain.status == store::DomainStatus::kFailed || domain.failure_count > 0) return false;
  if (RenewalOverdue(domain, now)) return false;
  return !(domain.current_not_after && *domain.current_not_after - now <= std::chrono::days(1));
}

// Reads only the domains the store says may not renew by themselves (ListExpiryCandidates:
// failing, manual, or ending within kOverdueReach, where an overdue renewal may hide;
// RenewsByItself still decides), in keyset pages: a scan every few
// minutes must not read a 10,000-domain fleet that renews fine (issue 20: OFFSET pages over
// every domain within 30 days made the scan the hub's largest cost in the simulation).
Result<std::vector<PendingNotice>> ScanExpiring(store::Catalog& store, Names& names, TimePoint now,
                                                const std::vector<int>& thresholds_days) {
  std::vector<PendingNotice> out;
  if (thresholds_days.empty()) return out;
  const int largest = *std::max_element(thresholds_days.begin(), thresholds_days.end());
  store::ExpiryCandidateQuery q{.ending_before = now + std::chrono::days(largest) + Duration(1),
                                .ending_soon = now + kOverdueReach,
                                .limit = kPageSize};
  while (true) {
    auto page = store.ListExpiryCandidates(q);
    if (!page) return Fail(page.error().WithContext("notify: listing expiring domains"));
    for (const auto& d : *page) {
      if (!d.current_not_after || !d.current_certificate_id || RenewsByItself(d, now)) continue;
      auto days = DueExpiryThreshold(now, *d.current_not_after, thresholds_days);
      if (!days) continue;
      auto customer = names.Customer(d.customer_id);
      if (!customer) return Fail(customer.error());
      auto machines = names.Machines(d.machine_ids);
      if (!machines) return Fail(machines.error());
      out.push_back({ExpiringNotice(d, *days, now, *customer, std::move(*machines)),
                     "expiry:" + d.name + ":" + std::to_string(*d.current_certificate_id) + ":" +
                         std::to_string(*days) + "d"});
    }
    if (static_cast<std::int64_t>(page->size()) < kPageSize) break;
    const store::Domain& last = page->back();
    q.after = std::make_pair(*last.current_not_after, last.id);
  }
  return out;
}

PendingNotice CapacityNotice(const std::string& issuer, bool critical, std::string summary,
                             std::string action, TimePoint now) {
  Notice n{.kind = NoticeKind::kCapacity,
           .severity = critical ? Severity::kCritical : Severity::kWarning,
           .subject = "issuer " + issuer,
           .summary = std::move(summary),
           .action = std::move(action),
           .at = now};
  return {std::move(n), "capacity:" + issuer + ":" + FormatRfc3339(now).substr(0, 10)};
}

Result<std::vector<PendingNotice>> ScanUnseenAgents(store::Catalog& store, Names& names,
                                                    TimePoint now, Duration after) {
  std::vector<PendingNotice> out;
  store::NameQuery q{.limit = kPageSize};
  for (;; q.offset += kPageSize) {
    auto page = store.ListMachines(q);
    if (!page) return Fail(page.error().WithContext("notify: listing machines"));
    for (const auto& m : page->items) {
      if (!AgentOverdue(now, m.agent_last_seen, after)) continue;
      auto customer = names.Customer(m.customer_id);
      if (!customer) return Fail(customer.error());
      Notice n{.kind = NoticeKind::kAgentUnseen,
               .severity = Severity::kWarning,
               .subject = m.name,
               .customer = *customer,
               .machines = {m.name},
               .at = m.agent_last_seen};
      n.summary = "agent not seen for " +
                  HumanDuration(std::chrono::duration_cast<Duration>(now - *m.agent_last_seen)) +
                  " (last report " + HumanTime(*m.agent_last_seen) +
                  (m.agent_version.empty() ? "" : ", version " + m.agent_version) + ")";
      n.action = "check certfleet-agent on " + m.name +
                 (m.address.empty() ? "" : " (" + m.address + ")") +
                 ": new certificates reach it only when it runs";
      out.push_back({std::move(n),
                     "agent-unseen:" + m.name + ":" + std::to_string(Millis(*m.agent_last_seen))});
    }
    if (static_cast<std::int64_t>(page->items.size()) < kPageSize) break;
  }
  return out;
}

}  // namespace certfleet::notify
