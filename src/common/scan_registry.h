// ScanRegistry: when each periodic scan of this process last completed successfully, for
// the hub's certfleet_scan_last_success_timestamp_seconds metric (hub/metrics/).
//
//   RecordScanSuccess("expiry", clock.Now());   // at the end of a scan that worked
//
// Scan names are short snake_case words fixed in code (never user input), so the metric's
// label stays small: issuance_claim, expiry, agent_unseen, outbox_relay.
// Thread-safe. Process-wide (like a Prometheus client library's default registry).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace certfleet {

void RecordScanSuccess(std::string_view scan, TimePoint at);

// Every scan recorded so far with its latest success time, sorted by name.
std::vector<std::pair<std::string, TimePoint>> ScanSuccesses();

}  // namespace certfleet
