#include "sim/sim_world.h"

#include <algorithm>
#include <random>

namespace certfleet::sim {
namespace {

bool AnyCovers(const std::vector<Episode>& episodes, TimePoint t) {
  return std::any_of(episodes.begin(), episodes.end(),
                     [&](const Episode& e) { return e.Covers(t); });
}

const Episode* Covering(const std::vector<Episode>& episodes, TimePoint t) {
  for (const Episode& e : episodes) {
    if (e.Covers(t)) return &e;
  }
  return nullptr;
}

}  // namespace

std::vector<Episode> DrawEpisodes(const EpisodeShape& shape, TimePoint start, Duration length,
                                  std::uint64_t seed) {
  std::vector<Episode> out;
  if (shape.every <= Duration{0}) return out;
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(1.0 / static_cast<double>(shape.every.count()));
  std::uniform_int_distribution<std::int64_t> span(shape.shortest.count(),
                                                   std::max(shape.shortest, shape.longest).count());
  TimePoint t = start;
  const TimePoint end = start + length;
  while (true) {
    t += Duration(static_cast<std::int64_t>(gap(rng)));
    if (t >= end) break;
    const Episode e{t, t + Duration(span(rng))};
    out.push_back(e);
    t = e.to;
  }
  return out;
}

SimWorld::SimWorld(const WorldConfig& config) {
  ca_outages_ = DrawEpisodes(config.ca_outages, config.start, config.length, config.seed * 3 + 1);
  ca_outages_.insert(ca_outages_.end(), config.extra_ca_outages.begin(),
                     config.extra_ca_outages.end());
  rate_limits_ = DrawEpisodes(config.rate_limits, config.start, config.length, config.seed * 3 + 2);
  for (int d = 0; d < config.domains; ++d) {
    agent_failures_.push_back(DrawEpisodes(config.agent_failures, config.start, config.length,
                                           config.seed * 1'000'003 + static_cast<unsigned>(d)));
    agent_failures_.back().insert(agent_failures_.back().end(), config.extra_agent_failures.begin(),
                                  config.extra_agent_failures.end());
  }
  auto add = [&](const std::vector<Episode>& episodes) {
    for (const Episode& e : episodes) {
      boundaries_.push_back(e.from);
      boundaries_.push_back(e.to);
    }
  };
  add(ca_outages_);
  add(rate_limits_);
  for (const auto& per_domain : agent_failures_) add(per_domain);
  std::sort(boundaries_.begin(), boundaries_.end());
}

CaAnswer SimWorld::Answer(int domain, TimePoint t, std::optional<TimePoint>* retry_after) const {
  if (CaDown(t)) return CaAnswer::kDown;
  if (const Episode* limit = Covering(rate_limits_, t)) {
    if (retry_after != nullptr) *retry_after = limit->to;
    return CaAnswer::kRateLimited;
  }
  if (domain >= 0 && domain < static_cast<int>(agent_failures_.size()) &&
      AnyCovers(agent_failures_[static_cast<std::size_t>(domain)], t)) {
    return CaAnswer::kValidationFails;
  }
  return CaAnswer::kIssues;
}

bool SimWorld::CaDown(TimePoint t) const { return AnyCovers(ca_outages_, t); }

std::optional<TimePoint> SimWorld::NextChange(TimePoint t) const {
  auto it = std::upper_bound(boundaries_.begin(), boundaries_.end(), t);
  if (it == boundaries_.end()) return std::nullopt;
  return *it;
}

std::size_t SimWorld::agent_failure_count() const {
  std::size_t n = 0;
  for (const auto& per_domain : agent_failures_) n += per_domain.size();
  return n;
}

Duration SimWorld::LongestBadStretch(int domain) const {
  std::vector<Episode> bad = ca_outages_;
  bad.insert(bad.end(), rate_limits_.begin(), rate_limits_.end());
  if (domain >= 0 && domain < static_cast<int>(agent_failures_.size())) {
    bad.insert(bad.end(), agent_failures_[static_cast<std::size_t>(domain)].begin(),
               agent_failures_[static_cast<std::size_t>(domain)].end());
  }
  std::sort(bad.begin(), bad.end(),
            [](const Episode& a, const Episode& b) { return a.from < b.from; });
  Duration longest{0};
  std::optional<Episode> run;
  for (const Episode& e : bad) {
    if (run && e.from <= run->to) {
      run->to = std::max(run->to, e.to);
    } else {
      run = e;
    }
    longest = std::max(longest, std::chrono::duration_cast<Duration>(run->to - run->from));
  }
  return longest;
}

}  // namespace certfleet::sim
