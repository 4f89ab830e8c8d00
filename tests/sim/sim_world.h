// SimWorld: the outside world of the deterministic fleet simulation (issue 20) — what the
// CA does (outages, 5xx, rateLimited with Retry-After, badNonce, ARI windows, a mass
// revocation), when a domain's HTTP-01 challenge cannot be answered, and when a machine's
// agent is offline or its nginx refuses the new configuration (nginx -t fails).
// Everything is drawn up front from one seed, so a run is a pure function of its
// configuration: same WorldConfig, same episodes, same answers.
//
// Episodes are half-open intervals [from, to) of simulated time. The world never looks at
// the hub: it only answers "what would the CA / the agent / nginx do at time t".
#pragma once

#include <algorithm>
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

// The CA's answer to a mass revocation (a misissuance found): at `announced` it moves the
// ARI window of every certificate it issued before then to [announced, announced +
// renew_within], and at `announced + revoke_after` it revokes them.
struct MassRevocation {
  TimePoint announced{};
  Duration renew_within{std::chrono::hours(24)};
  Duration revoke_after{std::chrono::hours(24)};
  TimePoint revoked_at() const { return announced + revoke_after; }
};

// `count` new domains saved at even intervals over [at, at + over).
struct Burst {
  TimePoint at{};
  int count = 0;
  Duration over{std::chrono::hours(1)};
};

struct WorldConfig {
  std::uint64_t seed = 1;
  TimePoint start{};
  Duration length{std::chrono::hours(24 * 365)};
  int domains = 100;             // saved at `start`
  Burst burst;                   // more domains saved later (indexes from `domains` on)
  int domains_per_machine = 10;  // domain i is hosted on machine i / domains_per_machine
  EpisodeShape ca_outages;       // the CA answers nothing (connection refused)
  EpisodeShape server_errors;    // the CA answers 500 to orders (its directory still loads)
  EpisodeShape rate_limits;      // the CA answers rateLimited, Retry-After = the episode's end
  EpisodeShape agent_failures;   // per domain: its HTTP-01 challenge cannot be fetched
  EpisodeShape agent_offline;    // per machine: the agent is not running
  EpisodeShape nginx_failures;   // per machine: nginx -t refuses the new configuration
  double bad_nonce_rate = 0;     // share of JWS requests answered badNonce
  // The CA's renewalInfo (RFC 9773): windows at the renewal point, asked again after this
  // Retry-After; 0 = the CA offers no ARI (like Pebble 2.4).
  Duration ari_retry_after{std::chrono::hours(6)};
  std::vector<MassRevocation> revocations;
  // Explicit CA outages on top of the drawn ones (scenarios, the negative control).
  std::vector<Episode> extra_ca_outages;
  // Explicit failures of every domain's HTTP-01 challenge on top of the drawn ones.
  std::vector<Episode> extra_agent_failures;
  int total_domains() const { return domains + burst.count; }
  int machines() const {
    return (total_domains() + domains_per_machine - 1) / std::max(domains_per_machine, 1);
  }
};

// What the CA does with an order at time t.
enum class CaAnswer { kIssues, kDown, kServerError, kRateLimited, kBadNonce, kValidationFails };

// What one order cost the CA: the requests sent (directory and account excluded: cached).
struct OrderCost {
  CaAnswer answer = CaAnswer::kIssues;
  std::optional<TimePoint> retry_after;  // kRateLimited: the episode's end
  int requests = 0;
};

class SimWorld {
 public:
  explicit SimWorld(const WorldConfig& config);

  // The CA's answer to an order for domain index `domain` at `t`. `attempt` varies the
  // badNonce draw between orders of the same domain at the same time.
  OrderCost Order(int domain, TimePoint t, std::uint64_t attempt) const;
  bool CaDown(TimePoint t) const;
  bool ServerErrors(TimePoint t) const;
  bool AgentOffline(int machine, TimePoint t) const;
  bool NginxFails(int machine, TimePoint t) const;
  // When the running agent-offline episode of `machine` ends (nullopt: it is online).
  std::optional<TimePoint> BackOnline(int machine, TimePoint t) const;
  // The suggested renewal window the CA gives at `t` for a certificate it issued at
  // `not_before` lasting until `not_after`: at 2/3 of the lifetime (1/2 below 10 days),
  // 1/45 of the lifetime long — or "now" after a mass revocation that covers it.
  Episode RenewalWindow(TimePoint not_before, TimePoint not_after, TimePoint t) const;
  // When a certificate issued at `not_before` is revoked (nullopt: never).
  std::optional<TimePoint> RevokedAt(TimePoint not_before) const;
  // The first change after `t` (any episode boundary, any revocation), if any: the driver
  // stops there so that nothing the world does is skipped over.
  std::optional<TimePoint> NextChange(TimePoint t) const;

  const WorldConfig& config() const { return config_; }
  const std::vector<Episode>& ca_outages() const { return ca_outages_; }
  const std::vector<Episode>& rate_limits() const { return rate_limits_; }
  std::size_t agent_failure_count() const;

 private:
  bool JwsBadNonce(int domain, TimePoint t, std::uint64_t attempt, int request) const;

  WorldConfig config_;
  std::vector<Episode> ca_outages_;
  std::vector<Episode> server_errors_;
  std::vector<Episode> rate_limits_;
  std::vector<std::vector<Episode>> agent_failures_;  // per domain
  std::vector<std::vector<Episode>> offline_;         // per machine
  std::vector<std::vector<Episode>> nginx_;           // per machine
  std::vector<TimePoint> boundaries_;                 // sorted, every from and to
};

// Draws episodes over [start, start + length) from `seed` (pure).
std::vector<Episode> DrawEpisodes(const EpisodeShape& shape, TimePoint start, Duration length,
                                  std::uint64_t seed);

// Requests of one successful order after the account exists: newNonce, newOrder, the
// authorization, the challenge, its poll, finalize, the order poll, the certificate.
inline constexpr int kRequestsPerOrder = 8;

}  // namespace certfleet::sim
