#include "hub/api/heartbeats.h"

namespace certfleet::hub::api {

bool Heartbeats::Due(store::Id machine, TimePoint now, std::string_view version) {
  std::lock_guard lock(mu_);
  auto [it, fresh] = last_.try_emplace(machine, Last{now, std::string(version)});
  if (fresh) return true;
  Last& last = it->second;
  // A clock that went back counts as due: the stored value must not stay in the future.
  if (last.version != version || now - last.at >= interval_ || now < last.at) {
    last = Last{now, std::string(version)};
    return true;
  }
  return false;
}

void Heartbeats::Forget(store::Id machine) {
  std::lock_guard lock(mu_);
  last_.erase(machine);
}

}  // namespace certfleet::hub::api
