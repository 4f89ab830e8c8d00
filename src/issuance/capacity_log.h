// CapacityLog: what the hub's capacity scan writes to its log (issue 20).
//
// The scan runs with the expiry scan, every 15 minutes; a warning that holds for days was
// the same line 96 times a day, and a reader could not tell when it began or ended. The log
// now says when an issuer's warning starts, when its level changes (a thin margin becomes
// lapsing certificates, or back), once a day while it holds (a reminder), and when it clears.
// The notifications are deduplicated separately (one a day, notify::CapacityNotice).
//
// Not thread-safe: one scan thread owns it. Time comes in as a parameter.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "issuance/capacity.h"

namespace certfleet::issuance {

struct CapacityLogLine {
  bool warning = true;  // false: the warning cleared (an info line)
  std::string text;
};

class CapacityLog {
 public:
  // How often a warning that holds is logged again.
  static constexpr Duration kReminder = std::chrono::hours(24);

  // The lines to log for this scan's warnings (CheckCapacity's: only the issuers that need
  // one). An issuer absent from `warnings` whose warning held until now has cleared. Call
  // it only after a scan that could read the store: a failed scan says nothing of capacity.
  std::vector<CapacityLogLine> Update(const std::vector<CapacityWarning>& warnings, TimePoint now);

 private:
  struct Held {
    bool critical = false;
    TimePoint since{};
    TimePoint logged{};
  };
  std::map<std::string, Held> held_;  // issuer → its warning that holds
};

}  // namespace certfleet::issuance
