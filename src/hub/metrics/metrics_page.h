// MetricsPage: the hub's GET /metrics body, written part by part from a FleetSnapshot (so a
// 100,000-domain fleet never sits in memory as ~80 MB of text) plus the process-wide tables
// (ACME requests, scan times). docs/metrics.md lists every family, its labels and the
// number of series to expect.
//
//   MetricsPage page(std::move(snapshot), {.now = clock.Now(), .outbox_relay = true});
//   std::string part;
//   while (page.Next(part, 64 * 1024)) { send(part); part.clear(); }  send(part);
//
// Not thread-safe; one page per scrape.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/clock.h"
#include "hub/metrics/fleet_snapshot.h"
#include "issuance/issuer_config.h"

namespace certfleet::hub::metrics {

struct PageOptions {
  TimePoint now{};
  bool outbox_relay = false;          // the outbox family only means something with [rabbitmq]
  std::string version;                // for certfleet_build_info
  std::vector<std::string> channels;  // the configured notification channels
  // The ACME issuers, for certfleet_issuer_order_demand_ratio (issuance/capacity.h).
  std::vector<issuance::IssuerConfig> issuers;
};

class MetricsPage {
 public:
  MetricsPage(FleetSnapshot snapshot, PageOptions options);

  // Appends at least `budget` bytes (unless the page ends first) to `out`; returns whether
  // more follows.
  bool Next(std::string& out, std::size_t budget);

 private:
  // Writes rows of family `family_` from row `row_` on until `out` reaches `budget`;
  // returns true when the family is complete.
  bool WriteFamily(std::string& out, std::size_t budget);
  bool WriteReady(std::string& out, std::size_t budget);
  bool WritePairs(std::string& out, std::size_t budget, bool served);
  void WriteSmallFamilies(std::string& out);

  FleetSnapshot s_;
  PageOptions options_;
  std::size_t family_ = 0;
  std::size_t row_ = 0;
  bool family_started_ = false;  // its "# HELP" and "# TYPE" lines are written
};

}  // namespace certfleet::hub::metrics
