// ZoneRouter: one DNS-01 solver per zone, picked by the longest zone that contains the
// name (a table like "example.com → delegation, shop.example.com → RFC 2136 at
// 192.0.2.53"). It is itself a ChallengeSolver, so AuthorizeOrder sees one "dns-01"
// solver that covers every configured zone and nothing else.
//
// Thread safety: immutable after construction; Present/CleanUp are as thread-safe as the
// solvers routed to.
#pragma once

#include <string>
#include <vector>

#include "acme/challenge_solver.h"

namespace certfleet::solver {

struct ZoneRoute {
  std::string zone;                         // canonical; "" = every name (the root)
  acme::ChallengeSolver* solver = nullptr;  // dns-01; not owned, must outlive the router
};

class ZoneRouter final : public acme::ChallengeSolver {
 public:
  explicit ZoneRouter(std::vector<ZoneRoute> routes);

  std::string_view Type() const override { return "dns-01"; }
  bool Covers(std::string_view identifier, bool wildcard) const override;
  // kInvalidArgument naming the name when no zone covers it.
  Status Present(const acme::ChallengeTask& task) override;
  // Fine for a name no zone covers (nothing was presented).
  Status CleanUp(const acme::ChallengeTask& task) override;

  // The solver for `identifier` by longest zone match, or nullptr.
  acme::ChallengeSolver* Route(std::string_view identifier) const;
  // The route (zone and solver) used for `identifier`, or nullptr.
  const ZoneRoute* RouteFor(std::string_view identifier) const;

 private:
  std::vector<ZoneRoute> routes_;  // longest zone first
};

}  // namespace certfleet::solver
