#include "sim/sim_world.h"

#include <algorithm>
#include <random>

namespace certfleet::sim {
namespace {

const Episode* Covering(const std::vector<Episode>& episodes, TimePoint t) {
  for (const Episode& e : episodes) {
    if (e.Covers(t)) return &e;
  }
  return nullptr;
}

bool AnyCovers(const std::vector<Episode>& episodes, TimePoint t) {
  return Covering(episodes, t) != nullptr;
}

template <typename T>
const T* At(const std::vector<T>& v, int i) {
  return i >= 0 && i < static_cast<int>(v.size()) ? &v[static_cast<std::size_t>(i)] : nullptr;
}

// SplitMix64: a well-mixed hash of a few numbers, for per-request draws that do not depend
// on the order in which the simulation asks.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::int64_t Ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
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

SimWorld::SimWorld(const WorldConfig& config) : config_(config) {
  const auto draw = [&](const EpisodeShape& shape, std::uint64_t salt) {
    return DrawEpisodes(shape, config.start, config.length, config.seed * 1'000'003 + salt);
  };
  ca_outages_ = draw(config.ca_outages, 1);
  ca_outages_.insert(ca_outages_.end(), config.extra_ca_outages.begin(),
                     config.extra_ca_outages.end());
  server_errors_ = draw(config.server_errors, 2);
  rate_limits_ = draw(config.rate_limits, 3);
  for (int d = 0; d < config.total_domains(); ++d) {
    agent_failures_.push_back(draw(config.agent_failures, 1000 + static_cast<unsigned>(d)));
    agent_failures_.back().insert(agent_failures_.back().end(), config.extra_agent_failures.begin(),
                                  config.extra_agent_failures.end());
  }
  for (int m = 0; m < config.machines(); ++m) {
    offline_.push_back(draw(config.agent_offline, 5'000'000 + static_cast<unsigned>(m)));
    nginx_.push_back(draw(config.nginx_failures, 7'000'000 + static_cast<unsigned>(m)));
  }
  const auto add = [&](const std::vector<Episode>& episodes) {
    for (const Episode& e : episodes) {
      boundaries_.push_back(e.from);
      boundaries_.push_back(e.to);
    }
  };
  add(ca_outages_);
  add(server_errors_);
  add(rate_limits_);
  for (const auto& v : agent_failures_) add(v);
  for (const auto& v : offline_) add(v);
  for (const auto& v : nginx_) add(v);
  for (const MassRevocation& r : config.revocations) {
    boundaries_.push_back(r.announced);
    boundaries_.push_back(r.revoked_at());
  }
  std::sort(boundaries_.begin(), boundaries_.end());
  boundaries_.erase(std::unique(boundaries_.begin(), boundaries_.end()), boundaries_.end());
}

bool SimWorld::JwsBadNonce(int domain, TimePoint t, std::uint64_t attempt, int request) const {
  if (config_.bad_nonce_rate <= 0) return false;
  const std::uint64_t h = Mix(Mix(Mix(config_.seed ^ static_cast<std::uint64_t>(Ms(t))) +
                                  static_cast<std::uint64_t>(domain)) +
                              attempt * 16 + static_cast<std::uint64_t>(request));
  return static_cast<double>(h >> 11) * 0x1.0p-53 < config_.bad_nonce_rate;
}

// A JWS answered badNonce is sent once more with the fresh nonce (acme::Session); a second
// badNonce in a row fails the order.
OrderCost SimWorld::Order(int domain, TimePoint t, std::uint64_t attempt) const {
  OrderCost cost;
  if (CaDown(t)) return {CaAnswer::kDown, std::nullopt, 0};
  cost.requests = 2;  // newNonce (or a kept nonce) + newOrder
  if (ServerErrors(t)) return {CaAnswer::kServerError, std::nullopt, cost.requests};
  if (const Episode* limit = Covering(rate_limits_, t)) {
    return {CaAnswer::kRateLimited, limit->to, cost.requests};
  }
  for (int request = 0; request < 5; ++request) {  // the signed requests of an order
    if (!JwsBadNonce(domain, t, attempt, 2 * request)) continue;
    ++cost.requests;
    if (JwsBadNonce(domain, t, attempt, 2 * request + 1)) {
      cost.answer = CaAnswer::kBadNonce;
      return cost;
    }
  }
  if (const auto* failures = At(agent_failures_, domain); failures && AnyCovers(*failures, t)) {
    cost.requests += 3;  // authorization, challenge, its poll
    cost.answer = CaAnswer::kValidationFails;
    return cost;
  }
  cost.requests = kRequestsPerOrder + (cost.requests - 2);
  return cost;
}

bool SimWorld::CaDown(TimePoint t) const { return AnyCovers(ca_outages_, t); }
bool SimWorld::ServerErrors(TimePoint t) const { return AnyCovers(server_errors_, t); }

bool SimWorld::AgentOffline(int machine, TimePoint t) const {
  const auto* v = At(offline_, machine);
  return v != nullptr && AnyCovers(*v, t);
}

bool SimWorld::NginxFails(int machine, TimePoint t) const {
  const auto* v = At(nginx_, machine);
  return v != nullptr && AnyCovers(*v, t);
}

std::optional<TimePoint> SimWorld::BackOnline(int machine, TimePoint t) const {
  const auto* v = At(offline_, machine);
  if (v == nullptr) return std::nullopt;
  const Episode* e = Covering(*v, t);
  if (e == nullptr) return std::nullopt;
  return e->to;
}

Episode SimWorld::RenewalWindow(TimePoint not_before, TimePoint not_after, TimePoint t) const {
  for (const MassRevocation& r : config_.revocations) {
    if (not_before < r.announced && r.announced <= t) {
      return {r.announced, r.announced + r.renew_within};
    }
  }
  const Duration life = std::chrono::duration_cast<Duration>(not_after - not_before);
  const Duration until = life < std::chrono::hours(24 * 10) ? life / 2 : life * 2 / 3;
  return {not_before + until, not_before + until + life / 45};
}

std::optional<TimePoint> SimWorld::RevokedAt(TimePoint not_before) const {
  std::optional<TimePoint> revoked;
  for (const MassRevocation& r : config_.revocations) {
    if (not_before < r.announced && (!revoked || r.revoked_at() < *revoked))
      revoked = r.revoked_at();
  }
  return revoked;
}

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

}  // namespace certfleet::sim
