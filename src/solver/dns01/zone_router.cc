#include "solver/dns01/zone_router.h"

#include <algorithm>

#include "dns/message.h"

namespace certfleet::solver {
namespace {

std::size_t Labels(const std::string& zone) {
  return zone.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(zone.begin(), zone.end(), '.'));
}

}  // namespace

ZoneRouter::ZoneRouter(std::vector<ZoneRoute> routes) : routes_(std::move(routes)) {
  for (ZoneRoute& route : routes_) route.zone = dns::CanonicalName(route.zone);
  std::stable_sort(routes_.begin(), routes_.end(), [](const ZoneRoute& a, const ZoneRoute& b) {
    return Labels(a.zone) > Labels(b.zone);
  });
}

const ZoneRoute* ZoneRouter::RouteFor(std::string_view identifier) const {
  const std::string name = dns::CanonicalName(identifier);
  for (const ZoneRoute& route : routes_) {
    if (dns::IsAtOrBelow(name, route.zone)) return &route;
  }
  return nullptr;
}

acme::ChallengeSolver* ZoneRouter::Route(std::string_view identifier) const {
  const ZoneRoute* route = RouteFor(identifier);
  return route == nullptr ? nullptr : route->solver;
}

bool ZoneRouter::Covers(std::string_view identifier, bool wildcard) const {
  acme::ChallengeSolver* solver = Route(identifier);
  return solver != nullptr && solver->Covers(identifier, wildcard);
}

Status ZoneRouter::Present(const acme::ChallengeTask& task) {
  acme::ChallengeSolver* solver = Route(task.identifier);
  if (solver == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                task.identifier + ": no DNS-01 zone is configured for this name");
  }
  return solver->Present(task);
}

Status ZoneRouter::CleanUp(const acme::ChallengeTask& task) {
  acme::ChallengeSolver* solver = Route(task.identifier);
  return solver == nullptr ? Ok() : solver->CleanUp(task);
}

}  // namespace certfleet::solver
