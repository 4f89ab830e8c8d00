// What needs attention across the fleet: the dashboard's tiles and list, GET /api/v1/status
// and `certfleet status` all read this one computation.
//
// Costs stay flat as domains grow: counts are ListDomains totals (limit 1), the expiry
// chart is one count per bucket, each attention kind one bounded query, and deployments
// one read for the whole fleet (store::DeploymentLog::ListDeploymentGaps). Lists are capped at kAttentionLimit per
// kind; the counts are exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "hub/service/domain_state.h"
#include "issuance/issuer_config.h"
#include "store/store.h"

namespace certfleet::hub::service {

inline constexpr int kChartWeeks = 13;  // the expiry chart: one bar per week, a quarter ahead
inline constexpr int kExpiringSoonDays = 30;
inline constexpr auto kAgentSilentAfter = std::chrono::minutes(15);
inline constexpr std::size_t kAttentionLimit = 100;

// One thing a person should look at, in words.
struct AttentionItem {
  // order_failed, deploy_failed, expired, expiring, awaiting_upload, names_not_covered,
  // agent_silent, agent_never_seen, not_deployed, capacity (an issuer's order pacing cannot
  // keep up: issuance/capacity.h; domain and machine empty)
  std::string kind;
  Tone tone = Tone::kWarn;
  std::string domain;             // the domain it is about ("" for machine items)
  std::string machine;            // the machine it is about ("" when none)
  std::string message;            // a sentence: what is wrong and, where known, what happens next
  std::optional<TimePoint> when;  // next try, expiry or last contact
};

struct FleetCounts {
  std::int64_t domains = 0;
  std::int64_t valid = 0;
  std::int64_t renewing = 0;  // renewing + issuing (an order is running)
  std::int64_t failed = 0;
  std::int64_t pending = 0;          // ACME domains waiting for their first order
  std::int64_t awaiting_upload = 0;  // manual domains without a certificate
  std::int64_t expiring_soon = 0;    // current certificate ends within kExpiringSoonDays
  std::int64_t expired = 0;
  std::int64_t deploy_failed = 0;  // domains whose current certificate failed on a machine
  std::int64_t not_deployed = 0;   // domains missing on at least one machine
  std::int64_t machines = 0;
  std::int64_t agents_silent = 0;  // never seen or not within kAgentSilentAfter
};

struct FleetStatus {
  FleetCounts counts;
  std::vector<std::int64_t> expiry_weeks;  // certificates ending in each week from now
  std::vector<AttentionItem> attention;    // worst first (bad, then warn, then info)
  // Whether anything is warn or bad (the exit code of `certfleet status`).
  bool NeedsAttention() const;
};

// `issuers`: the hub's ACME issuers, whose order capacity is checked (issuance::CheckCapacity:
// one read of the renewals due within a day); none, no capacity items.
Result<FleetStatus> LoadFleetStatus(store::Store& store, TimePoint now,
                                    const std::vector<issuance::IssuerConfig>& issuers = {});

}  // namespace certfleet::hub::service
