#include "notify/discovered_scan.h"

#include <algorithm>
#include <map>
#include <set>

#include "notify/policy.h"

namespace certfleet::notify {
namespace {

struct Found {
  TimePoint not_after{};
  std::string issuer;
  std::set<store::Id> machines;
};

Notice DiscoveredNotice(const std::string& name, const Found& f, int days, TimePoint now,
                        std::vector<std::string> machines) {
  Notice n{.kind = NoticeKind::kExpiring,
           .severity = days <= 7 ? Severity::kCritical : Severity::kWarning,
           .subject = name,
           .machines = std::move(machines),
           .at = f.not_after};
  n.summary =
      (days == 0 ? "a certificate found on the hosts EXPIRED on " + HumanTime(f.not_after)
                 : "a certificate found on the hosts expires in " +
                       HumanDuration(std::chrono::duration_cast<Duration>(f.not_after - now)) +
                       " (" + HumanTime(f.not_after) + ")") +
      "; certfleet does not manage it" + (f.issuer.empty() ? "" : " (issuer " + f.issuer + ")");
  n.action = "adopt it (certfleet inventory adopt " + name +
             " --apply) or renew it where it came from, then run certfleet-agent discover";
  return n;
}

}  // namespace

Result<std::vector<PendingNotice>> ScanDiscoveredExpiring(store::InventoryBook& book, Names& names,
                                                          TimePoint now,
                                                          const std::vector<int>& thresholds_days) {
  std::vector<PendingNotice> out;
  if (thresholds_days.empty()) return out;
  const int largest = *std::max_element(thresholds_days.begin(), thresholds_days.end());
  auto entries = book.ListInventoryEntries(
      {.expiring_before = now + std::chrono::days(largest) + Duration(1)});
  if (!entries) return Fail(entries.error().WithContext("notify: listing discovered certificates"));
  auto managed = book.ListManagedNames();
  if (!managed) return Fail(managed.error().WithContext("notify: listing domains"));
  std::set<std::string> current;
  for (const auto& m : *managed) current.insert(m.current_sha256);
  std::map<std::pair<std::string, std::string>, Found> found;  // (name, sha256)
  for (const auto& e : *entries) {
    if (e.sha256.empty() || !e.not_after || current.count(e.sha256) != 0) continue;
    Found& f = found[{e.name, e.sha256}];
    f.not_after = *e.not_after;
    f.issuer = e.issuer;
    f.machines.insert(e.machine_id);
  }
  for (const auto& [key, f] : found) {
    auto days = DueExpiryThreshold(now, f.not_after, thresholds_days);
    if (!days) continue;
    auto machines = names.Machines({f.machines.begin(), f.machines.end()});
    if (!machines) return Fail(machines.error());
    out.push_back({DiscoveredNotice(key.first, f, *days, now, std::move(*machines)),
                   "discovered-expiry:" + key.first + ":" + key.second.substr(0, 16) + ":" +
                       std::to_string(*days) + "d"});
  }
  return out;
}

}  // namespace certfleet::notify
