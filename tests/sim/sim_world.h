// SimWorld: the outside world of the deterministic fleet simulation (issue 20) — when the
// CA is down, when it rate-limits, and when a domain's agent cannot answer its HTTP-01
// challenge. Everything is drawn up front from one seed, so a run is a pure function of
// its configuration: same WorldConfig, same episodes, same answers.
//
// Episodes are half-open intervals [from, to) of simulated time. The world never looks at
// the hub: it only answers "what would the CA / the agent do at time t".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace certfleet::sim {

struct Episode {
  TimePoint from{};
  TimePoint to{};
  bool Covers(TimePoint t) const { return from <= t && t < to; }
};

// Episodes are drawn as a Poisson process (exponential gaps of mean `every`) with
// durations uniform in [shortest, longest]. `every` = 0 disables them.
struct EpisodeShape {
  Duration every{0};
  Duration shortest{0};
  Duration longest{0};
};

struct WorldConfig {
  std::uint64_t seed = 1;
  TimePoint start{};
  Duration length{std::chrono::hours(24 * 365)};
  int domains = 100;
  EpisodeShape ca_outages;      // the CA answers nothing (connection refused)
  EpisodeShape rate_limits;     // the CA answers rateLimited, Retry-After = the episode's end
  EpisodeShape agent_failures;  // per domain: its HTTP-01 challenge cannot be fetched
  // Explicit CA outages on top of the drawn ones (scenarios, the negative control).
  std::vector<Episode> extra_ca_outages;
  // Explicit failures of every domain's agent on top of the drawn ones.
  std::vector<Episode> extra_agent_failures;
};

// What the CA does with an order at time t.
enum class CaAnswer { kIssues, kDown, kRateLimited, kValidationFails };

class SimWorld {
 public:
  explicit SimWorld(const WorldConfig& config);

  // The CA's answer to an order for domain index `domain` at `t`; for kRateLimited,
  // `retry_after` is set to the end of the rate-limit episode.
  CaAnswer Answer(int domain, TimePoint t, std::optional<TimePoint>* retry_after) const;
  bool CaDown(TimePoint t) const;
  // The first episode boundary after `t` (any episode, any domain), if any: the driver
  // stops there so that nothing the world does is skipped over.
  std::optional<TimePoint> NextChange(TimePoint t) const;

  const std::vector<Episode>& ca_outages() const { return ca_outages_; }
  const std::vector<Episode>& rate_limits() const { return rate_limits_; }
  std::size_t agent_failure_count() const;
  // The longest stretch in which domain `domain` could not get a certificate (CA down,
  // rate-limited or its agent failing, merged), over the whole run.
  Duration LongestBadStretch(int domain) const;

 private:
  std::vector<Episode> ca_outages_;
  std::vector<Episode> rate_limits_;
  std::vector<std::vector<Episode>> agent_failures_;  // per domain
  std::vector<TimePoint> boundaries_;                 // sorted, every from and to
};

// Draws episodes over [start, start + length) from `seed` (pure).
std::vector<Episode> DrawEpisodes(const EpisodeShape& shape, TimePoint start, Duration length,
                                  std::uint64_t seed);

}  // namespace certfleet::sim
