// Memory store: ListDeploymentGaps (see store/deployment_log.h).
#include <algorithm>
#include <set>
#include <tuple>

#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

// The gap of `domain` on machine `m`, if its current certificate is not deployed there.
std::optional<DeploymentGap> GapOn(const MemoryDatabase& db, const Domain& domain, Id m) {
  const Id cert = *domain.current_certificate_id;
  DeploymentGap gap{domain.id, domain.name, m, db.machines.at(m).name, cert, {}, "", {}};
  auto it = db.deployments.find({m, cert});
  if (it != db.deployments.end()) {
    if (it->second.status == DeploymentStatus::kDeployed) return std::nullopt;
    gap.status = it->second.status;
    gap.error = it->second.error;
    gap.reported_at = it->second.reported_at;
  }
  return gap;
}

bool Before(const DeploymentGap& a, const DeploymentGap& b) {
  auto key = [](const DeploymentGap& g) {
    return std::tuple<bool, const std::string&, const std::string&>(
        g.status != DeploymentStatus::kFailed, g.domain, g.machine);
  };
  return key(a) < key(b);
}

}  // namespace

Result<DeploymentGaps> MemoryStore::ListDeploymentGaps(std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<DeploymentGaps> {
    DeploymentGaps gaps;
    std::set<Id> failed;
    std::set<Id> undeployed;
    for (const auto& [id, domain] : db.domains) {
      if (!domain.current_certificate_id) continue;
      for (Id m : domain.machine_ids) {
        auto gap = GapOn(db, domain, m);
        if (!gap) continue;
        undeployed.insert(id);
        if (gap->status == DeploymentStatus::kFailed) failed.insert(id);
        gaps.items.push_back(std::move(*gap));
      }
    }
    gaps.failed_domains = static_cast<std::int64_t>(failed.size());
    gaps.undeployed_domains = static_cast<std::int64_t>(undeployed.size());
    std::sort(gaps.items.begin(), gaps.items.end(), Before);
    const auto keep = static_cast<std::size_t>(std::max<std::int64_t>(limit, 0));
    if (gaps.items.size() > keep) gaps.items.resize(keep);
    return gaps;
  });
}

}  // namespace certfleet::store::testing
