// What the dashboard shows, gathered from the Store with the queries the API uses.
//
// Costs stay flat as domains grow: counts are ListDomains totals (limit 1), the expiry
// chart is one count per bucket (expiring_before moves forward), and "not deployed
// everywhere" compares each machine's desired state with its deployment reports (two
// queries per machine, none per domain).
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/store.h"

namespace certfleet::hub::ui {

inline constexpr int kChartDays = 90;
inline constexpr int kChartBucketDays = 6;  // 15 bars
inline constexpr int kExpiringSoonDays = 30;
inline constexpr auto kAgentSilentAfter = std::chrono::minutes(15);

struct DashboardData {
  std::int64_t total = 0;
  std::int64_t valid = 0;
  std::int64_t renewing = 0;  // renewing + issuing (an order is running)
  std::int64_t failed = 0;
  std::int64_t pending = 0;
  std::int64_t expiring_soon = 0;               // current certificate ends within kExpiringSoonDays
  std::int64_t expired = 0;                     // current certificate already ended
  std::vector<std::int64_t> expiry_buckets;     // certificates ending in each bucket, from now
  std::set<store::Id> not_deployed;             // domains missing on at least one machine
  std::vector<std::string> not_deployed_names;  // up to 10 of them, for the list
  std::vector<store::Event> events;             // latest first
  std::vector<store::Machine> silent_machines;  // agent never seen or not for a while
};

Result<DashboardData> LoadDashboard(store::Store& store, TimePoint now);

// Domain ids whose current certificate is not reported "deployed" on every machine that
// should have it. `desired[i]` and `reports[i]` belong to the same machine. Pure.
std::set<store::Id> UndeployedDomains(const std::vector<store::DesiredState>& desired,
                                      const std::vector<std::vector<store::Deployment>>& reports);

}  // namespace certfleet::hub::ui
