#include "issuance/save_schedule.h"

namespace certfleet::issuance {
namespace {

bool IsAcme(const store::Domain& d) { return d.issuer != store::kManualIssuer; }

SaveSchedule DueNowIfAcme(const store::Domain& d, TimePoint now) {
  if (!IsAcme(d)) return SaveSchedule{};
  return SaveSchedule{now, true};
}

}  // namespace

IssuanceSpec SpecOf(const store::Domain& d) {
  IssuanceSpec spec;
  spec.names.push_back(d.name);
  spec.names.insert(spec.names.end(), d.sans.begin(), d.sans.end());
  spec.key_type = d.key_type;
  spec.profile = d.profile;
  return spec;
}

std::optional<SaveSchedule> ScheduleAfterSave(const std::optional<store::Domain>& before,
                                              const store::Domain& after, TimePoint now) {
  if (!before) return DueNowIfAcme(after, now);
  const bool reorder =
      before->issuer != after.issuer || NeedsNewOrder(SpecOf(*before), SpecOf(after));
  if (!reorder) return std::nullopt;
  return DueNowIfAcme(after, now);
}

}  // namespace certfleet::issuance
